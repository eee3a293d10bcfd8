# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import secrets
import uuid
from collections import defaultdict
from datetime import timedelta

import qrcode
from PIL import Image

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

# the short code printed on letters: no 0/O, 1/I/L, easy to type back
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
# what the customer may send
MESSAGE_MAX = 2000
PHONE_MAX = 40
ATTACHMENT_MAX = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
SUBMISSIONS_PER_HOUR = 5
# what the customer writes makes it no follower: nothing of the chatter is
# emailed to it afterwards
NO_FOLLOW = {"mail_create_nosubscribe": True, "mail_post_autofollow_author_skip": True}


def new_portal_code():
    """A short code for the letter's address: 12 characters of 31, about
    60 bits: guessing one among a million live reminders takes some 10^11
    requests."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class AccountDunning(models.Model):
    """Each reminder opens, through a secret link, the customer's own page
    (``controllers/portal.py``): what the customer owes the company now,
    to pay, promise, dispute or write back. Everything the page shows or
    does is decided here; the controller only reads the request and lays
    these values out."""

    _name = "account.dunning"
    _inherit = ["account.dunning", "portal.mixin"]

    portal_code = fields.Char(
        string="Short Link Code",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups="account_dunning.group_dunning_user",
        help="The code of the short address printed on the letter.",
    )
    portal_first_seen = fields.Datetime(
        string="First Seen",
        copy=False,
        readonly=True,
        help="When the customer first opened the page of this reminder.",
    )
    portal_last_seen = fields.Datetime(
        string="Seen",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When the customer last opened the page of this reminder.",
    )
    portal_submission_ids = fields.One2many(
        "account.dunning.portal.submission", "reminder_id", string="From the Customer Page"
    )

    def _compute_access_url(self):
        for reminder in self:
            reminder.access_url = f"/my/reminders/{reminder.id}"

    @api.model_create_multi
    def create(self, vals_list):
        # the link exists from the start: the letter prints it, and a token
        # given at creation costs no UPDATE per reminder of a daily run
        for vals in vals_list:
            vals.setdefault("access_token", str(uuid.uuid4()))
            vals.setdefault("portal_code", new_portal_code())
        return super().create(vals_list)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """A reminder's chatter is its users' only: its link opens the
        customer's page, never Odoo's chatter routes, which portal opens
        with a record's token (they would show the reminder's internal
        activities and followers, and take messages and files beyond the
        page's limits)."""
        for key in ("token", "hash", "pid"):
            kwargs.pop(key, None)
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """Without portal's "View" button for the customer in notifications
        of a reminder: the customer reaches its page by the link the
        reminder's email and letter carry, and preparing that button writes
        a signup on the customer's contact at every message or activity on
        the reminder, even one between colleagues."""
        return super(
            AccountDunning, self.with_context(dunning_portal_no_customer=True)
        )._notify_get_recipients_groups(message, model_description, msg_vals=msg_vals)

    def _mail_get_partner_fields(self, introspect_fields=False):
        if self.env.context.get("dunning_portal_no_customer"):
            return []
        return super()._mail_get_partner_fields(introspect_fields=introspect_fields)

    # ------------------------------------------------------------------
    # The link
    # ------------------------------------------------------------------

    def _get_portal_link(self):
        """The customer's link to this reminder's page, full (with its
        secret token), for the email and the QR code."""
        self.ensure_one()
        return self.get_base_url() + self._get_share_url()

    def _get_portal_short_link(self):
        """The short address printed on the letter, to type in: it leads
        to the same page."""
        self.ensure_one()
        reminder = self.sudo()
        if not reminder.portal_code:
            reminder.portal_code = new_portal_code()
        code = reminder.portal_code
        return f"{self.get_base_url()}/rp/{code[:4]}-{code[4:8]}-{code[8:]}"

    def _get_portal_letter_values(self):
        """What the letter prints near its total: the short address and its
        QR code, as an image inside the PDF. The QR holds the short address
        rather than the full link: a smaller code, easier to scan on paper,
        and made in a millisecond (``_get_portal_qr_png``) where the
        daily job prints thousands of letters."""
        self.ensure_one()
        short_link = self._get_portal_short_link()
        png = self._get_portal_qr_png(short_link)
        return {
            "short_link": short_link,
            "qr_src": "data:image/png;base64," + base64.b64encode(png).decode(),
        }

    @api.model
    def _get_portal_qr_png(self, text):
        """A QR code of ``text`` as a PNG, black on white, with its quiet
        zone. Made with the ``qrcode`` library Odoo requires, the mask
        fixed: Odoo's barcode route (reportlab) takes 20 to 30 ms a code.
        The picture is the library's (``make_image``: black and white, 8
        pixels a module), the same PNG to the byte, but made from the
        code's modules at one pixel each and enlarged in one step, rather
        than drawn a square at a time: a third less time a letter."""
        box_size = 8
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M,
            box_size=box_size,
            border=4,
            mask_pattern=0,
        )
        code.add_data(text)
        code.make(fit=True)
        # the modules with their quiet zone, dark ones black (0)
        matrix = code.get_matrix()
        size = len(matrix)
        pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
        # the enums of Pillow 9.1+, the constants of the 9.0 Odoo pins for
        # Python 3.10
        dither = getattr(Image, "Dither", Image).NONE
        nearest = getattr(Image, "Resampling", Image).NEAREST
        image = Image.frombytes("L", (size, size), pixels).convert("1", dither=dither)
        image = image.resize((size * box_size, size * box_size), nearest)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()

    @api.model
    def _portal_find(self, reminder_id=None, token=None, code=None):
        """The reminder a request opens, as the superuser, or an empty
        recordset: an unknown reminder, a wrong token or code, a cancelled
        reminder all answer the same. Tokens are compared in constant
        time. Without a token, the user must be an internal user allowed
        to read the reminder, or the portal user of its customer."""
        Reminder = self.sudo()
        if code:
            code = "".join(char for char in str(code).upper() if char in CODE_ALPHABET)
            if len(code) != CODE_LENGTH:
                return Reminder.browse()
            reminder = Reminder.search([("portal_code", "=", code)], limit=1)
            if not reminder or not consteq(reminder.portal_code, code):
                return Reminder.browse()
        else:
            try:
                reminder = Reminder.browse(int(reminder_id)).exists()
            except (TypeError, ValueError):
                return Reminder.browse()
            if not reminder:
                return Reminder.browse()
            if token:
                if not reminder.access_token or not consteq(reminder.access_token, str(token)):
                    return Reminder.browse()
            elif not reminder._portal_user_may_open():
                return Reminder.browse()
        if reminder.state == "cancel":
            return Reminder.browse()
        return reminder

    def _portal_user_may_open(self):
        """Whether the logged-in user opens this reminder without its
        token: its customer's portal user, or an internal user who may
        read it."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            return False
        if user.share:
            return user.partner_id.commercial_partner_id == self.partner_id.commercial_partner_id
        try:
            self.with_user(user).check_access("read")
        except AccessError:
            return False
        return True

    def _portal_mark_seen(self):
        """The customer opened the page: first and last time. A look from
        inside the company (a user previewing it) is not the customer's."""
        self.ensure_one()
        user = self.env.user
        if not user._is_public() and not user.share:
            return
        now = fields.Datetime.now()
        values = {"portal_last_seen": now}
        if not self.portal_first_seen:
            values["portal_first_seen"] = now
        self.sudo().write(values)

    # ------------------------------------------------------------------
    # What the page shows
    # ------------------------------------------------------------------

    def _get_portal_invoices(self):
        """Every open invoice of the reminder's customer in the reminder's
        company: what the customer owes that company now."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("dunning_date_due", "!=", False),
                ],
                order="dunning_date_due, name, id",
            )
        )

    def _get_portal_values(self, lang=None):
        """What the page shows, in ``lang``: the company, the customer,
        then, per currency (never added together), its open invoices with
        due date, days late, amount due, the charges still owed when the
        reminder's level shows them, an open promise or dispute, and the
        totals; the bank details and the reference to write."""
        self.ensure_one()
        reminder = self.sudo().with_context(lang=lang or self.lang)
        env = reminder.env
        today = env["account.dunning.engine"]._get_today(reminder.company_id)
        moves = reminder._get_portal_invoices()
        in_reminder = set(reminder.line_ids.move_id.ids)
        promises = {}
        for promise in env["account.dunning.promise"].search(
            [("state", "=", "open"), ("move_ids", "in", moves.ids)]
        ):
            for move in promise.move_ids:
                promises[move.id] = promise
        disputes = {
            dispute.move_id.id: dispute
            for dispute in env["account.dunning.dispute"].search(
                [("state", "=", "open"), ("move_id", "in", moves.ids)]
            )
        }
        # due and late as the engine counts them: the earliest open installment
        late = moves.filtered(lambda move: move.dunning_date_due < today)
        charges = {}
        if reminder.level_id.show_charges and late:
            charges = late._get_dunning_charges(today)
        by_currency = defaultdict(lambda: env["account.move"])
        for move in moves:
            by_currency[move.currency_id] |= move
        # the reminder's currency first, then by name
        currencies = sorted(
            by_currency, key=lambda cur: (cur != reminder.currency_id, cur.name or "")
        )
        groups = []
        for currency in currencies:
            date_text, amount_text = reminder._get_formatters(env, currency)
            rows, total, total_late, total_charges = [], 0.0, 0.0, 0.0
            for move in by_currency[currency]:
                days_late = (today - move.dunning_date_due).days
                charge = charges.get(move.id) or {}
                owed_charges = (charge.get("penalty_due") or 0.0) + (
                    charge.get("indemnity_due") or 0.0
                )
                promise = promises.get(move.id)
                total += move.amount_residual
                if days_late > 0:
                    total_late += move.amount_residual
                total_charges += owed_charges
                rows.append(
                    {
                        "id": move.id,
                        "number": move.name,
                        "reference": move.ref or "",
                        "invoice_date": date_text(move.invoice_date),
                        "date_due": date_text(move.dunning_date_due),
                        "days_late": max(days_late, 0),
                        "late": days_late > 0,
                        "amount_due": amount_text(move.amount_residual),
                        "charges": amount_text(owed_charges) if owed_charges else "",
                        "in_reminder": move.id in in_reminder,
                        "promise": date_text(promise.date) if promise else "",
                        "disputed": move.id in disputes,
                    }
                )
            groups.append(
                {
                    "currency": currency,
                    "code": currency.name,
                    "rows": rows,
                    "total": amount_text(total),
                    "total_late": amount_text(total_late),
                    "charges": amount_text(total_charges) if total_charges else "",
                    "show_charges": bool(charges),
                }
            )
        return {
            "reminder": reminder,
            "company": reminder.company_id,
            "customer": reminder.partner_id.commercial_partner_id,
            "groups": groups,
            "today": reminder._get_formatters(env, reminder.currency_id)[0](today),
            "bank_details": reminder._get_bank_details(lang=env.lang),
            "payment_reference": reminder.name,
            "promise_days": reminder.company_id.dunning_portal_promise_days,
            "promise_latest": fields.Date.to_string(
                today + timedelta(days=reminder.company_id.dunning_portal_promise_days)
            ),
            "promise_earliest": fields.Date.to_string(today),
            # in litigation: it pays and writes to us, no promise or dispute
            "litigation": reminder._portal_in_litigation(),
            "dispute_reasons": env["account.dunning.dispute"]
            ._fields["reason"]
            ._description_selection(env),
        }

    def _get_portal_moves(self, move_ids, one_currency=True):
        """The invoices ``move_ids`` (ids, as the request gives them), when
        each is an open invoice of this page, and in one currency when
        ``one_currency``; a UserError in the customer's words otherwise."""
        self.ensure_one()
        env = self.with_context(lang=self.lang).env
        try:
            ids = {int(move_id) for move_id in move_ids or []}
        except (TypeError, ValueError):
            ids = {0}
        if not ids:
            raise UserError(env._("Select at least one invoice."))
        moves = self._get_portal_invoices().filtered(lambda move: move.id in ids)
        if len(moves) != len(ids):
            raise UserError(env._("These invoices cannot be selected here."))
        if one_currency and len(moves.currency_id) > 1:
            raise UserError(
                env._("Select invoices in one currency: pay or promise each currency apart.")
            )
        return moves

    # ------------------------------------------------------------------
    # What the customer does
    # ------------------------------------------------------------------

    def _portal_check_customer(self):
        """What the page's forms do is the customer's: refused to a user of
        the company, who previews the page (from the reminder, or with the
        link) but records promises and disputes with their own rights."""
        user = self.env.user
        if user._is_public() or user.share or user._is_superuser():
            return
        raise UserError(
            self.with_context(lang=self.lang).env._(
                "This page is your customer's: record a promise, a dispute or a message "
                "from the reminder instead."
            )
        )

    def _portal_in_litigation(self):
        """Whether the reminder's customer is in litigation in the
        reminder's company (``account.dunning.litigation``): its claim is in
        the hands of a lawyer, a court or a collection agency."""
        self.ensure_one()
        reminder = self.sudo()
        customer = reminder.partner_id.commercial_partner_id
        return bool(customer.with_company(reminder.company_id).dunning_litigation)

    def _portal_check_not_in_litigation(self):
        """A customer in litigation still pays on its page, and writes to
        us; it no longer records a payment promise or a dispute there: a
        promise would pause a recovery that is no longer ours to pause, a
        dispute tell the customer its invoice is "under review" while a
        lawyer, a court or an agency pursues it. What it has to say reaches
        its responsible by a message."""
        if self._portal_in_litigation():
            raise UserError(
                self.with_context(lang=self.lang).env._(
                    "Your account has been handed over for recovery: a payment promise or a "
                    "dispute can no longer be recorded on this page. You can still pay here, "
                    "or write to us."
                )
            )

    def _portal_as_page(self):
        """This reminder as the page's requests write: as the superuser
        (OdooBot), whose emails reach the responsible (the public user
        has no address to send the activities' notices from), in the
        customer's language; what the customer writes stays authored by
        the customer."""
        return self.with_user(SUPERUSER_ID).sudo().with_context(lang=self.lang)

    def _portal_check_rate(self, kind):
        """At most a few submissions per link per hour: the next one is
        refused until the hour passed. Records this one."""
        self.ensure_one()
        env = self.with_context(lang=self.lang).env
        Submission = env["account.dunning.portal.submission"].sudo()
        since = fields.Datetime.now() - timedelta(hours=1)
        count = Submission.search_count(
            [("reminder_id", "=", self.id), ("create_date", ">=", since)]
        )
        if count >= SUBMISSIONS_PER_HOUR:
            raise UserError(
                env._(
                    "You sent us several requests within the last hour: please wait a little, "
                    "or call us."
                )
            )
        Submission.create({"reminder_id": self.id, "kind": kind})

    def _portal_responsible(self):
        """Who follows this customer's reminders: the user the page's
        requests go to."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        user = customer._get_dunning_responsibles(self.company_id)[customer.id]
        return user or self.user_id

    def _portal_text(self, text, limit, label):
        env = self.with_context(lang=self.lang).env
        text = (text or "").strip()
        if len(text) > limit:
            raise UserError(
                env._(
                    "%(field)s is too long: at most %(limit)s characters.",
                    field=label,
                    limit=limit,
                )
            )
        return text

    def _portal_promise(self, move_ids, date, amount, note=None):
        """The customer promises to pay ``amount`` on the invoices
        ``move_ids`` by ``date``: a promise from the customer, which pauses
        them as any promise does; the responsible gets an activity."""
        self.ensure_one()
        self._portal_check_customer()
        self._portal_check_not_in_litigation()
        reminder = self._portal_as_page()
        env = reminder.env
        moves = reminder._get_portal_moves(move_ids)
        note = reminder._portal_text(note, MESSAGE_MAX, env._("The message"))
        today = env["account.dunning.engine"]._get_today(reminder.company_id)
        latest = today + timedelta(days=reminder.company_id.dunning_portal_promise_days)
        try:
            date = fields.Date.to_date(date)
        except ValueError:
            date = None
        if not date or not today <= date <= latest:
            raise UserError(
                env._(
                    "Choose a payment date between today and %(latest)s.",
                    latest=reminder._get_formatters(env, reminder.currency_id)[0](latest),
                )
            )
        currency = moves.currency_id
        owed = sum(moves.mapped("amount_residual"))
        try:
            amount = currency.round(float(amount))
        except (TypeError, ValueError, OverflowError):
            amount = 0.0
        if currency.compare_amounts(amount, 0) <= 0 or currency.compare_amounts(amount, owed) > 0:
            raise UserError(
                env._(
                    "The amount must be more than zero and at most what these invoices "
                    "still owe (%(owed)s).",
                    owed=currency.format(owed),
                )
            )
        already = env["account.dunning.promise"].search(
            [("state", "=", "open"), ("move_ids", "in", moves.ids)]
        )
        if already:
            raise UserError(
                env._(
                    "A payment is already promised for %(invoices)s.",
                    invoices=", ".join(sorted((already.move_ids & moves).mapped("name"))),
                )
            )
        reminder._portal_check_rate("promise")
        responsible = reminder._portal_responsible()
        promise = env["account.dunning.promise"].create(
            {
                "partner_id": reminder.partner_id.commercial_partner_id.id,
                "company_id": reminder.company_id.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "date": date,
                "amount": amount,
                "note": note,
                "user_id": False,
                "from_customer": True,
                "portal_reminder_id": reminder.id,
            }
        )
        if responsible:
            user_env = promise.with_context(lang=responsible.lang).env
            promise.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=user_env._(
                    "%(customer)s promised on its page to pay %(amount)s by %(date)s",
                    customer=promise.partner_id.name,
                    amount=currency.format(amount),
                    date=reminder._get_formatters(user_env, currency)[0](date),
                ),
            )
        return promise

    def _portal_dispute(self, move_id, reason, message, attachment=None):
        """The customer disputes the invoice ``move_id`` for ``reason``
        with ``message`` and maybe a file (name, content): a dispute from
        the customer, which pauses that invoice; the responsible owns it."""
        self.ensure_one()
        self._portal_check_customer()
        self._portal_check_not_in_litigation()
        reminder = self._portal_as_page()
        env = reminder.env
        move = reminder._get_portal_moves([move_id])
        reasons = dict(env["account.dunning.dispute"]._fields["reason"].selection)
        if reason not in reasons:
            raise UserError(env._("Choose a reason."))
        message = reminder._portal_text(message, MESSAGE_MAX, env._("The message"))
        if not message:
            raise UserError(env._("Tell us what is wrong with this invoice."))
        if env["account.dunning.dispute"].search_count(
            [("state", "=", "open"), ("move_id", "=", move.id)]
        ):
            raise UserError(env._("%(invoice)s is already under review.", invoice=move.name))
        file_name, content = attachment or (None, None)
        extension = None
        if content:
            if len(content) > ATTACHMENT_MAX:
                raise UserError(env._("The file is too large: at most 10 MB."))
            extension = ATTACHMENT_TYPES.get(guess_mimetype(content))
            if not extension:
                raise UserError(env._("Attach a PDF or a picture (PNG or JPEG)."))
        reminder._portal_check_rate("dispute")
        responsible = reminder._portal_responsible()
        dispute = env["account.dunning.dispute"].create(
            {
                "move_id": move.id,
                "reason": reason,
                "note": message,
                "user_id": (responsible or env.ref("base.user_admin")).id,
                "from_customer": True,
                "portal_reminder_id": reminder.id,
            }
        )
        attachments = env["ir.attachment"]
        if content:
            # the name without its extension: the content decides the type
            stem = (file_name or "").rsplit(".", 1)[0]
            stem = "".join(char for char in stem if char.isalnum() or char in "-_ ")
            attachments = attachments.create(
                {
                    "name": f"{(stem.strip() or move.name)[:60]}.{extension}",
                    "raw": content,
                    "res_model": dispute._name,
                    "res_id": dispute.id,
                }
            )
        posted = dispute.with_context(**NO_FOLLOW).message_post(
            body=plaintext2html(message),
            author_id=reminder.partner_id.commercial_partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if attachments:
            # message_post links a public user's files only when they come
            # from its composer: the file is linked here
            posted.attachment_ids = attachments
        return dispute

    def _portal_message(self, message, call_back=False, phone=None):
        """The customer writes to us: the message on the reminder, its
        responsible notified; asked to be called back, a call for them."""
        self.ensure_one()
        self._portal_check_customer()
        reminder = self._portal_as_page()
        env = reminder.env
        message = reminder._portal_text(message, MESSAGE_MAX, env._("The message"))
        phone = reminder._portal_text(phone, PHONE_MAX, env._("The phone number"))
        if not message and not call_back:
            raise UserError(env._("Write your message."))
        reminder._portal_check_rate("message")
        responsible = reminder._portal_responsible()
        customer = reminder.partner_id.commercial_partner_id
        body = plaintext2html(message) if message else ""
        if call_back:
            body += plaintext2html(
                env._("Please call me back at %(phone)s.", phone=phone or customer.phone or "-")
            )
        reminder.with_context(**NO_FOLLOW).message_post(
            body=body,
            author_id=customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=responsible.partner_id.ids,
        )
        if call_back and responsible:
            reminder.activity_schedule(
                "mail.mail_activity_data_call",
                user_id=responsible.id,
                summary=reminder.with_context(lang=responsible.lang).env._(
                    "Call back %(customer)s at %(phone)s",
                    customer=customer.name,
                    phone=phone or customer.phone or "-",
                ),
            )
        return True

    # ------------------------------------------------------------------
    # Documents and payment
    # ------------------------------------------------------------------

    def _get_portal_invoice_pdf(self, move_id):
        """The legal PDF of one open invoice of this page (the one the
        module attaches to reminders): (content, file name)."""
        self.ensure_one()
        move = self._get_portal_moves([move_id])
        attachment = move._get_dunning_invoice_pdfs().get(move.id)
        if not attachment:
            raise UserError(self.with_context(lang=self.lang).env._("This invoice has no PDF yet."))
        return attachment.sudo().raw, attachment.name

    def _get_portal_statement_pdf(self):
        """The customer's outstanding statement in the reminder's company,
        today, in the customer's language: (content, file name)."""
        self.ensure_one()
        reminder = self.sudo()
        customer = reminder.partner_id.commercial_partner_id
        today = reminder.env["account.dunning.engine"]._get_today(reminder.company_id)
        content, name = (
            customer.with_company(reminder.company_id)
            .with_context(lang=reminder.lang)
            ._render_dunning_statement(today, today, "outstanding", lang=reminder.lang)
        )
        return content, f"{name} - {customer.name}.pdf"

    def _get_portal_payment(self, move_ids):
        """What a payment of the invoices ``move_ids`` is: (invoices,
        amount, currency, reference), the amount being what they still
        owe now, whatever the request says."""
        self.ensure_one()
        moves = self._get_portal_moves(move_ids)
        currency = moves.currency_id
        amount = currency.round(sum(moves.mapped("amount_residual")))
        reference = moves.name if len(moves) == 1 else self.name
        return moves, amount, currency, reference

    def action_open_portal_page(self):
        """The customer's page of this reminder, as the customer sees it
        (opened by a user, it is not counted as seen)."""
        self.ensure_one()
        self.check_access("read")
        if self.state == "cancel":
            raise UserError(self.env._("A cancelled reminder's page no longer opens."))
        return {"type": "ir.actions.act_url", "url": self._get_share_url(), "target": "new"}

    # ------------------------------------------------------------------
    # My Account and payments
    # ------------------------------------------------------------------

    @api.model
    def _portal_mine_domain(self):
        """The reminders a portal user finds under My Account: those sent
        to its customer."""
        partner = self.env.user.partner_id.commercial_partner_id
        return [("partner_id", "=", partner.id), ("state", "=", "sent")]

    @api.model
    def _portal_search_count_mine(self):
        return self.sudo().search_count(self._portal_mine_domain())

    @api.model
    def _portal_search_mine(self, limit=None, offset=0):
        return self.sudo().search(
            self._portal_mine_domain(), limit=limit, offset=offset, order="date desc, id desc"
        )

    def _link_portal_transaction(self, reference):
        """Keep the payment transaction made from this page on it."""
        self.ensure_one()
        if reference:
            self.env["payment.transaction"].sudo().search([("reference", "=", reference)]).write(
                {"dunning_reminder_id": self.id}
            )

    def _get_portal_transaction(self):
        """The payment made from this page within the last hour, to say
        how it went: (state, text) or None."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(hours=1)
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [("dunning_reminder_id", "=", self.id), ("create_date", ">=", since)],
                order="id desc",
                limit=1,
            )
        )
        if not transaction or transaction.state == "draft":
            return None
        env = self.with_context(lang=self.env.lang or self.lang).env
        amount = transaction.currency_id.format(transaction.amount)
        if transaction.state == "done":
            return (
                "success",
                env._(
                    "Thank you: we received your payment of %(amount)s for %(invoices)s.",
                    amount=amount,
                    invoices=", ".join(transaction.invoice_ids.mapped("name")),
                ),
            )
        if transaction.state in ("pending", "authorized"):
            return (
                "info",
                env._(
                    "Your payment of %(amount)s is being processed: we will confirm it.",
                    amount=amount,
                ),
            )
        return (
            "warning",
            env._("Your payment of %(amount)s did not go through.", amount=amount),
        )
