"""Synthetic pages modelled on Vietnamese news templates met during development.

Every page here is written for the test (no publisher text): a SharePoint provincial portal,
the "cms-" template shared by provincial papers, inline related cards, related tables,
script-filled boxes, FCKeditor bodies. Each test checks what must be in the body, what must
not be, which related links are recorded and the publication date.
"""

from __future__ import annotations

import pytest

from pipelines.extractor.article import extract_article
from pipelines.extractor.dates import find_published, parse_vietnamese_date
from pipelines.extractor.related import is_article_url

BODY = [
    "Sáng nay, huyện đảo tổ chức lễ ra quân trồng rừng ngập mặn dọc bờ biển phía đông với sự "
    "tham gia của hàng trăm đoàn viên thanh niên và người dân địa phương.",
    "Theo kế hoạch, trong năm nay địa phương sẽ trồng mới khoảng năm mươi héc ta rừng phòng hộ, "
    "ưu tiên các loài cây bản địa có khả năng chắn sóng và giữ đất tốt.",
    "Lãnh đạo huyện đề nghị các xã tiếp tục vận động nhân dân chăm sóc, bảo vệ diện tích rừng "
    "đã trồng, đồng thời xử lý nghiêm các hành vi lấn chiếm đất rừng.",
]
SAPO = ("Hơn ba trăm người đã tham gia trồng rừng ngập mặn trong ngày đầu tiên của chiến dịch "
        "mùa xuân trên địa bàn huyện đảo.")
TITLE = "Huyện đảo ra quân trồng rừng ngập mặn đầu xuân"


def paragraphs(tag: str = "p") -> str:
    return "".join(f"<{tag}>{p}</{tag}>" for p in BODY)


def sidebar(heading: str, host: str, ids: range) -> str:
    items = "".join(f'<li><a href="https://{host}/tin-khac-so-{i}-ve-chu-de-dia-phuong-{i}.html">'
                    f"Tin điều hướng số {i} về chủ đề địa phương</a></li>" for i in ids)
    return f'<div class="box-side"><h3 class="title-box">{heading}</h3><ul>{items}</ul></div>'


def urls(result: dict) -> list[str]:
    return [r["url"] for r in result["related"]]


def check_body(result: dict, absent: list[str]) -> None:
    assert result is not None
    text = result["text"]
    for p in BODY:
        assert p in text
    for phrase in absent:
        assert phrase not in text, phrase


# --- SharePoint provincial portal (ASP.NET form, PlaceHolderMain, ms-rtestate-field) ---------

