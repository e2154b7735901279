"""Two sites on one host at two ports are two sites, as a browser's origin holds the port.

Local sites the team has never seen are served from 127.0.0.1 on several ports, possibly
crawled into one archive. A ``--start-url`` crawl stored its articles under the host alone
(``127.0.0.1``) and followed links to the other port's site, storing its articles as its own;
``tintuc sites check --write-profile`` named the site ``127.0.0.1-PORT``, so a crawl by that
profile found none of them ("0 articles of this site") and marked another site's page
removed. Here two small sites link to each other's articles, both crawled by the real CLI.
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler

import pytest
import sqlite_utils
from conftest import query, run_tintuc, send_page, serving
from test_charts import counts_agree

from pipelines.archive.schema import migrations, open_archive
from pipelines.archive.store import save_articles, site_status

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
PAGES: dict[int, dict[str, str]] = {}  # port -> path -> page


def article_page(town: str, number: int, other_article: str) -> str:
    body = "".join(
        f"<p>Chiều qua, {town} khai trương chợ phiên vùng cao số {number}, nơi bà con các xã "
        f"mang nông sản, thổ cẩm và dược liệu đến trao đổi. Ban quản lý cho biết chợ có hơn "
        f"{40 + k} gian hàng, mở vào sáng chủ nhật hằng tuần; đường vào chợ đã được bê tông "
        f"hóa, có bãi đỗ xe và nhà vệ sinh công cộng. Đoạn {k}.</p>" for k in range(5))
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{town} '
            f'{number}</title></head><body><nav><a href="/">Trang chủ</a></nav><article><h1>'
            f"Khai trương chợ phiên vùng cao ở {town} số {number}</h1><p class=date>"
            f"0{number}/10/2026 07:1{number}</p>{body}</article><div class=related><h3>Tin "
            f'liên quan</h3><a href="{other_article}">Tin của trang bên cạnh</a></div>'
            f"</body></html>")


def build_site(town: str, slug: str, other_base: str, other_slug: str) -> dict[str, str]:
    """Three articles and a home page, each also linking the other site's articles."""
    own = {f"/tin/{slug}-{i}.html": i for i in (1, 2, 3)}
    others = [f"{other_base}/tin/{other_slug}-{i}.html" for i in (1, 2, 3)]
    pages = {path: article_page(town, i, others[0]) for path, i in own.items()}
    teasers = [*own, *others]
    items = "".join(f'<li><h3><a href="{href}">Khai trương chợ phiên vùng cao, bài {n}</a>'
                    f"</h3></li>" for n, href in enumerate(teasers, 1))  # fmt: skip
    pages["/"] = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{town}'
                  f"</title></head><body><h1>Tin tức {town}</h1><ul>{items}</ul></body></html>")
    return pages


class TwoSites(BaseHTTPRequestHandler):
    def do_GET(self):
        page = PAGES[self.server.server_address[1]].get(self.path)
        send_page(self, page.encode() if page is not None else None)

    def log_message(self, *args):
        pass


