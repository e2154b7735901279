"""Many machines, one archive: workers on a real redis-server, one ingester (issue 15)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
import redis
import scrapy
from conftest import query as rows
from conftest import run_tintuc, send_page, serve_pages, serving

from crawler.redis_frontier import TABLE_TTL
from pipelines.stream_pipeline import STREAM
from tintuc.distributed import (
    GROUP,
    DistributedError,
    Ingester,
    connect,
    enqueue,
    queue_keys,
    running_crawls,
)

# ~47 requests at 0.3 s: the crawl lasts ~15 s, three times Scrapy's 5 s idle heartbeat, so a
# worker that found the frontier empty at first still takes part (0.1 s was flaky in CI)
SLOW = ["-s", "TINTUC_LOCAL_FAST=False", "-s", "DOWNLOAD_DELAY=0.3",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]  # fmt: skip


def start_tintuc(*args: str, cwd) -> subprocess.Popen:
    command = [sys.executable, "-m", "tintuc", *args]
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip


def finished(process: subprocess.Popen, timeout: int = 240) -> str:
    """``process``'s output once it has ended, well (its output shown when it did not)."""
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


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
    # the ingester says what it does while it runs, not only at the end
    assert "crawl 1 of sample started" in output
    assert "crawl 1: a worker left it (finished); so far" in output

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


@pytest.mark.e2e
def test_an_ingester_started_before_its_workers_waits_for_them(sample_portal, redis_url,
                                                                tmp_path):  # fmt: skip
    """`ingest --until-idle` does not count idle time before a worker's result of the crawl
    has come: on a loaded machine workers can take longer to start than the ingester's idle
    time (it used to exit with the crawl not begun and nothing stored)."""
    base_url, manifest = sample_portal
    run_tintuc("enqueue", "sample", "--start-url", base_url + "/", "--redis", redis_url)
    db_path = tmp_path / "archive.db"
    ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(db_path),
                            "--until-idle", "4", cwd=tmp_path)  # fmt: skip
    time.sleep(6)  # the worker starts late: more than the ingester's idle time
    assert ingester.poll() is None, ingester.communicate()[0]
    worker = start_tintuc("worker", "--redis", redis_url, "--until-idle", "1", "--name", "w1",
                          cwd=tmp_path)  # fmt: skip
    outputs = []
    for process in (worker, ingester):
        outputs.append(process.communicate(timeout=180)[0])
        assert process.returncode == 0, outputs[-1]
    # the whole crawl (the ingester may leave before the worker says it left the crawl:
    # the worker's own last wait, Scrapy's 5 s heartbeat, is longer than 4 s)
    assert len(article_urls(db_path)) == len(manifest["articles"]), outputs


@pytest.mark.e2e
def test_an_ingester_whose_crawl_no_worker_joins_says_so(redis_url, tmp_path):
    """The other side of waiting for workers: one that never comes is an error of the crawl
    and one `Error:` line after --worker-timeout, not a silent exit nor a wait for ever."""
    db_path = tmp_path / "archive.db"
    run_tintuc("enqueue", "--start-url", "http://127.0.0.1:9/", "--redis", redis_url)
    result = tintuc_in_process("ingest", "--redis", redis_url, "--db", str(db_path),
                               "--until-idle", "0.2", "--worker-timeout", "1")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: no worker began the crawl within 1 s: crawl 1 (http://127.0.0.1:9/) (is a "
        "`tintuc worker` running on this Redis?); the crawl stays enqueued for a later worker")
    (error,) = rows(db_path, "SELECT crawl_id, url, error FROM crawl_errors")
    assert error == {"crawl_id": 1, "url": "http://127.0.0.1:9/",
                     "error": "no worker began the crawl within 1 s"}  # fmt: skip
    assert list(running_crawls(connect(redis_url))) == [1]  # still there for a later worker


def test_the_ingest_command_waits_for_workers_as_long_as_the_library():
    """The CLI imports tintuc.distributed (and redis) only when run, so it repeats the
    default: this keeps the two in step."""
    from tintuc.cli.distributed import ingest
    from tintuc.distributed import WORKER_TIMEOUT

    (option,) = [p for p in ingest.params if p.name == "worker_timeout"]
    assert option.default == WORKER_TIMEOUT


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


