"""Synthetic pages on templates whose body container no class names: div soup without a class,
Tailwind utility classes. The story is what follows the headline down to the end of its own
text; the menu, the breadcrumb and the footer around it are the page's."""

from __future__ import annotations

from pipelines.extractor.article import extract_article
from pipelines.extractor.lines import _after_headline, _chrome_line

TITLE = "Hội nghị tổng kết công tác phòng chống thiên tai của các huyện ven biển"
SAPO = ("Năm qua, các huyện ven biển đã chủ động ứng phó với sáu cơn bão và nhiều đợt mưa lớn, "
        "hạn chế thấp nhất thiệt hại về người và tài sản của nhân dân.")
BODY = [
    "Sáng nay, tại trung tâm hội nghị tỉnh, Ban Chỉ huy phòng chống thiên tai tỉnh tổ chức hội "
    "nghị tổng kết công tác năm và triển khai nhiệm vụ năm tới với các huyện ven biển.",
    "Theo báo cáo, các địa phương đã sơ tán kịp thời hơn ba nghìn hộ dân khỏi vùng nguy hiểm, "
    "gia cố hàng chục ki-lô-mét đê biển và kè sông xung yếu trước mùa mưa bão.",
    "Phát biểu kết luận, lãnh đạo tỉnh đề nghị các huyện rà soát phương án ứng phó, chuẩn bị "
    "đầy đủ vật tư, phương tiện theo phương châm bốn tại chỗ ngay từ đầu năm.",
]
MENU = ["Trang chủ", "Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao",
        "Giáo dục", "Y tế", "Pháp luật", "Quốc tế", "Du lịch"]
FOOTER = ("Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Chịu trách nhiệm chính: Giám đốc Trung tâm "
          "Truyền thông tỉnh. Địa chỉ: số 1 đường Trần Hưng Đạo, thành phố. Điện thoại: 0203 3835 "
          "888. Giấy phép số 125/GP-TTĐT do Cục Phát thanh, truyền hình và thông tin điện tử cấp.")
URL = "https://baotinh.example.vn/thoi-su/hoi-nghi-tong-ket-a61001.html"


def page(body: str) -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f'<meta name="description" content="{SAPO}"></head>{body}</html>')


def test_a_div_soup_story_is_read_from_its_headline_not_from_the_menu_above_it() -> None:
    # no class anywhere: trafilatura's text runs on into the footer, so the block it came from
    # is the page's outer <div>, which holds the menu and the breadcrumb above the headline
    menu = "".join(f'<li><a href="/muc-{i}">{name}</a></li>' for i, name in enumerate(MENU))
    crumb = ('<a href="/">Trang chủ</a> &gt; <a href="/thoi-su">Thời sự</a> &gt; '
             '<a href="/xa-hoi">Xã hội</a>')
    html = page(f"""<body><div><div><a href="/"><img src="/logo.png"></a>
<div>Thứ Tư, 02/12/2026</div></div>
<div><ul>{menu}</ul></div>
<div><div><div>{crumb}</div>
<h2>{TITLE}</h2><div>Thứ Ba, 01/12/2026 - 08:30</div><div><b>{SAPO}</b></div>
<div>{"".join(f"<p>{p}</p>" for p in BODY)}<p><strong>Minh Hà</strong></p></div></div></div>
<div><p>{FOOTER}</p></div></div></body>""")
    text = extract_article(html, URL)["text"]
    for phrase in [SAPO, *BODY, "Minh Hà"]:
        assert phrase in text
    for phrase in ["Chính trị", "Pháp luật", "Trang chủ", "Thứ Tư, 02/12/2026"]:
        assert phrase not in text, phrase


