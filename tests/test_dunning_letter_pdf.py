# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import re
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.account_dunning.models import dunning_pdf_cut, ir_actions_report

from .common import DunningCommon


def pdf_text(pdf):
    """The text of each page of ``pdf`` (bytes), as a reader of the PDF
    gets it."""
    return [page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages]


def offline(html):
    """The HTML without its style sheets and scripts: wkhtmltopdf would
    fetch them from this test's own server, while the test holds the
    transaction."""
    return re.sub(r"<link[^>]*>|<script[^>]*>.*?</script>", "", html, flags=re.S)


@tagged("post_install", "-at_install")
class TestDunningLetterPdf(DunningCommon):
    """Real PDFs (wkhtmltopdf, not the HTML that stands for them under
    test), read back page by page: each letter of a batch rendered in one
    wkhtmltopdf run is its own reminder's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write(
            {"attach_invoices": False, "send_email": False, "send_letter": True}
        )
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "street": street, "city": "Nantes"}
                for name, street in (
                    ("Alder Joinery", "1 rue des Aulnes"),
                    ("Birch Bakery", "2 rue des Bouleaux"),
                    ("Cedar Garage", "3 rue des Cedres"),
                )
            ]
        )

    def _invoices(self):
        """An invoice of 111, 222 and 333 for each of the three customers."""
        moves = self.env["account.move"]
        for partner, amount in zip(self.partners, (111, 222, 333), strict=True):
            moves |= self._invoice(amount, "2026-04-05", partner=partner)
        return moves

    def _spawn_offline(self, runs):
        """A patch of wkhtmltopdf's start that renders offline and adds the
        records of each run to ``runs``."""
        Report = type(self.env["ir.actions.report"])
        spawn = Report._dunning_spawn_wkhtmltopdf

        def spawn_offline(report, html, args, res_ids):
            runs.append(list(res_ids))
            return spawn(report, offline(html), args, res_ids)

        return patch.object(Report, "_dunning_spawn_wkhtmltopdf", spawn_offline)

    @freeze_time("2026-04-20")
    def test_each_letter_of_a_batch_is_its_reminders(self):
        moves = self._invoices()
        runs = []
        with self._spawn_offline(runs):
            reminders = self._remind(moves.with_context(force_report_rendering=True))
        self.assertEqual(len(reminders), 3)
        # the three letters in one wkhtmltopdf run
        self.assertEqual(len(runs), 1)
        self.assertEqual(sorted(runs[0]), sorted(reminders.ids))
        self._assert_own_letters(reminders)

    @freeze_time("2026-04-20")
    def test_a_batch_rendered_in_parts_side_by_side(self):
        """A large batch is cut in parts, one wkhtmltopdf process each,
        side by side on the machine's cores: each letter is still its own
        reminder's (here a batch of 3 counts as large)."""
        moves = self._invoices()
        runs = []
        with (
            patch.object(ir_actions_report, "PDF_PROCESSES", 2),
            patch.object(ir_actions_report, "PDF_PART_MIN", 3),
            self._spawn_offline(runs),
        ):
            reminders = self._remind(moves.with_context(force_report_rendering=True))
        self.assertEqual(len(reminders), 3)
        self.assertEqual([len(run) for run in runs], [2, 1])
        self.assertEqual(sorted(runs[0] + runs[1]), sorted(reminders.ids))
        self._assert_own_letters(reminders)

    @freeze_time("2026-04-20")
    def test_a_part_that_cannot_start_stops_the_others(self):
        reminders = self._remind(self._invoices())
        Report = type(self.env["ir.actions.report"])
        started = []

        class Started:
            cancelled = False

            def cancel(self):
                self.cancelled = True

        def spawn(report, html, args, res_ids):
            if started:
                raise OSError("no fork")
            started.append(Started())
            return started[-1]

        with (
            patch.object(ir_actions_report, "PDF_PROCESSES", 2),
            patch.object(ir_actions_report, "PDF_PART_MIN", 3),
            patch.object(Report, "_dunning_spawn_wkhtmltopdf", spawn),
            self.assertRaises(OSError),
        ):
            self.env["ir.actions.report"].with_context(
                force_report_rendering=True
            )._dunning_start_pdf_batch(
                "account_dunning.report_dunning_letter", reminders.ids, standalone=True
            )
        self.assertEqual(len(started), 1)
        self.assertTrue(started[0].cancelled)
        # one part only when the caller asks for one process
        parts = self.env["ir.actions.report"]._dunning_pdf_parts(40, processes=1)
        self.assertEqual(parts, [slice(0, 40)])

    @freeze_time("2026-04-20")
    def test_a_batch_pdf_is_cut_by_copying_each_letters_objects(self):
        """The batch's file is cut without a PDF library: each letter's
        file holds its own page, fonts and image, opens in a strict reader
        and keeps no marker link. A file of another shape (here, with a page
        layout) is cut by PyPDF2, with the same letters."""
        moves = self._invoices()
        Report = type(self.env["ir.actions.report"])
        split = Report._dunning_split_pdf
        batches = []

        def keep(report, pdf, res_ids):
            batches.append((pdf, list(res_ids)))
            return split(report, pdf, res_ids)

        with (
            self._spawn_offline([]),
            patch.object(Report, "_dunning_split_pdf", keep),
            patch.object(Report, "_dunning_split_pdf_pypdf", side_effect=AssertionError("PyPDF2")),
        ):
            reminders = self._remind(moves.with_context(force_report_rendering=True))
        self._assert_own_letters(reminders)
        [(pdf, res_ids)] = batches
        for reminder in reminders:
            letter = reminder.letter_attachment_id.raw
            self.assertNotIn(b"dunning-pdf-record", letter)
            # each object ends, the rewritten array of annotations too
            self.assertEqual(len(re.findall(rb"\d+ 0 obj\b", letter)), letter.count(b"endobj"))
            self.assertLess(len(letter), len(pdf))
            reader = PdfFileReader(io.BytesIO(letter), strict=True)
            [page] = reader.pages
            self.assertTrue(page["/Resources"].get_object()["/Font"])
            # its objects numbered again from 1, none missing
            self.assertEqual(reader.trailer["/Size"], len(reader.xref[0]) + 1)
        # the same file written again with a page layout: its catalog says
        # more than its pages and outline
        writer = PdfFileWriter()
        for page in PdfFileReader(io.BytesIO(pdf)).pages:
            writer.add_page(page)
        writer.page_layout = "/SinglePage"
        stream = io.BytesIO()
        writer.write(stream)
        other = stream.getvalue()
        Report = self.env["ir.actions.report"]
        with self.assertRaises(dunning_pdf_cut.Unsupported):
            Report._dunning_cut_pdf(other, res_ids)
        letters = Report._dunning_split_pdf(other, res_ids)
        self.assertEqual(sorted(letters), sorted(reminders.ids))
        for reminder in reminders:
            [text] = pdf_text(letters[reminder.id])
            self.assertIn(reminder.name, text)
            self.assertIn(reminder.partner_id.name, " ".join(text.split()))

    @freeze_time("2026-04-20")
    def test_a_letter_that_fills_its_page_takes_no_blank_page(self):
        """Without a company footer, no room is kept for one: a letter
        whose text fills its page is one page, and a longer one goes on to
        a second page with text on it, never a blank sheet for the post.
        The closing text grows line by line over the last third of the
        page."""
        self.env.company.report_footer = False
        moves = self._invoices()[0]
        with self._spawn_offline([]):
            reminder = self._remind(moves.with_context(force_report_rendering=True))
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        counts = set()
        with self._spawn_offline([]):
            for lines in range(20, 60, 2):
                closing = "<br/>".join(f"Closing line {n}" for n in range(lines))
                reminder.level_id.letter_closing = f"<p>{closing}</p>"
                pdf = Report._dunning_render_pdf_batch(
                    "account_dunning.report_dunning_letter", reminder.ids, standalone=True
                )[reminder.id]
                pages = pdf_text(pdf)
                counts.add(len(pages))
                for number, text in enumerate(pages, start=1):
                    self.assertTrue(text.strip(), f"{lines} lines: page {number} is blank")
        self.assertEqual(counts, {1, 2}, "the sweep goes from one page to two")

    def test_batch_html_as_odoo_prepares_it(self):
        """A batch's HTML gives each record's document as Odoo's
        ``_prepare_html`` does, headers and footers taken out, inside its
        articles too; the page around them is rendered once per language,
        not once per record."""
        html = (
            '<html data-report-margin-top="9"><body><main>'
            '<div class="header">Page header</div>'
            '<div class="article" data-oe-model="account.dunning" data-oe-id="7">'
            '<div class="footer">Page footer</div><p>First letter</p></div>'
            '<div class="article" data-oe-model="account.dunning" data-oe-id="8">'
            "<p>Second letter</p></div>"
            '<div class="article" data-oe-model="account.dunning" data-oe-id="9"'
            ' data-oe-lang="en_US"><p>Third letter</p></div>'
            '<div class="article" data-oe-model="res.partner" data-oe-id="3"><p>Other</p></div>'
            "</main></body></html>"
        )
        report = self.env.ref("account_dunning.action_report_dunning_letter")
        IrQweb = type(self.env["ir.qweb"])
        render = IrQweb._render
        langs = []

        def counting(qweb, template, values=None, **options):
            if template == report._get_layout().id:
                langs.append(qweb.env.context.get("lang"))
            return render(qweb, template, values, **options)

        with patch.object(IrQweb, "_render", counting):
            pages, articles, html_ids, paper_args = report._dunning_prepare_batch_html(html)
        self.assertEqual(html_ids, [7, 8, 9, None])
        self.assertEqual(paper_args, {"data-report-margin-top": "9"})
        texts = [article.text_content() for article in articles]
        self.assertEqual(texts, ["First letter", "Second letter", "Third letter", "Other"])
        self.assertEqual(len(langs), 2, "one page per language")
        self.assertIn("o_body_pdf", pages[0])
        merged = report._dunning_merge_articles(pages[0], articles[:3], html_ids[:3])
        self.assertNotIn("Page header", merged)
        self.assertNotIn("Page footer", merged)
        for res_id in (7, 8, 9):
            self.assertIn(f"#dunning-pdf-record-{res_id}", merged)

    def _assert_own_letters(self, reminders):
        """Each reminder's letter is one page that says what is only its
        own, nothing of the others'."""
        expected = {
            # what only this reminder's letter says: its number, its
            # customer, its invoice and amount
            reminder: (
                reminder.name,
                reminder.partner_id.name,
                reminder.line_ids.move_id.name,
                f"{reminder.line_ids.move_id.amount_total:,.2f}",
            )
            for reminder in reminders
        }
        self.assertEqual(
            sorted(values[3] for values in expected.values()), ["111.00", "222.00", "333.00"]
        )
        for reminder in reminders:
            pdf = reminder.letter_attachment_id.raw
            self.assertTrue(pdf.startswith(b"%PDF"))
            pages = pdf_text(pdf)
            self.assertEqual(len(pages), 1)
            text = " ".join(pages[0].split())
            for value in expected[reminder]:
                self.assertIn(value, text)
            for other, values in expected.items():
                if other != reminder:
                    for value in values:
                        self.assertNotIn(value, text)
