# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import DunningCommon

# The link to the reminder's own page (the account_dunning_portal bridge)
# carries the reminder's id and key, which only the reminder made gets.
OWN_PAGE = re.compile(r"/my/reminders/\d+\?access_token=[\w-]+")


def _same_body(body):
    """An email body with the link to the reminder's own page made alike."""
    return OWN_PAGE.sub("/my/reminders/REMINDER", str(body))


class PreviewCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"street": "3 rue des Lilas", "zip": "76000", "city": "Rouen"})
        cls.user = cls._user("preview_user", "account.group_account_invoice")
        cls.reader = cls._user("preview_reader", "account.group_account_readonly")
        cls.sequence = cls.env["account.dunning"]._get_reference_sequence(cls.company.id)

    def _french(self):
        """French, as activating it in the Settings does, with this
        module's terms."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )

    def _prepare(self, partner=None):
        """The workbench, as the user fills it, prepared on ``partner``'s
        late invoices: its proposal."""
        form = Form(self.env["account.dunning.wizard"].with_user(self.user))
        form.partner_ids.add(partner or self.customer)
        wizard = form.save()
        wizard.action_search()
        wizard.action_prepare()
        return wizard

    def _open(self, action, user=None):
        self.assertEqual(action["res_model"], "account.dunning.preview")
        self.assertEqual(action["target"], "new")
        return (
            self.env["account.dunning.preview"]
            .with_user(user or self.user)
            .browse(action["res_id"])
        )

    def _traces(self):
        """What a reminder leaves behind, counted."""
        self.env.flush_all()
        return {
            "reminders": self.env["account.dunning"].search_count([]),
            "lines": self.env["account.dunning.line"].search_count([]),
            "mails": self.env["mail.mail"].search_count([]),
            "messages": self.env["mail.message"].search_count(
                [("model", "in", ("account.dunning", "account.move", "res.partner"))]
            ),
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "in", ("account.dunning", "mail.message", "account.move"))]
            ),
            "activities": self.env["mail.activity"].search_count([]),
            "invoices": self.env["account.move"].search_count([]),
            "partners": self.env["res.partner"].with_context(active_test=False).search_count([]),
            "next_number": self._next_number(),
        }

    def _next_number(self):
        self.sequence.invalidate_recordset(["number_next_actual"])
        return self.sequence.number_next_actual


@tagged("post_install", "-at_install")
class TestDunningPreview(PreviewCommon):
    """The workbench's preview shows the email and the letter the engine
    will send, and leaves nothing behind; a level's preview shows its texts
    on a sample customer."""

    @freeze_time("2026-04-20")
    def test_preview_equals_what_is_sent(self):
        # 300 due 2026-03-25: 26 days late, second reminder (20 days);
        # 200 due 2026-04-05: 15 days late, first reminder (10 days)
        late = self._invoice(300, "2026-03-25")
        later = self._invoice(200, "2026-04-05")
        self.second.write(
            {"attach_invoices": True, "attach_letter": True, "attach_statement": True}
        )
        self.company.dunning_internal_email = "copies@company.test"
        wizard = self._prepare()
        proposal = wizard.proposal_ids
        self.assertEqual(proposal.level_id, self.second)
        traces = self._traces()
        preview = self._open(proposal.action_preview())
        self.assertEqual(self._traces(), traces, "the preview leaves nothing behind")
        self.assertEqual(preview.customer_name, "Dupont SARL")
        self.assertEqual(preview.email_to, '"Dupont SARL" <compta@dupont.test>')
        self.assertEqual(preview.email_bcc, "copies@company.test")
        self.assertTrue(preview.sends_email)
        self.assertFalse(preview.sends_letter)
        self.assertEqual(preview.letter_note, "The letter goes with the email, as a PDF.")
        # the reference the reminder will get, drawn by nobody
        self.assertEqual(preview.reference, f"R-2604-{traces['next_number']:04d}")
        for invoice in late | later:
            self.assertIn(invoice.name, preview.email_body)
            self.assertIn(invoice.name, preview.letter_html)
        self.assertIn("300.00", preview.letter_html)
        self.assertIn("500.00", preview.letter_html)  # the total, 300 + 200
        self.assertIn("Dear Sir or Madam,", preview.email_body)

        wizard.action_create()
        reminder = wizard.dunning_ids
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.name, preview.reference)
        mail = reminder.mail_id
        self.assertEqual(mail.subject, preview.subject)
        self.assertEqual(
            mail.subject, f"{self.company.name}: statement of unpaid invoices ({reminder.name})"
        )
        self.assertEqual(_same_body(mail.body_html), _same_body(preview.email_body))
        self.assertEqual(mail.email_from, preview.email_from)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            sorted(preview.attachment_names.split("\n")),
        )
        # two invoices, the account statement and the letter
        self.assertEqual(len(mail.attachment_ids), 4)
        # the letter sent is the one previewed (HTML under test)
        letter = reminder.letter_attachment_id.raw.decode()
        for invoice in late | later:
            self.assertIn(invoice.name, letter)

    @freeze_time("2026-04-20")
    def test_preview_in_the_customers_language(self):
        self._french()
        self.customer.lang = "fr_FR"
        self._invoice(300, "2026-03-25")
        wizard = self._prepare()
        preview = self._open(wizard.proposal_ids.action_preview())
        self.assertEqual(preview.lang, "fr_FR")
        self.assertEqual(
            preview.subject,
            f"{self.company.name} : relevé de factures impayées ({preview.reference})",
        )
        self.assertIn("Madame, Monsieur,", preview.email_body)
        self.assertIn("Sauf erreur de notre part", preview.email_body)
        self.assertIn("avril 2026", preview.letter_html)
        # the user reads the screens in English: only the customer's texts are French
        self.assertEqual(self.user.lang, "en_US")
        wizard.action_create()
        self.assertEqual(
            _same_body(wizard.dunning_ids.mail_id.body_html), _same_body(preview.email_body)
        )
        self.assertEqual(wizard.dunning_ids.mail_id.subject, preview.subject)

    @freeze_time("2026-04-20")
    def test_nothing_remains(self):
        """Neither the reminder, its email, its messages, its PDF, the
        address typed for it nor its number."""
        invoice = self._invoice(300, "2026-03-25")
        # a user who may save the address on the contact
        self.user.groups_id += self.env.ref("base.group_partner_manager")
        contact = self.env["res.partner"].create(
            {"name": "Jeanne Compta", "parent_id": self.customer.id, "type": "dunning"}
        )
        wizard = self._prepare()
        proposal = wizard.proposal_ids
        proposal.write(
            {
                "contact_id": contact.id,
                "email": "jeanne@dupont.test",
                "save_email": True,
                "send_letter": True,
            }
        )
        traces = self._traces()
        preview = self._open(proposal.action_preview())
        self.assertEqual(preview.email_to, "jeanne@dupont.test")
        self.assertTrue(preview.sends_letter)
        self.assertFalse(preview.letter_note)
        self.assertIn("Jeanne Compta", preview.letter_html)
        action = preview.action_download_letter()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(
            f"/web/content/account.dunning.preview/{preview.id}/letter_pdf/", action["url"]
        )
        self.assertIn(invoice.name, preview.letter_pdf.decode())  # HTML stands for the PDF in tests
        self.assertEqual(self._traces(), traces)
        self.assertFalse(contact.email, "the preview saves no address")
        self.assertFalse(invoice.dunning_level_id)
        self.assertEqual(invoice.dunning_count, 0)
        # previewed twice, the same number: none was drawn
        again = self._open(proposal.action_preview())
        self.assertEqual(again.reference, preview.reference)

    @freeze_time("2026-04-20")
    def test_nothing_to_send_says_why(self):
        self._invoice(300, "2026-03-25")
        wizard = self._prepare()
        proposal = wizard.proposal_ids
        self._remind(self._state(proposal.move_ids))
        preview = self._open(proposal.action_preview())
        self.assertIn("Reminded recently: not before 04/27/2026.", preview.refusal)
        self.assertFalse(preview.email_body)

    # ------------------------------------------------------------------
    # A level's texts
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_level_preview_on_a_customer(self):
        """The formal notice's texts on the customer with the oldest open
        invoice, read by a read-only accountant; then on another customer."""
        late = self._invoice(300, "2026-02-01")
        self.notice.write(
            {"letter_intro": "<p>Unique opening words.</p>", "letter_subject": "Last call"}
        )
        other = self.env["res.partner"].create(
            {"name": "Martin SA", "is_company": True, "street": "1 rue", "city": "Caen"}
        )
        other_invoice = self._invoice(120, "2026-04-10", partner=other)
        traces = self._traces()
        preview = self._open(self.notice.with_user(self.reader).action_preview(), self.reader)
        self.assertEqual(preview.partner_id, self.customer)
        self.assertFalse(preview.is_fictitious)
        self.assertTrue(preview.sends_letter)
        self.assertIn("Unique opening words.", preview.letter_html)
        self.assertIn("Last call", preview.letter_html)
        self.assertIn(late.name, preview.letter_html)
        self.assertIn(late.name, preview.email_body)
        self.assertNotIn(other_invoice.name, preview.letter_html)
        preview.partner_id = other
        preview.action_refresh()
        self.assertEqual(preview.customer_name, "Martin SA")
        self.assertIn(other_invoice.name, preview.letter_html)
        self.assertIn("Unique opening words.", preview.letter_html)
        self.assertNotIn(late.name, preview.letter_html)
        self.assertEqual(self._traces(), traces)

    @freeze_time("2026-04-20")
    def test_level_preview_on_a_fictitious_customer(self):
        """No open invoice in the company: a sample customer with two
        sample invoices, gone afterwards."""
        # another company's invoices are not shown
        other_company = self.setup_other_company(name="Other Co")["company"]
        foreign = self.env["res.partner"].create({"name": "Foreign Customer"})
        self.init_invoice(
            "out_invoice",
            partner=foreign,
            invoice_date="2026-01-10",
            amounts=[800],
            company=other_company,
            post=True,
        )
        traces = self._traces()
        preview = self._open(self.first.with_user(self.user).action_preview())
        self.assertTrue(preview.is_fictitious)
        self.assertFalse(preview.partner_id)
        self.assertEqual(preview.customer_name, "Sample Customer")
        self.assertIn("Sample Customer", preview.letter_html)
        # 1,200 and 350, late 25 and 15 days for a level of 10 days
        self.assertIn("1,200.00", preview.letter_html)
        self.assertIn("1,550.00", preview.letter_html)
        self.assertNotIn("Foreign Customer", preview.letter_html)
        self.assertFalse(preview.sends_letter)
        self.assertEqual(self._traces(), traces)
        # a customer without open invoices: the sample invoices are theirs
        preview.partner_id = self.customer
        preview.action_refresh()
        self.assertTrue(preview.is_fictitious)
        self.assertEqual(preview.partner_id, self.customer)
        self.assertIn("Dupont SARL", preview.letter_html)
        self.assertEqual(self._traces(), traces)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_rights(self):
        self._invoice(300, "2026-03-25")
        wizard = self._prepare()
        values = wizard.proposal_ids._get_values()
        Engine = self.env["account.dunning.engine"]
        # previewing a reminder is for reminder users
        with self.assertRaisesText(AccessError, "Only payment reminder users may preview"):
            Engine.with_user(self.reader)._preview_proposal(values)
        # a level's texts are for readers too, not for others
        employee = new_test_user(self.env, login="preview_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.first.with_user(employee).action_preview()
        with self.assertRaisesText(AccessError, "read-only accountants may preview"):
            Engine.with_user(employee)._preview_level(self.first)
        # another company's levels and customers stay hidden
        other_company = self.setup_other_company(name="Other Co")["company"]
        other_plan = self.env["account.dunning.plan"].create(
            {
                "name": "Other plan",
                "company_id": other_company.id,
                "level_ids": [Command.create({"name": "Other first", "days": 10})],
            }
        )
        with self.assertRaises(AccessError):
            other_plan.level_ids.with_user(self.user).action_preview()
        foreign = self.env["res.partner"].create(
            {"name": "Foreign Customer", "company_id": other_company.id}
        )
        preview = self._open(self.first.with_user(self.user).action_preview())
        with self.assertRaises(AccessError):
            preview.partner_id = foreign
        # nobody else's preview
        with self.assertRaises(AccessError):
            preview.with_user(self.reader).read(["email_body"])


@tagged("post_install", "-at_install")
class TestDunningPreviewTour(PreviewCommon, HttpCase):
    """In French, in a browser: the workbench's Preview shows the email in
    the customer's language, and the letter."""

    def test_preview_tour_in_french(self):
        self._french()
        self.plan.level_ids.write({"attach_invoices": False})
        today = fields.Date.context_today(self.env["res.partner"])
        customer = self.env["res.partner"].create(
            {
                "name": "Quincaillerie Durand",
                "is_company": True,
                "email": "compta@durand.test",
                "street": "2 rue",
                "city": "Rouen",
                "lang": "fr_FR",
            }
        )
        self._invoice(300, today - timedelta(days=25), partner=customer)
        user = self._user("preview_tour_fr", "account.group_account_invoice")
        user.lang = "fr_FR"
        traces = self._traces()
        self.start_tour("/odoo", "account_dunning_preview_tour", login=user.login)
        self.assertEqual(self._traces(), traces)
        preview = self.env["account.dunning.preview"].sudo().search([("create_uid", "=", user.id)])
        self.assertEqual(len(preview), 1)
        self.assertIn("relevé de factures impayées", preview.subject)
