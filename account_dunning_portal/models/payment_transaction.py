# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from odoo.addons.account_dunning.models.dunning_engine_owned import check_engine_fields


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    dunning_reminder_id = fields.Many2one(
        "account.dunning",
        string="From the Page of Reminder",
        readonly=True,
        index="btree_not_null",
        help="The customer paid from the page of this payment reminder.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, ("dunning_reminder_id",), vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, ("dunning_reminder_id",), [vals])
        return super().write(vals)
