# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_portal_promise_days = fields.Integer(
        string="Days a Customer May Promise",
        default=30,
        help="On its page, a customer may promise to pay within this many days.",
    )

    @api.constrains("dunning_portal_promise_days")
    def _check_dunning_portal_promise_days(self):
        for company in self:
            if not 1 <= company.dunning_portal_promise_days <= 365:
                raise ValidationError(
                    self.env._("A customer may promise to pay within 1 to 365 days.")
                )
