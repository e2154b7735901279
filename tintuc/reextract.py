"""``tintuc reextract``: run the current extractor again over stored captures (no network).

It joins the two libraries (the extractor reads what the archive kept), so it lives in the
application layer, above both walls.
"""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from pipelines.archive.captures import charset_of, warc_path
from pipelines.archive.store import (
    DOUBTFUL_BELOW,
    doubtful_sql,
    mark_removed,
    record_page_decisions,
    save_article,
    write_transaction,
)
from pipelines.archive.warc import read_record
from pipelines.extract_pipeline import extract_page, extraction_pool
from tintuc.plural import plural

PAGE_ROWS = 1000  # pages read from the archive, and handed to the pool, at a time
POOL_FROM = 100  # fewer pages are extracted in this process: starting a pool costs 1-3 s


class Interrupted(Exception):
    """The run stopped (SIGINT, SIGTERM) after saving what it had done; the next run with
    the same selection resumes it."""

    def __init__(self, done: int, total: int):
        super().__init__(f"interrupted after {done} of {total} pages")
        self.done, self.total = done, total


def reextract(
    db: sqlite_utils.Database,
    db_dir: Path,
    site: str | None = None,
    batch: int = 100,
    *,
    flagged: bool = False,
    below: float = DOUBTFUL_BELOW,
    warc_dir: Path | None = None,
    workers: int = -1,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """Run the current extractor again over each stored article's capture, and (without
    ``flagged``) over the last capture of each page judged a listing or other; save the
    articles, and each page's new decision on its capture (``captures.page_kind``).
    Returns the counts of the whole run, each page counted once (:data:`ARTICLE_RESULTS` for
    the stored articles' captures, :data:`PAGE_RESULTS` for the pages judged no article;
    :func:`describe` says them).

    Unchanged results change nothing but the extraction's flags and confidence; changed ones
    add a version, as a re-crawl would. ``flagged``: only the doubtful articles (confidence
    below ``below`` or a doubtful flag, see :func:`pipelines.archive.store.doubtful_sql`).
    ``warc_dir``: where the WARC files are, if they moved (:func:`missing_warc_files` first).

    ``workers``: extraction processes, as ``TINTUC_EXTRACT_WORKERS`` (0 = one per core, -1 =
    this process, as are runs of fewer than :data:`POOL_FROM` pages). The crawl's pool
    (:func:`pipelines.extract_pipeline.extraction_pool`) reads and extracts the captures; this
    process saves them. Pages go in capture order, and each batch is saved with the run's
    progress (``reextract_progress``) in one transaction: when ``should_stop()`` turns true the
    run saves what it has and raises :class:`Interrupted`, and the next run with the same
    selection starts where it stopped.
    ``progress(done, total)`` is called at the start (``done`` > 0: a run resumed) and after
    each batch.
    """
    selection = json.dumps({"site": site, "flagged": flagged, "below": below if flagged else None})
    run = _open_run(db, selection)
    todo = _select_pages(db, site, flagged, below, run["last_capture_id"])
    counts = json.loads(run["counts"])
    done, total = run["done"], run["done"] + todo
    with db.conn:
        db.execute("UPDATE reextract_progress SET total = ? WHERE id = ?", [total, run["id"]])
    profiles = {r["id"]: r["profile"] for r in db.query("SELECT id, profile FROM sites")}
    stop = should_stop or (lambda: False)
    pool = None
    if workers >= 0 and todo >= POOL_FROM:
        pool = extraction_pool(workers or os.cpu_count() or 1, preload=(__name__,))
    pending: list[tuple[dict, dict]] = []

    def save() -> None:
        nonlocal done
        if not pending:
            return
        articles, decisions, gone = [], [], []
        for row, result in pending:
            if "page_kind" in result:
                decisions.append((row["capture_id"], result["page_kind"], result["page_reason"]))
            if result.get("page_gone") and row["article_id"]:
                # a "not found" page an older extractor stored as an article: marked removed,
                # as a crawl meeting it now would, its text kept
                gone.append((row["url"], result["page_reason"]))
            if "error" in result or "text" not in result:
                # a stored article that no longer extracts, or a page still judged no article
                _count(counts, "failed" if row["article_id"] else "not_article")
                continue
            result.update(site=row["site"], province=row["province"], fetched=row["last_seen"],
                          capture_id=row["capture_id"])  # fmt: skip
            articles.append((row, result))
        with write_transaction(db):
            record_page_decisions(db, decisions)  # first: an alias' capture says so after
            for row, article in articles:
                outcome = save_article(db, article)
                if row["article_id"]:  # a stored article's own capture: one count per article
                    _count(counts, outcome)
                elif outcome == "new":
                    _count(counts, "new")
                else:  # a page judged no article that reads as an article already stored
                    _count(counts, "stored_again")
                    if outcome == "changed":
                        _count(counts, "stored_again_changed")
            removed = sum(mark_removed(db, url, reason) for url, reason in gone)
            if removed:
                counts["removed"] = counts.get("removed", 0) + removed
            db.execute(
                "UPDATE reextract_progress SET done = ?, last_capture_id = ?, counts = ? "
                "WHERE id = ?",
                [done + len(pending), pending[-1][0]["capture_id"], json.dumps(counts), run["id"]],
            )  # fmt: skip
        done += len(pending)
        pending.clear()
        if progress:
            progress(done, total)

    if progress:
        progress(done, total)
    try:
        for rows in _pages(db):
            tasks = [_task(row, db_dir, warc_dir, profiles.get(row["site"])) for row in rows]
            results = pool.map(_extract_in_worker, tasks, chunksize=4) if pool else \
                map(_extract_capture, tasks)
            try:
                for row, result in zip(rows, results, strict=False):
                    pending.append((row, result))
                    if len(pending) >= batch:
                        save()
                    if stop():
                        break
            except (BrokenProcessPool, KeyboardInterrupt):
                if not stop():  # workers gone without being asked: a real failure
                    raise
            if stop():
                save()
                raise Interrupted(done, total)
        save()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        db.execute("DROP TABLE IF EXISTS temp.reextract_todo")
    with db.conn:
        db.execute("UPDATE reextract_progress SET finished = ? WHERE id = ?", [_now(), run["id"]])
    return counts


def _open_run(db: sqlite_utils.Database, selection: str) -> dict:
    """The unfinished run of this selection, to resume; else a new one."""
    rows = list(db.query(
        "SELECT * FROM reextract_progress WHERE finished IS NULL AND selection = ? "
        "ORDER BY id DESC LIMIT 1", [selection],
    ))  # fmt: skip
    if rows:
        return rows[0]
    counts = dict.fromkeys(ARTICLE_RESULTS + PAGE_RESULTS, 0)
    row = {"selection": selection, "started": _now(), "total": None, "done": 0,
           "last_capture_id": 0, "counts": json.dumps(counts)}  # fmt: skip
    with db.conn:
        row["id"] = db["reextract_progress"].insert(row).last_pk
    return row


def _select_pages(db, site: str | None, flagged: bool, below: float, after: int) -> int:
    """Fill ``temp.reextract_todo`` with the pages to re-extract, in capture order, after
    capture ``after``: each article's capture, and (without ``flagged``) the last capture of
    each page judged no article. Returns how many."""
    where, params = "a.capture_id > ?", [after]
    if site:
        where, params = where + " AND a.site = ?", [*params, site]
    if flagged:
        where, params = f"{where} AND {doubtful_sql('?', 'a')}", [*params, below]
    parts = [f"SELECT a.capture_id, a.id AS article_id FROM articles a WHERE {where}"]
    if not flagged:  # the pages judged not articles are judged again: some may be articles now
        # but not a redirect: its body is no page, and where it sent its visitor (its reason)
        # is the crawl's to say, which a re-read replaced with "empty or unreadable page"
        parts.append(
            "SELECT c.id, NULL FROM captures c JOIN crawls cr ON cr.id = c.crawl_id "
            "WHERE c.page_kind IN ('listing', 'other') AND c.id > ? "
            "AND NOT coalesce(c.status BETWEEN 300 AND 399, 0) "
            + ("AND cr.site = ? " if site else "")
            + "AND c.id IN (SELECT max(id) FROM captures WHERE page_kind IS NOT NULL GROUP BY url)"
        )
        params += [after, site] if site else [after]
    db.execute("DROP TABLE IF EXISTS temp.reextract_todo")
    db.execute(
        "CREATE TEMP TABLE reextract_todo AS SELECT capture_id, max(article_id) AS article_id "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY capture_id ORDER BY capture_id", params,
    )  # fmt: skip
    return db.execute("SELECT count(*) FROM temp.reextract_todo").fetchone()[0]


def _pages(db) -> Iterator[list[dict]]:
    """``temp.reextract_todo`` with what extraction needs, :data:`PAGE_ROWS` at a time."""
    last = 0
    while True:
        rows = list(db.query(
            "SELECT t.rowid AS n, t.capture_id, t.article_id, c.warc_file, c.warc_offset, "
            "c.content_type, c.page_reason, a.title, a.published, a.extraction_flags, "
            "CASE WHEN a.id IS NULL THEN coalesce(c.final_url, c.url) ELSE a.url END AS url, "
            "CASE WHEN a.id IS NULL THEN cr.site ELSE a.site END AS site, "
            "CASE WHEN a.id IS NULL THEN s.province ELSE a.province END AS province, "
            "CASE WHEN a.id IS NULL THEN c.time ELSE a.last_seen END AS last_seen, "
            "a.id IS NOT NULL OR EXISTS (SELECT 1 FROM articles x WHERE x.url = "
            "coalesce(c.final_url, c.url)) OR EXISTS (SELECT 1 FROM article_aliases x "
            "WHERE x.url = coalesce(c.final_url, c.url)) AS at_article "
            "FROM temp.reextract_todo t JOIN captures c ON c.id = t.capture_id "
            "LEFT JOIN crawls cr ON cr.id = c.crawl_id LEFT JOIN sites s ON s.id = cr.site "
            "LEFT JOIN articles a ON a.id = t.article_id "
            "WHERE t.rowid > ? ORDER BY t.rowid LIMIT ?", [last, PAGE_ROWS],
        ))  # fmt: skip
        if not rows:
            return
        last = rows[-1]["n"]
        yield rows


def _task(row: dict, db_dir: Path, warc_dir: Path | None, profile_json: str | None) -> tuple:
    path = warc_path(db_dir, row["warc_file"], warc_dir) if row["warc_file"] else None
    hints = _hints(profile_json, row["url"], row["page_reason"])
    if "document_only" in json.loads(row["extraction_flags"] or "[]"):
        # a document a listing linked: the listing's title and date, as stored, stand in for
        # the row the crawl read beside the link
        hints = {"document": {"anchor": row["title"] or "", "row": [row["published"] or ""]}}
    # a page at a stored article's address is read whole, as the crawl read it (it came by the
    # article's link): a later capture the crawl judged an error or maintenance page, read as
    # any page, said only "no date near the headline" and replaced the crawl's reason
    return (str(path) if path else None, row["warc_offset"], charset_of(row["content_type"]),
            row["url"], _selectors(profile_json), hints, bool(row["at_article"]))  # fmt: skip


def _extract_capture(task: tuple) -> dict:
    """Read one capture from its WARC file and extract it (the crawl's
    :func:`~pipelines.extract_pipeline.extract_page`)."""
    path, offset, charset, url, profile, hints, stored = task
    try:
        body = read_record(path, offset).content
    except Exception as exc:  # noqa: BLE001 - a bad capture must not stop the others
        return {"error": f"unreadable capture: {type(exc).__name__}: {exc}"}
    return extract_page(body, charset, url, profile, hints, stored=stored)[0]


def _extract_in_worker(task: tuple) -> dict:
    """:func:`_extract_capture` in a pool process, which leaves Ctrl-C to the parent: the
    parent saves what is done, then stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return _extract_capture(task)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def missing_warc_files(
    db: sqlite_utils.Database, db_dir: Path, site: str | None = None,
    warc_dir: Path | None = None,
) -> list[tuple[Path, int]]:
    """The WARC files that the captures to re-extract need and that are not there, each with
    its number of captures: an archive copied without its WARC folder is said so, up front,
    instead of every article failing one by one."""
    where, params = "c.warc_file IS NOT NULL", []
    if site:
        where, params = where + " AND cr.site = ?", [site]
    rows = db.execute(
        "SELECT c.warc_file, count(*) FROM captures c JOIN crawls cr ON cr.id = c.crawl_id "
        f"WHERE {where} GROUP BY c.warc_file ORDER BY c.warc_file", params,
    )  # fmt: skip
    paths = [(warc_path(db_dir, name, warc_dir), n) for name, n in rows]
    return [(path, n) for path, n in paths if not path.exists()]


# What the crawl knew of a page and told the classifier, read back from the decision it
# recorded (captures.page_reason, written by pipelines.extractor.classify): the site's URL
# shapes and teaser links were learned from its listings during that crawl, which a
# re-extraction does not repeat.
_CRAWL_HINTS = (
    ("URL has the site's teaser-link shape ", "article_shape"),
    ("URL has the site's pager-link shape ", "listing_shape"),
    ("linked as a teaser headline on the site's listings", "teaser_url"),
)


def _hints(profile_json: str | None, url: str, page_reason: str | None = None) -> dict:
    """What the crawl told the classifier: the URL matches the profile's article patterns,
    and what it had learned of the site's URLs when it judged this page."""
    patterns = json.loads(profile_json).get("article_patterns") or [] if profile_json else []
    hints: dict = {"article_url": True} if any(re.search(p, url) for p in patterns) else {}
    for prefix, hint in _CRAWL_HINTS:
        if page_reason and page_reason.startswith(prefix):
            hints[hint] = page_reason[len(prefix):] or True
    return hints


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


# The results of a run, each page counted once: a stored article's own capture is "changed",
# "unchanged", "kept" or "failed"; a page the crawl judged no article is "new" (an article
# now), "not_article" (still none) or "stored_again" (an article already stored: a later
# capture of it, or another address; "stored_again_changed" of those changed it). "removed"
# counts the failed ones now read as a "not found" page. Summing all of them as one list of
# article results counted an article twice when a later capture of its page was re-read too.
ARTICLE_RESULTS = ("changed", "unchanged", "kept", "failed")
PAGE_RESULTS = ("new", "not_article", "stored_again")


def describe(counts: dict[str, int], flagged: bool = False) -> str:
    """The one line ``tintuc reextract`` prints: how many pages it read again, of which the
    captures of how many stored articles and what became of them, and (without ``flagged``,
    which reads stored articles only) what became of the pages the crawl judged no article."""
    articles = sum(counts.get(k, 0) for k in ARTICLE_RESULTS)
    pages = sum(counts.get(k, 0) for k in PAGE_RESULTS)
    line = (f"{plural(articles + pages, 'page')} read again: {plural(articles, 'stored article')} ("
            + ", ".join(f"{counts.get(k, 0)} {k}" for k in ARTICLE_RESULTS))
    if counts.get("removed"):
        line += f", {counts['removed']} removed"
    line += ")"
    if flagged and not pages:
        return line
    line += (f"; {plural(pages, 'page')} judged no article by the crawl ("
             f"{plural(counts.get('new', 0), 'new article')}, "
             f"{counts.get('not_article', 0)} still no article")
    if counts.get("stored_again"):
        changed = counts.get("stored_again_changed", 0)
        line += (f", {counts['stored_again']} read as an article already stored "
                 f"({changed} changed it)")
    return line + ")"


def _selectors(profile_json: str | None) -> dict | None:
    if not profile_json:
        return None
    selectors = json.loads(profile_json).get("selectors") or {}
    return {"selectors": selectors} if selectors else None
