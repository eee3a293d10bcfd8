# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Cutting the PDF of a batch of documents (one wkhtmltopdf run, see
``ir.actions.report._dunning_start_pdf_batch``) into one PDF per document,
by copying the bytes of the objects each document needs.

A PDF library rewrites every object of every document: with PyPDF2, a
letter took 1.5 ms, the tenth of a daily job with letters. wkhtmltopdf
writes simple files (one cross-reference table, no object streams, no
update, one flat page tree), so each document's file is its pages and what
they refer to, copied as they are, numbered again from 1, with a catalog
and a page tree of its own. Any other shape is refused (``Unsupported``),
and the caller cuts the file with PyPDF2 as before.
"""

import itertools
import re

# an object's reference, "12 0 R" (wkhtmltopdf writes generation 0 only)
_REF = re.compile(rb"(?<![\w.])(\d+) 0 R(?![\w])")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\s*")
# where an object's dictionary ends and its stream's bytes start
_STREAM = re.compile(rb"(?<=>>)\s*stream\r?\n")
# any reference, however spaced: a file whose references are not all of
# the form above is refused (they would not be renumbered)
_ANY_REF = re.compile(rb"\d+\s+\d+\s+R(?![\w])")
_ENDOBJ = re.compile(rb"endobj\s*$")
_XREF_SECTION = re.compile(rb"\s*(\d+) (\d+)\s*")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s*")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_NAME = re.compile(rb"/([A-Za-z]+)")
# what a catalog may hold besides its pages: the outline and the named
# destinations wkhtmltopdf writes for headings and anchors, left out of each
# document's own catalog (they lead into the other documents)
_KEYS_OF_CATALOG = {b"Type", b"Catalog", b"Pages", b"Outlines", b"Dests", b"PageMode"}
_KEYS_OF_CATALOG |= {b"UseOutlines", b"UseNone"}
_KEYS_OF_PAGES = {b"Type", b"Pages", b"Kids", b"Count", b"ProcSet", b"PDF", b"Text", b"ImageB"}
_KEYS_OF_PAGES |= {b"ImageC", b"ImageI"}


class Unsupported(Exception):
    """The file is not of the simple shape this module cuts."""


class PdfCutter:
    """The objects of one PDF file, to cut it into documents."""

    def __init__(self, data):
        self.data = data
        found = _STARTXREF.search(data, max(0, len(data) - 64))
        if not re.match(rb"%PDF-\d\.\d", data) or not found:
            raise Unsupported("no cross-reference table at the end")
        xref = int(found.group(1))
        if not data.startswith(b"xref", xref):
            raise Unsupported("a cross-reference stream")
        offsets, position = {}, xref + 4
        while True:
            section = _XREF_SECTION.match(data, position)
            if not section:
                break
            first, count = int(section.group(1)), int(section.group(2))
            position = section.end()
            for number in range(first, first + count):
                entry = _ENTRY.match(data, position)
                if not entry:
                    raise Unsupported("a broken cross-reference table")
                position = entry.end()
                if entry.group(3) == b"n":
                    if entry.group(2) != b"00000":
                        raise Unsupported("an object of another generation")
                    offsets[number] = int(entry.group(1))
        if not data.startswith(b"trailer", position):
            raise Unsupported("no trailer")
        trailer = data[position : found.start()]
        if b"/Prev" in trailer or b"/Encrypt" in trailer or b"/ObjStm" in data:
            raise Unsupported("an updated, encrypted or compressed file")
        self.root = self._ref_in(trailer, b"/Root")
        self.info = self._ref_in(trailer, b"/Info", required=False)
        # each object's bytes run up to the next object
        starts = sorted(offsets.values()) + [xref]
        ends = dict(itertools.pairwise(starts))
        self.objects = {}
        for number, offset in offsets.items():
            head = _OBJ_HEAD.match(data, offset)
            if not head or int(head.group(1)) != number:
                raise Unsupported("an object not where the table says")
            end = ends[offset]
            stream = _STREAM.search(data, head.end(), end)
            if stream:
                split = stream.start()
            else:
                endobj = _ENDOBJ.search(data, head.end(), end)
                if not endobj:
                    raise Unsupported(f"object {number} has no end")
                split = endobj.start()
            body = data[head.end() : split]
            if len(_ANY_REF.findall(body)) != len(_REF.findall(body)):
                raise Unsupported(f"object {number} refers to others in another way")
            # its dictionary (or value), then its stream and "endobj"
            self.objects[number] = (body, data[split:end])
        catalog = self._head(self.root)
        self.pages_number = self._ref_in(catalog, b"/Pages")
        pages = self._head(self.pages_number)
        if set(_NAME.findall(catalog)) - _KEYS_OF_CATALOG:
            raise Unsupported("a catalog with more than its pages and outline")
        if set(_NAME.findall(pages)) - _KEYS_OF_PAGES:
            raise Unsupported("a page tree with attributes its pages inherit")
        kids = pages.find(b"/Kids")
        if kids < 0:
            raise Unsupported("a page tree without pages")
        self.pages = [int(ref) for ref in _REF.findall(pages[kids:])]
        for page in self.pages:
            if not re.search(rb"/Type\s*/Page\b(?!s)", self._head(page)):
                raise Unsupported("a page tree of more than one level")

    def _head(self, number):
        try:
            return self.objects[number][0]
        except KeyError:
            raise Unsupported(f"object {number} is missing") from None

    def _ref_in(self, text, key, required=True):
        found = re.search(re.escape(key) + rb"\s+(\d+) 0 R", text)
        if not found:
            if required:
                raise Unsupported(f"no {key.decode()}")
            return None
        return int(found.group(1))

    def annotations(self, page_index):
        """(the number of the page's array of annotations, or None, and the
        numbers of its annotations). A page whose annotations are written
        in its own dictionary is refused."""
        head = self._head(self.pages[page_index])
        if re.search(rb"/Annots\s*\[", head):
            raise Unsupported("annotations inside a page's dictionary")
        array = self._ref_in(head, b"/Annots", required=False)
        if array is None:
            return None, []
        return array, [int(ref) for ref in _REF.findall(self._head(array))]

    def annotation_text(self, number):
        return self._head(number)

    def cut(self, first, last, dropped=(), annotations=None):
        """The file of pages ``first`` to ``last`` (indexes, inclusive),
        without the annotations ``dropped``; ``annotations`` gives
        {array number: annotation numbers kept} for the arrays rewritten."""
        annotations = annotations or {}
        pages = self.pages[first : last + 1]
        excluded = (set(self.pages) - set(pages)) | set(dropped) | {self.pages_number, self.root}
        excluded.add(self.info)
        # what the pages need, in the order of the source file
        needed, todo = set(), list(pages)
        while todo:
            number = todo.pop()
            if number in needed or number in excluded:
                continue
            if number not in self.objects:
                raise Unsupported(f"object {number} is missing")
            needed.add(number)
            refs = (
                annotations[number] if number in annotations else _REF.findall(self._head(number))
            )
            todo.extend(int(ref) for ref in refs)
        # 1: the catalog, 2: the page tree, 3: the information, then the rest
        numbers = {self.root: 1, self.pages_number: 2}
        if self.info is not None and self.info in self.objects:
            numbers[self.info] = 3
        for number in sorted(needed):
            numbers[number] = len(numbers) + 1

        def renumber(match):
            new = numbers.get(int(match.group(1)))
            return b"%d 0 R" % new if new else b"null"

        body = {
            1: b"<<\n/Type /Catalog\n/Pages 2 0 R\n>>\n",
            2: b"<<\n/Type /Pages\n/Kids [%s]\n/Count %d\n>>\n"
            % (b" ".join(b"%d 0 R" % numbers[page] for page in pages), len(pages)),
        }
        rest = {1: b"endobj\n", 2: b"endobj\n"}
        for number, new in numbers.items():
            if new in body:
                continue
            head, tail = self.objects[number]
            if number in annotations:
                head = b"[ %s ]\n" % b" ".join(b"%d 0 R" % ref for ref in annotations[number])
            body[new] = _REF.sub(renumber, head)
            rest[new] = tail
        out = [self.data[:8] + b"\n", b"%\xe2\xe3\xcf\xd3\n"]
        size = sum(len(part) for part in out)
        offsets = []
        for new in range(1, len(numbers) + 1):
            chunk = b"%d 0 obj\n%s%s" % (new, body[new], rest[new])
            offsets.append(size)
            out.append(chunk)
            size += len(chunk)
        out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(numbers) + 1))
        out.extend(b"%010d 00000 n \n" % offset for offset in offsets)
        info = b"/Info 3 0 R\n" if self.info in numbers else b""
        out.append(
            b"trailer\n<<\n/Size %d\n/Root 1 0 R\n%s>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(numbers) + 1, info, size)
        )
        return b"".join(out)
