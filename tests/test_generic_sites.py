"""Generic mode on local sites of eleven shapes (issue 13): a crawl with no profile, as a new
user runs it (``tintuc crawl --start-url URL``), stores at least 99 % of each site's articles
and no page that is not one.

The sites (tests/sites/) are built to the shapes real provincial sites have, not to the code:
short articles (1 to 5 paragraphs, at most ~560 characters) at URLs with no telling id, a
history page full of dates, pagers a crawl must recognise (numbered, next-only, ASP.NET
postback), sites whose articles only a sitemap or a feed lists, the five CMSs local sites
run on (WordPress, Joomla, Liferay, DotNetNuke, Drupal: their URL schemes, pagers, print
views, redirect tails, login links and language switches), and a newspaper whose older short
articles, dated only below their related block, are reached through related links and the
sitemap (kept by the URL shapes the crawl learns from the teaser headlines, see
crawler/url_shapes.py; that case is a strict xfail until the page classifier reads the
``article_shape`` hint). The first tests check the sites
themselves, so a failure below is the crawler's, not the fixture's.
"""

from __future__ import annotations

import html
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

import pytest
from conftest import run_tintuc
from sites import SHAPES, LocalSite, build_site
from sites.build import ABOUT_TITLE, MAX_BODY, normal_target

from crawler.url_shapes import shape_of
from pipelines.extractor.article import extract_article

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
PLAIN_SHAPES = ["cms", "sharepoint", "notices", "sitemap", "rss", "wordpress", "joomla",
                "liferay", "dnn", "drupal"]


def extract_kind(site, path: str, hints: dict) -> str:
    decision: dict = {}
    extract_article(site.pages[normal_target(path)][0], "http://127.0.0.1:1" + path,
                    hints=hints, decision=decision)  # fmt: skip
    return decision["kind"]


CRAWLED_SHAPES = [*PLAIN_SHAPES, "related"]


def target_of(url: str) -> str:
    parts = urlsplit(url)
    return normal_target(parts.path + (f"?{parts.query}" if parts.query else ""))


# --------------------------------------------------------------------------- the sites


@pytest.mark.parametrize("shape", [*PLAIN_SHAPES, "related"])
def test_sites_hold_short_dated_articles_and_pages_that_are_not_articles(shape):
    site = build_site(shape)
    articles = site.manifest["articles"]
    assert 20 <= len(articles) <= 60
    assert all(1 <= a["paragraphs"] <= 5 and a["chars"] <= MAX_BODY for a in articles)
    assert len({a["path"] for a in articles}) == len(articles)
    for article in articles:
        page = site.pages[normal_target(article["path"])][0].decode()
        assert html.escape(article["title"]) in page
        assert article["date_shown"] in page
    pages = [site.pages[normal_target(p)][0].decode() for p in site.manifest["non_articles"]]
    history = next(p for p in pages if f"<h1>{ABOUT_TITLE}</h1>" in p)
    long_paragraphs = [p for p in re.findall(r"<p>(.*?)</p>", history) if len(p) >= 250]
    assert "30/10/1963" in history and len(long_paragraphs) == 4
    assert set(SHAPES) >= {shape}


def test_sitemap_and_rss_sites_link_no_article_from_their_pages():
    for shape, entry in (("sitemap", "Sitemap: {{BASE_URL}}/sitemap_index.xml"),
                         ("rss", 'rel="alternate" type="application/rss+xml"')):  # fmt: skip
        site = build_site(shape)
        article_paths = {a["path"] for a in site.manifest["articles"]}
        html_pages = {t: b.decode() for t, (b, ctype) in site.pages.items()
                      if ctype.startswith("text/html") and t not in article_paths}  # fmt: skip
        assert not [t for t, text in html_pages.items()
                    if any(f'href="{p}"' in text for p in article_paths)]  # fmt: skip
        everything = b"".join(b for b, _ in site.pages.values()).decode("utf-8", "replace")
        assert entry in everything