def test_a_tailwind_headline_set_leading_tight_is_no_sapo() -> None:
    # Tailwind's "leading-*" is a line height: the <h2> headline wearing it is not the lead
    menu = "".join(f'<li><a href="/m{i}">{name}</a></li>' for i, name in enumerate(MENU))
    html = page(f"""<body class="bg-white"><div class="container mx-auto px-4">
<ul class="flex gap-4">{menu}</ul>
<div class="grid grid-cols-12"><div class="col-span-8">
<h2 class="mt-2 text-3xl font-bold leading-tight">{TITLE}</h2>
<div class="mt-2 text-sm text-gray-500">01/12/2026 08:30</div>
<div class="mt-4 text-lg font-semibold">{SAPO}</div>
<div class="mt-6 space-y-4 leading-7">{"".join(f'<p class="mb-4">{p}</p>' for p in BODY)}</div>
</div></div><div class="mt-10 text-xs">{FOOTER}</div></div></body>""")
    result = extract_article(html, URL)
    assert result["description"] == SAPO
    assert result["text"].startswith(SAPO)
    assert TITLE not in result["text"]
    for phrase in BODY:
        assert phrase in result["text"]


def test_a_layout_tables_article_cell_is_read_from_its_headline_not_its_breadcrumb() -> None:
    # an ASP.NET-era page laid out in tables, no class named: the cell holding the headline
    # holds the breadcrumb's row above it too
    menu = "".join(f'<td><a href="/muc-{i}">{name}</a></td>' for i, name in enumerate(MENU))
    html = page(f"""<body><form id="form1"><table width="1000">
<tr><td colspan="2"><img src="/images/banner.jpg"></td></tr><tr><td colspan="2"><table><tr>{menu}
</tr></table></td></tr><tr><td width="200">Liên kết website</td><td width="800"><table>
<tr><td><a href="/">Trang chủ</a> &gt; <a href="/thong-bao">Thông báo chung</a></td></tr>
<tr><td><b>{TITLE}</b></td></tr><tr><td><span id="lblDate">01/12/2026 08:30</span></td></tr>
<tr><td><span id="lblContent"><p>{BODY[0]}</p></span></td></tr></table></td></tr>
<tr><td colspan="2">{FOOTER}</td></tr></table></form></body>""")
    text = extract_article(html, URL)["text"]
    assert BODY[0] in text
    for phrase in ["Thông báo chung", "Trang chủ", TITLE]:
        assert phrase not in text, phrase






