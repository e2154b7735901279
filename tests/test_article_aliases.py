"""One article reachable at several URLs of its site is one ``articles`` row; each other
address is an ``article_aliases`` row and its capture is kept (twelfth session).

The crawl's spelling rules pair a page with another URL of the same article only within one
crawl process and once the site's item numbers are learned. Before: a WordPress ``?p=N``
answering the post itself, ``/tin/bai-N/`` beside ``/tin/bai-N/index.html``, one number under
two section paths, a Joomla menu context met before the item number was learned, a context
met by a later (incremental) crawl, and every page the spider had aliased once ``tintuc
reextract`` judged it again: each stored the article twice.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

import pytest
from conftest import crawl_site, query, run_tintuc, send_page, serving

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles, save_spider_aliases

TITLES = [
    "Xã Tiên Lãng khánh thành cầu dân sinh qua kênh Hòa Bình",
    "Huyện Vĩnh Bảo tổ chức hội thi nhà nông đua tài",
    "Phường Cát Dài ra mắt mô hình tổ dân phố không rác",
    "Xã Đoàn Xá hoàn thành đường bê tông ven biển",
    "Thị trấn Núi Đối mở lớp dạy bơi miễn phí cho trẻ em",
]


def body_text(n: int) -> str:
    return (f"Sáng 1{n}/11, {TITLES[n].lower()} trước sự chứng kiến của đại diện lãnh đạo "
            "địa phương, các đoàn thể và đông đảo bà con trong vùng. Công trình do nhân dân "
            f"đóng góp {n + 2} phần mười kinh phí, phần còn lại từ ngân sách cấp trên, được "
            "thi công trong bốn tháng, vượt tiến độ đề ra.")


def stored(n: int, url: str, **changes) -> dict:
    return {"url": url, "site": "demo", "title": TITLES[n], "text": body_text(n),
            "published": f"2025-11-1{n}T08:00:00+07:00", **changes}


@pytest.fixture
def db(tmp_path):
    database = open_archive(tmp_path / "archive.db")
    yield database
    database.close()


def test_a_second_address_of_a_stored_article_is_an_alias_not_a_row(db):
    first, other = "http://demo.vn/2025/11/cau-dan-sinh/", "http://demo.vn/?p=101"
    assert save_articles(db, [stored(0, first)])["new"] == 1
    assert save_articles(db, [stored(0, other)])["alias"] == 1
    assert save_articles(db, [stored(0, other)])["alias"] == 1  # met again: still an alias
    # met again and extracted with a doubt: still its address, not a new article
    assert save_articles(db, [stored(0, other, flags=["plain_disagrees"])])["alias"] == 1
    assert [r["url"] for r in db.query("SELECT url FROM articles")] == [first]
    aliases = list(db.query("SELECT a.url, b.url AS article FROM article_aliases a "
                            "JOIN articles b ON b.id = a.article_id"))  # fmt: skip
    assert aliases == [{"url": other, "article": first}]


def test_an_edit_read_at_the_other_address_is_a_version_of_the_article(db):
    first, other = "http://demo.vn/tin/bai-1/", "http://demo.vn/tin/bai-1/index.html"
    save_articles(db, [stored(0, first), stored(0, other)])
    edited = stored(0, other, text=body_text(0) + " Đây là bản đã sửa.")
    assert save_articles(db, [edited])["changed"] == 1
    assert [(r["url"], r["text"]) for r in db.query("SELECT url, text FROM articles")] == [
        (first, edited["text"])]
    assert db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1


def test_an_address_the_crawl_paired_is_an_alias_once_its_article_is_stored(db):
    first = "http://demo.vn/thoi-su/cau-dan-sinh-7.html"
    other = "http://demo.vn/kinh-te/cau-dan-sinh-7.html"  # filed in two sections
    pending = [(other, first, None)]
    assert save_spider_aliases(db, pending, crawl_id=1) == pending  # its article not stored yet
    save_articles(db, [stored(0, first)])
    assert save_spider_aliases(db, pending, crawl_id=1) == []
    assert [(r["url"], r["article_id"]) for r in db.query("SELECT * FROM article_aliases")] == [
        (other, 1)]


@pytest.mark.parametrize("other", [
    {"text": body_text(1)},  # a template title over another story
    {"published": "2025-11-20T08:00:00+07:00"},  # the same text re-issued another day
    {"site": "other-site"},  # a copy on another site: a story cluster, not an address
    {"flags": ["fallback_used"]},  # a body missed: the same footer may stand in on both
])
def test_articles_differing_in_text_date_or_site_stay_two_rows(db, other):
    save_articles(db, [stored(0, "http://demo.vn/a/1.html"),
                       stored(0, "http://demo.vn/b/2.html", **other)])  # fmt: skip
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM article_aliases").fetchone()[0] == 0


def corrected(n: int) -> str:
    """:func:`body_text` with a figure and a word corrected (0.86 of its 3-grams shared)."""
    return body_text(n).replace("bốn tháng", "năm tháng").replace("vượt", "đúng")


def test_an_article_edited_between_its_two_addresses_captures_is_one_row(db):
    first, other = "http://demo.vn/2025/11/cau-dan-sinh/", "http://demo.vn/?p=101"
    save_articles(db, [stored(0, first)])
    assert save_articles(db, [stored(0, other, text=corrected(0))])["changed"] == 1
    assert [(r["url"], r["text"]) for r in db.query("SELECT url, text FROM articles")] == [
        (first, corrected(0))]
    assert [r["url"] for r in db.query("SELECT url FROM article_aliases")] == [other]
    assert [r["text"] for r in db.query("SELECT text FROM article_versions")] == [body_text(0)]


@pytest.mark.parametrize("other", [
    {"published": "2025-11-11T08:00:00+07:00"},  # corrected and dated another day
    {"title": TITLES[1]},  # another headline over a near copy
    {"part_of": "http://demo.vn/a/1.html", "part": 2},  # a story's next page
    {"text": body_text(0) + " " + body_text(2) + " " + body_text(3)},  # much more added
])
def test_a_near_copy_under_another_title_date_or_story_page_stays_two_rows(db, other):
    save_articles(db, [stored(0, "http://demo.vn/a/1.html")])
    save_articles(db, [{**stored(0, "http://demo.vn/b/2.html", text=corrected(0)), **other}])
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM article_aliases").fetchone()[0] == 0


def test_two_short_notices_under_one_title_are_one_only_with_the_same_attachments(db):
    notice = {"site": "demo", "title": "Thông báo", "text": "Xem văn bản đính kèm.",
              "published": "2025-11-10T00:00:00+07:00"}  # fmt: skip
    save_articles(db, [{**notice, "url": "http://demo.vn/tb.asp?id=1"},
                       {**notice, "url": "http://demo.vn/tb.asp?id=2"}])  # fmt: skip
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    document = [{"url": "http://demo.vn/files/lich-tiep-dan.pdf", "text": "Lịch tiếp dân"}]
    save_articles(db, [{**notice, "url": "http://demo.vn/tb.asp?id=3", "attachments": document},
                       {**notice, "url": "http://demo.vn/tb.asp?id=3&Itemid=7",
                        "attachments": document}])  # fmt: skip
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


class AddressesSite(BaseHTTPRequestHandler):
    """Each article at two addresses, as CMSs serve them, neither naming a canonical URL:
    WordPress' ``?p=N`` answering the post itself beside ``/2025/11/<slug>/``;
    ``/tin/bai-N/`` beside ``/tin/bai-N/index.html``; ``/thoi-su/tin.aspx?id=N`` beside
    ``/kinh-te/tin.aspx?id=N``; one headline slug under two sections, which the crawl pairs
    itself. The home page links one address, the section the other;
    ``home`` False (a first crawl): the home page links nothing yet."""
    home = True
    ADDRESSES = [
        ("/?p=101", "/2025/11/cau-dan-sinh-kenh-hoa-binh/"),
        ("/tin/bai-2/index.html", "/tin/bai-2/"),
        ("/thoi-su/tin.aspx?id=5", "/kinh-te/tin.aspx?id=5"),
        ("/?p=104", "/2025/11/duong-be-tong-ven-bien/"),
        # paired by the crawl (one headline slug under two sections): its capture is "the
        # same page as …", judged again by tintuc reextract
        ("/noi-bat/mo-lop-day-boi-mien-phi-15.html", "/xa-hoi/mo-lop-day-boi-mien-phi-15.html"),
    ]

    def page(self, title: str, main: str) -> bytes:
        return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
                "<body><nav><a href='/'>Trang chủ</a><a href='/chuyen-muc/tin-tuc'>Tin tức</a>"
                f"</nav><main>{main}</main><footer><p>Cổng thông tin điện tử huyện.</p>"
                "</footer></body></html>").encode()  # fmt: skip

    def teasers(self, which: int) -> str:
        return "".join(f"<div class='item'><h3><a href='{urls[which]}'>{TITLES[n]}</a></h3>"
                       f"<span>1{n}/11/2025</span></div>"
                       for n, urls in enumerate(self.ADDRESSES))  # fmt: skip

    def do_GET(self):  # noqa: N802 - http.server's name
        path, body = unquote(self.path), None
        if path == "/":
            body = self.page("Trang chủ", self.teasers(0) if self.home else "<p>Chào mừng</p>")
        elif path == "/chuyen-muc/tin-tuc":
            body = self.page("Tin tức", self.teasers(1))
        for n, urls in enumerate(self.ADDRESSES):
            if path in urls:
                section = "Nổi bật" if path == urls[0] else "Tin tức"
                body = self.page(TITLES[n], f"<div class='crumb'>Trang chủ › {section}</div>"
                                 f"<article><h1>{TITLES[n]}</h1><p class='date'>1{n}/11/2025 "
                                 f"08:00</p><p>{body_text(n)}</p></article>")  # fmt: skip
        send_page(self, body)

    def log_message(self, *args):
        pass


def rows_per_title(db_path) -> dict[str, int]:
    return {r["title"]: r["n"] for r in query(
        db_path, "SELECT title, count(*) AS n FROM articles GROUP BY title")}  # fmt: skip


@pytest.mark.e2e
def test_an_article_at_two_addresses_is_one_row_in_a_crawl_and_after_reextract(tmp_path):
    db_path = tmp_path / "archive.db"
    AddressesSite.home = True
    with serving(AddressesSite) as (base, _):
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path))
    assert rows_per_title(db_path) == dict.fromkeys(TITLES, 1)
    aliases = query(db_path, "SELECT url, capture_id FROM article_aliases")
    # the one the crawl paired itself (its spelling test: same section-less slug and number)
    # is an address too, as the re-extraction below finds it by its text; it was not before
    assert len(aliases) == len(TITLES), aliases
    reasons = query(db_path, "SELECT page_reason FROM captures WHERE id IN "
                             "(SELECT capture_id FROM article_aliases)")  # fmt: skip
    # the one the crawl paired keeps the crawl's reason, which names the other address too
    assert all(r["page_reason"].startswith(("another address of the article stored at ",
                                            "the same page as "))
               for r in reasons), reasons  # fmt: skip
    run_tintuc("reextract", "--db", str(db_path), "--workers", "-1")
    assert rows_per_title(db_path) == dict.fromkeys(TITLES, 1)
    assert query(db_path, "SELECT count(*) AS n FROM article_aliases")[0]["n"] == len(TITLES)


@pytest.mark.e2e
def test_an_address_met_by_a_later_crawl_is_an_alias_of_the_stored_article(tmp_path):
    db_path = tmp_path / "archive.db"
    try:
        with serving(AddressesSite) as (base, _):
            AddressesSite.home = False  # first crawl: only the section's addresses
            run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path))
            AddressesSite.home = True  # the home page now links the other addresses
            run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path))
            assert rows_per_title(db_path) == dict.fromkeys(TITLES, 1)
            aliases = query(db_path, "SELECT url FROM article_aliases")
            assert len(aliases) == len(TITLES), aliases
            run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path))
    finally:
        AddressesSite.home = True
    # a third crawl skips the stored articles and their other addresses alike
    fetched = query(db_path, "SELECT url FROM captures WHERE crawl_id = 3 AND url IN "
                             "(SELECT url FROM article_aliases UNION SELECT url FROM articles)")
    assert fetched == []


def edited_site(path: str) -> str | None:
    """WordPress answering ``/?p=N`` with the post, corrected since the section page's
    permalink ``/2025/11/bai-N/`` was read (a stale cache there, or a crawl between the two
    fetches); no canonical link."""
    if path in ("/", "/chuyen-muc/tin-tuc"):
        links = [f"/?p=10{n}" if path == "/" else f"/2025/11/bai-{n}/" for n in range(3)]
        return AddressesSite.page(None, "Tin", "".join(
            f"<div class='item'><h3><a href='{url}'>{TITLES[n]}</a></h3></div>"
            for n, url in enumerate(links)))  # fmt: skip
    for n in range(3):
        if path in (f"/?p=10{n}", f"/2025/11/bai-{n}/"):
            text = corrected(n) if path.startswith("/?p") else body_text(n)
            return AddressesSite.page(None, TITLES[n], f"<article><h1>{TITLES[n]}</h1><p "
                                      f"class='date'>1{n}/11/2025 08:00</p><p>{text}</p></article>")
    return None


@pytest.mark.e2e
def test_an_article_edited_between_the_captures_of_its_two_addresses_is_one_row(tmp_path):
    crawl = crawl_site(edited_site, tmp_path)  # before: 6 rows for 3 articles
    assert rows_per_title(crawl.db_path) == dict.fromkeys(TITLES[:3], 1)
    assert len(query(crawl.db_path, "SELECT url FROM article_aliases")) == 3
    texts = {r["text"] for r in query(crawl.db_path, "SELECT text FROM articles UNION ALL "
                                                     "SELECT text FROM article_versions")}
    assert texts == {body_text(n) for n in range(3)} | {corrected(n) for n in range(3)}
    reasons = query(crawl.db_path, "SELECT page_reason FROM captures WHERE id IN "
                                   "(SELECT capture_id FROM article_aliases)")  # fmt: skip
    assert all("an edit of its text" in r["page_reason"] for r in reasons), reasons
