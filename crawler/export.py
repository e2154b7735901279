"""Streaming export of articles as CSV, JSON Lines or JSON: constant memory, any size."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from pipelines.schema import open_archive
from pipelines.text import fold

EXPORT_COLUMNS = ("title", "published", "site", "url", "author", "description", "text")


class ExportError(ValueError):
    """A bad filter (date, query) given to an export."""


def build_query(
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    query: str | None = None,
) -> tuple[str, list]:
    """SQL and parameters selecting the export's rows, newest first (or best match first)."""
    columns = ", ".join(f"articles.{c}" for c in EXPORT_COLUMNS)
    where, params = [], []
    if site:
        where.append("articles.site = ?")
        params.append(site)
    if since:
        where.append("substr(articles.published, 1, 10) >= ?")
        params.append(_check_date(since))
    if until:
        where.append("substr(articles.published, 1, 10) <= ?")
        params.append(_check_date(until))
    if query:
        folded = fold(query).strip()
        if not folded:
            raise ExportError("empty search query")
        sql = (
            f"SELECT {columns} FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ?"
        )
        params.insert(0, fts_query(folded))
        sql += "".join(f" AND {w}" for w in where) + " ORDER BY articles_fts.rank"
    else:
        sql = f"SELECT {columns} FROM articles"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        sql += " ORDER BY articles.published DESC"
    return sql, params


def fts_query(folded: str) -> str:
    """Quote each word so user text cannot be read as FTS5 syntax; keep "phrases" and prefix*."""
    if folded.count('"') >= 2:
        return folded
    words = []
    for word in folded.split():
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', "")
        if word:
            words.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(words)


def _check_date(value: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ExportError(f"not a date (YYYY-MM-DD): {value!r}") from None


def export_articles(
    db_path: str, out: TextIO, *, fmt: str = "csv", bom: bool = True, **filters
) -> int:
    """Write the selected articles to ``out`` row by row; return how many were written."""
    sql, params = build_query(**filters)
    db = open_archive(db_path, readonly=True)
    count = 0
    try:
        cursor = db.conn.execute(sql, params)
        if fmt == "csv":
            if bom:
                out.write("\ufeff")
            writer = csv.writer(out)
            writer.writerow(EXPORT_COLUMNS)
            for row in cursor:
                writer.writerow(row)
                count += 1
        else:
            if fmt == "json":
                out.write("[")
            for row in cursor:
                record = json.dumps(dict(zip(EXPORT_COLUMNS, row)), ensure_ascii=False)
                if fmt == "json":
                    out.write(("," if count else "") + "\n" + record)
                else:
                    out.write(record + "\n")
                count += 1
            if fmt == "json":
                out.write("\n]\n")
    except Exception as exc:
        if "fts5" in str(exc) or "MATCH" in str(exc):
            raise ExportError(f"bad search query: {exc}") from None
        raise
    finally:
        db.close()
    return count
