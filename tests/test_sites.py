import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import query, run_tintuc

import crawler.sites as sites_module
from crawler.sites import (
    PROVINCES_FILE,
    SiteError,
    check_http_url,
    generic_profile,
    get_site,
    host_allowed,
    load_sites,
    provinces,
    registered_site_of,
    sites_in_province,
    start_url_profile,
)
from crawler.urls import site_host
from tintuc.cli import main

# a GitHub file pinned to a commit: the form every bundled `source` takes
PINNED_FILE = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/\S+$")
REAL_SITES = {i: p for i, p in load_sites().items() if i != "sample"}


def test_the_34_units_come_from_a_cited_list():
    units = tomllib.loads(PROVINCES_FILE.read_text(encoding="utf-8"))["units"]
    assert len(units) == len(provinces()) == len({u["name"] for u in units}) == 34
    assert sum(u.get("kind") == "city" for u in units) == 6  # and so 28 provinces
    assert {"Quảng Ninh", "Hồ Chí Minh", "Huế", "Vĩnh Long"} <= set(provinces())
    assert not {"Bình Dương", "Quảng Bình", "Kon Tum", "Thừa Thiên Huế"} & set(provinces())
    header = PROVINCES_FILE.read_text(encoding="utf-8").split("[[units]]")[0]
    assert any(PINNED_FILE.match(word) for word in header.split())


@pytest.mark.parametrize("site_id", sorted(REAL_SITES))
def test_every_registry_entry_is_sourced_and_unchecked(site_id):
    profile = REAL_SITES[site_id]
    parts = [part.strip() for part in profile.source.split(" ; ")]
    assert parts and all(PINNED_FILE.match(part) for part in parts), profile.source
    assert profile.province in provinces()
    assert all(check_http_url(url) for url in profile.start_urls)
    assert profile.checked_live is False
    # an article pattern that matched the start page would store the home page as an article
    for pattern in profile.article_patterns:
        assert not any(re.search(pattern, url) for url in profile.start_urls), pattern
    # a feed the crawl may not follow (another host) would be read and then thrown away
    for url in [*profile.feeds, *profile.sitemaps]:
        assert check_http_url(url) and _allowed(url, profile.domains()), url


def _allowed(url: str, domains: list[str]) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in domains)


def test_no_two_entries_share_a_start_url_or_a_feed():
    seen: dict[str, str] = {}
    for site_id, profile in REAL_SITES.items():
        for url in [*profile.start_urls, *profile.feeds, *profile.sitemaps]:
            key = url.lower().rstrip("/").replace("http://", "https://").replace("://www.", "://")
            assert key not in seen, f"{url} is in both {seen.get(key)} and {site_id}"
            seen[key] = site_id
    names = [(p.province, p.name) for p in REAL_SITES.values()]
    assert len(names) == len(set(names))


def test_every_entry_without_a_source_is_refused_by_the_bundled_file():
    # the file holds no table whose source is blank: load_sites() would refuse it
    tables = tomllib.loads(sites_module.BUNDLED_SITES.read_text(encoding="utf-8"))["sites"]
    assert {i for i, t in tables.items() if not t.get("source", "").strip()} == {"sample"}


def test_every_province_has_a_portal_and_a_newspaper():
    by_kind = {"portal": set(), "newspaper": set()}
    for profile in REAL_SITES.values():
        by_kind.get(profile.kind, set()).add(profile.province)
    assert by_kind["portal"] == set(provinces())
    assert by_kind["newspaper"] == set(provinces())


def test_an_giang_papers_before_and_after_the_merger():
    found = sites_in_province(load_sites(), "An Giang")
    assert [p.id for p in found] == ["angiang-portal", "baoangiang", "baokiengiang"]
    assert [p.base_url for p in found[1:]] == [
        "https://baoangiang.com.vn/",
        "https://baokiengiang.vn/",
    ]
    # the feed a list named and then dropped is not taken: generic discovery looks for feeds
    assert all(p.feeds == [] for p in found)


