"""The crawl process's per-page shortcuts give the answers of the plain code they replace."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from crawler import discovery
from crawler.spiders.news import page_links, teaser_links
from crawler.urls import canonical_url
from pipelines.extract_pipeline import PoolOccupancy

PAGE = "https://baotinh.vn/chuyen-muc/thoi-su/trang-2.html"
HREFS = [
    "https://baotinh.vn/tin-tuc/a-1.html",
    "/tin-tuc/b-2.html",
    "/tin-tuc/../tin-tuc/c-3.html",  # dot segments: resolved as urljoin does
    "https://baotinh.vn/./tin-tuc/d-4.html",
    "//cdn.baotinh.vn/tin-tuc/e-5.html",  # protocol-relative
    "f-6.html",  # relative to the page's folder
    "?page=3",
    "",  # the page itself
    "/tin-tuc/g-7.html?utm_source=fb#top",
]


@pytest.mark.parametrize("href", HREFS)
def test_links_resolve_as_urljoin_does(href):
    body = f'<div><h3 class="t"><a href="{href}">Tin</a></h3></div>'.encode()
    expected = canonical_url(urljoin(PAGE, href))
    assert teaser_links(body, PAGE) == [expected]
    assert page_links(body, PAGE) == [expected]


def test_teaser_links_keep_repeats_in_page_order():
    body = b'<h2><a href="/a-1.html">A</a></h2><h3><a href="/b-2.html">B</a></h3>' \
           b'<h2><a href="/a-1.html">A again</a></h2>'  # fmt: skip
    assert teaser_links(body, PAGE) == [
        "https://baotinh.vn/a-1.html", "https://baotinh.vn/b-2.html", "https://baotinh.vn/a-1.html"
    ]  # fmt: skip


def test_feed_url_check_is_memoised_and_unchanged():
    discovery.looks_like_feed_url.cache_clear()
    urls = [
        "https://baotinh.vn/rss/thoi-su.rss",
        "https://baotinh.vn/feed",
        "https://baotinh.vn/tin-tuc/feed-back-1.html",
        "https://baotinh.vn/rss?x=1",
    ]
    first = [discovery.looks_like_feed_url(u) for u in urls]
    assert first == [True, True, False, True]
    assert [discovery.looks_like_feed_url(u) for u in urls] == first
    assert discovery.looks_like_feed_url.cache_info().hits == len(urls)


def test_pool_occupancy_counts_worker_time_without_a_page(monkeypatch):
    clock = iter([0.0, 1.0, 3.0, 4.0])  # submit, submit, result, result
    monkeypatch.setattr("pipelines.extract_pipeline.time.monotonic", lambda: next(clock))
    pool = PoolOccupancy(workers=2)
    assert pool.idle_share() is None
    pool.change(+1)  # t=0: one page for two workers
    pool.change(+1)  # t=1: 1 worker idle for 1 s
    pool.change(-1)  # t=3: both busy for 2 s
    pool.change(-1)  # t=4: 1 worker idle for 1 s
    assert pool.idle_share() == pytest.approx(2 / (2 * 4))
