# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_compare

# Operators that turn "days overdue OP n" into "due date OP' today - n".
_DAYS_TO_DATE_OPERATOR = {
    "=": "=",
    "!=": "!=",
    ">": "<",
    ">=": "<=",
    "<": ">",
    "<=": ">=",
}


# The workbench's filters: (filter, field of the invoice, operator).
_WORKBENCH_FILTERS = [
    ("partner_ids", "commercial_partner_id", "in"),
    ("date_due_from", "dunning_date_due", ">="),
    ("date_due_to", "dunning_date_due", "<="),
    ("days_from", "dunning_days_overdue", ">="),
    ("days_to", "dunning_days_overdue", "<="),
    ("last_level_ids", "dunning_level_id", "in"),
    ("advised_level_ids", "dunning_advised_level_id", "in"),
    ("plan_ids", "dunning_plan_id", "in"),
    ("responsible_ids", "commercial_partner_id.dunning_responsible_id", "in"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Last Reminder Level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="The last reminder level sent for this invoice.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        copy=False,
        readonly=True,
    )
    dunning_count = fields.Integer(
        string="Reminders Sent",
        copy=False,
        readonly=True,
    )
    dunning_blocked = fields.Boolean(
        string="Do Not Remind This Invoice",
        copy=False,
        tracking=True,
    )
    dunning_date_due = fields.Date(
        string="Reminder Due Date",
        compute="_compute_dunning_date_due",
        store=True,
        index="btree_not_null",
        help="Due date of the earliest installment still open; empty once the invoice is paid.",
    )
    dunning_days_overdue = fields.Integer(
        string="Days Late",
        compute="_compute_dunning_days_overdue",
        search="_search_dunning_days_overdue",
        help="Days since the due date of the earliest open installment; negative before it.",
    )
    dunning_plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Reminder Plan",
        compute="_compute_dunning_plan_id",
        store=True,
        index="btree_not_null",
        help="The customer's plan, else the company's plan for the customer's "
        "type, else the company's default plan.",
    )
    dunning_advised_level_id = fields.Many2one(
        "account.dunning.level",
        string="Advised Level",
        compute="_compute_dunning_state",
        search="_search_dunning_advised_level_id",
        help="The level this invoice should get now: the highest level of its "
        "plan whose days are reached, never below the last level sent.",
    )
    dunning_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_dunning_state",
        help="When the next level becomes due, respecting the minimum number "
        "of days between two reminders to one customer.",
    )
    dunning_to_remind = fields.Boolean(
        string="To Remind",
        compute="_compute_dunning_state",
        search="_search_dunning_to_remind",
        help="Open, not blocked, not below the minimum amount, with an advised "
        "level above the last level sent and no reminder to this customer "
        "within the minimum interval.",
    )
    dunning_direct_debit = fields.Boolean(
        string="Paid by Direct Debit",
        related="preferred_payment_method_line_id.dunning_direct_debit",
    )

    # ------------------------------------------------------------------
    # Due date, days late, plan
    # ------------------------------------------------------------------

    @api.depends(
        "move_type",
        "state",
        "line_ids.date_maturity",
        "line_ids.amount_residual",
        "line_ids.reconciled",
        "line_ids.account_id.account_type",
    )
    def _compute_dunning_date_due(self):
        for move in self:
            if move.move_type != "out_invoice" or move.state != "posted":
                move.dunning_date_due = False
                continue
            open_terms = move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
                and line.amount_residual > 0
            )
            move.dunning_date_due = min(
                (line.date_maturity or move.invoice_date_due for line in open_terms),
                default=False,
            )

    @api.depends("dunning_date_due")
    @api.depends_context("date")
    def _compute_dunning_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.dunning_days_overdue = (
                (today - move.dunning_date_due).days if move.dunning_date_due else 0
            )

    def _search_dunning_days_overdue(self, operator, value):
        if operator not in _DAYS_TO_DATE_OPERATOR or not isinstance(value, int):
            return NotImplemented
        today = fields.Date.context_today(self)
        return [
            ("dunning_date_due", "!=", False),
            (
                "dunning_date_due",
                _DAYS_TO_DATE_OPERATOR[operator],
                today - timedelta(days=value),
            ),
        ]

    @api.depends(
        "move_type",
        "company_id",
        "commercial_partner_id.dunning_plan_id",
        "commercial_partner_id.dunning_customer_type",
    )
    def _compute_dunning_plan_id(self):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        (self - invoices).dunning_plan_id = False
        for company, moves in invoices.grouped("company_id").items():
            plans = moves.commercial_partner_id._get_dunning_plan(company)
            for move in moves:
                move.dunning_plan_id = plans.get(move.commercial_partner_id.id)

    @api.model
    def _dunning_recompute_plan(self, companies):
        """Recompute the plan of the open customer invoices of ``companies``
        after a change to the rules that choose plans."""
        moves = self.sudo().search(
            [
                ("company_id", "in", companies.ids),
                ("move_type", "=", "out_invoice"),
                ("dunning_date_due", "!=", False),
            ]
        )
        if moves:
            self.env.add_to_compute(self._fields["dunning_plan_id"], moves)

    # ------------------------------------------------------------------
    # Advised level, next date, "to remind"
    # ------------------------------------------------------------------

    @api.model
    def _get_dunning_open_domain(self):
        """Invoices that reminders are about: posted customer invoices with
        an open installment, in the companies of the context."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("dunning_date_due", "!=", False),
            ("company_id", "in", self.env.companies.ids),
        ]

    def _get_dunning_partner_last_dates(self):
        """{(commercial partner id, company id): date of its last reminder}."""
        if not self:
            return {}
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("dunning_last_date", "!=", False),
                ],
                ["commercial_partner_id", "company_id"],
                ["dunning_last_date:max"],
            )
        )
        return {(partner.id, company.id): last_date for partner, company, last_date in groups}

    @api.depends(
        "dunning_date_due",
        "dunning_plan_id.level_ids.days",
        "dunning_plan_id.one_level_at_a_time",
        "dunning_level_id",
        "dunning_blocked",
        "commercial_partner_id.dunning_blocked",
        "amount_residual_signed",
        "company_id.dunning_min_amount",
        "company_id.dunning_min_interval_days",
        "company_id.dunning_exclude_direct_debit",
        "preferred_payment_method_line_id.dunning_direct_debit",
    )
    @api.depends_context("date")
    def _compute_dunning_state(self):
        today = fields.Date.context_today(self)
        last_dates = self.filtered("dunning_date_due")._get_dunning_partner_last_dates()
        for move in self:
            state = move._get_dunning_state(today, last_dates)
            move.dunning_advised_level_id = state["advised_level"]
            move.dunning_next_date = state["next_date"]
            move.dunning_to_remind = state["to_remind"]

    def _get_dunning_state(self, today, last_dates):
        """Where this invoice stands in its plan on ``today``: the advised
        level, the date the next level is due and whether it is to remind.
        ``last_dates`` maps (customer, company) to its last reminder date."""
        self.ensure_one()
        Level = self.env["account.dunning.level"]
        state = {"advised_level": Level, "next_date": False, "to_remind": False}
        plan = self.dunning_plan_id
        if not (self.dunning_date_due and plan):
            return state
        days = (today - self.dunning_date_due).days
        last = self.dunning_level_id
        advised = plan._get_advised_level(days, last)
        state["advised_level"] = advised
        company = self.company_id
        partner_last = last_dates.get((self.commercial_partner_id.id, company.id))
        earliest = (
            partner_last + timedelta(days=company.dunning_min_interval_days)
            if partner_last
            else False
        )
        upcoming = plan._get_level_after(last)
        if upcoming:
            due = self.dunning_date_due + timedelta(days=upcoming.days)
            state["next_date"] = max(due, earliest) if earliest else due
        state["to_remind"] = bool(
            advised
            and (not last or advised.days > last.days)
            and not (earliest and earliest > today)
            and self._is_dunning_allowed()
        )
        return state

    def _is_dunning_allowed(self):
        """Whether this invoice may be reminded at all, whatever its level:
        not blocked, not paid by direct debit, not below the minimum."""
        self.ensure_one()
        company = self.company_id
        if self.dunning_blocked or self.commercial_partner_id.dunning_blocked:
            return False
        if company.dunning_exclude_direct_debit and self.dunning_direct_debit:
            return False
        return (
            float_compare(
                self.amount_residual_signed,
                company.dunning_min_amount,
                precision_rounding=company.currency_id.rounding,
            )
            >= 0
        )

    def _search_dunning_by_state(self, predicate):
        """Ids of the open invoices whose reminder state matches
        ``predicate``: the state is computed in Python, once per batch, so
        that search and display follow the same (overridable) rule."""
        moves = self.search_fetch(
            self._get_dunning_open_domain(),
            [
                "dunning_date_due",
                "dunning_plan_id",
                "dunning_level_id",
                "dunning_blocked",
                "commercial_partner_id",
                "company_id",
                "amount_residual_signed",
                "preferred_payment_method_line_id",
            ],
        )
        today = fields.Date.context_today(self)
        last_dates = moves._get_dunning_partner_last_dates()
        return [move.id for move in moves if predicate(move._get_dunning_state(today, last_dates))]

    def _search_dunning_to_remind(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        wanted = bool(value) == (operator == "=")
        ids = self._search_dunning_by_state(lambda state: state["to_remind"])
        return [("id", "in" if wanted else "not in", ids)]

    def _search_dunning_advised_level_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            ids = self._search_dunning_by_state(lambda state: bool(state["advised_level"]))
            return [("id", "in" if operator == "!=" else "not in", ids)]
        if operator in ("in", "not in", "=", "!="):
            level_ids = set(value if isinstance(value, list | tuple) else [value])
            ids = self._search_dunning_by_state(
                lambda state: state["advised_level"].id in level_ids
            )
            positive = operator in ("in", "=")
            return [("id", "in" if positive else "not in", ids)]
        levels = self.env["account.dunning.level"]._search([("display_name", operator, value)])
        level_ids = set(levels)
        ids = self._search_dunning_by_state(lambda state: state["advised_level"].id in level_ids)
        return [("id", "in", ids)]

    @api.model
    def _get_dunning_workbench_domain(self, filters):
        """Domain of the workbench's invoices for the filters the user set
        (a dict with the filter fields of ``account.dunning.wizard``)."""
        domain = self._get_dunning_open_domain()
        for key, fname, operator in _WORKBENCH_FILTERS:
            if filters.get(key):
                domain.append((fname, operator, filters[key]))
        if not filters.get("include_not_due"):
            domain.append(("dunning_days_overdue", ">", 0))
        if filters.get("hide_direct_debit"):
            domain.append(("dunning_direct_debit", "=", False))
        if filters.get("only_positive_balance"):
            domain.append(("commercial_partner_id", "in", self._get_dunning_positive_partners()))
        return domain

    @api.model
    def _get_dunning_positive_partners(self):
        """Customers whose receivable balance (invoices less credit notes
        and unreconciled payments) is above zero, in one query."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "in", self.env.companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        )
        balances = defaultdict(float)
        for partner, amount in groups:
            balances[partner.commercial_partner_id.id] += amount
        return [pid for pid, amount in balances.items() if amount > 0]

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def _action_dunning_quick(self, channel):
        """Open the workbench on these invoices, prepared for one channel."""
        return self.env["account.dunning.wizard"]._action_open_prepared(self, channel)

    def action_dunning_remind_email(self):
        return self._action_dunning_quick("email")

    def action_dunning_remind_letter(self):
        return self._action_dunning_quick("letter")

    def action_dunning_log_call(self):
        return self.env["account.dunning.call.wizard"]._action_open(self)

    def action_dunning_block(self):
        self.dunning_blocked = True

    def action_dunning_unblock(self):
        self.dunning_blocked = False
