# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountDunningChargeWaiver(models.Model):
    """Late-payment charges of an invoice that the company gave up: who,
    when, how much, why. A waiver is never changed: a mistake is deleted
    (the charges are owed again) and waived again."""

    _name = "account.dunning.charge.waiver"
    _description = "Waived Late-Payment Charges"
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice')]",
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    penalty_amount = fields.Monetary(
        string="Penalties Waived",
        readonly=True,
        help="The part of the late-payment penalties the customer no longer owes.",
    )
    indemnity_amount = fields.Monetary(
        string="Indemnity Waived",
        readonly=True,
        help="The part of the fixed recovery indemnity the customer no longer owes.",
    )
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Waived By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)

    @api.constrains("penalty_amount", "indemnity_amount")
    def _check_amounts(self):
        for waiver in self:
            currency = waiver.currency_id
            amounts = (waiver.penalty_amount, waiver.indemnity_amount)
            if any(currency.compare_amounts(amount, 0) < 0 for amount in amounts) or all(
                currency.is_zero(amount) for amount in amounts
            ):
                raise ValidationError(
                    self.env._("A waiver gives up a positive amount of penalties or indemnity.")
                )

    @api.depends("move_id", "date")
    def _compute_display_name(self):
        for waiver in self:
            waiver.display_name = self.env._(
                "Charges waived on %(invoice)s", invoice=waiver.move_id.display_name
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["account.dunning.charges"]._check_charges_access()
        waivers = super().create(vals_list)
        for waiver in waivers:
            waiver._notify_invoice(
                self.env._(
                    "Late-payment charges waived: penalties %(penalty)s, indemnity "
                    "%(indemnity)s. Reason: %(reason)s",
                    penalty=waiver.currency_id.format(waiver.penalty_amount),
                    indemnity=waiver.currency_id.format(waiver.indemnity_amount),
                    reason=waiver.reason,
                )
            )
        return waivers

    def unlink(self):
        self.env["account.dunning.charges"]._check_charges_access()
        for waiver in self:
            waiver._notify_invoice(
                self.env._(
                    "Waiver of late-payment charges deleted: penalties %(penalty)s and "
                    "indemnity %(indemnity)s are owed again.",
                    penalty=waiver.currency_id.format(waiver.penalty_amount),
                    indemnity=waiver.currency_id.format(waiver.indemnity_amount),
                )
            )
        return super().unlink()

    def _notify_invoice(self, body):
        """A note on the invoice: its history says what it owes."""
        # a note on an invoice the manager may read, whatever their rights
        # to post on invoices
        self.move_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
