"""Discovery without a site profile: feeds, sitemaps and pagers, recognised by their shape.

Plain functions over URLs and response bytes (no DOM on the reactor thread: see ANCHOR_OPEN),
each unit tested on small snippets (tests/test_discovery.py); the spider
(crawler/spiders/news.py) wires them in.

* **Feeds**: ``<link rel="alternate" type="application/rss+xml|atom+xml">`` in a page's head,
  links that look like feeds, and a few usual paths tried once per site (``GUESSED_FEED_PATHS``).
* **Sitemaps**: the ``Sitemap:`` lines of robots.txt and ``/sitemap.xml``; a sitemap index
  leads to more sitemaps, a urlset (news sitemaps included) to pages. Parsing is Scrapy's own
  :class:`scrapy.utils.sitemap.Sitemap` and :func:`sitemap_urls_from_robots`.
* **Pagers**, by shape rather than by a list of sites: a "next" link ("Trang sau", "Tiếp",
  "»", ``rel=next`` …), a numbered widget (links whose texts are increasing page numbers in one
  container), a link to this same listing with another page number (``?page=N``, ``/trang-N``,
  ``/page/N`` …), a GET form or a page list asking for another page number of this listing
  ("Đến trang [n] [Đi]", ``<select onchange>``), SharePoint list paging
  (``Paged=TRUE&PageFirstRow=N``) and ASP.NET postback pagers (``__doPostBack(target,
  argument)``, ``WebForm_PostBackOptions`` or submit buttons numbered or "Trang sau", in a
  form holding ``__VIEWSTATE``).
* **Priorities**: what reveals articles (robots.txt, sitemaps, feeds, listings) is fetched
  before the articles it revealed, so the extraction workers never wait on discovery.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.http import FormRequest, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.urls import FEED_URL

# Scrapy pops higher priorities first. DEPTH_PRIORITY stays 0 (crawler/settings.py), so these
# are the only adjustments: discovery documents first, then listings, then article candidates.
PRIORITY_ROBOTS = 40
PRIORITY_SITEMAP = 30  # sitemaps and feeds: each reveals many articles for one fetch
PRIORITY_LISTING = 20
PRIORITY_ARTICLE = 0  # article candidates and pages of unknown kind (Scrapy's default)

# Tried once per site when the profile names no feed. Short on purpose: the paths of the common
# CMSs (WordPress /feed, most Vietnamese CMSs /rss or /rss.xml); a site's own feeds are found
# from its <link rel="alternate"> and its links, which are worth more than any guess.
GUESSED_FEED_PATHS = ("/rss", "/rss.xml", "/feed", "/feed.xml")
SITEMAP_PATH = "/sitemap.xml"
XML_MAX_SIZE = 50 * 1024 * 1024  # the sitemap protocol's own limit for one (unzipped) file

FEED_LINK_TAG = re.compile(rb"<link\b[^>]*\bapplication/(?:rss|atom)\+xml[^>]*>", re.I)
ATTR = re.compile(rb"""\b(\w[\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


# --- feeds and sitemaps ---------------------------------------------------------------------
def feed_links(body: bytes, url: str) -> list[str]:
    """Absolute URLs of the RSS/Atom feeds a page announces in ``<link rel="alternate">``."""
    found = []
    for tag in FEED_LINK_TAG.findall(body[:200_000]):  # the head, and then some
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(tag)}
        href = attrs.get(b"href")
        if href and b"alternate" in attrs.get(b"rel", b"").lower():
            found.append(urljoin(url, html.unescape(href.decode("utf-8", "replace")).strip()))
    return list(dict.fromkeys(found))


@functools.lru_cache(maxsize=8192)
def looks_like_feed_url(url: str) -> bool:
    """A link that is a feed by its URL (``/rss/thoi-su.rss``, ``/feed``), not a page.
    Memoised (the most recent links: menus and sidebars repeat them on every page): every
    link of every page comes here, and its ``urlsplit`` was a fifth of the crawl process's
    CPU on real pages."""
    return bool(FEED_URL.search(urlsplit(url).path))


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def guessed_feed_urls(start_url: str) -> list[str]:
    return [site_root(start_url) + path for path in GUESSED_FEED_PATHS]


def robots_url(start_url: str) -> str:
    return site_root(start_url) + "/robots.txt"


def default_sitemap_url(start_url: str) -> str:
    return site_root(start_url) + SITEMAP_PATH


def robots_sitemaps(body: bytes, url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt (Scrapy's parser: case-insensitive, relative
    URLs resolved against the robots.txt URL)."""
    return list(dict.fromkeys(sitemap_urls_from_robots(body, base_url=url)))


def unzip_if_gzipped(body: bytes) -> bytes:
    """A ``sitemap.xml.gz`` (or a server sending gzip without saying so) as plain XML."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=XML_MAX_SIZE)
        except (OSError, EOFError, zlib.error):  # broken before anything unpacked:
            return b""  # broken_gzip() says how
    return body


def broken_gzip(body: bytes) -> str | None:
    """What is wrong with a gzip body that does not unpack whole (Scrapy's ``gunzip`` keeps
    what unpacked and says nothing), or None (whole, or no gzip at all)."""
    if body[:2] != b"\x1f\x8b":
        return None
    inflater = zlib.decompressobj(wbits=31)
    try:
        inflater.decompress(body, XML_MAX_SIZE)
    except zlib.error as exc:
        return f"broken gzip data ({exc})"
    if not inflater.eof and not inflater.unconsumed_tail:  # (a tail: over the size limit)
        return "gzip data cut short"
    return None


def xml_links(body: bytes) -> tuple[list[str], list[str]]:
    """``(sitemaps, pages)`` listed by a sitemap index, a urlset (news sitemaps too), an RSS
    feed or an Atom feed. Anything else, or broken XML, lists nothing."""
    body = unzip_if_gzipped(body).lstrip()
    if not body:
        return [], []
    try:
        sitemap = Sitemap(body)
        kind = sitemap.type
        if kind in ("sitemapindex", "urlset"):
            locs = [entry["loc"] for entry in sitemap if entry.get("loc")]
            return (locs, []) if kind == "sitemapindex" else ([], locs)
    except (lxml.etree.XMLSyntaxError, StopIteration):  # not XML: no first element
        return [], []
    return [], feed_items(body)


def feed_items(body: bytes) -> list[str]:
    """The item links of an RSS (``<item><link>``) or Atom (``<entry><link href>``) feed."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links = root.xpath(
        "//*[local-name()='item']/*[local-name()='link']/text()"
        " | //*[local-name()='entry']/*[local-name()='link']"
        "[not(@rel) or @rel='alternate']/@href"
    )
    return list(dict.fromkeys(str(link).strip() for link in links if str(link).strip()))


# --- pagers ---------------------------------------------------------------------------------
NEXT_WORDS = {"trang sau", "trang tiếp", "tiếp", "tiếp theo", "sau", "next", "next page"}
ARROWS = "»›>→⟩▶"
BACK_ARROWS = "«‹<←⟨◀"
NUMBER = re.compile(r"^\[?(\d{1,4})\]?$")
# ``__doPostBack('target', 'argument')``, and ``WebForm_DoPostBackWithOptions(new
# WebForm_PostBackOptions("target", "argument", …))``, the same post by a control that
# validates the form first (a LinkButton with CausesValidation): both send target and argument
POSTBACK = re.compile(r"(?:__doPostBack|WebForm_PostBackOptions)\(\s*['\"]([^'\"]*)['\"]\s*,"
                      r"\s*['\"]([^'\"]*)['\"]\s*[,)]")
# a pager of submit buttons (``<input type="submit" name="ctl00$Main$btnNext" value="Trang
# sau">``): the browser posts the ASP.NET form with the button clicked
SUBMIT_BUTTON = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?submit\b[^>]*>", re.I)
GRID_PAGE_ARG = re.compile(r"^Page\$(\d+|Next)$", re.I)
# Pager entries are read off the bytes, like crawler.spiders.news.page_links: building a DOM
# costs the reactor thread ~4 ms on a 170 KB page. An entry is a short anchor ("2", "Trang sau
# »", an icon with a title): its content is at most ENTRY_BYTES long, its text four words.
ANCHOR_OPEN = re.compile(rb"<a\s([^>]*)>", re.I)
ENTRY_BYTES = 300
LINK_NEXT = re.compile(rb"<link\b[^>]*\brel\s*=\s*[\"']?next\b[^>]*>", re.I)
TAG = re.compile(rb"<[^>]*>")
ANCHOR_START = re.compile(rb"<a\b", re.I)
RUN_GAP = 600  # bytes between two entries of one numbered widget (markup of the current page)
# the page number in a URL: path forms (/trang-3, /page/3, /p/3) and query parameters
# /trang-3, /page/3, /p/3 and DotNetNuke's /PageIndex/3/
PATH_PAGE = re.compile(r"[/_-](?:pageindex|pagenum|trang|page|p)[-_/]?(\d{1,5})(?=/|\.\w{2,5}$|$)",
                       re.I)
QUERY_PAGE_PARAMS = {"page", "p", "trang", "paged", "pageindex", "pagenum", "page_no", "pg"}
PAGE_HINT = re.compile(  # a cheap first look, before taking a link apart
    r"[/_-](?:pageindex|pagenum|trang|page|p)[-_/]?\d|[?&](?:" + "|".join(QUERY_PAGE_PARAMS)
    + r")=\d", re.I
)
SHAREPOINT_PAGED = re.compile(r"""[^\s"'<>()]*Paged=TRUE[^\s"'<>()]*""", re.I)
JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")  # \u0026 in the URLs SharePoint puts in scripts


@dataclass(frozen=True)
class Postback:
    """One entry of an ASP.NET postback pager: what ``__doPostBack`` would send."""

    target: str  # __EVENTTARGET: the control's name
    argument: str  # __EVENTARGUMENT: "Page$3", "Page$Next" or "" (DataPager buttons)
    page: int | None  # the listing page it leads to, when the pager says so
    is_next: bool = False  # a relative "next" entry: the page is the current one plus one
    button: bool = False  # a submit button named ``target``, clicked (no __EVENTTARGET)


@dataclass
class Pager:
    """The pagination of one page: listing URLs to GET, and postbacks to POST."""

    links: list[str]
    postbacks: list[Postback]
    # the number the pager's URLs give the listing's first page: 1 where its links to pages
    # "2", "3" are ?page=2, ?page=3; 0 where they are ?page=1, ?page=2 (Drupal). None when
    # the pager does not say (no numbered link to this listing, or links that disagree)
    first: int | None = None


@dataclass(frozen=True)
class Anchor:
    """A short ``<a>`` of a page, as a pager entry is read."""

    start: int  # byte offsets in the page
    end: int
    href: str
    rel: str
    text: str  # lower case, NFC, spaces collapsed; the title or aria-label of an icon


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1258", "replace")  # the other encoding of Vietnamese pages


def short_anchors(body: bytes) -> list[Anchor]:
    """The page's anchors that may be pager entries (a number, a "next", an icon with a
    title), in page order. Most anchors (headlines, menus) are left at their text's length."""
    lower = body.lower()
    anchors = []
    for match in ANCHOR_OPEN.finditer(body):
        close = lower.find(b"</a", match.end(), match.end() + ENTRY_BYTES)
        if close < 0 or b"<a" in lower[match.end() : close]:
            continue
        inner = body[match.end() : close]
        if b"<" in inner:
            inner = TAG.sub(b" ", inner)
        if len(inner) > ENTRY_BYTES // 2 or len(inner.split()) > 4:
            continue  # a headline or a menu entry: most anchors stop here, cheaply
        opening = match.group(1)
        text = entry_text(inner)
        if not text and (b"title" in opening or b"aria-label" in opening):
            attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(opening)}
            text = entry_text(attrs.get(b"title") or attrs.get(b"aria-label") or b"")
        if not (NUMBER.match(text) or is_next_text(text)):
            continue
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(opening)}
        href = html.unescape(decode(attrs.get(b"href", b""))).strip()
        rel = decode(attrs.get(b"rel", b"")).lower()
        anchors.append(Anchor(match.start(), close + 4, href, rel, text))
    return anchors


def entry_text(raw: bytes) -> str:
    text = decode(raw)
    if "&" in text:
        text = html.unescape(text)
    return unicodedata.normalize("NFC", " ".join(text.split())).lower()


def is_next_text(text: str) -> bool:
    """'Trang sau', 'Tiếp »', '»', '›', 'Next' … but not 'Xem tiếp' of a teaser, nor '«'."""
    if any(c in text for c in BACK_ARROWS):
        return False
    words = text.strip(ARROWS + " ").strip()
    if words:
        return words in NEXT_WORDS
    return any(c in text for c in ARROWS)


def is_page_run(numbers: list[int]) -> bool:
    """Page numbers as a pager shows them: at least two, increasing in page order, some two
    neighbours at most 2 apart (the current page, not a link, may sit between them)."""
    steps = [b - a for a, b in zip(numbers, numbers[1:], strict=False)]
    return bool(steps) and all(s > 0 for s in steps) and min(steps) <= 2


def numbered_runs(body: bytes, entries: list[tuple[Anchor, int]]) -> list[tuple[Anchor, int]]:
    """The ``(anchor, number)`` entries that form numbered widgets: a run of links whose texts
    are page numbers, with no other link between two of them and little markup (the current
    page's, "…") apart; or one such link beside the current page's number (two pages)."""
    runs: list[list[tuple[Anchor, int]]] = []
    for anchor, number in entries:
        if runs:
            last = runs[-1][-1][0]
            gap = body[last.end : anchor.start]
            if len(gap) <= RUN_GAP and not ANCHOR_START.search(gap):
                runs[-1].append((anchor, number))
                continue
        runs.append([(anchor, number)])
    return [entry for run in runs
            if is_page_run([n for _, n in run]) or (len(run) == 1 and beside_current(body, *run[0]))
            for entry in run]  # fmt: skip


TEXT_NODE = re.compile(rb">([^<]*)<")


def beside_current(body: bytes, anchor: Anchor, number: int) -> bool:
    """A lone numbered link is a pager of two pages when the text right next to it is the
    current page's number, shown as text: "1 [2]" on the first page, "[1] 2" on the second.
    Nothing else may stand between them ("Trang [2]" is no pager)."""
    before = [t for t in TEXT_NODE.findall(body[max(0, anchor.start - RUN_GAP) : anchor.start + 1])
              if t.strip()]  # fmt: skip
    after = [t for t in TEXT_NODE.findall(body[anchor.end - 1 : anchor.end + RUN_GAP]) if t.strip()]
    return ((bool(before) and page_number(before[-1]) == number - 1)
            or (bool(after) and page_number(after[0]) == number + 1))  # fmt: skip


def page_number(raw: bytes) -> int | None:
    match = NUMBER.match(entry_text(raw))
    return int(match.group(1)) if match else None


def strip_page_number(url: str) -> tuple[str, int | None]:
    """``url`` without its page number, and that number: ``/tin/trang-3.html`` and
    ``/tin?page=3`` give the listing they are page 3 of."""
    parts = urlsplit(url)
    number = None
    matches = list(PATH_PAGE.finditer(parts.path))
    path_match = matches[-1] if matches else None  # the last one: /p/2/trang-3 is page 3
    path = parts.path
    if path_match:
        number = int(path_match.group(1))
        path = path[: path_match.start()] + path[path_match.end() :]
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in QUERY_PAGE_PARAMS and value.isdigit():
            number = int(value)
        else:
            query.append((key, value))
    path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, urlencode(query), "")), number


