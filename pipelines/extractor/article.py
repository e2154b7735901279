"""Article extraction for Vietnamese news pages.

Pipeline: decode bytes (legacy Vietnamese encodings included) -> parse with lxml -> read
metadata (title, dates, sapo) from the intact tree -> find, record and remove related-news,
navigation and tag boxes -> strip styles, scripts, comments and ad slots -> body text from the
article container when one is recognised, otherwise from trafilatura -> sapo first.
"""

from __future__ import annotations

import codecs
import copy
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata

from crawler.urls import canonical_url
from pipelines.extractor.dates import (
    find_published,
    find_updated,
    parse_vietnamese_date,
    published_meta,
)
from pipelines.extractor.related import extract_related, is_article_url
from pipelines.text import fold, nfc

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML text
_VIETNAMESE_FALLBACKS = ("cp1258", "cp1252")

_BODY_CLASS = re.compile(
    r"(?:^|\s)(?:article__body|article-body|articlebody|fck_detail|edittor-content|"
    r"detail-content|content-detail|detail__content|detail-content-body|singular-content|"
    r"cms-body|article-content|news-content|post-content|entry-content|the-article-body|"
    r"maincontent|detail__cmain-main|dt-news__content|contentdetail|content-fck|fck-content|"
    # SharePoint rich-text field and Vietnamese names used by provincial portals
    r"ms-rtestate-field|noidung|noi-dung|noidung-tin|noi-dung-tin|noidungtin|chitiet-noidung|"
    r"content-news|news-content-detail|tin-noidung)(?:$|\s)",
    re.I,
)
_SAPO_CLASS = re.compile(r"sapo|chapeau|description|summary|lead|excerpt|intro|teaser|abstract",
                         re.I)
_AD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ads?|adv|advert\w*|banner|baner-\w+|sponsor\w*|sda_\w+|rennab|qc|"
    r"quang-?cao|sys-ads|ads-item)(?:$|[\s_-])",
    re.I,
)
_BYLINE_CLASS = re.compile(r"author|byline|tac-?gia|tacgia|writer|nguoi-?viet|nhuanbut", re.I)
_LEAD_PREFIX = re.compile(r"^\(?[\w .]{2,24}\)?\s*[-–—]$")
_NEVER_TEXT = ("script", "style", "noscript", "template")
_SKIP_TAGS = frozenset({"iframe", "svg", "form", "button", "select", "textarea", "object",
                        "embed", "video", "audio", "canvas"})
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "figcaption", "figure",
    "blockquote", "section", "article", "table", "tr", "td", "th", "pre", "dd", "dt", "dl",
    "header", "footer", "aside", "main", "center", "address", "br", "hr",
})
_MIN_CHARS = 100  # fewer non-space characters than this: not an article
_VIETNAMESE_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")

# Small per-site rules, keyed by host suffix, for templates the general rules miss.
SITE_PROFILES: dict[str, dict] = {}


