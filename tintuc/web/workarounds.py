"""Every place where the plugin works around Datasette 0.65's own behaviour, and why.

Each workaround has a test in tests/test_datasette_workarounds.py that asserts the Datasette
behaviour it works around, and so fails the day Datasette changes it: then the workaround can
go, or must change. All of them act on tintuc archives only.

1. Folded search in the table view (:func:`folding_escape_fts`). Datasette's table search runs
   ``match escape_fts(:search)``, and its ``escape_fts`` does not fold: "Đà Nẵng" finds nothing
   in the folded index. Registered after Datasette's own, ours replaces it on archives.
   ``_searchmode=raw`` skips ``escape_fts``: its query is folded in the request instead
   (:func:`tintuc.export.fold_raw_fts`), or "Đà Nẵng OR Huế" finds nothing (``đ`` stays).
2. Relevance ranking (:func:`asgi_wrapper`). The table view cannot sort by relevance, so a plain
   search of the articles table (no filter, no explicit sort) goes to the ranked search page.
3. Ties across pages (:data:`NEXT_FROM_START`). Sorted by ``_sort_desc``, Datasette orders the
   first page by the column alone and the next ones by (column, id): rows with the same
   publication time repeat or go missing across pages and in streamed CSV. The first page
   starts from a hand-built ``_next`` token; a streamed CSV (which refuses ``_next``) is sorted
   by id, or served by the complete export when it asks only for what that export does.
4. Common searches in the table view (:func:`bound_table_search`,
   :func:`bounded_table_search`). Datasette's search clause collects every match, then sorts,
   counts and facets them all: seconds for a common word in a large archive.
5. A short log line for a client error (:func:`short_client_error_log`). Datasette's
   ``handle_exception`` prints every exception with rich, locals and all: about 175 lines in
   ``tintuc serve``'s log for each 404 (a mistyped address, a crawler probing URLs), the
   request's scope among them. A 4xx is logged in one line; a server error (5xx) keeps a plain
   traceback; the page and status are Datasette's. This one acts on every database: an unknown
   path has none.
"""

from __future__ import annotations

import sys
import traceback
import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

from tintuc import export
from tintuc.web import search
from tintuc.web.archive import ARTICLES, is_archive

# ---------------------------------------------------------------- 1. folded table search


@hookimpl(trylast=True, specname="prepare_connection")  # after Datasette's: ours replaces it
def folding_escape_fts(conn, database, datasette):
    if is_archive(datasette, database):
        conn.create_function("escape_fts", 1, search.escape_fts, deterministic=True)


# ---------------------------------------------------------------- 2, 3, 4: rewritten requests

RANKED_KEYS = {"_search", "_sort", "_sort_by_desc", "_next", "_size"}

# Datasette 0.65.5's next-page token is "<tilde-encoded sort value>,<primary key>"; this one
# precedes every row ("\uffff" sorts after any ISO date, then id > 0), so the first page is
# ordered by (published desc, id) like the next ones.
NEXT_FROM_START = "~EF~BF~BF,0"
EXPORT_KEYS = {"_search", "site", "site__exact", "_stream", "_dl", "_size", "_sort", "_sort_desc",
               "_nofacet", "_nocount", "_labels", "_bom"}  # fmt: skip
SORT_KEYS = {"_sort", "_sort_desc", "_sort_by_desc"}
BOUNDED_FLAGS = [("_nocount", "1"), ("_nofacet", "1"), ("_nosuggest", "1")]
# a common search, handed from the ASGI rewrite to filters_from_request (see bounded_search)
BOUNDED_SEARCH_ARG = "_tintuc_search"


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
def asgi_wrapper(datasette):
    def wrap(app):
        async def route_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = await _rewrite(datasette, scope)
                note = scope.get(search.SEARCH_NOTE)
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


def _archive_of_articles_path(datasette, path: str) -> tuple[str | None, str]:
    """The archive whose articles table ``path`` is (HTML, .json or .csv), and the extension."""
    stem, _, ext = path.rpartition(".") if path.endswith((".json", ".csv")) else (path, "", "")
    if not stem.endswith("/" + ARTICLES):
        return None, ext
    name = next((n for n in datasette.databases if stem == datasette.urls.table(n, ARTICLES)), None)
    return (name if is_archive(datasette, name) else None), ext


async def _rewrite(datasette, scope: dict) -> dict:
    name, ext = _archive_of_articles_path(datasette, scope.get("path", ""))
    if name is None:
        return scope
    args = urllib.parse.parse_qsl(scope["query_string"].decode("utf-8", "replace"), True)
    # an emptied search box means "no search", not "match nothing"; the synthetic _next
    # comes back in Datasette's own links: drop it, add it where needed
    kept = [
        (k, v) for k, v in args
        if not (k.startswith("_search") and not v.strip())
        and not (k == "_next" and v == NEXT_FROM_START)
    ]  # fmt: skip
    if dict(kept).get("_searchmode") == "raw":  # FTS5 syntax typed by hand: fold its words
        kept = [(k, export.fold_raw_fts(v) if k.startswith("_search_") or k == "_search" else v)
                for k, v in kept]  # fmt: skip
    if kept != args:
        args = kept
        scope = dict(scope, query_string=urllib.parse.urlencode(args).encode("ascii"))
    quoted = urllib.parse.quote(name, safe="")
    if not ext and wants_ranked_search(args):
        new_path = f"/-/tintuc/search/{quoted}"
        return dict(scope, path=new_path, raw_path=new_path.encode("ascii"))
    if ext == "csv" and wants_full_export(args):
        new_path = f"/-/tintuc/export/{quoted}.csv"
        return dict(scope, path=new_path, raw_path=new_path.encode("ascii"))
    note = None
    query = dict(args).get("_search", "")
    if query.strip() and not dict(args).get("_stream"):
        args, note = await bound_table_search(datasette, name, args, query)
    if note is None:
        if ext != "csv" and newest_first_without_next(args):
            args = args + [("_next", NEXT_FROM_START)]
        elif ext == "csv" and dict(args).get("_stream") and newest_first_without_next(args):
            # _next is refused when streaming: sort by the unique id instead (same rows)
            args = [(k, v) for k, v in args if k != "_sort_desc"] + [("_sort_desc", "id")]
        else:
            return scope
    query_string = urllib.parse.urlencode(args).encode("ascii")
    return dict(scope, query_string=query_string, **{search.SEARCH_NOTE: note})


