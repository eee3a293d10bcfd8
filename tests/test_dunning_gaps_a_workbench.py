# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningGapsWorkbench(DunningCommon):
    """The workbench's filters, each keeping exactly its invoices, and the
    Do Not Remind / Remind Again of an invoice and of a customer.

    The book on 20 April 2026, on the default plan (10, 20, 40 days) unless
    said otherwise:

    - Dupont: ``a_15`` due 5 April (15 days: first reminder advised),
      ``a_26`` due 25 March, already at the first reminder (26 days: the
      second advised), ``d_15`` due 5 April, paid by direct debit;
    - Martin, own plan "Key accounts" (5 and 30 days), with a reminder
      responsible: ``b_20`` due 31 March (its first level), ``b_40`` due
      11 March (its second);
    - Avoir SARL: ``c_15`` due 5 April, and a credit note larger than it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.user = cls._user("gaps_controller", "account.group_account_invoice")
        cls.follower = cls._user("gaps_follower", "account.group_account_invoice")
        cls.key_plan = cls.env["account.dunning.plan"].create(
            {
                "name": "Key accounts",
                "company_id": cls.company.id,
                "partner_type": "all",
                "level_ids": [
                    Command.create({"name": "Key first", "days": 5}),
                    Command.create({"name": "Key second", "days": 30}),
                ],
            }
        )
        cls.key_first, cls.key_second = cls.key_plan.level_ids.sorted("days")
        cls.martin = cls.env["res.partner"].create(
            {
                "name": "Martin SA",
                "is_company": True,
                "email": "ap@martin.test",
                "dunning_plan_id": cls.key_plan.id,
            }
        )
        cls.martin.dunning_responsible_id = cls.follower
        cls.avoir = cls.env["res.partner"].create(
            {"name": "Avoir SARL", "is_company": True, "email": "ap@avoir.test"}
        )
        cls.a_15 = cls._invoice(100, "2026-04-05")
        cls.a_26 = cls._invoice(200, "2026-03-25")
        cls.a_26.sudo().write(
            {
                "dunning_level_id": cls.first.id,
                "dunning_last_date": date(2026, 4, 4),
                "dunning_count": 1,
            }
        )
        debit_line = cls.company_data["default_journal_bank"].inbound_payment_method_line_ids[:1]
        debit_line.dunning_direct_debit = True
        cls.d_15 = cls._invoice(100, "2026-04-05", post=False)
        cls.d_15.preferred_payment_method_line_id = debit_line
        cls.d_15.action_post()
        cls.b_20 = cls._invoice(300, "2026-03-31", partner=cls.martin)
        cls.b_40 = cls._invoice(400, "2026-03-11", partner=cls.martin)
        cls.c_15 = cls._invoice(100, "2026-04-05", partner=cls.avoir)
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.avoir.id,
                "invoice_date": "2026-04-10",
                "date": "2026-04-10",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Returned goods", "quantity": 1, "price_unit": 150, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        cls.all = cls.a_15 + cls.a_26 + cls.d_15 + cls.b_20 + cls.b_40 + cls.c_15

    def _workbench(self, **filters):
        """The workbench's filters set in its form, then Search."""
        form = Form(self.env["account.dunning.wizard"].with_user(self.user))
        for name, value in filters.items():
            field = getattr(form, name)
            if name.endswith("_ids"):
                for record in value:
                    field.add(record)
            else:
                setattr(form, name, value)
        wizard = form.save()
        wizard.action_search()
        return wizard.line_ids.move_id

    def _mine(self, moves):
        """The test's invoices among ``moves`` (the database may hold others)."""
        return moves & self.all

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_no_filter_lists_every_late_invoice(self):
        self.assertEqual(self._mine(self._workbench()), self.all)

    @freeze_time("2026-04-20")
    def test_filter_last_level(self):
        self.assertEqual(self._mine(self._workbench(last_level_ids=self.first)), self.a_26)
        self.assertFalse(self._mine(self._workbench(last_level_ids=self.second)))

    @freeze_time("2026-04-20")
    def test_filter_advised_level(self):
        first = self._workbench(advised_level_ids=self.first)
        self.assertEqual(self._mine(first), self.a_15 + self.d_15 + self.c_15)
        second = self._workbench(advised_level_ids=self.second)
        self.assertEqual(self._mine(second), self.a_26)
        key = self._workbench(advised_level_ids=self.key_first | self.key_second)
        self.assertEqual(self._mine(key), self.b_20 + self.b_40)
        self.assertEqual(self._mine(self._workbench(advised_level_ids=self.key_second)), self.b_40)

    @freeze_time("2026-04-20")
    def test_filter_plan(self):
        self.assertEqual(self._mine(self._workbench(plan_ids=self.key_plan)), self.b_20 + self.b_40)
        self.assertEqual(
            self._mine(self._workbench(plan_ids=self.plan)),
            self.a_15 + self.a_26 + self.d_15 + self.c_15,
        )

    @freeze_time("2026-04-20")
    def test_filter_responsible(self):
        self.assertEqual(
            self._mine(self._workbench(responsible_ids=self.follower)), self.b_20 + self.b_40
        )
        self.assertFalse(self._mine(self._workbench(responsible_ids=self.user)))

    @freeze_time("2026-04-20")
    def test_filter_due_dates_bounds_included(self):
        both = self._workbench(date_due_from=date(2026, 3, 25), date_due_to=date(2026, 3, 31))
        self.assertEqual(self._mine(both), self.a_26 + self.b_20)
        since = self._workbench(date_due_from=date(2026, 3, 31))
        self.assertEqual(self._mine(since), self.b_20 + self.a_15 + self.d_15 + self.c_15)
        until = self._workbench(date_due_to=date(2026, 3, 25))
        self.assertEqual(self._mine(until), self.b_40 + self.a_26)

    @freeze_time("2026-04-20")
    def test_filter_only_positive_balance(self):
        # Avoir SARL owes 100 and is owed 150: -50, left out
        kept = self._workbench(only_positive_balance=True)
        self.assertEqual(self._mine(kept), self.all - self.c_15)

    @freeze_time("2026-04-20")
    def test_filter_hide_direct_debit(self):
        kept = self._workbench(hide_direct_debit=True)
        self.assertEqual(self._mine(kept), self.all - self.d_15)

    # ------------------------------------------------------------------
    # Do Not Remind / Remind Again
    # ------------------------------------------------------------------

    def _propose(self, moves, level):
        """A proposal of ``moves`` at ``level``, as the workbench makes it."""
        return {
            "company_id": self.company.id,
            "partner_id": moves.commercial_partner_id.id,
            "currency_id": moves.currency_id.id,
            "level_id": level.id,
            "move_ids": moves.ids,
            "send_email": True,
        }

    @freeze_time("2026-04-20")
    def test_invoice_do_not_remind_then_remind_again(self):
        invoices = self.b_20 + self.b_40
        Engine = self.env["account.dunning.engine"].with_user(self.user)
        # the worklist's buttons, on the ticked invoices
        invoices.with_user(self.user).action_dunning_block()
        self.assertEqual(invoices.mapped("dunning_blocked"), [True, True])
        self._state(invoices)
        self.assertEqual(invoices.mapped("dunning_to_remind"), [False, False])
        reminders, skipped = Engine._create_reminders_report(
            [self._propose(invoices, self.key_second)]
        )
        self.assertFalse(reminders)
        self.assertEqual(skipped[0][1], "The invoice is marked Do Not Remind.")
        self.assertFalse(self.env["account.dunning"]._prepare_proposals(invoices))
        # the other customers are not touched
        self.assertFalse(self.a_15.dunning_blocked)
        invoices.with_user(self.user).action_dunning_unblock()
        self.assertEqual(invoices.mapped("dunning_blocked"), [False, False])
        self._state(invoices)
        self.assertEqual(invoices.mapped("dunning_to_remind"), [True, True])
        reminders, skipped = Engine._create_reminders_report(
            [self._propose(invoices, self.key_second)]
        )
        self.assertFalse(skipped)
        self.assertEqual(reminders.line_ids.move_id, invoices)
        # each invoice at the level it is advised: 20 and 40 days late
        self.assertEqual(self.b_20.dunning_level_id, self.key_first)
        self.assertEqual(self.b_40.dunning_level_id, self.key_second)

    @freeze_time("2026-04-20")
    def test_customer_do_not_remind_then_remind_again(self):
        Engine = self.env["account.dunning.engine"].with_user(self.user)
        # the tick of the customer's form, Payment Reminders tab
        with Form(self.avoir.with_user(self.user)) as form:
            form.dunning_blocked = True
        self.assertTrue(self.avoir.dunning_blocked)
        self.assertFalse(self.c_15.dunning_blocked)  # the invoice itself is not marked
        self.assertFalse(self._state(self.c_15).dunning_to_remind)
        reminders, skipped = Engine._create_reminders_report([self._propose(self.c_15, self.first)])
        self.assertFalse(reminders)
        self.assertEqual(skipped[0][1], "The customer is marked Do Not Remind.")
        with Form(self.avoir.with_user(self.user)) as form:
            form.dunning_blocked = False
        self.assertFalse(self.avoir.dunning_blocked)
        self.assertTrue(self._state(self.c_15).dunning_to_remind)
        reminders, skipped = Engine._create_reminders_report([self._propose(self.c_15, self.first)])
        self.assertFalse(skipped)
        self.assertEqual(reminders.line_ids.move_id, self.c_15)
        self.assertEqual(self.c_15.dunning_level_id, self.first)
