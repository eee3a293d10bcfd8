# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dunning_inputs import PERCENT_BOUNDS, check_bounds


class ResCompany(models.Model):
    """The collection agency a company hands its claims to by default, and
    the commission it takes (issue 23): the hand-off form proposes them."""

    _inherit = "res.company"

    dunning_agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        domain="[('dunning_is_collection_agency', '=', True), "
        "('company_id', 'in', (False, id))]",
        help="The agency the Hand Over to an Agency form proposes. Contacts are "
        "flagged as collection agencies on their Payment Reminders tab.",
    )
    dunning_agency_commission = fields.Float(
        string="Agency Commission (%)",
        digits=(16, 2),
        help="The share of what the agency recovers that it keeps, as agreed with "
        "it; copied on each hand-off, where it may be changed.",
    )

    @api.model
    def _check_dunning_settings(self, vals_list):
        """The agency's commission too: a percentage."""
        result = super()._check_dunning_settings(vals_list)
        check_bounds(self, vals_list, {"dunning_agency_commission": PERCENT_BOUNDS})
        return result

    @api.constrains("dunning_agency_id")
    def _check_dunning_agency(self):
        for company in self.sudo():
            agency = company.dunning_agency_id
            if agency and not agency.dunning_is_collection_agency:
                raise ValidationError(
                    self.env._(
                        "%(agency)s is not flagged as a collection agency: tick Collection "
                        "Agency on its Payment Reminders tab first.",
                        agency=agency.display_name,
                    )
                )
