"""Listings whose older pages only a script asks for (tenth session's probe), on one small
local site: a generic crawl reads the site paths written in attributes and inline scripts,
and runs no script.

* a "Xem thêm" button fetching an HTML fragment from ``data-url="/ajax/tin?page=2"``;
* an inline script's ``fetch('/api/tin-cu?page=2')``;
* a JSON API named in ``data-api`` (``{"items": [{"url", "title"}]}``), whose next pages its
  script asks for by counting: the crawl asks for page N+1 while page N lists something new;
* a category ``<select onchange="location=this.value">`` with ``<option value="/…">``;
* an infinite scroll's ``data-next-page``;
* a pager of ``javascript:void(0)`` entries with ``data-page="2"`` under a container whose
  ``data-href="/tin-tuc?page="`` names the listing URL.

Each leads to articles no other page links. A date archive's form (``<form method=get
action="/luu-tru"><input type=date name=ngay>``) is not filled in (every day would be a URL, a
calendar's trap, and which days hold news only the site knows): the crawl's errors say so
once. Paths that are not plainly the site's own
(``//host/…``, ``https://other/…``) are not read.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import Answer, crawl_site, query

from crawler import discovery
from crawler.spiders.news import page_links

SUBJECTS = ["Nông dân xã ven sông", "Trường tiểu học vùng cao", "Bệnh viện đa khoa huyện",
            "Hợp tác xã chè", "Ngư dân cảng cá", "Đoàn thanh niên phường", "Sở Giao thông",
            "Hội nông dân tỉnh", "Công an huyện biên giới", "Ban quản lý chợ đầu mối",
            "Trạm y tế xã đảo", "Nhà văn hóa thôn", "Câu lạc bộ dưỡng sinh"]
WAYS = {"ajax": (1, 2), "fetch": (3, 4), "json": (5, 6, 7), "select": (8, 9),
        "scroll": (10, 11), "datapage": (12, 13)}


def title(n: int) -> str:
    return f"{SUBJECTS[n - 1]} triển khai kế hoạch mới trong tháng mười hai"


def path(n: int) -> str:
    return f"/bai-viet/ke-hoach-moi-so-{n}.html"


def html_page(head_title: str, main: str) -> bytes:
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{head_title}"
            f"</title></head><body><nav><a href='/'>Trang chủ</a></nav><main>{main}</main>"
            "<footer>Báo điện tử tỉnh</footer></body></html>").encode()


def teasers(numbers) -> str:
    return "".join(f"<div class='item'><h3><a href='{path(n)}'>{title(n)}</a></h3></div>"
                   for n in numbers)  # fmt: skip


def article(n: int) -> bytes:
    return html_page(title(n), (
        f"<article><h1>{title(n)}</h1><p class='date'>{n:02d}/12/2025 08:30</p>"
        f"<p>Sáng {n}/12, {title(n).lower()} với sự tham dự của đông đảo cán bộ và nhân dân "
        "địa phương, sau nhiều tháng chuẩn bị cùng các sở, ngành liên quan.</p><p>Theo lãnh "
        "đạo địa phương, thời gian tới sẽ tiếp tục triển khai các giải pháp nâng cao đời sống "
        "của bà con trong vùng.</p></article>"))  # fmt: skip


HOME = html_page("Trang chủ", (
    "<h2>Tin mới</h2><div id='list'></div>"
    "<button class='xem-them' data-url='/ajax/tin?page=2'>Xem thêm</button>"
    "<a href='#' id='tai-them'>Tải thêm</a><script>document.getElementById('tai-them')"
    ".onclick=function(){fetch('/api/tin-cu?page=2').then(r=>r.text())};"
    "fetch('//cdn.example.net/quang-cao'); $.get('https://other.example.net/tin');</script>"
    "<div class='box' data-api='/api/tin-tuc?page=1'></div>"
    "<select onchange='location=this.value'><option>Chuyên mục</option>"
    "<option value='/chuyen-muc/van-hoa'>Văn hóa</option></select>"
    "<div class='infinite-scroll' data-next-page='/tin-moi/trang-2'></div>"
    "<form method='get' action='/luu-tru'><input type='date' name='ngay'><button>Xem</button>"
    "</form><form action='/tim-kiem'><input name='q'></form>"
    "<div class='pager' data-href='/tin-tuc?page='><a href='javascript:void(0)' data-page='1'>1"
    "</a> <a href='javascript:void(0)' data-page='2'>2</a></div>"))


def scripted_site(asked: str) -> Answer:
    parts = urlsplit(asked)
    page = parse_qs(parts.query).get("page", [""])[0]
    if parts.path == "/":
        return HOME
    if parts.path.startswith("/bai-viet/ke-hoach-moi-so-"):
        return article(int(parts.path.rsplit("-", 1)[1].split(".")[0]))
    if parts.path == "/ajax/tin" and page == "2":
        return teasers(WAYS["ajax"]).encode()  # a fragment, as a button inserts it
    if parts.path == "/api/tin-cu" and page == "2":
        return teasers(WAYS["fetch"]).encode()
    if parts.path == "/api/tin-tuc" and page in ("1", "2", "3"):
        numbers = {"1": (5, 6), "2": (7,), "3": ()}[page]
        items = [{"url": path(n), "title": title(n)} for n in numbers]
        return 200, {"Content-Type": "application/json"}, json.dumps({"items": items}).encode()
    if parts.path == "/chuyen-muc/van-hoa":
        return html_page("Văn hóa", teasers(WAYS["select"]))
    if parts.path == "/tin-moi/trang-2":
        return html_page("Tin mới", teasers(WAYS["scroll"]))
    if parts.path == "/tin-tuc":  # its first page is the home page's
        return html_page("Tin tức", teasers(WAYS["datapage"]) if page == "2" else "")
    return None


@pytest.fixture(scope="module")
def scripted_crawl(tmp_path_factory):
    crawl = crawl_site(scripted_site, tmp_path_factory.mktemp("scripted"))
    return crawl.base, crawl.db_path, crawl.paths


@pytest.mark.e2e
@pytest.mark.parametrize("way", list(WAYS))
def test_articles_a_script_would_fetch_are_stored(scripted_crawl, way):
    base, db_path, _ = scripted_crawl
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert {base + path(n) for n in WAYS[way]} <= stored


@pytest.mark.e2e
def test_a_json_listing_is_paged_while_it_lists_something_new(scripted_crawl):
    _, db_path, paths = scripted_crawl
    assert {"/api/tin-tuc?page=1", "/api/tin-tuc?page=2", "/api/tin-tuc?page=3"} <= set(paths)
    assert "/api/tin-tuc?page=4" not in paths  # page 3 listed nothing
    errors = query(db_path, "SELECT url, error FROM crawl_errors")
    assert [e["url"].rsplit("/", 1)[1] for e in errors] == ["luu-tru"]


@pytest.mark.e2e
def test_a_date_archive_form_is_said_not_filled_in(scripted_crawl):
    base, db_path, paths = scripted_crawl
    errors = query(db_path, "SELECT url, error FROM crawl_errors")
    assert errors == [{"url": base + "/luu-tru", "error": errors[0]["error"]}]
    assert "date archive form" in errors[0]["error"]
    assert not [p for p in paths if p.startswith("/luu-tru")]
    assert discovery.date_archive_forms(HOME, "http://h.vn/") == ["http://h.vn/luu-tru"]
    post = b"<form method='post' action='/x'><input type='date' name='ngay'></form>"
    assert discovery.date_archive_forms(post, "http://h.vn/") == []


def test_site_paths_in_attributes_and_scripts_are_links_and_no_other_host():
    links = page_links(HOME, "http://h.vn/")
    assert {"http://h.vn/ajax/tin?page=2", "http://h.vn/api/tin-cu?page=2",
            "http://h.vn/api/tin-tuc?page=1", "http://h.vn/chuyen-muc/van-hoa",
            "http://h.vn/tin-moi/trang-2"} <= set(links)  # fmt: skip
    assert not [u for u in links if "example.net" in u]
    script = b"<script>fetch(`/tin/${id}`); var x = '/not/a/call';</script>"
    assert page_links(script, "http://h.vn/") == []
    # what a script calls without a page number is a counter, a widget or a form's handler:
    # no page of a listing, and a GET to it may count a view
    widgets = (b"<div data-url='/Ajax/CountView.ashx?id=5'></div><script>$.ajax({url: "
               b"'/handler/ThoiTiet.ashx'}); $.get('/api/binh-chon');</script>")
    assert page_links(widgets, "http://h.vn/") == []


def test_json_links_and_next_page_url():
    body = json.dumps({"items": [{"url": "/tin/a-1.html", "title": title(1)},
                                 {"url": "https://other.vn/tin/b.html", "title": title(2)}],
                       "next": "/api/tin?page=3"}).encode()  # fmt: skip
    links, headlined = discovery.json_links(body, "http://h.vn/api/tin?page=2")
    assert set(links) == {"http://h.vn/tin/a-1.html", "http://h.vn/api/tin?page=3"}
    assert headlined == ["http://h.vn/tin/a-1.html"]
    assert discovery.json_links(b"<html>", "http://h.vn/") == ([], [])
    assert discovery.next_page_url("http://h.vn/api/tin?cat=2&page=2") == \
        "http://h.vn/api/tin?cat=2&page=3"
    assert discovery.next_page_url("http://h.vn/tin/trang-4") == "http://h.vn/tin/trang-5"
    assert discovery.next_page_url("http://h.vn/api/tin") is None


def test_a_pager_of_script_entries_is_read_from_its_container():
    body = HOME.replace(b"<div class='pager'", b"<p>x</p><div class='pager'")
    found = discovery.find_pager(body, "http://h.vn/", page_links(body, "http://h.vn/"))
    assert "http://h.vn/tin-tuc?page=2" in found.links
    template = (b"<div class='pager' data-url='/tin/trang-{page}'><a href='#' data-page='2'>2</a>"
                b" <a href='#' data-page='3'>3</a></div>")
    assert discovery.find_pager(template, "http://h.vn/", []).links == [
        "http://h.vn/tin/trang-2", "http://h.vn/tin/trang-3"]
    no_base = b"<div><a href='#' data-page='2'>2</a> <a href='#' data-page='3'>3</a></div>"
    assert discovery.find_pager(no_base, "http://h.vn/", []).links == []
