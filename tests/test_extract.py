"""extract_article on the shared real pages and on tiny synthetic pages."""

from __future__ import annotations

import json
import unicodedata

import pytest
from conftest import require_shared

from crawler.urls import canonical_url
from pipelines.extractor.article import extract_article
from pipelines.extractor.source import decode_html


def load(key: str) -> tuple[dict, dict]:
    """Extract a real page of ../shared/fixtures/vn with its truth file (see require_shared)."""
    fixtures = require_shared("fixtures/vn")
    truth = json.loads((fixtures / f"{key}.json").read_text(encoding="utf-8"))
    result = extract_article((fixtures / f"{key}.html").read_bytes(), truth["url"])
    assert result is not None, f"{key}: extract_article returned None"
    return result, truth


KEYS = ["baolaocai", "vtcnews", "tienphong", "vnexpress-2023"]


@pytest.mark.parametrize("key", KEYS)
def test_body_keeps_lead_middle_and_last_paragraph(key: str) -> None:
    result, truth = load(key)
    paragraphs = truth["paragraphs"]
    lines = result["text"].split("\n")
    assert lines[0].startswith(paragraphs[0][:60])
    assert paragraphs[len(paragraphs) // 2][:80] in result["text"]
    assert paragraphs[-1] in lines[-1]
    assert result["text"] == unicodedata.normalize("NFC", result["text"])


@pytest.mark.parametrize("key", KEYS)
def test_no_related_headline_leaks_into_body(key: str) -> None:
    result, truth = load(key)
    for item in truth["related"]:
        assert item["text"] not in result["text"]


@pytest.mark.parametrize("key", KEYS)
def test_related_links_match_in_page_order(key: str) -> None:
    result, truth = load(key)
    assert [r["url"] for r in result["related"]] == [
        canonical_url(r["url"]) for r in truth["related"]]
    assert [r["position"] for r in result["related"]] == list(range(len(truth["related"])))
    for mine, gold in zip(result["related"], truth["related"], strict=True):
        assert mine["text"] == gold["text"]


# each page's byline, read by hand: the meta author of all four but vnexpress names the paper
AUTHORS = {"baolaocai": "Anh Dũng",  # the body's last line (div.t1)
           "vtcnews": "Lương Ý",  # div.author-make, dable:author
           "tienphong": "Ngọc Mai",  # div.author, JSON-LD
           "vnexpress-2023": "Anh Minh"}  # p.author_mail, JSON-LD


@pytest.mark.parametrize("key", KEYS)
def test_author_is_the_person_not_the_paper(key: str) -> None:
    result, _ = load(key)
    assert result["author"] == AUTHORS[key]


@pytest.mark.parametrize("key", KEYS)
def test_title_and_local_date(key: str) -> None:
    result, truth = load(key)
    assert result["title"] in [truth["title"], *truth["title_alternates"]]
    assert result["published"][:10] == truth["published"]
    assert result["published"].endswith("+07:00")
    assert result["language"] == "vi"


def test_baolaocai_blocks_css_tags_and_most_read_are_gone() -> None:
    result, _ = load("baolaocai")
    assert len(result["related"]) == 28
    assert result["related"][0]["url"].endswith("thieu-nu-thai-muong-lo-post884948.html")
    assert result["related"][-1]["url"].endswith("du-lich-thong-minh-post404828.html")
    blocks = [r["block"] for r in result["related"]]
    assert blocks[:8] == ["Có thể bạn quan tâm"] * 8 and blocks[8:] == ["Tin cùng chuyên mục"] * 20
    text = result["text"]
    assert "font-weight" not in text and ".t1" not in text
    assert "Từ khóa" not in text and "#Thiếu tá" not in text
    assert "Kết quả điều tra nguyên nhân vụ tai nạn giao thông" not in text  # "Đọc nhiều"
    assert text.split("\n")[-1] == "Anh Dũng"


def test_vtcnews_reading_box_inside_body_wrapper() -> None:
    result, _ = load("vtcnews")
    assert len(result["related"]) == 4
    assert {r["block"] for r in result["related"]} == {"Đọc thêm"}
    assert result["related"][0]["url"] == (
        "https://vtcnews.vn/nut-giao-my-thuy-hon-3-400-ty-dong-i-ach-gan-9-nam-do-vuong-mat-bang-ar951655.html")
    assert result["text"].startswith("(VTC News) - Sau 8 tháng khởi công")
    assert "Được tài trợ" not in result["text"] and "adsvtc" not in result["text"]
    assert result["published"] == "2025-12-24T09:30:00+07:00"


def test_tienphong_inline_cards_and_named_blocks() -> None:
    result, _ = load("tienphong")
    blocks = [r["block"] for r in result["related"]]
    assert blocks == [""] * 3 + ["Xem thêm"] * 3 + ["Cùng chuyên mục"] * 9
    assert result["related"][-1]["url"].endswith("dau-tien-gia-nhap-pcaf-post1860216.tpo")
    assert "Hé lộ số lượng kim cương PNJ tiêu thụ mỗi năm" not in result["text"]
    assert "rà soát toàn bộ quy trình kinh doanh kim cương." in result["text"]  # figcaption
    assert "Ngọc Mai" not in result["text"]  # author sits outside the body container


def test_vnexpress_js_only_boxes_record_ids_and_invent_no_links() -> None:
    result, _ = load("vnexpress-2023")
    assert result["related"] == []
    assert result["related_ids"] == [{"block": "Xem thêm", "ids": ["4671980", "4609553"]}]
    assert "Ông Hồ Đức Phớc, Bộ trưởng Tài chính. Ảnh: Hoàng Phong" in result["text"]
    assert result["published"] == "2023-11-02T19:20:45+07:00"


def test_listing_pages_are_not_articles() -> None:
    page = require_shared("fixtures/vn") / "listings" / "vnexpress-thoi-su.html"
    url = "https://vnexpress.net/thoi-su"
    assert extract_article(page.read_bytes(), url, only_articles=True) is None
    assert extract_article(page.read_bytes(), url)["page_kind"] == "listing"


# --- synthetic pages -------------------------------------------------------------------------

BODY = ("Sáng nay, Ủy ban nhân dân tỉnh Quảng Ninh tổ chức hội nghị tổng kết công tác năm và "
        "triển khai nhiệm vụ trọng tâm năm tới với sự tham dự của đại biểu các sở, ngành, địa "
        "phương trong tỉnh. Đồng chí Chủ tịch tỉnh nhấn mạnh yêu cầu đẩy nhanh tiến độ các dự án "
        "hạ tầng giao thông, bảo đảm an sinh xã hội cho người dân vùng cao.")


def page(body: str = "", extra: str = "", head: str = "") -> str:
    return (f"<html lang='vi'><head>{head}<title>Hội nghị tổng kết - Báo Tỉnh</title>"
            "<meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='2025-03-04T08:00:00+07:00'>"
            "</head><body><h1>Hội nghị tổng kết công tác năm</h1>"
            f"<div class='article__body'><p>{BODY}</p>{body}</div>{extra}</body></html>")


def to_cp1258(text: str) -> bytes:
    """Encode like a legacy Vietnamese page: base letters plus cp1258 combining tone marks."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


URL = "https://baotinh.vn/hoi-nghi-tong-ket-post123456.html"


def test_cp1258_bytes_with_charset_meta() -> None:
    raw = to_cp1258(page(head="<meta charset='windows-1258'>"))
    result = extract_article(raw, URL)
    assert result is not None and BODY in result["text"]
    assert result["title"] == "Hội nghị tổng kết công tác năm"


def test_cp1258_bytes_without_any_declaration() -> None:
    result = extract_article(to_cp1258(page()), URL)
    assert result is not None and BODY in result["text"] and "\ufffd" not in result["text"]


def test_a_page_whose_xml_declaration_was_cut_short_is_read() -> None:
    # the fetch lost the head's start: the declaration runs on into a meta tag and never
    # closes with "?>"; lxml refuses a str with an encoding declaration, so it must go whole
    for raw in (page(), '<?xml version="1.0" encoding="utf-8"?>\n' + page(),
                '<?xml version="1.0" encoding="từ khóa, tin tức, hội nghị" />\n' + page()):
        result = extract_article(raw.encode("utf-8"), URL)
        assert result is not None and BODY in result["text"]


def test_header_says_utf8_but_bytes_are_cp1258() -> None:
    text = decode_html(to_cp1258(page(head="<meta charset='utf-8'>")), "utf-8")
    assert "\ufffd" not in text and BODY in text


def test_utf8_page_with_a_stray_latin1_byte_stays_utf8() -> None:
    # a paragraph pasted from a Latin-1 source: one bad byte must not garble the whole page
    raw = page(body="<p>MARK</p>", head="<meta charset='utf-8'>").encode("utf-8").replace(
        b"MARK", "Quán cà phê sách".encode("latin-1", "replace"))
    result = extract_article(raw, URL)
    assert result is not None and BODY in result["text"]
    assert result["title"] == "Hội nghị tổng kết công tác năm"


def test_utf8_bytes_decode_even_when_header_claims_latin1() -> None:
    assert BODY in decode_html(page().encode("utf-8"), "iso-8859-1")


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-8"), to_cp1258, lambda t: t],
                         ids=["utf-8", "cp1258", "text"])
def test_control_characters_are_dropped_whatever_the_page_came_as(encode) -> None:
    dirty = page(body="<p>Dòng\x00 có\x0b ký tự\x1f điều khiển\x7f.</p>")
    result = extract_article(encode(dirty), URL)
    assert result is not None and BODY in result["text"]
    assert "Dòng có ký tự điều khiển." in result["text"]


def test_nfd_input_gives_nfc_output() -> None:
    result = extract_article(unicodedata.normalize("NFD", page()), URL)
    assert result is not None
    assert BODY in result["text"] and result["title"] == "Hội nghị tổng kết công tác năm"


def test_image_and_text_links_to_one_url_are_one_entry() -> None:
    box = ("<div class='box'><h3>Tin liên quan</h3><ul><li>"
           "<a href='/bai-mot-post111111.html'><img src='a.jpg' alt=''></a>"
           "<a href='/bai-mot-post111111.html'>Bài một về hạ tầng giao thông</a></li><li>"
           "<a href='https://baotinh.vn/bai-hai-post222222.html'>Bài hai về an sinh</a>"
           "</li></ul></div>")
    result = extract_article(page(extra=box), URL)
    assert result is not None
    assert [(r["url"], r["text"], r["block"], r["position"]) for r in result["related"]] == [
        ("https://baotinh.vn/bai-mot-post111111.html", "Bài một về hạ tầng giao thông",
         "Tin liên quan", 0),
        ("https://baotinh.vn/bai-hai-post222222.html", "Bài hai về an sinh", "Tin liên quan", 1),
    ]


def test_related_block_inside_body_is_reported_and_removed() -> None:
    box = ("<div class='inline'><strong class='title'>Đọc thêm</strong>"
           "<a href='/dap-tran-mua-lu-post333333.html'>Đập tràn mùa lũ ở vùng cao</a></div>"
           "<p>Hội nghị kết thúc cùng ngày với nhiều chỉ tiêu mới được đặt ra cho năm sau.</p>")
    result = extract_article(page(body=box), URL)
    assert result is not None
    assert [r["text"] for r in result["related"]] == ["Đập tràn mùa lũ ở vùng cao"]
    assert "Đập tràn" not in result["text"] and "Đọc thêm" not in result["text"]
    assert result["text"].endswith("nhiều chỉ tiêu mới được đặt ra cho năm sau.")


def test_author_line_in_body_is_the_author_when_no_meta_names_one() -> None:
    byline = "<p class='author'><strong>Nguyễn Minh Dũng</strong></p>"
    result = extract_article(page(body=byline), URL)
    assert result is not None and result["author"] == "Nguyễn Minh Dũng"
    with_meta = page(body=byline, head="<meta name='author' content='Trần Thu Hà'>")
    assert extract_article(with_meta, URL)["author"] == "Trần Thu Hà"
    assert extract_article(page(), URL)["author"] is None


def test_a_meta_author_that_names_the_publication_gives_way_to_the_byline() -> None:
    """Many Vietnamese CMSs write the paper's name in <meta name="author">: by its og:site_name,
    or by words that spell the host's name; the person is in the byline or dable:author."""
    byline = "<div class='author'><span class='thumb'></span> Ngọc Mai </div>"
    for head in ("<meta name='author' content='Báo Tỉnh điện tử'>"
                 "<meta property='og:site_name' content='Báo Tỉnh điện tử'>",
                 "<meta name='author' content='Báo điện tử Bao Tinh'>",
                 "<meta name='author' content='baotinh.vn'>"):
        assert extract_article(page(body=byline, head=head), URL)["author"] == "Ngọc Mai"
    dable = ("<meta name='author' content='Báo Tỉnh'><meta property='og:site_name' "
             "content='Báo Tỉnh'><meta property='dable:author' content='Lương Ý'>")
    assert extract_article(page(head=dable), URL)["author"] == "Lương Ý"
    # a person named beside the publication is a person's byline, kept as written
    both = "<meta name='author' content='Trần Thu Hà, Báo Tỉnh'>"
    assert extract_article(page(head=both), URL)["author"] == "Trần Thu Hà, Báo Tỉnh"
    # a CMS account is nobody's byline
    admin = "<p class='author'><a href='/author/admin/'>admin</a></p>"
    assert extract_article(page(body=admin), URL)["author"] is None


def test_a_platform_domain_gives_way_and_other_author_marks_are_read() -> None:
    """A CMS platform's domain in <meta name="author"> ("VCCorp.vn") is no person; "Theo …" in
    article:author is the writer; else <a rel="author">, else JSON-LD's author."""
    platform = "<meta name='author' content='VCCorp.vn'>"
    prefixed = platform + "<meta property='article:author' content='Theo Phạm Trường'>"
    assert extract_article(page(head=prefixed), URL)["author"] == "Phạm Trường"
    rel = "<div class='meta'><a rel='author' href='/tac-gia/bach-an-3508.htm'>Bạch An</a></div>"
    no_container = page(head=platform).replace("<div class='article__body'>", "<div>")
    assert extract_article(no_container.replace("<h1>", rel + "<h1>"), URL)["author"] == "Bạch An"
    json_ld = ('<script type="application/ld+json">{"@context": "https://schema.org", '
               '"@type": "NewsArticle", "author": {"@type": "Person", "name": "Minh Vũ"}}</script>')
    assert extract_article(page(head=platform + json_ld), URL)["author"] == "Minh Vũ"
    assert extract_article(page(head=platform), URL)["author"] is None


def test_a_byline_names_the_author_without_badge_or_agency() -> None:
    badge = ("<div class='article-author'><a href='/tac-gia/dam-de-01.html'><img src='a.jpg'></a>"
             "<p class='article-author__info'><span class='name'><a href='/tac-gia/dam-de-01.html'>"
             " Đàm Đệ </a></span> <span class='position'>Nhà báo</span></p></div>")
    assert extract_article(page(body=badge), URL)["author"] == "Đàm Đệ"
    agency = "<div class='author'><strong>Tâm Hằng</strong><i> (TTXVN)</i></div>"
    assert extract_article(page(body=agency), URL)["author"] == "Tâm Hằng"
    two = ("<div class='detail-author'><a href='javascript:;' class='avatar' title='TUẤN LONG'>"
           "<img src='a.jpg'></a><div><a href='javascript:;' class='name'>TUẤN LONG</a> - "
           "<a href='/tac-gia/quoc-thang-53241.htm' class='name'>QUỐC THẮNG</a> "
           "<a href='mailto:x@baotinh.vn'>Email</a></div></div>")
    assert extract_article(page(body=two), URL)["author"] == "TUẤN LONG; QUỐC THẮNG"


def test_a_byline_without_a_body_container_labels_and_dashes() -> None:
    # no element is recognised as the body container: the byline is the first author element
    # after the headline (a comment's author comes later); "Tác giả:" is a label, and full
    # names joined by a dash are several authors
    def loose(byline: str, after: str = "") -> str:
        return (f"<html lang='vi'><head><title>Hội nghị tổng kết - Báo Tỉnh</title></head><body>"
                f"<div class='author'>Ban biên tập</div><h1>Hội nghị tổng kết công tác năm</h1>"
                f"<div class='khung'>{byline}<p>{BODY}</p></div>{after}</body></html>")
    two = loose("<div class='author'>Hoàng Nga - Thu Trang</div>",
                "<div class='comment'><span class='comment-author'>Lê Bình</span></div>")
    assert extract_article(two, URL)["author"] == "Hoàng Nga; Thu Trang"
    label = loose("<p class='tac-gia'>Tác giả: Nguyễn Văn An</p>")
    assert extract_article(label, URL)["author"] == "Nguyễn Văn An"
    affiliation = loose("<p class='author'>Hoàng Minh - Trung tâm Truyền thông tỉnh</p>")
    assert "; " not in extract_article(affiliation, URL)["author"]  # a body is no second author


def test_the_credit_line_that_ends_the_story_names_the_author() -> None:
    credit = "<p style='text-align:right'><strong>Tin, ảnh: P.Y</strong></p>"
    result = extract_article(page(body=credit), URL)
    assert result["author"] == "P.Y" and result["text"].endswith("Tin, ảnh: P.Y")
    name_alone = "<div class='t1'>Anh Dũng</div>"
    assert extract_article(page(body=name_alone), URL)["author"] == "Anh Dũng"
    agency = "<p style='text-align:right'><strong>Hoàng Minh (Trung tâm Truyền thông)</strong></p>"
    assert extract_article(page(body=agency), URL)["author"] == "Hoàng Minh"
    for last in ("<p><em>Ảnh minh họa</em></p>", "<p>Hội nghị bế mạc lúc 17 giờ.</p>",
                 "<p>Quảng Ninh, 2025</p>", "<p><em>Theo TTXVN</em></p>"):
        assert extract_article(page(body=last), URL)["author"] is None, last


def test_trafilatura_metadata_fills_what_the_page_markup_lacks() -> None:
    # no date in the markup, only in the URL: trafilatura's metadata pass (htmldate) finds it
    html = ("<html lang='vi'><head><title>Hội nghị tổng kết</title></head><body><h2>x</h2>"
            f"<div class='article__body'><p>{BODY}</p></div></body></html>")
    result = extract_article(html, "https://baotinh.vn/2024/05/06/hoi-nghi-tong-ket.html")
    assert result is not None and result["published"].startswith("2024-05-06")


def test_a_small_box_with_a_body_like_class_is_not_taken_for_the_story() -> None:
    story = "".join(f"<p>{BODY} Đoạn {i}.</p>" for i in range(4))
    html = ("<html lang='vi'><head><title>Hội nghị tổng kết</title></head><body>"
            "<h1>Hội nghị tổng kết công tác năm</h1>"
            f"<div class='main'>{story}</div>"
            "<aside><div class='news-content'><p>Quảng cáo một dòng về du lịch biển đảo mùa hè "
            "này với nhiều ưu đãi hấp dẫn cho du khách.</p></div></aside></body></html>")
    result = extract_article(html, URL)
    assert result is not None
    assert "Đoạn 0." in result["text"] and "Đoạn 3." in result["text"]
    assert "Quảng cáo" not in result["text"]


def test_most_read_box_is_not_related_and_not_body() -> None:
    box = ("<aside><div class='box'><h3 class='title'>Đọc nhiều</h3>"
           "<a href='/tin-nong-mot-post444444.html'>Tin nóng một trong ngày hôm nay</a>"
           "<a href='/tin-nong-hai-post555555.html'>Tin nóng hai trong ngày hôm nay</a>"
           "</div></aside>")
    result = extract_article(page(extra=box), URL)
    assert result is not None
    assert result["related"] == [] and "Tin nóng" not in result["text"]


def test_profile_css_overrides_are_honoured() -> None:
    html = ("<html><body><div class='hdr'>Trang chủ</div>"
            "<div class='tt'>Tiêu đề riêng của bài</div>"
            "<span class='ngay'>03/04/2025 07:15</span>"
            f"<div class='noidung'><p>{BODY}</p></div>"
            "<div class='lienquan'><a href='/bai-khac-post666666.html'>Bài khác</a></div>"
            "</body></html>")
    profile = {"selectors": {"title": ".tt", "date": ".ngay", "body": ".noidung",
                             "related": ".lienquan"}}
    result = extract_article(html, URL, profile)
    assert result is not None
    assert result["title"] == "Tiêu đề riêng của bài"
    assert result["published"] == "2025-04-03T07:15:00+07:00"
    assert [r["url"] for r in result["related"]] == ["https://baotinh.vn/bai-khac-post666666.html"]
    assert result["text"] == BODY


@pytest.mark.parametrize("html", [
    "", "   ", "<html></html>", "<html><body><p>Xin chào</p></body></html>",
    b"\xff\xfe\x00", "<?xml version='1.0' encoding='utf-8'?><html><body>ngắn</body></html>",
])
def test_non_article_pages_give_none(html: str | bytes) -> None:
    assert extract_article(html, URL, only_articles=True) is None
    result = extract_article(html, URL)  # extracted all the same, and judged
    assert result is None or result["page_kind"] != "article"


def test_home_page_is_never_an_article() -> None:
    assert extract_article(page(), "https://baotinh.vn/", only_articles=True) is None
    assert extract_article(page(), "https://baotinh.vn/")["page_reason"] == "home page of the site"


def test_json_ld_article_lists_the_authors_a_meta_tag_names_one_of() -> None:
    # <meta name="author"> holds only the first author; the JSON-LD article lists them all,
    # one by an @id into the graph; the site owner, another Person of the graph, is no author
    ld = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Hội nghị tổng kết công tác năm",
         "author": [{"@type": "Person", "name": "Hoàng Nga"}, {"@id": "#thu-trang"}]},
        {"@type": "Person", "@id": "#thu-trang", "name": "Thu Trang"},
        {"@type": "WebSite", "name": "Báo Tỉnh",
         "founder": {"@type": "Person", "name": "Nguyễn Văn Chủ"}},
    ]}, ensure_ascii=False)
    head = ("<meta name='author' content='Hoàng Nga'>"
            f"<script type='application/ld+json'>{ld}</script>")
    author = extract_article(page(head=head), "https://baotinh.vn/hoi-nghi-tong-ket.html")["author"]
    assert author == "Hoàng Nga; Thu Trang"
    assert "Nguyễn Văn Chủ" not in author
    alone = extract_article(page(head="<meta name='author' content='Hoàng Nga'>"),
                            "https://baotinh.vn/hoi-nghi-tong-ket.html")
    assert alone["author"] == "Hoàng Nga"


