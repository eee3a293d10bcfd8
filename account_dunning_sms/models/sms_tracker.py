# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _update_sms_notifications(
        self, notification_status, failure_type=False, failure_reason=False
    ):
        """Reminder SMS tell their reminder what became of them, from the
        SMS job's answer or the provider's delivery report
        (``account.dunning._on_sms_status``)."""
        result = super()._update_sms_notifications(
            notification_status, failure_type=failure_type, failure_reason=failure_reason
        )
        messages = self.sudo().mail_notification_id.mail_message_id.filtered(
            lambda message: message.model == "account.dunning"
        )
        if messages:
            reason = failure_reason or ""
            if failure_type:
                labels = dict(
                    self.env["mail.notification"]
                    ._fields["failure_type"]
                    ._description_selection(self.env)
                )
                reason = labels.get(failure_type, failure_type)
            self.env["account.dunning"].browse(messages.mapped("res_id")).exists()._on_sms_status(
                notification_status, reason
            )
        return result
