"""Links of old portals a generic crawl meets (twelfth session's probe of seven local sites).

* An IIS portal written on Windows links ``\\TinTuc\\bai-1.aspx``: a browser reads a backslash
  before the query as a slash (the WHATWG URL standard); the crawl asked for ``/%5CTinTuc%5C…``
  and half the site's articles were never found (8 of 16).
* Popups: ``href="javascript:openNews('/TinTuc/bai-2.aspx')"`` and ``onclick="window.open('…')"``
  were no links at all (0 of 16 articles found on a portal listing its news so).
* WordPress's ``/<post>/comment-page-2/``: the post's title over its readers' comments, stored
  as a second copy of every post (16 extra rows for 16 posts).
* A portal keying its items by GUID (``?ItemID={…}&CatID=2``) whose home page links them
  without ``CatID``: the item key was read as the GUID's leading digits, so the two links of
  one article were never paired (6 of 16 articles stored twice).
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import crawl_site, query

from crawler.spiders.news import page_links
from crawler.url_shapes import ItemParts, url_parts

TITLES = {
    1: "Xã vùng cao khánh thành trường mầm non mới cho con em đồng bào",
    2: "Huyện ven biển ra quân làm đường giao thông nông thôn đầu năm",
    3: "Hợp tác xã chè sạch ra mắt sản phẩm đạt chuẩn OCOP bốn sao",
    4: "Trạm y tế xã tiêm vắc xin cho trẻ dưới năm tuổi trong tháng",
    5: "Nông dân tổng kết mùa vụ lúa đông xuân đạt năng suất cao",
    6: "Thành phố trao nhà đại đoàn kết cho các hộ nghèo trước Tết",
}
GUIDS = {n: "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"tin-{n}")).upper() + "}" for n in TITLES}


def page(title: str, main: str) -> bytes:
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            "</head><body><nav><a href='/'>Trang chủ</a> <a href='/Pages/DanhMuc.aspx?CatID=2'>"
            f"Tin tức</a></nav><main>{main}</main><footer>Cổng thông tin điện tử huyện</footer>"
            "</body></html>").encode()


def story(n: int, title: str) -> str:
    """Story ``n``'s headline, dateline and two paragraphs."""
    return (f"<h1>{title}</h1><p class='date'>12/12/2025 08:{n:02d}</p>"
            f"<p>Sáng 12/12, {title.lower()} trong sự chờ đợi của người dân địa phương. Đây là "
            "công việc được chuẩn bị suốt nhiều tháng qua với sự tham gia của các ngành.</p>"
            f"<p>Theo lãnh đạo địa phương, kết quả bước đầu cho thấy cách làm mới phù hợp với "
            f"điều kiện thực tế, góp phần nâng cao đời sống của bà con trong vùng số {n}.</p>")


def article(n: int) -> bytes:
    comments = f"<div id='comments'><a href='/tin/bai-{n}/comment-page-2/'>Bình luận cũ hơn</a>"
    return page(TITLES[n], story(n, TITLES[n]) + comments + "</div>")


def guid_link(n: int, context: str = "") -> str:
    return f"/Pages/ChiTiet.aspx?ItemID={GUIDS[n]}{context}"


def home() -> bytes:
    return page("Trang chủ", (
        f"<h3><a href='\\TinTuc\\bai-1.aspx'>{TITLES[1]}</a></h3>"
        f"<h3><a href=\"javascript:openNews('/TinTuc/bai-2.aspx')\">{TITLES[2]}</a></h3>"
        f"<h3><a href='javascript:void(0)' onclick=\"window.open('/TinTuc/bai-3.aspx', "
        f"'tin', 'width=800')\">{TITLES[3]}</a></h3>"
        "<a href=\"javascript:showTab('tab2')\">Tin ảnh</a>"
        + "".join(f"<h3><a href='{guid_link(n)}'>{TITLES[n]}</a></h3>" for n in (4, 5, 6))))


def portal_page(path: str) -> bytes | None:
    parts = urlsplit(path)
    params = dict(parse_qsl(parts.query))
    if parts.path == "/":
        return home()
    if parts.path in ("/TinTuc/bai-1.aspx", "/TinTuc/bai-2.aspx", "/TinTuc/bai-3.aspx"):
        return article(int(parts.path[-6]))
    if parts.path.endswith("/comment-page-2/"):
        n = int(parts.path.split("/")[2][4:])
        return page(TITLES[n], f"<h1>{TITLES[n]}</h1><ol><li>Bài viết hay.</li></ol>")
    if parts.path == "/Pages/DanhMuc.aspx" and params.get("CatID") == "2":
        return page("Tin tức", "".join(
            f"<h3><a href='{guid_link(n, '&amp;CatID=2')}'>{TITLES[n]}</a></h3>"
            for n in (4, 5, 6)))
    if parts.path == "/Pages/ChiTiet.aspx":
        found = [n for n, guid in GUIDS.items() if guid == params.get("ItemID", "").upper()]
        return article(found[0]) if found else None
    return None


@pytest.fixture(scope="module")
def old_portal_crawl(tmp_path_factory):
    crawl = crawl_site(portal_page, tmp_path_factory.mktemp("oldportal"))
    return crawl.db_path, crawl.paths


def stored_titles(db_path) -> list[str]:
    return sorted(row["title"] for row in query(db_path, "SELECT title FROM articles"))


@pytest.mark.e2e
def test_backslash_and_popup_links_are_followed(old_portal_crawl):
    db_path, paths = old_portal_crawl
    assert {TITLES[1], TITLES[2], TITLES[3]} <= set(stored_titles(db_path))
    assert not [p for p in paths if "%5C" in p.upper() or "javascript" in p.lower()]


@pytest.mark.e2e
def test_comment_pages_are_not_fetched(old_portal_crawl):
    db_path, paths = old_portal_crawl
    assert not [p for p in paths if "comment-page" in p]
    assert len(stored_titles(db_path)) == len(set(stored_titles(db_path)))


@pytest.mark.e2e
def test_an_item_keyed_by_guid_in_two_contexts_is_stored_once(old_portal_crawl):
    db_path, _ = old_portal_crawl
    assert stored_titles(db_path) == sorted(TITLES.values())


def test_script_links_read_as_a_browser_follows_them():
    body = (b"<a href=\"javascript:openNews('/tin/1.asp?id=5')\">a</a>"
            b"<a href=\"javascript:showTab('tab2')\">b</a><a href='javascript:void(0)'>c</a>"
            b"<a href='#' onclick=\"window.open('/tin/2.asp','t')\">d</a>"
            b"<a href='..\\Tin\\3.aspx?q=a\\b'>e</a>")
    assert page_links(body, "http://h.vn/a/b.html") == [
        "http://h.vn/tin/1.asp?id=5", "http://h.vn/a/b.html", "http://h.vn/Tin/3.aspx?q=a%5Cb",
        "http://h.vn/tin/2.asp"]


def test_a_guid_names_an_item():
    parts = url_parts("http://h.vn/Pages/ChiTiet.aspx?ItemID={8F3A0C1E-1111-2222-3333-4444AB}")
    assert parts["?itemid"] == "{8F3A0C1E-1111-2222-3333-4444AB}"  # not a GUID: as it is
    items = ItemParts()
    items.learn([f"http://h.vn/P.aspx?ItemID={GUIDS[n]}&CatID=2" for n in (4, 5, 6)])
    assert items.item_of(f"http://h.vn/P.aspx?ItemID={GUIDS[5]}") == [
        ("?itemid", GUIDS[5].strip("{}").lower())]
