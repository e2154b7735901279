"""The worker's side of a distributed crawl (``tintuc worker``): results go to a Redis stream.

A worker never opens ``archive.db``: the one ingester (``tintuc ingest``) writes it. Settings
swap these components in for their SQLite counterparts (``tintuc/distributed.py``):

- :class:`StreamCaptureMiddleware` replaces ``crawler.capture.CaptureMiddleware``: the WARC
  record is written locally (files named by worker), the ``captures`` row goes to the stream;
- :class:`StreamPipeline` replaces ``pipelines.store_pipeline.StoragePipeline``: articles
  (with their near-duplicate signature, computed here rather than by the one writer), errors,
  page decisions, removals go to the stream, one message each;
- :class:`FrontierIdle` keeps the spider open while the shared frontier may still get work.

Their Redis clients (:func:`redis_params`) retry every command with backoff while Redis is
unreachable, saying so in one log line: a result is never dropped, the crawl waits.

A capture has no SQLite id in a worker; it is named by a *capture key* (its WARC file and
offset, or the worker and a counter for a failed fetch), carried in ``request.meta`` where the
id would be; the ingester maps keys to ``captures`` ids, and a redelivered capture to the row
it already wrote.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from dataclasses import asdict

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler.capture import CaptureMiddleware
from crawler.checks import setting
from crawler.items import CAPTURE_META, Article, FetchError, PageAlias, PageDecision, PageGone
from crawler.redis_frontier import FrontierLeases
from crawler.state import CrawlState
from pipelines.archive.clusters import signature
from pipelines.archive.warc import WarcFile
from pipelines.clock import now_iso
from pipelines.store_pipeline import article_dict

logger = logging.getLogger(__name__)

STREAM = "tintuc:results"  # every result of every worker, read by the ingester's group
STREAM_MAXLEN = 1_000_000  # approximate cap: a stalled ingester must not fill Redis' memory


def stored_key(site: str) -> str:
    """The Redis set of a site's stored article URLs that workers skip (kept by the ingester)."""
    return f"tintuc:stored:{site}"


def send(conn: redis.Redis, message: dict) -> None:
    """One result on the stream. Retries with backoff while Redis is unreachable: a worker
    never drops a result (the crawl waits instead)."""
    fields = {"m": json.dumps(message, ensure_ascii=False, default=str)}
    delay = 0.5
    while True:
        try:
            conn.xadd(STREAM, fields, maxlen=STREAM_MAXLEN, approximate=True)
            return
        except redis.ConnectionError as exc:
            logger.error("Redis unreachable (%s); retrying in %.0f s", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 30)


class LoggedBackoff(ExponentialBackoff):
    """redis-py's exponential backoff, saying in one line that Redis is unreachable."""

    def compute(self, failures: int) -> float:
        delay = super().compute(failures)
        if failures == 1 or failures % 10 == 0:
            logger.error("Redis unreachable or full (maxmemory); retrying in %.1f s (attempt %d), "
                         "no result is dropped", delay, failures)  # fmt: skip
        return delay


def redis_params() -> dict:
    """Client parameters for the workers and the ingester: while Redis is unreachable (a
    restart, a network cut) or full (its ``maxmemory`` reached, under ``noeviction``: the
    ingester frees it as it reads) every command retries with backoff, for ever; the crawl
    waits."""
    return {
        "socket_timeout": 30, "socket_connect_timeout": 5, "health_check_interval": 10,
        "retry": Retry(LoggedBackoff(cap=10, base=0.25), retries=-1),
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError, redis.OutOfMemoryError],
    }  # fmt: skip


def retrying_conn(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, **redis_params())


def worker_conn(settings) -> redis.Redis:
    return retrying_conn(settings.get("REDIS_URL"))


class StreamCaptureMiddleware(CaptureMiddleware):
    """Every response to the worker's own WARC file, its ``captures`` row to the stream."""

    def __init__(self, crawler, *args, **kwargs):
        super().__init__(crawler, *args, **kwargs)
        self.conn = worker_conn(crawler.settings)
        self.worker = crawler.settings.get("TINTUC_WORKER_NAME")
        self.failures = 0

    def open_warc(self) -> WarcFile:
        stamp = now_iso().replace(":", "").replace("+0000", "Z")
        profile = self.crawler.spider.profile.id
        return self.start_warc(f"{self.worker}-{profile}-{self.state.crawl_id}-{stamp}")

    def capture(self, request, response) -> None:
        row = self.write_record(request, response)
        key = f"{self.warc_name}#{row['warc_offset']}"
        send(self.conn, {"type": "capture", "crawl": self.state.crawl_id, "key": key, "row": row})
        request.meta[CAPTURE_META] = key
        self.crawler.stats.inc_value("tintuc/captures")

    def process_exception(self, request, exception):
        if not self.capturing():
            return None
        self.failures += 1
        row = {
            "url": request.url,
            "time": now_iso(),
            "error": f"{type(exception).__name__}: {exception}"[:500],
        }
        key = f"{self.worker}:{self.state.crawl_id}:failed:{self.failures}"
        send(self.conn, {"type": "capture", "crawl": self.state.crawl_id, "key": key, "row": row})
        return None

    def close(self, spider, reason):
        super().close(spider, reason)
        self.conn.close()


