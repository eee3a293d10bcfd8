# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """A reminder email the queue could not deliver fails its reminder
        and gives its invoices their previous level back."""
        failed = self.filtered(lambda m: m.state == "exception" and m.model == "account.dunning")
        if failed:
            reminders = self.env["account.dunning"].sudo().search([("mail_id", "in", failed.ids)])
            reminders._on_email_failure(failure_reason or failed[:1].failure_reason or "")
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