def same_listing_pages(url: str, links: list[str]) -> list[str]:
    """Links to another page number of the listing at ``url`` (same URL but the number)."""
    listing, own = strip_page_number(url)
    found = []
    for link in links:
        if link == url or not PAGE_HINT.search(link):
            continue
        other, number = strip_page_number(link)
        if number is not None and number != own and other == listing:
            found.append(link)
    return found


def sharepoint_pages(body: bytes, url: str) -> list[str]:
    """SharePoint list paging: ``…?Paged=TRUE&PageFirstRow=21…`` URLs in the page's hrefs or
    in its scripts (``RefreshPageTo(event, "…")``), for the list at this page's path."""
    if b"paged=true" not in body.lower():
        return []
    text = body.decode("utf-8", "replace").replace("\\/", "/")
    text = JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    path = urlsplit(url).path.lower()
    found = []
    for raw in SHAREPOINT_PAGED.findall(text):
        link = urljoin(url, html.unescape(raw))
        if urlsplit(link).path.lower() == path and link != url:
            found.append(link)
    return list(dict.fromkeys(found))


def find_pager(body: bytes, url: str, links: list[str]) -> Pager:
    """The pagination of a page: its bytes, its (canonical) URL and its canonical links
    (crawler.spiders.news.page_links)."""
    gets: list[str] = []
    postbacks: list[Postback] = []
    numbered: list[tuple[Anchor, int]] = []
    for tag in LINK_NEXT.findall(body[:200_000]):  # <link rel="next"> in the head
        href = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(tag)}.get(b"href")
        if href:
            gets.append(urljoin(url, html.unescape(decode(href)).strip()))
    for anchor in short_anchors(body):
        number = NUMBER.match(anchor.text)
        postback = POSTBACK.search(anchor.href)
        grid_arg = GRID_PAGE_ARG.match(postback.group(2)) if postback else None
        if grid_arg and grid_arg.group(1).isdigit():  # GridView: "Page$11" behind a "..."
            numbered.append((anchor, int(grid_arg.group(1))))
        elif number:
            numbered.append((anchor, int(number.group(1))))
        elif "next" in anchor.rel.split() or is_next_text(anchor.text) or grid_arg:
            if postback:
                postbacks.append(Postback(postback.group(1), postback.group(2), None, True))
            elif followable(anchor.href):
                gets.append(urljoin(url, anchor.href))
    labelled: list[tuple[str, int]] = []  # (URL, the page number its pager entry shows)
    for anchor, page in numbered_runs(body, numbered):
        postback = POSTBACK.search(anchor.href)
        if postback:
            postbacks.append(Postback(postback.group(1), postback.group(2), page))
        elif followable(anchor.href):
            gets.append(urljoin(url, anchor.href))
            labelled.append((gets[-1], page))
        elif scripted := scripted_page_link(body, anchor, page):
            gets.append(urljoin(url, scripted))
            labelled.append((gets[-1], page))
    gets += same_listing_pages(url, links) + sharepoint_pages(body, url) + asked_pages(body, url)
    postbacks += submit_pager(body)
    if postbacks and b"__VIEWSTATE" not in body:
        postbacks = []  # no ASP.NET form to post back: nothing to follow
    return Pager(list(dict.fromkeys(gets)), list(dict.fromkeys(postbacks)),
                 first_page_number(url, labelled))


