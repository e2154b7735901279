"""The complete CSV export: ``/-/tintuc/export/<db>.csv?_search=…&site=…&since=…&until=…``.

Streams *all* matching articles as CSV with a UTF-8 BOM from one read transaction; the number
of rows is sent first in the ``X-Tintuc-Rows`` header, and a failure mid-way aborts the
response (a broken download, never a silently short file). The query and the CSV writing are
:mod:`tintuc.export`'s, shared with ``tintuc export``.
"""

from __future__ import annotations

import asyncio
import threading
import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import AsgiStream, Response

from pipelines.text import fold
from tintuc import export
from tintuc.web.archive import readable_archive


@hookimpl(specname="register_routes")
def export_routes():
    return [(r"^/-/tintuc/export/(?P<database>[^/]+)\.csv$", export_csv_view)]


def export_url(datasette, database: str, **args: str | None) -> str:
    query = urllib.parse.urlencode({k: v for k, v in args.items() if v})
    path = f"/-/tintuc/export/{urllib.parse.quote(database, safe='')}.csv"
    return datasette.urls.path(path) + ("?" + query if query else "")


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
    try:
        sql, params = export.build_query(**filters, order=args.get("_order") or None)
        count_sql, count_params = export.count_query(**filters)
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
