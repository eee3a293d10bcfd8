# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import contextlib
import functools
import io
import logging
import os
import re
import subprocess
import tempfile
from contextvars import ContextVar

import lxml.html
from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import config
from odoo.tools.pdf import ArrayObject, NameObject, PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from .dunning_pdf_cut import PdfCutter, Unsupported

_logger = logging.getLogger(__name__)

MARKER = "dunning-pdf-record-"
MARKER_RE = re.compile(r"#" + MARKER + r"(\d+)$")
# the same in an annotation's bytes: /URI (http://host/#dunning-pdf-record-12)
MARKER_BYTES_RE = re.compile(rb"#" + MARKER.encode() + rb"(\d+)\)")
# The records' documents, headers and footers in a report's HTML, as Odoo's
# ``_prepare_html`` finds them
CLASS_XPATH = "//div[contains(concat(' ', normalize-space(@class), ' '), ' {} ')]"
HEADER_FOOTER_XPATH = f"{CLASS_XPATH.format('header')} | {CLASS_XPATH.format('footer')}"
# Set while a batch renders its HTML (``_dunning_start_pdf_batch``): Python
# state of the thread, as QWeb renders the report's layout without the
# context keys of its caller.
_PDF_BATCH = ContextVar("account_dunning_pdf_batch", default=False)
MARKER_STYLE = (
    "display: block; width: 1px; height: 1px; overflow: hidden; color: transparent; font-size: 1px;"
)
# A batch of at least PDF_PART_MIN records is rendered by up to PDF_PROCESSES
# wkhtmltopdf processes side by side, each a part of its records: the daily
# job waited for wkhtmltopdf a third of its run, one core idle.
# (the cores this process may use, not the host's)
PDF_PROCESSES = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
PDF_PART_MIN = 16


@functools.cache
def _wkhtmltopdf_is_patched():
    """Whether wkhtmltopdf is built on its patched Qt, as its version line
    says: only that build prints several documents in one run (Debian's
    refuses, and Odoo's rendering of several records fails with it)."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in version.lower()


class _DoneJob:
    def __init__(self, result):
        self.result = result

    def wait(self):
        return self.result

    def cancel(self):
        """Nothing runs and no file is left: nothing to stop."""


class _PdfJob:
    """One wkhtmltopdf run in the background (a process of its own, on the
    other core), turned into PDFs per record by ``wait()``, or stopped by
    ``cancel()``: whatever happens, no process and no temporary file
    outlive the job."""

    def __init__(self, report, html, args, res_ids):
        self.report, self.res_ids = report, res_ids
        self.process = None
        self.html_path = self.pdf_path = None
        try:
            fd, self.html_path = tempfile.mkstemp(suffix=".html", prefix="dunning.body.")
            with os.fdopen(fd, "wb") as body:
                body.write(html.encode())
            fd, self.pdf_path = tempfile.mkstemp(suffix=".pdf", prefix="dunning.")
            os.close(fd)
            command = [_get_wkhtmltopdf_bin(), *args, self.html_path, self.pdf_path]
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8"
            )
        except BaseException:
            # no job is returned: nobody else could remove the files
            self._remove_files()
            raise

    def cancel(self):
        """Stop wkhtmltopdf and remove the files of a job that will not be
        waited for (the caller failed before). Safe to call again, or after
        ``wait()``."""
        try:
            self._stop_process()
        finally:
            self._remove_files()

    def _stop_process(self):
        """Kill wkhtmltopdf if it still runs and reap it, so that it
        neither runs on for nothing nor stays a zombie."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for pipe in (process.stdout, process.stderr):
            if pipe:
                pipe.close()

    def _remove_files(self):
        for path in (self.html_path, self.pdf_path):
            if path:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    def wait(self):
        try:
            try:
                _out, err = self.process.communicate()
            except BaseException:
                # interrupted (worker time limit, signal): wkhtmltopdf would run on
                self._stop_process()
                raise
            if self.process.returncode not in (0, 1):
                raise UserError(
                    self.report.env._(
                        "wkhtmltopdf failed (%(code)s): %(error)s",
                        code=self.process.returncode,
                        error=err[-1000:],
                    )
                )
            with open(self.pdf_path, "rb") as pdf:
                data = pdf.read()
            if not data:
                raise UserError(
                    self.report.env._("wkhtmltopdf gave an empty PDF: %(error)s", error=err[-1000:])
                )
            return self.report._dunning_split_pdf(data, self.res_ids)
        finally:
            self._remove_files()


