"""Working from the stored captures alone: find a capture's WARC file, verify every record.

No network: ``tintuc verify`` re-reads each record and checks it against the captures table
(``tintuc reextract``, in the application layer, re-runs the extractor over the same bytes).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from pipelines.archive.warc import read_record


@dataclass
class Problem:
    capture_id: int
    url: str
    problem: str


def warc_path(db_dir: Path, warc_file: str, warc_dir: Path | None = None) -> Path:
    """Where a capture's WARC file is: as recorded (relative to the database's folder), or,
    for an archive whose WARC files moved, the file of that name in ``warc_dir``."""
    path = Path(warc_file)
    if warc_dir is not None:
        return Path(warc_dir) / path.name
    return path if path.is_absolute() else db_dir / path


def verify_captures(
    db: sqlite_utils.Database, db_dir: Path, warc_dir: Path | None = None
) -> Iterator[Problem | int]:
    """Re-read every WARC record of the ``captures`` table and check its digest.

    Yields a :class:`Problem` for each missing or damaged record, and the capture id of each
    good one (so callers can count). ``warc_dir``: see :func:`warc_path`.
    """
    rows = db.query(
        "SELECT id, url, sha1, warc_file, warc_offset FROM captures "
        "WHERE warc_file IS NOT NULL ORDER BY id"
    )
    for row in rows:
        path = warc_path(db_dir, row["warc_file"], warc_dir)
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
