"""Issue #5, hostile shapes of the twelfth session: pages that were lost, or left no word of
why, and stored articles replaced by a site's failure. A local site is crawled twice with the
real CLI; between the crawls two of its articles turn into a failure page. Expected:

======================================  ==========================================================
``Refresh: 0; url=…`` HTTP header        followed, as browsers do, and its target stored (was: the
                                         empty page judged "other", the target never fetched)
``<meta refresh>`` pages sending to      a crawl error per page (was: captured, no reason, the
each other                               second refresh dropped by the dupe filter)
302 to ``mailto:`` / ``javascript:``     "redirected to 'mailto:…', not a web page" (was:
                                         "ValueError: Missing scheme in request url")
a link longer than URLLENGTH_LIMIT       a crawl error naming the limit (was: an INFO line only)
a feed given as ``--start-url``          its entries fetched and stored (was: "not an HTML page
                                         (Content-Type: application/rss+xml)", nothing fetched)
HTML with a few stray NUL bytes          stored, as browsers show it (was: refused as "binary
                                         data (NUL bytes)")
stored article, now the empty template   the stored text kept, the capture says why (was:
                                         replaced by the navigation's "Trang chủ")
stored article, now "đang bảo trì"       judged "other" (the site's maintenance page), the
                                         stored article kept, not marked removed (was: replaced)
======================================  ==========================================================
"""

from __future__ import annotations

import html

import pytest
from conftest import Answer, PagesHandler, crawl_twice, query, run_tintuc, serve_pages
from conftest import crawl_errors as errors

pytestmark = pytest.mark.e2e  # two real crawls of a local site

PARAS = (
    "Chiều qua, Sở Nông nghiệp tỉnh tổ chức đoàn kiểm tra tình hình sản xuất vụ đông tại các "
    "xã ven sông, nơi bà con đang khẩn trương xuống giống ngô và khoai lang.",
    "Theo cán bộ khuyến nông, thời tiết năm nay thuận lợi, nguồn nước tưới dồi dào nên diện "
    "tích gieo trồng dự kiến tăng gần một phần năm so với cùng kỳ.",
    "Đoàn đề nghị các địa phương theo dõi sâu bệnh, hướng dẫn người dân bón phân cân đối và "
    "chuẩn bị phương án tiêu thụ nông sản khi vào mùa thu hoạch.",
)
REFRESH_HEADER = "/bai-viet/chuyen-bang-tieu-de-8001.html"
REFRESH_TARGET = "/bai-viet/dich-den-8101.html"
LOOP_A, LOOP_B = "/bai-viet/lam-moi-a-8002.html", "/bai-viet/lam-moi-b-8003.html"
MAILTO, SCRIPT = "/bai-viet/gui-thu-8004.html", "/bai-viet/chay-ma-8005.html"
LONG = "/bai-viet/" + "rat-dai-" * 280 + "8006.html"
SHELL = "/bai-viet/se-thanh-khung-8007.html"
MAINTENANCE = "/bai-viet/se-bao-tri-8008.html"
NULS = "/bai-viet/co-byte-nul-8009.html"
LINKED = (REFRESH_HEADER, LOOP_A, LOOP_B, MAILTO, SCRIPT, LONG, SHELL, MAINTENANCE, NULS)


def page(title: str, paras=PARAS) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            "</head><body><nav><a href='/'>Trang chủ</a></nav><article><h1>" + title + "</h1>"
            f"<div class='date'>12/03/2025 08:15</div><div class='content'>{body}</div>"
            "</article><footer>Báo Thử Nghiệm</footer></body></html>").encode()  # fmt: skip


def refresh_to(path: str) -> bytes:
    return f"<html><head><meta http-equiv='refresh' content='0; url={path}'></head></html>".encode()


