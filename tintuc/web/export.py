"""The complete CSV export: ``/-/tintuc/export/<db>.csv?_search=…&site=…&since=…&until=…``.

Streams *all* matching articles as CSV with a UTF-8 BOM from one read transaction; the number
of rows is sent first in the ``X-Tintuc-Rows`` header, and a failure mid-way aborts the
response (a broken download, never a silently short file). The query and the CSV writing are
:mod:`tintuc.export`'s, shared with ``tintuc export``.

The articles table page links here with its own filters (``author=…``,
``published__gte=…``, ``extraction_flags__arraycontains=…``, ``_where=…``, its sort …): then
the rows are picked exactly as the table view picks them, by Datasette's own ``Filters`` and
``filters_from_request`` hooks (:func:`table_where`), in the table's order.
"""

from __future__ import annotations

import asyncio
import threading
import urllib.parse

from datasette import hookimpl
from datasette.filters import Filters
from datasette.plugins import pm
from datasette.utils import await_me_maybe, escape_sqlite
from datasette.utils.asgi import AsgiStream, BadRequest, Response
from datasette.views.base import DatasetteError

from pipelines.text import fold
from tintuc import export
from tintuc.web.archive import ARTICLES, readable_archive

# the export's own filters (tintuc.export.build_query); anything else that picks or orders rows
# is the table view's, applied as Datasette applies it
OWN_ARGS = {"_search", "site", "site__exact", "since", "until", "_order"}
# the table's arguments besides column filters that pick or order its rows
TABLE_ROW_ARGS = {"_search", "_searchmode", "_where", "_through", "_sort", "_sort_desc",
                  "_fts_table", "_fts_pk"}  # fmt: skip
# a common search in the table view comes as this (tintuc.web.workarounds.BOUNDED_SEARCH_ARG)
BOUNDED_SEARCH_ARG = "_tintuc_search"


@hookimpl(specname="register_routes")
def export_routes():
    return [(r"^/-/tintuc/export/(?P<database>[^/]+)\.csv$", export_csv_view)]


def export_url(
    datasette, database: str, pairs: list[tuple[str, str]] | None = None, **args: str | None
) -> str:
    """Path of the export of ``database`` with the arguments ``pairs`` and ``args``."""
    items = [*(pairs or []), *args.items()]
    query = urllib.parse.urlencode([(k, v) for k, v in items if v])
    path = f"/-/tintuc/export/{urllib.parse.quote(database, safe='')}.csv"
    return datasette.urls.path(path) + ("?" + query if query else "")


def is_filter_arg(key: str) -> bool:
    """A column filter of Datasette's table view (``col=…``, ``col__op=…``)."""
    return not key.startswith("_") or "__" in key


def picks_rows(key: str) -> bool:
    """An argument of the articles table page that picks or orders its rows: a column filter,
    the search, ``_where``, ``_through``, the sort (not paging, facets or columns)."""
    return is_filter_arg(key) or key in TABLE_ROW_ARGS or key.startswith("_search_")


def table_row_args(args) -> list[tuple[str, str]]:
    """The arguments of a table page of the articles that pick or order its rows."""
    pairs = []
    for key in args:
        name = "_search" if key == BOUNDED_SEARCH_ARG else key
        if picks_rows(name):
            pairs += [(name, value) for value in args.getlist(key)]
    return pairs


def picks_like_table(args) -> bool:
    """Whether the export's own filters cannot pick these rows: the table view's must."""
    return any(picks_rows(k) and k not in OWN_ARGS for k in args)


