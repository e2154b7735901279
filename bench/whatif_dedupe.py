"""What-if (benchmark only): ``tintuc crawl`` with the spider yielding each link once.

The real spider yields a ``scrapy.Request`` for every in-scope link of every page (a news page
has 200-350 links, mostly the same menus and sidebars), and Scrapy's scheduler drops the
duplicates only after building, fingerprinting and passing each request through the spider
middlewares: about 0.3 ms of reactor-thread CPU per link. This launcher wraps
``NewsSpider.follow_links`` in memory to drop requests for URLs it already yielded, then runs
the ordinary CLI, so ``crawl_bench.py --what-if-dedupe`` can measure how much that costs.
Nothing in the product changes.

    python bench/whatif_dedupe.py crawl SITE --sites FILE --db PATH -s NAME=VALUE ...
"""

from __future__ import annotations

import sys


def patch() -> None:
    from crawler.spiders import news

    original = news.NewsSpider.follow_links

    def follow_links(self, response):
        seen = self.__dict__.setdefault("_bench_seen", set())
        for request in original(self, response):
            if request.dont_filter or request.url not in seen:
                seen.add(request.url)
                yield request

    news.NewsSpider.follow_links = follow_links


if __name__ == "__main__":
    patch()
    from crawler.cli import main

    sys.exit(main(prog_name="tintuc"))
