"""Evaluation harness: the project's extraction against ground truth and plain trafilatura.

Two modes, which one run can combine:

* ``python -m pipelines.extractor.evaluate DIR [DIR ...] [--floor eval-floor.json]
  [--update-floor]`` scores every page in each DIR (title, date, body word P/R/F1,
  related-link P/R/F1 on canonical URLs, leaked related headlines) for the project and for
  trafilatura, and prints them side by side per page. A page is ``<key>.json`` (ground truth)
  with ``<key>.html`` or ``<key>.html.gz``; a ``<key>.provenance.json`` beside it (source
  repository, path, commit, licence, ``sha256`` of the uncompressed bytes) is checked.
* ``--benchmark DIR`` (repeatable) scores body text on a benchmark folder in the
  article-extraction-benchmark layout (``ground-truth.json`` = ``{id: {"articleBody", "url"}}``,
  ``html/<id>.html.gz``): 4-word shingles with counts; precision and recall averaged over pages,
  F1 from those averages. Only the pages where project and trafilatura differ by more than
  0.02 F1 are listed.

With ``--floor`` the run fails (exit 1) when a total falls below the stored best figures, and,
where the floor file switches them on, when a page breaks a per-page rule against plain
trafilatura (see :func:`page_rule_failures`). ``--update-floor`` raises the stored figures to
the current ones (never lowers them).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import re
import sys
import unicodedata
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
# Benchmark pages whose F1 differs by less than this between project and trafilatura are not
# listed one by one (the full table of a benchmark is hundreds of lines).
LIST_DIFFERENCE = 0.02
# Keys of the floor file that switch on the per-page rules (absent or null = off).
MAX_BELOW = "max_below_trafilatura"
NO_ARTICLE = "no_article_where_trafilatura_has_text"
EXEMPT = "per_page_exempt"
PAGE_RULE_KEYS = frozenset({MAX_BELOW, NO_ARTICLE, EXEMPT})


def words(text: str | None) -> list[str]:
    """Word tokens (Unicode ``\\w+`` runs, casefolded) of the NFC text: a ground truth written
    in decomposed Unicode (NFD) is read as the same words ("ü" is not "u" and a mark)."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text or "").casefold())


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


def compare_page(project: dict, baseline: dict, project_text: str | None) -> dict:
    """One page's entry in a report: both sides' scores and the facts the per-page rules need.

    ``no_article``: the project stored no body text at all. ``baseline_has_text``: trafilatura
    found some of the true body (recall above 0), so "no article" lost text it could have kept.
    """
    return {"project": project, "baseline": baseline,
            "no_article": not words(project_text),
            "baseline_has_text": baseline["body_r"] > 0}


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


def load_pages(path: str | Path) -> list[tuple[str, bytes, dict]]:
    """``(key, html bytes, truth)`` for every page of a folder, in key order.

    A page is ``<key>.json`` with ``<key>.html`` or ``<key>.html.gz`` (gzip is decompressed).
    Where ``<key>.provenance.json`` exists its ``sha256`` must be that of the uncompressed
    bytes: a page changed since it was taken from its source raises ``ValueError``.
    """
    folder = Path(path)
    pages = []
    for truth_file in sorted(folder.glob("*.json")):
        key = truth_file.name.removesuffix(".json")
        if key.endswith(".provenance"):
            continue
        plain, packed = folder / f"{key}.html", folder / f"{key}.html.gz"
        if plain.exists():
            html = plain.read_bytes()
        elif packed.exists():
            html = gzip.decompress(packed.read_bytes())
        else:
            continue
        provenance = folder / f"{key}.provenance.json"
        if provenance.exists():
            wanted = json.loads(provenance.read_text(encoding="utf-8")).get("sha256")
            if hashlib.sha256(html).hexdigest() != wanted:
                raise ValueError(f"{provenance}: sha256 does not match the page's bytes")
        pages.append((key, html, json.loads(truth_file.read_text(encoding="utf-8"))))
    return pages


