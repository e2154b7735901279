"""Distributed benchmark: 1 worker against 2 workers, and the ingester's ceiling (issue 15).

1. ``bench/mirror.py serve`` (a separate process) and a private ``redis-server`` on a free port.
2. Crawl the mirror with 1, then 2 ``tintuc worker`` processes (extraction in each worker's own
   process, ``TINTUC_EXTRACT_WORKERS=-1``, so that a worker is one process: 2 workers can use
   2 cores). pages/s is taken between the first and the last capture a worker sent to the
   stream (the Redis stream ids are millisecond timestamps): start-up and the idle wait at
   the end do not count. CPU seconds per page come from the workers' rusage.
3. The ingester's ceiling: the stream filled in advance with ``--articles`` capture + article
   pairs (3-5 KB of Vietnamese text each), then one :class:`tintuc.distributed.Ingester`
   writes them all into a fresh archive; articles/s between its first and last commit.

Run::

    .venv/bin/python bench/distributed_bench.py [--pages 300] [--articles 5000]

The machine is printed with the figures; they go into docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import crawl_bench  # noqa: E402
import redis  # noqa: E402
import vntext  # noqa: E402

from pipelines.stream_pipeline import STREAM  # noqa: E402


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save",
                                "", "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL)  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    conn = redis.Redis.from_url(url)
    for _ in range(200):
        try:
            conn.ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.05)
    sys.exit("redis-server did not start")


def tintuc(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([crawl_bench.tintuc_bin(), *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def cpu_seconds_of(process: subprocess.Popen) -> float:
    """Wait for the process; its CPU time (and its children's, i.e. any extraction pool)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def crawl_with_workers(count: int, sites: Path, redis_url: str, workdir: Path) -> dict:
    """A fresh crawl of the mirror by ``count`` workers; figures from the result stream."""
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    subprocess.run([crawl_bench.tintuc_bin(), "enqueue", "mirror", "--sites", str(sites),
                    "--redis", redis_url], check=True, capture_output=True)  # fmt: skip
    settings = []
    for name, value in {**crawl_bench.BENCH_SETTINGS, "TINTUC_EXTRACT_WORKERS": "-1"}.items():
        settings += ["-s", f"{name}={value}"]
    workers = []
    for n in range(count):
        folder = workdir / f"{count}w-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        command = ["worker", "--redis", redis_url, "--sites", str(sites), "--until-idle", "2",
                   "--name", f"w{n}", *settings]  # fmt: skip
        workers.append(tintuc(*command, cwd=folder))
    cpu = sum(cpu_seconds_of(w) for w in workers)
    ids, articles = [], 0  # capture entries' ids: "<ms>-<seq>"
    for entry_id, fields in conn.xrange(STREAM):
        kind = json.loads(fields[b"m"])["type"]
        if kind == "capture":
            ids.append(int(entry_id.split(b"-")[0]))
        articles += kind == "article"
    seconds = (max(ids) - min(ids)) / 1000
    return {"workers": count, "pages": len(ids), "articles": articles, "seconds": seconds,
            "pages_per_s": len(ids) / seconds, "cpu_s": cpu,
            "cpu_ms_per_page": 1000 * cpu / len(ids)}  # fmt: skip


def fill_stream(conn: redis.Redis, articles: int) -> None:
    """A crawl_start, then ``articles`` capture + article pairs, as the workers send them
    (with the text's near-duplicate signature, which the workers compute)."""
    from crawler.sites import generic_profile
    from pipelines.archive.clusters import signature
    from tintuc.distributed import enqueue

    token = enqueue(conn, generic_profile("http://127.0.0.1:9/"), None, "http://127.0.0.1:9/")
    rng = random.Random(1)
    pipe = conn.pipeline(transaction=False)
    for n in range(articles):
        url = f"http://127.0.0.1:9/tin-tuc/bai-{n}.html"
        key = f"warc/w0-bench.warc.gz#{n * 40000}"
        text = "\n\n".join(vntext.paragraph(rng) for _ in range(rng.randint(6, 10)))
        row = {"url": url, "final_url": url, "status": 200, "time": "2026-01-01T00:00:00+00:00",
               "warc_file": "warc/w0-bench.warc.gz", "warc_offset": n * 40000,
               "warc_length": 40000}  # fmt: skip
        article = {"url": url, "site": "127.0.0.1", "fetched": "2026-01-01T00:00:00+00:00",
                   "capture_id": key, "title": vntext.title(rng),
                   "text": text, "related": []}  # fmt: skip
        article["minhash"] = base64.b64encode(signature(text).tobytes()).decode("ascii")
        for message in ({"type": "capture", "crawl": token, "key": key, "row": row},
                        {"type": "article", "crawl": token, "article": article}):  # fmt: skip
            pipe.xadd(STREAM, {"m": json.dumps(message, ensure_ascii=False)})
        if n % 500 == 499:
            pipe.execute()
    pipe.execute()


