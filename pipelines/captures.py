"""Working from the stored captures alone: verify the WARC files, re-extract articles.

Neither function touches the network: after the extractor improves, ``reextract`` rebuilds
articles and related links from the bytes kept at crawl time.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from pipelines.extract import decode_html, extract_article
from pipelines.store import save_articles
from pipelines.warc import read_record


@dataclass
class Problem:
    capture_id: int
    url: str
    problem: str


def warc_path(db_dir: Path, warc_file: str) -> Path:
    path = Path(warc_file)
    return path if path.is_absolute() else db_dir / path


def verify_captures(db: sqlite_utils.Database, db_dir: Path) -> Iterator[Problem | int]:
    """Re-read every WARC record of the ``captures`` table and check its digest.

    Yields a :class:`Problem` for each missing or damaged record, and the capture id of each
    good one (so callers can count).
    """
    rows = db.query(
        "SELECT id, url, sha1, warc_file, warc_offset FROM captures "
        "WHERE warc_file IS NOT NULL ORDER BY id"
    )
    for row in rows:
        path = warc_path(db_dir, row["warc_file"])
        if not path.exists():
            yield Problem(row["id"], row["url"], f"WARC file missing: {path}")
            continue
        try:
            record = read_record(path, row["warc_offset"])
        except Exception as exc:  # noqa: BLE001 - any failure to read is damage to report
            yield Problem(row["id"], row["url"], f"unreadable record: {type(exc).__name__}: {exc}")
            continue
        digest = hashlib.sha1(record.payload).digest()
        declared = "sha1:" + base64.b32encode(digest).decode("ascii")
        if digest.hex() != row["sha1"]:
            yield Problem(row["id"], row["url"], "payload SHA-1 differs from the captures table")
        elif record.payload_digest != declared:
            yield Problem(row["id"], row["url"], "payload differs from its WARC-Payload-Digest")
        else:
            yield row["id"]


def charset_of(content_type: str | None) -> str | None:
    match = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


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
