# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL, email_normalize
from odoo.tools.misc import formatLang

from .account_dunning_channel_mixin import CHANNELS
from .account_dunning_plan import PARTNER_TYPES
from .dunning_inputs import DUNNING_READ_GROUPS
from .dunning_tools import check_dunning_access

# The report of each kind of statement.
STATEMENT_REPORTS = {
    "outstanding": "account_dunning.action_report_dunning_statement",
    "activity": "account_dunning.action_report_dunning_statement_activity",
}


# The fields that decide who is reminded, and how.
_DUNNING_SETTINGS = {
    "dunning_plan_id",
    "dunning_customer_type",
    "dunning_blocked",
    "dunning_mode",
    "dunning_responsible_id",
    "dunning_penalty_rate",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    type = fields.Selection(
        selection_add=[("dunning", "Reminder Address")],
        ondelete={"dunning": "set default"},
    )
    dunning_plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Reminder Plan",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Leave empty to use the company's plan for this type of customer, "
        "else its default plan.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_customer_type = fields.Selection(
        [t for t in PARTNER_TYPES if t[0] != "all"],
        string="Customer Type for Reminders",
        tracking=True,
        compute="_compute_dunning_customer_type",
        store=True,
        readonly=False,
        precompute=True,
        help="Chooses the reminder plan of customers without a plan of their "
        "own. Set 'Public body' for administrations and public buyers.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_blocked = fields.Boolean(
        string="Do Not Remind",
        tracking=True,
        help="No reminder is sent to this customer, by hand or automatically.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_mode = fields.Selection(
        [("manual", "Manual"), ("automatic", "Automatic")],
        string="Reminder Mode",
        company_dependent=True,
        tracking=True,
        default="manual",
        help="Automatic: the daily job sends due reminders on its own. "
        "Manual: it schedules an activity for the responsible instead.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_responsible_id = fields.Many2one(
        "res.users",
        string="Reminder Responsible",
        company_dependent=True,
        tracking=True,
        help="Who follows this customer's payments; activities of the "
        "reminders go to this user.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_penalty_rate = fields.Float(
        string="Late-Payment Penalty Rate (%)",
        company_dependent=True,
        tracking=True,
        digits=(16, 2),
        help="The yearly penalty rate agreed with this business customer; "
        "empty: the company's. Never below three times the legal interest rate.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_contact_id = fields.Many2one(
        "res.partner",
        string="Reminder Contact",
        compute="_compute_dunning_contact_id",
        help="Who reminders go to: the reminder address, else the invoice "
        "address, else the customer itself.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_total_overdue = fields.Monetary(
        string="Total Overdue",
        compute="_compute_dunning_total_overdue",
        currency_field="dunning_company_currency_id",
        help="Overdue invoices less open credit notes and unreconciled "
        "payments, in company currency.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_company_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_dunning_total_overdue",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_count = fields.Integer(
        string="Reminders",
        compute="_compute_dunning_count",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_promise_kept_count = fields.Integer(
        string="Promises Kept",
        compute="_compute_dunning_promise_counts",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_promise_broken_count = fields.Integer(
        string="Promises Broken",
        compute="_compute_dunning_promise_counts",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_effective_plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Plan in Use",
        compute="_compute_dunning_effective_plan_id",
        help="The plan this customer's reminders follow now.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_plan_origin = fields.Selection(
        [
            ("own", "This customer's own plan"),
            ("type", "The plan for its customer type"),
            ("default", "The company's default plan"),
            ("none", "No plan: the company has no default plan"),
        ],
        string="Where the Plan Comes From",
        compute="_compute_dunning_effective_plan_id",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_overdue_by_currency = fields.Html(
        string="Overdue per Currency",
        compute="_compute_dunning_total_overdue",
        sanitize=False,
        help="What is overdue in each currency the customer is invoiced in, "
        "before credit notes and payments on account.",
        groups=DUNNING_READ_GROUPS,
    )

    def unlink(self):
        # the workbench's proposals to these customers go with them, those
        # to these contacts go to the customer's reminder address: their
        # fields have no foreign keys (``dunning_fields.WorkbenchMany2one``)
        ids = self.ids
        result = super().unlink()
        self.env["account.dunning.wizard.proposal"].sudo()._delete_for(partner_ids=ids)
        return result

    @api.depends_context("company")
    @api.depends("dunning_plan_id", "dunning_customer_type")
    def _compute_dunning_effective_plan_id(self):
        plans = self._get_dunning_plan()
        for partner in self:
            commercial = partner.commercial_partner_id.with_company(self.env.company)
            plan = plans.get(commercial.id, self.env["account.dunning.plan"])
            partner.dunning_effective_plan_id = plan
            if not plan:
                partner.dunning_plan_origin = "none"
            elif commercial.dunning_plan_id:
                partner.dunning_plan_origin = "own"
            elif plan.partner_type == commercial.dunning_customer_type:
                partner.dunning_plan_origin = "type"
            else:
                partner.dunning_plan_origin = "default"

    @api.depends("is_company")
    def _compute_dunning_customer_type(self):
        for partner in self:
            if partner.dunning_customer_type != "public":
                partner.dunning_customer_type = "company" if partner.is_company else "individual"

    @api.depends("child_ids.type", "child_ids.active")
    def _compute_dunning_contact_id(self):
        contacts = self._get_dunning_contacts()
        for partner in self:
            partner.dunning_contact_id = contacts[partner.commercial_partner_id.id]

    def _get_dunning_contacts(self):
        """{commercial partner id: who its reminders go to}: its reminder
        address, else its invoice address, else itself; one search for any
        number of customers."""
        # one query for thousands of customers (and the email the engine reads)
        self.fetch(["commercial_partner_id", "email"])
        commercials = self.commercial_partner_id
        children = self.with_context(active_test=True).search_fetch(
            [
                ("commercial_partner_id", "in", commercials.ids),
                ("type", "in", ("dunning", "invoice")),
            ],
            ["type", "commercial_partner_id", "email"],
            order="id",
        )
        best = {}
        for child in children:
            key = child.commercial_partner_id.id
            # a reminder address wins over an invoice address
            if key not in best or (best[key].type != "dunning" and child.type == "dunning"):
                best[key] = child
        return {commercial.id: best.get(commercial.id, commercial) for commercial in commercials}

    def _dunning_has_postal_address(self):
        """Whether a letter can be posted to this contact: a street and a
        city or a postcode."""
        self.ensure_one()
        return bool(self.street and (self.city or self.zip))

    @api.model
    def _get_dunning_normalized_emails(self, emails, normalized=False):
        """The set of ``emails`` normalized, empty ones left out; as they
        are when ``normalized`` (the caller normalized them already)."""
        if normalized:
            return {email for email in emails if email}
        return {email_normalize(email) for email in emails if email} - {False}

    @api.model
    def _get_dunning_bounced_emails(self, emails, normalized=False):
        """The addresses among ``emails`` that a reminder email bounced
        from (normalized): reminders go to them by letter until the address
        changes. One query for any number of addresses; ``normalized``
        when the caller normalized them already."""
        normalized = self._get_dunning_normalized_emails(emails, normalized=normalized)
        if not normalized:
            return set()
        self.env["account.dunning"].flush_model(["email", "email_state"])
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT lower(trim(email)) FROM account_dunning "
                "WHERE email_state = 'bounced' AND lower(trim(email)) = ANY(%s)",
                list(normalized),
            )
        )
        return {row[0] for row in rows}

    def _get_dunning_address_issues(self, company=None):
        """{commercial partner id: what its reminder contact lacks for the
        channels of its plan in ``company``, in words; False when it lacks
        nothing}: an email for email levels, a postal address (its own or
        the customer's) for letters, a mobile number for SMS, a phone
        number for calls. Seed 004's red or green reminder address."""
        company = company or self.env.company
        commercials = self.commercial_partner_id
        plans = commercials._get_dunning_plan(company)
        contacts = commercials._get_dunning_contacts()
        # what the checks read, for all the customers and contacts at once
        # (thousands of them in Customer Accounts' filter)
        address = ["name", "complete_name", "email", "street", "city", "zip", "phone", "mobile"]
        commercials.fetch(address)
        commercials.browse(contact.id for contact in contacts.values()).fetch(address)
        # each address normalized once, for the bounces and the checks
        emails = {contact.id: email_normalize(contact.email or "") for contact in contacts.values()}
        bounced = self._get_dunning_bounced_emails(list(emails.values()), normalized=True)
        channels_by_plan = {}
        for plan in set(plans.values()):
            channels_by_plan[plan.id] = {
                channel for level in plan.level_ids for channel in CHANNELS if level[channel]
            }
        result = {}
        for commercial in commercials:
            contact = contacts[commercial.id]
            channels = channels_by_plan.get(plans[commercial.id].id, set())
            result[commercial.id] = (
                " ".join(
                    commercial._get_dunning_contact_issues(
                        contact, channels, bounced, email=emails[contact.id]
                    )
                )
                or False
            )
        return result

    def _get_dunning_contact_issues(self, contact, channels, bounced=(), email=None):
        """What ``contact``, this customer's reminder contact, lacks for
        ``channels`` (channel field names), one sentence each. ``bounced``:
        the addresses a reminder email bounced from
        (``_get_dunning_bounced_emails``); ``email``: the contact's address
        normalized, when the caller has it."""
        self.ensure_one()
        # each issue a sentence about the contact's name, the name read only
        # when a sentence is written: Customer Accounts' filter checks
        # thousands of customers at a time, most of them lacking nothing
        issues = []
        if email is None and "send_email" in channels:
            email = email_normalize(contact.email or "")
        if "send_email" in channels and not email:
            issues.append(
                lambda name: self.env._(
                    "%(contact)s has no email address for the email reminders.", contact=name
                )
            )
        elif "send_email" in channels and email in bounced:
            issues.append(
                lambda name: self.env._(
                    "A reminder email to %(email)s bounced: fix the address of %(contact)s.",
                    email=contact.email,
                    contact=name,
                )
            )
        if "send_letter" in channels and not (
            contact._dunning_has_postal_address() or self._dunning_has_postal_address()
        ):
            issues.append(
                lambda name: self.env._(
                    "%(contact)s has no postal address for the letters.", contact=name
                )
            )
        if "send_sms" in channels and not (contact.mobile or contact.phone):
            issues.append(
                lambda name: self.env._(
                    "%(contact)s has no mobile number for the SMS.", contact=name
                )
            )
        if "create_activity" in channels and not (
            contact.phone or contact.mobile or self.phone or self.mobile
        ):
            issues.append(
                lambda name: self.env._(
                    "%(contact)s has no phone number for the calls.", contact=name
                )
            )
        if not issues:
            return []
        name = contact.display_name
        return [issue(name) for issue in issues]

    @api.depends_context("company")
    def _compute_dunning_total_overdue(self):
        company = self.env.company
        today = self.env["account.dunning.engine"]._get_today(company)
        groups = dict(
            self.env["account.move.line"]._read_group(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                    "|",
                    ("amount_residual", "<", 0),
                    ("date_maturity", "<", today),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        totals = {}
        for partner, amount in groups.items():
            key = partner.commercial_partner_id.id
            totals[key] = totals.get(key, 0.0) + amount
        per_currency = defaultdict(list)
        for partner, currency, amount in self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", self.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
                ("date_maturity", "<", today),
            ],
            ["partner_id", "currency_id"],
            ["amount_residual_currency:sum"],
            order="currency_id",
        ):
            per_currency[partner.commercial_partner_id.id].append((currency, amount))
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.dunning_company_currency_id = company.currency_id
            partner.dunning_total_overdue = totals.get(key, 0.0)
            partner.dunning_overdue_by_currency = partner._format_dunning_amounts(
                per_currency.get(key, [])
            )

    def _format_dunning_amounts(self, amounts):
        """'1 200,00 €' above '300,00 $': amounts of several currencies, each
        in its own, added per currency, never across, one per line (a
        narrow column shows each whole); False when none."""
        totals = defaultdict(float)
        for currency, amount in amounts:
            totals[currency] += amount
        parts = [
            formatLang(self.env, amount, currency_obj=currency)
            for currency, amount in totals.items()
            if not currency.is_zero(amount)
        ]
        return Markup("<br/>").join(parts) if parts else False

    def _compute_dunning_count(self):
        groups = dict(
            self.env["account.dunning"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_count = groups.get(partner.commercial_partner_id, 0)

    def _get_dunning_plan(self, company=None):
        """The reminder plan of each customer for ``company``: its own plan,
        else the company's first plan for its customer type, else the
        company's default plan. Returns {commercial partner id: plan}."""
        company = company or self.env.company
        commercials = self.commercial_partner_id.with_company(company)
        # read for all of them at once, not a thousand at a time as each is met
        commercials.fetch(["dunning_plan_id", "dunning_customer_type"])
        plans = self.env["account.dunning.plan"].search(
            [("company_id", "=", company.id), ("partner_type", "!=", "all")]
        )
        by_type = {}
        for plan in plans:
            by_type.setdefault(plan.partner_type, plan)
        default = company.dunning_default_plan_id
        return {
            partner.id: partner.dunning_plan_id
            or by_type.get(partner.dunning_customer_type)
            or default
            for partner in commercials
        }

    def write(self, vals):
        """Reminder settings decide who gets reminded: only reminder users
        and managers change them."""
        settings = _DUNNING_SETTINGS & set(vals)
        if not settings or self.env.su:
            return super().write(vals)
        check_dunning_access(self.env, "user", self.env._("change a customer's reminder settings"))
        # a credit controller who may not edit contacts still sets how
        # customers are reminded: those fields, on customers it can read
        self.check_access("read")
        super(ResPartner, self.sudo()).write({key: vals[key] for key in settings})
        rest = {key: value for key, value in vals.items() if key not in settings}
        return super().write(rest) if rest else True

    def _get_dunning_responsibles(self, company=None):
        """{commercial partner id: who follows its reminders} in
        ``company``: the customer's reminder responsible, else the
        company's, else the customer's salesperson, else a reminder manager
        of the company. Always an active user: activities for an inactive
        one are seen by nobody."""
        company = company or self.env.company
        commercials = self.commercial_partner_id.with_company(company)
        configured = company.sudo().dunning_responsible_id
        managers = self.env.ref("account_dunning.group_dunning_manager")
        fallback = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", company.ids),
                    ("groups_id", "in", managers.ids),
                    ("id", "!=", SUPERUSER_ID),
                ],
                order="id",
                limit=1,
            )
        )
        result = {}
        for partner in commercials:
            candidates = (
                partner.sudo().dunning_responsible_id,
                configured,
                partner.sudo().user_id,
            )
            result[partner.id] = next(
                (user for user in candidates if user and user.active and not user.share),
                fallback,
            )
        return result

    @api.model
    def _get_dunning_responsible_sql(self, commercial, company):
        """``_get_dunning_responsibles`` in SQL, for the reports that group
        and filter by it (aging, Customer Accounts): the responsible of the
        customer ``commercial`` (a table alias of ``res_partner``) in
        ``company`` (an alias of ``res_company``), with the same candidates
        in the same order. Kept next to the Python rule; a test compares
        them."""
        managers = self.env.ref("account_dunning.group_dunning_manager")

        def usable(user_id):
            return SQL(
                "(SELECT usr.id FROM res_users usr WHERE usr.id = %s "
                "AND usr.active AND NOT usr.share)",
                user_id,
            )

        return SQL(
            """COALESCE(
                %s, %s, %s,
                (SELECT MIN(usr.id)
                   FROM res_users usr
                   JOIN res_company_users_rel company_rel
                        ON company_rel.user_id = usr.id AND company_rel.cid = %s.id
                   JOIN res_groups_users_rel group_rel
                        ON group_rel.uid = usr.id AND group_rel.gid = %s
                  WHERE usr.active AND NOT usr.share AND usr.id != %s)
            )""",
            usable(SQL("(%s.dunning_responsible_id ->> %s.id::text)::int", commercial, company)),
            usable(SQL("%s.dunning_responsible_id", company)),
            usable(SQL("%s.user_id", commercial)),
            company,
            managers.id,
            SUPERUSER_ID,
        )

    def action_view_dunnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def _get_dunning_open_invoices(self):
        Move = self.env["account.move"]
        return Move.search(
            Move._get_dunning_open_domain()
            + [("commercial_partner_id", "in", self.commercial_partner_id.ids)]
        )

    def action_dunning_remind_email(self):
        return self._get_dunning_open_invoices().action_dunning_remind_email()

    def action_dunning_remind_letter(self):
        return self._get_dunning_open_invoices().action_dunning_remind_letter()

    def action_dunning_log_call(self):
        return self._get_dunning_open_invoices().action_dunning_log_call()

    def action_dunning_invoice_charges(self):
        """The preview of the customer's late-payment charges still owed:
        its invoices late today or paid late in the last two years."""
        Charges = self.env["account.dunning.charges"]
        Charges._check_charges_access()
        return Charges._action_invoice(Charges._get_chargeable_moves(self))

    def action_dunning_promise(self):
        return self.env["account.dunning.promise"]._action_new(self._get_dunning_open_invoices())

    def action_view_dunning_promises(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_promise_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def _compute_dunning_promise_counts(self):
        counts = defaultdict(int)
        for partner, state, count in self.env["account.dunning.promise"]._read_group(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("state", "in", ("kept", "broken")),
            ],
            ["partner_id", "state"],
            ["__count"],
        ):
            counts[(partner.id, state)] = count
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.dunning_promise_kept_count = counts[(key, "kept")]
            partner.dunning_promise_broken_count = counts[(key, "broken")]

    def action_view_dunning_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_dunning_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        return action
