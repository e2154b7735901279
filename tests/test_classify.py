"""Article, listing or other: pipelines.extractor.classify on small synthetic portal pages
(each inside the same chrome: menu, sidebar of latest news, footer) and on real pages."""

from __future__ import annotations

import csv

import lxml.html
import pytest

from pipelines.extractor.article import extract_article
from pipelines.extractor.classify import classify_page, url_shape

SITE = "https://sotnmt.example.gov.vn"
MENU = ('<header><a href="/"><h1>SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG</h1></a><nav><ul>'
        '<li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu.html">Giới thiệu</a></li>'
        '<li><a href="/tin-tuc/">Tin tức - Sự kiện</a></li><li><a href="/thong-bao/">Thông báo'
        '</a></li><li><a href="/lien-he.html">Liên hệ</a></li></ul></nav></header>')
LATEST = "".join(
    f'<li><a href="/tin-tuc/tin-moi-so-{n}-{1000 + n}.html">Tin mới số {n} về hoạt động của '
    f"ngành tài nguyên môi trường</a></li>" for n in range(6)
)
SIDEBAR = f'<aside class="col-side"><h2>Tin mới nhất</h2><ul>{LATEST}</ul></aside>'
FOOTER = ("<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Địa chỉ: số 1 đường Trần Hưng "
          "Đạo. Điện thoại: 0203 000 000.</p></footer>")
RELATED = '<div class="tin-khac"><h3>Tin tức khác</h3>' + "".join(
    f'<h4><a href="/tin-tuc/hoat-dong-cua-so-thang-{n}-{2000 + n}.html">Hoạt động của Sở trong '
    f"tháng {n} năm 2025</a></h4>" for n in range(1, 6)) + "</div>"  # fmt: skip


def portal(main: str, title: str = "Cổng thông tin Sở", head: str = "") -> str:
    return (f"<html lang='vi'><head><title>{title}</title>{head}</head><body>{MENU}"
            f"<div class='container'><main class='col-main'>{main}</main>{SIDEBAR}</div>"
            f"{FOOTER}</body></html>")  # fmt: skip


def classify(html: str, path: str, hints: dict | None = None) -> tuple[str, str, list]:
    return classify_page(lxml.html.document_fromstring(html), SITE + path, hints)


NOTICE = portal(
    '<div class="chitiet"><h1>Thông báo lịch tiếp công dân tháng 12 năm 2025</h1>'
    '<div class="ngay">Thứ Hai, 01/12/2025 08:30</div>'
    "<p>Giám đốc Sở tiếp công dân định kỳ vào ngày 15/12/2025 tại trụ sở Sở.</p></div>"
    + RELATED
)


def test_a_one_paragraph_notice_with_a_dateline_is_an_article():
    kind, reason, attachments = classify(NOTICE, "/thong-bao/lich-tiep-cong-dan-3101.html")
    assert (kind, attachments) == ("article", [])
    assert reason.startswith("headline, dateline and")
    # and it is stored whole, the related block cut out
    result = extract_article(NOTICE, SITE + "/thong-bao/lich-tiep-cong-dan-3101.html")
    assert "tiếp công dân định kỳ vào ngày 15/12/2025" in result["text"]
    assert "Hoạt động của Sở trong tháng" not in result["text"]
    assert result["page_kind"] == "article"


def test_a_notice_whose_content_is_a_document_in_a_frame_is_an_article_with_it():
    # the portal shows the PDF itself: in an <iframe>, an <embed> or an <object>, directly or
    # through a viewer page (pdf.js "viewer.html?file=", a "viewer?url=" service)
    for frame in ('<iframe src="/files/qd-16-2026.pdf" width="100%"></iframe>',
                  '<embed src="/files/qd-16-2026.pdf" type="application/pdf">',
                  '<object data="/files/qd-16-2026.pdf" type="application/pdf"></object>',
                  '<iframe src="/pdfjs/web/viewer.html?file=/files/qd-16-2026.pdf"></iframe>',
                  '<iframe src="https://docs.example.com/viewer?embedded=true&amp;url='
                  f'{SITE}/files/qd-16-2026.pdf"></iframe>'):
        html = portal('<div class="chitiet"><h1>Quyết định phê duyệt quy hoạch năm 2026</h1>'
                      f'<span class="date">06/01/2026</span>{frame}</div>')
        kind, _, attachments = classify(html, "/thong-bao/quyet-dinh-16-3103.html")
        assert (kind, [a["url"] for a in attachments]) == (
            "article", [SITE + "/files/qd-16-2026.pdf"]), frame
        hinted = classify(html, "/thong-bao/quyet-dinh-16-3103.html", {"article_url": True})
        assert hinted[2] == attachments, frame
    # a video player in a frame is no document
    html = portal('<div class="chitiet"><h1>Quyết định phê duyệt quy hoạch năm 2026</h1>'
                  '<span class="date">06/01/2026</span>'
                  '<iframe src="https://www.youtube.com/embed/abc?file=x"></iframe></div>')
    assert classify(html, "/thong-bao/quyet-dinh-16-3103.html")[2] == []


def test_a_notice_whose_content_is_an_attached_pdf_keeps_the_links():
    html = portal(
        '<div class="chitiet"><h1>Quyết định phê duyệt kế hoạch sử dụng đất năm 2026</h1>'
        '<span class="date">05/01/2026</span>'
        '<p>Tải về: <a href="/files/qd-15-2026.pdf">Quyết định số 15/QĐ-UBND</a> '
        '<a href="/files/phu-luc.docx">Phụ lục kèm theo</a></p></div>'
    )
    kind, _, attachments = classify(html, "/thong-bao/quyet-dinh-15-3102.html")
    assert kind == "article"
    assert attachments == [
        {"url": SITE + "/files/qd-15-2026.pdf", "text": "Quyết định số 15/QĐ-UBND"},
        {"url": SITE + "/files/phu-luc.docx", "text": "Phụ lục kèm theo"},
    ]
    result = extract_article(html, SITE + "/thong-bao/quyet-dinh-15-3102.html")
    assert result["attachments"] == attachments and "Tải về" in result["text"]
    # a URL of the profile's article pattern decides the kind without walking the page,
    # unless the page links a document: then the walk still lists it
    assert classify(html, "/thong-bao/quyet-dinh-15-3102.html", {"article_url": True}) == (
        "article", "URL matches the site's article pattern", attachments)


def test_a_photo_story_with_captions_and_little_text_is_an_article():
    figures = "".join(f'<figure><img src="/anh/{n}.jpg"><figcaption>Ảnh {n}: Vịnh Hạ Long'
                      f"</figcaption></figure>" for n in range(1, 6))  # fmt: skip
    html = portal(f'<article><h1>Phóng sự ảnh: Bình minh trên vịnh Hạ Long</h1>'
                  f'<p class="time">Cập nhật: 20/11/2025</p>{figures}</article>')
    kind, reason, _ = classify(html, "/tin-tuc/binh-minh-tren-vinh-3103.html")
    assert kind == "article" and "5 images or videos" in reason


def test_a_video_article_is_an_article():
    html = portal('<h1>Video: Lễ ra quân bảo vệ môi trường biển</h1><div class="date">'
                  '03/10/2025</div><iframe src="https://www.youtube.com/embed/abc"></iframe>')
    assert classify(html, "/tin-tuc/video-le-ra-quan-3104.html")[0] == "article"


