"""parse_vietnamese_date and find_published."""

from __future__ import annotations

import lxml.html
import pytest

from pipelines.extractor.article import extract_article
from pipelines.extractor.dates import (
    _first_word,
    find_published,
    find_updated,
    parse_vietnamese_date,
    url_day,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("24/12/2025", "2025-12-24"),
    ("03/04/2025", "2025-04-03"),  # day first: 3 April, never 4 March
    ("12/11/2025", "2025-11-12"),
    ("3/4/2025", "2025-04-03"),
    ("03-04-2025", "2025-04-03"),
    ("24.12.2025", "2025-12-24"),
    ("16/07/2026 21:43", "2026-07-16T21:43:00+07:00"),
    ("24/12/2025 09:30:15", "2025-12-24T09:30:15+07:00"),
    ("09:30 24/12/2025", "2025-12-24T09:30:00+07:00"),
    ("09h30 ngày 05/06/2025", "2025-06-05T09:30:00+07:00"),
    ("Thứ Tư, 24/12/2025 09:30", "2025-12-24T09:30:00+07:00"),
    ("Chủ nhật, 05/01/2025 - 08:15", "2025-01-05T08:15:00+07:00"),
    ("Thứ năm, 2/11/2023, 19:20 (GMT+7)", "2023-11-02T19:20:00+07:00"),
    ("Thứ Tư, 24/12/2025 09:30:00 +07:00", "2025-12-24T09:30:00+07:00"),
    ("Cập nhật: 10/02/2025 14:05", "2025-02-10T14:05:00+07:00"),
    ("ngày 24 tháng 12 năm 2025", "2025-12-24"),
    ("Cập nhật lúc 7:05, ngày 3 tháng 4 năm 2025", "2025-04-03T07:05:00+07:00"),
    ("2025-06-17T13:43:02+0700", "2025-06-17T13:43:02+07:00"),
    ("2025-12-24T09:30:00", "2025-12-24T09:30:00+07:00"),
    ("2025-12-23T20:30:00Z", "2025-12-24T03:30:00+07:00"),  # UTC evening = next local day
    ("2025-12-24", "2025-12-24"),
    ("Đăng lúc: 9 giờ 30 phút, ngày 24/12/2025", "2025-12-24T09:30:00+07:00"),
    ("ngày 5 tháng 6 năm 2025 lúc 14 giờ 05", "2025-06-05T14:05:00+07:00"),
    ("24 tháng 12, 2025", "2025-12-24"),
    ("12/24/2025 2:30 PM", "2025-12-24T14:30:00+07:00"),  # en-US SharePoint: 24 is no month
    ("05/29/2007 09:49:00", "2007-05-29T09:49:00+07:00"),
    ("Số 12/2025/QĐ-UBND ngày 24/12/2025", "2025-12-24"),  # a document number is no date
    ("2025/12/24 09:30", "2025-12-24T09:30:00+07:00"),  # the year first
    ("Ngày xuất bản: 2025.12.24", "2025-12-24"),
    ("24/12/25 09:30", "2025-12-24T09:30:00+07:00"),  # a two-digit year
    ("Ngày đăng: 24-12-25", "2025-12-24"),
    ("24 Tháng Mười Hai 2025 09:30", "2025-12-24T09:30:00+07:00"),  # months in words
    ("Thứ Tư, ngày 24 tháng Mười hai năm 2025", "2025-12-24"),
    ("Thứ Hai, 01 Tháng Một 2024 - 07:00", "2024-01-01T07:00:00+07:00"),
    ("ngày 5 tháng Năm năm 2025", "2025-05-05"),
    ("Tháng Mười Hai 24, 2025", "2025-12-24"),  # WordPress's "F j, Y"
])
def test_formats(text: str, expected: str) -> None:
    assert parse_vietnamese_date(text) == expected


@pytest.mark.parametrize("text", ["", None, "hôm qua", "31/02/2025", "13/13/2025", "Thứ Hai",
                                  "2 giờ trước", "phiên bản 3.10.12", "tỷ số 2-1-0",
                                  "ngày 5 tháng Chạp năm 2025",  # (a lunar month)
                                  # nine months of 2025, not 9 May ("ngày 9 tháng Năm" is)
                                  "Kết quả 9 tháng năm 2025", "6 tháng năm 2024 tăng 8%"])
def test_invalid_or_missing_dates(text: str | None) -> None:
    assert parse_vietnamese_date(text) is None


def test_meta_wins_over_visible_text() -> None:
    html = ("<html><head><meta property='article:published_time' content='2025-04-03T07:00:00'>"
            "<meta property='article:modified_time' content='2025-04-05T10:00:00+07:00'></head>"
            "<body><span class='date'>01/01/2020 10:00</span></body></html>")
    assert find_published(html) == "2025-04-03T07:00:00+07:00"
    assert find_updated(html) == "2025-04-05T10:00:00+07:00"


@pytest.mark.parametrize("tag", ["<meta name='OriginalPublicationDate' content='{}'>",
                                 "<meta property='rnews:datePublished' content='{}'>"])
def test_older_vocabularies_name_the_publication_time(tag: str) -> None:
    html = (f"<html><head>{tag.format('2025-04-03T07:00:00+07:00')}</head><body>"
            "<span class='date'>01/01/2020 10:00</span></body></html>")
    assert find_published(html) == "2025-04-03T07:00:00+07:00"


def test_json_ld_then_visible_text() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
          '"datePublished": "2024-02-29T23:10:00+07:00"}</script>')
    assert find_published(f"<html><head>{ld}</head><body></body></html>") == (
        "2024-02-29T23:10:00+07:00")
    text_only = "<html><body><div class='post-date'>Thứ Sáu, 03/04/2026 06:00</div></body></html>"
    assert find_published(text_only) == "2026-04-03T06:00:00+07:00"
    assert find_published("<html><body><p>không có ngày</p></body></html>") is None


