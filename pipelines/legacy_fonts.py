"""Vietnamese written for a pre-Unicode font, back to Unicode NFC.

Before Unicode, Vietnamese documents were typed in 8-bit fonts that draw Vietnamese letters
at the places of Latin-1 ones: a page or a pasted document read without its font shows
"Th«ng b¸o cña UBND tØnh" (TCVN3) or "Thoâng baùo cuûa UBND tænh" (VNI) for "Thông báo của
UBND tỉnh". The text holds the font's bytes as Latin-1 characters (U+0000-U+00FF); these
tables map them back.

* **TCVN3** ("ABC", fonts ``.VnTime``, ``.VnArial`` …): TCVN 5712:1993, table VN3, one byte
  per letter. VN3 gives the 67 small letters with a mark and the seven base capitals (Ă Â
  Đ Ê Ô Ơ Ư) their own bytes, in the standard's order below; capitals with a tone mark are
  drawn by a second font of the family, named with a final "H" (``.VnTimeH``), which draws
  every letter of the table, and a-z, as its capital.
* **VNI** (fonts ``VNI-Times``, ``VNI-Helve`` …): VNI Software's Windows encoding, two bytes
  per letter: the base letter, then a mark byte (``a`` + ``ù`` = á, ``o`` + ``â`` = ô,
  ``o`` + ``á`` = ố), a lower-case mark after a lower-case letter, a capital one after a
  capital; ơ, ư, đ and the i's with a tone are one byte each (``ô`` = ơ, ``ö`` = ư, ``ñ`` = đ,
  ``ò`` = ị). :data:`VNI_MARKS` is that scheme; the pairs are built from it.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN 5712:1993 VN3, bytes 0xA1-0xFE that hold a letter, in the standard's order: the seven
# base capitals, the base small letters, then each vowel with its tones (grave, hook, tilde,
# acute, dot below).
_TCVN3_BYTES = bytes([
    0xA1, 0xA2, 0xA7, 0xA3, 0xA4, 0xA5, 0xA6,
    0xA8, 0xA9, 0xAE, 0xAA, 0xAB, 0xAC, 0xAD,
    0xB5, 0xB6, 0xB7, 0xB8, 0xB9,  # a
    0xBB, 0xBC, 0xBD, 0xBE, 0xC6,  # ă
    0xC7, 0xC8, 0xC9, 0xCA, 0xCB,  # â
    0xCC, 0xCE, 0xCF, 0xD0, 0xD1,  # e
    0xD2, 0xD3, 0xD4, 0xD5, 0xD6,  # ê
    0xD7, 0xD8, 0xDC, 0xDD, 0xDE,  # i
    0xDF, 0xE1, 0xE2, 0xE3, 0xE4,  # o
    0xE5, 0xE6, 0xE7, 0xE8, 0xE9,  # ô
    0xEA, 0xEB, 0xEC, 0xED, 0xEE,  # ơ
    0xEF, 0xF1, 0xF2, 0xF3, 0xF4,  # u
    0xF5, 0xF6, 0xF7, 0xF8, 0xF9,  # ư
    0xFA, 0xFB, 0xFC, 0xFD, 0xFE,  # y
])
_TCVN3_LETTERS = ("ĂÂĐÊÔƠƯ" "ăâđêôơư"
                  "àảãáạ" "ằẳẵắặ" "ầẩẫấậ" "èẻẽéẹ" "ềểễếệ" "ìỉĩíị"
                  "òỏõóọ" "ồổỗốộ" "ờởỡớợ" "ùủũúụ" "ừửữứự" "ỳỷỹýỵ")
TCVN3 = dict(zip(_TCVN3_BYTES.decode("latin-1"), _TCVN3_LETTERS, strict=True))

# VNI Windows: the mark byte after a base letter, as (small, capital) and what it adds:
# a tone, a circumflex or breve, or both at once
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
VNI_MARKS = {
    ("ø", "Ø"): _GRAVE, ("ù", "Ù"): _ACUTE, ("û", "Û"): _HOOK, ("õ", "Õ"): _TILDE,
    ("ï", "Ï"): _DOT,
    ("â", "Â"): _CIRCUMFLEX, ("à", "À"): _CIRCUMFLEX + _GRAVE, ("á", "Á"): _CIRCUMFLEX + _ACUTE,
    ("å", "Å"): _CIRCUMFLEX + _HOOK, ("ã", "Ã"): _CIRCUMFLEX + _TILDE,
    ("ä", "Ä"): _CIRCUMFLEX + _DOT,
    ("ê", "Ê"): _BREVE, ("è", "È"): _BREVE + _GRAVE, ("é", "É"): _BREVE + _ACUTE,
    ("ú", "Ú"): _BREVE + _HOOK, ("ü", "Ü"): _BREVE + _TILDE, ("ë", "Ë"): _BREVE + _DOT,
}
# the letters VNI writes in one byte (ì, í and their capitals are themselves)
VNI_SINGLE = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
              "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị"}
_TONES = (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)


def _vni_pairs() -> dict[str, str]:
    pairs = {}
    for (small, capital), marks in VNI_MARKS.items():
        for base in "aeouyôö":
            if marks[0] == _CIRCUMFLEX and base not in "aeo" or marks[0] == _BREVE and base != "a":
                continue
            if base in "ôö" and marks not in _TONES:
                continue
            letter = unicodedata.normalize("NFC", VNI_SINGLE.get(base, base) + marks)
            pairs[base + small] = letter
            pairs[base.upper() + capital] = letter.upper()
    return pairs


VNI = {**_vni_pairs(), **VNI_SINGLE}
_VNI_READ = re.compile("|".join(sorted(VNI, key=len, reverse=True)))
_TCVN3_READ = re.compile("[" + "".join(TCVN3) + "]")


def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """``text`` typed in a TCVN3 font, as Unicode NFC; ``capitals``: in an "H" font."""
    text = _TCVN3_READ.sub(lambda m: TCVN3[m.group()], text)
    return unicodedata.normalize("NFC", text.upper() if capitals else text)


def vni_to_unicode(text: str) -> str:
    """``text`` typed in a VNI font, as Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_READ.sub(lambda m: VNI[m.group()], text))


# the inverse tables: Unicode to what such a font's user typed (for tests and round trips)
_TO_TCVN3 = {letter: byte for byte, letter in TCVN3.items()}
_TO_VNI = {letter: typed for typed, letter in VNI.items()}


def unicode_to_tcvn3(text: str) -> str:
    """Unicode ``text`` as a TCVN3 font's user typed it (capitals with a tone mark, which
    TCVN3 writes only in an "H" font, become small letters)."""
    return "".join(_TO_TCVN3.get(c) or _TO_TCVN3.get(c.lower(), c)
                   for c in unicodedata.normalize("NFC", text))


def unicode_to_vni(text: str) -> str:
    """Unicode ``text`` as a VNI font's user typed it."""
    return "".join(_TO_VNI.get(c, c) for c in unicodedata.normalize("NFC", text))
