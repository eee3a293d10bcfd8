# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dunning_inputs import PERCENT_BOUNDS, check_bounds

# Days late a grade's threshold may be: a year at most.
GRADE_DAYS_BOUNDS = (0, 365)
_GRADE_BOUNDS = {
    "dunning_grade_a_days": GRADE_DAYS_BOUNDS,
    "dunning_grade_a_on_time": PERCENT_BOUNDS,
    "dunning_grade_b_days": GRADE_DAYS_BOUNDS,
    "dunning_grade_c_days": GRADE_DAYS_BOUNDS,
}


class ResCompany(models.Model):
    """The thresholds of the customers' payment grades, and the company's
    own payment figures (``account.dunning.behaviour``)."""

    _inherit = "res.company"

    dunning_grade_a_days = fields.Integer(
        string="Grade A: At Most Days Late",
        default=5,
        help="Grade A: customers who pay at most this many days late on average "
        "(weighted by amount)...",
    )
    dunning_grade_a_on_time = fields.Float(
        string="Grade A: At Least Paid on Time (%)",
        default=80.0,
        digits=(16, 0),
        help="... and pay at least this share of their invoices by the due date.",
    )
    dunning_grade_b_days = fields.Integer(
        string="Grade B: At Most Days Late",
        default=15,
        help="Grade B: the other customers who pay at most this many days late on average.",
    )
    dunning_grade_c_days = fields.Integer(
        string="Grade C: At Most Days Late",
        default=45,
        help="Grade C: the other customers who pay at most this many days late on "
        "average; grade D: later still.",
    )
    dunning_avg_days_late = fields.Float(
        string="Customers' Average Days Late",
        digits=(16, 1),
        readonly=True,
        help="How many days late the customers paid the invoices paid in the last 12 "
        "months, on average weighted by amount: the delay predicted for customers "
        "without history.",
    )
    dunning_behaviour_date = fields.Datetime(
        string="Payment Behaviour Refreshed On",
        readonly=True,
        help="When the grades, predicted payment dates and priorities were last computed.",
    )

    @api.model
    def _check_dunning_settings(self, vals_list):
        """The grades' thresholds too: days and a share within their bounds."""
        result = super()._check_dunning_settings(vals_list)
        check_bounds(self, vals_list, _GRADE_BOUNDS)
        return result

    @api.constrains("dunning_grade_a_days", "dunning_grade_b_days", "dunning_grade_c_days")
    def _check_dunning_grade_days(self):
        for company in self:
            if not (
                company.dunning_grade_a_days
                <= company.dunning_grade_b_days
                <= company.dunning_grade_c_days
            ):
                raise ValidationError(
                    self.env._(
                        "The days late of the grades go up from A to C: A at most "
                        "%(a)s, B at most %(b)s, C at most %(c)s is not in order.",
                        a=company.dunning_grade_a_days,
                        b=company.dunning_grade_b_days,
                        c=company.dunning_grade_c_days,
                    )
                )
