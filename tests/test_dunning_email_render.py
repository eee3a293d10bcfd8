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

    @freeze_time("2026-03-15")
    def test_message_body_sanitized_once(self):
        """Each reminder email's message keeps its body sanitized as Odoo
        would store it, sanitized once per email rather than three times;
        the email sent is the template's."""
        template = self.env.ref("account_dunning.mail_template_dunning_level_1")
        template.body_html = str(template.body_html).replace(
            "</div>",
            '<p class="x-marker">Marker</p></div>',
            1,
        )
        import odoo.fields as odoo_fields

        sanitized = []
        original = odoo_fields.html_sanitize

        def counting(src, **options):
            if src and "x-marker" in str(src):
                sanitized.append(src)
            return original(src, **options)

        with patch.object(odoo_fields, "html_sanitize", counting):
            reminders = self._remind(self.invoices)
        self.assertEqual(len(reminders.mail_id), 3)
        self.assertEqual(len(sanitized), 3, "one sanitizing per email, not three")
        for reminder in reminders:
            message = reminder.mail_id.mail_message_id
            message.invalidate_recordset(["body"])
            body = str(message.body)
            self.assertIn("x-marker", body)
            self.assertIn(reminder.line_ids.move_id.name, body)
            # the sanitizer ran: it writes the styles its own way
            self.assertIn('style="margin: 0; padding: 0;"', reminder.mail_id.body_html)
            self.assertIn('style="margin:0; padding:0"', body)
            # what Odoo's own field stores for that body, read back from the database
            field = message._fields["body"]
            self.assertEqual(
                body, str(field.convert_to_column(reminder.mail_id.body_html, message))
            )

    @freeze_time("2026-03-15")
    def test_letter_and_email_share_the_invoice_rows(self):
        """A reminder by email with its letter attached makes its invoice
        rows once: the letter shows them, the email shows them with the
        link to pay each invoice. Outside a send, they are made again (the
        rows of a send are not kept)."""
        self.plan.level_ids.write({"send_email": True, "attach_letter": True})
        Dunning = type(self.env["account.dunning"])
        prepare = Dunning._prepare_invoice_rows
        made = []

        def counting(reminder, env):
            made.append(reminder.id)
            return prepare(reminder, env)

        with patch.object(Dunning, "_prepare_invoice_rows", counting):
            reminders = self._remind(self.invoices)
            self.assertEqual(len(reminders), 3)
            self.assertEqual(sorted(made), sorted(reminders.ids), "once per reminder")
            for reminder in reminders:
                invoice = reminder.line_ids.move_id
                letter = reminder.letter_attachment_id.raw.decode()
                self.assertIn(invoice.name, letter)
                self.assertNotIn(invoice.access_token or "no token", letter)
                body = reminder.mail_id.body_html
                self.assertIn(invoice.name, body)
                self.assertIn(
                    f"/my/invoices/{invoice.id}?access_token={invoice.access_token}", body
                )
            tables = reminders[0]._get_invoice_tables(links=True)
            self.assertEqual(len(made), 4, "made again outside the send")
        self.assertEqual(
            tables["overdue"][0]["url"],
            reminders[0].get_base_url() + reminders[0].line_ids.move_id.get_portal_url(),
        )
        self.assertEqual(reminders[0]._get_invoice_tables()["overdue"][0]["url"], "")

    def test_amounts_written_as_the_language_does(self):
        """The invoice tables' amounts read the language's grouping once:
        each is still written exactly as ``res.lang.format`` writes it, in
        English and in French, for currencies with 2 and 0 decimals."""
        self.env["res.lang"]._activate_lang("fr_FR")
        Reminder = self.env["account.dunning"]
        usd = self.env.ref("base.USD")
        jpy = self.env.ref("base.JPY")
        for code in ("en_US", "fr_FR"):
            env = self.env(context=dict(self.env.context, lang=code))
            lang = env["res.lang"]._lang_get(code)
            for currency in (usd, jpy):
                _date_text, amount_text = Reminder._get_formatters(env, currency)
                pattern = f"%.{currency.decimal_places}f"
                for amount in (0.0, 5.5, 999.99, 1234.5, -1234567.891, 12345678901.2):
                    expected = lang.format(pattern, currency.round(amount), grouping=True)
                    self.assertIn(
                        self._spaces(expected),
                        self._spaces(amount_text(amount)),
                        f"{code} {currency.name} {amount}",
                    )
        # a hand-written one: 1 234 567,89 € in French
        fr_env = self.env(context=dict(self.env.context, lang="fr_FR"))
        eur = self.env.ref("base.EUR")
        _date_text, amount_text = Reminder._get_formatters(fr_env, eur)
        self.assertEqual(self._spaces(amount_text(1234567.891)), "1 234 567,89 €")

    @staticmethod
    def _spaces(text):
        """``text`` with its no-break spaces as plain ones."""
        for space in ("\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}"):
            text = text.replace(space, " ")
        return text.replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")

    def test_standalone_pdf_waits_for_no_script(self):
        """A letter batch (a standalone document, its scripts removed) asks
        wkhtmltopdf to run no JavaScript and not to wait for any: Odoo's
        arguments wait a second in every run, wkhtmltopdf's own default
        200 ms."""
        Report = self.env["ir.actions.report"]
        args = Report._dunning_args_without_javascript(
            ["--quiet", "--javascript-delay", "1000", "--dpi", "96"]
        )
        self.assertEqual(
            args, ["--quiet", "--dpi", "96", "--javascript-delay", "0", "--disable-javascript"]
        )
        with freeze_time("2026-03-15"):
            reminder = self._remind(self.invoices[0])
        spawned = []
        report_model = type(Report)

        def spawn(report, html, wk_args, res_ids):
            spawned.append(wk_args)
            return Report._dunning_simulate_pdf() or None

        with patch.object(report_model, "_dunning_spawn_wkhtmltopdf", spawn):
            Report.with_context(force_report_rendering=True)._dunning_start_pdf_batch(
                "account_dunning.report_dunning_letter", reminder.ids, standalone=True
            )
        self.assertEqual(len(spawned), 1)
        self.assertIn("--disable-javascript", spawned[0])
        delay = spawned[0].index("--javascript-delay")
        self.assertEqual(spawned[0][delay + 1], "0")
        self.assertEqual(spawned[0].count("--javascript-delay"), 1)
