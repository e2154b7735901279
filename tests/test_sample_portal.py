"""Self-check of the bundled sample portal (tintuc/sample_portal): files, manifest, server."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import unicodedata
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "tintuc" / "sample_portal"
MANIFEST = json.loads((PORTAL / "manifest.json").read_text(encoding="utf-8"))
ARTICLES = MANIFEST["articles"]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_sample_portal_{name}", PORTAL / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.h1 = ""
        self.title = ""
        self._a: list | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self._a = [dict(attrs)["href"], ""]
        elif tag in ("h1", "title"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.links.append((self._a[0], " ".join(self._a[1].split())))
            self._a = None
        elif tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data
        if self._in:
            setattr(self, self._in, getattr(self, self._in) + data)


def _parse(text: str) -> _Links:
    p = _Links()
    p.feed(text)
    return p


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def portal():
    base, stop = _load("serve").serve_in_thread()
    yield base
    stop()


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), ""


def _local_path(base: str, page_url: str, href: str) -> str | None:
    if href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = urljoin(page_url, href)
    parts = urlsplit(url)
    if url.startswith(base) and parts.scheme == "http":
        return parts.path
    return None


def test_committed_manifest_matches_build(tmp_path):
    _load("build").build(tmp_path / "site", tmp_path / "manifest.json")
    assert (tmp_path / "manifest.json").read_bytes() == (PORTAL / "manifest.json").read_bytes(), (
        "manifest.json is stale: run python tintuc/sample_portal/build.py"
    )


def test_manifest_shape():
    assert len(ARTICLES) >= 32
    paths = [a["path"] for a in ARTICLES]
    assert len(set(paths)) == len(paths)
    assert len(MANIFEST["orphan_paths"]) >= 2
    assert {a["url_style"] for a in ARTICLES} == {"slug", "nid"}
    assert any("Đà Nẵng" in a["title"] for a in ARTICLES)
    assert sum(int(a["published"][8:10]) > 12 for a in ARTICLES) >= 5
    assert 0 < sum(a["has_published_meta"] for a in ARTICLES) < len(ARTICLES)
    blocks = {a["related_block"] for a in ARTICLES}
    assert {"Tin tức khác", "Tin liên quan", "Tin cùng chuyên mục", "Đọc thêm", None} <= blocks
    no_rel = [a for a in ARTICLES if not a["related"]]
    assert [a["path"] for a in no_rel] == [MANIFEST["no_related_path"]]
    for a in ARTICLES:
        assert a["published"].endswith("+07:00")
        for s in [a["title"], a["lead"], *a["paragraphs"]]:
            assert unicodedata.normalize("NFC", s) == s
        assert 3 <= len(a["paragraphs"]) <= 8
        assert len(a["body_phrases"]) in (2, 3)
        if a["related"]:
            assert 3 <= len(a["related"]) <= 6
    by_path = {a["path"]: a for a in ARTICLES}
    for a in ARTICLES:
        for r in a["related"]:
            target = r["path_or_url"]
            if target.startswith("http"):
                assert target in MANIFEST["external_related_urls"]
            else:
                assert target != a["path"]
                assert by_path[target]["title"] == r["text"]
    linked = {r["path_or_url"] for a in ARTICLES if a["listed"] for r in a["related"]}
    assert set(MANIFEST["orphan_paths"]) <= linked


def test_pages_served(portal):
    base = portal
    for path in MANIFEST["listing_paths"] + MANIFEST["non_article_paths"]:
        status, ctype, body = _get(base + path)
        assert status == 200, path
        assert ctype == "text/html; charset=utf-8", path
        assert "Tin mới nhất" in body and "Đọc nhiều" in body
    for path in MANIFEST["missing_paths"] + ["/tin-tuc/", "/Trang/ChiTietTinTuc/"]:
        assert _get(base + path)[0] == 404, path
    status, _, robots = _get(base + "/robots.txt")
    assert status == 200 and f"Sitemap: {base}/sitemap.xml" in robots
    status, _, sitemap = _get(base + "/sitemap.xml")
    assert status == 200
    assert set(re.findall(r"<loc>([^<]+)</loc>", sitemap)) == {
        base + p for p in MANIFEST["sitemap_paths"]
    }
    assert not set(MANIFEST["orphan_paths"]) & set(MANIFEST["sitemap_paths"])


def test_articles_served(portal):
    base = portal
    for a in ARTICLES:
        url = base + a["path"]
        status, ctype, page = _get(url)
        assert status == 200, a["path"]
        assert ctype == "text/html; charset=utf-8"
        parsed = _parse(page)
        assert " ".join(parsed.h1.split()) == a["title"]
        assert a["title"] in " ".join(parsed.title.split())
        text = _text(page)
        assert a["date_shown"] in text
        assert a["author_line"] in text
        for phrase in [a["lead"], *a["body_phrases"]]:
            assert phrase in text, (a["path"], phrase)
        has_meta = f'property="article:published_time" content="{a["published"]}"' in page
        assert has_meta == a["has_published_meta"]
        if a["related_block"]:
            # related links: after the heading, in manifest order, one entry per target
            tail = page.split(f">{a['related_block']}<", 1)[1].split('<aside class="col-side"')[0]
            seen = []
            for href, label in _parse(tail).links:
                target = _local_path(base, url, href) or href
                if label and (not seen or seen[-1] != (target, label)):
                    seen.append((target, label))
            assert seen == [(r["path_or_url"], r["text"]) for r in a["related"]], a["path"]
        else:
            for heading in ("Tin tức khác", "Tin liên quan", "Tin cùng chuyên mục", "Đọc thêm"):
                assert f">{heading}<" not in page


def test_crawl_reaches_everything(portal):
    """A breadth-first crawl from / finds every article (orphans only via related links)."""
    base = portal
    seen, queue, found_404 = {"/"}, ["/"], set()
    non_related_links = set()
    article_paths = {a["path"] for a in ARTICLES}
    while queue:
        path = queue.pop(0)
        status, _, page = _get(base + path)
        if status == 404:
            found_404.add(path)
            continue
        if path in article_paths:
            # only count links outside the related block for the orphan check
            a = next(x for x in ARTICLES if x["path"] == path)
            outside = page.split(f">{a['related_block']}<")[0] if a["related_block"] else page
            outside += page.split('<aside class="col-side"', 1)[1]
        else:
            outside = page
        for href, _ in _parse(outside).links:
            p = _local_path(base, base + path, href)
            if p:
                non_related_links.add(p)
        for href, _ in _parse(page).links:
            p = _local_path(base, base + path, href)
            if p and p not in seen:
                seen.add(p)
                queue.append(p)
    assert article_paths <= seen
    assert found_404 == set(MANIFEST["missing_paths"])
    assert not set(MANIFEST["orphan_paths"]) & non_related_links
    assert not any("baoquangninh.vn/kinh-te" in p for p in seen)
