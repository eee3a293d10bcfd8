# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningAging(DunningCommon):
    """The receivables aging report. It is a database view that ages items
    on the database's date, which freezegun cannot pin: the invoices are
    dated from that date instead."""

    def test_open_receivables_by_bucket_in_company_currency(self):
        self.env.cr.execute("SELECT CURRENT_DATE")
        today = self.env.cr.fetchone()[0]
        eur = self.setup_other_currency("EUR", rates=[(today - timedelta(days=400), 2.0)])
        amounts = {0: 1, 1: 2, 30: 4, 31: 8, 60: 16, 61: 32, 90: 64, 91: 128}
        for days, amount in amounts.items():
            self._invoice(
                amount, today - timedelta(days=days), invoice_date=today - timedelta(days=120)
            )
        self._invoice(
            512, today - timedelta(days=45), invoice_date=today - timedelta(days=60), currency=eur
        )
        paid = self._invoice(
            1000, today - timedelta(days=10), invoice_date=today - timedelta(days=20)
        )
        self._pay(paid, 1000, today - timedelta(days=5))
        self.customer.dunning_responsible_id = self.env.user
        Aging = self.env["account.dunning.aging"]
        groups = dict(
            Aging._read_group(
                [("partner_id", "=", self.customer.id)], ["bucket"], ["amount_residual:sum"]
            )
        )
        self.assertEqual(
            groups,
            # the EUR invoice counts at its company-currency value: 512 / 2
            {"not_due": 1, "1_30": 6, "31_60": 24 + 256, "61_90": 96, "over_90": 128},
        )
        rows = Aging.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(set(rows.company_id.ids), {self.company.id})
        self.assertEqual(rows.responsible_id, self.env.user)
        self.assertEqual(max(rows.mapped("days_late")), 91)
        # another company's user sees none of it
        other = self.setup_other_company(name="Aging Elsewhere")["company"]
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "aging_outsider",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [(6, 0, [self.env.ref("account.group_account_readonly").id])],
            }
        )
        self.assertFalse(Aging.with_user(outsider).search([("partner_id", "=", self.customer.id)]))

    def test_buckets_in_their_order(self):
        self.env.cr.execute("SELECT CURRENT_DATE")
        today = self.env.cr.fetchone()[0]
        for days in (100, 45, 0, 75, 10):
            self._invoice(
                10, today - timedelta(days=days), invoice_date=today - timedelta(days=120)
            )
        Aging = self.env["account.dunning.aging"]
        domain = [("partner_id", "=", self.customer.id)]
        order = ["not_due", "1_30", "31_60", "61_90", "over_90"]
        # as the graph and the pivot ask: lazily, and all at once
        groups = Aging.read_group(domain, ["amount_residual:sum"], ["bucket"])
        self.assertEqual([group["bucket"] for group in groups], order)
        groups = Aging.read_group(
            domain, ["amount_residual:sum"], ["partner_id", "bucket"], lazy=False
        )
        self.assertEqual([group["bucket"] for group in groups], order)
        # asked in reverse, they come in reverse
        groups = Aging.read_group(
            domain, ["amount_residual:sum"], ["bucket"], orderby="bucket desc"
        )
        self.assertEqual(groups[0]["bucket"], "over_90")