class StreamPipeline:
    """Fills the crawl's state from Redis (the crawl's token, the stored URLs to skip), then
    sends every item to the stream."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = CrawlState.of(crawler)
        self.conn = worker_conn(crawler.settings)
        self.crawl = crawler.settings.get("TINTUC_CRAWL_TOKEN")
        self.worker = crawler.settings.get("TINTUC_WORKER_NAME")
        self.incremental = setting(crawler.settings, "TINTUC_INCREMENTAL")

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.on_response, signal=signals.response_received)
        crawler.signals.connect(pipeline.on_spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        profile = self.crawler.spider.profile
        if self.incremental:
            members = self.conn.smembers(stored_key(profile.id))
            self.state.skip_urls = {m.decode() for m in members}
        self.state.crawl_id = self.crawl
        self.stats.set_value("tintuc/crawl_id", self.crawl)

    def on_response(self, response, request, spider):
        self.stats.inc_value("tintuc/pages")

    def process_item(self, item):
        message = {"crawl": self.crawl, "worker": self.worker}
        if isinstance(item, Article):
            self.stats.inc_value("tintuc/pages_article")
            article = article_dict(item)
            # the near-duplicate signature, a pure function of the text, is computed here on
            # the workers: it is half the CPU the one writer would spend per article
            sig = signature(article.get("text"))
            if sig is not None:
                article["minhash"] = base64.b64encode(sig.tobytes()).decode("ascii")
            message |= {"type": "article", "article": article}
        elif isinstance(item, FetchError):
            self.stats.inc_value("tintuc/errors")
            message |= {"type": "error", **asdict(item)}
        elif isinstance(item, PageDecision):
            self.stats.inc_value(f"tintuc/pages_{item.kind}")
            message |= {"type": "decision", **asdict(item)}
        elif isinstance(item, PageGone):
            message |= {"type": "gone", **asdict(item)}
        elif isinstance(item, PageAlias):
            message |= {"type": "alias", **asdict(item)}
        else:
            return item
        send(self.conn, message)
        return item

    def on_spider_closed(self, spider, reason):
        send(self.conn, {
            "type": "worker_done", "crawl": self.crawl, "worker": self.worker, "reason": reason,
            "pages": self.stats.get_value("tintuc/pages", 0),
            "skipped": self.stats.get_value("tintuc/skipped_known", 0),
        })  # fmt: skip
        self.conn.close()


class FrontierIdle:
    """Keeps an idle spider open while the shared frontier may still get work (another worker's
    pages link to more, or a dead worker's leases run out and hand its requests back): it
    closes once the crawl's frontier has been empty, with no request leased by any worker,
    for the worker's ``--until-idle`` seconds (``TINTUC_UNTIL_IDLE``) or, without it,
    ``TINTUC_CRAWL_IDLE``. The worker then tells the ingester it left the crawl, which ends
    it; a long-running worker goes on waiting for the next crawl. Scrapy calls
    ``spider_idle`` every few seconds while idle, and the scrapy-redis scheduler pops new
    requests in between."""

    def __init__(self, crawler, until_idle: float):
        self.until_idle = until_idle
        self.crawler = crawler
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        until_idle = crawler.settings.getfloat("TINTUC_UNTIL_IDLE", 0)
        extension = cls(crawler, until_idle or setting(crawler.settings, "TINTUC_CRAWL_IDLE"))
        crawler.signals.connect(extension.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.on_busy, signal=signals.response_received)
        return extension

    def on_busy(self, response, request, spider):
        self.idle_since = None

    def on_idle(self, spider):
        now = time.monotonic()
        if self.idle_since is None or FrontierLeases.of(self.crawler).in_flight():
            self.idle_since = now  # another worker may still add links, or die and hand back
        if now - self.idle_since < self.until_idle:
            raise DontCloseSpider
