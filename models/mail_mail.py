# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ast

from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """Reminder emails tell their reminder what became of them: sent, or
        not delivered (see ``account.dunning._on_email_failure``)."""
        mails = self.filtered(lambda m: m.model == "account.dunning")
        if mails:
            reminders = self.env["account.dunning"].sudo().search([("mail_id", "in", mails.ids)])
            failed_ids = set(mails.filtered(lambda m: m.state == "exception").ids)
            failed = reminders.filtered(lambda r: r.mail_id.id in failed_ids)
            (reminders - failed).filtered(lambda r: r.email_state == "queued").write(
                {"email_state": "sent"}
            )
            if failed:
                failed._on_email_failure(failure_reason or mails[:1].failure_reason or "")
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    def _dunning_add_blind_copy(self, email):
        """Send these emails to ``email`` too, in blind copy: the customer
        does not see that address. Odoo's emails have no Bcc field; a Bcc
        header goes to the SMTP envelope and Odoo's mail server removes it
        from the message. One write per set of emails with the same headers
        (usually one for a whole batch)."""
        for headers, mails in self.grouped("headers").items():
            values = ast.literal_eval(headers) if headers else {}
            values["Bcc"] = email
            mails.write({"headers": repr(values)})