@pytest.mark.parametrize("account", ["@BaoTinhOnline", "phong.vien@toasoan.io"])
def test_an_email_address_or_a_handle_is_no_author(account: str) -> None:
    # a social handle or the newsroom's e-mail in <meta name="author">: the byline names the
    # person
    html = page(body="<p class='author'>Minh Châu</p>",
                head=f"<meta name='author' content='{account}'>")
    assert extract_article(html, "https://baotinh.vn/hoi-nghi-tong-ket.html")["author"] == (
        "Minh Châu")


def test_the_credit_line_just_after_the_story_box_names_the_author() -> None:
    # many templates close the story box before the credit line (a right-aligned name, an
    # ASP.NET label); "Tác giả:" is a credit label; "PV" is the newsroom's credit; a source
    # ("Theo baochinhphu.vn") and a heading or link after the box are no author
    for after, author in (("<p style='text-align:right'><strong>Thu Hằng - Minh Đức</strong></p>",
                           "Thu Hằng - Minh Đức"),
                          ("<div><span id='ctl00_lblTacGia'>Phạm Thị Hoa</span></div>",
                           "Phạm Thị Hoa"),
                          ("<p><b>Tác giả: Vũ Thanh Bình</b></p>", "Vũ Thanh Bình"),
                          ("<p style='text-align:right'><strong>PV</strong></p>", "PV"),
                          ("<p><strong>Theo baochinhphu.vn</strong></p>", None),
                          ("<h3>Tin Liên Quan</h3>", None),
                          ("<p><a href='/x.html'>Minh Anh</a></p>", None)):
        assert extract_article(page(extra=after), URL)["author"] == author, after


def test_a_meta_author_that_is_a_publications_name_is_no_author() -> None:
    # "Báo …", "Cổng thông tin …", "Đài …": a publication, even without og:site_name (a person
    # named "Bảo Ngọc" is no "Báo")
    credit = "<p style='text-align:right'><strong>Đình Nam</strong></p>"
    for name in ("Báo Quảng Ninh", "Cổng thông tin điện tử tỉnh", "Đài PT-TH tỉnh"):
        head = f"<meta name='author' content='{name}'>"
        assert extract_article(page(body=credit, head=head), URL)["author"] == "Đình Nam", name
    person = "<meta name='author' content='Bảo Ngọc'>"
    assert extract_article(page(body=credit, head=person), URL)["author"] == "Bảo Ngọc"
