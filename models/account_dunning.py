# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import re
import zipfile

import babel.dates
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, babel_locale_parse, format_date, get_lang, posix_to_ldml
from odoo.tools.misc import formatLang
from odoo.tools.pdf import merge_pdf

# imported first: the channels mixin must exist before the models that use it
from .account_dunning_channel_mixin import CHANNELS

LETTER_REPORT = "account_dunning.action_report_dunning_letter"
# An IBAN: country code, check digits, then up to 30 letters and digits
# (ISO 13616); told from a national account number by its check digits.
IBAN_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
CALL_OUTCOMES = [
    ("promised", "Promised to pay"),
    ("disputed", "Disputes the invoice"),
    ("paid", "Says it is paid"),
    ("no_answer", "No answer"),
    ("other", "Other"),
]
EMAIL_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("bounced", "Bounced"),
    ("cancel", "Cancelled"),
]
LETTER_STATES = [
    ("to_post", "To Post"),
    ("posted", "Posted"),
    ("cancel", "Withdrawn"),
]
# What only the engine writes once a reminder exists: users read them.
_ENGINE_FIELDS = {
    "name",
    "partner_id",
    "contact_id",
    "email",
    "company_id",
    "currency_id",
    "level_id",
    *CHANNELS,
    "statement_attachment_id",
    "call_outcome",
    "promise_date",
    "date",
    "user_id",
    "state",
    "line_ids",
    "letter_attachment_id",
    "mail_id",
    "email_state",
    "letter_state",
    "letter_posted_date",
    "failure_reason",
}


