"""Archivists' guarantees, on real crawls of a copy of the sample portal: captures (WARC),
verification, re-extraction, versions, removals, incremental crawls, kill and resume."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import ROOT, query, run_tintuc

from tintuc.demo import SAMPLE_PORTAL, serve_sample_portal

pytestmark = pytest.mark.e2e  # real crawls and kills

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]



@pytest.fixture
def portal_copy(tmp_path):
    """A private, editable copy of the sample portal, served on a free port."""
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("portal_serve_copy", SAMPLE_PORTAL / "serve.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    site = tmp_path / "site"
    built = module.built_site()
    shutil.move(built, site)
    shutil.rmtree(built.parent)
    base_url, stop = module.serve_in_thread(directory=site)
    yield site, base_url
    stop()


def crawl(base_url, db_path, *extra):
    return run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path),
                      *FAST, *extra)  # fmt: skip


def test_every_fetch_is_captured_and_verifiable(portal_copy, tmp_path):
    _, base_url = portal_copy
    db_path = tmp_path / "archive.db"
    crawl(base_url, db_path)
    captures = query(db_path, "SELECT * FROM captures")
    statuses = {c["status"] for c in captures}
    assert {200, 404} <= statuses  # errors are captured too
    crawl_row = query(db_path, "SELECT pages FROM crawls")[0]
    assert len(captures) == crawl_row["pages"]
    assert all(c["warc_file"] and c["sha1"] and c["size"] is not None for c in captures)
    # every article points to the capture it was extracted from
    orphans = query(
        db_path,
        "SELECT a.url FROM articles a LEFT JOIN captures c ON c.id = a.capture_id "
        "WHERE c.id IS NULL OR c.final_url != a.url OR c.status != 200",
    )
    assert orphans == []
    ok = run_tintuc("verify", "--db", str(db_path))
    assert f"{len(captures)} records intact, 0 missing or damaged" in ok.stdout

    # damage one record: verify names it and fails
    victim = query(db_path, "SELECT * FROM captures WHERE status = 200 LIMIT 1")[0]
    warc = db_path.parent / victim["warc_file"]
    data = bytearray(warc.read_bytes())
    data[victim["warc_offset"] + victim["warc_length"] // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    bad = run_tintuc("verify", "--db", str(db_path), check=False)
    assert bad.returncode == 1
    assert f"capture {victim['id']} " in bad.stdout and "1 missing or damaged" in bad.stdout


def test_reextract_rebuilds_from_captures_and_is_idempotent(portal_copy, tmp_path):
    site, base_url = portal_copy
    db_path = tmp_path / "archive.db"
    crawl(base_url, db_path)
    before = query(db_path, "SELECT url, title, text, content_hash FROM articles ORDER BY url")
    # simulate an older, worse extractor: damage stored texts and related links
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE articles SET text = 'Tin tức khác ...', content_hash = 'old'")
    conn.execute("DELETE FROM related_links")
    conn.commit()
    conn.close()
    shutil.rmtree(site)  # no network: the site is gone
    first = run_tintuc("reextract", "--db", str(db_path))
    assert f"{len(before)} changed" in first.stdout
    after = query(db_path, "SELECT url, title, text, content_hash FROM articles ORDER BY url")
    assert after == before
    assert query(db_path, "SELECT count(*) AS n FROM related_links")[0]["n"] > 0
    second = run_tintuc("reextract", "--db", str(db_path))
    assert f"0 changed, {len(before)} unchanged" in second.stdout
    assert query(db_path, "SELECT count(*) AS n FROM article_versions")[0]["n"] == len(before)


def test_versions_removals_and_incremental_recrawl(portal_copy, tmp_path):
    site, base_url = portal_copy
    db_path = tmp_path / "archive.db"
    crawl(base_url, db_path)
    first = query(db_path, "SELECT * FROM crawls")[0]
    articles = query(db_path, "SELECT url, text FROM articles ORDER BY url")

    # an unchanged site: the second crawl fetches far fewer pages and adds no version
    crawl(base_url, db_path)
    second = query(db_path, "SELECT * FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert second["pages"] * 4 < first["pages"], (second["pages"], first["pages"])
    assert second["pages_skipped"] > 0 and second["articles_new"] == 0
    assert query(db_path, "SELECT count(*) AS n FROM article_versions")[0]["n"] == 0

    # one article corrected, one deleted; a full re-crawl sees both
    edited = next(a for a in articles if "/tin-tuc/" in a["url"])
    path = site / edited["url"].split("/", 3)[3]
    old_sentence = edited["text"].splitlines()[1]
    page = path.read_text(encoding="utf-8")
    assert old_sentence in page
    path.write_text(page.replace(old_sentence, "Nội dung đã được cập nhật lại."), "utf-8")
    removed = next(a for a in articles if "/Trang/" in a["url"])
    (site / removed["url"].split("/", 3)[3]).unlink()
    crawl(base_url, db_path, "--full")

    versions = query(db_path, "SELECT * FROM article_versions")
    assert [v["url"] for v in versions] == [edited["url"]]
    assert versions[0]["text"] == edited["text"]  # the old text kept whole
    now = query(db_path, "SELECT text FROM articles WHERE url = ?", [edited["url"]])[0]
    assert "Nội dung đã được cập nhật lại." in now["text"]
    gone = query(db_path, "SELECT * FROM articles WHERE url = ?", [removed["url"]])[0]
    assert gone["removed"] and gone["removed_reason"] == "HTTP 404"
    assert gone["text"] == removed["text"]
    assert query(db_path, "SELECT count(*) AS n FROM articles")[0]["n"] == len(articles)


def test_killed_crawl_resumes_without_duplicates_or_losses(tmp_path):
    base_url, stop = serve_sample_portal(0)
    try:
        reference = tmp_path / "reference.db"
        crawl(base_url, reference)
        expected = {r["url"] for r in query(reference, "SELECT url FROM articles")}

        db_path = tmp_path / "killed.db"
        slow = ["-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                "-s", "TINTUC_BATCH_SIZE=1", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"]  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "tintuc", "crawl", "sample", "--start-url",
             base_url + "/", "--db", str(db_path), "-s", "AUTOTHROTTLE_ENABLED=False", *slow],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if db_path.exists():
                try:
                    stored = query(db_path, "SELECT count(*) AS n FROM articles")[0]["n"]
                except sqlite3.OperationalError:
                    stored = 0
            if stored >= 8:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored = query(db_path, "SELECT count(*) AS n FROM articles")[0]["n"]
        assert 8 <= stored < len(expected), stored

        assert query(db_path, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"
        (killed,) = query(db_path, "SELECT * FROM crawls")
        assert killed["status"] == "running"  # it died: nobody could close it

        crawl(base_url, db_path)
        crawls = query(db_path, "SELECT id, status FROM crawls ORDER BY id")
        assert [c["status"] for c in crawls] == ["interrupted", "finished"]
        urls = [r["url"] for r in query(db_path, "SELECT url FROM articles")]
        assert len(urls) == len(set(urls)) and set(urls) == expected
        fts = query(db_path, "SELECT count(*) AS n FROM articles_fts")[0]["n"]
        assert fts == len(urls)
        # the resumed crawl did not fetch again what the killed one had stored
        resumed = query(db_path, "SELECT articles_new FROM crawls WHERE id = 2")[0]
        assert resumed["articles_new"] == len(expected) - stored
    finally:
        stop()


def test_status_lists_sites_with_their_last_crawl(portal_copy, tmp_path):
    _, base_url = portal_copy
    db_path = tmp_path / "archive.db"
    crawl(base_url, db_path)
    out = run_tintuc("status", "--db", str(db_path)).stdout
    assert "sample" in out and "34 articles (0 removed)" in out and "finished" in out
