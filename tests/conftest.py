"""Shared fixtures: the sample portal served from 127.0.0.1 and real crawls in subprocesses.

Crawls run in their own process (as users run them), so Scrapy's reactor never starts inside
pytest and cannot clash with Datasette's event loop in the same run.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tintuc.demo import SAMPLE_PORTAL, serve_sample_portal

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MANIFEST = json.loads((SAMPLE_PORTAL / "manifest.json").read_text(encoding="utf-8"))


def run_tintuc(*args: str, cwd: Path | None = None, timeout: int = 120, check: bool = True):
    """Run the ``tintuc`` CLI in a subprocess; return the CompletedProcess."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tintuc", *args],
        cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"tintuc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def query(db_path, sql: str, params=()) -> list[dict]:
    """Rows of ``sql`` on the archive at ``db_path``, as dicts (a fresh connection each call)."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def sample_portal():
    """The bundled sample portal on a free port: yields (base_url, manifest)."""
    base_url, stop = serve_sample_portal(0)
    yield base_url.rstrip("/"), MANIFEST
    stop()


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    folder = SHARED / "fixtures" / "vn"
    assert folder.is_dir(), f"{folder} is missing: the real-page tests need ../shared"
    return folder
