# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.account_dunning import LETTER_REPORT
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCharges(DunningCommon):
    """French late-payment charges, each case computed by hand in the test:
    interest = amount due x yearly rate x days / 365, each day at its
    half-year's rate; 40 EUR per invoice paid late by a business or a
    public body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})

    def _eur_invoice(self, amount, due, partner=None, invoice_date=None):
        return self._invoice(
            amount, due, partner=partner, invoice_date=invoice_date, currency=self.eur
        )

    def _charges(self, invoice, date=None):
        return invoice._get_dunning_charges(date)[invoice.id]

    @freeze_time("2025-07-30")
    def test_business_invoice_45_days_late_across_1_july(self):
        invoice = self._eur_invoice(1000, "2025-06-15", invoice_date="2025-05-16")
        charges = self._charges(invoice)
        # 16-30 June: 15 days at 3.15 + 10 = 13.15 %; 1-30 July: 30 days at
        # 2.15 + 10 = 12.15 %
        first = 1000 * 0.1315 * 15 / 365  # 5.40411
        second = 1000 * 0.1215 * 30 / 365  # 9.98630
        self.assertEqual(charges["days"], 45)
        self.assertAlmostEqual(charges["penalty"], round(first + second, 2))  # 15.39
        self.assertEqual(charges["penalty"], 15.39)
        self.assertEqual(charges["indemnity"], 40.0)
        self.assertEqual(charges["rate"], 12.15)
        self.assertEqual(
            [(p["days"], p["rate"]) for p in charges["periods"]], [(15, 13.15), (30, 12.15)]
        )
        # not late: nothing
        on_time = self._eur_invoice(500, "2025-08-15", invoice_date="2025-07-15")
        self.assertEqual(self._charges(on_time)["penalty"], 0.0)
        self.assertEqual(self._charges(on_time)["indemnity"], 0.0)

    @freeze_time("2025-07-30")
    def test_public_body(self):
        self.customer.dunning_customer_type = "public"
        invoice = self._eur_invoice(2000, "2025-06-15", invoice_date="2025-05-16")
        charges = self._charges(invoice)
        # the ECB rate of the half-year the interest started in (3.15) + 8
        # points, for all 45 days: 2000 x 11.15 % x 45 / 365 = 27.4931
        self.assertEqual(charges["penalty"], 27.49)
        self.assertEqual(charges["rate"], 11.15)
        self.assertEqual(charges["indemnity"], 40.0)

    def test_individual_before_and_after_the_formal_notice(self):
        self.customer.write({"is_company": False, "dunning_customer_type": "individual"})
        with freeze_time("2026-03-12"):
            invoice = self._eur_invoice(1000, "2026-03-01", invoice_date="2026-02-01")
            self._remind(invoice)  # first reminder (10 days)
        with freeze_time("2026-03-22"):
            self._remind(invoice)  # second reminder (20 days)
            charges = self._charges(invoice)
            # no formal notice yet: no interest, and never an indemnity
            self.assertEqual((charges["penalty"], charges["indemnity"]), (0.0, 0.0))
            self.assertEqual(charges["days"], 21)
        with freeze_time("2026-04-10"):
            notice = self._remind(invoice)
            self.assertEqual(notice.level_id, self.notice)
        with freeze_time("2026-05-10"):
            charges = self._charges(invoice)
            # from the notice: 30 days at the legal rate of a creditor who is
            # not an individual, 2.62 %: 1000 x 2.62 % x 30 / 365 = 2.1534
            self.assertEqual(charges["penalty"], 2.15)
            self.assertEqual(charges["rate"], 2.62)
            self.assertEqual(charges["indemnity"], 0.0)

    def test_partial_payment(self):
        with freeze_time("2026-03-03"):
            invoice = self._eur_invoice(1000, "2026-02-01", invoice_date="2026-01-02")
            self._pay(invoice, 400, "2026-02-21")
            charges = self._charges(invoice)
        # 2-21 February: 20 days on 1000; 22 February-3 March: 10 days on
        # 600, at 2.15 + 10 = 12.15 %: 6.6575 + 1.9973 = 8.6548
        self.assertEqual(charges["penalty"], 8.65)
        self.assertEqual(
            [(p["base"], p["days"]) for p in charges["periods"]], [(1000, 20), (600, 10)]
        )
        self.assertEqual(charges["days"], 30)

    def test_invoice_paid_late(self):
        with freeze_time("2026-03-31"):
            invoice = self._eur_invoice(1000, "2026-02-01", invoice_date="2026-01-02")
            self._pay(invoice, 1000, "2026-02-11")
            charges = self._charges(invoice)
        # to the payment date: 10 days, 1000 x 12.15 % x 10 / 365 = 3.3288
        self.assertEqual(charges["days"], 10)
        self.assertEqual(charges["penalty"], 3.33)
        self.assertEqual(charges["indemnity"], 40.0)

    @freeze_time("2026-03-03")
    def test_agreed_rate_never_below_three_times_the_legal_rate(self):
        invoice = self._eur_invoice(1000, "2026-02-01", invoice_date="2026-01-02")
        self.company.dunning_penalty_rate = 15.0
        # 30 days at 15 %: 12.3288
        self.assertEqual(self._charges(invoice)["penalty"], 12.33)
        self.customer.dunning_penalty_rate = 5.0
        # 5 % is below 3 x 2.62 = 7.86 %: 30 days at 7.86 % = 6.4603
        charges = self._charges(invoice)
        self.assertAlmostEqual(charges["rate"], 7.86)
        self.assertEqual(charges["penalty"], 6.46)

    def test_charges_invoice_never_twice_and_waiver(self):
        with freeze_time("2026-03-03"):
            invoice = self._eur_invoice(1000, "2026-02-01", invoice_date="2026-01-02")
            reminder = self._remind(invoice)
            # the button previews the charges, then invoices them
            preview = reminder.action_invoice_charges()
            wizard = self.env[preview["res_model"]].browse(preview["res_id"])
            action = wizard.action_invoice()
            charges_invoice = self.env["account.move"].browse(action["res_id"])
            # 30 days at 12.15 %: 9.9863; the indemnity: 40
            self.assertEqual(charges_invoice.partner_id, self.customer)
            self.assertEqual(charges_invoice.currency_id, self.eur)
            self.assertEqual(
                [(line.product_id, line.price_unit) for line in charges_invoice.invoice_line_ids],
                [
                    (self.env.ref("account_dunning.product_dunning_penalty"), 9.99),
                    (self.env.ref("account_dunning.product_dunning_indemnity"), 40.0),
                ],
            )
            self.assertFalse(charges_invoice.invoice_line_ids.tax_ids)
            self.assertEqual(charges_invoice.amount_total, 49.99)
            self.assertEqual(invoice.dunning_penalty_charged, 9.99)
            self.assertTrue(invoice.dunning_indemnity_charged)
            # the same day again: nothing left to charge
            with self.assertRaisesText(UserError, "no late-payment charges left"):
                reminder.action_invoice_charges()
        with freeze_time("2026-03-13"):
            # 40 days: 13.3151, less the 9.99 invoiced; no second indemnity
            second = self.env["account.dunning.charges"]._invoice_charges(invoice)
            self.assertEqual(
                [line.price_unit for line in second.invoice_line_ids], [round(13.3151 - 9.99, 2)]
            )
        with freeze_time("2026-03-23"):
            preview = reminder.action_waive_charges()
            wizard = self.env[preview["res_model"]].browse(preview["res_id"])
            wizard.reason = "Long-standing customer"
            wizard.action_waive()
            # 50 days: 16.6438, all of it invoiced or waived now
            self.assertEqual(invoice.dunning_penalty_charged, 16.64)
            self.assertIn("waived", invoice.message_ids[0].body)

    @freeze_time("2026-03-03")
    def test_letter_and_email_show_the_charges(self):
        self.plan.level_ids.write({"show_charges": True, "send_letter": True})
        invoice = self._eur_invoice(1000, "2026-02-01", invoice_date="2026-01-02")
        reminder = self._remind(invoice)
        html = (
            self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, reminder.ids)[0].decode()
        )
        self.assertIn("Late-payment charges owed", html)
        self.assertIn("12.15 %", html)
        self.assertIn("9.99", html)
        self.assertIn("40.00", html)
        self.assertIn("Late-payment charges owed to date", reminder.mail_id.body_html)
        self.assertIn("12.15 %", reminder.mail_id.body_html)
        # a level without the option shows none
        self.plan.level_ids.show_charges = False
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, reminder.ids)[0]
        self.assertNotIn(b"Late-payment charges owed", html)