LISTING = portal(
    "<h1>Tin tức - Sự kiện</h1>" + "".join(
        f'<div class="item"><h3><a href="/tin-tuc/su-kien-so-{n}-{3000 + n}.html">Sự kiện số {n}'
        f' trong tuần của ngành tài nguyên</a></h3><div class="date">0{n}/11/2025</div>'
        f'<a href="/tin-tuc/su-kien-so-{n}-{3000 + n}.html"><img src="/a/{n}.jpg"></a>'
        f"<p>Tóm tắt sự kiện số {n}: nội dung chính của bài viết trong vài dòng.</p></div>"
        for n in range(1, 9))  # fmt: skip
    + '<div class="pager"><a href="/tin-tuc/trang-2.html">2</a> <a href="/tin-tuc/trang-3.html">'
    "3</a> <a href='/tin-tuc/trang-2.html'>Trang sau</a></div>"
)


def test_a_listing_with_dated_teasers_and_a_pager_is_a_listing():
    kind, reason, _ = classify(LISTING, "/tin-tuc/")
    assert kind == "listing"
    assert reason == "8 teaser headlines and a pager"
    assert extract_article(LISTING, SITE + "/tin-tuc/", only_articles=True) is None


def test_a_listing_whose_first_teaser_is_dated_above_its_headline_is_a_listing():
    # the date of the first teaser sits right under the category heading, like a dateline
    items = "".join(
        f'<li><span>1{n}/11/2025</span> <a href="/thong-bao/thong-bao-so-{n}-{4000 + n}.html">'
        f"Thông báo số {n} của Sở về việc tổ chức hội nghị</a></li>" for n in range(6))
    html = portal(f"<h1>Thông báo</h1><ul class='list'>{items}</ul>")
    assert classify(html, "/thong-bao/")[0] == "listing"


GIOI_THIEU = portal(
    "<div class='page'><h1>Giới thiệu chung</h1>"
    + "<p>Ngày 30/10/1963, Ủy ban Thường vụ Quốc hội phê chuẩn việc thành lập tỉnh Quảng Ninh "
    "trên cơ sở hợp nhất khu Hồng Quảng và tỉnh Hải Ninh; từ đó đến nay tỉnh không ngừng phát "
    "triển về mọi mặt kinh tế, văn hóa và xã hội.</p>" * 4
    + "<p>Sở được thành lập theo Quyết định số 12/QĐ-UB ngày 01/06/1990 của Ủy ban nhân dân "
    "tỉnh.</p></div>"
)


def test_an_about_page_with_historic_dates_but_no_dateline_is_other():
    reason = "a page of the site itself (gioi thieu)"
    assert classify(GIOI_THIEU, "/gioi-thieu.html")[:2] == ("other", reason)
    decision: dict = {}
    assert extract_article(GIOI_THIEU, SITE + "/gioi-thieu.html", decision=decision,
                           only_articles=True) is None
    assert decision == {"kind": "other", "reason": reason}
    # named only by its headline, under a neutral address, it is still the site's own page
    assert classify(GIOI_THIEU, "/trang/12.html")[0] == "other"


def test_a_page_of_prose_without_a_date_is_an_article():
    """Blog posts, features and most general web pages show no date: prose decides."""
    untitled = GIOI_THIEU.replace("Giới thiệu", "Vịnh Hạ Long qua các thời kỳ")
    assert "Giới thiệu" not in untitled
    kind, reason, _ = classify(untitled, "/bai-viet/vinh-ha-long.html")
    assert kind == "article" and reason.endswith("characters of prose, no date shown")


def test_a_contact_page_is_other():
    html = portal("<div class='page'><h1>Liên hệ</h1><p>Địa chỉ: số 1 Trần Hưng Đạo.</p>"
                  "<p>Email: sotnmt@example.gov.vn</p><form><input name='ten'></form></div>")
    assert classify(html, "/lien-he.html")[0] == "other"


def test_a_home_page_is_never_an_article():
    assert classify(LISTING, "/") == ("other", "home page of the site", [])
    # a home page under another address is judged by its structure: teasers, not an article
    assert classify(LISTING, "/index.html")[0] == "listing"
    assert classify(NOTICE, "/")[0] == "other"


def test_search_results_and_tag_pages_are_not_articles():
    results = portal(
        "<h1>Kết quả tìm kiếm: đất đai</h1><p>Tìm thấy 4 kết quả</p>" + "".join(
            f'<div><a href="/tin-tuc/dat-dai-{n}-{5000 + n}.html">Bài viết số {n} về quản lý đất'
            f' đai trên địa bàn tỉnh</a><p>0{n}/10/2025</p></div>' for n in range(1, 5)))
    assert classify(results, "/tim-kiem.html?q=dat+dai")[0] == "listing"
    tag = portal("<h2>Từ khóa: môi trường</h2>" + "".join(
        f'<h3><a href="/tin-tuc/moi-truong-{n}-{6000 + n}.html">Bảo vệ môi trường số {n} tại các '
        f"khu công nghiệp</a></h3>" for n in range(5)))  # fmt: skip
    assert classify(tag, "/tag/moi-truong")[0] == "listing"


def test_a_one_sentence_notice_under_the_profiles_article_pattern_is_an_article():
    html = portal("<h1>Thông báo nghỉ lễ Quốc khánh 2/9</h1><div class='noi-dung'><p>Cơ quan "
                  "nghỉ lễ theo quy định.</p></div>")  # fmt: skip
    url = "/Trang/ChiTietTinTuc.aspx?nid=3105"
    assert classify(html, url)[0] == "other"  # no dateline: not on its own
    assert classify(html, url, {"article_url": True})[:2] == (
        "article", "URL matches the site's article pattern")
    result = extract_article(html, SITE + url, hints={"article_url": True})
    assert "Cơ quan nghỉ lễ theo quy định." in result["text"]


def test_a_url_seen_as_a_teaser_headline_stands_in_for_a_missing_dateline():
    html = portal("<h1>Hội nghị tổng kết công tác năm 2025 của Sở</h1><p>Sáng nay, Sở tổ chức "
                  "hội nghị tổng kết công tác năm.</p>")  # fmt: skip
    assert classify(html, "/tin-tuc/hoi-nghi-3106.html")[0] == "other"
    assert classify(html, "/tin-tuc/hoi-nghi-3106.html", {"teaser_url": True})[0] == "article"
    # but the site's own pages linked under a heading stay what they are
    contact = portal("<div class='page'><h1>Liên hệ với tòa soạn</h1><p>Địa chỉ: số 15 đường "
                     "Hùng Vương.</p><iframe src='https://www.google.com/maps/embed?pb=1'>"
                     "</iframe></div>")  # fmt: skip
    assert classify(contact, "/lien-he", {"teaser_url": True})[0] == "other"
    found = "".join(
        f'<div><h3><a href="/tin-tuc/articleid/{n}/y-te">Bài viết số {n} về công tác y tế cơ sở'
        f"</a></h3><span>0{n}/12/2025</span><p>Tóm tắt ngắn của bài viết về y tế cơ sở trong "
        "vài dòng.</p></div>" for n in range(1, 6))  # fmt: skip
    results = portal(f"<h1>Kết quả tìm kiếm</h1><p>Tìm thấy 5 kết quả cho từ khóa y tế</p>{found}")
    assert classify(results, "/tabid/99/Default.aspx?Search=y+te", {"teaser_url": True})[0] == (
        "listing")


