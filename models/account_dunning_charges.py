# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date as Date
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

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
    rate from when, and the fixed indemnity. ``account.move
    ._get_dunning_charges`` is the interface."""

    _name = "account.dunning.charges"
    _description = "Late-Payment Charges"

    @api.model
    def _compute(self, moves, date):
        """{invoice id: charges} of the customer invoices ``moves`` on
        ``date``: see ``account.move._get_dunning_charges``."""
        rates = self.env["account.dunning.rate"]._get_rates()
        notices = self._get_formal_notice_dates(moves)
        eur = self.env.ref("base.EUR")
        result = {}
        for move in moves:
            partner = move.commercial_partner_id.with_company(move.company_id)
            kind = partner.dunning_customer_type or "company"
            result[move.id] = self._compute_one(move, kind, date, rates, notices.get(move.id), eur)
        return result

    @api.model
    def _compute_one(self, move, kind, date, rates, notice_date, eur):
        currency = move.currency_id
        charges = {
            "move_id": move.id,
            "currency_id": currency.id,
            "kind": kind,
            "date_from": False,
            "date_to": False,
            "days": 0,
            "rate": 0.0,
            "penalty": 0.0,
            "indemnity": 0.0,
            "periods": [],
        }
        lines = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and line.amount_currency > 0
        )
        for line in lines:
            due = line.date_maturity or move.invoice_date_due or move.invoice_date
            payments = sorted(
                (partial.max_date, partial.debit_amount_currency)
                for partial in line.matched_credit_ids
                if partial.max_date <= date
            )
            paid_off = None
            paid = 0.0
            for payment_date, amount in payments:
                paid += amount
                if currency.compare_amounts(paid, line.amount_currency) >= 0:
                    paid_off = payment_date
                    break
            end = min(paid_off, date) if paid_off else date
            if end <= due:
                continue
            charges["days"] = max(charges["days"], (end - due).days)
            if kind == "individual":
                # legal interest, from the formal notice only (Code civil 1344-1)
                if not notice_date or notice_date >= end:
                    continue
                start = max(notice_date, due)
            else:
                start = due
            periods = self._get_periods(
                line.amount_currency, payments, start, end, kind, rates, move
            )
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
            charges["indemnity"] = eur._convert(
                RECOVERY_INDEMNITY_EUR, currency, move.company_id, charges["date_to"] or date
            )
        return charges

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
        """{invoice id: the date of its first formal notice sent}."""
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
            reminder_date = line.dunning_id.date
            move_id = line.move_id.id
            if move_id not in notices or reminder_date < notices[move_id]:
                notices[move_id] = reminder_date
        return notices

    # ------------------------------------------------------------------
    # Invoicing the charges
    # ------------------------------------------------------------------

    @api.model
    def _get_to_charge(self, moves, date):
        """{(company, customer, currency): [(invoice, penalty, indemnity)]}:
        what is owed on ``moves`` at ``date`` beyond what was already
        invoiced or waived."""
        groups = {}
        for move_id, charge in moves._get_dunning_charges(date).items():
            move = moves.browse(move_id)
            currency = move.currency_id
            penalty = currency.round(charge["penalty"] - move.dunning_penalty_charged)
            indemnity = 0.0 if move.dunning_indemnity_charged else charge["indemnity"]
            if currency.compare_amounts(penalty, 0) <= 0:
                penalty = 0.0
            if penalty or indemnity:
                key = (move.company_id, move.commercial_partner_id, currency)
                groups.setdefault(key, []).append((move, penalty, indemnity))
        return groups

    @api.model
    def _invoice_charges(self, moves, date=None, waive=False):
        """Invoice the late-payment charges of ``moves`` owed at ``date``
        (today by default): one customer invoice per customer, company and
        currency, with a line for the penalties and one for the
        indemnities, from the products of the settings (no tax unless they
        say so); or, with ``waive``, record that they are waived. What was
        invoiced or waived is kept on each invoice and never charged twice.
        Returns the invoices created."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        groups = self._get_to_charge(moves, date)
        if not groups:
            raise UserError(self.env._("There are no late-payment charges left to invoice."))
        Move = self.env["account.move"]
        invoices = Move
        for (company, partner, currency), items in groups.items():
            penalty = sum(item[1] for item in items)
            indemnity = sum(item[2] for item in items)
            names = ", ".join(item[0].name for item in items)
            # the invoice speaks the customer's language
            env = self.with_context(lang=partner.lang or self.env.lang).env
            if not waive:
                lines = []
                penalty_product = company.dunning_penalty_product_id or self.env.ref(
                    "account_dunning.product_dunning_penalty"
                )
                indemnity_product = company.dunning_indemnity_product_id or self.env.ref(
                    "account_dunning.product_dunning_indemnity"
                )
                for product, amount, label in (
                    (
                        penalty_product,
                        penalty,
                        env._("Late-payment penalties on %(invoices)s", invoices=names),
                    ),
                    (
                        indemnity_product,
                        indemnity,
                        env._(
                            "Fixed indemnities for recovery costs (article D441-5 of the "
                            "Commercial Code) on %(invoices)s",
                            invoices=names,
                        ),
                    ),
                ):
                    if currency.is_zero(amount):
                        continue
                    lines.append(
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": label,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [
                                    Command.set(
                                        product.taxes_id.filtered(
                                            lambda tax, company=company: tax.company_id == company
                                        ).ids
                                    )
                                ],
                            }
                        )
                    )
                invoices |= Move.with_company(company).create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "currency_id": currency.id,
                        "invoice_date": date,
                        "invoice_origin": names,
                        "invoice_line_ids": lines,
                    }
                )
            for move, item_penalty, item_indemnity in items:
                move.sudo().write(
                    {
                        "dunning_penalty_charged": move.dunning_penalty_charged + item_penalty,
                        "dunning_indemnity_charged": move.dunning_indemnity_charged
                        or bool(item_indemnity),
                    }
                )
                body = (
                    self.env._(
                        "Late-payment charges waived: penalties %(penalty)s, indemnity "
                        "%(indemnity)s.",
                        penalty=currency.format(item_penalty),
                        indemnity=currency.format(item_indemnity),
                    )
                    if waive
                    else self.env._(
                        "Late-payment charges invoiced: penalties %(penalty)s, indemnity "
                        "%(indemnity)s.",
                        penalty=currency.format(item_penalty),
                        indemnity=currency.format(item_indemnity),
                    )
                )
                move.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        return invoices

    @api.model
    def _action_invoice(self, moves, waive=False):
        """The buttons: the charges invoice(s) of ``moves``, opened."""
        invoices = self._invoice_charges(moves, waive=waive)
        if waive:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("The late-payment charges are waived."),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update({"views": [(False, "form")], "res_id": invoices.id, "view_mode": "form"})
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action
