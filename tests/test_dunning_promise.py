# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningPromise(DunningCommon):
    """Payment promises and disputes: what the customer said holds on every
    path, until it is kept, broken or resolved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "auto_send": True})
        cls.customer.dunning_mode = "automatic"
        cls.user = cls._user("promise_user", "account.group_account_invoice")
        cls.user.groups_id |= cls.env.ref("account_dunning.group_dunning_user")
        cls.customer.dunning_responsible_id = cls.user
        cls.company.dunning_promise_grace_days = 3

    def _promise(self, moves):
        return self.env["account.dunning.promise"].search([("move_ids", "in", moves.ids)])

    def _reminders(self, partner=None):
        return self.env["account.dunning"].search(
            [("partner_id", "=", (partner or self.customer).id), ("call_outcome", "=", False)]
        )

    def _run_job(self):
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)

    @freeze_time("2026-04-20")
    def test_promise_kept(self):
        invoice = self._invoice(1000, "2026-04-05")  # 15 days late: first reminder
        self._log_call(invoice, outcome="promised", promise_date="2026-04-24", promise_amount=600)
        promise = self._promise(invoice)
        self.assertEqual(promise.state, "open")
        self.assertEqual((promise.amount, promise.residual_start), (600, 1000))
        self.assertEqual(str(promise.date_until), "2026-04-27")
        # paused on every path: the worklist, the workbench, the quick buttons
        self._state(invoice)
        self.assertFalse(invoice.dunning_to_remind)
        self.assertIn("promised to pay by 04/24/2026", self._refusal_message(invoice))
        self.assertFalse(self.env["account.dunning"]._prepare_proposals(invoice))
        with self.assertRaises(UserError):
            invoice.with_user(self.user).action_dunning_remind_email()
        # a call is a fact: the customer may promise again
        action = invoice.with_user(self.user).action_dunning_log_call()
        call = self.env["account.dunning.call.wizard"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "account.dunning.call.wizard")
        self.assertEqual(call.move_ids, invoice)
        # the customer pays part of it: not yet kept
        self._pay(invoice, 400, "2026-04-22")
        self.env["account.dunning.promise"]._check_promises(self.company)
        self.assertEqual(promise.state, "open")
        self._pay(invoice, 200, "2026-04-23")
        kept, broken = self.env["account.dunning.promise"]._check_promises(self.company)
        self.assertEqual((kept, broken), (promise, promise.browse()))
        self.assertEqual(promise.state, "kept")
        self.assertEqual(self.customer.dunning_promise_kept_count, 1)
        # kept: the promise holds the invoice no more (the call of today
        # still counts for the minimum interval between two reminders)
        self.assertEqual(self._get_refusal(invoice), "interval")

    def _refusal_message(self, invoice):
        state = invoice._get_dunning_states()[invoice.id]
        return self.env["account.dunning.engine"]._get_refusal_message(state["refusal"], state)

    def test_promise_broken_then_reminders_resume(self):
        with freeze_time("2026-04-20"):
            invoice = self._invoice(1000, "2026-04-05")
            self._log_call(invoice, outcome="promised", promise_date="2026-04-24")
            promise = self._promise(invoice)
            self.assertEqual(promise.amount, 1000)
        # the last day of grace: still paused, still open
        with freeze_time("2026-04-27"):
            self._run_job()
            self.assertEqual(promise.state, "open")
            self.assertFalse(self._reminders())
        # the day after: broken, an activity for the responsible, reminded
        with freeze_time("2026-04-28"):
            self._run_job()
            self.assertEqual(promise.state, "broken")
            activity = promise.activity_ids
            self.assertEqual(activity.user_id, self.user)
            self.assertIn("Broken promise", activity.summary)
            reminder = self._reminders()
            self.assertEqual(len(reminder), 1)
            # 23 days late: the second reminder (20 days), the advised level
            self.assertEqual(reminder.level_id, self.second)
            self.assertEqual(self.customer.dunning_promise_broken_count, 1)
            # a second run the same day changes nothing
            self._run_job()
            self.assertEqual(len(self._reminders()), 1)
            self.assertEqual(len(promise.activity_ids), 1)

    @freeze_time("2026-04-20")
    def test_promise_and_the_job_on_the_same_day(self):
        promised = self._invoice(500, "2026-04-05")
        other = self.env["res.partner"].create(
            {
                "name": "Other SA",
                "is_company": True,
                "email": "o@other.test",
                "dunning_mode": "automatic",
            }
        )
        not_promised = self._invoice(300, "2026-04-05", partner=other)
        self._log_call(promised, outcome="promised", promise_date="2026-04-30")
        self._run_job()
        self.assertFalse(self._reminders())
        self.assertEqual(self._reminders(other).line_ids.move_id, not_promised)

    @freeze_time("2026-04-20")
    def test_promise_from_the_customer_and_cancel(self):
        invoices = self._invoice(100, "2026-04-05") | self._invoice(200, "2026-04-10")
        action = self.customer.with_user(self.user).action_dunning_promise()
        self.assertEqual(set(action["context"]["default_move_ids"]), set(invoices.ids))
        self.assertEqual(action["context"]["default_amount"], 300)
        Promise = self.env["account.dunning.promise"].with_user(self.user)
        with Form(Promise.with_context(**action["context"])) as form:
            form.date = "2026-04-25"
        promise = form.record
        self.assertEqual(promise.move_ids, invoices)
        self.assertEqual(invoices.mapped("dunning_promise_ids"), promise)
        self.assertFalse(self.env["account.dunning"]._prepare_proposals(invoices))
        # the promise is off: reminded again at once
        promise.action_cancel()
        self.assertEqual(promise.state, "cancel")
        self.assertTrue(self.env["account.dunning"]._prepare_proposals(invoices))
        with self.assertRaises(UserError):
            promise.action_cancel()
        # one customer, one currency, a positive amount
        stranger = self._invoice(
            50, "2026-04-05", partner=self.env["res.partner"].create({"name": "X"})
        )
        with self.assertRaises(ValidationError):
            Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set((invoices | stranger).ids)],
                    "date": "2026-04-25",
                    "amount": 10,
                }
            )
        with self.assertRaises(ValidationError):
            Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "date": "2026-04-25",
                    "amount": 0,
                }
            )

    @freeze_time("2026-04-20")
    def test_promises_due_within_a_week(self):
        invoice = self._invoice(100, "2026-04-05")
        Promise = self.env["account.dunning.promise"]

        def promise(date):
            return Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "date": date,
                    "amount": 100,
                }
            )

        # already due (promised last week), and due by 27 April: listed;
        # the 28th: not yet
        with freeze_time("2026-04-13"):
            due = promise("2026-04-18")
        due |= promise("2026-04-27")
        later = promise("2026-04-28")
        self.assertEqual(Promise.search([("due_this_week", "=", True)]), due)
        self.assertEqual(Promise.search([("due_this_week", "=", False)]), later)
        self.assertTrue(due[1].due_this_week)
        self.assertFalse(later.due_this_week)

    @freeze_time("2026-04-20")
    def test_dispute_on_one_of_three_invoices(self):
        invoices = (
            self._invoice(100, "2026-04-05")
            | self._invoice(200, "2026-04-06")
            | self._invoice(300, "2026-04-07")
        )
        disputed = invoices[1]
        self._log_call(
            invoices,
            outcome="disputed",
            dispute_move_ids=disputed,
            dispute_reason="quantity",
            note="500 instead of 800",
        )
        dispute = self.env["account.dunning.dispute"].search([("move_id", "in", invoices.ids)])
        self.assertEqual(dispute.move_id, disputed)
        self.assertEqual(
            (dispute.reason, dispute.state, dispute.user_id), ("quantity", "open", self.user)
        )
        # its owner gets an activity; the invoice shows it
        self.assertEqual(dispute.activity_ids.user_id, self.user)
        self.assertTrue(disputed.dunning_disputed)
        self.assertEqual(
            self.env["account.move"].search([("dunning_disputed", "=", True)]), disputed
        )
        self.assertIn("disputed", self._refusal_message(disputed))
        # a second dispute on the same invoice is refused
        with self.assertRaises(ValidationError):
            self.env["account.dunning.dispute"].create({"move_id": disputed.id})
        # a week after the call: the customer's other invoices go on, by the
        # workbench and by the job
        with freeze_time("2026-04-28"):
            proposals = self.env["account.dunning"]._prepare_proposals(invoices)
            self.assertEqual(set(proposals[0]["move_ids"]), set((invoices - disputed).ids))
            self._run_job()
            reminder = self._reminders()
            self.assertEqual(reminder.line_ids.move_id, invoices - disputed)
            self.assertFalse(disputed.dunning_level_id)
            # resolved: its activity is done, the invoice may be reminded again
            dispute.with_user(self.user).action_resolve()
            self.assertEqual(dispute.state, "resolved")
            self.assertFalse(dispute.activity_ids)
            self.assertFalse(disputed.dunning_disputed)
            self.assertEqual(self._get_refusal(disputed), "interval")
        with freeze_time("2026-05-06"):
            self._run_job()
            self.assertIn(disputed, self._reminders().line_ids.move_id)

    def _get_refusal(self, invoice):
        return invoice._get_dunning_states()[invoice.id]["refusal"]

    @freeze_time("2026-04-20")
    def test_dispute_from_the_invoice(self):
        invoice = self._invoice(100, "2026-04-05")
        action = invoice.with_user(self.user).action_dunning_dispute()
        Dispute = self.env["account.dunning.dispute"].with_user(self.user)
        with Form(Dispute.with_context(**action["context"])) as form:
            form.reason = "already_paid"
        dispute = form.record
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertEqual(self._get_refusal(invoice), "disputed")
        self.assertIn("Disputed by the customer", invoice.message_ids[0].body)
        self.assertEqual(
            invoice.action_dunning_view_disputes()["domain"], [("move_id", "=", invoice.id)]
        )

    @freeze_time("2026-04-20")
    def test_promises_and_disputes_stay_in_their_company(self):
        invoice = self._invoice(100, "2026-04-05")
        promise = self.env["account.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "date": "2026-04-25",
                "amount": 100,
            }
        )
        dispute = self.env["account.dunning.dispute"].create({"move_id": invoice.id})
        other = self.setup_other_company(name="Promesses ailleurs")["company"]
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "promise_outsider",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [Command.set([self.env.ref("account_dunning.group_dunning_user").id])],
            }
        )
        self.assertFalse(
            self.env["account.dunning.promise"]
            .with_user(outsider)
            .search([("id", "=", promise.id)])
        )
        self.assertFalse(
            self.env["account.dunning.dispute"]
            .with_user(outsider)
            .search([("id", "=", dispute.id)])
        )
