# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountDunningCustomer(models.Model):
    _inherit = "account.dunning.customer"

    portal_last_seen = fields.Datetime(
        string="Last Looked",
        compute="_compute_portal_last_seen",
        help="When the customer last opened the page of one of its reminders.",
    )

    def _compute_portal_last_seen(self):
        """The latest look of each customer at its reminders' pages in the
        row's company: one grouped query for the rows shown."""
        seen = {}
        if self.ids:
            groups = (
                self.env["account.dunning"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "in", self.partner_id.ids),
                        ("company_id", "in", self.company_id.ids),
                        ("portal_last_seen", "!=", False),
                    ],
                    ["partner_id", "company_id"],
                    ["portal_last_seen:max"],
                )
            )
            seen = {(partner.id, company.id): last for partner, company, last in groups}
        for row in self:
            row.portal_last_seen = seen.get((row.partner_id.id, row.company_id.id), False)
