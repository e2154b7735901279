"""Related blocks whose links look unusual (issue 12, item 4): every story link of a block
recognised as related is a related link, whatever its URL or its text looks like.

* a page's ``<base href>`` is what its relative links are read against (before, the related
  finder read them against the page's own URL: every link of the block led elsewhere);
* a list item whose one story link shows a short headline ("Vỉa hè", "Nước sạch") is a member
  (before, a link of no article look needed three words), while a card's category label, a
  pager's "2", another site and a footer's short links stay out;
* a crawl of a local site with such blocks stores every related link, and each leads to a
  stored story.

Every page is written for the test (no publisher text).
"""

from __future__ import annotations

import pytest
from conftest import crawl_site, query

from pipelines.extractor.article import extract_article

HOST = "https://baotinh.vn"
PAGE = f"{HOST}/thoi-su/hoi-nghi-tong-ket.html"
TITLE = "Hội nghị tổng kết công tác phòng chống thiên tai năm nay"
BODY = [
    "Sáng ngày 24 tháng 11, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống "
    "thiên tai năm nay với sự tham dự của lãnh đạo các sở ngành và địa phương trong tỉnh.",
    "Theo báo cáo, trong năm các địa phương đã gia cố hơn mười kilômét đê kè, di dời hàng nghìn "
    "hộ dân ra khỏi vùng nguy hiểm và tổ chức diễn tập ứng phó tại nhiều xã ven biển.",
    "Phát biểu kết luận, đồng chí Phó Chủ tịch đề nghị các đơn vị rút kinh nghiệm, chủ động "
    "phương án cho mùa mưa bão tới, bảo đảm an toàn tính mạng và tài sản của nhân dân.",
]
# the section's stories, in the page's folder; their titles are short
STORIES = [("/thoi-su/via-he.html", "Vỉa hè"), ("/thoi-su/nuoc-sach.html", "Nước sạch"),
           ("/thoi-su/trong-rung.html", "Trồng rừng")]
URLS = [HOST + path for path, _ in STORIES]


def page(after: str, head: str = "", url_host: str = HOST) -> str:
    story = "".join(f"<p>{p}</p>" for p in BODY)
    return (f"<html lang='vi'><head><meta charset='utf-8'>{head}<title>{TITLE}</title></head>"
            f"<body><ul class='menu'><li><a href='{url_host}/'>Trang chủ</a></li>"
            f"<li><a href='{url_host}/thoi-su'>Thời sự</a></li></ul><div class='row'>"
            f"<div class='col-8'><h1>{TITLE}</h1><div class='date'>24/11/2025 09:30</div>"
            f"<div class='article-body'>{story}</div>{after}</div><div class='col-4'>"
            "<div class='box'><h3>Đọc nhiều nhất</h3><ul><li>"
            "<a href='/thoi-su/hop-bao-40001.html'>Họp báo định kỳ quý bốn của tỉnh năm nay</a>"
            "</li></ul></div></div></div></body></html>")


def related_of(html: str, url: str = PAGE) -> tuple[list[str], str]:
    result = extract_article(html, url)
    assert result is not None
    return [r["url"] for r in result["related"]], result["text"]


def test_base_href_resolves_a_blocks_relative_links():
    items = "".join(f"<li><a href='{p.rsplit('/', 1)[1]}'>Tin tức số {i} về công tác của tỉnh "
                    "năm nay</a></li>" for i, (p, _) in enumerate(STORIES))
    html = page(f"<div class='x'><h3>Tin liên quan</h3><ul>{items}</ul></div>",
                head="<base href='/tin/'>")
    found, text = related_of(html)
    assert found == [f"{HOST}/tin/via-he.html", f"{HOST}/tin/nuoc-sach.html",
                     f"{HOST}/tin/trong-rung.html"]
    assert "Tin tức số 1" not in text and BODY[2] in text
    assert extract_article(html, PAGE)["page_kind"] == "article"


