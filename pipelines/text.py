"""Unicode helpers for Vietnamese text: NFC normalisation and accent folding."""

from __future__ import annotations

import unicodedata

_FOLD_TABLE = {cp: None for cp in range(0x0300, 0x0370)}  # combining diacritical marks
_FOLD_TABLE[ord("đ")] = "d"


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
    s = unicodedata.normalize("NFD", s).translate(_FOLD_TABLE)
    return unicodedata.normalize("NFC", s)
