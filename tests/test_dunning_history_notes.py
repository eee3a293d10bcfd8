# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningCommon


@freeze_time("2026-03-02 10:00:00")
@tagged("post_install", "-at_install")
class TestDunningHistoryNotes(DunningCommon):
    """The note each reminder leaves on its invoices and its customer,
    logged in bulk: each invoice its own, with its reminder's words."""

    def test_each_invoice_and_customer_gets_its_note(self):
        self.plan.level_ids.write({"attach_invoices": False})
        other = self.env["res.partner"].create(
            {"name": "Martin SAS", "is_company": True, "email": "ap@martin.test"}
        )
        dupont = self._invoice(100, "2026-02-10") | self._invoice(200, "2026-02-15")
        martin = self._invoice(300, "2026-02-01", partner=other)
        proposals = self.env["account.dunning"]._prepare_proposals(dupont | martin)
        for proposal in proposals:
            proposal["comment"] = "<script>alert(1)</script> as agreed"
        reminders = self.env["account.dunning"]._create_reminders(proposals)
        self.assertEqual(len(reminders), 2)
        by_partner = {reminder.partner_id: reminder for reminder in reminders}
        for partner, moves in ((self.customer, dupont), (other, martin)):
            reminder = by_partner[partner]
            for move in moves:
                notes = move.message_ids.filtered(
                    lambda message, ref=reminder.name: ref in str(message.body)
                )
                self.assertEqual(len(notes), 1, move.name)
                self.assertEqual(notes.model, "account.move")
                self.assertEqual(notes.res_id, move.id)
                self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
                self.assertTrue(notes.is_internal)
                self.assertIn(reminder.level_id.name, str(notes.body))
                # what a user wrote is escaped, never markup
                self.assertIn("&lt;script&gt;", str(notes.body))
                self.assertNotIn("<script>", str(notes.body))
            note = partner.message_ids.filtered(
                lambda message, ref=reminder.name: ref in str(message.body)
            )
            self.assertEqual(len(note), 1)
            self.assertEqual(note.res_id, partner.id)
        # another customer's reminder never lands on these invoices
        self.assertFalse(
            dupont.message_ids.filtered(lambda m: by_partner[other].name in str(m.body))
        )
