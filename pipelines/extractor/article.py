"""Article extraction for Vietnamese news pages.

Pipeline: decode bytes (legacy Vietnamese encodings included) -> parse with lxml -> read
metadata (title, dates, sapo) from the intact tree -> remove tool bars and promotion boxes ->
find, record and remove related-news, navigation and tag boxes -> strip styles, scripts,
comments and ad slots -> body text from the article container when one is recognised (captions
and the credit line included), otherwise from trafilatura -> sapo first -> when the body holds
little of the page's prose, plain trafilatura's full extraction is asked and what it has that
the body lacks is brought in, in order (never worse than plain trafilatura) -> flags and a
confidence figure saying how the extraction went.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import importlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from html import unescape as html_unescape
from itertools import chain
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura.core
import trafilatura.settings
import trafilatura.xpaths
from lxml import etree
from lxml.cssselect import CSSSelector
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_metainfo,
    extract_title,
    extract_url,
    find_date,
    set_date_params,
)
from trafilatura.settings import Extractor

from crawler.urls import MIRROR_LABEL, canonical_url, site_host
from pipelines.extractor.classify import (
    ATTACHMENT,
    classify_page,
    error_page,
    maintenance_page,
    outside_asides,
    print_view_title,
    shows_document,
)
from pipelines.extractor.dates import (
    NO_DAY,
    find_published,
    find_updated,
    named_elements,
    parse_vietnamese_date,
    text_under,
    url_day,
)
from pipelines.extractor.quality import assess, assessed
from pipelines.extractor.related import (
    NAV_HEADINGS,
    RELATED_HEADINGS,
    TAG_HEADINGS,
    extract_related,
    heading_key,
    story_block,
)
from pipelines.legacy_fonts import tcvn3_to_unicode, vni_to_unicode
from pipelines.text import fold, html_ends_unclosed, nfc, word_key

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

_BODY_CLASS = re.compile(
    r"(?:^|\s)(?:article__body|article-body|articlebody|fck_detail|edittor-content|"
    r"detail-content|content-detail|detail__content|detail-content-body|singular-content|"
    r"cms-body|article-content|news-content|post-content|entry-content|the-article-body|"
    r"maincontent|detail__cmain-main|dt-news__content|contentdetail|content-fck|fck-content|"
    # SharePoint rich-text field and Vietnamese names used by provincial portals
    r"ms-rtestate-field|noidung|noi-dung|noidung-tin|noi-dung-tin|noidungtin|chitiet-noidung|"
    r"content-news|news-content-detail|tin-noidung|"
    # a BEM element of a detail block, whatever the block's prefix ("news-detail__content")
    r"[\w-]+-detail__(?:content|body))(?:$|\s)",
    re.I,
)
# (a story's subtitle under its headline is its lead in WordPress news themes: tagDiv's
# "td-post-sub-title", JNews' "jeg_post_subtitle", "entry-subtitle")
_SAPO_CLASS = re.compile(r"sapo|chapeau|description|summary|lead|excerpt|intro|teaser|abstract"
                         r"|(?:post|entry|article)[-_]?sub-?title", re.I)
_AD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ads?|adv|advert\w*|banner|baner-\w+|sponsor\w*|sda_\w+|rennab|qc|"
    r"quang-?cao|sys-ads|ads-item)(?:$|[\s_-])",
    re.I,
)
_BYLINE_CLASS = re.compile(r"author|byline|tac-?gia|tacgia|writer|nguoi-?viet|nhuanbut", re.I)
_AUTHOR_PAGE = re.compile(r"/(?:tac-?gia|authors?|nguoi-?viet|but-?danh)/", re.I)  # a byline's link
# host labels that name no publication ("www.baocantho.com.vn" is named by "baocantho" alone)
_GENERIC_HOST_LABELS = frozenset({"www", "m", "amp", "mobile", "com", "net", "org", "gov", "edu",
                                  "info", "vn", "news", "tin", "tintuc", "en", "english", "web"})
# "Name, Publication", "Name - Publication", "Name • 24/12/2025 09:30"
_BYLINE_PARTS = re.compile(r"[,;|/•·]| [-–—] ")
# the credit line that ends a Vietnamese story: "Tin, ảnh: P.Y", "Bài và ảnh: Minh Anh"
_CREDIT = re.compile(r"(?:tin|bài|nhóm pv|pv|tác giả|người viết)"
                     r"(?:\s*(?:,|và|-|\+)\s*(?:ảnh|video|clip))?\s*:\s*(.+)", re.I)
_STAFF = frozenset({"pv", "nhom pv", "ctv", "btv"})  # "PV" (phóng viên): the newsroom's credit
# a publication's name ("Báo Quảng Ninh", "Cổng TTĐT tỉnh", "Đài PT-TH"), never a person's
_PUBLICATION = re.compile(r"^(?:báo|tạp chí|cổng (?:thông tin|ttđt)|đài|trang (?:thông )?tin"
                          r"|tòa soạn|toà soạn|ban biên tập|thông tấn xã)\s", re.I)
_AFFILIATION = re.compile(r"\s*\([^()]{1,60}\)$")  # "Hoàng Minh (Trung tâm Truyền thông tỉnh)"
_DOMAIN = re.compile(r"\w\.(?:vn|com|net|org|info|biz|gov|edu|tv)\b", re.I)
_DASHES = re.compile(r"\s+[-–—]\s+")  # "Hoàng Nga - Thu Trang": two authors
# "Theo Phạm Trường"; Blogger's "Đăng bởi Minh Anh" ("Posted by")
_AUTHOR_PREFIX = re.compile(r"^\s*(?:theo|tác giả|by|đăng bởi|posted by|người đăng)\s*:?\s+", re.I)
_BOX_TITLES = RELATED_HEADINGS | NAV_HEADINGS | TAG_HEADINGS  # a box's title is no body line
_ACCOUNT = re.compile(r"^\s*(?:@\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s*$")  # e-mail, handle
_NOBODY = frozenset({"admin", "administrator", "webmaster"})  # CMS accounts, not bylines
_LEAD_PREFIX = re.compile(r"^\(?[\w .]{2,24}\)?\s*[-–—]$")
_NEVER_TEXT = ("script", "style", "noscript", "template")
_NEVER_SHOWN = frozenset({"script", "style", "template"})
_SKIP_TAGS = frozenset({"iframe", "svg", "form", "button", "select", "textarea", "object",
                        "embed", "video", "audio", "canvas"})
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "figcaption", "figure",
    "blockquote", "section", "article", "table", "tr", "td", "th", "pre", "dd", "dt", "dl",
    "header", "footer", "aside", "main", "center", "address", "br", "hr",
})
_VIETNAMESE_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")

# Small per-site rules, keyed by host suffix, for templates the general rules miss.
SITE_PROFILES: dict[str, dict] = {}


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


# characters that show nothing and are no white space: a zero-width space, a word joiner, a
# byte-order mark left inside an element (a line of them alone is an empty line)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")


def _text_of(el: lxml.html.HtmlElement) -> str:
    """``el.text_content()``, its descendants' text, at a quarter of the cost on a small
    element (for the loops over every link or box: libxml2 joins the same text nodes, no
    XPath evaluation set up per call)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _clean_text(text: str | None) -> str:
    text = text or ""
    if _INVISIBLE.search(text):  # (rare: a search costs a tenth of a str.translate)
        text = _INVISIBLE.sub("", text)
    return nfc(" ".join(text.split())) or ""


def _select(tree: lxml.html.HtmlElement, css: str | None) -> list:
    if not css:
        return []
    try:
        return CSSSelector(css)(tree)
    except Exception:  # noqa: BLE001 - a bad profile selector must not break extraction
        return []


def _meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Every ``<meta>`` key (property, name or itemprop, lower-case) with its first non-empty
    content, whitespace-collapsed: read once per page, asked by :func:`_meta`."""
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key not in values and (el.get("content") or "").strip():
            values[key] = _clean_text(el.get("content"))
    return values


def _meta(metas: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` that the page's :func:`_meta_values` ``metas`` hold."""
    return next((metas[n.lower()] for n in names if n.lower() in metas), None)


def _names_publisher(name: str, metas: dict[str, str], url: str) -> bool:
    """True when an "author" value names no person: a URL, a CMS account ("admin"), or the
    publication itself, which many Vietnamese CMSs write in ``<meta name="author">``: the
    page's ``og:site_name``, or words that spell a label of the site's host name ("Báo điện tử
    VTC News" on vtcnews.vn, "Báo Lào Cai điện tử" on baolaocai.vn, "baotintuc.vn"). A value
    that also names someone ("Jill Disis, CNN Business") is a person's."""
    if name.lower().startswith(("http:", "https:")) or _DOMAIN.search(name) \
            or _ACCOUNT.match(name) or _PUBLICATION.match(nfc(name)):
        return True  # a URL, a site's name as its domain ("VCCorp.vn"), an e-mail address
        # or a social handle ("@BaoTinh"): no person's name
    site = re.findall(r"\w+", fold(_meta(metas, "og:site_name", "application-name") or ""))
    labels = {label for label in _split(url)[0].split(":")[0].split(".")
              if len(label) >= 3 and label not in _GENERIC_HOST_LABELS}

    def publisher(part: str) -> bool:
        words = re.findall(r"\w+", fold(part))
        return (not words or " ".join(words) in _NOBODY or words == site
                or any("".join(words[i:j]) in labels
                       for i in range(len(words)) for j in range(i + 1, len(words) + 1)))

    return all(map(publisher, _BYLINE_PARTS.split(name)))


def _vietnamese_host(url: str) -> bool:
    """Whether ``url``'s host is under Vietnam's country code (``.vn``)."""
    try:
        return (urlsplit(url).hostname or "").endswith(".vn")
    except ValueError:
        return False


def _split(url: str) -> tuple[str, str]:
    """Host and path of ``url`` ("" for both when it cannot be parsed)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", ""
    return parts.netloc.lower(), parts.path


def _profile(url: str, profile: dict | None) -> dict:
    host = _split(url)[0]
    selectors: dict = {}
    for suffix, site in SITE_PROFILES.items():
        if host == suffix or host.endswith("." + suffix):
            selectors.update(site.get("selectors", {}))
    selectors.update((profile or {}).get("selectors") or {})
    return selectors


def _find_container(tree: lxml.html.HtmlElement, css: str | None) -> lxml.html.HtmlElement | None:
    chosen = _select(tree, css)
    if chosen:
        return chosen[0]
    candidates = [el for el in tree.iter("div", "article", "section", "main")
                  if _BODY_CLASS.search(el.get("class") or "")
                  or (el.get("itemprop") or "").lower() == "articlebody"]
    if not candidates:
        return None
    # Wrappers such as "content-detail" hold title, byline and sapo too: take the innermost
    # candidate that still holds most of the text of the largest one.
    sizes = {el: len("".join(_text_of(el).split())) for el in candidates}
    largest = max(sizes.values())
    inner = [el for el in candidates if sizes[el] >= 0.6 * largest
             and not any(o is not el and el in o.iterancestors() for o in candidates
                         if sizes[o] >= 0.6 * largest)]
    return max(inner or candidates, key=lambda el: sizes[el])


_UNLINKED_TEXT = etree.XPath(
    ".//text()[not(ancestor::a or ancestor::script or ancestor::style or ancestor::noscript)]")
_PICTURES = etree.XPath(".//figure | .//img[not(ancestor::a)]")  # a linked image is a badge
_CHROME_CHARS = 60  # a dateline and a separator or two, not a caption or a credit line


def _unlinked_chars(el: lxml.html.HtmlElement) -> int:
    """Characters of ``el``'s text outside links and scripts, spaces left out."""
    return sum(len("".join(text.split())) for text in _UNLINKED_TEXT(el))


