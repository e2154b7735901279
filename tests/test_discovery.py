"""Discovery without a profile (crawler/discovery.py and its wiring in the spider): feeds,
sitemaps, every pager shape, and listings fetched before the articles they reveal.

Unit tests on small snippets, plus one end-to-end crawl of a local ASP.NET-like site whose
listing pages are reachable only through a postback pager.
"""

from __future__ import annotations

import asyncio
import gzip
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from conftest import crawl_site, query, run_tintuc
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.http import FormRequest, HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_reactor_settings

from crawler import discovery
from crawler.discovery import Postback, find_pager
from crawler.spiders.news import NewsSpider, page_links
from crawler.state import CrawlState
from crawler.urls import canonical_url

SITE = "https://tinh.example.vn"
SETTINGS = {"EXTENSIONS": {"crawler.state.CrawlState": 100}, "TINTUC_PROGRESS": False}


def pager(body: str, url: str = f"{SITE}/tin-tuc") -> discovery.Pager:
    raw = f"<html><body>{body}</body></html>".encode()
    return find_pager(raw, canonical_url(url), page_links(raw, url))


def response(url: str, body: str, method: str = "GET", **meta) -> HtmlResponse:
    request = Request(url, method=method, meta=meta)
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", request=request)


# --- feeds and sitemaps ---------------------------------------------------------------------
def test_feeds_announced_in_the_head_and_linked_are_found():
    head = (b'<html><head><link rel="stylesheet" href="/a.css">'
            b'<link rel="alternate" type="application/rss+xml" title="T" href="/rss/home.rss">'
            b"<link type='application/atom+xml' rel='alternate' href='https://x.vn/atom.xml'>"
            b'<link rel="alternate" hreflang="en" href="/en/"></head></html>')  # fmt: skip
    assert discovery.feed_links(head, f"{SITE}/tin-tuc/") == [
        f"{SITE}/rss/home.rss", "https://x.vn/atom.xml"]  # fmt: skip
    feeds = ["/rss/thoi-su.rss", "/rss", "/feed/", "/rss.xml", "/tin-tuc/feed"]
    pages = ["/rss-tin-tuc.html", "/tin-tuc/feed-back-12.html", "/rssfeed-gioi-thieu"]
    assert [discovery.looks_like_feed_url(SITE + p) for p in feeds] == [True] * len(feeds)
    assert [discovery.looks_like_feed_url(SITE + p) for p in pages] == [False] * len(pages)


def test_robots_sitemap_lines_and_the_usual_places():
    robots = (b"User-agent: *\nDisallow: /admin/\nSitemap: /sitemap_index.xml\n"
              b"sitemap:  https://tinh.example.vn/news-sitemap.xml  \n# Sitemap: /not.xml\n")
    assert discovery.robots_sitemaps(robots, f"{SITE}/robots.txt") == [
        f"{SITE}/sitemap_index.xml", f"{SITE}/news-sitemap.xml"]  # fmt: skip
    assert discovery.robots_url(f"{SITE}/tin-tuc/a.html?x=1") == f"{SITE}/robots.txt"
    assert discovery.default_sitemap_url(f"{SITE}/tin-tuc/") == f"{SITE}/sitemap.xml"
    assert discovery.guessed_feed_urls(SITE + "/x") == [
        f"{SITE}/rss", f"{SITE}/rss.xml", f"{SITE}/feed", f"{SITE}/feed.xml"]  # fmt: skip


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://tinh.example.vn/sitemap-2025-01.xml</loc></sitemap>
  <sitemap><loc> https://tinh.example.vn/sitemap-2025-02.xml.gz </loc>
    <lastmod>2025-02-28</lastmod></sitemap>
