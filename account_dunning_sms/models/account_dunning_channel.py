# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class AccountDunningChannel(models.AbstractModel):
    """The SMS channel through Odoo's SMS: the engine's ``_send_sms`` stays
    as it is, these hooks queue the SMS and refuse a blacklisted number."""

    _inherit = "account.dunning.channel"

    @api.model
    def _get_sms_numbers(self, reminders):
        """{reminder id: the number its SMS goes to, formatted as Odoo
        does}: the contact's mobile, else its phone."""
        numbers = {}
        for reminder in reminders:
            contact = reminder.contact_id
            number = contact.mobile or contact.phone
            if number:
                numbers[reminder.id] = contact._phone_format(number=number) or number
        return numbers

    @api.model
    def _get_sms_refusals(self, reminders):
        """Adds: no number (the contact lost it since the reminder was
        prepared), or a number on Odoo's phone blacklist: no SMS."""
        refusals = super()._get_sms_refusals(reminders)
        numbers = self._get_sms_numbers(reminders)
        for reminder in reminders.filtered(lambda r: r.id not in numbers.keys() | refusals.keys()):
            refusals[reminder.id] = self.env._(
                "%(contact)s has no mobile number: a call is scheduled instead of the SMS.",
                contact=reminder.contact_id.display_name,
            )
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", list(set(numbers.values())))])
            .mapped("number")
        )
        for reminder_id, number in numbers.items():
            if number in blacklisted and reminder_id not in refusals:
                refusals[reminder_id] = self.env._(
                    "%(number)s is on the SMS blacklist: no SMS, a call to make instead.",
                    number=number,
                )
        return refusals

    @api.model
    def _queue_sms(self, reminders):
        """Queues each reminder's SMS through Odoo's SMS (``_message_sms``)
        for its hourly job: kept in the reminder's chatter, from the level's
        SMS template when it has one; the reminder's SMS status follows it
        (``account.dunning.sms_state``)."""
        queued = super()._queue_sms(reminders)
        numbers = self._get_sms_numbers(reminders - queued)
        for reminder in (reminders - queued).filtered(lambda r: r.id in numbers):
            reminder.sudo()._message_sms(
                self._get_sms_text(reminder),
                partner_ids=reminder.contact_id.ids,
                sms_pid_to_number={reminder.contact_id.id: numbers[reminder.id]},
                put_in_queue=True,
            )
            queued |= reminder
        queued.sudo().write({"sms_state": "queued"})
        return queued

    @api.model
    def _replace_sms_by_call(self, reminders, reasons=None):
        """Adds: the reminder's SMS status says it was refused."""
        reminders.sudo().write({"sms_state": "refused"})
        return super()._replace_sms_by_call(reminders, reasons=reasons)

    @api.model
    def _get_sms_text(self, reminder):
        """The text of the SMS: the level's SMS template rendered on the
        reminder, else the reminder's own short text."""
        template = reminder.level_id.sms_template_id
        if not template:
            return reminder._get_sms_body()
        return template._render_field("body", reminder.ids, compute_lang=True)[reminder.id]
