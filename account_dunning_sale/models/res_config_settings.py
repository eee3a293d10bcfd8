# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_quotation_days_before = fields.Integer(
        related="company_id.dunning_quotation_days_before", readonly=False
    )
    dunning_quotation_days_after = fields.Integer(
        related="company_id.dunning_quotation_days_after", readonly=False
    )
    dunning_quotation_auto = fields.Boolean(
        related="company_id.dunning_quotation_auto", readonly=False
    )
    dunning_quotation_template_id = fields.Many2one(
        related="company_id.dunning_quotation_template_id", readonly=False
    )
    dunning_notice_sale_policy = fields.Selection(
        related="company_id.dunning_notice_sale_policy", readonly=False
    )
