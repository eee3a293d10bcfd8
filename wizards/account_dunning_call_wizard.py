# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.account_dunning import CALL_OUTCOMES
from ..models.account_dunning_dispute import DISPUTE_REASONS
from ..models.dunning_engine_owned import check_readable


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
    line_ids = fields.One2many(
        "account.dunning.call.wizard.line",
        "wizard_id",
        string="Amounts per Currency",
        compute="_compute_line_ids",
        # the amounts due are read with the user's rights
        compute_sudo=False,
        store=True,
        readonly=False,
        help="One promise per company and currency of the invoices discussed: "
        "amounts in different currencies are never added.",
    )
    line_count = fields.Integer(compute="_compute_line_ids", compute_sudo=False, store=True)
    promise_amount = fields.Monetary(
        string="Amount Promised",
        compute="_compute_promise_amount",
        inverse="_inverse_promise_amount",
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
        compute_sudo=False,
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
    def _compute_line_ids(self):
        for wizard in self:
            groups = wizard.move_ids.grouped(lambda move: (move.company_id, move.currency_id))
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "company_id": company.id,
                        "currency_id": currency.id,
                        "move_ids": [fields.Command.set(moves.ids)],
                        "amount_due": sum(moves.mapped("amount_residual")),
                        "amount": sum(moves.mapped("amount_residual")),
                    }
                )
                for (company, currency), moves in groups.items()
            ]
            wizard.line_count = len(groups)

    @api.depends("line_ids.amount")
    def _compute_promise_amount(self):
        """The amount promised when the invoices are in one currency of one
        company; amounts in several currencies have no total."""
        for wizard in self:
            lines = wizard.line_ids
            wizard.promise_amount = lines.amount if len(lines) == 1 else 0.0

    def _inverse_promise_amount(self):
        for wizard in self:
            if len(wizard.line_ids) == 1:
                wizard.line_ids.amount = wizard.promise_amount

    @api.model
    def _action_open(self, moves):
        """The call form on ``moves`` (one customer); the engine's rules say
        which invoices a call may be about."""
        self.env["account.dunning.wizard"]._check_may_remind()
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
        # the levels offered are those of one company's plan (the current
        # company's when it has invoices here); the invoices of another
        # company get the level advised for them (``_get_call_level``)
        companies = allowed_moves.company_id
        company = self.env.company if self.env.company in companies else companies[:1]
        main_moves = allowed_moves.filtered(lambda move: move.company_id == company)
        plan = main_moves[:1].dunning_plan_id
        level_id = self._get_default_level(main_moves, states).id
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

    @api.model
    def _get_default_level(self, moves, states=None):
        """The level a call on ``moves`` (of one company) is logged at
        unless the user picks another: the one advised for them, else their
        last level, else the first level of their plan."""
        proposals = self.env["account.dunning.engine"]._prepare_proposals(
            moves, states=states, purpose="call"
        )
        if proposals:
            return self.env["account.dunning.level"].browse(proposals[0]["level_id"])
        return moves.dunning_level_id[:1] or moves[:1].dunning_plan_id.level_ids[:1]

    def _get_call_level(self, moves):
        """The level of the call for ``moves`` (of one company): the one
        picked when it is of their company's plans, else the default one."""
        if self.level_id.company_id == moves.company_id:
            return self.level_id
        return self._get_default_level(moves)

    def _prepare_call_proposals(self):
        """One reminder per company and currency, as the engine groups
        every reminder: a reminder never adds two currencies."""
        return [
            {
                "company_id": line.company_id.id,
                "partner_id": self.partner_id.id,
                "currency_id": line.currency_id.id,
                "move_ids": line.move_ids.ids,
                "level_id": self._get_call_level(line.move_ids).id,
                "move_level": self.move_level,
                "call_outcome": self.outcome,
                "promise_date": self.promise_date,
                "comment": self.note or False,
            }
            for line in self.line_ids
        ]

    def action_log(self):
        """The call is kept in the history as a reminder of its own, made by
        the engine like every other reminder (one per company and currency)."""
        self.ensure_one()
        reminders, skipped = self.env["account.dunning.engine"]._create_reminders_report(
            self._prepare_call_proposals()
        )
        if not reminders:
            raise UserError(
                skipped[0][1] if skipped else self.env._("There is nothing to log this call on.")
            )
        self._record_outcome(reminders)
        return {"type": "ir.actions.act_window_close"}

    def _record_outcome(self, reminders):
        """What the customer said holds from now on: a promise pauses the
        reminders of the invoices discussed (one promise per company and
        currency, of the amount given for it; none where it is zero), a
        dispute those of the disputed invoices."""
        if self.outcome == "promised":
            by_group = {
                (reminder.company_id, reminder.currency_id): reminder for reminder in reminders
            }
            self.env["account.dunning.promise"].create(
                [
                    {
                        "partner_id": self.partner_id.id,
                        "company_id": line.company_id.id,
                        "move_ids": [fields.Command.set(line.move_ids.ids)],
                        "date": self.promise_date,
                        "amount": line.amount,
                        "note": self.note or False,
                        "reminder_id": by_group.get(
                            (line.company_id, line.currency_id), reminders.browse()
                        ).id,
                    }
                    for line in self.line_ids
                    if line.currency_id.compare_amounts(line.amount, 0) > 0
                ]
            )
        elif self.outcome == "disputed":
            self.env["account.dunning.dispute"].create(
                [
                    {"move_id": move.id, "reason": self.dispute_reason, "note": self.note or False}
                    for move in self.dispute_move_ids
                ]
            )

    @api.constrains("partner_id", "move_ids", "dispute_move_ids", "level_id", "allowed_level_ids")
    def _check_readable(self):
        """Only a customer, invoices and levels the user may read, in the
        companies they selected."""
        check_readable(
            self.partner_id,
            self.move_ids | self.dispute_move_ids,
            self.level_id | self.allowed_level_ids,
        )

    @api.constrains("outcome", "promise_date", "line_ids", "dispute_move_ids")
    def _check_outcome(self):
        for wizard in self:
            if wizard.outcome == "promised" and not wizard.promise_date:
                raise ValidationError(self.env._("Give the date the customer promised to pay by."))
            if wizard.outcome == "promised":
                # the promises' own rule, said before the call is logged
                for company in wizard.line_ids.company_id or self.env.company:
                    error = self.env["account.dunning.promise"]._get_date_error(
                        wizard.promise_date, company
                    )
                    if error:
                        raise ValidationError(error)
            if wizard.outcome == "promised" and (
                any(
                    line.currency_id.compare_amounts(line.amount, 0) < 0 for line in wizard.line_ids
                )
                or all(line.currency_id.is_zero(line.amount) for line in wizard.line_ids)
            ):
                raise ValidationError(
                    self.env._(
                        "Give the amount promised: positive, in at least one currency "
                        "(leave zero for a currency the customer promised nothing in)."
                    )
                )
            if wizard.outcome == "disputed" and not wizard.dispute_move_ids:
                raise ValidationError(self.env._("Choose the invoices the customer disputes."))


class AccountDunningCallWizardLine(models.TransientModel):
    """The invoices of a call in one company and currency, and what the
    customer promised to pay on them, in that currency."""

    _name = "account.dunning.call.wizard.line"
    _description = "Logged Call: Amounts per Currency"

    wizard_id = fields.Many2one(
        "account.dunning.call.wizard", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    amount = fields.Monetary(
        string="Amount Promised",
        help="What the customer promised to pay on these invoices, in their "
        "currency; zero: no promise in this currency.",
    )

    @api.constrains("company_id", "move_ids")
    def _check_readable(self):
        """Only invoices the user may read, in the companies they selected."""
        check_readable(self.company_id, self.move_ids)
