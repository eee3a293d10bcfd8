# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import zipfile

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_amount
from odoo.tools.pdf import PdfFileReader

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningWorkbench(DunningCommon):
    """The workbench from filter to sent reminders, and what reminders do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # keep most tests off PDF rendering: email without invoice PDFs
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Martin SA",
                "is_company": True,
                "email": "ap@martin.test",
                "street": "1 rue",
                "city": "Caen",
            }
        )
        cls.user = cls._user("credit_controller", "account.group_account_invoice")

    def _workbench(self, **filters):
        form = Form(self.env["account.dunning.wizard"].with_user(self.user))
        for name, value in filters.items():
            if name == "partner_ids":
                form.partner_ids.add(value)
            else:
                setattr(form, name, value)
        wizard = form.save()
        wizard.action_search()
        return wizard

    def _prepare(self, wizard, moves):
        for line in wizard.line_ids:
            line.selected = line.move_id in moves
        wizard.action_prepare()
        return wizard.proposal_ids

    @freeze_time("2026-04-20")
    def test_filters_and_grouping_per_customer_and_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        a1 = self._invoice(100, "2026-03-01")
        a2 = self._invoice(200, "2026-03-20")
        a3 = self._invoice(300, "2026-03-05", currency=currency)
        b1 = self._invoice(400, "2026-03-01", partner=self.other)
        not_due = self._invoice(500, "2026-05-10")
        wizard = self._workbench()
        self.assertEqual(wizard.line_ids.move_id, a1 + a2 + a3 + b1)
        wizard = self._workbench(include_not_due=True)
        self.assertIn(not_due, wizard.line_ids.move_id)
        wizard = self._workbench(age="custom", days_from=40)
        self.assertEqual(wizard.line_ids.move_id, a1 + a3 + b1)
        wizard = self._workbench(age="custom", days_to=40)
        self.assertEqual(wizard.line_ids.move_id, a2)
        # the ready-made ranges: 31 to 50 days late on 2026-04-20
        wizard = self._workbench(age="31_60")
        self.assertEqual(wizard.line_ids.move_id, a1 + a2 + a3 + b1)
        wizard = self._workbench(age="1_30")
        self.assertFalse(wizard.line_ids)
        self.assertTrue(wizard.searched)
        form_filtered = self._workbench(partner_ids=self.other)
        self.assertEqual(form_filtered.line_ids.move_id, b1)
        # a1 had a first reminder: the formal notice may follow
        a1.sudo().dunning_level_id = self.first
        wizard = self._workbench()
        proposals = self._prepare(wizard, a1 + a2 + a3 + b1)
        groups = {(p.partner_id, p.currency_id): p.move_ids for p in proposals}
        self.assertEqual(
            groups,
            {
                (self.customer, self.company.currency_id): a1 + a2,
                (self.customer, currency): a3,
                (self.other, self.company.currency_id): b1,
            },
        )
        # the level proposed for a group is the highest advised one
        # a1 is 50 days late (formal notice), a2 31 days (second reminder)
        own = proposals.filtered(lambda p: p.move_ids == a1 + a2)
        self.assertEqual(own.level_id, self.notice)

    @freeze_time("2026-04-20")
    def test_a_row_can_be_removed_without_touching_the_invoice(self):
        invoice = self._invoice(100, "2026-03-01")
        wizard = self._workbench()
        with Form(wizard) as form:
            form.line_ids.remove(0)
        self.assertFalse(wizard.line_ids)
        self.assertTrue(invoice.exists())
        self.assertFalse(invoice.dunning_level_id)

    @freeze_time("2026-04-20")
    def test_level_bounds(self):
        invoice = self._invoice(100, "2026-03-01")  # 50 days late: formal notice
        invoice.sudo().dunning_level_id = self.first
        proposal = self._prepare(self._workbench(), invoice)
        self.assertEqual(proposal.level_id, self.notice)
        self.assertEqual(proposal.allowed_level_ids, self.first + self.second + self.notice)
        proposal.level_id = self.second
        with self.assertRaises(UserError):
            proposal.level_id = self.pre  # below the last level sent
        self.plan.one_level_at_a_time = True
        proposal = self._prepare(self._workbench(), invoice)
        self.assertEqual(proposal.level_id, self.second)
        with self.assertRaises(UserError):
            proposal.level_id = self.notice  # above the advised level

    @freeze_time("2026-04-20")
    def test_check_switches_email_without_address_to_letter(self):
        self.customer.email = False
        invoice = self._invoice(100, "2026-04-05")
        proposal = self._prepare(self._workbench(), invoice)
        self.assertTrue(proposal.send_email)
        proposal.wizard_id.action_check()
        self.assertFalse(proposal.send_email)
        self.assertTrue(proposal.send_letter)
        self.assertIn("no email address", proposal.warning)

    @freeze_time("2026-04-20")
    def test_create_sends_email_with_internal_copy_and_updates_invoices(self):
        self.company.dunning_internal_email = "credit@company.test"
        invoice = self._invoice(100, "2026-04-05")  # 15 days: first reminder
        wizard = self._workbench()
        self._prepare(wizard, invoice)
        wizard.action_create()
        reminder = wizard.dunning_ids
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.first)
        self.assertEqual(reminder.line_ids.move_id, invoice)
        self.assertEqual(reminder.line_ids.days_overdue, 15)
        self.assertEqual(reminder.amount_due, 100)
        self.assertRegex(reminder.name, r"^R-2604-\d{4}$")
        mail = reminder.mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.customer)
        # the internal copy, in blind copy: the customer does not see it
        self.assertFalse(mail.email_cc)
        outgoing = mail._prepare_outgoing_list()
        self.assertEqual(outgoing[0]["headers"]["Bcc"], "credit@company.test")
        self.assertNotIn("credit@company.test", str(outgoing[0]["email_to"]))
        # Odoo's mail server sends it to the address, and leaves it out of the message
        MailServer = self.env["ir.mail_server"]
        message = MailServer.build_email(
            email_from="company@company.test",
            email_to=outgoing[0]["email_to"],
            subject=mail.subject,
            body="",
            headers=outgoing[0]["headers"],
        )
        _from, smtp_to, message = MailServer._prepare_email_message(message, None)
        self.assertIn("credit@company.test", smtp_to)
        self.assertNotIn("credit@company.test", message.as_string())
        self.assertIn(invoice.name, mail.body_html)
        # each invoice with its amount, as Odoo writes it, and its link to pay online
        self.assertIn(format_amount(self.env, 100, invoice.currency_id), mail.body_html)
        self.assertTrue(invoice.access_token)
        self.assertIn(invoice.get_portal_url(), mail.body_html)
        self.assertEqual(mail.attachment_ids, reminder.letter_attachment_id)
        # the letter attached is this reminder's own letter (its HTML under test)
        self.assertIn(reminder.name.encode(), reminder.letter_attachment_id.raw)
        self.assertIn(b"First reminder", reminder.letter_attachment_id.raw)
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(str(invoice.dunning_last_date), "2026-04-20")
        self.assertEqual(invoice.dunning_count, 1)
        note = f"Reminder {reminder.name}, First reminder, by email to compta@dupont.test"
        self.assertIn(note, invoice.message_ids[0].body)
        self.assertIn(note, self.customer.message_ids[0].body)
        self.assertEqual(wizard._get_summary()["email"], 1)

    @freeze_time("2026-04-20")
    def test_invoices_attached_when_the_level_says_so(self):
        self.first.attach_invoices = True
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        names = reminder.mail_id.attachment_ids.mapped("name")
        self.assertEqual(len(names), 2)
        self.assertIn(invoice._get_invoice_report_filename(), names)
        self.assertIn(reminder.letter_attachment_id.name, names)

    @freeze_time("2026-04-20")
    def test_email_without_the_letter(self):
        """A level may send plain emails: no letter is made for them."""
        self.first.attach_letter = False
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertEqual(reminder.state, "sent")
        self.assertTrue(reminder.mail_id)
        self.assertFalse(reminder.mail_id.attachment_ids)
        self.assertFalse(reminder.letter_attachment_id)
        self.assertEqual(invoice.dunning_level_id, self.first)
        # a level that also sends a letter by post still gets its letter
        self.first.send_letter = True
        other = self.env["res.partner"].create(
            {"name": "Martin SA", "is_company": True, "email": "compta@martin.test"}
        )
        invoice_2 = self._invoice(100, "2026-04-05", partner=other)
        reminder_2 = self._remind(invoice_2)
        self.assertTrue(reminder_2.letter_attachment_id)
        self.assertFalse(reminder_2.mail_id.attachment_ids)

    @freeze_time("2026-04-20")
    def test_creating_twice_does_not_remind_twice(self):
        invoice = self._invoice(100, "2026-04-05")
        Dunning = self.env["account.dunning"]
        proposals = Dunning._prepare_proposals(invoice)
        first = Dunning._create_reminders(proposals)
        second = Dunning._create_reminders(proposals)
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertEqual(invoice.dunning_count, 1)
        wizard = self._workbench()
        self.assertFalse(wizard.line_ids.filtered("selected"))

    @freeze_time("2026-04-20")
    def test_letters_download_as_zip_and_as_one_pdf(self):
        self.first.write({"send_email": False, "send_letter": True})
        a = self._invoice(100, "2026-04-05")
        b = self._invoice(200, "2026-04-05", partner=self.other)
        wizard = self._workbench()
        self._prepare(wizard, a + b)
        wizard.action_create()
        self.assertEqual(len(wizard.dunning_ids), 2)
        self.assertTrue(wizard.has_letters)
        action = wizard.action_download_letters()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            names = archive.namelist()
            self.assertEqual(len(names), 2)
            for reminder in wizard.dunning_ids:
                self.assertIn(reminder.letter_attachment_id.name, names)
                self.assertIn(
                    reminder.name.encode(), archive.read(reminder.letter_attachment_id.name)
                )
        # one PDF for the post: the letters one after the other
        pdfs = [self._simple_pdf(f"<h1>Letter {n}</h1>") for n in (1, 2)]
        for reminder, pdf in zip(wizard.dunning_ids, pdfs, strict=True):
            reminder.letter_attachment_id.raw = pdf
        wizard.letter_format = "pdf"
        action = wizard.action_download_letters()
        merged = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertTrue(merged.raw.startswith(b"%PDF"))
        self.assertEqual(len(PdfFileReader(io.BytesIO(merged.raw)).pages), 2)

    def _simple_pdf(self, html):
        body = f"<html><head><meta charset='utf-8'/></head><body>{html}</body></html>"
        return self.env["ir.actions.report"]._run_wkhtmltopdf([body])

    @freeze_time("2026-04-20")
    def test_failed_email_leaves_invoices_as_they_were(self):
        broken = self.env["mail.template"].create(
            {
                "name": "Broken",
                "model_id": self.env.ref("account_dunning.model_account_dunning").id,
                "subject": "Reminder",
                "body_html": "<p t-out='object.partner_id.name.nonexistent()'/>",
            }
        )
        self.first.mail_template_id = broken
        invoice = self._invoice(100, "2026-04-05")
        other_invoice = self._invoice(100, "2026-04-05", partner=self.other)
        proposals = self.env["account.dunning"]._prepare_proposals(invoice + other_invoice)
        reminders = self.env["account.dunning"]._create_reminders(proposals)
        self.assertEqual(set(reminders.mapped("state")), {"failed"})
        self.assertIn("could not be made", reminders[0].failure_reason)
        self.assertFalse(invoice.dunning_level_id)
        self.assertEqual(invoice.dunning_count, 0)
        # a working template for the other customer's level goes through
        self.first.mail_template_id = self.env.ref("account_dunning.mail_template_dunning_level_1")
        invoice.invalidate_recordset()
        again = self._remind(invoice)
        self.assertEqual(again.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.first)

    @freeze_time("2026-04-20")
    def test_undelivered_email_fails_the_reminder_and_restores_the_level(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertEqual(invoice.dunning_level_id, self.first)
        self._fail_delivery(reminder)
        self.assertEqual(reminder.mail_id.state, "exception")
        self.assertEqual(reminder.state, "failed")
        self.assertFalse(invoice.dunning_level_id)
        self.assertEqual(invoice.dunning_count, 0)

    @freeze_time("2026-04-20")
    def test_cancel_gives_the_previous_level_back(self):
        invoice = self._invoice(100, "2026-03-25")  # 26 days: second reminder
        invoice.sudo().write({"dunning_level_id": self.first.id, "dunning_count": 1})
        reminder = self._remind(invoice)
        self.assertEqual(invoice.dunning_level_id, self.second)
        self.assertEqual(invoice.dunning_count, 2)
        reminder.with_user(self.user).action_cancel()
        self.assertEqual(reminder.state, "cancel")
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(invoice.dunning_count, 1)
        self.assertFalse(invoice.dunning_last_date)

    @freeze_time("2026-04-20")
    def test_call_activity_and_sms_channels(self):
        call = self.env.ref("mail.mail_activity_data_call")
        self.second.write(
            {"send_email": False, "create_activity": True, "activity_type_id": call.id}
        )
        self.customer.dunning_responsible_id = self.user
        invoice = self._invoice(100, "2026-03-25")
        reminder = self._remind(invoice)
        self.assertEqual(reminder.activity_ids.activity_type_id, call)
        self.assertEqual(reminder.activity_ids.user_id, self.user)
        # SMS without a mobile: the check schedules a call instead
        channels, warnings = self.env["account.dunning.engine"]._check_channels(
            self.customer, self.second, {"send_sms": True}
        )
        self.assertFalse(channels["send_sms"])
        self.assertTrue(channels["create_activity"])
        self.assertIn("no mobile", warnings[0])

    @freeze_time("2026-04-20")
    def test_log_a_call(self):
        invoice = self._invoice(100, "2026-04-05")
        action = invoice.with_user(self.user).action_dunning_log_call()
        wizard = (
            self.env["account.dunning.call.wizard"].browse(action["res_id"]).with_user(self.user)
        )
        with Form(wizard) as form:
            form.outcome = "promised"
            form.promise_date = "2026-04-30"
            form.note = "Will pay by transfer"
        wizard.action_log()
        reminder = self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(reminder.call_outcome, "promised")
        self.assertEqual(str(reminder.promise_date), "2026-04-30")
        self.assertEqual(invoice.dunning_count, 1)
        call_note = invoice.message_ids.filtered(lambda m: "call logged" in m.body)
        self.assertIn("call logged: Promised to pay", call_note.body)
        self.assertIn("Will pay by transfer", call_note.body)

    @freeze_time("2026-04-20")
    def test_quick_reminder_by_letter_from_the_customer(self):
        invoice = self._invoice(100, "2026-04-05")
        action = self.customer.with_user(self.user).action_dunning_remind_letter()
        # the workbench is its user's own
        wizard = self.env["account.dunning.wizard"].with_user(self.user).browse(action["res_id"])
        self.assertEqual(wizard.state, "prepare")
        self.assertEqual(wizard.proposal_ids.move_ids, invoice)
        self.assertTrue(wizard.proposal_ids.send_letter)
        self.assertFalse(wizard.proposal_ids.send_email)

    def test_rights_and_companies(self):
        employee = new_test_user(self.env, login="employee_wb", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["account.dunning.wizard"].with_user(employee).create({})
        with self.assertRaises(AccessError):
            self.env["account.dunning"].with_user(employee).search([])
        company_b = self.setup_other_company(name="Company B")["company"]
        with freeze_time("2026-04-20"):
            mine = self._invoice(100, "2026-03-01")
            partner_b = self.env["res.partner"].create({"name": "B customer"})
            invoice_b = (
                self.env["account.move"]
                .with_company(company_b)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner_b.id,
                        "invoice_date": "2026-03-01",
                        "invoice_date_due": "2026-03-01",
                        "invoice_line_ids": [
                            Command.create({"name": "x", "price_unit": 100, "tax_ids": []})
                        ],
                    }
                )
            )
            invoice_b.action_post()
            wizard = self._workbench()
            self.assertIn(mine, wizard.line_ids.move_id)
            self.assertNotIn(invoice_b, wizard.line_ids.move_id)
            reminder_b = (
                self.env["account.dunning"]
                .with_company(company_b)
                ._create_reminders(
                    self.env["account.dunning"]
                    .with_company(company_b)
                    ._prepare_proposals(invoice_b)
                )
            )
            self.assertEqual(reminder_b.company_id, company_b)
            self.assertNotIn(
                reminder_b, self.env["account.dunning"].with_user(self.user).search([])
            )
