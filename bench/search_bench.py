"""Search benchmark: full-text search and CSV export through a real ``tintuc serve``.

    python bench/search_bench.py --articles 200000
    python bench/search_bench.py --articles 1000000 --repeat 5      # the "never > 1 s" check

1. Builds (once; cached as ``/tmp/tintuc-bench/search-<N>-v<V>.db``) an archive of N synthetic
   Vietnamese articles in the product's shape: ``open_archive`` creates the schema, rows go
   into ``articles``, the folded ``articles_fts`` and the narrow ``article_shape`` exactly as
   :func:`pipelines.archive.schema.index_article` and ``index_shape`` write them, in big
   ``executemany`` batches. Word frequencies are Zipf-like, so common words ("của", "tỉnh")
   match most articles, and rare terms are planted in a known ~0.013 % of articles each.
2. Starts ``tintuc serve --db <archive>`` (the product's settings: SQL time limit 3000 ms
   unless ``--time-limit-ms``) and times three endpoints (the table JSON API
   ``/<db>/articles.json?_search=Q&_shape=array``, the plugin's ranked JSON, the HTML search
   page) for diacritic and plain-ASCII spellings of rare, medium and common words,
   ``--repeat`` times each after one warm-up (3 times when the warm-up took over 1 s), with
   keep-alive HTTP: p50/p95/max per query, status codes, and how many articles match.
   The same queries through the shape of a search (``/-/tintuc/shape/<db>.json``: matches per
   site, province and year, exact or estimated), and the canned ``term_over_time`` query
   (matches per month and site) for a rare, a common and a very common term.
3. Exports every article matching a broad query as CSV, timing it (wall and CPU) and its peak
   memory:
   ``tintuc export --query Q -o FILE`` (peak RSS of that process from ``wait4``), and
   Datasette's streamed CSV ``/<db>/articles.csv?_search=Q&_stream=on`` (the server's peak
   RSS, sampled, against its RSS before the request).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import vntext  # noqa: E402
from crawl_bench import machine, tintuc_bin  # noqa: E402
from proctree import TreeSampler  # noqa: E402

SLOW_REPEAT = 3  # timed runs of a query whose warm-up took over 1 s
VERSION = 1  # bump when the generated data changes: cached archives are keyed by it
CACHE = Path(os.environ.get("TINTUC_BENCH_CACHE", "/tmp/tintuc-bench"))
MB = 1024 * 1024
SITES = [f"{p}-{k}" for p in ("bao", "cong", "so") for k in (
    "quangninh", "laocai", "haiphong", "thaibinh", "namdinh", "ninhbinh", "thanhhoa",
    "nghean", "hatinh", "quangbinh", "hue", "danang", "quangnam", "binhdinh")]  # fmt: skip
QUERIES = [
    # (kind, query as typed)
    ("rare", "sá sùng"), ("rare", "sa sung"),
    ("rare", "Ngọc Vừng"), ("rare", "ngoc vung"),
    ("rare", "trà hoa vàng"), ("rare", "tra hoa vang"),
    ("medium", "huy chương"), ("medium", "huy chuong"),
    ("medium", "cứu hộ"), ("medium", "cuu ho"),
    ("medium", "Móng Cái"), ("medium", "mong cai"),
    ("common", "phát triển"), ("common", "phat trien"),
    ("common", "kinh tế"), ("common", "kinh te"),
    ("common", '"nông thôn mới"'), ("common", '"nong thon moi"'),
    ("very common", "tỉnh"), ("very common", "tinh"),
    ("very common", "của"), ("very common", "cua"),
]
PHRASES = ["nông thôn mới", "an sinh xã hội", "chuyển đổi số", "phát triển kinh tế",
           "cải cách hành chính", "thủ tục hành chính", "du lịch biển đảo"]
EXPORT_QUERIES = [("narrow", "huy chương"), ("broad", "phát triển")]
TERMS = ["sá sùng", "huy chương", '"nông thôn mới"', "phát triển", "của"]  # term_over_time


# --------------------------------------------------------------------------- build
def build(n: int, path: Path) -> None:
    """Write ``n`` synthetic articles to a new archive at ``path``."""
    from pipelines.archive.schema import open_archive, shape_month
    from pipelines.archive.store import content_hash
    from pipelines.text import fold

    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    open_archive(tmp).close()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous = OFF")
    rng = random.Random(VERSION)
    sentences = []
    for _ in range(60_000):
        sentence = vntext.sentence(rng)
        if rng.random() < 0.05:  # set phrases, so that phrase searches have matches
            sentence = sentence[:-1] + " " + rng.choice(PHRASES) + "."
        sentences.append(sentence)
    folded = [fold(x) for x in sentences]  # fold() of a joined text = join of folded parts
    pick = range(len(sentences))
    epoch = datetime(2015, 1, 1)
    cols = ("id", "url", "site", "title", "description", "text", "published", "author",
            "language", "first_seen", "last_seen", "content_hash")  # fmt: skip
    marks = ", ".join("?" * len(cols))
    insert_article = f"INSERT INTO articles ({', '.join(cols)}) VALUES ({marks})"
    insert_fts = "INSERT INTO articles_fts (rowid, title, description, text) VALUES (?, ?, ?, ?)"
    insert_shape = "INSERT INTO article_shape (id, month, site_id) VALUES (?, ?, ?)"
    with conn:  # the sites' numbers, as index_shape() gives them (no province: no registry)
        conn.executemany("INSERT INTO shape_labels (kind, value) VALUES ('site', ?)",
                         [(site,) for site in SITES])  # fmt: skip
    site_ids = dict(conn.execute("SELECT value, id FROM shape_labels WHERE kind = 'site'"))
    start = time.monotonic()
    batch_a, batch_f, batch_s = [], [], []
    for i in range(1, n + 1):
        title = vntext.title(rng)
        lead = rng.choices(pick, k=2)
        paras = [rng.choices(pick, k=rng.randint(3, 6)) for _ in range(rng.randint(5, 12))]
        description = " ".join(sentences[k] for k in lead)
        body = [" ".join(sentences[k] for k in p) for p in paras]
        body_folded = [" ".join(folded[k] for k in p) for p in paras]
        rare = vntext.rare_term(rng)
        if rare:
            where = rng.randrange(len(body))
            extra = f" Đặc sản {rare} được nhiều du khách tìm mua."
            body[where] += extra
            body_folded[where] += fold(extra)
        description_folded = " ".join(folded[k] for k in lead)
        text = "\n".join([description, *body])
        text_folded = "\n".join([description_folded, *body_folded])
        if i <= 50:
            assert text_folded == fold(text) and description_folded == fold(description)
        site = SITES[i % len(SITES)]
        when = epoch + timedelta(minutes=int(i * 5_250_000 / n) + rng.randint(0, 59))
        published = when.strftime("%Y-%m-%dT%H:%M:00+07:00")
        row = {"title": title, "description": description, "text": text}
        seen = (when + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:00+00:00")
        batch_a.append((
            i, f"https://{site}.example.vn/tin-tuc/{vntext.slugify(title)}-{i}.html", site,
            title, description, text, published, rng.choice(("Minh An", "Thu Hà", "Văn Sơn")),
            "vi", seen, seen, content_hash(row),
        ))  # fmt: skip
        batch_f.append((i, fold(title), description_folded, text_folded))
        batch_s.append((i, shape_month(published), site_ids[site]))
        if len(batch_a) >= 5000 or i == n:
            with conn:
                conn.executemany(insert_article, batch_a)
                conn.executemany(insert_fts, batch_f)
                conn.executemany(insert_shape, batch_s)
            batch_a, batch_f, batch_s = [], [], []
            if i % 50_000 == 0 or i == n:
                rate = i / (time.monotonic() - start)
                print(f"  built {i:,} articles ({rate:,.0f}/s)", flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.rename(path)


def archive_for(n: int, rebuild: bool = False) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"search-{n}-v{VERSION}.db"
    if rebuild or not path.exists():
        print(f"building {path} ({n:,} articles) …", flush=True)
        t0 = time.monotonic()
        build(n, path)
        print(f"  built in {time.monotonic() - t0:.0f} s", flush=True)
    from pipelines.archive.schema import open_archive

    t0 = time.monotonic()
    open_archive(path).close()  # a cached archive gets the current schema (e.g. article_shape)
    if time.monotonic() - t0 > 5:
        print(f"  migrated {path} in {time.monotonic() - t0:.0f} s", flush=True)
    return path


def match_count(path: Path, query: str) -> int:
    from tintuc.export import fts_query

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                            [fts_query(query)]).fetchone()[0]  # fmt: skip
    finally:
        conn.close()


# --------------------------------------------------------------------------- serve
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, time_limit_ms: int | None):
        self.db, self.time_limit_ms = db, time_limit_ms

    def __enter__(self) -> Server:
        import httpx

        self.port = free_port()
        cmd = [tintuc_bin(), "serve", "--db", str(self.db), "--port", str(self.port)]
        if self.time_limit_ms:
            cmd += ["--time-limit-ms", str(self.time_limit_ms)]
        self.command = " ".join(cmd)
        self.log = open(CACHE / "serve.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        self.client = httpx.Client(base_url=self.base, timeout=120)
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.client.get("/-/versions.json").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"tintuc serve did not start; see {self.log.name}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait(20)
        self.log.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def endpoints(dbname: str) -> list[tuple[str, str, dict]]:
    """(label, path, extra params) of the searches timed: the JSON API the brief names, the
    plugin's ranked JSON, and the HTML search page a reader gets from the search box."""
    return [
        ("table JSON", f"/{dbname}/articles.json", {"_shape": "array"}),
        ("ranked JSON", f"/-/tintuc/search/{dbname}.json", {}),
        ("search page", f"/{dbname}/articles", {}),
        ("shape JSON", f"/-/tintuc/shape/{dbname}.json", {}),
    ]


