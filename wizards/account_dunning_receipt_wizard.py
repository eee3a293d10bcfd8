# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.dunning_engine_owned import check_readable
from ..models.dunning_tools import check_dunning_access

RECEIPT_OUTCOMES = [
    ("waiting", "Not back yet"),
    ("acknowledged", "Acknowledgement signed"),
    ("returned", "Returned unclaimed"),
]


class AccountDunningReceiptWizard(models.TransientModel):
    """What the post brought back for a registered letter: the signed
    acknowledgement of receipt or the letter returned unclaimed. It
    collects them: the reminder's ``_record_registered_receipt`` records
    them."""

    _name = "account.dunning.receipt.wizard"
    _description = "Record an Acknowledgement of Receipt"

    dunning_id = fields.Many2one("account.dunning", string="Reminder", required=True, readonly=True)
    partner_id = fields.Many2one(related="dunning_id.partner_id")
    letter_posted_date = fields.Date(related="dunning_id.letter_posted_date")
    registered_number = fields.Char(string="Registered Mail Number", required=True)
    outcome = fields.Selection(RECEIPT_OUTCOMES, required=True, default="acknowledged")
    ack_date = fields.Date(
        string="Acknowledged On",
        help="The day written on the acknowledgement of receipt, when the customer signed it.",
    )
    presented_date = fields.Date(
        string="First Presented On",
        help="The day the post first presented the letter, on the returned envelope "
        "or the tracking; leave empty when unknown: the day it was posted counts.",
    )

    @api.constrains("dunning_id")
    def _check_readable(self):
        """Only a reminder the user may read, in the companies they selected."""
        check_readable(self.dunning_id)

    @api.model
    def _action_open(self, reminder):
        """The form for the registered letter of ``reminder``, with what
        was recorded before."""
        check_dunning_access(self.env, "user", self.env._("record acknowledgements of receipt"))
        reminder.check_access("write")
        if not (reminder.registered_letter and reminder.letter_state == "posted"):
            raise UserError(
                self.env._(
                    "Reminder %(ref)s has no registered letter in the post.", ref=reminder.name
                )
            )
        wizard = self.create(
            {
                "dunning_id": reminder.id,
                "registered_number": reminder.registered_number,
                "outcome": "returned" if reminder.registered_returned else "acknowledged",
                "ack_date": reminder.registered_ack_date,
                "presented_date": reminder.registered_presented_date,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Record Acknowledgement"),
        }

    def action_record(self):
        self.ensure_one()
        if self.outcome == "acknowledged" and not self.ack_date:
            raise UserError(self.env._("Enter the day the acknowledgement of receipt was signed."))
        self.dunning_id._record_registered_receipt(
            self.registered_number,
            ack_date=self.outcome == "acknowledged" and self.ack_date,
            returned=self.outcome == "returned",
            presented_date=self.outcome == "returned" and self.presented_date,
        )
        return {"type": "ir.actions.act_window_close"}
