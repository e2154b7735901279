"""Find related-news blocks on Vietnamese article pages, record their links, remove them.

A block is found by its heading text ("Tin liên quan", "Đọc thêm", ...; compared after
accent folding), by class/id patterns of inline related cards, or by a CSS selector from a
site profile. Navigation boxes ("Đọc nhiều", "Tin mới nhất", ...) and tag lists are removed
too but not reported. Everything is removed from the tree so that no headline leaks into the
body handed to trafilatura.

Related URLs come out canonical (:func:`crawler.urls.canonical_url`, the spelling the spider
stores ``articles.url`` under), so ``related_links.to_url`` joins ``articles.url`` as is.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.cssselect import CSSSelector

from crawler.urls import canonical_url
from pipelines.text import fold, nfc

RELATED_HEADINGS = frozenset({
    "tin tuc khac", "tin lien quan", "tin cung chuyen muc", "cung chuyen muc", "doc them",
    "bai lien quan", "bai doc tiep", "co the ban quan tam", "xem them", "tin khac",
    "tin bai lien quan", "bai viet lien quan", "co the ban muon doc", "ban co the quan tam",
    "tin tuc lien quan", "tin bai khac", "bai viet khac", "bai khac", "tin da dua", "tin cung loai",
    "bai cung chuyen muc", "tin bai cung chuyen muc", "xem them tin", "doc them tin",
})
_LIST_PREFIX = re.compile(r"^(?:cac|nhung) ")
NAV_HEADINGS = frozenset({
    "doc nhieu", "xem nhieu", "tin moi nhat", "tin noi bat", "tin moi", "moi nhat",
    "tin doc nhieu", "tin xem nhieu", "tin nong", "tieu diem", "doc nhieu nhat",
    "xem nhieu nhat", "tin dia phuong",
})
TAG_HEADINGS = frozenset({"tu khoa", "tags", "tag", "chu de", "tu khoa lien quan"})

_RELATED_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article-relate|relate-?news|related-?news|relate-listnews|tin-?lien-?quan"
    r"|box-?relate[ds]?|related-?(?:posts?|articles?|stories)|news-?relate|insert-?news"
    r"|relatednewsbox|tinlienquan|lien-?quan)(?:$|[\s_-])",
    re.I,
)
# Attributes that mark an embedded article card: VCCorp type="RelatedNewsBox", CMS embeds
# data-vnnembedtype="article", data-type="related" ...
_EMBED_ATTRS = ("type", "data-type", "data-embed-type", "data-vnnembedtype")
_EMBED_VALUE = re.compile(r"^(?:article|news|related\w*|relatednews\w*)$", re.I)
_TAG_CLASS = re.compile(r"(?:^|[\s_-])(?:article__tags|tags?-?(?:list|box|item)s?|keywords?)"
                        r"(?:$|[\s_])", re.I)
_HEADING_CLASS = re.compile(r"title|heading|head|tit\b|label|caption", re.I)
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "header"})
_HEADING_LIKE = frozenset({"div", "span", "p", "strong", "b", "label", "section", "td", "th"})
_CONTAINERS = frozenset({"div", "section", "aside", "ul", "ol", "table", "article", "nav"})
_NON_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|tu-khoa|chu-de|topic|author|tac-gia|search|tim-kiem)(?:/|$|-)"
    r"|-tag\d*(?:\.\w+)?$|/(?:tag|tu-khoa)\w*\.\w+$", re.I)
_ID_QUERY = re.compile(r"(?:^|&)(?!cat|cm|zone|page|chuyen|menu|lang)[\w.-]*id[\w.-]*=\d+(?:&|$)",
                       re.I)
_ID_TYPES = {"tin_xemthem": "Xem thêm", "tin_lienquan": "Tin liên quan"}
_MAX_CLIMB = 5
_MAX_TEXT_PER_LINK = 600


def heading_key(text: str) -> str:
    """Fold a heading for comparison: "Từ khóa:" -> "tu khoa", "Các tin khác" -> "tin khac"."""
    return _LIST_PREFIX.sub("", " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split()))


def is_article_url(url: str, page_url: str) -> bool:
    """Heuristic: an http(s) URL other than the page whose last segment carries an id or slug.

    Both URLs are compared canonical: ``page.html#comments`` or ``page.html?utm_source=fb`` is
    the page itself, and a tracking parameter (``utm_id=5``) never passes for an article id.
    """
    try:
        url = canonical_url(url)
        parts = urlsplit(url)
        if url == canonical_url(page_url):
            return False
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or _NON_ARTICLE_PATH.search(parts.path):
        return False
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    # ASP.NET/SharePoint portals carry the id in the query: ChiTietTinTuc.aspx?nid=12345
    if _ID_QUERY.search(parts.query):
        return True
    return bool(re.search(r"\d{4,}", last)) or last.count("-") >= 3


def _is_heading(el: lxml.html.HtmlElement) -> bool:
    if el.tag in _HEADING_TAGS:
        return True
    return el.tag in _HEADING_LIKE and bool(_HEADING_CLASS.search(el.get("class") or ""))


class _ArticleLinks:
    """Resolves ``<a href>`` to canonical article URLs for one page, memoised by href: the
    same links are looked at again for every heading's candidate blocks."""

    def __init__(self, base: str, page_url: str):
        self.base, self.page_url = base, page_url
        self.memo: dict[str, str | None] = {}

    def url(self, a: lxml.html.HtmlElement) -> str | None:
        """The canonical URL of link ``a`` if it points to an article, else None."""
        href = (a.get("href") or "").strip()
        if href in self.memo:
            return self.memo[href]
        url = None
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            try:
                url = canonical_url(urljoin(self.base, href))
            except ValueError:  # a malformed host or port ("http://x.vn:abc/") is no link
                url = None
        if url and not is_article_url(url, self.page_url):
            url = None
        self.memo[href] = url
        return url

    def within(self, block: lxml.html.HtmlElement,
               skip: lxml.html.HtmlElement | None = None) -> list:
        """``(a, url)`` for the article links inside ``block`` (outside ``skip``)."""
        links = []
        for a in block.iter("a"):
            if skip is not None and _is_descendant(a, skip):
                continue
            url = self.url(a)
            if url:
                links.append((a, url))
        return links


