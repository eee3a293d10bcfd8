# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_default_plan_id = fields.Many2one(
        related="company_id.dunning_default_plan_id",
        readonly=False,
    )
    dunning_internal_email = fields.Char(
        related="company_id.dunning_internal_email",
        readonly=False,
    )
    dunning_min_amount = fields.Monetary(
        related="company_id.dunning_min_amount",
        readonly=False,
    )
    dunning_min_interval_days = fields.Integer(
        related="company_id.dunning_min_interval_days",
        readonly=False,
    )
    dunning_exclude_direct_debit = fields.Boolean(
        related="company_id.dunning_exclude_direct_debit",
        readonly=False,
    )
