"""One article, many URLs: a site's mobile edition, its AMP views, session ids and a listing's
order and layout parameters.

The site is served under real host names (``tinhthu.vn`` and its mobile edition
``m.tinhthu.vn``) through the crawl's HTTP proxy. Each article links its mobile copy (the
first with a ``<link rel=canonical>`` back, the others without) and its AMP view
``/<slug>/amp``; the listing's links carry a fresh ``sid=<token>`` per page and offer sort and
layout choices. Each article must be stored once, every copy recorded with its reason, and the
listing fetched a few times, not once per session and facet.
"""

from __future__ import annotations

import os
from http.server import BaseHTTPRequestHandler
from itertools import count
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import query, run_tintuc, send_page, serving

from crawler.urls import canonical_url

HOST = "tinhthu.vn"
SLUGS = {
    1: "tinh-khanh-thanh-cau-vuot-song-lon",
    2: "nong-dan-trung-mua-dua-hau-tet",
    3: "truong-hoc-vung-cao-co-phong-may-moi",
}
TITLES = {
    1: "Tỉnh khánh thành cầu vượt sông lớn nối hai huyện",
    2: "Nông dân trúng mùa dưa hấu phục vụ thị trường tết",
    3: "Trường học vùng cao có phòng máy tính mới cho học sinh",
}


def page(title: str, main: str, head: str = "") -> bytes:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body><nav><a href='/'>Trang chủ</a></nav><main>{main}</main>"
            "<footer>Báo điện tử tỉnh</footer></body></html>").encode()  # fmt: skip


def article(n: int, head: str = "", links: str = "") -> bytes:
    return page(TITLES[n], f"<article><h1>{TITLES[n]}</h1><p class='date'>20/01/2026 07:30</p>"
                           f"<p>{TITLES[n]}, sự kiện được người dân trong vùng mong đợi suốt "
                           "nhiều năm qua, góp phần thúc đẩy kinh tế địa phương phát triển.</p>"
                           "<p>Lãnh đạo tỉnh đề nghị các sở, ngành tiếp tục phối hợp để công "
                           f"trình phát huy hiệu quả lâu dài.</p></article>{links}", head)


class MirrorSite(BaseHTTPRequestHandler):
    sessions = count(1)

    def do_GET(self):  # noqa: N802 (the crawl's proxy requests name the host in the URL)
        parts = urlsplit(self.path)
        self.server.paths.append(f"{parts.hostname}{parts.path}?{parts.query}")
        sid = f"sid=9f2c{next(self.sessions):04d}ab71e3d58c04"
        path = parts.path.removesuffix("/amp") + (".html" if parts.path.endswith("/amp") else "")
        n = next((n for n, s in SLUGS.items() if path == f"/tin/{s}.html"), None)
        body = None
        if n and parts.hostname == HOST:
            body = article(n, links=f"<a href='http://m.{HOST}/tin/{SLUGS[n]}.html'>Bản di động"
                                    f"</a> <a href='/tin/{SLUGS[n]}/amp'>AMP</a>"
                                    f" <a href='/tin-tuc?{sid}'>Tin tức</a>")  # fmt: skip
        elif n:  # the mobile edition: the first names its desktop page canonical
            canonical = f"<link rel='canonical' href='http://{HOST}{path}'>" if n == 1 else ""
            body = article(n, head=canonical)
        elif parts.path == "/tin-tuc" or (parts.path == "/" and parts.hostname == HOST):
            args = dict(parse_qsl(parts.query))
            facets = " ".join(f"<a href='/tin-tuc?{key}={value}&{sid}'>{value}</a>"
                              for key, value in (("sort", "moi-nhat"), ("sort", "xem-nhieu"),
                                                 ("view", "grid"), ("view", "list"),
                                                 ("order", "desc"))
                              if args.get(key) != value)  # fmt: skip
            body = page("Tin tức", "".join(f"<h3><a href='/tin/{s}.html?{sid}'>{TITLES[n]}</a>"
                                           "</h3>" for n, s in SLUGS.items())
                        + f"<div class='loc'>{facets}</div>")  # fmt: skip
        send_page(self, body)

    def log_message(self, *args):
        pass