# A story on utility classes beside a sidebar of links, short beside the page: plain
# trafilatura is asked, and its text runs on into the footer's colophon, which lands before the
# body's closing credit line ("Hoàng Quân"), where the last line's check never sees it.
FOOTER_READ_ON = (
    '<html lang="vi"><head><meta name="description" content="Năm '
    '2026, trong bối cảnh còn nhiều khó khăn, thách thức, tỉnh đã '
    'hoàn thành và vượt 22/24 chỉ tiêu chủ yếu, tạo nền tảng vững '
    'chắc cho việc thực hiện các mục tiêu của năm 2027."></head><body '
    'class="bg-white text-gray-900"><div class="container mx-auto '
    'px-4">\n<div class="grid grid-cols-12 gap-8 mt-6"><div class="col-span-12 '
    'lg:col-span-8">\n<div class="mt-4 text-lg font-semibold leading-relaxed">'
    'Năm 2026, trong bối cảnh còn nhiều khó khăn, thách thức, tỉnh '
    'đã hoàn thành và vượt 22/24 chỉ tiêu chủ yếu, tạo nền tảng vững '
    'chắc cho việc thực hiện các mục tiêu của năm 2027.</div>\n<div '
    'class="mt-6 space-y-4 text-base leading-7"><p class="mb-4">Từ '
    'vài héc-ta quế trồng theo cách truyền thống, đến nay nhiều hộ '
    'đồng bào Dao ở xã vùng cao đã chuyển sang sản xuất quế hữu cơ, '
    'bán với giá cao gấp rưỡi.</p><figure><figcaption>Rừng quế hữu '
    'cơ của gia đình anh Triệu Văn Sinh ở thôn Khe Tâm.</figcaption>'
    '</figure><p class="mb-4">Anh Triệu Văn Sinh cho biết, từ khi '
    'được cấp chứng nhận hữu cơ, mỗi năm gia đình anh thu về hơn '
    'năm trăm triệu đồng từ vỏ quế và tinh dầu, gấp đôi so với trước '
    'đây.</p><p><strong>Hoàng Quân</strong></p></div>\n<div class="mt-8">'
    '<ul class="mt-3 space-y-2"><li class="hover:underline"><a href="/thoi-su/tinh-uy'
    '-so-ket-cong-tac-xay-dung-dang-a52298.html">Tỉnh ủy sơ kết công '
    'tác xây dựng Đảng mười một tháng đầu năm</a></li><li class="hover:underline">'
    '<a href="/kinh-te/day-nhanh-giai-ngan-von-dau-tu-cong-a52270.html">'
    'Đẩy nhanh tiến độ giải ngân vốn đầu tư công những tháng cuối '
    'năm</a></li><li class="hover:underline"><a href="/thoi-su/trao-quyet-dinh-bo-nhi'
    'em-can-bo-a52265.html">Trao quyết định bổ nhiệm cán bộ lãnh '
    'đạo Sở Nội vụ tỉnh</a></li></ul></div></div>\n<div class="col-span-12 '
    'lg:col-span-4"><ul class="space-y-2"><li class="hover:underline">'
    '<a href="/tin/0-78628.html">Cháy rừng phòng hộ ở xã ven biển '
    'được khống chế sau năm giờ</a></li><li class="hover:underline">'
    '<a href="/tin/1-63489.html">Khởi công khu nhà ở xã hội hai nghìn '
    'căn hộ tại phường Hà Khánh</a></li><li class="hover:underline">'
    '<a href="/tin/2-62773.html">Đội tuyển bóng đá tỉnh giành vé '
    'thăng hạng nhất quốc gia</a></li><li class="hover:underline">'
    '<a href="/tin/3-86414.html">Cảnh báo lừa đảo qua mạng nhắm vào '
    'người cao tuổi dịp cuối năm</a></li><li class="hover:underline">'
    '<a href="/tin/4-63681.html">Hơn một trăm doanh nghiệp tham gia '
    'hội chợ thương mại biên giới</a></li><li class="hover:underline">'
    '<a href="/tin/5-71581.html">Mưa lớn kéo dài gây sạt lở nhiều '
    'tuyến đường liên xã miền núi</a></li></ul>\n<div class="text-lg '
    'font-bold mt-6">Đọc nhiều</div><ol class="space-y-2"><li class="hover:underline"'
    '><a href="/doc-nhieu/0-46150.html">Giá vàng trong nước tăng '
    'mạnh phiên đầu tuần</a></li><li class="hover:underline"><a href="/doc-nhieu/1-62'
    '142.html">Lịch nghỉ Tết Nguyên đán năm 2027 của cán bộ công '
    'chức</a></li><li class="hover:underline"><a href="/doc-nhieu/2-61796.html">'
    'Phát hiện hang động mới trên đảo trong vịnh di sản</a></li><li '
    'class="hover:underline"><a href="/doc-nhieu/3-55435.html">Học '
    'sinh lớp chín đạt huy chương vàng olympic toán quốc tế</a></li>'
    '<li class="hover:underline"><a href="/doc-nhieu/4-62666.html">'
    'Thay đổi tổ chức giao thông tại nút giao cửa ngõ thành phố</a>'
    '</li></ol></div></div>\n<div class="mt-10 py-6 text-xs text-gray-500 '
    'border-t">Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Chịu trách '
    'nhiệm chính: Giám đốc Trung tâm Truyền thông tỉnh. Địa chỉ: '
    'Số 1 đường Trần Hưng Đạo, thành phố. Điện thoại: 0203 3835 888. '
    'Giấy phép số 125/GP-TTĐT do Cục Phát thanh, truyền hình và thông '
    'tin điện tử cấp.</div></div></body></html>'
)


def test_the_sites_footer_plain_reads_past_the_story_is_not_brought_in() -> None:
    text = extract_article(FOOTER_READ_ON, "https://baotinh.example.vn/tin/bai-a61031.html")["text"]
    for phrase in ["Năm 2026, trong bối cảnh", "Từ vài héc-ta quế", "Rừng quế hữu cơ",
                   "Anh Triệu Văn Sinh cho biết", "Hoàng Quân"]:
        assert phrase in text
    assert "Cơ quan chủ quản" not in text



