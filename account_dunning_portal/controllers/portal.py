# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's page of a reminder, reached by its secret link. This
controller reads the request, asks ``account.dunning`` (the bridge's
``models/account_dunning.py``) what to show and to do, and lays it out:
no rule lives here."""

from urllib.parse import parse_qs, urlencode, urlsplit

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools import is_html_empty

from odoo.addons.account_payment.controllers import payment as account_payment_portal
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.account_dunning import MESSAGE_MAX, PHONE_MAX

DONE_MESSAGES = ("promise", "dispute", "message")


class DunningPortal(PortalAccount, account_payment_portal.PaymentPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _dunning_find(self, reminder_id, access_token):
        return request.env["account.dunning"]._portal_find(reminder_id, token=access_token)

    def _dunning_lang(self, reminder, lang=None):
        """The page's language: the one asked for when installed, else the
        customer's; the request renders in it from now on."""
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        lang = lang if lang in installed else reminder.lang
        request.update_context(lang=lang)
        return lang

    def _dunning_invalid(self):
        """The one answer to a wrong or expired link: a clear page, in the
        language asked for, else the company's."""
        company = request.env.company.sudo()
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        lang = request.params.get("lang")
        lang = lang if lang in installed else company.partner_id.lang
        if lang in installed:
            request.update_context(lang=lang)
        return request.render(
            "account_dunning_portal.portal_link_invalid",
            {"company": company},
            status=404,
        )

    def _dunning_url(self, reminder, suffix="", **params):
        query = {"access_token": reminder.access_token, **params}
        return f"/my/reminders/{reminder.id}{suffix}?{urlencode(query)}"

    def _dunning_render(self, reminder, lang, template, **values):
        page = reminder._get_portal_values(lang=lang)
        langs = request.env["res.lang"].sudo().search([("active", "=", True)], order="name")
        return request.render(
            template,
            {
                **page,
                **values,
                "lang": lang,
                "langs": [(code.code, code.name) for code in langs],
                "page_url": self._dunning_url(reminder, lang=lang),
                "url": lambda suffix="", **params: self._dunning_url(
                    reminder, suffix, **{"lang": lang, **params}
                ),
                "message_max": MESSAGE_MAX,
                # payment.form needs it: the frontend values of website=True
                # routes, which these are not
                "is_html_empty": is_html_empty,
                "phone_max": PHONE_MAX,
            },
        )

    def _dunning_page_error(self, reminder, lang, error, **values):
        """Back to the page, saying what went wrong (``error``)."""
        return self._dunning_render(
            reminder,
            lang,
            "account_dunning_portal.portal_reminder_page",
            error=str(error),
            **values,
        )

    @staticmethod
    def _dunning_ids(value):
        if isinstance(value, list | tuple):
            return list(value)
        return [part for part in str(value or "").replace("-", ",").split(",") if part.strip()]

    # ------------------------------------------------------------------
    # My Account
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dunning_count" in counters:
            values["dunning_count"] = request.env["account.dunning"]._portal_search_count_mine()
        return values

    @http.route(
        ["/my/reminders", "/my/reminders/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_my_reminders(self, page=1, **_kw):
        Reminder = request.env["account.dunning"]
        count = Reminder._portal_search_count_mine()
        pager = portal_pager(url="/my/reminders", total=count, page=page, step=self._items_per_page)
        reminders = Reminder._portal_search_mine(limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "reminders": reminders,
                "pager": pager,
                "page_name": "dunning_reminders",
                "default_url": "/my/reminders",
            }
        )
        return request.render("account_dunning_portal.portal_my_reminders", values)

    # ------------------------------------------------------------------
    # The page
    # ------------------------------------------------------------------

    @http.route("/rp/<string:code>", type="http", auth="public", methods=["GET"])
    def portal_reminder_short(self, code, **_kw):
        """The short address printed on the letter."""
        reminder = request.env["account.dunning"]._portal_find(code=code)
        if not reminder:
            return self._dunning_invalid()
        return request.redirect(self._dunning_url(reminder))

    @http.route("/my/reminders/<int:reminder_id>", type="http", auth="public", methods=["GET"])
    def portal_reminder_page(self, reminder_id, access_token=None, lang=None, done=None, **_kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        lang = self._dunning_lang(reminder, lang)
        reminder._portal_mark_seen()
        return self._dunning_render(
            reminder,
            lang,
            "account_dunning_portal.portal_reminder_page",
            done=done if done in DONE_MESSAGES else None,
            transaction=reminder.with_context(lang=lang)._get_portal_transaction(),
        )

    @http.route(
        "/my/reminders/<int:reminder_id>/invoice/<int:move_id>",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def portal_reminder_invoice(self, reminder_id, move_id, access_token=None, **_kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        try:
            content, name = reminder._get_portal_invoice_pdf(move_id)
        except UserError as error:
            raise NotFound() from error
        return self._dunning_pdf(content, name)

    @http.route(
        "/my/reminders/<int:reminder_id>/statement", type="http", auth="public", methods=["GET"]
    )
    def portal_reminder_statement(self, reminder_id, access_token=None, **_kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        content, name = reminder._get_portal_statement_pdf()
        return self._dunning_pdf(content, name)

    @staticmethod
    def _dunning_pdf(content, name):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(name)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    # ------------------------------------------------------------------
    # Pay
    # ------------------------------------------------------------------

    @http.route("/my/reminders/<int:reminder_id>/pay", type="http", auth="public", methods=["GET"])
    def portal_reminder_pay(self, reminder_id, access_token=None, lang=None, **kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        lang = self._dunning_lang(reminder, lang)
        ids = request.httprequest.args.getlist("invoice_ids") or self._dunning_ids(
            kw.get("invoice_ids")
        )
        try:
            moves, amount, currency, reference = reminder._get_portal_payment(ids)
        except UserError as error:
            return self._dunning_page_error(reminder, lang, error)
        payment_values = self._get_common_page_view_values(
            invoices_data={
                "partner": reminder.partner_id.commercial_partner_id,
                "company": reminder.company_id,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": self._dunning_url(reminder, lang=lang),
                "transaction_route": (
                    f"/my/reminders/{reminder.id}/transaction/"
                    f"{'-'.join(str(move_id) for move_id in moves.ids)}"
                ),
            },
            access_token=reminder.access_token,
        )
        return self._dunning_render(
            reminder,
            lang,
            "account_dunning_portal.portal_reminder_pay",
            **payment_values,
            amount=amount,
            reference_prefix=reference,
            pay_moves=moves,
            pay_amount=currency.format(amount),
        )

    @http.route(
        "/my/reminders/<int:reminder_id>/transaction/<string:invoice_ids>",
        type="json",
        auth="public",
    )
    def portal_reminder_transaction(
        self, reminder_id, invoice_ids, access_token=None, payment_reference=None, **kwargs
    ):
        """The payment form's transaction for the invoices of the page:
        the amount is what they owe now, the partner the customer (or the
        logged-in user), the landing page the reminder's. The reference
        the form sends (account_payment's form adds it) is ignored: the
        reference is decided here, like the amount."""
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            raise ValidationError(request.env._("This link is not valid."))
        try:
            reminder._portal_check_customer()
            moves, amount, currency, reference = reminder._get_portal_payment(
                self._dunning_ids(invoice_ids)
            )
        except UserError as error:
            raise ValidationError(str(error)) from error
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = amount
        # back to the page in the language the customer paid in (the only
        # thing taken from the landing route the form sends)
        sent = parse_qs(urlsplit(kwargs.get("landing_route") or "").query).get("lang", [None])
        kwargs["landing_route"] = self._dunning_url(
            reminder, lang=self._dunning_lang(reminder, sent[0])
        )
        logged_in = not request.env.user._is_public()
        partner = (
            request.env.user.partner_id if logged_in else reminder.partner_id.commercial_partner_id
        )
        processing_values = self._process_transaction(
            partner.id, currency.id, moves.ids, reference, **kwargs
        )
        reminder._link_portal_transaction(processing_values.get("reference"))
        return processing_values

    # ------------------------------------------------------------------
    # Promise, dispute, message
    # ------------------------------------------------------------------

    @http.route(
        "/my/reminders/<int:reminder_id>/promise",
        type="http",
        auth="public",
        methods=["GET", "POST"],
    )
    def portal_reminder_promise(self, reminder_id, access_token=None, lang=None, **kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        lang = self._dunning_lang(reminder, lang)
        ids = request.httprequest.values.getlist("invoice_ids")
        if request.httprequest.method == "POST":
            try:
                reminder._portal_promise(ids, kw.get("date"), kw.get("amount"), kw.get("note"))
            except (UserError, ValidationError) as error:
                return self._dunning_promise_form(reminder, lang, ids, kw, error=str(error))
            return request.redirect(self._dunning_url(reminder, lang=lang, done="promise"))
        return self._dunning_promise_form(reminder, lang, ids, kw)

    def _dunning_promise_form(self, reminder, lang, ids, kw, error=None):
        try:
            moves, amount, currency, _reference = reminder._get_portal_payment(ids)
        except UserError as move_error:
            return self._dunning_page_error(reminder, lang, move_error)
        return self._dunning_render(
            reminder,
            lang,
            "account_dunning_portal.portal_reminder_promise",
            error=error,
            form_moves=moves,
            form_currency=currency,
            form_amount=kw.get("amount") or f"{amount:.{currency.decimal_places}f}",
            form_date=kw.get("date") or "",
            form_note=kw.get("note") or "",
        )

    @http.route(
        "/my/reminders/<int:reminder_id>/dispute/<int:move_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
    )
    def portal_reminder_dispute(self, reminder_id, move_id, access_token=None, lang=None, **kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        lang = self._dunning_lang(reminder, lang)
        error = None
        if request.httprequest.method == "POST":
            upload = request.httprequest.files.get("attachment")
            attachment = None
            if upload and upload.filename:
                # one byte more than allowed is enough to refuse it
                content = upload.read(10 * 1024 * 1024 + 1)
                attachment = (upload.filename, content)
            try:
                reminder._portal_dispute(move_id, kw.get("reason"), kw.get("message"), attachment)
            except (UserError, ValidationError) as dispute_error:
                error = str(dispute_error)
            else:
                return request.redirect(self._dunning_url(reminder, lang=lang, done="dispute"))
        try:
            move = reminder._get_portal_moves([move_id])
        except UserError as move_error:
            return self._dunning_page_error(reminder, lang, move_error)
        return self._dunning_render(
            reminder,
            lang,
            "account_dunning_portal.portal_reminder_dispute",
            error=error,
            form_move=move,
            form_reason=kw.get("reason") or "",
            form_message=kw.get("message") or "",
        )

    @http.route(
        "/my/reminders/<int:reminder_id>/message", type="http", auth="public", methods=["POST"]
    )
    def portal_reminder_message(self, reminder_id, access_token=None, lang=None, **kw):
        reminder = self._dunning_find(reminder_id, access_token)
        if not reminder:
            return self._dunning_invalid()
        lang = self._dunning_lang(reminder, lang)
        try:
            reminder._portal_message(kw.get("message"), bool(kw.get("call_back")), kw.get("phone"))
        except (UserError, ValidationError) as error:
            return self._dunning_page_error(
                reminder,
                lang,
                error,
                form_message=kw.get("message") or "",
                form_phone=kw.get("phone") or "",
            )
        return request.redirect(self._dunning_url(reminder, lang=lang, done="message"))
