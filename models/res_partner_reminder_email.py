# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .dunning_inputs import single_email


class ResPartner(models.Model):
    """The address typed for a reminder, saved on the contact (the
    workbench's *Save on the Contact*): apart from ``res_partner.py`` because
    it is a rule about rights, not about reminder settings.

    A contact's email is the address a login's password reset goes to: it is
    changed with the user's own rights, to one valid address, and never on
    the contact of a user (internal or portal) from a reminder."""

    _inherit = "res.partner"

    def _check_dunning_email_save(self, email):
        """Raise, in the user's words, when ``email`` may not be saved on
        this contact from a reminder."""
        self.ensure_one()
        if self.sudo().with_context(active_test=False).user_ids:
            raise UserError(
                self.env._(
                    "%(contact)s is the contact of a user's login: its email address is not "
                    "changed from a reminder. Untick Save on the Contact (the address is then "
                    "used for this reminder only), or change it in the user's settings.",
                    contact=self.display_name,
                )
            )
        if not single_email(email):
            raise UserError(
                self.env._(
                    "%(email)s is not one valid email address: it cannot be saved on "
                    "%(contact)s.",
                    email=(email or "").replace("\r", " ").replace("\n", " "),
                    contact=self.display_name,
                )
            )
        try:
            self.check_access("write")
        except AccessError:
            raise AccessError(
                self.env._(
                    "You may not edit %(contact)s: its email address cannot be saved from a "
                    "reminder. Untick Save on the Contact (the address is then used for this "
                    "reminder only), or ask someone who manages contacts.",
                    contact=self.display_name,
                )
            ) from None

    @api.model
    def _save_dunning_emails(self, emails):
        """Write ``emails`` ({contact id: address}) on the contacts, with the
        user's own rights, once every one of them was checked: nothing is
        written when one is refused. Each change is said on the contact."""
        contacts = self.browse(list(emails))
        changed = contacts.filtered(lambda contact: contact.email != emails[contact.id].strip())
        for contact in changed:
            contact._check_dunning_email_save(emails[contact.id])
        for contact in changed:
            email = emails[contact.id].strip()
            contact.email = email
            contact.message_post(
                body=self.env._(
                    "Email address set to %(email)s for the payment reminders.", email=email
                )
            )
