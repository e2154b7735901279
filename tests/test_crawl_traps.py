"""Crawl traps: links that go on for ever on a site without a profile (generic mode).

A portal's work calendar ("Lịch công tác") links the next and the previous day and month,
without end; a relative link written without its leading slash, on a server that answers any
path, grows a segment per page (``/gioi-thieu/gioi-thieu/…``). The crawl must end by itself,
store every article, record the trap, and never cut a real pager short: the document index
below lists one notice per page, linked from a table cell (no heading), for more pages than the
trap streak.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import crawl_site, query

from crawler.spiders.news import headline_links
from crawler.urls import is_looping_path

STREAK = 8  # TINTUC_TRAP_STREAK for the crawl: small, so that a short index outlasts it
INDEX_PAGES = 20  # the document index: one notice per page, more pages than STREAK
ARTICLES = {
    f"/tin-tuc/tinh-don-doan-cong-tac-so-{n}-100{n}.html": f"Tỉnh đón đoàn công tác số {n}"
    for n in range(1, 4)
}
NOTICE_TITLE = "Quyết định về việc ban hành quy chế phối hợp số {n} năm 2025"


def page(title: str, main: str) -> bytes:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<nav><a href='/'>Trang chủ</a> <a href='/lich-cong-tac?ngay=2025-12-24'>Lịch "
            "công tác</a> <a href='/gioi-thieu/'>Giới thiệu</a> <a href='/van-ban?trang=1'>Văn "
            f"bản</a></nav><main>{main}</main><footer>Cổng thông tin tỉnh</footer></body></html>"
            ).encode()  # fmt: skip


def article(title: str) -> bytes:
    return page(title, f"<h1>{title}</h1><p class='date'>24/12/2025 09:30</p>"
                       f"<p>{title} tại trụ sở Ủy ban nhân dân tỉnh, trao đổi kinh nghiệm về "
                       "cải cách hành chính và chuyển đổi số trong năm 2026.</p>")  # fmt: skip


def day_page(day: dt.date) -> bytes:
    step = dt.timedelta(days=1)
    return page(f"Lịch công tác {day:%d/%m/%Y}", (
        f"<h1>Lịch công tác ngày {day:%d/%m/%Y}</h1><table><tr><td>08:00</td>"
        "<td>Họp giao ban</td></tr></table>"
        f"<a href='/lich-cong-tac?ngay={day - step}'>« Ngày trước</a> "
        f"<a href='/lich-cong-tac?ngay={day + step}'>Ngày sau »</a> "
        f"<a href='/lich-cong-tac?thang={day.month}&nam={day.year}'>Tháng {day:%m/%Y}</a>"))


def month_page(month: int, year: int) -> bytes:
    before = (month - 2) % 12 + 1, year - (month == 1)
    after = month % 12 + 1, year + (month == 12)
    days = "".join(f"<a href='/lich-cong-tac?ngay={year}-{month:02d}-{d:02d}'>{d}</a> "
                   for d in range(1, 29))  # fmt: skip
    return page(f"Lịch tháng {month}/{year}", (
        f"<h1>Lịch công tác tháng {month}/{year}</h1><div class='grid'>{days}</div>"
        f"<a href='/lich-cong-tac?thang={before[0]}&nam={before[1]}'>Tháng trước</a> "
        f"<a href='/lich-cong-tac?thang={after[0]}&nam={after[1]}'>Tháng sau</a>"))


def index_page(n: int) -> bytes:
    title = html.escape(NOTICE_TITLE.format(n=n))
    more = f"<a href='/van-ban?trang={n + 1}'>Trang sau</a>" if n < INDEX_PAGES else ""
    return page(f"Văn bản - trang {n}", (
        f"<h1>Văn bản</h1><table><tr><td>{n}/QĐ-UBND</td><td><a href='/van-ban/chi-tiet?id={n}'>"
        f"{title}</a></td></tr></table>{more}"))


def notice(n: int) -> bytes:
    title = NOTICE_TITLE.format(n=n)
    return page(title, f"<h1>{title}</h1><p>Ngày 0{n % 9 + 1}/12/2025</p><p>Ủy ban nhân dân "
                       f"tỉnh ban hành quy chế phối hợp số {n} giữa các sở, ngành.</p>")


def home() -> bytes:
    teasers = "".join(f"<h3><a href='{path}'>{title}</a></h3>" for path, title in ARTICLES.items())
    return page("Trang chủ", f"<h1>Cổng thông tin tỉnh</h1>{teasers}")


def trap_site(path: str) -> bytes | None:
    parts = urlsplit(path)
    args = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if parts.path == "/":
        return home()
    if parts.path in ARTICLES:
        return article(ARTICLES[parts.path])
    if parts.path == "/lich-cong-tac" and "ngay" in args:
        return day_page(dt.date.fromisoformat(args["ngay"]))
    if parts.path == "/lich-cong-tac" and "thang" in args:
        return month_page(int(args["thang"]), int(args["nam"]))
    if parts.path.startswith("/gioi-thieu/"):  # any path: a rewrite rule on the last part
        return page("Giới thiệu", "<h1>Giới thiệu chung</h1><p>Lịch sử hình thành.</p>"
                    "<a href='gioi-thieu/lich-su.html'>Lịch sử</a> "
                    "<a href='to-chuc/'>Cơ cấu tổ chức</a>")  # fmt: skip
    if parts.path == "/van-ban" and 1 <= int(args.get("trang", 0)) <= INDEX_PAGES:
        return index_page(int(args["trang"]))
    if parts.path == "/van-ban/chi-tiet" and 1 <= int(args.get("id", 0)) <= INDEX_PAGES:
        return notice(int(args["id"]))
    return None

@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory):
    # the page cap only bounds a failing run: a crawl that falls into a trap stops there
    crawl = crawl_site(trap_site, tmp_path_factory.mktemp("traps"),
                       "--max-pages", "1500", "-s", f"TINTUC_TRAP_STREAK={STREAK}")
    return crawl.base, crawl.db_path, crawl.paths, crawl.result


@pytest.mark.e2e
def test_a_calendar_trap_is_left_and_recorded_and_every_article_stored(trap_crawl):
    base, db_path, paths, _ = trap_crawl
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    notices = {f"{base}/van-ban/chi-tiet?id={n}" for n in range(1, INDEX_PAGES + 1)}
    assert {base + p for p in ARTICLES} | notices <= stored
    calendar = [p for p in paths if p.startswith("/lich-cong-tac")]
    assert len(calendar) < 200, f"{len(calendar)} calendar pages fetched"
    errors = query(db_path, "SELECT url, error FROM crawl_errors WHERE error LIKE 'crawl trap%'")
    assert errors and all("/lich-cong-tac" in e["url"] for e in errors), errors
    assert any("ngay=<s>" in e["error"] for e in errors), errors


@pytest.mark.e2e
def test_a_relative_link_loop_ends_at_a_repeated_segment(trap_crawl):
    _, _, paths, _ = trap_crawl
    looping = [p for p in paths if p.startswith("/gioi-thieu/")]
    assert looping and len(looping) < 40, looping
    assert not any(is_looping_path(p) for p in looping)


def test_looping_paths():
    assert is_looping_path("/gioi-thieu/gioi-thieu/gioi-thieu/lich-su.html")
    assert is_looping_path("/a/b/a/b/a/c.html")  # two links resolving on each other's page
    assert is_looping_path("/" + "/".join(f"s{n}" for n in range(17)))
    assert not is_looping_path("/gioi-thieu/gioi-thieu/lich-su.html")  # a site's own odd path
    assert not is_looping_path("/2011/11/11/ha-long/")  # a date, not a loop
    assert not is_looping_path("/")


def test_headline_links_are_the_links_behind_a_headline_long_text():
    body = ("<ul><li><a href='/tin/a-1.html'>Hạ Long đón <b>khách</b> quốc tế đầu năm</a></li>"
            "<li><a href='/lich?ngay=2025-12-25'>Ngày sau »</a></li>"
            "<li><a href='/lich?thang=12'>Thứ Tư, 24/12/2025</a></li>"
            "<li><a href='/tin/b-2.html?utm_source=zalo'>Bến Lức khởi công cầu mới bắc qua "
            "sông Vàm Cỏ</a></li></ul>").encode()
    assert headline_links(body, "http://h.vn/lich?ngay=2025-12-24") == [
        "http://h.vn/tin/a-1.html", "http://h.vn/tin/b-2.html"]
