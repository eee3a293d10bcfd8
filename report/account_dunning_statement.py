# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from ..models.account_dunning_aging import AGING_BUCKETS
from ..models.dunning_inputs import to_date
from ..models.dunning_tools import check_dunning_access


class ReportDunningStatement(models.AbstractModel):
    """The outstanding statement: what each customer owes at a date, per
    currency, with its aging. Values are prepared here, in the customer's
    language, so that the template only lays them out."""

    _name = "report.account_dunning.report_dunning_statement"
    _description = "Customer Outstanding Statement"

    _statement_type = "outstanding"

    @api.model
    def _get_report_values(self, docids, data=None):
        # the report's URL is open to portal users: statements are not
        check_dunning_access(self.env, "read", self.env._("print statements"))
        data = data or {}
        env = self.env
        if data.get("company_id"):
            env = self.with_company(data["company_id"]).env
        # the dates come from the browser: a date that is none is said
        date_to = to_date(self.env, data.get("date_to"), self.env._("The end date"))
        date_to = date_to or fields.Date.context_today(self)
        date_from = to_date(self.env, data.get("date_from"), self.env._("The start date"))
        date_from = date_from or date_to + relativedelta(day=1, month=1)
        # printed from the client with data, the ids come in the data
        docs = env["res.partner"].browse(docids or data.get("partner_ids") or [])
        return {
            "doc_ids": docs.ids,
            "doc_model": "res.partner",
            "docs": docs,
            "company": env.company,
            "statements": {
                doc.id: self._prepare_statement(doc.with_env(env), date_from, date_to)
                for doc in docs
            },
        }

    @api.model
    def _prepare_statement(self, partner, date_from, date_to):
        """Everything one customer's statement shows, in its language."""
        lang = partner.lang or self.env.lang or "en_US"
        env = partner.with_context(lang=lang).env
        sections = partner._get_dunning_statement(date_from, date_to, self._statement_type)

        def day(value):
            return format_date(env, value, lang_code=lang) if value else ""

        return {
            "lang": lang,
            "title": self._get_title(env),
            "date_from": day(date_from),
            "date_to": day(date_to),
            "sections": [self._prepare_section(env, section, day) for section in sections],
        }

    @api.model
    def _get_title(self, env):
        return env._("Outstanding Statement")

    @api.model
    def _prepare_section(self, env, section, day):
        """One currency's table, its amounts formatted in that currency."""
        currency = env["res.currency"].browse(section["currency_id"])

        def money(amount):
            return format_amount(env, amount, currency, lang_code=env.lang)

        aging = [money(section["aging"][bucket]) for bucket in AGING_BUCKETS]
        return {
            "currency": currency.name,
            "opening_balance": money(section["opening_balance"]),
            "closing_balance": money(section["closing_balance"]),
            "lines": [
                {
                    "date": day(line["date"]),
                    "date_due": day(line["date_due"]),
                    "name": line["name"],
                    "ref": line["ref"] or "",
                    "amount": money(line["amount"]),
                    "residual": money(line["residual"]),
                    "balance": money(line["balance"]),
                }
                for line in section["lines"]
            ],
            "aging": aging,
            "aging_total": money(sum(section["aging"].values())),
        }


class ReportDunningStatementActivity(models.AbstractModel):
    """The account statement: every movement of the period, from the
    opening balance, with a running balance."""

    _name = "report.account_dunning.report_dunning_statement_activity"
    _inherit = "report.account_dunning.report_dunning_statement"
    _description = "Customer Account Statement"

    _statement_type = "activity"

    @api.model
    def _get_title(self, env):
        return env._("Account Statement")