def first_page_number(url: str, labelled: list[tuple[str, int]]) -> int | None:
    """The number the URLs of the pager of the listing at ``url`` give its first page, read
    from the pager's own entries: each numbered link to this listing shows the page number
    a reader counts (1 for the first page) beside the number its URL carries. 1 when they
    agree (``?page=2`` shown as "2"), 0 when the URL counts from 0 (Drupal's ``?page=1``
    shown as "2"); None when no entry says, or entries disagree (then ``?page=1`` may be the
    second page, and is fetched)."""
    listing = strip_page_number(url)[0]
    offsets = set()
    for link, shown in labelled:
        other, number = strip_page_number(link)
        if number is not None and other == listing:
            offsets.add(shown - number)
    return 1 - offsets.pop() if len(offsets) == 1 and offsets <= {0, 1} else None


def submit_pager(body: bytes) -> list[Postback]:
    """The page's submit buttons that a pager shows: a page number or a "next" text as their
    value (:data:`SUBMIT_BUTTON`), each the post its click makes."""
    if b"submit" not in body and b"SUBMIT" not in body:
        return []  # most pages: no parsing
    found = []
    for tag in SUBMIT_BUTTON.findall(body):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(tag)}
        name, text = decode(attrs.get(b"name", b"")), entry_text(attrs.get(b"value", b""))
        number = NUMBER.match(text)
        if name and (number or is_next_text(text)):
            page = int(number.group(1)) if number else None
            found.append(Postback(name, "", page, is_next=number is None, button=True))
    return found


