# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.account_dunning_customer import _parse_month
from ..models.dunning_tools import countback_dso
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCustomer(DunningCommon):
    """Customer Accounts: one row per customer and company. Its view ages
    items on the database's date, which freezegun cannot pin: the tests
    date their invoices from that date and freeze Python's clock on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("SELECT CURRENT_DATE")
        cls.today = cls.env.cr.fetchone()[0]
        cls.Customer = cls.env["account.dunning.customer"]

    def _row(self, partner=None, company=None):
        return self.Customer.search(
            [
                ("partner_id", "=", (partner or self.customer).id),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    def test_what_the_customer_owes_and_since_when(self):
        today = self.today
        eur = self.setup_other_currency("EUR", rates=[(today - timedelta(days=400), 2.0)])
        # due in 0, 1, 30, 31, 60, 61, 90 and 91 days: the buckets' edges
        amounts = {0: 1, 1: 2, 30: 4, 31: 8, 60: 16, 61: 32, 90: 64, 91: 128}
        for days, amount in amounts.items():
            self._invoice(
                amount, today - timedelta(days=days), invoice_date=today - timedelta(days=120)
            )
        self._invoice(
            512, today - timedelta(days=45), invoice_date=today - timedelta(days=60), currency=eur
        )
        # a contact's invoice counts for its company
        contact = self.env["res.partner"].create(
            {"name": "Jean Dupont", "parent_id": self.customer.id, "type": "contact"}
        )
        self._invoice(1000, today + timedelta(days=10), partner=contact, invoice_date=today)
        paid = self._invoice(
            300, today - timedelta(days=10), invoice_date=today - timedelta(days=20)
        )
        self._pay(paid, 300, today)
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Credit", "quantity": 1, "price_unit": 50, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        row = self._row()
        self.assertEqual(len(row), 1)
        self.assertEqual(row.currency_id, self.company.currency_id)
        # the EUR invoice at its company-currency value (512 / 2); the unused
        # credit note is not due (dated today)
        self.assertEqual(row.amount_not_due, 1 + 1000 - 50)
        self.assertEqual(row.amount_1_30, 2 + 4)
        self.assertEqual(row.amount_31_60, 8 + 16 + 256)
        self.assertEqual(row.amount_61_90, 32 + 64)
        self.assertEqual(row.amount_over_90, 128)
        self.assertEqual(row.amount_due, 255 + 256 + 1000 - 50)
        self.assertEqual(row.unpaid_count, 10)
        self.assertEqual(row.overdue_count, 8)
        self.assertEqual(row.amount_overdue, 254 + 256)
        self.assertEqual(row.oldest_date_due, today - timedelta(days=91))
        # per currency, each in its own
        self.assertIn("512", str(row.amount_due_by_currency))
        self.assertIn("€", str(row.amount_due_by_currency))
        self.assertIn("512", str(row.amount_overdue_by_currency))
        # the customer with nothing open has no row
        quiet = self.env["res.partner"].create({"name": "Paid Up"})
        settled = self._invoice(90, today - timedelta(days=5), partner=quiet)
        self._pay(settled, 90, today)
        self.assertFalse(self._row(quiet))
        # filters: overdue only, over 90 days
        self.assertIn(row, self.Customer.search([("amount_overdue", ">", 0)]))
        self.assertIn(row, self.Customer.search([("amount_over_90", ">", 0)]))

    def test_period_and_reminder_history(self):
        today = self.today
        with freeze_time(today):
            this_month = today + relativedelta(day=1)
            last_month = this_month - relativedelta(months=1)
            self._invoice(100, today + timedelta(days=30), invoice_date=this_month)
            self._invoice(200, last_month + relativedelta(day=31), invoice_date=last_month)
            old = self._invoice(
                400, today - timedelta(days=400), invoice_date=today - timedelta(days=430)
            )
            row = self._row()
            Row = row.with_context(dunning_period="this_month")
            self.assertEqual((Row.invoiced_count, Row.invoiced_amount), (1, 100))
            Row = row.with_context(dunning_period="last_month")
            self.assertEqual((Row.invoiced_count, Row.invoiced_amount), (1, 200))
            Row = row.with_context(dunning_period="last_3_months")
            self.assertEqual((Row.invoiced_count, Row.invoiced_amount), (2, 300))
            # months typed in the search, as seed 004's "De ... à ..."
            typed = f"{last_month.month:02d}/{last_month.year}"
            Row = row.with_context(dunning_month_from=[typed], dunning_month_to=[typed])
            self.assertEqual((Row.invoiced_count, Row.invoiced_amount), (1, 200))
            # a credit note in the period lowers the amount, not the count
            refund = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "invoice_date": this_month,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Credit", "quantity": 1, "price_unit": 30, "tax_ids": []}
                        )
                    ],
                }
            )
            refund.action_post()
            self.env.invalidate_all()
            Row = self._row().with_context(dunning_period="this_month")
            self.assertEqual((Row.invoiced_count, Row.invoiced_amount), (1, 70))

            # reminders: the last one, and how many in the history window
        with freeze_time(today - timedelta(days=200)):
            earlier = self._remind(old)
        with freeze_time(today):
            reminder = self._remind(old)
            self.env.invalidate_all()
            self.assertEqual((earlier.state, reminder.state), ("sent", "sent"))
            row = self._row()
            self.assertEqual(row.last_dunning_id, reminder)
            self.assertEqual(row.last_dunning_date, today)
            self.assertEqual(row.last_level_id, reminder.level_id)
            channels = [
                label
                for field, label in (("send_email", "Email"), ("send_letter", "Letter"))
                if reminder[field]
            ]
            self.assertTrue(channels)
            self.assertEqual(row.last_channel, ", ".join(channels))
            self.assertEqual(row.with_context(dunning_history="3_months").dunning_count, 1)
            self.assertEqual(row.with_context(dunning_history="1_year").dunning_count, 2)
            self.assertEqual(row.with_context(dunning_history="all").dunning_count, 2)
            # the activity the letter's level does not create; one added by hand
            self.assertEqual(row.activity_count, 0)
            old.activity_schedule("mail.mail_activity_data_todo", summary="Call Dupont")
            row.invalidate_recordset()
            self.assertEqual(row.activity_count, 1)
            # grouped by level and plan
            groups = self.Customer._read_group(
                [("partner_id", "=", self.customer.id)], ["last_level_id", "plan_id"], ["__count"]
            )
            self.assertEqual(groups, [(reminder.level_id, self.plan, 1)])

    def test_next_reminder_date(self):
        today = self.today
        with freeze_time(today):
            invoice = self._invoice(100, today + timedelta(days=20))
            row = self._row()
            # the pre-reminder (5 days before the due date) comes in 15 days
            self.assertEqual(row.next_dunning_date, today + timedelta(days=15))
            self.assertEqual(invoice.dunning_next_date, today + timedelta(days=15))
            # an earlier invoice's level comes first
            self._invoice(100, today + timedelta(days=8))
            self.env.invalidate_all()
            self.assertEqual(self._row().next_dunning_date, today + timedelta(days=3))

    def test_parse_month(self):
        self.assertEqual(_parse_month("03/2026"), date(2026, 3, 1))
        self.assertEqual(_parse_month(["1/2025"]), date(2025, 1, 1))
        self.assertEqual(_parse_month("2026-11"), date(2026, 11, 1))
        self.assertIsNone(_parse_month("13/2026"))
        self.assertIsNone(_parse_month("March"))

    def test_address_rule_for_each_channel(self):
        Partner = self.env["res.partner"]
        customer = Partner.create({"name": "Martin SA", "is_company": True})
        channels = ("send_email", "send_letter", "send_sms", "create_activity")
        plan = self.env["account.dunning.plan"].create(
            {
                "name": "One level",
                "company_id": self.company.id,
                "partner_type": "all",
                "level_ids": [Command.create({"name": "Reminder", "days": 10, "send_email": True})],
            }
        )
        level = plan.level_ids
        customer.dunning_plan_id = plan

        def issue(channel):
            level.write(
                {
                    **{name: name == channel for name in channels},
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                }
            )
            return customer._get_dunning_address_issues(self.company)[customer.id]

        self.assertIn("no email address", issue("send_email"))
        customer.email = "not an address"
        self.assertIn("no email address", issue("send_email"))
        customer.email = "compta@martin.test"
        self.assertFalse(issue("send_email"))

        self.assertIn("no postal address", issue("send_letter"))
        customer.city = "Lyon"
        self.assertIn("no postal address", issue("send_letter"))
        customer.street = "3 rue de la République"
        self.assertFalse(issue("send_letter"))

        self.assertIn("no mobile number", issue("send_sms"))
        customer.mobile = "+33 6 12 34 56 78"
        self.assertFalse(issue("send_sms"))

        customer.mobile = False
        self.assertIn("no phone number", issue("create_activity"))
        customer.phone = "+33 4 72 00 00 00"
        self.assertFalse(issue("create_activity"))

        # the reminder address is the contact that counts
        dunning = Partner.create(
            {"name": "Service recouvrement", "parent_id": customer.id, "type": "dunning"}
        )
        message = issue("send_email")
        self.assertIn("Service recouvrement", message)
        dunning.email = "relances@martin.test"
        self.assertFalse(issue("send_email"))
        # a letter goes to the customer's address when the contact has none
        self.assertFalse(issue("send_letter"))

        # on the screen: the red mark, its reason and its filter
        issue("send_email")
        dunning.email = False
        self._invoice(100, self.today - timedelta(days=15), partner=customer)
        row = self._row(customer)
        self.assertFalse(row.address_ok)
        self.assertIn("no email address", row.address_issue)
        self.assertIn(row, self.Customer.search([("address_ok", "=", False)]))
        dunning.email = "relances@martin.test"
        row.invalidate_recordset()
        self.assertTrue(row.address_ok)
        self.assertNotIn(row, self.Customer.search([("address_ok", "=", False)]))
        self.assertIn(row, self.Customer.search([("address_ok", "=", True)]))
        action = row.action_open_addresses()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", customer.id))

    def test_countback_dso(self):
        today = date(2026, 3, 15)
        sales = {date(2026, 3, 1): 1000, date(2026, 2, 1): 1000, date(2026, 1, 1): 4000}
        # March (15 days) and February (28) whole, then 1000 of January's 4000: 31 / 4
        self.assertEqual(countback_dso(3000, sales, today), 15 + 28 + 8)
        # less than this month's sales: its share of the 15 days
        self.assertEqual(countback_dso(500, sales, today), 8)
        self.assertEqual(countback_dso(0, sales, today), 0)
        self.assertEqual(countback_dso(-200, sales, today), 0)
        # a month without sales counts whole: 400 of January's 1000 is 12.4 days
        self.assertEqual(countback_dso(400, {date(2026, 1, 1): 1000}, today), 15 + 28 + 12)
        # more than the window's sales: the whole window
        self.assertEqual(countback_dso(10, {}, today, months=2), 15 + 28)

    def test_dso_on_the_screen(self):
        today = self.today
        with freeze_time(today):
            month = today + relativedelta(day=1)
            self._invoice(600, today + timedelta(days=30), invoice_date=month)
            previous = month - relativedelta(months=1)
            paid = self._invoice(900, previous + timedelta(days=30), invoice_date=previous)
            self._pay(paid, 300, today)
            row = self._row()
            # owed 1200: this month's 600 (today.day days), then 600 of 900
            days_before = (month - previous).days
            expected = int(today.day + 600 / 900 * days_before + 0.5)
            self.assertEqual(row.amount_due, 1200)
            self.assertEqual(row.dso, expected)
            summary = self.Customer.with_context(dunning_period="this_month").get_dunning_summary(
                [("partner_id", "=", self.customer.id)]
            )
            [company] = [c for c in summary["companies"] if c["company"] == self.company.name]
            self.assertEqual(company["customers"], 1)
            # this month, from its first day to its last, as the user writes dates
            last_day = month + relativedelta(months=1) - timedelta(days=1)
            self.assertEqual(summary["period"], f"{month:%m/%d/%Y} to {last_day:%m/%d/%Y}")

    def test_mass_reminder_and_statements_across_companies(self):
        today = self.today
        other = self.setup_other_company(name="Filiale Sud")["company"]
        self.env.user.company_ids |= other
        layout = self.env.ref("web.external_layout_standard")
        (self.company | other).external_report_layout_id = layout
        Move = self.env["account.move"]
        with freeze_time(today):
            here = self._invoice(100, today - timedelta(days=15))
            there = Move.with_company(other).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": today - timedelta(days=40),
                    "invoice_date_due": today - timedelta(days=20),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Elsewhere", "quantity": 1, "price_unit": 700, "tax_ids": []}
                        )
                    ],
                }
            )
            there.action_post()
            second = self.env["res.partner"].create({"name": "Durand", "email": "d@durand.test"})
            third = self._invoice(50, today - timedelta(days=12), partner=second)
            Customer = self.Customer.with_context(allowed_company_ids=[self.company.id, other.id])
            rows = Customer.search([("partner_id", "in", (self.customer | second).ids)])
            self.assertEqual(len(rows), 3)
            action = rows.action_open_workbench()
            wizard = self.env["account.dunning.wizard"].browse(action["res_id"])
            self.assertEqual(set(wizard.line_ids.move_id.ids), {here.id, there.id, third.id})
            # statements: one company at a time
            with self.assertRaisesText(UserError, "one company at a time"):
                rows.action_print_outstanding()
            ours = rows.filtered(lambda r: r.company_id == self.company)
            action = ours.action_print_outstanding()
            self.assertEqual(action["report_name"], "account_dunning.report_dunning_statement")
            self.assertEqual(
                set(action["context"]["active_ids"]), set((self.customer | second).ids)
            )
            self.assertEqual(action["data"]["company_id"], self.company.id)
            action = ours.action_print_activity()
            self.assertEqual(
                action["report_name"], "account_dunning.report_dunning_statement_activity"
            )
            self.assertLessEqual(action["data"]["date_to"], str(today))
            theirs = rows.filtered(lambda r: r.company_id == other)
            self.assertEqual(theirs.action_print_outstanding()["data"]["company_id"], other.id)
            action = ours.action_send_statement()
            wizard = self.env["account.dunning.statement.wizard"].browse(action["res_id"])
            self.assertEqual(wizard.partner_ids, self.customer | second)
            self.assertEqual(wizard.statement_type, "activity")

    def test_rows_stay_in_their_company(self):
        other = self.setup_other_company(name="Ailleurs")["company"]
        self._invoice(100, self.today - timedelta(days=15))
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "customer_outsider",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [Command.set([self.env.ref("account_dunning.group_dunning_user").id])],
            }
        )
        self.assertTrue(self._row())
        self.assertFalse(
            self.Customer.with_user(outsider).search([("partner_id", "=", self.customer.id)])
        )

    def test_auditor_reads_and_prints_but_does_not_remind(self):
        invoice = self._invoice(100, self.today - timedelta(days=15))
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        auditor = self._user("customer_auditor", "account.group_account_readonly")
        row = self._row().with_user(auditor)
        self.assertEqual(row.amount_overdue, 100)
        action = row.action_print_outstanding()
        self.assertEqual(action["data"]["partner_ids"], self.customer.ids)
        html = (
            self.env["ir.actions.report"]
            .with_user(auditor)
            ._render_qweb_html(action["report_name"], None, data=action["data"])[0]
            .decode()
        )
        self.assertIn(invoice.name, html)
        self.assertFalse(self.env["account.dunning.statement.wizard"].search([]))
        with self.assertRaises(AccessError):
            row.action_open_workbench()