def test_enqueue_refuses_a_start_url_over_the_length_limit_as_crawl_does():
    # refused before Redis is asked: it was enqueued, and its workers fetched the site's
    # robots.txt, sitemap and feed guesses
    url = "http://127.0.0.1:9/" + "tin-tuc-" * 300
    result = tintuc_in_process("enqueue", "--start-url", url, "--redis", "redis://127.0.0.1:9/0")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: URLLENGTH_LIMIT=2083: shorter than every start URL ({url[:80]}… has 2419 "
        "characters); must be 2419 or more, or 0 for no limit"]  # fmt: skip


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_a_worker_whose_url_length_limit_is_under_the_start_url_fetches_nothing(
    redis_url, tmp_path
):
    """The worker's own -s limit is not known when the crawl is enqueued: it meets the crawl's
    start URL when it joins. It fetched the guesses under the limit and recorded the others,
    and the crawl "finished"."""
    with serve_pages(lambda path: b"<html><body><a href='/tin/a-1.html'>a</a></body></html>"
                     ) as (base, paths):  # fmt: skip
        url = base + "/chuyen-muc/tin-tuc.html"
        run_tintuc("enqueue", "--start-url", url, "--redis", redis_url)
        db_path = tmp_path / "archive.db"
        ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(db_path),
                                "--until-idle", "15", cwd=tmp_path)  # fmt: skip
        worker = start_tintuc("worker", "--redis", redis_url, "--until-idle", "1",
                              "-s", "URLLENGTH_LIMIT=30", cwd=tmp_path)  # fmt: skip
        for process in (worker, ingester):
            output = process.communicate(timeout=180)[0]
            assert process.returncode == 0, output
    assert paths == []
    assert rows(db_path, "SELECT url, error FROM crawl_errors") == [
        {"url": url, "error": f"not fetched: the URL is {len(url)} characters long, over "
                              "URLLENGTH_LIMIT=30"}]  # fmt: skip
    (crawl,) = rows(db_path, "SELECT status, pages FROM crawls")
    assert crawl == {"status": "failed", "pages": 0}


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_a_redis_written_by_something_else_is_refused(redis_url, tmp_path):
    redis.Redis.from_url(redis_url).set("someone:else", "1")
    db_path = str(tmp_path / "a.db")
    run_tintuc("schedule", "add", "sample", "--every", "1h", "--db", db_path)
    for command in (["enqueue", "--start-url", "http://127.0.0.1:9/"], ["worker"],
                    ["ingest", "--db", str(tmp_path / "b.db")],
                    ["scheduler", "--once", "--db", db_path]):  # fmt: skip
        result = tintuc_in_process(*command, "--redis", redis_url)
        assert result.exit_code != 0
        assert result.stderr.strip().splitlines() == [
            f"Error: Redis at {redis_url} holds 1 key not written by tintuc; "
            "use an empty database (e.g. redis://host:6379/1)"
        ]
    assert redis.Redis.from_url(redis_url).keys() == [b"someone:else"]  # nothing written
    assert not (tmp_path / "b.db").exists()


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_enqueue_start_url_of_a_registered_site_is_that_site(redis_url):
    """As ``tintuc crawl --start-url``: a registered site's URL is crawled as that site (nothing
    is fetched here: no worker runs)."""
    result = tintuc_in_process("enqueue", "--start-url", "https://www.baoquangninh.vn/",
                               "--redis", redis_url)
    assert result.exit_code == 0, result.output
    crawls = running_crawls(connect(redis_url))
    assert [(c["site"], c["start_url"]) for c in crawls.values()] == [
        ("baoquangninh", "https://www.baoquangninh.vn/")]


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_the_scheduler_enqueues_due_crawls_on_the_shared_frontier(redis_url, tmp_path):
    """`tintuc scheduler --redis` starts no process: the due crawl goes to Redis, once while it
    runs, and gets its crawls row (trigger 'schedule') from the ingester; status shows it."""
    db_path = str(tmp_path / "archive.db")
    run_tintuc("schedule", "add", "sample", "--every", "1s", "--db", db_path)
    for _ in range(2):  # the second pass: due again, but the crawl is still running
        result = tintuc_in_process("scheduler", "--once", "--db", db_path, "--redis", redis_url)
        assert result.exit_code == 0, result.output
    conn = connect(redis_url)
    crawls = {token: crawl["site"] for token, crawl in running_crawls(conn).items()}
    assert crawls == {1: "sample"}
    ingester = Ingester(conn, db_path)
    with pytest.raises(DistributedError, match="no worker began the crawl within 0.5 s"):
        ingester.run(until_idle=0.1, worker_timeout=0.5)  # no worker runs here
    ingester.close()
    (crawl,) = rows(db_path, "SELECT site, trigger, status FROM crawls")
    assert crawl == {"site": "sample", "trigger": "schedule", "status": "running"}
    status = run_tintuc("status", "--db", db_path).stdout
    assert "sample" in status and "running" in status


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
    failed = {"url": "http://127.0.0.1:9/cham.html", "time": "2026-01-01T00:00:01",
              "error": "TimeoutError: took longer than 30.0 seconds"}  # fmt: skip
    message = {"type": "capture", "crawl": token, "key": "w1:1:failed:1", "row": failed}
    conn.xadd(STREAM, {"m": json.dumps(message)})
    db_path = str(tmp_path / "archive.db")
    first = Ingester(conn, db_path, consumer="dies")
    first.prepare()
    delivered = conn.xreadgroup(GROUP, "dies", {STREAM: ">"}, count=100)[0][1]
    # the commit happens; the XACK (and XDEL, in one MULTI) does not: still pending
    with mock.patch.object(conn, "pipeline"):
        first.write(delivered)
    first.close()
    assert conn.xpending(STREAM, GROUP)["pending"] == len(delivered)

    second = Ingester(conn, db_path, consumer="restarted")
    assert second.run(until_idle=0.1) == len(delivered)
    second.close()
    assert conn.xpending(STREAM, GROUP)["pending"] == 0
    assert len(rows(db_path, "SELECT * FROM crawls")) == 1
    assert len(rows(db_path, "SELECT * FROM captures")) == 4  # the failed fetch's too, once
    stored = rows(db_path, "SELECT url, capture_id FROM articles ORDER BY url")
    assert [r["url"][-10:] for r in stored] == ["tin-0.html", "tin-1.html", "tin-2.html"]
    assert all(r["capture_id"] is not None for r in stored)
    # workers skip what is stored
    assert conn.smembers("tintuc:stored:127.0.0.1") == {r["url"].encode() for r in stored}


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_a_soft_404_from_a_worker_marks_the_stored_article_removed(redis_url, tmp_path):
    """A worker's decision that a page is a "not found" page (PageDecision.gone) reaches the
    archive as the one process does it: the stored article is marked removed, text kept."""
    from crawler.sites import generic_profile

    conn = connect(redis_url)
    token = enqueue(conn, generic_profile("http://127.0.0.1:9/"), None, "http://127.0.0.1:9/")
    url = "http://127.0.0.1:9/tin-1.html"
    send_results(conn, token, url, offset=0)
    gone = {"type": "decision", "crawl": token, "url": url, "capture_id": None, "kind": "other",
            "reason": 'an error page served as a page: its title is "Không tìm thấy trang"',
            "gone": True}  # fmt: skip
    conn.xadd(STREAM, {"m": json.dumps(gone)})
    ingester = Ingester(conn, str(tmp_path / "archive.db"), consumer="one")
    ingester.run(until_idle=0.1)
    ingester.close()
    (row,) = rows(tmp_path / "archive.db", "SELECT text, removed, removed_reason FROM articles")
    assert row["text"] and row["removed"] and "Không tìm thấy trang" in row["removed_reason"]