</sitemapindex>"""
NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://tinh.example.vn/tin-tuc/hop-bao-1.html</loc>
    <news:news><news:publication><news:name>Báo Tỉnh</news:name><news:language>vi</news:language>
    </news:publication><news:publication_date>2025-03-04</news:publication_date>
    <news:title>Họp báo quý I</news:title></news:news></url>
  <url><loc>https://tinh.example.vn/tin-tuc/le-hoi-2.html</loc></url>
</urlset>""".encode()
RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin mới</title>
<link>https://tinh.example.vn/</link>
<item><title>Một</title><link>https://tinh.example.vn/tin-tuc/mot-1.html</link></item>
<item><title>Hai</title><link> /tin-tuc/hai-2.html </link></item></channel></rss>""".encode()
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<link rel="self" href="https://tinh.example.vn/atom.xml"/>
<entry><title>A</title><link href="https://tinh.example.vn/a-1.html"/></entry>
<entry><title>B</title><link rel="alternate" href="https://tinh.example.vn/b-2.html"/>
<link rel="enclosure" href="https://tinh.example.vn/b.mp3"/></entry></feed>"""


def test_sitemap_index_news_sitemap_feeds_and_gzip_are_read():
    assert discovery.xml_links(SITEMAP_INDEX) == (
        [f"{SITE}/sitemap-2025-01.xml", f"{SITE}/sitemap-2025-02.xml.gz"], [])  # fmt: skip
    pages = [f"{SITE}/tin-tuc/hop-bao-1.html", f"{SITE}/tin-tuc/le-hoi-2.html"]
    assert discovery.xml_links(NEWS_SITEMAP) == ([], pages)
    assert discovery.xml_links(gzip.compress(NEWS_SITEMAP)) == ([], pages)
    # the channel's own <link> is not an item; relative links are resolved by the spider
    assert discovery.xml_links(RSS) == ([], [f"{SITE}/tin-tuc/mot-1.html", "/tin-tuc/hai-2.html"])
    assert discovery.xml_links(ATOM) == ([], [f"{SITE}/a-1.html", f"{SITE}/b-2.html"])
    assert discovery.xml_links(b"<html><body><p>Not found</p></body></html>") == ([], [])
    assert discovery.xml_links(b"") == ([], [])
    assert discovery.xml_links(b"\x00\x01 not xml at all <<<") == ([], [])


# --- pagers ---------------------------------------------------------------------------------
TEASERS = "".join(
    f'<h3><a href="/tin-tuc/bai-{k}.html">Tỉnh tổ chức hội nghị số {k} về chuyển đổi số</a></h3>'
    for k in range(1, 6)
)


@pytest.mark.parametrize("entry", [
    '<a href="/tin-tuc?page=2">Trang sau</a>',
    '<a href="/tin-tuc?page=2"><span>Tiếp</span> &raquo;</a>',
    '<a href="/tin-tuc?page=2">»</a>',
    '<a href="/tin-tuc?page=2">&rsaquo;</a>',
    '<a href="/tin-tuc?page=2" title="Trang sau"><i class="fa fa-angle-right"></i></a>',
    '<a class="x" rel="next" href="/tin-tuc?page=2">Older posts</a>',
    '<A HREF="/tin-tuc?page=2">TRANG SAU</A>',
    '<a href="/tin-tuc?page=2">Tiê\u0301p theo</a>',  # decomposed diacritics
])
def test_a_next_link_is_a_pager_whatever_its_words(entry):
    found = pager(TEASERS + f'<div class="paging"><span>1</span>{entry}</div>')
    assert found.links == [f"{SITE}/tin-tuc?page=2"]


def test_teasers_back_links_and_read_more_are_not_pagers():
    body = (TEASERS + '<a href="/tin-tuc/bai-1.html">Xem tiếp</a><a href="/tin-tuc/cu">« Trước</a>'
            '<a href="/tin-tuc/cu">‹</a><a href="#">»</a><a href="javascript:void(0)">Sau</a>'
            '<a href="/gioi-thieu">Giới thiệu</a><a href="/lien-he">2024</a>')  # fmt: skip
    assert pager(body) == discovery.Pager([], [])


def test_a_numbered_widget_is_a_pager_wherever_it_points():
    widget = ('<ul class="pagination"><li><a href="/danh-muc/x-p1">1</a></li>'
              '<li class="active"><span>2</span></li><li><a href="/danh-muc/x-p3">3</a></li>'
              '<li><span>…</span></li><li><a href="/danh-muc/x-p9">9</a></li></ul>')  # fmt: skip
    assert pager(TEASERS + widget).links == [
        f"{SITE}/danh-muc/x-p1", f"{SITE}/danh-muc/x-p3", f"{SITE}/danh-muc/x-p9"]  # fmt: skip


