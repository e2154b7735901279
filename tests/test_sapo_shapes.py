"""The sapo (lead) in the shapes Vietnamese templates give it, with no class naming it and no
meta description repeating it: a bold block, a sub-heading, a block drawn bold by its style,
under the headline and its dateline. It is the article's description and opens its text,
once, however often the page shows it. A first paragraph bold only in part (a place name,
a first sentence) is body: the story then has no sapo."""

from __future__ import annotations

import pytest

from pipelines.extractor.article import extract_article

TITLE = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ mười lăm bàn nhiệm vụ năm 2027"
SAPO = ("Năm 2026, trong bối cảnh còn nhiều khó khăn, thách thức, tỉnh đã hoàn thành và vượt "
        "22/24 chỉ tiêu chủ yếu, tạo nền tảng vững chắc cho các mục tiêu của năm 2027.")
BODY = [
    "Theo báo cáo của UBND tỉnh, năm 2026 tốc độ tăng trưởng tổng sản phẩm trên địa bàn ước "
    "đạt 10,2%, cao hơn mức bình quân chung; thu ngân sách đạt hơn 58 nghìn tỷ đồng.",
    "Các dự án hạ tầng giao thông trọng điểm như tuyến đường bao biển, cầu nối hai huyện ven "
    "biển được đẩy nhanh tiến độ, nhiều hạng mục hoàn thành trước thời hạn hai tháng.",
    "Phát biểu chỉ đạo, đồng chí Bí thư Tỉnh ủy đề nghị các cấp, các ngành rà soát từng chỉ "
    "tiêu, xác định rõ nguyên nhân của những tồn tại để có giải pháp khắc phục cụ thể.",
]
MENU = "".join(f'<li><a href="/muc-{i}">{name}</a></li>' for i, name in enumerate(
    ["Trang chủ", "Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao"]))
CRUMB = '<a href="/">Trang chủ</a> &gt; <a href="/thoi-su">Thời sự</a>'
FOOTER = ("Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Chịu trách nhiệm chính: Giám đốc Trung tâm "
          "Truyền thông tỉnh. Giấy phép số 125/GP-TTĐT.")
URL = "https://baotinh.example.vn/thoi-su/hoi-nghi-lan-thu-muoi-lam-a71001.html"
PARAGRAPHS = "".join(f"<p>{p}</p>" for p in BODY) + "<p><strong>Minh Hà</strong></p>"


def named(lead: str, body: str = PARAGRAPHS, meta: str = "") -> str:
    """A template whose body container a class names; the lead above it."""
    return _page(f"""<body><ul class="menu">{MENU}</ul><div class="breadcrumb">{CRUMB}</div>
<h1 class="article__title">{TITLE}</h1><div class="article__meta">01/12/2026 08:30</div>
{lead}<div class="article__body">{body}</div>
<footer class="footer">{FOOTER}</footer></body>""", meta)


def div_soup(lead: str, body: str = PARAGRAPHS, meta: str = "") -> str:
    """No class anywhere: the story is read from its headline on."""
    return _page(f"""<body><div><div><ul>{MENU}</ul></div><div><div>{CRUMB}</div>
<h1>{TITLE}</h1><div>Cập nhật: 08:30 | 30/11/2026</div>{lead}<div>{body}</div></div>
<div><p>{FOOTER}</p></div></div></body>""", meta)


def layout_tables(lead: str, body: str = PARAGRAPHS, meta: str = "") -> str:
    """An ASP.NET-era page in layout tables: the headline's cell holds the lead too."""
    return _page(f"""<body><table width="1000"><tr><td><img src="/banner.jpg"></td></tr>
<tr><td><table><tr><td>{CRUMB}</td></tr><tr><td><span class="title">{TITLE}</span></td></tr>
<tr><td><span id="lblDate">01/12/2026 08:30</span></td></tr><tr><td>{lead}</td></tr>
<tr><td><span id="lblContent">{body}</span></td></tr></table></td></tr>
<tr><td>{FOOTER}</td></tr></table></body>""", meta)


def _page(body: str, meta: str) -> str:
    meta = f'<meta name="description" content="{meta}">' if meta else ""
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f"{meta}</head>{body}</html>")


def _once(text: str, phrase: str) -> bool:
    return text.count(phrase) == 1


LEADS = {
    "bold div": f"<div><b>{SAPO}</b></div>",
    "strong paragraph": f"<p><strong>{SAPO}</strong></p>",
    "h2": f"<h2>{SAPO}</h2>",
    "h3": f"<h3>{SAPO}</h3>",
    "bold by its style": f'<p style="font-weight:bold">{SAPO}</p>',
    "700 by its style": f'<div style="font-weight: 700;">{SAPO}</div>',
    "bold in two pieces": f"<p><b>{SAPO[:40]}</b><strong>{SAPO[40:]}</strong></p>",
    "italic throughout": f"<p><em>{SAPO}</em></p>",
}


