# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .account_dunning_aging import AGING_BUCKETS, AGING_LABELS, sort_bucket_groups
from .dunning_tools import countback_dso_sql

# How many month ends the trend shows: this month (up to today) and the 11
# before it.
OVERVIEW_MONTHS = 12
# How far back the days sales outstanding looks for sales (as Customer
# Accounts' ``DSO_MONTHS``).
DSO_MONTHS = 24


class AccountDunningOverviewMonth(models.Model):
    """The Collection Overview's trend: for each company and each of the
    last twelve month ends (this month's end being the company's today),
    what customers owed on that day by aging bucket, and the days sales
    outstanding then, in company currency. One row per company, month and
    bucket (all five, at zero when nothing was owed), for the graphs (a
    line of the DSO, stacked bars of the buckets) and the pivot.

    What was owed on a past day is each receivable item dated on or before
    it, less the reconciliations dated on or before it
    (``account_partial_reconcile.max_date``, the date Odoo's aged reports
    read too), aged on that day with the aging report's buckets
    (``account.dunning.aging._bucket_sql``): on today's row, the same
    amounts as the aging report. It is read the other way round, which is
    the same: what the item owes now plus what was reconciled after that
    day, so that only the items open now or reconciled in the last twelve
    months are read, not the whole history of the book (about 1 s for
    200,000 invoices and 180,000 payments over two years).

    The DSO is the countback of Customer Accounts (``countback_dso``, in
    SQL beside it: ``countback_dso_sql``) on the total owed that day."""

    _name = "account.dunning.overview.month"
    _description = "Collection Overview by Month"
    _auto = False
    _order = "company_id, month desc, id"
    _depends = {
        "account.move.line": [
            "company_id",
            "account_id",
            "partner_id",
            "date",
            "date_maturity",
            "amount_residual",
            "parent_state",
        ],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "max_date"],
        "account.move": ["company_id", "state", "move_type", "invoice_date", "amount_total_signed"],
        "account.account": ["account_type"],
        "res.company": ["currency_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    month = fields.Date(readonly=True, help="The first day of the month.")
    date_end = fields.Date(
        string="Measured On",
        readonly=True,
        help="The day the amounts were owed: the month's last day, today for this month.",
    )
    bucket = fields.Selection(AGING_LABELS, string="Aging", readonly=True)
    is_overdue = fields.Boolean(
        string="Overdue", readonly=True, help="Past its due date on the day measured."
    )
    amount = fields.Monetary(
        string="Amount Due",
        readonly=True,
        help="What customers owed on the day measured, in this aging bucket, in company currency.",
    )
    dso = fields.Integer(
        string="DSO",
        readonly=True,
        aggregator="avg",
        help="Days sales outstanding on the day measured, countback method: how many "
        "days of the latest sales what customers owed represents.",
    )

    def init(self):
        # read through ``_table_query``
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The buckets in their order, as in the aging report."""
        result = super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        return sort_bucket_groups(result, groupby, orderby)

    @api.model
    def _get_month_ends(self, today):
        """The days the trend measures for a company whose today is
        ``today``: today, then the last day of each month before it,
        ``OVERVIEW_MONTHS`` days in all, latest first."""
        first = today + relativedelta(day=1)
        return [today] + [
            first - relativedelta(months=step, days=1) for step in range(OVERVIEW_MONTHS - 1)
        ]

    @api.model
    def _query(self):
        # the companies the user works in: the record rule keeps those only
        todays = self.env["account.dunning.engine"]._get_todays(self.env.companies)
        ends = [
            (company_id, step, date_end)
            for company_id, today in todays.items()
            for step, date_end in enumerate(self._get_month_ends(today))
        ]
        company_ids = list(todays)
        today_values = list(todays.values())
        default = fields.Date.today()
        earliest = min((end[2] for end in ends), default=default)
        latest = max(today_values, default=default)
        return SQL(
            """
            WITH ends AS (
                SELECT *
                  FROM unnest(%(end_companies)s::int[], %(end_steps)s::int[], %(end_dates)s::date[])
                       AS ends(company_id, step, date_end)
            ),
            -- the reconciliations after the first day: what an item owed on
            -- a day is what it owes now plus what was reconciled after that day
            later AS MATERIALIZED (
                SELECT part.debit_move_id AS line_id, part.max_date, part.amount
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(earliest)s
                UNION ALL
                SELECT part.credit_move_id, part.max_date, -part.amount
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(earliest)s
            ),
            -- the aging report's receivable items open now or reconciled since
            items AS MATERIALIZED (
                SELECT aml.id,
                       aml.company_id,
                       aml.date,
                       COALESCE(aml.date_maturity, aml.date) AS date_due,
                       aml.amount_residual
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN res_partner customer ON customer.id = aml.partner_id
                 WHERE aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND aml.company_id = ANY(%(companies)s::int[])
                   AND aml.date <= %(latest)s
                   AND (aml.amount_residual != 0 OR aml.id IN (SELECT line_id FROM later))
            ),
            owed AS (
                SELECT items.company_id,
                       ends.date_end,
                       ends.date_end - items.date_due AS days_late,
                       items.amount_residual AS amount
                  FROM items
                  JOIN ends ON ends.company_id = items.company_id AND items.date <= ends.date_end
                 WHERE items.amount_residual != 0
                UNION ALL
                SELECT items.company_id,
                       ends.date_end,
                       ends.date_end - items.date_due,
                       later.amount
                  FROM later
                  JOIN items ON items.id = later.line_id
                  JOIN ends ON ends.company_id = items.company_id
                           AND items.date <= ends.date_end
                           AND later.max_date > ends.date_end
            ),
            buckets AS (
                SELECT company_id, date_end, %(bucket)s AS bucket, SUM(amount) AS amount
                  FROM owed
                 GROUP BY company_id, date_end, 3
            ),
            dso AS (%(dso)s)
            SELECT ends.company_id * 1000 + ends.step * 10 + bucket.rank AS id,
                   ends.company_id,
                   company.currency_id,
                   date_trunc('month', ends.date_end)::date AS month,
                   ends.date_end,
                   bucket.bucket,
                   bucket.bucket != 'not_due' AS is_overdue,
                   COALESCE(buckets.amount, 0) AS amount,
                   dso.dso
              FROM ends
              JOIN res_company company ON company.id = ends.company_id
             CROSS JOIN unnest(%(buckets)s::varchar[]) WITH ORDINALITY AS bucket(bucket, rank)
              LEFT JOIN buckets ON buckets.company_id = ends.company_id
                               AND buckets.date_end = ends.date_end
                               AND buckets.bucket = bucket.bucket
              LEFT JOIN dso ON dso.company_id = ends.company_id AND dso.date_end = ends.date_end
            """,
            end_companies=[end[0] for end in ends],
            end_steps=[end[1] for end in ends],
            end_dates=[end[2] for end in ends],
            companies=company_ids,
            latest=latest,
            earliest=earliest,
            bucket=self.env["account.dunning.aging"]._bucket_sql(),
            buckets=list(AGING_BUCKETS),
            dso=countback_dso_sql(
                SQL(
                    "SELECT ends.company_id, ends.date_end, COALESCE(SUM(buckets.amount), 0)"
                    " AS balance FROM ends LEFT JOIN buckets"
                    " ON buckets.company_id = ends.company_id AND buckets.date_end = ends.date_end"
                    " GROUP BY ends.company_id, ends.date_end"
                ),
                self._monthly_sales_sql(company_ids, today_values, earliest + relativedelta(day=1)),
                DSO_MONTHS,
            ),
        )

    @api.model
    def _monthly_sales_sql(self, company_ids, todays, earliest):
        """(``company_id``, ``month``, ``amount``): what each company
        invoiced less credited in each month, up to its today, as Customer
        Accounts reads it for the DSO (``_get_monthly_sales``)."""
        return SQL(
            """
            SELECT move.company_id,
                   date_trunc('month', move.invoice_date)::date AS month,
                   SUM(move.amount_total_signed) AS amount
              FROM account_move move
              JOIN unnest(%s::int[], %s::date[]) AS today(company_id, today)
                   ON today.company_id = move.company_id
             WHERE move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date <= today.today
               AND move.invoice_date >= %s
             GROUP BY move.company_id, 2
            """,
            company_ids,
            todays,
            earliest - relativedelta(months=DSO_MONTHS - 1),
        )
