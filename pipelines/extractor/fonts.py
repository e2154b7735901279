"""Pages drawn in a Vietnamese font of before Unicode (TCVN3's .VnTime, VNI-Times): the fonts
named in ``<font face>`` and CSS, the text drawn in them converted to Unicode before the page
is read (with :mod:`pipelines.legacy_fonts`), and text still in such a font recognised."""

from __future__ import annotations

import re
from collections import Counter

import lxml.html

from pipelines.extractor.source import _META_CHARSET, _decode, _nfc_page, _parse
from pipelines.legacy_fonts import tcvn3_to_unicode, vni_to_unicode

# a Vietnamese font of before Unicode: .VnTime, .VnArial (TCVN3/ABC), VNI-Times (VNI)
_LEGACY_FONT = re.compile(r"\.vn[a-z]|\bvni[- ]", re.I)
# letters such a font draws as Vietnamese ones, and Vietnamese written in Unicode never has
# ("Th«ng b¸o cña", "Thoâng baùo cuûa"): TCVN3 and VNI bytes read as Latin-1/cp1252
_LEGACY_FONT_LETTERS = re.compile("[«»¨©®µ¶·¸¹¼½¾ÆÇËÎÏÐÑØñäëïöøæßþ]")
_LEGACY_FONT_SHARE = 0.1  # such letters per word from which the text is in the legacy font


def _legacy_font_text(tree, text: str) -> bool:
    """True when the page names a pre-Unicode Vietnamese font and its text is written for
    one: stored as read, it is mojibake, so the flag tells the reader and lowers the
    confidence (the bytes stay in the capture for a later conversion)."""
    hits = len(_LEGACY_FONT_LETTERS.findall(text))
    if hits < 10 or hits < _LEGACY_FONT_SHARE * len(text.split()):
        return False
    return any(_LEGACY_FONT.search(value)
               for value in tree.xpath("//@face | //@style | //@class | //style/text()"))


# a font named first in a <font face> or a CSS font-family: the font the text is drawn in
_FIRST_FONT = re.compile(r"""(?:\bface\s*=|font-family\s*:)\s*(?:["']|&quot;)*\s*([^,;"'&}>]+)""",
                         re.I)
# a legacy font named first, in the page lowered: a search 15 times cheaper than
# reading every font named (no re.I, and a literal to start from)
_LEGACY_FONT_FIRST = re.compile(r"""(?:face\s*=|font-family\s*:)\s*(?:["']|&quot;)*\s*"""
                                r"""(?:\.vn[a-z]|vni[- ])""")
_LEGACY_FONT_FIRST_BYTES = re.compile(_LEGACY_FONT_FIRST.pattern.encode())
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9]*)?(?:\.([\w-]+))?$", re.I)
_TCVN3, _TCVN3_CAPITALS, _VNI = "tcvn3", "tcvn3-capitals", "vni"
_UNICODE_FONT = ""  # a font named that is none of them: the text is Unicode
# the Latin-1 letters Vietnamese written in Unicode uses; any other character of U+0080-U+00FF
# in a text (« ¸ Ø ñ ­ ö …) is a legacy font's letter
_UNICODE_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ\xa0")


def _font_scheme(font: str) -> str:
    """Which encoding a font name stands for: TCVN3 (.VnTime), TCVN3 capitals (.VnTimeH),
    VNI (VNI-Times), else ``_UNICODE_FONT``."""
    font = font.strip().strip("\"'").lower()
    if font.startswith(".vn"):
        return _TCVN3_CAPITALS if font.endswith("h") else _TCVN3
    return _VNI if font.startswith(("vni-", "vni ")) else _UNICODE_FONT


def _declared_scheme(value: str | None) -> str | None:
    """The scheme of the first font a face attribute or style names; None: names none."""
    if not value:
        return None
    if "=" not in value and ":" not in value:  # a face attribute's value
        value = "face=" + value
    found = _FIRST_FONT.search(value)
    return _font_scheme(found.group(1)) if found else None


# a VNI mark after a letter where Vietnamese in Unicode never has that letter: a circumflex
# (o + â: ô), an acute (a + ù: á), a breve with or without a tone (a + ê: ă, a + é: ắ)
_VNI_MARK_PAIRS = re.compile("[aeoAEO][âÂ]|[aeiouyAEIOUY][ùÙ]|[aA][êÊéÉèÈ]|[aeAE][àáãÀÁÃ]")


