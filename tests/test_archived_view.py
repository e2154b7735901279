""""View as archived" keeps the captured page inside the archive: links to captured pages and
images point to their archived copies, the rest is made inert, a banner says what it is, and
a page that cannot be rewritten safely is shown as its stored text."""

from __future__ import annotations

import asyncio
from pathlib import Path

import lxml.html
import pytest
from conftest import capture as capture_page
from datasette.app import Datasette

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles
from pipelines.archive.warc import WarcFile
from tintuc.web import archived

SITE = "https://baomau.vn"
ARTICLE = f"{SITE}/tin-tuc/hoi-nghi-20250302.html"
OTHER = f"{SITE}/tin-tuc/mua-bao-20250301.html"  # captured
GONE = f"{SITE}/tin-tuc/chua-luu-20250228.html"  # never captured
LOGO = f"{SITE}/images/logo.png"  # captured
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip
PAGE = f"""<!DOCTYPE html><html lang="vi"><head><title>Hội nghị tổng kết</title>
<base href="https://cdn.elsewhere.example/">
<meta http-equiv="Refresh" content="0; url=https://ads.example/">
<link rel="stylesheet" href="https://cdn.elsewhere.example/site.css">
<style>body {{ background: url(/images/logo.png) }}
h1 {{ background: url(https://x.example/a.png) }}</style>
<script src="https://tracker.example/t.js"></script></head>
<body><h1 style="background-image: url('https://x.example/b.png'); color: red">Hội nghị</h1>
<p><a href="{OTHER}#binh-luan">Mùa mưa bão</a>
· <a href="/tin-tuc/chua-luu-20250228.html">Chưa lưu</a> · <a href="#top">Lên đầu</a>
· <a href="javascript:alert(1)">JS</a></p>
<img id="logo" src="/images/logo.png" srcset="/images/logo.png 1x, https://x.example/logo2.png 2x">
<img id="ad" src="https://ads.example/banner.gif">
<form action="https://baomau.vn/tim-kiem"><input name="q"></form>
<iframe src="https://video.example/embed/1"></iframe></body></html>"""


def capture(db, warc: WarcFile, url: str, body: bytes, content_type: str) -> int:
    return capture_page(db, warc, url, body, content_type, time="2025-03-02T01:30:00+00:00")


@pytest.fixture
def archive(tmp_path) -> tuple[Path, dict]:
    """An archive of an article page, a page it links to, its logo, and an article whose
    capture declares a charset nobody knows: (db path, capture ids by name)."""
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    warc = WarcFile(tmp_path / "warc" / "crawl-1.warc.gz")
    html = "text/html; charset=utf-8"
    ids = {
        "article": capture(db, warc, ARTICLE, PAGE.encode(), html),
        "other": capture(db, warc, OTHER, b"<html><body><p>Mua bao</p></body></html>", html),
        "logo": capture(db, warc, LOGO, PNG, "image/png"),
        "odd": capture(db, warc, f"{SITE}/tin-tuc/la-20250303.html", b"<p>\xff\xfe</p>",
                       "text/html; charset=x-klingon"),  # fmt: skip
        "binary": capture(db, warc, f"{SITE}/tin-tuc/nhi-phan.html", bytes(range(256)) * 8,
                          html),  # fmt: skip
    }
    warc.close()
    save_articles(db, [
        {"url": ARTICLE, "title": "Hội nghị tổng kết", "text": "Đoạn một.", "site": "baomau",
         "capture_id": ids["article"]},
        {"url": f"{SITE}/tin-tuc/la-20250303.html", "title": "Bài lạ", "site": "baomau",
         "text": "Đoạn thứ nhất.\nĐoạn thứ hai.", "capture_id": ids["odd"]},
    ])  # fmt: skip
    ids["article_id"], ids["odd_id"] = [r["id"] for r in db["articles"].rows_where(order_by="id")]
    db.close()
    return db_path, ids


def get(db_path: Path, path: str):
    async def fetch():
        return await Datasette([str(db_path)]).client.get(path)

    return asyncio.run(fetch())


