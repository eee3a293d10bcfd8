# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

SMS_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("refused", "Refused"),
    ("cancel", "Withdrawn"),
]
# What Odoo's SMS notifications say of an SMS, as the reminder says it.
NOTIFICATION_SMS_STATES = {
    "ready": "queued",
    "process": "queued",
    "pending": "sent",
    "sent": "sent",
    "exception": "failed",
    "bounce": "failed",
    "canceled": "cancel",
}


class AccountDunning(models.Model):
    """The reminder's SMS, as Odoo's SMS tells what became of it: withdrawn
    from the queue by a cancel, failed like an email that fails."""

    _inherit = "account.dunning"

    sms_state = fields.Selection(
        SMS_STATES,
        string="SMS Status",
        copy=False,
        readonly=True,
        tracking=True,
        help="Queued: waiting for Odoo's SMS job. Sent: handed to the SMS "
        "provider. Failed: the provider could not deliver it. Refused: the "
        "number is on the blacklist, a call was scheduled instead. "
        "Withdrawn: the reminder was cancelled before it went.",
    )

    def _get_channels_out(self):
        """Adds: an SMS that failed or was withdrawn did not go out."""
        out = super()._get_channels_out()
        if self.sms_state in ("failed", "refused", "cancel"):
            out.discard("send_sms")
        return out

    def _get_sms_records(self):
        """The ``sms.sms`` of these reminders that Odoo still holds (a sent
        SMS is deleted by its job)."""
        return (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "in", self.ids),
                ]
            )
        )

    def _cancel_sms(self):
        """Adds: an SMS still in Odoo's queue is withdrawn (cancelled, as
        Odoo's own Cancel does); one that already left is said."""
        notes = super()._cancel_sms()
        if not self.send_sms or not self.sms_state:
            return notes
        waiting = self._get_sms_records().filtered(lambda sms: sms.state == "outgoing")
        if waiting:
            waiting.action_set_canceled()
            self.sudo().sms_state = "cancel"
            return notes + [self.env._("Its SMS was withdrawn from the queue.")]
        if self.sms_state in ("queued", "sent"):
            return notes + [self.env._("Its SMS had already been sent.")]
        return notes

    def _on_sms_status(self, status, reason=""):
        """Odoo's SMS told what became of the SMS of these reminders
        (``status``: a ``mail.notification`` status). A failed SMS is
        treated as a failed email (``_on_channel_failure``): when nothing
        else of the reminder went out, its invoices go back to their level."""
        sms_state = NOTIFICATION_SMS_STATES.get(status)
        reminders = self.sudo().filtered(
            lambda r: r.send_sms and r.sms_state in ("queued", "sent") and r.sms_state != sms_state
        )
        if not reminders or sms_state not in ("sent", "failed"):
            return
        reminders.write({"sms_state": sms_state})
        if sms_state == "failed":
            reminders._on_channel_failure(
                "send_sms",
                self.env._("The SMS could not be delivered: %(reason)s", reason=reason),
            )
