# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .common import DunningPortalCommon


@tagged("post_install", "-at_install")
class TestDunningPortalPage(DunningPortalCommon, HttpCase):
    def test_page_shows_open_invoices(self):
        late = self._late(1200, 25) | self._late(300, 12)
        reminder = self._sent_reminder(late)
        response = self.url_open(self._page(reminder))
        self.assertEqual(response.status_code, 200)
        for move in late:
            self.assertIn(move.name, response.text)
        self.assertTrue(reminder.portal_first_seen)
