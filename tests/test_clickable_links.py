"""Links a portal makes without ``<a href>``, and ASP.NET pagers a GET cannot turn (thirteenth
session's probe of local sites, crawled without a profile).

* Rows and cards made links by a script: ``<tr onclick="window.location.assign('…')">``,
  ``location.replace('…')`` and ``<div data-link="…">`` were no links (6 of 16 articles found
  on a portal listing its news so; the other ways, ``location.href =``, ``document.location.href
  =``, ``self.location =``, were read already). Its section pages, whose teasers are such rows,
  were stored as articles (the classifier read ``<a>`` only).
* ``WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions("ctl00$…$lnk2", …))`` (a
  LinkButton that validates the form) and a pager of ``<input type="submit">`` buttons: the
  listing's second page was never asked for, and nothing said so (13 of 16 stored).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from conftest import PagesHandler, crawl_site, query
from test_old_portal_links import TITLES as OLD_PORTAL_TITLES
from test_old_portal_links import story

from crawler.discovery import Postback, find_pager
from crawler.spiders.news import page_links
from pipelines.extractor.article import extract_article

TITLES = {**OLD_PORTAL_TITLES,  # the old-portal probe's six stories, and two more
          7: "Ngư dân ra khơi đánh bắt hải sản sau đợt áp thấp nhiệt đới",
          8: "Trường tiểu học tổ chức ngày hội đọc sách cho học sinh"}  # fmt: skip
VIEWSTATE = "<input type='hidden' name='__VIEWSTATE' value='{}'>"


def page(title: str, main: str) -> bytes:
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            "</head><body><nav><a href='/'>Trang chủ</a> <a href='/Pages/TinTuc.aspx'>Tin tức"
            "</a> <a href='/Pages/SuKien.aspx'>Sự kiện</a></nav><main>"
            f"{main}</main><footer>Cổng thông tin điện tử huyện</footer></body></html>").encode()


def article(n: int) -> bytes:
    return page(TITLES[n], story(n, TITLES[n]))


def row(n: int, dated: bool = True) -> str:  # a table row a script makes a link
    return (f"<tr onclick=\"window.location.assign('/tin/bai-{n}.aspx')\"><td>{TITLES[n]}</td>"
            + ("<td>12/12/2025</td>" if dated else "") + "</tr>")


def card(n: int) -> str:  # a card naming its page in data-link, or replacing the page
    if n % 2:
        return f"<div class='card' data-link='/tin/bai-{n}.aspx'><h3>{TITLES[n]}</h3></div>"
    return f"<li onclick=\"location.replace('/tin/bai-{n}.aspx')\">{TITLES[n]}</li>"


def webform_link(control: str, text: str) -> str:
    return ("<a href=\"javascript:WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions("
            f"&quot;ctl00$Main$Pager${control}&quot;, &quot;&quot;, true, &quot;&quot;, "
            f"&quot;&quot;, false, true))\">{text}</a>")


def news_list(number: int) -> bytes:
    """Tin tức: rows of a table, paged by WebForm_PostBackOptions links."""
    rows = "".join(row(n) for n in ((1, 2) if number == 1 else (3, 4)))
    pager = (f"<span>1</span> {webform_link('lnk2', '2')} {webform_link('lnkNext', 'Trang sau')}"
             if number == 1 else f"{webform_link('lnk1', '1')} <span>2</span>")
    return page("Tin tức", (
        f"<form method='post' action='/Pages/TinTuc.aspx'>{VIEWSTATE.format(f'p{number}')}"
        f"<h1>Tin tức</h1><table>{rows}</table><div class='pager'>{pager}</div></form>"))


def events_list(number: int) -> bytes:
    """Sự kiện: cards, paged by submit buttons."""
    cards = "".join(card(n) for n in ((5, 6, 7) if number == 1 else (8,)))
    pager = ("<span>1</span> <input type='submit' name='ctl00$Main$btn2' value='2'> "
             "<input type='submit' name='ctl00$Main$btnNext' value='Trang sau'>" if number == 1
             else "<input type='submit' name='ctl00$Main$btn1' value='1'> <span>2</span>")
    return page("Sự kiện", (
        f"<form method='post' action='/Pages/SuKien.aspx'>{VIEWSTATE.format(f'p{number}')}"
        "<input type='text' name='q'><input type='submit' name='ctl00$Main$btnSearch' "
        f"value='Tìm'><h1>Sự kiện</h1><ul>{cards}</ul><div class='pager'>{pager}</div></form>"))


def portal_page(path: str) -> bytes | None:
    if path == "/":
        return page("Trang chủ", "<h2>Tin mới</h2><table>" + row(1) + "</table>")
    if path == "/Pages/TinTuc.aspx":
        return news_list(1)
    if path == "/Pages/SuKien.aspx":
        return events_list(1)
    if path.startswith("/tin/bai-") and path[9:-5].isdigit():
        return article(int(path[9:-5])) if int(path[9:-5]) in TITLES else None
    return None


class ClickablePortal(PagesHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        self.server.paths.append("POST " + self.path + " " + " ".join(sorted(form)))
        clicked = form.get("__EVENTTARGET") or next(
            (k for k in form if k.startswith("ctl00$Main$btn")), "")
        wanted = 2 if clicked.endswith(("2", "Next")) else 1
        lists = {"/Pages/TinTuc.aspx": news_list, "/Pages/SuKien.aspx": events_list}
        self.send_answer(lists[self.path](wanted) if self.path in lists else None)


@pytest.fixture(scope="module")
def clickable_crawl(tmp_path_factory):
    crawl = crawl_site(portal_page, tmp_path_factory.mktemp("clickable"), handler=ClickablePortal)
    return crawl.db_path, crawl.paths


@pytest.mark.e2e
def test_rows_cards_and_postback_pages_lead_to_every_article(clickable_crawl):
    db_path, paths = clickable_crawl
    stored = sorted(row["title"] for row in query(db_path, "SELECT title FROM articles"))
    assert stored == sorted(TITLES.values())  # each once; the section pages are no articles
    kinds = [(r["url"].rsplit("/", 1)[-1], r["page_kind"]) for r in query(
        db_path, "SELECT url, page_kind FROM captures WHERE url LIKE '%/Pages/%'")]
    # each section's first page a listing (its posted second page, of one or two rows, is
    # "other"): none an article
    assert {("TinTuc.aspx", "listing"), ("SuKien.aspx", "listing")} <= set(kinds)
    assert "article" not in {kind for _, kind in kinds}
    posts = [p for p in paths if p.startswith("POST")]
    assert len(posts) == 2  # page 2 of each listing once, by its number and by "Trang sau"
    assert not [p for p in posts if "btnSearch" in p]  # the search button is never clicked


def test_rows_and_cards_named_by_a_script_are_links():
    body = (b"<tr onclick=\"window.location.assign('/tin/1.aspx')\"><td>a</td></tr>"
            b"<li onclick='location.replace(\"/tin/2.aspx\")'>b</li>"
            b"<div class='card' data-link='/tin/3.aspx'>c</div>"
            b"<div onclick=\"location.assign(this.dataset.url)\">d</div>"  # names no page
            b"<span onclick=\"location.assign('mailto:toasoan@h.vn')\">e</span>")
    links = page_links(body, "http://h.vn/tin-tuc")
    assert "http://h.vn/tin/1.aspx" in links and "http://h.vn/tin/2.aspx" in links
    assert "http://h.vn/tin/3.aspx" in links
    assert not [u for u in links if "dataset" in u]  # (mailto: is the spider's to drop)


def test_a_webform_postback_pager_and_a_submit_pager_are_postbacks():
    url = "http://h.vn/Pages/TinTuc.aspx"
    pager = find_pager(news_list(1), url, [])
    assert Postback("ctl00$Main$Pager$lnk2", "", 2) in pager.postbacks
    assert Postback("ctl00$Main$Pager$lnkNext", "", None, True) in pager.postbacks
    pager = find_pager(events_list(1), url, [])
    assert pager.postbacks == [Postback("ctl00$Main$btn2", "", 2, button=True),
                               Postback("ctl00$Main$btnNext", "", None, True, button=True)]
    without_form = events_list(1).replace(b"__VIEWSTATE", b"__OTHER")
    assert find_pager(without_form, url, []).postbacks == []  # nothing to post back


def test_a_section_of_clickable_rows_is_a_listing():
    url = "http://h.vn/Pages/TinTuc.aspx"
    rows = "".join(row(n, dated=False) for n in (1, 2, 3, 4))  # (dated rows: a list anyway)
    listing = page("Tin tức", f"<h1>Tin tức</h1><table>{rows}</table>").decode()
    result = extract_article(listing, url)
    assert result["page_kind"] == "listing"
    # the same rows under an article (its "Tin khác") leave it an article
    story = article(8).decode().replace("</main>", f"<h3>Tin khác</h3><table>{rows}</table></main>")
    result = extract_article(story, "http://h.vn/tin/bai-8.aspx")
    assert result["page_kind"] == "article" and "đời sống của bà con" in result["text"]