def test_a_section_of_the_portal_starts_inside_its_own_path():
    # a section entry follows only its listing patterns: a start URL outside them is a dead end
    sections = {i: p for i, p in REAL_SITES.items() if p.listing_patterns}
    assert {"quangninh-portal-campha", "quangninh-portal-vandon", "quangninh-soxaydung"} <= set(
        sections
    )
    for site_id, profile in sections.items():
        for url in profile.start_urls:
            assert any(re.search(p, url) for p in profile.listing_patterns), (site_id, url)
        assert all(_allowed(url, profile.domains()) for url in profile.start_urls), site_id


def test_quang_ninh_sources():
    sites = load_sites()
    portal, paper = sites["quangninh-portal"], sites["baoquangninh"]
    assert portal.kind == "portal" and paper.kind == "newspaper"
    assert "quangninh.gov.vn" in portal.domains()
    found = sites_in_province(sites, "Quảng Ninh")
    # the province's portal, then its local units' sections of it (districts ended July 2025)
    assert [p.id for p in found if p.kind == "portal"] == [
        "quangninh-portal",
        "quangninh-portal-campha",
        "quangninh-portal-vandon",
    ]
    departments = [p.id for p in found if p.kind == "department"]
    assert departments == [
        "conganquangninh",
        "quangninh-sokhoahoccongnghe",
        "quangninh-sotaichinh",
        "quangninh-sotainguyenmt",
        "quangninh-sothongtintt",
        "quangninh-soxaydung",
    ]
    # feeds only where a cited file names them, on the site's own host
    assert "https://baoquangninh.vn/rss/news/kinh-te.rss" in paper.feeds
    assert sites["conganquangninh"].feeds == ["https://conganquangninh.gov.vn/rss/"]
    assert all("qnmonitor" in sites[i].source for i in ("baoquangninh", "conganquangninh"))


def test_portal_article_pattern_matches_sharepoint_urls():
    portal = get_site("quangninh-portal")
    # the article URL the cited source links to
    url = "https://www.quangninh.gov.vn/so/sothongtinTT/Trang/ChiTietTinTuc.aspx?nid=5054"
    assert any(re.search(p, url) for p in portal.article_patterns)
    listing = "https://www.quangninh.gov.vn/So/sotaichinh/Trang/default.aspx"
    assert not any(re.search(p, listing) for p in portal.article_patterns)
    department = get_site("quangninh-sothongtintt")
    assert any(re.search(p, url) for p in department.article_patterns)
    assert not any(re.search(p, listing) for p in department.listing_patterns)


@pytest.mark.parametrize(
    "name", ["quang ninh", "Quảng Ninh", "QUẢNG NINH", "  quảng   ninh ", "tỉnh Quảng Ninh"]
)
def test_sites_in_province_ignores_case_diacritics_and_unit_words(name):
    found = sites_in_province(load_sites(), name)
    assert found[0].id == "quangninh-portal"  # the province's portal first, then its units'
    kinds = [p.kind for p in found]
    assert kinds == sorted(kinds, key=["portal", "newspaper", "department"].index)
    assert [p.id for p in found if p.kind == "newspaper"] == ["baoquangninh"]
    assert "sample" not in [p.id for p in found]  # the local demo is nobody's source
    assert {p.province for p in found} == {"Quảng Ninh"}


def test_sites_in_province_of_a_merged_city_and_of_nowhere():
    sites = load_sites()
    hcm = [p.id for p in sites_in_province(sites, "TP. Hồ Chí Minh")]
    assert hcm == ["hochiminhcity-portal", "baobinhduong", "sggp"]
    assert sites_in_province(sites, "Quảng Bình") == []  # merged into Quảng Trị
    assert sites_in_province(sites, "") == []


def test_bundled_entry_without_source_or_with_an_old_province_is_refused(tmp_path, monkeypatch):
    bundled = tmp_path / "sites.toml"
    monkeypatch.setattr(sites_module, "BUNDLED_SITES", bundled)
    head = "[sites.x]\nname='X'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
    bundled.write_text(head + "province='Quảng Ninh'\n", encoding="utf-8")
    with pytest.raises(SiteError, match="site 'x': no 'source'"):
        load_sites()
    bundled.write_text(head + "province='Bình Dương'\nsource='https://x.vn/list'\n", "utf-8")
    with pytest.raises(SiteError, match="'Bình Dương' is not one of the 34"):
        load_sites()
    bundled.write_text(head + "province='quang ninh'\nsource='https://x.vn/list'\n", "utf-8")
    assert load_sites()["x"].source == "https://x.vn/list"


