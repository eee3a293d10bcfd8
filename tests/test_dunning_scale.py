# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningScale(DunningCommon):
    """The cost of the workbench and of the daily job does not grow with
    the number of invoices: more customers and invoices, the same queries
    (the benchmark of dev/bench.py measures the seconds)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "auto_send": True})

    def _customers(self, count, invoices=3, due="2026-04-05"):
        """``count`` customers in automatic mode with ``invoices`` invoices
        each, due on ``due``."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Client {count}-{n}",
                    "is_company": True,
                    "email": f"client{count}-{n}@scale.test",
                    "dunning_mode": "automatic",
                }
                for n in range(count)
            ]
        )
        for customer in customers:
            for _ in range(invoices):
                self._invoice(100, due, partner=customer)
        return customers

    def _queries(self, function):
        """The number of SQL queries ``function`` runs, caches emptied."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    def _workbench_queries(self):
        def open_and_prepare():
            wizard = self.env["account.dunning.wizard"].create({"include_not_due": True})
            wizard.action_search()
            wizard.action_select_all()
            wizard.action_prepare()

        return self._queries(open_and_prepare)

    @freeze_time("2026-04-20")
    def test_workbench_queries_do_not_grow_with_invoices(self):
        self._customers(2)
        self._workbench_queries()  # warms the caches of Odoo itself
        small = self._workbench_queries()
        # 21 times the invoices and customers, past the hundred rows the
        # ORM writes per query
        self._customers(40)
        large = self._workbench_queries()
        self.assertEqual(large, small)
        wizard = self.env["account.dunning.wizard"].create({"include_not_due": True})
        wizard.action_search()
        self.assertEqual(wizard.line_count, 126)
        self.assertEqual(wizard.selected_count, 126)
        wizard.action_prepare()
        self.assertEqual(len(wizard.proposal_ids), 42)
        self.assertEqual(set(wizard.proposal_ids.mapped("amount_due")), {300})

    @freeze_time("2026-04-20")
    def test_job_queries_per_reminder_stay_few(self):
        """Each reminder of the job costs a couple of queries (its
        reference number, its letter's layout), never one per invoice."""
        Dunning = self.env["account.dunning"]
        self._customers(1)
        self._queries(lambda: Dunning._cron_process_reminders(companies=self.company))
        self._customers(2, due="2026-04-06")
        two = self._queries(lambda: Dunning._cron_process_reminders(companies=self.company))
        self._customers(8, due="2026-04-07")
        eight = self._queries(lambda: Dunning._cron_process_reminders(companies=self.company))
        self.assertEqual(Dunning.search_count([("state", "=", "sent")]), 11)
        self.assertEqual(Dunning.search_count([("line_ids", "!=", False)]), 11)
        # six more reminders of three invoices each: at most 3 queries each
        self.assertLessEqual(eight - two, 6 * 3)
