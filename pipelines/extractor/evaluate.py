"""Evaluation harness: the project's extraction against ground truth and plain trafilatura.

Two modes:

* ``python -m pipelines.extractor.evaluate DIR [--floor eval-floor.json] [--update-floor]``
  scores every
  ``<key>.html`` + ``<key>.json`` page in DIR (title, date, body word P/R/F1, related-link
  P/R/F1 on canonical URLs, leaked related headlines) for the project and for trafilatura.
* ``python -m pipelines.extractor.evaluate --benchmark DIR`` scores body text on the
  article-extraction-benchmark (4-word shingles with counts; precision and recall averaged over
  pages, F1 from those averages).

With ``--floor`` the run fails (exit 1) when a total falls below the stored best figures;
``--update-floor`` raises the stored figures to the current ones (never lowers them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from trafilatura import bare_extraction

from crawler.urls import canonical_url
from pipelines.extractor.article import extract_article
from pipelines.text import fold

TARGETS = {"body_f1": 0.97, "related_f1": 0.95, "leak": 0, "title": 1.0, "date": 1.0}
LOWER_IS_BETTER = frozenset({"leak"})


def words(text: str | None) -> list[str]:
    """Word tokens (Unicode ``\\w+`` runs, casefolded)."""
    return re.findall(r"\w+", (text or "").casefold())


def shingles(text: str | None, n: int = 4) -> Counter:
    """Counts of consecutive word n-grams of ``text``."""
    tokens = words(text)
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def prf(predicted: Counter | Iterable, gold: Counter | Iterable) -> tuple[float, float, float]:
    """Precision, recall and F1 of two bags (Counters or iterables, counted).

    Two empty bags score 1.0 everywhere; an empty prediction against a non-empty truth (or the
    reverse) scores 0.0 for the undefined side.
    """
    pred = predicted if isinstance(predicted, Counter) else Counter(predicted)
    true = gold if isinstance(gold, Counter) else Counter(gold)
    if not pred and not true:
        return 1.0, 1.0, 1.0
    hits = sum((pred & true).values())
    p = hits / sum(pred.values()) if pred else 0.0
    r = hits / sum(true.values()) if true else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _key(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def title_match(title: str | None, truth: dict) -> bool:
    """True when ``title`` equals the true title or an alternate (case/accent/punctuation-blind)."""
    wanted = {_key(t) for t in [truth.get("title"), *truth.get("title_alternates", [])] if t}
    return bool(title) and _key(title) in wanted


def date_match(published: str | None, truth: dict) -> bool:
    """True when the local calendar day of ``published`` is the true one."""
    return bool(published) and published[:10] == (truth.get("published") or "")[:10]


def leaks(text: str | None, headlines: Iterable[str]) -> int:
    """How many related headlines (of four words or more) appear inside the body text."""
    body = _key(text)
    return sum(1 for h in headlines if len(_key(h).split()) >= 4 and _key(h) in body)


def comparable_url(url: str) -> str:
    """A related link for scoring: canonical (:func:`crawler.urls.canonical_url`, as the archive
    stores it) and without a trailing slash, which hand-written ground truth is loose about."""
    try:
        parts = urlsplit(canonical_url(url))
    except ValueError:
        return url.strip()
    return urlunsplit(parts._replace(path=parts.path.rstrip("/")))


def score_page(result: dict | None, truth: dict) -> dict:
    """Score one extraction result (an ``extract_article``-like dict or None) against truth."""
    result = result or {}
    text = result.get("text")
    bp, br, bf = prf(words(text), words("\n".join(truth.get("paragraphs", []))))
    predicted = [comparable_url(r["url"]) for r in result.get("related") or []]
    gold = [comparable_url(r["url"]) for r in truth.get("related", [])]
    rp, rr, rf = prf(set(predicted), set(gold))
    return {
        "title": float(title_match(result.get("title"), truth)),
        "date": float(date_match(result.get("published"), truth)),
        "body_p": bp, "body_r": br, "body_f1": bf,
        "related_p": rp, "related_r": rr, "related_f1": rf,
        "leak": leaks(text, [r["text"] for r in truth.get("related", [])]),
    }


def trafilatura_baseline(html: str | bytes, url: str) -> dict:
    """Plain trafilatura (defaults, metadata on) shaped like an ``extract_article`` result."""
    doc = bare_extraction(html, url=url, with_metadata=True)
    found = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    return {"title": found.get("title"), "published": found.get("date"),
            "text": found.get("text") or "", "related": []}


def _total(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) / len(rows) for k in rows[0] if k != "leak"}
    total["leak"] = sum(r["leak"] for r in rows)
    return total


def evaluate_dir(path: str | Path) -> dict:
    """Score project and trafilatura on every ``<key>.html`` + ``<key>.json`` in ``path``.

    Returns ``{"pages": {key: {"project": scores, "baseline": scores}},
    "total": {"project": means, "baseline": means}}`` (leak is summed, not averaged).
    """
    folder = Path(path)
    pages = sorted(p for p in folder.glob("*.json") if p.with_suffix(".html").exists())
    if not pages:
        raise FileNotFoundError(f"no <key>.html + <key>.json pages in {folder}")
    out: dict = {"pages": {}, "total": {}}
    for page in pages:
        truth = json.loads(page.read_text(encoding="utf-8"))
        html = page.with_suffix(".html").read_bytes()
        out["pages"][page.stem] = {
            "project": score_page(extract_article(html, truth["url"]), truth),
            "baseline": score_page(trafilatura_baseline(html, truth["url"]), truth),
        }
    for side in ("project", "baseline"):
        out["total"][side] = _total([p[side] for p in out["pages"].values()])
    return out


def _benchmark_page(job: tuple[str, str, str]) -> tuple[str, str, str]:
    page_id, file, url = job
    raw = gzip.decompress(Path(file).read_bytes())
    try:
        mine = (extract_article(raw, url) or {}).get("text") or ""
    except Exception as exc:  # noqa: BLE001 - report, do not abort a long run
        print(f"{page_id}: extract_article raised {exc!r}", file=sys.stderr)
        mine = ""
    return page_id, mine, trafilatura_baseline(raw, url)["text"]


def evaluate_benchmark(path: str | Path, processes: int = 2) -> dict:
    """Shingle P/R/F1 of project and trafilatura on the article-extraction-benchmark.

    Precision and recall are averaged over pages and F1 is computed from the averages (the
    benchmark's published method). Returns ``{"pages": n, "project": {...}, "baseline": {...}}``.
    """
    folder = Path(path)
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    jobs = [(k, str(folder / "html" / f"{k}.html.gz"), v.get("url") or "")
            for k, v in sorted(truth.items())]
    with Pool(processes) as pool:
        results = pool.map(_benchmark_page, jobs, chunksize=4)
    sums = {"project": [0.0, 0.0], "baseline": [0.0, 0.0]}
    for page_id, mine, theirs in results:
        gold = shingles(truth[page_id]["articleBody"])
        for side, text in (("project", mine), ("baseline", theirs)):
            p, r, _ = prf(shingles(text), gold)
            sums[side][0] += p
            sums[side][1] += r
    out: dict = {"pages": len(results)}
    for side, (p, r) in sums.items():
        p, r = p / len(results), r / len(results)
        out[side] = {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def _fmt(value: float, key: str) -> str:
    return f"{int(value):d}" if key == "leak" else f"{value:.3f}"


def format_dir(report: dict) -> str:
    """Human-readable table of an ``evaluate_dir`` report (project / trafilatura per figure)."""
    keys = list(report["total"]["project"])
    lines = ["page".ljust(16) + "".join(k.rjust(14) for k in keys)]
    rows = [*report["pages"].items(), ("TOTAL", report["total"])]
    for name, sides in rows:
        cells = "".join(
            f"{_fmt(sides['project'][k], k)}/{_fmt(sides['baseline'][k], k)}".rjust(14)
            for k in keys)
        lines.append(name[:16].ljust(16) + cells)
    lines.append("(each cell: project/trafilatura)")
    lines.append("distance to targets (project):")
    for name, sides in report["pages"].items():
        gaps = [f"{k} {sides['project'][k] - t:+.3f}" for k, t in TARGETS.items()
                if (sides["project"][k] > t if k in LOWER_IS_BETTER else sides["project"][k] < t)]
        lines.append(f"  {name}: " + (", ".join(gaps) if gaps else "all targets met"))
    return "\n".join(lines)


def format_benchmark(report: dict) -> str:
    """Human-readable summary of an ``evaluate_benchmark`` report."""
    lines = [f"article-extraction-benchmark, {report['pages']} pages (4-word shingles)",
             f"{'':12}{'P':>8}{'R':>8}{'F1':>8}"]
    for side, label in (("project", "project"), ("baseline", "trafilatura")):
        s = report[side]
        lines.append(f"{label:12}{s['p']:8.3f}{s['r']:8.3f}{s['f1']:8.3f}")
    return "\n".join(lines)


def check_floor(totals: dict, floor: dict) -> list[str]:
    """Names of the figures in ``totals`` that fall below (or, for leak, above) ``floor``."""
    bad = []
    for key, limit in floor.items():
        if key not in totals:
            continue
        worse = totals[key] > limit if key in LOWER_IS_BETTER else totals[key] < limit - 1e-9
        if worse:
            bad.append(f"{key}: {totals[key]:.4f} vs floor {limit:.4f}")
    return bad


def raise_floor(totals: dict, floor: dict) -> dict:
    """Floor moved up to ``totals`` wherever they are better; never moved down."""
    new = dict(floor)
    for key, value in totals.items():
        value = math.floor(value * 10_000) / 10_000 if key not in LOWER_IS_BETTER else value
        if key not in new:
            new[key] = value
        elif key in LOWER_IS_BETTER:
            new[key] = min(new[key], value)
        else:
            new[key] = max(new[key], value)
    return new


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.extractor.evaluate", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", nargs="?", help="folder of <key>.html + <key>.json pages")
    parser.add_argument("--benchmark", help="article-extraction-benchmark folder")
    parser.add_argument("--floor", help="JSON file of minimum totals (eval-floor.json)")
    parser.add_argument("--update-floor", action="store_true", help="raise the floor file")
    args = parser.parse_args(argv)
    if not args.dir and not args.benchmark:
        parser.error("give DIR or --benchmark DIR")

    totals: dict = {}
    if args.dir:
        report = evaluate_dir(args.dir)
        print(format_dir(report))
        totals.update({f"pages.{k}": v for k, v in report["total"]["project"].items()})
    if args.benchmark:
        report = evaluate_benchmark(args.benchmark)
        print(format_benchmark(report))
        totals.update({f"benchmark.{k}": v for k, v in report["project"].items()})
        if report["project"]["f1"] < report["baseline"]["f1"]:
            print("benchmark: project F1 below plain trafilatura", file=sys.stderr)

    if not args.floor:
        return 0
    floor_path = Path(args.floor)
    floor = json.loads(floor_path.read_text()) if floor_path.exists() else {}
    if args.update_floor:
        floor = raise_floor(totals, floor)
        floor_path.write_text(json.dumps(floor, indent=2, sort_keys=True) + "\n")
        print(f"floor written to {floor_path}")
        return 0
    failures = check_floor(totals, floor)
    for failure in failures:
        print(f"BELOW FLOOR {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