def test_a_page_that_is_not_vietnamese_keeps_the_offset_it_states() -> None:
    # a Pacific-time story of the evening of 22 December is the 22nd where it was published,
    # and the 23rd in Vietnam: a foreign page keeps its own day (same moment), a Vietnamese
    # page shows every time in +07:00; a time without an offset is Vietnam time either way
    meta = ("<html lang='{lang}'><head><meta property='article:published_time' "
            "content='2016-12-22T10:43:37-08:00'><meta property='article:modified_time' "
            "content='2016-12-23T20:00:00Z'></head><body><h1>{title}</h1><p>{body}</p></body></html>")
    english = meta.format(lang="en", title="Council votes on the harbour plan tonight",
                          body="The council met on Thursday evening to vote on the plan. " * 6)
    assert find_published(english, keep_offset=True) == "2016-12-22T10:43:37-08:00"
    assert find_updated(english, keep_offset=True) == "2016-12-23T20:00:00+00:00"
    assert find_published(english) == "2016-12-23T01:43:37+07:00"
    assert parse_vietnamese_date("2025-12-24T09:30:00", keep_offset=True) == (
        "2025-12-24T09:30:00+07:00")
    found = extract_article(english, "https://news.example.com/2016/12/harbour-plan-vote")
    assert found["published"] == "2016-12-22T10:43:37-08:00"
    vietnamese = meta.format(lang="vi", title="Hội đồng nhân dân tỉnh biểu quyết quy hoạch cảng",
                             body="Chiều nay, hội đồng nhân dân tỉnh họp phiên bất thường. " * 6)
    found = extract_article(vietnamese, "https://baotinh.vn/thoi-su/bieu-quyet-quy-hoach-cang.html")
    assert found["published"] == "2016-12-23T01:43:37+07:00"


def test_joomlas_article_info_list_gives_the_time_too() -> None:
    # Joomla's dl.article-info: only trafilatura's day was stored, so same-day articles
    # could not be ordered
    page = ("<html><body><div class='item-page'><h2 itemprop='headline'>Hội nghị tổng kết "
            "năm 2025 của tỉnh</h2><dl class='article-info'><dt>Chi tiết</dt><dd class="
            "'category-name'>Tin tức</dd><dd class='published'>Thứ Ba, 23/12/2025 11:51</dd>"
            "<dd class='hits'>Lượt xem: 12</dd></dl><p>Nội dung.</p></div></body></html>")
    assert find_published(page) == "2025-12-23T11:51:00+07:00"


def test_htmldate_reads_the_page_before_its_boxes_go() -> None:
    # a date none of tintuc's readers knows ("May 22, 2016") in a share bar: htmldate finds it
    # on the page as received; on the page without its tool bars it took the footer's year
    body = "".join(f"<p>The council met on Tuesday to discuss the new river bridge, part {i} of "
                   "the report, with many residents attending the meeting.</p>" for i in range(5))
    page = ("<html lang='en'><head><title>Council approves the new river bridge</title></head>"
            "<body><h1>Council approves the new river bridge</h1>"
            "<div class='share-tools'>Posted May 22, 2016 · Share · Print</div>"
            f"<div class='article-body'>{body}</div><footer>© 2008 Example Town</footer>"
            "</body></html>")
    found = extract_article(page, "https://example.org/news/council-bridge")
    assert found["published"] == "2016-05-22"
    assert not found["published"].startswith("2008")


@pytest.mark.parametrize("box", [
    "<div class='tin-lien-quan'><a href='/a.html'>Tin cũ một</a><span class='date'>01/03/2024"
    "</span></div>",
    "<div class='box-comments'><p class='time'>Cập nhật: 05/03/2025 21:00</p><p>Hay quá.</p>"
    "</div>",
    "<aside><div class='widget'><span class='date'>28/02/2025</span></div></aside>",
    "<blockquote class='tiktok-embed'><time datetime='2023-07-01T10:00:00'>1/7</time>"
    "</blockquote>",
])
def test_a_date_in_related_news_comments_or_a_sidebar_never_wins(box: str) -> None:
    # the story's own date comes after the box in the page: the first date after the headline
    # is the box's, which is another story's (or a reader's)
    page = ("<html lang='vi'><body><h1>Hội nghị tổng kết công tác năm của tỉnh</h1>"
            f"<div class='noi-dung'><p>Nội dung bài viết.</p>{box}"
            "<article><footer><span class='ngay-dang'>Thứ Hai, 02/03/2025 08:15</span></footer>"
            "</article></div><footer><p class='date'>Cập nhật: 01/01/2020</p></footer>"
            "</body></html>")
    assert find_published(page) == "2025-03-02T08:15:00+07:00"
    # with no date of its own, the page gives none from the box or the site's footer
    alone = page.replace("Thứ Hai, 02/03/2025 08:15", "")
    assert find_published(alone) is None


def test_a_utc_timestamp_is_told_in_the_offset_the_page_shows_it_in() -> None:
    # the meta tag gives the moment in UTC (03:28Z on the 9th); the page shows the same moment
    # on its own clock (22:28 on the 8th): the publisher's day is the 8th, at -05:00
    page = ("<html lang='{lang}'><head><meta property='article:published_time' "
            "content='2023-11-09T03:28:35+00:00'></head><body><h1>{title}</h1>"
            "<div class='post-date'>{shown}</div><p>{body}</p></body></html>")
    english = dict(lang="en", title="Council votes on the harbour plan tonight",
                   body="The council met on Thursday evening to vote on the plan.")
    found = find_published(page.format(shown="2023-11-08 22:28:35", **english), keep_offset=True)
    assert found == "2023-11-08T22:28:35-05:00"
    # another moment with its own offset is not this one's clock; no local clock: UTC stays
    other = page.format(shown="2023-11-09T09:28:35-04:00", **english)
    assert find_published(other, keep_offset=True) == "2023-11-09T03:28:35+00:00"
    # a Vietnamese page tells every time in +07:00
    vietnamese = page.format(lang="vi", shown="09/11/2023 10:28", title="Hội đồng biểu quyết",
                             body="Chiều nay, hội đồng nhân dân tỉnh họp phiên bất thường.")
    assert find_published(vietnamese) == "2023-11-09T10:28:35+07:00"


ARTICLE = ("<html lang='vi'><head><title>Tỉnh tổng kết công tác chuyển đổi số năm 2025</title>"
           "</head><body>{before}<h1>Tỉnh tổng kết công tác chuyển đổi số năm 2025</h1>{dateline}"
           "<div class='noidung'><p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công "
           "tác chuyển đổi số và triển khai nhiệm vụ của năm tới.</p></div>{after}</body></html>")
