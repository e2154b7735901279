"""Small readers of a parsed page, shared by the extractor's modules: an element's text, a line
with its white space collapsed, a CSS selection, the page's ``<meta>`` values, a URL's host and
path, the URL its links are relative to, the tags whose text is never shown."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from pipelines.text import nfc

_NEVER_TEXT = ("script", "style", "noscript", "template")


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


def _split(url: str) -> tuple[str, str]:
    """Host and path of ``url`` ("" for both when it cannot be parsed)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", ""
    return parts.netloc.lower(), parts.path


def _paragraph_chars(root: lxml.html.HtmlElement) -> int:
    return sum(len(p.text_content().strip()) for p in root.iter("p"))


def link_base(tree: lxml.html.HtmlElement, url: str) -> str:
    """The URL the page's relative links are read against, as a browser reads them: its first
    ``<base href>`` (itself relative to ``url`` when written so), else ``url``."""
    href = next((b.get("href").strip() for b in tree.iter("base") if (b.get("href") or "").strip()),
                None)
    if not href:
        return url
    try:
        return urljoin(url, href)
    except ValueError:  # a malformed base ("http://x.vn:abc/") is no base
        return url
