# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import DunningPortalCommon


@tagged("post_install", "-at_install")
class TestDunningPortalChatter(DunningPortalCommon, HttpCase):
    """The link opens the customer's page and nothing else: not Odoo's
    chatter routes, which portal opens with a record's token; and the
    page's forms are the customer's, not a user's of the company."""

    def setUp(self):
        super().setUp()
        self.late = self._late(800, 25) | self._late(300, 15)
        self.reminder = self._sent_reminder(self.late)
        self.reminder.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.env.user.id,
            summary="Internal: customer on the watch list",
        )

    def _json(self, route, params):
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.status_code, response.text

    @mute_logger("odoo.http")
    def test_the_link_never_opens_the_chatter(self):
        token = self.reminder.access_token
        # the reminder's internal activities and followers stay internal
        _status, text = self._json(
            "/mail/thread/data",
            {
                "thread_model": "account.dunning",
                "thread_id": self.reminder.id,
                "request_list": ["activities", "followers", "attachments"],
                "token": token,
            },
        )
        self.assertNotIn("watch list", text)
        self.assertIn('"hasReadAccess": false', text)
        # nor does a message go in through them
        before = len(self.reminder.message_ids)
        self._json(
            "/mail/message/post",
            {
                "thread_model": "account.dunning",
                "thread_id": self.reminder.id,
                "post_data": {"body": "<b>posted around the page</b>", "message_type": "comment"},
                "token": token,
            },
        )
        self.reminder.invalidate_recordset(["message_ids"])
        self.assertEqual(len(self.reminder.message_ids), before)
        # the reminder's own users still reach it
        thread = self.env["account.dunning"]._get_thread_with_access(
            self.reminder.id, "read", token="wrong"
        )
        self.assertEqual(thread, self.reminder)

    def test_the_page_forms_are_the_customers(self):
        auditor = self._user(
            "portal_chatter_auditor", "base.group_user,account.group_account_readonly"
        )
        # a user of the company previews the page...
        self.authenticate(auditor.login, auditor.login)
        response = self.url_open(f"/my/reminders/{self.reminder.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.late[0].name, response.text)
        # ...but does not speak for the customer, with the link or without
        promises = self.env["account.dunning.promise"]
        for url in (
            f"/my/reminders/{self.reminder.id}/promise",
            f"/my/reminders/{self.reminder.id}/promise?access_token={self.reminder.access_token}",
        ):
            response = self.url_open(
                url,
                data={
                    "invoice_ids": self.late[0].id,
                    "date": str(self._today()),
                    "amount": "100",
                    "csrf_token": self._csrf(url),
                },
            )
            self.assertIn("This page is your customer", response.text)
        self.assertFalse(promises.search([("move_ids", "in", self.late.ids)]))
        # and in the model, whatever path calls it
        reminder = self.reminder.with_user(auditor).sudo()
        with self.assertRaises(UserError):
            reminder._portal_message("written by a user")
        with self.assertRaises(UserError):
            reminder._portal_dispute(self.late[0].id, "price", "a user's dispute")

    def test_writing_makes_the_customer_no_follower(self):
        public = self.env.ref("base.public_user")
        reminder = self.reminder.with_user(public).sudo()
        reminder._portal_message("Paid on Friday, see the attached transfer.")
        dispute = reminder._portal_dispute(self.late[1].id, "quantity", "Two boxes missing")
        customer = self.reminder.partner_id
        self.assertNotIn(customer, self.reminder.message_follower_ids.partner_id)
        self.assertNotIn(customer, dispute.message_follower_ids.partner_id)
        # what it wrote is there, as the customer's
        self.assertTrue(
            self.reminder.message_ids.filtered(
                lambda m: m.author_id == customer and "Paid on Friday" in str(m.body)
            )
        )

    def test_an_infinite_amount_is_refused_in_words(self):
        public = self.env.ref("base.public_user")
        reminder = self.reminder.with_user(public).sudo()
        for amount in ("inf", "nan", "-1", "1e400"):
            with self.assertRaises(UserError, msg=amount):
                reminder._portal_promise(self.late[:1].ids, self._today(), amount)

    def _csrf(self, url):
        """The CSRF token of the session, as the page's form carries it."""
        page = self.url_open(url.replace("/promise", ""))
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start : page.text.index('"', start)]
