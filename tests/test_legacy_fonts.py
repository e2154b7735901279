"""Text typed in a pre-Unicode Vietnamese font (TCVN3's .VnTime, VNI-Times) is stored in
Unicode NFC; pages naming no such font, and Unicode text in one, are read as before.

The legacy pages are written in Unicode for the test and encoded with the inverse of
``pipelines.legacy_fonts``' tables (no publisher text)."""

from __future__ import annotations

import unicodedata

import pytest

from pipelines.extractor.article import extract_article
from pipelines.legacy_fonts import (
    TCVN3,
    VNI,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)

URL = "https://sotinh.gov.vn/tin-tuc/hoi-nghi-phong-chong-thien-tai-1203.html"
TITLE = "Thông báo kết quả hội nghị phòng chống thiên tai năm nay"
PARAS = [
    "Sáng nay, ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên tai "
    "năm qua và triển khai nhiệm vụ năm tới với sự tham dự của lãnh đạo các sở, ngành.",
    "Đồng chí phó chủ tịch nhấn mạnh việc chủ động ứng phó với mưa lũ, sạt lở đất ở các huyện "
    "miền núi, bảo đảm an toàn cho người dân và tài sản của nhà nước.",
    "Các địa phương được giao rà soát những khu dân cư ven sông, suối, lập phương án di dời "
    "khẩn cấp và dự trữ lương thực, thuốc men trước mùa mưa bão.",
    "Kết thúc hội nghị, tỉnh khen thưởng mười hai tập thể và hai mươi lăm cá nhân có thành "
    "tích xuất sắc trong công tác cứu hộ, cứu nạn năm vừa qua.",
]
MENU = "Giới thiệu"  # the template's own Unicode text


def page(encode, face: str, *, how: str = "face", title_font: str | None = None) -> str:
    """An article whose headline and paragraphs are typed in ``face`` (declared by a <font
    face>, a style, or a class of the page's <style>), in a Unicode template."""
    def drawn(tag: str, text: str, font: str = face) -> str:
        if how == "style":
            return f"<{tag} style='font-family: \"{font}\", serif'>{text}</{tag}>"
        if how == "class":
            return f"<{tag} class='vb'>{text}</{tag}>"
        return f"<{tag}><font face='{font}'>{text}</font></{tag}>"

    typed = encode(TITLE)  # in an "H" font the letters' own bytes draw capitals; a-z with shift
    heading = drawn("h1", "".join(c.upper() if c.isascii() else c for c in typed)
                    if title_font else typed, title_font or face)
    paras = "".join(drawn("p", encode(p)) for p in PARAS)
    return ("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Cổng thông tin"
            f"</title><style>.vb {{ font-family: '{face}'; }}</style></head><body><nav>"
            f"<a href='/'>Trang chủ</a> <a href='/gt'>{MENU}</a></nav><article>{heading}"
            f"<div class='date'>12/03/2025 08:15</div><div class='content'>{paras}</div>"
            "</article><footer>Cổng thông tin điện tử tỉnh</footer></body></html>")


def stored(html: str | bytes) -> dict:
    result = extract_article(html, URL)
    assert result is not None
    for field in ("title", "text"):
        assert result[field] == unicodedata.normalize("NFC", result[field])
    return result


def test_the_tables_invert_their_encoders() -> None:
    words = "".join(sorted(set(TCVN3.values()) | set(VNI.values())))
    assert vni_to_unicode(unicode_to_vni(words)) == words
    small = "".join(c for c in words if c.islower())
    assert tcvn3_to_unicode(unicode_to_tcvn3(small)) == small
    assert tcvn3_to_unicode("Th«ng b¸o cña UBND tØnh") == "Thông báo của UBND tỉnh"
    assert vni_to_unicode("Thoâng baùo cuûa UBND tænh") == "Thông báo của UBND tỉnh"
    assert tcvn3_to_unicode("th«ng b¸o", capitals=True) == "THÔNG BÁO"


