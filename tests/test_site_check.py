"""``tintuc sites`` and ``tintuc sites check``: the URL shapes it learns (unit), and the check
run for real against the local test sites (e2e): it finds the article pattern, writes a
profile that crawls the site, and fails on a site without articles."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import Answer, run_tintuc, serve_pages
from sites import LocalSite
from sites.build import normal_target

from crawler.sites import generic_profile, load_sites
from tintuc.cli import main
from tintuc.site_check import (
    SampleArticle,
    SiteReport,
    article_patterns,
    listing_patterns,
    profile_toml,
    read_sample,
    some_of,
)

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


# --------------------------------------------------------------------------- unit


def matches(pattern: str, url: str) -> bool:
    return re.search(pattern, url) is not None


def test_article_pattern_from_short_slugs_keeps_the_folder_and_extension():
    urls = ["http://x.vn/tin/cam-pha-so2.html", "http://x.vn/tin/ha-long-so14.html",
            "http://x.vn/tin/mong-cai-so7.html"]  # fmt: skip
    (pattern,), odd = article_patterns(urls)
    assert not odd
    assert all(matches(pattern, u) for u in urls)
    assert matches(pattern, "https://mirror.example/tin/uong-bi-so99.html")  # any host
    for other in ("http://x.vn/gioi-thieu.html", "http://x.vn/tag/ha-long.html",
                  "http://x.vn/tin/", "http://x.vn/chuyen-muc/tin-tuc.html?page=2"):  # fmt: skip
        assert not matches(pattern, other), other


def test_article_pattern_from_sharepoint_ids_generalises_the_number_only():
    urls = [f"https://qn.gov.vn/Trang/ChiTietTinTuc.aspx?nid={n}" for n in (14023, 14040, 901)]
    (pattern,), _ = article_patterns(urls)
    assert matches(pattern, "https://qn.gov.vn/Trang/ChiTietTinTuc.aspx?nid=5")
    assert not matches(pattern, "https://qn.gov.vn/Trang/ChiTietTinTuc.aspx?nid=abc")
    assert not matches(pattern, "https://qn.gov.vn/Trang/TinTuc.aspx")


def test_dated_folders_become_numbers_and_rare_shapes_are_set_apart():
    urls = ["http://b.vn/news/2025/12/quang-ninh-001.htm", "http://b.vn/news/2025/12/ha-long-002.htm",
            "http://b.vn/news/2025/11/van-don-003.htm", "http://b.vn/video/clip-9"]  # fmt: skip
    patterns, odd = article_patterns(urls)
    assert odd == ["http://b.vn/video/clip-9"]
    assert matches(patterns[0], "http://b.vn/news/2026/01/co-to-104.htm")  # next year's folders


def test_listing_patterns_generalise_page_numbers_and_keep_the_home_page():
    patterns = listing_patterns(["http://x.vn/", "http://x.vn/chuyen-muc/kinh-te.html",
                                 "http://x.vn/chuyen-muc/kinh-te.html?page=2",
                                 "http://x.vn/thong-bao/page/2/"])  # fmt: skip
    assert patterns[0] == r"^https?://[^/]+/$"
    for url in ("http://x.vn/chuyen-muc/kinh-te.html?page=7", "http://x.vn/thong-bao/page/12/",
                "http://x.vn/"):  # fmt: skip
        assert any(matches(p, url) for p in patterns), url
    assert not any(matches(p, "http://x.vn/tin/cam-pha-so2.html") for p in patterns)


def test_search_results_are_no_listing_pattern():
    patterns = listing_patterns(["http://x.vn/", "http://x.vn/tim-kiem.html?q=quang+ninh",
                                 "http://x.vn/?s=hoc+sinh", "http://x.vn/tin-tuc?page=2"])
    assert not any(matches(p, "http://x.vn/tim-kiem.html?q=quang+ninh") for p in patterns)
    assert not any(matches(p, "http://x.vn/?s=hoc+sinh") for p in patterns)
    assert any(matches(p, "http://x.vn/tin-tuc?page=3") for p in patterns)


def test_a_listing_pattern_matches_the_folder_listing_its_pages_hang_under():
    # /chuyen-muc/kinh-te/ and its pager's /chuyen-muc/kinh-te/trang-2.html: one shape
    patterns = listing_patterns(["http://x.vn/chuyen-muc/kinh-te/", "http://x.vn/chuyen-muc/xa-hoi/",
                                 "http://x.vn/chuyen-muc/kinh-te/trang-2.html"])  # fmt: skip
    for url in ("http://x.vn/chuyen-muc/the-thao/", "http://x.vn/chuyen-muc/xa-hoi/trang-3.html"):
        assert any(matches(p, url) for p in patterns), (url, patterns)


def test_a_section_the_sample_met_once_joins_the_pattern_of_its_shape():
    # one /the-thao/ article beside two /kinh-te/ ones was a "rarer shape", left out of the
    # profile: a crawl by it never stored the section
    urls = ["http://x.vn/kinh-te/bai-viet-1.html", "http://x.vn/kinh-te/bai-viet-2.html",
            "http://x.vn/the-thao/bai-viet-3.html", "http://x.vn/video/clip-9"]  # fmt: skip
    (pattern,), odd = article_patterns(urls)
    assert odd == ["http://x.vn/video/clip-9"]  # the rest of its URL is of another shape
    for url in ("http://x.vn/the-thao/bai-viet-17.html", "http://x.vn/kinh-te/bai-viet-5.html"):
        assert matches(pattern, url), url
    for url in ("http://x.vn/gioi-thieu/bai-viet-4.html", "http://x.vn/the-thao/",
                "http://x.vn/video/clip-10"):  # fmt: skip
        assert not matches(pattern, url), url  # a section the sample did not meet stays out


def report(articles: list[SampleArticle]) -> SiteReport:
    found = SiteReport("http://x.vn/", generic_profile("http://x.vn/"), pages=12)
    found.articles = articles
    found.article_patterns, _ = article_patterns([a.url for a in articles])
    found.listing_patterns = listing_patterns(["http://x.vn/", "http://x.vn/tin-tuc?page=2"])
    found.sitemaps = ["http://x.vn/sitemap.xml"]
    return found


def test_a_warning_that_counts_urls_says_how_many_it_leaves_out():
    # "5 article URLs of a rarer shape:" named 3 and stopped, as if the other 2 did not exist
    urls = [f"http://x.vn/bai/{n}" for n in range(5)]
    assert some_of(urls) == "http://x.vn/bai/0, http://x.vn/bai/1, http://x.vn/bai/2 and 2 more"
    assert some_of(urls[:3]) == "http://x.vn/bai/0, http://x.vn/bai/1, http://x.vn/bai/2"


def test_problems_no_article_or_undated_articles():
    dated = SampleArticle("http://x.vn/tin/a-1.html", "A", "2025-12-24T09:30:00+07:00", 300, 2)
    undated = SampleArticle("http://x.vn/tin/b-2.html", "B", None, 200, 0)
    assert report([dated]).problems == []
    assert "no article" in report([]).problems[0]
    assert "1 of 2 articles have no date" in report([dated, undated]).problems[0]
    # a notice whose content is an attached PDF shows no date: no failed check
    notice = SampleArticle("http://x.vn/files/tb-15.pdf", "Thông báo", None, 90, 0, True)
    found = report([dated, notice])
    found.article_patterns = report([dated]).article_patterns  # the PDF's URL, a rarer shape
    assert found.problems == []


def test_a_site_that_does_not_answer_is_said_so_with_its_first_error(tmp_path):
    """A site that was down read "no article found in the sample", as if it had been crawled."""
    from pipelines.archive.schema import open_archive
    from pipelines.archive.store import record_error, start_crawl

    db = open_archive(tmp_path / "sample.db")
    crawl = start_crawl(db, "x.vn")
    record_error(db, crawl, "http://x.vn/", "DownloadConnectionRefusedError: Connection refused.")
    db.close()
    (problem,) = read_sample(str(tmp_path / "sample.db"), "http://x.vn/",
                             generic_profile("http://x.vn/")).problems  # fmt: skip
    assert problem == (
        "nothing answered (the site is down or the address is wrong): "
        "http://x.vn/: DownloadConnectionRefusedError: Connection refused."
    )
    assert "no article" in report([]).problems[0]  # pages fetched, none an article


def test_written_profile_is_a_valid_registry_entry(tmp_path):
    dated = [SampleArticle(f"http://x.vn/tin/bai-{n}.html", "T", "2025-12-24", 300, 1)
             for n in (1, 2, 3)]  # fmt: skip
    path = tmp_path / "learned.toml"
    path.write_text(profile_toml(report(dated), "x-portal"), encoding="utf-8")
    profile = load_sites(path)["x-portal"]
    assert profile.article_patterns == [r"^https?://[^/]+/tin/bai\-\d+\.html$"]
    assert profile.sitemaps == ["http://x.vn/sitemap.xml"]
    assert not profile.checked_live and profile.start_urls == ["http://x.vn/"]


def test_a_written_profile_leaves_out_feeds_on_other_hosts(tmp_path):
    """A page may announce a feed on another host (a feed service): the crawl would leave it
    off-site, and a profile naming it is refused, so the written profile keeps the site's."""
    found = SiteReport("http://x.vn/", generic_profile("http://x.vn/"), pages=3)
    found.feeds = ["http://x.vn/rss/tin.rss", "https://feeds.example.com/x-vn"]
    found.sitemaps = ["http://cdn.other.vn/sitemap.xml", "http://tin.x.vn/sitemap.xml"]
    path = tmp_path / "learned.toml"
    path.write_text(profile_toml(found, "x-portal"), encoding="utf-8")
    profile = load_sites(path)["x-portal"]
    assert profile.feeds == ["http://x.vn/rss/tin.rss"]
    assert profile.sitemaps == ["http://tin.x.vn/sitemap.xml"]


