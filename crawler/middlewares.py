"""Downloader middlewares for the hostile web (issue #5).

They are enabled in ``crawler/settings.py`` (``DOWNLOADER_MIDDLEWARES``), each in place of
the Scrapy built-in it extends.

Each one turns a silent or misleading outcome into an ``IgnoreRequest`` with a clear message,
which reaches the spider's errback and becomes a ``crawl_errors`` row.

* :class:`RetryAfterMiddleware` waits as long as a 429/503 ``Retry-After`` asks (seconds or an
  HTTP date, capped by ``TINTUC_RETRY_AFTER_MAX``) before retrying, without blocking the
  crawl; answers asking for longer are not retried and are recorded as their status.
* :class:`HtmlOnlyMiddleware` refuses PDFs, images and other binaries served where a page was
  expected: by Content-Type as soon as the headers arrive (the body is never downloaded), and
  by magic bytes when a server labels a binary ``text/html``. Scrapy would otherwise make an
  ``HtmlResponse`` of a PDF whose URL ends in ``.html`` (it guesses from the URL).
* :class:`SafeRedirectMiddleware` records redirect loops, redirects off the allowed domains
  and redirects to a page the crawl has already asked for (Scrapy drops them silently: the
  dupe filter eats the loop and the known page, the offsite filter the other host).
* :class:`StrictRobotsTxtMiddleware`: a robots.txt answering 5xx means "disallow everything"
  (RFC 9309, 2.3.1.3), not "allow everything" as Scrapy reads the error page; one answering
  an HTML page (a login page, a "not found" page at 200) holds no rules and is recorded
  (:class:`RobotsNoteMiddleware`).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urldefrag, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    StopDownload,
)
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware
from scrapy.utils.response import response_status_message
from service_identity import CertificateError, VerificationError
from service_identity.cryptography import (
    verify_certificate_hostname,
    verify_certificate_ip_address,
)

from crawler.checks import setting
from crawler.items import CAPTURE_META, FetchError
from crawler.sites import host_allowed
from crawler.urls import ASPNET_SESSION_SEGMENT, canonical_url, site_host
from pipelines.text import html_ends_unclosed

logger = logging.getLogger(__name__)


# --- Retry-After ----------------------------------------------------------------------------
def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, honouring ``Retry-After`` on 429 and 503.

    ``TINTUC_RETRY_AFTER_MAX`` (seconds, default 120): a longer wait is not retried (the
    response goes on and is recorded as HTTP 429/503). ``TINTUC_RETRY_BACKOFF`` (seconds,
    default 2, 0 = off): without a Retry-After, wait this long times 2**(retries so far).
    The wait is an ``asyncio.sleep``: other requests go on meanwhile. The retry itself is
    Scrapy's public ``get_retry_request()`` (same meta keys and settings as the built-in).
    Exceptions (timeouts, resets) are retried by the built-in ``process_exception``.
    """

    WAIT_STATUSES = (429, 503)

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = setting(settings, "TINTUC_RETRY_AFTER_MAX")
        self.backoff = setting(settings, "TINTUC_RETRY_BACKOFF")

    def wait_for(self, request: Request, response: Response) -> float:
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None:
            return asked
        if self.backoff > 0:
            return self.backoff * 2 ** request.meta.get("retry_times", 0)
        return 0.0

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = self.wait_for(request, response) if response.status in self.WAIT_STATUSES else 0.0
        stats = self.crawler.stats
        if wait > self.max_wait:
            stats.inc_value("retry/retry_after_too_long")
            logger.warning("Not retrying %s: Retry-After %.0f s is over TINTUC_RETRY_AFTER_MAX"
                           " (%.0f s)", request, wait, self.max_wait)  # fmt: skip
            return response
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            # None = the request's meta, else RETRY_* settings, as the built-in reads them
            priority_adjust=request.meta.get("priority_adjust"),
            give_up_log_level=request.meta.get("give_up_log_level"),
        )
        if retry is None:
            return response
        if wait > 0:
            stats.inc_value("retry/retry_after_waits")
            stats.inc_value("retry/retry_after_seconds", round(wait))
            await asyncio.sleep(wait)
        return retry


