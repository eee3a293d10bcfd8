# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ast
import functools
import re

import babel.dates

from odoo import api, models
from odoo.tools import babel_locale_parse, format_date, get_lang, posix_to_ldml

from odoo.addons.base.models.res_lang import intersperse

from ..models.dunning_tools import INVOICE_TABLES, safe_filename

# An IBAN: country code, check digits, then up to 30 letters and digits
# (ISO 13616); told from a national account number by its check digits.
IBAN_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


@functools.lru_cache(maxsize=4096)
def _format_date_cached(value, pattern, locale_code):
    """``babel.dates.format_date``, a pure function of its arguments, kept
    for the dates met again: the invoice and due dates of a day's reminders
    are a few hundred, formatted twice per invoice of each reminder and
    letter (a tenth of the letter's making)."""
    return babel.dates.format_date(value, format=pattern, locale=babel_locale_parse(locale_code))


class AccountDunning(models.Model):
    """What the letter, the emails and the SMS of a reminder say, formatted
    for their reader: the invoice tables, the place and date, the greeting,
    the earlier reminders, the bank details. Prepared in Python so that the
    letter (``report.account_dunning.report_dunning_letter``) and the email
    templates only lay them out; the charges table stays with the reminder
    (``_get_charges_table``)."""

    _inherit = "account.dunning"

    def _get_invoice_tables(self, lang=None, links=False):
        """The invoices of the reminder as the letter and the emails show
        them, formatted in ``lang`` (else the language of the context); with
        ``links``, each with the address to view and pay it online. Returns
        ``{"overdue": rows, "coming_due": rows}``: the invoices not yet due
        are listed apart. Prepared here, once per reminder, so that templates
        only lay them out: while the channels of a send are carried out
        (``invoice_tables_once``), the letter and the email of a reminder
        share its rows."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        memo = INVOICE_TABLES.get()
        key = (self.id, env.lang)
        rows = memo.get(key) if memo is not None else None
        if rows is None:
            rows = self._prepare_invoice_rows(env)
            if memo is not None:
                memo[key] = rows
        if links:
            self.line_ids.move_id._dunning_ensure_access_tokens()
            base_url = self.get_base_url()
        return {
            table: [
                dict(row, url=base_url + move.get_portal_url() if links else "")
                for row, move in table_rows
            ]
            for table, table_rows in rows.items()
        }

    def _prepare_invoice_rows(self, env):
        """The rows of ``_get_invoice_tables`` in the language of ``env``,
        each with its invoice: {table: [(row without its address, invoice)]}."""
        date_text, amount_text = self._get_formatters(env, self.currency_id)
        tables = {"overdue": [], "coming_due": []}
        for line in self.line_ids:
            tables["coming_due" if line.is_coming_due else "overdue"].append(
                (
                    {
                        "number": line.move_id.name,
                        "reference": line.move_id.ref or "",
                        "invoice_date": date_text(line.move_id.invoice_date),
                        "date_due": date_text(line.date_due),
                        "days_overdue": line.days_overdue,
                        "amount_total": amount_text(line.amount_total),
                        "amount_residual": amount_text(line.amount_residual),
                    },
                    line.move_id,
                )
            )
        return tables

    @api.model
    def _get_formatters(self, env, currency):
        """Two functions that write a date and an amount in ``currency`` as
        Odoo's ``format_date`` and ``format_amount`` do in the language of
        ``env``, with the language looked up once rather than per value."""
        lang = get_lang(env)
        locale = babel_locale_parse(lang.code)
        date_pattern = posix_to_ldml(lang.date_format, locale=locale)
        number_pattern = f"%.{currency.decimal_places}f"
        symbol = currency.symbol or ""
        before = currency.position == "before"
        # res.lang.format(number_pattern, amount, grouping=True), with the
        # language's grouping read once, not parsed again for each amount
        # (a tenth of a reminder email's making)
        grouping = ast.literal_eval(lang.grouping)
        thousands_sep, decimal_point = lang.thousands_sep or "", lang.decimal_point

        def number_text(amount):
            parts = (number_pattern % amount).split(".")
            parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
            return decimal_point.join(parts)

        def date_text(value):
            return _format_date_cached(value, date_pattern, lang.code) if value else ""

        def amount_text(amount):
            number = (
                number_text(currency.round(amount))
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

    def _get_letter_filename(self, extension=".pdf"):
        """The letter's file name: its reference and its customer, safe in a
        ZIP or a download (``safe_filename``); without ``extension`` for the
        report's download name, to which Odoo adds it."""
        self.ensure_one()
        return safe_filename(f"{self.name} - {self.partner_id.name}{extension}")

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
