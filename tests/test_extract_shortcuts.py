"""The shortcuts that keep extraction cheap give what the long way gives.

Each shortcut of ``pipelines/extractor`` (bench/extract_bench.py measures what they save) is
compared here with the computation it replaces, on small synthetic pages: trafilatura's
metadata read only for the fields asked, the page normalised to NFC in pieces, trafilatura
handed the parsed tree without a copy of ours, trafilatura's options built once, the related-box
helpers that stop reading early.
"""

from __future__ import annotations

import lxml.html
import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor

from pipelines.extractor import article, dates, lines
from pipelines.extractor.article import extract_article
from pipelines.extractor.classify import _ARTICLE_BODY_PROP
from pipelines.extractor.dates import find_published, find_updated, named_elements, text_under
from pipelines.extractor.lines import _agrees, _tokens
from pipelines.extractor.metadata import _trafilatura_metadata
from pipelines.extractor.recovery import _FAST, _PLAIN, _options, _trafilatura_text
from pipelines.extractor.related import _MARKED, _any_after, _short_text
from pipelines.extractor.source import _nfc_page, _parse
from pipelines.text import nfc

URL = "https://example.org/news/2024/05/city-opens-new-library-branch.html"
PAGE = """<html lang="en"><head><title>City opens new library branch | Example Daily</title>
<meta property="og:image" content="/img/library.jpg">
<meta name="description" content="The eastern district gets its first public library.">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-03"}
</script></head><body>
<header><a href="/">Example Daily</a></header>
<article><h1>City opens new library branch in the eastern district</h1>
<p class="byline">By <span class="author-name">Jane Q. Reporter</span></p>
<time datetime="2024-05-03">3 May 2024</time>
<p>The city opened its newest library branch on Friday, the first public library in the
eastern district, after three years of planning and construction work.</p>
<p>The branch holds forty thousand books, a children's room and a small theatre that local
schools may book free of charge during the week.</p>
<figure><img src="/img/shelves.jpg"><figcaption>The new reading room.</figcaption></figure>
</article><footer><p>© Example Daily</p></footer></body></html>"""


@pytest.mark.parametrize("asked", [
    {"title": True, "author": True, "date": True},
    {"title": False, "author": True, "date": False},
    {"title": True, "author": False, "date": True},
])
def test_trafilatura_metadata_gives_what_extract_metadata_gives(asked):
    tree = _parse(PAGE)
    full = extract_metadata(_parse(PAGE), URL, extensive=asked["date"]).as_dict()
    mine = _trafilatura_metadata(tree, URL, **asked)
    for field in ("image", "description", "language"):
        assert mine[field] == full[field]
    for field, wanted in asked.items():
        if wanted:
            assert mine[field] == full[field]
    # (trafilatura writes the author without the initial's full stop)
    assert full["author"] == "Jane Q Reporter" and full["date"] == "2024-05-03"


def test_trafilatura_text_leaves_the_tree_as_it_was():
    tree = _parse(PAGE)
    before = lxml.html.tostring(tree)
    text = _trafilatura_text(tree, URL)
    assert "forty thousand books" in text
    assert lxml.html.tostring(tree) == before


@pytest.mark.parametrize(("template", "arguments"), [
    (_FAST, {"fast": True, "include_comments": False}),
    (_PLAIN, {}),
])
def test_options_built_once_are_what_bare_extraction_builds(template, arguments):
    """Every field of the shared options (the date search's aside: no metadata is read) is the
    one ``bare_extraction(page, url=…, with_metadata=False, **arguments)`` sets itself."""
    url = "https://example.org/tin-t\u1ee9c/b\u00e0i-1.html"
    own = Extractor(output_format="python", url=url, with_metadata=False, tables=True,
                    fast=arguments.get("fast", False),
                    comments=arguments.get("include_comments", True))
    shared = _options(template, url)
    for name in Extractor.__slots__:
        if name != "date_params":
            assert getattr(shared, name) == getattr(own, name), name
    assert shared is not template and template.url is None


def test_nfc_page_is_nfc_of_the_whole_page():
    decomposed = "Vie\u0302\u0323t Nam "  # "Việt Nam" written decomposed (NFD)
    pages = [
        "",
        "  plain ascii <p>page</p>  ",
        "a\x00b",
        "<p>" + decomposed * 3000 + "</p><p>e\u0301</p>" * 2000,  # NFD text across piece cuts
        "<b>\u0301</b>" * 5000,  # a combining mark right after a tag: nothing to compose with
        ("Đà Nẵng <i>" + "x" * 4090 + "</i>") * 5,
    ]
    for page in pages:
        assert _nfc_page(page) == (nfc(page) or "")


