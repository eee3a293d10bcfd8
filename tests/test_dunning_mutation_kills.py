# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningMutationKills(DunningCommon):
    """Rules that a mutation of dev/mutation_list.py broke without any test
    noticing: each test here fails when its rule is broken (the mutation's
    name is in the test's docstring)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.user = cls._user("mutation_user", "account.group_account_invoice")
        cls.user.groups_id |= cls.env.ref("account_dunning.group_dunning_user")

    @freeze_time("2026-04-20")
    def test_call_on_a_promised_invoice_is_logged_and_moves_it(self):
        """call-allows-promise: a logged call is a fact, a promise does not
        stop it (the promise stops reminders only)."""
        invoice = self._invoice(1000, "2026-04-05")  # 15 days late: first reminder
        action = invoice.with_user(self.user).action_dunning_promise()
        with Form(
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        ) as form:
            form.date = "2026-04-24"
            form.amount = 400
        promise = form.record
        self.assertEqual(promise.state, "open")
        self.assertFalse(self._state(invoice).dunning_to_remind)
        # the customer calls back: the call is logged on the promised invoice
        wizard = self._log_call(invoice, outcome="no_answer", move_level=True)
        self.assertEqual(wizard.move_ids, invoice)
        call = self.env["account.dunning"].search(
            [("partner_id", "=", self.customer.id), ("call_outcome", "=", "no_answer")]
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.line_ids.move_id, invoice)
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertEqual(invoice.dunning_count, 1)
        # and the promise still holds the reminders
        self.assertEqual(promise.state, "open")
        self.assertFalse(self._state(invoice).dunning_to_remind)

    @freeze_time("2026-04-20")
    def test_statements_sent_in_mass_leave_out_a_customer_without_address(self):
        """statement-refusal-no-email: a customer with no address to send
        its statement to gets none by email, and the user is told why."""
        silent = self.env["res.partner"].create({"name": "Sans Courriel SARL", "is_company": True})
        customers = self.customer + silent
        for customer in customers:
            self._invoice(100, "2026-04-05", partner=customer)
        wizard = (
            self.env["account.dunning.statement.wizard"]
            .with_user(self.user)
            .create({"partner_ids": [Command.set(customers.ids)]})
        )
        # said before sending
        self.assertEqual(wizard.left_out_note, "Sans Courriel SARL (No email address)")
        result = wizard.action_send()
        # and after
        self.assertEqual(
            result["params"]["message"],
            "Statements sent: 1. Not sent by email: Sans Courriel SARL (No email address).",
        )

        def posted(partner):
            return partner.message_ids.filtered(
                lambda message: message.message_type == "comment" and message.attachment_ids
            )

        self.assertEqual(len(posted(self.customer)), 1)
        self.assertFalse(posted(silent))

    @freeze_time("2026-04-20")
    def test_letter_batch_that_fails_fails_its_reminders_and_keeps_the_levels(self):
        """failed-letter-not-counted: wkhtmltopdf fails for a batch of
        letters after the emails were made: those reminders fail, their
        emails are withdrawn and their invoices keep their level."""
        self.first.write({"send_email": True, "send_letter": True, "attach_letter": True})
        invoice = self._invoice(1000, "2026-04-05")  # 15 days late: first reminder

        class FailingJob:
            def wait(self):
                raise OSError("wkhtmltopdf failed (-9): killed")

            def cancel(self):
                pass

        Report = type(self.env["ir.actions.report"])
        with (
            patch.object(Report, "_dunning_start_pdf_batch", lambda *args, **kw: FailingJob()),
            mute_logger("odoo.addons.account_dunning.models.account_dunning_engine_send"),
        ):
            reminder = self._remind(invoice)
        self.assertEqual(reminder.state, "failed")
        self.assertEqual(
            reminder.failure_reason,
            "The letter could not be rendered: wkhtmltopdf failed (-9): killed",
        )
        self.assertEqual(reminder.mail_id.state, "cancel")
        self.assertNotEqual(reminder.letter_state, "to_post")
        self.assertFalse(reminder.letter_attachment_id)
        self.assertEqual(
            (invoice.dunning_level_id, invoice.dunning_count, invoice.dunning_last_date),
            (self.env["account.dunning.level"], 0, False),
        )


@tagged("post_install", "-at_install")
class TestDunningMutationKillsCharges(DunningCommon):
    """The charges still owed, where a mutation survived the other tests.

    Figures by hand: penalties = amount due x yearly rate x days / 365, at
    the ECB's 2.15 + 10 = 12.15 % in the first half of 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.manager = cls._user(
            "mutation_charges_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
        )

    def _invoice_charges(self, invoices):
        """Invoice the charges owed on ``invoices`` as a manager does."""
        action = invoices.with_user(self.manager).action_dunning_invoice_charges()
        preview = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .browse(action["res_id"])
            .with_user(self.manager)
        )
        return self.env["account.move"].browse(preview.action_invoice()["res_id"])

    @freeze_time("2026-04-30")
    def test_charges_invoiced_above_what_accrued_are_owed_as_nothing(self):
        """owed-never-negative: a credit note after the charges were
        invoiced lowers what accrued below what was invoiced; the customer
        then owes nothing more, never a negative amount."""
        invoice = self._invoice(1000, "2026-03-01", invoice_date="2026-02-01", currency=self.eur)
        # 1000 from 2 March to 30 April, 60 days: 1000 x 12.15 % x 60 / 365
        # = 19.9726; 40 of indemnity
        charges_invoice = self._invoice_charges(invoice)
        self.assertEqual(charges_invoice.amount_total, 59.97)
        # 400 credited: never owed, so 600 x 12.15 % x 60 / 365 = 11.9836
        # accrued, less than the 19.97 invoiced
        self._credit(invoice, 400, "2026-04-30")
        charges = invoice._get_dunning_charges()[invoice.id]
        self.assertEqual(charges["penalty"], 11.98)
        self.assertEqual(charges["penalty_invoiced"], 19.97)
        self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (0.0, 0.0))