# --- non-HTML content -----------------------------------------------------------------------
HTML_TYPES = re.compile(
    r"^(text/[\w.+-]+|application/(xhtml\+xml|xml|[\w.-]+\+xml|json|[\w.-]+\+json))$",
    re.I,
)
MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media (WebP/AVI/WAV)"),
    (b"PK\x03\x04", "ZIP archive (docx/xlsx/zip)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00", "binary data (MP4/ISO media)"),
)


GZIP_TYPES = {"application/gzip", "application/x-gzip"}


def content_type(headers) -> str:
    raw = headers.get("Content-Type") or b""
    raw = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    return raw.split(";", 1)[0].strip().lower()


# markup with fewer NUL bytes than one in this many (a CMS's padded database field) is HTML:
# browsers drop the NULs and show the page, and so does the extractor
STRAY_NULS = 8


def sniff_binary(body: bytes) -> str | None:
    """What binary format ``body`` is, judged by its first bytes (after any white space: a
    server script that prints a blank line before a PDF); None when it may be text."""
    head = body[:1024].lstrip()[:512]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text with a BOM: NUL bytes are expected
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    nuls = head.count(b"\x00")
    if nuls and not (head.startswith(b"<") and nuls * STRAY_NULS < len(head)):
        return "binary data (NUL bytes)"  # (UTF-16 with no BOM: every other byte a NUL)
    return None


# meta of a request fetching a cut-short page again: the cut capture's id (its reason is said
# by the spider, as for the pages a redirect left)
CUT_SHORT_RETRY = "tintuc_cut_short_retry"
CUT_SHORT_HOST_LIMIT = 3


class HtmlOnlyMiddleware:
    """Refuse responses that are not text: early by Content-Type, then by magic bytes.

    Place it below HttpCompressionMiddleware (590) so it sees decompressed bodies, and below
    the redirect middleware (600) so 3xx responses are followed first. robots.txt and any
    request with ``meta["allow_binary"]`` are let through.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.cut_twice: dict[str, int] = {}  # host -> its pages cut short on both fetches

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        return middleware

    @staticmethod
    def exempt(request: Request, ctype: str) -> bool:
        """robots.txt, a request that asked for a binary, and a feed or sitemap served as
        gzip (a ``/sitemap.xml`` sent as ``application/x-gzip`` was refused unread)."""
        return bool(request.meta.get("allow_binary") or request.meta.get("dont_obey_robotstxt")
                    or (request.meta.get("feed") and ctype in GZIP_TYPES))  # fmt: skip

    def headers_received(self, headers, body_length, request, spider):
        ctype = content_type(headers)
        if ctype and not HTML_TYPES.match(ctype) and not self.exempt(request, ctype):
            raise StopDownload(fail=False)  # keep the headers, skip the body

    def process_response(self, request: Request, response: Response) -> Response:
        ctype = content_type(response.headers)
        if self.exempt(request, ctype) or not 200 <= response.status < 300:
            return response
        if ctype and not HTML_TYPES.match(ctype):
            self.crawler.stats.inc_value("tintuc/not_html")
            raise IgnoreRequest(f"not an HTML page (Content-Type: {ctype})")
        binary = sniff_binary(response.body)
        if binary:
            self.crawler.stats.inc_value("tintuc/not_html")
            raise IgnoreRequest(
                f"not an HTML page: {binary} served as Content-Type: {ctype or 'none'}"
            )
        if html_ends_unclosed(response.body):
            return self.cut_short(request, response)
        return response

    def cut_short(self, request: Request, response: Response) -> Request | Response:
        """A page that ends before its closing tags (:func:`pipelines.text.html_ends_unclosed`:
        cut short in transfer, which HTTP cannot tell) is fetched once more; cut short again,
        it goes on (its extraction is flagged ``page_cut_short``). A site whose pages come
        cut short every time (never closed: :data:`CUT_SHORT_HOST_LIMIT` pages cut short
        twice) is not asked twice any more."""
        stats = self.crawler.stats
        host = urlsplit(response.url).hostname or ""
        if CUT_SHORT_RETRY in request.meta:
            stats.inc_value("tintuc/cut_short_twice")
            self.cut_twice[host] = self.cut_twice.get(host, 0) + 1
            return response
        if self.cut_twice.get(host, 0) >= CUT_SHORT_HOST_LIMIT:
            return response
        stats.inc_value("tintuc/cut_short_retries")
        logger.info("Fetching %s again: the page ends before </body></html>", response.url)
        retry = request.replace(dont_filter=True)
        retry.meta[CUT_SHORT_RETRY] = request.meta.get(CAPTURE_META)  # the cut capture's row
        return retry
        return response


# --- the site's scope -----------------------------------------------------------------------
class PortAwareOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter with the port in the host (:func:`crawler.sites.host_allowed`):
    Scrapy's compares host names only, so a crawl of ``127.0.0.1:8001`` followed the links of
    its pages to ``127.0.0.1:8002``, another local site, and stored its articles as its own."""

    def should_follow(self, request: Request, spider) -> bool:
        domains = [d for d in getattr(spider, "allowed_domains", None) or [] if d]
        return not domains or host_allowed(site_host(request.url), domains)


