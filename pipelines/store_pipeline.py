"""The storage item pipeline: batched writes of articles, the crawl's row and its errors,
through :mod:`pipelines.archive.store`."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import fields

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from crawler.checks import setting
from crawler.items import Article, FetchError, PageAlias, PageDecision, PageGone
from crawler.state import CrawlState
from pipelines.archive.schema import checkpoint_if_large, open_archive
from pipelines.archive.store import (
    finish_crawl,
    last_crawl_status,
    linked_not_stored,
    mark_removed,
    record_error,
    record_page_decisions,
    save_articles,
    save_site,
    save_spider_aliases,
    start_crawl,
    urls_to_skip,
)

logger = logging.getLogger(__name__)
STORAGE_ERRORS = (sqlite3.Error, OSError)


def abort_crawl(crawler, message: str) -> None:
    """Stop the crawl at once because the archive cannot be written (disk full, read-only …).

    What was committed stays; the message reaches the log, the stats and the CLI's exit.
    """
    if crawler.stats.get_value("tintuc/fatal"):
        return
    crawler.stats.set_value("tintuc/fatal", message)
    logger.critical(message)
    deferred_from_coro(crawler.engine.close_spider_async(reason="storage_failed"))


def article_dict(item) -> dict:
    """An Article item as the plain dict :func:`pipelines.archive.store.save_article` takes.

    Shallow: ``dataclasses.asdict`` deep-copies every related link, which showed in profiles.
    """
    if isinstance(item, Article):
        return {f.name: getattr(item, f.name) for f in fields(item)}
    return ItemAdapter(item).asdict()


class StoragePipeline:
    """Fills the crawl's :class:`~crawler.state.CrawlState` from the archive when the spider
    opens, then writes what the crawl finds. Mandatory: a bad setting raises
    :class:`~crawler.checks.SettingError` (the crawl does not start), never ``NotConfigured``."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = CrawlState.of(crawler)
        settings = crawler.settings
        self.db_path = setting(settings, "TINTUC_DB")
        self.batch_size = setting(settings, "TINTUC_BATCH_SIZE")
        self.trigger = settings.get("TINTUC_TRIGGER", "manual")
        self.incremental = setting(settings, "TINTUC_INCREMENTAL")
        self.revisit_days = setting(settings, "TINTUC_REVISIT_DAYS")
        self.revisit_after_hours = setting(settings, "TINTUC_REVISIT_AFTER_HOURS")
        self.batch: list[dict] = []
        self.decisions: list[tuple] = []  # (capture_id, kind, reason), written with the batch
        self.aliases: list[tuple] = []  # (url, alias_of, capture_id): PageDecision.alias_of
        # URLs judged no article (or failed) in this crawl: an alias waiting for one is dropped
        self.not_articles: set[str] = set()
        self.page_kinds = {"article": 0, "listing": 0, "other": 0}
        self.db = None
        self.crawl_id: int | None = None
        self.counts = {"new": 0, "changed": 0, "unchanged": 0, "kept": 0, "alias": 0}
        self.errors = 0

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.on_response, signal=signals.response_received)
        crawler.signals.connect(pipeline.on_spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        """Open the archive and fill the crawl's state; runs before the spider's ``start()``."""
        profile = self.crawler.spider.profile
        state = self.state
        self.db = open_archive(self.db_path)
        save_site(self.db, profile)
        if self.incremental:
            state.skip_urls = urls_to_skip(
                self.db, profile.id, self.revisit_days, self.revisit_after_hours
            )
            state.pending_urls = linked_not_stored(self.db, profile.id)
            # after an unfinished crawl, walk every listing page again (still skipping stored
            # articles) so the articles the dead crawl never reached are found
            state.stop_on_nothing_new = last_crawl_status(self.db, profile.id) in (
                "finished", "closespider_pagecount",
            )  # fmt: skip
        self.crawl_id = start_crawl(
            self.db,
            profile.id,
            trigger=self.trigger,
            settings={"start_urls": profile.start_urls},
        )
        state.crawl_id = self.crawl_id
        self.stats.set_value("tintuc/crawl_id", self.crawl_id)

    def on_response(self, response, request, spider):
        self.stats.inc_value("tintuc/pages")

    def process_item(self, item):
        if self.stats.get_value("tintuc/fatal"):
            raise DropItem("the archive cannot be written; crawl stopping")
        try:
            self.store(item)
        except STORAGE_ERRORS as exc:
            self.batch, self.decisions = [], []
            abort_crawl(self.crawler, f"cannot write to the archive {self.db_path}: {exc}")
            raise DropItem(str(exc)) from None
        return item

    def store(self, item) -> None:
        if isinstance(item, FetchError):
            self.errors += 1
            self.stats.inc_value("tintuc/errors")
            record_error(self.db, self.crawl_id, item.url, item.error, item.status)
            self.not_articles.add(item.url)
            if item.status in (404, 410):
                self.mark_gone(item.url, f"HTTP {item.status}")
        elif isinstance(item, PageGone):
            self.mark_gone(item.url, item.reason)
        elif isinstance(item, PageDecision):
            self.decide(item.capture_id, item.kind, item.reason)
            if item.alias_of:
                self.aliases.append((item.url, item.alias_of, item.capture_id))
            elif item.final:
                self.not_articles.add(item.url)
            if item.gone:
                self.mark_gone(item.url, item.reason)
        elif isinstance(item, PageAlias):
            self.aliases.append((item.url, item.alias_of, item.capture_id))
        elif isinstance(item, Article):
            self.batch.append(article_dict(item))
            self.decide(item.capture_id, "article", item.page_reason or "extracted as an article")
            if len(self.batch) >= self.batch_size:
                self.flush()

    def decide(self, capture_id: int | None, kind: str, reason: str) -> None:
        """Count a page's decision; it reaches its captures row with the next batch."""
        self.page_kinds[kind] += 1
        self.stats.inc_value(f"tintuc/pages_{kind}")
        self.decisions.append((capture_id, kind, reason))
        if len(self.decisions) >= self.batch_size:
            self.flush()

    def mark_gone(self, url: str, reason: str) -> None:
        if any(article["url"] == url for article in self.batch):
            self.flush()  # stored in this crawl, not written yet
        if mark_removed(self.db, url, reason):
            self.stats.inc_value("tintuc/articles_removed")

    def flush(self):
        if self.decisions:
            with self.db.conn:
                record_page_decisions(self.db, self.decisions)
            self.decisions = []
        if self.batch:
            counts = save_articles(self.db, self.batch, self.crawl_id)
            self.batch = []
            for key, value in counts.items():
                self.counts[key] += value
                self.stats.inc_value(f"tintuc/articles_{key}", value)
            self.db["crawls"].update(self.crawl_id, self.crawl_counts())
            if checkpoint_if_large(self.db, self.db_path):
                self.stats.inc_value("tintuc/wal_checkpoints")
        if self.aliases:  # after the batch: its article may be the one they are addresses of
            with self.db.conn:
                left = save_spider_aliases(self.db, self.aliases, self.crawl_id)
            self.aliases = [alias for alias in left if alias[1] not in self.not_articles]

    def crawl_counts(self) -> dict:
        return {
            "pages": self.stats.get_value("tintuc/pages", 0),
            "articles_new": self.counts["new"],
            "articles_changed": self.counts["changed"],
            # an article met again at another address is an article fetched again, unchanged
            "articles_unchanged": sum(self.counts[k] for k in ("unchanged", "kept", "alias")),
            "errors": self.errors,
            "pages_skipped": self.stats.get_value("tintuc/skipped_known", 0),
            **{f"pages_{kind}": count for kind, count in self.page_kinds.items()},
        }

    def close_spider(self):
        try:
            self.flush()
        except STORAGE_ERRORS as exc:
            self.batch, self.decisions = [], []
            abort_crawl(self.crawler, f"cannot write to the archive {self.db_path}: {exc}")

    def on_spider_closed(self, spider, reason):
        """Runs after every pipeline has closed: record how the crawl ended."""
        if self.db is None:
            return
        status = "finished" if reason in ("finished", "closespider_pagecount") else reason
        if status == "finished" and not self.stats.get_value("tintuc/pages"):
            status = "failed"  # nothing answered: the site is down or the start URL is wrong
        try:
            finish_crawl(self.db, self.crawl_id, status, **self.crawl_counts())
        except STORAGE_ERRORS as exc:  # the next crawl marks this one 'interrupted'
            logger.error("could not close crawl %s: %s", self.crawl_id, exc)
        self.db.close()
        self.db = None
