"""The extraction item pipeline: a Scrapy wrapper around
:func:`pipelines.extractor.article.extract_article`.

Extraction is CPU-bound (lxml + trafilatura), so it runs in a pool of worker processes, never
on the reactor thread: the crawl keeps fetching while both cores extract.
``TINTUC_EXTRACT_WORKERS``: 0 = one process per core (default), N = N processes,
-1 = in the crawl's own process (simplest to debug).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from crawler.checks import setting
from crawler.items import Article, FetchedPage, FetchError, PageDecision

logger = logging.getLogger(__name__)


class ExtractionTimeout(Exception):
    """A page's extraction ran past its CPU time limit (``TINTUC_EXTRACT_TIMEOUT``)."""


def _out_of_time(signum, frame):
    raise ExtractionTimeout


def extract_page(
    body: bytes, charset: str | None, url: str, profile: dict | None, hints: dict | None = None,
    stored: bool = False, time_limit: float = 0,
) -> tuple[dict, float]:
    """Run the extractor; return the result and the CPU seconds it took (summed in the
    ``tintuc/extract_cpu_s`` stat). The result is the article, or ``{"page_kind",
    "page_reason", "page_gone"}`` for a page that is not one (``page_gone``: a "not found" page
    served as 200, see classify.error_page), or ``{"error": ...}`` if extraction raised.
    ``stored``: the page is a stored article (``tintuc reextract``), so a page judged no article
    is read whole too, to tell a "not found" page an older version stored from other pages.

    Takes the page's bytes: decoding (and NFC) happens here, in the worker, not on the
    reactor thread. A document a listing links as a notice of its own (``hints["document"]``,
    see the spider's ``listed_documents``) is read by
    :func:`pipelines.extractor.document.extract_document` instead.

    ``time_limit``: CPU seconds (0: none) after which the page is given up with an error
    saying so: a page that takes the extractor minutes (20 MB of markup) would otherwise hold
    its worker, and the crawl's end, with nothing recorded. CPU time, not wall time: a busy
    machine does not fail pages. Counted by a SIGPROF timer, so it applies where this runs in
    a process's main thread (a pool worker, or the crawl itself with -1 workers).
    """
    # imported here, in the workers (their fork server preloads it): the crawl process itself
    # extracts nothing unless TINTUC_EXTRACT_WORKERS=-1, and trafilatura would add 8 MB to it
    from pipelines.extractor.article import extract_article

    started = time.process_time()
    decision: dict = {}
    timed = time_limit > 0 and threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGPROF, _out_of_time)
        signal.setitimer(signal.ITIMER_PROF, time_limit)
    try:
        if (hints or {}).get("document") is not None:
            from pipelines.extractor.document import extract_document

            return extract_document(body, url, hints), time.process_time() - started
        result = extract_article(body, url, profile, declared_encoding=charset, hints=hints,
                                 decision=decision, only_articles=not stored)  # fmt: skip
        if result is None or result["page_kind"] != "article":
            result = {"page_kind": decision["kind"], "page_reason": decision["reason"],
                      "page_gone": decision.get("gone", False)}
    except ExtractionTimeout:
        result = {"error": f"extraction gave up after {time_limit:g} s of CPU time "
                           "(TINTUC_EXTRACT_TIMEOUT): the page is left unextracted"}
    except Exception as exc:  # noqa: BLE001 - a bad page must never stop the crawl
        result = {"error": f"extraction failed: {type(exc).__name__}: {exc}"}
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
    return result, time.process_time() - started


def exit_with_crawl(crawl_pid: int) -> None:
    """Pool initializer: end this worker as soon as the crawl process ends, however it ends.

    Needed because a SIGKILLed crawl (the scheduler after ``--grace``, the OOM killer) cannot
    stop its pool: the workers' parent is the fork server, not the crawl, and each worker holds
    the write end of its own task queue, so it would wait for work forever. Once the workers are
    gone the rest follows by itself: the fork server exits when the last holder of its "alive"
    pipe (the crawl and each worker) is gone, and the resource tracker when the last holder of
    its pipe is. A pidfd (Linux 5.3+) says when the crawl ends without polling or pid reuse.

    A worker also ignores SIGINT: Ctrl-C in a terminal reaches the whole process group, and a
    worker killed by it broke the pool under the crawl, which then hung instead of stopping;
    the crawl process alone handles it, and shuts its pool down.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        crawl = os.pidfd_open(crawl_pid)
    except ProcessLookupError:  # the crawl died before this worker started
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd on this system: no guard
        return

    def wait_for_crawl_end() -> None:
        select.select([crawl], [], [])  # readable once the crawl process has exited
        os._exit(1)

    threading.Thread(target=wait_for_crawl_end, name="exit-with-crawl", daemon=True).start()


def extraction_pool(workers: int, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """``workers`` extraction processes that end with this process (the crawl's pool, and
    ``tintuc reextract``'s). ``preload``: more modules for the fork server to import once."""
    context = multiprocessing.get_context("forkserver")
    # the fork server imports lxml, trafilatura, the extractor and this module once; each worker
    # forks ready instead of spending ~1 s of CPU importing them itself
    context.set_forkserver_preload([__name__, "pipelines.extractor.article", *preload])
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=exit_with_crawl,
        initargs=(os.getpid(),),
    )
    # Start the fork server and every worker now: started lazily, they block the first
    # submits (the fork server's imports take ~1 s) on the crawl's reactor thread, in the
    # middle of the crawl, where the stall also bunches up the downloads that follow it.
    # (a task that lasts a moment: the next submit finds no idle worker and spawns one more)
    list(pool.map(_started, range(workers)))
    return pool