OTHER_STORIES = ("<div class='sidebar'><h3>Tin mới</h3><ul><li><a href='/a.html'>Hội nghị bàn "
                 "phát triển du lịch biển</a> <span class='date'>23/12/2025</span></li></ul></div>")


def test_the_column_holding_the_headline_is_the_articles_whatever_its_name() -> None:
    # a news site's main column named "sidebar-1": the dateline above the headline in it is the
    # article's; a sidebar beside the column is still another story's
    column = ("<div class='sidebar-1'><span class='date'>Thứ Tư, 24/12/2025, 09:30 (GMT+7)</span>"
              "<h1>Tỉnh tổng kết công tác chuyển đổi số năm 2025</h1><p>Sáng nay, hội nghị tổng "
              "kết đã diễn ra.</p></div>")
    html = f"<html><body>{column}{OTHER_STORIES}</body></html>"
    assert find_published(html) == "2025-12-24T09:30:00+07:00"
    sidebar_only = f"<html><body><h1>Tỉnh tổng kết công tác chuyển đổi số</h1>{OTHER_STORIES}"
    assert find_published(sidebar_only + "</body></html>") is None


def test_a_date_labelled_as_the_update_yields_to_the_publication_date_beside_it() -> None:
    for dateline in ("<span class='date'>Cập nhật: 26/12/2025 15:10</span> | "
                     "<span class='date'>Ngày đăng: 24/12/2025 09:30</span>",
                     "<div class='date'>Cập nhật: 26/12/2025 15:10 - Đăng lúc 09:30 24/12/2025"
                     "</div>",
                     "<span class='date'>Ngày đăng: 24/12/2025 09:30</span> "
                     "<span class='date'>Cập nhật: 26/12/2025 15:10</span>"):
        html = ARTICLE.format(before="", dateline=dateline, after="")
        assert find_published(html) == "2025-12-24T09:30:00+07:00", dateline
    # an update date alone is the only date the page gives: it stands
    alone = ARTICLE.format(before="", after="",
                           dateline="<span class='date'>Cập nhật: 26/12/2025 15:10</span>")
    assert find_published(alone) == "2025-12-26T15:10:00+07:00"
    # a bare "Đăng" before the date is the publication's label too
    bare = ARTICLE.format(before="", after="",
                          dateline="<span class='date'>Cập nhật 15:10 26/12/2025</span> "
                                   "<span class='date'>Đăng 09:30 24/12/2025</span>")
    assert find_published(bare) == "2025-12-24T09:30:00+07:00"


PUBLISHED_META = "<meta property='article:published_time' content='{}'>"


def test_a_meta_time_the_page_shows_as_its_update_yields_to_the_publication_shown() -> None:
    # the CMS writes the last update's moment as the publication's: the page itself labels it
    # "Cập nhật", and the dateline's earlier labelled moment is the publication's
    datelines = ["<div class='date'>Ngày đăng: 24/12/2025 09:30 | Cập nhật: 26/12/2025 15:10</div>",
                 "<div class='date'>24/12/2025 09:30</div><div class='meta'><span>Cập nhật:</span>"
                 " <span>26/12/2025 15:10</span></div>"]
    for dateline in datelines:
        html = ARTICLE.format(before="", dateline=dateline, after="").replace(
            "</title>", "</title>" + PUBLISHED_META.format("2025-12-26T15:10:00+07:00"))
        assert find_published(html) == "2025-12-24T09:30:00+07:00", dateline
    # a meta time the page does not show as its update still wins over an unlabelled dateline
    # (one labelled "Ngày đăng" wins: the next test)
    html = ARTICLE.format(before="", dateline=datelines[1], after="").replace(
        "</title>", "</title>" + PUBLISHED_META.format("2025-12-23T08:00:00+07:00"))
    assert find_published(html) == "2025-12-23T08:00:00+07:00"
    # and the update shown alone (no other date) leaves the meta time as it is
    html = ARTICLE.format(before="", after="",
                          dateline="<div class='date'>Cập nhật: 26/12/2025 15:10</div>").replace(
        "</title>", "</title>" + PUBLISHED_META.format("2025-12-26T15:10:00+07:00"))
    assert find_published(html) == "2025-12-26T15:10:00+07:00"


@pytest.mark.parametrize("stamp", ["1766543400", "1766543400000"])
def test_json_ld_gives_the_publication_as_unix_time(stamp: str) -> None:
    # schema.org wants ISO 8601; some CMSs write seconds or milliseconds since 1970 (UTC)
    json_ld = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
               f"\"datePublished\": {stamp}}}</script>")
    html = ARTICLE.format(before="", dateline="", after="").replace("</title>",
                                                                   "</title>" + json_ld)
    assert find_published(html) == "2025-12-24T09:30:00+07:00"
    assert find_published(html, keep_offset=True) == "2025-12-24T02:30:00+00:00"
    # a number that is no timestamp (a year, an id) is no date
    odd = html.replace(stamp, "2025")
    assert find_published(odd) is None


def test_the_empty_date_of_aspnet_is_no_date() -> None:
    assert parse_vietnamese_date("01/01/1900 00:00:00") is None
    assert parse_vietnamese_date("1/1/1900 12:00:00 AM") is None
    # the dateline of an ASP.NET page whose date field was never filled: never 1900
    url = "https://tinh.gov.vn/tin-tuc/chi-tiet.aspx?id=123"
    html = ARTICLE.format(before="", after="", dateline="<span id='ctl00_lblNgayDang' "
                          "class='date'>01/01/1900 00:00:00</span>")
    assert not (extract_article(html, url)["published"] or "").startswith("1900")