# --- redirects ------------------------------------------------------------------------------
class RefusesLoops:
    """What redirects by HTTP status and by refresh share: a loop, a redirect off the allowed
    domains or to a page already asked for is recorded, not dropped (by the dupe filter)."""

    crawler: Any

    def refuse_loop_or_offsite(self, redirected: Request, how: str) -> None:
        """A loop is a URL the chain has already asked for, as spelt (its fragment aside):
        not its canonical form, which drops a visitor's session id. An ASP.NET site without
        cookies sends ``/`` to ``/(S(x1y2))/`` and a Java one ``/a.jsp`` to
        ``/a.jsp;jsessionid=…``: one canonical URL, but the page, served once the visitor has
        a session; compared canonical, every such site was a loop at its home page, and
        nothing of it was crawled. A redirect that never settles is still bounded by
        ``REDIRECT_MAX_TIMES``.

        A redirect followed asks for its target: that URL joins the spider's ``requested``, so
        a second chain ending there (an old URL and its mobile copy, two legacy URLs of one
        article) is refused with its reason. Unnoted, the dupe filter dropped the second chain
        without a word and its 3xx captures kept no reason. In a worker, "asked for" is by
        any worker of the crawl: the shared dupefilter is asked (one Redis call a redirect).

        A refused redirect in a worker ends the lease of the request it came from, once its
        errback has run: an exception raised here reaches no ``process_exception``, and the
        lease held the crawl open for ever (every worker waiting for it)."""
        try:
            self.refuse(redirected, how)
        except IgnoreRequest:
            if self.crawler.settings.get("SCHEDULER_QUEUE_KEY"):
                from crawler.redis_frontier import LEASE_META, FrontierLeases  # in a worker

                FrontierLeases.of(self.crawler).release_later(redirected.meta.get(LEASE_META))
            raise

    def refuse(self, redirected: Request, how: str) -> None:
        """:meth:`refuse_loop_or_offsite`, its lease aside."""
        chain = redirected.meta["redirect_urls"]  # every URL before this one
        if urldefrag(redirected.url)[0] in {urldefrag(u)[0] for u in chain}:
            self.crawler.stats.inc_value("tintuc/redirect_loop")
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
        spider = self.crawler.spider
        domains = [d for d in (getattr(spider, "allowed_domains", None) or []) if d]
        host = site_host(redirected.url)
        if (
            domains
            and not redirected.dont_filter
            and not host_allowed(host, domains)
        ):
            self.crawler.stats.inc_value("tintuc/redirect_offsite")
            raise IgnoreRequest(f"redirected off the allowed domains to {redirected.url}")
        target = canonical_url(redirected.url)
        if (not redirected.dont_filter and target in getattr(spider, "requested", ())
                and target not in {canonical_url(u) for u in chain}):
            # a deleted page sent to the home page or its section, an old URL to its article's
            # new one fetched already: the dupe filter would drop it without a word
            self.crawler.stats.inc_value("tintuc/redirect_to_known")
            raise RedirectedToKnown(target, how)
        requested = getattr(spider, "requested", None)
        if requested is not None and not redirected.dont_filter:
            if self.crawler.settings.get("SCHEDULER_QUEUE_KEY") and not first_to_ask(
                    self.crawler, redirected):  # fmt: skip
                # another worker asked for it: the crawl's requests are in the shared
                # dupefilter, and this worker's ``requested`` holds only its own
                self.crawler.stats.inc_value("tintuc/redirect_to_known")
                raise RedirectedToKnown(target, how)
            requested.add(target)


