""""View as archived": a page as it was captured, read from its WARC record, never from the
network. ``/-/tintuc/archived/<db>/<article id>`` shows an article's capture,
``/-/tintuc/archived/<db>/capture/<capture id>`` any capture (the pages and images an archived
page links to).

An HTML page is served as the site sent it, rewritten with lxml so that it stays inside the
archive: each link or resource that was captured points to its archived copy, the others are
made inert (a link loses its ``href`` and says "not in the archive" on hover; an image, style
or script loses its source), ``<base>`` and ``<meta http-equiv=refresh>`` are dropped, and a
banner says when and from where it was captured. A page that cannot be rewritten safely (too
large, undecodable, unparsable) is replaced by the article's stored text under a banner that
says so. Other captures (images, style sheets) are served as they were.

A captured page is untrusted: everything is served with ``Content-Security-Policy: sandbox``
(a unique origin, no scripts, no forms) and a policy that loads nothing but archived copies
from this server, so its scripts never run in the Datasette origin and opening it does not
reach the live site.
"""

from __future__ import annotations

import asyncio
import html
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from datasette import hookimpl
from datasette.utils.asgi import Response
from lxml import etree

from pipelines.archive.captures import charset_of, warc_path
from pipelines.archive.warc import read_record
from tintuc.web.archive import readable_archive