def evaluate_dir(path: str | Path) -> dict:
    """Score project and trafilatura on every page of ``path`` (see :func:`load_pages`).

    Returns ``{"pages": {key: compare_page(...) + {"has_related": bool}},
    "total": {"project": means, "baseline": means}}`` (leak is summed, not averaged).
    """
    pages = load_pages(path)
    if not pages:
        raise FileNotFoundError(f"no <key>.html(.gz) + <key>.json pages in {path}")
    out: dict = {"pages": {}, "total": {}}
    for key, html, truth in pages:
        mine = extract_article(html, truth["url"])
        entry = compare_page(score_page(mine, truth),
                             score_page(trafilatura_baseline(html, truth["url"]), truth),
                             (mine or {}).get("text"))
        entry["has_related"] = bool(truth.get("related"))
        out["pages"][key] = entry
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
    """Shingle P/R/F1 of project and trafilatura on a benchmark folder.

    Precision and recall are averaged over pages and F1 is computed from the averages (the
    article-extraction-benchmark's published method). Returns ``{"name": folder name,
    "pages": n, "project": {p, r, f1}, "baseline": {...}, "per_page": {id: compare_page(...)}}``
    (per-page scores are named ``body_p``/``body_r``/``body_f1`` as for the real pages).
    """
    folder = Path(path)
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    jobs = [(k, str(folder / "html" / f"{k}.html.gz"), v.get("url") or "")
            for k, v in sorted(truth.items())]
    with Pool(processes) as pool:
        results = pool.map(_benchmark_page, jobs, chunksize=4)
    per_page = {}
    for page_id, mine, theirs in results:
        gold = shingles(truth[page_id]["articleBody"])
        scores = {}
        for side, text in (("project", mine), ("baseline", theirs)):
            p, r, f = prf(shingles(text), gold)
            scores[side] = {"body_p": p, "body_r": r, "body_f1": f}
        per_page[page_id] = compare_page(scores["project"], scores["baseline"], mine)
    out: dict = {"name": folder.name, "pages": len(results), "per_page": per_page}
    for side in ("project", "baseline"):
        p = sum(s[side]["body_p"] for s in per_page.values()) / len(results)
        r = sum(s[side]["body_r"] for s in per_page.values()) / len(results)
        out[side] = {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def benchmark_prefix(name: str) -> str:
    """Floor-key prefix of a benchmark folder: the 181-page set keeps its historic
    ``benchmark``; any other set is named after its folder."""
    return "benchmark" if name == "article-extraction-benchmark" else f"benchmark.{name}"


def _fmt(value: float, key: str) -> str:
    return f"{int(value):d}" if key == "leak" else f"{value:.3f}"


def _pair(sides: dict, key: str) -> str:
    return f"{_fmt(sides['project'][key], key)}/{_fmt(sides['baseline'][key], key)}"


def _yes_no(sides: dict, key: str) -> str:
    return "/".join("y" if sides[side][key] else "n" for side in ("project", "baseline"))


DIR_COLUMNS = ("body_p", "body_r", "body_f1", "d_f1", "related_f1", "leak", "title", "date")


def format_dir(report: dict) -> str:
    """Per-page table of an ``evaluate_dir`` report, tintuc next to plain trafilatura.

    Each cell is ``tintuc/trafilatura``; ``d_f1`` is tintuc's body F1 minus trafilatura's;
    related F1 and leak are shown only where the page has related links in its ground truth
    (trafilatura finds none); title and date are ``y``/``n``.
    """
    lines = ["page".ljust(22) + "".join(k.rjust(13) for k in DIR_COLUMNS)]
    for name, sides in [*report["pages"].items(), ("TOTAL", report["total"])]:
        total = name == "TOTAL"
        cells = [_pair(sides, "body_p"), _pair(sides, "body_r"), _pair(sides, "body_f1"),
                 f"{sides['project']['body_f1'] - sides['baseline']['body_f1']:+.3f}"]
        if total or sides.get("has_related"):
            cells += [_pair(sides, "related_f1"), _pair(sides, "leak")]
        else:
            cells += ["-", "-"]
        cells += ([_pair(sides, "title"), _pair(sides, "date")] if total
                  else [_yes_no(sides, "title"), _yes_no(sides, "date")])
        if not total and sides.get("no_article"):
            cells.append("  NO ARTICLE")
        lines.append(name[:22].ljust(22) + "".join(c.rjust(13) for c in cells))
    lines.append("(each cell: tintuc/trafilatura; d_f1 = tintuc body F1 - trafilatura's)")
    lines.append("distance to targets (tintuc):")
    for name, sides in report["pages"].items():
        gaps = [f"{k} {sides['project'][k] - t:+.3f}" for k, t in TARGETS.items()
                if (sides["project"][k] > t if k in LOWER_IS_BETTER else sides["project"][k] < t)]
        lines.append(f"  {name}: " + (", ".join(gaps) if gaps else "all targets met"))
    return "\n".join(lines)


def format_benchmark(report: dict) -> str:
    """Summary of an ``evaluate_benchmark`` report, and the pages where the two differ."""
    lines = [f"{report.get('name', 'benchmark')}, {report['pages']} pages (4-word shingles)",
             f"{'':12}{'P':>8}{'R':>8}{'F1':>8}"]
    for side, label in (("project", "tintuc"), ("baseline", "trafilatura")):
        s = report[side]
        lines.append(f"{label:12}{s['p']:8.3f}{s['r']:8.3f}{s['f1']:8.3f}")
    per_page = report.get("per_page", {})
    delta = {k: v["project"]["body_f1"] - v["baseline"]["body_f1"] for k, v in per_page.items()}
    lost = {k for k, v in per_page.items() if v["no_article"] and v["baseline_has_text"]}
    listed = sorted((k for k, d in delta.items() if abs(d) > LIST_DIFFERENCE or k in lost),
                    key=delta.get)
    lines.append(f"pages where tintuc is better / worse by more than {LIST_DIFFERENCE} body F1: "
                 f"{sum(d > LIST_DIFFERENCE for d in delta.values())} / "
                 f"{sum(d < -LIST_DIFFERENCE for d in delta.values())}; "
                 f"no article where trafilatura has text: {len(lost)}")
    if listed:
        lines.append(f"  {'page':18}{'tintuc P/R/F1':>22}{'trafilatura P/R/F1':>22}{'d_f1':>8}")
    for key in listed:
        cells = ["/".join(f"{per_page[key][side][m]:.2f}" for m in ("body_p", "body_r", "body_f1"))
                 for side in ("project", "baseline")]
        note = "  NO ARTICLE" if key in lost else ""
        lines.append(f"  {key[:18]:18}{cells[0]:>22}{cells[1]:>22}{delta[key]:+8.3f}{note}")
    return "\n".join(lines)


def check_floor(totals: dict, floor: dict) -> list[str]:
    """Names of the figures in ``totals`` that fall below (or, for leak, above) ``floor``."""
    bad = []
    for key, limit in floor.items():
        if key not in totals or key in PAGE_RULE_KEYS:
            continue
        worse = totals[key] > limit if key in LOWER_IS_BETTER else totals[key] < limit - 1e-9
        if worse:
            bad.append(f"{key}: {totals[key]:.4f} vs floor {limit:.4f}")
    return bad


def page_rule_failures(pages: dict, floor: dict) -> list[str]:
    """Pages that break the per-page rules switched on in ``floor``.

    ``pages`` maps a page name to a :func:`compare_page` entry. The rules:

    * ``max_below_trafilatura`` (a number, e.g. 0.02): a page whose body F1 is more than this
      below plain trafilatura's fails;
    * ``no_article_where_trafilatura_has_text`` (a count, e.g. 0): more than this many pages
      with no article where trafilatura found some of the body fail, each named;
    * ``per_page_exempt`` (page names, or a map of page name to why): known failures, not
      checked, so that the rules can guard every other page before those are fixed.

    A rule that is absent or null is off.
    """
    margin, allowed = floor.get(MAX_BELOW), floor.get(NO_ARTICLE)
    exempt = set(floor.get(EXEMPT) or ())
    failures, lost = [], []
    for name, page in pages.items():
        if name in exempt:
            continue
        mine, theirs = page["project"]["body_f1"], page["baseline"]["body_f1"]
        if margin is not None and theirs - mine > margin + 1e-9:
            failures.append(f"{name}: body F1 {mine:.3f} is {theirs - mine:.3f} below "
                            f"plain trafilatura's {theirs:.3f}")
        if page["no_article"] and page["baseline_has_text"]:
            lost.append(name)
    if allowed is not None and len(lost) > allowed:
        failures += [f"{name}: no article where plain trafilatura has text" for name in lost]
    return failures


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
    parser.add_argument("dirs", nargs="*", metavar="DIR",
                        help="folder of <key>.html(.gz) + <key>.json pages")
    parser.add_argument("--benchmark", action="append", default=[],
                        help="benchmark folder (ground-truth.json + html/); repeatable")
    parser.add_argument("--floor", help="JSON file of minimum totals and per-page rules")
    parser.add_argument("--update-floor", action="store_true", help="raise the floor file")
    args = parser.parse_args(argv)
    if not args.dirs and not args.benchmark:
        parser.error("give DIR or --benchmark DIR")

    totals: dict = {}
    pages: dict = {}  # every page scored, named "<folder>/<key>", for the per-page rules
    for i, folder in enumerate(args.dirs):
        report = evaluate_dir(folder)
        print(f"== {folder}")
        print(format_dir(report))
        prefix = "pages" if i == 0 else f"pages.{Path(folder).name}"
        totals.update({f"{prefix}.{k}": v for k, v in report["total"]["project"].items()})
        pages.update({f"{Path(folder).name}/{k}": v for k, v in report["pages"].items()})
    for folder in args.benchmark:
        report = evaluate_benchmark(folder)
        print(f"== {folder}")
        print(format_benchmark(report))
        prefix = benchmark_prefix(report["name"])
        totals.update({f"{prefix}.{k}": v for k, v in report["project"].items()})
        pages.update({f"{report['name']}/{k}": v for k, v in report["per_page"].items()})
        if report["project"]["f1"] < report["baseline"]["f1"]:
            print(f"{report['name']}: tintuc F1 below plain trafilatura", file=sys.stderr)

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
    page_failures = page_rule_failures(pages, floor)
    for failure in page_failures:
        print(f"PAGE RULE {failure}", file=sys.stderr)
    return 1 if failures or page_failures else 0


if __name__ == "__main__":
    sys.exit(main())
