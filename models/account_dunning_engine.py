# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, float_compare, format_date

from .account_dunning_channel import LETTER_BATCH_SIZE  # noqa: F401 (its old home)
from .account_dunning_channel_mixin import CHANNELS

_logger = logging.getLogger(__name__)

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
# the purposes each check of ``_get_refusal_by_purpose`` concerns
CONCERNED = {
    reason: frozenset(
        purpose for purpose in PURPOSES if not (purpose == "call" and reason in CALL_ALLOWED)
    )
    for reason in (
        "litigation",
        "blocked_customer",
        "blocked_invoice",
        "disputed",
        "promised",
        "direct_debit",
        "below_minimum",
        "interval",
    )
}
# {the checks that hold, in order: {purpose: reason}}, see
# ``_get_refusal_by_purpose`` (a few entries: one per combination met)
_REFUSALS_BY_REASONS = {}


class AccountDunningEngine(models.AbstractModel):
    """The reminder engine: every rule of who may be reminded, how reminders
    are grouped, created, carried out by each channel and undone.

    Every path comes here: the workbench and the quick buttons
    (``account.dunning.wizard``), logged calls (``account.dunning.call.wizard``)
    and the daily job (``account.dunning.job``). Each fact is decided by
    one method, which every screen, report, letter, SQL view and job calls
    (or reads a stored field it fills):

    - "today" for a company: ``_get_today`` (its time zone:
      ``_get_company_tz``);
    - the plan in use: ``res.partner._get_dunning_plan``, stored on each
      invoice (``account.move.dunning_plan_id``), which the partner form
      and Customer Accounts read;
    - the advised level and the next reminder date:
      ``account.move._get_dunning_state`` (on the plan's steps:
      ``account.dunning.plan._get_advised_step``, ``_get_step_after``),
      shown by the worklist and Customer Accounts;
    - why an invoice may not be reminded, for a reminder or a call:
      ``_get_refusal`` (each state holds one reason per purpose,
      ``_get_refusals`` reads them); a promise's pause:
      ``account.dunning.promise._get_paused_until``; why a customer's
      statement may not be emailed: ``_get_statement_refusals``; what the
      daily job leaves to a human after a cancel: ``_get_cancelled_levels``;
    - the aging bucket: ``account_dunning_aging._get_aging_bucket`` (in SQL
      beside it: ``_bucket_sql``);
    - the reminder responsible: ``res.partner._get_dunning_responsibles``
      (in SQL beside it: ``_get_dunning_responsible_sql``).

    Each rule is one method a later module can override:

    - the level an invoice gets from a reminder: ``_get_line_level`` (the
      levels a user may pick are the plan's: ``_get_allowed_steps``);
    - grouping into one reminder per customer and currency:
      ``_prepare_proposals``;
    - the contact: ``_check_contact``;
    - making the reminders, in models/account_dunning_engine_send.py: who
      is being reminded right now, so that nobody is reminded twice:
      ``_guard_customers`` (advisory locks: no user waits for a batch);
      each reminder's values: ``_prepare_reminder_values``;
    - carrying out the channels: ``_send``, which calls one method per
      channel of ``account.dunning.channel`` (``_check_channels``,
      ``_send_letters``, ``_send_emails``, ``_send_sms``,
      ``_schedule_activities``), which bridges extend;
    - what a failure, a bounce or a cancel undoes: on the reminder itself
      (``account.dunning._on_channel_failure``, ``_on_email_bounce``,
      ``_cancel_reminders``).
    """

    _name = "account.dunning.engine"
    _description = "Payment Reminder Engine"

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _get_company_tz(self, company):
        """The time zone whose day is ``company``'s "today": its own
        address's, else the one the user works in, else UTC."""
        return company.partner_id.tz or self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.model
    def _get_today(self, company=None):
        """THE "today" of ``company`` (the current one by default) for
        everything about its reminders: the advised levels, the next dates,
        the reminders' date, the aging and Customer Accounts. The company's
        day in its time zone (``_get_company_tz``), not the database's."""
        company = company or self.env.company
        return fields.Date.context_today(self.with_context(tz=self._get_company_tz(company)))

    @api.model
    def _get_todays(self, companies):
        """{company id: its today (``_get_today``)} of ``companies``."""
        return {company.id: self._get_today(company) for company in companies}

    @api.model
    def _get_refusal(self, values, company, today, earliest=False, purpose="remind"):
        """Why an invoice may not be reminded now for ``purpose``, or False:
        the reason ``_get_refusal_by_purpose`` gives for it."""
        return self._get_refusal_by_purpose(values, company, today, earliest)[purpose]

    @api.model
    def _get_refusal_by_purpose(self, values, company, today, earliest=False):
        """{purpose: why an invoice may not be reminded now, or False}: THE rule every
        path applies (the worklist's "to remind", the workbench, the quick
        buttons, logged calls, the daily job). The reminder state of each
        invoice holds the reason for each purpose (``PURPOSES``), computed
        here from its values.

        ``values`` are the invoice's plain values (``litigation``: the
        customer is in litigation in the invoice's company, ``blocked_partner``,
        ``blocked``, ``disputed``, ``promise_date``, ``direct_debit``,
        ``residual``), ``company`` the company's settings (``min_amount``,
        ``rounding``, ``exclude_direct_debit``, ``promise_grace_days``),
        ``earliest`` the first day the customer may be reminded again. A
        logged call is a fact, not a message: the minimum interval, a
        dispute or a promise do not hold for it (``CALL_ALLOWED``), every
        other rule does."""
        get = values.get
        # each check once, in this order (the first that holds for a purpose
        # is its reason); plain tests, not a tuple of pairs: the workbench
        # asks for hundreds of thousands of invoices at a time
        held = []
        if get("litigation"):
            # the customer's lawyer, court or agency speaks to it now: no
            # reminder, no call, on any path (account.dunning.litigation)
            held.append("litigation")
        if get("blocked_partner"):
            held.append("blocked_customer")
        if get("blocked"):
            held.append("blocked_invoice")
        if get("disputed"):
            held.append("disputed")
        promise_date = get("promise_date")
        if promise_date and today < self.env["account.dunning.promise"]._get_resume_date(
            promise_date, company.get("promise_grace_days")
        ):
            held.append("promised")
        if company["exclude_direct_debit"] and get("direct_debit"):
            held.append("direct_debit")
        residual = get("residual") or 0.0
        # float_compare only near the minimum
        if (
            residual < company["min_amount"]
            and float_compare(
                residual, company["min_amount"], precision_rounding=company["rounding"]
            )
            < 0
        ):
            held.append("below_minimum")
        if earliest and earliest > today:
            held.append("interval")
        # the reasons that hold are the same few combinations for hundreds of
        # thousands of invoices: each combination's answer is worked out once
        # (a copy is returned: the caller owns its dict)
        held = tuple(held)
        refusals = _REFUSALS_BY_REASONS.get(held)
        if refusals is None:
            refusals = dict.fromkeys(PURPOSES, False)
            pending = frozenset(PURPOSES)
            for reason in held:
                for purpose in pending & CONCERNED[reason]:
                    refusals[purpose] = reason
                pending -= CONCERNED[reason]
            _REFUSALS_BY_REASONS[held] = refusals
        return dict(refusals)

    @api.model
    def _get_refusal_message(self, reason, state=None, short=False):
        """The reason of ``_get_refusal`` in the user's words (only that one
        is translated: the worklist asks for hundreds at a time); ``short``
        for a list's column, where the next date has its own column."""
        if short:
            labels = {
                "litigation": lambda: (
                    self.env._(
                        "In litigation (%(road)s)",
                        road=self._get_litigation_road_label(state["litigation_road"]),
                    )
                    if (state or {}).get("litigation_road")
                    else self.env._("In litigation")
                ),
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
                "no_email": lambda: self.env._("No email address"),
                "bounced": lambda: self.env._("Email bounced"),
            }
            return labels[reason]() if reason in labels else reason
        messages = {
            "litigation": lambda: (
                self.env._(
                    "The customer is in litigation (%(road)s): no reminder is sent.",
                    road=self._get_litigation_road_label(state["litigation_road"]),
                )
                if (state or {}).get("litigation_road")
                else self.env._("The customer is in litigation: no reminder is sent.")
            ),
            "blocked_customer": lambda: self.env._("The customer is marked Do Not Remind."),
            "blocked_invoice": lambda: self.env._("The invoice is marked Do Not Remind."),
            "disputed": lambda: self.env._(
                "The invoice is disputed: it is not reminded until the dispute is resolved."
            ),
            "promised": lambda: self.env._(
                "The customer promised to pay by %(date)s: no reminder before %(resume)s.",
                date=format_date(self.env, (state or {}).get("promise_date")) or "",
                resume=format_date(self.env, (state or {}).get("promise_resume")) or "",
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
            "no_email": lambda: self.env._("The reminder contact has no email address."),
            "bounced": lambda: self.env._(
                "An email to the reminder contact bounced: fix the address first."
            ),
        }
        return messages[reason]() if reason in messages else reason

    @api.model
    def _get_litigation_road_label(self, road):
        """The road of a litigation (``LITIGATION_ROADS``) in the user's words."""
        Litigation = self.env["account.dunning.litigation"]
        return dict(Litigation._fields["road"]._description_selection(self.env)).get(road, "")

    @api.model
    def _get_refusals(self, moves, states=None, purpose="remind"):
        """{invoice id: reason} of the invoices of ``moves`` that may not be
        reminded now, for ``purpose``: the reason ``_get_refusal`` gave for
        that purpose (each invoice's state holds one per purpose)."""
        if states is None:
            states = moves._get_dunning_states()
        refusals = {}
        none = {}
        for move_id in moves.ids:
            state = states.get(move_id)
            if not state:
                refusals[move_id] = "not_open"
                continue
            reason = (state.get("refusals") or none).get(purpose, state["refusal"])
            if reason:
                refusals[move_id] = reason
        return refusals

    @api.model
    def _get_statement_refusals(self, customers, contacts=None):
        """{customer id: reason} of the ``customers`` (commercial partners)
        whose statement may not be sent by email: in litigation in the
        current company (``litigation``: its lawyer, court or agency speaks
        to it now), marked Do Not Remind (``blocked_customer``), no address
        to send it to (``no_email``), an address a reminder email bounced
        from (``bounced``): THE rule of the
        statements sent in mass. ``contacts``: {customer id: contact} as
        ``res.partner._get_dunning_contacts`` gives them. Printing them
        stays possible: it sends nothing."""
        if contacts is None:
            contacts = customers._get_dunning_contacts()
        bounced = self.env["res.partner"]._get_dunning_bounced_emails(
            [contact.email for contact in contacts.values() if contact.email]
        )
        refusals = {}
        for customer in customers:
            email = email_normalize(contacts[customer.id].email or "")
            if customer.with_company(self.env.company).dunning_litigation:
                refusals[customer.id] = "litigation"
            elif customer.dunning_blocked:
                refusals[customer.id] = "blocked_customer"
            elif not email:
                refusals[customer.id] = "no_email"
            elif email in bounced:
                refusals[customer.id] = "bounced"
        return refusals

    @api.model
    def _get_cancelled_levels(self, move_ids):
        """{(invoice id, level id)} of the levels a user cancelled for the
        invoices ``move_ids`` in the current company: a cancel is a "no" for
        the invoices of that reminder at that level, so that the daily job
        does not send that level again to them on its own (a human may,
        from the workbench). The customer's other invoices, and the next
        level of these, go out as usual."""
        if not move_ids:
            return set()
        lines = self.env["account.dunning.line"].search_fetch(
            [
                ("dunning_id.state", "=", "cancel"),
                ("company_id", "=", self.env.company.id),
                ("move_id", "in", list(set(move_ids))),
                ("is_counted", "=", True),
            ],
            ["move_id", "new_level_id"],
        )
        return {(line.move_id.id, line.new_level_id.id) for line in lines if line.new_level_id}

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
        # one pass over the invoices (hundreds of thousands for a workbench):
        # their groups, and the groups where one reached a level
        groups = defaultdict(list)
        reached = set()
        for move_id in moves.ids:
            state = states.get(move_id)
            if state and move_id not in refused:
                key = (state["company_id"], state["partner_id"], state["currency_id"])
                groups[key].append((move_id, state))
                if state["advised_level_id"]:
                    reached.add(key)
        # a customer is reminded when one of its invoices reached a level;
        # its invoices not yet at any level go along, listed as coming due
        groups = {key: group for key, group in groups.items() if key in reached}
        if not groups:
            return []
        Level = self.env["account.dunning.level"]
        level_ids = set()
        for group in groups.values():
            level_ids.update(state["advised_level_id"] for _move_id, state in group)
            level_ids.update(state["last_level_id"] for _move_id, state in group)
        level_ids.discard(False)
        level_ids.discard(None)
        levels = Level.browse(level_ids)
        levels.fetch(["plan_id", "days", *CHANNELS])
        ladders = levels.plan_id._get_ladders()
        # read once per level, not once per customer (tens of thousands)
        level_info = {level.id: (level.plan_id.id, level.days) for level in levels}
        level_channels = {}
        contacts = (
            self.env["res.partner"].browse({key[1] for key in groups})._get_dunning_contacts()
        )
        # each contact's id and email read once for all (tens of thousands of
        # customers: a field read per record is ten microseconds)
        contact_ids = {partner_id: contact.id for partner_id, contact in contacts.items()}
        contact_records = self.env["res.partner"].browse(set(contact_ids.values()))
        emails = dict(zip(contact_records.ids, contact_records.mapped("email"), strict=True))
        Plan = self.env["account.dunning.plan"]
        proposals = []
        for (company_id, partner_id, currency_id), group in groups.items():
            advised_id = max(
                (s["advised_days"], s["advised_level_id"])
                for _move_id, s in group
                if s["advised_level_id"]
            )[1]
            plan_id, advised_days = level_info[advised_id]
            floor = max(
                (
                    level_info[level_id][1]
                    for level_id in {s["last_level_id"] for _id, s in group} - {False}
                    if level_info[level_id][0] == plan_id
                ),
                default=None,
            )
            contact_id = contact_ids[partner_id]
            if not channels and advised_id not in level_channels:
                level_channels[advised_id] = Level.browse(advised_id)._get_channels()
            proposals.append(
                {
                    "company_id": company_id,
                    "partner_id": partner_id,
                    "currency_id": currency_id,
                    "move_ids": [move_id for move_id, _state in group],
                    "level_id": advised_id,
                    "allowed_level_ids": Plan._get_allowed_steps(
                        ladders[plan_id][0], floor, advised_days
                    ),
                    "contact_id": contact_id,
                    "email": emails[contact_id] or False,
                    **(channels or level_channels[advised_id]),
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
        """Channels that cannot work, replaced by ones that can (see
        ``account.dunning.channel._check_channels``)."""
        return self.env["account.dunning.channel"]._check_channels(
            partner, level, channels, contact=contact, email=email
        )