@pytest.mark.parametrize("items", [
    "".join(f"<li><a href='{p}'>{t}</a></li>" for p, t in STORIES),
    "".join(f"<tr><td><a href='{p}'>{t}</a></td></tr>" for p, t in STORIES),
    "".join(f"<li><a href='{p}'><img src='/a.jpg' alt=''></a> <a href='{p}'>{t}</a></li>"
            for p, t in STORIES),
], ids=["list", "table", "thumbnails"])
def test_short_headlines_of_a_related_list_are_its_members(items):
    if items.startswith("<tr>"):
        html = page(f"<table class='other'><tr><td>Tin cùng chuyên mục</td></tr>{items}</table>")
    else:
        html = page(f"<div class='other'><h3>Tin khác</h3><ul>{items}</ul></div>")
    found, text = related_of(html)
    assert found == URLS
    assert "Nước sạch" not in text and "Trồng rừng" not in text
    assert "Họp báo định kỳ" not in text  # the sidebar's box is no related block either
    assert f"{HOST}/thoi-su/hop-bao-40001.html" not in found


def test_short_links_of_a_related_block_need_a_story_list():
    # a block reaching a list of short links further on (a footer's) keeps its stories only
    stories = "".join(f"<li><a href='/xa-hoi/{p.rsplit('/', 1)[1]}'>Tin tức về {t.lower()} "
                      "của tỉnh năm nay</a></li>" for p, t in STORIES)
    footer = ("<ul><li><a href='/thoi-su/gioi-thieu.html'>Giới thiệu</a></li>"
              "<li><a href='/thoi-su/lien-he.html'>Liên hệ</a></li></ul>")
    found, _ = related_of(page(f"<div class='x'><h3>Tin liên quan</h3><ul>{stories}</ul>"
                               f"<div class='foot'>{footer}</div></div>"))
    assert found == [f"{HOST}/xa-hoi/{p.rsplit('/', 1)[1]}" for p, _ in STORIES]
    # a first list of short links is of stories only in the page's folder: a footer's "Xem
    # thêm" over the site's pages of the page's shape elsewhere, or over sections, is not
    for links in (("/thong-tin/gioi-thieu.html", "Giới thiệu"), ("/thong-tin/lien-he.html",
                                                                  "Liên hệ")), \
                 (("/xa-hoi", "Xã hội"), ("/kinh-te", "Kinh tế")):
        items = "".join(f"<li><a href='{p}'>{t}</a></li>" for p, t in links)
        found, _ = related_of(page(f"<div class='x'><h3>Xem thêm</h3><ul>{items}</ul></div>"))
        assert found == []


def test_a_category_label_beside_a_short_headline_stays_out():
    items = "".join(f"<li><a class='cat' href='/chuyen-muc/xa-hoi'>Xã hội</a> "
                    f"<a href='{p}'>{t}</a> <span>24/12/2025</span></li>" for p, t in STORIES)
    html = page(f"<div class='x'><h3>Tin cùng chuyên mục</h3><ul>{items}</ul></div>")
    found, _ = related_of(html)
    assert found == URLS


def test_pagers_other_sites_and_mail_stay_out_of_a_block_of_short_headlines():
    items = "".join(f"<li><a href='{p}'>{t}</a></li>" for p, t in STORIES)
    html = page(f"<div class='x'><h3>Các tin đã đưa</h3><ul>{items}"
                "<li><a href='https://baokhac.vn/xa-hoi/via-he.html'>Vỉa hè</a></li>"
                "<li><a href='mailto:toasoan@baotinh.vn'>Tòa soạn</a></li>"
                "<li><a href='javascript:void(0)'>Chia sẻ</a></li>"
                f"<li><a href='{PAGE}#binh-luan'>Bình luận</a></li></ul>"
                "<ul class='pager'><li><a href='/thoi-su/trang-2.html'>2</a></li>"
                "<li><a href='/thoi-su/trang-3.html'>»</a></li></ul></div>")
    found, _ = related_of(html)
    assert found == URLS


