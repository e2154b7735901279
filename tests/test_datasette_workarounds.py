"""The Datasette 0.65 behaviour each workaround in tintuc/web/workarounds.py exists for.

Each test asserts what Datasette does *without* tintuc's hooks (the plugin unregistered, the
archive described by tintuc's own metadata), so it fails the day Datasette changes: then the
workaround can go, or must change. Where it helps, the same request with tintuc shows what the
workaround gives instead.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.filters import search_filters
from datasette.plugins import get_plugins
from datasette.utils import escape_fts, tilde_encode, urlsafe_components
from test_datasette import (
    ARTICLES,
    DANANG_TITLE,
    HALONG_TITLE,
    build_archive,
    fetch,
    titles,
    without_tintuc,
)
from test_serve_concurrency import get, serve_archive

import tintuc.web
from tintuc.web import ARCHIVE_TABLES
from tintuc.web.workarounds import NEXT_FROM_START

PUBLISHED = "2025-01-01T08:00:00+07:00"


@pytest.fixture
def archive(tmp_path) -> Path:
    return build_archive(tmp_path / "archive.db")


@pytest.fixture
def ties(tmp_path) -> Path:
    """Three articles published at the same second (ids 1, 2, 3)."""
    same_time = [
        dict(ARTICLES[3], url=f"https://baodanang.vn/tin-{i}.html", published=PUBLISHED,
             related=[])
        for i in range(1, 4)
    ]  # fmt: skip
    return build_archive(tmp_path / "ties.db", same_time)


def plain(path: Path, *paths: str, **datasette_args) -> list:
    """The responses of Datasette configured as tintuc configures it, but without its hooks."""
    metadata = {"databases": {path.stem: {"tables": ARCHIVE_TABLES}}}
    with without_tintuc():
        return fetch(path, *paths, metadata=metadata, **datasette_args)


def walk(path: Path, first: str, metadata: dict | None = None) -> list[int]:
    """The ids of every row on the pages from ``first`` on, following ``next_url``."""

    async def run():
        ds = Datasette([str(path)], metadata=metadata)
        seen, url = [], first
        while url and len(seen) < 20:
            data = (await ds.client.get(url)).json()
            seen += [row["id"] for row in data["rows"]]
            url = data["next_url"] and data["next_url"].replace("http://localhost", "")
        return seen

    return asyncio.run(run())


# ---------------------------------------------------------------- 1. folding escape_fts


def test_datasette_escape_fts_does_not_fold():
    assert escape_fts("Đà Nẵng") == '"Đà" "Nẵng"'
    assert escape_fts('"liên kết') == '"liên kết"'


def test_datasette_table_search_calls_its_own_escape_fts_which_misses_folded_text(archive):
    sql_function, search, clause = plain(
        archive,
        "/archive.json?sql=select+escape_fts('Đà Nẵng')+as+q&_shape=array",
        "/archive/articles.json?_search=Đà Nẵng&_shape=array",
        "/archive/articles.json?_search=Đà Nẵng",
    )
    assert sql_function.json() == [{"q": '"Đà" "Nẵng"'}]  # registered as the SQL function
    assert titles(search) == []  # "đà" is not "da" in the folded index
    assert "articles_fts match escape_fts(:search)" in clause.json()["query"]["sql"]
    # with tintuc, the SQL function Datasette calls is the folding one
    sql_function, search = fetch(
        archive,
        "/archive.json?sql=select+escape_fts('Đà Nẵng')+as+q&_shape=array",
        "/archive/articles.json?_search=Đà Nẵng&_shape=array",
    )
    assert sql_function.json() == [{"q": '"da" "nang"'}]
    assert titles(search) == [HALONG_TITLE, DANANG_TITLE]


# ---------------------------------------------------------------- 2. ranked search page


def test_datasette_table_view_cannot_sort_by_relevance(archive):
    (by_rank,) = plain(archive, "/archive/articles.json?_search=da+nang&_sort=rank")
    assert by_rank.status_code >= 400  # 500 in Datasette 0.65.5
    assert "Cannot sort table by rank" in by_rank.text


def test_datasette_search_form_sends_the_current_sort(archive):
    # why wants_ranked_search() takes _sort=published&_sort_by_desc=on for "no explicit sort"
    (page,) = plain(archive, "/archive/articles?_search=da+nang")
    assert '<select name="_sort" id="sort_by">' in page.text
    assert '<input type="checkbox" name="_sort_by_desc" checked>' in page.text  # newest first


# ---------------------------------------------------------------- 3. ties across pages


def test_datasette_next_token_is_the_sort_value_then_the_primary_key(archive):
    by_published, by_id = plain(
        archive,
        "/archive/articles.json?_sort_desc=published&_size=1",
        "/archive/articles.json?_sort_desc=id&_size=1",
    )
    newest = ARTICLES[2]["published"]  # article 3
    assert by_published.json()["next"] == f"{tilde_encode(newest)},3"
    assert by_id.json()["next"] == "4,4"  # what bounded_table_search reads its edge from
    # the hand-built token: "\uffff" sorts after every ISO date, and no id is below 1
    assert urlsafe_components(NEXT_FROM_START) == ["\uffff", "0"]
    assert "\uffff" > "9999"


def test_datasette_pages_sorted_by_a_column_with_ties_lose_rows(ties):
    metadata = {"databases": {"ties": {"tables": ARCHIVE_TABLES}}}
    first = "/ties/articles.json?_sort_desc=published&_size=1&_shape=objects"
    with without_tintuc():
        plain_ids = walk(ties, first, metadata)
    # page 1 in index order (id 3), the next ones by (published, id > 3): nothing left
    assert plain_ids == [3]
    assert walk(ties, first) == [1, 2, 3]  # from the token: one order from the first page on


def test_datasette_refuses_next_when_streaming_csv(archive):
    # so a streamed CSV cannot start from NEXT_FROM_START: tintuc sorts it by id instead
    (response,) = plain(archive, "/archive/articles.csv?_stream=on&_next=x")
    assert response.status_code == 400
    assert "_next not allowed for CSV streaming" in response.text


# ---------------------------------------------------------------- 4. bounded table search


def test_datasette_search_clause_reads_every_match():
    class Request:
        args = {"_search": "da nang"}

    async def clause():
        ds = Datasette([], metadata={"databases": {"_memory": {"tables": ARCHIVE_TABLES}}})
        return await search_filters(Request(), "_memory", "articles", ds)()

    filters = asyncio.run(clause())
    assert filters.where_clauses == [
        "id in (select rowid from articles_fts where articles_fts match escape_fts(:search))"
    ]


def test_datasette_skips_count_and_facets_when_asked(archive):
    # bound_table_search relies on _nocount and _nofacet
    (response,) = plain(
        archive, "/archive/articles.json?_search=da+nang&_nocount=1&_nofacet=1&_facet=site"
    )
    data = response.json()
    assert data["filtered_table_rows_count"] is None
    assert data["facet_results"] == {}
    assert len(data["rows"]) == 2


# ---------------------------------------------------------------- 5. short log for a 4xx

MISSING = ["/archive/no_such_table", "/archive/articles/999999", "/archive/articles/999999.json"]


@pytest.fixture
def rich_on(monkeypatch):
    """Datasette's handler as it loads where rich is installed (an extra of Datasette's, which
    it prints every exception with); tintuc's hook turns it off once called."""
    from datasette import handle_exception as datasette_handler

    monkeypatch.setattr(datasette_handler, "rich", pytest.importorskip("rich"))


