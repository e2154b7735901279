"""Datasette plugin: Vietnamese-aware search, article pages and complete CSV exports.

Search. ``articles_fts`` indexes *folded* text (no case, no diacritics, đ→d), so every query
is folded the same way before it reaches FTS5:

- ``prepare_connection`` replaces Datasette's ``escape_fts()`` SQL function with one that
  folds and makes the query safe (words, "phrases", prefix*; an unbalanced quote is closed),
  so ``?_search=`` and ``?_search_<column>=`` on the table page and in the JSON/CSV API find
  "Đà Nẵng" for "da nang", "ĐÀ NẴNG" or "đà nẵng". It also registers ``fold(text)``,
  ``tintuc_fts(query)``, ``tintuc_snippet(text, query)`` and ``tintuc_highlight(text, query)``
  for SQL queries.
- Datasette 0.65's table view cannot sort by relevance, so ``asgi_wrapper`` sends a plain
  search of the articles table (``/<db>/articles?_search=…``, no other filter, no explicit
  sort) to the ranked search page of this plugin (bm25, title weighted most, highlighted
  snippets). Choosing "newest first" (``_sort_desc=published``) or any column filter keeps
  Datasette's own table view with its facets.

Export. ``/-/tintuc/export/<db>.csv?_search=…&site=…&since=…&until=…`` streams *all* matching
articles as CSV with a UTF-8 BOM from one read transaction; the number of rows is sent first in
the ``X-Tintuc-Rows`` header, and a failure mid-way aborts the response (a broken download,
never a silently short file).

Pages. ``row.html`` shows an article as an article (body as paragraphs, related news linked to
the archived copies); ``table.html`` adds the export link. Everything from crawled pages is
escaped, and only http(s) URLs become links.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import urllib.parse
from pathlib import Path

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import AsgiStream, Response

from pipelines.text import fold
from tintuc import export

TEMPLATES = Path(__file__).parent / "templates"
ARTICLES = "articles"
SEARCH_PAGE_SIZE = 20
# Bounds that keep every search fast whatever the archive's size (issue 6; bench/README.md).
COUNT_CAP = 5_000  # count matches up to this many; beyond, "more than 5,000" (counting 20,000
# phrase matches took ~23 ms at 200,000 articles: most of a search's time budget)
RANK_LIMIT = 5_000  # rank by bm25 searches with at most this many matches
TITLE_FIRST_WINDOW = 2_000  # more matches: the newest this many, title matches first
TABLE_SORT_LIMIT = 5_000  # table view: above this many matches, list by id, no count/facets
SEARCH_TIME_LIMIT_MS = 1_000  # per search query of the ranked page

# Datasette settings used by ``tintuc serve`` (and by the tests that check them).
SERVE_SETTINGS = {
    "sql_time_limit_ms": 3000,
    "allow_csv_stream": True,
    "max_csv_mb": 0,  # 0 = no limit: a streamed CSV of a whole table is never cut short
    "facet_time_limit_ms": 1000,
}
WRITE_ENV = "TINTUC_DATASETTE_WRITE"  # set to 1 by ``tintuc serve --write``


def escape_fts(query: str | None) -> str:
    """Datasette's ``escape_fts`` for the folded index: fold, keep phrases and prefix*."""
    return export.fts_query(query)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (safe in ``href``), else None (``javascript:`` …)."""
    if not url:
        return None
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


@hookimpl(trylast=True)  # after Datasette's own, so our escape_fts() replaces its version
def prepare_connection(conn, database, datasette):
    conn.create_function("fold", 1, fold, deterministic=True)
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
    conn.create_function("tintuc_fts", 1, escape_fts, deterministic=True)
    conn.create_function("tintuc_snippet", 2, export.snippet_html, deterministic=True)
    conn.create_function("tintuc_highlight", 2, export.highlight_html, deterministic=True)
    if database == "_internal":
        return
    # readers wait for a crawl's short write locks rather than answer "database is locked"
    conn.execute("PRAGMA busy_timeout = 5000")
    if os.environ.get(WRITE_ENV) != "1":
        conn.execute("PRAGMA query_only = 1")


@hookimpl
def prepare_jinja2_environment(env, datasette):
    """Put this plugin's templates before Datasette's (a module plugin gets no templates dir)."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    loaders = [FileSystemLoader(str(TEMPLATES)), env.loader]
    if datasette.template_dir:  # the user's --template-dir still wins
        loaders.insert(0, FileSystemLoader(datasette.template_dir))
    env.loader = ChoiceLoader(loaders)
    env.filters["tintuc_safe_url"] = safe_url


