# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DunningCommon(AccountTestInvoicingCommon):
    """A company with a plan of four levels (-5, 10, 20, 40 days), a
    customer, and helpers to make invoices and payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.plan = cls.env["account.dunning.plan"].create(
            {
                "name": "Test plan",
                "company_id": cls.company.id,
                "partner_type": "all",
                "level_ids": [
                    Command.create({"name": "Pre-reminder", "days": -5}),
                    Command.create({"name": "First reminder", "days": 10}),
                    Command.create({"name": "Second reminder", "days": 20}),
                    Command.create(
                        {
                            "name": "Formal notice",
                            "days": 40,
                            "send_letter": True,
                            "letter_kind": "formal_notice",
                        }
                    ),
                ],
            }
        )
        cls.plan.is_default = True
        cls.pre, cls.first, cls.second, cls.notice = cls.plan.level_ids.sorted("days")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Dupont SARL", "is_company": True, "email": "compta@dupont.test"}
        )

    @classmethod
    def _user(cls, login, groups):
        """A user of the test company only, with ``groups``."""
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _invoice(
        cls, amount, due, partner=None, invoice_date=None, currency=None, term=None, post=True
    ):
        """A customer invoice of ``amount`` (no tax) due on ``due``."""
        due = date.fromisoformat(due) if isinstance(due, str) else due
        invoice_date = invoice_date or due
        invoice_date = (
            date.fromisoformat(invoice_date) if isinstance(invoice_date, str) else invoice_date
        )
        vals = {
            "move_type": "out_invoice",
            "partner_id": (partner or cls.customer).id,
            "invoice_date": invoice_date,
            "date": invoice_date,
            "invoice_payment_term_id": term.id if term else False,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Services", "quantity": 1, "price_unit": amount, "tax_ids": []}
                )
            ],
        }
        if not term:
            vals["invoice_date_due"] = due
        if currency:
            vals["currency_id"] = currency.id
        move = cls.env["account.move"].create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, pay_date):
        """Register a payment of ``amount`` on ``invoice``."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": pay_date})
            ._create_payments()
        )

    def _remind(self, moves):
        """Create and send the reminders ``moves`` are advised, as the
        workbench would with its proposals untouched."""
        Dunning = self.env["account.dunning"].with_context(**moves.env.context)
        return Dunning._create_reminders(Dunning._prepare_proposals(moves))

    def _job_activities(self, partners):
        """The daily job's "Payment reminder to send" activities of
        ``partners``."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("account_dunning.mail_activity_type_dunning").id,
                ),
            ]
        )

    def _fail_delivery(self, reminder):
        """The mail queue tries to send the reminder's email and the mail
        server refuses it."""

        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("the mail server is down")

        with (
            patch.object(type(self.env["ir.mail_server"]), "send_email", refuse),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            reminder.mail_id.send(raise_exception=False)

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (which rolls back what the failed call wrote) that
        also checks the message the user reads."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    def _state(self, moves):
        """Re-read the reminder state of ``moves`` for the frozen date."""
        moves.invalidate_recordset(
            [
                "dunning_days_overdue",
                "dunning_advised_level_id",
                "dunning_next_date",
                "dunning_to_remind",
            ]
        )
        return moves

    def _log_call(self, moves, **values):
        """Log a call on ``moves`` as ``self.user`` does, with ``values`` set
        in the form."""
        action = moves.with_user(self.user).action_dunning_log_call()
        wizard = (
            self.env["account.dunning.call.wizard"].with_user(self.user).browse(action["res_id"])
        )
        with Form(wizard) as form:
            for name, value in values.items():
                setattr(form, name, value)
        wizard.action_log()
        return wizard

    def _credit(self, invoice, amount, day):
        """A credit note of ``amount`` on ``day``, reconciled with ``invoice``."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "currency_id": invoice.currency_id.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Returned", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        (invoice + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        return refund
