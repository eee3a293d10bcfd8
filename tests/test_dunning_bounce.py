# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningBounce(DunningCommon):
    """A reminder email that bounces turns into letters until the address
    is fixed; a reply to a reminder reaches its responsible."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.responsible = cls._user("bounce_responsible", "account.group_account_invoice")
        cls.customer.dunning_responsible_id = cls.responsible

    def _bounce(self, reminder, email="compta@dupont.test"):
        """What Odoo's mail gateway does with a bounce of the reminder's email."""
        message = reminder.mail_id.mail_message_id
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"]._routing_handle_bounce(
                None,
                {
                    "bounced_email": email,
                    "bounced_partner": self.customer,
                    "bounced_msg_ids": [message.message_id],
                    "bounced_message": message,
                    "email_from": "MAILER-DAEMON@mail.test",
                    "to": "catchall@mail.test",
                    "message_id": "<bounce-1@mail.test>",
                    "body": "550 5.1.1 no such user",
                },
            )

    def test_bounce_then_letters_until_the_address_changes(self):
        with freeze_time("2026-04-20"):
            invoice = self._invoice(100, "2026-04-05")
            reminder = self._remind(invoice)
            self.assertTrue(reminder.send_email)
            self.assertFalse(reminder.send_letter)
            self.assertEqual(invoice.dunning_level_id, self.first)
            self._bounce(reminder)
            self.assertEqual(reminder.email_state, "bounced")
            # the email alone went out: the invoice's level is as it was
            self.assertFalse(invoice.dunning_level_id)
            # the responsible is asked to fix the address
            activity = self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            )
            self.assertEqual(activity.user_id, self.responsible)
            self.assertIn("Fix the email address of Dupont SARL", activity.summary)
            # the reminder address is red, with the reason
            issue = self.customer._get_dunning_address_issues(self.company)[self.customer.id]
            self.assertIn("compta@dupont.test bounced", issue)
            # the addresses asked about as typed, or normalized by the caller
            # (Customer Accounts normalizes each once, for thousands)
            Partner = self.env["res.partner"]
            self.assertEqual(
                Partner._get_dunning_bounced_emails(["Compta <COMPTA@dupont.test>", "x@y.test"]),
                {"compta@dupont.test"},
            )
            self.assertEqual(
                Partner._get_dunning_bounced_emails(
                    ["compta@dupont.test", False, "x@y.test"], normalized=True
                ),
                {"compta@dupont.test"},
            )
            # and in Customer Accounts' red filter
            red = self.env["account.dunning.customer"].search([("address_ok", "=", False)])
            row = red.filtered(lambda r: r.partner_id == self.customer)
            self.assertIn("compta@dupont.test bounced", row.address_issue)
            # a second bounce of the same email changes nothing more
            self._bounce(reminder)
            self.assertEqual(
                self.env["mail.activity"].search(
                    [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
                ),
                activity,
            )
        with freeze_time("2026-04-28"):
            letter = self._remind(invoice)
            self.assertTrue(letter.send_letter)
            self.assertFalse(letter.send_email)
            # the workbench says why
            channels, warnings = self.env["account.dunning.engine"]._check_channels(
                self.customer, self.first, {"send_email": True}
            )
            self.assertEqual((channels["send_email"], channels["send_letter"]), (False, True))
            self.assertIn("bounced", warnings[0])
            # fixed: emails again, the address is green
            self.customer.email = "comptabilite@dupont.test"
            channels, warnings = self.env["account.dunning.engine"]._check_channels(
                self.customer, self.first, {"send_email": True}
            )
            self.assertTrue(channels["send_email"])
            self.assertFalse(warnings)
            self.assertFalse(
                self.customer._get_dunning_address_issues(self.company)[self.customer.id]
            )

    @freeze_time("2026-04-20")
    def test_reply_lands_on_the_reminder_and_notifies_its_responsible(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertIn(self.responsible.partner_id, reminder.message_partner_ids)
        self.assertNotIn(self.customer, reminder.message_partner_ids)
        reply = (
            "From: Dupont SARL <compta@dupont.test>\n"
            "To: catchall@mail.test\n"
            f"Subject: Re: {reminder.name}\n"
            "Message-Id: <reply-1@dupont.test>\n"
            f"In-Reply-To: {reminder.mail_id.message_id}\n"
            f"References: {reminder.mail_id.message_id}\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "\n"
            "Nous avons payé hier par virement.\n"
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            thread_id = self.env["mail.thread"].message_process(None, reply)
        self.assertEqual(thread_id, reminder.id)
        message = reminder.message_ids.filtered(lambda m: "payé hier" in (m.body or ""))
        self.assertEqual(len(message), 1)
        notified = self.env["mail.notification"].search(
            [
                ("mail_message_id", "=", message.id),
                ("res_partner_id", "=", self.responsible.partner_id.id),
            ]
        )
        self.assertTrue(notified)