def _below_headline(container: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The story block of a recognised container that also holds the headline.

    Such a container is a wrapper (category menu, headline, dateline, tags around the story).
    Going down towards the <h1>, the first block that no longer holds it and has at least 3/4
    of the container's paragraph text is the story, if what it leaves out is page chrome (links,
    the headline, a dateline: no picture, at most _CHROME_CHARS of other text); otherwise, or
    when there is none (paragraphs are the headline's siblings), the container stands.
    """
    h1 = next(container.iter("h1"), None) if container is not None else None
    if h1 is None:
        return container
    total = _paragraph_chars(container)
    node = container
    while True:
        children = [c for c in node if isinstance(c.tag, str) and c.tag not in _NEVER_TEXT]
        if not children or not total:
            return container
        best = max(children, key=_paragraph_chars)
        if _paragraph_chars(best) < 0.75 * total:
            return container
        if best is not h1 and h1 not in best.iterdescendants("h1"):
            # the rest must be page chrome: links, the headline, a dateline. A picture or a
            # line of text there (a lead photo's caption, a credit) keeps the container whole.
            rest = _unlinked_chars(container) - _unlinked_chars(best) - _unlinked_chars(h1)
            if rest > _CHROME_CHARS or len(_PICTURES(container)) > len(_PICTURES(best)):
                return container
            return best
        node = best


def _headline_cell(tree: lxml.html.HtmlElement, title: str | None,
                   base: str) -> lxml.html.HtmlElement | None:
    """The layout-table cell of a page with no recognised body container whose story is the
    headline, its dateline and the text after it (old ASP.NET and PHP portals lay pages out in
    nested <table>s: menu row, sidebar cell, article cell, footer row): going up from the element
    showing the headline, the first <td> holding more than a dateline's text besides it, or a
    frame showing a document (a notice whose content is its PDF; links resolved on ``base``)."""
    if not title:
        return None
    wanted = fold(title)
    words = len(title.split())

    def shows_title(el) -> bool:  # wrappers and long blocks are skipped before their text
        if any(child.tag in _WRAPPER_CHILDREN for child in el):
            return False
        return len(el.text_content().split()) <= 2 * words and fold(_heading_text(el)) == wanted

    headline = next((el for el in tree.iter(*_TITLED_TAGS) if shows_title(el)
                     and not any(a.tag in _CHROME_TAGS for a in el.iterancestors())), None)
    if headline is None:
        return None
    own = _unlinked_chars(headline)
    cells = [headline] if headline.tag == "td" else []
    for cell in [*cells, *headline.iterancestors("td")]:
        if _unlinked_chars(cell) - own > _CHROME_CHARS or shows_document(cell, base):
            return cell
    return None


def _title(tree: lxml.html.HtmlElement, css: str | None, fallback: str | None,
           metas: dict[str, str], container=None) -> str | None:
    chosen = [_clean_text(el.text_content()) for el in _select(tree, css)]
    if chosen and chosen[0]:
        return chosen[0]
    meta = _meta(metas, "og:title", "twitter:title") or _clean_text(
        next(iter(tree.xpath("//title/text()")), ""))
    h1_elements = [h for h in tree.iter("h1") if _clean_text(h.text_content()) and not _logo(h)]
    h1s = [_heading_text(h) for h in h1_elements]
    if meta:
        folded = fold(meta)
        # the site's name is in the title too, beside the headline: a logo (a linked h1, or
        # one in the banner) that is the shorter part is no headline, and of two h1s the
        # title names, the longer is
        segments = re.split(_TITLE_SEPARATOR, folded)
        site_names = set(segments) - {max(segments, key=len)}
        named_h1s = [h1 for h, h1 in zip(h1_elements, h1s, strict=True)
                     if (fold(h1) in folded or folded in fold(h1))
                     and not (fold(h1) in site_names and _in_banner(h))]
        if named_h1s:
            return max(named_h1s, key=lambda h1: len(h1.split()))
        # an h1 led by its label in an element of its own ("<span>Thời sự</span> headline"):
        # the headline is the rest, when the title names that
        unlabelled = [rest for h in h1_elements if (rest := _after_label(h))
                      and fold(rest) in (folded, max(segments, key=len))]
        if unlabelled:
            return unlabelled[0]
    named = _heading_named_by_title(tree, meta) if meta else None
    if named:
        return named
    # The title names no heading (a portal's "Tin tức - Sự kiện" on every page): an h1 that is
    # not a link (a logo), else an element the page's own markup calls the title
    unlinked = [h1 for h, h1 in zip(h1_elements, h1s, strict=True) if h.find(".//a") is None]
    if len(unlinked) == 1 and len(unlinked[0].split()) >= 3:
        return unlinked[0]
    titled = _titled(tree, container)
    if titled:
        return titled
    if len(h1s) == 1 and len(h1s[0].split()) >= 3:
        return h1s[0]
    if meta:
        return max(re.split(r"\s+[|–—-]\s+", meta), key=len)
    return fallback


# the site's banner: its name or logo, never a story's headline
_LOGO_CLASS = re.compile(r"logo|brand|site-?(?:title|name)", re.I)
# a banner or masthead may hold the story's headline too (a "hero" header): an h1 there is
# the site's only when the page's title names it as the site's part
_BANNER_CLASS = re.compile(r"banner|masthead", re.I)
_BANNER_CHARS = 300  # a banner's text: the site's name and slogan, a date, a few links


def _logo(h1: lxml.html.HtmlElement) -> bool:
    """An h1 that is the site's logo: a link to the home page ("/"), or an h1 in a small box
    (a logo, a name, a slogan: no story) named logo, brand or site title outside any
    ``<article>``; a page's wrapper named for its brand ("BrandPageWrapper") is no such box."""
    if any(_links_home(a.get("href")) for a in h1.iter("a")):
        return True
    boxes = [h1, *h1.iterancestors()]
    return not any(box.tag == "article" for box in boxes) and any(_LOGO_CLASS.search(
        f"{box.get('class') or ''} {box.get('id') or ''}") and text_under(box, _BANNER_CHARS)
        is not None for box in boxes)


def _links_home(href: str | None) -> bool:
    """Whether ``href`` is the site's home page ("/", "https://baotinh.vn/"): not an anchor
    without one, nor this page ("", "#top", "?id=1")."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "?")):
        return False
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.query and bool(parts.netloc or href == "/")


def _in_banner(h1: lxml.html.HtmlElement) -> bool:
    """Whether ``h1`` is a link or sits in a box named banner or masthead outside any
    ``<article>`` (a header box, the article's own or not, often heads the story)."""
    if h1.find(".//a") is not None:
        return True
    for box in h1.iterancestors():
        if box.tag == "article":
            return False
        if _BANNER_CLASS.search(f"{box.get('class') or ''} {box.get('id') or ''}"):
            return True
    return False


def _after_label(h1: lxml.html.HtmlElement) -> str | None:
    """The text of ``h1`` after a label in its first child (a kicker, a section: at most
    three words) when nothing precedes that child and at least three words follow; else
    None."""
    label = h1[0] if len(h1) and isinstance(h1[0].tag, str) and h1[0].tag not in ("br", "img") \
        else None  # (no comment)
    if label is None or (h1.text or "").strip():
        return None
    shown, kicker = _heading_text(h1), _clean_text(label.text_content())
    if not kicker or len(kicker.split()) > 3 or not shown.startswith(kicker):
        return None
    rest = shown[len(kicker):].strip(" :|-–—")
    return rest if len(rest.split()) >= 3 else None


def _heading_text(el: lxml.html.HtmlElement) -> str:
    """The text of a heading as shown: a line break (``<br>``) in it is a space."""
    if el.find(".//br") is not None:
        el = copy.deepcopy(el)
        for br in el.iter("br"):
            br.tail = " " + (br.tail or "")
    return _clean_text(el.text_content())


# An element whose class or id names the headline ("TieuDe", "title-news", "lblTitle", Liferay's
# "header-title"); box, widget, category and banner titles are other titles
_TITLE_CLASS = re.compile(r"title|tieu-?de|headline", re.I)
_NOT_TITLE_CLASS = re.compile(r"box|widget|cat|section|menu|module|block|sidebar|list|sub|site"
                              r"|logo|page-?title|tab|footer|header(?!-?title)|nav|card|author|byline|meta",
                              re.I)
_TITLE_WORDS = (4, 40)
_TITLED_TAGS = ("h1", "h2", "h3", "div", "span", "p", "td", "strong", "b")
# children that make an element a wrapper, never a headline's own element
_WRAPPER_CHILDREN = frozenset({"div", "p", "table", "tbody", "tr", "td", "ul", "ol", "li",
                               "section", "article", "h1", "h2", "h3", "h4", "form"})
_CHROME_TAGS = frozenset({"header", "nav", "footer", "a", "aside"})


def _titled(tree: lxml.html.HtmlElement, container) -> str | None:
    """The headline a page shows in an element whose class or id says so (:func:`_title_text`),
    not in the banner, menu or footer: the last such element before the body ``container``
    (the first inside it when none is before it), or the first on a page without one."""
    tags = _TITLED_TAGS if container is None else {*_TITLED_TAGS, container.tag}
    before = None
    for el in tree.iter(*tags):
        if el is container:
            return before or next(filter(None, map(_title_text, el.iter(*_TITLED_TAGS))), None)
        text = _title_text(el)
        if text and not any(parent.tag in _CHROME_TAGS for parent in el.iterancestors()):
            if container is None:
                return text
            before = text
    return before


def _title_text(el: lxml.html.HtmlElement) -> str | None:
    """The text of ``el`` if its class or id names it the title ("TieuDe", "title-news"; not a
    box, card or byline title: a bare h2 or h3 is as likely a section of the story) and it is
    4 to 40 words and no link."""
    named = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not _TITLE_CLASS.search(named) or _NOT_TITLE_CLASS.search(named) \
            or el.find(".//a") is not None:
        return None
    text = _heading_text(el)
    return text if _TITLE_WORDS[0] <= len(text.split()) <= _TITLE_WORDS[1] else None


_TITLE_SEPARATOR = r"\s+[|–—-]\s+"


def _heading_named_by_title(tree: lxml.html.HtmlElement, meta: str) -> str | None:
    """The h2/h3 the page's title names whole (``headline``, ``headline - Site``, ``Site |
    headline``): Joomla, Liferay and many portals show the headline in an h2 or h3, and a
    headline may hold a dash or quotes of its own."""
    folded = fold(meta)
    for el in tree.iter("h2", "h3"):
        text = _heading_text(el)
        heading = fold(text)
        if len(text.split()) < 3:
            continue
        if folded == heading or folded.startswith(heading) \
                and _SEPARATOR.match(folded, len(heading)) or _ends_with_part(folded, heading):
            return text
    return None


# (the separator searched without building a pattern around each heading: compiling one per
# h2/h3 of the page cost more than the rest of the title's search)
_SEPARATOR = re.compile(_TITLE_SEPARATOR)
_SEPARATOR_ENDING = re.compile(_TITLE_SEPARATOR + r"\Z")


def _ends_with_part(title: str, part: str) -> bool:
    """Whether ``title`` ends with a separator and ``part`` (a final newline aside, as the
    pattern's ``$`` allows one)."""
    for whole in (title, title[:-1] if title.endswith("\n") else None):
        if whole is not None and whole.endswith(part) \
                and _SEPARATOR_ENDING.search(whole, 0, len(whole) - len(part)):
            return True
    return False


def _with_prefix(el: lxml.html.HtmlElement) -> str:
    """Text of a sapo element, preceded by an agency prefix sibling such as "(VTC News) -"."""
    text = _clean_text(el.text_content())
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None and _LEAD_PREFIX.match(_clean_text(prev.text_content())):
        text = _clean_text(prev.text_content()) + " " + text
    return text


def _outside(el: lxml.html.HtmlElement, container: lxml.html.HtmlElement | None) -> bool:
    if container is None:
        return True
    return not (el is container or container in el.iterancestors()
                or el in container.iterancestors())


def _sapo(tree, container, css: str | None, description: str | None) -> str | None:
    """Find the sapo (lead): profile selector, sapo-like class, or the meta description's twin."""
    chosen = _select(tree, css)
    if chosen:
        return _with_prefix(chosen[0]) or None
    h1 = next(tree.iter("h1"), None)
    body = tree.find("body")
    if body is None:
        return None
    wanted = fold(description) if description and len(description) >= 40 else None
    twin = None
    for el in body.iter("p", "div", "h2", "span", "strong"):
        if h1 is not None and (el.sourceline or 0) < (h1.sourceline or 0):
            continue
        sapo_class = _SAPO_CLASS.search(el.get("class") or "")
        if not sapo_class and not (twin is None and wanted):
            continue  # neither a sapo by its class nor a twin still looked for: no text needed
        if not _outside(el, container) or next(el.iter("a", "h1"), None) is not None:
            continue
        text = _clean_text(_text_of(el))
        if len(text) >= 40 and sapo_class:
            return _with_prefix(el)
        if twin is None and wanted and abs(len(text) - len(wanted)) <= 3 and fold(text) == wanted:
            twin = el
    return _with_prefix(twin) if twin is not None else None


def _drop_noise(tree: lxml.html.HtmlElement) -> None:
    """Remove comments, scripts, styles and other never-text elements (inline CSS included),
    and empty the <iframe>s: what one holds is never shown (a browser shows the document its
    src names) and the parser keeps it as text, an ad slot's fallback markup ("<a href=…><img
    src=…>") that trafilatura's baseline dump read as lines of prose. The <iframe> stays (its
    src is read)."""
    for el in list(tree.iter(etree.Comment, etree.ProcessingInstruction, *_NEVER_TEXT,
                             "iframe")):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag == "iframe":
            el.text = None
            del el[:]
            continue
        if el.tail:  # keep the text that follows the removed node
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    # a form that holds paragraphs is page structure (ASP.NET, broken HTML), not a form:
    # unwrap it so trafilatura, which drops forms, still sees the text inside. A comment,
    # contact, sign-up or log-in form (a text box or an e-mail or password field, no heading,
    # a few lines) stays a form: its paragraphs are the site's words about it, not the article.
    for form in list(tree.iter("form")):
        if form.getparent() is not None and form.find(".//p") is not None and not (
                _asks_to_write(form) and next(form.iter("h1", "h2", "h3"), None) is None
                and len(form.text_content()) < _FORM_CHARS):
            form.drop_tag()


def _asks_to_write(form: lxml.html.HtmlElement) -> bool:
    """A form with a text box, an e-mail field or a password field: one a reader fills in."""
    return form.find(".//textarea") is not None or any(
        (field.get("type") or "").strip().lower() in ("email", "password")
        for field in form.iter("input"))


# Boxes inside an article that are neither body nor related news: tool bars (print, share,
# font size, back to top, the row of page numbers of a story split over pages) and promotions
# (books, apps, newsletters, polls, sponsored content).
# Known by class or id, or by a short label opening the box ("Đặt mua sách", "Bình chọn").
_TOOLBAR_CLASS = re.compile(
    r"(?:^|[\s_-])(?:tools?|toolbar|toolbox|print|printer|share|sharing|social|socials|"
    r"font-?size|text-?size|font-?resize|back-?to-?top|go-?top|scroll-?top|to-?top|"
    r"page-?nav|pagination|pager|paging|phan-?trang)(?:$|[\s_-])",
    re.I,
)
_PROMO_CLASS = re.compile(
    r"(?:^|[\s_-])(?:promo\w*|sponsor\w*|advertorial|newsletter\w*|subscribe\w*|subscription|"
    r"polls?|survey|vote|voting|binh-?chon|khao-?sat|app-?download|download-?app|get-?app|"
    r"app-?banner|app-?promo|book-?promo|box-?book|book-?box|buy-?book|dat-?mua|mua-?sach)"
    r"(?:$|[\s_-])",
    re.I,
)
_PROMO_LABEL = re.compile(
    r"^(?:dat mua|mua sach|dat sach|sach moi|tai ung dung|tai app|dang ky nhan (?:ban )?tin|"
    r"nhan ban tin|dang ky ban tin|binh chon|tham do y kien|khao sat|noi dung tai tro|tai tro boi|"
    r"quang cao|sponsored|advertisement|newsletter|subscribe|download the app|get the app|"
    r"poll)\b"
)
# A class that says how an element's own text is set, as WordPress's block editor marks every
# paragraph given a preset size ("has-large-font-size", "has-x-small-font-size"): typography,
# not a font-size tool. Read as a tool bar, each short paragraph of such a post was dropped
# (44 of WCXB's 968 article pages carry these classes).
_TEXT_PRESET_CLASS = re.compile(r"(?<![\w-])has-[\w-]+-font-size(?![\w-])", re.I)
_FORM_CHARS = 1000  # a comment form's labels and rules; an article inside a form has more
_TOOLBAR_CHARS = 150  # a tool bar is a row of buttons: a box with more text is something else
_PROMO_CHARS = 1500  # a promotion box is small beside the article it sits in
_BOX_TAGS = ("div", "aside", "section", "table", "ul", "figure", "blockquote", "p", "span")
_FIELDS = ("input", "select", "textarea", "button")  # what a reader fills in or presses


def _box_label(box: lxml.html.HtmlElement) -> str:
    """The folded text of the first line of ``box`` when it is short (a box's label)."""
    # (the first piece that is not all white space: split() and isspace() agree on what is)
    first = " ".join(next((x for x in box.itertext() if x and not x.isspace()), "").split())
    return fold(first) if len(first) <= 40 else ""


def _drop_boxes(tree: lxml.html.HtmlElement, container, vietnamese: bool = True,
                story=None) -> None:
    """Remove tool bars and promotion boxes: neither body nor related news. Known by class
    anywhere; by their label only inside the body ``container`` or, without one, the ``story``
    block of its paragraphs (a label alone is weak), or when they hold fields to fill in; by
    their opening words or shop links (:func:`_sells`) inside the container, or anywhere on a
    page without one (by opening words only on a ``vietnamese`` page)."""
    doomed = []
    # the boxes around an <audio> (few pages have one: no box is searched for it)
    players = {box for audio in tree.iter("audio") for box in audio.iterancestors()}
    for el in tree.iter(*_BOX_TAGS):
        names = el.get("class"), el.get("id")
        if not (names[0] or names[1]):
            continue
        kind = _box_kind(names)
        if kind is None and el in players and el.find(".//figcaption") is None:
            kind = "toolbar"  # a "listen to this article" player (a captioned recording is body)
        if kind == "toolbar":
            if len(_text_of(el).strip()) <= _TOOLBAR_CHARS:
                doomed.append(el)
        elif kind == "promo" and el.tag not in ("p", "span"):
            if len(_text_of(el).strip()) <= _PROMO_CHARS:
                doomed.append(el)
    # by a label inside the body container (or, when none is recognised, the block holding the
    # story's paragraphs), or anywhere when the box asks the reader to fill in a field (a
    # poll's choices, a newsletter's e-mail box); by their opening words or shop links
    # anywhere when no container is recognised (trafilatura then decides the body)
    area = container if container is not None else tree.find("body")
    story = container if container is not None else story
    # the boxes that hold a field, from the few fields up (a label is read only where it counts)
    with_fields = set() if area is None else {
        box for field in area.iter(*_FIELDS) for box in field.iterancestors()}
    # the boxes inside the story, gathered once (for speed: not each box's ancestors climbed)
    in_story = set() if story is None else set(story.iterdescendants(*_PROMO_BOXES))
    for el in area.iter(*_PROMO_BOXES) if area is not None else ():
        if el is not area and (
                (el in with_fields or el in in_story)
                and _PROMO_LABEL.match(_box_label(el))
                or _sells(el, words=vietnamese or container is not None)):
            text = _text_of(el).strip()
            if len(_box_label(el)) < len(text) <= _PROMO_CHARS:
                doomed.append(el)
    marked = set(doomed)
    for el in doomed:
        if el.getparent() is not None and not any(a in marked for a in el.iterancestors()):
            el.drop_tree()  # drop_tree keeps the tail text that follows the box


# A promotion inside the body with no label of its own: a box whose opening words address the
# reader to sell something (the paper's book series, a subscription, an app, a vote: "Tri Thức
# giới thiệu độc giả Tủ sách…", "Mời bạn đọc đặt mua…", "Trân trọng giới thiệu"), or whose
# links all lead to shops. Only boxes with a class or id are asked (paragraph divs are not).
_PROMO_OPENING = re.compile(
    r"\b(?:gioi thieu (?:toi |den |voi |cung )?(?:quy )?(?:doc gia|ban doc)|"
    r"(?:kinh )?moi (?:quy )?(?:doc gia|ban doc|quy vi) (?:don|tim|dat|dang ky|tai|tham gia|"
    r"binh chon|mua)|tran trong gioi thieu|dat mua|dat hang ngay|mua ngay)\b"
)
_OPENING_CHARS = 160  # the box's first sentence or so
# shops' and app stores' hosts (app stores sell the paper's app)
_SHOPS = (r"tiki\.vn|shopee\.vn|lazada\.vn|sendo\.vn|fahasa\.com|vinabook\.com|nhanam\.vn|"
          r"amazon\.[a-z.]+|shopee\.[a-z.]+|lazada\.[a-z.]+|apps\.apple\.com|itunes\.apple\.com|"
          r"play\.google\.com")
_SHOP_HOST = re.compile(rf"(?:^|\.)(?:{_SHOPS})$")


def _opening(box: lxml.html.HtmlElement) -> str:
    """The first :data:`_OPENING_CHARS` characters of ``box``'s text, casefolded."""
    words: list[str] = []
    size = 0
    for piece in box.itertext():
        words += piece.split()
        size += len(piece)
        if size >= _OPENING_CHARS:
            break
    return " ".join(words)[:_OPENING_CHARS].casefold()


# Words one of which every _PROMO_OPENING phrase holds, as written: most boxes fail this cheap
# test and are never folded.
_PROMO_HINT = re.compile(r"giới thiệu|mời|đặt|mua")
# Characters of prose (:func:`prose_chars`) below which a box whose links all go to shops is a
# promotion: its blurb is a line or two (under 100 on the 40-odd shop boxes of the public
# suites); blocks of a story that link a book or product at a shop hold paragraphs (590+).
_SHOP_BLURB = 200
_PROMO_BOXES = ("div", "aside", "section", "table")  # the boxes _drop_boxes asks _sells about


# What a shop's address (:data:`_SHOP_HOST`) holds as written (its host in any case), or the
# characters urlsplit drops from one: an address with neither is no shop's, without parsing it
# (most links, for speed)
_SHOP_NAME = re.compile(rf"{_SHOPS}|[\t\r\n]", re.I)


@lru_cache(maxsize=1024)  # nested wrappers share their first link
def _shop_link(href: str) -> bool:
    """Whether ``href`` leads to a shop or an app store (:data:`_SHOP_HOST`)."""
    return bool(_SHOP_NAME.search(href)) and bool(_SHOP_HOST.search(_split(href)[0]))


def _sells(box: lxml.html.HtmlElement, words: bool = True) -> bool:
    """True when ``box`` (a div, aside, section or table with a class or id, inside the body)
    is a promotion by its opening words (when ``words``) or because every link in it goes to
    a shop and it holds no more than a blurb of prose (:data:`_SHOP_BLURB`)."""
    if not (box.get("class") or box.get("id")):
        return False
    links = box.iter("a")
    first = next(links, None)  # a wrapper's first link is mostly no shop's: one look is enough
    if first is not None and all(_shop_link(a.get("href") or "") for a in (first, *links)):
        return prose_chars(box) < _SHOP_BLURB  # more prose: the story, citing a shop
    if not words:
        return False
    first_child = box[0] if len(box) and not (box.text or "").strip() else None
    if first_child is not None and first_child.tag in _PROMO_BOXES:
        return False  # the same opening words: the inner box is asked (once, not per wrapper)
    opening = _opening(box)
    return bool(_PROMO_HINT.search(opening)) and bool(_PROMO_OPENING.search(fold(opening)))


@lru_cache(maxsize=4096)  # a page repeats its few class names on many elements
def _box_kind(names: tuple[str | None, str | None]) -> str | None:
    """"toolbar" or "promo" when an element's ``(class, id)`` names a tool bar or a promotion
    box (:data:`_TOOLBAR_CLASS`, :data:`_PROMO_CLASS`), else None."""
    joined = f"{names[0] or ''} {names[1] or ''}"
    if len(joined) < 4:
        return None
    joined = _TEXT_PRESET_CLASS.sub(" ", joined)
    if _TOOLBAR_CLASS.search(joined):
        return "toolbar"
    return "promo" if _PROMO_CLASS.search(joined) else None


def _skipped(el: lxml.html.HtmlElement) -> bool:
    """Elements whose text never belongs to a body: forms (those holding paragraphs were
    unwrapped by :func:`_drop_noise`), embeds, ad slots, hidden boxes."""
    return (el.tag in _SKIP_TAGS or bool(_AD_CLASS.search(el.get("class") or ""))
            or "display:none" in (el.get("style") or "").replace(" ", ""))


def _shown_key(root: lxml.html.HtmlElement) -> str:
    """The :func:`_line_key` of the text a page shows, blocks apart: scripts and hidden boxes
    (``display:none``, ``hidden``) left out, against which plain trafilatura's lines are
    counted (it reads a schema.org twin of the story hidden in the page too)."""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _NEVER_SHOWN or el.get("hidden") is not None \
                or "display:none" in (el.get("style") or "").replace(" ", ""):
            return
        block = " " if tag in _BLOCK_TAGS else ""
        parts.append(block + (el.text or ""))
        for child in el:
            walk(child)
            parts.append(child.tail or "")
        parts.append(block)

    walk(root)
    return _line_key("".join(parts))


def block_lines(root: lxml.html.HtmlElement) -> list[str]:
    """Text of ``root`` split at block-level elements, whitespace-normalised, empties dropped."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _clean_text("".join(buf))
        buf.clear()
        if text:
            lines.append(text)

    def walk(el) -> None:
        if not isinstance(el.tag, str) or _skipped(el):
            return
        if el.tag == "table" and (rows := _data_rows(el)):
            flush()
            lines.extend(rows)
            return
        block = el.tag in _BLOCK_TAGS
        if block:
            flush()
        buf.append(el.text or "")
        for child in el:
            walk(child)
            buf.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return lines


# One tool-bar button; a line made of nothing else is chrome ("In bài viết | Về đầu trang").
_TOOL = (r"(?:chia sẻ(?: bài viết| bài| lên)?|share(?: this| on)?|in bài(?: viết)?|bản in|"
         r"in trang|print(?: this)?(?: page| article)?|lưu tin|lưu bài(?: viết)?|gửi email|"
         r"gửi e-mail|gửi cho bạn bè|gửi bài viết|email|e-mail|về đầu trang|lên đầu trang|"
         r"đầu trang|back to top|top|cỡ chữ|font size|a\+|a-|a|phóng to|thu nhỏ|facebook|zalo|"
         r"twitter|tweet|linkedin|copy link|sao chép(?: liên kết| link)?|góp ý|quay lại|trở về|"
         # an audio player's buttons and clock ("Nghe bài viết", "0:00 / 4:05", "Tốc độ 1x")
         r"nghe(?: đọc)?(?: bài viết| bài)?|lưu|(?:tăng|giảm) cỡ chữ|"
         r"\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}|"
         r"tốc độ(?: đọc)?\s*[\d.,]+\s*x|"
         # a print view's own buttons ("In | Đóng cửa sổ")
         r"in|đóng(?: cửa sổ| lại)?|close(?: window)?)")
_CHROME = re.compile(rf"^{_TOOL}(?:\s*[|/·•,:-]?\s*{_TOOL})*\s*:?$", re.I)
# A line of the page's own counters and widgets: views, comments, a rating, a tag line, a
# "follow us" call ("Lượt xem: 1.234", "Bình luận (0)", "Từ khóa: cầu, Hạ Long")
_WIDGET = re.compile(
    r"^(?:(?:số )?(?:lượt xem|lượt đọc|lượt truy cập|lượt thích|views?|reads?)\s*:?\s*[\d.,]+"
    r"|(?:bình luận|ý kiến|comments?)\s*(?:\(\s*\d+\s*\)|:?\s*\d+)?"
    r"|đánh giá(?: bài viết| của bạn)?\s*:?"
    r"|(?:từ khóa|từ khoá|tags?)\s*:.{0,200}"
    r"|theo dõi .{0,40}(?:google news|zalo|facebook|youtube|tiktok))$",
    re.I,
)


_DATA_CELL_LINES = 3  # lines a data table's cell holds at most: a layout cell holds a story


_ROWS = etree.XPath("./tr|./*/tr")  # a table's rows, its own (compiled once)


def _data_rows(table: lxml.html.HtmlElement) -> list[str]:
    """A data table's rows, one line each, its cells apart as trafilatura writes them
    ("| 05/12/2025 | Chủ tịch UBND tỉnh |"): a schedule or a document's "Số ký hiệu | Ngày ban
    hành" sheet is read by rows. A data table has two rows or more of two short cells or more
    with text; a layout table (the headline over the dateline, a menu beside the story) has
    none, and nor has a table holding tables: ``[]`` for those."""
    if table.find(".//table") is not None:
        return []
    rows, data_rows = [], 0
    for row in _ROWS(table):
        cells = [block_lines(cell) for cell in row if cell.tag in ("td", "th")]
        if any(len(cell) > _DATA_CELL_LINES for cell in cells):
            return []
        cells = [" ".join(cell) for cell in cells if cell]
        if len(cells) >= 2:
            data_rows += 1
        if cells:
            rows.append(f"| {' | '.join(cells)} |" if len(cells) >= 2 else cells[0])
    return rows if data_rows >= 2 else []


def _data_lines(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The rows of ``root``'s data tables (:func:`_data_rows`) and the lines of its
    preformatted blocks (code, a log, a plain-text table in <pre>). A date or the document's
    number there is data, not the page's dateline or headline."""
    return frozenset([*(row for table in root.iter("table") for row in _data_rows(table)),
                      *(line for pre in root.iter("pre")
                        for line in map(_clean_text, pre.text_content().split("\n")) if line)])


def _chrome_line(line: str, title: str | None) -> bool:
    """A line of page chrome that trafilatura kept: the headline repeated, share/print rows,
    counters and widgets (:data:`_WIDGET`)."""
    words = " ".join(line.replace("\\|", " ").replace("|", " ").split())  # ("\|": escaped)
    if not words:
        return True
    if title and abs(len(words) - len(title)) <= 10 and fold(words) == fold(title):
        return True  # (folding keeps the length of Vietnamese text: most lines need no fold)
    if len(words) <= 40 and heading_key(words) in _BOX_TITLES:
        return True  # a box's title left alone ("TIN MỚI" over a list a script fills)
    return bool(_CHROME.match(words) or _WIDGET.match(words))


def _date_line(line: str) -> bool:
    """A short line that is nothing but a date (the dateline shown under the headline), labelled
    or not ("Ngày đăng: 12/01/2026", "Cập nhật ngày 05/03/2026")."""
    return len(line) <= 48 and parse_vietnamese_date(line) is not None and not re.search(
        r"[^\W\d_]{4,}",
        re.sub(r"(?i)thứ \w+|chủ nhật|cập nhật|ngày|tháng|năm|gmt|đăng|xuất bản", "", line))


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.casefold()))


