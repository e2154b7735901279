"""The one generic spider, driven by a site profile.

It only fetches and classifies: listings (and feeds, sitemaps) are followed for links, article
pages are handed to the pipelines as :class:`~crawler.items.FetchedPage`, failures become
:class:`~crawler.items.FetchError` items that the storage pipeline records.

    scrapy crawl news -a site=quangninh-portal
    scrapy crawl news -a start_url=https://example.gov.vn/      # a site not in the registry
    scrapy crawl news -a site=sample -a start_url=http://127.0.0.1:8765/
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, ResponseDataLossError
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.checks import setting
from crawler.items import CAPTURE_META, FetchedPage, FetchError, PageGone
from crawler.sites import SiteProfile, generic_profile, get_site
from crawler.state import CrawlState
from crawler.urls import canonical_url
from pipelines.clock import now_iso

NOT_HTML = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|mp[34]|avi|"
    r"mov|wmv|flv|webm|wav|ogg|css|js|json|xml|apk|exe)(\?|$)",
    re.IGNORECASE,
)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
LOCAL_POLITENESS = {"download_delay": 0, "concurrency": 16, "autothrottle": False}
ARTICLE_META = (
    'meta[property="og:type"][content="article"]',
    'meta[property="article:published_time"]',
    '[itemprop="articleBody"]',
)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, site: str | None = None, start_url: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.site_id = site
        self.start_url = start_url
        self.profile: SiteProfile | None = None
        self.skipped: set[str] = set()
        self.requested: set[str] = set()  # cheaper than letting Scrapy build and drop repeats
        self.link_kinds: dict[str, str | None] = {}

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
        return spider

    def resolve_profile(self, sites_file: str | None) -> SiteProfile:
        if self.site_id:
            profile = get_site(self.site_id, sites_file)
            return profile.with_start_urls([self.start_url]) if self.start_url else profile
        if self.start_url:
            return generic_profile(self.start_url)
        raise ValueError("give -a site=SITE_ID or -a start_url=URL")

    @cached_property
    def state(self) -> CrawlState:
        """The crawl's state (URLs to skip, pending URLs …), filled by the storage pipeline."""
        return CrawlState.of(self.crawler)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.profile.start_urls:
            yield self.request(url, self.parse, meta={"start": True})
        for url in self.profile.feeds:
            yield self.request(url, self.parse_feed)
        for url in self.profile.sitemaps:
            yield self.request(url, self.parse_feed)
        # filled by the storage pipeline when the spider opens, i.e. before this line runs
        for url in self.state.pending_urls:
            url = canonical_url(url)
            if self.link_kind(url) == "article" and url not in self.state.skip_urls:
                for request in self.request_once([url]):
                    yield request

    def request(self, url: str, callback, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, **kwargs)

    # --- classification -------------------------------------------------------------------
    def is_article_url(self, url: str) -> bool:
        return any(r.search(url) for r in self.article_res)

    def is_listing_url(self, url: str) -> bool:
        return not self.listing_res or any(r.search(url) for r in self.listing_res)

    def is_article_page(self, response: TextResponse) -> bool:
        if self.article_res:
            return self.is_article_url(response.url)
        return looks_like_article(response)

    def wanted(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or NOT_HTML.search(parts.path):
            return False
        return not any(r.search(url) for r in self.deny_res)

    # --- callbacks --------------------------------------------------------------------------
    def parse(self, response: Response) -> Iterator:
        if not isinstance(response, TextResponse) or isinstance(response, XmlResponse):
            ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "unknown"
            yield FetchError(response.url, f"not an HTML page (Content-Type: {ctype})",
                             response.status)  # fmt: skip
            return
        first_url = canonical_url(response.meta.get("redirect_urls", [response.url])[0])
        if self.is_article_page(response):
            yield FetchedPage(
                url=canonical_url(response.url),
                requested_url=first_url,
                status=response.status,
                body=response.body,
                charset=response_charset(response),
                site=self.profile.id,
                fetched=now_iso(),
                capture_id=response.meta.get(CAPTURE_META),
            )
        elif first_url != canonical_url(response.url) and self.is_article_url(first_url):
            # an article URL that now redirects to a listing or the home page: it was removed
            yield PageGone(first_url, f"redirected to {response.url}")
        yield from self.follow_links(response)

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

    def follow_links(self, response: TextResponse) -> Iterator[scrapy.Request]:
        articles, listings = [], []
        for url in page_links(response.body, response.url):
            kind = self.link_kind(url)
            if kind == "article":
                articles.append(url)
            elif kind == "listing":
                listings.append(url)
        skip_urls = self.state.skip_urls
        new = [u for u in dict.fromkeys(articles) if u not in skip_urls]
        self.skipped.update(u for u in articles if u in skip_urls)
        self.crawler.stats.set_value("tintuc/skipped_known", len(self.skipped))
        yield from self.request_once(new)
        if self.state.stop_on_nothing_new and not new and not response.meta.get("start"):
            self.crawler.stats.inc_value("tintuc/listing_stopped")
            return  # an incremental crawl: this page had nothing new, the next ones won't either
        yield from self.request_once(listings)

    def request_once(self, urls: list[str]) -> Iterator[scrapy.Request]:
        for url in urls:
            if url not in self.requested:
                self.requested.add(url)
                yield self.request(url, self.parse)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS, Atom and XML sitemaps: every <link>, <loc> or atom href is a candidate."""
        if not isinstance(response, TextResponse):
            yield FetchError(response.url, "feed is not text", response.status)
            return
        response.selector.remove_namespaces()
        links = response.xpath("//item/link/text() | //loc/text() | //entry/link/@href").getall()
        for link in links:
            url = canonical_url(urljoin(response.url, link.strip()))
            if not self.wanted(url) or url in self.state.skip_urls:
                continue
            if url.endswith(".xml") or "sitemap" in url.lower():
                yield self.request(url, self.parse_feed)
            else:
                yield self.request(url, self.parse)

    def on_error(self, failure: Failure) -> Iterator[FetchError]:
        request = failure.request
        url = request.meta.get("redirect_urls", [request.url])[0]  # the URL we asked for
        if failure.check(HttpError):
            response = failure.value.response
            yield FetchError(url, f"HTTP {response.status}", response.status)
        else:
            yield FetchError(url, describe_failure(failure, self.crawler.settings))


HREF_ATTR = rb"""\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""  # 3 quotings
HREF = re.compile(rb"<a" + HREF_ATTR, re.I)
BASE_HREF = re.compile(rb"<base" + HREF_ATTR, re.I)


def _href_text(groups: tuple[bytes, bytes, bytes]) -> str:
    """An href (the groups of HREF_ATTR) as text: UTF-8, else cp1258 (most hrefs are ASCII)."""
    raw = groups[0] or groups[1] or groups[2]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", "replace")
    return html.unescape(text).strip()


def page_links(body: bytes, url: str) -> list[str]:
    """Canonical absolute URLs of the ``<a href>`` links of a page, each once, in page order.

    A regular expression over the bytes instead of a DOM: building a parsel selector per link
    cost the reactor thread more than everything else on a 170 KB page, and decoding the whole
    page here would repeat what the extraction worker does anyway.
    """
    base = url
    found = BASE_HREF.search(body, 0, 8192)
    if found:
        try:
            base = urljoin(url, _href_text(found.groups()))
        except ValueError:
            base = url
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    links = {}
    for groups in dict.fromkeys(HREF.findall(body)):  # menus repeat links: resolve each once
        href = _href_text(groups)
        if href.startswith(("http://", "https://")):
            link = href
        elif href.startswith("/") and not href.startswith("//"):
            link = origin + href
        else:
            try:
                link = urljoin(base, href)
            except ValueError:
                continue
        try:
            links[canonical_url(link)] = None
        except ValueError:
            continue
    return list(links)


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
    return f"{failure.type.__name__}: {message}" if message else failure.type.__name__


def response_charset(response: TextResponse) -> str | None:
    """The charset named in the HTTP Content-Type header, if any (it may lie)."""
    ctype = response.headers.get("Content-Type", b"").decode("latin-1")
    match = re.search(r"charset=([\w-]+)", ctype, re.IGNORECASE)
    return match.group(1) if match else None


DATE_IN_TEXT = re.compile(r"\b\d{1,2}[/-]\d{1,2}[/-]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")


def looks_like_article(response: TextResponse) -> bool:
    """Recognise an article page by its content when no URL pattern is known.

    Machine-readable signals win (og:type=article, article:published_time, articleBody).
    Otherwise an article has one headline, several long paragraphs and a date, and is not a
    listing (a listing has several linked headings: teasers).
    """
    if any(response.css(sel) for sel in ARTICLE_META):
        return True
    if len(response.css("h1")) != 1 or len(response.css("h2 a, h3 a, h4 a")) >= 3:
        return False
    paragraphs = [" ".join(p.css("::text").getall()).strip() for p in response.css("p")]
    long_ones = [p for p in paragraphs if len(p) >= 80]
    if len(long_ones) < 3 or sum(map(len, long_ones)) < 600:
        return False
    visible = " ".join(response.css("body :not(script):not(style)::text").getall())
    return bool(DATE_IN_TEXT.search(visible))


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
