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

import fcntl
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crawler.sites import site_id_of
from crawler.urls import canonical_url, site_host
from pipelines.archive.clusters import cluster_article, unclaim_article
from pipelines.text import fold

migrations = Migrations("tintuc")
WAL_LIMIT_BYTES = 64 * 1024 * 1024  # the WAL is truncated back to this after checkpoints
WAL_CHECKPOINT_BYTES = 16 * 1024 * 1024  # writers force a checkpoint past this

# What every table and column holds, beside the migrations that create them (Datasette shows
# these as descriptions; tests/test_datasette.py checks that every column is described).
TABLE_DOCS: dict[str, dict] = {
    "articles": {
        "description": "One row per article URL: the latest extracted text and its metadata "
        "(the article's other addresses: article_aliases). "
        'Search ignores case and diacritics ("da nang" finds "Đà Nẵng"); '
        '"quoted phrases" and prefix* work.',
        "columns": {
            "id": "Row id (stable; keys the search index).",
            "url": "Canonical URL of the article (tracking parameters removed).",
            "site": "Site id from the registry (see the sites table).",
            "province": "Province or city of the site (from its profile).",
            "title": "Headline.",
            "description": "Sapo / lead paragraph, or the page's meta description.",
            "text": "Body text, paragraphs separated by new lines; related-news blocks removed.",
            "published": "Publication time, ISO 8601 (local time +07:00 when the page gives it).",
            "updated": "Last update time shown by the page, ISO 8601.",
            "author": "Author line as the page gives it.",
            "language": "Language code detected or declared.",
            "image": "Lead image URL.",
            "first_seen": "When tintuc first stored this article (UTC).",
            "last_seen": "When tintuc last fetched this article (UTC).",
            "content_hash": "SHA-1 of title, description and text: changes when the text changes.",
            "crawl_id": "The crawl that last changed this row.",
            "capture_id": "The capture (WARC record) this text was extracted from.",
            "removed": "When the page answered 404/410, a \"not found\" page (a soft 404) "
            "or vanished.",
            "removed_reason": "Why the article counts as removed.",
            "attachments": "JSON list of the documents (PDF, DOC …) linked under the headline, "
            "each {url, text}; empty when none. They are captured in WARC too.",
            "extraction_flags": "What extraction had to guess, as a JSON array of flags "
            '(["date_from_url_only", "fallback_used"] …; [] when none; empty when not '
            "assessed). Facet on it to list doubtful pages.",
            "extraction_confidence": "How sure extraction is of the text, 0 to 1 (empty when "
            "not assessed); tintuc reextract --flagged redoes the doubtful ones.",
            "part_of": "For a later page of a story split over pages (?trang=2, "
            "?page=3, -p2.html): the URL of the story's first page, itself a row; "
            "empty otherwise. A story whole: url = X OR part_of = X, ordered by part.",
            "part": "Which page of its story this row is (2, 3 …), with part_of; empty "
            "otherwise.",
            "kept_from": "JSON object {column: capture id} of the values a later capture "
            "did not show and that were kept from an earlier one (its capture); empty when "
            "every value is the current capture's. tintuc reextract keeps them unless the "
            "capture read again shows a value.",
        },
    },
    "articles_fts": {
        "description": "Search index: folded copies (no case, no diacritics, đ→d) of title, "
        "description and text; rowid = articles.id. Query it with "
        "articles_fts MATCH escape_fts(:q), which folds :q the same way.",
        "columns": {
            "title": "Folded headline.",
            "description": "Folded sapo.",
            "text": "Folded body text.",
        },
    },
    "article_versions": {
        "description": "Earlier versions of articles whose text, date, author, update time, "
        "lead image or attachments changed (and the text of a "
        "second row of an article stored under an older spelling of its URL, merged by "
        "migration m011).",
        "columns": {
            "id": "Row id.",
            "article_id": "The article (articles.id).",
            "url": "The article's URL.",
            "title": "Headline of this version.",
            "description": "Sapo of this version.",
            "text": "Body text of this version.",
            "published": "Publication time shown by this version.",
            "author": "Author line of this version.",
            "updated": "Update time shown by this version (empty for versions replaced before "
            "migration m019).",
            "image": "Lead image URL of this version (empty for versions replaced before "
            "migration m019).",
            "attachments": "JSON list of the documents this version linked under its headline, "
            "each {url, text} (empty when none, or replaced before migration m019).",
            "content_hash": "SHA-1 of title, description and text of this version.",
            "first_seen": "When this version was first stored (UTC).",
            "replaced": "When a newer version replaced it (UTC).",
            "capture_id": "The capture this version was extracted from.",
            "crawl_id": "The crawl that stored this version.",
        },
    },
    "related_links": {
        "description": "Links in each article's related-news blocks "
        '("Tin tức khác", "Tin liên quan" …).',
        "columns": {
            "from_url": "The article carrying the block.",
            "to_url": "The linked article (canonical URL).",
            "anchor": "The link's text (the linked headline).",
            "block": "The block's heading as shown on the page.",
            "position": "0-based position of the link in the page's related blocks.",
            "first_seen": "When the link was first seen (UTC).",
            "crawl_id": "The crawl that recorded it.",
        },
    },
    "related_links_gone": {
        "description": "Links an article's related-news block held once and no longer holds "
        "(the site changed the block): kept, with when they went.",
        "columns": {
            "id": "Row id.",
            "from_url": "The article whose block held the link.",
            "to_url": "The linked article (canonical URL).",
            "anchor": "The link's text (the linked headline).",
            "block": "The block's heading as shown on the page.",
            "position": "0-based position of the link in the page's related blocks.",
            "first_seen": "When the link was first seen (UTC).",
            "gone": "When a capture of the article first showed the block without it (UTC).",
            "crawl_id": "The crawl that found it gone.",
        },
    },
    "related_ids": {
        "description": "Related blocks filled by JavaScript: only the article ids are in the page.",
        "columns": {
            "from_url": "The article carrying the block.",
            "block": "The block's heading or id.",
            "ids": "JSON list of the site's article ids in the block.",
            "first_seen": "When the block was first seen with these ids (UTC).",
        },
    },
    "related_ids_gone": {
        "description": "Script-filled related blocks an article's page showed once and no "
        "longer shows, or shows with other ids: kept, with when they went (migration m020).",
        "columns": {
            "id": "Row id.",
            "from_url": "The article carrying the block.",
            "block": "The block's heading or id.",
            "ids": "JSON list of the site's article ids the block held.",
            "first_seen": "When the block was first seen with these ids (UTC).",
            "gone": "When a capture of the article first showed the block without them (UTC).",
            "crawl_id": "The crawl that found them gone.",
        },
    },
    "captures": {
        "description": "Every fetch of a page, with where its response is kept in the WARC files.",
        "columns": {
            "id": "Row id.",
            "crawl_id": "The crawl that fetched it.",
            "url": "The URL requested.",
            "final_url": "The URL after redirects (for a redirect, where it sends the visitor).",
            "status": "HTTP status.",
            "time": "When it was fetched (UTC).",
            "content_type": "Content-Type of the response.",
            "size": "Size of the response body in bytes.",
            "sha1": "SHA-1 of the response body (as WARC-Payload-Digest).",
            "warc_file": "WARC file holding the response (relative to the WARC folder).",
            "warc_offset": "Offset of the record in the WARC file.",
            "warc_length": "Length of the record in the WARC file.",
            "error": "Why the fetch failed, if it did.",
            "page_kind": "What the page was judged to be: article, listing or other (HTML "
            "pages only; empty for redirects, errors, feeds and attachments).",
            "page_reason": "Why, in a few words (\"headline, dateline and 312 characters of "
            "text\", \"14 teaser headlines and a pager\", \"no date near the headline\" …).",
        },
    },
    "crawls": {
        "description": "One row per crawl run.",
        "columns": {
            "id": "Crawl id.",
            "site": "The site crawled.",
            "started": "When the crawl started (UTC).",
            "finished": "When it ended (UTC); empty while running or if interrupted.",
            "status": "running, finished, interrupted (process died), or the reason it stopped.",
            "trigger": "manual or schedule.",
            "pages": "Responses received.",
            "pages_skipped": "Pages not fetched (robots.txt, limits, duplicates).",
            "articles_new": "Articles stored for the first time.",
            "articles_changed": "Articles whose text changed.",
            "articles_unchanged": "Articles fetched again with the same text.",
            "errors": "Rows in crawl_errors for this crawl.",
            "pages_article": "HTML pages judged articles (captures.page_kind).",
            "pages_listing": "HTML pages judged listings.",
            "pages_other": "HTML pages judged neither (contact, about, home pages …).",
            "pid": "Process id of the crawl (to tell running from interrupted crawls).",
            "settings": "JSON of the settings the crawl overrode.",
        },
    },
    "crawl_errors": {
        "description": "What went wrong during crawls: HTTP errors, timeouts, non-HTML pages …",
        "columns": {
            "id": "Row id.",
            "crawl_id": "The crawl.",
            "url": "The page that failed.",
            "status": "HTTP status, if there was a response.",
            "error": "What went wrong.",
            "time": "When (UTC).",
        },
    },
    "schedules": {
        "description": "Recurring crawls of a site.",
        "columns": {
            "id": "Row id.",
            "site": "The site to crawl.",
            "every_seconds": "Interval between crawls, in seconds.",
            "cron": "Cron expression, when the schedule uses one.",
            "created": "When the schedule was created (UTC).",
            "last_started": "When its last crawl started (UTC).",
            "last_crawl_id": "Its last crawl.",
            "enabled": "1 when active.",
        },
    },
    "sites": {
        "description": "The site registry as of the last crawl of each site.",
        "columns": {
            "id": "Site id used everywhere in the archive.",
            "name": "The publication's name.",
            "province": "Province or city it covers.",
            "kind": "newspaper, portal (government portal) …",
            "base_url": "Home page.",
            "checked_live": "1 when the site profile was checked against the live site.",
            "profile": "The full site profile as JSON (selectors, start URLs …).",
        },
    },
    "story_clusters": {
        "description": "Syndicated stories: articles that are copies of one another (the same "
        "story on several sites, or twice on one), found by MinHash on the folded body text. "
        "Only articles with at least one copy are listed.",
        "columns": {
            "cluster_id": "The story: the id of its first article, which every other member "
            "resembles at the threshold or above.",
            "article_id": "The article (articles.id).",
            "similarity": "Estimated share of word 3-grams shared with the story's first "
            "article (the first article: with the copy that started the story), 0 to 1.",
        },
    },
    "story_minhash": {
        "description": "MinHash signature of each article's folded body text (for clustering).",
        "columns": {
            "article_id": "The article (articles.id).",
            "signature": "128 MinHash values, little-endian uint32.",
        },
    },
    "story_bands": {
        "description": "LSH band keys of the signatures: articles sharing a key are compared.",
        "columns": {
            "band": "Band number (0-31), 4 signature values each.",
            "key": "32-bit hash of the band's values.",
            "article_id": "The article (articles.id).",
        },
    },
    "related_site_links": {
        "description": "Related links between archived articles, counted per month of the "
        "linking article and pair of sites (the related-link promotion chart); filled by "
        "migration m010 and kept by triggers as links and articles are stored.",
        "columns": {
            "month": "Month of the linking article's publication (YYYY-MM).",
            "from_site": "Site of the linking article.",
            "to_site": "Site of the linked (archived) article.",
            "links": "How many related links (0 once all were removed).",
        },
    },
    "story_params": {
        "description": "Settings the clusters were built with (tintuc clusters rebuild).",
        "columns": {
            "name": "Setting name (threshold).",
            "value": "Its value.",
        },
    },
    "reextract_progress": {
        "description": "One row per tintuc reextract run: how far it got, so that an "
        "interrupted run is resumed where it stopped instead of redone.",
        "columns": {
            "id": "Run id.",
            "selection": "What the run re-extracts (JSON: site, flagged, below); a run "
            "with the same selection resumes the unfinished one.",
            "started": "When the run started (UTC).",
            "finished": "When it completed (UTC); empty while running or interrupted.",
            "total": "Pages selected when the run started.",
            "done": "Pages re-extracted so far.",
            "last_capture_id": "Pages are re-extracted in capture order: every selected "
            "page up to this capture is done.",
            "counts": "Results so far (JSON: new, changed, unchanged, kept, failed, not_article).",
        },
    },
    "article_shape": {
        "description": "One narrow row per article: its month, site and province as small "
        "numbers, so that counting a search's matches per month, site, province or year "
        "reads a few small pages instead of the wide articles rows. Written with the article.",
        "columns": {
            "id": "The article (articles.id = articles_fts.rowid).",
            "month": "Month of publication as a number, YYYYMM (year = month / 100); empty "
            "when the article has no publication date.",
            "site_id": "The article's site (shape_labels.id, kind 'site').",
            "province_id": "The article's province (shape_labels.id, kind 'province').",
        },
    },
    "shape_labels": {
        "description": "The names behind the numbers of article_shape: one row per site and "
        "per province.",
        "columns": {
            "id": "The number used in article_shape.",
            "kind": "site or province.",
            "value": "The site id or the province name.",
        },
    },
    "article_aliases": {
        "description": "Other addresses of stored articles: a URL whose page showed an "
        "article already stored at another URL of its site (the same title, sapo, text, "
        "date and attachments: a CMS menu context, a shortlink, a section path, an AMP or "
        "index.html view), recorded here instead of a second articles row (migration m012). "
        "Its capture is kept as any capture.",
        "columns": {
            "url": "The other address (canonical spelling).",
            "article_id": "The article it shows (articles.id).",
            "first_seen": "When this address first showed the article (UTC).",
            "last_seen": "When it last did (UTC).",
            "capture_id": "Its latest capture (captures.id).",
            "crawl_id": "The crawl that last met it.",
        },
    },
    "article_languages": {
        "description": "An article's copies in other languages: the pages its site names in "
        '<link rel="alternate" hreflang> (a portal\'s English version under /en/ …), one row '
        "per link as the article's page gives it, read both ways (migration m016). Each copy "
        "is an article of its own when it was fetched; tintuc reextract fills this for older "
        "captures.",
        "columns": {
            "url": "The article (articles.url) whose page names the copy.",
            "other_url": "The copy's URL (canonical spelling); an articles row when fetched.",
            "other_lang": "The copy's language as the page's hreflang gives it (en, zh-hans …).",
            "first_seen": "When the article's page first named it (UTC).",
            "last_seen": "When it last did (UTC); older than the article's last_seen: a "
            "later capture no longer names it (the row is kept).",
        },
    },
    "_sqlite_migrations": {
        "description": "Schema migrations applied to this archive (sqlite-utils).",
        "columns": {
            "id": "Row id.",
            "migration_set": "Name of the migration set (tintuc).",
            "name": "Migration applied.",
            "applied_at": "When it was applied (UTC).",
        },
    },
}


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