class RecordingSite:
    """A local site of ``pages`` slow pages that records, per request, its path, when it
    arrived and how many requests the server was answering at that moment, and which user
    agent fetched each path (``agents``)."""

    def __init__(self, pages: int, answer_seconds: float):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.arrivals: list[tuple[float, str]] = []
        self.most_at_once = 0
        self.agents: dict[str, str] = {}
        lock, busy, site = threading.Lock(), [0], self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with lock:
                    busy[0] += 1
                    site.arrivals.append((accepted.pop(self.connection, time.monotonic()),
                                          self.path))
                    site.agents[self.path] = self.headers.get("User-Agent", "")
                    site.most_at_once = max(site.most_at_once, busy[0])
                try:
                    if self.path == "/":
                        links = "".join(f'<a href="/tin/{n}.html">Tin {n}</a>'
                                        for n in range(pages))  # fmt: skip
                        body = f"<html><body>{links}</body></html>"
                    elif self.path.startswith("/tin/"):
                        time.sleep(answer_seconds)
                        body = f"<html><body><h1>Tin {self.path}</h1><p>Nội dung.</p></body></html>"
                    else:
                        self.send_error(404)
                        return
                    data = body.encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    with lock:
                        busy[0] -= 1

            def log_message(self, *args):
                pass

        # a request arrives when its connection is accepted (one a request: HTTP/1.0), not
        # when its handler's thread gets to run, which a loaded machine delays
        accepted: dict = {}

        class Server(ThreadingHTTPServer):
            def process_request(self, request, client_address):
                accepted[request] = time.monotonic()
                super().process_request(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.e2e
def test_two_workers_keep_a_sites_concurrency_and_delay_together(redis_url, tmp_path):
    """Each worker alone would send 2 requests at a time; together they still send at most 2
    (the site's concurrency), and never two starts closer than the delay (0.4 s)."""
    site = RecordingSite(pages=16, answer_seconds=0.9)
    delay = 0.4
    try:
        run_tintuc("enqueue", "--start-url", site.url, "--redis", redis_url)
        polite = ["-s", "TINTUC_LOCAL_FAST=False", "-s", f"DOWNLOAD_DELAY={delay}",
                  "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                  "-s", "ROBOTSTXT_OBEY=False"]  # fmt: skip
        workers = []
        for name in ("w1", "w2"):
            (tmp_path / name).mkdir()
            workers.append(start_tintuc("worker", "--redis", redis_url, "--until-idle", "3",
                                        "--name", name, *polite, cwd=tmp_path / name))  # fmt: skip
        for process in workers:
            output, _ = process.communicate(timeout=120)
            assert process.returncode == 0, output
    finally:
        site.stop()
    paths = Counter(path for _, path in site.arrivals)
    assert {p for p in paths if p.startswith("/tin/")} == {f"/tin/{n}.html" for n in range(16)}
    assert site.most_at_once <= 2
    starts = sorted(t for t, _ in site.arrivals)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= delay - 0.05, gaps  # the tolerance: thread start-up on the server
    # both workers took part (the slot shared the site between them)
    warcs = [p.name for name in ("w1", "w2") for p in (tmp_path / name / "warc").glob("*.warc.gz")]
    assert {w.split("-")[0] for w in warcs} == {"w1", "w2"}
    conn = redis.Redis.from_url(redis_url)
    assert conn.zcard("tintuc:crawl:1:requests:inflight") == 0  # every lease was released


@pytest.mark.e2e
def test_a_worker_joining_a_one_site_crawl_takes_a_share_of_it(redis_url, tmp_path):
    """A worker leases no more of one site's requests than the site lets it fetch soon (its
    concurrency, 1 here, and one more): w1 has read the home page's 12 links before w2 starts,
    and the rest waits in Redis for w2. Before, w1 leased up to its CONCURRENT_REQUESTS (16)
    ahead of the site's slot, all 12, and w2 fetched none."""
    delay = 2.0  # 12 pages take ~24 s: time for w2 to start on a loaded machine
    site = RecordingSite(pages=12, answer_seconds=0.1)
    try:
        run_tintuc("enqueue", "--start-url", site.url, "--redis", redis_url)
        workers = []
        for name in ("w1", "w2"):
            (tmp_path / name).mkdir()
            workers.append(start_tintuc(
                "worker", "--redis", redis_url, "--until-idle", "5", "--name", name,
                "-s", "TINTUC_LOCAL_FAST=False", "-s", f"DOWNLOAD_DELAY={delay}",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                "-s", "ROBOTSTXT_OBEY=False", "-s", f"USER_AGENT=tintuc-test {name}",
                cwd=tmp_path / name))  # fmt: skip
            deadline = time.monotonic() + 120
            while name == "w1" and not any(p.startswith("/tin/") for _, p in site.arrivals):
                assert time.monotonic() < deadline, "w1 fetched no linked page"
                time.sleep(0.2)
        for process in workers:
            output, _ = process.communicate(timeout=240)
            assert process.returncode == 0, output
    finally:
        site.stop()
    pages = {p: agent[-2:] for p, agent in site.agents.items() if p.startswith("/tin/")}
    assert sorted(Counter(path for _, path in site.arrivals).values())[-1] == 1  # each once
    assert len(pages) == 12
    by_worker = Counter(pages.values())
    assert by_worker["w2"] >= 2, by_worker
    starts = sorted(t for t, _ in site.arrivals)
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= delay - 0.1


MIRROR_SITES = """
[sites.mirror]
name = "Benchmark mirror"
province = "Bench"
kind = "newspaper"
start_urls = ["{base}"]
article_patterns = ['/tin-tuc/[a-z0-9-]+-\\d+\\.html$']
listing_patterns = ['^https?://[^/]+/$', '/chuyen-muc/[a-z-]+/trang-\\d+\\.html$']
checked_live = true
"""


# ~220 pages at 0.05 s apart: over 11 s, twice Scrapy's 5 s idle heartbeat, so that the worker
# that found the frontier empty at first still takes part (at full speed one did it all)
MIRROR_PACE = ["-s", "TINTUC_LOCAL_FAST=False", "-s", "DOWNLOAD_DELAY=0.05",
               "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]


@pytest.fixture
def mirror_site(tmp_path):
    """bench/mirror.py serving 200 synthetic articles (~220 pages of 100-250 KB); yields the
    path of a site registry naming it ``mirror``."""
    from conftest import ROOT

    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "mirror.py"), "serve",
                               "--pages", "200"], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        base = server.stdout.readline().split()[2]  # "mirror at URL pages=…"
        sites = tmp_path / "sites.toml"
        sites.write_text(MIRROR_SITES.format(base=base), encoding="utf-8")
        yield sites
    finally:
        server.terminate()
        server.communicate(timeout=10)


@pytest.mark.e2e
def test_two_workers_store_what_one_crawl_stores_over_a_mirror(mirror_site, redis_url, tmp_path):
    single = tmp_path / "single.db"
    run_tintuc("crawl", "mirror", "--sites", str(mirror_site), "--db", str(single),
               "-s", f"TINTUC_WARC_DIR={tmp_path / 'warc-single'}", timeout=300)  # fmt: skip

    shared = tmp_path / "archive.db"
    run_tintuc("enqueue", "mirror", "--sites", str(mirror_site), "--redis", redis_url)
    workers = []
    for name in ("w1", "w2"):
        (tmp_path / name).mkdir()
        workers.append(start_tintuc("worker", "--redis", redis_url, "--until-idle", "3",
                                    "--sites", str(mirror_site), "--name", name, *MIRROR_PACE,
                                    cwd=tmp_path / name))  # fmt: skip
    ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                            "--until-idle", "8", cwd=tmp_path)  # fmt: skip
    for process in [*workers, ingester]:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output

    assert len(article_urls(single)) == 200
    assert article_urls(shared) == article_urls(single)
    fetched = Counter(r["url"] for r in rows(shared, "SELECT url FROM captures"))
    assert [u for u, n in fetched.items() if n > 1 and not u.endswith("/robots.txt")] == []
    texts = {r["url"]: r["text"] for r in rows(single, "SELECT url, text FROM articles")}
    assert {r["url"]: r["text"] for r in rows(shared, "SELECT url, text FROM articles")} == texts
    # the near-duplicate signatures the workers computed are those the single crawl stored
    signatures = """SELECT url, signature FROM articles
                    JOIN story_minhash ON story_minhash.article_id = articles.id"""
    single_signatures = {r["url"]: r["signature"] for r in rows(single, signatures)}
    assert len(single_signatures) == 200
    assert {r["url"]: r["signature"] for r in rows(shared, signatures)} == single_signatures
    warcs = {c["warc_file"].split("/")[-1].split("-")[0]
             for c in rows(shared, "SELECT warc_file FROM captures")}  # fmt: skip
    assert warcs == {"w1", "w2"}


