# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's statements (outstanding and account activity): what the
statement wizard, Customer Accounts and reminder emails print."""

from collections import defaultdict

from odoo import api, fields, models

from .account_dunning_aging import AGING_BUCKETS, _get_aging_bucket
from .dunning_tools import safe_filename
from .res_partner import STATEMENT_REPORTS


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Statements
    # ------------------------------------------------------------------

    def _get_dunning_statement(self, date_from, date_to, statement_type="outstanding"):
        """The customer's statement in the current company, one dict per
        currency (each in its own currency), company currency first:

        - ``outstanding``: every receivable item still open at ``date_to``
          (unpaid invoices, unused credit notes and payments), with what is
          left of each at that date: a reconciliation made after it does not
          count yet;
        - ``activity``: every invoice, credit note and payment dated from
          ``date_from`` to ``date_to``, from the balance before ``date_from``
          (``opening_balance``) with a running balance.

        Each dict: ``currency_id``, ``opening_balance``, ``lines`` (dicts of
        ``move_id``, ``date``, ``date_due``, ``name``, ``ref``, ``amount``,
        ``residual`` at ``date_to``, ``balance``), ``closing_balance`` and
        ``aging``: what is open at ``date_to`` by days past due (``not_due``,
        ``1_30``, ``31_60``, ``61_90``, ``over_90``)."""
        self.ensure_one()
        if statement_type not in ("outstanding", "activity"):
            raise ValueError(f"unknown statement type {statement_type!r}")
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", date_to),
            ],
            order="date, move_name, id",
        )
        lines.fetch(["date", "date_maturity", "amount_currency", "currency_id", "move_id", "name"])
        residuals = self._get_dunning_residuals_at(lines, date_to)
        sections = {}

        def section(currency):
            return sections.setdefault(
                currency,
                {
                    "currency_id": currency.id,
                    "opening_balance": 0.0,
                    "lines": [],
                    "closing_balance": 0.0,
                    "aging": dict.fromkeys(AGING_BUCKETS, 0.0),
                },
            )

        for line in lines:
            currency = line.currency_id
            residual = residuals[line.id]
            date_due = line.date_maturity or line.date
            if not currency.is_zero(residual):
                bucket = _get_aging_bucket((date_to - date_due).days)
                section(currency)["aging"][bucket] += residual
            if statement_type == "outstanding":
                shown = not currency.is_zero(residual)
            elif line.date < date_from:
                section(currency)["opening_balance"] += line.amount_currency
                shown = False
            else:
                shown = not (currency.is_zero(line.amount_currency) and currency.is_zero(residual))
            if shown:
                values = section(currency)
                step = residual if statement_type == "outstanding" else line.amount_currency
                previous = values["lines"][-1]["balance"] if values["lines"] else None
                start = values["opening_balance"] if previous is None else previous
                values["lines"].append(
                    {
                        "move_id": line.move_id.id,
                        "date": line.date,
                        "date_due": date_due,
                        "name": line.move_id.name,
                        "ref": line.move_id.ref
                        or (line.name if line.name != line.move_id.name else ""),
                        "amount": line.amount_currency,
                        "residual": residual,
                        "balance": start + step,
                    }
                )
        company_currency = self.env.company.currency_id
        result = []
        for currency, values in sorted(
            sections.items(), key=lambda item: (item[0] != company_currency, item[0].name)
        ):
            if values["lines"]:
                values["closing_balance"] = values["lines"][-1]["balance"]
            else:
                values["closing_balance"] = values["opening_balance"]
            if not values["lines"] and currency.is_zero(values["closing_balance"]):
                continue
            result.append(values)
        return result

    def _render_dunning_statement(self, date_from, date_to, statement_type, lang=None):
        """This customer's statement in the current company, as a PDF, with
        its name in ``lang`` (the customer's by default): (content, name)."""
        self.ensure_one()
        report = self.env.ref(STATEMENT_REPORTS[statement_type])
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            report,
            self.ids,
            data={
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
                "company_id": self.env.company.id,
            },
        )
        return content, report.with_context(lang=lang or self.lang).name

    def _get_dunning_statement_filename(self, statement_type, extension=""):
        """The download name of this customer's statement, in the user's
        language: the statement's name and the customer's, safe as a file
        name (``safe_filename``); Odoo adds the extension to a report's."""
        self.ensure_one()
        report = self.env.ref(STATEMENT_REPORTS[statement_type])
        return safe_filename(f"{report.name} - {self.name}{extension}")

    @api.model
    def _get_dunning_residuals_at(self, lines, date):
        """{line id: what was left of it, in its currency, at ``date``}:
        its amount less the reconciliations dated up to ``date`` (one query
        for any number of lines)."""
        applied = defaultdict(float)
        partials = self.env["account.partial.reconcile"].search(
            [
                "|",
                ("debit_move_id", "in", lines.ids),
                ("credit_move_id", "in", lines.ids),
                ("max_date", "<=", date),
            ]
        )
        partials.fetch(
            ["debit_move_id", "credit_move_id", "debit_amount_currency", "credit_amount_currency"]
        )
        for partial in partials:
            applied[partial.debit_move_id.id] -= partial.debit_amount_currency
            applied[partial.credit_move_id.id] += partial.credit_amount_currency
        return {line.id: line.amount_currency + applied[line.id] for line in lines}
