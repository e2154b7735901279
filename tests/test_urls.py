import html
import unicodedata
from urllib.parse import urljoin

import pytest

from crawler.urls import canonical_url, is_print_view, join_base, script_link


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # SharePoint article ids are kept, tracking parameters and fragments dropped
        (
            "https://www.quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=123&utm_source=zalo#x",
            "https://www.quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=123",
        ),
        (
            "HTTPS://BaoQuangNinh.VN:443/kinh-te/ha-long-3001.html?fbclid=abc&zarsrc=31",
            "https://baoquangninh.vn/kinh-te/ha-long-3001.html",
        ),
        ("http://127.0.0.1:8765/a.html?page=2&gclid=1", "http://127.0.0.1:8765/a.html?page=2"),
        ("http://example.vn", "http://example.vn/"),
        ("http://example.vn:80/x", "http://example.vn/x"),
        # a non-ASCII path is percent-encoded one way only
        ("https://x.vn/tin-tức/đà-nẵng.html", "https://x.vn/tin-t%E1%BB%A9c/%C4%91%C3%A0-n%E1%BA%B5ng.html"),
        ("https://x.vn/tin-t%E1%BB%A9c/%C4%91%C3%A0-n%E1%BA%B5ng.html", "https://x.vn/tin-t%E1%BB%A9c/%C4%91%C3%A0-n%E1%BA%B5ng.html"),
        ("mailto:toa-soan@baoquangninh.vn", "mailto:toa-soan@baoquangninh.vn"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # a canonical URL is its own canonical form


@pytest.mark.parametrize(
    "spelling",
    [
        "https://baotinh.vn/kinh-te/cau-moi-1001.html",
        "https://BaoTinh.VN/kinh-te/cau-moi-1001.html",  # host case
        "HTTPS://baotinh.vn./kinh-te/cau-moi-1001.html",  # scheme case, trailing dot
        "https://baotinh.vn:443/kinh-te/cau-moi-1001.html",  # default port
        "https://baotinh.vn/kinh-te/cau-moi-1001.html#binh-luan",  # fragment
        "https://baotinh.vn/kinh-te/cau-moi-1001.html?utm_source=zalo&utm_medium=share",
        "https://baotinh.vn/kinh-te/cau-moi-1001.html?fbclid=IwAR0&gclid=9&zarsrc=30&gidzl=x",
        "https://baotinh.vn/kinh-te/cau-moi-1001.html?pk_campaign=a&mtm_source=b&_ga=1#top",
        " https://baotinh.vn/kinh-te/cau-moi-1001.html\n",  # whitespace around an href
    ],
)
def test_spellings_of_one_article_are_one_url(spelling):
    assert canonical_url(spelling) == "https://baotinh.vn/kinh-te/cau-moi-1001.html"


def test_non_default_port_and_http_default_port():
    assert canonical_url("https://baotinh.vn:8443/a-1.html") == "https://baotinh.vn:8443/a-1.html"
    assert canonical_url("http://baotinh.vn:443/a-1.html") == "http://baotinh.vn:443/a-1.html"
    assert canonical_url("HTTP://BAOTINH.VN:80/a-1.html#x") == "http://baotinh.vn/a-1.html"


def test_idn_hosts_are_punycode_whatever_the_spelling():
    punycode = "https://xn--bohabnh-hwa7hpc.vn/tin-1.html"
    assert canonical_url("https://báohòabình.vn/tin-1.html") == punycode
    assert canonical_url("https://BÁOHÒABÌNH.VN/tin-1.html") == punycode
    assert canonical_url("https://XN--BOHABNH-HWA7HPC.VN/tin-1.html") == punycode
    decomposed = unicodedata.normalize("NFD", "https://báohòabình.vn/tin-1.html")
    assert canonical_url(decomposed) == punycode  # tone marks typed as combining characters


def test_sharepoint_nid_identifies_the_article():
    page = "https://quangninh.gov.vn/Trang/ChiTietTinTuc.aspx"
    first = canonical_url(f"{page}?nid=101&utm_source=zalo#top")
    assert first == f"{page}?nid=101"
    assert canonical_url(f"{page}?utm_campaign=x&nid=101") == first
    assert canonical_url(f"{page}?nid=102") == f"{page}?nid=102" != first
    # other identifying parameters stay too, in their order
    assert (canonical_url(f"{page}?ItemID=7&Cat=2&fbclid=z")
            == f"{page}?ItemID=7&Cat=2")  # fmt: skip


def test_malformed_urls_raise_value_error():
    # callers skip such links (page_links, extract_related) or keep them as stored (migration)
    for url in ("http://baotinh.vn:abc/a.html", "http://[::1/a.html"):
        with pytest.raises(ValueError):
            canonical_url(url)


def test_page_links_resolve_each_link_once_in_page_order():
    from crawler.spiders.news import page_links

    body = (
        "<html><head><base href='/Trang/'></head><body>"
        "<a href='ChiTietTinTuc.aspx?nid=7&amp;utm_source=fb'>một</a>"
        '<a class="x" href="/tin-tuc/đà-nẵng-1.html">hai</a>'
        "<a href=https://other.vn/a-2.html>ba</a>"
        "<A HREF='ChiTietTinTuc.aspx?nid=7'>again</A>"
        "</body></html>"
    ).encode()
    assert page_links(body, "https://qn.gov.vn/Pages/home.aspx") == [
        "https://qn.gov.vn/Trang/ChiTietTinTuc.aspx?nid=7",
        "https://qn.gov.vn/tin-tuc/%C4%91%C3%A0-n%E1%BA%B5ng-1.html",
        "https://other.vn/a-2.html",
    ]


def test_page_links_of_a_legacy_encoded_page():
    from crawler.spiders.news import page_links

    body = "<a href='/tin-đà-9.html'>tin</a>".encode("cp1258")  # not valid UTF-8
    assert page_links(body, "http://x.vn/") == ["http://x.vn/tin-%C4%91%C3%A0-9.html"]


def test_joomla_keeps_what_names_the_article_and_drops_its_print_view():
    article = ("https://huyen.vn/index.php?option=com_content&view=article&id=123%3Acau-moi"
               "&catid=5&Itemid=101")
    assert canonical_url(article) == article
    printed = canonical_url(f"{article}&tmpl=component&print=1&layout=default&utm_source=x")
    assert printed == article  # the print icon leads to the article it prints
    sef = "https://huyen.vn/tin-tuc/123-cau-moi.html"
    assert canonical_url(f"{sef}?tmpl=component&print=1&layout=default") == sef
    # the ids and the pager's offset stay: other articles, other listing pages
    assert canonical_url(article.replace("id=123", "id=124")) != article
    listing = "https://huyen.vn/index.php?option=com_content&view=category&id=5&Itemid=101"
    assert canonical_url(f"{listing}&limitstart=10") == f"{listing}&limitstart=10"
    assert canonical_url("https://huyen.vn/tin-tuc.html?start=10") == (
        "https://huyen.vn/tin-tuc.html?start=10")
    assert canonical_url(f"{listing}&layout=blog") == f"{listing}&layout=blog"  # not the default


def test_liferay_redirect_tails_are_one_url_and_portlet_pages_stay_apart():
    article = "https://tinh.gov.vn/web/guest/tin-tuc/-/asset_publisher/AbCd1234/content/cau-moi"
    tail = ("?inheritRedirect=true&redirect=https%3A%2F%2Ftinh.gov.vn%2Fweb%2Fguest%2Ftin-tuc"
            "%3Fp_p_id%3Dx")
    assert canonical_url(article + tail) == article
    assert canonical_url(article + "?_com_liferay_AssetPublisherPortlet_INSTANCE_AbCd1234_"
                         "redirect=%2Fweb%2Fguest") == article  # fmt: skip
    cur = "_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_AbCd1234_cur"
    page2 = f"https://tinh.gov.vn/web/guest/tin-tuc?p_p_id=x&p_p_lifecycle=0&{cur}=2"
    assert canonical_url(page2) == page2
    assert canonical_url(page2.replace("=2", "=3")) != page2


def test_listing_urls_by_shape_leave_wordpress_posts_to_the_extractor():
    from crawler.spiders.news import LISTING_URL

    for url in ("https://x.vn/tin-tuc?page=2", "https://x.vn/category/tin-tuc/page/2/",
                "https://x.vn/tim-kiem?q=ha+long", "https://x.vn/tag/du-lich/"):  # fmt: skip
        assert LISTING_URL.search(url), url
    for url in ("https://truong.edu.vn/?p=123", "https://x.vn/2025/12/24/khai-giang/"):
        assert not LISTING_URL.search(url), url


BASES = ["https://baoquangninh.vn/tin-tuc/a/b-123.html?x=1#top", "http://QuangNinh.gov.vn:8080/Trang/",
         "https://soyte.quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=42", "HTTP://a.vn",
         "relative/base/", "", "https://[::1]:9/x/y;p?q"]  # fmt: skip
HREFS = ["/tin-tuc/c-456.html", "/a/../b/./c?id=1#f", "//cdn.vn/x.jpg", "https://other.vn/x",
         "http://baoquangninh.vn/a/../b", "https://baoquangninh.vn/t?x=1", "c-789.html",
         "../up.html", "?page=2", "#top", "", "HTTPS://Upper.vn/x", "/", "http:rel"]  # fmt: skip


@pytest.mark.parametrize("base", BASES)
def test_a_link_joins_the_same_on_the_part_of_the_base_it_depends_on(base):
    # extraction memoises joined links by (join_base(base, href), href): shared by a site's pages
    for href in HREFS:
        assert urljoin(join_base(base, href), href) == urljoin(base, href), href
    assert join_base(BASES[0], "/x") == join_base(BASES[2].replace("soyte.quangninh.gov.vn",
                                                                  "baoquangninh.vn"), "/x")
    assert join_base(BASES[0], "c-789.html") == BASES[0]  # a path relative to the page: all of it



def test_a_visitors_session_id_is_no_part_of_the_url():
    # each visit spells every link anew with its session: left in, one article is a new URL
    # on every crawl (and, with ASP.NET's cookieless sessions, on every page of one crawl)
    article = "https://sotnmt.example.gov.vn/Trang/ChiTietTinTuc.aspx?nid=42"
    for spelling in (
        "https://sotnmt.example.gov.vn/(S(lit3py55t21z5v55vlm25s55))/Trang/ChiTietTinTuc.aspx?nid=42",
        "https://sotnmt.example.gov.vn/(X(1)S(a1b2c3))/Trang/ChiTietTinTuc.aspx?nid=42",
        "https://sotnmt.example.gov.vn/Trang/ChiTietTinTuc.aspx?nid=42&PHPSESSID=9f8e7d",
        "https://sotnmt.example.gov.vn/Trang/ChiTietTinTuc.aspx?ASPSESSIONIDQSTR=X1&nid=42",
        "https://sotnmt.example.gov.vn/Trang/ChiTietTinTuc.aspx;jsessionid=0A1B2C?nid=42",
        # ASP.NET's cookieless "AutoDetect" mode: its first answer adds this to every link
        "https://sotnmt.example.gov.vn/Trang/ChiTietTinTuc.aspx?nid=42&AspxAutoDetectCookieSupport=1",
    ):
        assert canonical_url(spelling) == article, spelling
    # a parenthesised path segment that is no session, and "sid" (a section on some portals)
    assert canonical_url("https://x.vn/(tin)/a.html") == "https://x.vn/(tin)/a.html"
    assert canonical_url("https://x.vn/tin.aspx?sid=3&page=2") == "https://x.vn/tin.aspx?sid=3&page=2"


def test_wordpress_reply_links_and_amp_views_are_the_post():
    post = "https://thcs-hongai.edu.vn/2025/12/24/le-ky-niem-ngay-nha-giao/"
    for spelling in (f"{post}?replytocom=57#respond", f"{post}?amp", f"{post}?amp=1",
                     f"{post}?output=amp"):  # fmt: skip
        assert canonical_url(spelling) == post, spelling
    # "amp" naming something else stays
    assert canonical_url("https://x.vn/tim-kiem?amp=2") == "https://x.vn/tim-kiem?amp=2"


def test_drupal_login_links_and_dnn_language_switches_are_the_page_they_come_from():
    # Drupal's login link on every page names the page to return to: one login page
    login = "https://xa.gov.vn/user/login"
    assert canonical_url(f"{login}?destination=node/12") == login
    assert canonical_url(f"{login}?destination=tin-tuc%3Fpage%3D2") == login
    # DNN's language switch: Vietnamese is what a Vietnamese portal shows without it
    article = "https://tinh.gov.vn/Default.aspx?tabid=125&ArticleID=4567"
    assert canonical_url(f"{article}&language=vi-VN") == article
    assert canonical_url(f"{article}&lang=vi") == article
    friendly = "https://tinh.gov.vn/tin-tuc/tabid/123/ArticleID/4567/Default.aspx"
    assert canonical_url(f"{friendly}?language=vi-VN") == friendly
    # another language is another page; the ids and the pager stay
    assert canonical_url(f"{article}&language=en-US") == f"{article}&language=en-US"
    assert canonical_url(f"{article}&PageIndex=2") == f"{article}&PageIndex=2"


@pytest.mark.parametrize("url", [
    "https://tinh.gov.vn/tin-tuc/tabid/123/ArticleID/4567/ctl/Print/mid/468/Default.aspx",
    "https://tinh.gov.vn/Default.aspx?tabid=125&ArticleID=4567&mid=469&print=true",
    "https://huyen.gov.vn/print/123", "https://huyen.gov.vn/node/123/printable/print",
    "https://huyen.vn/tin-tuc/123-cau-moi.html?tmpl=component&print=1&layout=default",
    "https://so.gov.vn/Pages/Print.aspx?ItemID=42", "https://x.vn/bai-viet/12?view=print",
])  # fmt: skip
def test_print_views_are_known_by_their_url_and_not_followed(url):
    from crawler.spiders.news import page_links

    assert is_print_view(url)
    body = f'<a href="{html.escape(url)}">In</a><a href="/tin-tuc/a-1.html">Tin</a>'.encode()
    assert page_links(body, "https://x.vn/") == ["https://x.vn/tin-tuc/a-1.html"]


@pytest.mark.parametrize("url", [
    "https://x.vn/tin-tuc/in-an-bao-chi-12.html", "https://x.vn/print-media/ky-niem.html",
    "https://x.vn/tin-tuc/blueprint/ke-hoach", "https://x.vn/Default.aspx?print=0&id=3",
    "https://x.vn/xem?fingerprint=abc", "https://x.vn/node/123",
])  # fmt: skip
def test_pages_that_only_mention_printing_are_no_print_views(url):
    assert not is_print_view(url)


def test_the_first_page_of_a_pager_counting_from_0_is_the_listing():
    listing = "https://huyen.gov.vn/tin-tuc"
    assert canonical_url(f"{listing}?page=0") == listing  # Drupal 8's pager, the first page
    assert canonical_url(f"{listing}?cat=5&page=0") == f"{listing}?cat=5"
    assert canonical_url(f"{listing}?page=1") == f"{listing}?page=1"  # its second page
    assert canonical_url(f"{listing}?page=10") == f"{listing}?page=10"


@pytest.mark.parametrize(("href", "onclick", "data_href", "target"), [
    ("javascript:openNews('/tin/chitiet.asp?id=5')", None, None, "/tin/chitiet.asp?id=5"),
    ("#", "window.open('/tin/chitiet.asp?id=5','tin','width=800')", None, "/tin/chitiet.asp?id=5"),
    ("javascript:void(0)", 'location.href = "chitiet.asp?id=5"', None, "chitiet.asp?id=5"),
    ("", None, " /tin/5.html ", "/tin/5.html"),
    ("javascript:showTab('tab2')", None, None, None),  # no URL in the call
    ("javascript:void(0)", "toggleMenu(this)", None, None),
    ("#", "location.href='#top'", None, None),
])
def test_script_link_reads_where_a_popup_anchor_goes(href, onclick, data_href, target):
    assert script_link(href, onclick, data_href) == target
