"""The schema and the database-only write functions, on a real SQLite file."""

import json
import sqlite3

import pytest

from pipelines.archive.schema import migrations, open_archive, rebuild_search_index
from pipelines.archive.store import (
    finish_crawl,
    mark_interrupted_crawls,
    save_article,
    save_articles,
    start_crawl,
    write_transaction,
)

ARTICLE = {
    "url": "http://127.0.0.1/tin-tuc/da-nang-1.html",
    "site": "sample",
    "title": "Đà Nẵng và Quảng Ninh tăng cường liên kết vùng",
    "description": "Hai địa phương ký kết hợp tác.",
    "text": "Đoàn công tác tỉnh Quảng Ninh làm việc tại Đà Nẵng.\nHai bên thống nhất nội dung.",
    "published": "2025-12-24T09:30:00+07:00",
    "related": [
        {"url": "http://127.0.0.1/tin-tuc/b-2.html", "text": "Bài B", "block": "Tin liên quan",
         "position": 0},
        {"url": "http://127.0.0.1/tin-tuc/c-3.html", "text": "Bài C", "block": "Tin liên quan",
         "position": 1},
    ],
}


@pytest.fixture
def db(tmp_path):
    database = open_archive(tmp_path / "archive.db")
    yield database
    database.close()


def search(db, words):
    from pipelines.text import fold
    from tintuc.export import fts_query

    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    return [r[0] for r in db.execute(sql, [fts_query(fold(words))]).fetchall()]


def test_open_archive_is_wal_and_migrations_are_recorded(db, tmp_path):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"sites", "crawls", "articles", "related_links", "crawl_errors", "articles_fts"} <= set(
        db.table_names()
    )
    again = open_archive(tmp_path / "archive.db")  # re-opening migrates nothing twice
    applied = again.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == len(migrations.applied(again)) >= 2


def test_saving_twice_leaves_one_row_and_counts_unchanged(db):
    assert save_articles(db, [ARTICLE])["new"] == 1
    assert save_articles(db, [ARTICLE])["unchanged"] == 1
    assert db["articles"].count == 1
    assert db["related_links"].count == 2
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1


def test_search_ignores_case_and_diacritics_including_d(db):
    save_articles(db, [ARTICLE])
    (article_id,) = [r["id"] for r in db["articles"].rows]
    for words in ("Đà Nẵng", "da nang", "ĐÀ NẴNG", "quang ninh", "QUẢNG NINH", "doan cong tac"):
        assert search(db, words) == [article_id], words
    assert search(db, "Hải Phòng") == []


def test_changed_text_updates_row_and_index(db):
    save_articles(db, [ARTICLE])
    changed = {**ARTICLE, "text": "Nội dung mới về Hạ Long.", "related": ARTICLE["related"][:1]}
    with db.atomic():
        assert save_article(db, changed) == "changed"
    assert search(db, "ha long") and not search(db, "doan cong tac")
    assert db["related_links"].count == 1
    assert db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")


def test_empty_extraction_never_replaces_stored_text(db):
    save_articles(db, [ARTICLE])
    with db.atomic():
        assert save_article(db, {**ARTICLE, "text": "", "title": None}) == "kept"
    row = next(db["articles"].rows)
    assert row["text"] == ARTICLE["text"] and row["title"] == ARTICLE["title"]


def test_rebuild_search_index_matches_articles(db):
    save_articles(db, [ARTICLE, {**ARTICLE, "url": "http://127.0.0.1/x-2.html"}])
    assert rebuild_search_index(db) == 2
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 2


def test_crawl_rows_and_interrupted_detection(db):
    crawl_id = start_crawl(db, "sample")
    assert db["crawls"].get(crawl_id)["status"] == "running"
    # a crawl whose process is gone is marked interrupted by the next start
    db["crawls"].update(crawl_id, {"pid": 2**22 + 12345})
    assert mark_interrupted_crawls(db, "sample") == 1
    assert db["crawls"].get(crawl_id)["status"] == "interrupted"
    second = start_crawl(db, "sample")
    finish_crawl(db, second, "finished", pages=3)
    assert db["crawls"].get(second)["pages"] == 3


