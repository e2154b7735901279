"""One owner of the crawl's state: the ``CrawlState`` extension.

The storage pipeline fills it from the archive when the spider opens; the spider reads it (in
``start()`` and while following links) and the capture middleware writes its rows under its
crawl id, through its own connection. Nothing is set on the spider. Unit tier: crawlers from
``scrapy.utils.test.get_crawler``, pages as ``HtmlResponse``; the real crawl that shows Scrapy
opens the pipelines before ``start()`` runs is tests/test_faults.py's incremental-crawl test.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.capture import CaptureMiddleware
from crawler.sites import get_site
from crawler.spiders.news import NewsSpider
from crawler.state import CrawlState
from pipelines.archive.schema import open_archive
from pipelines.archive.store import finish_crawl, save_articles, save_site, start_crawl
from pipelines.store_pipeline import StoragePipeline

SITE = "http://news.test"
STORED = f"{SITE}/tin-tuc/stored-1.html"  # in the archive, linking to PENDING
PENDING = f"{SITE}/tin-tuc/pending-2.html"  # linked from a stored article, never stored
FRESH = f"{SITE}/tin-tuc/fresh-3.html"
SITES_TOML = f"""
[sites.statetest]
name = "State test"
province = "Quảng Ninh"
kind = "portal"
start_urls = ["{SITE}/"]
article_patterns = ['/tin-tuc/[^/]+-\\d+\\.html$']
"""


@pytest.fixture
def archive(tmp_path):
    """An archive holding one article of the site (from a finished crawl) with one related
    link to an article never stored; returns (db_path, sites_file)."""
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(SITES_TOML, encoding="utf-8")
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    save_site(db, get_site("statetest", sites_file))
    crawl_id = start_crawl(db, "statetest")
    article = {"url": STORED, "site": "statetest", "title": "Stored", "text": "Stored text.",
               "related": [{"url": PENDING, "text": "Pending", "block": "related"}]}  # fmt: skip
    save_articles(db, [article], crawl_id)
    finish_crawl(db, crawl_id, "finished")
    db.close()
    return db_path, sites_file


def open_crawl(archive, **settings):
    """A crawler with the spider created and the storage pipeline opened, as Scrapy does
    before it starts iterating ``spider.start()``."""
    db_path, sites_file = archive
    crawler = get_crawler(NewsSpider, {
        "EXTENSIONS": {"crawler.state.CrawlState": 100},
        "TINTUC_DB": str(db_path), "TINTUC_SITES_FILE": str(sites_file),
        "TINTUC_LOCAL_FAST": False, **settings,
    })  # fmt: skip
    crawler.spider = NewsSpider.from_crawler(crawler, site="statetest")
    pipeline = StoragePipeline.from_crawler(crawler)
    return crawler, pipeline


def start_urls(spider) -> list[str]:
    async def collect():
        return [request.url async for request in spider.start()]

    return asyncio.run(collect())


def listing(*links: str, url: str = f"{SITE}/chuyen-muc/a/trang-2.html") -> HtmlResponse:
    body = "".join(f'<a href="{link}">x</a>' for link in links)
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(),
                        request=Request(url))  # fmt: skip


def test_the_project_enables_the_state_extension():
    assert "crawler.state.CrawlState" in project_settings.EXTENSIONS


def test_of_finds_the_one_instance_the_crawler_built():
    crawler = get_crawler(settings_dict={"EXTENSIONS": {"crawler.state.CrawlState": 100}})
    state = CrawlState.of(crawler)
    assert isinstance(state, CrawlState) and CrawlState.of(crawler) is state
    assert state == CrawlState()  # empty until the storage pipeline opens


def test_without_the_extension_the_storage_pipeline_cannot_start(tmp_path):
    crawler = get_crawler(settings_dict={"TINTUC_DB": str(tmp_path / "a.db")})
    with pytest.raises(RuntimeError, match="CrawlState is not enabled: add it to EXTENSIONS"):
        StoragePipeline.from_crawler(crawler)


def test_storage_pipeline_fills_the_state_and_sets_nothing_on_the_spider(archive):
    crawler, pipeline = open_crawl(archive)
    pipeline.open_spider()
    state = CrawlState.of(crawler)
    assert state.skip_urls == {STORED}  # stored just now: not revisited yet
    assert state.pending_urls == [PENDING]
    assert state.stop_on_nothing_new is True  # the last crawl finished
    assert state.crawl_id == pipeline.crawl_id == 2
    for name in ("skip_urls", "pending_urls", "stop_on_nothing_new", "crawl_id", "archive_db"):
        assert name not in vars(crawler.spider), name
    pipeline.on_spider_closed(crawler.spider, "finished")


def test_a_full_crawl_leaves_the_state_empty_but_for_the_crawl_id(archive):
    crawler, pipeline = open_crawl(archive, TINTUC_INCREMENTAL=False)
    pipeline.open_spider()
    assert CrawlState.of(crawler) == CrawlState(crawl_id=2)
    pipeline.on_spider_closed(crawler.spider, "finished")


def test_start_requests_the_pending_urls_the_pipeline_put_in_the_state(archive):
    crawler, pipeline = open_crawl(archive)
    before = start_urls(crawler.spider)  # before the pipeline opens: no pending URL known
    assert f"{SITE}/" in before and PENDING not in before  # (plus robots.txt, feeds, sitemaps)
    crawler.spider.requested.clear()
    pipeline.open_spider()
    after = start_urls(crawler.spider)
    assert PENDING in after and set(after) - {PENDING} == set(before)
    pipeline.on_spider_closed(crawler.spider, "finished")


def test_spider_skips_stored_articles_and_stops_paginating_from_the_state(archive):
    crawler, pipeline = open_crawl(archive)
    pipeline.open_spider()
    spider = crawler.spider
    followed = [r.url for r in spider.follow_links(listing(STORED, FRESH, f"{SITE}/chuyen-muc/b/"))]
    assert followed == [FRESH, f"{SITE}/chuyen-muc/b/"]
    assert crawler.stats.get_value("tintuc/skipped_known") == 1
    # a listing page with nothing new: the pages after it are not followed
    assert list(spider.follow_links(listing(STORED, f"{SITE}/chuyen-muc/c/"))) == []
    assert crawler.stats.get_value("tintuc/listing_stopped") == 1
    pipeline.on_spider_closed(crawler.spider, "finished")


def test_a_latest_news_box_on_every_listing_page_does_not_keep_pagination_going(archive):
    """The box repeats the newest (unstored) articles on every page: new to the archive, but
    already asked for by this crawl, so they do not count as something new on the page."""
    crawler, pipeline = open_crawl(archive)
    pipeline.open_spider()
    spider = crawler.spider
    page2 = f"{SITE}/chuyen-muc/a/trang-2.html"
    followed = [r.url for r in spider.follow_links(listing(FRESH, STORED, page2))]
    assert followed == [FRESH, page2]  # FRESH is new: the next page is followed
    later = listing(FRESH, STORED, f"{SITE}/chuyen-muc/a/trang-3.html", url=page2)
    assert list(spider.follow_links(later)) == []  # FRESH again, and nothing else new: stop
    assert crawler.stats.get_value("tintuc/listing_stopped") == 1
    pipeline.on_spider_closed(crawler.spider, "finished")


def test_capture_writes_under_the_states_crawl_id_through_its_own_connection(archive):
    db_path, _ = archive
    crawler, pipeline = open_crawl(archive)
    capture = CaptureMiddleware.from_crawler(crawler)
    request = Request(FRESH)
    page = HtmlResponse(FRESH, body=b"<html>fresh</html>", request=request)
    assert capture.process_response(request, page) is page  # before the crawl has an id
    assert capture.db is None

    pipeline.open_spider()
    assert capture.process_response(request, page) is page
    assert capture.db is not None and capture.db is not pipeline.db
    assert request.meta["tintuc_capture_id"] == 1
    capture.close(crawler.spider, "finished")
    pipeline.on_spider_closed(crawler.spider, "finished")

    conn = sqlite3.connect(db_path)
    (row,) = conn.execute("SELECT crawl_id, url, status, warc_file FROM captures").fetchall()
    conn.close()
    assert row[:3] == (2, FRESH, 200)
    assert (db_path.parent / row[3]).stat().st_size > 0
