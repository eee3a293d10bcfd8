# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError

from odoo.addons.account_dunning.models.dunning_engine_owned import (
    check_user_fields,
    is_engine_write,
)


class AccountDunningQuotation(models.Model):
    """Who writes what on a quotation reminder, as on a payment reminder
    (``account_dunning``'s models/account_dunning_access.py): the reminders
    are made and written by ``_send_reminders`` alone, as the superuser;
    users add messages, followers and activities. Whatever the path (RPC,
    import, a form): a forged "bounced" reminder would turn the customer's
    next reminders into calls and letters."""

    _inherit = "account.dunning.quotation"

    @api.model
    def _get_user_fields(self):
        """The fields of a quotation reminder its users may write; every
        other field is the engine's."""
        return set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)

    @api.model_create_multi
    def create(self, vals_list):
        if not is_engine_write(self.env):
            raise AccessError(
                self.env._(
                    "Quotation reminders are sent by the Remind button or the daily job only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        check_user_fields(
            self,
            vals,
            self._get_user_fields(),
            lambda ref, fields: self.env._(
                "Quotation reminder %(ref)s was sent: %(fields)s cannot be changed.",
                ref=ref,
                fields=fields,
            ),
        )
        return super().write(vals)
