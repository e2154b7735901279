"""What researchers type into the search box beyond words: OR, exclusions, FTS5 syntax by hand
(``_searchmode=raw``), decomposed (NFD) input, and queries with nothing searchable."""

import csv
import io
import unicodedata

import pytest

from tests.test_datasette import (
    BONGDA_TITLE,
    DANANG_TITLE,
    HALONG_TITLE,
    KINHTE_TITLE,
    build_archive,
    fetch,
    titles,
)
from tintuc import export


@pytest.fixture
def archive(tmp_path):
    return build_archive(tmp_path / "archive.db")


def csv_titles(response) -> list[str]:
    assert response.status_code == 200, response.text[:300]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    return [r[0] for r in rows[1:]]


@pytest.mark.parametrize(
    "query,expected",
    [
        # either term: a Quảng Ninh or a football story
        ('"Bóng đá" OR "Hạ Long"', {HALONG_TITLE, BONGDA_TITLE}),
        # without the excluded word, however it is written
        ("Quảng Ninh -kinh", {HALONG_TITLE}),
        ('quang ninh NOT "KINH TẾ"', {HALONG_TITLE}),
        ("Đà Nẵng AND Quảng Nam", {DANANG_TITLE}),  # AND is what two words mean anyway
        ("Bóng OR", {BONGDA_TITLE}),  # an operator with nothing after it is dropped
    ],
)
def test_or_and_exclusion_in_every_view(archive, query, expected):
    table, ranked, export_csv = fetch(
        archive,
        f"/archive/articles.json?_search={query}&_shape=array&_sort_desc=published",
        f"/-/tintuc/search/archive.json?_search={query}",
        f"/-/tintuc/export/archive.csv?_search={query}",
    )
    assert set(titles(table)) == expected
    assert {r["title"] for r in ranked.json()["rows"]} == expected
    assert set(csv_titles(export_csv)) == expected


def test_excluded_word_is_not_highlighted(archive):
    (ranked,) = fetch(archive, "/-/tintuc/search/archive.json?_search=Hạ Long -kinh")
    (row,) = ranked.json()["rows"]
    assert "<mark>Hạ</mark> <mark>Long</mark>" in row["snippet_html"]
    assert export.highlight_html("Kinh tế biển", "biển NOT kinh") == "Kinh tế <mark>biển</mark>"


def test_raw_fts_query_is_folded_like_the_index(archive):
    # Datasette's raw mode passes FTS5 syntax through; "đ" must fold as in the index
    raw = "/archive/articles.json?_searchmode=raw&_shape=array&_sort_desc=published&_search="
    either, near, excluded = fetch(
        archive, raw + "Đà Nẵng OR bóng", raw + "NEAR(ĐÀ NẴNG, 3)", raw + "quảng NOT kinh"
    )
    assert titles(either) == [HALONG_TITLE, BONGDA_TITLE, DANANG_TITLE]
    assert titles(near) == [HALONG_TITLE, DANANG_TITLE]
    assert titles(excluded) == [HALONG_TITLE, DANANG_TITLE]


def test_decomposed_query_finds_what_precomposed_does(archive):
    # macOS keyboards and some input methods send "ả" as "a" + U+0309
    query = unicodedata.normalize("NFD", "Quảng Ninh")
    assert query != "Quảng Ninh"
    table, ranked = fetch(
        archive,
        f"/archive/articles.json?_search={query}&_shape=array",
        f"/-/tintuc/search/archive.json?_search={query}",
    )
    assert titles(table) == [KINHTE_TITLE, HALONG_TITLE]
    assert [r["title"] for r in ranked.json()["rows"]] == [KINHTE_TITLE, HALONG_TITLE]
    marked = export.highlight_html("Tỉnh Quảng Ninh", query)
    assert marked == "Tỉnh <mark>Quảng</mark> <mark>Ninh</mark>"


@pytest.mark.parametrize("query", ["(", '"', "*", "'", "\\"])
def test_nothing_searchable_exports_no_rows(archive, query):
    # the search page says "0 matches" and links to the export: it must give an empty file
    ranked, export_csv = fetch(
        archive,
        f"/-/tintuc/search/archive.json?_search={query}",
        f"/-/tintuc/export/archive.csv?_search={query}",
    )
    assert ranked.json()["count"] == 0
    assert csv_titles(export_csv) == []
    assert export_csv.headers["x-tintuc-rows"] == "0"


def test_no_match_page_says_why_and_offers_no_empty_download(archive):
    nothing, unknown, found = fetch(
        archive,
        "/archive/articles?_search=(",
        "/archive/articles?_search=Phú Quốc",
        "/archive/articles?_search=Hạ Long",
    )
    assert "No article matches “(”" in nothing.text
    assert "nothing to search for in it" in nothing.text
    assert "No article matches “Phú Quốc”" in unknown.text and "Try fewer words" in unknown.text
    for page in (nothing, unknown):
        assert "best matches first" not in page.text and 'id="tintuc-export-csv"' not in page.text
    assert "1 article match “Hạ Long”, best matches first" in found.text
    assert 'id="tintuc-export-csv"' in found.text


def test_ranked_json_pages_on_in_json(archive):
    # a script following next_url must get the next page of JSON, not the HTML search page
    seen, url = [], "/-/tintuc/search/archive.json?_search=\"quảng ninh\" OR bóng&_size=1"
    while url:
        (response,) = fetch(archive, url)
        data = response.json()
        seen += [r["title"] for r in data["rows"]]
        url = data["next_url"] and "/" + data["next_url"].split("://", 1)[-1].split("/", 1)[-1]
    assert sorted(seen) == sorted([KINHTE_TITLE, HALONG_TITLE, BONGDA_TITLE])
