"""Shared fixtures: the sample portal served from 127.0.0.1 and real crawls in subprocesses.

Crawls run in their own process (as users run them), so Scrapy's reactor never starts inside
pytest and cannot clash with Datasette's event loop in the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tintuc.demo import SAMPLE_PORTAL, serve_sample_portal

# Property tests (tests/test_extract_fuzz.py): 200 examples each in `make test` and CI, 25 in
# `make test-fast` (--hypothesis-profile=fast), which must stay under 30 s.
hypothesis_settings.register_profile("full", max_examples=200)
hypothesis_settings.register_profile("fast", max_examples=25)
hypothesis_settings.load_profile("full")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # real pages and benchmarks, kept beside the clone, not in it
MANIFEST = json.loads((SAMPLE_PORTAL / "manifest.json").read_text(encoding="utf-8"))


def run_tintuc(*args: str, cwd: Path | None = None, timeout: int = 120, check: bool = True):
    """Run the ``tintuc`` CLI in a subprocess; return the CompletedProcess."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tintuc", *args],
        cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"tintuc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def send_page(handler: BaseHTTPRequestHandler, body: bytes | None,
              ctype: str = "text/html; charset=utf-8") -> None:
    """Answer a test site's request: ``body`` as a UTF-8 HTML page (or of ``ctype``), or a 404
    when None."""
    handler.send_response(200 if body is not None else 404)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body or b"")))
    handler.end_headers()
    handler.wfile.write(body or b"")


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """A test site served by ``handler`` on 127.0.0.1 in a thread: its base URL and server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


# What a local test site answers for a path: a page (bytes, or str sent as UTF-8 HTML), None
# for a 404, or (status, headers, body) for anything else (a redirect, another content type).
Answer = bytes | str | None | tuple[int, dict[str, str], bytes | str]


class PagesHandler(BaseHTTPRequestHandler):
    """Answers GETs from ``server.pages``: a dict ``path -> Answer`` or a function of the path
    (with its query) returning one; records each path asked in ``server.paths``. Subclass it
    to answer other methods too."""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.paths.append(self.path)
        pages = self.server.pages
        self.send_answer(pages(self.path) if callable(pages) else pages.get(self.path))

    def send_answer(self, answer: Answer) -> None:
        status, headers, body = answer if isinstance(answer, tuple) else (
            404 if answer is None else 200, {}, answer or b"")  # fmt: skip
        body = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": "text/html; charset=utf-8", **headers}
        headers.setdefault("Content-Length", str(len(body)))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve_pages(pages, handler: type[PagesHandler] = PagesHandler
                ) -> Iterator[tuple[str, list[str]]]:
    """``pages`` (see :class:`PagesHandler`) served on 127.0.0.1 at a free port: its base URL and
    the list of paths asked so far."""
    with serving(handler) as (base, server):
        server.pages, server.paths = pages, []
        yield base, server.paths


@dataclass
class SiteCrawl:
    base: str  # the site's base URL, as the archive's URLs start
    db_path: Path
    paths: list[str]  # every path the crawl asked, in order
    result: subprocess.CompletedProcess


def crawl_site(pages, folder: Path, *options: str, handler: type[PagesHandler] = PagesHandler,
               timeout: int = 120) -> SiteCrawl:
    """Serve ``pages`` (see :class:`PagesHandler`), crawl them from the home page with the real
    CLI (no profile; ``options`` added to its command line) into ``folder/archive.db``."""
    db_path = folder / "archive.db"
    with serve_pages(pages, handler) as (base, paths):
        result = run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path), *options,
                            timeout=timeout)  # fmt: skip
    return SiteCrawl(base, db_path, paths, result)


def query(db_path, sql: str, params=()) -> list[dict]:
    """Rows of ``sql`` on the archive at ``db_path``, as dicts (a fresh connection each call)."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()

# one registered test site ("thu") at a served base URL: its articles by pattern, its home page
# a listing, no politeness delay
THU_SITES_TOML = """\
[sites.thu]
name = "Báo Thử Nghiệm"
province = "Thử Nghiệm"
kind = "newspaper"
start_urls = ["{base}/"]
article_patterns = ['/bai-viet/[a-z0-9-]+-\\d+\\.html$']
listing_patterns = ['^https?://[^/]+/$']
checked_live = false
politeness = {{ download_delay = 0, concurrency = 8, autothrottle = false }}
"""


def crawl_twice(pages, tmp: Path, *settings: str, handler: type[PagesHandler] = PagesHandler,
                timeout: int = 120):
    """Two ``--full`` crawls of site "thu" answered by ``pages(path, later)`` (an
    :data:`Answer`), ``later`` True for the second crawl (the site has turned some pages
    worse): the base URL, the archive's path and each crawl's rows of articles, keyed by
    path."""
    db_path, sites = tmp / "archive.db", tmp / "sites.toml"
    snapshots, turn = [], {"later": False}
    with serve_pages(lambda path: pages(path, turn["later"]), handler) as (base, _):
        sites.write_text(THU_SITES_TOML.format(base=base), encoding="utf-8")
        crawl = ("crawl", "thu", "--sites", str(sites), "--db", str(db_path), "--full",
                 *(arg for s in settings for arg in ("-s", s)))  # fmt: skip
        for later in (False, True):
            turn["later"] = later
            run_tintuc(*crawl, timeout=timeout)
            snapshots.append({r["url"][len(base):]: r for r in query(
                db_path, "SELECT * FROM articles")})  # fmt: skip
    return base, db_path, snapshots