@migrations()
def m004_canonical_related_links(db: sqlite_utils.Database) -> None:
    """Related links were stored as written on the page (``https://Bao.VN/a.html?utm_source=zalo
    #top``) while ``articles.url`` is canonical: rewrite them canonical so the joins find them."""
    db.register_function(_canonical_or_same, deterministic=True, replace=True,
                         name="tintuc_canonical_url")  # fmt: skip
    _rewrite_canonical(db, "related_links", ("from_url", "to_url"), ("from_url", "block", "to_url"))
    _rewrite_canonical(db, "related_ids", ("from_url",), ("from_url", "block"))


def _canonical_or_same(url: str | None) -> str | None:
    """The canonical form of a stored URL; one it cannot parse (a bad port) stays as it is."""
    if url is None:
        return None
    try:
        return canonical_url(url)
    except ValueError:
        return url


def _rewrite_canonical(
    db: sqlite_utils.Database, table: str, url_columns: tuple[str, ...], key: tuple[str, ...]
) -> None:
    """Rewrite ``url_columns`` of ``table`` canonical, in SQL (one pass, then only the rows
    that change). Rows whose primary ``key`` then coincides collapse into one: the one first
    seen. Running it again changes nothing."""
    columns = list(db[table].columns_dict)
    select = ", ".join(f"tintuc_canonical_url({c}) AS {c}" if c in url_columns else c
                       for c in columns)  # fmt: skip
    changed = " OR ".join(f"tintuc_canonical_url({c}) IS NOT {c}" for c in url_columns)
    same_key = " AND ".join(f"t.{c} IS k.{c}" for c in key)
    listed = ", ".join(columns)
    db.execute(f"DROP TABLE IF EXISTS temp.moved_{table}")
    db.execute(f"DROP TABLE IF EXISTS temp.group_{table}")
    db.execute(f"CREATE TEMP TABLE moved_{table} AS "
               f"SELECT rowid AS old_rowid, {select} FROM {table} WHERE {changed}")  # fmt: skip
    # the moved rows and the canonical rows already holding one of their keys
    db.execute(
        f"""CREATE TEMP TABLE group_{table} AS
            SELECT old_rowid, {listed} FROM moved_{table}
            UNION ALL
            SELECT t.rowid, {", ".join(f"t.{c}" for c in columns)} FROM {table} t
            JOIN (SELECT DISTINCT {", ".join(key)} FROM moved_{table}) k ON {same_key}
            WHERE t.rowid NOT IN (SELECT old_rowid FROM moved_{table})"""
    )
    db.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT old_rowid FROM group_{table})")
    db.execute(
        f"""INSERT INTO {table} ({listed})
            SELECT {listed} FROM (
              SELECT *, row_number() OVER (PARTITION BY {", ".join(key)}
                ORDER BY first_seen IS NULL, first_seen, old_rowid) AS nth
              FROM group_{table})
            WHERE nth = 1"""
    )
    db.execute(f"DROP TABLE temp.moved_{table}")
    db.execute(f"DROP TABLE temp.group_{table}")