def test_short_text_stops_at_the_limit_and_collapses_spaces():
    box = lxml.html.fromstring("<div> Tin <b>liên\n quan</b> <!-- x --></div>")
    assert _short_text(box, 40) == "Tin liên quan"
    assert _short_text(box, 12) is None  # "Tin liên quan" is 13 characters
    long = lxml.html.fromstring("<div>" + "<p>word word word</p>" * 50 + "</div>")
    assert _short_text(long, 40) is None
    spaces = lxml.html.fromstring("<div>" + "<p>   </p>" * 50 + "<p>Đọc thêm</p></div>")
    assert _short_text(spaces, 40) == "Đọc thêm"


def test_text_under_is_text_content_when_short():
    box = lxml.html.fromstring("<h3>Tin <span>khác</span>\n</h3>")
    assert text_under(box, 80) == box.text_content()
    assert text_under(box, 5) is None


@pytest.mark.parametrize("html", [
    "<div>\n    <div>\n      <span>Cập nhật:</span>\n      <span>12/03/2024 08:30</span>\n"
    "    </div>\n  </div>",  # a wrapper's indentation is most of its characters
    "<p>" + "Người dân xã Tân Lập đón nhận tin vui " * 6 + "</p>",  # one long piece
    "<div>  <b>Tin</b>   <i>liên</i>\t<u>quan</u>\n" + " " * 300 + "<p>Đọc thêm</p> </div>",
])
def test_text_under_gives_the_text_exactly_while_under_its_limit(html):
    box = lxml.html.fromstring(html)
    text = box.text_content()
    solid = len("".join(text.split()))
    for limit in range(1, solid + 3):
        assert text_under(box, limit) == (text if solid < limit else None), limit


def test_any_after_finds_links_that_follow_the_heading_only():
    block = lxml.html.fromstring(
        "<div><ul><li><a href='/a-1'>one</a></li></ul><div><h3>Tin khác</h3></div>"
        "<ul><li><a href='/b-2'>two</a></li></ul></div>")
    heading = block.find(".//h3")
    first, second = block.findall(".//a")
    assert _any_after(heading, block, {first, second})
    assert not _any_after(heading, block, {first})


# -- the walks of extract_article made cheaper (eleventh session), each against the long way --

from pipelines.extractor.boxes import _SHOP_HOST, _shop_link  # noqa: E402
from pipelines.extractor.headline import _TITLE_SEPARATOR, _ends_with_part  # noqa: E402
from pipelines.extractor.tree import _split, _text_of  # noqa: E402

WALKED = """<html><body><div class="menu"><a href="/">Trang chủ <b>tin</b></a> | <a href="/x">
<div>Một khối trong liên kết</div></a> rồi đến đoạn văn sau liên kết, đủ dài để tính là văn
xuôi của trang</div><p>Đoạn mở đầu của bài viết về lễ hội mùa xuân ở vùng núi phía bắc, dài
hơn sáu mươi ký tự<!-- ghi chú --> và còn tiếp sau ghi chú<br>dòng sau ngắt dòng đủ dài để
được tính là một dòng văn xuôi của trang</p><a href="/y">chữ trước<script>var x;</script>
<p>đoạn trong script không tính</p></a> phần đuôi sau liên kết thứ ba, đủ dài để được tính
là văn xuôi<p></p><span>chữ ngắn</span><a><span><p>lồng sâu</p></span></a> đuôi
<table><tr><td>Ô bảng với một câu dài đủ sáu mươi ký tự để được tính là văn xuôi của trang
này</td></tr></table><a href="/z"><script><p>khối trong script</p></script></a> đuôi cuối
cùng của trang, một câu dài hơn sáu mươi ký tự để được tính vào văn xuôi</body></html>"""


def test_text_of_is_text_content():
    tree = lxml.html.document_fromstring(WALKED)
    for el in tree.iter():
        if isinstance(el.tag, str):
            assert _text_of(el) == el.text_content()


@pytest.mark.parametrize("href", [
    "https://tiki.vn/sach", "https://TIKI.VN/x", "https://tiki.\tvn/x", "https://shop\nee.vn/",
    "https://example.org/tiki.vn", "https://apps.apple.com/app", "/tin-tuc/bai-viet.html",
    "https://www.amazon.co.uk/dp/1", "http://[::1", "https://play.google.com/store",
])
def test_shop_link_is_the_host_test(href):
    assert _shop_link(href) == bool(_SHOP_HOST.search(_split(href)[0]))


