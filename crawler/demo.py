"""The bundled sample portal (``tests/sample_portal``), served for ``tintuc demo``."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

SAMPLE_PORTAL = Path(__file__).resolve().parent.parent / "tests" / "sample_portal"


def serve_sample_portal(port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start the sample portal on 127.0.0.1 in a thread; return its base URL and a stop function."""
    server_file = SAMPLE_PORTAL / "serve.py"
    if not server_file.exists():
        raise FileNotFoundError(f"{server_file} is missing: run the demo from a clone of tintuc")
    spec = importlib.util.spec_from_file_location("tintuc_sample_portal", server_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.serve_in_thread(port=port)
