"""Vietnamese-aware search: the folding SQL functions and the ranked search page.

``articles_fts`` indexes *folded* text (no case, no diacritics, đ→d), so every query is folded
the same way before it reaches FTS5 (:func:`escape_fts`). SQL queries get ``fold(text)``,
``tintuc_fts(query)``, ``tintuc_snippet(text, query)``, ``tintuc_highlight(text, query)`` and
``tintuc_body(description, text)`` (what a snippet is cut from: the lead paragraph once).

``/-/tintuc/search/<db>`` (``.json``) ranks matches by bm25 (title weighted most) with
highlighted snippets, within the bounds below whatever the archive's size. Handing the table
page's plain searches to it, and bounding the table view's own search, are workarounds of
Datasette 0.65 (see :mod:`tintuc.web.workarounds`).
"""

from __future__ import annotations

import sqlite3
import unicodedata
import urllib.parse

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import path_with_added_args
from datasette.utils.asgi import Response

from pipelines.text import fold
from tintuc import export
from tintuc.web.archive import ARTICLES, articles_view, is_archive, readable_archive
from tintuc.web.export import export_url, table_row_args

SEARCH_PAGE_SIZE = 20
# Bounds that keep every search fast whatever the archive's size (issue 6; bench/README.md).
COUNT_CAP = 5_000  # count matches up to this many; beyond, "more than 5,000" (counting 20,000
# phrase matches took ~23 ms at 200,000 articles: most of a search's time budget)
RANK_LIMIT = 5_000  # rank by bm25 searches with at most this many matches …
BM25_READ_LIMIT = 500_000  # … whose words' index lists hold at most this many entries in all
# (bm25 reads each word's whole list for its weight, however few articles match all of them:
# ~26 ns an entry, so "trà hoa vàng", 3 common words, costs ~30 ms at 1,000,000 articles)
DF_SAMPLE_IDS = 20_000  # a word's list length is estimated from the newest this many ids
TITLE_FIRST_WINDOW = 2_000  # more matches: the newest this many, title matches first
TITLE_FIRST = "title matches first, then newest"
TABLE_SORT_LIMIT = 5_000  # table view: above this many matches, list by id, no count/facets
SEARCH_TIME_LIMIT_MS = 1_000  # per search query of the ranked page
# request scope key: what was done to bound a common search of the table view (shown on it)
SEARCH_NOTE = "tintuc_search_note"


def escape_fts(query: str | None) -> str:
    """Datasette's ``escape_fts`` for the folded index: fold, keep phrases and prefix*."""
    return export.fts_query(query)


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_body(description: str | None, text: str | None) -> str:
    """The description, then the text: the passage a search snippet is cut from.

    The description is left out when the text already begins with it (most sites' description
    is the lead paragraph, which the text repeats): compared after NFC and white-space
    normalisation, and without a trailing ellipsis (a description cut short).
    """
    description, text = (description or "").strip(), text or ""
    lead = _comparable(description).rstrip(" .…")
    if not lead or _comparable(text).startswith(lead):
        return text
    if not text:
        return description
    return description + "\n" + text


@hookimpl(specname="prepare_connection")
def search_functions(conn, database, datasette):
    if not is_archive(datasette, database):
        return
    conn.create_function("fold", 1, fold, deterministic=True)
    conn.create_function("tintuc_fts", 1, escape_fts, deterministic=True)
    conn.create_function("tintuc_snippet", 2, export.snippet_html, deterministic=True)
    conn.create_function("tintuc_body", 2, article_body, deterministic=True)
    conn.create_function("tintuc_highlight", 2, export.highlight_html, deterministic=True)


@hookimpl(specname="register_routes")
def search_routes():
    return [(r"^/-/tintuc/search/(?P<database>[^/]+?)(\.(?P<format>json))?$", search_view)]


@hookimpl(specname="extra_template_vars")
def table_page_links(database, table, view_name, request, datasette):
    """On the articles table page: the complete CSV export of its rows, the ranked search, the
    bound note."""
    if not articles_view(datasette, database, table, view_name, request, "table"):
        return {}
    search = request.args.get("_search", "")
    ranked = None
    if search:
        ranked = (
            datasette.urls.table(database, ARTICLES)
            + "?"
            + urllib.parse.urlencode({"_search": search})
        )
    page = {
        # every row the table shows, however it is filtered, in its order
        "tintuc_export_url": export_url(datasette, database, table_row_args(request.args)),
        "tintuc_export_columns": ", ".join(export.EXPORT_COLUMNS),
        "tintuc_ranked_url": ranked,
        "tintuc_search_note": request.scope.get(SEARCH_NOTE),
        "tintuc_flags_facet_url": None if "_facet_array" in request.args else path_with_added_args(
            request, {"_facet_array": "extraction_flags"}),
        "tintuc_shape": None,
    }
    # a common search loses its count and facets (workarounds.bound_table_search, which hands
    # the query over as _tintuc_search): its shape per site, province and year stands in
    bounded_query = request.args.get("_tintuc_search", "")
    if not (page["tintuc_search_note"] and bounded_query.strip()):
        return page

    async def with_shape():
        from tintuc.web.facets import search_shape  # facets imports this module

        db = datasette.get_database(database)
        try:
            page["tintuc_shape"] = await search_shape(db, bounded_query, search_limit_ms(datasette))
        except SearchTooSlow:
            pass
        if page["tintuc_shape"] is not None:
            page["tintuc_shape_url"] = datasette.urls.path(
                f"/-/tintuc/shape/{urllib.parse.quote(database, safe='')}.json?"
                + urllib.parse.urlencode({"_search": bounded_query})
            )
        if not ranked:
            page["tintuc_ranked_url"] = (
                datasette.urls.table(database, ARTICLES)
                + "?"
                + urllib.parse.urlencode({"_search": bounded_query})
            )
        return page

    return with_shape


