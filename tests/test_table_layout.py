"""Old portals laid out with nested <table>s (menu row, sidebar cell, article cell, footer row):
the cell holding the headline, its dateline and the text after it is the body; a data table
inside the article stays body. Every page is written for the test (no publisher text)."""

from __future__ import annotations

from pipelines.extractor.article import extract_article

URL = "http://thachson.gov.vn/ChiTiet.aspx?id=42"
MENU = ["Trang chủ", "Giới thiệu chung", "Tin tức sự kiện", "Văn bản pháp quy", "Liên hệ góp ý"]
SIDEBAR = ["Xã Tân Lập ra quân làm đường giao thông nông thôn",
           "Trường tiểu học Hòa Bình khánh thành phòng học mới"]
FOOTER = ("Cơ quan chủ quản: Ủy ban nhân dân huyện Thạch Sơn. Địa chỉ: số 12 đường Trần Phú, "
          "thị trấn Thạch Sơn. Điện thoại: 0203 3812 345.")
CHROME = [
    "Giới thiệu chung", "Văn bản pháp quy", "Xã Tân Lập", "Trường tiểu học", "Cơ quan chủ quản"]
PARAGRAPHS = [
    "Sáng ngày 5 tháng 3, Ủy ban nhân dân huyện tổ chức hội nghị triển khai nhiệm vụ phát triển "
    "kinh tế xã hội năm 2026 với sự tham dự của lãnh đạo các phòng ban và các xã.",
    "Theo báo cáo, tổng giá trị sản xuất trên địa bàn tăng 8,5 phần trăm so với cùng kỳ, thu "
    "ngân sách đạt một trăm mười hai phần trăm dự toán được giao.",
    "Phát biểu chỉ đạo, đồng chí Chủ tịch huyện đề nghị các địa phương đẩy mạnh cải cách hành "
    "chính và chăm lo đời sống người dân.",
]
NOTICE = ("Ủy ban nhân dân xã Phú Mỹ thông báo lịch tiếp công dân định kỳ vào sáng thứ năm hằng "
          "tuần tại trụ sở xã, đề nghị nhân dân liên hệ trước với bộ phận một cửa.")


def _page(title: str, cell: str, depth: int = 0) -> str:
    for _ in range(depth):
        cell = f'<table width="100%"><tr><td valign="top">{cell}</td></tr></table>'
    menu = "".join(f'<td><a href="/?tab={i}">{m}</a></td>' for i, m in enumerate(MENU))
    side = "".join(f'<tr><td><a href="/tin.aspx?id={i}">{s}</a></td></tr>'
                   for i, s in enumerate(SIDEBAR))
    return (f"<html><head><title>{title}</title></head><body><form id='aspnetForm'>"
            f"<table width='980'><tr><td><img src='/img/banner.jpg'></td></tr>"
            f"<tr><td><table><tr>{menu}</tr></table></td></tr>"
            f"<tr><td><table><tr><td width='220'><table><tr><td>Tin mới nhất</td></tr>{side}"
            f"</table></td><td valign='top' width='760'>{cell}</td></tr></table></td></tr>"
            f"<tr><td class='footer'>{FOOTER}</td></tr></table></form></body></html>")


def _check(result: dict, body: list[str], absent: list[str]) -> None:
    for phrase in body:
        assert phrase in result["text"], phrase
    for phrase in absent:
        assert phrase not in result["text"], phrase


def test_the_layout_cell_under_a_span_headline_is_the_body() -> None:
    title = "Huyện Thạch Sơn triển khai nhiệm vụ phát triển kinh tế xã hội năm 2026"
    cell = (f'<span id="ctl00_ContentPlaceHolder1_lblTitle" class="title">{title}</span><br>'
            '<span class="date">Ngày đăng: 05/03/2026</span><br>'
            f'<font face="Arial">{"<br><br>".join(PARAGRAPHS)}</font>')
    result = extract_article(_page(title, cell), URL)
    _check(result, [p[:60] for p in PARAGRAPHS], [*CHROME, "Ngày đăng", "|"])


def test_a_notice_under_a_headline_row_of_nested_tables_is_the_body() -> None:
    title = "Thông báo lịch tiếp công dân định kỳ của xã Phú Mỹ"
    cell = (f'<table><tr><td class="title">{title}</td></tr>'
            '<tr><td>Cập nhật ngày 12/01/2026</td></tr>'
            f"<tr><td>{NOTICE}</td></tr></table>")
    result = extract_article(_page(title, cell, depth=3), URL)
    assert result["title"] == title
    _check(result, [NOTICE], [*CHROME, "Cập nhật ngày", "|"])