def test_the_sites_learned_url_shape_stands_in_for_a_missing_dateline_but_not_for_its_pages():
    html = portal("<h1>Hội nghị tổng kết công tác năm 2025 của Sở</h1><p>Sáng nay, Sở tổ chức "
                  "hội nghị tổng kết công tác năm.</p>")  # fmt: skip
    path, shape = "/tin-tuc/hoi-nghi-3106.html", "/tin-tuc/<slug>-<n>.html"
    assert classify(html, path)[0] == "other"
    assert classify(html, path, {"article_shape": shape})[:2] == (
        "article", f"URL has the site's teaser-link shape {shape}")
    # the site's own page under an address of the same shape stays its own page
    assert classify(GIOI_THIEU, "/tin-tuc/gioi-thieu-3107.html", {"article_shape": shape})[0] == (
        "other")
    # an undated page of teasers under the pager links' shape is a listing
    listing_shape = "/tin-tuc/trang-<n>.html"
    assert classify(LISTING, "/tin-tuc/trang-2.html", {"listing_shape": listing_shape})[:2] == (
        "listing", f"URL has the site's pager-link shape {listing_shape}")


def test_article_markup_stands_in_for_a_missing_dateline():
    head = ('<meta property="og:type" content="article"><meta property="og:title" '
            'content="Hội nghị tổng kết công tác năm 2025 của Sở">')
    html = portal("<h1>Hội nghị tổng kết công tác năm 2025 của Sở</h1><p>Sáng nay, Sở tổ chức "
                  "hội nghị tổng kết công tác năm.</p>", head=head)  # fmt: skip
    assert classify(html, "/tin-tuc/hoi-nghi-3106.html")[:2] == (
        "article", "article markup (og:type=article)")
    # a category page marked og:type=article by mistake stays a listing (a short heading)
    assert classify(LISTING.replace("<head>", f"<head>{head[:50]}>"), "/tin-tuc/")[0] == "listing"


def test_url_shapes_group_one_sites_article_links():
    same = url_shape(SITE + "/tin-tuc/d-e-f-4567.html")
    assert url_shape(SITE + "/tin-tuc/a-b-c-123.html") == same
    assert url_shape(SITE + "/Trang/ChiTietTinTuc.aspx?nid=1") == "Trang/word.aspx?nid"
    assert url_shape(SITE + "/tin-tuc/a-b-c-123.html") != url_shape(SITE + "/tin-tuc/trang-2.html")


# --- real pages (../shared/fixtures/vn): articles are articles, listings are not -------------
def real_pages(folder):
    with (folder / "SOURCES.tsv").open(encoding="utf-8") as f:
        return [(row["file"], row["page_url"]) for row in csv.DictReader(f, delimiter="\t")]


def test_real_article_pages_are_articles(shared_fixtures):
    pages = [(f, u) for f, u in real_pages(shared_fixtures) if not f.startswith("listings/")]
    assert len(pages) == 4
    for file, url in pages:
        tree = lxml.html.document_fromstring((shared_fixtures / file).read_bytes())
        assert classify_page(tree, url)[0] == "article", file


def test_real_listing_pages_are_listings(shared_fixtures):
    pages = [(f, u) for f, u in real_pages(shared_fixtures) if f.startswith("listings/")]
    assert len(pages) == 8
    for file, url in pages:
        tree = lxml.html.document_fromstring((shared_fixtures / file).read_bytes())
        kind, reason, _ = classify_page(tree, url)
        if url.rstrip("/").count("/") == 2:  # a home page
            assert (kind, reason) == ("other", "home page of the site"), file
            # under another address, its structure says listing all the same
            kind = classify_page(tree, url.rstrip("/") + "/trang-chu.html")[0]
        assert kind == "listing", file


@pytest.mark.parametrize("html", ["", "<html></html>", "<p>chỉ một dòng</p>"])
def test_empty_pages_are_other_and_never_raise(html):
    decision: dict = {}
    assert extract_article(html, SITE + "/tin-tuc/x-1.html", decision=decision,
                           only_articles=True) is None
    assert decision["kind"] == "other"


def test_the_last_page_of_a_listing_with_two_teasers_is_a_listing():
    # page 2 of 2: two teaser headlines and a pager that links back to page 1 only
    teasers = "".join(
        f'<article><h2><a href="/2025/12/0{n}/hoat-dong-ngoai-khoa-so-{n}/">Hoạt động ngoại '
        f"khóa số {n} của học sinh</a></h2><p>0{n}/12/2025</p></article>" for n in (1, 2))
    html = portal(f"<h1>Thẻ: ngoại khóa</h1>{teasers}"
                  '<div class="pagination"><a href="/tag/ngoai-khoa/">1</a> <span>2</span></div>')
    kind, reason, _ = classify(html, "/tag/ngoai-khoa/page/2/")
    assert (kind, reason) == ("listing", "2 teaser headlines at a page-number URL")
    assert classify(html, "/tag/ngoai-khoa/")[0] == "other"  # its URL is what tells
    # a WordPress post at ?p=N is no page-number listing: its body decides
    post = portal('<h1>Lễ khai giảng năm học mới 2025 - 2026</h1><div class="ngay">05/9/2025'
                  "</div><p>Sáng 5/9, thầy và trò nhà trường long trọng tổ chức lễ khai giảng.</p>"
                  + RELATED)  # fmt: skip
    assert classify(post, "/?p=123")[0] == "article"


def test_search_results_from_several_sections_are_a_listing():
    # results of two URL shapes (Liferay sections): no shape group of three
    results = portal("<h1>Tìm kiếm: kinh tế</h1>" + "".join(
        f'<div><h3><a href="/web/guest/{sec}/-/asset_publisher/{iid}/content/kinh-te-so-{n}">'
        f"Tình hình kinh tế xã hội số {n} của tỉnh</a></h3></div>"
        for n, (sec, iid) in enumerate([("tin-tuc", "AbCd1234"), ("thong-bao", "XyZw5678")] * 2)))
    assert classify(results, "/web/guest/tim-kiem?q=kinh+te")[:2] == (
        "listing", "search results: 4 teaser headlines")
    assert classify(portal(ABOUT_LIKE_SEARCH), "/tim-kiem")[0] == "other"  # no results: other


ABOUT_LIKE_SEARCH = "<h1>Tìm kiếm</h1><form><input name='q'></form><p>Không tìm thấy kết quả.</p>"


def test_a_headline_in_an_h2_named_by_the_title_keeps_its_dash_and_quotes():
    # Joomla / Liferay: no h1, the headline is an h2 or h3 that the <title> names whole
    title = 'Phát động cuộc thi "Quảng Ninh - điểm đến" giai đoạn 2026 - 2030'
    html = portal(f'<div class="item-page"><h2 itemprop="headline">{title}</h2>'
                  '<dd class="published">Thứ Hai, 22/12/2025 10:00</dd><div itemprop="articleBody">'
                  "<p>Sở Văn hóa phát động cuộc thi ảnh về các điểm đến của tỉnh.</p></div></div>"
                  + RELATED, title=f"{title} - Cổng TTĐT huyện")  # fmt: skip
    article = extract_article(html, SITE + "/tin-tuc/1206-phat-dong-cuoc-thi.html")
    assert article["title"] == title


