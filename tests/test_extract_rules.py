"""The body rules of extract_article, each on a small synthetic page reproducing one structure.

Captions and the credit line are body (../shared/fixtures/vn/README.md's convention); tool bars
and promotion boxes are neither body nor related news; a body that plain trafilatura reads and
the container walk misses is recovered and flagged; a one-paragraph notice is an article. Every
page is written for the test (no publisher text).
"""

from __future__ import annotations

import pytest

from pipelines.extractor.article import extract_article
from pipelines.extractor.lines import _line_key, _without_link_lists
from pipelines.extractor.recovery import _looks_dumped, _reads_layout_table, recover
from tintuc.web.article import lead_to_show

URL = "https://baotinh.vn/tin-tuc/ra-quan-trong-rung-ngap-man-20250302.html"
TITLE = "Huyện đảo ra quân trồng rừng ngập mặn đầu xuân"
BODY = [
    "Sáng nay, huyện đảo tổ chức lễ ra quân trồng rừng ngập mặn dọc bờ biển phía đông với sự "
    "tham gia của hàng trăm đoàn viên thanh niên và người dân địa phương.",
    "Theo kế hoạch, trong năm nay địa phương sẽ trồng mới khoảng năm mươi héc ta rừng phòng hộ, "
    "ưu tiên các loài cây bản địa có khả năng chắn sóng và giữ đất tốt.",
    "Lãnh đạo huyện đề nghị các xã tiếp tục vận động nhân dân chăm sóc, bảo vệ diện tích rừng "
    "đã trồng, đồng thời xử lý nghiêm các hành vi lấn chiếm đất rừng.",
]
# a photo story: captions are long and many (trafilatura drops <figure> and caption boxes)
CAPTIONS = [
    "Đoàn viên thanh niên và người dân các xã ven biển cùng trồng những cây đước, cây bần đầu "
    "tiên trên bãi bồi phía đông huyện đảo trong buổi sáng ra quân.",
    "Các đại biểu lãnh đạo huyện, lực lượng biên phòng và học sinh trường trung học phổ thông "
    "cùng trồng cây tại khu vực cửa sông, nơi sóng lớn thường gây sạt lở.",
    "Hàng nghìn cây giống được vận chuyển bằng thuyền từ vườn ươm của xã ra bãi trồng, chuẩn bị "
    "cho đợt trồng rừng kéo dài đến hết tháng ba năm nay.",
    "Sau khi trồng, mỗi cây được buộc cọc tre để chống sóng đánh bật gốc trong những ngày đầu, "
    "các đoàn viên sẽ thay nhau chăm sóc trong suốt mùa xuân.",
]
CREDIT = "Minh Châu"
KNOWN = {"fallback_used", "recovered_text", "no_body_container", "no_date", "date_from_url_only",
         "related_none", "related_by_heading", "related_by_card", "related_by_class",
         "related_by_list", "related_by_selector", "plain_disagrees", "text_outside_container",
         "link_heavy", "short_lines", "page_cut_short"}


def page(body: str, *, container: str = "detail-content", after: str = "") -> str:
    """An article page: headline, dateline, a body box of class ``container``, then ``after``."""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta property="og:type" content="article"></head><body>
<header><a href="/">Trang chủ</a> <a href="/tin-tuc/">Tin tức</a></header>
<h1 class="title">{TITLE}</h1><div class="date">Thứ Hai, 02/03/2025 08:15</div>
<div class="{container}">{body}</div>{after}
<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Giấy phép số 01/GP-BTTTT cấp ngày 1/1/2020
cho cổng thông tin điện tử của tỉnh.</p></footer></body></html>"""


def paragraphs() -> list[str]:
    return [f"<p>{p}</p>" for p in BODY]


def check(result: dict | None, present: list[str], absent: list[str]) -> str:
    assert result is not None
    text = result["text"]
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase
    return text


# --- captions and the credit line are body ------------------------------------------------

CAPTIONED = (
    f"<p>{BODY[0]}</p>"
    # a group of two photos under one shared figcaption
    '<figure class="image-group"><div class="photos"><img src="/a.jpg" alt=""><img src="/b.jpg" '
    f'alt=""></div><figcaption><p>{CAPTIONS[0]}</p></figcaption></figure>'
    f"<p>{BODY[1]}</p>"
    # a caption table, as FCKeditor and ePi-like CMSs write it
    '<table class="image center"><tbody><tr><td><img src="/c.jpg" alt=""></td></tr>'
    f'<tr><td class="caption">{CAPTIONS[1]}</td></tr></tbody></table>'
    # a photo in a paragraph, its caption the next paragraph
    f'<p style="text-align:center"><img src="/d.jpg" alt=""></p><p><em>{CAPTIONS[2]}</em></p>'
    f"<p>{BODY[2]}</p>"
    # a single photo in a figure
    f'<figure class="image"><img src="/e.jpg" alt=""><figcaption>{CAPTIONS[3]}</figcaption>'
    "</figure>"
    f'<p style="text-align:right"><strong>{CREDIT}</strong></p>'
)


def test_captions_and_credit_are_body_in_a_recognised_container() -> None:
    text = check(extract_article(page(CAPTIONED), URL), [*BODY, *CAPTIONS, CREDIT], [])
    # in document order: each caption after the paragraph it follows, the credit last
    assert text.index(BODY[0]) < text.index(CAPTIONS[0]) < text.index(BODY[1])
    assert text.index(CAPTIONS[1]) < text.index(CAPTIONS[2]) < text.index(BODY[2])
    assert text.index(BODY[2]) < text.index(CAPTIONS[3]) < text.index(CREDIT)
    assert text.endswith(CREDIT)


def test_captions_and_credit_are_body_in_an_unknown_container() -> None:
    # a template whose body box has a class no rule knows: found where trafilatura's text is
    result = extract_article(page(CAPTIONED, container="ePi-story-main"), URL)
    check(result, [*BODY, *CAPTIONS, CREDIT], ["Giấy phép số", "Trang chủ"])
    assert "no_body_container" in result["flags"]


# A photo story: one paragraph, then its photos, each with a caption a line long.
SHORT_CAPTIONS = ["Đoàn viên thanh niên trồng cây đước trên bãi bồi",
                  "Cây giống được chở bằng thuyền ra bãi trồng",
                  "Lực lượng biên phòng cùng trồng cây ở cửa sông",
                  "Mỗi cây được buộc cọc tre để chống sóng"]
PHOTO_STORY = (f"<p>{BODY[0]}</p>" + "".join(
    f'<figure><img src="/p{i}.jpg" alt=""><figcaption>{c}</figcaption></figure>'
    for i, c in enumerate(SHORT_CAPTIONS)) + f"<p><strong>{CREDIT}</strong></p>")


def column_page(body: str, box: str) -> str:
    """A page whose main column holds the headline, the dateline and the story's box
    (``box``: its opening tag), beside a sidebar: trafilatura reads the column whole."""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>
</head><body><header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/xa-hoi">Xã hội</a>
</li></ul></nav></header><div class="container"><div class="main-col">
<h1 class="title">{TITLE}</h1><div class="date">Thứ Hai, 02/03/2025 08:15</div>{box}{body}</div>
</div><aside class="sidebar"><h3>Đọc nhiều</h3><ul><li><a href="/a-10001.html">Giá vàng trong
nước tăng mạnh phiên đầu tuần</a></li></ul></aside></div><footer><p>Cơ quan chủ quản: Ủy ban
nhân dân tỉnh. Địa chỉ: Số 1 đường Trần Hưng Đạo.</p></footer></body></html>"""


@pytest.mark.parametrize("box", ['<div class="detail-content">', "<div>"])
def test_a_photo_storys_captions_are_body_though_trafilatura_reads_the_headline(box: str) -> None:
    # trafilatura's text of the page is the headline, the dateline, the paragraph and the
    # credit; the headline and dateline are never body, so no text the story's box lacks:
    # weighed as such, in so short a story, they made the box (named or not) seem to miss a
    # fifth of the story, and trafilatura's text without the captions was kept instead
    check(extract_article(column_page(PHOTO_STORY, box), URL),
          [BODY[0], *SHORT_CAPTIONS, CREDIT], [TITLE])


# A carousel saved after its script ran: the script copies the last slides before the first
# and the first after the last so that it loops (Slick "slick-cloned", Owl "owl-item cloned",
# Swiper "swiper-slide-duplicate"); a reader sees each slide, and its caption, once.
CAROUSELS = {
    "slick": ('<div class="slick-track">{}</div>', '<div class="slick-slide{}">{}</div>',
              " slick-cloned"),
    "owl": ('<div class="owl-stage">{}</div>', '<div class="owl-item{}"><div class="item">{}</div>'
            "</div>", " cloned"),
    "swiper": ('<div class="swiper-wrapper">{}</div>', '<div class="swiper-slide{}">{}</div>',
               " swiper-slide-duplicate"),
}


def carousel(kind: str, captions: list[str]) -> str:
    track, slide, clone = CAROUSELS[kind]
    slides = [f'<img src="/s{i}.jpg" alt=""><p>{c}</p>' for i, c in enumerate(captions)]
    return track.format(slide.format(clone, slides[-1])
                        + "".join(slide.format("", s) for s in slides)
                        + slide.format(clone, slides[0]))


@pytest.mark.parametrize("kind", sorted(CAROUSELS))
@pytest.mark.parametrize("wrapper", ["detail-content", None])
def test_a_carousels_cloned_slides_show_each_caption_once(kind: str, wrapper: str | None) -> None:
    # a photo story: a paragraph, the carousel, the credit
    body = f"<p>{BODY[0]}</p>{carousel(kind, CAPTIONS[:3])}<p><strong>{CREDIT}</strong></p>"
    # a recognised container, and one no rule names (a body that short beside the captions is
    # checked against plain trafilatura's, which reads the clones too)
    html = page(body) if wrapper else page(body, container="").replace(
        '<div class="">', "<article><div>").replace(f"{CREDIT}</strong></p></div>",
                                                   f"{CREDIT}</strong></p></div></article>")
    text = check(extract_article(html, URL), [BODY[0], *CAPTIONS[:3], CREDIT], [])
    assert [text.count(c) for c in CAPTIONS[:3]] == [1, 1, 1]


def test_a_slide_marked_cloned_that_copies_no_other_stays() -> None:
    # only a copy goes: a slide with the clone class whose text no other slide shows is shown
    body = (f"<p>{BODY[0]}</p>{carousel('slick', CAPTIONS[:2])}"
            f'<div class="slick-track"><div class="slick-slide slick-cloned"><p>{CAPTIONS[3]}</p>'
            f"</div></div><p>{BODY[1]}</p>")
    check(extract_article(page(body), URL), [*CAPTIONS[:2], CAPTIONS[3]], [])


def test_a_caption_only_in_attributes_is_not_body_and_a_shown_one_is_kept_once() -> None:
    # The body is what a reader sees: alt text (for screen readers), a title tooltip and a
    # lightbox's data-caption / data-sub-html (shown after a click) are not; the caption the
    # page shows under the photo is, once, though its attributes repeat it.
    hidden, shown = CAPTIONS[0], CAPTIONS[1]
    body = (f'<p>{BODY[0]}</p><a href="/big/a.jpg" data-fancybox="g" data-caption="{hidden}">'
            f'<img src="/a.jpg" alt="{hidden}" title="{hidden}"></a>'
            f'<div data-sub-html="<h4>{hidden}</h4>"><img src="/b.jpg"></div><p>{BODY[1]}</p>'
            f'<a href="/big/c.jpg" data-caption="{shown}"><img src="/c.jpg" alt="{shown}"></a>'
            f"<p><em>{shown}</em></p><p>{BODY[2]}</p>")
    text = check(extract_article(page(body), URL), [*BODY, shown], [hidden])
    assert text.count(shown) == 1


# --- tool bars and promotion boxes are neither body nor related -------------------------------

TOOLBAR = ('<div class="news-tools"><a href="javascript:window.print()">In bài viết</a> | '
           '<a href="#top">Về đầu trang</a></div>')
SHARE_ROW = ('<div class="article-share"><a href="#">Chia sẻ</a> <a href="#">Gửi email</a> '
             '<a href="#">Bản in</a> <span>Cỡ chữ</span> <a href="#">A-</a> <a href="#">A+</a>'
             "</div>")


def test_tool_bars_are_never_body() -> None:
    body = SHARE_ROW + "".join(paragraphs()) + f"<p><strong>{CREDIT}</strong></p>"
    result = extract_article(page(body, after=TOOLBAR), URL)
    text = check(result, [*BODY, CREDIT],
                 ["In bài viết", "Về đầu trang", "Gửi email", "Bản in", "Cỡ chữ", "Chia sẻ"])
    assert text.endswith(CREDIT)


def test_a_tool_bar_is_never_body_when_trafilatura_reads_the_page() -> None:
    # no recognised container: the body comes from trafilatura's text, the bar's line must go
    body = "".join(paragraphs()) + "<p>In bài viết | Về đầu trang | Chia sẻ</p>"
    check(extract_article(page(body, container="khung-chinh"), URL), BODY,
          ["In bài viết", "Về đầu trang"])