def test_datasette_prints_a_rich_traceback_with_locals_for_a_404(archive, capsys, rich_on):
    (response,) = plain(archive, "/archive/no_such_table")
    assert response.status_code == 404
    printed = capsys.readouterr()
    log = printed.out + printed.err
    assert "Traceback" in log and "locals" in log and len(log.splitlines()) > 50


def test_a_404_is_one_log_line_and_datasettes_own_page(archive, capsys, rich_on):
    with without_tintuc():
        plain_json = fetch(archive, MISSING[2])[0].json()
    capsys.readouterr()
    responses = fetch(archive, *MISSING)
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert "Table not found" in responses[0].text and "Error 404" in responses[0].text
    assert responses[2].json() == plain_json == {
        "ok": False, "error": "Record not found", "status": 404, "title": None}  # fmt: skip
    printed = capsys.readouterr()
    assert (printed.out + printed.err).splitlines() == [
        "HTTP 404 GET /archive/no_such_table: Table not found",
        "HTTP 404 GET /archive/articles/999999: Record not found",
        "HTTP 404 GET /archive/articles/999999.json: Record not found",
    ]


@pytest.mark.e2e
def test_tintuc_serve_logs_a_404_in_one_line(archive):
    with serve_archive(archive) as base:
        statuses = [get(base + path)[0] for path in MISSING]
    log = next(archive.parent.glob("serve-*.log")).read_text()
    assert statuses == [404, 404, 404]
    assert "Traceback" not in log and "locals" not in log
    assert [line for line in log.splitlines() if line.startswith("HTTP 404")] == [
        f"HTTP 404 GET {MISSING[0]}: Table not found",
        f"HTTP 404 GET {MISSING[1]}: Record not found",
        f"HTTP 404 GET {MISSING[2]}: Record not found",
    ]
    assert len(log.splitlines()) < 20  # uvicorn's start, access and stop lines; 700 before


# ---------------------------------------------------------------- no longer needed


def test_datasette_finds_the_plugin_templates_itself():
    # why there is no template-loader workaround: a plugin package's templates/ folder is on
    # Datasette's template path, before Datasette's own templates
    mine = [p for p in get_plugins() if p["name"] in ("tintuc", "tintuc.web")]
    assert [p["templates_path"] for p in mine] == [
        str(Path(tintuc.web.__file__).parent / "templates")
    ]
