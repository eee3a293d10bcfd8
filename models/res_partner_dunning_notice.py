# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .dunning_inputs import DUNNING_READ_GROUPS


class ResPartner(models.Model):
    """The customer's formal notice still running, and its deadline, on
    its reminder tab."""

    _inherit = "res.partner"

    dunning_notice_id = fields.Many2one(
        "account.dunning",
        string="Formal Notice",
        compute="_compute_dunning_notice",
        groups=DUNNING_READ_GROUPS,
        help="The last formal notice sent to the customer in this company whose "
        "invoices are not all paid.",
    )
    dunning_notice_deadline = fields.Date(
        string="Formal Notice Deadline",
        compute="_compute_dunning_notice",
        groups=DUNNING_READ_GROUPS,
        help="The last day the formal notice gives to pay; empty until the day it "
        "reached the customer is known (the acknowledgement of receipt).",
    )

    @api.depends_context("company")
    def _compute_dunning_notice(self):
        notices = self.env["account.dunning"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "sent"),
                ("level_id.letter_kind", "=", "formal_notice"),
            ],
            order="date desc, id desc",
        )
        running = {}
        for notice in notices:
            # its invoices still open (``dunning_date_due``: an open installment)
            if notice.partner_id.id not in running and any(
                notice.line_ids.move_id.mapped("dunning_date_due")
            ):
                running[notice.partner_id.id] = notice
        for partner in self:
            notice = running.get(partner.commercial_partner_id.id, notices.browse())
            partner.dunning_notice_id = notice
            partner.dunning_notice_deadline = notice.notice_deadline
