# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    """A payment received on an invoice handed to a collection agency is
    told to the agency (``account.dunning.litigation
    ._dunning_agency_report_payments``): the reconciliation is the moment
    Odoo knows the invoice was paid, whatever made it (a registered
    payment, a bank statement, a credit note)."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self.env["account.dunning.litigation"]._dunning_agency_report_payments(partials)
        return partials