def test_numbers_that_are_no_page_run_are_not_a_pager():
    lone = TEASERS + '<div>Trang <a href="/tin-tuc/so-2">2</a></div>'
    decreasing = '<a href="/y/2025">25</a> <a href="/y/2024">24</a> <a href="/y/2023">23</a>'
    apart = '<a href="/a">1</a>' + "<p>" + "x" * 700 + '</p><a href="/b">2</a>'
    split = '<a href="/a">1</a><a href="/tin-tuc/bai-9.html">Bài chín</a><a href="/b">2</a>'
    for body in (lone, decreasing, apart, split):
        assert pager(body).links == [], body


def test_a_lone_page_link_beside_the_current_page_number_is_a_pager_of_two():
    """DNN's pagers of a two-page list: "1 [2]" on the first page, "[1] 2" on the second; the
    URLs say nothing of a page number, or there are none (postbacks)."""
    second = "/tin-tuc/tabid/123/PageIndex/2/Default.aspx"
    first_page = f'<div class="pager"><span class="active">1</span> <a href="{second}">2</a></div>'
    assert pager(TEASERS + first_page).links == [SITE + second]
    back = '<ul><li><a href="/tin-tuc/tabid/123/Default.aspx">1</a></li><li><b>2</b></li></ul>'
    assert pager(TEASERS + back).links == [f"{SITE}/tin-tuc/tabid/123/Default.aspx"]
    form = ('<form method="post"><input type="hidden" name="__VIEWSTATE" value="x">'
            '<span>1</span> <a href="javascript:__doPostBack(\'dnn$ctr470$pager\',\'2\')">2</a>'
            "</form>")  # fmt: skip
    assert pager(TEASERS + form).postbacks == [Postback("dnn$ctr470$pager", "2", 2)]
    # a number that is not the neighbouring page, or words between: no pager
    for body in (f'<span>5</span> <a href="{second}">2</a>',
                 f'<b>1</b> Trang <a href="{second}">2</a>',
                 f'<a href="{second}">2</a> <span>4</span>'):  # fmt: skip
        assert pager(TEASERS + body) == discovery.Pager([], []), body


@pytest.mark.parametrize(("here", "other"), [
    ("/tin-tuc", "/tin-tuc?page=2"),
    ("/tin-tuc?page=2", "/tin-tuc?page=3"),
    ("/tin-tuc?cat=5", "/tin-tuc?cat=5&p=2"),
    ("/chuyen-muc/kinh-te/trang-1.html", "/chuyen-muc/kinh-te/trang-2.html"),
    ("/chuyen-muc/kinh-te", "/chuyen-muc/kinh-te/trang-2"),
    ("/thoi-su/", "/thoi-su/page/2/"),
    ("/thoi-su", "/thoi-su/p/3"),
    # DotNetNuke's friendly URLs put the number in a path pair
    ("/tin-tuc/tabid/123/Default.aspx", "/tin-tuc/tabid/123/PageIndex/2/Default.aspx"),
    ("/tin-tuc/tabid/123/PageIndex/2/Default.aspx", "/tin-tuc/tabid/123/PageIndex/3/Default.aspx"),
])
def test_a_link_to_this_listing_with_another_page_number_is_a_pager(here, other):
    body = TEASERS + f'<a href="{other}">Xem thêm tin</a><a href="/tin-tuc-khac?page=2">x</a>'
    assert pager(body, SITE + here).links == [canonical_url(SITE + other)]


