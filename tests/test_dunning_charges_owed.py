# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.account_dunning import LETTER_REPORT
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningChargesOwed(DunningCommon):
    """What the customer is told is what they owe: charges invoiced (on a
    charges invoice not cancelled) or waived are never asked again, a
    credit note was never owed, only managers invoice or waive.

    Figures by hand: penalties = amount due x yearly rate x days / 365,
    at 2.15 + 10 = 12.15 % in the first half of 2026; 40 EUR of indemnity
    per invoice paid late by a business."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.plan.level_ids.write(
            {"attach_invoices": False, "attach_letter": False, "show_charges": True}
        )
        cls.company.country_id = cls.env.ref("base.fr")  # the French legal wording
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.manager = cls._user(
            "charges_manager", "account.group_account_invoice,account_dunning.group_dunning_manager"
        )
        cls.clerk = cls._user("charges_clerk", "account.group_account_invoice")
        cls.auditor = cls._user("charges_auditor", "account.group_account_readonly")

    def _eur_invoice(self, amount, due, invoice_date="2026-01-02"):
        return self._invoice(amount, due, invoice_date=invoice_date, currency=self.eur)

    def _charges(self, invoice):
        return invoice._get_dunning_charges()[invoice.id]

    def _preview(self, action, user=None):
        """The wizard an *Invoice the Charges* button opened."""
        self.assertEqual(action["res_model"], "account.dunning.charges.wizard")
        # with the action's context, as the dialog calls its buttons
        wizard = self.env[action["res_model"]].with_context(**action["context"])
        wizard = wizard.browse(action["res_id"])
        return wizard.with_user(user) if user else wizard

    def _letter(self, reminder):
        return (
            self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, reminder.ids)[0].decode()
        )

    def _invoice_charges(self, invoices):
        """Invoice the charges owed on ``invoices`` as a manager does."""
        preview = self._preview(invoices.with_user(self.manager).action_dunning_invoice_charges())
        action = preview.action_invoice()
        return self.env["account.move"].browse(action["res_id"])

    # ------------------------------------------------------------------
    # Waivers
    # ------------------------------------------------------------------

    @freeze_time("2026-03-13")
    def test_partial_waiver_then_formal_notice(self):
        invoice = self._eur_invoice(1000, "2026-02-01")
        invoice.sudo().dunning_level_id = self.second  # after a second reminder
        # 40 days at 12.15 %: 1000 x 12.15 % x 40 / 365 = 13.3151
        charges = self._charges(invoice)
        self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (13.32, 40.0))
        # the manager waives 5.00 of the penalties and the indemnity
        preview = self._preview(
            invoice.with_user(self.manager).action_dunning_invoice_charges(), self.manager
        )
        self.assertEqual(
            [(line.penalty_due, line.indemnity_due) for line in preview.line_ids], [(13.32, 40.0)]
        )
        with Form(preview) as form:
            with form.line_ids.edit(0) as line:
                line.penalty = 5.0
            form.reason = "Long-standing customer"
        preview.action_waive()
        waiver = invoice.dunning_charge_waiver_ids
        self.assertEqual(
            (waiver.penalty_amount, waiver.indemnity_amount, waiver.user_id, waiver.reason),
            (5.0, 40.0, self.manager, "Long-standing customer"),
        )
        self.assertIn("Long-standing customer", invoice.message_ids[0].body)
        self.assertEqual(invoice.dunning_penalty_charged, 5.0)
        self.assertTrue(invoice.dunning_indemnity_charged)
        # the formal notice asks for the rest: 13.32 - 5.00 = 8.32, no indemnity
        reminder = self._remind(invoice)
        self.assertEqual(reminder.level_id, self.notice)
        html = self._letter(reminder)
        self.assertIn("Late-payment charges owed", html)
        self.assertIn("the penalties amount to 8.32", html)
        self.assertNotIn("13.32", html)
        self.assertNotIn("40.00", html)
        self.assertNotIn("that is 40 EUR", html)
        body = reminder.mail_id.body_html
        self.assertIn("8.32", body)
        self.assertNotIn("13.32", body)
        self.assertNotIn("40.00", body)

    @freeze_time("2026-03-13")
    def test_full_waiver_is_never_asked(self):
        invoice = self._eur_invoice(1000, "2026-02-01")
        invoice.sudo().dunning_level_id = self.second
        preview = self._preview(
            invoice.with_user(self.manager).action_dunning_invoice_charges(), self.manager
        )
        with self.assertRaisesText(UserError, "Say why"):
            preview.action_waive()
        preview.reason = "Commercial gesture"
        preview.action_waive()
        charges = self._charges(invoice)
        self.assertEqual((charges["penalty_waived"], charges["indemnity_waived"]), (13.32, 40.0))
        self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (0.0, 0.0))
        reminder = self._remind(invoice)
        html = self._letter(reminder)
        self.assertIn("Commercial Code", html)  # still a formal notice
        self.assertNotIn("Late-payment charges owed", html)
        self.assertNotIn("penalties amount to", html)
        self.assertNotIn("40 EUR per invoice", html)
        self.assertNotIn("Late-payment charges owed", reminder.mail_id.body_html)
        with self.assertRaisesText(UserError, "no late-payment charges left"):
            invoice.with_user(self.manager).action_dunning_invoice_charges()

    # ------------------------------------------------------------------
    # Charges invoices
    # ------------------------------------------------------------------

    def test_cancelled_charges_invoice_gives_the_charges_back(self):
        with freeze_time("2026-03-03"):
            invoice = self._eur_invoice(1000, "2026-02-01")
            # 30 days: 1000 x 12.15 % x 30 / 365 = 9.9863; 40 of indemnity
            charges_invoice = self._invoice_charges(invoice)
            self.assertEqual(
                [
                    (line.dunning_charged_move_id, line.dunning_charge_kind, line.price_unit)
                    for line in charges_invoice.invoice_line_ids
                ],
                [(invoice, "penalty", 9.99), (invoice, "indemnity", 40.0)],
            )
            self.assertEqual(invoice.dunning_penalty_charged, 9.99)
            charges = self._charges(invoice)
            self.assertEqual((charges["penalty_invoiced"], charges["penalty_due"]), (9.99, 0.0))
            # the draft is cancelled: the charges are owed again, and said so
            charges_invoice.button_cancel()
            self.assertEqual(invoice.dunning_penalty_charged, 0.0)
            self.assertFalse(invoice.dunning_indemnity_charged)
            note = invoice.message_ids[0].body
            self.assertIn("cancelled", note)
            self.assertIn("owed again", note)
            self.assertIn("9.99", note)
            charges = self._charges(invoice)
            self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (9.99, 40.0))
            # Invoice the Charges works again
            second = self._invoice_charges(invoice)
            self.assertEqual(second.amount_total, 49.99)
            second.action_post()
        with freeze_time("2026-03-13"):
            # posted, reset to draft and cancelled: given back too; 40 days
            # now: 1000 x 12.15 % x 40 / 365 = 13.3151
            second.button_draft()
            second.button_cancel()
            self.assertIn("owed again", invoice.message_ids[0].body)
            charges = self._charges(invoice)
            self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (13.32, 40.0))
            third = self._invoice_charges(invoice)
            self.assertEqual(third.amount_total, 53.32)

    @freeze_time("2026-03-03")
    def test_deleted_draft_charges_invoice_gives_the_charges_back(self):
        invoice = self._eur_invoice(1000, "2026-02-01")
        charges_invoice = self._invoice_charges(invoice)
        self.assertEqual(self._charges(invoice)["penalty_due"], 0.0)
        charges_invoice.unlink()
        self.assertIn("deleted", invoice.message_ids[0].body)
        charges = self._charges(invoice)
        self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (9.99, 40.0))
        self.assertEqual(invoice.dunning_penalty_charged, 0.0)

    def test_charges_invoice_bears_no_charges_and_is_not_asked_twice(self):
        with freeze_time("2026-03-03"):
            invoice = self._eur_invoice(1000, "2026-02-01")
            charges_invoice = self._invoice_charges(invoice)
            charges_invoice.invoice_date_due = "2026-03-03"
            charges_invoice.action_post()
        with freeze_time("2026-04-20"):
            # no interest on interest
            charges = self._charges(charges_invoice)
            self.assertEqual((charges["penalty"], charges["indemnity"]), (0.0, 0.0))
            # both reminded; the charges of the first one: 78 days, 1000 x
            # 12.15 % x 78 / 365 = 25.9644, less the 9.99 invoiced = 15.97
            invoice.sudo().dunning_level_id = self.second
            reminder = self._remind(invoice + charges_invoice)
            self.assertEqual(reminder.level_id, self.notice)
            self.assertEqual(reminder.line_ids.move_id, invoice + charges_invoice)
            table = reminder._get_charges_table()
            self.assertEqual([row["number"] for row in table["rows"]], [invoice.name])
            self.assertEqual(table["amounts"]["penalty"], 15.97)
            self.assertEqual(table["amounts"]["indemnity"], 0.0)
            html = self._letter(reminder)
            self.assertIn(charges_invoice.name, html)  # reminded as an invoice
            self.assertIn("the penalties amount to 15.97", html)
            self.assertNotIn("25.96", html)

    # ------------------------------------------------------------------
    # Credit notes
    # ------------------------------------------------------------------

    @freeze_time("2026-04-30")
    def test_invoice_credited_in_full_owes_nothing(self):
        invoice = self._eur_invoice(1000, "2026-03-01", invoice_date="2026-02-01")
        self._credit(invoice, 1000, "2026-03-15")
        charges = self._charges(invoice)
        # counted as a payment, 14 days would bear 4.66 and 40 of indemnity
        self.assertEqual((charges["penalty"], charges["indemnity"]), (0.0, 0.0))
        self.assertEqual((charges["penalty_due"], charges["indemnity_due"]), (0.0, 0.0))

    @freeze_time("2026-04-30")
    def test_invoice_credited_in_part_owes_on_the_rest(self):
        invoice = self._eur_invoice(1000, "2026-03-01", invoice_date="2026-02-01")
        self._credit(invoice, 400, "2026-03-15")
        charges = self._charges(invoice)
        # 600 from 2 March to 30 April, 60 days: 600 x 12.15 % x 60 / 365
        # = 11.9836 (as a payment on 15 March it would be 13.85)
        self.assertEqual(charges["penalty"], 11.98)
        self.assertEqual([(p["base"], p["days"]) for p in charges["periods"]], [(600, 60)])
        self.assertEqual(charges["indemnity"], 40.0)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    @freeze_time("2026-03-03")
    def test_only_managers_invoice_or_waive(self):
        invoice = self._eur_invoice(1000, "2026-02-01")
        reminder = self._remind(invoice)
        for user in (self.clerk, self.auditor):
            for call in (
                lambda user: reminder.with_user(user).action_invoice_charges(),
                lambda user: reminder.with_user(user).action_waive_charges(),
                lambda user: invoice.with_user(user).action_dunning_invoice_charges(),
                lambda user: self.customer.with_user(user).action_dunning_invoice_charges(),
                lambda user: self.env["account.dunning.charges"]
                .with_user(user)
                ._invoice_charges(invoice, waive=True, reason="Because"),
            ):
                with self.assertRaisesText(AccessError, "Only payment reminder managers"):
                    call(user)
        # nor through a preview of their own making
        preview = (
            self.env["account.dunning.charges.wizard"]
            .with_user(self.clerk)
            .create(
                {
                    "reason": "Because",
                    "line_ids": [
                        Command.create({"move_id": invoice.id, "penalty": 9.99, "indemnity": 40.0})
                    ],
                }
            )
        )
        with self.assertRaisesText(AccessError, "Only payment reminder managers"):
            preview.action_waive()
        with self.assertRaisesText(AccessError, "Only payment reminder managers"):
            preview.action_invoice()
        with self.assertRaises(AccessError):
            self.env["account.dunning.charge.waiver"].with_user(self.clerk).create(
                {"move_id": invoice.id, "penalty_amount": 9.99, "reason": "Because"}
            )
        self.assertFalse(invoice.dunning_charge_waiver_ids)
        self.assertEqual(invoice.dunning_penalty_charged, 0.0)
        # the manager may, with their own rights
        preview = self._preview(
            reminder.with_user(self.manager).action_waive_charges(), self.manager
        )
        self.assertTrue(preview.waive)
        preview.reason = "Because"
        preview.action_waive()
        self.assertEqual(invoice.dunning_charge_waiver_ids.user_id, self.manager)
        self.assertEqual(invoice.dunning_charge_waiver_ids.create_uid, self.manager)

    # ------------------------------------------------------------------
    # The charges screen and the preview
    # ------------------------------------------------------------------

    @freeze_time("2026-03-03")
    def test_charges_screen_before_invoicing(self):
        euros = self._eur_invoice(1000, "2026-02-01")
        dollars = self._invoice(2000, "2026-02-01", invoice_date="2026-01-02")
        self.assertNotEqual(dollars.currency_id, self.eur)
        self._eur_invoice(500, "2026-03-10")  # not late: no line
        Report = self.env["account.dunning.charges.report"].with_user(self.auditor)
        action = Report.action_open()
        lines = Report.search(action["domain"])
        line = lines.filtered(lambda row: row.move_id == euros)
        # 30 days at 12.15 %: 9.9863
        self.assertEqual(
            (line.days, line.rates, line.penalty, line.penalty_invoiced, line.penalty_waived),
            (30, "12.15 %", 9.99, 0.0, 0.0),
        )
        self.assertEqual(
            (line.penalty_due, line.indemnity_due, line.total_due), (9.99, 40.0, 49.99)
        )
        self.assertIn("30 days at 12.15 %", line.periods)
        # 2000 x 12.15 % x 30 / 365 = 19.9726, in dollars
        self.assertEqual(lines.filtered(lambda row: row.move_id == dollars).penalty_due, 19.97)
        self.assertEqual(lines.move_id, euros + dollars)
        # per customer: no sum of two currencies; per customer and currency: each
        domain = action["domain"]
        [customer] = Report.read_group(domain, ["penalty_due:sum"], ["partner_id"])
        self.assertNotIn("penalty_due", customer)
        per_currency = Report.read_group(
            domain, ["penalty_due:sum"], ["partner_id", "currency_id"], lazy=False
        )
        self.assertEqual(sorted(group["penalty_due"] for group in per_currency), [9.99, 19.97])
        # a manager waives part of it from the screen: it says what is left
        Report = Report.with_user(self.manager)
        line = Report.search(Report.action_open()["domain"]).filtered(
            lambda row: row.move_id == euros
        )
        preview = self._preview(line.action_waive_charges(), self.manager)
        with Form(preview) as form:
            with form.line_ids.edit(0) as row:
                row.penalty = 3.0
                row.indemnity = 0.0
            form.reason = "Delivery was late"
        preview.action_waive()
        self.assertEqual(
            (line.penalty_waived, line.penalty_due, line.indemnity_due), (3.0, 6.99, 40.0)
        )

    @freeze_time("2026-03-03")
    def test_preview_lists_the_lines_before_invoicing(self):
        first = self._eur_invoice(1000, "2026-02-01")
        second = self._eur_invoice(500, "2026-02-21")
        preview = self._preview(
            self.customer.with_user(self.manager).action_dunning_invoice_charges(), self.manager
        )
        # 1000 x 12.15 % x 30 / 365 = 9.9863; 500 x 12.15 % x 10 / 365 = 1.6644
        self.assertEqual(
            [
                (line.move_id, line.penalty_due, line.indemnity_due, line.penalty)
                for line in preview.line_ids
            ],
            [(first, 9.99, 40.0, 9.99), (second, 1.66, 40.0, 1.66)],
        )
        self.assertFalse((first + second).dunning_charge_line_ids)  # nothing invoiced yet
        with Form(preview) as form:
            with form.line_ids.edit(0) as line:
                line.penalty = 20.0  # more than owed
        with self.assertRaisesText(UserError, "between zero and what is still owed"):
            preview.action_invoice()
        with Form(preview) as form:
            with form.line_ids.edit(0) as line:
                line.penalty = 4.0
        charges_invoice = self.env["account.move"].browse(preview.action_invoice()["res_id"])
        self.assertEqual(
            [
                (line.dunning_charged_move_id, line.dunning_charge_kind, line.price_unit)
                for line in charges_invoice.invoice_line_ids
            ],
            [
                (first, "penalty", 4.0),
                (first, "indemnity", 40.0),
                (second, "penalty", 1.66),
                (second, "indemnity", 40.0),
            ],
        )
        # what was left out stays owed
        self.assertEqual(self._charges(first)["penalty_due"], 5.99)
        self.assertEqual(self._charges(second)["penalty_due"], 0.0)
