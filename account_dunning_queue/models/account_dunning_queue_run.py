# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.tools import SQL, split_every

from odoo.addons.account_dunning.models import account_dunning_job as job_module
from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

# the queue jobs of a batch that meets other transactions give up after this
# many tries (the retry pattern of its job function spaces them out)
BATCH_MAX_RETRIES = 20
# the jobs adding a batch's figures go before the batches waiting
TALLY_PRIORITY = 5


class AccountDunningQueueRun(models.Model):
    """A run of the daily job for one company on its day, on the job queue:
    its batches of customers, each one a queue job whose identity key is
    (company, day, batch number), and the figures of the batches done so
    far, added under a lock on this row. The batch that completes the run
    reports it (``account.dunning.job._report``): the company's last run
    summary, and the notification of who asked for Run Now.

    A company's day has one run at a time: a run of the scheduled action
    while one is going on enqueues nothing. A later run of the same day
    (Run Now) makes a new run whose batches are numbered after those of the
    day's earlier runs, so no identity key comes twice in a day."""

    _name = "account.dunning.queue.run"
    _description = "Payment Reminders: Run of the Daily Job on the Job Queue"
    _order = "date desc, first_batch desc, id desc"
    _rec_name = "date"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    date = fields.Date(
        required=True, readonly=True, help="The company's day of the run (in its time zone)."
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], default="running", required=True, readonly=True
    )
    first_batch = fields.Integer(
        readonly=True, help="The number of the run's first batch in the company's day."
    )
    batch_count = fields.Integer(string="Batches", readonly=True)
    batch_done = fields.Integer(string="Batches Done", readonly=True)
    done_batches = fields.Json(string="Numbers of the Batches Done", readonly=True)
    reminder_ids = fields.Many2many(
        "account.dunning",
        "account_dunning_queue_run_reminder_rel",
        "run_id",
        "reminder_id",
        string="Reminders",
        readonly=True,
    )
    activity_count = fields.Integer(string="Activities", readonly=True)
    failure_count = fields.Integer(string="Failures", readonly=True)
    date_done = fields.Datetime(string="Done on", readonly=True)

    _sql_constraints = [
        (
            "batch_unique",
            "unique(company_id, date, first_batch)",
            "Two runs of the daily job cannot number their batches alike.",
        )
    ]

    @api.model
    def _plan(self, job, partner_ids):
        """Plan the run of ``job`` (the daily job in its company's context,
        ``account.dunning.job._for_company``) for its customers
        ``partner_ids``: one queue job per batch of
        ``account_dunning_job.CRON_BATCH_SIZE`` customers. Returns the run,
        the one of the day still going on (nothing enqueued), or an empty
        recordset when there is nothing to do."""
        company = job.env.company
        today = job.env["account.dunning.engine"]._get_today()
        runs = self.sudo().search([("company_id", "=", company.id), ("date", "=", today)])
        running = runs.filtered(lambda run: run.state == "running")
        if running:
            _logger.info("Daily job of %s on %s: a run is going on", company.name, today)
            return running[:1]
        if not partner_ids:
            return self.browse()
        batches = list(split_every(job_module.CRON_BATCH_SIZE, partner_ids, list))
        first = max((run.first_batch + run.batch_count for run in runs), default=1)
        run = self.sudo().create(
            {
                "company_id": company.id,
                "date": today,
                "first_batch": first,
                "batch_count": len(batches),
                "done_batches": [],
            }
        )
        # the batches run as the scheduled action does (its user, the
        # company's context)
        run = run.with_env(job.env)
        for number, batch in enumerate(batches, first):
            run.with_delay(
                description=job.env._(
                    "Payment reminders of %(company)s on %(date)s: batch %(number)s "
                    "(%(count)s customers)",
                    company=company.name,
                    date=today,
                    number=number,
                    count=len(batch),
                ),
                identity_key=run._get_identity_key(number),
                max_retries=BATCH_MAX_RETRIES,
            )._run_batch(number, batch)
        _logger.info(
            "Daily job of %s on %s: %s batches enqueued", company.name, today, len(batches)
        )
        return run

    def _get_identity_key(self, number, kind="batch"):
        """The identity key of the queue job of batch ``number`` of the
        run's day (``kind`` "tally" for the job adding its figures): a job
        with the same key waiting in the queue is not enqueued again."""
        self.ensure_one()
        run = self.sudo()
        key = f"account_dunning_queue:{run.company_id.id}:{run.date}:{number}"
        return key if kind == "batch" else f"{key}:{kind}"

    def _get_job(self):
        """The daily job in the company's context of the run."""
        return self.env["account.dunning.job"]._for_company(self.sudo().company_id)

    def _run_batch(self, number, partner_ids):
        """The queue job of batch ``number``: the customers ``partner_ids``
        go through the daily job's steps (``account.dunning.job._process_batch``),
        then the batch's figures are added to the run by a queue job of
        their own (``_tally_batch``)."""
        self.ensure_one()
        summary = self._get_job()._process_batch(partner_ids)
        self.with_delay(
            priority=TALLY_PRIORITY,
            description=self.env._("Payment reminders: figures of batch %(number)s", number=number),
            identity_key=self._get_identity_key(number, "tally"),
        )._tally_batch(number, summary["reminders"], summary["activities"], summary["failures"])
        return self.env._(
            "%(reminders)s reminders, %(activities)s activities, %(failures)s failures",
            reminders=len(summary["reminders"]),
            activities=summary["activities"],
            failures=summary["failures"],
        )

    def _tally_batch(self, number, reminder_ids, activities, failures):
        """Add the figures of batch ``number`` to the run, once, under a lock
        on the run's row; the batch that completes the run reports it.

        A queue job of its own, which the job queue runs once the batch is
        committed: the batches run side by side, each in a transaction
        that sees the database as it was when it began (Odoo's isolation
        level), and only a transaction begun after a batch ended sees what
        it did. Two of them meeting on the row: the second is tried again
        by the job queue (a serialization failure) and adds its figures
        then."""
        self.ensure_one()
        run = self.sudo()
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE",
                    SQL.identifier(run._table),
                    run.id,
                )
            )
        except psycopg2.errors.SerializationFailure as error:
            # another batch's figures were added since this transaction
            # began: tried again in a second (the job queue's own delay for a
            # serialization failure is 5 seconds, at the end of the run)
            raise RetryableJobError(
                self.env._("The run's figures were being added: tried again."),
                seconds=1,
                ignore_retry=True,
            ) from error
        run.invalidate_recordset()
        done = list(run.done_batches or [])
        if number in done or not (run.first_batch <= number < run.first_batch + run.batch_count):
            return self.env._("Batch %(number)s counted already.", number=number)
        done.append(number)
        run.write(
            {
                "done_batches": done,
                "batch_done": len(done),
                "activity_count": run.activity_count + activities,
                "failure_count": run.failure_count + failures,
                "reminder_ids": [
                    Command.link(reminder.id)
                    for reminder in self.env["account.dunning"].sudo().browse(reminder_ids).exists()
                ],
            }
        )
        if run.batch_done < run.batch_count:
            return self.env._(
                "Batch %(number)s counted: %(done)s of %(count)s.",
                number=number,
                done=run.batch_done,
                count=run.batch_count,
            )
        self._finish()
        return self.env._("Batch %(number)s counted: the run is done.", number=number)

    def _finish(self):
        """Report the run (``account.dunning.job._report``): the company's
        last run summary, and the notification of who asked for Run Now."""
        self.ensure_one()
        run = self.sudo()
        run.write({"state": "done", "date_done": fields.Datetime.now()})
        return self._get_job()._report(
            run.company_id,
            {
                "reminders": run.reminder_ids.ids,
                "activities": run.activity_count,
                "failures": run.failure_count,
                "postponed": 0,
            },
        )

    @api.autovacuum
    def _gc_runs(self):
        """Runs done more than 90 days ago are forgotten."""
        limit = fields.Datetime.now() - timedelta(days=90)
        self.sudo().search([("state", "=", "done"), ("date_done", "<", limit)]).unlink()
