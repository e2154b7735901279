"""Faults of our own: kills at many points, a full disk, a read-only archive."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import ROOT, run_tintuc

pytestmark = pytest.mark.e2e  # real crawls, kills, a full disk

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def count(db_path, sql="SELECT count(*) FROM articles"):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def crawl_args(base_url, db_path, *extra):
    return [sys.executable, "-m", "tintuc", "crawl", "sample", "--start-url",
            base_url + "/", "--db", str(db_path), *extra]  # fmt: skip


def test_incremental_crawl_fetches_articles_linked_only_from_skipped_ones(sample_portal, tmp_path):
    """An orphan (reachable only through a related link) that a crawl never stored is fetched
    by the next incremental crawl, though the article linking to it is skipped."""
    base_url, manifest = sample_portal
    db_path = tmp_path / "archive.db"
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path), *FAST)
    assert count(db_path) == len(manifest["articles"])
    orphans = [a for a in manifest["articles"] if a.get("listed") is False]
    assert orphans
    conn = sqlite3.connect(db_path)
    with conn:  # as if the crawl had died before fetching them
        for orphan in orphans:
            (article_id,) = conn.execute(
                "SELECT id FROM articles WHERE url LIKE ?", ["%" + orphan["path"]]
            ).fetchone()
            conn.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
            conn.execute("DELETE FROM articles WHERE id = ?", [article_id])
    conn.close()
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path), *FAST)
    assert count(db_path) == len(manifest["articles"])
    # the articles linking to them were skipped, not fetched again
    assert count(db_path, "SELECT pages_skipped FROM crawls ORDER BY id DESC LIMIT 1") > 0


def test_sigkill_at_several_points_never_corrupts_and_resume_completes(sample_portal, tmp_path):
    base_url, manifest = sample_portal
    db_path = tmp_path / "archive.db"
    slow = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "TINTUC_BATCH_SIZE=1", "-s", "AUTOTHROTTLE_ENABLED=False"]  # fmt: skip
    seen = []
    for target in (3, 9, 16, 24):
        proc = subprocess.Popen(crawl_args(base_url, db_path, *slow), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if db_path.exists() and count(db_path) >= target:
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n_articles
        # no half-written article: every stored row has its text and its search entry
        assert conn.execute("SELECT count(*) FROM articles WHERE text IS NULL OR text = ''"
                            ).fetchone()[0] == 0  # fmt: skip
        conn.close()
        seen.append(n_articles)
    assert seen == sorted(seen) and seen[-1] < len(manifest["articles"])
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path), *FAST)
    assert count(db_path) == count(db_path, "SELECT count(DISTINCT url) FROM articles")
    assert count(db_path) == len(manifest["articles"])
    statuses = count(db_path, "SELECT group_concat(status) FROM crawls ORDER BY id")
    assert statuses.split(",") == ["interrupted"] * 4 + ["finished"]


def crawl_into_checkpointed(base_url, db_path) -> None:
    """A full crawl of the sample portal, with everything moved from the WAL into the file."""
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path), *FAST)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_stops_the_crawl_clearly_and_keeps_what_was_stored(sample_portal, tmp_path):
    base_url, manifest = sample_portal
    db_path = tmp_path / "archive.db"
    crawl_into_checkpointed(base_url, db_path)
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT url, text, content_hash FROM articles ORDER BY url").fetchall()
    conn.close()
    # the next crawl may not grow any file past 150 KB: the WAL fills up during the crawl
    result = subprocess.run(
        crawl_args(base_url, db_path, "--full", *FAST), cwd=ROOT, capture_output=True,
        text=True, timeout=120, preexec_fn=_limit_file_size(150_000),
    )  # fmt: skip
    assert result.returncode != 0
    assert "crawl stopped: cannot write" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr.split("crawl stopped")[-1]
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = conn.execute("SELECT url, text, content_hash FROM articles ORDER BY url").fetchall()
    conn.close()
    assert after == before and len(before) == len(manifest["articles"])
    # and with space again, the next crawl works
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path), *FAST)


def make_read_only(path):
    if os.geteuid() == 0:  # root ignores file modes: make the file immutable instead
        if not shutil.which("chattr"):
            pytest.fail("chattr is needed to make a read-only file as root")
        subprocess.run(["chattr", "+i", str(path)], check=True)
        return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o444)
    return lambda: path.chmod(0o644)


def test_read_only_archive_gives_one_clear_line_and_stays_intact(sample_portal, tmp_path):
    base_url, _ = sample_portal
    db_path = tmp_path / "archive.db"
    crawl_into_checkpointed(base_url, db_path)
    digest = db_path.read_bytes()
    undo = make_read_only(db_path)
    try:
        result = run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db",
                            str(db_path), check=False)  # fmt: skip
    finally:
        undo()
    assert result.returncode != 0
    assert "is read-only" in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == digest