# ---------------------------------------------------------------- ranked search routing

RANKED_KEYS = {"_search", "_sort", "_sort_by_desc", "_next", "_size"}


def wants_ranked_search(args: list[tuple[str, str]]) -> bool:
    """A plain search of the articles table: rank it (no filter, no explicit other sort).

    The table page's form always sends the current sort (``_sort=published&_sort_by_desc=on``
    by default), so that combination counts as "no explicit sort"; the column headers and the
    "newest first" link send ``_sort_desc=published`` instead.
    """
    params = dict(args)
    if not params.get("_search", "").strip() or set(params) - RANKED_KEYS:
        return False
    sort = params.get("_sort", "")
    return sort in ("", "rank") or (sort == "published" and "_sort_by_desc" in params)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def route_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = await _rewrite(datasette, scope)
                note = scope.get("tintuc_search_note")
                if note:
                    send = _with_header(send, b"x-tintuc-search", note)
            await app(scope, receive, send)

        return route_search

    return wrap


def _with_header(send, name: bytes, value: str):
    async def wrapped(message):
        if message.get("type") == "http.response.start":
            headers = list(message.get("headers", []))
            headers.append((name, value.encode("ascii", "replace")))
            message = dict(message, headers=headers)
        await send(message)

    return wrapped


async def _rewrite(datasette, scope: dict) -> dict:
    args = urllib.parse.parse_qsl(scope["query_string"].decode("utf-8", "replace"), True)
    # an emptied search box means "no search", not "match nothing"; the synthetic _next
    # (see NEXT_FROM_START) comes back in Datasette's own links: drop it, add it where needed
    kept = [
        (k, v) for k, v in args
        if not (k.startswith("_search") and not v.strip())
        and not (k == "_next" and v == NEXT_FROM_START_DECODED)
    ]  # fmt: skip
    if kept != args:
        args = kept
        scope = dict(scope, query_string=urllib.parse.urlencode(args).encode("ascii"))
    path = scope.get("path", "")
    stem, dot, ext = path.rpartition(".") if path.endswith((".json", ".csv")) else (path, "", "")
    if not stem.endswith("/" + ARTICLES):
        return scope
    name = next(
        (n for n in datasette.databases if n != "_internal"
         and stem == datasette.urls.table(n, ARTICLES)),
        None,
    )  # fmt: skip
    if name is None:
        return scope
    quoted = urllib.parse.quote(name, safe="")
    if not ext and wants_ranked_search(args):
        new_path = f"/-/tintuc/search/{quoted}"
        return dict(scope, path=new_path, raw_path=new_path.encode("ascii"))
    if ext == "csv" and wants_full_export(args):
        new_path = f"/-/tintuc/export/{quoted}.csv"
        return dict(scope, path=new_path, raw_path=new_path.encode("ascii"))
    note = None
    search = dict(args).get("_search", "")
    if search.strip() and not dict(args).get("_stream"):
        args, note = await bound_table_search(datasette, name, args, search)
    if note is None:
        if ext != "csv" and newest_first_without_next(args):
            args = args + [("_next", NEXT_FROM_START)]
        elif ext == "csv" and dict(args).get("_stream") and newest_first_without_next(args):
            # _next is refused when streaming: sort by the unique id instead (same rows)
            args = [(k, v) for k, v in args if k != "_sort_desc"] + [("_sort_desc", "id")]
        else:
            return scope
    query_string = urllib.parse.urlencode(args).encode("ascii")
    return dict(scope, query_string=query_string, tintuc_search_note=note)


SORT_KEYS = {"_sort", "_sort_desc", "_sort_by_desc"}
BOUNDED_FLAGS = [("_nocount", "1"), ("_nofacet", "1"), ("_nosuggest", "1")]
# a common search, handed from the ASGI rewrite to filters_from_request (see bounded_search)
BOUNDED_SEARCH_ARG = "_tintuc_search"


