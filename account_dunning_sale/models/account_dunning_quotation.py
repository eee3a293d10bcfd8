# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, formatLang, split_every

from odoo.addons.account_dunning.models.account_dunning_job import CRON_BATCH_SIZE
from odoo.addons.account_dunning.models.dunning_tools import (
    is_concurrency_error,
    safe_filename,
    short_error,
    try_advisory_locks,
)

_logger = logging.getLogger(__name__)

QUOTATION_REPORT = "sale.action_report_saleorder"


class AccountDunningQuotation(models.Model):
    """A reminder of a customer's sent quotations: one email listing them,
    with their PDFs and the link to accept and sign each online. It keeps
    what was sent, when, to whom and which reminder it was."""

    _name = "account.dunning.quotation"
    _description = "Quotation Reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # salespeople read the history; they note and call on it
    _mail_post_access = "read"

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sent By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(readonly=True, default=fields.Date.context_today, index=True)
    order_ids = fields.Many2many(
        "sale.order",
        "account_dunning_quotation_sale_order_rel",
        "reminder_id",
        "order_id",
        string="Quotations",
        readonly=True,
        check_company=True,
    )
    order_count = fields.Integer(compute="_compute_order_count")
    email = fields.Char(readonly=True)
    lang = fields.Char(readonly=True)
    reminder_count = fields.Integer(
        string="Reminder Number",
        readonly=True,
        help="Which reminder of these quotations this is: 1 for the first. "
        "In the email template: {{ object.reminder_count }} (Gestan's %NB_RAPPELS%).",
    )
    previous_date = fields.Date(
        string="Previous Reminder",
        readonly=True,
        help="The date of the previous reminder of these quotations, if any. "
        "In the email template: {{ format_date(object.previous_date) }} "
        "(Gestan's %DT_DERNIER_RAPPEL%).",
    )
    auto = fields.Boolean(string="By the Daily Job", readonly=True)
    state = fields.Selection(
        [
            ("sent", "Sent"),
            ("call", "Call to Make"),
            ("failed", "Failed"),
        ],
        readonly=True,
        default="sent",
        help="Sent: the email is on its way. Call to Make: the customer has no "
        "email, its salesperson got an activity. Failed: nothing went out, the "
        "quotations stay as they were.",
    )
    mail_id = fields.Many2one("mail.mail", string="Reminder Email", readonly=True, copy=False)
    email_bounced = fields.Boolean(
        readonly=True,
        copy=False,
        help="The email bounced: the next reminders to this address, of "
        "quotations and of invoices, are calls or letters until it changes.",
    )
    failure_reason = fields.Text(readonly=True, copy=False)
    amount_total = fields.Monetary(
        string="Total",
        compute="_compute_amount_total",
        currency_field="currency_id",
        help="The quotations' total, in the currency of the first one.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_amount_total")

    @api.depends("order_ids")
    def _compute_order_count(self):
        for reminder in self:
            reminder.order_count = len(reminder.order_ids)

    @api.depends("order_ids.amount_total", "order_ids.currency_id")
    def _compute_amount_total(self):
        for reminder in self:
            currency = reminder.order_ids[:1].currency_id or reminder.company_id.currency_id
            reminder.currency_id = currency
            reminder.amount_total = sum(
                order.amount_total for order in reminder.order_ids if order.currency_id == currency
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(vals.get("company_id") or self.env.company.id)
                    .next_by_code("account.dunning.quotation")
                    or "/"
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _send_reminders(self, orders, auto=False):
        """Remind ``orders``: one reminder per customer and company, the
        only path (Remind button, daily job). Quotations refused by
        ``sale.order._get_dunning_quotation_refusal`` are left out. The
        reminder goes by email through the payment reminders' email channel
        (``account.dunning.channel``), to the address their rules give
        (``_get_recipients``); a customer without a usable address (none,
        or one a reminder email bounced from) gets a call instead. Returns
        (reminders, {order: reason} of those left out)."""
        today = fields.Date.context_today(self)
        refusals = orders._get_dunning_quotation_refusal(today)
        skipped = {order: refusals[order.id] for order in orders if refusals[order.id]}
        orders = orders.filtered(lambda order: not refusals[order.id])
        if not orders:
            return self.browse(), skipped
        # a customer another session is reminding right now is left to it:
        # never reminded twice. No quotation row is locked: a salesperson
        # who confirms one meanwhile does not wait for this batch
        guarded = try_advisory_locks(
            self.env.cr,
            "account.dunning.quotation",
            {(order.company_id.id, order.partner_id.id) for order in orders},
        )
        for order in orders.filtered(
            lambda order: (order.company_id.id, order.partner_id.id) not in guarded
        ):
            skipped[order] = self.env._("being reminded by another user")
        orders = orders.filtered(
            lambda order: (order.company_id.id, order.partner_id.id) in guarded
        )
        recipients = self._get_recipients(orders.partner_id)
        vals_list = []
        for (partner, company), group in orders.grouped(
            lambda order: (order.partner_id, order.company_id)
        ).items():
            previous = [date for date in group.mapped("dunning_quotation_last_date") if date]
            contact, email, _issue = recipients[partner.id]
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_ids": [fields.Command.set(group.ids)],
                    "email": email,
                    "lang": contact.lang or partner.lang or company.partner_id.lang or "en_US",
                    "reminder_count": max(group.mapped("dunning_quotation_count")) + 1,
                    "previous_date": max(previous) if previous else False,
                    "date": today,
                    "auto": auto,
                }
            )
        reminders = self.sudo().with_context(mail_create_nolog=True).create(vals_list).sudo(False)
        with_email = reminders.filtered(lambda r: not recipients[r.partner_id.id][2])
        failed = with_email._send_emails()
        (reminders - with_email)._schedule_calls(
            {r.id: recipients[r.partner_id.id][2] for r in reminders - with_email}
        )
        done = reminders - failed
        # last: the quotations' rows are written once the emails are made
        done.order_ids._dunning_quotation_reminded(today)
        return reminders, skipped

    @api.model
    def _get_recipients(self, partners):
        """{partner id: (contact, email, issue)} for the quotation reminders
        of ``partners`` (the quotations' customers), by the payment
        reminders' rules: the contact the quotation went to, else the
        customer's reminder contact (``res.partner._get_dunning_contacts``),
        one of the customer's own (``account.dunning.engine._check_contact``);
        ``issue`` is why no email may go
        (``account.dunning.channel._get_email_issue``: no address, or an
        address a reminder email bounced from), else False."""
        Engine = self.env["account.dunning.engine"]
        Channel = self.env["account.dunning.channel"]
        contacts = partners.commercial_partner_id._get_dunning_contacts()
        chosen = {
            partner.id: Engine._check_contact(
                partner.commercial_partner_id,
                partner if partner.email else contacts[partner.commercial_partner_id.id],
            )
            for partner in partners
        }
        bounced = self.env["res.partner"]._get_dunning_bounced_emails(
            [contact.email for contact in chosen.values() if contact.email]
        )
        return {
            partner_id: (
                contact,
                contact.email or False,
                Channel._get_email_issue(contact.email, bounced),
            )
            for partner_id, contact in chosen.items()
        }

    def _mark_failed(self, reason):
        """Nothing of these reminders went out: they failed, for ``reason``;
        their quotations stay as they were."""
        self.sudo().write({"state": "failed", "failure_reason": reason})

    def _send_emails(self):
        """Queue each reminder's email from the company's template through
        the payment reminders' email channel (``account.dunning.channel``):
        the quotations' PDFs attached, the internal copy. Returns the
        reminders whose email could not be made (marked failed, their
        quotations untouched)."""
        if not self:
            return self.browse()
        self.order_ids._dunning_ensure_portal_tokens()
        pdfs = self._get_quotation_pdfs()
        default = self.env.ref("account_dunning_sale.mail_template_quotation_reminder")
        Channel = self.env["account.dunning.channel"]
        mails = Channel._render_emails(
            self, lambda r: r.company_id.dunning_quotation_template_id or default
        )
        sent = self.filtered(lambda r: r.id in mails)
        # the PDFs, created in one go
        vals_list = [
            {
                "name": safe_filename(
                    f"{order.with_context(lang=reminder.lang)._get_report_base_filename()}.pdf"
                ),
                "raw": pdfs[order.id],
                "mimetype": "application/pdf",
                "res_model": reminder._name,
                "res_id": reminder.id,
            }
            for reminder in sent
            for order in reminder.order_ids
            if order.id in pdfs
        ]
        attachments = self.env["ir.attachment"].sudo().create(vals_list).grouped("res_id")
        Channel._attach_to_emails(
            {
                mails[reminder.id]: attachments.get(reminder.id, self.env["ir.attachment"])
                for reminder in sent
            }
        )
        Channel._add_internal_copies({reminder: mails[reminder.id] for reminder in sent})
        for reminder in sent:
            reminder.sudo().mail_id = mails[reminder.id]
            missing = reminder.order_ids.filtered(lambda o: o.id not in pdfs)
            if missing:
                reminder.sudo()._message_log(
                    body=self.env._(
                        "The PDF of %(names)s could not be made: the email went without it.",
                        names=", ".join(missing.mapped("name")),
                    )
                )
        sent._log_on_quotations()
        return self - sent

    def _get_quotation_pdfs(self):
        """{order id: PDF bytes} of the quotations of these reminders, from
        Odoo's own report, as its Send button makes them: in one run when
        Odoo can print several records at once (wkhtmltopdf built on patched
        Qt), else one quotation at a time. A quotation whose PDF fails goes
        without it (the error is logged)."""
        orders = self.order_ids
        Report = self.env["ir.actions.report"].sudo()
        if (
            len(orders) > 1
            and not Report._dunning_simulate_pdf()
            and Report._dunning_can_render_batch()
        ):
            try:
                with self.env.cr.savepoint():
                    streams = Report._render_qweb_pdf_prepare_streams(
                        QUOTATION_REPORT, None, res_ids=orders.ids
                    )
                    return {
                        order_id: streams[order_id]["stream"].getvalue()
                        for order_id in orders.ids
                        if streams.get(order_id, {}).get("stream")
                    }
            except Exception as error:
                _logger.info("Quotation PDFs in one run failed (%s): one by one", error)
        pdfs = {}
        for order in orders:
            try:
                with self.env.cr.savepoint():
                    pdfs[order.id] = Report._render_qweb_pdf(QUOTATION_REPORT, order.ids)[0]
            except Exception as error:
                _logger.info("Quotation %s: PDF failed: %s", order.name, error)
        return pdfs

    def _log_on_quotations(self):
        """A line in each quotation's chatter: which reminder, to whom, with
        a link to it; logged in one go."""
        bodies = {}
        for reminder in self:
            body = Markup(
                self.env._(
                    "Reminder %(number)s sent to %(email)s: %(reminder)s",
                    number=reminder.reminder_count,
                    email=reminder.email,
                    reminder=Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>')
                    % (reminder._name, reminder.id, reminder.name),
                )
            )
            bodies.update(dict.fromkeys(reminder.order_ids.ids, body))
        if bodies:
            self.env["sale.order"].sudo().browse(list(bodies))._message_log_batch(bodies)

    def _schedule_calls(self, issues=None):
        """A customer without a usable email is called: an activity for the
        quotations' salesperson, else for whoever follows the customer's
        reminders (always an active user), on the reminder. ``issues``:
        {reminder id: why no email ("no_email", "bounced")}."""
        issues = issues or {}
        for reminder in self:
            user = reminder.order_ids.user_id.filtered("active")[:1]
            if not user:
                responsibles = reminder.partner_id._get_dunning_responsibles(reminder.company_id)
                user = (
                    responsibles.get(reminder.partner_id.commercial_partner_id.id)
                    or reminder.user_id
                )
            names = ", ".join(reminder.order_ids.mapped("name"))
            reminder.sudo().write({"state": "call"})
            reminder.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                user_id=user.id,
                summary=self.env._(
                    "Call %(customer)s about quotations %(names)s (email bounced)",
                    customer=reminder.partner_id.display_name,
                    names=names,
                )
                if issues.get(reminder.id) == "bounced"
                else self.env._(
                    "Call %(customer)s about quotations %(names)s (no email)",
                    customer=reminder.partner_id.display_name,
                    names=names,
                ),
            )

    def _message_receive_bounce(self, email, partner):
        """Odoo's bounce handling found that this reminder's email bounced:
        the reminders that follow, of quotations and of invoices, call or
        write to that address until it changes
        (``res.partner._get_dunning_bounced_emails``)."""
        result = super()._message_receive_bounce(email, partner)
        self.sudo().email_bounced = True
        return result

    # ------------------------------------------------------------------
    # The daily job
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_due(self, company):
        """The daily job's part, for ``company`` when its setting asks for
        it: the quotations due for a reminder today, reminded by batches of
        customers, each batch committed; a batch that fails is noted on its
        quotations and the others go on."""
        if not company.dunning_quotation_auto:
            return self.browse()
        orders = (
            self.env["sale.order"]
            .with_company(company)
            .search([("company_id", "=", company.id), ("dunning_quotation_due", "=", True)])
        )
        Job = self.env["account.dunning.job"]
        reminders = self.browse()
        groups = list(orders.grouped(lambda order: (order.partner_id, order.company_id)).values())
        for batch in split_every(CRON_BATCH_SIZE, groups, list):
            batch_orders = self.env["sale.order"].concat(*batch)
            # their tokens committed apart: the batch holds no quotation row
            # while its PDFs render (if this fails, the batch makes them)
            try:
                with self.env.cr.savepoint():
                    batch_orders._dunning_ensure_portal_tokens()
            except Exception as error:
                _logger.info("Quotation tokens of %s not made ahead: %s", batch_orders.ids, error)
            Job._commit_batch()
            try:
                with self.env.cr.savepoint():
                    reminders |= self._send_reminders(batch_orders, auto=True)[0]
            except Exception as error:
                if is_concurrency_error(error):
                    # a quotation changed meanwhile: the next run sees it as it is
                    _logger.info("Quotation reminders of %s postponed: %s", batch_orders.ids, error)
                    Job._commit_batch()
                    continue
                _logger.warning("Quotation reminders of %s failed: %s", batch_orders.ids, error)
                batch_orders.sudo()._message_log_batch(
                    dict.fromkeys(
                        batch_orders.ids,
                        self.env._(
                            "The daily job could not send the reminder: %(error)s",
                            error=short_error(error),
                        ),
                    )
                )
            Job._commit_batch()
        return reminders

    # ------------------------------------------------------------------
    # For the template: the placeholders
    # ------------------------------------------------------------------
    def _get_quotation_rows(self):
        """One row per quotation for the email: number, date, amount,
        validity date, whether it has expired, and the link to accept and
        sign it online (to read it only once expired: Odoo's portal no
        longer lets a customer sign an expired quotation)."""
        self.ensure_one()
        env = self.with_context(lang=self.lang).env
        today = self.date or fields.Date.context_today(self)
        rows = []
        for order in self.order_ids.sorted(lambda o: (o.validity_date or today, o.id)):
            expired = bool(order.validity_date and order.validity_date < today)
            rows.append(
                {
                    "name": order.name,
                    "date": format_date(env, order.date_order),
                    "amount": formatLang(env, order.amount_total, currency_obj=order.currency_id),
                    "validity_date": format_date(env, order.validity_date)
                    if order.validity_date
                    else "",
                    "expired": expired,
                    "url": order._get_dunning_portal_url(),
                    "link_text": env._("View the quotation")
                    if expired
                    else env._("Accept and sign online"),
                }
            )
        return rows

    def _get_greeting(self):
        """ "Hello Jane Doe," to a person, "Hello," to a company."""
        self.ensure_one()
        env = self.with_context(lang=self.lang).env
        partner = self.partner_id
        if partner.is_company or not partner.name:
            return env._("Hello,")
        return env._("Hello %(name)s,", name=partner.name)

    def _get_previous_date_text(self):
        """The previous reminder's date, in the customer's language."""
        self.ensure_one()
        if not self.previous_date:
            return ""
        return format_date(self.with_context(lang=self.lang).env, self.previous_date)

    def _has_expired_quotations(self):
        """Whether one of the quotations is past its validity date."""
        return any(row["expired"] for row in self._get_quotation_rows())

    def _has_valid_quotations(self):
        """Whether one of the quotations can still be signed online."""
        return any(not row["expired"] for row in self._get_quotation_rows())

    def action_view_quotations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        action["domain"] = [("id", "in", self.order_ids.ids)]
        action["context"] = {"create": False}
        return action

    @api.model
    def _demo_date_back(self, reminders, days_ago):
        """For the demo data: date ``reminders`` ``days_ago`` days back, with
        their quotations' last reminder date and their messages."""
        date = fields.Date.context_today(self) - timedelta(days=days_ago)
        reminders = reminders.sudo()
        reminders.write({"date": date})
        reminders.order_ids.write({"dunning_quotation_last_date": date})
        names = reminders.mapped("name")
        messages = reminders.message_ids | reminders.order_ids.message_ids.filtered(
            lambda m: any(name in str(m.body) for name in names)
        )
        messages.write({"date": fields.Datetime.now() - timedelta(days=days_ago)})