DATA_PAGE = re.compile(rb"""\sdata-page\s*=\s*["']?(\d{1,5})\b""", re.I)
# the listing URL a pager container gives its script: ``data-href="/tin-tuc?page="``, a
# template such as ``data-url="/tin-tuc/trang-{page}"``
PAGER_BASE = re.compile(rb"""\sdata-(?:[\w-]*-)?(?:href|url)\s*=\s*["'](/(?!/)[^"'\s]*)["']""",
                        re.I)
PAGE_SLOT = re.compile(r"\{(?:page|p|0|pageindex)\}|=$", re.I)
PAGER_BYTES = 1500  # how far before a pager entry its container's opening tag is looked for


def scripted_page_link(body: bytes, anchor: Anchor, page: int) -> str | None:
    """The URL of a numbered pager entry that has no link of its own (``href="javascript:
    void(0)" data-page="2"``) and whose container names the listing URL with a slot for the
    number (``data-href="/tin-tuc?page="``, ``…/trang-{page}``): the URL its script would
    open. None for any other entry."""
    opening = body[anchor.start : body.find(b">", anchor.start) + 1]
    number = DATA_PAGE.search(opening)
    if not number or int(number.group(1)) != page:
        return None
    bases = PAGER_BASE.findall(body, max(0, anchor.start - PAGER_BYTES), anchor.start)
    if not bases:
        return None
    base = html.unescape(decode(bases[-1]))
    slot = PAGE_SLOT.search(base)
    if not slot:
        return None
    return base + str(page) if slot.group(0) == "=" else PAGE_SLOT.sub(str(page), base, count=1)