def test_a_day_the_url_stamps_is_read_before_any_guess_from_the_page() -> None:
    html = ARTICLE.format(before="", dateline="", after=OTHER_STORIES)
    for url in ("https://tinh.gov.vn/tin-tuc/tong-ket-chuyen-doi-so-20251224093000.html",
                "https://tinh.gov.vn/2025/12/24/tong-ket-chuyen-doi-so.html",
                "https://tinh.gov.vn/tin-tuc/20251224/tong-ket-chuyen-doi-so.aspx"):
        assert extract_article(html, url)["published"] == "2025-12-24", url
    # a stamp outside the story's own name is an archive's snapshot, not the story's day
    snapshot = "https://web.archive.org/web/20130217101500/http://tinh.gov.vn/tin-tuc/123.html"
    assert url_day(snapshot) is None
    # a folder of eight figures that is no day is no day's folder
    assert url_day("https://tinh.gov.vn/tin-tuc/20251324/tong-ket.aspx") is None
    assert url_day("https://tinh.gov.vn/tin-tuc/12345678/tong-ket.aspx") is None


def test_a_machine_time_without_offset_shown_seven_hours_later_is_utc() -> None:
    # the CMS writes UTC without saying so: 22:40 the day before is 05:40 on the 24th, the time
    # the dateline shows (a meta tag, JSON-LD, a <time> whose own text is the dateline)
    dateline = "<span class='date'>Thứ Tư, 24/12/2025 05:40</span>"
    meta = "<meta property='article:published_time' content='{}'>"
    json_ld = ("<script type='application/ld+json'>{{\"@type\": \"NewsArticle\", "
               "\"datePublished\": \"{}\"}}</script>")
    for markup in (meta, json_ld):
        html = ARTICLE.format(before=markup.format("2025-12-23T22:40:00"), dateline=dateline,
                              after="")
        assert find_published(html) == "2025-12-24T05:40:00+07:00", markup
    shown = "<time datetime='2025-12-23T22:40:00'>24/12/2025 05:40</time>"
    assert find_published(ARTICLE.format(before="", dateline=shown, after="")) \
        == "2025-12-24T05:40:00+07:00"
    # a clock without offset that the page shows as it is, or no clock shown: local time
    for value, line in (("2025-12-24T05:40:00", dateline), ("2025-12-23T22:40:00", ""),
                        ("2025-12-23T22:40:00",  # not seven hours: no UTC
                         "<span class='date'>24/12/2025 08:40</span>"),
                        ("2025-12-23T22:40:00",  # another story's clock
                         OTHER_STORIES.replace("23/12/2025", "24/12/2025 05:40"))):
        html = ARTICLE.format(before=meta.format(value), dateline=line, after="")
        assert find_published(html) == f"{value}+07:00", line
    # a machine time stating its offset is never shifted
    stated = ARTICLE.format(before=meta.format("2025-12-23T22:40:00+07:00"),
                            dateline=dateline, after="")
    assert find_published(stated) == "2025-12-23T22:40:00+07:00"


def test_the_last_update_is_utc_when_the_publication_time_is() -> None:
    # one CMS writes both machine times: when its publication time is UTC written without an
    # offset (the dateline shows it seven hours later), so is its last update
    meta = ("<meta property='article:published_time' content='{}'>"
            "<meta property='article:modified_time' content='2025-12-24T01:15:00'>")
    dateline = "<span class='date'>Thứ Tư, 24/12/2025 05:40</span>"
    utc = ARTICLE.format(before=meta.format("2025-12-23T22:40:00"), dateline=dateline, after="")
    assert find_updated(utc) == "2025-12-24T08:15:00+07:00"
    # a publication time the page shows as it is: both are local
    local = ARTICLE.format(before=meta.format("2025-12-24T05:40:00"), dateline=dateline, after="")
    assert find_updated(local) == "2025-12-24T01:15:00+07:00"
    # an update stating its offset is never shifted
    stated = utc.replace("2025-12-24T01:15:00'", "2025-12-24T01:15:00+07:00'")
    assert find_updated(stated) == "2025-12-24T01:15:00+07:00"


def test_a_notice_dated_only_by_its_documents_place_and_day_has_that_day() -> None:
    # an official document's dateline, "<place>, ngày … tháng … năm …", is the only date of a
    # notice that reproduces its document; the site's calendar above the headline and another
    # story's box are not the notice's
    signed = "<p style='text-align:right'><em>Hạ Long, ngày 3 tháng 04 năm 2025.</em></p>"
    clock = "<div class='clock'>Quảng Ninh, ngày 01 tháng 12 năm 2026</div>"
    html = ARTICLE.format(before=clock, dateline="", after=signed)
    assert find_published(html) == "2025-04-03"
    assert extract_article(html, "https://tinh.gov.vn/thong-bao/tb-125.html")["published"] \
        == "2025-04-03"
    # only the calendar, or the line in a box of other stories: no date read from it
    assert find_published(ARTICLE.format(before=clock, dateline="", after="")) is None
    boxed = OTHER_STORIES.replace("23/12/2025", "Hạ Long, ngày 3 tháng 04 năm 2025")
    assert find_published(ARTICLE.format(before="", dateline="", after=boxed)) is None
    # a labelled dateline still comes first
    dated = ARTICLE.format(before="", dateline="<span class='date'>24/12/2025</span>",
                           after=signed)
    assert find_published(dated) == "2025-12-24"


def test_a_machine_date_naming_the_day_only_takes_the_time_its_dateline_shows() -> None:
    # JSON-LD or a meta tag gives the day alone; the dateline below the headline tells the hour
    dateline = "<span class='pubdate'>24/12/2025 - 18:21</span>"
    json_ld = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
               "\"datePublished\": \"2025-12-24\"}</script>")
    meta = "<meta property='article:published_time' content='2025-12-24'>"
    for markup in (json_ld, meta):
        html = ARTICLE.format(before=markup, dateline=dateline, after="")
        assert find_published(html) == "2025-12-24T18:21:00+07:00", markup
        # a dateline of another day is not this day's time: the markup's day stands
        other = ARTICLE.format(before=markup, dateline=dateline.replace("24/12", "23/12"),
                               after="")
        assert find_published(other) == "2025-12-24", markup
    # no dateline: the day as the markup gives it; a dateline of midnight is a day, not a time
    assert find_published(ARTICLE.format(before=json_ld, dateline="", after="")) == "2025-12-24"
    midnight = "<time datetime='2025-12-24T00:00:00+07:00'>24/12/2025</time>"
    assert find_published(ARTICLE.format(before=meta, dateline=midnight, after="")) \
        == "2025-12-24"
    # the meta tag's day, JSON-LD's moment of that day: the moment
    both = meta + json_ld.replace("2025-12-24", "2025-12-24T11:05:00+07:00")
    assert find_published(ARTICLE.format(before=both, dateline=midnight, after="")) \
        == "2025-12-24T11:05:00+07:00"
    # a page that is not Vietnamese: a clock stating no offset would be a guess there (read as
    # +07:00), the day stands; one stating its offset is the moment
    foreign = ARTICLE.format(before=meta, dateline=dateline, after="")
    assert find_published(foreign, keep_offset=True) == "2025-12-24"
    stated = foreign.replace("24/12/2025 - 18:21", "2025-12-24T18:21:00+01:00")
    assert find_published(stated, keep_offset=True) == "2025-12-24T18:21:00+01:00"