def first_to_ask(crawler, request: Request) -> bool:
    """In ``tintuc worker``: whether ``request`` is the first of the crawl's workers' for its
    URL (:meth:`crawler.redis_frontier.FrontierLeases.first_to_ask`)."""
    from crawler.redis_frontier import FrontierLeases  # in a worker only

    return FrontierLeases.of(crawler).first_to_ask(request)


class SafeRedirectMiddleware(RefusesLoops, RedirectMiddleware):
    """RedirectMiddleware that records loops and off-domain redirects instead of dropping them.

    Checks the redirect the built-in ``process_response`` returns (public: a new Request whose
    ``redirect_urls`` meta holds the chain so far); tests/test_scrapy_contracts.py pins that.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except ValueError:  # Location: mailto:…, javascript:… — no request can be built
            location = (response.headers.get("Location") or b"").decode("latin-1")
            raise IgnoreRequest(f"redirected to {location!r}, not a web page "
                                f"(HTTP {response.status})") from None  # fmt: skip
        if isinstance(result, Request):
            self.refuse_loop_or_offsite(result, f"HTTP {response.status}")
            remember_left(request, response, result, f"HTTP {response.status}")
        elif result is response and redirect_left_unfollowed(request, response):
            # Scrapy hands back a redirect it cannot follow, and the crawl error said only
            # "HTTP 301": say where it pointed, or that it pointed nowhere
            location = (response.headers.get("Location") or b"").decode("latin-1").strip()
            if not location:
                raise IgnoreRequest(f"HTTP {response.status} without a Location header: "
                                    "a redirect to nowhere")  # fmt: skip
            raise IgnoreRequest(f"redirected to {location!r}, not a web page "
                                f"(HTTP {response.status})")  # fmt: skip
        return result


REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def redirect_left_unfollowed(request: Request, response: Response) -> bool:
    """Whether ``response`` is a redirect RedirectMiddleware returned as it came (an ``ftp:``
    Location, or none), not one the request asked to see itself."""
    handled = (request.meta.get("handle_httpstatus_all")
               or response.status in request.meta.get("handle_httpstatus_list", ()))  # fmt: skip
    return (response.status in REDIRECT_STATUSES and not handled
            and not request.meta.get("dont_redirect"))  # fmt: skip


class RedirectedToKnown(IgnoreRequest):
    """A redirect to a URL the crawl has already asked for (:class:`SafeRedirectMiddleware`)."""

    def __init__(self, target: str, how: str = "HTTP redirect"):
        super().__init__(f"redirected to {target}, a page the crawl has already asked for")
        self.target = target
        self.how = how  # "HTTP 301", "<meta http-equiv=refresh>" …


# the pages a request went through by an HTTP redirect or ``<meta http-equiv=refresh>`` before
# its response: ``[(url, capture id, where it sent the visitor, how)]``, recorded by the spider
REFRESHED_PAGES = "tintuc_refreshed_pages"


def remember_left(request: Request, response: Response, result: Request, how: str) -> None:
    """Note on ``result`` that ``response`` (its capture) only sent the visitor on to it."""
    result.meta[REFRESHED_PAGES] = [*request.meta.get(REFRESHED_PAGES, ()), (
        response.url, request.meta.get(CAPTURE_META), result.url, how)]


class RecordedMetaRefreshMiddleware(RefusesLoops, MetaRefreshMiddleware):
    """MetaRefreshMiddleware that remembers the pages it left: a stub that only sends its
    visitor on (``<meta http-equiv="refresh" content="0;url=/tin/bai-1.html">``, an old URL
    kept so) is captured, and never reaches the spider, so its capture said nothing of why
    it was not stored. Each such page, its capture and its target ride on the request that
    follows the refresh (:data:`REFRESHED_PAGES`). The HTTP header ``Refresh: 0; url=…``,
    which browsers follow as the tag, is followed too; a refresh loop is recorded."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        result, how = super().process_response(request, response), "<meta http-equiv=refresh>"
        header = response.headers.get("Refresh")
        if result is response and header and isinstance(response, HtmlResponse):
            content = html.escape(header.decode("latin-1"))
            as_tag = f'<meta http-equiv="refresh" content="{content}">'
            tagged = response.replace(body=as_tag.encode(), encoding="utf-8")
            result, how = super().process_response(request, tagged), "HTTP Refresh header"
            result = response if result is tagged else result
        if isinstance(result, Request) and result is not request:
            self.refuse_loop_or_offsite(result, how)
            remember_left(request, response, result, how)
        return result


