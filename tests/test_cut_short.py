"""A page cut short in transfer (the connection closed early, a Content-Length shorter than the
page) looks to HTTP like a whole one. Its HTML tells: it opens ``<html>`` and ends before
``</html>``. The crawl fetches such a page once more; whole then, the whole page is stored and the
cut capture says why it was not; cut again, it is stored flagged ``page_cut_short``, so an
archivist finds it among the doubtful extractions."""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import query, run_tintuc, send_page, serving

from pipelines.text import html_ends_unclosed

pytestmark = pytest.mark.e2e  # a real crawl of a local site

PARAS = (
    "Sáng nay, Sở Giao thông vận tải tỉnh tổ chức thông xe tuyến đường ven biển nối hai huyện "
    "sau hơn hai năm thi công, rút ngắn một nửa thời gian đi lại của người dân.",
    "Tuyến đường dài mười tám ki-lô-mét, rộng bốn làn xe, có hai cây cầu vượt cửa sông và hệ "
    "thống chiếu sáng chạy bằng năng lượng mặt trời dọc theo bờ kè.",
    "Đại diện chủ đầu tư cho biết công trình giúp mở rộng vùng nuôi trồng thủy sản và thu hút "
    "thêm các dự án du lịch nghỉ dưỡng về khu vực phía đông của tỉnh.",
)
ONCE = "/tin/cat-mot-lan-7001.html"  # cut short on its first fetch only
ALWAYS = "/tin/luon-bi-cat-7002.html"  # cut short on every fetch
SITES_TOML = """\
[sites.cat]
name = "Báo Thử Cắt"
province = "Thử Nghiệm"
kind = "newspaper"
start_urls = ["{base}/"]
article_patterns = ['/tin/[a-z0-9-]+-\\d+\\.html$']
listing_patterns = ['^https?://[^/]+/$']
checked_live = false
politeness = {{ download_delay = 0, concurrency = 4, autothrottle = false }}
"""


def page(title: str) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in PARAS)
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><article><h1>{title}</h1><div class='date'>12/03/2025 08:15</div>"
            f"<div class='content'>{body}</div></article><footer>Báo Thử Cắt, giấy phép số 1"
            "</footer></body></html>").encode()  # fmt: skip


class Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    fetched: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        count = Site.fetched[self.path] = Site.fetched.get(self.path, 0) + 1
        if self.path == "/":
            body = ("<html><body><ul>" + "".join(
                f"<li><h3><a href='{p}'>Tin thử nghiệm số {n} về tuyến đường ven biển</a></h3>"
                "</li>" for n, p in enumerate((ONCE, ALWAYS))) + "</ul></body></html>").encode()
        elif self.path in (ONCE, ALWAYS):
            whole = page("Thông xe tuyến đường ven biển nối hai huyện")
            cut = self.path == ALWAYS or count == 1
            # the body cut after the story's first paragraph, the header saying so
            body = whole[:whole.index(b"</p>") + 4] if cut else whole
        else:
            body = None
        send_page(self, body)

    def log_message(self, *args):
        pass


def test_the_test_tells_a_cut_page_from_a_whole_one_and_a_fragment():
    whole = page("Tiêu đề")
    assert not html_ends_unclosed(whole) and not html_ends_unclosed(whole.decode())
    assert html_ends_unclosed(whole[: len(whole) // 2])
    assert not html_ends_unclosed(b"<div class='item'><a href='/tin/a-1.html'>Tin</a></div>")


def test_a_page_cut_short_is_fetched_again_and_stored_whole_or_flagged(tmp_path):
    db_path, sites = tmp_path / "archive.db", tmp_path / "sites.toml"
    Site.fetched = {}
    with serving(Site) as (base, _):
        sites.write_text(SITES_TOML.format(base=base), encoding="utf-8")
        run_tintuc("crawl", "cat", "--sites", str(sites), "--db", str(db_path),
                   "-s", "TINTUC_EXTRACT_WORKERS=-1", timeout=120)  # fmt: skip
    assert Site.fetched[ONCE] == Site.fetched[ALWAYS] == 2  # once more each, no more
    rows = {r["url"][len(base):]: r for r in query(db_path, "SELECT * FROM articles")}
    # whole on its second fetch: stored whole, no doubt; its cut capture says why not it
    assert all(p in rows[ONCE]["text"] for p in PARAS)
    assert "page_cut_short" not in json.loads(rows[ONCE]["extraction_flags"])
    reasons = [r["page_reason"] for r in query(
        db_path, "SELECT page_reason FROM captures WHERE url = ? ORDER BY id", [base + ONCE])]
    assert len(reasons) == 2 and reasons[0].startswith("cut short in transfer")
    # cut short again: what it holds is stored, flagged, among the doubtful
    assert PARAS[0] in rows[ALWAYS]["text"] and PARAS[2] not in rows[ALWAYS]["text"]
    assert "page_cut_short" in json.loads(rows[ALWAYS]["extraction_flags"])
    assert rows[ALWAYS]["extraction_confidence"] < 0.5
