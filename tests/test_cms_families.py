"""URL conventions of CMS families provincial portals run on, met by a generic crawl (tenth
session's probe of eight local sites: Liferay, SharePoint, DNN, Drupal, Joomla, WordPress, an
old ASP portal, and one whose articles and listings share one URL shape).

* Liferay signs every portlet link with ``p_p_auth=<token>``, a new token on every page view:
  the crawl met each article at a new URL on every page that linked it, and stored it again
  each time (3,643 rows for 16 articles before it was stopped). The token is checked only for
  a portlet shown outside its page; an asset publisher's friendly URL answers without it.
* The home page links its articles in another context than the section listings do: DNN's
  ``/tabid/36/ctl/Detail/mid/380/ItemID/N`` beside ``/tabid/57/…/mid/412/ItemID/N``, Joomla's
  ``id=N&Itemid=120`` beside ``id=N:slug&catid=3&Itemid=101`` (and so SharePoint without
  ``ContentTypeId``, an old ASP portal without ``catid``): 22 rows for 16 articles on five of
  the eight sites. The part naming the item is the one that varies between a page's teaser
  links; one item is one article only when its pages also show the same.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import query, run_tintuc, serve_pages

from crawler.urls import canonical_url

TITLES = [
    "Xã Quan Lạn khánh thành trường mầm non mới",
    "Huyện Cô Tô ra quân làm đường giao thông nông thôn",
    "Thị xã Quảng Yên tổng kết mùa vụ lúa đông xuân",
    "Xã Minh Châu trao nhà đại đoàn kết cho hộ nghèo",
    "Huyện Ba Chẽ tập huấn phòng chống dịch bệnh gia súc",
]
PORTLET = "com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_AbCd"
TOKENS = itertools.count(1000)


def liferay_link(n: int) -> str:
    """An article's link as Liferay renders it: a fresh ``p_p_auth`` on every page view."""
    return (f"/web/guest/tin-tuc/-/asset_publisher/AbCd/content/bai-{n}?p_p_id={PORTLET}"
            f"&amp;_{PORTLET}_assetEntryId={n}&amp;p_p_auth=T{next(TOKENS)}x")


def liferay_page(title: str, main: str) -> bytes:
    newest = "".join(f"<li><a href='{liferay_link(n)}'>{TITLES[n]}</a></li>" for n in range(3))
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><a href='/web/guest/tin-tuc'>Tin tức</a></nav><main>{main}</main><aside>"
            f"<h4>Tin mới</h4><ul>{newest}</ul></aside><footer>Cổng thông tin điện tử tỉnh"
            "</footer></body></html>").encode()


def liferay_site(asked: str) -> bytes | None:
    parts = urlsplit(asked)
    body = None
    if parts.path in ("/", "/web/guest/tin-tuc"):
        body = liferay_page("Tin tức", "<h1>Tin tức</h1>" + "".join(
            f"<h3><a href='{liferay_link(n)}'>{t}</a></h3><p>24/12/2025</p>"
            for n, t in enumerate(TITLES)))
    elif parts.path.startswith("/web/guest/tin-tuc/-/asset_publisher/AbCd/content/bai-"):
        n = int(parts.path.rsplit("-", 1)[1])
        body = liferay_page(TITLES[n], (
            f"<h1>{TITLES[n]}</h1><p class='date'>2{n}/12/2025 08:00</p><p>Sáng 2{n}/12, "
            f"{TITLES[n].lower()} với sự tham dự của lãnh đạo địa phương và đông đảo bà "
            f"con nhân dân trong vùng.</p><h4>Tin liên quan</h4><ul><li><a href="
            f"'{liferay_link((n + 1) % 5)}'>{TITLES[(n + 1) % 5]}</a></li></ul>"))
    return body


def test_liferay_portlet_tokens_are_no_part_of_a_url():
    article = "https://tinh.gov.vn/web/guest/tin-tuc/-/asset_publisher/AbCd/content/bai-1"
    assert canonical_url(f"{article}?p_p_auth=Xy12AbCd") == article
    assert canonical_url(f"{article}?p_auth=Q9z&p_p_id=x") == article + "?p_p_id=x"


@pytest.mark.e2e
def test_a_liferay_article_linked_with_a_new_token_on_every_page_is_stored_once(tmp_path):
    db_path = tmp_path / "archive.db"
    with serve_pages(liferay_site) as (base, _):
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path), "--max-pages", "60")
    titles = sorted(r["title"] for r in query(db_path, "SELECT title FROM articles"))
    assert titles == sorted(TITLES)


# --- one article linked in two contexts -------------------------------------------------------
NEWS = {100 + n: t for n, t in enumerate(TITLES[:4])}
NOTICES = {200: "Lịch tiếp công dân của Chủ tịch UBND xã tháng 12",
           201: "Lịch cắt điện trên địa bàn xã tuần này"}
FOOTER = ("Cổng thông tin điện tử xã. Cơ quan chủ quản: Ủy ban nhân dân xã. Địa chỉ: thôn Một, "
          "xã. Điện thoại: 0203 3888 999. Ghi rõ nguồn khi phát hành lại thông tin từ cổng này.")


def portal_page(title: str, main: str, nav: str) -> bytes:
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><a href='/'>Trang chủ</a>{nav}</nav><main>{main}</main>"
            f"<footer><p>{FOOTER}</p></footer></body></html>").encode()