@pytest.mark.parametrize("how", ["face", "style", "class"])
@pytest.mark.parametrize("encode,face", [(unicode_to_tcvn3, ".VnTime"),
                                         (unicode_to_vni, "VNI-Times")])
def test_text_drawn_in_a_legacy_font_is_stored_in_unicode(encode, face, how) -> None:
    result = stored(page(encode, face, how=how))
    assert result["title"] == TITLE
    for paragraph in PARAS:
        assert paragraph in result["text"]
    assert "th«ng" not in result["text"].lower() and "thoâng" not in result["text"].lower()
    assert "legacy_font_converted" in result["flags"]
    assert "legacy_font_text" not in result["flags"]
    assert result["confidence"] >= 0.5


def test_a_capitals_font_headline_is_in_capitals() -> None:
    result = stored(page(unicode_to_tcvn3, ".VnTime", title_font=".VnTimeH"))
    assert result["title"] == TITLE.upper()


def test_a_whole_legacy_page_without_a_charset_is_read_for_its_font() -> None:
    """No charset anywhere: the bytes are the font's, though cp1258 would decode them too
    (0xD2, 0xEC are combining marks there); the <title> and the undeclared parts convert."""
    body = "".join(f"<p>{unicode_to_tcvn3(p)}</p>" for p in PARAS)
    html = (f"<html><head><title>{unicode_to_tcvn3(TITLE)}</title></head><body>"
            f"<font face='.VnTime'><h1>{unicode_to_tcvn3(TITLE)}</h1><p>12/03/2025</p>"
            f"{body}</font></body></html>")
    result = stored(html.encode("latin-1"))
    assert result["title"] == TITLE
    for paragraph in PARAS:
        assert paragraph in result["text"]


def test_unicode_text_in_a_legacy_font_and_the_template_stay_as_they_are() -> None:
    """A page converted to Unicode long ago that kept its font tags, and a template's menu
    beside a legacy article: nothing to convert in them."""
    result = stored(page(lambda text: text, ".VnTime"))
    assert result["title"] == TITLE and PARAS[0] in result["text"]
    assert "legacy_font_converted" not in result["flags"]
    legacy = page(unicode_to_tcvn3, ".VnTime")
    assert MENU in legacy  # the template's Unicode is no legacy text, and is kept as is
    assert extract_article(legacy, URL)["title"] == TITLE


@pytest.mark.parametrize("text", [
    "Die Gemeinde hat am Montag über die Änderungen der Gebühren für Müll und Straßenreinigung "
    "beraten; die Bürger können ihre Einwände bis zum Jahresende schriftlich einreichen.",
    "« Le conseil municipal a voté à l'unanimité la rénovation de l'école », a déclaré le "
    "maire, qui prévoit des travaux dès l'été prochain dans le quartier de la gare.",
])
def test_pages_naming_no_legacy_font_are_untouched(text: str) -> None:
    html = (f"<html><head><title>Nachricht Événement</title></head><body><article>"
            f"<h1>Nachricht Événement</h1><p style='font-family: Times New Roman'>{text}</p>"
            f"<p>{text}</p></article></body></html>")
    result = stored(html.encode("latin-1"))
    assert text in result["text"]
    assert not {"legacy_font_converted", "legacy_font_text"} & set(result["flags"])


def test_a_vni_heading_of_letters_unicode_writes_too_is_converted() -> None:
    """"Thông báo" in VNI is "Thoâng baùo": â and ù are letters Unicode writes too, but never
    after an o or an a."""
    heading = "Thông báo về công tác tháng ba"
    assert {c for c in unicode_to_vni(heading) if not c.isascii()} == {"â", "ù", "à"}
    html = page(unicode_to_vni, "VNI-Times").replace(
        f"<h1><font face='VNI-Times'>{unicode_to_vni(TITLE)}</font></h1>",
        f"<h1><font face='VNI-Times'>{unicode_to_vni(heading)}</font></h1>")
    assert stored(html)["title"] == heading