ARCHIVED_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; media-src 'self'; form-action 'none'; base-uri 'none'"
)
ARCHIVED_HEADERS = {
    "Content-Security-Policy": ARCHIVED_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
REWRITE_LIMIT = 5_000_000  # bytes: a larger page is shown as its stored text
MAX_UNDECODABLE = 0.01  # share of characters its declared charset cannot decode
HTML_TYPES = ("text/html", "application/xhtml+xml")
LOOKUP_CHUNK = 500  # URLs per query (SQLite's parameter limit is far above)
BANNER_ID = "tintuc-archived-banner"
BANNER_STYLE = (
    "all:initial;display:block;position:sticky;top:0;z-index:2147483647;background:#fff8d6;"
    "color:#222;border-bottom:2px solid #c9a400;padding:6px 12px;font:14px/1.4 sans-serif"
)
NOT_ARCHIVED_STYLE = "[data-tintuc-not-archived]{cursor:not-allowed}"


@hookimpl(specname="register_routes")
def archived_routes():
    return [
        (r"^/-/tintuc/archived/(?P<database>[^/]+)/(?P<id>\d+)$", archived_view),
        (r"^/-/tintuc/archived/(?P<database>[^/]+)/capture/(?P<capture>\d+)$", capture_view),
    ]


def archived_url(datasette, database: str, article_id) -> str:
    return datasette.urls.path(
        f"/-/tintuc/archived/{urllib.parse.quote(database, safe='')}/{article_id}"
    )


def capture_url(datasette, database: str, capture_id) -> str:
    return datasette.urls.path(
        f"/-/tintuc/archived/{urllib.parse.quote(database, safe='')}/capture/{capture_id}"
    )


@dataclass
class Capture:
    id: int
    url: str
    time: str | None
    warc_file: str
    warc_offset: int
    content_type: str | None


def _page(message: str, status: int) -> Response:
    return Response.text(message, status=status, headers=ARCHIVED_HEADERS)


async def archived_view(datasette, request):
    """An article's page as captured, sandboxed; a short text page if it is gone."""
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    rows = (await db.execute(
        "select a.id, a.title, a.text, c.id as capture_id, c.url, c.time, c.warc_file, "
        "c.warc_offset, c.content_type from articles a "
        "join captures c on c.id = a.capture_id where a.id = :id",
        {"id": int(request.url_vars["id"])},
    )).rows  # fmt: skip
    if not rows or not rows[0]["warc_file"]:
        return _page("No capture of this article is archived.", 404)
    row = dict(rows[0])
    capture = Capture(row["capture_id"], row["url"], row["time"], row["warc_file"],
                      row["warc_offset"], row["content_type"])  # fmt: skip
    return await _serve(datasette, db, name, capture, row)


async def capture_view(datasette, request):
    """Any capture, sandboxed: a page rewritten like an article's, anything else as it was."""
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    rows = (await db.execute(
        "select id, url, time, warc_file, warc_offset, content_type from captures "
        "where id = :id", {"id": int(request.url_vars["capture"])},
    )).rows  # fmt: skip
    if not rows or not rows[0]["warc_file"]:
        return _page("This capture is not archived.", 404)
    capture = Capture(*rows[0])
    article = (await db.execute(
        "select id, title, text from articles where url = :url", {"url": capture.url}
    )).rows  # fmt: skip
    return await _serve(datasette, db, name, capture, dict(article[0]) if article else None)


async def _serve(datasette, db, name: str, capture: Capture, article: dict | None) -> Response:
    if not db.path:
        return _page("The archived copy needs a database file.", 404)
    path = warc_path(Path(db.path).resolve().parent, capture.warc_file)
    if not path.exists():
        return _page(f"The archived copy is not available: WARC file missing: {path.name}", 404)
    try:
        record = await asyncio.to_thread(read_record, path, capture.warc_offset)
    except Exception as exc:  # noqa: BLE001 - a damaged record is a page saying so
        return _page(f"The archived copy is unreadable ({type(exc).__name__}).", 500)
    content_type = record.headers.get("content-type") or capture.content_type or "text/html"
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return Response(record.content, status=200, content_type=content_type,
                        headers=ARCHIVED_HEADERS)  # fmt: skip
    back = (datasette.urls.row(name, "articles", str(article["id"])) if article
            else datasette.urls.database(name))  # fmt: skip
    banner = _banner(capture, back, "back to the article" if article else "back to the archive")
    page_url = record.url or capture.url  # links are relative to the response's URL
    page = await asyncio.to_thread(_parse, record.content, charset_of(content_type), page_url)
    if isinstance(page, str):  # why it cannot be shown as the site sent it
        return _text_page(banner, page, article)
    links = await asyncio.to_thread(_links, page)
    archived = await _captured(db, links)
    targets = {url: capture_url(datasette, name, cid) for url, cid in archived.items()}
    body = await asyncio.to_thread(_rewrite, page, page_url, targets, banner)
    return Response(body, status=200, content_type="text/html; charset=utf-8",
                    headers=ARCHIVED_HEADERS)  # fmt: skip


def _banner(capture: Capture, back: str, back_text: str) -> str:
    when = (capture.time or "an unknown time").replace("T", " ")[:16]
    return (
        f'<div id="{BANNER_ID}" style="{BANNER_STYLE}">Archived copy captured {html.escape(when)}'
        f' UTC from <code style="all:unset;font-family:monospace">{html.escape(capture.url)}'
        f'</code>; <a style="all:unset;color:#0645ad;text-decoration:underline;cursor:pointer" '
        f'href="{html.escape(back)}">{back_text}</a></div>'
    )


def _parse(content: bytes, charset: str | None, url: str) -> lxml.html.HtmlElement | str:
    """The page's tree with its links made absolute, or why it cannot be rewritten safely."""
    if len(content) > REWRITE_LIMIT:
        return f"the page is too large to show as captured ({len(content):,} bytes)"
    text = None  # no charset said and not UTF-8: the parser reads the page's <meta charset>
    if charset:
        try:  # a few stray bytes are common; a page mostly not in its charset is not shown
            text = content.decode(charset, errors="replace")
        except LookupError:
            return f"the page cannot be decoded as {charset} (an unknown charset)"
        if text.count("\ufffd") > MAX_UNDECODABLE * len(text):
            return f"the page cannot be decoded as {charset}"
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        doc = lxml.html.document_fromstring(content if text is None else _no_xml_decl(text))
    except (etree.ParserError, ValueError) as exc:
        return f"the page cannot be parsed ({exc})"
    for el in doc.xpath("//base | //meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']"):
        el.drop_tree()
    doc.make_links_absolute(url, resolve_base_href=False, handle_failures="discard")
    for el in doc.xpath("//*[@srcset]"):  # lxml leaves srcset alone
        el.set("srcset", ", ".join(f"{urllib.parse.urljoin(url, src)} {size}".strip()
                                   for src, size in _srcset(el.get("srcset"))))  # fmt: skip
    return doc


def _no_xml_decl(text: str) -> str:
    """lxml refuses a str that declares its encoding."""
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


def _links(doc: lxml.html.HtmlElement) -> set[str]:
    """Every URL the page links to or loads (fragments cut), srcset candidates included."""
    urls = {_without_fragment(link) for _el, _attr, link, _pos in doc.iterlinks()}
    for el in doc.xpath("//*[@srcset]"):
        urls.update(_without_fragment(url) for url, _ in _srcset(el.get("srcset")))
    return {url for url in urls if url.startswith(("http://", "https://"))}


async def _captured(db, urls: set[str]) -> dict[str, int]:
    """Of ``urls``, those captured with a 2xx answer kept in a WARC file: url -> capture id
    (the latest)."""
    found: dict[str, int] = {}
    ordered = sorted(urls)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start:start + LOOKUP_CHUNK]
        rows = (await db.execute(
            f"select url, max(id) from captures where url in ({', '.join('?' * len(chunk))}) "
            "and warc_file is not null and status between 200 and 299 group by url", chunk,
        )).rows  # fmt: skip
        found.update({url: cid for url, cid in rows})
    return found