SHAREPOINT = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{TITLE}</title></head><body>
<form method="post" action="./ChiTietTinTuc.aspx?nid=9001" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="abc"></div>
<div id="s4-workspace"><div class="header-portal"><span>CỔNG THÔNG TIN ĐIỆN TỬ SỞ MẪU</span>
<span class="clock">Thứ Năm, 25/12/2025</span></div>
<ul class="menu-top"><li><a href="/Trang/Default.aspx">Trang chủ</a></li>
<li><a href="/Trang/TinTuc.aspx?CatID=12">Tin tức - Sự kiện</a></li></ul>
<div id="ctl00_PlaceHolderMain_pnlLeft" class="col-left">
{sidebar("Tin mới nhất", "so-mau.example.vn", range(1, 5))}
</div>
<div id="ctl00_PlaceHolderMain_ctl01_divChiTiet" class="chitiet-tin">
<div class="breadcrumb"><a href="/Trang/Default.aspx">Trang chủ</a> / Tin tức</div>
<h1 class="title-news">{TITLE}</h1>
<div class="date-news">24/12/2025 9:30 CH</div>
<div class="ms-rtestate-field"><p><strong>{SAPO}</strong></p>{paragraphs()}
<p style="text-align:right"><strong>Phòng Văn hóa huyện</strong></p></div>
<div class="tin-khac"><h3 class="title-tinkhac">Các tin khác</h3>
<table class="tbl-tinkhac">
<tr><td>
<a href="/Trang/ChiTietTinTuc.aspx?nid=8990">Tổng kết công tác phòng chống thiên tai năm qua</a>
<span class="date">(22/12/2025)</span></td></tr>
<tr><td>
<a href="/Trang/ChiTietTinTuc.aspx?nid=8975">
Khai mạc hội chợ nông sản vùng cao tại trung tâm huyện</a>
<span class="date">(20/12/2025)</span></td></tr>
</table></div>
</div></div></form></body></html>"""


def test_sharepoint_portal_article() -> None:
    url = "https://so-mau.example.vn/Trang/ChiTietTinTuc.aspx?nid=9001"
    result = extract_article(SHAREPOINT, url)
    check_body(result, ["Tin điều hướng", "Tổng kết công tác", "CỔNG THÔNG TIN", "Trang chủ"])
    assert result["text"].startswith(SAPO)
    assert result["text"].endswith("Phòng Văn hóa huyện")
    assert result["title"] == TITLE
    assert result["published"] == "2025-12-24T21:30:00+07:00"  # "9:30 CH" is 21:30
    assert urls(result) == ["https://so-mau.example.vn/Trang/ChiTietTinTuc.aspx?nid=8990",
                            "https://so-mau.example.vn/Trang/ChiTietTinTuc.aspx?nid=8975"]
    assert result["related"][0]["block"] == "Các tin khác"


def test_query_string_ids_are_article_links_but_categories_are_not() -> None:
    page = "https://x.example.vn/Trang/ChiTietTinTuc.aspx?nid=1"
    assert is_article_url("https://x.example.vn/Trang/ChiTietTinTuc.aspx?nid=12345", page)
    assert is_article_url("https://x.example.vn/Pages/ChiTiet.aspx?ItemID=77&Cat=2", page)
    assert not is_article_url("https://x.example.vn/Trang/TinTuc.aspx?CatID=12", page)
    assert not is_article_url("https://x.example.vn/Trang/TinTuc.aspx?Page=3", page)


# --- "cms-" template shared by provincial papers --------------------------------------------

def story(slug: str, title: str) -> str:
    return (f'<article class="story"><figure class="story__thumb">'
            f'<a href="/{slug}" title="{title}">'
            f'<img src="/x.jpg" alt=""></a></figure><h3 class="story__heading">'
            f'<a href="/{slug}" title="{title}">{title}</a></h3></article>')


CMS = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{TITLE} | Báo Mẫu</title>
<meta property="og:title" content="{TITLE}"><meta property="og:type" content="article">
</head><body>
<div class="breadcrumb"><h2><a href="/xa-hoi">Xã hội</a></h2></div>
<div class="article"><h1 class="article__title cms-title">{TITLE}</h1>
<div class="article__meta"><time class="time">Thứ Tư, 24/12/2025 09:30:00 +07:00</time></div>
<div class="article__sapo cms-desc"><p>{SAPO}</p></div>
<div class="article__body cms-body"><style>.t1 {{ text-align: right; }}</style>
{paragraphs("div")}
<div class="article-relate" data-source="related-news"><article class="story">
<a href="/mot-bai-viet-lien-quan-ve-rung-post1001.html" title="Mô hình giữ rừng ở xã ven biển">
Mô hình giữ rừng ở xã ven biển</a></article></div>
<div class="t1">Minh Anh</div></div>
<div class="article__tag"><a href="/tu-khoa/rung-ngap-man-tag123.html">rừng ngập mặn</a></div>
<section class="suggest"><h3 class="box-heading">
<a href="/xa-hoi-trong-tinh/" class="title">Có thể bạn quan tâm</a></h3>
{story("chien-dich-mua-xuan-o-cac-xa-post1002.html", "Chiến dịch mùa xuân ở các xã")}
{story("ngu-dan-giu-bo-bien-sach-post1003.html", "Ngư dân giữ bờ biển sạch")}</section>
<aside class="hot-news"><h3 class="box-heading">Đọc nhiều</h3>
{story("bai-doc-nhieu-thu-nhat-post1004.html", "Bài đọc nhiều thứ nhất trong tuần")}</aside>
</div></body></html>"""


