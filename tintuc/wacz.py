"""``tintuc wacz``: the archive's captures as a WACZ 1.1 package, for standard web-archive tools.

A WACZ (ReplayWeb.page, pywb ``wb-manager add --unpack-wacz``) holds the WARC files, a CDXJ
index, ``pages/pages.jsonl`` and ``datapackage.json`` with a hash of each. The format is written
by the Webrecorder libraries, not by hand: py-wacz builds the package (indexing with
cdxj-indexer), warcio re-packs the selected records. py-wacz has no Python API beyond its command
line (``create_wacz`` takes its argparse namespace), so its CLI entry point is called in-process
with a stable argument list.

Memory stays bounded: WARC files are streamed into the zip, a selection is copied one record at a
time; only the CDXJ lines (about 300 bytes per record) are sorted in memory by cdxj-indexer.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from pipelines.archive.captures import warc_path

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# progress(captures indexed, of about, bytes of the package written, of about)
Progress = Callable[[int, int, int, int], None]


class WaczError(Exception):
    """Bad input: said in one line, nothing written."""


def selected_captures_sql(site: str | None, since: str | None, until: str | None):
    """The captures chosen: by the crawl's site, and by the day they were fetched (UTC)."""
    where, params = ["c.warc_file IS NOT NULL"], []
    if site:
        where.append("cr.site = ?")
        params.append(site)
    if since:
        where.append("substr(c.time, 1, 10) >= ?")
        params.append(since)
    if until:
        where.append("substr(c.time, 1, 10) <= ?")
        params.append(until)
    return (
        "FROM captures c JOIN crawls cr ON cr.id = c.crawl_id WHERE " + " AND ".join(where),
        params,
    )


