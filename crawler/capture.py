"""Downloader middleware that keeps every fetch: a WARC record and a ``captures`` row.

It sits close to the downloader (before redirects, decompression and retries are handled), so
it sees every response as received, 3xx, 4xx, 5xx and retried ones included, and every
failure (timeouts, resets: a ``captures`` row with the error, no WARC record).
``TINTUC_WARC_DIR`` (default: ``warc/`` beside the database) holds one ``.warc.gz`` per crawl.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import NotConfigured

from crawler.items import CAPTURE_META
from pipelines.archive.warc import WarcFile
from pipelines.clock import now_iso
from pipelines.store_pipeline import STORAGE_ERRORS, abort_crawl


def warc_dir_for(db_path: str, configured: str | None = None) -> Path:
    """The WARC folder of an archive: the setting, or ``warc/`` beside the database."""
    return Path(configured) if configured else Path(db_path).resolve().parent / "warc"


class CaptureMiddleware:
    def __init__(self, crawler, warc_dir: Path, db_dir: Path, gzip_level: int = 1):
        self.crawler = crawler
        self.gzip_level = gzip_level
        self.warc_dir = warc_dir
        self.db_dir = db_dir
        self.warc: WarcFile | None = None
        self.warc_name = ""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("TINTUC_CAPTURE", True):
            raise NotConfigured("TINTUC_CAPTURE is off: no WARC captures")
        db_path = settings.get("TINTUC_DB")
        warc_dir = warc_dir_for(db_path, settings.get("TINTUC_WARC_DIR"))
        level = settings.getint("TINTUC_WARC_GZIP_LEVEL", 1)
        if not 1 <= level <= 9:
            raise NotConfigured("TINTUC_WARC_GZIP_LEVEL must be 1 (fastest) to 9 (smallest)")
        middleware = cls(crawler, warc_dir, Path(db_path).resolve().parent, level)
        from scrapy import signals

        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    @property
    def db(self):
        return getattr(self.crawler.spider, "archive_db", None)

    def open_warc(self) -> WarcFile:
        spider = self.crawler.spider
        stamp = now_iso().replace(":", "").replace("+0000", "Z")
        name = f"{spider.profile.id}-{spider.crawl_id:06d}-{stamp}.warc.gz"
        self.warc = WarcFile(self.warc_dir / name, self.gzip_level)
        try:
            self.warc_name = str(self.warc.path.relative_to(self.db_dir))
        except ValueError:
            self.warc_name = str(self.warc.path)
        return self.warc

    def process_response(self, request, response):
        if self.db is None or self.crawler.stats.get_value("tintuc/fatal"):
            return response
        try:
            self.capture(request, response)
        except STORAGE_ERRORS as exc:
            abort_crawl(self.crawler, f"cannot write WARC captures to {self.warc_dir}: {exc}")
        return response

    def capture(self, request, response) -> None:
        warc = self.warc or self.open_warc()
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, vs in response.headers.items() for v in vs]  # fmt: skip
        req_headers = [(k.decode("latin-1"), v.decode("latin-1"))
                       for k, vs in request.headers.items() for v in vs]  # fmt: skip
        stored = warc.write_exchange(
            response.url, request.method, req_headers, response.status, "", headers, response.body
        )
        row = {
            "crawl_id": self.crawler.spider.crawl_id,
            "url": request.meta.get("redirect_urls", [request.url])[0],
            "final_url": response.url,
            "status": response.status,
            "time": now_iso(),
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
            "size": len(response.body),
            "sha1": stored.sha1,
            "warc_file": self.warc_name,
            "warc_offset": stored.offset,
            "warc_length": stored.length,
        }
        # plain SQL (sqlite-utils' insert() inspects the table first, on every response),
        # committed at once like the WARC record it points to
        with self.db.conn:
            capture_id = self.db.conn.execute(
                f"INSERT INTO captures ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            ).lastrowid
        request.meta[CAPTURE_META] = capture_id
        self.crawler.stats.inc_value("tintuc/captures")

    def process_exception(self, request, exception):
        if self.db is not None and not self.crawler.stats.get_value("tintuc/fatal"):
            self.db["captures"].insert(
                {
                    "crawl_id": self.crawler.spider.crawl_id,
                    "url": request.url,
                    "time": now_iso(),
                    "error": f"{type(exception).__name__}: {exception}"[:500],
                }
            )
        return None

    def close(self, spider, reason):
        if self.warc is not None:
            try:
                self.warc.close()
            except OSError as exc:
                self.crawler.stats.set_value("tintuc/warc_close_error", str(exc))
            self.warc = None