def test_a_page_of_dated_videos_is_a_list_not_an_article():
    videos = "".join(
        f'<div class="video-item"><iframe src="https://www.youtube.com/embed/v{n}"></iframe>'
        f"<h3>Bản tin thời sự địa phương số {n} tuần này</h3><span>2{n}/12/2025</span></div>"
        for n in range(4))  # fmt: skip
    kind, reason, _ = classify(portal(f"<h1>Video</h1>{videos}"), "/video/")
    assert (kind, reason) == ("listing", "4 dated items under the heading")
    # one video with its own dateline and caption stays an article
    one = portal("<h1>Bản tin thời sự địa phương tuần này</h1><div class='ngay'>22/12/2025</div>"
                 '<iframe src="https://www.youtube.com/embed/v1"></iframe>'
                 "<p>Bản tin điểm lại các sự kiện nổi bật của tỉnh trong tuần.</p>")  # fmt: skip
    assert classify(one, "/video/ban-tin-tuan-nay-123.html")[0] == "article"


def test_a_headline_shown_in_a_span_or_div_that_the_title_names_is_the_headline():
    # ASP.NET WebForms portals and some themes show the headline in a <span id="…lblTitle">
    # or a <div class="title">, no heading element: the element showing the page's title is it
    title = "Huyện tổ chức hội nghị tổng kết công tác dân vận năm 2025"
    body = ('<span class="date">(08/12/2025)</span><div class="content"><p>Sáng 8/12, Huyện ủy '
            "tổng kết công tác dân vận, biểu dương 12 tập thể.</p></div>")
    for shown in (f'<span id="ctl00_ContentPlaceHolder1_lblTitle" class="title">{title}</span>',
                  f'<div class="post-title">{title}</div>'):
        html = portal(shown + body, title=f"{title} - Cổng thông tin huyện")
        kind, reason, _ = classify(html, "/ChiTietTin.aspx?id=8830")
        assert (kind, reason) == ("article", "headline, dateline and 69 characters of text"), shown
        # the same element naming something else than the title is no headline
        other = portal(shown.replace(title, "Thông tin cần biết cho người dân") + body,
                       title=f"{title} - Cổng thông tin huyện")
        assert classify(other, "/ChiTietTin.aspx?id=8830")[0] == "other", shown
    # a link that shows the title (a breadcrumb, a menu) is not the headline
    linked = portal(f'<div class="crumb"><a href="/tin/8830">{title}</a></div>' + body,
                    title=f"{title} - Cổng thông tin huyện")
    assert classify(linked, "/ChiTietTin.aspx?id=8830")[0] == "other"


def test_a_headline_element_is_found_when_the_title_puts_the_site_name_first():
    # ASP.NET portals title their pages "<site> - <headline>" as often as "<headline> - <site>":
    # the span showing the title's tail is the headline, and a short notice under it, followed
    # by its "Các tin khác" teasers, is an article, not a listing of those teasers
    title = "Thông báo tạm dừng cung cấp nước sạch tại phường Bãi Cháy"
    others = "".join(f'<li><a href="/ChiTietTin.aspx?id={8800 + n}">Thông báo lịch cắt điện '
                     f"tuần thứ {n} tại các phường trung tâm</a></li>" for n in range(3))
    main = (f'<span id="ctl00_ContentPlaceHolder1_lblTitle" class="TieuDe">{title}</span><br>'
            '<span class="NgayDang">Ngày 09/11/2026</span><div><p>Do sửa chữa đường ống, nước '
            "tạm dừng từ 8 giờ đến 17 giờ ngày 09/11/2026.</p></div>"
            f"<b>Các tin khác</b><ul>{others}</ul>")
    for shown in (f"Sở Nông nghiệp - {title}", f"Sở Nông nghiệp | {title}",
                  f"UBND tỉnh - Sở Nông nghiệp - {title}"):
        kind, reason, _ = classify(portal(main, title=shown), "/ChiTietTin.aspx?id=8830")
        assert (kind, reason[:21]) == ("article", "headline, dateline an"), shown
    # a title that only ends with the headline's words, no separator before them, names
    # something else: no headline, the teasers make the page a listing
    kind, _, _ = classify(portal(main, title=f"Sở Nông nghiệp {title}"), "/ChiTietTin.aspx?id=8830")
    assert kind == "listing"


def test_a_photo_or_video_item_followed_by_its_siblings_headlines_is_an_article():
    # no text under the headline, then a box of teasers: the box's links are shaped like the
    # page's own address (other items of the same kind), a listing's items are not shaped
    # like the listing's address
    others = "".join(
        f'<li><a href="/video/ban-tin-thoi-su-tuan-{n}-{7000 + n}.html">Bản tin thời sự địa '
        f"phương tuần thứ {n} của tháng</a></li>" for n in range(1, 6))  # fmt: skip
    for shown in ('<iframe src="https://www.youtube.com/embed/v1"></iframe>',
                  '<p style="text-align:center"><img src="/anh/infographic-ngan-sach.jpg"></p>'):
        html = portal("<h1>Bản tin thời sự địa phương tuần cuối tháng</h1><div class='ngay'>"
                      f"22/12/2025</div>{shown}<div class='box'><b>Xem thêm</b><ul>{others}</ul>"
                      "</div>")  # fmt: skip
        kind, reason, _ = classify(html, "/video/ban-tin-thoi-su-tuan-cuoi-7100.html")
        assert kind == "article" and reason.endswith(" 1 images or videos"), shown
        # the same page at a listing's address is the listing of those items
        assert classify(html, "/video/")[0] == "listing", shown


SCHEDULE = ("<table><tr><th>Ngày</th><th>Lãnh đạo tiếp</th><th>Chức vụ</th></tr>" + "".join(
    f"<tr><td>Thứ Năm, {d}/12/2025</td><td>{who}</td><td>{role}</td></tr>"
    for d, who, role in (("04", "Ông Trần Văn An", "Giám đốc Sở"), ("11", "Bà Ngô Thị Lan",
                         "Phó Giám đốc Sở"), ("18", "Ông Đỗ Minh Tuấn", "Phó Giám đốc Sở")))
    + "</table>")  # fmt: skip


def test_a_dated_notice_whose_content_is_a_table_of_dated_rows_is_an_article():
    # the notice's dateline, its lead-in sentence, then the rows of its schedule: dated lines,
    # but the schedule's, not a list of items (which opens with its first item)
    html = portal('<div class="chitiet"><h1>Thông báo lịch tiếp công dân tháng 12 năm 2025</h1>'
                  '<div class="ngay">01/12/2025 16:00</div><p>Sở Tài nguyên và Môi trường thông '
                  f"báo lịch tiếp công dân định kỳ tháng 12 như sau:</p>{SCHEDULE}</div>")
    url = "/thong-bao/lich-tiep-cong-dan-3120.html"
    assert classify(html, url)[0] == "article"
    text = extract_article(html, SITE + url)["text"]
    assert "lịch tiếp công dân định kỳ tháng 12" in text and "Bà Ngô Thị Lan" in text
    assert "Tin mới số 1" not in text
    # the same rows with no lead-in are dated items under a heading: a list
    assert classify(portal(f"<h1>Lịch tiếp công dân</h1>{SCHEDULE}"), url)[0] == "listing"


WEEK_ROWS = "".join(
    f"<tr><td>Thứ {d} 0{n}/12</td><td>08h00</td><td>Lãnh đạo Sở họp giao ban với các phòng</td>"
    f"<td>Phòng họp số {n}</td></tr>" for n, d in enumerate(("Hai", "Ba", "Tư", "Năm"), 1))


