# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date as Date
from datetime import timedelta

from odoo import api, models

# Code de commerce D441-5: the fixed indemnity for recovery costs, per
# invoice paid late by a business or a public body, in euros.
RECOVERY_INDEMNITY_EUR = 40.0
# Points added to the ECB rate: L441-10 (businesses), R2192-31 of the Code
# de la commande publique (public bodies).
ECB_POINTS = {"company": 10.0, "public": 8.0}


def _half_year_start(day):
    """1 January or 1 July of the half-year of ``day``."""
    return Date(day.year, 1 if day.month <= 6 else 7, 1)


def _next_half_year(day):
    start = _half_year_start(day)
    return Date(start.year, 7, 1) if start.month == 1 else Date(start.year + 1, 1, 1)


class AccountDunningCharges(models.AbstractModel):
    """French late-payment charges, the law in one place: who owes what
    rate from when, and the fixed indemnity; and what of it is still owed
    (``_add_due``). ``account.move._get_dunning_charges`` is the interface;
    invoicing and waiving them is in ``account_dunning_charges_billing.py``."""

    _name = "account.dunning.charges"
    _description = "Late-Payment Charges"

    @api.model
    def _compute(self, moves, date):
        """{invoice id: charges} of the customer invoices ``moves`` on
        ``date``: see ``account.move._get_dunning_charges``. What accrued by
        law, then what of it is still owed once the charges invoiced (on
        charges invoices not cancelled) and waived are taken off."""
        rates = self.env["account.dunning.rate"]._get_rates()
        notices = self._get_formal_notice_dates(moves)
        settled = moves._get_dunning_charges_settled()
        products = self._get_charge_products(moves.company_id)
        eur = self.env.ref("base.EUR")
        # what the loop reads, read once for all the invoices: their
        # installments, the payments and credit notes matched with them
        receivables = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        receivables.matched_credit_ids.credit_move_id.move_id.mapped("move_type")
        # the indemnity of 40 euros in each currency, converted once per day
        indemnities = {}

        def indemnity(currency, company, day):
            key = (currency.id, company.id, day)
            if key not in indemnities:
                indemnities[key] = eur._convert(RECOVERY_INDEMNITY_EUR, currency, company, day)
            return indemnities[key]

        result = {}
        for move in moves:
            partner = move.commercial_partner_id.with_company(move.company_id)
            kind = partner.dunning_customer_type or "company"
            if self._is_charges_invoice(move, products):
                # no interest on interest: a charges invoice bears no charges
                charges = self._get_empty(move, kind)
            else:
                charges = self._compute_one(
                    move, kind, date, rates, notices.get(move.id), indemnity
                )
            result[move.id] = self._add_due(charges, settled[move.id], move.currency_id)
        return result

    @api.model
    def _get_empty(self, move, kind):
        """The charges of an invoice that bears none."""
        return {
            "move_id": move.id,
            "currency_id": move.currency_id.id,
            "kind": kind,
            "date_from": False,
            "date_to": False,
            "days": 0,
            "rate": 0.0,
            "penalty": 0.0,
            "indemnity": 0.0,
            "periods": [],
        }

    @api.model
    def _add_due(self, charges, settled, currency):
        """Add to ``charges`` what was invoiced and waived of them
        (``settled``, see ``account.move._get_dunning_charges_settled``) and
        what is still owed: ``penalty_due`` and ``indemnity_due``, never
        below zero. The one definition of "charges still owed"."""
        charges.update(settled)
        for kind in ("penalty", "indemnity"):
            due = currency.round(
                charges[kind] - settled[f"{kind}_invoiced"] - settled[f"{kind}_waived"]
            )
            charges[f"{kind}_due"] = due if currency.compare_amounts(due, 0) > 0 else 0.0
        return charges

    @api.model
    def _get_charge_products(self, companies):
        """The products of the charges invoices' lines of ``companies``."""
        return (
            companies.dunning_penalty_product_id
            | companies.dunning_indemnity_product_id
            | self.env.ref("account_dunning.product_dunning_penalty")
            | self.env.ref("account_dunning.product_dunning_indemnity")
        )

    @api.model
    def _is_charges_invoice(self, move, products):
        """Whether ``move`` invoices late-payment charges only: its lines
        charge another invoice (or, made before they said so, sell the
        charges products)."""
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        return bool(lines) and all(
            line.dunning_charged_move_id or line.product_id in products for line in lines
        )

    @api.model
    def _compute_one(self, move, kind, date, rates, notice_date, indemnity):
        """The charges accrued on ``move`` by ``date``; ``indemnity``
        (currency, company, day) is the fixed indemnity in that currency
        on that day."""
        charges = self._get_empty(move, kind)
        currency = move.currency_id
        lines = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and line.amount_currency > 0
        )
        first_late = False
        for line in lines:
            due = line.date_maturity or move.invoice_date_due or move.invoice_date
            amount, payments = self._get_amount_and_payments(line, date)
            if currency.compare_amounts(amount, 0) <= 0:
                continue  # credited in full: never owed
            paid_off = None
            paid = 0.0
            for payment_date, paid_amount in payments:
                paid += paid_amount
                if currency.compare_amounts(paid, amount) >= 0:
                    paid_off = payment_date
                    break
            end = min(paid_off, date) if paid_off else date
            if end <= due:
                continue
            charges["days"] = max(charges["days"], (end - due).days)
            first_late = min(first_late or due, due)
            if kind == "individual":
                # legal interest, from the formal notice only (Code civil 1344-1)
                if not notice_date or notice_date >= end:
                    continue
                start = max(notice_date, due)
            else:
                start = due
            periods = self._get_periods(amount, payments, start, end, kind, rates, move)
            charges["periods"] += periods
            charges["date_from"] = (
                min(charges["date_from"] or periods[0]["date_from"], periods[0]["date_from"])
                if periods
                else charges["date_from"]
            )
            charges["date_to"] = max(charges["date_to"] or end, end)
        for period in charges["periods"]:
            charges["penalty"] += period["amount"]
        charges["penalty"] = currency.round(charges["penalty"])
        if charges["periods"]:
            charges["rate"] = charges["periods"][-1]["rate"]
        if kind in ECB_POINTS and charges["days"] > 0:
            # owed from the first day late, at that day's rate: a fixed sum
            # that does not move with the exchange rate once invoiced
            charges["indemnity"] = indemnity(
                currency, move.company_id, first_late + timedelta(days=1)
            )
        return charges

    @api.model
    def _get_amount_and_payments(self, line, date):
        """The amount of the installment ``line`` that was ever owed, and
        its payments by ``date``, [(date, amount)] by date. What a credit
        note settled was never owed: it lowers the amount from the start
        rather than paying it on the credit note's date."""
        amount = line.amount_currency
        payments = []
        for partial in line.matched_credit_ids:
            if partial.max_date > date:
                continue
            if partial.credit_move_id.move_id.move_type == "out_refund":
                amount -= partial.debit_amount_currency
            else:
                payments.append((partial.max_date, partial.debit_amount_currency))
        return amount, sorted(payments)

    @api.model
    def _get_periods(self, amount, payments, start, end, kind, rates, move):
        """The interest of one installment of ``amount`` from the day after
        ``start`` to ``end`` included: one period per stretch of days with
        the same amount due and the same rate (a payment lowers the amount
        due from the day after it; the rate changes with the half-year)."""
        cuts = {end}
        day = _next_half_year(start)
        while day <= end:
            cuts.add(day - timedelta(days=1))
            day = _next_half_year(day)
        cuts |= {payment_date for payment_date, _amount in payments if start < payment_date < end}
        periods = []
        first = start + timedelta(days=1)
        for last in sorted(cuts):
            if last < first:
                continue
            base = amount - sum(paid for paid_on, paid in payments if paid_on < first)
            if base <= 0:
                break
            rate = self._get_rate(kind, first, start, rates, move)
            days = (last - first).days + 1
            periods.append(
                {
                    "date_from": first,
                    "date_to": last,
                    "base": base,
                    "rate": rate,
                    "days": days,
                    "amount": base * rate / 100.0 * days / 365.0,
                }
            )
            first = last + timedelta(days=1)
        return periods

    @api.model
    def _get_rate(self, kind, day, start, rates, move):
        """The yearly rate (%) of the charges of ``day``.

        - businesses: the ECB rate in force on the first day of the day's
          half-year plus 10 points, or the rate set on the customer or the
          company, never below three times the legal interest rate;
        - public bodies: the ECB rate in force on the first day of the
          half-year in which the interest started to run plus 8 points;
        - individuals: the legal interest rate of a creditor who is not an
          individual (the company), of the day's half-year."""
        Rate = self.env["account.dunning.rate"]
        if kind == "individual":
            return Rate._get_rate(rates, "legal_other", _half_year_start(day))
        if kind == "public":
            first_day = start + timedelta(days=1)
            return Rate._get_rate(rates, "ecb", _half_year_start(first_day)) + ECB_POINTS["public"]
        half = _half_year_start(day)
        agreed = (
            move.commercial_partner_id.with_company(move.company_id).dunning_penalty_rate
            or move.company_id.dunning_penalty_rate
        )
        if agreed:
            return max(agreed, 3 * Rate._get_rate(rates, "legal_other", half))
        return Rate._get_rate(rates, "ecb", half) + ECB_POINTS["company"]

    @api.model
    def _get_formal_notice_dates(self, moves):
        """{invoice id: the date of its first formal notice sent}: the day
        it reached the customer when known (``account.dunning.notice_date``:
        the acknowledgement of receipt of a registered letter), else the
        day it was sent."""
        lines = (
            self.env["account.dunning.line"]
            .sudo()
            .search(
                [
                    ("move_id", "in", moves.ids),
                    ("dunning_id.state", "=", "sent"),
                    ("dunning_id.level_id.letter_kind", "=", "formal_notice"),
                ]
            )
        )
        notices = {}
        for line in lines:
            reminder_date = line.dunning_id.notice_date or line.dunning_id.date
            move_id = line.move_id.id
            if move_id not in notices or reminder_date < notices[move_id]:
                notices[move_id] = reminder_date
        return notices