async def table_where(datasette, request, database: str) -> tuple[str, dict, str]:
    """The where clause (``""`` for none), parameters and order of the articles table page
    with ``request``'s arguments: Datasette's own ``Filters`` and ``filters_from_request``
    hooks (search, ``_where`` with its permission check, ``_through``, plugins'), as its
    table view runs them. Raises what that view would refuse with (``export.ExportError``
    here, Datasette's ``DatasetteError`` or ``BadRequest`` from its hooks)."""
    pairs = [(k, v) for k in request.args if is_filter_arg(k) for v in request.args.getlist(k)]
    clauses, params = Filters(sorted(pairs)).build_where_clauses(ARTICLES)
    for hook in pm.hook.filters_from_request(
        request=request, table=ARTICLES, database=database, datasette=datasette
    ):
        arguments = await await_me_maybe(hook)
        if arguments:
            clauses.extend(arguments.where_clauses)
            params.update(arguments.params)
    where = " and ".join(f"({c})" for c in clauses)
    sort, sort_desc = request.args.get("_sort"), request.args.get("_sort_desc")
    if sort and sort_desc:
        raise export.ExportError("_sort and _sort_desc cannot be used together")
    if not (sort or sort_desc):
        sort_desc = datasette.table_metadata(database, ARTICLES).get("sort_desc")
    column = sort or sort_desc
    if column is None:
        return where, params, "id"
    if column not in await datasette.get_database(database).table_columns(ARTICLES):
        raise export.ExportError(f"cannot sort the articles by {column!r}")
    # the table's order, its primary key breaking ties as Datasette's does
    order = f"{escape_sqlite(column)}{' desc' if sort_desc else ''}, id"
    return where, params, order


class _Stopped(Exception):
    pass


async def export_csv_view(datasette, request):
    """Stream every matching article as CSV (BOM, header, one row per article)."""
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    if not db.path:
        return Response.text("export needs a database file", status=400)
    args = request.args
    site = args.get("site") or args.get("site__exact")
    filters = {"site": site, "since": args.get("since"), "until": args.get("until"),
               "query": args.get("_search")}  # fmt: skip
    like_table = picks_like_table(args)
    try:
        if like_table:
            sql, params, count_sql, count_params = await _table_query(datasette, request, name)
        elif (filters["query"] or "").strip() and not export.parse_query(filters["query"]):
            # nothing searchable ("(", "*"): the search page and the table show no match, and
            # link here; the file says the same (`tintuc export` refuses such a query instead)
            sql, params = export.build_query(**{**filters, "query": None})
            sql, count_sql, count_params = f"{sql} LIMIT 0", "SELECT 0", []
        else:
            sql, params = export.build_query(**filters, order=args.get("_order") or None)
            count_sql, count_params = export.count_query(**filters)
    except export.ExportError as exc:
        return Response.text(str(exc), status=400)
    except DatasetteError as exc:  # what the table view refuses (_where not allowed …)
        return Response.text(str(exc), status=exc.status)
    except BadRequest as exc:
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
            if not like_table:  # an unknown site= is an error, as in `tintuc export`
                export.check_site(conn, site)
            if like_table:  # the SQL functions of Datasette's connections (folded escape_fts …)
                pm.hook.prepare_connection(conn=conn, database=name, datasette=datasette)
            conn.execute("BEGIN")  # one snapshot for the count and the rows
            count = conn.execute(count_sql, count_params).fetchone()[0]
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
    named = args.get("_search") or ("filtered" if like_table else "all")
    filename = "tintuc-" + (fold(named).replace(" ", "-")[:60] or "all")

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


async def _table_query(datasette, request, name: str) -> tuple[str, dict, str, dict]:
    """The export's rows and count picked as the articles table view picks them."""
    if request.args.get("since") or request.args.get("until"):
        raise export.ExportError(
            "since and until go with _search and site only; with the table's filters use "
            "published__gte and published__lte"
        )
    where, params, order = await table_where(datasette, request, name)
    where = f" where {where}" if where else ""
    columns = ", ".join(escape_sqlite(c) for c in export.EXPORT_COLUMNS)
    sql = f"select {columns} from {ARTICLES}{where} order by {order}"
    return sql, params, f"select count(*) from {ARTICLES}{where}", params


def _ascii(text: str) -> str:
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-_")) or "export"