# a "Xem thêm" (load more) control: a link or button whose whole text asks for more of the list
MORE_CONTROL = re.compile(rb"<(a|button)\b([^>]*)>(.{0,200}?)</\1\s*>", re.I | re.S)
MORE_TEXTS = {"xem thêm", "tải thêm", "xem thêm tin", "xem thêm bài", "xem thêm bài viết",
              "xem thêm tin tức", "hiển thị thêm", "load more", "show more", "more"}


def urlless_more_control(body: bytes) -> bool:
    """True when the page has a "Xem thêm" control that names no URL: a button, or a link to
    ``#`` or ``javascript:`` (an ASP.NET ``__doPostBack`` without a form, a script counting
    pages), without a ``data-…`` attribute holding a path. What it loads is not crawled."""
    lower = body.lower()
    if not ("thêm".encode() in lower or "thÊm".encode() in lower or b"more" in lower):
        return False  # most pages: no parsing ("XEM THÊM": bytes lower only ASCII)
    for match in MORE_CONTROL.finditer(body):
        if entry_text(TAG.sub(b" ", match.group(3))).strip(" .…»›+") not in MORE_TEXTS:
            continue
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(match.group(2))}
        if followable(decode(attrs.get(b"href", b"")).strip()):
            continue
        if not any(name.startswith(b"data-") and value.startswith(b"/")
                   for name, value in attrs.items()):
            return True
    return False


