# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountPaymentMethodLine(models.Model):
    _inherit = "account.payment.method.line"

    dunning_direct_debit = fields.Boolean(
        string="Direct Debit",
        help="Invoices whose preferred payment method is this one are "
        "collected by direct debit (prélèvement): when the company says so, "
        "they are never reminded.",
    )
