"""A re-crawl never takes away what the archive holds of an article.

The site changes a stored article between two crawls: corrects its date, changes its related
block, loses its dateline and byline in a new template, shows another lead image, "updated"
time or attached file, stops naming its copy in another language, fills its scripted box
with other ids. Each correction is stored (the old values versioned), each link the block
dropped is kept in ``related_links_gone`` (ids in ``related_ids_gone``), and what the new
template no longer shows keeps its stored value.
"""

from __future__ import annotations

import json

import pytest
from conftest import query, run_tintuc, serve_pages

STORIES = ("ngay-sua", "khoi-lien-quan", "mat-dong-ngay")
LEAD = "Tỉnh công bố kế hoạch hạ tầng ven biển với tổng vốn hơn 12.000 tỷ đồng đến năm 2030."


def story_page(slug: str, *, date: str = "24/11/2026 08:30", byline: bool = True,
               related: tuple[int, ...] = (1, 2, 3), lead: str = "") -> str:
    """``lead``: "sapo", a lead the page marks as its sapo; "plain", the same as a paragraph."""
    paragraphs = "".join(
        f"<p>Đoạn {n} của bài {slug}: tỉnh triển khai kế hoạch phát triển hạ tầng giao thông "
        f"vùng ven biển, nâng cao đời sống người dân và thu hút đầu tư năm {2020 + n}.</p>"
        for n in range(8))  # fmt: skip
    links = "".join(f"<li><a href='/tin-tuc/{slug}-lien-quan-so-{k}.html'>Bài liên quan số {k} "
                    f"của {slug} về kế hoạch</a></li>" for k in related)  # fmt: skip
    return ("<html lang='vi'><head><meta charset='utf-8'><title>Bài " + slug + "</title></head>"
            f"<body><nav><a href='/'>Trang chủ</a></nav><div class='detail'><h1>Tỉnh công bố "
            f"kế hoạch {slug} năm 2027</h1><div class='date'>{date}</div>"
            + {"sapo": f"<h2 class='sapo'>{LEAD}</h2>", "plain": f"<p>{LEAD}</p>", "": ""}[lead]
            + paragraphs
            + ("<p class='author'>Trần Minh Đức</p>" if byline else "")
            + f"</div><div class='related'><h3>Tin liên quan</h3><ul>{links}</ul></div>"
            "<footer>Báo Thử</footer></body></html>")  # fmt: skip


def home_page(slugs) -> str:
    """The site's home page: a headline link to each story."""
    return "<html><body>" + "".join(
        f"<h3><a href='/tin-tuc/{s}.html'>Tỉnh công bố kế hoạch {s} năm 2027</a></h3>"
        for s in slugs) + "</body></html>"


def site(path: str, changed: list[bool]):
    if path == "/":
        return home_page(STORIES)
    slug = path.removeprefix("/tin-tuc/").removesuffix(".html")
    if slug not in STORIES:
        return None
    if not changed[0]:
        return story_page(slug)
    return {"ngay-sua": lambda: story_page(slug, date="25/11/2026 14:00"),
            "khoi-lien-quan": lambda: story_page(slug, related=(1, 4)),
            "mat-dong-ngay": lambda: story_page(slug, date="", byline=False)}[slug]()


def crawl_before_and_after(site_page, db_path) -> None:
    """Two ``--full`` crawls of ``site_page(path, changed)`` into ``db_path``: ``changed[0]``
    False for the first, True for the second (the site has changed the article)."""
    changed = [False]
    with serve_pages(lambda path: site_page(path, changed)) as (base, _):
        crawl = ("crawl", "--start-url", base + "/", "--db", str(db_path), "--full")
        run_tintuc(*crawl)
        changed[0] = True
        run_tintuc(*crawl)


