# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningTour(DunningCommon, HttpCase):
    """Each screen in a real browser, as a credit controller clicks it,
    then what the clicks did, read from the database.

    The browser runs on the real clock, so the invoices are dated from
    today rather than a frozen date."""

    def test_workbench_tour(self):
        self.plan.level_ids.write({"attach_invoices": False})
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "is_company": True, "street": "2 rue", "city": "Rouen"}
        )
        today = fields.Date.context_today(self.env["res.partner"])
        invoices = self.env["account.move"]
        for days_late, amount in ((25, 300), (12, 200), (3, 100)):
            invoices |= self._invoice(amount, today - timedelta(days=days_late), partner=customer)
        self.start_tour("/odoo", "account_dunning_workbench_tour", login=self.env.user.login)
        reminder = self.env["account.dunning"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "sent")
        self.assertTrue(reminder.send_letter)
        self.assertFalse(reminder.send_email)
        self.assertEqual(reminder.line_ids.move_id, invoices[:2])
        self.assertEqual(reminder.level_id, self.second)
        self.assertEqual(invoices[0].dunning_level_id, self.second)
        # 12 days late: not late enough for the second reminder, it gets the first
        self.assertEqual(invoices[1].dunning_level_id, self.first)
        self.assertFalse(invoices[2].dunning_level_id)
        self.assertEqual(invoices[0].dunning_count, 1)

    # ------------------------------------------------------------------
    # One tour per screen
    # ------------------------------------------------------------------

    def _today(self):
        return fields.Date.context_today(self.env["res.partner"])

    def _late_invoice(self, amount, days_late, partner):
        """A posted invoice ``days_late`` days past its due date today
        (negative: due in that many days)."""
        return self._invoice(amount, self._today() - timedelta(days=days_late), partner=partner)

    def _customer(self, name, **values):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "street": "2 rue", "city": "Rouen", **values}
        )

    def test_plan_tour(self):
        """Configuration > Reminder Plans: a plan of three levels typed in
        its list; two levels on the same day and a formal notice before the
        due date are refused with a message, and leave the plan as saved."""
        manager = self._user("tour_plan_manager", "account.group_account_manager")
        # the unique (plan, days) constraint is the database's: it logs the
        # refused query before the user reads the message
        with mute_logger("odoo.sql_db"):
            self.start_tour("/odoo", "account_dunning_plan_tour", login=manager.login)
        plan = self.env["account.dunning.plan"].search([("name", "=", "Tour Plan")])
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.partner_type, "company")
        self.assertEqual(plan.create_uid, manager)
        levels = plan.level_ids.sorted("days")
        self.assertEqual(
            levels.mapped("name"), ["Tour Reminder", "Tour Second Reminder", "Tour Formal Notice"]
        )
        self.assertEqual(levels.mapped("days"), [10, 25, 45])
        self.assertEqual(levels.mapped("send_email"), [True, True, False])
        self.assertEqual(levels.mapped("send_letter"), [False, True, True])
        self.assertEqual(levels.mapped("letter_kind"), ["simple", "simple", "formal_notice"])
        # a level sending emails has its email
        self.assertTrue(all(levels[:2].mapped("mail_template_id")))

    def test_partner_tour(self):
        """The customer's tab shows the plan for its type and says so; Remind
        by Letter opens the workbench prepared, and creates the letter."""
        self.plan.level_ids.write({"attach_invoices": False})
        type_plan = self.env["account.dunning.plan"].create(
            {
                "name": "Tour Companies Plan",
                "partner_type": "company",
                "level_ids": [
                    Command.create({"name": "Tour first", "days": 10}),
                    Command.create({"name": "Tour second", "days": 20}),
                ],
            }
        )
        customer = self._customer("Tour Letter Customer")
        invoices = self._late_invoice(300, 25, customer) | self._late_invoice(200, 12, customer)
        self.assertEqual(customer.dunning_plan_origin, "type")
        user = self._user("tour_partner_user", "account.group_account_invoice")
        self.start_tour("/odoo", "account_dunning_partner_tour", login=user.login)
        reminder = self.env["account.dunning"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.create_uid, user)
        self.assertTrue(reminder.send_letter)
        self.assertFalse(reminder.send_email)
        self.assertEqual(reminder.letter_state, "to_post")
        self.assertEqual(reminder.plan_id, type_plan)
        self.assertEqual(reminder.level_id.name, "Tour second")
        self.assertEqual(reminder.line_ids.move_id, invoices)

    def test_invoice_tour(self):
        """The invoice's tab: a call logged from it is kept as a reminder,
        and moves the invoice to the level the call counts as."""
        customer = self._customer("Tour Call Customer", email="ap@call.test")
        invoice = self._late_invoice(100, 15, customer)
        user = self._user("tour_invoice_user", "account.group_account_invoice")
        self.start_tour("/odoo", "account_dunning_invoice_tour", login=user.login)
        call = self.env["account.dunning"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(call), 1)
        self.assertEqual(call.call_outcome, "disputed")
        # one invoice discussed: that is the one the customer disputes
        dispute = self.env["account.dunning.dispute"].search([("move_id", "=", invoice.id)])
        self.assertEqual(dispute.state, "open")
        self.assertEqual(call.comment, "The delivery was incomplete")
        self.assertEqual(call.create_uid, user)
        self.assertEqual(call.line_ids.move_id, invoice)
        self.assertFalse(call.send_email or call.send_letter)
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(invoice.dunning_count, 1)

    def test_worklist_tour_in_french(self):
        """In French: the worklist's Prepare Reminders with nothing ticked
        opens the workbench on its filter; the reminder created goes to the
        letters to post, where it is marked posted."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self.plan.level_ids.write({"attach_invoices": False})
        customer = self._customer("Quincaillerie Martin", lang="fr_FR")
        late = self._late_invoice(300, 25, customer) | self._late_invoice(200, 12, customer)
        not_due = self._late_invoice(100, -10, customer)
        user = self._user("tour_fr_user", "account.group_account_invoice")
        user.lang = "fr_FR"
        # the priorities of the worklist, as the daily job leaves them
        self.env["res.partner"]._dunning_refresh_payment_behaviour()
        self.start_tour("/odoo", "account_dunning_worklist_tour", login=user.login)
        # the worklist's filter (late invoices) made the workbench's list
        # the workbench is its user's own
        workbench = self.env["account.dunning.wizard"].with_user(user).search([])
        self.assertEqual(len(workbench), 1)
        self.assertEqual(workbench.line_ids.move_id, late)
        reminder = self.env["account.dunning"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.line_ids.move_id, late)
        self.assertTrue(reminder.send_letter)
        self.assertEqual(reminder.letter_state, "posted")
        self.assertEqual(reminder.letter_posted_date, self._today())
        self.assertEqual(late.dunning_level_id, self.first | self.second)
        self.assertFalse(not_due.dunning_level_id)

    def test_cancel_tour(self):
        """Cancelling a reminder from the history, after a first "Keep the
        Reminder": the invoice gets its previous level back."""
        self.plan.level_ids.write({"attach_invoices": False})
        customer = self._customer("Tour Cancel Customer", email="ap@cancel.test")
        today = self._today()
        with freeze_time(today - timedelta(days=12)):
            invoice = self._invoice(100, today - timedelta(days=25), partner=customer)
            first = self._remind(self._state(invoice))
        second = self._remind(self._state(invoice))
        self.assertEqual((first.level_id, second.level_id), (self.first, self.second))
        self.assertEqual(invoice.dunning_level_id, self.second)
        user = self._user("tour_cancel_user", "account.group_account_invoice")
        self.start_tour("/odoo", "account_dunning_cancel_tour", login=user.login)
        self.assertEqual(second.state, "cancel")
        self.assertEqual(first.state, "sent")
        self._state(invoice).invalidate_recordset(["dunning_level_id", "dunning_count"])
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(invoice.dunning_count, 1)

    def test_settings_tour(self):
        """Settings: Dry Run shows, unsent, what the daily job would send
        (the automatic customer's reminder only); Run Now asks, then
        triggers the job for the user."""
        self.first.auto_send = True
        automatic = self._customer("Tour Automatic Customer", email="ap@auto.test")
        automatic.with_company(self.company).dunning_mode = "automatic"
        manual = self._customer("Tour Manual Customer", email="ap@manual.test")
        invoices = self._late_invoice(100, 15, automatic) | self._late_invoice(100, 15, manual)
        cron = self.env.ref("account_dunning.ir_cron_dunning")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        # the test company has cash basis taxes: without the setting that
        # goes with them, the settings open on a warning about it
        self.company.tax_exigibility = True
        admin = self._user("tour_settings_admin", "base.group_system,account.group_account_manager")
        self.start_tour("/odoo", "account_dunning_settings_tour", login=admin.login)
        dry_run = self.env["account.dunning.wizard"].with_user(admin).search([])
        self.assertEqual(len(dry_run), 1)
        self.assertTrue(dry_run.dry_run)
        self.assertEqual(dry_run.proposal_ids.partner_id, automatic)
        # nothing sent: the dry run and the job's trigger only
        self.assertFalse(
            self.env["account.dunning"].search([("partner_id", "in", invoices.partner_id.ids)])
        )
        self.assertFalse(invoices.dunning_level_id)
        self.assertEqual(self.company.dunning_run_requested_uid, admin)
        self.assertEqual(len(Trigger.search([("cron_id", "=", cron.id)]) - triggers), 1)

    def test_customer_accounts_tour(self):
        """Customer Accounts: the red and green marks, an account statement
        printed for one customer, then both customers reminded in one go
        through the workbench."""
        self.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        green = self._customer("Tour Accounts Green", email="ap@green.test")
        red = self._customer("Tour Accounts Red")
        late = self._late_invoice(300, 15, green) | self._late_invoice(200, 15, red)
        user = self._user("tour_accounts_user", "account.group_account_invoice")
        user.groups_id |= self.env.ref("account_dunning.group_dunning_user")
        Report = type(self.env["ir.actions.report"])
        original = Report._render_qweb_pdf
        printed = []

        def render(report, report_ref, res_ids=None, data=None):
            name = self.env["ir.actions.report"]._get_report(report_ref).report_name
            # printed with data, the client sends the ids in the data
            printed.append((name, res_ids or (data or {}).get("partner_ids")))
            return original(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_render_qweb_pdf", render):
            self.start_tour("/odoo", "account_dunning_customer_tour", login=user.login)
        self.assertIn(
            ("account_dunning.report_dunning_statement_activity", [green.id]),
            [(name, list(ids or [])) for name, ids in printed],
        )
        reminders = self.env["account.dunning"].search([("partner_id", "in", (green | red).ids)])
        self.assertEqual(reminders.partner_id, green | red)
        self.assertEqual(set(reminders.mapped("state")), {"sent"})
        self.assertEqual(late.dunning_level_id, self.first)
        # the customer without email got a letter
        self.assertTrue(reminders.filtered(lambda r: r.partner_id == red).send_letter)
