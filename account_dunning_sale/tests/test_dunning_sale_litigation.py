# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSaleLitigation(DunningCommon):
    """No new sale to a customer in litigation (in the quotation's
    company), nor a reminder of its quotations; a customer past the
    deadline of a formal notice, unpaid, waits for a sales manager, or for
    nobody, as the company's setting says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        # the formal notice by email: it reaches the customer the day it is sent
        cls.notice.write({"send_email": True, "send_letter": False})
        cls.company.write({"dunning_quotation_days_before": 3, "dunning_quotation_days_after": 7})
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.company_b = cls.setup_other_company(name="Sale Litigation B")["company"]
        both = [Command.set((cls.company | cls.company_b).ids)]
        cls.seller = new_test_user(
            cls.env,
            login="litigation_seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=both,
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="litigation_sales_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=both,
        )

    def _quotation(self, company=None, validity="2026-05-13"):
        company = company or self.company
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "user_id": self.seller.id,
                    "validity_date": validity,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1, "tax_id": []}
                        )
                    ],
                }
            )
        )
        order.action_quotation_sent()
        return order

    def _confirm(self, order, user):
        both = (self.company | self.company_b).ids
        order.with_user(user).with_context(allowed_company_ids=both).action_confirm()

    def _due(self):
        return self.env["sale.order"].search(
            [("dunning_quotation_due", "=", True), ("company_id", "=", self.company.id)]
        )

    @freeze_time("2026-05-10")
    def test_customer_in_litigation_quotations_are_not_confirmed_nor_reminded(self):
        order = self._quotation()
        order_b = self._quotation(company=self.company_b)
        self.assertIn(order, self._due())
        litigation = self.customer._dunning_open_litigation("lawyer")
        # not reminded, and why
        order.invalidate_recordset()
        self.assertNotIn(order, self._due())
        self.assertFalse(order.dunning_quotation_next_date)
        refusal = order._get_dunning_quotation_refusal(date(2026, 5, 10))[order.id]
        self.assertEqual(refusal, "the customer is in litigation")
        # not confirmed, by a salesperson or a sales manager, with the reason
        reason = "Dupont SARL is in litigation since 05/10/2026 (Lawyer)"
        self.assertIn(reason, order.with_user(self.seller).dunning_confirm_warning)
        with self.assertRaisesText(UserError, reason):
            self._confirm(order, self.seller)
        with self.assertRaisesText(UserError, reason):
            self._confirm(order, self.sales_manager)
        self.assertEqual(order.state, "sent")
        # in litigation in company A only: company B sells on
        self.assertFalse(order_b.dunning_confirm_warning)
        self._confirm(order_b, self.seller)
        self.assertEqual(order_b.state, "sale")
        # taken out of litigation: confirmed
        litigation._close("paid")
        order.invalidate_recordset()
        self.assertFalse(order.dunning_confirm_warning)
        self._confirm(order, self.seller)
        self.assertEqual(order.state, "sale")

    def test_formal_notice_deadline_passed_unpaid_asks_a_sales_manager(self):
        with freeze_time("2026-03-02"):
            invoice = self._invoice(1000, "2026-01-15")
            invoice.sudo().write({"dunning_level_id": self.second.id, "dunning_count": 2})
            notice = self._remind(self._state(invoice))
            self.assertEqual(notice.level_id, self.notice)
            # sent on 2 March + 8 days
            self.assertEqual(notice.notice_deadline, date(2026, 3, 10))
        with freeze_time("2026-03-10"):
            # the last day to pay: nothing holds the sale yet
            early = self._quotation(validity="2026-04-30")
            self.assertFalse(early.dunning_confirm_warning)
            self._confirm(early, self.seller)
            self.assertEqual(early.state, "sale")
        with freeze_time("2026-03-11"):
            self.assertEqual(self.company.dunning_notice_sale_policy, "warn")
            order = self._quotation(validity="2026-04-30")
            self.assertIn("only a sales manager", order.dunning_confirm_warning)
            with self.assertRaisesText(UserError, "Ask a sales manager to confirm"):
                self._confirm(order, self.seller)
            self.assertEqual(order.state, "sent")
            self._confirm(order, self.sales_manager)
            self.assertEqual(order.state, "sale")
            self.assertIn(
                f"Confirmed by {self.sales_manager.name}, a sales manager, although the "
                f"formal notice {notice.name}",
                order.message_ids[0].body,
            )
            # the setting "block": nobody confirms
            settings = Form(self.env["res.config.settings"])
            settings.dunning_notice_sale_policy = "block"
            settings.save().execute()
            self.assertEqual(self.company.dunning_notice_sale_policy, "block")
            blocked = self._quotation(validity="2026-04-30")
            with self.assertRaisesText(UserError, "cannot be confirmed until it pays"):
                self._confirm(blocked, self.sales_manager)
            self.assertEqual(blocked.state, "sent")
            # the customer paid: its quotations are confirmed again
            self._pay(invoice, 1000, "2026-03-11")
            blocked.invalidate_recordset()
            self.assertFalse(blocked.dunning_confirm_warning)
            self._confirm(blocked, self.seller)
            self.assertEqual(blocked.state, "sale")

    @freeze_time("2026-05-10")
    def test_confirmed_online_tells_the_salesperson(self):
        """A customer in litigation who signs its quotation online is not
        refused on its page (as the superuser): the salesperson gets an
        activity that says why the order needs a look."""
        order = self._quotation()
        self.customer._dunning_open_litigation("lawyer")
        order.sudo().action_confirm()
        self.assertEqual(order.state, "sale")
        activity = order.activity_ids.filtered(lambda act: act.user_id == self.seller)
        self.assertEqual(len(activity), 1)
        self.assertIn("Dupont SARL is in litigation since 05/10/2026", str(activity.note))
        # a quotation of a customer not held back gets none
        self.customer.with_company(self.company).dunning_litigation_id._close("paid")
        other = self._quotation()
        other.sudo().action_confirm()
        self.assertFalse(other.activity_ids.filtered(lambda act: act.user_id == self.seller))
