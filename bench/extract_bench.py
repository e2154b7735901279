"""Extraction CPU: ``extract_article`` against plain trafilatura on the same pages.

    python bench/extract_bench.py                      # every set, min of 5 runs
    python bench/extract_bench.py --runs 3 --top 15    # quicker, longer list of worst pages
    python bench/extract_bench.py --profile 40         # cProfile of extract_article, top 40
    python bench/extract_bench.py --dump /tmp/out.json # every field of every result, to diff

Sets: the real Vietnamese pages (``$SHARED/fixtures/vn``, ``tests/pages/vn`` and each folder of
``$SHARED/pages`` when present, as ``make eval`` reads them) and every benchmark folder under
``$SHARED/benchmarks`` and ``.cache/suites`` (``make suites``) with ``ground-truth.json`` and
``html/``.
Each page is timed interleaved (tintuc, then plain trafilatura, ``--runs`` times) in CPU time
(``time.process_time``), and the minimum of the runs is kept: the machine is shared, and the
minimum is the figure least moved by other processes. Plain trafilatura is called as
``make eval`` calls it for its baseline (``bare_extraction(html, url=url,
with_metadata=True)``, the bytes as fetched). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import platform
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipelines.extractor.article import extract_article  # noqa: E402
from pipelines.extractor.evaluate import load_pages, trafilatura_baseline  # noqa: E402

SHARED = Path(os.environ.get("SHARED", HERE.parent.parent / "shared"))


def page_sets(shared: Path) -> dict[str, list[tuple[str, bytes, str]]]:
    """``{set name: [(page key, html bytes, url)]}`` for every set found."""
    sets: dict[str, list[tuple[str, bytes, str]]] = {}
    folders = [("vn", shared / "fixtures" / "vn"), ("tests-vn", HERE.parent / "tests" / "pages"
                                                    / "vn")]
    folders += [(folder.name, folder) for folder in sorted((shared / "pages").glob("*/"))]
    for name, folder in folders:
        if folder.is_dir():
            pages = [(key, html, truth["url"]) for key, html, truth in load_pages(folder)]
            if pages:
                sets[name] = pages
    suites = HERE.parent / ".cache" / "suites"  # bench/public_suites.py, as make eval reads them
    for truth_file in sorted([*(shared / "benchmarks").glob("*/ground-truth.json"),
                              *suites.glob("*/ground-truth.json")]):
        folder = truth_file.parent
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        pages = [(key, gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()),
                  value.get("url") or "")
                 for key, value in sorted(truth.items())
                 if (folder / "html" / f"{key}.html.gz").exists()]
        if pages:
            sets[folder.name] = pages
    return sets


def _cpu(call, *args) -> float:
    start = time.process_time()
    call(*args)
    return time.process_time() - start


def time_set(pages: list[tuple[str, bytes, str]], runs: int) -> list[tuple[str, float, float]]:
    """``(key, tintuc seconds, plain seconds)`` per page: min CPU time of ``runs`` interleaved
    runs each."""
    rows = []
    for key, html, url in pages:
        mine, plain = [], []
        for _ in range(runs):
            mine.append(_cpu(extract_article, html, url))
            plain.append(_cpu(trafilatura_baseline, html, url))
        rows.append((key, min(mine), min(plain)))
    return rows


def dump(sets: dict, path: str) -> None:
    """Write every field of every ``extract_article`` result, per set and page, as JSON."""
    out = {name: {key: extract_article(html, url) for key, html, url in pages}
           for name, pages in sets.items()}
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True),
                          encoding="utf-8")
    print(f"wrote {sum(len(v) for v in out.values())} results to {path}")


def profile(sets: dict, top: int) -> None:
    pages = [page for pages in sets.values() for page in pages]
    for _, html, url in pages:  # warm caches and imports, as in a long crawl
        extract_article(html, url)
    profiler = cProfile.Profile(time.process_time)  # CPU time: other processes do not count
    profiler.enable()
    for _, html, url in pages:
        extract_article(html, url)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=8, help="pages listed per set, worst first")
    parser.add_argument("--sets", nargs="*", help="only these sets (default: all)")
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile, top N functions")
    parser.add_argument("--dump", metavar="FILE", help="write every result as JSON and stop")
    args = parser.parse_args(argv)

    sets = page_sets(args.shared)
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets}
    if not sets:
        print(f"no page sets under {args.shared}", file=sys.stderr)
        return 1
    if args.dump:
        dump(sets, args.dump)
        return 0
    if args.profile:
        profile(sets, args.profile)
        return 0
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; CPU time, min of {args.runs} runs")
    for pages in sets.values():  # warm imports and caches before any timing
        extract_article(pages[0][1], pages[0][2])
        trafilatura_baseline(pages[0][1], pages[0][2])
    for name, pages in sets.items():
        rows = time_set(pages, args.runs)
        mine, plain = sum(r[1] for r in rows), sum(r[2] for r in rows)
        print(f"\n{name}: {len(rows)} pages  tintuc {1000 * mine / len(rows):.1f} ms/page  "
              f"plain trafilatura {1000 * plain / len(rows):.1f} ms/page  "
              f"ratio {mine / plain:.2f}")
        for key, m, p in sorted(rows, key=lambda r: r[1] / max(r[2], 1e-6), reverse=True)[
                :args.top]:
            print(f"  {key:40.40} {1000 * m:7.1f} ms  {1000 * p:7.1f} ms  {m / max(p, 1e-6):5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