def test_paragraphs_set_in_a_preset_font_size_are_body() -> None:
    # WordPress's block editor classes a paragraph given a preset size "has-medium-font-size":
    # the class says how the text is set, it names no font-size tool; a real size control
    # ("font-size" tool bar) still goes
    lead = "Mùa này mỗi sáng có hàng chục thuyền cập bến."
    body = (f'<p class="has-large-font-size">{lead}</p>'
            + "".join(f'<p class="has-text-align-center has-medium-font-size">{p}</p>'
                      for p in BODY)
            + '<div class="font-size"><a href="#">A-</a> <a href="#">A+</a> Cỡ chữ</div>')
    for container in ("detail-content", "khung-chinh"):  # the walk, trafilatura's text
        check(extract_article(page(body, container=container), URL), [lead, *BODY], ["Cỡ chữ"])


def test_counters_and_widgets_are_never_body() -> None:
    # a portal's view counter, comment count, rating widget, tag line and "follow us" call,
    # each on a line of its own inside the body container; a sentence that mentions views or
    # comments stays
    widgets = ["Lượt xem: 1.234", "Số lượt xem: 56", "Bình luận (0)", "Đánh giá bài viết",
               "Từ khóa: rừng ngập mặn, trồng cây", "Theo dõi chúng tôi trên Google News",
               "Comments"]
    sentence = "Bài viết nhận được nhiều bình luận của độc giả, lượt xem tăng gấp đôi."
    for widget in widgets:  # one a page: the body container's own walk is the body
        body = "".join(paragraphs()) + f"<p>{sentence}</p><div>{widget}</div>"
        check(extract_article(page(body), URL), [*BODY, sentence], [widget])


PROMOS = [
    # a book promotion with a link to the shop: neither body nor a related article
    '<div class="box-book"><h4>Đặt mua sách</h4><p>Cuốn sách "Biển đảo quê hương" đã có mặt tại '
    'các nhà sách trên toàn quốc.</p><a href="https://baotinh.vn/sach/bien-dao-que-huong-12345.html">'
    "Mua ngay cuốn sách Biển đảo quê hương</a></div>",
    # boxes known by their label only
    '<div class="box-note"><strong>Bình chọn</strong><p>Bạn có tham gia trồng cây năm nay không? '
    "Có / Không</p></div>",
    '<div><b>Tải ứng dụng</b><p>Đọc báo trên điện thoại với ứng dụng của báo tỉnh.</p></div>',
    '<aside class="newsletter-signup"><p>Đăng ký nhận bản tin mỗi sáng qua thư điện tử của bạn.'
    "</p></aside>",
    '<div class="sponsored-content"><p>Nội dung do nhãn hàng phân bón hữu cơ tài trợ cho chuyên '
    "mục nông nghiệp.</p></div>",
]


def test_promotion_boxes_are_neither_body_nor_related() -> None:
    body = (f"<p>{BODY[0]}</p>{PROMOS[0]}<p>{BODY[1]}</p>{PROMOS[1]}{PROMOS[2]}"
            f"<p>{BODY[2]}</p>{PROMOS[3]}{PROMOS[4]}")
    result = extract_article(page(body), URL)
    check(result, BODY, ["Đặt mua sách", "Biển đảo quê hương", "Bình chọn", "Có / Không",
                         "Tải ứng dụng", "điện thoại", "Đăng ký nhận bản tin", "tài trợ"])
    assert not any("sach/" in r["url"] for r in result["related"])


def test_a_paragraph_that_merely_starts_like_a_label_is_body() -> None:
    # a label is the short first line of a box, not the opening words of a sentence
    vote = ("Bình chọn của bạn đọc năm ngoái đã đưa dự án trồng rừng ngập mặn của huyện vào danh "
            "sách mười công trình tiêu biểu, lãnh đạo huyện cho biết tại buổi ra quân.")
    body = "".join(paragraphs()) + f"<div>{vote}</div>"
    check(extract_article(page(body), URL), [*BODY, vote], [])


# promotions with no label of their own: known by the words opening the box, or by shop links
HOUSE_AD = ('<div class="notebox ncenter"><p><em>Nhà xuất bản Tỉnh</em> giới thiệu độc giả bộ '
            'sách <a href="/chu-de/bo-sach-bien-dao.html">Biển đảo quê hương</a> gồm mười cuốn về '
            "lịch sử và con người vùng biển.</p><p>Bộ sách mong muốn lan tỏa văn hóa đọc tới bạn "
            "đọc mọi lứa tuổi.</p></div>")
SHOP_BOX = ('<div class="khung-sach"><p>Cuốn "Sông nước miền Tây" đã phát hành.</p>'
            '<a href="https://tiki.vn/song-nuoc-mien-tay-p123.html">Tiki</a> '
            '<a href="https://www.fahasa.com/song-nuoc-mien-tay.html">Fahasa</a></div>')
PROMO_WORDS = ["giới thiệu độc giả", "Biển đảo quê hương", "văn hóa đọc", "Sông nước miền Tây",
               "Tiki", "Fahasa"]


def test_promotion_boxes_known_by_their_opening_words_or_shop_links() -> None:
    body = f"{paragraphs()[0]}{SHOP_BOX}{''.join(paragraphs()[1:])}{HOUSE_AD}"
    result = extract_article(page(body), URL)
    check(result, BODY, PROMO_WORDS)
    assert not any("bien-dao" in r["url"] or "tiki" in r["url"] for r in result["related"])


def test_promotion_boxes_go_when_no_body_container_is_recognised() -> None:
    # trafilatura reads the page: the boxes must be gone before it does
    body = f"{paragraphs()[0]}{SHOP_BOX}{''.join(paragraphs()[1:])}{HOUSE_AD}"
    check(extract_article(page(body, container="khung-chinh"), URL), BODY, PROMO_WORDS)


def test_a_labelled_box_with_fields_to_fill_goes_when_no_body_container_is_recognised() -> None:
    # a poll and a newsletter box: their label alone is weak outside a known container, the
    # radio buttons and the e-mail box to fill in make them widgets, never body
    poll = ('<div class="box-y"><h4>Bình chọn</h4><p>Bạn đánh giá thế nào về chất lượng dịch vụ '
            'công trực tuyến của tỉnh năm nay?</p><form><label><input type="radio" name="v"> Rất '
            'hài lòng</label><button>Gửi</button></form></div>')
    letter = ('<div class="nl-x"><h4>Đăng ký nhận bản tin</h4><p>Nhận tin nổi bật hằng ngày qua '
              'thư điện tử của bạn.</p><input type="email"><button>Đăng ký</button></div>')
    body = f"{paragraphs()[0]}{poll}{''.join(paragraphs()[1:])}{letter}"
    check(extract_article(page(body, container="khung-chinh"), URL), BODY,
          ["Bạn đánh giá thế nào", "Nhận tin nổi bật"])


def test_a_labelled_box_among_the_story_paragraphs_goes_when_no_container_is_known() -> None:
    # the box's label ("QUẢNG CÁO") is as telling among the story's own paragraphs as inside
    # a known container; a paragraph that merely opens with such a word stays
    ad = ('<div class="b-7"><p><small>QUẢNG CÁO</small></p><p>Căn hộ cao cấp ven sông, thanh '
          'toán chỉ ba mươi phần trăm nhận nhà ngay trong tháng này.</p></div>')
    vote = ("Bình chọn của bạn đọc năm ngoái đã đưa dự án trồng rừng ngập mặn của huyện vào danh "
            "sách mười công trình tiêu biểu, lãnh đạo huyện cho biết tại buổi ra quân.")
    body = f"{''.join(paragraphs()[:2])}{ad}<p>{vote}</p>{paragraphs()[2]}"
    check(extract_article(page(body, container="khung-chinh"), URL), [*BODY, vote],
          ["QUẢNG CÁO", "Căn hộ cao cấp"])


def test_a_box_whose_links_all_go_to_app_stores_is_a_promotion() -> None:
    app = ('<div class="box-x1"><p>Tải ứng dụng Báo Tỉnh để đọc tin nhanh nhất mọi lúc mọi nơi'
           '</p><p><a href="https://apps.apple.com/vn/app/bao-tinh/id123">App Store</a> | '
           '<a href="https://play.google.com/store/apps/details?id=vn.baotinh">Google Play</a>'
           '</p></div>')
    body = f"{paragraphs()[0]}{app}{''.join(paragraphs()[1:])}"
    for container in ("detail-content", "khung-chinh"):
        check(extract_article(page(body, container=container), URL), BODY,
              ["đọc tin nhanh nhất", "App Store", "Google Play"])


def test_an_audio_players_buttons_and_clock_are_never_body() -> None:
    # "listen to this article" players and icon rows whose buttons carry a word each
    player = ('<div class="player-x"><span class="play">Nghe bài viết</span> <span>0:00 / 4:05'
              '</span> <span>Tốc độ 1x</span></div>')
    icons = ('<ul class="ul-act"><li><a><i class="i-audio"></i> Nghe</a></li><li><a><i></i> Lưu'
             '</a></li><li><a><i></i> Chia sẻ</a></li></ul>')
    photo = f'<figure><img src="/a.jpg"><figcaption>{CAPTIONS[0]}</figcaption></figure>'
    body = (f"{paragraphs()[0]}{photo}{icons}{''.join(paragraphs()[1:])}"
            f"<p><strong>{CREDIT}</strong></p>{player}")
    for container in ("detail-content", "khung-chinh"):
        text = check(extract_article(page(body, container=container), URL),
                     [*BODY, CREDIT], ["Nghe", "4:05", "Tốc độ"])
        assert "Lưu" not in text.split("\n")


def test_heading_less_cards_between_paragraphs_are_related_when_no_container_is_known() -> None:
    # the story's paragraphs sit side by side in an unknown box: cards and a list of headline
    # links between them are its related news, as inside a known container
    heads = ["Khánh thành cầu dân sinh nối liền hai bờ sông Gianh", "Người dân hiến đất mở "
             "đường liên thôn ở xã miền núi"]
    links = [f"https://baotinh.vn/tin-tuc/bai-{i}-2025030{i + 1}.html" for i in range(2)]
    cards = "".join(f'<div class="inline-news"><a href="{u}"><img src="/t.jpg"></a><h4><a '
                    f'href="{u}">{h}</a></h4></div>' for u, h in zip(links, heads, strict=True))
    items = "".join(f'<li><a href="{u}">{h}</a></li>' for u, h in zip(links, heads, strict=True))
    for box in (f'<ul class="list-link">{items}</ul>', cards):
        body = f"{''.join(paragraphs()[:2])}{box}{paragraphs()[2]}"
        result = extract_article(page(body, container="khung-chinh"), URL)
        check(result, BODY, heads)
        assert [r["text"] for r in result["related"]] == heads


def test_text_to_speech_players_font_size_words_and_newsletter_labels_are_never_body() -> None:
    # a player known by its <audio> alone, a row of font-size words, a newsletter box labelled
    # "Nhận bản tin"; a recording with its caption stays, as a video's does
    boxes = {'<div class="tts-box"><span>Nghe đọc bài</span> <audio controls src="/t.mp3">'
             '</audio></div>': ["Nghe đọc bài"],
             '<div class="txt-ctrl"><a href="#">Tăng cỡ chữ</a> | <a href="#">Giảm cỡ chữ</a>'
             '</div>': ["cỡ chữ"],
             '<div class="dk-tin"><p><strong>Nhận bản tin</strong></p><p>Mỗi sáng một bản tin '
             'tóm tắt gửi tới hộp thư của bạn</p><input type="text"><button>Gửi</button></div>':
             ["Nhận bản tin", "hộp thư của bạn"]}
    talk = "Ghi âm: Chủ tịch huyện trả lời phỏng vấn về kế hoạch trồng rừng năm nay"
    recording = (f'<figure class="audio"><audio src="/r.mp3"></audio><figcaption>{talk}'
                 "</figcaption></figure>")
    for box, words in boxes.items():
        body = f"{paragraphs()[0]}{recording}{''.join(paragraphs()[1:])}{box}"
        check(extract_article(page(body), URL), [*BODY, talk], words)


def test_a_note_box_among_the_story_paragraphs_is_body_when_no_container_is_known() -> None:
    # trafilatura leaves an <aside> out; among the story's own paragraphs it is the story's
    # note ("Thông tin thêm"), as it would be inside a known container
    note = ("Huyện đảo có diện tích tự nhiên hơn chín trăm ki lô mét vuông với mười tám đơn vị "
            "hành chính cấp xã, dân số khoảng một trăm nghìn người.")
    photo = f'<figure><img src="/a.jpg"><figcaption>{CAPTIONS[0]}</figcaption></figure>'
    body = (f"{paragraphs()[0]}{photo}{''.join(paragraphs()[1:])}<aside class='note-box'><p>"
            f"<b>Thông tin thêm:</b> {note}</p></aside><p><em>Nguồn: Sở Nông nghiệp</em></p>")
    check(extract_article(page(body, container="khung-chinh"), URL),
          [*BODY, CAPTIONS[0], "Thông tin thêm", note], ["Giấy phép số"])


