# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_dunning.tests.common import DunningCommon
from odoo.addons.account_dunning.tests.test_dunning_letter_pdf import offline, pdf_text


@tagged("post_install", "-at_install")
class TestDunningQuotationPdf(DunningCommon):
    """The quotations' real PDFs (Odoo's own report through wkhtmltopdf,
    not the HTML that stands for them under test), read back: each PDF
    attached to a reminder is its own quotation's, whether Odoo prints a
    customer's quotations in one run (a wkhtmltopdf built on patched Qt)
    or one at a time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dunning_quotation_auto = False
        cls.product = cls.env["product.product"].create(
            {"name": "Audit", "type": "service", "list_price": 100}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Martin SAS", "is_company": True, "email": "achats@martin.test"}
        )
        cls.Reminder = cls.env["account.dunning.quotation"]

    def _quotation(self, partner, amount):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "validity_date": "2026-05-12",
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
        order.action_quotation_sent()
        return order

    def _send_with_real_pdfs(self, orders):
        """Send the reminders of ``orders`` with real PDFs; returns them and
        the quotations of each wkhtmltopdf run."""
        Report = type(self.env["ir.actions.report"])
        run = Report._run_wkhtmltopdf
        runs = []

        def run_offline(report, bodies, *args, header=None, footer=None, **kwargs):
            runs.append(len(bodies))
            return run(
                report,
                [offline(body) for body in bodies],
                *args,
                header=header and offline(header),
                footer=footer and offline(footer),
                **kwargs,
            )

        with patch.object(Report, "_run_wkhtmltopdf", run_offline):
            reminders, _skipped = self.Reminder.with_context(
                force_report_rendering=True
            )._send_reminders(orders)
        return reminders, runs

    def _check_pdfs(self, reminders, orders):
        """Each reminder carries one PDF per quotation of its customer, and
        each PDF shows its own quotation's number and amount, no other's."""
        own = {order: (order.name, f"{order.amount_total:,.2f}") for order in orders}
        for reminder in reminders:
            attachments = reminder.mail_id.attachment_ids
            self.assertEqual(
                sorted(attachments.mapped("name")),
                sorted(f"{o._get_report_base_filename()}.pdf" for o in reminder.order_ids),
            )
            for order in reminder.order_ids:
                attachment = attachments.filtered(
                    lambda a, o=order: a.name == f"{o._get_report_base_filename()}.pdf"
                )
                self.assertTrue(attachment.raw.startswith(b"%PDF"))
                text = " ".join(" ".join(pdf_text(attachment.raw)).split())
                for value in own[order]:
                    self.assertIn(value, text)
                for other, values in own.items():
                    if other != order:
                        self.assertNotIn(values[0], text)
                        self.assertNotIn(values[1], text)

    @freeze_time("2026-05-10")
    def test_each_quotation_pdf_is_its_own(self):
        first = self._quotation(self.customer, 1111)
        second = self._quotation(self.customer, 2222)
        other = self._quotation(self.other_customer, 3333)
        orders = first | second | other
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        batched = Report._dunning_can_render_batch()
        reminders, runs = self._send_with_real_pdfs(orders)
        self.assertEqual(len(reminders), 2)
        self.assertEqual(
            reminders.filtered(lambda r: r.partner_id == self.customer).order_ids, first | second
        )
        # the customer's two quotations in one run where Odoo can, else one by one
        self.assertEqual(sorted(runs), [1, 2] if batched else [1, 1, 1])
        self._check_pdfs(reminders, orders)

    @freeze_time("2026-05-10")
    def test_quotation_pdfs_in_one_run(self):
        """The path of a wkhtmltopdf built on patched Qt: the customer's
        quotations in one run, split by Odoo. Here it is asked for whatever
        the wkhtmltopdf: the PDFs it gives, or those of the one by one
        rendering it falls back to, are each their own quotation's."""
        first = self._quotation(self.customer, 1111)
        second = self._quotation(self.customer, 2222)
        Report = type(self.env["ir.actions.report"])
        with patch.object(Report, "_dunning_can_render_batch", return_value=True):
            reminders, runs = self._send_with_real_pdfs(first | second)
        self.assertEqual(reminders.order_ids, first | second)
        # tried in one run first
        self.assertEqual(runs[0], 2)
        self._check_pdfs(reminders, first | second)
