import pytest

from crawler.sites import SiteError, generic_profile, get_site, load_sites


def test_bundled_registry_has_the_quang_ninh_sources():
    sites = load_sites()
    portal, paper = sites["quangninh-portal"], sites["baoquangninh"]
    assert portal.kind == "portal" and paper.kind == "newspaper"
    assert not portal.checked_live and not paper.checked_live
    assert "quangninh.gov.vn" in portal.domains()
    assert paper.feeds == ["https://baoquangninh.vn/rss"]


def test_portal_article_pattern_matches_sharepoint_urls():
    import re

    portal = get_site("quangninh-portal")
    url = "https://www.quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=140123"
    assert any(re.search(p, url) for p in portal.article_patterns)
    listing = "https://www.quangninh.gov.vn/Trang/tin-tuc-su-kien.aspx"
    assert not any(re.search(p, listing) for p in portal.article_patterns)


def test_unknown_site_names_the_known_ones():
    with pytest.raises(SiteError, match="unknown site 'nowhere'.*baoquangninh"):
        get_site("nowhere")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[sites.x]\nname='X'\nprovince='P'\nkind='blog'\nstart_urls=['http://x.vn/']", "kind"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['ftp://x.vn/']", "http"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "article_patterns=['(unclosed']", "bad pattern"),
        ("[sites.x]\nname='X'\nprovince='P'\nkind='portal'\nstart_urls=['http://x.vn/']\n"
         "colour='red'", "unknown key"),
        ("[sites.x\nname=", "malformed"),
    ],
)
def test_malformed_profiles_are_refused_with_a_reason(tmp_path, toml, message):
    path = tmp_path / "sites.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SiteError, match=message):
        load_sites(path)


def test_user_registry_overrides_and_extends(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(
        "[sites.haiphong]\nname='Báo Hải Phòng'\nprovince='Hải Phòng'\nkind='newspaper'\n"
        "start_urls=['https://baohaiphong.vn/']\n",
        encoding="utf-8",
    )
    sites = load_sites(path)
    assert sites["haiphong"].domains() == ["baohaiphong.vn"]
    assert "baoquangninh" in sites


def test_generic_profile_and_start_url_override():
    profile = generic_profile("https://www.example.gov.vn/tin-tuc")
    assert profile.id == "example.gov.vn" and profile.kind == "generic"
    local = get_site("baoquangninh").with_start_urls(["http://127.0.0.1:9999/"])
    assert local.domains() == ["127.0.0.1"]
    assert local.article_patterns == get_site("baoquangninh").article_patterns
