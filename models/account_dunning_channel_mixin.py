# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

CHANNELS = ("send_email", "send_letter", "send_sms", "create_activity")


class AccountDunningChannelMixin(models.AbstractModel):
    """The channels a reminder goes by: declared once for the levels, the
    reminders and the workbench's proposals."""

    _name = "account.dunning.channel.mixin"
    _description = "Payment Reminder Channels"

    send_email = fields.Boolean(string="Email")
    send_letter = fields.Boolean(string="Letter")
    send_sms = fields.Boolean(string="SMS")
    create_activity = fields.Boolean(
        string="Phone Call / Meeting",
        help="Schedule an activity (a call, a meeting) for the customer's reminder responsible.",
    )

    def _get_channels(self):
        """The channels of this record, as a dict of booleans."""
        self.ensure_one()
        return {channel: self[channel] for channel in CHANNELS}