def time_searches(server: Server, dbname: str, repeat: int, path: Path) -> list[dict]:
    out = []
    counts = {query: match_count(path, query) for _, query in QUERIES}
    for label, url, extra in endpoints(dbname):
        print(f"  {label}: GET {url}?_search=Q" + "".join(f"&{k}={v}" for k, v in extra.items()))
        for kind, query in QUERIES:
            params = {"_search": query, **extra}
            times, statuses, rows, error, how = [], [], None, "", ""
            runs = repeat
            cpu = 0.0
            for k in range(repeat + 1):
                if k > runs:
                    break
                if k == 1:
                    cpu = cpu_seconds(server.proc.pid)
                t0 = time.perf_counter()
                resp = server.client.get(url, params=params)
                dt = time.perf_counter() - t0
                if k == 0:
                    if dt > 1.0:  # a slow query: 3 timed runs tell enough, and save minutes
                        runs = min(repeat, SLOW_REPEAT)
                    continue  # warm-up
                times.append(dt * 1000)
                statuses.append(resp.status_code)
                if resp.status_code != 200:
                    error = error or re.sub(r"\s+", " ", resp.text)[:300]
                elif url.endswith(".json"):
                    body = resp.json()
                    rows = len(body) if isinstance(body, list) else len(body.get("rows", []))
                    if isinstance(body, dict) and body.get("ranking"):
                        how = body["ranking"]
                    if isinstance(body, dict) and "exact" in body:  # the shape of a search
                        total = body["total"]
                        how = f"total {total['count']:,}" + (
                            " exact" if body["exact"] else f" ±{total['margin']:,} estimated"
                        )
                if resp.headers.get("x-tintuc-search"):
                    how = "table: " + resp.headers["x-tintuc-search"].split(":")[0]
            cpu_ms = (cpu_seconds(server.proc.pid) - cpu) * 1000 / len(times)
            r = {
                "endpoint": label, "kind": kind, "query": query, "matches": counts[query],
                "cpu_ms": cpu_ms,
                "rows": rows, "p50_ms": statistics.median(times), "p95_ms": pct(times, 0.95),
                "max_ms": max(times), "n": len(times), "statuses": sorted(set(statuses)),
                "error": error, "how": how,
                "diacritics": any(ord(c) > 127 for c in query),
            }  # fmt: skip
            out.append(r)
            print(f"    {kind:11} {query!r:18} {r['matches']:>9,} matches  "
                  f"p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}  max {r['max_ms']:7.1f} ms"
                  f" (n={r['n']}); server CPU {cpu_ms:6.1f} ms/request"
                  f"  HTTP {','.join(map(str, r['statuses']))}"
                  + (f"  {error[:100]}" if error else "")
                  + (f"  [{how}]" if how else ""), flush=True)  # fmt: skip
    return out


