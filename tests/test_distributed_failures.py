"""Failures lose nothing (issue 15): a worker killed, the ingester killed, Redis restarted.

Real processes on a real redis-server; the sample portal crawled politely (0.3 s apart), so
that there is a "midway" to fail in.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import redis
from conftest import free_port, run_tintuc, start_redis
from conftest import query as rows
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from test_distributed import SLOW, article_urls, start_tintuc

from crawler.redis_frontier import LEASE_META, FrontierLeases, LeaseRelease
from pipelines.stream_pipeline import STREAM

pytestmark = pytest.mark.e2e
LEASE = ["-s", "TINTUC_FRONTIER_LEASE=3"]  # a killed worker's requests return after 3 s
POLITE = [*SLOW, "-s", "DOWNLOAD_DELAY=0.2"]  # ~47 requests: ~10 s of crawl to fail in


def wait_for_results(redis_url: str, count: int, timeout: float = 60) -> None:
    """Until the workers have sent ``count`` results to the stream (the ingester deletes
    those it has read: count those ever added)."""
    conn = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while not conn.exists(STREAM) or conn.xinfo_stream(STREAM)["entries-added"] < count:
        assert time.monotonic() < deadline, "the workers sent too few results"
        time.sleep(0.1)
    conn.close()


def finish(*processes: subprocess.Popen) -> list[str]:
    outputs = []
    for process in processes:
        output, _ = process.communicate(timeout=180)
        assert process.returncode == 0, output
        outputs.append(output)
    return outputs


def check_archive(db_path, manifest) -> None:
    """Every article once, every capture once, SQLite and FTS5 both intact."""
    assert len(article_urls(db_path)) == len(manifest["articles"])
    assert rows(db_path, "SELECT url FROM articles WHERE capture_id IS NULL") == []
    doubled = rows(db_path, """SELECT warc_file, warc_offset FROM captures
                              WHERE warc_file IS NOT NULL
                              GROUP BY 1, 2 HAVING count(*) > 1""")  # fmt: skip
    assert doubled == []
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        fts, articles = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                         for t in ("articles_fts", "articles"))  # fmt: skip
        assert fts == articles
    finally:
        conn.close()


def enqueue_with_a_worker(redis_url: str, base_url: str, folder, until_idle: str
                          ) -> subprocess.Popen:  # fmt: skip
    """The sample portal enqueued, and one polite worker ("w1", in ``folder/w1``) started."""
    run_tintuc("enqueue", "sample", "--start-url", base_url + "/", "--redis", redis_url)
    (folder / "w1").mkdir()
    return start_tintuc("worker", "--redis", redis_url, "--until-idle", until_idle,
                        "--name", "w1", *POLITE, cwd=folder / "w1")  # fmt: skip


def start_ingester(redis_url: str, folder, until_idle: str) -> tuple[subprocess.Popen, Path]:
    """``tintuc ingest`` started into ``folder/archive.db``; the process and that path."""
    db_path = folder / "archive.db"
    ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(db_path),
                            "--until-idle", until_idle, cwd=folder)  # fmt: skip
    return ingester, db_path


def test_a_worker_killed_midway_loses_nothing(sample_portal, redis_url, tmp_path):
    """SIGKILL takes the requests the worker had leased (up to 16); their leases expire and
    the other worker fetches them."""
    base_url, manifest = sample_portal
    run_tintuc("enqueue", "sample", "--start-url", base_url + "/", "--redis", redis_url)
    workers = {}
    for name in ("w1", "w2"):
        (tmp_path / name).mkdir()
        command = ["worker", "--redis", redis_url, "--until-idle", "3", "--name", name]
        workers[name] = start_tintuc(*command, *POLITE, *LEASE, cwd=tmp_path / name)
    # idle longer than the worker's last wait: its idle time, Scrapy's 5 s heartbeat
    ingester, db_path = start_ingester(redis_url, tmp_path, "10")
    wait_for_results(redis_url, 15)
    conn = redis.Redis.from_url(redis_url)
    leased = conn.zcard("tintuc:crawl:1:requests:inflight")
    workers["w1"].send_signal(signal.SIGKILL)
    workers["w1"].communicate()
    finish(workers["w2"], ingester)

    check_archive(db_path, manifest)
    assert leased > 0  # the kill did take requests in flight with it
    assert conn.zcard("tintuc:crawl:1:requests:inflight") == 0
    (crawl,) = rows(db_path, "SELECT status FROM crawls")
    assert crawl["status"] == "finished"


def test_the_ingester_killed_and_restarted_stores_everything_once(
    sample_portal, redis_url, tmp_path
):
    base_url, manifest = sample_portal
    worker = enqueue_with_a_worker(redis_url, base_url, tmp_path, "3")
    db_path = tmp_path / "archive.db"
    ingest = ["ingest", "--redis", redis_url, "--db", str(db_path)]
    first = start_tintuc(*ingest, cwd=tmp_path)
    wait_for_results(redis_url, 20)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    stored_before = len(article_urls(db_path))
    finish(worker)
    (output,) = finish(start_tintuc(*ingest, "--until-idle", "2", cwd=tmp_path))

    assert 0 < stored_before < len(manifest["articles"])  # killed midway indeed
    check_archive(db_path, manifest)
    conn = redis.Redis.from_url(redis_url)
    assert conn.xpending(STREAM, "ingest")["pending"] == 0
    assert conn.xlen(STREAM) == 0  # ingested results leave Redis' memory


@pytest.fixture
def restartable_redis(tmp_path):
    """A redis-server with AOF on (``--appendonly yes``), and a function that stops it, waits
    ``down`` seconds (workers and ingester meanwhile retry) and starts it again on its port."""
    port, folder = free_port(), tmp_path / "redis"
    running = []

    def start():
        running.append(start_redis(port, folder, "--appendonly", "yes", "--appendfsync", "always"))

    def restart(down: float):
        running[-1].terminate()  # SIGTERM: Redis flushes the AOF and exits
        running[-1].wait(timeout=10)
        time.sleep(down)
        start()

    start()
    yield f"redis://127.0.0.1:{port}/0", restart
    running[-1].terminate()
    running[-1].wait(timeout=10)


def test_a_redis_restart_midway_loses_nothing(sample_portal, restartable_redis, tmp_path):
    """Redis away for 2 s: the worker and the ingester say so in one line, retry with backoff,
    and go on once it is back (with AOF, the frontier and the stream survive)."""
    redis_url, restart = restartable_redis
    base_url, manifest = sample_portal
    worker = enqueue_with_a_worker(redis_url, base_url, tmp_path, "4")
    ingester, db_path = start_ingester(redis_url, tmp_path, "8")
    wait_for_results(redis_url, 15)
    restart(down=2)
    worker_output, ingester_output = finish(worker, ingester)

    check_archive(db_path, manifest)
    for output in (worker_output, ingester_output):
        assert "Redis unreachable or full (maxmemory); retrying in" in output, output[-3000:]


def test_redis_restarted_without_its_data_is_recorded_not_a_traceback(sample_portal, tmp_path):
    """Redis restarted without persistence comes back empty: the ingester used to die on
    NOGROUP and the next crawl took an archived crawl's token. Now the loss is said by worker
    and ingester, recorded on the crawl (interrupted, not finished), results sent after it
    are stored, and the next crawl gets a new token."""
    port, folder = free_port(), tmp_path / "redis"
    redis_url = f"redis://127.0.0.1:{port}/0"
    server = start_redis(port, folder, "--appendonly", "no")
    base_url, _ = sample_portal
    worker = enqueue_with_a_worker(redis_url, base_url, tmp_path, "3")
    ingester, db_path = start_ingester(redis_url, tmp_path, "6")
    wait_for_results(redis_url, 10)
    server.terminate()
    server.wait(timeout=10)
    server = start_redis(port, folder, "--appendonly", "no")
    try:
        worker_output, ingester_output = finish(worker, ingester)
        enqueued = run_tintuc("enqueue", "sample", "--start-url", base_url + "/",
                              "--redis", redis_url).stdout  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)

    for output in (worker_output, ingester_output):
        assert "Redis lost its data" in output and "Traceback" not in output, output[-3000:]
    (crawl,) = rows(db_path, "SELECT id, status FROM crawls")
    assert crawl["status"] == "interrupted"
    errors = [r["error"] for r in rows(db_path, "SELECT error FROM crawl_errors")]
    assert any(e.startswith("Redis lost its data") for e in errors)
    assert "crawl 2 of sample enqueued" in enqueued


def test_a_full_redis_makes_a_worker_wait_not_drop_its_result(redis_url):
    """``maxmemory`` reached under ``noeviction``: a result waits (one log line) until the
    ingester has freed room, instead of an OOM traceback and a capture lost."""
    import threading

    from pipelines.stream_pipeline import retrying_conn, send

    admin = redis.Redis.from_url(redis_url)
    admin.config_set("maxmemory", 1)
    sent = threading.Thread(target=send, args=(retrying_conn(redis_url), {"type": "test"}))
    sent.start()
    sent.join(1.0)
    assert sent.is_alive() and not admin.exists(STREAM)  # waiting, not failed
    admin.config_set("maxmemory", 0)
    sent.join(15)
    assert not sent.is_alive() and admin.xlen(STREAM) == 1


def test_a_lease_is_held_until_the_items_of_its_page_have_left_the_pipelines(redis_url):
    """The extraction runs in a process pool, so a page's article is still on its way when its
    callback is over: a worker killed then must leave the page's lease to expire, or the page
    is lost (its URL is already in the shared dupefilter)."""
    crawler = get_crawler(settings_dict={"SCHEDULER_QUEUE_KEY": "test:requests",
                                         "REDIS_URL": redis_url})  # fmt: skip
    leases = FrontierLeases(crawler)
    leases.conn.zadd("test:requests", {b"article": 0, b"listing": 1})
    middleware = LeaseRelease(leases)

    def page(url: str) -> HtmlResponse:
        lease, _ = leases.pop()
        request = Request(url, meta={LEASE_META: lease})
        return HtmlResponse(url, body=b"<html></html>", request=request)

    article, listing = page("http://127.0.0.1/a-1.html"), page("http://127.0.0.1/")
    item = {"url": article.url}
    assert list(middleware.process_spider_output(article, [item])) == [item]
    links = [Request("http://127.0.0.1/b-2.html")]
    assert list(middleware.process_spider_output(listing, links)) == links
    assert leases.in_flight() == 1  # the listing's lease is over, the article's is not
    middleware.on_item_done(item, article, spider=None)
    assert leases.in_flight() == 0


def test_processes_started_at_once_on_an_empty_redis_all_start(redis_url):
    """A worker and the ingester started together (a reboot): the owner mark one set was seen
    by the other as a key not written by tintuc, and it refused to start."""
    import threading

    from tintuc.distributed import DistributedError, connect

    admin, refused = redis.Redis.from_url(redis_url), []

    def start(gate: threading.Barrier) -> None:
        gate.wait()
        try:
            connect(redis_url).close()
        except DistributedError as exc:
            refused.append(str(exc))

    for _ in range(30):
        admin.flushdb()
        gate = threading.Barrier(4)
        threads = [threading.Thread(target=start, args=(gate,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert refused == []
    admin.set("other", "x")
    admin.delete("tintuc:owner")
    with pytest.raises(DistributedError, match="holds 1 key not written by tintuc"):
        connect(redis_url)
