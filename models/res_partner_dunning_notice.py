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

    def _dunning_get_expired_notice(self, company=None):
        """The last formal notice sent to this customer (its commercial
        partner) in ``company`` (the current one by default) whose payment
        deadline passed (before the company's today) with invoices still
        unpaid (``account.dunning._filter_unpaid_notices``), or an empty
        recordset. What the quotations of such a customer wait on
        (account_dunning_sale). Reads with the rights of its caller: one
        who may not read reminders asks it as the superuser."""
        self.ensure_one()
        company = company or self.env.company
        today = self.env["account.dunning.engine"]._get_today(company)
        notices = self.env["account.dunning"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
                ("level_id.letter_kind", "=", "formal_notice"),
                ("notice_deadline", "<", today),
            ],
            order="notice_deadline desc, id desc",
        )
        return notices._filter_unpaid_notices(today)[:1]
