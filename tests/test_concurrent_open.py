"""Several processes creating and migrating one new archive at once (the scheduler starts crawls
side by side): every one of them opens it, and the schema is built exactly once."""

from __future__ import annotations

import fcntl
import multiprocessing
import subprocess
import sys
import threading

import pytest
import sqlite_utils
from click.testing import CliRunner
from conftest import ROOT, query

from pipelines.archive import schema
from pipelines.archive.schema import ArchiveOpenError, migrations, open_archive
from tintuc.cli.crawling import crawl

OPENERS = 6


def schema_of(db_path) -> list[tuple]:
    return [tuple(r.values()) for r in query(db_path, "SELECT type, name, sql FROM sqlite_master "
                                                      "ORDER BY type, name")]  # fmt: skip


def open_and_close(db_path: str, barrier) -> None:
    barrier.wait()  # all openers start together
    open_archive(db_path).close()


def assert_built_once(db_path, reference) -> None:
    assert schema_of(db_path) == schema_of(reference)  # one set of tables, nothing half-made
    applied = [r["name"] for r in query(db_path, "SELECT name FROM _sqlite_migrations")]
    every_migration = [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]
    assert applied == every_migration  # each applied once, in order


@pytest.fixture
def reference(tmp_path):
    path = tmp_path / "reference.db"
    open_archive(path).close()
    return path


def test_threads_open_a_new_archive_at_once(tmp_path, reference):
    db_path = str(tmp_path / "new.db")
    barrier = threading.Barrier(OPENERS)
    errors: list[BaseException] = []

    def opener():
        try:
            open_and_close(db_path, barrier)
        except BaseException as exc:  # noqa: BLE001 - collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(OPENERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert_built_once(db_path, reference)


@pytest.mark.e2e  # six processes
def test_processes_open_a_new_archive_at_once(tmp_path, reference):
    db_path = str(tmp_path / "new.db")
    context = multiprocessing.get_context("spawn")  # no fork of the pytest process
    barrier = context.Barrier(OPENERS)
    processes = [context.Process(target=open_and_close, args=(db_path, barrier))
                 for _ in range(OPENERS)]  # fmt: skip
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * OPENERS
    assert_built_once(db_path, reference)


@pytest.fixture
def held_setup_lock(tmp_path, monkeypatch):
    """A new archive path whose setup lock another process holds; openers give up after 0.2 s."""
    db_path = tmp_path / "new.db"
    monkeypatch.setattr(schema, "SETUP_TIMEOUT_S", 0.2)
    with open(f"{db_path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a distinct open file: excludes openers in this process
        yield db_path


def test_open_archive_says_why_it_cannot_open(held_setup_lock):
    with pytest.raises(ArchiveOpenError) as raised:
        open_archive(held_setup_lock)
    assert str(raised.value) == (f"cannot open the archive {held_setup_lock}: another process "
                                 "has been creating or migrating it for 0.2 s")  # fmt: skip


def test_crawl_that_cannot_open_the_archive_says_so_in_one_line(held_setup_lock):
    result = CliRunner().invoke(crawl, ["sample", "--db", str(held_setup_lock)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: cannot open the archive {held_setup_lock}: another process has been creating "
        "or migrating it for 0.2 s"
    ]


def test_open_archive_wraps_a_broken_file_in_one_message(tmp_path):
    db_path = tmp_path / "not-a-db.db"
    db_path.write_bytes(b"id,title\n1,Tin tuc\n" * 100)
    with pytest.raises(ArchiveOpenError, match=r"^cannot open the archive .*not-a-db\.db: file "
                                               r"is not a database$"):  # fmt: skip
        open_archive(db_path)


@pytest.mark.e2e
def test_two_crawls_started_together_on_a_new_archive_both_finish(sample_portal, tmp_path):
    base_url, manifest = sample_portal
    db_path = tmp_path / "new.db"
    fast = ["--db", str(db_path), "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    # the registry's profile, and generic mode (site "127.0.0.1-PORT"): two sites, one archive
    commands = [
        ["sample", "--start-url", base_url + "/", *fast],
        ["--start-url", base_url + "/", *fast],
    ]
    crawls = [subprocess.Popen([sys.executable, "-m", "tintuc", "crawl", *args], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for args in commands]  # fmt: skip
    outputs = [c.communicate(timeout=120) for c in crawls]
    for process, (_, stderr) in zip(crawls, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr, stderr
    rows = query(db_path, "SELECT site, status FROM crawls ORDER BY site")
    port = base_url.rsplit(":", 1)[1]
    assert rows == [{"site": f"127.0.0.1-{port}", "status": "finished"},
                    {"site": "sample", "status": "finished"}]  # fmt: skip
    (stored,) = query(db_path, "SELECT count(*) AS n FROM articles")
    assert stored["n"] == len(manifest["articles"])
