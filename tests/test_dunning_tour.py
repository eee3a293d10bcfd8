# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningTour(DunningCommon, HttpCase):
    """The workbench in a real browser, as a credit controller uses it.

    The browser runs on the real clock, so the invoices are dated from
    today rather than a frozen date."""

    def test_workbench_tour(self):
        self.plan.level_ids.write({"attach_invoices": False})
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "is_company": True, "street": "2 rue", "city": "Rouen"}
        )
        today = fields.Date.context_today(self.env["res.partner"])
        invoices = self.env["account.move"]
        for days_late, amount in ((25, 300), (12, 200), (3, 100)):
            invoices |= self._invoice(amount, today - timedelta(days=days_late), partner=customer)
        self.start_tour("/odoo", "account_dunning_workbench_tour", login=self.env.user.login)
        reminder = self.env["account.dunning"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "sent")
        self.assertTrue(reminder.send_letter)
        self.assertFalse(reminder.send_email)
        self.assertEqual(reminder.line_ids.move_id, invoices[:2])
        self.assertEqual(reminder.level_id, self.second)
        self.assertEqual(invoices[0].dunning_level_id, self.second)
        # 12 days late: not late enough for the second reminder, it gets the first
        self.assertEqual(invoices[1].dunning_level_id, self.first)
        self.assertFalse(invoices[2].dunning_level_id)
        self.assertEqual(invoices[0].dunning_count, 1)