def test_related_site_reaches_most_articles_only_by_related_links_and_its_sitemap():
    """The site the learned URL shapes are for: its section pages show the newest teasers
    only, the other articles are linked from the lists of the section's stories under each
    article (no heading around the link) and the sitemap, at three URL shapes; their date
    shows only under that list, so the page's structure alone leaves them undecided."""
    site = build_site("related")
    articles = [a["path"] for a in site.manifest["articles"]]
    teasers = set(site.manifest["teasers"])
    assert len(teasers) <= len(articles) / 2
    assert len({shape_of(p) for p in articles}) == 3
    assert all(sum(shape_of(t) == shape_of(p) for t in teasers) >= 3 for p in articles)
    sitemap = site.pages["/sitemap.xml"][0].decode()
    assert all(p in sitemap for p in articles)
    html_pages = [body.decode() for body, ctype in site.pages.values() if "html" in ctype]
    assert all(any(f'<li><a href="{p}">' in text for text in html_pages)
               for p in articles if p not in teasers)  # fmt: skip
    dropped = [p for p in articles if extract_kind(site, p, {}) != "article"]
    assert len(dropped) >= len(articles) / 2, "the structure alone should leave most undecided"
    # the history page sits at an article-shaped URL of the news section: still not one
    about = next(p for p in site.manifest["non_articles"] if p.startswith("/thoi-su/"))
    assert shape_of(about) == shape_of(articles[0])
    assert extract_kind(site, about, {"article_shape": shape_of(about)}) == "other"


def test_server_answers_postbacks_and_serves_attachments():
    server = LocalSite("sharepoint").start()
    try:
        form = {"__VIEWSTATE": "x", "__EVENTTARGET": "pager", "__EVENTARGUMENT": "Page$3"}
        url = server.base_url + "/Trang/TinTuc.aspx"
        page3 = urllib.request.urlopen(url, urllib.parse.urlencode(form).encode()).read().decode()
        third = server.manifest["articles"][12]["path"]  # 6 a page: page 3 starts at the 13th
        assert f'href="{third}"' in page3
        first = urllib.request.urlopen(url).read().decode()
        assert f'href="{third}"' not in first and "__VIEWSTATE" in first
        del form["__VIEWSTATE"]
        with pytest.raises(urllib.error.HTTPError, match="500"):
            urllib.request.urlopen(url, urllib.parse.urlencode(form).encode())
    finally:
        server.stop()
    server = LocalSite("notices").start()
    try:
        pdf = next(a for a in server.manifest["attachments"] if a.endswith(".pdf"))
        response = urllib.request.urlopen(server.base_url + pdf)
        assert response.headers["Content-Type"] == "application/pdf"
        body = response.read()
        assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    finally:
        server.stop()


# --------------------------------------------------------------------------- generic crawls


@pytest.mark.e2e
@pytest.mark.parametrize("shape", CRAWLED_SHAPES)
def test_generic_crawl_stores_every_article_and_nothing_else(shape, tmp_path):
    server = LocalSite(shape).start()
    db = tmp_path / "archive.db"
    try:
        run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(db), *FAST)
    finally:
        server.stop()
    manifest = server.manifest
    expected = {normal_target(a["path"]): a for a in manifest["articles"]}
    # a print view (Joomla's tmpl=component&print=1, DNN's ctl/Print, Drupal's /print/N) is
    # the article it prints: never fetched
    prints = {normal_target(p) for p in manifest.get("prints", [])}
    assert not [path for _, path in server.log
                if "print=1" in path or normal_target(path) in prints]  # fmt: skip
    # nor is a login or registration page (DNN's per tab, Drupal's /user/login?destination=…)
    accounts = {urlsplit(p).path for p in manifest.get("accounts", [])}
    assert not [path for _, path in server.log if urlsplit(path).path in accounts]
    conn = sqlite3.connect(db)
    rows = {target_of(url): (title, published) for url, title, published
            in conn.execute("SELECT url, title, published FROM articles")}  # fmt: skip
    captured = {target_of(url): ctype for url, ctype
                in conn.execute("SELECT url, content_type FROM captures WHERE status = 200")}
    conn.close()
    missing = sorted(set(expected) - set(rows))
    assert len(missing) <= 0.01 * len(expected), (
        f"{shape}: {len(missing)} of {len(expected)} articles not stored, e.g. {missing[:3]}")
    not_articles = sorted(set(rows) - set(expected))
    assert not not_articles, f"{shape}: stored pages that are not articles: {not_articles}"
    wrong = [(t, rows[t][0]) for t in rows if rows[t][0] != expected[t]["title"]]
    assert not wrong, f"{shape}: titles differ: {wrong[:3]}"
    undated = [t for t in rows if not (rows[t][1] or "").startswith(expected[t]["published"][:10])]
    assert not undated, f"{shape}: wrong or missing dates: {undated[:3]}"
    for attachment in manifest.get("attachments", []):  # the notices' PDF/DOCX: in WARC
        assert attachment in captured, f"attachment {attachment} was not captured"
        assert captured[attachment].startswith("application/")
    # deciding again from the captures keeps every decision, those the crawl made with what it
    # had learned of the site's URLs (teaser links, URL shapes) included
    decisions = "SELECT id, page_kind FROM captures WHERE page_kind IS NOT NULL ORDER BY id"
    conn = sqlite3.connect(db)
    before = conn.execute(decisions).fetchall()
    conn.close()
    out = run_tintuc("reextract", "--db", str(db)).stdout
    assert " 0 failed" in out, out
    conn = sqlite3.connect(db)
    assert conn.execute(decisions).fetchall() == before
    conn.close()


