# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models

from ..models.dunning_engine_owned import check_readable
from ..models.dunning_tools import check_dunning_access


class AccountDunningPostWizard(models.TransientModel):
    """Mark letters as posted, with the registered-mail number of each
    registered letter among them. It collects the numbers: the reminders'
    ``_mark_letters_posted`` posts them."""

    _name = "account.dunning.post.wizard"
    _description = "Mark Letters as Posted"

    line_ids = fields.One2many("account.dunning.post.wizard.line", "wizard_id", string="Letters")

    @api.model
    def _action_open(self, reminders):
        """The form for the letters of ``reminders`` waiting for the post,
        registered letters first."""
        check_dunning_access(self.env, "user", self.env._("mark letters as posted"))
        reminders.check_access("write")
        reminders = reminders.filtered(lambda r: r.letter_state == "to_post").sorted(
            lambda r: (not r.registered_letter, r.name)
        )
        wizard = self.create(
            {"line_ids": [Command.create({"dunning_id": reminder.id}) for reminder in reminders]}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Mark as Posted"),
        }

    def action_confirm(self):
        """Post the letters, with the numbers typed."""
        self.ensure_one()
        self.line_ids.dunning_id._mark_letters_posted(
            {line.dunning_id.id: line.registered_number for line in self.line_ids}
        )
        return {"type": "ir.actions.act_window_close"}


class AccountDunningPostWizardLine(models.TransientModel):
    """One letter to post, with its registered-mail number if registered."""

    _name = "account.dunning.post.wizard.line"
    _description = "Letter to Post"

    wizard_id = fields.Many2one("account.dunning.post.wizard", required=True, ondelete="cascade")
    dunning_id = fields.Many2one("account.dunning", string="Reminder", required=True, readonly=True)
    partner_id = fields.Many2one(related="dunning_id.partner_id")
    level_id = fields.Many2one(related="dunning_id.level_id")
    registered_letter = fields.Boolean(related="dunning_id.registered_letter", string="Registered")
    registered_number = fields.Char(
        string="Registered Mail Number",
        help="The number on the receipt of the registered letter (numéro de recommandé).",
    )

    @api.constrains("dunning_id")
    def _check_readable(self):
        """Only reminders the user may read, in the companies they selected."""
        check_readable(self.dunning_id)
