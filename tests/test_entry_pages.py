"""Home pages that link nothing themselves. An old portal's ``<frameset>`` (or news shown in
an ``<iframe>``): its frames' documents hold the menus and teasers. A root that sends the
visitor on with a script (``window.location.href = "/vi/"``). The crawl follows frames as it
follows links, and a stub's script target; before, such a site finished with nothing stored
and no error.
"""

from __future__ import annotations

import pytest
from conftest import query, run_tintuc, serve_pages

from crawler.spiders.news import page_links


def story(n: int) -> bytes:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>Tin {n}</title></head><body>"
            f"<h1>Huyện Ba Chẽ tổ chức hội nghị số {n} năm 2025</h1><p>24/12/2025 09:30</p>"
            f"<p>Sáng 24/12, huyện Ba Chẽ tổ chức hội nghị số {n}, tổng kết công tác năm 2025 "
            "và triển khai nhiệm vụ năm 2026.</p></body></html>").encode()  # fmt: skip


PAGES = {
    "/": b"<html><head><meta charset='utf-8'><title>Huyen Ba Che</title></head>"
         b"<FRAMESET ROWS='120,*'><FRAME SRC='top.htm' NAME=top><FRAME SRC=main.htm></FRAMESET>",
    "/top.htm": b"<html><body><img src='/logo.png'></body></html>",
    "/main.htm": "<html><head><meta charset='utf-8'></head><body><h2>Tin tức</h2>"
                 "<h3><a href='tin/hoi-nghi-so-1-1001.htm'>Hội nghị số 1 của huyện năm 2025</a>"
                 "</h3><iframe src='/tin-moi.htm' width=300></iframe></body></html>".encode(),
    "/tin-moi.htm": "<html><head><meta charset='utf-8'></head><body><h3><a href="
                    "'/tin/hoi-nghi-so-2-1002.htm'>Hội nghị số 2 của huyện năm 2025</a></h3>"
                    "</body></html>".encode(),
    "/tin/hoi-nghi-so-1-1001.htm": story(1),
    "/redirect.htm": b"<html><head><script>window.location.href = '/main.htm';</script></head>"
                     b"<body></body></html>",
    "/tin/hoi-nghi-so-2-1002.htm": story(2),
}


def test_page_links_read_frames_and_iframes_after_the_links():
    body = (b"<a href='/a.htm'>A</a><FRAME SRC=\"/f.htm\"><iframe class=x src='i.htm'></iframe>"
            b"<iframe data-src='/lazy.htm'></iframe>")
    assert page_links(body, "http://h.vn/p/q.htm") == [  # a lazy frame's data-src too
        "http://h.vn/a.htm", "http://h.vn/f.htm", "http://h.vn/p/i.htm", "http://h.vn/lazy.htm"]


def test_a_stubs_script_target_is_a_link_but_not_a_scripts_on_a_page_of_links():
    stub = b"<script>if (1) { location.replace('/vi/trang-chu.aspx'); }</script>"
    assert page_links(stub, "http://h.vn/") == ["http://h.vn/vi/trang-chu.aspx"]
    menu = b"".join(b"<a href='/m%d.htm'>M</a>" % n for n in range(5))
    assert "http://h.vn/x.htm" not in page_links(menu + b"<script>location.href='/x.htm'</script>",
                                                "http://h.vn/")  # fmt: skip


@pytest.mark.e2e
@pytest.mark.parametrize("start", ["/", "/redirect.htm"])
def test_a_frameset_portal_or_a_script_redirect_is_crawled_through(tmp_path, start):
    db_path = tmp_path / "archive.db"
    with serve_pages(PAGES) as (base, _):
        run_tintuc("crawl", "--start-url", base + start, "--db", str(db_path))
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert stored == {base + "/tin/hoi-nghi-so-1-1001.htm", base + "/tin/hoi-nghi-so-2-1002.htm"}
