"""Search at archive scale, checked at small scale: the narrow ``article_shape`` table kept in
step with the articles, the shape of a search (exact, or estimated and labelled so), the
term-over-time query with folded terms, the ranking of few matches of common words, and the
order of exports.
"""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.parse
from pathlib import Path

import pytest
from datasette.app import Datasette

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles
from tintuc import export
from tintuc.web import SERVE_SETTINGS, facets, search

SITES = {"baodanang": "Đà Nẵng", "baoquangninh": "Quảng Ninh", "baohue": "Huế"}
SPELLINGS = ("Phát triển", "phat trien", "PHÁT TRIỂN", "phát huy")  # the last: other words


def article(i: int) -> dict:
    site = list(SITES)[i % 3]
    words = SPELLINGS[i % 4] if i % 5 else "Nông nghiệp"
    title = "Kinh tế biển" if i % 7 == 0 else f"Bản tin số {i}"
    return {
        "url": f"https://{site}.vn/bai-{i}.html",
        "site": site,
        "province": SITES[site],
        "title": title,
        "description": f"Tóm tắt {i}.",
        "text": f"Đoạn {i}: {words} kinh tế vùng ven biển.\nĐoạn hai của bài {i}.",
        "published": None if i % 11 == 0 else f"202{i % 3 + 3}-{i % 12 + 1:02d}-0{i % 9 + 1}",
    }


ARTICLES = [article(i) for i in range(1, 61)]


@pytest.fixture
def archive(tmp_path) -> Path:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_articles(db, ARTICLES)
    db.close()
    return path