def test_a_profile_learned_from_a_local_mirror_is_named_by_its_port_too(tmp_path):
    found = SiteReport("http://127.0.0.1:8799/", generic_profile("http://127.0.0.1:8799/"))
    path = tmp_path / "learned.toml"
    path.write_text(profile_toml(found), encoding="utf-8")
    learned = set(load_sites(path)) - set(load_sites())
    assert learned == {"127.0.0.1-8799"}  # a mirror at another port is another site


def test_sites_lists_a_province_whatever_its_spelling():
    runner = CliRunner()
    everything = runner.invoke(main, ["sites"])
    folded = runner.invoke(main, ["sites", "--province", "QUANG NINH"])
    accented = runner.invoke(main, ["sites", "--province", "Quảng Ninh"])
    assert everything.exit_code == folded.exit_code == 0
    assert folded.output == accented.output
    assert "baoquangninh" in folded.output
    assert len(folded.output.splitlines()) < len(everything.output.splitlines())
    assert all("Quảng Ninh" in line for line in folded.output.splitlines())


# --------------------------------------------------------------------------- e2e


def paths(urls) -> set[str]:
    return {normal_target(urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else ""))
            for u in urls}  # fmt: skip


@pytest.mark.e2e
@pytest.mark.parametrize("shape", ["cms", "sharepoint"])
def test_check_learns_the_article_pattern_and_its_profile_crawls_the_site(shape, tmp_path):
    server = LocalSite(shape).start()
    profile_path = tmp_path / "learned.toml"
    try:
        checked = run_tintuc("sites", "check", server.base_url + "/",
                             "--write-profile", str(profile_path), check=False)  # fmt: skip
        fetched = len(server.log)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        (site_id,) = tomllib.loads(profile_path.read_text(encoding="utf-8"))["sites"]
        profile = load_sites(profile_path)[site_id]
        db = tmp_path / "profiled.db"
        run_tintuc("crawl", profile.id, "--sites", str(profile_path), "--start-url",
                   server.base_url + "/", "--db", str(db), *FAST)  # fmt: skip
    finally:
        server.stop()
    manifest = server.manifest
    articles = {normal_target(a["path"]) for a in manifest["articles"]}
    assert fetched <= 36, f"a sample of ~30 pages, not {fetched}"  # 30 + requests in flight
    assert "article URL patterns:" in checked.stdout
    assert profile.article_patterns
    base = server.base_url
    for path in articles:
        assert any(matches(p, base + path) for p in profile.article_patterns), path
    for path in manifest["non_articles"]:
        assert not any(matches(p, base + path) for p in profile.article_patterns), path
    conn = sqlite3.connect(db)
    stored = paths(u for (u,) in conn.execute("SELECT url FROM articles"))
    conn.close()
    assert stored == articles, (sorted(articles - stored)[:5], sorted(stored - articles)[:5])


