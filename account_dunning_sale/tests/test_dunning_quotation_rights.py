# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The quotation reminders tried as an attacker does (see
``account_dunning``'s ``test_dunning_attack_rights``): Remind by users who
read quotations without selling, and a quotation's name in its PDF's."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningQuotationRights(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dunning_quotation_days_before = 3
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.seller = cls._user("rights_seller", "sales_team.group_sale_salesman")
        cls.seller.email = "seller@company.test"
        cls.clerk = cls._user("rights_clerk", "account.group_account_invoice")
        cls.auditor = cls._user("rights_auditor", "base.group_user,account.group_account_readonly")
        cls.employee = cls._user("rights_employee", "base.group_user")
        contact = cls.env["res.partner"].create(
            {"name": "Jean Client", "parent_id": cls.customer.id, "email": "jean@dupont.test"}
        )
        cls.portal = new_test_user(
            cls.env,
            login="rights_portal",
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _quotation(self, name=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "user_id": self.seller.id,
                "validity_date": "2026-05-13",
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "tax_id": []}
                    )
                ],
            }
        )
        if name:
            order.name = name
        order.action_quotation_sent()
        return order

    @freeze_time("2026-05-10")
    def test_remind_by_salespeople_only(self):
        """Billing clerks and read-only accountants read quotations, the
        portal user its own: none of them reminds."""
        order = self._quotation()
        for user in (self.clerk, self.auditor, self.employee, self.portal):
            with self.assertRaisesText(AccessError, "Only salespeople may remind quotations"):
                order.with_user(user).action_dunning_quotation_remind()
            with self.assertRaisesText(AccessError, "Only salespeople may remind quotations"):
                self.env["account.dunning.quotation.wizard"].with_user(user).browse().action_send()
        self.assertFalse(order.dunning_quotation_ids)
        action = order.with_user(self.seller).action_dunning_quotation_remind()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.seller)
            .with_context(**action["context"])
            .create({})
        )
        wizard.action_send()
        self.assertEqual(order.dunning_quotation_ids.state, "sent")

    @freeze_time("2026-05-10")
    def test_pdf_names_never_make_a_path(self):
        order = self._quotation(name="S\\..\\..\\Users\\Public\\evil")
        reminders, _skipped = self.env["account.dunning.quotation"]._send_reminders(order)
        names = reminders.mail_id.attachment_ids.mapped("name")
        self.assertEqual(names, ["Quotation S-.-.-Users-Public-evil.pdf"])
