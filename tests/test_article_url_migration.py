"""Migration m011 rewrites ``articles.url`` with today's canonical rules, losing nothing.

Archives written before ``canonical_url`` dropped a ``language=vi-VN`` switch, ``page=0`` or a
session id hold articles under those spellings; the next crawl would store them again under
the new one, and related links (canonical) miss them. The archive here is built as such an
archive was: stopped before the migration, articles saved under the old spellings.
"""

from __future__ import annotations

import pytest
import sqlite_utils
from test_charts import counts_agree
from test_datasette import fetch

from pipelines.archive import store
from pipelines.archive.schema import m011_canonical_article_urls, migrations, open_archive
from pipelines.archive.store import linked_not_stored, save_articles
from pipelines.text import fold
from tintuc.export import fts_query

SITE, OTHER_SITE = "baotinh", "baokhac"
BRIDGE = "https://baotinh.vn/kinh-te/cau-moi-thong-xe-1001.html"
SCHOOL = "https://baotinh.vn/xa-hoi/truong-hoc-moi-khanh-thanh-1002.html"
NOTICE = "https://baotinh.vn/Trang/ChiTietTinTuc.aspx?nid=1003"
PORTAL = "https://baotinh.vn/portal/le-hoi-mua-xuan-1004.html"
FORM = "https://baotinh.vn/thu-tuc-hanh-chinh-1005.aspx"
SERIES = "https://baotinh.vn/phong-su/ve-mien-nui-1006.html"
SOURCE = "https://baotinh.vn/thoi-su/hoi-nghi-tong-ket-2001.html"
COPY = "https://baokhac.vn/tin-tinh-ban/cau-moi-thong-xe-9001.html"
# spelt as older versions of canonical_url left them
OLD = {
    BRIDGE: BRIDGE + "?language=vi-VN",
    SCHOOL: SCHOOL + "?lang=vi",
    NOTICE: NOTICE + "&PHPSESSID=9f8e7d6c5b4a",
    PORTAL: PORTAL.replace(".html", ".html;jsessionid=A1B2C3D4E5"),
    FORM: FORM.replace("vn/", "vn/(S(kx2fq3abcd))/"),
    SERIES: SERIES + "?page=0",
}
# what the rules leave alone: another page of an article, another language
STAYS = [SERIES + "?page=2", BRIDGE + "?lang=en"]
BODY = ("Sáng nay, Ủy ban nhân dân tỉnh tổ chức lễ thông xe cây cầu mới bắc qua sông lớn, nối "
        "trung tâm thành phố với các xã vùng cao phía bắc. Công trình dài gần một cây số, tổng "
        "vốn đầu tư hơn năm trăm tỷ đồng, được khởi công từ hai năm trước. Người dân hai bên bờ "
        "sông không còn phải đi đò qua lại, hàng hóa nông sản được vận chuyển nhanh hơn.")
OLD_ONLY = "Ban đầu công trình dự kiến thông xe vào tháng Giêng."  # only the old row's text
NEW_ONLY = "Lễ thông xe diễn ra trong không khí phấn khởi."


def article(url, title, text, fetched, *, site=SITE, related=(), capture_id=None, ids=None):
    return {"url": url, "site": site, "title": title, "text": text, "fetched": fetched,
            "published": "2024-05-01T08:00:00+07:00", "capture_id": capture_id,
            "related_ids": [{"block": "Xem thêm", "ids": ids}] if ids else [],
            "related": [{"url": u, "text": t, "block": "Tin liên quan", "position": i}
                        for i, (u, t) in enumerate(related)]}  # fmt: skip


def build_old_archive(path) -> None:
    """An archive as the code before m011 wrote it, in the order the crawls stored it."""
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m011_canonical_article_urls")
    assert "m011_canonical_article_urls" not in {m.name for m in migrations.applied(old)}
    old["captures"].insert_all(
        {"id": i, "url": url, "final_url": url, "status": 200, "time": "2024-05-01T00:00:00+00:00"}
        for i, url in enumerate([OLD[BRIDGE], BRIDGE, OLD[SCHOOL]], start=1)
    )  # fmt: skip
    save_articles(old, [
        # the bridge under its old spelling (1), a copy on another site (2), then itself (3)
        article(OLD[BRIDGE], "Cầu mới thông xe", f"{BODY} {OLD_ONLY}", "2024-05-01T02:00:00+00:00",
                related=[(OLD[PORTAL], "Lễ hội (cũ)")], capture_id=1, ids=["1007"]),
        article(COPY, "Cầu mới thông xe", f"{BODY} Theo Báo Tỉnh.", "2024-05-02T02:00:00+00:00",
                site=OTHER_SITE),
        article(BRIDGE, "Cầu mới đã thông xe", f"{BODY} {NEW_ONLY}", "2025-03-01T02:00:00+00:00",
                related=[(PORTAL, "Lễ hội mùa xuân")], capture_id=2),
        # the school: its text under the old spelling (4); the new one failed to extract (5)
        article(OLD[SCHOOL], "Trường học mới", "Trường học mới khánh thành ở vùng cao.",
                "2024-06-01T02:00:00+00:00", capture_id=3),
        article(SCHOOL, "Trang chủ", "", "2025-03-02T02:00:00+00:00"),
        *(article(OLD[url], f"Tin {url[-9:]}", f"Nội dung {url[-9:]}.", "2024-07-01T02:00:00+00:00")
          for url in (NOTICE, PORTAL, FORM, SERIES)),
        *(article(url, f"Trang {url[-6:]}", "Nội dung khác.", "2024-07-01T02:00:00+00:00")
          for url in STAYS),
        # stored by today's code: its related links are canonical
        article(SOURCE, "Hội nghị tổng kết", "Hội nghị tổng kết công tác năm.",
                "2025-03-03T02:00:00+00:00", related=[(BRIDGE, "Cầu"), (SCHOOL, "Trường"),
                                                      (NOTICE, "Lịch"), (PORTAL, "Lễ hội")]),
    ])  # fmt: skip
    old.close()


