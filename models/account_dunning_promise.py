# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_date

from .dunning_tools import check_dunning_access

PROMISE_STATES = [
    ("open", "Open"),
    ("kept", "Kept"),
    ("broken", "Broken"),
    ("cancel", "Cancelled"),
]


class AccountDunningPromise(models.Model):
    """A customer's promise to pay its invoices by a date. While it is
    open, the invoices are not reminded (``account.dunning.engine
    ._get_refusal``) until the date plus the company's grace days; then it
    is kept when their amount due went down by the amount promised, broken
    otherwise (``_check_promises``, run by the daily job)."""

    _name = "account.dunning.promise"
    _description = "Payment Promise"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'),"
        " ('state', '=', 'posted'), ('dunning_date_due', '!=', False)]",
    )
    date = fields.Date(
        string="Promised Payment Date",
        required=True,
        tracking=True,
        help="The date the customer promised to pay by. Its invoices are not "
        "reminded until this date plus the company's grace days.",
    )
    date_until = fields.Date(
        string="Reminders Paused Until",
        compute="_compute_date_until",
        help="The last day the invoices are not reminded: the promised date plus "
        "the company's grace days. They may be reminded, and the promise is "
        "checked, the day after.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id", store=True)
    amount = fields.Monetary(
        string="Amount Promised",
        required=True,
        tracking=True,
        # in the invoices' currency: never summed across promises, which
        # may be in several currencies
        aggregator=None,
        help="What the customer promised to pay on these invoices, in their currency.",
    )
    residual_start = fields.Monetary(
        string="Due When Promised",
        readonly=True,
        aggregator=None,
        help="What was left to pay on the invoices when the promise was made.",
    )
    amount_paid = fields.Monetary(
        string="Paid Since",
        compute="_compute_amount_paid",
        help="How much the amount due of the invoices went down since the promise.",
    )
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        PROMISE_STATES, default="open", required=True, readonly=True, tracking=True, index=True
    )
    due_this_week = fields.Boolean(compute="_compute_due_this_week", search="_search_due_this_week")
    reminder_id = fields.Many2one(
        "account.dunning", string="Logged Call", readonly=True, index="btree_not_null"
    )

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(customer)s: payment promised by %(date)s",
                customer=promise.partner_id.name or "",
                date=format_date(self.env, promise.date) if promise.date else "",
            )

    @api.depends("date", "company_id.dunning_promise_grace_days")
    def _compute_date_until(self):
        for promise in self:
            promise.date_until = self._get_paused_until(
                promise.date, promise.company_id.dunning_promise_grace_days
            )

    @api.model
    def _get_paused_until(self, promise_date, grace_days):
        """THE last day a promise to pay by ``promise_date`` pauses the
        reminders of its invoices: the promised date plus the company's
        ``grace_days``, that day included. Every path reads it: the
        promise's "Reminders Paused Until", the engine's refusal and the
        next reminder date (``_get_resume_date``), the notes that say
        "no reminder before" and the check that breaks the promise."""
        if not promise_date:
            return False
        return promise_date + timedelta(days=grace_days or 0)

    @api.model
    def _get_resume_date(self, promise_date, grace_days):
        """The first day the invoices of a promise may be reminded again:
        the day after ``_get_paused_until``."""
        until = self._get_paused_until(promise_date, grace_days)
        return until and until + timedelta(days=1)

    @api.model
    def _get_week_end(self):
        """A week from the user's today: what a credit controller checks
        this week, the promises already due included."""
        return fields.Date.context_today(self) + timedelta(days=7)

    @api.depends("date")
    @api.depends_context("tz")
    def _compute_due_this_week(self):
        week_end = self._get_week_end()
        for promise in self:
            promise.due_this_week = bool(promise.date) and promise.date <= week_end

    def _search_due_this_week(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        if bool(value) == (operator == "="):
            return [("date", "<=", self._get_week_end())]
        return [("date", ">", self._get_week_end())]

    @api.depends("move_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for promise in self:
            promise.currency_id = promise.move_ids.currency_id[:1] or promise.company_id.currency_id

    @api.depends("residual_start", "move_ids.amount_residual")
    def _compute_amount_paid(self):
        for promise in self:
            promise.amount_paid = promise.residual_start - sum(
                promise.move_ids.mapped("amount_residual")
            )

    @api.constrains("move_ids", "partner_id")
    def _check_moves(self):
        for promise in self:
            if promise.move_ids.commercial_partner_id - promise.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("A promise is about invoices of its customer only.")
                )
            if len(promise.move_ids.currency_id) > 1:
                raise ValidationError(
                    self.env._(
                        "A promise is about invoices in one currency: make one per currency."
                    )
                )

    @api.constrains("amount")
    def _check_amount(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(self.env._("The amount promised must be positive."))

    @api.constrains("move_ids", "amount")
    def _check_invoices(self):
        """A promise is about open customer invoices (posted, not paid),
        for no more than what they still owe, in their currency."""
        for promise in self:
            if not promise.move_ids:
                raise ValidationError(
                    self.env._("A promise is about at least one open invoice of its customer.")
                )
            closed = promise.move_ids.filtered(
                lambda move: move.move_type != "out_invoice"
                or move.state != "posted"
                or not move.dunning_date_due
            )
            if closed:
                raise ValidationError(
                    self.env._(
                        "A promise is about open customer invoices only: %(invoices)s is not "
                        "one (a draft, a paid or cancelled invoice, a credit note or a bill).",
                        invoices=", ".join(closed.mapped("display_name")),
                    )
                )
            currency = promise.currency_id
            owed = sum(promise.move_ids.mapped("amount_residual"))
            # several currencies are refused by _check_moves, never added
            if len(promise.move_ids.currency_id) == 1 and (
                currency.compare_amounts(promise.amount, owed) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The amount promised (%(amount)s) is more than the invoices still owe "
                        "(%(owed)s).",
                        amount=currency.format(promise.amount),
                        owed=currency.format(owed),
                    )
                )

    @api.constrains("date", "company_id")
    def _check_date(self):
        for promise in self:
            error = self._get_date_error(promise.date, promise.company_id)
            if error:
                raise ValidationError(error)

    @api.model
    def _get_date_error(self, promise_date, company):
        """Why a user may not record a promise to pay by ``promise_date`` in
        ``company``, in words, or False: a promise is for a date from the
        company's today to one year ahead (reminders would else be paused
        for centuries). The engine (the superuser) may record any date."""
        if self.env.su or not promise_date:
            return False
        today = self.env["account.dunning.engine"]._get_today(company or self.env.company)
        latest = today + relativedelta(years=1)
        if today <= promise_date <= latest:
            return False
        return self.env._(
            "The promised payment date must be between today (%(today)s) and one year ahead "
            "(%(latest)s).",
            today=format_date(self.env, today),
            latest=format_date(self.env, latest),
        )

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            promise.residual_start = sum(promise.move_ids.mapped("amount_residual"))
            promise.partner_id = promise.partner_id.commercial_partner_id
            promise._log_on_invoices(
                self.env._(
                    "Payment promised by %(date)s (%(amount)s): no reminder before %(resume)s.",
                    date=format_date(self.env, promise.date),
                    amount=promise.currency_id.format(promise.amount),
                    resume=format_date(
                        self.env,
                        self._get_resume_date(
                            promise.date, promise.company_id.dunning_promise_grace_days
                        ),
                    ),
                )
            )
        return promises

    def _log_on_invoices(self, body):
        for move in self.move_ids:
            move.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Kept or broken
    # ------------------------------------------------------------------

    def _is_kept(self):
        self.ensure_one()
        return (
            float_compare(
                self.amount_paid, self.amount, precision_rounding=self.currency_id.rounding
            )
            >= 0
        )

    @api.model
    def _check_promises(self, company=None):
        """Close the open promises of ``company`` (the current one) that
        are settled: kept as soon as the invoices' amount due went down by
        the amount promised; broken once the grace days after the promised
        date passed without it. A broken promise gets an activity for the
        customer's reminder responsible; its invoices go back to their
        advised level. Returns (kept, broken)."""
        company = company or self.env.company
        today = self.env["account.dunning.engine"]._get_today(company)
        promises = self.search([("state", "=", "open"), ("company_id", "=", company.id)])
        kept = promises.filtered(lambda promise: promise._is_kept())
        # broken on the first day its invoices may be reminded again
        broken = (promises - kept).filtered(lambda promise: promise.date_until < today)
        kept.action_mark_kept()
        if broken:
            broken.write({"state": "broken"})
            responsibles = broken.partner_id._get_dunning_responsibles(company)
            for promise in broken:
                user = responsibles[promise.partner_id.id]
                promise._log_on_invoices(
                    self.env._(
                        "The payment promised by %(date)s did not come: reminders resume.",
                        date=format_date(self.env, promise.date),
                    )
                )
                if user:
                    promise.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=user.id,
                        summary=self.with_context(lang=user.lang).env._(
                            "Broken promise: %(customer)s did not pay %(amount)s by %(date)s",
                            customer=promise.partner_id.name,
                            amount=promise.currency_id.format(promise.amount),
                            date=format_date(self.with_context(lang=user.lang).env, promise.date),
                        ),
                    )
        return kept, broken

    def action_mark_kept(self):
        self._check_promise_access()
        self.filtered(lambda promise: promise.state == "open").write({"state": "kept"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        """The promise no longer holds: its invoices are reminded again."""
        self._check_promise_access()
        if self.filtered(lambda promise: promise.state != "open"):
            raise UserError(self.env._("Only an open promise can be cancelled."))
        self.write({"state": "cancel"})
        for promise in self:
            promise._log_on_invoices(self.env._("Payment promise cancelled: reminders resume."))

    @api.model
    def _check_promise_access(self):
        """Promises are recorded, kept or cancelled by reminder users only."""
        check_dunning_access(self.env, "user", self.env._("record or change payment promises"))

    @api.model
    def _action_new(self, moves):
        """The promise form on the open invoices ``moves`` of one customer."""
        self._check_promise_access()
        moves = moves.filtered("dunning_date_due")
        if not moves:
            raise UserError(self.env._("There is no open invoice to promise a payment for."))
        if len(moves.commercial_partner_id) > 1:
            raise UserError(self.env._("Record a promise for one customer at a time."))
        if len(moves.company_id) > 1 or len(moves.currency_id) > 1:
            # a promise is in one currency: never a total of two
            raise UserError(
                self.env._(
                    "These invoices are in several currencies or companies: a promise is "
                    "about invoices in one currency of one company. Select those "
                    "invoices, or log a call, which records one promise per currency."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Promise"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": moves.commercial_partner_id.id,
                "default_company_id": moves.company_id.id,
                "default_move_ids": moves.ids,
                "default_amount": sum(moves.mapped("amount_residual")),
            },
        }
