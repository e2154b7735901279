"""Every fetched HTML page gets a recorded decision (captures.page_kind, page_reason), the log
names a page that is not an article in one line, and nothing is dumped.

In-process: the storage pipeline records decisions and counts. E2E: a generic crawl of the
sample portal, and of a small portal of short notices (one with only a PDF attached).
"""

from __future__ import annotations

import pytest
from conftest import Answer, query, run_tintuc, serve_pages
from scrapy.utils.test import get_crawler

from crawler.items import Article, PageAlias, PageDecision
from crawler.spiders.news import NewsSpider
from pipelines.archive.schema import open_archive
from pipelines.archive.store import record_page_decisions
from pipelines.store_pipeline import StoragePipeline
from tintuc.crawl import summary_lines
from tintuc.reextract import reextract

SITE = "http://notices.test"


def add_capture(db_path, url: str) -> int:
    db = open_archive(db_path)
    with db.conn:
        capture_id = db["captures"].insert({"url": url, "status": 200,
                                            "content_type": "text/html"}).last_pk  # fmt: skip
    db.close()
    return capture_id


def test_a_long_reason_is_cut_at_a_word_and_says_so(tmp_path):
    # cut at 200 characters mid-word, it read "… AMP view or the"
    db_path = tmp_path / "archive.db"
    capture_id = add_capture(db_path, f"{SITE}/a")
    reason = "the same page as " + SITE + "/b, its URL spelt another way " + "(letter case) " * 20
    db = open_archive(db_path)
    with db.conn:
        record_page_decisions(db, [(capture_id, "other", reason)])
    db.close()
    (row,) = query(db_path, "SELECT page_reason FROM captures")
    kept = row["page_reason"]
    assert len(kept) <= 200 and kept.endswith(" …")
    assert reason.startswith(kept.removesuffix(" …")) and kept.removesuffix(" …").endswith("case)")


def open_pipeline(db_path, batch_size: int) -> tuple:
    """A crawl's storage pipeline over ``db_path``, opened (its crawler, to close it with)."""
    crawler = get_crawler(NewsSpider, {
        "EXTENSIONS": {"crawler.state.CrawlState": 100}, "TINTUC_DB": str(db_path),
        "TINTUC_BATCH_SIZE": batch_size,
    })  # fmt: skip
    crawler.spider = NewsSpider.from_crawler(crawler, start_url=SITE + "/")
    pipeline = StoragePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return crawler, pipeline


def test_the_storage_pipeline_records_each_pages_decision_and_counts_them(tmp_path):
    db_path = tmp_path / "archive.db"
    crawler, pipeline = open_pipeline(db_path, batch_size=2)
    ids = {name: add_capture(db_path, f"{SITE}/{name}") for name in ("a", "b", "c", "d")}
    pipeline.process_item(PageDecision(f"{SITE}/a", ids["a"], "listing", "9 teaser headlines"))
    pipeline.process_item(PageDecision(f"{SITE}/b", ids["b"], "other", "no headline"))
    pipeline.process_item(Article(url=f"{SITE}/c", site="notices.test", fetched="2025-01-01",
                                  capture_id=ids["c"], title="C", text="Một câu.",
                                  page_reason="headline, dateline and 8 characters of text"))
    pipeline.process_item(PageDecision(f"{SITE}/d", None, "other", "capture off"))  # no row
    pipeline.close_spider()
    pipeline.on_spider_closed(crawler.spider, "finished")
    decided = {r["url"].rsplit("/", 1)[1]: (r["page_kind"], r["page_reason"])
               for r in query(db_path, "SELECT url, page_kind, page_reason FROM captures")}
    assert decided == {
        "a": ("listing", "9 teaser headlines"),
        "b": ("other", "no headline"),
        "c": ("article", "headline, dateline and 8 characters of text"),
        "d": (None, None),
    }
    (crawl,) = query(db_path, "SELECT pages_article, pages_listing, pages_other FROM crawls")
    assert crawl == {"pages_article": 1, "pages_listing": 1, "pages_other": 2}
    assert crawler.stats.get_value("tintuc/pages_other") == 2
    assert "  pages judged: 1 article, 1 listing, 2 other" in summary_lines(str(db_path), 1)


