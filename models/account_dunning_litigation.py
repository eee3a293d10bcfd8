# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from .dunning_engine_owned import (
    check_engine_fields,
    check_readable,
    engine_writes,
    is_engine_write,
)
from .dunning_tools import check_dunning_access

# The roads a claim takes to court or to a third party (issue 23).
LITIGATION_ROADS = [
    ("small_claims", "Small-Claims Procedure"),
    ("order_for_payment", "Order for Payment"),
    ("agency", "Collection Agency"),
    ("lawyer", "Lawyer"),
]
LITIGATION_STATES = [("open", "In Litigation"), ("closed", "Closed")]
LITIGATION_END_REASONS = [
    ("paid", "Paid"),
    ("settlement", "Settlement"),
    ("abandoned", "Abandoned"),
]

# What only ``_close`` writes: a litigation is closed with its reason, and
# what it is about (the customer, the company) does not change.
_CLOSE_FIELDS = {"state", "date_end", "end_reason", "end_note"}
_FIXED_FIELDS = {"partner_id", "company_id"}
# What the module writes besides: the last legal file prepared (an
# attachment it made; a user pointing it at another file would show, and
# download from the claim, a document of their choosing).
_ENGINE_FIELDS = _CLOSE_FIELDS | {"legal_file_id"}


