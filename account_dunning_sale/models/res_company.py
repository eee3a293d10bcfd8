# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.account_dunning.models.dunning_inputs import QUOTATION_DAYS_BOUNDS, check_bounds

# What the quotation reminder settings may be (``dunning_inputs``).
_QUOTATION_BOUNDS = dict.fromkeys(
    ("dunning_quotation_days_before", "dunning_quotation_days_after"), QUOTATION_DAYS_BOUNDS
)


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_quotation_days_before = fields.Integer(
        string="First Quotation Reminder: Days Before Expiry",
        default=3,
        help="The first reminder of a sent quotation goes this many days "
        "before its validity date.",
    )
    dunning_quotation_days_after = fields.Integer(
        string="Second Quotation Reminder: Days After Expiry",
        default=7,
        help="The second reminder goes this many days after the validity date "
        "(and at least as many days after the first as between the two dates).",
    )
    dunning_quotation_auto = fields.Boolean(
        string="Send Quotation Reminders Automatically",
        help="The daily payment reminder job also sends the quotation reminders "
        "that are due. Otherwise they wait in Sales > Orders > Quotations to Remind.",
    )
    dunning_notice_sale_policy = fields.Selection(
        [
            ("warn", "A sales manager confirms"),
            ("block", "Nobody confirms"),
        ],
        string="Quotations of Customers Past a Formal Notice",
        default="warn",
        required=True,
        help="A customer whose formal notice gave a deadline that passed with its invoices "
        "still unpaid: either only a sales manager may confirm its quotations (and their "
        "confirmation is noted on the quotation), or nobody may until it pays.",
    )
    dunning_quotation_template_id = fields.Many2one(
        "mail.template",
        string="Quotation Reminder Template",
        domain="[('model', '=', 'account.dunning.quotation')]",
        help="The email of the quotation reminders; empty: the one shipped.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_bounds(self, vals_list, _QUOTATION_BOUNDS)
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, [vals], _QUOTATION_BOUNDS)
        return super().write(vals)

    @api.constrains("dunning_quotation_days_before", "dunning_quotation_days_after")
    def _check_dunning_quotation_days(self):
        for company in self:
            if (
                company.dunning_quotation_days_before < 0
                or company.dunning_quotation_days_after < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The quotation reminder days count from the validity date, "
                        "before it for the first and after it for the second: "
                        "give them as zero or more days."
                    )
                )