def test_a_story_read_as_one_run_of_text_loses_its_headline_and_dateline() -> None:
    # HTML5 without classes, a short story: trafilatura's baseline reads the <article> as one
    # line (headline, dateline, story); the headline and dateline at its start are the page's
    headline = "Ảnh: Sắc màu lễ hội hoa sở trên vùng cao biên giới"
    html = f"""<html lang="vi"><head><title>{headline} | Báo Tỉnh</title></head><body><main>
<article><header><h1>{headline}</h1><p><time>Ngày 28/11/2026</time></p></header>
<section><p>{BODY[0]}</p><p><strong>Thu Trang</strong></p></section></article></main>
<footer><p>{FOOTER}</p></footer></body></html>"""
    text = extract_article(html, URL)["text"]
    for phrase in [BODY[0], "Thu Trang"]:
        assert phrase in text
    for phrase in [headline, "28/11/2026"]:
        assert phrase not in text, phrase


def test_the_dateline_cut_after_the_headline_stops_where_the_date_ends() -> None:
    # a date line lets short words through: "Sở Tài" must not be read as part of the date
    line = (f"{TITLE} Thứ sáu, 27/11/2026, 15:10 (GMT+7) Sở Tài chính thông báo danh mục tài "
            "sản công đề nghị đấu giá.")
    assert _after_headline(line, TITLE) == ("Sở Tài chính thông báo danh mục tài sản công đề "
                                            "nghị đấu giá.")
    assert _after_headline(BODY[0], TITLE) == BODY[0]


def test_a_title_opening_the_first_sentence_without_a_dateline_stays_in_it() -> None:
    # a post titled by its subject's name, whose first sentence starts with that name: no
    # dateline follows, so the words are the sentence's own, not a headline glued to it
    line = "Sam Falconer as you can see from above makes lovely illustrations!"
    assert _after_headline(line, "Sam Falconer") == line
    # the headline with its dateline before the story is still cut
    assert _after_headline(f"Sam Falconer 27/11/2026 {BODY[0]}", "Sam Falconer") == BODY[0]



def test_a_caption_in_a_div_soup_story_is_kept_beside_its_headline() -> None:
    # trafilatura's text runs on into the footer, so the block read is the one holding the
    # headline too: the headline, which the body drops, does not count against the block,
    # and the caption trafilatura left out stays in
    caption = "Rừng ngập mặn ven đê được trồng bổ sung trước mùa mưa bão."
    html = page(f"""<body><div><div><div><h2>{TITLE}</h2><div><figure>
<figcaption>{caption}</figcaption></figure><p>{BODY[1]}</p><p><strong>Hoàng Quân</strong></p>
</div></div></div><div><p>{FOOTER}</p></div></div></body>""")
    text = extract_article(html, URL)["text"]
    for phrase in [caption, BODY[1], "Hoàng Quân"]:
        assert phrase in text
    for phrase in [TITLE, "Cơ quan chủ quản"]:
        assert phrase not in text, phrase


def test_a_dateline_and_tool_bar_in_one_row_is_chrome() -> None:
    # a row of spans, the date and the buttons read as one line (with or without a space)
    for line in ["Thứ sáu, 27/11/2026, 15:10 (GMT+7)In bài viết | Gửi email | Chia sẻ",
                 "Cập nhật: 08:30 | 30/11/2026 In bài viết | Về đầu trang",
                 "01/12/2026 08:30 | Chia sẻ"]:
        assert _chrome_line(line, TITLE), line
    for line in ["01/12/2026 08:30", BODY[0], "Ngày 28/11/2026, tỉnh tổ chức lễ chia sẻ",
                 "Thứ Ba, 01/12/2026 - 08:30 Lễ hội hoa sở thu hút du khách"]:
        assert not _chrome_line(line, TITLE), line


