"""What a crawl asks a site for, and what it records of what came back (seventeenth session).

* a robots.txt that is no robots file (a login page a redirect leads to, a CMS's "not found"
  page answered 200) holds no rules: the site is crawled as one without robots.txt, and a
  crawl error says what came back; rules served as ``text/html`` are still rules;
* a pager's link to its first page (``?page=1`` shown as "1") is the listing itself, not
  fetched a second time; where the pager's URLs count from 0 (``?page=1`` shown as "2",
  Drupal) it is the second page, and fetched;
* an ASP.NET site keeping its sessions in the URL (``/(S(…))/``) and redirecting every request
  without one into a new session: the session a page came in is kept for the host's next
  requests, so each article is one request, not a 302 and a request.
"""

from __future__ import annotations

import re
from itertools import count

import pytest
from conftest import crawl_site, query

TITLES = {n: f"Tỉnh khởi công công trình giao thông trọng điểm số {n} ở huyện miền núi"
          for n in range(1, 13)}  # fmt: skip


def page(title: str, main: str) -> str:
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><nav><a href='/'>Trang chủ</a></nav><main>{main}</main>"
            "<footer>Cổng thông tin điện tử tỉnh</footer></body></html>")  # fmt: skip


def article(n: int) -> str:
    title = TITLES[n]
    return page(title, (
        f"<article><h1>{title}</h1><p class='date'>12/11/2026 08:{n:02d}</p>"
        f"<p>Sáng 12/11, {title.lower()} trong sự chờ đợi của người dân địa phương. Đây là "
        "công việc được chuẩn bị suốt nhiều tháng qua với sự tham gia của các sở, ngành.</p>"
        "<p>Theo lãnh đạo địa phương, kết quả bước đầu cho thấy cách làm mới phù hợp với điều "
        f"kiện thực tế, góp phần nâng cao đời sống của bà con trong vùng số {n}.</p>"
        "</article>"))  # fmt: skip


def listing(numbers, pager: str = "", href: str = "/tin/bai-{n}.html") -> str:
    return page("Tin tức", "<h1>Tin tức</h1><ul>" + "".join(
        f"<li><h3><a href='{href.format(n=n)}'>{TITLES[n]}</a></h3></li>" for n in numbers)
        + f"</ul>{pager}")  # fmt: skip


ARTICLES = {f"/tin/bai-{n}.html": article(n) for n in range(1, 13)}
LOGIN = page("Đăng nhập hệ thống", "<h1>Đăng nhập</h1><form method='post'><input name='u'>"
             "<input type='password' name='p'><button>Đăng nhập</button></form>")


# --- robots.txt ---------------------------------------------------------------------------
@pytest.mark.e2e
def test_a_robots_txt_that_leads_to_a_login_page_is_recorded_and_the_site_crawled(tmp_path):
    site = {"/robots.txt": (302, {"Location": "/dang-nhap?ReturnUrl=%2frobots.txt"}, b""),
            "/dang-nhap?ReturnUrl=%2frobots.txt": LOGIN,
            "/": listing([1, 2, 3]), **ARTICLES}  # fmt: skip
    crawl = crawl_site(site, tmp_path)
    stored = {r["url"] for r in query(crawl.db_path, "SELECT url FROM articles")}
    assert stored == {crawl.base + f"/tin/bai-{n}.html" for n in (1, 2, 3)}
    (error,) = query(crawl.db_path, "SELECT url, error FROM crawl_errors")
    assert error["url"] == crawl.base + "/robots.txt"
    assert "not a robots file: HTTP 200, redirected to" in error["error"]
    assert "Content-Type: text/html" in error["error"] and "Đăng nhập" in error["error"]


@pytest.mark.e2e
def test_robots_rules_served_as_html_are_still_obeyed_and_not_recorded(tmp_path):
    rules = "User-agent: *\nDisallow: /rieng/\n"
    site = {"/robots.txt": rules, "/": listing([1, 2]) + "<a href='/rieng/bai.html'>Riêng</a>",
            "/rieng/bai.html": article(3), **ARTICLES}  # fmt: skip
    crawl = crawl_site(site, tmp_path)
    assert "/rieng/bai.html" not in crawl.paths
    errors = {r["url"]: r["error"] for r in query(crawl.db_path, "SELECT * FROM crawl_errors")}
    assert errors == {crawl.base + "/rieng/bai.html": "IgnoreRequest: Forbidden by robots.txt"}


