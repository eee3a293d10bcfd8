# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the engine owns stays the engine's, and the wizards show only what
their user may see: the attempts made over JSON-RPC, as the attacker made
them, through the ORM with the rights of a Billing clerk (a reminder user),
a read-only accountant and a plain internal user. Each is refused
(AccessError) or does nothing; the clerk's normal paths still work. A new
screen, wizard or engine-owned field adds its attempts here."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningAttackEngineData(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.clerk = cls._user("attack_clerk", "account.group_account_invoice")
        cls.auditor = cls._user("attack_auditor", "base.group_user,account.group_account_readonly")
        cls.employee = cls._user("attack_employee", "base.group_user")
        cls.company_b = cls.setup_other_company(name="Attack Company B")["company"]
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Secret Customer B",
                "is_company": True,
                "email": "ap@secret-b.test",
                "company_id": cls.company_b.id,
            }
        )

    def _invoice_b(self, amount, due):
        """A posted invoice of company B, which the clerk may not read."""
        invoice = (
            self.env["account.move"]
            .with_company(self.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_b.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Secret", "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _remind_as(self, user, moves):
        """The engine's reminders of ``moves``, asked by ``user`` as the
        workbench asks, proposals untouched."""
        Dunning = self.env["account.dunning"].with_user(user)
        return Dunning._create_reminders(Dunning._prepare_proposals(moves.with_user(user)))

    def _reminders(self, partner=None):
        return self.env["account.dunning"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    # ------------------------------------------------------------------
    # Reminders and their lines: made by the engine alone
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_forged_reminders_are_refused(self):
        invoice = self._invoice(100, "2026-04-05")  # 15 days late: First reminder
        # an email the clerk may not even read, on another record
        victim = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": "Salaries",
                    "body_html": "<p>Confidential</p>",
                    "email_to": "boss@company.test",
                    "model": "res.partner",
                    "res_id": self.customer.id,
                }
            )
        )
        forged = {
            "partner_id": self.customer.id,
            "contact_id": self.customer.id,
            "level_id": self.notice.id,
            "state": "sent",
            "send_email": True,
            "email": self.customer.email,
            "email_state": "bounced",
            "mail_id": victim.id,
        }
        for user in (self.clerk, self.auditor, self.employee):
            Dunning = self.env["account.dunning"].with_user(user)
            with self.assertRaises(AccessError):
                Dunning.create(forged)
            # a draft with nothing of the engine's is a reminder all the same
            with self.assertRaises(AccessError):
                Dunning.create({"partner_id": self.customer.id, "level_id": self.first.id})
            # a default in the context is no way round
            with self.assertRaises(AccessError):
                Dunning.with_context(default_state="sent", default_email_state="bounced").create(
                    {"partner_id": self.customer.id, "level_id": self.first.id}
                )
        self.assertFalse(self._reminders())
        self.assertEqual(victim.state, "outgoing")
        # a forged "bounced" reminder would have turned this one into a
        # letter: the engine's goes by email
        reminder = self._remind_as(self.clerk, invoice)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.first)
        self.assertEqual(
            (reminder.send_email, reminder.send_letter, reminder.email_state),
            (True, False, "queued"),
        )
        self.assertEqual(reminder.mail_id.res_id, reminder.id)
        # a copy is a create, its lines are the engine's too
        with self.assertRaises(AccessError):
            reminder.with_user(self.clerk).copy()
        with self.assertRaises(AccessError):
            self.env["account.dunning.line"].with_user(self.clerk).create(
                {"dunning_id": reminder.id, "move_id": invoice.id, "new_level_id": self.notice.id}
            )
        self.assertEqual(self._reminders(), reminder)
        self.assertEqual(len(reminder.line_ids), 1)

    @freeze_time("2026-04-20")
    def test_engine_fields_of_a_sent_reminder_are_refused(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind_as(self.clerk, invoice)
        lenient = self.plan.copy({"name": "Lenient plan"})
        mine = reminder.with_user(self.clerk)
        for vals in (
            {"amount_due": 1.0},
            {"amount_overdue": 0.0},
            {"plan_id": lenient.id},
            {"level_id": self.notice.id},
            {"state": "failed"},
            {"email_state": "bounced"},
            {"mail_id": False},
            {"send_letter": True},
            {"letter_state": "to_post"},
            {"date": "2026-01-01"},
            {"line_ids": [Command.clear()]},
        ):
            with self.assertRaisesText(AccessError, "cannot be changed"):
                mine.write(vals)
        reminder.invalidate_recordset()
        self.assertEqual(
            (reminder.amount_due, reminder.plan_id, reminder.level_id, reminder.state),
            (100.0, self.plan, self.first, "sent"),
        )
        self.assertEqual((reminder.email_state, reminder.send_letter), ("queued", False))
        self.assertTrue(reminder.mail_id)
        self.assertEqual(reminder.line_ids.move_id, invoice)
        # what is the clerk's stays theirs: a comment, a severity, a note
        mine.write({"comment": "Called the accountant", "severity": 4})
        mine.message_post(body="Promised for Friday")
        self.assertEqual((reminder.comment, reminder.severity), ("Called the accountant", 4))
        # a read-only accountant writes nothing
        with self.assertRaises(AccessError):
            reminder.with_user(self.auditor).comment = "Seen"

    @freeze_time("2026-04-20")
    def test_cancel_withdraws_only_the_reminders_own_email(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind_as(self.clerk, invoice)
        own = reminder.mail_id
        # an email of another record, in the queue: a reminder pointing at
        # it (a forgery of before, or an old mistake) must not withdraw it
        other = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": "Quote",
                    "body_html": "<p>Hello</p>",
                    "email_to": "someone@else.test",
                    "model": "res.partner",
                    "res_id": self.customer.id,
                }
            )
        )
        reminder.sudo().mail_id = other
        reminder.with_user(self.clerk).action_cancel()
        self.assertEqual(reminder.state, "cancel")
        self.assertEqual(other.state, "outgoing")
        # the invoice is back to no level, as before the reminder
        self.assertFalse(invoice.dunning_level_id)
        self.assertEqual(invoice.dunning_count, 0)
        # the clerk's own cancel of an untouched reminder withdraws its email
        second = self._remind_as(self.clerk, self._invoice(200, "2026-04-01"))
        self.assertEqual(second.mail_id.state, "outgoing")
        second.with_user(self.clerk).action_cancel()
        self.assertEqual((second.mail_id.state, second.email_state), ("cancel", "cancel"))
        self.assertEqual(own.state, "outgoing")

    # ------------------------------------------------------------------
    # The invoices' reminder fields
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_invoice_levels_are_the_engines_and_the_workbench_stays_advised(self):
        invoice = self._invoice(300, "2026-04-08")  # 12 days late: First reminder
        lenient = self.plan.copy({"name": "Lenient plan"})
        Move = invoice.with_user(self.clerk)
        for vals in (
            {"dunning_level_id": self.notice.id},
            {"dunning_count": 7},
            {"dunning_last_date": "2026-04-19"},
            {"dunning_plan_id": lenient.id},
            {"dunning_date_due": "2026-01-01"},
        ):
            with self.assertRaises(AccessError):
                Move.write(vals)
        # a create (an import, a form) neither, nor a default in the context
        values = {
            "move_type": "out_invoice",
            "partner_id": self.customer.id,
            "invoice_date": "2026-04-01",
            "invoice_line_ids": [Command.create({"name": "x", "price_unit": 10, "tax_ids": []})],
        }
        NewMove = self.env["account.move"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            NewMove.create({**values, "dunning_level_id": self.notice.id})
        with self.assertRaises(AccessError):
            NewMove.with_context(default_dunning_count=3).create(values)
        # an import goes through the same write: the row is refused
        result = NewMove.load([".id", "dunning_count"], [[str(invoice.id), "9"]])
        self.assertTrue(result["messages"])
        self.assertFalse(result["ids"])
        invoice.invalidate_recordset()
        self.assertEqual(
            (invoice.dunning_level_id, invoice.dunning_count, invoice.dunning_last_date),
            (self.env["account.dunning.level"], 0, False),
        )
        self.assertEqual(invoice.dunning_plan_id, self.plan)
        # Do Not Remind stays the clerk's
        Move.dunning_blocked = True
        Move.dunning_blocked = False
        # the workbench proposes the level advised at 12 days, nothing above
        wizard = Form(self.env["account.dunning.wizard"].with_user(self.clerk)).save()
        wizard.action_search()
        self.assertEqual(wizard.line_ids.move_id, invoice)
        wizard.action_prepare()
        proposal = wizard.proposal_ids
        self.assertEqual(proposal.level_id, self.first)
        self.assertNotIn(self.notice, proposal.allowed_level_ids)
        wizard.action_create()
        self.assertEqual(wizard.dunning_ids.level_id, self.first)
        self.assertEqual((invoice.dunning_level_id, invoice.dunning_count), (self.first, 1))

    @freeze_time("2026-04-20")
    def test_daily_job_writes_the_levels(self):
        """The engine keeps writing what it owns, as the daily job does."""
        self.first.auto_send = True
        self.customer.dunning_mode = "automatic"
        invoice = self._invoice(100, "2026-04-05")
        with self.assertRaises(AccessError):
            invoice.with_user(self.clerk).dunning_level_id = self.first
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        reminder = self._reminders()
        self.assertEqual((reminder.state, reminder.level_id), ("sent", self.first))
        self.assertEqual((invoice.dunning_level_id, invoice.dunning_count), (self.first, 1))

    def test_charges_are_linked_by_invoicing_them_alone(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.company.country_id = self.env.ref("base.fr")
        manager = self._user(
            "attack_charges_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
        )
        with freeze_time("2026-03-03"):
            invoice = self._invoice(1000, "2026-02-01", invoice_date="2026-01-02", currency=eur)
            values = {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "currency_id": eur.id,
                "invoice_date": "2026-03-03",
            }
            Move = self.env["account.move"].with_user(self.clerk)
            # a line of the clerk's that says it invoiced the penalties
            with self.assertRaises(AccessError):
                Move.create(
                    {
                        **values,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Nothing",
                                    "price_unit": 9.99,
                                    "tax_ids": [],
                                    "dunning_charged_move_id": invoice.id,
                                    "dunning_charge_kind": "penalty",
                                }
                            )
                        ],
                    }
                )
            draft = Move.create(
                {
                    **values,
                    "invoice_line_ids": [
                        Command.create({"name": "Nothing", "price_unit": 9.99, "tax_ids": []})
                    ],
                }
            )
            with self.assertRaises(AccessError):
                draft.invoice_line_ids.write(
                    {"dunning_charged_move_id": invoice.id, "dunning_charge_kind": "penalty"}
                )
            with self.assertRaises(AccessError):
                invoice.with_user(self.clerk).write(
                    {"dunning_charge_line_ids": [Command.link(draft.invoice_line_ids.id)]}
                )
            self.assertFalse(draft.invoice_line_ids.dunning_charged_move_id)
            self.assertEqual(invoice.dunning_penalty_charged, 0.0)
            # the manager's Invoice the Charges links them: 30 days at
            # 12.15 %: 1000 x 12.15 % x 30 / 365 = 9.9863; 40 of indemnity
            action = invoice.with_user(manager).action_dunning_invoice_charges()
            preview = self.env[action["res_model"]].with_user(manager).browse(action["res_id"])
            charges_invoice = self.env["account.move"].browse(preview.action_invoice()["res_id"])
            self.assertEqual(
                [
                    (line.dunning_charged_move_id, line.dunning_charge_kind, line.price_unit)
                    for line in charges_invoice.invoice_line_ids
                ],
                [(invoice, "penalty", 9.99), (invoice, "indemnity", 40.0)],
            )
            self.assertEqual(charges_invoice.create_uid, manager)
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_penalty_charged, 9.99)
            self.assertTrue(invoice.dunning_indemnity_charged)

    # ------------------------------------------------------------------
    # Wizards: what the user may see, in the companies selected
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_workbench_rows_refuse_another_companys_invoice(self):
        invoice_b = self._invoice_b(5000, "2026-03-01")
        mine = self._invoice(100, "2026-04-05")
        wizard = self.env["account.dunning.wizard"].with_user(self.clerk).create({})
        Line = self.env["account.dunning.wizard.line"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            Line.create({"wizard_id": wizard.id, "move_id": invoice_b.id})
        Proposal = self.env["account.dunning.wizard.proposal"].with_user(self.clerk)
        proposal = {
            "wizard_id": wizard.id,
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "currency_id": self.company.currency_id.id,
            "level_id": self.first.id,
            "move_ids": [Command.set(invoice_b.ids)],
        }
        with self.assertRaises(AccessError):
            Proposal.create(proposal)
        with self.assertRaises(AccessError):
            Proposal.create(
                {
                    **proposal,
                    "company_id": self.company_b.id,
                    "partner_id": self.partner_b.id,
                    "move_ids": [Command.set(mine.ids)],
                }
            )
        # nor does the engine remind it, whatever the proposal says
        with self.assertRaises(AccessError):
            self.env["account.dunning.engine"].with_user(self.clerk)._create_reminders_report(
                [{**proposal, "move_ids": invoice_b.ids, "send_email": True}]
            )
        self.assertFalse(self._reminders(self.partner_b))
        # a row made for them anyway is read with the clerk's rights: refused,
        # not shown (its number, customer, amounts, level)
        line = Line.sudo().create({"wizard_id": wizard.id, "move_id": invoice_b.id})
        line.invalidate_recordset()
        for fname in ("move_name", "partner_id", "amount_residual", "date_due", "level_id"):
            with self.assertRaises(AccessError):
                line.sudo(False)[fname]
        line.sudo().unlink()
        # the normal path: the clerk's own invoice, sent from the workbench
        own = Line.create({"wizard_id": wizard.id, "move_id": mine.id, "selected": True})
        self.assertEqual((own.move_name, own.amount_residual), (mine.name, 100.0))
        wizard.action_prepare()
        wizard.action_create()
        self.assertEqual(wizard.dunning_ids.line_ids.move_id, mine)

    @freeze_time("2026-04-20")
    def test_companies_are_those_the_user_selected(self):
        invoice_b = self._invoice_b(5000, "2026-03-01")
        both = new_test_user(
            self.env,
            login="attack_clerk_two_companies",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | self.company_b).ids)],
        )
        in_one = (
            self.env["account.dunning.wizard"]
            .with_user(both)
            .with_context(allowed_company_ids=self.company.ids)
        )
        wizard = in_one.create({})
        with self.assertRaises(AccessError):
            self.env["account.dunning.wizard.line"].with_env(in_one.env).create(
                {"wizard_id": wizard.id, "move_id": invoice_b.id}
            )
        with self.assertRaises(AccessError):
            self.env["account.dunning.wizard.proposal"].with_env(in_one.env).create(
                {
                    "wizard_id": wizard.id,
                    "company_id": self.company_b.id,
                    "partner_id": self.customer.id,
                    "currency_id": self.company.currency_id.id,
                    "level_id": self.first.id,
                }
            )
        # with company B selected too, it is theirs to see
        in_both = in_one.with_context(allowed_company_ids=(self.company | self.company_b).ids)
        line = (
            self.env["account.dunning.wizard.line"]
            .with_env(in_both.env)
            .create({"wizard_id": wizard.id, "move_id": invoice_b.id})
        )
        self.assertEqual(line.move_name, invoice_b.name)

    @freeze_time("2026-04-20")
    def test_call_charges_and_statement_wizards_refuse_another_companys_records(self):
        invoice_b = self._invoice_b(5000, "2026-03-01")
        mine = self._invoice(100, "2026-04-05")
        Call = self.env["account.dunning.call.wizard"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            Call.create(
                {
                    "partner_id": self.partner_b.id,
                    "move_ids": [Command.set(invoice_b.ids)],
                    "level_id": self.first.id,
                }
            )
        with self.assertRaises(AccessError):
            Call.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set((mine | invoice_b).ids)],
                    "level_id": self.first.id,
                }
            )
        # the normal path: Log a Call on the clerk's own invoice
        action = mine.with_user(self.clerk).action_dunning_log_call()
        call = Call.browse(action["res_id"])
        self.assertEqual(call.line_ids.amount_due, 100.0)
        with self.assertRaises(AccessError):
            self.env["account.dunning.call.wizard.line"].with_user(self.clerk).create(
                {
                    "wizard_id": call.id,
                    "company_id": self.company_b.id,
                    "currency_id": self.company_b.currency_id.id,
                    "move_ids": [Command.set(invoice_b.ids)],
                }
            )
        with Form(call) as form:
            form.outcome = "no_answer"
        call.action_log()
        logged = self._reminders()
        self.assertEqual((logged.call_outcome, logged.line_ids.move_id), ("no_answer", mine))
        # the charges preview and the statements
        with self.assertRaises(AccessError):
            self.env["account.dunning.charges.wizard"].with_user(self.clerk).create(
                {"line_ids": [Command.create({"move_id": invoice_b.id, "penalty": 1.0})]}
            )
        with self.assertRaises(AccessError):
            self.env["account.dunning.statement.wizard"].with_user(self.clerk).create(
                {"partner_ids": [Command.set(self.partner_b.ids)]}
            )
        statement = (
            self.env["account.dunning.statement.wizard"]
            .with_user(self.clerk)
            .create({"partner_ids": [Command.set(self.customer.ids)]})
        )
        self.assertEqual(statement.partner_ids, self.customer)
