# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountDunningLine(models.Model):
    """One invoice of a reminder, as it stood when the reminder was made,
    and what the reminder did to it."""

    _name = "account.dunning.line"
    _description = "Payment Reminder Line"
    _order = "dunning_id, is_coming_due, date_due, id"

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
    move_name = fields.Char(related="move_id.name", string="Number")
    invoice_date = fields.Date(related="move_id.invoice_date", string="Invoice Date")
    ref = fields.Char(related="move_id.ref", string="Reference")
    date_due = fields.Date(string="Due Date")
    days_overdue = fields.Integer(string="Days Late")
    is_coming_due = fields.Boolean(
        string="Coming Due",
        help="Not yet due when the reminder was made: listed for information, "
        "apart from the overdue invoices.",
    )
    amount_total = fields.Monetary(string="Amount")
    amount_residual = fields.Monetary(string="Amount Due")
    previous_level_id = fields.Many2one(
        "account.dunning.level",
        string="Level Before",
    )
    previous_date = fields.Date(string="Reminder Before")
    previous_count = fields.Integer(string="Reminders Before")
    new_level_id = fields.Many2one(
        "account.dunning.level",
        string="Level After",
        help="The level the invoice got from this reminder: the reminder's "
        "level when the invoice is late enough for it, else the highest level "
        "it reached, else the level it had.",
    )
    is_counted = fields.Boolean(
        string="Counted",
        help="The reminder counts for this invoice: its last reminder date and "
        "its number of reminders moved.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_engine_only()
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine_only()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_engine(self):
        self._check_engine_only()

    def _check_engine_only(self):
        """The lines are what the invoices were: the engine alone writes
        them (as superuser), and cancelling a reminder restores from them."""
        if not self.env.su:
            raise AccessError(self.env._("The invoices of a reminder cannot be changed."))
