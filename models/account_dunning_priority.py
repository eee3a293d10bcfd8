# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountDunningPriority(models.Model):
    """The priority of an open invoice (``account.dunning.behaviour
    ._get_priority``) as of the last refresh of its company: the daily job
    and the Refresh buttons write it, the worklist sorts by it
    (``account.move.dunning_priority``). A narrow table of its own: a score
    written on each of 200,000 invoice rows would take seconds every day.
    Invoices with nothing overdue have no row (a priority of 0)."""

    _name = "account.dunning.priority"
    _description = "Invoice Reminder Priority"
    _log_access = False

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    priority = fields.Integer(readonly=True)

    _sql_constraints = [
        ("move_unique", "unique(move_id)", "An invoice has one priority."),
    ]