def _agrees(lines: list[str], text: str, body_extras: list[str] = (),
            container: bool = False) -> bool:
    """True when container ``lines`` hold most of trafilatura's words and add few of their own.

    The container walk keeps captions, the author line and the sapo, which trafilatura often
    drops: those of ``body_extras`` (:func:`_captions`, the sapo) that ``text`` lacks may be
    added on top. In a recognised body ``container``, so may lines of prose that trafilatura
    missed (a paragraph written as a bare <div>): they are the story's. When the walk adds much
    more than that (galleries, teasers inside a broad container) trafilatura is trusted.
    """
    mine = _tokens("\n".join(lines))
    if not mine:  # (nothing in common: trafilatura's text, often the whole page's, is not read)
        return False
    theirs = _tokens(text)
    total = sum(theirs.values())
    if not total:
        return False
    common = sum((mine & theirs).values())
    if common < 0.9 * total:
        return False
    extra = sum(mine.values()) - common - 0.1 * total
    if extra <= 0:
        return True
    known = _line_key(text)
    extra -= sum(_words(x) for x in body_extras if x and _line_key(x) not in known)
    if extra > 0 and container:
        extra -= sum(_words(line) for line in lines
                     if len(line) >= _PROSE_LINE and _line_key(line) not in known)
    return extra <= 0


# Photo captions by class: figcaption-like boxes of Vietnamese CMSs ("chu-thich", PhotoCMS).
_CAPTION_CLASS = re.compile(r"caption|chu-?thich|image-?desc|img-?desc|photo-?desc|pic-?desc|"
                            r"desc-?img|note-?img|img-?note|fig-?desc|photo-?note|expnoedit",
                            re.I)
_CAPTION_CHARS = 400  # a caption is a sentence or two under a photo
_CREDIT_WORDS = 6  # the closing credit line: a name, an agency, "Theo TTXVN"


def _shows_image(el) -> bool:
    """An element that is a photo: an <img>, or a box holding images and no text."""
    if not isinstance(el.tag, str):
        return False
    return el.tag == "img" or (el.find(".//img") is not None and not el.text_content().strip())


def _is_caption(el) -> bool:
    """A photo caption: <figcaption>, a caption class, the text cell of a photo table, or a
    short text block right under a photo."""
    if el.tag == "figcaption" or _CAPTION_CLASS.search(el.get("class") or ""):
        return True
    if el.tag in ("td", "th"):
        table = next((a for a in el.iterancestors("table")), None)
        if table is None or len(table) > 4 or table.find(".//img") is None:
            return False
    elif el.tag in ("p", "div", "em", "span", "i"):
        prev = el.getprevious()
        if prev is None or not _shows_image(prev):
            return False
    else:
        return False
    return el.find(".//img") is None and len(el.text_content().strip()) <= _CAPTION_CHARS