@pytest.mark.parametrize(("here", "asking", "pages"), [
    # "Đến trang [2] [Đi]": the number typed is the current page's; the next one is asked
    ("/tin-tuc?page=2", '<form method="get" action="/tin-tuc">Đến trang <input type="number" '
     'name="page" value="2" min="1" max="9"><button>Đi</button></form>', ["/tin-tuc?page=3"]),
    ("/tin-tuc", '<form action="/tin-tuc"><input type="text" name="trang"><input type="submit" '
     'value="Đi"></form>', ["/tin-tuc?trang=2"]),
    ("/tin-tuc?page=9", '<form action="/tin-tuc"><input type="number" name="page" value="9" '
     'max="9"></form>', []),  # the last page
    # a hidden page number behind "Trang sau": asked as it is
    ("/tin-tuc", '<form><input type="hidden" name="page" value="2"><input type="submit" '
     'value="Trang sau »"></form>', ["/tin-tuc?page=2"]),
    # a page list in a form, or whose script builds the URL from the number chosen
    ("/tin-tuc", '<form action="/tin-tuc"><select name="page" onchange="this.form.submit()">'
     '<option value="1" selected>1</option><option value="2">2</option><option value="3">3'
     "</option></select></form>", ["/tin-tuc?page=2", "/tin-tuc?page=3"]),
    ("/tin-tuc", "<select onchange=\"location.href='/tin-tuc?trang=' + this.value\"><option "
     'value="1">Trang 1</option><option value="2">Trang 2</option></select>', ["/tin-tuc?trang=2"]),
    # what is not another page of this listing
    ("/tin-tuc", '<form method="get" action="/tim-kiem"><input name="tu-khoa"><input '
     'type="hidden" name="page" value="1"></form>', []),  # a search form
    ("/tin-tuc", '<form action="/tin-tuc"><select name="nam"><option value="2024">2024</option>'
     '</select><input type="hidden" name="page" value="2"></form>', []),  # a filter to choose
    ("/tin-tuc", '<form method="post" action="/tin-tuc"><input type="hidden" name="page" '
     'value="2"></form>', []),
    ("/tin-tuc", "<select onchange=\"location.href='/su-kien?trang=' + this.value\"><option "
     'value="2">2</option></select>', []),
])  # fmt: skip
def test_a_form_or_a_list_asking_for_a_page_number_of_this_listing_is_a_pager(here, asking, pages):
    assert pager(TEASERS + asking, SITE + here).links == [SITE + p for p in pages]


def test_sharepoint_list_paging_in_links_and_scripts():
    url = f"{SITE}/Lists/TinTuc/AllItems.aspx"
    body = (TEASERS + '<a href="/Lists/TinTuc/AllItems.aspx?Paged=TRUE&amp;p_ID=20&amp;'
            'PageFirstRow=21&amp;View=%7B1%7D"><img src="/_layouts/next.gif"></a>'
            '<script>RefreshPageTo(event, "\\u002fLists\\u002fTinTuc\\u002fAllItems.aspx'
            '?Paged=TRUE\\u0026p_ID=40\\u0026PageFirstRow=41");</script>'
            '<a href="/Lists/Khac/AllItems.aspx?Paged=TRUE&amp;PageFirstRow=21">x</a>')  # fmt: skip
    assert pager(body, url).links == [
        f"{url}?Paged=TRUE&p_ID=20&PageFirstRow=21&View=%7B1%7D",
        f"{url}?Paged=TRUE&p_ID=40&PageFirstRow=41",
    ]


GRIDVIEW = """<form method="post" action="./DanhSach.aspx" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" />
<input type="hidden" name="__EVENTVALIDATION" value="ev{state}" />
<input type="submit" name="ctl00$btnSearch" value="Tìm" />
{teasers}
<table><tr class="pager"><td><table><tr>{cells}</tr></table></td></tr></table>
</form>"""


def gridview(current: int, pages: int = 3, state: str = "vs1", next_link: bool = True) -> str:
    cells = "".join(
        f"<td><span>{k}</span></td>" if k == current else
        f"<td><a href=\"javascript:__doPostBack('ctl00$gvTin','Page${k}')\">{k}</a></td>"
        for k in range(1, pages + 1)
    )  # fmt: skip
    if next_link and current < pages:
        cells += ("<td><a href=\"javascript:__doPostBack('ctl00$pager$btnNext','')\">"
                  "Trang sau</a></td>")  # fmt: skip
    return GRIDVIEW.format(state=state, teasers=TEASERS, cells=cells)


