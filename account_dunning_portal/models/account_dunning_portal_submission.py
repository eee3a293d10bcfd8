# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountDunningPortalSubmission(models.Model):
    """One request a customer sent from a reminder's page (a promise, a
    dispute, a message): what the limit per link and per hour counts."""

    _name = "account.dunning.portal.submission"
    _description = "Request from a Customer Page"
    _order = "create_date desc, id desc"

    reminder_id = fields.Many2one(
        "account.dunning", required=True, index=True, ondelete="cascade", readonly=True
    )
    kind = fields.Selection(
        [("promise", "Promise to pay"), ("dispute", "Invoice disputed"), ("message", "Message")],
        required=True,
        readonly=True,
    )