def test_a_week_shown_as_a_period_is_no_dateline():
    # a calendar's week ("từ … đến …") is no moment of publication: the page is no article
    week = portal("<h2>Lịch công tác tuần</h2><div><b>Tuần 49 (từ 01/12/2025 đến 07/12/2025)"
                  f"</b></div><table>{WEEK_ROWS}</table>", title="Lịch công tác tuần")
    assert classify(week, "/lich-cong-tac.aspx?tuan=49")[0] == "other"
    # a dated notice with the same table stays one
    notice = portal("<h2>Lịch công tác tuần của Sở</h2><div>Thứ Hai, 01/12/2025 08:30</div>"
                    f"<table>{WEEK_ROWS}</table>", title="Lịch công tác tuần của Sở")
    assert classify(notice, "/lich-cong-tac.aspx?tuan=49")[0] == "article"


def test_a_hint_stands_in_for_a_dateline_not_for_the_text():
    # under a headline with no dateline: labels, fields and table cells, no sentence
    phones = portal("<h2>Danh bạ điện thoại</h2><table>" + "".join(
        f"<tr><td>Phòng số {n}</td><td>Trưởng phòng</td><td>0203 3 844 00{n}</td></tr>"
        for n in range(1, 6)) + "</table>", title="Danh bạ điện thoại")  # fmt: skip
    send = portal("<h1>Gửi bài viết cho bạn bè</h1><form><p>Email người nhận: <input name='to'>"
                  "</p><p>Lời nhắn: <textarea name='msg'></textarea></p><input type='submit' "
                  "value='Gửi'></form>", title="Gửi bài viết cho bạn bè")
    poll = portal("<h1>Thăm dò ý kiến</h1><p>Bạn đánh giá thế nào về dịch vụ công trực tuyến?"
                  "</p><p>Hài lòng 60%</p><p>Chưa hài lòng 40%</p>", title="Thăm dò ý kiến")
    for hints in ({"teaser_url": True}, {"article_shape": "/tin-tuc/<slug>-<n>.html"}):
        for html in (phones, send, poll):
            assert classify(html, "/tin-tuc/trang-3121.html", hints)[0] != "article", hints
        # but a sentence, a photo or a document under the headline is an article's
        notices = [portal("<h1>Thông báo nghỉ lễ Quốc khánh</h1><p>Cơ quan nghỉ lễ theo quy "
                          "định.</p>"),
                   portal("<h1>Quyết định công nhận xã đạt chuẩn nông thôn mới</h1><p><a "
                          "href='/files/qd-2345.pdf'>Quyết định số 2345/QĐ-UBND</a></p>"),
                   portal("<h1>Ảnh: Mùa lúa chín trên ruộng bậc thang</h1><p><img "
                          "src='/anh/lua-1.jpg'></p><p><img src='/anh/lua-2.jpg'></p>")]
        for html in notices:
            assert classify(html, "/tin-tuc/trang-3121.html", hints)[0] == "article", hints
    text = extract_article(notices[0], SITE + "/tin-tuc/trang-3121.html",
                           hints={"teaser_url": True})["text"]
    assert "Cơ quan nghỉ lễ theo quy định." in text and "Tin mới số 1" not in text


def test_a_page_whose_headline_starts_with_a_site_function_is_the_sites_own_page():
    # a calendar day of sentences, a question form with its captcha image: no dateline, and
    # named for what the site does ("Lịch công tác …", "Gửi câu hỏi") from the first word
    day = portal("<h1>Lịch công tác ngày 02/12/2025</h1>" + "".join(
        f"<p>{hour}: Giám đốc Sở {what}.</p>" for hour, what in (
            ("08h00", "tiếp công dân định kỳ tại trụ sở"), ("14h00", "họp trực tuyến với Bộ"))),
        title="Lịch công tác ngày 02/12/2025")  # fmt: skip
    ask = portal("<h1>Gửi câu hỏi</h1><p>Họ và tên: <input name='ten'></p><p>Nội dung: "
                 "<textarea name='hoi'></textarea></p><p><img src='/captcha.ashx'></p>",
                 title="Gửi câu hỏi")
    for html in (day, ask):
        assert classify(html, "/tin-tuc/trang-3122.html", {"teaser_url": True})[0] == "other"
    # inside a headline the same words are news
    news = portal("<h1>Điều chỉnh lịch công tác của lãnh đạo tỉnh trong tuần</h1><p>Do thời tiết "
                  "xấu, chuyến kiểm tra các huyện ven biển được lùi sang tuần sau.</p>",
                  title="Điều chỉnh lịch công tác của lãnh đạo tỉnh trong tuần")
    assert classify(news, "/tin-tuc/trang-3122.html", {"teaser_url": True})[0] == "article"


DOCUMENT_ROWS = "".join(
    f"<tr><td>{n}/2025/QĐ-UBND</td><td>{10 + n}/11/2025</td><td><a href='/van-ban/chi-tiet-"
    f"{3130 + n}.html'>Quyết định ban hành quy định quản lý chợ số {n} của tỉnh</a></td></tr>"
    for n in range(1, 5))  # fmt: skip


def test_a_document_search_table_is_a_listing_its_first_rows_date_no_dateline():
    # the cells before a row's link (a document's number, its date) are the first item's
    search = portal("<h1>Tra cứu văn bản</h1><p>Từ khóa: <input name='kw'></p><table><tr><th>"
                    f"Số hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr>{DOCUMENT_ROWS}"
                    "</table>", title="Tra cứu văn bản")
    assert classify(search, "/van-ban/tra-cuu.aspx?kw=cho")[0] == "listing"
    # a dated notice that lists the same documents stays an article
    notice = portal("<h1>Công bố các quyết định về quản lý chợ</h1><div>01/12/2025 08:30</div>"
                    "<p>UBND tỉnh công bố các quyết định về quản lý chợ như sau:</p>"
                    f"<table>{DOCUMENT_ROWS}</table>")
    assert classify(notice, "/tin-tuc/cong-bo-quyet-dinh-3130.html")[0] == "article"


def test_a_tag_topic_or_author_page_is_a_listing_under_a_hint():
    # a line of introduction (a reporter's bio, a topic's blurb), then the run of teasers:
    # a hint stands in for a dateline, never for the address that names the page
    items = "".join(
        f"<article><h2><a href='/tin-tuc/du-lich-cong-dong-so-{n}-{3140 + n}.html'>Du lịch "
        f"cộng đồng ở bản vùng cao số {n}</a></h2><p>Tóm tắt bài viết số {n}.</p></article>"
        for n in range(1, 5))  # fmt: skip
    page = portal("<h1>Lê Văn An</h1><p>Phóng viên thường trú tại huyện Bắc Sơn, viết về văn "
                  f"hóa và du lịch.</p>{items}", title="Lê Văn An")
    for path in ("/author/le-van-an/", "/tag/du-lich/", "/chu-de/du-lich-cong-dong-3140"):
        for hints in ({"teaser_url": True}, {"article_shape": "/tin-tuc/<slug>-<n>.html"}):
            assert classify(page, path, hints)[0] == "listing", (path, hints)
    # at a news address the same page reads as a notice with its related box, as before
    assert classify(page, "/tin-tuc/le-van-an-3140.html", {"teaser_url": True})[0] == "article"