def site_urls(db_path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in query(db_path, "SELECT site, url FROM articles ORDER BY url"):
        found.setdefault(row["site"], []).append(row["url"])
    return found


def test_two_local_sites_on_two_ports_are_two_sites_in_one_archive(tmp_path):
    with serving(TwoSites) as (base_a, server_a), serving(TwoSites) as (base_b, server_b):
        port_a, port_b = server_a.server_address[1], server_b.server_address[1]
        PAGES[port_a] = build_site("huyện Bình Liêu", "binh-lieu", base_b, "mong-cai")
        PAGES[port_b] = build_site("thành phố Móng Cái", "mong-cai", base_a, "binh-lieu")
        id_a, id_b = f"127.0.0.1-{port_a}", f"127.0.0.1-{port_b}"
        db = tmp_path / "archive.db"
        first = run_tintuc("crawl", "--start-url", base_a + "/", "--db", str(db), *FAST)
        run_tintuc("crawl", "--start-url", base_b + "/", "--db", str(db), *FAST)
        # each crawl kept to its own port: nothing of the other site fetched or stored
        assert site_urls(db) == {
            id_a: [f"{base_a}/tin/binh-lieu-{i}.html" for i in (1, 2, 3)],
            id_b: [f"{base_b}/tin/mong-cai-{i}.html" for i in (1, 2, 3)],
        }
        assert f"crawl 1 of {id_a}: finished" in first.stdout
        assert base_b not in first.stdout + first.stderr
        assert [r["site"] for r in query(db, "SELECT site FROM crawls ORDER BY id")] == [id_a, id_b]
        # site A drops an article (404) that B still links; B is checked, and crawled by the
        # profile written: the id is the crawl's, its articles are found, A's page is not B's
        del PAGES[port_a]["/tin/binh-lieu-3.html"]
        profile = tmp_path / "b.toml"
        run_tintuc("sites", "check", base_b + "/", "--write-profile", str(profile))
        assert re.search(r"^\[sites\.\"(.+)\"\]$", profile.read_text(), re.M)[1] == id_b
        again = run_tintuc("crawl", id_b, "--sites", str(profile), "--db", str(db), *FAST)
        assert f"3 articles of this site in {db}" in again.stdout
        assert query(db, "SELECT url FROM articles WHERE removed IS NOT NULL") == []
        status = run_tintuc("status", "--db", str(db)).stdout
        assert sorted(line.split()[:2] for line in status.splitlines()) == sorted(
            [[id_a, "3"], [id_b, "3"]])  # (status lists sites by id: the ports are random)


TOWN = "Sáng nay phường tổ chức ngày hội đại đoàn kết toàn dân tộc ở khu dân cư số {}."


@pytest.fixture
def old_archive(tmp_path):
    """An archive as the code before m014 wrote it: ``--start-url`` crawls of two local sites
    at two ports, both under ``127.0.0.1``, beside a registered site and a site at port 80."""
    path = tmp_path / "archive.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m014_site_ids_with_port")
    local_a, local_b = "http://127.0.0.1:8001/tin/a.html", "http://127.0.0.1:8002/tin/b.html"

    def article(url, site, n, related=()):
        return {"url": url, "site": site, "title": f"Ngày hội {n}", "text": TOWN.format(n),
                "published": "2026-10-01T08:00:00+07:00", "fetched": "2026-10-01T02:00:00+00:00",
                "related": [{"url": u, "text": "Tin", "block": "Tin liên quan", "position": 0}
                            for u in related]}  # fmt: skip

    save_articles(old, [
        article(local_a, "127.0.0.1", 1, related=[local_b]),
        article(local_b, "127.0.0.1", 2, related=[local_a]),
        article("http://127.0.0.1/tin/c.html", "127.0.0.1", 3),  # the default port: stays
        article("https://www.xa-moi.gov.vn:8443/tin/d.html", "xa-moi.gov.vn", 4),
        article("http://127.0.0.1:8003/tin/e.html", "baotinh", 5),  # a registered id: stays
    ])  # fmt: skip
    # the crawls and sites rows those crawls wrote: the site told by a capture or an error
    for site, base in [("127.0.0.1", "http://127.0.0.1:8001/"),
                       ("xa-moi.gov.vn", "https://www.xa-moi.gov.vn:8443/")]:  # fmt: skip
        old["sites"].insert({"id": site, "name": site, "province": "", "kind": "generic",
                             "base_url": base, "checked_live": 0,
                             "profile": json.dumps({"id": site, "start_urls": [base]})})
    for crawl_id in (1, 2, 3, 4):
        old["crawls"].insert({"id": crawl_id, "site": "127.0.0.1", "status": "finished",
                              "started": f"2026-10-0{crawl_id}T02:00:00+00:00", "pages": 1})
    old["captures"].insert_all([{"crawl_id": 1, "url": "http://127.0.0.1:8001/robots.txt"},
                                {"crawl_id": 1, "url": "http://127.0.0.1:8001/"},
                                {"crawl_id": 3, "url": "http://127.0.0.1/"}])  # fmt: skip
    old["crawl_errors"].insert({"crawl_id": 2, "url": "http://127.0.0.1:8002/", "error": "x"})
    old.close()  # crawl 4 kept neither: its site cannot be told
    return path


def test_articles_stored_under_the_host_alone_move_to_the_id_with_the_port(old_archive):
    db = open_archive(old_archive)  # runs m014
    assert {r["url"]: r["site"] for r in db.query("SELECT url, site FROM articles")} == {
        "http://127.0.0.1:8001/tin/a.html": "127.0.0.1-8001",
        "http://127.0.0.1:8002/tin/b.html": "127.0.0.1-8002",
        "http://127.0.0.1/tin/c.html": "127.0.0.1",
        "https://www.xa-moi.gov.vn:8443/tin/d.html": "xa-moi.gov.vn-8443",
        "http://127.0.0.1:8003/tin/e.html": "baotinh",
    }
    # the search shape and the link counts between sites follow the articles
    shape = db.execute("SELECT a.site, l.value FROM articles a JOIN article_shape s ON s.id = "
                       "a.id JOIN shape_labels l ON l.id = s.site_id").fetchall()  # fmt: skip
    assert all(site == label for site, label in shape) and len(shape) == 5
    assert counts_agree(db) == [("2026-10", "127.0.0.1-8001", "127.0.0.1-8002", 1),
                                ("2026-10", "127.0.0.1-8002", "127.0.0.1-8001", 1)]
    db.close()


def test_crawls_and_sites_rows_follow_the_articles_to_the_id_with_the_port(old_archive):
    """m014 moved the articles alone: `tintuc status` listed `127.0.0.1` with 0 articles of
    its port's sites, and their crawls under it. Every crawl row is kept, under its site."""
    db = open_archive(old_archive)  # runs m014, m015
    assert dict(db.execute("SELECT id, site FROM crawls").fetchall()) == {
        1: "127.0.0.1-8001", 2: "127.0.0.1-8002", 3: "127.0.0.1", 4: "127.0.0.1"}
    status = {r["id"]: (r["articles"], r["crawl"]) for r in site_status(db)}
    assert status == {"127.0.0.1": (1, 4), "127.0.0.1-8001": (1, 1), "127.0.0.1-8002": (1, 2),
                      "xa-moi.gov.vn-8443": (1, None)}  # the old id left with nothing: gone
    site = db["sites"].get("127.0.0.1-8002")
    assert (site["name"], site["base_url"]) == ("127.0.0.1:8002", "http://127.0.0.1:8002/")
    assert json.loads(site["profile"])["start_urls"] == ["http://127.0.0.1:8002/"]
    assert db["sites"].get("xa-moi.gov.vn-8443")["base_url"] == "https://www.xa-moi.gov.vn:8443/"
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == 3
    db.close()
