# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningPlan(DunningCommon):
    def _plan(self, **vals):
        return self.env["account.dunning.plan"].create(
            {
                "name": "Plan",
                "company_id": self.company.id,
                "level_ids": [Command.create({"name": "Reminder", "days": 10})],
                **vals,
            }
        )

    def test_new_company_gets_default_plan(self):
        company = self.env["res.company"].create({"name": "Nouvelle Société"})
        plan = company.dunning_default_plan_id
        self.assertTrue(plan.is_default)
        self.assertEqual(plan.company_id, company)
        self.assertEqual(
            plan.level_ids.sorted("days").mapped("name"),
            ["Statement of unpaid invoices", "Second reminder", "Third reminder", "Formal notice"],
        )
        self.assertEqual(plan.level_ids.sorted("days").mapped("days"), [5, 15, 30, 45])
        notice = plan.level_ids.sorted("days")[-1]
        self.assertEqual(notice.letter_kind, "formal_notice")
        self.assertTrue(notice.send_letter)
        self.assertEqual(
            notice.mail_template_id,
            self.env.ref("account_dunning.mail_template_dunning_level_4"),
        )
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "account.dunning"), ("company_id", "=", company.id)]
        )
        self.assertEqual(len(sequence), 1)

    def test_default_plan_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        company = self.env["res.company"].create({"name": "Société Française"})
        levels = company.dunning_default_plan_id.level_ids.sorted("days")
        self.assertEqual(levels[0].with_context(lang="fr_FR").name, "Relevé de factures impayées")
        self.assertEqual(levels[-1].with_context(lang="fr_FR").name, "Mise en demeure")
        self.assertEqual(levels[-1].with_context(lang="en_US").name, "Formal notice")
        self.assertIn(
            "mettons en demeure",
            levels[-1].with_context(lang="fr_FR").letter_intro,
        )
        # the English texts stay English
        self.assertIn(
            "hereby give you formal notice", levels[-1].with_context(lang="en_US").letter_intro
        )
        self.assertIn("Yours faithfully", levels[-1].with_context(lang="en_US").letter_closing)
        self.assertIn(
            "salutations distinguées", levels[-1].with_context(lang="fr_FR").letter_closing
        )

    def test_one_default_plan_per_company(self):
        other = self._plan(name="Other")
        self.assertFalse(other.is_default)
        other.is_default = True
        self.assertTrue(other.is_default)
        self.assertFalse(self.plan.is_default)
        self.assertEqual(self.company.dunning_default_plan_id, other)
        defaults = self.env["account.dunning.plan"].search(
            [("company_id", "=", self.company.id), ("is_default", "=", True)]
        )
        self.assertEqual(defaults, other)

    def test_default_plan_cannot_be_removed(self):
        with self.assertRaisesText(UserError, "needs a default reminder plan"):
            self.plan.is_default = False
        with self.assertRaisesText(ValidationError, "cannot be archived"):
            self.plan.active = False
        with self.assertRaisesText(UserError, "cannot be deleted"):
            self.plan.unlink()
        self.assertTrue(self.plan.exists())

    def test_unique_days_within_plan(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.plan.level_ids = [Command.create({"name": "Again", "days": 10})]
        # the same days in another plan is fine
        other = self._plan()
        self.assertEqual(other.level_ids.days, 10)

    def test_invalid_plans_are_refused(self):
        with self.assertRaisesText(ValidationError, "at least one level"):
            self.env["account.dunning.plan"].create(
                {"name": "Empty", "company_id": self.company.id}
            )
        with self.assertRaisesText(ValidationError, "at least one channel"):
            self._plan(
                level_ids=[Command.create({"name": "Silent", "days": 5, "send_email": False})]
            )
        with self.assertRaisesText(ValidationError, "formal notice"):
            self._plan(
                level_ids=[
                    Command.create(
                        {
                            "name": "Early",
                            "days": -3,
                            "send_letter": True,
                            "letter_kind": "formal_notice",
                        }
                    )
                ]
            )
        with self.assertRaisesText(ValidationError, "activity type"):
            self._plan(
                level_ids=[Command.create({"name": "Call", "days": 5, "create_activity": True})]
            )
        with self.assertRaisesText(ValidationError, "between"):
            self._plan(level_ids=[Command.create({"name": "Typo", "days": 50000})])

    def test_levels_ordered_by_days(self):
        plan = self._plan(
            level_ids=[
                Command.create({"name": "C", "days": 30}),
                Command.create({"name": "A", "days": -2}),
                Command.create({"name": "B", "days": 8}),
            ]
        )
        plan.invalidate_recordset(["level_ids"])
        self.assertEqual(plan.level_ids.mapped("name"), ["A", "B", "C"])
        self.assertEqual(plan.level_ids.mapped("rank"), [1, 2, 3])

    def test_plan_resolution_order(self):
        company_plan = self._plan(name="Companies", partner_type="company")
        individual_plan = self._plan(name="Individuals", partner_type="individual")
        public_plan = self._plan(name="Public", partner_type="public")
        Partner = self.env["res.partner"]
        business = Partner.create({"name": "Business", "is_company": True})
        person = Partner.create({"name": "Person"})
        city = Partner.create(
            {"name": "Mairie", "is_company": True, "dunning_customer_type": "public"}
        )
        own = Partner.create({"name": "Own", "is_company": True})
        own_plan = self._plan(name="Own plan", partner_type="all")
        own.dunning_plan_id = own_plan
        contact = Partner.create({"name": "Contact", "parent_id": own.id})
        plans = (business + person + city + own + contact)._get_dunning_plan(self.company)
        self.assertEqual(plans[business.id], company_plan)
        self.assertEqual(plans[person.id], individual_plan)
        self.assertEqual(plans[city.id], public_plan)
        self.assertEqual(plans[own.id], own_plan)
        # a contact (a person, with no plan of its own) follows its
        # company's plan, not the individuals' one
        self.assertEqual(contact._get_dunning_plan(self.company), {own.id: own_plan})
        # no plan for the type: the company's default plan
        company_plan.active = False
        plans = business._get_dunning_plan(self.company)
        self.assertEqual(plans[business.id], self.plan)

    def test_invoice_plan_follows_rules(self):
        invoice = self._invoice(100, "2026-01-10")
        self.assertEqual(invoice.dunning_plan_id, self.plan)
        company_plan = self._plan(name="Companies", partner_type="company")
        self.assertEqual(invoice.dunning_plan_id, company_plan)
        own_plan = self._plan(name="Own")
        self.customer.dunning_plan_id = own_plan
        self.assertEqual(invoice.dunning_plan_id, own_plan)
        self.customer.dunning_plan_id = False
        company_plan.unlink()
        self.assertEqual(invoice.dunning_plan_id, self.plan)

    def test_plan_form_edits_levels_inline(self):
        with Form(self.env["account.dunning.plan"]) as form:
            form.name = "Individuals"
            form.partner_type = "individual"
            with form.level_ids.new() as level:
                level.name = "Friendly reminder"
                level.days = 7
            with form.level_ids.new() as level:
                level.name = "Registered letter"
                level.days = 30
                level.send_email = False
                level.send_letter = True
        plan = form.record
        self.assertEqual(plan.level_ids.mapped("days"), [7, 30])
        self.assertEqual(plan.company_id, self.env.company)

    def test_plan_form_adds_levels_before_their_days(self):
        """The first thing a manager does: add levels inline, name them,
        then set their days; ranks follow the days."""
        manager = self._user("plan_manager", "account.group_account_manager")
        with Form(self.env["account.dunning.plan"].with_user(manager)) as form:
            form.name = "Public bodies"
            form.partner_type = "public"
            for name in ("Reminder", "Second reminder", "Formal notice"):
                with form.level_ids.new() as level:
                    level.name = name
            for index, days in enumerate((10, 25, 45)):
                with form.level_ids.edit(index) as level:
                    level.days = days
            with form.level_ids.edit(2) as level:
                level.send_letter = True
                level.letter_kind = "formal_notice"
        plan = form.record
        self.assertEqual(plan.level_ids.mapped("days"), [10, 25, 45])
        self.assertEqual(plan.level_ids.mapped("rank"), [1, 2, 3])

    def test_copy_plan(self):
        copy = self.plan.copy()
        self.assertEqual(copy.level_ids.mapped("days"), self.plan.level_ids.mapped("days"))
        self.assertFalse(copy.is_default)
        self.assertIn("(copy)", copy.name)
