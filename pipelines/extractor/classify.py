"""Is a fetched page an article, a listing or something else? Decided by the page's structure.

An article has one headline, a date near it (the dateline just above or below), and something
under it before the first teaser link: a paragraph, however short, photos, a video or attached
documents. A listing has teaser headlines (linked, several, most with the same URL shape) or a
pager right under its heading, and no body before them. Everything else (contact and "Giới
thiệu" pages, whose long paragraphs may hold historic dates but no dateline, home pages) is
"other". No length threshold decides alone: a one-sentence notice with a dateline is an article,
and a page of long paragraphs without one is not. A heading whose whole text links to another
page is a teaser's (a category page's lead story in its ``<h1>``), never the page's headline; a
sentence under the headline followed by a related-news box ("Tin liên quan") is a story, dated
or not; a page listing the site's feeds is one of the site's own pages.

Machine-readable markup (og:type=article, article:published_time, JSON-LD NewsArticle,
itemprop=articleBody) and hints from the crawl (the URL matches the site profile's article
patterns, or was linked as a teaser headline on one of the site's listings) stand in for a
missing dateline.

Pure: an lxml tree and a URL in, ``(kind, reason)`` out. Used by
:func:`pipelines.extractor.article.extract_article` before it extracts the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.urls import (
    CLICKABLE_TAGS,
    FEED_URL,
    TEASER_WORDS,
    canonical_url,
    join_base,
    script_link,
)
from pipelines.extractor.dates import parse_vietnamese_date, text_under
from pipelines.extractor.related import RELATED_HEADINGS
from pipelines.extractor.tree import link_base
from pipelines.text import fold, word_key

KINDS = ("article", "listing", "other")

ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|rar|7z)$", re.I)
_NOT_PAGE = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|avi|mov|wmv|flv|webm|wav|ogg|css|js|"
    r"json|xml|apk|exe)$", re.I,
)
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                  "blogposting", "report", "backgroundnewsarticle", "opinionnewsarticle"}
_NEVER_TEXT = {"script", "style", "noscript", "template", "head", "select", "option", "button"}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "figcaption", "figure",
    "blockquote", "section", "article", "table", "tr", "td", "th", "pre", "dd", "dt", "dl",
    "header", "footer", "aside", "main", "center", "address", "br", "hr", "nav", "form",
}
_PAGER_TEXT = re.compile(r"^(?:\d{1,4}|trang sau|sau|tiep|tiep theo|trang tiep|next|older|"
                         r"»|›|>|>>|xem tiep|trang cuoi|cuoi|last)\W*$")
_PAGER_HREF_FORMS = (r"[?&](?:page|p|trang|paged|pageindex|pagefirstrow)=\d",
                     r"/(?:trang|page|p)[-/]\d+", r"[?&]Paged=TRUE", r"__doPostBack\([^)]*page")
_PAGER_HREF = re.compile("|".join(_PAGER_HREF_FORMS), re.I)
# the same, one form at a time: each search skips to its form's first character, where the
# alternation tries every form at every position (a shortcut for speed: a third of the time,
# asked of every link)
_PAGER_HREF_EACH = [re.compile(form, re.I) for form in _PAGER_HREF_FORMS]
# a page-number URL of the page itself: the pager's hrefs, Joomla's ``limitstart``/``start``
# offsets, a Liferay portlet's ``…_cur=N``
_PAGED_URL = re.compile(_PAGER_HREF.pattern + r"|[?&](?:limitstart|start)=\d|_cur=\d+(?:&|$)",
                        re.I)
_ENGLISH_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+"
    r"(?:19|20)\d\d\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?,?\s+(?:19|20)\d\d\b", re.I,
)
# a class or id token that names a sidebar or footer box ("sidebar-right", "widget_area",
# "col-right", "footer"); a wrapper named after what it holds ("content-sidebar-wrap",
# "main-with-sidebar") is no sidebar
_SHOWN = {"a", "img", "video", "audio", "iframe", "embed", "object", "time"}  # see _visit
_FRAMES = ("iframe", "embed", "object")  # what shows another document inside the page
_PLAYER = re.compile(r"youtube|vimeo|video|player|embed", re.I)  # an embedded video's URL
_ASIDE_TOKEN = re.compile(r"(?:aside|side|sidebar|sidebox|widget|col-?right|right-?col|"
                          r"box-?right|footer)(?:[_-]?[a-z0-9]+)?", re.I)
_WRAPPER_WORD = re.compile(r"wrap|content|main|container|page|body|inner|post|article|entry",
                           re.I)
_DATE_IN_URL = re.compile(r"/(?:19|20)\d\d/[01]?\d/[0-3]?\d/|/(?:19|20)\d\d[01]\d[0-3]\d/")
_YMD = re.compile(r"\b((?:19|20)\d\d)[./-][01]?\d[./-][0-3]?\d\b")
DATELINE_CHARS = 100  # a dateline is a short line: a longer one is a sentence with a date in it
DATELINE_WORDS = 6  # words besides the date words in a dateline: an author's name at most
_DATE_WORDS = re.compile(
    r"\b(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|cap nhat|ngay dang|dang luc|dang ngay|ngay|"
    r"thang|nam|luc|gio|gmt|utc|sa|ch|am|pm|updated?|posted|published|on|at|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b"
)
# a period ("từ 01/12/2025 đến 07/12/2025", "01/12 - 07/12/2025"): a calendar's week or a
# document's validity, not the moment a page was published (folded text)
_PERIOD = re.compile(r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\s*(?:-|–|den|toi|to)\s*(?:ngay\s*)?"
                     r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
DATELINE_LINES = 8  # lines after the headline searched for the dateline (before, 3)
FIRST_NEWS_YEAR = 1995  # Vietnamese news sites start in the late 1990s: 1963 is history
LISTING_TEASERS = 3  # teaser headlines of one URL shape right under the heading
LISTING_LINES = 60  # lines searched for them
LISTING_LEAD_CHARS = 300  # at most this much text (a category's blurb) above them
LIST_DATELINES = 3  # datelines under one heading that make a list of items (an article: 1-2)
PARAGRAPH_CHARS = 150  # a line this long is a paragraph of text, not an item's caption
CARD_CHARS = 300  # a card's text at most: a headline, a date, a line of summary
SENTENCE_WORDS = 4  # a line of this many words that ends as a sentence ends is one
LEAD_IN_WORDS = 8  # a line of this many words ending in ":" leads in a list or a table
TEASER_RUN_LINES = 6  # two teaser headlines within this many lines start a run of teasers
MARKUP_HEADLINE_WORDS = 4  # a category name ("Kinh tế", "Thời sự") is shorter than a headline
MAX_ATTACHMENTS = 20
FEED_LINKS = 2  # different feeds under a headline make a list of them (an article: one at most)
DOCUMENT_TITLE_WORDS = 6  # a document linked behind this many words is named by its subject
_LETTER_WORDS = re.compile(r"[^\W\d_]+")
# the pages every site has besides its news, named as CMSs and portals name them (folded)
_STATIC_PAGE = re.compile(
    r"\b(?:gioi thieu|lien he|lich su hinh thanh|co cau to chuc|chuc nang(?:,)? nhiem vu|"
    r"so do (?:cong|trang|website)|ban do trang|sitemap|site map|tim kiem|ket qua tim kiem|"
    r"dieu khoan|chinh sach bao mat|quang cao|thong tin toa soan|ve chung toi|"
    r"about(?: us)?|contact(?: us)?|privacy policy|terms of (?:use|service)|search results?)\b"
)
# what a portal's own pages do, named by the page's headline or title from its first word
# ("Lịch công tác ngày 02/12", "Danh bạ điện thoại", "Gửi câu hỏi"); inside a headline
# ("Điều chỉnh lịch công tác của …") they are news (folded)
_SITE_FUNCTION = re.compile(
    r"(?:lich (?:cong tac|lam viec)|danh ba|tham do y kien|dang nhap|dang ky (?:tai khoan|"
    r"thanh vien)|quen mat khau|gui (?:bai viet|cau hoi|y kien|email|cho ban be|lien he))\b"
)
_SEARCH_PAGE = re.compile(r"tim kiem|ket qua tim kiem|search")
# a folder of the address that holds the pages gathering a tag's, a topic's or an author's
# stories (WordPress /tag/, /author/; Joomla /component/tags/tag/; /chu-de/, /tac-gia/):
# articles are not filed under them
_TAXONOMY_FOLDER = re.compile(r"tags?|authors?|tac-gia|chu-de|topics?|tu-khoa|keywords?", re.I)
# A "not found" or error page served with status 200 (a soft 404): an article removed from a
# portal, a wrong id in ``ChiTietTinTuc.aspx?nid=…``, an ASP.NET error page. The site's template
# is all there, so the page looks like a one-line notice; what it says is the message only.
# Folded text (pipelines.text.fold). Its title, alone or before the site's name (the same
# nouns as the body's message below: a news site's 404 says "Không tìm thấy đường dẫn này"):
_ERROR_TITLE = re.compile(
    r"(?:loi\s*)?(?:40[034]|50[03])\b.*|(?:(?:404|error|loi) ?[-:]? ?)?(?:page |trang )?not found|"
    r"khong tim thay(?: (?:trang|bai viet|noi dung|du lieu|tin|thong tin|duong dan|lien ket|"
    r"dia chi)(?: nay)?)?|"
    r"(?:trang|bai viet|noi dung|tin|tin bai|du lieu|duong dan|dia chi)"
    r"(?: ban (?:yeu cau|tim|truy cap))? (?:nay )?"
    r"(?:khong ton tai|da bi (?:xoa|go bo|go))|(?:da )?co loi(?: xay ra)?|"
    r"loi(?: he thong| ung dung| truy cap)?|(?:server |runtime |application )?error|"
    r"server error in .*|access denied|truy cap bi tu choi|trang bao loi"
)
# or a short body where a line is the message, after "Xin lỗi," at most
_ERROR_TEXT = re.compile(
    r"(?:(?:xin loi|rat tiec|thong bao|sorry|oops)\W+)?(?:"
    r"(?:loi )?404\b|khong tim thay (?:trang|bai viet|noi dung|du lieu|tin|duong dan)|"
    r"(?:trang|bai viet|noi dung|tin bai|tin|du lieu|duong dan|dia chi)(?: ban (?:yeu cau|tim|"
    r"truy cap|dang tim)(?: kiem)?)? (?:nay )?(?:khong ton tai|da bi (?:xoa|go bo|go|an))|"
    r"(?:noi dung|bai viet|du lieu|thong tin)? ?dang (?:duoc )?cap nhat\W*$|"
    r"(?:da )?co loi xay ra|runtime error|server error|an error (?:has )?occurred|"
    r"the (?:page|article|resource) (?:you (?:requested|are looking for) )?(?:was |is )?"
    r"(?:not found|does not exist|(?:cannot|could not) be found|no longer (?:exists|available))|"
    r"(?:page|article) not found)"
)
ERROR_TEXT_CHARS = 300  # an error page's message is a line or two; an article says more
# A site down for maintenance, served as 200 in its template (folded text): the title or a line
# of a short body says the site, not a thing the story is about, is being maintained. The
# article is not gone: a stored one stays as it is, not marked removed.
_MAINTENANCE = re.compile(
    r"(?:(?:xin loi|thong bao|sorry)\W+)?(?:he thong|website|web ?site|trang web|trang|"
    r"cong thong tin(?: dien tu)?|bao dien tu|chuyen trang)\W*(?:hien |tam thoi )?dang "
    r"(?:duoc |tien hanh )?(?:bao tri|nang cap)\b.*|"
    r"(?:(?:the |this |our )?(?:web ?)?site (?:is )?)?(?:currently )?(?:down for|under(?:going)?) "
    r"(?:scheduled )?maintenance\b.*"
)
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:]\s+")
_ENDS_WITH_SEPARATOR = re.compile(_TITLE_SEPARATOR.pattern + "$")

DATELESS_PROSE_CHARS = 400  # prose that makes a dateless page an article (a stub is not)
BODY_RUN_CHARS = 800  # a body block that needs no headline element: several paragraphs
MARKUP_PROSE_CHARS = 200  # a short paragraph of prose beside article markup (a notice has one)


@dataclass(slots=True)  # (slots: read and written on every element)
class _Line:
    """One block-level line of the page: its own text, its links, what it shows."""

    text: str = ""  # text outside links
    teasers: list[str] = field(default_factory=list)  # headline links to pages of the site
    pager: bool = False
    media: int = 0  # images outside links to pages, videos, embedded players
    attachments: list[dict] = field(default_factory=list)
    time_date: bool = False  # a <time datetime> holding a date
    headline: bool = False
    in_section: bool = False  # inside the headline's section
    aside: bool = False  # in a sidebar or the footer ("Tin mới nhất", "Đọc nhiều" boxes)
    row: lxml.html.HtmlElement | None = None  # the table row (<tr>) the line is a cell of
    cell: lxml.html.HtmlElement | None = None  # the row's cell (<td>, <th>) the line is in


@dataclass(slots=True)  # (slots: read and written on every element)
class _Walk:
    url: str
    host: str
    headline: lxml.html.HtmlElement | None
    section: lxml.html.HtmlElement | None
    lines: list[_Line] = field(default_factory=list)
    current: _Line = field(default_factory=_Line)
    buf: list[str] = field(default_factory=list)
    in_section: bool = False
    aside: int = 0  # depth of sidebar/footer elements around the walk
    row: lxml.html.HtmlElement | None = None  # the table row (<tr>) the walk is in
    cell: lxml.html.HtmlElement | None = None  # the cell (<td>, <th>) the walk is in
    pager_links: int = 0
    # the site's RSS or Atom feeds linked in the headline's section, outside sidebars (a
    # blog's footer "Entries (RSS) | Comments (RSS)" is outside it), each counted once
    feeds: set[str] = field(default_factory=set)
    marked: bool = False  # something other than text was recorded on the current line
    # each href of the page read once (:func:`_resolve`): menus repeat a page's links
    resolved: dict[str, tuple[str, str, str] | None] = field(default_factory=dict)
    # the headline's ancestors, for _holds (a set: asked of every sidebar element)
    above_headline: set = field(default_factory=set)

    def flush(self) -> None:
        line = self.current
        if self.buf:
            line.text = " ".join("".join(self.buf).split())
            self.buf.clear()
        if line.text or line.teasers or line.media or line.attachments or line.pager \
                or line.headline or line.time_date:
            line.in_section = line.in_section or self.in_section
            line.aside = line.aside or self.aside > 0
            line.row = self.row
            line.cell = self.cell
            self.lines.append(line)
            self.current = _Line()
        # else the current line holds nothing yet: it stays, as good as a new one
        self.marked = False


def classify_page(
    tree: lxml.html.HtmlElement, url: str, hints: dict | None = None
) -> tuple[str, str, list[dict]]:
    """``(kind, reason, attachments)`` for a parsed page: kind is "article", "listing" or
    "other"; reason a short why (stored in ``captures.page_reason``); attachments the
    ``{url, text}`` of documents linked under an article's headline (PDF, DOC …).

    ``hints``: ``article_url`` (the URL matches the site profile's article patterns),
    ``teaser_url`` (the crawl saw this URL linked as a teaser headline on a listing),
    ``article_shape`` / ``listing_shape`` (the URL has the shape the crawl learned from the
    site's teaser headlines / pager links: crawler.url_shapes). A shape is one signal beside
    the page's structure, never the only one: a site's own page stays "other".
    """
    hints = hints or {}
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit("")
    if parts.path in ("", "/") and not parts.query and parts.netloc:
        return "other", "home page of the site", []
    markup = _article_markup(tree) or (
        "an article body container" if hints.get("body_container") else None)
    headline = _headline(tree, url)
    if hints.get("article_url") and headline is not None and not _links_attachment(tree, url):
        # decided by the URL and the headline, as below once the page is walked; only an
        # attached document (listed under the headline) needs the walk
        return "article", _BY_PATTERN, []
    walk = _walk(tree, url, headline)
    lines = walk.lines
    start = next((i for i, line in enumerate(lines) if line.headline), None)
    after = lines[start + 1:] if start is not None else lines
    lead = _until_teasers(after, lines[start].cell if start is not None else None)
    dated = _dated(lines, start, lead) or bool(_DATE_IN_URL.search(parts.path))
    main = [line for line in lead if not line.aside]  # sidebars and the footer are no body
    datelines = [_dateline(line.text) for line in main]  # (read once: asked twice below)
    body = sum(len(line.text) for line, dated in zip(main, datelines, strict=True) if not dated)
    media = sum(line.media for line in main)
    attachments = _attachments(main)
    substance = body > 0 or media > 0 or bool(attachments)
    # the teaser headlines that follow the lead (a listing's come right under its heading)
    following = after[len(lead):len(lead) + LISTING_LINES]
    teasers, teaser_shape = _largest_shape_group([u for line in following if not line.aside
                                                  for u in line.teasers])
    pager = any(line.pager for line in after)

    if hints.get("article_url") and (headline is not None or substance):
        return "article", _BY_PATTERN, attachments
    # several items under the heading, each with its own dateline and no paragraph of text
    # (a page of videos or photo albums, an events list): a list of things, not one article
    dated_items = sum(datelines)
    # (a notice opens with its text under its dateline: the dated lines after it are its
    # schedule's rows; a listing opens with its first item)
    if dated_items >= LIST_DATELINES and max(len(line.text) for line in main) < PARAGRAPH_CHARS \
            and not _opens_as_notice(main, lines[max(0, start - 3):start] if start else []):
        return "listing", f"{dated_items} dated items under the heading", []
    # two documents or more, each linked behind a title of its own and dated, and no paragraph:
    # a listing of documents (the last page of a "Văn bản" table), not one notice with its
    # attachments (named by their file, "Tải về", or one title and one date)
    titled = sum(1 for a in attachments
                 if len(_LETTER_WORDS.findall(a["text"])) >= DOCUMENT_TITLE_WORDS)
    if min(titled, dated_items) >= 2 and max(len(line.text) for line in main) < PARAGRAPH_CHARS:
        return "listing", f"{titled} documents with their own titles and dates", []
    listing_shape = hints.get("listing_shape")
    if listing_shape and not dated and body < LISTING_LEAD_CHARS and (teasers or pager):
        return "listing", f"URL has the site's pager-link shape {listing_shape}", []
    # Machine-readable markup that says "article" over a page of prose: a news page whose
    # headline or dateline this walk misses (no h1, an English date, related lists above the
    # body) is still one. Listings and "Giới thiệu" pages do not declare themselves articles.
    prose = _prose_outside_teasers(lines)
    if markup and prose >= MARKUP_PROSE_CHARS:
        return "article", f"article markup ({markup}) and {prose} characters of prose", attachments
    if headline is not None and substance:
        # a listing may carry a dated, illustrated first teaser: no text under the heading;
        # but teasers shaped like the page's own address are its siblings (a "Tin khác" or
        # "Tin mới nhất" box under a photo or a video): a listing is not shaped like its items
        listing_like = body < 40 and not attachments and teasers >= LISTING_TEASERS \
            and teaser_shape != url_shape(url)
        if dated and not listing_like:
            return "article", _article_reason(body, media, attachments), attachments
        words = len(re.findall(r"[^\W\d_]+", _text(headline)))
        text_after = sum(len(line.text) for line in after)
        if markup and words >= MARKUP_HEADLINE_WORDS and (not listing_like or text_after >= 500):
            return "article", f"article markup ({markup})", attachments
        # a hint stands in for a missing dateline, never for what the page names itself:
        # the site's own pages ("Liên hệ", "Tìm kiếm") may be linked under a heading too
        own_page = _static_page(tree, url, headline) or _feed_list(walk)
        # nor for what its address names it: under /tag/, /author/, /chu-de/ a line of
        # introduction (a bio, a topic's blurb) and a run of teasers are a listing
        if teasers >= LISTING_TEASERS and body < LISTING_LEAD_CHARS \
                and any(map(_TAXONOMY_FOLDER.fullmatch, parts.path.split("/")[1:-1])):
            own_page = own_page or "a tag, topic or author page by its address"
        # nor for text: under a headline with no dateline, lines that are labels, form fields
        # and table cells, none a sentence, no photo and no document, are a site's function
        # (a directory, a form, a poll, a calendar), not an article
        shown = [line for line in main if line.in_section] or main  # (a sidebar's thumbnails)
        if not (attachments or any(line.media or _sentence(line.text) for line in shown)):
            own_page = own_page or "no sentence, photo or document under the headline"
        # a question put in a sentence and a sentence after it under the headline: a "Hỏi
        # đáp" item (a citizen's question, the office's answer) is news without a dateline
        if not own_page and _question_answered(shown):
            return "article", "a question and its answer under the headline", attachments
        # a sentence of its own under the headline, then the run of teasers under a heading
        # that names them news related to this one ("Tin liên quan", "Tin khác"): a story
        # and its related box (a listing's teasers follow its heading or its blurb at once)
        if not own_page and not listing_like and _related_box_follows(main) \
                and any(_sentence(line.text) for line in main[:-1]):
            return "article", "a sentence under the headline, then its related news", \
                attachments
        if hints.get("teaser_url") and not listing_like and not own_page:
            return "article", "linked as a teaser headline on the site's listings", attachments
        shape = hints.get("article_shape")
        if shape and not listing_like and not own_page:
            return "article", f"URL has the site's teaser-link shape {shape}", attachments
    elif markup and headline is None and body >= 200:
        return "article", f"article markup ({markup}), no headline element", attachments
    # The headline the walk found may be the site's logo, or the real one may not be a
    # heading at all: a long block of prose with a dateline just above it is an article too.
    run = _dated_prose_run(lines)
    if run:
        return "article", f"a dated body block of {run} characters", attachments
    # a pager marks a listing only where no body stands under the heading (an article may
    # page its comments or its related list)
    if body < LISTING_LEAD_CHARS and (teasers >= LISTING_TEASERS or pager):
        what = f"{teasers} teaser headlines" + (" and a pager" if pager else "")
        return "listing", what, []
    # the last page of a listing may hold one or two teasers and link back to page 1 only:
    # its own page-number URL says what the few teasers are
    if body < LISTING_LEAD_CHARS and teasers and not dated and _PAGED_URL.search(url):
        return "listing", f"{teasers} teaser headlines at a page-number URL", []
    # A page of prose that shows no date is still an article (a blog post, a feature, most
    # general web pages) unless it names itself one of a site's own pages: "Giới thiệu",
    # "Liên hệ", the organisation chart… whose long paragraphs may hold historic dates.
    static = _static_page(tree, url, headline) or _feed_list(walk)
    if not static and prose >= DATELESS_PROSE_CHARS:
        return "article", f"{prose} characters of prose, no date shown", attachments
    if static and _SEARCH_PAGE.match(static):
        found = sum(len(line.teasers) for line in following if not line.aside)
        if found and body < LISTING_LEAD_CHARS:  # results from any section, of any URL shape
            return "listing", f"search results: {found} teaser headlines", []
    if static:
        return "other", f"a page of the site itself ({static})", []
    if headline is None:
        return "other", "no headline", []
    if not dated:
        return "other", "no date near the headline", []
    return "other", "nothing under the headline", []


def error_page(title: str | None, text: str, attachments: list) -> str | None:
    """The reason a page with this title and body text is an error or "not found" page served
    as 200 (a soft 404), or None: the title is such a message (alone or before the site's
    name), or a line of a body of at most :data:`ERROR_TEXT_CHARS` characters is one. A page
    with an attached document is a notice whatever its text."""
    return _page_saying(title, text, attachments, _ERROR_TITLE.fullmatch, _ERROR_TEXT.match,
                        "an error page served as a page")


def maintenance_page(title: str | None, text: str, attachments: list) -> str | None:
    """The reason a page with this title and body text is the site's "down for maintenance"
    page served as 200, or None (the same bounds as :func:`error_page`)."""
    return _page_saying(title, text, attachments, _MAINTENANCE.fullmatch,
                        _MAINTENANCE.fullmatch, "the site's maintenance page served as a page")


def _page_saying(title: str | None, text: str, attachments: list, title_says: Callable,
                 line_says: Callable, what: str) -> str | None:
    """``what`` and the words that say it, when the title's head (before the site's name) or
    a line of a short body (folded) says so; None for a longer body or an attached document."""
    if attachments or len(text) > ERROR_TEXT_CHARS:
        return None
    shown = (title or "").strip()
    head = _TITLE_SEPARATOR.split(fold(shown), maxsplit=1)[0].strip(" .!")
    if head and title_says(head):
        return f"{what}: its title is \"{shown[:80]}\""
    for line in text.split("\n"):
        if line_says(fold(line).strip()):
            return f"{what}: \"{line.strip()[:80]}\""
    return None


def _static_page(tree, url: str, headline) -> str | None:
    """The site-page name ("gioi thieu", "lien he", "about" …) that the page's headline, title
    or URL path carries, or a site function ("lich cong tac", "danh ba" …) that its headline or
    title starts with, folded; None for other pages."""
    title = tree.find(".//title")
    names = [_text(headline) if headline is not None else "",
             title.text_content() if title is not None else ""]
    try:
        names.append(urlsplit(url).path.replace("-", " ").replace("_", " ").replace("/", " "))
    except ValueError:
        pass
    for i, name in enumerate(names):
        folded = fold(name)[:120]
        match = _STATIC_PAGE.search(folded) or (
            _SITE_FUNCTION.match(folded.strip()) if i < 2 else None)  # not the URL's words
        if match:
            return match.group(0)
    return None


def _related_box_follows(main: list[_Line]) -> bool:
    """The last line before the first run of teasers (``main`` ends there) is a related-news
    box's heading (:data:`pipelines.extractor.related.RELATED_HEADINGS`)."""
    if not main or main[-1].teasers or len(main[-1].text) > 60:
        return False
    name = fold(main[-1].text).strip(" :.»>-").removeprefix("cac ").removeprefix("nhung ")
    return name in RELATED_HEADINGS


def _feed_list(walk: _Walk) -> str | None:
    """Named when the page links :data:`FEED_LINKS` different feeds or more in its headline's
    section, outside its sidebars (the site's "RSS" page, each section's feed in a row): a page
    of the site itself, however much it explains what RSS is; None otherwise. One feed linked
    again and again (the tool bar's, the menu's, the footer's "RSS") is the site's chrome, on
    its stories too."""
    return "a list of the site's feeds" if len(walk.feeds) >= FEED_LINKS else None


def _prose_outside_teasers(lines: list[_Line]) -> int:
    """Characters of prose lines (60+ characters, outside sidebars) that are not a teaser's
    blurb: a listing's text is its blurbs."""
    total = 0
    for i, line in enumerate(lines):
        if line.aside or len(line.text) < 60:
            continue
        if not _blurb(lines, i):
            total += len(line.text)
    return total


def _blurb(lines: list[_Line], i: int) -> bool:
    """Line ``i`` follows a teaser headline closely: it is the teaser's blurb."""
    return any(x.teasers for x in lines[max(0, i - 2):i + 1])


def _dated_prose_run(lines: list[_Line]) -> int:
    """Characters of the longest run of prose lines (outside sidebars, no teaser links or
    blurbs, no dateline between them) that has a dateline within a few lines above it; 0 when
    no run reaches BODY_RUN_CHARS."""
    best, run, start = 0, 0, 0
    for i, line in enumerate([*lines, _Line(teasers=["end"])]):
        # a body has one dateline, above it: datelines between its paragraphs make a feed
        breaks = line.aside or bool(line.teasers) or _blurb(lines, i) or _dateline(line.text)
        if not breaks:
            if len(line.text) >= 60:
                if not run:
                    start = i
                run += len(line.text)
            continue
        above = lines[max(0, start - DATELINE_LINES):start]
        if run >= BODY_RUN_CHARS and any(
                x.time_date or _dateline(x.text) for x in above if not x.aside):
            best = max(best, run)
        run = 0
    return best


def _article_reason(body: int, media: int, attachments: list) -> str:
    shown = [f"{body} characters of text"] if body else []
    if media:
        shown.append(f"{media} images or videos")
    if attachments:
        shown.append(f"{len(attachments)} attachments")
    return "headline, dateline and " + ", ".join(shown)


# an itemprop="articleBody" anywhere, found through the attribute axis (libxml2 tests the
# itemprop attributes only, not a predicate per element: 0.98 -> 0.47 ms a page on the wide
# set, as "//*[@itemprop='articleBody']")
_ARTICLE_BODY_PROP = etree.XPath("//@itemprop[. = 'articleBody']")


def _article_markup(tree: lxml.html.HtmlElement) -> str | None:
    """The first machine-readable sign that the page is an article, named; None if none."""
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").lower()
        if key == "og:type" and (el.get("content") or "").strip().lower() == "article":
            return "og:type=article"
        if key == "article:published_time" and (el.get("content") or "").strip():
            return "article:published_time"
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            for kind in _json_ld_types(script.text):
                if kind.lower() in _ARTICLE_TYPES:
                    return f"JSON-LD {kind}"
    if _ARTICLE_BODY_PROP(tree):
        return "itemprop=articleBody"
    return None


def _json_ld_types(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return re.findall(r'"@type"\s*:\s*"(\w+)"', text)
    found: list[str] = []
    stack = [data]
    while stack and len(found) < 50:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("@type")
            found.extend(kind if isinstance(kind, list) else [kind] if kind else [])
            stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
    return [k for k in found if isinstance(k, str)]


def _text(el) -> str:
    # an element without children (most links) holds its .text only: text_content's XPath
    # costs more than the rest of reading a link (a shortcut for speed, same text)
    return " ".join((el.text_content() if len(el) else el.text or "").split())


def _headline(tree: lxml.html.HtmlElement, url: str = "") -> lxml.html.HtmlElement | None:
    """The page's headline element: the h1 matching og:title (or <title>), else the only h1
    outside the header, else a heading that matches og:title and links nowhere but to the page
    itself (``url``, its canonical or og:url: a blog's post title is its permalink; another
    page's title is a teaser). Logos in h1 do not count."""
    og = next((el.get("content") for el in tree.iter("meta")
               if (el.get("property") or el.get("name") or "").lower() in ("og:title",
                                                                            "twitter:title")
               and el.get("content")), None)
    title_el = tree.find(".//title")
    names = [fold(" ".join(t.split())) for t in (og, title_el.text_content()
                                                 if title_el is not None else None) if t]
    h1s = [h for h in tree.iter("h1") if len(_text(h)) >= 3 and not _in_header(h)]

    def matches(el) -> bool:
        text = fold(_text(el))
        return len(text) >= 10 and any(text in name or name in text for name in names if name)

    shown = len(h1s)
    # an h1 that links to another page is a teaser's, unless the title names it (the site's
    # name linking home: its post's heading is read below, :func:`_post_heading`)
    if any(h.find(".//a") is not None or _inside_link(h) for h in h1s):  # (most h1: none)
        here = _own_addresses(tree, url)
        h1s = [h for h in h1s if matches(h) or not _names_another_page(h, here)]
    for h in h1s:
        if matches(h):
            post = _post_heading(tree, h, names, url)
            return h if post is None else post
    # the only h1 is the headline, unless others were teasers' or a logo: a page that puts
    # links in h1s heads its boxes with them too ("VIDEOS", "Related Stories")
    if len(h1s) == 1 == shown:
        return h1s[0]
    if names:
        here = None  # the page's own addresses, read at the first linked heading
        for h in tree.iter("h2", "h3"):
            if not matches(h) or _in_header(h):
                continue
            links = [a.get("href") or "" for a in h.iter("a")]
            if links and here is None:
                here = _own_addresses(tree, url)
            if all(_resolved(href, here[0]) in here[1] for href in links):
                return h
    if h1s or not names:
        return h1s[0] if h1s else None
    if all(map(print_view_title, names)):  # "In trang": the print view's title names no story
        return _titled_element(tree)
    # no heading names the page: ASP.NET's <span id="…_lblTitle">, a <div class="title">
    # shows its title all the same, as the text of one element (a block of its own)
    body = tree.find("body")
    longest = max(map(len, names))
    for el in body.iter(*_TITLE_ELEMENTS) if body is not None else ():
        if any(child.tag in _BLOCK for child in el):
            continue  # a wrapper: its text would be read for nothing, on every level
        text = _text(el)
        if not 10 <= len(text) <= 3 * longest:  # (a decomposed letter takes up to 3)
            continue
        text = fold(text)
        if any(_shows_title(text, name) for name in names) \
                and not any(child.tag in _BLOCK for child in el.iterdescendants()) \
                and not _in_header(el) and not any(p.tag == "a" for p in el.iterancestors()) \
                and el.find(".//a") is None:
            return el
    return None


def _inside_link(el) -> bool:
    return any(p.tag == "a" for p in el.iterancestors())


def _names_another_page(heading, here: tuple[str, set[str]]) -> bool:
    """``heading``'s whole text is a link to another address than the page's own (``here``,
    :func:`_own_addresses`): a teaser's headline (a category page's lead story in an h1), never
    the page's. A headline linking to its own page (a permalink) is the page's."""
    outer = next((p for p in heading.iterancestors() if p.tag == "a"), None)
    links = [outer] if outer is not None else list(heading.iter("a"))
    hrefs = [(a.get("href") or "").strip() for a in links]
    if not links or not all(h and h[0] != "#" and h[:11].lower() != "javascript:"
                            for h in hrefs):
        return False
    linked = sum(len(_text(a)) for a in links) if outer is None else len(_text(heading))
    if linked < len(_text(heading)):
        return False  # words outside its links: a headline that links a name in it
    return not all(_resolved(href, here[0]) in here[1] for href in hrefs)


def _post_heading(tree: lxml.html.HtmlElement, h1, names: list[str], url: str):
    """The heading that names the post when the h1 names the site: the title is the h1's
    text and the post's ("Blog name: Post title"), and an h2 or h3 linking to the page
    itself shows the post's part whole (a blog's banner h1 beside its permalinked post
    title; a heading linking elsewhere, "ProFootballTalk" to the home page, is the site's
    name beside an h1 headline). None when no heading does."""
    site = fold(_text(h1))
    posts = set()
    for name in names:
        if name.startswith(site) and _SITE_SEPARATOR.match(name[len(site):]):
            posts.add(name[len(site):].strip(" :|-–—»"))
        elif name.endswith(site) and _SITE_SEPARATOR.search(name[:-len(site)] + " "):
            posts.add(name[:-len(site)].strip(" :|-–—»"))
    posts = {post for post in posts if len(post) >= 10}
    if not posts:
        return None
    here = _own_addresses(tree, url)
    for h in tree.iter("h2", "h3"):
        links = [a.get("href") or "" for a in h.iter("a")]
        if links and fold(_text(h)) in posts and not _in_header(h) \
                and all(_resolved(href, here[0]) in here[1] for href in links):
            return h
    return None


_SITE_SEPARATOR = re.compile(r"\s*:\s+|\s+[-|–—»]\s+")
_TITLE_ELEMENTS = ("span", "div", "td", "p", "strong", "b", "h4", "h5")
# the <title> of an article's print view ("In trang", "Bản in - Cổng TTĐT"), folded
_PRINT_TITLE = re.compile(r"(?:in trang|trang in|ban in|in bai(?: viet)?|phien ban in|print"
                          r"(?: page| version)?|printer friendly(?: version)?)(?:\s+[-|–—:]\s+.*)?")
_TITLE_NAME = re.compile(r"title|tieu-?de", re.I)  # "print-title", "lblTieuDe", "tieude"


def print_view_title(name: str) -> bool:
    """``name`` (a folded <title>) is a print view's, which names no story."""
    return _PRINT_TITLE.fullmatch(name) is not None


def _titled_element(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The first element of the body whose class or id names it the title (a print view's
    ``<span id="lblTieuDe">``, ``<h2 class="print-title">``), a block of a headline's length."""
    body = tree.find("body")
    for el in body.iter(*_TITLE_ELEMENTS, "h2", "h3") if body is not None else ():
        if _TITLE_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}") \
                and 10 <= len(_text(el)) <= 300 and el.find(".//a") is None \
                and not any(child.tag in _BLOCK for child in el.iterdescendants()):
            return el
    return None


def _shows_title(text: str, name: str) -> bool:
    """``text`` is the page's title ``name`` (folded), or its head before the site's name, or
    its tail after it (a portal's "Sở Nông nghiệp - <headline>": the site's name comes first
    as often as last; either way a separator joins the two)."""
    if name == text:
        return True
    if name.startswith(text) and _TITLE_SEPARATOR.match(name[len(text):]) is not None:
        return True
    return name.endswith(text) and _ENDS_WITH_SEPARATOR.search(name[:-len(text)]) is not None


def _own_addresses(tree: lxml.html.HtmlElement, url: str) -> tuple[str, set[str]]:
    """The address links on the page are read against (the first of those below) and the
    canonical forms of the addresses the page gives itself: ``url``, its
    ``<link rel="canonical">`` and its og:url."""
    named = [url] + [el.get("href") or "" for el in tree.iter("link")
                     if (el.get("rel") or "").strip().lower() == "canonical"]
    named += [el.get("content") or "" for el in tree.iter("meta")
              if (el.get("property") or "").lower() == "og:url"]
    named = [x.strip() for x in named if x.strip()]
    base = named[0] if named else ""
    return base, {_resolved(x, base) for x in named}


def _resolved(href: str, base: str) -> str:
    """``href`` made absolute against ``base``, in canonical form."""
    try:
        return canonical_url(urljoin(base, href.strip()))
    except ValueError:
        return href


def _in_header(el) -> bool:
    """Inside the page's banner, menu or footer (an <article>'s own <header> does not count)."""
    chrome = False
    for parent in el.iterancestors():
        if parent.tag in ("article", "main"):
            return False
        chrome = chrome or parent.tag in ("header", "nav", "footer")
    return chrome


def _section(headline) -> lxml.html.HtmlElement | None:
    """The smallest ancestor of the headline holding more than it: the article's or the
    listing's block (None when that is the whole page)."""
    size = len(_text(headline))
    for parent in headline.iterancestors():
        if parent.tag in ("body", "html"):
            return None
        if len(_text(parent)) > size + 20:
            return parent
    return None


_BY_PATTERN = "URL matches the site's article pattern"


def shows_document(el, url: str) -> bool:
    """True when a frame inside ``el`` shows a document (:func:`embedded_document`)."""
    return any(embedded_document(url, frame.get("src") or frame.get("data") or "")
               for frame in el.iter(*_FRAMES))


def _links_attachment(tree, url: str) -> bool:
    """True when a link of the page leads to a document (PDF, DOC …), as :func:`_link` reads
    links, or a frame shows one (:func:`embedded_document`): a cheap test that tells whether
    the walk could find any attachment."""
    base = link_base(tree, url)
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href[0] == "#" or href[:11].lower() == "javascript:":
            href = script_link(href, a.get("onclick"),
                               a.get("data-href") or a.get("data-link")) or ""
        if href:
            resolved = _resolve(base, href)
            if resolved is not None and resolved[2] == "attachment":
                return True
    return shows_document(tree, base)


def _walk(tree, url: str, headline) -> _Walk:
    try:
        host = urlsplit(url).netloc.lower()
    except ValueError:
        host = ""
    base = link_base(tree, url)
    walk = _Walk(url=url, host=host, headline=headline,
                 section=_section(headline) if headline is not None else None,
                 above_headline=set(headline.iterancestors()) if headline is not None else set())
    body = tree.find("body")
    if body is not None:
        _visit(walk, body, base, inside_link=False)
    walk.flush()
    return walk


def _visit(walk: _Walk, el, base: str, inside_link: bool) -> None:
    tag = el.tag
    if not isinstance(tag, str) or tag in _NEVER_TEXT:
        return
    style = el.get("style")
    if style and "display:none" in style.replace(" ", ""):
        return
    block = tag in _BLOCK
    if block and (walk.buf or walk.marked):  # else flush() has nothing to do
        walk.flush()
    entered_section = el is walk.section
    # _is_aside, inlined (every element of the page passes here): most have no class nor id
    names, name = el.get("class"), el.get("id")
    aside = (tag == "aside" or tag == "footer" or names is not None and _aside_name(names)
             or name is not None and _aside_name(name)) and el not in walk.above_headline
    walk.aside += aside
    if entered_section:
        walk.in_section = True
    outer_row, outer_cell = walk.row, walk.cell
    if tag == "tr":
        walk.row = el
    elif tag == "td" or tag == "th":
        walk.cell = el
    if el is walk.headline:
        walk.current.headline = walk.marked = True
    if tag in _SHOWN:
        if tag == "a":
            inside_link = _link(walk, el, base) or inside_link
        elif tag == "img":
            if not inside_link:
                walk.current.media += 1
                walk.marked = True
        elif tag in _FRAMES and (
                document := embedded_document(base, el.get("src") or el.get("data") or "")):
            walk.current.attachments.append({"url": document, "text": el.get("title") or ""})
            walk.marked = True
        elif tag == "video" or tag == "audio" or (tag != "time" and _PLAYER.search(
                el.get("src") or el.get("data") or "")):
            walk.current.media += 1
            walk.marked = True
        elif tag == "time" and parse_vietnamese_date(el.get("datetime")):
            walk.current.time_date = walk.marked = True
    # a row or card a script makes a link (``<tr onclick="location.href='…'">``, ``<div
    # data-link="…">``: crawler.urls.script_link), holding no anchor of its own: a teaser as an
    # anchor would be (the spider follows it: crawler.spiders.news.page_links); a ``data-url``
    # also names the page an infinite scroll's story stands for: only a card's text is a card
    elif tag in CLICKABLE_TAGS and not inside_link and (
            el.get("onclick") or el.get("data-href") or el.get("data-link")
            or el.get("data-url") and text_under(el, CARD_CHARS) is not None) \
            and el.find(".//a") is None:
        inside_link = _link(walk, el, base)
    if inside_link:
        for child in el:
            _visit(walk, child, base, True)
    else:
        text = el.text
        if text:
            walk.buf.append(text)
        for child in el:
            _visit(walk, child, base, False)
            tail = child.tail
            if tail:
                walk.buf.append(tail)
    if (block or el is walk.headline) and (walk.buf or walk.marked):
        walk.flush()
    if entered_section:
        walk.in_section = False
    walk.row, walk.cell = outer_row, outer_cell
    walk.aside -= aside


def outside_asides(tree: lxml.html.HtmlElement, keys: list[str]) -> dict[str, int]:
    """For each of ``keys`` (:func:`pipelines.text.word_key`) that the
    page's sidebars or footer show (``<aside>``, ``<footer>``, a box named so, as the walk
    tells them; one holding the headline is none): how many times the rest of the page shows
    it. A key the asides do not show is left out. The site's address and owner in its footer,
    a "Thông báo mới" box: shown 0 times elsewhere."""
    body = tree.find("body")
    if body is None or not keys:
        return {}
    headline = _headline(tree)
    asides: list = []
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if _is_aside(el, tag, headline) and not any(a in asides for a in el.iterancestors()):
            asides.append(el)
    if not asides:
        return {}

    aside_text = " \n ".join(word_key(el.text_content()) for el in asides)
    page_text = word_key(body.text_content())
    return {key: page_text.count(key) - aside_text.count(key)
            for key in set(keys) if key and key in aside_text}


def _is_aside(el, tag: str, headline) -> bool:
    """``el`` (of tag ``tag``) is a sidebar or the footer: ``<aside>``, ``<footer>`` or a box
    its class or id names so, unless it holds the ``headline`` (a "page-with-sidebar" wrapper)."""
    names, name = el.get("class"), el.get("id")
    return (tag == "aside" or tag == "footer" or names is not None and _aside_name(names)
            or name is not None and _aside_name(name)) and not _holds(el, headline)


def _aside_name(names: str) -> bool:
    """A token of a class or id attribute names a sidebar or footer box, and not a wrapper
    around content."""
    # Every such token holds one of these words: most names hold none, and are let go at
    # once (a shortcut for speed: asked of every element; ASCII names only, as re.I also
    # matches "ſ" for "s")
    if names.isascii():
        low = names.lower()
        if "side" not in low and "widget" not in low and "right" not in low \
                and "footer" not in low:
            return False
    return _aside_tokens(names)


@lru_cache(maxsize=4096)  # a page repeats its few class names on many elements
def _aside_tokens(names: str) -> bool:
    return any(_ASIDE_TOKEN.fullmatch(t) and not _WRAPPER_WORD.search(t) for t in names.split())


def _holds(el, headline) -> bool:
    """True when ``headline`` is inside ``el`` (a "page-with-sidebar" wrapper is no sidebar)."""
    return headline is not None and any(p is el for p in headline.iterancestors())


def _link(walk: _Walk, a, base: str) -> bool:
    """Record what link ``a`` is; True when its text is link text (not the page's own text)."""
    href = (a.get("href") or "").strip()
    if not href or href[0] == "#" or href[:11].lower() == "javascript:":
        # an old portal's popup teaser names its page in a script (crawler.urls.script_link)
        target = script_link(href, a.get("onclick"), a.get("data-href") or a.get("data-link")
                             or a.get("data-url"))
        if target is not None:
            href = target
        elif not href or href[0] == "#":
            return False  # an anchor without a target is text (and a footnote mark at most)
        else:
            text = _text(a)
            if _PAGER_HREF.search(href) or _pager_text(text):
                walk.pager_links += 1
                walk.current.pager = walk.pager_links >= 2 or not text.isdigit()
                walk.marked = True
            return True
    try:
        resolved = walk.resolved[href]
    except KeyError:
        resolved = walk.resolved[href] = _resolve(base, href)
    if resolved is None:
        return True
    target, host, kind = resolved
    if kind == "attachment":
        walk.current.attachments.append({"url": target, "text": _text(a)})
        walk.marked = True
        return True
    if kind == "feed":
        # a page without a headline has no part of its own to place a list in: its feed links
        # are its menus' and sidebars' (CleanEval: 5 stories, a blog's sidebar of category
        # feeds, a newspaper's "RSS" in its tool bar, nav and footer)
        if walk.headline is not None and not walk.aside \
                and (walk.in_section or walk.section is None):
            walk.feeds.add(target)
        return True
    if host != walk.host or kind == "file":
        return True
    text = _text(a)
    if _pager_text(text) or (kind == "pager" and len(text) <= 12):
        walk.pager_links += 1
        walk.current.pager = walk.pager_links >= 2 or not text.isdigit()
        walk.marked = True
    elif len(text.split()) >= TEASER_WORDS and target.split("#")[0] != walk.url.split("#")[0]:
        walk.current.teasers.append(target)
        walk.marked = True
    return True


@lru_cache(maxsize=2048)  # a site's menus repeat their link texts on every page
def _pager_text(text: str) -> bool:
    """True for a pager link's text: a page number, "Trang sau", "»", "Next" …"""
    return _PAGER_TEXT.match(fold(text)) is not None


def _resolve(base: str, href: str) -> tuple[str, str, str] | None:
    """``(absolute URL, lower-case host, kind)`` of a link, kind "attachment", "feed" (RSS or
    Atom), "file" (an image, a script …), "pager" (a page-number URL) or "page"; None when it
    cannot be read."""
    return _resolve_joined(join_base(base, href), href)


# Most links are an absolute http(s) URL or a path from the site's root (group 1: the host,
# 2: the path). One that holds nothing urljoin and urlsplit would rewrite or refuse (";"
# parameters, "." and ".." segments, white space, brackets, an empty query or fragment) is
# joined by hand: urljoin gives the link itself, or the page's scheme and host before the
# path. A shortcut for speed (urljoin and urlsplit cost a third of the walk); the other links
# go through urljoin.
_PLAIN_HREF = re.compile(r"(?:https?://([^/?#;\[\]\\\s]+))?(/[^?#;\[\]\\\s]*)?(?:\?[^#\s]+)?"
                         r"(?:#\S+)?")


@lru_cache(maxsize=256)
def _http_origin(base: str) -> tuple[str, str] | None:
    """``(scheme, host)`` of an http(s) ``base``, as urlsplit reads them; None for another."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    return (parts.scheme, parts.netloc) if parts.scheme in ("http", "https") and parts.netloc \
        else None


# menus and sidebars repeat the same links on every page of a site: keyed by join_base, one
# entry serves every page
@lru_cache(maxsize=2048)
def _resolve_joined(base: str, href: str) -> tuple[str, str, str] | None:
    origin = _http_origin(base)
    plain = _PLAIN_HREF.fullmatch(href) if origin else None
    if plain:  # (a shortcut for speed, see _PLAIN_HREF: urljoin would give the same)
        netloc, path = plain.group(1, 2)
        if netloc is None and path and path[:2] != "//" and "/." not in path:
            return _kind(origin[0] + "://" + origin[1] + href, origin[1].lower(), path)
        if netloc is not None and netloc.isascii():
            return _kind(href, netloc.lower(), path or "")
    try:
        target = urljoin(base, href)
        parts = urlsplit(target)
        host = parts.netloc.lower()
    except ValueError:
        return None
    return _kind(target, host, parts.path)


def _kind(target: str, host: str, path: str) -> tuple[str, str, str]:
    """:func:`_resolve`'s answer for the absolute URL ``target``, its host and its path."""
    if ATTACHMENT.search(path):
        return target, host, "attachment"
    if FEED_URL.search(path):  # (before _NOT_PAGE: ``/rss.xml``)
        return target, host, "feed"
    if _NOT_PAGE.search(path):
        return target, host, "file"
    pager = any(form.search(target) for form in _PAGER_HREF_EACH)  # (_PAGER_HREF.search)
    return target, host, "pager" if pager else "page"


_VIEWER_PARAMS = ("file", "url", "src", "doc")  # pdf.js "viewer.html?file=…", "viewer?url=…"


def embedded_document(base: str, src: str) -> str | None:
    """The document (PDF, DOC …) an <iframe>, <embed> or <object> shows, directly or through
    a viewer page that names it in its query: a notice whose content is its document."""
    if not src.strip():
        return None
    resolved = _resolve(base, src.strip())
    if resolved is None:
        return None
    target, _, kind = resolved
    if kind == "attachment":
        return target
    for key, value in parse_qsl(urlsplit(target).query):
        if key.lower() in _VIEWER_PARAMS and ATTACHMENT.search(urlsplit(value).path):
            return urljoin(target, value)
    return None


def _until_teasers(lines: list[_Line], headline_cell=None) -> list[_Line]:
    """The lines from the start of ``lines`` up to the first run of teaser headlines (two
    within a few lines: one "Xem thêm" link or an author link in the body is no run). A run
    that starts in a table row starts with the row: the cells before the link (a document's
    number, its date) are the first item's, not the page's; a paragraph is no item's cell (an
    old portal's layout row holds the story and the "Tin liên quan" box under it), nor is a
    line above the link in the link's own cell when that is the headline's cell
    (``headline_cell``: a layout row's main cell holds the headline, the dateline and a
    one-sentence notice above its related box: they are the page's). In another cell (a
    sidebar column of the layout row: dated updates, each over its link) they are the items'."""
    for i, line in enumerate(lines):
        if line.teasers and len(line.text) < 40:
            window = lines[i:i + TEASER_RUN_LINES]
            if sum(len(x.teasers) for x in window if len(x.text) < 40) >= 2:
                pages_cell = line.cell is not None and line.cell is headline_cell
                while i and line.row is not None and lines[i - 1].row is line.row \
                        and not (pages_cell and lines[i - 1].cell is line.cell) \
                        and len(lines[i - 1].text) < PARAGRAPH_CHARS:
                    i -= 1
                return lines[:i]
    return lines


def _dateline(text: str) -> bool:
    """A short line that shows a news date (not a sentence with a date in it): no full stop
    at the end, and few words besides the date ("Thứ Hai, 01/12/2025 08:30", "Cập nhật:
    …", "Tác giả: Minh Châu | 12/03/2024")."""
    if not text or len(text) > DATELINE_CHARS or text.rstrip().endswith("."):
        return False
    folded = fold(text)
    if _PERIOD.search(folded):
        return False
    if len(re.findall(r"[^\W\d_]{2,}", _DATE_WORDS.sub(" ", folded))) > DATELINE_WORDS:
        return False
    found = parse_vietnamese_date(text)
    if found:
        return FIRST_NEWS_YEAR <= int(found[:4]) <= date.today().year + 1
    match = _ENGLISH_DATE.search(text)
    if match:
        return int(match.group(0)[-4:]) >= FIRST_NEWS_YEAR
    match = _YMD.search(text)  # 2019.11.18 (East Asian sites)
    return bool(match) and int(match.group(1)) >= FIRST_NEWS_YEAR


def _sentence(text: str) -> bool:
    """A line of prose: a paragraph's length, or a few words that end as a sentence ends (a
    label "Họ tên:", a table cell, a question of a poll do not), or a lead-in ending in ":"."""
    if len(text) >= PARAGRAPH_CHARS:
        return True
    end = text.rstrip(" \"'”’)»")[-1:]
    words = len(_LETTER_WORDS.findall(text))
    return (end in ".!…" and words >= SENTENCE_WORDS) or (end == ":" and words >= LEAD_IN_WORDS)


def _question_answered(lines: list[_Line]) -> bool:
    """A question of :data:`LEAD_IN_WORDS` words or more (ending in "?"), then a sentence as
    long that ends in a full stop: a question and its answer (a poll's question is followed by
    its options, a form's by its labels)."""
    asked = False
    for line in lines:
        text = line.text.rstrip(" \"'”’)»")
        if len(_LETTER_WORDS.findall(text)) < LEAD_IN_WORDS:
            continue
        if text.endswith("?"):
            asked = True
        elif asked and text.endswith((".", "!", "…")):
            return True
    return False


def _opens_as_notice(main: list[_Line], above: list[_Line]) -> bool:
    """The lines under the headline open with one dateline (or one just ``above`` it), then a
    sentence or a table whose rows link nowhere: a notice, whatever dated rows follow (a
    listing opens with its first item, and a table of items links each row's item)."""
    datelines = sum(1 for line in above if _dateline(line.text))
    for line in main:
        if _dateline(line.text):
            datelines += 1
        elif line.text:
            table = line.row is not None and not any(x.teasers for x in main if x.row is not None)
            return datelines == 1 and (_sentence(line.text) or table)
    return False


def _dated(lines: list[_Line], start: int | None, lead: list[_Line]) -> bool:
    """A dateline within a few lines of the headline: after it (before the first teaser) or
    just above it."""
    near = lead[:DATELINE_LINES]
    if start is not None:
        for line in reversed(lines[max(0, start - 3):start]):
            if line.teasers:
                break
            near.append(line)
    return any(line.time_date or _dateline(line.text) for line in near)


def _attachments(lead: list[_Line]) -> list[dict]:
    seen: dict[str, dict] = {}
    for line in lead:
        if line.in_section or not any(x.in_section for x in lead):
            for link in line.attachments:
                seen.setdefault(link["url"], link)
    return list(seen.values())[:MAX_ATTACHMENTS]


def url_shape(url: str) -> str:
    """The shape of an article URL, for telling one site's teaser links apart from others:
    the folders (numbers as 0), the last segment's form (slug, id), the query's keys."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    segments = [s for s in parts.path.split("/") if s]
    last = segments.pop() if segments else ""
    folders = "/".join(re.sub(r"\d+", "0", s) for s in segments)
    stem, dot, ext = last.rpartition(".") if "." in last else (last, "", "")
    form = ("slug" if stem.count("-") >= 2 else "word") + ("-id" if re.search(r"\d{3,}$", stem)
                                                           else "")
    if re.fullmatch(r"\d+", stem):
        form = "id"
    keys = ",".join(sorted(k.split("=")[0].lower() for k in parts.query.split("&") if k))
    return f"{folders}/{form}{dot}{ext.lower()}?{keys}"


def _largest_shape_group(urls: list[str]) -> tuple[int, str | None]:
    """How many distinct URLs the largest group of one :func:`url_shape` holds, and its shape."""
    counts: dict[str, set] = {}
    for url in urls:
        counts.setdefault(url_shape(url), set()).add(url)
    return max(((len(v), shape) for shape, v in counts.items()), default=(0, None))
