# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict

from odoo import api, models
from odoo.tools import email_normalize, split_every

from .account_dunning import LETTER_REPORT
from .account_dunning_channel_mixin import CHANNELS
from .dunning_tools import insert_relation_pairs, is_concurrency_error, short_error
from .mail_mail import sanitize_bodies_once

_logger = logging.getLogger(__name__)

# Letters per wkhtmltopdf run: large enough to save the start-up of the
# program, small enough to keep its memory bounded.
LETTER_BATCH_SIZE = 100


class AccountDunningChannel(models.AbstractModel):
    """How a reminder reaches the customer: one method per channel, which
    a later module extends with ``super()``, the way Odoo's
    ``account.move.send`` keeps one method per sending step.

    - which channels can work for a contact: ``_check_channels``, the
      address of an email: ``_get_email_issue``;
    - letters: ``_send_letters`` (rendered in the background) and
      ``_store_letters``;
    - emails: ``_send_emails``, made by ``_render_emails`` for any records
      with a template (the quotation reminders send theirs through it),
      with ``_attach_to_emails`` and ``_add_internal_copies``;
    - SMS: ``_send_sms``; ``_get_sms_refusals`` and ``_queue_sms`` are its
      hooks (the ``account_dunning_sms`` bridge queues them through Odoo's
      SMS); an SMS that cannot go becomes a call
      (``_replace_sms_by_call``);
    - calls and meetings: ``_schedule_activities``.

    The engine's ``_send`` calls them in turn. What becomes of a reminder
    afterwards (posted, failed, bounced, cancelled) is the reminder's own
    (``account.dunning``, models/account_dunning_lifecycle.py)."""

    _name = "account.dunning.channel"
    _description = "Payment Reminder Channels"

    # ------------------------------------------------------------------
    # Which channels can work
    # ------------------------------------------------------------------

    @api.model
    def _get_email_issue(self, email, bounced=None):
        """Why no email may go to ``email``, or False: "no_email" when there
        is no address, "bounced" when a reminder email to it bounced (until
        the address changes). ``bounced``: the normalized addresses that
        bounced, when the caller has them already
        (``res.partner._get_dunning_bounced_emails``). The payment and the
        quotation reminders both ask here."""
        if not (email or "").strip():
            return "no_email"
        if bounced is None:
            bounced = self.env.context.get("dunning_bounced_emails")
        if bounced is None:
            bounced = self.env["res.partner"]._get_dunning_bounced_emails([email])
        normalized = email_normalize(email)
        return "bounced" if normalized and normalized in bounced else False

    @api.model
    def _check_channels(self, partner, level, channels, contact=None, email=None):
        """The controls of the workbench (seed: "Contrôles"): a channel that
        cannot work is replaced by one that can. ``email`` is the address
        chosen for this reminder (else the contact's). Returns the channels
        to use and the warnings to show, in the user's language."""
        contact = contact or partner.dunning_contact_id
        email = contact.email if email is None else email
        channels = dict(channels)
        warnings = []
        issue = channels.get("send_email") and self._get_email_issue(email)
        if issue == "bounced":
            channels["send_email"] = False
            channels["send_letter"] = True
            warnings.append(
                self.env._(
                    "A reminder email to %(email)s bounced: a letter is sent instead until "
                    "the address of %(contact)s is fixed.",
                    email=email,
                    contact=contact.display_name,
                )
            )
        elif issue == "no_email":
            channels["send_email"] = False
            channels["send_letter"] = True
            warnings.append(
                self.env._(
                    "%(contact)s has no email address: a letter is sent instead.",
                    contact=contact.display_name,
                )
            )
        if channels.get("send_sms") and not (contact.mobile or contact.phone):
            channels["send_sms"] = False
            channels["create_activity"] = True
            warnings.append(
                self.env._(
                    "%(contact)s has no mobile number: a call is scheduled instead of the SMS.",
                    contact=contact.display_name,
                )
            )
        if channels.get("send_letter") and not (
            contact._dunning_has_postal_address() or partner._dunning_has_postal_address()
        ):
            warnings.append(
                self.env._(
                    "%(contact)s has no postal address for the letter.",
                    contact=contact.display_name,
                )
            )
        if not any(channels.get(key) for key in CHANNELS):
            warnings.append(self.env._("No channel: nothing would be sent."))
        return channels, warnings

    # ------------------------------------------------------------------
    # Letters
    # ------------------------------------------------------------------

    @api.model
    def _send_letters(self, reminders):
        """Start rendering the letters of the reminders sent by letter, and
        of those whose email carries it: a batch of letters per wkhtmltopdf
        run. Returns ([(reminders, job)] to wait for, the reminders whose
        letter could not even be started, marked failed)."""
        with_pdf = reminders.filtered(
            lambda r: r.send_letter or (r.send_email and r.level_id.attach_letter)
        )
        jobs, failed = [], reminders.browse()
        batches = list(split_every(LETTER_BATCH_SIZE, with_pdf.ids, with_pdf.browse))
        # the batches all run at once: one process each; a single batch is
        # rendered in parts side by side
        processes = None if len(batches) == 1 else 1
        try:
            for batch in batches:
                job, batch_failed = self._start_letter_batch(batch, processes=processes)
                failed |= batch_failed
                if job:
                    jobs.append((batch - batch_failed, job))
        except BaseException:
            # a concurrency error or an interruption: no process outlives it
            for _batch, job in jobs:
                job.cancel()
            raise
        return jobs, failed

    @api.model
    def _start_letter_batch(self, batch, processes=None):
        """Start rendering the letters of ``batch`` in one wkhtmltopdf run
        (or ``processes`` side by side, see
        ``ir.actions.report._dunning_start_pdf_batch``).
        A letter that cannot be rendered fails its own reminder, not the
        batch: when the run cannot start, each letter is rendered alone (as
        HTML, no PDF) to find those that fail, and the others start in one
        run. Returns (the job, or None, and the reminders of ``batch`` that
        failed, marked so)."""
        Report = self.env["ir.actions.report"]

        def start(reminders):
            with self.env.cr.savepoint():
                return Report._dunning_start_pdf_batch(
                    LETTER_REPORT, reminders.ids, standalone=True, processes=processes
                )

        def fail(reminders, error):
            if is_concurrency_error(error):
                raise error
            _logger.warning("Reminder letters could not be rendered: %s", error)
            reminders._mark_failed(
                self.env._("The letter could not be rendered: %(error)s", error=short_error(error))
            )
            return reminders

        try:
            return start(batch), batch.browse()
        except Exception as error:
            if is_concurrency_error(error):
                raise
            if len(batch) == 1:
                return None, fail(batch, error)
        failed = batch.browse()
        for reminder in batch:
            try:
                with self.env.cr.savepoint():
                    Report._render_qweb_html(LETTER_REPORT, reminder.ids)
            except Exception as error:
                failed |= fail(reminder, error)
        rest = batch - failed
        if not rest:
            return None, failed
        try:
            return start(rest), failed
        except Exception as error:
            # not a letter of its own: the run itself (wkhtmltopdf) failed
            return None, failed | fail(rest, error)

    @api.model
    def _store_letters(self, reminders, pdfs):
        """Keep each letter on its reminder and attach it to its email."""
        if not reminders:
            return
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": reminder._get_letter_filename(),
                        "raw": pdfs[reminder.id],
                        "mimetype": "application/pdf",
                        "res_model": "account.dunning",
                        "res_id": reminder.id,
                    }
                    for reminder in reminders
                ]
            )
        )
        to_attach = {}
        for reminder, attachment in zip(reminders, attachments, strict=True):
            reminder.sudo().letter_attachment_id = attachment
            if reminder.mail_id and reminder.level_id.attach_letter:
                to_attach[reminder.mail_id] = attachment
        self._attach_to_emails(to_attach)

    # ------------------------------------------------------------------
    # Emails
    # ------------------------------------------------------------------

    @api.model
    def _send_emails(self, reminders):
        """Queue the reminder emails from each level's template, with the
        letter and the invoices attached and the internal copy. Returns the
        reminders whose email could not be made (marked failed)."""
        if not reminders:
            return reminders.browse()
        invoice_pdfs = self._prepare_invoice_documents(
            reminders.line_ids.move_id,
            reminders.filtered(lambda r: r.level_id.attach_invoices).line_ids.move_id,
        )
        mails = self._render_emails(reminders, self._get_email_template)
        sent = reminders.filtered(lambda r: r.id in mails)
        to_attach = {}
        for reminder in sent:
            mail = mails[reminder.id]
            reminder.sudo().mail_id = mail
            if reminder.level_id.attach_invoices:  # the letter joins when rendered
                to_attach[mail] = self.env["ir.attachment"].concat(
                    *(
                        invoice_pdfs.get(move.id, self.env["ir.attachment"])
                        for move in reminder.line_ids.move_id
                    )
                )
            if reminder.level_id.attach_statement:
                statement = self._make_statement(reminder)
                to_attach[mail] = to_attach.get(mail, self.env["ir.attachment"]) | statement
        self._attach_to_emails(to_attach)
        self._add_internal_copies({reminder: mails[reminder.id] for reminder in sent})
        return reminders - sent

    @api.model
    def _get_email_template(self, reminder):
        """The mail template of ``reminder``'s email: its level's, else the
        module's reminder email. The sending and the preview ask here."""
        return reminder.level_id.mail_template_id or self.env.ref(
            "account_dunning.mail_template_dunning_level_1", raise_if_not_found=False
        )

    @api.model
    def _prepare_invoice_documents(self, moves, with_pdf):
        """What the emails need from the invoices themselves: a portal
        access token for each of ``moves`` (the emails link to each
        invoice's page) and the legal PDF of each of ``with_pdf``. Returns
        {invoice id: PDF attachment}. The daily job makes them ahead, apart
        from its batch (``account.dunning.job._prepare_documents``)."""
        moves._dunning_ensure_access_tokens()
        return with_pdf._get_dunning_invoice_pdfs()

    @api.model
    def _render_emails(self, records, get_template):
        """Queue one email per record from its template (``get_template``:
        record -> mail.template), a batch per template. A record whose
        email cannot be made is marked failed (its ``_mark_failed``) and the
        others go on. Returns {record id: mail.mail}."""
        mails = self.env["mail.mail"].sudo()
        for template, group in records.grouped(get_template).items():
            # its body compiled once for the batch, not once per email
            template = template.with_context(dunning_compile_once=True)
            try:
                with self.env.cr.savepoint(), sanitize_bodies_once():
                    mails |= template.sudo().send_mail_batch(group.ids)
            except Exception as error:
                if is_concurrency_error(error):
                    raise
                # isolate the records that fail, one by one
                for record in group:
                    try:
                        with self.env.cr.savepoint(), sanitize_bodies_once():
                            mails |= template.sudo().send_mail_batch(record.ids)
                    except Exception as error:
                        if is_concurrency_error(error):
                            raise
                        _logger.info("%s %s: email failed: %s", record._name, record.id, error)
                        record._mark_failed(
                            self.env._(
                                "The email could not be made: %(error)s", error=short_error(error)
                            )
                        )
        return {mail.res_id: mail for mail in mails}

    @api.model
    def _attach_to_emails(self, attachments_by_mail):
        """Attach files to queued emails ({mail: attachments}) in one query,
        not one per email: the files are the reminder's own letter and its
        invoices' PDFs, which the user reads."""
        pairs = [
            (mail.sudo().mail_message_id.id, attachment_id)
            for mail, attachments in attachments_by_mail.items()
            for attachment_id in attachments.ids
        ]
        if not pairs:
            return
        insert_relation_pairs(
            self.env.cr, self.env["mail.message"]._fields["attachment_ids"], pairs
        )
        mails = self.env["mail.mail"].sudo().concat(*attachments_by_mail)
        mails.mail_message_id.invalidate_recordset(["attachment_ids"])
        mails.invalidate_recordset(["attachment_ids"])

    @api.model
    def _add_internal_copies(self, mails_by_record):
        """The internal copy of the company (its "internal email" setting),
        in blind copy, for the emails of ``mails_by_record`` ({record with
        a company_id: mail.mail}): one write per address."""
        copies = defaultdict(list)
        for record, mail in mails_by_record.items():
            if record.company_id.dunning_internal_email:
                copies[record.company_id.dunning_internal_email].append(mail.id)
        for email, mail_ids in copies.items():
            self.env["mail.mail"].sudo().browse(mail_ids)._dunning_add_blind_copy(email)

    @api.model
    def _make_statement(self, reminder):
        """The account statement for the email of ``reminder``; when it
        cannot be made, the email goes without it and the reminder says so."""
        try:
            with self.env.cr.savepoint():
                return reminder._make_statement_attachment()
        except Exception as error:
            if is_concurrency_error(error):
                raise
            _logger.info("Reminder %s: statement failed: %s", reminder.name, error)
            reminder.sudo().message_post(
                body=self.env._(
                    "The account statement could not be attached: %(error)s",
                    error=short_error(error),
                )
            )
            return self.env["ir.attachment"]

    # ------------------------------------------------------------------
    # SMS
    # ------------------------------------------------------------------

    @api.model
    def _send_sms(self, reminders):
        """The SMS of these reminders: those ``_get_sms_refusals`` refuses
        and those ``_queue_sms`` could not queue become a call to make
        (``_replace_sms_by_call``). Without the ``account_dunning_sms``
        bridge nothing queues SMS: each is a call."""
        if not reminders:
            return
        refusals = self._get_sms_refusals(reminders)
        queued = self._queue_sms(reminders.filtered(lambda r: r.id not in refusals))
        self._replace_sms_by_call(reminders - queued, refusals)

    @api.model
    def _get_sms_refusals(self, reminders):
        """{reminder id: why its SMS may not go, in words}: hook for the
        SMS bridge (a blacklisted number); none here."""
        return {}

    @api.model
    def _queue_sms(self, reminders):
        """Hand the SMS of ``reminders`` to an SMS service and return the
        reminders whose SMS was queued: hook for the SMS bridge; none here,
        this module sends no SMS itself."""
        return reminders.browse()

    @api.model
    def _replace_sms_by_call(self, reminders, reasons=None):
        """The SMS of these reminders does not go: a call to make instead,
        for the customer's reminder responsible, and the reminder says why.
        The reminder no longer reads "by SMS"."""
        if not reminders:
            return
        reasons = reasons or {}
        reminders = reminders.sudo()
        for reminder in reminders:
            reminder.message_post(
                body=reasons.get(reminder.id)
                or self.env._("No SMS service is installed: a call to make instead of the SMS.")
            )
        # a reminder that has its call already gets no second one
        to_call = reminders.filtered(lambda r: not r.create_activity)
        reminders.write({"send_sms": False, "create_activity": True})
        self._schedule_activities(to_call.with_env(self.env))

    # ------------------------------------------------------------------
    # Calls and meetings
    # ------------------------------------------------------------------

    @api.model
    def _schedule_activities(self, reminders):
        """A phone call or meeting to do, for the customer's reminder
        responsible (an active user, always)."""
        if not reminders:
            return
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for company, group in reminders.grouped("company_id").items():
            users = group.partner_id._get_dunning_responsibles(company)
            for reminder in group:
                reminder.sudo().activity_schedule(
                    activity_type_id=(reminder.level_id.activity_type_id or call_type).id,
                    summary=self.env._(
                        "%(level)s: contact %(customer)s",
                        level=reminder.level_id.name,
                        customer=reminder.partner_id.name,
                    ),
                    user_id=users[reminder.partner_id.id].id,
                    date_deadline=reminder.date,
                )
