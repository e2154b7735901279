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
relative to the feed) and the ``application/atom+xml`` content type. A site or province feed
without its ``site`` or ``province`` answers 400, and one of a site or province the archive
does not know (no article, no row in ``sites``) 404, each saying which the archive holds:
never an empty feed a reader would poll forever. Provinces are compared as
``tintuc crawl --province`` compares them (:func:`crawler.sites.province_key`).
"""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime, timedelta, timezone

import datasette_atom
from datasette import hookimpl
from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator
from lxml import etree

from crawler.sites import province_key
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
        conn.create_function("tintuc_province_key", 1, _province_key, deterministic=True)


def _province_key(name: str | None) -> str | None:
    return province_key(name) if name else None


@hookimpl(trylast=True, specname="register_output_renderer")
def atom_renderer(datasette):
    return {
        "extension": "atom",
        "render": render_atom,
        "can_render": datasette_atom.can_render_atom,
    }


async def render_atom(
    datasette, request, sql, columns, rows, database, table, query_name, view_name, data
):
    """datasette-atom's feed, made whole for a tintuc archive (see the module's doc)."""
    args = (datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
    if not is_archive(datasette, database):
        return datasette_atom.render_atom(*args)
    if not rows and query_name in FEED_OF:
        refusal = await unknown_feed(datasette.get_database(database), query_name, request)
        if refusal is not None:
            return refusal
    if rows:
        body = datasette_atom.render_atom(*args).body
    else:  # datasette-atom takes the feed's time from its newest entry: there is none
        body = empty_feed(request.url)
    feed = etree.fromstring(body.encode("utf-8") if isinstance(body, str) else body)
    title = feed_title(query_name, request, rows)
    if title:
        feed.find(f"{ATOM}title").text = title
    for link in feed.iter(f"{ATOM}link"):
        link.set("href", urllib.parse.urljoin(request.url, link.get("href", "")))
    return Response(
        etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True),
        content_type="application/atom+xml; charset=utf-8",
    )


# the feeds of one site or province: the parameter naming it, and the SQL of the names the
# archive holds (its articles' and its registered sites'), each with whether it is ``:value``
FEED_OF = {
    "feed_site": ("site", """select name, name = :value as named from (
        select site as name from articles where site is not null group by site
        union select id from sites)"""),
    "feed_province": ("province", """select name, tintuc_province_key(name)
        = tintuc_province_key(:value) as named from (
        select province as name from articles where province is not null group by province
        union select province from sites where province is not null)"""),
}  # fmt: skip
KNOWN_LISTED = 50  # the names an error lists at most
TEXT = "text/plain; charset=utf-8"


async def unknown_feed(db, query_name: str, request) -> dict | None:
    """The 400 or 404 answer of a site or province feed with no entries because its site or
    province is missing or unknown; None for a known one that has no article yet.

    A dict, not a Response: Datasette 0.65 sets a canned query's own status (200) on a
    renderer's Response, but reads ``status_code`` from a dict."""
    param, names_sql = FEED_OF[query_name]
    value = request.args.get(param, "").strip()
    names = (await db.execute(names_sql, {"value": value})).rows
    if value and any(row["named"] for row in names):
        return None  # a registered site not crawled yet: a valid feed with no entries
    known = sorted(row["name"] for row in names)
    listed = ", ".join(known[:KNOWN_LISTED]) + (" …" if len(known) > KNOWN_LISTED else "")
    if not value:
        message = f"{query_name}.atom needs ?{param}=…: one of {listed or '(none archived yet)'}"
        return {"body": message, "status_code": 400, "content_type": TEXT}
    message = f"no {param} {value!r} in this archive; {param}s: {listed or '(none)'}"
    return {"body": message, "status_code": 404, "content_type": TEXT}


def empty_feed(url: str) -> bytes:
    feed = FeedGenerator()
    feed.id(url)
    feed.title("tintuc")
    feed.link(href=url, rel="self")
    feed.updated(datetime.now(UTC))
    return feed.atom_str(pretty=True)


def feed_title(query_name: str | None, request, rows=()) -> str | None:
    template = FEED_TITLES.get(query_name or "")
    if template is None:
        return None
    values = {key: request.args.get(key, "") for key in ("site", "province", "q")}
    if rows and query_name == "feed_province":  # the archive's spelling, not the request's
        values["province"] = rows[0]["province"]
    values["site_part"] = f" of {values['site']}" if values["site"] else ", all sites"
    return template.format(**values)


def feed_url(datasette, database: str, query: str, **params: str) -> str:
    """Path of a feed of ``database`` (a ``feed_*`` canned query) with its parameters."""
    return f"{datasette.urls.database(database)}/{query}.atom?{urllib.parse.urlencode(params)}"