RELATED = ["Khai mạc kỳ họp thứ hai mươi Hội đồng nhân dân tỉnh khóa mười bốn",
           "Tỉnh ủy sơ kết công tác xây dựng Đảng mười một tháng đầu năm",
           "Tăng cường kiểm tra an toàn thực phẩm dịp cuối năm tại các chợ"]
LATEST = ["Giá vàng trong nước tăng mạnh phiên đầu tuần",
          "Lịch nghỉ Tết Nguyên đán năm 2027 của cán bộ công chức",
          "Hướng dẫn đăng ký cấp căn cước cho trẻ em dưới mười bốn tuổi"]
PHOTO_LEAD = ("Sáng 2/12, Ủy ban nhân dân tỉnh tổ chức hội nghị trực tuyến với các huyện, thị xã, "
              "thành phố để đánh giá tình hình triển khai các dự án đầu tư công trọng điểm và bàn "
              "giải pháp đẩy nhanh tiến độ giải ngân trong tháng cuối năm.")
CAPTIONS = ["Du khách check-in bên những cây hoa sở nở trắng trên sườn đồi",
            "Các nghệ nhân người Dao biểu diễn múa chuông trong ngày khai hội",
            "Phiên chợ vùng cao ngày hội tấp nập người mua kẻ bán",
            "Thiếu nữ Sán Chỉ trong trang phục truyền thống rực rỡ sắc màu",
            "Đại biểu cắt băng khánh thành cây cầu mới nối hai bờ sông"]


def test_a_photo_story_in_an_unnamed_article_keeps_its_captions() -> None:
    # one paragraph and lazy photos with captions in an <article><div> no class names: plain
    # trafilatura reads the paragraph alone (it leaves captions out by design), and the body's
    # captions and credit line are no sign that it is a dump of the page to replace by plain's
    figures = "".join(f'<figure class="image"><img class="lazy" data-src="/u/{i}.jpg"><noscript>'
                      f'<img src="/u/{i}.jpg"></noscript><figcaption>{c}</figcaption></figure>'
                      for i, c in enumerate(CAPTIONS))
    related = "".join(f'<article class="story"><h3><a href="/thoi-su/tin-{i}-a5230{i}.html">{t}'
                      f"</a></h3></article>" for i, t in enumerate(RELATED))
    latest = "".join(f'<li><a href="/a-1000{i}.html">{t}</a></li>' for i, t in enumerate(LATEST))
    menu = '<ul class="nav">' + "".join(f'<li><a href="/m{i}">{name}</a></li>'
                                        for i, name in enumerate(MENU)) + "</ul>"
    html = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f"""</head><body><header><a href="/"><img src="/logo.png" alt="Báo"></a>{menu}</header>
<main class="main"><div class="container"><div class="detail">
<div class="breadcrumbs"><a href="/thoi-su">Thời sự</a></div>
<h1 class="detail-title">{TITLE}</h1><div class="detail-time">Thứ Tư, 02/12/2026 - 08:30</div>
<article><div><p>{PHOTO_LEAD}</p>{figures}<p><strong>Minh Hà</strong></p></div></article>
<div class="tools"><a href="javascript:window.print()">In bài viết</a></div>
<div class="box-related"><div class="box-title">Tin liên quan</div>{related}</div>
</div><aside class="sidebar"><h3>Đọc nhiều</h3><ul>{latest}</ul></aside></div></main>
<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh<br>Địa chỉ: Số 1 đường Trần Hưng Đạo<br>
Điện thoại: 0203.3835.555</p><div>Số lượt truy cập: 1.234.567</div></footer></body></html>""")
    result = extract_article(html, URL)
    for phrase in [PHOTO_LEAD, *CAPTIONS, "Minh Hà"]:
        assert result["text"].count(phrase) == 1, phrase
    assert "fallback_used" not in result["flags"]


NOTICE = ("Do thi công nâng cấp đường ống cấp nước chính, Công ty Cổ phần Nước sạch tạm dừng cung "
          "cấp nước tại các tổ dân phố 3, 4 và 5 phường Trung Tâm từ 8 giờ đến 17 giờ ngày "
          "05/12/2026. Đề nghị người dân chủ động dự trữ nước sinh hoạt.")


