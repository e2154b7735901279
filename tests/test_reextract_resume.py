"""``tintuc reextract`` at archive scale: the extraction pool, and a run that is interrupted
(SIGINT, SIGTERM) and resumed without redoing the pages it finished, ending as an
uninterrupted run would."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, capture, query, run_tintuc

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles
from pipelines.archive.warc import WarcFile
from tintuc.reextract import POOL_FROM, Interrupted, describe, reextract

SITE = "https://baomau.vn"
PAGE = """<html lang="vi"><head><title>{title}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-03-{day:02d}T08:00:00+07:00"></head>
<body><header><a href="/">Trang chủ</a></header><h1 class="title">{title}</h1>
<div class="detail-content"><p>Sáng {day}/3, UBND tỉnh tổ chức hội nghị tổng kết công tác số
{n} về phòng chống thiên tai năm 2024 tại xã {n}.</p><p>Theo báo cáo, trong năm qua toàn tỉnh
đã huy động hơn {n}.000 lượt người tham gia ứng phó với bão lũ, di dời an toàn hàng nghìn hộ dân
ở vùng trũng thấp.</p><p>Phát biểu tại hội nghị, Phó Chủ tịch UBND tỉnh đề nghị các địa phương
chủ động rà soát phương án, bố trí lực lượng, vật tư và phương tiện sẵn sàng cho mùa mưa bão.</p>
<p>Dịp này, {n} tập thể và 40 cá nhân có thành tích xuất sắc được tặng bằng khen.</p></div>
</body></html>"""
# what a re-extraction changes, and what must come out the same however the run went
ARTICLES = ("SELECT url, title, text, content_hash, published, extraction_flags, "
            "extraction_confidence, capture_id FROM articles ORDER BY url")  # fmt: skip
DECISIONS = "SELECT id, page_kind, page_reason FROM captures ORDER BY id"
NOTHING = {"changed": 0, "unchanged": 0, "kept": 0, "failed": 0,
           "new": 0, "not_article": 0, "stored_again": 0}  # fmt: skip


def all_changed(count: int) -> str:
    """What ``tintuc reextract`` prints when each of the ``count`` stored articles changed."""
    return (f"{count} pages read again: {count} stored articles ({count} changed, 0 unchanged, "
            "0 kept, 0 failed); 0 pages judged no article by the crawl (0 new articles, 0 "
            "still no article)")


def archive_of(folder: Path, count: int) -> Path:
    """An archive of ``count`` captured article pages whose stored texts an older, worse
    extractor left damaged (so every page re-extracted is "changed" and adds a version)."""
    folder.mkdir()
    db = open_archive(folder / "archive.db")
    warc = WarcFile(folder / "warc" / "crawl-1.warc.gz")
    damaged = []
    for n in range(1, count + 1):
        url = f"{SITE}/tin-tuc/hoi-nghi-so-{n}-202503{n % 28 + 1:02d}.html"
        body = PAGE.format(title=f"Hội nghị tổng kết số {n}", day=n % 28 + 1, n=n).encode()
        capture_id = capture(db, warc, url, body)
        damaged.append({"url": url, "title": f"Hội nghị tổng kết số {n}", "site": "baomau",
                        "text": "Tin tức khác ...", "capture_id": capture_id})  # fmt: skip
    warc.close()
    save_articles(db, damaged)
    db.close()
    return folder / "archive.db"


def test_stopped_run_resumes_where_it_stopped(tmp_path):
    """The library's side, in this process: a stop after the first batch saves it, and the
    next call does only the rest."""
    db_path = archive_of(tmp_path / "a", 12)
    db = open_archive(db_path)
    seen: list[int] = []
    with pytest.raises(Interrupted) as stopped:
        reextract(db, db_path.parent, batch=4, progress=lambda done, total: seen.append(done),
                  should_stop=lambda: len(seen) > 1)  # fmt: skip
    assert (stopped.value.done, stopped.value.total) == (4, 12)
    assert query(db_path, "SELECT count(*) AS n FROM article_versions")[0]["n"] == 4
    seen.clear()
    counts = reextract(db, db_path.parent, batch=4, progress=lambda done, total: seen.append(done))
    assert seen == [4, 8, 12]  # resumed at 4
    assert counts == {**NOTHING, "changed": 12}
    (run,) = query(db_path, "SELECT done, total, finished FROM reextract_progress")
    assert run["done"] == run["total"] == 12 and run["finished"]
    # a finished run is not resumed: the next one is a new run over everything
    again = reextract(db, db_path.parent, site="baomau", batch=4)
    db.close()
    assert again == {**NOTHING, "unchanged": 12}


def test_unknown_site_is_one_error_line(tmp_path):
    from click.testing import CliRunner

    from tintuc.cli import main

    db_path = archive_of(tmp_path / "a", 1)
    run = CliRunner().invoke(main, ["reextract", "--db", str(db_path), "--site", "baomau-x"])
    assert run.exit_code == 1
    assert run.output == "Error: unknown site 'baomau-x' (not in this archive)\n"
    assert query(db_path, "SELECT count(*) AS n FROM reextract_progress")[0]["n"] == 0


@pytest.mark.e2e  # subprocesses, a process pool
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_stopped_then_rerun_equals_one_uninterrupted_run(tmp_path, stop_signal):
    count = 3 * POOL_FROM + 300  # several batches, in the pool
    whole = archive_of(tmp_path / "whole", count)
    shutil.copytree(whole.parent, tmp_path / "cut")
    cut = tmp_path / "cut" / "archive.db"
    command = [sys.executable, "-m", "tintuc", "reextract", "--db", str(cut), "--workers", "1"]
    run_tintuc("reextract", "--db", str(whole), "--workers", "1", timeout=600)

    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not progress_of(cut) and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(stop_signal)  # after its first batch is saved
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 128 + stop_signal, err
    done = progress_of(cut)
    assert 0 < done < count
    assert f"Interrupted after {done} of {count} pages" in err and out == ""
    assert query(cut, "SELECT count(*) AS n FROM article_versions")[0]["n"] == done

    second = run_tintuc("reextract", "--db", str(cut), "--workers", "1", timeout=600)
    assert f"Resuming an interrupted run: {done} of {count} pages done" in second.stderr
    # "0 unchanged": no page the first run finished was extracted again
    assert second.stdout.splitlines() == [all_changed(count)]
    assert query(cut, "SELECT done, total FROM reextract_progress") == [
        {"done": count, "total": count}
    ]
    for sql in (ARTICLES, DECISIONS, "SELECT count(*) FROM article_versions",
                "SELECT from_url, to_url FROM related_links ORDER BY 1, 2"):  # fmt: skip
        assert query(cut, sql) == query(whole, sql), sql


def progress_of(db_path: Path) -> int:
    """Pages the archive's reextract run has saved (0 before its first batch)."""
    try:
        rows = query(db_path, "SELECT done FROM reextract_progress")
    except sqlite3.OperationalError:  # the run has not created its table yet, or holds a lock
        return 0
    return rows[0]["done"] if rows else 0


