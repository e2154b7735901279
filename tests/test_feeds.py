"""Atom feeds (tintuc.web.feeds, datasette-atom): per site, per province, of a search, of
changed and removed articles. Each is checked as Atom 1.0 twice: the RFC 4287 elements read
with lxml, and feedparser's own reading (``bozo`` = 0: well-formed, nothing it had to guess)."""

from __future__ import annotations

import datetime
import urllib.parse

import feedparser
import pytest
import sqlite_utils
from lxml import etree
from test_datasette import (
    ARTICLES,
    BONGDA_TITLE,
    DANANG_TITLE,
    HALONG_TITLE,
    KINHTE_TITLE,
    fetch,
)  # fmt: skip

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles
from tintuc.web.feeds import atom_time

ATOM = "{http://www.w3.org/2005/Atom}"
# a copy of the Hạ Long story on a Đà Nẵng site, published later: one story, two sites
COPY = {**ARTICLES[1], "url": "https://baodanang.vn/ha-long-copy-5.html", "site": "baodanang",
        "published": "2025-04-02T10:00:00+07:00", "related": []}  # fmt: skip
PROVINCES = {"baodanang": "Đà Nẵng", "baoquangninh": "Quảng Ninh"}


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_articles(db, [{"province": PROVINCES[a["site"]], **a} for a in [*ARTICLES, COPY]])
    db["story_clusters"].insert_all(
        [{"cluster_id": 2, "article_id": 2, "similarity": 1.0},
         {"cluster_id": 2, "article_id": 5, "similarity": 0.93}]
    )  # fmt: skip
    db["article_versions"].insert(
        {"article_id": 3, "url": ARTICLES[2]["url"], "title": "Kinh tế tăng trưởng chậm",
         "text": "Bản cũ của bài.", "replaced": "2025-05-01T00:00:00+00:00"}
    )  # fmt: skip
    db.execute(
        "update articles set removed = '2025-06-01T02:00:00+00:00', removed_reason = 'HTTP 404'"
        " where id = 4"
    )
    db.conn.commit()
    db.close()
    return path


def check_atom(response) -> etree._Element:
    """The feed, after checking it as Atom 1.0 (RFC 4287 section 4.1)."""
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = etree.fromstring(response.content)  # well-formed, or this raises
    assert feed.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):  # exactly one of each
        assert len(feed.findall(f"{ATOM}{element}")) == 1, element
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author") is None:  # then every entry has one (4.1.1)
        assert all(e.find(f"{ATOM}author/{ATOM}name") is not None for e in entries)
    for entry in entries:
        for element in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{element}")) == 1, element
        # an entry without content has an alternate link (4.1.2); links are absolute
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}link") is not None
        for link in entry.findall(f"{ATOM}link"):
            assert urllib.parse.urlsplit(link.get("href")).scheme == "http"
        # a date construct: RFC 3339 date-time with an offset (3.3)
        assert datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text).tzinfo
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return feed


def entry_titles(feed) -> list[str]:
    return [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]


def test_site_feed_is_newest_first_with_one_copy_per_story(archive):
    danang, quangninh = fetch(
        archive,
        "/archive/feed_site.atom?site=baodanang",
        "/archive/feed_site.atom?site=baoquangninh",
    )
    feed = check_atom(danang)
    assert feed.find(f"{ATOM}title").text == "tintuc: newest articles of baodanang"
    # the copy is the only one of its story on this site: listed
    assert entry_titles(feed) == [HALONG_TITLE, BONGDA_TITLE, DANANG_TITLE]
    assert entry_titles(check_atom(quangninh)) == [KINHTE_TITLE, HALONG_TITLE]
    first = feed.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}id").text == COPY["url"]
    assert first.find(f"{ATOM}link").get("href") == "http://localhost/archive/articles/5"
    assert first.find(f"{ATOM}updated").text == "2025-04-02T10:00:00+07:00"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Thu Hà"


def test_province_feed_keeps_the_first_copy_of_a_story(archive, tmp_path):
    db = sqlite_utils.Database(archive)
    db.execute("update articles set province = 'Đà Nẵng'")  # both sites in one province
    db.conn.commit()
    db.close()
    (response,) = fetch(archive, "/archive/feed_province.atom?province=Đà Nẵng")
    feed = check_atom(response)
    assert feed.find(f"{ATOM}title").text == "tintuc: newest articles of Đà Nẵng"
    # the Hạ Long story appears once: the copy published first (id 2, 2025-04-01)
    assert entry_titles(feed) == [KINHTE_TITLE, HALONG_TITLE, BONGDA_TITLE, DANANG_TITLE]
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links[1] == "http://localhost/archive/articles/2"


@pytest.mark.parametrize("name", ["quang ninh", "QUẢNG NINH", "tỉnh Quảng Ninh", " Quảng  Ninh"])
def test_province_feed_takes_the_name_however_it_is_written(archive, name):
    # as tintuc crawl --province: case, diacritics and a leading "tỉnh" do not matter
    written, exact = fetch(
        archive,
        "/archive/feed_province.atom?" + urllib.parse.urlencode({"province": name}),
        "/archive/feed_province.atom?province=Quảng Ninh",
    )
    feed = check_atom(written)
    assert feed.find(f"{ATOM}title").text == "tintuc: newest articles of Quảng Ninh"
    assert entry_titles(feed) == entry_titles(check_atom(exact)) == [KINHTE_TITLE, HALONG_TITLE]
    (danang,) = fetch(archive, "/archive/feed_province.atom?province=da+nang")  # đ → d
    assert entry_titles(check_atom(danang)) == [HALONG_TITLE, BONGDA_TITLE, DANANG_TITLE]


