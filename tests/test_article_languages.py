"""An article's copies in other languages (fourteenth session): a provincial portal's English
version of a story, named by ``<link rel="alternate" hreflang="en">``, is an article of its own
(its own text), and the two are linked: ``article_languages`` (migration m016), read both ways.

Before: a crawl of three Vietnamese articles, two with English copies under ``/en/``, stored
the five articles and nothing said which was a translation of which. Every page is written
for the test (no publisher text).
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

import pytest
import sqlite_utils
from conftest import query, run_tintuc, send_page, serving

from pipelines.archive.schema import migrations, open_archive
from pipelines.archive.store import save_articles
from pipelines.extractor.article import extract_article

TITLES = ["Xã Tiên Lãng khánh thành cầu dân sinh qua kênh Hòa Bình",
          "Huyện Vĩnh Bảo tổ chức hội thi nhà nông đua tài giỏi",
          "Phường Cát Dài ra mắt mô hình tổ dân phố không rác thải"]  # fmt: skip
ENGLISH = ["Tien Lang commune opens a footbridge over the Hoa Binh canal",
           "Vinh Bao district holds a contest for skilled farmers"]  # fmt: skip


def alternate(lang: str, href: str) -> str:
    return f"<link rel='alternate' hreflang='{lang}' href='{href}'>"


def page(lang: str, title: str, body: str, head: str = "", after: str = "") -> bytes:
    return (f"<html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>{head}"
            f"</head><body><nav><a href='/'>Trang chủ</a></nav><main><article><h1>{title}</h1>"
            f"<p class='date'>12/11/2025 08:00</p>{body}</article>{after}</main>"
            "<footer><p>Cổng thông tin điện tử huyện.</p></footer></body></html>").encode()


def vietnamese(n: int, head: str = "", after: str = "") -> bytes:
    return page("vi", TITLES[n], (
        f"<p>Sáng 1{n}/11, {TITLES[n].lower()} trước sự chứng kiến của lãnh đạo địa phương và "
        "đông đảo bà con trong vùng.</p>"
        f"<p>Công trình do nhân dân đóng góp {n + 2} phần mười kinh phí, thi công trong bốn "
        "tháng, vượt tiến độ đề ra.</p><p>Theo chủ đầu tư, công trình giúp hàng trăm hộ dân đi "
        "lại thuận tiện hơn vào mùa mưa bão.</p>"), head, after)  # fmt: skip


def english(n: int, head: str = "") -> bytes:
    return page("en", ENGLISH[n], (
        "<p>On the morning of November 10, the commune opened a bridge built with "
        "contributions from local people, in the presence of district leaders.</p>"
        "<p>The project took four months and was completed ahead of schedule, helping "
        "hundreds of households travel more easily in the rainy season.</p>"), head)  # fmt: skip


def test_the_page_s_copies_in_other_languages_on_its_site_without_the_traps():
    url = "https://baotinh.vn/tin/bai-0.html"
    head = (alternate("vi", "/tin/bai-0.html")  # the page itself
            + alternate("en", "/en/news/article-0.html")
            + alternate("zh-Hans", "https://www.baotinh.vn/zh/bai-0.html?utm_source=x")
            + alternate("x-default", "/chon-ngon-ngu")  # a chooser, no language
            + alternate("fr", "https://english.example.org/fr/bai-0.html")  # another site
            + alternate("ko", "/ko/bai-0.html#top").replace("alternate", "alternate nofollow")
            + "<link rel='canonical' href='https://baotinh.vn/tin/bai-0.html'>"
            + alternate("vi-VN", "https://baotinh.vn/tin/bai-0.html?utm_medium=fb")  # itself
            # in its own language: another address of the same text, no translation
            + alternate("vi", "https://m.baotinh.vn/amp/tin/bai-0.html")
            # a site-wide language switch: the English home page, the site's home page
            + alternate("en", "/en/") + alternate("en-US", "https://baotinh.vn/"))
    result = extract_article(vietnamese(0, head), url)
    assert result["languages"] == [
        {"lang": "en", "url": "https://baotinh.vn/en/news/article-0.html"},
        {"lang": "zh-hans", "url": "https://www.baotinh.vn/zh/bai-0.html"},
        {"lang": "ko", "url": "https://baotinh.vn/ko/bai-0.html"},
    ]
    # an English copy whose template still says lang="vi": the hreflang it gives itself
    # tells its language, and the Vietnamese original is its copy
    english_copy = "https://baotinh.vn/en/news/article-0.html"
    head = alternate("en", english_copy) + alternate("vi", "/tin/bai-0.html")
    template = english(0, head).replace(b"<html lang='en'>", b"<html lang='vi'>")
    result = extract_article(template, english_copy)
    assert result["languages"] == [{"lang": "vi", "url": url}]
    # a page naming no other language has none; its canonical URL is itself, not a copy
    assert extract_article(vietnamese(1), "https://baotinh.vn/tin/bai-1.html")["languages"] == []


EN = "https://baotinh.vn/en/news/article-0.html"
VI = "https://baotinh.vn/tin/bai-0.html"


def stored(url: str, title: str, languages: list | None, seen: str) -> dict:
    return {"url": url, "site": "baotinh", "title": title, "text": f"{title}.",
            "languages": languages, "fetched": seen}  # fmt: skip


def test_the_archive_records_a_page_s_copies_and_keeps_their_first_seen(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    first, later = "2025-11-12T01:00:00+00:00", "2025-11-13T01:00:00+00:00"
    save_articles(db, [stored(VI, TITLES[0], [{"lang": "en", "url": EN},
                                              {"lang": "vi", "url": VI}], first)])  # fmt: skip
    rows = list(db.query("SELECT url, other_url, other_lang, first_seen, last_seen "
                         "FROM article_languages"))  # fmt: skip
    assert rows == [{"url": VI, "other_url": EN, "other_lang": "en", "first_seen": first,
                     "last_seen": first}]  # fmt: skip
    # seen again with one more copy: the first keeps its first_seen
    save_articles(db, [stored(VI, TITLES[0], [{"lang": "en", "url": EN},
                                              {"lang": "fr", "url": VI + "?fr"}], later)])
    rows = {r["other_url"]: r for r in db.query("SELECT * FROM article_languages")}
    assert (rows[EN]["first_seen"], rows[EN]["last_seen"]) == (first, later)
    assert rows[VI + "?fr"]["first_seen"] == later
    # an extraction that did not read them (a document) leaves them; so does a new capture
    # that names none (a template without hreflang links): the page no longer naming a copy
    # is no news that it is not one, and each row says when a capture last named it
    save_articles(db, [stored(VI, TITLES[0], None, later)])
    assert db["article_languages"].count == 2
    latest = "2025-11-14T01:00:00+00:00"
    save_articles(db, [{**stored(VI, TITLES[0], [], latest), "capture_id": 3}])
    assert {r["other_url"]: r["last_seen"] for r in db["article_languages"].rows} == {
        EN: later, VI + "?fr": later}
    # capture 3 read again (tintuc reextract) by an extractor that now reads a copy there:
    # the copies only earlier captures named stay
    save_articles(db, [{**stored(VI, TITLES[0], [{"lang": "en", "url": EN}], latest),
                        "capture_id": 3}])  # fmt: skip
    assert {r["other_url"]: r["last_seen"] for r in db["article_languages"].rows} == {
        EN: latest, VI + "?fr": later}
    # and read again once more by one that rejects it: the copy it had named there goes
    save_articles(db, [{**stored(VI, TITLES[0], [], latest), "capture_id": 3}])
    assert {r["other_url"] for r in db["article_languages"].rows} == {VI + "?fr"}
    db.close()


def test_m016_adds_the_table_to_an_older_archive_and_keeps_its_articles(tmp_path):
    path = tmp_path / "archive.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m016_article_languages")
    old["articles"].insert({"url": VI, "site": "baotinh", "title": TITLES[0]})
    assert not old["article_languages"].exists()
    old.close()
    db = open_archive(path)  # runs m016
    assert db["article_languages"].exists()
    assert db["article_languages"].pks == ["url", "other_url"]
    assert [r["url"] for r in db["articles"].rows] == [VI]
    assert {"other_url"} in [set(i.columns) for i in db["article_languages"].indexes]
    db.close()


class LanguagesSite(BaseHTTPRequestHandler):
    """Three Vietnamese articles: the first with an English copy linked both ways (and an
    ``x-default``, its own ``hreflang``), the second with one the English page does not link
    back, the third naming an English edition on another site and itself."""

    def do_GET(self):  # noqa: N802 - http.server's name
        path = unquote(self.path)
        english_link = "<a href='/en/news/article-{}.html'>English</a>"
        pages = {
            "/": page("vi", "Trang chủ", "".join(
                f"<div class='item'><h3><a href='/tin/bai-{n}.html'>{TITLES[n]}</a></h3></div>"
                for n in range(3))),  # fmt: skip
            "/tin/bai-0.html": vietnamese(0, alternate("vi", "/tin/bai-0.html")
                                          + alternate("en", "/en/news/article-0.html")
                                          + alternate("x-default", "/tin/bai-0.html"),
                                          english_link.format(0)),  # fmt: skip
            "/en/news/article-0.html": english(0, alternate("vi", "/tin/bai-0.html")
                                               + alternate("en", "/en/news/article-0.html")),
            "/tin/bai-1.html": vietnamese(1, alternate("en", "/en/news/article-1.html"),
                                          english_link.format(1)),  # fmt: skip
            "/en/news/article-1.html": english(1),
            "/tin/bai-2.html": vietnamese(2, alternate("en", "https://english.example.org/b2")
                                          + alternate("vi", "/tin/bai-2.html")),
        }
        send_page(self, pages.get(path))

    def log_message(self, *args):
        pass


@pytest.mark.e2e
def test_a_crawl_stores_both_copies_linked_and_reextract_fills_older_captures(tmp_path):
    db_path = tmp_path / "archive.db"
    with serving(LanguagesSite) as (base, _):
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path))

    def links() -> set:
        return {(r["url"].removeprefix(base), r["other_url"].removeprefix(base), r["other_lang"])
                for r in query(db_path, "SELECT * FROM article_languages")}  # fmt: skip

    languages = {r["url"].removeprefix(base): r["language"]
                 for r in query(db_path, "SELECT url, language FROM articles")}  # fmt: skip
    assert languages == {"/tin/bai-0.html": "vi", "/tin/bai-1.html": "vi",
                         "/tin/bai-2.html": "vi", "/en/news/article-0.html": "en",
                         "/en/news/article-1.html": "en"}  # both copies kept, each an article
    expected = {("/tin/bai-0.html", "/en/news/article-0.html", "en"),
                ("/en/news/article-0.html", "/tin/bai-0.html", "vi"),
                ("/tin/bai-1.html", "/en/news/article-1.html", "en")}
    assert links() == expected
    # an archive crawled before m016: reextract reads the links from the stored captures
    with sqlite_utils.Database(db_path) as db:
        db.execute("DELETE FROM article_languages")
        db.conn.commit()
    run_tintuc("reextract", "--db", str(db_path), "--workers", "-1")
    assert links() == expected
