"""The Datasette plugin: Vietnamese search, ranking, snippets, article pages, metadata, queries.

Datasette runs in-process (``ds.client``) inside ``asyncio.run`` in plain sync tests.
``build_archive`` is shared with the export, concurrency and browser tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import pkgutil
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette
from datasette.plugins import pm

import tintuc.web
from pipelines.archive.schema import TABLE_DOCS, open_archive
from pipelines.archive.store import save_alias, save_articles
from tintuc.web import CANNED_QUERIES, SERVE_SETTINGS, search

DN = "https://baodanang.vn"
QN = "https://baoquangninh.vn"

ARTICLES = [
    {
        "url": f"{DN}/da-nang-lien-ket-vung-1.html",
        "site": "baodanang",
        "title": "Đà Nẵng đẩy mạnh liên kết vùng miền Trung",
        "description": "Thành phố Đà Nẵng ký kết hợp tác với các tỉnh lân cận.",
        "text": "Sáng 2/3, lãnh đạo TP Đà Nẵng làm việc với Quảng Nam.\n"
        "Hai bên thống nhất tăng cường liên kết vùng về du lịch.\n"
        "Đà Nẵng sẽ đầu tư hạ tầng giao thông kết nối.",
        "published": "2025-03-02T08:00:00+07:00",
        "author": "Minh Anh",
        "related": [
            {
                "url": f"{QN}/ha-long-2.html",
                "text": "Vịnh Hạ Long đón khách",
                "block": "Tin liên quan",
                "position": 0,
            },
            {
                "url": f"{DN}/chua-luu-tru.html",
                "text": "Tin chưa lưu trữ",
                "block": "Tin liên quan",
                "position": 1,
            },
            {
                "url": "javascript:alert(1)",
                "text": "Liên kết độc",
                "block": "Tin liên quan",
                "position": 2,
            },
        ],  # fmt: skip
    },
    {
        "url": f"{QN}/ha-long-2.html",
        "site": "baoquangninh",
        "title": "Quảng Ninh: Vịnh Hạ Long đón 1 triệu khách",
        "description": "Lượng khách đến Hạ Long tăng mạnh.",
        "text": "QUẢNG NINH đón lượng khách kỷ lục.\nNhiều du khách đến từ Đà Nẵng và Hà Nội.",
        "published": "2025-04-01T09:30:00+07:00",
        "author": "Thu Hà",
        "related": [
            {
                "url": f"{DN}/da-nang-lien-ket-vung-1.html",
                "text": "Đà Nẵng liên kết vùng",
                "block": "Tin khác",
                "position": 0,
            },
        ],  # fmt: skip
    },
    {
        "url": f"{QN}/kinh-te-3.html",
        "site": "baoquangninh",
        "title": "Kinh tế quảng ninh tăng trưởng",
        "description": "",
        "text": "Tỉnh quang ninh có nhiều dự án; vùng liên kết kinh tế được mở rộng.\n"
        "<script>alert('xss')</script> Đoạn cuối.",
        "published": "2025-04-15T07:00:00+07:00",
        "author": "Minh Anh",
        "related": [
            {
                "url": f"{DN}/da-nang-lien-ket-vung-1.html",
                "text": "Đà Nẵng liên kết vùng",
                "block": "Tin khác",
                "position": 0,
            },
        ],  # fmt: skip
    },
    {
        "url": f"{DN}/the-thao-4.html",
        "site": "baodanang",
        "title": "Bóng đá: đội nhà thắng <b>đậm</b>",
        "description": "Trận đấu tối qua.",
        "text": "Đội bóng thành phố thắng 3-0.",
        "published": "2025-03-20T21:00:00+07:00",
        "author": None,
        "related": [],
    },
]
DANANG_TITLE = ARTICLES[0]["title"]
HALONG_TITLE = ARTICLES[1]["title"]
KINHTE_TITLE = ARTICLES[2]["title"]
BONGDA_TITLE = ARTICLES[3]["title"]


def build_archive(path: Path, articles: list[dict] | None = None) -> Path:
    """An archive with the sample articles (ids 1.. in list order)."""
    db = open_archive(path)
    provinces = {"baodanang": "Đà Nẵng", "baoquangninh": "Quảng Ninh"}
    rows = articles if articles is not None else ARTICLES
    save_articles(db, [{"province": provinces.get(a["site"]), **a} for a in rows])
    db.close()
    return path


def fetch(
    db_path: Path | list[Path], *paths: str, settings: dict | None = None, **datasette_args
) -> list:
    """GET each path from an in-process Datasette over ``db_path`` (or several databases);
    return the responses."""
    files = [str(p) for p in (db_path if isinstance(db_path, list) else [db_path])]

    async def run():
        ds = Datasette(files, settings=settings or {}, **datasette_args)
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


@contextlib.contextmanager
def without_tintuc():
    """Datasette as if tintuc were not installed: the plugin is unregistered for the block."""
    name = pm.get_name(tintuc.web)
    pm.unregister(tintuc.web)
    try:
        yield
    finally:
        pm.register(tintuc.web, name=name)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text[:500]
    return [row["title"] for row in response.json()]


@pytest.fixture
def archive(tmp_path) -> Path:
    return build_archive(tmp_path / "archive.db")


@pytest.mark.parametrize(
    "query,expected",
    [
        ("Quảng Ninh", [KINHTE_TITLE, HALONG_TITLE]),
        ("quang ninh", [KINHTE_TITLE, HALONG_TITLE]),
        ("QUANG NINH", [KINHTE_TITLE, HALONG_TITLE]),
        ("Đà Nẵng", [HALONG_TITLE, DANANG_TITLE]),
        ("da nang", [HALONG_TITLE, DANANG_TITLE]),
        ("đà nẵng", [HALONG_TITLE, DANANG_TITLE]),
        ("ĐÀ NẴNG", [HALONG_TITLE, DANANG_TITLE]),
    ],
)
def test_table_search_ignores_case_and_diacritics(archive, query, expected):
    # Datasette's own table search and JSON API (sorted newest first, as the metadata says)
    (response,) = fetch(archive, f"/archive/articles.json?_search={query}&_shape=array")
    assert titles(response) == expected


def test_ranked_search_puts_best_match_first_and_marks_original_text(archive):
    ranked, html_page = fetch(
        archive,
        "/-/tintuc/search/archive.json?_search=da nang",
        # exactly what Datasette's search form sends from the articles table
        "/archive/articles?_search=da+nang&_sort=published&_sort_by_desc=on",
    )
    assert ranked.status_code == 200
    data = ranked.json()
    assert (data["query"], data["fts_query"], data["count"]) == ("da nang", '"da" "nang"', 2)
    assert [r["title"] for r in data["rows"]] == [DANANG_TITLE, HALONG_TITLE]
    assert data["rows"][0]["rank"] < data["rows"][1]["rank"]  # bm25: lower is better
    assert data["rows"][1]["snippet_html"] == (
        "Lượng khách đến Hạ Long tăng mạnh. QUẢNG NINH đón lượng khách kỷ lục. "
        "Nhiều du khách đến từ <mark>Đà</mark> <mark>Nẵng</mark> và Hà Nội."
    )
    assert data["csv_url"] == "http://localhost/-/tintuc/export/archive.csv?_search=da+nang"
    assert html_page.status_code == 200
    page = html_page.text
    assert "2 articles match “da nang”, best matches first" in page
    assert '<a class="title" href="/archive/articles/1"><mark>Đà</mark> <mark>Nẵng</mark>' in page
    assert page.index("đẩy mạnh liên kết vùng") < page.index("Vịnh Hạ Long đón 1 triệu khách")
    assert 'href="/-/tintuc/export/archive.csv?_search=da+nang"' in page


def test_snippets_and_titles_are_escaped(archive):
    (response,) = fetch(archive, "/archive/articles?_search=doan+cuoi")
    page = response.text
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt; <mark>Đoạn</mark>" in page
    assert "<script>alert" not in page
    (response,) = fetch(archive, "/archive/articles?_search=dam")
    assert "Bóng đá: đội nhà thắng &lt;b&gt;<mark>đậm</mark>&lt;/b&gt;" in response.text


def test_snippet_shows_a_lead_paragraph_once(tmp_path):
    lead = "Cuộc thi nhằm lan tỏa hình ảnh Quảng Ninh."
    article = {**ARTICLES[1], "description": lead,
               # the text repeats the lead, decomposed (NFD) and with its own line breaks
               "text": unicodedata.normalize("NFD", "Cuộc thi nhằm lan tỏa\nhình ảnh Quảng Ninh.")
               + "\nĐoạn hai."}  # fmt: skip
    archive = build_archive(tmp_path / "archive.db", [article])
    ranked, canned = fetch(
        archive,
        "/-/tintuc/search/archive.json?_search=lan+toa",
        "/archive/search_ranked.json?q=lan+toa&_shape=array",
    )
    expected = unicodedata.normalize("NFD", "Cuộc thi nhằm <mark>lan</mark> <mark>tỏa</mark> "
                                     "hình ảnh Quảng Ninh.") + " Đoạn hai."  # fmt: skip
    assert ranked.json()["rows"][0]["snippet_html"] == expected
    assert canned.json()[0]["snippet"] == expected


def test_article_body_leaves_out_a_description_the_text_begins_with():
    assert search.article_body("Sapo.", "Sapo. Thân bài.") == "Sapo. Thân bài."
    assert search.article_body("Sapo bị cắt…", "Sapo bị cắt ngắn. Thân bài.") == (
        "Sapo bị cắt ngắn. Thân bài."
    )
    assert search.article_body("Sapo khác.", "Thân bài.") == "Sapo khác.\nThân bài."
    assert search.article_body(None, "Thân bài.") == "Thân bài."
    assert search.article_body("Sapo.", None) == "Sapo."


def test_removed_articles_are_marked_in_search_results(archive):
    db = sqlite_utils.Database(archive)
    db.execute("update articles set removed = '2025-06-01T02:00:00+00:00',"
               " removed_reason = 'HTTP 404' where id = 2")  # fmt: skip
    db.conn.commit()
    db.close()
    ranked, page = fetch(
        archive,
        "/-/tintuc/search/archive.json?_search=da+nang",
        "/archive/articles?_search=da+nang",
    )
    rows = ranked.json()["rows"]
    assert [(r["id"], r["removed"], r["removed_reason"]) for r in rows] == [
        (1, None, None), (2, "2025-06-01T02:00:00+00:00", "HTTP 404"),
    ]  # fmt: skip
    # still listed (the archive keeps it), and marked
    assert page.text.count('class="tintuc-removed"') == 1
    assert "removed from the site 2025-06-01 (HTTP 404)" in page.text


def test_phrase_and_prefix_search(archive):
    phrase, words, prefix, prefix_ranked = fetch(
        archive,
        '/archive/articles.json?_search="liên kết vùng"&_shape=array',
        "/archive/articles.json?_search=liên kết vùng&_shape=array",
        "/archive/articles.json?_search=hạ lo*&_shape=array",
        "/-/tintuc/search/archive.json?_search=hạ lo*",
    )
    assert titles(phrase) == [DANANG_TITLE]  # "vùng liên kết" in another article: no match
    assert titles(words) == [KINHTE_TITLE, DANANG_TITLE]
    assert titles(prefix) == [HALONG_TITLE]
    assert prefix_ranked.json()["fts_query"] == '"ha" "lo"*'
    assert [r["title"] for r in prefix_ranked.json()["rows"]] == [HALONG_TITLE]


@pytest.mark.parametrize("query", ['"liên kết', 'vùng"', '"', "***", "a OR", "NEAR(", "-x", "^"])
def test_any_query_is_safe(archive, query):
    table, ranked, table_json = fetch(
        archive,
        f"/archive/articles?_search={query}",
        f"/-/tintuc/search/archive.json?_search={query}",
        f"/archive/articles.json?_search={query}&_shape=array&_sort_desc=published",
    )
    assert (table.status_code, ranked.status_code, table_json.status_code) == (200, 200, 200)


def test_unbalanced_quote_is_closed(archive):
    (response,) = fetch(archive, '/archive/articles.json?_search="kết vùng&_shape=array')
    assert titles(response) == [DANANG_TITLE]  # the phrase "ket vung", not both words


def test_empty_search_box_lists_everything(archive):
    (response,) = fetch(archive, "/archive/articles.json?_search=&_shape=array")
    assert titles(response) == [KINHTE_TITLE, HALONG_TITLE, BONGDA_TITLE, DANANG_TITLE]


def test_newest_first_and_filters_keep_datasette_table_view(archive):
    newest, filtered = fetch(
        archive,
        "/archive/articles?_search=da+nang&_sort_desc=published",
        "/archive/articles?_search=da+nang&site=baodanang",
    )
    assert newest.status_code == filtered.status_code == 200
    assert '<a id="tintuc-ranked" href="/archive/articles?_search=da+nang">' in newest.text
    assert "2 rows where search matches" in newest.text
    assert 'data-column="site"' in newest.text  # Datasette's facets are there
    assert "1 row where search matches" in filtered.text
    assert 'href="/-/tintuc/export/archive.csv?_search=da+nang&amp;site=baodanang"' in (
        filtered.text
    )


def test_facets_site_province_year_month_author(archive):
    (response,) = fetch(archive, "/archive/articles.json")
    facets = response.json()["facet_results"]
    assert sorted(facets) == ["author", "province", "published", "published_2", "site"]
    counts = {
        (f["type"], f["name"]): [(v["value"], v["count"]) for v in f["results"]]
        for f in facets.values()
    }
    assert counts == {
        ("column", "site"): [("baodanang", 2), ("baoquangninh", 2)],
        ("column", "province"): [("Quảng Ninh", 2), ("Đà Nẵng", 2)],
        ("column", "author"): [("Minh Anh", 2), ("Thu Hà", 1)],
        ("year", "published"): [("2025", 4)],
        ("month", "published"): [("2025-04", 2), ("2025-03", 2)],
    }
    month = next(f for f in facets.values() if f["type"] == "month")
    assert month["results"][0]["toggle_url"].endswith("published__startswith=2025-04")


def test_article_page_reads_like_an_article(archive):
    (response,) = fetch(archive, "/archive/articles/1")
    assert response.status_code == 200
    page = response.text
    assert f'<h1 id="article-title">{DANANG_TITLE}</h1>' in page
    assert '<time datetime="2025-03-02T08:00:00+07:00">2025-03-02 08:00</time>' in page
    assert f'<a id="original-link" href="{DN}/da-nang-lien-ket-vung-1.html"' in page
    assert "<p>Hai bên thống nhất tăng cường liên kết vùng về du lịch.</p>" in page
    assert '<a class="related-archived" href="/archive/articles/2">' + HALONG_TITLE in page
    assert f'<a class="related-original" href="{DN}/chua-luu-tru.html"' in page
    assert "javascript:" not in page  # shown as text, never as a link
    assert "Liên kết độc" in page
    assert '<a href="/archive/articles/2">' + HALONG_TITLE in page  # linked from
    assert '<a href="/archive/articles/3">' + KINHTE_TITLE in page


def test_article_page_escapes_crawled_html(archive):
    (response,) = fetch(archive, "/archive/articles/3")
    page = response.text
    assert "<p>&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; Đoạn cuối.</p>" in page
    assert "<script>alert" not in page
    (response,) = fetch(archive, "/archive/articles/4")
    assert "Bóng đá: đội nhà thắng &lt;b&gt;đậm&lt;/b&gt;</h1>" in response.text


def test_other_row_pages_keep_datasette_layout(archive):
    (response,) = fetch(archive, "/archive/_sqlite_migrations/1")
    assert response.status_code == 200
    assert "tintuc-article" not in response.text
    assert "_sqlite_migrations: 1" in response.text


def test_any_database_name_gets_pages_metadata_and_queries(tmp_path):
    path = build_archive(tmp_path / "tintuc-2025.db")
    meta, row, query = fetch(
        path,
        "/-/metadata.json",
        "/tintuc-2025/articles/1",
        "/tintuc-2025/term_over_time.json?term=da+nang&_shape=array",
    )
    assert meta.json()["databases"]["tintuc-2025"]["tables"]["articles"]["sort_desc"] == (
        "published"
    )
    assert f'<h1 id="article-title">{DANANG_TITLE}</h1>' in row.text
    assert query.json() == [
        {"month": "2025-03", "site": "baodanang", "articles": 1},
        {"month": "2025-04", "site": "baoquangninh", "articles": 1},
    ]


def test_every_table_and_column_is_described(archive):
    conn = sqlite3.connect(archive)
    tables = [
        name
        for (name,) in conn.execute("select name from sqlite_master where type = 'table'")
        if not name.startswith(("articles_fts_", "sqlite_"))
    ]
    missing = []
    for table in tables:
        meta = TABLE_DOCS.get(table, {})
        if not meta.get("description"):
            missing.append(table)
        columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
        missing += [f"{table}.{c}" for c in columns if c not in meta.get("columns", {})]
    conn.close()
    assert missing == [], "describe these in pipelines/archive/schema.py TABLE_DOCS"
    (response,) = fetch(archive, "/-/metadata.json")
    meta = response.json()
    assert meta["title"] == "tintuc: Vietnamese provincial news archive"
    assert meta["license"] and meta["source"]
    assert meta["databases"]["archive"]["tables"]["articles"]["facets"] == [
        "site", "province", {"year": "published"}, {"month": "published"}, "author",
    ]  # fmt: skip


def test_canned_queries(archive):
    per_day, most_linked, over_time, search, changed = fetch(
        archive,
        "/archive/articles_per_site_per_day.json?_shape=array&site=",
        "/archive/most_linked_articles.json?_shape=array",
        "/archive/term_over_time.json?term=ĐÀ NẴNG&_shape=array",
        "/archive/search_ranked.json?q=quang ninh&_shape=array",
        "/archive/changed_or_removed.json?_shape=array",
    )
    assert per_day.json() == [
        {"day": "2025-04-15", "site": "baoquangninh", "articles": 1},
        {"day": "2025-04-01", "site": "baoquangninh", "articles": 1},
        {"day": "2025-03-20", "site": "baodanang", "articles": 1},
        {"day": "2025-03-02", "site": "baodanang", "articles": 1},
    ]
    assert [(r["title"], r["linked_from"], r["article_id"]) for r in most_linked.json()] == [
        (DANANG_TITLE, 2, 1),
        ("Tin chưa lưu trữ", 1, None),
        (HALONG_TITLE, 1, 2),
        ("Liên kết độc", 1, None),
    ]
    assert over_time.json() == [
        {"month": "2025-03", "site": "baodanang", "articles": 1},
        {"month": "2025-04", "site": "baoquangninh", "articles": 1},
    ]
    assert [r["title"] for r in search.json()] == [KINHTE_TITLE, HALONG_TITLE]
    assert search.json()[0]["snippet"].startswith("Tỉnh <mark>quang</mark> <mark>ninh</mark>")
    assert changed.status_code == 200 and changed.json() == []
    assert set(CANNED_QUERIES) == {
        "articles_per_site_per_day", "most_linked_articles", "term_over_time",
        "search_ranked", "changed_or_removed", "doubtful_extractions", "syndicated_stories",
        "recently_changed", "link_degree_per_month",
        "chart_articles_per_day", "related_promotion_per_month",  # tests/test_charts.py
        "feed_site", "feed_province", "feed_search", "feed_changed",  # tests/test_feeds.py
    }  # fmt: skip


def test_datasette_cannot_write_to_the_archive(archive):
    async def run():
        ds = Datasette([str(archive)])
        await ds.invoke_startup()
        await ds.get_database("archive").execute_write("delete from articles")

    with pytest.raises(sqlite3.OperationalError, match="readonly|query_only|read-only"):
        asyncio.run(run())
    assert sqlite3.connect(archive).execute("select count(*) from articles").fetchone() == (4,)


def test_serve_settings_never_cut_csv():
    assert SERVE_SETTINGS["max_csv_mb"] == 0
    assert SERVE_SETTINGS["allow_csv_stream"] is True
    assert SERVE_SETTINGS["sql_time_limit_ms"] > 0


def test_plugin_is_registered():
    async def run():
        ds = Datasette([])
        return await ds.client.get("/-/plugins.json")

    plugins = asyncio.run(run()).json()
    mine = [p for p in plugins if p["name"] in ("tintuc", "tintuc.web")]
    assert len(mine) == 1, json.dumps(plugins)
    assert mine[0]["templates"] is True  # Datasette finds tintuc/web/templates itself
    assert sorted(mine[0]["hooks"]) == [
        "asgi_wrapper", "extra_template_vars", "filters_from_request", "get_metadata",
        "handle_exception", "prepare_connection", "prepare_jinja2_environment",
        "register_facet_classes",
        "register_output_renderer", "register_routes",
    ]  # fmt: skip


def test_every_hook_implementation_of_the_package_is_registered():
    # pluggy only sees the hooks tintuc/web/__init__.py imports: none may be left out
    defined = set()
    for module in pkgutil.iter_modules(tintuc.web.__path__, "tintuc.web."):
        members = vars(importlib.import_module(module.name)).values()
        defined |= {f for f in members if callable(f) and hasattr(f, "datasette_impl")}
    registered = {
        impl.function
        for caller in pm.get_hookcallers(tintuc.web)
        for impl in caller.get_hookimpls()
        if impl.plugin is tintuc.web
    }
    assert registered == defined
    assert len(defined) == 22


HOOKS_REGISTERED = """
import sys
{first}
from datasette.plugins import pm
package = sys.modules["tintuc.web"]
print(sorted(c.name for c in pm.get_hookcallers(package)))
"""


def test_the_plugin_is_registered_whole_whichever_is_imported_first():
    # a program importing a module of the plugin before Datasette made Datasette load its
    # entry points halfway through tintuc/web/__init__.py: 4 of the 9 hooks were registered
    hooks = {
        first: subprocess.run([sys.executable, "-c", HOOKS_REGISTERED.format(first=first)],
                              capture_output=True, text=True, check=True).stdout
        for first in ("import datasette.app", "import tintuc.web.article",
                      "import tintuc.web.queries")
    }
    assert "'register_facet_classes'" in hooks["import datasette.app"]
    assert len(set(hooks.values())) == 1, hooks


# ---------------------------------------------------------------- other databases


@pytest.fixture
def other_db(tmp_path) -> Path:
    """A plain sqlite-utils database with full-text search: not a tintuc archive, though it
    has an ``articles`` table (the name most of the plugin's hooks look for)."""
    path = tmp_path / "other.db"
    db = sqlite_utils.Database(path)
    db["docs"].insert({"body": "Hội nghị tại Đà Nẵng"})
    db["docs"].enable_fts(["body"])
    db["articles"].insert({"title": "Hội nghị tại Đà Nẵng", "published": "2025-03-02"})
    db["articles"].enable_fts(["title"])
    db.close()
    return path


OTHER_DB_PATHS = [
    "/other/docs.json?_search=Đà Nẵng&_shape=array",
    "/other/docs.json?_search=ĐÀ NẴNG&_shape=array",
    "/other/docs?_search=Đà+Nẵng",
    "/other/articles?_search=Đà+Nẵng",  # tintuc's would go to the ranked search page
    "/other/articles?_search=Đà+Nẵng&_sort=title&_sort_by_desc=on",
    "/other/articles.json?_search=Đà Nẵng&_sort_desc=published",
    "/other/articles.json?_facet_year=published&_facet_month=published",
    "/other/articles.csv?_stream=on",
    "/other/articles/1",
    "/other.json?sql=select+escape_fts('Đà Nẵng')+as+q&_shape=array",
]


def comparable(response) -> tuple:
    """Status, type and body of a response, without the time its queries took."""
    body = response.text
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict):
            body.pop("query_ms", None)
    else:
        body = re.sub(r"Queries took [0-9.]+ms", "Queries took …ms", body)
    return response.status_code, response.headers.get("content-type"), body


