"""What tintuc's downloader middlewares rely on in Scrapy, pinned so an upgrade that changes it
fails here, by name, instead of silently in a crawl.

Unit tier: crawlers from ``scrapy.utils.test.get_crawler``, responses built by hand, no network
(robots.txt comes from a stand-in engine).
"""

from __future__ import annotations

import asyncio
import inspect

import pytest
from scrapy import Spider
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import (
    RetryAfterMiddleware,
    SafeRedirectMiddleware,
    StrictRobotsTxtMiddleware,
)

SITE = "http://example.test"


def crawler_with_spider(settings: dict | None = None, allowed_domains=("example.test",)):
    crawler = get_crawler(Spider, settings)
    crawler.spider = Spider(name="contracts", allowed_domains=list(allowed_domains))
    crawler.spider.crawler = crawler
    return crawler


def redirect(url: str, location: str, status: int = 302) -> Response:
    return Response(url, status=status, headers={"Location": location})


# --- RetryAfterMiddleware: the public get_retry_request() -----------------------------------
def test_get_retry_request_takes_the_keywords_the_retry_middleware_passes():
    params = inspect.signature(get_retry_request).parameters
    assert list(params)[0] == "request"
    for name in ("spider", "reason", "priority_adjust", "give_up_log_level"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert name == "spider" or params[name].default is not inspect.Parameter.empty


def test_retry_middleware_keeps_the_attributes_the_subclass_reads():
    middleware = RetryMiddleware.from_crawler(crawler_with_spider({"RETRY_HTTP_CODES": [503]}))
    assert middleware.retry_http_codes == {503}
    assert middleware.crawler.settings.getint("RETRY_TIMES") == 2


def test_retry_after_retries_a_503_then_gives_up_after_retry_times():
    crawler = crawler_with_spider({"RETRY_TIMES": 1, "RETRY_HTTP_CODES": [503]})
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request(f"{SITE}/a.html", priority=5)
    busy = Response(request.url, status=503, headers={"Retry-After": "0"})

    retry = asyncio.run(middleware.process_response(request, busy))
    assert isinstance(retry, Request) and retry.url == request.url
    assert retry.meta["retry_times"] == 1 and retry.dont_filter
    assert crawler.stats.get_value("retry/count") == 1
    assert crawler.stats.get_value("retry/reason_count/503 Service Unavailable") == 1

    again = Response(retry.url, status=503, headers={"Retry-After": "0"})
    assert asyncio.run(middleware.process_response(retry, again)) is again  # RETRY_TIMES = 1
    assert crawler.stats.get_value("retry/max_reached") == 1


def test_retry_after_honours_the_max_retry_times_meta_key():
    crawler = crawler_with_spider({"RETRY_TIMES": 5, "RETRY_HTTP_CODES": [503]})
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request(f"{SITE}/a.html", meta={"max_retry_times": 0})
    busy = Response(request.url, status=503)
    assert asyncio.run(middleware.process_response(request, busy)) is busy


def test_retry_after_longer_than_the_cap_is_not_retried():
    crawler = crawler_with_spider({"TINTUC_RETRY_AFTER_MAX": 10, "RETRY_HTTP_CODES": [429]})
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request(f"{SITE}/a.html")
    slow = Response(request.url, status=429, headers={"Retry-After": "3600"})
    assert asyncio.run(middleware.process_response(request, slow)) is slow
    assert crawler.stats.get_value("retry/retry_after_too_long") == 1


# --- SafeRedirectMiddleware: the public process_response() ----------------------------------
def test_builtin_redirect_returns_a_request_carrying_the_chain_in_redirect_urls():
    middleware = RedirectMiddleware.from_crawler(crawler_with_spider())
    first = Request(f"{SITE}/a.html")
    hop = middleware.process_response(first, redirect(first.url, "/b.html"))
    assert isinstance(hop, Request) and hop.url == f"{SITE}/b.html"
    assert hop.meta["redirect_urls"] == [first.url]
    last = middleware.process_response(hop, redirect(hop.url, "/c.html", 301))
    assert last.meta["redirect_urls"] == [first.url, hop.url]


def test_safe_redirect_follows_an_ordinary_redirect():
    middleware = SafeRedirectMiddleware.from_crawler(crawler_with_spider())
    request = Request(f"{SITE}/old.html")
    result = middleware.process_response(request, redirect(request.url, "/new.html", 301))
    assert isinstance(result, Request) and result.url == f"{SITE}/new.html"


def test_safe_redirect_records_a_loop():
    crawler = crawler_with_spider()
    middleware = SafeRedirectMiddleware.from_crawler(crawler)
    first = Request(f"{SITE}/a.html")
    hop = middleware.process_response(first, redirect(first.url, "/b.html"))
    with pytest.raises(IgnoreRequest, match=r"redirect loop: .*/a\.html -> .*/b\.html -> .*/a"):
        middleware.process_response(hop, redirect(hop.url, "/a.html"))
    assert crawler.stats.get_value("tintuc/redirect_loop") == 1


def test_safe_redirect_follows_a_redirect_into_a_session():
    """ASP.NET without cookies puts the visitor's session in the path, Java in ``;jsessionid=``:
    the same canonical URL (crawler/urls.py drops session ids), but no loop."""
    middleware = SafeRedirectMiddleware.from_crawler(crawler_with_spider())
    for start, target in (("/", "/(S(x1y2z3))/"), ("/tin.jsp", "/tin.jsp;jsessionid=A1B2")):
        request = Request(SITE + start)
        result = middleware.process_response(request, redirect(request.url, target))
        assert isinstance(result, Request) and result.url == SITE + target


def test_safe_redirect_records_a_redirect_off_the_allowed_domains():
    crawler = crawler_with_spider()
    middleware = SafeRedirectMiddleware.from_crawler(crawler)
    request = Request(f"{SITE}/a.html")
    with pytest.raises(IgnoreRequest, match="off the allowed domains to http://evil.test/x"):
        middleware.process_response(request, redirect(request.url, "http://evil.test/x"))
    assert crawler.stats.get_value("tintuc/redirect_offsite") == 1


# --- StrictRobotsTxtMiddleware: the one private override, _parse_robots() -------------------
class RobotsEngine:
    """Stands in for the engine: answers robots.txt requests, counts them."""

    def __init__(self, status: int, body: bytes):
        self.status, self.body, self.fetched = status, body, []

    async def download_async(self, request: Request) -> Response:
        self.fetched.append(request.url)
        return TextResponse(request.url, status=self.status, body=self.body, request=request)


def robots_middleware(status: int, body: bytes):
    crawler = crawler_with_spider({"ROBOTSTXT_OBEY": True})
    crawler.engine = RobotsEngine(status, body)
    return StrictRobotsTxtMiddleware.from_crawler(crawler), crawler


def test_builtin_parse_robots_keeps_the_signature_the_override_has():
    builtin = inspect.signature(RobotsTxtMiddleware._parse_robots)
    assert list(builtin.parameters) == ["self", "response", "netloc", "request"]
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware._parse_robots)
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware.process_request)