def rows(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    conn.create_function("fold", 1, export.fold)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


SHAPE_OF_ARTICLES = """select a.id, s.month, site.value, province.value from articles a
    join article_shape s on s.id = a.id
    left join shape_labels site on site.id = s.site_id
    left join shape_labels province on province.id = s.province_id order by a.id"""


def expected_shape(path: Path) -> list[tuple]:
    return [
        (i, int(p[:4] + p[5:7]) if p else None, site, province)
        for i, p, site, province in rows(
            path, "select id, published, site, province from articles order by id"
        )
    ]


def test_save_articles_writes_the_shape_of_each_article(archive):
    assert rows(archive, SHAPE_OF_ARTICLES) == expected_shape(archive)
    assert len(expected_shape(archive)) == len(ARTICLES)
    assert rows(archive, "select kind, count(*) from shape_labels group by kind") == [
        ("province", 3), ("site", 3),
    ]  # fmt: skip


def test_a_changed_article_moves_in_the_shape(archive):
    moved = {**ARTICLES[0], "text": "Bài đã sửa.", "published": "2019-02-03T08:00:00+07:00",
             "site": "baomoi", "province": "Hà Nội"}  # fmt: skip
    db = open_archive(archive)
    assert save_articles(db, [moved])["changed"] == 1
    db.close()
    assert rows(archive, SHAPE_OF_ARTICLES)[0] == (1, 201902, "baomoi", "Hà Nội")
    assert rows(archive, SHAPE_OF_ARTICLES) == expected_shape(archive)


def test_the_migration_backfills_the_shape_of_an_existing_archive(archive):
    saved = rows(archive, SHAPE_OF_ARTICLES)
    conn = sqlite3.connect(archive)
    conn.executescript(
        "drop table article_shape; drop table shape_labels;"
        "delete from _sqlite_migrations where name = 'm008_search_shape';"
    )
    conn.close()
    open_archive(archive).close()
    assert rows(archive, SHAPE_OF_ARTICLES) == saved == expected_shape(archive)


# ---------------------------------------------------------------- the shape of a search


def get(path: Path, *paths: str) -> list:
    async def run():
        ds = Datasette([str(path)], settings=SERVE_SETTINGS)
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


def exact_counts(path: Path, query: str) -> dict[str, dict]:
    matches = f"""select a.* from articles a join articles_fts f on f.rowid = a.id
        where articles_fts match '{export.fts_query(query).replace("'", "''")}'"""
    out = {}
    for dim, column in (("sites", "site"), ("provinces", "province"),
                        ("years", "substr(published, 1, 4)")):  # fmt: skip
        out[dim] = dict(rows(path, f"select {column}, count(*) from ({matches}) group by 1"))
    out["total"] = rows(path, f"select count(*) from ({matches})")[0][0]
    return out


def test_shape_of_a_search_is_exact_below_the_cap(archive):
    (response,) = get(archive, "/-/tintuc/shape/archive.json?_search=phat+trien")
    shape = response.json()
    expected = exact_counts(archive, "phát triển")
    assert response.status_code == 200 and shape["exact"] is True and shape["sample"] is None
    assert shape["total"] == {"count": expected["total"]} and expected["total"] == 36
    for dim in ("sites", "provinces", "years"):
        assert {v["value"]: v["count"] for v in shape[dim]} == expected[dim]
        assert all("margin" not in v for v in shape[dim])
    assert shape["note"] == "exact: all 36 matching articles counted"


def test_shape_above_the_cap_is_estimated_from_a_sample_and_says_so(archive, monkeypatch):
    monkeypatch.setattr(facets, "SHAPE_EXACT_CAP", 10)
    monkeypatch.setattr(facets, "SHAPE_PILOT_IDS", 20)
    monkeypatch.setattr(facets, "SHAPE_TARGET", 3)  # the first sample is enough
    monkeypatch.setattr(facets, "SHAPE_WINDOWS", 4)
    (response,) = get(archive, "/-/tintuc/shape/archive.json?_search=phat+trien")
    shape = response.json()
    windows = facets.sample_windows(1, 60, 20, 4)
    assert windows == [(1, 5), (16, 20), (31, 35), (46, 50)]
    in_windows = " or ".join(f"a.id between {a} and {b}" for a, b in windows)
    match = export.fts_query("phat trien")
    sampled = rows(archive, f"""select a.site, count(*) from articles a
        join articles_fts f on f.rowid = a.id
        where articles_fts match ? and ({in_windows}) group by a.site""", [match])  # fmt: skip
    scale = 60 / 20
    assert shape["exact"] is False
    assert shape["sample"] == {"ids": 20, "of_ids": 60, "windows": 4,
                               "matches": sum(n for _, n in sampled)}  # fmt: skip
    assert {v["value"]: v["count"] for v in shape["sites"]} == {
        site: round(n * scale) for site, n in sampled
    }
    assert all(v["margin"] > 0 for v in shape["sites"] + shape["years"] + shape["provinces"])
    assert shape["note"].startswith("estimated: ")


def test_a_bounded_table_search_shows_the_shape_where_the_facets_were(archive, monkeypatch):
    monkeypatch.setattr(search, "TABLE_SORT_LIMIT", 5)
    html, plain = get(
        archive,
        "/archive/articles?_search=phat+trien&site=baohue",
        "/archive/articles?_search=bai+7&site=baohue",
    )
    assert 'id="tintuc-search-note"' in html.text and 'id="tintuc-shape"' in html.text
    assert "36 matching articles</strong> for the search alone" in html.text
    assert "<li>Huế 12</li>" in html.text  # provinces, exact: no margin
    assert 'id="tintuc-shape"' not in plain.text  # 1 match: Datasette's own count and facets
    (ranked,) = get(archive, "/archive/articles?_search=phat+trien")
    assert 'href="/-/tintuc/shape/archive.json?_search=phat+trien"' in ranked.text


def test_shape_json_needs_a_search_and_an_archive(archive, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    (empty,) = get(archive, "/-/tintuc/shape/archive.json")
    assert empty.status_code == 400 and "_search" in empty.json()["error"]
    assert get(other, "/-/tintuc/shape/other.json?_search=a")[0].status_code == 404


# ---------------------------------------------------------------- term over time


def test_term_over_time_folds_the_term_and_counts_per_month_and_site(archive):
    expected = rows(archive, """select substr(published, 1, 7), site, count(*) from articles
        where fold(text) like '%phat trien %' and published is not null
        group by 1, 2 order by 1, 2""")  # fmt: skip
    assert sum(n for *_, n in expected) == 33  # 3 spellings of 4, dated articles only
    for term in ("PHÁT TRIỂN", "phat trien", '"Phát Triển"'):
        query = urllib.parse.urlencode({"term": term, "_shape": "array"})
        (response,) = get(archive, f"/archive/term_over_time.json?{query}")
        assert [tuple(r.values()) for r in response.json()] == expected
    assert list(response.json()[0]) == ["month", "site", "articles"]
    query = urllib.parse.urlencode({"term": "phat trien", "site": "baohue", "_shape": "array"})
    (one_site,) = get(archive, f"/archive/term_over_time.json?{query}")
    assert [tuple(r.values()) for r in one_site.json()] == [r for r in expected if r[1] == "baohue"]


def test_term_over_time_sums_sites_past_the_15_largest_into_one_series(tmp_path):
    path = tmp_path / "archive.db"
    db = open_archive(path)
    # site k has k articles in January 2025: sites 1 and 2 are the smallest of 17
    save_articles(db, [
        {"url": f"https://site{k}.vn/bai-{k}-{n}.html", "site": f"site{k}", "title": f"Bài {n}",
         "text": f"Phát triển kinh tế, bài {n} của trang {k}.", "published": "2025-01-15"}
        for k in range(1, 18) for n in range(k)
    ])  # fmt: skip
    db.close()
    query = urllib.parse.urlencode({"term": "phat trien", "_shape": "array"})
    (response,) = get(path, f"/archive/term_over_time.json?{query}")
    by_site = {r["site"]: r["articles"] for r in response.json()}
    assert by_site.pop("(other sites)") == 1 + 2
    assert by_site == {f"site{k}": k for k in range(3, 18)}


# ---------------------------------------------------------------- ranking and export order


def test_few_matches_of_common_words_come_title_first_when_bm25_would_read_too_much(
    archive, monkeypatch
):
    (weighted,) = get(archive, "/-/tintuc/search/archive.json?_search=kinh+te+bien")
    assert weighted.json()["ranking"] == "bm25 over all matches"
    monkeypatch.setattr(search, "BM25_READ_LIMIT", 10)
    (response,) = get(archive, "/-/tintuc/search/archive.json?_search=kinh+te+bien&_size=100")
    body = response.json()
    everything = rows(archive, "select rowid from articles_fts where articles_fts match ?",
                      [export.fts_query("kinh te bien")])  # fmt: skip
    in_title = sorted((i for (i,) in everything if i % 7 == 0), reverse=True)
    others = sorted((i for (i,) in everything if i % 7), reverse=True)
    ranking = f"title matches first, then newest, among all {len(everything)} matches"
    assert body["ranking"] == ranking
    assert body["count"] == len(everything) == 60
    assert [r["id"] for r in body["rows"]] == in_title + others
    (page,) = get(archive, "/-/tintuc/search/archive?_search=kinh+te+bien")
    assert f"Ranked by {ranking}</small>" in page.text  # all matches ranked: no "newest only"


def test_exports_keep_their_order(archive):
    conn = export.connect_readonly(archive)
    match = export.fts_query("phat trien")
    by_rank = [r[0] for r in conn.execute(
        "select articles.url from articles_fts join articles on articles.id = articles_fts.rowid"
        f" where articles_fts match ? order by {export.RANK_SQL}, articles.id", [match]
    )]  # fmt: skip
    newest = [r[0] for r in conn.execute(
        "select articles.url from articles_fts join articles on articles.id = articles_fts.rowid"
        " where articles_fts match ? and site = 'baohue'"
        " order by articles.published desc, articles.id desc", [match])]  # fmt: skip
    url = export.EXPORT_COLUMNS.index("url")
    for filters, expected in (({"query": "phát triển"}, by_rank),
                              ({"query": "PHAT TRIEN", "site": "baohue", "order": "newest"},
                               newest)):  # fmt: skip
        sql, params = export.build_query(**filters)
        assert [r[url] for r in export.iter_rows(conn, sql, params)] == expected
    assert len(by_rank) == 36 and len(newest) == 12
    for filters in ({"query": "phát triển"}, {"query": "phat trien", "site": "baohue"},
                    {"site": "baohue", "since": "2024-01-01"}, {}):  # fmt: skip
        sql, params = export.build_query(**filters)
        count_sql, count_params = export.count_query(**filters)
        expected = len(list(export.iter_rows(conn, sql, params)))
        assert conn.execute(count_sql, count_params).fetchone()[0] == expected
    conn.close()


def test_csv_chunks_write_what_the_csv_module_writes():
    import csv
    import io

    rows = [
        ("Tiêu đề, có dấu phẩy", None, 3, 2.5, 'Nói "xin chào"', "dòng một\ndòng hai", "a\rb"),
        ("", "", "", "", "", "", ""),
        ("x" * 70_000, "plain", "", None, "", "", "Đà Nẵng"),
    ]
    single = [("",), (None,), ("một",)]
    for data, header in ((rows, export.EXPORT_COLUMNS), (single, ("only",))):
        expected = io.StringIO()
        writer = csv.writer(expected, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(data)
        chunks = list(export.csv_chunks(data, header, bom=False))
        assert "".join(chunks) == expected.getvalue()
    assert len(list(export.csv_chunks(rows))) == 2  # a chunk ends past 64 KB
