"""Generate the synthetic sample portal (``site/``) and its ground truth (``manifest.json``).

Run ``python tintuc/sample_portal/build.py`` to regenerate; the output is deterministic and
committed. Article text lives in ``content.txt`` (written for this project, fictional events).

    python tintuc/sample_portal/build.py [--out DIR] [--manifest PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import posixpath
import re
import shutil
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content.txt"
DEFAULT_OUT = HERE / "site"
DEFAULT_MANIFEST = HERE / "manifest.json"

SITE_NAME = "Cổng thông tin điện tử tỉnh Quảng Ninh"
TZ = "+07:00"
PER_PAGE = 4

CATEGORIES = [
    ("tin-tuc-su-kien", "Tin tức - Sự kiện"),
    ("kinh-te", "Kinh tế"),
    ("van-hoa-xa-hoi", "Văn hóa - Xã hội"),
]
CAT_NAMES = dict(CATEGORIES)

BLOCK_HEADINGS = {
    "tin-khac": "Tin tức khác",
    "box": "Tin liên quan",
    "table": "Tin cùng chuyên mục",
    "doc-them": "Đọc thêm",
}
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

# Pages linked from the site that do not exist (the crawl must meet 404s).
MISSING_FROM_LISTING = ("/tin-tuc/bai-da-xoa-99999.html", "Thông báo lịch tiếp công dân tháng 11")
MISSING_FROM_ABOUT = ("/van-ban/quy-che-hoat-dong.html", "Quy chế hoạt động của Cổng thông tin")
MOST_READ = ["tt02", "kt01", "vh01", "tt09", "kt04"]
PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="

e = html.escape


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# --------------------------------------------------------------------------- content


def parse_content(text: str) -> list[dict]:
    articles = []
    for chunk in re.split(r"^=== ", nfc(text), flags=re.M)[1:]:
        key, _, rest = chunk.partition("\n")
        head, _, body = rest.strip("\n").partition("\n\n")
        fields = {}
        for line in head.splitlines():
            name, _, value = line.partition(":")
            fields[name.strip()] = value.strip()
        rel = re.findall(
            r"ext:\S+\|.+?(?=\s+[a-z]{2}\d{2}\b|$)|[a-z]{2}\d{2}", fields.get("related", "")
        )
        paras = [" ".join(p.split()) for p in body.strip().split("\n\n")]
        articles.append(
            {
                "key": key.strip(),
                "cat": fields["cat"],
                "style": fields["style"],
                "when": dt.datetime.strptime(fields["date"], "%Y-%m-%d %H:%M"),
                "shown": fields["shown"],
                "meta": fields["meta"] == "yes",
                "block": fields["block"],
                "related": rel,
                "orphan": fields.get("orphan") == "yes",
                "author": fields["author"],
                "author_line": fields["author_line"],
                "title": fields["title"],
                "lead": fields["lead"],
                "paras": paras,
            }
        )
    return articles


def slugify(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def assign_paths(articles: list[dict]) -> None:
    # ids grow with publication time, like a real CMS
    for i, a in enumerate(sorted(articles, key=lambda a: (a["when"], a["key"]))):
        a["id"] = 30412 + 37 * i + (i * i) % 11
    for a in articles:
        if a["style"] == "slug":
            a["path"] = f"/tin-tuc/{slugify(a['title'])}-{a['id']}.html"
        else:
            a["path"] = f"/Trang/ChiTietTinTuc/{a['id']}.html"


def date_shown(a: dict) -> str:
    w = a["when"]
    base = w.strftime("%d/%m/%Y %H:%M")
    if a["shown"] == "weekday":
        return f"{WEEKDAYS[w.weekday()]}, {base}"
    if a["shown"] == "updated":
        return f"Cập nhật: {base}"
    return base


def iso(w: dt.datetime) -> str:
    return w.strftime("%Y-%m-%dT%H:%M:%S") + TZ


def sentences(p: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", p) if s]


def listing_path(cat: str, page: int) -> str:
    return f"/chuyen-muc/{cat}/" if page == 1 else f"/chuyen-muc/{cat}/trang-{page}.html"


def relative_href(from_path: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_path))


# --------------------------------------------------------------------------- chrome


def page_header() -> str:
    items = [("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu")]
    items += [(listing_path(c, 1), n) for c, n in CATEGORIES]
    items += [("/lien-he.html", "Liên hệ")]
    menu = "".join(f'<li><a href="{h}">{e(t)}</a></li>' for h, t in items)
    return (
        '<header id="top" class="site-header">\n'
        '<div class="banner"><a href="/" class="logo"><span class="site-name">'
        f"{e(SITE_NAME.upper())}</span></a>"
        '<span class="slogan">Quảng Ninh - Đất mỏ anh hùng, vịnh di sản</span></div>\n'
        f'<nav class="main-menu"><ul>{menu}</ul></nav>\n'
        '<div class="search-box"><input type="text" name="k" placeholder="Tìm kiếm...">'
        "</div>\n</header>\n"
    )


def breadcrumb(*crumbs: tuple[str | None, str]) -> str:
    parts = ['<a href="/">Trang chủ</a>']
    for href, text in crumbs:
        parts.append(f'<a href="{href}">{e(text)}</a>' if href else f"<span>{e(text)}</span>")
    return '<div class="breadcrumb">' + " &raquo; ".join(parts) + "</div>\n"


def sidebar(ctx: dict) -> str:
    latest = "".join(
        f'<li><a href="{a["path"]}">{e(a["title"])}</a></li>' for a in ctx["listed"][:5]
    )
    popular = "".join(
        f'<li><a href="{ctx["by_key"][k]["path"]}">{e(ctx["by_key"][k]["title"])}</a></li>'
        for k in MOST_READ
    )
    return (
        '<aside class="col-side">\n'
        f'<div class="side-box box-latest"><h2 class="side-title">Tin mới nhất</h2><ul>{latest}'
        "</ul></div>\n"
        f'<div class="side-box box-mostread"><h2 class="side-title">Đọc nhiều</h2><ol>{popular}'
        "</ol></div>\n"
        '<div class="side-box box-links"><h2 class="side-title">Liên kết website</h2><ul>'
        '<li><a href="https://chinhphu.vn" target="_blank" rel="noopener">'
        "Cổng Thông tin điện tử Chính phủ</a></li>"
        '<li><a href="https://baoquangninh.vn" target="_blank" rel="noopener">Báo Quảng Ninh</a>'
        "</li></ul></div>\n</aside>\n"
    )


def page_footer() -> str:
    return (
        '<footer class="site-footer">\n'
        f'<p class="footer-name"><strong>{e(SITE_NAME.upper())}</strong></p>\n'
        "<p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Quảng Ninh</p>\n"
        "<p>Địa chỉ: Khu liên cơ quan số 3, phường Hồng Gai, tỉnh Quảng Ninh</p>\n"
        "<p>Điện thoại: 0203.3 000 000 - Email: banbientap@cong-thong-tin-mau.invalid</p>\n"
        '<p class="disclaimer">Trang mẫu tổng hợp phục vụ kiểm thử phần mềm tintuc; '
        "nội dung là hư cấu.</p>\n"
        '<p><a href="/gioi-thieu.html">Giới thiệu</a> | <a href="/lien-he.html">Liên hệ</a></p>\n'
        "</footer>\n"
    )


def html_page(title: str, head_extra: str, body: str, ctx: dict, *, description: str = "") -> str:
    desc = f'<meta name="description" content="{e(description)}">\n' if description else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n{desc}{head_extra}"
        '<meta name="generator" content="tintuc sample portal (synthetic)">\n'
        "</head>\n<body>\n"
        f'{page_header()}<div class="container">\n{body}'
        f"{sidebar(ctx)}</div>\n{page_footer()}</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- articles


def related_items(a: dict, ctx: dict) -> list[dict]:
    items = []
    for ref in a["related"]:
        if ref.startswith("ext:"):
            url, _, text = ref[4:].partition("|")
            items.append({"href": url, "target": url, "text": text, "date": None, "id": None})
        else:
            t = ctx["by_key"][ref]
            href = relative_href(a["path"], t["path"]) if a["block"] == "table" else t["path"]
            items.append(
                {
                    "href": href,
                    "target": t["path"],
                    "text": t["title"],
                    "date": t["when"].strftime("%d/%m/%Y"),
                    "id": t["id"],
                }
            )
    return items


def related_block(a: dict, items: list[dict]) -> str:
    kind = a["block"]
    if kind == "none":
        return ""
    head = BLOCK_HEADINGS[kind]
    if kind == "tin-khac":
        lis = "".join(
            f'<li><a href="{e(i["href"])}">{e(i["text"])}</a>'
            + (f' <span class="date">({i["date"]})</span>' if i["date"] else "")
            + "</li>\n"
            for i in items
        )
        return f'<div class="tin-khac">\n<h3>{head}</h3>\n<ul>\n{lis}</ul>\n</div>\n'
    if kind == "box":
        lis = "".join(
            f'<li><a href="{e(i["href"])}" title="{e(i["text"])}">{e(i["text"])}</a></li>\n'
            for i in items
        )
        return (
            f'<div class="box box-tinlienquan">\n<div class="title">{head}</div>\n'
            f'<div class="content"><ul class="list">\n{lis}</ul></div>\n</div>\n'
        )
    if kind == "table":
        rows = "".join(
            f'<tr><td class="item"><span class="bullet">&#187;</span> '
            f'<a href="{e(i["href"])}">\n\t\t\t\t{e(i["text"])}\n\t\t\t</a></td></tr>\n'
            for i in items
        )
        return (
            '<table class="tbl-tincungchuyenmuc" width="100%" cellpadding="0" cellspacing="0">\n'
            f'<tr><td class="header">{head}</td></tr>\n{rows}</table>\n'
        )
    cards = "".join(
        f'<article class="item"><a class="thumb" href="{e(i["href"])}" title="{e(i["text"])}">'
        f'<img src="{PIXEL}" data-src="/Images/tin/{i["id"]}.jpg" alt="{e(i["text"])}"></a>'
        f'<h4 class="item-title"><a href="{e(i["href"])}">{e(i["text"])}</a></h4></article>\n'
        for i in items
    )
    return (
        f'<section class="related-news">\n<h2 class="section-title">{head}</h2>\n'
        f'<div class="related-list">\n{cards}</div>\n</section>\n'
    )


def article_page(a: dict, ctx: dict) -> str:
    cat_href, cat_name = listing_path(a["cat"], 1), CAT_NAMES[a["cat"]]
    meta = ""
    if a["meta"]:
        meta = f'<meta property="article:published_time" content="{iso(a["when"])}">\n'
    head = (
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{e(a["title"])}">\n{meta}'
    )
    rel = related_block(a, related_items(a, ctx))
    if a["style"] == "slug":
        paras = "".join(f"<p>{e(p)}</p>\n" for p in a["paras"])
        main = (
            f'{breadcrumb((cat_href, cat_name))}<main class="col-main">\n'
            '<article class="news-detail">\n'
            f'<h1 class="news-title">{e(a["title"])}</h1>\n'
            f'<div class="news-meta"><span class="news-date">{e(date_shown(a))}</span>'
            f' | <a class="news-cat" href="{cat_href}">{e(cat_name)}</a></div>\n'
            f'<div class="news-sapo"><strong>{e(a["lead"])}</strong></div>\n'
            f'<div class="news-content">\n{paras}'
            f'<p class="author" style="text-align:right"><strong>{e(a["author_line"])}</strong>'
            "</p>\n</div>\n"
            '<div class="news-tools"><a href="javascript:window.print()">In bài viết</a> | '
            '<a href="#top">Về đầu trang</a></div>\n'
            f"</article>\n{rel}</main>\n"
        )
        title = f"{a['title']} - {SITE_NAME}"
        return html_page(title, head, main, ctx, description=a["lead"])
    # SharePoint-style template
    paras = "".join(f'<p style="text-align: justify;">{e(p)}</p>\n' for p in a["paras"])
    main = (
        '<form method="post" id="aspnetForm">\n<div class="aspNetHidden"><input type="hidden" '
        'name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKLTY1NDU2MTA1Mg9kFgJmD2QWAgIBD2QWAg==">'
        '</div>\n<div id="s4-workspace"><div id="s4-bodyContainer">\n'
        f"{breadcrumb((cat_href, cat_name), (None, 'Chi tiết tin'))}"
        '<main class="col-main"><div class="ms-table"><div class="left-col">\n'
        '<div id="ctl00_PlaceHolderMain_ctl00_pnlChiTiet" class="chitiet-tin">\n'
        f'<h1 class="tieude-tin">{e(a["title"])}</h1>\n'
        f'<div class="ngay-dang">{e(date_shown(a))}</div>\n'
        f'<div class="tomtat-tin"><p>{e(a["lead"])}</p></div>\n'
        f'<div class="ms-rtestate-field noidung-tin">\n{paras}'
        f'<p style="text-align: right;"><strong>{e(a["author_line"])}</strong></p>\n</div>\n'
        f"</div>\n{rel}</div></div></main>\n</div></div>\n</form>\n"
    )
    # SharePoint master pages emit the title on its own indented line
    title = f"\n\t{a['title']}\n"
    return html_page(title, head, main, ctx, description=a["lead"])


# --------------------------------------------------------------------------- other pages


def listing_pages(cat: str, ctx: dict) -> dict[str, str]:
    arts = [a for a in ctx["listed"] if a["cat"] == cat]
    chunks = [arts[i : i + PER_PAGE] for i in range(0, len(arts), PER_PAGE)]
    n, name, pages = len(chunks), CAT_NAMES[cat], {}
    for page, chunk in enumerate(chunks, 1):
        items = [(a["path"], a["title"], a["when"].strftime("%d/%m/%Y"), a["lead"]) for a in chunk]
        if cat == "tin-tuc-su-kien" and page == n:
            items.append((MISSING_FROM_LISTING[0], MISSING_FROM_LISTING[1], "15/11/2025", ""))
        body = "".join(
            f'<div class="news-item"><h3><a href="{h}">{e(t)}</a></h3>'
            f'<div class="date">{d}</div>'
            + (f'<p class="sapo">{e(lead)}</p>' if lead else "")
            + f'<a class="more" href="{h}">Xem tiếp &raquo;</a></div>\n'
            for h, t, d, lead in items
        )
        nav = []
        for p in range(1, n + 1):
            if p == page:
                nav.append(f'<span class="current">{p}</span>')
            else:
                href = listing_path(cat, 1) if p == 1 else f"trang-{p}.html"
                nav.append(f'<a href="{href}">{p}</a>')
        if page < n:
            nav.append(f'<a class="next" href="trang-{page + 1}.html">Sau &raquo;</a>')
        main = (
            f"{breadcrumb((None, name))}"
            f'<main class="col-main">\n<h1 class="cat-title">{e(name)}</h1>\n'
            f'<div class="list-news">\n{body}</div>\n'
            f'<div class="pagination">Trang: {" ".join(nav)}</div>\n</main>\n'
        )
        title = f"{name} - Trang {page} - {SITE_NAME}" if page > 1 else f"{name} - {SITE_NAME}"
        head = '<meta property="og:type" content="website">\n'
        pages[listing_path(cat, page)] = html_page(title, head, main, ctx)
    return pages


def home_page(ctx: dict) -> str:
    top, rest = ctx["listed"][0], ctx["listed"][1:5]
    more = "".join(f'<li><a href="{a["path"]}">{e(a["title"])}</a></li>' for a in rest)
    blocks = ""
    for cat, name in CATEGORIES:
        arts = [a for a in ctx["listed"] if a["cat"] == cat][:3]
        lis = "".join(
            f'<li><a href="{a["path"]}">{e(a["title"])}</a>'
            f' <span class="date">({a["when"].strftime("%d/%m")})</span></li>'
            for a in arts
        )
        href = listing_path(cat, 1)
        blocks += (
            f'<section class="cat-block"><h2 class="box-title"><a href="{href}">{e(name)}</a>'
            f'</h2><ul>{lis}</ul><a class="more" href="{href}">Xem thêm</a></section>\n'
        )
    main = (
        '<main class="col-main">\n'
        f'<h1 class="sr-only">{e(SITE_NAME)}</h1>\n'
        '<section class="featured"><h2 class="box-title">Tin nổi bật</h2>'
        f'<div class="featured-item"><h3><a href="{top["path"]}">{e(top["title"])}</a></h3>'
        f'<p>{e(top["lead"])}</p></div><ul class="featured-more">{more}</ul></section>\n'
        f"{blocks}</main>\n"
    )
    head = '<meta property="og:type" content="website">\n'
    return html_page(SITE_NAME, head, main, ctx, description="Thông tin chính thức tỉnh Quảng Ninh")


ABOUT_PARAS = [
    "Quảng Ninh là tỉnh ven biển thuộc vùng Đông Bắc của Tổ quốc, vừa có biên giới trên bộ, "
    "vừa có vùng biển rộng với hàng nghìn hòn đảo lớn nhỏ.",
    "Vịnh Hạ Long, di sản thiên nhiên thế giới, cùng quần thể di tích Yên Tử và các khu di tích "
    "nhà Trần tại Đông Triều tạo nên thế mạnh nổi bật về du lịch và văn hóa của tỉnh.",
    "Bên cạnh ngành than truyền thống, Quảng Ninh đang chuyển dịch mạnh mẽ sang phát triển dịch "
    "vụ, công nghiệp chế biến, chế tạo và kinh tế biển, coi liên kết vùng là một động lực quan "
    "trọng.",
    "Hệ thống hạ tầng giao thông đồng bộ gồm cao tốc, cảng biển nước sâu và cảng hàng không "
    "quốc tế Vân Đồn giúp tỉnh kết nối thuận lợi với Hà Nội, Hải Phòng, Đà Nẵng và quốc tế.",
]


def about_page(ctx: dict) -> str:
    paras = "".join(f"<p>{e(p)}</p>\n" for p in ABOUT_PARAS)
    main = (
        f'{breadcrumb((None, "Giới thiệu"))}<main class="col-main">\n'
        f'<div class="page-content">\n<h1 class="page-title">Giới thiệu chung</h1>\n{paras}'
        "<h2>Thông tin về Cổng</h2>\n<ul>"
        f'<li><a href="{MISSING_FROM_ABOUT[0]}">{e(MISSING_FROM_ABOUT[1])}</a></li>'
        '<li><a href="/lien-he.html">Liên hệ Ban biên tập</a></li></ul>\n</div>\n</main>\n'
    )
    return html_page(f"Giới thiệu chung - {SITE_NAME}", "", main, ctx)


def contact_page(ctx: dict) -> str:
    rows = [
        ("Cơ quan", "Ban biên tập Cổng thông tin điện tử tỉnh"),
        ("Địa chỉ", "Khu liên cơ quan số 3, phường Hồng Gai, tỉnh Quảng Ninh"),
        ("Điện thoại", "0203.3 000 000"),
        ("Email", "banbientap@cong-thong-tin-mau.invalid"),
    ]
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>\n" for k, v in rows)
    main = (
        f'{breadcrumb((None, "Liên hệ"))}<main class="col-main">\n'
        '<div class="page-content">\n<h1 class="page-title">Liên hệ</h1>\n'
        "<p>Mọi ý kiến đóng góp, thông tin phản ánh xin gửi về Ban biên tập theo địa chỉ dưới "
        "đây.</p>\n"
        f'<table class="contact">\n{table}</table>\n</div>\n</main>\n'
    )
    return html_page(f"Liên hệ - {SITE_NAME}", "", main, ctx)


def robots_txt() -> str:
    return "User-agent: *\nAllow: /\n\nSitemap: {{BASE_URL}}/sitemap.xml\n"


def sitemap_xml(arts: list[dict]) -> str:
    urls = "".join(
        f"<url><loc>{{{{BASE_URL}}}}{a['path']}</loc><lastmod>{iso(a['when'])}</lastmod></url>\n"
        for a in arts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


# --------------------------------------------------------------------------- build


def build(out_dir: Path = DEFAULT_OUT, manifest_path: Path = DEFAULT_MANIFEST) -> dict:
    articles = parse_content(CONTENT.read_text(encoding="utf-8"))
    assign_paths(articles)
    by_key = {a["key"]: a for a in articles}
    listed = sorted((a for a in articles if not a["orphan"]), key=lambda a: a["when"], reverse=True)
    ctx = {"by_key": by_key, "listed": listed}

    pages: dict[str, str] = {"/": home_page(ctx)}
    for cat, _ in CATEGORIES:
        pages.update(listing_pages(cat, ctx))
    listing_paths = list(pages)
    pages["/gioi-thieu.html"] = about_page(ctx)
    pages["/lien-he.html"] = contact_page(ctx)
    for a in articles:
        pages[a["path"]] = article_page(a, ctx)

    files = {
        (p + "index.html" if p.endswith("/") else p).lstrip("/"): nfc(text)
        for p, text in pages.items()
    }
    sitemap_arts = listed[:20]
    files["robots.txt"] = robots_txt()
    files["sitemap.xml"] = sitemap_xml(sitemap_arts)

    out_dir = Path(out_dir)
    if out_dir.exists():
        if any(out_dir.iterdir()) and not (out_dir / "index.html").exists():
            raise SystemExit(f"refusing to clear {out_dir}: not a sample portal build")
        shutil.rmtree(out_dir)
    for rel, text in sorted(files.items()):
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))

    manifest_articles = []
    for a in sorted(articles, key=lambda a: a["key"]):
        body = a["paras"]
        phrases = [sentences(body[0])[0], sentences(body[-1])[-1]]
        if len(body) >= 3:
            phrases.insert(1, sentences(body[len(body) // 2])[0])
        related = [
            {"path_or_url": i["target"], "text": i["text"], "block": BLOCK_HEADINGS[a["block"]]}
            for i in related_items(a, ctx)
        ]
        manifest_articles.append(
            {
                "key": a["key"],
                "id": a["id"],
                "path": a["path"],
                "url_style": a["style"],
                "category": CAT_NAMES[a["cat"]],
                "title": a["title"],
                "published": iso(a["when"]),
                "date_shown": date_shown(a),
                "has_published_meta": a["meta"],
                "author": a["author"],
                "author_line": a["author_line"],
                "lead": a["lead"],
                "paragraphs": [a["lead"], *body],
                "body_phrases": phrases,
                "related_block": BLOCK_HEADINGS.get(a["block"]),
                "related": related,
                "listed": not a["orphan"],
            }
        )
    manifest = {
        "site_name": SITE_NAME,
        "timezone": TZ,
        "url_patterns": {
            "slug": "/tin-tuc/<slug>-<id>.html",
            "nid": "/Trang/ChiTietTinTuc/<id>.html",
            "listing": "/chuyen-muc/<category>/ and /chuyen-muc/<category>/trang-<n>.html",
        },
        "home_path": "/",
        "articles": manifest_articles,
        "listing_paths": listing_paths,
        "non_article_paths": ["/gioi-thieu.html", "/lien-he.html"],
        "missing_paths": [MISSING_FROM_LISTING[0], MISSING_FROM_ABOUT[0]],
        "orphan_paths": sorted(a["path"] for a in articles if a["orphan"]),
        "no_related_path": next(a["path"] for a in articles if a["block"] == "none"),
        "external_related_urls": sorted(
            {
                r["path_or_url"]
                for m in manifest_articles
                for r in m["related"]
                if r["path_or_url"].startswith("http")
            }
        ),
        "sitemap_paths": [a["path"] for a in sitemap_arts],
        "extra_paths": ["/robots.txt", "/sitemap.xml"],
    }
    Path(manifest_path).write_bytes(
        (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    )
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    args = ap.parse_args()
    m = build(args.out, args.manifest)
    print(
        f"wrote {len(m['articles'])} articles, {len(m['listing_paths'])} listing pages "
        f"to {args.out}"
    )


if __name__ == "__main__":
    main()