class _JobGroup:
    """The wkhtmltopdf runs of the parts of one batch, waited for as one
    job: their PDFs per record together; when one fails, the others are
    stopped and their files removed."""

    def __init__(self, jobs):
        self.jobs = jobs

    def wait(self):
        result = {}
        try:
            for job in self.jobs:
                result.update(job.wait())
        except BaseException:
            self.cancel()
            raise
        return result

    def cancel(self):
        # each job cancelled, whatever another's cancel raises
        with contextlib.ExitStack() as stack:
            for job in self.jobs:
                stack.callback(job.cancel)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _dunning_render_pdf_batch(self, report_ref, res_ids, standalone=False, data=None):
        """Render ``report_ref`` for many records in one batch and return
        {res_id: PDF bytes}. See ``_dunning_start_pdf_batch``."""
        return self._dunning_start_pdf_batch(
            report_ref, res_ids, standalone=standalone, data=data
        ).wait()

    def _dunning_start_pdf_batch(
        self, report_ref, res_ids, standalone=False, data=None, processes=None
    ):
        """Start rendering ``report_ref`` for many records in one
        wkhtmltopdf run, or in a few side by side for a large batch (at
        most ``processes``, by default ``PDF_PROCESSES``: a caller that
        starts several batches at once asks for one each), and return a job
        whose ``wait()`` gives {res_id: PDF bytes}: the caller works while
        wkhtmltopdf runs.

        Odoo gives wkhtmltopdf one page per record, which Debian's build
        (unpatched Qt) refuses, and splits on PDF outlines, which that build
        does not write. Here the records' pages are laid out in one document,
        each starting on a new page behind an invisible link that names it;
        the PDF is cut where those links land, and the links are removed.

        ``standalone`` reports carry their own styles: the web client's
        style sheets are left out, so that wkhtmltopdf neither asks this
        server for them nor lays out every page with them (three times
        faster). ``data`` goes to the report's values, as Odoo's rendering
        passes it.
        """
        if not res_ids:
            return _DoneJob({})
        report = self._get_report(report_ref)
        token = _PDF_BATCH.set(True)
        try:
            html = self._render_qweb_html(report_ref, res_ids, data=data)[0]
            pages, articles, html_ids, paper_args = report._dunning_prepare_batch_html(html)
        finally:
            _PDF_BATCH.reset(token)
        if len(articles) != len(res_ids) or set(html_ids) != set(res_ids):
            raise UserError(
                self.env._(
                    "The report %(report)s does not give one page per record.",
                    report=report.name,
                )
            )
        if self._dunning_simulate_pdf():
            # as Odoo's reports do under test: the HTML stands for the PDF
            return _DoneJob(
                {
                    res_id: self._dunning_merge_articles(page, [article], [res_id]).encode()
                    for res_id, article, page in zip(html_ids, articles, pages, strict=True)
                }
            )
        args = self._build_wkhtmltopdf_args(
            report.get_paperformat(), False, specific_paperformat_args=paper_args
        )
        if standalone:
            args = self._dunning_args_without_javascript(args)
        jobs = []
        try:
            for part in self._dunning_pdf_parts(len(articles), processes):
                merged = self._dunning_merge_articles(
                    pages[part.start], articles[part], html_ids[part], standalone=standalone
                )
                jobs.append(self._dunning_spawn_wkhtmltopdf(merged, args, list(html_ids[part])))
        except BaseException:
            _JobGroup(jobs).cancel()
            raise
        return jobs[0] if len(jobs) == 1 else _JobGroup(jobs)

    def _dunning_pdf_parts(self, count, processes=None):
        """The parts (slices) of a batch of ``count`` records that
        wkhtmltopdf renders side by side, one process each (at most
        ``processes``, by default ``PDF_PROCESSES``): a batch too small to
        gain from it in one."""
        processes = max(1, processes or PDF_PROCESSES) if count >= PDF_PART_MIN else 1
        size = -(-count // processes)
        return [slice(start, start + size) for start in range(0, count, size)]

    def get_paperformat_by_xmlid(self, xml_id):
        """Odoo's report layout asks for the paper format of its report
        through ``env.ref``, which checks in a query that the record exists.
        In a batch rendered here (``_dunning_start_pdf_batch``), the report
        is found by its XML id from the registry's cache, as ``env.ref``
        does, without that query (reading its paper format fails the same on
        a deleted report): the batch looks its report up once, whatever the
        languages of its documents."""
        if not (xml_id and _PDF_BATCH.get()):
            return super().get_paperformat_by_xmlid(xml_id)
        model, res_id = self.env["ir.model.data"]._xmlid_to_res_model_res_id(
            xml_id, raise_if_not_found=True
        )
        return self.env[model].browse(res_id).get_paperformat()

    def _dunning_args_without_javascript(self, args):
        """wkhtmltopdf's arguments for a standalone document: it holds no
        script (``_dunning_merge_articles`` removes them), so wkhtmltopdf
        neither runs JavaScript nor waits for it. Odoo's arguments wait
        ``report.print_delay`` (a second by default) in every run, for the
        scripts of the web client's pages: with letters rendered a hundred
        at a time, that second was most of the daily job's time. Without a
        delay given, wkhtmltopdf still waits its own default (200 ms), with
        JavaScript disabled too: the delay is set to none."""
        kept = []
        skip = False
        for arg in args:
            if skip:
                skip = False
            elif arg == "--javascript-delay":
                skip = True
            else:
                kept.append(arg)
        return [*kept, "--javascript-delay", "0", "--disable-javascript"]

    def _dunning_spawn_wkhtmltopdf(self, html, args, res_ids):
        """Start the wkhtmltopdf process of a batch, or of a part of one."""
        return _PdfJob(self, html, args, res_ids)

    def _dunning_simulate_pdf(self):
        """Under test, wkhtmltopdf would ask this server for the report's
        styles while the test holds the transaction: Odoo's own reports
        return their HTML then, and so do these."""
        return bool(
            (config["test_enable"] or config["test_file"])
            and not self.env.context.get("force_report_rendering")
        )

    def _dunning_can_render_batch(self):
        """Whether Odoo's own report rendering can print several records in
        one run: under test (it returns their HTML), or with a wkhtmltopdf
        built on patched Qt."""
        return self._dunning_simulate_pdf() or _wkhtmltopdf_is_patched()

    def _dunning_prepare_batch_html(self, html):
        """The parts of a batch's HTML (``_render_qweb_html`` of its
        records) that its PDF is made of: (for each record's document, the
        page around it, web's ``minimal_layout`` with an empty body, in the
        document's language; each record's document, its ``article``, as an
        lxml node; the record of each, None for an article of another model;
        the paper format's arguments the report sets on its root).

        Odoo's ``_prepare_html`` renders the layout once per record and
        writes each document out as text, which the merge read back in: a
        quarter of the letters' making, for the same page each time. Here
        the layout is rendered once per language, and the documents stay
        nodes. Headers and footers are taken out of the documents, as Odoo
        does, and not laid out (the merge never used them)."""
        self.ensure_one()
        layout = self._get_layout()
        if not layout:
            raise UserError(self.env._("The report layout (web.minimal_layout) is missing."))
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        for node in root.xpath(HEADER_FOOTER_XPATH):
            node.getparent().remove(node)
        articles = root.xpath(CLASS_XPATH.format("article"))
        html_ids = [
            int(node.get("data-oe-id", 0)) if node.get("data-oe-model") == self.model else None
            for node in articles
        ]
        paper_args = {key: value for key, value in root.items() if key.startswith("data-report-")}
        values = {
            "subst": False,
            "body": Markup(""),
            "base_url": self._get_report_url(layout=layout),
            "report_xml_id": self.xml_id,
            "debug": self.env.context.get("debug"),
        }
        by_lang = {}
        for lang in {node.get("data-oe-lang") for node in articles}:
            IrQweb = self.env["ir.qweb"].with_context(lang=lang) if lang else self.env["ir.qweb"]
            by_lang[lang] = IrQweb._render(layout.id, values)
        pages = [by_lang[node.get("data-oe-lang")] for node in articles]
        return pages, articles, html_ids, paper_args

    def _dunning_merge_articles(self, page, articles, html_ids, standalone=False):
        """One HTML document for wkhtmltopdf: ``page`` (the layout of the
        first article, see ``_dunning_prepare_batch_html``) holding each of ``articles`` on
        pages of its own, behind an invisible link that names its record
        (``html_ids``), where ``_dunning_split_pdf`` cuts the PDF. The
        articles move into it: each belongs to one document."""
        merged = lxml.html.document_fromstring(page)
        if standalone:
            for node in merged.xpath("//link[@rel='stylesheet'] | //script"):
                node.getparent().remove(node)
        target = merged.body
        for child in list(target):
            target.remove(child)
        for position, (article, res_id) in enumerate(zip(articles, html_ids, strict=True)):
            style = "" if position == len(articles) - 1 else "page-break-after: always;"
            wrapper = lxml.html.Element("div", style=style)
            marker = lxml.html.Element("a", href=f"#{MARKER}{res_id}", style=MARKER_STYLE)
            marker.text = "\u00a0"
            wrapper.append(marker)
            # moved, not copied: each article goes to one document
            wrapper.append(article)
            target.append(wrapper)
        return lxml.html.tostring(merged, encoding="unicode")

    def _dunning_split_pdf(self, pdf, res_ids):
        """{res_id: PDF} from the PDF of a batch (``res_ids``' documents,
        each behind its marker link), the markers removed: cut by copying
        each document's objects (``dunning_pdf_cut``), or with PyPDF2 when
        the file is not of the simple shape wkhtmltopdf writes."""
        try:
            return self._dunning_cut_pdf(pdf, res_ids)
        except (Unsupported, ValueError, KeyError, IndexError) as error:
            _logger.info("Batch PDF cut with PyPDF2: %s", error)
            return self._dunning_split_pdf_pypdf(pdf, res_ids)

    def _dunning_cut_pdf(self, pdf, res_ids):
        """``_dunning_split_pdf`` without a PDF library; raises
        ``Unsupported`` for a file it cannot cut."""
        cutter = PdfCutter(pdf)
        starts, dropped, arrays = {}, set(), {}
        for index in range(len(cutter.pages)):
            array, annotations = cutter.annotations(index)
            kept = []
            for annotation in annotations:
                found = MARKER_BYTES_RE.search(cutter.annotation_text(annotation))
                if found:
                    starts.setdefault(int(found.group(1)), index)
                    dropped.add(annotation)
                else:
                    kept.append(annotation)
            if len(kept) != len(annotations):
                arrays[array] = kept
        if set(starts) != set(res_ids):
            raise Unsupported("the documents' markers were not all found")
        return {
            res_id: cutter.cut(start, end - 1, dropped, arrays)
            for res_id, start, end in self._dunning_page_ranges(starts, len(cutter.pages))
        }

    def _dunning_page_ranges(self, starts, page_count):
        """(res_id, first page, page after its last) of each document of a
        batch, from the page each one starts on ({res_id: page index}): a
        document runs to the next one's first page, the last to the end."""
        bounds = sorted((start, res_id) for res_id, start in starts.items())
        ends = [start for start, _res_id in bounds[1:]] + [page_count]
        return [(res_id, start, end) for (start, res_id), end in zip(bounds, ends, strict=True)]

    def _dunning_split_pdf_pypdf(self, pdf, res_ids):
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        starts = {}
        for index, page in enumerate(reader.pages):
            annotations = page.get("/Annots")
            if not annotations:
                continue
            kept = []
            for annotation in annotations.get_object():
                action = annotation.get_object().get("/A") or {}
                found = MARKER_RE.search(str(action.get("/URI", "")))
                if found:
                    starts.setdefault(int(found.group(1)), index)
                else:
                    kept.append(annotation)
            page[NameObject("/Annots")] = ArrayObject(kept)
        if set(starts) != set(res_ids):
            raise UserError(self.env._("The documents could not be told apart in the PDF."))
        result = {}
        for res_id, start, end in self._dunning_page_ranges(starts, len(reader.pages)):
            writer = PdfFileWriter()
            for index in range(start, end):
                writer.addPage(reader.getPage(index))
            stream = io.BytesIO()
            writer.write(stream)
            result[res_id] = stream.getvalue()
        return result
