# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .account_dunning_channel_mixin import CHANNELS
from .account_dunning_engine import QUIET
from .dunning_engine_owned import check_readable
from .dunning_tools import (
    bulk_create,
    invoice_tables_once,
    is_concurrency_error,
    short_error,
    try_advisory_locks,
)

_logger = logging.getLogger(__name__)


class AccountDunningEngine(models.AbstractModel):
    """The engine's second half: making the reminders the rules allow
    (models/account_dunning_engine.py decides who, when, at which level).
    ``_create_reminders_report`` guards the customers (``_guard_customers``),
    prepares each reminder's values (``_prepare_reminder_values``), creates
    them and has their channels carried out (``_send``, one method per
    channel of ``account.dunning.channel``)."""

    _inherit = "account.dunning.engine"

    # ------------------------------------------------------------------
    # Creating reminders
    # ------------------------------------------------------------------

    @api.model
    def _create_reminders(self, proposals):
        """Create one reminder per proposal and carry out its channels; the
        reminders created, sent or failed. See ``_create_reminders_report``."""
        return self._create_reminders_report(proposals)[0]

    @api.model
    def _create_reminders_report(self, proposals):
        """Create one reminder per proposal and carry out its channels.

        A proposal is a dict with ``partner_id``, ``currency_id``,
        ``company_id``, ``level_id``, ``move_ids``, the channels and
        optionally ``contact_id``, ``email``, ``save_email`` (write the
        email on the contact), ``comment``; a logged call adds
        ``call_outcome``, ``promise_date`` and ``move_level``.

        The rules hold whatever asks: invoices refused by ``_get_refusal``
        are left out, so are invoices already reminded today at this level
        or above (creating the same reminders twice reminds nobody twice);
        a level above the one advised is refused. A proposal left with
        nothing to remind creates nothing. Returns the reminders and, for
        what was left out, a list of (customer, reason) in the user's words.
        """
        self.env["account.dunning"].check_access("create")
        self._check_proposals_access(proposals)
        # Save on the Contact: with the user's rights, refused before
        # anything is made
        self.env["res.partner"]._save_dunning_emails(
            {
                proposal["contact_id"]: proposal["email"]
                for proposal in proposals
                if proposal.get("save_email")
                and proposal.get("contact_id")
                and proposal.get("email")
            }
        )
        locked, busy = self._guard_customers(
            [move_id for proposal in proposals for move_id in proposal["move_ids"]]
        )
        states = locked._get_dunning_states()
        levels = self.env["account.dunning.level"].browse(
            {proposal["level_id"] for proposal in proposals}
        )
        levels.fetch(["days", "plan_id"])
        # each reminder is dated its company's today
        todays = self._get_todays(levels.plan_id.company_id)
        self._prefetch_proposals(proposals, locked)
        # the addresses reminder emails bounced from, for all proposals at once
        Partner = self.env["res.partner"]
        emails = {proposal.get("email") for proposal in proposals} | set(
            Partner.browse({p["contact_id"] for p in proposals if p.get("contact_id")}).mapped(
                "email"
            )
        )
        engine = self.with_context(
            dunning_bounced_emails=frozenset(Partner._get_dunning_bounced_emails(emails))
        )
        vals_list, skipped = [], []
        for proposal in proposals:
            partner = self.env["res.partner"].browse(proposal["partner_id"])
            level = levels.browse(proposal["level_id"])
            if set(proposal["move_ids"]) & set(busy.ids):
                skipped.append(
                    (
                        partner,
                        self.env._(
                            "Another user or the daily job is reminding %(customer)s right "
                            "now: try again in a moment.",
                            customer=partner.display_name,
                        ),
                    )
                )
                continue
            vals, reason = engine._prepare_reminder_values(
                proposal, level, states, todays[level.plan_id.company_id.id]
            )
            if vals:
                vals_list.append(vals)
            else:
                skipped.append((partner, reason))
        quiet = self.with_context(**QUIET)
        reminders = quiet._create_reminder_records(vals_list).with_env(quiet.env)
        quiet._subscribe_responsibles(reminders)
        quiet._send(reminders)
        return reminders.with_env(self.env), skipped

    @api.model
    def _create_reminder_records(self, vals_list):
        """Create the reminders of ``vals_list`` (values of
        ``_prepare_reminder_values``), as the superuser, and their lines in
        one INSERT: created one by one, each line's amounts looked up their
        currency through the reminder again, a sixth of the daily job's
        time. The reminders' figures are then computed from their lines,
        as if created with them."""
        lines_list = [[command[2] for command in vals.get("line_ids", ())] for vals in vals_list]
        reminders = (
            self.env["account.dunning"]
            .sudo()
            .create(
                [
                    {key: value for key, value in vals.items() if key != "line_ids"}
                    for vals in vals_list
                ]
            )
        )
        names = {name for lines in lines_list for line in lines for name in line}
        line_vals = [
            {
                **dict.fromkeys(names, False),
                **line,
                "dunning_id": reminder.id,
                "company_id": reminder.company_id.id,
            }
            for reminder, lines in zip(reminders, lines_list, strict=True)
            for line in lines
        ]
        bulk_create(self.env["account.dunning.line"].sudo(), line_vals)
        reminders.invalidate_recordset(["line_ids"])
        reminders.modified(["line_ids"])
        return reminders

    @api.model
    def _check_proposals_access(self, proposals):
        """The user may remind what ``proposals`` are about: invoices,
        customers, contacts and levels they may read, in the companies they
        selected (``dunning_engine_owned.check_readable``). The reminders
        are then made as the superuser (``account.dunning.create`` refuses
        anyone else), so this is where the user's rights hold."""
        if self.env.su:
            return
        check_readable(
            self.env["res.company"].browse(
                {proposal["company_id"] for proposal in proposals if proposal.get("company_id")}
            ),
            self.env["account.move"].browse(
                {move_id for proposal in proposals for move_id in proposal["move_ids"]}
            ),
            self.env["res.partner"].browse(
                {proposal["partner_id"] for proposal in proposals}
                | {proposal["contact_id"] for proposal in proposals if proposal.get("contact_id")}
            ),
            self.env["account.dunning.level"].browse(
                {proposal["level_id"] for proposal in proposals}
            ),
        )

    @api.model
    def _subscribe_responsibles(self, reminders):
        """Each customer's reminder responsible follows its reminders: a
        reply to a reminder email lands on the reminder and notifies them.
        One subscription per responsible, whatever the number of reminders."""
        for company in reminders.company_id:
            ours = reminders.filtered(lambda r, company=company: r.company_id == company)
            responsibles = ours.partner_id._get_dunning_responsibles(company)
            by_user = defaultdict(lambda: reminders.browse())
            for reminder in ours:
                by_user[responsibles[reminder.partner_id.id]] |= reminder
            for user, followed in by_user.items():
                if user:
                    followed.message_subscribe(partner_ids=user.partner_id.ids)

    @api.model
    def _prefetch_proposals(self, proposals, moves):
        """Read what preparing the reminders of ``proposals`` needs, for all
        of them at once: the invoices, the customers and their contacts."""
        moves.fetch(
            [
                "name",
                "dunning_level_id",
                "dunning_last_date",
                "dunning_count",
                "dunning_date_due",
                "amount_total",
                "amount_residual",
                "commercial_partner_id",
                "company_id",
                "currency_id",
            ]
        )
        Partner = self.env["res.partner"]
        contacts = Partner.browse({p["contact_id"] for p in proposals if p.get("contact_id")})
        partners = Partner.browse({proposal["partner_id"] for proposal in proposals})
        (partners | contacts).fetch(
            ["name", "email", "mobile", "phone", "street", "city", "commercial_partner_id"]
        )

    @api.model
    def _lock_invoices(self, move_ids):
        """The open invoices of ``move_ids`` this transaction may remind:
        those of the customers it guards (``_guard_customers``)."""
        return self._guard_customers(move_ids)[0]

    @api.model
    def _guard_customers(self, move_ids):
        """Guard the customers of the invoices about to be reminded, so that
        two runs at once (two workers, a user and the daily job) never
        remind them both: a transaction-level advisory lock per customer
        and company, taken without waiting. A customer another transaction
        guards is left to it. No row is locked: a user who registers a
        payment, changes an invoice or confirms a sale order never waits
        for a batch. A run that read the invoices before another one
        reminded them and committed fails on writing their levels (a
        serialization failure, ``dunning_tools.is_concurrency_error``): its
        work is done again on fresh data, by Odoo's retry of a request or
        by the daily job's next batch.

        Returns (the open invoices guarded, the open invoices whose
        customer another transaction holds)."""
        Move = self.env["account.move"]
        if not move_ids:
            return Move, Move
        Move.flush_model(["dunning_level_id", "dunning_last_date", "dunning_date_due"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, company_id, commercial_partner_id FROM account_move "
                "WHERE id IN %s AND dunning_date_due IS NOT NULL",
                tuple(move_ids),
            )
        )
        guarded = try_advisory_locks(
            self.env.cr, "account.dunning", {(row[1], row[2]) for row in rows}
        )
        moves = Move.browse([row[0] for row in rows if (row[1], row[2]) in guarded])
        busy = Move.browse([row[0] for row in rows if (row[1], row[2]) not in guarded])
        moves.invalidate_recordset(["dunning_level_id", "dunning_last_date", "dunning_count"])
        return moves, busy

    @api.model
    def _prepare_reminder_values(self, proposal, level, states, today):
        """Values of one reminder, with a line per invoice as it stands now,
        or (None, reason) when the rules leave nothing to remind."""
        purpose = "call" if proposal.get("call_outcome") else "remind"
        partner = self.env["res.partner"].browse(proposal["partner_id"])
        contact = self._check_contact(
            partner, self.env["res.partner"].browse(proposal.get("contact_id"))
        )
        company_id = proposal.get("company_id")
        currency_id = proposal.get("currency_id")
        moves = self.env["account.move"].browse(
            [move_id for move_id in proposal["move_ids"] if move_id in states]
        )
        lines, reason = [], "not_open"
        refused = self._get_refusals(moves, states, purpose=purpose)
        advised_days = max(
            (
                states[move.id]["advised_days"]
                for move in moves
                if states[move.id]["advised_level_id"] and move.id not in refused
            ),
            default=None,
        )
        earliest = next(
            (states[move_id]["earliest"] for move_id, why in refused.items() if why == "interval"),
            False,
        )
        # what the message of a refusal says: the date of the interval, the
        # road of a litigation
        details = {
            "earliest": earliest,
            "litigation_road": next(
                (
                    states[move_id].get("litigation_road")
                    for move_id, why in refused.items()
                    if why == "litigation"
                ),
                False,
            ),
        }
        if purpose == "remind" and (advised_days is None or level.days > advised_days):
            # never above what the invoices call for; nothing left: say why
            reason = next(iter(refused.values()), "not_reached") if advised_days is None else ""
            return None, self._get_refusal_message(reason or "not_reached", details)
        for move in moves.sorted(lambda m: (m.dunning_date_due, m.id)):
            state = states[move.id]
            if (
                move.commercial_partner_id != partner
                or (company_id and move.company_id.id != company_id)
                or (currency_id and move.currency_id.id != currency_id)
            ):
                continue
            if move.id in refused:
                reason = refused[move.id]
                continue
            new_level_id, counted = self._get_line_level(
                state, level, purpose=purpose, move_level=proposal.get("move_level", True)
            )
            new_level = self.env["account.dunning.level"].browse(new_level_id)
            if (
                purpose == "remind"
                and counted
                and move.dunning_last_date == today
                and move.dunning_level_id
                and move.dunning_level_id.days >= new_level.days
            ):
                reason = "done_today"
                continue
            lines.append(self._prepare_reminder_line_values(move, today, new_level_id, counted))
        if not any(line["is_counted"] for line in lines):
            if lines and reason == "not_open":
                reason = "not_reached"
            return None, self._get_refusal_message(reason, details)
        email = proposal.get("email") or contact.email or False
        channels, _warnings = self._check_channels(
            partner,
            level,
            {key: proposal.get(key, False) for key in CHANNELS},
            contact=contact,
            email=email,
        )
        return {
            "partner_id": partner.id,
            "contact_id": contact.id,
            "email": email,
            "company_id": company_id or moves.company_id[:1].id,
            "currency_id": currency_id or moves.currency_id[:1].id,
            "level_id": level.id,
            **channels,
            "call_outcome": proposal.get("call_outcome", False),
            "promise_date": proposal.get("promise_date", False),
            "comment": proposal.get("comment", False),
            "date": today,
            "user_id": self.env.user.id,
            "line_ids": [fields.Command.create(line) for line in lines],
        }, None

    @api.model
    def _prepare_reminder_line_values(self, move, today, new_level_id, counted):
        """Values of the line of ``move`` in a reminder dated ``today``: the
        invoice as it stands now, the level it gets (``new_level_id``) and
        whether the reminder counts for it."""
        days = (today - move.dunning_date_due).days
        return {
            "move_id": move.id,
            "date_due": move.dunning_date_due,
            "days_overdue": days,
            "is_coming_due": days <= 0,
            "amount_total": move.amount_total,
            "amount_residual": move.amount_residual,
            "previous_level_id": move.dunning_level_id.id,
            "previous_date": move.dunning_last_date,
            "previous_count": move.dunning_count,
            "new_level_id": new_level_id,
            "is_counted": counted,
        }

    # ------------------------------------------------------------------
    # Carrying out the channels
    # ------------------------------------------------------------------

    @api.model
    def _send(self, reminders):
        """Carry out the channels of draft reminders, one method per channel
        (``account.dunning.channel``).

        The letters are rendered by wkhtmltopdf in the background while the
        emails are made; a reminder whose letter or email cannot be made
        fails, and its invoices keep their level. No wkhtmltopdf process
        outlives a failure. The invoices get their new level last, once
        the letters are made: no invoice row is written, so none waits on
        this transaction, while they render."""
        reminders = reminders.filtered(lambda r: r.state == "draft")
        if not reminders:
            return
        Channel = self.env["account.dunning.channel"]
        jobs = []
        try:
            with invoice_tables_once():
                jobs, failed = Channel._send_letters(reminders)
                failed |= Channel._send_emails((reminders - failed).filtered("send_email"))
            done = reminders - failed
            while jobs:
                batch, job = jobs.pop(0)
                try:
                    Channel._store_letters(batch & done, job.wait())
                except Exception as error:
                    if is_concurrency_error(error):
                        raise
                    _logger.warning("Reminder letters could not be rendered: %s", error)
                    lost = batch & done
                    lost.sudo().mail_id.write({"state": "cancel"})
                    lost._mark_failed(
                        self.env._(
                            "The letter could not be rendered: %(error)s",
                            error=short_error(error),
                        )
                    )
                    done -= lost
        finally:
            for _batch, job in jobs:
                job.cancel()
        Channel._schedule_activities(done.filtered("create_activity"))
        Channel._send_sms(done.filtered("send_sms"))
        done = done.sudo()
        done.filtered("send_letter").write({"letter_state": "to_post"})
        done.filtered("mail_id").write({"email_state": "queued"})
        done.write({"state": "sent"})
        done = done.with_env(self.env)
        done._log_on_documents()
        done._update_invoices()

    # The names the engine had for each channel and each step of a
    # reminder's life: the channels (``account.dunning.channel``) and the
    # reminder (``account.dunning``, models/account_dunning_lifecycle.py)
    # do the work.

    @api.model
    def _send_letters(self, reminders):
        return self.env["account.dunning.channel"]._send_letters(reminders)

    @api.model
    def _store_letters(self, reminders, pdfs):
        return self.env["account.dunning.channel"]._store_letters(reminders, pdfs)

    @api.model
    def _send_emails(self, reminders):
        return self.env["account.dunning.channel"]._send_emails(reminders)

    @api.model
    def _attach_to_emails(self, attachments_by_mail):
        return self.env["account.dunning.channel"]._attach_to_emails(attachments_by_mail)

    @api.model
    def _make_statement(self, reminder):
        return self.env["account.dunning.channel"]._make_statement(reminder)

    @api.model
    def _schedule_activities(self, reminders):
        return self.env["account.dunning.channel"]._schedule_activities(reminders)

    @api.model
    def _send_sms(self, reminders):
        return self.env["account.dunning.channel"]._send_sms(reminders)

    @api.model
    def _mark_failed(self, reminders, reason):
        return reminders._mark_failed(reason)

    @api.model
    def _log_on_documents(self, reminders):
        return reminders._log_on_documents()

    @api.model
    def _update_invoices(self, reminders):
        return reminders._update_invoices()

    @api.model
    def _restore_invoices(self, reminders):
        return reminders._restore_invoices()

    @api.model
    def _on_email_failure(self, reminders, reason, bounced=False):
        return reminders._on_email_failure(reason, bounced=bounced)

    @api.model
    def _on_email_bounce(self, reminders, email):
        return reminders._on_email_bounce(email)

    @api.model
    def _cancel_reminders(self, reminders):
        return reminders._cancel_reminders()

    @api.model
    def _log_cancel_on_invoices(self, reminders):
        return reminders._log_cancel_on_invoices()

    @api.model
    def _mark_letters_posted(self, reminders, registered_numbers=None):
        return reminders._mark_letters_posted(registered_numbers)