def soup_notice(story: str, footer: str) -> str:
    """A div-soup notice: no class anywhere, the footer's lines read past the story's end."""
    menu = "".join(f'<li><a href="/m{i}">{name}</a></li>' for i, name in enumerate(MENU))
    return page(f"""<body><div><div><a href="/"><img src="/logo.png"></a></div>
<div><ul>{menu}</ul></div>
<div><div><div><a href="/">Trang chủ</a> » <a href="/thoi-su">Thời sự</a></div>
<div style="font-size:26px">{TITLE}</div><div>Thứ Tư, 02/12/2026 - 08:30</div>
<div>{story}</div><div><h3>Tin liên quan</h3><ul><li><a href="/a-52311.html">{RELATED[0]}</a></li>
<li><a href="/a-52298.html">{RELATED[1]}</a></li></ul></div></div>
<div><h3>Đọc nhiều</h3><ul><li><a href="/a-10001.html">{LATEST[0]}</a></li></ul></div></div>
<div>{footer}</div></div></body>""").replace(f'<meta name="description" content="{SAPO}">', "")


FOOTER_LINES = ["BÁO ĐIỆN TỬ TỈNH THỬ NGHIỆM", "Cơ quan chủ quản: Tỉnh ủy Thử Nghiệm",
                "Giấy phép số 123/GP-BTTTT ngày 10/5/2020 của Bộ Thông tin và Truyền thông",
                "Địa chỉ: Số 1 đường Trần Hưng Đạo - Điện thoại: 0203.3835.555",
                "Thiết kế và phát triển bởi Công ty Truyền thông số Việt"]


def test_a_footer_whose_lines_make_a_colophon_together_goes_with_the_lines_after_it() -> None:
    # each footer line names one thing (the owner, the licence, the address): together they
    # are the colophon, in a block holding none of the story; the line after it (the site's
    # makers) is that block's too, so the colophon was never the body's last line
    footer = "".join(f"<p>{line}</p>" for line in FOOTER_LINES)
    text = extract_article(soup_notice(f"<p>{NOTICE}</p><p><strong>Minh Hà</strong></p>", footer),
                           URL)["text"]
    assert NOTICE in text and text.endswith("Minh Hà")
    for line in FOOTER_LINES:
        assert line not in text, line


def test_a_story_ending_on_a_licence_and_an_address_keeps_them() -> None:
    # the same words inside the story's own block, before its author line: the story's
    ending = ("Giấy phép số 45/GP-UBND cấp cho Công ty Cổ phần Nước sạch. Địa chỉ: số 12 đường "
              "Lê Lợi; điện thoại đường dây nóng: 0203.3825.111.")
    footer = "<p>© Bản quyền thuộc Báo Thử Nghiệm</p><p>Ghi rõ nguồn khi phát hành lại</p>"
    text = extract_article(soup_notice(f"<p>{NOTICE}</p><p>{ending}</p><p><strong>Minh Hà"
                                       "</strong></p>", footer), URL)["text"]
    assert ending in text and "Minh Hà" in text
    assert "Bản quyền" not in text


def test_a_photo_story_without_a_body_box_starts_at_its_headline() -> None:
    # trafilatura reads the whole page of a story of photos: the banner's menu and the
    # breadcrumb above the headline are the page's, not the story's first lines
    menu = "".join(f'<li><a href="/m{i}">{name}</a></li>' for i, name in enumerate(MENU[:7]))
    figures = "".join(f'<figure class="image"><img src="/u/{i}.jpg" alt=""><figcaption>{c}'
                      f"</figcaption></figure>" for i, c in enumerate(CAPTIONS))
    html = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f"""</head><body><header><div><a href="/"><img src="/logo.png"></a></div>
<ul class="menu">{menu}</ul></header><main class="main"><div class="container"><div class="b-grid">
<div class="detail"><div class="breadcrumbs"><a href="/thoi-su">Thời sự</a></div>
<h1 class="detail-title">{TITLE}</h1><div class="detail-time">Thứ Hai, 19/11/2026 - 08:30</div>
<h2 class="sapo">{SAPO}</h2><div class="b-maincontent">{figures}</div>
<p class="author">Ảnh: Quang Minh</p>
<div class="share-tools"><a href="javascript:window.print()">In bài viết</a></div>
</div></div></div></main><footer><p>{FOOTER}</p></footer></body></html>""")
    text = extract_article(html, URL)["text"]
    assert text.startswith(SAPO)
    for phrase in CAPTIONS:
        assert phrase in text
    for phrase in MENU[:7]:
        assert phrase not in text.split("\n"), phrase