SITE_CLOCK = "<div class='top-bar'><span class='today'>Thứ Sáu, 26/12/2025</span></div>"


@pytest.mark.parametrize("shown", ["2 giờ trước", "Hôm qua 15:30", "1 ngày trước", "35 phút trước"])
def test_a_story_dated_only_relatively_gets_no_day_from_the_sites_clock_or_other_stories(
        shown: str) -> None:
    # "2 giờ trước" tells no day without the moment it was read: the site's clock above and
    # the latest stories beside are other days; the URL's stamp, an absolute date, is kept
    url = "https://tinh.gov.vn/tin-tuc/chi-tiet-123.html"
    latest = ("<div class='box-tin-moi'><a href='/a.html'>Hội nghị bàn phát triển du lịch biển</a>"
              "<span class='date'>25/12/2025 08:15</span></div>")
    for after in (OTHER_STORIES, latest):
        html = ARTICLE.format(before=SITE_CLOCK, after=after,
                              dateline=f"<span class='date'>{shown}</span>")
        assert extract_article(html, url)["published"] is None, after
        assert extract_article(html, url.replace("123", "20251224"))["published"] == "2025-12-24"
    # above the headline, in the headline's column, the same
    above = ARTICLE.format(before=f"{SITE_CLOCK}<span class='date'>{shown}</span>",
                           after=OTHER_STORIES, dateline="")
    assert extract_article(above, url)["published"] is None
    # a relative update time leaves the publication date beside it to be read
    updated = ARTICLE.format(before="", after="", dateline="<span class='date'>Cập nhật 5 phút "
                             "trước</span> <span class='date'>Ngày đăng: 24/12/2025 09:30</span>")
    assert extract_article(updated, url)["published"] == "2025-12-24T09:30:00+07:00"


@pytest.mark.parametrize("dateline", [
    "<span class='time' data-time='1766543400'>2 giờ trước</span>",
    "<span class='date' data-timestamp='1766543400000'>Hôm qua 09:30</span>",
    "<div class='entry-meta'><span data-date='2025-12-24 09:30:00'>1 ngày trước</span></div>",
    "<span class='time' title='24/12/2025 09:30'>2 giờ trước</span>",
    # the dateline's box is read first: its <time> inside keeps the moment
    "<div class='timeinfo'><time datetime='2025-12-24T09:30:00+07:00'>1 ngày trước</time></div>",
])
def test_a_dateline_showing_a_relative_time_keeps_its_moment_in_an_attribute(dateline: str) -> None:
    html = ARTICLE.format(before=SITE_CLOCK, after=OTHER_STORIES, dateline=dateline)
    assert find_published(html) == "2025-12-24T09:30:00+07:00"


def test_what_a_dateline_shows_wins_over_its_attribute() -> None:
    html = ARTICLE.format(before="", after="", dateline="<span class='time' data-time='1766543400'>"
                          "23/12/2025 18:00</span>")
    assert find_published(html) == "2025-12-23T18:00:00+07:00"
    # an attribute is read only for a dateline showing a relative time, not for any element
    blank = ARTICLE.format(before="", after="", dateline="<span class='date'><span data-time="
                           "'1670442663'>&nbsp;</span></span>")
    assert find_published(blank) is None


def test_a_two_digit_year_is_read_on_vietnamese_pages_only() -> None:
    # elsewhere "11/02/20" may be month first, and is often the site's clock
    assert parse_vietnamese_date("Ngày đăng: 11/02/20, 07:22") == "2020-02-11T07:22:00+07:00"
    assert parse_vietnamese_date("Current time: 11/02/20, 07:22 pm", keep_offset=True) is None


def test_a_machine_clock_without_offset_takes_the_offset_json_ld_states_for_it() -> None:
    # a foreign page's meta "2020/10/04 15:05:21" and JSON-LD "…T15:05:21+08:00": the same
    # clock, whose offset JSON-LD states; read alone it would be Vietnam time
    html = ("<html lang='zh'><head><meta name='date' content='2020/10/04 15:05:21'><script "
            "type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": "
            "\"2020-10-04T15:05:21+08:00\"}</script></head><body></body></html>")
    assert find_published(html, keep_offset=True) == "2020-10-04T15:05:21+08:00"


@pytest.mark.parametrize("name", ["box-tin-moi", "tin-moi-nhat", "xem-nhieu", "most-read",
                                  "recommended-stories-timestamp"])
def test_the_latest_or_most_read_stories_are_other_stories(name: str) -> None:
    box = (f"<div class='{name}'><a href='/a.html'>Hội nghị bàn phát triển du lịch biển</a>"
           "<span class='date'>25/12/2025 08:15</span></div>")
    html = ARTICLE.format(before="", after=box, dateline="")
    assert find_published(html) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("December 24, 2025 09:30", "2025-12-24T09:30:00+07:00"),
    ("Thứ Tư, 24 Dec 2025 09:30", "2025-12-24T09:30:00+07:00"),
    ("Dec. 24, 2025 | 02:15 PM", "2025-12-24T14:15:00+07:00"),
    ("3 September 2025", "2025-09-03"),
    # a Vietnamese word that folds to an English month's name is no month
    ("Nhà máy 12, 2025", None),
    ("Mayor 3, 2025", None),
])
def test_english_month_names_are_read_on_vietnamese_pages(text: str, expected: str | None) -> None:
    assert parse_vietnamese_date(text) == expected
    # elsewhere htmldate reads them (reading them here lost as many foreign pages as it gained)
    assert parse_vietnamese_date(text, keep_offset=True) is None