def followable(href: str) -> bool:
    return bool(href) and not href.lower().startswith(("#", "javascript:", "mailto:"))


# --- JSON listings -------------------------------------------------------------------------
JSON_HEADLINE_WORDS = 6  # a string of this many words beside a URL: the item's headline


def json_links(body: bytes, url: str) -> tuple[list[str], list[str]]:
    """``(links, headlined)`` of a JSON listing, the API a "Xem thêm" button or a list's
    ``data-api`` reads (``{"items": [{"url": "/tin/…", "title": "…"}], "next": "…"}``): every
    string that is a site-rooted path or a URL on this page's host, and those of them whose
    object also holds a headline-long string (an item's title). Not JSON: nothing."""
    try:
        data = json.loads(body)
    except ValueError:
        return [], []
    root = site_root(url)
    links: dict[str, None] = {}
    headlined: dict[str, None] = {}

    def walk(node) -> None:
        if isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            here = [v for v in node.values() if isinstance(v, str) and same_site(v, root)]
            words = max((len(v.split()) for v in node.values() if isinstance(v, str)), default=0)
            for value in here:
                link = urljoin(root + "/", value.strip())
                links[link] = None
                if words >= JSON_HEADLINE_WORDS:
                    headlined[link] = None
            for value in node.values():
                walk(value)

    walk(data)
    return list(links), list(headlined)