def test_an_aspnet_postback_pager_is_found_with_its_page_numbers():
    found = pager(gridview(1))
    assert found.links == []
    assert found.postbacks == [
        Postback("ctl00$pager$btnNext", "", None, is_next=True),
        Postback("ctl00$gvTin", "Page$2", 2),
        Postback("ctl00$gvTin", "Page$3", 3),
    ]
    without_form = gridview(1).replace("__VIEWSTATE", "__NOTHING")
    assert pager(without_form).postbacks == []


def test_the_postback_request_posts_the_form_with_the_event():
    page = response(f"{SITE}/DanhSach.aspx", f"<html><body>{gridview(1, state='abc+/=')}"
                                             "</body></html>")  # fmt: skip
    request = discovery.postback_request(page, Postback("ctl00$gvTin", "Page$2", 2))
    assert isinstance(request, FormRequest) and request.method == "POST"
    assert request.url == f"{SITE}/DanhSach.aspx"
    form = parse_qs(request.body.decode(), keep_blank_values=True)
    assert form["__EVENTTARGET"] == ["ctl00$gvTin"]
    assert form["__EVENTARGUMENT"] == ["Page$2"]
    assert form["__VIEWSTATE"] == ["abc+/="] and form["__EVENTVALIDATION"] == ["evabc+/="]
    assert "ctl00$btnSearch" not in form  # dont_click: the search button is not pressed
    assert discovery.viewstate(page.body) == "abc+/="


def test_postback_pages_are_told_apart_by_number_not_by_url():
    url = f"{SITE}/DanhSach.aspx"
    by_number = discovery.postback_key(url, Postback("ctl00$gvTin", "Page$3", 3), 2, "s2")
    by_next = discovery.postback_key(url, Postback("ctl00$pager$btnNext", "", None, True), 2, "s2")
    assert by_number == by_next == (url, 3)
    unknown = Postback("ctl00$pager$btnNext", "", None, True)
    assert discovery.postback_key(url, unknown, None, "s1") != \
        discovery.postback_key(url, unknown, None, "s2")  # fmt: skip


# --- the spider: priorities, postbacks, feeds -----------------------------------------------
def built_spider(**spider_args) -> NewsSpider:
    """A spider built as Crawler.crawl() builds it, no engine or reactor (as in test_units)."""
    runner = AsyncCrawlerRunner({**get_reactor_settings(), **SETTINGS})
    crawler = runner.create_crawler(NewsSpider)
    crawler.spider = NewsSpider.from_crawler(crawler, **spider_args)
    crawler._apply_settings()
    return crawler.spider


def requests_of(output) -> list[Request]:
    return [r for r in output if isinstance(r, Request)]


@pytest.fixture
def sample_spider() -> NewsSpider:
    return built_spider(site="sample")


@pytest.fixture
def generic_spider() -> NewsSpider:
    return built_spider(start_url=f"{SITE}/")


def test_account_pages_linked_from_every_page_are_not_fetched(generic_spider):
    for path in ("/tabid/123/ctl/Login/Default.aspx", "/tabid/1/ctl/Register/Default.aspx",
                 "/user/login", "/user/password", "/wp-login.php", "/dang-nhap.html",
                 "/Account/Login.aspx", "/dang-ky/"):  # fmt: skip
        assert not generic_spider.wanted(SITE + path), path
    for path in ("/tin-tuc/dang-ky-kinh-doanh-12.html", "/tin-tuc/login-that-bai",
                 "/node/12", "/dang-ky-xe/thu-tuc.html"):  # fmt: skip
        assert generic_spider.wanted(SITE + path), path
    page = response(f"{SITE}/tin-tuc", "<html><body>" + TEASERS
                    + '<a href="/tabid/57/ctl/Login/Default.aspx?returnurl=%2f">Đăng nhập</a>'
                    "</body></html>")  # fmt: skip
    assert not [r for r in requests_of(generic_spider.parse(page)) if "Login" in r.url]