def test_a_question_and_its_answer_is_an_article_without_a_dateline():
    # a "Hỏi đáp" item: the citizen's question, the office's answer, no dateline, no hint
    qa = portal("<h1>Hỏi về điều kiện hưởng trợ cấp thất nghiệp</h1><div>Người hỏi: Phạm Thị "
                "Lan, xã Yên Lạc</div><p>Tôi đóng bảo hiểm thất nghiệp được mười tháng thì nghỉ "
                "việc, tôi có được hưởng trợ cấp không?</p><div>Sở Lao động trả lời:</div><p>"
                "Người lao động phải đóng đủ mười hai tháng trong hai mươi bốn tháng trước khi "
                "nghỉ việc.</p>")
    kind, reason, _ = classify(qa, "/hoi-dap/chi-tiet-3150.html")
    assert (kind, reason) == ("article", "a question and its answer under the headline")
    text = extract_article(qa, SITE + "/hoi-dap/chi-tiet-3150.html")["text"]
    assert "có được hưởng trợ cấp không?" in text and "đóng đủ mười hai tháng" in text
    # a poll's question is followed by its options, not by an answer
    poll = portal("<h1>Ý kiến bạn đọc</h1><p>Bạn đánh giá thế nào về chất lượng dịch vụ công "
                  "trực tuyến của tỉnh?</p><p>Hài lòng 60%</p><p>Chưa hài lòng 40%</p>")
    assert classify(poll, "/hoi-dap/chi-tiet-3150.html")[0] != "article"


# an old portal's teasers open a popup: their hrefs run a script that names the page
POPUP_LINKS = (
    "<a href=\"javascript:openNews('/tin/chitiet.asp?id={id}')\">{title}</a>",
    "<a href=\"#\" onclick=\"window.open('/tin/chitiet.asp?id={id}','tin','width=800')\">"
    "{title}</a>",
    "<a href=\"javascript:void(0)\" onclick=\"location.href='/tin/chitiet.asp?id={id}'\">"
    "{title}</a>",
    "<a href=\"javascript:;\" data-href=\"/tin/chitiet.asp?id={id}\">{title}</a>",
)


def popup_teaser(n: int) -> str:
    link = POPUP_LINKS[n % len(POPUP_LINKS)].format(
        id=500 + n, title=f"Xã vùng cao số {n} tổ chức ngày hội đại đoàn kết toàn dân tộc")
    return (f"<div class='item'><h3>{link}</h3><span class='date'>2{n}/11/2025</span>"
            f"<p>Bà con xã vùng cao số {n} vui ngày hội - tin từ cơ sở.</p></div>")


def test_a_section_page_whose_teasers_open_popups_is_a_listing():
    html = portal("<h1>Tin tức - Sự kiện</h1>" + "".join(popup_teaser(n) for n in range(8)))
    kind, reason, _ = classify(html, "/tin/danhmuc.asp?cat=1")
    assert (kind, reason) == ("listing", "8 teaser headlines")
    assert extract_article(html, SITE + "/tin/danhmuc.asp?cat=1", only_articles=True) is None


def test_an_article_with_popup_links_beside_and_under_it_stays_an_article():
    side = ("<div id='sidebar'><h4>Tin mới</h4><ul>" + "".join(
        f"<li><a href=\"javascript:popup('/tin/chitiet.asp?id={600 + n}', 800, 600);\">Tin mới "
        f"số {n} về phong trào thi đua của xã</a></li>" for n in range(5)) + "</ul></div>")
    others = "<div class='other'><h4>Tin khác</h4>" + "".join(
        popup_teaser(n) for n in range(4)) + "</div>"
    html = portal("<div class='detail'><h1>Xã vùng cao khánh thành trường mầm non mới</h1>"
                  "<div class='date'>Ngày đăng: 24/11/2025</div><p>Sáng 24/11, xã vùng cao "
                  "khánh thành trường mầm non mới với sáu phòng học khang trang.</p><p>Công "
                  "trình được xây dựng bằng nguồn vốn của chương trình mục tiêu quốc gia.</p>"
                  f"</div>{others}{side}")
    kind, _, _ = classify(html, "/tin/chitiet.asp?id=700")
    assert kind == "article"
    result = extract_article(html, SITE + "/tin/chitiet.asp?id=700")
    assert "sáu phòng học khang trang" in result["text"]
    # its "Tin khác" list of popups is a related block, cut from the body
    assert "tổ chức ngày hội đại đoàn kết" not in result["text"]
    assert SITE + "/tin/chitiet.asp?id=501" in [link["url"] for link in result["related"]]


def test_a_dated_notice_that_is_only_a_table_of_dated_rows_is_an_article():
    # its dateline, then its table at once (no lead-in sentence): the rows link nowhere, so
    # they are the notice's, not a list's items (each of which links its own page)
    html = portal('<h1>Lịch tiếp công dân của Giám đốc Sở tháng 12 năm 2025</h1>'
                  f'<div class="ngay">01/12/2025 16:00</div>{SCHEDULE}')
    assert classify(html, "/thong-bao/lich-tiep-cong-dan-3121.html")[0] == "article"
    # rows that each link an item's page under a dateline are a list of items
    linked = SCHEDULE.replace("<td>Ông Trần", "<td><a href='/tin/tiep-dan-1.html'>Ông Trần")
    linked = linked.replace("Giám đốc Sở</td>", "Giám đốc Sở</a></td>", 1)
    assert classify(html.replace(SCHEDULE, linked), "/thong-bao/lich-3122.html")[0] == "listing"


def blog_post(title_link: str) -> str:
    """A blog's post page shaped as Blogger lays one out: every column a "widget" box (the
    post's too), no h1, and the post's title a heading linking to ``title_link``."""
    archive = "".join(f'<li><a href="https://vuonnha.example.com/2025/{m:02d}/">Tháng {m}</a></li>'
                      for m in range(1, 12))
    return (
        "<html lang='vi'><head><title>Vườn nhà: Trồng rau sạch trên sân thượng</title>"
        "<link rel='canonical' href='https://vuonnha.example.com/2025/12/trong-rau.html'>"
        "</head><body><div class='header section'><div class='widget Header' id='Header1'>"
        "<p class='title'><a href='https://vuonnha.example.com/'>Vườn nhà</a></p></div></div>"
        "<div class='main section' id='main'><div class='widget Blog' id='Blog1'>"
        "<div class='post hentry'>"
        f"<h3 class='post-title entry-title'><a href='{title_link}'>Trồng rau sạch trên sân "
        "thượng</a></h3><div class='post-body entry-content'>"
        "<p>Mùa này tôi gieo một luống cải ngọt và hai khay rau muống trên sân thượng.</p>"
        "<p>Đất trộn phân trùn quế, tưới sáng sớm, sau ba tuần đã có rau ăn.</p>"
        "</div></div></div></div>"
        "<div class='sidebar section'><div class='widget BlogArchive'><h2>Lưu trữ blog</h2>"
        f"<ul>{archive}</ul></div></div></body></html>"
    )