@pytest.mark.e2e
def test_a_recrawl_stores_corrections_and_loses_nothing_the_page_stopped_showing(tmp_path):
    db_path = tmp_path / "archive.db"
    crawl_before_and_after(site, db_path)
    rows = {r["url"].rsplit("/", 1)[1]: r for r in query(db_path, "SELECT * FROM articles")}
    assert set(rows) == {f"{s}.html" for s in STORIES}
    # a corrected date: the new one stored, the old one versioned
    assert rows["ngay-sua.html"]["published"] == "2026-11-25T14:00:00+07:00"
    versions = query(db_path, "SELECT published FROM article_versions WHERE article_id = ?",
                     [rows["ngay-sua.html"]["id"]])  # fmt: skip
    assert versions == [{"published": "2026-11-24T08:30:00+07:00"}]
    # a changed related block: stored as it is, the dropped links kept as gone
    source = rows["khoi-lien-quan.html"]["url"]
    current = query(db_path, "SELECT to_url FROM related_links WHERE from_url = ? ORDER BY "
                             "position", [source])  # fmt: skip
    assert [r["to_url"].rsplit("-", 1)[1] for r in current] == ["1.html", "4.html"]
    gone = query(db_path, "SELECT to_url, gone FROM related_links_gone WHERE from_url = ?",
                 [source])  # fmt: skip
    assert sorted(r["to_url"].rsplit("-", 1)[1] for r in gone) == ["2.html", "3.html"]
    assert all(r["gone"] for r in gone)
    # a template without dateline and byline: the stored date and author stay
    lost = rows["mat-dong-ngay.html"]
    assert (lost["published"], lost["author"]) == ("2026-11-24T08:30:00+07:00", "Trần Minh Đức")


def lost_dateline_site(path: str, changed: list[bool]):
    if path == "/":
        return "<html><body><h3><a href='/tin-tuc/mat-sapo.html'>Tỉnh công bố kế hoạch</a></h3>"
    if path != "/tin-tuc/mat-sapo.html":
        return None
    if changed[0]:  # a new template: no dateline, the sapo a paragraph like the others
        return story_page("mat-sapo", date="", lead="plain")
    return story_page("mat-sapo", lead="sapo")


@pytest.mark.e2e
def test_reextract_after_a_recrawl_keeps_what_the_earlier_capture_gave(tmp_path):
    """The second crawl's capture shows no dateline and no sapo apart: the row keeps the first
    capture's, and names the second capture. ``tintuc reextract`` reads that capture again
    and finds neither: no judgement on them, they stay."""
    db_path = tmp_path / "archive.db"
    crawl_before_and_after(lost_dateline_site, db_path)
    (before,) = query(db_path, "SELECT * FROM articles")
    assert (before["published"], before["description"]) == ("2026-11-24T08:30:00+07:00", LEAD)
    run_tintuc("reextract", "--db", str(db_path), "--workers", "-1")
    (after,) = query(db_path, "SELECT * FROM articles")
    assert after["capture_id"] == before["capture_id"]
    assert (after["published"], after["description"]) == ("2026-11-24T08:30:00+07:00", LEAD)
    assert query(db_path, "SELECT count(*) AS n FROM article_versions") == [{"n": 0}]


def restated_page(changed: bool) -> str:
    """The same story, with another lead image, "updated" time and attached file the second
    time: the link to the file keeps its words, so the text is the same."""
    n = 2 if changed else 1
    head = (f"<meta property='og:image' content='/anh/anh-chinh-{n}.jpg'><meta property="
            f"'article:modified_time' content='2026-11-2{4 + n}T09:00:00+07:00'></head>")
    document = f"<p>Quyết định kèm theo: <a href='/files/quyet-dinh-{n}.pdf'>Tải về</a></p>"
    page = story_page("anh-dinh-kem").replace("</head>", head, 1)
    return page.replace("<p class='author'>", document + "<p class='author'>", 1)


def restated_site(path: str, changed: list[bool]):
    if path == "/":
        return "<html><body><h3><a href='/tin-tuc/anh-dinh-kem.html'>Tỉnh công bố kế hoạch</a>"
    return restated_page(changed[0]) if path == "/tin-tuc/anh-dinh-kem.html" else None


