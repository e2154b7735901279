"""A long story split over pages (twelfth session's probe of a site doing so).

A provincial paper splits a long story over pages under it: ``<story>.html?trang=2``,
``<story>/?page=2``, "Trang: 1 2 3" under the text. Those URLs look like a listing's pager
(``LISTING_URL``), so the crawl recorded "listing URL (pager, search or tag page)" for them and
never extracted them: the text of parts 2..N was lost. A page number of a page the site links
as a headline is now extracted like any page; judged an article, it is stored as one, with
``part_of`` (the story's first page) and ``part`` (its number). A listing paged the same way
stays a listing: its page 2 is no article.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import crawl_site, query, run_tintuc, serve_pages
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.news import NewsSpider

TITLES = {
    1: "Tỉnh khởi công tuyến đường ven sông nối ba huyện phía tây",
    2: "Hành trình đưa nước sạch về các bản làng vùng biên giới",
    3: "Xã nông thôn mới nâng cao xây dựng thêm nhà văn hoá thôn",
    4: "Hội thi nấu ăn của phụ nữ các dân tộc trong huyện miền núi",
    5: "Trường tiểu học đón học sinh vào phòng học mới kiên cố",
    6: "Người dân góp đất mở rộng đường liên thôn dài hai cây số",
}
# the story split over pages: its URL, the form of its page N, its parts' own sentences
STORIES = {
    1: ("/tin/duong-ven-song-1.html", "{}?trang={}"),
    2: ("/phong-su/nuoc-sach-vung-bien/", "{}?page={}"),
}
PART_TEXT = {
    1: "Phần {}: đoạn tuyến thứ {} đi qua khu dân cư đông đúc, chủ đầu tư đã họp với từng hộ "
       "để thống nhất phương án bồi thường và bố trí tái định cư gần nơi ở cũ.",
    2: "Phần {}: ở bản thứ {}, các cán bộ biên phòng cùng thanh niên tình nguyện đào mương, "
       "kéo đường ống qua ba khe suối để đưa nước về bể chứa đầu bản cho bà con dùng.",
}
# two listings paged as the stories are: /tin-tuc/?trang=N and /thong-bao/?page=N
LISTINGS = {"/tin-tuc/": ("trang", (1, 3, 4), (5, 6)), "/thong-bao/": ("page", (2,), (6, 4))}


def page(title: str, main: str) -> bytes:
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            "</head><body><nav><a href='/'>Trang chủ</a> <a href='/tin-tuc/'>Tin tức</a> "
            f"<a href='/thong-bao/'>Thông báo</a></nav><main>{main}</main>"
            "<footer>Báo điện tử của tỉnh</footer></body></html>").encode()


def url_of(n: int) -> str:
    return STORIES[n][0] if n in STORIES else f"/tin/bai-{n}.html"


def article(n: int, part: int = 1, stories: dict = STORIES) -> bytes | None:
    title = TITLES[n]
    if n in stories:  # three pages, each with its own text and the pager under it
        if not 1 <= part <= 3:
            return None
        url, form = stories[n]
        pager = " ".join(f"<b>{k}</b>" if k == part else
                         f"<a href='{url if k == 1 else form.format(url, k)}'>{k}</a>"
                         for k in (1, 2, 3))  # fmt: skip
        body = "".join(f"<p>{PART_TEXT[n].format(part, part * 10 + k)}</p>" for k in (1, 2))
        return page(title, f"<h1>{title}</h1><p class='date'>20/11/2026 07:{n:02d}</p>{body}"
                           f"<div class='paging'>Trang: {pager}</div>")
    if part != 1:
        return None
    return page(title, (
        f"<h1>{title}</h1><p class='date'>21/11/2026 09:{n:02d}</p>"
        f"<p>Sáng 21/11, {title.lower()} trước sự chứng kiến của đông đảo người dân. Công "
        "việc đã được chuẩn bị trong nhiều tháng với sự tham gia của các ngành.</p>"
        f"<p>Theo lãnh đạo địa phương, cách làm này phù hợp với điều kiện của vùng số {n}, "
        "góp phần nâng cao đời sống vật chất và tinh thần của bà con.</p>"))


def listing(path: str, number: int) -> bytes | None:
    param, *pages = LISTINGS[path]
    if not 1 <= number <= len(pages):
        return None
    teasers = "".join(f"<h3><a href='{url_of(n)}'>{TITLES[n]}</a></h3><p>Tóm tắt tin số {n} "
                      "về hoạt động của địa phương trong tuần.</p>" for n in pages[number - 1])
    pager = " ".join(f"<b>{k}</b>" if k == number else
                     f"<a href='{path if k == 1 else f'{path}?{param}={k}'}'>{k}</a>"
                     for k in range(1, len(pages) + 1))  # fmt: skip
    return page("Tin tức", f"<h2>Danh sách tin</h2>{teasers}<div class='paging'>{pager}</div>")


def split_stories(path: str) -> bytes | None:
    parts = urlsplit(path)
    params = dict(parse_qsl(parts.query))
    number = int(params.get("trang") or params.get("page") or 1)
    if parts.path == "/":
        return page("Trang chủ", "".join(
            f"<h3><a href='{path}'>{'Tin tức' if 'tin' in path else 'Thông báo'}</a></h3>"
            for path in LISTINGS))
    if parts.path in LISTINGS:
        return listing(parts.path, number)
    found = [n for n in TITLES if url_of(n) == parts.path]
    return article(found[0], number) if found else None


@pytest.fixture(scope="module")
def split_crawl(tmp_path_factory):
    crawl = crawl_site(split_stories, tmp_path_factory.mktemp("parts"))
    return crawl.base, crawl.db_path


@pytest.mark.e2e
def test_every_part_of_a_split_story_is_stored(split_crawl):
    base, db_path = split_crawl
    rows = query(db_path, "SELECT url, text, part_of, part FROM articles "
                          "WHERE part_of IS NOT NULL ORDER BY url")  # fmt: skip
    assert [(r["url"][len(base):], r["part_of"][len(base):], r["part"]) for r in rows] == [
        ("/phong-su/nuoc-sach-vung-bien/?page=2", "/phong-su/nuoc-sach-vung-bien/", 2),
        ("/phong-su/nuoc-sach-vung-bien/?page=3", "/phong-su/nuoc-sach-vung-bien/", 3),
        ("/tin/duong-ven-song-1.html?trang=2", "/tin/duong-ven-song-1.html", 2),
        ("/tin/duong-ven-song-1.html?trang=3", "/tin/duong-ven-song-1.html", 3),
    ]
    texts = {r["url"][len(base):]: r["text"] for r in rows}
    assert "Phần 2: đoạn tuyến thứ 21" in texts["/tin/duong-ven-song-1.html?trang=2"]
    assert "Phần 3: ở bản thứ 32" in texts["/phong-su/nuoc-sach-vung-bien/?page=3"]
    assert "Phần 1" not in "".join(texts.values())
    first = query(db_path, "SELECT text, part_of FROM articles WHERE url = ?",
                  [base + "/tin/duong-ven-song-1.html"])  # fmt: skip
    assert "Phần 1: đoạn tuyến thứ 11" in first[0]["text"] and first[0]["part_of"] is None


@pytest.mark.e2e
def test_a_listing_paged_the_same_way_stays_a_listing(split_crawl):
    base, db_path = split_crawl
    assert sorted(r["title"] for r in query(db_path, "SELECT title FROM articles "
                  "WHERE part_of IS NULL")) == sorted(TITLES.values())  # fmt: skip
    pages = {r["url"][len(base):]: r["page_kind"] for r in query(
        db_path, "SELECT url, page_kind FROM captures WHERE url LIKE '%=2'")}
    assert pages["/tin-tuc/?trang=2"] == "listing"
    assert pages["/thong-bao/?page=2"] == "listing"
    assert pages["/tin/duong-ven-song-1.html?trang=2"] == "article"


def test_a_page_number_of_a_headline_link_is_a_story_part():
    crawler = get_crawler(NewsSpider, {"TINTUC_TRAP_STREAK": 2})
    spider = crawler.spider = NewsSpider.from_crawler(crawler, start_url="http://x.test/")
    spider.teaser_urls.update(["http://x.test/tin/a-1.html", "http://x.test/phong-su/b/"])
    assert spider.story_part("http://x.test/tin/a-1.html?trang=2") == (
        "http://x.test/tin/a-1.html", 2)
    assert spider.story_part("http://x.test/phong-su/b/?page=3") == ("http://x.test/phong-su/b/", 3)
    assert spider.story_part("http://x.test/tin-tuc/?trang=2") is None  # a section: no headline
    assert spider.story_part("http://x.test/tin/a-1.html") is None
    # a paged WordPress post (<!--nextpage-->): its permalink, a bare page number after it
    spider.teaser_urls.add("http://x.test/2025/11/c/")
    assert spider.story_part("http://x.test/2025/11/c/2/") == ("http://x.test/2025/11/c/", 2)
    assert spider.story_part("http://x.test/2025/11/") is None  # a month's archive: no story
    # a first page only a sitemap names
    assert spider.story_part("http://x.test/tin/d.html?trang=2") is None
    spider.feed_urls.add("http://x.test/tin/d.html")
    assert spider.story_part("http://x.test/tin/d.html?trang=2") == ("http://x.test/tin/d.html", 2)
    # its pager's link to page 1 is the first page again (not extracted, not a listing)
    assert spider.story_part("http://x.test/tin/a-1.html?trang=1") == (
        "http://x.test/tin/a-1.html", 1)
    # a site of many split stories: their later pages show no new headline, and are no trap
    for n in (2, 3, 4):
        url = f"http://x.test/tin/a-1.html?trang={n}"
        response = HtmlResponse(url, body=article(1, 2), encoding="utf-8", request=Request(url))
        assert list(spider.count_fruitless(response, [])) == []
    assert not spider.trap_shapes


# two stories named only by the sitemap (the home page is drawn by a script): their later pages
# as ?trang=N and as WordPress' <story>/N/
SITEMAP_STORIES = {1: ("/tin/duong-ven-song-1.html", "{}?trang={}"),
                   2: ("/2025/11/nuoc-sach-vung-bien/", "{}{}/")}


def sitemap_site(path: str):
    if path == "/":
        return page("Trang chủ", "<div id='app'></div><script>render('#app')</script>")
    if path == "/sitemap.xml":
        entries = "".join(f"<url><loc>{url}</loc></url>" for url, _ in SITEMAP_STORIES.values())
        return (200, {"Content-Type": "application/xml"}, "<?xml version='1.0'?><urlset xmlns="
                f"'http://www.sitemaps.org/schemas/sitemap/0.9'>{entries}</urlset>")
    for n, (url, form) in SITEMAP_STORIES.items():
        for part in (1, 2, 3):
            if path == (url if part == 1 else form.format(url, part)):
                return article(n, part, SITEMAP_STORIES)
    return None


@pytest.mark.e2e
def test_a_story_only_a_sitemap_names_keeps_its_later_pages(tmp_path):
    """Before: its ?trang=N pages were recorded "listing URL" (lost), its /N/ pages stored as
    articles of their own."""
    with serve_pages(sitemap_site) as (base, _):
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(tmp_path / "archive.db"))
    rows = query(tmp_path / "archive.db", "SELECT url, part_of, part FROM articles ORDER BY url")
    assert [(r["url"][len(base):], (r["part_of"] or "")[len(base):], r["part"])
            for r in rows] == [  # fmt: skip
        ("/2025/11/nuoc-sach-vung-bien/", "", None),
        ("/2025/11/nuoc-sach-vung-bien/2/", "/2025/11/nuoc-sach-vung-bien/", 2),
        ("/2025/11/nuoc-sach-vung-bien/3/", "/2025/11/nuoc-sach-vung-bien/", 3),
        ("/tin/duong-ven-song-1.html", "", None),
        ("/tin/duong-ven-song-1.html?trang=2", "/tin/duong-ven-song-1.html", 2),
        ("/tin/duong-ven-song-1.html?trang=3", "/tin/duong-ven-song-1.html", 3),
    ]


# the same site registered with a profile: its article patterns name each story's first page
# only (a crawl by profile followed no ``?trang=2``, ``?page=2`` link: parts 2..N were lost)
SPLIT_SITE_TOML = """\
[sites.tach]
name = "Báo Thử Tách Trang"
province = "Quảng Ninh"
kind = "newspaper"
start_urls = ["{base}/"]
article_patterns = ['/tin/[a-z0-9-]+\\.html$', '/phong-su/[a-z0-9-]+/$']
listing_patterns = ['^https?://[^/]+/$', '/tin-tuc/', '/thong-bao/']
checked_live = false
politeness = {{ download_delay = 0, concurrency = 8, autothrottle = false }}
"""


@pytest.mark.e2e
def test_a_crawl_by_profile_keeps_the_later_pages_its_article_patterns_leave_out(tmp_path):
    db_path, sites = tmp_path / "archive.db", tmp_path / "sites.toml"
    with serve_pages(split_stories) as (base, _):
        sites.write_text(SPLIT_SITE_TOML.format(base=base), encoding="utf-8")
        run_tintuc("crawl", "tach", "--sites", str(sites), "--db", str(db_path))
    rows = query(db_path, "SELECT url, part_of, part FROM articles ORDER BY url")
    parts = [(r["url"][len(base):], r["part_of"][len(base):], r["part"]) for r in rows
             if r["part_of"]]
    assert parts == [
        ("/phong-su/nuoc-sach-vung-bien/?page=2", "/phong-su/nuoc-sach-vung-bien/", 2),
        ("/phong-su/nuoc-sach-vung-bien/?page=3", "/phong-su/nuoc-sach-vung-bien/", 3),
        ("/tin/duong-ven-song-1.html?trang=2", "/tin/duong-ven-song-1.html", 2),
        ("/tin/duong-ven-song-1.html?trang=3", "/tin/duong-ven-song-1.html", 3),
    ]
    # the listings paged the same way are no story: nothing of theirs is stored as a part
    assert len(rows) == len(TITLES) + 4
