# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningStatement(DunningCommon):
    """The customer's statements, computed by hand: what is open at a date
    and what happened in a period, per currency and per company."""

    def _refund(self, amount, when, invoice=None):
        """A credit note of ``amount`` on ``when``, used on ``invoice``
        when given, else left open."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": when,
                "invoice_date_due": when,
                "date": when,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Refund", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        if invoice:
            (invoice + refund).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).reconcile()
        return refund

    def _lines(self, section):
        return [
            (line["name"], line["amount"], line["residual"], line["balance"]) for line in section
        ]

    @freeze_time("2026-06-30")
    def test_outstanding_and_activity_statements(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        before = self._invoice(100, "2026-03-10")
        partly_paid = self._invoice(1000, "2026-05-05", invoice_date="2026-04-05")
        self._pay(partly_paid, 400, "2026-04-20")
        used = self._invoice(300, "2026-04-10")
        credit = self._refund(300, "2026-04-15", invoice=used)
        unused = self._refund(50, "2026-05-10")
        paid_later = self._invoice(500, "2026-05-01")
        self._pay(paid_later, 500, "2026-06-10")  # after the end of the period
        in_eur = self._invoice(200, "2026-06-15", invoice_date="2026-05-02", currency=eur)
        self._invoice(999, "2026-06-05")  # after the period: in neither

        outstanding = self.customer._get_dunning_statement(
            date(2026, 4, 1), date(2026, 5, 31), "outstanding"
        )
        usd = self.company.currency_id
        self.assertEqual([s["currency_id"] for s in outstanding], [usd.id, eur.id])
        usd_section, eur_section = outstanding
        self.assertEqual(
            self._lines(usd_section["lines"]),
            [
                (before.name, 100, 100, 100),
                (partly_paid.name, 1000, 600, 700),
                (paid_later.name, 500, 500, 1200),  # its payment came after May 31
                (unused.name, -50, -50, 1150),
            ],
        )
        self.assertEqual(usd_section["opening_balance"], 0)
        self.assertEqual(usd_section["closing_balance"], 1150)
        self.assertEqual(
            usd_section["aging"],
            # 82 days for the March invoice; 26, 30 and 21 days for the others
            {"not_due": 0, "1_30": 1050, "31_60": 0, "61_90": 100, "over_90": 0},
        )
        self.assertEqual(self._lines(eur_section["lines"]), [(in_eur.name, 200, 200, 200)])
        self.assertEqual(eur_section["aging"]["not_due"], 200)
        self.assertEqual(eur_section["lines"][0]["date_due"], date(2026, 6, 15))
        self.assertEqual(eur_section["lines"][0]["move_id"], in_eur.id)

        activity = self.customer._get_dunning_statement(
            date(2026, 4, 1), date(2026, 5, 31), "activity"
        )
        usd_section, eur_section = activity
        self.assertEqual(usd_section["opening_balance"], 100)
        payment = (
            self.env["account.payment"]
            .search([("partner_id", "=", self.customer.id), ("amount", "=", 400)])
            .move_id
        )
        self.assertEqual(
            [(line["move_id"], line["amount"], line["balance"]) for line in usd_section["lines"]],
            [
                (partly_paid.id, 1000, 1100),
                (used.id, 300, 1400),
                (credit.id, -300, 1100),
                (payment.id, -400, 700),
                (paid_later.id, 500, 1200),
                (unused.id, -50, 1150),
            ],
        )
        # the same closing balance both ways
        self.assertEqual(usd_section["closing_balance"], 1150)
        self.assertEqual(eur_section["opening_balance"], 0)
        self.assertEqual(eur_section["closing_balance"], 200)

    @freeze_time("2026-06-30")
    def test_aging_buckets_at_their_boundaries(self):
        end = date(2026, 5, 31)
        for days, amount in ((0, 1), (1, 2), (30, 4), (31, 8), (60, 16), (61, 32), (90, 64)):
            self._invoice(amount, end - timedelta(days=days), invoice_date="2026-01-01")
        self._invoice(128, end - timedelta(days=91), invoice_date="2026-01-01")
        [section] = self.customer._get_dunning_statement(end, end, "outstanding")
        self.assertEqual(
            section["aging"],
            {"not_due": 1, "1_30": 2 + 4, "31_60": 8 + 16, "61_90": 32 + 64, "over_90": 128},
        )

    @freeze_time("2026-06-30")
    def test_one_statement_per_company(self):
        self._invoice(100, "2026-05-01")
        other = self.setup_other_company(name="Other Company")["company"]
        self.env.user.company_ids |= other
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-05-02",
                    "invoice_date_due": "2026-05-02",
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Elsewhere", "quantity": 1, "price_unit": 700, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        [here] = self.customer._get_dunning_statement(
            date(2026, 5, 1), date(2026, 5, 31), "outstanding"
        )
        self.assertEqual(here["closing_balance"], 100)
        [there] = self.customer.with_company(other)._get_dunning_statement(
            date(2026, 5, 1), date(2026, 5, 31), "outstanding"
        )
        self.assertEqual(there["closing_balance"], 700)
        self.assertEqual([line["move_id"] for line in there["lines"]], [invoice.id])

    @freeze_time("2026-04-20")
    def test_reminder_email_carries_the_account_statement(self):
        self.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        self.first.attach_statement = True
        invoice = self._invoice(250, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertEqual(reminder.level_id, self.first)
        statement = reminder.statement_attachment_id
        self.assertTrue(statement)
        self.assertEqual(statement.mimetype, "application/pdf")
        # (tests render reports as HTML: the statement lists the invoice)
        self.assertIn(invoice.name.encode(), statement.raw)
        self.assertEqual((statement.res_model, statement.res_id), ("account.dunning", reminder.id))
        self.assertIn(reminder.name, statement.name)
        self.assertIn(statement, reminder.mail_id.attachment_ids)
        # a level without the option attaches none
        other = self._invoice(
            100,
            "2026-04-05",
            partner=self.env["res.partner"].create(
                {"name": "Sans Relevé", "is_company": True, "email": "r@releve.test"}
            ),
        )
        self.first.attach_statement = False
        self.assertFalse(self._remind(other).statement_attachment_id)