def test_robots_txt_answering_500_refuses_every_request_to_the_host():
    middleware, crawler = robots_middleware(500, b"<h1>Internal Server Error</h1>")
    for path in ("/", "/tin-tuc/a-1.html"):
        with pytest.raises(IgnoreRequest, match=r"robots\.txt answered HTTP 500"):
            asyncio.run(middleware.process_request(Request(f"{SITE}{path}")))
    assert crawler.engine.fetched == [f"{SITE}/robots.txt"]  # fetched once, then remembered
    assert crawler.stats.get_value("robotstxt/server_error") == 1
    assert crawler.stats.get_value("robotstxt/forbidden") == 2


def test_robots_txt_answering_200_is_obeyed_as_scrapy_does():
    middleware, crawler = robots_middleware(200, b"User-agent: *\nDisallow: /private/\n")
    assert asyncio.run(middleware.process_request(Request(f"{SITE}/a.html"))) is None
    with pytest.raises(IgnoreRequest, match="Forbidden by robots.txt"):
        asyncio.run(middleware.process_request(Request(f"{SITE}/private/x.html")))
    assert not crawler.stats.get_value("robotstxt/server_error")


def test_robots_txt_request_itself_is_never_refused():
    middleware, _ = robots_middleware(500, b"")
    with pytest.raises(IgnoreRequest):
        asyncio.run(middleware.process_request(Request(f"{SITE}/a.html")))
    robots = Request(f"{SITE}/robots.txt", meta={"dont_obey_robotstxt": True})
    assert asyncio.run(middleware.process_request(robots)) is None  # asked again: not refused


