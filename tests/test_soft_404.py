"""A "not found" or error page served with status 200 (a soft 404) is no article.

Portals answer a removed article or a wrong ``nid`` with their whole template around "Không
tìm thấy trang" or "Bài viết không tồn tại": a headline and one short line, the shape of a
one-sentence notice. Stored, it was an article called "Không tìm thấy trang"; on a recrawl it
replaced the article that used to be there. It is now judged "other" with its reason, and a
stored article at its URL is marked removed, its text kept, as after a 404. So is one whose
URL now redirects to the article's new slug (stored again there). One whose page comes back
with the stored text's beginning above a login wall is back on the site: no longer removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Answer, query, run_tintuc, serve_pages

from pipelines.extractor.article import extract_article
from pipelines.extractor.classify import error_page

URL = "https://sonoivu.example.gov.vn/Trang/ChiTietTinTuc.aspx?nid=5054"


def portal_page(title: str, detail: str) -> str:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<nav><a href='/'>Trang chủ</a> <a href='/Trang/TinTuc.aspx'>Tin tức</a></nav>"
            f"<div class='news-detail'>{detail}</div><div class='other'><h3>Tin khác</h3><ul>"
            "<li><a href='/Trang/ChiTietTinTuc.aspx?nid=5001'>Hội nghị tổng kết công tác cải "
            "cách hành chính năm 2025</a></li></ul></div><footer>Sở Nội vụ tỉnh</footer>"
            "</body></html>")  # fmt: skip


SOFT_404 = {
    "title": portal_page("Không tìm thấy trang - Sở Nội vụ",
                         "<h1>Không tìm thấy trang</h1><p>Vui lòng quay lại trang chủ.</p>"),
    "message under a section heading": portal_page(
        "Tin tức - Sự kiện",
        "<h2 class='title'>Thông báo</h2><p>Bài viết không tồn tại hoặc đã bị gỡ bỏ.</p>"),
    "apology": portal_page(
        "Tin tức", "<h1>Tin tức</h1><p>Xin lỗi, trang bạn yêu cầu không tồn tại.</p>"),
    "ASP.NET error": portal_page(
        "Runtime Error", "<h1>Server Error in '/' Application.</h1><p>Runtime Error</p>"),
    "English": portal_page("Page not found | Ha Long City",
                           "<h1>Oops!</h1><p>The page you requested was not found.</p>"),
    # the site's latest stories in a box of no telling name: the page reads as a listing
    "message above the latest stories": portal_page(
        "Tin tức - Sở Nội vụ", "<p>Bài viết không tồn tại hoặc đã bị xóa khỏi hệ thống.</p>"
        "<div class='col-4'>" + "".join(
            f"<h3><a href='/Trang/ChiTietTinTuc.aspx?nid={5010 + n}'>{headline}</a></h3>"
            for n, headline in enumerate((
                "Sở Nội vụ tổ chức hội nghị triển khai công tác thi đua năm 2026",
                "Hướng dẫn tuyển dụng công chức cấp xã theo quy định mới",
                "Kiện toàn tổ chức bộ máy các cơ quan chuyên môn cấp huyện",
                "Tập huấn nghiệp vụ văn thư lưu trữ cho cán bộ cơ sở"))) + "</div>"),
    # a news site's own 404 under the article's URL: the home page's <title>, the message in a
    # <strong> ("the link" rather than "the page"), a search box and empty placeholder cards
    "link not found under the home title": portal_page(
        "Báo Mẫu - Tin tức mới nhất trong ngày",
        "<form class='wrap-form-404'><strong class='title-404'>Không tìm thấy đường dẫn này"
        "</strong><p>Bạn có thể quay về <a href='/'>trang chủ</a> hoặc tìm kiếm bên dưới</p>"
        "<input id='q' placeholder='Tìm kiếm'><p>Một số tin nổi bật bạn có thể quan tâm.</p>"
        "</form>" + "<article class='item-news'><h4 class='title-news'><p class='text'></p>"
        "</h4></article>" * 3),
    "placeholder": portal_page(
        "Quy hoạch chung thành phố", "<h1>Quy hoạch chung thành phố</h1>"
        "<p>01/12/2025</p><p>Nội dung đang được cập nhật...</p>"),
}
ARTICLES = {
    "one-line notice": portal_page(
        "Lịch tiếp công dân tháng 12 - Sở Nội vụ", "<h1>Lịch tiếp công dân tháng 12</h1>"
        "<p>01/12/2025</p><p>Lãnh đạo Sở tiếp công dân vào sáng thứ Năm hằng tuần.</p>"),
    "notice that finds no owner": portal_page(
        "Thông báo tìm chủ sở hữu tài sản", "<h1>Thông báo tìm chủ sở hữu tài sản</h1>"
        "<p>01/12/2025</p><p>Sau 12 tháng, Công an tỉnh không tìm thấy chủ sở hữu xe máy "
        "biển số 14B1-123.45; đề nghị ai là chủ sở hữu liên hệ.</p>"),
    "a headline that starts with an error word": portal_page(
        "Lỗi chính tả trong văn bản hành chính: cần chấn chỉnh",
        "<h1>Lỗi chính tả trong văn bản hành chính: cần chấn chỉnh</h1><p>01/12/2025</p>"
        "<p>Sở Nội vụ đề nghị các cơ quan rà soát văn bản trước khi ban hành.</p>"),
    "notice whose content is its PDF": portal_page(
        "Quyết định số 102/QĐ-SNV", "<h1>Quyết định số 102/QĐ-SNV</h1><p>01/12/2025</p>"
        "<p>Nội dung đang cập nhật</p><p><a href='/files/qd-102.pdf'>Tải về</a></p>"),
}


@pytest.mark.parametrize("name", SOFT_404)
def test_a_not_found_page_in_the_sites_template_is_no_article(name):
    # with the profile's URL hint, and with none (a generic crawl: read as a listing first)
    for hints in ({"article_url": True}, {}):
        decision: dict = {}
        result = extract_article(SOFT_404[name].encode(), URL, hints=hints, decision=decision)
        assert decision["kind"] == "other" and decision.get("gone"), (hints, decision)
    assert decision["reason"].startswith("an error page")
    assert extract_article(SOFT_404[name].encode(), URL, hints={"article_url": True},
                           only_articles=True) is None  # fmt: skip
    assert result is None or result["page_kind"] == "other"


@pytest.mark.parametrize("name", ARTICLES)
def test_short_notices_that_mention_errors_are_still_articles(name):
    decision: dict = {}
    extract_article(ARTICLES[name].encode(), URL, hints={"article_url": True}, decision=decision)
    assert decision["kind"] == "article" and not decision.get("gone"), decision


def test_error_page_reads_the_title_before_the_sites_name_and_a_short_body_only():
    assert error_page("Lỗi 404 - Cổng thông tin điện tử", "", [])
    assert error_page("KHÔNG TÌM THẤY TRANG", "Quay lại", [])
    assert error_page("Không tìm thấy đường dẫn này", "", [])
    assert error_page("Đường dẫn này không tồn tại - Báo Mẫu", "", [])
    assert not error_page("Không tìm thấy đường dẫn cho xe cứu thương vào làng", "", [])
    assert not error_page("Lỗi 404 - Cổng thông tin điện tử", "Một câu. " * 60, [])
    assert not error_page("Thông báo", "Bài viết không tồn tại.", [{"url": "/a.pdf"}])


# --- a recrawl: the stored article's URL now answers a soft 404 ----------------------------
ARTICLE_PATH = "/tin-tuc/so-noi-vu-to-chuc-hoi-nghi-tong-ket-2025.html"
ARTICLE = portal_page(
    "Sở Nội vụ tổ chức hội nghị tổng kết năm 2025", "<h1>Sở Nội vụ tổ chức hội nghị tổng kết "
    "năm 2025</h1><p>24/12/2025 09:30</p><p>Sáng 24/12, Sở Nội vụ tổ chức hội nghị tổng kết "
    "công tác năm 2025 và triển khai nhiệm vụ năm 2026.</p>")


NEW_PATH = "/tin-tuc/so-noi-vu-hoi-nghi-tong-ket-cong-tac-2025.html"


def portal(path: str, changed: set[str]) -> Answer:
    """The portal's page at ``path`` once it has made the ``changed`` ("removed", "moved")."""
    if path == "/":
        return portal_page("Trang chủ", f"<h3><a href='{ARTICLE_PATH}'>Sở Nội vụ tổ chức "
                                        "hội nghị tổng kết năm 2025</a></h3>")  # fmt: skip
    if path == ARTICLE_PATH and "moved" in changed:  # the article's new slug
        return 301, {"Location": NEW_PATH}, b""
    if path == ARTICLE_PATH or (path == NEW_PATH and "moved" in changed):
        return SOFT_404["title"] if "removed" in changed else ARTICLE
    return None