async def bound_table_search(datasette, name: str, args: list, search: str):
    """Datasette's table view of a search matching more than TABLE_SORT_LIMIT articles.

    Datasette 0.65.5 runs ``select … from articles where id in (select rowid from
    articles_fts where articles_fts match …) order by published desc …``, then
    ``select count(*)`` of the same and one ``group by`` per facet: each reads every matching
    article (seconds for a common word at 200,000 articles). Sorted by ``id`` (rowid) instead,
    count and facets skipped (``_nocount``/``_nofacet``), and ``_search`` handed over as
    ``_tintuc_search`` to :func:`filters_from_request`, whose subquery only reads the page's
    window of the index. Returns the new arguments and a note saying what was done (None when
    nothing was).
    """
    db = datasette.get_database(name)
    limit_ms = search_limit_ms(datasette)
    try:
        count = await capped_count(db, export.fts_query(search), TABLE_SORT_LIMIT, limit_ms)
    except Exception:  # let Datasette's own view answer (and report) whatever is wrong
        return args, None
    if count <= TABLE_SORT_LIMIT:
        return args, None
    params = dict(args)
    sorted_by_id = params.get("_sort_desc") == "id" or (
        params.get("_sort") == "id" and "_sort_by_desc" not in params
    )
    if params.get("_sort") == "id" and "_sort_by_desc" not in params:
        order = "id ascending (oldest archived first)"  # asked for; fast both ways
    else:
        order = "id descending (most recently archived first)"
    if not sorted_by_id:
        args = [(k, v) for k, v in args if k not in SORT_KEYS and k != "_next"]
        args.append(("_sort_desc", "id"))
    args = [(BOUNDED_SEARCH_ARG if k == "_search" else k, v) for k, v in args
            if k not in dict(BOUNDED_FLAGS)] + BOUNDED_FLAGS  # fmt: skip
    note = f"more than {TABLE_SORT_LIMIT:,} matches: sorted by {order}, without count or facets"
    return args, note


@hookimpl
def filters_from_request(request, database, table, datasette):
    """The where clause of a common search in the table view (see bound_table_search).

    Datasette's own clause, ``id in (select rowid from articles_fts where … match …)``, makes
    SQLite collect every match before the page is cut: ~100 ms for a word in every article of
    200,000. Here the subquery is limited to the rowid window of the page asked for (the
    ``_size`` + 1 matches after ``_next``, by id), which FTS5 seeks to directly.
    """
    search = request.args.get(BOUNDED_SEARCH_ARG, "")
    if table != ARTICLES or not search.strip():
        return None

    async def inner():
        from datasette.filters import FilterArguments

        db = datasette.get_database(database)
        match = export.fts_query(search)
        ascending = request.args.get("_sort") == "id"
        size = request.args.get("_size", "")
        if size == "max":
            size = datasette.setting("max_returned_rows")
        try:
            size = max(1, int(size))
        except ValueError:
            size = datasette.setting("default_page_size")
        after = (request.args.get("_next") or "").split(",")[-1]
        clauses, params = ["articles_fts match :tintuc_match"], {"tintuc_match": match}
        if after.lstrip("-").isdigit():  # past the previous page: below its id (or above)
            clauses.append("rowid > :tintuc_after" if ascending else "rowid < :tintuc_after")
            params["tintuc_after"] = int(after)
        edge = await nth_match_rowid(
            db, " and ".join(clauses), params, size, ascending, search_limit_ms(datasette)
        )
        if edge is not None:  # the page (and one more row, for Datasette's "next") ends here
            clauses.append("rowid <= :tintuc_edge" if ascending else "rowid >= :tintuc_edge")
            params["tintuc_edge"] = edge
        where = f"id in (select rowid from articles_fts where {' and '.join(clauses)})"
        return FilterArguments(
            [where], params, [f'search matches "{search}"'], {"search": search}
        )

    return inner


# Datasette 0.65.5 bug: sorted by ``_sort_desc``, the first page is ordered by the column alone
# (ties come in index order, id descending) but the next pages by (column, id ascending), so
# rows with the same publication time repeat or go missing across pages and in streamed CSV.
# Starting the first page from a ``_next`` token that precedes every row makes Datasette use
# the same (published desc, id) order from the first page on.
NEXT_FROM_START = "~EF~BF~BF,0"  # tilde-encoded "\uffff" (after any ISO date), then id > 0
NEXT_FROM_START_DECODED = NEXT_FROM_START  # parse_qsl leaves "~" alone
EXPORT_KEYS = {"_search", "site", "site__exact", "_stream", "_dl", "_size", "_sort", "_sort_desc",
               "_nofacet", "_nocount", "_labels", "_bom"}  # fmt: skip


def newest_first_without_next(args: list[tuple[str, str]]) -> bool:
    params = dict(args)
    if "_next" in params or params.get("_sort"):
        return False
    return params.get("_sort_desc", "published") == "published"


