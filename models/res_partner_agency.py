# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .dunning_inputs import DUNNING_READ_GROUPS


class ResPartner(models.Model):
    """Collection agencies (contacts flagged as such) and a customer handed
    to one (issue 23): what the agency recovered since the hand-off, on the
    customer's Payment Reminders tab."""

    _inherit = "res.partner"

    dunning_is_collection_agency = fields.Boolean(
        string="Collection Agency",
        help="This contact is a debt collection agency: customers' claims can be "
        "handed over to it (Hand Over to an Agency).",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_agency_id = fields.Many2one(
        related="dunning_litigation_id.agency_id",
        string="Handed Over To",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_handoff_date = fields.Date(
        related="dunning_litigation_id.handoff_date",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_agency_recovered = fields.Html(
        related="dunning_litigation_id.agency_recovered",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_agency_commission_due = fields.Html(
        related="dunning_litigation_id.agency_commission_due",
        groups=DUNNING_READ_GROUPS,
    )

    def action_dunning_handoff(self):
        """The Hand Over to an Agency form, for this customer in the
        current company."""
        self.ensure_one()
        return self.env["account.dunning.handoff.wizard"]._action_open(
            self.commercial_partner_id, self.env.company
        )
