# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_date

from .dunning_inputs import DUNNING_READ_GROUPS


class AccountMove(models.Model):
    """The invoice of a customer in litigation in the invoice's company
    says so: the worklist in red, the invoice's reminder tab with the date
    and the road. What the engine refuses is read in its own query
    (``_get_dunning_states_where``): these fields only show it."""

    _inherit = "account.move"

    dunning_litigation = fields.Boolean(
        string="Customer in Litigation",
        compute="_compute_dunning_litigation",
        search="_search_dunning_litigation",
        help="The customer is in litigation in the invoice's company: no reminder is sent.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_litigation_note = fields.Char(
        string="Litigation",
        compute="_compute_dunning_litigation",
        groups=DUNNING_READ_GROUPS,
    )

    @api.depends("commercial_partner_id", "company_id")
    def _compute_dunning_litigation(self):
        """From the open litigations of these invoices' customers in their
        companies, one search for all (those the user may read: the
        companies selected)."""
        litigations = self.env["account.dunning.litigation"].search(
            [
                ("state", "=", "open"),
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        by_key = {(lit.partner_id.id, lit.company_id.id): lit for lit in litigations}
        for move in self:
            litigation = by_key.get((move.commercial_partner_id.id, move.company_id.id))
            move.dunning_litigation = bool(litigation)
            move.dunning_litigation_note = litigation and self.env._(
                "Customer in litigation since %(date)s (%(road)s)",
                date=format_date(self.env, litigation.date_start),
                road=litigation._get_road_label(),
            )

    def _search_dunning_litigation(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        partners = defaultdict(list)
        for litigation in self.env["account.dunning.litigation"].search_fetch(
            [("state", "=", "open"), ("company_id", "in", self.env.companies.ids)],
            ["partner_id", "company_id"],
        ):
            partners[litigation.company_id.id].append(litigation.partner_id.id)
        domain = [("id", "=", 0)]
        for company_id, partner_ids in partners.items():
            clause = [
                "&",
                ("company_id", "=", company_id),
                ("commercial_partner_id", "in", partner_ids),
            ]
            domain = ["|", *domain, *clause]
        wanted = bool(value) == (operator == "=")
        return domain if wanted else ["!", *domain]
