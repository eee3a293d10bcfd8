# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon

# Models the payment flow writes on (payments) or creates (reconciliations):
# from their records, Odoo finds the invoices that depend on them only by
# searching (account.move.line.payment_id, account.move.origin_payment_id...).
PAYMENT_FLOW_MODELS = ("account.payment", "account.partial.reconcile", "account.full.reconcile")


@tagged("post_install", "-at_install")
class TestDunningAccountingCost(DunningCommon):
    """What the module costs to everyday accounting: posting an invoice and
    registering a payment keep the reminder fields right, without making
    Odoo look for more records to recompute than it does without the module.

    The figures themselves (queries per invoice posted and per payment, with
    and without the module) come from ``BENCH_STEPS=accounting make bench``:
    a test runs in one database and has nothing to compare them with."""

    def _is_ours(self, field):
        """Whether ``field`` is one of the module's fields (all named
        dunning_*), or its copy on a model that delegates to account.move."""
        while field.inherited_field is not None:
            field = field.inherited_field
        return field.name.startswith("dunning_") and "account_dunning" in (field._modules or ())

    def test_payment_fields_do_not_search_for_reminders(self):
        """Before writing a field, Odoo searches the records whose relations
        depend on it (``modified(before=True)``) when some field computed
        from it is relational: one search per path to account.move, two
        queries for each payment registered. The module's relational fields
        (advised level, plan) must not make a payment field such a field
        when Odoo's own fields do not: the reminder fields follow the
        invoice's lines, not the payment."""
        registry = self.env.registry

        def relational(field):
            return field.relational or bool(registry.field_inverses[field])

        culprits = []
        for model in PAYMENT_FLOW_MODELS:
            for field in self.env[model]._fields.values():
                if relational(field) or not registry.is_modifying_relations(field):
                    continue
                dependents = [
                    dep for dep in registry.get_dependent_fields(field) if relational(dep)
                ]
                if all(self._is_ours(dep) for dep in dependents):
                    ours = sorted({str(dep) for dep in dependents})
                    culprits.append(f"{field} (through {', '.join(ours)})")
        self.assertFalse(culprits, "payment fields the module makes Odoo search on every write")

    def test_post_and_pay_keep_the_reminder_fields(self):
        """Posted: due on its earliest installment, with the customer's plan;
        each payment registered moves it to the next open installment, the
        last one takes the invoice out of the reminders."""
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                ],
            }
        )
        invoice = self._invoice(1000, "2026-03-01", term=term, post=False)
        self.assertFalse(invoice.dunning_date_due)
        invoice.action_post()
        self.assertEqual(invoice.dunning_date_due, date(2026, 3, 1))
        self.assertEqual(invoice.dunning_plan_id, self.plan)
        self._pay(invoice, 500, "2026-03-05")
        self.assertEqual(invoice.dunning_date_due, date(2026, 3, 31))
        self._pay(invoice, 500, "2026-04-02")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(invoice.dunning_date_due)
        self.assertEqual(invoice.dunning_plan_id, self.plan)

    def test_one_payment_per_invoice_in_one_wizard(self):
        """The wizard on several invoices, one payment each (the amounts
        proposed by Odoo): every invoice leaves the reminders."""
        invoices = self._invoice(300, "2026-03-01") + self._invoice(400, "2026-03-10")
        self.assertEqual(invoices.mapped("dunning_date_due"), [date(2026, 3, 1), date(2026, 3, 10)])
        payments = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"group_payment": False, "payment_date": "2026-03-20"})
            ._create_payments()
        )
        self.assertEqual(len(payments), 2)
        self.assertEqual(invoices.mapped("dunning_date_due"), [False, False])
