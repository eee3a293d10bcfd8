# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from lxml import html

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import DunningPortalCommon

HANDED_OVER = "Your account has been handed over for recovery"


@tagged("post_install", "-at_install")
class TestDunningPortalLitigation(DunningPortalCommon, HttpCase):
    """The page of a customer put in litigation after its reminder: it
    still pays its invoices and writes to us; it no longer records a
    payment promise or a dispute there (its lawyer, court or agency pursues
    the claim), and the page says so."""

    def test_customer_in_litigation_pays_but_neither_promises_nor_disputes(self):
        late = self._late(1200, 25)
        reminder = self._sent_reminder(late)
        page = reminder._get_portal_values()
        self.assertFalse(page["litigation"])
        self.customer._dunning_open_litigation("agency")
        customer_page = self._as_customer(reminder)
        self.assertTrue(customer_page._get_portal_values()["litigation"])
        with self.assertRaisesText(UserError, HANDED_OVER):
            customer_page._portal_promise(late.ids, self._today() + timedelta(days=5), 1200)
        with self.assertRaisesText(UserError, HANDED_OVER):
            customer_page._portal_dispute(late.id, "amount", "This is not what we ordered")
        self.assertFalse(self.env["account.dunning.promise"].search([("move_ids", "in", late.ids)]))
        self.assertFalse(self.env["account.dunning.dispute"].search([("move_id", "=", late.id)]))
        # paying stays possible, and writing to us
        moves, amount, currency, _reference = customer_page._get_portal_payment(late.ids)
        self.assertEqual((moves, amount), (late, 1200.0))
        self.assertEqual(currency, late.currency_id)
        self.assertTrue(customer_page._portal_message("We will pay the agency next week."))
        # the page: the pay button, no promise button nor dispute link
        tree = html.fromstring(self.url_open(self._page(reminder)).text)
        self.assertTrue(tree.xpath("//*[contains(@class, 'o_dunning_portal_pay')]"))
        self.assertTrue(tree.xpath("//*[contains(@class, 'o_dunning_portal_litigation')]"))
        self.assertFalse(tree.xpath("//*[contains(@class, 'o_dunning_portal_promise')]"))
        self.assertFalse(tree.xpath("//*[contains(@class, 'o_dunning_portal_dispute')]"))
