"""The crawl's shared state, owned by one Scrapy extension.

The storage pipeline fills it from the archive when the spider opens (which stored articles to
skip, which linked ones are still missing, whether to stop paginating, the crawl's id); the
spider and the capture middleware read it. Components find it with :meth:`CrawlState.of`, never
through attributes set on the spider. It holds plain data: the spider may read it without
importing the archive library.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CrawlState:
    crawl_id: int | None = None  # the crawls row; None until the storage pipeline opens
    skip_urls: set[str] = field(default_factory=set)  # stored articles an incremental crawl skips
    pending_urls: list[str] = field(default_factory=list)  # linked from stored articles, unstored
    stop_on_nothing_new: bool = False  # stop paginating when a listing page has nothing new

    @classmethod
    def from_crawler(cls, crawler) -> CrawlState:
        return cls()

    @classmethod
    def of(cls, crawler) -> CrawlState:
        """The crawl's state: the run-time instance of this extension.

        Available once the extensions are built, i.e. to pipelines and middlewares from their
        ``from_crawler`` on, and to the spider from ``start()`` on (not in its ``from_crawler``).
        """
        state = crawler.get_extension(cls)
        if state is None:
            raise RuntimeError(
                "crawler.state.CrawlState is not enabled: add it to EXTENSIONS "
                "(crawler/settings.py enables it)"
            )
        return state
