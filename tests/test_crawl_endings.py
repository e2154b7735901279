"""Where a site's lists end or send the visitor elsewhere, the crawl says so.

* a pager answered 200 "Không có kết quả" for any page number past the last, with a pager
  that goes on: the crawl stops at the first empty page, not after a trap streak;
* an old URL answering 301 with its article's new one, and a deleted page 302 to the home
  page: each capture has its reason (the dupe filter dropped a redirect to a page already
  asked for without a word), also when two old URLs reach one article each through a second
  hop (the second chain's last redirect named a page only a redirect had asked for);
* a "Xem thêm" button naming no URL: what it loads is not crawled, and the crawl's errors say
  so.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import Answer, crawl_site, query

from crawler.discovery import urlless_more_control

TITLES = [
    "Tỉnh tổ chức hội nghị xúc tiến đầu tư vào khu kinh tế ven biển",
    "Nông dân huyện miền núi chuyển đổi sang trồng cây dược liệu",
    "Bệnh viện tỉnh triển khai khám bệnh bằng căn cước công dân",
    "Thanh niên tình nguyện dọn vệ sinh bãi biển sau mùa mưa bão",
    "Huyện đảo khánh thành nhà máy xử lý nước sạch cho người dân",
    "Sở Giáo dục tập huấn giáo viên dạy chương trình mới",
    "Chợ phiên vùng cao thu hút đông đảo du khách cuối tuần",
]


def page(title: str, main: str) -> bytes:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<nav><a href='/'>Trang chủ</a> <a href='/tin-tuc?page=1'>Tin tức</a> "
            f"<a href='/su-kien'>Sự kiện</a></nav><main>{main}</main>"
            "<footer>Cổng thông tin tỉnh</footer></body></html>").encode()  # fmt: skip


def article(n: int) -> bytes:
    return page(TITLES[n], f"<article><h1>{TITLES[n]}</h1><p class='date'>05/02/2026 10:15</p>"
                           f"<p>{TITLES[n]}, theo thông tin từ Ủy ban nhân dân tỉnh, hoạt động "
                           "nhận được sự hưởng ứng của đông đảo người dân và doanh nghiệp.</p>"
                           "</article>")  # fmt: skip


def teasers(numbers) -> str:
    return "".join(f"<h3><a href='/bai-viet/tin-so-{n}.html'>{TITLES[n]}</a></h3>"
                   for n in numbers)  # fmt: skip


def redirect(status: int, location: str) -> Answer:
    return status, {"Location": location}, b""


def endings_site(path: str) -> Answer:
    parts = urlsplit(path)
    args = dict(parse_qsl(parts.query))
    if parts.path.startswith("/bai-viet/tin-so-"):
        return article(int(parts.path.split("-")[-1].removesuffix(".html")))
    if parts.path.startswith("/tin/cu-"):  # the old URL scheme
        n = parts.path.split("-")[-1].removesuffix(".html")
        return redirect(301, f"/bai-viet/tin-so-{n}.html")
    if parts.path.startswith("/tin/doi-"):  # two old URLs of article 6, each through a hop
        return redirect(301, "/tin/tam-" + parts.path.removeprefix("/tin/doi-"))
    if parts.path.startswith("/tin/tam-"):
        return redirect(302, "/bai-viet/tin-so-6.html")
    if parts.path == "/tin/da-xoa.html":  # deleted: sent to the home page
        return redirect(302, "/")
    if parts.path == "/":
        return page("Trang chủ", teasers([0]) + "<a href='/tin/cu-0.html'>Bài cũ</a> "
                                 "<a href='/tin/cu-5.html'>Lưu trữ</a> "
                                 "<a href='/tin/da-xoa.html'>Bài đã gỡ</a> "
                                 "<a href='/tin/doi-6.html'>Tin cũ</a> "
                                 "<a href='/tin/doi-6-b.html'>Tin cũ nữa</a>")  # fmt: skip
    if parts.path == "/tin-tuc":
        number = int(args.get("page", 1))
        shown = {1: [0, 1], 2: [2, 3]}.get(number)
        pager = " ".join(f"<a href='/tin-tuc?page={k}'>{k}</a>" for k in range(1, number + 3))
        return page("Tin tức", (teasers(shown) if shown else
                                "<p class='empty'>Không có kết quả nào.</p>")
                    + f"<div class='pagination'>{pager} "
                      f"<a href='/tin-tuc?page={number + 1}'>Trang sau ›</a></div>")
    if parts.path == "/su-kien":
        return page("Sự kiện", teasers([4]) + "<button class='btn-more'>Xem thêm</button>"
                               "<script>var trang = 1;</script>")  # fmt: skip
    return None

@pytest.fixture(scope="module")
def endings_crawl(tmp_path_factory):
    crawl = crawl_site(endings_site, tmp_path_factory.mktemp("endings"),
                       "--max-pages", "300", "-s", "DOWNLOAD_DELAY=0",
                       "-s", "AUTOTHROTTLE_ENABLED=False")  # fmt: skip
    return crawl.base, crawl.db_path, crawl.paths


@pytest.mark.e2e
def test_a_pager_past_its_last_page_is_left_at_the_first_empty_page(endings_crawl):
    base, db_path, paths = endings_crawl
    stored = {r["title"] for r in query(db_path, "SELECT title FROM articles")}
    assert {TITLES[n] for n in (0, 1, 2, 3, 4, 5)} <= stored
    listing = [p for p in paths if p.startswith("/tin-tuc")]
    assert len(listing) <= 5, listing  # pages 1-2, the empty 3 and what 2 linked ahead


@pytest.mark.e2e
def test_every_redirect_has_its_reason(endings_crawl):
    base, db_path, _ = endings_crawl
    reasons = {r["url"]: r["page_reason"] for r in query(
        db_path, "SELECT url, page_reason FROM captures WHERE status IN (301, 302)")}
    errors = {r["url"]: r["error"] for r in query(db_path, "SELECT url, error FROM crawl_errors")}
    for path in ("/tin/cu-0.html", "/tin/cu-5.html", "/tin/da-xoa.html"):
        assert reasons.get(base + path) or "redirected to" in errors.get(base + path, ""), (
            path, reasons, errors)
    assert "HTTP 301" in reasons[base + "/tin/cu-5.html"]  # followed: a new article
    assert errors[base + "/tin/da-xoa.html"].endswith(  # the home page, fetched already
        f"redirected to {base}/, a page the crawl has already asked for")


@pytest.mark.e2e
def test_a_load_more_button_without_url_is_recorded(endings_crawl):
    base, db_path, _ = endings_crawl
    errors = query(db_path, "SELECT url, error FROM crawl_errors WHERE error LIKE '%Xem thêm%'")
    assert [e["url"] for e in errors] == [base + "/su-kien"], errors


def test_load_more_controls_that_name_no_url():
    assert urlless_more_control("<button class='more'>Xem thêm</button>".encode())
    assert urlless_more_control(
        """<a href="javascript:__doPostBack('ctl00$main$btnMore','')">Xem thêm</a>""".encode())
    assert urlless_more_control("<a href='#'>XEM THÊM <i class='icon'></i></a>".encode())
    assert not urlless_more_control("<a href='/thoi-su/'>Xem thêm</a>".encode())  # a section
    assert not urlless_more_control(
        "<button data-url='/api/tin?page=2'>Xem thêm</button>".encode())  # its script's URL
    assert not urlless_more_control("<a href='#'>Xem thêm ý kiến bạn đọc</a>".encode())


@pytest.mark.e2e
def test_a_second_redirect_chain_to_one_article_says_where_it_sent_its_visitor(endings_crawl):
    """/tin/doi-6.html and /tin/doi-6-b.html each answer 301 to a hop that answers 302 to article
    6; the second chain ends at a page the first one asked for. Before, the dupe filter dropped
    it: two 3xx captures without a reason, and no error either."""
    _, db_path, _ = endings_crawl
    hops = query(db_path, "SELECT page_reason FROM captures WHERE url LIKE '%/tin/doi-%' "
                          "AND status IN (301, 302)")  # fmt: skip
    assert len(hops) == 4 and all(h["page_reason"] for h in hops), hops
    assert any(h["page_reason"].endswith("(HTTP 302), a page the crawl has already asked for")
               for h in hops), hops
    rows = query(db_path, "SELECT url FROM articles WHERE title = ?", (TITLES[6],))
    assert [r["url"].rsplit("/", 1)[1] for r in rows] == ["tin-so-6.html"]  # stored once
