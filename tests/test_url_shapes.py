"""URL shapes learned during a crawl (crawler/url_shapes.py) and the spider's hook that passes
them to the extraction worker as hints."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_reactor_settings

from crawler.items import FetchedPage, PageDecision
from crawler.spiders.news import NewsSpider
from crawler.url_shapes import (
    MIN_EXAMPLES,
    ItemParts,
    ShapeBook,
    segment_shape,
    shape_of,
    url_parts,
)

SITE = "https://tinh.example.vn"


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("/tin-tuc/ha-long-don-khach-quoc-te-2025120412.html", "/tin-tuc/<slug>-<n>.html"),
        ("/Trang/ChiTietTinTuc.aspx?nid=5054", "/Trang/ChiTietTinTuc.aspx?nid=<n>"),
        ("/bai-viet/ha-long-don-khach-quoc-te.html", "/bai-viet/<slug>.html"),
        ("/news/2025/12/ha-long-don-khach-001.htm", "/news/<n>/<n>/<slug>-<n>.htm"),
        ("/thong-bao/121-lich-tiep-cong-dan.html", "/thong-bao/<n>-<slug>.html"),
        ("/video/dien-tap-khu-vuc-v30169.html", "/video/<slug><n>.html"),
        ("/tin/cam-pha-so2.html", "/tin/<slug><n>.html"),
        # sections and the site's own pages keep their names: one page each, not items
        ("/chuyen-muc/kinh-te.html?page=2", "/chuyen-muc/kinh-te.html?page=<n>"),
        ("/thong-bao/page/2/", "/thong-bao/page/<n>/"),
        ("/gioi-thieu.html", "/gioi-thieu.html"),
        ("/trang-2", "/trang-<n>"),
        ("/tim-kiem.html?q=ha+long&page=3", "/tim-kiem.html?page=<n>&q=<s>"),
        ("/", "/"),
        ("", "/"),
    ],
)
def test_shapes_abstract_what_varies_from_item_to_item(url, shape):
    assert shape_of(SITE + url) == shape


def test_an_unreadable_url_has_no_shape():
    assert shape_of("http://[::1/x") == ""


SLUG_WORD = st.text("abcdeghiklmnopqrstuvxy", min_size=1, max_size=8)


@given(st.lists(SLUG_WORD, min_size=3, max_size=12), st.integers(0, 10**12))
def test_every_headline_slug_with_an_id_has_one_shape(words, number):
    assert segment_shape(f"{'-'.join(words)}-{number}.html", last=True) == "<slug>-<n>.html"


@given(st.lists(SLUG_WORD, min_size=1, max_size=2))
def test_a_short_name_stays_itself(words):
    name = "-".join(words)
    assert segment_shape(name + ".html", last=True) == name + ".html"


@given(st.text(max_size=80))
def test_any_text_gets_a_shape_without_raising(path):
    assert isinstance(shape_of(f"{SITE}/{path}"), str)


def urls(shape: str, count: int) -> list[str]:
    return [SITE + shape.format(i) for i in range(count)]


def test_a_shape_counts_once_enough_teasers_have_it():
    book = ShapeBook()
    teasers = urls("/thoi-su/ha-long-don-khach-{}-2025.html", MIN_EXAMPLES)
    book.learn_teasers(teasers[:-1])
    book.learn_teasers(teasers[:1])  # the same link again adds nothing
    other = SITE + "/thoi-su/lang-nghe-mua-xuan-o-cam-pha-31.html"  # a sitemap entry, say
    assert book.article_shape(other) is None and book.hints(other) == {}
    book.learn_teasers(teasers[-1:])
    assert book.article_shape(other) == "/thoi-su/<slug>-<n>.html"
    assert book.hints(other) == {"article_shape": "/thoi-su/<slug>-<n>.html"}
    # another section's URLs, the site's own pages: no hint
    assert book.hints(SITE + "/kinh-te/gia-than-tang-manh-cuoi-nam-12.html") == {}
    assert book.hints(SITE + "/gioi-thieu.html") == {}


def test_pager_links_make_a_listing_shape():
    book = ShapeBook()
    book.learn_listings(urls("/chuyen-muc/kinh-te.html?page={}", 4))
    page_9 = SITE + "/chuyen-muc/kinh-te.html?page=9"
    assert book.hints(page_9) == {"listing_shape": "/chuyen-muc/kinh-te.html?page=<n>"}


def test_a_shape_seen_on_both_teasers_and_pagers_is_no_hint():
    book = ShapeBook()
    book.learn_teasers(urls("/tin/{}", MIN_EXAMPLES))
    book.learn_listings(urls("/tin/{}", MIN_EXAMPLES))
    assert book.hints(SITE + "/tin/99") == {}


def test_memory_stays_bounded_by_the_number_of_shapes():
    book = ShapeBook()
    book.learn_teasers(urls("/tin-tuc/mot-bai-bao-moi-{}.html", 5000))
    assert [len(v) for v in book.teasers.values()] == [MIN_EXAMPLES]


# --- the spider's hook ----------------------------------------------------------------------
def generic_spider() -> NewsSpider:
    settings = {**get_reactor_settings(), "EXTENSIONS": {"crawler.state.CrawlState": 100},
                "TINTUC_PROGRESS": False}  # fmt: skip
    crawler = AsyncCrawlerRunner(settings).create_crawler(NewsSpider)
    crawler.spider = NewsSpider.from_crawler(crawler, start_url=f"{SITE}/")
    crawler._apply_settings()
    return crawler.spider


def page(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8",
                        request=Request(url))  # fmt: skip


def hints_for(spider: NewsSpider, url: str) -> dict:
    body = "<h1>Một bài báo ngắn của chuyên mục</h1><p>Một câu.</p>"
    items = [i for i in spider.parse(page(url, body)) if isinstance(i, FetchedPage)]
    return items[0].hints


def test_the_spider_hints_the_learned_shapes_to_the_extraction_worker():
    spider = generic_spider()
    article = f"{SITE}/thoi-su/bai-cu-chi-co-trong-sitemap-17.html"  # reached by the sitemap
    assert hints_for(spider, article) == {}  # nothing learned yet
    teasers = "".join(f'<h3><a href="/thoi-su/tin-moi-so-{i}-cua-tinh-{i}.html">Tin {i}</a></h3>'
                      for i in range(MIN_EXAMPLES))  # fmt: skip
    pager = ('<div class="pager"><a href="/thoi-su/p2.html">2</a> '
             '<a href="/thoi-su/p3.html">3</a></div>')
    list(spider.parse(page(f"{SITE}/thoi-su/", teasers + pager)))
    assert hints_for(spider, article) == {"article_shape": "/thoi-su/<slug>-<n>.html"}
    teaser = f"{SITE}/thoi-su/tin-moi-so-0-cua-tinh-0.html"
    assert hints_for(spider, teaser) == {"teaser_url": True}  # the exact link says more
    # a pager page no URL rule knows, reached some other way: its shape says "listing"
    assert hints_for(spider, f"{SITE}/thoi-su/p9.html") == {"listing_shape": "/thoi-su/p<n>.html"}
    assert spider.crawler.stats.get_value("tintuc/shape_hints") == 2


def test_a_profile_with_article_patterns_learns_no_shapes():
    settings = {**get_reactor_settings(), "EXTENSIONS": {"crawler.state.CrawlState": 100},
                "TINTUC_PROGRESS": False}  # fmt: skip
    crawler = AsyncCrawlerRunner(settings).create_crawler(NewsSpider)
    spider = crawler.spider = NewsSpider.from_crawler(crawler, site="sample")
    crawler._apply_settings()
    teasers = "".join(f'<h3><a href="/tin-tuc/bai-{i}.html">Tin {i}</a></h3>' for i in range(5))
    list(spider.parse(page("http://127.0.0.1:8765/chuyen-muc/x/", teasers)))
    assert spider.shapes.teasers == {}


# --- which part of a URL names the item (ItemParts) -----------------------------------------
def test_the_parts_of_a_url_by_name():
    assert url_parts("/index.php?option=com_content&view=article&id=12:le-hoi&catid=3") == {
        "?option": "com_content", "?view": "article", "?id": "12", "?catid": "3"}
    assert url_parts("/tabid/57/ctl/Detail/mid/412/ItemID/380/Default.aspx") == {
        "/tabid": "57", "/mid": "412", "/itemid": "380"}
    assert url_parts("/tin-tuc/le-hoi-2025-so-12.html") == {"/#2": "12"}


JOOMLA = "/index.php?option=com_content&view=article"


def test_the_part_varying_between_teasers_names_the_item_the_repeated_ones_its_context():
    parts = ItemParts()
    parts.learn([f"{SITE}{JOOMLA}&id={n}&Itemid=120" for n in (11, 12, 13)])  # the home page
    assert parts.item_of(f"{SITE}{JOOMLA}&id=12:bai-12&catid=3&Itemid=101") == [("?id", "12")]
    assert parts.context == {"?option", "?view", "?itemid"}
    dnn = "/tabid/{}/ctl/Detail/mid/{}/ItemID/{}/Default.aspx"
    parts.learn([f"{SITE}{dnn.format(57, 412, n)}" for n in (5, 6, 7)])
    assert parts.item_of(f"{SITE}{dnn.format(36, 380, 6)}") == [("/itemid", "6")]


def test_a_page_showing_one_item_per_section_tells_nothing_until_a_section_does():
    parts = ItemParts()
    parts.learn([f"{SITE}/default.asp?newsid={n}&catid={c}" for n, c in ((7, 1), (8, 2), (9, 3))])
    assert parts.item_of(f"{SITE}/default.asp?newsid=7&catid=1") == []  # catid or newsid?
    parts.learn([f"{SITE}/default.asp?newsid={n}&catid=2" for n in (8, 10, 11)])
    assert parts.item_of(f"{SITE}/default.asp?newsid=7") == [("?newsid", "7")]


def test_tokens_and_too_few_links_name_no_item():
    parts = ItemParts()
    parts.learn([f"{SITE}/bai.aspx?ref=a{n}b" for n in range(5)])  # no number
    parts.learn([f"{SITE}/tin.aspx?id={n}" for n in range(MIN_EXAMPLES - 1)])
    assert parts.item_of(f"{SITE}/tin.aspx?id=1") == []


NOTICE_FOOTER = ("<footer>Cổng thông tin điện tử xã, cơ quan chủ quản Ủy ban nhân dân xã, địa chỉ "
                 "thôn Một, điện thoại 0203 3888 999, ghi rõ nguồn khi phát hành lại.</footer>")


def decisions(spider: NewsSpider, url: str, body: str) -> list[str]:
    response = HtmlResponse(url, body=f"<html><head><title>Cổng TTĐT xã</title></head><body>"
                            f"{body}{NOTICE_FOOTER}</body></html>".encode(), encoding="utf-8",
                            request=Request(url))  # fmt: skip
    return [i.reason for i in spider.parse(response) if isinstance(i, PageDecision)]


def test_one_item_in_two_contexts_is_one_page_two_items_alike_are_two():
    spider = generic_spider()
    listing = "".join(f'<h3><a href="{JOOMLA}&amp;id={n}:tb-{n}&amp;catid=4&amp;Itemid=104">'
                      f"Thông báo {n}</a></h3>" for n in (21, 22, 23))  # fmt: skip
    decisions(spider, f"{SITE}/index.php?option=com_content&view=category&id=4", listing)
    notice = "<h1>Thông báo {}</h1><p>Lịch tiếp công dân tuần này.</p>"
    assert decisions(spider, f"{SITE}{JOOMLA}&id=21:tb-21&catid=4&Itemid=104",
                     notice.format(21)) == []  # fmt: skip
    # another notice under the portal's one <title>, its text shorter than the footer: the
    # same fingerprint, the same section, another item
    assert decisions(spider, f"{SITE}{JOOMLA}&id=22:tb-22&catid=4&Itemid=104",
                     notice.format(22)) == []  # fmt: skip
    # notice 21 linked from the home page's menu item
    [reason] = decisions(spider, f"{SITE}{JOOMLA}&id=21&Itemid=120", notice.format(21))
    assert reason.startswith(f"the same page as {SITE}{JOOMLA}&id=21%3Atb-21&catid=4")


def test_one_number_in_two_modules_is_two_items():
    spider = generic_spider()
    for module in ("tintuc", "thongbao"):
        teasers = "".join(f'<h3><a href="/{module}.asp?id={n}">Tin {n}</a></h3>' for n in (5, 6, 7))
        decisions(spider, f"{SITE}/{module}.asp", teasers)
    notice = "<h1>Lịch tiếp công dân</h1><p>Xem văn bản đính kèm.</p>"
    assert decisions(spider, f"{SITE}/tintuc.asp?id=5", notice) == []
    assert decisions(spider, f"{SITE}/thongbao.asp?id=5", notice) == []  # its own numbering
    assert decisions(spider, f"{SITE}/tintuc.asp?id=5&catid=2", notice) != []