@pytest.mark.e2e
def test_check_fails_on_a_site_without_articles(tmp_path):
    server = LocalSite("empty").start()
    profile_path = tmp_path / "learned.toml"
    try:
        checked = run_tintuc("sites", "check", server.base_url + "/",
                             "--write-profile", str(profile_path), check=False)  # fmt: skip
    finally:
        server.stop()
    assert checked.returncode != 0
    assert "problem: no article" in checked.stdout
    assert "/gioi-thieu.html" in checked.stdout  # named among the pages it could not classify
    assert not profile_path.exists()


# A portal whose "Tin đọc nhiều" box on every page links both sampled /van-hoa/ articles (its
# listing, in the menu, shows too few teasers to be taken for one), with a one-article
# /the-thao/ section and a PDF notice without a date: the learned profile must reach them all.
SECTIONS = {"kinh-te": (1, 2, 3), "van-hoa": (4, 5), "the-thao": (6,)}
BOX = (4, 5)
PARAGRAPH = ("Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm với sự tham gia của "
             "các sở, ban, ngành và chính quyền các huyện, thị xã trong tỉnh. ")


def portal_url(section: str, n: int) -> str:
    return f"/{section}/hoat-dong-cua-tinh-trong-tuan-{n}.html"


def portal_page(title: str, main: str) -> str:
    menu = "".join(f"<a href='/{s}/'>Chuyên mục {s}</a> " for s in [*SECTIONS, "thong-bao"])
    box = "".join(f"<li><a href='{portal_url('van-hoa', n)}'>Bài số {n} về hoạt động của tỉnh"
                  "</a></li>" for n in BOX)  # fmt: skip
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><nav><a href='/'>Trang chủ</a> {menu}</nav><main>{main}</main>"
            f"<aside><h3>Tin đọc nhiều</h3><ul>{box}</ul></aside></body></html>")