def test_listings_are_requested_ahead_of_the_articles_they_reveal(sample_spider):
    portal = "http://127.0.0.1:8765"
    body = (f"<html><body>{TEASERS.replace('/tin-tuc/bai-', '/tin-tuc/bai-moi-')}"
            '<a href="/chuyen-muc/kinh-te/">Kinh tế</a>'
            '<div class="pager"><a href="/chuyen-muc/xa-hoi/trang-2.html">Trang sau</a></div>'
            "</body></html>")  # fmt: skip
    listing = response(f"{portal}/chuyen-muc/xa-hoi/", body)
    priorities = {r.url: r.priority for r in requests_of(sample_spider.parse(listing))}
    assert priorities == {
        **{f"{portal}/tin-tuc/bai-moi-{k}.html": discovery.PRIORITY_ARTICLE for k in range(1, 6)},
        f"{portal}/chuyen-muc/kinh-te/": discovery.PRIORITY_LISTING,
        f"{portal}/chuyen-muc/xa-hoi/trang-2.html": discovery.PRIORITY_LISTING,
    }
    assert discovery.PRIORITY_LISTING > discovery.PRIORITY_ARTICLE


def test_generic_mode_asks_for_robots_sitemap_and_feeds_first(generic_spider):
    async def collect():
        return [r async for r in generic_spider.start()]

    requests = asyncio.run(collect())
    assert [(r.url, r.priority) for r in requests] == [
        (f"{SITE}/", discovery.PRIORITY_LISTING),
        (f"{SITE}/robots.txt", discovery.PRIORITY_ROBOTS),
        (f"{SITE}/sitemap.xml", discovery.PRIORITY_SITEMAP),
        *[(u, discovery.PRIORITY_SITEMAP) for u in discovery.guessed_feed_urls(SITE)],
    ]
    assert requests[1].callback == generic_spider.parse_robots
    assert requests[1].meta["dont_obey_robotstxt"] is True
    # a guess that is not there is counted, not recorded as a crawl error
    assert requests[2].errback == generic_spider.on_discovery_miss

    robots = XmlResponse(f"{SITE}/robots.txt", body=b"Sitemap: /sitemap.xml\nSitemap: /news.xml")
    assert [r.url for r in generic_spider.parse_robots(robots)] == [f"{SITE}/news.xml"]


def test_feed_entries_are_article_candidates_and_an_index_leads_to_sitemaps(generic_spider):
    CrawlState.of(generic_spider.crawler).skip_urls.add(f"{SITE}/tin-tuc/le-hoi-2.html")
    news = XmlResponse(f"{SITE}/news.xml", body=NEWS_SITEMAP)
    assert [(r.url, r.priority, r.callback) for r in generic_spider.parse_feed(news)] == [
        (f"{SITE}/tin-tuc/hop-bao-1.html", discovery.PRIORITY_ARTICLE, generic_spider.parse)]
    index = XmlResponse(f"{SITE}/sitemap.xml", body=SITEMAP_INDEX)
    requests = list(generic_spider.parse_feed(index))
    assert [(r.url, r.callback) for r in requests] == [
        (f"{SITE}/sitemap-2025-01.xml", generic_spider.parse_feed),
        (f"{SITE}/sitemap-2025-02.xml.gz", generic_spider.parse_feed)]  # fmt: skip
    assert requests[1].meta["allow_binary"] is True  # gzip passes the HTML-only middleware
    rss = XmlResponse(f"{SITE}/rss", body=RSS)
    assert [r.url for r in generic_spider.parse_feed(rss)] == [
        f"{SITE}/tin-tuc/mot-1.html", f"{SITE}/tin-tuc/hai-2.html"]  # fmt: skip


