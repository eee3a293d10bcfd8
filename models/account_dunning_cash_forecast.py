# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools
from odoo.tools import SQL

# How many weeks ahead the expected cash looks, this week included.
FORECAST_WEEKS = 8


class AccountDunningCashForecast(models.Model):
    """Expected Cash: what the open customer invoices still owe, in company
    currency, by the week it is due and by the week it will likely be paid
    (``account.move.dunning_predicted_date``: the due date plus the
    customer's average delay), for this week and the next seven. Two rows
    per open installment, one for each basis. An installment due or
    predicted before this week counts in this week: it is owed now. A query
    run at each read, on each company's today."""

    _name = "account.dunning.cash.forecast"
    _description = "Expected Cash"
    _auto = False
    _order = "week_start, basis, id"
    _depends = {
        "account.move.line": [
            "move_id",
            "account_id",
            "date_maturity",
            "amount_residual",
            "reconciled",
            "parent_state",
        ],
        "account.move": [
            "move_type",
            "state",
            "company_id",
            "commercial_partner_id",
            "dunning_date_due",
            "invoice_date_due",
        ],
        "account.account": ["account_type"],
        "res.partner": ["dunning_avg_days_late"],
        "res.company": ["currency_id", "dunning_avg_days_late"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    basis = fields.Selection(
        [("due", "By Due Date"), ("predicted", "Predicted")],
        readonly=True,
        help="By Due Date: when the installment is due. Predicted: its due date plus "
        "the days its customer pays late on average.",
    )
    week_start = fields.Date(string="Week", readonly=True, help="The Monday of the week.")
    date = fields.Date(string="Expected On", readonly=True)
    amount = fields.Monetary(string="Expected in Company Currency", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The open installments of posted customer invoices, each on its
        due date and on its predicted date (the delay of
        ``account.dunning.behaviour._get_delay_sql``), by week."""
        Aging = self.env["account.dunning.aging"]
        return SQL(
            """
            SELECT id, company_id, currency_id, partner_id, move_id, basis, week_start, date,
                   amount
              FROM (
                SELECT line.id * 2 + basis.n AS id,
                       move.company_id,
                       company.currency_id,
                       move.commercial_partner_id AS partner_id,
                       move.id AS move_id,
                       basis.basis,
                       GREATEST(
                           date_trunc('week', basis.date::timestamp),
                           date_trunc('week', today.today::timestamp)
                       )::date AS week_start,
                       basis.date,
                       line.amount_residual AS amount,
                       (date_trunc('week', today.today::timestamp)
                           + %(weeks)s * INTERVAL '1 week')::date AS week_end
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_company company ON company.id = move.company_id
                  JOIN %(todays)s ON today.company_id = move.company_id
                 CROSS JOIN LATERAL (
                       SELECT COALESCE(line.date_maturity, move.invoice_date_due, line.date)
                              AS date_due
                  ) due
                 CROSS JOIN LATERAL (
                       VALUES ('due', 0, due.date_due),
                              ('predicted', 1, due.date_due + %(delay)s)
                  ) AS basis(basis, n, date)
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.dunning_date_due IS NOT NULL
                   AND account.account_type = 'asset_receivable'
                   AND NOT line.reconciled
                   AND line.amount_residual > 0
            ) items
             WHERE week_start < week_end
            """,
            weeks=FORECAST_WEEKS,
            todays=Aging._todays_sql(),
            delay=self.env["account.dunning.behaviour"]._get_delay_sql("move"),
        )