def test_department_sub_sites_of_a_province_portal_are_its_related_links():
    # sxd.quangninh.gov.vn is the province portal's construction department: one publisher,
    # the same registered name (quangninh.gov.vn), so its stories are related links
    portal = "https://quangninh.gov.vn"
    html = page("<div class='x'><h3>Tin liên quan</h3><ul>"
                "<li><a href='https://sxd.quangninh.gov.vn/tin-tuc/xay-dung.html'>Cấp phép</a></li>"
                "<li><a href='/tin-tuc/nuoc-sach.html'>Nước sạch</a></li>"
                "<li><a href='https://www.quangninh.gov.vn/tin-tuc/trong-rung.html'>Trồng rừng</a>"
                "</li></ul></div>", url_host=portal)
    found, _ = related_of(html, f"{portal}/tin-tuc/hoi-nghi.html")
    assert found == ["https://sxd.quangninh.gov.vn/tin-tuc/xay-dung.html",
                     f"{portal}/tin-tuc/nuoc-sach.html",
                     "https://www.quangninh.gov.vn/tin-tuc/trong-rung.html"]


# a local site: a home page listing one story, whose page reads its links against
# <base href="/tin/"> and ends with two related blocks, one of relative links (the base's
# folder), one of short titles in the page's own folder; every linked story is served
STORY = "/thoi-su/hoi-nghi-tong-ket.html"
BASE_STORIES = {"/tin/cap-nuoc-sach.html": "Xã đảo khánh thành trạm cấp nước sạch cho dân",
                "/tin/chuyen-doi-so.html": "Tỉnh đẩy mạnh chuyển đổi số trong thủ tục hành chính"}
LINKED = {**BASE_STORIES, **dict(STORIES)}


def story_page(title: str, n: int, after: str = "", head: str = "") -> str:
    story = "".join(f"<p>{p.replace('24 tháng 11', f'{n} tháng 11')}</p>" for p in BODY)
    return (f"<html lang='vi'><head><meta charset='utf-8'>{head}<title>{title}</title></head>"
            f"<body><ul class='menu'><li><a href='/'>Trang chủ</a></li></ul><h1>{title}</h1>"
            f"<div class='date'>{n}/11/2025 09:30</div><div class='article-body'><p>{title}, "
            f"bài số {n}.</p>{story}</div>{after}</body></html>")


def local_site(path: str):
    if path == "/":
        return (f"<html lang='vi'><body><h1>Báo Tỉnh</h1><ul><li><a href='{STORY}'>{TITLE}</a>"
                "</li></ul></body></html>")
    if path == STORY:
        relative = "".join(f"<li><a href='{p.rsplit('/', 1)[1]}'>{t}</a></li>"
                           for p, t in BASE_STORIES.items())
        short = "".join(f"<li><a href='{p}'>{t}</a></li>" for p, t in STORIES)
        return story_page(TITLE, 1, head="<base href='/tin/'>", after=(
            f"<div class='box'><h3>Tin liên quan</h3><ul>{relative}</ul></div>"
            f"<div class='box'><div class='title'>Tin cùng chuyên mục</div><ul>{short}</ul></div>"))
    if path in LINKED:
        return story_page(LINKED[path], 2 + list(LINKED).index(path))
    return None


@pytest.mark.e2e
def test_a_crawl_stores_every_related_link_and_finds_the_stories_they_lead_to(tmp_path):
    crawl = crawl_site(local_site, tmp_path)
    rows = query(crawl.db_path, "SELECT r.to_url, r.block, a.title FROM related_links r "
                 "LEFT JOIN articles a ON a.url = r.to_url WHERE r.from_url = ? "
                 "ORDER BY r.position", (crawl.base + STORY,))
    assert [(r["to_url"], r["block"]) for r in rows] == [
        *((crawl.base + p, "Tin liên quan") for p in BASE_STORIES),
        *((crawl.base + p, "Tin cùng chuyên mục") for p, _ in STORIES)]
    # followed, each related link is a stored story
    assert [r["title"] for r in rows] == list(LINKED.values())
    text = query(crawl.db_path, "SELECT text FROM articles WHERE url = ?",
                 (crawl.base + STORY,))[0]["text"]
    assert BODY[1] in text
    assert not [t for t in LINKED.values() if t in text]
