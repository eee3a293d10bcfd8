# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who may do what, tried as an attacker does: each public method called
over the ORM as a billing clerk (reminder user), a read-only accountant, a
plain internal user and a portal user, and over HTTP as a portal user and
a visitor; and the file names a customer's name ends up in. One list that
grows with every new screen and route."""

import io
import json
import unicodedata
import zipfile
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import DunningCommon

MANAGERS = "Only payment reminder managers may"
USERS = "Only payment reminder users may"
READERS = "Only payment reminder users and read-only accountants may"


class AttackCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.clerk = cls._user("attack_clerk", "account.group_account_invoice")
        cls.auditor = cls._user("attack_auditor", "base.group_user,account.group_account_readonly")
        cls.employee = cls._user("attack_employee", "base.group_user")
        cls.manager = cls._user("attack_manager", "account.group_account_manager")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Jean Client", "parent_id": cls.customer.id, "email": "jean@dupont.test"}
        )
        cls.portal = new_test_user(
            cls.env,
            login="attack_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _letter(self, invoice):
        """The reminder of ``invoice``, sent by letter: a letter to post."""
        Engine = self.env["account.dunning.engine"]
        proposal = Engine._prepare_proposals(invoice)[0]
        proposal.update(send_email=False, send_letter=True)
        reminder = self.env["account.dunning"]._create_reminders([proposal])
        self.assertEqual(reminder.letter_state, "to_post")
        return reminder


@tagged("post_install", "-at_install")
class TestDunningAttackRights(AttackCommon):
    # ------------------------------------------------------------------
    # The daily job by hand
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_run_now_and_dry_run_for_reminder_managers_only(self):
        """Over RPC, ``call_kw`` on no record at all: a portal user started
        the daily job (as the superuser) this way."""
        self._invoice(100, "2026-04-05")
        cron = self.env.ref("account_dunning.ir_cron_dunning")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        for user in (self.clerk, self.auditor, self.employee, self.portal):
            Settings = self.env["res.config.settings"].with_user(user).browse()
            with self.assertRaisesText(AccessError, f"{MANAGERS} run the daily reminder job now"):
                Settings.action_dunning_run_now()
            with self.assertRaisesText(
                AccessError, f"{MANAGERS} see what the daily reminder job would send"
            ):
                Settings.action_dunning_dry_run()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)
        self.assertFalse(self.company.dunning_run_requested_uid)
        # a reminder manager may, from the settings or not
        Settings = self.env["res.config.settings"].with_user(self.manager).browse()
        action = Settings.action_dunning_dry_run()
        self.assertEqual(action["res_model"], "account.dunning.wizard")
        self.assertEqual(Settings.action_dunning_run_now()["tag"], "display_notification")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

    # ------------------------------------------------------------------
    # Reminders: cancel, post, print, download
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_cancel_and_mark_posted_for_reminder_users_only(self):
        reminder = self._letter(self._invoice(100, "2026-04-05"))
        for user in (self.auditor, self.employee, self.portal):
            with self.assertRaisesText(AccessError, f"{USERS} cancel reminders"):
                reminder.with_user(user).action_cancel()
            with self.assertRaisesText(AccessError, f"{USERS} mark letters as posted"):
                reminder.with_user(user).action_mark_posted()
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.letter_state, "to_post")
        reminder.with_user(self.clerk).action_mark_posted()
        self.assertEqual(reminder.letter_state, "posted")
        reminder.with_user(self.clerk).action_cancel()
        self.assertEqual(reminder.state, "cancel")

    @freeze_time("2026-04-20")
    def test_letters_printed_and_downloaded_by_readers_only(self):
        reminder = self._letter(self._invoice(100, "2026-04-05"))
        for user in (self.employee, self.portal):
            with self.assertRaisesText(
                AccessError, f"{READERS} print or download reminder letters"
            ):
                reminder.with_user(user).action_print_letter()
            with self.assertRaisesText(
                AccessError, f"{READERS} print or download reminder letters"
            ):
                reminder.with_user(user).action_download_letters_zip()
        # a read-only accountant reads them
        action = reminder.with_user(self.auditor).action_print_letter()
        self.assertEqual(action["report_name"], "account_dunning.report_dunning_letter")
        action = reminder.with_user(self.auditor).action_download_letters_zip()
        self.assertEqual(action["type"], "ir.actions.act_url")

    # ------------------------------------------------------------------
    # The reminder buttons on invoices and customers
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_invoice_and_customer_buttons_for_reminder_users_only(self):
        invoice = self._invoice(100, "2026-04-05")
        calls = {
            "block or unblock reminders": (
                lambda user: invoice.with_user(user).action_dunning_block(),
                lambda user: invoice.with_user(user).action_dunning_unblock(),
            ),
            "remind customers": (
                lambda user: invoice.with_user(user).action_dunning_prepare(),
                lambda user: invoice.with_user(user).action_dunning_remind_email(),
                lambda user: invoice.with_user(user).action_dunning_remind_letter(),
                lambda user: invoice.with_user(user).action_dunning_log_call(),
                lambda user: self.env["account.dunning.wizard"]
                .with_user(user)
                .action_open_workbench(),
            ),
            "record or change payment promises": (
                lambda user: invoice.with_user(user).action_dunning_promise(),
            ),
            "open, resolve or reopen disputes": (
                lambda user: invoice.with_user(user).action_dunning_dispute(),
            ),
        }
        for user in (self.auditor, self.employee, self.portal):
            for action, attempts in calls.items():
                for attempt in attempts:
                    with self.assertRaisesText(AccessError, f"{USERS} {action}"):
                        attempt(user)
            for attempt in (
                lambda user: invoice.with_user(user).action_dunning_invoice_charges(),
                lambda user: self.customer.with_user(user).action_dunning_invoice_charges(),
            ):
                with self.assertRaisesText(
                    AccessError, f"{MANAGERS} invoice or waive late-payment charges"
                ):
                    attempt(user)
        # the customer's buttons go the same way (a plain user cannot even
        # read the customer's invoices)
        for attempt in (
            lambda user: self.customer.with_user(user).action_dunning_remind_email(),
            lambda user: self.customer.with_user(user).action_dunning_remind_letter(),
            lambda user: self.customer.with_user(user).action_dunning_log_call(),
            lambda user: self.customer.with_user(user).action_dunning_promise(),
        ):
            with self.assertRaises(AccessError):
                attempt(self.employee)
            with self.assertRaisesText(AccessError, USERS):
                attempt(self.auditor)
        self.assertFalse(invoice.dunning_blocked)
        self.assertFalse(self.env["account.dunning.wizard"].search([]))
        # the billing clerk does all of it
        invoice.with_user(self.clerk).action_dunning_block()
        self.assertTrue(invoice.dunning_blocked)
        invoice.with_user(self.clerk).action_dunning_unblock()
        self.assertFalse(invoice.dunning_blocked)
        action = invoice.with_user(self.clerk).action_dunning_remind_email()
        self.assertEqual(action["res_model"], "account.dunning.wizard")
        action = self.customer.with_user(self.clerk).action_dunning_promise()
        self.assertEqual(action["context"]["default_move_ids"], invoice.ids)
        action = invoice.with_user(self.clerk).action_dunning_dispute()
        self.assertEqual(action["context"]["default_move_id"], invoice.id)

    @freeze_time("2026-04-20")
    def test_promises_and_disputes_changed_by_reminder_users_only(self):
        invoices = self._invoice(100, "2026-04-05") + self._invoice(200, "2026-04-05")
        promise = self.env["account.dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoices[0].ids)],
                "date": "2026-04-30",
                "amount": 100,
            }
        )
        dispute = self.env["account.dunning.dispute"].create(
            {"move_id": invoices[1].id, "reason": "price"}
        )
        for user in (self.auditor, self.employee, self.portal):
            for attempt in (
                lambda user: promise.with_user(user).action_mark_kept(),
                lambda user: promise.with_user(user).action_cancel(),
            ):
                with self.assertRaisesText(AccessError, f"{USERS} record or change payment"):
                    attempt(user)
            for attempt in (
                lambda user: dispute.with_user(user).action_resolve(),
                lambda user: dispute.with_user(user).action_reopen(),
            ):
                with self.assertRaisesText(AccessError, f"{USERS} open, resolve or reopen"):
                    attempt(user)
        self.assertEqual((promise.state, dispute.state), ("open", "open"))
        promise.with_user(self.clerk).action_cancel()
        dispute.with_user(self.clerk).action_resolve()
        self.assertEqual((promise.state, dispute.state), ("cancel", "resolved"))

    # ------------------------------------------------------------------
    # Customer Accounts, statements, the charges screen
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_customer_accounts_read_by_readers_sent_by_users(self):
        self._invoice(100, "2026-04-05")
        self.env.flush_all()
        Customer = self.env["account.dunning.customer"]
        row = Customer.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(row), 1)
        for user in (self.employee, self.portal):
            with self.assertRaisesText(AccessError, f"{READERS} see Customer Accounts"):
                Customer.with_user(user).get_dunning_summary([])
            with self.assertRaisesText(AccessError, f"{READERS} print statements"):
                self.env["account.dunning.statement.wizard"].with_user(user).new(
                    {"partner_ids": self.customer.ids}
                ).action_print()
        # a read-only accountant reads and prints, but neither reminds nor sends
        auditor_row = row.with_user(self.auditor)
        summary = Customer.with_user(self.auditor).get_dunning_summary([])
        self.assertEqual(summary["companies"][0]["customers"], 1)
        self.assertEqual(auditor_row.action_print_outstanding()["type"], "ir.actions.report")
        with self.assertRaisesText(AccessError, f"{USERS} send statements"):
            auditor_row.action_send_statement()
        with self.assertRaisesText(AccessError, f"{USERS} remind customers"):
            auditor_row.action_open_workbench()
        # a billing clerk sends
        action = row.with_user(self.clerk).action_send_statement()
        self.assertEqual(action["res_model"], "account.dunning.statement.wizard")

    @freeze_time("2026-04-20")
    def test_charges_for_reminder_managers_only(self):
        """A read-only accountant waived the charges of a reminder (as the
        superuser); the screen is for readers, its buttons for managers."""
        invoice = self._invoice(1000, "2026-02-01")
        self.customer.dunning_customer_type = "company"
        reminder = self._letter(invoice)
        for user in (self.clerk, self.auditor, self.employee, self.portal):
            for attempt in (
                lambda user: reminder.with_user(user).action_waive_charges(),
                lambda user: reminder.with_user(user).action_invoice_charges(),
            ):
                with self.assertRaisesText(
                    AccessError, f"{MANAGERS} invoice or waive late-payment charges"
                ):
                    attempt(user)
        for user in (self.employee, self.portal):
            with self.assertRaisesText(AccessError, f"{READERS} see the late-payment charges"):
                self.env["account.dunning.charges.report"].with_user(user).action_open()
        action = self.env["account.dunning.charges.report"].with_user(self.auditor).action_open()
        lines = (
            self.env["account.dunning.charges.report"]
            .with_user(self.auditor)
            .search(action["domain"])
        )
        self.assertEqual(lines.move_id, invoice)
        for attempt in (lines.action_invoice_charges, lines.action_waive_charges):
            with self.assertRaisesText(
                AccessError, f"{MANAGERS} invoice or waive late-payment charges"
            ):
                attempt()
        self.assertFalse(invoice.dunning_charge_waiver_ids)

    # ------------------------------------------------------------------
    # Safe file names
    # ------------------------------------------------------------------

    def _assert_safe(self, name):
        self.assertNotIn("/", name)
        self.assertNotIn("\\", name)
        self.assertNotIn("..", name)
        self.assertFalse([char for char in name if unicodedata.category(char) == "Cc"], name)

    @freeze_time("2026-04-20")
    def test_letter_names_never_make_a_path(self):
        names = {
            "X \\..\\..\\Users\\Public\\evil": "X -.-.-Users-Public-evil",
            "a/b": "a-b",
            "Ligne\nBcc: evil": "Ligne Bcc- evil",
        }
        reminders = self.env["account.dunning"]
        for name in names:
            customer = self.env["res.partner"].create(
                {"name": name, "is_company": True, "street": "2 rue", "city": "Caen"}
            )
            reminders |= self._letter(self._invoice(100, "2026-04-05", partner=customer))
        expected = [f"{r.name} - {names[r.partner_id.name]}.pdf" for r in reminders]
        self.assertEqual(reminders.letter_attachment_id.mapped("name"), expected)
        # a letter kept before names were made safe is made safe in the ZIP
        reminders[0].letter_attachment_id.name = f"{reminders[0].name} - ..\\..\\evil.pdf"
        action = reminders.with_user(self.clerk).action_download_letters_zip()
        bundle = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        with zipfile.ZipFile(io.BytesIO(bundle.raw)) as archive:
            self.assertEqual(
                archive.namelist(), [f"{reminders[0].name} - .-.-evil.pdf", *expected[1:]]
            )
        for name in archive.namelist():
            self._assert_safe(name)
        # the name the browser saves the letter under
        report = self.env.ref("account_dunning.action_report_dunning_letter")
        self.assertEqual(
            [safe_eval(report.print_report_name, {"object": r}) for r in reminders[1:]],
            [name[: -len(".pdf")] for name in expected[1:]],
        )

    @freeze_time("2026-04-20")
    def test_statement_names_never_make_a_path(self):
        customer = self.env["res.partner"].create(
            {"name": "X \\..\\..\\Users\\Public\\evil", "is_company": True, "email": "x@x.test"}
        )
        self._invoice(100, "2026-04-05", partner=customer)
        report = self.env.ref("account_dunning.action_report_dunning_statement")
        self.assertEqual(
            safe_eval(report.print_report_name, {"object": customer}),
            "Outstanding Statement - X -.-.-Users-Public-evil",
        )
        wizard = (
            self.env["account.dunning.statement.wizard"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_ids": customer.ids,
                    "statement_type": "outstanding",
                    "date_from": "2026-04-01",
                    "date_to": "2026-04-20",
                }
            )
        )
        wizard.action_send()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertEqual(
            attachment.mapped("name"), ["Outstanding Statement - X -.-.-Users-Public-evil.pdf"]
        )


@tagged("post_install", "-at_install")
class TestDunningAttackRightsHttp(AttackCommon, HttpCase):
    """The same attempts through the routes a browser or a script uses:
    ``/web/dataset/call_kw`` as a portal user, the report URL as a portal
    user and as a visitor. On the real clock (the server's threads)."""

    def _call_kw(self, model, method, args):
        return self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": {}},
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()

    def test_portal_user_cannot_run_the_daily_job_over_rpc(self):
        cron = self.env.ref("account_dunning.ir_cron_dunning")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.authenticate("attack_portal", "attack_portal")
        for method in ("action_dunning_run_now", "action_dunning_dry_run"):
            with mute_logger("odoo.http"):
                response = self._call_kw("res.config.settings", method, [[]])
            self.assertNotIn("result", response)
            self.assertEqual(response["error"]["data"]["name"], "odoo.exceptions.AccessError")
            self.assertIn(MANAGERS, response["error"]["data"]["message"])
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)

    def test_letter_report_refused_to_portal_and_visitors(self):
        today = fields.Date.context_today(self.env["res.partner"])
        reminder = self._letter(self._invoice(100, today - timedelta(days=15)))
        url = f"/report/html/account_dunning.report_dunning_letter/{reminder.id}"
        # a visitor is sent to the login page
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (301, 302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        # the customer's own portal user gets no letter
        self.authenticate("attack_portal", "attack_portal")
        for route in (url, url.replace("/report/html/", "/report/pdf/")):
            with mute_logger("odoo.http"):
                response = self.url_open(route, allow_redirects=False)
            self.assertEqual(response.status_code, 403)
            self.assertNotIn(reminder.name, response.text)
            self.assertIn(f"{READERS} print or download reminder letters", response.text)

    def test_statement_report_refused_to_portal_users(self):
        """Not even the customer's own statement: statements are sent to it."""
        today = fields.Date.context_today(self.env["res.partner"])
        invoice = self._invoice(100, today - timedelta(days=15))
        self.authenticate("attack_portal", "attack_portal")
        for report in ("report_dunning_statement", "report_dunning_statement_activity"):
            with mute_logger("odoo.http"):
                response = self.url_open(
                    f"/report/html/account_dunning.{report}/{self.customer.id}",
                    allow_redirects=False,
                )
            self.assertEqual(response.status_code, 403)
            self.assertNotIn(invoice.name, response.text)
            self.assertIn(f"{READERS} print statements", response.text)
