# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountDunningDispute(models.Model):
    _name = "account.dunning.dispute"
    _inherit = ["account.dunning.dispute", "account.dunning.portal.origin"]