def on_terminal(*args: str) -> tuple[int, str, str]:
    """Run ``tintuc ARGS`` with its stderr on a pseudo-terminal: (status, stdout, terminal)."""
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "tintuc", *args], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=follower, text=True)  # fmt: skip
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = process.stdout.read()
        process.wait(timeout=120)
    finally:
        os.close(leader)
    return process.returncode, out, b"".join(chunks).decode(errors="replace")


@pytest.mark.e2e  # a subprocess, a process pool
def test_progress_is_shown_on_a_terminal_only(tmp_path):
    count = POOL_FROM + 20
    db_path = archive_of(tmp_path / "a", count)
    status, out, terminal = on_terminal("reextract", "--db", str(db_path), "--workers", "1")
    assert status == 0
    assert f"\r{count}/{count} pages re-extracted (" in terminal
    assert out.splitlines() == [all_changed(count)]
    again = run_tintuc("reextract", "--db", str(db_path), "--workers", "1")  # not a terminal
    assert again.stderr == "" and again.stdout.count("\n") == 1


def test_the_summary_says_what_was_read_again_and_what_became_of_it():
    counts = {**NOTHING, "changed": 2, "unchanged": 21, "failed": 1, "removed": 1,
              "not_article": 5, "stored_again": 2, "stored_again_changed": 1}  # fmt: skip
    assert describe(counts) == (
        "31 pages read again: 24 stored articles (2 changed, 21 unchanged, 0 kept, 1 failed, "
        "1 removed); 7 pages judged no article by the crawl (0 new articles, 5 still no "
        "article, 2 read as an article already stored (1 changed it))")
    # --flagged reads stored articles only
    assert describe({**NOTHING, "unchanged": 1}, flagged=True) == (
        "1 page read again: 1 stored article (0 changed, 1 unchanged, 0 kept, 0 failed)")
