"""The one clock of the project: every stored time stamp comes from :func:`now_iso`.

A leaf module (standard library only), so the spider, the archive library and the application
layer can all use it without importing each other.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """The current time, ISO 8601 in UTC with its offset."""
    return datetime.now(UTC).isoformat(timespec="seconds")