# --- a pager's first page -------------------------------------------------------------------
def pager(path: str, current: int, first: int) -> str:
    """Pages 1-3 of the listing at ``path``, ``current`` shown as text; the URLs count from
    ``first`` (1: "2" is ?page=2; 0: "2" is ?page=1)."""
    entries = [f"<span>{n}</span>" if n == current else
               f"<a href='{path}?page={n - 1 + first}'>{n}</a>" for n in (1, 2, 3)]
    return f"<div class='pager'>{' '.join(entries)}</div>"


def paged_site(path: str):
    listing_path, _, number = path.partition("?page=")
    counted_from = {"/tin-tuc": 1, "/thong-bao": 0}.get(listing_path)
    if counted_from is None:
        return {"/": page("Trang chủ", "<a href='/tin-tuc'>Tin tức</a> "
                                       "<a href='/thong-bao'>Thông báo</a>")}.get(
            path, ARTICLES.get(path))  # fmt: skip
    shown = int(number) - counted_from + 1 if number else 1
    if not 1 <= shown <= 3:
        return None
    first = (1, 4, 7) if counted_from else (10, 11, 12)
    numbers = range(first[shown - 1], first[shown - 1] + (3 if counted_from else 1))
    return listing(numbers, pager(listing_path, shown, counted_from))


@pytest.fixture(scope="module")
def paged_crawl(tmp_path_factory):
    return crawl_site(paged_site, tmp_path_factory.mktemp("paged"))


@pytest.mark.e2e
def test_a_pagers_link_to_its_first_page_is_the_listing_and_not_fetched_again(paged_crawl):
    assert "/tin-tuc?page=1" not in paged_crawl.paths  # shown as "1": the listing itself
    assert paged_crawl.paths.count("/tin-tuc") == 1
    assert {"/tin-tuc?page=2", "/tin-tuc?page=3"} <= set(paged_crawl.paths)
    stored = {r["url"] for r in query(paged_crawl.db_path, "SELECT url FROM articles")}
    assert {paged_crawl.base + f"/tin/bai-{n}.html" for n in range(1, 10)} <= stored


@pytest.mark.e2e
def test_page_1_of_a_pager_counting_from_0_is_the_second_page_and_fetched(paged_crawl):
    assert {"/thong-bao?page=1", "/thong-bao?page=2"} <= set(paged_crawl.paths)
    stored = {r["url"] for r in query(paged_crawl.db_path, "SELECT url FROM articles")}
    assert paged_crawl.base + "/tin/bai-11.html" in stored  # listed on ?page=1 only


# --- ASP.NET sessions in the URL ------------------------------------------------------------
SESSION = re.compile(r"^/\(S\(([a-z0-9]+)\)\)(/.*)$")


def cookieless_site():
    """Every path without a session segment redirected into a new session; the pages' links
    relative, as an ASP.NET site's are. ``/tin/`` is another server's under the same name:
    its pages answer without a session, and 404 in one."""
    sessions = count(1)

    def answer(path: str):
        match = SESSION.match(path)
        if path.startswith("/tin/"):
            return ARTICLES.get(path)
        if match is None:
            if path == "/robots.txt":
                return None
            return 302, {"Location": f"/(S(phien{next(sessions):04d}abcdefghij))" + path}, b""
        inner = match.group(2)
        if inner == "/":
            return listing(range(1, 7), href="Trang/ChiTiet.aspx?nid={n}") + (
                f"<h3><a href='/tin/bai-7.html'>{TITLES[7]}</a></h3>")
        nid = re.fullmatch(r"/Trang/ChiTiet\.aspx\?nid=(\d+)", inner)
        return article(int(nid.group(1))) if nid else None

    return answer


@pytest.mark.e2e
def test_an_aspnet_session_in_the_url_is_kept_so_each_article_is_one_request(tmp_path):
    crawl = crawl_site(cookieless_site(), tmp_path)
    stored = {r["url"] for r in query(crawl.db_path, "SELECT url FROM articles")}
    assert stored == {crawl.base + f"/Trang/ChiTiet.aspx?nid={n}" for n in range(1, 7)} | {
        crawl.base + "/tin/bai-7.html"}  # refused in the session, asked again as spelt
    asked = [p for p in crawl.paths if "ChiTiet" in p]
    assert len(asked) == 6  # one request an article
    assert all(SESSION.match(p) for p in asked)  # each in a session: no 302 first


# --- the rules, without a crawl ----------------------------------------------------------
def robots_answer(body: bytes, ctype: str = "text/plain", status: int = 200):
    from scrapy.http import Request, Response

    request = Request("http://tinh.gov.vn/robots.txt")
    return Response(request.url, status=status, body=body, request=request,
                    headers={"Content-Type": ctype})  # fmt: skip


