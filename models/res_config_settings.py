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

    def action_dunning_run_now(self):
        """Run the daily job now, for this company."""
        self.env["account.dunning"]._cron_process_reminders(companies=self.company_id)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_action"
        )

    def action_dunning_dry_run(self):
        """What the daily job would send now, in the workbench, unsent."""
        planned = self.env["account.dunning"]._cron_process_reminders(
            dry_run=True, companies=self.company_id
        )
        return self.env["account.dunning.wizard"]._action_open_dry_run(planned)
