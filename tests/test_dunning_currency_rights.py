# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningCurrencyRights(DunningCommon):
    """No screen adds two currencies (a call's promises, list group totals,
    pivots); the address saved on a contact from a reminder obeys the
    user's rights; the reminder settings of a customer leave a trace."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        # the company's currency is the dollar; one dollar is worth two euros
        cls.usd = cls.company.currency_id
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        cls.clerk = cls._user("currency_rights_clerk", "account.group_account_invoice")

    def _call_wizard(self, record, user=None):
        action = record.with_user(user or self.clerk).action_dunning_log_call()
        return (
            self.env["account.dunning.call.wizard"]
            .with_user(user or self.clerk)
            .with_context(**record.env.context)
            .browse(action["res_id"])
        )

    def _promises(self, partner=None):
        return self.env["account.dunning.promise"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    # ------------------------------------------------------------------
    # Currencies
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_call_on_two_currencies_makes_one_promise_per_currency(self):
        eur_invoice = self._invoice(1200, "2026-04-05", currency=self.eur)
        usd_invoice = self._invoice(2500, "2026-04-05")
        wizard = self._call_wizard(self.customer)
        self.assertEqual(wizard.move_ids, eur_invoice | usd_invoice)
        # the amounts due per currency, never 3,700 of anything
        due = {line.currency_id: line.amount_due for line in wizard.line_ids}
        self.assertEqual(due, {self.eur: 1200, self.usd: 2500})
        self.assertFalse(wizard.promise_amount)
        eur_index = wizard.line_ids.currency_id.ids.index(self.eur.id)
        with Form(wizard) as form:
            form.outcome = "promised"
            form.promise_date = "2026-04-30"
            with form.line_ids.edit(eur_index) as line:
                line.amount = 1000  # part of the euros; all the dollars
        wizard.action_log()
        promises = self._promises()
        self.assertEqual(len(promises), 2)
        by_currency = {promise.currency_id: promise for promise in promises}
        eur_promise, usd_promise = by_currency[self.eur], by_currency[self.usd]
        self.assertEqual(eur_promise.move_ids, eur_invoice)
        self.assertEqual((eur_promise.amount, eur_promise.residual_start), (1000, 1200))
        self.assertEqual(usd_promise.move_ids, usd_invoice)
        self.assertEqual((usd_promise.amount, usd_promise.residual_start), (2500, 2500))
        # the call is logged once per currency, as every reminder is
        calls = self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(calls), 2)
        self.assertEqual(eur_promise.reminder_id.currency_id, self.eur)
        self.assertEqual(eur_promise.reminder_id.line_ids.move_id, eur_invoice)
        self.assertEqual(usd_promise.reminder_id.line_ids.move_id, usd_invoice)
        self.assertEqual(eur_promise.reminder_id.amount_due, 1200)
        # both invoices wait for their promise
        self._state(eur_invoice | usd_invoice)
        self.assertFalse(eur_invoice.dunning_to_remind or usd_invoice.dunning_to_remind)

    @freeze_time("2026-04-20")
    def test_call_promise_in_one_currency_only(self):
        eur_invoice = self._invoice(1200, "2026-04-05", currency=self.eur)
        self._invoice(2500, "2026-04-05")
        wizard = self._call_wizard(self.customer)
        usd_index = wizard.line_ids.currency_id.ids.index(self.usd.id)
        with Form(wizard) as form:
            form.outcome = "promised"
            form.promise_date = "2026-04-30"
            with form.line_ids.edit(usd_index) as line:
                line.amount = 0  # nothing promised in dollars
        wizard.action_log()
        promise = self._promises()
        self.assertEqual(len(promise), 1)
        self.assertEqual((promise.currency_id, promise.amount), (self.eur, 1200))
        self.assertEqual(promise.move_ids, eur_invoice)
        # the promise form of a customer in two currencies says what to do
        with self.assertRaisesText(UserError, "several currencies"):
            self.customer.with_user(self.clerk).action_dunning_promise()

    @freeze_time("2026-04-20")
    def test_call_on_two_companies_records_a_promise_per_company(self):
        company_b = self.setup_other_company(name="Currency Rights B")["company"]
        user = new_test_user(
            self.env,
            login="two_companies_clerk",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | company_b).ids)],
        )
        invoice_a = self._invoice(100, "2026-04-05")
        invoice_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-03-01",
                    "invoice_date_due": "2026-03-01",
                    "invoice_line_ids": [
                        Command.create({"name": "x", "price_unit": 300, "tax_ids": []})
                    ],
                }
            )
        )
        invoice_b.action_post()
        both = self.customer.with_context(allowed_company_ids=(self.company | company_b).ids)
        wizard = self._call_wizard(both, user=user)
        self.assertEqual(wizard.move_ids, invoice_a | invoice_b)
        with Form(wizard) as form:
            form.outcome = "promised"
            form.promise_date = "2026-04-30"
        wizard.action_log()
        promises = self._promises()
        self.assertEqual(len(promises), 2)
        by_company = {promise.company_id: promise for promise in promises}
        self.assertEqual(by_company[self.company].move_ids, invoice_a)
        self.assertEqual(by_company[self.company].amount, 100)
        self.assertEqual(by_company[company_b].move_ids, invoice_b)
        self.assertEqual(by_company[company_b].amount, 300)
        # each company's call at a level of its own plan
        call_b = by_company[company_b].reminder_id
        self.assertEqual(call_b.company_id, company_b)
        self.assertEqual(call_b.level_id.plan_id, company_b.dunning_default_plan_id)
        self.assertEqual(call_b.line_ids.move_id, invoice_b)
        self.assertEqual(by_company[self.company].reminder_id.level_id, self.first)

    @freeze_time("2026-04-20")
    def test_list_totals_are_in_a_stated_currency(self):
        eur_invoice = self._invoice(1200, "2026-04-05", currency=self.eur)
        usd_invoice = self._invoice(2500, "2026-04-05")
        Move = self.env["account.move"].with_user(self.clerk)
        # grouped by currency, the worklist's euro group adds company-currency
        # amounts (1,200 EUR at 2 EUR per USD = 600 USD), and its column says so
        groups = Move.read_group(
            [("id", "in", (eur_invoice | usd_invoice).ids)],
            ["amount_residual_signed:sum", "dunning_amount_residual"],
            ["currency_id"],
        )
        totals = {group["currency_id"][0]: group["amount_residual_signed"] for group in groups}
        self.assertEqual(totals, {self.eur.id: 600, self.usd.id: 2500})
        self.assertTrue(all("dunning_amount_residual" not in group for group in groups))
        worklist = self._arch(Move, "account_dunning.account_move_view_list_dunning", "list")
        column = worklist.xpath("//field[@name='amount_residual_signed']")[0]
        self.assertIn("Company Currency", column.get("string"))
        fields = Move.fields_get(["amount_residual_signed", "dunning_amount_residual"])
        self.assertEqual(fields["amount_residual_signed"]["currency_field"], "company_currency_id")
        self.assertFalse(fields["dunning_amount_residual"].get("aggregator"))
        # promises are in their invoices' currency: never summed
        Promise = self.env["account.dunning.promise"].with_user(self.clerk)
        promise_fields = Promise.fields_get(["amount", "residual_start"])
        self.assertFalse(promise_fields["amount"].get("aggregator"))
        self.assertFalse(promise_fields["residual_start"].get("aggregator"))
        promises = self._arch(Promise, "account_dunning.account_dunning_promise_view_list", "list")
        self.assertFalse(promises.xpath("//field[@name='amount'][@sum]"))
        # reminders and Customer Accounts: the totals' columns say their currency
        Dunning = self.env["account.dunning"].with_user(self.clerk)
        reminders = self._arch(Dunning, "account_dunning.account_dunning_view_list", "list")
        column = reminders.xpath("//field[@name='amount_due_company']")[0]
        self.assertIn(
            "Company Currency",
            column.get("string")
            or Dunning.fields_get(["amount_due_company"])["amount_due_company"]["string"],
        )
        Customer = self.env["account.dunning.customer"].with_user(self.clerk)
        accounts = self._arch(
            Customer, "account_dunning.account_dunning_customer_view_list", "list"
        )
        for name in ("amount_due", "amount_overdue", "invoiced_amount"):
            self.assertIn(
                "Company Currency", accounts.xpath(f"//field[@name='{name}']")[0].get("string")
            )
        # the aging's measure says its currency; with two companies, per company
        Aging = self.env["account.dunning.aging"]
        self.assertIn(
            "Company Currency", Aging.fields_get(["amount_residual"])["amount_residual"]["string"]
        )
        self.clerk.groups_id |= self.env.ref("base.group_multi_company")
        pivot = self._arch(
            Aging.with_user(self.clerk), "account_dunning.account_dunning_aging_view_pivot", "pivot"
        )
        self.assertEqual(pivot.xpath("//field[@type='row']/@name")[0], "company_id")

    def _arch(self, model, xmlid, view_type):
        view = model.get_view(self.env.ref(xmlid).id, view_type)
        return etree.fromstring(view["arch"])

    # ------------------------------------------------------------------
    # Save on the Contact
    # ------------------------------------------------------------------

    def _proposal(self, invoice, user, contact, email):
        """The workbench's proposal of ``invoice``, as ``user`` prepared it,
        with ``email`` typed for ``contact``."""
        wizard = Form(self.env["account.dunning.wizard"].with_user(user)).save()
        wizard.action_search()
        for line in wizard.line_ids:
            line.selected = line.move_id == invoice
        wizard.action_prepare()
        proposal = wizard.proposal_ids
        proposal.write({"contact_id": contact.id, "email": email})
        return proposal

    def _engine_values(self, proposal, email):
        return proposal._get_values() | {"email": email, "save_email": True}

    @freeze_time("2026-04-20")
    def test_save_on_contact_refused_on_a_portal_login(self):
        invoice = self._invoice(100, "2026-04-05")
        portal = new_test_user(
            self.env, login="dupont_portal", groups="base.group_portal", email="jean@dupont.test"
        )
        contact = portal.partner_id
        contact.parent_id = self.customer
        proposal = self._proposal(invoice, self.clerk, contact, "clerk@attacker.test")
        # refused as soon as it is ticked in the workbench
        with self.assertRaisesText(UserError, "login"):
            proposal.save_email = True
        # and by the engine, whatever asks, before anything is made
        Engine = self.env["account.dunning.engine"].with_user(self.clerk)
        with self.assertRaisesText(UserError, "login"):
            Engine._create_reminders_report([self._engine_values(proposal, "clerk@attacker.test")])
        self.assertEqual(contact.email, "jean@dupont.test")
        self.assertEqual(portal.email, "jean@dupont.test")
        self.assertFalse(
            self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
        )
        # a manager of contacts may not either: a login is changed in its user
        manager = self._user(
            "contacts_manager", "account.group_account_invoice,base.group_partner_manager"
        )
        with self.assertRaisesText(UserError, "login"):
            Engine.with_user(manager)._create_reminders_report(
                [self._engine_values(proposal, "clerk@attacker.test")]
            )
        self.assertEqual(contact.email, "jean@dupont.test")

    @freeze_time("2026-04-20")
    def test_save_on_contact_needs_the_right_to_edit_it(self):
        invoice = self._invoice(100, "2026-04-05")
        contact = self.env["res.partner"].create(
            {"name": "Jean Dupont", "parent_id": self.customer.id, "email": "jean@dupont.test"}
        )
        proposal = self._proposal(invoice, self.clerk, contact, "jd@dupont.test")
        with self.assertRaisesText(AccessError, "You may not edit Dupont SARL, Jean Dupont"):
            proposal.save_email = True
        Engine = self.env["account.dunning.engine"].with_user(self.clerk)
        with self.assertRaisesText(AccessError, "You may not edit"):
            Engine._create_reminders_report([self._engine_values(proposal, "jd@dupont.test")])
        self.assertEqual(contact.email, "jean@dupont.test")
        self.assertFalse(
            self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
        )
        # unticked, the address is used for this reminder only
        proposal.wizard_id.action_create()
        reminder = proposal.wizard_id.dunning_ids
        self.assertEqual(reminder.email, "jd@dupont.test")
        self.assertEqual(contact.email, "jean@dupont.test")

    @freeze_time("2026-04-20")
    def test_save_on_contact_needs_one_valid_address(self):
        invoice = self._invoice(100, "2026-04-05")
        manager = self._user(
            "contacts_manager_2", "account.group_account_invoice,base.group_partner_manager"
        )
        contact = self.env["res.partner"].create(
            {"name": "Jean Dupont", "parent_id": self.customer.id, "email": "jean@dupont.test"}
        )
        proposal = self._proposal(invoice, manager, contact, "jd@dupont.test")
        Engine = self.env["account.dunning.engine"].with_user(manager)
        for wrong in (
            "jd@dupont.test\nBcc: someone@else.test",
            "jd@dupont.test, someone@else.test",
            "jean dupont",
        ):
            with self.assertRaisesText(UserError, "not one valid email address"):
                proposal.write({"email": wrong, "save_email": True})
            with self.assertRaisesText(UserError, "not one valid email address"):
                Engine._create_reminders_report([self._engine_values(proposal, wrong)])
            self.assertEqual(contact.email, "jean@dupont.test")
        # a valid address is saved, with the user's rights, and said on the contact
        proposal.write({"email": "jd@dupont.test", "save_email": True})
        proposal.wizard_id.action_create()
        reminder = proposal.wizard_id.dunning_ids
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(contact.email, "jd@dupont.test")
        self.assertEqual(reminder.mail_id.recipient_ids, contact)
        note = contact.message_ids.filtered(lambda m: "jd@dupont.test" in (m.body or ""))
        self.assertEqual(note.author_id, manager.partner_id)

    # ------------------------------------------------------------------
    # Tracking
    # ------------------------------------------------------------------

    def test_reminder_settings_are_tracked(self):
        other_plan = self.plan.copy({"name": "Strict plan"})
        responsible = self._user("currency_rights_responsible", "account.group_account_invoice")
        self.customer.message_ids.unlink()
        # the customer was made in this transaction, and Odoo tracks nothing
        # of a record until the transaction that made it ends: end it here
        self.env.flush_all()
        self.env.cr.precommit.run()
        # a credit controller sets them on the customer's form (with the
        # chatter on, which the test classes turn off)
        customer = self.customer.with_user(self.clerk).with_context(
            tracking_disable=False, mail_notrack=False
        )
        with Form(customer) as form:
            form.dunning_plan_id = other_plan
            form.dunning_mode = "automatic"
            form.dunning_responsible_id = responsible
            form.dunning_blocked = True
            form.dunning_penalty_rate = 15.0
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.customer.invalidate_recordset(["message_ids"])
        tracked = self.customer.message_ids.tracking_value_ids
        changes = {
            tracking.field_id.name: (
                (tracking.old_value_char, tracking.new_value_char),
                (tracking.old_value_integer, tracking.new_value_integer),
                (tracking.old_value_float, tracking.new_value_float),
            )
            for tracking in tracked
        }
        self.assertEqual(changes["dunning_plan_id"][0], ("", "Strict plan"))
        self.assertEqual(changes["dunning_mode"][0], ("Manual", "Automatic"))
        self.assertEqual(changes["dunning_responsible_id"][0], ("", responsible.name))
        self.assertEqual(changes["dunning_blocked"][1], (0, 1))
        self.assertEqual(changes["dunning_penalty_rate"][2], (0.0, 15.0))
        self.assertEqual(tracked.mail_message_id.author_id, self.clerk.partner_id)