@pytest.mark.parametrize("body, ctype", [
    (b"User-agent: *\nDisallow: /admin/\n", "text/plain"),
    (b"\xef\xbb\xbfuser-agent: *\r\ndisallow:\r\n", "text/html"),  # a BOM, CRLF, as HTML
    (b"# no rules yet\n\n", "text/plain"),
    (b"", "text/html"),
    (b"Sitemap: http://tinh.gov.vn/sitemap.xml", "application/octet-stream"),
])  # fmt: skip
def test_robots_files_of_any_content_type_are_robots_files(body, ctype):
    from crawler.middlewares import not_a_robots_file

    assert not_a_robots_file(robots_answer(body, ctype)) is None


def test_pages_and_text_without_a_rule_are_no_robots_file():
    from crawler.middlewares import not_a_robots_file

    login = not_a_robots_file(robots_answer(b"\n <!DOCTYPE html><html><title>Login", "text/html"))
    assert login.startswith("not a robots file: HTTP 200, Content-Type: text/html, an HTML page")
    # a page holding a rule's words is still a page
    assert not_a_robots_file(robots_answer(b"<html><pre>Disallow: /</pre></html>"))
    assert "text with no robots rule" in not_a_robots_file(robots_answer(b"File not found."))
    # 4xx and 5xx are Scrapy's and StrictRobotsTxtMiddleware's to read
    assert not_a_robots_file(robots_answer(b"<html>Not found</html>", status=404)) is None


def test_a_pagers_entries_say_what_number_its_first_page_has():
    from crawler.discovery import find_pager

    def first(links: str, url: str = "http://x.vn/tin-tuc") -> int | None:
        return find_pager(f"<div class='pager'>{links}</div>".encode(), url, []).first

    assert first("<span>1</span> <a href='?page=2'>2</a> <a href='?page=3'>3</a>") == 1
    assert first("<span>1</span> <a href='?page=1'>2</a> <a href='?page=2'>3</a>") == 0
    assert first("<a href='/tin-tuc/page/1/'>1</a> <span>2</span> <a href='/tin-tuc/page/3/'>3</a>",
                 "http://x.vn/tin-tuc/page/2/") == 1  # fmt: skip
    # entries that disagree, or lead to another listing, do not say
    assert first("<span>1</span> <a href='?page=2'>2</a> <a href='?page=2'>3</a>") is None
    assert first("<span>1</span> <a href='/khac?page=2'>2</a> <a href='/khac?page=3'>3</a>") is None


def test_a_session_in_the_url_is_put_back_under_its_application_path():
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import CookielessSessionMiddleware

    sessions = CookielessSessionMiddleware(get_crawler())
    first = Request("http://tinh.gov.vn/Portal/Trang/a.aspx?nid=1")
    assert sessions.process_request(first) is None  # no session met yet
    sessions.process_response(first, Response(
        "http://tinh.gov.vn/Portal/(S(abc123xyz))/Trang/a.aspx?nid=1", request=first))
    again = sessions.process_request(Request("http://tinh.gov.vn/Portal/Trang/b.aspx?nid=2"))
    assert again.url == "http://tinh.gov.vn/Portal/(S(abc123xyz))/Trang/b.aspx?nid=2"
    # outside the application, at another host, or in a session already: as it was
    assert sessions.process_request(Request("http://tinh.gov.vn/robots.txt")) is None
    assert sessions.process_request(Request("http://m.tinh.gov.vn/Portal/Trang/c.aspx")) is None
    assert sessions.process_request(Request(again.url)) is None


def test_a_page_failing_in_the_session_is_asked_again_as_spelt_and_its_folder_left_alone():
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import CookielessSessionMiddleware

    sessions = CookielessSessionMiddleware(get_crawler())
    home = Request("http://tinh.gov.vn/")
    sessions.process_response(home, Response("http://tinh.gov.vn/(S(abc123xyz))/", request=home))
    spelt = "http://tinh.gov.vn/tin/bai-2.html"
    in_session = sessions.process_request(Request(spelt))
    assert in_session.url == "http://tinh.gov.vn/(S(abc123xyz))/tin/bai-2.html"
    again = sessions.process_response(in_session, Response(in_session.url, status=404,
                                                           request=in_session))  # fmt: skip
    assert again.url == spelt and sessions.process_request(again) is None
    assert sessions.process_request(Request("http://tinh.gov.vn/tin/bai-3.html")) is None
    assert sessions.process_request(Request("http://tinh.gov.vn/Trang/a.aspx")) is not None
