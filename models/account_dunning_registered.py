# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dunning_engine_owned import is_engine_write
from .dunning_tools import check_dunning_access

# What users enter on a registered letter once it is posted: its number,
# then what the post brought back. Theirs, not the engine's
# (``_get_user_fields``): reminder users write them, readers may not.
REGISTERED_USER_FIELDS = (
    "registered_number",
    "registered_ack_date",
    "registered_returned",
    "registered_presented_date",
)


class AccountDunning(models.Model):
    """Registered letters and formal notices: the registered-mail number
    asked when the letter is posted (``_mark_letters_posted``), the
    acknowledgement of receipt or the letter returned unclaimed
    (``_record_registered_receipt``), and the deadline a formal notice
    gives to pay, counted from the day it reached the customer
    (``_get_notice_deadline``)."""

    _inherit = "account.dunning"

    registered_letter = fields.Boolean(
        compute="_compute_registered_letter",
        store=True,
        help="The letter goes by registered post with acknowledgement of receipt, "
        "as its level said when it was sent: the letter says so above the address "
        "and its registered-mail number is asked when it is marked posted.",
    )
    registered_number = fields.Char(
        string="Registered Mail Number",
        copy=False,
        readonly=True,
        tracking=True,
        help="The number of the registered letter (numéro de recommandé), "
        "given when the letter is marked posted.",
    )
    registered_ack_date = fields.Date(
        string="Acknowledged On",
        copy=False,
        readonly=True,
        tracking=True,
        help="The day the customer signed the acknowledgement of receipt (date de l'AR).",
    )
    registered_returned = fields.Boolean(
        string="Returned Unclaimed",
        copy=False,
        readonly=True,
        tracking=True,
        help="The letter came back unclaimed (pli non réclamé). It still counts "
        "as delivered on the day the post first presented it.",
    )
    registered_presented_date = fields.Date(
        string="First Presented On",
        copy=False,
        readonly=True,
        tracking=True,
        help="The day the post first presented the letter that came back "
        "unclaimed (date de première présentation); the day it was posted when unknown.",
    )
    notice_days = fields.Integer(
        string="Days Given to Pay",
        compute="_compute_notice_days",
        store=True,
        help="The days the formal notice gives to pay: its level's when it was sent.",
    )
    notice_date = fields.Date(
        string="Notice Received On",
        compute="_compute_notice_deadline",
        store=True,
        help="The day the formal notice reached the customer (``_get_notice_deadline``).",
    )
    notice_deadline = fields.Date(
        string="Payment Deadline",
        compute="_compute_notice_deadline",
        store=True,
        index="btree_not_null",
        help="The last day the formal notice gives to pay: the day it reached the "
        "customer (the acknowledgement of receipt; for a letter returned "
        "unclaimed, its first presentation) plus its days. Empty until then.",
    )
    notice_expired_activity = fields.Boolean(
        string="Deadline Passed Activity",
        copy=False,
        readonly=True,
        help="The daily job told the reminder responsible that the deadline "
        "passed unpaid (once).",
    )

    # the level as it was when the reminder was made: a level changed later
    # does not change what its letters were
    @api.depends("level_id", "send_letter")
    def _compute_registered_letter(self):
        for reminder in self:
            level = reminder.level_id
            reminder.registered_letter = reminder.send_letter and level.letter_registered

    @api.depends("level_id")
    def _compute_notice_days(self):
        for reminder in self:
            level = reminder.level_id
            reminder.notice_days = level.notice_days if level.letter_kind == "formal_notice" else 0

    @api.depends(
        "level_id.letter_kind",
        "state",
        "date",
        "notice_days",
        "registered_letter",
        "registered_ack_date",
        "registered_returned",
        "registered_presented_date",
        "letter_posted_date",
        "letter_state",
        "send_email",
        "send_letter",
        "send_sms",
        "email_state",
    )
    def _compute_notice_deadline(self):
        for reminder in self:
            reminder.notice_date, reminder.notice_deadline = reminder._get_notice_deadline()

    def _get_notice_deadline(self):
        """(the day the formal notice reached the customer, the last day it
        gives to pay), or (False, False) while that day is unknown or for
        a reminder that is no formal notice sent. THE rule, which the
        reminder, the customer, the daily job and the legal interest of
        consumers (``account.dunning.charges._get_formal_notice_dates``)
        read through ``notice_date`` and ``notice_deadline``.

        A registered letter, when the notice has one, decides: it reaches
        the customer on the day of the acknowledgement of receipt; returned
        unclaimed, it counts as delivered on its first presentation (French
        case law: a customer does not escape a formal notice by leaving it
        at the post office), else, when that day is unknown, on the day it
        was posted; until the post brings either back, the day is unknown.
        Otherwise the first way it went out: an email or an SMS the day it
        was sent, a simple letter the day it was posted (no proof of a
        later day exists)."""
        self.ensure_one()
        if self.level_id.letter_kind != "formal_notice" or self.state != "sent":
            return False, False
        if self.registered_letter:
            if self.registered_ack_date:
                received = self.registered_ack_date
            elif self.registered_returned:
                received = self.registered_presented_date or self.letter_posted_date
            else:
                received = False
        else:
            out = self._get_channels_out()
            days = [self.date] if out & {"send_email", "send_sms"} else []
            if "send_letter" in out and self.letter_state == "posted":
                days.append(self.letter_posted_date)
            received = min(days, default=False)
        if not received:
            return False, False
        return received, received + timedelta(days=self.notice_days)

    # ------------------------------------------------------------------
    # What users enter
    # ------------------------------------------------------------------

    @api.model
    def _get_user_fields(self):
        """Adds the registered letter's number and what the post brought back."""
        return super()._get_user_fields() | set(REGISTERED_USER_FIELDS)

    def write(self, vals):
        """The registered letters' fields: reminder users only (readers may
        not write a reminder at all; this says so in words)."""
        if set(vals) & set(REGISTERED_USER_FIELDS) and not is_engine_write(self.env):
            check_dunning_access(
                self.env, "user", self.env._("record the registered letters' numbers and receipts")
            )
        return super().write(vals)

    @api.constrains(*REGISTERED_USER_FIELDS)
    def _check_registered_receipt(self):
        """A number belongs to a letter; what the post brings back to a
        registered letter posted, on a day between its posting and today,
        either signed or returned unclaimed."""
        Engine = self.env["account.dunning.engine"]
        for reminder in self:
            received = reminder.registered_ack_date or reminder.registered_returned
            if reminder.registered_number and not reminder.send_letter:
                raise ValidationError(
                    self.env._(
                        "Reminder %(ref)s was not sent by letter: it has no registered-mail "
                        "number.",
                        ref=reminder.name,
                    )
                )
            if (received or reminder.registered_presented_date) and not (
                reminder.registered_letter and reminder.letter_state == "posted"
            ):
                raise ValidationError(
                    self.env._(
                        "The acknowledgement of receipt of reminder %(ref)s can only be "
                        "recorded once its registered letter is posted.",
                        ref=reminder.name,
                    )
                )
            if reminder.registered_ack_date and reminder.registered_returned:
                raise ValidationError(
                    self.env._(
                        "The registered letter of reminder %(ref)s was either signed for "
                        "or returned unclaimed, not both.",
                        ref=reminder.name,
                    )
                )
            if reminder.registered_presented_date and not reminder.registered_returned:
                raise ValidationError(
                    self.env._(
                        "The first presentation of the letter of reminder %(ref)s is "
                        "recorded for a letter returned unclaimed.",
                        ref=reminder.name,
                    )
                )
            today = Engine._get_today(reminder.company_id)
            for day in (reminder.registered_ack_date, reminder.registered_presented_date):
                if day and not (reminder.letter_posted_date or day) <= day <= today:
                    raise ValidationError(
                        self.env._(
                            "The letter of reminder %(ref)s was posted on %(posted)s: what "
                            "the post brought back is dated between that day and today.",
                            ref=reminder.name,
                            posted=fields.Date.to_string(reminder.letter_posted_date),
                        )
                    )

    def _record_registered_receipt(
        self, number, ack_date=False, returned=False, presented_date=False
    ):
        """What the post brought back for this registered letter: the
        acknowledgement of receipt signed on ``ack_date``, or the letter
        ``returned`` unclaimed (first presented on ``presented_date``, if
        known), or nothing yet; with its registered-mail ``number``, which
        may be corrected here. Reminder users only; the checks are the
        reminder's (``_check_registered_receipt``), whatever the path."""
        self.ensure_one()
        check_dunning_access(self.env, "user", self.env._("record acknowledgements of receipt"))
        self.check_access("write")
        if not (self.registered_letter and self.letter_state == "posted"):
            raise UserError(
                self.env._("Reminder %(ref)s has no registered letter in the post.", ref=self.name)
            )
        self.write(
            {
                "registered_number": (number or "").strip() or False,
                "registered_ack_date": ack_date or False,
                "registered_returned": bool(returned),
                "registered_presented_date": (returned and presented_date) or False,
            }
        )

    # ------------------------------------------------------------------
    # The daily job
    # ------------------------------------------------------------------

    @api.model
    def _get_expired_notices(self, company):
        """The formal notices of ``company`` whose deadline passed (before
        the company's today) and that the responsible was not told about
        yet, with invoices still unpaid: open, not disputed, not under a
        payment promise still running (``account.move._get_dunning_states``),
        to a customer not in litigation already. A notice whose invoices
        are all paid, disputed or promised is left: once a dispute is
        resolved or a promise broken, it comes back."""
        Engine = self.env["account.dunning.engine"]
        today = Engine._get_today(company)
        notices = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
                ("notice_deadline", "<", today),
                ("notice_expired_activity", "=", False),
            ]
        )
        # a customer in litigation is decided on already
        notices = notices.filtered(
            lambda notice: not notice.partner_id.with_company(company).dunning_litigation
        )
        return notices._filter_unpaid_notices(today)

    def _filter_unpaid_notices(self, today):
        """These formal notices whose invoices are still unpaid on
        ``today``: one of them open, not disputed, not under a payment
        promise still running (``account.move._get_dunning_states``). THE
        rule of a deadline passed unpaid: the daily job's activity
        (``_get_expired_notices``), the customer's
        (``res.partner._dunning_get_expired_notice``)."""
        if not self:
            return self
        lines = self.line_ids.filtered(lambda line: not line.is_coming_due)
        states = lines.move_id.sudo()._get_dunning_states()
        unpaid = {
            move_id
            for move_id, state in states.items()
            if not state.get("disputed")
            and not (state.get("promise_until") and state["promise_until"] >= today)
        }
        return self.filtered(
            lambda notice: any(
                line.move_id.id in unpaid and not line.is_coming_due for line in notice.line_ids
            )
        )
