"""The WAL stays bounded while readers never stop and a writer writes far more than the bound.

Measured elsewhere: without checkpointing, four readers let the WAL reach 626 MB in 20 s.
The writer here uses the same calls as the storage pipeline (save_articles, then
checkpoint_if_large after each batch); four readers query the file the way Datasette does.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from pipelines.archive.schema import WAL_LIMIT_BYTES, checkpoint_if_large, open_archive
from pipelines.archive.store import save_articles

pytestmark = pytest.mark.e2e  # a load test: ~75 MB through the WAL, four readers

PARAGRAPH = (
    "Quảng Ninh đẩy mạnh liên kết vùng, phát triển hạ tầng giao thông và du lịch biển đảo, "
    "thu hút đầu tư vào các khu công nghiệp Đông Triều, Quảng Yên và Hạ Long. "
)


def test_wal_stays_under_64_mb_with_four_readers(tmp_path):
    db_path = tmp_path / "archive.db"
    open_archive(db_path).close()
    stop = threading.Event()
    reader_errors: list[str] = []
    reads = [0]
    wal_sizes = [0]

    def reader():
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        while not stop.is_set():
            try:
                conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'quang'"
                             ).fetchone()  # fmt: skip
                conn.execute("SELECT id, title FROM articles ORDER BY id DESC LIMIT 20").fetchall()
                reads[0] += 1
            except sqlite3.Error as exc:
                reader_errors.append(str(exc))
        conn.close()

    def monitor():
        wal = tmp_path / "archive.db-wal"
        while not stop.is_set():
            if wal.exists():
                wal_sizes.append(wal.stat().st_size)
            time.sleep(0.005)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads.append(threading.Thread(target=monitor))
    for thread in threads:
        thread.start()
    db = open_archive(db_path)
    written = checkpoints = 0
    try:
        text = PARAGRAPH * 190  # ~37 KB of text per article, ~75 MB in all
        for batch in range(40):
            rows = [
                {"url": f"http://127.0.0.1/tin-tuc/bai-{batch}-{i}.html", "site": "sample",
                 "title": f"Bài {batch}-{i} về Quảng Ninh", "text": f"{batch}-{i}\n{text}"}
                for i in range(50)
            ]  # fmt: skip
            save_articles(db, rows)
            written += sum(len(r["text"].encode()) for r in rows)
            checkpoints += checkpoint_if_large(db, db_path)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        db.close()
    print(f"wrote {written / 2**20:.0f} MB of text, {checkpoints} checkpoints, "
          f"{reads[0]} reads, max WAL {max(wal_sizes) / 2**20:.1f} MB")
    assert written > WAL_LIMIT_BYTES  # more than the bound went through the WAL
    assert checkpoints > 0
    assert reader_errors == []
    assert reads[0] > 100
    assert max(wal_sizes) < WAL_LIMIT_BYTES
