# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.dunning_engine_owned import check_readable


class AccountDunningChargesWizard(models.TransientModel):
    """*Invoice the Charges*: the late-payment charges still owed, one line
    per invoice, before anything is invoiced or waived. An amount lowered
    is invoiced or waived in part: the rest stays owed."""

    _name = "account.dunning.charges.wizard"
    _description = "Invoice or Waive Late-Payment Charges"

    date = fields.Date(
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        help="The charges are computed at this date.",
    )
    line_ids = fields.One2many("account.dunning.charges.wizard.line", "wizard_id", string="Lines")
    reason = fields.Text(
        string="Reason for Waiving",
        help="Why the charges are given up: kept with the waiver and in the invoices' history.",
    )
    waive = fields.Boolean(
        string="Opened to Waive",
        readonly=True,
        help="Opened from *Waive the Charges*: the reason comes first.",
    )

    @api.model
    def _action_open(self, moves, waive=False):
        """The preview of the charges still owed on ``moves`` today."""
        Charges = self.env["account.dunning.charges"]
        Charges._check_charges_access()
        date = fields.Date.context_today(self)
        groups = Charges._get_to_charge(moves, date)
        if not groups:
            raise UserError(self.env._("There are no late-payment charges left to invoice."))
        wizard = self.create(
            {
                "date": date,
                "waive": waive,
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "penalty_due": penalty,
                            "indemnity_due": indemnity,
                            "penalty": penalty,
                            "indemnity": indemnity,
                        }
                    )
                    for items in groups.values()
                    for move, penalty, indemnity in items
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive the Charges") if waive else self.env._("Invoice the Charges"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                key: value
                for key, value in self.env.context.items()
                if key == "dunning_charges_report_ids"
            },
        }

    def _get_amounts(self):
        return {line.move_id.id: (line.penalty, line.indemnity) for line in self.line_ids}

    def action_invoice(self):
        """Invoice the amounts of the lines."""
        self.ensure_one()
        Charges = self.env["account.dunning.charges"]
        invoices = Charges._invoice_charges(
            self.line_ids.move_id, date=self.date, amounts=self._get_amounts()
        )
        self._refresh_report()
        return Charges._action_open_invoices(invoices)

    def action_waive(self):
        """Waive the amounts of the lines, for the reason given."""
        self.ensure_one()
        self.env["account.dunning.charges"]._invoice_charges(
            self.line_ids.move_id,
            date=self.date,
            waive=True,
            amounts=self._get_amounts(),
            reason=self.reason,
        )
        self._refresh_report()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The late-payment charges are waived."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _refresh_report(self):
        """Opened from the *Late-Payment Charges* screen: its lines say
        what is owed now."""
        report_ids = self.env.context.get("dunning_charges_report_ids")
        if report_ids:
            self.env["account.dunning.charges.report"].browse(report_ids).exists()._refresh()


class AccountDunningChargesWizardLine(models.TransientModel):
    _name = "account.dunning.charges.wizard.line"
    _description = "Late-Payment Charges of an Invoice, to Invoice or Waive"

    wizard_id = fields.Many2one("account.dunning.charges.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    # read with the user's rights: an invoice they may not read is refused
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", compute_sudo=False, string="Customer"
    )
    currency_id = fields.Many2one(related="move_id.currency_id", compute_sudo=False)
    date_due = fields.Date(
        related="move_id.invoice_date_due", compute_sudo=False, string="Due Date"
    )
    penalty_due = fields.Monetary(string="Penalties Owed", readonly=True)
    indemnity_due = fields.Monetary(string="Indemnity Owed", readonly=True)
    penalty = fields.Monetary(
        string="Penalties",
        help="The penalties to invoice or waive; lower it to leave the rest owed.",
    )
    indemnity = fields.Monetary(
        help="The recovery indemnity to invoice or waive; lower it to leave the rest owed.",
    )

    @api.constrains("move_id")
    def _check_move_id(self):
        """Only invoices the user may read, in the companies they selected."""
        check_readable(self.move_id)
