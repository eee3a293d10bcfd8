# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class AccountDunningJob(models.AbstractModel):
    _inherit = "account.dunning.job"

    @api.model
    def _run(self, dry_run=False, companies=None):
        """After the payment reminders, the quotation reminders that are due,
        for the companies whose setting sends them on their own."""
        planned = super()._run(dry_run=dry_run, companies=companies)
        if dry_run:
            return planned
        for company in companies or self.env["res.company"].search([("active", "=", True)]):
            if not company.dunning_quotation_auto:
                continue
            reminders = (
                self._for_company(company).env["account.dunning.quotation"]._cron_send_due(company)
            )
            if reminders:
                _logger.info("Quotation reminders of %s: %s", company.name, len(reminders))
        return planned
