"""Find related-news blocks on Vietnamese article pages, record their links, remove them.

A block is found by its heading text ("Tin liên quan", "Đọc thêm", ...; compared after
accent folding), by class/id (or analytics name) patterns of related boxes, by the shape of
an inline card inside the body (a box holding a few headline links and little else), or by a
CSS selector from a site profile. Navigation boxes ("Đọc nhiều", "Tin mới nhất", ...) and tag
lists are removed too but not reported. Everything is removed from the tree so that no headline
leaks into the body handed to trafilatura.

The URL heuristic (:func:`is_article_url`) only helps to FIND heading-less blocks. Once a block
is recognised, every link in it to another page of the same site is a member, whatever its URL
looks like; only links that do not share the URL shape of the block's article links (a
category label on a card, a "Xem tất cả" button, a tag page) are left out. Each related entry
says how its block was found (``found_by``, see :data:`FOUND_BY`).

Related URLs come out canonical (:func:`crawler.urls.canonical_url`, the spelling the spider
stores ``articles.url`` under), so ``related_links.to_url`` joins ``articles.url`` as is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from urllib.parse import SplitResult, parse_qsl, urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.urls import GOES_TO, TEASER_WORDS, canonical_url, is_endpoint, join_base, script_link
from pipelines.extractor.dates import text_under
from pipelines.extractor.tree import link_base
from pipelines.text import fold, nfc, solid_len

# how listed stories relate to the story they stand under
_RELATIONS = ("lien quan", "cung chuyen muc", "cung chu de", "cung loai", "cung su kien",
              "da dua", "da dang")
RELATED_HEADINGS = frozenset({
    "tin tuc khac", "tin lien quan", "tin cung chuyen muc", "cung chuyen muc", "doc them",
    "bai lien quan", "bai doc tiep", "co the ban quan tam", "xem them", "tin khac",
    "tin bai lien quan", "bai viet lien quan", "co the ban muon doc", "ban co the quan tam",
    "tin tuc lien quan", "tin bai khac", "bai viet khac", "bai khac", "tin da dua", "tin cung loai",
    "bai cung chuyen muc", "tin bai cung chuyen muc", "xem them tin", "doc them tin",
    # the section's newer and older stories under a story (SharePoint and ASP.NET portals),
    # other notices, documents, photo stories and videos of the section, the same event
    "tin moi hon", "tin cu hon", "tin da dang", "bai da dang", "tin khac cung chuyen muc",
    "thong bao khac", "van ban khac", "tin anh khac", "anh khac", "video khac", "clip khac",
    "tin cung su kien", "tin cung chu de", "bai cung chu de",
    # the English editions of provincial papers and portals
    "related", "related news", "related articles", "related stories", "related posts",
    "related content", "related coverage", "other news", "more news", "more stories",
    "read more", "read also", "also read", "see also", "you may also like",
    "you might also like",
}) | {
    # a Vietnamese box title names the stories and says how they relate to this one, and
    # portals combine the two freely: "Bài viết cùng chủ đề", "Các tin khác đã đưa"
    f"{stories} {how}" for stories in ("tin", "tin tuc", "tin bai", "bai", "bai viet")
    for how in ("khac", "moi hon", "cu hon", *_RELATIONS, *(f"khac {r}" for r in _RELATIONS))
}
_LIST_PREFIX = re.compile(r"^(?:cac|nhung) ")
_DATES = re.compile(r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?(?:[\s,-]*\d{1,2}[:h]\d{2})?")
_ITEM_COUNT = re.compile(r"[(\[]\s*\d+\s*[)\]]\W*$")
NAV_HEADINGS = frozenset({
    "doc nhieu", "xem nhieu", "tin moi nhat", "tin noi bat", "tin moi", "moi nhat",
    "tin doc nhieu", "tin xem nhieu", "tin nong", "tieu diem", "doc nhieu nhat",
    "xem nhieu nhat", "tin dia phuong",
})
TAG_HEADINGS = frozenset({"tu khoa", "tags", "tag", "chu de", "tu khoa lien quan"})
# a box of the site's most read or watched stories, whatever else its title says ("Video đang
# xem nhiều", "Bài đọc nhiều trong tuần")
_MOST_READ = re.compile(r"\b(?:doc|xem) nhieu\b")
# names of a box of one event's stories, said before the event's name: "Dòng sự kiện: Bão số 3"
# (alone, "Dòng sự kiện" titles the site's list of events, a menu)
_EVENT_NAMES = frozenset({"dong su kien"})
# Button texts inside boxes that lead to a listing, never to one article.
_MORE_LINKS = frozenset({"xem tat ca", "tat ca", "xem tiep", "doc tiep", "xem them", "them"})
# How a related block was found, strongest evidence first: the profile's selector, a heading,
# a related-box class or embed marker, the shape of an inline card in the body, a heading-less
# headline list next to the body.
FOUND_BY = ("selector", "heading", "class", "card", "list")

# The words of a name are joined by "-", "_" or nothing ("news-relate", "news_relate",
# "newsrelate"): the separator is the template's habit, never a sign of what the box is.
_RELATED_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article[-_]relate[ds]?|relate[-_]?news|related[-_]?news|relate[-_]listnews"
    r"|tin[-_]?lien[-_]?quan|box[-_]?relate[ds]?|related[-_]?(?:posts?|articles?|stories)"
    r"|news[-_]?relate[ds]?|insert[-_]?news|relatednewsbox|lien[-_]?quan)(?:$|[\s_-])",
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
_CONTAINERS = frozenset({"div", "section", "aside", "ul", "ol", "dl", "table", "article",
                        "nav"})
_NON_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|tu-khoa|chu-de|topic|author|tac-gia|search|tim-kiem)(?:/|$|-)"
    r"|-tag\d*(?:\.\w+)?$|/(?:tag|tu-khoa)\w*\.\w+$", re.I)
_ID_QUERY = re.compile(r"(?:^|&)(?!cat|cm|zone|page|chuyen|menu|lang)[\w.-]*id[\w.-]*=\d+(?:&|$)",
                       re.I)
_ID_DIGITS = re.compile(r"\d{4,}")  # an id in a URL's last segment
_ID_TYPES = {"tin_xemthem": "Xem thêm", "tin_lienquan": "Tin liên quan"}
# (in C; iterfind walks in Python) through the attribute axis: libxml2 then looks at the
# attributes of that name only, not a predicate per element (0.85 -> 0.51 ms a page on
# the wide set; the same elements, in document order, as ".//*[@data-component-type]"); with
# them, the elements a script makes links (:func:`_script_anchors`), in the same walk (a walk
# of the page costs ~0.5 ms, each attribute more ~0.1 ms): a row or card with
# ``onclick="location.href='…'"``, ``data-href``/``data-link`` (crawler.urls.script_link) or
# ``data-url``; a jump list, a ``<select>`` whose choice the browser goes to
# (``onchange="location.href=this.value"``)
_MARKED = etree.XPath("descendant::*/@data-component-type/.. | descendant::*/@onclick/.."
                      " | descendant::*/@data-href/.. | descendant::*/@data-link/.."
                      " | descendant::*/@data-url/.. | descendant::select/@onchange/..")
_FILE_EXT = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "jpg",
                       "jpeg", "png", "gif", "webp", "avif", "svg", "mp3", "mp4", "txt", "xml"})
# Second-level labels under which a country code registers names: baotinh.com.vn, x.gov.vn.
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "info", "biz", "int",
                           "name", "pro", "health"})
_MAX_CLIMB = 5
_MAX_TEXT_PER_LINK = 600
# An inline card holds "one or a few" headline links; text outside them is at most a date.
_MAX_CARD_LINKS = 4
_CARD_ALONE = 6  # words of the headline of a <div> that holds one link and nothing else
_ALONE_TAGS = frozenset({"div", "blockquote", "aside"})
_ARROWS = re.compile(r"^\s*(?:>{2,}|[»►▶→⇒➤☞⏩])\s*")  # a related link's marker
_ARROW_MARKS = re.compile(r">{2,}|[»►▶→⇒➤☞⏩]")  # the markers of a paragraph's related lines
# words of a link's text that make it a headline in a related block, whatever its URL; a
# category label on a card ("Văn hóa - Thể thao") is shorter
_HEADLINE_WORDS = 6
_MAX_CARD_LOOSE_TEXT = 40
_PARAGRAPH_CHARS = 100  # characters besides white space outside links of a paragraph of prose
_MAX_SUMMARY = 300
_CARD_TAGS = frozenset({"div", "table", "aside", "section", "figure", "blockquote", "ul", "ol",
                        "p", "article"})
_LABEL_TAGS = frozenset({"p", "div", "strong", "b", "span", "em", "i", "td", "th", "label",
                        "dt"})  # a definition list's term titles the items under it
# the only elements extract_related's walk can take for a heading, a label or a box
_VISITED_TAGS = tuple(_HEADING_TAGS | _HEADING_LIKE | _LABEL_TAGS | _CONTAINERS)


@lru_cache(maxsize=4096)  # box titles and menu labels repeat on every page of a site
def heading_key(text: str) -> str:
    """Fold a heading for comparison: "Từ khóa:" -> "tu khoa", "Các tin khác" -> "tin khac";
    the count a box title may show of its items is no part of it: "Tin liên quan (5)"."""
    text = _ITEM_COUNT.sub("", fold(text))
    return _LIST_PREFIX.sub("", " ".join(re.sub(r"[^\w\s]", " ", text).split()))


def box_title_key(text: str) -> str:
    """:func:`heading_key` of a box title, or "" for a text too long to be one (a teaser's
    headline). A title that names its box before a colon and the box's topic after it is keyed
    by that name when it is a related box's ("Tin liên quan: Bão số 3"), and one event's
    stories ("Dòng sự kiện: Bão số 3") are "tin cùng sự kiện"; a title of the site's most read
    stories has the key of "xem nhiều" (a navigation box)."""
    key = heading_key(text) if len(text.split()) <= 10 else ""  # "Các tin liên quan:" is short
    if key in RELATED_HEADINGS or key in NAV_HEADINGS or key in TAG_HEADINGS:
        return key
    name, colon, topic = text.partition(":")
    if colon and topic.strip() and len(name.split()) <= 5:
        if heading_key(name) in RELATED_HEADINGS:
            return heading_key(name)
        if heading_key(name) in _EVENT_NAMES:
            return "tin cung su kien"
    return "xem nhieu" if key and _MOST_READ.search(key) else key


def _lead_in_key(text: str) -> str:
    """:func:`heading_key` of the text a line of related links holds besides its links, the
    dates shown after each headline left out: "Tin liên quan: - (10/3) - (11/3 15:30)"."""
    return heading_key(_DATES.sub(" ", text))


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
    return bool(_ID_DIGITS.search(last)) or last.count("-") >= 3


def _site(host: str) -> str:
    """The registered name of ``host`` (``m.baotinh.vn`` -> ``baotinh.vn``, ``x.gov.vn`` stays):
    pages of one site on its subdomains are one site; another paper is not."""
    labels = host.lower().rstrip(".").split(".")
    if all(label.isdigit() for label in labels):  # an IP address is its own site
        return host
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def url_shape(url: str) -> tuple:
    """What a site's article URLs share and its category, tag and paging URLs usually do not:
    path depth, the last segment's extension and the names of the query parameters."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    last = segments[-1] if segments else ""
    ext = last.rsplit(".", 1)[1].lower() if "." in last else ""
    keys = frozenset(k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return len(segments), ext, keys


def _is_heading(el: lxml.html.HtmlElement) -> bool:
    if el.tag in _HEADING_TAGS:
        return True
    return el.tag in _HEADING_LIKE and _heading_class(el.get("class") or "")


@lru_cache(maxsize=4096)  # a page repeats its few class names on many elements (speed)
def _heading_class(names: str) -> bool:
    """A class attribute that names a heading ("box-title", "cat-heading")."""
    return bool(_HEADING_CLASS.search(names))


@lru_cache(maxsize=4096)  # asked of every named box of the page: the names repeat (speed)
def _box_names(names: str) -> tuple[bool, bool]:
    """Whether a box's class and id (``names``) name a related box, and a tag list."""
    return bool(_RELATED_CLASS.search(names)), bool(_TAG_CLASS.search(names))


def _href(a: lxml.html.HtmlElement) -> str:
    """The href of link ``a``; where one leads nowhere (empty, ``#``, ``javascript:``), the page
    its script opens (an old portal's popup "Tin khác" list: crawler.urls.script_link)."""
    href = (a.get("href") or "").strip()
    if not href or href[0] == "#" or href[:11].lower() == "javascript:":
        return script_link(href, a.get("onclick"), a.get("data-href") or a.get("data-link")) or href
    return href


class _ArticleLinks:
    """Resolves ``<a href>`` to canonical URLs for one page, memoised by href: the same links
    are looked at again for every heading's candidate blocks."""

    def __init__(self, base: str, page_url: str):
        self.base, self.page_url = base, page_url
        try:
            page = canonical_url(page_url)
        except ValueError:
            page = page_url
        self.page = page
        try:
            self.site = _site(urlsplit(page).hostname or "")
        except ValueError:  # an unparsable page URL: no link can be shown to be of its site
            self.site = ""
        self.host = (urlsplit(page).hostname or "") if self.site else ""
        self.memo: dict[str, str | None] = {}
        self.hosts: dict[str, bool] = {}  # see :meth:`same_site`
        self.article_memo: dict[str, bool] = {}
        self.section_memo: dict[str, bool] = {}  # :meth:`section` by href
        self.shapes: dict[str, tuple] = {}
        self.looks: dict[str, tuple[bool, tuple]] = {}  # see :meth:`_looks`
        self.story_holders: set | None = None  # see :meth:`holds_story`
        self.text_sizes: dict[lxml.html.HtmlElement, int] = {}  # see :meth:`text_size`
        # per <a> element: (canonical URL or None, not a member, headline words), see
        # :meth:`_facts`; cleared when the tree around links changes (:func:`_box_after_label`)
        self.facts: dict[lxml.html.HtmlElement, tuple[str | None, bool, int]] = {}

    def same_site(self, host: str) -> bool:
        """True when ``host`` is of the page's site (:func:`_site`), memoised by host: a page
        links a handful of hosts from hundreds of links (speed)."""
        same = self.hosts.get(host)
        if same is None:
            same = self.hosts[host] = _site(host) == self.site
        return same

    def member(self, a: lxml.html.HtmlElement) -> str | None:
        """The canonical URL of link ``a`` if it may be a member of a related block: another
        page of this site (not the page itself, its home page, a file, a tag or author page)."""
        href = _href(a)
        if href in self.memo:
            return self.memo[href]
        url = None
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            url, parts, host = _target(self.base, href)
        if url:
            last = parts.path.rstrip("/").rsplit("/", 1)[-1]
            ext = last.rsplit(".", 1)[1].lower() if "." in last else ""
            if (parts.scheme not in ("http", "https") or not self.same_site(host)
                    or url == self.page or (parts.path in ("", "/") and not parts.query)
                    or ext in _FILE_EXT or _NON_ARTICLE_PATH.search(parts.path)):
                url = None
        self.memo[href] = url
        return url

    def section(self, a: lxml.html.HtmlElement) -> bool:
        """True when link ``a`` leads to a listing of this site: one of its pages whose URL is
        no article's ("/anh.htm", a sub-site "https://video.baotinh.vn/"), neither the page
        itself nor the home page of its host, nor a file."""
        href = _href(a)
        if href not in self.section_memo:
            self.section_memo[href] = self._section(href)
        return self.section_memo[href]

    def _section(self, href: str) -> bool:
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return False
        url, parts, host = _target(self.base, href)
        if (not url or parts.scheme not in ("http", "https") or not self.same_site(host)
                or url == self.page or host == self.host and parts.path in ("", "/")):
            return False
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        return (last.rsplit(".", 1)[1].lower() if "." in last else "") not in _FILE_EXT \
            and not self.like_article(url)

    def is_article(self, url: str) -> bool:
        if url not in self.article_memo:
            self.article_memo[url] = is_article_url(url, self.page_url)
        return self.article_memo[url]

    def shape(self, url: str) -> tuple:
        """:func:`url_shape` of ``url``, memoised."""
        shape = self.shapes.get(url)
        if shape is None:
            shape = self.shapes[url] = url_shape(url)
        return shape

    def text_size(self, container: lxml.html.HtmlElement) -> int:
        """``len(container.text_content())`` of a protected element, memoised: asked for every
        <article> card inside it (speed). Boxes made of its lines (:func:`_box_after_label`)
        move its text but never change its length."""
        size = self.text_sizes.get(container)
        if size is None:
            size = self.text_sizes[container] = len(container.text_content())
        return size

    def holds_story(self, block: lxml.html.HtmlElement, protected: list) -> bool:
        """:func:`_holds_story` from one walk of the page, the h1s' and protected elements'
        ancestors collected once: asked at every level of every box title's climb (speed).
        Forgotten with :attr:`facts` when the tree changes (:func:`_box_after_label`)."""
        if self.story_holders is None:
            holders: set = set()
            for el in [*block.getroottree().getroot().iter("h1"), *protected]:
                while el is not None and el not in holders:
                    holders.add(el)
                    el = el.getparent()
            self.story_holders = holders
        return block in self.story_holders

    def _looks(self, url: str) -> tuple[bool, tuple]:
        """``(is_article(url), shape(url))`` in one memo: :meth:`members` asks both for every
        link of every candidate block (nested blocks share their links), for speed."""
        looks = self.looks.get(url)
        if looks is None:
            looks = self.looks[url] = (self.is_article(url), self.shape(url))
        return looks

    def like_article(self, url: str) -> bool:
        """True when ``url`` looks like an article's, or has the URL shape of the page itself
        (an article of this site): slug sites write ``/tin/cam-pha.html`` without an id."""
        return self.is_article(url) or self.shape(url) == self.shape(self.page)

    def beside_page(self, url: str) -> bool:
        """True when ``url`` looks like an article's, or is a page of the page's own shape in
        its own folder (letter case aside, as IIS reads paths): a slug site's next story,
        ``/tin/ha-long.html`` beside ``/tin/hoi-nghi.html``. A site's footer pages
        (``/information/about-us/``) and subject lists have the shape of its stories, never
        their folder."""
        if self.is_article(url):
            return True
        folder = urlsplit(url).path.rsplit("/", 1)[0].lower()
        return self.shape(url) == self.shape(self.page) and folder == urlsplit(
            self.page).path.rsplit("/", 1)[0].lower()

    def _facts(self, a: lxml.html.HtmlElement) -> tuple[str | None, bool, int]:
        """``(url, left out, words)`` of link ``a``: its :meth:`member` URL; whether it is
        left out of any block (a block heading written as a link, a "Xem tất cả" button); the
        words of its headline (:func:`_anchor_text`). Memoised: a link is looked at again for
        every candidate block around it."""
        facts = self.facts.get(a)
        if facts is None:
            url = self.member(a)
            if not url:
                facts = (None, True, 0)
            else:
                key = heading_key(a.text_content())
                left_out = key in _MORE_LINKS or (
                    (key in RELATED_HEADINGS or key in NAV_HEADINGS) and _heading_placed(a))
                facts = (url, left_out, 0 if left_out else len(_anchor_text(a).split()))
            self.facts[a] = facts
        return facts

    def url(self, a: lxml.html.HtmlElement) -> str | None:
        """The canonical URL of link ``a`` if it looks like an article's (for finding blocks)."""
        url = self.member(a)
        return url if url and self.is_article(url) else None

    def within(self, block: lxml.html.HtmlElement,
               skip: lxml.html.HtmlElement | None = None) -> list:
        """``(a, url)`` for the links inside ``block`` (outside ``skip``) whose URL looks like
        an article's."""
        links = []
        for a in block.iter("a"):
            if skip is not None and _is_descendant(a, skip):
                continue
            url = self.url(a)
            if url:
                links.append((a, url))
        return links

    def members(self, block: lxml.html.HtmlElement,
                skip: lxml.html.HtmlElement | None = None) -> list:
        """``(a, url)`` for the article links of a recognised block, whatever their URLs look
        like: a link is kept when its URL looks like an article's, or shares the URL shape of
        one that does, or of most of the block's links, or when its text is a headline
        (_HEADLINE_WORDS words or more: "/tin-tuc/tabid/123/ArticleID/45/Default.aspx" and
        "/vi/node/126" are articles too). A link of another shape whose text is a label (a
        category on a card, "Xem tất cả") is not an article."""
        found, text_of = [], {}
        skipped = set(skip.iter("a")) if skip is not None else ()
        facts_of = self.facts
        for a in block.iter("a"):
            if a in skipped:
                continue
            url, left_out, words = facts_of.get(a) or self._facts(a)  # (a dict hit, for speed)
            if left_out:
                continue
            found.append((a, url))
            if text_of.get(url, -1) < words:
                text_of[url] = words
        if not found:
            return []
        looks = {url: self._looks(url) for url in text_of}
        if all(article for article, _ in looks.values()):
            return found  # every link is kept: the block's URL shapes need no counting (speed)
        article_shapes = {shape for article, shape in looks.values() if article}
        shapes: dict[tuple, int] = {}
        for _, shape in looks.values():
            shapes[shape] = shapes.get(shape, 0) + 1
        count = max(shapes.values())
        common = next(shape for shape, n in shapes.items() if n == count)
        tie = list(shapes.values()).count(count) > 1

        items: set | None = None  # see _item_headlines: worked out when first asked (speed)

        def story_shaped(url: str) -> bool:
            shape = looks[url][1]
            return shape in article_shapes or (shape == common and not tie)

        def headline(url: str) -> bool:  # a story by its URL, or a headline's length
            return looks[url][0] or story_shaped(url) and text_of[url] >= TEASER_WORDS

        def kept(url: str) -> bool:
            nonlocal items
            article, shape = looks[url]
            if article:
                return True
            words = text_of[url]
            if story_shaped(url):
                if words >= 3:
                    return True
                if items is None:
                    items = _item_headlines(block, found, story_shaped, headline,
                                           self.beside_page)
                return url in items
            if tie and not article_shapes:  # no shape stands out: headlines
                return words >= 4
            return words >= _HEADLINE_WORDS

        return [(a, url) for a, url in found if kept(url)]


# the items of a list as markup writes them: a list's, a table's rows, a definition list's,
# a jump list's options (a card's <p> or <div> may hold its author's or section's link alone)
_ITEM_TAGS = frozenset({"li", "tr", "dd", "option"})


def _item_headlines(block: lxml.html.HtmlElement, found: list, candidate, headline,
                    own_shape) -> set:
    """The URLs of ``found`` links that are the one ``candidate`` target (a URL of the shape
    the block's stories have) of their list item inside ``block`` (:data:`_ITEM_TAGS`), with a
    word shown: an item's one story link is its headline however short ("Nước sạch", "Vỉa
    hè"), in a list that is the block's own. A list's items are one kind of thing: a list
    holding a ``headline`` (a story told by its URL or its words) is one of stories; so is the
    block's first list, the one its title heads, when its links are the site's stories by
    their URLs (``own_shape``: :meth:`_ArticleLinks.beside_page`). A card's
    category label has another shape, an item of two stories heads neither; a list of short
    links further in a large block (a footer's "Privacy policy", a list of subjects) and a
    pager's "2" or "»" stay out."""
    targets: dict = {}
    worded: set = set()  # items whose link shows a word
    for a, url in found:
        if not candidate(url):
            continue
        item = a.getparent()
        while item is not None and item is not block and item.tag not in _ITEM_TAGS:
            item = item.getparent()
        if item is not None and item is not block:
            targets.setdefault(item, set()).add(url)
            if any(map(str.isalpha, _anchor_text(a))):
                worded.add(item)
    if not targets:
        return set()
    first = next(iter(targets)).getparent()  # (``found`` is in document order)
    lists = {item.getparent() for item, urls in targets.items() if any(map(headline, urls))}
    if first not in lists and all(own_shape(url) for item, urls in targets.items()
                                  if item.getparent() is first for url in urls):
        lists.add(first)
    return {next(iter(urls)) for item, urls in targets.items() if len(urls) == 1
            and item in worded and item.getparent() in lists}


def _target(base: str, href: str) -> tuple[str | None, SplitResult | None, str]:
    """``(canonical URL, its parts, its host)`` of ``href`` on a page at ``base``; ``(None,
    None, "")`` when it cannot be read (a malformed host or port: "http://x.vn:abc/")."""
    return _target_joined(join_base(base, href), href)


# A site's menus and sidebars give every page the same links: keyed by crawler.urls.join_base,
# they hit this memo on every page; 2,048 entries hold them (8,192 cost each worker ~6 MB more)
@lru_cache(maxsize=2048)
def _target_joined(base: str, href: str) -> tuple[str | None, SplitResult | None, str]:
    try:
        url = canonical_url(urljoin(base, href))
        parts = urlsplit(url)
        return url, parts, parts.hostname or ""
    except ValueError:
        return None, None, ""


def _is_descendant(el: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def _document_position(el: lxml.html.HtmlElement) -> int:
    """Index of ``el`` in document order (counted by XPath in C, not by walking in Python)."""
    return int(el.xpath("count(preceding::*) + count(ancestor::*)"))


def _holds_story(block: lxml.html.HtmlElement, protected: list) -> bool:
    """True when ``block`` holds an h1 or a protected element (the body): it is never removed."""
    return next(block.iter("h1"), None) is not None or any(
        _is_descendant(p, block) for p in protected)


def _acceptable(block: lxml.html.HtmlElement, links: list, protected: list) -> bool:
    """A block may be removed if it holds links, no h1 and no protected element (body)."""
    if not links or block.tag in ("body", "html") or _holds_story(block, protected):
        return False
    # characters besides white space: an indented page's source is no text
    chars, limit = solid_len(block.text_content()), _MAX_TEXT_PER_LINK * len(links)
    if chars <= limit:
        return True  # within the limit with the links' text in: not counted (speed)
    return chars - sum(solid_len(a.text_content()) for a, _ in links) <= limit


def _block_for_heading(heading, links_of: _ArticleLinks, protected):
    """The smallest ancestor (within a few levels) that holds article links after ``heading``.

    A heading heads the links that follow it: an ancestor whose article links all come before
    the heading (an empty, script-filled box at the end of a column) is not its block.
    """
    node = heading
    for _ in range(_MAX_CLIMB):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or links_of.holds_story(
                parent, protected):
            # no block of its links can be removed (:func:`_acceptable`) at this level or above:
            # the answer is None whatever links they hold, and they are not looked at (speed)
            return None
        links = links_of.members(parent, skip=heading)
        if links:
            if not _any_after(heading, parent, {a for a, _ in links}) or _prose_before(
                    heading, parent):
                return None
            return parent if _acceptable(parent, links, protected) else None
        node = parent
    return None


def _any_after(el: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement, links: set) -> bool:
    """True when one of ``links`` comes after ``el`` (and outside it) inside ``ancestor``, in
    document order: only what follows ``el`` is looked at."""
    node = el
    while node is not None and node is not ancestor:
        for sibling in node.itersiblings():
            if any(a in links for a in sibling.iter("a")):
                return True
        node = node.getparent()
    return False


def _prose_before(el: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    """True when a paragraph of prose comes before ``el`` inside ``ancestor``: a box's title
    opens its box, so an ancestor holding the story above the title (around the empty title
    of a box a script fills) is no box of it."""
    node = el
    while node is not None and node is not ancestor:
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and any(
                    map(_is_paragraph, sibling.iter("p"))):
                return True
        node = node.getparent()
    return False


def _embedded_card(el: lxml.html.HtmlElement, protected: list, links_of: _ArticleLinks) -> bool:
    """An article card embedded in the body: marked by an embed attribute, or a small <article>
    nested inside the body container that links a headline (a teaser card, not the story
    itself: CMSs that build a story of <article> blocks, one per paragraph or picture, link a
    word or two inside their sentences, never a headline)."""
    for name in _EMBED_ATTRS:
        value = el.get(name)
        if value and _EMBED_VALUE.match(value.strip()):
            return True
    if el.tag != "article":
        return False
    size = len(el.text_content())
    return size <= _MAX_TEXT_PER_LINK and any(
        p is not None and p is not el and _is_descendant(el, p)
        and size < 0.3 * links_of.text_size(p) for p in protected) and any(
        _visible_words(a) >= 4 for a in el.iter("a"))


def _near_body_lists(tree, links_of: _ArticleLinks, protected: list, story=None) -> list:
    """Heading-less lists of related headlines next to the body ("Tin liên quan" under the sapo).

    A <ul>/<ol> of two or more items, or a <table> of two or more rows, each item nothing but
    one headline link (four words or more) to an article, inside the body container or its
    parent/grandparent (when no container is known, inside the ``story`` block and the boxes
    right after it, :func:`_after_story`: its parents are the page's columns); or, outside the
    container there, a row of two or more article cards and nothing else (:func:`_card_grid`).
    Menus and sidebars further away are left to the heading rules.
    """
    areas = [] if story is None else [story, *_after_story(story)]
    for p in protected:
        if p is not None:
            areas.append(next((a for i, a in enumerate(p.iterancestors()) if i == 1), p))
    # boxes inside the body container, or holding it, are no rows of cards: told by two sets
    # made once, not by walking up from every box of the area (speed)
    inside = {el for p in protected for el in p.iter("div", "section")}
    around = {el for p in protected for el in (p, *p.iterancestors())}
    found = []
    for area in areas:
        for el in area.iter("ul", "ol"):
            items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
            if ((len(items) >= 2 or len(items) == 1 and _just_above(el, protected))
                    and not _headed(el) and all(_headline_item(li, links_of) for li in items)):
                found.append(el)
        for el in area.iter("table"):  # a list drawn as a table's rows (an ASP.NET DataList)
            rows = el.findall("tr") + el.findall("tbody/tr")
            if (len(rows) >= 2 and el not in around and not _headed(el)
                    and all(_headline_item(tr, links_of) for tr in rows)):
                found.append(el)
        for el in area.iter("div", "section"):
            if el not in inside and el not in around \
                    and _card_grid(el, links_of) and not _headed(el):
                found.append(el)
    return found


def _just_above(el: lxml.html.HtmlElement, protected: list) -> bool:
    """True when ``el`` (or its box, two levels up at most) is the element right before a body
    container: between the lead and the story, where an editor puts the story's related link
    (a one-headline list there is related news; elsewhere one link may be a "back to the
    section" link or a sidebar's, and a list of one is left to the heading rules)."""
    for box in [el, *el.iterancestors()][:3]:
        after = box.getnext()
        while after is not None and not isinstance(after.tag, str):
            after = after.getnext()
        if after is not None and any(after is p for p in protected):
            return True
    return False


def _after_story(story: lxml.html.HtmlElement) -> list:
    """The boxes that follow the ``story`` block in its column, up to the first that holds a
    box title (a heading that is no link: a card's headline is its link) or a paragraph of
    prose: a titled box is the heading rules', and what follows it is the page's, not the
    story's."""
    boxes = []
    for sibling in story.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if any(next(h.iter("a"), None) is None and next(h.iterancestors("a"), None) is None
               for h in sibling.iter(*_HEADING_TAGS)) or any(map(_is_paragraph, sibling.iter("p"))):
            break
        boxes.append(sibling)
    return boxes


_STORY_PARAGRAPHS = 3  # paragraphs of prose side by side: a story, not a teaser or a footer


def story_block(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element holding the most paragraphs of prose (:func:`_is_paragraph`) as its own
    children, at least :data:`_STORY_PARAGRAPHS`: where the story is when no body container
    is known. Cards between its paragraphs are the story's related news, as in a container."""
    counts: dict = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        if parent is not None and _is_paragraph(p):
            counts[parent] = counts.get(parent, 0) + 1
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] >= _STORY_PARAGRAPHS else None


def _card_grid(el: lxml.html.HtmlElement, links_of: _ArticleLinks) -> bool:
    """A row of two or more cards and nothing else: each child links one page of the site by its
    look (a thumbnail or a headline element, :func:`_looks_like_card`), with at most a date
    besides, and one of them at least looks like an article's."""
    cards = [child for child in el if isinstance(child.tag, str)]
    if len(cards) < 2 or any(next(child.iter("a"), None) is None for child in cards):
        return False  # (a child without a link is no card: told in C before reading texts)
    targets = []
    for child in cards:
        if text_under(child, _MAX_SUMMARY) is None:
            return False  # more text than a card's headline and date: read no further
        links = links_of.members(child)
        if (len({u for _, u in links}) != 1 or not _looks_like_card(child, links)
                or len(" ".join(_loose_text(child, links))) > _MAX_CARD_LOOSE_TEXT):
            return False
        targets.append(links[0][1])
    # the URL heuristic helps find the row; once found, every card of it is a member
    return any(map(links_of.like_article, targets))


def _headed(el: lxml.html.HtmlElement) -> bool:
    """True when a box title (a short heading) precedes ``el`` in its box: the heading rules
    decide for titled boxes; a sapo in an <h2> is not a box title. Only what stands between
    ``el`` and the story's last paragraph before it is looked at: a subheading of the story
    further up titles no list after its paragraphs."""
    siblings = [s for s in el.itersiblings(preceding=True) if isinstance(s.tag, str)]
    parent = el.getparent()
    if not siblings and parent is not None:  # first in its box: look just before the box
        siblings = [s for s in parent.itersiblings(preceding=True) if isinstance(s.tag, str)][:1]
    for sib in siblings:
        if _is_paragraph(sib) or any(map(_is_paragraph, sib.iter("p"))):
            return False  # the story (its paragraphs, or the block holding them) comes first
        heads = [sib] if _is_heading(sib) else list(sib.iter(*_HEADING_TAGS))
        if any(0 < len(h.text_content().strip()) <= 60 for h in heads):
            return True
    return False


def _is_paragraph(el: lxml.html.HtmlElement) -> bool:
    """A paragraph of running text: a few lines of words outside links."""
    if el.tag != "p":
        return False
    text = solid_len(el.text_content())
    return text - sum(solid_len(a.text_content()) for a in el.iter("a")) >= _PARAGRAPH_CHARS


def _headline_item(li, links_of: _ArticleLinks) -> bool:
    links = links_of.within(li)
    if not links:
        return False
    text = " ".join(li.text_content().split())
    link_text = " ".join(" ".join(a.text_content() for a, _ in links).split())
    return len(link_text.split()) >= 4 and len(text) <= len(link_text) + 20


def _heading_placed(a: lxml.html.HtmlElement) -> bool:
    """Link ``a`` is, or sits in, a heading: with a box title's text ("Có thể bạn quan tâm" ->
    category page) it is the block's heading, not one of its links."""
    return _is_heading(a) or any(_is_heading(p) for p in list(a.iterancestors())[:3])


def _anchor_text(a: lxml.html.HtmlElement) -> str:
    title = nfc(a.get("title")) or ""
    if title:
        return " ".join(title.split())
    # a card's link may wrap headline, summary and date: the headline element names it
    head = next(a.iter(*_HEADING_TAGS), None)
    text = " ".join(" ".join((head if head is not None else a).itertext()).split())
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


def _label_top(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element standing for a related-box title written as plain text ("<p><strong>Tin
    liên quan:</strong></p>"), or None; a navigation box's title so written ("<td>Tin mới
    nhất</td>") too: it titles its box as an <h3> would. The title must stand alone: a bold
    lead-in inside a paragraph of running text is no box title."""
    if el.tag not in _LABEL_TAGS:
        return None
    if not len(el):  # a leaf (most elements asked) holds no link and no picture: its text
        text = _short_text(el, 40)
    elif (links := len(list(islice(el.iter("a"), 2)))) > 0:
        # (the link test first: in C, and it rejects most wrappers at once) a title that is a
        # link (to the home page, to the section) still titles its box when its words are a
        # related-news title: no headline reads "Tin liên quan" (a navigation title so linked
        # is a menu's item, left out). One link: a wrapper of several is no title, and its
        # text is not read (2 ms a benchmark page, read on every wrapper of links)
        text = _short_text(el, 40) if links == 1 else None
        if not text or heading_key(text) not in RELATED_HEADINGS:
            return None
    else:
        text = _short_text(el, 40)
        if text == "":
            text = _picture_title(el)
    # (keyed as a box title: a title of the most read or most commented stories, however
    # worded, is a navigation box's, "Bình luận được xem nhiều nhất" as "Tin xem nhiều")
    if not text or (key := box_title_key(text)) not in RELATED_HEADINGS and key not in NAV_HEADINGS:
        return None
    top = el
    while (top.getparent() is not None and top.getparent().tag in _LABEL_TAGS
           and _short_text(top.getparent(), 40) == text):
        top = top.getparent()
    if top.tag in ("p", "div", "td", "th", "dt"):
        return top
    # an inline title that opens a box's header row ("<div class='title'><span>TIN CÙNG
    # CHUYÊN MỤC</span><div>Xem theo ngày …</div></div>"): first in a block that is no paragraph
    parent = top.getparent()
    if (parent is not None and parent.tag in ("div", "td", "th", "header")
            and not (parent.text or "").strip() and top is _first_element(parent)):
        return top
    return None


def _picture_title(el: lxml.html.HtmlElement) -> str:
    """The title an element without text shows as a picture: the ``alt`` of its one image
    (portals draw box titles as images: "<img src='tieude-tinkhac.gif' alt='Tin khác'>"), or
    "". Only short texts count (:func:`_short_text`'s limit of box titles)."""
    images = list(islice(el.iter("img"), 2))  # (in C; most elements without text have none)
    if len(images) != 1:
        return ""
    alt = " ".join((images[0].get("alt") or "").split())
    return nfc(alt) or "" if len(alt) <= 40 else ""


def _first_element(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    return next((child for child in el if isinstance(child.tag, str)), None)


def _is_tag_label(el: lxml.html.HtmlElement) -> bool:
    """True when the text that opens ``el`` is a tag-list label ("Từ khóa:", "Chủ đề:")."""
    text = el.text or ""
    return 0 < len(text.strip()) <= 20 and heading_key(text) in TAG_HEADINGS


def _tag_box(label: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The tag list a plain-text label opens: the label's element when the links follow it
    inside, else its parent; only when the box holds links and no other text than the label
    and separators (a tag list, not a paragraph that starts with "Chủ đề")."""
    box = label if next(label.iter("a"), None) is not None else label.getparent()
    if box is None or box.tag in ("body", "html"):
        return None
    links = [(a, None) for a in box.iter("a")]
    loose = re.sub(r"[\s,;|/·•]+", "", "".join(_loose_text(box, links)))
    own = re.sub(r"[\s,;|/·•]+", "", label.text or "")
    return box if links and len(loose) <= len(own) + 2 else None


def _short_text(el: lxml.html.HtmlElement, limit: int) -> str | None:
    """The text of ``el``, whitespace collapsed, if it has at most ``limit`` characters, else
    None. Reads no further than needed (:func:`text_under`): a box holding a whole article is
    rejected after its first words."""
    if len(el):
        text = text_under(el, limit + 1)  # at most ``limit`` characters besides white space
    else:  # (a leaf, most elements asked: its own text is all text_under would read)
        text = el.text or ""
        text = text if solid_len(text) <= limit else None
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else None


def _loose_text(el: lxml.html.HtmlElement, links: list) -> list[str]:
    """The text pieces of ``el`` outside the given links."""
    inside = {a for a, _ in links}
    pieces = []
    for text in el.xpath(".//text()"):
        holder = text.getparent()
        if text.is_tail:
            holder = holder.getparent()
        while holder is not None and holder is not el and holder not in inside:
            holder = holder.getparent()
        if holder not in inside and text.strip():
            pieces.append(" ".join(text.split()))
    return pieces


def _lead_ins_after(container: lxml.html.HtmlElement, links_of: _ArticleLinks) -> list:
    """The lines right after the body container that are a related lead-in and links only
    ("<p><b>Đọc thêm:</b> <a>…</a>; <a>…</a></p>"): the cards a story ends with, placed
    outside its container (inside it, :func:`_inline_cards` finds them)."""
    found = []
    for sibling in container.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        lines = [child for child in sibling if isinstance(child.tag, str)]
        # a line, or a box of nothing but such lines ("« Tin cũ hơn: …", "Tin mới hơn: … »")
        if not _lead_in_line(sibling, links_of) and not (
                lines and all(_lead_in_line(line, links_of) for line in lines)):
            break
        found.append(sibling)
    return found


def _lead_in_line(el: lxml.html.HtmlElement, links_of: _ArticleLinks) -> bool:
    """A <p> or <div> holding links and, besides them, nothing but a related lead-in."""
    links = links_of.members(el) if el.tag in ("p", "div") else []
    return bool(links) and _lead_in_key(" ".join(_loose_text(el, links))) in RELATED_HEADINGS


_LINE_TAGS = ("p", "div", "li", "blockquote", "h3", "h4", "h5", "h6")
_INLINE_LABELS = frozenset({"strong", "b", "em", "i", "u", "span", "label"})
# texts that may open a lead-in line: short ones outside links, or one behind an arrow
# (normalize-space() is worked out per test, on every text node of the page: the arrows are
# told by the first one or two characters, the link test comes before the length test)
_OPENING_TEXTS = etree.XPath(
    ".//text()[normalize-space()][not(ancestor::a) and string-length(normalize-space()) <= 40"
    " or substring(normalize-space(), 1, 2) = '>>'"
    " or contains('»►▶→⇒➤☞⏩', substring(normalize-space(), 1, 1))]")


def _lead_in_lines(root: lxml.html.HtmlElement, links_of: _ArticleLinks) -> list:
    """Lines anywhere on the page that are a related lead-in and headline links only ("<p><b>Xem
    thêm:</b> <a>…</a></p>"), or one headline link behind an arrow in a paragraph ("<p>» <a>…
    </a></p>"), on a page whose body container is not found (inside a container, and right
    after it, :func:`_inline_cards` and :func:`_lead_ins_after` find them). Only lines that
    open with the lead-in or the arrow are read (a sidebar's list of links opens with a link)."""
    lines = []  # the lines a short text or an arrow opens (in C, then in page order)
    for text in _OPENING_TEXTS(root):
        words = text.strip()
        if _ARROWS.match(words) or heading_key(words) in RELATED_HEADINGS:
            holder = text.getparent()
            if text.is_tail and holder is not None:
                holder = holder.getparent()
            for el in [holder, *holder.iterancestors()][:3] if holder is not None else []:
                if el.tag in _LINE_TAGS and el not in lines:
                    lines.append(el)
    found: list = []
    for el in lines:
        first = _first_element(el)
        opening = start = (el.text or "").strip()
        if not opening and first is not None:
            start = next((t for t in first.itertext() if t.strip()), "")  # its first words
            if first.tag in _INLINE_LABELS:
                label = _short_text(first, 40) or ""
                opening = f"{label} {first.tail or ''}".strip()  # "<b>Xem thêm</b>:"
        # the lead-in alone in its label, or opening the label that holds the links too
        lead = any(0 < len(x) <= 40 and heading_key(x) in RELATED_HEADINGS
                   for x in (opening, start))
        arrow = el.tag == "p" and bool(_ARROWS.match(start))
        if not (lead or arrow):
            continue
        links = links_of.members(el)
        targets = {u for _, u in links}
        if not links or len(targets) > _MAX_CARD_LINKS:
            continue
        loose = " ".join(_loose_text(el, links))
        if lead and _lead_in_key(loose) not in RELATED_HEADINGS:
            continue  # more than the lead-in: a sentence that links a headline
        if arrow and (len(targets) > 1 or _ARROWS.sub("", loose).strip()):
            continue
        if any(_visible_words(a) >= 4 for a, _ in links) and any(
                map(links_of.like_article, targets)):
            found.append(el)
    return [el for el in found if not any(f is not el and _is_descendant(el, f) for f in found)]


def _box_after_label(top: lxml.html.HtmlElement, links_of: _ArticleLinks, protected: list):
    """A title line followed by lines that are nothing but links, with no box of their own
    (inside the body, or beside it in its column): wrap the title and those lines in one new
    element (the block to record and cut), or None."""
    lines = []
    for sib in top.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        links = links_of.members(sib)
        if not links or len(" ".join(_loose_text(sib, links))) > _MAX_CARD_LOOSE_TEXT:
            break
        lines.append(sib)
    if not lines or any(_is_descendant(p, x) for p in protected for x in [top, *lines]):
        return None
    box = lxml.html.Element("div")
    top.addprevious(box)
    for el in [top, *lines]:
        box.append(el)
    links_of.facts.clear()  # the links moved: whether one sits in a heading may have changed
    links_of.story_holders = None  # and which boxes hold an h1
    return box


def _visible_words(a: lxml.html.HtmlElement) -> int:
    return len(" ".join(a.itertext()).split())


def _looks_like_card(node: lxml.html.HtmlElement, links: list) -> bool:
    """A card by its look: a headline link (four words or more) whose target is also shown by a
    picture, or which sits in (or holds) a headline element."""
    for a, url in links:
        if _visible_words(a) < 4:  # a picture's alt text is no headline: captions stay body
            continue
        same = [b for b, u in links if u == url]
        picture = any(next(b.iter("img", "picture"), None) is not None
                      or "background-image" in "".join(x.get("style") or "" for x in b.iter())
                      for b in same)
        heading = next(a.iter(*_HEADING_TAGS), None) is not None or any(
            h.tag in _HEADING_TAGS for h in a.iterancestors() if _is_descendant(h, node))
        if picture or heading:
            return True
    return False


def _section_title(head: lxml.html.HtmlElement, links_of: _ArticleLinks) -> bool:
    """True when box title ``head`` is a link, or links, to listings of the site
    (:meth:`_ArticleLinks.section`) and holds no other text than theirs."""
    own = list(head.iter("a")) or list(islice(head.iterancestors("a"), 1))
    return bool(own) and all(map(links_of.section, own)) and not "".join(
        _loose_text(head, [(a, None) for a in own])).strip()


def _headlines_only(block: lxml.html.HtmlElement, head: lxml.html.HtmlElement,
                    links_of: _ArticleLinks) -> bool:
    """True when ``block`` holds, besides its title ``head``, only its links and short labels
    (a date, a kind such as "Ảnh 360"): a teaser box, not a part of a story that a title links
    to its section (that has sentences of its own)."""
    links = links_of.members(block, skip=head)
    pieces = _loose_text(block, links + [(a, None) for a in head.iter("a")])
    title = " ".join(head.text_content().split())
    return bool(links) and all(len(x) <= _MAX_CARD_LOOSE_TEXT for x in pieces if x != title)


def _named_box(node: lxml.html.HtmlElement, links: list) -> bool:
    """True when ``node`` carries a title of its own that links to one of the site's sections
    ("Video", "Ảnh": a short heading whose link is not one of the box's headline links) and is
    no related-news title: the section's teaser box, not a heading-less card of the story (a
    card's headline sits in or around its own link)."""
    members = {a for a, _ in links}
    for head in node.iter(*_HEADING_TAGS):
        own = list(head.iter("a"))
        if not own or any(a in members for a in own) or any(
                a in members for a in head.iterancestors("a")):
            continue
        text = _short_text(head, 40)
        if text and heading_key(text) not in RELATED_HEADINGS:
            return True
    return False


_STOP, _NAMED = "stop", "named"  # verdicts of :func:`_card_verdict` besides True and False


def _arrow_lines(node: lxml.html.HtmlElement, links: list) -> bool:
    """True when ``node`` is nothing but headline links each behind an arrow (">> …" lines,
    <br> between them): the editor's own mark of related links, however many (a SharePoint
    portal closes its story with seven), where a box of plain links is a card only up to
    :data:`_MAX_CARD_LINKS`."""
    loose = " ".join(_loose_text(node, links))
    arrows = len(_ARROW_MARKS.findall(loose)) + sum(
        1 for a, _ in links if _ARROWS.match(a.text_content()))
    return not _ARROW_MARKS.sub("", loose).strip() and arrows >= len({u for _, u in links}) \
        and all(_visible_words(a) >= 4 for a, _ in links)


def _card_verdict(node: lxml.html.HtmlElement, links_of: _ArticleLinks, named: list | None):
    """What box ``node`` is to :func:`_inline_cards`' climb from a link: True for a card, False
    for no card (the climb goes on), :data:`_STOP` when neither it nor a box around it is one,
    :data:`_NAMED` for a section's teaser box (added to ``named`` when it is given)."""
    links = links_of.members(node)
    targets = {u for _, u in links}
    if not links or len(targets) > _MAX_CARD_LINKS and not _arrow_lines(node, links):
        return _STOP
    pieces = _loose_text(node, links)
    loose = " ".join(pieces)
    lead = _lead_in_key(loose)
    lead_in = bool(loose) and lead in RELATED_HEADINGS
    evidence = _looks_like_card(node, links)
    # Besides its links a box of cards holds at most a date per headline; a single card
    # that looks like one may also carry one short summary.
    summaries = [x for x in pieces if len(x) > _MAX_CARD_LOOSE_TEXT]
    single = evidence and len(targets) == 1 and len(summaries) <= 1
    limit = _MAX_SUMMARY if single else max(_MAX_CARD_LOOSE_TEXT, 20 * len(targets))
    if not lead_in and len(loose) > limit:
        return _STOP  # running text: neither this box nor any around it is a card
    if _named_box(node, links):
        # a section's teaser box ("Video", "Ảnh"): neither related news nor body
        if named is not None and node not in named:
            named.append(node)
        return _NAMED
    headline = any(_visible_words(x) >= 4 for x, _ in links)
    # a <div> or <blockquote> box holding one headline link and nothing else is a card
    # as it stands (a <p> that is one link stays a line of the story), and so are lines
    # that are each one headline link behind an arrow (">> Cầu Cửa Lục …", "» …"), one
    # line or several in one paragraph
    each = {u for x, u in links if _visible_words(x) >= _CARD_ALONE} == targets
    arrows = len(_ARROW_MARKS.findall(loose)) + sum(
        1 for x, _ in links if _ARROWS.match(x.text_content()))
    alone = each and (len(targets) == 1 and node.tag in _ALONE_TAGS and not loose or not
                      _ARROW_MARKS.sub("", loose).strip() and arrows >= len(targets))
    return bool(headline and (lead_in or ((evidence or alone)
                                          and any(map(links_of.like_article, targets)))))


def _inline_cards(container, links_of: _ArticleLinks, named: list | None = None) -> list:
    """Heading-less related cards inside the body container: the largest box around a headline
    link whose text, outside one to four linked targets, is at most a date or a lead-in such
    as "Xem thêm:", and which is a card by its look (a thumbnail or a headline element) or by
    that lead-in. A link inside running text is never a card: its paragraph has other text.
    Boxes of links under a title of their own (:func:`_named_box`) are no cards: they are
    added to ``named`` when it is given."""
    found: list = []
    # what a box is (:func:`_card_verdict`) depends on the box alone: every link of a paragraph
    # climbs to it, and it is worked out once (speed)
    verdicts: dict = {}
    for a in container.iter("a"):
        url = links_of.member(a)
        if not url or any(_is_descendant(a, c) for c in found):
            continue
        best, node = None, a
        for _ in range(_MAX_CLIMB + 3):
            node = node.getparent()
            if node is None or node is container:
                break
            if node.tag not in _CARD_TAGS:
                continue
            verdict = verdicts.get(node)
            if verdict is None:
                verdict = verdicts[node] = _card_verdict(node, links_of, named)
            if verdict is _STOP:
                break
            if verdict is _NAMED:
                best = None
                break
            if verdict:
                best = node
        if best is not None:
            found.append(best)
    return found


_JUMP = re.compile(GOES_TO, re.I)  # a jump list's onchange: the browser goes to its choice


def _script_anchors(marked: list, links_of: _ArticleLinks) -> tuple[list, list]:
    """Give the rows, cards and jump-list options a script makes links to another page of the
    site an ``<a href>`` for the time of the search (a block's members are its links however
    they are written): each such element's content is wrapped in a new anchor, or its anchors
    that lead nowhere (``href="javascript:void(0)"``) get its target, unless it is what a
    script fetches (:func:`crawler.urls.is_endpoint`: "/api/…"). Only headlines (four
    words or more) and no more text than a card's: share, print and like buttons, counters,
    "Xem thêm" and pagers stay as they are. Returns ``(new anchors, (anchor, old href))``
    for :func:`_undo_script_anchors`."""
    made: list = []
    retargeted: list = []
    for el in marked:
        if el.tag == "select":
            if _JUMP.search(el.get("onchange") or ""):
                made += [_wrap_in_anchor(option, value) for option in el.iter("option")
                         if (value := (option.get("value") or "").strip()) and value[0] != "#"
                         and len((option.text or "").split()) >= 4]
            continue
        if el.tag == "a" or el.tag in ("body", "html") or next(el.iterancestors("a"), None) \
                is not None:
            continue  # an anchor reads its own script (_href)
        target = script_link("", el.get("onclick"), el.get("data-href") or el.get("data-link")
                             or el.get("data-url"))
        if target is None or is_endpoint(target) or text_under(el, _MAX_SUMMARY) is None \
                or len(el.text_content().split()) < 4:
            continue
        anchors = list(el.iter("a"))
        if anchors:  # a row holding only anchors that lead nowhere: they lead where it does
            if all((href := _href(a))[:1] in ("", "#") or href[:11].lower() == "javascript:"
                   for a in anchors):
                for a in anchors:
                    retargeted.append((a, a.get("href")))
                    a.set("href", target)
            continue
        made.append(_wrap_in_anchor(el, target))
    for a in made:  # only those leading to another page of the site
        if links_of.member(a) is None:
            a.drop_tag()
    return [a for a in made if a.getparent() is not None], retargeted


def _wrap_in_anchor(el: lxml.html.HtmlElement, href: str) -> lxml.html.HtmlElement:
    a = lxml.html.Element("a", href=href)
    a.text, el.text = el.text, None
    for child in list(el):
        a.append(child)
    el.append(a)
    return a


def _undo_script_anchors(made: list, retargeted: list) -> None:
    """The page as it was where :func:`_script_anchors` changed it and no block was cut."""
    for a in made:
        if a.getparent() is not None:
            a.drop_tag()
    for a, href in retargeted:
        if href is None:
            a.attrib.pop("href", None)
        else:
            a.set("href", href)


def extract_related(
    tree: lxml.html.HtmlElement,
    page_url: str,
    css: str | None = None,
    protected: list | None = None,
    story: lxml.html.HtmlElement | None = None,
) -> tuple[list[dict], list[dict]]:
    """Collect related-news links from ``tree`` and remove related, navigation and tag boxes.

    ``css`` is an optional profile selector for related blocks; ``protected`` lists elements
    (the body container) that no removed block may contain; inline cards inside them are
    found, recorded and removed; so are those in ``story``, the block of the story's
    paragraphs (:func:`story_block`) when no container is known. Returns
    ``(related, related_ids)`` where related entries are
    ``{"url", "text", "block", "position", "found_by"}`` in page order (``found_by`` is one of
    :data:`FOUND_BY`) and related_ids are ``{"block", "ids"}`` for script-filled boxes that
    only carry article ids.
    """
    protected = [p for p in protected or [] if p is not None]
    links_of = _ArticleLinks(link_base(tree, tree.base_url or page_url), page_url)
    marked = _MARKED(tree)
    scripted = _script_anchors(marked, links_of)
    blocks: list[tuple[lxml.html.HtmlElement, str, str]] = []
    doomed: list[lxml.html.HtmlElement] = []
    related_ids: list[dict] = []

    if css:
        try:
            for el in CSSSelector(css)(tree):
                blocks.append((el, _block_name(el), "selector"))
        except Exception:  # noqa: BLE001 - a bad profile selector must not break extraction
            pass

    # script-filled boxes that only carry article ids ("data-component-type", any tag)
    by_id = set()
    for el in marked:
        kind = el.get("data-component-type")
        ids = re.findall(r"\d+", el.get("data-component-value") or "") if kind in _ID_TYPES else []
        if ids:
            related_ids.append({"block": _ID_TYPES[kind], "ids": ids})
            doomed.append(el)
            by_id.add(el)
    for el in tree.iter(*_VISITED_TAGS):  # in C: links, list items and images are no box
        if el in by_id:
            continue
        tag = el.tag
        heading = tag in _HEADING_TAGS or (  # _is_heading(el), inlined: every element passes
            tag in _HEADING_LIKE and _heading_class(el.get("class") or ""))
        label = None if heading or tag not in _LABEL_TAGS else _label_top(el)
        if label is None and not heading and tag in _LABEL_TAGS and _is_tag_label(el):
            box = _tag_box(el)
            if box is not None:
                doomed.append(box)
                continue
        if heading or label is not None:
            head = label if label is not None else el
            text = text_under(head, 80)
            if text is None:
                continue  # a long text is no box title (the key would be empty)
            if not text.strip():
                text = _picture_title(head)  # a title drawn as a picture
            key = box_title_key(text)
            if key in TAG_HEADINGS and label is None:
                block = el.getparent()
                if block is not None and block.tag not in ("body", "html"):
                    doomed.append(block)
                continue
            if key not in RELATED_HEADINGS and key not in NAV_HEADINGS:
                # (a title outside the container has no box inside it: its box is around it)
                if key and any(_is_descendant(head, p) for p in protected) \
                        and _section_title(head, links_of):
                    # a box inside the body's container titled by a link to one of the site's
                    # sections ("Video" -> /video, "Ảnh" -> /anh.htm) teases that section:
                    # neither related news nor body, as long as it holds nothing but headlines
                    block = _block_for_heading(head, links_of, protected)
                    if block is not None and any(_is_descendant(block, p) for p in protected) \
                            and _headlines_only(block, head, links_of):
                        doomed.append(block)
                continue
            block = _block_for_heading(head, links_of, protected)
            if block is None and key in RELATED_HEADINGS:
                # a title followed by lines of links with no box of their own: inside the body,
                # or beside it in the column that holds it (the column is no box to cut)
                block = _box_after_label(head, links_of, protected)
            if block is None:
                continue
            if key in RELATED_HEADINGS:
                blocks.append((block, nfc(" ".join(text.split()).rstrip(":")) or "", "heading"))
            else:
                doomed.append(block)
        elif tag in _CONTAINERS:
            # the name a page gives a box for its analytics (Matomo's content tracking,
            # data-content-name="article-related") names it as its class does
            cls = f"{el.get('class') or ''} {el.get('id') or ''}"
            if el.get("data-content-name"):
                cls = f"{cls} {el.get('data-content-name')}"
            # (no embed marker and no <article>: no card to look for, :func:`_embedded_card`)
            embed = tag == "article" or any(map(el.get, _EMBED_ATTRS))
            if cls == " " and not embed:
                continue  # no name and no embed marker: neither a related box nor a tag list
            by_class, tag_list = _box_names(cls)
            if by_class or (embed and _embedded_card(el, protected, links_of)):
                links = links_of.members(el)
                if _acceptable(el, links, protected):
                    blocks.append((el, _block_name(el), "class" if by_class else "card"))
            elif tag_list and not any(_is_descendant(p, el) for p in protected):
                doomed.append(el)

    taken = [b for b, _, _ in blocks] + doomed
    named: list = []  # teaser boxes of the site's sections inside the body: removed
    for container in protected:
        for el in _inline_cards(container, links_of, named):
            if not any(_is_descendant(el, b) for b in taken):
                blocks.append((el, _block_name(el) or _lead_in(el), "card"))
        for el in _lead_ins_after(container, links_of):
            # (a box found by its title already, or holding one, is no lead-in line)
            if not any(_is_descendant(el, b) or _is_descendant(b, el) for b in taken):
                blocks.append((el, _lead_in(el), "card"))
    # no body container: the block holding the story's paragraphs is looked in for cards
    for el in _inline_cards(story, links_of, named) if story is not None else ():
        if not any(_is_descendant(el, b) or _is_descendant(b, el) for b in taken):
            blocks.append((el, _block_name(el) or _lead_in(el), "card"))
    doomed += named
    if not protected:  # no body container to look in: the story's lead-in lines, wherever
        boxes = [b for b, _, _ in blocks] + doomed
        body = tree.find("body")
        for el in _lead_in_lines(body if body is not None else tree, links_of):
            if not any(_is_descendant(el, b) or _is_descendant(b, el) for b in boxes):
                blocks.append((el, _lead_in(el), "card"))
    for el in _near_body_lists(tree, links_of, protected, story):
        if not any(_is_descendant(el, b) for b in taken):
            blocks.append((el, "", "list"))

    blocks.sort(key=lambda b: _document_position(b[0]))
    kept: list[tuple[lxml.html.HtmlElement, str, str]] = []
    for block in blocks:
        if not any(_is_descendant(block[0], k[0]) for k in kept):
            kept.append(block)

    related: list[dict] = []
    seen: dict[str, dict] = {}
    for el, name, found_by in kept:
        for a, url in links_of.members(el):
            text = _anchor_text(a)
            if url in seen:  # canonical: two spellings of one link are one entry
                # a card links its story from a picture, a label or a comment count too: the
                # entry reads the headline (the first text of four words or more, as cards')
                shown = len(seen[url]["text"].split())
                if shown < 4 and len(text.split()) > shown:
                    seen[url]["text"] = text
                continue
            seen[url] = {"url": url, "text": text, "block": name, "position": len(related),
                         "found_by": found_by}
            related.append(seen[url])

    for el in doomed + [el for el, _, _ in kept]:
        if not any(_is_descendant(p, el) for p in protected):
            _drop(el)
    _undo_script_anchors(*scripted)
    return related, related_ids


def _lead_in(card: lxml.html.HtmlElement) -> str:
    """The related phrase a card starts with ("Xem thêm:"), as its block name, or ""."""
    text = " ".join((card.text_content() or "").split())
    for n in range(min(5, len(text.split())), 0, -1):
        words = " ".join(text.split()[:n])
        if heading_key(words) in RELATED_HEADINGS:
            return nfc(words.strip(" :>»-–")) or ""
    return ""
