"""A site's URL shapes, learned during the crawl from the links its own pages show.

A shape is a URL's path and query with the parts that vary from one item to the next
abstracted, so that all the articles of one section share one shape:

    /tin-tuc/ha-long-don-khach-quoc-te-2025120412.html  ->  /tin-tuc/<slug>-<n>.html
    /Trang/ChiTietTinTuc.aspx?nid=5054                  ->  /Trang/ChiTietTinTuc.aspx?nid=<n>
    /bai-viet/ha-long-don-khach-quoc-te.html            ->  /bai-viet/<slug>.html
    /news/2025/12/ha-long-don-khach-001.htm             ->  /news/<n>/<n>/<slug>-<n>.htm
    /chuyen-muc/kinh-te.html?page=2                     ->  /chuyen-muc/kinh-te.html?page=<n>

Numbers become ``<n>``; a run of three or more words (a headline made into a slug) becomes
``<slug>``; shorter words stay as they are, since they name one section or one page of the site
(``/chuyen-muc/kinh-te.html``, ``/gioi-thieu.html``, ``/trang-2``) rather than one item among
many. Query values become ``<n>`` (numbers) or ``<s>``; the keys stay, sorted.

:class:`ShapeBook` counts, per shape, the URLs the crawl saw as teaser headlines on the site's
listings (article evidence) and as links of its pagers (listing evidence). A shape becomes the
site's article shape once :data:`MIN_EXAMPLES` distinct teaser URLs have it and no pager link
does; a listing shape once :data:`MIN_LISTING_EXAMPLES` pager links have it and no teaser does.
The spider passes the shape of a page's URL to the extraction worker as a hint
(``article_shape`` / ``listing_shape``): one signal beside the page's structure, never the
decision alone (``pipelines/extractor/classify.py``).

Pure and small: no Scrapy, no I/O; memory is bounded by the number of shapes (a handful per
site), each keeping at most :data:`MIN_EXAMPLES` example URLs.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

MIN_EXAMPLES = 3  # distinct teaser URLs of one shape before it counts as the article shape
MIN_LISTING_EXAMPLES = 2  # distinct pager links of one shape before it counts as a listing shape
SLUG_WORDS = 3  # this many words in one path segment make it a headline slug

_EXTENSION = re.compile(r"^(.+?)(\.[A-Za-z][A-Za-z0-9]{0,4})$")
_WORD = re.compile(r"[^\W\d_]")  # a token holding a letter (Vietnamese ones too)
_LEADING_NUMBER = re.compile(r"^\d+(?=[-_])")
_TRAILING_NUMBER = re.compile(r"([-_]?)\d+$")


def segment_shape(segment: str, last: bool = False) -> str:
    """The shape of one path segment; ``last`` keeps its file extension apart."""
    stem, ext = segment, ""
    if last:
        match = _EXTENSION.match(segment)
        if match:
            stem, ext = match.groups()
    if stem.isdigit():
        return "<n>" + ext
    words = [t for t in re.split(r"[-_]", stem) if _WORD.search(t)]
    if len(words) < SLUG_WORDS:
        return re.sub(r"\d+", "<n>", stem) + ext
    head = "<n>-" if _LEADING_NUMBER.match(stem) else ""
    tail = _TRAILING_NUMBER.search(stem)
    return head + "<slug>" + (f"{tail.group(1)}<n>" if tail else "") + ext


def shape_of(url: str) -> str:
    """The shape of ``url`` (its host left out: one book holds one site's shapes); "" for a
    URL that cannot be read."""
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return ""
    segments = parts.path.split("/")
    shaped = [segment_shape(s, last=(i == len(segments) - 1)) if s else ""
              for i, s in enumerate(segments)]  # fmt: skip
    path = "/".join(shaped) or "/"
    if not query:
        return path
    values = sorted(f"{k}={'<n>' if v.isdigit() else '<s>'}" for k, v in query)
    return f"{path}?{'&'.join(values)}"


class ShapeBook:
    """The URL shapes one site's crawl has seen on teaser headlines and on pagers."""

    def __init__(self) -> None:
        self.teasers: dict[str, set[str]] = {}  # shape -> up to MIN_EXAMPLES teaser URLs
        self.listings: dict[str, set[str]] = {}  # shape -> up to MIN_EXAMPLES pager URLs

    def learn_teasers(self, urls: list[str]) -> None:
        """URLs linked from teaser headlines (a heading around a link) on one page."""
        self._learn(self.teasers, urls)

    def learn_listings(self, urls: list[str]) -> None:
        """URLs of a page's pager: listing pages."""
        self._learn(self.listings, urls)

    def _learn(self, book: dict[str, set[str]], urls: list[str]) -> None:
        for url in urls:
            examples = book.setdefault(shape_of(url), set())
            if len(examples) < MIN_EXAMPLES:
                examples.add(url)

    def article_shape(self, url: str) -> str | None:
        """The shape of ``url`` when it is the site's learned article shape, else None."""
        shape = shape_of(url)
        examples = self.teasers.get(shape, ())
        if shape and len(examples) >= MIN_EXAMPLES and shape not in self.listings:
            return shape
        return None

    def listing_shape(self, url: str) -> str | None:
        """The shape of ``url`` when it is a learned listing (pager) shape, else None."""
        shape = shape_of(url)
        examples = self.listings.get(shape, ())
        if shape and len(examples) >= MIN_LISTING_EXAMPLES and shape not in self.teasers:
            return shape
        return None

    def hints(self, url: str) -> dict[str, str]:
        """The extraction hints for a page at ``url``: ``{"article_shape": shape}``,
        ``{"listing_shape": shape}`` or nothing."""
        shape = self.article_shape(url)
        if shape:
            return {"article_shape": shape}
        shape = self.listing_shape(url)
        return {"listing_shape": shape} if shape else {}


_NUMBER = re.compile(r"\d+")
# a GUID, SharePoint's and .NET portals' item key (``?ItemID={8f3a…}``): a value, not a number
_GUID = re.compile(r"^\{?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\}?$", re.I)


def _item_value(value: str) -> str:
    """A query value as an item key: a GUID whole (lower case, no braces), else its leading
    number when it has one (Joomla's ``123:tieu-de`` is 123), else itself."""
    if _GUID.match(value):
        return value.strip("{}").lower()
    lead = _NUMBER.match(value)
    return lead.group(0) if lead else value


def url_parts(url: str) -> dict[str, str]:
    """The parts of ``url`` that may name its item or the context it is shown in, by name:
    each query parameter (``?id``, key lowercased; a value's leading number stands for it,
    Joomla's ``id=123:tieu-de`` is item 123; a GUID is whole) and each path segment holding
    a number, named by the word segment before it (DNN's ``/tabid/57``, ``/ItemID/380``) or
    else by its place (``/#2`` for ``/tin-tuc/123.html``), its last number standing for it
    (the id after a headline slug: ``/#1`` is 5005829 in ``/metro-sau-16-nam-5005829.html``)."""
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return {}
    found = {}
    for key, value in query:
        found["?" + key.lower()] = _item_value(value)
    segments = parts.path.split("/")
    for i, segment in enumerate(segments):
        numbers = _NUMBER.findall(segment)
        if not numbers:
            continue
        labelled = segment.isdigit() and i > 1 and not _NUMBER.search(segments[i - 1])
        found["/" + (segments[i - 1].lower() if labelled else f"#{i}")] = numbers[-1]
    return found


class Mirrors:
    """The site's hosts seen to mirror each other, and every page asked for under each family
    of hosts (a host without its ``m.``/``www.`` label, :data:`crawler.urls.MIRROR_LABEL`): a
    page asked for at one host of a mirrored family is a copy at another. Keys are
    ``(family, path and query)``. One process keeps them here; workers share them
    (``crawler.redis_frontier.SharedMirrors``)."""

    def __init__(self):
        self.families: set[str] = set()
        self.requested: set[tuple[str, str]] = set()

    def mirrored(self, family: str) -> None:
        """``family``'s hosts showed the same page at the same path."""
        self.families.add(family)

    def ask(self, keys: list[tuple[str, str]]) -> list[bool]:
        """Note each of ``keys`` as asked for, in order; for each, whether it is a copy not to
        ask for: its family mirrored and its path asked for before (at any of its hosts)."""
        copies = []
        for key in keys:
            copies.append(key[0] in self.families and key in self.requested)
            self.requested.add(key)
        return copies


class ItemParts:
    """Which part of a site's article URLs names the item, learned from the teaser links of
    its pages: among the links of one URL shape on one page, the one numeric part that takes
    a different value on every link (``?id``, ``?newsid``, ``/itemid``, ``?ID``, or a GUID's
    ``?ItemID={…}``); the parts
    that repeat a value are the context the page shows its items in (``?catid``, Joomla's
    menu ``?itemid``, DNN's ``/tabid`` and ``/mid``, Liferay's ``?p_p_col_id``). Learned per
    site, not per shape: the home page's links (``?id=12&Itemid=120``) and a section's
    (``?id=12:slug&catid=3&Itemid=101``) have two shapes, and a home page may show too few
    links of one section's shape to learn from. A part that repeats a value on any page is
    context for good; a page where two parts vary on every link (a home page showing one item
    per section: ``?catid`` and ``?id``) tells nothing until other pages show which of them
    repeats. Bounded: a few sets of part names per site."""

    def __init__(self) -> None:
        self.varying: set[frozenset[str]] = set()  # the parts varying on every link of a group
        self.context: set[str] = set()  # parts seen repeating a value on some page

    def learn(self, urls: list[str]) -> None:
        """The teaser URLs of one page."""
        groups: dict[str, list[dict[str, str]]] = {}
        for url in set(urls):
            groups.setdefault(shape_of(url), []).append(url_parts(url))
        for shape, links in groups.items():
            if not shape or len(links) < MIN_EXAMPLES:
                continue
            varying = set()
            for name in set.intersection(*(set(parts) for parts in links)):
                values = {parts[name] for parts in links}
                if len(values) < len(links):
                    self.context.add(name)
                elif all(v.isdigit() or _GUID.match(v) for v in values):
                    varying.add(name)
            if varying:
                self.varying.add(frozenset(varying))

    def item_of(self, url: str) -> list[tuple[str, str]]:
        """The (name, value) of each part of ``url`` that names an item on this site."""
        names = set()
        for varying in self.varying:
            left = varying - self.context
            if len(left) == 1:
                names |= left
        if not names:
            return []
        parts = url_parts(url)
        return [(name, parts[name]) for name in sorted(names) if name in parts]