def test_a_blog_posts_title_linking_to_the_post_itself_is_its_headline():
    # a heading that links to the page itself is its permalink, not a teaser: the page is an
    # article (on Blogger the post sits in a "widget" box, read as a sidebar until a headline
    # inside it says otherwise; 67 of dragnet's 122 Blogger pages were "other")
    url = "https://vuonnha.example.com/2025/12/trong-rau.html"
    for link in (url, "/2025/12/trong-rau.html", url + "#more"):
        result = extract_article(blog_post(link), url)
        assert result["page_kind"] == "article", link
        assert "gieo một luống cải ngọt" in result["text"]
        assert "Lưu trữ blog" not in result["text"]
        # and so without the address fetched: the page's canonical link names it
        assert extract_article(blog_post(link), "")["page_kind"] == "article"
    # a heading linking to another post is that post's teaser, not this page's headline
    other = blog_post("https://vuonnha.example.com/2025/11/uom-hat.html")
    assert extract_article(other, url)["page_kind"] != "article"


def test_a_blogs_name_in_an_h1_beside_its_post_title_is_no_headline():
    # Blogger's older themes show the blog's name in an h1 (a logo box, no link) and the post's
    # title in a self-linked h3; the <title> is "Blog name: Post title". The h1 matched the
    # title only as its site part: no headline, no body (dragnet: 2 posts without text, 5
    # "other")
    url = "https://vuonnha.example.com/2025/12/trong-rau.html"
    banner = ("<div id='logo' onclick='window.location=\"https://vuonnha.example.com/\";'>"
              "<h1>Vườn nhà trên phố</h1></div>")
    html = blog_post(url).replace("Vườn nhà:", "Vườn nhà trên phố:").replace(
        "<div class='header section'>", banner + "<div class='header section'>")
    for address in (url, ""):
        result = extract_article(html, address)
        assert result is not None and result["page_kind"] == "article", address
        assert result["title"] == "Trồng rau sạch trên sân thượng"
        assert "gieo một luống cải ngọt" in result["text"]
    # an h1 the title names whole stays the headline, a heading under it notwithstanding
    whole = html.replace("Vườn nhà trên phố</h1>", "Vườn nhà trên phố: Trồng rau sạch trên "
                         "sân thượng</h1>").replace("id='logo'", "id='top'")
    assert extract_article(whole, url)["title"] == ("Vườn nhà trên phố: Trồng rau sạch trên "
                                                    "sân thượng")


def test_a_site_name_heading_linking_home_leaves_the_h1_headline():
    # "Headline | Site": the h1 shows the headline, an h2 linking to the home page the site's
    # name, the title's other part: the h1 stays the headline (dragnet: a sports blog's)
    from pipelines.extractor.classify import _headline
    html = ("<html><head><title>Trồng rau sạch trên sân thượng | Vườn nhà trên phố</title>"
            "</head><body><h2><a href='https://vuonnha.example.com/'>Vườn nhà trên phố</a></h2>"
            "<h1>Trồng rau sạch trên sân thượng</h1><p>Mùa này tôi gieo một luống cải.</p>"
            "</body></html>")
    headline = _headline(lxml.html.fromstring(html), "https://vuonnha.example.com/trong-rau")
    assert headline is not None and headline.tag == "h1"


def test_a_linked_blog_name_h1_before_the_post_title_is_not_the_title():
    # TypePad and WordPress blogs: the h1 links the blog's name to its front page, the post's
    # title is an unlinked h3, the <title> "Blog name: Post title" (dragnet: 22 posts of 9
    # blogs titled by their blog's name)
    post = "Tưới rau bằng nước mưa hứng trên mái nhà"
    html = (f"<html><head><title>Vườn nhà trên phố: {post}</title></head><body>"
            "<div id='banner'><h1><a href='https://vuonnha.example.com/blog/'>Vườn nhà trên phố"
            f"</a></h1></div><div class='entry'><h3 class='entry-header'>{post}</h3>"
            "<div class='entry-body'><p>Mái tôn hứng được hai thùng nước sau mỗi cơn mưa.</p>"
            "<p>Nước mưa để lắng một đêm rồi tưới cho luống rau cải.</p></div></div>"
            "</body></html>")
    url = "https://vuonnha.example.com/blog/2025/12/tuoi-rau.html"
    assert extract_article(html, url)["title"] == post
    # unlinked, nothing tells the blog's name from a headline's first part: the h1 stays
    unlinked = html.replace("<a href='https://vuonnha.example.com/blog/'>", "").replace(
        "</a></h1>", "</h1>")
    assert extract_article(unlinked, url)["title"] == "Vườn nhà trên phố"


def old_portal(main: str, title: str) -> str:
    """An old portal laid out in one table row: the page's cell, then a "Tin đọc nhiều" cell
    of linked headlines that no class names a sidebar."""
    latest = "".join(f"<tr><td><a href='/ChiTietTin.aspx?nid={5200 + n}'>Tin đọc nhiều số {n} "
                     "về hoạt động của huyện</a></td></tr>" for n in range(6))
    return (f"<html><head><title>{title}</title></head><body><table><tr><td colspan='2'>"
            "<img src='/banner.gif'></td></tr><tr><td width='560'>"
            f"{main}</td><td width='240'><table>{latest}</table></td></tr></table></body></html>")


def test_a_short_notice_in_a_layout_rows_cell_is_an_article():
    # the headline, the dateline and one sentence share the layout row's main cell with the
    # notice's "Tin liên quan" list: they are the page's, not the first related item's cells
    related = "".join(f"<li><a href='/ChiTietTin.aspx?nid={5100 + n}'>Tin liên quan số {n} về "
                      "lịch nghỉ lễ của huyện</a></li>" for n in range(4))
    notice = ("<h1>Thông báo nghỉ Tết Dương lịch năm 2026</h1><span>01/12/2025</span><p>Cán bộ,"
              " công chức được nghỉ Tết Dương lịch từ ngày 01/01/2026 đến hết ngày 04/01/2026."
              f"</p><div><h3>Tin liên quan</h3><ul>{related}</ul></div>")
    html = old_portal(notice, "Thông báo nghỉ Tết Dương lịch năm 2026")
    assert classify(html, "/ChiTietTin.aspx?nid=5301")[0] == "article"
    result = extract_article(html, SITE + "/ChiTietTin.aspx?nid=5301")
    assert result["page_kind"] == "article"
    assert "nghỉ Tết Dương lịch từ ngày 01/01/2026" in result["text"]
    assert "Tin đọc nhiều số" not in result["text"]
    # a table of documents, each row's number and date in cells before its link, stays a list
    rows = DOCUMENT_ROWS
    assert classify(old_portal(f"<h1>Văn bản chỉ đạo điều hành</h1><table>{rows}</table>",
                               "Văn bản"), "/VanBan.aspx")[0] == "listing"


def test_a_category_page_whose_lead_story_headline_is_its_h1_is_a_listing():
    # the lead story's headline is the page's only h1, a link to the story: a teaser's
    # headline (dated, with its long sapo), not the page's; the page is the list under it
    lead = "/tin-tuc/khanh-thanh-cau-dan-sinh-3150.html"
    teasers = "".join(
        f"<div class='item'><h3><a href='/tin-tuc/hoat-dong-so-{n}-{3160 + n}.html'>Hoạt động "
        f"của Sở trong tuần số {n} năm 2025</a></h3><span>0{n}/12/2025</span></div>"
        for n in range(1, 7))  # fmt: skip
    page = portal(f"<div class='cat'><a href='/tin-tuc/'>Tin tức</a></div><div class='lead'>"
                  f"<a href='{lead}'><img src='/anh/cau.jpg'></a><h1><a href='{lead}'>Khánh "
                  "thành cầu dân sinh tại xã vùng cao sau ba tháng thi công</a></h1><span>Thứ "
                  "Ba, 02/12/2025 09:00</span><p>Sáng 02/12, xã vùng cao khánh thành cây cầu dân "
                  "sinh dài 60 mét, giúp hơn 300 hộ dân đi lại thuận tiện trong mùa mưa lũ, "
                  "sau ba tháng thi công bằng nguồn vốn xã hội hóa.</p></div>" + teasers,
                  title="Tin tức - Sự kiện")
    assert classify(page, "/tin-tuc/")[0] == "listing"
    # the story's own page, its h1 a permalink to itself, is the article
    story = page.replace(f"<h1><a href='{lead}'>", f"<h1><a href='{SITE}{lead}'>")
    assert classify(story, lead)[0] == "article"


