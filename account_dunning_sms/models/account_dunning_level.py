# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountDunningLevel(models.Model):
    _inherit = "account.dunning.level"

    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain="[('model', '=', 'account.dunning')]",
        help="The text of this level's SMS, rendered on the reminder. Empty: "
        "a short text with the amount overdue and the invoices.",
    )