def _started(_: int) -> int:
    time.sleep(0.2)
    return os.getpid()


class PoolOccupancy:
    """How much of the workers' time had no page to extract: the crawl starving its pool
    (discovery too slow, the reactor thread too busy) rather than the cores being full."""

    def __init__(self, workers: int):
        self.workers = workers
        self.in_flight = 0  # pages submitted and not yet back (queued ones included)
        self.first = self.last = None
        self.idle_slot_s = 0.0

    def change(self, delta: int) -> None:
        now = time.monotonic()
        if self.last is None:
            self.first = now
        else:
            self.idle_slot_s += max(0, self.workers - self.in_flight) * (now - self.last)
        self.last = now
        self.in_flight += delta

    def idle_share(self) -> float | None:
        """Share of the worker-seconds between the first page and the last result with no
        page to work on; None before any page."""
        if self.first is None or self.last == self.first:
            return None
        return self.idle_slot_s / (self.workers * (self.last - self.first))


class ExtractionPipeline:
    def __init__(self, crawler, workers: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.occupancy = PoolOccupancy(workers)
        self.time_limit = 0.0  # CPU seconds per page (TINTUC_EXTRACT_TIMEOUT; 0: none)

    @classmethod
    def from_crawler(cls, crawler):
        # mandatory: a bad value raises SettingError and the crawl does not start
        workers = setting(crawler.settings, "TINTUC_EXTRACT_WORKERS")
        if workers == 0:
            workers = os.cpu_count() or 1
        pipeline = cls(crawler, workers)
        pipeline.time_limit = setting(crawler.settings, "TINTUC_EXTRACT_TIMEOUT")
        return pipeline

    def open_spider(self):
        if self.workers > 0:
            self.pool = extraction_pool(self.workers)

    def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            idle = self.occupancy.idle_share()
            if idle is not None:
                self.stats.set_value("tintuc/extract_slots_idle_share", round(idle, 4))
                logger.info("extraction pool: %d workers, %.1f %% of their time without a page "
                            "to extract", self.workers, idle * 100)  # fmt: skip

    async def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        spider = self.crawler.spider
        selectors = spider.profile.selectors
        profile = {"selectors": dict(selectors)} if selectors else None
        args = (item.body, item.charset, item.url, profile, item.hints, False, self.time_limit)
        if self.pool is None:
            result, cpu = extract_page(*args)
        else:
            self.occupancy.change(+1)
            try:
                result, cpu = await asyncio.get_running_loop().run_in_executor(
                    self.pool, extract_page, *args
                )
            finally:
                self.occupancy.change(-1)
        self.stats.inc_value("tintuc/extract_cpu_s", cpu, start=0.0)
        if result.get("page_kind") in ("listing", "other"):
            # one line, no item dump (Scrapy's "Dropped:" warning printed the page's bytes);
            # listings are expected, a page that is neither may be a misjudged article
            level = logging.INFO if result["page_kind"] == "listing" else logging.WARNING
            logger.log(level, "not an article: %s (%s: %s)", item.url, result["page_kind"],
                       result["page_reason"])  # fmt: skip
            if item.documents:  # a page that is no article: its listed documents are notices
                spider.fetch_documents(item.url, item.documents)
            return PageDecision(item.url, item.capture_id, result["page_kind"],
                                result["page_reason"], result.get("page_gone", False))
        if "error" in result:
            self.stats.inc_value("tintuc/extraction_error")
            return FetchError(url=item.url, error=result["error"], status=item.status)
        self.stats.inc_value("tintuc/extracted")
        if result.get("attachments"):
            spider.fetch_attachments(item.url, [a["url"] for a in result["attachments"]])
        fields = {k: v for k, v in result.items() if k in Article.__dataclass_fields__}
        fields.update(
            url=item.url,
            site=item.site,
            province=spider.profile.province or None,
            fetched=item.fetched,
            capture_id=item.capture_id,
            part_of=item.hints.get("part_of"),
            part=item.hints.get("part"),
        )
        return Article(**fields)