def test_an_english_edition_under_vn_dates_its_stories_in_vietnam_time() -> None:
    html = ("<html lang='en'><head><title>Province wraps up its digital transformation year"
            "</title></head><body><h1>Province wraps up its digital transformation year</h1>"
            "<span class='date'>24 Dec 2025, 09:30</span><div class='content'><p>The provincial "
            "people's committee held a meeting this morning to review the year's work on "
            "digital services and to set the tasks of the coming year for every district.</p>"
            "</div></body></html>")
    assert extract_article(html, "https://en.baotinh.vn/news/review-1.html")["published"] \
        == "2025-12-24T09:30:00+07:00"
    assert extract_article(html, "https://news.example.com/review-1.html")["published"] \
        != "2025-12-24T09:30:00+07:00"


def test_a_dateline_above_the_headline_beats_the_sites_clock_above_it() -> None:
    # no date below the headline: of those above it, the nearest is the story's
    clock = "<div class='header-top'><span class='date-now'>Thứ Năm, 25/12/2025</span></div>"
    html = ARTICLE.format(before=f"{clock}<span class='detail-time'>09:30 - 24/12/2025</span>",
                          dateline="", after="")
    assert find_published(html) == "2025-12-24T09:30:00+07:00"
    # the URL's stamp of another day beats a date seen only above the headline
    only_clock = ARTICLE.format(before=clock, dateline="", after="")
    assert find_published(only_clock, url="https://baotinh.vn/2025/12/24/tong-ket.html") \
        == "2025-12-24"
    assert find_published(only_clock, url="https://baotinh.vn/tin/tong-ket.html") == "2025-12-25"


@pytest.mark.parametrize("other", [
    "<div class='ngay-ban-hanh'>Ngày ban hành: 15/12/2025</div>",
    "<div class='event-time'>Thời gian tổ chức: 15/01/2026</div>",
])
def test_a_date_labelled_as_something_elses_is_not_the_storys(other: str) -> None:
    posted = "<div class='ngay-dang'>Ngày đăng: 24/12/2025 09:30</div>"
    assert find_published(ARTICLE.format(before="", dateline=other + posted, after="")) \
        == "2025-12-24T09:30:00+07:00"
    # above the headline, the story's dateline: still the story's
    above = ARTICLE.format(before=posted.replace("Ngày đăng: ", ""), dateline=other, after="")
    assert find_published(above) == "2025-12-24T09:30:00+07:00"
    # the only date there is: better than none
    assert find_published(ARTICLE.format(before="", dateline=other, after=""))[:7] in (
        "2025-12", "2026-01")
    # a bare label is the dateline's own
    bare = "<div class='date'>Ngày: 24/12/2025 09:30</div>"
    assert find_published(ARTICLE.format(before="", dateline=other + bare, after="")) \
        == "2025-12-24T09:30:00+07:00"


def test_hatom_abbr_and_a_labelled_table_row_are_datelines() -> None:
    for dateline in ("<abbr class='published'>8 giờ 30 phút, ngày 24/12/2025</abbr>",
                     "<table><tr><td>Ngày đăng:</td><td>24/12/2025 08:30</td></tr></table>"):
        html = ARTICLE.format(before=SITE_CLOCK, dateline=dateline, after="")
        assert find_published(html) == "2025-12-24T08:30:00+07:00", dateline


def test_without_an_h1_the_element_showing_the_title_is_the_headline() -> None:
    # the site's name in the h1, the story's headline in an h2 below the site's clock
    title = "Tỉnh tổng kết công tác chuyển đổi số năm 2025"
    html = (f"<html lang='vi'><body><h1>Báo Tỉnh</h1>{SITE_CLOCK.replace('today', 'date')}"
            f"<h2>{title}</h2><div class='date'>24/12/2025 09:30</div><p>Sáng nay, hội nghị "
            "tổng kết đã diễn ra.</p></body></html>")
    assert find_published(html, title=title) == "2025-12-24T09:30:00+07:00"
    assert find_published(html) == "2025-12-26"  # (the clock, first of the page, without it)


def test_a_utc_stamp_of_the_clock_the_page_shows_is_the_pages_clock() -> None:
    # a CMS stamping its local clock "Z": read as UTC the story of 09:30 would be 16:30
    for machine in ("<meta property='article:published_time' content='2025-12-24T09:30:00Z'>",
                    "<meta property='article:published_time' content='2025-12-24T09:30:00+00:00'>"):
        shown = ARTICLE.format(before=machine, dateline="<div class='date'>24/12/2025 09:30</div>",
                               after="")
        assert find_published(shown) == "2025-12-24T09:30:00+07:00"
        # a dateline of the UTC moment in Vietnam time, or none: UTC as stamped
        local = shown.replace("24/12/2025 09:30", "24/12/2025 16:30")
        assert find_published(local) == "2025-12-24T16:30:00+07:00"
        none = ARTICLE.format(before=machine, dateline="", after="")
        assert find_published(none) == "2025-12-24T16:30:00+07:00"


def test_a_foreign_pages_meta_date_in_english_words_leaves_json_ld_to_tell() -> None:
    # read alone an English date is a Vietnamese page's form: on a foreign page the meta tag
    # that holds one is passed over, not taken and then found unreadable
    html = ("<html lang='en'><head><meta name='pubdate' content='November 20, 2019 13:42'>"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": "
            "\"2019-11-20 13:42:06+08:00\"}</script></head><body></body></html>")
    assert find_published(html, keep_offset=True) == "2019-11-20T13:42:06+08:00"
    assert find_published(html) == "2019-11-20T13:42:00+07:00"


def test_without_any_headline_the_date_nearest_above_the_storys_text_is_its_dateline() -> None:
    # only og:title names the story: no element shows it; the site's clock comes first
    html = ("<html lang='vi'><head><title>Báo Tỉnh</title><meta property='og:title' "
            "content='Tỉnh tổng kết công tác chuyển đổi số năm 2025'></head><body>"
            "<div class='header-top'><span class='date-now'>Thứ Năm, 25/12/2025</span></div>"
            "<div class='detail-head'><div class='time-post'>24/12/2025 09:30</div>"
            "</div><div class='detail-content'><p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị "
            "tổng kết công tác chuyển đổi số, đánh giá kết quả một năm triển khai các nền tảng số "
            "dùng chung và giao nhiệm vụ cho các sở, ngành trong năm tới.</p></div>"
            f"{OTHER_STORIES}</body></html>")
    assert find_published(html) == "2025-12-24T09:30:00+07:00"
    assert extract_article(html, "https://baotinh.vn/tin/tong-ket.html")["published"] \
        == "2025-12-24T09:30:00+07:00"