def test_an_alias_waits_for_its_article_only_until_its_address_is_judged_no_article(tmp_path):
    """A page the spider paired with another (PageDecision.alias_of, PageAlias) waits for an
    article at that address, flush after flush; once that address is judged no article in this
    crawl it waits no more (before, it was looked up at every flush until the crawl ended),
    and one whose address is to be fetched again (cut short) still gets its row."""
    db_path = tmp_path / "archive.db"
    crawler, pipeline = open_pipeline(db_path, batch_size=1)
    pipeline.process_item(PageDecision(f"{SITE}/a?in=1", None, "other", "spelling",
                                       alias_of=f"{SITE}/a"))  # fmt: skip
    pipeline.process_item(PageDecision(f"{SITE}/b?in=1", None, "other", "spelling",
                                       alias_of=f"{SITE}/b"))  # fmt: skip
    pipeline.process_item(PageDecision(f"{SITE}/b", None, "other", "cut short", final=False))
    pipeline.process_item(PageDecision(f"{SITE}/a", None, "other", "no headline"))
    pipeline.process_item(PageAlias(f"{SITE}/a?print", f"{SITE}/a", None))  # after: not kept
    pipeline.flush()
    assert [alias[0] for alias in pipeline.aliases] == [f"{SITE}/b?in=1"]
    pipeline.process_item(Article(url=f"{SITE}/b", site="notices.test", fetched="2025-01-01",
                                  title="B", text="Một câu."))  # fmt: skip
    pipeline.close_spider()
    assert pipeline.aliases == []
    assert [r["url"] for r in query(db_path, "SELECT url FROM article_aliases")] == [
        f"{SITE}/b?in=1"]


# --- e2e ------------------------------------------------------------------------------------
def html_page(title: str, main: str) -> bytes:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<nav><a href='/'>Trang chủ</a> <a href='/thong-bao/'>Thông báo</a> "
            "<a href='/gioi-thieu.html'>Giới thiệu</a></nav>"
            f"<main>{main}</main><footer>Sở Nội vụ tỉnh</footer></body></html>").encode()