def same_site(value: str, root: str) -> bool:
    value = value.strip()
    if value.startswith("/") and not value.startswith("//"):
        return " " not in value
    return value.startswith(root + "/") and " " not in value


def next_page_url(url: str) -> str | None:
    """``url`` with its page number (:func:`strip_page_number`) one higher, or None without
    one: an API's next page, which its listing's script asks for by counting."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in QUERY_PAGE_PARAMS and value.isdigit():
            query[i] = (key, str(int(value) + 1))
            return urlunsplit((*parts[:3], urlencode(query), ""))
    matches = list(PATH_PAGE.finditer(parts.path))
    if not matches:
        return None
    last = matches[-1]
    path = (parts.path[: last.start(1)] + str(int(last.group(1)) + 1)
            + parts.path[last.end(1) :])  # fmt: skip
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


# --- date archive forms --------------------------------------------------------------------
# a GET form asking for a day: ``<form action="/luu-tru"><input type="date" name="ngay">``. Not
# filled: every day is a URL of its own (a calendar, the trap shape crawler/url_shapes.py
# stops), and which days hold news only the site knows; the crawl says it saw one instead
FORM = re.compile(rb"<form\b([^>]*)>(.{0,3000}?)</form", re.I | re.S)
DATE_INPUT = re.compile(rb"""<input\b[^>]*(?:\btype\s*=\s*["']?date\b|\bname\s*=\s*["']?"""
                        rb"""(?:ngay|date|tu-?ngay|tungay|den-?ngay|day)["'\s>])""", re.I)


def date_archive_forms(body: bytes, url: str) -> list[str]:
    """The actions of the page's GET forms that ask for a date (a date archive)."""
    found = []
    for attributes, inner in FORM.findall(body):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(attributes)}
        if attrs.get(b"method", b"get").lower() == b"get" and DATE_INPUT.search(inner):
            found.append(urljoin(url, html.unescape(decode(attrs.get(b"action", b""))).strip()))
    return found


# --- page numbers a form or a list asks for -------------------------------------------------
# "Đến trang [2] [Đi]" and a hidden ``page=N`` behind "Trang sau" are GET forms; "Trang [1 v]"
# is a list whose script goes to a URL it builds from the number chosen. What they ask for is
# followed when it is another page of this same listing (same_listing_pages' rule): a search
# form, a filter or a form with other fields to fill in is not.
ASKING_TAG = re.compile(rb"<(?:form|select)\b", re.I)
INPUT = re.compile(rb"<input\b([^>]*)>", re.I)
SELECT = re.compile(rb"<select\b([^>]*)>(.{0,5000}?)</select", re.I | re.S)
OPTION_VALUE = re.compile(rb"""<option\b[^>]*\bvalue\s*=\s*["']?(\d{1,5})["'\s>]""", re.I)
# onchange="location.href='/tin-tuc?trang=' + this.value" (or this.options[…].value)
SCRIPT_URL_PLUS_VALUE = re.compile(r"""(["'])([^"'\s]*[/?&=])\1\s*\+\s*this\.(?:value|"""
                                   r"""options\[\s*this\.selectedIndex\s*\]\.value)\b""")
BUTTON_TYPES = {b"submit", b"button", b"image", b"reset"}


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    return {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(raw)}