def test_other_database_is_served_as_without_tintuc(other_db):
    paths = [*OTHER_DB_PATHS, "/-/metadata.json"]
    with_tintuc = fetch(other_db, *paths)
    with without_tintuc():
        plain = fetch(other_db, *paths)
    assert [comparable(r) for r in with_tintuc] == [comparable(r) for r in plain]
    found = [{"rowid": 1, "body": "Hội nghị tại Đà Nẵng"}]
    assert with_tintuc[0].json() == with_tintuc[1].json() == found
    assert with_tintuc[-1].json() == {}  # no tintuc title, license or tables
    (search_page,) = fetch(other_db, "/-/tintuc/search/other.json?_search=da")
    assert search_page.status_code == 404


def test_archive_beside_another_database_still_folds(archive, other_db):
    with_tintuc = fetch([archive, other_db], *OTHER_DB_PATHS, "/-/metadata.json")
    with without_tintuc():
        plain = fetch([archive, other_db], *OTHER_DB_PATHS, "/-/metadata.json")
    assert [comparable(r) for r in with_tintuc[:-1]] == [comparable(r) for r in plain[:-1]]
    meta = with_tintuc[-1].json()
    assert "title" not in meta and "license" not in meta  # other.db would inherit them
    assert list(meta["databases"]) == ["archive"]
    assert meta["databases"]["archive"]["tables"]["articles"]["fts_table"] == "articles_fts"
    folded, export_link = fetch(
        [archive, other_db],
        "/archive/articles.json?_search=ĐÀ NẴNG&_shape=array",
        "/archive/articles?_search=da+nang&site=baodanang",
    )
    assert titles(folded) == [HALONG_TITLE, DANANG_TITLE]
    assert 'href="/-/tintuc/export/archive.csv?_search=da+nang&amp;site=baodanang"' in (
        export_link.text
    )