# --- sessions in the URL --------------------------------------------------------------------
ASPNET_SESSION = re.compile(ASPNET_SESSION_SEGMENT, re.I)


# request.meta: the URL as the crawl spelt it, when CookielessSessionMiddleware put a session in
SESSION_ADDED = "tintuc_session_added"


class CookielessSessionMiddleware:
    """An ASP.NET site that keeps its visitors' sessions in the URL (``cookieless`` session
    state, or ``AutoDetect`` with a crawler that sends no cookies) answers every request
    whose path lacks ``/(S(…))/`` with a 302 into a new session. Canonical URLs drop that
    segment (a visitor's session, never a page: crawler/urls.py), so every page of such a
    site cost two requests, and opened one more session on the server.

    The segment a host's last page was served under is put back into the next requests to
    that host, under the application path it came at (``/app/(S(…))/…``), so they go
    straight. A session the server ends is replaced by the one its redirect hands out. A
    page that fails in the session (a folder of the host another server answers, behind the
    same name) is asked for again as it was spelt, and that folder is left as it is from then
    on: nothing is lost to the rule. Only the requests' spelling changes: URLs stored and
    compared stay canonical. A rewritten request goes back to the scheduler, as a
    redirect's does, not to the site."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.sessions: dict[str, tuple[str, str]] = {}  # netloc -> (application path, segment)
        self.outside: set[tuple[str, str]] = set()  # (netloc, folder) failing in the session

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @staticmethod
    def folder(path: str, application: str) -> str:
        """The first segment of ``path`` under ``application`` (``Trang`` of ``/Trang/a.aspx``)."""
        return path[len(application):].lstrip("/").split("/", 1)[0]

    def process_request(self, request: Request) -> Request | None:
        parts = urlsplit(request.url)
        kept = self.sessions.get(parts.netloc)
        if kept is None or SESSION_ADDED in request.meta or ASPNET_SESSION.search(parts.path):
            return None
        application, segment = kept
        if (not parts.path.startswith(application + "/")
                or (parts.netloc, self.folder(parts.path, application)) in self.outside):
            return None
        self.crawler.stats.inc_value("tintuc/url_session_kept")
        path = application + segment + parts.path[len(application):]
        in_session = request.replace(url=parts._replace(path=path).geturl(), dont_filter=True)
        in_session.meta[SESSION_ADDED] = request.url
        return in_session

    def process_response(self, request: Request, response: Response) -> Response | Request:
        spelt = request.meta.get(SESSION_ADDED)
        if spelt and response.status >= 400:
            application, _ = self.sessions.get(urlsplit(spelt).netloc, ("", ""))
            parts = urlsplit(spelt)
            self.outside.add((parts.netloc, self.folder(parts.path, application)))
            self.crawler.stats.inc_value("tintuc/url_session_refused")
            again = request.replace(url=spelt, dont_filter=True)
            again.meta[SESSION_ADDED] = None  # as spelt, once: never put in a session again
            return again
        parts = urlsplit(response.url)
        session = ASPNET_SESSION.search(parts.path) if "(" in parts.path else None
        if session:
            self.sessions[parts.netloc] = (parts.path[: session.start()], session.group(0))
        return response


# --- robots.txt -----------------------------------------------------------------------------
# sent with the robots.txt ``response`` the middleware fetched: the spider reads its Sitemap:
# lines from it instead of fetching the file a second time
robots_fetched = object()


class NetworkErrorsInOneLine(logging.Filter):
    """Scrapy logs a robots.txt it could not fetch with a traceback: two of them on the screen
    of a user whose site is down, before the crawl's summary says so. A network error (the
    site down, a wrong address, a timeout) is one line; any other error keeps its traceback."""

    NETWORK = (CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError,
               DownloadTimeoutError)  # fmt: skip

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.NETWORK):
            record.exc_info = None
        return True


# a line of robots.txt rules (RFC 9309 2.2, and the fields crawlers commonly read beside them)
ROBOTS_RULE = re.compile(rb"^[ \t]*(?:user-agent|allow|disallow|sitemap|crawl-delay|host|"
                         rb"request-rate|visit-time|clean-param)[ \t]*:", re.I | re.M)
ROBOTS_COMMENT_OR_BLANK = re.compile(rb"^[ \t]*(?:#.*)?$", re.M)


def not_a_robots_file(response: Response) -> str | None:
    """What a 2xx robots.txt answer is when it is no robots file, said for the crawl error
    (its status, Content-Type, first bytes and where it was redirected from); None for a
    robots file, an empty one or one of comments only included. Judged by content, not by
    Content-Type (servers send good rules as text/html): markup (a CMS's "not found" page
    answered 200, a login page a redirect led to), or text without a single rule line."""
    if not 200 <= response.status < 300:
        return None  # 4xx: no file (allowed); 5xx: the host is disallowed (above)
    body = response.body.removeprefix(b"\xef\xbb\xbf").strip()
    markup = body[:1] == b"<"
    if not body or (not markup and (ROBOTS_RULE.search(body)
                                    or not ROBOTS_COMMENT_OR_BLANK.sub(b"", body).strip())):
        return None
    first = " ".join(body[:80].decode("utf-8", "replace").split())
    asked = (response.request.meta.get("redirect_urls") or [None])[0] if response.request else None
    where = f", redirected to {response.url}" if asked and asked != response.url else ""
    ctype = content_type(response.headers) or "none"
    what = "an HTML page" if markup else "text with no robots rule"
    return (f"not a robots file: HTTP {response.status}{where}, Content-Type: {ctype}, "
            f"{what} beginning {first!r}")


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """A robots.txt answering 5xx disallows the whole host (RFC 9309, 2.3.1.3).

    Scrapy parses the error page as robots rules, which allows everything. Here every request
    to that host is refused with a message saying why (a ``crawl_errors`` row each).

    Scrapy has no public hook that sees the robots.txt response (the ``robots_parsed`` signal
    gets the parser only), so this overrides one internal, ``_parse_robots``;
    tests/test_scrapy_contracts.py fails if Scrapy stops calling it with the response. It
    sends the response on as :data:`robots_fetched`, so the spider reads the site's
    ``Sitemap:`` lines without fetching robots.txt again.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.server_errors: dict[str, int] = {}
        robots_logger = logging.getLogger(RobotsTxtMiddleware.__module__)
        if not any(isinstance(f, NetworkErrorsInOneLine) for f in robots_logger.filters):
            robots_logger.addFilter(NetworkErrorsInOneLine())

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self.server_errors[netloc] = response.status
            self.crawler.stats.inc_value("robotstxt/server_error")
            logger.warning("%s answered %d: treating the host as disallowed (RFC 9309)",
                           response.url, response.status)  # fmt: skip
        problem = not_a_robots_file(response)
        await self.crawler.signals.send_catch_log_async(signal=robots_fetched, response=response,
                                                        problem=problem)  # fmt: skip
        if problem:
            # what came back holds no rules: parsed as none (Scrapy's reading of an
            # unavailable robots.txt, RFC 9309 2.3.1.3), not as whatever lines of a login or
            # "not found" page look like a Disallow
            self.crawler.stats.inc_value("robotstxt/not_a_robots_file")
            logger.warning("%s is %s: crawling as without one", response.url, problem)
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    async def process_request(self, request: Request) -> None:
        await super().process_request(request)  # fetches and parses the host's robots.txt once
        if request.meta.get("dont_obey_robotstxt"):
            return  # robots.txt itself, or a request told to ignore it
        status = self.server_errors.get(urlsplit(request.url).netloc)
        if status is not None:
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(
                f"robots.txt answered HTTP {status}: the site is treated as disallowed "
                "(RFC 9309) until it answers")  # fmt: skip