def _captions(root, lines: list[str]) -> list[str]:
    """The captions and the closing credit line in ``root``: body text by the Vietnamese
    convention (captions and author line inside the body container) that trafilatura often
    leaves out. ``lines`` are root's :func:`block_lines`."""
    found = []
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _NEVER_TEXT:
            continue
        if el is not root and _is_caption(el):
            found.append(el.text_content())
        else:
            stack.extend(el)
    last = lines[-1] if lines else ""
    if _words(last) > _CREDIT_WORDS or any(_clean_text(a.text_content()) == last
                                            for a in root.iter("a")):
        return found  # a long line is no credit, nor is a headline link
    return [*found, last]


_CLIMB_OWN = 0.1  # words of its own an ancestor may add per word of trafilatura's text


def _source_block(tree: lxml.html.HtmlElement, text: str) -> lxml.html.HtmlElement | None:
    """The innermost block that still holds 90% of ``text``'s words (where trafilatura found it),
    or an ancestor of it that adds those words and next to nothing else (_CLIMB_OWN).

    Walks down from <body>: at most one child can hold 90% of the words, so this is cheap.
    Then back up while each step brings in trafilatura's words and next to nothing else: a
    page that leaves a tag open per paragraph nests its story one level a paragraph, and the
    innermost block holding 90% of it has lost the first tenth.
    """
    theirs = _tokens(text)
    need = 0.9 * sum(theirs.values())
    node = tree.find("body")
    if node is None or sum((_tokens(node.text_content()) & theirs).values()) < need:
        return None
    while True:
        for child in node:
            if (isinstance(child.tag, str) and child.tag not in _NEVER_TEXT
                    and sum((_tokens(child.text_content()) & theirs).values()) >= need):
                node = child
                break
        else:
            break
    words = _tokens(node.text_content())
    held = sum((words & theirs).values())
    for parent in node.iterancestors():
        if parent.tag in ("body", "html"):
            break
        wider = _tokens(parent.text_content())
        gained = sum((wider & theirs).values()) - held
        if sum(wider.values()) - sum(words.values()) - gained > _CLIMB_OWN * gained:
            break  # (a wrapper that adds nothing is passed through)
        node, words, held = parent, wider, held + gained
    return node


def _narrowed(tree: lxml.html.HtmlElement, text: str, sapo: str | None = None,
              story=None) -> list[str]:
    """Body lines from the block trafilatura's ``text`` came from, when they agree with it.

    Used when the recognised container is a broad wrapper. The lead often sits outside the
    body block (an <h2> sapo above it), so the text without its first line is tried too.
    A block that is the ``story`` block (the story's paragraphs are its own children) or a
    wrapper of it is read as a container: prose there that trafilatura left out (a note box)
    is body.
    """
    first, _, rest = text.partition("\n")
    for head, part in (([], text), ([_clean_text(first)], rest)):
        source = _source_block(tree, part) if part.strip() else None
        if source is None:
            continue
        lines = block_lines(source)
        if _agrees(_with_sapo(lines, sapo), part, [*_captions(source, lines), sapo],
                   container=story is not None and (source is story
                                                    or source in story.iterancestors())):
            return head + lines
    return []


def _words(text: str | None) -> int:
    return len(re.findall(r"\w+", text or ""))


def _with_sapo(lines: list[str], sapo: str | None) -> list[str]:
    """``lines`` with the sapo first, as the text will be (trafilatura reads the sapo too)."""
    if sapo and fold(sapo) not in fold(" ".join(lines)):
        return [sapo, *lines]
    return lines


# Counted as prose: the text of forms (an ASP.NET form holds the whole page) and of <noscript>
# (some blogs serve the whole post there), which plain trafilatura reads.
_NOT_PROSE = (_SKIP_TAGS | {"script", "style", "template"}) - {"form"}
_PROSE_LINE = 60  # characters: a line of prose, longer than menu items, labels and datelines
_MAX_RECOVERED = 1.0  # recovery adds at most the body's own number of words…
_WHOLE_BODY_WORDS = 100  # …to a body of this many words (a shorter one may be a lead only)
_LOOKS_SHORT = 0.6  # body shorter than this share of the page's prose: ask plain trafilatura
# A body under this share of the page's prose is a fragment of the story (trafilatura's fast
# pass stopped at a section, a column, an embed): plain's further text completes it however
# much it adds. On the 30 pages of four suites where recovery was refused (plain_disagrees),
# the 19 bodies under a fifth of the page were fragments on 16 (F1 0.02-0.34, plain's 0.40-
# 0.99); the three whole stories plain was wrong beside held 0.22 to 0.35 of their pages.
_FRAGMENT = 0.2
_HELD = 0.9  # the body holds this share of plain trafilatura's words: nothing to recover
# A body read without a body container whose lines too short for prose (menus, link lists)
# hold this many characters, and outweigh its prose lines this many times, looks like a page
# dump: plain trafilatura is asked too, and its text taken when ours holds it and is more
# than _DUMP_RATIO times as long.
_DUMP_CHARS, _DUMP_SHORT, _DUMP_RATIO = 1000, 2.0, 3.0
# trafilatura's baseline dump (:func:`_baseline_dump`) or recall escalation gives way to
# plain's text only when plain keeps this share of its prose lines: what it leaves out is then
# menus, datelines and teasers. Where plain's readability kept one block of a story and
# missed the rest, it has less: on the 22 WCXB and 9 L3S-GN1 pages where the dump held
# plain's text and was longer, plain kept 0.74 to 1.06 of the dump's prose on the 11 it was
# better on, 0.08 to 0.56 on the 3 it was worse on (by 0.15 to 0.37).
_DUMP_PROSE_KEPT = 2 / 3
# trafilatura's recall escalation (see :func:`_trafilatura_pass`) gives way to plain's text
# only when it is this many times as long: the recall mode reads a right story's headings,
# captions and notes that readability leaves out, a few words in a hundred (1.00 to 1.09 times
# plain's on the three pages of the wide set and WCXB where the body was as good, within
# 0.001, or better by 0.01 to 0.04); menus and teaser columns read with the story made it 1.17
# to 1.38 times as long on the 8 L3S-GN1 pages where plain was better (by 0.01 to 0.16).
_ESCALATION_RATIO = 1.125


def prose_chars(root: lxml.html.HtmlElement) -> int:
    """Characters of prose in ``root``: block-level lines of at least 60 characters, counting
    only text outside links (teaser lists and menus are links). A cheap measure of how much
    text a page has to give, against which a short body is noticed."""
    total = 0
    buf: list[str] = []

    def flush() -> None:  # (called only when ``buf`` holds something)
        nonlocal total
        size = len(" ".join("".join(buf).split()))
        buf.clear()
        if size >= _PROSE_LINE:
            total += size

    def walk(el, linked: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_PROSE:
            return
        block = tag in _BLOCK_TAGS
        if block and buf:
            flush()
        if linked or tag == "a":
            for child in el:
                walk(child, True)
        else:
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child, False)
                if child.tail:
                    buf.append(child.tail)
        if block and buf:
            flush()

    walk(root, False)
    if buf:
        flush()
    return total


# trafilatura's options for its two calls, built once: an Extractor reads eight settings from
# its ConfigParser when made (0.37 ms, as much as a tenth of a fast pass on a short page), and
# none of its fields but the URL changes from page to page; trafilatura never alters them.
_PLAIN = Extractor(output_format="python", with_metadata=False, tables=True)
_FAST = Extractor(output_format="python", with_metadata=False, fast=True, comments=False,
                  tables=True)


def _options(template: Extractor, url: str) -> Extractor:
    """``template`` for the page at ``url``, as ``bare_extraction(…, url=url)`` would make it."""
    options = copy.copy(template)
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


def _plain_trafilatura(page: lxml.html.HtmlElement | str | None, url: str) -> str:
    """Plain trafilatura's body text of the page as fetched (its full extraction, with the
    readability and jusText fallbacks that the fast pass skips); "" when it finds none.
    ``page`` is the page as :func:`_fetched` parses it (trafilatura works on a copy), or its
    source where trafilatura's loader would read it otherwise (:func:`_loads_as_document`).

    Its defaults, as a user runs it and as ``make eval`` scores it: comments on (they stay out
    of the body text all the same). With comments off, trafilatura 2.3 first prunes the page of
    comment-like blocks and lists, which set off its recall escalation on a benchmark page at
    3x the cost; the body texts of the 185 fixture and benchmark pages are the same either way.

    Given the parsed page rather than its source: the same text on all 443 benchmark pages,
    4 ms a page sooner (trafilatura parses a str slower), and the parse serves the other
    checks on the page as fetched.
    """
    if page is None:
        return ""
    names = _page_names.set(_names(page) if isinstance(page, etree._Element) else None)
    try:
        doc = bare_extraction(page, options=_options(_PLAIN, url))
    except Exception:  # noqa: BLE001 - the guard must never break an extraction
        return ""
    finally:
        _page_names.reset(names)
    return (doc.text if doc is not None else None) or ""