def test_note_boxes_that_sell_nothing_stay_body() -> None:
    # a fact box, a box linking a source that is no shop, and a paragraph <div> (no class) that
    # addresses readers: all are the article's text
    fact = ('<div class="notebox"><p>Năm ngoái toàn tỉnh trồng mới hơn một nghìn héc ta rừng '
            "phòng hộ ven biển, theo số liệu của Sở Nông nghiệp.</p></div>")
    source = ('<div class="box-source"><p>Toàn văn kế hoạch trồng rừng được đăng trên <a '
              'href="https://sonongnghiep.gov.vn/ke-hoach.html">cổng thông tin của Sở</a>.</p>'
              "</div>")
    readers = ("<div>Mời bạn đọc tham gia đóng góp ý kiến cho dự thảo quy hoạch rừng ven biển tại "
               "trụ sở Ủy ban nhân dân các xã đến hết tháng tư.</div>")
    body = "".join(paragraphs()) + fact + source + readers
    check(extract_article(page(body), URL), [*BODY, "Năm ngoái toàn tỉnh trồng mới",
                                             "Toàn văn kế hoạch", "Mời bạn đọc tham gia"], [])


def test_a_story_block_citing_a_shop_is_body() -> None:
    # the story's own blocks (here a block of two paragraphs under a heading) may link the book
    # they quote at a shop: paragraphs of prose make them the story, not a shop box
    cited = ('<div class="khoi-noi-dung"><h2>Ký ức miền biển</h2><p>Tác giả kể lại những năm '
             'tháng theo tàu cá ra khơi, khi cả làng chài thức dậy từ ba giờ sáng để chuẩn bị lưới '
             'và nhiên liệu cho chuyến biển dài ngày.</p><p>Trích từ cuốn <a href="https://tiki.vn/'
             'ky-uc-mien-bien-p456.html">Ký ức miền biển</a>, những trang viết về ngư dân được '
             'nhiều thế hệ bạn đọc trong tỉnh tìm đọc và giới thiệu cho nhau.</p></div>')
    body = "".join(paragraphs()) + cited
    check(extract_article(page(body), URL), [*BODY, "Tác giả kể lại những năm tháng",
                                             "những trang viết về ngư dân"], [])
    # a one-line blurb with shop links is the shop box it looks like
    check(extract_article(page("".join(paragraphs()) + SHOP_BOX), URL), BODY, PROMO_WORDS[3:])


def test_a_container_that_holds_the_headline_gives_only_the_story_below_it() -> None:
    # "detail-content" wraps the section menu, the headline and the dateline too: the story is
    # the block under the headline that holds the paragraphs (with its photo caption)
    menu = ('<ul class="threadbar_list"><li><a href="/kinh-te/">Kinh tế vùng</a></li>'
            '<li><a href="/xa-hoi/">Xã hội địa phương</a></li></ul>')
    story = (f'<div class="content"><h2 class="sapo">{BODY[0]}</h2><div class="boxdetail">'
             f'<figure><img src="/a.jpg" alt=""><figcaption>{CAPTIONS[0]}</figcaption></figure>'
             f"<p>{BODY[1]}</p><p>{BODY[2]}</p></div></div>")
    html = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta property="og:type" content="article"></head><body><div class="detail-content">{menu}
<h1 class="detail-title">{TITLE}</h1><div class="date">Thứ Hai, 02/03/2025 08:15 |
<h4 class="cate"><a href="/moi-truong/">Môi trường biển</a></h4></div>{story}</div></body></html>"""
    text = check(extract_article(html, URL), [*BODY, CAPTIONS[0]],
                 ["Kinh tế vùng", "Xã hội địa phương", "Môi trường biển"])
    assert text.startswith(BODY[0])

def test_a_lead_photo_between_headline_and_story_keeps_the_container_whole() -> None:
    # the same wrapper, with the lead photo and its caption between the headline and the story
    # block, and a credit line after it: they are body, so the wrapper stays the container
    story = (f'<div class="boxdetail"><p>{BODY[0]}</p><p>{BODY[1]}</p><p>{BODY[2]}</p></div>')
    lead = f'<figure><img src="/a.jpg" alt=""><figcaption>{CAPTIONS[0]}</figcaption></figure>'
    html = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta property="og:type" content="article"></head><body><div class="detail-content">
<h1 class="detail-title">{TITLE}</h1><div class="date">Thứ Hai, 02/03/2025 08:15</div>{lead}
{story}<p class="credit">{CREDIT}</p></div></body></html>"""
    check(extract_article(html, URL), [*BODY, CAPTIONS[0], CREDIT], [])


# --- never worse than plain trafilatura -----------------------------------------------------

def test_a_body_only_plain_trafilatura_reads_is_recovered_and_flagged() -> None:
    # the story sits in <noscript> (a blog template): the container walk and trafilatura's fast
    # pass see nothing, plain trafilatura's full extraction reads it
    body = "<noscript>" + "".join(paragraphs()) + "</noscript>"
    html = page(body, container="post-wrapper")
    # (the page classifier does not read <noscript> either: the crawl's hint that the URL has
    # the site's article shape stands in)
    result = extract_article(html, URL, hints={"article_url": True})
    check(result, BODY, ["Giấy phép số"])
    assert "fallback_used" in result["flags"]
    assert result["confidence"] < 0.7


def test_recover_inserts_missing_lines_in_document_order() -> None:
    mine = [BODY[0], BODY[2]]
    plain = "\n".join([BODY[0], BODY[1], BODY[2], "Chia sẻ"])
    merged, flag = recover(mine, plain, lambda line: line == "Chia sẻ")
    assert (merged, flag) == (BODY, "recovered_text")


def test_recover_brings_back_a_paragraph_the_page_repeats_even_in_wrapped_lines() -> None:
    # plain trafilatura keeps a paragraph each time the page shows it, in the source's line
    # breaks; a body holding it once lacks the copies, and each piece of a copy is found
    # "already there" only while the body has words left that no earlier piece matched
    wrapped = BODY[1].replace(", ", ",\n", 1)
    plain = "\n".join([BODY[0], wrapped, BODY[2], wrapped])
    merged, flag = recover(BODY, plain, lambda line: False)
    assert flag == "recovered_text"
    assert " ".join(merged).count(BODY[1].split(", ", 1)[1]) == 2
    assert merged[:3] == BODY  # the copy comes after the text it repeats


def test_a_paragraph_the_page_shows_three_times_is_kept_three_times() -> None:
    # a plain page (no body container) whose sections repeat one paragraph: trafilatura's fast
    # pass returns it once and plain trafilatura three times, each copy after its heading; the
    # copies are the page's text, not a sign that plain read another story
    lorem = " ".join([BODY[1]] * 3)
    html = f"""<html lang="vi"><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>
<p>{lorem}</p><h2>Phần thứ hai</h2><p>{lorem}</p><h2>Phần thứ ba</h2><p>{lorem}</p></body></html>"""
    result = extract_article(html, URL, hints={"article_url": True})
    assert result["text"].count(BODY[1].split(", ")[0]) == 9, result["text"]
    assert "Phần thứ hai" in result["text"] and "Phần thứ ba" in result["text"]
    assert "recovered_text" in result["flags"]


def test_recover_counts_plain_lines_against_what_the_page_shows() -> None:
    # plain trafilatura read a hidden schema.org twin of the story and its keywords: the body
    # already has the story once, and the page shows it once, so nothing comes in
    shown = _line_key(" ".join([TITLE, *BODY]))
    plain = "\n".join([*BODY, *BODY, "rừng ngập mặn, trồng rừng"])
    assert recover(BODY, plain, lambda line: False, shown=shown) == (BODY, None)
    assert recover(BODY, plain, lambda line: False, shown=lambda: shown) == (BODY, None)
    # a paragraph the page does show twice comes in twice, after its first copy
    shown_twice = _line_key(" ".join([*BODY, BODY[1]]))
    plain = "\n".join([BODY[0], BODY[1], BODY[1], BODY[2]])
    merged, flag = recover(BODY, plain, lambda line: False, shown=shown_twice)
    assert (merged, flag) == ([BODY[0], BODY[1], BODY[1], BODY[2]], "recovered_text")
    # without the page to count against, the hidden twin would have come in
    assert recover(BODY, "\n".join([*BODY, *BODY]), lambda line: False)[1] == "recovered_text"


def test_recover_brings_in_a_line_plain_glued_at_an_inline_elements_edge() -> None:
    # the page shows "… bảo vệ diện tích rừng</span> <a>đã trồng</a> …": trafilatura drops the
    # space standing alone between the two inline elements, and its line ("rừngđã trồng") is
    # nowhere in the page's text word for word. One block of the page holds it, spaces aside:
    # the page's paragraph all the same, missing from the body, it comes in (it was counted
    # as a line plain composed)
    glued = BODY[2].replace("rừng đã trồng", "rừngđã trồng")
    shown = _line_key(" ".join([TITLE, *BODY]))
    blocks = "\n".join(_line_key(block) for block in [TITLE, *BODY])
    plain = "\n".join([BODY[0], BODY[1], glued])
    assert recover(BODY[:2], plain, lambda line: False, shown=shown, held=shown,
                   blocks=blocks) == ([BODY[0], BODY[1], glued], "recovered_text")
    assert recover(BODY[:2], plain, lambda line: False, shown=shown, held=shown,
                   blocks=lambda: blocks)[1] == "recovered_text"
    # shown once and brought in once: a second glued copy is the page's hidden twin
    assert recover(BODY[:2], "\n".join([plain, glued]), lambda line: False, shown=shown,
                   held=shown, blocks=blocks) == ([BODY[0], BODY[1], glued], "recovered_text")
    # glued across two blocks (a heading run into the paragraph under it) it is a line plain
    # composed: not brought in
    across = f"{TITLE}{BODY[0]}"
    assert recover(BODY[1:2], "\n".join([across, BODY[1]]), lambda line: False, shown=shown,
                   blocks=blocks) == (BODY[1:2], None)


def test_recover_flags_lines_plain_composed_that_the_page_holds_nowhere() -> None:
    # a page laid out in a table: plain trafilatura reads the layout as one row, its cells
    # joined ("| menu | story | comments |"), less a heading it leaves out; the body is one
    # paragraph. The row is nowhere in the page's text, shown or hidden: not taken (on blogs
    # of the 2010s it is the whole page, comments and all), but plain disagrees, and says so
    extra = ("Người dân các xã ven biển cam kết cùng chăm sóc cây non qua mùa gió chướng, thay "
             "thế những cây chết ngay trong tháng đầu.")
    row = f"| Trang chủ | {' '.join(BODY)} {extra} |"
    page = ["Trang chủ", "Mục lục chuyên đề", *BODY, extra]
    shown = _line_key(" ".join(page))
    held = _line_key(" ".join([*page, "rừng ngập mặn, trồng rừng"]))
    plain = "\n".join([row, "rừng ngập mặn, trồng rừng"])
    for given in (held, lambda: held):
        assert recover(BODY[:1], plain, lambda line: False, shown=shown, fragment=True,
                       held=given) == (BODY[:1], "plain_disagrees")
    # a line the page holds only hidden (a schema.org twin's keywords) is hidden text: silent
    hidden = "\n".join([BODY[0], "rừng ngập mặn, trồng rừng, rừng phòng hộ, lễ ra quân"])
    assert recover(BODY[:1], hidden, lambda line: False, shown=shown, fragment=True,
                   held=_line_key(" ".join([*page, hidden]))) == (BODY[:1], None)
    # without the page's whole text, the row counts as text the page hides: silent
    assert recover(BODY[:1], plain, lambda line: False, shown=shown, fragment=True) == (
        BODY[:1], None)


def test_the_storys_own_links_are_no_link_list() -> None:
    # trafilatura read a story whose subheadings link to the events it reviews, then a
    # teaser and the site's footer menu: link lines are most of its lines, and the menu's go.
    # The subheadings' links are in the block that holds the story's paragraphs: the story's
    # own, they stay; the teaser's and the menu's, outside it, go
    from pipelines.extractor.source import _parse
    events = [f"Lễ hội hoa xuân số {n}, từ 9 đến 18 tháng Hai, công viên trung tâm"
              for n in range(3)]
    menu = [f"Chuyên mục {n}" for n in range(12)]
    root = _parse("<html><body><div class='bai'>" + "".join(
        f'<h3><a href="/su-kien-{n}.html">{event}</a></h3><p>{BODY[n]}</p>'
        for n, event in enumerate(events)) + "</div><div class='khac'><p><a href='/tin-1.html'>"
        "Tin ngắn</a></p><p>12/02/2026</p></div><ul>" + "".join(
        f'<li><a href="/muc-{n}/">{item}</a></li>' for n, item in enumerate(menu))
        + "</ul></body></html>")
    lines = [x for n, event in enumerate(events) for x in (event, BODY[n])]
    read = [*lines, "Tin ngắn", "12/02/2026", *menu]
    assert _without_link_lists(read, root, story_links=True) == [*lines, "12/02/2026"]
    assert _without_link_lists(read, root) == [*BODY[:3], "12/02/2026"]  # (all links go)
    # link lines a few of the lines: nothing is taken (a story names a product, a list)
    assert _without_link_lists([*BODY[:3], *menu[:2]], root) == [*BODY[:3], *menu[:2]]


def test_a_dumped_body_gives_way_to_plain_text_that_it_holds() -> None:
    # read without a body container: the story amid 150 menu entries (a page dump); plain
    # trafilatura's text is the story, which the dump holds
    menu = [f"Dịch vụ công số {n}" for n in range(150)]
    dump = [*menu[:80], *BODY, *menu[80:]]
    assert _looks_dumped(dump) and not _looks_dumped(BODY)
    assert recover(dump, "\n".join(BODY), lambda line: False, dumped=True) == (
        BODY, "fallback_used")
    # not said to be dumped (a body container's text): nothing is taken away
    assert recover(dump, "\n".join(BODY), lambda line: False) == (dump, None)
    # plain's text is as long as the dump's (a long list that is the article): kept
    assert recover(dump, "\n".join(dump), lambda line: False, dumped=True) == (dump, None)


