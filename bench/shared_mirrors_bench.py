"""What sharing the mirror rule across workers costs in Redis (sixteenth session).

A worker's spider asks :class:`crawler.redis_frontier.SharedMirrors` about the new links of
each page in one batch (``request_once``). This script replays a crawl's link batches against
a private ``redis-server`` on a free port: a site of ``--pages`` pages, each linking
``--links`` pages (a menu of 20 the same on every page, the rest new), on the site's host and,
for one page in ten, its ``m.`` copy. It prints Redis round trips per URL asked about, the
Redis memory of the shared sets per page asked for, and the wall time per batch, for the
shared table against the same batches in one process (:class:`crawler.url_shapes.Mirrors`),
alternating the two (a loaded machine slows both alike).

Run::

    .venv/bin/python bench/shared_mirrors_bench.py [--pages 2000] [--links 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from distributed_bench import start_redis  # noqa: E402

from crawler.redis_frontier import SharedMirrors  # noqa: E402
from crawler.spiders.news import mirror_key  # noqa: E402
from crawler.url_shapes import Mirrors  # noqa: E402


def batches(pages: int, links: int) -> list[list[str]]:
    """Each page's links not yet requested by this worker, as ``request_once`` sees them."""
    seen: set[str] = set()
    out = []
    for n in range(pages):
        urls = [f"http://tinh.gov.vn/muc-{k}/" for k in range(20)]
        urls += [f"http://tinh.gov.vn/tin/bai-{n * links + k}.html" for k in range(links - 20)]
        if n % 10 == 0:
            urls.append(f"http://m.tinh.gov.vn/tin/bai-{n * links}.html")
        new = [u for u in urls if u not in seen]
        seen.update(new)
        out.append(new)
    return out


class CountingConnection(redis.Connection):
    """A connection that counts what it sends: one packed send is one round trip."""

    sent = 0

    def send_packed_command(self, command, check_health=True):
        CountingConnection.sent += 1
        return super().send_packed_command(command, check_health)


def replay(mirrors: Mirrors, link_batches: list[list[str]]) -> float:
    start = time.perf_counter()
    mirrors.mirrored("tinh.gov.vn")  # shown a mirror at once: the dearest case, every key read
    for urls in link_batches:
        mirrors.ask([mirror_key(u) for u in urls])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    process, url = start_redis(folder)  # (distributed_bench's: a free port, ready)
    try:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        pool = redis.ConnectionPool(host="127.0.0.1", port=port,
                                    connection_class=CountingConnection)  # fmt: skip
        conn = redis.Redis(connection_pool=pool)
        link_batches = batches(args.pages, args.links)
        urls = sum(map(len, link_batches))
        local, shared = [], []
        for round_ in range(args.rounds):  # alternating: one process, the same batches
            local.append(replay(Mirrors(), link_batches))
            conn.flushdb()
            CountingConnection.sent = 0
            shared.append(replay(SharedMirrors(conn, f"bench:{round_}"), link_batches))
            trips = CountingConnection.sent
            memory = sum(conn.memory_usage(k) or 0 for k in conn.keys("bench:*"))
        print(f"{args.pages} pages, {urls} new links asked about (batches of "
              f"{urls / len(link_batches):.1f}), pid {os.getpid()}")
        print(f"Redis round trips: {trips} ({trips / urls:.3f} per URL, "
              f"{trips / len(link_batches):.2f} per page)")
        print(f"Redis memory of the shared sets: {memory / urls:.0f} bytes per URL")
        print(f"wall per page: one process {min(local) / len(link_batches) * 1e3:.3f} ms, "
              f"shared {min(shared) / len(link_batches) * 1e3:.3f} ms (best of {args.rounds})")
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