def wants_full_export(args: list[tuple[str, str]]) -> bool:
    """A streamed CSV of the articles table that the complete export route can serve."""
    params = dict(args)
    return params.get("_stream") not in (None, "", "0", "off") and not set(params) - EXPORT_KEYS


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/tintuc/search/(?P<database>[^/]+?)(\.(?P<format>json))?$", search_view),
        (r"^/-/tintuc/export/(?P<database>[^/]+)\.csv$", export_csv_view),
    ]


def _database(datasette, request):
    name = urllib.parse.unquote(request.url_vars["database"])
    if name not in datasette.databases or name == "_internal":
        return None, name
    return datasette.get_database(name), name


def export_url(datasette, database: str, **args: str | None) -> str:
    query = urllib.parse.urlencode({k: v for k, v in args.items() if v})
    path = f"/-/tintuc/export/{urllib.parse.quote(database, safe='')}.csv"
    return datasette.urls.path(path) + ("?" + query if query else "")


class SearchTooSlow(Exception):
    """A search query hit its time limit."""


def _interrupted(exc: BaseException) -> bool:
    return isinstance(exc, QueryInterrupted) or (
        isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc)
    )


async def _execute(db, sql: str, params: dict, limit_ms: int):
    try:
        return await db.execute(sql, params, custom_time_limit=limit_ms)
    except Exception as exc:
        if _interrupted(exc):
            raise SearchTooSlow(str(exc)) from None
        raise


def search_limit_ms(datasette) -> int:
    """Time limit of one search query: Datasette's own, at most SEARCH_TIME_LIMIT_MS."""
    return min(datasette.setting("sql_time_limit_ms"), SEARCH_TIME_LIMIT_MS)


async def nth_match_rowid(
    db, where: str, params: dict, n: int, ascending: bool, limit_ms: int
) -> int | None:
    """The rowid of the match ``n`` places (0-based) from the newest (or oldest) one, found in
    the index alone; None when there are not that many."""
    sql = (f"select rowid from articles_fts where {where} order by rowid"
           f" {'asc' if ascending else 'desc'} limit 1 offset :tintuc_nth")  # fmt: skip
    rows = (await _execute(db, sql, {**params, "tintuc_nth": n}, limit_ms)).rows
    return rows[0][0] if rows else None


async def capped_count(db, match: str, cap: int, limit_ms: int) -> int:
    """How many articles match, counting at most ``cap + 1`` (cheap: the index alone)."""
    sql = (
        "select count(*) from (select 1 from articles_fts where articles_fts match :match"
        " limit :cap)"
    )
    return (await _execute(db, sql, {"match": match, "cap": cap + 1}, limit_ms)).rows[0][0]


def _plural(n: int) -> str:
    return f"{n:,} match" + ("" if n == 1 else "es")


async def ranked_page(db, query: str, size: int, offset: int, limit_ms: int) -> dict:
    """One page of ranked results and how they were ranked (see RANK_LIMIT)."""
    match = export.fts_query(query)
    count = await capped_count(db, match, COUNT_CAP, limit_ms)
    exact = count <= COUNT_CAP
    params = {"match": match, "q": query, "limit": size + 1, "offset": offset}
    if count <= RANK_LIMIT:
        ranking = "bm25 over all matches"
        ranked = f"""select rowid, {export.RANK_SQL} as rank from articles_fts
            where articles_fts match :match order by rank, rowid limit :limit offset :offset"""
        order = "ranked.rank, ranked.rowid"
    else:
        # bm25 needs each term's document frequency, read from its whole list in the index
        # (~50 ms for a word in every one of 200,000 articles, however few rows are ranked):
        # among the newest matches, those with every term in the title come first instead
        ranking = (f"title matches first, then newest, among the {TITLE_FIRST_WINDOW:,} newest"
                   " matches")
        edge = await nth_match_rowid(db, "articles_fts match :match", {"match": match},
                                     TITLE_FIRST_WINDOW - 1, False, limit_ms)  # fmt: skip
        params.update(edge=edge or 0, in_title=f"title : ({match})")
        ranked = """select rowid, null as rank, rowid in (
              select rowid from articles_fts where articles_fts match :in_title
              and rowid >= :edge) as in_title
            from articles_fts where articles_fts match :match and rowid >= :edge
            order by in_title desc, rowid desc limit :limit offset :offset"""
        order = "ranked.in_title desc, ranked.rowid desc"
    # rank inside the index first; read articles and build snippets for this page only
    sql = f"""
        select articles.id, articles.title, articles.published, articles.site, articles.url,
          articles.author, ranked.rank,
          tintuc_highlight(articles.title, :q) as title_html,
          tintuc_snippet(coalesce(articles.description, '') || char(10)
            || coalesce(articles.text, ''), :q) as snippet_html
        from ({ranked}) as ranked join articles on articles.id = ranked.rowid
        order by {order}
    """
    try:
        results = await _execute(db, sql, params, limit_ms)
    except SearchTooSlow:
        # ranking took too long (a huge archive on a slow disk): newest matches instead
        ranking = "newest matches first (highest ids): ranking took too long"
        sql = """
            select articles.id, articles.title, articles.published, articles.site,
              articles.url, articles.author, null as rank,
              tintuc_highlight(articles.title, :q) as title_html,
              tintuc_snippet(coalesce(articles.description, '') || char(10)
                || coalesce(articles.text, ''), :q) as snippet_html
            from (select rowid from articles_fts where articles_fts match :match
                  order by rowid desc limit :limit offset :offset) as newest
            join articles on articles.id = newest.rowid
            order by articles.id desc
        """
        results = await _execute(db, sql, params, limit_ms)
    rows = [dict(r) for r in results.rows[:size]]
    more = len(results.rows) > size
    return {
        "match": match,
        "count": count if exact else None,
        "count_text": _plural(count) if exact else f"more than {COUNT_CAP:,} matches",
        "ranking": ranking,
        "bounded": not ranking.startswith("bm25 over all"),
        "rows": rows,
        "next": offset + size if more else None,
    }


