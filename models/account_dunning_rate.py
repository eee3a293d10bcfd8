# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .dunning_inputs import PERCENT_BOUNDS, check_bounds

RATE_TYPES = [
    ("ecb", "ECB main refinancing rate"),
    ("legal_other", "Legal interest rate (creditor not an individual)"),
    ("legal_individual", "Legal interest rate (creditor an individual)"),
]


class AccountDunningRate(models.Model):
    """The rates French late-payment charges are computed from, each in
    force from its date: the ECB's main refinancing rate (Code de commerce
    L441-10: the rate in force on 1 January for the first half-year, on 1
    July for the second) and the two legal interest rates published each
    half-year (Code monétaire et financier L313-2). Managers add the new
    ones as they are published."""

    _name = "account.dunning.rate"
    _description = "Late-Payment Reference Rate"
    _order = "rate_type, date_from desc"

    rate_type = fields.Selection(RATE_TYPES, string="Rate", required=True)
    date_from = fields.Date(string="In Force From", required=True)
    rate = fields.Float(string="Rate (%)", required=True, digits=(16, 2), aggregator=None)
    note = fields.Char(string="Source", help="Where the rate was published.")

    _sql_constraints = [
        (
            "rate_date_unique",
            "UNIQUE(rate_type, date_from)",
            "A rate is in force once from a date.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        check_bounds(self, vals_list, {"rate": PERCENT_BOUNDS})
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, [vals], {"rate": PERCENT_BOUNDS})
        return super().write(vals)

    @api.model
    def _get_rates(self):
        """{rate type: [(in force from, rate), ...] newest first}, in one
        query, for ``_get_rate``."""
        rates = {}
        # a few records a year: all of them, newest first
        for record in self.sudo().search([("date_from", "!=", False)]):
            rates.setdefault(record.rate_type, []).append((record.date_from, record.rate))
        return rates

    @api.model
    def _get_rate(self, rates, rate_type, date):
        """The rate of ``rate_type`` in force on ``date``, from ``rates``
        (``_get_rates``); 0.0 when none was in force yet."""
        for date_from, rate in rates.get(rate_type, []):
            if date_from <= date:
                return rate
        return 0.0