def decode_html(body: bytes, declared_encoding: str | None = None) -> str:
    """Decode an HTML page to NFC text.

    Tries a BOM, then strict UTF-8 (multi-byte UTF-8 is never accidental), then the page's
    ``<meta charset>`` / http-equiv, the declared HTTP charset, and finally the legacy
    Vietnamese code page cp1258 (which decodes to NFD and is normalised to NFC). A lying
    header therefore cannot force U+FFFD into the text when another encoding fits.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return nfc(body.decode(name, errors="replace")) or ""
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
            return nfc(body.decode(name)) or ""
        except (UnicodeDecodeError, LookupError):
            continue
    return nfc(body.decode(candidates[1] if len(candidates) > 1 else "utf-8", "replace")) or ""


def _parse(html: str | bytes, declared_encoding: str | None = None) -> lxml.html.HtmlElement | None:
    text = decode_html(html, declared_encoding) if isinstance(html, bytes) else nfc(html)
    text = _CONTROL.sub("", _XML_DECL.sub("", text or ""))
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _clean_text(text: str | None) -> str:
    return nfc(" ".join((text or "").split())) or ""


def _select(tree: lxml.html.HtmlElement, css: str | None) -> list:
    if not css:
        return []
    try:
        return CSSSelector(css)(tree)
    except Exception:  # noqa: BLE001 - a bad profile selector must not break extraction
        return []


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in wanted and key not in values and (el.get("content") or "").strip():
            values[key] = _clean_text(el.get("content"))
    return next((values[n.lower()] for n in names if n.lower() in values), None)


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
    sizes = {el: len("".join(el.text_content().split())) for el in candidates}
    largest = max(sizes.values())
    inner = [el for el in candidates if sizes[el] >= 0.6 * largest
             and not any(o is not el and el in o.iterancestors() for o in candidates
                         if sizes[o] >= 0.6 * largest)]
    return max(inner or candidates, key=lambda el: sizes[el])


def _title(tree: lxml.html.HtmlElement, css: str | None, fallback: str | None) -> str | None:
    chosen = [_clean_text(el.text_content()) for el in _select(tree, css)]
    if chosen and chosen[0]:
        return chosen[0]
    meta = _meta(tree, "og:title", "twitter:title") or _clean_text(
        next(iter(tree.xpath("//title/text()")), ""))
    h1s = [t for t in (_clean_text(h.text_content()) for h in tree.iter("h1")) if t]
    if meta:
        folded = fold(meta)
        for h1 in h1s:
            if fold(h1) in folded or folded in fold(h1):
                return h1
    if len(h1s) == 1 and len(h1s[0].split()) >= 3:
        return h1s[0]
    if meta:
        return max(re.split(r"\s+[|–—-]\s+", meta), key=len)
    return fallback


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
        if not _outside(el, container) or next(el.iter("a", "h1"), None) is not None:
            continue
        text = _clean_text(el.text_content())
        if len(text) >= 40 and _SAPO_CLASS.search(el.get("class") or ""):
            return _with_prefix(el)
        if twin is None and wanted and abs(len(text) - len(wanted)) <= 3 and fold(text) == wanted:
            twin = el
    return _with_prefix(twin) if twin is not None else None


def _drop_noise(tree: lxml.html.HtmlElement) -> None:
    """Remove comments, scripts, styles and other never-text elements (inline CSS included)."""
    for el in list(tree.iter(etree.Comment, etree.ProcessingInstruction, *_NEVER_TEXT)):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:  # keep the text that follows the removed node
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    # a form that holds paragraphs is page structure (ASP.NET, broken HTML), not a form:
    # unwrap it so trafilatura, which drops forms, still sees the text inside
    for form in list(tree.iter("form")):
        if form.getparent() is not None and form.find(".//p") is not None:
            form.drop_tag()


def _skipped(el: lxml.html.HtmlElement) -> bool:
    """Elements whose text never belongs to a body: forms (those holding paragraphs were
    unwrapped by :func:`_drop_noise`), embeds, ad slots, hidden boxes."""
    return (el.tag in _SKIP_TAGS or bool(_AD_CLASS.search(el.get("class") or ""))
            or "display:none" in (el.get("style") or "").replace(" ", ""))


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


_CHROME = re.compile(r"^(?:chia sẻ(?: bài viết)?|share|in bài(?: viết)?|print|lưu tin|gửi email)"
                     r"(?:\s*(?:facebook|zalo|twitter))?:?$", re.I)


def _chrome_line(line: str, title: str | None) -> bool:
    """A line of page chrome that trafilatura kept: the headline repeated, share/print rows."""
    words = " ".join(line.replace("|", " ").split())
    if not words:
        return True
    if title and abs(len(words) - len(title)) <= 10 and fold(words) == fold(title):
        return True  # (folding keeps the length of Vietnamese text: most lines need no fold)
    return bool(_CHROME.match(words))


def _date_line(line: str) -> bool:
    """A short line that is nothing but a date (the dateline shown under the headline)."""
    return len(line) <= 48 and parse_vietnamese_date(line) is not None and not re.search(
        r"[^\W\d_]{4,}", re.sub(r"(?i)thứ \w+|chủ nhật|cập nhật|ngày|tháng|năm|gmt", "", line)
    )


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.casefold()))


def _agrees(lines: list[str], text: str) -> bool:
    """True when container ``lines`` hold most of trafilatura's words and add few of their own.

    The container walk keeps captions and author lines that trafilatura drops; when it adds
    much more than that (galleries, teasers inside a broad container) trafilatura is trusted.
    """
    mine, theirs = _tokens("\n".join(lines)), _tokens(text)
    total = sum(theirs.values())
    if not total:
        return False
    common = sum((mine & theirs).values())
    return common >= 0.9 * total and sum(mine.values()) - common <= 0.15 * total


def _source_block(tree: lxml.html.HtmlElement, text: str) -> lxml.html.HtmlElement | None:
    """The innermost block that still holds 90% of ``text``'s words (where trafilatura found it).

    Walks down from <body>: at most one child can hold 90% of the words, so this is cheap.
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
            return node