def time_term_over_time(server: Server, dbname: str, repeat: int) -> list[dict]:
    """The canned term_over_time query (matches per month and site) for each of TERMS."""
    out = []
    for term in TERMS:
        times, statuses, rows, cpu, truncated = [], [], [], 0.0, False
        for k in range(repeat + 1):
            if k == 1:
                cpu = cpu_seconds(server.proc.pid)
            t0 = time.perf_counter()
            resp = server.client.get(f"/{dbname}/term_over_time.json",
                                     params={"term": term, "_shape": "objects"})  # fmt: skip
            dt = (time.perf_counter() - t0) * 1000
            if k:
                times.append(dt)
                statuses.append(resp.status_code)
            if resp.status_code == 200:
                rows, truncated = resp.json()["rows"], resp.json().get("truncated")
        cpu_ms = (cpu_seconds(server.proc.pid) - cpu) * 1000 / len(times)
        r = {"term": term, "p50_ms": statistics.median(times), "p95_ms": pct(times, 0.95),
             "cpu_ms": cpu_ms,
             "max_ms": max(times), "n": len(times), "statuses": sorted(set(statuses)),
             "groups": len(rows), "articles": sum(x["articles"] for x in rows)}  # fmt: skip
        out.append(r)
        print(f"    {term!r:18} {r['articles']:>9,} dated matches in {r['groups']:>5,} "
              f"(month, site) rows  p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}  max "
              f"{r['max_ms']:7.1f} ms (n={r['n']}); server CPU {cpu_ms:6.1f} ms/request  HTTP "
              f"{','.join(map(str, r['statuses']))}"
              + (" TRUNCATED by Datasette's max_returned_rows" if truncated else ""),
              flush=True)  # fmt: skip
    return out