NOTICES = {
    "/thong-bao/tb-101.html": html_page("Lịch họp", (
        "<h1>Thông báo lịch họp giao ban tháng 12 năm 2025</h1><p class='date'>01/12/2025</p>"
        "<p>Sở họp giao ban vào sáng thứ Hai hằng tuần.</p>")),
    "/thong-bao/tb-102.html": html_page("Quyết định", (
        "<h1>Quyết định ban hành quy chế làm việc của Sở năm 2026</h1><p>02/01/2026</p>"
        "<p><a href='/files/quyet-dinh-102.pdf'>Quyết định số 102/QĐ-SNV</a></p>")),
}
PAGES = {
    "/": html_page("Trang chủ", "".join(
        f"<h3><a href='{path}'>Tin số {n} của Sở Nội vụ tỉnh</a></h3>"
        for n, path in enumerate(NOTICES))),
    "/thong-bao/": html_page("Thông báo", "<h1>Thông báo</h1>" + "".join(
        f"<h3><a href='{path}'>Thông báo số {n} của Sở Nội vụ tỉnh</a></h3><p>0{n}/12/2025</p>"
        for n, path in enumerate(NOTICES, 1)) + "<a href='/thong-bao/?page=2'>Trang sau</a>"),
    "/thong-bao/?page=2": html_page("Thông báo", "<h1>Thông báo</h1><p>Hết.</p>"),
    "/gioi-thieu.html": html_page("Giới thiệu", (
        "<h1>Giới thiệu chung</h1>" + "<p>Ngày 30/10/1963, tỉnh được thành lập trên cơ sở "
        "hợp nhất hai đơn vị hành chính; từ đó đến nay tỉnh không ngừng phát triển.</p>" * 4)),
    **NOTICES,
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def notice_portal_page(path: str) -> Answer:
    if path == "/files/quyet-dinh-102.pdf":
        return 200, {"Content-Type": "application/pdf"}, PDF
    if path in PAGES:
        return PAGES[path]
    return 404, {"Content-Type": "text/plain"}, b"not found"


@pytest.fixture(scope="module")
def notice_portal():
    with serve_pages(notice_portal_page) as (base, _):
        yield base


@pytest.mark.e2e
def test_short_notices_and_a_pdf_notice_are_stored_and_every_page_decided(notice_portal,
                                                                          tmp_path):
    db_path = tmp_path / "archive.db"
    result = run_tintuc("crawl", "--start-url", notice_portal + "/", "--db", str(db_path))
    stored = {r["url"]: r for r in query(db_path, "SELECT * FROM articles")}
    assert set(stored) == {notice_portal + path for path in NOTICES}
    assert "Sở họp giao ban vào sáng thứ Hai hằng tuần." in stored[
        notice_portal + "/thong-bao/tb-101.html"]["text"]
    pdf_url = notice_portal + "/files/quyet-dinh-102.pdf"
    assert stored[notice_portal + "/thong-bao/tb-102.html"]["attachments"] == (
        f'[{{"url": "{pdf_url}", "text": "Quyết định số 102/QĐ-SNV"}}]')
    # the attachment is captured (WARC + captures row), not recorded as an error
    (pdf,) = query(db_path, "SELECT status, size, page_kind FROM captures WHERE url = ?",
                   [pdf_url])  # fmt: skip
    assert pdf == {"status": 200, "size": len(PDF), "page_kind": None}
    assert not query(db_path, "SELECT * FROM crawl_errors WHERE url = ?", [pdf_url])
    kinds = {r["url"].removeprefix(notice_portal): (r["page_kind"], r["page_reason"])
             for r in query(db_path, "SELECT url, page_kind, page_reason FROM captures "
                                     "WHERE content_type LIKE 'text/html%'")}  # fmt: skip
    assert kinds == {
        "/": ("other", "home page of the site"),
        "/thong-bao/": ("listing", "2 teaser headlines and a pager"),
        "/thong-bao/?page=2": ("listing", "listing URL (pager, search or tag page)"),
        "/gioi-thieu.html": ("other", "a page of the site itself (gioi thieu)"),
        "/thong-bao/tb-101.html": ("article", "headline, dateline and 43 characters of text"),
        "/thong-bao/tb-102.html": ("article", "headline, dateline and 1 attachments"),
    }
    log = result.stdout + result.stderr
    assert "Dropped:" not in log and "%PDF" not in log
    gioi_thieu = f"{notice_portal}/gioi-thieu.html (other: a page of the site itself (gioi thieu))"
    assert f"not an article: {gioi_thieu}" in log
    assert "pages judged: 2 articles, 2 listings, 2 other" in result.stdout


@pytest.mark.e2e
def test_generic_crawl_of_the_sample_portal_decides_every_html_page(sample_portal, tmp_path):
    base_url, manifest = sample_portal
    db_path = tmp_path / "generic.db"
    result = run_tintuc("crawl", "--start-url", base_url + "/", "--db", str(db_path))
    html = query(db_path, "SELECT url, page_kind, page_reason FROM captures WHERE status = 200 "
                          "AND content_type LIKE 'text/html%'")  # fmt: skip
    assert html and all(r["page_kind"] in ("article", "listing", "other") for r in html), html
    assert all(r["page_reason"] for r in html)
    kind = {r["url"]: r["page_kind"] for r in html}
    for article in manifest["articles"]:
        assert kind.get(base_url + article["path"], "article") == "article", article["path"]
    for path in manifest["listing_paths"][1:]:
        assert kind[base_url + path] == "listing", path
    for path in manifest["non_article_paths"]:
        assert kind[base_url + path] == "other", path
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert stored == {base_url + a["path"] for a in manifest["articles"]}
    articles = sum(1 for k in kind.values() if k == "article")
    (crawl,) = query(db_path, "SELECT pages_article, pages_listing, pages_other FROM crawls")
    assert crawl["pages_article"] == articles == len(stored)
    assert "Dropped:" not in result.stdout + result.stderr
    # reextract judges the non-articles again from their captures: nothing changes
    db = open_archive(db_path)
    try:
        counts = reextract(db, db_path.parent)
    finally:
        db.close()
    assert counts["not_article"] == crawl["pages_listing"] + crawl["pages_other"]
    assert counts["new"] == counts["changed"] == 0


def layout_page(title: str, main: str) -> bytes:
    """An old ASP.NET portal's page: one layout row, the page's cell and a cell of the most
    read stories that no class names a sidebar."""
    most_read = "".join(f"<tr><td><a href='/ChiTiet.aspx?nid={n}'>Tin đọc nhiều số {n} về "
                        "hoạt động của huyện</a></td></tr>" for n in (301, 302, 303, 304))
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><table><tr>"
            f"<td width='560'>{main}</td><td width='240'><table>{most_read}</table></td></tr>"
            "</table></body></html>").encode()