def test_a_page_listing_the_sites_feeds_is_a_page_of_the_site_under_a_hint():
    # "RSS": what RSS is, in sentences, then each section's feed: linked from a heading on a
    # listing (a box's title), it is still the site's own page, however long it explains
    feeds = "".join(f"<tr><td>{name}</td><td><a href='/rss/{slug}.rss'><img src='/rss.png'>"
                    f"</a></td></tr>" for slug, name in (("thoi-su", "Thời sự"), ("kinh-te",
                    "Kinh tế"), ("xa-hoi", "Xã hội")))  # fmt: skip
    explained = ("<p>RSS là định dạng dữ liệu dựa theo chuẩn XML dùng để chia sẻ và phát tán "
                 "nội dung web. Bạn có thể dùng phần mềm đọc tin để nhận tin mới của từng "
                 "chuyên mục mà không cần mở trang web.</p>") * 2
    page = portal(f"<h1>Kênh tin RSS</h1>{explained}<table>{feeds}</table>", title="Kênh tin")
    for hints in (None, {"teaser_url": True}):
        kind, reason, _ = classify(page, "/kenh-tin.html", hints)
        assert (kind, reason) == ("other", "a page of the site itself (a list of the site's "
                                           "feeds)"), hints
    # an article that links one feed ("Theo dõi chuyên mục qua RSS") stays an article
    one = portal(f"<h1>Kênh tin RSS của Sở đã có thêm chuyên mục</h1>{explained}"
                 "<p><a href='/rss/thoi-su.rss'>Thời sự</a></p>", title="Kênh tin RSS")
    assert classify(one, "/tin-tuc/kenh-rss-3170.html", {"teaser_url": True})[0] == "article"


def test_an_undated_one_sentence_notice_before_its_related_box_is_an_article():
    # no dateline, no hint from the crawl: one sentence under the headline, then "Tin liên
    # quan" and its teasers: a story and its related news, not a listing of them
    notice = portal("<h1>Thông báo tuyển dụng viên chức năm 2025</h1><p>Sở Nội vụ thông báo "
                    "tuyển dụng 25 chỉ tiêu viên chức; hồ sơ nhận đến hết ngày 30/12/2025 tại "
                    "bộ phận một cửa.</p>" + RELATED.replace("Tin tức khác", "Tin liên quan"),
                    title="Thông báo tuyển dụng viên chức năm 2025")
    kind, reason, _ = classify(notice, "/thong-bao/tuyen-dung-3180.html")
    assert (kind, reason) == ("article", "a sentence under the headline, then its related news")
    # a topic's blurb then its teasers at once (no related heading) is still a listing
    topic = notice.replace("<h3>Tin liên quan</h3>", "")
    assert classify(topic, "/thong-bao/tuyen-dung-3180.html")[0] == "listing"
    # and a site's own page keeps its name, whatever box follows it
    contact = notice.replace("Thông báo tuyển dụng viên chức năm 2025", "Liên hệ")
    assert classify(contact, "/lien-he.html")[0] != "article"


STORY = "".join(f"<p>Đoạn {n}: người dân xã vùng cao đã cùng nhau góp công, góp của để dựng lại "
                "cây cầu treo bị lũ cuốn trôi, và các em học sinh lại được đến trường.</p>"
                for n in range(1, 5))  # fmt: skip


def test_feed_links_of_the_sites_chrome_make_no_list_of_feeds():
    # one feed linked again and again (the tool bar's, the menu's "RSS") under the headline is
    # the site's chrome, as on every story: the story stays an article
    rss = "<a href='/rss/'>RSS</a>"
    story = portal(f"<h1>Cầu treo mới cho học sinh xã vùng cao</h1><p>{rss} | {rss}</p>{STORY}",
                   title="Cầu treo mới cho học sinh xã vùng cao")
    assert classify(story, "/tin-tuc/cau-treo-moi.html")[1] != ("a page of the site itself (a "
                                                                 "list of the site's feeds)")
    assert classify(story, "/tin-tuc/cau-treo-moi.html")[0] == "article"
    # a page without a headline has no part of its own to list feeds in: a column of the
    # blog's category feeds that no class names a sidebar is the page's chrome
    feeds = "".join(f"<li><a href='/blog/feeds/categories/{n}-tac-gia.rss'>"
                    f"<img src='/xml.gif'></a> Tác giả {n}</li>" for n in range(1, 6))
    blog = ("<html><head><title>Nhật ký của nhóm</title></head><body><table><tr>"
            f"<td>{STORY}</td><td id='blogRightColumn'><ul>{feeds}</ul></td></tr></table>"
            "</body></html>")
    assert classify(blog, "/blog/archives/12-nhat-ky.html")[0] == "article"


def test_a_logo_h1_linking_home_leaves_the_box_headings_out_of_the_headline():
    # the site's name in an h1 linking home (its logo), the story's h1 in a <header>, then a
    # "Related Stories" h1 over teasers: the box's heading is never the page's headline
    teasers = "".join(f"<h3><a href='/everywhere/article/{1300 + n}/Story-{n}'>Another story of"
                      f" the week number {n}</a></h3>" for n in range(1, 5))
    page = ("<html><head><title>Scout Fall Beauty Trends | Everywhere - DailyCandy</title>"
            "</head><body><div class='top'><a href='/everywhere/'><h1>DailyCandy</h1></a></div>"
            "<header><h1>Scout with Us: Lipsticks</h1></header><p>Posted Oct. 24, 2012</p>"
            f"{STORY}<section><h1>Related Stories</h1>{teasers}</section></body></html>")
    assert classify(page, "/everywhere/article/139287/Scout-Fall-Beauty-Trends")[0] == "article"


def test_dated_items_in_a_layout_rows_other_cell_are_the_items_not_the_page():
    # no headline; the layout row's first cell is a column of the site's updates, each
    # "Update:" date over its link, the story the other cell: the dates above the first link
    # are the items', not five dated items of a list (a one-sentence notice's cell is the
    # headline's, test above)
    updates = "".join(f"<p>Column {n}</p><p>Update: 1{n}/12/06</p>" for n in range(1, 5))
    links = "".join(f"<a href='/pages/column-{n}.html'>Column of the week number {n}</a>"
                    "<p>by Someone</p>" for n in range(1, 3))
    page = ("<html><head><title>The papers of the week</title></head><body><p>Private Papers"
            f"</p><table><tr><td>December 26, 2006{updates}{links}</td><td><p>December 26, "
            f"2006</p>{STORY}</td></tr></table></body></html>")
    assert classify(page, "/pages/hanson122606.html")[0] == "article"
