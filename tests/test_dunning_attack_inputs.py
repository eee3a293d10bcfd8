# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import DunningCommon

# What the portal user tried to read of its own customer and invoice.
PARTNER_FIELDS = (
    "dunning_blocked",
    "dunning_mode",
    "dunning_penalty_rate",
    "dunning_responsible_id",
    "dunning_plan_id",
    "dunning_customer_type",
    "dunning_total_overdue",
    "dunning_count",
)
INVOICE_FIELDS = (
    "dunning_advised_level_id",
    "dunning_refusal",
    "dunning_next_date",
    "dunning_level_id",
    "dunning_count",
    "dunning_disputed",
    "dunning_promise_ids",
    "dunning_penalty_charged",
)
# Addresses typed as one reminder address that are not one.
WRONG_EMAILS = (
    "jd@dupont",
    "jd@dupont.test, spy@attacker.test",
    "jd@dupont.test;spy@attacker.test",
    "jd@dupont.test\nBcc: spy@attacker.test",
    "jd@dupont.test\r\nBcc: spy@attacker.test",
)


class DunningAttackInputsCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="inputs_portal",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # the portal user is the customer's accountant
        cls.portal.partner_id.parent_id = cls.customer
        cls.customer.write(
            {"dunning_blocked": True, "dunning_penalty_rate": 12.0, "dunning_mode": "automatic"}
        )


