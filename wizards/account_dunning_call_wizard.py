# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.account_dunning import CALL_OUTCOMES
from ..models.account_dunning_dispute import DISPUTE_REASONS


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
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="no_answer")
    promise_date = fields.Date(string="Promised Payment Date")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    promise_amount = fields.Monetary(
        string="Amount Promised",
        compute="_compute_promise",
        store=True,
        readonly=False,
        help="The customer's invoices are not reminded until the promised "
        "date (plus the company's grace days); the promise is kept when "
        "this amount is paid by then.",
    )
    dispute_move_ids = fields.Many2many(
        "account.move",
        "account_dunning_call_wizard_dispute_rel",
        string="Disputed Invoices",
        compute="_compute_dispute_move_ids",
        store=True,
        readonly=False,
        domain="[('id', 'in', move_ids)]",
        help="These invoices are not reminded until their dispute is resolved; "
        "the others go on.",
    )
    dispute_reason = fields.Selection(DISPUTE_REASONS, string="Reason", default="other")
    note = fields.Text()

    @api.depends("outcome", "move_ids")
    def _compute_dispute_move_ids(self):
        for wizard in self:
            # one invoice discussed: that is the one disputed
            single = wizard.move_ids if len(wizard.move_ids) == 1 else wizard.move_ids.browse()
            wizard.dispute_move_ids = single if wizard.outcome == "disputed" else False

    @api.depends("move_ids")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.move_ids.currency_id[:1]

    @api.depends("move_ids")
    def _compute_promise(self):
        for wizard in self:
            wizard.promise_amount = sum(wizard.move_ids.mapped("amount_residual"))

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
        self._record_outcome(reminders[:1])
        return {"type": "ir.actions.act_window_close"}

    def _record_outcome(self, reminder):
        """What the customer said holds from now on: a promise pauses the
        reminders of the invoices discussed, a dispute those of the
        disputed invoices."""
        if self.outcome == "promised":
            self.env["account.dunning.promise"].create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.move_ids.company_id.id,
                    "move_ids": [fields.Command.set(self.move_ids.ids)],
                    "date": self.promise_date,
                    "amount": self.promise_amount,
                    "note": self.note or False,
                    "reminder_id": reminder.id,
                }
            )
        elif self.outcome == "disputed":
            self.env["account.dunning.dispute"].create(
                [
                    {"move_id": move.id, "reason": self.dispute_reason, "note": self.note or False}
                    for move in self.dispute_move_ids
                ]
            )

    @api.constrains("outcome", "promise_date", "promise_amount", "dispute_move_ids")
    def _check_outcome(self):
        for wizard in self:
            if wizard.outcome == "promised" and not wizard.promise_date:
                raise ValidationError(self.env._("Give the date the customer promised to pay by."))
            if wizard.outcome == "disputed" and not wizard.dispute_move_ids:
                raise ValidationError(self.env._("Choose the invoices the customer disputes."))
