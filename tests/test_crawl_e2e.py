"""End to end: the real crawl of the sample portal into a real archive, then Datasette on it."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest
from conftest import query as rows
from conftest import run_tintuc

pytestmark = pytest.mark.e2e  # real crawls of the sample portal


@pytest.fixture(scope="module")
def crawled(sample_portal, tmp_path_factory):
    base_url, manifest = sample_portal
    db_path = tmp_path_factory.mktemp("e2e") / "archive.db"
    result = run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path))
    return db_path, base_url, manifest, result


def test_every_article_stored_once_with_title_date_and_author(crawled):
    db_path, base_url, manifest, _ = crawled
    stored = rows(db_path, "SELECT * FROM articles")
    by_url = {r["url"]: r for r in stored}
    assert len(by_url) == len(stored) == len(manifest["articles"])
    for article in manifest["articles"]:
        row = by_url[base_url + article["path"]]
        assert row["title"] == article["title"]
        assert row["published"] == article["published"], article["path"]
        assert row["author"] == article["author"], article["path"]  # the person, no agency
        for phrase in article["body_phrases"]:
            assert phrase in row["text"], (article["path"], phrase)
        assert row["site"] == "sample"


def test_related_links_stored_with_targets_and_never_in_the_body(crawled):
    db_path, base_url, manifest, _ = crawled
    for article in manifest["articles"]:
        url = base_url + article["path"]
        links = rows(db_path, "SELECT * FROM related_links WHERE from_url = ? ORDER BY position",
                     [url])  # fmt: skip
        # links to other sites stay out of related news (issue 12): the site's own are kept
        internal = [r for r in article["related"] if not r["path_or_url"].startswith("http")]
        expected = [base_url + r["path_or_url"] for r in internal]
        assert [link["to_url"] for link in links] == expected, article["path"]
        assert [link["block"] for link in links] == [r["block"] for r in internal]
        text = rows(db_path, "SELECT text FROM articles WHERE url = ?", [url])[0]["text"]
        for link in article["related"]:
            assert link["text"] not in text, (article["path"], link["text"])
    # every internal target was crawled too, orphans (reachable only via related links) included
    targets = rows(
        db_path,
        "SELECT DISTINCT to_url FROM related_links WHERE to_url LIKE ? "
        "AND to_url NOT IN (SELECT url FROM articles)",
        [base_url + "%"],
    )
    assert targets == []
    for path in manifest["orphan_paths"]:
        assert rows(db_path, "SELECT 1 FROM articles WHERE url = ?", [base_url + path])


def test_crawl_row_counts_and_404_recorded(crawled):
    db_path, base_url, manifest, result = crawled
    (crawl,) = rows(db_path, "SELECT * FROM crawls")
    assert crawl["status"] == "finished" and crawl["site"] == "sample"
    assert crawl["articles_new"] == len(manifest["articles"])
    assert crawl["pages"] >= len(manifest["articles"]) + len(manifest["listing_paths"])
    errors = rows(db_path, "SELECT url, status, error FROM crawl_errors")
    missing = [e for e in errors if e["status"] == 404]
    assert {urlsplit(e["url"]).path for e in missing} <= set(manifest["missing_paths"])
    assert missing and all(e["error"] == "HTTP 404" for e in missing)
    assert crawl["errors"] == len(errors)
    assert "34 new" in result.stdout or f"{len(manifest['articles'])} new" in result.stdout


def test_external_related_link_neither_recorded_nor_fetched(crawled):
    db_path, _, manifest, _ = crawled
    assert manifest["external_related_urls"]
    for url in manifest["external_related_urls"]:
        assert not rows(db_path, "SELECT 1 FROM related_links WHERE to_url = ?", [url])
        assert not rows(db_path, "SELECT 1 FROM articles WHERE url = ?", [url])


def test_second_crawl_leaves_the_same_rows(crawled, tmp_path):
    db_path, base_url, manifest, _ = crawled
    before = rows(db_path, "SELECT url, content_hash FROM articles ORDER BY url")
    links_before = rows(db_path, "SELECT count(*) AS n FROM related_links")
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path))
    assert rows(db_path, "SELECT url, content_hash FROM articles ORDER BY url") == before
    assert rows(db_path, "SELECT count(*) AS n FROM related_links") == links_before
    second = rows(db_path, "SELECT * FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert second["articles_new"] == 0 and second["status"] == "finished"
    fts = rows(db_path, "SELECT count(*) AS n FROM articles_fts")[0]["n"]
    assert fts == len(before)


def test_datasette_searches_without_diacritics_and_exports_csv(crawled):
    from datasette.app import Datasette

    db_path, _, manifest, _ = crawled
    title = next(a["title"] for a in manifest["articles"] if "Đà Nẵng" in a["title"])

    async def query():
        ds = Datasette([str(db_path)])
        found = {}
        for words in ("da nang", "Đà Nẵng", "ĐÀ NẴNG"):
            response = await ds.client.get(
                "/archive/articles.json", params={"_search": words, "_shape": "array"}
            )
            assert response.status_code == 200
            found[words] = sorted(r["title"] for r in response.json())
        csv = await ds.client.get("/archive/articles.csv", params={"_search": "da nang"})
        return found, csv

    found, csv = asyncio.run(query())
    assert title in found["da nang"]
    assert found["da nang"] == found["Đà Nẵng"] == found["ĐÀ NẴNG"]
    assert csv.status_code == 200
    assert title in csv.text and csv.text.splitlines()[0].lstrip("\ufeff").startswith("id,")


def test_generic_crawl_recognises_articles_by_content(sample_portal, tmp_path):
    base_url, manifest = sample_portal
    db_path = tmp_path / "generic.db"
    run_tintuc("crawl", "--start-url", base_url + "/", "--db", str(db_path),
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")  # fmt: skip
    urls = {r["url"] for r in rows(db_path, "SELECT url FROM articles")}
    expected = {base_url + a["path"] for a in manifest["articles"]}
    assert urls == expected  # listings, the about and contact pages are not articles
    (crawl,) = rows(db_path, "SELECT site FROM crawls")
    assert crawl["site"] == "127.0.0.1-" + base_url.rsplit(":", 1)[1]  # the port is the site's


def test_max_pages_and_setting_overrides(sample_portal, tmp_path):
    base_url, _ = sample_portal
    db_path = tmp_path / "small.db"
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path),
               "--max-pages", "5", "-s", "CONCURRENT_REQUESTS=1")  # fmt: skip
    (crawl,) = rows(db_path, "SELECT * FROM crawls")
    assert crawl["pages"] <= 5 + 1  # robots.txt plus what was in flight when the limit hit
    depth_db = tmp_path / "depth.db"
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(depth_db),
               "-s", "DEPTH_LIMIT=1")  # fmt: skip
    (shallow,) = rows(depth_db, "SELECT * FROM crawls")
    assert 0 < shallow["articles_new"] < 34


def test_scrapy_crawl_command_works_too(sample_portal, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    base_url, manifest = sample_portal
    db_path = tmp_path / "scrapy.db"
    subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=sample",
         "-a", f"start_url={base_url}/", "-s", f"TINTUC_DB={db_path}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    assert len(rows(db_path, "SELECT url FROM articles")) == len(manifest["articles"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "nowhere"], "unknown site 'nowhere'"),
        (["crawl", "--start-url", "ftp://example.vn/"], "not an http(s) URL"),
        (["crawl", "sample", "--db", "/nonexistent-dir/x.db"], "no such folder"),
        (["crawl"], "give a SITE id or --start-url"),
    ],
)
def test_bad_input_from_people_gets_one_clear_line(args, message):
    result = run_tintuc(*args, check=False)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr
