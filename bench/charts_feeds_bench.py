"""Charts and Atom feeds at archive scale: how long each chart's canned query and each feed takes.

    python bench/charts_feeds_bench.py --articles 200000 [--repeat 5]

Builds (cached as ``/tmp/tintuc-bench/charts-<N>-v<V>.db``) an archive of N articles over
three years from 40 sites in 8 provinces, through ``open_archive`` (the product's schema and
indexes), with 5 related links per article (60 % to the same site), an earlier version for
1 % of them, 0.5 % removed, 5 % in syndication clusters, and a searchable title and lead.
Then asks an in-process Datasette (the plugin, datasette-atom) for each chart's JSON and each
feed, ``--repeat`` times after one warm-up: wall-clock median and max, and the process's CPU
time per request. Nothing is asserted: on a shared machine, read the CPU figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VERSION = 2
CACHE = Path("/tmp/tintuc-bench")
SITES = [f"site{i:02d}" for i in range(40)]
PROVINCES = [f"Tỉnh {i}" for i in range(8)]
WORDS = "phát triển kinh tế xã hội tỉnh đầu tư hạ tầng du lịch giáo dục y tế Tết Nguyên đán".split()


def build(n: int, path: Path) -> None:
    from pipelines.archive.schema import open_archive
    from pipelines.text import fold

    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    open_archive(tmp).close()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous = OFF")
    rng = random.Random(VERSION)
    start = datetime(2023, 1, 1)
    articles, fts, links, versions, clusters = [], [], [], [], []
    for i in range(1, n + 1):
        site = SITES[i % len(SITES)]
        when = start + timedelta(minutes=int(i * 1_576_800 / n))
        title = " ".join(rng.choices(WORDS, k=8))
        lead = " ".join(rng.choices(WORDS, k=25))
        url = f"https://{site}.example.vn/{i}.html"
        removed = "2026-01-01T00:00:00+00:00" if rng.random() < 0.005 else None
        articles.append((i, url, site, PROVINCES[i % len(PROVINCES)], title, lead, lead,
                         when.strftime("%Y-%m-%dT%H:%M:00+07:00"), "Văn An",
                         "2026-01-01T00:00:00+00:00", removed))  # fmt: skip
        fts.append((i, fold(title), fold(lead), ""))
        for position in range(5 if i > 10 else 0):
            same = rng.random() < 0.6
            j = rng.randrange(max(1, i - 2000), i)
            j = j - (j % len(SITES)) + (i % len(SITES)) if same else j
            if 0 < j < i:
                target = f"https://{SITES[j % len(SITES)]}.example.vn/{j}.html"
                links.append((url, target, "Tin liên quan", position))
        if rng.random() < 0.01:
            versions.append((i, url, title + " (cũ)", lead + " cũ", when.isoformat() + "+00:00"))
        if rng.random() < 0.05 and i > 1:
            clusters += [(i - 1, i - 1, 1.0), (i - 1, i, 0.9)]
    with conn:
        conn.executemany(
            "INSERT INTO articles (id, url, site, province, title, description, text, "
            "published, author, first_seen, removed) VALUES (?,?,?,?,?,?,?,?,?,?,?)", articles)
        conn.executemany("INSERT INTO articles_fts (rowid, title, description, text) "
                         "VALUES (?,?,?,?)", fts)
        conn.executemany("INSERT OR IGNORE INTO related_links (from_url, to_url, block, "
                         "position) VALUES (?,?,?,?)", links)
        conn.executemany("INSERT INTO article_versions (article_id, url, title, text, replaced) "
                         "VALUES (?,?,?,?,?)", versions)
        conn.executemany("INSERT OR IGNORE INTO story_clusters (cluster_id, article_id, "
                         "similarity) VALUES (?,?,?)", clusters)
        conn.executemany("INSERT INTO sites (id, province) VALUES (?, ?)",
                         [(s, PROVINCES[k % len(PROVINCES)]) for k, s in enumerate(SITES)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(path)
    print(f"built {path}: {n:,} articles, {len(links):,} related links", flush=True)
    # fmt: skip


URLS = [
    ("chart: articles per day, all sites (90 days)",
     "/{db}/chart_articles_per_day.json?_shape=objects&site=&days=&since="),
    ("chart: articles per day, one site, 3 years",
     "/{db}/chart_articles_per_day.json?_shape=objects&site=site07&days=&since=2023-01-01"),
    ("chart: related promotion, all sites (12 months)",
     "/{db}/related_promotion_per_month.json?_shape=objects&site=&months=&other_sites="),
    ("chart: related promotion, one site (36 months)",
     "/{db}/related_promotion_per_month.json?_shape=objects&site=site07&months=36&other_sites="),
    ("chart page (HTML)", "/-/tintuc/charts/{db}/articles-per-day"),
    ("feed: site", "/{db}/feed_site.atom?site=site07"),
    ("feed: province", "/{db}/feed_province.atom?province=Tỉnh 3"),
    ("feed: search, common word", "/{db}/feed_search.atom?q=phat trien"),
    ("feed: changed and removed, all sites", "/{db}/feed_changed.atom?site="),
    ("feed: changed and removed, one site", "/{db}/feed_changed.atom?site=site07"),
]  # fmt: skip


async def measure(path: Path, repeat: int) -> None:
    from datasette.app import Datasette

    from tintuc.web import SERVE_SETTINGS

    ds = Datasette([str(path)], settings=SERVE_SETTINGS, immutables=[])
    db = path.stem
    print(f"\nload average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'what':50} {'median s':>9} {'max s':>7} {'CPU s':>7}  status")
    for label, url in URLS:
        url = url.format(db=db)
        walls, cpus, status = [], [], set()
        for attempt in range(repeat + 1):  # the first is a warm-up
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                status.add((await ds.client.get(url)).status_code)
            except Exception as exc:  # noqa: BLE001 - e.g. the SQL time limit: say so
                status.add(type(exc).__name__)
            if attempt:
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
        print(f"{label:50} {statistics.median(walls):9.3f} {max(walls):7.3f} "
              f"{statistics.median(cpus):7.3f}  {sorted(map(str, status))}")  # fmt: skip


def trigger_cost(articles: int = 20_000, per_article: int = 5) -> None:
    """CPU time to store articles and their related links with and without the triggers that
    keep related_site_links (migration m010), in two fresh archives."""
    import tempfile

    from pipelines.archive.schema import open_archive

    for keep in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            open_archive(Path(tmp) / "a.db").close()
            conn = sqlite3.connect(Path(tmp) / "a.db")
            if not keep:
                names = conn.execute("select name from sqlite_master where type = 'trigger' "
                                     "and name like 'related_site_links%'").fetchall()
                for (name,) in names:
                    conn.execute(f"drop trigger {name}")
            rng = random.Random(1)
            c0 = time.process_time()
            with conn:
                for i in range(1, articles + 1):
                    url = f"https://s{i % 40}.example.vn/{i}.html"
                    conn.execute("insert into articles (url, site, published) values (?, ?, ?)",
                                 (url, f"s{i % 40}", "2025-01-01T08:00:00+07:00"))
                    conn.executemany(
                        "insert or ignore into related_links (from_url, to_url, block, position)"
                        " values (?, ?, 'b', ?)",
                        [(url, f"https://s{j % 40}.example.vn/{j}.html", k)
                         for k, j in enumerate(rng.sample(range(1, i + 1), min(i, per_article)))])
            cpu = time.process_time() - c0
            conn.close()
        label = "with" if keep else "without"
        print(f"storing {articles:,} articles and their links {label} the count triggers: "
              f"{cpu:.2f} s CPU ({cpu / articles * 1000:.3f} ms per article)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"charts-{args.articles}-v{VERSION}.db"
    if not path.exists():
        t0 = time.monotonic()
        build(args.articles, path)
        print(f"  in {time.monotonic() - t0:.0f} s")
    asyncio.run(measure(path, args.repeat))
    trigger_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())