@pytest.mark.e2e
def test_a_recrawl_keeps_the_earlier_lead_image_update_time_and_attachments(tmp_path):
    """The site gives its article another lead image, "updated" time and attached file: the
    row shows the new ones, ``article_versions`` the first capture's (before m019 the row
    kept the first capture's and the new ones were stored nowhere but in the WARC)."""
    db_path = tmp_path / "archive.db"
    crawl_before_and_after(restated_site, db_path)
    (row,) = query(db_path, "SELECT * FROM articles")
    assert row["image"].endswith("/anh/anh-chinh-2.jpg")
    assert row["updated"] == "2026-11-26T09:00:00+07:00"
    assert [a["url"].rsplit("/", 1)[1] for a in json.loads(row["attachments"])] == [
        "quyet-dinh-2.pdf"]
    (version,) = query(db_path, "SELECT * FROM article_versions")
    assert version["image"].endswith("/anh/anh-chinh-1.jpg")
    assert version["updated"] == "2026-11-25T09:00:00+07:00"
    assert [a["url"].rsplit("/", 1)[1] for a in json.loads(version["attachments"])] == [
        "quyet-dinh-1.pdf"]
    assert version["text"] == row["text"]
    assert 0 < version["capture_id"] < row["capture_id"]  # the first crawl's capture


FATES = ("giu-nguyen", "trang-loi", "bao-tri", "ve-trang-chu", "ban-goc")


def fates_site(path: str, changed: list[bool]):
    """Five stories; at the second crawl one is the same, one an error page, one the site's
    maintenance page (both served with 200), one redirects to the home page, and one names
    another address of the same story as its canonical URL."""
    if path == "/tin-tuc/ban-chinh.html":
        return story_page("ban-goc")
    if path == "/":
        return home_page(FATES)
    slug = path.removeprefix("/tin-tuc/").removesuffix(".html")
    if slug not in FATES:
        return None
    if not changed[0] or slug == "giu-nguyen":
        return story_page(slug)
    if slug == "ban-goc":
        return story_page(slug).replace(
            "</head>", "<link rel='canonical' href='/tin-tuc/ban-chinh.html'></head>", 1)
    notice = {"trang-loi": ("Đã có lỗi xảy ra", "Hệ thống gặp sự cố, vui lòng thử lại sau."),
              "bao-tri": ("Thông báo bảo trì", "Website đang được nâng cấp bảo trì, xin quý "
                          "độc giả vui lòng quay lại sau ít phút. Xin cảm ơn.")}.get(slug)
    if notice is None:
        return 302, {"Location": "/"}, b""
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{notice[0]}</title></head>"
            f"<body><nav><a href='/'>Trang chủ</a></nav><h1>{notice[0]}</h1><p>{notice[1]}</p>"
            "<footer>Báo Thử</footer></body></html>")


@pytest.mark.e2e
def test_reextract_after_a_recrawl_counts_each_page_once_and_keeps_the_crawls_reasons(tmp_path):
    """Five stored articles, four of them met again as an error page, a maintenance page, a
    redirect and a page naming another address as canonical: ``tintuc reextract`` reads again
    the five articles' captures and the pages the crawl judged no article, and says which is
    which (it said "6 unchanged" for 5 articles: the canonical page, read as an article, is
    the stored one again). It keeps the reasons the crawl gave (read as any page, the error
    and maintenance pages became "no date near the headline", the redirect "empty or
    unreadable page")."""
    db_path = tmp_path / "archive.db"
    crawl_before_and_after(fates_site, db_path)
    assert query(db_path, "SELECT count(*) AS n FROM articles") == [{"n": 5}]
    decided = ("SELECT c.url, c.page_kind, c.page_reason FROM captures c WHERE c.id IN (SELECT "
               "max(id) FROM captures WHERE page_kind IS NOT NULL GROUP BY url) ORDER BY c.url")
    before = query(db_path, decided)
    reasons = {r["url"].rsplit("/", 1)[1]: r["page_reason"] for r in before}
    assert reasons["trang-loi.html"].startswith("an error page served as a page")
    assert reasons["bao-tri.html"].startswith("the site's maintenance page served as a page")
    assert reasons["ve-trang-chu.html"].startswith("sends its visitor on to")
    out = run_tintuc("reextract", "--db", str(db_path), "--workers", "-1").stdout
    after = {r["url"]: r for r in query(db_path, decided)}
    for row in before:  # the canonical page, read again as the stored article, says so now
        assert row["url"].endswith("/ban-goc.html") or after[row["url"]] == row
    # the 5 articles' captures; the last capture of the home page, the error page, the
    # maintenance page and the canonical one; not the redirect, whose body is no page
    assert out.splitlines() == [
        "9 pages read again: 5 stored articles (0 changed, 5 unchanged, 0 kept, 0 failed); "
        "4 pages judged no article by the crawl (0 new articles, 3 still no article, 1 read as "
        "an article already stored (0 changed it))"]


