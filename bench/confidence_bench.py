"""Does the confidence figure predict a bad extraction? Body F1 against ``confidence``, per page.

    python bench/confidence_bench.py              # every set with ground truth
    python bench/confidence_bench.py --list 25    # longer lists of worst pages

Sets: the real Vietnamese page folders (``$SHARED/fixtures/vn``, ``tests/pages/vn`` and each
folder of ``$SHARED/pages``, where present; body F1 on words, as ``make eval`` scores them) and
every benchmark folder under ``$SHARED/benchmarks`` with ``ground-truth.json`` and ``html/``
(body F1 on 4-word shingles, as ``--benchmark``): see ``pipelines/extractor/evaluate.py``.

For all pages, and for two halves (alternate pages in set and key order: a rule fitted on one
half is checked on the other), it prints how well ``confidence`` ranks the pages:

* Spearman's rank correlation between confidence and body F1;
* of the 10 % of pages with the lowest confidence, how many are among the 10 % worst by F1
  (ties in confidence broken against the figure: the better page counts as the lower one);
* AUC: the chance that a page with body F1 below 0.8 (0.9) has a lower confidence than a
  page above (ties count half; 0.5 is a coin);
* mean body F1 of the pages below ``DOUBTFUL_BELOW`` and of the rest, and of the pages that
  ``tintuc reextract --flagged`` would redo (below it, or a flag of ``DOUBTFUL_FLAGS``).

Each is shown for the extractor's figure ("now") and for the figure as it was before body
signals were added ("before": recomputed from the flags by that formula, :func:`before`).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipelines.archive.store import DOUBTFUL_BELOW, DOUBTFUL_FLAGS  # noqa: E402
from pipelines.extractor.article import extract_article  # noqa: E402
from pipelines.extractor.evaluate import load_pages, prf, score_page, shingles  # noqa: E402

SHARED = Path(os.environ.get("SHARED", HERE.parent.parent / "shared"))

# The figure before body signals (commit 29028be): 1 less these costs per flag, 0.2 without a
# title, 0.15 for a text under 300 characters.
BEFORE_DOUBTS = {"fallback_used": 0.4, "recovered_text": 0.25, "plain_disagrees": 0.25,
                 "no_body_container": 0.1, "no_date": 0.2, "date_from_url_only": 0.1}


def before(result: dict) -> float:
    """The confidence the extractor gave before body signals, from ``result``'s flags (the
    flags it used are unchanged; the new ones cost nothing in that formula)."""
    doubt = sum(BEFORE_DOUBTS.get(flag, 0.0) for flag in result["flags"])
    doubt += 0.2 if not result["title"] else 0.0
    doubt += 0.15 if len(result["text"]) < 300 else 0.0
    return round(max(0.0, 1.0 - doubt), 2)


def pages(shared: Path):
    """``(set, key, html bytes, url, scorer)`` for every page with ground truth; ``scorer``
    maps an extraction result (or None) to its body F1."""
    folders = [shared / "fixtures" / "vn", HERE.parent / "tests" / "pages" / "vn",
               *sorted((shared / "pages").glob("*/"))]
    for folder in folders:
        if folder.is_dir():
            for key, html, truth in load_pages(folder):
                yield folder.name, key, html, truth["url"], (
                    lambda result, truth=truth: score_page(result, truth)["body_f1"])
    for truth_file in sorted((shared / "benchmarks").glob("*/ground-truth.json")):
        folder = truth_file.parent
        for key, value in sorted(json.loads(truth_file.read_text(encoding="utf-8")).items()):
            file = folder / "html" / f"{key}.html.gz"
            if file.exists():
                gold = shingles(value["articleBody"])
                html, url = gzip.decompress(file.read_bytes()), value.get("url") or ""
                yield folder.name, key, html, url, (
                    lambda result, gold=gold: prf(shingles((result or {}).get("text")), gold)[2])


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties given their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: list[float], y: list[float]) -> float:
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / var if var else 0.0


def auc(conf: list[float], f1: list[float], bad_below: float) -> float | None:
    """Chance that a page with F1 under ``bad_below`` has lower confidence than one above."""
    bad = [c for c, f in zip(conf, f1, strict=True) if f < bad_below]
    good = [c for c, f in zip(conf, f1, strict=True) if f >= bad_below]
    if not bad or not good:
        return None
    wins = sum(1.0 if b < g else 0.5 if b == g else 0.0 for b in bad for g in good)
    return wins / (len(bad) * len(good))


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "  -  "


def report(rows: list[dict], figure: str) -> str:
    """One line of figures for ``rows`` ranked by ``row[figure]``."""
    conf, f1 = [r[figure] for r in rows], [r["f1"] for r in rows]
    k = max(1, round(len(rows) / 10))
    worst = set(sorted(range(len(rows)), key=lambda i: f1[i])[:k])
    lowest = set(sorted(range(len(rows)), key=lambda i: (conf[i], -f1[i]))[:k])
    below = [f for c, f in zip(conf, f1, strict=True) if c < DOUBTFUL_BELOW]
    above = [f for c, f in zip(conf, f1, strict=True) if c >= DOUBTFUL_BELOW]
    flagged = [r["f1"] for r in rows
               if r[figure] < DOUBTFUL_BELOW or set(r["flags"]) & set(DOUBTFUL_FLAGS)]
    aucs = [auc(conf, f1, t) for t in (0.8, 0.9)]
    return (f"{spearman(conf, f1):+8.2f} {len(worst & lowest):>5}/{k:<3}"
            + "".join(f"{a:8.2f}" if a is not None else "       -" for a in aucs)
            + f"  {len(below):>4} {_mean(below)}  {len(above):>4} {_mean(above)}"
            + f"  {len(flagged):>4} {_mean(flagged)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--list", type=int, default=15, help="pages listed, worst first")
    args = parser.parse_args(argv)

    rows = []
    for name, key, html, url, scorer in pages(args.shared):
        result = extract_article(html, url)
        rows.append({"set": name, "key": key, "f1": scorer(result),
                     "now": result["confidence"] if result else 0.0,
                     "before": before(result) if result else 0.0,
                     "flags": result["flags"] if result else ["no_result"]})
    if not rows:
        print(f"no pages with ground truth under {args.shared}", file=sys.stderr)
        return 1
    sets = sorted({r["set"] for r in rows})
    print(f"{len(rows)} pages: " + ", ".join(
        f"{s} {sum(r['set'] == s for r in rows)}" for s in sets))
    print(f"{'':16}{'':7}{'spearman':>8} {'low10%':>9}{'auc<.8':>8}{'auc<.9':>8}"
          f"  {f'below {DOUBTFUL_BELOW}: n, F1':>16}  {'above: n, F1':>14}"
          f"  {'--flagged: n, F1':>16}")
    halves = {"all": rows, "half A": rows[0::2], "half B": rows[1::2]}
    for label, part in halves.items():
        for figure in ("before", "now"):
            print(f"{label:16}{figure:7}{report(part, figure)}")
    print(f"\nworst {args.list} pages by body F1 (confidence before -> now, flags now):")
    for r in sorted(rows, key=lambda r: r["f1"])[:args.list]:
        print(f"  {r['set'][:12]:12} {r['key'][:16]:16} F1 {r['f1']:.2f}  "
              f"{r['before']:.2f} -> {r['now']:.2f}  {' '.join(r['flags'])}")
    print(f"\nlowest {args.list} confidence now:")
    for r in sorted(rows, key=lambda r: (r["now"], -r["f1"]))[:args.list]:
        print(f"  {r['set'][:12]:12} {r['key'][:16]:16} F1 {r['f1']:.2f}  "
              f"{r['before']:.2f} -> {r['now']:.2f}  {' '.join(r['flags'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
