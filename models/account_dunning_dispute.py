# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dunning_tools import check_dunning_access

DISPUTE_REASONS = [
    ("price", "Price"),
    ("quantity", "Quantity"),
    ("quality", "Quality"),
    ("not_received", "Not received"),
    ("already_paid", "Already paid"),
    ("other", "Other"),
]


class AccountDunningDispute(models.Model):
    """A customer disputes an invoice: while the dispute is open, that
    invoice is not reminded (``account.dunning.engine._get_refusal``); the
    customer's other invoices go on. Its owner gets an activity to settle
    it; resolving it lets the reminders resume."""

    _name = "account.dunning.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    reason = fields.Selection(DISPUTE_REASONS, required=True, default="other", tracking=True)
    note = fields.Text(help="What the customer disputes, in its words.")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        help="Who settles the dispute: an activity reminds them.",
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    date_resolved = fields.Date(string="Resolved On", readonly=True)
    resolution = fields.Text(help="How the dispute was settled (credit note, explanation, ...).")

    @api.depends("move_id")
    def _compute_display_name(self):
        for dispute in self:
            dispute.display_name = self.env._(
                "Dispute on %(invoice)s", invoice=dispute.move_id.name or ""
            )

    @api.constrains("move_id", "state")
    def _check_one_open(self):
        for dispute in self.filtered(lambda d: d.state == "open"):
            if self.search_count(
                [
                    ("move_id", "=", dispute.move_id.id),
                    ("state", "=", "open"),
                    ("id", "!=", dispute.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(invoice)s is already disputed: settle that dispute first.",
                        invoice=dispute.move_id.name,
                    )
                )

    @api.constrains("move_id")
    def _check_open_invoice(self):
        """Only what is still to be reminded is disputed: a posted customer
        invoice not fully paid."""
        for dispute in self:
            move = dispute.move_id
            posted_invoice = move.move_type == "out_invoice" and move.state == "posted"
            if not (posted_invoice and move.dunning_date_due):
                raise ValidationError(
                    self.env._(
                        "%(invoice)s cannot be disputed: only a posted customer invoice that is "
                        "not fully paid can.",
                        invoice=move.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        for dispute in disputes:
            owner = dispute.user_id
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=owner.id,
                summary=dispute.with_context(lang=owner.lang).env._(
                    "Settle the dispute on %(invoice)s", invoice=dispute.move_id.name
                ),
            )
            reason = dict(self._fields["reason"]._description_selection(self.env))[dispute.reason]
            dispute.move_id.sudo().message_post(
                body=self.env._(
                    "Disputed by the customer (%(reason)s): reminders wait until the "
                    "dispute is resolved.",
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return disputes

    def action_resolve(self):
        """The dispute is settled: the invoice is reminded again, from its
        advised level."""
        self._check_dispute_access()
        if self.filtered(lambda dispute: dispute.state != "open"):
            raise UserError(self.env._("Only an open dispute can be resolved."))
        self.write({"state": "resolved", "date_resolved": fields.Date.context_today(self)})
        self.activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._("Resolved"))
        for dispute in self:
            dispute.move_id.sudo().message_post(
                body=self.env._("Dispute resolved: reminders resume."),
                subtype_xmlid="mail.mt_note",
            )

    def action_reopen(self):
        self._check_dispute_access()
        self.filtered(lambda dispute: dispute.state == "resolved").write(
            {"state": "open", "date_resolved": False}
        )

    @api.model
    def _check_dispute_access(self):
        """Disputes are opened, resolved or reopened by reminder users only."""
        check_dunning_access(self.env, "user", self.env._("open, resolve or reopen disputes"))

    @api.model
    def _action_new(self, move):
        self._check_dispute_access()
        move.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_move_id": move.id},
        }
