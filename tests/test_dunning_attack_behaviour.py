# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The payment behaviour, the priorities, the registered letters, the
previews and the Collection Overview, tried as an attacker does over
JSON-RPC: each public method and each new model called through the ORM as
a plain internal user, a read-only accountant, a billing clerk (reminder
user) and a billing clerk of another company; the figures the engine owns
written by hand; searches with what a saved filter or a request may hold.
Each is refused (AccessError, or a UserError that says why) or shows
nothing of the other company; the clerk's normal paths still work."""

import contextlib

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon

USERS = "Only payment reminder users may"
READERS = "Only payment reminder users and read-only accountants may"
NUMBER = "1A 234 567 8901 2"


@tagged("post_install", "-at_install")
class TestDunningAttackBehaviour(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.notice.letter_registered = True
        address = {"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"}
        cls.customer.write(address)
        cls.clerk = cls._user("behaviour_attack_clerk", "account.group_account_invoice")
        cls.auditor = cls._user(
            "behaviour_attack_auditor", "base.group_user,account.group_account_readonly"
        )
        cls.employee = cls._user("behaviour_attack_employee", "base.group_user")
        # a clerk who may also create and edit contacts
        cls.partner_clerk = cls._user(
            "behaviour_attack_partner_clerk",
            "account.group_account_invoice,base.group_partner_manager",
        )
        cls.company_b = cls.setup_other_company(name="Behaviour Attack B")["company"]
        cls.clerk_b = new_test_user(
            cls.env,
            login="behaviour_attack_clerk_b",
            groups="account.group_account_invoice",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.plan_b = cls.env["account.dunning.plan"].create(
            {
                "name": "Plan B",
                "company_id": cls.company_b.id,
                "partner_type": "all",
                "level_ids": [Command.create({"name": "First reminder B", "days": 10})],
            }
        )
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Secret Customer B",
                "is_company": True,
                "email": "ap@secret-b.test",
                "company_id": cls.company_b.id,
                **address,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _refused(self, call):
        """``call()`` is refused: an AccessError, or a MissingError for
        rows that do not exist for the user (a report's rows of another
        company)."""
        with self.assertRaises(Exception) as catcher:
            call()
        self.assertIsInstance(catcher.exception, AccessError | MissingError)

    def _notice(self, partner=None):
        """Company A's formal notice of a 1,000 invoice due 2026-01-15,
        by email and registered letter: a letter to post."""
        invoice = self._invoice(1000, "2026-01-15", partner=partner)
        invoice.sudo().write({"dunning_level_id": self.second.id, "dunning_count": 2})
        Dunning = self.env["account.dunning"]
        notice = Dunning._create_reminders(Dunning._prepare_proposals(self._state(invoice)))
        self.assertEqual((notice.level_id, notice.letter_state), (self.notice, "to_post"))
        self.assertTrue(notice.registered_letter)
        return notice

    def _late_payer(self):
        """Company A's customer who paid 1,000 ten days late and owes 500
        since 2026-03-01: a grade, a priority, expected cash."""
        paid = self._invoice(1000, "2026-02-01", invoice_date="2026-01-01")
        self._pay(paid, 1000, "2026-02-11")
        open_invoice = self._invoice(500, "2026-03-01", invoice_date="2026-02-01")
        self.env["res.partner"]._dunning_refresh_payment_behaviour()
        self.env.invalidate_all()
        self.assertEqual(self.customer.with_company(self.company).dunning_grade, "B")
        return open_invoice

    def _proposal(self):
        """A proposal of company A's workbench for a customer of its own,
        prepared by its clerk."""
        customer = self.env["res.partner"].create(
            {"name": "Martin SA", "is_company": True, "email": "ap@martin.test"}
        )
        self._invoice(300, "2026-03-25", partner=customer)
        form = Form(self.env["account.dunning.wizard"].with_user(self.clerk))
        form.partner_ids.add(customer)
        wizard = form.save()
        wizard.action_search()
        wizard.action_prepare()
        self.assertTrue(wizard.proposal_ids)
        return wizard.proposal_ids[:1]

    # ------------------------------------------------------------------
    # Every public method, every user
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_public_methods_refuse_who_may_not(self):
        """Over RPC, ``call_kw`` on records the user picks: a plain user,
        a read-only accountant and company B's clerk try each button of
        the new screens on company A's records."""
        notice = self._notice()
        proposal = self._proposal()
        Customer = self.env["account.dunning.customer"]
        Overview = self.env["account.dunning.overview"]
        card = Overview.search([("company_id", "=", self.company.id), ("kind", "=", "overdue")])
        row = self.env["account.dunning.overview.responsible"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.assertTrue(card and row)
        # the refresh rewrites every customer's figures: reminder users only
        for user in (self.employee, self.auditor):
            with self.assertRaisesText(AccessError, f"{USERS} refresh the customers'"):
                Customer.with_user(user).action_refresh_payment_behaviour()
        # letters: posted and acknowledged by reminder users only
        for user in (self.employee, self.auditor):
            with self.assertRaisesText(AccessError, f"{USERS} mark letters as posted"):
                notice.with_user(user).action_mark_posted()
        notice._mark_letters_posted({notice.id: NUMBER})
        for user in (self.employee, self.auditor):
            with self.assertRaisesText(AccessError, f"{USERS} record acknowledgements"):
                notice.with_user(user).action_record_receipt()
        # company B's clerk may do neither on company A's letter
        with self.assertRaises(AccessError):
            notice.with_user(self.clerk_b).action_record_receipt()
        with self.assertRaises(AccessError):
            notice.with_user(self.clerk_b)._record_registered_receipt(NUMBER, "2026-04-18")
        # previews: a proposal's for reminder users, a level's for readers too
        with self.assertRaises(AccessError):
            proposal.with_user(self.auditor).action_preview()
        with self.assertRaises(AccessError):
            proposal.with_user(self.employee).action_preview()
        # company B's clerk may read company A's proposal (a transient
        # record), not preview it
        with self.assertRaises(AccessError):
            proposal.with_user(self.clerk_b).action_preview()
        with self.assertRaises(AccessError):
            self.first.with_user(self.employee).action_preview()
        with self.assertRaises(AccessError):
            self.first.with_user(self.clerk_b).action_preview()
        # the Collection Overview: readers only, their companies only
        for method in ("action_open", "action_open_trend", "action_open_responsibles"):
            with self.assertRaisesText(AccessError, f"{READERS} see the Collection Overview"):
                getattr(card.with_user(self.employee), method)()
            self._refused(getattr(card.with_user(self.clerk_b), method))
            self.assertEqual(
                getattr(card.with_user(self.auditor), method)()["type"], "ir.actions.act_window"
            )
        for method in ("action_open_customers", "action_open_activities"):
            with self.assertRaisesText(AccessError, f"{READERS} see the Collection Overview"):
                getattr(row.with_user(self.employee), method)()
            self._refused(getattr(row.with_user(self.clerk_b), method))
        # nothing changed
        self.assertEqual(notice.registered_number, NUMBER)
        self.assertFalse(notice.registered_ack_date)

    # ------------------------------------------------------------------
    # What the engine owns
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_engine_owned_figures_are_refused(self):
        open_invoice = self._late_payer()
        customer = self.customer.with_user(self.partner_clerk)
        forged = {
            "dunning_avg_days_late": 0.0,
            "dunning_avg_days_late_before": 0.0,
            "dunning_on_time_rate": 1.0,
            "dunning_grade": "A",
            "dunning_priority": 0,
        }
        # the clerk may write a customer, not its figures
        customer.write({"comment": "Calls on Mondays"})
        for fname, value in forged.items():
            with self.subTest(field=fname):
                with self.assertRaisesText(AccessError, "written by the reminders alone"):
                    customer.write({fname: value})
                with self.assertRaisesText(AccessError, "written by the reminders alone"):
                    customer.create({"name": "Forged SA", fname: value})
                with self.assertRaisesText(AccessError, "written by the reminders alone"):
                    customer.with_context(**{f"default_{fname}": value}).create(
                        {"name": "Forged SA"}
                    )
                with self.assertRaises(AccessError):
                    self.customer.with_user(self.auditor).write({fname: value})
        self.env.invalidate_all()
        self.assertEqual(self.customer.with_company(self.company).dunning_grade, "B")
        # the invoices' priorities: rows the refresh alone writes
        Priority = self.env["account.dunning.priority"]
        row = Priority.search([("move_id", "=", open_invoice.id)])
        self.assertTrue(row.priority)
        for user in (self.clerk, self.auditor):
            with self.assertRaises(AccessError):
                row.with_user(user).write({"priority": 1000})
            with self.assertRaises(AccessError):
                Priority.with_user(user).create(
                    {"move_id": open_invoice.id, "company_id": self.company.id, "priority": 1}
                )
            with self.assertRaises(AccessError):
                row.with_user(user).unlink()
        # the company's average, which customers without history are
        # predicted with, is no clerk's to change
        with self.assertRaises(AccessError):
            self.company.with_user(self.clerk).write({"dunning_avg_days_late": 0.0})
        # an invoice's grade, prediction and priority are computed, not stored
        move = open_invoice.with_user(self.clerk)
        before = (move.dunning_grade, move.dunning_predicted_date, move.dunning_priority)
        with contextlib.suppress(AccessError, UserError):
            move.write({"dunning_grade": "A", "dunning_priority": 0})
        self.env.invalidate_all()
        self.assertEqual(
            (move.dunning_grade, move.dunning_predicted_date, move.dunning_priority), before
        )

    @freeze_time("2026-04-20")
    def test_registered_letters_engine_fields_are_refused(self):
        notice = self._notice()
        notice._mark_letters_posted({notice.id: NUMBER})
        as_clerk = notice.with_user(self.clerk)
        # what the reminder was and what the daily job did is the engine's
        for vals in (
            {"registered_letter": False},
            {"notice_days": 365},
            {"notice_date": "2026-04-01"},
            {"notice_deadline": "2027-01-01"},
            {"notice_expired_activity": True},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesText(AccessError, "made by the reminder engine"):
                    as_clerk.write(vals)
        # the acknowledgement is the clerk's, within its rules
        as_clerk.write({"registered_ack_date": "2026-04-20"})
        self.assertEqual(str(notice.notice_deadline), "2026-04-28")
        # a read-only accountant writes none of it
        with self.assertRaises(AccessError):
            notice.with_user(self.auditor).write({"registered_number": "forged"})
        self.assertEqual(notice.registered_number, NUMBER)

    def test_deadline_activity_shows_the_customers_name_as_text(self):
        """A customer sets its own name on the portal: in the activity the
        daily job gives the responsible when the formal notice's deadline
        passed, it is text, not a link."""
        evil = self.env["res.partner"].create(
            {
                "name": 'Evil <a href="https://evil.example/pay">Pay here</a>',
                "is_company": True,
                "email": "ap@evil.test",
                "street": "2 rue du Bac",
                "city": "Paris",
                "zip": "75007",
            }
        )
        evil.with_company(self.company).dunning_responsible_id = self.clerk
        with freeze_time("2026-03-02"):
            notice = self._notice(evil)
            notice._mark_letters_posted({notice.id: NUMBER})
            notice.with_user(self.clerk).write({"registered_ack_date": "2026-03-02"})
        with freeze_time("2026-03-11"):
            self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        activity = notice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn(notice.name, activity.note)
        self.assertNotIn("<a", activity.note)
        self.assertIn("&lt;a href", activity.note)

    # ------------------------------------------------------------------
    # Company B sees nothing of company A
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_company_b_reads_none_of_company_a_figures(self):
        open_invoice = self._late_payer()
        # the customer is shared (no company): it buys from B too
        for model in ("account.dunning.cash.forecast", "account.dunning.priority"):
            with self.subTest(model=model):
                a_rows = self.env[model].search([("company_id", "=", self.company.id)])
                self.assertTrue(a_rows)
                Model = self.env[model].with_user(self.clerk_b)
                self.assertFalse(Model.search([("company_id", "=", self.company.id)]))
                self.assertFalse(Model.search([("move_id", "=", open_invoice.id)]))
                self.assertFalse(Model._read_group([], ["company_id"], ["__count"]))
                a_rows.invalidate_recordset()
                self._refused(
                    lambda a_rows=a_rows: a_rows.with_user(self.clerk_b).read(
                        ["move_id", "company_id"]
                    )
                )
                with self.assertRaises(AccessError):
                    Model.with_context(allowed_company_ids=self.company.ids).search([])
        # the customer read in company B: B's figures (none), not A's
        shared = self.customer.with_user(self.clerk_b)
        self.assertEqual(
            (
                shared.dunning_grade,
                shared.dunning_avg_days_late,
                shared.dunning_on_time_rate,
                shared.dunning_priority,
                shared.dunning_grade_explanation,
                shared.dunning_notice_id,
            ),
            (False, 0.0, 0.0, 0, False, self.env["account.dunning"]),
        )
        Customer = self.env["account.dunning.customer"].with_user(self.clerk_b)
        self.assertFalse(Customer.search([("partner_id", "=", self.customer.id)]))
        # company A's invoice: neither read nor searched by its figures
        with self.assertRaises(AccessError):
            open_invoice.with_user(self.clerk_b).read(["dunning_grade", "dunning_priority"])
        Move = self.env["account.move"].with_user(self.clerk_b)
        self.assertFalse(Move.search([("dunning_priority", ">", 0)]))
        self.assertFalse(Move.search([("dunning_grade", "=", "B")]))

    @freeze_time("2026-04-20")
    def test_wizards_refuse_and_hide_another_companys_reminders(self):
        notice = self._notice()
        # company B's clerk makes the forms over RPC with company A's letter
        PostLine = self.env["account.dunning.post.wizard.line"].with_user(self.clerk_b)
        post = self.env["account.dunning.post.wizard"].with_user(self.clerk_b).create({})
        with self.assertRaises(AccessError):
            PostLine.create({"wizard_id": post.id, "dunning_id": notice.id})
        with self.assertRaises(AccessError):
            self.env["account.dunning.post.wizard"].with_user(self.clerk_b).create(
                {"line_ids": [Command.create({"dunning_id": notice.id})]}
            )
        Receipt = self.env["account.dunning.receipt.wizard"].with_user(self.clerk_b)
        with self.assertRaises(AccessError):
            Receipt.create({"dunning_id": notice.id, "registered_number": "forged"})
        # the forms company A's clerk opened are transient records any
        # reminder user may read by id: what they show of the letter is
        # read with the reader's rights
        action = notice.with_user(self.clerk).action_mark_posted()
        mine = self.env[action["res_model"]].with_user(self.clerk).browse(action["res_id"])
        self.assertEqual(mine.line_ids.partner_id, self.customer)
        theirs = mine.with_user(self.clerk_b)
        theirs.invalidate_recordset()
        with self.assertRaises(AccessError):
            theirs.read(["line_ids"])
        lines = mine.line_ids.with_user(self.clerk_b)
        lines.invalidate_recordset()
        for fname in ("dunning_id", "partner_id", "level_id", "registered_number"):
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    lines.read([fname])
        with self.assertRaises(AccessError):
            lines.write({"registered_number": "forged"})
        with self.assertRaises(AccessError):
            theirs.action_confirm()
        self.assertEqual(notice.letter_state, "to_post")
        mine.line_ids.registered_number = NUMBER
        mine.action_confirm()
        self.assertEqual((notice.letter_state, notice.registered_number), ("posted", NUMBER))
        action = notice.with_user(self.clerk).action_record_receipt()
        receipt = self.env[action["res_model"]].with_user(self.clerk_b).browse(action["res_id"])
        receipt.invalidate_recordset()
        for fname in ("dunning_id", "partner_id", "letter_posted_date", "registered_number"):
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    receipt.read([fname])
        with self.assertRaises(AccessError):
            receipt.write({"outcome": "returned"})
        with self.assertRaises(AccessError):
            receipt.action_record()
        self.assertFalse(notice.registered_returned)

    @freeze_time("2026-04-20")
    def test_workbench_forms_are_their_users_own(self):
        """The workbench a clerk prepared (its invoices, its proposals with
        the customer's address and amount due) and their other forms (a
        call, a statement) are read by id by no one else: not by a clerk of
        another company, not by a colleague of the same one."""
        proposal = self._proposal()
        wizard = proposal.wizard_id
        colleague = self._user("behaviour_attack_colleague", "account.group_account_invoice")
        action = wizard.line_ids.move_id.with_user(self.clerk).action_dunning_log_call()
        call = self.env[action["res_model"]].with_user(self.clerk).browse(action["res_id"])
        statement = (
            self.env["account.dunning.statement.wizard"]
            .with_user(self.clerk)
            .with_context(active_model="res.partner", active_ids=proposal.partner_id.ids)
            .create({})
        )
        for other in (self.clerk_b, colleague):
            for records in (wizard, wizard.line_ids, proposal, call, statement):
                with self.subTest(user=other.login, model=records._name):
                    theirs = records.with_user(other)
                    theirs.invalidate_recordset()
                    with self.assertRaises(AccessError):
                        theirs.read(["display_name"])
            with self.assertRaises(AccessError):
                wizard.with_user(other).action_create()
        # the clerk's own work goes on
        self.assertEqual(wizard.with_user(self.clerk).proposal_ids, proposal)
        self.assertEqual(proposal.with_user(self.clerk).partner_id.name, "Martin SA")

    # ------------------------------------------------------------------
    # Previews
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_previews_refuse_another_companys_records(self):
        proposal = self._proposal()
        Preview = self.env["account.dunning.preview"]
        # made over RPC on company A's level, customer or proposal: refused,
        # not even its name shown
        for vals in ({"level_id": self.first.id}, {"proposal_id": proposal.id}):
            with self.subTest(vals=vals):
                with self.assertRaises(AccessError):
                    Preview.with_user(self.clerk_b).create(vals)
        with self.assertRaises(AccessError):
            Preview.with_user(self.clerk).create(
                {"level_id": self.first.id, "partner_id": self.partner_b.id}
            )
        with self.assertRaises(AccessError):
            Preview.with_user(self.auditor).create({"proposal_id": proposal.id})
        # the engine's own entries, called with another company's records
        Engine = self.env["account.dunning.engine"]
        with self.assertRaises(AccessError):
            Engine.with_user(self.clerk_b)._preview_proposal(proposal._get_values())
        # (the records as a request gives them: in the user's environment)
        with self.assertRaises(AccessError):
            Engine.with_user(self.clerk_b)._preview_level(self.first.with_user(self.clerk_b))
        with self.assertRaises(AccessError):
            Engine.with_user(self.clerk)._preview_level(
                self.first.with_user(self.clerk), self.partner_b.with_user(self.clerk)
            )

    @freeze_time("2026-04-20")
    def test_level_preview_shows_no_other_company_and_leaves_nothing(self):
        """Company B's clerk previews B's level on a customer shared with
        company A, who owes only A: B's sample invoices, none of A's."""
        a_invoice = self._invoice(4321, "2026-02-01")
        Partner = self.env["res.partner"].with_context(active_test=False)
        Move = self.env["account.move"]
        counts = (Partner.search_count([]), Move.search_count([]))
        preview = (
            self.env["account.dunning.preview"]
            .with_user(self.clerk_b)
            .create({"level_id": self.plan_b.level_ids.id, "partner_id": self.customer.id})
        )
        preview.action_refresh()
        self.assertTrue(preview.letter_html)
        self.assertIn("Dupont SARL", preview.letter_html)
        # (company B numbers its sample invoices as A numbers its own: the
        # amount and the company tell them apart)
        for text in ("4,321", self.company.name):
            self.assertNotIn(text, preview.letter_html)
            self.assertNotIn(text, preview.email_body or "")
        # and without a customer: a fictitious one, gone afterwards
        preview.partner_id = False
        preview.action_refresh()
        self.assertTrue(preview.is_fictitious)
        self.assertNotIn("4,321", preview.letter_html)
        self.env.flush_all()
        self.assertEqual((Partner.search_count([]), Move.search_count([])), counts)
        # a read-only accountant's preview leaves nothing either
        preview = self.env["account.dunning.preview"].with_user(self.auditor)
        preview = preview.browse(self.first.with_user(self.auditor).action_preview()["res_id"])
        self.assertIn(a_invoice.name, preview.letter_html)
        self.env.flush_all()
        self.assertEqual((Partner.search_count([]), Move.search_count([])), counts)

    # ------------------------------------------------------------------
    # Searches on the computed figures
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_searches_on_the_figures_say_what_is_wrong(self):
        open_invoice = self._late_payer()
        Move = self.env["account.move"].with_user(self.clerk)
        mine = [("id", "=", open_invoice.id)]
        for fname, value in (
            ("dunning_priority", "ten"),
            ("dunning_priority", [1, 2]),
            ("dunning_priority", 1.5),
            ("dunning_predicted_date", "not a date"),
            ("dunning_predicted_date", "2026-13-45"),
            ("dunning_predicted_date", 42),
        ):
            with self.subTest(field=fname, value=value):
                with self.assertRaises(UserError):
                    Move.search([(fname, ">", value), *mine])
        with self.assertRaises(UserError):
            Move.search([("dunning_grade", "=", {"a": 1}), *mine])
        # what the screens search for works
        self.assertEqual(Move.search([("dunning_grade", "=", "B"), *mine]), open_invoice)
        self.assertEqual(Move.search([("dunning_grade", "in", ["B", "C"]), *mine]), open_invoice)
        self.assertFalse(Move.search([("dunning_grade", "=", False), *mine]))
        self.assertEqual(Move.search([("dunning_priority", ">", 0), *mine]), open_invoice)
        self.assertEqual(Move.search([("dunning_priority", ">", " 0 "), *mine]), open_invoice)
        self.assertFalse(Move.search([("dunning_priority", ">", 10**30), *mine]))
        with self.assertRaisesText(UserError, "Priority is compared with"):
            Move.search([("dunning_priority", "ilike", "1"), *mine])
        with self.assertRaisesText(UserError, "Predicted Payment is searched with a date"):
            Move.search([("dunning_predicted_date", "<", "tomorrow"), *mine])
        predicted = open_invoice.dunning_predicted_date
        self.assertEqual(
            Move.search([("dunning_predicted_date", "=", str(predicted)), *mine]), open_invoice
        )
        self.assertEqual(
            Move.search([("dunning_predicted_date", ">=", predicted), *mine]), open_invoice
        )
        # a plain user neither searches nor sorts by them
        Plain = self.env["account.move"].with_user(self.employee)
        with self.assertRaises(AccessError):
            Plain.search([("dunning_priority", ">", 0)])
        with self.assertRaises(AccessError):
            Plain.search([], order="dunning_priority desc")

    # ------------------------------------------------------------------
    # Money
    # ------------------------------------------------------------------

    def test_graphs_and_pivots_keep_each_company_apart(self):
        """A user of two companies in two currencies: every graph and
        pivot of an amount in company currency splits it by company."""
        both = new_test_user(
            self.env,
            login="behaviour_attack_both",
            groups="account.group_account_invoice,base.group_multi_company",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | self.company_b).ids)],
        )
        for model, fname in (
            ("account.dunning.cash.forecast", "amount"),
            ("account.dunning.overview.month", "amount"),
            ("account.dunning.overview.month", "dso"),
            ("account.dunning.overview.responsible", "amount_overdue"),
        ):
            views = self.env["ir.ui.view"].search(
                [("model", "=", model), ("type", "in", ("graph", "pivot"))]
            )
            Model = self.env[model].with_user(both)
            for view in views:
                arch = etree.fromstring(Model.get_view(view.id, view.type)["arch"])
                measures = arch.xpath("//field[@type='measure']/@name")
                if fname not in measures:
                    continue
                with self.subTest(view=view.xml_id or view.name, measure=fname):
                    self.assertIn(
                        "company_id",
                        arch.xpath("//field[not(@type='measure')]/@name"),
                    )
