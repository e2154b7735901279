"""Articles a portal reaches only through cards a script makes links (fourteenth session's
probe of a local portal, crawled without a profile).

* Server-rendered Vue/React templates and some ePi/Liferay themes draw a listing's teasers as
  ``<div class="card" data-url="/tin-tuc/…-12.html">`` with no ``<a href>``. The spider read
  ``data-url`` only with a page number (scripts also name like counters, "Xem thêm" loaders and
  API endpoints there): a portal listing its news so gave its home page and nothing else.
"""

from __future__ import annotations

import pytest
from conftest import crawl_site, query
from test_clickable_links import TITLES as CLICKABLE_TITLES
from test_old_portal_links import story

from crawler.spiders.news import card_links, page_links

TITLES = {**CLICKABLE_TITLES,  # the clickable-links probe's eight stories, and four more
          9: "Tỉnh khởi công cầu dân sinh nối hai bờ sông cho người dân vùng lũ",
          10: "Xã biên giới tổ chức phiên chợ hàng Việt phục vụ bà con dân tộc",
          11: "Bệnh viện huyện đưa vào sử dụng máy chạy thận nhân tạo mới",
          12: "Câu lạc bộ thơ người cao tuổi giao lưu mừng xuân cùng thanh niên"}  # fmt: skip
SECTIONS = {"/thoi-su": ("Thời sự", range(1, 7)), "/kinh-te": ("Kinh tế", range(7, 13))}
# what scripts also name in data-url beside a listing's cards: a like counter, a "Xem thêm"
# loader (a page number: the existing pager rule follows it), a share button, an image's
# lightbox (a caption as long as a headline) and a tracking pixel
TRAPS = ("<button class='like' data-url='/api/like?id=5'>Thích 12</button>"
         "<div class='more' data-url='/ajax/more?page=2'>Xem thêm</div>"
         "<span class='share' data-url='https://facebook.com/sharer/sharer.php?u=x'>Chia sẻ</span>"
         "<div class='zoom' data-url='/img/cho-moi.jpg'><img src='/img/cho-moi.jpg' alt=''>"
         "<p>Toàn cảnh lễ khai trương chợ mới của xã vùng cao</p></div>"
         "<img class='pixel' data-url='/track/view.gif?p=1' src='/track/view.gif?p=1' width='1'>")


def page(title: str, main: str) -> bytes:
    menu = " ".join(f"<a href='{path}'>{name}</a>" for path, (name, _) in SECTIONS.items())
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><nav><a href='/'>Trang chủ</a> {menu}</nav><main>{main}</main>"
            "<footer>Báo điện tử tỉnh</footer></body></html>").encode()


def url(n: int) -> str:
    return f"/tin-tuc/bai-so-{n}-{1000 + n}.html"


def card(n: int) -> str:  # a teaser card naming its page only in data-url
    return (f"<div class='card' data-url='{url(n)}'><img src='/anh/{n}.jpg' alt=''>"
            f"<h3 class='card-title'>{TITLES[n]}</h3><span class='date'>12/12/2025</span></div>")


def portal(traps: bool):
    def answer(path: str) -> bytes | None:
        if path == "/":
            return page("Trang chủ", "<h2>Tin mới</h2>" + card(1) + card(7))
        if path in SECTIONS:
            name, numbers = SECTIONS[path]
            cards = "".join(card(n) for n in numbers)
            return page(name, f"<h1>{name}</h1><div class='list'>{cards}</div>"
                        + (TRAPS if traps else ""))
        if path == "/ajax/more?page=2":  # the loader's next cards: none left
            return b"<div class='list'></div>"
        for n in TITLES:
            if path == url(n):
                return page(TITLES[n], story(n, TITLES[n]))
        return None
    return answer


def test_cards_naming_their_page_in_data_url_are_teaser_links():
    base = "http://h.vn/thoi-su"
    body = page("Thời sự", "".join(card(n) for n in (1, 2)) + TRAPS
                + "<li onclick=\"location.href='/tin-tuc/bai-so-3-1003.html'\">"
                f"<span>{TITLES[3]}</span></li>"
                "<div data-url='/tin-tuc/bai-so-4-1004.html'><a href='/x'>Xem</a> "  # an anchor of
                f"{TITLES[4]}</div>"  # its own: the anchor is the link
                "<p data-url='/tin-tuc/bai-so-5-1005.html'>Chi tiết</p>")  # no headline
    cards = card_links(body, base)
    assert cards == ["http://h.vn" + url(n) for n in (1, 2, 3)]
    links = page_links(body, base)
    assert {"http://h.vn" + url(n) for n in (1, 2)} <= set(links)
    assert "http://h.vn/ajax/more?page=2" in links  # a pager, by the page-number rule
    for trap in ("/api/like", "facebook.com", "/img/", "bai-so-4", "bai-so-5"):
        assert not [u for u in links if trap in u], trap  # (the lightbox's image is a file)
    # the pixel's "?p=1" reads as a page number (the pager rule): a .gif, never asked for
    assert not [u for u in cards if "/track/" in u]


@pytest.mark.e2e
@pytest.mark.parametrize("traps", [False, True], ids=["cards", "cards-and-traps"])
def test_a_portal_of_data_url_cards_gives_every_article(tmp_path, traps):
    crawl = crawl_site(portal(traps), tmp_path)
    stored = sorted(r["title"] for r in query(crawl.db_path, "SELECT title FROM articles"))
    assert stored == sorted(TITLES.values())  # each once, and nothing else an article
    kinds = {r["url"][len(crawl.base):]: r["page_kind"] for r in query(
        crawl.db_path, "SELECT url, page_kind FROM captures WHERE page_kind != 'article'")}
    assert kinds["/thoi-su"] == kinds["/kinh-te"] == "listing"
    # the traps are never asked for; the "Xem thêm" loader is, as a listing's next page
    assert not [p for p in crawl.paths if p.startswith(("/api/", "/img/", "/track/"))]
    assert ("/ajax/more?page=2" in crawl.paths) == traps
    assert query(crawl.db_path, "SELECT url FROM crawl_errors") == []


def test_one_scan_of_the_cards_gives_page_links_the_same_links():
    """A generic crawl scans a listing's cards once (all clickable attributes, each link with
    its attribute) and hands page_links the data-url ones: the same links, in the same order."""
    base = "http://h.vn/thoi-su"
    body = page("Thời sự", card(1) + "<li onclick=\"location.href='/tin-tuc/bai-so-3-1003.html'\">"
                f"<span>{TITLES[3]}</span></li>" + card(2) + TRAPS)
    cards = card_links(body, base, with_attribute=True)
    assert cards == [(b"data-url", "http://h.vn" + url(1)), (b"onclick", "http://h.vn" + url(3)),
                     (b"data-url", "http://h.vn" + url(2))]
    data_url = [link for attribute, link in cards if attribute == b"data-url"]
    assert data_url == card_links(body, base, (b"data-url",))
    assert page_links(body, base, data_url) == page_links(body, base)
    assert [link for _, link in cards] == card_links(body, base)