def _narrowed(tree: lxml.html.HtmlElement, text: str) -> list[str]:
    """Body lines from the block trafilatura's ``text`` came from, when they agree with it.

    Used when the recognised container is a broad wrapper. The lead often sits outside the
    body block (an <h2> sapo above it), so the text without its first line is tried too.
    """
    first, _, rest = text.partition("\n")
    for head, part in (([], text), ([_clean_text(first)], rest)):
        source = _source_block(tree, part) if part.strip() else None
        if source is not None and _agrees(block_lines(source), part):
            return head + block_lines(source)
    return []


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str) -> str:
    """trafilatura's body text of ``tree`` (which it may change), "" when it finds none.

    Content only: trafilatura's metadata pass (author XPaths, htmldate, licence, tags) cost
    more than its text extraction and mostly repeats what extract_article reads itself.
    """
    try:
        doc = bare_extraction(tree, url=url, with_metadata=False, fast=True,
                              include_comments=False, include_tables=True)
    except Exception:  # noqa: BLE001 - a trafilatura failure leaves the container text
        return ""
    return (doc.text if doc is not None else None) or ""


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
    page = lxml.html.document_fromstring("<html><body></body></html>")
    page.find("body").append(copy.deepcopy(container))
    return page


def _byline(container: lxml.html.HtmlElement | None) -> str | None:
    """The author line of a Vietnamese article: a short element with an author-like class in
    the body container or just around it (``<p class="author">``, ``<div class="tac-gia">``)."""
    if container is None:
        return None
    area = container.getparent() if container.getparent() is not None else container
    for el in area.iter("p", "div", "span", "strong", "a", "address"):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _BYLINE_CLASS.search(names):
            continue
        text = _clean_text(el.text_content()).strip(" -–—:()")
        if 2 <= len(text) <= 60 and 1 <= len(text.split()) <= 8 and not text[0].isdigit():
            return text
    return None


def _teaser_links(tree: lxml.html.HtmlElement, url: str) -> tuple[int, int]:
    """Count links to articles with headline-length text: (inside h2-h5, anywhere)."""
    headline_links = teasers = 0
    for a in tree.iter("a"):
        if len(a.text_content().split()) < 5:
            continue
        try:
            target = urljoin(url, a.get("href") or "")
        except ValueError:
            continue
        if is_article_url(target, url):
            teasers += 1
            headline_links += any(p.tag in ("h2", "h3", "h4", "h5") for p in a.iterancestors())
    return headline_links, teasers


def _language(tree: lxml.html.HtmlElement, sample: str) -> str | None:
    """Declared page language (``vi``, ``en``...), else ``vi`` when ``sample`` looks Vietnamese."""
    lang = tree.get("lang") or _meta(tree, "content-language", "og:locale", "language")
    lang = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if lang:
        return lang
    letters = [c for c in sample.casefold() if c.isalpha()]
    marked = sum(1 for c in letters if c in _VIETNAMESE_LETTERS)
    return "vi" if letters and marked >= 0.05 * len(letters) else None


