"""Widgets and page columns are never the story's text: a date picker's calendar, the readers'
aggregate rating, and the boxes a layout table's story cell holds below the story (a portal
of about 2012: menu row, a column of boxes, the story's cell, a floating calendar). Every page
is written for the test (no publisher text)."""

from __future__ import annotations

import lxml.html

from pipelines.extractor.article import extract_article
from pipelines.extractor.boxes import _drop_widgets

URL = "https://baotinh.vn/giao-duc/lang-on-thi-o-thu-do-c216a508182.html"
TITLE = "Một ngày trong làng ôn thi công chức ở thủ đô"
SAPO = ("(giáo dục) - Làng ôn thi là khu nhà trọ giá rẻ nơi hàng nghìn sinh viên tới ở "
        "hàng năm để chuẩn bị cho kỳ thi tuyển công chức của thành phố.")
CAPTIONS = [
    "Khu phố chừng ba vạn cư dân này còn được gọi là làng ôn thi, nơi các thí sinh thuê "
    "những căn phòng nhỏ để học suốt ngày đêm trước kỳ thi.",
    "Nhiều người trẻ tốt nghiệp các trường ít tên tuổi cho rằng một chỗ làm trong cơ quan nhà "
    "nước là con đường chắc chắn nhất sau khi ra trường.",
    "Một thí sinh hai mươi bảy tuổi học bài trong căn phòng rộng chưa đầy ba mét vuông.",
    "Nhà ăn chung của khu trọ mở cửa từ sáng sớm đến nửa đêm.",
    "Các thí sinh xếp hàng đi bỏ phiếu sớm trước ngày thi.",
]
SOURCE = "Theo Hoàng Lan (Báo Giáo dục/Reuters)"
RATING = "(5120 bình chọn, 9/10 điểm)"


def calendar() -> str:
    """A date picker: month and year drop-downs, a close button, the weekday row."""
    months = "".join(f"<option value='{n}'>Tháng {n + 1}</option>" for n in range(12))
    days = "".join(f"<td>{day}</td>" for day in ("CN", "T2", "T3", "T4", "T5", "T6", "T7"))
    return (f"<table id='calendar'><tbody><tr><td colspan='4'><select>{months}</select></td>"
            "<td colspan='2'><select><option>2012</option></select></td><td><a href='#'>X</a>"
            f"</td></tr></tbody><tbody><tr>{days}</tr></tbody><tbody><tr><td></td></tr></tbody>"
            "</table>")


def column_page() -> str:
    """The story's cell of a layout table: a photo with its caption, headline, dateline, sapo,
    the caption paragraphs, the source line with the readers' rating beside it, a share row
    and the tags; below the story the column's own boxes (this section's and another
    section's lists, sponsored notices, each opened by a label); beside the cell a column of
    featured stories opened by a label; the calendar after the table."""
    featured = "".join(f'<div class="item"><div class="item-img"><a href="/giao-duc/noi-bat-{n}'
                       f'.html"><img src="/t{n}.jpg"></a></div><div class="item-title"><a href='
                       f'"/giao-duc/noi-bat-{n}.html">Tin nổi bật số {n} của chuyên mục</a></div>'
                       "</div>" for n in range(5))
    story = "".join(f'<p style="text-align:center"><img src="/a{n}.jpg"></p><p style='
                    f'"text-align:center;font-style:italic">{caption}</p>'
                    for n, caption in enumerate(CAPTIONS))
    same = "".join(f'<li><a href="/giao-duc/bai-{n}.html">Bài số {n} cùng chuyên mục giáo dục'
                   "</a></li>" for n in range(12))
    other = "".join(f'<li><a href="/ban-tre/chuyen-{n}.html">Chuyện thứ {n} của bạn trẻ '
                    "thành phố</a></li>" for n in range(12))
    notices = "".join(f'<div class="dn-item"><div class="dn-title"><a href="/giao-duc/thong-bao'
                      f'-{n}.html">Trung tâm ngoại ngữ số {n} khai giảng khóa học</a></div></div>'
                      for n in range(8))
    rating = ('<div itemprop="aggregateRating" itemscope itemtype="http://schema.org/'
              'AggregateRating" class="rate"><span>(<span itemprop="reviewCount">5120</span> '
              'bình chọn, <span itemprop="ratingValue">9</span>/10 điểm)</span></div>')
    return f"""<html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<table width="1000"><tr><td colspan="2"><a href="/">Trang chủ</a> | <a href="/giao-duc">Giáo dục</a>
| <a href="/the-thao">Thể thao</a> | <a href="/ban-tre">Bạn trẻ</a></td></tr>
<tr><td width="210" valign="top"><div class="box-t">TIN NỔI BẬT</div>{featured}</td>
<td width="584" valign="top"><div class="box-c"><div class="img200"><img src="/top.jpg">
<div class="chu-thich-anh">{CAPTIONS[3]}</div></div><div class="top200">
<h1 class="title">{TITLE}</h1><div class="date">Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)</div>
<div class="head">{SAPO}</div></div><div class="container"><div class="text"><div>{story}
</div></div><div class="source">{SOURCE}{rating}</div><div class="share"><b>Thích và chia sẻ
bài này trên:</b> <a href="#">Facebook</a></div><div class="tags">Xem thêm chủ đề: <a
href="/su-kien/on-thi/">on thi</a>, <a href="/su-kien/cong-chuc/">cong chuc</a></div></div></div>
<div class="tabs"><h3>Tin cùng mục Giáo dục</h3><span>Tin mục Bạn trẻ</span></div>
<div id="same"><ul>{same}</ul></div><div id="other"><ul>{other}</ul></div>
<div class="box-t">THÔNG TIN DOANH NGHIỆP</div><div class="dn">{notices}</div></td></tr>
<tr><td colspan="2">Bản quyền thuộc về báo điện tử của tỉnh. Giấy phép số 332/GP.</td></tr>
</table>{calendar()}</body></html>"""


