# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import time
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningQuotationChannels(DunningCommon):
    """Quotation reminders go through the payment reminders' email channel
    and obey its rules: the reminder contact, the addresses that bounced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.company.write(
            {
                "dunning_quotation_days_before": 3,
                "dunning_quotation_days_after": 7,
                "dunning_internal_email": "credit@company.test",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.Reminder = cls.env["account.dunning.quotation"]

    def _quotation(self, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "validity_date": "2026-05-12",
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 1000,
                            "tax_id": [],
                        }
                    )
                ],
            }
        )
        order.action_quotation_sent()
        return order

    @freeze_time("2026-05-10")
    def test_sent_through_the_email_channel(self):
        Channel = type(self.env["account.dunning.channel"])
        render = Channel._render_emails
        rendered = []

        def spy(channel, records, get_template):
            rendered.append(records)
            return render(channel, records, get_template)

        order = self._quotation()
        with patch.object(Channel, "_render_emails", spy):
            reminder, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(rendered, [reminder])
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.mail_id.recipient_ids, self.customer)
        # the internal copy and the PDF, as the channel adds them
        self.assertEqual(
            reminder.mail_id._prepare_outgoing_list()[0]["headers"]["Bcc"], "credit@company.test"
        )
        self.assertEqual(len(reminder.mail_id.attachment_ids), 1)

    @freeze_time("2026-05-10")
    def test_an_address_that_bounced_gets_a_call(self):
        """A payment reminder to the customer's address bounced: its
        quotations are not emailed there either, a call is scheduled."""
        salesperson = self._user("bounce_seller", "sales_team.group_sale_salesman")
        invoice = self._invoice(100, "2026-04-25")
        payment_reminder = self._remind(invoice)
        payment_reminder._message_receive_bounce(self.customer.email, self.customer)
        self.assertEqual(payment_reminder.email_state, "bounced")
        order = self._quotation()
        order.user_id = salesperson
        wizard = self.env["account.dunning.quotation.wizard"].create(
            {"order_ids": [Command.set(order.ids)]}
        )
        self.assertIn("bounced: a call to make", wizard.summary)
        reminder, _skipped = self.Reminder._send_reminders(order)
        self.assertEqual(reminder.state, "call")
        self.assertFalse(reminder.mail_id)
        self.assertEqual(reminder.activity_ids.user_id, salesperson)
        self.assertIn("(email bounced)", reminder.activity_ids.summary)
        # the call is the reminder: counted, not asked again tomorrow
        self.assertEqual(order.dunning_quotation_count, 1)

    @freeze_time("2026-05-10")
    def test_a_quotation_bounce_holds_for_the_invoices_too(self):
        first, _skipped = self.Reminder._send_reminders(self._quotation())
        self.assertEqual(first.state, "sent")
        first._message_receive_bounce(self.customer.email, self.customer)
        self.assertTrue(first.email_bounced)
        # the next quotation reminder calls
        with freeze_time("2026-05-11"):
            second, _skipped = self.Reminder._send_reminders(self._quotation())
        self.assertEqual(second.state, "call")
        # and the next payment reminder goes by letter
        channels, warnings = self.env["account.dunning.engine"]._check_channels(
            self.customer, self.first, {"send_email": True}
        )
        self.assertFalse(channels["send_email"])
        self.assertTrue(channels["send_letter"])
        self.assertIn("bounced", warnings[0])
        # and Customer Accounts' red address, whose addresses come normalized
        address = self.customer.email.strip().lower()
        bounced = self.env["res.partner"]._get_dunning_bounced_emails([address], normalized=True)
        self.assertEqual(bounced, {address})
        issues = self.customer._get_dunning_address_issues(self.company)
        self.assertIn("bounced", issues[self.customer.id])

    @freeze_time("2026-05-10")
    def test_the_customers_reminder_contact_when_the_quotation_has_no_email(self):
        """The quotation's contact has no email: the reminder goes to the
        customer's reminder contact, as the payment reminders do."""
        self.customer.email = False
        accounting = self.env["res.partner"].create(
            {
                "name": "Comptabilité",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "factures@dupont.test",
            }
        )
        reminder, _skipped = self.Reminder._send_reminders(self._quotation())
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.email, accounting.email)
        self.assertEqual(reminder.mail_id.email_to, "factures@dupont.test")


