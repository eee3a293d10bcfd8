# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSecurity(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.plan_b = cls.company_b.dunning_default_plan_id
        cls.billing_user = cls._user("billing_user", "account.group_account_invoice")
        cls.auditor = cls._user("auditor", "base.group_user,account.group_account_readonly")
        cls.accountant_manager = cls._user("dunning_manager", "account.group_account_manager")
        cls.settings_admin = cls._user(
            "settings_admin", "account.group_account_manager,base.group_system"
        )
        cls.employee = cls._user("employee", "base.group_user")

    def test_groups_follow_accounting_groups(self):
        self.assertTrue(self.billing_user.has_group("account_dunning.group_dunning_user"))
        self.assertFalse(self.billing_user.has_group("account_dunning.group_dunning_manager"))
        self.assertTrue(self.accountant_manager.has_group("account_dunning.group_dunning_manager"))
        self.assertFalse(self.employee.has_group("account_dunning.group_dunning_user"))

    def test_no_plan_crosses_companies(self):
        Plan = self.env["account.dunning.plan"].with_user(self.billing_user)
        plans = Plan.search([])
        self.assertIn(self.plan, plans)
        self.assertNotIn(self.plan_b, plans)
        self.assertFalse(
            self.env["account.dunning.level"]
            .with_user(self.billing_user)
            .search([("plan_id", "=", self.plan_b.id)])
        )
        with self.assertRaises(AccessError):
            self.plan_b.with_user(self.billing_user).read(["name"])

    def test_only_managers_configure_plans(self):
        plan = self.plan.with_user(self.billing_user)
        self.assertEqual(plan.name, "Test plan")
        with self.assertRaises(AccessError):
            plan.name = "Changed"
        with self.assertRaises(AccessError):
            self.first.with_user(self.billing_user).days = 12
        with self.assertRaises(AccessError):
            self.env["account.dunning.plan"].with_user(self.billing_user).create(
                {"name": "Mine", "level_ids": [Command.create({"name": "R", "days": 3})]}
            )
        self.plan.with_user(self.accountant_manager).name = "Changed"
        self.assertEqual(self.plan.name, "Changed")

    def test_readonly_and_plain_users(self):
        # the auditor reads the plan's four levels, their names and days
        levels = self.plan.with_user(self.auditor).level_ids.sorted("days")
        self.assertEqual(levels, self.pre + self.first + self.second + self.notice)
        self.assertEqual(
            [(level.name, level.days) for level in levels],
            [
                ("Pre-reminder", -5),
                ("First reminder", 10),
                ("Second reminder", 20),
                ("Formal notice", 40),
            ],
        )
        with self.assertRaises(AccessError):
            self.plan.with_user(self.auditor).name = "No"
        with self.assertRaises(AccessError):
            self.plan.with_user(self.employee).read(["name"])

    def test_settings_page_saves(self):
        other = self.plan.copy({"name": "Other plan"})
        settings = Form(self.env["res.config.settings"].with_user(self.settings_admin))
        settings.dunning_default_plan_id = other
        settings.dunning_internal_email = "credit@company.test"
        settings.dunning_min_amount = 15
        settings.dunning_min_interval_days = 10
        settings.dunning_exclude_direct_debit = False
        settings.save().execute()
        self.assertEqual(self.company.dunning_default_plan_id, other)
        self.assertTrue(other.is_default)
        self.assertFalse(self.plan.is_default)
        self.assertEqual(self.company.dunning_internal_email, "credit@company.test")
        self.assertEqual(self.company.dunning_min_amount, 15)
        self.assertEqual(self.company.dunning_min_interval_days, 10)
        self.assertFalse(self.company.dunning_exclude_direct_debit)
