"""Related links join the articles they point to, however the page spelled them.

``articles.url`` is canonical (the spider requests canonical URLs); related links are written
on pages with tracking parameters, fragments, upper-case hosts and default ports. The extractor
hands them over canonical, and migration m004 rewrites links stored before it did.
"""

from __future__ import annotations

import asyncio

import sqlite_utils
from datasette.app import Datasette

from pipelines.archive.schema import m004_canonical_related_links, migrations, open_archive
from pipelines.archive.store import linked_not_stored, save_articles
from pipelines.extractor.article import extract_article
from pipelines.extractor.related import is_article_url

SITE = "baotinh"
SOURCE = "https://baotinh.vn/thoi-su/hoi-nghi-tong-ket-cong-tac-nam-2001.html"
BRIDGE = "https://baotinh.vn/kinh-te/cau-moi-thong-xe-truoc-tet-1001.html"
SCHOOL = "https://baotinh.vn/xa-hoi/truong-hoc-moi-khanh-thanh-1002.html"
NOTICE = "https://baotinh.vn/Trang/ChiTietTinTuc.aspx?nid=1003"
FESTIVAL = "http://baotinh.vn/van-hoa/le-hoi-mua-xuan-tren-nui-1004.html"  # never stored
# (href as written on the page, headline); the bridge is linked twice, spelled two ways
HREFS = [
    (BRIDGE.replace("baotinh.vn", "BaoTinh.VN") + "?utm_source=zalo&utm_medium=share#top",
     "Cầu mới thông xe trước Tết Nguyên đán"),
    ("https://baotinh.vn:443/xa-hoi/truong-hoc-moi-khanh-thanh-1002.html?fbclid=IwAR0x",
     "Trường học mới khánh thành ở vùng cao"),
    ("/Trang/ChiTietTinTuc.aspx?nid=1003&zarsrc=30#binh-luan",
     "Thông báo lịch tiếp công dân tháng Ba"),
    ("HTTP://BAOTINH.VN:80/van-hoa/le-hoi-mua-xuan-tren-nui-1004.html#anh",
     "Lễ hội mùa xuân trên núi thu hút du khách"),
    (BRIDGE, "Cầu mới thông xe trước Tết Nguyên đán"),
    (SOURCE + "?utm_source=facebook#binh-luan", "Hội nghị tổng kết công tác năm"),  # itself
]
BODY = ("Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm và triển khai "
        "nhiệm vụ trọng tâm năm tới với sự tham dự của đại biểu các sở, ngành, địa phương trong "
        "tỉnh. Đồng chí Chủ tịch tỉnh nhấn mạnh yêu cầu đẩy nhanh tiến độ các dự án hạ tầng "
        "giao thông, bảo đảm an sinh xã hội cho người dân vùng cao.")


def source_page() -> str:
    items = "".join(f"<li><a href='{href}'>{text}</a></li>" for href, text in HREFS)
    return ("<html lang='vi'><head><title>Hội nghị tổng kết - Báo Tỉnh</title>"
            "<meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='2025-03-04T08:00:00+07:00'>"
            "</head><body><h1>Hội nghị tổng kết công tác năm</h1>"
            f"<div class='article__body'><p>{BODY}</p></div>"
            f"<div class='box'><h3>Tin liên quan</h3><ul>{items}</ul></div></body></html>")


def stored_target(url: str, title: str) -> dict:
    return {"url": url, "site": SITE, "title": title, "text": f"{title}. {BODY}",
            "published": "2025-03-01T08:00:00+07:00", "fetched": "2025-03-01T09:00:00+00:00"}


TARGETS = [
    stored_target(BRIDGE, "Cầu mới thông xe"),
    stored_target(SCHOOL, "Trường học mới"),
    stored_target(NOTICE, "Lịch tiếp công dân"),
]


def test_extracted_related_links_are_canonical_and_one_per_article():
    result = extract_article(source_page(), SOURCE + "?utm_source=facebook")
    assert result is not None
    assert result["url"] == SOURCE
    assert [(r["url"], r["position"]) for r in result["related"]] == [
        (BRIDGE, 0), (SCHOOL, 1), (NOTICE, 2), (FESTIVAL, 3)]  # fmt: skip


def test_article_links_are_judged_on_their_canonical_url():
    listing = "https://baotinh.vn/Trang/TinTuc.aspx"
    assert is_article_url(NOTICE + "&utm_source=zalo", SOURCE)
    assert not is_article_url(listing + "?utm_id=12345", SOURCE)  # a tracking id is no article id
    assert not is_article_url(SOURCE.replace("baotinh.vn", "BAOTINH.VN:443") + "#top", SOURCE)