@pytest.mark.parametrize("day", ["Thứ Tư, 24 tháng 12, 2025", "Wednesday, December 24, 2025"])
def test_bloggers_day_header_above_the_post_title_dates_the_post(day: str) -> None:
    html = ("<html lang='vi'><head><title>Tỉnh tổng kết công tác chuyển đổi số năm 2025</title>"
            f"</head><body>{SITE_CLOCK}<div class='blog-posts hfeed'><div class='date-outer'>"
            f"<h2 class='date-header'><span>{day}</span></h2><div class='date-posts'>"
            "<div class='post hentry'><h3 class='post-title entry-title'>Tỉnh tổng kết công tác "
            "chuyển đổi số năm 2025</h3><div class='post-body entry-content'><p>Sáng nay, hội "
            "nghị tổng kết đã diễn ra.</p></div></div></div></div></div></body></html>")
    assert find_published(html, title="Tỉnh tổng kết công tác chuyển đổi số năm 2025") \
        == "2025-12-24"


@pytest.mark.parametrize("dateline", [
    "<div>Posted: 24/12/2025 09:30</div>",
    "<div>\n  <span>POSTED</span> 24/12/2025 09:30</div>",
    "<div><b>Pub</b>lished: 24/12/2025 09:30</div>",  # the label split between two pieces
    "<div>\xa0Đăng lúc 09:30 24/12/2025</div>",  # a label after a non-ASCII space
    "<div>Ngày đăng: 24/12/2025 09:30</div>",
    "<div class='Entry-DATE'>24/12/2025 09:30</div>",
    "<div class='khối-tin entry-Date'>24/12/2025 09:30</div>",  # a class name not ASCII
    "<div id='PostInfo'>24/12/2025 09:30</div>",
])
def test_the_walks_shortcuts_keep_every_label_and_date_class(dateline: str) -> None:
    # the visible-date walk tells labels and date classes without regexes where the text or
    # name is ASCII: a sentence above the dateline starting like a label ("Then", "Posters")
    # is still no dateline, and each of these still is
    read_after_decoys("<div>Then 23/12/2025 09:30 came</div><div>Posters of 23/12/2025 09:30"
                      "</div><div class='entry-content'>23/12/2025</div>", dateline)


def read_after_decoys(decoys: str, dateline: str) -> None:
    """The dateline is read (both ways: keeping the offset or not), the decoys above it not."""
    html = ARTICLE.format(before=SITE_CLOCK, dateline=decoys + dateline, after="")
    for keep_offset in (False, True):
        assert find_published(html, keep_offset)[:16] == "2025-12-24T09:30", dateline


@pytest.mark.parametrize("dateline", [
    # a label deep in wrappers, after pieces with no letter (white space, a bullet, a comment)
    "<div><!-- Then --><div>\n <span> </span>\n<p><i>Đăng</i> lúc 09:30 24/12/2025</p></div></div>",
    "<div><span>•</span> Posted: 24/12/2025 09:30</div>",  # the label in a tail
    "<div><img src='/i.png'> <b> </b>\xa0<span>Ngày đăng: 24/12/2025 09:30</span></div>",
])
def test_a_label_told_from_what_a_wrapper_holds_first_is_still_read(dateline: str) -> None:
    # the walk tells a wrapper's first words from its children's, told once for the page: a
    # wrapper whose first words are no label ("Then", a comment's text is none) stays none
    read_after_decoys("<div><!-- Posted: 23/12/2025 09:30 --><span>Then</span> 23/12/2025 "
                      "09:30</div><div><span> </span><b>Posters of 23/12/2025 09:30</b></div>",
                      dateline)


def test_an_elements_first_words_are_those_of_its_text_in_order() -> None:
    page = lxml.html.document_fromstring(
        "<div id='a'> <!-- x --> <div id='b'>\xa0<span id='c'> </span>• <i id='d'>Đăng</i> lúc"
        "</div> after</div><p id='e'> <img> </p>")
    firsts: dict = {}
    for el in page.iter():  # (in the walk's order: a wrapper before what it wraps)
        if isinstance(el.tag, str):
            pieces = list(el.itertext())
            word = next((i for i, piece in enumerate(pieces) if any(c.isalnum() for c in piece)),
                        None)
            before = pieces if word is None else pieces[:word]
            expected = (None if word is None else pieces[word],
                        0 if word is None else pieces[word].index(pieces[word].strip()[0]),
                        all(piece.isascii() for piece in before))
            assert _first_word(el, firsts) == expected, el.get("id")


def test_a_numeric_date_under_a_day_header_reads_in_the_headers_order() -> None:
    # Blogger's day header in words above the post, its timestamp in figures below the title,
    # month first on an English blog: "11/07/2025" is the 7th of November the header shows,
    # not the 11th of July (dragnet: 13 posts of 2 blogs)
    page = ("<html><head><title>Harbour notes: Ferry timetable changes this winter</title>"
            "</head><body><h2 class='date-header'>Friday, November 07, 2025</h2>"
            "<div class='post'><h3 class='post-title'>Ferry timetable changes this winter</h3>"
            "<div class='post-body'><p>The morning ferry now leaves ten minutes earlier on "
            "weekdays.</p></div>"
            "<span class='post-timestamp'>{shown} 8:15 AM</span></div></body></html>")
    title = "Ferry timetable changes this winter"
    found = find_published(page.format(shown="11/07/2025"), keep_offset=True, title=title)
    assert found[:10] == "2025-11-07"
    # figures that name another day either way are read day first, as before
    other = find_published(page.format(shown="12/07/2025"), keep_offset=True, title=title)
    assert other[:10] == "2025-07-12"
    # a Vietnamese page writes the day first, whatever a header says
    assert find_published(page.format(shown="11/07/2025"), title=title)[:10] == "2025-07-11"