@pytest.fixture
def before(tmp_path, monkeypatch):
    path = tmp_path / "archive.db"
    # the code before m011 (and m012) knew no other addresses of an article
    monkeypatch.setattr(store, "stored_at_another_address", lambda *args: None)
    build_old_archive(path)
    db = sqlite_utils.Database(path)
    # the old archive as the migration finds it: the bridge is stored twice, ids 1 and 3
    assert db.execute("SELECT id FROM articles WHERE url IN (?, ?) ORDER BY id",
                      [OLD[BRIDGE], BRIDGE]).fetchall() == [(1,), (3,)]  # fmt: skip
    rows = {r["id"]: r for r in db.query("SELECT * FROM articles")}
    db.close()
    return path, rows


@pytest.fixture
def migrated(before):
    path, rows = before
    db = open_archive(path)  # runs the migrations it has not had
    yield db, rows
    db.close()


def urls(db) -> dict[int, str]:
    return dict(db.execute("SELECT id, url FROM articles").fetchall())


def db_path(db) -> str:
    return db.execute("PRAGMA database_list").fetchone()[2]


def search(db, words: str) -> list[int]:
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid"
    return [r[0] for r in db.execute(sql, [fts_query(fold(words))]).fetchall()]


def test_article_urls_become_canonical_and_the_others_stay_as_they_were(migrated):
    db, before = migrated
    after = urls(db)
    assert sorted(after.values()) == sorted([*OLD, *STAYS, SOURCE, COPY])  # one row per article
    for article_id, url in after.items():
        if url in STAYS or url in (SOURCE, COPY):  # already canonical: the row is untouched
            row = dict(db["articles"].get(article_id))  # later migrations' columns aside
            assert {k: row[k] for k in before[article_id]} == before[article_id]
    # the requests as made stay in captures: history, named by the WARC records
    assert [r[0] for r in db.execute("SELECT url FROM captures ORDER BY id")] == [
        OLD[BRIDGE], BRIDGE, OLD[SCHOOL]]  # fmt: skip


def test_two_spellings_merge_into_the_newest_and_the_other_text_becomes_a_version(migrated):
    db, before = migrated
    (kept,) = db.query("SELECT * FROM articles WHERE url = ?", [BRIDGE])
    assert (kept["id"], kept["title"], kept["text"]) == (3, "Cầu mới đã thông xe",
                                                         f"{BODY} {NEW_ONLY}")  # fmt: skip
    # first stored under the old spelling, last fetched under the new one
    assert (kept["first_seen"], kept["last_seen"]) == (before[1]["first_seen"],
                                                       before[3]["last_seen"])  # fmt: skip
    versions = list(db.query("SELECT * FROM article_versions WHERE article_id = 3"))
    assert [{k: v[k] for k in ("url", "title", "text", "content_hash", "first_seen", "replaced",
                               "capture_id")} for v in versions] == [{
        "url": BRIDGE, "title": "Cầu mới thông xe", "text": f"{BODY} {OLD_ONLY}",
        "content_hash": before[1]["content_hash"], "first_seen": before[1]["first_seen"],
        "replaced": before[1]["last_seen"], "capture_id": 1}]  # fmt: skip
    # nothing refers to the row merged away
    for table, column in [("articles", "id"), ("article_versions", "article_id"),
                          ("article_shape", "id"), ("story_minhash", "article_id"),
                          ("story_bands", "article_id"), ("story_clusters", "article_id"),
                          ("story_clusters", "cluster_id"), ("articles_fts", "rowid")]:
        assert not db.execute(f"SELECT 1 FROM {table} WHERE {column} = 1").fetchone(), table
    # the story lives on with the copy on the other site, named after its first article left
    assert db.execute("SELECT cluster_id, article_id FROM story_clusters ORDER BY 2").fetchall() \
        == [(2, 2), (2, 3)]  # fmt: skip


