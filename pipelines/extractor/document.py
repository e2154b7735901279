"""Document notices: a PDF, DOC, XLS … that a listing links as a notice of its own, with no
HTML page ("Thông báo số 123/TB-UBND về việc … [PDF]", a "Văn bản chỉ đạo điều hành" table).

A pure function of the document's bytes, its URL and what the listing showed beside the link
(the crawl's ``hints["document"]``: the anchor's text and the texts of the listing row it sits
in). The title is the anchor's text, or the row's longest text when the anchor only says
"Tải về" or shows an icon; the publication date is the one printed elsewhere in the row; the
text is the PDF's text layer, or a Word (DOCX) file's paragraphs and tables. Whatever cannot
be read is said by a flag, never dropped.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from urllib.parse import unquote, urlsplit

from crawler.urls import canonical_url
from pipelines.extractor.dates import parse_vietnamese_date
from pipelines.text import nfc

TITLE_WORDS = 6  # an anchor this long is the notice's title (the crawl's headline length)
MAX_PAGES = 200  # pages of a PDF read: a register of several hundred pages is cut here
SHORT_TEXT = 300  # characters: as for articles, a text this short lowers the confidence
KINDS = {b"%PDF-": "PDF", b"PK\x03\x04": "Office Open XML or ZIP document",
         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "MS Office document"}  # fmt: skip


# a file-type mark a listing puts after a document's title: "… [PDF]", "… (PDF, 245 KB)"
_FILE_MARK = re.compile(r"\s*[\[(](?:pdf|docx?|xlsx?|pptx?|odt|ods|rtf|tệp|file)\b[^\])]{0,20}"
                        r"[\])]$", re.I)


def _clean(text: str | None) -> str:
    return _FILE_MARK.sub("", " ".join(nfc(text or "").split()))


def _words(text: str) -> int:
    return sum(1 for word in text.split() if any(ch.isalpha() for ch in word))


def document_title(anchor: str, row: list[str], url: str) -> str:
    """The notice's title: the anchor's text when it is headline-long, else the longest text
    of its listing row (a "Tải về", "[PDF]" or icon link beside the title cell), else the
    anchor however short, else the file's name."""
    if _words(anchor) >= TITLE_WORDS:
        return anchor
    longest = max(row, key=_words, default="")
    if _words(longest) > _words(anchor):
        return longest
    return anchor or unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def row_date(row: list[str], title: str) -> str | None:
    """The date printed in the listing row beside the title (a date inside the title is the
    subject's: "tạm dừng cấp nước ngày 20/12/2025"), as :func:`parse_vietnamese_date` reads
    it."""
    return next((d for d in (parse_vietnamese_date(t) for t in row if t != title) if d), None)


def document_kind(body: bytes) -> str | None:
    """What the bytes are by their first bytes: "PDF", an Office document, or None."""
    return next((kind for magic, kind in KINDS.items() if body.startswith(magic)), None)


def pdf_text(body: bytes) -> tuple[str, int]:
    """The text layer of a PDF, one line per line (NFC), and its number of pages; raises on
    a PDF that cannot be read. At most :data:`MAX_PAGES` pages are read."""
    from pypdf import PdfReader  # imported when a PDF comes: the crawl's workers rarely need it

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is flagged, not logged
    reader = PdfReader(io.BytesIO(body))
    lines = []
    for page in reader.pages[:MAX_PAGES]:
        lines += [_clean(line) for line in (page.extract_text() or "").splitlines()]
    return "\n".join(line for line in lines if line), len(reader.pages)


def docx_text(body: bytes) -> str | None:
    """The text of a Word file (DOCX), its paragraphs and table rows in document order, one
    per line (NFC); None for another Office Open XML or ZIP file (XLSX, PPTX …), whose text is
    not read. Raises on a file that cannot be read."""
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        if "word/document.xml" not in package.namelist():
            return None
    from docx import Document  # imported when a DOCX comes, as pypdf for a PDF
    from docx.table import Table

    lines = []
    for block in Document(io.BytesIO(body)).iter_inner_content():
        if isinstance(block, Table):  # a row's merged cells repeat their text: once each
            lines += [" | ".join(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                      for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(line for line in map(_clean, lines) if line)


def extract_document(body: bytes, url: str, hints: dict | None = None) -> dict:
    """A document notice as an article: ``extract_article``'s keys, the document itself as
    its one attachment, ``page_kind`` "article" and flags:

    * ``document_only``: always (the notice has no HTML page);
    * ``document_no_text``: no text was read: a format whose text is not read (DOC, XLS …),
      a PDF with no text layer (a scan) or an empty DOCX;
    * ``document_unreadable``: a PDF or DOCX that cannot be read (damaged, cut short,
      encrypted);
    * ``document_cut_short``: a PDF longer than :data:`MAX_PAGES` pages;
    * ``no_date``: the listing row showed no date.

    ``hints["document"]``: ``{"anchor": text of the link, "row": [texts of its listing
    row]}``. The confidence is about the text: 1 for a document's text (less for a short
    one), None (not assessed) when there is no text."""
    listed = (hints or {}).get("document") or {}
    anchor = _clean(listed.get("anchor"))
    row = [text for text in (_clean(t) for t in listed.get("row") or []) if text]
    try:
        url = canonical_url(url)
    except ValueError:
        pass
    title = document_title(anchor, row, url)
    published = row_date(row, title)
    kind = document_kind(body) or "file"
    flags, text, reason = ["document_only"], "", f"a document ({kind}) linked from a listing"
    if kind == "PDF":
        try:
            text, pages = pdf_text(body)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
            flags.append("document_unreadable")
            reason = f"an unreadable PDF linked from a listing ({type(exc).__name__})"
        else:
            reason = f"a PDF of {pages} pages linked from a listing, {len(text)} characters of text"
            if pages > MAX_PAGES:
                flags.append("document_cut_short")
    elif body.startswith(b"PK\x03\x04"):
        try:
            text = docx_text(body)
        except Exception as exc:  # noqa: BLE001 - a damaged ZIP or XML raises many kinds
            flags.append("document_unreadable")
            reason = f"an unreadable Office document linked from a listing ({type(exc).__name__})"
        else:
            if text is not None:
                reason = f"a Word document linked from a listing, {len(text)} characters of text"
            text = text or ""
    if not text and "document_unreadable" not in flags:
        flags.append("document_no_text")
    if not published:
        flags.append("no_date")
    return {
        "url": url, "title": title or None, "description": None, "text": text,
        "published": published, "updated": None, "author": None, "language": None,
        "image": None, "related": [], "related_ids": [],
        "attachments": [{"url": url, "text": title}],
        "page_kind": "article", "page_reason": reason, "flags": sorted(flags),
        "confidence": (0.85 if len(text) < SHORT_TEXT else 1.0) if text else None,
    }