@pytest.mark.parametrize("template", [named, div_soup, layout_tables])
@pytest.mark.parametrize("lead", list(LEADS))
def test_a_lead_set_apart_under_the_headline_is_the_sapo(template, lead) -> None:
    # no class names it, no meta description repeats it: it is the story's first block of
    # prose under the headline and its dateline, and it is set apart as a lead is
    result = extract_article(template(LEADS[lead]), URL)
    assert result["description"] == SAPO
    assert result["text"].startswith(SAPO)
    assert _once(result["text"], SAPO)
    for phrase in BODY:
        assert _once(result["text"], phrase), phrase


def test_a_lead_the_meta_description_cuts_short_is_still_the_sapo() -> None:
    cut = SAPO[:80].rsplit(" ", 1)[0] + "..."
    result = extract_article(named(f"<div><strong>{SAPO}</strong></div>", meta=cut), URL)
    assert result["description"] == SAPO


def test_a_bold_first_paragraph_inside_the_body_is_the_sapo() -> None:
    result = extract_article(named("", body=f"<p><strong>{SAPO}</strong></p>{PARAGRAPHS}"), URL)
    assert result["description"] == SAPO
    assert result["text"].startswith(SAPO) and _once(result["text"], SAPO)


@pytest.mark.parametrize("template", [named, div_soup])
@pytest.mark.parametrize("first", [
    f"<p><strong>HẠ LONG -</strong> {BODY[0]}</p>",  # a bold place name
    f"<p><b>{BODY[0].split('; ')[0]};</b> {BODY[0].split('; ')[1]}</p>",  # a bold first sentence
])
def test_a_first_paragraph_bold_only_in_part_is_body_not_a_sapo(template, first) -> None:
    body = first + "".join(f"<p>{p}</p>" for p in BODY[1:])
    result = extract_article(template("", body=body), URL)
    assert not result["description"] or BODY[0][:60] not in result["description"]
    lines = result["text"].split("\n")
    assert lines[0].endswith(BODY[0])  # whole: the bold part is not cut out as a lead


def test_an_italic_caption_under_a_lead_photo_is_not_the_sapo() -> None:
    caption = ("Các đại biểu dự hội nghị lần thứ mười lăm Ban Chấp hành Đảng bộ tỉnh sáng 1/12 "
               "tại Trung tâm Hội nghị tỉnh.")
    result = extract_article(div_soup(f'<div><img src="/u/a.jpg"></div><p><em>{caption}</em></p>'),
                             URL)
    assert result["description"] != caption
    assert caption in result["text"]


def test_the_dateline_row_with_its_byline_is_passed_over_and_left_out() -> None:
    row = "Thứ Ba, 01/12/2026 - 08:30 | Tác giả: Nguyễn Thanh Tùng - Trung tâm Truyền thông tỉnh"
    result = extract_article(div_soup(f"<div>{row}</div><div><b>{SAPO}</b></div>"), URL)
    assert result["description"] == SAPO
    assert result["text"].startswith(SAPO)
    assert "Tác giả" not in result["text"]


def test_a_lead_broken_by_a_line_break_reads_as_one_paragraph() -> None:
    head, tail = SAPO.split(", ", 1)
    for template in (named, div_soup):
        result = extract_article(template(f"<div><b>{head},<br>{tail}</b></div>"), URL)
        assert result["description"] == SAPO
        assert result["text"].split("\n")[0] == SAPO
        assert result["text"].count(tail) == 1


@pytest.mark.parametrize("template", [div_soup, layout_tables])
@pytest.mark.parametrize("lead, sapo", [
    (f'<div class="sapo">{SAPO}</div>', SAPO),
    (f"<div><b>{SAPO}</b></div>", SAPO),
    (f'<div class="sapo">(Baoquangninh.vn) - {SAPO}</div>', f"(Baoquangninh.vn) - {SAPO}"),
])
def test_a_lead_the_page_repeats_as_its_first_paragraph_is_stored_once(template, lead, sapo):
    # "the lead is shown twice when the description equals the first paragraph" (issue 12)
    result = extract_article(template(lead, body=f"<p>{SAPO}</p>{PARAGRAPHS}", meta=SAPO), URL)
    assert result["description"] == sapo
    assert result["text"].startswith(sapo)
    assert _once(result["text"], SAPO)