def extract_article(
    html: str | bytes, url: str, profile: dict | None = None, declared_encoding: str | None = None
) -> dict | None:
    """Extract one article page; None when the page holds no article body.

    ``html`` may be the bytes as received: they are decoded by :func:`decode_html`, with
    ``declared_encoding`` (the HTTP header's charset) as one of the candidates.

    ``profile`` may carry ``{"selectors": {"title", "date", "body", "related", "sapo"}}``
    CSS overrides. Returns a dict with ``url, title, description, text, published, updated,
    author, language, image, related, related_ids``; ``text`` puts the sapo first; ``url`` and
    the related links' URLs are canonical (:func:`crawler.urls.canonical_url`).
    """
    tree = _parse(html, declared_encoding)
    if tree is None:
        return None
    selectors = _profile(url, profile)
    container = _find_container(tree, selectors.get("body"))
    meta_description = _meta(tree, "description", "og:description", "twitter:description")
    title = _title(tree, selectors.get("title"), None)
    language = _language(tree, f"{title} {meta_description}")
    # Sapo and container walk follow Vietnamese conventions (the lead belongs to the body,
    # captions and the author line sit in the body container); elsewhere trafilatura decides.
    vietnamese = language == "vi" or bool(selectors)
    sapo = _sapo(tree, container, selectors.get("sapo"), meta_description) if vietnamese else None
    date_el = _select(tree, selectors.get("date"))
    published = parse_vietnamese_date(date_el[0].text_content()) if date_el else None
    published = published or find_published(tree)
    updated = find_updated(tree)
    author = _meta(tree, "author", "article:author", "dable:author")
    image = _meta(tree, "og:image", "twitter:image")

    og_type = (_meta(tree, "og:type") or "").lower()
    strong = container is not None or og_type == "article" or published_meta(tree)
    if _split(url)[1] in ("", "/") and _split(url)[0]:
        return None  # a site's home page is never an article
    related, related_ids = extract_related(tree, url, selectors.get("related"), [container])
    _drop_noise(tree)
    lines = block_lines(container) if vietnamese and container is not None else []
    headline_links, teasers = (0, 0) if strong else _teaser_links(tree, url)

    # A container holding most of the page's paragraphs is checked by trafilatura on itself
    # alone (a fraction of the page's cost); otherwise, or if they disagree, on the page.
    tf_text, agreed = "", False
    if lines and _holds_most_paragraphs(tree, container):
        tf_text = _trafilatura_text(_standalone(container), url)
        agreed = bool(tf_text) and _agrees(lines, tf_text)
    if not agreed:
        tf_text = _trafilatura_text(copy.deepcopy(tree), url)
        agreed = bool(tf_text) and _agrees(lines, tf_text)
    if vietnamese and tf_text and not agreed:
        narrowed = _narrowed(tree, tf_text)
        if narrowed:
            lines, agreed = narrowed, _agrees(narrowed, tf_text)
    if tf_text and not agreed:
        lines = [line for line in (_clean_text(x) for x in tf_text.split("\n"))
                 if line and not _chrome_line(line, title)]
    # the headline, a bare date line or a share row is page chrome, whichever path found it
    lines = [line for line in lines if not _chrome_line(line, title) and not _date_line(line)]
    if sapo and fold(sapo) not in fold(" ".join(lines)):
        lines.insert(0, sapo)
    text = "\n".join(lines)
    # Without article markup, many headline links around little text means a listing page.
    listing = headline_links >= 8 or teasers * 1000 >= 15 * len(text)
    if listing or len("".join(text.split())) < _MIN_CHARS:
        return None

    if author and author.startswith("http"):
        author = None
    if vietnamese and not author:
        author = _byline(container)
    # trafilatura's metadata only for what is still missing (rare on Vietnamese news pages)
    found = {}
    if not (title and published and (author or vietnamese) and language):
        try:
            found = extract_metadata(tree, url).as_dict()
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
    return {
        "url": url,
        "title": title or _clean_text(found.get("title")) or None,
        "description": sapo or meta_description or _clean_text(found.get("description")) or None,
        "text": text,
        "published": published or found.get("date"),
        "updated": updated,
        "author": author or _clean_text(found.get("author")) or None,
        "language": language or found.get("language"),
        "image": image,
        "related": related,
        "related_ids": related_ids,
    }
