# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

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
    dunning_dispute_ids = fields.One2many(
        "account.dunning.dispute", "move_id", string="Disputes", copy=False
    )
    dunning_disputed = fields.Boolean(
        string="Disputed",
        compute="_compute_dunning_disputed",
        search="_search_dunning_disputed",
        help="An open dispute: the invoice is not reminded until it is resolved.",
    )
    dunning_promise_ids = fields.Many2many(
        "account.dunning.promise",
        "account_dunning_promise_move_rel",
        "move_id",
        "promise_id",
        string="Payment Promises",
        copy=False,
    )
    dunning_penalty_charged = fields.Monetary(
        string="Penalties Charged",
        copy=False,
        readonly=True,
        help="Late-payment penalties already invoiced to the customer or waived.",
    )
    dunning_indemnity_charged = fields.Boolean(
        string="Indemnity Charged",
        copy=False,
        readonly=True,
        help="The recovery indemnity was invoiced to the customer or waived.",
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
    dunning_refusal = fields.Char(
        string="Not Remindable",
        compute="_compute_dunning_state",
        help="Why the rules do not let this invoice be reminded now.",
    )
    dunning_direct_debit = fields.Boolean(
        string="Paid by Direct Debit",
        related="preferred_payment_method_line_id.dunning_direct_debit",
    )
    dunning_amount_residual = fields.Monetary(
        string="Due in Currency",
        related="amount_residual",
        # never summed: a group of invoices may mix currencies; the
        # company-currency column carries the totals
        aggregator=None,
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

    @api.depends(
        "dunning_date_due",
        "dunning_plan_id.level_ids.days",
        "dunning_plan_id.one_level_at_a_time",
        "dunning_level_id",
        "dunning_blocked",
        "commercial_partner_id.dunning_blocked",
        # the residual through the lines, not amount_residual_signed: that one
        # also depends on the payments' state, and a relational field computed
        # from it (the advised level) makes Odoo search a payment's invoices
        # before each write on the payment (two queries per payment)
        "line_ids.amount_residual",
        "company_id.dunning_min_amount",
        "company_id.dunning_min_interval_days",
        "company_id.dunning_exclude_direct_debit",
        "preferred_payment_method_line_id.dunning_direct_debit",
    )
    @api.depends_context("date")
    def _compute_dunning_state(self):
        states = self.filtered("dunning_date_due")._origin._get_dunning_states()
        Engine = self.env["account.dunning.engine"]
        for move in self:
            state = states.get(move._origin.id) or {}
            move.dunning_advised_level_id = state.get("advised_level_id", False)
            move.dunning_next_date = state.get("next_date", False)
            move.dunning_to_remind = state.get("to_remind", False)
            move.dunning_refusal = state.get("refusal") and Engine._get_refusal_message(
                state["refusal"], state, short=True
            )

    def _get_dunning_states(self):
        """{invoice id: reminder state} of these invoices today (see
        ``_get_dunning_state``), in a handful of queries whatever their
        number."""
        ids = [move_id for move_id in self.ids if move_id]
        if not ids:
            return {}
        return self._get_dunning_states_where(SQL("move.id = ANY(%s)", ids))

    @api.model
    def _get_dunning_states_for_domain(self, domain):
        """{invoice id: reminder state} of the open invoices matching
        ``domain`` (with the user's access rules), in a handful of queries."""
        query = self._search(self._get_dunning_open_domain() + list(domain or []))
        return self._get_dunning_states_where(SQL("move.id IN %s", query.subselect()))

    @api.model
    def _get_dunning_states_where(self, condition):
        """The reminder state of the open invoices that meet the SQL
        ``condition`` on ``move``: their values in one query, the plans,
        companies and last reminder dates they need in one query each, then
        the rule of ``_get_dunning_state`` on plain values."""
        self.flush_model(
            [
                "dunning_date_due",
                "dunning_plan_id",
                "dunning_level_id",
                "dunning_last_date",
                "dunning_blocked",
                "commercial_partner_id",
                "company_id",
                "currency_id",
                "amount_residual_signed",
                "preferred_payment_method_line_id",
            ]
        )
        self.env["res.partner"].flush_model(["dunning_blocked"])
        self.env["account.payment.method.line"].flush_model(["dunning_direct_debit"])
        self.env["account.dunning.level"].flush_model(["plan_id", "days"])
        self.env["account.dunning.dispute"].flush_model(["move_id", "state"])
        self.env["account.dunning.promise"].flush_model(["move_ids", "date", "state"])
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT move.id,
                       move.dunning_date_due AS date_due,
                       move.dunning_plan_id AS plan_id,
                       move.dunning_level_id AS last_level_id,
                       last_level.days AS last_days,
                       move.dunning_blocked AS blocked,
                       COALESCE(partner.dunning_blocked, FALSE) AS blocked_partner,
                       move.commercial_partner_id AS partner_id,
                       move.company_id,
                       move.currency_id,
                       move.amount_residual_signed AS residual,
                       COALESCE(method.dunning_direct_debit, FALSE) AS direct_debit,
                       dispute.move_id IS NOT NULL AS disputed,
                       promise.promise_date
                  FROM account_move move
             LEFT JOIN res_partner partner ON partner.id = move.commercial_partner_id
             LEFT JOIN account_dunning_level last_level ON last_level.id = move.dunning_level_id
             LEFT JOIN account_payment_method_line method
                       ON method.id = move.preferred_payment_method_line_id
             -- open disputes and promises: a few rows, joined once
             LEFT JOIN (
                       SELECT DISTINCT move_id FROM account_dunning_dispute WHERE state = 'open'
                  ) dispute ON dispute.move_id = move.id
             LEFT JOIN (
                       SELECT rel.move_id, MAX(open_promise.date) AS promise_date
                         FROM account_dunning_promise open_promise
                         JOIN account_dunning_promise_move_rel rel
                              ON rel.promise_id = open_promise.id
                        WHERE open_promise.state = 'open'
                        GROUP BY rel.move_id
                  ) promise ON promise.move_id = move.id
                 WHERE move.dunning_date_due IS NOT NULL AND %s
                """,
                condition,
            )
        )
        if not rows:
            return {}
        rules = self._get_dunning_rules(rows)
        return {row["id"]: self._get_dunning_state(row, rules) for row in rows}

    @api.model
    def _get_dunning_rules(self, rows):
        """What the state of the invoices ``rows`` depends on beyond their
        own values: today, their plans' steps, their companies' settings
        and the last reminder date of each customer in each company."""
        plans = self.env["account.dunning.plan"].browse({row["plan_id"] for row in rows} - {None})
        companies = self.env["res.company"].sudo().browse({row["company_id"] for row in rows})
        last_dates = {
            (partner_id, company_id): last_date
            for partner_id, company_id, last_date in self.env.execute_query(
                SQL(
                    "SELECT commercial_partner_id, company_id, MAX(dunning_last_date) "
                    "FROM account_move WHERE commercial_partner_id = ANY(%s) "
                    "AND company_id = ANY(%s) AND dunning_last_date IS NOT NULL "
                    "GROUP BY commercial_partner_id, company_id",
                    list({row["partner_id"] for row in rows}),
                    companies.ids,
                )
            )
        }
        return {
            "today": fields.Date.context_today(self),
            "ladders": plans._get_ladders(),
            "companies": {
                company.id: {
                    "min_amount": company.dunning_min_amount,
                    "rounding": company.currency_id.rounding,
                    "min_interval_days": company.dunning_min_interval_days,
                    "exclude_direct_debit": company.dunning_exclude_direct_debit,
                    "promise_grace_days": company.dunning_promise_grace_days,
                }
                for company in companies
            },
            "last_dates": last_dates,
        }

    @api.model
    def _get_dunning_state(self, values, rules):
        """Where one invoice stands in its plan today, from its plain
        ``values`` (see ``_get_dunning_states_where``) and the ``rules`` of
        ``_get_dunning_rules``: the advised level (the highest level
        reached, never below the last level sent), the date the next level
        is due (not before the customer's minimum interval), why it may not
        be reminded (the engine's ``_get_refusal``) and whether it is to
        remind now. Returns a dict with ``advised_level_id``,
        ``advised_days``, ``next_date``, ``earliest``, ``refusal``,
        ``to_remind`` and the invoice's ``last_level_id``, ``partner_id``,
        ``company_id``, ``currency_id``."""
        state = {
            "advised_level_id": False,
            "advised_days": None,
            "next_date": False,
            "earliest": False,
            "refusal": False,
            "to_remind": False,
            "last_level_id": values["last_level_id"] or False,
            "partner_id": values["partner_id"],
            "company_id": values["company_id"],
            "currency_id": values["currency_id"],
        }
        today = rules["today"]
        company = rules["companies"][values["company_id"]]
        partner_last = rules["last_dates"].get((values["partner_id"], values["company_id"]))
        earliest = (
            partner_last + timedelta(days=company["min_interval_days"]) if partner_last else False
        )
        if values.get("promise_date"):
            # no reminder until the promised date and its grace days passed
            state["promise_date"] = values["promise_date"]
            state["promise_until"] = values["promise_date"] + timedelta(
                days=company["promise_grace_days"]
            )
            pause_end = state["promise_until"] + timedelta(days=1)
            earliest = max(earliest, pause_end) if earliest else pause_end
        state["disputed"] = bool(values.get("disputed"))
        state["earliest"] = earliest
        state["refusal"] = self.env["account.dunning.engine"]._get_refusal(
            values, company, today, earliest
        )
        ladder = rules["ladders"].get(values["plan_id"])
        if not (values["date_due"] and ladder):
            return state
        Plan = self.env["account.dunning.plan"]
        steps, one_level_at_a_time, notice_ids = ladder
        last_id = values["last_level_id"]
        last_days = values["last_days"] if last_id else None
        advised = Plan._get_advised_step(
            steps, one_level_at_a_time, (today - values["date_due"]).days, last_days, notice_ids
        )
        if last_id and (not advised or advised[0] < last_days):
            advised = (last_days, last_id)
        upcoming = Plan._get_step_after(steps, last_days)
        if upcoming:
            due = values["date_due"] + timedelta(days=upcoming[0])
            state["next_date"] = max(due, earliest) if earliest else due
        if advised:
            state["advised_days"], state["advised_level_id"] = advised
        state["to_remind"] = bool(
            advised and (last_days is None or advised[0] > last_days) and not state["refusal"]
        )
        return state

    def _search_dunning_by_state(self, predicate):
        """Ids of the open invoices whose reminder state matches
        ``predicate``: the state is computed once for all of them, so that
        search and display follow the same (overridable) rule."""
        states = self._get_dunning_states_for_domain([])
        return [move_id for move_id, state in states.items() if predicate(state)]

    def _search_dunning_to_remind(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        wanted = bool(value) == (operator == "=")
        ids = self._search_dunning_by_state(lambda state: state["to_remind"])
        return [("id", "in" if wanted else "not in", ids)]

    def _search_dunning_advised_level_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            ids = self._search_dunning_by_state(lambda state: bool(state["advised_level_id"]))
            return [("id", "in" if operator == "!=" else "not in", ids)]
        if operator in ("in", "not in", "=", "!="):
            level_ids = set(value if isinstance(value, list | tuple) else [value])
            ids = self._search_dunning_by_state(
                lambda state: state["advised_level_id"] in level_ids
            )
            positive = operator in ("in", "=")
            return [("id", "in" if positive else "not in", ids)]
        levels = self.env["account.dunning.level"]._search([("display_name", operator, value)])
        level_ids = set(levels)
        ids = self._search_dunning_by_state(lambda state: state["advised_level_id"] in level_ids)
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

    @api.model
    def _dunning_write_reminder_state(self, updates):
        """Write the reminder fields of invoices: ``updates`` is a list of
        (invoice id, level id, last date, count). The invoice owns these
        fields; the engine asks for the writes, for thousands of invoices in
        one query per level and date (the notes the engine posts on each
        invoice are their history)."""
        if not updates:
            return
        fnames = ["dunning_level_id", "dunning_last_date", "dunning_count"]
        self.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                "UPDATE account_move AS move SET dunning_level_id = new.level_id, "
                "dunning_last_date = new.last_date, dunning_count = new.count "
                "FROM unnest(%s::int[], %s::int[], %s::date[], %s::int[]) "
                "AS new(id, level_id, last_date, count) WHERE move.id = new.id",
                [update[0] for update in updates],
                [update[1] or None for update in updates],
                [update[2] or None for update in updates],
                [update[3] or 0 for update in updates],
            )
        )
        self.invalidate_model(fnames)

    def _dunning_ensure_access_tokens(self):
        """Give the invoices that have none a portal access token, in one
        query: reminder emails link to each invoice's portal page, and
        Odoo's ``_portal_ensure_token`` would write the tokens one invoice
        at a time, each through the whole invoice ``write``."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE account_move AS move SET access_token = token.value "
                "FROM unnest(%s::int[], %s::varchar[]) AS token(id, value) "
                "WHERE move.id = token.id AND move.access_token IS NULL",
                missing.ids,
                [str(uuid.uuid4()) for _move in missing],
            )
        )
        missing.invalidate_recordset(["access_token"])
        missing.fetch(["access_token"])

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def _action_dunning_quick(self, channel):
        """Open the workbench on these invoices, prepared for one channel."""
        return self.env["account.dunning.wizard"]._action_open_prepared(self, channel)

    def action_dunning_prepare(self):
        """The worklist's "Prepare Reminders": the workbench on the ticked
        invoices, prepared; with none ticked, on the invoices the worklist's
        filters show, those to remind ticked."""
        if self:
            return self._action_dunning_quick(False)
        domain = self.env.context.get("active_domain") or []
        moves = self.search(
            expression.AND([domain, self._get_dunning_open_domain()]),
            order="dunning_date_due, id",
        )
        return self.env["account.dunning.wizard"]._action_open_on(moves)

    def action_dunning_remind_email(self):
        return self._action_dunning_quick("email")

    def action_dunning_remind_letter(self):
        return self._action_dunning_quick("letter")

    def action_dunning_log_call(self):
        return self.env["account.dunning.call.wizard"]._action_open(self)

    @api.depends("dunning_dispute_ids.state")
    def _compute_dunning_disputed(self):
        for move in self:
            move.dunning_disputed = "open" in move.dunning_dispute_ids.mapped("state")

    def _search_dunning_disputed(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        disputed = [("dunning_dispute_ids.state", "=", "open")]
        if bool(value) == (operator == "="):
            return disputed
        return ["!", *disputed]

    def _get_dunning_charges(self, date=None):
        """French late-payment charges of these customer invoices on
        ``date`` (today by default): {invoice id: dict} with ``rate`` (the
        yearly rate of the last day, %), ``days`` (days late, to the payment
        date for an invoice paid late), ``penalty`` (the interest, each day
        at its half-year's rate on what was still due that day), ``indemnity``
        (the fixed 40 EUR recovery indemnity, in the invoice's currency, for
        businesses and public bodies), ``periods`` (the detail: ``date_from``,
        ``date_to``, ``base``, ``rate``, ``days``, ``amount``), ``kind`` (the
        customer's type), ``currency_id``, ``date_from`` and ``date_to``. The
        law is in ``account.dunning.charges``."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        return self.env["account.dunning.charges"]._compute(invoices, date)

    def action_dunning_invoice_charges(self):
        return self.env["account.dunning.charges"]._action_invoice(self)

    def action_dunning_promise(self):
        return self.env["account.dunning.promise"]._action_new(self)

    def action_dunning_dispute(self):
        self.ensure_one()
        return self.env["account.dunning.dispute"]._action_new(self)

    def action_dunning_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_dispute_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        return action

    def action_dunning_block(self):
        self.dunning_blocked = True

    def action_dunning_unblock(self):
        self.dunning_blocked = False

    # ------------------------------------------------------------------
    # Invoice documents
    # ------------------------------------------------------------------

    def _get_dunning_invoice_pdfs(self):
        """{invoice id: ir.attachment}: the legal PDF of each of these
        invoices, the one Odoo keeps as the invoice (``invoice_pdf_report_id``,
        as its send wizard makes it and its portal serves it: Factur-X
        embedded, QR code), made now for those that have none, so that a
        reminder attaches the very document the customer got or would get.

        Odoo detaches that PDF when an invoice is reset to draft: a changed
        invoice gets a new one, never the stale one. Only posted sale
        documents have a legal document; those Odoo fails to make one for
        are left out (the error is logged): a pro-forma is not the invoice.
        Finding the documents takes one search per thousand invoices."""
        invoices = self.filtered(
            lambda move: move.state == "posted" and move.is_sale_document(include_receipts=True)
        )
        invoices._dunning_invalidate_legal_documents()
        missing = invoices.filtered(lambda move: not move.invoice_pdf_report_id)
        if missing:
            missing._dunning_make_legal_documents()
            missing._dunning_invalidate_legal_documents()
        return {
            move.id: move.invoice_pdf_report_id for move in invoices if move.invoice_pdf_report_id
        }

    def _dunning_invalidate_legal_documents(self):
        """Forget the documents cached on these invoices: Odoo detaches and
        links them from the attachments' side, which the invoice's cache
        does not follow within a transaction (reset to draft, posted again,
        then reminded)."""
        detached = set(self._get_fields_to_detach())
        self.invalidate_recordset(
            [
                name
                for name, field in self._fields.items()
                if name in detached or detached.intersection(self.pool.field_depends[field])
            ]
        )

    def _dunning_make_legal_documents(self):
        """Have Odoo make and link the legal documents of these posted
        invoices the way its send wizard does (``account.move.send``: the
        partner's invoice report, Factur-X embedded, the partner's
        e-invoice XML), without sending anything: no sending method and no
        "extra EDI" (those declare the invoice to a tax authority).

        Odoo prints several invoices in one wkhtmltopdf run, which only a
        wkhtmltopdf built on patched Qt does: elsewhere the invoices are
        made one by one. A batch that fails is retried invoice by invoice,
        so that one invoice does not deprive the others of their PDF."""
        Send = self.env["account.move.send"]
        can_batch = self.env["ir.actions.report"]._dunning_can_render_batch()
        for company, invoices in self.grouped("company_id").items():
            chunks = [invoices] if can_batch and len(invoices) > 1 else list(invoices)
            while chunks:
                chunk = chunks.pop()
                try:
                    with self.env.cr.savepoint():
                        invoices_data = {
                            move.sudo(): Send._get_default_sending_settings(
                                move, sending_methods=set(), extra_edis=set()
                            )
                            for move in chunk
                        }
                        Send.with_company(company)._generate_invoice_documents(invoices_data)
                except Exception as error:
                    if len(chunk) > 1:
                        chunks.extend(chunk)
                        continue
                    invoices_data = {chunk: {"error": str(error)}}
                for move, data in invoices_data.items():
                    if data.get("error"):
                        _logger.warning(
                            "Invoice %s: Odoo could not make its PDF: %s",
                            move.display_name,
                            Send._format_error_text(data["error"]),
                        )
