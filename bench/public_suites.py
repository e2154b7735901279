"""Public evaluation suites taken from the package index, kept out of the repository.

    python bench/public_suites.py --out .cache/suites                 # every suite below
    python bench/public_suites.py --out .cache/suites newspaper4k     # one

A suite is a package's source distribution that ships article pages with the text its
extractor is expected to give: pinned by version and sha256, fetched with ``pip download``
(the package index is the one network the project's machines reach), and turned into a
benchmark folder as ``make eval`` and ``bench/extract_bench.py`` read them:
``ground-truth.json`` (``{key: {"articleBody", "url"}}``), ``html/<key>.html.gz``, and
``PROVENANCE.json`` (package, version, sdist sha256, licence, each page's path in the sdist
and its sha256). A folder already made from the same sdist is left as it is.

newspaper4k 0.9.6 (MIT): 23 news pages (English, Arabic, Burmese, Chinese, Japanese, Latvian,
Spanish, Thai …) with newspaper4k's expected text; 19 with their URL. The
expected text is that extractor's convention, not a hand check: a second opinion beside the
181-page benchmark, scored the same way (4-word shingles), tintuc next to plain trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SUITES = {
    "newspaper4k": {
        "version": "0.9.6",
        "sha256": "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e",
        "licence": "MIT",
        "data": "tests/data",  # html/<key>.html, txt/<key>.txt, metadata/<key>.json (url)
    },
}


class SuiteError(Exception):
    """A suite that cannot be had: the message says why, in one line."""


def download(package: str, spec: dict, folder: Path) -> Path:
    """The pinned sdist of ``package`` in ``folder``, its sha256 checked."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--no-binary", ":all:", "--dest", str(folder), f"{package}=={spec['version']}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    found = sorted(folder.glob(f"{package}-{spec['version']}.tar.gz"))
    if done.returncode != 0 or not found:
        why = (done.stderr.strip().splitlines() or ["no sdist"])[-1]
        raise SuiteError(f"cannot download {package}=={spec['version']} from the package index: "
                         f"{why}")
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != spec["sha256"]:
        raise SuiteError(f"{found[0].name} has sha256 {digest}, not the pinned {spec['sha256']}")
    return found[0]


def build(package: str, spec: dict, sdist: Path, out: Path) -> int:
    """Write the benchmark folder of ``package`` from its sdist; the number of pages."""
    prefix = f"{package}-{spec['version']}/{spec['data']}/"
    with tarfile.open(sdist) as archive:
        files = {m.name.removeprefix(prefix): archive.extractfile(m).read()
                 for m in archive.getmembers() if m.isfile() and m.name.startswith(prefix)}
    truth, pages = {}, []
    (out / "html").mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        if not (name.startswith("txt/") and name.endswith(".txt")):
            continue
        key = name.removeprefix("txt/").removesuffix(".txt")
        html = files.get(f"html/{key}.html")
        if html is None:
            continue  # expected text of a page the sdist does not ship
        meta = json.loads(files.get(f"metadata/{key}.json") or b"{}")
        truth[key] = {"articleBody": files[name].decode("utf-8"), "url": meta.get("url") or ""}
        (out / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html, mtime=0))
        pages.append({"key": key, "path": prefix + f"html/{key}.html",
                      "sha256": hashlib.sha256(html).hexdigest(),
                      "truth": prefix + name})
    (out / "ground-truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    provenance = {"package": package, "version": spec["version"], "sdist": sdist.name,
                  "sdist_sha256": spec["sha256"], "licence": spec["licence"], "pages": pages}
    (out / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1), encoding="utf-8")
    return len(truth)


def ensure(package: str, out_root: Path) -> str:
    """Make the suite's folder unless it is there from the same sdist; a line saying what."""
    spec = SUITES[package]
    out = out_root / package
    provenance = out / "PROVENANCE.json"
    if provenance.exists() and (out / "ground-truth.json").exists():
        if json.loads(provenance.read_text()).get("sdist_sha256") == spec["sha256"]:
            return f"{package} {spec['version']}: {out} is ready"
    with tempfile.TemporaryDirectory() as tmp:
        sdist = download(package, spec, Path(tmp))
        count = build(package, spec, sdist, out)
    return f"{package} {spec['version']}: {count} pages written to {out}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(".cache/suites"))
    parser.add_argument("suites", nargs="*", metavar="SUITE",
                        help=f"default: all ({', '.join(SUITES)})")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.suites) - set(SUITES))
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}: one of {', '.join(SUITES)}")
    status = 0
    for package in args.suites or list(SUITES):
        try:
            print(ensure(package, args.out))
        except (SuiteError, OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
            print(f"Error: suite {package}: {exc} (make eval EVAL_SUITES= scores without it)",
                  file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