def test_recover_keeps_a_body_that_holds_plain_text_and_replaces_a_wrong_one() -> None:
    assert recover([*BODY, CREDIT], "\n".join(BODY), lambda line: False) == ([*BODY, CREDIT],
                                                                            None)
    wrong = ["Tin điều hướng về thời tiết và giao thông trong tuần tới của tỉnh nhà."]
    assert recover(wrong, "\n".join(BODY), lambda line: False) == (BODY, "fallback_used")
    assert recover([], "\n".join(BODY), lambda line: False) == (BODY, "fallback_used")


# --- a one-paragraph notice is an article -----------------------------------------------------

def test_a_one_paragraph_notice_is_returned() -> None:
    notice = "Cơ quan nghỉ Tết Nguyên đán từ ngày 25/1 đến hết ngày 2/2/2025."
    html = f"""<html lang="vi"><head><title>Thông báo nghỉ Tết</title></head><body>
<h1>Thông báo nghỉ Tết Nguyên đán</h1><div class="ngay">Ngày 10/01/2025</div>
<p>{notice}</p></body></html>"""
    result = extract_article(html, "https://sotuphap.gov.vn/tin/thong-bao-nghi-tet.html")
    assert result is not None
    assert notice in result["text"]
    assert "Ngày 10/01/2025" not in result["text"]



def test_a_short_notice_gets_no_menu_items_or_box_headlines_from_trafilatura() -> None:
    # a portal whose menu and "Tin mới nhất" box are plain lists in unnamed blocks: on a page
    # this short trafilatura keeps them, and a line that is all one link's text is no body
    notice = ("Cán bộ, công chức được nghỉ Tết Dương lịch từ ngày 01/01/2026 đến hết ngày "
              "04/01/2026.")
    menu = "".join(f'<li><a href="/Pages/m{n}.aspx">{m}</a></li>' for n, m in enumerate(
        ["Trang chủ", "Giới thiệu", "Thủ tục hành chính", "Liên hệ"]))
    latest = "".join(f'<li><a href="/Pages/tin.aspx?ItemID={n}">{t}</a></li>' for n, t in enumerate(
        ["Khánh thành cầu dân sinh tại xã vùng cao phía bắc huyện",
         "Hội thi tuyên truyền viên giỏi về cải cách hành chính năm nay"]))
    for content in (f"<p>{notice}</p>",  # and a notice's link to its document is its own
                    f'<p>{notice}</p><p><a href="/files/tb-01.pdf">Tải về</a></p>'):
        html = f"""<html lang="vi"><head><title>Thông báo nghỉ Tết Dương lịch năm 2026</title>
</head><body><div class="menu"><ul>{menu}</ul></div><div class="zone-left">
<h1>Thông báo nghỉ Tết Dương lịch năm 2026</h1><div class="ngay">Ngày 29/12/2025</div>
<div class="ms-rtestate-field">{content}</div></div><div class="zone-right"><h2>Tin mới nhất</h2>
<ul>{latest}</ul></div></body></html>"""
        result = extract_article(html, "https://sotp.example.gov.vn/Pages/thong-bao-nghi-tet.aspx")
        check(result, [notice, *(["Tải về"] if ".pdf" in content else [])],
              ["Trang chủ", "Thủ tục hành chính", "Khánh thành cầu dân sinh"])


# --- flags and confidence -----------------------------------------------------------------

def test_flags_and_confidence_describe_the_extraction() -> None:
    related = ('<div class="related"><h3>Tin liên quan</h3><ul>'
               '<li><a href="/tin-tuc/trong-cay-xanh-20250301.html">Phát động trồng cây xanh '
               "khắp các xã</a></li></ul></div>")
    result = extract_article(page("".join(paragraphs()), after=related), URL)
    assert set(result["flags"]) <= KNOWN
    assert "related_by_heading" in result["flags"]
    assert not {"fallback_used", "recovered_text", "no_body_container"} & set(result["flags"])
    assert result["confidence"] == 1.0
    bare = extract_article(page("".join(paragraphs()), container="khung"), URL)
    assert {"no_body_container", "related_none"} <= set(bare["flags"])
    assert 0.0 <= bare["confidence"] < result["confidence"]


# --- the article page shows the lead once ---------------------------------------------------

def test_the_lead_is_shown_once() -> None:
    assert lead_to_show(BODY[0], BODY) is None
    assert lead_to_show(" ".join(BODY[0].split()[:12]), BODY) is None  # (the sapo's opening)
    assert lead_to_show("Một mô tả khác hẳn đoạn đầu.", BODY) == "Một mô tả khác hẳn đoạn đầu."
    assert lead_to_show(None, BODY) is None
    assert lead_to_show("Mô tả.", []) == "Mô tả."


# --- broken pages that nest their story -------------------------------------------------------

def nested_page(paragraphs: int, opener: str) -> tuple[str, list[str]]:
    """A story whose template leaves ``opener`` open before each paragraph (old portals'
    `<font size=2>`, `<div><span>`), so that paragraph n sits n levels deep."""
    places = ["xã Quảng Tân", "phường Hà Tu", "huyện Vân Đồn", "thị xã Đông Triều", "Cô Tô"]
    lines = [f"Đoạn {n}: đoàn công tác làm việc tại {places[n % 5]} về tiến độ dự án số {n}, "
             f"kiểm tra {n + 3} hạng mục hạ tầng và nghe báo cáo của địa phương."
             for n in range(paragraphs)]
    html = (f'<html lang="vi"><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>'
            f'<div class="date">24/12/2025 09:30</div>'
            + "".join(f"{opener}{line}<br>" for line in lines) + "</body></html>")
    return html, lines


def test_a_story_nested_one_level_a_paragraph_keeps_its_first_paragraphs() -> None:
    # the innermost block holding 90% of trafilatura's text had lost the first tenth of the
    # story (the paragraphs above it, one level each): its ancestors that add the story's
    # words and nothing else are the block
    for opener in ("<font size=2>", "<div><span>", "<blockquote>"):
        html, lines = nested_page(60, opener)
        result = extract_article(html, URL)
        missing = [line for line in lines if line not in result["text"]]
        assert missing == [], (opener, missing[:3])
        assert "page_cut_short" not in result["flags"]


def test_a_page_nested_deeper_than_the_parser_reads_is_flagged() -> None:
    # libxml2 stops at 256 levels: the rest of the story is in no extraction (plain
    # trafilatura parses with the same limit), so the loss is said, not silent
    html, lines = nested_page(400, "<div>")
    result = extract_article(html, URL)
    assert lines[0] in result["text"] and lines[-1] not in result["text"]
    assert "page_cut_short" in result["flags"] and result["confidence"] < 0.5


# --- the headline when the page's <title> names none -------------------------------------------

HEADLINE = "Quảng Ninh khởi công cầu Cửa Lục 3 nối hai bờ vịnh"


def titled_page(head: str, headline_html: str) -> str:
    return (f'<html lang="vi"><head>{head}</head><body><ul class="menu"><li><a href="/">'
            'Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li></ul>'
            '<div class="box-title">Văn bản chỉ đạo điều hành của tỉnh</div>'
            f'{headline_html}<div class="date">24/12/2025 09:30</div>'
            f'<div class="content">{"".join(f"<p>{p}</p>" for p in BODY)}</div></body></html>')


def test_a_portal_whose_title_names_no_headline_gives_the_element_its_markup_calls_the_title(
) -> None:
    # SharePoint and ASP.NET portals give every page the section's <title> ("Tin tức - Sự
    # kiện") and show the headline in an element named for it, or under a logo h1; a box's
    # title is no headline
    generic = "<title>Tin tức - Sự kiện</title>"
    for headline_html in (f'<span id="ctl00_PlaceHolderMain_lblTitle" class="TieuDe">{HEADLINE}'
                          '</span>',
                          f'<div class="title-news">{HEADLINE}</div>',
                          f'<table><tr><td class="tieude"><strong>{HEADLINE}</strong></td></tr>'
                          '</table>',
                          f'<h1 class="logo"><a href="/">Báo Quảng Ninh</a></h1>'
                          f'<h2 class="title">{HEADLINE}</h2>'):
        result = extract_article(titled_page(generic, headline_html), URL)
        assert result["title"] == HEADLINE, headline_html


def test_of_the_h1s_a_title_names_the_headline_is_taken_not_the_logo_or_site_name() -> None:
    two_h1s = (f'<h1 class="site">Cổng thông tin điện tử tỉnh Quảng Ninh</h1>'
               f'<h1 class="article-title">{HEADLINE}</h1>')
    head = f"<title>{HEADLINE} - Cổng thông tin điện tử tỉnh Quảng Ninh</title>"
    assert extract_article(titled_page(head, two_h1s), URL)["title"] == HEADLINE
    logo = f'<h1 class="logo"><a href="/">Báo Quảng Ninh</a></h1><h2>{HEADLINE}</h2>'
    head = (f"<title>Báo Quảng Ninh</title>"
            f"<meta property='og:title' content='{HEADLINE} | Báo Quảng Ninh'>")
    assert extract_article(titled_page(head, logo), URL)["title"] == HEADLINE


def test_a_label_leading_the_h1_in_its_own_element_is_no_part_of_the_headline() -> None:
    # "<h1><span class='cat'>Thời sự</span> headline</h1>": the title names the headline
    # without its section or kicker; without a title naming it the h1 stays whole
    head = f"<meta property='og:title' content='{HEADLINE} - Báo Quảng Ninh'>"
    for label in ('<span class="cat">Thời sự</span> ', '<em>ĐẶC SẮC</em>: ', '<!-- tiêu đề -->'):
        headline = f'<h1 class="title">{label}{HEADLINE}</h1>'
        assert extract_article(titled_page(head, headline), URL)["title"] == HEADLINE, label
    headline = f'<h1 class="title"><span class="cat">Thời sự</span> {HEADLINE}</h1>'
    plain = extract_article(titled_page("<title>Tin tức</title>", headline), URL)["title"]
    assert plain == f"Thời sự {HEADLINE}"


@pytest.mark.parametrize("kicker", [
    '<span class="kicker">CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH LẦN THỨ XVI</span><br>',
    '<span class="overline">Chào mừng kỷ niệm 80 năm Quốc khánh 2/9:</span> ',
])
def test_a_long_kicker_leading_the_h1_is_no_part_of_the_headline_the_title_names(
        kicker: str) -> None:
    # an overline of many words in its own element inside the h1: the page's title naming the
    # rest tells it from the headline, whatever its length; without such a title, kept whole
    head = f"<title>{HEADLINE} - Báo Quảng Ninh</title>"
    headline = f'<h1 class="title">{kicker}{HEADLINE}</h1>'
    assert extract_article(titled_page(head, headline), URL)["title"] == HEADLINE
    plain = extract_article(titled_page("<title>Tin tức</title>", headline), URL)["title"]
    assert plain.endswith(HEADLINE) and plain != HEADLINE


DASHED = "Phát triển kinh tế - xã hội vùng Hạ Long - Vân Đồn giai đoạn 2021 - 2025"
SAPO = ("Hội nghị đánh giá kết quả thực hiện các chỉ tiêu chủ yếu và thống nhất những giải "
        "pháp trọng tâm cho giai đoạn tới của toàn vùng.")


@pytest.mark.parametrize("head", [f"<title>{DASHED} - Báo Quảng Ninh</title>",
                                  f"<title>Báo Quảng Ninh - {DASHED}</title>",
                                  f"<title>{DASHED} | Báo Quảng Ninh</title>",
                                  f"<title>{DASHED}</title>",
                                  f"<meta property='og:title' content='{DASHED}'>"])
@pytest.mark.parametrize("headline", ['<div style="font-weight:bold">{}</div>',
                                      '<p><strong>{}</strong></p>'])
def test_a_dash_inside_the_headline_the_page_shows_is_the_headlines_not_the_site_names(
        head: str, headline: str) -> None:
    # no heading and no title class: the page's <title> names the headline, which the page
    # shows whole in an element of its own, dashes and all ("kinh tế - xã hội", "2021 -
    # 2025"); only a part the page does not show with it (the site's name) is cut off. The
    # sapo is found under the headline so found
    lead = f'<div><b>{SAPO}</b></div>'
    result = extract_article(titled_page(head, headline.format(DASHED) + lead), URL)
    assert result["title"] == DASHED
    assert result["text"].startswith(SAPO)


def test_the_sites_name_after_a_dash_is_still_cut_when_the_page_shows_it_apart() -> None:
    # the site's name shown as its own element (the logo's text) is no part of the headline
    head = f"<title>{DASHED} - Báo Quảng Ninh</title>"
    headline = f'<div class="top"><a href="/">Báo Quảng Ninh</a></div><div><b>{DASHED}</b></div>'
    assert extract_article(titled_page(head, headline), URL)["title"] == DASHED
    # nor is a site's name holding a dash of its own, in front
    head = f"<title>Sở Văn hóa - Thể thao tỉnh Quảng Ninh - {DASHED}</title>"
    assert extract_article(titled_page(head, headline), URL)["title"] == DASHED