def test_cms_template_with_inline_card_linked_heading_and_tags() -> None:
    result = extract_article(CMS, "https://baomau.example.vn/huyen-dao-trong-rung-post1000.html")
    check_body(result, ["Mô hình giữ rừng", "text-align", "rừng ngập mặn</a>",
                        "Chiến dịch mùa xuân", "Bài đọc nhiều", "Có thể bạn quan tâm"])
    assert result["text"].startswith(SAPO)
    assert result["text"].endswith("Minh Anh")
    assert result["title"] == TITLE
    assert result["published"] == "2025-12-24T09:30:00+07:00"
    assert [u.rsplit("/", 1)[1] for u in urls(result)] == [
        "mot-bai-viet-lien-quan-ve-rung-post1001.html",
        "chien-dich-mua-xuan-o-cac-xa-post1002.html",
        "ngu-dan-giu-bo-bien-sach-post1003.html",
    ]  # no category link from the linked heading, no tag page, no "Đọc nhiều"


# --- inline embedded cards (heading-less) and a script-filled box ---------------------------

def embed(i: int, attr: str) -> str:
    href = f"/bai-nhung-so-{i}-{i}{i}{i}{i}.html"
    return (f'<div {attr}><a href="{href}" title="Bài nhúng số {i} cùng sự kiện">'
            f'<img src="/a.jpg"></a><div class="title"><a href="{href}">'
            f"Bài nhúng số {i} cùng sự kiện</a></div><div class=\"desc\">"
            f"Mô tả ngắn của bài nhúng số "
            f"{i}, kể lại diễn biến trước đó của sự việc.</div></div>")


EMBEDS = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{TITLE}</title></head><body>
<div class="content-detail"><h1 class="content-detail-title">{TITLE}</h1>
<div class="author"><a href="/tac-gia/minh-anh-0001.html">Minh Anh</a></div>
<div class="publish-date">24/12/2025   09:30 (GMT+07:00)</div>
<h2 class="content-detail-sapo">{SAPO}</h2>
<div class="maincontent" id="maincontent">{paragraphs()}
<figure><img src="/b.jpg">
<figcaption>Người dân trồng cây tại bãi bồi ven biển. Ảnh: Minh Anh</figcaption></figure>
{embed(1, 'data-vnnembedtype="article" class="ck-card"')}
{embed(2, 'type="RelatedNewsBox" class="VCSortableInPreviewMode"')}
</div></div>
<div class="related-news"><ul><li><h3>
<a href="/tin-lien-quan-sau-bai-9999.html">Tin liên quan đặt sau bài viết</a></h3></li></ul>
</div>
<div class="tags"><p>Xem thêm về:</p>
<a href="/trong-rung-tag10710692491161131822.html">trồng rừng</a></div>
<h2 class="title-blue-primary">Tin cùng chuyên mục</h2>
<div class="vnn-articles-list" data-number-skeleton="5"></div>
</body></html>"""


def test_inline_embedded_cards_and_script_filled_box() -> None:
    result = extract_article(EMBEDS, "https://baomau.example.vn/huyen-dao-trong-rung-1000.html")
    check_body(result, ["Bài nhúng số", "Mô tả ngắn", "Tin liên quan đặt sau", "trồng rừng\n"])
    assert result["text"].startswith(SAPO)
    assert "Người dân trồng cây tại bãi bồi ven biển. Ảnh: Minh Anh" in result["text"]
    assert "Minh Anh\n" not in result["text"].split(SAPO)[0]  # byline above the body stays out
    assert [u.rsplit("/", 1)[1] for u in urls(result)] == [
        "bai-nhung-so-1-1111.html", "bai-nhung-so-2-2222.html", "tin-lien-quan-sau-bai-9999.html"]
    assert result["published"].startswith("2025-12-24T09:30")


# --- FCKeditor body, breadcrumb h1, table of related links, share row -----------------------

FCK = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{TITLE} - Báo Mẫu Online</title>
<meta property="og:title" content="{TITLE}"></head><body>
<div class="titlecate"><h1>
<a href="/thoi-su/">THỜI SỰ</a> &gt; <a href="/thoi-su/dia-phuong/">Địa phương</a></h1></div>
<span class="pubdate">24/12/2025 - 09:30</span>
<h1 class="fw700">{TITLE}&nbsp;<span class="sprite icophoto"></span></h1>
<div id="newscontents"><div class="content-fck"><p><strong>(BM)</strong> - {SAPO}</p>{paragraphs()}
<p style="text-align:right"><strong>Tin, ảnh: M.A</strong></p>
<table class="tinlienquan"><tr><th>Tin liên quan</th></tr>
<tr><td><a href="/nhung-nguoi-giu-rung-tren-dao-a1201.html">Những người giữ rừng trên đảo</a>
</td></tr>
<tr><td><a href="/rung-phong-ho-ven-bien-a1202.html">Rừng phòng hộ ven biển</a></td></tr></table>
</div></div>
<div id="linkshare"><table><tr><td><b>Chia sẻ bài viết</b></td><td><a href="#">Facebook</a></td>
</tr></table></div>
<div class="block_tag"><div class="txt_tag">Từ khóa</div><a href="/tim-kiem/rung.html">rừng</a>
</div>
</body></html>"""