def bootstrap(story: str, footer: str) -> str:
    """A Bootstrap grid: the story in a column no class names as a body box, no meta
    description, the site's footer in a dark band under the grid."""
    side = "".join(f'<li><a href="/a-1000{i}.html">{t}</a></li>' for i, t in enumerate(LATEST))
    menu = "".join(f'<a href="/m{i}">{m}</a>' for i, m in enumerate(MENU))
    related = "".join(f'<li><a href="/a-5230{i}.html">{t}</a></li>' for i, t in enumerate(RELATED))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f"""</head><body><nav class="navbar">{menu}</nav>
<div class="container"><div class="row"><div class="col-md-8">
<ol class="breadcrumb-x"><a href="/">Trang chủ</a> / <a href="/anh">Ảnh</a></ol>
<h1 class="h3 mb-2">{TITLE}</h1><p class="text-muted small">02/12/2026 08:30</p>{story}
<div class="tools"><a href="javascript:window.print()">In bài viết</a></div>
<div><h3>Tin liên quan</h3><ul>{related}</ul></div></div>
<div class="col-md-4"><h3>Tin mới</h3><ul>{side}</ul></div></div></div>
<div class="bg-dark">{footer}</div></body></html>""")


def test_a_footer_laid_out_in_a_table_goes_too() -> None:
    # trafilatura reads the table's rows as "| cell | cell |" lines: a row is found by its
    # first cell, and the table's cells are told apart when the footer's lines are matched
    footer = ("<table><tr><td>Cơ quan chủ quản: Sở Thông tin và Truyền thông</td><td>Địa chỉ: 15 "
              "Lê Thánh Tông</td></tr><tr><td colspan=\"2\">Điện thoại: 0203.3656.789</td></tr>"
              "</table><div>Đang truy cập: 123 | Tổng lượt truy cập: 4.567.890</div>")
    story = f"<div><p>{NOTICE}</p><p><b>Minh Hà</b></p></div>"
    text = extract_article(bootstrap(story, footer), URL)["text"]
    assert text.endswith("Minh Hà")
    for phrase in ["Cơ quan chủ quản", "Điện thoại", "Đang truy cập"]:
        assert phrase not in text, phrase


def test_captions_trafilatura_leaves_out_come_from_the_bodys_own_block() -> None:
    # the photos in an <article><section> no class names: trafilatura reads the paragraph and
    # the author line only; the captions between them, in the same block, are the story's
    figures = "".join(f'<figure><picture><source srcset="/u/{i}.webp"><img src="/u/{i}.jpg">'
                      f"</picture><figcaption><p>{c}</p></figcaption></figure>"
                      for i, c in enumerate(CAPTIONS))
    story = (f"<article><section><p>{PHOTO_LEAD}</p>{figures}<p><b>Minh Hà</b></p></section>"
             "</article>")
    footer = ("<div><p>Trang thông tin điện tử UBND xã Thử Nghiệm</p><p>Chịu trách nhiệm nội "
              "dung: Chủ tịch UBND xã</p><p>Email: ubndxa@example.gov.vn</p></div>"
              "<div>Phiên bản 2.0 - Cập nhật giao diện năm 2026</div>")
    text = extract_article(bootstrap(story, footer), URL)["text"]
    assert text.split("\n") == [PHOTO_LEAD, *CAPTIONS, "Minh Hà"]
