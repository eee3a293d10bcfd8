# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningGapsBRules(DunningCommon):
    """Rules read where the user reads them: the reason shown during a
    promise's grace days; nobody reminded twice the same day with the
    company's own minimum interval (7 days), and with none; a disputed
    invoice refused on the workbench, by the quick button and by the daily
    job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.first.auto_send = True
        cls.user = cls._user(
            "gaps_b_rules_user",
            "account.group_account_invoice,account_dunning.group_dunning_user",
        )
        cls.customer.write({"dunning_mode": "automatic", "dunning_responsible_id": cls.user.id})

    # ------------------------------------------------------------------
    # What the user sees
    # ------------------------------------------------------------------

    def _refusal(self, invoice):
        """The *Not Remindable* column of the worklist (read afresh, as a
        new request would)."""
        invoice.invalidate_recordset()
        return invoice.dunning_refusal

    def _workbench(self):
        """The workbench from its menu, searched on the overdue invoices."""
        action = self.env["account.dunning.wizard"].with_user(self.user).action_open_workbench()
        return self.env["account.dunning.wizard"].with_user(self.user).browse(action["res_id"])

    def _line(self, wizard, invoice):
        return wizard.line_ids.filtered(lambda line: line.move_id == invoice)

    def _quick_email(self, invoices):
        """The invoice's *Remind by Email* button: the workbench prepared."""
        action = invoices.with_user(self.user).action_dunning_remind_email()
        return self.env["account.dunning.wizard"].with_user(self.user).browse(action["res_id"])

    def _run_job(self):
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)

    def _reminders(self, partner=None):
        return self.env["account.dunning"].search(
            [("partner_id", "=", (partner or self.customer).id), ("call_outcome", "=", False)]
        )

    # ------------------------------------------------------------------
    # A promise's grace days
    # ------------------------------------------------------------------

    def test_grace_days_show_the_promise_as_the_reason(self):
        """Promised by 22 April, 3 grace days: paused through 25 April for
        the promise, whatever else; the reason says so on every path."""
        self.company.dunning_promise_grace_days = 3
        self.plan.level_ids.write({"auto_send": True})
        with freeze_time("2026-04-20"):
            invoice = self._invoice(1000, "2026-04-05")  # 15 days late
            action = invoice.with_user(self.user).action_dunning_promise()
            Promise = self.env["account.dunning.promise"].with_user(self.user)
            with Form(Promise.with_context(**action["context"])) as form:
                form.date = date(2026, 4, 22)
            promise = form.record
            self.assertEqual(promise.date_until, date(2026, 4, 25))  # 22 + 3
        expected = "The customer promised to pay by 04/22/2026: no reminder before 04/26/2026."
        for day in ("2026-04-23", "2026-04-25"):  # the first and the last grace day
            with freeze_time(day):
                self.assertEqual(self._refusal(invoice), "Payment promised", day)
                line = self._line(self._workbench(), invoice)
                self.assertEqual((line.selected, line.refusal), (False, "Payment promised"), day)
                with self.assertRaisesText(UserError, expected):
                    invoice.with_user(self.user).action_dunning_remind_email()
                self._run_job()
                self.assertFalse(self._reminders(), day)
                self.assertEqual(promise.state, "open", day)
        with freeze_time("2026-04-26"):  # free again: broken, then reminded
            self.assertFalse(self._refusal(invoice))
            self._run_job()
            self.assertEqual(promise.state, "broken")
            # 21 days late: the second reminder (20 days)
            reminder = self._reminders()
            self.assertEqual((reminder.line_ids.move_id, reminder.level_id), (invoice, self.second))

    # ------------------------------------------------------------------
    # Never twice the same day
    # ------------------------------------------------------------------

    def test_second_run_the_same_day_with_the_default_interval(self):
        """The company keeps its default minimum interval of 7 days: after
        the morning's run, nobody is reminded again that day, by the job, a
        quick button or a workbench prepared before the run."""
        self.assertEqual(self.company.dunning_min_interval_days, 7)
        with freeze_time("2026-04-20 06:00:00"):
            invoice = self._invoice(1000, "2026-04-05")  # 15 days late
            other = self._invoice(400, "2026-04-08")  # 12 days late
            # a user prepares the workbench before the job runs
            stale = self._quick_email(invoice + other)
            self.assertEqual(stale.proposal_ids.move_ids, invoice + other)
        with freeze_time("2026-04-20 07:00:00"):
            self._run_job()
            reminder = self._reminders()
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.line_ids.move_id, invoice + other)
        with freeze_time("2026-04-20 09:00:00"):
            self._run_job()
            self.assertEqual(self._reminders(), reminder)
            # the reason shown, and the date reminders may resume: 20 + 7
            self.assertEqual(self._refusal(invoice), "Reminded recently")
            # the second level (20 days: 25 April) waits for the interval
            self.assertEqual(invoice.dunning_next_date, date(2026, 4, 27))
            with self.assertRaisesText(UserError, "Reminded recently: not before 04/27/2026."):
                invoice.with_user(self.user).action_dunning_remind_email()
            stale.action_create()
            self.assertFalse(stale.dunning_ids)
            self.assertIn("Reminded recently: not before 04/27/2026.", stale.skipped_note)
            self.assertEqual(self._reminders(), reminder)
            self.assertEqual((invoice + other).mapped("dunning_count"), [1, 1])

    def test_same_day_guard_without_an_interval(self):
        """No minimum interval: only the same-day guard stops a workbench
        prepared before the job's run from sending the level again."""
        self.company.dunning_min_interval_days = 0
        with freeze_time("2026-04-20 06:00:00"):
            invoice = self._invoice(1000, "2026-04-05")
            stale = self._quick_email(invoice)
        with freeze_time("2026-04-20 07:00:00"):
            self._run_job()
            reminder = self._reminders()
            self.assertEqual(reminder.level_id, self.first)
        with freeze_time("2026-04-20 09:00:00"):
            stale.action_create()
            self.assertFalse(stale.dunning_ids)
            self.assertIn("Already reminded today at this level.", stale.skipped_note)
            # the quick button prepares the level (the rules allow it), the
            # engine does not send it twice
            again = self._quick_email(invoice)
            again.action_create()
            self.assertFalse(again.dunning_ids)
            self.assertIn("Already reminded today at this level.", again.skipped_note)
            self._run_job()
            self.assertEqual(self._reminders(), reminder)
            self.assertEqual(invoice.dunning_count, 1)

    # ------------------------------------------------------------------
    # Disputes, outside the promise tests
    # ------------------------------------------------------------------

    def _dispute(self, invoice):
        """A dispute recorded from the invoice's *Dispute* button."""
        action = invoice.with_user(self.user).action_dunning_dispute()
        Dispute = self.env["account.dunning.dispute"].with_user(self.user)
        with Form(Dispute.with_context(**action["context"])) as form:
            form.reason = "quality"
        return form.record

    @freeze_time("2026-04-20")
    def test_disputed_invoice_refused_on_every_path(self):
        disputed = self._invoice(1000, "2026-04-05")
        undisputed = self._invoice(500, "2026-04-05")
        # a workbench prepared before the customer disputed the invoice
        stale = self._quick_email(disputed + undisputed)
        self.assertEqual(stale.proposal_ids.move_ids, disputed + undisputed)
        dispute = self._dispute(disputed)
        message = (
            f"{disputed.name}: The invoice is disputed: it is not reminded until the "
            "dispute is resolved."
        )
        # the worklist
        self.assertEqual(self._refusal(disputed), "Disputed")
        self.assertFalse(self._refusal(undisputed))
        # the workbench: not ticked, the reason shown; ticked by hand, left out
        wizard = self._workbench()
        self.assertEqual(
            [(line.move_id, line.selected, line.refusal) for line in wizard.line_ids],
            [(disputed, False, "Disputed"), (undisputed, True, False)],
        )
        wizard.action_select_all()
        wizard.action_prepare()
        self.assertEqual(wizard.proposal_ids.move_ids, undisputed)
        self.assertIn(message, wizard.refused_note)
        # the quick button on the disputed invoice alone
        with self.assertRaisesText(UserError, message):
            disputed.with_user(self.user).action_dunning_remind_email()
        # the workbench prepared before: the engine leaves it out when sending
        stale.action_create()
        self.assertEqual(stale.dunning_ids.line_ids.move_id, undisputed)
        self.assertFalse(disputed.dunning_level_id)
        self.assertEqual(undisputed.dunning_level_id, self.first)

        # the daily job: another customer with a disputed invoice and an
        # undisputed one, a third with a disputed invoice only
        Partner = self.env["res.partner"]
        both = Partner.create({"name": "Deux SA", "is_company": True, "email": "d@d.test"})
        only = Partner.create({"name": "Seul SA", "is_company": True, "email": "s@s.test"})
        (both | only).write({"dunning_mode": "automatic"})
        both_disputed = self._invoice(700, "2026-04-05", partner=both)
        both_free = self._invoice(300, "2026-04-05", partner=both)
        only_disputed = self._invoice(200, "2026-04-05", partner=only)
        only_dispute = self._dispute(only_disputed)
        self._dispute(both_disputed)
        self._run_job()
        self.assertEqual(self._reminders(both).line_ids.move_id, both_free)
        self.assertFalse(self._reminders(only))
        self.assertFalse(self._job_activities(only))  # nothing to ask a human either
        self.assertFalse((both_disputed | only_disputed).dunning_level_id)
        # resolved: the next run reminds it
        only_dispute.with_user(self.user).action_resolve()
        dispute.with_user(self.user).action_resolve()
        self._run_job()
        self.assertEqual(self._reminders(only).line_ids.move_id, only_disputed)
        self.assertEqual(only_disputed.dunning_level_id, self.first)

    @freeze_time("2026-04-20")
    def test_worklist_fields_follow_a_promise_and_a_dispute_at_once(self):
        """The worklist's *To Remind* and *Not Remindable* depend on the
        invoice's promises and disputes: read again in the same transaction
        (a form, a server action), without clearing anything by hand, they
        change as soon as a promise is made or cancelled, a dispute opened
        or resolved."""
        invoice = self._invoice(1000, "2026-04-05")
        self.assertTrue(invoice.dunning_to_remind)
        self.assertFalse(invoice.dunning_refusal)
        promise = self.env["account.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "date": "2026-04-30",
                "amount": 1000,
            }
        )
        self.assertFalse(invoice.dunning_to_remind)
        self.assertEqual(invoice.dunning_refusal, "Payment promised")
        promise.action_cancel()
        self.assertTrue(invoice.dunning_to_remind)
        self.assertFalse(invoice.dunning_refusal)
        dispute = self.env["account.dunning.dispute"].create(
            {"move_id": invoice.id, "reason": "price"}
        )
        self.assertFalse(invoice.dunning_to_remind)
        self.assertEqual(invoice.dunning_refusal, "Disputed")
        dispute.action_resolve()
        self.assertTrue(invoice.dunning_to_remind)
        self.assertFalse(invoice.dunning_refusal)