def test_fckeditor_body_with_related_table_and_breadcrumb_h1() -> None:
    result = extract_article(FCK, "https://baomau.example.vn/huyen-dao-trong-rung-a1200.html")
    check_body(result, ["Những người giữ rừng", "Chia sẻ bài viết", "THỜI SỰ", "Từ khóa"])
    assert result["text"].startswith("(BM) - " + SAPO)
    assert result["text"].endswith("Tin, ảnh: M.A")
    assert result["title"] == TITLE
    assert result["published"].startswith("2025-12-24T09:30")
    assert [u.rsplit("/", 1)[1] for u in urls(result)] == [
        "nhung-nguoi-giu-rung-tren-dao-a1201.html", "rung-phong-ho-ven-bien-a1202.html"]


# --- dates as provincial sites write them ---------------------------------------------------

@pytest.mark.parametrize(("shown", "expected"), [
    ("Cập nhật lúc 09:30 ngày 24/12/2025", "2025-12-24T09:30:00+07:00"),
    ("Thứ Tư, 24/12/2025 09:30:00 +07:00", "2025-12-24T09:30:00+07:00"),
    ("Chủ nhật, 21/12/2025 - 23:30 (GMT+7)", "2025-12-21T23:30:00+07:00"),
    ("24/12/2025 9:30 SA", "2025-12-24T09:30:00+07:00"),
    ("24/12/2025 12:15 SA", "2025-12-24T00:15:00+07:00"),
    ("24/12/2025 9:30 CH", "2025-12-24T21:30:00+07:00"),
    ("Ngày đăng: 24-12-2025 | 09h30", "2025-12-24T09:30:00+07:00"),
])
def test_vietnamese_date_forms(shown: str, expected: str) -> None:
    assert parse_vietnamese_date(shown) == expected


def test_label_led_date_after_headline_beats_sidebar_dates() -> None:
    html = f"""<html><body><div class="side"><span class="date">01/12/2025</span></div>
    <h1>{TITLE}</h1><p class="info">Cập nhật: 24/12/2025 09:30</p><p>{BODY[0]}</p></body></html>"""
    assert find_published(html) == "2025-12-24T09:30:00+07:00"
    plain = f"<html><body><h1>{TITLE}</h1><div>Ngày đăng: 23/12/2025</div></body></html>"
    assert find_published(plain) == "2025-12-23"


# --- heading-less related list under the sapo, whole page inside one broad wrapper ----------

def concern(i: int) -> str:
    return (f'<li class="item"><h4><a href="/the-gioi/tin-lien-quan-thu-{i}-2026071615{i}000.htm">'
            f"Tin liên quan thứ {i} về cùng sự kiện</a></h4></li>")