def _is_descendant(el: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def _document_position(el: lxml.html.HtmlElement) -> int:
    """Index of ``el`` in document order (counted by XPath in C, not by walking in Python)."""
    return int(el.xpath("count(preceding::*) + count(ancestor::*)"))


def _acceptable(block: lxml.html.HtmlElement, links: list, protected: list) -> bool:
    """A block may be removed if it holds links, no h1 and no protected element (body)."""
    if not links or block.tag in ("body", "html") or next(block.iter("h1"), None) is not None:
        return False
    if any(_is_descendant(p, block) for p in protected):
        return False
    link_chars = sum(len(a.text_content()) for a, _ in links)
    return len(block.text_content()) - link_chars <= _MAX_TEXT_PER_LINK * len(links)


def _block_for_heading(heading, links_of: _ArticleLinks, protected):
    """The smallest ancestor (within a few levels) that holds article links after ``heading``.

    A heading heads the links that follow it: an ancestor whose article links all come before
    the heading (an empty, script-filled box at the end of a column) is not its block.
    """
    node = heading
    for _ in range(_MAX_CLIMB):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        links = links_of.within(parent, skip=heading)
        if links:
            order = {el: i for i, el in enumerate(parent.iter())}
            if all(order[a] < order[heading] for a, _ in links):
                return None
            return parent if _acceptable(parent, links, protected) else None
        node = parent
    return None


def _embedded_card(el: lxml.html.HtmlElement, protected: list) -> bool:
    """An article card embedded in the body: marked by an embed attribute, or a small <article>
    nested inside the body container (a teaser card, not the story itself)."""
    if any(_EMBED_VALUE.match((el.get(name) or "").strip()) for name in _EMBED_ATTRS):
        return True
    if el.tag != "article":
        return False
    size = len(el.text_content())
    return size <= _MAX_TEXT_PER_LINK and any(
        p is not None and p is not el and _is_descendant(el, p)
        and size < 0.3 * len(p.text_content()) for p in protected)


def _near_body_lists(tree, links_of: _ArticleLinks, protected: list) -> list:
    """Heading-less lists of related headlines next to the body ("Tin liên quan" under the sapo).

    A <ul>/<ol> of two or more items, each item nothing but one headline link (four words or
    more) to an article, inside the body container or its parent/grandparent. Menus and
    sidebars further away are left to the heading rules.
    """
    areas = []
    for p in protected:
        if p is not None:
            areas.append(next((a for i, a in enumerate(p.iterancestors()) if i == 1), p))
    found = []
    for area in areas:
        for el in area.iter("ul", "ol"):
            items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
            if (len(items) >= 2 and not _headed(el)
                    and all(_headline_item(li, links_of) for li in items)):
                found.append(el)
    return found


def _headed(el: lxml.html.HtmlElement) -> bool:
    """True when a box title (a short heading) precedes ``el`` in its box: the heading rules
    decide for titled boxes; a sapo in an <h2> is not a box title."""
    siblings = [s for s in el.itersiblings(preceding=True) if isinstance(s.tag, str)]
    parent = el.getparent()
    if not siblings and parent is not None:  # first in its box: look just before the box
        siblings = [s for s in parent.itersiblings(preceding=True) if isinstance(s.tag, str)][:1]
    for sib in siblings:
        heads = [sib] if _is_heading(sib) else list(sib.iter(*_HEADING_TAGS))
        if any(0 < len(h.text_content().strip()) <= 60 for h in heads):
            return True
    return False


def _headline_item(li, links_of: _ArticleLinks) -> bool:
    links = links_of.within(li)
    if not links:
        return False
    text = " ".join(li.text_content().split())
    link_text = " ".join(" ".join(a.text_content() for a, _ in links).split())
    return len(link_text.split()) >= 4 and len(text) <= len(link_text) + 20


def _is_heading_link(a: lxml.html.HtmlElement) -> bool:
    """A block heading that is itself a link ("Có thể bạn quan tâm" -> category page)."""
    key = heading_key(a.text_content())
    if key not in RELATED_HEADINGS and key not in NAV_HEADINGS:
        return False
    return _is_heading(a) or any(_is_heading(p) for p in list(a.iterancestors())[:3])


def _anchor_text(a: lxml.html.HtmlElement) -> str:
    title = nfc(a.get("title")) or ""
    if title:
        return " ".join(title.split())
    text = " ".join(a.text_content().split())
    if text:
        return nfc(text) or ""
    img = next(a.iter("img"), None)
    return nfc(img.get("alt")) or "" if img is not None else ""


def _block_name(block: lxml.html.HtmlElement) -> str:
    for el in block.iter():
        if isinstance(el.tag, str) and _is_heading(el):
            text = " ".join(el.text_content().split())
            if heading_key(text) in RELATED_HEADINGS:
                return nfc(text.rstrip(":")) or ""
    return ""


def _drop(el: lxml.html.HtmlElement) -> None:
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


def extract_related(
    tree: lxml.html.HtmlElement,
    page_url: str,
    css: str | None = None,
    protected: list | None = None,
) -> tuple[list[dict], list[dict]]:
    """Collect related-news links from ``tree`` and remove related, navigation and tag boxes.

    ``css`` is an optional profile selector for related blocks; ``protected`` lists elements
    (the body container) that no removed block may contain. Returns ``(related, related_ids)``
    where related entries are ``{"url", "text", "block", "position"}`` in page order and
    related_ids are ``{"block", "ids"}`` for script-filled boxes that only carry article ids.
    """
    protected = protected or []
    links_of = _ArticleLinks(tree.base_url or page_url, page_url)
    blocks: list[tuple[lxml.html.HtmlElement, str]] = []
    doomed: list[lxml.html.HtmlElement] = []
    related_ids: list[dict] = []

    if css:
        try:
            for el in CSSSelector(css)(tree):
                blocks.append((el, _block_name(el)))
        except Exception:  # noqa: BLE001 - a bad profile selector must not break extraction
            pass

    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        kind = el.get("data-component-type")
        ids = re.findall(r"\d+", el.get("data-component-value") or "") if kind in _ID_TYPES else []
        if ids:
            related_ids.append({"block": _ID_TYPES[kind], "ids": ids})
            doomed.append(el)
            continue
        if _is_heading(el):
            text = el.text_content()
            # box titles are a few words ("Các tin liên quan:"); teaser headlines are longer
            key = heading_key(text) if len(text) < 80 and len(text.split()) <= 10 else ""
            if key in TAG_HEADINGS:
                block = el.getparent()
                if block is not None and block.tag not in ("body", "html"):
                    doomed.append(block)
                continue
            if key not in RELATED_HEADINGS and key not in NAV_HEADINGS:
                continue
            block = _block_for_heading(el, links_of, protected)
            if block is None:
                continue
            if key in RELATED_HEADINGS:
                blocks.append((block, nfc(" ".join(text.split()).rstrip(":")) or ""))
            else:
                doomed.append(block)
        elif el.tag in _CONTAINERS:
            cls = f"{el.get('class') or ''} {el.get('id') or ''}"
            if _RELATED_CLASS.search(cls) or _embedded_card(el, protected):
                links = links_of.within(el)
                if _acceptable(el, links, protected):
                    blocks.append((el, _block_name(el)))
            elif _TAG_CLASS.search(cls) and not any(_is_descendant(p, el) for p in protected):
                doomed.append(el)

    for el in _near_body_lists(tree, links_of, protected):
        if not any(_is_descendant(el, b) for b, _ in blocks + [(d, "") for d in doomed]):
            blocks.append((el, ""))

    blocks.sort(key=lambda b: _document_position(b[0]))
    kept: list[tuple[lxml.html.HtmlElement, str]] = []
    for el, name in blocks:
        if not any(_is_descendant(el, k) for k, _ in kept):
            kept.append((el, name))

    related: list[dict] = []
    seen: dict[str, dict] = {}
    for el, name in kept:
        for a, url in links_of.within(el):
            if _is_heading_link(a):
                continue
            text = _anchor_text(a)
            if url in seen:  # canonical: two spellings of one link are one entry
                if not seen[url]["text"]:
                    seen[url]["text"] = text
                continue
            seen[url] = {"url": url, "text": text, "block": name, "position": len(related)}
            related.append(seen[url])

    for el in doomed + [el for el, _ in kept]:
        if not any(_is_descendant(p, el) for p in protected):
            _drop(el)
    return related, related_ids

