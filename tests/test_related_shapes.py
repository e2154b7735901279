"""Related boxes on shapes the fifteenth session's probe found wanting (48 composed pages over
four template families: a Bootstrap newspaper, WordPress, an ASP.NET table layout, SharePoint).

* an old portal's layout row holding the story and a "Tin liên quan" list under it made the
  page a listing (the row was read as the first listed item's);
* a box titled "Tin mới nhất" in a plain cell was taken for a heading-less related list;
* with no body container, a heading-less row of cards after the story was not looked at;
  an ASP.NET DataList (a table of headline rows) was not a list; a paragraph of several
  ">> headline" lines was no card;
* a card's ``data-url`` may name what its script fetches ("/api/…"), not its page;
* the classifier did not count ``data-url`` cards as teasers: a listing of them was "other".

Every page is written for the test (no publisher text).
"""

from __future__ import annotations

import lxml.html

from crawler.spiders.news import card_links
from crawler.urls import is_endpoint
from pipelines.extractor.article import extract_article
from pipelines.extractor.classify import classify_page

HOST = "https://baotinh.vn"
PAGE = f"{HOST}/giao-thong/thong-xe-cau-be-tong-51999.html"
TITLE = "Thông xe kỹ thuật cầu bê tông nối hai xã ven sông"
BODY = [
    "Chiều ngày 14 tháng 11, Ban quản lý dự án giao thông tỉnh tổ chức thông xe kỹ thuật cây cầu "
    "bê tông nối hai xã bên sông sau mười tám tháng thi công liên tục, sớm hơn dự kiến.",
    "Cây cầu dài hai trăm bốn mươi mét, rộng chín mét, có tổng mức đầu tư hơn một trăm tỷ đồng "
    "từ nguồn ngân sách tỉnh và vốn vay ưu đãi, giúp người dân không còn phải đi đò qua sông.",
    "Người dân hai xã phấn khởi mang cờ hoa ra dự lễ, nhiều cụ cao tuổi xúc động khi lần đầu "
    "tiên được đi bộ qua cầu mà không phải chờ đò như suốt mấy chục năm qua.",
]
STORIES = [("/xa-hoi/nha-van-hoa-52001.html", "Thị trấn khánh thành nhà văn hóa cộng đồng mới"),
           ("/xa-hoi/hoc-bong-52002.html", "Trường tiểu học trao học bổng cho học sinh nghèo"),
           ("/xa-hoi/cay-an-qua-52003.html", "Hội Nông dân xã tập huấn chăm sóc cây ăn quả")]
HEADLINES = [t for _, t in STORIES]
SIDEBAR = ("<div class='box'><h3>Đọc nhiều nhất</h3><ul><li><a href='/thoi-su/hop-bao-40001.html'>"
           "Họp báo định kỳ quý bốn của tỉnh năm nay</a></li></ul></div>")


def table_page(after: str) -> str:
    """An ASP.NET portal: one layout table, the story's cell holding the headline (a span),
    its date, the story and what comes under it; a sidebar cell."""
    story = "".join(f"<p>{p}</p>" for p in BODY)
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{TITLE}</title></head><body>"
            "<form id='aspnetForm'><table width='100%'><tr><td colspan='2'><a href='/'>Trang chủ"
            "</a> <a href='/giao-thong'>Giao thông</a></td></tr><tr><td valign='top'>"
            f"<span id='ctl00_lblTitle' class='tieude'>{TITLE}</span><br><span id='ctl00_lblDate'>"
            f"Ngày 14/11/2026</span><div class='content'>{story}</div>{after}</td>"
            f"<td valign='top'>{SIDEBAR}</td></tr><tr><td colspan='2'>Cơ quan chủ quản: Ủy ban "
            "nhân dân tỉnh</td></tr></table></form></body></html>")


def column_page(after: str, header: bool = False) -> str:
    """A newspaper column with no named body container: headline, date, the story's block,
    what comes under it; a sidebar column beside it."""
    story = "".join(f"<p>{p}</p>" for p in BODY)
    top = (f"<header class='entry-header'><h1>{TITLE}</h1><span>14/11/2026</span></header>"
           if header else f"<h1 class='title'>{TITLE}</h1><div class='date'>14/11/2026 16:20</div>")
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{TITLE}</title></head><body>"
            "<ul class='menu'><li><a href='/'>Trang chủ</a></li><li><a href='/xa-hoi'>Xã hội</a>"
            f"</li></ul><div class='row'><div class='col-md-8'>{top}<div class='khung'>{story}"
            f"</div>{after}</div><div class='col-md-4'>{SIDEBAR}</div></div>"
            "<div class='footer'>Cơ quan chủ quản: Ủy ban nhân dân tỉnh</div></body></html>")


def paths(result: dict) -> list[str]:
    return [r["url"].removeprefix(HOST) for r in result["related"]]


def check(result: dict, absent: list[str]) -> None:
    assert result["page_kind"] == "article", result["page_reason"]
    for p in BODY:
        assert p[:60] in result["text"]
    for phrase in absent:
        assert phrase not in result["text"], phrase


def items(shape: str = "<li><a href='{u}'>{t}</a>{after}</li>", after: str = "") -> str:
    return "".join(shape.format(u=u, t=t, after=after) for u, t in STORIES)


def test_a_related_list_in_the_layout_row_of_the_story_leaves_the_page_an_article() -> None:
    # the layout row holds the story and the box under it: its paragraphs are no cells of the
    # box's first item (a listing's run of teasers starts with its row's short cells)
    box = ("<div class='other'><h3>Tin liên quan</h3>"
           f"<ul>{items(after=' - 1.234 lượt xem')}</ul></div>")
    result = extract_article(table_page(box), PAGE)
    check(result, HEADLINES)
    assert paths(result) == [u for u, _ in STORIES]


