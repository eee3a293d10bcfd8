# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, mute_logger

from odoo.addons.account_dunning.models.dunning_engine_owned import check_engine_fields
from odoo.addons.account_dunning.models.dunning_tools import check_dunning_access

# Two reminders at most by the settings' dates: the first before the validity
# date, the second after it.
QUOTATION_REMINDERS = 2
# A quotation whose second reminder date is older than this is left to its
# salesperson: nobody reminds it on their own any more.
QUOTATION_STALE_DAYS = 30
# Who may confirm a quotation of a customer past a formal notice (setting "warn").
SALE_MANAGER_GROUP = "sales_team.group_sale_manager"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_quotation_count = fields.Integer(
        string="Reminders",
        default=0,
        readonly=True,
        copy=False,
        help="How many reminders this quotation has had.",
    )
    dunning_quotation_last_date = fields.Date(
        string="Last Reminder",
        readonly=True,
        copy=False,
    )
    dunning_quotation_ids = fields.Many2many(
        "account.dunning.quotation",
        "account_dunning_quotation_sale_order_rel",
        "order_id",
        "reminder_id",
        string="Quotation Reminders",
        readonly=True,
        copy=False,
    )
    dunning_expiry_days = fields.Integer(
        string="Days after Expiry",
        compute="_compute_dunning_quotation",
        help="Days since the validity date; negative: the days left before it.",
    )
    dunning_quotation_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_dunning_quotation",
        help="When the quotation is due for its next reminder, from the dates "
        "of the settings (Sales > Configuration > Settings > Quotation Reminders).",
    )
    dunning_quotation_due = fields.Boolean(
        string="To Remind",
        compute="_compute_dunning_quotation",
        search="_search_dunning_quotation_due",
    )

    # What the quotation reminders write (``_dunning_quotation_reminded``, as
    # the superuser); salespeople read them: a count set by hand would skip
    # or repeat a reminder
    _DUNNING_ENGINE_FIELDS = (
        "dunning_quotation_count",
        "dunning_quotation_last_date",
        "dunning_quotation_ids",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, self._DUNNING_ENGINE_FIELDS, vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, self._DUNNING_ENGINE_FIELDS, [vals])
        return super().write(vals)

    @api.depends(
        "state",
        "validity_date",
        "dunning_quotation_count",
        "dunning_quotation_last_date",
        "company_id",
    )
    @api.depends_context("tz")
    def _compute_dunning_quotation(self):
        today = fields.Date.context_today(self)
        next_dates = self._get_dunning_quotation_next_dates(today)
        for order in self:
            order.dunning_expiry_days = (
                (today - order.validity_date).days if order.validity_date else 0
            )
            next_date = next_dates.get(order.id, False)
            order.dunning_quotation_next_date = next_date
            order.dunning_quotation_due = bool(next_date and next_date <= today)

    def _search_dunning_quotation_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        # no quotation past all its dates is read: the latest a reminder can
        # be due is a month after the second date, from the validity date or
        # from a first reminder
        span = max(
            (
                c.dunning_quotation_days_before + c.dunning_quotation_days_after
                for c in self.env.companies.sudo()
            ),
            default=0,
        )
        oldest = today - timedelta(days=span + QUOTATION_STALE_DAYS)
        candidates = self.search(
            [
                ("state", "=", "sent"),
                ("validity_date", "!=", False),
                ("dunning_quotation_count", "<", QUOTATION_REMINDERS),
                "|",
                ("validity_date", ">=", oldest),
                ("dunning_quotation_last_date", ">=", oldest),
            ]
        )
        next_dates = candidates._get_dunning_quotation_next_dates(today)
        due_ids = [order_id for order_id, date in next_dates.items() if date and date <= today]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", due_ids)]

    # ------------------------------------------------------------------
    # The rules: one method each, for the list, the buttons and the job
    # ------------------------------------------------------------------
    def _get_dunning_quotation_next_dates(self, today):
        """{order id: the date of its next reminder, or False}: the first
        reminder ``days before`` the validity date, the second ``days after``
        it and at least as many days after the first as the settings put
        between them; none for a quotation not sent, confirmed or cancelled,
        reminded twice already, or whose second reminder date is more than
        a month old, nor for a customer marked Do Not Remind or in
        litigation in the quotation's company."""
        result = {}
        for order in self:
            result[order.id] = False
            validity = order.validity_date
            count = order.dunning_quotation_count
            if (
                order.state != "sent"
                or not validity
                or count >= QUOTATION_REMINDERS
                # salespeople do not read the customers' reminder settings:
                # the rule does, for them
                or order.partner_id.commercial_partner_id.sudo().dunning_blocked
                # its lawyer, court or agency speaks to a customer in
                # litigation (in the quotation's company), not its salesperson
                or order._dunning_customer_in_litigation()
            ):
                continue
            company = order.company_id
            before = company.dunning_quotation_days_before
            after = company.dunning_quotation_days_after
            second = validity + timedelta(days=after)
            if count:
                # at least as far from a late first reminder as planned
                last = order.dunning_quotation_last_date or validity
                second = max(second, last + timedelta(days=before + after))
            if today > second + timedelta(days=QUOTATION_STALE_DAYS):
                continue
            result[order.id] = second if count else validity - timedelta(days=before)
        return result

    def _dunning_customer_in_litigation(self):
        """Whether the customer of this quotation is in litigation in the
        quotation's company (``account.dunning.litigation``): read for
        salespeople, who do not read the customers' reminder fields."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        return commercial.with_company(self.company_id).sudo().dunning_litigation

    def _get_dunning_quotation_refusal(self, today):
        """{order id: why it cannot be reminded now, or False}: only a sent
        quotation is reminded (a draft has not reached the customer, a
        confirmed or cancelled one is settled), never to a customer in
        litigation or marked Do Not Remind, never twice the same day."""
        reasons = {
            "draft": self.env._("not sent to the customer yet"),
            "sale": self.env._("confirmed"),
            "cancel": self.env._("cancelled"),
        }
        result = {}
        for order in self:
            if order.state != "sent":
                result[order.id] = reasons.get(order.state, order.state)
            elif order._dunning_customer_in_litigation():
                result[order.id] = self.env._("the customer is in litigation")
            elif order.partner_id.commercial_partner_id.sudo().dunning_blocked:
                result[order.id] = self.env._("the customer is marked Do Not Remind")
            elif order.dunning_quotation_last_date == today:
                result[order.id] = self.env._("already reminded today")
            else:
                result[order.id] = False
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_dunning_quotation_remind(self):
        """Seed 002's "Remind" button, on the list and on the quotation: a
        dialog shows who gets which quotations, then sends. Salespeople only
        (the dialog's Send checks it again)."""
        check_dunning_access(self.env, "sales", self.env._("remind quotations"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Remind Quotations"),
            "res_model": "account.dunning.quotation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def action_view_dunning_quotations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_sale.action_account_dunning_quotation"
        )
        action["domain"] = [("order_ids", "in", self.ids)]
        action["context"] = {}
        return action

    def _get_dunning_portal_url(self):
        """The address where the customer reads, accepts and signs this
        quotation online, with its access token."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    def _dunning_ensure_portal_tokens(self):
        """Give the quotations that have none their portal access token:
        the reminder emails link to each one's page."""
        for order in self.filtered(lambda o: not o.access_token):
            order._portal_ensure_token()

    def _dunning_quotation_reminded(self, today):
        """The quotations' reminder count and last date move: one more. A
        reminder that read a quotation before a salesperson changed it fails
        here, as it should (``account.dunning.quotation._send_reminders``):
        not an error to log."""
        with mute_logger("odoo.sql_db"):
            for count, orders in self.grouped("dunning_quotation_count").items():
                orders.sudo().write(
                    {"dunning_quotation_count": count + 1, "dunning_quotation_last_date": today}
                )
            self.flush_recordset()

    # ------------------------------------------------------------------
    # Confirmation: no new sale to a customer the company is suing
    # ------------------------------------------------------------------
    # The quotations of a customer in litigation (in the quotation's
    # company) are not confirmed; those of a customer whose formal notice
    # deadline passed unpaid wait for a sales manager, or for nobody, as the
    # company's setting says (``res.company.dunning_notice_sale_policy``).

    dunning_confirm_warning = fields.Char(
        string="Confirmation Warning",
        compute="_compute_dunning_confirm_warning",
        help="Why this quotation cannot be confirmed, or only by a sales manager: its "
        "customer is in litigation, or a formal notice's deadline passed unpaid.",
    )

    @api.depends("partner_id", "company_id", "state")
    @api.depends_context("uid")
    def _compute_dunning_confirm_warning(self):
        for order in self:
            issue = order._get_dunning_confirm_issue() if order.state in ("draft", "sent") else None
            order.dunning_confirm_warning = issue and issue["message"]

    def _get_dunning_confirm_issue(self):
        """What holds back the confirmation of this quotation, or None: a
        dict with ``kind`` (``litigation``, ``notice``), ``policy`` (for a
        notice: the company's ``warn`` or ``block``; ``block`` for a
        litigation), ``notice`` (the formal notice, as the superuser) and
        the ``message`` that says it to the user. Read as the superuser:
        salespeople do not read the customers' reminder fields; the rules
        are the engine's (``account.dunning.litigation``,
        ``res.partner._dunning_get_expired_notice``)."""
        self.ensure_one()
        company = self.company_id
        commercial = self.partner_id.commercial_partner_id.with_company(company).sudo()
        if not commercial:
            return None
        if commercial.dunning_litigation:
            litigation = commercial.dunning_litigation_id
            return {
                "kind": "litigation",
                "policy": "block",
                "notice": None,
                "message": self.env._(
                    "%(customer)s is in litigation since %(date)s (%(road)s): its quotations "
                    "cannot be confirmed until it is taken out of litigation.",
                    customer=commercial.display_name,
                    date=format_date(self.env, litigation.date_start) or "",
                    road=litigation._get_road_label() if litigation else "",
                ),
            }
        notice = commercial._dunning_get_expired_notice(company)
        if not notice:
            return None
        policy = company.sudo().dunning_notice_sale_policy or "warn"
        values = {
            "customer": commercial.display_name,
            "notice": notice.name,
            "deadline": format_date(self.env, notice.notice_deadline),
        }
        if policy == "block":
            message = self.env._(
                "The formal notice %(notice)s gave %(customer)s until %(deadline)s to pay and "
                "its invoices are still unpaid: its quotations cannot be confirmed until it pays.",
                **values,
            )
        else:
            message = self.env._(
                "The formal notice %(notice)s gave %(customer)s until %(deadline)s to pay and "
                "its invoices are still unpaid: only a sales manager may confirm its quotations.",
                **values,
            )
        return {"kind": "notice", "policy": policy, "notice": notice, "message": message}

    def _dunning_check_confirm(self):
        """Refuse (UserError) the confirmation of these quotations when one
        is held back (``_get_dunning_confirm_issue``) and the user may not
        go past it; returns {order: issue} of those a sales manager
        confirms past a formal notice (noted on the quotation once
        confirmed)."""
        approved = {}
        is_manager = self.env.user.has_group(SALE_MANAGER_GROUP)
        for order in self:
            issue = order._get_dunning_confirm_issue()
            if not issue:
                continue
            if issue["policy"] == "block":
                raise UserError(issue["message"])
            if not is_manager:
                raise UserError(
                    self.env._(
                        "%(reason)s Ask a sales manager to confirm %(order)s.",
                        reason=issue["message"],
                        order=order.name,
                    )
                )
            approved[order] = issue
        return approved

    def _dunning_confirm_is_checked(self):
        """Whether this confirmation is a user's, which the rules hold
        back: a salesperson's click or call. A customer who signs or pays
        online (the portal, as the superuser) and the server's own
        confirmations are not refused: the customer would read the
        reason; the quotation's salesperson sees the warning on it."""
        return not self.env.su and self.env.user._is_internal()

    def action_confirm(self):
        checked = self._dunning_confirm_is_checked()
        approved = self._dunning_check_confirm() if checked else {}
        # confirmed online although held back: its salesperson is told
        online = {}
        if not checked:
            for order in self:
                issue = order._get_dunning_confirm_issue()
                if issue:
                    online[order] = issue
        result = super().action_confirm()
        for order, issue in online.items():
            order._dunning_notify_online_confirm(issue)
        for order, issue in approved.items():
            order.message_post(
                body=self.env._(
                    "Confirmed by %(user)s, a sales manager, although the formal notice "
                    "%(notice)s gave the customer until %(deadline)s to pay and its invoices "
                    "are still unpaid.",
                    user=self.env.user.name,
                    notice=issue["notice"].name,
                    deadline=format_date(self.env, issue["notice"].notice_deadline),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return result

    def _dunning_notify_online_confirm(self, issue):
        """A quotation confirmed online (signed or paid by the customer)
        although the rules hold it back (``_get_dunning_confirm_issue``):
        the customer was not refused on its page, its salesperson gets an
        activity to decide what to do with the order."""
        self.ensure_one()
        note = self.env._(
            "Confirmed online by the customer, although: %(reason)s",
            reason=issue["message"],
        )
        salesperson = self.user_id
        if salesperson.active and salesperson._is_internal():
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=salesperson.id,
                summary=self.env._(
                    "Check this order: customer in litigation or past a formal notice"
                ),
                note=note,
            )
        else:
            self.message_post(body=note, subtype_xmlid="mail.mt_note")