def ingest_ceiling(redis_url: str, workdir: Path, articles: int) -> dict:
    from tintuc.distributed import Ingester, connect

    redis.Redis.from_url(redis_url).flushdb()
    conn = connect(redis_url)
    fill_stream(conn, articles)
    db_path = workdir / "ingest.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    ingester = Ingester(connect(redis_url), str(db_path))
    commits: list[float] = []
    write = ingester.write

    def timed_write(entries):
        written = write(entries)
        commits.append(time.perf_counter())
        return written

    ingester.write = timed_write
    started, cpu = time.perf_counter(), time.process_time()
    ingester.run(until_idle=0.5)
    cpu = time.process_time() - cpu
    ingester.close()
    seconds = max(commits) - started
    return {"articles": ingester.stored, "seconds": seconds,
            "articles_per_s": ingester.stored / seconds, "cpu_s": cpu,
            "batch": ingester.batch}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=300, help="articles in the mirror")
    ap.add_argument("--articles", type=int, default=5000, help="articles in the filled stream")
    ap.add_argument("--skip-crawl", action="store_true", help="only the ingester's ceiling")
    args = ap.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="tintuc-distributed-bench-"))
    serve = [sys.executable, str(ROOT / "bench" / "mirror.py"), "serve", "--pages", str(args.pages)]
    mirror = subprocess.Popen(serve, stdout=subprocess.PIPE, text=True)
    redis_server, redis_url = start_redis(workdir)
    try:
        base = mirror.stdout.readline().split()[2]
        sites = workdir / "sites.toml"
        sites.write_text(crawl_bench.SITES_TOML.format(base=base), encoding="utf-8")
        print(f"machine: {crawl_bench.machine()}")
        print(f"mirror: {args.pages} articles at {base}; load average {os.getloadavg()}")
        runs = (
            []
            if args.skip_crawl
            else [crawl_with_workers(n, sites, redis_url, workdir) for n in (1, 2)]
        )
        for run in runs:
            print(
                f"{run['workers']} worker(s): {run['pages']} pages ({run['articles']} "
                f"articles) in {run['seconds']:.1f} s = {run['pages_per_s']:.1f} pages/s; "
                f"{run['cpu_ms_per_page']:.1f} ms CPU per page"
            )
        if runs:
            ratio = runs[1]["pages_per_s"] / runs[0]["pages_per_s"]
            cpu_ratio = runs[0]["cpu_ms_per_page"] / runs[1]["cpu_ms_per_page"]
            print(
                f"2 workers ÷ 1 worker: {ratio:.2f}× in pages/s (at most 2× on 2 cores); "
                f"CPU per page, 1 worker ÷ 2 workers: {cpu_ratio:.2f}"
            )
        ceiling = ingest_ceiling(redis_url, workdir, args.articles)
        print(
            f"ingester: {ceiling['articles']} articles from a filled stream in "
            f"{ceiling['seconds']:.1f} s = {ceiling['articles_per_s']:.0f} articles/s "
            f"(batches of {ceiling['batch']}; {ceiling['cpu_s']:.1f} s CPU in the ingester "
            "process); target: above 1,000 articles/s"
        )
        print(f"load average after: {os.getloadavg()}")
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)
        redis_server.terminate()
        redis_server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
