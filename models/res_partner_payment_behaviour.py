# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

from .account_dunning_behaviour import GRADES, PARTNER_VALUES
from .dunning_engine_owned import check_engine_fields
from .dunning_inputs import DUNNING_READ_GROUPS
from .dunning_tools import check_dunning_access


class ResPartner(models.Model):
    """How the customer pays, per company, as of the last refresh
    (``account.dunning.behaviour._refresh``: the daily job, the Refresh
    buttons): written by the refresh alone."""

    _inherit = "res.partner"

    dunning_avg_days_late = fields.Float(
        string="Average Days Late",
        company_dependent=True,
        readonly=True,
        index=False,
        digits=(16, 1),
        help="How many days late the customer paid its invoices paid in the last 12 "
        "months, on average weighted by amount (a payment before the due date counts "
        "as 0 days).",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_avg_days_late_before = fields.Float(
        string="Average Days Late the Year Before",
        company_dependent=True,
        readonly=True,
        index=False,
        digits=(16, 1),
        help="The same average for the invoices paid in the 12 months before the "
        "last 12: the trend.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_on_time_rate = fields.Float(
        string="Paid on Time",
        company_dependent=True,
        readonly=True,
        index=False,
        help="The share of the invoice installments paid in the last 12 months that "
        "were paid by their due date, counted one by one (not by amount).",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_grade = fields.Selection(
        GRADES,
        string="Payment Grade",
        company_dependent=True,
        readonly=True,
        index=False,
        help="A to D from the average days late and the share paid on time, by the "
        "thresholds of the settings; empty without an invoice paid in the last 12 months.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_grade_explanation = fields.Char(
        string="Why This Grade",
        compute="_compute_dunning_grade_explanation",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_priority = fields.Integer(
        string="Reminder Priority",
        company_dependent=True,
        readonly=True,
        index=False,
        help="Whom to chase first: the higher, the sooner. From what is overdue, how "
        "late, the grade and the promises broken; disputes and promises not yet due "
        "lower it. As of the last refresh.",
        groups=DUNNING_READ_GROUPS,
    )

    @api.depends_context("company")
    @api.depends(
        "dunning_grade",
        "dunning_avg_days_late",
        "dunning_avg_days_late_before",
        "dunning_on_time_rate",
    )
    def _compute_dunning_grade_explanation(self):
        Behaviour = self.env["account.dunning.behaviour"]
        befores = self._get_dunning_before_values()
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.dunning_grade_explanation = Behaviour._get_explanation(
                commercial.dunning_grade,
                commercial.dunning_avg_days_late,
                befores.get(commercial.id),
                commercial.dunning_on_time_rate,
            )

    def _get_dunning_before_values(self):
        """{commercial partner id: its average days late the year before in
        the current company}, only for those that have one: the field reads
        0 for the others, which is not "no payment the year before"."""
        ids = [partner_id for partner_id in self.commercial_partner_id.ids if partner_id]
        if not ids:
            return {}
        self.env["res.partner"].flush_model(["dunning_avg_days_late_before"])
        key = str(self.env.company.id)
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, (dunning_avg_days_late_before ->> %s)::float8 FROM res_partner "
                    "WHERE id = ANY(%s) AND dunning_avg_days_late_before ? %s",
                    key,
                    ids,
                    key,
                )
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, set(PARTNER_VALUES), vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, set(PARTNER_VALUES), [vals])
        return super().write(vals)

    @api.model
    def _dunning_refresh_payment_behaviour(self):
        """Refresh the payment behaviour, grade and priority of every
        customer of the current company, and the priorities of its open
        invoices (``account.dunning.behaviour._refresh``). Reminder users
        only: it rewrites every customer's figures. Returns {"customers":
        customers graded, "invoices": open invoices}, with "running" when
        another transaction is refreshing the company (nothing done)."""
        check_dunning_access(
            self.env, "user", self.env._("refresh the customers' payment behaviour")
        )
        return self.env["account.dunning.behaviour"].sudo()._refresh(self.env.company)

    @api.model
    def _action_dunning_refresh_payment_behaviour(self, companies):
        """The Refresh buttons: the refresh of each of ``companies``, then
        a message that says what it did, and the screen read again."""
        graded, running = 0, self.env["res.company"]
        for company in companies:
            result = self.with_company(company)._dunning_refresh_payment_behaviour()
            graded += result["customers"]
            if result.get("running"):
                running |= company
        if running:
            message = self.env._(
                "The grades of %(companies)s are being computed right now (the daily job, "
                "or another user): they will be up to date in a moment.",
                companies=", ".join(running.mapped("name")),
            )
        else:
            message = self.env._(
                "Grades, predicted payment dates and priorities are up to date: "
                "%(count)s customers graded.",
                count=graded,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if running else "success",
                "title": self.env._("Payment behaviour refreshed"),
                "message": message,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