@pytest.mark.parametrize(("title", "part"), [
    ("bao tinh - le hoi mua xuan", "le hoi mua xuan"), ("le hoi | bao", "bao"), ("a -- b", "b"),
    ("x - b\n", "b"), ("x -b", "b"), ("b", "b"), ("a - b - c", "b - c"), ("a |  b", "b"),
])
def test_ends_with_part_is_the_pattern(title, part):
    import re
    expected = bool(re.search(_TITLE_SEPARATOR + re.escape(part) + "$", title))
    assert _ends_with_part(title, part) == expected


# Dates named by meta tags and by elements of the page, several names on one element, a name
# asked twice (the first value that reads as a date counts), an update written in UTC
# without an offset (the page shows the publication time seven hours later)
DATED = """<html><head><title>Tỉnh khánh thành cây cầu mới</title>
<meta name="pubdate" content="không phải ngày">
<meta property="article:published_time" content="2025-12-23T22:40:00">
<meta name="pubdate" content="2025-12-20T08:00:00">
<meta property="article:modified_time" content="2025-12-24T01:15:00">
</head><body><h1>Tỉnh khánh thành cây cầu mới</h1>
<span class="date">Thứ Tư, 24/12/2025 05:40</span>
<div itemprop="dateModified" name="lastmod">2025-12-25T09:00:00+07:00</div>
<time itemprop="datePublished" datetime="2025-12-19">19/12/2025</time>
<p>Sáng nay, tỉnh khánh thành cây cầu nối hai bờ sông sau ba năm thi công.</p>
</body></html>"""


@pytest.mark.parametrize("keep_offset", [False, True])
def test_dates_from_named_elements_walked_once_are_the_dates_walked_twice(keep_offset):
    tree = _parse(DATED)
    named = named_elements(tree)
    assert find_published(tree, keep_offset, named=named) == find_published(tree, keep_offset)
    assert find_updated(tree, keep_offset, named=named) == find_updated(tree, keep_offset)
    assert find_updated(tree) == "2025-12-24T08:15:00+07:00"  # (the UTC case is read)


def test_extract_article_walks_the_named_elements_once(monkeypatch):
    walks = []

    def counted(tree):
        walks.append(tree)
        return named_elements(tree)

    monkeypatch.setattr(dates, "named_elements", counted)
    monkeypatch.setattr(article, "named_elements", counted, raising=False)
    found = extract_article(DATED, "https://baotinh.vn/xa-hoi/khanh-thanh-cau-moi.html")
    assert found["updated"] == "2025-12-24T08:15:00+07:00"
    assert len(walks) == 1


def test_agrees_reads_no_text_against_no_lines(monkeypatch):
    tokenised = []

    def counted(text):
        tokenised.append(text)
        return _tokens(text)

    monkeypatch.setattr(lines, "_tokens", counted)
    page = "Một câu của trang, đọc bởi trafilatura.\n" * 50
    assert not _agrees([], page)
    assert page not in tokenised  # trafilatura's text (often the whole page's) is not read
    assert not _agrees(["Một câu của trang"], page)
    assert _agrees(["Một câu của trang, đọc bởi trafilatura."] * 50, page)


# data-component-type on the root itself (not a descendant: never selected), nested boxes,
# an empty value; itemprop values that are not articleBody, one that is, on any tag
MARKED = """<html data-component-type="page"><body>
<div data-component-type="related_news" data-component-value="12,13">
<section data-component-type=""><p itemprop="articleBodyx">Đoạn văn.</p></section></div>
<span itemprop="name">Tên</span><td itemprop="articlebody">x</td>
<main itemprop="articleBody"><p data-component-type="box">Nội dung bài.</p></main>
<ul><li onclick="location.href='/a'" data-url="/a">A</li><li data-link="/b">B</li></ul>
<div data-href="/c"><select onchange="location=this.value"></select><select></select></div>
</body></html>"""


def test_attribute_axis_xpaths_select_what_the_predicates_select():
    tree = _parse(MARKED)
    assert _MARKED.path.startswith("descendant::*/@")  # (libxml2: attributes only)
    assert _MARKED(tree) == tree.xpath(".//*[@data-component-type or @onclick or @data-href"
                                       " or @data-link or @data-url] | .//select[@onchange]")
    assert [el.tag for el in _MARKED(tree) if el.get("data-component-type") is not None] == [
        "div", "section", "p"]
    for page in (MARKED, MARKED.replace("articleBody\"", "articleBodyy\"")):
        tree = _parse(page)
        assert bool(_ARTICLE_BODY_PROP(tree)) == bool(tree.xpath("//*[@itemprop='articleBody']"))
    assert _ARTICLE_BODY_PROP(_parse(MARKED)) and not _ARTICLE_BODY_PROP(_parse(PAGE))
