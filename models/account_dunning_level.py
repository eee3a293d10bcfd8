# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dunning_inputs import SEVERITY_BOUNDS, check_bounds

LETTER_KINDS = [
    ("simple", "Simple letter"),
    ("formal_notice", "Formal notice"),
]
# Levels once had a "registered" kind of letter: being registered is now a
# flag of its own, which a formal notice may have too.
LEGACY_LETTER_KINDS = {"registered": {"letter_kind": "simple", "letter_registered": True}}

# Below or above these, a number of days is a typing error, not a plan.
MIN_DAYS, MAX_DAYS = -365, 3650
# The days a formal notice gives to pay (eight in the usual French wording).
NOTICE_DAYS_BOUNDS = (1, 365)


class AccountDunningLevel(models.Model):
    """One step of a reminder plan: when it is due and how it is sent."""

    _name = "account.dunning.level"
    _description = "Reminder Level"
    _inherit = ["account.dunning.channel.mixin"]
    _order = "plan_id, days, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Reminder Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        required=True,
        help="Days after the due date when this level becomes due; negative "
        "for a pre-reminder sent before the due date.",
    )
    rank = fields.Integer(
        compute="_compute_rank",
        help="Position of the level in its plan, ordered by days.",
    )
    send_email = fields.Boolean(default=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'res.partner')]",
    )
    letter_kind = fields.Selection(
        LETTER_KINDS,
        default="simple",
        required=True,
        help="A formal notice (mise en demeure) prints the legal wording on "
        "late-payment penalties and the recovery indemnity.",
    )
    letter_registered = fields.Boolean(
        string="Registered with Acknowledgement",
        help="The letter goes by registered post with acknowledgement of receipt "
        "(lettre recommandée avec accusé de réception), as a formal notice "
        "usually does: it says so above the address.",
    )
    notice_days = fields.Integer(
        string="Days Given to Pay",
        default=8,
        help="A formal notice gives the customer this many days to pay from the day "
        "it reaches them (the acknowledgement of receipt of a registered letter): "
        "its deadline, after which the reminder responsible decides on litigation. "
        "Say the same delay in the texts of the letter and the email.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'account.dunning')]",
        default=lambda self: self._default_mail_template_id(),
        help="The email of this level; the module's reminder email when none is chosen.",
    )
    letter_subject = fields.Char(translate=True)
    letter_intro = fields.Html(string="Letter Opening Text", translate=True)
    letter_closing = fields.Html(string="Letter Closing Text", translate=True)
    attach_letter = fields.Boolean(
        string="Attach the Letter",
        default=True,
        help="Attach the reminder letter, as a PDF, to the email.",
    )
    attach_invoices = fields.Boolean(
        default=True,
        help="Attach the PDF of each reminded invoice to the email.",
    )
    show_charges = fields.Boolean(
        string="Show the Late-Payment Charges",
        help="The letter and the email add a table of the penalties and "
        "indemnities owed on each late invoice (French law: ECB rate plus 10 "
        "points and 40 EUR per invoice for businesses), with the rate and the days.",
    )
    attach_statement = fields.Boolean(
        string="Attach the Account Statement",
        help="Attach the customer's account statement to the email, as a PDF: "
        "every invoice, credit note and payment of the last twelve months, "
        "with the running balance and the aging.",
    )
    auto_send = fields.Boolean(
        string="Send Automatically",
        help="The daily job may send this level on its own to customers in automatic mode.",
    )
    severity = fields.Integer(
        default=2,
        help="How serious a reminder of this level is, from 1 (low) to 5 "
        "(critical): its reminders get it, to sort and filter the history.",
    )

    _sql_constraints = [
        (
            "days_plan_uniq",
            "unique(plan_id, days)",
            "Two levels of one reminder plan cannot have the same number of days.",
        ),
        (
            "severity_range",
            "CHECK(severity BETWEEN 1 AND 5)",
            "The severity of a level goes from 1 (low) to 5 (critical).",
        ),
    ]

    @api.model
    def _default_mail_template_id(self):
        """The module's reminder email: a level that sends emails always
        has a template."""
        return self.env.ref(
            "account_dunning.mail_template_dunning_level_1", raise_if_not_found=False
        )

    @api.model_create_multi
    def create(self, vals_list):
        # checked before the database: 1e10 days is a message, not an overflow
        check_bounds(self, vals_list, self._get_bounds())
        return super().create([self._convert_legacy_letter_kind(vals) for vals in vals_list])

    def write(self, vals):
        check_bounds(self, [vals], self._get_bounds())
        return super().write(self._convert_legacy_letter_kind(vals))

    def unlink(self):
        # the workbench's proposals at these levels go with them: their field
        # has no foreign key to cascade (``dunning_fields.WorkbenchMany2one``)
        ids = self.ids
        result = super().unlink()
        self.env["account.dunning.wizard.proposal"].sudo()._delete_for(level_ids=ids)
        return result

    @api.model
    def _get_bounds(self):
        """What the numbers of a level may be (``dunning_inputs.check_bounds``)."""
        return {
            "days": (MIN_DAYS, MAX_DAYS),
            "severity": SEVERITY_BOUNDS,
            "notice_days": NOTICE_DAYS_BOUNDS,
        }

    @api.model
    def _convert_legacy_letter_kind(self, vals):
        """Values that still say ``letter_kind: "registered"`` (data written
        before the flag existed) load as a registered simple letter."""
        legacy = LEGACY_LETTER_KINDS.get(vals.get("letter_kind"))
        return {**vals, **legacy} if legacy else vals

    @api.onchange("send_email")
    def _onchange_send_email(self):
        if self.send_email and not self.mail_template_id:
            self.mail_template_id = self._default_mail_template_id()

    def action_preview(self):
        """This level's email and letter on a sample customer
        (``account.dunning.preview``)."""
        return self.env["account.dunning.preview"]._action_open_for_level(self)

    @api.depends("plan_id.level_ids.days")
    def _compute_rank(self):
        for level in self:
            # new levels (being added in the plan form) have ids that do not
            # compare: order by days, then by position in the plan
            siblings = list(level.plan_id.level_ids)
            ordered = sorted(siblings, key=lambda lvl: (lvl.days, siblings.index(lvl)))
            level.rank = next((index for index, lvl in enumerate(ordered, 1) if lvl == level), 0)

    @api.depends("plan_id.name")
    def _compute_display_name(self):
        multi_plan = self.env.context.get("dunning_level_show_plan")
        for level in self:
            if multi_plan and level.plan_id:
                level.display_name = f"{level.plan_id.name} / {level.name}"
            else:
                level.display_name = level.name

    def _dunning_translate_html(self, fname, lang, translated):
        """Translate the HTML field ``fname`` into ``lang`` from a whole
        translated text of the same structure, paragraph by paragraph."""
        self.ensure_one()
        field = self._fields[fname]
        sources = field.get_trans_terms(self.with_context(lang="en_US")[fname] or "")
        targets = field.get_trans_terms(translated or "")
        if sources and len(sources) == len(targets):
            self.update_field_translations(fname, {lang: dict(zip(sources, targets, strict=True))})

    @api.constrains("days")
    def _check_days(self):
        for level in self:
            if not MIN_DAYS <= level.days <= MAX_DAYS:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: days must be between %(min)s and %(max)s.",
                        level=level.name,
                        min=MIN_DAYS,
                        max=MAX_DAYS,
                    )
                )

    @api.constrains("send_email", "send_letter", "send_sms", "create_activity")
    def _check_channels(self):
        for level in self:
            if not (
                level.send_email or level.send_letter or level.send_sms or level.create_activity
            ):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s needs at least one channel: email, "
                        "letter, SMS or phone call / meeting.",
                        level=level.name,
                    )
                )

    @api.constrains("letter_kind", "days", "send_letter")
    def _check_formal_notice(self):
        for level in self:
            if level.send_letter and level.letter_kind == "formal_notice" and level.days <= 0:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: a formal notice can only be sent "
                        "once the invoice is past its due date (days above 0).",
                        level=level.name,
                    )
                )

    @api.constrains("create_activity", "activity_type_id")
    def _check_activity_type(self):
        for level in self:
            if level.create_activity and not level.activity_type_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s schedules a phone call or a meeting: "
                        "choose its activity type.",
                        level=level.name,
                    )
                )
