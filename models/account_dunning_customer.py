# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .account_dunning_aging import AccountDunningAging
from .account_dunning_behaviour import GRADES
from .account_dunning_channel_mixin import CHANNELS
from .account_dunning_litigation import LITIGATION_ROADS
from .dunning_tools import check_dunning_access, countback_dso

# Periods offered by the screen's filters (context key ``dunning_period``).
PERIODS = ("this_month", "last_month", "last_3_months", "this_year", "last_year")
# Reminder history windows (context key ``dunning_history``), in months.
HISTORY_MONTHS = {"3_months": 3, "1_year": 12, "all": None}
# How far back the days sales outstanding looks for sales.
DSO_MONTHS = 24


def _parse_month(value):
    """The first day of the month typed as '03/2026', '3/2026', '2026-03'
    or '2026/03'; None when it is not a month."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", value)
    if match:
        month, year = int(match.group(1)), int(match.group(2))
    else:
        match = re.fullmatch(r"(\d{4})[/.\-](\d{1,2})(?:[/.\-]\d{1,2})?", value)
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1)


class AccountDunningCustomer(models.Model):
    """Customer Accounts (seed 004's "Comptes clients et relances"): one
    row per customer and company with open receivables, what it owes and
    since when, its reminders and whether its reminder address can carry
    them.

    A query for what is summed, grouped and filtered (amounts, aging,
    last reminder, plan, responsible); what depends on the period or the
    history window chosen in the search (context keys ``dunning_period``,
    ``dunning_month_from``, ``dunning_month_to``, ``dunning_history``) is
    computed for the rows shown, a few queries a page. Each fact is the
    engine's: the items are the aging report's, aged on each company's
    today (``account.dunning.engine._get_today``); the plan is the one
    stored on the customer's open invoices (``res.partner._get_dunning_plan``
    fills it); the responsible is ``res.partner._get_dunning_responsibles``
    (in SQL next to it); the next reminder is the worklist's."""

    _name = "account.dunning.customer"
    _description = "Customer Account"
    _auto = False
    _order = "amount_overdue desc, amount_due desc, id"
    _rec_name = "partner_id"
    # the open items are the aging report's (see ``_query``)
    _depends = {
        **AccountDunningAging._depends,
        "account.dunning": ["partner_id", "company_id", "date", "state", "level_id"],
        "account.move": [
            "commercial_partner_id",
            "company_id",
            "dunning_date_due",
            "dunning_plan_id",
        ],
        "res.partner": [
            *AccountDunningAging._depends["res.partner"],
            "dunning_blocked",
            "dunning_grade",
            "dunning_priority",
            "dunning_litigation",
            "dunning_litigation_road",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    responsible_id = fields.Many2one(
        "res.users",
        string="Reminder Responsible",
        readonly=True,
        help="The customer's reminder responsible, else the company's, else its salesperson.",
    )
    plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Reminder Plan",
        readonly=True,
        help="The plan the customer's open invoices follow.",
    )
    blocked = fields.Boolean(string="Do Not Remind", readonly=True)
    litigation = fields.Boolean(
        string="In Litigation",
        readonly=True,
        help="The customer is in litigation in this company: no reminder is sent.",
    )
    litigation_road = fields.Selection(LITIGATION_ROADS, readonly=True)
    grade = fields.Selection(
        GRADES,
        string="Payment Grade",
        readonly=True,
        help="How the customer pays (res.partner's payment grade in this company): A to "
        "D from its average days late, weighted by amount, and its share paid on time.",
    )
    priority = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Whom to chase first: the higher, the sooner (as of the last refresh).",
    )
    priority_reasons = fields.Char(
        string="Why This Priority",
        compute="_compute_priority_reasons",
        help="What the priority comes from, as the customer's invoices stand now.",
    )
    amount_due = fields.Monetary(
        string="Due",
        readonly=True,
        help="Open invoices less unused credit notes and payments, in company currency.",
    )
    unpaid_count = fields.Integer(string="Unpaid", readonly=True, help="Invoices not fully paid.")
    overdue_count = fields.Integer(
        string="Late", readonly=True, help="Invoices not fully paid past their due date."
    )
    amount_overdue = fields.Monetary(
        string="Overdue",
        readonly=True,
        help="What is left to pay on the invoices past their due date, in company currency.",
    )
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_over_90 = fields.Monetary(string="+90", readonly=True)
    oldest_date_due = fields.Date(string="Oldest Due Date", readonly=True)
    last_dunning_id = fields.Many2one("account.dunning", string="Last Reminder Sent", readonly=True)
    last_dunning_date = fields.Date(string="Last Reminder On", readonly=True)
    last_level_id = fields.Many2one("account.dunning.level", readonly=True)

    # what the search chose: the period, the history window
    invoiced_count = fields.Integer(
        string="Invoiced",
        compute="_compute_period_figures",
        help="Customer invoices dated in the period chosen in the search.",
    )
    invoiced_amount = fields.Monetary(
        compute="_compute_period_figures",
        help="Invoices less credit notes dated in the period, taxes included, "
        "in company currency.",
    )
    dunning_count = fields.Integer(
        string="Reminders",
        compute="_compute_period_figures",
        help="Reminders sent in the history window chosen in the search (1 year unless chosen).",
    )
    amount_due_by_currency = fields.Html(
        string="Due per Currency",
        help="What is due in each currency the customer is invoiced in.",
        compute="_compute_by_currency",
        sanitize=False,
    )
    amount_overdue_by_currency = fields.Html(
        string="Overdue per Currency",
        compute="_compute_by_currency",
        sanitize=False,
    )
    last_channel = fields.Char(compute="_compute_last_channel")
    last_dunning_label = fields.Char(
        string="Last Reminder",
        compute="_compute_last_channel",
        help="The date, level and channels of the last reminder sent.",
    )
    next_dunning_date = fields.Date(
        string="Next Reminder",
        compute="_compute_next_dunning_date",
        help="When the next level becomes due on one of the customer's invoices.",
    )
    activity_count = fields.Integer(
        string="Activities",
        compute="_compute_activity_count",
        help="Activities still to do on the customer, its open invoices and its reminders.",
    )
    address_ok = fields.Boolean(
        string="Reminder Address Complete",
        compute="_compute_address",
        search="_search_address_ok",
    )
    address_issue = fields.Char(
        string="Reminder Address",
        compute="_compute_address",
        help="What the reminder contact lacks for the channels of the customer's plan.",
    )
    dso = fields.Integer(
        string="DSO",
        compute="_compute_dso",
        help="Days sales outstanding, countback method: how many days of the "
        "customer's latest sales its amount due represents.",
    )

    promise_reliability = fields.Char(
        string="Promises Kept",
        compute="_compute_promise_reliability",
        help="Payment promises kept out of those settled (kept or broken).",
    )

    # period and month searches: they set the context, they filter nothing
    period_from = fields.Char(string="From Month", compute="_compute_search_dummies")
    period_to = fields.Char(string="To Month", compute="_compute_search_dummies")

    def init(self):
        # read through ``_table_query``: the view of earlier versions goes
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        Aging = self.env["account.dunning.aging"]
        return SQL(
            """
            WITH aging AS (%(aging)s),
            totals AS (
                SELECT company_id,
                       partner_id,
                       SUM(amount_residual) AS amount_due,
                       COUNT(DISTINCT move_id) FILTER (WHERE amount_residual > 0) AS unpaid_count,
                       COUNT(DISTINCT move_id) FILTER (WHERE amount_residual > 0 AND days_late > 0)
                           AS overdue_count,
                       COALESCE(SUM(amount_residual)
                           FILTER (WHERE amount_residual > 0 AND days_late > 0), 0)
                           AS amount_overdue,
                       COALESCE(SUM(amount_residual) FILTER (WHERE bucket = 'not_due'), 0)
                           AS amount_not_due,
                       COALESCE(SUM(amount_residual) FILTER (WHERE bucket = '1_30'), 0)
                           AS amount_1_30,
                       COALESCE(SUM(amount_residual) FILTER (WHERE bucket = '31_60'), 0)
                           AS amount_31_60,
                       COALESCE(SUM(amount_residual) FILTER (WHERE bucket = '61_90'), 0)
                           AS amount_61_90,
                       COALESCE(SUM(amount_residual) FILTER (WHERE bucket = 'over_90'), 0)
                           AS amount_over_90,
                       MIN(date_due) FILTER (WHERE amount_residual > 0) AS oldest_date_due
                  FROM aging
                 GROUP BY company_id, partner_id
            ),
            last_dunning AS (
                SELECT DISTINCT ON (company_id, partner_id)
                       company_id, partner_id, id, date, level_id
                  FROM account_dunning
                 WHERE state = 'sent'
                 ORDER BY company_id, partner_id, date DESC, id DESC
            ),
            -- the plan res.partner._get_dunning_plan stored on the open invoices
            plans AS (
                SELECT company_id, commercial_partner_id AS partner_id,
                       MIN(dunning_plan_id) AS plan_id
                  FROM account_move
                 WHERE dunning_date_due IS NOT NULL
                 GROUP BY company_id, commercial_partner_id
            )
            SELECT totals.partner_id::bigint * 100000 + totals.company_id AS id,
                   totals.*,
                   company.currency_id,
                   %(responsible)s AS responsible_id,
                   plans.plan_id,
                   COALESCE(partner.dunning_blocked, FALSE) AS blocked,
                   COALESCE((partner.dunning_litigation ->> totals.company_id::text)::boolean,
                            FALSE) AS litigation,
                   partner.dunning_litigation_road ->> totals.company_id::text
                       AS litigation_road,
                   partner.dunning_grade ->> totals.company_id::text AS grade,
                   COALESCE((partner.dunning_priority ->> totals.company_id::text)::int, 0)
                       AS priority,
                   last_dunning.id AS last_dunning_id,
                   last_dunning.date AS last_dunning_date,
                   last_dunning.level_id AS last_level_id
              FROM totals
              JOIN res_partner partner ON partner.id = totals.partner_id
              JOIN res_company company ON company.id = totals.company_id
              LEFT JOIN last_dunning ON last_dunning.company_id = totals.company_id
                                    AND last_dunning.partner_id = totals.partner_id
              LEFT JOIN plans ON plans.company_id = totals.company_id
                             AND plans.partner_id = totals.partner_id
            """,
            aging=Aging._query(),
            responsible=self.env["res.partner"]._get_dunning_responsible_sql(
                SQL.identifier("partner"), SQL.identifier("company")
            ),
        )

    # ------------------------------------------------------------------
    # What the search chose
    # ------------------------------------------------------------------

    @api.model
    def _get_period(self):
        """(first day, last day) of the period chosen in the search: a
        period filter, or months typed in "From Month" / "To Month"; the
        current year by default."""
        today = fields.Date.context_today(self)
        context = self.env.context
        period = context.get("dunning_period")
        month = today + relativedelta(day=1)
        ranges = {
            "this_month": (month, today + relativedelta(day=31)),
            "last_month": (month - relativedelta(months=1), month - relativedelta(days=1)),
            "last_3_months": (month - relativedelta(months=2), today + relativedelta(day=31)),
            "this_year": (
                today + relativedelta(month=1, day=1),
                today + relativedelta(month=12, day=31),
            ),
            "last_year": (
                today + relativedelta(years=-1, month=1, day=1),
                today + relativedelta(years=-1, month=12, day=31),
            ),
        }
        date_from, date_to = ranges.get(period, ranges["this_year"])
        month_from = _parse_month(context.get("dunning_month_from"))
        month_to = _parse_month(context.get("dunning_month_to"))
        if month_from:
            date_from = month_from
            if not month_to and date_to < date_from:
                date_to = month_from + relativedelta(day=31)
        if month_to:
            date_to = month_to + relativedelta(day=31)
            if not month_from and date_from > date_to:
                date_from = month_to
        if date_from > date_to:
            date_from, date_to = date_to + relativedelta(day=1), date_from + relativedelta(day=31)
        return date_from, date_to

    @api.model
    def _get_history_start(self):
        """The first day of the reminder history window chosen in the
        search (1 year by default); None for all of it."""
        months = HISTORY_MONTHS.get(self.env.context.get("dunning_history"), 12)
        if months is None:
            return None
        return fields.Date.context_today(self) - relativedelta(months=months)

    def _get_pairs_domain(self, partner_field="partner_id"):
        """A domain on records carrying a company and a customer (in
        ``partner_field``): those of these rows."""
        by_company = defaultdict(list)
        for row in self:
            by_company[row.company_id.id].append(row.partner_id.id)
        domain = []
        for company_id, partner_ids in by_company.items():
            clause = [
                "&",
                ("company_id", "=", company_id),
                (partner_field, "in", partner_ids),
            ]
            domain = ["|", *domain, *clause] if domain else clause
        return domain or [("id", "=", 0)]

    def _compute_search_dummies(self):
        self.period_from = False
        self.period_to = False

    @api.depends_context(
        "dunning_period", "dunning_month_from", "dunning_month_to", "dunning_history", "tz"
    )
    def _compute_period_figures(self):
        date_from, date_to = self._get_period()
        invoiced = {}
        reminders = {}
        if self.ids:
            Move = self.env["account.move"].sudo()
            for company, partner, move_type, count, amount in Move._read_group(
                [
                    *self._get_pairs_domain("commercial_partner_id"),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", ">=", date_from),
                    ("invoice_date", "<=", date_to),
                ],
                ["company_id", "commercial_partner_id", "move_type"],
                ["__count", "amount_total_signed:sum"],
            ):
                key = (company.id, partner.id)
                count_so_far, amount_so_far = invoiced.get(key, (0, 0.0))
                invoiced[key] = (
                    count_so_far + (count if move_type == "out_invoice" else 0),
                    amount_so_far + amount,
                )
            since = self._get_history_start()
            domain = [*self._get_pairs_domain(), ("state", "=", "sent")]
            if since:
                domain.append(("date", ">=", since))
            for company, partner, count in (
                self.env["account.dunning"]
                .sudo()
                ._read_group(domain, ["company_id", "partner_id"], ["__count"])
            ):
                reminders[(company.id, partner.id)] = count
        for row in self:
            key = (row.company_id.id, row.partner_id.id)
            row.invoiced_count, row.invoiced_amount = invoiced.get(key, (0, 0.0))
            row.dunning_count = reminders.get(key, 0)

    # ------------------------------------------------------------------
    # Figures for the rows shown
    # ------------------------------------------------------------------

    def _get_open_items_domain(self):
        return [
            *self._get_pairs_domain(),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
        ]

    def _compute_by_currency(self):
        due = defaultdict(list)
        overdue = defaultdict(list)
        if self.ids:
            Line = self.env["account.move.line"].sudo()
            # partner_id of the items is a contact or the customer: the view's
            # customer is its commercial partner
            domain = [
                ("company_id", "in", self.company_id.ids),
                ("partner_id", "child_of", self.partner_id.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
            ]
            todays = self.env["account.dunning.engine"]._get_todays(self.company_id)
            for line in Line.search_fetch(
                domain,
                [
                    "company_id",
                    "partner_id",
                    "currency_id",
                    "date_maturity",
                    "date",
                    "amount_residual_currency",
                ],
            ):
                key = (line.company_id.id, line.partner_id.commercial_partner_id.id)
                due[key].append((line.currency_id, line.amount_residual_currency))
                today = todays[line.company_id.id]
                if line.amount_residual_currency > 0 and (line.date_maturity or line.date) < today:
                    overdue[key].append((line.currency_id, line.amount_residual_currency))
        Partner = self.env["res.partner"]
        for row in self:
            key = (row.company_id.id, row.partner_id.id)
            row.amount_due_by_currency = Partner._format_dunning_amounts(due.get(key, []))
            row.amount_overdue_by_currency = Partner._format_dunning_amounts(overdue.get(key, []))

    def _compute_last_channel(self):
        Dunning = self.env["account.dunning"]
        self.last_dunning_id.fetch([*CHANNELS, "call_outcome"])
        labels = {
            channel: Dunning._fields[channel]._description_string(self.env) for channel in CHANNELS
        }
        for row in self:
            reminder = row.last_dunning_id
            if not reminder:
                row.last_channel = row.last_dunning_label = False
                continue
            channels = [label for channel, label in labels.items() if reminder[channel]]
            if reminder.call_outcome and not reminder.create_activity:
                channels.append(self.env._("Call"))
            row.last_channel = ", ".join(channels)
            # the channels have a column of their own: the label stays short
            row.last_dunning_label = " · ".join(
                part
                for part in (format_date(self.env, row.last_dunning_date), row.last_level_id.name)
                if part
            )

    def _compute_next_dunning_date(self):
        """The worklist's next reminder (``dunning_next_date``, the engine's
        ``_get_dunning_state``) of the customer's open invoices, the
        earliest: the same date the worklist shows, whatever holds the
        invoices back until then (the interval, a promise)."""
        next_dates = {}
        if self.ids:
            Move = self.env["account.move"]
            states = Move._get_dunning_states_for_domain(
                self._get_pairs_domain("commercial_partner_id")
            )
            for state in states.values():
                if not state.get("next_date"):
                    continue
                key = (state["company_id"], state["partner_id"])
                next_dates[key] = min(next_dates.get(key, state["next_date"]), state["next_date"])
        for row in self:
            row.next_dunning_date = next_dates.get((row.company_id.id, row.partner_id.id), False)

    def _compute_priority_reasons(self):
        """The reasons of the priority rule (``account.dunning.behaviour
        ._get_priority``) on the customer's open invoices as they stand now."""
        Behaviour = self.env["account.dunning.behaviour"]
        reasons = {}
        for company in self.company_id:
            rows = self.filtered(lambda row, company=company: row.company_id == company)
            invoices = Behaviour._get_priority_inputs(
                company,
                SQL("move.commercial_partner_id = ANY(%s)", rows.partner_id.ids),
            )
            rounding = company.currency_id.rounding
            for partner_id, values in Behaviour._get_customer_inputs(invoices).items():
                found = Behaviour._get_priority(values, rounding)[1]
                reasons[(company.id, partner_id)] = Behaviour._format_priority_reasons(
                    found, company.currency_id
                )
        for row in self:
            row.priority_reasons = reasons.get((row.company_id.id, row.partner_id.id)) or False

    def action_refresh_payment_behaviour(self):
        """Refresh the grades, predicted payment dates and priorities of
        the companies selected (the daily job does it every day)."""
        return self.env["res.partner"]._action_dunning_refresh_payment_behaviour(self.env.companies)

    def _compute_promise_reliability(self):
        counts = defaultdict(int)
        if self.ids:
            for company, partner, state, count in (
                self.env["account.dunning.promise"]
                .sudo()
                ._read_group(
                    [*self._get_pairs_domain(), ("state", "in", ("kept", "broken"))],
                    ["company_id", "partner_id", "state"],
                    ["__count"],
                )
            ):
                counts[(company.id, partner.id, state)] = count
        for row in self:
            kept = counts[(row.company_id.id, row.partner_id.id, "kept")]
            broken = counts[(row.company_id.id, row.partner_id.id, "broken")]
            row.promise_reliability = (
                self.env._("%(kept)s of %(total)s", kept=kept, total=kept + broken)
                if kept + broken
                else False
            )

    def _compute_activity_count(self):
        counts = defaultdict(int)
        if self.ids:
            cr = self.env.cr
            cr.execute(
                SQL(
                    """
                    WITH pairs AS (
                        SELECT * FROM unnest(%(companies)s::int[], %(partners)s::int[])
                                   AS pair(company_id, partner_id)
                    ),
                    activities AS (
                        SELECT pairs.company_id, pairs.partner_id, activity.id
                          FROM pairs
                          JOIN mail_activity activity ON activity.res_model = 'res.partner'
                                                     AND activity.res_id = pairs.partner_id
                        UNION ALL
                        SELECT pairs.company_id, pairs.partner_id, activity.id
                          FROM pairs
                          JOIN account_dunning reminder ON reminder.partner_id = pairs.partner_id
                                                       AND reminder.company_id = pairs.company_id
                          JOIN mail_activity activity ON activity.res_model = 'account.dunning'
                                                     AND activity.res_id = reminder.id
                        UNION ALL
                        SELECT pairs.company_id, pairs.partner_id, activity.id
                          FROM pairs
                          JOIN account_move move ON move.commercial_partner_id = pairs.partner_id
                                                AND move.company_id = pairs.company_id
                                                AND move.dunning_date_due IS NOT NULL
                          JOIN mail_activity activity ON activity.res_model = 'account.move'
                                                     AND activity.res_id = move.id
                    )
                    SELECT company_id, partner_id, COUNT(*) FROM activities
                     GROUP BY company_id, partner_id
                    """,
                    companies=[row.company_id.id for row in self],
                    partners=[row.partner_id.id for row in self],
                )
            )
            for company_id, partner_id, count in cr.fetchall():
                counts[(company_id, partner_id)] = count
        for row in self:
            row.activity_count = counts[(row.company_id.id, row.partner_id.id)]

    def _get_address_issues(self):
        """{row id: what its reminder contact lacks, in words, or False}:
        the rule of ``res.partner._get_dunning_address_issues``, per
        company."""
        issues = {}
        for company in self.company_id:
            rows = self.filtered(lambda row, company=company: row.company_id == company)
            found = rows.partner_id._get_dunning_address_issues(company)
            for row in rows:
                issues[row.id] = found.get(row.partner_id.id, False)
        return issues

    def _compute_address(self):
        issues = self._get_address_issues()
        for row in self:
            row.address_ok = not issues.get(row.id)
            row.address_issue = issues.get(row.id) or False

    def _search_address_ok(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This search is not supported."))
        wanted = value if operator == "=" else not value
        # the rule is the partners' (plans, contacts): checked on every row
        # the user may see, a few queries for thousands of them; the rows'
        # customer and company read with the search, not the whole row a
        # thousand at a time (each read runs the rows' query again: 3.5 s of
        # 9.5 for 20,000 customers)
        rows = self.search_fetch([("partner_id", "!=", False)], ["partner_id", "company_id"])
        issues = rows._get_address_issues()
        return [("id", "in", [row_id for row_id, issue in issues.items() if (not issue) == wanted])]

    def _compute_dso(self):
        today = fields.Date.context_today(self)
        sales = self._get_monthly_sales(today)
        for row in self:
            key = (row.company_id.id, row.partner_id.id)
            row.dso = countback_dso(row.amount_due, sales.get(key, {}), today)

    def _get_monthly_sales(self, today, by_partner=True):
        """{(company id, customer id) or company id: {first day of a month:
        invoiced less credited in it, company currency}}, the last
        ``DSO_MONTHS`` months."""
        sales = defaultdict(dict)
        if not self.ids and by_partner:
            return sales
        domain = [
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", today + relativedelta(months=-DSO_MONTHS + 1, day=1)),
            ("invoice_date", "<=", today),
        ]
        if by_partner:
            domain += self._get_pairs_domain("commercial_partner_id")
            groupby = ["company_id", "commercial_partner_id", "invoice_date:month"]
        else:
            domain.append(("company_id", "in", self.env.companies.ids))
            groupby = ["company_id", "invoice_date:month"]
        for *keys, month, amount in (
            self.env["account.move"]
            .sudo()
            ._read_group(domain, groupby, ["amount_total_signed:sum"])
        ):
            key = (keys[0].id, keys[1].id) if by_partner else keys[0].id
            sales[key][month] = amount
        return sales

    # ------------------------------------------------------------------
    # The summary above the list
    # ------------------------------------------------------------------

    @api.model
    def get_dunning_summary(self, domain=None):
        """What the screen shows above its rows, per company of the rows
        the search finds: the period, their amount due and overdue, and the
        company's days sales outstanding (countback, all its customers).
        Its totals are read as the superuser: readers of the screen only."""
        check_dunning_access(self.env, "read", self.env._("see Customer Accounts"))
        today = fields.Date.context_today(self)
        date_from, date_to = self._get_period()
        groups = self._read_group(
            domain or [],
            ["company_id"],
            ["amount_due:sum", "amount_overdue:sum", "__count"],
        )
        sales = self.browse()._get_monthly_sales(today, by_partner=False)
        totals = dict(
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", [group[0].id for group in groups]),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                ],
                ["company_id"],
                ["amount_residual:sum"],
            )
        )
        companies = []
        for company, amount_due, amount_overdue, count in groups:
            currency = company.currency_id
            companies.append(
                {
                    "company": company.name,
                    "customers": count,
                    "amount_due": currency.format(amount_due),
                    "amount_overdue": currency.format(amount_overdue),
                    "dso": countback_dso(
                        totals.get(company, 0.0), sales.get(company.id, {}), today
                    ),
                }
            )
        return {
            "period": self.env._(
                "%(date_from)s to %(date_to)s",
                date_from=format_date(self.env, date_from),
                date_to=format_date(self.env, date_to),
            ),
            "companies": companies,
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_addresses(self):
        """The customer's form, on its contacts and addresses."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.partner_id.with_company(self.company_id).action_view_dunning_invoices()
        action["domain"] = [
            ("commercial_partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        return action

    def action_view_dunnings(self):
        self.ensure_one()
        action = self.partner_id.action_view_dunnings()
        action["domain"] = [
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        return action

    def action_open_litigation(self):
        """Put in Litigation, for this customer in this row's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_dunning_open_litigation()

    def action_close_litigation(self):
        """Take Out of Litigation, for this customer in this row's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_dunning_close_litigation()

    def action_dunning_handoff(self):
        """Hand Over to an Agency, for this customer in this row's
        company."""
        if len(self) != 1:
            raise UserError(self.env._("Hand over one customer at a time."))
        return self.env["account.dunning.handoff.wizard"]._action_open(
            self.partner_id, self.company_id
        )

    def action_open_workbench(self):
        """Seed 004's "Relancer en masse": the workbench on the open
        invoices of these customers, of each of their companies, those to
        remind ticked."""
        if not self:
            raise UserError(self.env._("Select the customers to remind."))
        Move = self.env["account.move"]
        moves = Move.search(
            [*Move._get_dunning_open_domain(), *self._get_pairs_domain("commercial_partner_id")],
            order="dunning_date_due, id",
        )
        if not moves:
            raise UserError(self.env._("These customers have no open invoice to remind."))
        return self.env["account.dunning.wizard"]._action_open_on(moves)

    def _get_statement_wizard(self, statement_type, save=False):
        """The statement form on these customers, for the period of the
        search (up to today). Unsaved unless ``save``: printing is reading,
        which auditors may do without creating anything."""
        if not self:
            raise UserError(self.env._("Select the customers whose statement you want."))
        if len(self.company_id) > 1:
            raise UserError(
                self.env._(
                    "Statements are printed one company at a time: filter or group "
                    "the customers by company first."
                )
            )
        date_from, date_to = self._get_period()
        today = fields.Date.context_today(self)
        Wizard = self.env["account.dunning.statement.wizard"].with_company(self.company_id)
        values = {
            "partner_ids": [fields.Command.set(self.partner_id.ids)],
            "statement_type": statement_type,
            "date_from": min(date_from, today),
            # what is open now, not at the end of the year
            "date_to": min(date_to, today),
        }
        return Wizard.create(values) if save else Wizard.new(values)

    def action_print_outstanding(self):
        return self._get_statement_wizard("outstanding").action_print()

    def action_print_activity(self):
        return self._get_statement_wizard("activity").action_print()

    def action_send_statement(self):
        """The statement wizard on these customers, to send by email."""
        check_dunning_access(self.env, "user", self.env._("send statements"))
        wizard = self._get_statement_wizard("activity", save=True)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Statements"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"allowed_company_ids": self.company_id.ids, "dunning_statement_send": True},
        }