def asked_pages(body: bytes, url: str) -> list[str]:
    """Other pages of the listing at ``url`` that its GET forms and page lists ask for: a
    hidden page number as it is, a page number typed in as the next one, a list's every
    number."""
    if not ASKING_TAG.search(body):
        return []  # most pages: no form, no list
    listing, own = strip_page_number(url)
    found = []
    for raw, inner in FORM.findall(body):
        attrs = _attributes(raw)
        if attrs.get(b"method", b"get").lower() != b"get":
            continue
        fields, key, numbers = [], None, []
        for tag in INPUT.findall(inner):
            field = _attributes(tag)
            name, kind = decode(field.get(b"name", b"")), field.get(b"type", b"text").lower()
            value = decode(field.get(b"value", b"")).strip()
            if not name or kind in BUTTON_TYPES:
                continue
            if name.lower() in QUERY_PAGE_PARAMS and (value.isdigit() or not value):
                key = name
                typed = int(value) if value.isdigit() else own or 1
                last = decode(field.get(b"max", b""))
                if kind == b"hidden":
                    numbers = [typed]
                elif not (last.isdigit() and typed >= int(last)):  # max: the last page
                    numbers = [typed + 1]
            else:
                fields.append((name, value))
        for raw_select, options in SELECT.findall(inner):
            name = decode(_attributes(raw_select).get(b"name", b""))
            if name.lower() in QUERY_PAGE_PARAMS:
                key, numbers = name, [int(n) for n in OPTION_VALUE.findall(options)]
            elif name:
                fields.append((name, ""))  # another choice to make: not this listing
        if key:
            action = urlsplit(urljoin(url, html.unescape(decode(attrs.get(b"action", b"")))))
            found += [urlunsplit((*action[:3], urlencode([*fields, (key, n)]), ""))
                      for n in numbers]  # fmt: skip
    for raw_select, options in SELECT.findall(body):
        script = html.unescape(decode(_attributes(raw_select).get(b"onchange", b"")))
        if prefix := SCRIPT_URL_PLUS_VALUE.search(script):
            found += [urljoin(url, prefix.group(2) + number.decode())
                      for number in OPTION_VALUE.findall(options)]  # fmt: skip
    pages = []
    for link in dict.fromkeys(found):
        other, number = strip_page_number(link)
        if other == listing and number not in (own, own or 1):  # not this page again
            pages.append(link)
    return pages


# --- ASP.NET postbacks ----------------------------------------------------------------------
VIEWSTATE_FORM = "//form[.//input[@name='__VIEWSTATE']]"
VIEWSTATE = re.compile(rb"<input\b[^>]*\bname\s*=\s*[\"']__VIEWSTATE[\"'][^>]*>", re.I)


def viewstate(body: bytes) -> str:
    """The page's ``__VIEWSTATE`` value ('' without one)."""
    tag = VIEWSTATE.search(body)
    if not tag:
        return ""
    attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(tag.group(0))}
    return decode(attrs.get(b"value", b""))


def postback_key(url: str, postback: Postback, current_page: int | None, state: str) -> tuple:
    """What makes a postback page the same page again: its listing URL and page number when
    known (page 3 is page 3 whichever pager entry leads there), else the control, its argument
    and the state it is posted from (a "next" from another page is another page)."""
    page = postback.page
    if page is None and postback.is_next and current_page is not None:
        page = current_page + 1
    if page is not None:
        return (url, page)
    return (url, postback.target, postback.argument, hashlib.sha1(state.encode()).hexdigest())


def postback_page(postback: Postback, current_page: int | None) -> int | None:
    if postback.page is not None:
        return postback.page
    if postback.is_next and current_page is not None:
        return current_page + 1
    return None


def postback_request(response: TextResponse, postback: Postback, **kwargs) -> FormRequest:
    """The POST ``__doPostBack(target, argument)`` makes: the page's ASP.NET form (its
    ``__VIEWSTATE``, ``__EVENTVALIDATION`` and other fields) with the event filled in, no
    submit button clicked."""
    # Scrapy 2.19 deprecates from_response() for the form2request library, which is not a
    # dependency; the call is kept (it still works) and the warning kept out of crawl logs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScrapyDeprecationWarning)
        if postback.button:  # the form as its button's click sends it
            return FormRequest.from_response(
                response, formxpath=VIEWSTATE_FORM, clickdata={"name": postback.target},
                **kwargs)
        return FormRequest.from_response(
            response,
            formxpath=VIEWSTATE_FORM,
            formdata={"__EVENTTARGET": postback.target, "__EVENTARGUMENT": postback.argument},
            dont_click=True,
            **kwargs,
        )