@tagged("post_install", "-at_install")
class TestDunningAttackInputs(DunningAttackInputsCommon):
    """Issue 19's attempts on internal fields and input, as the attacker
    made them: over the ORM with the rights of a billing clerk, a read-only
    accountant, a plain internal user and a portal user. Each is refused
    with a message the user reads, and nothing is saved. The list grows
    with every new screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._user("inputs_clerk", "account.group_account_invoice")
        cls.contacts_clerk = cls._user(
            "inputs_contacts_clerk", "account.group_account_invoice,base.group_partner_manager"
        )
        cls.manager = cls._user("inputs_manager", "account.group_account_manager")
        cls.auditor = cls._user("inputs_auditor", "account.group_account_readonly")
        cls.plain = cls._user("inputs_plain", "base.group_user,base.group_partner_manager")
        cls.admin = cls._user("inputs_admin", "base.group_system,account.group_account_manager")

    def _portal_invoice(self):
        """A late invoice of the customer, addressed to its accountant, who
        reads it on the portal."""
        invoice = self._invoice(100, "2026-04-05", partner=self.portal.partner_id)
        self.assertIn(self.portal.partner_id, invoice.message_partner_ids)
        return invoice

    # ------------------------------------------------------------------
    # Portal and internal fields
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_portal_user_reads_no_reminder_field(self):
        invoice = self._portal_invoice()
        partners = self.env["res.partner"].with_user(self.portal)
        moves = self.env["account.move"].with_user(self.portal)
        # what the portal shows it, it still reads
        self.assertEqual(moves.browse(invoice.id).read(["name"])[0]["name"], invoice.name)
        self.assertEqual(partners.browse(self.customer.id).read(["name"])[0]["name"], "Dupont SARL")
        for partner in (self.customer, self.portal.partner_id):
            for fname in PARTNER_FIELDS:
                with self.subTest(partner=partner.name, field=fname):
                    with self.assertRaisesText(AccessError, f'fields "{fname}"'):
                        partners.browse(partner.id).read([fname])
        for fname in INVOICE_FIELDS:
            with self.subTest(field=fname):
                with self.assertRaisesText(AccessError, f'fields "{fname}"'):
                    moves.browse(invoice.id).read([fname])
        # nor through a search, a group or an attribute
        with self.assertRaisesText(AccessError, 'fields "dunning_date_due"'):
            moves.search([("dunning_date_due", "!=", False)])
        with self.assertRaisesText(AccessError, 'fields "dunning_blocked"'):
            partners.search([("dunning_blocked", "=", True)])
        with self.assertRaisesText(AccessError, 'fields "dunning_level_id"'):
            moves.read_group([], ["dunning_level_id"], ["dunning_level_id"])
        with self.assertRaisesText(AccessError, 'fields "dunning_penalty_rate"'):
            partners.browse(self.customer.id).dunning_penalty_rate  # noqa: B018

    @freeze_time("2026-04-20")
    def test_other_internal_users_read_no_reminder_field_their_screens_work(self):
        invoice = self._invoice(100, "2026-04-05")
        Partner = self.env["res.partner"].with_user(self.plain)
        with self.assertRaisesText(AccessError, 'fields "dunning_blocked"'):
            Partner.browse(self.customer.id).read(["dunning_blocked"])
        with self.assertRaisesText(AccessError, 'fields "dunning_responsible_id"'):
            Partner.browse(self.customer.id).read(["dunning_responsible_id"])
        # the customer form loads without the reminder page, and saves
        arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="vat"', arch)
        self.assertNotIn("dunning_", arch)
        with Form(Partner.browse(self.customer.id)) as form:
            form.phone = "+33 1 02 03 04 05"
        self.assertEqual(self.customer.phone, "+33 1 02 03 04 05")
        # a new customer gets its reminder settings without seeing them
        with Form(Partner) as form:
            form.name = "Mairie de Test"
        created = Partner.search([("name", "=", "Mairie de Test")])
        self.assertEqual(created.sudo().dunning_mode, "manual")
        # a duplicate keeps the settings it may not read
        self.customer.dunning_customer_type = "public"
        copy = Partner.browse(self.customer.id).copy()
        self.assertTrue(copy.sudo().dunning_blocked)
        self.assertEqual(copy.sudo().dunning_customer_type, "public")
        # billing clerks and read-only accountants keep theirs
        for user in (self.clerk, self.auditor):
            with self.subTest(user=user.login):
                moves = self.env["account.move"].with_user(user)
                arch = moves.get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertIn("dunning_advised_level_id", arch)
                form = Form(moves.browse(invoice.id))
                self.assertEqual(form.dunning_advised_level_id, self.first)
                self.assertEqual(form.dunning_days_overdue, 15)
                partners = self.env["res.partner"].with_user(user)
                arch = partners.get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertIn("dunning_blocked", arch)
                self.assertTrue(Form(partners.browse(self.customer.id)).dunning_blocked)

    # ------------------------------------------------------------------
    # Bounds
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_penalty_rates_from_0_to_100(self):
        self.company.dunning_penalty_rate = 12.0
        settings = self.env["res.config.settings"].with_user(self.admin)
        for rate in (1e9, 100.01, -1):
            with self.subTest(rate=rate):
                with self.assertRaisesText(ValidationError, "between 0 and 100"):
                    settings.create({"dunning_penalty_rate": rate}).execute()
                with self.assertRaisesText(ValidationError, "between 0 and 100"):
                    self.customer.with_user(self.clerk).dunning_penalty_rate = rate
                with self.assertRaisesText(ValidationError, "between 0 and 100"):
                    self.env["account.dunning.rate"].with_user(self.manager).create(
                        {"rate_type": "ecb", "date_from": "2026-07-01", "rate": rate}
                    )
        self.company.invalidate_recordset()
        self.customer.invalidate_recordset()
        self.assertEqual(self.company.dunning_penalty_rate, 12.0)
        self.assertEqual(self.customer.dunning_penalty_rate, 12.0)
        self.assertFalse(
            self.env["account.dunning.rate"].search([("date_from", "=", "2026-07-01")])
        )
        # the bounds themselves are rates
        self.customer.with_user(self.clerk).dunning_penalty_rate = 100
        settings.create({"dunning_penalty_rate": 0}).execute()
        self.assertEqual(self.company.dunning_penalty_rate, 0)

    @freeze_time("2026-04-20")
    def test_days_within_bounds_or_a_message(self):
        # 1e10 days was a database error (integer out of range)
        settings = self.env["res.config.settings"].with_user(self.admin)
        for vals, text in (
            ({"dunning_min_interval_days": -3}, "between 0 and 365"),
            ({"dunning_min_interval_days": 10**10}, "between 0 and 365"),
            ({"dunning_promise_grace_days": -1}, "between 0 and 90"),
            ({"dunning_promise_grace_days": 1e10}, "between 0 and 90"),
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesText(ValidationError, text):
                    settings.create(vals).execute()
                with self.assertRaisesText(ValidationError, text):
                    self.company.write(vals)
        self.company.invalidate_recordset()
        self.assertEqual(self.company.dunning_min_interval_days, 7)
        self.assertEqual(self.company.dunning_promise_grace_days, 3)
        levels = self.env["account.dunning.level"].with_user(self.manager)
        for vals in ({"days": 10**10}, {"days": -(10**10)}, {"days": 1e10}, {"severity": 10**10}):
            with self.subTest(vals=vals):
                with self.assertRaisesText(ValidationError, "must be between"):
                    levels.browse(self.first.id).write(vals)
                with self.assertRaisesText(ValidationError, "must be between"):
                    self.env["account.dunning.plan"].with_user(self.manager).create(
                        {
                            "name": "Overflow",
                            "company_id": self.company.id,
                            "level_ids": [Command.create({"name": "Huge", "days": 10, **vals})],
                        }
                    )
        self.first.invalidate_recordset()
        self.assertEqual(self.first.days, 10)
        self.assertFalse(self.env["account.dunning.plan"].search([("name", "=", "Overflow")]))
        # the workbench's filters
        Wizard = self.env["account.dunning.wizard"].with_user(self.clerk)
        with self.assertRaisesText(ValidationError, "must be between"):
            Wizard.create({"age": "custom", "days_from": 10**10})

    @freeze_time("2026-04-20")
    def test_days_late_search_with_text_or_huge_numbers(self):
        invoice = self._invoice(100, "2026-04-05")  # 15 days late
        Move = self.env["account.move"].with_user(self.clerk)
        mine = [("id", "=", invoice.id)]
        for value in ("ten", "1e3", [1, 2], 1.5):
            with self.subTest(value=value):
                with self.assertRaisesText(UserError, "whole number of days"):
                    Move.search([("dunning_days_overdue", ">", value), *mine])
        with self.assertRaisesText(UserError, "Days Late is compared with"):
            Move.search([("dunning_days_overdue", "ilike", "1"), *mine])
        # numbers as text are numbers
        self.assertEqual(Move.search([("dunning_days_overdue", "=", " 15 "), *mine]), invoice)
        # beyond any date: no OverflowError, the answer a calendar gives
        for huge in (1_000_000, 999_999_999, 10**12):
            with self.subTest(huge=huge):
                self.assertFalse(Move.search([("dunning_days_overdue", ">", huge), *mine]))
                self.assertFalse(Move.search([("dunning_days_overdue", "=", huge), *mine]))
                self.assertEqual(Move.search([("dunning_days_overdue", "<", huge), *mine]), invoice)
                self.assertEqual(
                    Move.search([("dunning_days_overdue", ">", -huge), *mine]), invoice
                )
                self.assertFalse(Move.search([("dunning_days_overdue", "<=", -huge), *mine]))

    @freeze_time("2026-04-20")
    def test_statement_with_a_date_that_is_none(self):
        Report = self.env["report.account_dunning.report_dunning_statement"].with_user(self.clerk)
        for data in (
            {"date_to": "garbage"},
            {"date_from": "garbage", "date_to": "2026-04-20"},
            {"date_to": "0001-01-01"},
            {"date_to": 42},
        ):
            with self.subTest(data=data):
                with self.assertRaisesText(UserError, "must be a date between"):
                    Report._get_report_values(self.customer.ids, data=data)
        values = Report._get_report_values(self.customer.ids, data={"date_to": "2026-04-20"})
        self.assertIn(self.customer.id, values["statements"])
        Wizard = self.env["account.dunning.statement.wizard"].with_user(self.clerk)
        for vals in ({"date_to": "garbage"}, {"date_from": "1000-01-01"}):
            with self.subTest(vals=vals):
                with self.assertRaisesText(UserError, "must be a date between"):
                    Wizard.create({"partner_ids": [Command.set(self.customer.ids)], **vals})
        wizard = Wizard.create({"partner_ids": [Command.set(self.customer.ids)]})
        with self.assertRaisesText(UserError, "must be a date between"):
            wizard.write({"date_to": "garbage"})
        self.assertEqual(wizard.date_to, fields.Date.to_date("2026-04-20"))

    # ------------------------------------------------------------------
    # Promises and disputes
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_promise_from_today_to_a_year_on_open_invoices(self):
        invoice = self._invoice(100, "2026-04-05")
        paid = self._invoice(80, "2026-04-05")
        self._pay(paid, 80, "2026-04-10")
        draft = self._invoice(60, "2026-04-05", post=False)
        bill = self.init_invoice(
            "in_invoice", partner=self.customer, amounts=[70], invoice_date="2026-04-01", post=True
        )
        Promise = self.env["account.dunning.promise"].with_user(self.clerk)
        # a call logs a promise under the same rule, before anything is logged
        self.customer.dunning_blocked = False
        action = self.customer.with_user(self.clerk).action_dunning_log_call()
        wizard = (
            self.env["account.dunning.call.wizard"].with_user(self.clerk).browse(action["res_id"])
        )
        with self.assertRaisesText(ValidationError, "between today"):
            wizard.write({"outcome": "promised", "promise_date": "2026-03-21"})

        def promise(**values):
            return Promise.create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "date": "2026-04-25",
                    "amount": 100,
                    **values,
                }
            )

        for values, text in (
            ({"date": "2026-03-21"}, "between today"),  # 30 days ago
            ({"date": "2026-04-19"}, "between today"),
            ({"date": "2027-04-21"}, "between today"),
            ({"date": "2226-04-20"}, "between today"),  # reminders paused for two centuries
            ({"amount": 1e15}, "more than the invoices still owe"),
            ({"amount": 100.01}, "more than the invoices still owe"),
            ({"move_ids": []}, "at least one open invoice"),
            ({"move_ids": [Command.set(paid.ids)], "amount": 10}, "open customer invoices only"),
            ({"move_ids": [Command.set(draft.ids)], "amount": 10}, "open customer invoices only"),
            ({"move_ids": [Command.set(bill.ids)], "amount": 10}, "open customer invoices only"),
        ):
            with self.subTest(values=values):
                with self.assertRaisesText(ValidationError, text):
                    promise(**values)
        self.assertFalse(self.env["account.dunning.promise"].search([]))
        # today and a year ahead, all that is owed: promises
        self.assertTrue(promise(date="2026-04-20"))
        self.assertTrue(promise(date="2027-04-20", amount=100))
        self.assertFalse(
            self.env["account.dunning"].search([("partner_id", "=", self.customer.id)])
        )

    @freeze_time("2026-04-20")
    def test_disputes_on_open_customer_invoices_only(self):
        invoice = self._invoice(100, "2026-04-05")
        paid = self._invoice(80, "2026-04-05")
        self._pay(paid, 80, "2026-04-10")
        draft = self._invoice(60, "2026-04-05", post=False)
        bill = self.init_invoice(
            "in_invoice", partner=self.customer, amounts=[70], invoice_date="2026-04-01", post=True
        )
        Dispute = self.env["account.dunning.dispute"].with_user(self.clerk)
        for move in (paid, draft, bill):
            with self.subTest(move=move.display_name):
                with self.assertRaisesText(ValidationError, "cannot be disputed"):
                    Dispute.create({"move_id": move.id, "reason": "price"})
        self.assertFalse(self.env["account.dunning.dispute"].search([]))
        self.assertEqual(Dispute.create({"move_id": invoice.id}).move_id, invoice)

    # ------------------------------------------------------------------
    # Email addresses
    # ------------------------------------------------------------------

    def _proposal(self, invoice, user, contact):
        """The workbench's proposal of ``invoice``, prepared by ``user``,
        to ``contact``."""
        wizard = Form(self.env["account.dunning.wizard"].with_user(user)).save()
        wizard.action_search()
        for line in wizard.line_ids:
            line.selected = line.move_id == invoice
        wizard.action_prepare()
        proposal = wizard.proposal_ids
        proposal.write({"contact_id": contact.id, "email": contact.email})
        return proposal

    @freeze_time("2026-04-20")
    def test_one_valid_reminder_address_saved_or_not(self):
        invoice = self._invoice(100, "2026-04-05")
        contact = self.env["res.partner"].create(
            {"name": "Jean Dupont", "parent_id": self.customer.id, "email": "jean@dupont.test"}
        )
        self.customer.dunning_blocked = False
        proposal = self._proposal(invoice, self.contacts_clerk, contact)
        for wrong in WRONG_EMAILS:
            for save in (False, True):
                with self.subTest(email=wrong, save=save):
                    with self.assertRaisesText(UserError, "not one valid email address"):
                        proposal.write({"email": wrong, "save_email": save})
        self.assertEqual(proposal.email, "jean@dupont.test")
        self.assertFalse(proposal.save_email)
        proposal.wizard_id.action_create()
        self.assertEqual(proposal.wizard_id.dunning_ids.email, "jean@dupont.test")
        self.assertEqual(contact.email, "jean@dupont.test")

    @freeze_time("2026-04-20")
    def test_one_valid_internal_copy_address(self):
        self.company.dunning_internal_email = "recouvrement@company.test"
        settings = self.env["res.config.settings"].with_user(self.admin)
        for wrong in WRONG_EMAILS:
            with self.subTest(email=wrong):
                with self.assertRaisesText(ValidationError, "not one valid email address"):
                    settings.create({"dunning_internal_email": wrong}).execute()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.dunning_internal_email, "recouvrement@company.test")
        settings.create({"dunning_internal_email": "Compta <compta@company.test>"}).execute()
        self.assertEqual(self.company.dunning_internal_email, "Compta <compta@company.test>")
        settings.create({"dunning_internal_email": False}).execute()
        self.assertFalse(self.company.dunning_internal_email)


@tagged("post_install", "-at_install")
class TestDunningAttackInputsHttp(DunningAttackInputsCommon, HttpCase):
    """The portal user and the visitor, over HTTP: the invoice's portal
    page still shows, the reminder fields are refused over JSON-RPC."""

    def test_portal_page_and_rpc(self):
        today = fields.Date.context_today(self.env["res.partner"])
        invoice = self._invoice(100, today - timedelta(days=15), partner=self.portal.partner_id)
        token = invoice._portal_ensure_token()
        self.authenticate(self.portal.login, self.portal.login)
        page = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
        for model, record, fname in (
            ("res.partner", self.customer, "dunning_blocked"),
            ("res.partner", self.portal.partner_id, "dunning_penalty_rate"),
            ("account.move", invoice, "dunning_refusal"),
            ("account.move", invoice, "dunning_next_date"),
        ):
            with self.subTest(model=model, field=fname):
                with (
                    mute_logger("odoo.http", "odoo.models"),
                    self.assertRaisesRegex(JsonRpcException, "AccessError"),
                ):
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw",
                        {
                            "model": model,
                            "method": "read",
                            "args": [record.ids, [fname]],
                            "kwargs": {},
                        },
                    )
        # the visitor with the invoice's link
        self.authenticate(None, None)
        page = self.url_open(f"/my/invoices/{invoice.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
