"""Live progress of a crawl on an interactive terminal; silent otherwise (cron, CI, pipes)."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from twisted.internet import task


class Progress:
    def __init__(self, crawler, stream=None):
        self.stats = crawler.stats
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        progress = cls(crawler)
        if not crawler.settings.getbool("TINTUC_PROGRESS", True) or not sys.stderr.isatty():
            return progress  # quiet: nothing connected
        crawler.signals.connect(progress.start, signal=signals.spider_opened)
        crawler.signals.connect(progress.stop, signal=signals.spider_closed)
        return progress

    def line(self) -> str:
        get = self.stats.get_value
        elapsed = max(time.monotonic() - self.started, 1e-6)
        pages = get("tintuc/pages", 0)
        return (
            f"pages {pages} ({pages / elapsed:.1f}/s) | articles {get('tintuc/extracted', 0)}"
            f" (stored: new {get('tintuc/articles_new', 0)}, changed "
            f"{get('tintuc/articles_changed', 0)}) | skipped {get('tintuc/skipped_known', 0)} | "
            f"errors {get('tintuc/errors', 0)} | {elapsed:.0f}s"
        )

    def show(self) -> None:
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()

    def start(self, spider):
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(1.0)

    def stop(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        self.show()
        self.stream.write("\n")
