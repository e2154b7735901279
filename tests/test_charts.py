"""Chart pages (tintuc.web.charts): offline plotly.js, the canned queries they draw, the links
to them. The drawing itself is checked in the real browser (tests/test_browser_charts.py)."""

from __future__ import annotations

import re
from importlib import resources

import sqlite_utils
from test_datasette import ARTICLES, archive, fetch  # noqa: F401 (archive: fixture)

from pipelines.archive.schema import m010_feeds_and_charts
from pipelines.archive.store import save_articles
from tintuc.web.charts import CHARTS


def test_plotly_js_is_served_from_the_plotly_package(archive):  # noqa: F811
    (response,) = fetch(archive, "/-/tintuc/static/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    shipped = resources.files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()
    assert response.content == shipped


def test_every_chart_page_loads_only_the_archive_s_own_files(archive):  # noqa: F811
    paths = [f"/-/tintuc/charts/archive/{slug}?term=da+nang" for slug in CHARTS]
    pages = fetch(archive, *paths)
    for slug, page in zip(CHARTS, pages, strict=True):
        assert page.status_code == 200, slug
        sources = re.findall(r'<script[^>]* src="([^"]+)"', page.text)
        assert sources == [f"/-/tintuc/static/plotly.min.js?v={plotly_version()}"], slug
        # what the page loads (scripts, images, style sheets), not what it links to
        loaded = re.findall(r'src="([^"]*)"', page.text)
        loaded += re.findall(r'<link[^>]* href="([^"]*)"', page.text)
        assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
        json_url = re.search(r'data-json="([^"]+)"', page.text).group(1).replace("&amp;", "&")
        assert json_url.startswith(f"/archive/{CHARTS[slug].query}.json?_shape=objects&")
        (data,) = fetch(archive, json_url)
        assert data.status_code == 200 and data.json()["ok"], (slug, data.text[:300])
        assert data.json()["rows"], slug


def plotly_version() -> str:
    from importlib import metadata

    return metadata.version("plotly")


def test_term_chart_asks_for_a_term_and_links_the_search_feed(archive):  # noqa: F811
    empty, blank, unsearchable, with_term, missing = fetch(
        archive,
        "/-/tintuc/charts/archive/term-over-time",
        "/-/tintuc/charts/archive/term-over-time?term=++",
        "/-/tintuc/charts/archive/term-over-time?term=%21%21",
        "/-/tintuc/charts/archive/term-over-time?term=Đà+Nẵng",
        "/-/tintuc/charts/archive/no-such-chart",
    )
    for page in (empty, blank):
        assert "Give a term to draw the chart." in page.text
    # no word in it: said so, rather than an empty chart that looks like "never mentioned"
    assert "has no word to search for" in unsearchable.text
    for page in (empty, blank, unsearchable):
        assert 'id="tintuc-chart"' not in page.text
    assert 'data-json="/archive/term_over_time.json?_shape=objects&amp;term=%C4%90%C3%A0' in (
        with_term.text
    )
    assert 'href="/archive/feed_search.atom?q=%C4%90%C3%A0+N%E1%BA%B5ng"' in with_term.text
    assert missing.status_code == 404


def test_articles_per_day_counts_each_site_s_days(archive):  # noqa: F811
    everything, one_site, since = fetch(
        archive,
        "/archive/chart_articles_per_day.json?_shape=array&site=&days=&since=",
        "/archive/chart_articles_per_day.json?_shape=array&site=baodanang&days=&since=",
        "/archive/chart_articles_per_day.json?_shape=array&site=&days=&since=2025-04-01",
    )
    assert everything.json() == [
        {"day": "2025-03-02", "site": "baodanang", "articles": 1},
        {"day": "2025-03-20", "site": "baodanang", "articles": 1},
        {"day": "2025-04-01", "site": "baoquangninh", "articles": 1},
        {"day": "2025-04-15", "site": "baoquangninh", "articles": 1},
    ]
    assert [r["day"] for r in one_site.json()] == ["2025-03-02", "2025-03-20"]
    assert [r["day"] for r in since.json()] == ["2025-04-01", "2025-04-15"]
    (last_days,) = fetch(
        archive, "/archive/chart_articles_per_day.json?_shape=array&site=&days=15&since="
    )
    assert [r["day"] for r in last_days.json()] == ["2025-04-01", "2025-04-15"]


def test_related_promotion_counts_links_between_sites_per_month(archive):  # noqa: F811
    every, across = fetch(
        archive,
        "/archive/related_promotion_per_month.json?_shape=array&site=&months=&other_sites=",
        "/archive/related_promotion_per_month.json?_shape=array&site=&months=&other_sites=1",
    )
    # archived targets only: article 1 links Hạ Long (archived) and an unarchived page
    expected = [
        {"month": "2025-03", "from_site": "baodanang", "to_site": "baoquangninh", "links": 1},
        {"month": "2025-04", "from_site": "baoquangninh", "to_site": "baodanang", "links": 2},
    ]
    assert every.json() == expected
    assert across.json() == expected


def test_database_page_and_chart_index_link_charts_and_feeds(archive):  # noqa: F811
    database, index = fetch(archive, "/archive", "/-/tintuc/charts/archive")
    assert 'href="/-/tintuc/charts/archive"' in database.text
    for slug in CHARTS:
        assert f'href="/-/tintuc/charts/archive/{slug}"' in index.text
    assert 'href="/archive/feed_changed.atom?site="' in index.text
    assert 'action="/archive/feed_search.atom"' in index.text


# ---------------------------------------------------------------- related_site_links

RECOUNT = """select substr(src.published, 1, 7), src.site, dst.site, count(*)
from related_links r join articles src on src.url = r.from_url
join articles dst on dst.url = r.to_url
where src.published is not null group by 1, 2, 3 order by 1, 2, 3"""
KEPT = """select month, from_site, to_site, links from related_site_links where links > 0
order by 1, 2, 3"""


def counts_agree(db) -> list[tuple]:
    kept = [tuple(r) for r in db.execute(KEPT).fetchall()]
    assert kept == [tuple(r) for r in db.execute(RECOUNT).fetchall()]
    return kept


def test_kept_link_counts_follow_links_and_articles(archive):  # noqa: F811
    db = sqlite_utils.Database(archive)
    assert counts_agree(db) == [
        ("2025-03", "baodanang", "baoquangninh", 1),
        ("2025-04", "baoquangninh", "baodanang", 2),
    ]
    # the target nobody had archived yet is stored: the link to it counts from then on
    unarchived = ARTICLES[0]["related"][1]["url"]
    save_articles(db, [{"url": unarchived, "site": "baodanang", "title": "Tin mới lưu trữ",
                        "text": "Nội dung.", "published": "2025-05-01T08:00:00+07:00",
                        "related": [{"url": unarchived, "text": "tự liên kết", "block": "b",
                                     "position": 0}]}])  # fmt: skip
    assert ("2025-03", "baodanang", "baodanang", 1) in counts_agree(db)
    # an article changes: another date, other related links
    changed = {**ARTICLES[1], "text": "Văn bản mới.", "published": "2025-06-01T09:00:00+07:00",
               "related": [{"url": ARTICLES[2]["url"], "text": "x", "block": "b", "position": 0}]}
    save_articles(db, [changed])
    assert ("2025-06", "baoquangninh", "baoquangninh", 1) in counts_agree(db)
    with db.conn:  # links and articles deleted
        db.execute("delete from related_links where from_url = ?", [ARTICLES[2]["url"]])
        db.execute("delete from articles where id = 1")
    counts_agree(db)


def test_migration_counts_the_links_already_stored(archive):  # noqa: F811
    db = sqlite_utils.Database(archive)
    expected = counts_agree(db)
    with db.conn:
        db.execute("drop table related_site_links")
        for (name,) in db.execute(
            "select name from sqlite_master where type = 'trigger' and name like 'related_site%'"
        ).fetchall():
            db.execute(f"drop trigger {name}")
        m010_feeds_and_charts(db)
    assert counts_agree(db) == expected
