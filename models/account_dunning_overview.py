# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL, format_date
from odoo.tools.misc import get_lang

from .dunning_tools import check_dunning_access, countback_dso

# The figures of the Collection Overview, in the order of its cards.
OVERVIEW_KINDS = [
    ("overdue", "Overdue"),
    ("dso", "Days Sales Outstanding"),
    ("promises_due", "Promises Due This Week"),
    ("promises_broken", "Promises Broken"),
    ("disputes", "Open Disputes"),
    ("letters", "Letters to Post"),
    ("reminders", "Reminders Sent This Week"),
]
# How far back the promises kept and broken are counted.
PROMISE_MONTHS = 12


class AccountDunningOverview(models.Model):
    """The Collection Overview: one card per figure and company (what is
    overdue, the days sales outstanding, the promises due this week and
    broken, the open disputes, the letters to post, the reminders sent this
    week), each opening the list of the records it counts.

    The rows are the companies the user works in times the figures; the
    figures are computed when the cards are read, with the user's rights,
    from the records their lists show: each figure's records are decided
    once (``_get_figure_records``), for the figure and for its list."""

    _name = "account.dunning.overview"
    _description = "Collection Overview"
    _auto = False
    _order = "company_id, sequence"
    _rec_name = "kind"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    kind = fields.Selection(OVERVIEW_KINDS, string="Figure", readonly=True)
    sequence = fields.Integer(readonly=True)
    value = fields.Float(
        string="Number", compute="_compute_figures", help="The figure, as a number."
    )
    value_display = fields.Char(string="Value", compute="_compute_figures")
    note = fields.Char(compute="_compute_figures", help="What the figure says more.")

    def init(self):
        # read through ``_table_query``
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT company.id * 10 + kind.sequence AS id,
                   company.id AS company_id,
                   company.currency_id,
                   kind.kind,
                   kind.sequence::int AS sequence
              FROM res_company company
             CROSS JOIN unnest(%s::varchar[]) WITH ORDINALITY AS kind(kind, sequence)
             WHERE company.id = ANY(%s::int[])
            """,
            [kind for kind, _label in OVERVIEW_KINDS],
            self.env.companies.ids,
        )

    # ------------------------------------------------------------------
    # What each figure counts
    # ------------------------------------------------------------------

    @api.model
    def _get_week_start(self, today):
        """The first day of the week of ``today``, the week as the user's
        language starts it (the graphs' weeks start there too)."""
        week_start = int(get_lang(self.env).week_start)
        return today - relativedelta(days=(today.isoweekday() - week_start) % 7)

    @api.model
    def _get_figure_records(self, kind, today):
        """(model, domain) of the records the figure ``kind`` counts for a
        company whose today is ``today``, the company left out: what the
        card counts and what its list shows."""
        if kind == "overdue":
            return "account.dunning.customer", [("amount_overdue", ">", 0)]
        if kind == "promises_due":
            # the Payment Promises' own filters: open, due within a week
            return "account.dunning.promise", [
                ("state", "=", "open"),
                ("due_this_week", "=", True),
            ]
        if kind == "promises_broken":
            return "account.dunning.promise", [
                ("state", "=", "broken"),
                *self._get_promise_window(today),
            ]
        if kind == "disputes":
            return "account.dunning.dispute", [("state", "=", "open")]
        if kind == "letters":
            # the Letters to Post's own list
            return "account.dunning", [
                ("send_letter", "=", True),
                ("state", "=", "sent"),
                ("letter_state", "=", "to_post"),
            ]
        if kind == "reminders":
            return "account.dunning", [
                ("state", "=", "sent"),
                ("date", ">=", self._get_week_start(today)),
                ("date", "<=", today),
            ]
        # the DSO: the month by month trend of its company
        return "account.dunning.overview.month", []

    @api.model
    def _get_promise_window(self, today):
        """The promises counted as kept or broken: those promised for the
        last ``PROMISE_MONTHS`` months."""
        return [("date", ">", today - relativedelta(months=PROMISE_MONTHS)), ("date", "<=", today)]

    def _get_todays(self):
        """{today: companies} of the companies of these rows, each on its
        today (``account.dunning.engine._get_today``)."""
        by_today = defaultdict(lambda: self.env["res.company"])
        todays = self.env["account.dunning.engine"]._get_todays(self.company_id)
        for company in self.company_id:
            by_today[todays[company.id]] |= company
        return by_today

    def _count_records(self, kind, aggregates=("__count",), extra_domain=()):
        """{company id: (aggregates...)} of the records of the figure
        ``kind`` (``_get_figure_records``) in the companies of these rows."""
        result = {}
        for today, companies in self._get_todays().items():
            model, domain = self._get_figure_records(kind, today)
            for company, *values in self.env[model]._read_group(
                [*domain, *extra_domain, ("company_id", "in", companies.ids)],
                ["company_id"],
                list(aggregates),
            ):
                result[company.id] = values
        return result

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def _compute_figures(self):
        figures = {}
        for kind in set(self.mapped("kind")):
            rows = self.filtered(lambda row, kind=kind: row.kind == kind)
            for company_id, figure in getattr(rows, f"_get_figure_{kind}")().items():
                figures[(company_id, kind)] = figure
        for row in self:
            value, display, note = figures.get((row.company_id.id, row.kind), (0, "0", False))
            row.value = value
            row.value_display = display
            row.note = note

    def _get_figure_overdue(self):
        """What customers owe past its due date: Customer Accounts'
        "Overdue", in company currency, and how many customers owe it."""
        counts = self._count_records("overdue", ("amount_overdue:sum", "__count"))
        result = {}
        for company in self.company_id:
            amount, count = counts.get(company.id, (0.0, 0))
            result[company.id] = (
                amount,
                company.currency_id.format(amount),
                self.env._("1 customer late")
                if count == 1
                else self.env._("%(count)s customers late", count=count),
            )
        return result

    def _get_figure_dso(self):
        """The company's days sales outstanding today, countback method
        (``countback_dso``, as Customer Accounts' summary): what its
        customers owe (the aging report's items) over its latest sales."""
        balances = {
            company.id: amount
            for company, amount in self.env["account.dunning.aging"]._read_group(
                [("company_id", "in", self.company_id.ids)],
                ["company_id"],
                ["amount_residual:sum"],
            )
        }
        Customer = self.env["account.dunning.customer"].with_context(
            allowed_company_ids=self.company_id.ids
        )
        result = {}
        for today, companies in self._get_todays().items():
            sales = Customer.browse()._get_monthly_sales(today, by_partner=False)
            for company in companies:
                days = countback_dso(
                    balances.get(company.id, 0.0), sales.get(company.id, {}), today
                )
                result[company.id] = (
                    days,
                    self.env._("%(days)s days", days=days),
                    self.env._("Countback, all customers"),
                )
        return result

    def _get_figure_promises_due(self):
        counts = self._count_records("promises_due")
        return {
            company.id: self._count_figure(counts.get(company.id, [0])[0])
            for company in self.company_id
        }

    def _get_figure_promises_broken(self):
        """The promises broken in the last twelve months, and the share of
        those settled (kept or broken) that were kept."""
        broken = self._count_records("promises_broken")
        kept = {}
        for today, companies in self._get_todays().items():
            for company, count in self.env["account.dunning.promise"]._read_group(
                [
                    ("state", "=", "kept"),
                    *self._get_promise_window(today),
                    ("company_id", "in", companies.ids),
                ],
                ["company_id"],
                ["__count"],
            ):
                kept[company.id] = count
        result = {}
        for company in self.company_id:
            broken_count = broken.get(company.id, [0])[0]
            kept_count = kept.get(company.id, 0)
            settled = broken_count + kept_count
            note = (
                self.env._(
                    "%(share)s%% kept over 12 months (%(kept)s of %(settled)s)",
                    share=round(100 * kept_count / settled),
                    kept=kept_count,
                    settled=settled,
                )
                if settled
                else self.env._("No promise settled in 12 months")
            )
            result[company.id] = (broken_count, str(broken_count), note)
        return result

    def _get_figure_disputes(self):
        counts = self._count_records("disputes", ("__count", "date:min"))
        result = {}
        todays = self.env["account.dunning.engine"]._get_todays(self.company_id)
        for company in self.company_id:
            count, oldest = counts.get(company.id, (0, None))
            note = (
                self.env._(
                    "The oldest opened %(days)s days ago", days=(todays[company.id] - oldest).days
                )
                if oldest
                else False
            )
            result[company.id] = (count, str(count), note)
        return result

    def _get_figure_letters(self):
        counts = self._count_records("letters", ("__count", "date:min"))
        result = {}
        for company in self.company_id:
            count, oldest = counts.get(company.id, (0, None))
            note = (
                self.env._("The oldest of %(date)s", date=format_date(self.env, oldest))
                if oldest
                else False
            )
            result[company.id] = (count, str(count), note)
        return result

    def _get_figure_reminders(self):
        counts = self._count_records("reminders")
        result = {}
        for today, companies in self._get_todays().items():
            for company in companies:
                count = counts.get(company.id, [0])[0]
                result[company.id] = (
                    count,
                    str(count),
                    self.env._(
                        "Since %(date)s", date=format_date(self.env, self._get_week_start(today))
                    ),
                )
        return result

    def _count_figure(self, count):
        return (count, str(count), False)

    # ------------------------------------------------------------------
    # The lists behind the figures
    # ------------------------------------------------------------------

    def _get_today(self):
        self.ensure_one()
        return self.env["account.dunning.engine"]._get_today(self.company_id)

    def _get_action(self, xmlid, domain, name=None, keep_defaults=False):
        """The window action ``xmlid`` on ``domain`` in the company of the
        card. Without its own default filters unless ``keep_defaults``:
        its list shows what the card counts."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [*domain, ("company_id", "=", self.company_id.id)]
        if not keep_defaults:
            action["context"] = {}
        if name:
            action["name"] = name
        return action

    def action_open(self):
        """The list of what the card counts."""
        self.ensure_one()
        check_dunning_access(self.env, "read", self.env._("see the Collection Overview"))
        _model, domain = self._get_figure_records(self.kind, self._get_today())
        label = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        xmlids = {
            "overdue": "account_dunning.account_dunning_customer_action",
            "dso": "account_dunning.account_dunning_overview_month_dso_action",
            "promises_due": "account_dunning.account_dunning_promise_action",
            "promises_broken": "account_dunning.account_dunning_promise_action",
            "disputes": "account_dunning.account_dunning_overview_dispute_action",
            "letters": "account_dunning.account_dunning_action_to_post",
            "reminders": "account_dunning.account_dunning_overview_sent_action",
        }
        return self._get_action(
            xmlids[self.kind], domain, name=label, keep_defaults=self.kind == "dso"
        )

    def action_open_trend(self):
        """What was overdue, by aging bucket, month by month."""
        self.ensure_one()
        check_dunning_access(self.env, "read", self.env._("see the Collection Overview"))
        return self._get_action(
            "account_dunning.account_dunning_overview_month_aging_action", [], keep_defaults=True
        )

    def action_open_responsibles(self):
        """What is overdue by reminder responsible, with their open
        activities."""
        self.ensure_one()
        check_dunning_access(self.env, "read", self.env._("see the Collection Overview"))
        return self._get_action("account_dunning.account_dunning_overview_responsible_action", [])

    def action_open_per_week(self):
        """The reminders sent per week and level, over twelve weeks."""
        self.ensure_one()
        check_dunning_access(self.env, "read", self.env._("see the Collection Overview"))
        today = self._get_today()
        action = self._get_action(
            "account_dunning.account_dunning_overview_sent_action",
            [
                ("state", "=", "sent"),
                ("date", ">=", self._get_week_start(today) - relativedelta(weeks=11)),
                ("date", "<=", today),
            ],
            name=self.env._("Reminders Sent per Week"),
        )
        # the graph first, then the action's other views
        action["views"] = sorted(action["views"], key=lambda view: view[1] != "graph")
        return action
