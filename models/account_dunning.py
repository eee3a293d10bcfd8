# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import logging
import re
import threading
import zipfile
from collections import defaultdict

import babel.dates
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, babel_locale_parse, get_lang, posix_to_ldml, split_every
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

LETTER_REPORT = "account_dunning.action_report_dunning_letter"
# Letters per wkhtmltopdf run: large enough to save the start-up of the
# program, small enough to keep its memory bounded.
LETTER_BATCH_SIZE = 100
# Customers per committed batch of the daily job.
CRON_BATCH_SIZE = 50
# Marks the invoice PDFs rendered for reminders, to reuse them next time.
INVOICE_PDF_TAG = "account_dunning: invoice PDF"
CHANNELS = ("send_email", "send_letter", "send_sms", "create_activity")
CALL_OUTCOMES = [
    ("promised", "Promised to pay"),
    ("disputed", "Disputes the invoice"),
    ("paid", "Says it is paid"),
    ("no_answer", "No answer"),
    ("other", "Other"),
]


def insert_relation_pairs(cr, field, pairs):
    """Link records through the many2many ``field`` in one query: ``pairs``
    of (record id, linked id). For thousands of links the ORM would write
    them record by record; the caller invalidates what it reads next."""
    if pairs:
        cr.execute(
            SQL(
                "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[]) "
                "ON CONFLICT DO NOTHING",
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )
        )