@tagged("post_install", "-at_install")
class TestDunningQuotationConcurrency(TransactionCase):
    """A salesperson who confirms a quotation while the daily job's batch
    renders its reminder does not wait for the batch; the batch's conflict
    is not reported as a failure, and the confirmed quotation is not
    reminded. A plain TransactionCase that writes nothing in its own
    transaction (as ``TestDunningCronConcurrency``)."""

    def _make_quotation(self):
        """A sent quotation valid until tomorrow, committed, in a company
        whose daily job reminds quotations 3 days before their date."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            env = env(context={"allowed_company_ids": company.ids})
            saved = {
                "dunning_quotation_auto": company.dunning_quotation_auto,
                "dunning_quotation_days_before": company.dunning_quotation_days_before,
            }
            company.write({"dunning_quotation_auto": True, "dunning_quotation_days_before": 3})
            partner = env["res.partner"].create(
                {"name": "Concurrent SAS", "is_company": True, "email": "q@concurrent.test"}
            )
            product = env["product.product"].create(
                {"name": "Audit", "type": "service", "list_price": 100}
            )
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "validity_date": date.today() + timedelta(days=1),
                    "order_line": [Command.create({"product_id": product.id, "tax_id": []})],
                }
            )
            order.action_quotation_sent()
            cr.commit()  # pylint: disable=invalid-commit
            ids = company.id, partner.id, order.id
        self.addCleanup(self._restore, ids[0], ids[1], saved)
        return ids

    def _restore(self, company_id, partner_id, saved):
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(company_id).write(saved)
            env["res.partner"].browse(partner_id).dunning_blocked = True

    def test_a_confirmation_does_not_wait_for_a_batch(self):
        company_id, _partner_id, order_id = self._make_quotation()
        registry = self.env.registry
        Reminder = type(self.env["account.dunning.quotation"])
        Job = type(self.env["account.dunning.job"])
        get_pdfs = Reminder._get_quotation_pdfs
        confirmed = {}

        def commit_batch(job):
            job.env.cr.commit()  # pylint: disable=invalid-commit
            job.env.invalidate_all()

        with registry.cursor() as cr_user:
            env_user = api.Environment(cr_user, SUPERUSER_ID, {})
            cr_user.execute("SET lock_timeout = '3s'")

            def pdfs_while_a_salesperson_confirms(reminders):
                if not confirmed:
                    # while the batch renders the PDFs, the customer signs
                    start = time.monotonic()
                    try:
                        env_user["sale.order"].browse(order_id).action_confirm()
                        env_user.flush_all()
                        cr_user.commit()  # pylint: disable=invalid-commit
                        confirmed["waited"] = False
                    except errors.LockNotAvailable:
                        cr_user.rollback()
                        confirmed["waited"] = True
                    confirmed["seconds"] = time.monotonic() - start
                return get_pdfs(reminders)

            with (
                registry.cursor() as cr_job,
                patch.object(Reminder, "_get_quotation_pdfs", pdfs_while_a_salesperson_confirms),
                patch.object(Job, "_commit_batch", commit_batch),
            ):
                env_job = api.Environment(cr_job, SUPERUSER_ID, {})
                company = env_job["res.company"].browse(company_id)
                env_job["account.dunning.job"]._for_company(company).env[
                    "account.dunning.quotation"
                ]._cron_send_due(company)
                cr_job.commit()  # pylint: disable=invalid-commit
        self.assertFalse(confirmed["waited"], "the confirmation waited for the batch")
        self.assertLess(confirmed["seconds"], 3)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(order_id)
            self.assertEqual(order.state, "sale")
            # the batch met the confirmation: nothing sent, nothing noted
            self.assertFalse(order.dunning_quotation_ids)
            self.assertEqual(order.dunning_quotation_count, 0)
            self.assertFalse(order.message_ids.filtered(lambda m: "could not send" in str(m.body)))