def _fetched(source: str) -> lxml.html.HtmlElement | None:
    """The page parsed again from its :func:`_source` (decoded once: 0.6 ms a benchmark page),
    whole, as trafilatura's own parser reads it: its comments and processing instructions
    stripped (their tails kept), which no text of ours reads."""
    page = _document(source)
    if page is not None:
        etree.strip_elements(page, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return page


def _loads_as_document(page: lxml.html.HtmlElement | None) -> bool:
    """True when trafilatura's loader, given the page's source, would make the same document
    of it as :func:`_fetched`: lxml.html.fromstring returns the whole document when it holds
    a <head>, and trafilatura keeps a document of two parts or more. (A fragment without one
    comes back as its single element or body, and goes to trafilatura as source.)"""
    return page is not None and len(page) >= 2 and page.find("head") is not None


@lru_cache(maxsize=16384)  # a site's menus and boxes repeat their link texts on every page
def _line_key(line: str) -> str:
    return word_key(line)


# the date or time shown after a headline, as :func:`_line_key` spells it ("… (01/11/2026 08:30)"
# -> "… 01 11 2026 08 30"): two to five numbers ending the line
_DATE_AFTER = re.compile(r"(?: \d{1,4}){2,5}$")


# The site's colophon, its footer's line: who owns or licenses the site and where to reach it
# ("Cơ quan chủ quản: … Giấy phép số … Địa chỉ: … Điện thoại: …", "© Bản quyền thuộc …"); folded
_OWNER = re.compile(r"ban quyen|©|copyright|co quan chu quan|chiu trach nhiem|ghi ro nguon"
                    r"|giay phep (?:so|xuat ban|thiet lap|cung cap)")
_REACH = re.compile(r"\b(?:dia chi|dien thoai|email|fax|hotline|duong day nong)\b")
_COLOPHON_CHARS = 600  # a colophon is a few sentences; a longer line is prose


def _colophon(line: str) -> bool:
    """``line`` names the site's owner or licence and how to reach it (or two of the former)."""
    if len(line) > _COLOPHON_CHARS:
        return False
    folded = fold(line)
    owner = [m.group() for m in _OWNER.finditer(folded)]
    return bool(owner) and (len(set(owner)) >= 2 or _REACH.search(folded) is not None)


# A line of a long-form story's credits block ("Nội dung: Hoàng Lan", "Ảnh: Quang Vinh",
# "Thiết kế: Thu Hà"): a role, then the names
_CREDIT_ROLE = re.compile(r"(?:nội dung|bài(?: viết)?|ảnh|thiết kế|đồ họa|đồ hoạ|trình bày|video|"
                          r"kỹ thuật|thực hiện|biên tập|quay phim|dựng phim|sản xuất|chỉ đạo sản "
                          r"xuất|tổ chức sản xuất|tổ chức thực hiện|design|photo|text)"
                          r"(?:\s*(?:,|và|&|-|\+)\s*(?:ảnh|video|clip|đồ họa))?\s*:\s*\S.{0,80}",
                          re.I)


def _credits_outside_story(lines: list[str], tree: lxml.html.HtmlElement,
                           container: lxml.html.HtmlElement | None) -> int:
    """How many of the last ``lines`` are a credits block (two :data:`_CREDIT_ROLE` lines or
    more) shown outside the story's box: the body ``container``, else the element holding the
    body's last two lines of prose (a sapo above the story may sit outside it). The fixtures'
    convention: an author line inside the body's box is body, one outside it is not. Pages
    whose body does not end so pay nothing."""
    count = 0
    while count < min(len(lines) - 1, 8) and _CREDIT_ROLE.fullmatch(lines[-1 - count]):
        count += 1
    if count < 2:
        return 0
    prose = [line for line in lines[:-count] if len(line) >= _PROSE_LINE]
    prose = prose[-2:]
    wanted = {lines[-count], *prose}
    shown = {}
    for el in tree.iter("p", "div", "span", "li", "td", "section", "article"):
        text = " ".join(el.text_content().split())
        if text in wanted and text not in shown:
            shown[text] = el
    credits = shown.get(lines[-count])
    box = container
    if box is None and prose and prose[0] in shown and prose[-1] in shown:
        first, last = shown[prose[0]], shown[prose[-1]]
        box = next((a for a in first.iterancestors() if a is last or last in a.iterdescendants()),
                   None) if first is not last else first.getparent()
    if credits is None or box is None or credits is box \
            or any(a is box for a in credits.iterancestors()):
        return 0
    return count


_CHROME_ONLY_CHARS = 400  # a body this short may be the page's footer read for want of one
_LINK_LINE_CHARS = 250  # a line longer than this is prose, never one link's whole text


def _could_be_link_list(lines: list[str]) -> bool:
    """True when most of ``lines`` are short enough to be a link's whole text: what
    :func:`_without_link_lists` needs before it reads the page's links."""
    return sum(len(line) <= _LINK_LINE_CHARS for line in lines) * 2 > len(lines)


def _without_link_lists(lines: list[str], root: lxml.html.HtmlElement,
                        container: lxml.html.HtmlElement | None = None) -> list[str]:
    """``lines`` (trafilatura's text) without the lines that are each all one link's text,
    when those are most of its lines: on a page of little text (a one-line notice, a document,
    a photo) trafilatura reads the menus and the "Tin mới nhất" boxes, whose items are links.
    In a story such lines are few (a product named, a link list in the body) and stay. A link
    to a document ("Tải về", the file's name) is the notice's own. On a Vietnamese page whose
    body has its box (``container``, in ``root``), the lines that are the text of a link outside
    it and of none inside go however few: a menu's or a box's, not the story's."""
    if container is None and not _could_be_link_list(lines):
        return lines
    links = _link_keys(root, container)
    story = [line for line in lines
             if len(line) > _LINK_LINE_CHARS or _line_key(line) not in links]
    return story if container is not None or len(story) < len(lines) - len(story) else lines


def _link_keys(root: lxml.html.HtmlElement, container=None) -> set[str]:
    """The :func:`_line_key` of each link's whole text on the page, links to documents
    ("Tải về", the file's name: a notice's own) left out; with ``container``, only of links
    outside it whose text no link inside it has."""
    keys, own = set(), set()
    inside = set(container.iterdescendants("a")) if container is not None else set()
    for a in root.iter("a"):
        text = _text_of(a)
        # (the link's address up to its query or fragment)
        if len(text) <= 3 * _LINK_LINE_CHARS and not ATTACHMENT.search(
                (a.get("href") or "").strip().partition("?")[0].partition("#")[0]):
            (own if a in inside else keys).add(_line_key(text))
    return keys - own


def _prose_line_chars(lines: list[str]) -> int:
    """Characters of ``lines`` in lines of prose (:data:`_PROSE_LINE` characters or more)."""
    return sum(len(line) for line in lines if len(line) >= _PROSE_LINE)


def _looks_dumped(lines: list[str]) -> bool:
    """True when ``lines`` are mostly lines too short for prose, and many (see _DUMP_CHARS)."""
    short = sum(map(len, lines)) - _prose_line_chars(lines)
    return short >= _DUMP_CHARS and short > _DUMP_SHORT * (sum(map(len, lines)) - short)


def _reads_layout_table(lines: list[str]) -> bool:
    """True when most of the characters of ``lines`` (trafilatura's text) are in table rows
    ("| menu | story | sidebar |"): the page is laid out in a table and trafilatura's fast pass
    read the layout, its menu and sidebar cells with the story's. Its full pass sets a result
    with more tables than paragraphs aside for readability's; on L3S-GN1 (621 news pages of
    2008) 252 bodies read so, and on the 33 that held plain trafilatura's text and were longer,
    plain's was better on every one (up to +0.29). The rows hold a prose line's length on
    average (a layout's columns; 80 characters and more there): a data table's rows of figures
    (22 on a WCXB page of price tables) are the article's own."""
    rows = [len(line) for line in lines if len(line) > 1 and line[0] == line[-1] == "|"]
    return sum(rows) * 2 > sum(map(len, lines)) and sum(rows) >= _PROSE_LINE * len(rows)


def recover(lines: list[str], plain: str, unwanted, dumped: bool = False,
            shown: str | Callable[[], str | None] | None = None, fragment: bool = False,
            dump_ratio: float = _DUMP_RATIO) -> tuple[list[str], str | None]:
    """``lines`` completed with what plain trafilatura's text ``plain`` has and they lack.

    Returns ``(lines, flag)``: unchanged with flag None when ``lines`` already hold 90% of
    plain's words; plain's lines ("fallback_used") when ``lines`` are empty or mostly text
    plain does not have (another block was taken for the body); otherwise ``lines`` with each
    missing line of plain inserted after the last line they share before it, so the text
    stays in document order ("recovered_text"). Lines for which ``unwanted(line)`` is true
    (chrome, related headlines) are never brought in. A ``dumped`` body (menus and link lists
    around the story, :func:`_looks_dumped`) that holds plain's text and is more than
    ``dump_ratio`` times as long gives way to plain's lines ("fallback_used").

    With ``shown`` (:func:`_shown_key` of the page, or a function giving it when first needed)
    a line of plain's is brought in only as often as the page shows it beyond what the body
    has: plain also reads hidden copies of the story and of its metadata, and text it read
    there counts as text it disagrees on. A line repeating what the body says that the page
    does show again (a paragraph given twice) does not.

    A ``fragment`` (a body under :data:`_FRAGMENT` of the page's prose) is completed however
    much plain brings: the guard below, that a body of a few paragraphs stands when plain
    would more than double it, is for a body that may be the whole story.
    """
    theirs = [x for x in (_clean_text(x) for x in plain.split("\n")) if x and not unwanted(x)]
    mine, plain_words = _tokens("\n".join(lines)), _tokens("\n".join(theirs))
    total = sum(plain_words.values())
    common = sum((mine & plain_words).values())
    if dumped and total and common >= _HELD * total and sum(mine.values()) > dump_ratio * total:
        return theirs, "fallback_used"
    if not total or common >= _HELD * total:
        return lines, None
    if common < 0.5 * sum(mine.values()) or not lines:
        return theirs, "fallback_used"
    keys = [_line_key(x) for x in lines]
    inserts: dict[int, list[str]] = {}
    # words of ours that no line of plain's has been matched to yet: a paragraph the page
    # repeats is found missing once its first copy has used up the words the body has
    unclaimed = mine.copy()
    at = 0
    added = 0  # words brought in that the body does not already say
    told = _KeyCounts(" ".join(keys))
    for line in theirs:
        key, words = _line_key(line), _tokens(line)
        if sum((words & unclaimed).values()) >= _HELD * sum(words.values()):
            unclaimed -= words  # said already, in one line of ours or split into several
            order = chain(range(at, len(keys)), range(at))  # look ahead first: text runs forward
            shared = next((j for j in order if key and (key in keys[j] or (
                len(keys[j]) >= 20 and keys[j] in key))), None)
            if shared is not None:
                at = shared + 1
            continue
        if callable(shown):
            shown = shown()
        if isinstance(shown, str):
            shown = _KeyCounts(shown)
        if shown is not None and key and shown.count(key) <= told.count(key):
            added += sum(words.values())  # plain read what the page hides: a sign it strayed
            continue
        told.add(key)
        if sum((words & mine).values()) < _HELD * sum(words.values()):
            added += sum(words.values())
        inserts.setdefault(at, []).append(line)
    if not inserts:
        return lines, None
    body = sum(mine.values())
    if body >= _WHOLE_BODY_WORDS and added > _MAX_RECOVERED * body and not fragment:
        # A body of a few paragraphs, and more new text to bring in than the body itself: the
        # two disagree on what the article is (plain took comments, a footer, a neighbour
        # story) rather than the body missing a paragraph; the body found stands.
        return lines, "plain_disagrees"
    merged = []
    for i, line in enumerate(lines):
        merged += inserts.get(i, [])
        merged.append(line)
    return merged + inserts.get(len(lines), []), "recovered_text"


class _KeyCounts:
    """``str.count`` of keys in a text of word keys (:func:`_line_key`s, one space apart) that
    only grows at its end (:meth:`add`), each key's count carried on from where it was last
    taken. A key of three words or more is looked for only where its rarest inner word stands
    (wherever the key is, its inner words are whole words); a shorter one in the text itself.
    So neither a long page's thousands of lines nor one box repeated down it is each counted
    over the whole page again."""

    def __init__(self, text: str) -> None:
        self.parts, self.size = [text], len(text)
        self.words: list[str] = []  # the text split at its spaces
        self.starts: list[int] = []  # where each word starts in the text
        self.where: dict[str, list[int]] = {}  # word -> its places in ``words``
        self.at: dict[str, tuple] = {}  # key -> its count so far and where to look on
        self._index(text, 0)

    def _index(self, text: str, start: int) -> None:
        for word in text.split(" "):
            self.where.setdefault(word, []).append(len(self.words))
            self.words.append(word)
            self.starts.append(start)
            start += len(word) + 1

    def add(self, key: str) -> None:
        """The text followed by a space and ``key``."""
        self.parts.append(" " + key)
        self._index(key, self.size + 1)
        self.size += 1 + len(key)

    def count(self, key: str) -> int:
        keywords = key.split(" ")
        if len(keywords) < 3:
            if len(self.parts) > 1:
                self.parts = ["".join(self.parts)]
            text = self.parts[0]
            count, start = self.at.get(key, (0, 0))
            while (found := text.find(key, start)) >= 0:  # non-overlapping, as str.count
                count, start = count + 1, found + len(key)
            # no occurrence can start before where the key no longer fits (it may end past it)
            self.at[key] = (count, max(start, len(text) - len(key) + 1))
            return count
        inner = min(range(1, len(keywords) - 1),
                    key=lambda m: len(self.where.get(keywords[m], ())))
        count, end, inner, tried = self.at.get(key, (0, 0, inner, 0))
        spots = self.where.get(keywords[inner], [])
        lead = len(" ".join(keywords[:inner])) + 1  # the inner word's place in the key
        while tried < len(spots):
            first = spots[tried] - inner  # the word holding the key's first word
            if first + len(keywords) > len(self.words):
                break  # the text does not reach the key's end yet
            start = self.starts[spots[tried]] - lead
            tried += 1
            if first >= 0 and start >= end and self.words[first].endswith(keywords[0]) \
                    and self.words[first + 1:first + len(keywords) - 1] == keywords[1:-1] \
                    and self.words[first + len(keywords) - 1].startswith(keywords[-1]):
                count, end = count + 1, start + len(key)
        self.at[key] = (count, end, inner, tried)
        return count


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str) -> str:
    """trafilatura's body text of ``tree``, "" when it finds none. ``tree`` is left as it is
    (bare_extraction works on its own copy of a tree it is given).

    Content only: trafilatura's metadata pass (author XPaths, htmldate, licence, tags) cost
    more than its text extraction and mostly repeats what extract_article reads itself.

    For speed, the page's <head> (its scripts and styles gone with the noise) is taken out
    for the call and put back: trafilatura deletes it unread in its cleaning, after copying it
    and searching it for boxes (0.5 ms a page; none of the 466 wide-set results changes).
    """
    return _trafilatura_pass(tree, url)[0]


# The bodies trafilatura's recall escalation returned during the current fast pass (see
# :func:`_trafilatura_pass`); None outside one.
_recall_bodies: ContextVar[list | None] = ContextVar("_recall_bodies", default=None)
_recall_retry = getattr(trafilatura.core, "_recall_retry", None)


def _noting_recall_retry(*args, **kwargs):
    """trafilatura's recall escalation (stage 4 of its cascade), the body it returns noted for
    :func:`_trafilatura_pass`. trafilatura tells no caller which of its stages gave the text."""
    found = _recall_retry(*args, **kwargs)
    noted = _recall_bodies.get()
    if noted is not None:
        noted.append(found[0])
    return found


if _recall_retry is not None:  # (a trafilatura without the escalation: never noted)
    trafilatura.core._recall_retry = _noting_recall_retry


# trafilatura finds some boxes by testing EXSLT regular expressions on the class and id of every
# element, a call into Python each, though such boxes are on few pages: its raw-tree prunes
# (infinite-scroll containers, share buttons, comment sections: 6.0 ms a page of the 181-page
# benchmark, 1 to 76 pages with one) and the cookie banners of its "basic cleaning" (8.8 ms a
# page, 29 of the 458 wide-set pages with one), which takes boxes, footers and scripts out
# before its whole text is measured (its recall escalation's test, on any extracted text
# under 3000 characters, and its baseline dump). In tintuc's own passes the page's class and
# id values are read once, in one XPath, and searched at once: where none can match, those
# XPaths select nothing without their walk (the cleaning's other parts, 0.7 ms, still walk).
# Only XPaths read and found to select such elements alone are so replaced (by their text's
# hash: a trafilatura whose XPaths differ keeps its own).
_page_names: ContextVar[str | None] = ContextVar("_page_names", default=None)
_CLASSES_AND_IDS = etree.XPath(".//@class | .//@id")


def _names(tree) -> str:
    """The class and id values in ``tree``, one a line, each once. (A match of a pattern in one
    value is a match in them, ``^`` read at each line's start: never fewer matches, maybe more.
    Each once: half as long on the 181-page benchmark, half the time to search.)"""
    return "\n".join(dict.fromkeys(_CLASSES_AND_IDS(tree)))


_NAME_TESTS = re.compile(r"re:test\(@(?:id|class)(?:\|@class)?, '([^']*)'(, 'i')?\)"
                         r"|contains\(@class, '([^']*)'\)")
_NAMED_ONLY = frozenset({"c15751070b07", "12b073ccb20e", "7e7d885e629a"})  # (sha1 of the text)


class _NamedOnly:
    """One of trafilatura's XPaths that selects only elements with a class or id matching a
    pattern it names: in tintuc's passes, on a page where none can, nothing."""

    def __init__(self, xpath) -> None:
        self.xpath = xpath
        self.names = re.compile("|".join(dict.fromkeys(  # (one search for all its patterns)
            f"(?{'i' if flag else ''}:{tested or re.escape(contained)})"
            for tested, flag, contained in _NAME_TESTS.findall(xpath.path))), re.M)

    def __call__(self, tree, **variables) -> list:
        names = _page_names.get()
        if names is not None and not self.names.search(names):
            return []
        return self.xpath(tree, **variables)


for _xpaths in (trafilatura.xpaths.RAW_TREE_PRUNE_XPATH,
                trafilatura.xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH):
    _xpaths[:] = [_NamedOnly(x) if isinstance(x, etree.XPath) and hashlib.sha1(
        x.path.encode()).hexdigest()[:12] in _NAMED_ONLY else x for x in _xpaths]

_trafilatura_baseline = importlib.import_module("trafilatura.baseline")
_BASIC_CLEAN = getattr(_trafilatura_baseline, "BASIC_CLEAN_XPATH", None)
_BANNER = getattr(trafilatura.settings, "_COOKIE_CONSENT_RE", None)
_CLEANED_TAGS = (".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer"
                 "|.//script|.//style|.//svg|.//template")
_CLEANED_WITHOUT_BANNERS = etree.XPath(_CLEANED_TAGS)
_BANNER_WORDS = ("cookie", "consent", "borlabs", "cmplz", "onetrust", "moove")  # one in any match


def _names_banner(names: str) -> bool:
    """True when one of the class and id values ``names`` matches trafilatura's banner
    expression. (An ASCII value matches it only if it holds one of :data:`_BANNER_WORDS`, case
    aside: a cheaper test first.)"""
    if names.isascii() and not any(word in names.lower() for word in _BANNER_WORDS):
        return False
    return _COOKIE_BANNER.search(names) is not None


def _basic_clean_elements(tree) -> list:
    """The elements trafilatura's ``BASIC_CLEAN_XPATH`` selects in ``tree``, the same ones in
    the same order."""
    names = _page_names.get()
    if names is not None and not _names_banner(names):
        return _CLEANED_WITHOUT_BANNERS(tree)
    return _BASIC_CLEAN(tree)


if _BANNER is not None and isinstance(_BASIC_CLEAN, etree.XPath) and _BASIC_CLEAN.path == (
        f"{_CLEANED_TAGS}|.//*[re:test(@class, '{_BANNER}', 'i')"
        f" or re:test(@id, '{_BANNER}', 'i')]"):
    _COOKIE_BANNER = re.compile(_BANNER, re.I)
    _trafilatura_baseline.BASIC_CLEAN_XPATH = _basic_clean_elements


def _trafilatura_pass(tree: lxml.html.HtmlElement, url: str) -> tuple[str, str | None]:
    """:func:`_trafilatura_text` of ``tree``, and which stage of trafilatura's cascade gave
    that text if its full pass would not have reached it on the page: "baseline", its baseline
    dump (:func:`_baseline_dump`), or "recall", its recall escalation. Both follow an own
    extraction too
    short for the page (under ``min_extracted_size``; under a fifth of the page's text), and in
    the fast pass come next; the full pass first compares that extraction with readability's,
    and where readability finds more it takes that and goes no further. On L3S-GN1 (621 news
    pages of 2008) the fast pass took the escalation's text on 13 pages: on 8 it read menus and
    teasers with the story, and plain trafilatura's text (readability's) was better by 0.01 to
    0.16. trafilatura tells no caller which stage gave its text: the escalation's result is
    noted as it is returned (:func:`_noting_recall_retry`)."""
    head = tree.find("head")
    if head is not None and (head.tail or "").strip():
        head = None  # text after </head> goes with it: trafilatura is given the page whole
    index = tree.index(head) if head is not None else None
    if head is not None:
        tree.remove(head)  # (its tail with it, put back with it)
    escalations, names = _recall_bodies.set([]), _page_names.set(_names(tree))
    try:
        doc = bare_extraction(tree, options=_options(_FAST, url))
    except Exception:  # noqa: BLE001 - a trafilatura failure leaves the container text
        return "", None
    finally:
        recalled = _recall_bodies.get()
        _recall_bodies.reset(escalations)
        _page_names.reset(names)
        if head is not None:
            tree.insert(index, head)
    text = (doc.text if doc is not None else None) or ""
    if not text:
        return text, None
    if any(body is doc.body for body in recalled):
        return text, "recall"
    return text, "baseline" if _baseline_dump(doc.body) else None


