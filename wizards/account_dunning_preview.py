# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import quote as url_quote

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.dunning_engine_owned import check_readable


class AccountDunningPreview(models.TransientModel):
    """The email and the letter of a reminder before it is made: of a
    proposal of the workbench, or of a level's texts on a sample customer.
    The engine renders them (``account.dunning.engine._preview_proposal``
    and ``_preview_level``); this only shows them."""

    _name = "account.dunning.preview"
    _description = "Payment Reminder Preview"

    proposal_id = fields.Many2one(
        "account.dunning.wizard.proposal", ondelete="cascade", readonly=True
    )
    level_id = fields.Many2one("account.dunning.level", ondelete="cascade", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('parent_id', '=', False)]",
        help="The customer whose open invoices the preview shows; empty: the "
        "customer with the oldest open invoice.",
    )
    is_fictitious = fields.Boolean(readonly=True)
    customer_name = fields.Char(string="For", readonly=True)
    reference = fields.Char(
        readonly=True,
        help="The reference the next reminder will get; a reminder made in the "
        "meantime takes it, and this one gets the following.",
    )
    lang = fields.Selection(selection="_get_lang_selection", string="Language", readonly=True)
    refusal = fields.Text(string="Nothing to Send", readonly=True)
    sends_email = fields.Boolean(readonly=True)
    sends_letter = fields.Boolean(readonly=True)
    email_note = fields.Char(readonly=True)
    letter_note = fields.Char(readonly=True)
    email_error = fields.Text(readonly=True)
    subject = fields.Char(readonly=True)
    email_from = fields.Char(string="Sender", readonly=True)
    email_to = fields.Char(string="Recipients", readonly=True)
    email_cc = fields.Char(string="Cc", readonly=True)
    email_bcc = fields.Char(
        string="Internal Copy",
        readonly=True,
        help="The company's internal address, in blind copy: the customer does not see it.",
    )
    attachment_names = fields.Text(string="Attachments", readonly=True)
    # as rendered for the customer, shown in a sandboxed frame: sanitizing
    # would show something else than what is sent
    email_body = fields.Html(sanitize=False, readonly=True)
    letter_html = fields.Html(string="Letter", sanitize=False, readonly=True)
    letter_pdf = fields.Binary(string="Letter PDF", attachment=False, readonly=True)
    letter_filename = fields.Char(readonly=True)

    @api.model
    def _get_lang_selection(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("proposal_id", "level_id", "partner_id")
    def _check_readable(self):
        """Only a level, a customer and a proposal of the workbench the user
        may read, in the companies they selected: a preview made over RPC
        on another company's shows nothing of it, not even its name."""
        check_readable(
            self.level_id,
            self.partner_id,
            self.proposal_id,
            self.proposal_id.company_id,
            self.proposal_id.partner_id,
            self.proposal_id.move_ids,
        )

    @api.depends("customer_name")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._(
                "Preview: %(customer)s", customer=preview.customer_name or ""
            )

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _action_open_for_proposal(self, proposal):
        """The preview of a workbench proposal, in a dialog."""
        proposal.ensure_one()
        preview = self.create({"proposal_id": proposal.id})
        preview._refresh()
        return preview._get_action()

    @api.model
    def _action_open_for_level(self, level):
        """The preview of a level's texts on a sample customer, in a dialog."""
        level.ensure_one()
        preview = self.create({"level_id": level.id})
        preview._refresh()
        return preview._get_action()

    def _get_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.display_name,
            "context": {"dialog_size": "extra-large"},
        }

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------

    def _get_preview(self, pdf=False):
        """What the engine renders for this preview (see
        ``account.dunning.engine._render_preview``)."""
        self.ensure_one()
        Engine = self.env["account.dunning.engine"]
        if self.proposal_id:
            return Engine._preview_proposal(self.proposal_id._get_values(), pdf=pdf)
        if self.level_id:
            check_readable(self.partner_id)
            return Engine._preview_level(self.level_id, self.partner_id, pdf=pdf)
        raise UserError(self.env._("There is nothing to preview."))

    def _refresh(self):
        """Render the email and the letter again, as they stand now."""
        self.ensure_one()
        result = self._get_preview()
        if result.get("refusal"):
            self.write({"refusal": result["refusal"], "email_body": False, "letter_html": False})
            return
        email = result["email"] or {}
        vals = {
            "refusal": False,
            "is_fictitious": bool(result.get("fictitious")),
            "customer_name": result["customer_name"],
            "reference": result["reference"],
            "lang": result["lang"],
            "sends_email": result["send_email"],
            "sends_letter": result["send_letter"],
            "email_note": self._get_email_note(result),
            "letter_note": self._get_letter_note(result),
            "email_error": result["email_error"],
            "subject": email.get("subject", False),
            "email_from": email.get("email_from", False),
            "email_to": email.get("email_to", False),
            "email_cc": email.get("email_cc", False),
            "email_bcc": email.get("email_bcc", False),
            "attachment_names": "\n".join(email.get("attachments", [])) or False,
            "email_body": email.get("body", False),
            "letter_html": result["letter_html"],
            "letter_filename": result["letter_filename"],
            "letter_pdf": False,
        }
        if self.level_id:
            vals["partner_id"] = result["partner_id"]
        self.write(vals)

    def _get_email_note(self, result):
        if result["send_email"]:
            return False
        if self.level_id:
            return self.env._("This level sends no email: here is its email all the same.")
        return self.env._(
            "This reminder sends no email (see its channels and the controls): here is "
            "its email all the same."
        )

    def _get_letter_note(self, result):
        if result["send_letter"]:
            return False
        if result["send_email"] and result["attach_letter"]:
            return self.env._("The letter goes with the email, as a PDF.")
        if self.level_id:
            return self.env._("This level sends no letter: here is its letter all the same.")
        return self.env._("This reminder sends no letter: here is its letter all the same.")

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_refresh(self):
        """Render again, for the customer chosen."""
        self._refresh()
        return self._get_action()

    def action_download_letter(self):
        """The letter's PDF, rendered as the reminder's will be."""
        self.ensure_one()
        result = self._get_preview(pdf=True)
        if result.get("refusal"):
            raise UserError(result["refusal"])
        self.write(
            {"letter_pdf": result["letter_pdf"], "letter_filename": result["letter_filename"]}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/letter_pdf/"
            f"{url_quote(result['letter_filename'])}?download=true",
            "target": "download",
        }
