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
        "account.dunning.level",
        string="Reminder Level",
        required=True,
        domain="[('id', 'in', allowed_level_ids)]",
    )
    move_level = fields.Boolean(
        string="Move the Invoices to This Level",
        help="The call counts as sending this level: the invoices late enough "
        "for it move to it. Otherwise the call is only recorded (last reminder "
        "date and number of reminders).",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="promised")
    promise_date = fields.Date(string="Promised Payment Date")
    note = fields.Text()

    @api.model
    def _action_open(self, moves):
        """The call form on ``moves`` (one customer); the engine's rules say
        which invoices a call may be about."""
        moves = moves.filtered("dunning_date_due")
        if not moves:
            raise UserError(self.env._("There is no open invoice to remind."))
        if len(moves.commercial_partner_id) > 1:
            raise UserError(self.env._("Log a call for one customer at a time."))
        Engine = self.env["account.dunning.engine"]
        states = moves._get_dunning_states()
        refusals = Engine._get_refusals(moves, states, purpose="call")
        allowed_moves = moves.filtered(lambda m: m.id not in refusals)
        if not allowed_moves:
            move = moves[:1]
            raise UserError(Engine._get_refusal_message(refusals[move.id], states.get(move.id)))
        proposals = Engine._prepare_proposals(allowed_moves, states=states, purpose="call")
        plan = allowed_moves[:1].dunning_plan_id
        if proposals:
            level_id = proposals[0]["level_id"]
        else:
            level_id = (allowed_moves.dunning_level_id[:1] or plan.level_ids[:1]).id
        wizard = self.create(
            {
                "partner_id": allowed_moves.commercial_partner_id.id,
                "move_ids": [fields.Command.set(allowed_moves.ids)],
                "allowed_level_ids": [fields.Command.set(plan.level_ids.ids)],
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
        """The call is kept in the history as a reminder of its own, made by
        the engine like every other reminder."""
        self.ensure_one()
        move = self.move_ids[:1]
        reminders, skipped = self.env["account.dunning.engine"]._create_reminders_report(
            [
                {
                    "company_id": move.company_id.id,
                    "partner_id": self.partner_id.id,
                    "currency_id": move.currency_id.id,
                    "move_ids": self.move_ids.ids,
                    "level_id": self.level_id.id,
                    "move_level": self.move_level,
                    "call_outcome": self.outcome,
                    "promise_date": self.promise_date,
                    "comment": self.note or False,
                }
            ]
        )
        if not reminders:
            raise UserError(
                skipped[0][1] if skipped else self.env._("There is nothing to log this call on.")
            )
        return {"type": "ir.actions.act_window_close"}
