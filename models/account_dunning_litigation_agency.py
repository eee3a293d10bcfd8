# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from .dunning_engine_owned import check_engine_fields, engine_writes
from .dunning_inputs import PERCENT_BOUNDS, check_bounds

# What the hand-off and the payments received after it write, never a user:
# which invoices were handed over and which payments the agency was told of.
AGENCY_ENGINE_FIELDS = {"handoff_move_ids", "agency_partial_ids"}


class AccountDunningLitigation(models.Model):
    """A claim handed to a collection agency (road ``agency``, issue 23):
    the invoices handed over, and each payment received on them after the
    hand-off, which the agency must be told of (an activity "Tell the
    agency" for the reminder responsible) and on which it takes its
    commission.

    A payment received is a reconciliation (``account.partial.reconcile``)
    of a handed-over invoice with a payment, a bank statement line or a
    credit note, dated (its ``max_date``, the day Odoo's aged reports count
    it) on or after the hand-off date, made while the litigation is open.
    Each is recorded once (``agency_partial_ids``): what was recovered is
    the sum of those that are payments, per currency; credit notes are
    reported to the agency but are not money recovered."""

    _inherit = "account.dunning.litigation"

    agency_commission = fields.Float(
        string="Agency Commission (%)",
        digits=(16, 2),
        tracking=True,
        help="The share of what the agency recovers that it keeps: the company's rate "
        "when the claim was handed over.",
    )
    handoff_move_ids = fields.Many2many(
        "account.move",
        "account_dunning_litigation_handoff_move_rel",
        "litigation_id",
        "move_id",
        string="Handed-Over Invoices",
        readonly=True,
        copy=False,
        help="The customer's open invoices when the claim was handed to the agency.",
    )
    agency_partial_ids = fields.Many2many(
        "account.partial.reconcile",
        "account_dunning_litigation_agency_partial_rel",
        "litigation_id",
        "partial_id",
        string="Payments Reported to the Agency",
        readonly=True,
        copy=False,
    )
    agency_recovered = fields.Html(
        string="Recovered Since the Hand-Off",
        compute="_compute_agency_recovered",
        sanitize=False,
        help="The payments received on the handed-over invoices since the hand-off, "
        "per currency (credit notes are not money recovered).",
    )
    agency_commission_due = fields.Html(
        string="Agency Commission on It",
        compute="_compute_agency_recovered",
        sanitize=False,
        help="The agency's commission on what was recovered, per currency.",
    )
    agency_payments = fields.Html(
        string="Payments Received Since the Hand-Off",
        compute="_compute_agency_recovered",
        sanitize=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, AGENCY_ENGINE_FIELDS, vals_list, create=True)
        check_bounds(self, vals_list, {"agency_commission": PERCENT_BOUNDS})
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, AGENCY_ENGINE_FIELDS, [vals])
        check_bounds(self, [vals], {"agency_commission": PERCENT_BOUNDS})
        return super().write(vals)

    # ------------------------------------------------------------------
    # What was recovered
    # ------------------------------------------------------------------

    def _get_agency_recovered(self):
        """{currency: (recovered, commission)} of this litigation: the
        payments reported to the agency (credit notes left out), added per
        currency, never across, and the agency's commission on them at the
        litigation's rate, rounded in that currency."""
        self.ensure_one()
        totals = defaultdict(float)
        for payment in self._get_agency_payments():
            if payment["kind"] == "payment":
                totals[payment["currency"]] += payment["amount"]
        return {
            currency: (
                currency.round(amount),
                currency.round(amount * (self.agency_commission or 0.0) / 100.0),
            )
            for currency, amount in totals.items()
        }

    def _get_agency_payments(self):
        """The payments and credit notes reported to the agency, oldest
        first: dicts of the reconciliation (``partial``), its ``date``, the
        ``invoice``, the ``amount`` applied to it in the invoice's
        ``currency`` and its ``kind`` (``payment``, ``credit_note``)."""
        self.ensure_one()
        partials = self.sudo().agency_partial_ids.sorted(
            lambda partial: (partial.max_date, partial.id)
        )
        return [
            {
                "partial": partial,
                "date": partial.max_date,
                "invoice": partial.debit_move_id.move_id,
                "amount": partial.debit_amount_currency,
                "currency": partial.debit_currency_id,
                "kind": self._get_agency_payment_kind(partial),
            }
            for partial in partials
        ]

    @api.depends("agency_partial_ids", "agency_commission")
    def _compute_agency_recovered(self):
        Partner = self.env["res.partner"]
        for litigation in self:
            if litigation.road != "agency" or not litigation.handoff_date:
                litigation.agency_recovered = False
                litigation.agency_commission_due = False
                litigation.agency_payments = False
                continue
            recovered = litigation._get_agency_recovered()
            litigation.agency_recovered = Partner._format_dunning_amounts(
                [(currency, amounts[0]) for currency, amounts in recovered.items()]
            ) or litigation.company_id.currency_id.format(0.0)
            litigation.agency_commission_due = Partner._format_dunning_amounts(
                [(currency, amounts[1]) for currency, amounts in recovered.items()]
            ) or litigation.company_id.currency_id.format(0.0)
            litigation.agency_payments = litigation._get_agency_payments_table()

    def _get_agency_payments_table(self):
        """The payments reported to the agency as a small HTML table, or
        False when there is none. Every value is escaped (``Markup``)."""
        payments = self._get_agency_payments()
        if not payments:
            return False
        kinds = {"payment": self.env._("Payment"), "credit_note": self.env._("Credit note")}
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                format_date(self.env, payment["date"]),
                payment["invoice"].name,
                kinds[payment["kind"]],
                payment["currency"].format(payment["amount"]),
            )
            for payment in payments
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (
            self.env._("Date"),
            self.env._("Invoice"),
            self.env._("Type"),
            self.env._("Amount"),
            rows,
        )

    def _get_handoff_owed(self):
        """What is claimed from the customer in the litigation's company,
        per currency (never added across), as the legal file states it
        (``account.dunning.legal.file._get_claim``): dicts of ``currency``,
        ``principal``, ``charges`` (penalties and indemnities still owed)
        and ``total``. The amounts of the hand-off email."""
        self.ensure_one()
        claim = self.env["account.dunning.legal.file"]._get_claim(self.partner_id, self.company_id)
        return [
            {
                "currency": currency,
                "principal": values["principal"],
                "charges": currency.round(values["penalties"] + values["indemnities"]),
                "total": values["total"],
            }
            for currency, values in claim.items()
        ]

    def _get_partner_address_line(self):
        """The customer's address on one line, for the agency's email."""
        self.ensure_one()
        address = self.partner_id._display_address(without_company=True)
        return ", ".join(line.strip() for line in address.splitlines() if line.strip())

    # ------------------------------------------------------------------
    # Payments received after the hand-off
    # ------------------------------------------------------------------

    @api.model
    def _get_agency_payment_kind(self, partial):
        """What the other side of a reconciliation of an invoice is:
        ``credit_note`` (a customer credit note), ``payment`` (a payment, a
        bank or cash entry, a bank statement line) or False (an exchange
        difference, a write-off or another journal entry: not a payment
        received)."""
        move = partial.credit_move_id.move_id
        if move.move_type == "out_refund":
            return "credit_note"
        if move.origin_payment_id or move.statement_line_id:
            return "payment"
        if move.journal_id.type in ("bank", "cash"):
            return "payment"
        return False

    @api.model
    def _dunning_agency_report_payments(self, partials):
        """Each payment or credit note in ``partials`` (new reconciliations)
        received on an invoice handed to a collection agency, on or after
        the hand-off date, while the litigation is open: recorded on the
        litigation once and an activity "Tell the agency" for the
        customer's reminder responsible, on the litigation (of its company:
        no other company's user sees it). A few queries for any number of
        reconciliations (a bank statement of thousands of lines); a
        reconciliation already recorded is left alone. Runs as the
        superuser: whoever reconciles (an accountant without reminder
        rights) does not have to read litigations. Returns the activities
        created."""
        Activity = self.env["mail.activity"].sudo()
        Litigation = self.sudo()
        partials = partials.sudo()
        if not partials or not Litigation.search_count(
            [("state", "=", "open"), ("road", "=", "agency")], limit=1
        ):
            return Activity
        invoices = partials.debit_move_id.move_id.filtered(
            lambda move: move.move_type == "out_invoice"
        )
        if not invoices:
            return Activity
        litigations = Litigation.search(
            [
                ("state", "=", "open"),
                ("road", "=", "agency"),
                ("handoff_date", "!=", False),
                ("handoff_move_ids", "in", invoices.ids),
            ]
        )
        if not litigations:
            return Activity
        by_invoice = {
            move.id: litigation
            for litigation in litigations
            for move in litigation.handoff_move_ids
        }
        reported = set(litigations.agency_partial_ids.ids)
        found = defaultdict(list)
        for partial in partials:
            litigation = by_invoice.get(partial.debit_move_id.move_id.id)
            if (
                not litigation
                or partial.id in reported
                or partial.max_date < litigation.handoff_date
                or partial.debit_currency_id.is_zero(partial.debit_amount_currency)
            ):
                continue
            kind = self._get_agency_payment_kind(partial)
            if kind:
                found[litigation].append((partial, kind))
        if not found:
            return Activity
        values = []
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        for company, company_litigations in (
            Litigation.browse([litigation.id for litigation in found]).grouped("company_id").items()
        ):
            users = company_litigations.partner_id._get_dunning_responsibles(company)
            today = self.env["account.dunning.engine"]._get_today(company)
            default_lang = company.partner_id.lang or "en_US"
            for litigation in company_litigations:
                user = users[litigation.partner_id.id]
                # in the words of who will read it: a reconciliation may be
                # made by a scheduled job
                env = self.with_context(lang=user.lang or default_lang).env
                for partial, kind in found[litigation]:
                    values.append(
                        {
                            "res_model_id": model_id,
                            "res_id": litigation.id,
                            "activity_type_id": todo.id,
                            "summary": env._(
                                "Tell the agency: %(amount)s received on %(invoice)s",
                                amount=partial.debit_currency_id.format(
                                    partial.debit_amount_currency
                                ),
                                invoice=partial.debit_move_id.move_id.name,
                            ),
                            "note": litigation._get_agency_activity_note(env, partial, kind),
                            "user_id": user.id,
                            "date_deadline": today,
                        }
                    )
                with engine_writes():
                    litigation.write(
                        {
                            "agency_partial_ids": [
                                fields.Command.link(partial.id)
                                for partial, _kind in found[litigation]
                            ]
                        }
                    )
        return Activity.create(values)

    def _get_agency_activity_note(self, env, partial, kind):
        """The text of the activity "Tell the agency" for ``partial``, in
        the language of ``env``: which invoice, how much, the date, the
        agency. Text, not HTML: the customer's name (its own to set on the
        portal) is escaped."""
        self.ensure_one()
        if kind == "credit_note":
            text = env._(
                "A credit note of %(amount)s (%(credit_note)s) was applied on %(date)s to "
                "invoice %(invoice)s of %(customer)s, handed over to %(agency)s on "
                "%(handoff)s: tell the agency, the claim is lower.",
                amount=partial.debit_currency_id.format(partial.debit_amount_currency),
                credit_note=partial.credit_move_id.move_id.name,
                date=format_date(env, partial.max_date),
                invoice=partial.debit_move_id.move_id.name,
                customer=self.partner_id.name,
                agency=self.agency_id.name or "-",
                handoff=format_date(env, self.handoff_date),
            )
        else:
            text = env._(
                "A payment of %(amount)s was received on %(date)s for invoice %(invoice)s of "
                "%(customer)s, handed over to %(agency)s on %(handoff)s: tell the agency.",
                amount=partial.debit_currency_id.format(partial.debit_amount_currency),
                date=format_date(env, partial.max_date),
                invoice=partial.debit_move_id.move_id.name,
                customer=self.partner_id.name,
                agency=self.agency_id.name or "-",
                handoff=format_date(env, self.handoff_date),
            )
        return Markup("<p>%s</p>") % text

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------

    def action_dunning_handoff(self):
        """Send the file again to the agency (the hand-off form)."""
        self.ensure_one()
        return self.env["account.dunning.handoff.wizard"]._action_open(
            self.partner_id, self.company_id
        )
