# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, models

from odoo.addons.account_dunning.models.dunning_tools import try_advisory_locks
from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)


class AccountDunningJob(models.AbstractModel):
    """The daily job on OCA's job queue: instead of going through a
    company's customers itself, batch after batch, the scheduled action
    plans the run (``account.dunning.queue.run._plan``) and enqueues one
    queue job per batch; the job runners of every Odoo server run them, as
    many at once as the channel ``root.account_dunning`` allows. The last
    batch to end reports the run.

    With the context key ``dunning_queue_inline``, the job runs as without
    this addon, in the scheduler's worker."""

    _inherit = "account.dunning.job"

    @api.model
    def _process_in_batches(self, partner_ids):
        """Enqueue the batches of the current company's customers
        ``partner_ids`` instead of going through them: what the run does
        is reported when its last batch ends (``_report`` waits for it)."""
        if self.env.context.get("dunning_queue_inline"):
            return super()._process_in_batches(partner_ids)
        run = self.env["account.dunning.queue.run"]._plan(self, partner_ids)
        if not run:
            # nothing to do and nothing running: reported now, as without the queue
            return super()._process_in_batches(partner_ids)
        return {"reminders": [], "activities": 0, "failures": 0, "postponed": 0, "queued": run.id}

    @api.model
    def _report(self, company, summary):
        """A run on the job queue is reported by its last batch
        (``account.dunning.queue.run._finish``), not when it is planned."""
        if summary.get("queued"):
            return None
        return super()._report(company, summary)

    def _commit_batch(self):
        """In a queue job, the job queue commits when the batch ends (a
        commit inside a job is refused): what the batch did is only made
        ready for it."""
        if self.env.context.get("dunning_queue_batch"):
            self.env.flush_all()
            return
        super()._commit_batch()

    @api.model
    def _process_batch(self, partner_ids):
        """One batch of the current company's customers ``partner_ids``, as
        ``_process_in_batches`` does each batch: prepare their reminders from
        fresh data, schedule an activity for those that need a human, make
        the invoices' documents, send the others. Returns what was done
        (reminders, activities, failures).

        The batch first guards all its customers (the engine's guard, which
        no user's transaction waits for). When another transaction holds
        one of them (a user reminding that customer from the workbench, a
        batch of the same customer), or when a reminder meets another
        transaction on its rows, the batch raises ``RetryableJobError``:
        nothing it did is kept, the job queue runs it again later (the
        retry pattern of its job function) on the data as it then stands,
        and no failure is noted."""
        held = self._get_held_customers(partner_ids)
        if held:
            _logger.info("Batch of %s customers waits for customers %s", len(partner_ids), held)
            raise RetryableJobError(
                self.env._(
                    "Another transaction is reminding customers %(customers)s: "
                    "the batch is tried again later.",
                    customers=", ".join(str(partner_id) for partner_id in held),
                )
            )
        job = self.with_context(dunning_queue_batch=True)
        summary = {"reminders": [], "activities": 0, "failures": 0, "postponed": 0}
        to_send, to_ask = job._get_proposals(partner_ids)
        summary["activities"] += job._schedule_activities(to_ask)
        job._prepare_documents(to_send)
        postponed = job._send_batch(to_send, summary)
        if postponed:
            _logger.info(
                "Batch of %s customers postponed by customers %s", len(partner_ids), postponed
            )
            raise RetryableJobError(
                self.env._(
                    "The reminders of customers %(customers)s met another transaction: "
                    "the batch is tried again later.",
                    customers=", ".join(str(partner_id) for partner_id in postponed),
                )
            )
        return summary

    @api.model
    def _get_held_customers(self, partner_ids):
        """Guard the customers ``partner_ids`` of the current company for
        this transaction (``dunning_tools.try_advisory_locks``, as the
        engine's ``_guard_customers``) and return those another transaction
        holds, sorted."""
        company_id = self.env.company.id
        keys = {(company_id, partner_id) for partner_id in partner_ids}
        guarded = try_advisory_locks(self.env.cr, "account.dunning", keys)
        return sorted(partner_id for _company_id, partner_id in keys - guarded)