@pytest.mark.e2e
def test_a_crawl_ends_while_its_long_running_workers_wait_for_the_next(
    sample_portal, redis_url, tmp_path
):
    """Workers started as a deployment starts them (no --until-idle) leave a crawl once its
    frontier has stayed empty TINTUC_CRAWL_IDLE seconds: the crawl is finished, with its
    counts, while the workers stay up for the next crawl. Before, it stayed 'running'."""
    import signal

    base_url, manifest = sample_portal
    db_path = tmp_path / "archive.db"
    worker = start_tintuc("worker", "--redis", redis_url, "-s", "TINTUC_CRAWL_IDLE=2",
                          cwd=tmp_path)  # fmt: skip
    ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(db_path), cwd=tmp_path)
    try:
        run_tintuc("enqueue", "sample", "--start-url", base_url + "/", "--redis", redis_url)
        deadline, crawl, found = time.monotonic() + 240, None, None
        while time.monotonic() < deadline:
            found = db_path.exists() and rows(db_path, "SELECT * FROM crawls")
            if found and found[0]["status"] != "running":
                crawl = found[0]
                break
            time.sleep(0.5)
        assert crawl is not None, f"the crawl is still running: {found}"
        assert crawl["status"] == "finished" and crawl["pages"] > len(manifest["articles"]), crawl
        assert len(article_urls(db_path)) == len(manifest["articles"])
        assert worker.poll() is None  # still waiting for work
    finally:
        for process in (worker, ingester):
            process.send_signal(signal.SIGTERM)
        for process in (worker, ingester):
            process.communicate(timeout=60)


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_a_site_whose_crawl_is_running_is_not_enqueued_twice(redis_url):
    first = run_tintuc("enqueue", "sample", "--redis", redis_url)
    assert "crawl 1 of sample enqueued" in first.stdout
    again = run_tintuc("enqueue", "sample", "--redis", redis_url, check=False)
    assert again.returncode == 1 and "crawl 1 of sample is still running" in again.stderr
    forced = run_tintuc("enqueue", "sample", "--redis", redis_url, "--force")
    assert "crawl 2 of sample enqueued" in forced.stdout
    assert sorted(running_crawls(connect(redis_url))) == [1, 2]


