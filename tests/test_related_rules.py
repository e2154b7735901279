"""Related-news rules on small synthetic pages: a recognised block keeps every article link
whatever its URL looks like, inline cards inside the body are related links and never body,
and a link in running text stays body.

The site writes short slug URLs (``/tin/cam-pha-so2.html``), which the URL heuristic alone
does not take for articles. Every page is written for the test (no publisher text).
"""

from __future__ import annotations

import lxml.html

from pipelines.extractor.article import extract_article
from pipelines.extractor.related import FOUND_BY, extract_related

HOST = "https://baotinh.vn"
PAGE = f"{HOST}/tin/hoi-nghi-tong-ket.html"
TITLE = "Hội nghị tổng kết công tác năm của tỉnh"
BODY = [
    "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm "
    "vụ trọng tâm năm tới với sự tham dự của đại biểu các sở, ngành, địa phương.",
    "Đồng chí Chủ tịch tỉnh nhấn mạnh yêu cầu đẩy nhanh tiến độ các dự án hạ tầng giao thông, "
    "bảo đảm an sinh xã hội cho người dân vùng cao trong mùa mưa lũ sắp tới.",
    "Hội nghị cũng biểu dương các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi "
    "đua yêu nước và trao bằng khen của Ủy ban nhân dân tỉnh cho các đơn vị.",
]
RUNNING = ("Theo báo cáo của <a href='/tin/so-ke-hoach.html'>Sở Kế hoạch và Đầu tư tỉnh</a>, "
           "tốc độ tăng trưởng kinh tế năm nay đạt khá so với kế hoạch đề ra từ đầu năm.")
RUNNING_TEXT = ("Theo báo cáo của Sở Kế hoạch và Đầu tư tỉnh, tốc độ tăng trưởng kinh tế năm "
                "nay đạt khá so với kế hoạch đề ra từ đầu năm.")