def write_wacz(
    db: sqlite_utils.Database,
    db_dir: Path,
    output: str | Path,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    warc_dir: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    repack_progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Pack the selected captures (all of them without ``site``/``since``/``until``) and their
    articles' page list into the WACZ ``output``. Written to ``output.part``, renamed when
    complete. Returns the numbers of captures, pages and WARC files packed.

    ``repack_progress(done, total)``: records copied into the selection's WARC file;
    ``progress``: see :func:`_run_wacz`."""
    output = Path(output)
    if output.exists() and not force:
        raise WaczError(f"{output} exists (use --force to replace it)")
    for name, value in (("--since", since), ("--until", until)):
        if value and not DATE.match(value):
            raise WaczError(f"{name} {value!r}: expected a date YYYY-MM-DD")
    if site and not db["sites"].count_where("id = ?", [site]):
        raise WaczError(f"unknown site {site!r} (not in this archive)")
    selection, params = selected_captures_sql(site, since, until)
    total = db.execute(f"SELECT count(*) {selection}", params).fetchone()[0]
    if not total:
        raise WaczError("no captures selected: nothing to pack")
    names = [r[0] for r in db.execute(f"SELECT DISTINCT c.warc_file {selection}", params)]
    files = {name: warc_path(db_dir, name, warc_dir) for name in names}
    missing = [str(path) for path in files.values() if not path.exists()]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise WaczError(f"WARC file missing: {missing[0]}{more}")

    partial = output.with_name(output.name + ".part")
    with tempfile.TemporaryDirectory(prefix=".tintuc-wacz-", dir=output.parent) as tmp:
        pages = Path(tmp) / "pages.jsonl"
        page_count = _write_pages(db, selection, params, pages)
        if site or since or until:
            inputs = [Path(tmp) / f"tintuc-{site or 'all'}-selection.warc.gz"]
            _repack(db, selection, params, files, inputs[0], total, repack_progress)
        else:
            inputs = sorted(files.values())
        args = ["create", "-o", str(partial), "--pages", str(pages), "--copy-pages",
                "--hash-type", "sha256", "--title", f"tintuc archive{f': {site}' if site else ''}",
                *map(str, inputs)]  # fmt: skip
        try:
            warc_bytes = sum(path.stat().st_size for path in inputs)
            _run_wacz(args, progress, total, warc_bytes, partial)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return {"captures": total, "pages": page_count, "warc_files": len(files)}


def _write_pages(db, selection: str, params: list, path: Path) -> int:
    """``pages.jsonl`` (WACZ's json-pages-1.0): one line per selected article."""
    rows = db.query(
        "SELECT a.id, a.url, a.title, coalesce(a.first_seen, a.published) AS ts "
        f"FROM articles a WHERE a.capture_id IN (SELECT c.id {selection}) ORDER BY a.id",
        params,
    )
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
        out.write(json.dumps(header) + "\n")
        for row in rows:
            page = {"id": str(row["id"]), "url": row["url"], "ts": row["ts"]}
            if row["title"]:
                page["title"] = row["title"]
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
            count += 1
    return count


def _repack(db, selection, params, files, target: Path, total: int, progress) -> None:
    """Copy each selected response record and the request record written after it (the order
    of :meth:`pipelines.archive.warc.WarcFile.write_exchange`) to one new WARC file, a record
    at a time."""
    rows = db.query(
        f"SELECT c.warc_file, c.warc_offset {selection} ORDER BY c.warc_file, c.warc_offset",
        params,
    )
    with open(target, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        info = {"software": "tintuc wacz", "format": "WARC File Format 1.1"}
        writer.write_record(writer.create_warcinfo_record(target.name, info))
        current, fh = None, None
        try:
            for done, row in enumerate(rows, 1):
                if row["warc_file"] != current:
                    if fh:
                        fh.close()
                    current, fh = row["warc_file"], open(files[row["warc_file"]], "rb")
                fh.seek(row["warc_offset"])
                response_id = None
                for record in ArchiveIterator(fh):
                    if response_id is None:  # the capture's own record
                        response_id = record.rec_headers.get_header("WARC-Record-ID")
                        writer.write_record(record)
                        continue
                    concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
                    if record.rec_type == "request" and concurrent == response_id:
                        writer.write_record(record)
                    break
                if progress:
                    progress(done, total)
        finally:
            if fh:
                fh.close()


def _run_wacz(args: list[str], progress: Progress | None = None, captures: int = 0,
              warc_bytes: int = 0, output: Path | None = None) -> None:
    """py-wacz's ``wacz`` command, in this process; its chatter kept off our output.

    With ``progress``: every half second, the captures indexed so far (py-wacz's indexer,
    subclassed for the duration of the call to count its entries, a response with its request
    being one; about ``captures``) and the bytes of ``output`` written (about ``warc_bytes``:
    the WARC files are copied in after the indexing)."""
    from wacz import main as wacz_cli

    indexed = [0]
    indexer = wacz_cli.WACZIndexer

    class CountingIndexer(indexer):
        def process_index_entry(self, *args, **kwargs):
            indexed[0] += 1
            return super().process_index_entry(*args, **kwargs)

    def report() -> None:  # at the start, every half second, and once more when done
        while True:
            written = output.stat().st_size if output and output.exists() else 0
            progress(min(indexed[0], captures), captures, written, warc_bytes)
            if finished.is_set():
                return
            finished.wait(0.5)

    finished = threading.Event()
    reporter = threading.Thread(target=report, name="wacz-progress", daemon=True)
    chatter = io.StringIO()
    if progress:
        wacz_cli.WACZIndexer = CountingIndexer
        reporter.start()
    try:
        with contextlib.redirect_stdout(chatter):
            status = wacz_cli.main(args)
    finally:
        wacz_cli.WACZIndexer = indexer
        finished.set()
        if progress:
            reporter.join()
    if status:
        raise WaczError(f"wacz {args[0]} failed: {chatter.getvalue().strip()[-300:]}")


def validate_wacz(path: str | Path) -> tuple[bool, str]:
    """``wacz validate -f path``: whether the package is valid, and what py-wacz said."""
    from wacz.main import main as wacz_main

    chatter = io.StringIO()
    with contextlib.redirect_stdout(chatter):
        status = wacz_main(["validate", "-f", str(path)])
    return status == 0, chatter.getvalue()