def test_a_sapo_class_in_a_layout_tables_cell_is_the_sapo() -> None:
    # the cell holds the headline and all under it: no body box that the lead sits inside
    other = "Hội nghị lần thứ 15 bàn nhiệm vụ năm 2027: tăng trưởng trên 10%."
    result = extract_article(layout_tables(f'<p class="lead"><b>QNP - </b>{SAPO}</p>', meta=other),
                             URL)
    assert result["description"] == f"QNP - {SAPO}"


def test_a_div_soup_body_read_from_its_block_holds_its_first_paragraph_once() -> None:
    # a longer story: trafilatura's text starts at the body's first paragraph and is tried
    # without that line; the block holding the rest, read from the headline on, holds it too
    more = ["Cũng theo báo cáo, công tác an sinh xã hội được quan tâm thực hiện đầy đủ, kịp "
            "thời; toàn tỉnh đã hỗ trợ xây mới hơn 1.200 căn nhà cho hộ nghèo, hộ cận nghèo.",
            "Bên cạnh những kết quả đạt được, hội nghị cũng thẳng thắn chỉ ra hạn chế như tiến độ "
            "giải ngân vốn đầu tư công ở một số dự án còn chậm, giải phóng mặt bằng vướng mắc."]
    body = "".join(f"<p>{p}</p>" for p in [*BODY, *more]) + "<p><strong>Minh Hà</strong></p>"
    result = extract_article(div_soup(f"<div><b>{SAPO}</b></div>", body=body), URL)
    for phrase in [SAPO, *BODY, *more]:
        assert _once(result["text"], phrase), phrase


def test_a_logo_in_the_h1_does_not_make_the_headline_the_sapo() -> None:
    # the site's logo is its <h1>; the story's headline an <h2> as long as a lead
    html = _page(f"""<body><h1><a href="/"><img src="/logo.png" alt="Báo Tỉnh"></a></h1>
<ul>{MENU}</ul><div><h2>{TITLE}</h2><div>01/12/2026 08:30</div><div><b>{SAPO}</b></div>
<div>{PARAGRAPHS}</div></div><div><p>{FOOTER}</p></div></body>""", "")
    result = extract_article(html, URL)
    assert result["description"] == SAPO
    assert TITLE not in result["text"]


def test_an_interview_opening_with_a_bold_question_has_no_sapo() -> None:
    question = ("Thưa ông, đâu là điểm nghẽn lớn nhất của ngành du lịch tỉnh trong những năm "
                "gần đây?")
    result = extract_article(named("", body=f"<p><strong>{question}</strong></p>{PARAGRAPHS}"),
                             URL)
    assert result["description"] != question
    assert result["text"].startswith(question)


# a lead set apart only by its class: a stylesheet rule of the page, or a name that says bold
CLASS_LEADS = {
    "a <style> rule": f"<style>.bt-01{{font-weight:bold}}</style><p class=\"bt-01\">{SAPO}</p>",
    "a descendant rule, 700": ("<style>.detail .p-first { font-size: 16px; font-weight: 700; }"
                               f'</style><div class="p-first">{SAPO}</div>'),
    "a rule in a media query": ("<style>@media (min-width: 768px) { p.desc { font-weight: 600 } }"
                                f'</style><p class="desc">{SAPO}</p>'),
    "on its wrapper": f'<style>.tt{{font-weight:bold}}</style><div class="tt"><p>{SAPO}</p></div>',
    "fw-bold": f'<p class="fw-bold">{SAPO}</p>',
    "font-bold": f'<div class="text-base font-bold">{SAPO}</div>',
    "font-weight-bold": f'<p class="font-weight-bold mb-3">{SAPO}</p>',
    "txt-bold": f'<p class="txt-bold">{SAPO}</p>',
}


@pytest.mark.parametrize("template", [named, div_soup])
@pytest.mark.parametrize("lead", list(CLASS_LEADS))
def test_a_lead_bold_by_its_class_is_the_sapo(template, lead) -> None:
    result = extract_article(template(CLASS_LEADS[lead]), URL)
    assert result["description"] == SAPO
    assert result["text"].startswith(SAPO)
    assert _once(result["text"], SAPO)


@pytest.mark.parametrize("lead", [
    f"<style>.lead-x{{font-weight:normal;font-style:normal}}</style><p class=\"lead-x\">{SAPO}</p>",
    # the last rule naming the class decides, as in the browser
    f"<style>.st{{font-weight:bold}} .st{{font-weight:400}}</style><p class=\"st\">{SAPO}</p>",
    f'<p class="text-muted">{SAPO}</p>',
    f'<p class="bold-links-below">{SAPO}</p>',  # a name that says bold of something else
])
def test_a_first_paragraph_whose_class_sets_no_bold_is_no_sapo(lead) -> None:
    result = extract_article(named("", body=lead + PARAGRAPHS), URL)
    assert result["description"] != SAPO
    assert _once(result["text"], SAPO)