# ---------------------------------------------------------------- bounded search (issue 6)


@pytest.fixture
def tiny_limits(monkeypatch):
    """Bounds of 1 article, so that "da nang" (2 matches) counts as a very common search."""
    for name in ("COUNT_CAP", "RANK_LIMIT", "TITLE_FIRST_WINDOW", "TABLE_SORT_LIMIT"):
        monkeypatch.setattr(search, name, 1)


def test_common_search_is_ranked_among_newest_matches_and_says_so(archive, tiny_limits):
    ranked, page = fetch(
        archive,
        "/-/tintuc/search/archive.json?_search=da nang",
        "/archive/articles?_search=da+nang",
    )
    data = ranked.json()
    assert data["ranking"] == "title matches first, then newest, among the 1 newest matches"
    assert (data["count"], data["count_text"]) == (None, "more than 1 matches")
    assert [r["title"] for r in data["rows"]] == [HALONG_TITLE]  # id 2: the newest match
    assert page.status_code == 200
    assert "More than 1 articles match “da nang”" in page.text
    assert "Ranked by title matches first, then newest, among the 1 newest matches: so" in page.text


def test_common_search_puts_title_matches_first_among_the_newest(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    monkeypatch.setattr(search, "TITLE_FIRST_WINDOW", 2)
    texts = [("Hội nghị tỉnh", "Bàn về cầu Bãi Cháy."), ("Cầu Bãi Cháy sửa xong", "Thông xe."),
             ("Tin giao thông", "Cầu Bãi Cháy thông xe lại.")]  # fmt: skip
    articles = [dict(ARTICLES[3], url=f"{DN}/cau-{i}.html", title=title, text=text, related=[])
                for i, (title, text) in enumerate(texts, 1)]  # fmt: skip
    archive = build_archive(tmp_path / "cau.db", articles)
    (ranked,) = fetch(archive, "/-/tintuc/search/cau.json?_search=cau bai chay")
    data = ranked.json()
    assert data["count"] == 3 and data["ranking"].startswith("title matches first")
    # only the 2 newest are candidates (ids 3, 2); the one with the words in its title first
    assert [r["title"] for r in data["rows"]] == ["Cầu Bãi Cháy sửa xong", "Tin giao thông"]


def test_rare_search_is_ranked_over_all_matches(archive):
    (ranked,) = fetch(archive, "/-/tintuc/search/archive.json?_search=da nang")
    data = ranked.json()
    assert (data["ranking"], data["count"], data["count_text"]) == (
        "bm25 over all matches", 2, "2 matches"
    )  # fmt: skip


def test_common_search_in_table_view_lists_by_id_without_count_or_facets(archive, tiny_limits):
    array, full, newest = fetch(
        archive,
        "/archive/articles.json?_search=da nang&_shape=array",
        "/archive/articles.json?_search=da nang",
        "/archive/articles?_search=da+nang&_sort_desc=published",
    )
    assert titles(array) == [HALONG_TITLE, DANANG_TITLE]  # id descending
    note = array.headers["x-tintuc-search"]
    assert note.startswith("more than 1 matches: sorted by id descending")
    data = full.json()
    assert data["human_description_en"].endswith("sorted by id descending")
    assert data["filtered_table_rows_count"] is None
    assert data["facet_results"] == {} and len(data["rows"]) == 2
    assert newest.status_code == 200
    assert 'id="tintuc-search-note"' in newest.text
    assert "sorted by id descending" in newest.text
    # the CSV link keeps the search (handed over as _tintuc_search) and the order shown
    assert 'href="/-/tintuc/export/archive.csv?_search=da+nang&amp;_sort_desc=id"' in newest.text


def test_common_search_in_table_view_pages_through_every_match(archive, tiny_limits):
    async def pages(first: str, ascending: bool = False) -> list[list[str]]:
        ds = Datasette([str(archive)])
        seen, url = [], first
        while url:
            response = await ds.client.get(url)
            assert response.status_code == 200, response.text[:300]
            data = response.json()
            seen.append([row["title"] for row in data["rows"]])
            url = data["next_url"] and data["next_url"].split("://", 1)[-1].split("/", 1)[-1]
            url = url and "/" + url
        return seen

    first = "/archive/articles.json?_search=da+nang&_size=1&_shape=objects"
    descending = asyncio.run(pages(first))
    assert descending == [[HALONG_TITLE], [DANANG_TITLE]]  # one per page, none lost or repeated
    ascending = asyncio.run(pages(first + "&_sort=id"))
    assert ascending == [[DANANG_TITLE], [HALONG_TITLE]]
    (nothing,) = fetch(archive, "/archive/articles.json?_search=zzzkhongco&_shape=array")
    assert titles(nothing) == []


def test_rare_search_in_table_view_keeps_newest_first_and_facets(archive):
    (full,) = fetch(archive, "/archive/articles.json?_search=da nang")
    data = full.json()
    assert "x-tintuc-search" not in full.headers
    assert data["human_description_en"].endswith("sorted by published descending")
    assert data["filtered_table_rows_count"] == 2
    assert "site" in data["facet_results"]


def interrupt_queries_containing(monkeypatch, fragment: str) -> None:
    """Make Datasette's SQL time limit interrupt every query whose SQL contains ``fragment``."""
    from datasette.database import Database

    execute = Database.execute

    async def interrupted(self, sql, *args, **kwargs):
        if fragment in sql:
            raise sqlite3.OperationalError("interrupted")
        return await execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", interrupted)


def test_interrupted_search_answers_400_with_a_message(archive, monkeypatch):
    interrupt_queries_containing(monkeypatch, "articles_fts")
    as_json, as_html = fetch(
        archive, "/-/tintuc/search/archive.json?_search=cua", "/-/tintuc/search/archive?_search=cua"
    )
    assert as_json.status_code == 400
    assert as_json.json()["error"].startswith("Search for 'cua' took longer than 1000 ms")
    assert as_html.status_code == 400
    assert "took longer than 1000 ms" in as_html.text


def test_slow_ranking_falls_back_to_newest_matches(archive, monkeypatch):
    interrupt_queries_containing(monkeypatch, "bm25")
    (ranked,) = fetch(archive, "/-/tintuc/search/archive.json?_search=da nang")
    data = ranked.json()
    assert data["ranking"] == "newest matches first (highest ids): ranking took too long"
    assert [r["title"] for r in data["rows"]] == [HALONG_TITLE, DANANG_TITLE]


STORY = f"{DN}/phong-su/duong-ven-song.html"
STORY_PAGES = [
    {"url": STORY if k == 1 else f"{STORY}?trang={k}", "site": "baodanang",
     "title": f"Tuyến đường ven sông nối ba huyện (phần {k})",
     "text": f"Phần {k}: đoạn tuyến thứ {k} đi qua khu dân cư, chủ đầu tư đã họp với từng hộ. "
             "Người dân trong vùng đồng tình, nhiều hộ tự nguyện tháo dỡ công trình để bàn "
             "giao mặt bằng sớm cho đơn vị thi công tuyến đường.",  # pages alike: one cluster
     "published": "2025-03-05T07:00:00+07:00",
     **({"part_of": STORY, "part": k} if k > 1 else {})}
    for k in (3, 1, 2)  # stored out of order: the page lists them in order
]  # fmt: skip
ALIAS = f"{DN}/?p=101"


@pytest.fixture
def parts_archive(tmp_path) -> Path:
    """A story split over three pages, and the first article shown at a second address."""
    path = build_archive(tmp_path / "archive.db", [*ARTICLES, *STORY_PAGES])
    db = open_archive(path)
    save_alias(db, ALIAS, db["articles"].get(1), "2025-03-03T01:00:00+00:00", None, None)
    db.close()
    return path


def story_page_links(page: str) -> list[str]:
    (pages,) = re.findall(r'<ol class="tintuc-related" id="story-pages">(.*?)</ol>', page, re.S)
    return re.findall(r"<li[^>]*>\s*(.*?)</li>", pages, re.S)


def test_article_page_lists_the_pages_of_a_split_story_and_a_later_page_links_its_first(
    parts_archive,
):
    ids = {a["url"]: i for i, a in enumerate([*ARTICLES, *STORY_PAGES], 1)}
    first, second, third = (ids[STORY], ids[f"{STORY}?trang=2"], ids[f"{STORY}?trang=3"])
    first_page, second_page, single = fetch(
        parts_archive, f"/archive/articles/{first}", f"/archive/articles/{second}",
        "/archive/articles/2",
    )  # fmt: skip
    assert 'id="story-part"' not in first_page.text  # the first page is no later part
    links = story_page_links(first_page.text)
    assert "(this page)" in links[0] and "Page 1:" in links[0]
    assert links[1].startswith(f'<a class="story-page" href="/archive/articles/{second}">Page 2')
    assert links[2].startswith(f'<a class="story-page" href="/archive/articles/{third}">Page 3')
    (part,) = re.findall(r'<p id="story-part">(.*?)</p>', second_page.text, re.S)
    assert part.startswith("Page 2 of a story split over pages")
    assert f'<a id="story-first-page" href="/archive/articles/{first}">' in part
    links = story_page_links(second_page.text)
    assert links[0].startswith(f'<a class="story-page" href="/archive/articles/{first}">Page 1')
    assert "(this page)" in links[1] and "(this page)" not in links[0] + links[2]
    # the story's own pages are no "other copies" of it, however alike their texts
    assert 'id="story-copies"' not in first_page.text + second_page.text
    # an article on one page has neither
    assert 'id="story-pages"' not in single.text and 'id="story-part"' not in single.text


def test_article_page_lists_its_other_addresses(parts_archive):
    page, other = fetch(parts_archive, "/archive/articles/1", "/archive/articles/2")
    assert page.status_code == 200
    (aliases,) = re.findall(r'id="article-aliases">(.*?)</ul>', page.text, re.S)
    assert "<h2>Other addresses of this article</h2>" in page.text
    assert f'<a class="article-alias" href="{ALIAS}" rel="noopener noreferrer nofollow">' in aliases
    assert 'id="article-aliases"' not in other.text


def test_article_page_lists_its_copies_in_other_languages_both_ways(tmp_path):
    """A page naming its English copy (``<link hreflang>``, ``article_languages``) links the
    stored copy, and a copy never fetched by its URL; the English copy, whose page names no
    other, lists the Vietnamese article all the same."""
    english = f"{DN}/en/da-nang-regional-links-1.html"
    french = f"{DN}/fr/da-nang-liens-regionaux-1.html"
    path = build_archive(tmp_path / "archive.db", [
        {**ARTICLES[0], "language": "vi",
         "languages": [{"lang": "en", "url": english}, {"lang": "fr", "url": french}]},
        {"url": english, "site": "baodanang", "title": "Da Nang steps up regional links",
         "text": "Da Nang leaders met Quang Nam on tourism links.", "language": "en",
         "languages": []},
        ARTICLES[1],
    ])  # fmt: skip
    vietnamese, copy, other = fetch(path, "/archive/articles/1", "/archive/articles/2",
                                    "/archive/articles/3")  # fmt: skip
    assert "<h2>This article in other languages</h2>" in vietnamese.text
    (listed,) = re.findall(r'id="article-languages">(.*?)</ul>', vietnamese.text, re.S)
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    assert '<a class="language-archived" href="/archive/articles/2">Da Nang steps up regional ' \
        "links</a>" in items[0] and '<span lang="en">en</span>' in items[0]
    assert f'<a class="language-original" href="{french}" rel="noopener noreferrer nofollow">' \
        f"{french}</a> <small>(not archived)</small>" in items[1]  # fmt: skip
    (back,) = re.findall(r'id="article-languages">(.*?)</ul>', copy.text, re.S)
    assert '<span lang="vi">vi</span>' in back
    assert f'<a class="language-archived" href="/archive/articles/1">{ARTICLES[0]["title"]}' \
        in back  # fmt: skip
    assert english not in back and 'id="article-languages"' not in other.text
