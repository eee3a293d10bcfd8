# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from datetime import timedelta
from urllib.parse import urlsplit

from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_open

from .common import DunningPortalCommon


@tagged("post_install", "-at_install")
class TestDunningPortalTour(DunningPortalCommon, HttpCase):
    """The customer's page in a real browser, as the customer opens it from
    the reminder email, without a login; then what the clicks did, read
    from the database.

    The browser runs on the real clock: the invoices are dated from today.
    The tours find the invoices by their customer reference (TOUR-...),
    printed under each number on the page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the customer may be reminded again the same day: an invoice left
        # out of the reminder is in the engine's proposals until the
        # customer promises or disputes
        cls.company.dunning_min_interval_days = 0
        cls.responsible = cls._user(
            "portal_tour_responsible",
            "account.group_account_invoice,account_dunning.group_dunning_user",
        )

    def setUp(self):
        super().setUp()
        self.provider = self._demo_provider()

    def _demo_provider(self):
        """Odoo's demo provider in test mode in the test company, published
        (the customer is not logged in), its payments posted in the
        company's bank journal: what ``PaymentCommon._prepare_provider`` and
        account_payment's tests do."""
        if self.env["ir.module.module"]._get("payment_demo").state != "installed":
            self.skipTest("payment_demo is not installed")
        Provider = self.env["payment.provider"].sudo()
        provider = Provider.search(
            [("code", "=", "demo"), ("company_id", "=", self.company.id)], limit=1
        )
        if not provider:
            provider = Provider.search([("code", "=", "demo")], limit=1).copy(
                {"company_id": self.company.id}
            )
        provider.write({"state": "test", "is_published": True})
        if not provider.journal_id:
            provider.journal_id = self.company_data["default_journal_bank"]
        # the payment form shows the method's picture: a database copied
        # without its files (dev/quick_test.sh) has lost it
        for method in provider.payment_method_ids.filtered(lambda method: not method.image):
            with file_open("payment_demo/static/img/demo.png", "rb") as image:
                method.image = base64.b64encode(image.read())
        return provider

    def _tour_invoice(self, ref, amount, days_late, partner):
        """A posted invoice ``days_late`` days late today, of customer
        reference ``ref`` (how the tour finds its row)."""
        move = self._invoice(
            amount, self._today() - timedelta(days=days_late), partner=partner, post=False
        )
        move.ref = ref
        move.action_post()
        return move

    def _customer(self, name, **values):
        customer = self.env["res.partner"].create(
            {"name": name, "is_company": True, "street": "2 rue", "city": "Rouen", **values}
        )
        customer.with_company(self.company).dunning_responsible_id = self.responsible
        return customer

    def _email_link(self, reminder, label):
        """The link of the button ``label`` of the reminder's email, as the
        customer clicks it: its path and query, on the test server."""
        mail = reminder.mail_id
        self.assertTrue(mail, "the reminder was sent by email")
        buttons = [
            link
            for link in html.fromstring(mail.body_html).iter("a")
            if link.text_content().strip() == label
        ]
        self.assertEqual(len(buttons), 1, f"one button {label!r} in the email")
        href = buttons[0].get("href")
        self.assertEqual(href, reminder._get_portal_link())
        url = urlsplit(href)
        self.assertEqual(url.path, f"/my/reminders/{reminder.id}")
        return f"{url.path}?{url.query}"

    def _proposed(self, moves):
        """The invoices of ``moves`` the engine proposes to remind now (the
        worklist's and the workbench's proposals)."""
        self.env.invalidate_all()
        proposals = self.env["account.dunning"]._prepare_proposals(self._state(moves))
        return moves.browse([move_id for proposal in proposals for move_id in proposal["move_ids"]])

    def _activities(self, record):
        return self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_portal_tour(self):
        """From the reminder email, in English: two invoices paid with the
        demo provider, one promised, one disputed, the statement
        downloaded. Paid invoices are paid; the promised and the disputed
        ones leave the proposals; the responsible has an activity for each."""
        customer = self.customer
        customer.with_company(self.company).dunning_responsible_id = self.responsible
        paid = self._tour_invoice("TOUR-PAY-1", 1200, 25, customer) | self._tour_invoice(
            "TOUR-PAY-2", 300, 12, customer
        )
        promised = self._tour_invoice("TOUR-PROMISE", 500, 15, customer)
        disputed = self._tour_invoice("TOUR-DISPUTE", 800, 22, customer)
        other = self._tour_invoice("TOUR-OPEN", 500, 11, customer)
        reminder = self._sent_reminder(paid)
        self.assertEqual(reminder.line_ids.move_id, paid)
        # left out of the reminder, the others are still to remind
        self.assertEqual(self._proposed(promised | disputed | other), promised | disputed | other)
        link = self._email_link(reminder, "See and pay my invoices")

        self.start_tour(link, "account_dunning_portal_tour")

        self.env.invalidate_all()
        # paid: 1,500.00 in one transaction, linked to the reminder
        transaction = self.env["payment.transaction"].search(
            [("dunning_reminder_id", "=", reminder.id)]
        )
        self.assertEqual(len(transaction), 1)
        self.assertEqual(transaction.provider_id, self.provider)
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.amount, 1500)
        self.assertEqual(transaction.invoice_ids, paid)
        self.assertEqual(transaction.partner_id, customer)
        self.assertTrue(transaction.payment_id)
        self.assertEqual(paid.mapped("amount_residual"), [0.0, 0.0])
        self.assertTrue(
            all(state in ("paid", "in_payment") for state in paid.mapped("payment_state"))
        )
        self.assertEqual((promised | disputed | other).mapped("payment_state"), ["not_paid"] * 3)
        # promised: by a week from today, the amount proposed (what it owes)
        promise = self.env["account.dunning.promise"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(promise), 1)
        self.assertTrue(promise.from_customer)
        self.assertEqual(promise.portal_reminder_id, reminder)
        self.assertEqual(promise.move_ids, promised)
        self.assertEqual(promise.date, self._today() + timedelta(days=7))
        self.assertEqual(promise.amount, 500)
        self.assertEqual(promise.state, "open")
        self.assertIn("our own customer has paid us", promise.note)
        self.assertEqual(self._activities(promise).user_id, self.responsible)
        # disputed: the reason and the message, owned by the responsible
        dispute = self.env["account.dunning.dispute"].search(
            [("move_id", "in", customer.invoice_ids.ids)]
        )
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.move_id, disputed)
        self.assertTrue(dispute.from_customer)
        self.assertEqual(dispute.portal_reminder_id, reminder)
        self.assertEqual(dispute.reason, "price")
        self.assertEqual(dispute.note, "The price is not the one of our order")
        self.assertEqual(dispute.user_id, self.responsible)
        self.assertEqual(self._activities(dispute).user_id, self.responsible)
        # both leave the proposals; the invoice nobody spoke of stays
        self.assertEqual(self._proposed(promised | disputed | other), other)
        self.assertTrue(reminder.portal_first_seen)

    def test_portal_tour_in_french(self):
        """A French customer's email and page, in French: a promise and a
        dispute made in French reach the database."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning", "account_dunning_portal"], ["fr_FR"], overwrite=True
        )
        customer = self._customer("Quincaillerie Martin", email="compta@martin.test", lang="fr_FR")
        promised = self._tour_invoice("TOUR-FR-PROMISE", 400, 25, customer)
        disputed = self._tour_invoice("TOUR-FR-DISPUTE", 250, 12, customer)
        reminder = self._sent_reminder(promised | disputed)
        self.assertEqual(reminder.lang, "fr_FR")
        link = self._email_link(reminder, "Voir et régler mes factures")

        self.start_tour(link, "account_dunning_portal_tour_fr")

        self.env.invalidate_all()
        promise = self.env["account.dunning.promise"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(promise), 1)
        self.assertTrue(promise.from_customer)
        self.assertEqual(promise.move_ids, promised)
        self.assertEqual(promise.date, self._today() + timedelta(days=7))
        self.assertEqual(promise.amount, 400)
        self.assertEqual(promise.note, "Nous réglerons à réception de notre acompte")
        self.assertEqual(self._activities(promise).user_id, self.responsible)
        dispute = self.env["account.dunning.dispute"].search([("move_id", "=", disputed.id)])
        self.assertEqual(len(dispute), 1)
        self.assertTrue(dispute.from_customer)
        self.assertEqual(dispute.reason, "not_received")
        self.assertEqual(dispute.note, "La marchandise n'a jamais été livrée à notre dépôt")
        self.assertEqual(self._activities(dispute).user_id, self.responsible)
