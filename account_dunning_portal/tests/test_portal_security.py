# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import uuid
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import consteq, mute_logger

from ..models import account_dunning as portal_model
from .common import DunningPortalCommon

CSRF = re.compile(r"[0-9a-f]{40}o[0-9]+")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SCRIPT = "<script>alert('owned')</script>"


@tagged("post_install", "-at_install")
class TestDunningPortalSecurity(DunningPortalCommon, HttpCase):
    """What the customer's page refuses, through real requests: each test
    passes only while its protection holds. The requests run on the real
    clock (the server does not share freezegun's), so invoices are dated
    from today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = cls._user("portal_sec_responsible", "account.group_account_invoice")
        cls.responsible.groups_id |= cls.env.ref("account_dunning.group_dunning_user")
        cls.customer.dunning_responsible_id = cls.responsible
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Martin Freres", "is_company": True, "email": "compta@martin.test"}
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _csrf(self, reminder):
        """A CSRF token of the test's (public) session, read on the page."""
        response = self.url_open(self._page(reminder))
        match = CSRF.search(response.text)
        self.assertTrue(match, "the page carries a CSRF token")
        return match.group(0)

    def _post(self, reminder, suffix, data, files=None, csrf=True):
        """POST a form of the page, as the browser does (with the session's
        CSRF token unless ``csrf`` is False); redirects are not followed."""
        items = list(data.items()) if isinstance(data, dict) else list(data)
        if csrf:
            items.append(("csrf_token", self._csrf(reminder)))
        return self.url_open(
            self._page(reminder, suffix), data=items, files=files, allow_redirects=False
        )

    @staticmethod
    def _same(text):
        """A page's text without what changes at every request (its CSRF
        tokens)."""
        return CSRF.sub("CSRF", text)

    def _messages(self, reminder, text):
        return self.env["mail.message"].search(
            [
                ("model", "=", reminder._name),
                ("res_id", "=", reminder.id),
                ("body", "ilike", text),
            ]
        )

    def _promises(self, moves):
        return self.env["account.dunning.promise"].search([("move_ids", "in", moves.ids)])

    def _disputes(self, moves):
        return self.env["account.dunning.dispute"].search([("move_id", "in", moves.ids)])

    def _transaction_params(self, reminder, amount):
        provider = self.env.ref("payment.payment_provider_demo")
        return {
            "access_token": reminder.access_token,
            "provider_id": provider.id,
            "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/my",
            "is_validation": False,
        }

    # ------------------------------------------------------------------
    # The link
    # ------------------------------------------------------------------

    def test_wrong_token_same_page_as_unknown(self):
        """A wrong token, a token of another reminder, no token at all and an
        unknown reminder: the same "not valid" page, 404, nothing shown."""
        invoice = self._late(1200, 25)
        invoice.ref = "SEC-TOKEN-REF"
        reminder = self._sent_reminder(invoice)
        other = self._sent_reminder(self._late(300, 15, partner=self.other_customer))
        ok = self.url_open(self._page(reminder))
        self.assertEqual(ok.status_code, 200)
        self.assertIn("SEC-TOKEN-REF", ok.text)
        unknown = self.url_open(f"/my/reminders/{other.id + 1000}?access_token=x")
        self.assertEqual(unknown.status_code, 404)
        self.assertIn("This link is not valid", unknown.text)
        expected = self._same(unknown.text)
        for url in (
            f"/my/reminders/{reminder.id}?access_token={uuid.uuid4()}",
            f"/my/reminders/{reminder.id}?access_token={reminder.access_token}0",
            f"/my/reminders/{reminder.id}?access_token={reminder.access_token[:-1]}",
            f"/my/reminders/{reminder.id}?access_token={other.access_token}",
            f"/my/reminders/{reminder.id}?access_token=",
            f"/my/reminders/{reminder.id}",
            f"/my/reminders/{reminder.id}/statement?access_token={other.access_token}",
            f"/my/reminders/{reminder.id}/invoice/{invoice.id}?access_token={uuid.uuid4()}",
            f"/my/reminders/{reminder.id}/pay?access_token=x&invoice_ids={invoice.id}",
            f"/my/reminders/{reminder.id}/promise?access_token=x&invoice_ids={invoice.id}",
            f"/my/reminders/{reminder.id}/dispute/{invoice.id}?access_token=x",
            "/rp/ABCDE-FGHJK",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertEqual(self._same(response.text), expected, url)
            self.assertNotIn("SEC-TOKEN-REF", response.text, url)
            self.assertNotIn(self.customer.name, response.text, url)
        # nobody opened the page with a wrong token: not seen
        self.env.invalidate_all()
        self.assertFalse(other.portal_first_seen)

    def test_tokens_compared_in_constant_time(self):
        reminder = self._sent_reminder(self._late(100, 15))
        Reminder = self.env["account.dunning"]
        with patch.object(portal_model, "consteq", wraps=consteq) as spy:
            self.assertFalse(Reminder._portal_find(reminder.id, token="not-the-token"))
            self.assertEqual(
                Reminder._portal_find(reminder.id, token=reminder.access_token), reminder
            )
            code = reminder.sudo().portal_code
            self.assertEqual(Reminder._portal_find(code=code.lower()), reminder)
            self.assertFalse(Reminder._portal_find(code="ABCDEFGHJK"[::-1]))
        self.assertGreaterEqual(spy.call_count, 3)
        self.assertEqual(spy.call_args_list[0].args, (reminder.access_token, "not-the-token"))

    def test_cancelled_reminder_link(self):
        invoice = self._late(500, 15)
        reminder = self._sent_reminder(invoice)
        code = reminder.sudo().portal_code
        self.assertEqual(self.url_open(self._page(reminder)).status_code, 200)
        csrf = self._csrf(reminder)
        reminder.action_cancel()
        self.assertEqual(reminder.state, "cancel")
        unknown = self.url_open(f"/my/reminders/{reminder.id + 1000}?access_token=x")
        for url in (
            self._page(reminder),
            self._page(reminder, "/statement"),
            self._page(reminder, f"/invoice/{invoice.id}"),
            self._page(reminder, "/pay", invoice_ids=invoice.id),
            f"/rp/{code}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 404, url)
            self.assertEqual(self._same(response.text), self._same(unknown.text), url)
        # its forms do nothing either
        response = self.url_open(
            self._page(reminder, "/message"),
            data={"message": "Paid yesterday", "csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            self._page(reminder, "/promise"),
            data={
                "invoice_ids": invoice.id,
                "date": str(self._today() + timedelta(days=5)),
                "amount": 500,
                "csrf_token": csrf,
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._messages(reminder, "Paid yesterday"))
        self.assertFalse(self._promises(invoice))
        self.assertFalse(
            self.env["account.dunning"]._portal_find(reminder.id, reminder.access_token)
        )
        self.assertFalse(self.env["account.dunning"]._portal_find(code=code))
        with self.assertRaises(UserError):
            reminder.action_open_portal_page()

    # ------------------------------------------------------------------
    # One customer, one company
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_customer_a_token_on_customer_b_invoices(self):
        mine = self._late(1200, 25)
        reminder = self._sent_reminder(mine)
        theirs = self._late(4321, 25, partner=self.other_customer)
        theirs.ref = "B-SECRET-REF"
        their_reminder = self._sent_reminder(theirs)
        their_reminder.message_post(
            body="B-PRIVATE-NOTE: call the director", subtype_xmlid="mail.mt_note"
        )
        reminder.message_post(body="A-PRIVATE-NOTE: slow payer", subtype_xmlid="mail.mt_note")
        page = self.url_open(self._page(reminder))
        self.assertEqual(page.status_code, 200)
        self.assertIn(mine.name, page.text)
        for secret in ("B-SECRET-REF", "4,321.00", self.other_customer.name, "PRIVATE-NOTE"):
            self.assertNotIn(secret, page.text)
        refused = "These invoices cannot be selected here."
        # pay: B's invoice alone, or with A's
        for ids in ([theirs.id], [mine.id, theirs.id]):
            query = "&".join(f"invoice_ids={move_id}" for move_id in ids)
            response = self.url_open(f"{self._page(reminder, '/pay')}&{query}")
            self.assertEqual(response.status_code, 200)
            self.assertIn(refused, response.text)
            self.assertNotIn("B-SECRET-REF", response.text)
            self.assertNotIn("4,321.00", response.text)
        # the payment transaction
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/reminders/{reminder.id}/transaction/{mine.id}-{theirs.id}",
                self._transaction_params(reminder, 5521),
            )
        self.assertFalse(
            self.env["payment.transaction"].search([("invoice_ids", "in", theirs.ids)])
        )
        # promise
        response = self._post(
            reminder,
            "/promise",
            [
                ("invoice_ids", theirs.id),
                ("date", str(self._today() + timedelta(days=5))),
                ("amount", "4321"),
            ],
        )
        self.assertIn(refused, response.text)
        self.assertFalse(self._promises(theirs))
        # dispute
        response = self.url_open(self._page(reminder, f"/dispute/{theirs.id}"))
        self.assertIn(refused, response.text)
        self.assertNotIn("B-SECRET-REF", response.text)
        response = self._post(
            reminder, f"/dispute/{theirs.id}", {"reason": "price", "message": "Too expensive"}
        )
        self.assertIn(refused, response.text)
        self.assertFalse(self._disputes(theirs))
        # the invoice's PDF
        response = self.url_open(self._page(reminder, f"/invoice/{theirs.id}"))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""))
        # and the model says the same, whoever asks
        with self.assertRaisesText(UserError, refused):
            reminder._get_portal_moves([theirs.id])
        with self.assertRaisesText(UserError, refused):
            reminder._get_portal_invoice_pdf(theirs.id)
        with self.assertRaisesText(UserError, refused):
            self._as_customer(reminder)._portal_dispute(theirs.id, "price", "Too expensive")
        self.assertFalse(reminder.portal_submission_ids)

    def test_other_company_invoice_of_the_same_customer(self):
        mine = self._late(1200, 25)
        reminder = self._sent_reminder(mine)
        other = self.setup_other_company(name="Portal Elsewhere")["company"]
        self.env.user.company_ids |= other
        elsewhere = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "ref": "ELSEWHERE-REF",
                    "invoice_date": self._today() - timedelta(days=40),
                    "invoice_date_due": self._today() - timedelta(days=30),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Elsewhere", "quantity": 1, "price_unit": 777, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        elsewhere.action_post()
        self.assertEqual(elsewhere.company_id, other)
        page = self.url_open(self._page(reminder))
        self.assertEqual(page.status_code, 200)
        self.assertIn(mine.name, page.text)
        self.assertNotIn("ELSEWHERE-REF", page.text)
        self.assertNotIn("777.00", page.text)
        # only the reminder's company's invoices, 1,200 in all
        values = reminder._get_portal_values()
        self.assertEqual(
            [row["id"] for group in values["groups"] for row in group["rows"]], mine.ids
        )
        self.assertEqual(values["company"], self.company)
        response = self.url_open(f"{self._page(reminder, '/pay')}&invoice_ids={elsewhere.id}")
        self.assertIn("These invoices cannot be selected here.", response.text)
        self.assertNotIn("ELSEWHERE-REF", response.text)
        response = self.url_open(self._page(reminder, f"/invoice/{elsewhere.id}"))
        self.assertEqual(response.status_code, 404)
        response = self.url_open(self._page(reminder, f"/dispute/{elsewhere.id}"))
        self.assertIn("These invoices cannot be selected here.", response.text)
        with self.assertRaises(UserError):
            self._as_customer(reminder)._portal_promise(
                [elsewhere.id], self._today() + timedelta(days=5), 777, "elsewhere"
            )
        with self.assertRaises(UserError):
            self._as_customer(reminder)._portal_dispute(elsewhere.id, "price", "not ours")
        self.assertFalse(self._promises(elsewhere))
        self.assertFalse(self._disputes(elsewhere))

    # ------------------------------------------------------------------
    # What the customer writes
    # ------------------------------------------------------------------

    def test_over_long_message(self):
        reminder = self._sent_reminder(self._late(800, 15))
        too_long = "Z" * 2001
        response = self._post(reminder, "/message", {"message": too_long})
        self.assertEqual(response.status_code, 200)
        self.assertIn("is too long: at most 2000 characters", response.text)
        self.assertFalse(self._messages(reminder, "ZZZZZZZZZZ"))
        self.assertFalse(reminder.portal_submission_ids)
        # the promise's note, the dispute's message, the phone number
        move_ids = reminder.line_ids.move_id.ids
        with self.assertRaisesText(UserError, "is too long"):
            self._as_customer(reminder)._portal_promise(
                move_ids, self._today() + timedelta(days=3), 800, too_long
            )
        with self.assertRaisesText(UserError, "is too long"):
            self._as_customer(reminder)._portal_dispute(move_ids[0], "price", too_long)
        with self.assertRaisesText(UserError, "is too long: at most 40"):
            self._as_customer(reminder)._portal_message("Call me", True, "0" * 41)
        self.assertFalse(self._promises(reminder.line_ids.move_id))
        self.assertFalse(self._disputes(reminder.line_ids.move_id))
        # 2,000 characters are taken
        self._as_customer(reminder)._portal_message("Y" * 2000)
        self.assertEqual(len(self._messages(reminder, "Y" * 2000)), 1)

    def test_sixth_submission_within_an_hour(self):
        reminder = self._sent_reminder(self._late(800, 15))
        for number in range(5):
            self._as_customer(reminder)._portal_message(f"Message number {number}")
        self.assertEqual(len(reminder.portal_submission_ids), 5)
        # the sixth, from the page: refused, nothing posted
        response = self._post(reminder, "/message", {"message": "The sixth one"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("several requests within the last hour", response.text)
        self.env.invalidate_all()
        self.assertFalse(self._messages(reminder, "The sixth one"))
        self.assertEqual(len(reminder.portal_submission_ids), 5)
        # every kind counts: a promise and a dispute are refused too
        move_ids = reminder.line_ids.move_id.ids
        with self.assertRaisesText(UserError, "several requests"):
            self._as_customer(reminder)._portal_promise(
                move_ids, self._today() + timedelta(days=3), 800
            )
        with self.assertRaisesText(UserError, "several requests"):
            self._as_customer(reminder)._portal_dispute(move_ids[0], "price", "Wrong price")
        # another reminder's link has its own count
        other = self._sent_reminder(self._late(100, 15, partner=self.other_customer))
        self._as_customer(other)._portal_message("Another link")
        last = max(reminder.portal_submission_ids.mapped("create_date"))
        with freeze_time(last + timedelta(minutes=59)):
            with self.assertRaisesText(UserError, "several requests"):
                self._as_customer(reminder)._portal_message("Too early")
        # an hour later: taken again
        with freeze_time(last + timedelta(minutes=61)):
            self._as_customer(reminder)._portal_message("An hour later")
        self.assertEqual(len(self._messages(reminder, "An hour later")), 1)
        self.assertFalse(self._messages(reminder, "Too early"))

    def test_script_in_message_is_escaped(self):
        invoice = self._late(800, 15)
        reminder = self._sent_reminder(invoice)
        response = self._post(reminder, "/message", {"message": f"{SCRIPT} Bonjour"})
        self.assertEqual(response.status_code, 303)
        message = self._messages(reminder, "Bonjour")
        self.assertEqual(len(message), 1)
        self.assertIn("&lt;script&gt;alert(", message.body)
        self.assertNotIn("<script", message.body)
        page = self.url_open(self._page(reminder))
        self.assertNotIn(SCRIPT, page.text)
        # refused, the text comes back in the form: escaped
        response = self._post(reminder, "/message", {"message": SCRIPT + "x" * 2000})
        self.assertIn("is too long", response.text)
        self.assertIn("&lt;script&gt;alert(", response.text)
        self.assertNotIn(SCRIPT, response.text)
        response = self._post(
            reminder,
            f"/dispute/{invoice.id}",
            {"reason": "not-a-reason", "message": SCRIPT},
        )
        self.assertIn("Choose a reason.", response.text)
        self.assertIn("&lt;script&gt;alert(", response.text)
        self.assertNotIn(SCRIPT, response.text)
        response = self._post(
            reminder,
            "/promise",
            [
                ("invoice_ids", invoice.id),
                ("date", "2000-01-01"),
                ("amount", "1"),
                ("note", SCRIPT),
            ],
        )
        self.assertIn("Choose a payment date", response.text)
        self.assertIn("&lt;script&gt;alert(", response.text)
        self.assertNotIn(SCRIPT, response.text)
        # a dispute: its chatter shows the text, escaped
        response = self._post(
            reminder, f"/dispute/{invoice.id}", {"reason": "price", "message": SCRIPT}
        )
        self.assertEqual(response.status_code, 303)
        dispute = self._disputes(invoice)
        self.assertEqual(dispute.note, SCRIPT)
        body = dispute.message_ids.filtered(lambda m: "alert(" in m.body).body
        self.assertIn("&lt;script&gt;alert(", body)
        self.assertNotIn("<script", body)
        page = self.url_open(self._page(reminder))
        self.assertIn("Under review", page.text)
        self.assertNotIn(SCRIPT, page.text)

    # ------------------------------------------------------------------
    # Currencies
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_second_currency_never_added(self):
        currency = self.company.currency_id
        second = self.setup_other_currency(
            "EUR" if currency.name != "EUR" else "CHF",
            rates=[(self._today() - timedelta(days=400), 2.0)],
        )
        mine = self._late(1200, 25) | self._late(300, 12)
        foreign = self._late(400, 20, currency=second) | self._late(250, -5, currency=second)
        reminder = self._sent_reminder(mine)
        self.assertEqual(reminder.currency_id, currency)
        response = self.url_open(self._page(reminder))
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        groups = tree.xpath("//form[contains(@class, 'o_dunning_portal_currency')]")
        self.assertEqual(
            [group.get("data-currency") for group in groups], [currency.name, second.name]
        )

        def figure(group, css):
            return group.xpath(f".//*[contains(@class, '{css}')]")[0].text_content().strip()

        def invoices(group):
            return {row.get("data-invoice") for row in group.xpath(".//tr[@data-invoice]")}

        # by hand: 1,200 + 300, all late; 400 late + 250 not due yet
        self.assertEqual(invoices(groups[0]), set(mine.mapped("name")))
        self.assertEqual(invoices(groups[1]), set(foreign.mapped("name")))
        for group, total, late, cur in (
            (groups[0], "1,500.00", "1,500.00", currency),
            (groups[1], "650.00", "400.00", second),
        ):
            self.assertIn(total, figure(group, "o_dunning_portal_total"))
            self.assertIn(cur.symbol, figure(group, "o_dunning_portal_total"))
            self.assertIn(late, figure(group, "o_dunning_portal_total_late"))
        # never added together, whatever the rate: 2,150 nor 1,500 + 650 / 2
        self.assertNotIn("2,150.00", response.text)
        self.assertNotIn("1,825.00", response.text)
        # paying or promising both currencies at once is refused
        mixed = f"invoice_ids={mine[0].id}&invoice_ids={foreign[0].id}"
        response = self.url_open(f"{self._page(reminder, '/pay')}&{mixed}")
        self.assertIn("Select invoices in one currency", response.text)
        self.assertNotIn("o_payment_form", response.text)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/reminders/{reminder.id}/transaction/{mine[0].id}-{foreign[0].id}",
                self._transaction_params(reminder, 1600),
            )
        response = self._post(
            reminder,
            "/promise",
            [
                ("invoice_ids", mine[0].id),
                ("invoice_ids", foreign[0].id),
                ("date", str(self._today() + timedelta(days=5))),
                ("amount", "1600"),
            ],
        )
        self.assertIn("Select invoices in one currency", response.text)
        self.assertFalse(self._promises(mine | foreign))
        with self.assertRaisesText(UserError, "one currency"):
            reminder._get_portal_payment([mine[0].id, foreign[0].id])
        # one currency at a time is fine: the second currency's invoices
        moves, amount, cur, _reference = reminder._get_portal_payment(foreign.ids)
        self.assertEqual((moves, amount, cur), (foreign, 650.0, second))

    # ------------------------------------------------------------------
    # My Account, CSRF, files
    # ------------------------------------------------------------------

    def test_portal_user_sees_only_its_reminders(self):
        mine = self._sent_reminder(self._late(1200, 25))
        theirs = self._sent_reminder(self._late(300, 15, partner=self.other_customer))
        user = new_test_user(
            self.env,
            login="portal_sec_dupont",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        user.partner_id.parent_id = self.customer
        self.authenticate(user.login, user.login)
        response = self.url_open("/my/reminders")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine.name, response.text)
        self.assertNotIn(theirs.name, response.text)
        self.assertEqual(
            len(
                html.fromstring(response.text).xpath(
                    "//tr[contains(@class, 'o_dunning_portal_my_row')]"
                )
            ),
            1,
        )
        # its own page opens without the token, the other's does not
        self.assertEqual(self.url_open(f"/my/reminders/{mine.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/reminders/{theirs.id}").status_code, 404)
        # the count on My Account's home
        self.assertEqual(self.env["account.dunning"].with_user(user)._portal_search_count_mine(), 1)
        # anonymous: the list is for logged-in users
        self.authenticate(None, None)
        response = self.url_open("/my/reminders", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    @mute_logger("odoo.http")
    def test_post_without_csrf_token(self):
        invoice = self._late(800, 15)
        reminder = self._sent_reminder(invoice)
        for csrf in (None, "0" * 40 + "o9999999999"):
            extra = {"csrf_token": csrf} if csrf else {}
            response = self._post(
                reminder, "/message", {"message": "No token here", **extra}, csrf=False
            )
            self.assertEqual(response.status_code, 400)
            response = self._post(
                reminder,
                "/promise",
                {
                    "invoice_ids": invoice.id,
                    "date": str(self._today() + timedelta(days=5)),
                    "amount": "800",
                    **extra,
                },
                csrf=False,
            )
            self.assertEqual(response.status_code, 400)
            response = self._post(
                reminder,
                f"/dispute/{invoice.id}",
                {"reason": "price", "message": "No token", **extra},
                csrf=False,
            )
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self._messages(reminder, "No token here"))
        self.assertFalse(self._promises(invoice))
        self.assertFalse(self._disputes(invoice))
        self.assertFalse(reminder.portal_submission_ids)
        # with its token, the same message goes through
        response = self._post(reminder, "/message", {"message": "No token here"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(len(self._messages(reminder, "No token here")), 1)

    def test_attachment_type_and_size(self):
        invoice = self._late(800, 15)
        reminder = self._sent_reminder(invoice)
        refused = {
            "notes.txt": b"Just some text, not a document",
            "invoice.pdf": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8,
            "page.pdf": b"<html><body><script>alert(1)</script></body></html>",
        }
        for name, content in refused.items():
            response = self._post(
                reminder,
                f"/dispute/{invoice.id}",
                {"reason": "price", "message": "See the file"},
                files={"attachment": (name, content, "application/pdf")},
            )
            self.assertEqual(response.status_code, 200, name)
            self.assertIn("Attach a PDF or a picture (PNG or JPEG).", response.text, name)
        # a PDF over 10 MB (in lines, as a PDF is: the server's own form
        # parser refuses more than 10 MB without a line break with a bare
        # 413 before the page can say why)
        big = PDF + (b"0" * 1023 + b"\n") * (10 * 1024)
        response = self._post(
            reminder,
            f"/dispute/{invoice.id}",
            {"reason": "price", "message": "See the file"},
            files={"attachment": ("big.pdf", big, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("The file is too large: at most 10 MB.", response.text)
        self.assertFalse(self._disputes(invoice))
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "account.dunning.dispute")])
        )
        self.assertFalse(reminder.portal_submission_ids)
        # the same over the model; exactly 10 MB is taken
        with self.assertRaisesText(UserError, "too large"):
            self._as_customer(reminder)._portal_dispute(
                invoice.id, "price", "Big", ("big.pdf", big)
            )
        with self.assertRaisesText(UserError, "Attach a PDF"):
            self._as_customer(reminder)._portal_dispute(
                invoice.id, "price", "Text", ("a.pdf", b"plain text")
            )
        exact = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
        dispute = self._as_customer(reminder)._portal_dispute(
            invoice.id, "price", "Exactly", ("full.pdf", exact)
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachment.name, "full.pdf")
        self.assertEqual(attachment.file_size, 10 * 1024 * 1024)

    # ------------------------------------------------------------------
    # What opening and acting do not do
    # ------------------------------------------------------------------

    def test_do_not_remind_customer_opens_link_and_nothing_is_sent(self):
        invoice = self._late(800, 25)
        reminder = self._sent_reminder(invoice)
        self.customer.dunning_blocked = True
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.search_count([])
        reminders = self.env["account.dunning"].search_count([])
        response = self.url_open(self._page(reminder))
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        code = reminder.sudo().portal_code
        response = self.url_open(f"/rp/{code}")
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(Mail.search_count([]), mails)
        self.assertEqual(self.env["account.dunning"].search_count([]), reminders)
        self.assertTrue(reminder.portal_last_seen)
        self.assertEqual(reminder.state, "sent")

    def test_customer_actions_write_nothing_on_invoices_and_partner(self):
        invoices = self._late(1200, 25) | self._late(300, 12) | self._late(200, 11)
        reminder = self._sent_reminder(invoices)
        self.env.flush_all()
        before = {(r._name, r.id): r.write_date for r in (*invoices, self.customer)}
        snapshot = [
            invoices.mapped(f)
            for f in ("amount_residual", "dunning_level_id", "payment_state", "ref", "narration")
        ] + [self.customer.read(["name", "email", "phone", "dunning_blocked", "comment"])]
        promise_date = str(self._today() + timedelta(days=7))
        self.url_open(self._page(reminder))
        response = self._post(
            reminder,
            "/promise",
            [("invoice_ids", invoices[0].id), ("date", promise_date), ("amount", "1200")],
        )
        self.assertEqual(response.status_code, 303)
        response = self._post(
            reminder,
            f"/dispute/{invoices[1].id}",
            {"reason": "quantity", "message": "Only 2 delivered"},
            files={"attachment": ("proof.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 303)
        response = self._post(
            reminder, "/message", {"message": "Call me", "call_back": "1", "phone": "0102"}
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertTrue(self._promises(invoices[0]))
        self.assertTrue(self._disputes(invoices[1]))
        after = {(r._name, r.id): r.write_date for r in (*invoices, self.customer)}
        self.assertEqual(after, before)
        self.assertEqual(
            [
                invoices.mapped(f)
                for f in (
                    "amount_residual",
                    "dunning_level_id",
                    "payment_state",
                    "ref",
                    "narration",
                )
            ]
            + [self.customer.read(["name", "email", "phone", "dunning_blocked", "comment"])],
            snapshot,
        )