def test_a_navigation_box_titled_in_a_plain_cell_is_no_related_list() -> None:
    box = ("<table><tr><td class='hd'>Tin mới nhất</td></tr>"
           f"<tr><td><ul>{items()}</ul></td></tr></table>")
    result = extract_article(table_page(box), PAGE)
    check(result, HEADLINES)
    assert result["related"] == []
    # titled as related news, the same box is related
    related = extract_article(table_page(box.replace("Tin mới nhất", "Tin cùng chuyên mục")), PAGE)
    assert paths(related) == [u for u, _ in STORIES]


def test_a_datalist_of_headline_rows_after_the_story_is_related() -> None:
    rows = items("<tr><td><img src='/images/bullet.gif'> <a href='{u}'>{t}</a> {after}</td></tr>",
                 after="<span>(12/11/2026)</span>")
    result = extract_article(table_page(f"<table id='ctl00_dlOtherNews'>{rows}</table>"), PAGE)
    check(result, HEADLINES)  # plain trafilatura leaves them out of the text too
    assert paths(result) == [u for u, _ in STORIES]


def test_a_row_of_cards_after_the_story_is_related_with_no_body_container() -> None:
    cards = items("<div class='col'><a href='{u}'><img src='/a.jpg' alt=''></a><h4>"
                  "<a href='{u}'>{t}</a></h4></div>")
    result = extract_article(column_page(f"<div class='row'>{cards}</div>"), PAGE)
    check(result, HEADLINES)
    assert paths(result) == [u for u, _ in STORIES]
    assert {r["found_by"] for r in result["related"]} == {"list"}
    # the same cards drawn by a script (data-url), and under a header holding the headline
    scripted = items("<div class='col' data-url='{u}'><img src='/a.jpg' alt=''><h4>{t}</h4></div>")
    result = extract_article(column_page(f"<div class='row'>{scripted}</div>", True), PAGE)
    assert paths(result) == [u for u, _ in STORIES]
    # a titled box after the story ends what is looked at: the sidebar-like list after it
    # (no title of its own) is the page's
    titled = ("<div class='box'><h3>Thông tin cần biết</h3><p>Đường dây nóng 1900 1234</p></div>"
              f"<div class='row'>{cards}</div>")
    assert extract_article(column_page(titled), PAGE)["related"] == []


def test_a_paragraph_of_arrow_lines_is_related() -> None:
    lines = "<br>".join(f"&gt;&gt; <a href='{u}'>{t}</a>" for u, t in STORIES[:2])
    html = column_page("").replace("<div class='khung'>", "<div class='article-content'>")
    result = extract_article(html.replace(f"{BODY[-1]}</p>", f"{BODY[-1]}</p><p>{lines}</p>"),
                             PAGE)
    check(result, HEADLINES[:2])
    assert paths(result) == [u for u, _ in STORIES[:2]]
    # a line that says more than the arrow and the headline is the story's
    said = lines.replace("&gt;&gt; <a", "&gt;&gt; Theo tin từ cơ sở, xem thêm <a", 1)
    result = extract_article(html.replace(f"{BODY[-1]}</p>", f"{BODY[-1]}</p><p>{said}</p>"),
                             PAGE)
    assert HEADLINES[0] in result["text"]


def test_what_a_card_s_script_fetches_is_no_page() -> None:
    assert is_endpoint("/api/news/12") and is_endpoint("https://h.vn/wp-json/wp/v2/posts/5")
    assert is_endpoint("/ajax.php?id=5") and is_endpoint("/Handler/News.ashx?id=5")
    assert not is_endpoint("/the-thao/ajax-thang-dam-psv-123.html")
    card = ("<div class='card' data-url='/api/news/52001'><img src='/a.jpg' alt=''>"
            f"<h3>{HEADLINES[0]}</h3></div>")
    page = f"<html><body>{card}</body></html>".encode()
    assert card_links(page, f"{HOST}/xa-hoi") == []
    box = (f"<div class='box'><h3>Tin liên quan</h3>{card}<div class='card' data-url="
           f"'{STORIES[1][0]}'><h3>{HEADLINES[1]}</h3></div></div>")
    assert paths(extract_article(column_page(box), PAGE)) == [STORIES[1][0]]


def test_a_listing_of_data_url_cards_is_a_listing() -> None:
    cards = "".join(f"<div class='card' data-url='{u}'><img src='/a.jpg'><span>{t}</span></div>"
                    for u, t in STORIES + [("/xa-hoi/bai-52004.html", "Công an xã diễn tập "
                                            "phương án phòng cháy chữa cháy")])
    html = (f"<html lang='vi'><head><title>Xã hội</title></head><body><h1>Xã hội</h1>"
            f"<div class='list'>{cards}</div></body></html>")
    tree = lxml.html.fromstring(html)
    assert classify_page(tree, f"{HOST}/xa-hoi")[0] == "listing"
    # a story an infinite scroll names by data-url is no card: its text is the story's
    story = "".join(f"<p>{p}</p>" for p in BODY)
    html = (f"<html lang='vi'><head><title>{TITLE}</title></head><body>"
            f"<article data-url='{PAGE}'><h1>{TITLE}</h1><div class='date'>14/11/2026 16:20</div>"
            f"{story}</article></body></html>")
    assert classify_page(lxml.html.fromstring(html), PAGE)[0] == "article"