def test_a_calendar_and_an_aggregate_rating_are_dropped_from_any_page() -> None:
    tree = lxml.html.fromstring(column_page())
    _drop_widgets(tree)
    text = " ".join(tree.text_content().split())
    assert "T3 T4 T5" not in text and "Tháng 7" not in text and "bình chọn" not in text
    assert SOURCE in text and CAPTIONS[2] in text


def test_a_timetable_with_weekday_headings_is_no_calendar() -> None:
    # a table whose cells say more than a day's number (a week's programme) is the story's
    days = "".join(f"<th>{day}</th>" for day in ("T2", "T3", "T4", "T5", "T6", "T7", "CN"))
    slots = "".join(f"<td>Tiếp công dân tại phòng số {n}</td>" for n in range(7))
    tree = lxml.html.fromstring(f"<div><table><tr>{days}</tr><tr>{slots}</tr></table></div>")
    _drop_widgets(tree)
    assert "Tiếp công dân tại phòng số 3" in tree.text_content()
    # the author's own rating is the review's (schema.org reviewRating), not the readers'
    tree = lxml.html.fromstring('<div><p>Điểm của người viết: <span itemprop="reviewRating">'
                                "8/10</span></p></div>")
    _drop_widgets(tree)
    assert "8/10" in tree.text_content()


def test_a_layout_cells_story_is_read_without_the_columns_boxes(monkeypatch) -> None:
    # trafilatura's reading of the story's cell alone (as on 24h's pages of 2012) is the
    # story, and the cell holds it all; the cell's further boxes make it disagree. The
    # page's reading (as trafilatura gives it there) is the layout's row: the box column's
    # label, the story, the rating and the calendar's weekday row merged. The cell's reading
    # is the body.
    from pipelines.extractor import article
    cell = "\n".join([SAPO, *CAPTIONS, SOURCE])
    row = f"| TIN NỔI BẬT | {TITLE} {SAPO} {' '.join(CAPTIONS)} {SOURCE} {RATING} |"
    monkeypatch.setattr(article, "_trafilatura_text", lambda element, url: cell)
    monkeypatch.setattr(article, "_trafilatura_pass",
                        lambda tree, url: (f"{row}\n| CN | T2 | T3 | T4 | T5 | T6 | T7 |", None))
    result = extract_article(column_page(), URL)
    text = result["text"]
    for line in [SAPO, *CAPTIONS, SOURCE]:
        assert line in text
    for widget in ("TIN NỔI BẬT", "bình chọn", "T3", "Trung tâm ngoại ngữ", "Bản quyền"):
        assert widget not in text
    assert "| " not in text  # no layout row read as one line
    # a reading of the cell that the cell does not hold (another block's text) is no story
    monkeypatch.setattr(article, "_trafilatura_text",
                        lambda element, url: "Một đoạn văn không có trong ô của bài viết này.")
    assert "TIN NỔI BẬT" in extract_article(column_page(), URL)["text"]


def test_a_body_that_is_a_layout_row_holding_the_headline_is_doubted() -> None:
    # the layout table read as one row: the story merged with its neighbour cells. The
    # headline inside a table's row says so; the story's own data table never holds it.
    from pipelines.extractor.confidence import _confidence, _flags
    row = f"| TIN NỔI BẬT | {TITLE} {SAPO} {' '.join(CAPTIONS)} {SOURCE} |"
    merged = {"title": TITLE, "text": row, "related": [], "published": "2012-12-24"}
    flags = _flags(merged, None, None)
    assert "layout_row" in flags and _confidence(flags, merged) <= 0.5
    table = "| Năm | Thí sinh |\n| 2011 | 2900 |\n| 2012 | 3100 |"
    story = {**merged, "text": "\n".join([SAPO, *CAPTIONS, table])}
    flags = _flags(story, None, None)
    assert "layout_row" not in flags and _confidence(flags, story) > 0.8
    # the story's own cell read as a row, its neighbours empty: nothing merged with it
    alone = {**merged, "text": f"| | {TITLE} {SAPO} {' '.join(CAPTIONS)} {SOURCE} | |"}
    assert "layout_row" not in _flags(alone, None, None)
