# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models import account_dunning_job as job_module
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCron(DunningCommon):
    """The daily job: what it sends, what it leaves to a human, and that it
    never reminds anybody twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "auto_send": True})
        cls.second.auto_send = False
        cls.customer.dunning_mode = "automatic"
        cls.manual = cls.env["res.partner"].create(
            {"name": "Manual SARL", "is_company": True, "email": "m@manual.test"}
        )
        cls.others = cls.env["res.partner"].create(
            [
                {
                    "name": f"Auto {n}",
                    "is_company": True,
                    "email": f"a{n}@auto.test",
                    "dunning_mode": "automatic",
                }
                for n in range(3)
            ]
        )

    def _run(self, **kwargs):
        return self.env["account.dunning"]._cron_process_reminders(companies=self.company, **kwargs)

    def _reminders(self, partner=None):
        domain = [("company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["account.dunning"].search(domain)

    @freeze_time("2026-04-20")
    def test_job_sends_automatic_reminders_once(self):
        invoice = self._invoice(100, "2026-04-05")  # 15 days: first reminder, automatic
        self._run()
        reminder = self._reminders(self.customer)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.first)
        self.assertTrue(reminder.mail_id)
        self.assertEqual(invoice.dunning_count, 1)
        # the same day again, and the day after: nobody is reminded twice
        self._run()
        self.assertEqual(len(self._reminders(self.customer)), 1)
        with freeze_time("2026-04-21"):
            self._run()
        self.assertEqual(len(self._reminders(self.customer)), 1)
        self.assertEqual(invoice.dunning_count, 1)

    @freeze_time("2026-04-20")
    def test_manual_mode_and_manual_levels_get_one_activity(self):
        self.manual.dunning_responsible_id = self.env.user
        self._invoice(100, "2026-04-05", partner=self.manual)
        self._invoice(100, "2026-03-25")  # automatic customer, second reminder: not auto_send
        self._run()
        self._run()
        self.assertFalse(self._reminders())
        activity = self._job_activities(self.manual)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "First reminder due for Manual SARL")
        self.assertEqual(activity.user_id, self.env.user)
        self.assertEqual(len(self._job_activities(self.customer)), 1)
        self.assertIn("Second reminder", self._job_activities(self.customer).summary)

    @freeze_time("2026-04-20")
    def test_activities_speak_the_language_of_their_user(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_dunning"], ["fr_FR"])
        self.first.with_context(lang="fr_FR").name = "Première relance"
        french = self._user("controleur", "account.group_account_invoice")
        french.lang = "fr_FR"
        self.manual.dunning_responsible_id = french
        self._invoice(100, "2026-04-05", partner=self.manual)
        # the scheduler runs without a language
        self.env["account.dunning"].with_context(lang=None)._cron_process_reminders(
            companies=self.company
        )
        activity = self._job_activities(self.manual)
        self.assertEqual(activity.user_id, french)
        self.assertEqual(activity.summary, "Première relance à faire pour Manual SARL")

    @freeze_time("2026-04-20")
    def test_dry_run_changes_nothing(self):
        invoice = self._invoice(100, "2026-04-05")
        self._invoice(100, "2026-04-05", partner=self.manual)
        planned = self._run(dry_run=True)
        self.assertEqual(
            planned,
            [
                {
                    "partner_id": self.customer.id,
                    "currency_id": self.company.currency_id.id,
                    "level_id": self.first.id,
                    "move_ids": invoice.ids,
                }
            ],
        )
        self.assertFalse(self._reminders())
        self.assertFalse(self._job_activities(self.manual))
        self.assertFalse(invoice.dunning_level_id)
        # the settings' dry run shows the same in the workbench
        action = self.env["res.config.settings"].create({}).action_dunning_dry_run()
        wizard = self.env["account.dunning.wizard"].browse(action["res_id"])
        self.assertTrue(wizard.dry_run)
        self.assertEqual(wizard.proposal_ids.move_ids, invoice)
        self.assertFalse(self._reminders())

    @freeze_time("2026-04-20")
    def test_minimum_interval(self):
        self.company.dunning_min_interval_days = 7
        reminded = self._invoice(100, "2026-04-06")
        reminded.sudo().write(
            {"dunning_level_id": self.first.id, "dunning_last_date": "2026-04-17"}
        )
        invoice = self._invoice(100, "2026-04-05")
        self._run()
        self.assertFalse(self._reminders(self.customer))
        with freeze_time("2026-04-24"):
            self._run()
            self.assertEqual(self._reminders(self.customer).line_ids.move_id, invoice)

    @freeze_time("2026-04-20")
    def test_one_failing_customer_does_not_stop_the_others(self):
        for partner in self.others:
            self._invoice(100, "2026-04-05", partner=partner)
        broken = self.others[1]
        Engine = type(self.env["account.dunning.engine"])
        original = Engine._prepare_reminder_values

        def failing(model, proposal, level, states, today):
            if proposal["partner_id"] == broken.id:
                raise ValueError("broken customer data")
            return original(model, proposal, level, states, today)

        with (
            patch.object(Engine, "_prepare_reminder_values", failing),
            mute_logger("odoo.addons.account_dunning.models.account_dunning_job"),
        ):
            self._run()
        self.assertEqual(len(self._reminders(self.others[0])), 1)
        self.assertEqual(len(self._reminders(self.others[2])), 1)
        self.assertFalse(self._reminders(broken))
        self.assertIn("broken customer data", broken.message_ids[0].body)

    @freeze_time("2026-04-20")
    def test_each_batch_sees_the_invoices_as_they_stand(self):
        """A long run prepares each batch when it comes to it: a customer
        blocked (or paid) while the job runs is not reminded afterwards."""
        for partner in self.others:
            self._invoice(100, "2026-04-05", partner=partner)
        original = type(self.env["account.dunning"])._create_reminders
        late = self.others[2]

        def blocking(model, proposals):
            # while the first batch is sent, the third customer gets blocked
            late.dunning_blocked = True
            return original(model, proposals)

        with (
            patch.object(job_module, "CRON_BATCH_SIZE", 1),
            patch.object(type(self.env["account.dunning"]), "_create_reminders", blocking),
        ):
            self._run()
        self.assertEqual(len(self._reminders(self.others[0])), 1)
        self.assertEqual(len(self._reminders(self.others[1])), 1)
        self.assertFalse(self._reminders(late))

    @freeze_time("2026-04-20")
    def test_resume_after_a_crash(self):
        """A worker killed in its second batch loses that batch only: what
        the first batch did stays (committed; here, behind the savepoint the
        job sets at each batch boundary under test), and the next run sends
        the rest, to nobody twice."""
        for partner in self.others:
            self._invoice(100, "2026-04-05", partner=partner)
        calls = []
        original = type(self.env["account.dunning"])._create_reminders

        def crashing(model, proposals):
            calls.append(len(proposals))
            result = original(model, proposals)
            if len(calls) == 2:
                # killed after the second batch did its work, before its commit
                raise KeyboardInterrupt("the worker was killed")
            return result

        # not assertRaises: it would roll back what the first batch did
        crashed = False
        with (
            patch.object(job_module, "CRON_BATCH_SIZE", 1),
            patch.object(type(self.env["account.dunning"]), "_create_reminders", crashing),
        ):
            try:
                self._run()
            except KeyboardInterrupt:
                crashed = True
                # what a crash does to the transaction: the uncommitted batch is lost
                self.env.cr.execute("ROLLBACK TO SAVEPOINT dunning_job_batch")
                self.env.invalidate_all()
        self.assertTrue(crashed)
        self.assertEqual(len(self._reminders()), 1)  # the first batch went through
        self.assertEqual(len(self._reminders(self.others[0])), 1)
        with patch.object(job_module, "CRON_BATCH_SIZE", 1):
            self._run()
        for partner in self.others:
            self.assertEqual(len(self._reminders(partner)), 1)
            self.assertEqual(self._reminders(partner).line_ids.move_id.dunning_count, 1)


@tagged("post_install", "-at_install")
class TestDunningCronConcurrency(TransactionCase):
    """Two workers run the job at the same time, each in its own
    transaction, on committed data: the invoices one holds are skipped by
    the other, and nobody is reminded twice.

    A plain TransactionCase that writes nothing in its own transaction, so
    that the cursors it opens never wait for it."""

    def test_two_workers_at_once(self):
        registry = self.env.registry
        today = date.today()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            if not env["account.journal"].search_count(
                [("company_id", "=", company.id), ("type", "=", "sale")]
            ):
                self.skipTest("the main company has no chart of accounts")
            env = env(context={"allowed_company_ids": company.ids})
            partner = env["res.partner"].create(
                {"name": "Parallel SA", "is_company": True, "email": "p@parallel.test"}
            )
            partner.with_company(company).dunning_mode = "automatic"
            plan = company.dunning_default_plan_id
            partner.with_company(company).dunning_plan_id = plan
            plan.level_ids.write(
                {"auto_send": True, "attach_invoices": False, "send_letter": False}
            )
            invoice = (
                env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=10),
                        "invoice_date_due": today - timedelta(days=10),
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            Command.create({"name": "x", "price_unit": 100, "tax_ids": []})
                        ],
                    }
                )
            )
            invoice.action_post()
            cr.commit()  # pylint: disable=invalid-commit
            company_id, partner_id = company.id, partner.id
        with registry.cursor() as cr_a, registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            env_a["account.dunning"]._cron_process_reminders(
                companies=env_a["res.company"].browse(company_id)
            )
            self.assertEqual(
                len(env_a["account.dunning"].search([("partner_id", "=", partner_id)])), 1
            )
            # worker A holds the invoice until it commits: B skips it
            env_b["account.dunning"]._cron_process_reminders(
                companies=env_b["res.company"].browse(company_id)
            )
            self.assertFalse(env_b["account.dunning"].search([("partner_id", "=", partner_id)]))
            cr_a.commit()  # pylint: disable=invalid-commit
            cr_b.rollback()
        with registry.cursor() as cr_c:
            env_c = api.Environment(cr_c, SUPERUSER_ID, {})
            # a third run after both: still one reminder, one count
            env_c["account.dunning"]._cron_process_reminders(
                companies=env_c["res.company"].browse(company_id)
            )
            reminders = env_c["account.dunning"].search([("partner_id", "=", partner_id)])
            self.assertEqual(len(reminders), 1)
            self.assertEqual(reminders.line_ids.move_id.dunning_count, 1)
