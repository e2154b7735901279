"""Atom feeds of an archive, through datasette-atom.

datasette-atom renders any query with ``atom_id``, ``atom_title`` and ``atom_updated`` columns
as ``.atom``; the feeds are canned queries (tintuc.web.queries, ``feed_*``):

- ``/<db>/feed_site.atom?site=…`` and ``/<db>/feed_province.atom?province=…``: the newest
  articles, one copy of each syndicated story (the first published in that site or province);
- ``/<db>/feed_search.atom?q=…``: any search (folded as in search), newest first;
- ``/<db>/feed_changed.atom?site=…``: changed and removed articles, of one site or (empty
  ``site``) of all.

On tintuc archives this module's renderer stands in front of datasette-atom's (``trylast``:
Datasette keeps the last renderer registered for an extension) and fixes what a feed reader
needs: a feed with no entries (datasette-atom fails on one), a title naming the site,
province or search, absolute entry links (the queries link the archive's article page,
relative to the feed) and the ``application/atom+xml`` content type.
"""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime, timedelta, timezone

import datasette_atom
from datasette import hookimpl
from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator
from lxml import etree

from tintuc.web.archive import is_archive

ATOM = "{http://www.w3.org/2005/Atom}"
ARCHIVE_TZ = timezone(timedelta(hours=7))  # published times without an offset are local

# canned query -> feed title; {…} are the query's parameters
FEED_TITLES = {
    "feed_site": "tintuc: newest articles of {site}",
    "feed_province": "tintuc: newest articles of {province}",
    "feed_search": "tintuc: search “{q}”, newest first",
    "feed_changed": "tintuc: changed and removed articles{site_part}",
}


def atom_time(value: str | None) -> str | None:
    """An archive time as RFC 3339 with an offset (Atom's date construct), or None.
    Dates alone and times without an offset are local times (+07:00)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ARCHIVE_TZ)
    return parsed.isoformat()


@hookimpl(specname="prepare_connection")
def feed_functions(conn, database, datasette):
    if is_archive(datasette, database):
        conn.create_function("tintuc_atom_time", 1, atom_time, deterministic=True)


@hookimpl(trylast=True, specname="register_output_renderer")
def atom_renderer(datasette):
    return {
        "extension": "atom",
        "render": render_atom,
        "can_render": datasette_atom.can_render_atom,
    }


def render_atom(
    datasette, request, sql, columns, rows, database, table, query_name, view_name, data
):
    """datasette-atom's feed, made whole for a tintuc archive (see the module's doc)."""
    args = (datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
    if not is_archive(datasette, database):
        return datasette_atom.render_atom(*args)
    if rows:
        body = datasette_atom.render_atom(*args).body
    else:  # datasette-atom takes the feed's time from its newest entry: there is none
        body = empty_feed(request.url)
    feed = etree.fromstring(body.encode("utf-8") if isinstance(body, str) else body)
    title = feed_title(query_name, request)
    if title:
        feed.find(f"{ATOM}title").text = title
    for link in feed.iter(f"{ATOM}link"):
        link.set("href", urllib.parse.urljoin(request.url, link.get("href", "")))
    return Response(
        etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True),
        content_type="application/atom+xml; charset=utf-8",
    )


def empty_feed(url: str) -> bytes:
    feed = FeedGenerator()
    feed.id(url)
    feed.title("tintuc")
    feed.link(href=url, rel="self")
    feed.updated(datetime.now(UTC))
    return feed.atom_str(pretty=True)


def feed_title(query_name: str | None, request) -> str | None:
    template = FEED_TITLES.get(query_name or "")
    if template is None:
        return None
    values = {key: request.args.get(key, "") for key in ("site", "province", "q")}
    values["site_part"] = f" of {values['site']}" if values["site"] else ", all sites"
    return template.format(**values)


def feed_url(datasette, database: str, query: str, **params: str) -> str:
    """Path of a feed of ``database`` (a ``feed_*`` canned query) with its parameters."""
    return f"{datasette.urls.database(database)}/{query}.atom?{urllib.parse.urlencode(params)}"
