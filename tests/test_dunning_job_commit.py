# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from ..models import account_dunning_job as job_module


@tagged("post_install", "-at_install", "-standard", "dunning_commit")
class TestDunningJobCommit(TransactionCase):
    """The daily job as the scheduler runs it: in cursors of its own,
    outside the test's transaction and with the thread's test flag off, so
    that each batch takes the real ``cr.commit()`` of ``_commit_batch``.

    It commits (a company, its customers, invoices and reminders) and
    deletes nothing: ``dev/install_test.sh`` runs it in a throwaway
    database of its own (tag ``dunning_commit``), never in the suite's.
    Its test cursor writes nothing, so the cursors it opens never wait
    for it."""

    def _env(self, cr, company_id=None):
        context = {"allowed_company_ids": [company_id]} if company_id else {}
        return api.Environment(cr, SUPERUSER_ID, context)

    def _make_book(self):
        """A company of its own (so that nothing else of the database is
        reminded) with three customers in automatic mode, each with one
        invoice ten days late, which the first level (5 days, email,
        sent automatically) reminds; committed. Returns the ids of the
        company, the customers and their invoices."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].create(
                {"name": "Commit Check SA", "currency_id": env.ref("base.EUR").id}
            )
            env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
            env = self._env(cr, company.id)
            company = env["res.company"].browse(company.id)
            plan = company.dunning_default_plan_id
            plan.level_ids.write({"attach_invoices": False, "send_letter": False})
            first = plan.level_ids.sorted("days")[0]
            self.assertEqual((first.days, first.send_email, first.auto_send), (5, True, True))
            today = env["account.dunning.engine"]._get_today(company)
            partners = env["res.partner"].create(
                [
                    {"name": name, "is_company": True, "email": f"{name[:4].lower()}@commit.test"}
                    for name in ("Aulne SARL", "Buis SAS", "Cedre SA")
                ]
            )
            partners.with_company(company).write({"dunning_mode": "automatic"})
            invoices = env["account.move"]
            for partner in partners:
                invoices |= (
                    env["account.move"]
                    .with_company(company)
                    .create(
                        {
                            "move_type": "out_invoice",
                            "partner_id": partner.id,
                            "invoice_date": today - timedelta(days=10),
                            "invoice_date_due": today - timedelta(days=10),
                            "invoice_payment_term_id": False,
                            "invoice_line_ids": [
                                Command.create(
                                    {"name": "Services", "price_unit": 100, "tax_ids": []}
                                )
                            ],
                        }
                    )
                )
            invoices.action_post()
            self.assertEqual(invoices.company_id, company)
            return company.id, partners.ids, invoices.ids

    def _run_job(self, company_id, crash_at=None, batches=None):
        """The daily job in a cursor of its own, one customer per batch,
        as a worker of the scheduler runs it (the thread's test flag off).
        With ``crash_at``, the worker is killed once that batch has made
        its reminders, before its commit. Returns (and adds to
        ``batches``) the customers of each batch that made reminders."""
        Dunning = type(self.env["account.dunning"])
        original = Dunning._create_reminders
        batches = [] if batches is None else batches

        def create_reminders(model, proposals):
            batches.append([proposal["partner_id"] for proposal in proposals])
            result = original(model, proposals)
            if len(batches) == crash_at:
                raise KeyboardInterrupt("the worker was killed")
            return result

        with (
            patch.object(job_module, "CRON_BATCH_SIZE", 1),
            patch.object(Dunning, "_create_reminders", create_reminders),
            patch.object(threading.current_thread(), "testing", False),
        ):
            # the cursor of a worker: committed when the job returns,
            # rolled back and closed when it dies
            with self.registry.cursor() as cr:
                env = self._env(cr, company_id)
                self.assertTrue(env.registry.ready)
                env["account.dunning"]._cron_process_reminders(
                    companies=env["res.company"].browse(company_id)
                )
        return batches

    def _committed(self, company_id):
        """{customer id: [(reminder id, its invoices' ids, emails)]} as
        committed, read from a fresh cursor."""
        with self.registry.cursor() as cr:
            env = self._env(cr, company_id)
            reminders = env["account.dunning"].search([("company_id", "=", company_id)])
            emails = env["mail.mail"].search(
                [("model", "=", "account.dunning"), ("res_id", "in", reminders.ids)]
            )
            result = {}
            for reminder in reminders:
                result.setdefault(reminder.partner_id.id, []).append(
                    (
                        reminder.id,
                        reminder.line_ids.move_id.ids,
                        len(emails.filtered(lambda mail, r=reminder: mail.res_id == r.id)),
                    )
                )
            counts = dict(
                env["account.move"]
                .search([("company_id", "=", company_id), ("move_type", "=", "out_invoice")])
                .mapped(lambda move: (move.id, move.dunning_count))
            )
            return result, counts

    def test_crash_in_batch_two_keeps_batch_one(self):
        """A worker killed in its second batch loses that batch only: the
        first batch's reminder is committed, as a fresh cursor sees it; the
        next run sends the other two and sends nobody anything twice."""
        company_id, partner_ids, invoice_ids = self._make_book()
        first, second, third = partner_ids

        crashed, batches = False, []
        try:
            self._run_job(company_id, crash_at=2, batches=batches)
        except KeyboardInterrupt:
            crashed = True
        self.assertTrue(crashed)
        self.assertEqual(batches, [[first], [second]])
        reminders, counts = self._committed(company_id)
        # batch 1 committed; batch 2 made its reminder, lost with the worker
        self.assertEqual(list(reminders), [first])
        ((kept_id, kept_moves, kept_emails),) = reminders[first]
        self.assertEqual((kept_moves, kept_emails), ([invoice_ids[0]], 1))
        self.assertEqual(counts, {invoice_ids[0]: 1, invoice_ids[1]: 0, invoice_ids[2]: 0})

        batches = self._run_job(company_id)
        # the rerun leaves the customer already reminded today
        self.assertEqual(batches, [[second], [third]])
        reminders, counts = self._committed(company_id)
        self.assertEqual(
            reminders,
            {
                first: [(kept_id, [invoice_ids[0]], 1)],
                second: [(reminders[second][0][0], [invoice_ids[1]], 1)],
                third: [(reminders[third][0][0], [invoice_ids[2]], 1)],
            },
        )
        self.assertEqual(counts, dict.fromkeys(invoice_ids, 1))
        # a third run finds nothing to do
        self.assertEqual(self._run_job(company_id), [])
        self.assertEqual(self._committed(company_id), (reminders, counts))
