# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import zipfile
from datetime import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import DunningCommon

LETTER_REPORT = "account_dunning.action_report_dunning_letter"


@tagged("post_install", "-at_install")
class TestDunningEngineRules(DunningCommon):
    """Every rule holds on every path: the workbench, the quick buttons,
    logged calls, the engine called directly and the daily job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.user = cls._user("rules_controller", "account.group_account_invoice")
        cls.blocked = cls.env["res.partner"].create(
            {"name": "Bloqué SA", "is_company": True, "email": "b@bloque.test"}
        )
        cls.blocked.dunning_blocked = True

    def _workbench(self):
        wizard = self.env["account.dunning.wizard"].with_user(self.user).create({})
        wizard.action_search()
        return wizard

    @freeze_time("2026-04-20")
    def test_select_all_leaves_out_blocked_customer_and_invoice(self):
        good = self._invoice(100, "2026-04-05")
        blocked_invoice = self._invoice(150, "2026-04-05")
        blocked_invoice.dunning_blocked = True
        blocked_customer = self._invoice(200, "2026-04-05", partner=self.blocked)
        wizard = self._workbench()
        lines = wizard.line_ids
        self.assertEqual(set(lines.move_id.ids), {good.id, blocked_invoice.id, blocked_customer.id})
        # shown greyed with the reason, not selected
        refusals = {line.move_id: line.refusal for line in lines}
        self.assertIn("Do Not Remind", refusals[blocked_invoice])
        self.assertIn("Do Not Remind", refusals[blocked_customer])
        self.assertFalse(refusals[good])
        wizard.action_select_all()
        self.assertEqual(wizard.selected_count, 3)
        wizard.action_prepare()
        self.assertEqual(wizard.proposal_ids.move_ids, good)
        self.assertIn(blocked_invoice.name, wizard.refused_note)
        self.assertIn(blocked_customer.name, wizard.refused_note)
        wizard.action_create()
        self.assertEqual(wizard.dunning_ids.line_ids.move_id, good)
        self.assertFalse(blocked_invoice.dunning_level_id)
        self.assertFalse(blocked_customer.dunning_level_id)

    @freeze_time("2026-04-20")
    def test_quick_buttons_and_calls_refuse_a_blocked_customer(self):
        invoice = self._invoice(200, "2026-04-05", partner=self.blocked)
        with self.assertRaisesText(UserError, "Do Not Remind"):
            invoice.with_user(self.user).action_dunning_remind_email()
        with self.assertRaisesText(UserError, "Do Not Remind"):
            self.blocked.with_user(self.user).action_dunning_remind_letter()
        with self.assertRaisesText(UserError, "Do Not Remind"):
            invoice.with_user(self.user).action_dunning_log_call()

    @freeze_time("2026-04-20")
    def test_engine_refuses_whatever_the_proposal_says(self):
        """A proposal built by hand (another module, an RPC call) goes
        through the same rules."""
        self.company.write({"dunning_min_amount": 50, "dunning_exclude_direct_debit": True})
        ok = self._invoice(100, "2026-04-05")
        small = self._invoice(20, "2026-04-05")
        blocked = self._invoice(100, "2026-04-05")
        blocked.dunning_blocked = True
        debit_line = self.company_data["default_journal_bank"].inbound_payment_method_line_ids[:1]
        debit_line.dunning_direct_debit = True
        debit = self._invoice(100, "2026-04-05")
        debit.preferred_payment_method_line_id = debit_line
        Engine = self.env["account.dunning.engine"].with_user(self.user)
        proposal = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "currency_id": ok.currency_id.id,
            "level_id": self.first.id,
            "move_ids": (ok + small + blocked + debit).ids,
            "send_email": True,
        }
        reminders, skipped = Engine._create_reminders_report([proposal])
        self.assertEqual(reminders.line_ids.move_id, ok)
        self.assertFalse(skipped)
        # the minimum interval: the customer was reminded today
        other = self._invoice(100, "2026-04-06")
        reminders, skipped = Engine._create_reminders_report([dict(proposal, move_ids=other.ids)])
        self.assertFalse(reminders)
        self.assertIn("Reminded recently", skipped[0][1])
        # never above the level the invoices call for
        fresh = self.env["res.partner"].create({"name": "Fresh", "email": "f@f.test"})
        young = self._invoice(100, "2026-04-05", partner=fresh)
        reminders, skipped = Engine._create_reminders_report(
            [
                dict(
                    proposal,
                    partner_id=fresh.id,
                    move_ids=young.ids,
                    level_id=self.notice.id,
                )
            ]
        )
        self.assertFalse(reminders)
        self.assertFalse(young.dunning_level_id)

    @freeze_time("2026-04-20")
    def test_not_yet_due_invoice_in_a_formal_notice(self):
        self.company.country_id = self.env.ref("base.fr")  # the French legal wording
        late = self._invoice(1000, "2026-03-04")  # 47 days late: formal notice
        late.sudo().dunning_level_id = self.second  # after a second reminder
        coming = self._invoice(300, "2026-04-30")  # due in 10 days: no level reached
        wizard = (
            self.env["account.dunning.wizard"]
            .with_user(self.user)
            .create({"include_not_due": True})
        )
        wizard.action_search()
        wizard.action_select_all()
        wizard.action_prepare()
        self.assertEqual(wizard.proposal_ids.level_id, self.notice)
        self.assertEqual(wizard.proposal_ids.move_ids, late + coming)
        wizard.action_create()
        reminder = wizard.dunning_ids
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(late.dunning_level_id, self.notice)
        self.assertFalse(coming.dunning_level_id)
        self.assertEqual(coming.dunning_count, 0)
        line = reminder.line_ids.filtered(lambda rl: rl.move_id == coming)
        self.assertTrue(line.is_coming_due)
        self.assertFalse(line.is_counted)
        self.assertEqual(reminder.amount_overdue, 1000)
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, reminder.ids)[0]
        html = html.decode()
        # one indemnity: the invoice not yet due carries none
        self.assertIn("that is 40 EUR", html)
        self.assertNotIn("that is 80 EUR", html)
        self.assertIn("coming due", html)
        self.assertIn(coming.name, html)
        body = reminder.mail_id.body_html
        self.assertIn("coming due", body)

    @freeze_time("2026-04-20")
    def test_invoice_moves_only_to_a_level_it_reached(self):
        late = self._invoice(100, "2026-03-15")  # 36 days: second reminder
        young = self._invoice(100, "2026-04-08")  # 12 days: first reminder
        reminder = self._remind(late + young)
        self.assertEqual(reminder.level_id, self.second)
        self.assertEqual(late.dunning_level_id, self.second)
        self.assertEqual(young.dunning_level_id, self.first)
        self.assertEqual(young.dunning_count, 1)

    @freeze_time("2026-04-20")
    def test_call_after_an_email_the_same_day(self):
        invoice = self._invoice(100, "2026-04-05")
        email = self._remind(invoice)
        self.assertEqual(email.state, "sent")
        action = invoice.with_user(self.user).action_dunning_log_call()
        wizard = (
            self.env["account.dunning.call.wizard"].with_user(self.user).browse(action["res_id"])
        )
        with Form(wizard) as form:
            form.outcome = "no_answer"
        wizard.action_log()
        call = self.env["account.dunning"].search(
            [("partner_id", "=", self.customer.id), ("call_outcome", "=", "no_answer")]
        )
        self.assertEqual(call.state, "sent")
        self.assertEqual(call.line_ids.move_id, invoice)
        # the call is recorded (seed 002: count and last date), the level stays
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(invoice.dunning_count, 2)
        self.assertEqual(str(invoice.dunning_last_date), "2026-04-20")

    @freeze_time("2026-04-20")
    def test_call_moves_the_level_when_the_user_says_so(self):
        invoice = self._invoice(100, "2026-03-25")  # 26 days: second reminder
        action = invoice.with_user(self.user).action_dunning_log_call()
        wizard = (
            self.env["account.dunning.call.wizard"].with_user(self.user).browse(action["res_id"])
        )
        with Form(wizard) as form:
            form.outcome = "promised"
            form.promise_date = "2026-04-30"
            form.level_id = self.second
            form.move_level = True
        wizard.action_log()
        self.assertEqual(invoice.dunning_level_id, self.second)
        self.assertEqual(invoice.dunning_count, 1)

    @freeze_time("2026-04-20")
    def test_contact_and_email_of_a_proposal(self):
        invoice = self._invoice(100, "2026-04-05")
        stranger = self.env["res.partner"].create({"name": "Stranger", "email": "s@s.test"})
        proposal = self.env["account.dunning"]._prepare_proposals(invoice)[0]
        with self.assertRaisesText(UserError, "is not a contact of"):
            self.env["account.dunning"]._create_reminders([dict(proposal, contact_id=stranger.id)])
        # another address for this reminder only
        reminder = self.env["account.dunning"]._create_reminders(
            [dict(proposal, email="other@dupont.test")]
        )
        self.assertEqual(reminder.email, "other@dupont.test")
        self.assertEqual(reminder.mail_id.email_to, "other@dupont.test")
        self.assertEqual(self.customer.email, "compta@dupont.test")

    @freeze_time("2026-04-20")
    def test_email_saved_on_the_contact_when_asked(self):
        # saving on the contact takes the right to edit contacts
        self.user.groups_id += self.env.ref("base.group_partner_manager")
        self.customer.email = False
        invoice = self._invoice(100, "2026-04-05")
        wizard = self._workbench()
        wizard.action_prepare()
        with Form(wizard) as form, form.proposal_ids.edit(0) as row:
            row.email = "new@dupont.test"
            row.save_email = True
        wizard.action_create()
        self.assertEqual(self.customer.email, "new@dupont.test")
        self.assertTrue(wizard.dunning_ids.send_email)
        self.assertEqual(wizard.dunning_ids.line_ids.move_id, invoice)

    def test_partner_reminder_settings_need_reminder_rights(self):
        employee = self._user("partner_editor", "base.group_user,base.group_partner_manager")
        self.customer.with_user(employee).write({"phone": "0102030405"})
        with self.assertRaises(AccessError):
            self.customer.with_user(employee).write({"dunning_blocked": True})
        self.customer.with_user(self.user).write({"dunning_blocked": True})
        self.assertTrue(self.customer.dunning_blocked)


@tagged("post_install", "-at_install")
class TestDunningLifecycle(DunningCommon):
    """What a reminder did, what a failure or a cancel undoes, and the
    letters waiting for the post."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.user = cls._user("lifecycle_controller", "account.group_account_invoice")
        cls.postal = cls.env["res.partner"].create(
            {"name": "Lettre SARL", "is_company": True, "street": "1 rue", "city": "Caen"}
        )

    @freeze_time("2026-04-20")
    def test_cancel_withdraws_the_queued_email(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        mail = reminder.mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(reminder.email_state, "queued")
        reminder.with_user(self.user).action_cancel()
        self.assertEqual(mail.state, "cancel")
        self.assertEqual(reminder.email_state, "cancel")
        self.assertFalse(invoice.dunning_level_id)
        self.assertIn("withdrawn from the outgoing queue", reminder.message_ids[0].body)
        self.assertIn(f"Reminder {reminder.name} cancelled", invoice.message_ids[0].body)
        with self.assertRaises(UserError):
            reminder.action_print_letter()

    @freeze_time("2026-04-20")
    def test_email_failure_after_the_letter_keeps_the_levels(self):
        self.second.write({"send_email": True, "send_letter": True})
        invoice = self._invoice(100, "2026-03-25")  # second reminder: email and letter
        reminder = self._remind(invoice)
        self.assertEqual(reminder.letter_state, "to_post")
        self._fail_delivery(reminder)
        self.assertEqual(reminder.email_state, "failed")
        self.assertEqual(reminder.state, "sent")  # the letter went out
        self.assertEqual(invoice.dunning_level_id, self.second)
        self.assertIn("other channels went out", reminder.message_ids[0].body)

    @freeze_time("2026-04-20")
    def test_post_bundle_holds_only_letters_to_post(self):
        self.second.write({"send_email": False, "send_letter": True})
        by_email = self._remind(self._invoice(100, "2026-04-05"))  # email, letter attached
        by_letter = self._remind(self._invoice(100, "2026-03-25", partner=self.postal))
        self.assertTrue(by_email.letter_attachment_id)
        self.assertFalse(by_email.letter_state)
        self.assertEqual(by_letter.letter_state, "to_post")
        Dunning = self.env["account.dunning"].with_user(self.user)
        bundle = Dunning._get_letters_file(by_email + by_letter, "zip")
        with zipfile.ZipFile(io.BytesIO(bundle.raw)) as archive:
            self.assertEqual(archive.namelist(), [by_letter.letter_attachment_id.name])
        with self.assertRaisesText(UserError, "letter to post"):
            Dunning._get_letters_file(by_email, "zip")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_action_to_post"
        )
        to_post = Dunning.search(safe_eval(action["domain"]) + [("letter_state", "=", "to_post")])
        self.assertEqual(to_post, by_letter)
        by_letter.with_user(self.user).action_mark_posted()
        self.assertEqual(by_letter.letter_state, "posted")
        self.assertEqual(str(by_letter.letter_posted_date), "2026-04-20")
        by_letter.with_user(self.user).action_cancel()
        self.assertEqual(by_letter.letter_state, "posted")
        self.assertIn("already been posted", by_letter.message_ids[0].body)

    @freeze_time("2026-04-20")
    def test_sent_reminder_is_read_only(self):
        invoice = self._invoice(100, "2026-03-25")
        invoice.sudo().write({"dunning_level_id": self.first.id, "dunning_count": 1})
        reminder = self._remind(invoice).with_user(self.user)
        with self.assertRaisesText(UserError, "cannot be changed"):
            reminder.write({"level_id": self.notice.id})
        with self.assertRaises(AccessError):
            reminder.line_ids.write({"previous_level_id": self.notice.id, "previous_count": 9})
        with self.assertRaises(AccessError):
            reminder.line_ids.unlink()
        reminder.comment = "Called the accountant"
        reminder.action_cancel()
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(invoice.dunning_count, 1)


