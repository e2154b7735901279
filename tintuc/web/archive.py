"""Which databases are tintuc archives, and how the plugin's connections to them are set up.

Installing tintuc registers this plugin for every ``datasette`` run in that environment, so
every hook first asks :func:`is_archive` and leaves any other database exactly as Datasette
serves it (no folded search, no redirects, no metadata, no pages of ours).
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
import weakref

from datasette import hookimpl
from datasette.utils.asgi import Response
from sqlite_utils.migrations import Migrations

from pipelines.archive.schema import migrations

ARTICLES = "articles"

# Datasette settings used by ``tintuc serve`` (and by the tests that check them).
SERVE_SETTINGS = {
    "sql_time_limit_ms": 3000,
    "allow_csv_stream": True,
    "max_csv_mb": 0,  # 0 = no limit: a streamed CSV of a whole table is never cut short
    "facet_time_limit_ms": 1000,
    # charts read whole canned-query answers: a term over 20 years, 16 series a month
    "max_returned_rows": 5000,
}
WRITE_ENV = "TINTUC_DATASETTE_WRITE"  # set to 1 by ``tintuc serve --write``

# Datasette's Database object -> whether it is a tintuc archive. A database becomes one only
# through open_archive (its first migration), before anyone serves it, so the answer is kept.
_archives: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def is_archive(datasette, database: str | None) -> bool:
    """Whether the database named ``database`` is a tintuc archive: its sqlite-utils migrations
    table lists tintuc's migration set. Checked once per database, on a connection of its own
    (hooks such as ``get_metadata`` run before Datasette has opened any)."""
    db = datasette.databases.get(database) if database and database != "_internal" else None
    if db is None:
        return False
    known = _archives.get(db)
    if known is None:
        try:
            known = _has_tintuc_migrations(db)
        except sqlite3.Error:  # unreadable just now: not an archive for this call, ask again
            return False
        _archives[db] = known
    return known


def articles_view(datasette, database, table, view_name, request, wanted: str) -> bool:
    """True on a page of the ``articles`` table of a tintuc archive: the ``wanted`` view
    ("row" or "table"), for a request (template hooks also run for other pages)."""
    return (view_name == wanted and table == ARTICLES and request is not None
            and is_archive(datasette, database))


def _has_tintuc_migrations(db) -> bool:
    conn = db.connect()  # opened as Datasette opens it (read-only, immutable, in memory …)
    try:
        conn.execute("PRAGMA busy_timeout = 1000")
        table = Migrations.migrations_table
        if not conn.execute(
            "select 1 from sqlite_master where type = 'table' and name = ?", [table]
        ).fetchone():
            return False
        sql = f"select 1 from [{table}] where migration_set = ? limit 1"
        return conn.execute(sql, [migrations.name]).fetchone() is not None
    finally:
        conn.close()


async def readable_archive(datasette, request):
    """The archive named in the route and its name, or a 404/403 response to send instead."""
    name = urllib.parse.unquote(request.url_vars["database"])
    if not is_archive(datasette, name):
        return None, name, Response.text(f"no tintuc archive {name!r}", status=404)
    if not await datasette.permission_allowed(
        request.actor, "view-table", (name, ARTICLES), default=True
    ):
        return None, name, Response.text("forbidden", status=403)
    return datasette.get_database(name), name, None


@hookimpl(specname="prepare_connection")
def archive_connection(conn, database, datasette):
    """Readers wait out a crawl's short write locks; nothing writes unless ``serve --write``."""
    if not is_archive(datasette, database):
        return
    # readers wait for a crawl's short write locks rather than answer "database is locked"
    conn.execute("PRAGMA busy_timeout = 5000")
    if os.environ.get(WRITE_ENV) != "1":
        conn.execute("PRAGMA query_only = 1")
