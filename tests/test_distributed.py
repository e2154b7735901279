"""Many machines, one archive: workers on a real redis-server, one ingester (issue 15)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
import redis
from conftest import query as rows
from conftest import run_tintuc

from pipelines.stream_pipeline import STREAM
from tintuc.distributed import GROUP, Ingester, connect, enqueue

# ~47 requests at 0.3 s: the crawl lasts ~15 s, three times Scrapy's 5 s idle heartbeat, so a
# worker that found the frontier empty at first still takes part (0.1 s was flaky in CI)
SLOW = ["-s", "TINTUC_LOCAL_FAST=False", "-s", "DOWNLOAD_DELAY=0.3",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]


def start_tintuc(*args: str, cwd) -> subprocess.Popen:
    command = [sys.executable, "-m", "tintuc", *args]
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip


def article_urls(db_path) -> set[str]:
    return {r["url"] for r in rows(db_path, "SELECT url FROM articles")}


@pytest.mark.e2e
def test_two_workers_store_what_one_crawl_stores_fetching_each_url_once(
    sample_portal, redis_url, tmp_path
):
    base_url, manifest = sample_portal
    single = tmp_path / "single.db"
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(single))

    shared = tmp_path / "archive.db"
    run_tintuc("enqueue", "sample", "--start-url", base_url + "/", "--redis", redis_url)
    workers = []
    for name in ("w1", "w2"):
        (tmp_path / name).mkdir()
        # polite as towards a real site (a delay, one request at a time), so that the crawl
        # lasts long enough for both workers to take requests from the frontier
        workers.append(start_tintuc("worker", "--redis", redis_url, "--until-idle", "5",
                                    "--name", name, *SLOW, cwd=tmp_path / name))  # fmt: skip
    ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                            "--until-idle", "10", cwd=tmp_path)  # fmt: skip
    for process in [*workers, ingester]:
        output, _ = process.communicate(timeout=240)
        assert process.returncode == 0, output

    assert article_urls(shared) == article_urls(single)
    assert len(article_urls(shared)) == len(manifest["articles"])
    captures = rows(shared, "SELECT url, warc_file FROM captures WHERE error IS NULL")
    fetched = Counter(c["url"] for c in captures)
    # robots.txt aside (each worker's robots middleware reads it for itself, outside the
    # frontier), no URL is fetched twice, and none more often than by the single crawl
    robots = base_url + "/robots.txt"
    single_fetched = Counter(c["url"] for c in rows(single, "SELECT url FROM captures"))
    assert [u for u, n in fetched.items() if n > 1 and u != robots] == []
    assert fetched[robots] <= single_fetched[robots] + 1
    assert set(fetched) == set(single_fetched)
    # both workers took part, each in its own WARC file
    assert {c["warc_file"].split("/")[-1].split("-")[0] for c in captures} == {"w1", "w2"}
    (crawl,) = rows(shared, "SELECT * FROM crawls")
    assert crawl["status"] == "finished" and crawl["site"] == "sample"
    assert crawl["articles_new"] == len(manifest["articles"])
    # every article points to its capture
    missing = rows(shared, "SELECT url FROM articles WHERE capture_id IS NULL")
    assert missing == []


def tintuc_in_process(*args: str):
    """The CLI in this process (these fail before Scrapy would start): fast bad-input checks."""
    from click.testing import CliRunner

    from tintuc.cli import main

    return CliRunner().invoke(main, list(args))


def test_unreachable_redis_is_one_error_line(tmp_path):
    for command in (["worker"], ["ingest", "--db", str(tmp_path / "a.db")],
                    ["enqueue", "--start-url", "http://127.0.0.1:9/"]):  # fmt: skip
        result = tintuc_in_process(*command, "--redis", "redis://127.0.0.1:9/0")
        assert result.exit_code != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: cannot reach Redis"), lines
    assert not (tmp_path / "a.db").exists()
    result = tintuc_in_process("worker", "--redis", "http://127.0.0.1:9/")
    assert result.exit_code != 0 and result.stderr.startswith("Error: bad Redis URL")


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_a_redis_written_by_something_else_is_refused(redis_url):
    redis.Redis.from_url(redis_url).set("someone:else", "1")
    result = tintuc_in_process("enqueue", "--start-url", "http://127.0.0.1:9/",
                               "--redis", redis_url)  # fmt: skip
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        f"Error: Redis at {redis_url} holds 1 keys not written by tintuc; "
        "use an empty database (e.g. redis://host:6379/1)"
    ]


def send_results(conn, crawl: int, url: str, offset: int) -> None:
    """What a worker sends for one article page: its capture, then the article."""
    key = f"warc/w1-x.warc.gz#{offset}"
    messages = [
        {"type": "capture", "crawl": crawl, "key": key,
         "row": {"url": url, "final_url": url, "status": 200, "time": "2026-01-01T00:00:00",
                 "warc_file": "warc/w1-x.warc.gz", "warc_offset": offset, "warc_length": 9}},
        {"type": "article", "crawl": crawl, "article": {
            "url": url, "site": "127.0.0.1", "fetched": "2026-01-01T00:00:00", "capture_id": key,
            "title": "Tiêu đề", "text": "Nội dung bài viết đủ dài để lưu.", "related": []}},
    ]  # fmt: skip
    for message in messages:
        conn.xadd(STREAM, {"m": json.dumps(message)})


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_redelivered_entries_are_stored_once(redis_url, tmp_path):
    """An ingester killed after its commit but before XACK: the next one claims the entries
    (XAUTOCLAIM) and writes them again, and nothing is doubled."""
    from crawler.sites import generic_profile

    conn = connect(redis_url)
    token = enqueue(conn, generic_profile("http://127.0.0.1:9/"), None, "http://127.0.0.1:9/")
    for n in range(3):
        send_results(conn, token, f"http://127.0.0.1:9/tin-{n}.html", offset=1000 * n)
    db_path = str(tmp_path / "archive.db")
    first = Ingester(conn, db_path, consumer="dies")
    first.prepare()
    delivered = conn.xreadgroup(GROUP, "dies", {STREAM: ">"}, count=100)[0][1]
    first.write(delivered)
    # the commit happened; pretend the XACK did not: put the entries back to pending
    conn.xgroup_destroy(STREAM, GROUP)
    conn.xgroup_create(STREAM, GROUP, id="0")
    conn.xreadgroup(GROUP, "dies", {STREAM: ">"}, count=100)
    first.close()

    second = Ingester(conn, db_path, consumer="restarted")
    assert second.run(until_idle=0.1) == len(delivered)
    second.close()
    assert conn.xpending(STREAM, GROUP)["pending"] == 0
    assert len(rows(db_path, "SELECT * FROM crawls")) == 1
    assert len(rows(db_path, "SELECT * FROM captures")) == 3
    stored = rows(db_path, "SELECT url, capture_id FROM articles ORDER BY url")
    assert [r["url"][-10:] for r in stored] == ["tin-0.html", "tin-1.html", "tin-2.html"]
    assert all(r["capture_id"] is not None for r in stored)
    # workers skip what is stored
    assert conn.smembers("tintuc:stored:127.0.0.1") == {r["url"].encode() for r in stored}