DISTRICTS = ("Mường Tè", "Sìn Hồ", "Phong Thổ", "Tam Đường", "Than Uyên", "Nậm Nhùn")


class FiledTwice(BaseHTTPRequestHandler):
    """A district portal whose articles are each at three URLs: filed in two sections
    (``/thoi-su/<slug>-3.html``, ``/kinh-te/<slug>-3.html``) and as a print view
    ``/in-bai?id=3`` naming the first in ``<link rel=canonical>``. Its home page links the
    first section only; the other two listings (``/kinh-te/``, ``/ban-in/``) are linked from
    nowhere, seeded into the frontier by the test."""

    def do_GET(self):  # noqa: N802
        path, _, query = self.path.partition("?")
        body = head = None
        title = "Cổng thông tin huyện"
        if path == "/":
            body = "<a href='/thoi-su/'>Thời sự</a>"
        elif path in ("/thoi-su/", "/kinh-te/", "/ban-in/"):
            body = "".join(f"<h3><a href='{self.article_url(path, n)}'>{self.title(n)}</a></h3>"
                           for n in range(len(DISTRICTS)))  # fmt: skip
        elif path.endswith(".html") or path == "/in-bai":
            n = int(query.removeprefix("id=") if query else path.rsplit("-", 1)[1][:-5])
            title = self.title(n)
            if path == "/in-bai":
                head = f"<link rel='canonical' href='{self.article_url('/thoi-su/', n)}'>"
            body = (f"<article><h1>{title}</h1><p class='date'>02/03/2026</p><p>{title}: "
                    "công trình gồm tám phòng học và nhà bán trú, đưa vào sử dụng trước năm "
                    "học mới với sự hỗ trợ của tỉnh và các nhà hảo tâm.</p></article>")
        if body is not None:
            body = (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
                    f"{head or ''}</head><body><main>{body}</main></body></html>").encode()
        send_page(self, body)

    @staticmethod
    def title(n: int) -> str:
        return f"Huyện {DISTRICTS[n]} khánh thành trường học mới cho con em đồng bào"

    @staticmethod
    def article_url(listing: str, n: int) -> str:
        if listing == "/ban-in/":
            return f"/in-bai?id={n}"
        return f"{listing}khanh-thanh-truong-hoc-moi-cho-con-em-dong-bao-{n}.html"

    def log_message(self, *args):
        pass


def seed_frontier(redis_url: str, token: int, urls: list[str], errback: str | None = None) -> None:
    """Put requests in a crawl's frontier as a worker's scheduler does (scrapy-redis's
    priority queue of pickled request dicts), with the spider's ``errback`` (a method name)."""
    conn = redis.Redis.from_url(redis_url)
    key = queue_keys(token)["SCHEDULER_QUEUE_KEY"]
    for url in urls:
        request = {**scrapy.Request(url).to_dict(), "errback": errback}
        conn.zadd(key, {pickle.dumps(request, protocol=-1): 0})


@pytest.mark.e2e
def test_an_article_fetched_at_two_urls_by_two_workers_is_stored_once(redis_url, tmp_path):
    """The tables that make one article at several URLs one row (a URL spelt another way, a
    page naming its canonical URL) are the crawl's, shared by its workers: the second worker
    fetches the other spellings of what the first stored, and stores none of them (in each
    worker's memory, each stored its own copy: 12 rows more than articles)."""
    shared = tmp_path / "archive.db"
    with serving(FiledTwice) as (base, _):
        run_tintuc("enqueue", "--start-url", base + "/", "--redis", redis_url)
        # one after the other on one crawl: w1 fetches the first section and leaves (no
        # ingester runs yet, so the crawl is still running), w2 the other listings
        for name, seeds in (("w1", []), ("w2", ["/kinh-te/", "/ban-in/"])):
            seed_frontier(redis_url, 1, [base + s for s in seeds])
            (tmp_path / name).mkdir()
            finished(start_tintuc("worker", "--redis", redis_url, "--until-idle", "2",
                                  "--name", name, cwd=tmp_path / name))  # fmt: skip
        finished(start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                              "--until-idle", "3", cwd=tmp_path))  # fmt: skip
    captures = rows(shared, "SELECT url, warc_file FROM captures WHERE error IS NULL")
    fetched_by = {c["url"].removeprefix(base): c["warc_file"].split("/")[-1].split("-")[0]
                  for c in captures}  # fmt: skip
    assert fetched_by["/thoi-su/"] == "w1" and fetched_by["/kinh-te/"] == "w2", fetched_by
    assert fetched_by["/in-bai?id=0"] == "w2", fetched_by
    stored = rows(shared, "SELECT url, title FROM articles")
    assert len(stored) == len(DISTRICTS), sorted(r["url"].removeprefix(base) for r in stored)
    assert {r["url"].removeprefix(base).split("/")[1] for r in stored} == {"thoi-su"}
    conn = redis.Redis.from_url(redis_url)  # the tables are the crawl's, and end with it
    for table in ("spellings", "fingerprints"):
        assert 0 < conn.ttl(f"tintuc:crawl:1:requests:{table}") <= TABLE_TTL


