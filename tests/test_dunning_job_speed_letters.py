# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date
from unittest.mock import patch

import babel.dates
from freezegun import freeze_time

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import babel_locale_parse, get_lang, posix_to_ldml

from ..models.account_dunning import LETTER_REPORT
from ..report import account_dunning_letter_text
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningJobSpeedLetters(DunningCommon):
    """What the daily job's letters no longer do once per letter (#21): look
    their report up in a query, format a date met before, draw their QR code
    a square at a time. Each gives the same letter as before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.customer | cls.env["res.partner"].create(
            [
                {"name": f"Customer {index}", "is_company": True, "email": f"c{index}@x.test"}
                for index in range(2)
            ]
        )
        cls.invoices = cls.env["account.move"].concat(
            *(
                cls._invoice(100.0 + index, "2026-01-10", partner=customer)
                for index, customer in enumerate(cls.customers)
            )
        )

    def _letters(self):
        """The reminders of the three customers, whose letters are printed."""
        with freeze_time("2026-03-15"):
            reminders = self._remind(self.invoices)
        self.assertEqual(len(reminders), 3)
        return reminders

    def test_letter_batch_looks_its_report_up_once(self):
        """Odoo's report layout asks for the paper format of its report for
        each record, through ``env.ref``, which checks in a query that the
        report exists: a batch of letters does not, and its HTML is the
        same as Odoo's."""
        reminders = self._letters()
        Report = self.env["ir.actions.report"]
        expected = Report._render_qweb_html(LETTER_REPORT, reminders.ids)[0]
        queries = []
        execute = Cursor.execute

        def counted(cursor, query, *args, **kwargs):
            queries.append(str(getattr(query, "code", query)))
            return execute(cursor, query, *args, **kwargs)

        self.env.invalidate_all()
        with patch.object(Cursor, "execute", counted):
            pdfs = Report._dunning_start_pdf_batch(
                LETTER_REPORT, reminders.ids, standalone=True
            ).wait()
        # env.ref's check that the report exists
        exists = 'SELECT "ir_act_report_xml"."id" FROM "ir_act_report_xml" WHERE'
        lookups = [
            query
            for query in queries
            if query.strip().startswith(exists) and '"ir_act_report_xml"."id" IN' in query
        ]
        # the report found for the batch (twice), not for each letter
        self.assertLessEqual(len(lookups), 2, "\n".join(lookups))
        self.assertEqual(set(pdfs), set(reminders.ids))
        # the HTML of the batch is Odoo's
        rendered = []
        render = type(Report)._render_qweb_html

        def kept(report, *args, **kwargs):
            rendered.append(render(report, *args, **kwargs)[0])
            return rendered[-1], "html"

        with patch.object(type(Report), "_render_qweb_html", kept):
            Report._dunning_start_pdf_batch(LETTER_REPORT, reminders.ids, standalone=True)
        self.assertEqual(rendered, [expected])

    def test_dates_formatted_once_as_babel_does(self):
        """The letters' and emails' dates are written as babel writes them
        in the reader's language, a date met again from memory."""
        env = self.env
        lang = get_lang(env)
        locale = babel_locale_parse(lang.code)
        pattern = posix_to_ldml(lang.date_format, locale=locale)
        date_text, _amount_text = env["account.dunning"]._get_formatters(
            env, self.company.currency_id
        )
        cached = account_dunning_letter_text._format_date_cached
        value = date(2026, 2, 28)
        first = date_text(value)
        hits = cached.cache_info().hits
        self.assertEqual(date_text(value), first)
        self.assertEqual(cached.cache_info().hits, hits + 1)
        self.assertEqual(first, babel.dates.format_date(value, format=pattern, locale=locale))
        self.assertEqual(date_text(False), "")

    def test_qr_code_same_png_as_qrcode_draws(self):
        """The letter's QR code (portal bridge) is the PNG the ``qrcode``
        library draws, to the byte, made in one step."""
        Reminder = self.env["account.dunning"]
        if not hasattr(Reminder, "_get_portal_qr_png"):
            self.skipTest("account_dunning_portal is not installed")
        import qrcode

        for text in (
            "http://localhost:8069/rp/ABCD-EFGH-JKMN",
            "https://a-rather-long-company-domain.example.com/rp/ZZZZ-YYYY-XXXX",
            "x",
        ):
            code = qrcode.QRCode(
                error_correction=qrcode.constants.ERROR_CORRECT_M,
                box_size=8,
                border=4,
                mask_pattern=0,
            )
            code.add_data(text)
            code.make(fit=True)
            out = io.BytesIO()
            code.make_image().save(out, format="PNG")
            self.assertEqual(Reminder._get_portal_qr_png(text), out.getvalue(), text)