def test_site_and_province_feeds_refuse_a_missing_or_unknown_name(archive):
    no_site, empty_site, unknown_site, no_province, unknown_province = fetch(
        archive,
        "/archive/feed_site.atom",
        "/archive/feed_site.atom?site=",
        "/archive/feed_site.atom?site=nosuchsite",
        "/archive/feed_province.atom",
        "/archive/feed_province.atom?province=Hà Nội",
    )
    answers = [(r.status_code, r.text) for r in
               (no_site, empty_site, unknown_site, no_province, unknown_province)]  # fmt: skip
    assert answers == [
        (400, "feed_site.atom needs ?site=…: one of baodanang, baoquangninh"),
        (400, "feed_site.atom needs ?site=…: one of baodanang, baoquangninh"),
        (404, "no site 'nosuchsite' in this archive; sites: baodanang, baoquangninh"),
        (400, "feed_province.atom needs ?province=…: one of Quảng Ninh, Đà Nẵng"),
        (404, "no province 'Hà Nội' in this archive; provinces: Quảng Ninh, Đà Nẵng"),
    ]
    assert no_site.headers["content-type"] == "text/plain; charset=utf-8"


def test_feed_of_a_registered_site_not_crawled_yet_is_empty_not_refused(archive):
    db = sqlite_utils.Database(archive)
    db["sites"].insert({"id": "baohanoi", "name": "Báo Hà Nội", "province": "Hà Nội"})
    db.close()
    site, province = fetch(
        archive,
        "/archive/feed_site.atom?site=baohanoi",
        "/archive/feed_province.atom?province=ha+noi",
    )
    assert entry_titles(check_atom(site)) == entry_titles(check_atom(province)) == []


def test_search_feed_folds_the_query_and_lists_newest_first(archive):
    folded, plain = fetch(
        archive, "/archive/feed_search.atom?q=da nang", "/archive/feed_search.atom?q=Đà Nẵng"
    )
    feed = check_atom(folded)
    assert feed.find(f"{ATOM}title").text == "tintuc: search “da nang”, newest first"
    assert entry_titles(feed) == [HALONG_TITLE, HALONG_TITLE, DANANG_TITLE]
    assert entry_titles(check_atom(plain)) == entry_titles(feed)


def test_changed_feed_lists_changes_and_removals_per_site_and_overall(archive):
    overall, danang, nothing = fetch(
        archive,
        "/archive/feed_changed.atom?site=",
        "/archive/feed_changed.atom?site=baodanang",
        "/archive/feed_changed.atom?site=nosuchsite",
    )
    feed = check_atom(overall)
    assert feed.find(f"{ATOM}title").text == "tintuc: changed and removed articles, all sites"
    assert entry_titles(feed) == [f"Removed: {BONGDA_TITLE}", f"Changed: {KINHTE_TITLE}"]
    entries = feed.findall(f"{ATOM}entry")
    assert entries[1].find(f"{ATOM}id").text == ARTICLES[2]["url"] + "#version-1"
    assert entries[1].find(f"{ATOM}updated").text == "2025-05-01T00:00:00+00:00"
    assert "of the words changed" in entries[1].find(f"{ATOM}content").text
    assert entries[0].find(f"{ATOM}content").text == "Removed from the site: HTTP 404"
    assert entry_titles(check_atom(danang)) == [f"Removed: {BONGDA_TITLE}"]
    # no entry: still a valid feed (datasette-atom alone answers 500 here)
    assert entry_titles(check_atom(nothing)) == []


def test_article_page_links_its_site_and_province_feeds(archive):
    (page,) = fetch(archive, "/archive/articles/1")
    html = page.text
    site = "/archive/feed_site.atom?site=baodanang"
    province = "/archive/feed_province.atom?province=%C4%90%C3%A0+N%E1%BA%B5ng"
    for url in (site, province):
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert html.count(f'href="{url}"') == 2  # in the head and visibly in the page
    (feed,) = fetch(archive, province)
    # the province's own copy of the Hạ Long story (the first one is in Quảng Ninh)
    assert entry_titles(check_atom(feed)) == [HALONG_TITLE, BONGDA_TITLE, DANANG_TITLE]


def test_atom_time_gives_every_archive_time_an_offset():
    assert atom_time("2025-04-02T10:00:00+07:00") == "2025-04-02T10:00:00+07:00"
    assert atom_time("2025-04-02T10:00:00") == "2025-04-02T10:00:00+07:00"
    assert atom_time("2025-04-02") == "2025-04-02T00:00:00+07:00"
    assert atom_time("2026-11-30T15:39:11+00:00") == "2026-11-30T15:39:11+00:00"
    assert atom_time("hôm qua") is None
    assert atom_time(None) is None
