"""Unicode helpers for Vietnamese text: NFC normalisation and accent folding."""

from __future__ import annotations

import re
import unicodedata

_COMBINING_MARKS = re.compile("[\u0300-\u036f]+")  # a regex is ~40% faster than translate


def nfc(s: str | None) -> str | None:
    """Return ``s`` in Unicode NFC with NULs removed and outer whitespace trimmed."""
    if s is None:
        return None
    if "\x00" in s:
        s = s.replace("\x00", "")
    return unicodedata.normalize("NFC", s).strip()


def fold(s: str | None) -> str:
    """Fold text for search: casefold, drop diacritics, map đ to d ("Đà Nẵng" -> "da nang")."""
    if not s:
        return ""
    s = s.casefold()
    if s.isascii():
        return s
    s = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", s)).replace("đ", "d")
    return unicodedata.normalize("NFC", s)


def solid_len(text: str) -> int:
    """Characters of ``text`` besides white space (a page source's indentation is no text)."""
    return len("".join(text.split()))


_WORD = re.compile(r"\w+")


def word_key(text: str) -> str:
    """The folded words of ``text``, one space apart: what two spellings of one line share
    (punctuation, spacing, accents and case aside)."""
    return " ".join(_WORD.findall(fold(text)))