@pytest.mark.e2e
def test_pages_that_waited_for_their_canonical_url_are_its_aliases(redis_url, tmp_path):
    """Print views found first (the crawl starts at their listing), each naming an article URL
    no page links: each waits while its canonical URL is fetched, by either of two workers,
    and once that shows the same article it is an address of it (before: 6 articles, 0
    aliases; its capture only said so)."""
    shared = tmp_path / "archive.db"
    with serving(FiledTwice) as (base, _):
        run_tintuc("enqueue", "--start-url", base + "/ban-in/", "--redis", redis_url)
        workers = [start_tintuc("worker", "--redis", redis_url, "--until-idle", "2",
                                "--name", f"w{n}", cwd=tmp_path) for n in (1, 2)]  # fmt: skip
        for worker in workers:
            finished(worker)
        finished(start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                              "--until-idle", "3", cwd=tmp_path))  # fmt: skip
    stored = rows(shared, "SELECT url FROM articles")
    assert sorted(r["url"].removeprefix(base) for r in stored) == [
        FiledTwice.article_url("/thoi-su/", n) for n in range(len(DISTRICTS))]
    aliases = rows(shared, "SELECT article_aliases.url, articles.url AS article_url "
                           "FROM article_aliases JOIN articles ON articles.id = article_id")
    assert {(a["url"].removeprefix(base), a["article_url"].removeprefix(base))
            for a in aliases} == {(FiledTwice.article_url("/ban-in/", n),
                                   FiledTwice.article_url("/thoi-su/", n))
                                  for n in range(len(DISTRICTS))}  # fmt: skip


SECTIONS = {3: "Thời sự", 4: "Kinh tế", 5: "Văn hóa", 6: "Xã hội"}
PLACES = ["Xã Quan Lạn", "Huyện Cô Tô", "Thị xã Quảng Yên", "Huyện Ba Chẽ"]
EVENTS = ["khánh thành nhà văn hóa thôn", "ra quân làm đường giao thông nông thôn",
          "tổng kết mùa vụ lúa đông xuân", "trao nhà đại đoàn kết cho hộ nghèo"]  # fmt: skip
# article 10 * section + n: its title
ARTICLES = {10 * c + n: f"{PLACES[n]} {EVENTS[(n + c) % 4]} ({SECTIONS[c].lower()})"
            for c in SECTIONS for n in range(4)}  # fmt: skip


