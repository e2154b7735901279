"""The one module that owns the archive's schema: tables, indexes, search index, migrations.

Every other module opens the archive with :func:`open_archive`, which creates or migrates the
database to the current shape. Schema changes are named, ordered migrations (sqlite-utils'
``Migrations``), so an old ``archive.db`` is brought forward without losing anything.

Search: ``articles_fts`` is an FTS5 table over *folded* copies of title, description and text
(NFC, lower case, diacritics removed, đ→d; see :func:`pipelines.text.fold`), keyed by
``articles.id``. SQLite's own ``remove_diacritics`` leaves "đ" alone, so the folding is done in
Python on both sides: when indexing (here) and when searching (the Datasette plugin folds the
query). The index is written by :func:`index_article` in the same transaction as the article,
never by triggers, so it cannot drift from ``articles`` (no ``INSERT OR REPLACE`` bloat).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from pipelines.text import fold

migrations = Migrations("tintuc")
WAL_LIMIT_BYTES = 64 * 1024 * 1024  # the WAL is truncated back to this after checkpoints
WAL_CHECKPOINT_BYTES = 16 * 1024 * 1024  # writers force a checkpoint past this


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["sites"].create(
        {
            "id": str,
            "name": str,
            "province": str,
            "kind": str,
            "base_url": str,
            "checked_live": int,
            "profile": str,
        },
        pk="id",
    )
    db["crawls"].create(
        {
            "id": int,
            "site": str,
            "started": str,
            "finished": str,
            "status": str,
            "trigger": str,
            "pages": int,
            "articles_new": int,
            "articles_changed": int,
            "articles_unchanged": int,
            "errors": int,
            "pid": int,
            "settings": str,
        },
        pk="id",
        defaults={
            "status": "running",
            "trigger": "manual",
            "pages": 0,
            "articles_new": 0,
            "articles_changed": 0,
            "articles_unchanged": 0,
            "errors": 0,
        },
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "site": str,
            "title": str,
            "description": str,
            "text": str,
            "published": str,
            "updated": str,
            "author": str,
            "language": str,
            "image": str,
            "first_seen": str,
            "last_seen": str,
            "content_hash": str,
            "crawl_id": int,
        },
        pk="id",
        not_null={"url"},
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["site", "published"])
    db["articles"].create_index(["published"])
    db["related_links"].create(
        {
            "from_url": str,
            "to_url": str,
            "anchor": str,
            "block": str,
            "position": int,
            "first_seen": str,
            "crawl_id": int,
        },
        pk=("from_url", "block", "to_url"),
    )
    db["related_links"].create_index(["to_url"])
    db["related_ids"].create(
        {"from_url": str, "block": str, "ids": str, "first_seen": str}, pk=("from_url", "block")
    )
    db["crawl_errors"].create(
        {
            "id": int,
            "crawl_id": int,
            "url": str,
            "status": int,
            "error": str,
            "time": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db["crawl_errors"].create_index(["crawl_id"])
    db.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, description, text, tokenize = 'unicode61 remove_diacritics 2')"
    )


@migrations()
def m002_captures_versions_schedules(db: sqlite_utils.Database) -> None:
    """Archivists' tables: every fetch (WARC capture), every version, crawl schedules."""
    db["captures"].create(
        {
            "id": int,
            "crawl_id": int,
            "url": str,  # the URL requested
            "final_url": str,  # after redirects
            "status": int,
            "time": str,
            "content_type": str,
            "size": int,
            "sha1": str,  # of the payload (response body), as in WARC-Payload-Digest
            "warc_file": str,  # relative to the WARC folder
            "warc_offset": int,
            "warc_length": int,
            "error": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db["captures"].create_index(["url"])
    db["captures"].create_index(["crawl_id"])
    db["articles"].add_column("capture_id", int)
    db["articles"].add_column("removed", str)  # when the page answered 404/410 or vanished
    db["articles"].add_column("removed_reason", str)
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "url": str,
            "title": str,
            "description": str,
            "text": str,
            "published": str,
            "author": str,
            "content_hash": str,
            "first_seen": str,  # when this version was first stored
            "replaced": str,  # when a newer version replaced it
            "capture_id": int,
            "crawl_id": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["article_versions"].create_index(["article_id"])
    db["schedules"].create(
        {
            "id": int,
            "site": str,
            "every_seconds": int,
            "cron": str,
            "created": str,
            "last_started": str,
            "last_crawl_id": int,
            "enabled": int,
        },
        pk="id",
        defaults={"enabled": 1},
    )
    db["crawls"].add_column("pages_skipped", int)


@migrations()
def m003_article_province(db: sqlite_utils.Database) -> None:
    """Province on each article, for facets and filters without a join."""
    db["articles"].add_column("province", str)
    db.execute(
        "UPDATE articles SET province = (SELECT province FROM sites WHERE sites.id = articles.site)"
    )
    db["articles"].create_index(["province", "published"])


def open_archive(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating or migrating as needed) the archive at ``path``.

    The database runs in WAL mode so Datasette can read while a crawl writes, with a busy
    timeout so short write locks wait instead of failing.
    """
    if readonly:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        return sqlite_utils.Database(conn)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 10000")
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db


def checkpoint_if_large(db: sqlite_utils.Database, path: str | Path) -> bool:
    """Keep the WAL bounded while readers (Datasette) never stop: checkpoint and truncate it
    once it passes ``WAL_CHECKPOINT_BYTES``. Returns True if a checkpoint ran."""
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size < WAL_CHECKPOINT_BYTES:
            return False
    except FileNotFoundError:
        return False
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True


def index_article(db: sqlite_utils.Database, article_id: int, row: dict) -> None:
    """Write (or rewrite) the folded search entry of one article; call inside the write txn."""
    db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
    db.execute(
        "INSERT INTO articles_fts (rowid, title, description, text) VALUES (?, ?, ?, ?)",
        [article_id, fold(row.get("title")), fold(row.get("description")), fold(row.get("text"))],
    )


def rebuild_search_index(db: sqlite_utils.Database) -> int:
    """Rebuild ``articles_fts`` from ``articles`` (after a change to :func:`fold`)."""
    with db.atomic():
        db.execute("DELETE FROM articles_fts")
        count = 0
        for row in db.query("SELECT id, title, description, text FROM articles"):
            index_article(db, row["id"], row)
            count += 1
    return count
