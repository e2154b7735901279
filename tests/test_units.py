"""Cheap unit tests of the crawl's parts and the CLI, in this process: no crawl, no server.

Scrapy components are built on a crawler from ``scrapy.utils.test`` and fed ``HtmlResponse``
objects; CLI commands run through click's ``CliRunner``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import port_in_use
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Headers, HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler, get_reactor_settings

from crawler.items import FetchedPage, FetchError, PageDecision, PageGone
from crawler.middlewares import HtmlOnlyMiddleware
from crawler.sites import get_site
from crawler.spiders.news import NewsSpider
from crawler.state import CrawlState
from pipelines.archive.schema import open_archive
from pipelines.archive.store import (
    finish_crawl,
    record_error,
    save_articles,
    save_site,
    start_crawl,
)
from tintuc.cli import main
from tintuc.crawl import summary_lines
from tintuc.plural import plural

PORTAL = "http://127.0.0.1:8765"  # the sample profile's own start URL: nothing is fetched
SETTINGS = {"EXTENSIONS": {"crawler.state.CrawlState": 100}, "TINTUC_PROGRESS": False}


def html_response(url: str, body: str, status: int = 200, **headers) -> HtmlResponse:
    headers.setdefault("Content-Type", "text/html; charset=utf-8")
    return HtmlResponse(url, status=status, body=body.encode("utf-8"), headers=headers,
                        request=Request(url))  # fmt: skip


# --- HtmlOnlyMiddleware ---------------------------------------------------------------------


@pytest.fixture
def html_only():
    crawler = get_crawler(settings_dict=SETTINGS)
    return HtmlOnlyMiddleware.from_crawler(crawler), crawler.stats


def test_html_only_stops_a_binary_download_once_its_headers_arrive(html_only):
    middleware, _ = html_only
    page, pdf = Request(f"{PORTAL}/a.html"), Headers({"Content-Type": "application/pdf"})
    with pytest.raises(StopDownload):
        middleware.headers_received(pdf, 1000, page, None)
    html = Headers({"Content-Type": "text/html; charset=utf-8"})
    assert middleware.headers_received(html, 10, page, None) is None
    allowed = Request(f"{PORTAL}/a.pdf", meta={"allow_binary": True})
    assert middleware.headers_received(pdf, 1000, allowed, None) is None


def test_html_only_refuses_binaries_by_type_and_by_magic_bytes(html_only):
    middleware, stats = html_only
    url = f"{PORTAL}/tin-tuc/bai-1.html"
    typed = Response(url, body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    with pytest.raises(IgnoreRequest, match=r"^not an HTML page \(Content-Type: application/pdf"):
        middleware.process_response(Request(url), typed)
    disguised = Response(url, body=b"%PDF-1.7\n...", headers={"Content-Type": "text/html"})
    with pytest.raises(IgnoreRequest, match="PDF document served as Content-Type: text/html"):
        middleware.process_response(Request(url), disguised)
    assert stats.get_value("tintuc/not_html") == 2


def test_html_only_lets_pages_errors_and_utf16_through(html_only):
    middleware, stats = html_only
    url = f"{PORTAL}/tin-tuc/bai-1.html"
    page = html_response(url, "<html><body><p>Tin</p></body></html>")
    assert middleware.process_response(Request(url), page) is page
    utf16 = Response(url, body="<p>Tin</p>".encode("utf-16"), headers={"Content-Type": "text/html"})
    assert middleware.process_response(Request(url), utf16) is utf16
    error_page = Response(url, status=404, body=b"\x00\x00\x00",
                          headers={"Content-Type": "application/octet-stream"})  # fmt: skip
    assert middleware.process_response(Request(url), error_page) is error_page
    assert stats.get_value("tintuc/not_html") is None


# --- the spider: classification and links ---------------------------------------------------


def built_spider(**spider_args) -> NewsSpider:
    """A NewsSpider made in ``Crawler.crawl()``'s order: the spider first (its from_crawler sets
    the profile's politeness), then the settings applied and frozen (stats, the CrawlState
    extension). ``get_crawler()`` freezes the settings before any spider exists, so this does
    what it does in the other order; nothing starts an engine or a reactor."""
    runner = AsyncCrawlerRunner({**get_reactor_settings(), **SETTINGS})
    crawler = runner.create_crawler(NewsSpider)
    crawler.spider = NewsSpider.from_crawler(crawler, **spider_args)
    crawler._apply_settings()  # the last step of get_crawler()
    return crawler.spider


@pytest.fixture
def sample_spider() -> NewsSpider:
    return built_spider(site="sample")


def test_the_sample_profile_classifies_links(sample_spider):
    kinds = {
        f"{PORTAL}/tin-tuc/ha-long-don-khach-12.html": "article",
        f"{PORTAL}/Trang/ChiTietTinTuc/34.html": "article",
        f"{PORTAL}/": "listing",
        f"{PORTAL}/chuyen-muc/kinh-te/": "listing",
        f"{PORTAL}/chuyen-muc/kinh-te/trang-2.html": "listing",
        f"{PORTAL}/gioi-thieu.html": None,  # neither pattern: not followed
        f"{PORTAL}/tin-tuc/anh-12.jpg": None,
        f"{PORTAL}/files/bao-cao-12.pdf?v=2": None,
        "mailto:toasoan@example.vn": None,
    }
    assert {url: sample_spider.link_kind(url) for url in kinds} == kinds
    assert sample_spider.allowed_domains == ["127.0.0.1:8765"]  # another port is another site


def test_an_article_page_is_handed_on_and_its_links_followed_articles_first(sample_spider):
    url = f"{PORTAL}/tin-tuc/ha-long-don-khach-12.html"
    body = ('<html><body><a href="/chuyen-muc/kinh-te/">Kinh tế</a>'
            '<a href="../tin-tuc/cau-bai-chay-13.html">Cầu Bãi Cháy</a>'
            '<a href="/tin-tuc/cau-bai-chay-13.html#top">Cầu Bãi Cháy</a>'
            '<a href="/anh/cau.png">ảnh</a><a href="https://example.vn/tin-tuc/x-1.html">ngoài</a>'
            '<a href="/tin-tuc/da-luu-14.html">Đã lưu</a></body></html>')  # fmt: skip
    CrawlState.of(sample_spider.crawler).skip_urls.add(f"{PORTAL}/tin-tuc/da-luu-14.html")
    page, *requests = sample_spider.parse(html_response(url, body))
    assert isinstance(page, FetchedPage)
    assert (page.url, page.requested_url, page.site, page.charset) == (url, url, "sample", "utf-8")
    assert page.body == body.encode("utf-8")
    # the offsite article is requested too: Scrapy's offsite middleware drops it, not the spider
    assert [r.url for r in requests] == [f"{PORTAL}/tin-tuc/cau-bai-chay-13.html",
                                         "https://example.vn/tin-tuc/x-1.html",
                                         f"{PORTAL}/chuyen-muc/kinh-te/"]  # fmt: skip
    assert sample_spider.crawler.stats.get_value("tintuc/skipped_known") == 1


def test_links_are_requested_once_per_crawl(sample_spider):
    listing = html_response(f"{PORTAL}/chuyen-muc/kinh-te/",
                            '<a href="/tin-tuc/a-1.html">A</a><a href="/tin-tuc/b-2.html">B</a>')
    first = [r.url for r in sample_spider.parse(listing) if isinstance(r, Request)]
    assert first == [f"{PORTAL}/tin-tuc/a-1.html", f"{PORTAL}/tin-tuc/b-2.html"]
    assert [r for r in sample_spider.parse(listing) if isinstance(r, Request)] == []


def test_an_article_url_redirected_to_the_home_page_is_gone(sample_spider):
    gone = f"{PORTAL}/tin-tuc/da-go-15.html"
    home = html_response(f"{PORTAL}/", "<html><body>Trang chủ</body></html>")
    home.request.meta["redirect_urls"] = [gone]
    not_article = "URL does not match the site's article patterns"
    assert list(sample_spider.parse(home)) == [
        PageDecision(f"{PORTAL}/", None, "listing", not_article),
        PageGone(gone, f"redirected to {PORTAL}/")]  # fmt: skip


def test_an_article_url_redirected_to_another_article_is_gone_from_its_old_url(sample_spider):
    old, new = f"{PORTAL}/tin-tuc/ten-cu-16.html", f"{PORTAL}/tin-tuc/ten-moi-16.html"
    moved = html_response(new, "<html><body><h1>Tin</h1><p>Một câu.</p></body></html>")
    moved.request.meta["redirect_urls"] = [old]
    page, gone = list(sample_spider.parse(moved))[:2]
    assert isinstance(page, FetchedPage) and (page.url, page.requested_url) == (new, old)
    assert gone == PageGone(old, f"redirected to {new}")


def test_generic_mode_fetches_no_stored_article_again_whatever_links_to_it():
    """A listing whose titles are not links, only a short "Xem tiếp" is: a stored article
    behind it is skipped (it was fetched again on every incremental crawl), a new one not."""
    spider = built_spider(start_url="https://xa.example.vn/")
    stored, new = "https://xa.example.vn/tin/bai-1.html", "https://xa.example.vn/tin/bai-2.html"
    CrawlState.of(spider.crawler).skip_urls.add(stored)
    body = ("<html><body><h1>Tin tức</h1><p>Họp dân</p><a href='/tin/bai-1.html'>Xem tiếp</a>"
            "<p>Làm đường</p><a href='/tin/bai-2.html'>Xem tiếp</a></body></html>")
    listing = html_response("https://xa.example.vn/tin-tuc.html", body)
    listing.request.meta["start"] = True
    requested = [r.url for r in spider.parse(listing) if isinstance(r, Request)]
    assert new in requested and stored not in requested
    assert spider.crawler.stats.get_value("tintuc/skipped_known") == 1


def test_a_binary_response_becomes_an_error_item(sample_spider):
    url = f"{PORTAL}/tin-tuc/bai-1.html"
    response = Response(url, status=200, body=b"\x89PNG", headers={"Content-Type": "image/png"})
    assert list(sample_spider.parse(response)) == [
        FetchError(url, "not an HTML page (Content-Type: image/png)", 200)]


def test_without_url_patterns_every_page_goes_to_the_worker_but_listing_urls():
    """Generic mode: the spider builds no DOM; pages go to the extraction worker, which
    decides by structure, except pages that are listings (or the home page) by their URL."""
    spider = built_spider(start_url="https://baomoi.example.vn/")
    body = "<html><body><h1>Tin</h1><p>04/03/2025</p><p>Một câu.</p></body></html>"
    sent = {"https://baomoi.example.vn/tinh-hop-ban.html", "https://baomoi.example.vn/gioi-thieu"}
    listings = {"https://baomoi.example.vn/thoi-su/trang-2.html",
                "https://baomoi.example.vn/tin-tuc?page=3",
                "https://baomoi.example.vn/tim-kiem?q=bao",
                "https://baomoi.example.vn/tag/giao-thong"}  # fmt: skip
    for url in sent:
        page = next(spider.parse(html_response(url, body)))
        assert isinstance(page, FetchedPage) and page.hints == {}, url
    for url in listings:
        decision = next(spider.parse(html_response(url, body)))
        assert isinstance(decision, PageDecision) and decision.kind == "listing", url
    home = next(spider.parse(html_response("https://baomoi.example.vn/", body)))
    assert (home.kind, home.reason) == ("other", "home page of the site")
    assert spider.profile.kind == "generic" and spider.allowed_domains == ["baomoi.example.vn"]


def test_a_url_linked_from_a_heading_is_hinted_as_a_teaser():
    spider = built_spider(start_url="https://baomoi.example.vn/")
    listing = ('<html><body><h1>Thời sự</h1><h3 class="t"> <a href="/tin-a-12.html">Tin A</a>'
               '</h3><p><a href="/tin-b-13.html">Tin B</a></p></body></html>')  # fmt: skip
    list(spider.parse(html_response("https://baomoi.example.vn/thoi-su", listing)))
    body = "<html><body><h1>Tin</h1></body></html>"
    hinted = next(spider.parse(html_response("https://baomoi.example.vn/tin-a-12.html", body)))
    plain = next(spider.parse(html_response("https://baomoi.example.vn/tin-b-13.html", body)))
    assert (hinted.hints, plain.hints) == ({"teaser_url": True}, {})


# --- the CLI through CliRunner --------------------------------------------------------------


def test_sites_lists_the_bundled_registry_and_a_users_file(tmp_path):
    result = CliRunner().invoke(main, ["sites"])
    assert result.exit_code == 0, result.output
    sample = next(line for line in result.output.splitlines() if line.startswith("sample "))
    assert sample.split()[:3] == ["sample", "portal", "Quảng"]
    assert "not yet checked" not in sample
    mine = tmp_path / "sites.toml"
    mine.write_text("[sites.moi]\nname = 'Báo Mới'\nprovince = 'Huế'\nkind = 'newspaper'\n"
                    "start_urls = ['https://moi.example.vn/']\n", encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["sites", "--sites", str(mine)])
    assert result.exit_code == 0, result.output
    moi = next(line for line in result.output.splitlines() if line.startswith("moi "))
    assert moi.split()[:4] == ["moi", "newspaper", "Huế", "Báo"]
    assert moi.endswith("(not yet checked against live pages)")


def test_sites_with_a_broken_file_is_one_error_line(tmp_path):
    broken = tmp_path / "sites.toml"
    broken.write_text("[sites.x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sites", "--sites", str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_status_shows_each_site_with_its_last_crawl(tmp_path):
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    save_site(db, get_site("sample"))
    save_site(db, get_site("quangninh-portal"))
    finish_crawl(db, start_crawl(db, "sample"), "failed", pages=1)
    crawl_id = start_crawl(db, "sample")
    save_articles(db, [{"url": f"{PORTAL}/tin-tuc/a-1.html", "site": "sample", "title": "A",
                        "text": "Một bài."}])  # fmt: skip
    # an edited article is what an archivist looks for: it was not in the line
    finish_crawl(db, crawl_id, "finished", pages=3, articles_new=1, articles_changed=2, errors=0)
    started = db["crawls"].get(crawl_id)["started"]
    db.close()
    result = CliRunner().invoke(main, ["status", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{'quangninh-portal':20} {0:7} articles (0 removed)  never crawled",
        f"{'sample':20} {1:7} article  (0 removed)  "
        f"crawl {crawl_id} finished {started}: 3 pages, 1 new, 2 changed, 0 errors",
    ]


def test_counts_of_one_are_singular(tmp_path):
    assert [plural(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert [plural(n, "story", "stories") for n in (1, 3)] == ["1 story", "3 stories"]
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    save_site(db, get_site("sample"))
    crawl_id = start_crawl(db, "sample")
    save_articles(db, [{"url": f"{PORTAL}/tin-tuc/a-1.html", "site": "sample", "title": "A",
                        "text": "Một bài."}])  # fmt: skip
    record_error(db, crawl_id, f"{PORTAL}/tin-tuc/b-2.html", "HTTP 404", 404)
    finish_crawl(db, crawl_id, "finished", pages=1, articles_new=1, errors=1, pages_skipped=1,
                 pages_article=1, pages_listing=1, pages_other=1)  # fmt: skip
    db.close()
    assert summary_lines(str(db_path), crawl_id) == [
        f"crawl {crawl_id} of sample: finished; 1 page fetched, 1 new, 0 changed, 0 unchanged "
        f"article, 1 error, 1 stored article skipped; 1 article of this site in {db_path}",
        "  pages judged: 1 article, 1 listing, 1 other",
        f"  error: {PORTAL}/tin-tuc/b-2.html: HTTP 404",
    ]
    exported = CliRunner().invoke(main, ["export", "--db", str(db_path)])
    assert exported.exit_code == 0 and exported.stderr == "1 article exported\n"


def test_serve_on_a_busy_port_says_so_before_starting(tmp_path, monkeypatch):
    from datasette.cli import cli as datasette_cli

    from tintuc.web import WRITE_ENV

    started = []
    monkeypatch.setattr(datasette_cli, "main", lambda **kwargs: started.append(kwargs))
    monkeypatch.delenv(WRITE_ENV, raising=False)  # serve sets it: put back after the test
    open_archive(tmp_path / "archive.db").close()
    with port_in_use() as port:
        result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "archive.db"),
                                           "--port", str(port)])  # fmt: skip
    assert (result.exit_code, result.output) == (1, (
        f"Error: cannot listen on 127.0.0.1:{port}: address already in use; "
        "choose another port with --port\n"
    ))  # fmt: skip
    assert started == []
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "archive.db"),
                                       "--port", str(port)])  # fmt: skip
    assert result.exit_code == 0 and started  # free again: Datasette is started


ARTICLE_PAGE = (
    "<html lang='vi'><head><meta charset='utf-8'><title>Sở Nội vụ tổng kết năm 2025</title>"
    "</head><body><div class='news-detail'><h1>Sở Nội vụ tổng kết năm 2025</h1>"
    "<p>24/12/2025 09:30</p><p>Sáng 24/12, Sở Nội vụ tổ chức hội nghị tổng kết công tác năm "
    "2025 và triển khai nhiệm vụ năm 2026, với sự tham dự của lãnh đạo các phòng.</p>"
    "<p>Hội nghị đánh giá kết quả cải cách hành chính và đề ra nhiệm vụ trọng tâm.</p>"
    "</div></body></html>"
)


def test_extract_exits_1_when_the_page_is_not_an_article(tmp_path):
    url = "https://snv.example.gov.vn/tin-tuc/tong-ket-2025-123.html"
    article, scrap = tmp_path / "article.html", tmp_path / "scrap.html"
    article.write_text(ARTICLE_PAGE, encoding="utf-8")
    scrap.write_text("<p>x</p>", encoding="utf-8")
    ok = CliRunner().invoke(main, ["extract", str(article), "--url", url])
    assert ok.exit_code == 0 and ok.stderr == "", ok.output
    assert json.loads(ok.stdout)["page_kind"] == "article"
    judged = CliRunner().invoke(main, ["extract", str(scrap), "--url", url])
    assert judged.exit_code == 1
    assert json.loads(judged.stdout)["page_kind"] == "other"  # the JSON all the same
    assert judged.stderr == (f"Error: {scrap}: judged other, not an article (no headline): a "
                             "crawl would record this page, not store it\n")  # fmt: skip


def test_status_without_an_archive_says_so(tmp_path):
    result = CliRunner().invoke(main, ["status", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.output == f"Error: no archive at {tmp_path / 'none.db'}\n"
