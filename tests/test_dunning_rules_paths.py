# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from ..models.account_dunning_aging import _get_aging_bucket
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRulesPaths(DunningCommon):
    """Each fact is decided once, and every path a user takes reads it:
    the plan in use after the settings change, a cancel, a logged call,
    statements sent in mass, a promise's last paused day, Customer
    Accounts' next reminder and the company's today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.controller = cls._user(
            "rules_paths_controller",
            "account.group_account_invoice,account_dunning.group_dunning_user",
        )
        cls.settings_admin = cls._user(
            "rules_paths_admin", "account.group_account_manager,base.group_system"
        )
        cls.Customer = cls.env["account.dunning.customer"]

    def _row(self, partner):
        self.Customer.invalidate_model()
        return self.Customer.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def _reminders(self, partner, **domain):
        return self.env["account.dunning"].search(
            [("partner_id", "=", partner.id)] + [(key, "=", value) for key, value in domain.items()]
        )

    def _plan(self, name, levels, **values):
        return self.env["account.dunning.plan"].create(
            {
                "name": name,
                "company_id": self.company.id,
                "partner_type": values.pop("partner_type", "all"),
                "level_ids": [
                    Command.create(
                        {
                            "name": level_name,
                            "days": days,
                            "send_email": True,
                            "auto_send": True,
                            "attach_invoices": False,
                        }
                    )
                    for level_name, days in levels
                ],
                **values,
            }
        )

    # ------------------------------------------------------------------
    # The plan in use
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_default_plan_changed_in_the_settings_moves_the_open_invoices(self):
        self.customer.dunning_mode = "automatic"
        fast = self._plan("Fast", [("Quick reminder", 3)])
        quick = fast.level_ids
        # 5 days late: the old default plan advises its pre-reminder only
        invoice = self._invoice(100, "2026-04-15")
        self.assertEqual(invoice.dunning_plan_id, self.plan)
        settings = Form(self.env["res.config.settings"].with_user(self.settings_admin))
        settings.dunning_default_plan_id = fast
        settings.save().execute()
        # the invoice, the customer's form and Customer Accounts agree
        self.assertEqual(invoice.dunning_plan_id, fast)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_effective_plan_id, fast)
        self.assertEqual(self._row(self.customer).plan_id, fast)
        self.assertEqual(self._state(invoice).dunning_advised_level_id, quick)
        # the daily job reminds on the new plan's days
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        reminder = self._reminders(self.customer)
        self.assertEqual(reminder.level_id, quick)
        self.assertEqual(invoice.dunning_level_id, quick)
        # a customer type with a plan of its own, then a plan's type changed
        public = self._plan("Public bodies", [("Public reminder", 30)], partner_type="public")
        self.customer.dunning_customer_type = "public"
        self.assertEqual(invoice.dunning_plan_id, public)
        self.assertEqual(self._row(self.customer).plan_id, public)
        public.partner_type = "individual"
        self.assertEqual(invoice.dunning_plan_id, fast)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_effective_plan_id, fast)
        self.assertEqual(self._row(self.customer).plan_id, fast)

    # ------------------------------------------------------------------
    # A cancel is a "no" for its invoices at its level
    # ------------------------------------------------------------------

    def _check_cancel_then_later_invoice(self, one_level_at_a_time):
        plan = self._plan(
            "Slow",
            [("First notice", 10), ("Last notice", 90)],
            one_level_at_a_time=one_level_at_a_time,
        )
        first = plan.level_ids.sorted("days")[0]
        self.customer.dunning_plan_id = plan
        self.customer.dunning_mode = "automatic"
        Dunning = self.env["account.dunning"]
        with freeze_time("2026-01-16"):
            january = self._invoice(100, "2026-01-05")
            Dunning._cron_process_reminders(companies=self.company)
            cancelled = self._reminders(self.customer)
            self.assertEqual(cancelled.level_id, first)
            cancelled.with_user(self.controller).action_cancel()
            self.assertFalse(january.dunning_level_id)
        with freeze_time("2026-03-12"):
            # 11 days late: its first level; January's invoice is still at its first
            march = self._invoice(200, "2026-03-01", invoice_date="2026-02-01")
            Dunning._cron_process_reminders(companies=self.company)
            sent = self._reminders(self.customer, state="sent")
            self.assertEqual(len(sent), 1)
            self.assertEqual(sent.level_id, first)
            self.assertEqual(sent.line_ids.move_id, march)
            self.assertEqual(march.dunning_level_id, first)
            # the cancelled invoice is left to a human at that level
            self.assertFalse(january.dunning_level_id)
            self.assertTrue(self._job_activities(self.customer))

    def test_cancel_holds_its_invoices_not_the_later_ones(self):
        self._check_cancel_then_later_invoice(one_level_at_a_time=False)

    def test_cancel_holds_its_invoices_one_level_at_a_time(self):
        self._check_cancel_then_later_invoice(one_level_at_a_time=True)

    # ------------------------------------------------------------------
    # Logged calls
    # ------------------------------------------------------------------

    def _dispute(self, invoice):
        self.env["account.dunning.dispute"].create({"move_id": invoice.id, "reason": "other"})

    @freeze_time("2026-04-20")
    def test_logged_call_keeps_the_rules_but_interval_dispute_promise(self):
        self.company.write({"dunning_exclude_direct_debit": True, "dunning_min_amount": 50})
        debit_line = self.company_data["default_journal_bank"].inbound_payment_method_line_ids[:1]
        debit_line.dunning_direct_debit = True
        debit = self._invoice(300, "2026-04-05", post=False)
        debit.preferred_payment_method_line_id = debit_line
        debit.action_post()
        small = self._invoice(20, "2026-04-05")
        disputed = self._invoice(300, "2026-04-05")
        for invoice in debit + small + disputed:
            self._dispute(invoice)
        # a disputed direct-debit invoice: no call moves it, on any path
        with self.assertRaisesText(UserError, "direct debit"):
            debit.with_user(self.controller).action_dunning_log_call()
        with self.assertRaisesText(UserError, "below the minimum"):
            small.with_user(self.controller).action_dunning_log_call()
        Engine = self.env["account.dunning.engine"].with_user(self.controller)
        reminders, skipped = Engine._create_reminders_report(
            [
                {
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "currency_id": debit.currency_id.id,
                    "level_id": self.first.id,
                    "move_ids": (debit + small).ids,
                    "move_level": True,
                    "call_outcome": "no_answer",
                }
            ]
        )
        self.assertFalse(reminders)
        self.assertTrue(skipped)
        self.assertFalse((debit + small).dunning_level_id)
        # a disputed invoice alone: the call is a fact, it logs and moves it
        action = disputed.with_user(self.controller).action_dunning_log_call()
        wizard = (
            self.env["account.dunning.call.wizard"]
            .with_user(self.controller)
            .browse(action["res_id"])
        )
        self.assertEqual(wizard.move_ids, disputed)
        with Form(wizard) as form:
            form.move_level = True
        wizard.action_log()
        self.assertEqual(disputed.dunning_level_id, self.first)
        self.assertEqual(self._reminders(self.customer).line_ids.move_id, disputed)

    # ------------------------------------------------------------------
    # Statements sent in mass
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_statements_sent_in_mass_leave_out_blocked_and_bounced(self):
        Partner = self.env["res.partner"]
        blocked = Partner.create(
            {"name": "Bloqué SA", "is_company": True, "email": "compta@bloque.test"}
        )
        blocked.dunning_blocked = True
        bounced = Partner.create(
            {"name": "Rebond SARL", "is_company": True, "email": "compta@rebond.test"}
        )
        for customer in self.customer + blocked + bounced:
            self._invoice(100, "2026-04-05", partner=customer)
        reminder = self._remind(bounced.invoice_ids)
        reminder.sudo().email_state = "bounced"
        customers = self.customer + blocked + bounced
        rows = self.Customer.with_user(self.controller).search(
            [("partner_id", "in", customers.ids)]
        )
        self.assertEqual(rows.partner_id, customers)
        action = rows.action_send_statement()
        wizard = (
            self.env["account.dunning.statement.wizard"]
            .with_user(self.controller)
            .browse(action["res_id"])
        )
        # said before sending
        self.assertIn("Bloqué SA", wizard.left_out_note)
        self.assertIn("Rebond SARL", wizard.left_out_note)
        self.assertNotIn(self.customer.name, wizard.left_out_note)
        result = wizard.action_send()
        # and after: who was left out, and why
        self.assertEqual(result["params"]["type"], "warning")
        message = result["params"]["message"]
        self.assertIn("Statements sent: 1", message)
        self.assertIn("Bloqué SA (Customer: Do Not Remind)", message)
        self.assertIn("Rebond SARL (Email bounced)", message)

        def statements(partner):
            return self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("name", "like", "Statement"),
                ]
            )

        self.assertTrue(statements(self.customer))
        self.assertFalse(statements(blocked))
        self.assertFalse(statements(bounced))
        # printing stays possible for all of them
        printed = wizard.action_print()
        self.assertEqual(set(printed["context"]["active_ids"]), set(customers.ids))
        # nobody left to send to: said, nothing sent
        alone = self.env["account.dunning.statement.wizard"].with_user(self.controller)
        alone = alone.create({"partner_ids": [Command.set(blocked.ids)]})
        with self.assertRaisesText(UserError, "Bloqué SA"):
            alone.action_send()

    # ------------------------------------------------------------------
    # Promise dates
    # ------------------------------------------------------------------

    def test_promise_last_paused_day_and_first_free_day(self):
        self.company.dunning_promise_grace_days = 3
        self.plan.level_ids.write({"auto_send": True})
        self.customer.dunning_mode = "automatic"
        self.customer.dunning_responsible_id = self.controller
        with freeze_time("2026-12-10"):
            invoice = self._invoice(1000, "2026-11-20")
            action = self.customer.with_user(self.controller).action_dunning_promise()
            Promise = self.env["account.dunning.promise"].with_user(self.controller)
            with Form(Promise.with_context(**action["context"])) as form:
                form.date = date(2026, 12, 15)
            promise = form.record
            # paused through 15 December + 3 grace days; free on the 19th
            self.assertEqual(promise.date_until, date(2026, 12, 18))
            self.assertIn("no reminder before 12/19/2026", invoice.message_ids[0].body)
        with freeze_time("2026-12-18"):  # the last paused day
            self._state(invoice)
            self.assertFalse(invoice.dunning_to_remind)
            self.assertEqual(invoice.dunning_next_date, date(2026, 12, 19))
            with self.assertRaisesText(UserError, "no reminder before 12/19/2026"):
                invoice.with_user(self.controller).action_dunning_remind_email()
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            self.assertEqual(promise.state, "open")
            self.assertFalse(self._reminders(self.customer))
        with freeze_time("2026-12-19"):  # the first free day
            self._state(invoice)
            self.assertTrue(invoice.dunning_to_remind)
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            self.assertEqual(promise.state, "broken")
            self.assertEqual(self._reminders(self.customer).line_ids.move_id, invoice)

    # ------------------------------------------------------------------
    # Customer Accounts: the worklist's next date, the company's today
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_customer_accounts_next_reminder_is_the_worklist_one(self):
        self.company.write({"dunning_min_interval_days": 7, "dunning_promise_grace_days": 3})
        Partner = self.env["res.partner"]
        recent, promised, young, blocked = Partner.create(
            [
                {"name": name, "is_company": True, "email": f"{key}@next.test"}
                for key, name in (
                    ("recent", "Reminded Recently"),
                    ("promised", "Promised"),
                    ("young", "Not Yet Due"),
                    ("blocked", "Do Not Remind"),
                )
            ]
        )
        blocked.dunning_blocked = True
        reminded = self._invoice(100, "2026-04-05", partner=recent)
        self._remind(reminded)  # first reminder today: not again before 27 April
        self._invoice(50, "2026-04-15", partner=recent)
        promise_invoice = self._invoice(200, "2026-04-05", partner=promised)
        self.env["account.dunning.promise"].create(
            {
                "partner_id": promised.id,
                "company_id": self.company.id,
                "move_ids": [Command.set(promise_invoice.ids)],
                "date": "2026-04-24",
                "amount": 200,
            }
        )
        self._invoice(300, "2026-05-10", partner=young, invoice_date="2026-04-10")
        self._invoice(400, "2026-04-05", partner=blocked)
        expected = {
            # the second reminder is due on 25 April, the interval says 27
            recent: date(2026, 4, 27),
            # paused through 27 April (24 + 3 grace days)
            promised: date(2026, 4, 28),
            # the pre-reminder, 5 days before the due date
            young: date(2026, 5, 5),
            # the worklist shows the pre-reminder's day, passed
            blocked: date(2026, 3, 31),
        }
        for partner, next_date in expected.items():
            invoices = self._state(partner.invoice_ids)
            worklist = min(invoices.filtered("dunning_next_date").mapped("dunning_next_date"))
            self.assertEqual(worklist, next_date, partner.name)
            self.assertEqual(self._row(partner).next_dunning_date, next_date, partner.name)

    def test_aging_and_customer_accounts_age_on_the_company_day(self):
        """A company in Paris at 23:30 UTC on 31 January: it is 1 February
        there, for the worklist, the aging and Customer Accounts alike
        (the database's date, whatever it is, plays no part)."""
        self.company.partner_id.tz = "Europe/Paris"
        today = date(2026, 2, 1)
        with freeze_time("2026-01-31 23:30:00"):
            self.assertEqual(self.env["account.dunning.engine"]._get_today(self.company), today)
            invoices = {
                days: self._invoice(
                    days + 2, today - timedelta(days=days), invoice_date=date(2025, 10, 1)
                )
                for days in (-1, 0, 1, 30, 31, 60, 61, 90, 91)
            }
            Aging = self.env["account.dunning.aging"]
            for days, invoice in invoices.items():
                self.assertEqual(self._state(invoice).dunning_days_overdue, days)
                item = Aging.search([("move_id", "=", invoice.id)])
                self.assertEqual(item.days_late, days)
                # the SQL bucket is the Python one
                self.assertEqual(item.bucket, _get_aging_bucket(days), days)
            row = self._row(self.customer)
            self.assertEqual(row.amount_not_due, 1 + 2)
            self.assertEqual(row.amount_1_30, 3 + 32)
            self.assertEqual(row.amount_31_60, 33 + 62)
            self.assertEqual(row.amount_61_90, 63 + 92)
            self.assertEqual(row.amount_over_90, 93)
            self.assertEqual(row.overdue_count, 7)

    # ------------------------------------------------------------------
    # The responsible
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_responsible_is_the_same_in_every_screen(self):
        Partner = self.env["res.partner"]
        gone = self._user("rules_paths_gone", "account_dunning.group_dunning_user")
        salesman = self._user("rules_paths_salesman", "base.group_user")
        portal = new_test_user(self.env, login="rules_paths_portal", groups="base.group_portal")
        self._user("rules_paths_manager", "account_dunning.group_dunning_manager")
        own, left, sold, shared, nobody = Partner.create(
            [
                {"name": name, "is_company": True}
                for name in ("Own", "Left", "Sold", "Shared", "Nobody")
            ]
        )
        own.dunning_responsible_id = self.controller
        left.dunning_responsible_id = gone
        gone.active = False
        sold.user_id = salesman
        shared.user_id = portal
        customers = own + left + sold + shared + nobody
        for customer in customers:
            self._invoice(100, "2026-04-05", partner=customer)
        Aging = self.env["account.dunning.aging"]
        for company_responsible in (False, self.settings_admin):
            self.company.dunning_responsible_id = company_responsible
            expected = customers._get_dunning_responsibles(self.company)
            Aging.invalidate_model()
            self.assertEqual(expected[own.id], self.controller)
            self.assertNotEqual(expected[left.id], gone)
            for customer in customers:
                self.assertEqual(
                    self._row(customer).responsible_id, expected[customer.id], customer.name
                )
                self.assertEqual(
                    Aging.search([("partner_id", "=", customer.id)]).responsible_id,
                    expected[customer.id],
                    customer.name,
                )