RELATED_ROWS = ("<h3>Tin liên quan</h3><ul>" + "".join(
    f"<li><a href='/ChiTiet.aspx?nid={n}'>Tin liên quan số {n} về lịch nghỉ lễ</a></li>"
    for n in (301, 302, 303)) + "</ul>")  # fmt: skip
LAYOUT_PAGES = {
    "/": layout_page("Trang chủ", (
        "<h3><a href='/ChiTiet.aspx?nid=201'>Thông báo nghỉ Tết Dương lịch năm 2026</a></h3>"
        "<a href='/ChuyenMuc.aspx?cid=3'>Tin tức</a> <a href='/Rss.aspx'>RSS</a>")),
    "/ChiTiet.aspx?nid=201": layout_page("Thông báo nghỉ Tết", (
        "<h1>Thông báo nghỉ Tết Dương lịch năm 2026</h1><span>01/12/2025</span><p>Cán bộ, công "
        f"chức được nghỉ Tết từ ngày 01/01/2026 đến hết ngày 04/01/2026.</p>{RELATED_ROWS}")),
    "/ChiTiet.aspx?nid=202": layout_page("Tuyển dụng", (
        "<h1>Thông báo tuyển dụng viên chức năm 2025</h1><p>Sở Nội vụ tuyển dụng 25 viên "
        f"chức; hồ sơ nhận đến hết ngày 30/12/2025 tại bộ phận một cửa.</p>{RELATED_ROWS}")),
    "/ChuyenMuc.aspx?cid=3": layout_page("Tin tức", (
        "<h1><a href='/ChiTiet.aspx?nid=202'>Thông báo tuyển dụng viên chức năm 2025</a></h1>"
        "<span>Thứ Ba, 02/12/2025 09:00</span><p>Sở Nội vụ tuyển dụng 25 viên chức làm việc tại "
        "các đơn vị sự nghiệp công lập của tỉnh trong năm 2025.</p>" + "".join(
            f"<h3><a href='/ChiTiet.aspx?nid={n}'>Tin tức số {n} về hoạt động của huyện</a></h3>"
            for n in (301, 302, 303)))),
    "/Rss.aspx": layout_page("RSS", (
        "<h1>Kênh tin RSS</h1><p>RSS là định dạng dùng để chia sẻ nội dung web.</p><ul>"
        "<li><a href='/rss/tin-tuc.rss'>Tin tức</a></li><li><a href='/rss/thong-bao.rss'>"
        "Thông báo</a></li></ul>")),
}


@pytest.fixture(scope="module")
def layout_portal():
    def page(path: str) -> Answer:
        return LAYOUT_PAGES.get(path) or (404, {"Content-Type": "text/plain"}, b"not found")

    with serve_pages(page) as (base, _):
        yield base


@pytest.mark.e2e
def test_a_layout_table_portal_stores_its_short_notices_and_nothing_else(layout_portal,
                                                                        tmp_path):
    # short notices in a layout row's cell (dated; undated before its "Tin liên quan") are
    # stored; a category page whose lead story is its h1 and the RSS page get their reasons
    db_path = tmp_path / "archive.db"
    run_tintuc("crawl", "--start-url", layout_portal + "/", "--db", str(db_path))
    stored = {r["url"].removeprefix(layout_portal): r["text"]
              for r in query(db_path, "SELECT url, text FROM articles")}
    assert set(stored) == {"/ChiTiet.aspx?nid=201", "/ChiTiet.aspx?nid=202"}
    assert "nghỉ Tết từ ngày 01/01/2026" in stored["/ChiTiet.aspx?nid=201"]
    assert "Tin liên quan số" not in stored["/ChiTiet.aspx?nid=201"]
    kinds = {r["url"].removeprefix(layout_portal): (r["page_kind"], r["page_reason"])
             for r in query(db_path, "SELECT url, page_kind, page_reason FROM captures "
                                     "WHERE content_type LIKE 'text/html%'")}  # fmt: skip
    assert kinds["/ChuyenMuc.aspx?cid=3"][0] == "listing"
    assert kinds["/Rss.aspx"][0] in ("listing", "other") and kinds["/Rss.aspx"][1]