def crawl_errors(crawled, path: str) -> list[str]:
    """The crawl errors recorded for ``path`` of a :func:`crawl_twice` site."""
    base, db_path, _ = crawled
    return [r["error"] for r in query(db_path, "SELECT error FROM crawl_errors WHERE url = ?",
                                      [base + path])]  # fmt: skip



SESSION_VAR, SESSION_ID = "TINTUC_TEST_SESSION", f"{os.getpid()}-{time.time_ns()}"


def processes_of_this_session() -> dict[int, str]:
    """Live processes (pid -> command line) of this venv's Python started during this test
    session: they carry ``SESSION_VAR`` in their environment, inherited from pytest. The mark
    tells them apart from processes of other test runs on the same machine, even once
    orphaned."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        marked = f"{SESSION_VAR}={SESSION_ID}".encode() in environ
        ours = marked and args[0].startswith(sys.prefix + os.sep)
        if ours and state != "Z":  # a zombie is only an exit status waiting to be read
            found[int(entry.name)] = " ".join(args).strip()[:200]
    return found


def pytests_own_helpers() -> set[int]:
    """Multiprocessing helpers of pytest's own process (a test used a pool or a lock): they
    end with pytest, by design."""
    from multiprocessing import forkserver, resource_tracker

    return {forkserver._forkserver._forkserver_pid, resource_tracker._resource_tracker._pid}


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind():
    """Fail the run if it leaves a process behind: a crawl, a forkserver or extraction worker,
    a resource tracker, a server, orphaned or still a child of pytest. Those found are named,
    then killed, so one bad run does not leave ~190 MB per crawl on the machine."""
    os.environ[SESSION_VAR] = SESSION_ID  # every process started from now on inherits it
    yield
    deadline = time.monotonic() + 10  # a process killed by the last teardown may still be ending
    while True:
        left = {pid: args for pid, args in processes_of_this_session().items()
                if pid not in pytests_own_helpers()}  # fmt: skip
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if left:
        named = "\n".join(f"  pid {pid}: {args}" for pid, args in sorted(left.items()))
        pytest.fail(f"the test session left processes behind:\n{named}", pytrace=False)


@pytest.fixture(scope="session")
def sample_portal():
    """The bundled sample portal on a free port: yields (base_url, manifest)."""
    base_url, stop = serve_sample_portal(0)
    yield base_url.rstrip("/"), MANIFEST
    stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def port_in_use() -> Iterator[int]:
    """A port of 127.0.0.1 that another program listens on, for as long as the block runs."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def start_redis(port: int, folder: Path, *options: str) -> subprocess.Popen:
    """Debian's ``redis-server`` on 127.0.0.1:``port`` with its data in ``folder``, once it
    accepts connections (skips the test when it is not installed: ``make test`` installs it)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (make test installs Debian's redis-server)")
    folder.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder),
         *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:  # ready when it accepts a connection
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)


@pytest.fixture
def redis_url(tmp_path):
    """A real Debian ``redis-server`` on 127.0.0.1 at a free port, data in a temp folder, no
    persistence; yields its URL and stops it after the test."""
    port = free_port()
    process = start_redis(port, tmp_path / "redis", "--appendonly", "no")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def capture(db, warc, url: str, body: bytes, content_type: str = "text/html; charset=utf-8",
            time: str | None = None) -> int:
    """Write one 200 answer to ``warc`` (a :class:`pipelines.archive.warc.WarcFile` at
    ``warc/crawl-1.warc.gz`` beside the archive) and its ``captures`` row, as the capture
    middleware does; returns the capture id."""
    stored = warc.write_exchange(url, "GET", [], 200, "OK", [("Content-Type", content_type)], body)
    return db["captures"].insert({
        "url": url, "final_url": url, "status": 200, "content_type": content_type, "time": time,
        "size": len(body), "sha1": stored.sha1, "warc_file": "warc/crawl-1.warc.gz",
        "warc_offset": stored.offset, "warc_length": stored.length,
    }).last_pk  # fmt: skip


def require_shared(relative: str) -> Path:
    """``../shared/<relative>``, or skip the test (or module) with one line saying what is missing.

    A newcomer's clone has no ../shared, and its `make test` must still pass. CI sets
    TINTUC_REQUIRE_FIXTURES=1 so that a missing folder fails instead: there every real-page
    test must run.
    """
    path = SHARED / relative
    if not path.exists():
        message = (f"../shared/{relative} is missing: "
                   "real-page tests need the shared fixtures beside the clone")
        if os.environ.get("TINTUC_REQUIRE_FIXTURES") == "1":
            pytest.fail(f"{message} (TINTUC_REQUIRE_FIXTURES=1)", pytrace=False)
        pytest.skip(message, allow_module_level=True)
    return path


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """The folder of real Vietnamese pages with their truth files (../shared/fixtures/vn)."""
    return require_shared("fixtures/vn")
