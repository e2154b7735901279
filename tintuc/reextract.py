"""``tintuc reextract``: run the current extractor again over stored captures (no network).

It joins the two libraries (the extractor reads what the archive kept), so it lives in the
application layer, above both walls.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlite_utils

from pipelines.archive.captures import charset_of, warc_path
from pipelines.archive.store import (
    DOUBTFUL_BELOW,
    doubtful_sql,
    record_page_decisions,
    save_articles,
)
from pipelines.archive.warc import read_record
from pipelines.extractor.article import decode_html, extract_article


def reextract(
    db: sqlite_utils.Database,
    db_dir: Path,
    site: str | None = None,
    batch: int = 100,
    *,
    flagged: bool = False,
    below: float = DOUBTFUL_BELOW,
    warc_dir: Path | None = None,
) -> dict[str, int]:
    """Run the current extractor again over each stored article's capture, and (without
    ``flagged``) over the last capture of each page judged a listing or other; save the
    articles, and each page's new decision on its capture (``captures.page_kind``).

    Unchanged results change nothing but the extraction's flags and confidence; changed ones
    add a version, as a re-crawl would. ``flagged``: only the doubtful articles (confidence
    below ``below`` or a doubtful flag, see :func:`pipelines.archive.store.doubtful_sql`).
    ``warc_dir``: where the WARC files are, if they moved (:func:`missing_warc_files` first).
    """
    where, params = "a.capture_id IS NOT NULL", []
    if site:
        where, params = where + " AND a.site = ?", [site]
    if flagged:
        where, params = f"{where} AND {doubtful_sql('?', 'a')}", [*params, below]
    sql = (
        "SELECT a.url, a.site, a.province, a.last_seen, c.id AS capture_id, c.warc_file, "
        "c.warc_offset, c.content_type FROM articles a JOIN captures c ON c.id = a.capture_id "
        f"WHERE {where}"
    )
    profiles = {r["id"]: r["profile"] for r in db.query("SELECT id, profile FROM sites")}
    counts = {"new": 0, "changed": 0, "unchanged": 0, "kept": 0, "failed": 0}
    pending: list[dict] = []
    rows = list(db.query(sql, params))
    if not flagged:  # the pages judged not articles are judged again: some may be articles now
        rows += _undecided_or_not_articles(db, site)
    decisions: list[tuple] = []
    for row in rows:
        decision: dict = {}
        try:
            record = read_record(warc_path(db_dir, row["warc_file"], warc_dir), row["warc_offset"])
            html = decode_html(record.content, charset_of(row["content_type"]))
            profile = profiles.get(row["site"])
            result = extract_article(html, row["url"], _selectors(profile),
                                     hints=_hints(profile, row["url"]), decision=decision,
                                     only_articles=True)
        except Exception:  # noqa: BLE001 - a bad capture must not stop the others
            result = None
        if decision:
            decisions.append((row["capture_id"], decision["kind"], decision["reason"]))
        if not result:
            # a stored article that no longer extracts, or a page still judged no article
            key = "failed" if row.get("page_kind") is None else "not_article"
            counts[key] = counts.get(key, 0) + 1
            continue
        result.update(site=row["site"], province=row["province"], fetched=row["last_seen"],
                      capture_id=row["capture_id"])  # fmt: skip
        pending.append(result)
        if len(pending) >= batch:
            _add(counts, save_articles(db, pending))
            pending = []
    _add(counts, save_articles(db, pending))
    with db.conn:
        record_page_decisions(db, decisions)
    return counts


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


def _undecided_or_not_articles(db: sqlite_utils.Database, site: str | None) -> list[dict]:
    """The last capture of each HTML page judged a listing or other (``captures.page_kind``),
    as rows like the articles' (``page_kind`` tells them apart)."""
    where, params = "c.page_kind IN ('listing', 'other')", []
    if site:
        where, params = where + " AND cr.site = ?", [site]
    return list(db.query(
        "SELECT coalesce(c.final_url, c.url) AS url, cr.site, s.province, c.time AS last_seen, "
        "c.id AS capture_id, c.warc_file, c.warc_offset, c.content_type, c.page_kind "
        "FROM captures c JOIN crawls cr ON cr.id = c.crawl_id LEFT JOIN sites s ON s.id = cr.site "
        "WHERE c.id IN (SELECT max(id) FROM captures WHERE page_kind IS NOT NULL GROUP BY url) "
        f"AND {where}", params,
    ))  # fmt: skip


def _hints(profile_json: str | None, url: str) -> dict:
    """What the crawl would tell the classifier: the URL matches the profile's article patterns."""
    patterns = json.loads(profile_json).get("article_patterns") or [] if profile_json else []
    return {"article_url": True} if any(re.search(p, url) for p in patterns) else {}


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] += value


def _selectors(profile_json: str | None) -> dict | None:
    if not profile_json:
        return None
    selectors = json.loads(profile_json).get("selectors") or {}
    return {"selectors": selectors} if selectors else None