def test_write_transaction_takes_the_write_lock_before_its_first_read(tmp_path):
    """Two processes writing one archive: a deferred transaction that read first cannot be
    upgraded once the other committed ("database is locked" at once, no busy wait); a
    write transaction holds the lock from its start, so the other writer waits its turn."""
    path = tmp_path / "archive.db"
    mine, theirs = open_archive(path), open_archive(path)
    theirs.execute("PRAGMA busy_timeout = 0")
    mine.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(sqlite3.OperationalError, match="locked"), mine.atomic():  # deferred
        mine.execute("SELECT count(*) FROM sites").fetchone()
        theirs["sites"].insert({"id": "a", "name": "A"})  # commits in between
        mine["sites"].insert({"id": "b", "name": "B"})
    with write_transaction(mine):
        mine.execute("SELECT count(*) FROM sites").fetchone()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            theirs["sites"].insert({"id": "c", "name": "C"})  # must wait for us
        mine["sites"].insert({"id": "b", "name": "B"})
    theirs["sites"].insert({"id": "c", "name": "C"})
    assert sorted(r["id"] for r in mine["sites"].rows) == ["a", "b", "c"]


def test_a_capture_that_is_the_stored_texts_beginning_is_worse_a_cut_in_the_middle_an_edit():
    from pipelines.archive.store import shorter_part_of

    paragraphs = [f"Đoạn thứ {n} của bài viết kể về công trình cầu mới bắc qua sông ở xã ven "
                  f"biển, nơi người dân chờ đợi đã nhiều năm nay." for n in range(1, 7)]
    stored = "\n".join(paragraphs)
    cut = stored[:len(stored) // 3]  # a transfer cut short, mid-word
    wall = paragraphs[0][:90] + "…\nĐăng nhập để xem toàn bộ nội dung bài viết."
    assert "its beginning" in shorter_part_of(stored, cut)
    assert shorter_part_of(stored, wall)
    # the site cut passages out of the middle: an edit, versioned as any other
    assert shorter_part_of(stored, "\n".join([paragraphs[0], paragraphs[5]])) is None
    # a short new text of other words, or one not much shorter, is an edit too
    assert shorter_part_of(stored, "Bài viết đã được thay thế bằng một thông báo mới của "
                                   "Ủy ban nhân dân tỉnh về việc điều chỉnh.") is None
    assert shorter_part_of(stored, "\n".join(paragraphs[:4])) is None


def test_a_removed_article_back_as_its_beginning_above_a_login_wall_is_no_longer_removed(db):
    """The article's page answering again with the stored text's beginning (a teaser above a
    login wall, a page cut short) shows the article: back on the site, its removed mark
    cleared, its whole stored text kept. A doubtful short page (an empty template) proves
    nothing: the mark stays."""
    from pipelines.archive.store import mark_removed

    paragraphs = [f"Đoạn thứ {n} của bài viết kể về công trình cầu mới bắc qua sông ở xã ven "
                  f"biển, nơi người dân chờ đợi đã nhiều năm nay." for n in range(1, 7)]
    stored = {**ARTICLE, "text": "\n".join(paragraphs), "confidence": 0.9, "fetched": "2026-11-01"}
    wall = paragraphs[0] + "\nĐăng nhập để xem toàn bộ nội dung bài viết."
    empty = "Trang chủ Tin tức Liên hệ Đăng nhập"
    save_article(db, stored)
    for later, result, removed in ((empty, "kept", True), (wall, "kept", False)):
        mark_removed(db, ARTICLE["url"], "HTTP 404")
        assert save_article(db, {**stored, "text": later, "confidence": 0.3,
                                 "fetched": "2026-12-01"}) == result  # fmt: skip
        row = db.execute("SELECT text, removed, removed_reason FROM articles").fetchone()
        assert row[0] == stored["text"]
        assert (row[1] is not None, row[2]) == ((True, "HTTP 404") if removed else (False, None))


def test_a_story_part_keeps_its_first_page_when_extracted_again(db):
    """The crawl names a story's first page (it knows it as a headline link); a re-extraction
    of the part, which does not, leaves the part's first page and number as they are."""
    part = {**ARTICLE, "url": ARTICLE["url"] + "?trang=2", "text": "Phần hai của bài viết."}
    save_articles(db, [{**part, "part_of": ARTICLE["url"], "part": 2}])
    save_articles(db, [{**part, "text": "Phần hai, sửa lại."}])  # tintuc reextract
    row = next(db["articles"].rows_where("url = ?", [part["url"]]))
    assert (row["part_of"], row["part"], row["text"]) == (ARTICLE["url"], 2, "Phần hai, sửa lại.")


# --- a recapture never takes away what the stored row shows ---------------------------------
def stored_row(db):
    return next(db["articles"].rows_where("url = ?", [ARTICLE["url"]]))


def test_a_new_date_or_author_for_the_same_text_is_a_correction_kept_as_a_version(db):
    save_articles(db, [{**ARTICLE, "author": "Minh Anh"}])
    corrected = {**ARTICLE, "author": "Minh Anh", "published": "2025-12-25T14:00:00+07:00"}
    assert save_articles(db, [corrected])["changed"] == 1
    assert stored_row(db)["published"] == "2025-12-25T14:00:00+07:00"
    (version,) = db["article_versions"].rows
    assert version["published"] == ARTICLE["published"]
    assert save_articles(db, [{**corrected, "author": "Hoàng Nam"}])["changed"] == 1
    assert stored_row(db)["author"] == "Hoàng Nam"
    assert db["article_versions"].count == 2


def test_a_new_image_update_time_or_attachment_for_the_same_text_is_a_version(db):
    """The lead image, the "updated" time and the attached documents are what the page states
    of its article: a recapture that changes one of them under the same text stores the new
    value and keeps the old one in ``article_versions``, with the rest of that version."""
    pdf = [{"url": "http://127.0.0.1/files/qd-1.pdf", "text": "Quyết định số 1"}]
    first = {**ARTICLE, "image": "http://127.0.0.1/anh/1.jpg",
             "updated": "2025-12-24T10:00:00+07:00", "attachments": pdf, "capture_id": 1}
    save_articles(db, [first])
    steps = [("image", "http://127.0.0.1/anh/2.jpg"), ("updated", "2025-12-26T08:00:00+07:00"),
             ("attachments", [{"url": "http://127.0.0.1/files/qd-1b.pdf",
                               "text": "Quyết định số 1"}])]  # fmt: skip
    capture = {**first}
    for n, (field, value) in enumerate(steps, start=2):
        capture = {**capture, field: value, "capture_id": n}
        assert save_articles(db, [capture])["changed"] == 1, field
    row = stored_row(db)
    assert (row["image"], row["updated"], json.loads(row["attachments"])) == (
        capture["image"], capture["updated"], capture["attachments"])
    versions = list(db.query("SELECT image, updated, attachments, capture_id "
                             "FROM article_versions ORDER BY id"))  # fmt: skip
    assert [(v["image"], v["updated"], json.loads(v["attachments"]), v["capture_id"])
            for v in versions] == [
        ("http://127.0.0.1/anh/1.jpg", first["updated"], pdf, 1),
        ("http://127.0.0.1/anh/2.jpg", first["updated"], pdf, 2),
        ("http://127.0.0.1/anh/2.jpg", "2025-12-26T08:00:00+07:00", pdf, 3),
    ]  # fmt: skip
    # the document withdrawn: a change, the version keeps it; the same capture again: nothing
    withdrawn = {**capture, "attachments": None, "capture_id": 5}
    assert save_articles(db, [withdrawn])["changed"] == 1
    assert stored_row(db)["attachments"] is None
    assert save_articles(db, [withdrawn])["unchanged"] == 1
    assert db["article_versions"].count == 4


def test_a_value_where_none_was_stored_fills_the_row_without_a_version(db):
    """An extractor that now reads the lead image (an archive from before it did): the value
    replaces nothing, so the row takes it and no version marks an edit nobody made."""
    save_articles(db, [{**ARTICLE, "published": None}])
    pdf = [{"url": "http://127.0.0.1/files/qd-1.pdf", "text": "Quyết định số 1"}]
    gained = {**ARTICLE, "image": "http://127.0.0.1/anh/1.jpg", "author": "Minh Anh",
              "updated": "2025-12-24T10:00:00+07:00", "attachments": pdf}
    assert save_articles(db, [gained])["unchanged"] == 1
    row = stored_row(db)
    assert (row["image"], row["author"], row["updated"], json.loads(row["attachments"]),
            row["published"]) == (gained["image"], "Minh Anh", gained["updated"], pdf,
                                  ARTICLE["published"])  # fmt: skip
    assert db["article_versions"].count == 0
    month = db.execute("SELECT month FROM article_shape WHERE id = ?", [row["id"]]).fetchone()
    assert month[0] is not None  # the date's month, for the search's facet


def test_what_a_new_capture_does_not_show_keeps_the_stored_value(db):
    """A template that lost its dateline, byline, lead image or sapo class is no news that
    the article lost them: the stored values stay, and the same text is unchanged."""
    whole = {**ARTICLE, "author": "Minh Anh", "image": "http://127.0.0.1/anh/1.jpg",
             "text": ARTICLE["description"] + "\n" + ARTICLE["text"]}
    save_articles(db, [whole])
    lighter = {**whole, "title": None, "published": None, "author": None, "image": None,
               "description": None}
    assert save_articles(db, [lighter])["unchanged"] == 1
    row = stored_row(db)
    assert {k: row[k] for k in ("title", "published", "author", "image", "description")} == {
        k: whole[k] for k in ("title", "published", "author", "image", "description")}
    # a day without the time where the stored date has one: guessed elsewhere, not a correction
    assert save_articles(db, [{**whole, "published": "2000-01-01"}])["unchanged"] == 1
    assert stored_row(db)["published"] == ARTICLE["published"]
    # an edit of the text keeps them too; a sapo the new text no longer holds is edited away
    edited = {**lighter, "text": "Bài viết đã được biên tập lại hoàn toàn."}
    assert save_articles(db, [edited])["changed"] == 1
    row = stored_row(db)
    assert (row["title"], row["published"], row["author"]) == (
        whole["title"], whole["published"], "Minh Anh")
    assert row["description"] is None


def test_links_a_related_block_no_longer_holds_are_kept_as_gone(db):
    save_articles(db, [ARTICLE])
    new_link = {"url": "http://127.0.0.1/tin-tuc/d-4.html", "text": "Bài D",
                "block": "Tin liên quan", "position": 1}
    # the same text under a changed block: the block is stored as it is now
    assert save_articles(db, [{**ARTICLE, "related": [ARTICLE["related"][0], new_link]}]) == {
        "new": 0, "changed": 0, "unchanged": 1, "kept": 0, "alias": 0}
    current = [r["to_url"] for r in db["related_links"].rows_where(order_by="position")]
    assert current == [ARTICLE["related"][0]["url"], new_link["url"]]
    (gone,) = db["related_links_gone"].rows
    assert (gone["to_url"], gone["anchor"], gone["from_url"]) == (
        "http://127.0.0.1/tin-tuc/c-3.html", "Bài C", ARTICLE["url"])
    assert gone["gone"] and gone["first_seen"]
    # an edited text with an emptied block: every link it held is kept as gone
    save_articles(db, [{**ARTICLE, "text": "Nội dung mới.", "related": []}])
    assert db["related_links"].count == 0
    assert {r["to_url"] for r in db["related_links_gone"].rows} == {
        "http://127.0.0.1/tin-tuc/c-3.html", ARTICLE["related"][0]["url"], new_link["url"]}


def test_the_stored_capture_read_again_takes_what_the_extractor_now_rejects(db):
    """``tintuc reextract`` reads the article's own capture again: a value the improved
    extractor no longer gives (a CMS account taken for the author) is its judgement, not a
    page that stopped showing it."""
    save_articles(db, [{**ARTICLE, "author": "admin", "capture_id": 7}])
    assert save_articles(db, [{**ARTICLE, "author": None, "capture_id": 7}])["changed"] == 1
    assert stored_row(db)["author"] is None
    save_articles(db, [{**ARTICLE, "author": "Minh Anh", "capture_id": 8}])
    assert save_articles(db, [{**ARTICLE, "author": None, "capture_id": 9}])["unchanged"] == 1
    assert stored_row(db)["author"] == "Minh Anh"


def test_the_stored_capture_read_again_keeps_what_an_earlier_capture_gave(db):
    """After a recapture that no longer shows the dateline or the sapo class, the row holds
    capture 1's date and sapo but names capture 2: reading capture 2 again (``tintuc
    reextract``) finds neither, and that is no judgement on them: they stay, unless the
    capture read again shows a value."""
    whole = {**ARTICLE, "text": ARTICLE["description"] + "\n" + ARTICLE["text"]}
    save_articles(db, [{**whole, "capture_id": 1}])
    lighter = {**whole, "published": None, "description": None, "capture_id": 2}
    assert save_articles(db, [lighter])["unchanged"] == 1
    assert json.loads(stored_row(db)["kept_from"]) == {"description": 1, "published": 1}
    assert save_articles(db, [lighter])["unchanged"] == 1  # capture 2 read again
    row = stored_row(db)
    assert (row["published"], row["description"]) == (ARTICLE["published"],
                                                      ARTICLE["description"])
    assert db["article_versions"].count == 0
    # a third capture lacking them again: still capture 1's
    assert save_articles(db, [{**lighter, "capture_id": 3}])["unchanged"] == 1
    assert json.loads(stored_row(db)["kept_from"]) == {"description": 1, "published": 1}
    # capture 3 read again by an extractor that now finds a date there: it replaces
    assert save_articles(db, [{**lighter, "capture_id": 3,
                               "published": "2025-12-25T14:00:00+07:00"}])["changed"] == 1
    row = stored_row(db)
    assert row["published"] == "2025-12-25T14:00:00+07:00"
    assert json.loads(row["kept_from"]) == {"description": 1}


def test_a_script_filled_block_that_changes_is_kept_as_gone(db):
    """A block that only carries article ids (filled by the site's script): the same text
    under other ids stores them, the earlier ids kept in ``related_ids_gone``; a block the
    page no longer shows goes there too."""
    save_articles(db, [{**ARTICLE, "related_ids": [{"block": "Xem thêm", "ids": ["11", "12"]}]}])
    (first,) = db["related_ids"].rows
    same = {**ARTICLE, "related_ids": [{"block": "Xem thêm", "ids": ["11", "12"]}]}
    assert save_articles(db, [same])["unchanged"] == 1
    assert list(db["related_ids"].rows) == [first] and db["related_ids_gone"].count == 0
    other = {**ARTICLE, "related_ids": [{"block": "Xem thêm", "ids": ["13"]}]}
    assert save_articles(db, [other])["unchanged"] == 1
    assert [r["ids"] for r in db["related_ids"].rows] == ['["13"]']
    (gone,) = db["related_ids_gone"].rows
    assert (gone["block"], gone["ids"], gone["first_seen"]) == (
        "Xem thêm", '["11", "12"]', first["first_seen"])
    assert save_articles(db, [{**ARTICLE, "text": "Nội dung mới.", "related_ids": []}]) == {
        "new": 0, "changed": 1, "unchanged": 0, "kept": 0, "alias": 0}
    assert db["related_ids"].count == 0
    assert [r["ids"] for r in db["related_ids_gone"].rows_where(order_by="id")] == [
        '["11", "12"]', '["13"]']
