# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


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
    comment = fields.Text()
    letter_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Letter PDF",
        copy=False,
        readonly=True,
    )
    mail_id = fields.Many2one("mail.mail", string="Reminder Email", copy=False, readonly=True)
    failure_reason = fields.Text(copy=False, readonly=True)

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for dunning in self:
            dunning.move_ids = dunning.line_ids.move_id

    @api.depends("line_ids.amount_residual")
    def _compute_amount_due(self):
        for dunning in self:
            dunning.amount_due = sum(dunning.line_ids.mapped("amount_residual"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("account.dunning", sequence_date=vals.get("date"))
                    or "/"
                )
        return super().create(vals_list)


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
