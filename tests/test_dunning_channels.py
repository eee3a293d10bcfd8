# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import time
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningChannels(DunningCommon):
    """One method per channel (``account.dunning.channel``), which a later
    module extends with super(); what becomes of a reminder afterwards
    (failure, cancel) on the reminder itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.user = cls._user("channels_controller", "account.group_account_invoice")

    @freeze_time("2026-04-20")
    def test_a_channel_extended_with_super(self):
        """A module that extends a channel's hook with super() changes what
        every path does: here it refuses the SMS of one customer, which
        becomes a call, and the invoices do not read "by SMS"."""
        self.first.write({"send_email": True, "send_sms": True})
        self.customer.mobile = "+33 6 12 34 56 78"
        Channel = type(self.env["account.dunning.channel"])
        refusals = Channel._get_sms_refusals
        letters = Channel._send_letters
        calls = []

        def refuse_dupont(channel, reminders):
            result = refusals(channel, reminders)  # super()
            for reminder in reminders.filtered(lambda r: r.partner_id == self.customer):
                result[reminder.id] = "Dupont asked for no SMS."
            return result

        def count_letters(channel, reminders):
            calls.append(reminders)
            return letters(channel, reminders)

        invoice = self._invoice(100, "2026-04-05")
        with (
            patch.object(Channel, "_get_sms_refusals", refuse_dupont),
            patch.object(Channel, "_send_letters", count_letters),
        ):
            reminder = self._remind(invoice)
        self.assertEqual(reminder.state, "sent")
        self.assertFalse(reminder.send_sms)
        self.assertTrue(reminder.create_activity)
        self.assertEqual(len(reminder.activity_ids), 1)
        self.assertTrue(reminder.message_ids.filtered(lambda m: "asked for no SMS" in str(m.body)))
        note = str(invoice.message_ids[0].body)
        self.assertIn(reminder.name, note)
        self.assertNotIn("by SMS", note)
        self.assertIn("by phone call or meeting", note)
        # the engine went through the channel's letters too (the email
        # carries the letter)
        self.assertEqual(calls, [reminder])
        # the engine's old names still do the work
        Engine = self.env["account.dunning.engine"]
        channels, _warnings = Engine._check_channels(
            self.customer, self.first, {"send_email": True}, email=""
        )
        self.assertEqual(channels, {"send_email": False, "send_letter": True})

    @freeze_time("2026-04-20")
    def test_cancel_and_failure_on_the_reminder(self):
        """The lifecycle is the reminder's: a failed email that was its
        only channel undoes it, and the invoices' history says so; a cancel
        withdraws what it can, through one method per channel."""
        first = self._invoice(100, "2026-04-05")
        reminder = self._remind(first)
        self.assertEqual(first.dunning_level_id, self.first)
        self._fail_delivery(reminder)
        self.assertEqual(reminder.state, "failed")
        self.assertEqual(reminder.email_state, "failed")
        self.assertFalse(first.dunning_level_id)
        self.assertEqual(first.dunning_count, 0)
        note = str(first.message_ids[0].body)
        self.assertIn(f"Reminder {reminder.name} failed", note)
        self.assertIn("the mail server is down", note)
        self.assertIn("no reminder level", note)

        second = self._invoice(
            200,
            "2026-04-05",
            partner=self.env["res.partner"].create(
                {"name": "Martin SAS", "is_company": True, "email": "m@martin.test"}
            ),
        )
        other = self._remind(second).with_user(self.user)
        other._cancel_reminders()
        self.assertEqual(other.state, "cancel")
        self.assertEqual(other.email_state, "cancel")
        self.assertFalse(second.dunning_level_id)
        self.assertIn("withdrawn from the outgoing queue", other.message_ids[0].body)
        self.assertIn(f"Reminder {other.name} cancelled", second.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestDunningChannelsConcurrency(TransactionCase):
    """The guard against reminding twice holds no row: a user who registers
    a payment while a batch of the daily job renders its letters does not
    wait for it, the batch's conflict is not a failure, and the customer is
    reminded once, on the data as it then stands.

    A plain TransactionCase that writes nothing in its own transaction, so
    that the cursors it opens never wait for it (as
    ``TestDunningCronConcurrency``)."""

    def _make_customer(self):
        """A customer in automatic mode on a plan of its own (email and
        letter 10 days after the due date, sent on their own), with an
        invoice of 1,000.00 due 15 days ago, all committed. Returns
        (company id, customer id, invoice id)."""
        today = date.today()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            if not env["account.journal"].search_count(
                [("company_id", "=", company.id), ("type", "=", "sale")]
            ):
                self.skipTest("the main company has no chart of accounts")
            env = env(context={"allowed_company_ids": company.ids})
            plan = env["account.dunning.plan"].create(
                {
                    "name": "Concurrency plan",
                    "company_id": company.id,
                    "partner_type": "all",
                    "level_ids": [
                        Command.create(
                            {
                                "name": "First reminder",
                                "days": 10,
                                "send_email": True,
                                "send_letter": True,
                                "auto_send": True,
                                "attach_invoices": False,
                            }
                        )
                    ],
                }
            )
            partner = env["res.partner"].create(
                {
                    "name": "Concurrent SARL",
                    "is_company": True,
                    "email": "c@concurrent.test",
                    "street": "2 rue",
                    "city": "Lyon",
                    "zip": "69001",
                }
            )
            partner.with_company(company).write(
                {"dunning_mode": "automatic", "dunning_plan_id": plan.id}
            )
            invoice = (
                env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=15),
                        "invoice_date_due": today - timedelta(days=15),
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            Command.create({"name": "x", "price_unit": 1000, "tax_ids": []})
                        ],
                    }
                )
            )
            invoice.action_post()
            cr.commit()  # pylint: disable=invalid-commit
            ids = company.id, partner.id, invoice.id
        self.addCleanup(self._forget_customer, ids[1])
        return ids

    def _forget_customer(self, partner_id):
        """The committed customer no longer takes part in other tests' runs
        of the daily job."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].browse(partner_id).dunning_blocked = True

    def test_a_payment_does_not_wait_for_a_batch(self):
        company_id, partner_id, invoice_id = self._make_customer()
        registry = self.env.registry
        Channel = type(self.env["account.dunning.channel"])
        Job = type(self.env["account.dunning.job"])
        store_letters = Channel._store_letters
        paid = {}

        def commit_batch(job):
            # as in production: each batch in its own transaction
            job.env.cr.commit()  # pylint: disable=invalid-commit
            job.env.invalidate_all()

        with registry.cursor() as cr_user:
            env_user = api.Environment(cr_user, SUPERUSER_ID, {})
            # today this fails fast instead of hanging behind the batch
            cr_user.execute("SET lock_timeout = '3s'")

            def store_while_a_user_pays(channel, reminders, pdfs):
                if reminders and not paid:
                    # the batch holds its guard while its letters render:
                    # a user registers a payment of 300.00 on the invoice
                    start = time.monotonic()
                    try:
                        invoice = env_user["account.move"].browse(invoice_id)
                        env_user["account.payment.register"].with_context(
                            active_model="account.move", active_ids=invoice.ids
                        ).create({"amount": 300})._create_payments()
                        env_user.flush_all()
                        cr_user.commit()  # pylint: disable=invalid-commit
                        paid["waited"] = False
                    except errors.LockNotAvailable:
                        cr_user.rollback()
                        paid["waited"] = True
                    paid["seconds"] = time.monotonic() - start
                return store_letters(channel, reminders, pdfs)

            with (
                registry.cursor() as cr_job,
                patch.object(Channel, "_store_letters", store_while_a_user_pays),
                patch.object(Job, "_commit_batch", commit_batch),
            ):
                env_job = api.Environment(cr_job, SUPERUSER_ID, {})
                env_job["account.dunning"]._cron_process_reminders(
                    companies=env_job["res.company"].browse(company_id)
                )
                cr_job.commit()  # pylint: disable=invalid-commit
        self.assertFalse(paid["waited"], "the payment waited for the batch's locks")
        self.assertLess(paid["seconds"], 3)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].browse(partner_id)
            reminders = env["account.dunning"].search([("partner_id", "=", partner_id)])
            # the conflict was tried again on fresh data, not reported
            self.assertEqual(len(reminders), 1)
            self.assertEqual(reminders.state, "sent")
            self.assertEqual(reminders.line_ids.amount_residual, 700.0)
            self.assertFalse(
                partner.message_ids.filtered(lambda m: "could not send" in str(m.body))
            )
            # a second run reminds nobody twice
            env["account.dunning"]._cron_process_reminders(
                companies=env["res.company"].browse(company_id)
            )
            reminders = env["account.dunning"].search([("partner_id", "=", partner_id)])
            self.assertEqual(len(reminders), 1)
            self.assertEqual(env["account.move"].browse(invoice_id).dunning_count, 1)
            cr.rollback()
