# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import DunningCommon

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestDunningGapsBAccounts(DunningCommon):
    """Customer Accounts and the customer's promises, figures by hand:
    promises marked kept by hand and the *Promises Kept* column; the
    period filters; the company summary; days sales outstanding
    (countback: walking back from today's month, each month whose sales
    the amount due covers counts whole, the month where it runs out in
    proportion, rounded to the nearest day)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.user = cls._user(
            "gaps_b_accounts_user",
            "account.group_account_invoice,account_dunning.group_dunning_user",
        )
        cls.company.dunning_promise_grace_days = 3
        cls.Customer = cls.env["account.dunning.customer"]

    def _row(self, partner):
        self.Customer.invalidate_model()
        return self.Customer.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def _promise(self, invoice, promise_date):
        """A promise recorded from the invoice's button, as the user does."""
        action = invoice.with_user(self.user).action_dunning_promise()
        Promise = self.env["account.dunning.promise"].with_user(self.user)
        with Form(Promise.with_context(**action["context"])) as form:
            form.date = promise_date
        return form.record

    def _refusal(self, invoice):
        """Why the invoice may not be reminded, as its form shows it (read
        afresh, as a new request would)."""
        invoice.invalidate_recordset()
        return invoice.dunning_refusal

    def _refund(self, partner, amount, invoice_date):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "date": invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Credit", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    # ------------------------------------------------------------------
    # Promises kept by hand, the Promises Kept column
    # ------------------------------------------------------------------

    def test_promise_kept_by_hand_and_the_promises_kept_column(self):
        contact = self.env["res.partner"].create(
            {"name": "Jeanne Dupont", "parent_id": self.customer.id, "type": "contact"}
        )
        with freeze_time("2026-04-20"):
            kept_invoice = self._invoice(1000, "2026-04-05")
            broken_invoice = self._invoice(500, "2026-04-10")
            kept = self._promise(kept_invoice, date(2026, 4, 24))
            broken = self._promise(broken_invoice, date(2026, 4, 22))
            self.assertEqual((kept.state, broken.state), ("open", "open"))
            self.assertEqual(self._refusal(kept_invoice), "Payment promised")
            # nothing settled yet: no figure in the column
            self.assertFalse(self._row(self.customer).promise_reliability)
        with freeze_time("2026-04-21"):
            # the customer says it paid, the user saw the transfer: kept by hand
            kept.with_user(self.user).action_mark_kept()
            self.assertEqual(kept.state, "kept")
            # the promise holds its invoice no more
            self.assertNotEqual(self._refusal(kept_invoice), "Payment promised")
            self.assertEqual(self.customer.dunning_promise_kept_count, 1)
            self.assertEqual(self.customer.dunning_promise_broken_count, 0)
            # the contact's form shows its company's promises
            self.assertEqual(contact.dunning_promise_kept_count, 1)
            self.assertEqual(self._row(self.customer).promise_reliability, "1 of 1")
        with freeze_time("2026-04-26"):
            # 22 April + 3 grace days = 25 April: the daily job breaks it
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            self.assertEqual(broken.state, "broken")
            # marking a broken promise kept changes nothing
            broken.with_user(self.user).action_mark_kept()
            self.assertEqual(broken.state, "broken")
            # an open promise and a cancelled one are not settled: not counted
            later = self._invoice(300, "2026-04-20")
            open_promise = self._promise(later, date(2026, 5, 5))
            cancelled = self._promise(later, date(2026, 5, 6))
            cancelled.with_user(self.user).action_cancel()
            self.assertEqual((open_promise.state, cancelled.state), ("open", "cancel"))
            self.customer.invalidate_recordset()
            contact.invalidate_recordset()
            self.assertEqual(
                (
                    self.customer.dunning_promise_kept_count,
                    self.customer.dunning_promise_broken_count,
                ),
                (1, 1),
            )
            self.assertEqual(
                (contact.dunning_promise_kept_count, contact.dunning_promise_broken_count), (1, 1)
            )
            # kept 1, settled 1 + 1 = 2
            self.assertEqual(self._row(self.customer).promise_reliability, "1 of 2")
            # another customer's promises are its own
            other = self.env["res.partner"].create({"name": "Martin SA", "is_company": True})
            self._invoice(200, "2026-04-20", partner=other)
            self.assertFalse(self._row(other).promise_reliability)
            self.assertEqual(other.dunning_promise_kept_count, 0)

    # ------------------------------------------------------------------
    # Periods, company summary, DSO
    # ------------------------------------------------------------------

    @freeze_time("2026-03-15")
    def test_periods_summary_and_dso_by_hand(self):
        """Today 15 March 2026; the company's currency, no tax.

        A: 3000 invoiced 10 January (due 9 February), 1000 on 5 February
        (due 7 March, 400 paid on 10 March), 1000 on 2 March (due 1 April),
        700 on 10 June 2025 (paid). B: 2000 invoiced 20 December 2025 (due
        19 January), a credit note of 500 on 5 March. C: 600 invoiced 10
        March (due 9 April), outside the rows asked for the summary."""
        partner_a = self.customer
        partner_b = self.env["res.partner"].create({"name": "Bernard SA", "is_company": True})
        partner_c = self.env["res.partner"].create({"name": "Colin SARL", "is_company": True})
        self._invoice(3000, "2026-02-09", invoice_date="2026-01-10")
        february = self._invoice(1000, "2026-03-07", invoice_date="2026-02-05")
        self._pay(february, 400, "2026-03-10")
        self._invoice(1000, "2026-04-01", invoice_date="2026-03-02")
        last_year = self._invoice(700, "2025-07-10", invoice_date="2025-06-10")
        self._pay(last_year, 700, "2025-07-01")
        self._invoice(2000, "2026-01-19", partner=partner_b, invoice_date="2025-12-20")
        self._refund(partner_b, 500, "2026-03-05")
        self._invoice(600, "2026-04-09", partner=partner_c, invoice_date="2026-03-10")
        row_a, row_b = self._row(partner_a), self._row(partner_b)

        # what they owe: A 3000 + (1000 - 400) + 1000 = 4600, late 3000 + 600;
        # B 2000 - 500 = 1500, late 2000 (the credit note is not late money)
        self.assertEqual((row_a.amount_due, row_a.amount_overdue), (4600, 3600))
        self.assertEqual((row_b.amount_due, row_b.amount_overdue), (1500, 2000))

        def invoiced(row, **context):
            row = row.with_context(**context)
            return row.invoiced_count, row.invoiced_amount

        # A by period: this month 1000 (2 March); last month 1000 (5
        # February); the last 3 months (January to March) and this year:
        # 3000 + 1000 + 1000; last year: 700; by default: this year
        self.assertEqual(invoiced(row_a, dunning_period="this_month"), (1, 1000))
        self.assertEqual(invoiced(row_a, dunning_period="last_month"), (1, 1000))
        self.assertEqual(invoiced(row_a, dunning_period="last_3_months"), (3, 5000))
        self.assertEqual(invoiced(row_a, dunning_period="this_year"), (3, 5000))
        self.assertEqual(invoiced(row_a, dunning_period="last_year"), (1, 700))
        self.assertEqual(invoiced(row_a), (3, 5000))
        # months typed: January to February, 3000 + 1000
        self.assertEqual(
            invoiced(row_a, dunning_month_from="01/2026", dunning_month_to="02/2026"), (2, 4000)
        )
        # B: the credit note of March lowers the amount, not the count; its
        # December invoice is last year's, not the last 3 months'
        self.assertEqual(invoiced(row_b, dunning_period="this_month"), (0, -500))
        self.assertEqual(invoiced(row_b, dunning_period="last_3_months"), (0, -500))
        self.assertEqual(invoiced(row_b, dunning_period="last_year"), (1, 2000))

        # DSO of each row, its own sales only:
        # A owes 4600: March (15 days, 1000 sold) -> 3600 left, 15 days;
        # February (28 days, 1000) -> 2600 left, 43 days; January 3000 covers
        # the rest: 43 + 2600 / 3000 x 31 = 69.87 -> 70
        self.assertEqual(row_a.dso, round(43 + 2600 / 3000 * 31))
        self.assertEqual(row_a.dso, 70)
        # B owes 1500: March (a net credit of 500) covers nothing, February
        # and January sold nothing: 15 + 28 + 31 = 74 days; December 2000
        # covers it: 74 + 1500 / 2000 x 31 = 97.25 -> 97
        self.assertEqual(row_b.dso, 97)

        # the summary of the rows of A and B, with the company's DSO over all
        # its customers: owed 4600 + 1500 + 600 (C) = 6700; sales: March
        # 1000 - 500 + 600 = 1100, February 1000, January 3000, December
        # 2000. 6700 - 1100 = 5600 (15 days), - 1000 = 4600 (43 days), -
        # 3000 = 1600 (74 days), then 1600 / 2000 x 31 = 24.8: 98.8 -> 99
        summary = self.Customer.with_context(dunning_period="this_month").get_dunning_summary(
            [("partner_id", "in", (partner_a | partner_b).ids)]
        )
        self.assertEqual(summary["period"], "03/01/2026 to 03/31/2026")
        self.assertEqual(
            summary["companies"],
            [
                {
                    "company": self.company.name,
                    "customers": 2,
                    "amount_due": f"${NBSP}6,100.00",  # 4600 + 1500
                    "amount_overdue": f"${NBSP}5,600.00",  # 3600 + 2000
                    "dso": 99,
                }
            ],
        )
        summary = self.Customer.with_context(dunning_period="last_year").get_dunning_summary(
            [("partner_id", "in", (partner_a | partner_b).ids)]
        )
        self.assertEqual(summary["period"], "01/01/2025 to 12/31/2025")
