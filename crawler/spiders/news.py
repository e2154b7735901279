"""The one generic spider, driven by a site profile.

It only fetches and classifies by URL: listings (and feeds, sitemaps) are followed for links;
every HTML page that may be an article is handed to the pipelines as
:class:`~crawler.items.FetchedPage` (the extraction worker decides from its structure, see
``pipelines/extractor/classify.py``), the others become a
:class:`~crawler.items.PageDecision` saying why; failures become
:class:`~crawler.items.FetchError` items. The storage pipeline records all of them.

    scrapy crawl news -a site=quangninh-portal
    scrapy crawl news -a start_url=https://example.gov.vn/      # a site not in the registry
    scrapy crawl news -a site=sample -a start_url=http://127.0.0.1:8765/
"""

from __future__ import annotations

import bisect
import hashlib
import html
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from functools import cached_property
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    DontCloseSpider,
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler import discovery
from crawler.checks import check_start_urls, setting
from crawler.items import (
    CAPTURE_META,
    FetchedPage,
    FetchError,
    PageAlias,
    PageDecision,
    PageGone,
)
from crawler.middlewares import (
    CUT_SHORT_RETRY,
    REFRESHED_PAGES,
    RedirectedToKnown,
    StrictRobotsTxtMiddleware,
    robots_fetched,
    sniff_binary,
)
from crawler.sites import LOOPBACK, SiteProfile, get_site, host_allowed, start_url_profile
from crawler.state import CrawlState
from crawler.url_shapes import ItemParts, Mirrors, ShapeBook, segment_shape, shape_of
from crawler.urls import (
    CLICKABLE_TAGS,
    GOES_TO,
    MIRROR_LABEL,
    SCRIPT_HREF,
    TEASER_WORDS,
    canonical_url,
    is_endpoint,
    is_looping_path,
    is_print_view,
    script_link,
    site_host,
    spelling_key,
)
from pipelines.clock import now_iso

NOT_HTML = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|mp[34]|avi|"
    r"mov|wmv|flv|webm|wav|ogg|css|js|json|xml|apk|exe)(\?|$)",
    re.IGNORECASE,
)
# account pages, by a whole path segment: never news, and linked from every page of a site
# (DNN's ``/tabid/N/ctl/Login/Default.aspx`` per tab, Drupal's ``/user/login``, WordPress's
# ``wp-login.php``, "đăng nhập" / "đăng ký"); registered profiles deny ``login`` for the same
ACCOUNT_PAGE = re.compile(
    r"/(?:log-?in|log-?on|log-?out|sign-?in|sign-?up|register|dang-?nhap|dang-?ky|dang-?xuat|"
    r"wp-login|user/password|ctl/(?:sendpassword|profile))(?:\.\w{2,5})?(?=/|$)",
    re.IGNORECASE,
)
# a page of an article's comments: the article's title again over readers' comments, never a
# story (WordPress's ``/<post>/comment-page-2/``, ``?cpage=2``; stored, it was the article a
# second time with a comment for its text)
COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$|[?&]cpage=\d", re.IGNORECASE)
LOCAL_POLITENESS = {"download_delay": 0, "concurrency": 16, "autothrottle": False}
# listing pages by their URL alone: pagers, search results, tag pages (generic mode); not
# ``?p=N``, which is WordPress's URL of post N (the extractor tells a ``?p=2`` pager page apart)
LISTING_URL = re.compile(
    r"[?&](?:page|paged|pageindex|pagefirstrow|trang)=\d|[?&]Paged=TRUE|/(?:trang|page)[-/]\d+"
    r"(?:\.\w+)?/?$|/(?:tim-kiem|timkiem|search|tag|tags|tu-khoa|tukhoa)(?:[/.?]|$)|[?&](?:q|"
    r"keyword|tukhoa|k)=",
    re.IGNORECASE,
)
HEADLINE_WORDS = 6  # an anchor of this many words is a headline, not navigation
# a page's URL followed by a bare page number, 2-99, and no query (WordPress' paged posts)
NEXT_PAGE_SEGMENT = re.compile(r"/([2-9]|[1-9]\d)/?$")


