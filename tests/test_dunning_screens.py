# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import formatLang

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningScreens(DunningCommon):
    """What the screens promise: the worklist's next step, amounts that
    never add two currencies, a workbench that says why nothing happened,
    the customer tab's plan and overdue amounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.other = cls.env["res.partner"].create(
            {"name": "Martin SA", "is_company": True, "email": "ap@martin.test"}
        )

    def _wizard(self, action):
        self.assertEqual(action["res_model"], "account.dunning.wizard")
        return self.env["account.dunning.wizard"].browse(action["res_id"])

    @freeze_time("2026-04-20")
    def test_worklist_prepare_on_the_filter_or_the_ticked_rows(self):
        late = self._invoice(100, "2026-03-01")
        recent = self._invoice(200, "2026-04-30")  # due in 10 days: no level yet
        other_late = self._invoice(300, "2026-03-01", partner=self.other)
        draft = self._invoice(400, "2026-03-01", post=False)
        Move = self.env["account.move"]
        # nothing ticked: the invoices the worklist's filter shows, those
        # to remind ticked, for the user to prepare
        action = Move.with_context(
            active_domain=[("partner_id", "=", self.customer.id)]
        ).action_dunning_prepare()
        wizard = self._wizard(action)
        self.assertEqual(wizard.state, "select")
        self.assertTrue(wizard.from_worklist)
        self.assertEqual(wizard.line_ids.move_id, late + recent)
        self.assertNotIn(draft, wizard.line_ids.move_id)
        self.assertEqual(wizard.line_ids.filtered("selected").move_id, late)
        # rows ticked: the proposals at once, one per customer
        wizard = self._wizard((late + other_late).action_dunning_prepare())
        self.assertEqual(wizard.state, "prepare")
        self.assertEqual(wizard.proposal_ids.partner_id, self.customer + self.other)
        self.assertEqual(wizard.proposal_ids.mapped("move_count"), [1, 1])
        # the workbench is a tool: its title is the menu's
        self.assertEqual(action["name"], "Prepare Reminders")
        self.assertEqual(wizard.display_name, "Prepare Reminders")

    @freeze_time("2026-04-20")
    def test_worklist_never_adds_two_currencies(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        in_usd = self._invoice(100, "2026-03-01")
        in_eur = self._invoice(300, "2026-03-01", currency=eur)
        Move = self.env["account.move"]
        described = Move.fields_get(
            ["dunning_amount_residual", "amount_residual_signed"], ["aggregator"]
        )
        # the amount in the invoice's currency is never summed in a group
        self.assertFalse(described["dunning_amount_residual"].get("aggregator"))
        self.assertEqual(described["amount_residual_signed"]["aggregator"], "sum")
        (in_usd + in_eur).invalidate_recordset()
        self.assertEqual(in_eur.dunning_amount_residual, 300)
        # the total the worklist shows is in company currency: 100 + 300 / 2
        [[total]] = Move._read_group(
            [("id", "in", (in_usd + in_eur).ids)], [], ["amount_residual_signed:sum"]
        )
        self.assertAlmostEqual(total, 250)
        view = self.env.ref("account_dunning.account_move_view_list_dunning")
        arch = etree.fromstring(view.arch)
        summed = [node.get("name") for node in arch.iter("field") if node.get("sum")]
        self.assertEqual(summed, ["amount_residual_signed"])

    @freeze_time("2026-04-20")
    def test_proposal_reads_as_one_line_with_its_warning(self):
        self.customer.email = False
        self._invoice(100, "2026-03-01")
        self._invoice(200, "2026-03-05")
        wizard = self.env["account.dunning.wizard"].create({})
        wizard.action_search()
        wizard.action_prepare()
        proposal = wizard.proposal_ids
        self.assertEqual(proposal.move_count, 2)
        self.assertFalse(proposal.has_warning)
        proposal.write({"send_email": True, "send_letter": False})
        wizard.action_check()
        self.assertTrue(proposal.has_warning)
        self.assertIn("no email address", proposal.warning)
        self.assertNotIn("\n", proposal.warning)
        self.assertTrue(proposal.send_letter)

    @freeze_time("2026-04-20")
    def test_workbench_says_why_nothing_was_created(self):
        self._invoice(100, "2026-03-01")
        wizard = self.env["account.dunning.wizard"].create({})
        wizard.action_search()
        wizard.action_prepare()
        # the customer says no between Prepare and Create
        self.customer.dunning_blocked = True
        wizard.action_create()
        self.assertFalse(wizard.dunning_ids)
        self.assertIn("No reminder was created", wizard.summary)
        self.assertIn("Dupont SARL", wizard.summary)
        self.assertNotIn("0 reminder(s) created", wizard.summary)
        # a search that finds nothing is told apart from a list not yet searched
        empty = self.env["account.dunning.wizard"].create({"age": "91"})
        self.assertFalse(empty.searched)
        empty.action_search()
        self.assertTrue(empty.searched)
        self.assertFalse(empty.line_count)

    @freeze_time("2026-04-20")
    def test_customer_tab_shows_the_plan_in_use_and_where_it_comes_from(self):
        self.assertEqual(self.customer.dunning_effective_plan_id, self.plan)
        self.assertEqual(self.customer.dunning_plan_origin, "default")
        for_companies = self.env["account.dunning.plan"].create(
            {
                "name": "Companies",
                "company_id": self.company.id,
                "partner_type": "company",
                "level_ids": [Command.create({"name": "Reminder", "days": 15})],
            }
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_effective_plan_id, for_companies)
        self.assertEqual(self.customer.dunning_plan_origin, "type")
        own = self.env["account.dunning.plan"].create(
            {
                "name": "Dupont's own",
                "company_id": self.company.id,
                "partner_type": "company",
                "level_ids": [Command.create({"name": "Reminder", "days": 30})],
            }
        )
        self.customer.dunning_plan_id = own
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.dunning_effective_plan_id, own)
        self.assertEqual(self.customer.dunning_plan_origin, "own")

    @freeze_time("2026-04-20")
    def test_customer_tab_overdue_per_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        self._invoice(100, "2026-03-01")
        self._invoice(300, "2026-03-01", currency=eur)
        self._invoice(50, "2026-03-02", currency=eur)
        self._invoice(999, "2026-05-01", currency=eur)  # not yet due
        self.customer.invalidate_recordset()
        detail = str(self.customer.dunning_overdue_by_currency)
        usd = self.company.currency_id
        self.assertIn(formatLang(self.env, 100, currency_obj=usd), detail)
        self.assertIn(formatLang(self.env, 350, currency_obj=eur), detail)
        self.assertNotIn(formatLang(self.env, 1349, currency_obj=eur), detail)
        # the total stays in company currency: 100 + 350 / 2
        self.assertAlmostEqual(self.customer.dunning_total_overdue, 275)

    @freeze_time("2026-04-20")
    def test_history_totals_in_company_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        in_usd = self._invoice(100, "2026-03-01")
        in_eur = self._invoice(300, "2026-03-01", currency=eur)
        reminders = self._remind(in_usd + in_eur)
        self.assertEqual(len(reminders), 2)
        by_currency = {r.currency_id: r for r in reminders}
        self.assertEqual(by_currency[eur].amount_due, 300)
        self.assertAlmostEqual(by_currency[eur].amount_due_company, 150)
        self.assertAlmostEqual(by_currency[self.company.currency_id].amount_due_company, 100)
        described = self.env["account.dunning"].fields_get(
            ["amount_due", "amount_due_company"], ["aggregator"]
        )
        self.assertFalse(described["amount_due"].get("aggregator"))
        [[total]] = self.env["account.dunning"]._read_group(
            [("id", "in", reminders.ids)], [], ["amount_due_company:sum"]
        )
        self.assertAlmostEqual(total, 250)

    @freeze_time("2026-04-20")
    def test_formal_notice_is_never_the_first_reminder(self):
        # 50 days late, never reminded: the second reminder, not the notice
        invoice = self._invoice(100, "2026-03-01")
        self.assertEqual(self._state(invoice).dunning_advised_level_id, self.second)
        self._remind(invoice)
        self.assertEqual(invoice.dunning_level_id, self.second)
        # once reminded, the notice is advised when its days are reached
        with freeze_time("2026-05-01"):
            self.assertEqual(self._state(invoice).dunning_advised_level_id, self.notice)
        # a plan whose first level is the formal notice says so
        notice_only = self.env["account.dunning.plan"].create(
            {
                "name": "Notice only",
                "company_id": self.company.id,
                "partner_type": "company",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Formal notice",
                            "days": 30,
                            "send_letter": True,
                            "letter_kind": "formal_notice",
                        }
                    )
                ],
            }
        )
        self.other.dunning_plan_id = notice_only
        # a note before the due date is not a reminder before the notice
        notice_only.level_ids = [
            Command.create({"name": "Falls due soon", "days": -5, "send_email": True})
        ]
        other_invoice = self._invoice(100, "2026-03-01", partner=self.other)
        self.assertEqual(
            self._state(other_invoice).dunning_advised_level_id,
            notice_only.level_ids.filtered(lambda level: level.days == 30),
        )

    @freeze_time("2026-04-20")
    def test_worklist_prepare_needs_reminder_rights(self):
        late = self._invoice(100, "2026-03-01")
        reader = new_test_user(
            self.env, login="dunning_reader", groups="account.group_account_readonly"
        )
        with self.assertRaises(AccessError):
            late.with_user(reader).action_dunning_prepare()
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(reader).with_context(
                active_domain=[]
            ).action_dunning_prepare()

    @freeze_time("2026-04-20")
    def test_warning_note_lists_twenty_and_counts_the_rest(self):
        partners = self.env["res.partner"].create(
            [{"name": f"No Email {n:02d}", "is_company": True} for n in range(23)]
        )
        for partner in partners:
            self._invoice(100, "2026-03-01", partner=partner)
        wizard = self.env["account.dunning.wizard"].create(
            {"partner_ids": [Command.set(partners.ids)]}
        )
        wizard.action_search()
        wizard.action_prepare()
        wizard.proposal_ids.write({"send_email": True, "send_letter": False})
        wizard.action_check()
        lines = wizard.warning_note.split("\n")
        self.assertEqual(len(lines), 21)
        self.assertIn("no email address", lines[0])
        self.assertEqual(lines[-1], "and 3 more.")
        # each proposal opens its own invoices
        proposal = wizard.proposal_ids[0]
        action = proposal.action_open_invoices()
        self.assertEqual(action["domain"], [("id", "in", proposal.move_ids.ids)])
        self.assertEqual(action["target"], "new")

    @freeze_time("2026-04-20")
    def test_list_columns_get_short_refusals_sentences_stay_whole(self):
        invoice = self._invoice(100, "2026-03-01")
        self._remind(invoice)
        with freeze_time("2026-04-22"):
            self._state(invoice)
            self.assertEqual(invoice.dunning_refusal, "Reminded recently")
            wizard = self.env["account.dunning.wizard"].create({})
            wizard.action_search()
            wizard._select_lines([invoice.id])
            states = invoice._get_dunning_states()
            note = wizard._get_refused_note(invoice, states)
            self.assertIn("Reminded recently: not before", note)

    @freeze_time("2026-04-20")
    def test_severity_from_the_level_kept_on_the_reminder(self):
        self.second.severity = 4
        invoice = self._invoice(100, "2026-03-25")  # 26 days late: second reminder
        reminder = self._remind(invoice)
        self.assertEqual(reminder.level_id, self.second)
        self.assertEqual(reminder.severity, 4)
        # a credit controller may rate a sent reminder; its history stays
        user = self._user("severity_user", "account.group_account_invoice")
        reminder.with_user(user).severity = 5
        self.assertEqual(reminder.severity, 5)
        with self.assertRaises(UserError):
            reminder.with_user(user).level_id = self.first
        with self.assertRaisesText(ValidationError, "Severity must be between 1 and 5"):
            self.first.severity = 6
        company = self.env["res.company"].create({"name": "Sévérité SA"})
        levels = company.dunning_default_plan_id.level_ids.sorted("days")
        self.assertEqual(levels.mapped("severity"), [1, 2, 3, 5])
