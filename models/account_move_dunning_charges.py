# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .dunning_inputs import DUNNING_READ_GROUPS

SETTLED_KEYS = ("penalty_invoiced", "indemnity_invoiced", "penalty_waived", "indemnity_waived")


class AccountMove(models.Model):
    """The late-payment charges of a customer invoice: what accrued, what
    was invoiced (on charges invoices not cancelled) or waived, what is
    still owed. A charges invoice cancelled or deleted gives its charges
    back, and the invoices charged say so."""

    _inherit = "account.move"

    dunning_charge_line_ids = fields.One2many(
        "account.move.line",
        "dunning_charged_move_id",
        string="Charges Invoice Lines",
        readonly=True,
        copy=False,
        help="The lines of the charges invoices that invoice this invoice's "
        "late-payment charges.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_charge_waiver_ids = fields.One2many(
        "account.dunning.charge.waiver",
        "move_id",
        string="Charges Waived",
        readonly=True,
        copy=False,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_penalty_charged = fields.Monetary(
        string="Penalties Charged",
        compute="_compute_dunning_charges_settled",
        help="Late-payment penalties invoiced to the customer (on charges "
        "invoices not cancelled) or waived.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_indemnity_charged = fields.Boolean(
        string="Indemnity Charged",
        compute="_compute_dunning_charges_settled",
        help="The recovery indemnity was invoiced to the customer (on a "
        "charges invoice not cancelled) or waived, in full or in part.",
        groups=DUNNING_READ_GROUPS,
    )

    @api.depends(
        "dunning_charge_line_ids.price_subtotal",
        "dunning_charge_line_ids.parent_state",
        "dunning_charge_waiver_ids.penalty_amount",
        "dunning_charge_waiver_ids.indemnity_amount",
    )
    def _compute_dunning_charges_settled(self):
        settled = self._get_dunning_charges_settled()
        for move in self:
            values = settled.get(move._origin.id) or dict.fromkeys(SETTLED_KEYS, 0.0)
            move.dunning_penalty_charged = values["penalty_invoiced"] + values["penalty_waived"]
            move.dunning_indemnity_charged = bool(
                values["indemnity_invoiced"] or values["indemnity_waived"]
            )

    def _get_dunning_charges_settled(self):
        """{invoice id: {"penalty_invoiced", "indemnity_invoiced",
        "penalty_waived", "indemnity_waived"}}: the late-payment charges of
        these invoices on charges invoices not cancelled (draft or posted),
        and waived. The one reading of what was settled."""
        ids = [move_id for move_id in self._origin.ids if move_id]
        result = {move_id: dict.fromkeys(SETTLED_KEYS, 0.0) for move_id in ids}
        if not ids:
            return result
        # what a user may read of an invoice includes what was charged on
        # it, whatever their rights on the charges invoices and waivers
        lines = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [("dunning_charged_move_id", "in", ids), ("parent_state", "!=", "cancel")],
                ["dunning_charged_move_id", "dunning_charge_kind"],
                ["price_subtotal:sum"],
            )
        )
        for charged, kind, amount in lines:
            result[charged.id][f"{kind}_invoiced"] += amount
        waivers = (
            self.env["account.dunning.charge.waiver"]
            .sudo()
            ._read_group(
                [("move_id", "in", ids)],
                ["move_id"],
                ["penalty_amount:sum", "indemnity_amount:sum"],
            )
        )
        for move, penalty, indemnity in waivers:
            result[move.id]["penalty_waived"] += penalty
            result[move.id]["indemnity_waived"] += indemnity
        return result

    def _get_dunning_charges(self, date=None):
        """French late-payment charges of these customer invoices on
        ``date`` (today by default): {invoice id: dict} with ``rate`` (the
        yearly rate of the last day, %), ``days`` (days late, to the payment
        date for an invoice paid late), ``penalty`` (the interest accrued,
        each day at its half-year's rate on what was still due that day; what
        a credit note settled was never due), ``indemnity`` (the fixed 40 EUR
        recovery indemnity, in the invoice's currency, for businesses and
        public bodies), ``periods`` (the detail: ``date_from``, ``date_to``,
        ``base``, ``rate``, ``days``, ``amount``), ``kind`` (the customer's
        type), ``currency_id``, ``date_from`` and ``date_to``; and what of
        them was settled: ``penalty_invoiced``, ``indemnity_invoiced`` (on
        charges invoices not cancelled), ``penalty_waived``,
        ``indemnity_waived``, and what is still owed: ``penalty_due`` and
        ``indemnity_due``, the figures every letter, email and button uses.
        A charges invoice bears no charges. The law is in
        ``account.dunning.charges``."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        return self.env["account.dunning.charges"]._compute(invoices, date)

    def action_dunning_invoice_charges(self):
        """The preview of the charges still owed on these invoices, to
        invoice or waive."""
        return self.env["account.dunning.charges"]._action_invoice(self)

    def write(self, vals):
        # a charges invoice cancelled, or back from cancelled, changes what
        # its invoices owe: they say so
        if "state" not in vals:
            return super().write(vals)
        before = {move.id: move.state for move in self}
        lines = self.line_ids.filtered("dunning_charged_move_id")
        result = super().write(vals)
        if lines:
            Charges = self.env["account.dunning.charges"]
            cancelled = lines.filtered(
                lambda line: line.move_id.state == "cancel" and before[line.move_id.id] != "cancel"
            )
            revived = lines.filtered(
                lambda line: line.move_id.state != "cancel" and before[line.move_id.id] == "cancel"
            )
            if cancelled:
                Charges._notify_given_back(cancelled, "cancel")
            if revived:
                Charges._notify_given_back(revived, "draft")
        return result

    def unlink(self):
        lines = self.filtered(lambda move: move.state != "cancel").line_ids.filtered(
            "dunning_charged_move_id"
        )
        if lines:
            self.env["account.dunning.charges"]._notify_given_back(lines, "delete")
        return super().unlink()
