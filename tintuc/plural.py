"""Counts in words for what the commands print: "1 article", "2 articles", "0 errors"."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` followed by ``noun``, or by its plural unless ``count`` is exactly 1.

    The plural is ``noun + "s"`` unless ``nouns`` gives it: ``plural(1, "story", "stories")``.
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