def test_a_dash_between_figures_in_the_title_is_a_range_not_a_separator() -> None:
    # the headline shown in no element of its own (a line with more in it): the title is all
    # there is, and "2021 - 2025" in it is a range of years, the site's name after it
    shown = f'<div><b>{HEADLINE} giai đoạn 2021 - 2025 (cập nhật 24/12/2025)</b></div>'
    head = f"<title>{HEADLINE} giai đoạn 2021 - 2025 - Báo Quảng Ninh</title>"
    title = extract_article(titled_page(head, shown), URL)["title"]
    assert title == f"{HEADLINE} giai đoạn 2021 - 2025"


def test_a_headline_in_the_articles_own_header_is_no_page_chrome() -> None:
    # WordPress's <article><header class="entry-header"><h2 class="entry-title">: a <header>
    # inside an <article> is the story's (HTML5), not the site's banner; the site's is still
    head = "<title>UBND huyện Tiên Yên</title>"
    own = (f'<article><header class="entry-header"><h2 class="entry-title">{HEADLINE}</h2>'
           '</header></article>')
    assert extract_article(titled_page(head, own), URL)["title"] == HEADLINE
    site = own.replace("<article>", "<header>", 1).replace("</article>", "</header>")
    assert extract_article(titled_page(head, site), URL)["title"] != HEADLINE


@pytest.mark.parametrize("dateline", ['<small class="date">(24/12/2025)</small>',
                                      '<time datetime="2025-12-24">24/12/2025</time>'])
def test_a_date_set_inside_the_headline_in_its_own_element_is_no_part_of_it(
        dateline: str) -> None:
    head = "<title>Cổng TTĐT tỉnh Quảng Ninh</title>"
    headline = f'<h1 class="title">{HEADLINE} {dateline}</h1>'
    assert extract_article(titled_page(head, headline), URL)["title"] == HEADLINE
    # a figure of the headline's own words stays ("2/9" is no element of its own)
    holiday = f'<h1 class="title">{HEADLINE} dịp <span class="hl">2/9</span></h1>'
    assert extract_article(titled_page(head, holiday), URL)["title"] == f"{HEADLINE} dịp 2/9"


def test_an_h1_in_the_logo_box_or_linking_home_is_the_logo_not_the_headline() -> None:
    # the site's name in an h1 (a logo or site-title box, a link to the home page) is no
    # headline, even when the page's title names it; in a banner box, it is none when the title
    # names it as the site's part; a headline broken by <br> reads with a space
    generic = "<title>Cổng TTĐT tỉnh Quảng Ninh - Chi tiết tin</title>"
    named = f"<title>{HEADLINE} - Cổng TTĐT tỉnh Quảng Ninh</title>"
    for logo, heads in (('<div id="logo"><h1>SỞ Y TẾ TỈNH</h1></div>', [generic, named]),
                        ('<header id="banner"><h1 class="site-title"><a href="/web/guest">Cổng '
                         'TTĐT tỉnh Quảng Ninh</a></h1></header>', [generic, named]),
                        ('<h1><a href="/">Cổng TTĐT tỉnh Quảng Ninh</a></h1>', [generic, named]),
                        ('<div class="banner"><h1>Cổng TTĐT tỉnh Quảng Ninh</h1></div>', [named])):
        for head in heads:
            headline = f'{logo}<h3 class="header-title">{HEADLINE}</h3>'
            result = extract_article(titled_page(head, headline), URL)
            assert result["title"] == HEADLINE, (logo, head)
    # an anchor without a link, or one to the page itself, is no logo's
    for anchor in ('<a name="top">', '<a href="#top">', '<a href="?id=12">'):
        headline = f'<h1>{anchor}{HEADLINE}</a></h1>'
        head = "<title>Tin tức - Sự kiện</title>"
        assert extract_article(titled_page(head, headline), URL)["title"] == HEADLINE, anchor
    broken = HEADLINE.replace(" nối ", "<br>nối ")
    result = extract_article(titled_page("<title>Tin tức</title>",
                                         f'<div class="title-news">{broken}</div>'), URL)
    assert result["title"] == HEADLINE


def _notice_page(content: str, sidebar: str = "") -> str:
    """A DNN-like department page: a notice whose content is ``content``, a sidebar box, the
    site's footer (owner and address, in a box named ``footer``, not a <footer>)."""
    return f"""<html><head><title>Thông báo tuyển dụng viên chức y tế đợt hai năm nay</title>
</head><body><div id="dnn_ContentPane"><div class="news-detail">
<h1>Thông báo tuyển dụng viên chức y tế đợt hai năm nay</h1>
<div class="date">Thứ Ba, 14/10/2025 08:15</div>{content}</div></div>
<div class="box-right"><h3>Thông báo mới</h3>{sidebar}</div>
<div id="dnn_FooterPane" class="footerPane"><p>Cơ quan chủ quản: Sở Y tế tỉnh Bình Phong.
Chịu trách nhiệm chính: Chánh Văn phòng Sở. Địa chỉ: số 9 đường Lê Lợi, thành phố Bình Phong.
</p></div>
</body></html>"""


def test_a_notice_that_only_embeds_its_document_has_no_body_not_the_sites_footer() -> None:
    page = _notice_page('<embed src="/Portals/0/tb-18.pdf" type="application/pdf">')
    result = extract_article(page, "https://soyte.binhphong.gov.vn/tin-tuc/tb-18.aspx")
    assert result["page_kind"] == "article"
    assert result["attachments"] and "Cơ quan chủ quản" not in result["text"]
    assert "Lê Lợi" not in result["text"]


def test_a_notice_sentence_also_shown_in_a_sidebar_stays_the_body() -> None:
    sentence = ("Hồ sơ dự tuyển nộp tại Văn phòng Sở Y tế từ ngày 15 đến hết ngày 30 tháng 10, "
                "trong giờ hành chính.")
    page = _notice_page(f"<p>{sentence}</p>", f"<p>{sentence}</p>")
    result = extract_article(page, "https://soyte.binhphong.gov.vn/tin-tuc/tb-19.aspx")
    assert result["text"] == sentence  # once: the box's copy and title are the sidebar's


def test_a_line_of_invisible_characters_is_no_paragraph() -> None:
    # an editor's empty photo rows keep a byte-order mark or a zero-width space each; inside a
    # word they show nothing either
    rows = "".join(f"<p>{p}</p><div class='photo'>\ufeff<img src='/a.jpg'></div><p>\u200b</p>"
                   for p in BODY)
    text = check(extract_article(page(rows.replace("trồng rừng", "trồng\u200b rừng")), URL),
                 BODY, ["\ufeff", "\u200b"])
    assert text.split("\n") == BODY


def test_a_short_notice_with_a_table_keeps_its_box_not_the_menu_trafilatura_reads() -> None:
    # trafilatura reads the menu with the notice and the two disagree: its lines that are each
    # a link's whole text outside the body's box are the menu's, however few beside the rest;
    # a link's text inside the box is the notice's own
    menu = "".join(f'<li><a href="/muc-{n}.html">{name}</a></li>' for n, name in enumerate(
        ("Trang chủ", "Giới thiệu", "Tin tức", "Văn bản", "Hỏi đáp", "Liên hệ")))
    table = "".join(f"<tr><td>{d}/03/2025</td><td>{subject}</td></tr>" for d, subject in (
        ("15", "Ngữ văn"), ("16", "Toán học"), ("17", "Tiếng Anh")))
    html = (f"<html lang='vi'><head><title>{TITLE}</title></head><body><div class='menu'><ul>"
            f"{menu}</ul></div><div class='container'><div class='col-8'><h1 class='title'>"
            f"{TITLE}</h1><div class='date'>02/03/2025</div><div class='detail-content'><p>Phòng "
            "Giáo dục ban hành lịch kiểm tra học kỳ thống nhất cho các trường trên địa bàn:</p>"
            f"<table>{table}</table><p><a href='/van-ban/lich-thi.html'>Lịch kiểm tra</a></p>"
            "</div></div><div class='col-4'><b>Tin mới</b><ul><li><a href='/tin/a-1.html'>Hội "
            "nghị tổng kết năm học của ngành giáo dục huyện</a></li></ul></div></div><div "
            "class='footer'>Cơ quan chủ quản: Phòng Giáo dục huyện.</div></body></html>")
    check(extract_article(html, URL), ["lịch kiểm tra học kỳ thống nhất", "Toán học",
                                       "Lịch kiểm tra"],
          ["Trang chủ", "Giới thiệu", "Hỏi đáp", "Hội nghị tổng kết năm học"])


def test_a_fragment_of_the_page_is_completed_however_much_plain_adds() -> None:
    # an English blog post (no Vietnamese walk: the body is trafilatura's fast pass) whose
    # sections are bare text after their headings: the fast pass keeps only the boxed intro,
    # a sixth of the page's prose; plain trafilatura's full pass reads the sections. The
    # guard that a body of 100+ words stands when plain would more than double it is for a
    # body that may be the whole story, not for a fragment of one.
    intro = " ".join(f"The harbour board met on Monday to weigh plan number {i} for the old "
                     "quay, and members asked how the ferry timetable would change."
                     for i in range(6))
    sections = "".join(
        f"<h2>Part {s}</h2><strong>Note {s}.</strong> "
        + " ".join(f"Section {s} line {i}: the crews of the northern bay described their winter "
                   "catch, the price of fuel and the repairs the breakwater needs by spring."
                   for i in range(5)) + "<br><br>" for s in range(8))
    html = f"""<html lang="en"><head><title>Harbour board weighs quay plans</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour board weighs quay plans</h1>
<div class="entry-content"><p>{intro}</p>{sections}</div></article>
<footer><p>Copyright the Harbour Gazette, all rights reserved.</p></footer></body></html>"""
    result = extract_article(html, "https://example.org/news/harbour-quay")
    assert "plan number 5 for the old quay" in result["text"]
    assert "Section 7 line 4" in result["text"] and "Section 0 line 0" in result["text"]
    assert "Copyright the Harbour Gazette" not in result["text"]
    assert "recovered_text" in result["flags"] and "plain_disagrees" not in result["flags"]


def test_a_layout_row_plain_reads_for_a_fragment_is_flagged() -> None:
    # a page of the 2000s laid out in tables: trafilatura's fast pass takes the short block
    # named "text" at the end of the content cell (a fifth of the page's prose); plain
    # trafilatura's full pass reads the cell as one table row, less the heading it leaves
    # out, so the row is nowhere in the page's text: not taken, but the body's loss is said
    lessons = "".join(f"<p><b>Lesson {i}</b> the class compared how wool, silk and cotton "
                      "behave in warm water, and wrote down which fabric shrank, which faded "
                      "and which kept its shape.</p>" for i in range(10))
    notes = "".join(f"<p>Fibre note {i}: linen creases easily but is strong when wet, and "
                    "nylon dries quickly.</p>" for i in range(3))
    html = f"""<html lang="en"><head><title>Textiles notes</title></head><body>
<table width="100%"><tr><td class="menu"><a href="/a">Home</a><br><a href="/b">Exams</a></td>
<td><table width="100%" cellpadding="5"><tr><td class="text">
<p align="center"><a href="#a">Small appliances</a> | <a href="#b">Textiles</a></p>
<p class="textheader">Household technology</p>{lessons}
<div class="text">{notes}</div></td></tr></table></td></tr></table></body></html>"""
    result = extract_article(html, "https://example.org/exam/textiles.html")
    assert "Fibre note 2: linen creases easily" in result["text"]
    assert "Lesson 0 the class compared" not in result["text"]
    assert "plain_disagrees" in result["flags"]


def test_a_layout_row_the_full_pass_reads_further_is_completed() -> None:
    # a document of the 2000s laid out in a table (menu row, link column, content cell):
    # trafilatura's fast pass reads the layout's rows, the content cell less its list; plain's
    # full pass reads the cell with its list, more than doubling the body. A body of a few
    # paragraphs stands against that (plain may have taken comments or a neighbour story),
    # but a layout row is no story's own block: plain's reading completes it, and the row it
    # holds is not given twice
    guidelines = "<br><br>".join(
        f"Guideline {i}: test takers have the right to be told in advance how a test will be "
        "scored, who will see the result and how long it will be kept on file." for i in range(8))
    rights = "".join(f"<li>Right {i}: to receive an explanation of the result in plain words, "
                     "within a reasonable time, and to ask for a retest when the conditions "
                     "were unfair to them.</li>" for i in range(30))
    menu = " | ".join(f'<a href="/s{n}/">Section {n}</a>' for n in range(8))
    html = f"""<html lang="en"><head><title>Rights of test takers</title></head><body>
<table width="100%"><tr><td colspan="3">{menu}</td></tr>
<tr><td width="20%"><a href="/a">Home</a><br><a href="/b">Science</a></td>
<td>{guidelines}<ol>{rights}</ol></td><td width="20%"><a href="/c">Join us</a></td></tr>
</table></body></html>"""
    result = extract_article(html, "https://example.org/science/rights.html")
    assert "Right 29: to receive an explanation" in result["text"]
    assert result["text"].count("Guideline 7: test takers") == 1
    assert "plain_disagrees" not in result["flags"]
    assert {"recovered_text", "fallback_used"} & set(result["flags"])


