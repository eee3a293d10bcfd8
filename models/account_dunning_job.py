# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import threading

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, split_every

from .dunning_tools import is_concurrency_error, short_error, try_advisory_locks

_logger = logging.getLogger(__name__)

# Customers per committed batch of the daily job.
CRON_BATCH_SIZE = 50


class AccountDunningJob(models.AbstractModel):
    """The daily job: for each company, send the due reminders of the
    customers in automatic mode whose level may be sent on its own, and
    schedule one activity for the others. It decides nothing itself: the
    invoices, the proposals and the reminders come from the engine
    (``account.dunning.engine``), as for the workbench."""

    _name = "account.dunning.job"
    _description = "Payment Reminders Daily Job"

    @api.model
    def _run(self, dry_run=False, companies=None):
        """Run the job for ``companies`` (all active ones by default).

        Safe to run any number of times, in several workers at once: it
        goes through the engine, which guards each customer it reminds
        (advisory locks, which no user's invoice, payment or order waits
        for), skips the invoices already reminded today and holds the
        minimum interval. It commits after each batch of customers, so a
        crash loses one batch at most; a customer whose reminder fails is
        noted on the customer and the others go on, one whose reminder met
        another transaction is tried again. "Today" is the company's day,
        in its time zone.

        With ``dry_run``, nothing is created or changed and the method
        returns what would be sent, one dict per reminder."""
        planned = []
        for company in companies or self.env["res.company"].search([("active", "=", True)]):
            job = self._for_company(company)
            if not dry_run:
                # kept or broken: a broken promise's invoices are reminded today
                job.env["account.dunning.promise"]._check_promises(company)
                # the customers' grades and the priorities of the day
                job._refresh_payment_behaviour(company)
            partner_ids = job._get_partner_ids()
            if dry_run:
                for batch in split_every(CRON_BATCH_SIZE, partner_ids, list):
                    planned += [
                        {
                            key: proposal[key]
                            for key in ("partner_id", "currency_id", "level_id", "move_ids")
                        }
                        for proposal in job._get_proposals(batch)[0]
                    ]
                continue
            summary = job._process_in_batches(partner_ids)
            summary["activities"] += job._schedule_notice_activities()
            job._report(company, summary)
        return planned

    @api.model
    def _refresh_payment_behaviour(self, company):
        """Refresh the payment behaviour, grades and priorities of the
        customers of ``company`` (``res.partner._dunning_refresh_payment_behaviour``)
        and commit: its customers are not held for the whole run. A failure
        is logged; the reminders go on with yesterday's figures."""
        try:
            with self.env.cr.savepoint():
                self.env["res.partner"].sudo()._dunning_refresh_payment_behaviour()
        except Exception:
            _logger.exception("Payment behaviour of company %s not refreshed", company.id)
        self._commit_batch()

    @api.model
    def _for_company(self, company):
        """The job as it runs for ``company``: in that company only, on its
        day (its time zone) and, the scheduler having no language, in the
        company's."""
        return self.with_company(company).with_context(
            allowed_company_ids=company.ids,
            tz=self._get_company_tz(company),
            lang=self.env.context.get("lang") or company.partner_id.lang or "en_US",
        )

    @api.model
    def _get_company_tz(self, company):
        """The time zone whose day is the company's "today": the engine's
        ``_get_company_tz``."""
        return self.env["account.dunning.engine"]._get_company_tz(company)

    @api.model
    def _get_partner_ids(self):
        """The customers of the current company with an invoice to remind:
        what the job goes through, batch by batch."""
        states = self.env["account.move"]._get_dunning_states_for_domain([])
        return sorted({state["partner_id"] for state in states.values() if state["to_remind"]})

    @api.model
    def _get_proposals(self, partner_ids):
        """The reminders of the customers ``partner_ids`` that the job may
        send on its own (customers in automatic mode, levels marked "send
        automatically") and those that need a human, for the current
        company, from the invoices as they stand now. An invoice whose
        reminder at the level it is due for was cancelled by a user
        (``_get_cancelled_levels``) needs a human too; the customer's other
        invoices go on without it."""
        Move = self.env["account.move"]
        Engine = self.env["account.dunning.engine"]
        states = Move._get_dunning_states_for_domain(
            [("commercial_partner_id", "in", list(partner_ids))]
        )
        moves = Move.search(
            [("id", "in", [move_id for move_id, state in states.items() if state["to_remind"]])],
            order="commercial_partner_id, dunning_date_due, id",
        )
        cancelled = Engine._get_cancelled_levels(moves.ids)
        held = moves.filtered(
            lambda move: (move.id, states[move.id]["advised_level_id"]) in cancelled
        )
        proposals = Engine._prepare_proposals(moves - held, states=states)
        partners = self.env["res.partner"].browse([p["partner_id"] for p in proposals])
        partners.fetch(["dunning_mode"])
        automatic = set(partners.filtered(lambda p: p.dunning_mode == "automatic").ids)
        levels = self.env["account.dunning.level"].browse([p["level_id"] for p in proposals])
        auto_levels = set(levels.filtered("auto_send").ids)
        to_send, to_ask = [], []
        for proposal in proposals:
            if proposal["partner_id"] in automatic and proposal["level_id"] in auto_levels:
                to_send.append(proposal)
            else:
                to_ask.append(proposal)
        to_ask += Engine._prepare_proposals(held, states=states)
        return to_send, to_ask

    @api.model
    def _schedule_activities(self, proposals):
        """One activity per customer for its reminder responsible ("Second
        reminder due for X"), unless one is already open. Returns how many
        were scheduled."""
        if not proposals:
            return 0
        activity_type = self.env.ref("account_dunning.mail_activity_type_dunning")
        # a customer another worker is handling is left to that worker: the
        # engine's guard, which no user's transaction waits for
        company_id = self.env.company.id
        partner_ids = {
            partner_id
            for _company_id, partner_id in try_advisory_locks(
                self.env.cr,
                "account.dunning",
                {(company_id, p["partner_id"]) for p in proposals},
            )
        }
        proposals = [p for p in proposals if p["partner_id"] in partner_ids]
        open_ids = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", list(partner_ids)),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        partners = self.env["res.partner"].browse(list(partner_ids))
        users = partners._get_dunning_responsibles(self.env.company)
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = self.env["account.dunning.engine"]._get_today()
        values, seen = [], set()
        default_lang = self.env.company.partner_id.lang or "en_US"
        for proposal in proposals:
            partner_id = proposal["partner_id"]
            if partner_id in open_ids or partner_id in seen:
                continue
            seen.add(partner_id)
            partner = self.env["res.partner"].browse(partner_id)
            # in the words of who will read it: the scheduler has no language
            lang_env = self.with_context(lang=users[partner_id].lang or default_lang).env
            level = lang_env["account.dunning.level"].browse(proposal["level_id"])
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": activity_type.id,
                    "summary": lang_env._(
                        "%(level)s due for %(customer)s", level=level.name, customer=partner.name
                    ),
                    "user_id": users[partner_id].id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(values)
        return len(values)

    @api.model
    def _schedule_notice_activities(self):
        """One activity, once, for the reminder responsible of each formal
        notice of the current company whose deadline passed unpaid
        (``account.dunning._get_expired_notices``): time to decide on
        litigation. On the notice, which is marked so that the next runs
        leave it. Returns how many were scheduled."""
        company = self.env.company
        notices = self.env["account.dunning"]._get_expired_notices(company)
        # a customer another worker is handling is left to that worker
        guarded = {
            partner_id
            for _company_id, partner_id in try_advisory_locks(
                self.env.cr,
                "account.dunning",
                {(company.id, partner_id) for partner_id in notices.partner_id.ids},
            )
        }
        notices = notices.filtered(lambda notice: notice.partner_id.id in guarded)
        if not notices:
            return 0
        users = notices.partner_id._get_dunning_responsibles(company)
        model_id = self.env["ir.model"]._get_id("account.dunning")
        today = self.env["account.dunning.engine"]._get_today(company)
        default_lang = company.partner_id.lang or "en_US"
        values = []
        for notice in notices:
            user = users[notice.partner_id.id]
            # in the words of who will read it: the scheduler has no language
            env = self.with_context(lang=user.lang or default_lang).env
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": notice.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": env._("Formal notice deadline passed unpaid: decide on litigation"),
                    # text, not HTML: the customer's name (its own to set on
                    # the portal) is escaped
                    "note": Markup("<p>%s</p>")
                    % env._(
                        "The formal notice %(ref)s gave %(customer)s until %(deadline)s to pay.",
                        ref=notice.name,
                        customer=notice.partner_id.name,
                        deadline=format_date(env, notice.notice_deadline),
                    ),
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(values)
        notices.sudo().write({"notice_expired_activity": True})
        return len(values)

    @api.model
    def _process_in_batches(self, partner_ids):
        """Go through the customers batch by batch: prepare their reminders
        from fresh data, send those the job may send, schedule an activity
        for the others, commit and report the progress to the cron. A crash
        or a timeout loses one batch at most; the next run goes on.

        A customer whose reminder met another transaction on the same rows
        (a payment registered on its invoice while the batch ran, another
        worker) did not fail: it is tried again once, after the batches, on
        the data as it then stands, else left to the next run. Returns what
        was done: reminders, activities, failures, postponed customers."""
        summary = {"reminders": [], "activities": 0, "failures": 0, "postponed": 0}
        total, done = len(partner_ids), 0
        queue = [(batch, False) for batch in split_every(CRON_BATCH_SIZE, partner_ids, list)]
        while queue:
            batch, retry = queue.pop(0)
            to_send, to_ask = self._get_proposals(batch)
            summary["activities"] += self._schedule_activities(to_ask)
            self._prepare_documents(to_send)
            postponed = self._send_batch(to_send, summary)
            if not retry:
                done += len(batch)
            self._commit_batch()
            self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
            if postponed and not retry:
                queue.append((postponed, True))
            elif postponed:
                summary["postponed"] += len(postponed)
                _logger.info("Reminders of customers %s left to the next run", postponed)
        return summary

    @api.model
    def _prepare_documents(self, proposals):
        """Make the invoices' own documents the reminder emails of
        ``proposals`` need (``account.dunning.channel._prepare_invoice_documents``)
        and commit them apart: the batch that follows then writes no invoice
        row while its letters render, and holds none up. Only for the
        customers no other transaction guards (the engine's guard, taken
        here for this short transaction): their invoices are being written
        by that one. Whatever goes wrong here is done again by the batch."""
        guarded = try_advisory_locks(
            self.env.cr,
            "account.dunning",
            {(proposal["company_id"], proposal["partner_id"]) for proposal in proposals},
        )
        emailed = [
            proposal
            for proposal in proposals
            if proposal.get("send_email")
            and (proposal["company_id"], proposal["partner_id"]) in guarded
        ]
        if not emailed:
            return
        Move = self.env["account.move"]
        levels = self.env["account.dunning.level"].browse({p["level_id"] for p in emailed})
        with_pdf = set(levels.filtered("attach_invoices").ids)
        try:
            with self.env.cr.savepoint():
                self.env["account.dunning.channel"]._prepare_invoice_documents(
                    Move.browse({move_id for p in emailed for move_id in p["move_ids"]}),
                    Move.browse(
                        {
                            move_id
                            for p in emailed
                            if p["level_id"] in with_pdf
                            for move_id in p["move_ids"]
                        }
                    ),
                )
        except Exception as error:
            _logger.info("Invoice documents of the reminders not made ahead: %s", error)
        self._commit_batch()

    @api.model
    def _send_batch(self, proposals, summary):
        """Create and send the reminders of ``proposals`` in one go, else one
        customer at a time; adds to ``summary`` what was done. Returns the
        customers postponed by a concurrent transaction."""
        if not proposals:
            return []
        try:
            with self.env.cr.savepoint():
                summary["reminders"] += self.env["account.dunning"]._create_reminders(proposals).ids
            return []
        except Exception:
            # one customer's broken data, or a conflict, must not stop the others
            postponed = []
            for proposal in proposals:
                reminders = self._create_reminder_alone(proposal)
                if reminders is None:
                    summary["failures"] += 1
                elif reminders is False:
                    postponed.append(proposal["partner_id"])
                else:
                    summary["reminders"] += reminders.ids
            return sorted(set(postponed))

    @api.model
    def _create_reminder_alone(self, proposal):
        """The reminder of one customer, alone. Its failure is noted on the
        customer and returns None; a conflict with another transaction
        (``dunning_tools.is_concurrency_error``) is not a failure: nothing
        is noted and it returns False, to be tried again later."""
        partner = self.env["res.partner"].browse(proposal["partner_id"])
        try:
            with self.env.cr.savepoint():
                return self.env["account.dunning"]._create_reminders([proposal])
        except Exception as error:
            if is_concurrency_error(error):
                _logger.info("Reminder for customer %s postponed: %s", partner.id, error)
                return False
            _logger.warning("Reminder for customer %s failed: %s", partner.id, error)
            partner.sudo().message_post(
                body=self.env._(
                    "The daily job could not send the reminder: %(error)s",
                    error=short_error(error),
                )
            )
            return None

    def _commit_batch(self):
        """Commit what a batch did: a crash later loses the next batch, not
        this one. Under test, where the test owns the transaction, and while
        a module is being installed (the demo data runs the job), a
        savepoint marks the same boundary (``ROLLBACK TO SAVEPOINT
        dunning_job_batch`` is what a crash does then)."""
        if getattr(threading.current_thread(), "testing", False) or not self.env.registry.ready:
            self.env.flush_all()
            self.env.cr.execute("SAVEPOINT dunning_job_batch")
            return
        self.env.cr.commit()  # pylint: disable=invalid-commit
        # what the batch read is no longer needed: memory stays flat
        self.env.invalidate_all()

    @api.model
    def _report(self, company, summary):
        """Keep what the run did on the company (shown in the settings) and
        tell the user who asked for it with Run Now, if any."""
        reminders = self.env["account.dunning"].browse(summary["reminders"]).exists()
        values = {
            "sent": len(reminders.filtered(lambda r: r.state == "sent")),
            "failed": len(reminders.filtered(lambda r: r.state == "failed")) + summary["failures"],
            "activities": summary["activities"],
            "letters": len(reminders.filtered(lambda r: r.letter_state == "to_post")),
        }
        company = company.sudo()
        requester = company.dunning_run_requested_uid
        # in the words of who reads it: the user who asked, else the company
        env = self.with_context(lang=requester.lang or company.partner_id.lang or "en_US").env
        text = env._(
            "Reminders sent: %(sent)s. Letters to post: %(letters)s. "
            "Activities for the responsibles: %(activities)s. Failures: %(failed)s.",
            **values,
        )
        company.write(
            {
                "dunning_last_run_date": fields.Datetime.now(),
                "dunning_last_run_summary": text,
                "dunning_run_requested_uid": False,
            }
        )
        if requester:
            requester._bus_send(
                "simple_notification",
                {
                    "type": "success" if not values["failed"] else "warning",
                    "title": env._("Payment reminders: the daily job is done"),
                    "message": text,
                    "sticky": True,
                },
            )
        return values
