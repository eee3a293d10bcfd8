# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import zipfile
from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from .dunning_tools import check_dunning_access, log_notes, safe_filename


class AccountDunning(models.Model):
    """What becomes of a reminder once made, on the reminder itself: its
    invoices move to their new level (``_update_invoices``) and its history
    is written (``_log_on_documents``); a channel that does not reach the
    customer (``_on_channel_failure``: an email that fails or bounces, an
    SMS that fails) undoes the reminder when nothing else of it went out;
    a cancel withdraws what can be (``_cancel_reminders``, one
    ``_cancel_<channel>`` per channel, which a bridge extends); the letters
    go into the post (``_mark_letters_posted``)."""

    _inherit = "account.dunning"

    # ------------------------------------------------------------------
    # The invoices' levels
    # ------------------------------------------------------------------

    def _update_invoices(self):
        """Each counted invoice of the reminders gets its new level, the
        reminder's date and one more reminder."""
        self.env["account.move"]._dunning_write_reminder_state(
            [
                (line.move_id.id, line.new_level_id.id, reminder.date, line.previous_count + 1)
                for reminder in self
                for line in reminder.line_ids
                if line.is_counted
            ]
        )

    def _restore_invoices(self):
        """Give the invoices of these reminders back the level, date and
        count they had before, where the reminder is still their last one."""
        updates = []
        for reminder in self:
            for line in reminder.line_ids.filtered("is_counted"):
                move = line.move_id
                if (
                    move.dunning_level_id == line.new_level_id
                    and move.dunning_last_date == reminder.date
                    and move.dunning_count == line.previous_count + 1
                ):
                    updates.append(
                        (
                            move.id,
                            line.previous_level_id.id,
                            line.previous_date,
                            line.previous_count,
                        )
                    )
        self.env["account.move"]._dunning_write_reminder_state(updates)

    def _mark_failed(self, reason):
        """Nothing of these reminders went out: they failed, for ``reason``."""
        self.sudo().write({"state": "failed", "failure_reason": reason})

    def _log_on_documents(self):
        """A note on each invoice and on each customer, in one batch each:
        the history the invoice and the customer show."""
        move_bodies, partner_bodies = {}, defaultdict(list)
        for reminder in self:
            text = self.env._(
                "Reminder %(ref)s, %(level)s, %(channels)s",
                ref=reminder.name,
                level=reminder.level_id.name,
                channels=", ".join(reminder._get_channel_labels()),
            )
            if reminder.comment:
                text += f" — {reminder.comment}"
            body = Markup("<p>%s</p>") % text
            for move in reminder.line_ids.move_id:
                move_bodies[move.id] = body
            partner_bodies[reminder.partner_id.id].append(body)
        log_notes(self.env["account.move"].browse(list(move_bodies)), move_bodies)
        log_notes(
            self.env["res.partner"].browse(list(partner_bodies)),
            {pid: Markup("").join(bodies) for pid, bodies in partner_bodies.items()},
        )

    # ------------------------------------------------------------------
    # A channel that did not reach the customer
    # ------------------------------------------------------------------

    def _get_channels_out(self):
        """The channels of this reminder that went out, or are on their way,
        to the customer (or to its responsible, for a call): an email that
        failed, bounced or was withdrawn, a letter withdrawn, are not. The
        SMS bridge says the same of its SMS."""
        self.ensure_one()
        out = {"create_activity"} if self.create_activity else set()
        if self.send_email and self.email_state not in ("failed", "bounced", "cancel"):
            out.add("send_email")
        if self.send_letter and self.letter_state != "cancel":
            out.add("send_letter")
        if self.send_sms:
            out.add("send_sms")
        return out

    def _on_channel_failure(self, channel, message):
        """``channel`` (a channel field) of these reminders did not reach
        the customer, for ``message``; the caller wrote the channel's own
        status first. A reminder whose other channels did not go out either
        failed: its invoices get their previous level back, and their
        history says so. One whose other channels went out stands and says
        its ``channel`` failed."""
        reminders = self.sudo()
        sent = reminders.filtered(lambda r: r.state == "sent")
        alone = sent.filtered(lambda r: not (r._get_channels_out() - {channel}))
        alone._restore_invoices()
        alone._mark_failed(message)
        for reminder in sent:
            if reminder in alone:
                reminder.message_post(body=message)
            else:
                reminder.message_post(
                    body=self.env._(
                        "%(message)s The reminder stands: its other channels went out.",
                        message=message,
                    )
                )
        sent._log_failure_on_invoices(message, failed=alone)

    def _log_failure_on_invoices(self, message, failed=None):
        """The history of the invoices of these reminders says that a
        channel failed (``message``): for the ``failed`` reminders, that
        they failed and which level the invoices are back to; for the
        others, that they stand. In one batch."""
        failed = self.browse() if failed is None else failed
        bodies = {}
        for reminder in self:
            for line in reminder.line_ids:
                if reminder in failed and line.is_counted:
                    text = self.env._(
                        "Reminder %(ref)s failed: %(reason)s Back to %(level)s.",
                        ref=reminder.name,
                        reason=message,
                        level=line.previous_level_id.name or self.env._("no reminder level"),
                    )
                elif reminder not in failed:
                    text = self.env._(
                        "Reminder %(ref)s: %(reason)s Its other channels went out.",
                        ref=reminder.name,
                        reason=message,
                    )
                else:
                    continue
                bodies[line.move_id.id] = Markup("<p>%s</p>") % text
        if bodies:
            self.env["account.move"].browse(list(bodies)).sudo()._message_log_batch(bodies=bodies)

    def _on_email_failure(self, reason, bounced=False):
        """The mail queue could not deliver the email (or it bounced): the
        email failed (``_on_channel_failure``)."""
        reminders = self.sudo()
        reminders.write({"email_state": "bounced" if bounced else "failed"})
        reminders._on_channel_failure(
            "send_email",
            self.env._("The email could not be delivered: %(reason)s", reason=reason),
        )

    def _on_email_bounce(self, email):
        """A reminder email bounced (Odoo's bounce handling): the email
        failed (``_on_email_failure``), the customer's reminder responsible
        gets an activity to fix the address, and the next reminders to that
        address go by letter until it changes
        (``account.dunning.channel._get_email_issue``)."""
        reminders = self.sudo().filtered(lambda r: r.send_email and r.email_state != "bounced")
        if not reminders:
            return
        reminders._on_email_failure(self.env._("%(email)s bounced", email=email or ""), True)
        for company in reminders.company_id:
            ours = reminders.filtered(lambda r, company=company: r.company_id == company)
            responsibles = ours.partner_id._get_dunning_responsibles(company)
            for reminder in ours:
                user = responsibles[reminder.partner_id.id]
                if not user:
                    continue
                env = self.with_context(lang=user.lang).env
                reminder.partner_id.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._(
                        "Fix the email address of %(contact)s",
                        contact=reminder.contact_id.display_name,
                    ),
                    note=env._(
                        "The reminder %(reminder)s to %(email)s bounced. Until the address "
                        "changes, reminders go by letter.",
                        reminder=reminder.name,
                        email=reminder.email,
                    ),
                )

    # ------------------------------------------------------------------
    # Cancel
    # ------------------------------------------------------------------

    def _cancel_reminders(self):
        """Cancel reminders: each channel withdraws what it still can
        (``_cancel_email``, ``_cancel_letter``, ``_cancel_sms``,
        ``_cancel_activities``) and the invoices get their previous level
        back. What already reached the customer is said on the reminder.
        Reminder users only."""
        check_dunning_access(self.env, "user", self.env._("cancel reminders"))
        if self.filtered(lambda r: r.state == "cancel"):
            raise UserError(self.env._("This reminder is already cancelled."))
        self.check_access("write")
        reminders = self.sudo()
        reminders.filtered(lambda r: r.state == "sent")._restore_invoices()
        for reminder in reminders:
            notes = [self.env._("Reminder cancelled: the invoices got their previous level back.")]
            notes += reminder._cancel_email()
            notes += reminder._cancel_letter()
            notes += reminder._cancel_sms()
            notes += reminder._cancel_activities()
            reminder.message_post(body=Markup("<br/>").join(notes))
        reminders.write({"state": "cancel"})
        reminders._log_cancel_on_invoices()

    def _cancel_email(self):
        """Withdraw the reminder's email from the outgoing queue if it is
        still there. Returns the notes for the reminder. Only the email the
        engine made for this reminder: one of this reminder's own (no user
        sets ``mail_id``: models/account_dunning_access.py)."""
        self.ensure_one()
        mail = self.mail_id.filtered(lambda m: m.model == self._name and m.res_id == self.id)
        if mail and mail.state in ("outgoing", "exception"):
            mail.write({"state": "cancel"})
            self.email_state = "cancel"
            return [self.env._("Its email was withdrawn from the outgoing queue.")]
        if mail or self.email_state == "sent":
            return [self.env._("Its email had already been sent.")]
        return []

    def _cancel_letter(self):
        """Withdraw the reminder's letter from the letters to post if it
        was not posted yet. Returns the notes for the reminder."""
        self.ensure_one()
        if self.letter_state == "to_post":
            self.letter_state = "cancel"
            return [self.env._("Its letter was withdrawn from the letters to post.")]
        if self.letter_state == "posted":
            return [self.env._("Its letter had already been posted.")]
        return []

    def _cancel_sms(self):
        """Withdraw the reminder's SMS: hook for the SMS bridge, which
        queues them. Returns the notes for the reminder."""
        self.ensure_one()
        return []

    def _cancel_activities(self):
        """Remove the calls and meetings still to do for the reminder.
        Returns the notes for the reminder."""
        self.ensure_one()
        self.activity_ids.unlink()
        return []

    def _log_cancel_on_invoices(self):
        """The invoices' history says the reminder was cancelled and which
        level they are back to, in one batch."""
        bodies = {}
        for reminder in self:
            for line in reminder.line_ids.filtered("is_counted"):
                bodies[line.move_id.id] = Markup("<p>%s</p>") % self.env._(
                    "Reminder %(ref)s cancelled: back to %(level)s.",
                    ref=reminder.name,
                    level=line.previous_level_id.name or self.env._("no reminder level"),
                )
        if bodies:
            moves = self.env["account.move"].browse(list(bodies)).sudo()
            moves._message_log_batch(bodies=bodies)

    # ------------------------------------------------------------------
    # Post
    # ------------------------------------------------------------------

    def _mark_letters_posted(self, registered_numbers=None):
        """The letters of these reminders went into the post today (their
        company's day), each registered letter (``registered_letter``)
        with its registered-mail number in ``registered_numbers``
        ({reminder id: number}), which it needs. Reminder users only, on
        reminders they may write (their companies')."""
        check_dunning_access(self.env, "user", self.env._("mark letters as posted"))
        self.check_access("write")
        to_post = self.filtered(lambda r: r.letter_state == "to_post")
        if not to_post:
            raise UserError(
                self.env._("None of these reminders has a letter waiting for the post.")
            )
        numbers = {
            reminder_id: (number or "").strip()
            for reminder_id, number in (registered_numbers or {}).items()
        }
        missing = to_post.filtered(lambda r: r.registered_letter and not numbers.get(r.id))
        if missing:
            raise UserError(
                self.env._(
                    "Enter the registered-mail number of each registered letter: %(refs)s.",
                    refs=", ".join(missing.mapped("name")),
                )
            )
        todays = self.env["account.dunning.engine"]._get_todays(to_post.company_id)
        for company, reminders in to_post.sudo().grouped("company_id").items():
            reminders.write({"letter_state": "posted", "letter_posted_date": todays[company.id]})
        for reminder in to_post.sudo().filtered(lambda r: numbers.get(r.id)):
            reminder.registered_number = numbers[reminder.id]

    @api.model
    def _get_letters_file(self, reminders, file_format="zip"):
        """One download for the post: a ZIP with one PDF per letter, or one
        merged PDF. Only the reminders sent by letter and not cancelled are
        in it: a letter made only to go with an email is not posted. The
        files in the ZIP have safe names (``safe_filename``: a customer's
        name never makes a path). Returns an attachment."""
        check_dunning_access(self.env, "read", self.env._("print or download reminder letters"))
        letters = reminders.filtered(
            lambda r: r.send_letter
            and r.letter_attachment_id
            and r.state == "sent"
            and r.letter_state != "cancel"
        )
        if not letters:
            raise UserError(self.env._("None of these reminders has a letter to post."))
        if file_format == "pdf":
            data = merge_pdf([r.letter_attachment_id.raw for r in letters])
            name, mimetype = self.env._("Reminder letters.pdf"), "application/pdf"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for reminder in letters:
                    archive.writestr(
                        safe_filename(reminder.letter_attachment_id.name),
                        reminder.letter_attachment_id.raw,
                    )
            data = buffer.getvalue()
            name, mimetype = self.env._("Reminder letters.zip"), "application/zip"
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(data),
                "mimetype": mimetype,
                "res_model": self._name,
            }
        )
