"""Public evaluation suites kept in git repositories, built from a local clone or snapshot.

    python bench/snapshot_suites.py goose3 PATH/TO/goose3 --out .cache/suites
    python bench/snapshot_suites.py cleanportaleval PATH/TO/CleanPortalEval --out .cache/suites
    python bench/snapshot_suites.py cleaneval PATH/TO/html-cleaning-dataset-merged --out DIR
    python bench/snapshot_suites.py dragnet PATH/TO/html-cleaning-dataset-merged --out DIR
    python -m pipelines.extractor.evaluate --benchmark .cache/suites/goose3

Reads the repository's HEAD with ``git -C PATH show`` (a bare clone does) and writes a
benchmark folder as ``make eval`` reads them: ``ground-truth.json`` (``{key: {"articleBody",
"url", …}}``), ``html/<key>.html.gz`` and ``PROVENANCE.json`` (repository, commit, licence).
The pages and their text are never committed.

* ``goose3`` (goose3/goose3, Apache-2.0): ``tests/data/content`` (51 pages; the expected
  ``cleaned_text`` is mostly the story's first words: goose3's tests check that the text
  *starts with* it, so score recall, not precision), with ``title``; and the head-only stubs of
  ``tests/data/title`` and ``tests/data/publishdate`` (``title``, ``publish_date``).
* ``cleanportaleval`` (ppke-nlpg/CleanPortalEval, no licence stated; Endrédy and Novák 2013):
  71 pages of four sites (BBC News, WSJ's Brussels blog, msnbc.com, Washington Post blogs) in
  CleanEval's format: the ``<text id="URL">`` wrapper is taken off the page, the ``URL:`` line
  and the ``<p>``/``<h>``/``<l>`` markers off the gold text (its entities decoded).
* ``cleaneval`` (CleanEval 2007, Baroni et al., LREC 2008; research use; the copy in
  j-szulc/html-cleaning-dataset-merged, which names its sources and claims no rights): the
  development set (58) and the final set (681 with a gold text) of general web pages, English,
  hand-cleaned, in the same format as CleanPortalEval (keys ``dev-N``, ``final-N``).
* ``dragnet`` (seomoz/dragnet_data, 2012, Peters and Lecocq, "Content extraction using
  diverse feature sets"; same copy, its HTML being Git LFS in the original): 1,381 news and
  blog pages with their hand-marked content; the readers' comments the gold text gives after
  a ``!@#$%^&*() COMMENTS`` line (its symbols
  mistyped on some) are left out (no body holds them), and a gold text not in
  UTF-8 is read as cp1252.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import subprocess
import sys
from pathlib import Path

# CleanEval's final and development pages carry more attributes than CleanPortalEval's
# (``<text id="URL" title="…" encoding="iso-8859-1">``): the wrapper is whatever follows the id
_WRAPPER = re.compile(rb'\s*<text id="([^"]*)"[^>]*>')
_WRAPPER_END = re.compile(rb"</text>\s*$")
_GOLD_URL = re.compile(r"^\s*URL:.*$", re.M)
_GOLD_MARKER = re.compile(r"<[phl]>", re.I)
_DRAGNET_COMMENTS = re.compile(r"^[!@#$%^&*() ]+COMMENTS\s*$", re.M)


def _show(repo: Path, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True,
                          check=True).stdout


def _files(repo: Path, folder: str) -> list[str]:
    listing = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD",
                              folder], capture_output=True, check=True, text=True).stdout
    return sorted(listing.split())


def goose3_pages(repo: Path):
    """(key, html, truth) of goose3's test pages that have an expected value beside them."""
    names = set(_files(repo, "tests/data"))
    for group in ("content", "title", "publishdate"):
        for name in _files(repo, f"tests/data/{group}"):
            page = name.removesuffix(".json") + ".html"
            if not name.endswith(".json") or page not in names:
                continue
            data = json.loads(_show(repo, name))
            expected = data.get("expected", {})
            yield (f"{group}-{Path(name).stem.removeprefix('test_')}", _show(repo, page),
                   {"articleBody": expected.get("cleaned_text") or "", "url": data.get("url") or "",
                    "title": expected.get("title"), "published": expected.get("publish_date"),
                    "group": group})


def cleanportaleval_pages(repo: Path, folder: str = "", prefix: str = ""):
    """(key, html, truth) of CleanPortalEval's pages, CleanEval's wrapper and markers removed."""
    for name in _files(repo, f"{folder}GoldStandard"):
        key = Path(name).stem
        page = _show(repo, f"{folder}input/{key}.html")
        wrapper = _WRAPPER.match(page)
        url = wrapper.group(1).decode("utf-8", "replace") if wrapper else ""
        if wrapper:
            page = _WRAPPER_END.sub(b"", page[wrapper.end():])
        gold = _GOLD_MARKER.sub("\n", _GOLD_URL.sub("", _show(repo, name).decode("utf-8",
                                                                                  "replace"), 1))
        yield prefix + key, page, {"articleBody": html.unescape(gold).strip(), "url": url,
                                   "group": prefix.rstrip("-") or key.rsplit("_", 1)[0]}


def cleaneval_pages(repo: Path):
    """(key, html, truth) of CleanEval's development and final sets, pages with a gold text."""
    yield from cleanportaleval_pages(repo, "cleaneval-dev/", "dev-")
    yield from cleanportaleval_pages(repo, "cleaneval-final/", "final-")


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def dragnet_pages(repo: Path):
    """(key, html, truth) of dragnet_data's pages: the gold content before its comments."""
    for name in _files(repo, "dragnet_data/GoldStandard"):
        if not name.endswith(".txt"):
            continue
        key = Path(name).stem
        gold = _DRAGNET_COMMENTS.split(_text(_show(repo, name)), 1)[0]
        yield key, _show(repo, f"dragnet_data/input/{key}.html"), {
            "articleBody": gold.strip(), "url": ""}


SUITES = {"goose3": (goose3_pages, "Apache-2.0"),
          "cleanportaleval": (cleanportaleval_pages, "none stated"),
          "cleaneval": (cleaneval_pages, "CleanEval: research use"),
          "dragnet": (dragnet_pages, "none stated (dragnet_data)")}


def build(suite: str, repo: Path, out: Path) -> int:
    """Write the benchmark folder of ``suite`` from the repository at ``repo``; its pages."""
    pages, licence = SUITES[suite]
    (out / "html").mkdir(parents=True, exist_ok=True)
    truth = {}
    for key, page, expected in pages(repo):
        truth[key] = expected
        (out / "html" / f"{key}.html.gz").write_bytes(gzip.compress(page, mtime=0))
    (out / "ground-truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    (out / "PROVENANCE.json").write_text(json.dumps(
        {"suite": suite, "repository": str(repo), "commit": commit, "licence": licence,
         "pages": len(truth)}, indent=1), encoding="utf-8")
    return len(truth)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", choices=sorted(SUITES))
    parser.add_argument("repo", type=Path, help="the suite's git clone or snapshot")
    parser.add_argument("--out", type=Path, default=Path(".cache/suites"))
    args = parser.parse_args(argv)
    try:
        count = build(args.suite, args.repo, args.out / args.suite)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"Error: suite {args.suite} from {args.repo}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.suite}: {count} pages written to {args.out / args.suite}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