class RobotsNoteMiddleware:
    """A robots.txt that is no robots file (:func:`not_a_robots_file`) is a crawl error row
    saying what came back, written with the next page the spider reads: the crawl goes on
    as without robots.txt, but an archivist sees that the site's rules were never read (a
    login page or a "not found" page where they should be), not a silent "no rules". The
    robots middleware, a downloader middleware, can yield no item; it says what it found
    with :data:`robots_fetched`."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.waiting: list[FetchError] = []
        crawler.signals.connect(self.robots_fetched, signal=robots_fetched)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_fetched(self, response: Response, problem: str | None = None) -> None:
        if problem:
            asked = (response.request.meta.get("redirect_urls") or [response.url])[0]
            self.waiting.append(FetchError(asked, f"robots.txt {problem}; crawled as a site "
                                                  "without one", response.status))  # fmt: skip

    def notes(self) -> list[FetchError]:
        notes, self.waiting = self.waiting, []
        return notes

    def process_spider_output(self, response, result, spider=None):
        yield from self.notes()
        yield from result

    async def process_spider_output_async(self, response, result, spider=None):
        for note in self.notes():
            yield note
        async for item in result:
            yield item


# --- the spider's own errors ----------------------------------------------------------------
class SpiderErrorMiddleware:
    """A Python error in a spider callback (a page the link or pager readers choke on) is
    recorded as that page's crawl error, not only logged: a fetched page with no stored
    article always has its reason in the archive. Other spider middlewares' exceptions
    (``HttpError``, refused requests) are theirs to handle."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception, spider=None):
        if isinstance(exception, (HttpError, IgnoreRequest)):
            return None
        self.crawler.stats.inc_value("tintuc/spider_errors")
        logger.error("spider error on %s", response.url,
                     exc_info=(type(exception), exception, exception.__traceback__))  # fmt: skip
        return [FetchError(response.url, f"spider error: {type(exception).__name__}: "
                                         f"{exception}", response.status)]  # fmt: skip