def test_a_data_table_inside_the_article_cell_stays_body() -> None:
    title = "Kết quả sản xuất vụ đông xuân năm 2026 của huyện Thạch Sơn"
    data = ('<table border="1"><tr><td>Chỉ tiêu</td><td>Kế hoạch</td><td>Thực hiện</td></tr>'
            "<tr><td>Diện tích lúa gieo cấy</td><td>4.200 ha</td><td>4.350 ha</td></tr>"
            "<tr><td>Sản lượng lương thực</td><td>27.000 tấn</td><td>28.100 tấn</td></tr></table>")
    cell = (f'<table><tr><td class="title">{title}</td></tr><tr><td>'
            f"<p>{PARAGRAPHS[0]}</p>{data}<p>{PARAGRAPHS[1]}</p></td></tr></table>")
    result = extract_article(_page(title, cell, depth=2), URL)
    _check(result, [PARAGRAPHS[0][:60], PARAGRAPHS[1][:60], "Diện tích lúa gieo cấy", "28.100 tấn"],
           CHROME)


def test_a_notice_whose_cell_only_shows_its_pdf_has_no_chrome_for_a_body() -> None:
    # the cell holds the headline, a dateline and a frame showing the document: the notice's
    # content is its PDF (read by the crawl), so the page's menu and footer rows are no body
    title = "Thông báo kết luận của Chủ tịch Ủy ban nhân dân huyện tại buổi làm việc"
    for frame in ('<iframe src="/Portals/0/VanBan/tb-125.pdf" width="100%"></iframe>',
                  '<embed src="/pdfjs/web/viewer.html?file=/VanBan/tb-125.pdf">'):
        cell = (f'<span id="ctl00_lblTitle" class="title">{title}</span><br>'
                f'<span class="date">(10/11/2025)</span><div class="content">{frame}</div>')
        result = extract_article(_page(title, cell).replace("class='footer'", "class='bottom'"),
                                 URL)
        assert result["title"] == title
        _check(result, [], [*CHROME, "Tin mới nhất", "Trang chủ"])


def test_dates_and_the_documents_number_in_a_data_table_stay_body() -> None:
    # a schedule's days and a document sheet's number and dates are the table's data, not the
    # page's dateline or headline repeated (Word-pasted cells hold <p>s); a layout row still
    # gives its dateline to no body
    title = "125/TB-UBND"
    schedule = "".join(f"<tr><td><p>{day}/01/2026</p></td><td><p>Đồng chí {name}, Phó Chủ tịch"
                       " Ủy ban nhân dân huyện</p></td></tr>"
                       for day, name in (("8", "Nguyễn Văn An"), ("15", "Trần Thị Bình")))
    sheet = (f"<tr><td>Số ký hiệu</td><td>{title}</td></tr>"
             "<tr><td>Ngày ban hành</td><td>12/11/2025</td></tr>"
             "<tr><td>Trích yếu</td><td>Thông báo lịch tiếp công dân của lãnh đạo huyện</td></tr>")
    for rows in (schedule, sheet):
        html = (f"<html lang='vi'><head><title>{title}</title></head><body>"
                "<div class='menu'><a href='/'>Trang chủ</a></div>"
                f"<h1>{title}</h1><div class='date'>Ngày đăng: 05/01/2026</div>"
                f"<div class='article-content'><p>{NOTICE}</p><table border='1'>"
                "<tr><th>Ngày</th><th>Nội dung</th></tr>"
                f"{rows}</table></div></body></html>")
        result = extract_article(html, URL)
        present = (["8/01/2026", "15/01/2026", "Trần Thị Bình"] if rows is schedule
                   else [title, "12/11/2025", "Ngày ban hành"])
        _check(result, [NOTICE, *present], ["Ngày đăng", "05/01/2026"])


def test_a_data_tables_rows_are_read_as_rows_with_or_without_a_known_container() -> None:
    # a schedule is read row by row, its cells apart as trafilatura writes them, and keeps its
    # dates whether the story sits in a known container or in an unnamed block
    title = "Thông báo lịch tiếp công dân tháng 12 của lãnh đạo tỉnh"
    table = ("<table><tr><th>Ngày</th><th>Người tiếp</th></tr>"
             "<tr><td>05/12/2025</td><td>Chủ tịch UBND tỉnh</td></tr>"
             "<tr><td><p>12/12/2025</p></td><td>Phó Chủ tịch<br>UBND tỉnh</td></tr></table>")
    story = (f"<p>{PARAGRAPHS[0]}</p>{table}<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>")
    for box in ("div class='article-content'", "div class='khung'"):
        html = (f"<html lang='vi'><head><title>{title}</title></head><body>"
                f"<h1>{title}</h1><div class='date'>Ngày đăng: 05/11/2025</div>"
                f"<{box}>{story}</div></body></html>")
        lines = extract_article(html, "http://tinh.gov.vn/tin/thong-bao-lich-tiep-1234.html")[
            "text"].split("\n")
        assert "| 05/12/2025 | Chủ tịch UBND tỉnh |" in lines, box
        assert "| 12/12/2025 | Phó Chủ tịch UBND tỉnh |" in lines, box
        assert lines.index("| Ngày | Người tiếp |") < lines.index(PARAGRAPHS[1]), box
        assert "05/11/2025" not in "\n".join(lines), box