async def _readable_articles(datasette, request):
    """The request's database and its name, or a 404/403 response to send instead."""
    db, name = _database(datasette, request)
    if db is None:
        return None, name, Response.text(f"no database {name!r}", status=404)
    if not await datasette.permission_allowed(
        request.actor, "view-table", (name, ARTICLES), default=True
    ):
        return db, name, Response.text("forbidden", status=403)
    return db, name, None


async def search_view(datasette, request):
    """Ranked (bm25) search of the articles with highlighted snippets; HTML or JSON."""
    db, name, refusal = await _readable_articles(datasette, request)
    if refusal is not None:
        return refusal
    query = request.args.get("_search", "")
    size = min(max(_int(request.args.get("_size"), SEARCH_PAGE_SIZE), 1), 100)
    offset = max(_int(request.args.get("_next"), 0), 0)
    as_json = request.url_vars.get("format") == "json"
    limit_ms = search_limit_ms(datasette)
    try:
        page = await ranked_page(db, query, size, offset, limit_ms)
    except SearchTooSlow:
        message = (
            f"Search for {query!r} took longer than {limit_ms} ms and was stopped. "
            'Add a word, use a "phrase", or filter by site.'
        )
        if as_json:
            return Response.json(
                {"ok": False, "error": message, "status": 400, "query": query}, status=400
            )
        return Response.html(
            await datasette.render_template(
                "error.html",
                {"ok": False, "error": message, "status": 400, "title": "Search too slow"},
                request=request,
            ),  # fmt: skip
            status=400,
        )
    rows, next_offset, count = page["rows"], page["next"], page["count"]
    next_url = None
    if next_offset is not None:
        next_url = (
            _table_path(datasette, name)
            + "?"
            + urllib.parse.urlencode(
                {"_search": query, "_next": str(next_offset), "_size": str(size)}
            )
        )
    csv_url = export_url(datasette, name, _search=query)
    if as_json:
        return Response.json(
            {
                "database": name,
                "query": query,
                "fts_query": page["match"],
                "count": count,
                "count_text": page["count_text"],
                "ranking": page["ranking"],
                "rows": [{k: v for k, v in r.items() if k != "title_html"} for r in rows],
                "next": next_offset,
                "next_url": next_url and datasette.absolute_url(request, next_url),
                "csv_url": datasette.absolute_url(request, csv_url),
            }
        )
    for row in rows:
        row["row_url"] = datasette.urls.row(name, ARTICLES, str(row["id"]))
    table_url = datasette.urls.table(name, ARTICLES)
    newest = table_url + "?" + urllib.parse.urlencode({"_search": query, "_sort_desc": "published"})
    return Response.html(
        await datasette.render_template(
            "tintuc_search.html",
            {
                "database": name,
                "table": ARTICLES,
                "query": query,
                "fts_query": page["match"],
                "count": count,
                "count_text": page["count_text"],
                "ranking": page["ranking"],
                "bounded": page["bounded"],
                "count_cap": COUNT_CAP,
                "rows": rows,
                "offset": offset,
                "next_url": next_url,
                "csv_url": csv_url,
                "table_url": table_url,
                "newest_url": newest,
                "json_url": datasette.urls.path(
                    f"/-/tintuc/search/{urllib.parse.quote(name, safe='')}.json?"
                    + urllib.parse.urlencode({"_search": query})
                ),
            },
            request=request,
        )
    )