def crawl_by_proxy(handler, db_path) -> list[str]:
    """Crawl ``http://{HOST}/`` served by ``handler`` as the crawl's HTTP proxy (so it answers
    for every host name) into ``db_path``; the host, path and query of each request."""
    with serving(handler) as (proxy, server):
        server.paths = []
        saved = os.environ.get("http_proxy")
        os.environ["http_proxy"] = proxy  # the crawl reaches both host names through it
        try:
            run_tintuc("crawl", "--start-url", f"http://{HOST}/", "--db", str(db_path),
                       "--max-pages", "200", "-s", "DOWNLOAD_DELAY=0",
                       "-s", "AUTOTHROTTLE_ENABLED=False")  # fmt: skip
        finally:
            if saved is None:
                os.environ.pop("http_proxy")
            else:
                os.environ["http_proxy"] = saved
        return server.paths


@pytest.fixture(scope="module")
def mirror_crawl(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("mirrors") / "archive.db"
    yield db_path, crawl_by_proxy(MirrorSite, db_path)


@pytest.mark.e2e
def test_each_article_is_stored_once_whatever_its_copies(mirror_crawl):
    db_path, paths = mirror_crawl
    rows = query(db_path, "SELECT url, title FROM articles")
    assert sorted(r["title"] for r in rows) == sorted(TITLES.values()), rows
    assert all(urlsplit(r["url"]).hostname == HOST and "/amp" not in r["url"] for r in rows)
    copies = query(db_path, "SELECT url, page_reason FROM captures WHERE url LIKE '%/amp' "
                            "OR url LIKE 'http://m.%.html'")
    assert len(copies) == 6, copies  # three mobile copies, three AMP views: each recorded
    assert all("same" in (c["page_reason"] or "") for c in copies), copies


@pytest.mark.e2e
def test_sessions_and_facets_multiply_no_listing_pages(mirror_crawl):
    _, paths = mirror_crawl
    listing = [p for p in paths if "/tin-tuc" in p]
    assert len(listing) <= 2, listing


def test_session_tokens_sort_and_layout_leave_the_url():
    assert canonical_url("http://a.vn/tin-tuc?page=2&sid=9f2c0001ab71e3d58c04&sort=moi-nhat"
                         "&view=grid&order=desc") == "http://a.vn/tin-tuc?page=2"
    assert canonical_url("http://a.vn/tin?sid=12") == "http://a.vn/tin?sid=12"  # a section id
    assert canonical_url("http://a.vn/index.php?option=com_content&view=article&id=3") == (
        "http://a.vn/index.php?option=com_content&view=article&id=3")  # Joomla's view: a page


class MobileEdition(BaseHTTPRequestHandler):
    """The whole site again on ``m.{HOST}``: the first article links its mobile copy, whose
    menu (relative links) leads to the mobile home page, which lists every article."""

    def do_GET(self):  # noqa: N802
        parts = urlsplit(self.path)
        self.server.paths.append(f"{parts.hostname}{parts.path}")
        n = next((n for n, s in SLUGS.items() if parts.path == f"/tin/{s}.html"), None)
        mobile = parts.hostname != HOST
        body = None
        if n:
            body = article(n, links=f"<a href='http://m.{HOST}/tin/{SLUGS[n]}.html'>Bản di "
                                    "động</a>" if n == 1 and not mobile else "")  # fmt: skip
        elif parts.path == "/":
            body = page("Trang chủ", "".join(f"<h3><a href='/tin/{s}.html'>{TITLES[n]}</a></h3>"
                                             for n, s in SLUGS.items()))  # fmt: skip
        send_page(self, body)

    def log_message(self, *args):
        pass


@pytest.mark.e2e
def test_a_mobile_edition_seen_to_mirror_the_site_is_not_crawled_again(tmp_path):
    """Once a page of ``m.`` showed what the same path shows on the site, its links to pages
    asked for on the site are not asked for again there (before: every article fetched at both
    hosts, each mobile copy only to be found the same)."""
    db_path = tmp_path / "archive.db"
    paths = crawl_by_proxy(MobileEdition, db_path)
    rows = query(db_path, "SELECT url, title FROM articles")
    assert sorted(r["title"] for r in rows) == sorted(TITLES.values()), rows
    assert all(urlsplit(r["url"]).hostname == HOST for r in rows), rows
    mobile_articles = [p for p in paths if p.startswith(f"m.{HOST}/tin/")]
    assert mobile_articles == [f"m.{HOST}/tin/{SLUGS[1]}.html"], paths
    copy = query(db_path, "SELECT page_reason FROM captures WHERE url LIKE 'http://m.%/tin/%'")
    assert len(copy) == 1 and copy[0]["page_reason"].startswith("the same page as"), copy