def _baseline_dump(body) -> bool:
    """True when ``body`` (the <body> of trafilatura's result) is its ``baseline``: its own
    extraction found under ``min_extracted_size`` (250 characters) and, in the fast pass, it
    falls back on the page's text blocks one after another, menus and datelines with the
    story, where its full pass compares with readability's and takes that. The baseline
    builds fresh <p> elements holding text only; its own extraction's are the page's elements
    (they keep their source line) or hold its inline ones. On L3S-GN1 (621 news pages of 2008)
    the fast pass returned it on 19 pages, 9 of them below plain by 0.02 to 0.34."""
    return len(body) > 0 and all(el.tag == "p" and not len(el) and not el.attrib
                                 and el.sourceline is None for el in body)


# a body's headings and list items: trafilatura's own extraction, finding no element it
# knows for the body, falls back on the page's paragraphs and leaves these out
_OUTLINE = ("h2", "h3", "h4", "h5", "h6", "li", "dt", "dd")


def _body_block(page: lxml.html.HtmlElement | None, lines: list[str]):
    """The smallest element of ``page`` showing :data:`_HELD` of the prose of ``lines`` (the
    body found; of its lines found on the page), None when that is the page's <body> or most
    of the prose is not found. Where plain trafilatura brings in more than the body's own
    words (``plain_disagrees``), the headings and list items of this block that plain reads
    between the body's lines are the story's own: on WCXB's 968 article pages the 3 of the 5
    pages refused so where plain was better (by 0.28 to 0.45) were bodies whose headings and
    lists trafilatura's own extraction had left out; on the 2 others plain's further text is
    outside the block; on 4 pages of the wide set what plain adds inside it is comments after
    the body, captions, a heading given once per embed (a placeholder) and a summary above."""
    prose = [line for line in lines if len(line) >= _PROSE_LINE and line[0] != "|"]
    if page is None or not prose:
        return None
    pieces = [(" ".join(piece.split()), el) for el in page.iter()
              if isinstance(el.tag, str) and el.tag not in _NEVER_SHOWN
              for piece in (el.text, *(child.tail for child in el)) if piece and piece.strip()]
    shown: Counter = Counter()  # prose characters shown under each element
    found = 0  # (a line whose first words straddle an inline element is not looked for)
    for line in prose:
        start = " ".join(line.removeprefix("- ").split()[:4])  # ("- ": a list item's)
        el = next((el for piece, el in pieces if start in piece), None)
        for holder in (el, *el.iterancestors()) if el is not None else ():
            shown[holder] += len(line)
        found += len(line) if el is not None else 0
    if found < sum(map(len, prose)) / 2:
        return None
    need = _HELD * found
    block = next((el for el, chars in sorted(shown.items(), key=lambda kv: kv[1])
                  if chars >= need), None)
    return None if block is None or block.tag in ("body", "html") else block


def _paragraph_chars(root: lxml.html.HtmlElement) -> int:
    return sum(len(p.text_content().strip()) for p in root.iter("p"))


def _holds_most_paragraphs(tree: lxml.html.HtmlElement, container) -> bool:
    """True when ``container`` holds at least 3/4 of the text of the page's <p> elements
    (related and navigation boxes already removed): it is the story, not a teaser box."""
    body = tree.find("body")
    total = _paragraph_chars(body) if body is not None else 0
    return total >= 500 and _paragraph_chars(container) >= 0.75 * total