@pytest.mark.e2e
def test_an_incremental_crawl_finds_a_new_article_listed_without_a_heading(monkeypatch, tmp_path):
    """Many portals list their news as <div class="title"><a>…</a></div> or <li><a>, not in a
    heading: a headline-long link stands in for a teaser. Before, the second crawl of such a
    site stopped at the first page with no heading teaser: an article new on a category page
    (not on the home page) was never fetched, and stored ones were fetched again."""
    from sites import build

    plain = build.teasers
    monkeypatch.setattr(build, "teasers", lambda items, with_date=True: re.sub(
        r"<h3>(<a [^>]*>.*?</a>)</h3>", r'<div class="title">\1</div>', plain(items, with_date)))
    server = LocalSite("cms").start()
    db = tmp_path / "archive.db"
    new_path, title = "/tin/nha-may-dien-gio-99.html", "Tỉnh khánh thành nhà máy điện gió đầu tiên"
    try:
        run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(db), *FAST)
        listing = normal_target("/chuyen-muc/kinh-te.html")
        data, ctype = server.site.pages[listing]
        teaser = f'<div class="title"><a href="{new_path}">{title}</a></div>'.encode()
        server.site.pages[listing] = (data.replace(b'<div class="list">',
                                                   b'<div class="list">' + teaser), ctype)
        server.site.add(new_path, build.page(title, f"<h1>{title}</h1><p>25/12/2025 08:00</p>"
                                                    "<p>Sáng 25/12, tỉnh khánh thành nhà máy "
                                                    "điện gió đầu tiên ở huyện đảo.</p>", []))
        run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(db), *FAST)
    finally:
        server.stop()
    assert "<h3><a" not in server.site.pages[normal_target("/")][0].decode()
    conn = sqlite3.connect(db)
    stored = {url for (url,) in conn.execute("SELECT url FROM articles")}
    refetched = [url for (url,) in conn.execute("SELECT url FROM captures WHERE crawl_id = 2")
                 if url in stored and not url.endswith(new_path)]  # fmt: skip
    conn.close()
    assert server.base_url + new_path in stored
    assert len(stored) == len(server.manifest["articles"]) + 1
    assert refetched == []


@pytest.mark.e2e
# a numbered pager, a next-only one, WordPress /page/N/, Joomla limitstart/start, Liferay _cur,
# DNN PageIndex (path and query) and postbacks, Drupal ?page=N from 0
@pytest.mark.parametrize("shape", ["cms", "notices", "wordpress", "joomla", "liferay", "dnn",
                                   "drupal"])
def test_generic_incremental_crawl_fetches_no_stored_article_again(shape, tmp_path):
    """Without a profile, teaser headlines tell a listing's articles apart: the second crawl
    of an unchanged site fetches none of its stored articles and stops paginating early."""
    server = LocalSite(shape).start()
    db = tmp_path / "archive.db"
    try:
        for _ in range(2):
            run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(db), *FAST)
    finally:
        server.stop()
    conn = sqlite3.connect(db)
    first, second = conn.execute("SELECT pages, articles_new FROM crawls ORDER BY id").fetchall()
    articles = {url for (url,) in conn.execute("SELECT url FROM articles")}
    # a link that redirects to a stored article counts too (WordPress's ?p=N shortlinks, which
    # also look like page N of a listing): it was fetched again on every crawl
    refetched = [url for url, final_url in conn.execute(
        "SELECT url, final_url FROM captures WHERE crawl_id = 2") if {url, final_url} & articles]
    conn.close()
    assert len(articles) >= 0.99 * len(server.manifest["articles"])
    assert second[1] == 0 and refetched == []
    assert second[0] < first[0] / 2, (first, second)
