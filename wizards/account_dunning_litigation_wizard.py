# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..models.account_dunning_litigation import LITIGATION_END_REASONS, LITIGATION_ROADS
from ..models.dunning_engine_owned import check_readable


class AccountDunningLitigationWizard(models.TransientModel):
    """Put in Litigation: the date, the road, who handles it and a note;
    ``res.partner._dunning_open_litigation`` does it."""

    _name = "account.dunning.litigation.wizard"
    _description = "Put a Customer in Litigation"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(
        string="In Litigation Since",
        required=True,
        default=lambda self: self.env["account.dunning.engine"]._get_today(self.env.company),
    )
    road = fields.Selection(LITIGATION_ROADS, required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Handled By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        domain="[('dunning_is_collection_agency', '=', True), "
        "('company_id', 'in', (False, company_id))]",
    )
    note = fields.Text()

    @api.constrains("partner_id", "company_id", "agency_id")
    def _check_readable(self):
        """Only a customer and an agency the user may read, in a company
        they selected."""
        for wizard in self:
            check_readable(wizard.partner_id, wizard.company_id, wizard.agency_id)

    def action_confirm(self):
        self.ensure_one()
        check_readable(self.partner_id, self.company_id, self.agency_id)
        self.partner_id.with_company(self.company_id)._dunning_open_litigation(
            self.road,
            date=self.date_start,
            user=self.user_id,
            agency=self.agency_id if self.road == "agency" else None,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}


class AccountDunningLitigationCloseWizard(models.TransientModel):
    """Take Out of Litigation: why (required) and a note;
    ``account.dunning.litigation._close`` does it."""

    _name = "account.dunning.litigation.close.wizard"
    _description = "Take a Customer Out of Litigation"

    litigation_id = fields.Many2one("account.dunning.litigation", required=True, readonly=True)
    partner_id = fields.Many2one(related="litigation_id.partner_id")
    reason = fields.Selection(LITIGATION_END_REASONS, string="Why", required=True)
    date_end = fields.Date(
        string="Closed On",
        required=True,
        default=lambda self: self.env["account.dunning.engine"]._get_today(self.env.company),
    )
    note = fields.Text()

    @api.constrains("litigation_id")
    def _check_readable(self):
        check_readable(self.litigation_id)

    def action_confirm(self):
        self.ensure_one()
        self.litigation_id._close(self.reason, note=self.note, date=self.date_end)
        return {"type": "ir.actions.act_window_close"}