def test_postback_pages_are_posted_once_each(generic_spider):
    url = f"{SITE}/DanhSach.aspx"
    first = response(url, f"<html><body>{gridview(1)}</body></html>")
    posts = [r for r in requests_of(generic_spider.parse(first)) if r.method == "POST"]
    # "Trang sau" and "2" lead to the same page 2: posted once
    assert [(parse_qs(r.body.decode())["__EVENTTARGET"][0], r.meta["postback_page"], r.priority)
            for r in posts] == [("ctl00$pager$btnNext", 2, discovery.PRIORITY_LISTING),
                                ("ctl00$gvTin", 3, discovery.PRIORITY_LISTING)]  # fmt: skip
    second = response(url, f"<html><body>{gridview(2, state='vs2')}</body></html>",
                      method="POST", postback_page=2)  # fmt: skip
    # page 2 links pages 1 and 3 and "next" (= 3): all already asked for
    assert [r for r in requests_of(generic_spider.parse(second)) if r.method == "POST"] == []


def test_incremental_crawls_stop_paginating_on_a_page_with_nothing_new(sample_spider):
    portal = "http://127.0.0.1:8765"
    state = CrawlState.of(sample_spider.crawler)
    state.stop_on_nothing_new = True
    state.skip_urls.update(f"{portal}/tin-tuc/bai-{k}.html" for k in range(1, 6))
    old = response(f"{portal}/chuyen-muc/xa-hoi/trang-2.html", f"<html><body>{TEASERS}"
                   '<a href="/chuyen-muc/xa-hoi/trang-3.html">Trang sau</a></body></html>')
    assert requests_of(sample_spider.parse(old)) == []
    postback = response(f"{portal}/chuyen-muc/xa-hoi/DanhSach.aspx", gridview(1))
    assert requests_of(sample_spider.parse(postback)) == []


# --- end to end: a postback-only site in generic mode ---------------------------------------
ARTICLES_PER_PAGE, LISTING_PAGES = 4, 4


def postback_site_page(path: str, form: dict) -> bytes | None:
    """A small ASP.NET-like portal: / is page 1 of a GridView of news; page N only by POST."""
    m = re.fullmatch(r"/ChiTietTinTuc\.aspx\?nid=(\d+)", path)
    if m:
        nid = int(m.group(1))
        if not 1 <= nid <= ARTICLES_PER_PAGE * LISTING_PAGES:
            return None
        paragraphs = "".join(
            f"<p>Sáng 0{1 + nid % 9}/03/2025, Ủy ban nhân dân tỉnh tổ chức hội nghị lần {nid}"
            f" bàn về phát triển kinh tế, xã hội của địa phương, đoạn {k}.</p>" for k in range(4))
        return (f"<html><head><title>Tin {nid}</title>"
                '<meta property="og:type" content="article"></head><body>'
                '<div class="menu"><a href="/">Trang chủ</a></div>'
                f"<h1>Hội nghị phát triển kinh tế lần thứ {nid}</h1>"
                f'<div class="date">Ngày 0{1 + nid % 9}/03/2025</div>'
                f'<div class="content">{paragraphs}</div></body></html>').encode()  # fmt: skip
    if path not in ("/", "/Default.aspx"):
        return None
    page = 1
    argument = form.get("__EVENTARGUMENT", "")
    if form.get("__EVENTTARGET") == "ctl00$gvTin" and argument.startswith("Page$"):
        page = int(argument.removeprefix("Page$"))
    elif form.get("__EVENTTARGET") == "ctl00$pager$btnNext":
        page = int(form.get("__VIEWSTATE", "p1").removeprefix("p")) + 1
    if not 1 <= page <= LISTING_PAGES:
        return None
    first = (page - 1) * ARTICLES_PER_PAGE + 1
    teasers = "".join(
        f'<h3><a href="ChiTietTinTuc.aspx?nid={n}">Hội nghị phát triển kinh tế lần thứ {n}</a></h3>'
        for n in range(first, first + ARTICLES_PER_PAGE))  # fmt: skip
    # the grid shows two page numbers around the current one, and "Trang sau"
    cells = "".join(
        f"<td><span>{k}</span></td>" if k == page else
        f"<td><a href=\"javascript:__doPostBack('ctl00$gvTin','Page${k}')\">{k}</a></td>"
        for k in range(max(1, page - 1), min(LISTING_PAGES, page + 1) + 1))  # fmt: skip
    if page < LISTING_PAGES:
        cells += ("<td><a href=\"javascript:__doPostBack('ctl00$pager$btnNext','')\">"
                  "Trang sau</a></td>")  # fmt: skip
    return (f'<html><head><title>Tin tức</title></head><body><form method="post" action="./">'
            '<input type="hidden" name="__EVENTTARGET" value="">'
            '<input type="hidden" name="__EVENTARGUMENT" value="">'
            f'<input type="hidden" name="__VIEWSTATE" value="p{page}">'
            f"<h1>Tin tức</h1>{teasers}<table><tr>{cells}</tr></table></form></body></html>"
            ).encode()  # fmt: skip


