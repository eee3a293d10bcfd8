# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .dunning_inputs import DUNNING_READ_GROUPS, days_before
from .dunning_tools import check_dunning_access

_logger = logging.getLogger(__name__)

# Operators that turn "days overdue OP n" into "due date OP' today - n".
_DAYS_TO_DATE_OPERATOR = {
    "=": "=",
    "!=": "!=",
    ">": "<",
    ">=": "<=",
    "<": ">",
    "<=": ">=",
}


# The workbench's filters: (filter, field of the invoice, operator).
_WORKBENCH_FILTERS = [
    ("partner_ids", "commercial_partner_id", "in"),
    ("date_due_from", "dunning_date_due", ">="),
    ("date_due_to", "dunning_date_due", "<="),
    ("days_from", "dunning_days_overdue", ">="),
    ("days_to", "dunning_days_overdue", "<="),
    ("last_level_ids", "dunning_level_id", "in"),
    ("advised_level_ids", "dunning_advised_level_id", "in"),
    ("plan_ids", "dunning_plan_id", "in"),
    ("responsible_ids", "commercial_partner_id.dunning_responsible_id", "in"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Last Reminder Level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="The last reminder level sent for this invoice.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        copy=False,
        readonly=True,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_count = fields.Integer(
        string="Reminders Sent",
        copy=False,
        readonly=True,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_blocked = fields.Boolean(
        string="Do Not Remind This Invoice",
        copy=False,
        tracking=True,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_dispute_ids = fields.One2many(
        "account.dunning.dispute",
        "move_id",
        string="Disputes",
        copy=False,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_disputed = fields.Boolean(
        string="Disputed",
        compute="_compute_dunning_disputed",
        search="_search_dunning_disputed",
        help="An open dispute: the invoice is not reminded until it is resolved.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_promise_ids = fields.Many2many(
        "account.dunning.promise",
        "account_dunning_promise_move_rel",
        "move_id",
        "promise_id",
        string="Payment Promises",
        copy=False,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_date_due = fields.Date(
        string="Reminder Due Date",
        compute="_compute_dunning_date_due",
        store=True,
        index="btree_not_null",
        help="Due date of the earliest installment still open; empty once the invoice is paid.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_days_overdue = fields.Integer(
        string="Days Late",
        compute="_compute_dunning_days_overdue",
        search="_search_dunning_days_overdue",
        help="Days since the due date of the earliest open installment; negative before it.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Reminder Plan",
        compute="_compute_dunning_plan_id",
        store=True,
        index="btree_not_null",
        help="The customer's plan, else the company's plan for the customer's "
        "type, else the company's default plan.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_advised_level_id = fields.Many2one(
        "account.dunning.level",
        string="Advised Level",
        compute="_compute_dunning_state",
        search="_search_dunning_advised_level_id",
        help="The level this invoice should get now: the highest level of its "
        "plan whose days are reached, never below the last level sent.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_dunning_state",
        help="When the next level becomes due, respecting the minimum number "
        "of days between two reminders to one customer.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_to_remind = fields.Boolean(
        string="To Remind",
        compute="_compute_dunning_state",
        search="_search_dunning_to_remind",
        help="Open, not blocked, not below the minimum amount, with an advised "
        "level above the last level sent and no reminder to this customer "
        "within the minimum interval.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_refusal = fields.Char(
        string="Not Remindable",
        compute="_compute_dunning_state",
        help="Why the rules do not let this invoice be reminded now.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_direct_debit = fields.Boolean(
        string="Paid by Direct Debit",
        related="preferred_payment_method_line_id.dunning_direct_debit",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_amount_residual = fields.Monetary(
        string="Due in Currency",
        related="amount_residual",
        # never summed: a group of invoices may mix currencies; the
        # company-currency column carries the totals
        aggregator=None,
        groups=DUNNING_READ_GROUPS,
    )

    def unlink(self):
        # the workbench's rows that list them go with them: their field has
        # no foreign key to cascade (``dunning_fields.WorkbenchMany2one``)
        ids = self.ids
        result = super().unlink()
        self.env["account.dunning.wizard.line"].sudo()._delete_for(move_ids=ids)
        return result

    # ------------------------------------------------------------------
    # Due date, days late, plan
    # ------------------------------------------------------------------

    @api.depends(
        "move_type",
        "state",
        "line_ids.date_maturity",
        "line_ids.amount_residual",
        "line_ids.reconciled",
        "line_ids.account_id.account_type",
    )
    def _compute_dunning_date_due(self):
        for move in self:
            if move.move_type != "out_invoice" or move.state != "posted":
                move.dunning_date_due = False
                continue
            open_terms = move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
                and line.amount_residual > 0
            )
            move.dunning_date_due = min(
                (line.date_maturity or move.invoice_date_due for line in open_terms),
                default=False,
            )

    @api.depends("dunning_date_due", "company_id")
    @api.depends_context("date")
    def _compute_dunning_days_overdue(self):
        todays = self.env["account.dunning.engine"]._get_todays(self.company_id)
        for move in self:
            move.dunning_days_overdue = (
                (todays[move.company_id.id] - move.dunning_date_due).days
                if move.dunning_date_due
                else 0
            )

    def _search_dunning_days_overdue(self, operator, value):
        value = self._get_dunning_days_searched(operator, value)
        # each company's invoices are late by its own today
        todays = self.env["account.dunning.engine"]._get_todays(self.env.companies)
        if len(set(todays.values())) == 1:
            today = next(iter(todays.values()))
            return [
                ("dunning_date_due", "!=", False),
                (
                    "dunning_date_due",
                    _DAYS_TO_DATE_OPERATOR[operator],
                    days_before(today, value),
                ),
            ]
        return [
            ("dunning_date_due", "!=", False),
            *expression.OR(
                [
                    [
                        ("company_id", "=", company_id),
                        (
                            "dunning_date_due",
                            _DAYS_TO_DATE_OPERATOR[operator],
                            days_before(today, value),
                        ),
                    ]
                    for company_id, today in todays.items()
                ]
            ),
        ]

    @api.model
    def _get_dunning_days_searched(self, operator, value):
        """The number of days a search on Days Late compares with, or a
        message the user reads: a search over RPC or in a saved filter may
        give text, or a comparison the field does not know."""
        if operator not in _DAYS_TO_DATE_OPERATOR:
            raise UserError(
                self.env._(
                    "Days Late is compared with =, !=, <, <=, > or >=, not %(operator)s.",
                    operator=operator,
                )
            )
        if isinstance(value, str):
            value = value.strip()
        try:
            days = int(value)
        except (TypeError, ValueError, OverflowError):
            days = None
        if days is None or (isinstance(value, float) and days != value):
            raise UserError(
                self.env._(
                    "Days Late is searched with a whole number of days, not %(value)s.",
                    value=str(value)[:40],
                )
            )
        return days

    @api.depends(
        "move_type",
        "company_id",
        "commercial_partner_id.dunning_plan_id",
        "commercial_partner_id.dunning_customer_type",
    )
    def _compute_dunning_plan_id(self):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        (self - invoices).dunning_plan_id = False
        for company, moves in invoices.grouped("company_id").items():
            plans = moves.commercial_partner_id._get_dunning_plan(company)
            for move in moves:
                move.dunning_plan_id = plans.get(move.commercial_partner_id.id)

    @api.model
    def _dunning_recompute_plan(self, companies):
        """Recompute the plan of the open customer invoices of ``companies``
        after a change to the rules that choose plans."""
        moves = self.sudo().search(
            [
                ("company_id", "in", companies.ids),
                ("move_type", "=", "out_invoice"),
                ("dunning_date_due", "!=", False),
            ]
        )
        if moves:
            self.env.add_to_compute(self._fields["dunning_plan_id"], moves)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def _action_dunning_quick(self, channel):
        """Open the workbench on these invoices, prepared for one channel."""
        return self.env["account.dunning.wizard"]._action_open_prepared(self, channel)

    def action_dunning_prepare(self):
        """The worklist's "Prepare Reminders": the workbench on the ticked
        invoices, prepared; with none ticked, on the invoices the worklist's
        filters show, those to remind ticked."""
        if self:
            return self._action_dunning_quick(False)
        domain = self.env.context.get("active_domain") or []
        moves = self.search(
            expression.AND([domain, self._get_dunning_open_domain()]),
            order="dunning_date_due, id",
        )
        return self.env["account.dunning.wizard"]._action_open_on(moves)

    def action_dunning_remind_email(self):
        return self._action_dunning_quick("email")

    def action_dunning_remind_letter(self):
        return self._action_dunning_quick("letter")

    def action_dunning_log_call(self):
        return self.env["account.dunning.call.wizard"]._action_open(self)

    @api.depends("dunning_dispute_ids.state")
    def _compute_dunning_disputed(self):
        for move in self:
            move.dunning_disputed = "open" in move.dunning_dispute_ids.mapped("state")

    def _search_dunning_disputed(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        disputed = [("dunning_dispute_ids.state", "=", "open")]
        if bool(value) == (operator == "="):
            return disputed
        return ["!", *disputed]

    def action_dunning_promise(self):
        return self.env["account.dunning.promise"]._action_new(self)

    def action_dunning_dispute(self):
        self.ensure_one()
        return self.env["account.dunning.dispute"]._action_new(self)

    def action_dunning_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_dispute_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        return action

    def action_dunning_block(self):
        """Do Not Remind: reminder users only, whoever else may edit invoices."""
        check_dunning_access(self.env, "user", self.env._("block or unblock reminders"))
        self.dunning_blocked = True

    def action_dunning_unblock(self):
        check_dunning_access(self.env, "user", self.env._("block or unblock reminders"))
        self.dunning_blocked = False

    # ------------------------------------------------------------------
    # Invoice documents
    # ------------------------------------------------------------------

    def _get_dunning_invoice_pdfs(self):
        """{invoice id: ir.attachment}: the legal PDF of each of these
        invoices, the one Odoo keeps as the invoice (``invoice_pdf_report_id``,
        as its send wizard makes it and its portal serves it: Factur-X
        embedded, QR code), made now for those that have none, so that a
        reminder attaches the very document the customer got or would get.

        Odoo detaches that PDF when an invoice is reset to draft: a changed
        invoice gets a new one, never the stale one. Only posted sale
        documents have a legal document; those Odoo fails to make one for
        are left out (the error is logged): a pro-forma is not the invoice.
        Finding the documents takes one search per thousand invoices."""
        invoices = self.filtered(
            lambda move: move.state == "posted" and move.is_sale_document(include_receipts=True)
        )
        invoices._dunning_invalidate_legal_documents()
        missing = invoices.filtered(lambda move: not move.invoice_pdf_report_id)
        if missing:
            missing._dunning_make_legal_documents()
            missing._dunning_invalidate_legal_documents()
        return {
            move.id: move.invoice_pdf_report_id for move in invoices if move.invoice_pdf_report_id
        }

    def _dunning_invalidate_legal_documents(self):
        """Forget the documents cached on these invoices: Odoo detaches and
        links them from the attachments' side, which the invoice's cache
        does not follow within a transaction (reset to draft, posted again,
        then reminded)."""
        detached = set(self._get_fields_to_detach())
        self.invalidate_recordset(
            [
                name
                for name, field in self._fields.items()
                if name in detached or detached.intersection(self.pool.field_depends[field])
            ]
        )

    def _dunning_make_legal_documents(self):
        """Have Odoo make and link the legal documents of these posted
        invoices the way its send wizard does (``account.move.send``: the
        partner's invoice report, Factur-X embedded, the partner's
        e-invoice XML), without sending anything: no sending method and no
        "extra EDI" (those declare the invoice to a tax authority).

        Odoo prints several invoices in one wkhtmltopdf run, which only a
        wkhtmltopdf built on patched Qt does: elsewhere the invoices are
        made one by one. A batch that fails is retried invoice by invoice,
        so that one invoice does not deprive the others of their PDF."""
        Send = self.env["account.move.send"]
        can_batch = self.env["ir.actions.report"]._dunning_can_render_batch()
        for company, invoices in self.grouped("company_id").items():
            chunks = [invoices] if can_batch and len(invoices) > 1 else list(invoices)
            while chunks:
                chunk = chunks.pop()
                try:
                    with self.env.cr.savepoint():
                        invoices_data = {
                            move.sudo(): Send._get_default_sending_settings(
                                move, sending_methods=set(), extra_edis=set()
                            )
                            for move in chunk
                        }
                        Send.with_company(company)._generate_invoice_documents(invoices_data)
                except Exception as error:
                    if len(chunk) > 1:
                        chunks.extend(chunk)
                        continue
                    invoices_data = {chunk: {"error": str(error)}}
                for move, data in invoices_data.items():
                    if data.get("error"):
                        _logger.warning(
                            "Invoice %s: Odoo could not make its PDF: %s",
                            move.display_name,
                            Send._format_error_text(data["error"]),
                        )