BUSY_TIMEOUT_MS = 10_000  # a statement waits this long for another connection's lock
SETUP_TIMEOUT_S = 120  # open_archive waits this long for another process creating/migrating


class ArchiveOpenError(sqlite3.OperationalError):
    """The archive cannot be opened, created or migrated; the message is for the user."""


@contextmanager
def setup_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``<archive>.lock`` while the archive is created or migrated.

    SQLite's own locks cannot serialise this: two crawls started together on a new archive both
    find the migrations pending, and the transaction that read the schema before the other one
    wrote fails at once with "database is locked" (the busy timeout does not apply there).
    A file beside the database, not the database itself: closing a second descriptor of the
    database would drop the POSIX locks SQLite holds on it in this process. The kernel drops
    the lock when its holder dies; the file stays (removing it would race with a waiter).
    """
    deadline = time.monotonic() + timeout
    with open(f"{path}.lock", "a") as lock:  # closing the file releases the lock
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ArchiveOpenError(
                        f"cannot open the archive {path}: another process has been creating "
                        f"or migrating it for {timeout:g} s"
                    ) from None
                time.sleep(0.05)
        yield


def readonly_connection(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the archive at ``path`` that waits for a crawl's short write
    locks. On read-only storage (a mounted backup, a copy on a read-only share) SQLite cannot
    create the WAL's shared-memory file beside it: the file is then read as immutable."""
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro&immutable=1", uri=True,
                               check_same_thread=False)  # fmt: skip
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def open_archive(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating or migrating as needed) the archive at ``path``.

    The database runs in WAL mode so Datasette can read while a crawl writes, with a busy
    timeout so short write locks wait instead of failing. Safe to call from several processes
    at once on a new archive (see :func:`setup_lock`); raises :class:`ArchiveOpenError` with
    a one-line message when the archive cannot be opened.
    """
    if readonly:
        return sqlite_utils.Database(readonly_connection(path))
    db = None
    try:
        with setup_lock(Path(path), SETUP_TIMEOUT_S):
            db = sqlite_utils.Database(path)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.enable_wal()
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
            db.execute("PRAGMA foreign_keys = ON")
            migrations.apply(db)
    except ArchiveOpenError:
        raise
    except (sqlite3.Error, OSError) as exc:
        if db is not None:
            db.close()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ArchiveOpenError(f"cannot open the archive {path}: {reason}") from exc
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


def shape_month(published: str | None) -> int | None:
    """The YYYYMM number of an ISO publication time ("2024-03-05T…" → 202403), or None."""
    if not published or len(published) < 7 or published[4] != "-":
        return None
    year, month = published[:4], published[5:7]
    return int(year) * 100 + int(month) if (year + month).isdigit() else None


def _shape_label(db: sqlite_utils.Database, kind: str, value: str | None) -> int | None:
    if value is None:
        return None
    db.execute(
        "INSERT INTO shape_labels (kind, value) VALUES (?, ?) ON CONFLICT DO NOTHING", [kind, value]
    )
    return db.execute(
        "SELECT id FROM shape_labels WHERE kind = ? AND value = ?", [kind, value]
    ).fetchone()[0]


def index_shape(db: sqlite_utils.Database, article_id: int, row: dict) -> None:
    """Write (or rewrite) the ``article_shape`` row of one article (its month, site and
    province as numbers); call inside the write transaction, beside :func:`index_article`."""
    db.execute(
        "INSERT OR REPLACE INTO article_shape (id, month, site_id, province_id) "
        "VALUES (?, ?, ?, ?)",
        [article_id, shape_month(row.get("published")),
         _shape_label(db, "site", row.get("site")),
         _shape_label(db, "province", row.get("province"))],
    )  # fmt: skip


def rebuild_search_index(db: sqlite_utils.Database) -> int:
    """Rebuild ``articles_fts`` from ``articles`` (after a change to :func:`fold`)."""
    with db.atomic():
        db.execute("DELETE FROM articles_fts")
        count = 0
        for row in db.query("SELECT id, title, description, text FROM articles"):
            index_article(db, row["id"], row)
            count += 1
    return count


@migrations()
def m005_extraction_quality(db: sqlite_utils.Database) -> None:
    """How sure extraction was, per article: flags (a JSON array of strings, so Datasette's
    array facet lists them) and a confidence figure. NULL in both = not assessed (articles
    stored before this migration, or by an extractor that does not report it)."""
    db["articles"].add_column("extraction_flags", str)
    db["articles"].add_column("extraction_confidence", float)
    # the doubtful pages are listed least sure first; the flags are read from the index alone
    db["articles"].create_index(["extraction_confidence", "extraction_flags"])


@migrations()
def m006_page_decisions(db: sqlite_utils.Database) -> None:
    """What every fetched HTML page was judged to be ('article', 'listing', 'other') and why,
    on its capture; the counts per crawl; the documents attached to an article."""
    db["captures"].add_column("page_kind", str)
    db["captures"].add_column("page_reason", str)
    db["captures"].create_index(["page_kind"])
    for kind in ("article", "listing", "other"):
        db["crawls"].add_column(f"pages_{kind}", int)
    db["articles"].add_column("attachments", str)


@migrations()
def m007_story_clusters(db: sqlite_utils.Database) -> None:
    """Syndicated stories (pipelines/archive/clusters.py): each article's MinHash signature,
    its LSH band keys (primary key band, key: a new article finds its candidates by a few
    index lookups), the clusters of copies, and the threshold they were built with. Filled as
    articles are stored; ``tintuc clusters rebuild`` fills them for an existing archive."""
    db.execute("CREATE TABLE story_minhash (article_id INTEGER PRIMARY KEY, signature BLOB)")
    db.execute(
        "CREATE TABLE story_bands (band INTEGER, key INTEGER, article_id INTEGER, "
        "PRIMARY KEY (band, key, article_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE story_clusters (cluster_id INTEGER, article_id INTEGER PRIMARY KEY, "
        "similarity REAL)"
    )
    db["story_clusters"].create_index(["cluster_id"])
    db.execute("CREATE TABLE story_params (name TEXT PRIMARY KEY, value)")


# the SQL twin of shape_month(), for the backfill
SHAPE_MONTH_SQL = """CASE WHEN substr({col}, 1, 7) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
  THEN cast(substr({col}, 1, 4) AS INTEGER) * 100 + cast(substr({col}, 6, 2) AS INTEGER) END"""


@migrations()
def m008_search_shape(db: sqlite_utils.Database) -> None:
    """The shape of a search (matches per month, site, province, year) without reading the
    wide ``articles`` rows: ``article_shape``, one narrow row per article keyed by its id,
    and ``shape_labels``, the sites' and provinces' numbers. Filled from ``articles`` here;
    kept in step by :func:`index_shape` as articles are stored."""
    db.execute(
        "CREATE TABLE shape_labels (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "value TEXT NOT NULL, UNIQUE (kind, value))"
    )
    db.execute(
        "CREATE TABLE article_shape (id INTEGER PRIMARY KEY, month INTEGER, "
        "site_id INTEGER, province_id INTEGER)"
    )
    for kind in ("site", "province"):  # read from the (site, …) and (province, …) indexes
        db.execute(
            f"INSERT INTO shape_labels (kind, value) SELECT DISTINCT '{kind}', {kind} "
            f"FROM articles WHERE {kind} IS NOT NULL ORDER BY {kind}"
        )
    db.execute(
        f"""INSERT INTO article_shape (id, month, site_id, province_id)
        SELECT a.id, {SHAPE_MONTH_SQL.format(col="a.published")}, s.id, p.id
        FROM articles a
        LEFT JOIN shape_labels s ON s.kind = 'site' AND s.value = a.site
        LEFT JOIN shape_labels p ON p.kind = 'province' AND p.value = a.province
        ORDER BY a.id"""
    )


@migrations()
def m009_reextract_progress(db: sqlite_utils.Database) -> None:
    """Where each ``tintuc reextract`` run got to, committed with each batch it saves: an
    interrupted run (Ctrl-C, SIGTERM, a crash) is resumed by the next one."""
    db["reextract_progress"].create(
        {"id": int, "selection": str, "started": str, "finished": str, "total": int,
         "done": int, "last_capture_id": int, "counts": str},
        pk="id",
    )  # fmt: skip


# Links between archived articles, counted per month of the linking article and pair of sites
# (related_site_links), kept by triggers: ``_counted_links(row, sign)`` adds (+1) or removes
# (-1) what one article contributes: its outgoing links, its incoming ones, a link to itself.
def _counted_links(row: str, sign: str) -> str:
    upsert = (
        "INSERT INTO related_site_links (month, from_site, to_site, links) {select} "
        "ON CONFLICT (month, from_site, to_site) DO UPDATE SET links = links + excluded.links;"
    )
    parts = [
        f"SELECT substr({row}.published, 1, 7), coalesce({row}.site, ''), "
        f"coalesce(dst.site, ''), {sign} * count(*) FROM related_links r "
        f"JOIN articles dst ON dst.url = r.to_url "
        f"WHERE r.from_url = {row}.url AND r.to_url != {row}.url "
        f"AND {row}.published IS NOT NULL GROUP BY 1, 2, 3",
        f"SELECT substr(src.published, 1, 7), coalesce(src.site, ''), "
        f"coalesce({row}.site, ''), {sign} * count(*) FROM related_links r "
        f"JOIN articles src ON src.url = r.from_url "
        f"WHERE r.to_url = {row}.url AND r.from_url != {row}.url "
        f"AND src.published IS NOT NULL GROUP BY 1, 2, 3",
        f"SELECT substr({row}.published, 1, 7), coalesce({row}.site, ''), "
        f"coalesce({row}.site, ''), {sign} * count(*) FROM related_links r "
        f"WHERE r.from_url = {row}.url AND r.to_url = {row}.url "
        f"AND {row}.published IS NOT NULL GROUP BY 1, 2, 3",
    ]
    return "\n".join(upsert.format(select=part) for part in parts)


def _counted_link(row: str, sign: str) -> str:
    """What one related link (``row``: NEW or OLD) adds to or removes from the counts."""
    return (
        "INSERT INTO related_site_links (month, from_site, to_site, links) "
        f"SELECT substr(src.published, 1, 7), coalesce(src.site, ''), coalesce(dst.site, ''), "
        f"{sign} FROM articles src JOIN articles dst ON dst.url = {row}.to_url "
        f"WHERE src.url = {row}.from_url AND src.published IS NOT NULL "
        "ON CONFLICT (month, from_site, to_site) DO UPDATE SET links = links + excluded.links;"
    )


@migrations()
def m010_feeds_and_charts(db: sqlite_utils.Database) -> None:
    """For the Atom feeds and the charts (tintuc/web): the feed of changed and removed
    articles reads the newest changes first (indexes on ``article_versions.replaced`` and
    ``articles.removed``); the related-link promotion chart reads ``related_site_links``,
    links between archived articles counted per month and pair of sites, filled here once
    and kept by triggers as links and articles are stored, changed or deleted."""
    db["article_versions"].create_index(["replaced"], if_not_exists=True)
    db["articles"].create_index(["removed"], if_not_exists=True)
    db.execute(
        "CREATE TABLE related_site_links (month TEXT, from_site TEXT, to_site TEXT, "
        "links INTEGER NOT NULL, PRIMARY KEY (month, from_site, to_site)) WITHOUT ROWID"
    )
    db.execute(
        "INSERT INTO related_site_links (month, from_site, to_site, links) "
        "SELECT substr(src.published, 1, 7), coalesce(src.site, ''), coalesce(dst.site, ''), "
        "count(*) FROM related_links r JOIN articles src ON src.url = r.from_url "
        "JOIN articles dst ON dst.url = r.to_url WHERE src.published IS NOT NULL "
        "GROUP BY 1, 2, 3"
    )
    changed = ("OLD.url IS NOT NEW.url OR OLD.site IS NOT NEW.site"
               " OR OLD.published IS NOT NEW.published")  # fmt: skip
    links, articles = "ON related_links", "ON articles"
    triggers = {
        "link_added": (f"AFTER INSERT {links}", _counted_link("NEW", "1")),
        "link_removed": (f"AFTER DELETE {links}", _counted_link("OLD", "-1")),
        "link_changed": (f"AFTER UPDATE OF from_url, to_url {links}",
                         _counted_link("OLD", "-1") + "\n" + _counted_link("NEW", "1")),
        "article_added": (f"AFTER INSERT {articles}", _counted_links("NEW", "1")),
        "article_removed": (f"AFTER DELETE {articles}", _counted_links("OLD", "-1")),
        "article_changed": (f"AFTER UPDATE OF url, site, published {articles} WHEN {changed}",
                            _counted_links("OLD", "-1") + "\n" + _counted_links("NEW", "1")),
    }  # fmt: skip
    for name, (when, body) in triggers.items():
        db.execute(f"CREATE TRIGGER related_site_links_{name} {when} BEGIN\n{body}\nEND")


@migrations()
def m011_canonical_article_urls(db: sqlite_utils.Database) -> None:
    """:func:`~crawler.urls.canonical_url` has learnt rules since older archives were written
    (it drops a ``language=vi-VN`` switch, ``page=0``, session ids, ``destination=`` …): an
    article stored as ``…?language=vi-VN`` would be stored again by the next crawl under its
    new spelling, and related links (canonical) would miss it. Rewrite ``articles.url``
    canonical, and what holds an article's URL with it: ``related_links`` and
    ``related_ids`` again (with today's rules, before the articles move, so that the
    ``related_site_links`` triggers count each link once) and ``article_versions.url``.

    Rows that become one URL are merged, losing nothing (:func:`_merge_articles`). Left as
    they are: ``captures.url`` and ``final_url`` and ``crawl_errors.url``, the URLs actually
    requested, which are history (the WARC records name them). Only the rows that change are
    written; running it again, or on an archive written by today's code, changes nothing.
    """
    db.register_function(_canonical_or_same, deterministic=True, replace=True,
                         name="tintuc_canonical_url")  # fmt: skip
    _rewrite_canonical(db, "related_links", ("from_url", "to_url"), ("from_url", "block", "to_url"))
    _rewrite_canonical(db, "related_ids", ("from_url",), ("from_url", "block"))
    db.execute("DROP TABLE IF EXISTS temp.moved_articles")
    db.execute("CREATE TEMP TABLE moved_articles (id INTEGER PRIMARY KEY, url TEXT NOT NULL)")
    db.execute("INSERT INTO temp.moved_articles SELECT id, tintuc_canonical_url(url) FROM articles "
               "WHERE tintuc_canonical_url(url) IS NOT url")  # fmt: skip
    db.execute("CREATE INDEX temp.moved_articles_url ON moved_articles (url)")
    # the canonical URLs that several rows now share: moved ones, and a row already spelt so
    groups: dict[str, list[int]] = {}
    for url, article_id in db.execute(
        """WITH shared AS (SELECT url FROM temp.moved_articles GROUP BY url
             HAVING count(*) > 1 OR url IN (SELECT url FROM articles))
           SELECT s.url, m.id FROM shared s JOIN temp.moved_articles m ON m.url = s.url
           UNION SELECT s.url, a.id FROM shared s JOIN articles a ON a.url = s.url
           ORDER BY 1, 2"""
    ).fetchall():
        groups.setdefault(url, []).append(article_id)
    stories = set()  # stories whose first article was merged away
    for url, ids in groups.items():
        stories |= _merge_articles(db, url, ids)
    db.execute("UPDATE articles SET url = (SELECT m.url FROM temp.moved_articles m "
               "WHERE m.id = articles.id) WHERE id IN (SELECT id FROM temp.moved_articles)")
    db.execute("UPDATE article_versions SET url = tintuc_canonical_url(url) "
               "WHERE tintuc_canonical_url(url) IS NOT url")  # fmt: skip
    _recluster(db, stories)
    db.execute("DROP TABLE temp.moved_articles")


def _merge_articles(db: sqlite_utils.Database, url: str, ids: list[int]) -> set[int]:
    """Merge the rows ``ids`` of one canonical ``url`` into one article; return the ids of the
    stories (clusters) whose first article was one of the rows merged away.

    The row kept is the one ``save_article`` would hold had the URL been canonical all along:
    the one fetched last among those with text (a later fetch replaces the text; an empty one
    never replaces a text). It keeps its id, text, search entry and story; it takes the
    earliest ``first_seen`` and the latest ``last_seen``. Each other row becomes an
    ``article_versions`` row of it (as :func:`~pipelines.archive.store.save_version` writes
    one), unless its title, description and text are the kept ones; its own versions follow
    it; its search entry, shape row and story membership go, and so does the row.
    """
    marks = ", ".join("?" for _ in ids)
    rows = [dict(r) for r in db.query(f"SELECT * FROM articles WHERE id IN ({marks})", ids)]
    keep = max(rows, key=lambda r: (bool(r["text"]), r["last_seen"] or "", r["url"] == url,
                                    -r["id"]))  # fmt: skip
    content = ("title", "description", "text")
    stories = set()
    for row in rows:
        if row is keep:
            continue
        if any(row[k] != keep[k] for k in content):
            previous = db.execute("SELECT max(replaced) FROM article_versions "
                                  "WHERE article_id = ?", [row["id"]]).fetchone()[0]  # fmt: skip
            version = {
                "article_id": keep["id"], "url": url,
                **{k: row[k] for k in (*content, "published", "author", "content_hash",
                                       "capture_id", "crawl_id")},
                "first_seen": previous or row["first_seen"],
                "replaced": row["last_seen"] or row["first_seen"],
            }  # fmt: skip
            db.execute(f"INSERT INTO article_versions ({', '.join(version)}) "
                       f"VALUES ({', '.join('?' for _ in version)})", list(version.values()))
        db.execute("UPDATE article_versions SET article_id = ? WHERE article_id = ?",
                   [keep["id"], row["id"]])  # fmt: skip
        db.execute("DELETE FROM articles_fts WHERE rowid = ?", [row["id"]])
        db.execute("DELETE FROM article_shape WHERE id = ?", [row["id"]])
        unclaim_article(db, row["id"])
        if db.execute("SELECT 1 FROM story_clusters WHERE cluster_id = ?", [row["id"]]).fetchone():
            stories.add(row["id"])
        db.execute("DELETE FROM articles WHERE id = ?", [row["id"]])
    seen = [r["first_seen"] for r in rows if r["first_seen"]]
    last = [r["last_seen"] for r in rows if r["last_seen"]]
    db.execute("UPDATE articles SET first_seen = ?, last_seen = ? WHERE id = ?",
               [min(seen, default=None), max(last, default=None), keep["id"]])
    return stories


def _recluster(db: sqlite_utils.Database, stories: set[int]) -> None:
    """Cluster again the members of ``stories``, whose first article is gone: a story's id is
    its first article, which every member resembles (as ``tintuc clusters rebuild`` would)."""
    members = [r[0] for r in db.execute(
        "SELECT article_id FROM story_clusters WHERE cluster_id IN (SELECT value FROM "
        "json_each(?)) ORDER BY article_id", [json.dumps(sorted(stories))]).fetchall()]  # fmt: skip
    for article_id in members:
        unclaim_article(db, article_id)
    for article_id, text in db.execute(
        "SELECT id, text FROM articles WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [json.dumps(members)]).fetchall():  # fmt: skip
        cluster_article(db, article_id, text)


@migrations()
def m012_article_aliases(db: sqlite_utils.Database) -> None:
    """One article at several URLs of its site is one ``articles`` row: a URL whose page
    shows a stored article is an ``article_aliases`` row of it
    (:func:`pipelines.archive.store.save_article`); stored articles are found by their
    ``content_hash`` within a site."""
    db["article_aliases"].create(
        {"url": str, "article_id": int, "first_seen": str, "last_seen": str,
         "capture_id": int, "crawl_id": int}, pk="url",
    )  # fmt: skip
    db["article_aliases"].create_index(["article_id"])
    db["articles"].create_index(["site", "content_hash"], if_not_exists=True)


@migrations()
def m013_story_parts(db: sqlite_utils.Database) -> None:
    """A story split over pages is stored page by page: a later page's row names the first
    page's URL (``part_of``) and its number (``part``), set by the crawl, which knows the
    first page as a headline link of the site (crawler.spiders.news.NewsSpider.story_part)."""
    db["articles"].add_column("part_of", str)
    db["articles"].add_column("part", int)
    db["articles"].create_index(["part_of"])


def _site_with_port(url: str | None, site: str | None) -> str | None:
    """The id an article stored under its URL's host alone is now crawled under, when its URL
    has a port other than the default (``127.0.0.1`` -> ``127.0.0.1-8001``); else None."""
    if not url or not site or site != (urlsplit(url).hostname or "").removeprefix("www."):
        return None
    new = site_id_of(url)
    return new if new != site else None


@migrations()
def m014_site_ids_with_port(db: sqlite_utils.Database) -> None:
    """A ``--start-url`` crawl of a site at another port than its scheme's default
    (``http://127.0.0.1:8001/``) stored its articles under the host alone (``127.0.0.1``), as
    it did a second site's at ``127.0.0.1:8002``; the id now holds the port
    (``127.0.0.1-8001``, :func:`crawler.sites.site_id_of`, the id ``tintuc sites check
    --write-profile`` writes). Move each article stored under its URL's host name, whose URL
    has such a port, to that id: without it the next crawl of the site, under the new id,
    found none of its articles stored (each fetched again, counted "0 articles of this
    site"). A registered site's id is no host name: its articles stay. ``related_site_links``
    follows by its triggers, ``article_shape`` here. ``crawls`` and ``sites`` rows keep the old
    id (history: a crawl's row does not say which port it fetched)."""
    db.register_function(_site_with_port, deterministic=True, replace=True,
                         name="tintuc_site_with_port")  # fmt: skip
    moved = db.execute(
        "SELECT id, tintuc_site_with_port(url, site) FROM articles "
        "WHERE tintuc_site_with_port(url, site) IS NOT NULL"
    ).fetchall()
    for article_id, site in moved:
        db.execute("UPDATE articles SET site = ? WHERE id = ?", [site, article_id])
        db.execute("UPDATE article_shape SET site_id = ? WHERE id = ?",
                   [_shape_label(db, "site", site), article_id])  # fmt: skip


@migrations()
def m015_crawls_and_sites_with_port(db: sqlite_utils.Database) -> None:
    """The ``crawls`` and ``sites`` rows m014 left under the host alone follow its articles:
    ``tintuc status`` listed ``127.0.0.1`` with 0 articles, and the site's crawls were not
    the history of ``127.0.0.1-8001``. A crawl's site is told by the first page it captured
    or failed on (a crawl stays on its start URL's host and port); it moves as m014 moved an
    article (:func:`_site_with_port`). A moved site id gets a copy of the old ``sites`` row,
    pointed at its port; the old row goes once no article, crawl or schedule names it. Every
    crawl, capture and error row is kept."""
    first_urls = """SELECT c.id, c.site, coalesce(
        (SELECT url FROM captures WHERE crawl_id = c.id ORDER BY id LIMIT 1),
        (SELECT url FROM crawl_errors WHERE crawl_id = c.id ORDER BY id LIMIT 1)) FROM crawls c"""
    moves = []  # (old id, new id, a URL of the site)
    for crawl_id, old, url in db.execute(first_urls).fetchall():
        new = _site_with_port(url, old)
        if new:
            db.execute("UPDATE crawls SET site = ? WHERE id = ?", [new, crawl_id])
            moves.append((old, new, url))
    # an id m014 gave articles whose crawls told nothing (no capture, no error kept)
    for new, url in db.execute("SELECT site, min(url) FROM articles "
                               "WHERE site NOT IN (SELECT id FROM sites) GROUP BY site"):
        old = (urlsplit(url).hostname or "").removeprefix("www.")
        if _site_with_port(url, old) == new:
            moves.append((old, new, url))
    sites = {row["id"]: row for row in db["sites"].rows}
    for old, new, url in moves:
        if old not in sites or new in sites:
            continue
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}/"
        profile = {**json.loads(sites[old]["profile"] or "{}"),
                   "id": new, "name": site_host(url), "start_urls": [base]}  # fmt: skip
        sites[new] = {**sites[old], "id": new, "name": site_host(url), "base_url": base,
                      "profile": json.dumps(profile, ensure_ascii=False)}  # fmt: skip
        db["sites"].insert(sites[new])
    for old in {old for old, _, _ in moves}:
        db.execute("""DELETE FROM sites WHERE id = ?
                      AND NOT EXISTS (SELECT 1 FROM articles WHERE site = ?)
                      AND NOT EXISTS (SELECT 1 FROM crawls WHERE site = ?)
                      AND NOT EXISTS (SELECT 1 FROM schedules WHERE site = ?)""",
                   [old, old, old, old])  # fmt: skip


@migrations()
def m016_article_languages(db: sqlite_utils.Database) -> None:
    """An article's copies in other languages (``<link rel=alternate hreflang>``), each stored
    as an article of its own, are linked: ``article_languages`` rows, written with the
    article (:func:`pipelines.archive.store.save_languages`), read both ways."""
    db["article_languages"].create(
        {"url": str, "other_url": str, "other_lang": str, "first_seen": str, "last_seen": str},
        pk=("url", "other_url"),
    )
    db["article_languages"].create_index(["other_url"])


@migrations()
def m017_related_link_history(db: sqlite_utils.Database) -> None:
    """A link that an article's related block no longer holds (the site changed the block) is
    kept: its row moves from ``related_links``, the block as the page now shows it, to
    ``related_links_gone`` with when it went (:func:`pipelines.archive.store.save_related`)."""
    db["related_links_gone"].create(
        {"id": int, "from_url": str, "to_url": str, "anchor": str, "block": str,
         "position": int, "first_seen": str, "gone": str, "crawl_id": int},
        pk="id",
    )  # fmt: skip
    db["related_links_gone"].create_index(["from_url"])


@migrations()
def m018_values_kept_from_earlier_captures(db: sqlite_utils.Database) -> None:
    """Which of an article's values a later capture did not show and were kept from an earlier
    one (``kept_from``: {column: capture id}, :func:`pipelines.archive.store.not_shown_again`):
    ``tintuc reextract``, reading the row's own capture again, would otherwise take the
    capture's empty value for the extractor's judgement and drop them. Rows stored before
    this say nothing kept (NULL)."""
    db["articles"].add_column("kept_from", str)


@migrations()
def m019_versions_keep_image_updated_attachments(db: sqlite_utils.Database) -> None:
    """A replaced version keeps its lead image, its "updated" time and its attachments, as it
    keeps its text (:func:`pipelines.archive.store.save_version`): a recapture that changes
    only those is a new version too, and the earlier values are no longer lost. Versions
    replaced before this hold none (NULL: not recorded, not "none")."""
    for column in ("updated", "image", "attachments"):
        db["article_versions"].add_column(column, str)


@migrations()
def m020_related_ids_history(db: sqlite_utils.Database) -> None:
    """A script-filled related block that a capture no longer shows, or shows with other ids,
    is kept: its row moves from ``related_ids`` to ``related_ids_gone`` with when it went
    (:func:`pipelines.archive.store.save_related_ids`), as m017 keeps related links."""
    db["related_ids_gone"].create(
        {"id": int, "from_url": str, "block": str, "ids": str, "first_seen": str, "gone": str,
         "crawl_id": int},
        pk="id",
    )  # fmt: skip
    db["related_ids_gone"].create_index(["from_url"])
