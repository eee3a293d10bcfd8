# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningEmailRender(DunningCommon):
    """The reminder emails of a batch compile their template's body once,
    and each still says its own customer's invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Client {n}", "is_company": True, "email": f"client{n}@example.test"}
                for n in range(3)
            ]
        )
        cls.invoices = cls.env["account.move"].concat(
            *(
                cls._invoice(100.0 * (n + 1), "2026-03-01", partner=customer)
                for n, customer in enumerate(cls.customers)
            )
        )

    def _count_element_compiles(self):
        """Patch Odoo's code generation of templates and count the calls
        made for a template given as an element (an email body)."""
        IrQweb = type(self.env["ir.qweb"])
        calls = []
        generate = IrQweb._generate_code

        def counting(qweb, template):
            if isinstance(template, etree._Element):
                calls.append(etree.tostring(template))
            return generate(qweb, template)

        return calls, patch.object(IrQweb, "_generate_code", counting)

    @freeze_time("2026-03-15")
    def test_body_compiled_once_per_batch(self):
        self.env.registry.clear_cache("templates")
        calls, patcher = self._count_element_compiles()
        with patcher:
            reminders = self._remind(self.invoices)
        self.assertEqual(len(reminders), 3)
        self.assertEqual(set(reminders.level_id.mapped("name")), {"First reminder"})
        # three emails of one level and one language: the body is compiled
        # once, besides the one code generation of Odoo's check of the
        # template's expressions, made once per batch (Odoo alone compiles
        # the body once per email: 1 + 3)
        self.assertEqual(len(calls), 2, "the body is compiled once for the three emails")
        self.assertEqual(len(set(calls)), 1, "the same body")
        for reminder, invoice in zip(
            reminders.sorted(lambda r: r.partner_id.name), self.invoices, strict=True
        ):
            body = reminder.mail_id.body_html
            self.assertIn(invoice.name, body)
            others = self.invoices - invoice
            for other in others:
                self.assertNotIn(other.name, body, "each email lists its own invoices only")

    @freeze_time("2026-03-15")
    def test_edited_template_is_compiled_again(self):
        template = self.env.ref("account_dunning.mail_template_dunning_level_1")
        self._remind(self.invoices[0])
        template.body_html = str(template.body_html).replace(
            "</div>", '<p class="x-edited">Edited text</p></div>', 1
        )
        self.assertIn("x-edited", template.body_html)
        reminder = self._remind(self.invoices[1])
        self.assertIn("Edited text", reminder.mail_id.body_html)