def page(body_extra: str = "", after: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return (f"<html lang='vi'><head><title>{TITLE}</title>"
            "<meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='2025-03-04T08:00:00+07:00'>"
            f"</head><body><h1>{TITLE}</h1><div class='article__body'>{paragraphs}"
            f"<p>{RUNNING}</p>{body_extra}</div>{after}</body></html>")


def paths(result: dict) -> list[str]:
    return [r["url"].removeprefix(HOST) for r in result["related"]]


def assert_body(result: dict, absent: list[str]) -> None:
    assert result is not None
    for p in BODY:
        assert p in result["text"]
    for phrase in absent:
        assert phrase not in result["text"], phrase


def card(path: str, headline: str) -> str:
    return (f"<table class='story'><tr><td><a href='{path}'><img src='/a.jpg' alt=''></a></td>"
            f"<td><a href='{path}'>{headline}</a></td></tr></table>")


def test_every_link_of_a_tin_tuc_khac_block_is_kept_whatever_its_url() -> None:
    block = ("<div class='box-other'><h3 class='title'>Tin tức khác</h3><ul>"
             "<li><a href='/tin/cam-pha-so2.html'>Cẩm Phả khởi công trường học mới</a></li>"
             "<li><a href='/bai-viet/thong-bao-10.html'>Thông báo lịch tiếp công dân tháng Ba</a>"
             "</li><li><a href='/tin/le-hoi-2024.html'>Lễ hội mùa xuân thu hút du khách</a></li>"
             "</ul><a href='/tin-tuc/'>Xem tất cả</a></div>")
    result = extract_article(page(after=block), PAGE)
    assert_body(result, ["Cẩm Phả khởi công", "Thông báo lịch", "Tin tức khác", "Xem tất cả"])
    assert paths(result) == ["/tin/cam-pha-so2.html", "/bai-viet/thong-bao-10.html",
                             "/tin/le-hoi-2024.html"]  # not the "Xem tất cả" listing link
    assert {(r["block"], r["found_by"]) for r in result["related"]} == {("Tin tức khác", "heading")}


def test_a_related_block_keeps_headlines_whose_urls_each_have_a_shape_of_their_own() -> None:
    # a portal whose CMS writes article URLs four ways (DotNetNuke, SharePoint, Drupal): no
    # URL shape is shared by two links and only one carries an id the URL heuristic knows;
    # each headline is an article all the same, and a card's short category label is not
    block = ("<div class='box-other'><h3 class='title'>Tin liên quan</h3><ul>"
             "<li><a href='/tin-tuc/tabid/123/ArticleID/4567/Default.aspx'>Cẩm Phả khởi công "
             "trường học mới ở vùng cao</a></li>"
             "<li><a href='/Default.aspx?tabid=123&amp;ArticleID=4568'>Thông báo lịch tiếp "
             "công dân tháng Ba của tỉnh</a></li>"
             "<li><a href='/Pages/TinTuc/103.aspx'>Lễ hội mùa xuân thu hút đông đảo du khách"
             "</a> <a href='/chuyen-muc/van-hoa'>Văn hóa - Thể thao</a></li>"
             "<li><a href='/vi/node/126'>Huyện đảo đón đoàn khách du lịch đầu tiên trong năm"
             "</a></li></ul></div>")
    result = extract_article(page(after=block), PAGE)
    assert_body(result, ["Cẩm Phả khởi công", "Văn hóa - Thể thao"])
    assert paths(result) == ["/tin-tuc/tabid/123/ArticleID/4567/Default.aspx",
                             "/Default.aspx?tabid=123&ArticleID=4568", "/Pages/TinTuc/103.aspx",
                             "/vi/node/126"]


def test_a_portals_newer_and_older_stories_and_other_notices_are_related() -> None:
    # SharePoint and ASP.NET portals list the section's other stories under a story as "Các
    # tin mới hơn" / "Các tin cũ hơn", a notice's as "Thông báo khác"
    def box(title: str, first: int) -> str:
        return (f"<div class='khung'><div class='tieu-de-khung'><h3>{title}</h3></div><ul>"
                + "".join(f"<li><a href='/Trang/ChiTietTinTuc.aspx?nid={n}'>Hội nghị triển "
                          f"khai nhiệm vụ của ngành số {n}</a> (0{n % 9 + 1}/03/2025)</li>"
                          for n in range(first, first + 3)) + "</ul></div>")
    after = box("Các tin mới hơn:", 101) + box("Các tin cũ hơn:", 91) + box("Thông báo khác", 81)
    result = extract_article(page(after=after), PAGE)
    assert_body(result, ["Hội nghị triển khai nhiệm vụ", "tin mới hơn", "Thông báo khác"])
    assert [r["block"] for r in result["related"]] == (
        ["Các tin mới hơn"] * 3 + ["Các tin cũ hơn"] * 3 + ["Thông báo khác"] * 3)


def test_links_to_other_sites_scripts_mail_anchors_and_the_page_itself_stay_out() -> None:
    block = ("<div class='box-other'><h3 class='title'>Tin liên quan</h3><ul>"
             "<li><a href='/tin/cau-moi-thong-xe.html'>Cầu mới thông xe trước Tết</a></li>"
             "<li><a href='https://m.baotinh.vn/tin/truong-moi.html'>"
             "Trường học mới khánh thành ở vùng cao</a></li>"
             "<li><a href='https://baokhac.vn/tin/cau-moi.html'>Bài của báo khác về cầu"
             "</a></li><li><a href='javascript:void(0)'>Mở hộp bình luận của bài</a></li>"
             "<li><a href='mailto:toasoan@baotinh.vn'>Gửi thư cho tòa soạn</a></li>"
             "<li><a href='#binh-luan'>Xem bình luận của độc giả</a></li>"
             f"<li><a href='{PAGE}?utm_source=zalo'>{TITLE}</a></li></ul></div>")
    result = extract_article(page(after=block), PAGE)
    assert_body(result, ["Cầu mới thông xe", "Bài của báo khác"])
    # a subdomain of the site is the site; another paper is not
    assert [r["url"] for r in result["related"]] == [
        f"{HOST}/tin/cau-moi-thong-xe.html", "https://m.baotinh.vn/tin/truong-moi.html"]


def test_three_inline_cards_without_heading_are_related_not_body() -> None:
    cards = (card("/tin/ket-qua-thi-dua.html", "Kết quả thi đua khen thưởng của các huyện")
             + "<div class='box'><a href='/tin/du-an-giao-thong.html'>"
             "<div class='thumb' style='background-image:url(/b.jpg)'></div>"
             "<h3>Các dự án giao thông trọng điểm được đẩy nhanh</h3>"
             "<p>Tỉnh yêu cầu hoàn thành giải phóng mặt bằng trước mùa mưa.</p></a></div>"
             "<div class='box'><a href='/tin/an-sinh.html'><img src='/c.jpg'></a>"
             "<h4><a href='/tin/an-sinh.html'>Bảo đảm an sinh cho người dân vùng cao</a></h4>"
             "<span>04/03/2025</span></div>")
    result = extract_article(page(body_extra=cards), PAGE)
    assert_body(result, ["Kết quả thi đua", "dự án giao thông trọng điểm", "hoàn thành giải phóng",
                         "Bảo đảm an sinh", "04/03/2025"])
    assert RUNNING_TEXT in result["text"]
    assert paths(result) == ["/tin/ket-qua-thi-dua.html", "/tin/du-an-giao-thong.html",
                             "/tin/an-sinh.html"]
    assert [r["found_by"] for r in result["related"]] == ["card"] * 3
    assert result["related"][1]["text"] == "Các dự án giao thông trọng điểm được đẩy nhanh"


def test_xem_them_line_is_a_related_link_not_body() -> None:
    line = ("<p><strong>Xem thêm:</strong> <a href='/tin/ky-hop-hdnd.html'>"
            "Kỳ họp Hội đồng nhân dân tỉnh bàn nhiều nội dung quan trọng</a></p>")
    result = extract_article(page(body_extra=line), PAGE)
    assert_body(result, ["Xem thêm", "Kỳ họp Hội đồng"])
    assert paths(result) == ["/tin/ky-hop-hdnd.html"]
    assert (result["related"][0]["block"], result["related"][0]["found_by"]) == ("Xem thêm", "card")


def test_titled_list_inside_the_body_is_cut_with_its_title() -> None:
    box = ("<p><strong>Tin liên quan:</strong></p>"
           "<p><a href='/tin/don-vi-xuat-sac.html'>Những đơn vị xuất sắc trong phong trào thi đua"
           "</a></p><p>- <a href='/tin/khen-thuong.html'>Trao bằng khen cho tập thể tiêu biểu</a>"
           "</p>")
    result = extract_article(page(body_extra=box), PAGE)
    assert_body(result, ["Tin liên quan", "Những đơn vị xuất sắc", "Trao bằng khen cho tập thể"])
    assert paths(result) == ["/tin/don-vi-xuat-sac.html", "/tin/khen-thuong.html"]
    assert {r["found_by"] for r in result["related"]} == {"heading"}


def test_links_in_running_text_and_a_bare_linked_line_stay_body() -> None:
    bare = ("<p><a href='/tin/toan-van-bao-cao.html'>Toàn văn báo cáo tổng kết công tác năm của "
            "Ủy ban nhân dân tỉnh</a></p>")
    result = extract_article(page(body_extra=bare), PAGE)
    assert_body(result, [])
    assert RUNNING_TEXT in result["text"]
    assert "Toàn văn báo cáo tổng kết công tác năm" in result["text"]
    assert result["related"] == []


def test_a_card_group_leaves_out_its_category_labels() -> None:
    def story(path: str, headline: str) -> str:
        return (f"<div class='item'><a class='cate' href='/thoi-su/'>Thời sự</a>"
                f"<h3><a href='{path}'>{headline}</a></h3></div>")
    group = ("<section class='cung-chuyen-muc'><h2 class='title'>Tin cùng chuyên mục</h2>"
             + story("/tin/mua-lu.html", "Chủ động ứng phó mưa lũ ở vùng cao")
             + story("/tin/duong-moi.html", "Con đường mới nối hai xã biên giới")
             + "</section>")
    tree = lxml.html.document_fromstring(page(after=group))
    body = tree.find_class("article__body")[0]
    related, ids = extract_related(tree, PAGE, protected=[body])
    assert [(r["url"].removeprefix(HOST), r["text"], r["position"]) for r in related] == [
        ("/tin/mua-lu.html", "Chủ động ứng phó mưa lũ ở vùng cao", 0),
        ("/tin/duong-moi.html", "Con đường mới nối hai xã biên giới", 1)]
    assert ids == [] and all(r["found_by"] in FOUND_BY for r in related)
    assert not tree.find_class("cung-chuyen-muc")  # the block is cut out of the tree
    assert tree.find_class("article__body")  # the body is not


def test_a_profile_selector_block_is_found_by_selector() -> None:
    box = ("<div class='lienquan-x'><a href='/tin/mot.html'>Một bài cùng sự kiện trong tỉnh</a>"
           "<a href='/tin/hai.html'>Hai bài cùng sự kiện trong tỉnh</a></div>")
    tree = lxml.html.document_fromstring(page(after=box))
    related, _ = extract_related(tree, PAGE, css=".lienquan-x")
    assert [(r["url"].removeprefix(HOST), r["found_by"]) for r in related] == [
        ("/tin/mot.html", "selector"), ("/tin/hai.html", "selector")]


def test_a_picture_linked_to_a_page_keeps_its_caption_in_the_body() -> None:
    figure = ("<figure><a href='/tin/album-anh-hoi-nghi.html'><img src='/d.jpg' "
              "alt='Toàn cảnh hội nghị tổng kết công tác năm'></a>"
              "<figcaption>Toàn cảnh hội nghị tổng kết tại hội trường tỉnh.</figcaption></figure>")
    result = extract_article(page(body_extra=figure), PAGE)
    assert_body(result, [])
    assert "Toàn cảnh hội nghị tổng kết tại hội trường tỉnh." in result["text"]
    assert result["related"] == []


# --- boxes inside the body that are neither related news nor body ----------------------------

def teaser_box(title: str, section: str, paths_and_headlines: list[tuple[str, str]]) -> str:
    """A box of one of the site's sections (its own title links to the section page) holding
    picture cards, as news sites put under the story ("Video", "Ảnh")."""
    items = "".join(f"<li class='item-cb'><a href='{p}'><img src='/v.jpg' alt=''></a>"
                    f"<a href='{p}' class='item_title'>{h}</a></li>"
                    for p, h in paths_and_headlines)
    return (f"<div class='cb-container'><h2><a href='{section}' class='topic-link'>{title}</a>"
            f"</h2><ul class='list-cb'>{items}</ul></div>")


def test_a_section_teaser_box_in_the_body_is_neither_related_nor_body() -> None:
    video = teaser_box("Video", "/video/", [
        ("/video/nguoi-dan-vung-cao-don-lu-v20250304.html", "Người dân vùng cao đón mùa lũ sớm"),
        ("/video/cau-moi-noi-hai-bo-song-v20250303.html", "Cây cầu mới nối hai bờ sông lớn")])
    story = card("/tin/don-vi-thi-dua-xuat-sac-20250301.html", "Những đơn vị thi đua xuất sắc năm")
    result = extract_article(page(body_extra=story + video), PAGE)
    assert_body(result, ["Video", "Người dân vùng cao đón", "Cây cầu mới nối", "Những đơn vị"])
    # the story's own card stays related; the section's teasers are not this story's news
    assert paths(result) == ["/tin/don-vi-thi-dua-xuat-sac-20250301.html"]


def test_a_related_box_titled_as_such_inside_the_body_stays_related() -> None:
    box = teaser_box("Tin liên quan", "/tin/", [
        ("/tin/ky-hop-hdnd-tinh-20250302.html", "Kỳ họp Hội đồng nhân dân tỉnh khai mạc"),
        ("/tin/dau-tu-ha-tang-20250301.html", "Đầu tư hạ tầng giao thông vùng cao năm nay")])
    result = extract_article(page(body_extra=box), PAGE)
    assert_body(result, ["Kỳ họp Hội đồng", "Đầu tư hạ tầng"])
    assert paths(result) == ["/tin/ky-hop-hdnd-tinh-20250302.html",
                             "/tin/dau-tu-ha-tang-20250301.html"]


def test_a_tag_list_opened_by_a_plain_label_is_not_body() -> None:
    tags = ("<div class='keysword'><span class='kw-txt'>Từ khóa: </span><ul>"
            "<li><a href='/tags/hoi-nghi.htm'><strong>hội nghị,</strong></a></li>"
            "<li><a href='/tags/tong-ket-nam.htm'><strong>tổng kết năm,</strong></a></li>"
            "</ul></div>")
    inline = "<p>Chủ đề: <a href='/chu-de/khen-thuong.htm'>khen thưởng cuối năm</a></p>"
    sentence = ("<p>Chủ đề của hội nghị năm nay là đổi mới phương thức lãnh đạo, nâng cao hiệu quả "
                "phối hợp giữa các sở, ngành và địa phương.</p>")
    result = extract_article(page(body_extra=sentence + tags + inline), PAGE)
    assert_body(result, ["Từ khóa", "tổng kết năm,", "khen thưởng cuối năm"])
    assert "Chủ đề của hội nghị năm nay" in result["text"]
    assert RUNNING_TEXT in result["text"]


def test_an_indented_box_title_and_box_are_read_as_the_page_shows_them() -> None:
    """The indentation of the page's source is no text: a box title written over several
    indented lines is still a few words, and an indented box no longer looks wordy."""
    pad = "\n" + "\t" * 30 + " " * 300  # deep indentation, as real page sources have
    block = (f"<div class='detail__related'>{pad}<div class='box-category'>{pad}"
             f"<h2 class='title-category'>{pad}<a class='box-category-title' title='Tin liên quan'>"
             f"{pad}    Tin liên quan{pad}</a>{pad}</h2>{pad}<div class='box-category-middle'>"
             + "".join(f"{pad}<div class='box-category-item'>{pad}<h3>{pad}<a href='{path}'>"
                       f"{headline}</a>{pad}</h3>{pad}</div>"
                       for path, headline in [("/tin/cam-pha-so2.html", "Cẩm Phả khởi công "
                                               "trường học mới cho học sinh vùng cao"),
                                              ("/tin/le-hoi-2024.html", "Lễ hội mùa xuân thu "
                                               "hút du khách về với di tích")])
             + f"{pad}</div>{pad}</div>{pad}</div>")
    result = extract_article(page(after=block), PAGE)
    assert_body(result, ["Cẩm Phả khởi công", "Tin liên quan"])
    assert paths(result) == ["/tin/cam-pha-so2.html", "/tin/le-hoi-2024.html"]
    found = {(r["block"], r["found_by"]) for r in result["related"]}
    assert found == {("Tin liên quan", "heading")}


def test_the_title_of_a_box_a_script_fills_is_no_body() -> None:
    """An empty box in the body (its list filled by a script): nothing to record, and its
    title alone is no line of the story."""
    box = ("<div class='tindnd'><span class='title_box'><a href='javascript:;'>TIN MỚI</a></span>"
           "<ul id='lastest-news'></ul></div>")
    tags = "<div class='tags'><b>Từ khóa:</b></div>"
    result = extract_article(page(body_extra=box + tags), PAGE)
    assert_body(result, ["TIN MỚI", "Tin mới", "Từ khóa"])
    assert RUNNING_TEXT in result["text"] and result["related"] == []


def test_an_inline_title_that_opens_a_box_header_heads_the_box() -> None:
    """A box titled by a plain <span> first in its header row (beside a date picker); a bold
    lead-in that opens a paragraph of running text is still no box title."""
    options = "".join(f"<option>{d}</option>" for d in range(1, 32))
    box = ("<div class='same-category'><div class='kds-title'><span class='ccm'>TIN CÙNG CHUYÊN "
           f"MỤC</span><div class='by-date'><span>Xem theo ngày</span><select>{options}</select>"
           "</div></div><div class='ksc-list'>"
           "<div class='item'><h4><a href='/tin/cam-pha-so2.html'>Cẩm Phả khởi công trường học "
           "mới cho học sinh vùng cao</a></h4></div>"
           "<div class='item'><h4><a href='/tin/le-hoi-2024.html'>Lễ hội mùa xuân thu hút du "
           "khách về với di tích</a></h4></div></div></div>")
    result = extract_article(page(after=box), PAGE)
    assert_body(result, ["Cẩm Phả khởi công", "TIN CÙNG CHUYÊN MỤC"])
    assert paths(result) == ["/tin/cam-pha-so2.html", "/tin/le-hoi-2024.html"]
    lead_in = ("<p><strong>Tin liên quan:</strong> hội nghị cũng nghe báo cáo về tình hình "
               "<a href='/tin/cam-pha-so2.html'>trường học mới ở Cẩm Phả</a> và các công trình "
               "phúc lợi khác được khởi công trong năm, với tổng vốn đầu tư lớn.</p>")
    result = extract_article(page(body_extra=lead_in), PAGE)
    assert "công trình phúc lợi khác được khởi công" in result["text"]
    assert result["related"] == []


def test_a_div_holding_one_headline_link_and_nothing_else_is_a_card() -> None:
    """A box in the body with one headline link and no other text (VCCorp's link-content-footer)
    is a related card; a paragraph that is one link stays a line of the story."""
    box = ("<div class='link-content-footer' type='link'><a href='/tin/cam-pha-so2.html'>Cẩm "
           "Phả khởi công trường học mới cho học sinh vùng cao</a></div>")
    result = extract_article(page(body_extra=box), PAGE)
    assert_body(result, ["Cẩm Phả khởi công"])
    assert paths(result) == ["/tin/cam-pha-so2.html"] and result["related"][0]["found_by"] == "card"
    paragraph = box.replace("<div class='link-content-footer' type='link'>", "<p>").replace(
        "</div>", "</p>")
    result = extract_article(page(body_extra=paragraph), PAGE)
    assert "Cẩm Phả khởi công trường học mới" in result["text"] and result["related"] == []


def test_a_quoted_headline_link_or_one_behind_an_arrow_is_a_card() -> None:
    """A <blockquote> holding one headline link, and a paragraph that is one headline link
    behind an arrow (">> …", "» …"), are related cards; the paragraph without the arrow stays
    a line of the story (above)."""
    headline = "Cẩm Phả khởi công trường học mới cho học sinh vùng cao"
    link = "<a href='/tin/cam-pha-so2.html'>{}</a>"
    for card in (f"<blockquote>{link.format(headline)}</blockquote>",
                 f"<p>{link.format(f'<strong>&gt;&gt; {headline}</strong>')}</p>",
                 f"<p>» {link.format(headline)}</p>",
                 f"<p><em>&gt;&gt; {link.format(headline)}</em></p>"):
        result = extract_article(page(body_extra=card), PAGE)
        assert_body(result, ["Cẩm Phả khởi công"])
        assert paths(result) == ["/tin/cam-pha-so2.html"], card


def test_a_title_and_link_lines_beside_the_body_in_its_column_are_a_block() -> None:
    """A related title followed by lines that are only links, with no box of their own, in
    the column that also holds the body container (the column is no box to cut), and a box
    named "news-related"."""
    lines = "".join(f"<div><a href='/tin/co-to-don-khach-{n}.html'>Huyện đảo Cô Tô đón đoàn "
                    f"khách du lịch thứ {n} trong năm</a></div>" for n in range(1, 4))
    for after in (f"<h3>Bài viết liên quan</h3>{lines}",
                  f"<p><strong>TIN LIÊN QUAN</strong></p>{lines.replace('div>', 'p>')}",
                  f"<div class='news-related'>{lines.replace('div>', 'h4>')}</div>"):
        html = page(after=after).replace("<div class='article__body'>",
                                         "<div class='main-col'><div class='article__body'>")
        html = html.replace("</body>", "</div></body>")
        result = extract_article(html, PAGE)
        assert_body(result, ["Huyện đảo Cô Tô", "liên quan", "LIÊN QUAN"])
        assert paths(result) == [f"/tin/co-to-don-khach-{n}.html" for n in range(1, 4)], after


def test_a_lead_in_line_of_links_right_after_the_body_is_related() -> None:
    """ "Đọc thêm:" and its links on one line, placed right after the body container (inside
    it, it is an inline card): related links, and neither the lead-in nor the headlines are
    body; a line of running text after the body with a link in it is no such line."""
    line = ("<p><b>Đọc thêm:</b> <a href='/tin/co-to-1.html'>Huyện đảo Cô Tô đón đoàn khách du "
            "lịch đầu tiên</a>; <a href='/tin/co-to-2.html'>Cô Tô mở thêm tuyến tàu cao tốc ra "
            "đảo</a></p>")
    result = extract_article(page(after=line), PAGE)
    assert_body(result, ["Đọc thêm", "Huyện đảo Cô Tô", "tuyến tàu cao tốc"])
    assert paths(result) == ["/tin/co-to-1.html", "/tin/co-to-2.html"]
    assert {r["found_by"] for r in result["related"]} == {"card"}
    assert extract_article(page(after=f"<p>{RUNNING}</p>"), PAGE)["related"] == []


def test_an_article_block_of_the_story_with_a_word_linked_stays_body() -> None:
    # some CMSs build the story of small <article> blocks; one whose sentence links a word is
    # the story's, while a small <article> that links a headline is a teaser card
    linked = ("<article class='ce-text'><p>Như đã nêu trong <a href='/tin/bao-cao-thang-truoc."
              "html'>báo cáo</a> tháng trước, mưa lớn kéo dài khiến nhiều tuyến đường liên xã bị "
              "sạt lở nghiêm trọng.</p></article>")
    teaser = ("<article class='ce-text'><a href='/tin/cau-moi-thong-xe.html'>Cầu mới nối hai "
              "xã chính thức thông xe</a></article>")
    result = extract_article(page(linked + teaser), PAGE)
    assert_body(result, ["Cầu mới nối hai xã"])
    assert "mưa lớn kéo dài khiến nhiều tuyến đường" in result["text"]
    assert paths(result) == ["/tin/cau-moi-thong-xe.html"]


def test_a_lead_in_line_on_a_page_without_a_body_container_is_related() -> None:
    """ "Xem thêm: <a>…</a>" and a paragraph that is one headline link behind an arrow are
    cards wherever they stand, also on a page whose body container is not found; a sentence
    that goes on after the lead-in, and a sidebar list of links, are no such lines."""
    line = ("<p><strong>Xem thêm</strong>: <a href='/tin/ky-hop-hdnd.html'>Kỳ họp Hội đồng nhân "
            "dân tỉnh bàn nhiều nội dung quan trọng</a></p>"
            "<p><strong>ĐỌC THÊM: <a href='/tin/dap-tran-12345.html'>Hồ chứa nước lớn nhất tỉnh "
            "mở cửa xả tràn</a></strong></p>"
            "<p>» <a href='/tin/cam-pha-so2.html'>Cẩm Phả khởi công trường học mới cho học sinh "
            "vùng cao</a></p>")
    sentence = ("<p>Xem thêm kế hoạch chi tiết tại <a href='/tin/ke-hoach-chi-tiet.html'>Kế hoạch "
                "tổ chức kỳ họp cuối năm của tỉnh</a> được đăng tải trên cổng thông tin.</p>")
    html = page(body_extra=line + sentence).replace("<div class='article__body'>", "<div>")
    result = extract_article(html, PAGE)
    assert_body(result, ["Kỳ họp Hội đồng", "Cẩm Phả khởi công", "»", "ĐỌC THÊM", "Hồ chứa"])
    assert "Xem thêm kế hoạch chi tiết tại Kế hoạch tổ chức kỳ họp" in result["text"]
    assert paths(result) == ["/tin/ky-hop-hdnd.html", "/tin/dap-tran-12345.html",
                             "/tin/cam-pha-so2.html"]
    assert {r["found_by"] for r in result["related"]} == {"card"}
    assert result["related"][0]["block"] == "Xem thêm"


def test_a_headline_list_after_the_story_is_related_though_a_subheading_stands_above() -> None:
    """A heading-less list of headline links after the story's last paragraph is related, even
    when the story has a subheading further up (it titles its paragraphs, not the list); a
    sidebar box whose title stands above a featured card and a list stays out."""
    items = "".join(f"<li><a href='/tin/le-hoi-vung-cao-{n}.html'>Lễ hội truyền thống của "
                    f"đồng bào vùng cao lần thứ {n}</a></li>" for n in range(1, 4))
    story = page(body_extra=f"<ul>{items}</ul>").replace(
        f"<p>{BODY[1]}", f"<h3>Tập trung phát triển hạ tầng</h3><p>{BODY[1]}")
    result = extract_article(story, PAGE)
    assert_body(result, ["Lễ hội truyền thống"])
    assert "Tập trung phát triển hạ tầng" in result["text"]
    assert paths(result) == [f"/tin/le-hoi-vung-cao-{n}.html" for n in range(1, 4)]
    sidebar = ("<div class='col-right'><div class='box'><h4>Thời sự</h4>"
               "<div class='card'><a href='/tin/noi-bat-1.html'><img src='/b.jpg' alt=''>Tin nổi "
               f"bật của chuyên mục thời sự hôm nay</a></div><ul>{items}</ul></div></div>")
    html = page().replace("<div class='article__body'>",
                          "<div class='wrap'><div class='main'><div class='article__body'>")
    html = html.replace("</body>", f"</div>{sidebar}</div></body>")
    assert extract_article(html, PAGE)["related"] == []


def test_a_card_linked_from_its_picture_and_label_first_reads_its_headline() -> None:
    """A card that links its story from a picture (a file name as alt text) and a label before
    the headline: the related entry's text is the headline."""
    def story(n: int) -> str:
        path = f"/tin/nong-thon-moi-{n}.html"
        return (f"<div class='item'><a href='{path}'><img src='/c.jpg' alt='anh-{n}.jpg'></a>"
                f"<a href='{path}' class='label'>Xã hội</a>"
                f"<h3><a href='{path}'>Xã vùng cao về đích nông thôn mới lần thứ {n}</a></h3>"
                "</div>")
    box = f"<div class='box-related'><h3>Tin liên quan</h3>{story(1)}{story(2)}</div>"
    result = extract_article(page(after=box), PAGE)
    assert [r["text"] for r in result["related"]] == [
        f"Xã vùng cao về đích nông thôn mới lần thứ {n}" for n in (1, 2)]


def test_the_empty_title_of_a_box_a_script_fills_does_not_take_the_story_with_it() -> None:
    """On a page whose body container is not found, a related title whose box a script fills
    (empty in the page) stands in the post's block, after the story and before the links to
    the previous and next posts: the post is no related box, its story stays body (read from
    the page, not brought back by the fallback to plain trafilatura)."""
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = (f"<html lang='vi'><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            f"<div class='post-1'>{paragraphs}<div class='jp-box'><h3>Tin liên quan</h3></div>"
            "<div class='nav'><a href='/tin/bai-truoc-12345.html'>Huyện đảo Cô Tô đón đoàn "
            "khách du lịch đầu tiên</a> <a href='/tin/bai-sau-12346.html'>Cô Tô mở thêm tuyến "
            "tàu cao tốc ra đảo</a></div></div></body></html>")
    result = extract_article(html, PAGE)
    assert_body(result, [])
    assert "fallback_used" not in result["flags"]  # read from the page, not brought back


def test_the_english_edition_of_a_paper_titles_its_related_news_in_english() -> None:
    """Provincial papers and portals keep an English edition: "Related news" over a list and a
    "Read more:" line are related, as their Vietnamese titles are."""
    box = ("<div class='box'><h3>Related news</h3><ul>"
           "<li><a href='/en/ha-long-bay-visitors.html'>Ha Long Bay welcomes record number of "
           "visitors</a></li><li><a href='/en/new-bridge-opens.html'>New bridge opens to "
           "traffic in the provincial capital</a></li></ul></div>")
    line = ("<p><b>Read more:</b> <a href='/en/rice-harvest-2025.html'>Farmers expect a good "
            "winter rice harvest this year</a></p>")
    result = extract_article(page(body_extra=line, after=box), PAGE)
    assert_body(result, ["Read more", "Ha Long Bay", "New bridge", "Farmers expect"])
    assert paths(result) == ["/en/rice-harvest-2025.html", "/en/ha-long-bay-visitors.html",
                             "/en/new-bridge-opens.html"]


def test_a_box_title_that_combines_what_stories_with_how_they_relate_is_a_related_title() -> None:
    # portals name the stories ("Bài viết", "Các tin") and say how they relate ("cùng chủ
    # đề", "khác đã đưa") in combinations no list spells out one by one
    def box(title: str, first: int) -> str:
        return (f"<div class='khung'><div class='title'>{title}</div><ul>"
                + "".join(f"<li><a href='/Trang/ChiTietTinTuc.aspx?nid={n}'>Huyện vùng cao "
                          f"khánh thành cầu dân sinh số {n}</a> ({n % 9 + 10}/03/2025)</li>"
                          for n in range(first, first + 2)) + "</ul></div>")
    lines = ("<p><b>Bài viết cùng chủ đề</b></p><p><a href='/?p=24'>Hợp tác xã chè ký kết "
             "tiêu thụ nông sản</a></p><p><a href='/a26.html'>Làng nghề gốm cổ đón khách "
             "dịp cuối tuần</a></p>")
    result = extract_article(page(body_extra=lines, after=box("Các tin khác đã đưa", 31)), PAGE)
    assert_body(result, ["Hợp tác xã chè", "Làng nghề gốm", "cầu dân sinh", "cùng chủ đề",
                         "khác đã đưa"])
    assert paths(result) == ["/?p=24", "/a26.html", "/Trang/ChiTietTinTuc.aspx?nid=31",
                             "/Trang/ChiTietTinTuc.aspx?nid=32"]
    assert [r["block"] for r in result["related"]] == (
        ["Bài viết cùng chủ đề"] * 2 + ["Các tin khác đã đưa"] * 2)


def test_a_row_of_cards_after_the_story_without_a_title_is_related() -> None:
    # a Bootstrap newspaper's grid under the story: a thumbnail and a headline per card, no
    # title; short ids the URL heuristic does not read, one slug URL that it does
    def cell(path: str, headline: str) -> str:
        return (f"<div class='col-md-4'><a href='{path}'><img src='/up/1.jpg' alt=''></a>"
                f"<h4><a href='{path}'>{headline}</a></h4></div>")
    grid = ("<div class='row'>" + cell("/a36.html", "Làng nghề gốm cổ đón khách dịp cuối tuần")
            + cell("/tin/34", "Hợp tác xã chè ký kết tiêu thụ nông sản")
            + cell("/tin/le-hoi-dua-thuyen-tren-song.html", "Huyện ven biển tổ chức lễ hội "
                   "đua thuyền") + "</div>")
    result = extract_article(page(after=grid), PAGE)
    assert_body(result, ["Làng nghề gốm", "Hợp tác xã chè", "lễ hội đua thuyền"])
    assert paths(result) == ["/a36.html", "/tin/34", "/tin/le-hoi-dua-thuyen-tren-song.html"]
    assert {r["found_by"] for r in result["related"]} == {"list"}
    # a row none of whose links looks like an article's is not found by its look alone
    tiles = grid.replace("/tin/le-hoi-dua-thuyen-tren-song.html", "/tin/35")
    assert extract_article(page(after=tiles), PAGE)["related"] == []


def test_a_box_title_drawn_as_a_picture_titles_its_box() -> None:
    # older portals draw box titles as images; the alt text is the title. On a page whose
    # body container is not recognised, no other rule finds the box
    box = ("<div class='ModuleOther'><div class='hd'><img src='/images/tieude-tinkhac.gif' "
           "alt='Tin cùng chuyên mục'></div><ul>"
           + "".join(f"<li><a href='/News/ctl/Detail/mid/500/id/{n}'>Huyện vùng cao khánh "
                     f"thành cầu dân sinh số {n}</a></li>" for n in (21, 22)) + "</ul></div>")
    unknown = page(after=box).replace("article__body", "ArticleText")
    result = extract_article(unknown, PAGE)
    assert_body(result, ["cầu dân sinh"])
    assert paths(result) == ["/News/ctl/Detail/mid/500/id/21", "/News/ctl/Detail/mid/500/id/22"]
    assert [r["block"] for r in result["related"]] == ["Tin cùng chuyên mục"] * 2
    # a picture whose alt is no box title titles nothing
    photo = unknown.replace("alt='Tin cùng chuyên mục'", "alt='Cầu dân sinh'")
    assert extract_article(photo, PAGE)["related"] == []


def test_a_box_title_that_shows_how_many_stories_it_holds_is_still_its_title() -> None:
    box = ("<div class='box-icon'><h3><i class='fa fa-list'></i> Tin liên quan (2)</h3><ul>"
           "<li><a href='/?p=46' target='_blank'>Hợp tác xã chè ký kết tiêu thụ nông sản</a></li>"
           "<li><a href='/?p=47'>Làng nghề gốm cổ đón khách dịp cuối tuần</a></li></ul></div>")
    result = extract_article(page(after=box), PAGE)
    assert_body(result, ["Hợp tác xã chè", "Làng nghề gốm", "Tin liên quan"])
    assert paths(result) == ["/?p=46", "/?p=47"]
    assert {r["found_by"] for r in result["related"]} == {"heading"}


def test_a_box_of_lead_in_lines_right_after_the_body_is_related() -> None:
    # the section's older and newer story under a post, one lead-in line each, in one box
    nav = ("<div class='post-nav'><p>« Tin cũ hơn: <a href='/?p=59'>Hợp tác xã chè ký kết "
           "tiêu thụ nông sản</a></p><p>Tin mới hơn: <a href='/?p=60'>Làng nghề gốm cổ đón "
           "khách dịp cuối tuần</a> »</p></div>")
    result = extract_article(page(after=nav), PAGE)
    assert_body(result, ["Hợp tác xã chè", "Làng nghề gốm", "Tin cũ hơn", "Tin mới hơn"])
    assert paths(result) == ["/?p=59", "/?p=60"]
    # a box that also holds a line of other text is not such a box
    other = nav.replace("</div>", "<p>Bản quyền thuộc về báo tỉnh <a href='/?p=61'>Giới "
                                  "thiệu tòa soạn và liên hệ</a></p></div>")
    assert paths(extract_article(page(after=other), PAGE)) == []


def test_a_lead_in_line_keeps_its_links_though_each_is_followed_by_its_date() -> None:
    line = ("<p><b>Tin liên quan:</b><br>- <a href='/?p=69'>Hợp tác xã chè ký kết tiêu thụ "
            "nông sản</a> (10/3)<br>- <a href='/?p=70'>Làng nghề gốm cổ đón khách dịp cuối "
            "tuần</a> (11/03/2025 15:30)</p>")
    result = extract_article(page(body_extra=line), PAGE)
    assert_body(result, ["Hợp tác xã chè", "Làng nghề gốm", "Tin liên quan", "(10/3)"])
    assert paths(result) == ["/?p=69", "/?p=70"]
    # words besides the links make the line a sentence of the story, dates or not
    prose = line.replace("(10/3)", "được tổ chức hôm 10/3")
    assert "Hợp tác xã chè" in extract_article(page(body_extra=prose), PAGE)["text"]


def test_a_definition_lists_term_titles_its_items() -> None:
    box = ("<dl class='dsTin'><dt>Các tin khác</dt>"
           "<dd><a href='/Trang/ChiTietTinTuc.aspx?nid=78'>Hợp tác xã chè ký kết tiêu thụ nông "
           "sản</a></dd><dd><a href='/Pages/x.aspx?ItemID=79'>Làng nghề gốm cổ đón khách dịp "
           "cuối tuần</a></dd></dl>")
    result = extract_article(page(after=box), PAGE)
    assert_body(result, ["Hợp tác xã chè", "Làng nghề gốm", "Các tin khác"])
    assert paths(result) == ["/Trang/ChiTietTinTuc.aspx?nid=78", "/Pages/x.aspx?ItemID=79"]
    assert [r["block"] for r in result["related"]] == ["Các tin khác"] * 2


def test_a_box_titled_with_an_events_name_holds_that_events_stories() -> None:
    # "Dòng sự kiện: <the event>" over the event's stories, inside the body: the stories are
    # related news and the title (a link to the event's page) is no line of the story
    box = ("<div class='topic'><h3 class='box-heading'><a href='/chu-de/mua-lu-mien-trung-5.html'>"
           "<span>Dòng sự kiện:</span> Mưa lũ miền Trung</a></h3><div class='box-content'>"
           + "".join(f"<article><h2><a href='/tin/{slug}.html'>{headline}</a></h2>"
                     f"<time>0{n}/11/2025 10:24</time></article>"
                     for n, slug, headline in (
                         (1, "di-doi-dan-vung-sat-lo", "Khẩn trương di dời dân khỏi vùng sạt lở"),
                         (2, "ho-tro-luong-thuc-vung-lu", "Hỗ trợ lương thực cho bà con vùng lũ"),
                         (3, "sua-chua-duong-sau-lu", "Sửa chữa đường giao thông hư hỏng sau lũ")))
           + "</div></div>")
    result = extract_article(page(body_extra=box), PAGE)
    assert_body(result, ["Dòng sự kiện", "Mưa lũ miền Trung", "di dời dân"])
    assert paths(result) == ["/tin/di-doi-dan-vung-sat-lo.html",
                             "/tin/ho-tro-luong-thuc-vung-lu.html",
                             "/tin/sua-chua-duong-sau-lu.html"]
    assert {r["found_by"] for r in result["related"]} == {"heading"}
    # alone, "Dòng sự kiện" titles the site's list of events (pages of events): a menu, not
    # related news
    menu = ("<div class='events'><div class='box-heading'><span>Dòng sự kiện</span></div><ul>"
            "<li><a href='/su-kien/mua-lu-mien-trung-lich-su.5.html'>Mưa lũ miền Trung</a></li>"
            "<li><a href='/su-kien/dai-hoi-dang-bo-cac-cap-nhiem-ky-moi.6.html'>Đại hội Đảng bộ "
            "các cấp nhiệm kỳ mới</a></li></ul></div>")
    assert extract_article(page(after=menu), PAGE)["related"] == []


def test_a_box_of_the_most_watched_stories_is_navigation_whatever_it_names_first() -> None:
    # "Video đang xem nhiều" beside the body: the site's most watched, never this story's kin
    box = ("<section class='zone'><h3 class='box-heading'><a href='/video/'>Video đang xem nhiều"
           "</a></h3><article><h2><a href='/tin/mo-hinh-dan-van-kheo-o-xa-vung-cao-88123.html'>"
           "Mô hình dân vận khéo ở xã vùng cao được nhân rộng</a></h2></article></section>")
    result = extract_article(page(after=box), PAGE)
    assert_body(result, ["Mô hình dân vận", "Video đang xem nhiều"])
    assert result["related"] == []


def test_a_box_titled_by_a_link_to_a_section_is_neither_related_nor_body() -> None:
    # under the story, inside the body's column, the site teases its sections: a "Video" box
    # whose title links the video sub-site, a photo box whose title links /anh.htm; each holds
    # headlines only (a label such as "Ảnh 360" at most). Neither is about this story.
    def item(path: str, headline: str, label: str = "") -> str:
        return (f"<li><a href='{path}' class='thumb'><img src='/t.jpg' alt='{headline}'></a>"
                f"<a href='{path}' class='item_title'>{label}{headline}</a></li>")
    video = ("<div class='cb-box'><h2><a href='https://video.baotinh.vn/' class='topic-link'>"
             "<span class='icon'></span><span>Video</span></a></h2><ul class='list-cb'>"
             + item("/video/mua-lua-tren-cao-nguyen-v20250304101.htm", "Mùa lúa chín trên "
                    "cao nguyên đá nhìn từ trên cao")
             + item("/video/cho-phien-vung-cao-v20250304102.htm", "Chợ phiên vùng cao rộn ràng "
                    "ngày cuối tuần") + "</ul></div>")
    photos = ("<div class='cb-box'><h2><a href='/anh.htm'>Ảnh</a></h2><ul class='list-photo'>"
              + "".join(item(f"/anh/phong-su-anh-{n}-2025030410{n}.htm", headline,
                             "<label>Ảnh 360</label>" if n == 2 else "")
                        for n, headline in enumerate((
                            "Phóng sự ảnh về làng nghề dệt thổ cẩm bên dòng sông quê hương",
                            "Những cánh đồng hoa cải vàng rực rỡ đón du khách dịp cuối tuần",
                            "Người dân vùng biển tất bật vào mùa thu hoạch muối giữa nắng gắt",
                            "Đường hoa xuân mới mở trên đại lộ ven sông thu hút người dân",
                            "Hành trình của những người thợ giữ nghề đúc đồng ở làng cổ ven đô",
                            "Mùa nước nổi miền Tây và những chuyến đò chở đầy cá linh về chợ")))
              + "</ul></div>")
    more = "".join(f"<p>{p}</p>" for p in (
        "Trong năm, toàn tỉnh đã hoàn thành và đưa vào sử dụng nhiều công trình giao thông, "
        "trường học và trạm y tế ở các xã vùng sâu, vùng xa, góp phần cải thiện đời sống.",
        "Thu ngân sách trên địa bàn vượt dự toán được giao, trong đó nguồn thu từ hoạt động "
        "sản xuất công nghiệp và dịch vụ du lịch tăng mạnh so với cùng kỳ năm trước.",
        "Công tác cải cách hành chính tiếp tục có chuyển biến, phần lớn thủ tục được giải "
        "quyết trực tuyến, rút ngắn thời gian chờ đợi của người dân và doanh nghiệp.",
        "Bên cạnh kết quả đạt được, hội nghị cũng chỉ ra những hạn chế cần khắc phục như tiến "
        "độ giải ngân vốn đầu tư công còn chậm, một số dự án vướng mặt bằng kéo dài."))
    result = extract_article(page(body_extra=more + video + photos), PAGE)
    assert_body(result, ["Mùa lúa chín", "Chợ phiên vùng cao", "Phóng sự ảnh về làng nghề",
                         "hoa cải vàng", "đúc đồng", "Ảnh 360"])
    assert not [p for p in paths(result) if "/video/" in p or "/anh/" in p]


def test_a_part_of_the_story_titled_by_a_link_to_a_section_stays_body() -> None:
    # a round-up whose parts are titled by links to their sections: each part has sentences
    # of its own besides its links, so it is the story, not a teaser box
    part = ("<div class='part'><h3><a href='/kinh-te.htm'>Kinh tế</a></h3><p>Giá trị sản xuất "
            "công nghiệp quý này tăng khá, <a href='/tin/cong-nghiep-quy-mot-20250304.htm'>theo "
            "số liệu sơ bộ của ngành công thương tỉnh</a> công bố sáng nay.</p></div>")
    result = extract_article(page(body_extra=part), PAGE)
    assert_body(result, [])
    assert "Giá trị sản xuất công nghiệp quý này tăng khá" in result["text"]


def test_a_wordpress_related_posts_block_spelled_with_underscores_is_related() -> None:
    # tagDiv Newspaper: "td_block_related_posts", its title a row of tabs ("BÀI VIẾT LIÊN QUAN |
    # Thêm từ tác giả") that names no box alone
    cards = "".join(
        f'<div class="td-related-span4"><a href="{HOST}/{slug}/" title="{t}"><img src="/a.jpg"></a>'
        f'<h3 class="entry-title"><a href="{HOST}/{slug}/">{t}</a></h3></div>'
        for slug, t in (("ra-quan-lam-duong", "Xã vùng cao ra quân làm đường giao thông nông thôn"),
                        ("khanh-thanh-cau", "Khánh thành cầu dân sinh nối hai bản vùng biên giới"),
                        ("trao-nha", "Trao nhà đại đoàn kết cho các hộ nghèo ở xã ven biển")))
    block = ('<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title">'
             '<a class="td-cur-simple-item" href="#">BÀI VIẾT LIÊN QUAN</a><a href="#">Thêm từ '
             f'tác giả</a></h4><div class="td-related-row">{cards}</div></div>')
    result = extract_article(page(after=block), PAGE)
    assert [r["url"] for r in result["related"]] == [
        f"{HOST}/ra-quan-lam-duong/", f"{HOST}/khanh-thanh-cau/", f"{HOST}/trao-nha/"]
    assert "Khánh thành cầu dân sinh" not in result["text"]


# --- rows, cards and jump lists a script makes links ------------------------------------------
# a block's members are its links however they are written: a row or card whose onclick sends
# the browser to a page (crawler.urls.GOES_TO), or that names it in data-href, data-link or
# data-url, and a <select> jump list; share, print and like buttons, counters, "Xem thêm" and
# pagers written so are no headlines and stay out

SCRIPT_ROWS = [("/tin/xa-dao-nghiem-thu-ke.html", "Xã đảo nghiệm thu công trình kè chống sạt lở"),
               ("/tin/hoi-phu-nu-ngay-hoi.html", "Hội Phụ nữ huyện tổ chức ngày hội đại đoàn kết"),
               ("/tin/tram-y-te-cap-the.html", "Trạm y tế xã cấp thẻ bảo hiểm cho hộ cận nghèo")]
TOOLS = ("<div class='tools'><span onclick=\"window.open('https://www.facebook.com/sharer/"
         f"sharer.php?u={PAGE}')\">Chia sẻ lên mạng xã hội</span> <span onclick='window.print()'>"
         "In bài viết này</span> <span class='like' data-url='/api/like?id=30999'>Thích</span>"
         " <span class='views' data-url='/ajax/luot-xem.php?id=30999'>1.204 lượt xem</span></div>")


def test_rows_a_script_makes_links_are_the_members_of_a_related_block() -> None:
    ways = ["onclick=\"location.href='{u}'\"", "onclick=\"window.location.assign('{u}')\"",
            "data-href='{u}'"]
    rows = "".join(f"<li {way.format(u=u)}>{t}</li>"
                   for way, (u, t) in zip(ways, SCRIPT_ROWS, strict=True))
    block = (f"<div class='box'><h3>Tin liên quan</h3><ul>{rows}</ul>"
             "<div class='more' onclick=\"location.href='/tin-tuc'\">Xem thêm</div>"
             "<span onclick=\"location.href='?page=2'\">2</span></div>")
    result = extract_article(page(TOOLS + block), PAGE)
    assert_body(result, [t for _, t in SCRIPT_ROWS])
    assert paths(result) == [u for u, _ in SCRIPT_ROWS]  # no share, like, "Xem thêm" or pager
    assert {(r["block"], r["found_by"]) for r in result["related"]} == {
        ("Tin liên quan", "heading")}


def test_cards_named_by_data_url_or_link_and_rows_with_dead_anchors_are_related() -> None:
    (u1, t1), (u2, t2), (u3, t3) = SCRIPT_ROWS
    cards = (f"<div class='card' data-url='{u1}'><img src='/up/1.jpg' alt=''><h4>{t1}</h4>"
             "<span>01/11/2026</span></div>"
             f"<div class='card' data-link='{u2}'><img src='/up/2.jpg' alt=''><h4>{t2}</h4>"
             "<span>02/11/2026</span></div>")
    row = (f"<table><tr onclick=\"location.href='{u3}'\"><td><a href='javascript:void(0)'>{t3}"
           "</a></td></tr></table>")
    block = (f"<div class='box'><h3>Tin cùng chuyên mục</h3><div class='row'>{cards}</div>"
             f"{row}</div>")
    result = extract_article(page(block), PAGE)
    assert_body(result, [t1, t2, t3, "Tin cùng chuyên mục"])
    assert paths(result) == [u1, u2, u3]


def test_a_jump_list_of_related_stories_is_related() -> None:
    options = "".join(f"<option value='{u}'>{t}</option>" for u, t in SCRIPT_ROWS)
    block = ("<div class='box'><h3>Tin liên quan</h3><select onchange='location.href=this.value'>"
             f"<option value=''>-- Chọn tin --</option>{options}</select></div>")
    result = extract_article(page(after=block), PAGE)
    assert_body(result, [])
    assert paths(result) == [u for u, _ in SCRIPT_ROWS]


def test_buttons_counters_and_rows_outside_related_blocks_leave_the_page_as_it_was() -> None:
    (u, t) = SCRIPT_ROWS[0]
    side = f"<div class='side'><div class='row' onclick=\"location.href='{u}'\">{t}</div></div>"
    tree = lxml.html.fromstring(page(TOOLS, after=side))
    before = lxml.html.tostring(tree)
    related, _ = extract_related(tree, PAGE, protected=[tree.find_class("article__body")[0]])
    assert related == []
    assert lxml.html.tostring(tree) == before


def test_a_related_box_is_named_with_underscores_as_well_as_hyphens() -> None:
    """A box after the body whose class names it related news with "_" between the words
    ("news_relate_one", "tin_lien_quan", "related_news"), holding one card (thumbnail, headline,
    teaser) and no heading: the card is a related link and its teaser is not body. The
    separator is the template's habit: "news-relate" was found, "news_relate" was not."""
    teaser = "Hai cá nhân bị xử phạt tổng cộng ba tỷ đồng vì thao túng cổ phiếu của tỉnh"
    for name in ("news_relate_one d-flex", "tin_lien_quan", "box_related_news"):
        after = (f"<div class='{name}'><a href='/tin/xu-phat.html'><img src='/a.jpg' alt=''></a>"
                 "<div><a href='/tin/xu-phat.html'>Xử phạt hai cá nhân thao túng cổ phiếu giai "
                 f"đoạn năm trước</a><div>{teaser}</div></div></div>")
        result = extract_article(page(after=after), PAGE)
        assert_body(result, ["Xử phạt hai cá nhân", teaser])
        assert paths(result) == ["/tin/xu-phat.html"], name


def test_cards_named_related_only_by_their_analytics_name_are_related() -> None:
    """Heading-less cards after the body whose only name is the one the page gives them for
    its analytics (Matomo's content tracking: data-content-name="article-related"; their
    classes are layout utilities): their headlines are related links and their teasers are
    not body. A box named "article-popular" the same way is not related news."""
    def cards(name: str, paths_: list[str]) -> str:
        return "".join(
            f"<article class='dt-flex dt-gap-5' data-content-name='{name}' data-track-content>"
            f"<a href='{p}'><img src='/a.jpg' alt=''></a><div><h3><a href='{p}'>Giá vàng trong "
            f"nước điều chỉnh phiên {n}</a></h3><div class='dt-text-sm'>Lời dẫn của bài số {n} "
            "về giá vàng miếng trong nước và thế giới</div></div></article>"
            for n, p in enumerate(paths_, 1))
    related = ["/tin/gia-vang-1.html", "/tin/gia-vang-2.html", "/tin/gia-vang-3.html"]
    after = (f"<div class='dt-p-6'>{cards('article-related', related)}</div>"
             f"<div class='dt-p-6'>{cards('article-popular', ['/tin/doc-nhieu.html'])}</div>")
    result = extract_article(page(after=after), PAGE)
    assert_body(result, ["Giá vàng trong nước", "Lời dẫn của bài số"])
    assert paths(result) == related


def test_a_paragraph_of_many_headline_links_each_behind_an_arrow_is_related() -> None:
    """A paragraph closing the story that is nothing but headline links each behind an arrow,
    one a line (a SharePoint portal's rich-text field: seven ">> …" links with <br> between):
    the arrows are the editor's mark of related links, however many, where a box of plain
    links is a card only up to four. The same lines without the arrows stay as they were."""
    headlines = [f"Huyện miền núi thứ {n} hoàn thành chương trình xây nhà cho hộ nghèo"
                 for n in range(7)]
    lines = "<br>".join(f"<a href='/tin/nha-ho-ngheo-{n}.html'>&gt;&gt; {h}</a>"
                        for n, h in enumerate(headlines))
    result = extract_article(page(body_extra=f"<p>{lines}</p>"), PAGE)
    assert_body(result, ["Huyện miền núi thứ 3"])
    assert paths(result) == [f"/tin/nha-ho-ngheo-{n}.html" for n in range(7)]
    plain = lines.replace("&gt;&gt; ", "")
    result = extract_article(page(body_extra=f"<p>{plain}</p>"), PAGE)
    assert paths(result) == []


def test_a_list_of_one_headline_between_the_lead_and_the_body_is_related() -> None:
    """A heading-less list holding one headline link, right above the body container (below
    the lead: a 2014 news template's "relative_new"), is the story's related link and not
    body. A list of one elsewhere (a sidebar's, a "back to the section" link) is not."""
    one = ("<ul class='list-dot'><li><a href='/tin/khoi-cong-truong-hoc.html'>Huyện vùng cao "
           "khởi công trường học mới cho học sinh</a></li></ul>")
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)

    def with_list(where: str) -> str:
        top, side = (f"<div class='rel'>{one}</div>", "") if where == "above" else ("", one)
        return (f"<html lang='vi'><head><title>{TITLE}</title>"
                "<meta property='og:type' content='article'></head><body><div class='main'>"
                f"<h1>{TITLE}</h1><div class='lead'>Lời dẫn của bài viết về hội nghị tổng kết "
                f"công tác năm của tỉnh.</div>{top}<div class='article__body'>{paragraphs}</div>"
                f"</div><div class='side'><p>Liên kết</p>{side}</div></body></html>")
    result = extract_article(with_list("above"), PAGE)
    assert_body(result, ["Huyện vùng cao khởi công"])
    assert paths(result) == ["/tin/khoi-cong-truong-hoc.html"]
    assert paths(extract_article(with_list("side"), PAGE)) == []


