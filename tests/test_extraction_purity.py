"""Extraction is a function of the page (its bytes, URL, profile and the crawl's hints): the
same page gives the same article whatever was extracted before it in the process, and
``tintuc reextract`` of a capture gives what the crawl stored from it.

Extraction keeps memos across pages for speed (resolved links, class names, box titles,
trafilatura's patched passes): each must be keyed by all it depends on. A memo keyed by less
(a link's href without the page's base) would give one page's answer to the next.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import THU_SITES_TOML, query, run_tintuc, serve_pages

from pipelines.extractor.article import extract_article

WORDS = ("tỉnh ủy chỉ đạo triển khai kế hoạch phát triển kinh tế xã hội vùng ven biển nông "
         "nghiệp du lịch giáo dục y tế giao thông hạ tầng đầu tư").split()


def paragraphs(story: str, n: int = 6) -> str:
    return "".join(f"<p>Đoạn {k} của bài {story}: " + " ".join(
        WORDS[(k * 7 + j * 3 + len(story)) % len(WORDS)] for j in range(36)) + ".</p>"
        for k in range(n))  # fmt: skip


def story(slug: str, *, container: str = "article-detail", dateline: str = "24/11/2026 08:30",
          related_years: bool = False, lang: str = "vi") -> str:
    """A story page: headline, dateline, sapo, figure, body, byline, a related block whose
    links are relative (the same hrefs on every site) and, with ``related_years``, end in a
    year (``…-2000.html``)."""
    year = 2000 if related_years else 9000
    links = "".join(f"<li><a href='/bai-viet/lien-quan-{k}-{year + k}.html'>Bài liên quan số "
                    f"{k} về kế hoạch phát triển</a></li>"
                    for k in range(3))  # fmt: skip
    date = f"<div class='date'>{dateline}</div>" if dateline else ""
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>Tin {slug}: "
            f"tỉnh triển khai kế hoạch năm 2027</title></head><body><nav><a href='/'>Trang chủ"
            f"</a></nav><div class='{container}'><h1>Tin {slug}: tỉnh triển khai kế hoạch năm "
            f"2027</h1>{date}<p class='sapo'><b>Sapo của bài {slug} về kế hoạch của tỉnh.</b>"
            f"</p><figure><img src='/img/{slug}.jpg'><figcaption>Ảnh minh họa {slug}"
            f"</figcaption></figure>{paragraphs(slug)}<p class='author'>Nguyễn Văn Bình</p>"
            f"</div><div class='related'><h3>Tin liên quan</h3><ul>{links}</ul></div><footer>"
            "© 2019 Báo Thử. Giấy phép số 123/GP-BTTTT.</footer></body></html>")


# several structures, the same relative links and class names on two sites
PAGES = {
    "/bai-viet/co-khung-1001.html": story("co-khung", container="content-body news-content"),
    "/bai-viet/khong-khung-1002.html": story("khong-khung"),
    "/bai-viet/khong-ngay-1003.html": story("khong-ngay", dateline="", related_years=True),
    "/bai-viet/khung-khac-1004.html": story("khung-khac", container="detail-content"),
}
SITES = ("https://baothu.vn", "https://tinhthu.gov.vn")


def test_a_page_reads_the_same_whatever_was_extracted_before_it() -> None:
    pages = [(base + path, html) for base in SITES for path, html in PAGES.items()]
    first = {url: extract_article(html, url) for url, html in pages}
    again = {url: extract_article(html, url) for url, html in reversed(pages)}
    for url, _ in pages:
        assert again[url] == first[url], url
        # each page's related links are read against its own address, not an earlier page's
        site = url.split("/bai-viet/")[0]
        assert [link["url"] for link in first[url]["related"]] == [
            f"{site}/bai-viet/lien-quan-{k}-{(2000 if 'khong-ngay' in url else 9000) + k}.html"
            for k in range(3)]


@pytest.mark.e2e  # a Python process of its own
def test_a_page_alone_reads_as_after_other_pages(tmp_path) -> None:
    import json
    import subprocess
    import sys

    url = SITES[1] + "/bai-viet/khong-ngay-1003.html"
    for path, html in PAGES.items():  # other pages first, on both sites
        for base in SITES:
            extract_article(html, base + path)
    after_others = extract_article(PAGES["/bai-viet/khong-ngay-1003.html"], url)
    script = ("import json, sys; from pipelines.extractor.article import extract_article; "
              "print(json.dumps(extract_article(sys.stdin.read(), sys.argv[1])))")
    alone = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True,
                           input=PAGES["/bai-viet/khong-ngay-1003.html"], check=True,
                           cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert json.loads(alone.stdout) == json.loads(json.dumps(after_others))


COLUMNS = ("title", "description", "text", "published", "updated", "author", "language",
           "image", "extraction_flags", "extraction_confidence", "attachments")


RELATED = ("SELECT from_url, to_url, anchor, block, position FROM related_links "
           "ORDER BY from_url, position")  # what extraction found (not first_seen, crawl_id)
HOME_EXTRA = ("/bai-viet/chuyen-huong-1005.html", "/bai-viet/bang-ma-cu-1006.html")


def site_pages(path: str):
    path = path.split("?")[0]
    if path == "/":
        return "<html><body>" + "".join(
            f"<h3><a href='{p}'>Tin {p.split('/')[-1][:-10]}: tỉnh triển khai kế hoạch năm 2027"
            "</a></h3>" for p in (*PAGES, *HOME_EXTRA)) + "</body></html>"
    if path == HOME_EXTRA[0]:  # an old address: the article is read after the redirect
        return 301, {"Location": "/bai-viet/co-khung-1001.html"}, b""
    if path == HOME_EXTRA[1]:  # the charset told by the HTTP header alone
        html = story("bang-ma-cu").replace("<meta charset='utf-8'>", "")
        return 200, {"Content-Type": "text/html; charset=utf-16"}, html.encode("utf-16")
    return PAGES.get(path)


@pytest.mark.e2e
def test_reextract_of_a_crawl_gives_every_column_the_crawl_stored(tmp_path) -> None:
    # the crawl reads each page with what the spider knew (the profile's selectors and article
    # patterns, the response's charset, the URL after a redirect); tintuc reextract reads the
    # stored capture with what the archive kept of them: the same inputs, the same article
    db_path, sites = tmp_path / "archive.db", tmp_path / "sites.toml"
    with serve_pages(site_pages) as (base, _):
        sites.write_text(THU_SITES_TOML.format(base=base)
                         + "selectors = { body = 'div.article-detail' }\n", encoding="utf-8")
        run_tintuc("crawl", "thu", "--sites", str(sites), "--db", str(db_path), "--full")
    crawled = query(db_path, f"SELECT url, {', '.join(COLUMNS)} FROM articles ORDER BY url")
    related = query(db_path, RELATED)
    assert len(crawled) == 5, [r["url"] for r in crawled]
    assert any("Đoạn 0 của bài bang-ma-cu" in r["text"] for r in crawled)  # utf-16, read
    # the profile's body selector names the container no class rule knows
    assert "no_body_container" not in next(r for r in crawled if "khong-khung" in r["url"])[
        "extraction_flags"]
    out = run_tintuc("reextract", "--db", str(db_path)).stdout
    assert "0 changed, 5 unchanged" in out, out
    assert query(db_path, f"SELECT url, {', '.join(COLUMNS)} FROM articles ORDER BY url") \
        == crawled
    assert query(db_path, RELATED) == related