WRAPPED = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{TITLE} | Báo Mẫu</title></head><body><form id="form1" method="post">
<div class="detail-content w1040">
<div class="lc-bar"><a href="/the-gioi-130ct0.htm">Thế giới</a></div>
<h1 class="detail-title">{TITLE}</h1>
<div class="date"><span class="txt">Thứ Năm, 24/12/2025 17:17</span> |
<h4 class="cate"><a href="/the-gioi-130ct0.htm">Thế giới</a></h4></div>
<div class="content"><h2 class="sapo">{SAPO}</h2>
<ul class="list-concern">{concern(1)}{concern(2)}</ul>
<div class="boxdetail"><div class="contents">
<figure><img src="/c.jpg"><figcaption>Rừng ngập mặn ven đảo nhìn từ trên cao.</figcaption></figure>
{paragraphs()}</div><div class="author"><strong>Minh Anh</strong></div></div>
<div class="boxdata"><h2><a href="/anh.htm">Ảnh</a></h2><ul class="list-photo">
<li><a href="/xa-hoi/bai-anh-thu-nhat-ve-doi-song-20260716150712955.htm">
Bài ảnh thứ nhất về đời sống</a></li>
<li><a href="/xa-hoi/bai-anh-thu-hai-ve-doi-song-20260716094239624.htm">
Bài ảnh thứ hai về đời sống</a></li>
</ul></div></div></div></form></body></html>"""


def test_headingless_list_under_sapo_is_related_and_titled_boxes_are_not() -> None:
    url = "https://baomau.example.vn/the-gioi/bai-mau-20260716171712046.htm"
    result = extract_article(WRAPPED, url)
    check_body(result, ["Tin liên quan thứ", "Bài ảnh thứ"])
    assert result["text"].startswith(SAPO)
    # the wrapper is too broad; the body block (inside the ASP.NET <form>) keeps its caption
    assert "Rừng ngập mặn ven đảo nhìn từ trên cao." in result["text"]
    assert [u.rsplit("/", 1)[1] for u in urls(result)] == [
        "tin-lien-quan-thu-1-20260716151000.htm", "tin-lien-quan-thu-2-20260716152000.htm"]
    assert result["published"].startswith("2025-12-24T17:17")


# --- a comment form under the story (a text box and the site's rules for writing in it) -------

def comment_page(wrapped: bool) -> str:
    """No known body container, so trafilatura reads the page; ``wrapped``: the whole page
    inside one ASP.NET form, the comment box included."""
    form = ('<form action="/binh-luan" method="post"><label>Họ tên</label><input type="text">'
            '<label>Email</label><input type="text"><textarea name="noi-dung"></textarea>'
            '<div class="tooltip"><h6>Lưu ý</h6><p>Bạn đọc chịu trách nhiệm về nội dung bình luận '
            'của mình và không gửi thông tin sai sự thật hay xúc phạm người khác.</p></div>'
            '<button>Gửi bình luận</button></form>')
    if wrapped:
        form = form.replace("<form", "<div").replace("</form>", "</div>")
    page = f'<div id="main"><h1>{TITLE}</h1><p>{SAPO}</p>{paragraphs()}{form}</div>'
    if wrapped:
        page = f'<form id="aspnetForm" method="post" action="./Tin.aspx?id=5">{page}</form>'
    return f"<html lang='vi'><head><title>{TITLE}</title></head><body>{page}</body></html>"


def test_a_comment_forms_rules_are_no_body_but_a_page_wide_form_is_unwrapped() -> None:
    url = "https://huyen-mau.example.vn/tin-tuc/trong-rung-ngap-man-5.html"
    check_body(extract_article(comment_page(wrapped=False), url), ["chịu trách nhiệm"])
    check_body(extract_article(comment_page(wrapped=True), url), [])


def test_a_newsletter_sign_up_forms_words_are_no_body() -> None:
    # a sign-up form: an e-mail field and a paragraph about the newsletter, no text box
    form = ('<form action="/dang-ky" method="post"><p>Nhận tin nóng của tỉnh mỗi sáng qua thư điện '
            'tử, bạn có thể hủy đăng ký bất cứ lúc nào theo chính sách riêng tư.</p>'
            '<p><input type="email" name="email" placeholder="Địa chỉ email"></p>'
            '<p><input type="submit" value="Đăng ký"></p></form>')
    page = (f"<html lang='vi'><head><title>{TITLE}</title></head><body><div id='main'>"
            f"<h1>{TITLE}</h1><p>{SAPO}</p>{paragraphs()}{form}</div></body></html>")
    url = "https://huyen-mau.example.vn/tin-tuc/trong-rung-ngap-man-6.html"
    check_body(extract_article(page, url), ["Nhận tin nóng của tỉnh"])
