# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.account_dunning import CALL_OUTCOMES


class AccountDunningCallWizard(models.TransientModel):
    """Log a reminder made by phone: who, when, what the customer said."""

    _name = "account.dunning.call.wizard"
    _description = "Log a Reminder Call"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    allowed_level_ids = fields.Many2many("account.dunning.level")
    level_id = fields.Many2one(
        "account.dunning.level", required=True, domain="[('id', 'in', allowed_level_ids)]"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="promised")
    promise_date = fields.Date(string="Promised Payment Date")
    note = fields.Text()

    @api.model
    def _action_open(self, moves):
        moves = moves.filtered("dunning_date_due")
        if not moves:
            raise UserError(self.env._("There is no open invoice to remind."))
        if len(moves.commercial_partner_id) > 1:
            raise UserError(self.env._("Log a call for one customer at a time."))
        proposals = self.env["account.dunning"]._prepare_proposals(moves)
        if proposals:
            level_id, allowed = proposals[0]["level_id"], proposals[0]["allowed_level_ids"]
        else:
            plan = moves[:1].dunning_plan_id
            allowed = plan.level_ids.ids
            level_id = (moves.dunning_level_id[:1] or plan.level_ids[:1]).id
        wizard = self.create(
            {
                "partner_id": moves.commercial_partner_id.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "allowed_level_ids": [fields.Command.set(allowed)],
                "level_id": level_id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Log a Reminder Call"),
        }

    def action_log(self):
        """The call becomes a reminder of its own, through the same entry
        point as every other reminder."""
        self.ensure_one()
        move = self.move_ids[:1]
        reminders = self.env["account.dunning"]._create_reminders(
            [
                {
                    "company_id": move.company_id.id,
                    "partner_id": self.partner_id.id,
                    "currency_id": move.currency_id.id,
                    "move_ids": self.move_ids.ids,
                    "level_id": self.level_id.id,
                    "call_outcome": self.outcome,
                    "promise_date": self.promise_date,
                    "comment": self.note or False,
                }
            ]
        )
        if not reminders:
            raise UserError(self.env._("These invoices were already reminded today at this level."))
        return {"type": "ir.actions.act_window_close"}
