# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import copy
import io
import re

import lxml.html

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import config
from odoo.tools.pdf import ArrayObject, NameObject, PdfFileReader, PdfFileWriter

MARKER = "dunning-pdf-record-"
MARKER_RE = re.compile(r"#" + MARKER + r"(\d+)$")
MARKER_STYLE = (
    "display: block; width: 1px; height: 1px; overflow: hidden; color: transparent; font-size: 1px;"
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _dunning_render_pdf_batch(self, report_ref, res_ids):
        """Render ``report_ref`` for many records in ONE wkhtmltopdf run
        and return {res_id: PDF bytes}.

        Odoo gives wkhtmltopdf one page per record, which Debian's build
        (unpatched Qt) refuses, and splits on PDF outlines, which that build
        does not write. Here the records' pages are laid out in one document,
        each starting on a new page behind an invisible link that names it;
        the PDF is cut where those links land, and the links are removed.
        """
        if not res_ids:
            return {}
        report = self._get_report(report_ref)
        html = self._render_qweb_html(report_ref, res_ids)[0]
        bodies, html_ids, header, footer, paper_args = report._prepare_html(
            html, report_model=report.model
        )
        if len(bodies) != len(res_ids) or set(html_ids) != set(res_ids):
            raise UserError(
                self.env._(
                    "The report %(report)s does not give one page per record.",
                    report=report.name,
                )
            )
        merged = self._dunning_merge_bodies(bodies, html_ids)
        if self._dunning_simulate_pdf():
            # as Odoo's reports do under test: the HTML stands for the PDF
            return {res_id: body.encode() for res_id, body in zip(html_ids, bodies, strict=True)}
        pdf = self._run_wkhtmltopdf(
            [merged],
            report_ref=report_ref,
            header=header,
            footer=footer,
            specific_paperformat_args=paper_args,
        )
        return self._dunning_split_pdf(pdf, res_ids)

    def _dunning_simulate_pdf(self):
        """Under test, wkhtmltopdf would ask this server for the report's
        styles while the test holds the transaction: Odoo's own reports
        return their HTML then, and so do these."""
        return bool(
            (config["test_enable"] or config["test_file"])
            and not self.env.context.get("force_report_rendering")
        )

    def _dunning_merge_bodies(self, bodies, html_ids):
        documents = [lxml.html.document_fromstring(body) for body in bodies]
        merged = copy.deepcopy(documents[0])
        target = merged.body
        for child in list(target):
            target.remove(child)
        for position, (document, res_id) in enumerate(zip(documents, html_ids, strict=True)):
            style = "" if position == len(documents) - 1 else "page-break-after: always;"
            wrapper = lxml.html.Element("div", style=style)
            marker = lxml.html.Element("a", href=f"#{MARKER}{res_id}", style=MARKER_STYLE)
            marker.text = "\u00a0"
            wrapper.append(marker)
            for child in list(document.body):
                wrapper.append(child)
            target.append(wrapper)
        return lxml.html.tostring(merged, encoding="unicode")

    def _dunning_split_pdf(self, pdf, res_ids):
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
        bounds = sorted((start, res_id) for res_id, start in starts.items())
        result = {}
        for position, (start, res_id) in enumerate(bounds):
            end = bounds[position + 1][0] if position + 1 < len(bounds) else len(reader.pages)
            writer = PdfFileWriter()
            for index in range(start, end):
                writer.addPage(reader.getPage(index))
            stream = io.BytesIO()
            writer.write(stream)
            result[res_id] = stream.getvalue()
        return result
