"""A page's bytes to a tree: the encoding found (legacy Vietnamese code pages included, a page
mixing UTF-8 and cp1258 read as UTF-8), the text put in NFC, the XML declaration and control
characters taken out, and the parse with lxml's fastest element lookup."""

from __future__ import annotations

import codecs
import re
import unicodedata

import lxml.html
from lxml import etree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
# an XML declaration, which lxml refuses in a str; also one cut short, without its "?>" (a page
# whose head was lost in the fetch: L3S-GN1 has one, read by plain trafilatura, by us not at all)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML text
_VIETNAMESE_FALLBACKS = ("cp1258", "cp1252")
# Well-formed multi-byte UTF-8 characters per malformed byte from which a page that is not
# valid UTF-8 is still read as UTF-8: a stray Latin-1 byte or a character cut in two in a
# UTF-8 page (measured: 25 to 500 per bad byte on 4 such pages; pages in a legacy code page
# have next to none, fewer than one per bad byte).
_UTF8_PER_BAD_BYTE = 20
# Well-formed multi-byte UTF-8 characters from which a page is UTF-8 whatever its count of
# malformed bytes: a legacy page holds next to none (a cp1258 letter followed by a byte that
# continues it as UTF-8 is rare); a UTF-8 page with a paragraph pasted in cp1258 holds hundreds.
_UTF8_MIXED_WIDE = 40


def decode_html(body: bytes, declared_encoding: str | None = None) -> str:
    """Decode an HTML page to NFC text.

    Tries a BOM, then strict UTF-8 (multi-byte UTF-8 is never accidental), then UTF-8 with a
    few broken bytes (:func:`_mostly_utf8`), then the page's ``<meta charset>`` /
    http-equiv, the declared HTTP charset, and finally the legacy Vietnamese code page cp1258
    (which decodes to NFD and is normalised to NFC). A lying header therefore cannot force
    U+FFFD into the text when another encoding fits, and a stray byte cannot turn every
    accented letter of a UTF-8 page into two ("Ã¼" for "ü").
    """
    return _decode(body, declared_encoding)[0]


def _decode(body: bytes, declared_encoding: str | None = None) -> tuple[str, str]:
    """:func:`decode_html`'s text and the codec that gave it."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return _nfc_page(body.decode(name, errors="replace")), name
    candidates = ["utf-8"]
    meta = _META_CHARSET.search(body[:8192])
    for name in (meta.group(1).decode("ascii", "ignore") if meta else None, declared_encoding,
                 *_VIETNAMESE_FALLBACKS):
        try:
            name = codecs.lookup(name).name if name else None
        except LookupError:
            name = None
        if name and name not in candidates:
            candidates.append(name)
    for name in candidates:
        try:
            return _nfc_page(body.decode(name)), name
        except (UnicodeDecodeError, LookupError):
            if name == "utf-8" and (text := _mostly_utf8(body)):
                return _nfc_page(text), name
    name = candidates[1] if len(candidates) > 1 else "utf-8"
    return _nfc_page(body.decode(name, "replace")), name


def _mostly_utf8(body: bytes) -> str | None:
    """``body`` decoded as UTF-8, each run of malformed bytes read as cp1258 (U+FFFD where
    cp1258 has no character), when it holds at least :data:`_UTF8_PER_BAD_BYTE` well-formed
    multi-byte characters per malformed byte, or :data:`_UTF8_MIXED_WIDE`: a UTF-8 page with a
    paragraph pasted in the legacy code page reads whole, not as cp1258 mojibake throughout."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    if wide < _UTF8_PER_BAD_BYTE * bad and wide < _UTF8_MIXED_WIDE:
        return None
    return body.decode("utf-8", "cp1258-fill")


def _cp1258_fill(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: the malformed bytes of a UTF-8 text, read as cp1258."""
    return error.object[error.start:error.end].decode("cp1258", "replace"), error.end


codecs.register_error("cp1258-fill", _cp1258_fill)


_NFC_PIECE = 4096  # characters


def _nfc_page(text: str) -> str:
    """:func:`pipelines.text.nfc` of a whole page, in pieces cut just before a "<".

    The same text: "<" neither composes with nor reorders around its neighbours, so NFC of
    the pieces, joined, is NFC of the whole. But a page written partly in decomposed Unicode
    (some CMSs store article text as NFD) costs its full normalisation only in those pieces.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text.isascii():
        return text.strip()
    pieces, start = [], 0
    while start < len(text):
        end = text.find("<", start + _NFC_PIECE)
        end = len(text) if end < 0 else end
        pieces.append(unicodedata.normalize("NFC", text[start:end]))
        start = end
    return "".join(pieces).strip()


# lxml.html's parser picks each element's Python class (FormElement, InputElement…) in a
# Python callback, run again whenever a walk touches an element: a third of the extractor's
# own CPU time. Every element here is a plain HtmlElement, chosen in C; nothing reads forms.
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


# Codecs that decode the bytes 0-127 to the same characters: a page whose bytes hold no
# control character has none in its text either (a byte test 5 times cheaper than _CONTROL's)
_ASCII_CODECS = frozenset({"utf-8", "utf-8-sig", "cp1258", "cp1252", "iso8859-1", "ascii"})
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20)) + b"\x7f"


def _parse(html: str | bytes, declared_encoding: str | None = None) -> lxml.html.HtmlElement | None:
    return _document(_source(html, declared_encoding))


def _source(html: str | bytes, declared_encoding: str | None = None) -> str:
    """The page's text as :func:`_parse` reads it: decoded, NFC, without its XML declaration
    and the control characters XML forbids."""
    if isinstance(html, bytes):
        text, codec = _decode(html, declared_encoding)
        clean = codec in _ASCII_CODECS and len(html.translate(None, _CONTROL_BYTES)) == len(html)
    else:
        text, clean = _nfc_page(html), False
    text = _XML_DECL.sub("", text or "")
    return text if clean else _CONTROL.sub("", text)


def _document(source: str) -> lxml.html.HtmlElement | None:
    """The page's :func:`_source` parsed; None when it holds nothing."""
    if not source.strip():
        return None
    try:
        return lxml.html.document_fromstring(source, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


_MAX_DEPTH = 256  # libxml2's HTML parser stops reading below this depth


def _cut_short() -> bool:
    """True when libxml2 stopped reading the page last parsed: it nests deeper than 256
    levels (a tag left open per paragraph or per list item), and what lies deeper is not in
    the tree, nor in plain trafilatura's (which parses with the same limit)."""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log)
