# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_dunning.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningQuotationGaps(DunningCommon):
    """The quotation's *Next Reminder* and *To Remind* as the list and the
    form show them: a date only for a quotation sent to the customer, none
    for a draft, a confirmed or a cancelled one, whatever its dates.
    Settings: the first reminder 3 days before the validity date, the
    second 7 days after it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dunning_quotation_days_before": 3,
                "dunning_quotation_days_after": 7,
                "dunning_quotation_auto": False,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.Reminder = cls.env["account.dunning.quotation"]

    def _quotation(self, validity, state="sent"):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "validity_date": validity,
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
        if state in ("sent", "sale", "cancel"):
            order.action_quotation_sent()
        if state == "sale":
            order.action_confirm()
        elif state == "cancel":
            order._action_cancel()
        return order

    def _read(self, orders):
        """(next reminder, to remind) of each order, read afresh."""
        orders.invalidate_recordset(["dunning_quotation_next_date", "dunning_quotation_due"])
        return [(o.dunning_quotation_next_date, o.dunning_quotation_due) for o in orders]

    @freeze_time("2026-05-10")
    def test_next_date_only_for_sent_quotations(self):
        # valid until 12 May: first reminder on 12 - 3 = 9 May, due today
        sent = self._quotation("2026-05-12")
        draft = self._quotation("2026-05-12", state="draft")
        confirmed = self._quotation("2026-05-12", state="sale")
        cancelled = self._quotation("2026-05-12", state="cancel")
        # valid until 20 May: 17 May, not yet
        later = self._quotation("2026-05-20")
        self.assertEqual(
            [o.state for o in sent | draft | confirmed | cancelled | later],
            ["sent", "draft", "sale", "cancel", "sent"],
        )
        self.assertEqual(
            self._read(sent | draft | confirmed | cancelled | later),
            [
                (date(2026, 5, 9), True),
                (False, False),
                (False, False),
                (False, False),
                (date(2026, 5, 17), False),
            ],
        )

    def test_next_date_leaves_with_confirmation_and_cancel(self):
        """A quotation reminded once, then confirmed; another cancelled: no
        reminder date any more."""
        reminded = self._quotation("2026-05-12")
        to_cancel = self._quotation("2026-05-12")
        with freeze_time("2026-05-09"):
            self.Reminder._send_reminders(reminded)
            self.assertEqual(reminded.dunning_quotation_count, 1)
        with freeze_time("2026-05-10"):
            # second: 12 + 7 = 19 May, and 9 + 3 + 7 = 19 May after the first
            self.assertEqual(
                self._read(reminded | to_cancel),
                [(date(2026, 5, 19), False), (date(2026, 5, 9), True)],
            )
            reminded.action_confirm()
            to_cancel._action_cancel()
            self.assertEqual(self._read(reminded | to_cancel), [(False, False), (False, False)])
        with freeze_time("2026-05-19"):  # the day the second would have been due
            self.assertEqual(self._read(reminded | to_cancel), [(False, False), (False, False)])
            # and back to a quotation, a cancelled one is a draft: still none
            to_cancel.action_draft()
            self.assertEqual(to_cancel.state, "draft")
            self.assertEqual(self._read(to_cancel), [(False, False)])