class RecordedUrlLengthMiddleware(UrlLengthMiddleware):
    """UrlLengthMiddleware that records the links it leaves: a URL longer than
    ``URLLENGTH_LIMIT`` is not fetched, as before, but is a crawl error naming the limit, not
    only a line of the INFO log and a count."""

    def get_processed_request(self, request: Request, response: Response | None):
        if super().get_processed_request(request, response) is not None:
            return request
        return FetchError(request.url, f"not fetched: the URL is {len(request.url)} characters "
                                       f"long, over URLLENGTH_LIMIT={self.maxlength}")  # fmt: skip


# --- TLS certificates -----------------------------------------------------------------------
def certificate_problems(cert, host: str, now: datetime | None = None) -> list[str]:
    """What is wrong with the certificate a server presented for ``host`` (a
    ``cryptography`` certificate), read from the certificate alone: expired or not yet valid,
    self-signed, issued for other names. The chain to a trusted root is not judged (a server
    sends only its own certificate to read here)."""
    now = now or datetime.now(UTC)
    problems = []
    if cert.not_valid_after_utc < now:
        problems.append(f"expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    elif cert.not_valid_before_utc > now:
        problems.append(f"not valid before {cert.not_valid_before_utc:%Y-%m-%d}")
    if cert.issuer == cert.subject:
        problems.append("self-signed")
    try:
        if re.fullmatch(r"[\d.]+|[0-9a-fA-F:]+", host):
            verify_certificate_ip_address(cert, host)
        else:
            verify_certificate_hostname(cert, host)
    except (VerificationError, CertificateError, ValueError):
        problems.append(f"not issued for {host}")
    return problems


class CertificateNoteMiddleware:
    """An HTTPS site whose certificate is expired, self-signed or for another name is crawled
    all the same, as Scrapy does (a province's portal with a lapsed certificate still publishes
    the province's news, and the WARC digests, not TLS, make the archive verifiable), but not
    in silence: the first page of each such host gets a crawl error saying what is wrong, so an
    archivist knows those captures came over a connection nobody could authenticate."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.checked: set[str] = set()  # host:port

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def notes(self, response: Response) -> list[FetchError]:
        certificate = getattr(response, "certificate", None)
        parts = urlsplit(response.url)
        if parts.scheme != "https" or certificate is None or parts.netloc in self.checked:
            return []
        self.checked.add(parts.netloc)
        problems = certificate_problems(certificate.original.to_cryptography(),
                                        parts.hostname or "")  # fmt: skip
        if not problems:
            return []
        self.crawler.stats.inc_value("tintuc/tls_certificate_problems")
        return [FetchError(response.url, f"TLS certificate of {parts.netloc} not valid: "
                           f"{', '.join(problems)}; its pages are fetched and kept all the "
                           "same, over a connection that could not be authenticated")]  # fmt: skip

    def process_spider_output(self, response, result, spider=None):
        yield from self.notes(response)
        yield from result

    async def process_spider_output_async(self, response, result, spider=None):
        for note in self.notes(response):
            yield note
        async for item in result:
            yield item