def river_path_page(neighbour: str = "") -> str:
    """An English report whose sections are a heading, one paragraph and a list, in a block no
    class names (trafilatura's own extraction falls back on the page's paragraphs and leaves
    the headings and lists out; its full pass reads them), then ``neighbour``'s paragraphs."""
    sections = "".join(
        f"<h2>Section heading number {s}</h2><p>Paragraph {s}: the town council heard that the "
        "river path, closed since the spring floods, needs new railings and a drain under the "
        "old mill. Engineers said the work would take most of the summer.</p>"
        "<p><strong>What was said:</strong></p><ul>"
        + "".join(f"<li><strong>Point {s}.{i}:</strong> residents of the lower streets asked the "
                  "council to publish the repair schedule and to keep the footbridge open for "
                  "school children every morning.</li>" for i in range(4))
        + "</ul><div class='embed'><h4>External content is not available</h4></div>"
        for s in range(6)) + "<h3>Readers' comments</h3><ul><li>Comment by a reader who lives " \
        "by the mill: the railings were already loose last winter, and nobody came.</li></ul>"
    return f"""<html lang="en"><head><title>Council weighs river path repairs</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<section class="hero"><h1>Council weighs river path repairs</h1></section>
<section class="blogbody"><div class="wrapper"><div class="rich-body">{sections}</div></div>
</section>{neighbour}
<footer><p>Copyright the Valley Courier, all rights reserved.</p></footer></body></html>"""


def test_plain_completes_the_body_inside_the_block_holding_its_lines() -> None:
    # plain trafilatura brings in more than the body's own words (its headings and lists),
    # which alone reads as plain taking another story (plain_disagrees); inside the block that
    # holds the body's lines it is the body's own text
    result = extract_article(river_path_page(), "https://example.org/news/river-path")
    assert "Paragraph 5: the town council heard" in result["text"]
    assert "Section heading number 3" in result["text"]
    assert "Point 4.2: residents of the lower streets" in result["text"]
    assert "Copyright the Valley Courier" not in result["text"]
    # a heading given once per embed is the embed's placeholder; what follows the body's last
    # line is not between its lines
    assert "External content is not available" not in result["text"]
    assert "Readers' comments" not in result["text"] and "Comment by a reader" not in result["text"]
    assert "recovered_text" in result["flags"] and "plain_disagrees" not in result["flags"]
    # a body that is no one block's (a neighbour story's paragraphs read with it) stands
    neighbour = "<section class='more'><div class='story-two'>" + "".join(
        f"<p>Elsewhere {i}: the neighbouring county opened a new bus depot on the ring road, "
        "with forty electric buses and a workshop for their batteries.</p>" for i in range(5)
    ) + "</div></section>"
    result = extract_article(river_path_page(neighbour), "https://example.org/news/river-path")
    assert "Section heading number 3" not in result["text"]
    assert "plain_disagrees" in result["flags"]


def layout_table_page() -> str:
    """A page laid out in a table: menu row, link column, the story's cell, a "Tin mới nhất"
    column and a footer row; no element names the body (no body container)."""
    menu = " | ".join(f'<a href="/muc-{n}/">Chuyên mục {n}</a>' for n in range(8))
    side = "".join(f'<p><a href="/tin-{n}.html">Tin ngắn số {n} về hoạt động của các xã</a></p>'
                   for n in range(6))
    return f"""<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<table width="100%"><tr><td colspan="3">{menu}</td></tr>
<tr><td width="20%">Liên kết website<br><a href="/a">Cổng thông tin tỉnh</a></td>
<td><b>{TITLE}</b><br>02/03/2025<br>{"<br><br>".join([*BODY, *CAPTIONS])}</td>
<td width="20%">Tin mới nhất{side}</td></tr>
<tr><td colspan="3">Bản quyền thuộc Ủy ban nhân dân huyện, số 1 đường Trần Phú.</td></tr>
</table></body></html>"""


def test_a_layout_table_read_whole_gives_way_to_plain_text_it_holds(monkeypatch) -> None:
    # trafilatura's fast pass reads the layout table as one table, the menu and the columns
    # in the story's row; its full pass (plain) reads the story alone. The body holds plain's
    # text and is longer: plain's is taken.
    from pipelines.extractor import article, recovery
    assert _reads_layout_table(["| Trang chủ \\| Tin tức |", f"| {BODY[0]} | Tin mới nhất |"])
    assert not _reads_layout_table([*BODY, "| Ngày ban hành | 12/11/2025 |"])
    # an article that is mostly a data table (rows of figures): its own, never a layout
    prices = [f"| Quý {n} | {n * 7}% | {n * 3} tỷ |" for n in range(1, 40)]
    assert not _reads_layout_table([BODY[0], *prices])
    monkeypatch.setattr(article, "_plain_trafilatura",
                        lambda page, url: "\n".join([*BODY, *CAPTIONS]))
    result = extract_article(layout_table_page(), URL)
    check(result, [BODY[0], CAPTIONS[-1]], ["Chuyên mục 3", "Tin mới nhất", "Bản quyền"])
    assert "fallback_used" in result["flags"]
    # plain reads the layout as the body does: nothing is taken away, nothing flagged
    monkeypatch.setattr(article, "_plain_trafilatura",
                        lambda page, url: recovery._trafilatura_text(page, url))
    result = extract_article(layout_table_page(), URL)
    check(result, [BODY[0], "Chuyên mục 3"], [])
    assert "fallback_used" not in result["flags"]


def test_a_layout_table_body_plain_adds_more_to_says_so(monkeypatch) -> None:
    # the body is the layout table read whole; plain reads a list beside it that the fast
    # pass left out (short lines: not the page's prose, so the body was not asked). More
    # words than the body's: the body stands and the loss is said; a few: nothing to say
    from pipelines.extractor import article
    lots = [f"Lô {n}: {n * 40} cây đước, giao tổ chăm sóc số {n}" for n in range(60)]
    page = layout_table_page().replace("</table>", "</table><aside class='lo'>" + "".join(
        f"<p>{lot}</p>" for lot in lots) + "</aside>")
    monkeypatch.setattr(article, "_plain_trafilatura",
                        lambda page, url: "\n".join([*BODY, *CAPTIONS, *lots]))
    result = extract_article(page, URL)
    check(result, [BODY[0], "Chuyên mục 3"], ["Lô 12: 480 cây đước"])
    assert "plain_disagrees" in result["flags"]
    monkeypatch.setattr(article, "_plain_trafilatura",
                        lambda page, url: "\n".join([*BODY, *CAPTIONS, *lots[:5]]))
    result = extract_article(page, URL)
    check(result, [BODY[0], "Chuyên mục 3"], ["Lô 3: 120 cây đước"])
    assert "plain_disagrees" not in result["flags"]


def baseline_dump_page() -> str:
    """A page whose paragraphs are bare <div>s in nested boxes, a menu above and a column of
    other stories beside: trafilatura's own extraction finds almost nothing there."""
    menu = " | ".join(f'<a href="/muc-{n}/">Chuyên mục {n}</a>' for n in range(12))
    side = "".join(f'<div><a href="/tin-{n}.html">Tin ngắn số {n} về hoạt động của các xã</a>'
                   "</div>" for n in range(10))
    story = "".join(f"<div>{line}</div>" for line in BODY)
    return f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div id="layout"><div class="menu">{menu}</div><div class="box"><div class="inner">
<div class="txtbox">{story}</div></div></div><div class="side">{side}</div></div></body></html>"""


def test_trafilaturas_baseline_dump_gives_way_to_plain_text_it_holds(monkeypatch) -> None:
    # trafilatura's own extraction finds under 250 characters; its fast pass then returns its
    # baseline, the page's text blocks (the menu, the story, the column), where its full pass
    # (plain) takes readability's, the story alone. The body holds plain's text and is
    # longer: plain's is taken.
    from pipelines.extractor import article, recovery, source
    result = extract_article(baseline_dump_page(), URL)
    check(result, BODY, ["Chuyên mục 3", "Tin ngắn số 4"])
    assert "fallback_used" in result["flags"]
    text, stage = recovery._trafilatura_pass(source._parse(baseline_dump_page()), URL)
    assert stage == "baseline" and "Chuyên mục 3" in text and BODY[1] in text
    # trafilatura's own extraction (page's <p> elements, some holding inline ones) is not it
    own = f"<html><body><article>{''.join(f'<p>{x} <b>mới</b></p><p>{x}</p>' for x in BODY)}"
    assert not recovery._trafilatura_pass(source._parse(own + "</article></body></html>"), URL)[1]
    # plain finds nothing on the page, or keeps one paragraph of the story's three (its
    # readability missed the rest): the body stands, nothing flagged
    for plain in ("", BODY[0]):
        monkeypatch.setattr(article, "_plain_trafilatura", lambda html, url, plain=plain: plain)
        result = extract_article(baseline_dump_page(), URL)
        check(result, [*BODY, "Chuyên mục 3"], [])
        assert "fallback_used" not in result["flags"]


def test_a_short_baseline_dump_completed_from_plain_gives_way_to_it(monkeypatch) -> None:
    # the story's first paragraphs are bare text in its box, its last one a <p>, and the
    # sidebar's blurbs are <p>s: trafilatura's baseline dump (the page's <p>s) holds the last
    # paragraph and the blurbs, too short beside the page's prose, so plain is asked and the
    # first paragraphs are brought in. The dump's lines plain leaves out are the page's
    # boxes, not the story's: the completed body holds plain's reading and is longer, and
    # gives way to it, as a dump that is not short does
    from pipelines.extractor import article, recovery, source
    about = "Tạp chí in mỗi tháng một số, tuyển chọn những bài viết hay nhất của bạn đọc cả nước."
    page = f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div id="post"><h2>{TITLE}</h2>{BODY[0]} {BODY[1]}<p/><p>{BODY[2]}</p></div>
<div class="col"><div class="widget"><h3>Về tạp chí</h3><p>{about} <a href="/gioi-thieu">
Xem thêm »</a></p></div><div class="widget"><p><a href="/dat-mua">Đặt mua từ 290.000 đồng/năm
»</a></p></div></div></body></html>"""
    text, stage = recovery._trafilatura_pass(source._parse(page), URL)
    assert stage == "baseline" and about in text and BODY[0] not in text
    monkeypatch.setattr(article, "_plain_trafilatura", lambda html, url: "\n".join(BODY))
    result = extract_article(page, URL)
    check(result, BODY, [about, "Đặt mua"])
    assert "fallback_used" in result["flags"]
    # plain keeps the dump's last paragraph alone (its readability missed the rest): too
    # little of the dump's prose to stand for it; plain's is not taken for it
    monkeypatch.setattr(article, "_plain_trafilatura", lambda html, url: BODY[2])
    result = extract_article(page, URL)
    check(result, [BODY[2]], [])
    assert "fallback_used" not in result["flags"]


def test_an_ad_slots_fallback_markup_is_never_body_nor_prose(monkeypatch) -> None:
    # ad slots in <iframe>s, each holding its fallback link as markup (which the parser keeps
    # as text and no browser shows): read as long lines of prose by trafilatura's baseline
    # dump, they outweighed plain's story and kept the dump, menu and markup with it
    slots = "".join(
        f"<div class='qc'><iframe src='https://qc.baotinh.vn/vi-tri-{n}'><a href='https://qc."
        f"baotinh.vn/nhan-vao/vi-tri-{n}'><img src='https://qc.baotinh.vn/anh/vi-tri-{n}.gif'>"
        "</a></iframe></div>" for n in range(12))
    html = baseline_dump_page().replace('<div class="side">', slots + '<div class="side">')
    result = extract_article(html, URL)
    check(result, BODY, ["qc.baotinh.vn", "Chuyên mục 3", "Tin ngắn số 4"])
    assert "fallback_used" in result["flags"]


def recall_escalation_page() -> str:
    """A page whose story is bare text between <br>s, after a two-paragraph sign-in notice in
    the box trafilatura's body XPaths find first; a menu above and a column of other stories
    beside: trafilatura's own extraction finds the notice only, under a fifth of the page."""
    menu = " | ".join(f'<a href="/muc-{n}/">Chuyên mục {n}</a>' for n in range(12))
    side = "".join(f'<li><a href="/tin-{n}.html">Tin ngắn số {n} về hoạt động của các xã trong '
                   f"tỉnh</a> Lượt xem {n}</li>" for n in range(12))
    notice = ("Bạn cần đăng nhập tài khoản thành viên để đọc toàn bộ bài viết này và nhận bản tin "
              "hằng ngày của tòa soạn qua thư điện tử. Đăng ký miễn phí chỉ mất một phút, bạn có "
              "thể hủy bất cứ lúc nào trong phần cài đặt tài khoản của mình.")
    return f"""<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>
<div class="menu">{menu}</div><div id="main"><div class="body-text"><p>{notice}</p>
<p>Đăng ký ngay</p></div><div class="txt">{"<br><br>".join([*BODY, *CAPTIONS])}</div></div>
<ul class="side">{side}</ul></body></html>"""