@tagged("post_install", "-at_install")
class TestDunningJobPeople(DunningCommon):
    """The daily job works for people: its activities go to an active
    user, its day is the company's, Run Now goes through the scheduler."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.controller = cls._user("job_controller", "account.group_account_invoice")
        cls.salesman = cls._user("job_salesman", "account.group_account_invoice")
        cls.manager = cls._user("job_manager", "account.group_account_manager,base.group_system")

    @freeze_time("2026-04-20")
    def test_job_activities_go_to_an_active_user(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Manuel {n}", "email": f"m{n}@m.test"} for n in range(3)]
        )
        for customer in customers:
            self._invoice(100, "2026-04-05", partner=customer)
        customers[0].dunning_responsible_id = self.controller
        customers[1].user_id = self.salesman
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.assertEqual(self._job_activities(customers[0]).user_id, self.controller)
        self.assertEqual(self._job_activities(customers[1]).user_id, self.salesman)
        fallback = self._job_activities(customers[2]).user_id
        self.assertTrue(fallback.active)
        self.assertNotEqual(fallback.id, SUPERUSER_ID)
        # a responsible set in the settings comes before the salesperson
        self._job_activities(customers).unlink()
        self.company.dunning_responsible_id = self.manager
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.assertEqual(self._job_activities(customers[1]).user_id, self.manager)
        self.assertEqual(self._job_activities(customers[2]).user_id, self.manager)

    def test_job_day_is_the_company_day(self):
        """A company in Paris (UTC+1 in winter): at 23:30 UTC on 31 January
        it is already 1 February in Paris; the job reminds as of 1 February,
        and the workbench of a Paris user the same morning does not remind
        again."""
        self.company.partner_id.tz = "Europe/Paris"
        self.company.dunning_min_interval_days = 0
        self.first.auto_send = True
        self.customer.dunning_mode = "automatic"
        with freeze_time("2026-01-22"):
            invoice = self._invoice(100, "2026-01-22")  # 10 days late on 1 February
        with freeze_time("2026-01-31 23:30:00"):
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        reminder = self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(str(reminder.date), "2026-02-01")
        self.assertEqual(str(invoice.dunning_last_date), "2026-02-01")
        self.controller.tz = "Europe/Paris"
        with freeze_time("2026-02-01 07:00:00"):
            Engine = self.env["account.dunning.engine"].with_user(self.controller)
            proposals = [
                {
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "currency_id": invoice.currency_id.id,
                    "level_id": self.first.id,
                    "move_ids": invoice.ids,
                    "send_email": True,
                }
            ]
            again, skipped = Engine._create_reminders_report(proposals)
        self.assertFalse(again)
        self.assertIn("Already reminded today", skipped[0][1])
        self.assertEqual(invoice.dunning_count, 1)

    @freeze_time("2026-04-20")
    def test_run_now_goes_through_the_scheduler(self):
        self.first.auto_send = True
        self.customer.dunning_mode = "automatic"
        self._invoice(100, "2026-04-05")
        settings = self.env["res.config.settings"].with_user(self.manager).create({})
        cron = self.env.ref("account_dunning.ir_cron_dunning")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        action = settings.action_dunning_run_now()
        self.assertEqual(action["tag"], "display_notification")
        # one trigger added by the button, for now
        added = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertEqual(len(added), 1)
        self.assertEqual(added.call_at, datetime(2026, 4, 20))
        self.assertFalse(self.env["account.dunning"].search([]))  # nothing ran in the request
        self.assertEqual(self.company.dunning_run_requested_uid, self.manager)
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.assertFalse(self.company.dunning_run_requested_uid)
        self.assertIn("Reminders sent: 1.", self.company.dunning_last_run_summary)
        self.assertTrue(self.company.dunning_last_run_date)

    def test_job_does_not_send_a_cancelled_level_again(self):
        """A cancel is a "no": the next run leaves that level to a human."""
        self.company.dunning_min_interval_days = 0
        self.first.auto_send = True
        self.second.auto_send = True
        self.customer.dunning_mode = "automatic"
        with freeze_time("2026-04-20"):
            invoice = self._invoice(100, "2026-04-05")
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            reminder = self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
            self.assertEqual(reminder.level_id, self.first)
            reminder.with_user(self.controller).action_cancel()
        with freeze_time("2026-04-21"):
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            reminders = self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
            self.assertEqual(reminders, reminder)  # nothing sent again
            self.assertTrue(self._job_activities(self.customer))
            self.assertFalse(invoice.dunning_level_id)
        with freeze_time("2026-04-26"):  # 21 days: the next level goes out
            self._job_activities(self.customer).unlink()
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            reminders = self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
            self.assertEqual(len(reminders), 2)
            self.assertEqual(invoice.dunning_level_id, self.second)

    @freeze_time("2026-04-20")
    def test_job_letters_wait_for_the_post(self):
        self.first.auto_send = True
        postal = self.env["res.partner"].create(
            {"name": "Sans Courriel", "is_company": True, "street": "3 rue", "city": "Lyon"}
        )
        postal.dunning_mode = "automatic"
        self._invoice(100, "2026-04-05", partner=postal)
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        reminder = self.env["account.dunning"].search([("partner_id", "=", postal.id)])
        self.assertTrue(reminder.send_letter)
        self.assertEqual(reminder.letter_state, "to_post")
        self.assertIn("Letters to post: 1.", self.company.dunning_last_run_summary)
