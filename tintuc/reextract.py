"""``tintuc reextract``: run the current extractor again over stored captures (no network).

It joins the two libraries (the extractor reads what the archive kept), so it lives in the
application layer, above both walls.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from pipelines.archive.captures import charset_of, warc_path
from pipelines.archive.store import save_articles
from pipelines.archive.warc import read_record
from pipelines.extractor.article import decode_html, extract_article


def reextract(
    db: sqlite_utils.Database, db_dir: Path, site: str | None = None, batch: int = 100
) -> dict[str, int]:
    """Run the current extractor again over each stored article's capture; save the results.

    Unchanged results change nothing; changed ones add a version, as a re-crawl would.
    """
    where, params = "a.capture_id IS NOT NULL", []
    if site:
        where, params = where + " AND a.site = ?", [site]
    sql = (
        "SELECT a.url, a.site, a.province, a.last_seen, c.id AS capture_id, c.warc_file, "
        "c.warc_offset, c.content_type FROM articles a JOIN captures c ON c.id = a.capture_id "
        f"WHERE {where}"
    )
    profiles = {r["id"]: r["profile"] for r in db.query("SELECT id, profile FROM sites")}
    counts = {"new": 0, "changed": 0, "unchanged": 0, "kept": 0, "failed": 0}
    pending: list[dict] = []
    for row in list(db.query(sql, params)):
        try:
            record = read_record(warc_path(db_dir, row["warc_file"]), row["warc_offset"])
            html = decode_html(record.content, charset_of(row["content_type"]))
            result = extract_article(html, row["url"], _selectors(profiles.get(row["site"])))
        except Exception:  # noqa: BLE001 - a bad capture must not stop the others
            result = None
        if not result:
            counts["failed"] += 1
            continue
        result.update(site=row["site"], province=row["province"], fetched=row["last_seen"],
                      capture_id=row["capture_id"])  # fmt: skip
        pending.append(result)
        if len(pending) >= batch:
            _add(counts, save_articles(db, pending))
            pending = []
    _add(counts, save_articles(db, pending))
    return counts


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] += value


def _selectors(profile_json: str | None) -> dict | None:
    if not profile_json:
        return None
    selectors = json.loads(profile_json).get("selectors") or {}
    return {"selectors": selectors} if selectors else None