def _table_path(datasette, name: str) -> str:
    return datasette.urls.table(name, ARTICLES)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


class _Stopped(Exception):
    pass


async def export_csv_view(datasette, request):
    """Stream every matching article as CSV (BOM, header, one row per article)."""
    db, name, refusal = await _readable_articles(datasette, request)
    if refusal is not None:
        return refusal
    if not db.path:
        return Response.text("export needs a database file", status=400)
    args = request.args
    site = args.get("site") or args.get("site__exact")
    try:
        sql, params = export.build_query(
            site=site,
            since=args.get("since"),
            until=args.get("until"),
            query=args.get("_search"),
            order=args.get("_order") or None,
        )
    except export.ExportError as exc:
        return Response.text(str(exc), status=400)
    bom = args.get("_bom", "1") not in ("0", "off", "false")
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue(maxsize=4)
    stop = threading.Event()

    def put(item) -> None:
        future = asyncio.run_coroutine_threadsafe(queue.put(item), loop)
        while True:
            try:
                return future.result(timeout=1)
            except TimeoutError:
                if stop.is_set():
                    future.cancel()
                    raise _Stopped from None

    def produce() -> None:
        conn = None
        try:
            conn = export.connect_readonly(db.path)
            conn.execute("BEGIN")  # one snapshot for the count and the rows
            count = conn.execute(f"select count(*) from ({sql})", params).fetchone()[0]
            put(("count", count))
            for chunk in export.csv_chunks(export.iter_rows(conn, sql, params), bom=bom):
                put(("data", chunk))
            put(("end", None))
        except _Stopped:
            pass
        except Exception as exc:  # sent to the response, which then fails loudly
            try:
                put(("error", exc))
            except _Stopped:
                pass
        finally:
            if conn is not None:
                conn.close()

    threading.Thread(target=produce, name="tintuc-export", daemon=True).start()
    kind, value = await queue.get()
    if kind == "error":
        stop.set()
        return Response.text(f"export failed: {value}", status=400)
    filename = "tintuc-" + (fold(args.get("_search") or "all").replace(" ", "-")[:60] or "all")

    async def stream(writer):
        try:
            while True:
                kind, chunk = await queue.get()
                if kind == "data":
                    await writer.write(chunk)
                elif kind == "end":
                    return
                else:
                    # headers are gone: abort the response so the download is visibly broken
                    raise RuntimeError(f"CSV export interrupted: {chunk}")
        finally:
            stop.set()

    return AsgiStream(
        stream,
        headers={
            "content-disposition": f'attachment; filename="{_ascii(filename)}.csv"',
            "x-tintuc-rows": str(value),
            "cache-control": "no-store",
        },
        content_type="text/csv; charset=utf-8",
    )


def _ascii(text: str) -> str:
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-_")) or "export"


# ---------------------------------------------------------------- templates


@hookimpl
def extra_template_vars(template, database, table, columns, view_name, request, datasette):
    if table != ARTICLES or database is None or request is None:
        return {}

    async def inner():
        db = datasette.get_database(database)
        if view_name == "row":
            return {"tintuc_article": await _article(datasette, db, database, request)}
        if view_name == "table":
            search = request.args.get("_search", "")
            extra = sorted(
                k for k in request.args
                if not k.startswith("_") and k not in ("site", "site__exact")
            )  # fmt: skip
            site = request.args.get("site") or request.args.get("site__exact")
            ranked = None
            if search:
                ranked = (
                    datasette.urls.table(database, ARTICLES)
                    + "?"
                    + urllib.parse.urlencode({"_search": search})
                )
            return {
                "tintuc_export_url": export_url(datasette, database, _search=search, site=site),
                "tintuc_export_ignores": extra,
                "tintuc_ranked_url": ranked,
                "tintuc_search_note": request.scope.get("tintuc_search_note"),
            }
        return {}

    return inner


