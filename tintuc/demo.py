"""The bundled sample portal (``tintuc/sample_portal``, shipped as package data), served for
``tintuc demo`` and the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tintuc.sample_portal import serve

SAMPLE_PORTAL = Path(serve.__file__).resolve().parent


def serve_sample_portal(port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start the sample portal on 127.0.0.1 in a thread; return its base URL and a stop function."""
    return serve.serve_in_thread(port=port)
