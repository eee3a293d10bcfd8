# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.mail.tests.common import MockEmail

from ..report.account_dunning_letter import ReportDunningLetter
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningGapsLetters(DunningCommon, MockEmail):
    """What becomes of letters and emails after the reminder is made: a
    cancel takes the letter out of the post and the calls off the to-do
    list, a sent email says so, a letter that cannot be made fails its
    reminder alone, and a run of more than a hundred letters renders them
    in batches, each letter its own reminder's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.user = cls._user("gaps_letters", "account.group_account_invoice")
        cls.customer.write({"street": "4 avenue Jean Jaurès", "zip": "69003", "city": "Lyon"})

    def _letter_customers(self, count, prefix="Client"):
        """``count`` customers with a postal address, none with an email,
        each with an invoice 15 days late (a first reminder)."""
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {n:03d}",
                    "is_company": True,
                    "street": f"{n} rue de la Poste",
                    "zip": "44000",
                    "city": "Nantes",
                }
                for n in range(count)
            ]
        )
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-04-05",
                    "date": "2026-04-05",
                    "invoice_date_due": "2026-04-05",
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "quantity": 1, "price_unit": 100, "tax_ids": []}
                        )
                    ],
                }
                for partner in partners
            ]
        )
        moves.action_post()
        return partners, moves

    def _letters_to_post(self):
        """The reminders the menu Letters to Post lists, with its default
        filter, as the user sees them."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_action_to_post"
        )
        return (
            self.env["account.dunning"]
            .with_user(self.user)
            .search(safe_eval(action["domain"]) + self._search_filter("letters_to_post"))
        )

    def _search_filter(self, name):
        """The domain of the filter ``name`` of the reminders' search view."""
        arch = self.env["account.dunning"].get_view(view_type="search")["arch"]
        [node] = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
        return safe_eval(node.get("domain"))

    # ------------------------------------------------------------------
    # Cancel: out of the post, no call left to make
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_cancelled_letter_leaves_the_post_and_its_calls_go(self):
        call = self.env.ref("mail.mail_activity_data_call")
        self.first.write(
            {
                "send_email": False,
                "send_letter": True,
                "create_activity": True,
                "activity_type_id": call.id,
            }
        )
        self.customer.dunning_responsible_id = self.user
        invoice = self._invoice(100, "2026-04-05")
        _partners, other_move = self._letter_customers(1, prefix="Kept")
        reminder = self._remind(invoice)
        kept = self._remind(other_move)
        self.assertEqual(reminder.letter_state, "to_post")
        self.assertEqual(self._letters_to_post() & (reminder + kept), reminder + kept)
        activity = reminder.activity_ids
        self.assertEqual((activity.activity_type_id, activity.user_id), (call, self.user))
        reminder.with_user(self.user).action_cancel()
        # out of Letters to Post, and out of the history's "Letters to post"
        self.assertEqual(reminder.letter_state, "cancel")
        self.assertEqual(self._letters_to_post() & (reminder + kept), kept)
        history = self.env["account.dunning"].search(self._search_filter("letters_to_post"))
        self.assertNotIn(reminder, history)
        self.assertIn("withdrawn from the letters to post", reminder.message_ids[0].body)
        # it can be neither downloaded nor marked as posted
        Dunning = self.env["account.dunning"].with_user(self.user)
        with self.assertRaisesText(UserError, "letter to post"):
            Dunning._get_letters_file(reminder, "zip")
        with self.assertRaisesText(UserError, "waiting for the post"):
            reminder.with_user(self.user).action_mark_posted()
        # the call to make is gone, the other reminder's stays
        self.assertFalse(activity.exists())
        self.assertFalse(reminder.activity_ids)
        self.assertEqual(len(kept.activity_ids), 1)
        self.assertEqual(kept.letter_state, "to_post")

    # ------------------------------------------------------------------
    # The email leaves: Sent
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_email_state_sent_when_the_mail_queue_sends_it(self):
        invoice = self._invoice(100, "2026-04-05")
        reminder = self._remind(invoice)
        self.assertEqual((reminder.mail_id.state, reminder.email_state), ("outgoing", "queued"))
        with self.mock_mail_gateway():
            # what the mail queue's scheduled action does
            self.env["mail.mail"].sudo().process_email_queue(ids=reminder.mail_id.ids)
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(self._mails[0]["email_to"], ['"Dupont SARL" <compta@dupont.test>'])
        self.assertEqual(reminder.email_state, "sent")
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.first)

    # ------------------------------------------------------------------
    # A letter that cannot be made
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_letter_that_fails_to_render_fails_its_reminder_alone(self):
        self.first.write({"send_email": False, "send_letter": True})
        partners, moves = self._letter_customers(3)
        broken_partner = partners[1]
        prepare = ReportDunningLetter._prepare_letter

        def prepare_or_fail(report, reminder):
            if reminder.partner_id == broken_partner:
                raise ValueError("the logo file is damaged")
            return prepare(report, reminder)

        with (
            patch.object(ReportDunningLetter, "_prepare_letter", prepare_or_fail),
            mute_logger("odoo.addons.account_dunning.models.account_dunning_channel"),
        ):
            reminders = self._remind(moves)
        self.assertEqual(len(reminders), 3)
        by_partner = {reminder.partner_id: reminder for reminder in reminders}
        failed = by_partner[broken_partner]
        self.assertEqual(failed.state, "failed")
        self.assertIn("The letter could not be rendered", failed.failure_reason)
        self.assertIn("the logo file is damaged", failed.failure_reason)
        self.assertFalse(failed.letter_state)
        self.assertFalse(failed.letter_attachment_id)
        broken_move = moves.filtered(lambda m: m.partner_id == broken_partner)
        self.assertFalse(broken_move.dunning_level_id)
        self.assertEqual(broken_move.dunning_count, 0)
        self.assertFalse(broken_move.dunning_last_date)
        # the other two went out, each with its own letter
        for partner in partners - broken_partner:
            reminder = by_partner[partner]
            self.assertEqual((reminder.state, reminder.letter_state), ("sent", "to_post"))
            letter = reminder.letter_attachment_id.raw.decode()
            self.assertIn(reminder.name, letter)
            self.assertIn(partner.name, letter)
            move = moves.filtered(lambda m, partner=partner: m.partner_id == partner)
            self.assertEqual((move.dunning_level_id, move.dunning_count), (self.first, 1))
        self.assertEqual(self._letters_to_post() & reminders, reminders - failed)

    # ------------------------------------------------------------------
    # More than a hundred letters in one run
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_more_than_a_hundred_letters_go_in_two_batches(self):
        self.first.write({"send_email": False, "send_letter": True})
        partners, moves = self._letter_customers(101)
        Report = type(self.env["ir.actions.report"])
        start = Report._dunning_start_pdf_batch
        batches = []

        def counted(report, report_ref, res_ids, *args, **kwargs):
            batches.append((len(res_ids), kwargs.get("processes")))
            return start(report, report_ref, res_ids, *args, **kwargs)

        with patch.object(Report, "_dunning_start_pdf_batch", counted):
            reminders = self._remind(moves)
        self.assertEqual(len(reminders), 101)
        # the batches run at once: one wkhtmltopdf each, not two
        self.assertEqual(batches, [(100, 1), (1, 1)])
        self.assertEqual(set(reminders.mapped("state")), {"sent"})
        self.assertEqual(set(reminders.mapped("letter_state")), {"to_post"})
        names = set(reminders.mapped("name"))
        self.assertEqual(len(names), 101)
        # each letter is its own reminder's: its number, its customer, its
        # invoice, and no other reminder's number
        for reminder in reminders:
            letter = reminder.letter_attachment_id.raw.decode()
            self.assertEqual({name for name in names if name in letter}, {reminder.name})
            self.assertIn(reminder.partner_id.name, letter)
            self.assertIn(reminder.line_ids.move_id.name, letter)
        self.assertEqual(set(moves.mapped("dunning_level_id")), {self.first})
