# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .dunning_tools import check_dunning_access


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
    dunning_penalty_rate = fields.Float(related="company_id.dunning_penalty_rate", readonly=False)
    dunning_penalty_product_id = fields.Many2one(
        related="company_id.dunning_penalty_product_id", readonly=False
    )
    dunning_indemnity_product_id = fields.Many2one(
        related="company_id.dunning_indemnity_product_id", readonly=False
    )
    dunning_promise_grace_days = fields.Integer(
        related="company_id.dunning_promise_grace_days", readonly=False
    )
    dunning_min_interval_days = fields.Integer(
        related="company_id.dunning_min_interval_days",
        readonly=False,
    )
    dunning_exclude_direct_debit = fields.Boolean(
        related="company_id.dunning_exclude_direct_debit",
        readonly=False,
    )

    dunning_responsible_id = fields.Many2one(
        related="company_id.dunning_responsible_id",
        readonly=False,
    )
    dunning_agency_id = fields.Many2one(related="company_id.dunning_agency_id", readonly=False)
    dunning_agency_commission = fields.Float(
        related="company_id.dunning_agency_commission", readonly=False
    )
    dunning_last_run_date = fields.Datetime(related="company_id.dunning_last_run_date")
    dunning_grade_a_days = fields.Integer(related="company_id.dunning_grade_a_days", readonly=False)
    dunning_grade_a_on_time = fields.Float(
        related="company_id.dunning_grade_a_on_time", readonly=False
    )
    dunning_grade_b_days = fields.Integer(related="company_id.dunning_grade_b_days", readonly=False)
    dunning_grade_c_days = fields.Integer(related="company_id.dunning_grade_c_days", readonly=False)
    dunning_avg_days_late = fields.Float(related="company_id.dunning_avg_days_late")
    dunning_behaviour_date = fields.Datetime(related="company_id.dunning_behaviour_date")
    dunning_last_run_summary = fields.Char(related="company_id.dunning_last_run_summary")

    def action_dunning_run_now(self):
        """Ask the scheduler to run the daily job now, in the background:
        the user is told what it did when it is done (and the settings show
        it), the web request does not wait for thousands of reminders.
        Reminder managers only: the job runs as the superuser."""
        check_dunning_access(self.env, "manager", self.env._("run the daily reminder job now"))
        self.company_id.sudo().dunning_run_requested_uid = self.env.user
        self.env.ref("account_dunning.ir_cron_dunning").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Payment reminders"),
                "message": self.env._(
                    "The daily job starts in a moment. When it is done, a message "
                    "here tells what it sent, the letters to post, the activities "
                    "and the failures."
                ),
                "sticky": False,
            },
        }

    def action_dunning_dry_run(self):
        """What the daily job would send now, in the workbench, unsent.
        Reminder managers only, as the settings it is on."""
        check_dunning_access(
            self.env, "manager", self.env._("see what the daily reminder job would send")
        )
        planned = self.env["account.dunning"]._cron_process_reminders(
            dry_run=True, companies=self.company_id
        )
        return self.env["account.dunning.wizard"]._action_open_dry_run(planned)

    def action_dunning_refresh_behaviour(self):
        """Refresh the customers' grades, predicted payment dates and
        priorities of the company now (the daily job does it every day)."""
        return self.env["res.partner"]._action_dunning_refresh_payment_behaviour(self.company_id)
