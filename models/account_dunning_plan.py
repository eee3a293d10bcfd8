# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PARTNER_TYPES = [
    ("all", "All customers"),
    ("company", "Private companies"),
    ("individual", "Individuals"),
    ("public", "Public bodies"),
]


class AccountDunningPlan(models.Model):
    """A reminder plan: the escalation a kind of customer goes through."""

    _name = "account.dunning.plan"
    _description = "Reminder Plan"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    level_ids = fields.One2many(
        "account.dunning.level",
        "plan_id",
        string="Levels",
        copy=True,
    )
    level_count = fields.Integer(compute="_compute_level_count")
    is_default = fields.Boolean(
        string="Default Plan",
        compute="_compute_is_default",
        inverse="_inverse_is_default",
        store=True,
        help="The plan of every customer that has no plan of its own and no "
        "plan for its customer type. Each company has exactly one.",
    )
    partner_type = fields.Selection(
        PARTNER_TYPES,
        string="Customer Type",
        required=True,
        default="all",
        help="The customers this plan serves when they have no plan of their own.",
    )
    one_level_at_a_time = fields.Boolean(
        string="One Level at a Time",
        help="Escalate one level per reminder, even when the invoice is late "
        "enough for a higher level: a customer never skips a step.",
    )
    note = fields.Html(string="Description", translate=True)

    @api.depends("level_ids")
    def _compute_level_count(self):
        for plan in self:
            plan.level_count = len(plan.level_ids)

    @api.depends("company_id.dunning_default_plan_id")
    def _compute_is_default(self):
        for plan in self:
            plan.is_default = plan.company_id.dunning_default_plan_id == plan

    def _inverse_is_default(self):
        for plan in self:
            company = plan.company_id
            if plan.is_default:
                company.dunning_default_plan_id = plan
            elif company.dunning_default_plan_id == plan:
                raise UserError(
                    self.env._(
                        "Company %(company)s needs a default reminder plan: "
                        "mark another plan as default instead of unmarking "
                        "%(plan)s.",
                        company=company.name,
                        plan=plan.name,
                    )
                )

    @api.constrains("level_ids", "company_id")
    def _check_level_ids(self):
        for plan in self:
            if not plan.level_ids:
                raise ValidationError(
                    self.env._(
                        "The reminder plan %(plan)s needs at least one level.",
                        plan=plan.name,
                    )
                )

    @api.constrains("active", "company_id")
    def _check_default_plan_kept(self):
        for plan in self:
            if plan.is_default and not plan.active:
                raise ValidationError(
                    self.env._(
                        "The default reminder plan %(plan)s cannot be archived: "
                        "mark another plan as default first.",
                        plan=plan.name,
                    )
                )
            default = plan.company_id.dunning_default_plan_id
            if default and default.company_id != plan.company_id:
                raise ValidationError(
                    self.env._(
                        "The default reminder plan of %(company)s must belong to that company.",
                        company=plan.company_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_default(self):
        for plan in self:
            if plan.is_default:
                raise UserError(
                    self.env._(
                        "The default reminder plan %(plan)s cannot be deleted: "
                        "mark another plan as default first.",
                        plan=plan.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans._dunning_invalidate_invoice_plans()
        return plans

    def write(self, vals):
        res = super().write(vals)
        if {"partner_type", "active", "sequence", "company_id", "is_default"} & set(vals):
            self._dunning_invalidate_invoice_plans()
        return res

    def unlink(self):
        companies = self.company_id
        # its levels go with it by the database's cascade, not their unlink:
        # the workbench's proposals at them are deleted here (their field
        # has no foreign key, ``dunning_fields.WorkbenchMany2one``)
        level_ids = self.with_context(active_test=False).level_ids.ids
        res = super().unlink()
        self.env["account.dunning.wizard.proposal"].sudo()._delete_for(level_ids=level_ids)
        self.env["account.move"]._dunning_recompute_plan(companies)
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for plan, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = self.env._("%(name)s (copy)", name=plan.name)
        return vals_list

    def _dunning_invalidate_invoice_plans(self):
        """Plans serve customers by rule: when a rule changes, the open
        invoices of the companies concerned get their plan again."""
        self.env["account.move"]._dunning_recompute_plan(self.company_id)

    def _get_ladders(self):
        """{plan id: (steps, one level at a time, formal notice ids)}, where
        the steps are the plan's levels as (days, level id) in their order:
        what advised levels are computed from, read once for any number of
        invoices."""
        steps = defaultdict(list)
        notices = defaultdict(set)
        levels = (
            self.env["account.dunning.level"]
            .sudo()
            .search_fetch(
                [("plan_id", "in", self.ids)], ["plan_id", "days", "letter_kind"], order="days, id"
            )
        )
        for level in levels:
            steps[level.plan_id.id].append((level.days, level.id))
            if level.letter_kind == "formal_notice":
                notices[level.plan_id.id].add(level.id)
        return {
            plan.id: (steps[plan.id], plan.one_level_at_a_time, notices[plan.id])
            for plan in self.sudo()
        }

    @api.model
    def _get_allowed_steps(self, steps, floor_days, advised_days):
        """The levels (ids, in order) a user may pick for a reminder: from
        the last level sent (of ``floor_days`` days, None when none was
        sent) up to the advised one (of ``advised_days``): never above what
        the invoices call for, never back below what the customer got."""
        return [
            level_id
            for days, level_id in steps
            if (floor_days is None or days >= floor_days) and days <= advised_days
        ]

    @api.model
    def _get_step_after(self, steps, last_days=None):
        """The step that follows a level of ``last_days`` days in ``steps``
        (the first step when no level was sent), compared by days so that a
        level of another plan still places the customer in this one."""
        for step in steps:
            if last_days is None or step[0] > last_days:
                return step
        return None

    @api.model
    def _get_advised_step(
        self, steps, one_level_at_a_time, days_overdue, last_days=None, notice_ids=()
    ):
        """The step, as (days, level id), an invoice ``days_overdue`` days
        late should get: the highest step whose days are reached; with one
        level at a time, at most the step right after the last level sent
        (of ``last_days`` days). A formal notice (a level of ``notice_ids``)
        is never the first reminder of an invoice when the plan has a lower
        level past the due date: it is advised once an earlier level was
        sent (a note before the due date does not count as one). None when no
        level applies yet. The caller keeps the last level sent when this is
        below it."""
        advised = None
        for step in steps:
            if step[0] > days_overdue:
                break
            if last_days is None and step[1] in notice_ids and advised and advised[0] > 0:
                break  # never reminded: a reminder comes before the formal notice
            advised = step
        if one_level_at_a_time and advised:
            following = self._get_step_after(steps, last_days)
            if following and following[0] < advised[0]:
                advised = following
        return advised