def test_trafilaturas_recall_escalation_gives_way_to_plain_text_it_holds(monkeypatch) -> None:
    # trafilatura's own extraction finds the notice alone, under a fifth of the page; its fast
    # pass then retries in recall mode and reads every block, the menu and the column with
    # the story, where its full pass (plain) has compared the notice with readability's text
    # and taken that, the story. The body holds plain's text and is longer: plain's is taken.
    from pipelines.extractor import article, recovery, source
    result = extract_article(recall_escalation_page(), URL)
    check(result, [*BODY, CAPTIONS[-1]], ["Chuyên mục 3", "Tin ngắn số 4"])
    assert "fallback_used" in result["flags"]
    text, stage = recovery._trafilatura_pass(source._parse(recall_escalation_page()), URL)
    assert stage == "recall" and "Tin ngắn số 4" in text and BODY[1] in text
    # plain keeps one paragraph of the story's seven (its readability missed the rest), or
    # all but one teaser (the body, hardly longer, read what plain does): the body stands
    for plain in (BODY[0], text.rsplit("\n", 1)[0]):
        monkeypatch.setattr(article, "_plain_trafilatura", lambda html, url, plain=plain: plain)
        result = extract_article(recall_escalation_page(), URL)
        check(result, [*BODY, "Tin ngắn số 4"], [])
        assert "fallback_used" not in result["flags"]


def test_a_bylines_date_and_credit_label_are_no_part_of_the_name() -> None:
    for byline, want in (("<div class='author-time'>Minh Châu - 02/03/2025 08:15</div>",
                          "Minh Châu"),
                         ("<p class='tacgia'>Bài, ảnh: Minh Châu</p>", "Minh Châu"),
                         ("<p class='author'>Hoàng Nga - Thu Trang | 02/03/2025</p>",
                          "Hoàng Nga; Thu Trang"),
                         # a bullet between the name and the date; Blogger's "Đăng bởi"
                         ("<div class='byline'>Minh Châu • 02/03/2025 08:15</div>", "Minh Châu"),
                         ("<span class='post-author vcard'>Đăng bởi <span class='fn'>Minh Châu"
                          "</span></span>", "Minh Châu")):
        html = page("".join(paragraphs()) + byline)
        assert extract_article(html, URL)["author"] == want, byline


COLOPHON = ("Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Giấy phép số 25/GP-TTĐT ngày 12/3/2021. "
            "Địa chỉ: 12 đường Trần Phú. Điện thoại: 0238 3 111 222. © Bản quyền thuộc Cổng "
            "thông tin điện tử tỉnh.")


@pytest.mark.parametrize("footer", ["<div id='bottom'>{}</div>", "<div>{}</div>",
                                    "<div class='copyright'><span>{}</span></div>"])
def test_the_sites_colophon_is_never_the_body_of_a_page_without_a_body_box(footer: str) -> None:
    # a one-paragraph ASP.NET notice shorter than the footer, in no recognised container
    title = "Thông báo lịch tiếp công dân tháng 12 năm 2025"
    html = (f"<html><head><title>{title}</title></head><body><div id='menu'><a href='/a'>Thời "
            f"sự</a> <a href='/b'>Kinh tế</a></div><div><span class='tieude'>{title}</span><br>"
            "<span class='ngay'>Ngày 01/12/2025</span><br><span>Chủ tịch UBND huyện tiếp công "
            "dân định kỳ vào sáng thứ Năm, ngày 18/12/2025 tại trụ sở tiếp công dân huyện."
            f"</span></div>{footer.format(COLOPHON)}</body></html>")
    result = extract_article(html, "https://bacson.gov.vn/TinTuc/ChiTiet.aspx?nid=1410")
    check(result, ["tiếp công dân định kỳ"], ["Giấy phép số 25", "Cơ quan chủ quản"])
    # a story's own sentence naming a licence and an address stays
    story = html.replace("tại trụ sở tiếp công dân huyện.", "tại trụ sở tiếp công dân huyện. "
                         "Công dân mang theo giấy phép kinh doanh và ghi địa chỉ liên hệ.")
    assert "giấy phép kinh doanh" in extract_article(story, "https://bacson.gov.vn/a.aspx")["text"]



@pytest.mark.parametrize("title", ["In trang", "Bản in", "Print"])
def test_an_articles_print_view_is_stored_as_the_article_it_prints(title: str) -> None:
    # the <title> names no story; the headline is the element named the title
    html = (f"<html><head><title>{title}</title></head><body><table width='650'><tr><td><span "
            "id='lblTieuDe' class='tieude'>Trao học bổng cho học sinh nghèo vượt khó</span></td>"
            "</tr><tr><td><span id='lblNgay'>02/12/2025 09:00</span></td></tr><tr><td><span "
            "id='lblNoiDung'>Quỹ khuyến học tỉnh trao 150 suất học bổng cho học sinh nghèo vượt "
            "khó, mỗi suất hai triệu đồng.</span></td></tr><tr><td><a href='#' onclick="
            "'window.print()'>In</a> | <a href='#' onclick='window.close()'>Đóng cửa sổ</a>"
            "</td></tr></table></body></html>")
    result = extract_article(html, "https://bacson.gov.vn/Print.aspx?id=1313")
    assert result["page_kind"] == "article"
    assert "print view" in result["page_reason"]
    assert result["title"] == "Trao học bổng cho học sinh nghèo vượt khó"
    assert result["published"] == "2025-12-02T09:00:00+07:00"
    check(result, ["trao 150 suất học bổng"], ["Đóng cửa sổ"])



@pytest.mark.parametrize("inside", [True, False])
def test_an_emagazines_credits_are_body_only_inside_the_storys_box(inside: bool) -> None:
    # full-width sections, one paragraph each (no body container is recognised), the credits
    # block, then the site's colophon: credits follow the author line's convention
    sections = "".join(
        f"<section class='emag-block'><h2>Phần {i}</h2><div class='emag-full'><img src='/e/{i}"
        f".jpg'></div><p>{text}</p></section>" for i, text in enumerate((
            "Suốt ba mùa khô liên tiếp, những hồ chứa ở phía tây tỉnh cạn trơ đáy, người dân "
            "phải mua từng can nước sinh hoạt với giá cao gấp năm lần bình thường.",
            "Công nhân phải mang từng đoạn ống lên dốc đá, có đoạn dài hơn hai cây số không có "
            "đường cho xe máy, mỗi ngày chỉ lắp được vài chục mét đường ống.",
            "Ngày nước về, cả bản tổ chức một bữa cơm chung, các cụ già nói đó là lần đầu tiên "
            "trong đời họ thấy nước chảy ra từ vòi ngay giữa sân nhà mình.")))
    credits = ("<div class='emag-credit'><p>Nội dung: Hoàng Lan - Minh Quân</p><p>Ảnh: Quang "
               "Vinh</p><p>Thiết kế: Thu Hà</p></div>")
    html = ("<html lang='vi'><head><title>Hành trình đưa nước sạch về bản</title></head><body>"
            "<div class='emag-cover'><h1>Hành trình đưa nước sạch về bản</h1><div class='emag-"
            "time'>30/11/2025 06:00</div></div><div class='emag-content'>"
            f"{sections}{credits if inside else ''}</div>{'' if inside else credits}"
            f"<div class='site-footer'><p>{COLOPHON}</p></div></body></html>")
    result = extract_article(html, "https://baosonglam.vn/emagazine/nuoc-sach-1301.html")
    check(result, ["ba mùa khô liên tiếp", "giữa sân nhà mình"]
          + (["Thiết kế: Thu Hà"] if inside else []),
          ["Giấy phép số 25"] + ([] if inside else ["Thiết kế: Thu Hà", "Ảnh: Quang Vinh"]))


def test_plain_trafilatura_reads_the_parsed_page_as_it_reads_the_source() -> None:
    # speed: plain trafilatura is given the page as parsed once for the guard's checks, with
    # comments stripped as its own parser strips them; its text is the same as from source
    from pipelines.extractor import recovery
    paragraphs = "".join(
        f"<p>Đoạn {n}: Ủy ban nhân dân tỉnh họp bàn<!-- ghi chú --> kế hoạch phát triển "
        f"nông nghiệp, giao thông và giáo dục cho các xã vùng cao trong năm tới.</p>"
        for n in range(8))
    page = (f"<!DOCTYPE html><html><head><title>Họp bàn kế hoạch</title></head><body>"
            f"<article><h1>Họp bàn kế hoạch</h1>{paragraphs}</article></body></html>")
    parsed = recovery._fetched(page)
    assert recovery._loads_as_document(parsed)
    text = recovery._plain_trafilatura(parsed, URL)
    assert "Đoạn 7: Ủy ban nhân dân tỉnh họp bàn kế hoạch" in text
    assert text == recovery._plain_trafilatura(page, URL)
    # a fragment (no <head>): lxml.html.fromstring hands trafilatura its body, not a document
    assert not recovery._loads_as_document(recovery._fetched(f"<div>{paragraphs}</div>"))


# --- twelfth session: shapes of the vnshapes12 probe ---------------------------------------

OTHER_NEWS = ["Hợp tác xã chè Hạnh Lâm tổ chức diễn tập phương án chữa cháy rừng phòng hộ",
              "Công an huyện miền núi tổ chức đợt tiêm chủng mở rộng cho trẻ dưới năm tuổi",
              "Liên đoàn Lao động tỉnh tổ chức hội thảo chuyển đổi số trong sản xuất nông nghiệp",
              "Bệnh viện đa khoa khu vực tổ chức khám sàng lọc bệnh tim bẩm sinh cho trẻ em"]


def test_a_notice_that_only_frames_its_pdf_gets_no_dated_headlines_of_its_other_news_box() -> None:
    # a Liferay portal: the journal article holds only its PDF's frame and a "Tải về" link; the
    # asset publisher's "Tin khác" box lists headlines each with its date after it, which
    # plain trafilatura reads as the page's text ("- headline (01/11/2026)")
    items = "".join(
        f'<li><a href="/web/guest/tin-tuc/-/asset_publisher/kT9q/content/tin-{n}?_p_redirect='
        f'%2Fweb%2Fguest">{t}</a> <span class="date">(0{n + 1}/11/2026)</span></li>'
        for n, t in enumerate(OTHER_NEWS))
    pdf = "/documents/20182/0/thong-bao-ket-qua.pdf"
    html = f"""<html lang="vi"><head><title>Thông báo kết quả tuyển dụng viên chức năm nay</title>
</head><body><div id="content"><div class="columns-2" id="main-content">
<div class="portlet-column portlet-column-first" id="column-1">
<section class="portlet"><div class="portlet-content">
<div class="journal-content-article"><h1 class="title-news">Thông báo kết quả tuyển dụng viên
chức năm nay</h1><div class="date-news">20/11/2026 16:00</div>
<p><iframe src="{pdf}" width="100%" height="800"></iframe></p><p><a href="{pdf}">Tải về</a></p>
</div></div></section><section class="portlet"><div class="portlet-content">
<h2 class="portlet-title-text">Tin khác</h2><div class="asset-publisher"><ul>{items}</ul></div>
</div></section></div></div></div></body></html>"""
    result = extract_article(html, "https://songlam.gov.vn/web/guest/tin-tuc/-/asset_publisher/"
                                   "kT9q/content/thong-bao-ket-qua")
    assert len(result["related"]) == 4
    check(result, [], OTHER_NEWS)


@pytest.mark.parametrize("subtitle", [
    '<p class="td-post-sub-title">{}</p>', '<h2 class="jeg_post_subtitle">{}</h2>'])
def test_a_wordpress_themes_subtitle_under_the_headline_is_the_lead(subtitle: str) -> None:
    # tagDiv Newspaper and JNews show the story's lead as a subtitle in the headline's header,
    # outside the post's content box
    lead = ("Mô hình trồng rừng ngập mặn đang giúp huyện đảo giữ đất, chắn sóng và tạo sinh kế "
            "cho hàng trăm hộ dân ven biển.")
    html = f"""<html lang="vi"><head><title>{TITLE}</title></head><body>
<article><header class="td-post-title"><h1 class="entry-title">{TITLE}</h1>
{subtitle.format(lead)}
<time class="entry-date" datetime="2025-03-02T08:15:00+07:00">02/03/2025</time>
</header><div class="td-post-content">{''.join(f'<p>{p}</p>' for p in BODY)}</div></article>
</body></html>"""
    text = check(extract_article(html, URL), [lead, *BODY], [])
    assert text.startswith(lead)


def test_a_pager_row_inside_the_body_box_is_no_body() -> None:
    # an article split over two pages: the row of page numbers closes the first page's box
    pager = ('<div class="page-nav page-nav-post"><span class="current">1</span>'
             '<a href="/ra-quan-trong-rung/2/"><div>2</div></a></div>')
    text = check(extract_article(page("".join(f"<p>{p}</p>" for p in BODY) + pager), URL),
                 BODY, [])
    assert not text.rstrip().endswith("2")


ROWS = [("Thứ Năm, 03/12/2026", "Ông Lê Văn Hùng, Chủ tịch Ủy ban nhân dân huyện"),
        ("Thứ Năm, 17/12/2026", "Bà Trần Thị Lan, Phó Chủ tịch Ủy ban nhân dân huyện")]