def test_unknown_site_names_the_known_ones():
    with pytest.raises(SiteError, match="unknown site 'nowhere'.*baoquangninh"):
        get_site("nowhere")


def test_a_host_crawled_by_start_url_is_told_how_to_become_a_site():
    """`tintuc status` lists a --start-url crawl under its host ('127.0.0.1', 'x.gov.vn');
    `schedule add` or `crawl` of that id said only that it was unknown."""
    with pytest.raises(SiteError, match=r"unknown site 'x\.gov\.vn';.*--write-profile FILE"):
        get_site("x.gov.vn")
    with pytest.raises(SiteError) as raised:
        get_site("nowhere")
    assert "--write-profile" not in str(raised.value)


@pytest.mark.parametrize("site_id", ["localhost", "localhost-8001", "127.0.0.1-8001"])
def test_a_host_without_a_dot_or_with_its_port_is_told_too(site_id):
    """A local site's id holds no dot (``localhost``) or ends with its port: the hint was
    given only for an id with a dot."""
    with pytest.raises(SiteError, match=f"unknown site '{site_id}';.*--write-profile FILE"):
        get_site(site_id)


def test_allowed_domains_may_name_a_start_url_s_parent_domain_or_www(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nallowed_domains=["
                    "'x.vn']\nstart_urls=['https://www.x.vn/', 'https://tin.x.vn/']\n"
                    "selectors={body='div.noi-dung > p:not(.ghi-chu)'}\n", encoding="utf-8")
    assert load_sites(path)["x"].domains() == ["x.vn"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[sites.x]\nname='X'\nprovince='P'\nkind='blog'\nstart_urls=['http://x.vn/']", "kind"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['ftp://x.vn/']", "http"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "article_patterns=['(unclosed']", "bad pattern"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "colour='red'", "unknown key"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "source=3", "source must be a string"),
        ("[sites.x\nname=", "malformed"),
        # each of these crawled, silently: the start URL left off-site (nothing fetched), the
        # selector skipped by the extractor, a number taken for a name
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "allowed_domains=['y.vn']", r"start URL http://x\.vn/ is outside the site's hosts"),
        # a feed or sitemap on another host was left off-site, never fetched, without a word
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "feeds=['http://rss.y.vn/tin.rss']", r"feed http://rss\.y\.vn/tin\.rss is outside"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "sitemaps=['http://y.vn/sitemap.xml']", "sitemap http://y.vn/sitemap.xml is outside"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "selectors={body='div[[['}", r"selector body = 'div\[\[\[' is not a CSS selector"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "selectors={related='::nope('}", "selector related"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "selectors={body=5}", "selector body = 5"),
        ("[sites.x]\nname=5\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']",
         "name must be a string"),
    ],
)
def test_malformed_profiles_are_refused_with_a_reason(tmp_path, toml, message):
    path = tmp_path / "sites.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SiteError, match=message):
        load_sites(path)