class TwoContextPortal(BaseHTTPRequestHandler):
    """A Joomla portal linking each article in two contexts: the home page's menu item
    (``id=N&Itemid=120``) and its section's (``id=N:slug&catid=C&Itemid=10C``), one page.
    Its listings show their links as teaser headlines to a User-Agent naming ``w1`` (``?id``
    names the item: learned from them), as a plain list to any other (nothing to learn
    from)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        nav = "".join(f"<a href='/index.php?option=com_content&amp;view=category&amp;id={c}"
                      f"&amp;Itemid=10{c}'>{name}</a>" for c, name in SECTIONS.items())
        article = "/index.php?option=com_content&amp;view=article&amp;id="
        links = None
        if parts.path == "/" and not query:
            links = {a: f"{article}{a}&amp;Itemid=120" for a in ARTICLES}
        elif query.get("view") == "category" and int(query.get("id", 0)) in SECTIONS:
            c = int(query["id"])
            links = {a: f"{article}{a}:bai-{a}&amp;catid={c}&amp;Itemid=10{c}"
                     for a in ARTICLES if a // 10 == c}  # fmt: skip
        main = None
        if links and "w1" in self.headers.get("User-Agent", ""):
            main = "".join(f"<div class='item'><h3><a href='{url}'>{ARTICLES[a]}</a></h3></div>"
                           for a, url in links.items())  # fmt: skip
        elif links:
            main = "<ul>" + "".join(f"<li><a href='{url}'>{ARTICLES[a]}</a></li>"
                                    for a, url in links.items()) + "</ul>"  # fmt: skip
        elif query.get("view") == "article" and query.get("id", "").split(":")[0].isdigit():
            a = int(query["id"].split(":")[0])
            if a in ARTICLES:
                main = (f"<h1>{ARTICLES[a]}</h1><p class='date'>2{a % 10}/12/2025 08:00</p>"
                        f"<p>Sáng 2{a % 10}/12, {ARTICLES[a].lower()} với sự tham dự của lãnh "
                        "đạo huyện, các ban ngành đoàn thể và đông đảo bà con nhân dân trong "
                        "vùng, đánh dấu một bước tiến trong phát triển địa phương.</p><p>Dịp "
                        "này, địa phương biểu dương các tập thể, cá nhân có nhiều đóng góp.</p>")
        body = None if main is None else (
            "<html lang='vi'><head><meta charset='utf-8'><title>"
            f"{ARTICLES.get(int(query.get('id', '0').split(':')[0] or 0), 'Trang chủ')}"
            f"</title></head><body><nav><a href='/'>Trang chủ</a>{nav}</nav><main>{main}</main>"
            "<footer>Cổng thông tin điện tử xã. Cơ quan chủ quản: Ủy ban nhân dân xã.</footer>"
            "</body></html>").encode()  # fmt: skip
        send_page(self, body)

    def log_message(self, *args):
        pass


@pytest.mark.e2e
def test_what_one_worker_learns_of_item_urls_all_use(redis_url, tmp_path):
    """Which part of a URL names the item (``ItemParts``) is the crawl's, as the spellings
    are: worker w2 sees no teaser headline to learn it from, and each of its copies of an
    article met in the other context was stored again (measured: 27-32 rows for 16 articles
    before, 16 since). Both contexts' copies are keyed by the item only once the part naming
    it has been learned: here, by w1 on the home page it fetches first."""
    shared = tmp_path / "archive.db"
    with serving(TwoContextPortal) as (base, _):
        run_tintuc("enqueue", "--start-url", base + "/", "--redis", redis_url)
        conn = redis.Redis.from_url(redis_url)
        workers = []
        for name in ("w1", "w2"):
            (tmp_path / name).mkdir()
            workers.append(start_tintuc(
                "worker", "--redis", redis_url, "--until-idle", "3", "--name", name, *SLOW,
                # one request at a time (written when a worker leased up to CONCURRENT_REQUESTS
                # of a site ahead and the first one took all of a one-site crawl; kept)
                "-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=0.8",
                "-s", f"USER_AGENT=tintuc-test {name}", cwd=tmp_path / name))  # fmt: skip
            # w1 reads the home page (and learns there); w2 then fetches some of its links
            deadline = time.monotonic() + 60
            while name == "w1" and not any(json.loads(f[b"m"]).get("row", {}).get("url") ==
                                           base + "/" for _, f in conn.xrange(STREAM)):
                assert time.monotonic() < deadline, "w1 did not fetch the home page"
                time.sleep(0.2)
        ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                                "--until-idle", "10", cwd=tmp_path)  # fmt: skip
        outputs = []
        for process in [*workers, ingester]:
            outputs.append(process.communicate(timeout=240)[0])
            assert process.returncode == 0, outputs[-1]
    stored = rows(shared, "SELECT url, title FROM articles")
    titles = Counter(r["title"] for r in stored)
    captures = rows(shared, "SELECT url, warc_file FROM captures WHERE url LIKE '%view=article%'")
    by_worker = Counter(c["warc_file"].split("/")[-1][:2] for c in captures)
    assert by_worker["w1"] and by_worker["w2"], by_worker  # both fetched articles
    assert len({c["url"] for c in captures}) > len(ARTICLES)  # some met in both contexts
    assert titles == Counter(ARTICLES.values()), [r["url"] for r in stored]


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_an_address_a_worker_paired_is_an_alias_of_the_article_the_ingester_stores(
        redis_url, tmp_path):
    """A worker's spelling test pairs a page with one it extracted (``PageDecision.alias_of``):
    the ingester records it as an address of that article, in the batch the article is stored
    in or a later one, as ``tintuc crawl`` does (persona15)."""
    from crawler.sites import generic_profile

    conn = connect(redis_url)
    token = enqueue(conn, generic_profile("http://127.0.0.1:9/"), None, "http://127.0.0.1:9/")
    first = "http://127.0.0.1:9/thoi-su/bai-1.html"
    other = "http://127.0.0.1:9/kinh-te/bai-1.html"  # the same article filed in two sections
    key = "warc/w1-x.warc.gz#500"
    for message in (
        {"type": "capture", "crawl": token, "key": key,
         "row": {"url": other, "final_url": other, "status": 200, "time": "2026-01-01T00:00:00",
                 "warc_file": "warc/w1-x.warc.gz", "warc_offset": 500, "warc_length": 9}},
        {"type": "decision", "crawl": token, "url": other, "capture_id": key, "kind": "other",
         "reason": f"the same page as {first}", "gone": False, "alias_of": first},
    ):  # fmt: skip  (the decision comes before its article: the next batch pairs them)
        conn.xadd(STREAM, {"m": json.dumps(message)})
    ingester = Ingester(conn, str(tmp_path / "archive.db"))
    ingester.run(until_idle=0.1)
    send_results(conn, token, first, offset=0)
    ingester.run(until_idle=0.1)
    ingester.close()
    aliases = rows(tmp_path / "archive.db", "SELECT al.url, a.url AS article, c.url AS capture "
                    "FROM article_aliases al JOIN articles a ON a.id = al.article_id "
                    "JOIN captures c ON c.id = al.capture_id")  # fmt: skip
    assert aliases == [{"url": other, "article": first, "capture": other}]


@pytest.mark.e2e  # a real redis-server (make test installs it)
def test_an_alias_waits_no_more_once_its_address_is_judged_no_article(redis_url, tmp_path):
    """The ingester's pages paired with another (a decision's ``alias_of``, an ``alias``
    message) wait for an article there only until that address is judged no article in the
    crawl (before: looked up again at every batch while the crawl ran)."""
    from crawler.sites import generic_profile

    conn = connect(redis_url)
    token = enqueue(conn, generic_profile("http://127.0.0.1:9/"), None, "http://127.0.0.1:9/")
    first = "http://127.0.0.1:9/thoi-su/"
    for message in (
        {"type": "decision", "crawl": token, "url": first + "?a=1", "capture_id": None,
         "kind": "other", "reason": "spelling", "gone": False, "alias_of": first},
        {"type": "decision", "crawl": token, "url": first, "capture_id": None,
         "kind": "listing", "reason": "12 teaser headlines", "gone": False, "alias_of": None},
        {"type": "alias", "crawl": token, "url": first + "?in=1", "alias_of": first,
         "capture_id": None},
    ):  # fmt: skip
        conn.xadd(STREAM, {"m": json.dumps(message)})
    ingester = Ingester(conn, str(tmp_path / "archive.db"))
    ingester.run(until_idle=0.1)
    ingester.close()
    assert ingester.spider_aliases == {1: []}


MOBILE_HOST = "tinhdong.vn"


class MobileEditionSite(BaseHTTPRequestHandler):
    """A site and its mobile edition ``m.``, served as the crawl's HTTP proxy. The site's home
    page lists articles 1-4 and an old URL of article 5 (``/tin/cu-5.html``: 301 to a hop, 302
    to ``/tin/a5.html``); article 1 links its mobile copy. The mobile home page lists 1-4 again
    and is linked from nowhere: the test seeds it, and the mobile copy of the old URL, into the
    frontier for the second worker. Records (User-Agent, host, path) of each request."""

    def do_GET(self):  # noqa: N802 (the crawl's proxy requests name the host in the URL)
        parts = urlsplit(self.path)
        self.server.asked.append((self.headers["User-Agent"], parts.hostname, parts.path))
        mobile = parts.hostname != MOBILE_HOST
        if parts.path.startswith("/tin/cu-"):
            return self.redirect(301, "/tin/tam-5.html")  # on the host asked
        if parts.path == "/tin/tam-5.html":
            return self.redirect(302, f"http://{MOBILE_HOST}/tin/a5.html")
        body = None
        if parts.path == "/":
            old = "" if mobile else "<p><a href='/tin/cu-5.html'>Bài cũ</a></p>"
            body = self.page("Trang chủ", "".join(
                f"<h3><a href='/tin/a{n}.html'>{self.title(n)}</a></h3>" for n in range(1, 5))
                + old)  # fmt: skip
        elif parts.path in {f"/tin/a{n}.html" for n in range(1, 6)}:
            n = int(parts.path[6])
            copy = (f"<a href='http://m.{MOBILE_HOST}/tin/a1.html'>Bản di động</a>"
                    if n == 1 and not mobile else "")  # fmt: skip
            body = self.page(self.title(n), f"<article><h1>{self.title(n)}</h1><p class='date'>"
                             f"0{n}/02/2026</p><p>{self.title(n)}: công trình được người dân "
                             "trong vùng mong đợi suốt nhiều năm qua, góp phần thúc đẩy kinh tế "
                             f"địa phương phát triển bền vững.</p></article>{copy}")  # fmt: skip
        send_page(self, body)

    def redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    @staticmethod
    def title(n: int) -> str:
        return f"{DISTRICTS[n]} khánh thành cây cầu thứ {n} nối hai bờ sông"

    @staticmethod
    def page(title: str, main: str) -> bytes:
        return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
                f"<body><nav><a href='/'>Trang chủ</a></nav><main>{main}</main></body>"
                "</html>").encode()  # fmt: skip

    def log_message(self, *args):
        pass


@pytest.mark.e2e
def test_what_one_worker_learns_of_mirrors_and_redirects_all_use(redis_url, tmp_path,
                                                                 monkeypatch):  # fmt: skip
    """Which hosts mirror the site, what was asked for at each, and which pages a redirect
    asked for are the crawl's: w1 crawls the site, finds ``m.`` a mirror and follows the old
    URL's redirects to article 5; w2 then reads the mobile home page and the mobile copy of
    the old URL. Each worker alone (before): w2 fetched the four mobile copies again, and the
    shared dupefilter dropped its second chain's last redirect without a word (its two 3xx
    captures kept no reason)."""
    shared = tmp_path / "archive.db"
    with serving(MobileEditionSite) as (proxy, server):
        server.asked = []
        monkeypatch.setenv("http_proxy", proxy)  # both host names reach the test site
        run_tintuc("enqueue", "--start-url", f"http://{MOBILE_HOST}/", "--redis", redis_url)
        for name, seeds in (("w1", []), ("w2", ["/", "/tin/cu-5.html"])):
            seed_frontier(redis_url, 1, [f"http://m.{MOBILE_HOST}{s}" for s in seeds],
                          errback="on_error")  # as the spider's own requests
            (tmp_path / name).mkdir()
            finished(start_tintuc("worker", "--redis", redis_url, "--until-idle", "2",
                                  "--name", name, "-s", f"USER_AGENT=tintuc-test {name}",
                                  "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path / name))  # fmt: skip
        finished(start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                              "--until-idle", "3", cwd=tmp_path))  # fmt: skip
    by_w1 = {(h, p) for ua, h, p in server.asked if ua.endswith("w1")}
    assert (f"m.{MOBILE_HOST}", "/tin/a1.html") in by_w1  # the copy that shows the mirror
    assert (MOBILE_HOST, "/tin/a5.html") in by_w1  # reached by the old URL's redirects
    mobile_by_w2 = [p for ua, h, p in server.asked if ua.endswith("w2") and h.startswith("m.")]
    assert sorted(mobile_by_w2) == ["/", "/robots.txt", "/tin/cu-5.html", "/tin/tam-5.html"]
    hops = rows(shared, "SELECT url, status, page_reason FROM captures WHERE status IN (301, 302)")
    assert len(hops) == 4, hops  # each chain's two redirects
    assert all(h["page_reason"] for h in hops), hops
    assert any(h["url"].startswith("http://m.") and h["page_reason"].endswith(
        "(HTTP 302), a page the crawl has already asked for") for h in hops), hops  # fmt: skip
    stored = rows(shared, "SELECT url, title FROM articles")
    assert sorted(r["url"] for r in stored) == [f"http://{MOBILE_HOST}/tin/a{n}.html"
                                                for n in range(1, 6)]  # fmt: skip
    conn = redis.Redis.from_url(redis_url)  # the mirrors are the crawl's, and end with it
    for table in ("mirrors:families", "mirrors:requested"):
        assert 0 < conn.ttl(f"tintuc:crawl:1:requests:{table}") <= TABLE_TTL