def _rewrite(doc: lxml.html.HtmlElement, page_url: str, targets: dict[str, str],
             banner: str) -> str:  # fmt: skip
    """The page with every link pointing into the archive or made inert, and the banner."""

    def archived(link: str) -> str | None:
        base, fragment = _split_fragment(link)
        if base == _without_fragment(page_url) and fragment:
            return "#" + fragment
        target = targets.get(base)
        if target is None:
            return None
        return target + ("#" + fragment if fragment else "")

    for el in doc.xpath("//a[@href] | //area[@href]"):
        href = el.get("href")
        if archived(href) is None:
            del el.attrib["href"]
            el.set("data-tintuc-not-archived", href)
            el.set("title", f"Not in the archive: {href}")
    for el in doc.xpath("//*[@srcset]"):
        kept = [f"{new} {size}".strip() for url, size in _srcset(el.get("srcset"))
                if (new := archived(url))]  # fmt: skip
        if kept:
            el.set("srcset", ", ".join(kept))
        else:
            del el.attrib["srcset"]
    # lxml's rewrite_links, except that a link not archived empties a URL inside CSS (not the
    # whole style) and removes an attribute; CSS URLs come last to first, so positions hold
    for el, attrib, link, pos in list(doc.iterlinks()):
        if attrib == "srcset":
            continue
        new = archived(link.strip())
        css = attrib is None or attrib == "style"
        if new is None and not css:
            el.attrib.pop(attrib, None)
            continue
        new = new or "about:invalid"
        old = el.text if attrib is None else el.get(attrib)
        if old is None:
            continue
        changed = old[:pos] + new + old[pos + len(link):]
        if attrib is None:
            el.text = changed
        else:
            el.set(attrib, changed)
    head = doc.find("head")
    if head is not None:
        style = etree.SubElement(head, "style")
        style.text = NOT_ARCHIVED_STYLE
    body = doc.find("body")
    if body is None:
        body = etree.SubElement(doc, "body")
    body.insert(0, lxml.html.fragment_fromstring(banner))
    return etree.tostring(doc.getroottree(), method="html", encoding="unicode")


def _srcset(value: str | None) -> list[tuple[str, str]]:
    """``srcset``'s candidates as (url, descriptor); URLs with commas are not told apart."""
    candidates = []
    for part in (value or "").split(","):
        url, _, size = part.strip().partition(" ")
        if url:
            candidates.append((url, size.strip()))
    return candidates


def _split_fragment(url: str) -> tuple[str, str]:
    base, _, fragment = url.partition("#")
    return base, fragment


def _without_fragment(url: str) -> str:
    return _split_fragment(url)[0]


def _text_page(banner: str, reason: str, article: dict | None) -> Response:
    """The stored text instead of a page that cannot be shown safely, under a banner."""
    if article and article.get("text"):
        title = html.escape(article.get("title") or "")
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n")
                             if p.strip())  # fmt: skip
        content = f"<h1>{title}</h1>{paragraphs}"
    else:
        content = "<p>No stored text for this page.</p>"
    body = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Archived text</title></head>'
        f"<body>{banner}<p style=\"{BANNER_STYLE};position:static;background:#fde2e2;"
        f'border-color:#c00">Shown as text: {html.escape(reason)}. Below is the text tintuc '
        f"extracted from it.</p>{content}</body></html>"
    )
    return Response(body, status=200, content_type="text/html; charset=utf-8",
                    headers=ARCHIVED_HEADERS)  # fmt: skip
