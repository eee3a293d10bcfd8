# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

CHARGE_KINDS = [
    ("penalty", "Late-payment penalties"),
    ("indemnity", "Recovery indemnity"),
]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_charged_move_id = fields.Many2one(
        "account.move",
        string="Charges Of",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The invoice whose late-payment charges this line invoices.",
    )
    dunning_charge_kind = fields.Selection(
        CHARGE_KINDS,
        string="Charge",
        copy=False,
        readonly=True,
    )