class PostbackSite(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.answer(postback_site_page(self.path, {}))

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(),
                                             keep_blank_values=True).items()}  # fmt: skip
        self.server.posts.append((form.get("__EVENTTARGET"), form.get("__EVENTARGUMENT")))
        self.answer(postback_site_page(self.path.replace("/./", "/"), form))

    def answer(self, body: bytes | None):
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow:\n", "text/plain"
        else:
            ctype = "text/html; charset=utf-8"
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


def asked_listing(path: str) -> str | None:
    """A section of 3 pages whose pages 2 and 3 only a form or a page list asks for."""
    match = re.fullmatch(r"/(tin-tuc|su-kien)(?:\?(?:page|trang)=(\d))?", path)
    if path == "/":
        return '<html><body><a href="/tin-tuc">Tin tức</a> <a href="/su-kien">Sự kiện</a>'
    if match:
        section, page = match.group(1), int(match.group(2) or 1)
        if page > 3:
            return None
        teasers = "".join(f'<h3><a href="/{section}/bai-{page}-{k}.html">Tỉnh tổ chức hội nghị '
                          f"số {k} trang {page} về chuyển đổi số</a></h3>" for k in (1, 2, 3))
        asking = (f'<form action="/tin-tuc">Đến trang <input type="number" name="page" '
                  f'value="{page}" max="3"><button>Đi</button></form>'
                  if section == "tin-tuc" else
                  "<select onchange=\"location.href='/su-kien?trang='+this.value\">"
                  + "".join(f'<option value="{n}">{n}</option>' for n in (1, 2, 3))
                  + "</select>")  # fmt: skip
        return f"<html><body><h1>{section}</h1>{teasers}{asking}</body></html>"
    if path.endswith(".html"):
        return (f"<html><head><title>Bài {path}</title></head><body><h1>Hội nghị {path}</h1>"
                + "<p>UBND tỉnh tổ chức hội nghị triển khai kế hoạch chuyển đổi số.</p>" * 8
                + "</body></html>")  # fmt: skip
    return None


@pytest.mark.e2e
def test_generic_mode_follows_the_pages_a_form_or_a_page_list_asks_for(tmp_path):
    """Before: the first page of each section only, 6 of 18 articles, and nothing said."""
    site = crawl_site(asked_listing, tmp_path)
    rows = query(site.db_path, "SELECT url FROM articles")
    stored = {r["url"].removeprefix(site.base) for r in rows}
    assert stored == {f"/{s}/bai-{p}-{k}.html" for s in ("tin-tuc", "su-kien")
                      for p in (1, 2, 3) for k in (1, 2, 3)}  # fmt: skip
    assert query(site.db_path, "SELECT url, error FROM crawl_errors") == []  # no page 4 asked


@pytest.mark.e2e
def test_generic_mode_follows_a_postback_pager_to_every_article(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PostbackSite)
    server.posts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db = tmp_path / "archive.db"
    try:
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db))
    finally:
        server.shutdown()
        server.server_close()
    stored = {r["url"] for r in query(db, "SELECT url FROM articles")}
    expected = {f"{base}/ChiTietTinTuc.aspx?nid={n}"
                for n in range(1, ARTICLES_PER_PAGE * LISTING_PAGES + 1)}  # fmt: skip
    assert expected <= stored, sorted(expected - stored)
    # each listing page 2..N posted back once, however many pager entries lead there
    assert len(server.posts) == LISTING_PAGES - 1, server.posts