def crawl_twice(tmp_path, change: str) -> tuple[str, Path]:
    """Crawl the portal, make it ``change``, crawl it again (``--full``): the archive."""
    db_path, changed = tmp_path / "archive.db", set()
    with serve_pages(lambda path: portal(path, changed)) as (base, _):
        crawl = ("crawl", "--start-url", base + "/", "--db", str(db_path), "--full")
        run_tintuc(*crawl)
        changed.add(change)
        run_tintuc(*crawl)
    return base, db_path


@pytest.mark.e2e
def test_a_stored_article_that_now_answers_a_soft_404_is_marked_removed_and_kept(tmp_path):
    base, db_path = crawl_twice(tmp_path, "removed")
    (row,) = query(db_path, "SELECT url, title, text, removed, removed_reason FROM articles")
    assert row["url"] == base + ARTICLE_PATH
    assert row["title"] == "Sở Nội vụ tổ chức hội nghị tổng kết năm 2025"
    assert "triển khai nhiệm vụ năm 2026" in row["text"]
    assert row["removed"] and "Không tìm thấy trang" in row["removed_reason"]
    assert not query(db_path, "SELECT * FROM article_versions")
    decided = query(db_path, "SELECT page_kind, page_reason FROM captures WHERE url = ?",
                    [base + ARTICLE_PATH])  # fmt: skip
    assert [d["page_kind"] for d in decided] == ["article", "other"]