def teasers(links: dict[int, str]) -> str:
    return "".join(f"<div class='item'><h3><a href='{url}'>{(NEWS | NOTICES)[n]}</a></h3>"
                   f"<span>2{n % 10}/12/2025</span></div>" for n, url in links.items())


def portal_article(n: int, nav: str) -> bytes:
    """A news article (its own ``<title>``, a long paragraph), or a short notice under the
    portal's one ``<title>``, its text shorter than the footer: two notices of one section
    show the same title and longest text."""
    if n in NOTICES:
        return portal_page("Cổng thông tin điện tử xã", (
            f"<h1>{NOTICES[n]}</h1><p>Ngày 2{n % 10}/12/2025</p><p>Xem lịch chi tiết trong văn "
            "bản đính kèm.</p>"), nav)
    return portal_page(NEWS[n], (
        f"<h1>{NEWS[n]}</h1><p class='date'>2{n % 10}/12/2025 08:00</p><p>Sáng 2{n % 10}/12, "
        f"{NEWS[n].lower()} với sự tham dự của lãnh đạo huyện, các ban ngành đoàn thể và đông "
        "đảo bà con nhân dân trong vùng, đánh dấu một bước tiến trong phát triển địa phương.</p>"
        "<p>Dịp này, địa phương biểu dương các tập thể, cá nhân có nhiều đóng góp.</p>"), nav)


JOOMLA_NAV = ("<a href='/index.php?option=com_content&amp;view=category&amp;id=3&amp;"
              "Itemid=103'>Tin tức</a><a href='/index.php?option=com_content&amp;"
              "view=category&amp;id=4&amp;Itemid=104'>Thông báo</a>")


def joomla_site(asked: str) -> bytes | None:
    """The home page links ``id=N&Itemid=120`` (its own menu item), the category listings
    ``id=N:slug&catid=C&Itemid=10C``."""
    parts = urlsplit(asked)
    q = dict(parse_qsl(parts.query))
    body = None
    if parts.path == "/" and not q:
        body = portal_page("Trang chủ", "<h2>Tin nổi bật</h2>" + teasers(
            {n: f"/index.php?option=com_content&amp;view=article&amp;id={n}&amp;Itemid=120"
             for n in NEWS}), JOOMLA_NAV)
    elif q.get("view") == "category" and q.get("id") in ("3", "4"):
        items = NEWS if q["id"] == "3" else NOTICES
        body = portal_page("Trang chủ", teasers(
            {n: f"/index.php?option=com_content&amp;view=article&amp;id={n}:bai-so-{n}"
                f"&amp;catid={q['id']}&amp;Itemid=10{q['id']}" for n in items}), JOOMLA_NAV)
    elif q.get("view") == "article" and int(q.get("id", "0").split(":")[0]) in NEWS | NOTICES:
        body = portal_article(int(q["id"].split(":")[0]), JOOMLA_NAV)
    return body


DNN_NAV = ("<a href='/tabid/57/Default.aspx'>Tin tức</a>"
           "<a href='/tabid/58/Default.aspx'>Thông báo</a>")


def dnn_site(asked: str) -> bytes | None:
    """The home page's module links ``/tabid/36/ctl/Detail/mid/380/ItemID/N``, the section
    page's ``/tabid/57/ctl/Detail/mid/412/ItemID/N``."""
    path = urlsplit(asked).path
    body = None
    detail = re.fullmatch(r"/tabid/\d+/ctl/Detail/mid/\d+/ItemID/(\d+)/Default\.aspx", path)
    if path == "/":
        body = portal_page("Trang chủ", "<h2>Tin nổi bật</h2>" + teasers(
            {n: f"/tabid/36/ctl/Detail/mid/380/ItemID/{n}/Default.aspx" for n in NEWS}),
            DNN_NAV)
    elif path in ("/tabid/57/Default.aspx", "/tabid/58/Default.aspx"):
        tab = int(path.split("/")[2])
        items = NEWS if tab == 57 else NOTICES
        body = portal_page("Trang chủ", teasers(
            {n: f"/tabid/{tab}/ctl/Detail/mid/412/ItemID/{n}/Default.aspx" for n in items}),
            DNN_NAV)
    elif detail and int(detail.group(1)) in NEWS | NOTICES:
        body = portal_article(int(detail.group(1)), DNN_NAV)
    return body


@pytest.mark.e2e
@pytest.mark.parametrize("site", [joomla_site, dnn_site])
def test_an_article_linked_in_two_contexts_is_stored_once(tmp_path, site):
    db_path = tmp_path / "archive.db"
    with serve_pages(site) as (base, _):
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path), "--max-pages", "60")
    rows = query(db_path, "SELECT url, title FROM articles")
    titles = sorted(r["title"] for r in rows)
    # each news article once, whichever context it was met in first; the two notices show
    # one <title> and one longest text in one section (catid=4, tabid/58): both kept
    assert titles == sorted([*NEWS.values(), *NOTICES.values()]), [r["url"] for r in rows]
    decided = query(db_path, "SELECT url FROM captures WHERE page_reason LIKE "
                             "'the same page as %, its URL spelt another way%'")
    assert len(decided) == len(NEWS), decided
