# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class AccountDunningEngine(models.AbstractModel):
    _inherit = "account.dunning.engine"

    @api.model
    def _send_sms(self, reminders):
        """Each reminder's SMS through Odoo's SMS (``_message_sms``): the
        number formatted as Odoo does, the SMS queued and kept in the
        reminder's chatter, from the level's SMS template when it has one.
        A number on Odoo's phone blacklist gets no SMS: a call to make
        instead, said on the reminder."""
        if not reminders:
            return
        numbers = {}
        for reminder in reminders:
            contact = reminder.contact_id
            number = contact.mobile or contact.phone
            if number:
                numbers[reminder.id] = contact._phone_format(number=number) or number
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", list(numbers.values()))])
            .mapped("number")
        )
        refused = reminders.browse()
        for reminder in reminders.filtered(lambda r: r.id in numbers):
            number = numbers[reminder.id]
            if number in blacklisted:
                refused |= reminder
                reminder.sudo().message_post(
                    body=self.env._(
                        "%(number)s is on the SMS blacklist: no SMS, a call to make instead.",
                        number=number,
                    )
                )
                continue
            reminder.sudo()._message_sms(
                self._get_sms_text(reminder),
                partner_ids=reminder.contact_id.ids,
                sms_pid_to_number={reminder.contact_id.id: number},
                put_in_queue=True,
            )
        self._schedule_activities(refused)

    @api.model
    def _get_sms_text(self, reminder):
        template = reminder.level_id.sms_template_id
        if not template:
            return reminder._get_sms_body()
        return template._render_field("body", reminder.ids, compute_lang=True)[reminder.id]
