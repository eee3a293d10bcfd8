# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .dunning_engine_owned import check_engine_fields

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

    # The link of a charges invoice's line to the invoice it charges says
    # what was invoiced of that invoice's charges: the charges billing alone
    # writes it (``account.dunning.charges._invoice_charges``), within
    # ``engine_writes``; a line linked by hand would make charges no longer
    # owed.
    _DUNNING_ENGINE_FIELDS = ("dunning_charged_move_id", "dunning_charge_kind")

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, self._DUNNING_ENGINE_FIELDS, vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, self._DUNNING_ENGINE_FIELDS, [vals])
        return super().write(vals)