def _short_error(error):
    """The line of an error that says what went wrong, for the user."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if re.match(r"^\w+(Error|Exception): ", line):
            return line[:300]
    return (lines[0] if lines else repr(error))[:300]


class AccountDunning(models.Model):
    """One reminder sent to one customer, at one level, in one currency."""

    _name = "account.dunning"
    _description = "Payment Reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        help="Who the reminder is addressed to.",
    )
    email = fields.Char(string="Email Address", help="The address the email went to.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    level_id = fields.Many2one(
        "account.dunning.level",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    plan_id = fields.Many2one(related="level_id.plan_id", store=True)
    send_email = fields.Boolean(string="Email")
    send_letter = fields.Boolean(string="Letter")
    send_sms = fields.Boolean(string="SMS")
    create_activity = fields.Boolean(string="Phone Call / Meeting")
    call_outcome = fields.Selection(
        CALL_OUTCOMES,
        help="For a logged phone call: what the customer answered.",
    )
    promise_date = fields.Date(
        string="Promised Payment Date",
        help="The date the customer promised to pay by.",
    )
    letter_kind = fields.Selection(related="level_id.letter_kind")
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sent By",
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "account.dunning.line",
        "dunning_id",
        string="Invoices",
        copy=False,
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Reminded Invoices",
        compute="_compute_move_ids",
    )
    amount_due = fields.Monetary(
        compute="_compute_amount_due",
        store=True,
        help="Sum of the amounts due of the reminded invoices when the reminder was made.",
    )
    reminder_count = fields.Integer(
        string="Reminder Number",
        compute="_compute_reminder_history",
        help="How many reminders these invoices have had, this one included.",
    )
    previous_date = fields.Date(
        string="Previous Reminder",
        compute="_compute_reminder_history",
    )
    comment = fields.Text()
    letter_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Letter PDF",
        copy=False,
        readonly=True,
    )
    mail_id = fields.Many2one("mail.mail", string="Reminder Email", copy=False, readonly=True)
    mail_state = fields.Selection(related="mail_id.state", string="Email Status")
    failure_reason = fields.Text(copy=False, readonly=True)

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for dunning in self:
            dunning.move_ids = dunning.line_ids.move_id

    @api.depends("line_ids.amount_residual")
    def _compute_amount_due(self):
        for dunning in self:
            dunning.amount_due = sum(dunning.line_ids.mapped("amount_residual"))

    @api.depends("line_ids.previous_count", "line_ids.previous_date")
    def _compute_reminder_history(self):
        for dunning in self:
            lines = dunning.line_ids
            dunning.reminder_count = max(lines.mapped("previous_count") or [0]) + 1
            dunning.previous_date = max(
                (d for d in lines.mapped("previous_date") if d), default=False
            )

    @api.model_create_multi
    def create(self, vals_list):
        sequences = {}
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company_id = vals.get("company_id") or self.env.company.id
                if company_id not in sequences:
                    sequences[company_id] = self._get_reference_sequence(company_id)
                sequence = sequences[company_id]
                vals["name"] = sequence._next(sequence_date=vals.get("date")) if sequence else "/"
        return super().create(vals_list)

    @api.model
    def _get_reference_sequence(self, company_id):
        """The sequence that numbers the reminders of a company (looked up
        once per batch of reminders, not once per reminder)."""
        self.env["ir.sequence"].browse().check_access("read")
        return (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "account.dunning"), ("company_id", "in", [company_id, False])],
                order="company_id",
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # The entry point: create and send reminders
    # ------------------------------------------------------------------

    @api.model
    def _create_reminders(self, proposals):
        """Create one reminder per proposal and carry out its channels.

        The workbench and the daily job both come here. A proposal is a
        dict with ``partner_id``, ``currency_id``, ``company_id``,
        ``level_id``, ``move_ids``, the channels (``send_email``,
        ``send_letter``, ``send_sms``, ``create_activity``) and optionally
        ``contact_id``, ``comment``, ``call_outcome``, ``promise_date``.

        Invoices already reminded today at this level or above are left
        out, so that creating the same reminders twice reminds nobody
        twice; a proposal left with no invoice creates nothing.
        Returns the reminders created, sent or failed.
        """
        vals_list = []
        today = fields.Date.context_today(self)
        locked = self._lock_invoices(
            [move_id for proposal in proposals for move_id in proposal["move_ids"]]
        )
        levels = self.env["account.dunning.level"].browse(
            {proposal["level_id"] for proposal in proposals}
        )
        self._prefetch_proposals(proposals, locked)
        locked_ids = set(locked.ids)
        for proposal in proposals:
            level = levels.browse(proposal["level_id"])
            moves = locked.browse(
                [mid for mid in proposal["move_ids"] if mid in locked_ids]
            ).with_prefetch(locked._prefetch_ids)
            moves = moves.filtered(
                lambda m, level=level: not (
                    m.dunning_last_date == today
                    and m.dunning_level_id
                    and m.dunning_level_id.days >= level.days
                )
            )
            if moves:
                vals_list.append(self._prepare_reminder_values(proposal, moves, today))
        # the notes below say what happened: no "created" log, no tracking,
        # no follower for each of thousands of reminders
        quiet = {
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "tracking_disable": True,
        }
        reminders = self.with_context(**quiet).create(vals_list)
        reminders._send()
        return reminders.with_env(self.env)

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
            ]
        )
        Partner = self.env["res.partner"]
        chosen = [proposal for proposal in proposals if proposal.get("contact_id")]
        contacts = Partner.browse({proposal["contact_id"] for proposal in chosen})
        # the customers without a chosen contact get theirs in one search
        unchosen = {proposal["partner_id"] for proposal in proposals} - {
            proposal["partner_id"] for proposal in chosen
        }
        partners = Partner.browse({proposal["partner_id"] for proposal in proposals})
        contacts |= Partner.browse(unchosen).dunning_contact_id
        (partners | contacts).fetch(["name", "email", "mobile", "phone", "street", "city"])

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
    def _prepare_reminder_values(self, proposal, moves, today):
        """Values of one reminder, with a line per invoice as it stands now."""
        partner = self.env["res.partner"].browse(proposal["partner_id"])
        contact = self.env["res.partner"].browse(
            proposal.get("contact_id") or partner.dunning_contact_id.id
        )
        level = self.env["account.dunning.level"].browse(proposal["level_id"])
        channels, _warnings = self._check_channels(
            partner, level, {key: proposal.get(key, False) for key in CHANNELS}, contact=contact
        )
        return {
            "partner_id": partner.id,
            "contact_id": contact.id,
            "email": contact.email or False,
            "company_id": proposal.get("company_id") or moves.company_id[:1].id,
            "currency_id": proposal.get("currency_id") or moves.currency_id[:1].id,
            "level_id": proposal["level_id"],
            **channels,
            "call_outcome": proposal.get("call_outcome", False),
            "promise_date": proposal.get("promise_date", False),
            "comment": proposal.get("comment", False),
            "date": today,
            "line_ids": [
                fields.Command.create(
                    {
                        "move_id": move.id,
                        "date_due": move.dunning_date_due,
                        "days_overdue": (today - move.dunning_date_due).days
                        if move.dunning_date_due
                        else 0,
                        "amount_total": move.amount_total,
                        "amount_residual": move.amount_residual,
                        "previous_level_id": move.dunning_level_id.id,
                        "previous_date": move.dunning_last_date,
                        "previous_count": move.dunning_count,
                    }
                )
                for move in moves.sorted(lambda m: (m.dunning_date_due, m.id))
            ],
        }

    @api.model
    def _prepare_proposals(self, moves, channels=None, states=None):
        """Group invoices into reminder proposals: one per company,
        customer and currency, at the highest level advised for them. Each
        proposal says which levels the user may pick instead: from the last
        level sent up to the advised one. ``channels`` (a dict of channel
        booleans) replaces the level's channels, for a quick reminder by
        one channel. Invoices without an advised level are left out.
        ``states`` are the invoices' reminder states when the caller has
        them already. A handful of queries for any number of invoices."""
        if states is None:
            states = moves._get_dunning_states()
        groups = defaultdict(list)
        for move_id in moves.ids:
            state = states.get(move_id)
            if state and state["advised_level_id"]:
                key = (state["company_id"], state["partner_id"], state["currency_id"])
                groups[key].append(state | {"move_id": move_id})
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
        levels.fetch(
            ["plan_id", "days", "send_email", "send_letter", "send_sms", "create_activity"]
        )
        ladders = levels.plan_id._get_ladders()
        contacts = (
            self.env["res.partner"].browse({key[1] for key in groups})._get_dunning_contacts()
        )
        proposals = []
        for (company_id, partner_id, currency_id), group in groups.items():
            advised = Level.browse(
                max((s["advised_days"], s["advised_level_id"]) for s in group)[1]
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
            allowed = [
                level_id
                for days, level_id in ladders[plan.id][0]
                if (floor is None or days >= floor) and days <= advised.days
            ]
            proposals.append(
                {
                    "company_id": company_id,
                    "partner_id": partner_id,
                    "currency_id": currency_id,
                    "move_ids": [s["move_id"] for s in group],
                    "level_id": advised.id,
                    "allowed_level_ids": allowed,
                    "contact_id": contacts[partner_id].id,
                    **(channels or advised._get_channels()),
                }
            )
        return proposals

    @api.model
    def _check_channels(self, partner, level, channels, contact=None):
        """The controls of the workbench (seed: "Contrôles"): a channel
        that cannot work is replaced by one that can. Returns the channels
        to use and the warnings to show, in the user's language."""
        contact = contact or partner.dunning_contact_id
        channels = dict(channels)
        warnings = []
        if channels.get("send_email") and not contact.email:
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
            contact.street or contact.city or partner.street or partner.city
        ):
            warnings.append(
                self.env._(
                    "%(contact)s has no postal address for the letter.",
                    contact=contact.display_name,
                )
            )
        if not any(
            channels.get(key)
            for key in ("send_email", "send_letter", "send_sms", "create_activity")
        ):
            warnings.append(self.env._("No channel: nothing would be sent."))
        return channels, warnings

    def _send(self):
        """Carry out the channels of draft reminders.

        The letters are rendered by wkhtmltopdf in the background while the
        emails are made and the invoices updated; a reminder whose letter or
        email cannot be made fails, and its invoices keep their level."""
        reminders = self.filtered(lambda r: r.state == "draft")
        if not reminders:
            return
        failed = self.browse()
        with_pdf = reminders.filtered(
            lambda r: r.send_letter or (r.send_email and r.level_id.attach_letter)
        )
        jobs = []
        try:
            with self.env.cr.savepoint():
                jobs = with_pdf._start_letters()
        except Exception as error:
            # any rendering error fails these reminders, and only them
            _logger.warning("Reminder letters could not be rendered: %s", error)
            with_pdf._mark_failed(
                self.env._("The letter could not be rendered: %(error)s", error=_short_error(error))
            )
            failed |= with_pdf
        emails = (reminders - failed).filtered("send_email")
        failed |= emails._send_emails()
        done = reminders - failed
        done._update_invoices()
        for batch, job in jobs:
            try:
                (batch & done)._store_letters(job.wait())
            except Exception as error:
                _logger.warning("Reminder letters could not be rendered: %s", error)
                lost = batch & done
                lost._restore_invoices()
                lost.mail_id.sudo().write({"state": "cancel"})
                lost._mark_failed(
                    self.env._(
                        "The letter could not be rendered: %(error)s", error=_short_error(error)
                    )
                )
                done -= lost
        done.filtered("create_activity")._schedule_activities()
        done.filtered("send_sms")._send_sms()
        done.write({"state": "sent"})
        done._log_on_documents()

    def _start_letters(self):
        """Start rendering the letters, a batch of letters per wkhtmltopdf
        run; returns [(reminders, job)] to wait for."""
        Report = self.env["ir.actions.report"]
        return [
            (batch, Report._dunning_start_pdf_batch(LETTER_REPORT, batch.ids, standalone=True))
            for batch in split_every(LETTER_BATCH_SIZE, self.ids, self.browse)
        ]

    def _store_letters(self, pdfs):
        """Keep each letter on its reminder and attach it to its email."""
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": reminder._get_letter_filename(),
                    "raw": pdfs[reminder.id],
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": reminder.id,
                }
                for reminder in self
            ]
        )
        to_attach = {}
        for reminder, attachment in zip(self, attachments, strict=True):
            reminder.letter_attachment_id = attachment
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
        self.env["ir.attachment"].browse({pair[1] for pair in pairs}).check("read")
        insert_relation_pairs(
            self.env.cr, self.env["mail.message"]._fields["attachment_ids"], pairs
        )
        mails = self.env["mail.mail"].sudo().concat(*attachments_by_mail)
        mails.mail_message_id.invalidate_recordset(["attachment_ids"])
        mails.invalidate_recordset(["attachment_ids"])

    def _get_invoice_rows(self, lang=None, links=False):
        """The reminded invoices as the letter and the emails show them,
        formatted in ``lang`` (else the language of the context); with
        ``links``, each with the address to view and pay it online.
        Prepared here so that the templates only lay them out."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        date_text, amount_text = self._get_formatters(env, self.currency_id)
        if links:
            self.line_ids.move_id._dunning_ensure_access_tokens()
        base_url = self.get_base_url()
        return [
            {
                "number": line.move_id.name,
                "reference": line.move_id.ref or "",
                "invoice_date": date_text(line.move_id.invoice_date),
                "date_due": date_text(line.date_due),
                "days_overdue": line.days_overdue,
                "amount_total": amount_text(line.amount_total),
                "amount_residual": amount_text(line.amount_residual),
                "url": base_url + line.move_id.get_portal_url() if links else "",
            }
            for line in self.line_ids
        ]

    @api.model
    def _get_formatters(self, env, currency):
        """Two functions that write a date and an amount in ``currency`` as
        Odoo's ``format_date`` and ``format_amount`` do in the language of
        ``env``, with the language looked up once rather than per value."""
        lang = get_lang(env)
        locale = babel_locale_parse(lang.code)
        date_pattern = posix_to_ldml(lang.date_format, locale=locale)
        lang_record = env["res.lang"].browse(lang.id)
        number_pattern = f"%.{currency.decimal_places}f"
        symbol = currency.symbol or ""
        before = currency.position == "before"

        def date_text(value):
            return (
                babel.dates.format_date(value, format=date_pattern, locale=locale) if value else ""
            )

        def amount_text(amount):
            number = (
                lang_record.format(number_pattern, currency.round(amount), grouping=True)
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            if before:
                return f"{symbol}\N{NO-BREAK SPACE}{number}"
            return f"{number}\N{NO-BREAK SPACE}{symbol}"

        return date_text, amount_text

    def _get_letter_filename(self):
        self.ensure_one()
        return f"{self.name} - {self.partner_id.name}.pdf".replace("/", "-")

    def _send_emails(self):
        """Queue the reminder emails from each level's template, with the
        letter and the invoices attached and the internal copy. Returns
        the reminders whose email could not be made (marked failed)."""
        failed = self.browse()
        default_template = self.env.ref(
            "account_dunning.mail_template_dunning_level_1", raise_if_not_found=False
        )
        invoice_pdfs = self._get_invoice_attachments()
        # the emails link to each invoice's portal page
        self.line_ids.move_id._dunning_ensure_access_tokens()
        for template, reminders in self.grouped(
            lambda r: r.level_id.mail_template_id or default_template
        ).items():
            try:
                with self.env.cr.savepoint():
                    mails = template.send_mail_batch(reminders.ids)
            except Exception:
                # isolate the reminders that fail, one by one
                mails = self.env["mail.mail"]
                for reminder in reminders:
                    try:
                        with self.env.cr.savepoint():
                            mails |= template.send_mail_batch(reminder.ids)
                    except Exception as error:
                        _logger.info("Reminder %s: email failed: %s", reminder.name, error)
                        reminder._mark_failed(
                            self.env._(
                                "The email could not be made: %(error)s", error=_short_error(error)
                            )
                        )
                        failed |= reminder
            to_attach, copies = {}, defaultdict(list)
            for mail in mails:
                reminder = reminders.browse(mail.res_id)
                reminder.mail_id = mail
                if reminder.level_id.attach_invoices:  # the letter joins when rendered
                    to_attach[mail] = self.env["ir.attachment"].concat(
                        *(
                            invoice_pdfs.get(move.id, self.env["ir.attachment"])
                            for move in reminder.line_ids.move_id
                        )
                    )
                if reminder.company_id.dunning_internal_email:
                    copies[reminder.company_id.dunning_internal_email].append(mail.id)
            self._attach_to_emails(to_attach)
            for email, mail_ids in copies.items():
                self.env["mail.mail"].sudo().browse(mail_ids).write({"email_cc": email})
        return failed

    def _get_invoice_attachments(self):
        """{invoice id: its PDF}: the one Odoo keeps, else one rendered for
        an earlier reminder, else rendered now, all the missing ones in one
        wkhtmltopdf run per batch."""
        moves = self.filtered(lambda r: r.level_id.attach_invoices).line_ids.move_id
        result = {
            move.id: move.invoice_pdf_report_id for move in moves if move.invoice_pdf_report_id
        }
        rest = moves.filtered(lambda m: m.id not in result)
        if rest:
            earlier = self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "in", rest.ids),
                    ("description", "=", INVOICE_PDF_TAG),
                ]
            )
            result.update({a.res_id: a for a in earlier})
        missing = rest.filtered(lambda m: m.id not in result)
        pdfs = {}
        for batch in split_every(LETTER_BATCH_SIZE, missing.ids):
            pdfs.update(
                self.env["ir.actions.report"]._dunning_render_pdf_batch(
                    "account.account_invoices", batch
                )
            )
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": move._get_invoice_report_filename(),
                    "raw": pdfs[move.id],
                    "mimetype": "application/pdf",
                    "res_model": "account.move",
                    "res_id": move.id,
                    "description": INVOICE_PDF_TAG,
                }
                for move in missing
            ]
        )
        result.update({a.res_id: a for a in attachments})
        return result

    def _update_invoices(self):
        """Move the invoices to the reminder's level: level, last date,
        count + 1, in one query per level and date."""
        groups = defaultdict(list)
        for reminder in self:
            groups[(reminder.level_id.id, reminder.date)] += reminder.line_ids.move_id.ids
        Move = self.env["account.move"]
        Move.flush_model(["dunning_level_id", "dunning_last_date", "dunning_count"])
        for (level_id, date), move_ids in groups.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET dunning_level_id = %s, dunning_last_date = %s, "
                    "dunning_count = COALESCE(dunning_count, 0) + 1 WHERE id IN %s",
                    level_id,
                    date,
                    tuple(move_ids),
                )
            )
        Move.invalidate_model(["dunning_level_id", "dunning_last_date", "dunning_count"])

    def _restore_invoices(self):
        """Give the invoices of these reminders back the level, date and
        count they had before, where the reminder is still their last one."""
        Move = self.env["account.move"]
        for reminder in self:
            for line in reminder.line_ids:
                move = line.move_id
                if (
                    move.dunning_level_id == reminder.level_id
                    and move.dunning_last_date == reminder.date
                ):
                    move.sudo().write(
                        {
                            "dunning_level_id": line.previous_level_id.id,
                            "dunning_last_date": line.previous_date,
                            "dunning_count": line.previous_count,
                        }
                    )
        Move.invalidate_model(["dunning_level_id", "dunning_last_date", "dunning_count"])

    def _schedule_activities(self):
        """A phone call or meeting to do, for the customer's responsible."""
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for reminder in self:
            partner = reminder.partner_id.with_company(reminder.company_id)
            reminder.activity_schedule(
                activity_type_id=(reminder.level_id.activity_type_id or call_type).id,
                summary=self.env._(
                    "%(level)s: contact %(customer)s",
                    level=reminder.level_id.name,
                    customer=partner.name,
                ),
                user_id=(partner.dunning_responsible_id or reminder.user_id or self.env.user).id,
                date_deadline=reminder.date,
            )

    def _send_sms(self):
        """An SMS per reminder when Odoo's sms module is installed, else a
        call to make."""
        if "sms.sms" not in self.env:
            self._schedule_activities()
            return
        self.env["sms.sms"].sudo().create(
            [
                {
                    "number": reminder.contact_id.mobile or reminder.contact_id.phone,
                    "partner_id": reminder.contact_id.id,
                    "body": reminder._get_sms_body(),
                }
                for reminder in self
                if reminder.contact_id.mobile or reminder.contact_id.phone
            ]
        )

    def _get_sms_body(self):
        self.ensure_one()
        partner = self.contact_id.with_context(lang=self.contact_id.lang or self.env.lang)
        return partner.env._(
            "%(company)s: %(amount)s are overdue on invoices %(invoices)s. Reference %(ref)s.",
            company=self.company_id.name,
            amount=self.currency_id.format(self.amount_due),
            invoices=", ".join(self.line_ids.move_id.mapped("name")),
            ref=self.name,
        )

    def _get_channel_labels(self):
        self.ensure_one()
        labels = []
        if self.send_email:
            labels.append(self.env._("by email to %(email)s", email=self.email or ""))
        if self.send_letter:
            labels.append(self.env._("by letter"))
        if self.send_sms:
            labels.append(self.env._("by SMS"))
        if self.create_activity:
            labels.append(self.env._("by phone call or meeting"))
        if self.call_outcome:
            outcome = dict(self._fields["call_outcome"]._description_selection(self.env))
            labels.append(
                self.env._("call logged: %(outcome)s", outcome=outcome[self.call_outcome])
            )
        return labels

    def _log_on_documents(self):
        """A note on each invoice and on each customer, in one batch each."""
        move_bodies, partner_bodies = {}, defaultdict(list)
        for reminder in self:
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
            moves = self.env["account.move"].browse(list(move_bodies))
            moves._message_log_batch(bodies=move_bodies)
        if partner_bodies:
            partners = self.env["res.partner"].browse(list(partner_bodies))
            partners._message_log_batch(
                bodies={pid: Markup("").join(bodies) for pid, bodies in partner_bodies.items()}
            )

    def _mark_failed(self, reason):
        self.write({"state": "failed", "failure_reason": reason})

    def _on_email_failure(self, reason):
        """The mail queue could not deliver: the reminder failed and its
        invoices go back to where they were."""
        sent = self.filtered(lambda r: r.state == "sent")
        sent._restore_invoices()
        sent._mark_failed(self.env._("The email could not be delivered: %(reason)s", reason=reason))
        for reminder in sent:
            reminder.message_post(
                body=self.env._("The email could not be delivered: %(reason)s", reason=reason)
            )

    # ------------------------------------------------------------------
    # The daily job
    # ------------------------------------------------------------------

    @api.model
    def _cron_process_reminders(self, dry_run=False, companies=None):
        """The daily job: for each company, send the due reminders of the
        customers in automatic mode whose level may be sent on its own, and
        schedule one activity for the others.

        Safe to run any number of times, in several workers at once: it
        goes through the entry point of the workbench, which locks the
        invoices and skips those already reminded today, and the "to
        remind" rule respects the minimum interval. It commits after each
        batch of customers, so a crash loses one batch at most; a customer
        whose reminder fails is noted on the customer and the others go on.

        With ``dry_run``, nothing is created or changed and the method
        returns what would be sent, one dict per reminder.
        """
        planned = []
        for company in companies or self.env["res.company"].search([("active", "=", True)]):
            job = self.with_company(company).with_context(allowed_company_ids=company.ids)
            partner_ids = job._get_cron_partner_ids()
            if dry_run:
                for batch in split_every(CRON_BATCH_SIZE, partner_ids, list):
                    planned += [
                        {
                            key: proposal[key]
                            for key in ("partner_id", "currency_id", "level_id", "move_ids")
                        }
                        for proposal in job._get_cron_proposals(batch)[0]
                    ]
                continue
            job._process_in_batches(partner_ids)
        return planned

    @api.model
    def _get_cron_partner_ids(self):
        """The customers of the current company with an invoice to remind:
        what the job goes through, batch by batch."""
        states = self.env["account.move"]._get_dunning_states_for_domain([])
        return sorted({state["partner_id"] for state in states.values() if state["to_remind"]})

    @api.model
    def _get_cron_proposals(self, partner_ids):
        """The reminders of the customers ``partner_ids`` that the job may
        send on its own (customers in automatic mode, levels marked "send
        automatically") and those that need a human, for the current
        company, from the invoices as they stand now."""
        Move = self.env["account.move"]
        states = Move._get_dunning_states_for_domain(
            [("commercial_partner_id", "in", list(partner_ids))]
        )
        moves = Move.search(
            [("id", "in", [move_id for move_id, state in states.items() if state["to_remind"]])],
            order="commercial_partner_id, dunning_date_due, id",
        )
        proposals = self._prepare_proposals(moves, states=states)
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
        return to_send, to_ask

    @api.model
    def _schedule_dunning_activities(self, proposals):
        """One activity per customer for its responsible ("Second reminder
        due for X"), unless one is already open."""
        if not proposals:
            return
        activity_type = self.env.ref("account_dunning.mail_activity_type_dunning")
        # a customer another worker is handling is left to that worker
        partner_ids = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT id FROM res_partner WHERE id IN %s FOR UPDATE SKIP LOCKED",
                    tuple({p["partner_id"] for p in proposals}),
                )
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
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        values, seen = [], set()
        for proposal in proposals:
            partner_id = proposal["partner_id"]
            if partner_id in open_ids or partner_id in seen:
                continue
            seen.add(partner_id)
            partner = self.env["res.partner"].browse(partner_id)
            level = self.env["account.dunning.level"].browse(proposal["level_id"])
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "%(level)s due for %(customer)s", level=level.name, customer=partner.name
                    ),
                    "user_id": (
                        partner.dunning_responsible_id
                        or self.env.company.partner_id.user_ids[:1]
                        or self.env.user
                    ).id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].sudo().create(values)

    @api.model
    def _process_in_batches(self, partner_ids):
        """Go through the customers batch by batch: prepare their reminders
        from fresh data, send those the job may send, schedule an activity
        for the others, commit and report the progress to the cron. A crash
        or a timeout loses one batch at most; the next run goes on."""
        total, done = len(partner_ids), 0
        for batch in split_every(CRON_BATCH_SIZE, partner_ids, list):
            to_send, to_ask = self._get_cron_proposals(batch)
            self._schedule_dunning_activities(to_ask)
            if to_send:
                try:
                    with self.env.cr.savepoint():
                        self._create_reminders(to_send)
                except Exception:
                    # one customer's broken data must not stop the others
                    for proposal in to_send:
                        self._create_reminder_alone(proposal)
            done += len(batch)
            self._commit_batch()
            self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)

    @api.model
    def _create_reminder_alone(self, proposal):
        partner = self.env["res.partner"].browse(proposal["partner_id"])
        try:
            with self.env.cr.savepoint():
                self._create_reminders([proposal])
        except Exception as error:
            _logger.warning("Reminder for customer %s failed: %s", partner.id, error)
            partner.message_post(
                body=self.env._(
                    "The daily job could not send the reminder: %(error)s",
                    error=_short_error(error),
                )
            )

    def _commit_batch(self):
        """Commit what a batch did, except under test where the test owns
        the transaction."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
            # what the batch read is no longer needed: memory stays flat
            self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Cancel reminders: their invoices get their previous level back."""
        if any(r.state == "cancel" for r in self):
            raise UserError(self.env._("This reminder is already cancelled."))
        self.filtered(lambda r: r.state == "sent")._restore_invoices()
        self.write({"state": "cancel"})
        for reminder in self:
            reminder.message_post(
                body=self.env._("Reminder cancelled: the invoices got their previous level back.")
            )

    def action_print_letter(self):
        return self.env.ref(LETTER_REPORT).report_action(self)

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_dunning_action"
        )
        action["domain"] = [("id", "in", self.line_ids.move_id.ids)]
        action["context"] = {}
        return action

    @api.model
    def _get_letters_file(self, reminders, file_format="zip"):
        """One download for the post: a ZIP with one PDF per reminder, or
        one merged PDF. Returns an attachment."""
        letters = reminders.filtered("letter_attachment_id")
        if not letters:
            raise UserError(self.env._("None of these reminders has a letter."))
        if file_format == "pdf":
            data = merge_pdf([r.letter_attachment_id.raw for r in letters])
            name, mimetype = self.env._("Reminder letters.pdf"), "application/pdf"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for reminder in letters:
                    archive.writestr(
                        reminder.letter_attachment_id.name, reminder.letter_attachment_id.raw
                    )
            data = buffer.getvalue()
            name, mimetype = self.env._("Reminder letters.zip"), "application/zip"
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(data),
                "mimetype": mimetype,
                "res_model": self._name,
            }
        )


class AccountDunningLine(models.Model):
    """One invoice of a reminder, as it stood when the reminder was made."""

    _name = "account.dunning.line"
    _description = "Payment Reminder Line"
    _order = "dunning_id, date_due, id"

    dunning_id = fields.Many2one(
        "account.dunning",
        string="Reminder",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="dunning_id.company_id", store=True)
    currency_id = fields.Many2one(related="dunning_id.currency_id")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
    )
    invoice_date = fields.Date(related="move_id.invoice_date", string="Invoice Date")
    ref = fields.Char(related="move_id.ref", string="Reference")
    date_due = fields.Date(string="Due Date")
    days_overdue = fields.Integer(string="Days Late")
    amount_total = fields.Monetary(string="Amount")
    amount_residual = fields.Monetary(string="Amount Due")
    previous_level_id = fields.Many2one(
        "account.dunning.level",
        string="Level Before",
    )
    previous_date = fields.Date(string="Reminder Before")
    previous_count = fields.Integer(string="Reminders Before")