def test_user_registry_overrides_and_extends_without_a_source(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(
        "[sites.haiphong]\nname='Báo Hải Phòng'\nprovince='Hải Phòng'\nkind='newspaper'\n"
        "start_urls=['https://baohaiphong.vn/']\n",
        encoding="utf-8",
    )
    sites = load_sites(path)
    assert sites["haiphong"].domains() == ["baohaiphong.vn"]
    assert sites["haiphong"].source == ""
    assert "baoquangninh" in sites


def test_generic_profile_and_start_url_override():
    profile = generic_profile("https://www.example.gov.vn/tin-tuc")
    assert profile.id == "example.gov.vn" and profile.kind == "generic"
    # www.example.gov.vn redirecting to, or linking, example.gov.vn is the same site
    assert profile.domains() == ["example.gov.vn"]
    local = get_site("baoquangninh").with_start_urls(["http://127.0.0.1:9999/"])
    assert local.domains() == ["127.0.0.1:9999"]  # the port is the site's: not 127.0.0.1:9998
    assert local.article_patterns == get_site("baoquangninh").article_patterns


def test_a_start_url_on_a_registered_site_is_that_site():
    """``--start-url`` on a site the registry knows crawls it as that site (its patterns, its
    id), so the archive does not hold it twice under two ids; a mirror on this machine, or a
    site nobody registered, is crawled as a generic site."""
    sites = load_sites()
    owner = {url: (registered_site_of(url, sites) or generic_profile(url)).id for url in (
        "https://www.baoquangninh.vn/tin-tuc/",  # www. or not, one site
        "https://www.quangninh.gov.vn/donvi/campha/Trang/tin.aspx",  # a department's path
        "https://quangninh.gov.vn/donvi/vandon/",
        "https://quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=1",  # the portal itself
        "https://sotnmt.quangninh.gov.vn/",  # a sub-domain the portal claims with *.
        "http://127.0.0.1:8765/",  # loopback: anyone's mirror
        "https://xa-moi.gov.vn/",
    )}
    assert list(owner.values()) == [
        "baoquangninh", "quangninh-portal-campha", "quangninh-portal-vandon", "quangninh-portal",
        "quangninh-portal", "127.0.0.1-8765", "xa-moi.gov.vn"]
    for profile in REAL_SITES.values():  # every registered start URL is its own site's
        assert {registered_site_of(u, sites).id for u in profile.start_urls} == {profile.id}
    profile = start_url_profile("https://baoquangninh.vn/chuyen-muc/kinh-te/")
    assert profile.id == "baoquangninh" and profile.start_urls == [
        "https://baoquangninh.vn/chuyen-muc/kinh-te/"]
    assert profile.article_patterns == get_site("baoquangninh").article_patterns


def test_crawl_start_url_of_a_registered_site_runs_as_that_site(tmp_path, monkeypatch):
    import tintuc.cli.crawling as crawling

    runs = []
    monkeypatch.setattr(crawling, "run_crawl", lambda settings, site, url: runs.append(
        (site, url)) or {})
    monkeypatch.setattr(crawling, "finish", lambda db_path, stats: None)
    url = "https://www.baoquangninh.vn/"
    result = CliRunner().invoke(main, ["crawl", "--start-url", url, "--db",
                                       str(tmp_path / "a.db")])
    assert result.exit_code == 0, result.output
    assert runs == [("baoquangninh", url)]
    assert "registered site baoquangninh" in result.output
    CliRunner().invoke(main, ["crawl", "--start-url", "https://xa-moi.gov.vn/", "--db",
                              str(tmp_path / "a.db")])
    assert runs[-1] == (None, "https://xa-moi.gov.vn/")


def test_sites_lists_every_source_of_a_province():
    result = CliRunner().invoke(main, ["sites", "--province", "quang ninh"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.splitlines()]
    assert listed == [p.id for p in sites_in_province(load_sites(), "Quảng Ninh")]
    assert len(listed) == 10 and "quangninh-portal-vandon" in listed
    # the columns line up whatever the ids' lengths (ids over 20 characters pushed theirs right)
    assert len({line.index(" Quảng Ninh ") for line in result.output.splitlines()}) == 1


def test_sites_of_a_province_with_no_site_is_an_error():
    result = CliRunner().invoke(main, ["sites", "--province", "nowhere"])
    assert (result.exit_code, result.output) == (
        1, "Error: no registered site in province 'nowhere' (run 'tintuc sites' for them all)\n",
    )  # fmt: skip


def test_crawl_province_refuses_nowhere_and_a_site_beside_it(tmp_path):
    db = str(tmp_path / "a.db")
    result = CliRunner().invoke(main, ["crawl", "--province", "Atlantis", "--db", db])
    assert result.exit_code == 1
    assert "no registered site in province 'Atlantis'" in result.output
    result = CliRunner().invoke(main, ["crawl", "sample", "--province", "Huế", "--db", db])
    assert result.exit_code == 2 and "--province alone" in result.output
    assert not Path(db).exists()


@pytest.mark.e2e
def test_crawl_province_makes_one_crawl_row_per_site(sample_portal, tmp_path):
    base_url, _ = sample_portal
    registry = tmp_path / "sites.toml"
    # a province no bundled entry has, so that no real site is ever in the crawl
    registry.write_text("".join(
        f"[sites.{site_id}]\nname = '{site_id}'\nprovince = 'Thử Nghiệm'\nkind = 'portal'\n"
        f"start_urls = ['{base_url}/']\n"
        "politeness = { download_delay = 0, concurrency = 8, autothrottle = false }\n\n"
        for site_id in ("local-a", "local-b")
    ), encoding="utf-8")  # fmt: skip
    db_path = tmp_path / "archive.db"
    result = run_tintuc("crawl", "--province", "thu nghiem", "--sites", str(registry),
                        "--db", str(db_path), "--max-pages", "15")  # fmt: skip
    assert "[1/2] local-a" in result.stdout and "[2/2] local-b" in result.stdout
    crawls = query(db_path, "SELECT site, status, pages FROM crawls ORDER BY id")
    assert [c["site"] for c in crawls] == ["local-a", "local-b"]
    assert all(c["status"] == "finished" and c["pages"] > 0 for c in crawls), crawls


@pytest.mark.e2e
def test_crawl_province_crawls_every_registered_source_of_quang_ninh(sample_portal, tmp_path):
    """The bundled Quảng Ninh entries, each pointed at a local stand-in by a user's registry
    of the same ids (a user's file replaces bundled entries): never the live sites."""
    base_url, _ = sample_portal
    bundled = sites_in_province(load_sites(), "Quảng Ninh")
    ids = [p.id for p in bundled]
    registry = tmp_path / "sites.toml"  # no feed or sitemap: nothing points at a live host
    registry.write_text("".join(
        f"[sites.{p.id}]\nname = '{p.id}'\nprovince = 'Quảng Ninh'\nkind = '{p.kind}'\n"
        f"start_urls = ['{base_url}/']\n"
        "politeness = { download_delay = 0, concurrency = 8, autothrottle = false }\n\n"
        for p in bundled
    ), encoding="utf-8")  # fmt: skip
    db_path = tmp_path / "archive.db"
    result = run_tintuc("crawl", "--province", "Quảng Ninh", "--sites", str(registry),
                        "--db", str(db_path), "--max-pages", "5", timeout=300)  # fmt: skip
    assert f"[{len(ids)}/{len(ids)}] {ids[-1]}" in result.stdout
    crawls = query(db_path, "SELECT site, status FROM crawls ORDER BY id")
    assert [c["site"] for c in crawls] == ids
    assert all(c["status"] == "finished" for c in crawls), crawls


def test_a_port_other_than_the_default_is_part_of_the_site():
    """A site's id and scope hold a port other than its scheme's default, for any host (a
    browser's origin holds it): two local sites on ports 8001 and 8002 are two sites, under
    the id ``tintuc sites check --write-profile`` writes; a registered site at another port
    is not that site."""
    ids = {url: generic_profile(url).id for url in (
        "http://127.0.0.1:8001/", "http://127.0.0.1:8002/tin/", "http://127.0.0.1/",
        "https://www.xa-moi.gov.vn:8443/", "https://xa-moi.gov.vn:443/", "http://x.vn:80/")}
    assert list(ids.values()) == ["127.0.0.1-8001", "127.0.0.1-8002", "127.0.0.1",
                                  "xa-moi.gov.vn-8443", "xa-moi.gov.vn", "x.vn"]
    site = generic_profile("http://127.0.0.1:8001/")
    assert site.domains() == ["127.0.0.1:8001"]
    allowed = {host: host_allowed(site_host(f"http://{host}/a.html"), site.domains())
               for host in ("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1", "127.0.0.1:80")}
    assert allowed == {"127.0.0.1:8001": True, "127.0.0.1:8002": False, "127.0.0.1": False,
                       "127.0.0.1:80": False}
    portal = generic_profile("https://www.baoquangninh.vn/")
    assert host_allowed(site_host("https://m.baoquangninh.vn/tin.html"), portal.domains())
    assert not host_allowed(site_host("https://baoquangninh.vn:8443/tin.html"), portal.domains())
    sites = load_sites()
    assert registered_site_of("https://baoquangninh.vn/tin-tuc/", sites).id == "baoquangninh"
    assert registered_site_of("https://baoquangninh.vn:8443/tin-tuc/", sites) is None
