"""Archive-scale benchmark: ``tintuc wacz`` over ~20,000 captures, and ``tintuc reextract`` in
one process against the extraction pool.

    python bench/wacz_bench.py                           # 20,000 captures, 600 re-extracted
    python bench/wacz_bench.py --captures 2000 --reextract-pages 300 --workdir /tmp/small

Steps (figures are printed, never asserted):

1. build (or reuse, if ``--workdir`` holds one of that size) an archive of N captured article
   pages of ``bench/mirror.py`` (100-250 KB each, as a crawl stores them: one WARC file,
   ``captures``, ``crawls``, ``sites`` and ``articles`` rows), written directly, not crawled;
2. ``tintuc wacz -o <workdir>/bench.wacz`` in a subprocess, its process tree sampled from /proc:
   wall time, captures/s, CPU seconds, peak RSS and PSS (target: RSS < 300 MB);
3. an archive of M pages whose stored texts an older extractor damaged, copied twice, then
   ``tintuc reextract --workers -1`` (one process) on one copy and ``--workers 0`` (the pool,
   one process per core) on the other: pages/s and CPU seconds of each, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mirror  # noqa: E402
from proctree import TreeSampler  # noqa: E402

from pipelines.archive.schema import open_archive  # noqa: E402
from pipelines.archive.warc import WarcFile  # noqa: E402

MB = 1024 * 1024
BASE = "http://127.0.0.1:8000"


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB RAM, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")  # fmt: skip


def build_archive(folder: Path, count: int, *, damaged_texts: bool = False) -> Path:
    """An archive of ``count`` captured mirror article pages (reused if already built)."""
    db_path = folder / "archive.db"
    done = folder / "built"
    if done.exists() and done.read_text() == str(count):
        return db_path
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.monotonic()
    db = open_archive(db_path)
    with db.conn:
        db["sites"].insert({"id": "mirror", "name": mirror.SITE, "province": "Tỉnh Mẫu",
                            "base_url": BASE + "/"})  # fmt: skip
        crawl_id = db["crawls"].insert({"site": "mirror", "started": "2025-01-01T00:00:00+00:00",
                                        "status": "finished"}).last_pk  # fmt: skip
    warc = WarcFile(folder / "warc" / "bench-1.warc.gz")
    content_type = "text/html; charset=utf-8"
    captures, articles = [], []
    for i in range(1, count + 1):
        url = BASE + mirror.article_path(i)
        body = mirror.article_page(i, count)
        stored = warc.write_exchange(url, "GET", [], 200, "OK", [("Content-Type", content_type)],
                                     body)  # fmt: skip
        when = mirror.article_time(i).isoformat() + "+00:00"
        captures.append({"id": i, "crawl_id": crawl_id, "url": url, "final_url": url,
                         "status": 200, "time": when, "content_type": content_type,
                         "size": len(body), "sha1": stored.sha1,
                         "warc_file": "warc/bench-1.warc.gz", "warc_offset": stored.offset,
                         "warc_length": stored.length, "page_kind": "article"})  # fmt: skip
        articles.append({"url": url, "site": "mirror", "title": mirror.article_title(i),
                         "text": "" if damaged_texts else None, "first_seen": when,
                         "last_seen": when, "capture_id": i, "crawl_id": crawl_id})  # fmt: skip
        if len(captures) >= 1000 or i == count:
            with db.conn:
                db["captures"].insert_all(captures)
                db["articles"].insert_all(articles)
            captures, articles = [], []
    warc.close()
    db.close()
    done.write_text(str(count))
    size = (folder / "warc" / "bench-1.warc.gz").stat().st_size
    print(f"built {count} captures in {time.monotonic() - started:.0f} s "
          f"(WARC {size / MB:.0f} MB) at {folder}")  # fmt: skip
    return db_path


def timed(args: list[str]) -> dict:
    """Run ``tintuc ARGS`` with its process tree sampled; its wall time, CPU and peak memory."""
    command = [str(Path(sys.executable).with_name("tintuc")), *args]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid, interval=0.25)
    sampler.start()
    out, err = process.communicate()
    wall = time.monotonic() - started
    sampler.stop()
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{out}\n{err}")
    return {"wall": wall, "cpu": sampler.cpu_seconds, "main_cpu": sampler.cpu.get(process.pid, 0),
            "rss": sampler.peak_rss / MB, "pss": sampler.peak_pss / MB,
            "out": out.strip()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--captures", type=int, default=20000, help="captures to pack")
    parser.add_argument("--reextract-pages", type=int, default=600, help="pages to re-extract")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tintuc-wacz-bench"),
                        help="where the archives are built (and reused)")  # fmt: skip
    parser.add_argument("--no-wacz", action="store_true", help="only the reextract figures")
    opts = parser.parse_args(argv)
    print(machine())
    print(f"load average {os.getloadavg()[0]:.1f}")

    if not opts.no_wacz:
        db_path = build_archive(opts.workdir / "wacz", opts.captures)
        output = opts.workdir / "bench.wacz"
        packed = timed(["wacz", "-o", str(output), "--db", str(db_path), "--force"])
        print(f"wacz: {opts.captures} captures in {packed['wall']:.1f} s "
              f"({opts.captures / packed['wall']:.0f} captures/s), CPU {packed['cpu']:.1f} s, "
              f"peak {packed['rss']:.0f} MB RSS / {packed['pss']:.0f} MB PSS, "
              f"{output.stat().st_size / MB:.0f} MB written")  # fmt: skip

    base = build_archive(opts.workdir / "reextract", opts.reextract_pages, damaged_texts=True)
    rates = {}
    for label, workers in (("one process", "-1"), ("pool", "0")):
        copy = opts.workdir / f"reextract-{workers}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base.parent, copy)
        run = timed(["reextract", "--db", str(copy / "archive.db"), "--workers", workers])
        rates[label] = opts.reextract_pages / run["wall"]
        print(f"reextract, {label}: {opts.reextract_pages} pages in {run['wall']:.1f} s "
              f"({rates[label]:.1f} pages/s), CPU {run['cpu']:.1f} s "
              f"({run['cpu'] / run['wall']:.2f} cores busy; {run['main_cpu']:.1f} s in the "
              f"main process), peak {run['rss']:.0f} MB RSS; "
              f"{run['out']}")  # fmt: skip
        shutil.rmtree(copy)
    print(f"reextract pool ÷ one process: {rates['pool'] / rates['one process']:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