class AccountDunning(models.Model):
    """One reminder sent to one customer, at one level, in one currency.

    The record keeps what happened; the engine (``account.dunning.engine``)
    makes it happen: it alone creates reminders, carries out their channels
    and undoes them."""

    _name = "account.dunning"
    _description = "Payment Reminder"
    _inherit = ["account.dunning.channel.mixin", "mail.thread", "mail.activity.mixin"]
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
        readonly=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="Who the reminder is addressed to.",
    )
    email = fields.Char(
        string="Email Address", readonly=True, help="The address the email went to."
    )
    lang = fields.Char(
        string="Language",
        compute="_compute_lang",
        help="The language of the letter and the email: the contact's, else the customer's.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        readonly=True,
        default=lambda self: self.env.company.currency_id,
    )
    level_id = fields.Many2one(
        "account.dunning.level",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
    )
    plan_id = fields.Many2one(related="level_id.plan_id", store=True)
    severity = fields.Integer(
        compute="_compute_severity",
        store=True,
        readonly=False,
        precompute=True,
        help="From 1 (low) to 5 (critical); the level's by default.",
    )
    call_outcome = fields.Selection(
        CALL_OUTCOMES,
        readonly=True,
        help="For a logged phone call: what the customer answered.",
    )
    promise_date = fields.Date(
        string="Promised Payment Date",
        readonly=True,
        help="The date the customer promised to pay by.",
    )
    letter_kind = fields.Selection(related="level_id.letter_kind")
    letter_registered = fields.Boolean(related="level_id.letter_registered")
    date = fields.Date(
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sent By",
        readonly=True,
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
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "account.dunning.line",
        "dunning_id",
        string="Invoices",
        readonly=True,
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
        # in the reminder's currency: never summed across reminders, which
        # may be in several currencies; the company-currency amount is
        aggregator=None,
        help="Sum of the amounts due of the invoices of the reminder when it was made.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_due_company = fields.Monetary(
        string="Amount Due in Company Currency",
        compute="_compute_amount_due",
        store=True,
        currency_field="company_currency_id",
        help="The amount due converted at the reminder's date: the one totals add up.",
    )
    amount_overdue = fields.Monetary(
        compute="_compute_amount_due",
        store=True,
        aggregator=None,
        help="The part of the amount due that was past its due date; the rest "
        "was listed as coming due.",
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
    has_previous_reminders = fields.Boolean(
        compute="_compute_has_previous_reminders",
        help="Some of the reminded invoices had reminders before this one: "
        "only then may the letter and the email speak of earlier reminders.",
    )
    earlier_reminder_count = fields.Integer(
        compute="_compute_has_previous_reminders",
        help="The reminders sent before this one on its invoices, by email, "
        "letter or SMS, once they were due: calls and notes before the due "
        "date are not reminders a customer left unanswered.",
    )
    earlier_reminder_date = fields.Date(compute="_compute_has_previous_reminders")
    comment = fields.Text()
    letter_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Letter PDF",
        copy=False,
        readonly=True,
    )
    letter_state = fields.Selection(
        LETTER_STATES,
        string="Letter Status",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="To Post: the letter is made and waits to be posted. Withdrawn: "
        "the reminder was cancelled before it was posted.",
    )
    letter_posted_date = fields.Date(string="Posted On", copy=False, readonly=True)
    mail_id = fields.Many2one("mail.mail", string="Reminder Email", copy=False, readonly=True)
    statement_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Account Statement PDF",
        copy=False,
        readonly=True,
        help="The account statement attached to the email, as it was sent.",
    )
    email_state = fields.Selection(
        EMAIL_STATES,
        string="Email Status",
        copy=False,
        readonly=True,
        tracking=True,
    )
    failure_reason = fields.Text(copy=False, readonly=True)

    @api.depends("contact_id.lang", "partner_id.lang")
    def _compute_lang(self):
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for reminder in self:
            reminder.lang = next(
                (
                    code
                    for code in (reminder.contact_id.lang, reminder.partner_id.lang)
                    if code in installed
                ),
                self.env.lang or "en_US",
            )

    @api.depends("level_id")
    def _compute_severity(self):
        for dunning in self:
            dunning.severity = dunning.level_id.severity or 2

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for dunning in self:
            dunning.move_ids = dunning.line_ids.move_id

    @api.depends("line_ids.amount_residual", "line_ids.is_coming_due", "currency_id", "date")
    def _compute_amount_due(self):
        for dunning in self:
            lines = dunning.line_ids
            dunning.amount_due = sum(lines.mapped("amount_residual"))
            company = dunning.company_id
            dunning.amount_due_company = dunning.currency_id._convert(
                dunning.amount_due,
                company.currency_id,
                company,
                dunning.date or fields.Date.context_today(dunning),
            )
            dunning.amount_overdue = sum(
                lines.filtered(lambda line: not line.is_coming_due).mapped("amount_residual")
            )

    @api.depends("line_ids.previous_count", "line_ids.previous_date")
    def _compute_reminder_history(self):
        for dunning in self:
            lines = dunning.line_ids
            dunning.reminder_count = max(lines.mapped("previous_count") or [0]) + 1
            dunning.previous_date = max(
                (d for d in lines.mapped("previous_date") if d), default=False
            )

    @api.depends("line_ids.move_id", "date")
    def _compute_has_previous_reminders(self):
        """One query for any number of reminders (letters are made by the
        hundred): the earlier written reminders of their invoices."""
        saved = self.filtered("id")
        earlier = {}
        if saved:
            self.env["account.dunning"].flush_model()
            self.env["account.dunning.line"].flush_model(["dunning_id", "move_id"])
            self.env["account.dunning.level"].flush_model(["days"])
            earlier = {
                row[0]: row[1:]
                for row in self.env.execute_query(
                    SQL(
                        """
                SELECT cur.id, count(DISTINCT prev.id), max(prev.date)
                  FROM account_dunning cur
                  JOIN account_dunning_line cur_line ON cur_line.dunning_id = cur.id
                  JOIN account_dunning_line prev_line
                       ON prev_line.move_id = cur_line.move_id
                      AND prev_line.dunning_id != cur.id
                  JOIN account_dunning prev ON prev.id = prev_line.dunning_id
                  JOIN account_dunning_level level ON level.id = prev.level_id
                 WHERE cur.id = ANY(%s)
                   AND prev.id < cur.id
                   AND prev.state = 'sent'
                   AND (prev.send_email OR prev.send_letter OR prev.send_sms)
                   AND level.days > 0
              GROUP BY cur.id
                        """,
                        saved.ids,
                    )
                )
            }
        for dunning in self:
            count, date = earlier.get(dunning.id, (0, False))
            dunning.earlier_reminder_count = count
            dunning.earlier_reminder_date = date
            dunning.has_previous_reminders = bool(count)

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

    def write(self, vals):
        """What a reminder did is history: once it left draft, only the
        engine (as superuser) changes it; users may add a comment."""
        if not self.env.su and _ENGINE_FIELDS & set(vals):
            done = self.filtered(lambda reminder: reminder.state != "draft")
            if done:
                raise UserError(
                    self.env._(
                        "Reminder %(ref)s was already made: it cannot be changed. "
                        "Cancel it and create a new one instead.",
                        ref=done[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if not self.env.su and self.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("Reminders that were made are kept: cancel them instead."))

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
    # The interface other code relies on: the engine does the work
    # ------------------------------------------------------------------

    @api.model
    def _create_reminders(self, proposals):
        """Create and send one reminder per proposal (see
        ``account.dunning.engine._create_reminders``)."""
        return self.env["account.dunning.engine"]._create_reminders(proposals)

    @api.model
    def _prepare_proposals(self, moves, channels=None, states=None):
        """One proposal per customer and currency (see
        ``account.dunning.engine._prepare_proposals``)."""
        return self.env["account.dunning.engine"]._prepare_proposals(
            moves, channels=channels, states=states
        )

    @api.model
    def _cron_process_reminders(self, dry_run=False, companies=None):
        """The daily job (see ``account.dunning.job``)."""
        return self.env["account.dunning.job"]._run(dry_run=dry_run, companies=companies)

    # ------------------------------------------------------------------
    # What the letter and the emails show
    # ------------------------------------------------------------------

    def _get_invoice_tables(self, lang=None, links=False):
        """The invoices of the reminder as the letter and the emails show
        them, formatted in ``lang`` (else the language of the context); with
        ``links``, each with the address to view and pay it online. Returns
        ``{"overdue": rows, "coming_due": rows}``: the invoices not yet due
        are listed apart. Prepared here, once per reminder, so that templates
        only lay them out."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        date_text, amount_text = self._get_formatters(env, self.currency_id)
        lines = self.line_ids
        if links:
            lines.move_id._dunning_ensure_access_tokens()
        base_url = self.get_base_url()
        tables = {"overdue": [], "coming_due": []}
        for line in lines:
            tables["coming_due" if line.is_coming_due else "overdue"].append(
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
            )
        return tables

    def _get_charges_table(self, lang=None, date=None):
        """The late-payment charges of the reminder's late invoices, as the
        letter and the email show them, formatted in ``lang``: {"rows":
        [...], "penalty": total, "indemnity": total, "total": both,
        "amounts": the raw totals}; empty rows when nothing is owed."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        date_text, amount_text = self._get_formatters(env, self.currency_id)
        late = self.line_ids.filtered(lambda line: not line.is_coming_due).move_id
        charges = late._get_dunning_charges(date or self.date)
        rows, penalty, indemnity = [], 0.0, 0.0
        for move in late:
            charge = charges.get(move.id)
            if not charge or not (charge["penalty"] or charge["indemnity"]):
                continue
            penalty += charge["penalty"]
            indemnity += charge["indemnity"]
            rates = sorted({period["rate"] for period in charge["periods"]})
            rows.append(
                {
                    "number": move.name,
                    "date_due": date_text(move.invoice_date_due),
                    "days": charge["days"],
                    "rate": " / ".join(f"{formatLang(env, rate, digits=2)} %" for rate in rates),
                    "penalty": amount_text(charge["penalty"]),
                    "indemnity": amount_text(charge["indemnity"]),
                }
            )
        return {
            "rows": rows,
            "penalty": amount_text(penalty),
            "indemnity": amount_text(indemnity),
            "total": amount_text(penalty + indemnity),
            "amounts": {"penalty": penalty, "indemnity": indemnity},
        }

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

    def _get_lang_env(self, lang=None):
        """The environment in ``lang``, else in the reminder's language."""
        return self.with_context(lang=lang or self.lang or self.env.lang).env

    def _get_date_text(self, value, lang=None):
        """A date in words, as a letter writes it: "23 novembre 2026",
        "November 23, 2026"."""
        env = self._get_lang_env(lang)
        return format_date(env, value, lang_code=env.lang, date_format="long")

    def _get_place_date(self, lang=None):
        """The place and date a letter starts with: "Paris, le 23 novembre
        2026", "Paris, November 23, 2026"; the date alone when the company
        has no city."""
        self.ensure_one()
        env = self._get_lang_env(lang)
        date = self._get_date_text(self.date, lang=env.lang)
        if not self.company_id.city:
            return date
        return env._("%(city)s, %(date)s", city=self.company_id.city, date=date)

    def _get_addressee_person(self):
        """The person the reminder is for, when it is one: an individual
        customer, a contact of the customer, or an address with a title.
        An organisation, or an address of it (accounting department,
        invoice address) without a title, gives an empty record."""
        self.ensure_one()
        contact = self.contact_id or self.partner_id
        if contact.is_company or not contact.name:
            return contact.browse()
        if contact.title or not contact.parent_id or contact.type == "contact":
            return contact
        return contact.browse()

    def _get_person_name(self, person, lang=None):
        """A person's name with their title, as an address writes it:
        "Mrs. Jeanne Dupont", "Madame Jeanne Dupont"."""
        env = self._get_lang_env(lang)
        title = person.with_env(env).title
        if not title:
            return person.name
        # in English, the title's abbreviation; in French, its name
        return env._(
            "%(short_title)s %(name)s",
            title=title.name,
            short_title=title.shortcut or title.name,
            name=person.name,
        )

    def _get_greeting(self, lang=None):
        """How the letter and the email open: "Madame, Monsieur," for an
        organisation; for a person with a title, "Dear Mrs. Jeanne Dupont,"
        in English and "Madame," in French; for a person without one, "Dear
        Jeanne Dupont," in English and "Madame, Monsieur," in French (the
        French translations decide)."""
        self.ensure_one()
        env = self._get_lang_env(lang)
        person = self._get_addressee_person().with_env(env)
        if not person:
            return env._("Dear Sir or Madam,")
        if person.title:
            # in English, the title's abbreviation ("Dear Mrs. Jeanne
            # Dupont,"); in French, the title alone ("Madame,")
            return env._(
                "Dear %(short_title)s %(name)s,",
                title=person.title.name,
                short_title=person.title.shortcut or person.title.name,
                name=person.name,
            )
        return env._("Dear %(name)s,", name=person.name)

    def _get_previous_reminders_text(self, lang=None):
        """The sentence that recalls the earlier reminders of these
        invoices; empty when this is their first reminder, so that no text
        speaks of reminders that never happened."""
        self.ensure_one()
        if not self.has_previous_reminders:
            return ""
        env = self._get_lang_env(lang)
        earlier = self.earlier_reminder_count
        if not self.earlier_reminder_date:
            return env._("Our previous reminders have remained unanswered.")
        date = self._get_date_text(self.earlier_reminder_date, lang=env.lang)
        if earlier == 1:
            return env._("Our reminder of %(date)s has remained unanswered.", date=date)
        return env._(
            "Our %(count)s previous reminders, the last one on %(date)s, have remained "
            "unanswered.",
            count=earlier,
            date=date,
        )

    def _make_statement_attachment(self):
        """The customer's account statement of the last twelve months up to
        the reminder's date, as a PDF kept on the reminder, in the
        customer's language."""
        self.ensure_one()
        date_from = self.date - relativedelta(months=12, day=1)
        content, name = self.partner_id.with_company(self.company_id)._render_dunning_statement(
            date_from, self.date, "activity", lang=self.lang
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{name} - {self.name}.pdf",
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.sudo().statement_attachment_id = attachment
        return attachment

    def _get_bank_account(self):
        """The account the customer is asked to pay to: the one of the
        reminded invoices, else the company's first."""
        self.ensure_one()
        return self.line_ids.move_id.partner_bank_id[:1] or self.company_id.partner_id.bank_ids[:1]

    def _get_bank_details(self, lang=None):
        """The bank details the letter and the email print, as a list of
        (label, value): IBAN (in groups of four) and BIC, or the account
        number when it is not an IBAN."""
        self.ensure_one()
        account = self._get_bank_account()
        if not account:
            return []
        env = self._get_lang_env(lang)
        iban = self._format_iban(account.acc_number)
        details = [("IBAN", iban)] if iban else [(env._("Account number"), account.acc_number)]
        if account.bank_bic:
            details.append(("BIC", account.bank_bic.replace(" ", "").upper()))
        return details

    @api.model
    def _format_iban(self, number):
        """``number`` written as an IBAN, in groups of four characters, when
        it is one (its check digits hold), else an empty string."""
        iban = re.sub(r"[\W_]", "", number or "").upper()
        if not IBAN_RE.fullmatch(iban):
            return ""
        digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
        if int(digits) % 97 != 1:
            return ""
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))

    def _get_letter_filename(self):
        self.ensure_one()
        return f"{self.name} - {self.partner_id.name}.pdf".replace("/", "-")

    def _get_sms_body(self):
        self.ensure_one()
        env = self.with_context(lang=self.lang).env
        overdue = self.line_ids.filtered(lambda line: not line.is_coming_due)
        return env._(
            "%(company)s: %(amount)s are overdue on invoices %(invoices)s. Reference %(ref)s.",
            company=self.company_id.name,
            amount=self.currency_id.format(self.amount_overdue),
            invoices=", ".join(overdue.move_id.mapped("name")),
            ref=self.name,
        )

    def action_invoice_charges(self):
        """Invoice the late-payment charges owed on the reminder's invoices."""
        return self.env["account.dunning.charges"]._action_invoice(self.line_ids.move_id)

    def action_waive_charges(self):
        return self.env["account.dunning.charges"]._action_invoice(
            self.line_ids.move_id, waive=True
        )

    def _message_receive_bounce(self, email, partner):
        """Odoo's bounce handling found that this reminder's email bounced."""
        result = super()._message_receive_bounce(email, partner)
        self.env["account.dunning.engine"]._on_email_bounce(self, email)
        return result

    def _get_channel_labels(self):
        """What the reminder did, in words, for the notes on the invoices."""
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

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Cancel reminders: their queued email is cancelled, their letter
        withdrawn from the post and their invoices get their previous level
        back (see ``account.dunning.engine._cancel_reminders``)."""
        self.env["account.dunning.engine"]._cancel_reminders(self)

    def action_print_letter(self):
        if self.filtered(lambda r: r.state in ("cancel", "draft")):
            raise UserError(self.env._("A cancelled reminder has no letter to print."))
        return self.env.ref(LETTER_REPORT).report_action(self)

    def action_mark_posted(self):
        """The letters were put in the post: they leave the list of letters
        to post."""
        self.env["account.dunning.engine"]._mark_letters_posted(self)

    def action_download_letters_pdf(self):
        return self._action_download_letters("pdf")

    def action_download_letters_zip(self):
        return self._action_download_letters("zip")

    def _action_download_letters(self, file_format):
        attachment = self._get_letters_file(self, file_format)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

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
        """One download for the post: a ZIP with one PDF per letter, or one
        merged PDF. Only the reminders sent by letter and not cancelled are
        in it: a letter made only to go with an email is not posted.
        Returns an attachment."""
        letters = reminders.filtered(
            lambda r: r.send_letter
            and r.letter_attachment_id
            and r.state == "sent"
            and r.letter_state != "cancel"
        )
        if not letters:
            raise UserError(self.env._("None of these reminders has a letter to post."))
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
