"""URL conventions of CMS families provincial portals run on, met by a generic crawl (tenth
session's probe of eight local sites: Liferay, SharePoint, DNN, Drupal, Joomla, WordPress, an
old ASP portal, and one whose articles and listings share one URL shape).

* Liferay signs every portlet link with ``p_p_auth=<token>``, a new token on every page view:
  the crawl met each article at a new URL on every page that linked it, and stored it again
  each time (3,643 rows for 16 articles before it was stopped). The token is checked only for
  a portlet shown outside its page; an asset publisher's friendly URL answers without it.
"""

from __future__ import annotations

import itertools
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest
from conftest import query, run_tintuc, send_page, serving

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


class LiferaySite(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
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
        send_page(self, body)

    def log_message(self, *args):
        pass


def test_liferay_portlet_tokens_are_no_part_of_a_url():
    article = "https://tinh.gov.vn/web/guest/tin-tuc/-/asset_publisher/AbCd/content/bai-1"
    assert canonical_url(f"{article}?p_p_auth=Xy12AbCd") == article
    assert canonical_url(f"{article}?p_auth=Q9z&p_p_id=x") == article + "?p_p_id=x"


@pytest.mark.e2e
def test_a_liferay_article_linked_with_a_new_token_on_every_page_is_stored_once(tmp_path):
    db_path = tmp_path / "archive.db"
    with serving(LiferaySite) as (base, _):
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path), "--max-pages", "60")
    titles = sorted(r["title"] for r in query(db_path, "SELECT title FROM articles"))
    assert titles == sorted(TITLES)