def _standalone(container: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of ``container`` as the body of a page of its own."""
    page = lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)
    page.find("body").append(copy.deepcopy(container))
    return page


def _byline(container: lxml.html.HtmlElement | None,
            tree: lxml.html.HtmlElement | None = None) -> str | None:
    """The author line of a Vietnamese article: a short element with an author-like class in
    the body container or just around it (``<p class="author">``, ``<div class="tac-gia">``).
    Several linked full names in it are the authors, joined by "; " as trafilatura joins
    JSON-LD's. A link to the author's page in it (``/tac-gia/…``) names the author without the
    badge or job title beside it; an agency in brackets after the name is left out ("Tâm Hằng
    (TTXVN)" is Tâm Hằng, so that one writer's stories share one author). Full names joined
    by dashes ("Hoàng Nga - Thu Trang") are several authors too. Without a container, the
    first such element after the headline in ``tree`` (comment authors come later)."""
    if container is not None:
        area = container.getparent() if container.getparent() is not None else container
        after_headline = True
    elif tree is not None and tree.find("body") is not None:
        area, after_headline = tree.find("body"), False
    else:
        return None
    for el in area.iter("h1", "p", "div", "span", "strong", "a", "address"):
        if el.tag == "h1":
            after_headline = True
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not after_headline or not _BYLINE_CLASS.search(names):
            continue
        linked = list(dict.fromkeys(text for a in el.iter("a")
                                    if _full_name(text := _clean_text(a.text_content()))))
        if len(linked) >= 2:
            return "; ".join(linked)  # "TUẤN LONG - QUỐC THẮNG": each linked name is an author
        named = next((a for a in el.iter("a") if _AUTHOR_PAGE.search(a.get("href") or "")
                      and _clean_text(a.text_content())), el)
        text = _AUTHOR_PREFIX.sub("", _clean_text(named.text_content()).strip(" -–—:"))
        if parse_vietnamese_date(text):  # "Minh Anh - 24/12/2025 09:30": the name alone
            text = " - ".join(part.strip() for part in _BYLINE_PARTS.split(text)
                              if part.strip() and not any(c.isdigit() for c in part))
        if credit := _CREDIT.fullmatch(text):
            text = credit.group(1)  # "Bài, ảnh: Minh Anh"
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
        text = _AFFILIATION.sub("", text)
        if 2 <= len(text) <= 60 and 1 <= len(text.split()) <= 8 and not text[0].isdigit():
            names = _DASHES.split(text)
            return "; ".join(names) if len(names) > 1 and all(map(_full_name, names)) else text
    return None


def _alnum(text: str) -> str:
    """``text`` folded to its letters and digits: "VCCorp.vn" and "VCCorp vn" are one name."""
    return "".join(re.findall(r"\w+", fold(text)))


def _full_name(text: str) -> bool:
    """A person's full name: two to five words, each capitalised, letters only ("Minh Anh",
    "QUỐC THẮNG"); not a button ("Xem các bài viết của tác giả") nor a single word ("Email")."""
    words = text.split()
    return 2 <= len(words) <= 5 and len(text) <= 40 and _capitalised(words)


def _capitalised(words: list[str]) -> bool:
    """Every word starts with a capital and holds only letters (initials' full stops aside)."""
    return all(w[0].isupper() and w.replace(".", "").isalpha() for w in words)


def _rel_author(tree: lxml.html.HtmlElement) -> str | None:
    """The text of the page's ``<a rel="author">`` (HTML's own mark of the author's link)."""
    for a in tree.iter("a"):
        if "author" in (a.get("rel") or "").lower().split():
            text = _clean_text(a.text_content())
            if 2 <= len(text) <= 60 and 1 <= len(text.split()) <= 8:
                return text
    return None


def _credit(lines: list[str]) -> str | None:
    """The author named by the body's last line, the Vietnamese credit line: "Tin, ảnh: P.Y",
    or a name alone ("Anh Dũng", "Thu Hà - Minh Anh"): up to five words, each capitalised,
    no digits or sentence punctuation (a caption or a sentence is no credit), and not a
    source ("Theo TTXVN")."""
    if not lines:
        return None
    last = lines[-1].strip()
    credit = _CREDIT.fullmatch(last)
    name = _AFFILIATION.sub("", (credit.group(1) if credit else last).strip(" -–—"))
    words = [w for w in name.split() if w not in "-–—&"]
    if not words or len(words) > 5 or len(name) > 40 or (
            not credit and len(words) < 2 and fold(name) not in _STAFF):
        return None
    if fold(words[0]) in ("theo", "nguon"):
        return None  # "Theo TTXVN": the story's source, not who wrote it
    if fold(name) in _STAFF:
        return name
    return name if _capitalised(words) else None


def _last_line_block(tree: lxml.html.HtmlElement, lines: list[str]) -> lxml.html.HtmlElement | None:
    """The paragraph that shows the body's last line (the body read without a container)."""
    last = lines[-1] if lines else None
    return next((p for p in tree.iter("p") if last and _clean_text(p.text_content()) == last),
                None)


def _line_after(container: lxml.html.HtmlElement | None) -> list[str]:
    """The first line of text after the body ``container`` (one level up when it is its box's
    last child), when it is a plain line: no heading, no link. Many templates close the story
    box before the credit line ("<p align=right><b>Thu Hằng</b></p>", an ASP.NET label)."""
    for box in (container, container.getparent()) if container is not None else ():
        for el in box.itersiblings() if box is not None else ():
            if not isinstance(el.tag, str) or el.tag in _NEVER_TEXT:
                continue
            text = _heading_text(el)
            if not text:
                continue
            if el.tag in ("h2", "h3", "h4", "h5", "h6") or el.find(".//a") is not None \
                    or el.tag == "a":
                return []
            return [text]
    return []


def _language(tree: lxml.html.HtmlElement, sample: str, metas: dict[str, str]) -> str | None:
    """Declared page language (``vi``, ``en``...), else ``vi`` when ``sample`` looks Vietnamese."""
    lang = tree.get("lang") or _meta(metas, "content-language", "og:locale", "language")
    lang = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if lang:
        return lang
    letters = [c for c in sample.casefold() if c.isalpha()]
    marked = sum(1 for c in letters if c in _VIETNAMESE_LETTERS)
    return "vi" if letters and marked >= 0.05 * len(letters) else None


def language_copies(tree: lxml.html.HtmlElement, url: str,
                    language: str | None = None) -> list[dict[str, str]]:
    """The page's copies in other languages its ``<link rel=alternate hreflang>`` tags name:
    ``[{"lang", "url"}]``, the language as given (lower case: ``en``, ``zh-hans``) and the URL
    canonical, on the page's own site only (``www.``/``m.`` aside; an edition on another site
    is another publication). Out: ``x-default`` (a chooser, not a language), the page itself
    (its URL, its ``<link rel=canonical>``), a URL named under the page's own language (the
    ``hreflang`` it gives itself, else ``language``: another address or a regional edition of
    the same text, "en-us" beside "en"), and a home page (``/``, ``/en/``: a site-wide language
    switch, no copy of the article)."""
    own, tags = set(), []
    for el in tree.iter("link"):
        rel, href = (el.get("rel") or "").lower().split(), (el.get("href") or "").strip()
        if href and ("canonical" in rel or ("alternate" in rel and el.get("hreflang"))):
            try:
                href = canonical_url(urljoin(url, href))
            except ValueError:
                continue
            if "canonical" in rel:
                own.add(href)
            else:
                tags.append((el.get("hreflang").strip().lower(), href))
    try:
        own.add(canonical_url(url))
    except ValueError:
        pass
    own_langs = {lang.split("-")[0] for lang, href in tags if href in own} or {language}
    own.update(href for lang, href in tags if lang.split("-")[0] in own_langs)
    site = MIRROR_LABEL.sub("", site_host(url))
    copies = {}
    for lang, href in tags:
        if lang != "x-default" and href not in own and href.startswith(("http:", "https:")) \
                and MIRROR_LABEL.sub("", site_host(href)) == site \
                and urlsplit(href).path.strip("/").lower() not in ("", lang, lang.split("-")[0]):
            copies.setdefault(href, lang)
    return [{"lang": lang, "url": href} for href, lang in copies.items()]


def _json_ld_page(scripts: list) -> lxml.html.HtmlElement:
    """A page holding only ``scripts`` (the page's JSON-LD, kept aside before its noise went),
    for trafilatura's JSON-LD reader."""
    page = lxml.html.document_fromstring("<html><head></head><body></body></html>",
                                         parser=_PARSER)
    page.find("head").extend(scripts)
    return page


_ARTICLE_TYPE = re.compile(r"article|posting|report", re.I)  # NewsArticle, BlogPosting, Report


def _json_ld_nodes(data) -> Iterator[dict]:
    """Every object in parsed JSON-LD ``data``, in document order."""
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (list, dict)):
                yield from _json_ld_nodes(value)


def _json_ld_authors(scripts: list) -> list[str]:
    """The names in the ``author`` of the page's first JSON-LD article (NewsArticle,
    BlogPosting…) that has one; a person given by ``@id`` only is looked up in the page's
    graph. Other persons of the graph (the site's owner, a commenter) are no authors."""
    nodes = []
    for script in scripts:
        try:
            nodes.extend(_json_ld_nodes(json.loads(script.text, strict=False)))
        except (ValueError, RecursionError):
            continue
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if not any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
            continue
        authors = node.get("author")
        authors = authors if isinstance(authors, list) else [authors]
        names: list[str] = []
        for author in authors:
            if isinstance(author, dict):
                author = by_id.get(author.get("@id"), author) if "name" not in author else author
                author = author.get("name")
            if isinstance(author, str) and author.strip() and _alnum(author) not in {
                    _alnum(name) for name in names}:
                names.append(" ".join(author.split()))
        if names:
            return names
    return []


def _json_ld_body(scripts: list) -> str:
    """The ``articleBody`` of the page's first JSON-LD article (NewsArticle, BlogPosting…)
    that states one, entities read; "" when none does."""
    for script in scripts:
        if "articleBody" not in script.text:  # (most pages state none: nothing parsed)
            continue
        try:
            nodes = list(_json_ld_nodes(json.loads(script.text, strict=False)))
        except (ValueError, RecursionError):
            continue
        for node in nodes:
            types = node.get("@type")
            types = types if isinstance(types, list) else [types]
            body = node.get("articleBody")
            if isinstance(body, str) and body.strip() and any(
                    isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
                return html_unescape(body)
    return ""


# trafilatura's AUTHOR_XPATHS and AUTHOR_DISCARD_XPATHS (2.3.1) as tests of one element, in
# Python: libxml2 spends ~4 ms a page on each of those four XPaths (their predicates, re:test()
# or contains() alike, are evaluated attribute by attribute), one pass in Python less than one.
# tests/test_author_search.py checks them against trafilatura's.
_BYLINE_TAGS = frozenset(("a", "address", "div", "link", "p", "span", "strong"))
_BYLINE_NAMES = ("authorname", "author-name", "AuthorName", "authorName")
_AUTHOR_TAGS = frozenset(("a", "div", "h3", "h4", "p", "span"))
_AUTHOR_IDS = ("author", "zuozhe", "bianji", "xiaobian")
_AUTHOR_CLASSES = ("author", "channel-name", "zuozhe", "bianji", "xiaobian", "submitted-by",
                   "posted-by", "journalist-name")
_ANY_AUTHOR_CLASSES = ("author", "Author", "screenname", "writer", "byline", "Byline")
# every name the tests of :func:`_author_elements` look for in an attribute ("byl" for "byline")
_AUTHOR_HINT = re.compile("author|Author|byl|BBL|Byline|username|zuozhe|bianji|xiaobian"
                          "|channel-name|submitted-by|posted-by|journalist-name|screenname|writer")
_NOT_AUTHOR_TAGS = frozenset(("a", "div", "section", "span"))
_NOT_AUTHOR_CLASSES = ("commentlist", "comments-list", "sidebar", "is-hidden", "quote",
                       "embedly-instagram", "article-share", "article-support", "print",
                       "category", "meta-date", "meta-reviewer")

# every name the tests of :func:`_not_author_elements` look for in an attribute
_NOT_AUTHOR_HINT = re.compile("comment|Comment|ProductReviews|title|date|sidebar|is-hidden|quote"
                              "|embedly-instagram|article-s|print|category|meta-|Figure")


def _author_elements(tree: lxml.html.HtmlElement) -> list[list]:
    """The elements each of trafilatura's three AUTHOR_XPATHS finds in ``tree``, in document
    order: the specific ones (``@rel='author'``, ``<author>``…), the usual ones (a class or id
    naming the author, a byline), any element naming one."""
    named_me = {rel.getparent() for rel in tree.iter("rel") if rel.text_content() == "me"}
    found: list[list] = [[], [], []]
    for el in tree.iter(tag=etree.Element):
        if el.tag != "author" and el not in named_me \
                and not _AUTHOR_HINT.search(" ".join(el.values())):
            continue  # (for speed: no attribute holds any of the names looked for below)
        cls, id_ = el.get("class") or "", el.get("id") or ""
        itemprop = el.get("itemprop") or ""
        if el.tag == "author" or el.tag in _BYLINE_TAGS and (
                "author" in (el.get("rel"), id_, cls) or itemprop == "author name"
                or el in named_me or el.get("data-testid") in ("AuthorCard", "AuthorURL")
                or any(name in cls for name in _BYLINE_NAMES)):
            found[0].append(el)
        if el.tag in _AUTHOR_TAGS and (
                cls in ("byline", "username", "byl", "BBL") or "author" in itemprop
                or any(name in id_ for name in _AUTHOR_IDS)
                or any(name in cls for name in _AUTHOR_CLASSES)):
            found[1].append(el)
        if "Byline" in (el.get("data-component") or "") or "author" in itemprop \
                or "author" in id_ or "Author" in id_ \
                or any(name in cls for name in _ANY_AUTHOR_CLASSES):
            found[2].append(el)
    return found


def _not_author_elements(tree: lxml.html.HtmlElement) -> list:
    """What trafilatura's AUTHOR_DISCARD_XPATHS find in ``tree`` (comments, sidebars, dates,
    figures), in its order: those boxes, then every <time> and <figure>."""
    boxes = []
    for el in tree.iterdescendants(*_NOT_AUTHOR_TAGS):
        if not _NOT_AUTHOR_HINT.search(" ".join(el.values())):
            continue  # (for speed: no attribute holds any of the names looked for below)
        cls, id_ = el.get("class") or "", el.get("id") or ""
        if id_.startswith("comments") or cls in ("comments", "title", "date") \
                or "commentlist" in id_ or "comment-list" in id_ or "ProductReviews" in id_ \
                or cls.startswith(("Comments", "comments")) \
                or any(name in cls for name in _NOT_AUTHOR_CLASSES) \
                or "Figure" in (el.get("data-component") or ""):
            boxes.append(el)
    return boxes


def _author_search(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's ``extract_author(tree)``: the first byline-like element's text, read on a
    copy of the page without its comments, sidebars, dates and figures. The copy is made only
    where it reads otherwise than the page: where a byline-like element outside those holds
    one of them (its text loses it) or the page has a ``<rel>`` (its text names bylines);
    elsewhere the copy's byline-like elements are the page's outside them, their text as on
    the page (for speed: the copy and its second walk cost ~2 ms a page)."""
    found = _author_elements(tree)
    if not any(found):
        return None  # no byline-like element: the copy, a part of the page, has none either
    pruned = {*_not_author_elements(tree), *tree.iter("time", "figure")}
    holding = {up for el in pruned for up in el.iterancestors()}
    found = [[el for el in elements if el not in pruned and pruned.isdisjoint(el.iterancestors())]
             for elements in found]
    if next(tree.iter("rel"), None) is not None or any(
            el in holding for elements in found for el in elements):
        tree = copy.deepcopy(tree)
        prune_unwanted_nodes(tree, [_not_author_elements, lambda page: list(
            page.iter("time", "figure"))])
        found = _author_elements(tree)
    author = extract_metainfo(tree, [lambda _: found[0], lambda _: found[1],
                                     lambda _: found[2]], len_limit=120)
    return normalize_authors(None, author) if author else None


def _trafilatura_metadata(tree: lxml.html.HtmlElement, url: str, title: bool, author: bool,
                          date: bool, metas: dict[str, str] | None = None,
                          json_ld: list | None = None) -> dict:
    """trafilatura's ``extract_metadata(tree, url).as_dict()``, its steps in its order, but
    only those that give what is asked for: the headline search when ``title``, the author
    search (a copy of the whole tree) when ``author``, htmldate's date search when ``date``;
    never its site name, categories, tags and licence, which are not used. Meta tags and
    JSON-LD (image, description, language…) are always read: from the ``json_ld`` scripts
    when given, as ``tree`` has lost its scripts by then."""
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    if found.author and metas is not None and _alnum(found.author) in {
            _alnum(metas.get(name) or "") for name in ("author", "article:author", "dable:author")}:
        found.author = None  # a meta author extract_article turned down ("VCCorp.vn")
    try:
        found = extract_meta_json(_json_ld_page(json_ld) if json_ld else tree, found)
    except Exception:  # noqa: BLE001 - as extract_metadata: bugs in its JSON-LD reader
        pass
    if found.author and metas is not None and _names_publisher(found.author, metas, url):
        found.author = None  # the publication's name: the page's byline is searched instead
    if title and not found.title:
        found.title = extract_title(tree)
    if author and not found.author:
        found.author = _author_search(tree)
        if found.author and metas is not None and _names_publisher(found.author, metas, url):
            found.author = None
    if date:
        found.url = found.url or extract_url(tree, url)
        found.date = _htmldate(tree, found.url)
    found.clean_and_trim()
    return found.as_dict()


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """htmldate's publication day of the page (its extensive search, as trafilatura runs it),
    or None. Given the intact page: on a tree that has lost its scripts and boxes it reads the
    date of whatever is left (a year in the URL, a copyright line) for the article's."""
    try:
        return find_date(tree, **set_date_params(True), url=url)
    except Exception:  # noqa: BLE001 - as trafilatura: a date search is optional
        return None


@assessed  # flags and confidence, when the extraction did not give its own
def extract_article(
    html: str | bytes, url: str, profile: dict | None = None, declared_encoding: str | None = None,
    hints: dict | None = None, decision: dict | None = None, only_articles: bool = False,
) -> dict | None:
    """Extract one page's article: its text and metadata; None when there is no text at all.

    Whether the page is an article is decided too, by
    :func:`pipelines.extractor.classify.classify_page` (``hints`` from the crawl go to it):
    the result carries it as ``page_kind`` ("article", "listing", "other") and
    ``page_reason``, with the ``attachments`` linked under the headline; ``decision``, when
    given, is filled with the ``kind`` and ``reason``. Extraction does not depend on that
    decision: whoever stores decides what to keep (the crawl stores articles only). With
    ``only_articles`` a page that is not an article returns None at once (the crawl's way:
    a listing costs no body extraction).

    ``html`` may be the bytes as received: they are decoded by :func:`decode_html`, with
    ``declared_encoding`` (the HTTP header's charset) as one of the candidates.

    ``profile`` may carry ``{"selectors": {"title", "date", "body", "related", "sapo"}}``
    CSS overrides. Returns a dict with ``url, title, description, text, published, updated,
    author, language, image, related, related_ids, languages`` (:func:`language_copies`);
    ``text`` puts the sapo first; ``url`` and the related links' URLs are canonical
    (:func:`crawler.urls.canonical_url`).
    """
    # the page as fetched ends before its closing tags: what it showed further is not in it
    # (read before a legacy font's text is converted, which writes the page anew)
    unclosed = html_ends_unclosed(html)
    html, converted = _legacy_fonts_to_unicode(html, declared_encoding)
    source = _source(html, declared_encoding)
    tree = _document(source)
    cut_short = tree is not None and _cut_short()
    selectors = _profile(url, profile)
    container = _find_container(tree, selectors.get("body")) if tree is not None else None
    hints = {**(hints or {}), "body_container": container is not None}
    kind, reason, attachments = ("other", "empty or unreadable page", []) if tree is None \
        else classify_page(tree, url, hints)
    if kind == "article" and (shown := tree.find("head/title")) is not None \
            and print_view_title(fold(" ".join(shown.text_content().split()))):
        # stored as the article it prints (its headline, date and whole text, without the
        # site's boxes), the reason saying what the capture is
        reason += " (a print view of the article)"
    if cut_short and kind != "article":  # the judgement saw only the page's first levels
        reason += f" (the page nests deeper than the parser reads, {_MAX_DEPTH} levels: not read)"
    unclosed = unclosed and tree is not None
    if unclosed and kind != "article":
        reason += " (the page ends before its closing </body></html>: cut short in transfer)"
    if decision is not None:
        decision.update(kind=kind, reason=reason)
    if tree is None or (kind != "article" and only_articles):
        return None
    metas = _meta_values(tree)
    # JSON-LD kept aside (the elements themselves, no copy): scripts go with the noise below
    json_ld = [el for el in tree.iter("script") if el.text
               and (el.get("type") or "").strip().lower() == "application/ld+json"]
    meta_description = _meta(metas, "description", "og:description", "twitter:description")
    title = _title(tree, selectors.get("title"), None, metas, container)
    language = _language(tree, f"{title} {meta_description}", metas)
    languages = language_copies(tree, url, language)  # its copies in other languages (hreflang)
    # Sapo and container walk follow Vietnamese conventions (the lead belongs to the body,
    # captions and the author line sit in the body container); elsewhere trafilatura decides.
    vietnamese = language == "vi" or bool(selectors)
    layout_cell = False  # the body container is a layout table's cell (no class named it)
    if vietnamese and not selectors.get("body"):
        if container is not None:
            container = _below_headline(container)
        else:
            container = _headline_cell(tree, title, url)
            layout_cell = container is not None
    sapo = _sapo(tree, container, selectors.get("sapo"), meta_description) if vietnamese else None
    date_el = _select(tree, selectors.get("date"))
    # a page that is not Vietnamese keeps the offset it states: its own calendar day; an
    # English edition under .vn writes Vietnam's dates and clock ("24 Dec 2025, 09:30")
    foreign = not vietnamese and not _vietnamese_host(url)
    published = parse_vietnamese_date(date_el[0].text_content()) if date_el else None
    named = named_elements(tree)  # (one walk for both dates' meta tags)
    published = published or find_published(tree, keep_offset=foreign, title=title, url=url,
                                            named=named)
    if not published:  # the URL's own stamp, else htmldate's guess from the page, read
        # before its boxes and scripts go (below); no guess for a story dated only relatively
        # (its page's dates are the site's clock or other stories')
        published = url_day(url) or (
            None if published == NO_DAY else _htmldate(tree, extract_url(tree, url)))
    updated = find_updated(tree, keep_offset=foreign, named=named)
    author = next((value for name in ("author", "article:author", "dable:author")
                   if (value := _AUTHOR_PREFIX.sub("", metas.get(name) or ""))
                   and not _names_publisher(value, metas, url)), None)
    if author and json_ld:  # a meta tag often names only the first of several authors
        listed = _json_ld_authors(json_ld)
        if len(listed) > 1 and _alnum(author) in {_alnum(name) for name in listed}:
            author = "; ".join(listed)
    image = _meta(metas, "og:image", "twitter:image")

    # The page's prose, counted before boxes go (their links do not count anyway). Only a body
    # not confirmed in its container is measured against it: for a Vietnamese page with a
    # container, it is counted later if needed, on the page parsed again (nothing is cut yet).
    prose = None if vietnamese and container is not None else prose_chars(tree)
    # without a container, the block holding the story's paragraphs stands in for it where
    # boxes and cards are looked for (on Vietnamese pages, whose conventions these are)
    story = story_block(tree) if vietnamese and container is None else None
    _drop_boxes(tree, container, vietnamese, story)  # tool bars, promotions: none is related
    related, related_ids = extract_related(tree, url, selectors.get("related"), [container],
                                           story)
    _drop_noise(tree)
    lines = block_lines(container) if vietnamese and container is not None else []
    body_extras = [*_captions(container, lines), sapo] if lines else []
    if layout_cell:  # the cell starts with the headline and its dateline: trafilatura may
        # leave them out, as the body does (below)
        body_extras += [line for line in lines if _chrome_line(line, title) or _date_line(line)]

    # A container holding most of the page's paragraphs is checked by trafilatura on itself
    # alone (a fraction of the page's cost); otherwise, or if they disagree, on the page. So is
    # a layout table's cell: on the page, trafilatura reads the layout rows (menu, sidebar,
    # footer) as one table, the story merged into one of its rows, and never agrees.
    tf_text, agreed = "", False
    if lines and (layout_cell or _holds_most_paragraphs(tree, container)):
        tf_text = _trafilatura_text(_standalone(container), url)
        agreed = bool(tf_text) and _agrees(_with_sapo(lines, sapo), tf_text, body_extras, True)
    stage = None  # the fast pass's text is from a stage the full pass skips (see below)
    if not agreed:
        tf_text, stage = _trafilatura_pass(tree, url)
        agreed = bool(tf_text) and _agrees(_with_sapo(lines, sapo), tf_text, body_extras, True)
        # trafilatura's baseline dump is every text block of the page (it found no story of
        # its own: a notice that is only a table, a photo, a document): no reading of the
        # story to weigh a named container against; the container's lines, all of them in
        # the dump, stand (the dump's menus and boxes are no more the story than it is)
        agreed = agreed or stage == "baseline" and bool(lines) and not (
            _tokens("\n".join(lines)) - _tokens(tf_text))
    if vietnamese and tf_text and not agreed:
        narrowed = _narrowed(tree, tf_text, sapo, story)
        if narrowed:
            lines, agreed = narrowed, True
    if tf_text and not agreed:
        lines = _without_link_lists([line for line in (_clean_text(x) for x in tf_text.split("\n"))
                                     if line and not _chrome_line(line, title)], tree,
                                    container if vietnamese else None)
    # the headline, a bare date line or a share row is page chrome, whichever path found it;
    # in a data table of the container it is the table's ("Ngày ban hành | 12/11/2025"), in
    # a preformatted block the block's (a log's "2025-12-19:")
    # (the tables read only when a line is in doubt: for speed, most bodies have none)
    chrome = [_chrome_line(line, title) or _date_line(line) for line in lines]
    data = _data_lines(container if container is not None else story if story is not None
                       else tree) if any(chrome) else frozenset()
    lines = [line for line, in_doubt in zip(lines, chrome, strict=True)
             if not in_doubt or line in data]
    # Never worse than plain trafilatura: a body short beside the page's prose is checked
    # against plain trafilatura's full extraction (only then: it costs as much again), and
    # what it finds and the body lacks is brought in, in document order. A body container
    # whose text trafilatura confirmed is not doubted.
    recovery = None
    dumped = container is None and _looks_dumped(lines)
    doubted = not dumped and not (agreed and container is not None)
    fetched_page: list = []  # the page as fetched, boxes and menus still there: parsed once,
    # and only if one of the checks below reads it (``tree`` has lost its boxes by now)

    def fetched() -> lxml.html.HtmlElement | None:
        if not fetched_page:
            fetched_page.append(_fetched(source))
        return fetched_page[0]

    if doubted and prose is None:
        prose = prose_chars(fetched())
    asked = dumped or doubted and _prose_line_chars(lines) < _LOOKS_SHORT * prose
    # a layout table read whole, or trafilatura's baseline dump of the page's text blocks or
    # its recall escalation (or the block it was narrowed to, as wide): plain's text, the
    # story as trafilatura's full pass reads such a page, replaces it if the body holds it and
    # is longer; nothing else is asked of it
    full_pass_differs = not asked and container is None and (
        stage is not None or _reads_layout_table(lines))
    headlines = {_line_key(r.get("text") or "") for r in related} - {""}

    def unwanted(line: str) -> bool:
        if _chrome_line(line, title) or _date_line(line):
            return True
        key = _line_key(line)  # a related list's item may show its date after the headline
        return key in headlines or _DATE_AFTER.sub("", key) in headlines

    if asked or full_pass_differs:
        page = fetched()
        if not _loads_as_document(page):  # a fragment: trafilatura reads its source its own way
            page = decode_html(html, declared_encoding) if isinstance(html, bytes) else html
        plain = _plain_trafilatura(page, url)
        if _could_be_link_list(plain.split("\n")) and fetched() is not None:
            plain = "\n".join(_without_link_lists(plain.split("\n"), fetched()))

        def shown() -> str | None:  # the page's text only if a line is to come in
            return None if fetched() is None else _shown_key(fetched())

        fragment = doubted and _prose_line_chars(lines) < _FRAGMENT * prose
        found, recovery = recover(_with_sapo(lines, sapo), plain, unwanted,
                                  dumped or full_pass_differs, shown, fragment,
                                  _ESCALATION_RATIO if stage == "recall" and full_pass_differs
                                  else 1.0 if full_pass_differs else _DUMP_RATIO)
        if full_pass_differs and (recovery != "fallback_used" or stage and _prose_line_chars(
                plain.split("\n")) < _DUMP_PROSE_KEPT * _prose_line_chars(lines)):
            recovery = None
        elif recovery == "plain_disagrees" and (block := _body_block(fetched(), lines)) is not None:
            # plain's further text is taken from the headings and lists of the block that
            # holds the body's own lines, between its first and last line (trafilatura's own
            # extraction, falling back on the page's paragraphs, leaves them out), not from
            # captions, embeds' placeholders, comments or neighbour stories
            outline = Counter(_shown_key(el) for el in block.iter(*_OUTLINE))
            found, completed = recover(lines, plain, unwanted, shown=" ".join(
                key for key, times in outline.items() if times == 1), fragment=True)
            first = next((i for i, line in enumerate(found) if line is lines[0]), None)
            last = next((i for i in range(len(found) - 1, -1, -1) if found[i] is lines[-1]),
                        None)  # (None: recovery left out the body's first or last line)
            if completed and first is not None and last is not None \
                    and last + 1 - first > len(lines):
                lines, recovery = found[first:last + 1], completed
        else:
            lines = found
    # the publisher's own statement of the body (schema.org's articleBody): where the body
    # holds less of it than it says, the page's lines it holds are brought in, in document
    # order (the page's, not the statement's: its text may be mis-encoded, marked up or cut
    # short). Of the 114 pages of WCXB and the wide set stating one, 3 gained (0.32 to 0.93,
    # 0.35 to 0.84, 0.87 to 0.92); none changed otherwise.
    stated = _json_ld_body(json_ld) if json_ld else ""
    said = _tokens(stated)
    if said and sum((_tokens("\n".join(lines)) & said).values()) < _HELD * sum(said.values()) \
            and fetched() is not None:
        key = _line_key(stated)
        told = [line for line in block_lines(fetched())
                if len(line) >= _PROSE_LINE and _line_key(line) in key]
        times = Counter(told)  # a line the page gives twice is a widget's (a sign-up notice)
        found, completed = recover(lines, "\n".join(x for x in told if times[x] == 1),
                                   unwanted, fragment=True)
        if completed == "recovered_text" or completed and not lines:
            lines, recovery = found, completed
    if container is None and lines and sum(map(len, lines)) < _CHROME_ONLY_CHARS:
        # a notice whose content is its document or its photo: trafilatura's text of it may
        # be the site's footer ("Cơ quan chủ quản … Địa chỉ …"), which is never the body
        shown = outside_asides(fetched(), [_line_key(line) for line in lines]) \
            if fetched() is not None else {}
        kept = []
        for line in lines:  # as many times as the page shows it outside them
            key = _line_key(line)
            if shown.get(key, 1) > 0:
                kept.append(line)
                if key in shown:
                    shown[key] -= 1
        lines = kept
    while lines and _colophon(lines[-1]):  # the site's footer, read for want of a body box
        lines.pop()  # (an e-magazine's full-width frame, a notice shorter than its footer)
    if len(lines) > 2 and _CREDIT_ROLE.match(lines[-1]):  # (a cheap look first)
        lines = lines[:len(lines) - _credits_outside_story(lines, tree, container)]
    if sapo and fold(sapo) not in fold(" ".join(lines)):
        lines.insert(0, sapo)
    text = "\n".join(lines)  # however short: a one-sentence notice is an article too
    error = error_page(title, text, attachments)
    down = None if error else maintenance_page(title, text, attachments)
    if error or down:  # a "not found" page in the site's template: the article is not there;
        kind, reason = "other", error or down  # a maintenance page: not there for now
        if decision is not None:
            decision.update(kind=kind, reason=reason, gone=bool(error))
        if only_articles:
            return None
    if not text and kind != "article":
        return None  # nothing to read, and nothing that says it is an article

    if vietnamese and not author:
        author = _byline(container, tree) or _rel_author(tree) or _credit(lines) \
            or _credit(_line_after(container if container is not None
                                   else _last_line_block(tree, lines)))
        if author and _names_publisher(author, metas, url):
            author = None  # e.g. "admin": WordPress shows its account as the byline
    # trafilatura's metadata only for what is still missing (rare on Vietnamese news pages):
    # for an author, JSON-LD's and trafilatura's own byline search
    found = {}
    if not (title and published and author and language):
        try:
            found = _trafilatura_metadata(tree, url, title=not title, author=not author,
                                          date=False, metas=metas, json_ld=json_ld)
        except Exception:  # noqa: BLE001 - metadata fallbacks are optional
            found = {}
    image = image or found.get("image")
    try:
        image = urljoin(url, image) if image else None
    except ValueError:
        image = None
    try:
        url = canonical_url(url)  # the spelling articles.url and related links are stored under
    except ValueError:
        pass
    result = {
        "url": url,
        "title": title or _clean_text(found.get("title")) or None,
        "description": sapo or meta_description or _clean_text(found.get("description")) or None,
        "text": text,
        "published": published or found.get("date"),
        "updated": updated,
        "author": author or _AUTHOR_PREFIX.sub("", _clean_text(found.get("author"))) or None,
        "language": language or found.get("language"),
        "image": image,
        "related": related,
        "related_ids": related_ids,
        "languages": languages,
        "attachments": attachments,
        "page_kind": kind,
        "page_reason": reason,
    }
    signals = _body_signals(tree, container, text, sapo, walked=agreed and container is not None,
                            page_size=len(html))
    result["flags"] = _flags(result, container, recovery, signals)
    if cut_short or unclosed:
        result["flags"] = sorted({*result["flags"], "page_cut_short"})
    if converted:
        result["flags"] = sorted({*result["flags"], "legacy_font_converted"})
    if _legacy_font_text(tree, text):
        result["flags"] = sorted({*result["flags"], "legacy_font_text"})
    result["confidence"] = _confidence(result["flags"], result, signals)
    return result


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


def _flags(result: dict, container, recovery: str | None, signals: dict | None = None
           ) -> list[str]:
    """How the extraction went, as short stable strings (stored in articles.extraction_flags):
    ``fallback_used`` / ``recovered_text`` (the body is, or was completed from, plain
    trafilatura's text), ``plain_disagrees`` (plain trafilatura found much more: kept ours),
    ``no_body_container``, what :func:`_body_signals` found wrong with the body:
    ``text_outside_container`` (much of the body lies outside the recognised body container:
    teasers or another block taken with or for the story), ``link_heavy`` (much of the body is
    the text of headline links: a teaser list or menu), ``short_lines`` (most of the body is in
    lines too short for prose: a list, a menu, a gallery), the date flags of
    :func:`pipelines.extractor.quality.assess` (``no_date``, ``date_from_url_only``) and how
    related news was found: ``related_by_<how>`` (heading, card, class, list, selector) or
    ``related_none``. (``page_cut_short``, the page nesting deeper than the parser reads or
    ending before its closing tags, is added by :func:`extract_article`.)"""
    flags = set(assess(result)[0])
    if recovery:
        flags.add(recovery)
    if container is None:
        flags.add("no_body_container")
    signals = signals or {}
    if signals.get("outside", 0.0) >= _FLAG_AT["outside"]:
        flags.add("text_outside_container")
    if signals.get("linked", 0.0) >= _FLAG_AT["linked"]:
        flags.add("link_heavy")
    if signals.get("prose", 1.0) < _FLAG_AT["prose"]:
        flags.add("short_lines")
    for entry in result["related"]:
        how = entry.get("found_by") or ("heading" if entry.get("block") else "card")
        flags.add(f"related_by_{how}")
    return sorted(flags)


_LINK_TEXT = 20  # characters: a headline's link; a word or two linked inside a sentence is less
# the texts of links, two ways to the same list. ".//a//text()" is twice as fast on a page of
# ordinary size (0.37 against 0.75 ms on the benchmark's pages, 144 links each), but libxml2
# merges each link's texts into the set found so far, a cost that grows with the square of the
# links (1.7 s for a menu of 35,000, on a 4 MB page); asking each text whether a link holds it
# is one walk of the page, used on big pages (and never for a root inside a link, whose texts
# are not all link texts of its own)
_LINK_TEXTS_WALK = etree.XPath(".//text()[ancestor::a]", smart_strings=False)
_LINK_TEXTS = etree.XPath(".//a//text()", smart_strings=False)
_LINK_TEXTS_WALK_FROM = 1_000_000  # characters of page


def _body_signals(tree: lxml.html.HtmlElement, container, text: str, sapo: str | None,
                  walked: bool, page_size: int = 0) -> dict:
    """What the body ``text`` itself shows about how well it was found, cheaply (read by
    :func:`_flags` and :func:`_confidence`; measured by ``bench/confidence_bench.py``).
    ``walked``: the body is ``container``'s own text (trafilatura agreed with it).
    ``page_size``: the page's length, which chooses how link texts are read (below).

    * ``outside``: the share of the body's words that the recognised body ``container`` does
      not hold, the sapo aside (it sits outside the body box by design); only when there is a
      container and the body is not its own text.
    * ``linked``: the share of the body's characters in lines that are mostly link text: text
      runs of :data:`_LINK_TEXT` or more characters inside the page's links (``container``'s
      when the body is its text), as teasers and menus are; a sentence with a link is not.
    * ``prose``: the share of the body's characters in lines of prose (:data:`_PROSE_LINE`).
    """
    lines = text.split("\n")
    chars = sum(len(x) for x in lines)
    if not chars:
        return {}
    signals = {"prose": _prose_line_chars(lines) / chars}
    root = container if walked else tree
    texts = (_LINK_TEXTS_WALK if page_size >= _LINK_TEXTS_WALK_FROM
             and next(root.iterancestors("a"), None) is None
             else _LINK_TEXTS)(root)  # one XPath pass: no element proxies
    anchors = {" ".join(x.split()) for x in texts if len(x) >= _LINK_TEXT}
    anchors = [a for a in anchors if len(a) >= _LINK_TEXT and a in text]  # (once normalised)
    signals["linked"] = sum(len(x) for x in lines if anchors and 2 * sum(
        len(a) for a in anchors if a in x) >= len(x)) / chars
    if container is not None and not walked:
        mine = _tokens("\n".join(x for x in lines if x != sapo))
        held = sum((mine & _tokens(container.text_content())).values())
        signals["outside"] = 1.0 - held / sum(mine.values()) if mine else 0.0
    return signals


# What each doubt costs the confidence figure (1.0: nothing to doubt). The date flags cost
# nothing: the figure is about the text (a doubtful date is doubtful by its flag alone).
_DOUBTS = {"fallback_used": 0.4, "recovered_text": 0.25, "plain_disagrees": 0.1,
           "no_body_container": 0.05, "page_cut_short": 0.5, "legacy_font_text": 0.5,
           "legacy_font_converted": 0.1}
# Doubts that grow with a signal of :func:`_body_signals`: none up to the first figure, the
# full cost from the second on, in proportion between (``prose`` doubts as it falls).
_RAMPS = {"outside": (0.05, 0.4, 0.6), "linked": (0.05, 0.4, 0.6), "prose": (0.7, 0.1, 0.6)}
_FLAG_AT = {"outside": 0.15, "linked": 0.15, "prose": 0.5}  # a signal flagged from here on
_NOT_ARTICLE = 0.3  # the page classifier took the page for a listing or other
_SHORT_TEXT = 300  # characters: a notice may be this short, an article rarely is


def _confidence(flags: list[str], result: dict, signals: dict | None = None) -> float:
    """How sure the extraction is of the text, 0..1: 1 less what each doubt costs
    (:data:`_DOUBTS` for flags, :data:`_RAMPS` for the body's signals), a page the classifier
    did not take for an article, a missing title and a very short text."""
    doubt = sum(_DOUBTS.get(flag, 0.0) for flag in flags)
    grown = {name: cost * min(1.0, max(0.0, (signals[name] - start) / (full - start)))
             for name, (start, full, cost) in _RAMPS.items() if name in (signals or {})}
    # text that recovery brought in is often the text outside the container: one doubt, the
    # larger of the two
    recovered = max((_DOUBTS[f] for f in flags if f in ("fallback_used", "recovered_text")),
                    default=0.0)
    grown["outside"] = max(0.0, grown.get("outside", 0.0) - recovered)
    doubt += sum(grown.values())
    doubt += _NOT_ARTICLE if result.get("page_kind", "article") != "article" else 0.0
    doubt += 0.2 if not result["title"] else 0.0
    doubt += 0.15 if len(result["text"]) < _SHORT_TEXT else 0.0
    return round(max(0.0, 1.0 - doubt), 2)
