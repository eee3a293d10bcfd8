# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

import lxml.html
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import DunningCommon

ACTIVITY = "account_dunning.action_report_dunning_statement_activity"
OUTSTANDING = "account_dunning.action_report_dunning_statement"
PERIOD = {"date_from": "2026-04-01", "date_to": "2026-05-31"}


@tagged("post_install", "-at_install")
class TestDunningStatementReport(DunningCommon):
    """The statement PDFs as the customer reads them, and the wizard that
    prints and sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        cls.french = cls.env["res.partner"].create(
            {
                "name": "Martin SA",
                "is_company": True,
                "lang": "fr_FR",
                "email": "compta@martin.test",
            }
        )
        with freeze_time("2026-06-30"):
            cls.before = cls._invoice(100, "2026-03-10")
            cls.partly_paid = cls._invoice(1000, "2026-05-05", invoice_date="2026-04-05")
            cls.payment = cls._pay(cls.partly_paid, 400, "2026-04-20")
            cls.in_eur = cls._invoice(
                200, "2026-06-15", invoice_date="2026-05-02", currency=cls.eur
            )
            cls.french_invoice = cls._invoice(50, "2026-04-10", partner=cls.french)
        cls.controller = cls._user("statement_controller", "account.group_account_invoice")

    def _render(self, report, partners):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.controller)
            ._render_qweb_html(report, partners.ids, data=dict(PERIOD))[0]
        )
        return lxml.html.fromstring(html)

    def _statement(self, document, partner):
        (node,) = document.xpath(f"//div[@data-partner-id='{partner.id}']")
        return node

    def _rows(self, node, css_class):
        return [
            [cell.text_content().strip() for cell in row.xpath("./td")]
            for row in node.xpath(f".//tr[contains(@class, '{css_class}')]")
        ]

    def _aging(self, section):
        (row,) = section.xpath(".//table[contains(@class, 'o_ds_aging')]/tbody/tr")
        return [cell.text_content().strip() for cell in row.xpath("./td")]

    def _section(self, node, currency):
        (section,) = node.xpath(f".//div[@data-currency='{currency}']")
        return section

    @freeze_time("2026-06-30")
    def test_account_statement(self):
        document = self._render(ACTIVITY, self.customer + self.french)
        dupont = self._statement(document, self.customer)
        # one customer per page group, in their order
        self.assertFalse(dupont.get("style"))
        self.assertIn("page-break-before", self._statement(document, self.french).get("style"))
        self.assertIn("Account Statement", dupont.xpath(".//h2")[0].text_content())
        self.assertEqual(
            [s.get("data-currency") for s in dupont.xpath(".//div[@data-currency]")],
            ["USD", "EUR"],
        )
        usd = self._section(dupont, "USD")
        nbsp = "\xa0"
        self.assertEqual(
            self._rows(usd, "o_ds_opening"), [["04/01/2026", "Opening Balance", f"${nbsp}100.00"]]
        )
        lines = self._rows(usd, "o_ds_line")
        self.assertEqual(
            [(line[0], line[1], line[3], line[4], line[5]) for line in lines],
            [
                (
                    "04/05/2026",
                    self.partly_paid.name,
                    "05/05/2026",
                    f"${nbsp}1,000.00",
                    f"${nbsp}1,100.00",
                ),
                (
                    "04/20/2026",
                    self.payment.move_id.name,
                    "04/20/2026",
                    f"${nbsp}-\ufeff400.00",
                    f"${nbsp}700.00",
                ),
            ],
        )
        self.assertEqual(
            self._rows(usd, "o_ds_closing"), [["05/31/2026", "Closing Balance", f"${nbsp}700.00"]]
        )
        # at May 31: the March invoice is 82 days late, what is left of the
        # April one 26 days
        aging = self._aging(usd)
        self.assertEqual(
            aging,
            [
                f"${nbsp}0.00",
                f"${nbsp}600.00",
                f"${nbsp}0.00",
                f"${nbsp}100.00",
                f"${nbsp}0.00",
                f"${nbsp}700.00",
            ],
        )
        # the foreign-currency invoice in its own section, in euros
        eur = self._section(dupont, "EUR")
        self.assertEqual(self._rows(eur, "o_ds_opening")[0][-1], f"0.00{nbsp}€")
        self.assertEqual(
            [(line[1], line[4], line[5]) for line in self._rows(eur, "o_ds_line")],
            [(self.in_eur.name, f"200.00{nbsp}€", f"200.00{nbsp}€")],
        )
        self.assertEqual(self._rows(eur, "o_ds_closing")[0][-1], f"200.00{nbsp}€")

    @freeze_time("2026-06-30")
    def test_statement_in_customer_language(self):
        document = self._render(ACTIVITY, self.customer + self.french)
        martin = self._statement(document, self.french)
        self.assertEqual(martin.get("lang"), "fr-FR")
        self.assertEqual(self._statement(document, self.customer).get("lang"), "en-US")
        # French dates and amounts: day first, decimal comma
        self.assertEqual(martin.xpath(".//span[@class='o_ds_date_from']")[0].text, "01/04/2026")
        usd = self._section(martin, "USD")
        (line,) = self._rows(usd, "o_ds_line")
        self.assertEqual((line[0], line[1]), ("10/04/2026", self.french_invoice.name))
        self.assertIn("50,00", line[5])
        # 51 days late at May 31
        aging = self._aging(usd)
        self.assertIn("50,00", aging[2])
        self.assertNotIn("50,00", aging[1])

    @freeze_time("2026-06-30")
    def test_outstanding_statement(self):
        document = self._render(OUTSTANDING, self.customer)
        dupont = self._statement(document, self.customer)
        self.assertIn("Outstanding Statement", dupont.xpath(".//h2")[0].text_content())
        self.assertEqual(dupont.xpath(".//span[@class='o_ds_date_to']")[0].text, "05/31/2026")
        usd = self._section(dupont, "USD")
        nbsp = "\xa0"
        self.assertFalse(self._rows(usd, "o_ds_opening"))
        self.assertEqual(
            [(line[1], line[4], line[5], line[6]) for line in self._rows(usd, "o_ds_line")],
            [
                (self.before.name, f"${nbsp}100.00", f"${nbsp}100.00", f"${nbsp}100.00"),
                (self.partly_paid.name, f"${nbsp}1,000.00", f"${nbsp}600.00", f"${nbsp}700.00"),
            ],
        )
        self.assertEqual(self._rows(usd, "o_ds_closing")[0][-1], f"${nbsp}700.00")

    @freeze_time("2026-06-30")
    def test_wizard_print(self):
        contact = self.env["res.partner"].create(
            {"name": "Paul", "parent_id": self.customer.id, "type": "contact"}
        )
        Wizard = self.env["account.dunning.statement.wizard"].with_user(self.controller)
        form = Form(
            Wizard.with_context(active_model="res.partner", active_ids=(contact + self.french).ids)
        )
        self.assertEqual(form.partner_ids[:], contact + self.french)
        self.assertEqual(form.date_from, date(2026, 4, 1))
        self.assertEqual(form.date_to, date(2026, 6, 30))
        self.assertEqual(form.statement_type, "outstanding")
        form.statement_type = "activity"
        form.date_to = date(2026, 5, 31)
        wizard = form.save()
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "account_dunning.report_dunning_statement_activity")
        # a contact prints its company's statement
        self.assertEqual(action["context"]["active_ids"], (self.customer + self.french).ids)
        self.assertEqual(action["data"]["date_from"], "2026-04-01")
        self.assertEqual(action["data"]["date_to"], "2026-05-31")
        # as the client prints it: the report's name and its data, no ids
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(action["report_name"], None, data=action["data"])[0]
            .decode()
        )
        self.assertIn(self.customer.name, html)
        self.assertIn(self.french.name, html)
        # a plain employee may not use it
        employee = self._user("statement_employee", "base.group_user")
        with self.assertRaises(AccessError):
            self.env["account.dunning.statement.wizard"].with_user(employee).create(
                {"partner_ids": self.customer.ids}
            )

    @freeze_time("2026-06-30")
    def test_wizard_send(self):
        reminder_contact = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "parent_id": self.customer.id,
                "type": "dunning",
                "email": "relances@dupont.test",
            }
        )
        Wizard = self.env["account.dunning.statement.wizard"].with_user(self.controller)
        wizard = Wizard.create(
            {"partner_ids": self.customer.ids, "statement_type": "activity", **PERIOD}
        )
        action = wizard.action_send()
        self.assertEqual(action["tag"], "display_notification")
        message = self.customer.message_ids[0]
        self.assertEqual(message.author_id, self.controller.partner_id)
        self.assertEqual(message.partner_ids, reminder_contact)
        self.assertIn("from 04/01/2026 to 05/31/2026", message.body)
        attachment = message.attachment_ids
        self.assertEqual(attachment.name, "Account Statement - Dupont SARL.pdf")
        # under test, the PDF is its HTML
        self.assertIn(self.partly_paid.name, attachment.raw.decode())
        # an email, not only a note in the chatter
        self.assertEqual(
            message.notification_ids.filtered(
                lambda n: n.notification_type == "email"
            ).res_partner_id,
            reminder_contact,
        )

        # several customers: each gets its own statement at once
        wizard = Wizard.create(
            {
                "partner_ids": (self.customer + self.french).ids,
                "statement_type": "outstanding",
                **PERIOD,
            }
        )
        action = wizard.action_send()
        self.assertEqual(action["tag"], "display_notification")
        message = self.french.message_ids[0]
        self.assertEqual(message.partner_ids, self.french)
        # in the customer's language
        self.assertEqual(message.attachment_ids.name, "Encours client - Martin SA.pdf")
        self.assertIn(self.french_invoice.name, message.attachment_ids.raw.decode())
        self.assertNotIn(self.partly_paid.name, message.attachment_ids.raw.decode())
        self.assertIn("31/05/2026", message.body)
        self.assertIn(
            self.partly_paid.name, self.customer.message_ids[0].attachment_ids.raw.decode()
        )
