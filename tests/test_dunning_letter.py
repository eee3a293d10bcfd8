# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import re
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common import DunningCommon

LETTER = "account_dunning.action_report_dunning_letter"


@tagged("post_install", "-at_install")
class TestDunningLetter(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write(
            {"attach_invoices": False, "send_email": False, "send_letter": True}
        )
        cls.customer.write({"street": "4 avenue Jean Jaurès", "zip": "69003", "city": "Lyon"})
        cls.company.write({"city": "Paris", "country_id": cls.env.ref("base.fr").id})

    def _html(self, reminders):
        return self.env["ir.actions.report"]._render_qweb_html(LETTER, reminders.ids)[0].decode()

    @freeze_time("2026-04-20")
    def test_letter_holds_every_item_and_the_total(self):
        first = self._invoice(1234.5, "2026-04-05")
        second = self._invoice(100, "2026-04-08")
        second.ref = "PO-77"
        reminder = self._remind(first + second)
        html = self._html(reminder)
        for text in (first.name, second.name, "PO-77", "04/05/2026", "04/08/2026", reminder.name):
            self.assertIn(text, html)
        self.assertIn("1,334.50", html)  # the total due
        self.assertIn("Lyon", html)  # the contact's address
        self.assertIn("Paris, April 20, 2026", html)  # the date in words
        self.assertIn("First reminder", html)
        self.assertNotIn("Commercial Code", html)  # no legal wording before a formal notice
        # the letter was made and kept on the reminder
        self.assertIn(reminder.name.encode(), reminder.letter_attachment_id.raw)

    @freeze_time("2026-04-20")
    def test_french_customer_gets_a_french_letter(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self.customer.lang = "fr_FR"
        company = self.env["res.company"].create({"name": "Société Test", "city": "Rouen"})
        plan = company.dunning_default_plan_id
        self.assertEqual(
            plan.level_ids[0].with_context(lang="fr_FR").name, "Relevé de factures impayées"
        )
        invoice = self._invoice(500, "2026-03-01")  # 50 days late: formal notice
        invoice.sudo().dunning_level_id = self.second  # after a second reminder
        self.plan.level_ids.with_context(lang="fr_FR").filtered(lambda lvl: lvl.days == 40).write(
            {"name": "Mise en demeure", "letter_subject": "Mise en demeure de payer"}
        )
        reminder = self._remind(invoice)
        html = self._html(reminder)
        self.assertIn("Mise en demeure de payer", html)
        self.assertIn("Échéance", html)  # the table's headings
        self.assertIn("Paris, le 20 avril 2026", html)
        self.assertIn("Code de commerce", html)
        self.assertIn("40 EUR", html)

    @freeze_time("2026-04-20")
    def test_formal_notice_legal_wording(self):
        invoice = self._invoice(500, "2026-03-01")
        other = self._invoice(300, "2026-03-02")
        # after a second reminder, the formal notice
        (invoice + other).sudo().dunning_level_id = self.second
        reminder = self._remind(invoice + other)
        self.assertEqual(reminder.level_id, self.notice)
        html = self._html(reminder)
        self.assertIn("European Central Bank plus 10 points", html)
        self.assertIn("that is 80 EUR", html)  # 40 EUR per invoice paid late
        person = self.env["res.partner"].create(
            {"name": "Jean Dupuis", "street": "1 rue", "city": "Caen"}
        )
        consumer_invoice = self._invoice(500, "2026-03-01", partner=person)
        consumer_invoice.sudo().dunning_level_id = self.second
        reminder = self._remind(consumer_invoice)
        self.assertEqual(reminder.level_id, self.notice)
        html = self._html(reminder)
        self.assertIn("legal rate", html)
        self.assertNotIn("40 EUR", html)

    @freeze_time("2026-04-20")
    def test_many_letters_in_one_pdf_run(self):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Customer {n}",
                    "is_company": True,
                    "street": f"{n} rue",
                    "city": "Nantes",
                }
                for n in range(3)
            ]
        )
        moves = self.env["account.move"]
        for partner in partners:
            moves |= self._invoice(100, "2026-04-05", partner=partner)
        runs = []
        Report = type(self.env["ir.actions.report"])
        original = Report._dunning_spawn_wkhtmltopdf

        def offline(report, html, args, res_ids):
            # the styles would be fetched from this test's own server: leave them out
            runs.append(len(res_ids))
            html = re.sub(r"<link[^>]*>|<script[^>]*></script>", "", html)
            return original(report, html, args, res_ids)

        with patch.object(Report, "_dunning_spawn_wkhtmltopdf", offline):
            reminders = self._remind(moves.with_context(force_report_rendering=True))
        self.assertEqual(len(reminders), 3)
        self.assertEqual(runs, [3])  # three letters, one wkhtmltopdf run
        for reminder in reminders:
            pdf = reminder.letter_attachment_id.raw
            self.assertTrue(pdf.startswith(b"%PDF"))
            self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
            self.assertIn(reminder.name, reminder.letter_attachment_id.name)
