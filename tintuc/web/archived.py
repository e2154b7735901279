""""View as archived": an article's page as it was captured, ``/-/tintuc/archived/<db>/<id>``.

The response is read from the article's WARC record (``captures.warc_file``/``warc_offset``),
never from the network, and sent as the site sent it. A captured page is untrusted: it is
served with ``Content-Security-Policy: sandbox`` (a unique origin, no scripts, no forms) and a
policy that loads nothing from anywhere, so its scripts never run in the Datasette origin and
opening it does not reach the live site.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response

from pipelines.archive.captures import warc_path
from pipelines.archive.warc import read_record
from tintuc.web.archive import readable_archive

ARCHIVED_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
ARCHIVED_HEADERS = {
    "Content-Security-Policy": ARCHIVED_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@hookimpl(specname="register_routes")
def archived_routes():
    return [(r"^/-/tintuc/archived/(?P<database>[^/]+)/(?P<id>\d+)$", archived_view)]


def archived_url(datasette, database: str, article_id) -> str:
    return datasette.urls.path(
        f"/-/tintuc/archived/{urllib.parse.quote(database, safe='')}/{article_id}"
    )


def _page(message: str, status: int) -> Response:
    return Response.text(message, status=status, headers=ARCHIVED_HEADERS)


async def archived_view(datasette, request):
    """The captured response of one article, sandboxed; a short text page if it is gone."""
    db, _name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    rows = (await db.execute(
        "select c.warc_file, c.warc_offset, c.content_type from articles a "
        "join captures c on c.id = a.capture_id where a.id = :id",
        {"id": int(request.url_vars["id"])},
    )).rows  # fmt: skip
    if not rows or not rows[0]["warc_file"]:
        return _page("No capture of this article is archived.", 404)
    if not db.path:
        return _page("The archived copy needs a database file.", 404)
    row = rows[0]
    path = warc_path(Path(db.path).resolve().parent, row["warc_file"])
    if not path.exists():
        return _page(f"The archived copy is not available: WARC file missing: {path.name}", 404)
    try:
        record = await asyncio.to_thread(read_record, path, row["warc_offset"])
    except Exception as exc:  # noqa: BLE001 - a damaged record is a page saying so
        return _page(f"The archived copy is unreadable ({type(exc).__name__}).", 500)
    content_type = record.headers.get("content-type") or row["content_type"] or "text/html"
    return Response(record.content, status=200, content_type=content_type,
                    headers=ARCHIVED_HEADERS)  # fmt: skip
