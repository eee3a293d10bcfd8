# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, api, models
from odoo.exceptions import UserError

from .account_dunning import LETTER_REPORT
from .account_dunning_engine import QUIET
from .dunning_engine_owned import check_readable
from .dunning_tools import check_dunning_access

# The invoices a level's preview shows at most for its sample customer.
SAMPLE_INVOICES = 20


class AccountDunningEngine(models.AbstractModel):
    """What a reminder will look like before it is made: its email and its
    letter, rendered by the very code that sends them.

    The reminder of a proposal is prepared by ``_prepare_reminder_values``,
    created, its email rendered by ``account.dunning.channel._render_emails``
    and its letter by the letter report, all inside a savepoint that is
    rolled back: no reminder, email or message remains. Its reference is
    the one the next reminder will get, read from the sequence without
    drawing it (``_get_preview_reference``): a PostgreSQL sequence is not
    rolled back."""

    _inherit = "account.dunning.engine"

    @api.model
    def _preview_proposal(self, proposal, pdf=False):
        """The email and the letter the reminder of ``proposal`` (a dict, as
        ``_create_reminders_report`` takes) would send now, in its
        customer's language (see ``_render_preview``). Nothing is saved on
        the contact. With ``pdf``, the letter's PDF too."""
        check_dunning_access(self.env, "user", self.env._("preview reminders"))
        self._check_proposals_access([proposal])
        moves = self.env["account.move"].browse(proposal["move_ids"])
        # kept: the email links to each invoice with its token, and the one
        # sent later must link to the same pages as the preview
        moves._dunning_ensure_access_tokens()
        level = self.env["account.dunning.level"].browse(proposal["level_id"])
        today = self._get_today(level.plan_id.company_id)
        with self._preview_savepoint():
            states = moves._get_dunning_states()
            vals, reason = self._prepare_reminder_values(proposal, level, states, today)
            if not vals:
                return {"refusal": reason}
            return self._render_preview(vals, pdf=pdf)

    @api.model
    def _preview_level(self, level, partner=None, pdf=False):
        """The email and the letter of ``level`` for a sample customer: its
        open invoices in one currency, all at this level, whatever the
        rules would advise (see ``_render_preview``). ``partner`` is the
        customer chosen, else the one with the oldest open invoice of the
        level's company; a fictitious customer when there is none."""
        check_dunning_access(self.env, "read", self.env._("preview reminder texts"))
        company = level.plan_id.company_id or self.env.company
        check_readable(company, level, partner or level.browse())
        moves = self._get_sample_invoices(company, partner)
        today = self._get_today(company)
        with self._preview_savepoint():
            fictitious = not moves
            if fictitious:
                moves = self._make_sample_invoices(company, level, today, partner)
            customer = moves.commercial_partner_id
            contact = self._check_contact(customer, customer.browse())
            vals = {
                "partner_id": customer.id,
                "contact_id": contact.id,
                "email": contact.email or False,
                "company_id": company.id,
                "currency_id": moves.currency_id.id,
                "level_id": level.id,
                **level._get_channels(),
                "date": today,
                "user_id": self.env.user.id,
                "line_ids": [
                    Command.create(self._prepare_reminder_line_values(move, today, level.id, True))
                    for move in moves.sorted(lambda m: (m.dunning_date_due, m.id))
                ],
            }
            return {
                **self._render_preview(vals, pdf=pdf),
                # a fictitious customer is rolled back with its invoices
                "partner_id": customer.id if partner or not fictitious else False,
                "fictitious": fictitious,
            }

    @api.model
    def _get_sample_invoices(self, company, partner=None):
        """The open invoices a level's preview shows, in one currency: those
        of ``partner``, else those of the customer whose open invoice is the
        oldest, read with the user's rights."""
        Move = self.env["account.move"].with_context(allowed_company_ids=company.ids)
        domain = Move._get_dunning_open_domain()
        if partner:
            domain.append(("commercial_partner_id", "=", partner.commercial_partner_id.id))
        oldest = Move.search(domain, order="dunning_date_due, id", limit=1)
        if not oldest:
            return Move.with_env(self.env)
        moves = Move.search(
            [
                *domain,
                ("commercial_partner_id", "=", oldest.commercial_partner_id.id),
                ("currency_id", "=", oldest.currency_id.id),
            ],
            order="dunning_date_due, id",
            limit=SAMPLE_INVOICES,
        )
        return moves.with_env(self.env)

    @api.model
    def _make_sample_invoices(self, company, level, today, partner=None):
        """Two posted invoices of a fictitious customer (or of ``partner``,
        who has none open), late enough for ``level``: made inside the
        preview's savepoint, so rolled back with it."""
        env = self.sudo().with_company(company).with_context(**QUIET).env
        if not partner:
            partner = env["res.partner"].create(
                {
                    "name": self.env._("Sample Customer"),
                    "is_company": True,
                    "street": self.env._("1 Sample Street"),
                    "zip": company.zip,
                    "city": company.city,
                    "country_id": company.country_id.id,
                    "email": "accounts@customer.example.com",
                    "lang": self.env.lang,
                }
            )
        late = max(level.days, 0)
        try:
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=late + days + 30),
                        "invoice_date_due": today - timedelta(days=late + days),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": self.env._("Services"),
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [],
                                }
                            )
                        ],
                    }
                    for days, amount in ((15, 1200.0), (5, 350.0))
                ]
            )
            moves.action_post()
        except Exception as error:
            raise UserError(
                self.env._(
                    "No customer of %(company)s has an open invoice, and no sample invoice "
                    "could be made: %(error)s",
                    company=company.name,
                    error=error,
                )
            ) from error
        return moves.with_env(self.env)

    @api.model
    def _render_preview(self, vals, pdf=False):
        """Create the reminder of ``vals`` and render its email and its
        letter as ``_send`` does: the email through the channel's
        ``_render_emails`` from its level's template (the same batch
        rendering, the same layout), the letter through the letter report.
        To be called inside ``_preview_savepoint``. Returns a dict of plain
        values, read before the savepoint is rolled back."""
        quiet = self.with_context(**QUIET)
        vals = dict(vals, name=self._get_preview_reference(vals["company_id"]))
        reminder = quiet._create_reminder_records([vals]).with_env(quiet.env)
        level = reminder.level_id
        result = {
            "reference": reminder.name,
            "lang": reminder.lang,
            "partner_id": reminder.partner_id.id,
            "customer_name": reminder.partner_id.display_name,
            "send_email": reminder.send_email,
            "send_letter": reminder.send_letter,
            "attach_letter": level.attach_letter,
            "email": False,
            "email_error": False,
        }
        Channel = quiet.env["account.dunning.channel"]
        mails = Channel._render_emails(reminder, Channel._get_email_template)
        mail = mails.get(reminder.id)
        if mail:
            result["email"] = {
                "subject": mail.subject or "",
                "email_from": mail.email_from or "",
                "email_to": ", ".join(
                    [
                        partner.email_formatted or partner.display_name
                        for partner in mail.recipient_ids
                    ]
                    + ([mail.email_to] if mail.email_to else [])
                ),
                "email_cc": mail.email_cc or "",
                "email_bcc": reminder.company_id.dunning_internal_email or "",
                "body": str(mail.body_html or ""),
                "attachments": self._get_preview_attachment_names(reminder, mail),
            }
        else:
            result["email_error"] = reminder.failure_reason or self.env._(
                "The reminder's level has no email template."
            )
        Report = quiet.env["ir.actions.report"]
        html = Report._render_qweb_html(LETTER_REPORT, reminder.ids)[0]
        result["letter_html"] = html.decode() if isinstance(html, bytes) else str(html)
        result["letter_filename"] = reminder._get_letter_filename()
        if pdf:
            result["letter_pdf"] = Report._dunning_render_pdf_batch(
                LETTER_REPORT, reminder.ids, standalone=True
            )[reminder.id]
        return result

    @api.model
    def _get_preview_attachment_names(self, reminder, mail):
        """The names of the files the email of ``reminder`` will carry, as
        ``account.dunning.channel._send_emails`` and ``_store_letters``
        attach them (the template's own, the invoices' PDFs, the account
        statement, the letter), without making them."""
        level = reminder.level_id
        names = mail.attachment_ids.mapped("name")
        if level.attach_invoices:
            names += [
                move.invoice_pdf_report_id.name or move._get_invoice_report_filename()
                for move in reminder.line_ids.move_id
                if move.state == "posted" and move.is_sale_document(include_receipts=True)
            ]
        if level.attach_statement:
            names.append(reminder._get_statement_filename())
        if level.attach_letter:
            names.append(reminder._get_letter_filename())
        return names

    @api.model
    def _get_preview_reference(self, company_id):
        """The reference the next reminder of the company will get, read
        from its sequence without drawing it (as ``account.dunning.create``
        would draw it): another reminder made before takes it."""
        sequence = self.env["account.dunning"]._get_reference_sequence(company_id)
        if not sequence:
            return "/"
        if not sequence.use_date_range:
            return sequence.get_next_char(sequence.number_next_actual)
        today = self._get_today(self.env["res.company"].browse(company_id))
        date_range = sequence.date_range_ids.filtered(
            lambda dr: dr.date_from <= today <= dr.date_to
        )[:1]
        # a new period starts at one
        return sequence.with_context(
            ir_sequence_date_range=date_range.date_from or today.replace(month=1, day=1)
        ).get_next_char(date_range.number_next_actual if date_range else 1)

    @contextmanager
    def _preview_savepoint(self):
        """A savepoint that is always rolled back, with the caches: what a
        preview makes inside it does not remain."""
        savepoint = self.env.cr.savepoint(flush=True)
        try:
            yield
        finally:
            savepoint.close(rollback=True)
