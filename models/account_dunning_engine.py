# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, float_compare, format_date, split_every

from .account_dunning import LETTER_REPORT
from .account_dunning_channel_mixin import CHANNELS
from .dunning_tools import insert_relation_pairs, short_error

_logger = logging.getLogger(__name__)

# Letters per wkhtmltopdf run: large enough to save the start-up of the
# program, small enough to keep its memory bounded.
LETTER_BATCH_SIZE = 100
# What asks for reminders: "remind" sends a level (workbench, quick
# buttons, daily job); "call" records a call that took place.
PURPOSES = ("remind", "call")
# No quiet "created" log, tracking or follower for each of thousands of
# reminders: the notes of ``_log_on_documents`` say what happened.
QUIET = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "tracking_disable": True,
}


# What does not stop logging a call: a call is a fact, not a message; it may
# be about a disputed invoice or a promise the customer makes again.
CALL_ALLOWED = ("interval", "disputed", "promised")


class AccountDunningEngine(models.AbstractModel):
    """The reminder engine: every rule of who may be reminded, how reminders
    are grouped, created, carried out by each channel and undone.

    Every path comes here: the workbench and the quick buttons
    (``account.dunning.wizard``), logged calls (``account.dunning.call.wizard``)
    and the daily job (``account.dunning.job``). Each rule is one method a
    later module can override:

    - who may be reminded at all: ``_get_refusal``; what the daily job
      leaves to a human after a cancel: ``_get_cancelled_levels``;
    - the level an invoice gets from a reminder: ``_get_line_level`` (the
      advised level and the levels a user may pick are the plan's:
      ``account.dunning.plan._get_advised_step``, ``_get_allowed_steps``);
    - grouping into one reminder per customer and currency:
      ``_prepare_proposals``;
    - channels that cannot work: ``_check_channels``; the contact:
      ``_check_contact``;
    - one method per channel: ``_send_letters``, ``_send_emails``,
      ``_send_sms``, ``_schedule_activities``;
    - what a failure or a cancel undoes: ``_on_email_failure``,
      ``_cancel_reminders``.
    """

    _name = "account.dunning.engine"
    _description = "Payment Reminder Engine"

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _get_refusal(self, values, company, today, earliest=False, purpose="remind"):
        """Why an invoice may not be reminded now, or False: THE rule every
        path applies (the worklist's "to remind", the workbench, the quick
        buttons, logged calls, the daily job).

        ``values`` are the invoice's plain values (``blocked_partner``,
        ``blocked``, ``disputed``, ``promise_date``, ``direct_debit``,
        ``residual``), ``company`` the company's settings (``min_amount``,
        ``rounding``, ``exclude_direct_debit``, ``promise_grace_days``),
        ``earliest`` the first day the customer may be reminded again. A
        logged call is a fact, not a message: the minimum interval, a
        dispute or a promise do not hold for it (``CALL_ALLOWED``)."""
        promise_date = values.get("promise_date")
        checks = (
            ("blocked_customer", lambda: values.get("blocked_partner")),
            ("blocked_invoice", lambda: values.get("blocked")),
            ("disputed", lambda: values.get("disputed")),
            (
                "promised",
                lambda: promise_date
                and promise_date + timedelta(days=company.get("promise_grace_days") or 0) >= today,
            ),
            (
                "direct_debit",
                lambda: company["exclude_direct_debit"] and values.get("direct_debit"),
            ),
            (
                "below_minimum",
                lambda: float_compare(
                    values.get("residual") or 0.0,
                    company["min_amount"],
                    precision_rounding=company["rounding"],
                )
                < 0,
            ),
            ("interval", lambda: earliest and earliest > today),
        )
        for reason, refused in checks:
            if purpose == "call" and reason in CALL_ALLOWED:
                continue
            if refused():
                return reason
        return False

    @api.model
    def _get_refusal_message(self, reason, state=None, short=False):
        """The reason of ``_get_refusal`` in the user's words (only that one
        is translated: the worklist asks for hundreds at a time); ``short``
        for a list's column, where the next date has its own column."""
        if short:
            labels = {
                "blocked_customer": lambda: self.env._("Customer: Do Not Remind"),
                "blocked_invoice": lambda: self.env._("Invoice: Do Not Remind"),
                "disputed": lambda: self.env._("Disputed"),
                "promised": lambda: self.env._("Payment promised"),
                "direct_debit": lambda: self.env._("Direct debit"),
                "below_minimum": lambda: self.env._("Below the minimum"),
                "interval": lambda: self.env._("Reminded recently"),
                "not_open": lambda: self.env._("Paid or not posted"),
                "not_reached": lambda: self.env._("No level due yet"),
                "done_today": lambda: self.env._("Reminded today"),
            }
            return labels[reason]() if reason in labels else reason
        messages = {
            "blocked_customer": lambda: self.env._("The customer is marked Do Not Remind."),
            "blocked_invoice": lambda: self.env._("The invoice is marked Do Not Remind."),
            "disputed": lambda: self.env._(
                "The invoice is disputed: it is not reminded until the dispute is resolved."
            ),
            "promised": lambda: self.env._(
                "The customer promised to pay by %(date)s: no reminder before %(until)s.",
                date=format_date(self.env, (state or {}).get("promise_date")) or "",
                until=format_date(self.env, (state or {}).get("promise_until")) or "",
            ),
            "direct_debit": lambda: self.env._("The invoice is paid by direct debit."),
            "below_minimum": lambda: self.env._("The amount due is below the minimum to remind."),
            "interval": lambda: self.env._(
                "Reminded recently: not before %(date)s.",
                date=format_date(self.env, (state or {}).get("earliest")) or "",
            ),
            "not_open": lambda: self.env._("The invoice is paid or not posted."),
            "not_reached": lambda: self.env._("No reminder level is due yet."),
            "done_today": lambda: self.env._("Already reminded today at this level."),
        }
        return messages[reason]() if reason in messages else reason

    @api.model
    def _get_refusals(self, moves, states=None, purpose="remind"):
        """{invoice id: reason} of the invoices of ``moves`` that may not be
        reminded now, for ``purpose``."""
        if states is None:
            states = moves._get_dunning_states()
        refusals = {}
        for move_id in moves.ids:
            state = states.get(move_id)
            if not state:
                refusals[move_id] = "not_open"
                continue
            reason = state["refusal"]
            if reason in CALL_ALLOWED and purpose == "call":
                reason = False
            if reason:
                refusals[move_id] = reason
        return refusals

    @api.model
    def _get_cancelled_levels(self, partner_ids):
        """{(customer id, level id)} of the reminders a user cancelled in the
        current company: a cancel is a "no", the daily job does not send
        that level again on its own (a human may, from the workbench), and
        the next level goes out as usual."""
        if not partner_ids:
            return set()
        reminders = self.env["account.dunning"].search_fetch(
            [
                ("state", "=", "cancel"),
                ("company_id", "=", self.env.company.id),
                ("partner_id", "in", list(set(partner_ids))),
            ],
            ["partner_id", "level_id"],
        )
        return {(reminder.partner_id.id, reminder.level_id.id) for reminder in reminders}

    @api.model
    def _get_line_level(self, state, level, purpose="remind", move_level=True):
        """The level an invoice gets from a reminder at ``level``, and
        whether the reminder counts for it (last date, number of reminders).

        An invoice moves to the reminder's level only when it is late
        enough for it; otherwise to the highest level it reached (never
        below its last one), and an invoice that reached no level yet (not
        yet due, listed as coming due) keeps its level and is not counted.
        A logged call counts for every invoice it was about and moves the
        levels only when the user says so. Returns (level id, counted)."""
        last_id = state["last_level_id"] or False
        advised_days, advised_id = state["advised_days"], state["advised_level_id"]
        if purpose == "call":
            if not move_level or not advised_id:
                return last_id, True
        elif not advised_id:
            return last_id, False
        if advised_days >= level.days:
            return level.id, True
        return advised_id, True

    @api.model
    def _prepare_proposals(self, moves, channels=None, states=None, purpose="remind"):
        """Group invoices into reminder proposals: one per company, customer
        and currency, at the highest level advised for them. Each proposal
        says which levels the user may pick instead: from the last level
        sent up to the advised one. ``channels`` (a dict of channel
        booleans) replaces the level's channels, for a quick reminder by
        one channel. Invoices refused by ``_get_refusal`` and those without
        an advised level are left out (``_get_refusals`` says why).
        ``states`` are the invoices' reminder states when the caller has
        them already. A handful of queries for any number of invoices."""
        if states is None:
            states = moves._get_dunning_states()
        refused = self._get_refusals(moves, states, purpose=purpose)
        groups = defaultdict(list)
        for move_id in moves.ids:
            state = states.get(move_id)
            if state and move_id not in refused:
                key = (state["company_id"], state["partner_id"], state["currency_id"])
                groups[key].append(state | {"move_id": move_id})
        # a customer is reminded when one of its invoices reached a level;
        # its invoices not yet at any level go along, listed as coming due
        groups = {
            key: group
            for key, group in groups.items()
            if any(state["advised_level_id"] for state in group)
        }
        if not groups:
            return []
        Level = self.env["account.dunning.level"]
        levels = Level.browse(
            {
                state[key]
                for group in groups.values()
                for state in group
                for key in ("advised_level_id", "last_level_id")
                if state[key]
            }
        )
        levels.fetch(["plan_id", "days", *CHANNELS])
        ladders = levels.plan_id._get_ladders()
        contacts = (
            self.env["res.partner"].browse({key[1] for key in groups})._get_dunning_contacts()
        )
        proposals = []
        for (company_id, partner_id, currency_id), group in groups.items():
            advised = Level.browse(
                max(
                    (s["advised_days"], s["advised_level_id"])
                    for s in group
                    if s["advised_level_id"]
                )[1]
            )
            plan = advised.plan_id
            floor = max(
                (
                    level.days
                    for level in Level.browse({s["last_level_id"] for s in group} - {False})
                    if level.plan_id == plan
                ),
                default=None,
            )
            contact = contacts[partner_id]
            proposals.append(
                {
                    "company_id": company_id,
                    "partner_id": partner_id,
                    "currency_id": currency_id,
                    "move_ids": [s["move_id"] for s in group],
                    "level_id": advised.id,
                    "allowed_level_ids": plan._get_allowed_steps(
                        ladders[plan.id][0], floor, advised.days
                    ),
                    "contact_id": contact.id,
                    "email": contact.email or False,
                    **(channels or advised._get_channels()),
                }
            )
        return proposals

    @api.model
    def _check_contact(self, partner, contact):
        """The contact of a reminder is one of the customer's own contacts:
        the email carries links with access to the customer's invoices."""
        if contact and contact.commercial_partner_id != partner.commercial_partner_id:
            raise UserError(
                self.env._(
                    "%(contact)s is not a contact of %(customer)s: choose one of the "
                    "customer's addresses.",
                    contact=contact.display_name,
                    customer=partner.display_name,
                )
            )
        return contact or partner._get_dunning_contacts()[partner.id]

    @api.model
    def _check_channels(self, partner, level, channels, contact=None, email=None):
        """The controls of the workbench (seed: "Contrôles"): a channel that
        cannot work is replaced by one that can. ``email`` is the address
        chosen for this reminder (else the contact's). Returns the channels
        to use and the warnings to show, in the user's language."""
        contact = contact or partner.dunning_contact_id
        email = contact.email if email is None else email
        channels = dict(channels)
        warnings = []
        bounced = self.env.context.get("dunning_bounced_emails")
        if bounced is None and email and channels.get("send_email"):
            bounced = self.env["res.partner"]._get_dunning_bounced_emails([email])
        if channels.get("send_email") and email and email_normalize(email) in (bounced or ()):
            channels["send_email"] = False
            channels["send_letter"] = True
            warnings.append(
                self.env._(
                    "A reminder email to %(email)s bounced: a letter is sent instead until "
                    "the address of %(contact)s is fixed.",
                    email=email,
                    contact=contact.display_name,
                )
            )
        elif channels.get("send_email") and not email:
            channels["send_email"] = False
            channels["send_letter"] = True
            warnings.append(
                self.env._(
                    "%(contact)s has no email address: a letter is sent instead.",
                    contact=contact.display_name,
                )
            )
        if channels.get("send_sms") and not (contact.mobile or contact.phone):
            channels["send_sms"] = False
            channels["create_activity"] = True
            warnings.append(
                self.env._(
                    "%(contact)s has no mobile number: a call is scheduled instead of the SMS.",
                    contact=contact.display_name,
                )
            )
        if channels.get("send_letter") and not (
            contact._dunning_has_postal_address() or partner._dunning_has_postal_address()
        ):
            warnings.append(
                self.env._(
                    "%(contact)s has no postal address for the letter.",
                    contact=contact.display_name,
                )
            )
        if not any(channels.get(key) for key in CHANNELS):
            warnings.append(self.env._("No channel: nothing would be sent."))
        return channels, warnings

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
        today = fields.Date.context_today(self)
        locked = self._lock_invoices(
            [move_id for proposal in proposals for move_id in proposal["move_ids"]]
        )
        states = locked._get_dunning_states()
        levels = self.env["account.dunning.level"].browse(
            {proposal["level_id"] for proposal in proposals}
        )
        levels.fetch(["days", "plan_id"])
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
            vals, reason = engine._prepare_reminder_values(
                proposal, levels.browse(proposal["level_id"]), states, today
            )
            if vals:
                vals_list.append(vals)
            else:
                skipped.append((partner, reason))
        for proposal in proposals:
            if proposal.get("save_email") and proposal.get("contact_id"):
                contact = self.env["res.partner"].browse(proposal["contact_id"])
                if proposal.get("email") and contact.email != proposal["email"]:
                    # asked for in the workbench by a reminder user, who may
                    # not edit contacts otherwise: said on the contact
                    contact.check_access("read")
                    contact.sudo().email = proposal["email"]
                    contact.sudo().message_post(
                        body=self.env._(
                            "Email address set to %(email)s for the payment reminders.",
                            email=proposal["email"],
                        )
                    )
        quiet = self.with_context(**QUIET)
        reminders = quiet.env["account.dunning"].sudo().create(vals_list).with_env(quiet.env)
        quiet._subscribe_responsibles(reminders)
        quiet._send(reminders)
        return reminders.with_env(self.env), skipped

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
        """Lock the invoices about to be reminded so that two runs at once
        cannot remind them both; the ones another transaction holds are
        skipped (that transaction reminds them). Returns the open invoices
        locked."""
        if not move_ids:
            return self.env["account.move"]
        self.env["account.move"].flush_model(["dunning_level_id", "dunning_last_date"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM account_move WHERE id IN %s AND dunning_date_due IS NOT NULL "
                "FOR UPDATE SKIP LOCKED",
                tuple(move_ids),
            )
        )
        moves = self.env["account.move"].browse([row[0] for row in rows])
        moves.invalidate_recordset(["dunning_level_id", "dunning_last_date", "dunning_count"])
        return moves

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
        if purpose == "remind" and (advised_days is None or level.days > advised_days):
            # never above what the invoices call for; nothing left: say why
            reason = next(iter(refused.values()), "not_reached") if advised_days is None else ""
            return None, self._get_refusal_message(reason or "not_reached", {"earliest": earliest})
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
            days = (today - move.dunning_date_due).days
            lines.append(
                {
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
            )
        if not any(line["is_counted"] for line in lines):
            if lines and reason == "not_open":
                reason = "not_reached"
            return None, self._get_refusal_message(reason, {"earliest": earliest})
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

    # ------------------------------------------------------------------
    # Channels
    # ------------------------------------------------------------------

    @api.model
    def _send(self, reminders):
        """Carry out the channels of draft reminders.

        The letters are rendered by wkhtmltopdf in the background while the
        emails are made and the invoices updated; a reminder whose letter or
        email cannot be made fails, and its invoices keep their level. No
        wkhtmltopdf process outlives a failure."""
        reminders = reminders.filtered(lambda r: r.state == "draft")
        if not reminders:
            return
        jobs = []
        try:
            jobs, failed = self._send_letters(reminders)
            emails = (reminders - failed).filtered("send_email")
            failed |= self._send_emails(emails)
            done = reminders - failed
            self._update_invoices(done)
            while jobs:
                batch, job = jobs.pop(0)
                try:
                    self._store_letters(batch & done, job.wait())
                except Exception as error:
                    _logger.warning("Reminder letters could not be rendered: %s", error)
                    lost = batch & done
                    self._restore_invoices(lost)
                    lost.sudo().mail_id.write({"state": "cancel"})
                    self._mark_failed(
                        lost,
                        self.env._(
                            "The letter could not be rendered: %(error)s",
                            error=short_error(error),
                        ),
                    )
                    done -= lost
        finally:
            for _batch, job in jobs:
                job.cancel()
        self._schedule_activities(done.filtered("create_activity"))
        self._send_sms(done.filtered("send_sms"))
        done = done.sudo()
        done.filtered("send_letter").write({"letter_state": "to_post"})
        done.filtered("mail_id").write({"email_state": "queued"})
        done.write({"state": "sent"})
        done = done.with_env(self.env)
        self._log_on_documents(done)

    @api.model
    def _mark_failed(self, reminders, reason):
        reminders.sudo().write({"state": "failed", "failure_reason": reason})

    @api.model
    def _send_letters(self, reminders):
        """Start rendering the letters of the reminders sent by letter, and
        of those whose email carries it: a batch of letters per wkhtmltopdf
        run. Returns ([(reminders, job)] to wait for, the reminders whose
        letter could not even be started, marked failed)."""
        with_pdf = reminders.filtered(
            lambda r: r.send_letter or (r.send_email and r.level_id.attach_letter)
        )
        jobs = []
        try:
            with self.env.cr.savepoint():
                Report = self.env["ir.actions.report"]
                for batch in split_every(LETTER_BATCH_SIZE, with_pdf.ids, with_pdf.browse):
                    jobs.append(
                        (
                            batch,
                            Report._dunning_start_pdf_batch(
                                LETTER_REPORT, batch.ids, standalone=True
                            ),
                        )
                    )
        except Exception as error:
            # any rendering error fails these reminders, and only them
            for _batch, job in jobs:
                job.cancel()
            _logger.warning("Reminder letters could not be rendered: %s", error)
            self._mark_failed(
                with_pdf,
                self.env._("The letter could not be rendered: %(error)s", error=short_error(error)),
            )
            return [], with_pdf
        return jobs, reminders.browse()

    @api.model
    def _store_letters(self, reminders, pdfs):
        """Keep each letter on its reminder and attach it to its email."""
        if not reminders:
            return
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": reminder._get_letter_filename(),
                        "raw": pdfs[reminder.id],
                        "mimetype": "application/pdf",
                        "res_model": "account.dunning",
                        "res_id": reminder.id,
                    }
                    for reminder in reminders
                ]
            )
        )
        to_attach = {}
        for reminder, attachment in zip(reminders, attachments, strict=True):
            reminder.sudo().letter_attachment_id = attachment
            if reminder.mail_id and reminder.level_id.attach_letter:
                to_attach[reminder.mail_id] = attachment
        self._attach_to_emails(to_attach)

    @api.model
    def _attach_to_emails(self, attachments_by_mail):
        """Attach files to queued emails ({mail: attachments}) in one query,
        not one per email: the files are the reminder's own letter and its
        invoices' PDFs, which the user reads."""
        pairs = [
            (mail.sudo().mail_message_id.id, attachment_id)
            for mail, attachments in attachments_by_mail.items()
            for attachment_id in attachments.ids
        ]
        if not pairs:
            return
        insert_relation_pairs(
            self.env.cr, self.env["mail.message"]._fields["attachment_ids"], pairs
        )
        mails = self.env["mail.mail"].sudo().concat(*attachments_by_mail)
        mails.mail_message_id.invalidate_recordset(["attachment_ids"])
        mails.invalidate_recordset(["attachment_ids"])

    @api.model
    def _send_emails(self, reminders):
        """Queue the reminder emails from each level's template, with the
        letter and the invoices attached and the internal copy. Returns the
        reminders whose email could not be made (marked failed)."""
        failed = reminders.browse()
        if not reminders:
            return failed
        default_template = self.env.ref(
            "account_dunning.mail_template_dunning_level_1", raise_if_not_found=False
        )
        invoice_pdfs = reminders.filtered(
            lambda r: r.level_id.attach_invoices
        ).line_ids.move_id._get_dunning_invoice_pdfs()
        # the emails link to each invoice's portal page
        reminders.line_ids.move_id._dunning_ensure_access_tokens()
        for template, group in reminders.grouped(
            lambda r: r.level_id.mail_template_id or default_template
        ).items():
            try:
                with self.env.cr.savepoint():
                    mails = template.sudo().send_mail_batch(group.ids)
            except Exception:
                # isolate the reminders that fail, one by one
                mails = self.env["mail.mail"].sudo()
                for reminder in group:
                    try:
                        with self.env.cr.savepoint():
                            mails |= template.sudo().send_mail_batch(reminder.ids)
                    except Exception as error:
                        _logger.info("Reminder %s: email failed: %s", reminder.name, error)
                        self._mark_failed(
                            reminder,
                            self.env._(
                                "The email could not be made: %(error)s", error=short_error(error)
                            ),
                        )
                        failed |= reminder
            to_attach, copies = {}, defaultdict(list)
            for mail in mails:
                reminder = group.browse(mail.res_id)
                reminder.sudo().mail_id = mail
                if reminder.level_id.attach_invoices:  # the letter joins when rendered
                    to_attach[mail] = self.env["ir.attachment"].concat(
                        *(
                            invoice_pdfs.get(move.id, self.env["ir.attachment"])
                            for move in reminder.line_ids.move_id
                        )
                    )
                if reminder.level_id.attach_statement:
                    statement = self._make_statement(reminder)
                    to_attach[mail] = to_attach.get(mail, self.env["ir.attachment"]) | statement
                if reminder.company_id.dunning_internal_email:
                    copies[reminder.company_id.dunning_internal_email].append(mail.id)
            self._attach_to_emails(to_attach)
            for email, mail_ids in copies.items():
                self.env["mail.mail"].sudo().browse(mail_ids)._dunning_add_blind_copy(email)
        return failed

    @api.model
    def _make_statement(self, reminder):
        """The account statement for the email of ``reminder``; when it
        cannot be made, the email goes without it and the reminder says so."""
        try:
            with self.env.cr.savepoint():
                return reminder._make_statement_attachment()
        except Exception as error:
            _logger.info("Reminder %s: statement failed: %s", reminder.name, error)
            reminder.sudo().message_post(
                body=self.env._(
                    "The account statement could not be attached: %(error)s",
                    error=short_error(error),
                )
            )
            return self.env["ir.attachment"]

    @api.model
    def _schedule_activities(self, reminders):
        """A phone call or meeting to do, for the customer's reminder
        responsible (an active user, always)."""
        if not reminders:
            return
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for company, group in reminders.grouped("company_id").items():
            users = group.partner_id._get_dunning_responsibles(company)
            for reminder in group:
                reminder.sudo().activity_schedule(
                    activity_type_id=(reminder.level_id.activity_type_id or call_type).id,
                    summary=self.env._(
                        "%(level)s: contact %(customer)s",
                        level=reminder.level_id.name,
                        customer=reminder.partner_id.name,
                    ),
                    user_id=users[reminder.partner_id.id].id,
                    date_deadline=reminder.date,
                )

    @api.model
    def _send_sms(self, reminders):
        """The SMS of these reminders. Without SMS (the bridge addon
        ``account_dunning_sms`` sends them through Odoo's SMS when ``sms``
        is installed), a call to make for the responsible instead."""
        self._schedule_activities(reminders)

    @api.model
    def _log_on_documents(self, reminders):
        """A note on each invoice and on each customer, in one batch each:
        the history the invoice and the customer show."""
        move_bodies, partner_bodies = {}, defaultdict(list)
        for reminder in reminders:
            text = self.env._(
                "Reminder %(ref)s, %(level)s, %(channels)s",
                ref=reminder.name,
                level=reminder.level_id.name,
                channels=", ".join(reminder._get_channel_labels()),
            )
            if reminder.comment:
                text += f" — {reminder.comment}"
            body = Markup("<p>%s</p>") % text
            for move in reminder.line_ids.move_id:
                move_bodies[move.id] = body
            partner_bodies[reminder.partner_id.id].append(body)
        if move_bodies:
            moves = self.env["account.move"].browse(list(move_bodies)).sudo()
            moves._message_log_batch(bodies=move_bodies)
        if partner_bodies:
            partners = self.env["res.partner"].browse(list(partner_bodies)).sudo()
            partners._message_log_batch(
                bodies={pid: Markup("").join(bodies) for pid, bodies in partner_bodies.items()}
            )

    # ------------------------------------------------------------------
    # The invoices' levels
    # ------------------------------------------------------------------

    @api.model
    def _update_invoices(self, reminders):
        """Each counted invoice of the reminders gets its new level, the
        reminder's date and one more reminder."""
        self.env["account.move"]._dunning_write_reminder_state(
            [
                (line.move_id.id, line.new_level_id.id, reminder.date, line.previous_count + 1)
                for reminder in reminders
                for line in reminder.line_ids
                if line.is_counted
            ]
        )

    @api.model
    def _restore_invoices(self, reminders):
        """Give the invoices of these reminders back the level, date and
        count they had before, where the reminder is still their last one."""
        updates = []
        for reminder in reminders:
            for line in reminder.line_ids.filtered("is_counted"):
                move = line.move_id
                if (
                    move.dunning_level_id == line.new_level_id
                    and move.dunning_last_date == reminder.date
                    and move.dunning_count == line.previous_count + 1
                ):
                    updates.append(
                        (
                            move.id,
                            line.previous_level_id.id,
                            line.previous_date,
                            line.previous_count,
                        )
                    )
        self.env["account.move"]._dunning_write_reminder_state(updates)

    # ------------------------------------------------------------------
    # Lifecycle: failures, cancel, post
    # ------------------------------------------------------------------

    @api.model
    def _on_email_failure(self, reminders, reason, bounced=False):
        """The mail queue could not deliver (or the email bounced). When
        nothing else of the reminder went out, it failed and its invoices go
        back to where they were; when a letter, a call or an SMS went out
        too, the reminder stands and says its email failed."""
        reminders = reminders.sudo()
        reminders.write({"email_state": "bounced" if bounced else "failed"})
        sent = reminders.filtered(lambda r: r.state == "sent")
        alone = sent.filtered(lambda r: not (r.send_letter or r.create_activity or r.send_sms))
        self._restore_invoices(alone)
        message = self.env._("The email could not be delivered: %(reason)s", reason=reason)
        self._mark_failed(alone, message)
        for reminder in sent:
            if reminder in alone:
                reminder.message_post(body=message)
            else:
                reminder.message_post(
                    body=self.env._(
                        "%(message)s The reminder stands: its other channels went out.",
                        message=message,
                    )
                )

    @api.model
    def _on_email_bounce(self, reminders, email):
        """A reminder email bounced (Odoo's bounce handling): the email
        failed (``_on_email_failure``), the customer's reminder responsible
        gets an activity to fix the address, and the next reminders to that
        address go by letter until it changes (``_check_channels``)."""
        reminders = reminders.sudo().filtered(lambda r: r.send_email and r.email_state != "bounced")
        if not reminders:
            return
        self._on_email_failure(
            reminders, self.env._("%(email)s bounced", email=email or ""), bounced=True
        )
        for company in reminders.company_id:
            ours = reminders.filtered(lambda r, company=company: r.company_id == company)
            responsibles = ours.partner_id._get_dunning_responsibles(company)
            for reminder in ours:
                user = responsibles[reminder.partner_id.id]
                if not user:
                    continue
                env = self.with_context(lang=user.lang).env
                reminder.partner_id.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._(
                        "Fix the email address of %(contact)s",
                        contact=reminder.contact_id.display_name,
                    ),
                    note=env._(
                        "The reminder %(reminder)s to %(email)s bounced. Until the address "
                        "changes, reminders go by letter.",
                        reminder=reminder.name,
                        email=reminder.email,
                    ),
                )

    @api.model
    def _cancel_reminders(self, reminders):
        """Cancel reminders: the queued email is cancelled, the letter
        withdrawn from the post, the activities removed and the invoices get
        their previous level back. What already reached the customer is
        said on the reminder."""
        if reminders.filtered(lambda r: r.state == "cancel"):
            raise UserError(self.env._("This reminder is already cancelled."))
        reminders.check_access("write")
        reminders = reminders.sudo()
        self._restore_invoices(reminders.filtered(lambda r: r.state == "sent"))
        for reminder in reminders:
            notes = [self.env._("Reminder cancelled: the invoices got their previous level back.")]
            mail = reminder.mail_id
            if mail and mail.state in ("outgoing", "exception"):
                mail.write({"state": "cancel"})
                reminder.email_state = "cancel"
                notes.append(self.env._("Its email was withdrawn from the outgoing queue."))
            elif mail or reminder.email_state == "sent":
                notes.append(self.env._("Its email had already been sent."))
            if reminder.letter_state == "to_post":
                reminder.letter_state = "cancel"
                notes.append(self.env._("Its letter was withdrawn from the letters to post."))
            elif reminder.letter_state == "posted":
                notes.append(self.env._("Its letter had already been posted."))
            reminder.activity_ids.unlink()
            reminder.message_post(body=Markup("<br/>").join(notes))
        reminders.write({"state": "cancel"})
        self._log_cancel_on_invoices(reminders)

    @api.model
    def _log_cancel_on_invoices(self, reminders):
        """The invoices' history says the reminder was cancelled and which
        level they are back to, in one batch."""
        bodies = {}
        for reminder in reminders:
            for line in reminder.line_ids.filtered("is_counted"):
                bodies[line.move_id.id] = Markup("<p>%s</p>") % self.env._(
                    "Reminder %(ref)s cancelled: back to %(level)s.",
                    ref=reminder.name,
                    level=line.previous_level_id.name or self.env._("no reminder level"),
                )
        if bodies:
            moves = self.env["account.move"].browse(list(bodies)).sudo()
            moves._message_log_batch(bodies=bodies)

    @api.model
    def _mark_letters_posted(self, reminders):
        """The letters of these reminders went into the post."""
        reminders.check_access("write")
        to_post = reminders.filtered(lambda r: r.letter_state == "to_post")
        if not to_post:
            raise UserError(
                self.env._("None of these reminders has a letter waiting for the post.")
            )
        to_post.sudo().write(
            {"letter_state": "posted", "letter_posted_date": fields.Date.context_today(self)}
        )