# ---------------------------------------------------------------- bounded queries


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


async def index_entries(db, query: str, limit_ms: int) -> int:
    """About how many index entries bm25 would read for ``query``: the summed lengths of its
    words' lists, each estimated from the newest DF_SAMPLE_IDS ids (a few ms whatever the
    archive's size)."""
    words = [
        f'"{word}"' + ("*" if term.prefix and k == len(term.words) - 1 else "")
        for term in export.parse_query(query)
        for k, word in enumerate(term.words)
    ]
    if not words:
        return 0
    low, high = (
        await db.execute("select (select min(id) from articles), (select max(id) from articles)")
    ).rows[0]
    if high is None:
        return 0
    edge = max(low, high - DF_SAMPLE_IDS + 1)
    scale = (high - low + 1) / (high - edge + 1)
    total = 0
    for word in words:
        sql = "select count(*) from articles_fts where articles_fts match :word and rowid >= :edge"
        found = (await _execute(db, sql, {"word": word, "edge": edge}, limit_ms)).rows[0][0]
        total += round(found * scale)
        if total > BM25_READ_LIMIT:  # too many already: the rest cannot change the answer
            break
    return total


def _plural(n: int) -> str:
    return f"{n:,} match" + ("" if n == 1 else "es")


async def ranked_page(db, query: str, size: int, offset: int, limit_ms: int) -> dict:
    """One page of ranked results and how they were ranked (see RANK_LIMIT)."""
    match = export.fts_query(query)
    count = await capped_count(db, match, COUNT_CAP, limit_ms)
    exact = count <= COUNT_CAP
    params = {"match": match, "q": query, "limit": size + 1, "offset": offset}
    entries = await index_entries(db, query, limit_ms) if count <= RANK_LIMIT else 0
    if count <= RANK_LIMIT and entries <= BM25_READ_LIMIT:
        ranking = "bm25 over all matches"
        ranked = f"""select rowid, {export.RANK_SQL} as rank from articles_fts
            where articles_fts match :match order by rank, rowid limit :limit offset :offset"""
        order = "ranked.rank, ranked.rowid"
    elif count <= RANK_LIMIT:
        # few matches, but of words that are each common: weighting them would read their
        # whole index lists; the matches with every term in the title come first instead
        ranking = f"{TITLE_FIRST}, among all {_plural(count)}"
        params.update(in_title=f"title : ({match})")
        ranked = """select rowid, null as rank, rowid in (
              select rowid from articles_fts where articles_fts match :in_title) as in_title
            from articles_fts where articles_fts match :match
            order by in_title desc, rowid desc limit :limit offset :offset"""
        order = "ranked.in_title desc, ranked.rowid desc"
    else:
        # bm25 needs each term's document frequency, read from its whole list in the index
        # (~50 ms for a word in every one of 200,000 articles, however few rows are ranked):
        # among the newest matches, those with every term in the title come first instead
        ranking = (
            f"title matches first, then newest, among the {TITLE_FIRST_WINDOW:,} newest matches"
        )
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
          articles.author, articles.removed, articles.removed_reason, ranked.rank,
          tintuc_highlight(articles.title, :q) as title_html,
          tintuc_snippet(tintuc_body(articles.description, articles.text), :q) as snippet_html
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
              articles.url, articles.author, articles.removed, articles.removed_reason,
              null as rank, tintuc_highlight(articles.title, :q) as title_html,
              tintuc_snippet(tintuc_body(articles.description, articles.text), :q)
                as snippet_html
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
        # bounded: ranked among the newest matches only (all matches are ranked otherwise)
        "bounded": not ranking.startswith(("bm25 over all", f"{TITLE_FIRST}, among all")),
        "rows": rows,
        "next": offset + size if more else None,
    }


# ---------------------------------------------------------------- the page


async def search_view(datasette, request):
    """Ranked (bm25) search of the articles with highlighted snippets; HTML or JSON."""
    db, name, refusal = await readable_archive(datasette, request)
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
    table_url = datasette.urls.table(name, ARTICLES)
    json_url = datasette.urls.path(f"/-/tintuc/search/{urllib.parse.quote(name, safe='')}.json")
    next_url = None
    if next_offset is not None:
        # the next page in the same form: the table page (ranked) for HTML, this route's JSON
        next_url = (
            (json_url if as_json else table_url)
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
                "export_columns": ", ".join(export.EXPORT_COLUMNS),
                "table_url": table_url,
                "newest_url": newest,
                "json_url": json_url + "?" + urllib.parse.urlencode({"_search": query}),
                "shape_url": query.strip() and datasette.urls.path(
                    f"/-/tintuc/shape/{urllib.parse.quote(name, safe='')}.json?"
                    + urllib.parse.urlencode({"_search": query})
                ),
            },
            request=request,
        )
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default
