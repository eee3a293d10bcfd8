# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os
import tempfile
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.account_dunning.models import ir_actions_report
from odoo.addons.account_dunning.models.ir_actions_report import _JobGroup, _PdfJob

from .common import DunningCommon

HTML = "<html><body><p>Invoice</p></body></html>"
# keeps wkhtmltopdf busy long enough to be caught running
SLOW = ["--quiet", "--javascript-delay", "60000"]


class Interrupted(Exception):
    """What a worker's time limit raises in the middle of a wait."""


@tagged("post_install", "-at_install")
class TestDunningDocuments(DunningCommon):
    """Reminders attach each invoice's legal PDF as Odoo makes and keeps it
    (under test, Odoo's reports give their HTML instead of a PDF)."""

    def _pdfs(self, invoices):
        pdfs = invoices._get_dunning_invoice_pdfs()
        invoices.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        return pdfs

    def _assert_legal(self, invoice, attachment):
        self.assertTrue(attachment)
        self.assertEqual(attachment, invoice.invoice_pdf_report_id)
        self.assertEqual(attachment.res_field, "invoice_pdf_report_file")
        self.assertEqual(attachment.name, invoice._get_invoice_report_filename())
        self.assertIn(invoice.name.encode(), attachment.raw)

    @freeze_time("2026-03-01")
    def test_legal_document_made_when_missing_then_reused(self):
        invoices = self._invoice(100, "2026-01-10") + self._invoice(200, "2026-01-20")
        draft = self._invoice(300, "2026-01-20", post=False)
        self.assertFalse(invoices.invoice_pdf_report_id)
        pdfs = self._pdfs(invoices + draft)
        self.assertEqual(set(pdfs), set(invoices.ids))  # a draft has no legal document
        for invoice in invoices:
            self._assert_legal(invoice, pdfs[invoice.id])
        if "account.edi.xml.cii" in self.env:
            # Odoo's send machinery ran: under test it keeps the Factur-X it
            # would embed in the PDF as an attachment of its own
            facturx = self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "in", invoices.ids),
                    ("name", "=", "factur-x.xml"),
                ]
            )
            self.assertEqual(set(facturx.mapped("res_id")), set(invoices.ids))
        # the documents are kept: the next reminder attaches the same ones
        Send = type(self.env["account.move.send"])
        with patch.object(Send, "_generate_invoice_documents", side_effect=AssertionError):
            self.assertEqual(self._pdfs(invoices), pdfs)

    @freeze_time("2026-03-01")
    def test_finding_documents_costs_the_same_for_more_invoices(self):
        few = self._invoice(100, "2026-01-10") + self._invoice(100, "2026-01-11")
        many = self.env["account.move"].concat(
            *(self._invoice(100 + n, "2026-01-12") for n in range(6))
        )
        self._pdfs(few + many)
        counts = []
        for invoices in (few, many):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(len(invoices._get_dunning_invoice_pdfs()), len(invoices))
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    @freeze_time("2026-03-01")
    def test_changed_invoice_gets_a_new_document(self):
        invoice = self._invoice(100, "2026-01-10")
        old = self._pdfs(invoice)[invoice.id]
        self.assertIn(b"100.00", old.raw)
        self.assertEqual(invoice.invoice_pdf_report_id, old)
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 150
        invoice.action_post()
        new = self._pdfs(invoice)[invoice.id]
        self.assertNotEqual(new, old)
        self._assert_legal(invoice, new)
        self.assertIn(b"150.00", new.raw)
        self.assertNotIn(b"150.00", old.raw)
        self.assertFalse(old.res_field)  # Odoo detached it: not the invoice any more

    @freeze_time("2026-03-01")
    def test_documents_made_in_batch_where_wkhtmltopdf_can(self):
        invoices = self.env["account.move"].concat(
            *(self._invoice(100 + n, "2026-01-10") for n in range(4))
        )
        Send = type(self.env["account.move.send"])
        Report = type(self.env["ir.actions.report"])
        prepare = Send._prepare_invoice_pdf_report
        batches = []

        def spy(send, invoices_data):
            batches.append(len(invoices_data))
            return prepare(send, invoices_data)

        with patch.object(Send, "_prepare_invoice_pdf_report", spy):
            self._pdfs(invoices[:2])
            self.assertEqual(batches, [2])
            # Debian's wkhtmltopdf prints one document per run
            with patch.object(Report, "_dunning_can_render_batch", return_value=False):
                self._pdfs(invoices)
        self.assertEqual(batches, [2, 1, 1])
        self.assertTrue(all(invoices.invoice_pdf_report_id))

    @freeze_time("2026-03-01")
    def test_one_failing_invoice_does_not_deprive_the_others(self):
        good, bad = self._invoice(100, "2026-01-10"), self._invoice(200, "2026-01-10")
        Send = type(self.env["account.move.send"])
        prepare = Send._prepare_invoice_pdf_report

        def failing(send, invoices_data):
            if bad in invoices_data:
                raise RuntimeError("wkhtmltopdf crashed")
            return prepare(send, invoices_data)

        with (
            patch.object(Send, "_prepare_invoice_pdf_report", failing),
            self.assertLogs("odoo.addons.account_dunning.models.account_move", "WARNING"),
        ):
            pdfs = self._pdfs(good + bad)
        self.assertEqual(list(pdfs), good.ids)
        self._assert_legal(good, pdfs[good.id])
        self.assertFalse(bad.invoice_pdf_report_id)

    # ------------------------------------------------------------------
    # wkhtmltopdf jobs
    # ------------------------------------------------------------------

    def _job(self, args):
        job = _PdfJob(self.env["ir.actions.report"], HTML, args, [1])
        self.addCleanup(self._reap, job)
        return job

    def _reap(self, job):
        """Whatever the test did, leave nothing behind."""
        if job.process.poll() is None:
            job.process.kill()
        job.process.wait()
        for pipe in (job.process.stdout, job.process.stderr):
            pipe.close()
        for path in (job.html_path, job.pdf_path):
            if path and os.path.exists(path):
                os.unlink(path)

    def _assert_gone(self, job):
        self.assertIsNotNone(job.process.poll())
        self.assertFalse(os.path.exists(job.html_path))
        self.assertFalse(os.path.exists(job.pdf_path))

    def test_cancelled_job_leaves_no_process_nor_file(self):
        job = self._job(SLOW)
        self.assertIsNone(job.process.poll())
        self.assertTrue(os.path.exists(job.html_path))
        job.cancel()
        self._assert_gone(job)
        job.cancel()  # again: nothing left to do, no error
        self._assert_gone(job)

    def test_failed_job_leaves_no_process_nor_file(self):
        # wkhtmltopdf refuses its arguments
        job = self._job(["--no-such-option"])
        with self.assertRaises(UserError):
            job.wait()
        self._assert_gone(job)
        # the wait is interrupted (a time limit) while wkhtmltopdf runs
        job = self._job(SLOW)
        with (
            patch.object(job.process, "communicate", side_effect=Interrupted),
            self.assertRaises(Interrupted),
        ):
            job.wait()
        self._assert_gone(job)

    def test_parts_of_a_batch_fail_together(self):
        """A batch rendered in parts side by side: when one part's
        wkhtmltopdf fails, the others are stopped and leave nothing."""
        failing, slow = self._job(["--no-such-option"]), self._job(SLOW)
        group = _JobGroup([failing, slow])
        with self.assertRaises(UserError):
            group.wait()
        self._assert_gone(failing)
        self._assert_gone(slow)

    def test_job_that_cannot_start_leaves_no_file(self):
        made = []
        mkstemp = tempfile.mkstemp

        def recording(*args, **kwargs):
            fd, path = mkstemp(*args, **kwargs)
            made.append(path)
            return fd, path

        with (
            patch.object(ir_actions_report.tempfile, "mkstemp", recording),
            patch.object(ir_actions_report.subprocess, "Popen", side_effect=OSError("no fork")),
            self.assertRaises(OSError),
        ):
            _PdfJob(self.env["ir.actions.report"], HTML, [], [1])
        self.assertEqual(len(made), 2)
        self.assertFalse([path for path in made if os.path.exists(path)])
