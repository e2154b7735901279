"""Crawl benchmark: the real ``tintuc crawl`` against a local mirror, against plain trafilatura.

    python bench/crawl_bench.py --pages 2000            # pooled + inline crawl, baselines
    python bench/crawl_bench.py --pages 20000 --only-pool --no-baseline   # RSS at scale
    python bench/crawl_bench.py --pager next --only-pool --no-baseline    # "Trang sau" only

Steps (figures are printed, never asserted):

1. start ``bench/mirror.py serve`` (a separate process) and measure how fast it serves; time
   plain trafilatura over the sample pages once before the crawls (see 3);
2. ``tintuc crawl mirror --sites <toml> --db <fresh db>`` with the project's settings, politeness
   off (``DOWNLOAD_DELAY=0``, no autothrottle, 16 per domain, no robots.txt), extraction in the
   default process pool (``TINTUC_EXTRACT_WORKERS=0``) and then inline (``-1``); the process
   tree is sampled from /proc for CPU time and peak RSS/PSS;
3. in this process, with the mirror idle: plain ``trafilatura.bare_extraction`` over the same
   pages (same HTML, same call options as the project), then the project's own
   ``extract_article``, then ``save_articles`` of those rows in batches of 50 into a fresh
   archive (storage's cost per article).

The headline ratio is pipeline article pages/s ÷ plain-trafilatura pages/s (target ≥ 1.5),
against the mean of the timings before and after the crawls: this virtual machine's speed
drifts by up to ~1.5x over minutes, so a baseline taken at another moment than the crawl can
tilt the ratio either way; both timings are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import mirror  # noqa: E402
from proctree import TreeSampler, cpu_times, idle_shares  # noqa: E402

BENCH_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "ROBOTSTXT_OBEY": "False",
    "LOG_LEVEL": "INFO",  # for the extraction pool's line: how long its workers had no page
}
SITES_TOML = """\
[sites.mirror]
name = "Benchmark mirror"
province = "Bench"
kind = "newspaper"
start_urls = ["{base}"]
article_patterns = ['/tin-tuc/[a-z0-9-]+-\\d+\\.html$']
listing_patterns = ['^https?://[^/]+/$', '/chuyen-muc/[a-z-]+/trang-\\d+\\.html$']
checked_live = true
"""
MB = 1024 * 1024


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB RAM, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")  # fmt: skip


def tintuc_bin() -> str:
    candidate = Path(sys.executable).with_name("tintuc")
    return str(candidate) if candidate.exists() else shutil.which("tintuc") or "tintuc"


def run_crawl(
    base: str, workdir: Path, label: str, workers: int, server_pid: int, db_name: str = "",
    extra: dict | None = None, patterns: bool = True,
) -> dict:
    """One ``tintuc crawl`` in a subprocess; returns its figures. A fresh database unless
    ``db_name`` names one to crawl again (an incremental crawl). ``patterns``: the site's
    profile gives its article and listing URL patterns (else the crawl is in generic mode)."""
    sites = workdir / "sites.toml"
    profile = SITES_TOML.format(base=base)
    if not patterns:  # a site without a profile: generic mode (url shapes, page structure)
        profile = "".join(line for line in profile.splitlines(keepends=True)
                          if not line.startswith(("article_patterns", "listing_patterns")))
    sites.write_text(profile, encoding="utf-8")
    tag = label.replace(" ", "-")
    db = workdir / (db_name or f"crawl-{tag}.db")
    for suffix in ("", "-wal", "-shm") if not db_name else ():
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = {**BENCH_SETTINGS, "TINTUC_EXTRACT_WORKERS": str(workers), **(extra or {})}
    cmd = [tintuc_bin(), "crawl", "mirror", "--sites", str(sites), "--db", str(db)]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    warc = workdir / f"warc-{tag}"
    shutil.rmtree(warc, ignore_errors=True)
    cmd += ["-s", f"TINTUC_WARC_DIR={warc}"]
    log = workdir / f"crawl-{tag}.log"
    load_before = os.getloadavg()[0]
    server_cpu0 = _cpu_of(server_pid)
    cpu0 = cpu_times()
    start = time.monotonic()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=workdir)
        sampler = TreeSampler(proc.pid, interval=0.25)
        sampler.start()
        _, status, rusage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        idle = idle_shares(cpu0, cpu_times())
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    server_cpu = _cpu_of(server_pid) - server_cpu0
    starved = re.search(r"extraction pool: \d+ workers, ([\d.]+) %",
                        log.read_text(errors="replace"))  # fmt: skip
    conn = sqlite3.connect(db)
    crawl = conn.execute(
        "SELECT pages, errors, started, finished, status, id FROM crawls ORDER BY id DESC LIMIT 1"
    ).fetchone()
    articles = conn.execute("SELECT count(*) FROM articles WHERE crawl_id = ?",
                            (crawl[5],)).fetchone()[0] if crawl else 0  # fmt: skip
    conn.close()
    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    rusage_cpu = rusage.ru_utime + rusage.ru_stime
    cpu = max(sampler.cpu_seconds, rusage_cpu)
    return {
        "label": label,
        "command": " ".join(cmd),
        "exit": proc.returncode,
        "wall_s": wall,
        "articles": articles,
        "responses": crawl[0] if crawl else None,
        "errors": crawl[1] if crawl else None,
        "status": crawl[4] if crawl else None,
        "article_pages_per_s": articles / wall,
        "responses_per_s": (crawl[0] or 0) / wall if crawl else None,
        "cpu_s": cpu,
        "cpu_s_sampled": sampler.cpu_seconds,
        "cpu_s_rusage": rusage_cpu,
        "cores_used": cpu / wall,
        "cpu_ms_per_article": cpu / max(1, articles) * 1000,
        "peak_rss_mb": sampler.peak_rss / MB,
        "peak_pss_mb": sampler.peak_pss / MB,
        # sampled: wait4's ru_maxrss would be the bench's own RSS (Linux keeps it across exec)
        "main_maxrss_mb": sampler.peak_root_rss / MB,
        "processes": sampler.peak_procs,
        "db_mb": size / MB,
        "db_kb_per_article": size / 1024 / max(1, articles),
        "warc_mb": sum(f.stat().st_size for f in warc.rglob("*") if f.is_file()) / MB
        if warc.exists() else 0.0,
        "server_cpu_s": server_cpu,
        "loadavg": (load_before, os.getloadavg()[0]),
        "log": str(log),
        "rss_timeline": [(round(t, 1), round(r / MB), round(p / MB)) for t, r, p in
                         sampler.samples[:: max(1, len(sampler.samples) // 20)]],  # fmt: skip
        "idle": idle,
        "pool_idle_share": float(starved.group(1)) / 100 if starved else None,
        "per_process": sorted(
            ((pid, sampler.names.get(pid, "?"), cpu) for pid, cpu in sampler.cpu.items()),
            key=lambda x: -x[2],
        )[:6],
    }


def _cpu_of(pid: int) -> float:
    from proctree import descendants

    return sum(cpu for cpu, _ in descendants(pid).values())


def sample_pages(n: int, base: str, limit: int | None, source: str) -> list[tuple[str, str]]:
    """(url, html) of the mirror's article pages, or of ``limit`` of them drawn at random (a
    fixed seed). Not every k-th page: the mirror varies its real pages in a cycle, and every
    10th page was only ever two of the four, the two cheapest to extract, which halved plain
    trafilatura's time per page against the pages crawled (12.5 against 26.5 ms)."""
    ids = list(range(1, n + 1))
    if limit and limit < n:
        ids = sorted(random.Random(0).sample(ids, limit))
    page = mirror.real_article_page if source == "real" else mirror.article_page
    return [(base.rstrip("/") + mirror.article_path(i), page(i, n).decode()) for i in ids]