def sections_portal(path: str) -> Answer:
    teasers = {s: "".join(f"<li><h3><a href='{portal_url(s, n)}'>Bài số {n} về hoạt động của "
                          f"tỉnh</a></h3><span>0{n}/11/2026</span></li>" for n in ns)
               for s, ns in SECTIONS.items()}  # fmt: skip
    if path == "/":
        return portal_page("Trang chủ", f"<h1>Tin mới</h1><ul>{teasers['kinh-te']}</ul>")
    if path == "/thong-bao/":
        return portal_page("Thông báo", "<h1>Thông báo</h1><ul><li><a href='/files/tb-15.pdf'>"
                           "Thông báo số 15 về lịch tiếp công dân</a></li></ul>")  # fmt: skip
    if path == "/files/tb-15.pdf":
        return 200, {"Content-Type": "application/pdf"}, PDF
    for section, numbers in SECTIONS.items():
        if path == f"/{section}/":
            return portal_page(section, f"<h1>Chuyên mục {section}</h1><ul>{teasers[section]}</ul>")
        for n in numbers:
            if path == portal_url(section, n):
                title = f"Bài số {n} về hoạt động của tỉnh"
                return portal_page(title, f"<article><h1>{title}</h1><p>0{n}/11/2026 08:15</p>"
                                          f"<p>{PARAGRAPH * 3}</p></article>")  # fmt: skip
    return None


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.e2e
def test_a_profile_learned_beside_a_box_on_every_page_crawls_every_section(tmp_path):
    profile_path, db = tmp_path / "learned.toml", tmp_path / "profiled.db"
    with serve_pages(sections_portal) as (base, _):
        checked = run_tintuc("sites", "check", base + "/", "--write-profile", str(profile_path),
                             *FAST, check=False)  # fmt: skip
        (site_id,) = tomllib.loads(profile_path.read_text(encoding="utf-8"))["sites"]
        run_tintuc("crawl", site_id, "--sites", str(profile_path), "--db", str(db), *FAST)
    # the PDF notice without a date is a warning naming it, not a failed check
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert re.search(r"warning: 1 document .*without a date: .*/files/tb-15\.pdf", checked.stdout)
    assert "problem:" not in checked.stdout and "Error" not in checked.stderr
    conn = sqlite3.connect(db)
    stored = {urlsplit(u).path for (u,) in conn.execute("SELECT url FROM articles")}
    conn.close()
    assert stored >= {portal_url(s, n) for s, ns in SECTIONS.items() for n in ns}, stored


@pytest.mark.e2e
def test_undated_articles_fail_the_check_and_say_so_once(tmp_path):
    def undated(path: str) -> Answer:
        page = sections_portal(path)
        return re.sub(r"<p>0\d/11/2026[^<]*</p>", "", page) if isinstance(page, str) else page

    with serve_pages(undated) as (base, _):
        checked = run_tintuc("sites", "check", base + "/", *FAST, check=False)
    assert checked.returncode == 1
    said = [li for li in (checked.stdout + checked.stderr).splitlines() if "have no date" in li]
    assert len(said) == 1 and said[0].startswith("problem: 6 of 7 articles have no date"), said
