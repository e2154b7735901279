"""Site shapes a generic crawl meets (eighth session's probes), on one small local site.

* robots.txt is read once: the robots middleware fetches it anyway, and hands it to the spider
  for its ``Sitemap:`` lines (the spider used to fetch it a second time);
* links drawn without ``<a href>``: an image map's ``<area href>``, ``data-href`` on a card,
  ``onclick="location.href='…'"`` on a row;
* ``<link rel=canonical>``: an article at ``?id=N`` and ``?id=N&catid=2`` naming its slug URL
  (which no page links) is stored once, at the slug; a canonical naming the home page, a
  section page or another host is not believed, and the article is stored at its own URL; a
  canonical differing from the page's URL by a trailing slash is the page itself;
* one URL spelt several ways (ninth session's probe): IIS answers any letter case, a CMS finds
  a Vietnamese slug linked precomposed or decomposed, an article filed in two sections at one
  slug; each article is stored once, while a
  case-sensitive server's two pages at two spellings stay two articles;
* a page that only sends its visitor on by ``<meta http-equiv=refresh>`` (an old URL kept so):
  its capture says so, and the article it leads to is stored.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import ROOT, Answer, PagesHandler, crawl_site, query

from crawler.spiders.news import canonical_link, page_fingerprint

TITLES = {
    1: "Nông dân thu hoạch lúa đông xuân đạt năng suất cao",
    2: "Trường học vùng cao đón học sinh trở lại sau kỳ nghỉ",
    3: "Bệnh viện đa khoa tỉnh đưa vào sử dụng khu điều trị mới",
    4: "Hội chợ thương mại thu hút hàng trăm gian hàng các tỉnh",
    5: "Ngư dân ra khơi đầu năm với nhiều kỳ vọng mùa cá mới",
    6: "Thành phố tổ chức lễ hội hoa xuân ở quảng trường",
    7: "Sở Y tế kiểm tra an toàn thực phẩm tại bếp ăn tập thể",
    8: "Tỉnh khởi công tuyến đường ven biển nối hai huyện phía nam",
    9: "Huyện miền núi hoàn thành xóa nhà tạm cho hộ nghèo",
    10: "Xã đảo đón chuyến tàu khách đầu tiên của năm mới",
}
SECTIONS = ("thoi-su", "kinh-te", "van-hoa")


def html_page(title: str, main: str, head: str = "") -> bytes:
    nav = " ".join(f"<a href='/chuyen-muc/{s}'>{s}</a>" for s in SECTIONS)
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            f"{head}</head><body><nav><a href='/'>Trang chủ</a> {nav}</nav><main>{main}</main>"
            "<footer>Cổng thông tin điện tử tỉnh</footer></body></html>").encode()


def article(n: int, canonical: str = "") -> bytes:
    title = TITLES[n]
    head = f"<link rel='canonical' href='{canonical}'>" if canonical else ""
    return html_page(title, (
        f"<article><h1>{title}</h1><p class='date'>12/12/2025 08:{n:02d}</p>"
        f"<p>Sáng 12/12, {title.lower()} trong sự chờ đợi của người dân địa phương. Đây là "
        "công việc được chuẩn bị suốt nhiều tháng qua với sự tham gia của các sở, ngành.</p>"
        f"<p>Theo lãnh đạo địa phương, kết quả bước đầu cho thấy cách làm mới phù hợp với điều "
        f"kiện thực tế, góp phần nâng cao đời sống của bà con trong vùng số {n}.</p></article>"),
        head)  # fmt: skip


def home() -> bytes:
    return html_page("Trang chủ", (
        f"<div class='card' onclick=\"location.href='/tin/a-1.html'\">{TITLES[1]}</div>"
        f"<div class='card' data-href='/tin/a-2.html'>{TITLES[2]}</div>"
        "<img src='/ban-do.png' usemap='#huyen'><map name='huyen'><area shape='rect' "
        f"coords='0,0,40,40' href='/tin/a-3.html' alt='Huyện'></map>"
        f"<h3><a href='/index.php?id=4'>{TITLES[4]}</a></h3>"
        f"<h3><a href='/tin/bai-so-5.html'>{TITLES[5]}</a></h3>"
        + "".join(f"<h3><a href='/tin/a-{n}.html'>{TITLES[n]}</a></h3>" for n in (6, 7, 8))
        + f"<h3><a href='/tin/bai-so-10/'>{TITLES[10]}</a></h3>"
        + f"<ul><li><a href='/index.php?id=4&amp;catid=2'>{TITLES[4]}</a></li>"
        f"<li><a href='/index.php?id=5'>{TITLES[5]}</a></li></ul>"))


def shapes_page(asked: str, base: str) -> Answer:
    """The page at ``asked`` of the site served at ``base`` (its sitemap and canonicals name
    it)."""
    other_host = base.replace("127.0.0.1", "localhost")
    path = urlsplit(asked).path
    query_id = urlsplit(asked).query.split("&")[0]
    if asked == "/robots.txt":
        robots = f"User-agent: *\nSitemap: {base}/ban-do-trang.xml\n"
        return 200, {"Content-Type": "text/plain"}, robots
    if asked == "/ban-do-trang.xml":
        return 200, {"Content-Type": "application/xml"}, (
            "<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/"
            f"schemas/sitemap/0.9'><url><loc>{base}/tin/chi-tiet-so-9.html</loc></url>"
            "</urlset>")  # fmt: skip
    if path == "/":
        return home()
    if path.startswith("/chuyen-muc/"):
        return html_page("Chuyên mục", "<h1>Chuyên mục</h1><p>Chưa có tin mới.</p>")
    if path == "/index.php" and query_id in ("id=4", "id=5"):
        n = int(query_id[3:])
        slug = "/tin/bai-so-4.html" if n == 4 else "/tin/bai-so-5.html"
        return article(n, base + slug)
    if path in ("/tin/bai-so-4.html", "/tin/bai-so-5.html"):
        return article(int(path[-6]), path)  # a relative canonical naming itself
    if path in ("/tin/a-1.html", "/tin/a-2.html", "/tin/a-3.html"):
        return article(int(path[-6]))
    if path == "/tin/a-6.html":
        return article(6, base + "/")
    if path == "/tin/a-7.html":
        return article(7, "/chuyen-muc/thoi-su")
    if path == "/tin/a-8.html":
        return article(8, other_host + "/tin/a-8.html")
    if path == "/tin/bai-so-10/":  # its canonical spelled without the slash
        return article(10, base + "/tin/bai-so-10")
    if path == "/tin/chi-tiet-so-9.html":
        return article(9)
    return None


class ShapesSite(PagesHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.paths.append(self.path)
        self.send_answer(shapes_page(self.path, f"http://{self.headers['Host']}"))


@pytest.fixture(scope="module")
def shapes_crawl(tmp_path_factory):
    crawl = crawl_site({}, tmp_path_factory.mktemp("shapes"), handler=ShapesSite)
    return crawl.base, crawl.db_path, crawl.paths


@pytest.mark.e2e
def test_robots_txt_is_fetched_once_and_its_sitemap_still_read(shapes_crawl):
    base, db_path, paths = shapes_crawl
    assert paths.count("/robots.txt") == 1
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert base + "/tin/chi-tiet-so-9.html" in stored  # listed by robots.txt's sitemap only


@pytest.mark.e2e
def test_links_drawn_without_an_anchor_are_followed(shapes_crawl):
    base, db_path, _ = shapes_crawl
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert {f"{base}/tin/a-{n}.html" for n in (1, 2, 3)} <= stored


@pytest.mark.e2e
def test_an_article_at_several_urls_is_stored_once_at_its_canonical_url(shapes_crawl):
    base, db_path, paths = shapes_crawl
    rows = query(db_path, "SELECT url, title FROM articles")
    assert sorted(r["title"] for r in rows) == sorted(TITLES.values())  # each once
    stored = {r["url"] for r in rows}
    assert {base + "/tin/bai-so-4.html", base + "/tin/bai-so-5.html"} <= stored
    assert "/tin/bai-so-4.html" in paths  # linked by no page: fetched as the canonical URL
    reasons = {r["url"]: r["page_reason"] for r in query(
        db_path, "SELECT url, page_reason FROM captures WHERE url LIKE '%index.php%'")}
    assert set(reasons) == {f"{base}/index.php?id=4", f"{base}/index.php?id=4&catid=2",
                            f"{base}/index.php?id=5"}  # fmt: skip
    assert all("canonical" in reason and "/tin/bai-so-" in reason for reason in reasons.values())
    # each page found to show its canonical URL's article is an address of it (not only in SQL),
    # those that waited while their canonical URL was fetched too (NewsSpider.on_idle)
    aliases = {r["url"]: r["article_url"] for r in query(
        db_path, "SELECT article_aliases.url, articles.url AS article_url FROM article_aliases "
                 "JOIN articles ON articles.id = article_id")}  # fmt: skip
    assert aliases == {f"{base}/index.php?id=4": base + "/tin/bai-so-4.html",
                       f"{base}/index.php?id=4&catid=2": base + "/tin/bai-so-4.html",
                       f"{base}/index.php?id=5": base + "/tin/bai-so-5.html"}, reasons


@pytest.mark.e2e
def test_a_canonical_naming_the_home_page_a_section_or_another_host_is_not_believed(shapes_crawl):
    base, db_path, _ = shapes_crawl
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert {f"{base}/tin/a-{n}.html" for n in (6, 7, 8)} <= stored


@pytest.mark.e2e
def test_a_canonical_spelled_another_way_is_the_page_itself(shapes_crawl):
    base, db_path, paths = shapes_crawl
    stored = {r["url"] for r in query(db_path, "SELECT url FROM articles")}
    assert base + "/tin/bai-so-10/" in stored
    assert "/tin/bai-so-10" not in paths  # not fetched as a second URL of the page
    unexplained = query(db_path, "SELECT url FROM captures WHERE page_kind IS NULL "
                        "AND status = 200 AND content_type LIKE 'text/html%'")  # fmt: skip
    assert unexplained == []


def test_canonical_link_and_page_fingerprint():
    page = b"<head><link href='/tin/a-1.html?utm_source=x' rel=\"canonical\"></head>"
    assert canonical_link(page, "http://h.vn/index.php?id=1") == "http://h.vn/tin/a-1.html"
    assert canonical_link(b"<link rel='alternate' href='/rss'>", "http://h.vn/") is None
    same = page_fingerprint(article(4, "/a")), page_fingerprint(article(4, "/b"))
    assert same[0] == same[1]
    assert page_fingerprint(article(5)) != same[0]
    section = html_page(TITLES[4], "<h1>Chuyên mục</h1><p>Chưa có tin mới trong chuyên mục.</p>")
    assert page_fingerprint(section) != same[0]  # the same title, another text


SLUG = "/tin-tức/xã-đảo-đón-tàu-10.html"  # precomposed (NFC)


def spellings_page(asked: str) -> bytes | None:
    """Articles 1-2 at ``/TinTuc/ChiTiet.aspx?ID=n``, linked in two letter cases (the server
    reads any); article 10 at a Vietnamese slug, linked precomposed and decomposed; 3 and 4
    at ``/Tin/Bai.html`` and ``/tin/bai.html``: two pages of a case-sensitive server; 5 behind
    a meta refresh; 6 under two sections."""

    path = unicodedata.normalize("NFC", unquote(asked))
    body = None
    if path == "/":
        decomposed = quote(unicodedata.normalize("NFD", SLUG))
        body = html_page("Trang chủ", "".join(
            f"<h3><a href='{href}'>{TITLES[n]}</a></h3>" for n, href in (
                (1, "/TinTuc/ChiTiet.aspx?ID=1"), (1, "/tintuc/chitiet.aspx?id=1"),
                (2, "/tintuc/ChiTiet.aspx?Id=2"), (2, "/TINTUC/CHITIET.ASPX?ID=2"),
                (10, quote(SLUG)), (10, decomposed), (3, "/Tin/Bai.html"),
                (4, "/tin/bai.html"), (5, "/tin/cu-5.html"),
                *((6, f"/{section}/le-hoi-hoa-xuan-6.html") for section in SECTIONS[:2]))))
    elif path.endswith("/le-hoi-hoa-xuan-6.html"):  # one article filed in two sections
        body = article(6)
    elif path == "/tin/cu-5.html":
        body = (b"<html><head><meta http-equiv='refresh' content='0; url=/tin/bai-so-5.html'>"
                b"</head><body></body></html>")
    elif path == "/tin/bai-so-5.html":
        body = article(5)
    elif path.lower().startswith("/tintuc/chitiet.aspx?id="):
        body = article(int(path[-1]))
    elif path == SLUG:
        body = article(10)
    elif path in ("/Tin/Bai.html", "/tin/bai.html"):
        body = article(3 if path == "/Tin/Bai.html" else 4)
    return body


@pytest.fixture(scope="module")
def spellings_crawl(tmp_path_factory):
    crawl = crawl_site(spellings_page, tmp_path_factory.mktemp("spellings"))
    return crawl.base, crawl.db_path


@pytest.mark.e2e
def test_an_article_at_several_spellings_of_its_url_is_stored_once(spellings_crawl):
    _, db_path = spellings_crawl
    titles = sorted(r["title"] for r in query(db_path, "SELECT title FROM articles"))
    assert titles == sorted(TITLES[n] for n in (1, 2, 3, 4, 5, 6, 10))  # each once, none lost
    reasons = [r["page_reason"] for r in query(
        db_path, "SELECT page_reason FROM captures WHERE page_reason LIKE 'the same page as%'")]
    assert len(reasons) == 4 and all("spelt another way" in r for r in reasons)


@pytest.mark.e2e
def test_a_page_left_by_meta_refresh_says_so(spellings_crawl):
    base, db_path = spellings_crawl
    rows = query(db_path, "SELECT page_kind, page_reason FROM captures WHERE final_url = ?",
                 (base + "/tin/cu-5.html",))  # fmt: skip
    assert rows == [{"page_kind": "other", "page_reason": f"sends its visitor on to {base}"
                     "/tin/bai-so-5.html (<meta http-equiv=refresh>)"}]


def test_page_fingerprint_is_the_same_number_in_every_process():
    """Workers compare what their pages showed through Redis: Python's ``hash`` of bytes,
    seeded per process, would make every page another worker fetched look different."""
    script = ("import sys; from crawler.spiders.news import page_fingerprint; "
              "print(page_fingerprint(sys.stdin.buffer.read()))")  # fmt: skip
    page = article(4, "/a")
    seen = {subprocess.run([sys.executable, "-c", script], input=page, capture_output=True,
                           cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
                           check=True).stdout
            for seed in ("1", "2")}  # fmt: skip
    assert seen == {f"{page_fingerprint(page)}\n".encode()}
