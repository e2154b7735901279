"""Downloader middleware that keeps every fetch: a WARC record and a ``captures`` row.

It sits close to the downloader (before redirects, decompression and retries are handled), so
it sees every response as received, 3xx, 4xx, 5xx and retried ones included, and every
failure (timeouts, resets: a ``captures`` row with the error, no WARC record).
``TINTUC_WARC_DIR`` (default: ``warc/`` beside the database) holds one ``.warc.gz`` per crawl.
The ``captures`` rows go through this middleware's own connection to the archive (WAL: the
storage pipeline's connection writes beside it), under the crawl id of the crawl's
:class:`~crawler.state.CrawlState`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from scrapy import signals
from scrapy.exceptions import NotConfigured
from w3lib.url import safe_url_string

from crawler.checks import setting, warc_dir
from crawler.items import CAPTURE_META
from crawler.state import CrawlState
from pipelines.archive.schema import open_archive
from pipelines.archive.warc import WarcFile
from pipelines.clock import now_iso
from pipelines.store_pipeline import STORAGE_ERRORS, abort_crawl


class CaptureMiddleware:
    """Optional (``TINTUC_CAPTURE=False`` turns it off); when on, a bad setting raises
    :class:`~crawler.checks.SettingError` and the crawl does not start."""

    def __init__(self, crawler, warc_dir: Path, db_path: str, gzip_level: int = 1):
        self.crawler = crawler
        self.state = CrawlState.of(crawler)
        self.gzip_level = gzip_level
        self.warc_dir = warc_dir
        self.db_path = db_path
        self.db_dir = Path(db_path).resolve().parent
        self.db = None  # this middleware's own connection, opened at the first capture
        self.warc: WarcFile | None = None
        self.warc_name = ""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not setting(settings, "TINTUC_CAPTURE"):
            raise NotConfigured("TINTUC_CAPTURE is off: no WARC captures")
        middleware = cls(
            crawler,
            warc_dir(settings),
            setting(settings, "TINTUC_DB"),
            setting(settings, "TINTUC_WARC_GZIP_LEVEL"),
        )
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def capturing(self) -> bool:
        """True once the crawl has its id (the storage pipeline opened) and while the archive
        can be written."""
        return self.state.crawl_id is not None and not self.crawler.stats.get_value("tintuc/fatal")

    def open_warc(self) -> WarcFile:
        stamp = now_iso().replace(":", "").replace("+0000", "Z")
        profile = self.crawler.spider.profile.id
        return self.start_warc(f"{profile}-{self.state.crawl_id:06d}-{stamp}")

    def start_warc(self, name: str) -> WarcFile:
        """Open ``<name>.warc.gz`` in the WARC folder; its name as the captures rows give it."""
        self.warc = WarcFile(self.warc_dir / f"{name}.warc.gz", self.gzip_level)
        try:
            self.warc_name = str(self.warc.path.relative_to(self.db_dir))
        except ValueError:
            self.warc_name = str(self.warc.path)
        return self.warc

    def write_record(self, request, response) -> dict:
        """Write the exchange to the crawl's WARC file; return its ``captures`` row (without
        the crawl id)."""
        warc = self.warc or self.open_warc()
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, vs in response.headers.items() for v in vs]  # fmt: skip
        req_headers = [(k.decode("latin-1"), v.decode("latin-1"))
                       for k, vs in request.headers.items() for v in vs]  # fmt: skip
        stored = warc.write_exchange(
            response.url, request.method, req_headers, response.status, "", headers, response.body
        )
        final_url = response.url
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:  # where the redirect sends the visitor
            try:
                # as the redirect middleware reads it: raw UTF-8 ("/bài-viết/…") percent-encoded,
                # not decoded as Latin-1 into "/bÃ i-viáº¿t/…"
                final_url = urljoin(response.url, safe_url_string(location.strip()))
            except ValueError:
                pass
        return {
            "url": request.meta.get("redirect_urls", [request.url])[0],
            "final_url": final_url,
            "status": response.status,
            "time": now_iso(),
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
            "size": len(response.body),
            "sha1": stored.sha1,
            "warc_file": self.warc_name,
            "warc_offset": stored.offset,
            "warc_length": stored.length,
        }

    def process_response(self, request, response):
        if not self.capturing():
            return response
        try:
            self.capture(request, response)
        except STORAGE_ERRORS as exc:
            abort_crawl(self.crawler, f"cannot write WARC captures to {self.warc_dir}: {exc}")
        return response

    def archive(self):
        if self.db is None:
            self.db = open_archive(self.db_path)
        return self.db

    def capture(self, request, response) -> None:
        db = self.archive()
        row = {"crawl_id": self.state.crawl_id, **self.write_record(request, response)}
        # plain SQL (sqlite-utils' insert() inspects the table first, on every response),
        # committed at once like the WARC record it points to
        with db.conn:
            capture_id = db.conn.execute(
                f"INSERT INTO captures ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            ).lastrowid
        request.meta[CAPTURE_META] = capture_id
        self.crawler.stats.inc_value("tintuc/captures")

    def process_exception(self, request, exception):
        if not self.capturing():
            return None
        row = {
            "crawl_id": self.state.crawl_id,
            "url": request.url,
            "time": now_iso(),
            "error": f"{type(exception).__name__}: {exception}"[:500],
        }
        try:
            self.archive()["captures"].insert(row)
        except STORAGE_ERRORS as exc:
            abort_crawl(self.crawler, f"cannot write captures to {self.db_path}: {exc}")
        return None

    def close(self, spider, reason):
        if self.warc is not None:
            try:
                self.warc.close()
            except OSError as exc:
                self.crawler.stats.set_value("tintuc/warc_close_error", str(exc))
            self.warc = None
        if self.db is not None:
            self.db.close()
            self.db = None
