# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 23 (litigation, legal file, hand-off to an agency) tried as an
attacker does over JSON-RPC: the records and wizards pointed at another
company's customer, agency or user by their ids, the fields the module
writes written by hand, a closed litigation rewritten, another user's
wizard opened; the legal file's ZIP read by whoever reads the customer;
letters still waiting for the post when the customer goes to litigation;
the payment hook run by a user without reminder rights. Each is refused
or shows nothing; the clerk's own paths still work."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon

TELL = "Tell the agency"


@tagged("post_install", "-at_install")
class TestDunningAttackLitigation(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        address = {"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"}
        cls.customer.write(address)
        cls.clerk = cls._user("lit_attack_clerk", "account.group_account_invoice")
        cls.clerk_2 = cls._user("lit_attack_clerk_2", "account.group_account_invoice")
        cls.auditor = cls._user(
            "lit_attack_auditor", "base.group_user,account.group_account_readonly"
        )
        cls.employee = cls._user("lit_attack_employee", "base.group_user")
        cls.company_b = cls.setup_other_company(name="Litigation Attack B")["company"]
        cls.clerk_b = new_test_user(
            cls.env,
            login="lit_attack_clerk_b",
            groups="account.group_account_invoice",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.partner_b = cls.env["res.partner"].create(
            {"name": "Secret Customer B", "is_company": True, "company_id": cls.company_b.id}
        )
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvrement Express",
                "is_company": True,
                "email": "dossiers@recouvrement.test",
                "dunning_is_collection_agency": True,
            }
        )
        cls.agency_b = cls.env["res.partner"].create(
            {
                "name": "Agency of B",
                "is_company": True,
                "email": "b@agency-b.test",
                "company_id": cls.company_b.id,
                "dunning_is_collection_agency": True,
            }
        )
        cls.company.write({"dunning_agency_id": cls.agency.id, "dunning_agency_commission": 10})
        cls.Litigation = cls.env["account.dunning.litigation"]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextmanager
    def _fake_legal_file(self):
        """The legal file made instantly, for the tests not about its
        documents; yields the calls' keyword arguments."""
        calls = []

        def make(partner, road=None, agency=None):
            calls.append({"road": road, "agency": agency})
            return (
                partner.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "Legal File - test.zip",
                        "raw": b"PK\x05\x06" + b"\x00" * 18,
                        "mimetype": "application/zip",
                    }
                )
            )

        with patch.object(type(self.env["res.partner"]), "_dunning_make_legal_file", make):
            yield calls

    def _notice_passed(self):
        """An invoice of 1,000 due on 1 February 2026, its formal notice
        sent by email on 20 March (deadline 28 March)."""
        with freeze_time("2026-01-02"):
            invoice = self._invoice(1000, "2026-02-01")
        with freeze_time("2026-03-20"):
            invoice.sudo().write({"dunning_level_id": self.second.id})
            Dunning = self.env["account.dunning"]
            proposals = Dunning._prepare_proposals(self._state(invoice))
            for proposal in proposals:
                proposal.update(send_email=True, send_letter=False)
            notice = Dunning._create_reminders(proposals)
        self.assertEqual(notice.level_id, self.notice)
        return invoice, notice

    # ------------------------------------------------------------------
    # Another company's records, by their ids
    # ------------------------------------------------------------------

    def test_litigation_refuses_records_of_another_company(self):
        """Created over RPC (not through the form), a litigation of company
        A cannot name company B's customer, agency or user: their notes,
        names and activities would cross over."""
        # a clerk of both companies, both selected: company B's customer,
        # agency and user are readable to them
        clerk_ab = new_test_user(
            self.env,
            login="lit_attack_clerk_ab",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | self.company_b).ids)],
        )
        Litigation = self.Litigation.with_user(clerk_ab).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        base = {"company_id": self.company.id, "road": "lawyer"}
        with self.assertRaisesText(UserError, "ncompatible compan"):
            Litigation.create({**base, "partner_id": self.partner_b.id})
        self.assertFalse(self.partner_b.with_company(self.company).sudo().dunning_litigation)
        with self.assertRaisesText(UserError, "ncompatible compan"):
            Litigation.create(
                {
                    **base,
                    "partner_id": self.customer.id,
                    "road": "agency",
                    "agency_id": self.agency_b.id,
                }
            )
        with self.assertRaisesText(UserError, "ncompatible compan"):
            Litigation.create({**base, "partner_id": self.customer.id, "user_id": self.clerk_b.id})
        litigation = Litigation.create({**base, "partner_id": self.customer.id})
        with self.assertRaisesText(UserError, "ncompatible compan"):
            litigation.write({"road": "agency", "agency_id": self.agency_b.id})
        with self.assertRaisesText(UserError, "ncompatible compan"):
            litigation.write({"user_id": self.clerk_b.id})
        # company B's own litigation names them
        in_b = Litigation.with_company(self.company_b).create(
            {
                "company_id": self.company_b.id,
                "partner_id": self.partner_b.id,
                "road": "agency",
                "agency_id": self.agency_b.id,
                "user_id": self.clerk_b.id,
            }
        )
        self.assertTrue(self.partner_b.with_company(self.company_b).sudo().dunning_litigation)
        self.assertEqual(in_b.company_id, self.company_b)
        # the form of a clerk of company A: an agency of company B by its id
        Wizard = self.env["account.dunning.litigation.wizard"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            Wizard.create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "road": "agency",
                    "agency_id": self.agency_b.id,
                }
            )

    def test_legal_file_wizard_of_another_user(self):
        """Prepare the Legal File's form is its user's: another clerk does
        not read the claim it shows, nor prepares the file from it."""
        wizard = (
            self.env["account.dunning.legal.file.wizard"]
            .with_user(self.clerk)
            .create(
                {"partner_id": self.customer.id, "company_id": self.company.id, "road": "lawyer"}
            )
        )
        self.assertTrue(wizard.claim_text)
        with self.assertRaises(AccessError):
            wizard.with_user(self.clerk_2).read(["claim_text"])
        with self.assertRaises(AccessError):
            wizard.with_user(self.clerk_2).action_prepare()

    # ------------------------------------------------------------------
    # What the module writes
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_legal_file_of_a_litigation_is_the_modules(self):
        """The litigation's legal file is the one the module made: a clerk
        pointing it at another attachment (a file of their choosing shown
        and downloaded from the claim) is refused."""
        other = self.env["ir.attachment"].create({"name": "x.zip", "raw": b"PK"})
        litigation = self.customer.with_user(self.clerk)._dunning_open_litigation("lawyer")
        with self.assertRaises(AccessError):
            litigation.write({"legal_file_id": other.id})
        self.assertFalse(litigation.legal_file_id)
        litigation._close("abandoned")
        with self.assertRaises(AccessError):
            self.Litigation.with_user(self.clerk).create(
                {
                    "partner_id": self.customer.id,
                    "road": "lawyer",
                    "legal_file_id": other.id,
                }
            )

    @freeze_time("2026-04-20")
    def test_partner_fields_of_the_litigation_write_nothing(self):
        """The litigation's fields on the customer (in litigation, its
        road, the agency, the hand-off date, what was recovered) are read
        only: written through the customer (a form, an import), they are
        refused or change nothing of the litigation."""
        litigation = self.customer.with_user(self.clerk)._dunning_open_litigation(
            "agency", agency=self.agency
        )
        # a clerk who may edit contacts
        editor = self._user(
            "lit_attack_editor", "account.group_account_invoice,base.group_partner_manager"
        )
        customer = self.customer.with_user(editor).with_company(self.company)
        for vals in (
            {"dunning_litigation": False},
            {"dunning_litigation_road": "lawyer"},
        ):
            with self.assertRaises(AccessError):
                customer.write(vals)
        other = self.env["res.partner"].create(
            {"name": "Other", "dunning_is_collection_agency": True}
        )
        customer.write(
            {
                "dunning_agency_id": other.id,
                "dunning_handoff_date": date(2026, 1, 1),
                "dunning_litigation_date": date(2026, 1, 1),
            }
        )
        self.env.invalidate_all()
        self.assertEqual(
            (litigation.agency_id, litigation.handoff_date, litigation.date_start),
            (self.agency, False, date(2026, 4, 20)),
        )
        self.assertTrue(customer.sudo().dunning_litigation)
        # another company's user reads none of it
        in_b = self.customer.with_user(self.clerk_b).with_company(self.company_b)
        self.assertFalse(in_b.dunning_litigation)
        self.assertFalse(in_b.dunning_litigation_id | in_b.dunning_litigation_ids)
        self.assertFalse(in_b.dunning_agency_id)
        with self.assertRaises(AccessError):
            in_a = self.customer.with_user(self.clerk_b).with_company(self.company)
            in_a.read(["dunning_litigation_id"])

    @freeze_time("2026-04-20")
    def test_closed_litigation_is_kept_as_it_was(self):
        """Closed, the litigation is history: its road, dates, handler or
        notes are not rewritten over RPC; its chatter goes on."""
        litigation = self.customer.with_user(self.clerk)._dunning_open_litigation(
            "lawyer", note="Maître Martin"
        )
        litigation._close("settlement", note="Paid in three times")
        for vals in (
            {"road": "agency"},
            {"date_start": date(2026, 1, 1)},
            {"note": "Nothing happened"},
            {"user_id": self.clerk_2.id},
            {"agency_commission": 50},
        ):
            with self.assertRaisesText(UserError, "closed litigation"):
                litigation.write(vals)
        self.assertEqual((litigation.road, litigation.note), ("lawyer", "Maître Martin"))
        self.assertFalse(self.customer.with_company(self.company).dunning_litigation)
        litigation.message_post(body="The settlement was signed.")
        # open, it is the clerk's to correct
        reopened = self.customer.with_user(self.clerk)._dunning_open_litigation("lawyer")
        reopened.write({"road": "small_claims", "note": "Commissaire de justice"})
        self.assertEqual(
            self.customer.with_company(self.company).dunning_litigation_road, "small_claims"
        )

    # ------------------------------------------------------------------
    # The legal file's ZIP: read by who reads the claim
    # ------------------------------------------------------------------

    def test_legal_file_is_read_by_who_reads_the_claim(self):
        """The ZIP (amounts, invoices, the formal notice) is held by the
        formal notice or the litigation, of the company: their readers
        (reminder users and read-only accountants of that company) read it;
        an employee who reads the customer, or a user of another company
        that shares the customer, does not. The customer's tab lists it;
        its history says it was made, without the file."""
        _invoice, notice = self._notice_passed()
        with freeze_time("2026-04-20"):
            attachment = self.customer.with_user(self.clerk)._dunning_make_legal_file(road="lawyer")
        self.assertEqual((attachment.res_model, attachment.res_id), (notice._name, notice.id))
        # who reads the claim
        attachment.with_user(self.clerk).check("read")
        attachment.with_user(self.auditor).check("read")
        self.assertEqual(self.customer.with_user(self.clerk).dunning_legal_file_ids, attachment)
        self.assertEqual(self.customer.with_user(self.auditor).dunning_legal_file_ids, attachment)
        # who only reads the customer
        self.customer.with_user(self.employee).check_access("read")
        self.customer.with_user(self.clerk_b).check_access("read")
        for user in (self.employee, self.clerk_b):
            with self.assertRaises(AccessError):
                attachment.with_user(user).check("read")
            self.assertFalse(
                self.env["ir.attachment"].with_user(user).search([("id", "=", attachment.id)])
            )
        self.assertFalse(self.customer.with_user(self.clerk_b).dunning_legal_file_ids)
        # the customer's history: the note, without the file
        note = self.customer.message_ids.filtered(lambda m: "Legal file prepared" in m.body)
        self.assertEqual(len(note), 1)
        self.assertFalse(note.attachment_ids)
        self.assertIn(attachment, notice.message_ids.attachment_ids)
        # in litigation: held by the litigation, its legal file
        with freeze_time("2026-04-21"):
            litigation = self.customer.with_user(self.clerk)._dunning_open_litigation(
                "order_for_payment"
            )
            action = litigation.action_prepare_legal_file()
        second = litigation.legal_file_id
        self.assertEqual(action["url"], f"/web/content/{second.id}?download=true")
        self.assertEqual((second.res_model, second.res_id), (litigation._name, litigation.id))
        with self.assertRaises(AccessError):
            second.with_user(self.employee).check("read")
        self.assertEqual(
            self.customer.with_user(self.clerk).dunning_legal_file_ids, second | attachment
        )

    # ------------------------------------------------------------------
    # The hand-off
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_handoff_file_is_addressed_to_the_agency_chosen(self):
        """The cover letter of the file goes to the agency chosen on the
        form, not the company's default one."""
        other = self.env["res.partner"].create(
            {
                "name": "Other Agency",
                "is_company": True,
                "email": "other@agency.test",
                "dunning_is_collection_agency": True,
            }
        )
        self._invoice(1000, "2026-01-15")
        action = self.customer.with_user(self.clerk).action_dunning_handoff()
        Wizard = (
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        with Form(Wizard) as form:
            self.assertEqual(form.agency_id, self.agency)
            form.agency_id = other
            form.send_method = "export"
        with self._fake_legal_file() as calls:
            form.record.action_confirm()
        self.assertEqual(calls, [{"road": "agency", "agency": other}])
        self.assertEqual(self.customer.with_company(self.company).dunning_agency_id, other)

    def test_payment_reported_for_a_user_without_reminder_rights(self):
        """A reconciliation made by whoever (an employee without reminder
        rights, through a flow that runs with their user) still tells the
        agency: the hook reads and writes the litigation as the superuser."""
        with freeze_time("2026-03-15"):
            invoice = self._invoice(1000, "2026-01-15")
            action = self.customer.with_user(self.clerk).action_dunning_handoff()
            Wizard = (
                self.env[action["res_model"]]
                .with_user(self.clerk)
                .with_context(**action["context"])
            )
            with Form(Wizard) as form:
                form.send_method = "export"
            with self._fake_legal_file():
                form.record.action_confirm()
        litigation = self.customer.with_company(self.company).dunning_litigation_id
        Litigation = self.Litigation.with_user(self.employee)
        with self.assertRaises(AccessError):
            Litigation.search([])
        with (
            freeze_time("2026-03-20"),
            patch.object(
                type(self.Litigation), "_dunning_agency_report_payments", lambda self, p: p
            ),
        ):
            self._pay(invoice, 400, date(2026, 3, 20))
        partial = invoice.line_ids.matched_credit_ids
        with freeze_time("2026-03-20"):
            activities = Litigation._dunning_agency_report_payments(
                partial.with_user(self.employee)
            )
            # once
            self.assertFalse(Litigation._dunning_agency_report_payments(partial))
        self.assertEqual(len(activities), 1)
        self.assertIn(TELL, activities.summary)
        self.assertEqual(
            (activities.res_model, activities.res_id), (litigation._name, litigation.id)
        )
        self.assertEqual(litigation.agency_partial_ids, partial)

    # ------------------------------------------------------------------
    # What was on its way to the customer
    # ------------------------------------------------------------------

    def _send_notice(self, invoice, email, letter):
        invoice.sudo().write({"dunning_level_id": self.second.id})
        Dunning = self.env["account.dunning"]
        proposals = Dunning._prepare_proposals(self._state(invoice))
        for proposal in proposals:
            proposal.update(send_email=email, send_letter=letter)
        notice = Dunning._create_reminders(proposals)
        self.assertEqual(notice.level_id, self.notice)
        return notice

    def test_letters_waiting_for_the_post_are_withdrawn(self):
        """Put in litigation, the customer's letters still waiting for the
        post are withdrawn: a reminder sent by letter alone failed, its
        invoice back to its previous level; one whose email went out stands;
        a letter already posted stays as it was. Another company's letter
        waits on."""
        self.company.dunning_min_interval_days = 0
        with freeze_time("2026-01-02"):
            by_letter, by_both, by_posted = (
                self._invoice(amount, "2026-02-01") for amount in (100, 200, 300)
            )
        with freeze_time("2026-03-16"):
            posted = self._send_notice(by_posted, email=False, letter=True)
            posted._mark_letters_posted()
        with freeze_time("2026-03-18"):
            both = self._send_notice(by_both, email=True, letter=True)
        with freeze_time("2026-03-20"):
            letter = self._send_notice(by_letter, email=False, letter=True)
        self.assertEqual(
            (letter | both | posted).mapped("letter_state"), ["to_post", "to_post", "posted"]
        )
        with freeze_time("2026-03-21"):
            self.customer.with_user(self.clerk)._dunning_open_litigation("lawyer")
        self.assertEqual(
            (letter | both | posted).mapped("letter_state"), ["cancel", "cancel", "posted"]
        )
        self.assertEqual((letter | both | posted).mapped("state"), ["failed", "sent", "sent"])
        self.assertIn("put in litigation on 03/21/2026", letter.failure_reason)
        self.assertEqual(by_letter.dunning_level_id, self.second)
        self.assertEqual((by_both | by_posted).dunning_level_id, self.notice)
        self.assertIn("The reminder stands", both.message_ids[0].body)
        # the day's letters to post: none for it
        self.assertFalse(
            self.env["account.dunning"].search(
                [("partner_id", "=", self.customer.id), ("letter_state", "=", "to_post")]
            )
        )