def test_a_related_title_written_as_a_link_still_titles_its_box() -> None:
    """A box title that is a link (to the home page: a 2012 template's "divRelateN") titles its
    box by its words when they are a related-news title (the class names here say nothing); a
    box titled by a link to a section ("Thể thao") is not related news."""
    items = "".join(f"<li><a href='/tin/hoi-nghi-{n}.html'>Hội nghị lần thứ {n} "
                    f"bàn về kế hoạch phát triển của tỉnh</a></li>" for n in range(4))
    after = ("<div class='box-c'><div class='rn'><a href='/'>Tin liên quan</a>"
             f"</div><ul class='list-a'>{items}</ul></div>")
    result = extract_article(page(after=after), PAGE)
    assert_body(result, ["Hội nghị lần thứ 2", "Tin liên quan"])
    assert paths(result) == [f"/tin/hoi-nghi-{n}.html" for n in range(4)]
    assert {r["block"] for r in result["related"]} == {"Tin liên quan"}
    sport = after.replace("<a href='/'>Tin liên quan</a>", "<a href='/the-thao/'>Thể thao</a>")
    assert paths(extract_article(page(after=sport), PAGE)) == []


def test_a_plain_text_title_of_the_most_commented_stories_heads_a_navigation_box() -> None:
    """A box under the story titled in a plain table cell "Bình luận được xem nhiều nhất" (a
    2012 template's readers' letters box: each row a headline link and its teaser) is
    navigation, however the title words "most read": neither body nor related news, as an
    <h3> so titled is."""
    rows = "".join(f"<tr><td><a href='/tam-su/thu-{n}.html'>Lá thư thứ {n} của một bạn đọc gửi "
                   f"tòa soạn</a><br>Đoạn trích lá thư thứ {n}, kể chuyện gia đình và công việc "
                   "của người viết trong năm qua.</td></tr>" for n in range(5))
    box = f"<table width='300'><tr><td>Bình luận được xem nhiều nhất</td></tr>{rows}</table>"
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = (f"<html lang='vi'><head><title>{TITLE}</title></head><body><div class='col'>"
            f"<h1>{TITLE}</h1><div class='x'>{paragraphs}<p>{RUNNING}</p></div>{box}</div>"
            "</body></html>")  # no body container: the box sits in the story's column
    result = extract_article(html, PAGE)
    assert_body(result, ["Bình luận được xem", "Lá thư thứ 2", "Đoạn trích lá thư"])
    assert paths(result) == []
