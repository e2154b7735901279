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
