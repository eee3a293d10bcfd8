# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _get_dunning_bounced_emails(self, emails, normalized=False):
        """Adds the addresses a quotation reminder bounced from: one rule
        for both kinds of reminders."""
        emails = list(emails)
        bounced = super()._get_dunning_bounced_emails(emails, normalized=normalized)
        normalized = self._get_dunning_normalized_emails(emails, normalized=normalized)
        if not normalized:
            return bounced
        self.env["account.dunning.quotation"].flush_model(["email", "email_bounced"])
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT lower(trim(email)) FROM account_dunning_quotation "
                "WHERE email_bounced AND lower(trim(email)) = ANY(%s)",
                list(normalized),
            )
        )
        return bounced | {row[0] for row in rows}