# ---------------------------------------------------------------- 4. bounded table search


async def bound_table_search(datasette, name: str, args: list, query: str):
    """Datasette's table view of a search matching more than TABLE_SORT_LIMIT articles.

    Datasette 0.65.5 runs ``select … from articles where id in (select rowid from
    articles_fts where articles_fts match …) order by published desc …``, then
    ``select count(*)`` of the same and one ``group by`` per facet: each reads every matching
    article (seconds for a common word at 200,000 articles). Sorted by ``id`` (rowid) instead,
    count and facets skipped (``_nocount``/``_nofacet``), and ``_search`` handed over as
    ``_tintuc_search`` to :func:`bounded_table_search`, whose subquery only reads the page's
    window of the index. Returns the new arguments and a note saying what was done (None when
    nothing was).
    """
    db = datasette.get_database(name)
    limit = search.TABLE_SORT_LIMIT
    try:
        count = await search.capped_count(
            db, export.fts_query(query), limit, search.search_limit_ms(datasette)
        )
    except Exception:  # let Datasette's own view answer (and report) whatever is wrong
        return args, None
    if count <= limit:
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
    note = f"more than {limit:,} matches: sorted by {order}, without count or facets"
    return args, note


@hookimpl(specname="filters_from_request")
def bounded_table_search(request, database, table, datasette):
    """The where clause of a common search in the table view (see bound_table_search).

    Datasette's own clause, ``id in (select rowid from articles_fts where … match …)``, makes
    SQLite collect every match before the page is cut: ~100 ms for a word in every article of
    200,000. Here the subquery is limited to the rowid window of the page asked for (the
    ``_size`` + 1 matches after ``_next``, by id), which FTS5 seeks to directly.
    """
    query = request.args.get(BOUNDED_SEARCH_ARG, "")
    if table != ARTICLES or not query.strip() or not is_archive(datasette, database):
        return None

    async def inner():
        from datasette.filters import FilterArguments

        db = datasette.get_database(database)
        match = export.fts_query(query)
        ascending = request.args.get("_sort") == "id"
        size = request.args.get("_size", "")
        if size == "max":
            size = datasette.setting("max_returned_rows")
        try:
            size = max(1, int(size))
        except ValueError:
            size = datasette.setting("default_page_size")
        # Datasette's token when sorted by id is "<id>,<id>": the last part is the page's edge
        after = (request.args.get("_next") or "").split(",")[-1]
        clauses, params = ["articles_fts match :tintuc_match"], {"tintuc_match": match}
        if after.lstrip("-").isdigit():  # past the previous page: below its id (or above)
            clauses.append("rowid > :tintuc_after" if ascending else "rowid < :tintuc_after")
            params["tintuc_after"] = int(after)
        edge = await search.nth_match_rowid(
            db, " and ".join(clauses), params, size, ascending, search.search_limit_ms(datasette)
        )
        if edge is not None:  # the page (and one more row, for Datasette's "next") ends here
            clauses.append("rowid <= :tintuc_edge" if ascending else "rowid >= :tintuc_edge")
            params["tintuc_edge"] = edge
        where = f"id in (select rowid from articles_fts where {' and '.join(clauses)})"
        return FilterArguments([where], params, [f'search matches "{query}"'], {"search": query})

    return inner


# ---------------------------------------------------------------- 5. short log for a 4xx


@hookimpl(specname="handle_exception")
def short_client_error_log(datasette, request, exception):
    """One log line for a client error (4xx); a server error's traceback without rich.

    Datasette awaits every plugin's answer to this hook, its own last, so no plugin can stand in
    for its handler: this one only turns off the rich print in it (which it reads from its
    module each time) and writes the line. The page and status stay Datasette's."""
    # imported here: that module imports datasette.plugins, which loads this plugin
    from datasette import handle_exception as datasette_handler

    datasette_handler.rich = None
    status = getattr(exception, "status", 500)
    if isinstance(exception, (Base400, DatasetteError)) and 400 <= status < 500:
        message = exception.message if isinstance(exception, DatasetteError) else (
            exception.args[0] if exception.args else "")  # fmt: skip
        print(f"HTTP {status} {request.method} {request.path}: {message}",
              file=sys.stderr)  # fmt: skip
    elif isinstance(exception, (Base400, DatasetteError)):  # Datasette prints none for these
        traceback.print_exception(exception)
    return None  # Datasette's handler answers (and prints any other exception's traceback)
