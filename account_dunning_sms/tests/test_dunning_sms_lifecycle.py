# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.account_dunning.tests.common import DunningCommon
from odoo.addons.sms.tools.sms_api import SmsApi


@tagged("post_install", "-at_install")
class TestDunningSmsLifecycle(DunningCommon):
    """What becomes of a reminder's SMS after Odoo queued it: a cancel
    withdraws it from the queue, a failure is treated as a failed email, a
    blacklisted number is never reported as sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.first.write({"send_sms": True, "send_email": False})
        cls.customer.write({"mobile": "06 12 34 56 78", "country_id": cls.env.ref("base.fr").id})
        cls.user = cls._user("sms_controller", "account.group_account_invoice")

    def _sms(self, reminder):
        return self.env["sms.sms"].search(
            [
                ("mail_message_id.model", "=", "account.dunning"),
                ("mail_message_id.res_id", "=", reminder.id),
            ]
        )

    @contextmanager
    def _provider(self, state="success"):
        """Odoo's SMS provider (IAP) answers ``state`` for every SMS it is
        given; yields the numbers it was given."""
        given = []

        def send_sms_batch(api, messages, delivery_reports_url=False):
            numbers = [number for message in messages for number in message["numbers"]]
            given.extend(number["number"] for number in numbers)
            return [{"uuid": number["uuid"], "state": state} for number in numbers]

        with patch.object(SmsApi, "_send_sms_batch", send_sms_batch):
            yield given

    @freeze_time("2026-04-20")
    def test_cancel_withdraws_the_queued_sms(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        sms = self._sms(reminder)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(reminder.sms_state, "queued")
        # cancelled before Odoo's hourly SMS job: the SMS never leaves
        reminder.with_user(self.user).action_cancel()
        self.assertEqual(sms.state, "canceled")
        self.assertEqual(reminder.sms_state, "cancel")
        self.assertIn("SMS was withdrawn from the queue", reminder.message_ids[0].body)
        with self._provider() as given:
            self.env["sms.sms"]._process_queue()
        self.assertEqual(given, [])
        self.assertFalse(invoice.dunning_level_id)

    @freeze_time("2026-04-20")
    def test_cancel_after_the_sms_left_says_so(self):
        reminder = self._remind(self._invoice(100, "2026-04-05"))
        with self._provider() as given:
            self.env["sms.sms"]._process_queue()
        self.assertEqual(given, ["+33612345678"])
        self.assertEqual(reminder.sms_state, "sent")
        reminder.with_user(self.user).action_cancel()
        self.assertEqual(reminder.sms_state, "sent")
        self.assertIn("SMS had already been sent", reminder.message_ids[0].body)

    @freeze_time("2026-04-20")
    def test_failed_sms_alone_undoes_the_reminder(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertEqual(invoice.dunning_level_id, self.first)
        # Odoo's SMS job gets a failure from the provider
        with self._provider("wrong_number_format"):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(reminder.sms_state, "failed")
        self.assertEqual(reminder.state, "failed")
        self.assertIn("Wrong Number Format", reminder.failure_reason)
        # as for a failed email: the invoice is back where it was, and says so
        self.assertFalse(invoice.dunning_level_id)
        self.assertEqual(invoice.dunning_count, 0)
        self.assertIn(f"Reminder {reminder.name} failed", invoice.message_ids[0].body)

    @freeze_time("2026-04-20")
    def test_failed_sms_beside_an_email_keeps_the_reminder(self):
        self.first.send_email = True
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        with self._provider("server_error"):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(reminder.sms_state, "failed")
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertIn("other channels went out", reminder.message_ids[0].body)
        # the invoice no longer reads only "by SMS"
        self.assertIn("SMS could not be delivered", invoice.message_ids[0].body)
        # then the email fails too: nothing reached the customer
        self._fail_delivery(reminder)
        self.assertEqual(reminder.state, "failed")
        self.assertFalse(invoice.dunning_level_id)

    @freeze_time("2026-04-20")
    def test_blacklisted_number_is_not_reported_as_sent(self):
        self.env["phone.blacklist"].sudo().add("+33612345678")
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertFalse(self._sms(reminder))
        self.assertEqual(reminder.sms_state, "refused")
        self.assertFalse(reminder.send_sms)
        self.assertEqual(len(reminder.activity_ids), 1)
        note = str(invoice.message_ids[0].body)
        self.assertIn(reminder.name, note)
        self.assertNotIn("by SMS", note)
        self.assertIn("by phone call or meeting", note)
