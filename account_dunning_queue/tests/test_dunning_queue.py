# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account_dunning.models import account_dunning_job as job_module
from odoo.addons.account_dunning.models.dunning_tools import try_advisory_locks
from odoo.addons.account_dunning.tests.common import DunningCommon
from odoo.addons.queue_job.controllers.main import _prevent_commit
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestDunningQueue(DunningCommon):
    """The daily job on the job queue: one queue job per batch of
    customers, in its channel, with an identity key per company, day and
    batch; a batch done twice sends nothing twice; a batch that meets
    another transaction is tried again; the run is reported once, when its
    last batch ends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "auto_send": True})
        cls.customer.dunning_mode = "automatic"
        cls.others = cls.env["res.partner"].create(
            [
                {
                    "name": f"Auto {n}",
                    "is_company": True,
                    "email": f"a{n}@auto.test",
                    "dunning_mode": "automatic",
                }
                for n in range(3)
            ]
        )
        cls.manual = cls.env["res.partner"].create(
            {"name": "Manual SARL", "is_company": True, "email": "m@manual.test"}
        )
        cls.manual.dunning_responsible_id = cls.env.user

    def _run(self, **kwargs):
        return self.env["account.dunning"]._cron_process_reminders(companies=self.company, **kwargs)

    def _runs(self):
        return self.env["account.dunning.queue.run"].search([("company_id", "=", self.company.id)])

    def _reminders(self, partner=None):
        domain = [("company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["account.dunning"].search(domain)

    @staticmethod
    def _jobs(trap, method):
        """The queue jobs of ``method`` trapped so far, in their order."""
        return [job for job in trap.enqueued_jobs if job.method_name == method]

    def _key(self, number):
        return f"account_dunning_queue:{self.company.id}:2026-04-20:{number}"

    @contextmanager
    def _count_reports(self):
        """The summaries the daily job reports (``_report``) in the block."""
        Job = type(self.env["account.dunning.job"])
        report = Job._report
        reports = []

        def counting(job, company, summary):
            values = report(job, company, summary)
            if values is not None:
                reports.append(values)
            return values

        with patch.object(Job, "_report", counting):
            yield reports

    @freeze_time("2026-04-20")
    def test_one_job_per_batch_in_its_channel(self):
        partners = self.customer | self.others | self.manual
        for partner in partners:
            self._invoice(100, "2026-04-05", partner=partner)
        ids = sorted(partners.ids)
        with patch.object(job_module, "CRON_BATCH_SIZE", 2), trap_jobs() as trap:
            self._run()
            run = self._runs()
            self.assertEqual(len(run), 1)
            self.assertEqual(run.date, date(2026, 4, 20))
            self.assertEqual((run.state, run.first_batch, run.batch_count), ("running", 1, 3))
            trap.assert_jobs_count(3, only=run._run_batch)
            trap.assert_jobs_count(3)
            for number, batch in ((1, ids[0:2]), (2, ids[2:4]), (3, ids[4:])):
                trap.assert_enqueued_job(
                    run._run_batch,
                    args=(number, batch),
                    properties={"identity_key": self._key(number), "max_retries": 20},
                )
            self.assertEqual(
                [job.channel for job in trap.enqueued_jobs], ["root.account_dunning"] * 3
            )
        # the scheduler's transaction sent nothing and reported nothing
        self.assertFalse(self._reminders())
        self.assertFalse(self.company.dunning_last_run_summary)

    @freeze_time("2026-04-20")
    def test_twice_the_same_day_enqueues_nothing_more(self):
        for partner in self.customer | self.others:
            self._invoice(100, "2026-04-05", partner=partner)
        self._invoice(100, "2026-04-05", partner=self.manual)
        with trap_jobs() as trap:
            self._run()
            (batch,) = self._jobs(trap, "_run_batch")
            # the batch's queue job is done (the job queue would now take
            # the same identity key again), its figures not yet added: the
            # run of the day is going on, a second run enqueues nothing
            batch.perform()
        with trap_jobs() as again:
            self._run()
            self.assertEqual(again.calls, [])
        self.assertEqual(len(self._runs()), 1)
        self._jobs(trap, "_tally_batch")[0].perform()
        self.assertEqual(self._runs().state, "done")
        self.assertEqual(len(self._reminders()), 4)
        # Run Now later that day: a new run, its batch numbered after the
        # day's first one, for the customer still to remind (the one left
        # to a human), which gets nothing twice
        with trap_jobs() as later:
            self._run()
            later.assert_jobs_count(1)
            (batch,) = self._jobs(later, "_run_batch")
            self.assertEqual(batch.identity_key, self._key(2))
            self.assertEqual(batch.args, (2, self.manual.ids))
            batch.perform()
            self._jobs(later, "_tally_batch")[0].perform()
        self.assertEqual(len(self._reminders()), 4)
        self.assertEqual(len(self._job_activities(self.manual)), 1)
        self.assertEqual(self._runs().mapped("first_batch"), [2, 1])

    @freeze_time("2026-04-20")
    def test_a_batch_twice_sends_nothing_twice(self):
        invoices = self.env["account.move"]
        for partner in self.customer | self.others:
            invoices |= self._invoice(100, "2026-04-05", partner=partner)
        self._invoice(100, "2026-04-05", partner=self.manual)
        with trap_jobs() as trap, self._count_reports() as reports:
            self._run()
            (batch,) = self._jobs(trap, "_run_batch")
            batch.perform()
            reminders = self._reminders()
            self.assertEqual(len(reminders), 4)
            self.assertEqual(set(reminders.mapped("state")), {"sent"})
            self.assertEqual(len(self._job_activities(self.manual)), 1)
            (tally,) = self._jobs(trap, "_tally_batch")
            tally.perform()
            self.assertEqual(len(reports), 1)
            # the same batch again (a retry, a second server, a requeue by
            # hand): nobody reminded twice, no second activity
            batch.perform()
            self.assertEqual(batch.result, "0 reminders, 0 activities, 0 failures")
            self.assertEqual(self._reminders(), reminders)
            self.assertEqual(invoices.mapped("dunning_count"), [1, 1, 1, 1])
            self.assertEqual(len(self._job_activities(self.manual)), 1)
            # and its figures again: counted once, reported once
            run = self._runs()
            run._tally_batch(1, [], 1, 1)
            self.assertEqual(len(reports), 1)
        self.assertEqual(reports[0], {"sent": 4, "failed": 0, "activities": 1, "letters": 0})
        self.assertEqual((run.batch_done, run.activity_count, run.failure_count), (1, 1, 0))
        self.assertEqual(run.reminder_ids, reminders)

    @freeze_time("2026-04-20")
    def test_a_tally_meeting_another_is_tried_again_soon(self):
        """Two batches' figures added at the same time: the second meets the
        first's update of the run's row (a serialization failure) and is
        tried again a second later, without counting as a retry; nothing
        of it was added."""
        self._invoice(100, "2026-04-05")
        with trap_jobs() as trap:
            self._run()
            (batch,) = self._jobs(trap, "_run_batch")
            batch.perform()
            run = self._runs()
            cursor = type(self.env.cr)
            execute = cursor.execute

            def conflict(cr, query, *args, **kwargs):
                if "FOR NO KEY UPDATE" in str(query):
                    raise psycopg2.errors.SerializationFailure("concurrent update")
                return execute(cr, query, *args, **kwargs)

            with (
                patch.object(cursor, "execute", conflict),
                self.assertRaises(RetryableJobError) as caught,
            ):
                run._tally_batch(1, [], 0, 0)
            self.assertEqual(caught.exception.seconds, 1)
            self.assertTrue(caught.exception.ignore_retry)
            self.assertEqual(run.batch_done, 0)
            run._tally_batch(1, [], 0, 0)
            self.assertEqual(run.batch_done, 1)

    @freeze_time("2026-04-20")
    def test_a_customer_held_elsewhere_retries_its_batch(self):
        """Two batches at once: another transaction (a user in the
        workbench, another worker) is reminding the first batch's customer.
        That batch sends nothing and is tried again by the job queue; the
        other batch goes on; the run is reported when both are done,
        without a failure."""
        for partner in self.customer | self.others[0]:
            self._invoice(100, "2026-04-05", partner=partner)
        with (
            patch.object(job_module, "CRON_BATCH_SIZE", 1),
            trap_jobs() as trap,
            self._count_reports() as reports,
        ):
            self._run()
            held, free = self._jobs(trap, "_run_batch")
            self.assertEqual(held.args, (1, self.customer.ids))
            self.assertEqual(free.args, (2, self.others[0].ids))
            with self.env.registry.cursor() as other:
                # the engine's guard on the customer, in another transaction
                key = (self.company.id, self.customer.id)
                self.assertEqual(try_advisory_locks(other, "account.dunning", {key}), {key})
                with self.assertRaises(RetryableJobError):
                    held.perform()
                free.perform()
                other.rollback()
            self.assertFalse(self._reminders(self.customer))
            self.assertEqual(len(self._reminders(self.others[0])), 1)
            # tried again by the job queue's retry pattern (in 10 seconds),
            # no failure noted on the customer
            self.assertEqual(held._get_retry_seconds(), 10)
            self.assertFalse(
                self.customer.message_ids.filtered(lambda m: "could not send" in str(m.body))
            )
            (tally,) = self._jobs(trap, "_tally_batch")
            tally.perform()
            self.assertEqual(self._runs().batch_done, 1)
            self.assertFalse(reports)
            # the other transaction is over: the batch goes through
            held.perform()
            self.assertEqual(len(self._reminders(self.customer)), 1)
            self._jobs(trap, "_tally_batch")[1].perform()
        self.assertEqual(reports, [{"sent": 2, "failed": 0, "activities": 0, "letters": 0}])
        self.assertIn("Failures: 0.", self.company.dunning_last_run_summary)

    @freeze_time("2026-04-20")
    def test_summary_reported_once_after_the_last_batch(self):
        manager = self._user("queue_manager", "account.group_account_manager,base.group_system")
        for partner in self.customer | self.others | self.manual:
            self._invoice(100, "2026-04-05", partner=partner)
        self.env["res.config.settings"].with_user(manager).create({}).action_dunning_run_now()
        self.assertEqual(self.company.dunning_run_requested_uid, manager)
        broken = self.others[1]
        Engine = type(self.env["account.dunning.engine"])
        prepare = Engine._prepare_reminder_values

        def failing(engine, proposal, level, states, today):
            if proposal["partner_id"] == broken.id:
                raise ValueError("broken customer data")
            return prepare(engine, proposal, level, states, today)

        with (
            patch.object(job_module, "CRON_BATCH_SIZE", 2),
            patch.object(Engine, "_prepare_reminder_values", failing),
            mute_logger("odoo.addons.account_dunning.models.account_dunning_job"),
            trap_jobs() as trap,
            self._count_reports() as reports,
        ):
            self._run()
            batches = self._jobs(trap, "_run_batch")
            self.assertEqual(len(batches), 3)
            for batch in batches[:2]:
                batch.perform()
            for tally in self._jobs(trap, "_tally_batch"):
                tally.perform()
            # two batches of three done: nothing reported yet
            self.assertEqual(self._runs().batch_done, 2)
            self.assertFalse(reports)
            self.assertFalse(self.company.dunning_last_run_summary)
            self.assertEqual(self.company.dunning_run_requested_uid, manager)
            batches[2].perform()
            self._jobs(trap, "_tally_batch")[2].perform()
        # 4 automatic customers, one of them broken; 1 left to a human
        self.assertEqual(reports, [{"sent": 3, "failed": 1, "activities": 1, "letters": 0}])
        self.assertEqual(
            self.company.dunning_last_run_summary,
            "Reminders sent: 3. Letters to post: 0. "
            "Activities for the responsibles: 1. Failures: 1.",
        )
        self.assertFalse(self.company.dunning_run_requested_uid)
        run = self._runs()
        self.assertEqual((run.state, run.batch_done, len(run.reminder_ids)), ("done", 3, 3))
        self.assertIn("broken customer data", broken.message_ids[0].body)

    @freeze_time("2026-04-20")
    def test_a_batch_leaves_the_commit_to_the_job_queue(self):
        """The job queue refuses a commit inside a job: the batch makes the
        invoices' documents and sends in one transaction, which the job
        queue commits when the batch ends."""
        self._invoice(100, "2026-04-05")
        with trap_jobs() as trap:
            self._run()
            (batch,) = self._jobs(trap, "_run_batch")
            # as the job queue runs it, outside a test (where the daily job
            # sets a savepoint instead of committing)
            with (
                _prevent_commit(self.env.cr),
                patch.object(threading.current_thread(), "testing", False),
            ):
                batch.perform()
        self.assertEqual(self._reminders(self.customer).state, "sent")

    @freeze_time("2026-04-20")
    def test_dry_run_and_inline_run_enqueue_nothing(self):
        invoice = self._invoice(100, "2026-04-05")
        with trap_jobs() as trap:
            planned = self._run(dry_run=True)
            self.assertEqual([p["move_ids"] for p in planned], [invoice.ids])
            self.assertFalse(self._reminders())
            # as without this addon, in the scheduler's worker
            self.env["account.dunning"].with_context(
                dunning_queue_inline=True
            )._cron_process_reminders(companies=self.company)
            self.assertEqual(trap.calls, [])
        self.assertEqual(len(self._reminders(self.customer)), 1)
        self.assertIn("Reminders sent: 1.", self.company.dunning_last_run_summary)
        self.assertFalse(self._runs())
