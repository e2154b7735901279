"""``tintuc serve`` while a crawl writes: WAL, no "database is locked", local-only, time limit.

``serve_archive`` (a running ``tintuc serve`` on a free port) is shared with the browser test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from datasette.app import Datasette
from test_datasette import build_archive

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles

BATCHES, PER_BATCH = 40, 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_archive(db_path: Path, *extra: str):
    """Run ``tintuc serve`` in a subprocess; yield its base URL; stop it."""
    port = free_port()
    log = open(db_path.parent / f"serve-{port}.log", "w+")  # a pipe could fill up and block
    proc = subprocess.Popen(
        [sys.executable, "-m", "tintuc", "serve", "--db", str(db_path), "--port", str(port),
         *extra],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    log.seek(0)
                    raise RuntimeError("tintuc serve did not start:\n" + log.read()) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def crawl_batch(batch: int) -> list[dict]:
    return [
        {
            "url": f"https://baodanang.vn/moi-{batch}-{i}.html",
            "site": "baodanang",
            "title": f"Tin mới {batch}-{i} từ Đà Nẵng",
            "description": "Tin cập nhật.",
            "text": "Nội dung về Đà Nẵng.\n" * 50,
            "published": f"2025-05-{1 + batch % 28:02d}T10:00:00+07:00",
            "author": None,
            "related": [],
        }
        for i in range(PER_BATCH)
    ]


def write_batches(db_path: Path, pause: float = 0.01) -> None:
    db = open_archive(db_path)
    try:
        for batch in range(BATCHES):
            save_articles(db, crawl_batch(batch))
            time.sleep(pause)
    finally:
        db.close()


def test_in_process_datasette_searches_while_a_crawl_writes(tmp_path):
    path = build_archive(tmp_path / "archive.db")  # 2 of its 4 articles mention Đà Nẵng
    writer = threading.Thread(target=write_batches, args=(path,))

    async def search_until_done():
        ds = Datasette([str(path)])
        seen, statuses = [], set()
        while True:
            done = not writer.is_alive()
            table = await ds.client.get("/archive/articles.json?_search=da+nang&_size=1")
            ranked = await ds.client.get("/-/tintuc/search/archive.json?_search=đà+nẵng")
            statuses |= {table.status_code, ranked.status_code}
            if table.status_code == ranked.status_code == 200:
                seen.append((table.json()["filtered_table_rows_count"], ranked.json()["count"]))
            if done:
                csv = await ds.client.get("/-/tintuc/export/archive.csv?_search=da+nang")
                return seen, statuses, csv

    writer.start()
    seen, statuses, csv = asyncio.run(search_until_done())
    writer.join()
    total = 2 + BATCHES * PER_BATCH
    assert statuses == {200}
    assert len(seen) > 5  # the searches really ran while the writer wrote
    assert [a for a, _ in seen] == sorted(a for a, _ in seen)  # never goes backwards
    assert seen[-1] == (total, total)
    assert any(a < total for a, _ in seen)  # some searches saw the crawl half-way
    assert csv.headers["x-tintuc-rows"] == str(total)
    assert csv.text.count("\nTin mới ") == BATCHES * PER_BATCH


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    from test_serve_concurrency import write_batches
    write_batches(Path({db!r}), pause=0.02)
    """
)


def listening_address(port: int) -> str:
    """Local address (hex, as in /proc/net/tcp) of the socket listening on ``port``."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        address, hex_port = fields[1].split(":")
        if int(hex_port, 16) == port and fields[3] == "0A":  # 0A = LISTEN
            return address
    raise AssertionError(f"nothing listens on port {port}")


@pytest.mark.e2e
def test_tintuc_serve_is_local_limited_and_survives_a_writer_process(tmp_path):
    path = build_archive(tmp_path / "archive.db")
    with serve_archive(path, "--time-limit-ms", "300") as base:
        port = int(base.rsplit(":", 1)[1])
        assert listening_address(port) == "0100007F"  # 127.0.0.1 only
        status, body = get(base + "/-/settings.json")
        settings = json.loads(body)
        assert (settings["sql_time_limit_ms"], settings["max_csv_mb"]) == (300, 0)
        assert settings["allow_csv_stream"] is True
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER.format(tests=str(Path(__file__).parent), db=str(path))]
        )
        answers = []
        while writer.poll() is None:
            answers.append(get(base + "/archive/articles.json?_search=da+nang&_size=1&_col=id"))
            answers.append(get(base + "/archive/articles?_search=da+nang"))
        assert writer.wait() == 0
        assert len(answers) > 4
        failed = [body[:300] for status, body in answers if status != 200]
        assert failed == []
        assert not any("locked" in body for _, body in answers)
        status, body = get(base + "/archive/articles.json?_search=da+nang&_size=1&_col=id")
        assert json.loads(body)["filtered_table_rows_count"] == 2 + BATCHES * PER_BATCH
        slow = (
            "with recursive c(x) as (select 1 union all select x + 1 from c) select max(x) from c"  # noqa: E501
        )
        status, body = get(base + "/archive.json?sql=" + urllib.request.quote(slow))
        assert status == 400 and "SQL query took too long" in body
        status, body = get(base + "/archive.json?sql=" + urllib.request.quote("delete from sites"))
        assert status == 400
