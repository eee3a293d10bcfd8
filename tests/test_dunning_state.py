# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningState(DunningCommon):
    """Days late, advised level, next date and "to remind" of invoices."""

    def _advised(self, move, today):
        with freeze_time(today):
            return self._state(move).dunning_advised_level_id

    def test_advised_level_over_time(self):
        invoice = self._invoice(500, "2026-03-01")
        expected = [
            ("2026-02-01", 0),  # 28 days before: nothing yet
            ("2026-02-23", 0),  # 6 days before
            ("2026-02-24", self.pre),  # 5 days before: pre-reminder
            ("2026-03-01", self.pre),  # due date
            ("2026-03-10", self.pre),  # 9 days late
            ("2026-03-11", self.first),  # 10 days late
            ("2026-03-21", self.second),  # 20 days late
            # never reminded: a reminder comes before the formal notice
            ("2026-04-10", self.second),  # 40 days late
            ("2027-06-01", self.second),  # far beyond the last level
        ]
        for today, level in expected:
            with self.subTest(today=today):
                self.assertEqual(
                    self._advised(invoice, today), level or self.env["account.dunning.level"]
                )
        with freeze_time("2026-03-21"):
            self.assertEqual(self._state(invoice).dunning_days_overdue, 20)
        with freeze_time("2026-02-24"):
            self.assertEqual(self._state(invoice).dunning_days_overdue, -5)

    def test_advised_never_below_last_level(self):
        invoice = self._invoice(500, "2026-03-01")
        invoice.sudo().dunning_level_id = self.second
        with freeze_time("2026-03-12"):
            self._state(invoice)
            # 11 days late advises the first reminder; the second was sent already
            self.assertEqual(invoice.dunning_advised_level_id, self.second)
            self.assertFalse(invoice.dunning_to_remind)
        with freeze_time("2026-04-15"):
            self._state(invoice)
            self.assertEqual(invoice.dunning_advised_level_id, self.notice)
            self.assertTrue(invoice.dunning_to_remind)

    def test_one_level_at_a_time(self):
        invoice = self._invoice(500, "2026-03-01")
        self.assertEqual(self._advised(invoice, "2026-05-01"), self.second)
        self.plan.one_level_at_a_time = True
        self.assertEqual(self._advised(invoice, "2026-05-01"), self.pre)
        invoice.sudo().dunning_level_id = self.pre
        self.assertEqual(self._advised(invoice, "2026-05-01"), self.first)
        invoice.sudo().dunning_level_id = self.first
        self.assertEqual(self._advised(invoice, "2026-05-01"), self.second)
        # never above what the days allow
        self.assertEqual(self._advised(invoice, "2026-03-15"), self.first)

    def test_earliest_open_installment_counts(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                ],
            }
        )
        invoice = self._invoice(1000, "2026-03-01", invoice_date="2026-03-01", term=term)
        self.assertEqual(invoice.dunning_date_due, date(2026, 3, 1))
        with freeze_time("2026-03-15"):
            self.assertEqual(self._state(invoice).dunning_days_overdue, 14)
        # the first installment paid: the second one (31 March) now counts
        self._pay(invoice, 500, "2026-03-16")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.dunning_date_due, date(2026, 3, 31))
        with freeze_time("2026-04-05"):
            self._state(invoice)
            self.assertEqual(invoice.dunning_days_overdue, 5)
            self.assertEqual(invoice.dunning_advised_level_id, self.pre)

    def test_paid_invoice_leaves_the_worklist(self):
        invoice = self._invoice(300, "2026-03-01")
        Move = self.env["account.move"]
        with freeze_time("2026-03-20"):
            self.assertIn(invoice, Move.search([("dunning_to_remind", "=", True)]))
            self._pay(invoice, 300, "2026-03-20")
            self._state(invoice)
            self.assertEqual(invoice.payment_state, "paid")
            self.assertFalse(invoice.dunning_date_due)
            self.assertFalse(invoice.dunning_advised_level_id)
            self.assertFalse(invoice.dunning_to_remind)
            self.assertNotIn(invoice, Move.search([("dunning_to_remind", "=", True)]))
            self.assertNotIn(invoice, Move.search([("dunning_days_overdue", ">", 0)]))

    def test_partially_paid_invoice_reminded_for_its_residual(self):
        invoice = self._invoice(300, "2026-03-01")
        self._pay(invoice, 100, "2026-03-05")
        with freeze_time("2026-03-20"):
            self._state(invoice)
            self.assertEqual(invoice.payment_state, "partial")
            self.assertEqual(invoice.amount_residual, 200)
            self.assertTrue(invoice.dunning_to_remind)
            self.assertEqual(invoice.dunning_advised_level_id, self.first)

    def test_credit_notes_are_never_reminded(self):
        invoice = self._invoice(300, "2026-03-01")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": "2026-03-02",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Refund", "quantity": 1, "price_unit": 50, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        self.assertFalse(refund.dunning_date_due)
        self.assertFalse(refund.dunning_plan_id)
        with freeze_time("2026-05-01"):
            found = self.env["account.move"].search([("dunning_to_remind", "=", True)])
            self.assertIn(invoice, found)
            self.assertNotIn(refund, found)
            # the open credit note lowers the customer's overdue total
            self.customer.invalidate_recordset(["dunning_total_overdue"])
            self.assertEqual(self.customer.dunning_total_overdue, 250)

    def test_blocked_customer_and_invoice(self):
        invoice = self._invoice(300, "2026-03-01")
        other = self._invoice(400, "2026-03-01")
        with freeze_time("2026-03-20"):
            invoice.dunning_blocked = True
            self._state(invoice + other)
            self.assertFalse(invoice.dunning_to_remind)
            self.assertTrue(other.dunning_to_remind)
            # the advised level still shows; only the reminding is blocked
            self.assertEqual(invoice.dunning_advised_level_id, self.first)
            self.customer.dunning_blocked = True
            self._state(invoice + other)
            self.assertFalse(other.dunning_to_remind)
            self.assertFalse(self.env["account.move"].search([("dunning_to_remind", "=", True)]))

    def test_minimum_amount(self):
        small = self._invoice(9.99, "2026-03-01")
        big = self._invoice(10, "2026-03-01")
        self.company.dunning_min_amount = 10
        with freeze_time("2026-03-20"):
            self._state(small + big)
            self.assertFalse(small.dunning_to_remind)
            self.assertTrue(big.dunning_to_remind)
            found = self.env["account.move"].search([("dunning_to_remind", "=", True)])
            self.assertEqual(found, big)

    def test_foreign_currency_residual(self):
        currency = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        invoice = self._invoice(100, "2026-03-01", currency=currency)
        self.assertEqual(invoice.amount_residual, 100)
        self.assertEqual(invoice.amount_residual_signed, 50)
        # the minimum amount is in company currency: 50 is below 60
        self.company.dunning_min_amount = 60
        with freeze_time("2026-03-20"):
            self.assertFalse(self._state(invoice).dunning_to_remind)
            self.company.dunning_min_amount = 40
            self.assertTrue(self._state(invoice).dunning_to_remind)

    def test_direct_debit_invoices_are_excluded(self):
        method_line = self.inbound_payment_method_line
        method_line.dunning_direct_debit = True
        invoice = self._invoice(300, "2026-03-01", post=False)
        invoice.preferred_payment_method_line_id = method_line
        invoice.action_post()
        with freeze_time("2026-03-20"):
            self.assertTrue(invoice.dunning_direct_debit)
            self.assertFalse(self._state(invoice).dunning_to_remind)
            self.company.dunning_exclude_direct_debit = False
            self.assertTrue(self._state(invoice).dunning_to_remind)

    def test_minimum_interval_and_next_date(self):
        self.company.dunning_min_interval_days = 7
        invoice = self._invoice(300, "2026-03-01")
        other = self._invoice(200, "2026-02-01")
        with freeze_time("2026-03-12"):
            self._state(invoice)
            # nothing sent yet: the next level is the pre-reminder, due 24 Feb
            self.assertEqual(invoice.dunning_next_date, date(2026, 2, 24))
            # the customer is reminded for the other invoice today
            other.sudo().write(
                {"dunning_level_id": self.second.id, "dunning_last_date": date(2026, 3, 12)}
            )
            self._state(invoice + other)
            self.assertEqual(invoice.dunning_advised_level_id, self.first)
            self.assertFalse(invoice.dunning_to_remind)
            self.assertEqual(invoice.dunning_next_date, date(2026, 3, 19))
            self.assertEqual(other.dunning_next_date, date(2026, 3, 19))
        with freeze_time("2026-03-19"):
            self.assertTrue(self._state(invoice).dunning_to_remind)

    def test_searches_match_computed_values(self):
        late = self._invoice(100, "2026-03-01")
        soon = self._invoice(100, "2026-03-25")
        later = self._invoice(100, "2026-05-01")
        Move = self.env["account.move"]
        mine = [("id", "in", (late + soon + later).ids)]
        with freeze_time("2026-03-21"):
            self.assertEqual(Move.search(mine + [("dunning_days_overdue", ">", 0)]), late)
            self.assertEqual(Move.search(mine + [("dunning_days_overdue", "<=", 0)]), soon + later)
            self.assertEqual(Move.search(mine + [("dunning_days_overdue", ">=", 20)]), late)
            self.assertEqual(Move.search(mine + [("dunning_to_remind", "=", True)]), late + soon)
            self.assertEqual(Move.search(mine + [("dunning_to_remind", "=", False)]), later)
            self.assertEqual(
                Move.search(mine + [("dunning_advised_level_id", "=", self.second.id)]), late
            )
            self.assertEqual(
                Move.search(mine + [("dunning_advised_level_id", "in", self.pre.ids)]), soon
            )
            self.assertEqual(Move.search(mine + [("dunning_advised_level_id", "=", False)]), later)
            self.assertEqual(
                Move.search(mine + [("dunning_advised_level_id", "ilike", "Second")]), late
            )

    def test_reminder_contact(self):
        customer = self.customer
        self.assertEqual(customer.dunning_contact_id, customer)
        invoice_address = self.env["res.partner"].create(
            {"name": "Accounts", "type": "invoice", "parent_id": customer.id}
        )
        customer.invalidate_recordset(["dunning_contact_id"])
        self.assertEqual(customer.dunning_contact_id, invoice_address)
        reminder_address = self.env["res.partner"].create(
            {
                "name": "Credit control",
                "type": "dunning",
                "parent_id": customer.id,
                "email": "cc@dupont.test",
            }
        )
        (customer + invoice_address).invalidate_recordset(["dunning_contact_id"])
        self.assertEqual(customer.dunning_contact_id, reminder_address)
        self.assertEqual(invoice_address.dunning_contact_id, reminder_address)

    def test_total_overdue(self):
        self._invoice(300, "2026-03-01")
        self._invoice(200, "2026-04-30")
        with freeze_time("2026-03-20"):
            self.customer.invalidate_recordset(["dunning_total_overdue"])
            self.assertEqual(self.customer.dunning_total_overdue, 300)

    def test_minimum_interval_counts_each_companys_reminders(self):
        """A customer reminded two days ago in one company may be reminded
        in another at once: the minimum interval counts the reminders of
        the invoice's company only, for invoices of both companies computed
        together (the last dates are read per customer and company)."""
        company_b = self.setup_other_company(name="Interval Elsewhere")["company"]
        self.company.dunning_min_interval_days = 10
        company_b.dunning_min_interval_days = 10
        here = self._invoice(100, "2026-03-01")
        there = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": date(2026, 3, 1),
                    "invoice_date_due": date(2026, 3, 1),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "quantity": 1, "price_unit": 80, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        there.action_post()
        self.env["account.move"]._dunning_write_reminder_state(
            [(here.id, self.plan.level_ids[1].id, date(2026, 4, 18), 1)]
        )
        both = (here | there).with_context(allowed_company_ids=[self.company.id, company_b.id])
        with freeze_time("2026-04-20"):
            states = both._get_dunning_states()
        self.assertEqual(states[here.id]["earliest"], date(2026, 4, 28))
        self.assertEqual(states[here.id]["refusal"], "interval")
        self.assertFalse(states[there.id]["earliest"])
        self.assertNotEqual(states[there.id]["refusal"], "interval")