def most_linked(db_path) -> list[dict]:
    async def run():
        ds = Datasette([str(db_path)])
        return await ds.client.get("/archive/most_linked_articles.json?_shape=array")

    response = asyncio.run(run())
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_related_links_join_the_stored_articles(tmp_path):
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    source = {**extract_article(source_page(), SOURCE), "site": SITE}
    save_articles(db, [*TARGETS, source])

    # the article page's "Related" and the targets' "Linked from" join on articles.url
    joined = db.execute(
        "SELECT r.to_url, a.title FROM related_links r LEFT JOIN articles a ON a.url = r.to_url "
        "WHERE r.from_url = ? ORDER BY r.position", [SOURCE]).fetchall()  # fmt: skip
    assert joined == [(BRIDGE, "Cầu mới thông xe"), (SCHOOL, "Trường học mới"),
                      (NOTICE, "Lịch tiếp công dân"), (FESTIVAL, None)]  # fmt: skip
    # only the one article never stored is re-fetched after a crash
    assert linked_not_stored(db, SITE) == [FESTIVAL]
    db.close()

    rows = {r["url"]: (r["title"], r["linked_from"], r["article_id"] is not None)
            for r in most_linked(db_path)}  # fmt: skip
    assert rows == {
        BRIDGE: ("Cầu mới thông xe", 1, True),
        SCHOOL: ("Trường học mới", 1, True),
        NOTICE: ("Lịch tiếp công dân", 1, True),
        FESTIVAL: ("Lễ hội mùa xuân trên núi thu hút du khách", 1, False),
    }


RAW_SOURCE = "https://BaoTinh.vn/thoi-su/hoi-nghi-tong-ket-cong-tac-nam-2001.html#top"
BAD_PORT = "http://baotinh.vn:abc/tin-1005.html"


def link(from_url, block, to_url, anchor, first_seen, position=0):
    return {"from_url": from_url, "block": block, "to_url": to_url, "anchor": anchor,
            "position": position, "first_seen": first_seen, "crawl_id": None}


OLD_LINKS = [
    # two raw spellings of the bridge: the earlier one is kept
    link(SOURCE, "Tin liên quan", BRIDGE + "?utm_source=zalo", "later", "2025-01-02"),
    link(SOURCE, "Tin liên quan",
         "HTTPS://BAOTINH.VN/kinh-te/cau-moi-thong-xe-truoc-tet-1001.html#top", "earliest",
         "2025-01-01", 1),
    # a canonical row seen before its raw twin stays
    link(SOURCE, "Tin liên quan", SCHOOL, "canonical first", "2025-01-03", 2),
    link(SOURCE, "Tin liên quan", SCHOOL.replace("vn/", "vn:443/"), "raw later", "2025-01-05", 2),
    # the same target in another block is another row
    link(SOURCE, "Đọc thêm", NOTICE + "&utm_campaign=x#a", "other block", "2025-01-04"),
    # a raw from_url is rewritten too; an unparsable URL stays as it was
    link(RAW_SOURCE, "Xem thêm", FESTIVAL.replace("http", "HTTP") + "#anh", "raw", "2025-01-06"),
    link(SOURCE, "Xem thêm", BAD_PORT, "bad port", "2025-01-07"),
]
EXPECTED_LINKS = [
    (SOURCE, "Tin liên quan", BRIDGE, "earliest", "2025-01-01"),
    (SOURCE, "Tin liên quan", SCHOOL, "canonical first", "2025-01-03"),
    (SOURCE, "Xem thêm", BAD_PORT, "bad port", "2025-01-07"),
    (SOURCE, "Xem thêm", FESTIVAL, "raw", "2025-01-06"),
    (SOURCE, "Đọc thêm", NOTICE, "other block", "2025-01-04"),
]


def links_of(db) -> list[tuple]:
    return db.execute("SELECT from_url, block, to_url, anchor, first_seen FROM related_links "
                      "ORDER BY from_url, block, to_url").fetchall()  # fmt: skip


def test_migration_rewrites_links_stored_as_written(tmp_path):
    db_path = tmp_path / "archive.db"
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="m004_canonical_related_links")
    assert "m004_canonical_related_links" not in {m.name for m in migrations.applied(old)}
    # articles were stored canonical all along: only the links need rewriting
    old["articles"].insert_all({"url": a["url"], "site": SITE, "title": a["title"]}
                               for a in [*TARGETS, {"url": SOURCE, "title": "Hội nghị"}])
    old["related_links"].insert_all(OLD_LINKS)
    old["related_ids"].insert_all([
        {"from_url": RAW_SOURCE, "block": "Xem thêm", "ids": "[\"7\"]", "first_seen": "2025-01-01"},
        {"from_url": SOURCE, "block": "Xem thêm", "ids": "[\"8\"]", "first_seen": "2025-01-02"},
    ])  # fmt: skip
    old.close()

    db = open_archive(db_path)
    assert links_of(db) == sorted(EXPECTED_LINKS)
    assert db.execute("SELECT from_url, ids FROM related_ids").fetchall() == [(SOURCE, '["7"]')]
    assert sorted(linked_not_stored(db, SITE)) == sorted([BAD_PORT, FESTIVAL])

    m004_canonical_related_links(db)  # again: nothing left to rewrite
    assert links_of(db) == sorted(EXPECTED_LINKS)
    db.close()
