"""Clustering benchmark: the cost of one new article joining the syndicated stories at N.

    python bench/cluster_bench.py --articles 20000
    python bench/cluster_bench.py --articles 200000     # the issue's scale (minutes)

Fills a fresh archive with N synthetic Vietnamese articles (bench/vntext.py), one in ten a
lightly edited copy of an earlier one, clustering each as ``save_articles`` does
(:func:`pipelines.archive.clusters.cluster_article`, in batches of 1,000 per transaction);
then times ``--new`` more articles joining one at a time, each in its own transaction as a
crawl's small batches would. Prints the time per new article (median and p95), the clusters
found and the size of the clustering tables. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import vntext  # noqa: E402

from pipelines.archive.clusters import cluster_article  # noqa: E402
from pipelines.archive.schema import open_archive  # noqa: E402


def texts(rng: random.Random, count: int):
    """Synthetic article bodies; one in ten copies an earlier one with a word changed."""
    kept: list[str] = []
    for _ in range(count):
        if kept and rng.random() < 0.1:
            words = rng.choice(kept).split(" ")
            words[rng.randrange(len(words))] = "đã"
            text = " ".join(words)
        else:
            text = "\n".join(vntext.paragraph(rng) for _ in range(rng.randint(3, 8)))
            if len(kept) < 5000:
                kept.append(text)
        yield text


def table_bytes(db, table: str) -> int:
    return db.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ? OR name LIKE ?",
                      [table, f"sqlite_autoindex_{table}%"]).fetchone()[0] or 0  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        db = open_archive(Path(folder) / "archive.db")
        started = time.perf_counter()
        article_id = 0
        stream = texts(rng, args.articles + args.new)
        for text in stream:
            article_id += 1
            if article_id == 1 or article_id % 1000 == 1:
                db.conn.execute("BEGIN")
            cluster_article(db, article_id, text)
            if article_id % 1000 == 0 or article_id == args.articles:
                db.conn.commit()
            if article_id == args.articles:
                break
        fill = time.perf_counter() - started
        times = []
        for text in stream:
            article_id += 1
            start = time.perf_counter()
            with db.atomic():
                cluster_article(db, article_id, text)
            times.append(time.perf_counter() - start)
        clusters, clustered = db.execute(
            "SELECT count(DISTINCT cluster_id), count(*) FROM story_clusters"
        ).fetchone()
        print(f"{args.articles} articles clustered in {fill:.1f} s "
              f"({fill / args.articles * 1000:.2f} ms each, in batches)")  # fmt: skip
        times.sort()
        print(f"new article at {args.articles}: median {statistics.median(times) * 1000:.2f} ms, "
              f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms ({len(times)} articles, "
              "one transaction each)")  # fmt: skip
        print(f"{clusters} stories, {clustered} articles with a copy")
        for table in ("story_minhash", "story_bands", "story_clusters"):
            print(f"{table}: {table_bytes(db, table) / 1e6:.1f} MB")
        db.close()


if __name__ == "__main__":
    main()
