# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The legal file of a customer (issue 23): what the company claims, and
the documents a court, a commissaire de justice, a collection agency or a
lawyer needs to take the claim further."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from .account_dunning import LETTER_REPORT
from .account_dunning_litigation import LITIGATION_ROADS
from .dunning_engine_owned import check_readable
from .dunning_tools import check_dunning_access, safe_filename

_logger = logging.getLogger(__name__)

CLAIM_REPORT = "account_dunning.action_report_dunning_legal_claim"
HISTORY_REPORT = "account_dunning.action_report_dunning_legal_history"
REQUEST_REPORT = "account_dunning.action_report_dunning_legal_request"
# The documents of a legal file are read by a French court: in French when
# the language is installed.
LEGAL_FILE_LANG = "fr_FR"
# Code des procédures civiles d'exécution, R125-1: the simplified recovery
# of small claims by a commissaire de justice, for at most 5,000 euros in
# principal and interest.
SMALL_CLAIMS_LIMIT_EUR = 5000.0


class AccountDunningLegalFile(models.AbstractModel):
    """The legal file of a customer in a company: the claim (``_get_claim``,
    the engine's figures: what is left of each overdue invoice and the
    late-payment charges still owed, so that charges invoiced or waived are
    never claimed twice) and its documents (``_get_documents``): the
    request the road needs, the claim summary, the invoices, the formal
    notice as sent, the reminder history and the outstanding statement.
    ``res.partner._dunning_make_legal_file`` makes the ZIP."""

    _name = "account.dunning.legal.file"
    _description = "Legal File"

    # ------------------------------------------------------------------
    # The claim
    # ------------------------------------------------------------------

    @api.model
    def _get_claim(self, partner, company, date=None):
        """What ``partner`` (its commercial partner) owes ``company`` on
        ``date`` (the company's today by default), per currency, amounts in
        that currency and never added across currencies: {res.currency:
        dict}, the company's currency first. Each dict holds:

        - ``invoices``: the posted customer invoices with an installment
          past due on ``date`` and still open, each a dict of ``move``,
          ``number``, ``date``, ``date_due``, ``total``, ``residual`` (what
          is left of it), ``principal`` (what is left of its installments
          past due: the principal claimed), ``penalty`` (accrued),
          ``penalty_due`` (still owed: ``account.move._get_dunning_charges``),
          ``periods`` (``date_from``, ``date_to``, ``base``, ``rate``,
          ``days``, ``amount``), ``rate``, ``days``, ``indemnity`` and
          ``indemnity_due``, ``kind`` (the customer's type);
        - ``payments``: what was received on them by ``date`` (``date``,
          ``amount``, ``reference``, ``memo``, ``invoice``, ``kind``:
          ``payment`` or ``credit_note``);
        - ``credits``: payments and credit notes of the customer not
          matched with any invoice (``date``, ``reference``, ``amount``),
          which the principal claimed is lowered by;
        - the totals: ``invoiced`` (the invoices' principal), ``credited``,
          ``principal`` (the one less the other), ``penalties``,
          ``indemnities``, ``total`` (what is claimed), ``interest_from``
          (the first day of interest).

        The amounts are the engine's: ``amount_residual`` and the charges'
        ``penalty_due`` and ``indemnity_due``."""
        partner = partner.commercial_partner_id
        check_readable(company, partner)
        date = fields.Date.to_date(date) or self.env["account.dunning.engine"]._get_today(company)
        Move = self.env["account.move"].with_company(company)
        moves = Move.search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("company_id", "=", company.id),
                ("commercial_partner_id", "=", partner.id),
                ("amount_residual", ">", 0),
            ],
            order="invoice_date_due, invoice_date, name, id",
        )
        sections = {}

        def section(currency):
            return sections.setdefault(
                currency,
                {
                    "currency": currency,
                    "invoices": [],
                    "payments": [],
                    "credits": [],
                    "invoiced": 0.0,
                    "credited": 0.0,
                    "principal": 0.0,
                    "penalties": 0.0,
                    "indemnities": 0.0,
                    "total": 0.0,
                    "interest_from": False,
                },
            )

        receivables = {
            move: move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            for move in moves
        }
        overdue = moves.filtered(
            lambda move: any(
                line.amount_residual_currency > 0
                and (line.date_maturity or move.invoice_date_due) < date
                for line in receivables[move]
            )
        )
        charges = overdue._get_dunning_charges(date)
        for move in overdue:
            currency = move.currency_id
            lines = receivables[move]
            principal = currency.round(
                sum(
                    line.amount_residual_currency
                    for line in lines
                    if line.amount_residual_currency > 0
                    and (line.date_maturity or move.invoice_date_due) < date
                )
            )
            charge = charges[move.id]
            values = section(currency)
            values["invoices"].append(
                {
                    "move": move,
                    "number": move.name,
                    "date": move.invoice_date,
                    "date_due": move.invoice_date_due,
                    "total": move.amount_total,
                    "residual": move.amount_residual,
                    "principal": principal,
                    "penalty": charge["penalty"],
                    "penalty_due": charge["penalty_due"],
                    "periods": charge["periods"],
                    "rate": charge["rate"],
                    "days": charge["days"],
                    "indemnity": charge["indemnity"],
                    "indemnity_due": charge["indemnity_due"],
                    "kind": charge["kind"],
                }
            )
            for partial in lines.matched_credit_ids.sorted(lambda p: (p.max_date, p.id)):
                if partial.max_date > date:
                    continue
                paid_by = partial.credit_move_id.move_id
                values["payments"].append(
                    {
                        "date": partial.max_date,
                        "amount": partial.debit_amount_currency,
                        "reference": paid_by.name,
                        "memo": paid_by.ref or "",
                        "invoice": move.name,
                        "kind": "credit_note" if paid_by.move_type == "out_refund" else "payment",
                    }
                )
            periods = [period for period in charge["periods"] if period["amount"]]
            if periods:
                start = min(period["date_from"] for period in periods)
                values["interest_from"] = min(values["interest_from"] or start, start)
        if sections:
            # what the customer paid or was credited without it being
            # matched with an invoice lowers what is claimed
            credits = self.env["account.move.line"].search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "child_of", partner.id),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                    ("amount_residual_currency", "<", 0),
                    ("date", "<=", date),
                ],
                order="date, id",
            )
            for line in credits.filtered(lambda line: line.currency_id in sections):
                section(line.currency_id)["credits"].append(
                    {
                        "date": line.date,
                        "reference": line.move_id.name,
                        "memo": line.move_id.ref or "",
                        "amount": -line.amount_residual_currency,
                    }
                )
        for currency, values in sections.items():
            values["payments"].sort(key=lambda payment: payment["date"])
            values["invoiced"] = currency.round(
                sum(invoice["principal"] for invoice in values["invoices"])
            )
            values["credited"] = currency.round(
                sum(credit["amount"] for credit in values["credits"])
            )
            values["principal"] = currency.round(values["invoiced"] - values["credited"])
            values["penalties"] = currency.round(
                sum(invoice["penalty_due"] for invoice in values["invoices"])
            )
            values["indemnities"] = currency.round(
                sum(invoice["indemnity_due"] for invoice in values["invoices"])
            )
            values["total"] = currency.round(
                values["principal"] + values["penalties"] + values["indemnities"]
            )
        company_currency = company.currency_id
        return dict(
            sorted(
                sections.items(),
                key=lambda item: (item[0] != company_currency, item[0].name),
            )
        )

    # ------------------------------------------------------------------
    # The conditions
    # ------------------------------------------------------------------

    @api.model
    def _get_formal_notice(self, partner, company):
        """The last formal notice sent to ``partner`` (its commercial
        partner) in ``company``, or an empty recordset."""
        return self.env["account.dunning"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
                ("level_id.letter_kind", "=", "formal_notice"),
            ],
            order="date desc, id desc",
            limit=1,
        )

    @api.model
    def _check_can_prepare(self, partner, company):
        """Refuse (UserError, saying why) a legal file before the customer
        was given its last chance: a formal notice must have been sent to it
        in ``company`` and, once the day it reached the customer is known
        (the acknowledgement of receipt of its registered letter; for a
        notice without one, the day it was emailed or posted), the deadline
        it gave to pay must have passed (``account.dunning.notice_deadline``,
        ``_get_notice_deadline``: the last day to pay). A registered letter
        whose acknowledgement is not recorded yet does not hold the file
        back. Returns the formal notice."""
        partner = partner.commercial_partner_id
        notice = self._get_formal_notice(partner, company)
        if not notice:
            raise UserError(
                self.env._(
                    "No formal notice was sent to %(customer)s in %(company)s: send one "
                    "before preparing the legal file.",
                    customer=partner.display_name,
                    company=company.name,
                )
            )
        today = self.env["account.dunning.engine"]._get_today(company)
        if notice.notice_deadline and today <= notice.notice_deadline:
            raise UserError(
                self.env._(
                    "The formal notice %(ref)s gives %(customer)s until %(deadline)s to "
                    "pay: the legal file can be prepared from the day after.",
                    ref=notice.name,
                    customer=partner.display_name,
                    deadline=format_date(self.env, notice.notice_deadline),
                )
            )
        return notice

    @api.model
    def _check_small_claims(self, claim, company, date):
        """The simplified recovery of small claims is for a claim of at
        most 5,000 euros in principal and interest (Code des procédures
        civiles d'exécution, R125-1): refuse it above, converted to euros
        at ``date`` for a claim in another currency. Returns the amount in
        euros."""
        eur = self.env.ref("base.EUR")
        amount = sum(
            currency._convert(values["principal"] + values["penalties"], eur, company, date)
            for currency, values in claim.items()
        )
        if eur.compare_amounts(amount, SMALL_CLAIMS_LIMIT_EUR) > 0:
            raise UserError(
                self.env._(
                    "The small-claims procedure is for claims of at most 5,000 EUR in "
                    "principal and interest (article R125-1 of the Code of Civil "
                    "Enforcement Procedures); this claim is %(amount)s: choose the order "
                    "for payment.",
                    amount=format_amount(self.env, amount, eur),
                )
            )
        return amount

    # ------------------------------------------------------------------
    # The documents
    # ------------------------------------------------------------------

    @api.model
    def _get_lang(self):
        """The language of the documents: French when it is installed."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return LEGAL_FILE_LANG if LEGAL_FILE_LANG in installed else self.env.lang or "en_US"

    @api.model
    def _get_road_label(self, road, env):
        """The road's name in the language of ``env``."""
        Litigation = self.env["account.dunning.litigation"]
        return dict(Litigation._fields["road"]._description_selection(env)).get(road, "")

    @api.model
    def _get_request_title(self, road, env):
        """The name of the document the road needs, in the language of
        ``env``."""
        return {
            "order_for_payment": env._("Annex to the Order for Payment Request"),
            "small_claims": env._("Letter to the Commissaire de Justice"),
            "agency": env._("Cover Letter to the Collection Agency"),
            "lawyer": env._("Cover Letter to the Lawyer"),
        }[road]

    @api.model
    def _get_reminders(self, partner, company):
        """The reminders of ``partner`` in ``company``, oldest first."""
        return self.env["account.dunning"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "!=", "draft"),
            ],
            order="date, id",
        )

    @api.model
    def _get_documents(self, partner, company, road, agency=None):
        """The documents of the legal file of ``partner`` (its commercial
        partner) in ``company`` for ``road`` (``LITIGATION_ROADS``), in
        the order of their list (the *bordereau de pièces* the request
        gives): [(file name, PDF bytes)], the names numbered:

        1. the request the road needs: for an order for payment, an annex
           that lists every field of the court's form filled in; for the
           small-claims procedure, the letter to the commissaire de
           justice; for an agency or a lawyer, a cover letter;
        2. the claim summary (récapitulatif de créance);
        3. each invoice's legal PDF, the one Odoo keeps as the invoice;
        4. the formal notice as it was sent (its letter kept on the
           reminder, else made now);
        5. the reminder history;
        6. the outstanding statement.

        ``agency`` is the collection agency the cover letter goes to (by
        default the customer's litigation's, else the company's).

        Refused without a formal notice whose deadline passed
        (``_check_can_prepare``), without anything overdue, and for the
        small-claims procedure above its limit. In French when French is
        installed (``_get_lang``). The reports are rendered side by side,
        each by its own wkhtmltopdf process."""
        check_dunning_access(self.env, "user", self.env._("prepare legal files"))
        partner = partner.commercial_partner_id
        check_readable(company, partner)
        if road not in dict(LITIGATION_ROADS):
            raise UserError(self.env._("Choose the road the claim takes."))
        self = self.with_company(company)
        notice = self._check_can_prepare(partner, company)
        date = self.env["account.dunning.engine"]._get_today(company)
        claim = self._get_claim(partner, company, date)
        if not claim:
            raise UserError(
                self.env._(
                    "%(customer)s has no invoice past due in %(company)s: there is no "
                    "claim to take further.",
                    customer=partner.display_name,
                    company=company.name,
                )
            )
        if road == "small_claims":
            self._check_small_claims(claim, company, date)
        lang = self._get_lang()
        env = self.with_context(lang=lang).env
        moves = self.env["account.move"].concat(
            *(invoice["move"] for values in claim.values() for invoice in values["invoices"])
        )
        titles = [
            ("request", self._get_request_title(road, env)),
            ("claim", env._("Claim Summary")),
            *(("invoice", env._("Invoice %(number)s", number=move.name)) for move in moves),
            ("notice", env._("Formal Notice %(ref)s", ref=notice.name)),
            ("history", env._("Reminder History")),
            ("statement", env._("Outstanding Statement")),
        ]
        names = [
            safe_filename(f"{index:02d} - {title}.pdf")
            for index, (_kind, title) in enumerate(titles, start=1)
        ]
        data = {
            "company_id": company.id,
            "date": fields.Date.to_string(date),
            "road": road,
            "lang": lang,
            "agency_id": agency.id if agency else False,
            # the documents the request lists, by their number in the file
            "pieces": [
                f"{index:02d} - {title}" for index, (_kind, title) in enumerate(titles[1:], start=2)
            ],
        }
        Report = self.env["ir.actions.report"]
        jobs = {}
        try:
            # each report by its own wkhtmltopdf, side by side, while the
            # invoices and the statement are made here
            for kind, report in (
                ("request", REQUEST_REPORT),
                ("claim", CLAIM_REPORT),
                ("history", HISTORY_REPORT),
            ):
                jobs[kind] = Report._dunning_start_pdf_batch(
                    report, partner.ids, standalone=True, data=data
                )
            if not notice.letter_attachment_id:
                jobs["notice"] = Report._dunning_start_pdf_batch(
                    LETTER_REPORT, notice.ids, standalone=True
                )
            # the legal documents of the invoices: Odoo's own, kept on them
            # (made now for those that have none), whatever the user's
            # rights on attachments once the file is theirs to make
            invoice_pdfs = moves.sudo()._get_dunning_invoice_pdfs()
            statement, _title = partner.with_company(company)._render_dunning_statement(
                date - relativedelta(years=1), date, "outstanding", lang=lang
            )
            contents = {}
            for kind, job in jobs.items():
                contents[kind] = job.wait()[notice.id if kind == "notice" else partner.id]
        except Exception:
            for job in jobs.values():
                job.cancel()
            raise
        if "notice" not in contents:
            contents["notice"] = notice.sudo().letter_attachment_id.raw
        contents["statement"] = statement
        documents = []
        invoice_index = 0
        for name, (kind, _title) in zip(names, titles, strict=True):
            if kind == "invoice":
                move = moves[invoice_index]
                invoice_index += 1
                attachment = invoice_pdfs.get(move.id)
                if not attachment:
                    raise UserError(
                        self.env._(
                            "The PDF of invoice %(number)s could not be made: see the server log.",
                            number=move.name,
                        )
                    )
                documents.append((name, attachment.raw))
            else:
                documents.append((name, contents[kind]))
        return documents