class AccountDunningLitigation(models.Model):
    """A customer's claim taken to court or handed to a third party, in one
    company: from the day it is opened until it is closed, the customer is
    *In Litigation* there and the engine refuses every reminder to it, on
    every path (``account.dunning.engine._get_refusal_by_purpose``, reason
    ``litigation``): its lawyer, court or agency speaks to the customer now.

    This model alone writes the customer's ``dunning_litigation`` and
    ``dunning_litigation_road`` in the company (what the engine reads):
    creating an open litigation sets them, ``_close`` clears them. Closed
    litigations stay, the customer's history."""

    _name = "account.dunning.litigation"
    _description = "Customer in Litigation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id"]

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        domain="[('parent_id', '=', False)]",
        ondelete="restrict",
        check_company=True,
    )
    state = fields.Selection(
        LITIGATION_STATES,
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    date_start = fields.Date(
        string="In Litigation Since",
        required=True,
        tracking=True,
        default=lambda self: self.env["account.dunning.engine"]._get_today(self.env.company),
    )
    road = fields.Selection(
        LITIGATION_ROADS,
        required=True,
        tracking=True,
        help="How the claim is pursued: the small-claims procedure (a commissaire de "
        "justice), an order for payment (the court), a collection agency or a lawyer.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handled By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        check_company=True,
        help="Who follows the claim in the company.",
    )
    note = fields.Text(help="Who the lawyer or court is, the file number...")
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        tracking=True,
        check_company=True,
        help="The agency the claim was handed to, when the road is a collection agency.",
    )
    handoff_date = fields.Date(
        string="Handed Over On",
        tracking=True,
        help="When the file was handed to the agency.",
    )
    date_end = fields.Date(string="Closed On", readonly=True, tracking=True)
    end_reason = fields.Selection(
        LITIGATION_END_REASONS,
        string="Why Closed",
        readonly=True,
        tracking=True,
    )
    end_note = fields.Text(string="Closing Note", readonly=True)
    legal_file_id = fields.Many2one(
        "ir.attachment",
        readonly=True,
        ondelete="set null",
        help="The last legal file (ZIP) prepared for this claim.",
    )

    def init(self):
        # one open litigation per customer and company, even for two users
        # putting it in litigation at the same time (the constraint below
        # says it in words)
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS account_dunning_litigation_one_open "
                "ON account_dunning_litigation (partner_id, company_id) WHERE state = 'open'"
            )
        )

    @api.depends("partner_id", "road")
    def _compute_display_name(self):
        roads = dict(self._fields["road"]._description_selection(self.env))
        for litigation in self:
            litigation.display_name = self.env._(
                "%(customer)s: %(road)s",
                customer=litigation.partner_id.display_name or "",
                road=roads.get(litigation.road, ""),
            )

    @api.constrains("partner_id", "company_id", "state")
    def _check_one_open(self):
        for litigation in self.filtered(lambda lit: lit.state == "open"):
            if self.search_count(
                [
                    ("partner_id", "=", litigation.partner_id.id),
                    ("company_id", "=", litigation.company_id.id),
                    ("state", "=", "open"),
                    ("id", "!=", litigation.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(customer)s is already in litigation in %(company)s: take it out "
                        "of litigation first.",
                        customer=litigation.partner_id.display_name,
                        company=litigation.company_id.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for litigation in self:
            if litigation.partner_id != litigation.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A litigation is about the customer itself (%(customer)s), not one "
                        "of its contacts.",
                        customer=litigation.partner_id.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for litigation in self:
            if litigation.date_end and litigation.date_end < litigation.date_start:
                raise ValidationError(
                    self.env._("A litigation cannot be closed before it started.")
                )

    @api.model
    def _check_litigation_access(self):
        """Customers are put in and taken out of litigation by reminder
        users only (a button's groups only hide it)."""
        check_dunning_access(
            self.env, "user", self.env._("put customers in litigation or take them out")
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_litigation_access()
        check_engine_fields(self, _ENGINE_FIELDS, vals_list, create=True)
        litigations = super().create(vals_list)
        opened = litigations.filtered(lambda lit: lit.state == "open")
        opened._sync_partners()
        opened._post_opened()
        opened._withdraw_pending_reminders()
        return litigations

    def write(self, vals):
        self._check_litigation_access()
        check_engine_fields(self, _ENGINE_FIELDS | _FIXED_FIELDS, [vals])
        self._check_closed_unchanged(vals)
        result = super().write(vals)
        if "road" in vals:
            self.filtered(lambda lit: lit.state == "open")._sync_partners()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_open(self):
        """An open litigation is taken out of litigation with its reason
        (paid, settlement, abandoned), which the customer's history keeps:
        it is not deleted. A closed one may be (by a manager)."""
        opened = self.filtered(lambda lit: lit.state == "open")
        if opened:
            raise UserError(
                self.env._(
                    "%(customer)s is in litigation: take it out of litigation with its "
                    "reason rather than deleting it.",
                    customer=opened[:1].partner_id.display_name,
                )
            )

    def _check_closed_unchanged(self, vals):
        """A closed litigation is the customer's history: what it was (its
        dates, road, handler, agency, notes) is not rewritten afterwards,
        whatever a request sends (the form makes them read-only). Its
        chatter, followers and activities go on; the module's own writes
        pass."""
        if is_engine_write(self.env) or not self.filtered(lambda lit: lit.state == "closed"):
            return
        thread_fields = set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )
        if set(vals) - thread_fields:
            raise UserError(
                self.env._(
                    "A closed litigation is kept as it was, in the customer's history: it "
                    "cannot be changed."
                )
            )

    def _withdraw_pending_reminders(self):
        """The letters still waiting for the post to each customer when it
        is put in litigation are withdrawn (``account.dunning
        ._cancel_letter``), in the litigation's company: from now on its
        lawyer, court or agency speaks to the customer, and the clerk who
        posts the day's letters no longer finds one for it (a letter may
        wait there for days; an email leaves the queue within minutes). A
        reminder of which nothing else reached the customer then failed,
        its invoices back to their previous level; one whose email went out
        stands and says its letter was withdrawn
        (``_on_channel_failure``)."""
        Reminder = self.env["account.dunning"].sudo()
        for litigation in self:
            waiting = Reminder.search(
                [
                    ("partner_id", "=", litigation.partner_id.id),
                    ("company_id", "=", litigation.company_id.id),
                    ("state", "=", "sent"),
                    ("letter_state", "=", "to_post"),
                ]
            )
            if not waiting:
                continue
            for reminder in waiting:
                reminder._cancel_letter()
            waiting._on_channel_failure(
                "send_letter",
                self.env._(
                    "Its letter was withdrawn from the letters to post: the customer was "
                    "put in litigation on %(date)s.",
                    date=format_date(self.env, litigation.date_start),
                ),
            )

    def _sync_partners(self):
        """Write on each customer, in the litigation's company, what the
        engine reads: in litigation, and the road, while the litigation is
        open; nothing once it is closed. The customer's fields are the
        engine's: written as the superuser, after the user's checks (a
        reminder user who may not edit contacts still puts a customer in
        litigation)."""
        for litigation in self:
            is_open = litigation.state == "open"
            litigation.partner_id.with_company(litigation.company_id).sudo().write(
                {
                    "dunning_litigation": is_open,
                    "dunning_litigation_road": litigation.road if is_open else False,
                }
            )

    def _get_road_label(self):
        self.ensure_one()
        return dict(self._fields["road"]._description_selection(self.env)).get(self.road, "")

    def _close(self, reason, note=None, date=None):
        """Take the customer out of litigation: the litigation is closed on
        ``date`` (the company's today by default) for ``reason`` (``paid``,
        ``settlement``, ``abandoned``, required) with ``note``; the
        customer's fields are cleared, so reminders resume (from the level
        each invoice is advised); a note on the customer and on the
        litigation says why. The closed litigation stays in the history."""
        self._check_litigation_access()
        check_readable(self)
        if reason not in dict(LITIGATION_END_REASONS):
            raise UserError(self.env._("Say why the customer is taken out of litigation."))
        if self.filtered(lambda lit: lit.state != "open"):
            raise UserError(self.env._("Only a customer in litigation can be taken out of it."))
        reasons = dict(self._fields["end_reason"]._description_selection(self.env))
        Engine = self.env["account.dunning.engine"]
        for litigation in self:
            end = date or Engine._get_today(litigation.company_id)
            with engine_writes():
                litigation.write(
                    {
                        "state": "closed",
                        "date_end": end,
                        "end_reason": reason,
                        "end_note": note or False,
                    }
                )
            litigation._sync_partners()
            body = self.env._(
                "Taken out of litigation on %(date)s (%(reason)s): reminders resume.",
                date=format_date(self.env, end),
                reason=reasons[reason],
            )
            if note:
                body = Markup("%s<br/>%s") % (body, note)
            litigation.partner_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
            litigation.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _post_opened(self):
        """The note on the customer that it is in litigation now."""
        for litigation in self:
            body = self.env._(
                "In litigation since %(date)s in %(company)s (%(road)s, handled by "
                "%(user)s): no reminder is sent.",
                date=format_date(self.env, litigation.date_start),
                company=litigation.company_id.name,
                road=litigation._get_road_label(),
                user=litigation.user_id.name or "-",
            )
            if litigation.note:
                body = Markup("%s<br/>%s") % (body, litigation.note)
            litigation.partner_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------

    def action_take_out(self):
        """The Take Out of Litigation form: it asks why."""
        self._check_litigation_access()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Take Out of Litigation"),
            "res_model": "account.dunning.litigation.close.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_litigation_id": self.id},
        }

    def action_view_invoices(self):
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_view_dunning_invoices()
