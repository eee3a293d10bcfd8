# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, models
from odoo.tools import format_amount, formatLang

# French law on late payment between businesses (Code de commerce L441-10,
# D441-5), and the legal interest owed by consumers after a formal notice.
from ..models.account_dunning_charges import RECOVERY_INDEMNITY_EUR
from ..models.dunning_tools import check_dunning_access


class ReportDunningLetter(models.AbstractModel):
    """Values of the reminder letter, prepared here so that the template
    only lays them out."""

    _name = "report.account_dunning.report_dunning_letter"
    _description = "Payment Reminder Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        # the report's URL is open to portal users: letters are not
        check_dunning_access(self.env, "read", self.env._("print or download reminder letters"))
        docs = self.env["account.dunning"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "account.dunning",
            "docs": docs,
            "letters": {doc.id: self._prepare_letter(doc) for doc in docs},
        }

    @api.model
    def _prepare_letter(self, reminder):
        """Everything one letter shows, in the contact's language."""
        lang = reminder.lang
        env = self.with_context(lang=lang).env
        level = reminder.level_id.with_context(lang=lang)
        currency = reminder.currency_id
        company = reminder.company_id
        tables = reminder._get_invoice_tables(lang=lang)
        # the charges, computed once for their table and the formal notice
        charges = (
            reminder._get_charges_table(lang=lang)
            if level.show_charges or level.letter_kind == "formal_notice"
            else {"rows": []}
        )
        return {
            "lang": lang,
            "address_lines": self._get_address_lines(reminder, env),
            # a letter that only goes with an email is not registered
            "registered": env._("Registered letter with acknowledgement of receipt")
            if reminder.registered_letter
            else "",
            "place_date": reminder._get_place_date(lang=lang),
            "subject": level.letter_subject or level.name,
            "kind_label": env._("Formal notice") if level.letter_kind == "formal_notice" else "",
            "greeting": reminder._get_greeting(lang=lang),
            "previous": reminder._get_previous_reminders_text(lang=lang),
            "intro": level.letter_intro or "",
            "closing": level.letter_closing or "",
            "lines": tables["overdue"],
            "total": format_amount(env, reminder.amount_overdue, currency, lang_code=lang),
            "coming_due": tables["coming_due"],
            "coming_due_total": format_amount(
                env, reminder.amount_due - reminder.amount_overdue, currency, lang_code=lang
            ),
            "charges": charges if level.show_charges else {"rows": []},
            "bank": reminder._get_bank_details(lang=lang),
            "legal": self._get_legal_notice(reminder, env, charges),
            "signature": company.name,
            "company": company,
            "color": company.primary_color or "#333333",
            "footer": company.report_footer or "",
        }

    @api.model
    def _get_address_lines(self, reminder, env):
        """The recipient's address as the French postal standard (NF Z10-011)
        orders it: the customer's name, the attention line for a contact of
        the customer, the street lines, the postcode and city, and the
        country only when it is not the company's own.

        A contact without a postal address of its own is reached at the
        customer's address."""
        customer = reminder.partner_id
        contact = reminder.contact_id or customer
        person = reminder._get_addressee_person()
        lines = [
            reminder._get_person_name(customer, lang=env.lang)
            if customer == person
            else customer.name
        ]
        if contact != customer and contact.name and not contact.is_company:
            name = reminder._get_person_name(contact, lang=env.lang)
            lines.append(env._("For the attention of %(name)s", name=name))
        address = contact if (contact.street or contact.city) else customer
        address = address.with_env(env)
        address_format, args = address._prepare_display_address(without_company=True)
        home = reminder.company_id.country_id
        if not address.country_id and home.address_format:
            # an address without a country is in the company's country
            address_format = home.address_format
        # the country is read by the post of the sender's country: in the
        # company's language, whatever the letter's
        sender_lang = reminder.company_id.partner_id.lang or env.lang
        args["country_name"] = (
            address.country_id.with_context(lang=sender_lang).name.upper()
            if address.country_id and address.country_id != home
            else ""
        )
        lines += [line.strip() for line in (address_format % args).split("\n")]
        return [line for line in lines if line]

    @api.model
    def _get_legal_notice(self, reminder, env, charges=None):
        """The legal wording of a formal notice: in France, penalties and
        the recovery indemnity for business customers, legal interest for
        consumers. Empty for other letters and other countries."""
        if reminder.level_id.letter_kind != "formal_notice":
            return []
        if reminder.company_id.country_id.code not in ("FR", "MC", False):
            return []
        customer_type = reminder.partner_id.dunning_customer_type
        if customer_type == "individual":
            rate = self.env["account.dunning.rate"]._get_rate(
                self.env["account.dunning.rate"]._get_rates(), "legal_other", reminder.date
            )
            rate_text = f"{rate:.2f}"
            return [
                env._(
                    "Failing payment within this time, the amount due will bear "
                    "interest at the legal rate (%(rate)s %% a year today) from the date "
                    "of this formal notice (article 1344-1 of the Civil Code).",
                    rate=rate_text,
                )
            ]
        # only what is past due carries penalties and the indemnity
        overdue = reminder.line_ids.filtered(lambda line: not line.is_coming_due)
        if not overdue:
            return []
        points = "8" if customer_type == "public" else "10"
        charges = charges or reminder._get_charges_table(lang=env.lang)
        paragraphs = [
            env._(
                "Late-payment penalties are due from the day after the due date, "
                "at the rate of the European Central Bank plus %(points)s points "
                "(article L441-10 of the Commercial Code).",
                points=points,
            )
        ]
        # the indemnities still owed: none for an invoice whose indemnity was
        # invoiced or waived, a part for a part waived
        share = charges["amounts"]["indemnity_share"] if charges["rows"] else 0.0
        indemnity = round(RECOVERY_INDEMNITY_EUR * share, 2)
        if indemnity:
            paragraphs.append(
                env._(
                    "A fixed indemnity for recovery costs of 40 EUR per invoice paid late "
                    "is also due, that is %(amount)s EUR for the invoices above "
                    "(article D441-5 of the Commercial Code).",
                    amount=int(indemnity)
                    if indemnity == int(indemnity)
                    else formatLang(env, indemnity, digits=2),
                )
            )
        if charges["rows"]:
            paragraphs.append(
                env._(
                    "At the date of this letter, the penalties amount to %(penalty)s and "
                    "the indemnities to %(indemnity)s, that is %(total)s.",
                    penalty=charges["penalty"],
                    indemnity=charges["indemnity"],
                    total=charges["total"],
                )
            )
        return paragraphs
