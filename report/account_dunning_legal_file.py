# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The documents of a legal file that the module writes itself: the claim
summary (récapitulatif de créance), the reminder history and the request
the road needs. Values are prepared here, formatted in the file's language
(French when installed), so that the templates only lay them out."""

import re

from odoo import api, models
from odoo.tools import format_amount, format_date, formatLang

from ..models.dunning_engine_owned import check_readable
from ..models.dunning_inputs import to_date
from ..models.dunning_tools import check_dunning_access

# French legal forms a company's name often ends with ("Dupont SARL"): the
# legal form the court's form asks, when no field of the partner holds it.
LEGAL_FORMS = (
    "SA",
    "SAS",
    "SASU",
    "SARL",
    "EURL",
    "SNC",
    "SCS",
    "SCA",
    "SCI",
    "SCP",
    "SCM",
    "SCOP",
    "SELARL",
    "SELAS",
    "SELAFA",
    "GIE",
    "EI",
    "EIRL",
    "EARL",
    "GAEC",
    "SEM",
    "SPL",
)
# The fields other modules keep a partner's legal form in, when installed.
LEGAL_FORM_FIELDS = ("legal_form", "l10n_fr_legal_form", "partner_company_type_id")
# The official forms of a request for an order for payment (Cerfa): at the
# commercial court for a debt between traders, at the judicial court
# otherwise (see the README for the sources).
CERFA_COMMERCIAL = "12946*02"
CERFA_CIVIL = "12948*06"


class ReportDunningLegalClaim(models.AbstractModel):
    """The claim summary: who claims what from whom, invoice by invoice,
    the penalties with their periods and rates, the indemnities, the
    payments received and the formal notice."""

    _name = "report.account_dunning.report_dunning_legal_claim"
    _description = "Claim Summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        # the report's URL is open to portal users: legal files are not
        check_dunning_access(self.env, "read", self.env._("print legal files"))
        data = data or {}
        company = self.env.company
        if data.get("company_id"):
            company = self.env["res.company"].browse(int(data["company_id"]))
        check_readable(company)
        env = self.with_company(company).env
        date = to_date(self.env, data.get("date"), self.env._("The date"))
        date = date or env["account.dunning.engine"]._get_today(company)
        lang = data.get("lang") or env["account.dunning.legal.file"]._get_lang()
        docs = env["res.partner"].browse(docids)
        check_readable(docs)
        report = self.with_env(env)
        return {
            "doc_ids": docs.ids,
            "doc_model": "res.partner",
            "docs": docs,
            "lang": lang,
            "documents": {
                doc.id: report._prepare_document(
                    doc.commercial_partner_id, company, date, lang, data
                )
                for doc in docs
            },
        }

    # ------------------------------------------------------------------
    # What every document of the file shows
    # ------------------------------------------------------------------

    @api.model
    def _prepare_document(self, partner, company, date, lang, data):
        """Everything the document shows, in ``lang``."""
        env = self.with_context(lang=lang).env
        LegalFile = self.env["account.dunning.legal.file"]
        claim = LegalFile._get_claim(partner, company, date)
        notice = LegalFile._get_formal_notice(partner, company)
        long_date = format_date(env, date, lang_code=lang, date_format="long")
        return {
            "lang": lang,
            "company": company,
            "color": company.primary_color or "#333333",
            "footer": company.report_footer or "",
            "creditor": self._get_identity(company.partner_id, env, name=company.name),
            "debtor": self._get_identity(partner, env),
            "date": long_date,
            "place_date": env._("%(city)s, %(date)s", city=company.city, date=long_date)
            if company.city
            else long_date,
            "notice": self._prepare_notice(notice, env),
            "sections": [self._prepare_section(values, env, company) for values in claim.values()],
            "several_currencies": len(claim) > 1,
        }

    @api.model
    def _day(self, env, value):
        return format_date(env, value, lang_code=env.lang) if value else ""

    @api.model
    def _get_identity(self, partner, env, name=None):
        """Who a party is, as a court's form asks it: name, legal form,
        SIREN (the company ID, else the SIRET's first nine digits), address
        lines, VAT number, email and phone. What is unknown is empty."""
        partner = partner.with_env(env)
        legal_form = ""
        for fname in LEGAL_FORM_FIELDS:
            field = partner._fields.get(fname)
            if not field or not partner[fname]:
                continue
            if field.type == "many2one":
                legal_form = partner[fname].display_name
            elif field.type == "selection":
                legal_form = dict(field._description_selection(env)).get(partner[fname], "")
            else:
                legal_form = str(partner[fname])
            break
        name = name or partner.name or ""
        if not legal_form and partner.is_company:
            words = re.findall(r"[A-Za-z]+", name.replace(".", ""))
            found = [word.upper() for word in words if word.upper() in LEGAL_FORMS]
            legal_form = found[-1] if found else ""
        siren = ""
        registry = partner.company_registry or ""
        siret = partner["siret"] if "siret" in partner._fields else ""
        for value in (registry, siret):
            digits = re.sub(r"\D", "", value or "")
            if len(digits) in (9, 14):
                siren = f"{digits[:3]} {digits[3:6]} {digits[6:9]}"
                break
        address_format, args = partner._prepare_display_address(without_company=True)
        home = self.env.company.country_id
        if partner.country_id == home:
            args["country_name"] = ""
        lines = [line.strip() for line in (address_format % args).split("\n")]
        return {
            "name": name,
            "legal_form": legal_form,
            "siren": siren,
            "registry": registry if registry and not siren else "",
            "address_lines": [line for line in lines if line],
            "city": partner.city or "",
            "vat": partner.vat or "",
            "email": partner.email or "",
            "phone": partner.phone or partner.mobile or "",
            "is_company": partner.is_company,
        }

    @api.model
    def _prepare_notice(self, notice, env):
        """The formal notice as it went: when, how, its registered letter."""
        if not notice:
            return {}
        notice = notice.with_env(env)
        return {
            "ref": notice.name,
            "date": self._day(env, notice.date),
            "channels": ", ".join(notice._get_channel_labels()),
            "amount": format_amount(
                env, notice.amount_overdue, notice.currency_id, lang_code=env.lang
            ),
            "registered_number": notice.registered_number or "",
            "posted": self._day(env, notice.letter_posted_date),
            "ack_date": self._day(env, notice.registered_ack_date),
            "returned": notice.registered_returned,
            "presented": self._day(
                env, notice.registered_presented_date or notice.letter_posted_date
            ),
            "received": self._day(env, notice.notice_date),
            "deadline": self._day(env, notice.notice_deadline),
            "days": notice.notice_days,
        }

    @api.model
    def _get_rate_text(self, env, rate):
        return f"{formatLang(env, rate, digits=2)}\N{NO-BREAK SPACE}%"

    @api.model
    def _get_basis(self, invoices, env, company):
        """The legal basis of the charges claimed, per customer type."""
        kinds = {
            invoice["kind"] for invoice in invoices if invoice["penalty"] or invoice["indemnity"]
        }
        paragraphs = []
        for kind in ("company", "public"):
            if kind not in kinds:
                continue
            moves = [invoice["move"] for invoice in invoices if invoice["kind"] == kind]
            agreed = (
                moves[0].commercial_partner_id.with_company(company).dunning_penalty_rate
                or company.dunning_penalty_rate
            )
            if kind == "company" and agreed:
                paragraphs.append(
                    env._(
                        "Late-payment penalties at the agreed rate of %(rate)s a year, never "
                        "below three times the legal interest rate (article L441-10 of the "
                        "Commercial Code).",
                        rate=self._get_rate_text(env, agreed),
                    )
                )
            else:
                paragraphs.append(
                    env._(
                        "Late-payment penalties are due from the day after the due date, "
                        "at the rate of the European Central Bank plus %(points)s points "
                        "(article L441-10 of the Commercial Code).",
                        points="8" if kind == "public" else "10",
                    )
                )
            paragraphs.append(
                env._(
                    "A fixed indemnity for recovery costs of 40 EUR is due per invoice paid "
                    "late (article D441-5 of the Commercial Code)."
                )
            )
        if "individual" in kinds:
            paragraphs.append(
                env._(
                    "Interest at the legal rate from the formal notice (article 1344-1 of the "
                    "Civil Code)."
                )
            )
        if any(
            invoice["penalty"] != invoice["penalty_due"]
            or invoice["indemnity"] != invoice["indemnity_due"]
            for invoice in invoices
        ):
            paragraphs.append(
                env._("Penalties and indemnities already invoiced or waived are not claimed.")
            )
        return paragraphs

    @api.model
    def _prepare_section(self, values, env, company):
        """One currency's claim, its amounts formatted in that currency."""
        currency = values["currency"]

        def money(amount):
            return format_amount(env, amount, currency, lang_code=env.lang)

        invoices, penalties, indemnities = [], [], []
        for invoice in values["invoices"]:
            not_due = currency.round(invoice["residual"] - invoice["principal"])
            invoices.append(
                {
                    "number": invoice["number"],
                    "date": self._day(env, invoice["date"]),
                    "date_due": self._day(env, invoice["date_due"]),
                    "days": invoice["days"],
                    "total": money(invoice["total"]),
                    "paid": money(invoice["total"] - invoice["residual"]),
                    "residual": money(invoice["residual"]),
                    "principal": money(invoice["principal"]),
                    "not_due": money(not_due) if currency.compare_amounts(not_due, 0) > 0 else "",
                }
            )
            if invoice["penalty"]:
                settled = currency.round(invoice["penalty"] - invoice["penalty_due"])
                penalties.append(
                    {
                        "number": invoice["number"],
                        "periods": [
                            {
                                "date_from": self._day(env, period["date_from"]),
                                "date_to": self._day(env, period["date_to"]),
                                "base": money(period["base"]),
                                "rate": self._get_rate_text(env, period["rate"]),
                                "days": period["days"],
                                "amount": money(period["amount"]),
                            }
                            for period in invoice["periods"]
                        ],
                        "accrued": money(invoice["penalty"]),
                        "settled": money(-settled)
                        if currency.compare_amounts(settled, 0) > 0
                        else "",
                        "due": money(invoice["penalty_due"]),
                    }
                )
            if invoice["indemnity"]:
                settled = currency.round(invoice["indemnity"] - invoice["indemnity_due"])
                indemnities.append(
                    {
                        "number": invoice["number"],
                        "accrued": money(invoice["indemnity"]),
                        "settled": money(-settled)
                        if currency.compare_amounts(settled, 0) > 0
                        else "",
                        "due": money(invoice["indemnity_due"]),
                    }
                )
        kinds = {
            "payment": env._("Payment"),
            "credit_note": env._("Credit note"),
        }
        return {
            "currency": currency.name,
            "invoices": invoices,
            "penalties": penalties,
            "indemnities": indemnities,
            "basis": self._get_basis(values["invoices"], env, company),
            "payments": [
                {
                    "date": self._day(env, payment["date"]),
                    "reference": payment["reference"],
                    "memo": payment["memo"],
                    "invoice": payment["invoice"],
                    "kind": kinds[payment["kind"]],
                    "amount": money(payment["amount"]),
                }
                for payment in values["payments"]
            ],
            "credits": [
                {
                    "date": self._day(env, credit["date"]),
                    "reference": credit["reference"],
                    "memo": credit["memo"],
                    "amount": money(credit["amount"]),
                }
                for credit in values["credits"]
            ],
            "invoiced": money(values["invoiced"]),
            "credited": money(-values["credited"]) if values["credits"] else "",
            "principal": money(values["principal"]),
            "penalties_total": money(values["penalties"]),
            "indemnities_total": money(values["indemnities"]),
            "total": money(values["total"]),
            "interest_from": self._day(env, values["interest_from"]),
            "rates": " / ".join(
                self._get_rate_text(env, rate)
                for rate in sorted(
                    {
                        period["rate"]
                        for invoice in values["invoices"]
                        for period in invoice["periods"]
                    }
                )
            ),
            "indemnity_count": len([i for i in values["invoices"] if i["indemnity_due"]]),
            "values": values,
        }


class ReportDunningLegalHistory(models.AbstractModel):
    """The reminder history: every reminder of the customer in the
    company, how it went and what became of it."""

    _name = "report.account_dunning.report_dunning_legal_history"
    _inherit = "report.account_dunning.report_dunning_legal_claim"
    _description = "Reminder History"

    @api.model
    def _prepare_document(self, partner, company, date, lang, data):
        document = super()._prepare_document(partner, company, date, lang, data)
        env = self.with_context(lang=lang).env
        reminders = self.env["account.dunning.legal.file"]._get_reminders(partner, company)
        states = dict(reminders._fields["state"]._description_selection(env))
        rows = []
        for reminder in reminders.with_env(env):
            received = ""
            if reminder.registered_ack_date:
                received = env._(
                    "acknowledged on %(date)s", date=self._day(env, reminder.registered_ack_date)
                )
            elif reminder.registered_returned:
                received = env._("returned unclaimed")
            rows.append(
                {
                    "date": self._day(env, reminder.date),
                    "ref": reminder.name,
                    "level": reminder.level_id.name,
                    "formal_notice": reminder.level_id.letter_kind == "formal_notice",
                    "channels": ", ".join(reminder._get_channel_labels()),
                    "invoices": ", ".join(reminder.line_ids.move_id.mapped("name")),
                    "amount": format_amount(
                        env, reminder.amount_due, reminder.currency_id, lang_code=lang
                    ),
                    "state": states.get(reminder.state, ""),
                    "registered_number": reminder.registered_number or "",
                    "received": received,
                    "deadline": self._day(env, reminder.notice_deadline),
                }
            )
        document["reminders"] = rows
        return document


class ReportDunningLegalRequest(models.AbstractModel):
    """The request the road needs, filled in: the annex to the request
    for an order for payment (every field of the court's form), the
    letter to the commissaire de justice (small claims), the cover letter
    to the collection agency or to the lawyer."""

    _name = "report.account_dunning.report_dunning_legal_request"
    _inherit = "report.account_dunning.report_dunning_legal_claim"
    _description = "Legal File Request"

    @api.model
    def _prepare_document(self, partner, company, date, lang, data):
        document = super()._prepare_document(partner, company, date, lang, data)
        env = self.with_context(lang=lang).env
        road = data.get("road") or "order_for_payment"
        LegalFile = self.env["account.dunning.legal.file"]
        kind = partner.with_company(company).dunning_customer_type or "company"
        document.update(
            {
                "road": road,
                "title": LegalFile._get_request_title(road, env),
                "pieces": data.get("pieces") or [],
                "basis": self._get_claim_basis(partner, company, document, env),
                "addressee": self._get_addressee(partner, company, road, env, data),
                "court": self._get_court(document["debtor"], kind, env),
            }
        )
        return document

    @api.model
    def _get_court(self, debtor, kind, env):
        """The court an order for payment is asked of, and its form: the
        commercial court for a debt between traders, the judicial court
        otherwise, at the place of the debtor (article 1406 of the Code of
        Civil Procedure). A public body is not for this procedure."""
        city = debtor["city"] or "…"
        if kind == "company":
            return {
                "cerfa": CERFA_COMMERCIAL,
                "name": env._("The President of the Commercial Court of %(city)s", city=city),
                "note": env._(
                    "A debt between traders goes to the commercial court (the economic "
                    "activities court where it replaced it) of the place of the debtor's "
                    "registered office (article 1406 of the Code of Civil Procedure). For a "
                    "debtor who is not a trader (liberal profession, association), the "
                    "judicial court and form %(cerfa)s.",
                    cerfa=CERFA_CIVIL,
                ),
                "warning": "",
            }
        return {
            "cerfa": CERFA_CIVIL,
            "name": env._("The Judicial Court of %(city)s", city=city),
            "note": env._(
                "A debtor who is not a trader is asked before the judicial court of the "
                "place where it lives (article 1406 of the Code of Civil Procedure)."
            ),
            "warning": env._(
                "The customer is a public body: the order for payment does not suit a "
                "public contract, which goes to the administrative court. Ask a lawyer "
                "before filing."
            )
            if kind == "public"
            else "",
        }

    @api.model
    def _get_claim_basis(self, partner, company, document, env):
        """The basis of the claim, in sentences: the invoices, the formal
        notice left unanswered."""
        numbers = [
            invoice["number"] for section in document["sections"] for invoice in section["invoices"]
        ]
        sentences = [
            env._(
                "Invoices %(invoices)s for goods sold or services rendered, due and left "
                "unpaid.",
                invoices=", ".join(numbers),
            )
        ]
        notice = document["notice"]
        if notice:
            sentences.append(
                env._(
                    "Formal notice %(ref)s sent on %(date)s, left unanswered.",
                    ref=notice["ref"],
                    date=notice["date"],
                )
            )
            if notice["registered_number"]:
                sentences.append(
                    env._(
                        "Registered letter with acknowledgement of receipt no. %(number)s"
                        "%(received)s.",
                        number=notice["registered_number"],
                        received=env._(", received on %(date)s", date=notice["ack_date"])
                        if notice["ack_date"]
                        else "",
                    )
                )
        return sentences

    @api.model
    def _get_addressee(self, partner, company, road, env, data):
        """Who the letter goes to: the collection agency given (a
        hand-off), else the customer's litigation's, else the company's;
        nobody known for a commissaire de justice or a lawyer (the lines
        are left to fill in)."""
        if road != "agency":
            return {}
        agency = self.env["res.partner"].browse(data.get("agency_id") or [])
        if agency:
            check_readable(agency)
        else:
            agency = partner.with_company(company).dunning_litigation_id.agency_id
        if not agency and "dunning_agency_id" in company._fields:
            agency = company.dunning_agency_id
        return self._get_identity(agency, env) if agency else {}