def answer(path: str, later: bool) -> tuple[int, dict, bytes]:
    if path == "/":
        links = "".join(f"<li><h3><a href='{p}'>Tin thử nghiệm số {n} của báo tỉnh</a></h3></li>"
                        for n, p in enumerate(LINKED))  # fmt: skip
        return 200, {}, f"<html><body><ul>{links}</ul></body></html>".encode()
    if path == REFRESH_HEADER:
        return 200, {"Refresh": f"0; url={REFRESH_TARGET}"}, b""
    if path == REFRESH_TARGET:
        return 200, {}, page("Bài chỉ tới được qua tiêu đề Refresh")
    if path in (LOOP_A, LOOP_B):
        return 200, {}, refresh_to(LOOP_B if path == LOOP_A else LOOP_A)
    if path in (MAILTO, SCRIPT):
        return 302, {"Location": "mailto:toasoan@baothu.vn" if path == MAILTO else
                     "javascript:void(0)"}, b""  # fmt: skip
    if path == LONG:
        return 200, {}, page("Bài có đường dẫn quá dài")
    if path == SHELL:
        return 200, {}, page("Bài sẽ chỉ còn khung trang", () if later else PARAS)
    if path == MAINTENANCE and later:
        return 200, {}, page("Hệ thống đang bảo trì", ("Website đang được nâng cấp, quý độc giả "
                                                      "vui lòng quay lại sau. Xin cảm ơn!",))
    if path == MAINTENANCE:
        return 200, {}, page("Bài sẽ gặp lúc bảo trì")
    if path == NULS:  # a NUL byte after each paragraph and before the article
        return 200, {}, page("Bài có byte NUL lạc").replace(b"</p>", b"\0</p>").replace(
            b"<article>", b"\0<article>")
    return 404, {}, b""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two crawls (the second ``--full``, after two articles turned into failure pages)."""
    tmp = tmp_path_factory.mktemp("hostile-recorded")
    return crawl_twice(answer, tmp, "TINTUC_EXTRACT_WORKERS=1", "DOWNLOAD_TIMEOUT=5", timeout=120)


def last_capture(crawled, path: str) -> dict:
    base, db_path, _ = crawled
    return query(db_path, "SELECT page_kind, page_reason FROM captures WHERE url = ? "
                          "ORDER BY id DESC LIMIT 1", [base + path])[0]  # fmt: skip


def test_a_refresh_header_is_followed_to_its_article(crawled):
    _, _, (first, _) = crawled
    stored = [a for a in first.values() if a["title"] == "Bài chỉ tới được qua tiêu đề Refresh"]
    assert stored and PARAS[1] in stored[0]["text"]
    base, db_path, _ = crawled
    reasons = [r["page_reason"] for r in query(
        db_path, "SELECT page_reason FROM captures WHERE url = ?", [base + REFRESH_HEADER])]
    assert any("(HTTP Refresh header)" in (r or "") for r in reasons)


def test_pages_refreshing_to_each_other_are_recorded(crawled):
    assert any("redirected to" in e for e in errors(crawled, LOOP_A) + errors(crawled, LOOP_B))


@pytest.mark.parametrize(("path", "target"), [(MAILTO, "'mailto:toasoan@baothu.vn'"),
                                              (SCRIPT, "'javascript:void(0)'")])  # fmt: skip
def test_a_redirect_to_no_web_page_says_so(crawled, path, target):
    assert errors(crawled, path) == [f"IgnoreRequest: redirected to {target}, not a web page "
                                     "(HTTP 302)"] * 2  # once a crawl  # fmt: skip


def test_a_link_too_long_to_fetch_is_recorded(crawled):
    assert errors(crawled, LONG)[0] == (f"not fetched: the URL is {len(crawled[0] + LONG)} "
                                        "characters long, over URLLENGTH_LIMIT=2083")


def test_an_empty_template_keeps_the_stored_text(crawled):
    _, _, (first, second) = crawled
    assert PARAS[2] in first[SHELL]["text"] and second[SHELL]["text"] == first[SHELL]["text"]
    # the template's menu line is read as no text or as a doubtful one, as the extractor
    # judges it: either way the capture says why its text was not stored
    reason = last_capture(crawled, SHELL)["page_reason"]
    assert reason == "kept the stored text: this capture shows no text" or reason.startswith(
        "kept the stored text: this capture's text is doubtful")


def test_a_maintenance_page_keeps_the_stored_article_not_removed(crawled):
    _, _, (first, second) = crawled
    assert second[MAINTENANCE]["text"] == first[MAINTENANCE]["text"]
    assert second[MAINTENANCE]["removed"] is None
    capture = last_capture(crawled, MAINTENANCE)
    assert capture["page_kind"] == "other" and "maintenance page" in capture["page_reason"]


def test_an_html_page_with_stray_nul_bytes_is_stored(crawled):
    _, _, (first, _) = crawled
    assert PARAS[2] in first[NULS]["text"] and "\0" not in first[NULS]["text"]
    assert errors(crawled, NULS) == []


def test_only_markup_with_few_nul_bytes_is_let_through():
    from crawler.middlewares import sniff_binary

    page_ = b"<!DOCTYPE html><html><body>" + b"<p>Tin t\xe1\xbb\xa9c</p>\0" * 20
    assert sniff_binary(page_) is None
    assert sniff_binary("<html><body>Tin tức</body></html>".encode("utf-16-le"))  # no BOM
    assert sniff_binary(b"\0\0\0 ftypisom" + b"\0" * 100)  # a video's box, no magic of ours


def feed_site(path: str, host: str) -> Answer:
    if path == "/chuyen-muc/tin-moi.rss":
        return 200, {"Content-Type": "application/rss+xml"}, (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Tin mới"
            f"</title><item><title>Bài chỉ có trong nguồn tin</title><link>http://{host}"
            "/bai-viet/chi-trong-nguon-tin-8010.html</link></item></channel></rss>")
    if path == "/bai-viet/chi-trong-nguon-tin-8010.html":
        return page("Bài chỉ có trong nguồn tin")
    return None


class FeedSite(PagesHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_answer(feed_site(self.path, self.headers["Host"]))


def test_a_feed_given_as_the_start_url_is_read_as_a_feed(tmp_path):
    db_path = tmp_path / "archive.db"
    with serve_pages({}, FeedSite) as (base, _):
        run_tintuc("crawl", "--start-url", f"{base}/chuyen-muc/tin-moi.rss", "--db", str(db_path),
                   "-s", "TINTUC_EXTRACT_WORKERS=1", "-s", "DOWNLOAD_TIMEOUT=5")  # fmt: skip
    stored = query(db_path, "SELECT url, text FROM articles")
    assert [r["url"][len(base):] for r in stored] == ["/bai-viet/chi-trong-nguon-tin-8010.html"]
    assert PARAS[2] in stored[0]["text"]
    assert query(db_path, "SELECT error FROM crawl_errors WHERE url LIKE '%.rss'") == []
