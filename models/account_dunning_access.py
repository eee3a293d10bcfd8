# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError

from .dunning_engine_owned import check_user_fields, is_engine_write


class AccountDunning(models.Model):
    """Who writes what on a reminder. The engine alone makes reminders
    (``account.dunning.engine._create_reminders_report``, which checks that
    the user may remind, then creates them as the superuser) and writes
    what they did: their state, channels and their statuses, email, letter,
    amounts, level, plan, dates, lines. Users only add what is theirs: a
    comment, a severity, messages, followers and activities. Whatever the
    path (RPC, import, a form): the screens' readonly is not a protection.

    The engine, its lifecycle (models/account_dunning_lifecycle.py) and the
    bridges write as the superuser (``sudo()``), which no request can ask
    for: a context key could be forged over RPC, ``env.su`` cannot. That
    is also why a cancel may trust the reminder's ``mail_id``: only the
    engine set it."""

    _inherit = "account.dunning"

    @api.model
    def _get_user_fields(self):
        """The fields of a reminder its users may write; every other field
        is the engine's. A module that adds a field users fill extends
        this."""
        return (
            {"comment", "severity"}
            | set(self.env["mail.thread"]._fields)
            | set(self.env["mail.activity.mixin"]._fields)
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_engine_write(self.env):
            raise AccessError(
                self.env._(
                    "Payment reminders are made by the reminder engine only: use "
                    "Prepare Reminders, a quick reminder or Log a Call."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        """What a reminder did is history: the engine alone changes it."""
        check_user_fields(
            self,
            vals,
            self._get_user_fields(),
            lambda ref, fields: self.env._(
                "Reminder %(ref)s was made by the reminder engine: %(fields)s "
                "cannot be changed. Cancel it and create a new one instead.",
                ref=ref,
                fields=fields,
            ),
        )
        return super().write(vals)