class FailingRobotsEngine:
    def __init__(self, error: Exception):
        self.error = error

    async def download_async(self, request: Request) -> Response:
        raise self.error


@pytest.mark.parametrize(
    ("error", "traceback"),
    [(DownloadConnectionRefusedError("Connection was refused by other side: 111"), False),
     (ValueError("a bug while reading robots.txt"), True)],
)  # fmt: skip
def test_a_robots_txt_the_network_refused_is_logged_in_one_line(caplog, error, traceback):
    """Scrapy logs it with a traceback (two on the screen of a user whose site is down); the
    message already names the error. Any other error keeps its traceback."""
    crawler = crawler_with_spider({"ROBOTSTXT_OBEY": True})
    crawler.engine = FailingRobotsEngine(error)
    middleware = StrictRobotsTxtMiddleware.from_crawler(crawler)
    with caplog.at_level("ERROR", logger=RobotsTxtMiddleware.__module__):
        asyncio.run(middleware.process_request(Request(f"{SITE}/a.html")))
    (record,) = [r for r in caplog.records if r.name == RobotsTxtMiddleware.__module__]
    assert str(error) in record.getMessage()
    assert bool(record.exc_info) is traceback


def test_html_response_from_the_spider_side_is_untouched_by_redirects():
    """A 200 passes the redirect middleware as the same object (nothing rebuilt)."""
    middleware = SafeRedirectMiddleware.from_crawler(crawler_with_spider())
    request = Request(f"{SITE}/a.html")
    page = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert middleware.process_response(request, page) is page


# --- SpiderErrorMiddleware: Scrapy's process_spider_exception() ------------------------------
def test_a_spider_callbacks_error_becomes_the_pages_crawl_error():
    """Scrapy hands an exception raised while iterating a callback's output to the spider
    middlewares and passes on what one returns: the page gets a FetchError (a crawl_errors
    row), and what the callback yielded before the error is kept."""
    from scrapy.core.spidermw import SpiderMiddlewareManager

    from crawler import settings as project
    from crawler.items import FetchError

    crawler = crawler_with_spider({"SPIDER_MIDDLEWARES": project.SPIDER_MIDDLEWARES,
                                   "SPIDER_MIDDLEWARES_BASE": {}})  # fmt: skip
    manager = SpiderMiddlewareManager.from_crawler(crawler)
    request = Request(f"{SITE}/tin/a.html")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)

    async def callback(response, request):
        def parse():
            yield Request(f"{SITE}/tin/b.html")
            raise ValueError("a pager the reader chokes on")

        return parse()

    async def scrape():
        chain = await manager.scrape_response_async(callback, response, request)
        return [item async for item in chain]

    out = asyncio.run(scrape())
    assert [type(o) for o in out] == [Request, FetchError]
    assert out[1].url == request.url and out[1].status == 200
    assert out[1].error == "spider error: ValueError: a pager the reader chokes on"
    assert crawler.stats.get_value("tintuc/spider_errors") == 1