def _legacy_text(text: str, scheme: str) -> bool:
    """True when ``text`` can only be a legacy font's: no letter beyond Latin-1, and a
    character of Latin-1's upper half that Vietnamese in Unicode never writes (or, for VNI,
    a mark where Unicode never has one)."""
    upper = [c for c in text if c >= "\x80"]
    if not upper or any(c > "\xff" and c.isalpha() for c in upper):
        return False
    return any(c not in _UNICODE_VIETNAMESE_LATIN1 for c in upper) \
        or scheme == _VNI and _VNI_MARK_PAIRS.search(text) is not None


def _to_unicode(text: str | None, scheme: str | None) -> str | None:
    if not text or not scheme:
        return text
    if scheme == _TCVN3_CAPITALS and text.isascii():
        return text.upper()  # an "H" font draws a-z as capitals too
    if not _legacy_text(text, scheme):
        return text
    return vni_to_unicode(text) if scheme == _VNI else \
        tcvn3_to_unicode(text, capitals=scheme == _TCVN3_CAPITALS)


def _font_plan(text: str) -> tuple:
    """The page parsed, the scheme each element declares (a function: None when it declares
    none, ``_UNICODE_FONT`` for a Unicode font) and the scheme of the whole page's text, if
    it is written for a legacy font by :func:`_legacy_font_text` (the one named most)."""
    tree = _parse(text)
    if tree is None:
        return None, None, None
    rules: dict[tuple[str | None, str | None], str] = {}
    for style in tree.iter("style"):
        for selectors, body in _CSS_RULE.findall(style.text or ""):
            scheme = _declared_scheme(body)
            for selector in selectors.split(","):
                simple = _CSS_SIMPLE_SELECTOR.match(selector.strip())
                if scheme is not None and simple:
                    rules[(simple.group(1) or "").lower() or None, simple.group(2)] = scheme

    def declared(el) -> str | None:
        scheme = _declared_scheme(el.get("style")) or _declared_scheme(el.get("face"))
        if scheme is None:
            for name in reversed((el.get("class") or "").split()):
                scheme = rules.get((el.tag, name), rules.get((None, name)))
                if scheme is not None:
                    break
        return scheme if scheme is not None else rules.get((el.tag, None))

    counts = Counter(declared(el) for el in tree.iter() if isinstance(el.tag, str))
    counts.pop(None, None)
    counts.pop(_UNICODE_FONT, None)
    body = " ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]"))
    page = max(counts, key=counts.get) if counts and _legacy_font_text(tree, body) else None
    return tree, declared, _TCVN3 if page == _TCVN3_CAPITALS else page


def _legacy_fonts_to_unicode(html: str | bytes, declared_encoding: str | None
                             ) -> tuple[str | bytes, bool]:
    """The page with the text drawn in a pre-Unicode Vietnamese font (TCVN3's .VnTime …,
    VNI-Times …) in Unicode, and whether any was: each element's text in the scheme of the
    first font its face attribute, style or class (a rule of the page's <style>) names, and,
    when the page's text is such a font's by :func:`_legacy_font_text`, all the page's text
    outside elements drawn in a Unicode font, in the scheme the page names most. Only text
    that can be no Unicode Vietnamese is converted (:func:`_legacy_text`). A page naming no
    such font is returned as it is, at the cost of one search (0.45 ms a page on the wide
    set, 260 KB on average)."""
    named = _LEGACY_FONT_FIRST_BYTES if isinstance(html, bytes) else _LEGACY_FONT_FIRST
    if not named.search(html.lower()):
        return html, False
    text, latin1 = html, None
    if isinstance(html, bytes):
        text, codec = _decode(html, declared_encoding)
        if codec == "cp1258" and not _META_CHARSET.search(html[:8192]) \
                and not declared_encoding:  # the fallback's guess; the font draws the bytes
            latin1 = _nfc_page(html.decode("latin-1"))  # as Latin-1
    tree, declared, page = _font_plan(latin1) if latin1 else (None, None, None)
    if not page:  # a page read as Latin-1 when the whole of it is written for the font
        tree, declared, page = _font_plan(text)
    if tree is None:
        return html, False
    changed = False

    def convert(text: str | None, scheme: str | None) -> str | None:
        nonlocal changed
        new = _to_unicode(text, scheme)
        changed = changed or new != text
        return new

    def walk(el, scheme: str | None) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                child.tail = convert(child.tail, scheme)
                continue
            own = declared(child)
            own = scheme if own is None else own or None
            if child.tag not in ("script", "style"):
                child.text = convert(child.text, own)
                walk(child, own)
            child.tail = convert(child.tail, scheme)

    walk(tree, page)
    if page:  # what the page says of itself: its name, its description
        for meta in tree.iter("meta"):
            if meta.get("content") and (meta.get("name") or meta.get("property")):
                meta.set("content", convert(meta.get("content"), page))
    if not changed:
        return html, False
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"), True
