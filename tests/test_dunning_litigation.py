# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLitigation(DunningCommon):
    """A customer in litigation in a company: the engine refuses every
    reminder to it there, on every path (the worklist, the workbench, the
    quick buttons, a logged call, the daily job, statements by email);
    taken out of litigation, reminders resume and the history stays; the
    customer's fields are written by the litigation alone; another
    company's reminders go on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "auto_send": True})
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.customer.with_company(cls.company).dunning_mode = "automatic"
        cls.controller = cls._user(
            "litigation_controller",
            "account.group_account_invoice,account_dunning.group_dunning_user",
        )
        cls.auditor = cls._user(
            "litigation_auditor", "base.group_user,account.group_account_readonly"
        )
        cls.employee = cls._user("litigation_employee", "base.group_user")
        cls.Litigation = cls.env["account.dunning.litigation"]

    def _put_in_litigation(self, road="lawyer", user=None, note="Maître Martin, Paris"):
        """Put in Litigation from the customer's tab, as ``user`` fills the
        form."""
        user = user or self.controller
        action = self.customer.with_user(user).action_dunning_open_litigation()
        Wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        with Form(Wizard) as form:
            form.road = road
            form.note = note
        form.record.action_confirm()
        return self.customer.with_user(user).dunning_litigation_id

    def _take_out(self, reason, note=None):
        action = self.customer.with_user(self.controller).action_dunning_close_litigation()
        Wizard = (
            self.env[action["res_model"]]
            .with_user(self.controller)
            .with_context(**action["context"])
        )
        with Form(Wizard) as form:
            form.reason = reason
            if note:
                form.note = note
        form.record.action_confirm()

    def _reminders(self, partner=None):
        return self.env["account.dunning"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    def _row(self, company=None):
        Customer = self.env["account.dunning.customer"]
        Customer.invalidate_model()
        return Customer.search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    # ------------------------------------------------------------------
    # Every path refuses
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_every_path_refuses_a_customer_in_litigation(self):
        invoice = self._invoice(1000, "2026-03-25")  # 26 days late: the second reminder
        self.assertTrue(self._state(invoice).dunning_to_remind)
        litigation = self._put_in_litigation()
        self.assertEqual(
            (litigation.state, litigation.road, litigation.date_start, litigation.user_id),
            ("open", "lawyer", date(2026, 4, 20), self.controller),
        )
        customer = self.customer.with_company(self.company)
        self.assertTrue(customer.dunning_litigation)
        self.assertEqual(customer.dunning_litigation_road, "lawyer")
        self.assertIn("In litigation since 04/20/2026", customer.message_ids[0].body)
        # the worklist: not to remind, "In litigation" with its road, in red
        invoice = self._state(invoice).with_user(self.controller)
        invoice.invalidate_recordset(["dunning_refusal", "dunning_litigation"])
        self.assertFalse(invoice.dunning_to_remind)
        self.assertEqual(invoice.dunning_refusal, "In litigation (Lawyer)")
        self.assertTrue(invoice.dunning_litigation)
        self.assertEqual(
            invoice.dunning_litigation_note, "Customer in litigation since 04/20/2026 (Lawyer)"
        )
        Move = self.env["account.move"].with_user(self.controller)
        self.assertNotIn(invoice, Move.search([("dunning_to_remind", "=", True)]))
        self.assertIn(invoice, Move.search([("dunning_litigation", "=", True)]))
        # Customer Accounts: in litigation, with the road
        row = self._row()
        self.assertEqual((row.litigation, row.litigation_road), (True, "lawyer"))
        # the quick buttons, from the invoice and from the customer
        with self.assertRaisesText(UserError, "in litigation (Lawyer)"):
            invoice.action_dunning_remind_email()
        with self.assertRaisesText(UserError, "in litigation (Lawyer)"):
            self.customer.with_user(self.controller).action_dunning_remind_letter()
        # the workbench
        form = Form(self.env["account.dunning.wizard"].with_user(self.controller))
        form.partner_ids.add(self.customer)
        wizard = form.save()
        wizard.action_search()
        wizard.line_ids.selected = True
        with self.assertRaisesText(UserError, "in litigation (Lawyer)"):
            wizard.action_prepare()
        # the engine asked directly, as a workbench prepared earlier would
        Engine = self.env["account.dunning.engine"].with_user(self.controller)
        proposal = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "currency_id": invoice.currency_id.id,
            "level_id": self.second.id,
            "move_ids": invoice.ids,
            "send_email": True,
        }
        reminders, skipped = Engine._create_reminders_report([proposal])
        self.assertFalse(reminders)
        self.assertIn("in litigation (Lawyer)", skipped[0][1])
        # a logged call: refused too (the lawyer speaks to the customer)
        with self.assertRaisesText(UserError, "in litigation (Lawyer)"):
            invoice.action_dunning_log_call()
        reminders, skipped = Engine._create_reminders_report(
            [proposal | {"call_outcome": "no_answer", "move_level": True}]
        )
        self.assertFalse(reminders)
        # the daily job
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.assertFalse(self._reminders())
        self.assertFalse(self._job_activities(self.customer))
        self.assertFalse(invoice.dunning_level_id)
        # nor an activity to remind it by hand, for a customer in manual mode
        self.customer.with_company(self.company).dunning_mode = "manual"
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.assertFalse(self._job_activities(self.customer))
        self.assertFalse(self._reminders())
        # the statement by email: left out, and said why
        statement = (
            self.env["account.dunning.statement.wizard"]
            .with_user(self.controller)
            .create({"partner_ids": [Command.set(self.customer.ids)]})
        )
        self.assertEqual(statement.left_out_note, "Dupont SARL (In litigation)")
        with self.assertRaisesText(UserError, "Dupont SARL (In litigation)"):
            statement.action_send()

    # ------------------------------------------------------------------
    # Taken out of litigation
    # ------------------------------------------------------------------

    def test_take_out_keeps_the_history_and_reminders_resume(self):
        with freeze_time("2026-04-20"):
            invoice = self._invoice(1000, "2026-03-25")
            self._put_in_litigation(road="order_for_payment")
            # a reason is required
            litigation = self.customer.with_user(self.controller).dunning_litigation_id
            with self.assertRaisesText(UserError, "Say why"):
                litigation._close(False)
            # one open litigation per customer and company
            with self.assertRaisesText(UserError, "already in litigation"):
                self.customer.with_user(self.controller)._dunning_open_litigation("lawyer")
        with freeze_time("2026-05-04"):
            self._take_out("settlement", note="Paid in three instalments")
            self.assertEqual(
                (litigation.state, litigation.date_end, litigation.end_reason),
                ("closed", date(2026, 5, 4), "settlement"),
            )
            self.assertEqual(litigation.end_note, "Paid in three instalments")
            customer = self.customer.with_company(self.company).with_user(self.controller)
            customer.invalidate_recordset()
            self.assertFalse(customer.dunning_litigation)
            self.assertFalse(customer.dunning_litigation_road)
            self.assertFalse(customer.dunning_litigation_id)
            self.assertEqual(customer.dunning_litigation_ids, litigation)
            self.assertIn(
                "Taken out of litigation on 05/04/2026 (Settlement)",
                self.customer.message_ids[0].body,
            )
            self.assertFalse(self._row().litigation)
            with self.assertRaisesText(UserError, "Only a customer in litigation"):
                litigation.with_user(self.controller)._close("paid")
            # the reminders resume, from the level the invoice is advised
            self.assertTrue(self._state(invoice).dunning_to_remind)
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            self.assertEqual(self._reminders().line_ids.move_id, invoice)
            self.assertEqual(invoice.dunning_level_id, self.second)
        with freeze_time("2026-06-01"):
            # in litigation again: a second record, the first one kept
            again = self._put_in_litigation(road="small_claims")
            customer.invalidate_recordset()
            self.assertEqual(customer.dunning_litigation_ids, litigation | again)
            self.assertEqual(customer.dunning_litigation_road, "small_claims")

    # ------------------------------------------------------------------
    # Per company
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_litigation_in_one_company_does_not_hold_another(self):
        company_b = self.setup_other_company(name="Litigation B")["company"]
        plan_b = self.env["account.dunning.plan"].create(
            {
                "name": "Plan B",
                "company_id": company_b.id,
                "partner_type": "all",
                "level_ids": [
                    Command.create(
                        {
                            "name": "First reminder B",
                            "days": 10,
                            "auto_send": True,
                            "attach_invoices": False,
                        }
                    )
                ],
            }
        )
        plan_b.is_default = True
        self.customer.with_company(company_b).dunning_mode = "automatic"
        invoice_a = self._invoice(1000, "2026-03-25")
        invoice_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-03-25",
                    "invoice_date_due": "2026-03-25",
                    "invoice_line_ids": [
                        Command.create({"name": "B", "price_unit": 700, "tax_ids": []})
                    ],
                }
            )
        )
        invoice_b.action_post()
        self._put_in_litigation()
        self.assertTrue(self.customer.with_company(self.company).dunning_litigation)
        self.assertFalse(self.customer.with_company(company_b).dunning_litigation)
        self.assertFalse(self.customer.with_company(company_b).dunning_litigation_id)
        states = (invoice_a + invoice_b)._get_dunning_states()
        self.assertEqual(states[invoice_a.id]["refusal"], "litigation")
        self.assertFalse(states[invoice_b.id]["refusal"])
        self.assertTrue(states[invoice_b.id]["to_remind"])
        self.assertFalse(self._row(company_b).litigation)
        # company B's daily job reminds its invoice; company A's reminds none
        Dunning = self.env["account.dunning"]
        Dunning._cron_process_reminders(companies=self.company)
        Dunning._cron_process_reminders(companies=company_b)
        self.assertEqual(self._reminders().line_ids.move_id, invoice_b)
        # company B's users do not see company A's litigation
        user_b = new_test_user(
            self.env,
            login="litigation_controller_b",
            groups="account.group_account_invoice,account_dunning.group_dunning_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertFalse(self.Litigation.with_user(user_b).search([]))
        # and put the customer in litigation in their company alone
        in_b = self.customer.with_user(user_b).with_company(company_b)
        litigation_b = in_b._dunning_open_litigation("small_claims")
        self.assertEqual(litigation_b.company_id, company_b)
        self.assertEqual(
            self.customer.with_company(company_b).dunning_litigation_road, "small_claims"
        )
        self.assertEqual(self.customer.with_company(self.company).dunning_litigation_road, "lawyer")

    # ------------------------------------------------------------------
    # Who writes what
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_litigation_fields_are_written_by_the_litigation_alone(self):
        customer = self.customer.with_user(self.controller)
        with self.assertRaisesText(AccessError, "In Litigation"):
            customer.write({"dunning_litigation": True})
        with self.assertRaises(AccessError):
            customer.write({"dunning_litigation_road": "lawyer"})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.controller).create(
                {"name": "Sneaky", "dunning_litigation": True}
            )
        self.assertFalse(self.customer.with_company(self.company).dunning_litigation)
        litigation = self._put_in_litigation()
        # a litigation is closed by Take Out of Litigation only, which says why
        with self.assertRaises(AccessError):
            litigation.with_user(self.controller).write({"state": "closed"})
        with self.assertRaises(AccessError):
            litigation.with_user(self.controller).write({"partner_id": self.partner_a.id})
        with self.assertRaises(AccessError):
            customer.write({"dunning_litigation": False})
        self.assertTrue(self.customer.with_company(self.company).dunning_litigation)
        # changing the road of the open litigation changes the customer's
        litigation.with_user(self.controller).road = "agency"
        self.assertEqual(self.customer.with_company(self.company).dunning_litigation_road, "agency")

    @freeze_time("2026-04-20")
    def test_readers_cannot_put_in_or_take_out_of_litigation(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.auditor)._dunning_open_litigation("lawyer")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.auditor).action_dunning_open_litigation()
        with self.assertRaises(AccessError):
            self.Litigation.with_user(self.auditor).create(
                {"partner_id": self.customer.id, "road": "lawyer"}
            )
        litigation = self._put_in_litigation()
        # readers see it, and that the customer is in litigation
        self.assertEqual(self.Litigation.with_user(self.auditor).search([]), litigation)
        self.assertTrue(self.customer.with_user(self.auditor).dunning_litigation)
        with self.assertRaises(AccessError):
            litigation.with_user(self.auditor)._close("paid")
        with self.assertRaises(AccessError):
            litigation.with_user(self.auditor).action_take_out()
        # other employees see neither
        with self.assertRaises(AccessError):
            self.Litigation.with_user(self.employee).search([])
        self.assertEqual(litigation.state, "open")

    def test_expired_formal_notice_of_a_customer_in_litigation_asks_nothing(self):
        """The daily job tells the responsible when a formal notice's
        deadline passed unpaid, to decide on litigation: not once the
        customer is in litigation."""
        self.notice.write({"send_email": True, "send_letter": False})
        self.customer.with_company(self.company).dunning_responsible_id = self.controller
        with freeze_time("2026-03-02"):
            invoice = self._invoice(1000, "2026-01-15")
            invoice.sudo().write({"dunning_level_id": self.second.id, "dunning_count": 2})
            notice = self._remind(self._state(invoice))
            self.assertEqual(notice.notice_deadline, date(2026, 3, 10))
        with freeze_time("2026-03-11"):
            self.assertEqual(self.customer._dunning_get_expired_notice(self.company), notice)
            self._put_in_litigation(road="order_for_payment")
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
            self.assertFalse(
                notice.activity_ids.filtered(
                    lambda activity: "decide on litigation" in (activity.summary or "")
                )
            )
            self.assertFalse(notice.notice_expired_activity)


@tagged("post_install", "-at_install")
class TestDunningLitigationDelete(DunningCommon):
    """An open litigation is closed with its reason, never deleted: the
    customer's history keeps why it ended."""

    def test_open_litigation_not_deleted(self):
        customer = self.env["res.partner"].create(
            {"name": "Client Contentieux", "is_company": True}
        )
        litigation = customer._dunning_open_litigation("lawyer")
        with self.assertRaises(UserError):
            litigation.unlink()
        self.assertTrue(customer.with_company(self.env.company).dunning_litigation)
        litigation._close("abandoned")
        self.assertFalse(customer.with_company(self.env.company).dunning_litigation)
        litigation.unlink()
        self.assertFalse(litigation.exists())
