# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools
from odoo.tools import SQL

# What is open at a date, by days past due, with the labels of the buckets.
AGING_LABELS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]
AGING_BUCKETS = tuple(key for key, _label in AGING_LABELS)


def _get_aging_bucket(days_late):
    """THE aging bucket of an item ``days_late`` days past its due date
    (the statements'); ``AccountDunningAging._bucket_sql`` says the same in
    SQL for the aging report and Customer Accounts."""
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "1_30"
    if days_late <= 60:
        return "31_60"
    if days_late <= 90:
        return "61_90"
    return "over_90"


def sort_bucket_groups(result, groupby, orderby):
    """The groups ``result`` of a ``read_group`` by ``groupby`` with the
    buckets of a field ``bucket`` in their order (not due, 1-30, ... over
    90) rather than the alphabetical order of their keys, unless
    ``orderby`` asks for another; the other groups keep their order. For
    every report grouped by aging bucket."""
    groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
    names = [spec.split(":")[0] for spec in groupby]
    if "bucket" not in names or (orderby and "bucket" in orderby):
        return result
    rank = {key: index for index, (key, _label) in enumerate(AGING_LABELS)}
    first_seen = {}
    for row in result:
        for spec in groupby:
            first_seen.setdefault((spec, repr(row.get(spec))), len(first_seen))

    def order(row):
        return tuple(
            rank.get(row.get(spec), len(rank))
            if spec.split(":")[0] == "bucket"
            else first_seen[(spec, repr(row.get(spec)))]
            for spec in groupby
        )

    return sorted(result, key=order)


class AccountDunningAging(models.Model):
    """Open receivables by aging bucket, in company currency: one row per
    open receivable item (invoice installment, unused credit note or
    payment), for the pivot and the graph. A query run at each read: it
    reads the journal items as they are and ages them on each company's
    today (``account.dunning.engine._get_today``), not the database's."""

    _name = "account.dunning.aging"
    _description = "Receivables Aging"
    _auto = False
    _order = "days_late desc, id"
    # what the view reads: flushed before it is queried
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "account_id",
            "date",
            "date_maturity",
            "amount_residual",
            "reconciled",
            "parent_state",
        ],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id", "dunning_responsible_id", "user_id"],
        "res.company": ["currency_id", "dunning_responsible_id"],
        "res.users": ["active", "share", "company_ids", "groups_id"],
    }

    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    responsible_id = fields.Many2one("res.users", string="Reminder Responsible", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGING_LABELS, string="Aging", readonly=True)
    amount_residual = fields.Monetary(string="Amount Due in Company Currency", readonly=True)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Buckets in their order (not due, 1-30, ... over 90), not in the
        alphabetical order of their keys, wherever the pivot or the graph
        puts them; the other groups keep their order."""
        result = super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        return sort_bucket_groups(result, groupby, orderby)

    def _bucket_sql(self):
        """``_get_aging_bucket`` in SQL, on the column ``days_late``."""
        return SQL(
            """CASE WHEN days_late <= 0 THEN 'not_due'
                    WHEN days_late <= 30 THEN '1_30'
                    WHEN days_late <= 60 THEN '31_60'
                    WHEN days_late <= 90 THEN '61_90'
                    ELSE 'over_90' END"""
        )

    @api.model
    def _todays_sql(self):
        """A table ``today`` of each company's today (``company_id``,
        ``today``), as the engine decides it: what the items are aged on."""
        # every company: a handful of rows, whose access rules apply later
        Company = self.env["res.company"].sudo().with_context(active_test=False)
        companies = Company.search([])  # pylint: disable=no-search-all
        todays = self.env["account.dunning.engine"]._get_todays(companies)
        return SQL(
            "unnest(%s::int[], %s::date[]) AS today(company_id, today)",
            list(todays),
            list(todays.values()),
        )

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The open receivable items, aged on their company's today."""
        return SQL(
            """
            SELECT items.*, %s AS bucket FROM (
                SELECT aml.id,
                       aml.move_id,
                       customer.commercial_partner_id AS partner_id,
                       aml.company_id,
                       company.currency_id,
                       %s AS responsible_id,
                       COALESCE(aml.date_maturity, aml.date) AS date_due,
                       today.today - COALESCE(aml.date_maturity, aml.date) AS days_late,
                       aml.amount_residual
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN res_partner customer ON customer.id = aml.partner_id
                  JOIN res_partner commercial ON commercial.id = customer.commercial_partner_id
                  JOIN res_company company ON company.id = aml.company_id
                  JOIN %s ON today.company_id = aml.company_id
                 WHERE aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND NOT aml.reconciled
                   AND aml.amount_residual != 0
            ) AS items
            """,
            self._bucket_sql(),
            self.env["res.partner"]._get_dunning_responsible_sql(
                SQL.identifier("commercial"), SQL.identifier("company")
            ),
            self._todays_sql(),
        )

    def init(self):
        # read through ``_table_query``: the view of earlier versions goes
        tools.drop_view_if_exists(self.env.cr, self._table)