def time_plain_trafilatura(pages: list[tuple[str, str]]) -> tuple[float, int]:
    """CPU seconds of plain ``trafilatura.bare_extraction`` over ``pages``; pages with text."""
    import trafilatura

    t0 = time.process_time()
    found = 0
    for url, html in pages:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                          include_comments=False, include_tables=True)
        found += bool(doc and doc.text)
    return time.process_time() - t0, found


def baselines(pages: list[tuple[str, str]], workdir: Path) -> dict:
    """Plain trafilatura, then the project's extractor, then storage, all in this process."""
    from pipelines.archive.schema import open_archive
    from pipelines.archive.store import save_articles
    from pipelines.extractor.article import extract_article

    html_mb = sum(len(h.encode()) for _, h in pages) / MB
    plain, found = time_plain_trafilatura(pages)

    rows = []
    t0 = time.process_time()
    for url, html in pages:
        result = extract_article(html, url, None)
        if result:
            result.update(site="mirror", fetched="2025-01-01T00:00:00+00:00")
            rows.append(result)
    project = time.process_time() - t0

    db_path = workdir / "storage-only.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = open_archive(db_path)
    start = time.perf_counter()
    for k in range(0, len(rows), 50):
        save_articles(db, rows[k : k + 50], None)
    storage = time.perf_counter() - start
    db.close()
    return {
        "pages": len(pages),
        "html_mb": html_mb,
        "trafilatura_found": found,
        "trafilatura_s": plain,
        "trafilatura_pages_per_s": len(pages) / plain,
        "extract_article_found": len(rows),
        "extract_article_s": project,
        "extract_article_pages_per_s": len(pages) / project,
        "storage_ms_per_article": storage / max(1, len(rows)) * 1000,
    }