@pytest.mark.parametrize("container", ["news-content", "news-detail__content"])
def test_a_notice_that_is_only_a_table_keeps_its_rows_and_no_menu(container):
    # trafilatura finds no story in a lone table and dumps every text block of the page (its
    # baseline): no reading to weigh the named box against, so the box's rows are the body;
    # "news-detail__content" is a BEM element of a detail block, named like "detail__content"
    table = ("<table><tr><th>Ngày</th><th>Người tiếp công dân</th></tr>" + "".join(
        f"<tr><td>{day}</td><td>{who}</td></tr>" for day, who in ROWS) + "</table>")
    aside = ("<aside class='col-right'><h3>Tin mới nhất</h3><ul>" + "".join(
        f"<li><a href='/tin-tuc/tin-{i}.html'>Nông dân xã Hòa Bình thu hoạch vụ lúa mùa số {i}"
        f"</a></li>" for i in range(4)) + "</ul></aside>")
    result = extract_article(page(table, container=container, after=aside), URL)
    assert result["page_kind"] == "article"
    text = result["text"]
    for day, who in ROWS:
        assert day in text and who in text
    assert "Trang chủ" not in text and "thu hoạch vụ lúa mùa" not in text
    assert "Cơ quan chủ quản" not in text


# --- the publisher's JSON-LD articleBody --------------------------------------------------

SLIDES = [
    "Điểm thứ nhất là bãi bồi cửa sông, nơi đoàn viên trồng gần ba nghìn cây đước trong buổi "
    "sáng, mỗi cây được buộc cọc tre để chống sóng đánh bật gốc.",
    "Điểm thứ hai là khu rừng phòng hộ cũ phía bắc, nơi lực lượng biên phòng dặm lại những "
    "khoảng trống do bão năm ngoái để lại bằng cây bần giống của xã.",
]
SIGN_UP = ("Đăng ký nhận bản tin, bạn đồng ý nhận thư điện tử hằng tuần từ tòa soạn; có thể "
           "hủy đăng ký bất cứ lúc nào tại cuối mỗi thư.")
UNSHOWN = ("Đoạn này chỉ có trong dữ liệu cấu trúc của trang mà không hiện ra cho người đọc, "
           "nên không bao giờ được đưa vào bài.")


def _stated(paragraphs: list[str]) -> str:
    import json
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
            "articleBody": " ".join(paragraphs).replace("&", "&amp;")}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_story_lines_the_json_ld_article_body_states_are_brought_in_in_document_order() -> None:
    # a list story: the intro in the body box, its items in a slide block after it that the
    # body box does not hold; the page's JSON-LD articleBody states them all (and a sign-up
    # notice the page shows twice, a widget's, and a line the page does not show)
    slides = "".join(f'<div class="slide"><h3>Điểm {i + 1}</h3><p>{p}</p>'
                     f'<div class="notice">{SIGN_UP}</div></div>'
                     for i, p in enumerate(SLIDES))
    html = page("".join(paragraphs()[:2]), after=f'<section class="slides">{slides}</section>'
                + f"<p>{BODY[2]}</p>" + _stated([*BODY[:2], *(f"{p} {SIGN_UP}" for p in SLIDES),
                                               BODY[2], UNSHOWN]))
    result = extract_article(html, URL)
    text = check(result, [*BODY, *SLIDES], [SIGN_UP, UNSHOWN, "Cơ quan chủ quản"])
    assert text.index(BODY[1]) < text.index(SLIDES[0]) < text.index(SLIDES[1])
    assert "recovered_text" in result["flags"]


def test_a_json_ld_article_body_the_body_holds_changes_nothing() -> None:
    html = page("".join(paragraphs()), after=_stated(BODY[:2]))  # (a summary, cut short)
    plain = extract_article(page("".join(paragraphs())), URL)
    assert extract_article(html, URL)["text"] == plain["text"]


def test_a_date_opening_a_preformatted_block_is_body() -> None:
    # a work log quoted in <pre>: its date lines are the log's, not the page's dateline
    log = ("2025-03-02:\n    Harbour board: weigh plan for the old quay\n2025-03-03:\n"
           "    Ferry office: publish the winter timetable")
    story = [f"Paragraph {i}: every morning the clerk wrote the day's date on top of a plain "
             "text file and, under it, one line for each request the harbour board sent."
             for i in range(4)]
    html = f"""<html lang="en"><head><title>How one clerk kept the harbour's requests</title>
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>How one clerk kept the harbour's requests</h1><p class="meta">2025-03-04</p>
<div class="entry-content"><p>{story[0]}</p><p>{story[1]}</p><pre><code>{log}</code></pre>
<p>{story[2]}</p><p>{story[3]}</p></div></article>
<footer><p>Copyright the Harbour Gazette, all rights reserved.</p></footer></body></html>"""
    text = extract_article(html, "https://example.org/news/clerk-log")["text"]
    assert "2025-03-02:" in text and "2025-03-03:" in text
    assert text.index("2025-03-02:") < text.index("Harbour board: weigh") < text.index(
        "2025-03-03:") < text.index("Ferry office")
    assert "Paragraph 3: every morning" in text and "Copyright the Harbour" not in text
    assert "2025-03-04" not in text  # the page's own dateline still goes


@pytest.mark.parametrize("box", [
    '<div class="cookie-banner">{}</div>', '<div id="CookieConsent">{}</div>',
    '<section class="box cmplz-cookiebanner">{}</section>',
    '<div class="coo\u212aie-notice">{}</div>',  # a Kelvin sign: "k" to a case-blind match
    '<div class="cookie-recipe">{}</div>',  # the word, but no banner's name
    '<div id="comments"><ul class="comment-list"><li>{}</li></ul></div>',
    '<section class="post-comments">{}</section>', '<div class="infinite-scroll">{}</div>',
    '<div class="elementor-share-buttons">{}</div>', '<div class="ghi-chu">{}</div>'])
def test_trafilaturas_named_boxes_are_the_same_elements_in_tintucs_passes(box) -> None:
    # tintuc's passes read the page's classes and ids before trafilatura tests its regular
    # expressions on every element (cookie banners, comment sections, infinite-scroll boxes,
    # share buttons): the same elements go, in the same order
    import importlib

    import trafilatura.core

    from pipelines.extractor import recovery, source
    assert importlib.import_module("trafilatura.baseline").BASIC_CLEAN_XPATH \
        is recovery._basic_clean_elements
    named = [*trafilatura.core.RAW_TREE_PRUNE_XPATH,
             *trafilatura.core.REMOVE_COMMENTS_AND_LISTS_XPATH]
    assert len(named) == 3 and all(isinstance(x, recovery._NamedOnly) for x in named)
    notice = "Trang này dùng cookie để ghi nhớ lựa chọn của bạn"
    page = baseline_dump_page().replace(
        '<div class="side">', box.format(notice) + '<aside>Quảng cáo</aside><script>x=1'
        '</script><div id="site-footer">Bản quyền</div><div class="side">')
    tree = source._parse(page)
    body = tree.find("body")
    expected = [recovery._BASIC_CLEAN(body), *(x.xpath(body) for x in named)]
    names = recovery._page_names.set(recovery._names(tree))
    try:
        found = [recovery._basic_clean_elements(body), *(x(body) for x in named)]
    finally:
        recovery._page_names.reset(names)
    assert len(expected[0]) >= 3
    for mine, theirs in zip(found, expected, strict=True):
        assert all(a is b for a, b in zip(mine, theirs, strict=True))
    # on this page trafilatura's fast pass gives its baseline dump, cleaned so
    text, stage = recovery._trafilatura_pass(tree, URL)
    assert stage == "baseline" and BODY[1] in text and "Quảng cáo" not in text
    assert (notice in text) == ("recipe" in box or "ghi-chu" in box)


def test_trafilaturas_fast_passes_convert_the_page_without_a_backup_nobody_reads() -> None:
    # tintuc's fast pass and its recall escalation: the same converted tree as trafilatura's
    # own preparation, without the backup copy only its full pass's comparison reads; the full
    # pass (plain trafilatura, the guard) still gets its backup
    import trafilatura.core
    from lxml import etree

    from pipelines.extractor import recovery, source
    assert trafilatura.core._prepare_tree is recovery._prepare_tree_without_backup
    body = source._parse(baseline_dump_page()).find("body")
    fast, plain = recovery._options(recovery._FAST, URL), recovery._options(recovery._PLAIN, URL)
    converted, backup = recovery._prepare_tree_without_backup(body, fast, URL)
    theirs, their_backup = recovery._prepare_tree(body, fast, URL)
    assert backup is None and their_backup is not None
    assert etree.tostring(converted) == etree.tostring(theirs)
    assert BODY[1] in etree.tostring(converted, encoding="unicode")
    assert recovery._prepare_tree_without_backup(body, plain, URL)[1] is not None


def test_the_pages_names_are_each_class_and_id_value_once_in_page_order() -> None:
    # the names tintuc's passes search (thirteenth session): a value repeated on every item of
    # a list is searched once; each value still on a line of its own, in the page's order
    from pipelines.extractor import recovery, source
    items = "".join(f'<li class="tin-item"><a class="tieu-de">Tin số {n}</a></li>'
                    for n in range(20))
    tree = source._parse(f'<html><body><div id="noi-dung" class="tin-item">'
                         f'<ul class="danh-sach">{items}</ul></div></body></html>')
    assert recovery._names(tree).split("\n") == ["noi-dung", "tin-item", "danh-sach", "tieu-de"]


def test_drupals_body_field_is_the_body_container_not_a_sapo() -> None:
    # Drupal core names every content type's body "field--name-body", of the field type
    # "text-with-summary": not a sapo ("summary"), the story itself; read as a sapo, a short
    # item's text came glued ("…đổ bộ.Thanh Tùng") and then again as trafilatura read it
    body = ('<div class="clearfix text-formatted field field--name-body '
            'field--type-text-with-summary field--label-hidden field__item">'
            f"<p>{BODY[0]}</p><p><strong>{CREDIT}</strong></p></div>")
    result = extract_article(page(body, container="node__content"), URL)
    assert result["text"].split("\n") == [BODY[0], CREDIT]
    assert "no_body_container" not in result["flags"]


def test_a_drupal_custom_blocks_body_field_is_not_the_story() -> None:
    # Drupal's custom blocks (a promotion, a sign-up box, the footer's columns) have a body
    # field as the story's node has; on a theme that names its story otherwise, the block's
    # field was the body container (WCXB dev-0214, dev-4661, dev-4241 lost 0.05-0.06 F1)
    promo = ("Đăng ký nhận bản tin mỗi sáng để không bỏ lỡ tin tức mới nhất của tỉnh.")
    block = ('<div class="block block-block-content block-block-content9bb2b53c-bf24">'
             '<div class="block__content"><div class="clearfix text-formatted field '
             'field--name-body field--type-text-with-summary field--label-hidden field__item">'
             f"<p>{promo}</p></div></div></div>")
    story = "".join(f"<p>{line}</p>" for line in BODY)
    result = extract_article(page(story, container="story-text").replace("</body>",
                                                                         block + "</body>"), URL)
    # the story is read as a page without a body box is (the block's field read as the
    # container left "text_outside_container")
    assert result["text"].startswith(BODY[0]) and all(line in result["text"] for line in BODY)
    assert "no_body_container" in result["flags"]
    assert "text_outside_container" not in result["flags"]


def test_a_body_container_showing_only_photos_a_player_or_a_document_is_the_whole_story() -> None:
    # a scanned document shown as images, an embedded video, a PDF in a viewer: the body
    # container holds no text; the breadcrumb's last crumb or the tool bar is never the body
    crumb = '<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <span>Thông báo</span></div>'
    for shown in ('<p><img src="/Uploads/cv-1.jpg" alt="Công văn trang 1"></p>'
                  '<p><img src="/Uploads/cv-2.jpg" alt="Công văn trang 2"></p>',
                  '<iframe src="https://www.youtube.com/embed/abcDEF12345"></iframe>',
                  '<iframe src="/pdfjs/web/viewer.html?file=/Uploads/KH-112.pdf"></iframe>'):
        html = page(shown, container="ms-rtestate-field").replace("<h1", crumb + "<h1")
        result = extract_article(html, URL)
        assert result["page_kind"] == "article", shown
        assert "Thông báo" not in result["text"] and "Trang chủ" not in result["text"], shown
        # the same container beside a paragraph of its block: that paragraph is the story's
        # text, read as before (the container is not all of it)
        told = html.replace('<div class="ms-rtestate-field">', f"<p>{BODY[1]}</p>"
                            '<div class="ms-rtestate-field">')
        assert BODY[1] in extract_article(told, URL)["text"], shown


def test_an_english_posts_container_of_a_photo_and_short_lines_keeps_its_text() -> None:
    # a blog's "entry-content" shows a photo and a few short lines (none a line of prose) in a
    # post block with no paragraph: on a page whose lines are not read (not Vietnamese), no
    # list of lines says the container is empty; the post's text stays (it was left empty)
    post = ('<html lang="en"><head><title>Paper Punched Leaves for Crafting</title></head><body>'
            '<div class="post hentry"><h2>Paper Punched Leaves for Crafting</h2>'
            '<div class="entry-content"><div><img src="/img/leaves.jpg"><br>'
            "Punch the leaves out of old book pages.<br>Glue them on a ribbon for bunting.<br>"
            "Hang it over the window for autumn.</div></div></div></body></html>")
    result = extract_article(post, "https://crafts.example.com/2012/10/paper-leaves.html")
    assert "Punch the leaves out of old book pages." in result["text"]
    assert "Glue them on a ribbon for bunting." in result["text"]
