# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountDunningPromise(models.Model):
    _name = "account.dunning.promise"
    _inherit = ["account.dunning.promise", "account.dunning.portal.origin"]