async def _article(datasette, db, database: str, request) -> dict | None:
    from datasette.utils import tilde_decode

    pk = tilde_decode(request.url_vars.get("pks", ""))
    rows = (await db.execute("select * from articles where id = :id", {"id": pk})).rows
    if not rows:
        return None
    article = dict(rows[0])
    text = article.get("text") or ""
    article["paragraphs"] = [p.strip() for p in text.split("\n") if p.strip()]
    article["original"] = safe_url(article.get("url"))
    related = await db.execute(
        """
        select related_links.to_url, related_links.anchor, related_links.block,
          articles.id as archived_id, articles.title as archived_title,
          articles.published as archived_published
        from related_links left join articles on articles.url = related_links.to_url
        where related_links.from_url = :url
        order by related_links.position, related_links.rowid
        """,
        {"url": article["url"]},
    )
    linked_from = await db.execute(
        """
        select articles.id, articles.title, articles.published, articles.site
        from related_links join articles on articles.url = related_links.from_url
        where related_links.to_url = :url
        group by articles.id order by articles.published desc limit 50
        """,
        {"url": article["url"]},
    )
    article["related"] = [
        {
            **dict(r),
            "archived_url": r["archived_id"] is not None
            and datasette.urls.row(database, ARTICLES, str(r["archived_id"])),
            "original": safe_url(r["to_url"]),
        }
        for r in related.rows
    ]
    article["linked_from"] = [
        {**dict(r), "archived_url": datasette.urls.row(database, ARTICLES, str(r["id"]))}
        for r in linked_from.rows
    ]
    article["site_url"] = (
        datasette.urls.table(database, ARTICLES)
        + "?"
        + urllib.parse.urlencode({"site": article.get("site") or ""})
    )
    return article


# ---------------------------------------------------------------- facets


class _PrefixFacet(Facet):
    """Facet on the first characters of an ISO date column: year (4) or year-month (7)."""

    type = ""
    width = 0

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        qs = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = f"""
                select substr({col}, 1, {self.width}) as value, count(*) as count
                from ({self.sql}) where {col} is not null and length({col}) >= {self.width}
                group by value order by value desc limit {size + 1}
            """
            try:
                rows = (
                    await self.ds.execute(
                        self.database, sql, self.params, truncate=False,
                        custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                    )
                ).rows  # fmt: skip
            except Exception:  # QueryInterrupted and friends: report, as Datasette does
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows[:size]:
                selected = qs.get(key) == row["value"]
                path = (
                    path_with_removed_args(self.request, {key: row["value"]})
                    if selected
                    else path_with_added_args(self.request, {key: row["value"]})
                )
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(
                        self.request, {f"_facet_{self.type}": column}
                    ),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


class YearFacet(_PrefixFacet):
    type = "year"
    width = 4


class MonthFacet(_PrefixFacet):
    type = "month"
    width = 7


@hookimpl
def register_facet_classes():
    return [YearFacet, MonthFacet]


# ---------------------------------------------------------------- metadata