def export_cli(path: Path, query: str, out: Path) -> dict:
    cmd = [tintuc_bin(), "export", "--db", str(path), "--query", query, "-o", str(out)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    err = proc.stderr.read().strip()
    proc.stderr.close()
    m = re.search(r"(\d+) articles exported", err)
    return {"command": " ".join(cmd), "exit": os.waitstatus_to_exitcode(status),
            "rows": int(m.group(1)) if m else None, "wall_s": wall,
            "mb": out.stat().st_size / MB if out.exists() else 0,
            "cpu_s": rusage.ru_utime + rusage.ru_stime,
            "peak_rss_mb": rusage.ru_maxrss / 1024, "stderr": err[-300:]}  # fmt: skip


def export_datasette(server: Server, dbname: str, query: str) -> dict:
    sampler = TreeSampler(server.proc.pid, interval=0.05, pss=False)
    sampler.sample()
    before = sampler.peak_rss
    sampler.start()
    t0 = time.monotonic()
    size = lines = 0
    params = {"_search": query, "_stream": "on", "_size": "max"}
    with server.client.stream("GET", f"/{dbname}/articles.csv", params=params) as resp:
        status = resp.status_code
        final_url = str(resp.url)
        for chunk in resp.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    wall = time.monotonic() - t0
    sampler.stop()
    return {"url": final_url.replace(server.base, ""), "status": status, "wall_s": wall,
            "mb": size / MB, "newlines": lines, "rss_before_mb": before / MB,
            "peak_rss_mb": sampler.peak_rss / MB}  # fmt: skip


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=10, help="timed requests per query")
    ap.add_argument("--time-limit-ms", type=int, help="passed to tintuc serve (default: its own)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached archive")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--no-search", action="store_true",
                    help="skip the search and term_over_time timings (exports only)")  # fmt: skip
    args = ap.parse_args(argv)

    path = archive_for(args.articles, args.rebuild)
    dbname = path.stem
    size = path.stat().st_size / MB
    print(f"\n== search benchmark: {args.articles:,} articles, {path} ({size:,.0f} MB); "
          f"machine: {machine()}")
    with Server(path, args.time_limit_ms) as server:
        print(f"server: {server.command}")
        print(f"searches: {len(QUERIES)} queries x {args.repeat} timed requests (after one "
              "warm-up) per endpoint; latency in ms, HTTP status codes seen")
        results = [] if args.no_search else time_searches(server, dbname, args.repeat, path)
        print("summary:")
        for label, _, _ in endpoints(dbname):
            mine = [r for r in results if r["endpoint"] == label]
            if not mine:
                continue
            parts = []
            for name, pick in (("diacritics", True), ("no diacritics", False)):
                sub = [r for r in mine if r["diacritics"] == pick]
                parts.append(f"{name}: median p50 "
                             f"{statistics.median(r['p50_ms'] for r in sub):.1f}, "
                             f"worst p95 {max(r['p95_ms'] for r in sub):.1f}")  # fmt: skip
            rare = [r["p95_ms"] for r in mine if r["kind"] == "rare"]
            failed = [r for r in mine if r["statuses"] != [200]]
            slow = [r for r in mine if r["max_ms"] > 1000]
            worst_cpu = max(mine, key=lambda r: r["cpu_ms"])
            print(f"  {label:12} {'; '.join(parts)}; rare words worst p95 {max(rare):.1f} ms; "
                  f"server CPU per request worst {worst_cpu['cpu_ms']:.1f} ms "
                  f"({worst_cpu['query']!r}); {len(failed)} queries failed, {len(slow)} over 1 s")
            for r in failed:
                print(f"    FAILED {r['query']!r} ({r['matches']:,} matches): HTTP "
                      f"{r['statuses']} {r['error'][:200]}")
        if not args.no_search:
            print(f"\nterm_over_time (per month and site), {args.repeat} timed requests per term:")
            terms = time_term_over_time(server, dbname, args.repeat)
            worst = max(terms, key=lambda r: r["p95_ms"])
            print(f"  worst p95 {worst['p95_ms']:.1f} ms ({worst['term']!r}); worst server CPU "
                  f"{max(r['cpu_ms'] for r in terms):.1f} ms/request")
        if not args.no_export:
            print("\nCSV export of every matching article:")
            for label, query in EXPORT_QUERIES:
                out = CACHE / f"export-{label}.csv"
                r = export_cli(path, query, out)
                print(f"  {label} {query!r}: {r['command']}\n"
                      f"    exit {r['exit']}: {r['rows']} rows, {r['mb']:.0f} MB in "
                      f"{r['wall_s']:.1f} s ({(r['rows'] or 0) / r['wall_s']:,.0f} rows/s; "
                      f"{r['cpu_s']:.1f} s CPU, {(r['rows'] or 0) / r['cpu_s']:,.0f} rows per "
                      f"CPU second); peak RSS {r['peak_rss_mb']:.0f} MB")
                out.unlink(missing_ok=True)
                d = export_datasette(server, dbname, query)
                print(f"    Datasette GET {d['url']}: HTTP {d['status']}, {d['mb']:.0f} MB "
                      f"in {d['wall_s']:.1f} s ({(r['rows'] or 0) / d['wall_s']:,.0f} rows/s); "
                      f"server RSS {d['rss_before_mb']:.0f} MB before, "
                      f"peak {d['peak_rss_mb']:.0f} MB during")
    digest = hashlib.sha1(repr(QUERIES).encode()).hexdigest()[:8]
    print(f"(query set {digest}; archive cached at {path}; 1-min load average now "
          f"{os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