def numbered_page(url: str) -> tuple[str, int] | None:
    """``(the URL without its page number, N)`` when ``url`` is page N (2 or more, or a
    pager's 1) of another page: ``<story>.html?trang=2``, ``<story>/?page=3``,
    ``<story>-p2.html``, WordPress' ``<story>/2/``; None otherwise."""
    if discovery.PAGE_HINT.search(url):
        first, number = discovery.strip_page_number(url)
    elif numbered := NEXT_PAGE_SEGMENT.search(url):  # WordPress' <!--nextpage-->: <story>/2/
        first, number = url[: numbered.start()], int(numbered[1])
    else:
        return None
    return (first, number) if number else None


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, site: str | None = None, start_url: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.site_id = site
        self.start_url = start_url
        self.profile: SiteProfile | None = None
        self.skipped: set[str] = set()
        self.requested: set[str] = set()  # cheaper than letting Scrapy build and drop repeats
        # ASP.NET postback pages share their listing's URL: keyed by discovery.postback_key
        self.postbacks_requested: set[tuple] = set()
        self.link_kinds: dict[str, str | None] = {}
        self.teaser_urls: set[str] = set()  # linked from a heading (a teaser) on some page
        self.feed_urls: set[str] = set()  # listed as a page in the site's feeds and sitemaps
        # listed as documents on some page: fetched as documents (``Download.aspx?id=12`` has
        # no extension to tell it from a page), never as pages
        self.document_urls: set[str] = set()
        self.headline_urls: set[str] = set()  # linked behind a headline-long text (below)
        self.shapes = ShapeBook()  # the site's URL shapes, learned from teasers and pagers
        self.item_parts = ItemParts()  # which part of a teaser URL names its item (spelling_alias)
        self.fruitless: dict[str, int] = {}  # shape -> its pages in a row with no new headline
        self.trap_shapes: set[str] = set()
        # <link rel=canonical>: what each page not naming another URL shows (page_fingerprint),
        # and the pages naming another URL, waiting for it to show the same (canonical_alias)
        self.fingerprints: dict[str, int] = {}
        # target -> {alias: (fingerprint, capture id)}
        self.aliases_waiting: dict[str, dict[str, tuple[int, int | None]]] = {}
        # the first page handed to extraction per spelling_key, and what it showed
        self.spellings: dict[tuple, tuple[str, int]] = {}
        # the site's hosts, without their mirror label (crawler.urls.MIRROR_LABEL), one of whose
        # other hosts showed a page the same at the same path (a mobile edition ``m.`` linked
        # from every article, ``www.`` or not), and every URL requested, under that host and
        # its path and query (mirror_key): a page asked for at one host of such a family is
        # not asked for again at another (request_once)
        self.mirrors = Mirrors()
        self.date_forms: set[str] = set()  # date archive forms said once (discovery)
        self.urlless_more: set[str] = set()  # URL shapes whose URL-less "Xem thêm" was said
        # a paged listing without its page number -> the URL its first page was fetched at
        self.first_pages: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.profile = spider.resolve_profile(crawler.settings.get("TINTUC_SITES_FILE") or None)
        spider.allowed_domains = spider.profile.domains()
        spider.article_res = [re.compile(p) for p in spider.profile.article_patterns]
        spider.listing_res = [re.compile(p) for p in spider.profile.listing_patterns]
        spider.deny_res = [re.compile(p) for p in spider.profile.deny_patterns]
        politeness = spider.profile.politeness
        if setting(crawler.settings, "TINTUC_LOCAL_FAST") and all(
            urlsplit(u).hostname in LOOPBACK for u in spider.profile.start_urls
        ):
            politeness = LOCAL_POLITENESS  # a mirror on this machine: no one to be polite to
        apply_politeness(crawler.settings, politeness)
        spider.robots_by_middleware = robots_middleware_on(crawler.settings)
        if spider.robots_by_middleware:
            crawler.signals.connect(spider.on_robots_fetched, signal=robots_fetched)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        if crawler.settings.get("SCHEDULER_QUEUE_KEY"):  # in tintuc worker
            crawler.signals.connect(spider.share_tables, signal=signals.spider_opened)
        return spider

    def share_tables(self) -> None:
        """In ``tintuc worker``: what each page showed, which part of a URL names its item and
        which hosts mirror the site are the crawl's, shared with its other workers (each would
        store its own copy of an article fetched at two URLs by two workers, or fetch the
        mobile copy of a page another worker fetched). The pages waiting for their canonical
        URL stay this worker's to fetch again (:meth:`on_idle`)."""
        from crawler.redis_frontier import (  # in a worker only
            shared_item_parts,
            shared_mirrors,
            shared_tables,
        )

        self.spellings, self.fingerprints = shared_tables(self.crawler, "spellings",
                                                          "fingerprints")  # fmt: skip
        self.item_parts = shared_item_parts(self.crawler)  # which part names an item
        self.mirrors = shared_mirrors(self.crawler)  # which hosts mirror, what each was asked

    def resolve_profile(self, sites_file: str | None) -> SiteProfile:
        if self.site_id:
            profile = get_site(self.site_id, sites_file)
            return profile.with_start_urls([self.start_url]) if self.start_url else profile
        if self.start_url:
            return start_url_profile(self.start_url, sites_file)
        raise ValueError("give -a site=SITE_ID or -a start_url=URL")

    @cached_property
    def trap_streak(self) -> int:
        return setting(self.crawler.settings, "TINTUC_TRAP_STREAK")

    @cached_property
    def state(self) -> CrawlState:
        """The crawl's state (URLs to skip, pending URLs …), filled by the storage pipeline."""
        return CrawlState.of(self.crawler)

    async def start(self) -> AsyncIterator[scrapy.Request | FetchError]:
        # `tintuc crawl` and `tintuc enqueue` refuse such a crawl; `scrapy crawl` and a worker
        # with its own URLLENGTH_LIMIT meet it here: said, and nothing fetched (not the guesses)
        for problem in check_start_urls(self.crawler.settings, self.profile.start_urls):
            self.logger.error(problem)
            limit = setting(self.crawler.settings, "URLLENGTH_LIMIT")
            for url in self.profile.start_urls:  # as RecordedUrlLengthMiddleware says it
                yield FetchError(url, f"not fetched: the URL is {len(url)} characters long, "
                                      f"over URLLENGTH_LIMIT={limit}")  # fmt: skip
            return
        for url in self.profile.start_urls:
            self.requested.add(canonical_url(url))
            self.mirrors.ask([mirror_key(canonical_url(url))])
            yield self.request(url, self.parse, meta={"start": True},
                               priority=discovery.PRIORITY_LISTING)  # fmt: skip
        for request in self.request_feeds([*self.profile.feeds, *self.profile.sitemaps]):
            yield request
        if not (self.profile.feeds or self.profile.sitemaps):
            for request in self.discovery_requests():
                yield request
        # filled by the storage pipeline when the spider opens, i.e. before this line runs
        for url in self.state.pending_urls:
            url = canonical_url(url)
            if self.link_kind(url) == "article" and url not in self.state.skip_urls:
                for request in self.request_once([url]):
                    yield request

    def request(self, url: str, callback, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, **kwargs)

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        """A profile naming no feed or sitemap (generic mode always): ask each start URL's site
        for its robots.txt (for its Sitemap: lines), /sitemap.xml and the usual feed paths.
        These are guesses: a miss is counted, not recorded as a crawl error. When robots.txt
        is obeyed, the robots middleware fetches it anyway (once per host, before the host's
        first request) and hands the response over (:meth:`on_robots_fetched`): fetching it
        here too fetched it twice."""
        roots = dict.fromkeys(discovery.site_root(u) for u in self.profile.start_urls)
        for root in roots:
            if not self.robots_by_middleware:
                # reading robots.txt is always allowed (RFC 9309)
                yield scrapy.Request(discovery.robots_url(root), callback=self.parse_robots,
                                     errback=self.on_discovery_miss,
                                     priority=discovery.PRIORITY_ROBOTS,
                                     meta={"dont_obey_robotstxt": True})  # fmt: skip
            guesses = [discovery.default_sitemap_url(root), *discovery.guessed_feed_urls(root)]
            yield from self.request_feeds(guesses, errback=self.on_discovery_miss)

    def request_feeds(self, urls: list[str], errback=None) -> Iterator[scrapy.Request]:
        """Feeds and sitemaps, each once, ahead of listings and articles."""
        for url in urls:
            url = canonical_url(url)
            if url not in self.requested:
                self.requested.add(url)
                yield scrapy.Request(
                    url, callback=self.parse_feed, errback=errback or self.on_error,
                    priority=discovery.PRIORITY_SITEMAP,
                    meta={"allow_binary": url.endswith(".gz"), "feed": True},  # sitemap.xml.gz
                )  # fmt: skip

    # --- classification -------------------------------------------------------------------
    def is_article_url(self, url: str) -> bool:
        """Whether the profile's article patterns name ``url``, or the page it is page N of:
        patterns are learned from stories' first pages, and ``<story>.html?trang=2`` is the
        same story's (its pager's links were never followed, the parts lost)."""
        if any(r.search(url) for r in self.article_res):
            return True
        numbered = numbered_page(url)  # (its page number taken off with the slash before it)
        return numbered is not None and any(r.search(first) for first in (
            numbered[0], numbered[0] + "/") for r in self.article_res)

    def is_listing_url(self, url: str) -> bool:
        return not self.listing_res or any(r.search(url) for r in self.listing_res)

    def url_decision(self, url: str) -> tuple[str, str] | None:
        """``(kind, reason)`` for a page that is no article by its URL alone; None when the
        extraction worker must look at it. Cheap: no DOM is built on the reactor thread."""
        if self.article_res:
            if self.is_article_url(url):
                return None
            kind = "listing" if self.is_listing_url(url) else "other"
            return kind, "URL does not match the site's article patterns"
        parts = urlsplit(url)
        if parts.path in ("", "/") and not parts.query:
            return "other", "home page of the site"
        if LISTING_URL.search(url):
            return "listing", "listing URL (pager, search or tag page)"
        return None

    def story_part(self, url: str) -> tuple[str, int] | None:
        """``(first page's URL, N)`` when ``url`` is page N of a page the site links as a
        headline or lists in a feed or sitemap (a story whose first page only a sitemap
        names): a story split over pages (``<story>.html?trang=2``,
        ``<story>/?page=3``, ``<story>-p2.html``, ``<story>/2/``), its parts linked from its
        own pager. Its URL looks like a listing's pager, but a listing's first page is not
        linked as a headline; the extractor still tells an article from a listing."""
        numbered = numbered_page(url)
        if numbered is None:
            return None
        first, number = numbered
        for candidate in (canonical_url(first), canonical_url(first + "/")):
            # with a profile, its article patterns say which pages are stories: the first page
            # of a listing paged the same way (/thong-bao/?page=2) is a headline of the menu
            known = (any(r.search(candidate) for r in self.article_res) if self.article_res
                     else candidate in self.teaser_urls or candidate in self.feed_urls)
            if known and candidate != url:
                return candidate, number
        return None

    def wanted(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or NOT_HTML.search(parts.path):
            return False
        if ACCOUNT_PAGE.search(parts.path):
            return False  # a login, registration or password page
        if COMMENT_PAGE.search(url):
            return False  # readers' comments under an article linked too
        if is_looping_path(parts.path):
            self.crawler.stats.inc_value("tintuc/looping_links")
            return False  # /a/b/a/b/a/…: a relative link resolved on its own page, again
        return not any(r.search(url) for r in self.deny_res)

    # --- callbacks --------------------------------------------------------------------------
    def parse(self, response: Response) -> Iterator:
        if isinstance(response, XmlResponse) and any(discovery.xml_links(response.body)):
            yield from self.parse_feed(response)  # a feed or a sitemap given as a start URL
            return
        if not isinstance(response, TextResponse) or isinstance(response, XmlResponse):
            ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "unknown"
            yield FetchError(response.url, f"not an HTML page (Content-Type: {ctype})",
                             response.status)  # fmt: skip
            return
        if b"json" in response.headers.get("Content-Type", b"").lower():
            yield from self.parse_json(response)
            return
        first_url = canonical_url(response.meta.get("redirect_urls", [response.url])[0])
        url = canonical_url(response.url)
        for page, capture_id, target, how in response.meta.get(REFRESHED_PAGES, ()):
            yield PageDecision(canonical_url(page), capture_id, "other",
                               f"sends its visitor on to {target} ({how})")
        if response.meta.get(CUT_SHORT_RETRY) is not None:
            yield PageDecision(first_url, response.meta[CUT_SHORT_RETRY], "other",
                               "cut short in transfer (ends before </body></html>): fetched again",
                               final=False)
        decision = self.url_decision(url)
        part = self.story_part(url) if decision is None or decision[0] == "listing" else None
        if part and part[1] == 1:  # the pager's link to the first page: that page again
            decision = "other", f"page 1 of the story at {part[0]}, stored there"
        elif part:  # a later page of a story split over pages: extracted (lost as a pager)
            decision = None
            self.crawler.stats.inc_value("tintuc/story_parts")
        teasers = teaser_links(response.body, response.url)
        documents = [d for d in listed_documents(response.body, response.url)
                     if self.wanted_document(d["url"])]  # fmt: skip
        self.document_urls.update(d["url"] for d in documents)
        new_documents = [d["url"] for d in documents
                         if d["url"] not in self.requested and d["url"] not in self.state.skip_urls]
        if not self.article_res:  # each teaser link's shape is learned once
            self.shapes.learn_teasers([u for u in teasers if u not in self.teaser_urls])
        self.teaser_urls.update(teasers)
        self.item_parts.learn(teasers)
        alias = None
        if decision is None:  # what the page shows, read once for both alias tests
            fingerprint = page_fingerprint(response.body)
            alias = (self.canonical_alias(response, url, fingerprint)
                     or self.spelling_alias(url, fingerprint))
        if alias:
            reason, alias_of = alias
            yield PageDecision(url, response.meta.get(CAPTURE_META), "other", reason,
                               alias_of=alias_of)
            yield from self.document_requests(documents)
        elif decision is None:
            hints = {"article_url": True} if self.article_res else {}
            if url in self.teaser_urls or first_url in self.teaser_urls:
                hints["teaser_url"] = True
            elif not self.article_res:  # generic mode: the site's learned URL shapes
                hints.update(self.shapes.hints(url))
                if hints:
                    self.crawler.stats.inc_value("tintuc/shape_hints")
            if part:  # stored naming the story's first page, and its number
                hints["part_of"], hints["part"] = part
            yield FetchedPage(
                url=url,
                requested_url=first_url,
                status=response.status,
                body=response.body,
                charset=response_charset(response),
                site=self.profile.id,
                fetched=now_iso(),
                capture_id=response.meta.get(CAPTURE_META),
                hints=hints,
                documents=documents,  # fetched if the page is judged no article
            )
        else:
            yield PageDecision(url, response.meta.get(CAPTURE_META), *decision)
            yield from self.document_requests(documents)
        if first_url != url:
            # a URL that now redirects (to a listing, the home page, the article's new slug or
            # https): a stored article there is marked removed, its text kept; the storage
            # pipeline leaves any other URL alone
            yield PageGone(first_url, f"redirected to {response.url}")
        yield from self.follow_links(response, teasers, new_documents)

    def parse_json(self, response: TextResponse) -> Iterator:
        """A JSON listing (the API a "Xem thêm" button or a list's ``data-api`` reads): its
        site URLs are followed as a listing's links, those beside a headline as teasers; while
        it lists something new, its next page (the page number one higher) is asked for too,
        as the site's script would when the reader scrolls on."""
        url = canonical_url(response.url)
        links, headlined = discovery.json_links(response.body, response.url)
        links = [canonical_url(u) for u in links]
        self.teaser_urls.update(canonical_url(u) for u in headlined)
        yield PageDecision(url, response.meta.get(CAPTURE_META), "listing",
                           "a JSON listing (the API a page's script reads)")
        new = [u for u in links if self.link_kind(u) and u not in self.requested
               and u not in self.state.skip_urls]  # fmt: skip
        self.crawler.stats.inc_value("tintuc/json_listing_links", len(new))
        yield from self.request_once(new)
        next_page = discovery.next_page_url(url)
        if new and next_page and self.wanted(next_page):
            yield from self.request_once(self.not_trapped([next_page]),
                                         priority=discovery.PRIORITY_LISTING)

    def canonical_alias(self, response: TextResponse, url: str,
                        fingerprint: int) -> tuple[str, str | None] | None:
        """Why the page at ``url`` is not handed to extraction, and the URL it is another
        address of once that showed the same article (else None), when its ``<link
        rel=canonical>`` names another URL of the site that shows the same article (the same
        title and longest text: ``fingerprint``, :func:`page_fingerprint` of the response):
        ``?id=12`` and ``/slug-12.html``,
        with and without ``&catid=``, a mobile host. Else None, and the page is extracted as
        any page: a canonical URL on another site, the home page or a listing URL (a common
        misconfiguration names the home page or the section on every article) is not
        believed, nor one showing another text (the section's page, a template's fixed URL).

        The canonical URL is fetched when it was not yet; until it has shown the same
        article the page waits in :attr:`aliases_waiting`, and one still waiting when the
        crawl has nothing else to do is fetched again and extracted (:meth:`on_idle`): the
        article is stored at one URL or the other, never lost. A page reached as a canonical
        URL or fetched again so is never an alias (no chains)."""
        declared = canonical_link(response.body, response.url)
        if declared is None or same_page(declared, url):
            # no canonical link (the page is its own), or one spelled another way (http, www.,
            # a "/"): pages naming this one may wait for it, or come after it
            declared = url
        if declared == url:
            self.fingerprints[url] = fingerprint  # pages waiting for it: on_idle
            return None
        if response.meta.get("canonical_of") or response.meta.get("despite_canonical"):
            return None
        host = site_host(declared)
        if (not host_allowed(host, [d for d in self.allowed_domains or [] if d])
                or self.url_decision(declared) is not None or not self.wanted(declared)):
            self.crawler.stats.inc_value("tintuc/canonical_ignored")
            return None  # another site, the home page, a listing: not this article's URL
        known = self.fingerprints.get(declared)
        if known is not None:
            if known != fingerprint:
                self.crawler.stats.inc_value("tintuc/canonical_ignored")
                return None  # it shows something else
            self.crawler.stats.inc_value("tintuc/canonical_duplicates")
            return (f"the same article as its canonical URL {declared} (<link rel=canonical>)",
                    declared)
        self.aliases_waiting.setdefault(declared, {})[url] = (fingerprint,
                                                              response.meta.get(CAPTURE_META))
        if declared not in self.requested:
            self.requested.add(declared)
            self.crawler.engine.crawl(self.request(declared, self.parse,
                                                   meta={"canonical_of": url}))  # fmt: skip
        return (f"its <link rel=canonical> names {declared}: stored there if that page shows "
                "the same article, else this page is fetched again and stored", None)

    def spelling_alias(self, url: str, fingerprint: int) -> tuple[str, str] | None:
        """Why the page at ``url`` is not handed to extraction, and that page's URL, when a
        page at another
        spelling of its URL was, and showed the same (:func:`page_fingerprint`): the same
        :func:`crawler.urls.spelling_key` (letter case, Unicode form, query order: IIS
        answers ``/TinTuc/ChiTiet.aspx?ID=5`` and ``/tintuc/chitiet.aspx?id=5`` alike, a CMS
        finds a slug linked precomposed or decomposed), or the same headline slug under
        another section (``/thoi-su/<slug>-12.html`` and ``/kinh-te/<slug>-12.html``, an
        article filed in two sections), on the site's mobile host (``m.``) or as its AMP view
        (``/<slug>/amp``), or the same item linked in another context (the part of the URL
        naming the item, learned from the site's teaser links: :class:`ItemParts`; Joomla's
        ``?id=12&Itemid=120`` and ``?id=12:slug&catid=3&Itemid=101``, DNN's
        ``/tabid/36/…/ItemID/12`` and ``/tabid/57/…/ItemID/12``). Each was stored twice. Else
        None: a page showing something else there (a case-sensitive server, another notice
        under one ``<title>`` in the same section) is a page of its own."""
        # an item number is one page only at one path and with one fingerprint: a portal
        # numbers its news and its notices apart (``/tin.asp?id=5``, ``/thongbao.asp?id=5``),
        # Joomla its categories and its articles (``view=category&id=3`` is not article 3)
        path = (spelling_key(url)[0], shape_of(url).split("?")[0].casefold(), fingerprint)
        items = [("item", *path, name, value) for name, value in self.item_parts.item_of(url)]
        keys = same_page_keys(url)
        for key in keys + items:
            first = self.spellings.setdefault(key, (url, fingerprint))
            if first[0] != url and first[1] == fingerprint:  # (a list when shared)
                self.crawler.stats.inc_value("tintuc/spelling_duplicates")
                if key == keys[0] and urlsplit(first[0]).netloc != urlsplit(url).netloc:
                    self.mirrors.mirrored(key[0])  # the same path, the same page: a mirror
                return (f"the same page as {first[0]}, its URL spelt another way (letter case, "
                        "Unicode form, order of parameters, section, mobile host, AMP view or "
                        "the context its item is linked in)", first[0])
        return None

    def on_idle(self) -> None:
        """Nothing left to fetch: the pages waiting for their canonical URL that showed the
        same article there (in a worker, this worker or another fetched it) are its other
        addresses (:class:`PageAlias`, an ``article_aliases`` row); those still waiting (it
        failed, was not fetched, or shows another text) are fetched again and extracted, not
        while other workers still hold requests (one may be that URL)."""
        confirmed, waiting = [], []
        for target, aliases in self.aliases_waiting.items():
            for alias, (fingerprint, capture_id) in aliases.items():
                if self.fingerprints.get(target) == fingerprint:
                    confirmed.append(PageAlias(alias, target, capture_id))
                else:
                    waiting.append(alias)
        if waiting and self.crawler.settings.get("SCHEDULER_QUEUE_KEY"):
            from crawler.redis_frontier import FrontierLeases

            if FrontierLeases.of(self.crawler).in_flight():
                raise DontCloseSpider
        self.aliases_waiting.clear()
        scraper = self.crawler.engine.scraper
        for item in confirmed:  # to the pipelines as a callback's item (the spider stays open)
            self.crawler.stats.inc_value("tintuc/canonical_duplicates")
            deferred_from_coro(scraper.start_itemproc_async(item, response=None))
        for alias in waiting:
            self.crawler.stats.inc_value("tintuc/canonical_unconfirmed")
            self.crawler.engine.crawl(self.request(
                alias, self.parse, dont_filter=True, meta={"despite_canonical": True}))
        if waiting or confirmed:
            raise DontCloseSpider

    def fetch_documents(self, page_url: str, documents: list[dict]) -> None:
        """Fetch the documents a page that is no article lists as notices of their own
        (:func:`listed_documents`). Called by the extraction pipeline once the page is
        judged."""
        for request in self.document_requests(documents):
            self.crawler.engine.crawl(request)

    def document_requests(self, documents: list[dict]) -> Iterator[scrapy.Request]:
        """A request for each listed document not requested yet; a stored one is skipped by
        an incremental crawl like a stored article."""
        for document in documents:
            url = document["url"]
            if url in self.state.skip_urls:
                self.skipped.add(url)
                self.crawler.stats.set_value("tintuc/skipped_known", len(self.skipped))
            elif url not in self.requested:
                self.requested.add(url)
                self.crawler.stats.inc_value("tintuc/listed_documents")
                yield self.request(url, self.parse_document, meta={
                    "allow_binary": True, "listed_document": document})  # fmt: skip

    def wanted_document(self, url: str) -> bool:
        """A document link the crawl may fetch: on the site's own domains, not denied by the
        profile."""
        host = site_host(url)
        domains = [d for d in self.allowed_domains or [] if d]
        return self.wanted_attachment(url) and (
            not domains or host_allowed(host, domains))

    def parse_document(self, response: Response) -> Iterator:
        """A document a listing links as a notice: to the extraction worker with what the
        listing showed beside the link (``hints["document"]``). A web page served at the
        document's URL (a viewer, an error page) is read as a page."""
        if (isinstance(response, TextResponse) and b"html" in response.headers.get(
                "Content-Type", b"").lower() and not sniff_binary(response.body)):
            yield from self.parse(response)
            return
        listed = response.meta["listed_document"]
        yield FetchedPage(
            url=canonical_url(response.url),
            requested_url=listed["url"],
            status=response.status,
            body=response.body,
            charset=None,
            site=self.profile.id,
            fetched=now_iso(),
            capture_id=response.meta.get(CAPTURE_META),
            hints={"document": {"anchor": listed["anchor"], "row": listed["row"]}},
        )

    def fetch_attachments(self, page_url: str, urls: list[str]) -> None:
        """Fetch the documents an article links under its headline (PDF, DOC …), so that
        they are captured in WARC beside it. Called by the extraction pipeline."""
        for url in urls:
            if url in self.requested or not self.wanted_attachment(url):
                continue
            self.requested.add(url)
            self.crawler.engine.crawl(self.request(
                url, self.parse_attachment, meta={"allow_binary": True, "attachment_of": page_url}
            ))  # fmt: skip

    def wanted_attachment(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and not any(r.search(url) for r in self.deny_res)

    def parse_attachment(self, response: Response) -> Iterator:
        """An attachment is captured (WARC + captures row) on the way here: nothing to add."""
        self.crawler.stats.inc_value("tintuc/attachments")
        return iter(())

    def link_kind(self, url: str) -> str | None:
        """'article', 'listing' or None (not followed) for a canonical URL; memoised, since
        menus and sidebars repeat the same links on every page."""
        kind = self.link_kinds.get(url, "")
        if kind == "":
            if not self.wanted(url):
                kind = None
            elif self.is_article_url(url):
                kind = "article"
            else:
                kind = "listing" if self.is_listing_url(url) else None
            self.link_kinds[url] = kind
        return kind

    def follow_links(
        self, response: TextResponse, teasers: list[str] | None = None,
        new_documents: list[str] = (),
    ) -> Iterator[scrapy.Request]:
        """Request the page's links: articles, pages of its pager, other listings; ``teasers``
        are its teaser headline links (found again when not given). ``new_documents``: the
        documents it lists that are new to the crawl, which count as new headlines (a listing
        of documents goes on to its next page, and is no trap)."""
        articles, listings = [], []
        # a generic crawl reads the page's clickable cards for its headlines (below): one scan
        # for them all, whose data-url cards page_links takes instead of scanning them again
        cards = None if self.article_res else card_links(response.body, response.url,
                                                          with_attribute=True)
        links = [u for u in page_links(response.body, response.url, None if cards is None else [
                     link for attribute, link in cards if attribute == b"data-url"])
                 if u not in self.document_urls]
        feeds = discovery.feed_links(response.body, response.url)
        for url in links:
            if discovery.looks_like_feed_url(url):
                feeds.append(url)
                continue
            kind = self.link_kind(url)
            if kind == "article":
                articles.append(url)
            elif kind == "listing":
                listings.append(url)
        skip_urls = self.state.skip_urls
        if not self.article_res:
            # Generic mode knows articles by no URL pattern: the page's headlines stand in
            # (teasers in a heading, and links behind a headline-long text, which is how many
            # portals mark up their lists), so an incremental crawl sees what is new and stops
            # paginating as with a profile. A stored article is not fetched again, whatever
            # links to it (a "Tin tức khác" block, a menu), unless it is due for a revisit.
            long_links = [u for u in headline_links(response.body, response.url)
                          if self.link_kind(u)]  # fmt: skip
            self.headline_urls.update(long_links)
            headlines = {*(teaser_links(response.body, response.url) if teasers is None
                           else teasers), *long_links,
                         *(link for _, link in cards)}
            articles = [u for u in listings if u in headlines or u in skip_urls]
            listings = [u for u in listings if u not in headlines and u not in skip_urls]
        new = [u for u in dict.fromkeys(articles) if u not in skip_urls]
        self.skipped.update(u for u in articles if u in skip_urls)
        self.crawler.stats.set_value("tintuc/skipped_known", len(self.skipped))
        # new to this crawl too: a "latest news" box repeats the newest articles on every page,
        # and would otherwise make every listing page look as if it had something new
        found_here = [u for u in new if u not in self.requested] + list(new_documents)
        unseen = [u for u in links if u not in self.requested]
        yield from self.request_once(new)
        yield from self.request_feeds(feeds)
        if self.state.stop_on_nothing_new and not found_here and not response.meta.get("start"):
            self.crawler.stats.inc_value("tintuc/listing_stopped")
            return  # an incremental crawl: this page had nothing new, the next ones won't either
        yield from self.count_fruitless(response, found_here)
        yield from self.date_archive_notes(response)
        pager = self.pager_of(response, links)
        if not (articles or new_documents) and self.past_last_page(response, links, unseen):
            # "Không có kết quả": the listing ended before this page; its further pages too
            listings = [u for u in listings if u not in self.further_pages(response, links)]
            pager = None
        if pager:
            first_pages = self.first_page_links(response, pager)
            # the pager's link to its first page, also a listing link of the page: not fetched
            listings = [first_pages.get(u, u) for u in listings]
            pages = list(dict.fromkeys(first_pages.get(u, u) for u in map(canonical_url,
                                                                          pager.links)))
            # not a stored article (WordPress's ?p=N post links look like page N of a listing)
            pages = [u for u in pages if self.wanted(u) and self.link_kind(u) != "article"
                     and u not in skip_urls]  # fmt: skip
            pages = self.not_trapped(pages)
            self.crawler.stats.inc_value("tintuc/pager_links", len(pages))
            self.shapes.learn_listings(pages)
            yield from self.request_once(pages, priority=discovery.PRIORITY_LISTING)
            yield from self.follow_postbacks(response, pager.postbacks)
        if not (pager and (pager.links or pager.postbacks)) and (
                discovery.urlless_more_control(response.body)):
            yield from self.note_urlless_more(response)
        # with article patterns, the other links are listings; without, of unknown kind
        known = discovery.PRIORITY_LISTING if self.article_res else discovery.PRIORITY_ARTICLE
        yield from self.request_once(self.not_trapped(listings), priority=known)

    def first_page_links(self, response: TextResponse, pager: discovery.Pager) -> dict[str, str]:
        """The pager's links to its first page (``?page=1``, ``/page/1/``, ``?p=1`` where
        the pager's entries show that its URLs count from 1: ``pager.first``), each to the URL
        the crawl met that listing at (its page without a number): the first page of a pager
        is the listing itself, not another page to fetch. A first page the crawl has not
        met (page 3 reached from a sitemap) keeps the pager's URL."""
        url = canonical_url(response.url)
        listing, own = discovery.strip_page_number(url)
        numbered = [(link, *discovery.strip_page_number(link))
                    for link in map(canonical_url, pager.links)]  # fmt: skip
        # a paged listing's first page only (one entry per listing, not per page crawled)
        if own is None and not response.meta.get("postback_page") and any(
                other == listing and number is not None for _, other, number in numbered):
            self.first_pages.setdefault(listing, url)
        if pager.first is None:
            return {}
        found = {link: self.first_pages[other] for link, other, number in numbered
                 if number == pager.first and other in self.first_pages}  # fmt: skip
        self.crawler.stats.inc_value("tintuc/pager_first_pages", len(found))
        return found

    def note_urlless_more(self, response: TextResponse) -> Iterator[FetchError]:
        """Say once per URL shape (crawler/url_shapes.py: a site's listings, or its articles
        with a comment box's button) that a page's "Xem thêm" control names no URL (and it
        has no pager): what the control loads, a listing's older items, is not crawled unless
        a sitemap, a feed or an archive reaches them."""
        url = canonical_url(response.url)
        shape = shape_of(url)
        if shape in self.urlless_more:
            return
        self.urlless_more.add(shape)
        self.crawler.stats.inc_value("tintuc/urlless_more")
        yield FetchError(url, "a 'Xem thêm' control names no URL (a script or a postback "
                              "without a form loads the rest): older items of this listing "
                              "are not crawled from it")

    def further_pages(self, response: TextResponse, links: list[str]) -> set[str]:
        """The links to other page numbers of the listing ``response`` is a page of."""
        return set(discovery.same_listing_pages(canonical_url(response.url), links))

    def past_last_page(self, response: TextResponse, links: list[str], unseen: list[str]) -> bool:
        """True for a page numbered past 1 of a listing (``?page=7``, ``/trang-7``) that lists
        no article and links nothing new but more page numbers: many portals answer any page
        number with 200 and "no results", and a pager that still offers the next number. Its
        further pages are not followed (counted in ``tintuc/pages_past_the_last``), long
        before a trap streak would end them."""
        number = discovery.strip_page_number(canonical_url(response.url))[1]
        if number is None or number < 2:
            return False
        if set(unseen) - self.further_pages(response, links):
            return False  # new links that are no page number: maybe articles after all
        self.crawler.stats.inc_value("tintuc/pages_past_the_last")
        return True

    def count_fruitless(self, response: TextResponse, found_here: list[str]) -> Iterator:
        """Count the page in its URL shape's streak of pages that showed no new headline (none
        of its article links new, no new link behind a headline-long anchor). At
        ``TINTUC_TRAP_STREAK`` the shape (crawler/url_shapes.py) is a trap, recorded once as
        the crawl's error, and its links are no longer followed: a work calendar's "next day"
        and "next month", a filter grid's every combination, links that change only a date or
        a counter go on for ever and lead to no article. A site's pager, where each page shows
        new teasers, never builds such a streak; pages linked as teasers or headlines, or
        known as articles by the profile's patterns or the learned article shape, and the
        later pages of a story split over pages, are never counted (an article shows nothing
        new either)."""
        url = canonical_url(response.url)
        if (url in self.teaser_urls or url in self.headline_urls or self.is_article_url(url)
                or response.meta.get("start") or self.story_part(url)
                or (not self.article_res and self.shapes.article_shape(url))):
            return  # an article (or so its links say), or where the crawl began
        shape = shape_of(url)
        if not found_here and self.article_res:  # (generic mode has read them already)
            headlines = [u for u in headline_links(response.body, url) if self.link_kind(u)]
            found_here = [u for u in headlines if u not in self.requested]
            self.headline_urls.update(headlines)
        if found_here:
            self.fruitless[shape] = 0
            return
        streak = self.fruitless[shape] = self.fruitless.get(shape, 0) + 1
        limit = self.trap_streak
        if streak == limit and shape not in self.trap_shapes:
            self.trap_shapes.add(shape)
            self.crawler.stats.inc_value("tintuc/trap_shapes")
            yield FetchError(url, f"crawl trap: the last {limit} pages shaped {shape} "
                                  "showed no new headline (a calendar or filter that goes on "
                                  "for ever?); their links are no longer followed")

    def date_archive_notes(self, response: TextResponse) -> Iterator[FetchError]:
        """Say once per form that a date archive (discovery.date_archive_forms) is not
        filled in: the articles only it leads to are not crawled, and the crawl's errors
        say where to look (a sitemap or a profile's listing patterns reach them)."""
        if b"<form" not in response.body and b"<FORM" not in response.body:
            return
        for action in discovery.date_archive_forms(response.body, response.url):
            action = canonical_url(action)
            if action not in self.date_forms:
                self.date_forms.add(action)
                yield FetchError(action, "a date archive form (a GET form asking for a day) is "
                                         "not filled in: articles reached only through it are "
                                         "not crawled")

    def not_trapped(self, urls: list[str]) -> list[str]:
        """``urls`` without those of a trap shape (:meth:`count_fruitless`), headline links
        excepted."""
        if not self.trap_shapes:
            return urls
        kept = [u for u in urls
                if u in self.headline_urls or shape_of(u) not in self.trap_shapes]  # fmt: skip
        self.crawler.stats.inc_value("tintuc/trapped_links", len(urls) - len(kept))
        return kept

    def request_once(self, urls: list[str], priority: int = 0) -> Iterator[scrapy.Request]:
        """A request for each of ``urls`` not asked for yet, at this host or, once the site's
        hosts are seen to mirror each other (:attr:`mirrors`), at another of them: a mobile
        edition linked from every article is otherwise the whole site crawled twice, each copy
        fetched only to be found the same. The new URLs are asked about at once (in a worker,
        one Redis round trip for them all)."""
        new = [url for url in dict.fromkeys(urls) if url not in self.requested]
        self.requested.update(new)
        for url, copy in zip(new, self.mirrors.ask([mirror_key(url) for url in new]), strict=True):
            if copy:
                self.crawler.stats.inc_value("tintuc/mirror_copies_skipped")
            else:
                yield self.request(url, self.parse, priority=priority)

    def pager_of(self, response: TextResponse, links: list[str]) -> discovery.Pager | None:
        """The page's pagination, found by its shape (crawler/discovery.py). Not looked for on
        pages the profile's URL patterns call articles: they have none."""
        if self.article_res and self.is_article_url(response.url):
            return None
        return discovery.find_pager(response.body, canonical_url(response.url), links)

    def follow_postbacks(self, response: TextResponse, postbacks: list) -> Iterator:
        """POST an ASP.NET pager's entries back, each listing page once. They all share the
        listing's URL, so pages are told apart by their number (discovery.postback_key);
        Scrapy's dupefilter sees different bodies and would let repeats through."""
        if not postbacks:
            return
        url = canonical_url(response.url)
        current = response.meta.get("postback_page")
        if response.request is not None and response.request.method == "GET":
            current = 1  # a GET shows a postback grid's first page
            self.postbacks_requested.add((url, 1))
        state = discovery.viewstate(response.body)
        for postback in postbacks:
            key = discovery.postback_key(url, postback, current, state)
            if key in self.postbacks_requested:
                continue
            self.postbacks_requested.add(key)
            self.crawler.stats.inc_value("tintuc/postback_pages")
            try:
                yield discovery.postback_request(
                    response, postback, callback=self.parse, errback=self.on_error,
                    priority=discovery.PRIORITY_LISTING,
                    meta={"postback_page": discovery.postback_page(postback, current)},
                )  # fmt: skip
            except ValueError:  # no form holding __VIEWSTATE after all
                return

    def parse_feed(self, response: Response) -> Iterator:
        """RSS and Atom feeds, sitemaps and sitemap indexes (news sitemaps too, gzipped or
        not): a sitemap index leads to more sitemaps, the others' entries are article
        candidates, fetched after the listings. An HTML page where a feed was expected (/rss is
        often a page listing the site's feeds) is read as a page."""
        sitemaps, entries = discovery.xml_links(response.body)
        broken = discovery.broken_gzip(response.body)
        if broken:  # what did unpack is read all the same
            yield FetchError(response.url, f"sitemap or feed: {broken}; "
                             f"{len(sitemaps) + len(entries)} links read from what unpacked",
                             response.status)  # fmt: skip
            if not (sitemaps or entries):
                return
        if not (sitemaps or entries):
            if isinstance(response, TextResponse) and not isinstance(response, XmlResponse):
                yield from self.parse(response)
            elif not isinstance(response, TextResponse):
                yield FetchError(response.url, "feed is not text", response.status)
            return
        pages = []
        for link in entries:
            url = canonical_url(urljoin(response.url, link))
            if url.endswith((".xml", ".xml.gz")) or "sitemap" in url.lower():
                sitemaps.append(url)  # a sitemap listed as a page
            elif self.wanted(url) and url not in self.state.skip_urls:
                pages.append(url)
        self.crawler.stats.inc_value("tintuc/feed_entries", len(pages))
        self.feed_urls.update(pages)
        yield from self.request_feeds([urljoin(response.url, u) for u in sitemaps])
        known = [u for u in pages if self.article_res and self.link_kind(u) == "listing"]
        yield from self.request_once(known, priority=discovery.PRIORITY_LISTING)
        yield from self.request_once(pages, priority=discovery.PRIORITY_ARTICLE)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """robots.txt: its ``Sitemap:`` lines (Scrapy's own parser)."""
        yield from self.request_feeds(discovery.robots_sitemaps(response.body, response.url))

    def on_robots_fetched(self, response: Response) -> None:
        """The robots.txt the robots middleware fetched: its Sitemap: lines, in generic mode
        (a profile naming feeds or sitemaps does without guesses)."""
        if self.profile.feeds or self.profile.sitemaps or not 200 <= response.status < 300:
            return
        for request in self.parse_robots(response):
            self.crawler.engine.crawl(request)

    def on_discovery_miss(self, failure: Failure) -> None:
        """A guessed feed, sitemap or robots.txt that is not there: counted, not an error."""
        self.crawler.stats.inc_value("tintuc/discovery_misses")

    def on_error(self, failure: Failure) -> Iterator[FetchError]:
        request = failure.request
        url = request.meta.get("redirect_urls", [request.url])[0]  # the URL we asked for
        if failure.check(RedirectedToKnown):  # as parse() does for a redirect it follows
            yield PageGone(canonical_url(url), f"redirected to {failure.value.target}")
            # each capture of the chain says where it sent its visitor, as when it is followed
            for page, capture_id, target, how in request.meta.get(REFRESHED_PAGES, ()):
                yield PageDecision(canonical_url(page), capture_id, "other",
                                   f"sends its visitor on to {target} ({how})")
            yield PageDecision(canonical_url(request.url), request.meta.get(CAPTURE_META), "other",
                               f"sends its visitor on to {failure.value.target} "
                               f"({failure.value.how}), a page the crawl has already asked for")
        if failure.check(HttpError):
            response = failure.value.response
            yield FetchError(url, f"HTTP {response.status}", response.status)
        else:
            yield FetchError(url, describe_failure(failure, self.crawler.settings))


ATTR_VALUE = rb"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""  # 3 quotings
HREF_ATTR = rb"\s[^>]*?\bhref" + ATTR_VALUE
HREF = re.compile(rb"<a" + HREF_ATTR, re.I)
HREF_ATTR_VALUE = re.compile(rb"\shref" + ATTR_VALUE, re.I)
# the documents a page shows in frames: an old portal's <frameset> home page holds nothing but
# them, and some show their news in an <iframe> of their own
FRAME_SRC = re.compile(rb"<i?frame\s[^>]*?\bsrc" + ATTR_VALUE, re.I)
# a page that sends its visitor on with a script ("window.location.href = '/vi/'"): a portal's
# root often does, and shows nothing else; its target is read where a page has next to no link
SCRIPT_REDIRECT = re.compile(
    rb"""\blocation(?:\.href)?\s*=\s*["']([^"'\s]+)["']|\blocation\.(?:replace|assign)\(\s*"""
    rb"""["']([^"'\s]+)["']\s*\)""")
# links a page draws without <a href>: an image map's <area href>, a row or card made a link
# by a script (``data-href="…"`` or ``data-link="…"``, ``onclick="location.href='…'"``,
# ``onclick="window.location.assign('…')"``, a popup's ``onclick="window.open('…')"``); a
# page listing its news only so is otherwise a dead end
AREA_HREF = re.compile(rb"<area" + HREF_ATTR, re.I)
DATA_HREF = re.compile(rb"\sdata-(?:href|link)" + ATTR_VALUE, re.I)
# where a click goes (crawler.urls.GOES_TO: the classifier reads it too)
_GOES_TO = GOES_TO.encode()
ONCLICK_LOCATION = re.compile(  # the three quotings of the URL inside the attribute
    rb"""\bonclick\s*=\s*(?:"[^"]*?""" + _GOES_TO + rb"""'([^'\s]+)'|'[^']*?""" + _GOES_TO
    + rb""""([^"\s]+)"|"[^"]*?""" + _GOES_TO + rb"""&quot;([^&\s]+)&quot;)""", re.I)
# where a script fetches more of a listing without a link: a "Xem thêm" button's ``data-url``, a
# list's ``data-api``, an infinite scroll's ``data-next-page``, a category menu's ``<option
# value>`` (``<select onchange="location=this.value">``), an inline script's ``fetch('/…')``,
# ``$.get('/…')``, ``.load('/…')`` or ``url: '/…'``. Only site-rooted paths (``/…``, not
# ``//host``) are read: plainly the site's own, never an off-site endpoint; no script is run.
PATH_VALUE = rb"""\s*=\s*(?:"(/(?!/)[^"\s]*)"|'(/(?!/)[^'\s]*)'|(/(?!/)[^\s>"']*))"""
DATA_URL = re.compile(rb"\sdata-(?:[\w-]*-)?(?:url|api|next|next-page|more|load)" + PATH_VALUE,
                      re.I)
OPTION_VALUE = re.compile(rb"<option\s[^>]*?\bvalue" + PATH_VALUE, re.I)
SCRIPT_FETCH = re.compile(
    rb"""(?:\bfetch|\.(?:get|getJSON|load|ajax))\(\s*(?:"(/(?!/)[^"\s]*)"|'(/(?!/)[^'\s]*)'|"""
    rb"""`(/(?!/)[^`\s$]*)`)|\burl\s*:\s*(?:"(/(?!/)[^"\s]*)"|'(/(?!/)[^'\s]*)')()""")
CANONICAL_TAG = re.compile(rb"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
TITLE = re.compile(rb"<title\b[^>]*>(.*?)</title", re.I | re.S)
TEXT_RUN = re.compile(rb">([^<]{40,})<")  # a text of 40 bytes or more between two tags
STUB_LINKS = 3  # fewer links than this: a redirect stub or an empty page, whose script is read
BASE_HREF = re.compile(rb"<base" + HREF_ATTR, re.I)


def _href_text(groups: tuple[bytes, bytes, bytes]) -> str:
    """An href (the groups of HREF_ATTR) as text: UTF-8, else cp1258 (most hrefs are ASCII)."""
    raw = groups[0] or groups[1] or groups[2]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", "replace")
    return html.unescape(text).strip()


def _first_three(groups: tuple[bytes, ...]) -> tuple[bytes, bytes, bytes]:
    """SCRIPT_FETCH's groups (a call's three quotings, then ``url:``'s) in HREF_ATTR's shape."""
    return (b"".join(groups[0::3]), b"".join(groups[1::3]), b"".join(groups[2::3]))


def page_links(body: bytes, url: str, data_url_cards: list[str] | None = None) -> list[str]:
    """Canonical absolute URLs of the ``<a href>`` links of a page, each once, in page order,
    then the documents of its frames (``<frame>``, ``<iframe>``), the links drawn without an
    anchor (:data:`AREA_HREF`, :data:`DATA_HREF`, :data:`ONCLICK_LOCATION`), the site paths
    a script would fetch more of a listing from (:data:`DATA_URL`, :data:`OPTION_VALUE`,
    :data:`SCRIPT_FETCH`) and, on a page with next
    to no link, where its script sends the visitor (``location.href = …``); not its print
    views (:func:`crawler.urls.is_print_view`).

    A regular expression over the bytes instead of a DOM: building a parsel selector per link
    cost the reactor thread more than everything else on a 170 KB page, and decoding the whole
    page here would repeat what the extraction worker does anyway. ``data_url_cards``: the page's
    ``card_links(body, url, (b"data-url",))``, when the caller has them.
    """
    base = _page_base(body, url)
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    links = {}
    # menus repeat links: resolve each once
    for groups in dict.fromkeys([*HREF.findall(body), *FRAME_SRC.findall(body),
                                 *AREA_HREF.findall(body), *DATA_HREF.findall(body),
                                 *ONCLICK_LOCATION.findall(body),
                                 *OPTION_VALUE.findall(body)]):  # fmt: skip
        link = _resolve(_href_text(groups), origin, base)
        if link is not None:
            links[link] = None
    # what a script fetches is followed only when it is a page of a listing (it carries a page
    # number): scripts also call view counters, widgets and forms' handlers, which are no
    # pages to read and which a GET may change (a view counted)
    for groups in dict.fromkeys([*DATA_URL.findall(body),
                                 *map(_first_three, SCRIPT_FETCH.findall(body))]):
        link = _resolve(_href_text(groups), origin, base)
        if link is not None and discovery.next_page_url(link) is not None:
            links[link] = None
    # a card naming its page in data-url and showing a headline is a teaser all the same
    links.update(dict.fromkeys(card_links(body, url, (b"data-url",)) if data_url_cards is None
                               else data_url_cards))
    if len(links) < STUB_LINKS:
        for target in SCRIPT_REDIRECT.findall(body, 0, 65536):
            link = _resolve(_href_text((*target, b"")), origin, base)
            if link is not None:
                links[link] = None
    return list(links)


def _page_base(body: bytes, url: str) -> str:
    """The URL a page's relative links are read against: its ``<base href>``, else ``url``."""
    found = BASE_HREF.search(body, 0, 8192)
    if found:
        try:
            return urljoin(url, _href_text(found.groups()))
        except ValueError:
            pass
    return url


# the attributes naming where a click on their element goes (crawler.urls.script_link)
CLICK_ATTRIBUTES = (b"data-url", b"data-href", b"data-link", b"onclick")
ATTRIBUTE_VALUE = re.compile(ATTR_VALUE)
ANCHOR_OPEN = re.compile(rb"<a[\s>]")
CARD_BYTES = 2000  # a card's markup read at most: a headline, a picture, a date and a blurb
# where an element of each clickable tag opens or closes (``<p`` is not ``<pre``)
_TAG_EDGES = {tag.encode(): re.compile(rb"<(/?)" + tag.encode() + rb"[\s>]")
              for tag in CLICKABLE_TAGS}


def card_links(body: bytes, url: str, attributes: tuple[bytes, ...] = CLICK_ATTRIBUTES,
               with_attribute: bool = False) -> list:
    """Canonical URLs of the rows and cards a script makes links (a clickable tag,
    :data:`crawler.urls.CLICKABLE_TAGS`, whose ``attributes`` name a page:
    :func:`crawler.urls.script_link`) that hold no anchor and show a headline
    (:data:`crawler.urls.TEASER_WORDS` words, the classifier's test of such a teaser): a
    listing's teasers when a template draws them without ``<a href>``. Like counters, "Xem
    thêm" loaders, share buttons and pixels show no headline; a lightbox's captioned image is
    a file (:data:`NOT_HTML`), no page, and so is what a card's script fetches
    (:func:`crawler.urls.is_endpoint`: "/api/news/12"). The attributes are looked for with
    ``bytes.find``: a regular expression trying each white space of the page cost 1.4 ms a
    page. With ``with_attribute``, each link comes as ``(attribute, link)``."""
    lower = body.lower()
    found = []
    for attribute in attributes:
        at = lower.find(attribute)
        while at >= 0:
            value = ATTRIBUTE_VALUE.match(body, at + len(attribute))
            if value is not None and lower[at - 1 : at].isspace():
                found.append((at, attribute, value))
            at = lower.find(attribute, at + len(attribute))
    if not found:
        return []
    base = _page_base(body, url)
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    links = []
    for at, attribute, value in sorted(found, key=lambda f: f[0]):
        opened = lower.rfind(b"<", 0, at)
        tag = lower[opened + 1 : at].split(None, 1)[0] if opened >= 0 else b""
        edges = _TAG_EDGES.get(tag)
        start = body.find(b">", value.end()) + 1
        end = _closing(lower, edges, start) if edges and start else None
        if end is None or ANCHOR_OPEN.search(lower, start, end) \
                or _word_count(" ".join(_texts(body[start:end]))) < TEASER_WORDS:
            continue
        written = _href_text(value.groups())
        target = (script_link("", written, None) if attribute == b"onclick"
                  else script_link("", None, written))
        link = _resolve(target, origin, base) if target else None
        if link is not None and not NOT_HTML.search(urlsplit(link).path) and not is_endpoint(link):
            links.append((attribute, link) if with_attribute else link)
    return links


def _closing(lower: bytes, edges: re.Pattern, start: int) -> int | None:
    """Where the element whose opening tag ends at ``start`` closes (``edges`` finds its tag's
    openings and closings); None when it is longer than a card."""
    depth = 1
    for edge in edges.finditer(lower, start, start + CARD_BYTES):
        depth += -1 if edge.group(1) else 1
        if not depth:
            return edge.start()
    return None


PAGE_EXTENSION = re.compile(r"\.(?:html?|aspx?|php|jsp)$")


def same_page_keys(url: str) -> list[tuple]:
    """The keys under which two URLs may be one page (:meth:`NewsSpider.spelling_alias`):
    its :func:`crawler.urls.spelling_key`, and when its last path segment is a headline slug
    (:func:`crawler.url_shapes.segment_shape`), that slug (without ``.html``) and query
    without the sections before it: also the slug of an AMP view ``/<slug>/amp``."""
    key = spelling_key(url)
    netloc, path, query = key
    segments = path.rstrip("/").rsplit("/", 2)
    if segments[-1] == "amp" and len(segments) == 3:  # /<slug>/amp: the AMP view of <slug>.html
        segments.pop()
    last = PAGE_EXTENSION.sub("", segments[-1])
    if "<slug>" in segment_shape(last, last=True):
        return [key, ("slug", netloc, last, query)]
    return [key]


def mirror_key(url: str) -> tuple[str, str]:
    """``url``'s host without its mirror label (``m.``, ``www.``: the first part of its
    :func:`crawler.urls.spelling_key`), and its path and query as spelt."""
    parts = urlsplit(url)
    return MIRROR_LABEL.sub("", parts.netloc), urlunsplit(("", "", parts.path, parts.query, ""))


def canonical_link(body: bytes, url: str) -> str | None:
    """The canonical form of the URL a page names in ``<link rel=canonical href>`` (in its
    head, or the first 64 KB), else None."""
    found = CANONICAL_TAG.search(body, 0, 65536)
    href = HREF_ATTR_VALUE.search(found.group(0)) if found else None
    if href is None:
        return None
    parts = urlsplit(url)
    link = _resolve(_href_text(href.groups()), f"{parts.scheme}://{parts.netloc}", url)
    return link if link and link.startswith(("http://", "https://")) else None


def same_page(url: str, other: str) -> bool:
    """Two canonical URLs that only a site's careless spelling tells apart: ``http`` for
    ``https``, ``www.`` or not, a trailing slash (a canonical link written so on every page
    must not send the crawl to a second URL per page)."""
    def key(u: str) -> tuple:
        parts = urlsplit(u)
        return (parts.netloc.removeprefix("www."), parts.path.rstrip("/"), parts.query)

    return key(url) == key(other)


def page_fingerprint(body: bytes) -> int:
    """What a page shows, in one number: its ``<title>`` and its longest text outside scripts
    and styles (an article's longest paragraph), enough to tell the same article at two URLs
    (whose menus, breadcrumbs and counters may differ) from a section page or another
    article. Bytes and searches, no DOM: about 1 ms on a 100-220 KB page."""
    lower = body.lower()
    code = []  # (start, end) of each script and style element
    for tag in (b"script", b"style"):
        start = lower.find(b"<" + tag)
        while start >= 0:
            end = lower.find(b"</" + tag, start)
            end = len(lower) if end < 0 else end
            code.append((start, end))
            start = lower.find(b"<" + tag, end)
    code.sort()
    starts = [start for start, _ in code]
    longest = b""
    for run in TEXT_RUN.finditer(body):
        text = run.group(1)
        if len(text) <= len(longest) or not text.strip():
            continue
        inside = bisect.bisect_right(starts, run.start()) - 1
        if inside < 0 or code[inside][1] <= run.start():
            longest = text
    title = TITLE.search(body, 0, 65536)
    # the same number in every process (Python's hash of bytes is not): workers compare them
    shown = hashlib.blake2b(b" ".join(title.group(1).split()) if title else b"", digest_size=8)
    shown.update(b"\0" + b" ".join(longest.split()))
    return int.from_bytes(shown.digest())


def _resolve(href: str, origin: str, base: str) -> str | None:
    """The canonical absolute URL of ``href`` on a page at ``base`` (whose scheme and host are
    ``origin``), or None if it is not a URL. ``urljoin`` only where it is needed: it cost more
    than the rest of the link handling."""
    if "\\" in href:  # a browser reads a backslash before the query as a slash (WHATWG URL)
        path, mark, rest = href.partition("?")
        href = path.replace("\\", "/") + mark + rest
    if href[:11].lower() == "javascript:":
        script = SCRIPT_HREF.match(href)
        if script is None:
            return None
        href = script.group(2)
    if "/." in href:
        pass  # dot segments: urljoin removes them
    elif href.startswith(("http://", "https://")):
        return _canonical(href)
    elif href.startswith("/") and not href.startswith("//"):
        return _canonical(origin + href)
    try:
        return _canonical(urljoin(base, href))
    except ValueError:
        return None


def _canonical(url: str) -> str | None:
    if is_print_view(url):
        return None  # the page it prints is linked too (crawler.urls.is_print_view)
    try:
        return canonical_url(url)
    except ValueError:
        return None


# a link right inside a heading: <h3><a href="...">, the shape of a listing's teaser headline
HEADING_HREF = re.compile(rb"<h[1-6][^>]*>\s*<a" + HREF_ATTR, re.I)
# a link and its text (a bounded run without another anchor); tags inside the text are dropped
ANCHOR_TEXT_BYTES = 1200  # an anchor's inner markup read at most: a headline is far shorter
TAG = re.compile(rb"<[^>]*>")
WORD = re.compile(r"[^\W\d_]+")


def headline_links(body: bytes, url: str) -> list[str]:
    """Canonical URLs a page links behind a headline-long text (:data:`HEADLINE_WORDS` words
    or more): a listing's teasers whatever their markup, an article's "Tin liên quan", a
    document table's subjects. Navigation ("Ngày sau", "Tháng 12/2025", "2") and most menu
    entries are shorter. Each anchor's text is sliced out up to its ``</a`` (a regular
    expression spanning the text cost 70 ms on some 150 KB pages; this, about 1 ms)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    lower = body.lower()
    found = []
    for match in HREF.finditer(body):
        opened = body.find(b">", match.end())
        close = lower.find(b"</a", opened, opened + ANCHOR_TEXT_BYTES)
        if opened < 0 or close < 0:
            continue
        inner = body[opened + 1 : close]
        if len(inner.split()) < HEADLINE_WORDS or b"<a" in lower[opened:close]:
            continue  # most anchors stop here, cheaply (tags only add to the count)
        text = html.unescape(discovery.decode(TAG.sub(b" ", inner)))
        if len(WORD.findall(text)) >= HEADLINE_WORDS:
            link = _resolve(_href_text(match.groups()), origin, url)
            if link is not None:
                found.append(link)
    return found


# a link to a document (PDF, Word, Excel, PowerPoint, OpenDocument, RTF), by its path, by a
# query value that names the file (``viewfile.aspx?file=/uploads/tb-12.pdf``), or by a download
# handler's path with the file's id (``Download.aspx?id=12``, ``/tai-ve/12``, ``GetFile.ashx?…``):
# what such a link serves is known once fetched, and a web page there is read as a page
DOCUMENT_PATH = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf)$", re.I)
DOWNLOAD_PATH = re.compile(r"/(?:download(?:file)?|get-?file|tai-?ve|tai-?xuong|dinh-?kem|"
                           r"file-?download)(?:\.(?:aspx|ashx|php|jsp|do))?(/[\w.-]+)?/?$", re.I)
DOCUMENT_HREF = re.compile(
    rb"""href\s*=\s*["']?[^"'\s>]*(?:\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf)(?:[?#&"'\s>]|$)|"""
    rb"""/(?:download|get-?file|tai-?ve|tai-?xuong|dinh-?kem|file-?download))""", re.I)


def is_document_link(href: str) -> bool:
    """True for a link to a document (:data:`DOCUMENT_PATH`, :data:`DOWNLOAD_PATH`)."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if DOCUMENT_PATH.search(parts.path):
        return True
    handler = DOWNLOAD_PATH.search(parts.path)
    if handler and (parts.query or handler.group(1)):
        return True
    return any(DOCUMENT_PATH.search(value) for _, value in parse_qsl(parts.query))
ROW_OPEN = re.compile(rb"<(tr|li)[\s>]", re.I)  # a table row, a list item
# where a block's text ends, for a link in no row: <div class="item"><a>…</a> <i>date</i></div>
BLOCK_EDGE = re.compile(rb"</?(?:div|p|td|th|dd|dt|li|tr|h[1-6]|ul|ol|table|tbody|section|"
                        rb"article)\b|<br\b", re.I)
ANCHOR_ELEMENT = re.compile(rb"<a\s[^>]*>.*?</a\s*>", re.I | re.S)
ROW_BYTES = 4000  # a listing row read at most this far either side of its link
ROW_TEXTS = 30


def listed_documents(body: bytes, url: str) -> list[dict]:
    """The documents (PDF, DOC, XLS …) a page lists as notices of their own: linked behind a
    headline-long text (:data:`HEADLINE_WORDS` words), or from a listing row (``<tr>``,
    ``<li>``, else the link's own block) holding one: "Thông báo số 12/TB-UBND về việc …
    [PDF]", a "Tải về" link beside a title cell. Each ``{"url", "anchor", "row"}``: the
    canonical URL, the link's text, the row's texts (title, number, date …), each URL once
    (with its longest anchor: an icon and a title often link the same file). A document
    linked by its file name alone, in no row with a headline ("Tệp đính kèm: tb-12.pdf"), is
    an attachment, not a notice. Bytes and regular expressions, as :func:`headline_links`;
    a page linking no document costs one search."""
    if not DOCUMENT_HREF.search(body):
        return []
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    lower = body.lower()
    found: dict[str, dict] = {}
    for match in HREF.finditer(body):
        href = _href_text(match.groups())
        if not is_document_link(href):
            continue
        opened = body.find(b">", match.end())
        close = lower.find(b"</a", opened, opened + ANCHOR_TEXT_BYTES)
        link = _resolve(href, origin, url)
        if opened < 0 or close < 0 or link is None:
            continue
        anchor = " ".join(_texts(body[opened + 1 : close]))
        row = _texts(_without_other_links(_row(body, lower, match.start(), close),
                                          match.group(0)))[:ROW_TEXTS]  # fmt: skip
        if max(map(_word_count, [anchor, *row])) < HEADLINE_WORDS:
            continue
        if link not in found or len(anchor) > len(found[link]["anchor"]):
            found[link] = {"url": link, "anchor": anchor, "row": row}
    return list(found.values())


def _word_count(text: str) -> int:
    return len(WORD.findall(text))


def _without_other_links(row: bytes, opening: bytes) -> bytes:
    """The row without its links other than the one opened by ``opening`` (``<a … href=…``):
    another link's headline is not this document's title."""
    return ANCHOR_ELEMENT.sub(lambda a: a.group(0) if a.group(0).startswith(opening) else b" ",
                              row)  # fmt: skip


def _texts(raw: bytes) -> list[str]:
    """The texts between the tags of some markup, unescaped, spaces collapsed."""
    texts = (" ".join(html.unescape(discovery.decode(x)).split()) for x in TAG.split(raw))
    return [text for text in texts if text]


def _row(body: bytes, lower: bytes, start: int, end: int) -> bytes:
    """The listing row around the link at ``start:end``: the ``<tr>`` or ``<li>`` holding
    it, else its block (from the block edge before it to the one after)."""
    low = max(0, start - ROW_BYTES)
    opening = None
    for opening in ROW_OPEN.finditer(lower, low, start):  # noqa: B007 - the last one is kept
        pass
    if opening is not None:
        tag = b"</" + opening.group(1).lower()
        if lower.find(tag, opening.end(), start) < 0:  # not closed before the link
            stop = lower.find(tag, end, end + ROW_BYTES)
            if stop >= 0:
                return body[opening.start() : stop]
    before = None
    for before in BLOCK_EDGE.finditer(lower, low, start):  # noqa: B007
        pass
    after = BLOCK_EDGE.search(lower, end + 3, end + ROW_BYTES)
    return body[before.start() if before else start : after.start() if after else end]


def teaser_links(body: bytes, url: str) -> list[str]:
    """Canonical URLs linked from headings (teaser headlines) on a page, from its bytes."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    resolved: dict[tuple, str | None] = {}  # a teaser often links its headline twice
    links = []
    for groups in HEADING_HREF.findall(body):
        if groups not in resolved:
            resolved[groups] = _resolve(_href_text(groups), origin, url)
        if resolved[groups] is not None:
            links.append(resolved[groups])
    return links


def describe_failure(failure: Failure, settings) -> str:
    """One clear line for a failed fetch (Scrapy's own messages are sometimes empty)."""
    message = failure.getErrorMessage().strip()
    if failure.check(DNSLookupError):
        return "DNS lookup failed"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return f"timed out after {settings.getfloat('DOWNLOAD_TIMEOUT')} s"
    if failure.check(DownloadCancelledError) and not message:
        limit = settings.getint("DOWNLOAD_MAXSIZE")
        return f"download cancelled: response larger than DOWNLOAD_MAXSIZE ({limit} bytes)"
    if failure.check(ResponseDataLossError):
        return "connection lost mid-body (response data loss)"
    if failure.check(zlib.error):  # HttpCompressionMiddleware, on a body it cannot inflate
        return f"broken Content-Encoding: the compressed body cannot be read ({message})"
    for reason in download_failure_reasons(failure):
        if reason.check(ConnectionDone, ConnectionLost):
            return "the server closed the connection without answering"
        if reason.check("OpenSSL.SSL.Error"):  # (by name: pyOpenSSL comes with Twisted's TLS)
            return f"TLS handshake failed: {tls_error_text(reason.value)}"
        # a status line or header HTTP cannot read
        if reason.check("twisted.web._newclient.ParseError", ValueError):
            return f"malformed HTTP response: {reason.getErrorMessage()}"
    return f"{failure.type.__name__}: {message}" if message else failure.type.__name__


def download_failure_reasons(failure: Failure) -> list[Failure]:
    """What a DownloadFailedError wraps: Twisted's ResponseFailed holds the failures that
    ended the exchange (Scrapy's message is only their repr)."""
    if not failure.check(DownloadFailedError):
        return []
    return list(getattr(failure.value.__cause__, "reasons", None) or ())


def tls_error_text(error: Exception) -> str:
    """pyOpenSSL's ``[('SSL routines', '', 'tls alert handshake failure')]`` as its words."""
    parts = [p[-1] for p in (error.args[0] if error.args else ()) if isinstance(p, tuple)]
    return "; ".join(parts) or str(error)


def response_charset(response: TextResponse) -> str | None:
    """The charset named in the HTTP Content-Type header, if any (it may lie)."""
    ctype = response.headers.get("Content-Type", b"").decode("latin-1")
    match = re.search(r"charset=([\w-]+)", ctype, re.IGNORECASE)
    return match.group(1) if match else None


def robots_middleware_on(settings) -> bool:
    """Whether robots.txt is obeyed by :class:`StrictRobotsTxtMiddleware` (which then sends
    every robots.txt it fetches as :data:`crawler.middlewares.robots_fetched`)."""
    middlewares = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    path = f"{StrictRobotsTxtMiddleware.__module__}.{StrictRobotsTxtMiddleware.__name__}"
    return settings.getbool("ROBOTSTXT_OBEY") and middlewares.get(path) is not None


def apply_politeness(settings, politeness: dict) -> None:
    """Turn a profile's politeness table into Scrapy settings (``-s`` overrides still win)."""
    mapping = {
        "download_delay": "DOWNLOAD_DELAY",
        "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
        "autothrottle": "AUTOTHROTTLE_ENABLED",
    }
    for key, name in mapping.items():
        if key in politeness:
            settings.set(name, politeness[key], priority="spider")