def translated_site(path: str, changed: list[bool]):
    """A story whose page names its English copy at the first crawl, and no longer does in
    the second (a new template without ``hreflang`` links)."""
    if path == "/":
        return "<html><body><h3><a href='/tin-tuc/ban-dich.html'>Tỉnh công bố kế hoạch</a></h3>"
    if path == "/en/news/translation.html":
        return ("<html lang='en'><head><meta charset='utf-8'><title>The province's plan</title>"
                "</head><body><h1>The province announces its coastal plan for 2027</h1>"
                + "<p>The province will build roads along the coast, officials said.</p>" * 6
                + "</body></html>")
    if path != "/tin-tuc/ban-dich.html":
        return None
    page = story_page("ban-dich")
    return page if changed[0] else page.replace(
        "</head>", "<link rel='alternate' hreflang='en' href='/en/news/translation.html'></head>")


@pytest.mark.e2e
def test_a_recrawl_and_reextract_keep_a_copy_in_another_language_the_page_stopped_naming(
        tmp_path):
    """The row linking an article to its English copy was deleted when a capture no longer
    named it: the link is kept, its ``last_seen`` saying when a capture last named it, and
    ``tintuc reextract``, reading the second capture again, keeps it too."""
    db_path = tmp_path / "archive.db"
    crawl_before_and_after(translated_site, db_path)
    copies = "SELECT url, other_url, other_lang, first_seen, last_seen FROM article_languages"
    (link,) = query(db_path, copies)
    assert (link["url"].rsplit("/", 1)[1], link["other_url"].rsplit("/", 1)[1],
            link["other_lang"]) == ("ban-dich.html", "translation.html", "en")  # fmt: skip
    (article,) = query(db_path, "SELECT last_seen FROM articles WHERE url = ?", [link["url"]])
    assert link["last_seen"] < article["last_seen"]  # named by the first capture only
    run_tintuc("reextract", "--db", str(db_path), "--workers", "-1")
    assert query(db_path, copies) == [link]


def scripted_box_site(path: str, changed: list[bool]):
    """A story whose "Tin liên quan" box the site's script fills from article ids: other ids
    at the second crawl, the same text."""
    if path == "/":
        return "<html><body><h3><a href='/tin-tuc/hop-so.html'>Tỉnh công bố kế hoạch</a></h3>"
    if path != "/tin-tuc/hop-so.html":
        return None
    ids = "103" if changed[0] else "101,102"
    box = f"<div data-component-type='tin_lienquan' data-component-value='{ids}'></div>"
    return story_page("hop-so").replace("<footer>", box + "<footer>", 1)


@pytest.mark.e2e
def test_a_recrawl_keeps_the_ids_a_script_filled_block_held(tmp_path):
    """The ids of a script-filled block were replaced by the next capture's (or, under the
    same text, not read again): the block is stored as it is now, the earlier ids kept in
    ``related_ids_gone``."""
    db_path = tmp_path / "archive.db"
    crawl_before_and_after(scripted_box_site, db_path)
    assert [(r["block"], r["ids"]) for r in query(db_path, "SELECT * FROM related_ids")] == [
        ("Tin liên quan", '["103"]')]
    (gone,) = query(db_path, "SELECT * FROM related_ids_gone")
    assert (gone["block"], gone["ids"]) == ("Tin liên quan", '["101", "102"]')
    assert gone["gone"] and gone["crawl_id"] == 2