@pytest.mark.e2e
def test_a_stored_article_that_now_redirects_to_a_new_url_is_kept_and_marked(tmp_path):
    base, db_path = crawl_twice(tmp_path, "moved")
    rows = {r["url"]: r for r in query(db_path, "SELECT * FROM articles")}
    assert set(rows) == {base + ARTICLE_PATH, base + NEW_PATH}
    assert rows[base + ARTICLE_PATH]["removed_reason"] == f"redirected to {base + NEW_PATH}"
    assert rows[base + NEW_PATH]["removed"] is None
    assert rows[base + ARTICLE_PATH]["text"] == rows[base + NEW_PATH]["text"]


WALL = ("<div class='paywall'><p>Bạn cần đăng nhập để đọc tiếp bài viết.</p><form method='post'>"
        "<input name='u'><input type='password' name='p'><button>Đăng nhập</button></form></div>")
LONG_ARTICLE = portal_page(
    "Sở Nội vụ tổ chức hội nghị tổng kết năm 2025", "<h1>Sở Nội vụ tổ chức hội nghị tổng kết "
    "năm 2025</h1><p>24/12/2025 09:30</p>" + "".join(
        f"<p>Đoạn {n}: sáng 24/12, Sở Nội vụ tổ chức hội nghị tổng kết công tác năm 2025 và "
        f"triển khai nhiệm vụ năm 2026 với các phòng, ban trực thuộc số {n}.</p>"
        for n in range(1, 7)))  # fmt: skip


@pytest.mark.e2e
def test_a_removed_article_back_above_a_login_wall_is_no_longer_removed(tmp_path):
    """404, then a bare login page at 200 (no article shown: still removed), then the
    article's headline and first paragraph above a login wall (the article is back on the
    site: the mark cleared, the whole stored text kept)."""
    walled = LONG_ARTICLE.split("<p>Đoạn 2")[0] + "</div>" + WALL + "</body></html>"
    login = portal_page("Đăng nhập", "<h1>Đăng nhập</h1>" + WALL)
    turns = [LONG_ARTICLE, None, login, walled]
    db_path, turn = tmp_path / "archive.db", [0]
    marks = []
    with serve_pages(lambda path: turns[turn[0]] if path == ARTICLE_PATH else portal(path, set())
                     ) as (base, _):  # fmt: skip
        for turn[0] in range(len(turns)):
            run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path), "--full")
            (row,) = query(db_path, "SELECT text, removed_reason FROM articles")
            marks.append(row["removed_reason"])
            assert "các phòng, ban trực thuộc số 6" in row["text"]
    assert marks == [None, "HTTP 404", "HTTP 404", None]


def test_reextract_marks_a_soft_404_an_older_version_stored_as_removed(tmp_path):
    """Archives written before soft 404s were recognised hold "articles" called "Không tìm
    thấy trang". ``tintuc reextract`` marks them removed, their text kept, as a crawl
    meeting them now would; a real article beside them is left alone."""
    from click.testing import CliRunner
    from conftest import capture

    from pipelines.archive.schema import open_archive
    from pipelines.archive.store import save_articles
    from pipelines.archive.warc import WarcFile
    from tintuc.cli import main

    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    warc = WarcFile(tmp_path / "warc" / "crawl-1.warc.gz")
    pages = {URL: SOFT_404["title"], "https://sonoivu.example.gov.vn" + ARTICLE_PATH: ARTICLE}
    stored = []
    for url, html in pages.items():
        capture_id = capture(db, warc, url, html.encode())
        stored.append({**extract_article(html.encode(), url), "site": "sonoivu",
                       "capture_id": capture_id})  # as an older version did: both stored
    warc.close()
    save_articles(db, stored)
    db.close()

    run = CliRunner().invoke(main, ["reextract", "--db", str(db_path), "--workers", "-1"])
    assert run.exit_code == 0, run.output
    assert "1 failed, 1 removed)" in run.output.splitlines()[-1]
    rows = {r["url"]: r for r in query(db_path, "SELECT url, text, removed, removed_reason "
                                                "FROM articles")}  # fmt: skip
    assert rows[URL]["removed"] and rows[URL]["removed_reason"].startswith("an error page")
    assert rows[URL]["text"] == stored[0]["text"]  # kept
    assert rows["https://sonoivu.example.gov.vn" + ARTICLE_PATH]["removed"] is None
