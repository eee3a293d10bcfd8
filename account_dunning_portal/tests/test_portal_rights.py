# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DunningPortalCommon


@freeze_time("2026-06-15 10:00:00")
@tagged("post_install", "-at_install")
class TestDunningPortalRights(DunningPortalCommon):
    """What only the customer's page writes: a user, whatever their rights,
    cannot say the customer did it nor change when the customer looked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._user("portal_rights_clerk", "account.group_account_invoice")
        cls.auditor = cls._user(
            "portal_rights_auditor", "base.group_user,account.group_account_readonly"
        )

    def setUp(self):
        super().setUp()
        self.late = self._late(800, 25)
        self.reminder = self._sent_reminder(self.late)

    def test_user_cannot_forge_a_promise_from_the_customer(self):
        Promise = self.env["account.dunning.promise"].with_user(self.clerk)
        values = {
            "partner_id": self.customer.id,
            "move_ids": [Command.set(self.late.ids)],
            "date": "2026-06-20",
            "amount": 100,
        }
        with self.assertRaises(AccessError):
            Promise.create({**values, "from_customer": True})
        with self.assertRaises(AccessError):
            Promise.create({**values, "portal_reminder_id": self.reminder.id})
        promise = Promise.create(values)
        self.assertFalse(promise.from_customer)
        with self.assertRaises(AccessError):
            promise.write({"from_customer": True})

    def test_user_cannot_forge_a_dispute_from_the_customer(self):
        Dispute = self.env["account.dunning.dispute"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            Dispute.create({"move_id": self.late.id, "from_customer": True})
        dispute = Dispute.create({"move_id": self.late.id})
        with self.assertRaises(AccessError):
            dispute.write({"portal_reminder_id": self.reminder.id})

    def test_user_cannot_write_when_the_customer_looked(self):
        with self.assertRaises(AccessError):
            self.reminder.with_user(self.clerk).write({"portal_last_seen": "2026-06-14 09:00:00"})
        with self.assertRaises(AccessError):
            self.reminder.with_user(self.clerk).write({"portal_code": "AAAAAAAAAA"})
        self.assertFalse(self.reminder.portal_last_seen)

    def test_open_the_page_from_the_reminder(self):
        action = self.reminder.with_user(self.auditor).action_open_portal_page()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/my/reminders/{self.reminder.id}?", action["url"])
        self.assertIn(f"access_token={self.reminder.access_token}", action["url"])
        self.reminder.sudo().state = "cancel"
        with self.assertRaises(UserError):
            self.reminder.with_user(self.auditor).action_open_portal_page()

    def test_every_reminder_has_its_link_from_the_start(self):
        other = self._sent_reminder(self._late(300, 25, partner=self._other_customer()))
        for reminder in self.reminder | other:
            self.assertEqual(len(reminder.access_token), 36)
            self.assertEqual(len(reminder.sudo().portal_code), 12)
        self.assertNotEqual(self.reminder.access_token, other.access_token)
        self.assertNotEqual(self.reminder.sudo().portal_code, other.sudo().portal_code)

    def test_promise_days_setting_bounds(self):
        self.assertEqual(self.company.dunning_portal_promise_days, 30)
        for days in (0, 366):
            with self.assertRaises(ValidationError):
                self.company.dunning_portal_promise_days = days
        self.company.dunning_portal_promise_days = 45
        values = self.reminder._get_portal_values()
        self.assertEqual(values["promise_latest"], "2026-07-30")

    def _other_customer(self):
        return self.env["res.partner"].create(
            {"name": "Martin SAS", "is_company": True, "email": "ap@martin.test"}
        )