@pytest.mark.parametrize("machine", ["2025-12-26T10:00:00+07:00", "2025-12-23T16:00:00+07:00"])
@pytest.mark.parametrize("label", ["Ngày đăng: ", "Ngày xuất bản: ", "Đăng lúc "])
def test_a_dateline_labelled_as_the_publication_beats_a_machine_date_that_disagrees(
        machine: str, label: str) -> None:
    # the reader is told when the story was published; a machine date of another moment (later:
    # the last save; earlier: the draft's creation) came from another field of the CMS
    meta = f"<meta property='article:published_time' content='{machine}'>"
    shown = f"<div class='date'>{label}24/12/2025 09:30</div>"
    html = ARTICLE.format(before="", dateline=shown, after="").replace("</head>", meta + "</head>")
    assert find_published(html) == "2025-12-24T09:30:00+07:00"
    # unlabelled, the dateline does not overrule the machine; labelled the same day without a
    # clock, the machine's moment of that day is kept
    bare = html.replace(label, "")
    assert find_published(bare) == machine
    day = f"<div class='date'>{label}{machine[8:10]}/{machine[5:7]}/2025</div>"
    same_day = ARTICLE.format(before="", dateline=day, after="")
    assert find_published(same_day.replace("</head>", meta + "</head>")) == machine
    # a label in another story's box is not the story's
    boxed = ARTICLE.format(before="", dateline="", after=OTHER_STORIES.replace(
        "<span class='date'>23/12/2025</span>",
        f"<span class='date'>{label}24/12/2025 09:30</span>"))
    assert find_published(boxed.replace("</head>", meta + "</head>")) == machine
    # after the story's text, in a list of the next stories in no named box, a label is theirs
    story = ("<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác chuyển đổi "
             "số và triển khai nhiệm vụ của năm tới, với đại diện các sở, ngành và địa phương.</p>")
    listed = ARTICLE.format(before="", dateline="", after=f"{story}<h3>Tin khác</h3><ul><li>"
                            f"{label}24/12/2025 09:30 - <a href='/a-1.html'>Khánh thành cầu</a>"
                            "</li></ul>")
    assert find_published(listed.replace("</head>", meta + "</head>")) == machine


@pytest.mark.parametrize(("line", "expected"), [
    ("<p class='author'>Minh Anh - 24/12/2025 09:30</p>", "2025-12-24T09:30:00+07:00"),
    ("<p style='text-align:right'><strong>Minh Anh</strong> - 24/12/2025</p>", "2025-12-24"),
    ("<p><strong>Ngày ban hành: 20/12/2025</strong></p>", "2025-12-20"),
])
def test_a_line_that_is_a_date_under_the_headline_dates_the_story_before_htmldates_guess(
        line: str, expected: str) -> None:
    # no element named or labelled as the dateline: a short line of a date (and a name) under
    # the headline is the story's, never the latest stories' dates in the sidebar, which
    # htmldate reads by their class
    story = ("<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác chuyển đổi số "
             "và triển khai nhiệm vụ của năm tới, với đại diện các sở, ngành và địa phương.</p>")
    html = ARTICLE.format(before="", dateline="", after=f"<div class='noidung2'>{story}{line}</div>"
                          + OTHER_STORIES.replace("23/12/2025", "26/12/2025 16:20"))
    assert extract_article(html, "https://baotinh.vn/tin/tong-ket.html")["published"] == expected
    # a sentence holding a date is no dateline
    sentence = ("<p>Ngày 20/12/2025, Ủy ban nhân dân tỉnh ban hành kế hoạch triển khai các nhiệm "
                "vụ trọng tâm.</p>")
    html = ARTICLE.format(before="", dateline="", after=sentence + OTHER_STORIES)
    assert extract_article(html, "https://baotinh.vn/tin/tong-ket.html")["published"] \
        != "2025-12-20"


def _undated_story(extra: str = "", lang: str = "vi") -> str:
    """A story with no dateline, no date in its markup or its URL; ``extra`` after its body."""
    body = "".join(f"<p>Đoạn {i}: tỉnh triển khai kế hoạch phát triển kinh tế xã hội vùng ven "
                   "biển, nông nghiệp, du lịch và hạ tầng giao thông trong thời gian tới.</p>"
                   for i in range(6))
    return (f"<html lang='{lang}'><head><meta charset='utf-8'><title>Tỉnh triển khai kế hoạch "
            "phát triển vùng ven biển</title></head><body><div class='article-detail'><h1>Tỉnh "
            f"triển khai kế hoạch phát triển vùng ven biển</h1>{body}</div>{extra}</body></html>")


@pytest.mark.parametrize("extra", [
    # another story's address holds a year: htmldate's last resort made it "2000-01-01"
    "<div class='related'><h3>Tin liên quan</h3><ul>" + "".join(
        f"<li><a href='/tin-tuc/lien-quan-{k}-{2000 + k}.html'>Bài liên quan số {k} về kế "
        "hoạch của tỉnh</a></li>" for k in range(3)) + "</ul></div>",
    "<footer>© 2019 Báo Thử. Giấy phép số 12/GP-BTTTT.</footer>",  # a copyright year: Jan 1st
    "<div class='archive'><a href='/luu-tru/'>Lưu trữ 2021-03</a></div>",  # a month: the 1st
])
def test_a_day_made_up_from_a_year_or_a_month_is_no_date(extra: str) -> None:
    found = extract_article(_undated_story(extra), "https://baothu.vn/tin-tuc/ke-hoach-ven-bien.html")
    assert found["published"] is None
    assert "no_date" in found["flags"]


@pytest.mark.parametrize(("shown", "day"), [
    ("Posted on 2024-03-01", "2024-03-01"),
    ("Published March 1st, 2024 by the newsroom", "2024-03-01"),
    ("Veröffentlicht am 1. März 2024", "2024-03-01"),
])
def test_a_first_of_the_month_the_page_states_is_kept(shown: str, day: str) -> None:
    found = extract_article(_undated_story(f"<div class='meta-info'>{shown}</div>", lang="en"),
                            "https://example.org/news/coastal-plan")
    assert found["published"] == day
