"""Synthetic Vietnamese provincial portal used as a crawl target in tests and ``make demo``.

See README.md. ``serve.py`` and ``build.py`` also run as plain scripts.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST_PATH = HERE / "manifest.json"


def load_manifest() -> dict:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
