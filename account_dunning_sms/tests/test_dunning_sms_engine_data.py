# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The SMS status of a reminder is the engine's (see ``account_dunning``'s
``test_dunning_attack_engine_data``): a forged "failed" SMS would give the
invoices their previous level back."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSmsEngineData(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.first.write({"send_sms": True, "send_email": False})
        cls.customer.write({"mobile": "06 12 34 56 78", "country_id": cls.env.ref("base.fr").id})
        cls.clerk = cls._user("sms_engine_data_clerk", "account.group_account_invoice")

    @freeze_time("2026-04-20")
    def test_sms_status_is_the_engines(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertEqual(reminder.sms_state, "queued")
        for vals in ({"sms_state": "failed"}, {"send_sms": False}):
            with self.assertRaisesText(AccessError, "cannot be changed"):
                reminder.with_user(self.clerk).write(vals)
        self.assertEqual((reminder.sms_state, reminder.state), ("queued", "sent"))
        self.assertEqual(invoice.dunning_level_id, self.first)
        # the clerk's cancel withdraws the reminder's own SMS
        reminder.with_user(self.clerk).action_cancel()
        self.assertEqual(reminder.sms_state, "cancel")