def test_archived_page_links_stay_in_the_archive(archive):
    db_path, ids = archive
    response = get(db_path, f"/-/tintuc/archived/archive/{ids['article_id']}")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp
    doc = lxml.html.document_fromstring(response.text)
    capture = "/-/tintuc/archived/archive/capture/{}".format

    banner = doc.get_element_by_id(archived.BANNER_ID)
    assert " ".join(banner.text_content().split()) == (
        f"Archived copy captured 2025-03-02 01:30 UTC from {ARTICLE}; back to the article"
    )
    assert banner.find("a").get("href") == f"/archive/articles/{ids['article_id']}"
    assert doc.find("body")[0] is banner

    links = {a.text_content(): a for a in doc.find("body").iter("a") if a is not banner.find("a")}
    assert links["Mùa mưa bão"].get("href") == capture(ids["other"]) + "#binh-luan"
    assert links["Lên đầu"].get("href") == "#top"
    for inert, url in (("Chưa lưu", GONE), ("JS", "javascript:alert(1)")):
        assert links[inert].get("href") is None
        assert links[inert].get("data-tintuc-not-archived") == url
    logo = doc.get_element_by_id("logo")
    assert logo.get("src") == capture(ids["logo"])
    assert logo.get("srcset") == capture(ids["logo"]) + " 1x"
    assert doc.get_element_by_id("ad").get("src") is None
    assert doc.find(".//form").get("action") is None
    assert doc.find(".//iframe").get("src") is None
    assert doc.find(".//script").get("src") is None
    assert doc.xpath("//base | //meta[@http-equiv]") == []
    # the page's own style stays; its URLs point to the archive or to nothing
    assert "color: red" in doc.find(".//h1").get("style")
    assert f"url({capture(ids['logo'])})" in doc.find(".//style").text
    # nothing left that a browser could fetch from the network
    assert [link for _, _, link, _ in doc.iterlinks()
            if link.startswith(("http:", "https:", "//"))] == []  # fmt: skip
    assert "x.example" not in response.text.replace("data-tintuc-not-archived", "")


def test_captured_resources_and_pages_are_served_from_the_archive(archive):
    db_path, ids = archive
    logo = get(db_path, f"/-/tintuc/archived/archive/capture/{ids['logo']}")
    assert logo.status_code == 200 and logo.content == PNG
    assert logo.headers["content-type"] == "image/png"
    assert logo.headers["content-security-policy"] == archived.ARCHIVED_CSP
    page = get(db_path, f"/-/tintuc/archived/archive/capture/{ids['other']}")
    doc = lxml.html.document_fromstring(page.text)
    banner = doc.get_element_by_id(archived.BANNER_ID)
    assert "back to the archive" in banner.text_content()  # no article for this page
    assert banner.find("a").get("href") == "/archive"
    assert get(db_path, "/-/tintuc/archived/archive/capture/999").status_code == 404


def test_page_that_cannot_be_rewritten_is_shown_as_its_stored_text(archive, monkeypatch):
    db_path, ids = archive
    odd = get(db_path, f"/-/tintuc/archived/archive/{ids['odd_id']}")
    assert odd.status_code == 200
    doc = lxml.html.document_fromstring(odd.text)
    assert doc.get_element_by_id(archived.BANNER_ID) is not None
    assert "Shown as text: the page cannot be decoded as x-klingon (an unknown charset)" in (
        doc.text_content()
    )
    assert [p.text for p in doc.findall(".//p")][-2:] == ["Đoạn thứ nhất.", "Đoạn thứ hai."]

    binary = get(db_path, f"/-/tintuc/archived/archive/capture/{ids['binary']}")
    assert "Shown as text: the page cannot be decoded as utf-8" in binary.text
    assert "No stored text for this page." in binary.text

    monkeypatch.setattr(archived, "REWRITE_LIMIT", 100)
    big = get(db_path, f"/-/tintuc/archived/archive/{ids['article_id']}")
    assert "Shown as text: the page is too large" in big.text and "Đoạn một." in big.text
    assert "tracker.example" not in big.text


def test_article_page_links_every_capture_of_its_page(archive):
    db_path, ids = archive
    db = open_archive(db_path)
    for when, status in (("2025-03-09T01:30:00+00:00", 304), ("2025-04-01T01:30:00+00:00", 404)):
        db["captures"].insert({"url": ARTICLE, "final_url": ARTICLE, "status": status,
                               "time": when})  # fmt: skip
    db.close()
    page = lxml.html.fromstring(get(db_path, f"/archive/articles/{ids['article_id']}").text)
    (link,) = page.xpath('//a[@id="captures-link"]')
    assert link.text == "Every capture of this page (3)"
    as_json = link.get("href").replace("/captures?", "/captures.json?") + "&_shape=array"
    listing = get(db_path, as_json)
    assert [(r["status"], r["time"][:10]) for r in listing.json()] == [
        (404, "2025-04-01"), (304, "2025-03-09"), (200, "2025-03-02")]
