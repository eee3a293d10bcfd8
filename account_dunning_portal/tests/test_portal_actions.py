# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time
from lxml import html
from PIL import Image

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import DunningPortalCommon

CSRF = re.compile(r"[0-9a-f]{40}o[0-9]+")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestDunningPortalActions(DunningPortalCommon, HttpCase):
    """What the customer does on its page, through real requests where the
    page is the way in, then read from the database. The requests run on
    the real clock: invoices are dated from today, and freezegun only
    moves the model calls that ask what the engine would remind later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = cls._user("portal_act_responsible", "account.group_account_invoice")
        cls.responsible.groups_id |= cls.env.ref("account_dunning.group_dunning_user")
        cls.customer.dunning_responsible_id = cls.responsible

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _csrf(self, reminder):
        match = CSRF.search(self.url_open(self._page(reminder)).text)
        self.assertTrue(match, "the page carries a CSRF token")
        return match.group(0)

    def _post(self, reminder, suffix, data, files=None):
        items = list(data.items()) if isinstance(data, dict) else list(data)
        items.append(("csrf_token", self._csrf(reminder)))
        return self.url_open(
            self._page(reminder, suffix), data=items, files=files, allow_redirects=False
        )

    def _done(self, response, reminder, done):
        """The form answered by going back to the page, saying ``done``."""
        self.assertEqual(response.status_code, 303, response.text[:2000])
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, f"/my/reminders/{reminder.id}")
        query = parse_qs(location.query)
        self.assertEqual(query["access_token"], [reminder.access_token])
        self.assertEqual(query["done"], [done])

    def _refusal(self, move):
        self.env.invalidate_all()
        return move._get_dunning_states()[move.id]["refusal"]

    def _proposed(self, moves, day):
        """The invoices of ``moves`` the workbench would propose on ``day``."""
        with freeze_time(f"{day} 12:00:00"):
            self.env.invalidate_all()
            proposals = self.env["account.dunning"]._prepare_proposals(moves)
            self.env.invalidate_all()
        return moves.browse({move_id for p in proposals for move_id in p["move_ids"]})

    def _activities(self, record, xmlid="mail.mail_activity_data_todo"):
        return record.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref(xmlid)
        )

    # ------------------------------------------------------------------
    # Promise
    # ------------------------------------------------------------------

    def test_promise_from_the_page(self):
        late = self._late(1200, 25) | self._late(300, 12)
        reminder = self._sent_reminder(late)
        later = self._today() + timedelta(days=10)
        # ten days on, past the 7 days between two reminders: both proposed
        self.assertEqual(self._proposed(late, later), late)
        form = self.url_open(
            self._page(reminder, "/promise") + "".join(f"&invoice_ids={move.id}" for move in late)
        )
        self.assertEqual(form.status_code, 200)
        amount = html.fromstring(form.text).xpath("//input[@name='amount']")[0]
        self.assertEqual(float(amount.get("value")), 1500.0)
        promise_date = self._today() + timedelta(days=20)
        response = self._post(
            reminder,
            "/promise",
            [
                *(("invoice_ids", move.id) for move in late),
                ("date", str(promise_date)),
                ("amount", "1500"),
                ("note", "Paid with the next transfer"),
            ],
        )
        self._done(response, reminder, "promise")
        self.env.invalidate_all()
        promise = self.env["account.dunning.promise"].search(
            [("portal_reminder_id", "=", reminder.id)]
        )
        self.assertEqual(len(promise), 1)
        self.assertTrue(promise.from_customer)
        self.assertFalse(promise.user_id)
        self.assertEqual(promise.move_ids, late)
        self.assertEqual(promise.partner_id, self.customer)
        self.assertEqual(
            (promise.date, promise.amount, promise.state), (promise_date, 1500, "open")
        )
        self.assertEqual(promise.note, "Paid with the next transfer")
        # paused as a promise typed by a user: left out of the proposals
        for move in late:
            self.assertEqual(self._refusal(move), "promised")
        self.assertFalse(self._proposed(late, later))
        # the responsible has something to do
        activity = self._activities(promise)
        self.assertEqual(activity.user_id, self.responsible)
        self.assertIn("promised on its page to pay", activity.summary)
        # the page says so
        page = self.url_open(response.headers["Location"])
        self.assertIn("your payment promise is recorded", page.text)
        self.assertEqual(
            len(
                html.fromstring(page.text).xpath(
                    "//*[contains(@class, 'o_dunning_portal_promised')]"
                )
            ),
            2,
        )

    # at noon: the company of these tests has no time zone of its own, so
    # its "today" follows the user who asks, and the public user's (UTC)
    # and the tests' are a day apart in the last hour of the day
    @freeze_time("2026-12-07 12:00:00")
    def test_promise_limits(self):
        late = self._late(1200, 25) | self._late(300, 12) | self._late(100, 11)
        first, second, third = late
        reminder = self._sent_reminder(late)
        today = self._today()
        self.assertEqual(self.company.dunning_portal_promise_days, 30)
        for wrong in (today + timedelta(days=31), today - timedelta(days=1), "31/12", None):
            with self.assertRaisesText(UserError, "Choose a payment date between today and"):
                self._as_customer(reminder)._portal_promise(first.ids, wrong, 1200)
        # amounts: more than zero, at most what is owed
        for wrong in (0, -5, 1200.01, "abc"):
            with self.assertRaisesText(UserError, "The amount must be more than zero"):
                self._as_customer(reminder)._portal_promise(
                    first.ids, today + timedelta(days=5), wrong
                )
        self.assertFalse(reminder.portal_submission_ids)
        promise = self._as_customer(reminder)._portal_promise(
            first.ids, today + timedelta(days=30), 1200
        )
        self.assertEqual(promise.date, today + timedelta(days=30))
        # ten days in the company's settings
        self.company.dunning_portal_promise_days = 10
        with self.assertRaisesText(UserError, "Choose a payment date"):
            self._as_customer(reminder)._portal_promise(second.ids, today + timedelta(days=11), 300)
        self.assertEqual(
            reminder._get_portal_values()["promise_latest"], str(today + timedelta(days=10))
        )
        self._as_customer(reminder)._portal_promise(second.ids, today + timedelta(days=10), 300)
        # one open promise per invoice
        with self.assertRaisesText(UserError, f"A payment is already promised for {first.name}"):
            self._as_customer(reminder)._portal_promise(
                (first | third).ids, today + timedelta(days=5), 1300
            )
        self.assertFalse(
            self.env["account.dunning.promise"].search([("move_ids", "in", third.ids)])
        )
        self.assertEqual(len(reminder.portal_submission_ids), 2)

    # ------------------------------------------------------------------
    # Dispute
    # ------------------------------------------------------------------

    def test_dispute_from_the_page(self):
        late = self._late(1200, 25) | self._late(300, 12)
        disputed, other = late
        reminder = self._sent_reminder(late)
        later = self._today() + timedelta(days=10)
        form = self.url_open(self._page(reminder, f"/dispute/{disputed.id}"))
        self.assertEqual(form.status_code, 200)
        self.assertIn(f"Dispute invoice {disputed.name}", form.text)
        response = self._post(
            reminder,
            f"/dispute/{disputed.id}",
            {"reason": "quantity", "message": "We received 2 boxes, not 3"},
            files={"attachment": ("delivery note.pdf", PDF, "application/pdf")},
        )
        self._done(response, reminder, "dispute")
        self.env.invalidate_all()
        dispute = self.env["account.dunning.dispute"].search(
            [("portal_reminder_id", "=", reminder.id)]
        )
        self.assertEqual(len(dispute), 1)
        self.assertTrue(dispute.from_customer)
        self.assertEqual(
            (dispute.move_id, dispute.reason, dispute.state, dispute.user_id),
            (disputed, "quantity", "open", self.responsible),
        )
        self.assertEqual(dispute.note, "We received 2 boxes, not 3")
        # that invoice only is paused
        self.assertEqual(self._refusal(disputed), "disputed")
        self.assertNotEqual(self._refusal(other), "disputed")
        self.assertEqual(self._proposed(late, later), other)
        # the responsible settles it
        self.assertEqual(self._activities(dispute).user_id, self.responsible)
        # the file is kept on the dispute, and shown in its chatter
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.raw, PDF)
        self.assertEqual(attachment.name, "delivery note.pdf")
        self.assertEqual(attachment.mimetype, "application/pdf")
        message = dispute.message_ids.filtered(lambda m: "2 boxes" in m.body)
        self.assertEqual(message.attachment_ids, attachment)
        self.assertEqual(message.author_id, self.customer)
        # the page shows it under review; a second dispute is refused
        page = html.fromstring(self.url_open(response.headers["Location"]).text)
        self.assertEqual(
            page.xpath(
                "//tr[contains(@class, 'o_dunning_portal_row')]"
                "[.//*[contains(@class, 'o_dunning_portal_disputed')]]/@data-invoice"
            ),
            [disputed.name],
        )
        with self.assertRaisesText(UserError, "is already under review"):
            self._as_customer(reminder)._portal_dispute(disputed.id, "price", "Again")

    # ------------------------------------------------------------------
    # Write to us
    # ------------------------------------------------------------------

    def test_write_to_us_and_call_back(self):
        reminder = self._sent_reminder(self._late(800, 15))
        response = self._post(
            reminder,
            "/message",
            {"message": "Paid on Friday", "call_back": "1", "phone": "+33 1 02 03 04 05"},
        )
        self._done(response, reminder, "message")
        self.env.invalidate_all()
        message = reminder.message_ids.filtered(lambda m: "Paid on Friday" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("Please call me back at +33 1 02 03 04 05", message.body)
        self.assertEqual(message.author_id, self.customer)
        self.assertEqual(message.partner_ids, self.responsible.partner_id)
        self.assertTrue(
            self.env["mail.notification"].search(
                [
                    ("mail_message_id", "=", message.id),
                    ("res_partner_id", "=", self.responsible.partner_id.id),
                ]
            )
        )
        call = self._activities(reminder, "mail.mail_activity_data_call")
        self.assertEqual(call.user_id, self.responsible)
        self.assertIn("+33 1 02 03 04 05", call.summary)
        # without "call me back": the message only
        self._as_customer(reminder)._portal_message("Another word")
        self.assertEqual(len(self._activities(reminder, "mail.mail_activity_data_call")), 1)
        with self.assertRaisesText(UserError, "Write your message."):
            self._as_customer(reminder)._portal_message("   ")

    # ------------------------------------------------------------------
    # Seen, short link, email, letter
    # ------------------------------------------------------------------

    def test_seen_by_the_customer_only(self):
        # one reminder per currency: the customer looked at the other one long ago
        reminders = self._remind(
            self._late(800, 15) | self._late(50, 30, currency=self._other_currency())
        )
        self.assertEqual(len(reminders), 2)
        reminder = reminders.filtered(lambda r: r.currency_id == self.company.currency_id)
        older = reminders - reminder
        older.sudo().portal_last_seen = "2020-01-01 10:00:00"
        # a user of the company looks at it: not the customer
        self.assertEqual(reminder.action_open_portal_page()["url"], self._page(reminder))
        self.authenticate(self.responsible.login, self.responsible.login)
        self.assertEqual(self.url_open(self._page(reminder)).status_code, 200)
        self.env.invalidate_all()
        self.assertFalse(reminder.portal_first_seen)
        self.assertFalse(reminder.portal_last_seen)
        # the customer opens it
        self.authenticate(None, None)
        self.assertEqual(self.url_open(self._page(reminder)).status_code, 200)
        self.env.invalidate_all()
        first = reminder.portal_first_seen
        self.assertTrue(first)
        self.assertEqual(reminder.portal_last_seen, first)
        self.assertLess(abs(first - self._now()), timedelta(minutes=5))
        # and again: the first time stays
        reminder.sudo().write(
            {
                "portal_first_seen": first - timedelta(days=2),
                "portal_last_seen": first - timedelta(days=2),
            }
        )
        self.url_open(self._page(reminder))
        self.env.invalidate_all()
        self.assertEqual(reminder.portal_first_seen, first - timedelta(days=2))
        self.assertGreater(reminder.portal_last_seen, first - timedelta(days=1))
        # Customer Accounts: the latest look of the customer
        row = self.env["account.dunning.customer"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(row), 1)
        self.assertEqual(row.portal_last_seen, reminder.portal_last_seen)

    def _other_currency(self):
        code = "EUR" if self.company.currency_id.name != "EUR" else "CHF"
        return self.setup_other_currency(code, rates=[(self._today() - timedelta(days=400), 2.0)])

    def test_short_link(self):
        invoice = self._late(800, 15)
        reminder = self._sent_reminder(invoice)
        short = reminder._get_portal_short_link()
        self.assertRegex(short, r"/rp/[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")
        self.assertTrue(short.startswith(reminder.get_base_url()))
        path = short[len(reminder.get_base_url()) :]
        code = path.split("/")[-1]
        for variant in (path, f"/rp/{code.lower()}", f"/rp/{code.replace('-', '')}"):
            response = self.url_open(variant, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), variant)
            self.assertTrue(response.headers["Location"].endswith(self._page(reminder)), variant)
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        # one character off, too short: the page for wrong links
        wrong = ("B" if code[0] == "A" else "A") + code[1:]
        for variant in (f"/rp/{wrong}", f"/rp/{code[:-1]}"):
            response = self.url_open(variant, allow_redirects=False)
            self.assertEqual(response.status_code, 404, variant)
            self.assertIn("This link is not valid", response.text)

    def test_email_carries_the_button(self):
        reminder = self._sent_reminder(self._late(800, 15))
        self.assertTrue(reminder.mail_id)
        body = reminder.mail_id.body_html
        link = reminder._get_portal_link()
        self.assertEqual(link, reminder.get_base_url() + self._page(reminder))
        self.assertIn("See and pay my invoices", body)
        tree = html.fromstring(body)
        self.assertEqual(tree.xpath("//a[contains(., 'See and pay my invoices')]/@href"), [link])

    def test_letter_has_qr_and_short_link(self):
        reminder = self._sent_reminder(self._late(800, 15))
        values = reminder._get_portal_letter_values()
        self.assertEqual(values["short_link"], reminder._get_portal_short_link())
        self.assertRegex(values["short_link"], r"/rp/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
        self.assertTrue(values["qr_src"].startswith("data:image/png;base64,"))
        png = base64.b64decode(values["qr_src"].split(",", 1)[1])
        self.assertTrue(png.startswith(b"\x89PNG"))
        # the code of the short address, not of another reminder's
        self.assertEqual(png, reminder._get_portal_qr_png(values["short_link"]))
        other_customer = self.env["res.partner"].create(
            {"name": "Martin SAS", "is_company": True, "email": "ap@martin.test"}
        )
        other = self._sent_reminder(self._late(300, 15, partner=other_customer))
        self.assertNotEqual(
            png, base64.b64decode(other._get_portal_letter_values()["qr_src"].split(",", 1)[1])
        )
        image = Image.open(io.BytesIO(png))
        self.assertEqual(image.size[0], image.size[1])
        self.assertGreaterEqual(image.size[0], 200)
        # the letter prints both
        letter = self.env.ref("account_dunning.action_report_dunning_letter")
        content = str(letter._render_qweb_html(letter.report_name, reminder.ids)[0])
        self.assertIn(values["short_link"], content)
        self.assertIn("data:image/png;base64,", content)

    # ------------------------------------------------------------------
    # Pay
    # ------------------------------------------------------------------

    def _demo_provider(self):
        """Odoo's demo provider, in the test company (as payment's tests
        prepare it), with its journal for the payments."""
        provider = self.env.ref("payment.payment_provider_demo").sudo()
        if provider.company_id != self.company:
            provider = provider.copy({"company_id": self.company.id})
        provider.write({"state": "test", "is_published": True})
        self.assertTrue(provider.journal_id)
        return provider

    def test_pay_two_invoices_with_the_demo_provider(self):
        provider = self._demo_provider()
        first, second, third = self._late(1200, 25) | self._late(300.55, 12) | self._late(99, 3)
        reminder = self._sent_reminder(first | second)
        # the pay page: what the two invoices owe, by hand 1,500.55
        response = self.url_open(
            self._page(reminder, "/pay") + f"&invoice_ids={first.id}&invoice_ids={second.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("1,500.55", response.text)
        self.assertIn(first.name, response.text)
        self.assertIn(second.name, response.text)
        # the payment form's transaction: the amount asked for is ignored
        values = self.make_jsonrpc_request(
            f"/my/reminders/{reminder.id}/transaction/{first.id}-{second.id}",
            {
                "access_token": reminder.access_token,
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                "token_id": None,
                "amount": 1.0,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/somewhere/else",
                "is_validation": False,
            },
        )
        self.env.invalidate_all()
        transaction = self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )
        self.assertEqual(len(transaction), 1)
        self.assertEqual(transaction.amount, 1500.55)
        self.assertEqual(transaction.currency_id, first.currency_id)
        self.assertEqual(transaction.invoice_ids, first | second)
        self.assertEqual(transaction.partner_id, self.customer)
        self.assertEqual(transaction.dunning_reminder_id, reminder)
        self.assertTrue(transaction.landing_route.startswith(f"/my/reminders/{reminder.id}?"))
        # the demo provider says it is paid; the payment is posted
        transaction._handle_notification_data(
            "demo",
            {
                "reference": transaction.reference,
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        self.assertEqual(transaction.state, "done")
        transaction._post_process()
        self.assertTrue(transaction.payment_id)
        self.assertEqual(transaction.payment_id.amount, 1500.55)
        for move in first | second:
            self.assertIn(move.payment_state, ("paid", "in_payment"), move.name)
            self.assertEqual(move.amount_residual, 0)
        self.assertEqual(third.payment_state, "not_paid")
        # the page thanks the customer
        page = self.url_open(self._page(reminder))
        self.assertIn("we received your payment of", page.text)
        self.assertIn(third.name, page.text)
