"""Many machines, one archive: crawl workers on a shared Redis frontier, one ingest writer.

- ``enqueue`` registers a crawl in Redis (``tintuc:crawls``, a token per crawl) and sends a
  ``crawl_start`` message on the result stream: the ingester, the only process that writes
  ``archive.db``, creates the ``crawls`` row. The frontier is seeded by the workers' spiders
  (the site's start URLs, feeds, sitemaps), each seed once: the shared dupefilter drops the
  other workers' copies.
- ``run_worker`` runs tintuc's own spider, one Scrapy crawler per running crawl, with the
  scrapy-redis scheduler and dupefilter (keys per crawl token) and the stream components of
  :mod:`pipelines.stream_pipeline` in place of the SQLite ones. Its requests are leased from
  the frontier, and each site's politeness is kept across workers by slots in Redis
  (:mod:`crawler.redis_frontier`).
- ``Ingester`` reads the stream through a consumer group, writes each batch in one
  transaction with the archive functions, and acknowledges after the commit. Writes are
  idempotent (captures keyed by WARC file + offset, articles by URL, crawls by token), so a
  redelivery after a crash doubles nothing.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import time
import warnings
from typing import Any

import numpy as np
import redis
from scrapy.exceptions import ScrapyDeprecationWarning

from pipelines.archive.schema import open_archive
from pipelines.archive.store import (
    finish_crawl,
    mark_removed,
    record_error,
    record_page_decisions,
    save_articles,
    save_site,
    save_spider_aliases,
    start_crawl,
    urls_to_skip,
    write_transaction,
)
from pipelines.stream_pipeline import STREAM, redis_params, retrying_conn, send, stored_key
from tintuc.plural import plural

logger = logging.getLogger(__name__)

GROUP = "ingest"
CRAWLS = "tintuc:crawls"  # token -> {site, start_url, status}
CRAWL_SEQ = "tintuc:crawl_seq"
PROGRESS_EVERY = 30.0  # seconds between the ingester's progress lines
OWNER = "tintuc:owner"  # marks a Redis database as tintuc's
# ``ingest --until-idle``: how long a running crawl may wait for its first worker before the
# ingester gives up on it (an error, not a silent exit before the crawl has begun)
WORKER_TIMEOUT = 600.0
# recorded on every running crawl when the ingester finds Redis emptied under it
REDIS_LOST = ("Redis lost its data (restarted without persistence, or flushed): this crawl's "
              "queue and the results not yet ingested are gone; enqueue the site again")


class DistributedError(RuntimeError):
    """Redis cannot be used (unreachable, not tintuc's): the message is for the user."""


def connect(url: str, retrying: bool = False) -> redis.Redis:
    """A checked connection: one-line :class:`DistributedError` when Redis is unreachable or
    its database holds keys that tintuc did not write. Once checked, a ``retrying``
    connection waits out later outages (:func:`redis_params`)."""
    try:
        conn = redis.Redis.from_url(url, socket_connect_timeout=5)
        conn.ping()
        # one script: two processes started at once (a worker and the ingester at boot) must
        # not see each other's owner mark as a key "not written by tintuc"
        foreign = conn.eval("if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end "
                            "local n = redis.call('DBSIZE') if n == 0 then "
                            "redis.call('SET', KEYS[1], 'tintuc') end return n", 1, OWNER)
        if foreign:
            other = int(conn.connection_pool.connection_kwargs.get("db") or 0) + 1
            raise DistributedError(
                f"Redis at {url} holds {plural(foreign, 'key')} not written by "
                f"tintuc; use an empty database (e.g. redis://host:6379/{other})"
            )
    except ValueError as exc:
        raise DistributedError(f"bad Redis URL {url!r}: {exc}") from None
    except redis.RedisError as exc:
        raise DistributedError(f"cannot reach Redis at {url}: {exc}") from None
    if retrying:
        conn.close()
        return retrying_conn(url)
    return conn


def queue_keys(token: int | str) -> dict[str, str]:
    return {
        "SCHEDULER_QUEUE_KEY": f"tintuc:crawl:{token}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"tintuc:crawl:{token}:dupefilter",
    }


# --- enqueue -------------------------------------------------------------------------------
def enqueue(conn: redis.Redis, profile, site: str | None, start_url: str | None,
            trigger: str = "manual") -> int:  # fmt: skip
    """Register a crawl of ``profile`` (``site`` from the registry, or ``start_url`` alone, or
    both: the site at another address); return its token. The message carries the profile so
    that the ingester records the site without the workers' ``--sites`` file."""
    token = conn.incr(CRAWL_SEQ)
    crawl = {"site": site, "start_url": start_url, "status": "running", "trigger": trigger}
    conn.hset(CRAWLS, str(token), json.dumps(crawl))
    site_row = {"id": profile.id, "name": profile.name, "province": profile.province,
                "kind": profile.kind, "base_url": profile.base_url,
                "checked_live": profile.checked_live, "profile": profile.to_dict()}  # fmt: skip
    send(conn, {"type": "crawl_start", "crawl": token, **crawl, "site_row": site_row})
    return token


class SentProfile:
    """A site profile as ``crawl_start`` carries it, in the shape :func:`save_site` reads."""

    def __init__(self, row: dict):
        self.__dict__.update(row)

    def to_dict(self) -> dict:
        return self.profile


def running_crawls(conn: redis.Redis) -> dict[int, dict]:
    return {int(k): json.loads(v) for k, v in conn.hgetall(CRAWLS).items()
            if json.loads(v)["status"] == "running"}  # fmt: skip


# --- worker --------------------------------------------------------------------------------
def worker_settings(redis_url: str, name: str, until_idle: float, sites_file: str | None,
                    overrides: dict[str, str] | None = None):  # fmt: skip
    """The Scrapy settings of a worker: a crawl's, with the shared frontier and the stream."""
    from tintuc.crawl import crawl_settings

    # TINTUC_DB is nominal: a worker never opens it; WARC files go to warc/ beside it
    settings = crawl_settings(os.path.abspath("archive.db"), None, overrides, sites_file)
    settings.set("SCHEDULER", "crawler.redis_frontier.LeasedScheduler", "cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "cmdline")
    settings.set("SCHEDULER_PERSIST", True, "cmdline")  # the frontier outlives any worker
    settings.set("REDIS_URL", redis_url, "cmdline")
    settings.set("REDIS_PARAMS", redis_params(), "cmdline")
    # the site's delay is kept across workers by the slots in Redis (SiteSlots): a random
    # local delay on top could send one worker's request just before another's
    settings.set("DOWNLOAD_DELAY_JITTER", 0, "cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares |= {"crawler.capture.CaptureMiddleware": None,
                    "pipelines.stream_pipeline.StreamCaptureMiddleware": 800,
                    "crawler.redis_frontier.SiteSlots": 960,
                    "crawler.redis_frontier.LeaseRelease": 1}  # fmt: skip
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, "cmdline")
    spider_middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_middlewares["crawler.redis_frontier.LeaseRelease"] = 1
    settings.set("SPIDER_MIDDLEWARES", spider_middlewares, "cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines |= {"pipelines.store_pipeline.StoragePipeline": None,
                  "pipelines.stream_pipeline.StreamPipeline": 800}  # fmt: skip
    settings.set("ITEM_PIPELINES", pipelines, "cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.redis_frontier.FrontierLeases"] = 110
    extensions["pipelines.stream_pipeline.FrontierIdle"] = 500
    extensions["crawler.progress.Progress"] = None
    settings.set("EXTENSIONS", extensions, "cmdline")
    settings.set("TINTUC_WORKER_NAME", name, "cmdline")
    settings.set("TINTUC_UNTIL_IDLE", until_idle, "cmdline")
    return settings


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def run_worker(redis_url: str, name: str, until_idle: float, sites_file: str | None,
               overrides: dict[str, str] | None = None, poll: float = 1.0) -> int:  # fmt: skip
    """Join every running crawl, and those enqueued later; return how many crawls it served.

    With ``until_idle``, exit once this worker has had nothing to do that long."""
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.utils.reactor import install_reactor
    from twisted.internet import task

    from crawler.spiders.news import NewsSpider

    conn = connect(redis_url, retrying=True)
    # scrapy-redis 0.9 still passes ``spider`` to the stats collector, which Scrapy 2.13+
    # warns about: a line in every worker's log that says nothing about the crawl
    warnings.filterwarnings("ignore", message="Passing a 'spider' argument",
                            category=ScrapyDeprecationWarning, module=r"scrapy_redis\.")
    settings = worker_settings(redis_url, name, until_idle, sites_file, overrides)
    install_reactor(settings["TWISTED_REACTOR"])  # before the reactor is first imported
    process = CrawlerProcess(settings)
    from twisted.internet import reactor

    joined: set[int] = set()
    active: set[int] = set()
    idle_since = [time.monotonic()]
    reported_lost: set[int] = set()

    def poll_crawls():
        try:
            crawls = running_crawls(conn)
            known = {int(token) for token in conn.hkeys(CRAWLS)}
        except redis.RedisError as exc:
            logger.error("Redis unreachable (%s); retrying", exc)
            return
        lost = (active - known) - reported_lost
        if lost:  # a crawl's entry is never deleted: Redis came back without its data
            reported_lost.update(lost)
            logger.error("Redis lost its data (restarted without persistence, or flushed): the "
                         "queue of crawl %s is gone; this worker finishes the pages it holds, "
                         "the ingester marks the crawl interrupted",
                         ", ".join(map(str, sorted(lost))))  # fmt: skip
        for token, crawl in crawls.items():
            if token in joined:
                continue
            joined.add(token)
            active.add(token)
            crawl_settings = settings.copy()
            for key, value in {**queue_keys(token), "TINTUC_CRAWL_TOKEN": token}.items():
                crawl_settings.set(key, value, "cmdline")
            crawler = Crawler(NewsSpider, crawl_settings)
            done = process.crawl(crawler, site=crawl["site"], start_url=crawl["start_url"])
            done.addErrback(
                lambda failure, t=token: logger.error(
                    "crawl %s stopped on an error: %s", t, failure.getTraceback()
                )
            )
            done.addBoth(lambda _, t=token: active.discard(t))
        if active:
            idle_since[0] = time.monotonic()
        elif until_idle and time.monotonic() - idle_since[0] >= until_idle:
            loop.stop()
            reactor.stop()

    loop = task.LoopingCall(poll_crawls)
    loop.start(poll)
    process.start(stop_after_crawl=False, install_signal_handlers=True)
    return len(joined)


# --- ingest --------------------------------------------------------------------------------
class Ingester:
    """The one writer of ``archive.db``: stream entries in, batched transactions out."""

    def __init__(self, conn: redis.Redis, db_path: str, consumer: str = "ingest-1",
                 batch: int = 500, revisit_days: float = 3.0,
                 revisit_after_hours: float = 1.0, report=None):  # fmt: skip
        self.conn = conn
        # ``report(line)``: crawls started and finished, and progress every PROGRESS_EVERY s
        self.report = report or (lambda line: None)
        self.reported_at = time.monotonic()
        self.db = open_archive(db_path)
        self.consumer = consumer
        self.batch = batch
        self.revisit = (revisit_days, revisit_after_hours)
        self.crawl_ids: dict[int, int] = {}  # token -> crawls.id
        self.capture_ids: dict[str, int] = {}  # capture key -> captures.id
        self.stored = 0
        self.begun: set[int] = set()  # crawls with a worker's result in the archive
        self.waiting_since: dict[int, float] = {}  # running crawl without a worker -> since
        # crawls.id -> the pages a worker judged other addresses of a page, whose article is
        # not stored yet: (url, alias_of, capture_id), PageDecision.alias_of
        self.spider_aliases: dict[int, list[tuple]] = {}
        self.not_articles: dict[int, set[str]] = {}  # crawls.id -> URLs judged no article

    def prepare(self) -> None:
        """The consumer group, the stored-URL sets rebuilt from the archive, and (should Redis
        have lost its data) its owner mark and a crawl counter past the archive's crawls, so
        that a new crawl never takes the token of an archived one."""
        self.conn.set(OWNER, "tintuc", nx=True)
        newest = self.db.execute("SELECT max(CAST(json_extract(settings, '$.redis_token') "
                                 "AS INTEGER)) FROM crawls").fetchone()[0]  # fmt: skip
        if newest:
            self.conn.eval("if tonumber(redis.call('GET', KEYS[1]) or 0) < tonumber(ARGV[1]) "
                           "then redis.call('SET', KEYS[1], ARGV[1]) end", 1, CRAWL_SEQ, newest)
        try:
            self.conn.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        sites = [r[0] for r in self.db.execute("SELECT id FROM sites")]
        pipe = self.conn.pipeline()
        for site in sites:
            pipe.delete(stored_key(site))
            urls = list(urls_to_skip(self.db, site, *self.revisit))
            for start in range(0, len(urls), 10_000):
                pipe.sadd(stored_key(site), *urls[start : start + 10_000])
        pipe.execute()

    def pending(self) -> list:
        """Entries delivered to a consumer that died before acknowledging them."""
        entries, start = [], "0-0"
        while True:
            start, claimed, *_ = self.conn.xautoclaim(STREAM, GROUP, self.consumer,
                                                      min_idle_time=0, start_id=start)  # fmt: skip
            entries += claimed
            if start in (b"0-0", "0-0"):
                return entries

    def run(self, until_idle: float = 0, worker_timeout: float = WORKER_TIMEOUT) -> int:
        """Ingest until stopped, or until the stream has been empty ``until_idle`` seconds
        and every running crawl has begun (a worker's result of it is in the archive): a
        crawl's results come only once a worker has started it, which on a loaded machine
        can take longer than ``until_idle``. A crawl that no worker has begun after
        ``worker_timeout`` seconds is recorded as its error and raises
        :class:`DistributedError`. Return the entries written."""
        self.prepare()
        total = self.write(self.pending())
        idle_since = time.monotonic()
        while True:
            try:
                reply = self.conn.xreadgroup(GROUP, self.consumer, {STREAM: ">"},
                                             count=self.batch, block=1000)  # fmt: skip
            except redis.ConnectionError as exc:
                logger.error("Redis unreachable (%s); retrying in 2 s", exc)
                time.sleep(2)
                continue
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                self.redis_lost()
                continue
            entries = reply[0][1] if reply else []
            if entries:
                total += self.write(entries)
                idle_since = time.monotonic()
                if idle_since - self.reported_at >= PROGRESS_EVERY:
                    self.reported_at = idle_since
                    self.report(f"{plural(total, 'result')} ingested, "
                                f"{plural(self.stored, 'article')} written so far")
            elif until_idle and time.monotonic() - idle_since >= until_idle:
                if not self.without_worker(worker_timeout):
                    return total

    def redis_lost(self) -> None:
        """Redis came back empty: record the loss on every running distributed crawl, which
        ends 'interrupted' (not 'finished', whatever its workers report later), then set the
        group, sets and counter up again and read what workers send from now on."""
        running = [r[0] for r in self.db.execute(
            """SELECT id FROM crawls WHERE status = 'running'
               AND json_extract(settings, '$.distributed')""")]  # fmt: skip
        with write_transaction(self.db):
            for crawl_id in running:
                record_error(self.db, crawl_id, "", REDIS_LOST)
                self.db.execute("UPDATE crawls SET status = 'interrupted' WHERE id = ?",
                                [crawl_id])  # fmt: skip
        logger.error("Redis lost its data (restarted without persistence, or flushed): results "
                     "not ingested yet are gone; %s marked interrupted; enqueue again",
                     plural(len(running), "running crawl"))  # fmt: skip
        self.prepare()

    def has_begun(self, token: int) -> bool:
        """Whether a worker's result of the crawl is in the archive (read by this ingester
        or by an earlier one)."""
        if token not in self.begun:
            try:
                crawl_id = self.crawl_id({"crawl": token})
            except DistributedError:
                return False  # its crawl_start is not read yet
            sql = "SELECT 1 FROM captures WHERE crawl_id = ? LIMIT 1"
            if self.db.execute(sql, [crawl_id]).fetchone():
                self.begun.add(token)
        return token in self.begun

    def without_worker(self, worker_timeout: float) -> list[int]:
        """The running crawls no worker has begun yet; raise once one of them has waited
        ``worker_timeout`` seconds (since this ingester first saw it so), after recording
        the reason as the crawl's error."""
        now = time.monotonic()
        crawls = running_crawls(self.conn)
        waiting = [token for token in crawls if not self.has_begun(token)]
        self.waiting_since = {t: self.waiting_since.get(t, now) for t in waiting}
        late = [t for t in waiting if now - self.waiting_since[t] >= worker_timeout]
        if not late:
            return waiting
        error = f"no worker began the crawl within {worker_timeout:g} s"
        with write_transaction(self.db):
            for token in late:
                try:
                    crawl_id = self.crawl_id({"crawl": token})
                except DistributedError:
                    continue  # its crawl_start is not in the archive: nothing to record on
                record_error(self.db, crawl_id, crawls[token]["start_url"] or "", error)
        names = ", ".join(f"{t} ({crawls[t]['site'] or crawls[t]['start_url']})" for t in late)
        raise DistributedError(f"{error}: crawl {names} (is a `tintuc worker` running on this "
                               "Redis?); the crawl stays enqueued for a later worker")

    def write(self, entries: list) -> int:
        """One transaction for the batch, then XACK and XDEL: at least once, and idempotent;
        an ingested result leaves Redis (the stream holds only what is not yet ingested)."""
        entries = [(i, f) for i, f in entries if f]  # claimed entries may have been trimmed
        if not entries:
            return 0
        articles: dict[int, list[dict]] = {}
        stored_urls: dict[str, set[str]] = {}
        finished: list[tuple[int, dict]] = []
        with write_transaction(self.db):
            for _, fields in entries:
                message = json.loads(fields[b"m"])
                kind = message["type"]
                crawl_id = self.crawl_id(message) if kind != "crawl_start" else None
                if crawl_id is not None:
                    self.begun.add(message["crawl"])
                if kind == "crawl_start":
                    self.start(message)
                elif kind == "capture":
                    self.capture(crawl_id, message["key"], message["row"])
                elif kind == "article":
                    article = message["article"]
                    article["capture_id"] = self.capture_ids_of(article.get("capture_id"))
                    if article.get("minhash"):  # computed by the worker (StreamPipeline)
                        blob = base64.b64decode(article["minhash"])
                        article["minhash"] = np.frombuffer(blob, dtype=np.uint32)
                    articles.setdefault(crawl_id, []).append(article)
                    stored_urls.setdefault(article["site"], set()).add(article["url"])
                    reason = article.get("page_reason") or "extracted as an article"
                    record_page_decisions(self.db, [(article["capture_id"], "article", reason)])
                elif kind == "decision":
                    capture_id = self.capture_ids_of(message["capture_id"])
                    decision = (capture_id, message["kind"], message["reason"])
                    record_page_decisions(self.db, [decision])
                    if message.get("alias_of"):
                        self.spider_aliases.setdefault(crawl_id, []).append(
                            (message["url"], message["alias_of"], capture_id))
                    elif message.get("final", True):
                        self.not_articles.setdefault(crawl_id, set()).add(message["url"])
                    if message.get("gone"):  # a soft 404 (crawler.items.PageDecision)
                        self.gone(articles, message["url"], message["reason"])
                elif kind == "alias":  # crawler.items.PageAlias
                    self.spider_aliases.setdefault(crawl_id, []).append(
                        (message["url"], message["alias_of"],
                         self.capture_ids_of(message["capture_id"])))  # fmt: skip
                elif kind == "error":
                    self.error(crawl_id, message, articles)
                    self.not_articles.setdefault(crawl_id, set()).add(message["url"])
                elif kind == "gone":
                    self.gone(articles, message["url"], message["reason"])
                elif kind == "worker_done":
                    finished.append((crawl_id, message))
            self.flush(articles)
            for crawl_id, aliases in list(self.spider_aliases.items()):
                not_articles = self.not_articles.get(crawl_id, set())
                self.spider_aliases[crawl_id] = [
                    alias for alias in save_spider_aliases(self.db, aliases, crawl_id)
                    if alias[1] not in not_articles]  # fmt: skip
            for crawl_id, message in finished:
                self.finish(crawl_id, message)
            for crawl_id in {crawl_id for crawl_id, _ in finished}:
                # a worker left: the crawl's tables end once no alias waits (another worker
                # may still send the article one waits for)
                if not self.spider_aliases.get(crawl_id):
                    self.spider_aliases.pop(crawl_id, None)
                    self.not_articles.pop(crawl_id, None)
        ids = [i for i, _ in entries]
        self.conn.pipeline().xack(STREAM, GROUP, *ids).xdel(STREAM, *ids).execute()
        for site, urls in stored_urls.items():
            self.conn.sadd(stored_key(site), *urls)
        return len(entries)

    def gone(self, articles: dict[int, list[dict]], url: str, reason: str) -> None:
        """Mark the stored article at ``url`` removed (a 404, a soft 404, a redirect); the
        pending batch is written first only when it holds that URL (every link of a site that
        moved to https redirects)."""
        if any(a["url"] == url for batch in articles.values() for a in batch):
            self.flush(articles)
        mark_removed(self.db, url, reason)

    def flush(self, articles: dict[int, list[dict]]) -> None:
        for crawl_id, batch in articles.items():
            counts = save_articles(self.db, batch, crawl_id)
            self.stored += len(batch)
            self.db.execute(
                """UPDATE crawls SET articles_new = coalesce(articles_new, 0) + ?,
                   articles_changed = coalesce(articles_changed, 0) + ?,
                   articles_unchanged = coalesce(articles_unchanged, 0) + ? WHERE id = ?""",
                [counts["new"], counts["changed"],
                 counts["unchanged"] + counts["kept"] + counts["alias"], crawl_id],
            )
        articles.clear()

    def crawl_id(self, message: dict) -> int | None:
        token = message.get("crawl")
        if token is None:
            return None
        if token not in self.crawl_ids:
            row = self.db.execute(
                "SELECT id FROM crawls WHERE json_extract(settings, '$.redis_token') = ?", [token]
            ).fetchone()
            if row is None:
                raise DistributedError(f"stream entry of unknown crawl {token}")
            self.crawl_ids[token] = row[0]
        return self.crawl_ids[token]

    def start(self, message: dict) -> None:
        token = message["crawl"]
        try:
            self.crawl_id(message)
            return  # a redelivered crawl_start: the row exists
        except DistributedError:
            pass
        profile = SentProfile(message["site_row"])
        save_site(self.db, profile)
        self.crawl_ids[token] = start_crawl(
            self.db, profile.id, trigger=message.get("trigger") or "manual",
            settings={"start_urls": profile.profile.get("start_urls"), "redis_token": token,
                      "distributed": True},
        )  # fmt: skip
        self.report(f"crawl {self.crawl_ids[token]} of {profile.id} started")

    def capture(self, crawl_id: int, key: str, row: dict[str, Any]) -> None:
        if self.capture_ids_of(key, row) is not None:
            return
        row = {**row, "crawl_id": crawl_id}
        self.capture_ids[key] = self.db.execute(
            f"INSERT INTO captures ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        ).lastrowid

    def capture_ids_of(self, key: str | None, row: dict[str, Any] | None = None) -> int | None:
        """The captures id of a capture key; looked up in the archive after a restart, by the
        capture's ``row`` when known (captures are indexed by URL, not by WARC file)."""
        if key is None or key in self.capture_ids:
            return self.capture_ids.get(key)
        url = (row or {}).get("url")
        if "#" in key:  # a WARC record: its file and offset
            warc_file, offset = key.rsplit("#", 1)
            by_url = "url = ? AND " if url else ""
            found = self.db.execute(
                f"SELECT id FROM captures WHERE {by_url}warc_file = ? AND warc_offset = ?",
                [*([url] if url else []), warc_file, int(offset)],
            ).fetchone()
        elif url:  # a failed fetch, no WARC record: the same URL, time and error
            found = self.db.execute(
                """SELECT id FROM captures WHERE url = ? AND time = ? AND error IS ?
                   AND warc_file IS NULL""", [url, row.get("time"), row.get("error")],
            ).fetchone()  # fmt: skip
        else:
            found = None
        if found:
            self.capture_ids[key] = found[0]
        return found[0] if found else None

    def error(self, crawl_id: int, message: dict, articles: dict[int, list[dict]]) -> None:
        seen = self.db.execute(
            "SELECT 1 FROM crawl_errors WHERE crawl_id = ? AND url = ? AND error = ?",
            [crawl_id, message["url"], message["error"]],
        ).fetchone()
        if not seen:
            record_error(self.db, crawl_id, message["url"], message["error"], message["status"])
        if message.get("status") in (404, 410):
            self.gone(articles, message["url"], f"HTTP {message['status']}")

    def finish(self, crawl_id: int, message: dict) -> None:
        """A worker left the crawl: its frontier was idle. Record the counts so far; the first
        worker to finish marks the crawl finished (late results still update the counts)."""
        counts = dict(self.db.execute(
            """SELECT coalesce(page_kind, 'none'), count(*) FROM captures
               WHERE crawl_id = ? GROUP BY 1""", [crawl_id]).fetchall())  # fmt: skip
        errors = self.db.execute(
            "SELECT count(*) FROM crawl_errors WHERE crawl_id = ?", [crawl_id]
        ).fetchone()[0]
        reason = message["reason"]
        status = "finished" if reason in ("finished", "closespider_pagecount") else reason
        if status == "finished" and not counts:
            status = "failed"  # nothing answered so far, as StoragePipeline says (a later worker
            # leaving with pages says "finished")
        lost = self.db.execute("SELECT 1 FROM crawl_errors WHERE crawl_id = ? AND error = ?",
                               [crawl_id, REDIS_LOST]).fetchone()  # fmt: skip
        if lost:
            status = "interrupted"
        finish_crawl(
            self.db, crawl_id, status, pages=sum(counts.values()), errors=errors,
            pages_article=counts.get("article", 0), pages_listing=counts.get("listing", 0),
            pages_other=counts.get("other", 0),
        )  # fmt: skip
        self.report(f"crawl {crawl_id}: a worker left it ({reason}); so far "
                    f"{plural(sum(counts.values()), 'page')}, "
                    f"{plural(counts.get('article', 0), 'article')}, {plural(errors, 'error')}")
        token = message["crawl"]
        raw = self.conn.hget(CRAWLS, str(token))
        if raw:
            crawl = json.loads(raw) | {"status": status}
            self.conn.hset(CRAWLS, str(token), json.dumps(crawl))

    def close(self) -> None:
        self.db.close()
