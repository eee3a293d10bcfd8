# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from odoo.addons.account_dunning.models.dunning_engine_owned import check_engine_fields

# written by the customer's page alone: a user cannot say a customer did it
PAGE_FIELDS = ("from_customer", "portal_reminder_id")


class AccountDunningPortalOrigin(models.AbstractModel):
    """What a customer did on the page of a reminder (a promise, a
    dispute): marked as the customer's, with the page it came from."""

    _name = "account.dunning.portal.origin"
    _description = "Made on a Customer Page"

    from_customer = fields.Boolean(
        string="From the Customer",
        readonly=True,
        help="The customer did this on the page of a reminder.",
    )
    portal_reminder_id = fields.Many2one(
        "account.dunning", string="From the Page Of", readonly=True, index="btree_not_null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, PAGE_FIELDS, vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, PAGE_FIELDS, [vals])
        return super().write(vals)
