# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields

from odoo.addons.account_dunning.tests.common import DunningCommon


class DunningPortalCommon(DunningCommon):
    """A customer with late invoices and a reminder sent: its page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})

    def _today(self):
        return self.env["account.dunning.engine"]._get_today(self.company)

    def _late(self, amount, days_late, partner=None, currency=None):
        """A posted invoice ``days_late`` days past its due date today."""
        return self._invoice(
            amount,
            self._today() - timedelta(days=days_late),
            partner=partner,
            currency=currency,
        )

    def _sent_reminder(self, moves):
        reminder = self._remind(moves)
        self.assertEqual(len(reminder), 1)
        return reminder

    def _page(self, reminder, suffix="", **params):
        """The page's address, with the reminder's token."""
        query = "&".join(f"{key}={value}" for key, value in params.items())
        url = f"/my/reminders/{reminder.id}{suffix}?access_token={reminder.access_token}"
        return f"{url}&{query}" if query else url

    def _now(self):
        return fields.Datetime.now()

    def _as_customer(self, reminder):
        """``reminder`` as the page's forms act on it: the public user's
        request, which finds the reminder by its link (as the superuser)."""
        return reminder.with_user(self.env.ref("base.public_user")).sudo()