def test_a_better_text_under_the_old_spelling_is_never_replaced_by_a_worse_one(migrated):
    db, before = migrated
    (kept,) = db.query("SELECT * FROM articles WHERE url = ?", [SCHOOL])
    # the newer fetch under the new spelling found no text: the old row stays the article
    assert (kept["id"], kept["text"]) == (4, "Trường học mới khánh thành ở vùng cao.")
    assert kept["last_seen"] == before[5]["last_seen"]
    assert [(v["url"], v["title"], v["text"]) for v in db.query(
        "SELECT * FROM article_versions WHERE article_id = 4")] == [(SCHOOL, "Trang chủ", "")]


def test_the_search_index_matches_the_articles_and_finds_the_kept_one(migrated):
    db, _ = migrated
    indexed = [r[0] for r in db.execute("SELECT rowid FROM articles_fts ORDER BY rowid")]
    assert indexed == sorted(urls(db))
    assert [r[0] for r in db.execute("SELECT id FROM article_shape ORDER BY id")] == indexed
    assert search(db, "cau song lon") == [2, 3]  # the copy and the kept bridge, once
    assert search(db, "thang gieng") == []  # the merged text is a version, not an article
    assert search(db, "truong hoc khanh thanh") == [4]
    # the search page of tintuc serve
    (response,) = fetch(db_path(db), "/-/tintuc/search/archive.json?_search=thông xe sông")
    assert sorted((r["id"], r["url"]) for r in response.json()["rows"]) == [(2, COPY), (3, BRIDGE)]


def test_related_links_join_the_articles_under_their_new_spelling(migrated):
    db, _ = migrated
    joined = db.execute(
        "SELECT r.to_url, a.id FROM related_links r LEFT JOIN articles a ON a.url = r.to_url "
        "WHERE r.from_url = ? ORDER BY r.position", [SOURCE]).fetchall()  # fmt: skip
    assert joined == [(BRIDGE, 3), (SCHOOL, 4), (NOTICE, 6), (PORTAL, 7)]
    # the bridge's links under both spellings are one block of the kept article
    assert db.execute("SELECT from_url, to_url, anchor FROM related_links WHERE from_url != ?",
                      [SOURCE]).fetchall() == [(BRIDGE, PORTAL, "Lễ hội (cũ)")]  # fmt: skip
    assert db.execute("SELECT from_url, ids FROM related_ids").fetchall() == [(BRIDGE, '["1007"]')]
    assert linked_not_stored(db, SITE) == []
    # the kept link counts followed the links and the articles: 5 links, 4 from the source
    assert counts_agree(db) == [("2024-05", SITE, SITE, 5)]


def test_running_it_again_changes_nothing(migrated):
    db, _ = migrated
    assert sorted(urls(db).values()) == sorted([*OLD, *STAYS, SOURCE, COPY])
    before = dump(db)
    with db.atomic():
        m011_canonical_article_urls(db)
    assert dump(db) == before


def test_on_an_archive_written_today_only_an_old_spelling_is_written(tmp_path):
    db = open_archive(tmp_path / "archive.db")  # m011 has run: a new archive
    save_articles(db, [
        article(BRIDGE, "Cầu mới thông xe", f"{BODY} {OLD_ONLY}", "2025-03-01T02:00:00+00:00",
                related=[(PORTAL, "Lễ hội")]),
        article(COPY, "Cầu mới thông xe", f"{BODY} Theo Báo Tỉnh.", "2025-03-01T03:00:00+00:00",
                site=OTHER_SITE),
        article(PORTAL, "Lễ hội", "Lễ hội mùa xuân.", "2025-03-01T04:00:00+00:00"),
        article(OLD[NOTICE], "Lịch tiếp công dân", "Lịch.", "2025-03-01T05:00:00+00:00"),
    ])  # fmt: skip
    save_articles(db, [article(BRIDGE, "Cầu mới đã thông xe", f"{BODY} {NEW_ONLY}",
                               "2025-03-02T02:00:00+00:00")])  # a version  # fmt: skip
    expected = dump(db)
    expected["articles"] = sorted((tuple(NOTICE if v == OLD[NOTICE] else v for v in row)
                                   for row in expected["articles"]), key=repr)  # fmt: skip
    with db.atomic():
        m011_canonical_article_urls(db)
    assert dump(db) == expected
    db.close()


def dump(db) -> dict[str, list[tuple]]:
    return {table: sorted(map(tuple, db.execute(f"SELECT * FROM [{table}]").fetchall()), key=repr)
            for table in db.table_names() if table != "_sqlite_migrations"}  # fmt: skip
