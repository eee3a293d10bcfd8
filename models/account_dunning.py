# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

# imported first: the channels mixin must exist before the models that use it
from . import account_dunning_channel_mixin  # noqa: F401
from .dunning_tools import check_dunning_access, safe_filename
from .res_partner import STATEMENT_REPORTS

LETTER_REPORT = "account_dunning.action_report_dunning_letter"
CALL_OUTCOMES = [
    ("promised", "Promised to pay"),
    ("disputed", "Disputes the invoice"),
    ("paid", "Says it is paid"),
    ("no_answer", "No answer"),
    ("other", "Other"),
]
EMAIL_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("bounced", "Bounced"),
    ("cancel", "Cancelled"),
]
LETTER_STATES = [
    ("to_post", "To Post"),
    ("posted", "Posted"),
    ("cancel", "Withdrawn"),
]


class AccountDunning(models.Model):
    """One reminder sent to one customer, at one level, in one currency.

    The record keeps what happened; the engine (``account.dunning.engine``)
    alone creates reminders and has their channels carried out
    (``account.dunning.channel``); what becomes of a reminder afterwards
    (failed, bounced, cancelled, posted) is its own
    (models/account_dunning_lifecycle.py); what its letter and emails say,
    formatted for the reader, is in report/account_dunning_letter_text.py."""

    _name = "account.dunning"
    _description = "Payment Reminder"
    _inherit = ["account.dunning.channel.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="Who the reminder is addressed to.",
    )
    email = fields.Char(
        string="Email Address", readonly=True, help="The address the email went to."
    )
    lang = fields.Char(
        string="Language",
        compute="_compute_lang",
        help="The language of the letter and the email: the contact's, else the customer's.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        readonly=True,
        default=lambda self: self.env.company.currency_id,
    )
    level_id = fields.Many2one(
        "account.dunning.level",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
    )
    plan_id = fields.Many2one(related="level_id.plan_id", store=True)
    severity = fields.Integer(
        compute="_compute_severity",
        store=True,
        readonly=False,
        precompute=True,
        help="From 1 (low) to 5 (critical); the level's by default.",
    )
    call_outcome = fields.Selection(
        CALL_OUTCOMES,
        readonly=True,
        help="For a logged phone call: what the customer answered.",
    )
    promise_date = fields.Date(
        string="Promised Payment Date",
        readonly=True,
        help="The date the customer promised to pay by.",
    )
    letter_kind = fields.Selection(related="level_id.letter_kind")
    letter_registered = fields.Boolean(related="level_id.letter_registered")
    date = fields.Date(
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sent By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "account.dunning.line",
        "dunning_id",
        string="Invoices",
        readonly=True,
        copy=False,
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Reminded Invoices",
        compute="_compute_move_ids",
    )
    amount_due = fields.Monetary(
        compute="_compute_amount_due",
        store=True,
        # in the reminder's currency: never summed across reminders, which
        # may be in several currencies; the company-currency amount is
        aggregator=None,
        help="Sum of the amounts due of the invoices of the reminder when it was made.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_due_company = fields.Monetary(
        string="Amount Due in Company Currency",
        compute="_compute_amount_due",
        store=True,
        currency_field="company_currency_id",
        help="The amount due converted at the reminder's date: the one totals add up.",
    )
    amount_overdue = fields.Monetary(
        compute="_compute_amount_due",
        store=True,
        aggregator=None,
        help="The part of the amount due that was past its due date; the rest "
        "was listed as coming due.",
    )
    reminder_count = fields.Integer(
        string="Reminder Number",
        compute="_compute_reminder_history",
        help="How many reminders these invoices have had, this one included.",
    )
    previous_date = fields.Date(
        string="Previous Reminder",
        compute="_compute_reminder_history",
    )
    has_previous_reminders = fields.Boolean(
        compute="_compute_has_previous_reminders",
        help="Some of the reminded invoices had reminders before this one: "
        "only then may the letter and the email speak of earlier reminders.",
    )
    earlier_reminder_count = fields.Integer(
        compute="_compute_has_previous_reminders",
        help="The reminders sent before this one on its invoices, by email, "
        "letter or SMS, once they were due: calls and notes before the due "
        "date are not reminders a customer left unanswered.",
    )
    earlier_reminder_date = fields.Date(compute="_compute_has_previous_reminders")
    comment = fields.Text()
    letter_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Letter PDF",
        copy=False,
        readonly=True,
    )
    letter_state = fields.Selection(
        LETTER_STATES,
        string="Letter Status",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="To Post: the letter is made and waits to be posted. Withdrawn: "
        "the reminder was cancelled before it was posted.",
    )
    letter_posted_date = fields.Date(string="Posted On", copy=False, readonly=True)
    mail_id = fields.Many2one("mail.mail", string="Reminder Email", copy=False, readonly=True)
    statement_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Account Statement PDF",
        copy=False,
        readonly=True,
        help="The account statement attached to the email, as it was sent.",
    )
    email_state = fields.Selection(
        EMAIL_STATES,
        string="Email Status",
        copy=False,
        readonly=True,
        tracking=True,
    )
    failure_reason = fields.Text(copy=False, readonly=True)

    @api.depends("contact_id.lang", "partner_id.lang")
    def _compute_lang(self):
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for reminder in self:
            reminder.lang = next(
                (
                    code
                    for code in (reminder.contact_id.lang, reminder.partner_id.lang)
                    if code in installed
                ),
                self.env.lang or "en_US",
            )

    @api.depends("level_id")
    def _compute_severity(self):
        for dunning in self:
            dunning.severity = dunning.level_id.severity or 2

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for dunning in self:
            dunning.move_ids = dunning.line_ids.move_id

    @api.depends("line_ids.amount_residual", "line_ids.is_coming_due", "currency_id", "date")
    def _compute_amount_due(self):
        for dunning in self:
            lines = dunning.line_ids
            dunning.amount_due = sum(lines.mapped("amount_residual"))
            company = dunning.company_id
            dunning.amount_due_company = dunning.currency_id._convert(
                dunning.amount_due,
                company.currency_id,
                company,
                dunning.date or fields.Date.context_today(dunning),
            )
            dunning.amount_overdue = sum(
                lines.filtered(lambda line: not line.is_coming_due).mapped("amount_residual")
            )

    @api.depends("line_ids.previous_count", "line_ids.previous_date")
    def _compute_reminder_history(self):
        for dunning in self:
            lines = dunning.line_ids
            dunning.reminder_count = max(lines.mapped("previous_count") or [0]) + 1
            dunning.previous_date = max(
                (d for d in lines.mapped("previous_date") if d), default=False
            )

    @api.depends("line_ids.move_id", "date")
    def _compute_has_previous_reminders(self):
        """One query for any number of reminders (letters are made by the
        hundred): the earlier written reminders of their invoices."""
        saved = self.filtered("id")
        earlier = {}
        if saved:
            self.env["account.dunning"].flush_model()
            self.env["account.dunning.line"].flush_model(["dunning_id", "move_id"])
            self.env["account.dunning.level"].flush_model(["days"])
            earlier = {
                row[0]: row[1:]
                for row in self.env.execute_query(
                    SQL(
                        """
                SELECT cur.id, count(DISTINCT prev.id), max(prev.date)
                  FROM account_dunning cur
                  JOIN account_dunning_line cur_line ON cur_line.dunning_id = cur.id
                  JOIN account_dunning_line prev_line
                       ON prev_line.move_id = cur_line.move_id
                      AND prev_line.dunning_id != cur.id
                  JOIN account_dunning prev ON prev.id = prev_line.dunning_id
                  JOIN account_dunning_level level ON level.id = prev.level_id
                 WHERE cur.id = ANY(%s)
                   AND prev.id < cur.id
                   AND prev.state = 'sent'
                   AND (prev.send_email OR prev.send_letter OR prev.send_sms)
                   AND level.days > 0
              GROUP BY cur.id
                        """,
                        saved.ids,
                    )
                )
            }
        for dunning in self:
            count, date = earlier.get(dunning.id, (0, False))
            dunning.earlier_reminder_count = count
            dunning.earlier_reminder_date = date
            dunning.has_previous_reminders = bool(count)

    @api.model_create_multi
    def create(self, vals_list):
        sequences = {}
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company_id = vals.get("company_id") or self.env.company.id
                if company_id not in sequences:
                    sequences[company_id] = self._get_reference_sequence(company_id)
                sequence = sequences[company_id]
                vals["name"] = sequence._next(sequence_date=vals.get("date")) if sequence else "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if not self.env.su and self.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("Reminders that were made are kept: cancel them instead."))

    @api.model
    def _get_reference_sequence(self, company_id):
        """The sequence that numbers the reminders of a company (looked up
        once per batch of reminders, not once per reminder)."""
        self.env["ir.sequence"].browse().check_access("read")
        return (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "account.dunning"), ("company_id", "in", [company_id, False])],
                order="company_id",
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # The interface other code relies on: the engine does the work
    # ------------------------------------------------------------------

    @api.model
    def _create_reminders(self, proposals):
        """Create and send one reminder per proposal (see
        ``account.dunning.engine._create_reminders``)."""
        return self.env["account.dunning.engine"]._create_reminders(proposals)

    @api.model
    def _prepare_proposals(self, moves, channels=None, states=None):
        """One proposal per customer and currency (see
        ``account.dunning.engine._prepare_proposals``)."""
        return self.env["account.dunning.engine"]._prepare_proposals(
            moves, channels=channels, states=states
        )

    @api.model
    def _cron_process_reminders(self, dry_run=False, companies=None):
        """The daily job (see ``account.dunning.job``)."""
        return self.env["account.dunning.job"]._run(dry_run=dry_run, companies=companies)

    # ------------------------------------------------------------------
    # What the letter and the emails show
    # ------------------------------------------------------------------

    def _get_charges_table(self, lang=None, date=None):
        """The late-payment charges still owed on the reminder's late
        invoices (``penalty_due`` and ``indemnity_due`` of
        ``account.move._get_dunning_charges``: what was invoiced or waived
        is not asked again), as the letter and the email show them,
        formatted in ``lang``: {"rows": [...], "penalty": total,
        "indemnity": total, "total": both, "amounts": the raw totals and
        "indemnity_share", the number of indemnities owed (a part waived
        counts for its part)}; empty rows when nothing is owed."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        date_text, amount_text = self._get_formatters(env, self.currency_id)
        late = self.line_ids.filtered(lambda line: not line.is_coming_due).move_id
        charges = late._get_dunning_charges(date or self.date)
        rows, penalty, indemnity, indemnity_share = [], 0.0, 0.0, 0.0
        for move in late:
            charge = charges.get(move.id)
            if not charge or not (charge["penalty_due"] or charge["indemnity_due"]):
                continue
            penalty += charge["penalty_due"]
            indemnity += charge["indemnity_due"]
            if charge["indemnity"]:
                indemnity_share += charge["indemnity_due"] / charge["indemnity"]
            rates = sorted({period["rate"] for period in charge["periods"]})
            rows.append(
                {
                    "number": move.name,
                    "date_due": date_text(move.invoice_date_due),
                    "days": charge["days"],
                    "rate": " / ".join(f"{formatLang(env, rate, digits=2)} %" for rate in rates),
                    "penalty": amount_text(charge["penalty_due"]),
                    "indemnity": amount_text(charge["indemnity_due"]),
                }
            )
        return {
            "rows": rows,
            "penalty": amount_text(penalty),
            "indemnity": amount_text(indemnity),
            "total": amount_text(penalty + indemnity),
            "amounts": {
                "penalty": penalty,
                "indemnity": indemnity,
                "indemnity_share": indemnity_share,
            },
        }

    def _make_statement_attachment(self):
        """The customer's account statement of the last twelve months up to
        the reminder's date, as a PDF kept on the reminder, in the
        customer's language."""
        self.ensure_one()
        date_from = self.date - relativedelta(months=12, day=1)
        content, _title = self.partner_id.with_company(self.company_id)._render_dunning_statement(
            date_from, self.date, "activity", lang=self.lang
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self._get_statement_filename(),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.sudo().statement_attachment_id = attachment
        return attachment

    def _get_statement_filename(self):
        """The file name of the account statement the reminder's email
        carries: the statement's name in the reminder's language and the
        reminder's reference."""
        self.ensure_one()
        report = self.env.ref(STATEMENT_REPORTS["activity"]).with_context(lang=self.lang)
        return safe_filename(f"{report.name} - {self.name}.pdf")

    def action_invoice_charges(self):
        """The preview of the late-payment charges still owed on the
        reminder's invoices, to invoice them."""
        Charges = self.env["account.dunning.charges"]
        Charges._check_charges_access()
        return Charges._action_invoice(self.line_ids.move_id)

    def action_waive_charges(self):
        """The preview of the late-payment charges still owed on the
        reminder's invoices, to waive them (in part) with a reason."""
        Charges = self.env["account.dunning.charges"]
        Charges._check_charges_access()
        return Charges._action_invoice(self.line_ids.move_id, waive=True)

    def _message_receive_bounce(self, email, partner):
        """Odoo's bounce handling found that this reminder's email bounced."""
        result = super()._message_receive_bounce(email, partner)
        self._on_email_bounce(email)
        return result

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Cancel reminders: their queued email is cancelled, their letter
        withdrawn from the post and their invoices get their previous level
        back (see ``_cancel_reminders``)."""
        self._cancel_reminders()

    def action_print_letter(self):
        check_dunning_access(self.env, "read", self.env._("print or download reminder letters"))
        if self.filtered(lambda r: r.state in ("cancel", "draft")):
            raise UserError(self.env._("A cancelled reminder has no letter to print."))
        return self.env.ref(LETTER_REPORT).report_action(self)

    def action_mark_posted(self):
        """The letters were put in the post: they leave the list of letters
        to post. When registered letters are among them, a form first asks
        their registered-mail numbers (``account.dunning.post.wizard``)."""
        check_dunning_access(self.env, "user", self.env._("mark letters as posted"))
        to_post = self.filtered(lambda r: r.letter_state == "to_post")
        if to_post.filtered("registered_letter"):
            return self.env["account.dunning.post.wizard"]._action_open(to_post)
        self._mark_letters_posted()

    def action_record_receipt(self):
        """The form that records what the post brought back for the
        registered letter: the acknowledgement of receipt, or the letter
        returned unclaimed (``account.dunning.receipt.wizard``)."""
        self.ensure_one()
        return self.env["account.dunning.receipt.wizard"]._action_open(self)

    def action_download_letters_pdf(self):
        return self._action_download_letters("pdf")

    def action_download_letters_zip(self):
        return self._action_download_letters("zip")

    def _action_download_letters(self, file_format):
        attachment = self._get_letters_file(self, file_format)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_dunning_action"
        )
        action["domain"] = [("id", "in", self.line_ids.move_id.ids)]
        action["context"] = {}
        return action
