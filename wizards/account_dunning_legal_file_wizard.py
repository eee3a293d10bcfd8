# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..models.account_dunning_legal_file import SMALL_CLAIMS_LIMIT_EUR
from ..models.account_dunning_litigation import LITIGATION_ROADS
from ..models.dunning_engine_owned import check_readable
from ..models.dunning_tools import check_dunning_access


class AccountDunningLegalFileWizard(models.TransientModel):
    """Prepare the Legal File of a customer not in litigation: the road
    the claim takes decides the request the file holds."""

    _name = "account.dunning.legal.file.wizard"
    _description = "Prepare the Legal File"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    road = fields.Selection(
        LITIGATION_ROADS,
        required=True,
        help="The request the file holds: for an order for payment, an annex listing "
        "the fields of the court's form filled in; for the small-claims procedure, the "
        "letter to the commissaire de justice; for an agency or a lawyer, a cover letter.",
    )
    claim_text = fields.Text(string="Claim", compute="_compute_claim", readonly=True)
    small_claims_warning = fields.Char(compute="_compute_claim")

    @api.constrains("partner_id", "company_id")
    def _check_readable(self):
        """Only a customer the user may read, in a company they selected."""
        for wizard in self:
            check_readable(wizard.company_id, wizard.partner_id)

    @api.depends("partner_id", "company_id")
    def _compute_claim(self):
        LegalFile = self.env["account.dunning.legal.file"]
        for wizard in self:
            wizard.claim_text = False
            wizard.small_claims_warning = False
            if not (wizard.partner_id and wizard.company_id):
                continue
            claim = LegalFile._get_claim(wizard.partner_id, wizard.company_id)
            wizard.claim_text = "\n".join(
                self.env._(
                    "%(currency)s: principal %(principal)s, penalties %(penalties)s, "
                    "indemnities %(indemnities)s, total claimed %(total)s",
                    currency=currency.name,
                    principal=format_amount(self.env, values["principal"], currency),
                    penalties=format_amount(self.env, values["penalties"], currency),
                    indemnities=format_amount(self.env, values["indemnities"], currency),
                    total=format_amount(self.env, values["total"], currency),
                )
                for currency, values in claim.items()
            ) or self.env._("No invoice past due.")
            try:
                LegalFile._check_small_claims(
                    claim,
                    wizard.company_id,
                    self.env["account.dunning.engine"]._get_today(wizard.company_id),
                )
            except UserError:
                wizard.small_claims_warning = self.env._(
                    "Above %(limit)s in principal and interest: the small-claims procedure "
                    "is not open to this claim.",
                    limit=format_amount(self.env, SMALL_CLAIMS_LIMIT_EUR, self.env.ref("base.EUR")),
                )

    @api.model
    def _action_open(self, partner):
        """The form for ``partner`` in the current company, its road the
        litigation's when it had one, else the order for payment."""
        check_dunning_access(self.env, "user", self.env._("prepare legal files"))
        company = self.env.company
        road = partner.with_company(company).dunning_litigation_road or "order_for_payment"
        wizard = self.create({"partner_id": partner.id, "company_id": company.id, "road": road})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Prepare the Legal File"),
        }

    def action_prepare(self):
        """Make the file and download it."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        attachment = partner._dunning_make_legal_file(road=self.road)
        return partner._dunning_legal_file_download(attachment)
