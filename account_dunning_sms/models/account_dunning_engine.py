# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class AccountDunningEngine(models.AbstractModel):
    _inherit = "account.dunning.engine"

    @api.model
    def _get_sms_text(self, reminder):
        """The text of a reminder's SMS (``account.dunning.channel``)."""
        return self.env["account.dunning.channel"]._get_sms_text(reminder)
