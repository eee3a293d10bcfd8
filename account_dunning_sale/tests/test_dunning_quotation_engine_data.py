# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The quotation reminders' own data tried as an attacker does (see
``account_dunning``'s ``test_dunning_attack_engine_data``): forged
reminders, reminder counts set by hand, another company's quotations in the
Remind dialog."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningQuotationEngineData(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dunning_quotation_days_before = 3
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.seller = cls._user("engine_data_seller", "sales_team.group_sale_salesman")
        cls.sales_manager = cls._user("engine_data_sales_manager", "sales_team.group_sale_manager")
        cls.company_b = cls.setup_other_company(name="Quotation Company B")["company"]

    def _quotation(self, company=None):
        order = (
            self.env["sale.order"]
            .with_company(company or self.company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.seller.id,
                    "validity_date": "2026-05-13",
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

    @freeze_time("2026-05-10")
    def test_quotation_reminders_are_the_engines(self):
        order = self._quotation()
        for user in (self.seller, self.sales_manager):
            Reminder = self.env["account.dunning.quotation"].with_user(user)
            # a forged "bounced" reminder would make the next ones calls
            with self.assertRaises(AccessError):
                Reminder.create(
                    {
                        "partner_id": self.customer.id,
                        "order_ids": [Command.set(order.ids)],
                        "email": self.customer.email,
                        "email_bounced": True,
                    }
                )
            with self.assertRaises(AccessError):
                order.with_user(user).write(
                    {"dunning_quotation_count": 2, "dunning_quotation_last_date": "2026-05-09"}
                )
        self.assertEqual(
            (order.dunning_quotation_count, order.dunning_quotation_last_date), (0, False)
        )
        # the normal path: Remind, by the salesperson
        wizard = (
            self.env["account.dunning.quotation.wizard"]
            .with_user(self.seller)
            .create({"order_ids": [Command.set(order.ids)]})
        )
        wizard.action_send()
        reminder = order.dunning_quotation_ids
        self.assertEqual((reminder.state, order.dunning_quotation_count), ("sent", 1))
        for vals in (
            {"email_bounced": True},
            {"state": "failed"},
            {"order_ids": [Command.clear()]},
        ):
            with self.assertRaises(AccessError):
                reminder.with_user(self.sales_manager).write(vals)
        self.assertFalse(reminder.email_bounced)
        reminder.with_user(self.seller).message_post(body="Called back")

    @freeze_time("2026-05-10")
    def test_remind_dialog_refuses_another_companys_quotation(self):
        order_b = self._quotation(self.company_b)
        with self.assertRaises(AccessError):
            self.env["account.dunning.quotation.wizard"].with_user(self.seller).create(
                {"order_ids": [Command.set(order_b.ids)]}
            )
        self.assertFalse(order_b.dunning_quotation_ids)
