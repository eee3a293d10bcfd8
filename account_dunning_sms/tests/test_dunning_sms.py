# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSms(DunningCommon):
    """Reminder SMS through Odoo's SMS: its number formatting, its queue,
    its blacklist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.first.write({"send_sms": True, "send_email": False})
        cls.customer.write({"mobile": "06 12 34 56 78", "country_id": cls.env.ref("base.fr").id})

    def _sms(self, reminder):
        return self.env["sms.sms"].search(
            [
                ("mail_message_id.model", "=", "account.dunning"),
                ("mail_message_id.res_id", "=", reminder.id),
            ]
        )

    @freeze_time("2026-04-20")
    def test_sms_goes_through_odoo_sms_queue(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertTrue(reminder.send_sms)
        sms = self._sms(reminder)
        self.assertEqual(len(sms), 1)
        # queued for Odoo's SMS job, the number as Odoo formats it
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.number, "+33612345678")
        self.assertEqual(sms.partner_id, self.customer)
        self.assertIn(invoice.name, sms.body)
        # kept in the reminder's chatter
        self.assertEqual(sms.mail_message_id.message_type, "sms")
        # no call to make for it
        self.assertFalse(reminder.activity_ids)

    @freeze_time("2026-04-20")
    def test_sms_template_of_the_level(self):
        template = self.env["sms.template"].create(
            {
                "name": "Reminder SMS",
                "model_id": self.env["ir.model"]._get_id("account.dunning"),
                "body": "{{ object.company_id.name }}: please pay {{ object.name }}",
            }
        )
        self.first.sms_template_id = template
        reminder = self._remind(self._invoice(100, "2026-04-05"))
        self.assertEqual(
            self._sms(reminder).body, f"{self.company.name}: please pay {reminder.name}"
        )

    @freeze_time("2026-04-20")
    def test_blacklisted_number_refused(self):
        self.env["phone.blacklist"].sudo().add("+33612345678")
        reminder = self._remind(self._invoice(100, "2026-04-05"))
        self.assertFalse(self._sms(reminder))
        # a call to make instead, said on the reminder
        self.assertEqual(len(reminder.activity_ids), 1)
        self.assertIn("blacklist", reminder.message_ids[0].body)