def report(results: dict) -> None:
    p = print
    p(f"\n== crawl benchmark: {results['pages']} article pages ({results['source']} mirror), "
      f"pagers {', '.join(results['pagers'])}; machine: {results['machine']}")
    s = results["server"]
    p(f"mirror server (separate process): {s['pages_per_s']:.0f} article pages/s, "
      f"{s['mb_per_s']:.0f} MB/s, pages avg {s['avg_kb']:.0f} KB "
      f"(min {s['min_kb']:.0f}, max {s['max_kb']:.0f} KB over a sample of 200)")
    for c in results["crawls"]:
        p(f"\n-- crawl {c['label']}: {c['command']}")
        p(f"   exit {c['exit']}, status {c['status']}: {c['articles']} articles "
          f"({c['responses']} responses, {c['errors']} errors) in {c['wall_s']:.1f} s wall")
        p(f"   throughput: {c['article_pages_per_s']:.1f} article pages/s "
          f"({c['article_pages_per_s'] * 60:.0f}/min), {c['responses_per_s']:.1f} responses/s")
        p(f"   CPU (user+sys, crawl + extraction children): {c['cpu_s']:.1f} s = "
          f"{c['cores_used']:.2f} cores busy, {c['cpu_ms_per_article']:.1f} ms per article "
          f"(sampled {c['cpu_s_sampled']:.1f} s, wait4 rusage {c['cpu_s_rusage']:.1f} s); "
          f"mirror server used {c['server_cpu_s']:.1f} s")
        idle = c["idle"]
        cores = " ".join(f"{k} {v:.1%}" for k, v in sorted(idle.items()) if k != "cpu")
        p(f"   idle CPU over the crawl (/proc/stat, whole machine): {idle['cpu']:.1%} "
          f"({cores}; target < 10 %)")
        if c["pool_idle_share"] is not None:
            p(f"   extraction workers without a page to extract: {c['pool_idle_share']:.1%} of "
              "their time (the crawl starving its pool, whatever else runs on the machine)")
        for pid, name, cpu in c["per_process"]:
            p(f"     pid {pid:>7} {cpu:7.1f} s CPU = {cpu / c['wall_s']:4.0%} of a core, "
              f"{cpu / max(1, c['articles']) * 1000:5.1f} ms/article  {name}")
        p(f"   peak memory of the tree ({c['processes']} processes): RSS sum "
          f"{c['peak_rss_mb']:.0f} MB, PSS sum {c['peak_pss_mb']:.0f} MB "
          f"(crawl process alone {c['main_maxrss_mb']:.0f} MB)")
        p("   RSS/PSS samples (s: MB): " + ", ".join(f"{t:.0f}: {r}/{q}"
                                                   for t, r, q in c["rss_timeline"]))
        p(f"   1-min load average before/after: {c['loadavg'][0]:.1f}/{c['loadavg'][1]:.1f} "
          "(before the crawl, above ~0.3 means other work was sharing the cores)")
        p(f"   database: {c['db_mb']:.1f} MB ({c['db_kb_per_article']:.1f} KB per article); "
          f"WARC captures: {c['warc_mb']:.1f} MB")
    recrawl = results.get("recrawl")
    if recrawl:
        first, second = recrawl["first"], recrawl["second"]
        p(f"\n-- incremental re-crawl, {recrawl['new']} new articles "
          f"({recrawl['new'] / results['pages']:.1%}) on the mirror after the first crawl:")
        p(f"   responses: {second['responses']} against {first['responses']} = "
          f"{second['responses'] / max(1, first['responses']):.2%} of the first crawl's "
          "(target ≤ 3 %)")
        p(f"   wall time: {second['wall_s']:.1f} s against {first['wall_s']:.1f} s = "
          f"{second['wall_s'] / first['wall_s']:.1%} (target < 10 %); {second['articles']} "
          f"articles stored or changed by the second crawl")
    b = results.get("baseline")
    if b:
        p(f"\n-- single process, same pages ({b['pages']} pages, {b['html_mb']:.0f} MB of HTML),"
          " CPU time:")
        p(f"   plain trafilatura.bare_extraction: {b['trafilatura_pages_per_s']:.1f} pages/s "
          f"({b['trafilatura_s'] / b['pages'] * 1000:.1f} ms/page, text found on "
          f"{b['trafilatura_found']})")
        p(f"   project extract_article:           {b['extract_article_pages_per_s']:.1f} pages/s "
          f"({b['extract_article_s'] / b['pages'] * 1000:.1f} ms/page, "
          f"{b['extract_article_found']} articles)")
        p(f"   storage, save_articles in batches of 50: {b['storage_ms_per_article']:.2f} ms per "
          "article")
        before = results.get("trafilatura_before_pages_per_s")
        plain = b["trafilatura_pages_per_s"]
        if before:
            p(f"   plain trafilatura timed before the crawls too: {before:.1f} pages/s (this "
              "machine's speed drifts; the ratio below uses the mean of both timings)")
            plain = (before + plain) / 2
        plain_ms = 1000 / plain
        cores = os.cpu_count() or 1
        speeds = {}
        for c in results["crawls"]:
            ratio = c["article_pages_per_s"] / plain
            speeds[c["label"]] = c["article_pages_per_s"]
            share = b["storage_ms_per_article"] * c["articles"] / 1000 / c["wall_s"]
            bound = cores * plain_ms / c["cpu_ms_per_article"]
            p(f"   {c['label']}: pipeline ÷ plain trafilatura = {ratio:.2f} (target ≥ 1.8); "
              f"CPU-bound ratio {bound:.2f} ({cores} cores × {plain_ms:.1f} ms ÷ "
              f"{c['cpu_ms_per_article']:.1f} ms of the tree per article: the ratio with "
              f"every core the crawl's); storage ≈ {share:.1%} of the crawl's wall time")
        if "pool next" in speeds and "pool numbered" in speeds:
            p(f"   'Trang sau' only ÷ numbered pager: "
              f"{speeds['pool next'] / speeds['pool numbered']:.2f} (target ≥ 0.9)")
    p("")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="articles in the mirror")
    ap.add_argument("--only-pool", action="store_true", help="skip the inline-extraction crawl")
    ap.add_argument("--no-baseline", action="store_true", help="skip the single-process timing")
    ap.add_argument("--baseline-pages", type=int, default=0,
                    help="time the baseline on this many of the pages (0 = all)")
    ap.add_argument("--workdir", help="keep databases and logs here (default: a temp dir)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--pager", choices=mirror.PAGERS, nargs="+", default=["numbered"],
                    help="the listings' pager: page numbers, or only a 'Trang sau' link "
                         "(several: one crawl each, against one baseline)")
    ap.add_argument("--source", choices=mirror.SOURCES, default="synthetic",
                    help="article pages: synthetic, or varied from ../shared/fixtures/vn")
    ap.add_argument("--shared", default=str(mirror.SHARED),
                    help="the shared folder whose fixtures/vn holds the real pages")
    ap.add_argument("--no-patterns", action="store_true",
                    help="crawl the mirror as a site without article and listing URL patterns "
                         "(generic mode: every page's kind read from its structure)")
    ap.add_argument("--recrawl-new", type=float, default=0.0, metavar="FRACTION",
                    help="then add this fraction of new articles to the mirror and crawl the "
                         "same archive again (incremental re-crawl)")
    args = ap.parse_args(argv)

    mirror.use_shared(args.shared)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="tintuc-crawl-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {"pages": args.pages, "machine": machine(), "crawls": [],
                     "pagers": args.pager, "source": args.source}  # fmt: skip
    page = mirror.real_article_page if args.source == "real" else mirror.article_page
    sizes = [len(page(i, args.pages)) / 1024 for i in range(1, 201)]
    pages: list[tuple[str, str]] = []
    first_base = ""
    for pager in args.pager:
        server_ctx = mirror.MirrorServer(args.pages, pager_shape=pager, source=args.source)
        with server_ctx as base:
            first_base = first_base or base
            server_pid = server_ctx.proc.pid
            if "server" not in results:
                server = mirror.loadtest(base, args.pages, seconds=3.0)
                server.update(min_kb=min(sizes), max_kb=max(sizes))
                results["server"] = server
                print(f"mirror at {base} (pid {server_pid}): {server['pages_per_s']:.0f} "
                      "pages/s", flush=True)  # fmt: skip
            if not args.no_baseline and not pages:
                pages = sample_pages(args.pages, base, args.baseline_pages, args.source)
                print("timing plain trafilatura before the crawls …", flush=True)
                seconds, _ = time_plain_trafilatura(pages)
                results["trafilatura_before_pages_per_s"] = len(pages) / seconds
            modes = [("pool", 0)] + ([] if args.only_pool else [("inline", -1)])
            for label, workers in modes:
                print(f"crawling {args.pages} pages, extraction {label}, {pager} pager …",
                      flush=True)
                results["crawls"].append(
                    run_crawl(base, workdir, f"{label} {pager}", workers, server_pid,
                              patterns=not args.no_patterns)
                )
    if args.recrawl_new:
        first = results["crawls"][0]
        new = max(1, round(args.pages * args.recrawl_new))
        # the same port: the archive knows its articles by URL
        port = urlsplit(first_base).port
        server_ctx = mirror.MirrorServer(args.pages + new, pager_shape=args.pager[0],
                                         source=args.source, port=port)  # fmt: skip
        with server_ctx as base:
            print(f"crawling again with {new} new articles …", flush=True)
            tag = first["label"].replace(" ", "-")
            # every article was first seen minutes ago: without this, those fetched over an
            # hour ago would be fetched again as "recent" (a daily crawl does that for the
            # last TINTUC_REVISIT_DAYS of articles, which this figure leaves out)
            second = run_crawl(base, workdir, f"{first['label']} re-crawl", 0,
                               server_ctx.proc.pid, db_name=f"crawl-{tag}.db",
                               extra={"TINTUC_REVISIT_DAYS": "0"},
                               patterns=not args.no_patterns)  # fmt: skip
        results["crawls"].append(second)
        results["recrawl"] = {"new": new, "first": first, "second": second}
    if pages:
        print("timing plain trafilatura and the project extractor in one process …", flush=True)
        results["baseline"] = baselines(pages, workdir)
    report(results)
    print(f"(databases and logs in {workdir})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
