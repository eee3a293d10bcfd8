# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningQuotation(DunningCommon):
    """Quotation reminders: which quotations, when, the email and its
    placeholders, the Remind dialog, the daily job's option."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dunning_quotation_days_before": 3,
                "dunning_quotation_days_after": 7,
                "dunning_quotation_auto": False,
                "dunning_internal_email": "credit@company.test",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Martin SAS", "is_company": True, "email": "achats@martin.test"}
        )
        cls.Reminder = cls.env["account.dunning.quotation"]

    def _quotation(self, validity, partner=None, amount=1000, state="sent"):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "validity_date": validity,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [],
                        }
                    )
                ],
            }
        )
        if state in ("sent", "sale"):
            order.action_quotation_sent()
        if state == "sale":
            order.action_confirm()
        elif state == "cancel":
            order._action_cancel()
        return order

    def _due(self):
        return self.env["sale.order"].search(
            [("dunning_quotation_due", "=", True), ("company_id", "=", self.company.id)]
        )

    def _mail_body(self, reminder):
        return str(reminder.mail_id.body_html)

    @freeze_time("2026-05-10")
    def test_first_reminder_near_and_past_expiry(self):
        later = self._quotation("2026-05-14")  # four days left
        near = self._quotation("2026-05-13")  # three days left: the first reminder
        past = self._quotation("2026-05-05")  # expired five days ago, never reminded
        stale = self._quotation("2026-03-20")  # its second reminder date is over a month old
        self.assertEqual(self._due(), near | past)
        self.assertEqual(near.dunning_expiry_days, -3)
        self.assertEqual(past.dunning_expiry_days, 5)
        self.assertEqual(later.dunning_quotation_next_date, date(2026, 5, 11))
        self.assertFalse(later.dunning_quotation_due)
        self.assertFalse(stale.dunning_quotation_next_date)
        # the list's filter says the same as the field
        self.assertEqual(
            self.env["sale.order"].search(
                [
                    ("id", "in", (later | near | past | stale).ids),
                    ("dunning_quotation_due", "!=", True),
                ]
            ),
            later | stale,
        )

    def test_second_reminder_after_expiry(self):
        order = self._quotation("2026-05-13")
        with freeze_time("2026-05-10"):
            reminders, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(reminders.reminder_count, 1)
        self.assertFalse(reminders.previous_date)
        self.assertEqual(order.dunning_quotation_count, 1)
        self.assertEqual(order.dunning_quotation_last_date, date(2026, 5, 10))
        with freeze_time("2026-05-19"):
            order.invalidate_recordset(["dunning_quotation_due"])
            self.assertFalse(order.dunning_quotation_due)
        with freeze_time("2026-05-20"):  # seven days after the validity date
            order.invalidate_recordset(["dunning_quotation_due"])
            self.assertTrue(order.dunning_quotation_due)
            second, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(second.reminder_count, 2)
        self.assertEqual(second.previous_date, date(2026, 5, 10))
        self.assertEqual(order.dunning_quotation_count, 2)
        self.assertEqual(order.dunning_quotation_ids, reminders | second)
        # two reminders by the dates: no third
        with freeze_time("2026-05-30"):
            order.invalidate_recordset(["dunning_quotation_due", "dunning_quotation_next_date"])
            self.assertFalse(order.dunning_quotation_next_date)

    def test_second_reminder_keeps_its_distance_from_a_late_first(self):
        order = self._quotation("2026-05-13")
        with freeze_time("2026-05-18"):  # the first went late, after the validity date
            self.Reminder._send_reminders(order)
        with freeze_time("2026-05-20"):
            order.invalidate_recordset(["dunning_quotation_next_date"])
            # ten days (3 + 7) after the first, not two
            self.assertEqual(order.dunning_quotation_next_date, date(2026, 5, 28))

    @freeze_time("2026-05-10")
    def test_confirmed_cancelled_and_draft_never_reminded(self):
        confirmed = self._quotation("2026-05-12", state="sale")
        cancelled = self._quotation("2026-05-12", state="cancel")
        draft = self._quotation("2026-05-12", state="draft")
        orders = confirmed | cancelled | draft
        self.assertFalse(self._due() & orders)
        reminders, skipped = self.Reminder._send_reminders(orders)
        self.assertFalse(reminders)
        self.assertEqual(
            {order.name: reason for order, reason in skipped.items()},
            {
                confirmed.name: "confirmed",
                cancelled.name: "cancelled",
                draft.name: "not sent to the customer yet",
            },
        )
        self.assertEqual(orders.mapped("dunning_quotation_count"), [0, 0, 0])
        # the dialog says why and has nothing to send
        wizard = self.env["account.dunning.quotation.wizard"].create(
            {"order_ids": [Command.set(orders.ids)]}
        )
        self.assertEqual(wizard.remind_count, 0)
        self.assertIn("cancelled", wizard.summary)
        with self.assertRaises(UserError):
            wizard.action_send()

    @freeze_time("2026-05-10")
    def test_do_not_remind_holds_for_quotations(self):
        order = self._quotation("2026-05-12")
        self.assertTrue(order.dunning_quotation_due)
        self.customer.dunning_blocked = True
        order.invalidate_recordset(["dunning_quotation_due", "dunning_quotation_next_date"])
        self.assertFalse(order.dunning_quotation_due)
        self.assertFalse(self._due() & order)
        # by hand and by the daily job alike
        reminders, skipped = self.Reminder._send_reminders(order)
        self.assertFalse(reminders)
        self.assertEqual(skipped[order], "the customer is marked Do Not Remind")
        self.company.dunning_quotation_auto = True
        self.env["account.dunning.job"]._run(companies=self.company)
        self.assertFalse(order.dunning_quotation_ids)

    @freeze_time("2026-05-10")
    def test_email_placeholders_pdfs_and_portal_link(self):
        valid = self._quotation("2026-05-12", amount=1200)
        expired = self._quotation("2026-05-01", amount=300)
        # an earlier reminder of the expired one, on 24 April
        expired.sudo().write(
            {"dunning_quotation_count": 1, "dunning_quotation_last_date": "2026-04-24"}
        )
        reminders, _skipped = self.Reminder._send_reminders(valid | expired)
        self.assertEqual(len(reminders), 1, "one email for the customer's two quotations")
        reminder = reminders
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.reminder_count, 2)  # %NB_RAPPELS%
        self.assertEqual(reminder.previous_date, date(2026, 4, 24))  # %DT_DERNIER_RAPPEL%
        mail = reminder.mail_id
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(valid.name, mail.subject)
        body = self._mail_body(reminder)
        self.assertIn("reminder no. 2", body)
        self.assertIn("04/24/2026", body)
        self.assertIn(valid.name, body)
        self.assertIn("1,200.00", body)
        self.assertIn("05/12/2026", body)
        # the link to accept and sign online, with the quotation's token
        self.assertTrue(valid.access_token)
        self.assertIn(f"/my/orders/{valid.id}?access_token={valid.access_token}", body)
        self.assertIn("Accept and sign online", body)
        # the expired one can only be read online: the email says how to renew it
        self.assertIn(f"/my/orders/{expired.id}?access_token={expired.access_token}", body)
        self.assertIn("View the quotation", body)
        self.assertIn("can no longer be signed online", body)
        self.assertIn("You can accept and sign each quotation online", body)
        # the quotations' PDFs, the internal copy
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            sorted(f"{o._get_report_base_filename()}.pdf" for o in valid | expired),
        )
        self.assertFalse(mail.email_cc)
        self.assertEqual(mail._prepare_outgoing_list()[0]["headers"]["Bcc"], "credit@company.test")
        # the quotations' count and last date moved; their chatter says it
        self.assertEqual(valid.dunning_quotation_count, 1)
        self.assertEqual(expired.dunning_quotation_count, 2)
        self.assertEqual(
            (valid | expired).mapped("dunning_quotation_last_date"), [date(2026, 5, 10)] * 2
        )
        self.assertIn(reminder.name, valid.message_ids[0].body)
        # all expired: nothing says they can be signed
        with freeze_time("2026-05-11"):
            alone, _skipped = self.Reminder._send_reminders(expired)
        self.assertIn("can no longer be signed online", self._mail_body(alone))
        self.assertNotIn("You can accept and sign", self._mail_body(alone))

    @freeze_time("2026-05-10")
    def test_first_reminder_text(self):
        reminder, _skipped = self.Reminder._send_reminders(self._quotation("2026-05-12"))
        body = self._mail_body(reminder)
        self.assertIn("We recently sent you the quotations below", body)
        self.assertNotIn("reminder no.", body)
        self.assertNotIn("can no longer be signed online", body)
        # a company is greeted without a name, a person by theirs
        self.assertIn("Hello,", body)
        person = self.env["res.partner"].create(
            {"name": "Jeanne Petit", "email": "jp@test.example"}
        )
        reminder, _skipped = self.Reminder._send_reminders(self._quotation("2026-05-12", person))
        self.assertIn("Hello Jeanne Petit,", self._mail_body(reminder))

    @freeze_time("2026-05-10")
    def test_one_email_per_customer_and_never_twice_a_day(self):
        first = self._quotation("2026-05-12")
        second = self._quotation("2026-05-11")
        other = self._quotation("2026-05-12", partner=self.other_customer)
        wizard = self.env["account.dunning.quotation.wizard"].create(
            {"order_ids": [Command.set((first | second | other).ids)]}
        )
        self.assertEqual(wizard.remind_count, 3)
        self.assertIn("achats@martin.test", wizard.summary)
        action = wizard.action_send()
        self.assertIn("Reminders sent: 2", action["params"]["message"])
        reminders = self.Reminder.search([("order_ids", "in", (first | second | other).ids)])
        self.assertEqual(reminders.partner_id, self.customer | self.other_customer)
        self.assertEqual(
            reminders.filtered(lambda r: r.partner_id == self.customer).order_ids, first | second
        )
        # Remind again the same day: refused, nothing sent twice
        again, skipped = self.Reminder._send_reminders(first | second | other)
        self.assertFalse(again)
        self.assertEqual(set(skipped.values()), {"already reminded today"})

    @freeze_time("2026-05-10")
    def test_customer_without_email_gets_a_call(self):
        self.customer.email = False
        salesperson = self._user("seller", "sales_team.group_sale_salesman")
        order = self._quotation("2026-05-12")
        order.user_id = salesperson
        reminder, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(reminder.state, "call")
        self.assertFalse(reminder.mail_id)
        self.assertEqual(reminder.activity_ids.user_id, salesperson)
        self.assertIn(order.name, reminder.activity_ids.summary)
        # the call is the reminder: the job does not ask again tomorrow
        self.assertEqual(order.dunning_quotation_count, 1)

    @freeze_time("2026-05-10")
    def test_failed_email_leaves_the_quotation_as_it_was(self):
        order = self._quotation("2026-05-12")
        with patch.object(
            type(self.env["mail.template"]), "send_mail_batch", side_effect=ValueError("no way")
        ):
            reminder, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(reminder.state, "failed")
        self.assertIn("no way", reminder.failure_reason)
        self.assertEqual(order.dunning_quotation_count, 0)
        self.assertFalse(order.dunning_quotation_last_date)
        self.assertTrue(order.dunning_quotation_due)

    @freeze_time("2026-05-10")
    def test_one_failed_email_does_not_stop_the_others(self):
        ours = self._quotation("2026-05-12")
        theirs = self._quotation("2026-05-12", partner=self.other_customer)
        Template = type(self.env["mail.template"])
        send_mail_batch = Template.send_mail_batch

        def fail_for_dupont(template, res_ids, *args, **kwargs):
            reminders = self.Reminder.browse(res_ids)
            if self.customer in reminders.partner_id:
                raise ValueError("bad address")
            return send_mail_batch(template, res_ids, *args, **kwargs)

        with patch.object(Template, "send_mail_batch", fail_for_dupont):
            reminders, _skipped = self.Reminder._send_reminders(ours | theirs)
        by_partner = {r.partner_id: r for r in reminders}
        self.assertEqual(by_partner[self.customer].state, "failed")
        self.assertEqual(by_partner[self.other_customer].state, "sent")
        self.assertEqual(ours.dunning_quotation_count, 0)
        self.assertEqual(theirs.dunning_quotation_count, 1)
        self.assertTrue(by_partner[self.other_customer].mail_id.attachment_ids)

    @freeze_time("2026-05-10")
    def test_daily_job_option(self):
        order = self._quotation("2026-05-12")
        Job = self.env["account.dunning.job"]
        Job._run(companies=self.company)
        self.assertFalse(order.dunning_quotation_ids, "the option is off: nothing goes out")
        self.assertTrue(order.dunning_quotation_due)
        self.company.dunning_quotation_auto = True
        Job._run(companies=self.company)
        self.assertEqual(len(order.dunning_quotation_ids), 1)
        self.assertTrue(order.dunning_quotation_ids.auto)
        self.assertEqual(order.dunning_quotation_ids.state, "sent")
        # a second run the same day sends nothing more
        Job._run(companies=self.company)
        self.assertEqual(len(order.dunning_quotation_ids), 1)
        self.assertEqual(order.dunning_quotation_count, 1)

    @freeze_time("2026-05-10")
    def test_daily_job_stays_in_its_company(self):
        other_company = self.env["res.company"].create(
            {"name": "Other Co", "dunning_quotation_auto": True}
        )
        self.company.dunning_quotation_auto = True
        ours = self._quotation("2026-05-12")
        self.env["account.dunning.job"]._run(companies=other_company)
        self.assertFalse(ours.dunning_quotation_ids)
        self.env["account.dunning.job"]._run(companies=self.company)
        self.assertEqual(ours.dunning_quotation_ids.company_id, self.company)
        # a user of the other company does not see the reminder
        user = self.env["res.users"].create(
            {
                "name": "Other",
                "login": "other_co_seller",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
                "groups_id": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        self.assertFalse(self.Reminder.with_user(user).search([]))

    @freeze_time("2026-05-10")
    def test_remind_button_opens_the_dialog(self):
        order = self._quotation("2026-05-12")
        action = order.action_dunning_quotation_remind()
        self.assertEqual(action["res_model"], "account.dunning.quotation.wizard")
        wizard = Form(
            self.env["account.dunning.quotation.wizard"].with_context(**action["context"])
        ).save()
        self.assertEqual(wizard.order_ids, order)
        wizard.action_send()
        self.assertEqual(order.dunning_quotation_count, 1)
        self.assertEqual(
            order.action_view_dunning_quotations()["domain"], [("order_ids", "in", order.ids)]
        )

    @freeze_time("2026-05-10")
    def test_a_salesperson_reminds_their_quotation(self):
        # a salesperson who sees their own documents only
        seller = self._user("seller_remind", "sales_team.group_sale_salesman")
        other_seller = self._user("seller_other", "sales_team.group_sale_salesman")
        seller.email = "seller@company.test"
        order = self._quotation("2026-05-12")
        order.user_id = seller
        wizard = (
            self.env["account.dunning.quotation.wizard"]
            .with_user(seller)
            .create({"order_ids": [Command.set(order.ids)]})
        )
        wizard.action_send()
        reminder = order.dunning_quotation_ids
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.user_id, seller)
        self.assertEqual(reminder.with_user(seller).order_ids, order)
        # the email comes from the salesperson
        self.assertIn("seller@company.test", reminder.mail_id.email_from)
        # they note on it; they neither make nor change a reminder by hand
        reminder.with_user(seller).message_post(body="Called back", message_type="comment")
        with self.assertRaises(AccessError):
            reminder.with_user(seller).write({"email": "other@test.example"})
        with self.assertRaises(AccessError):
            self.Reminder.with_user(seller).create({"partner_id": self.customer.id})
        # another salesperson with their own documents only does not see it
        self.assertFalse(self.Reminder.with_user(other_seller).search([("id", "=", reminder.id)]))

    def test_late_first_reminder_keeps_its_second(self):
        order = self._quotation("2026-05-13")
        with freeze_time("2026-06-15"):  # a month after the validity date, by hand
            self.Reminder._send_reminders(order)
        for day, due in (("2026-06-24", False), ("2026-06-25", True), ("2026-07-25", True)):
            with freeze_time(day):
                order.invalidate_recordset(["dunning_quotation_due", "dunning_quotation_next_date"])
                self.assertEqual(order.dunning_quotation_due, due, day)
                self.assertEqual(
                    self.env["sale.order"].search(
                        [("id", "=", order.id), ("dunning_quotation_due", "=", True)]
                    ),
                    order if due else order.browse(),
                    day,
                )
        with freeze_time("2026-07-26"):  # a month after its date: left to the salesperson
            order.invalidate_recordset(["dunning_quotation_due", "dunning_quotation_next_date"])
            self.assertFalse(order.dunning_quotation_next_date)

    @freeze_time("2026-05-10")
    def test_a_missing_pdf_is_said(self):
        order = self._quotation("2026-05-12")
        with patch.object(
            type(self.env["ir.actions.report"]), "_render_qweb_pdf", side_effect=ValueError("no")
        ):
            reminder, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(reminder.state, "sent")
        self.assertFalse(reminder.mail_id.attachment_ids)
        self.assertIn("could not be made", reminder.message_ids[0].body)

    @freeze_time("2026-05-10")
    def test_daily_job_goes_on_after_a_failed_batch(self):
        ours = self._quotation("2026-05-12")
        theirs = self._quotation("2026-05-12", partner=self.other_customer)
        self.company.dunning_quotation_auto = True
        Reminder = type(self.Reminder)
        send = Reminder._send_reminders

        def fail_for_dupont(model, orders, auto=False):
            if self.customer in orders.partner_id:
                raise ValueError("broken data")
            return send(model, orders, auto=auto)

        module = "odoo.addons.account_dunning_sale.models.account_dunning_quotation"
        with (
            patch(f"{module}.CRON_BATCH_SIZE", 1),
            patch.object(Reminder, "_send_reminders", fail_for_dupont),
        ):
            self.env["account.dunning.job"]._run(companies=self.company)
        self.assertFalse(ours.dunning_quotation_ids)
        self.assertIn("could not send the reminder", ours.message_ids[0].body)
        self.assertEqual(theirs.dunning_quotation_ids.state, "sent")

    def test_settings_refuse_negative_days(self):
        with self.assertRaises(ValidationError):
            self.company.dunning_quotation_days_before = -2