ARCHIVE_TABLES = {
    "articles": {
        "description": "One row per article URL: the latest extracted text and its metadata. "
        'Search ignores case and diacritics ("da nang" finds "Đà Nẵng"); '
        '"quoted phrases" and prefix* work.',
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "sort_desc": "published",
        "facets": ["site", "province", {"year": "published"}, {"month": "published"}, "author"],
        "label_column": "title",
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
            "removed": "When the page answered 404/410 or vanished (empty while it is online).",
            "removed_reason": "Why the article counts as removed.",
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
        "description": "Earlier versions of articles whose text changed.",
        "facets": ["article_id"],
        "columns": {
            "id": "Row id.",
            "article_id": "The article (articles.id).",
            "url": "The article's URL.",
            "title": "Headline of this version.",
            "description": "Sapo of this version.",
            "text": "Body text of this version.",
            "published": "Publication time shown by this version.",
            "author": "Author line of this version.",
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
        "facets": ["block"],
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
    "related_ids": {
        "description": "Related blocks filled by JavaScript: only the article ids are in the page.",
        "columns": {
            "from_url": "The article carrying the block.",
            "block": "The block's heading or id.",
            "ids": "JSON list of the site's article ids in the block.",
            "first_seen": "When the block was first seen (UTC).",
        },
    },
    "captures": {
        "description": "Every fetch of a page, with where its response is kept in the WARC files.",
        "sort_desc": "id",
        "facets": ["status", "content_type"],
        "columns": {
            "id": "Row id.",
            "crawl_id": "The crawl that fetched it.",
            "url": "The URL requested.",
            "final_url": "The URL after redirects.",
            "status": "HTTP status.",
            "time": "When it was fetched (UTC).",
            "content_type": "Content-Type of the response.",
            "size": "Size of the response body in bytes.",
            "sha1": "SHA-1 of the response body (as WARC-Payload-Digest).",
            "warc_file": "WARC file holding the response (relative to the WARC folder).",
            "warc_offset": "Offset of the record in the WARC file.",
            "warc_length": "Length of the record in the WARC file.",
            "error": "Why the fetch failed, if it did.",
        },
    },
    "crawls": {
        "description": "One row per crawl run.",
        "sort_desc": "id",
        "facets": ["site", "status", "trigger"],
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
            "pid": "Process id of the crawl (to tell running from interrupted crawls).",
            "settings": "JSON of the settings the crawl overrode.",
        },
    },
    "crawl_errors": {
        "description": "What went wrong during crawls: HTTP errors, timeouts, non-HTML pages …",
        "sort_desc": "id",
        "facets": ["crawl_id", "status"],
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
        "facets": ["province", "kind"],
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
    "_sqlite_migrations": {
        "description": "Schema migrations applied to this archive (sqlite-utils).",
        "hidden": True,
        "columns": {
            "id": "Row id.",
            "migration_set": "Name of the migration set (tintuc).",
            "name": "Migration applied.",
            "applied_at": "When it was applied (UTC).",
        },
    },
}

CANNED_QUERIES = {
    "articles_per_site_per_day": {
        "title": "Articles per site per day",
        "description": "How many articles each site published each day (by publication date).",
        "sql": """select substr(published, 1, 10) as day, site, count(*) as articles
from articles
where published is not null
  and (:site = '' or site = :site)
group by day, site
order by day desc, site""",
    },
    "most_linked_articles": {
        "title": "Most-linked articles",
        "description": "Articles most often listed in other articles' related-news blocks "
        "(also those not archived yet).",
        "sql": """select related_links.to_url as url,
  coalesce(articles.title, max(related_links.anchor)) as title,
  articles.site, articles.published,
  count(distinct related_links.from_url) as linked_from,
  articles.id as article_id
from related_links left join articles on articles.url = related_links.to_url
group by related_links.to_url
order by linked_from desc, url
limit 200""",
    },
    "term_over_time": {
        "title": "Articles matching a term, by month",
        "description": "How many articles mention a term each month. Case and diacritics are "
        'ignored (the term is folded with fold()); "quoted phrases" and prefix* work.',
        "sql": """select substr(articles.published, 1, 7) as month, count(*) as articles,
  fold(:term) as folded_term
from articles_fts join articles on articles.id = articles_fts.rowid
where articles_fts match escape_fts(fold(:term))
  and articles.published is not null
group by month
order by month""",
    },
    "search_ranked": {
        "title": "Search, best matches first",
        "description": "Full-text search ranked by relevance (bm25, headline weighted most).",
        "sql": f"""select articles.id, articles.title, articles.published, articles.site,
  articles.url, {export.RANK_SQL} as rank,
  tintuc_snippet(coalesce(articles.description, '') || char(10)
    || coalesce(articles.text, ''), :q) as snippet
from articles_fts join articles on articles.id = articles_fts.rowid
where articles_fts match escape_fts(:q)
order by rank
limit 100""",
    },
    "changed_or_removed": {
        "title": "Articles removed or changed",
        "description": "Articles whose page disappeared, or whose text changed since first "
        "archived (earlier versions in article_versions).",
        "sql": """select articles.id, articles.title, articles.site, articles.published,
  articles.removed, articles.removed_reason,
  (select count(*) from article_versions where article_id = articles.id) as earlier_versions,
  articles.url
from articles
where articles.removed is not null
  or exists (select 1 from article_versions where article_id = articles.id)
order by coalesce(articles.removed, articles.last_seen) desc""",
    },
}

SITE_METADATA = {
    "title": "tintuc: Vietnamese provincial news archive",
    "description": "Articles from Vietnamese provincial portals and newspapers, crawled by "
    'tintuc. Search ignores case and diacritics: "da nang" finds "Đà Nẵng".',
    "source": "The publishers' public websites; every article links to its original.",
    "license": "Texts © their publishers, archived for research; tintuc code: Apache-2.0",
}


@hookimpl
def get_metadata(datasette, key, database, table):
    names = [name for name in datasette.databases if name != "_internal"]
    return {
        **SITE_METADATA,
        "databases": {
            name: {
                **SITE_METADATA,
                "tables": ARCHIVE_TABLES,
                "queries": CANNED_QUERIES,
            }
            for name in names
        },
    }
