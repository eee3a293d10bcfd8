# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import zipfile
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon

TELL = "Tell the agency"


@tagged("post_install", "-at_install")
class TestDunningAgency(DunningCommon):
    """Issue 23, the hand-off to a collection agency: the file sent to the
    agency (or downloaded), the customer in litigation with the agency's
    road, an activity "Tell the agency" for each payment received on the
    handed-over invoices after the hand-off, and what the agency recovered
    since, with its commission."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.user = cls._user("agency_user", "account.group_account_invoice")
        cls.responsible = cls._user("agency_responsible", "account.group_account_invoice")
        cls.auditor = cls._user("agency_auditor", "base.group_user,account.group_account_readonly")
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvrement Express",
                "is_company": True,
                "email": "dossiers@recouvrement.test",
                "dunning_is_collection_agency": True,
            }
        )
        cls.company.write({"dunning_agency_id": cls.agency.id, "dunning_agency_commission": 12.5})
        cls.customer.with_company(cls.company).dunning_responsible_id = cls.responsible
        cls.usd = cls.company.currency_id

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextmanager
    def _fake_legal_file(self):
        """The legal file (helper B's ``_dunning_make_legal_file``) made
        instantly, for the tests that are not about it."""
        made = []

        def make(partner, road=None, agency=None):
            made.append(road)
            return (
                partner.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "Legal File - test.zip",
                        "raw": b"PK\x05\x06" + b"\x00" * 18,
                        "mimetype": "application/zip",
                        "res_model": "res.partner",
                        "res_id": partner.commercial_partner_id.id,
                    }
                )
            )

        with patch.object(type(self.env["res.partner"]), "_dunning_make_legal_file", make):
            yield made

    def _handoff(self, user=None, method="email", partner=None, agency=None):
        """Hand Over to an Agency from the customer's tab, as ``user``
        fills the form. Returns (wizard, the action it returns)."""
        user = user or self.user
        action = (partner or self.customer).with_user(user).action_dunning_handoff()
        Wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        with Form(Wizard) as form:
            form.send_method = method
            if agency:
                form.agency_id = agency
        wizard = form.save()
        return wizard, wizard.action_confirm()

    def _litigation(self, partner=None):
        return (partner or self.customer).with_company(self.company).dunning_litigation_id

    def _tell_activities(self, litigation):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.dunning.litigation"),
                    ("res_id", "=", litigation.id),
                    ("summary", "like", TELL),
                ]
            )
        )

    def _refund(self, invoice, amount, refund_date):
        """A credit note of ``amount`` reconciled with ``invoice``."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "invoice_date": refund_date,
                "date": refund_date,
                "currency_id": invoice.currency_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Discount", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        return refund

    def _send_notice(self, invoice):
        """The formal notice of ``invoice``, already reminded at the second
        level, sent by email today: its deadline is in 8 days."""
        invoice.sudo().write({"dunning_level_id": self.second.id, "dunning_count": 2})
        Dunning = self.env["account.dunning"]
        proposals = Dunning._prepare_proposals(self._state(invoice))
        for proposal in proposals:
            proposal.update(send_email=True, send_letter=False)
        notice = Dunning._create_reminders(proposals)
        self.assertEqual(notice.level_id, self.notice)
        return notice

    # ------------------------------------------------------------------
    # The hand-off
    # ------------------------------------------------------------------

    def test_email_goes_to_the_agency_with_the_file(self):
        """The real legal file (ZIP) goes to the agency's email; the
        customer ends in litigation with the agency's road."""
        with freeze_time("2026-03-02"):
            invoice = self._invoice(1000, "2026-01-15")
            notice = self._send_notice(invoice)
        with freeze_time("2026-03-15"):  # the notice's deadline (03-10) passed
            self.assertTrue(notice.notice_deadline < date(2026, 3, 15))
            wizard, action = self._handoff()
            self.assertEqual(action, {"type": "ir.actions.act_window_close"})
            self.assertEqual(wizard.agency_id, self.agency)
            self.assertEqual(wizard.commission, 12.5)
            litigation = self._litigation()
            self.assertEqual(litigation.road, "agency")
            self.assertEqual(litigation.agency_id, self.agency)
            self.assertEqual(litigation.handoff_date, date(2026, 3, 15))
            self.assertEqual(litigation.agency_commission, 12.5)
            self.assertEqual(litigation.handoff_move_ids, invoice)
            customer = self.customer.with_company(self.company)
            self.assertTrue(customer.dunning_litigation)
            self.assertEqual(customer.dunning_litigation_road, "agency")
            zip_file = litigation.legal_file_id
            self.assertEqual(zip_file.mimetype, "application/zip")
            names = zipfile.ZipFile(io.BytesIO(base64.b64decode(zip_file.datas))).namelist()
            self.assertTrue(names)
            # the email: to the agency alone, the ZIP attached, from the template
            message = litigation.message_ids.filtered(lambda m: self.agency in m.partner_ids)
            self.assertEqual(len(message), 1)
            self.assertEqual(message.attachment_ids, zip_file)
            self.assertIn(self.customer.name, message.subject)
            self.assertIn(self.customer.name, message.body)
            self.assertIn(zip_file.name, message.body)
            self.assertEqual(message.partner_ids, self.agency)
            notified = self.env["mail.notification"].search(
                [("mail_message_id", "=", message.id), ("notification_type", "=", "email")]
            )
            self.assertEqual(notified.res_partner_id, self.agency)
            # the claim, as the file states it: 1,000 principal plus charges
            claim = self.env["account.dunning.legal.file"]._get_claim(self.customer, self.company)
            self.assertEqual(claim[self.usd]["principal"], 1000.0)
            total = claim[self.usd]["total"]
            self.assertIn(f"{total:,.2f}", message.body)
            # the customer's tab
            self.assertEqual(customer.dunning_agency_id, self.agency)
            self.assertEqual(customer.dunning_handoff_date, date(2026, 3, 15))

    @freeze_time("2026-03-15")
    def test_export_downloads_the_file_without_email(self):
        self._invoice(1000, "2026-01-15")
        with self._fake_legal_file() as made:
            _wizard, action = self._handoff(method="export")
        self.assertEqual(made, ["agency"])
        litigation = self._litigation()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/web/content/{litigation.legal_file_id.id}?download=true")
        self.assertEqual(litigation.road, "agency")
        self.assertFalse(litigation.message_ids.filtered(lambda m: self.agency in m.partner_ids))

    def test_a_customer_in_litigation_is_refused_unless_with_an_agency(self):
        with freeze_time("2026-03-15"):
            invoice = self._invoice(1000, "2026-01-15")
            lawyer = self.customer.with_user(self.user)._dunning_open_litigation("lawyer")
            with self._fake_legal_file(), self.assertRaisesText(UserError, "Lawyer"):
                self._handoff()
            lawyer._close("abandoned")
            with self._fake_legal_file():
                self._handoff()
            litigation = self._litigation()
        # handed over already: the file is sent again, to the same agency,
        # the hand-off unchanged
        self.company.dunning_agency_commission = 30
        with freeze_time("2026-03-20"):
            newer = self._invoice(200, "2026-03-20")
        with freeze_time("2026-04-02"), self._fake_legal_file() as made:
            wizard, _action = self._handoff()
            self.assertTrue(wizard.resend)
            self.assertEqual(wizard.commission, 12.5)
        self.assertEqual(made, ["agency"])
        self.assertEqual(self._litigation(), litigation)
        self.assertEqual(litigation.handoff_date, date(2026, 3, 15))
        self.assertEqual(litigation.agency_commission, 12.5)
        # the invoice overdue since is in the file sent again: handed over too
        self.assertEqual(litigation.handoff_move_ids, invoice | newer)
        sent = litigation.message_ids.filtered(lambda m: self.agency in m.partner_ids)
        self.assertEqual(len(sent), 2)
        # another agency: refused
        other = self.agency.copy({"name": "Other Agency"})
        with freeze_time("2026-04-02"), self._fake_legal_file():
            wizard = (
                self.env["account.dunning.handoff.wizard"]
                .with_user(self.user)
                .create({"partner_id": self.customer.id, "agency_id": other.id})
            )
            with self.assertRaisesText(UserError, "can only be sent again"):
                wizard.action_confirm()

    @freeze_time("2026-03-15")
    def test_put_in_litigation_with_an_agency_then_handed_over(self):
        """A customer put in litigation with an agency by hand is handed
        over the first time it is sent its file."""
        invoice = self._invoice(1000, "2026-01-15")
        opened = self.customer.with_user(self.user)._dunning_open_litigation(
            "agency", agency=self.agency
        )
        wizard = (
            self.env["account.dunning.handoff.wizard"]
            .with_user(self.user)
            .create({"partner_id": self.customer.id})
        )
        self.assertFalse(wizard.resend)
        self.assertEqual(wizard.agency_id, self.agency)
        with self._fake_legal_file():
            wizard.action_confirm()
        self.assertEqual(self._litigation(), opened)
        self.assertEqual(opened.handoff_date, date(2026, 3, 15))
        self.assertEqual(opened.agency_commission, 12.5)
        self.assertEqual(opened.handoff_move_ids, invoice)

    @freeze_time("2026-03-15")
    def test_handoff_checks_the_agency(self):
        self._invoice(1000, "2026-01-15")
        plain = self.env["res.partner"].create({"name": "Not an agency", "email": "x@y.test"})
        wizard = (
            self.env["account.dunning.handoff.wizard"]
            .with_user(self.user)
            .create({"partner_id": self.customer.id, "agency_id": plain.id})
        )
        with self._fake_legal_file(), self.assertRaisesText(UserError, "not flagged"):
            wizard.action_confirm()
        self.agency.email = False
        with self._fake_legal_file(), self.assertRaisesText(UserError, "no valid email"):
            self._handoff()
        self.assertFalse(self._litigation())
        # nothing overdue, nothing to hand over
        other = self.env["res.partner"].create({"name": "Good Payer", "is_company": True})
        with self._fake_legal_file(), self.assertRaisesText(UserError, "no overdue invoice"):
            self._handoff(partner=other, method="export")

    # ------------------------------------------------------------------
    # Payments after the hand-off
    # ------------------------------------------------------------------

    def test_payment_after_handoff_gives_one_activity(self):
        with freeze_time("2026-03-15"):
            invoice = self._invoice(1000, "2026-01-15")
            with self._fake_legal_file():
                self._handoff()
            litigation = self._litigation()
            self.assertFalse(self._tell_activities(litigation))
        with freeze_time("2026-03-20"):
            self._pay(invoice, 300, date(2026, 3, 20))
        activity = self._tell_activities(litigation)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.responsible)
        self.assertEqual(
            activity.summary,
            f"Tell the agency: {self.usd.format(300.0)} received on {invoice.name}",
        )
        self.assertIn(invoice.name, activity.note)
        self.assertIn("03/20/2026", activity.note)
        self.assertIn(self.agency.name, activity.note)
        self.assertEqual(activity.date_deadline, date(2026, 3, 20))
        partial = invoice.line_ids.matched_credit_ids
        self.assertEqual(litigation.agency_partial_ids, partial)
        # run again on the same reconciliation: nothing more
        Litigation = self.env["account.dunning.litigation"]
        self.assertFalse(Litigation._dunning_agency_report_payments(partial))
        self.assertEqual(len(self._tell_activities(litigation)), 1)

    def test_no_activity_before_the_handoff_or_for_another_company(self):
        company_b = self.setup_other_company(name="Agency Company B")["company"]
        with freeze_time("2026-03-10"):
            invoice = self._invoice(1000, "2026-01-15")
            # paid before the hand-off: the file claims what is left
            self._pay(invoice, 200, date(2026, 3, 10))
            invoice_b = (
                self.env["account.move"]
                .with_company(company_b)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.customer.id,
                        "invoice_date": date(2026, 1, 15),
                        "invoice_date_due": date(2026, 1, 15),
                        "invoice_line_ids": [
                            Command.create({"name": "B", "price_unit": 500, "tax_ids": []})
                        ],
                    }
                )
            )
            invoice_b.action_post()
        with freeze_time("2026-03-15"):
            with self._fake_legal_file():
                self._handoff()
            litigation = self._litigation()
            self.assertEqual(litigation.handoff_move_ids, invoice)
        with freeze_time("2026-03-16"):
            # reconciled after the hand-off, dated before it
            self._pay(invoice, 100, date(2026, 3, 12))
            # the same customer's invoice of another company
            self.env["account.payment.register"].with_company(company_b).with_context(
                active_model="account.move", active_ids=invoice_b.ids
            ).create({"amount": 500, "payment_date": date(2026, 3, 16)})._create_payments()
            self.assertIn(invoice_b.payment_state, ("in_payment", "paid"))
            # an invoice made after the hand-off was not handed over
            later = self._invoice(50, "2026-03-16")
            self._pay(later, 50, date(2026, 3, 16))
        self.assertFalse(self._tell_activities(litigation))
        self.assertFalse(litigation.agency_partial_ids)
        # once the litigation is closed, payments are not reported any more
        litigation.with_user(self.user)._close("settlement")
        with freeze_time("2026-03-20"):
            self._pay(invoice, 100, date(2026, 3, 20))
        self.assertFalse(self._tell_activities(litigation))

    def test_recovered_since_the_handoff_and_commission(self):
        """Per currency, never added across: the payments after the
        hand-off (credit notes are told to the agency, but are not money
        recovered), and the commission at the rate of the hand-off."""
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        with freeze_time("2026-03-15"):
            invoice = self._invoice(1000, "2026-01-15")
            invoice_eur = self._invoice(500, "2026-01-20", currency=eur)
            with self._fake_legal_file():
                self._handoff()
            litigation = self._litigation()
            self.assertEqual(litigation.handoff_move_ids, invoice | invoice_eur)
            # the company's rate changes afterwards: not the hand-off's
            self.company.dunning_agency_commission = 20
        with freeze_time("2026-03-28"):
            self._pay(invoice, 300, date(2026, 3, 20))
            self._pay(invoice, 150.40, date(2026, 3, 25))
            self._refund(invoice, 100, date(2026, 3, 26))
            self._pay(invoice_eur, 200, date(2026, 3, 27))
        self.assertEqual(len(self._tell_activities(litigation)), 4)
        # by hand: USD 300 + 150.40 = 450.40, 12.5 % = 56.30;
        # EUR 200, 12.5 % = 25.00; the credit note of 100 is not recovered
        recovered = litigation._get_agency_recovered()
        self.assertEqual(set(recovered), {self.usd, eur})
        self.assertAlmostEqual(recovered[self.usd][0], 450.40)
        self.assertAlmostEqual(recovered[self.usd][1], 56.30)
        self.assertAlmostEqual(recovered[eur][0], 200.00)
        self.assertAlmostEqual(recovered[eur][1], 25.00)
        customer = self.customer.with_company(self.company).with_user(self.user)
        for text in (self.usd.format(450.40), eur.format(200.0)):
            self.assertIn(text, customer.dunning_agency_recovered)
        for text in (self.usd.format(56.30), eur.format(25.0)):
            self.assertIn(text, customer.dunning_agency_commission_due)
        self.assertIn(invoice.name, litigation.agency_payments)
        credit_note = self._tell_activities(litigation).filtered(
            lambda activity: "credit note" in activity.note
        )
        self.assertEqual(len(credit_note), 1)
        # a payment unreconciled is no longer recovered
        partial = invoice.line_ids.matched_credit_ids.filtered(
            lambda p: p.debit_amount_currency == 150.40
        )
        partial.credit_move_id.remove_move_reconcile()
        litigation.invalidate_recordset()
        self.assertAlmostEqual(litigation._get_agency_recovered()[self.usd][0], 300.0)

    # ------------------------------------------------------------------
    # Rights and settings
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_rights(self):
        self._invoice(1000, "2026-01-15")
        Wizard = self.env["account.dunning.handoff.wizard"]
        # a read-only accountant may not hand over
        with self.assertRaises(AccessError):
            self.customer.with_user(self.auditor).action_dunning_handoff()
        with self.assertRaises(AccessError):
            Wizard.with_user(self.auditor).create({"partner_id": self.customer.id})
        with self._fake_legal_file(), self.assertRaises(AccessError):
            Wizard.sudo().create({"partner_id": self.customer.id}).with_user(
                self.auditor
            ).action_confirm()
        # a user of company B alone may not hand over company A's customer
        company_b = self.setup_other_company(name="Agency Rights B")["company"]
        user_b = new_test_user(
            self.env,
            login="agency_user_b",
            groups="account.group_account_invoice",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        own = self.env["res.partner"].create(
            {"name": "Client de A", "is_company": True, "company_id": self.company.id}
        )
        self._invoice(400, "2026-01-15", partner=own)
        with self.assertRaises(AccessError):
            Wizard.with_user(user_b)._action_open(self.customer, self.company)
        with self.assertRaises(AccessError):
            Wizard.with_user(user_b).create(
                {"partner_id": self.customer.id, "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            Wizard.with_user(user_b).create({"partner_id": own.id})
        rows = self.env["account.dunning.customer"].with_user(user_b).search([])
        self.assertNotIn(self.customer, rows.partner_id)
        # in its own company, the shared customer owes B nothing
        with self._fake_legal_file(), self.assertRaisesText(UserError, "no overdue invoice"):
            self._handoff(user=user_b, method="export", agency=self.agency)
        self.assertFalse(self._litigation())
        # what the hand-off and the payments write is refused over RPC
        with self._fake_legal_file():
            self._handoff()
        litigation = self._litigation().with_user(self.user)
        with self.assertRaises(AccessError):
            litigation.write({"handoff_move_ids": [Command.clear()]})
        partial = self.env["account.partial.reconcile"].search([], limit=1)
        with self.assertRaises(AccessError):
            litigation.write({"agency_partial_ids": [Command.link(partial.id)]})

    def test_settings(self):
        plain = self.env["res.partner"].create({"name": "Not an agency"})
        with self.assertRaises(ValidationError):
            self.company.dunning_agency_id = plain
        with self.assertRaises(ValidationError):
            self.company.dunning_agency_commission = 150
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dunning_agency_id, self.agency)
        self.assertEqual(settings.dunning_agency_commission, 12.5)
        agencies = self.env["res.partner"].search([("dunning_is_collection_agency", "=", True)])
        self.assertIn(self.agency, agencies)
        self.assertNotIn(plain, agencies)
