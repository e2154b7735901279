import pytest

from crawler.urls import canonical_url


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
