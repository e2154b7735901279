"""A crawl killed with SIGKILL (the scheduler after ``--grace``, the OOM killer) takes its
extraction pool with it: fork server, workers and resource tracker, nothing reparented to init."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.e2e  # a real crawl of the sample portal


def started(pid: int) -> int | None:
    """The start time of ``pid`` (clock ticks since boot), or None once it has ended: with the
    pid, it names one process even if the pid is reused. A zombie has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[19])


def children(pid: int) -> list[int]:
    """The children of ``pid``, whichever of its threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the thread or the process has ended
            pass
    return found


def descendants(pid: int) -> dict[int, int | None]:
    """Every process below ``pid``, as pid -> start time."""
    found = {}
    for child in children(pid):
        found[child] = started(child)
        found.update(descendants(child))
    return found


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:160]
    except OSError:
        return "?"


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return result


def test_sigkilled_crawl_leaves_no_process_behind(sample_portal, tmp_path):
    base_url, _ = sample_portal
    slow = ["-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TINTUC_EXTRACT_WORKERS=2"]  # fmt: skip
    crawl = subprocess.Popen(
        [sys.executable, "-m", "tintuc", "crawl", "sample", "--start-url", base_url + "/",
         "--db", str(tmp_path / "archive.db"), *slow],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:

        def extraction_workers():
            forkservers = [p for p in children(crawl.pid) if "forkserver" in command(p)]
            return forkservers and children(forkservers[0])

        wait_for(extraction_workers, 60, "the crawl's extraction workers")
        below = descendants(crawl.pid)
        kinds = " ".join(command(pid) for pid in below)
        assert "resource_tracker" in kinds and "forkserver" in kinds  # the whole pool is there
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=10)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()

    def still_alive():
        return {
            pid: command(pid) for pid, start in below.items() if start and started(pid) == start
        }

    deadline = time.monotonic() + 5
    while (left := still_alive()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == {}, f"left behind by the killed crawl: {left}"


def test_ctrl_c_in_a_terminal_stops_the_crawl_cleanly(tmp_path):
    """Ctrl-C reaches the whole process group: the crawl and its extraction workers. A worker
    that died of it broke the pool under the crawl, which then hung, 'running', for ever; the
    workers now leave SIGINT to the crawl, which stops and records the crawl."""
    import sqlite3

    from sites import LocalSite

    site = LocalSite("cms", articles=600).start()  # far more than the crawl reaches here
    db_path = tmp_path / "archive.db"
    crawl = subprocess.Popen(
        [sys.executable, "-m", "tintuc", "crawl", "--start-url", site.base_url + "/",
         "--db", str(db_path), "-s", "TINTUC_EXTRACT_WORKERS=2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )  # fmt: skip

    def some_stored():
        try:
            with sqlite3.connect(db_path) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 3
        except sqlite3.Error:
            return False

    try:
        wait_for(some_stored, 90, "three stored articles")
        os.killpg(crawl.pid, signal.SIGINT)
        out, err = crawl.communicate(timeout=60)
    finally:
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()
        site.stop()
    assert "Traceback" not in err, err[-3000:]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT status FROM crawls").fetchall() == [("shutdown",)]
    assert ": shutdown;" in out, (out, err[-2000:])
