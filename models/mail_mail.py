# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ast
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.mail.models.mail_message import _image_dataurl

_SANITIZE_ONCE = ContextVar("account_dunning_sanitize_once", default=False)


@contextmanager
def sanitize_bodies_once():
    """While the block runs, the emails this thread creates have their
    message's body sanitized once (``MailMail.create``), not three times.
    Python state of the thread, not a context key: no request can set it."""
    token = _SANITIZE_ONCE.set(True)
    try:
        yield
    finally:
        _SANITIZE_ONCE.reset(token)


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model_create_multi
    def create(self, vals_list):
        """Inside ``sanitize_bodies_once`` (the reminder emails, thousands a
        run), each message's body is sanitized once, with the options of
        its field, and written in one query for the batch: given to the
        ORM, it is sanitized three times (the message's column, its cache
        and the email's cache: a third of the daily job). The body sent
        (``body_html``) is the same as Odoo's; a body with embedded images,
        which Odoo's message turns into attachments, goes Odoo's way."""
        if not _SANITIZE_ONCE.get():
            return super().create(vals_list)
        bodies = []
        for vals in vals_list:
            body = vals.get("body")
            deferred = bool(body) and not _image_dataurl.search(body)
            bodies.append(vals.pop("body") if deferred else None)
        mails = super().create(vals_list)
        deferred = [(mail, body) for mail, body in zip(mails, bodies, strict=True) if body]
        if deferred:
            Message = self.env["mail.message"].sudo()
            field = Message._fields["body"]
            messages = Message.browse([mail.mail_message_id.id for mail, _body in deferred])
            values = [
                field.convert_to_column(body, message)
                for message, (_mail, body) in zip(messages, deferred, strict=True)
            ]
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message AS message SET body = new.body "
                    "FROM unnest(%s::int[], %s::text[]) AS new(id, body) "
                    "WHERE message.id = new.id",
                    messages.ids,
                    values,
                )
            )
            messages.invalidate_recordset(["body"])
            mails.invalidate_recordset(["body"])
        return mails

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
