"""One generator for local test sites of the shapes, written from the sample portal's text.

Each shape is a kind of provincial site generic mode must handle without a profile:

- ``cms``: a news CMS; short articles at short slugs (``/tin/cam-pha-so2.html``), category
  listings with a numbered ``?page=N`` pager, "Tin tức khác" blocks linking newer articles
  (so the oldest are reachable only through the pager), tag and search pages;
- ``sharepoint``: ``/Trang/ChiTietTinTuc.aspx?nid=N`` articles and an ASP.NET postback pager
  (``__doPostBack`` + ``__VIEWSTATE``; the server answers a POST with page N);
- ``notices``: one-sentence notices whose content is an attached PDF or DOCX, listed behind a
  next-only pager ("Trang sau");
- ``sitemap``: articles reachable only through the sitemap index named in robots.txt (the
  listings fill their lists with JavaScript, so they link no article);
- ``rss``: articles reachable only through the RSS and Atom feeds named by ``<link
  rel="alternate">`` on the home page;
- ``related``: a newspaper whose section pages show only their newest teasers (no pager):
  older articles are reached through a box of the section's newer and older stories under
  each article (titled by the section's name) and the sitemap; three sections,
  three article URL shapes; short articles whose date shows only under the related block;
- ``wordpress``: a WordPress school / commune site: ``/YYYY/MM/DD/slug/`` posts (1 to 3
  paragraphs, every fifth a photo post: captioned figures and one sentence), category, tag,
  author and month archives with ``/page/N/`` pagers ("Trang sau »"), ``/feed/``, ``wp-json``
  and ``?p=N`` shortlinks in the head, a "Bài viết mới" sidebar on every page;
- ``joomla``: ``index.php?option=com_content&view=article&id=N:slug&catid=C&Itemid=I``
  articles with a ``limitstart`` pager, SEF ``/thong-bao/N-slug.html`` ones with a ``?start=``
  pager, "Các tin khác", print and e-mail icons (``tmpl=component&print=1``) that are not articles;
- ``liferay``: a Liferay portal: ``/web/guest/<section>/-/asset_publisher/<id>/content/<slug>``
  articles linked with ``?inheritRedirect=true&redirect=<listing>`` tails, listings paginated
  by the portlet's ``…_INSTANCE_<id>_cur=N`` parameter, "Tin khác";
- ``dnn``: a DotNetNuke portal (many ``.gov.vn`` sites): ``/<tab>/tabid/123/ArticleID/N/
  Default.aspx`` articles paged ``…/tabid/123/PageIndex/N/Default.aspx``, ``/Default.aspx?
  tabid=125&ArticleID=N`` ones paged ``&PageIndex=N``, EasyDNN's ``/hoat-dong/ArticleID/N/slug``
  with a ``__doPostBack`` pager of two pages ("1 [2]"); every page one ASP.NET form with a login
  link (``ctl/Login?returnurl=…``) and a ``?language=vi-VN`` switch, print icons (``ctl/Print``,
  ``print=true&mid=…``), "Tin tức khác";
- ``drupal``: a Drupal site: ``/tin-tuc/<slug>`` aliases and ``/node/N`` articles, views
  listings and ``/taxonomy/term/N`` pages paged ``?page=N`` from 0 (Drupal 8's pager links the
  first page ``?page=0``), print views (``/print/N``, ``/node/N/printable/print``),
  ``/user/login?destination=…`` on every page, ``/rss.xml``, "Tin tức khác";
- ``empty``: a site with no article at all (home, about, contact, an empty category).

Every site also has pages that are not articles: the home page, "Giới thiệu" (the province's
history: four long paragraphs full of dates), "Liên hệ", category/tag/search pages. The
manifest lists the article URLs (title, date) and the pages that are not articles.

    site = build_site("cms")              # pages in memory: {target: (bytes, content type)}
    site.manifest["articles"][0]          # {"path": "/tin/...", "title": ..., "published": ...}
    python tests/sites/build.py cms --out /tmp/cms    # write the pages to look at
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from tintuc.sample_portal.build import CONTENT, WEEKDAYS, nfc, parse_content, slugify  # noqa: E402

SHAPES = ("cms", "sharepoint", "notices", "sitemap", "rss", "related", "wordpress", "joomla",
          "liferay", "dnn", "drupal", "empty", "documents")
DEFAULT_ARTICLES = 30
MAX_BODY = 560  # the longest short article, in characters (issue 13)
PER_PAGE = 6
NEWEST = dt.datetime(2025, 12, 24, 9, 30)
PAGER_CONTROL = "ctl00$m$g_4a1f$lvTinTuc$pager"
VIEWSTATE = "/wEPDwUKMTM0NTY3ODkwMg9kFgJmD2QWAgIDD2QWBAIBDw8WAh4EVGV4dAUBMWRkZKh5c3VwZXI="
HTML = "text/html; charset=utf-8"
e = html.escape

ABOUT_TITLE = "Giới thiệu chung về tỉnh"
ABOUT_PARAS = [
    "Tỉnh được thành lập ngày 30/10/1963 trên cơ sở hợp nhất tỉnh Hải Ninh và khu Hồng Quảng "
    "theo Nghị quyết của Quốc hội khóa II tại kỳ họp thứ 7. Từ đó đến nay, ngày 30/10 hằng năm "
    "trở thành ngày truyền thống của tỉnh, gắn với những mốc son trong lịch sử xây dựng, bảo vệ "
    "và phát triển vùng đất địa đầu Đông Bắc của Tổ quốc.",
    "Vùng mỏ là cái nôi của phong trào công nhân Việt Nam. Cuộc tổng bãi công ngày 12/11/1936 "
    "của hơn ba vạn thợ mỏ đã buộc chủ mỏ phải chấp nhận những yêu sách về tăng lương và giảm "
    "giờ làm. Ngày 12/11 sau này được chọn là ngày truyền thống của công nhân vùng mỏ, và tinh "
    "thần kỷ luật, đồng tâm được các thế hệ thợ lò gìn giữ cho đến hôm nay.",
    "Trong các cuộc kháng chiến, tỉnh vừa là hậu phương vừa là tiền tuyến; ngày 25/4/1955 khu "
    "mỏ được hoàn toàn giải phóng. Sau ngày thống nhất đất nước 30/4/1975, tỉnh tập trung khôi "
    "phục sản xuất than, xây dựng lại các khu dân cư, trường học, bệnh viện bị tàn phá, và từng "
    "bước mở rộng giao thương qua cửa khẩu và cảng biển với các địa phương trong cả nước.",
    "Ngày 01/7/2025, thực hiện chủ trương sắp xếp đơn vị hành chính và tổ chức chính quyền địa "
    "phương hai cấp, tỉnh bước vào giai đoạn phát triển mới với bộ máy tinh gọn, gần dân hơn. "
    "Các trung tâm phục vụ hành chính công được sắp xếp lại, dịch vụ công trực tuyến được mở "
    "rộng để người dân và doanh nghiệp giải quyết thủ tục ở bất cứ đâu, vào bất cứ lúc nào.",
]
NOTICE_SUBJECTS = [
    "lịch tiếp công dân định kỳ tháng {m}/2025 của Chủ tịch Ủy ban nhân dân tỉnh",
    "kết quả tuyển dụng viên chức sự nghiệp giáo dục năm 2025 (đợt {n})",
    "danh sách hồ sơ thủ tục hành chính quá hạn giải quyết tháng {m}/2025",
    "kế hoạch kiểm tra an toàn thực phẩm dịp cuối năm, đợt {n}",
    "việc tạm dừng cấp nước khu vực phường Hồng Gai ngày {d}/{m}/2025",
    "lịch thi sát hạch cấp giấy phép lái xe tháng {m}/2025, đợt {n}",
    "mời tham gia chào giá cung cấp thiết bị văn phòng, gói thầu số {n}",
    "kết quả lựa chọn nhà thầu gói tư vấn giám sát số {n}/2025",
]


@dataclass
class Site:
    shape: str
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # target -> body, ctype
    manifest: dict = field(default_factory=dict)
    postback: dict[str, bytes] = field(default_factory=dict)  # __EVENTARGUMENT -> page
    postback_path: str = "/Trang/TinTuc.aspx"  # the listing whose pager posts back
    redirects: dict[str, str] = field(default_factory=dict)  # target -> where a 301 sends it

    def add(self, target: str, body: str | bytes, ctype: str = HTML) -> None:
        data = nfc(body).encode("utf-8") if isinstance(body, str) else body
        self.pages[normal_target(target)] = (data, ctype)


def normal_target(target: str) -> str:
    """Path plus sorted query: the key both the builder and the server use for a page."""
    parts = urlsplit(target)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


# --------------------------------------------------------------------------- content


@dataclass
class Story:
    index: int
    title: str
    when: dt.datetime
    paragraphs: list[str]
    category: int
    path: str = ""

    def shown_date(self, style: int) -> str:
        stamp = self.when.strftime("%d/%m/%Y %H:%M")
        if style % 3 == 0:
            return f"{WEEKDAYS[self.when.weekday()]}, {stamp}"
        if style % 3 == 1:
            return f"Cập nhật: {stamp}"
        return f"Ngày đăng: {stamp}"

    def iso(self) -> str:
        return self.when.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "."


def stories(count: int) -> list[Story]:
    """``count`` short articles, newest first: 1 to 5 paragraphs, at most MAX_BODY characters.

    The sample portal's 34 texts are reused past the 34th (big sites), with a numbered title.
    """
    texts = parse_content(CONTENT.read_text(encoding="utf-8"))
    out = []
    for i in range(count):
        text = texts[i % len(texts)]
        pool = [s for p in [text["lead"], *text["paras"]] for s in sentences(p)]
        wanted = 1 + (i * 3) % 5  # 1..5 paragraphs
        paragraphs: list[str] = []
        for sentence in pool[(i // len(texts)) % 3 :]:
            budget = MAX_BODY - sum(map(len, paragraphs))
            if len(paragraphs) == wanted or budget < 60:
                break
            paragraphs.append(clip(sentence, budget))
        title = text["title"] if i < len(texts) else f"{text['title']} (kỳ {i // len(texts) + 1})"
        when = NEWEST - dt.timedelta(hours=7 * i, minutes=13 * (i % 4))
        out.append(Story(i, title, when, paragraphs, category=i % 2))
    return out


def short_slug(title: str, index: int) -> str:
    """A short slug with no long numeric id, like ``cam-pha-so2``."""
    return "-".join(slugify(title).split("-")[:2]) + f"-so{index}"


# --------------------------------------------------------------------------- chrome


def page(title: str, body: str, menu: list[tuple[str, str]], head: str = "") -> str:
    links = " | ".join(f'<a href="{h}">{e(t)}</a>' for h, t in menu)
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n{head}</head>\n<body>\n"
        '<div class="header"><a class="logo" href="/">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH</a>'
        '<form class="search" action="/tim-kiem.html"><input name="q"></form></div>\n'
        f'<div class="menu">{links}</div>\n<div class="main">\n{body}\n</div>\n'
        '<div class="footer"><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Giấy phép số '
        "45/GP-TTĐT ngày 05/3/2024.</p><p>Trang mẫu tổng hợp phục vụ kiểm thử phần mềm tintuc; "
        "nội dung là hư cấu.</p></div>\n</body>\n</html>\n"
    )


def about_body() -> str:
    paras = "".join(f"<p>{e(p)}</p>\n" for p in ABOUT_PARAS)
    return f'<div class="page-content">\n<h1>{ABOUT_TITLE}</h1>\n{paras}</div>'


def contact_body() -> str:
    return (
        '<div class="page-content">\n<h1>Liên hệ</h1>\n'
        "<p>Mọi ý kiến đóng góp xin gửi về Ban biên tập Cổng thông tin điện tử tỉnh.</p>\n"
        "<p>Địa chỉ: Khu liên cơ quan số 3, phường Hồng Gai. Điện thoại: 0203.3 000 000. "
        "Email: banbientap@cong-mau.invalid</p>\n"
        '<form method="post" action="/lien-he-gui.html"><input name="hoten"> '
        "<textarea name=\"noidung\"></textarea><button>Gửi</button></form>\n</div>"
    )


def teasers(items: list[Story], with_date: bool = True) -> str:
    return "".join(
        f'<div class="news-item"><h3><a href="{s.path}">{e(s.title)}</a></h3>'
        + (f'<span class="date">{s.when.strftime("%d/%m/%Y")}</span>' if with_date else "")
        + f"<p>{e(clip(s.paragraphs[0], 140))}</p></div>\n"
        for s in items
    )


def article_body(s: Story, related: list[Story], crumb: str, related_head="Tin tức khác") -> str:
    paras = "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
    block = ""
    if related:
        items = "".join(
            f'<li><a href="{r.path}">{e(r.title)}</a> ({r.when.strftime("%d/%m/%Y")})</li>\n'
            for r in related
        )
        block = f'<div class="tin-khac">\n<h3>{related_head}</h3>\n<ul>\n{items}</ul>\n</div>\n'
    return (
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> › {crumb}</div>\n'
        f'<div class="article">\n<h1 class="title">{e(s.title)}</h1>\n'
        f'<div class="date">{e(s.shown_date(s.index))}</div>\n'
        f'<div class="content">\n{paras}</div>\n</div>\n{block}'
    )


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def manifest(site: Site, articles: list[Story], non_articles: list[str], **extra) -> None:
    site.manifest = {
        "shape": site.shape,
        "articles": [
            {"path": s.path, "title": s.title, "published": s.iso(),
             "date_shown": s.shown_date(s.index), "paragraphs": len(s.paragraphs),
             "chars": sum(map(len, s.paragraphs))}
            for s in articles
        ],  # fmt: skip
        "non_articles": non_articles,
        **extra,
    }


# --------------------------------------------------------------------------- shapes


def build_cms(site: Site, items: list[Story]) -> None:
    categories = [("tin-tuc", "Tin tức - Sự kiện"), ("kinh-te", "Kinh tế")]
    tags = ["ha-long", "du-lich", "dau-tu"]
    menu = [("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu")]
    menu += [(f"/chuyen-muc/{c}.html", n) for c, n in categories]
    menu += [("/lien-he.html", "Liên hệ")]
    for s in items:
        s.path = f"/tin/{short_slug(s.title, s.index)}.html"
    listings = []
    for number, (cat, name) in enumerate(categories):
        in_cat = [s for s in items if s.category == number]
        pages = chunks(in_cat, PER_PAGE)
        for n, chunk in enumerate(pages, 1):
            listing = f"/chuyen-muc/{cat}.html"
            target = listing + (f"?page={n}" if n > 1 else "")
            hrefs = [listing] + [f"{listing}?page={p}" for p in range(2, len(pages) + 1)]
            pager = " ".join(
                f"<span>{p}</span>" if p == n else f'<a href="{hrefs[p - 1]}">{p}</a>'
                for p in range(1, len(pages) + 1)
            )
            if n < len(pages):
                pager += f' <a href="/chuyen-muc/{cat}.html?page={n + 1}">»</a>'
            body = (f'<h1 class="cat-title">{name}</h1>\n<div class="list">{teasers(chunk)}</div>'
                    f'\n<div class="pagination">{pager}</div>')  # fmt: skip
            site.add(target, page(f"{name} - trang {n}", body, menu))
            listings.append(target)
        for s in in_cat:  # "Tin tức khác": the four newer ones of its category
            newer = [o for o in in_cat if o.when > s.when][-4:]
            tag = tags[s.index % len(tags)]
            crumb = f'<a href="/chuyen-muc/{cat}.html">{name}</a>'
            body = article_body(s, newer, crumb)
            body += f'<div class="tags">Từ khóa: <a href="/tag/{tag}.html">{tag}</a></div>'
            site.add(s.path, page(s.title, body, menu))
    for tag in tags:
        tagged = [s for s in items if tags[s.index % len(tags)] == tag][:4]
        body = f"<h1>Từ khóa: {tag}</h1>\n{teasers(tagged)}"
        site.add(f"/tag/{tag}.html", page(f"Từ khóa {tag}", body, menu))
    found = [s for s in items if "Quảng Ninh" in s.title][:5]
    site.add("/tim-kiem.html?q=quang+ninh",
             page("Tìm kiếm", f"<h1>Kết quả tìm kiếm: quang ninh</h1>\n{teasers(found)}", menu))
    home = f'<h2>Tin mới</h2>\n{teasers(items[:8])}<a href="/tim-kiem.html?q=quang+ninh">Tìm</a>'
    site.add("/", page("Cổng thông tin điện tử tỉnh", home, menu))
    add_common(site, menu)
    manifest(site, items, ["/", "/gioi-thieu.html", "/lien-he.html",
                           "/tim-kiem.html?q=quang+ninh", *[f"/tag/{t}.html" for t in tags],
                           *listings], listings=listings)  # fmt: skip


def postback_listing(items: list[Story], n: int, pages: int, menu) -> str:
    rows = "".join(
        f'<tr><td><a class="tieude" href="{s.path}">{e(s.title)}</a></td>'
        f'<td class="ngay">{s.when.strftime("%d/%m/%Y")}</td></tr>\n'
        for s in items
    )
    pager = " ".join(
        f"<span>{p}</span>" if p == n
        else f"<a href=\"javascript:__doPostBack('{PAGER_CONTROL}','Page${p}')\">{p}</a>"
        for p in range(1, pages + 1)
    )  # fmt: skip
    body = (
        '<form method="post" action="/Trang/TinTuc.aspx" id="aspnetForm">\n'
        '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">\n'
        '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">\n'
        f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}">\n'
        '<script type="text/javascript">\nvar theForm = document.forms["aspnetForm"];\n'
        "function __doPostBack(eventTarget, eventArgument) {\n"
        "  theForm.__EVENTTARGET.value = eventTarget;\n"
        "  theForm.__EVENTARGUMENT.value = eventArgument;\n  theForm.submit();\n}\n</script>\n"
        f'<h1 class="ms-title">Tin tức - Sự kiện</h1>\n<table class="ds-tin">\n{rows}</table>\n'
        f'<div class="pager">{pager}</div>\n</form>'
    )
    return page(f"Tin tức - Sự kiện - Trang {n}", body, menu)


def build_sharepoint(site: Site, items: list[Story]) -> None:
    menu = [("/", "Trang chủ"), ("/Trang/GioiThieu.aspx", "Giới thiệu"),
            ("/Trang/TinTuc.aspx", "Tin tức"), ("/Trang/ChuyenMuc.aspx?cid=2", "Kinh tế"),
            ("/Trang/LienHe.aspx", "Liên hệ")]  # fmt: skip
    for s in items:
        s.path = f"/Trang/ChiTietTinTuc.aspx?nid={14023 + 17 * (len(items) - s.index)}"
    pages = chunks(items, PER_PAGE)
    site.add("/Trang/TinTuc.aspx", postback_listing(pages[0], 1, len(pages), menu))
    site.postback = {  # answered to a POST that carries the view state
        f"Page${n}": postback_listing(chunk, n, len(pages), menu).encode()
        for n, chunk in enumerate(pages, 1)
    }
    for s in items:
        newer = [o for o in items if o.when > s.when][-3:]
        crumb = '<a href="/Trang/TinTuc.aspx">Tin tức</a>'
        site.add(s.path, page(s.title, article_body(s, newer, crumb, "Tin khác"), menu))
    economy = [s for s in items if s.category == 1][:4]
    site.add("/Trang/ChuyenMuc.aspx?cid=2",
             page("Kinh tế", f"<h1>Kinh tế</h1>\n{teasers(economy)}", menu))
    site.add("/Trang/TimKiem.aspx?k=du+lich",
             page("Tìm kiếm", f"<h1>Tìm kiếm: du lịch</h1>\n{teasers(items[3:7])}", menu))
    home = f"<h2>Tin nổi bật</h2>\n{teasers(items[:5])}"
    home += '<a href="/Trang/TimKiem.aspx?k=du+lich">Tìm kiếm</a>'
    site.add("/", page("Cổng thông tin điện tử tỉnh", home, menu))
    add_common(site, menu, about="/Trang/GioiThieu.aspx", contact="/Trang/LienHe.aspx")
    manifest(site, items, ["/", "/Trang/GioiThieu.aspx", "/Trang/LienHe.aspx",
                           "/Trang/TinTuc.aspx", "/Trang/ChuyenMuc.aspx?cid=2",
                           "/Trang/TimKiem.aspx?k=du+lich"],
             postback_pages=len(pages))  # fmt: skip


def pdf_file(stream: bytes, to_unicode: bytes | None = None) -> bytes:
    """A one-page PDF whose page draws ``stream`` in Helvetica (with a ``/ToUnicode`` CMap
    when given), with a correct xref table."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica%s >>" % (
        b" /ToUnicode 6 0 R" if to_unicode else b"")  # fmt: skip
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        font,
    ]
    if to_unicode:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(to_unicode), to_unicode))
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)


def pdf_bytes(text: str) -> bytes:
    """A small, valid one-page PDF showing ``text`` (ASCII), with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
    return pdf_file(stream)


def docx_bytes(text: str) -> bytes:
    """A minimal Word document: a zip with the package's relationship to its main part and a
    paragraph per line of ``text``, as Word writes them (what python-docx needs to open it)."""
    paragraphs = "".join(f"<w:p><w:r><w:t>{e(line)}</w:t></w:r></w:p>"
                         for line in text.split("\n"))  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   "</Types>")  # fmt: skip
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')  # fmt: skip
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                   'openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                   f"{paragraphs}</w:body></w:document>")  # fmt: skip
    return buffer.getvalue()


def text_pdf_bytes(lines: list[str]) -> bytes:
    """A small, valid one-page PDF whose text layer holds ``lines`` (any Unicode): a simple
    font whose byte codes a ``/ToUnicode`` CMap maps to the characters, as PDF writers do."""
    chars = sorted(set("".join(lines)))
    assert len(chars) < 255, "one byte per character"
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    shown = b" T* ".join(b"<%s> Tj" % "".join(f"{code[c]:02X}" for c in line).encode()
                         for line in lines)  # fmt: skip
    stream = b"BT /F1 11 Tf 14 TL 56 780 Td " + shown + b" ET"
    pairs = [f"<{code[c]:02X}> <{ord(c):04X}>" for c in chars]
    blocks = "".join(f"{len(pairs[i:i + 100])} beginbfchar\n" + "\n".join(pairs[i:i + 100])
                     + "\nendbfchar\n" for i in range(0, len(pairs), 100))  # fmt: skip
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName "
            "/Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <01> <FF> "
            f"endcodespacerange\n{blocks}endcmap CMapName currentdict /CMap defineresource pop "
            "end end").encode()  # fmt: skip
    return pdf_file(stream, to_unicode=cmap)


# the documents of the ``documents`` shape: (number, subject, body line, kind); a body line of
# None is a document with no readable text (a Word file; a damaged PDF) or none at all (a
# link to a file the server does not have)
LISTED_DOCUMENTS = [
    ("125/TB-UBND", "Thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc "
     "với ngành giáo dục", "Chủ tịch Ủy ban nhân dân tỉnh kết luận: bảo đảm đủ phòng học "
     "cho năm học mới.", "pdf"),
    ("124/TB-UBND", "Thông báo lịch tiếp công dân định kỳ tháng 12 năm 2025 của lãnh đạo tỉnh",
     "Lãnh đạo tỉnh tiếp công dân vào ngày 15 hằng tháng tại Trụ sở tiếp công dân.", "pdf"),
    ("3120/UBND-TH", "Về việc tăng cường phòng, chống rét cho cây trồng và vật nuôi",
     "Các địa phương chủ động che chắn chuồng trại, dự trữ thức ăn cho vật nuôi.", "pdf"),
    ("122/TB-UBND", "Thông báo kết quả tuyển dụng viên chức sự nghiệp giáo dục năm 2025",
     None, "doc"),
    ("121/TB-UBND", "Thông báo tạm dừng cấp nước khu vực phường Hồng Gai ngày 20/12/2025",
     None, "broken"),
    ("120/KH-UBND", "Kế hoạch kiểm tra an toàn thực phẩm dịp Tết Nguyên đán năm 2026",
     "Đoàn kiểm tra liên ngành kiểm tra các cơ sở sản xuất, kinh doanh thực phẩm.", "pdf"),
    ("119/TB-UBND", "Thông báo mời chào giá cung cấp thiết bị văn phòng cho các trường học",
     "Hồ sơ chào giá gửi về Văn phòng trước ngày 30 tháng 12 năm 2025.", "pdf"),
    ("118/TB-UBND", "Thông báo thời gian làm việc mùa đông của các cơ quan hành chính nhà nước",
     "Buổi sáng làm việc từ 7 giờ 30 phút, buổi chiều từ 13 giờ 30 phút.", "pdf"),
    ("117/TB-UBND", "Thông báo danh sách thí sinh đủ điều kiện dự thi nâng ngạch công chức",
     None, "missing"),  # linked, not on the server: a 404
    # a Word file served by a download handler: a URL with no extension
    ("116/TB-UBND", "Thông báo lịch trực Tết Nguyên đán của các cơ quan hành chính",
     "Các cơ quan bố trí cán bộ trực 24/24 giờ trong dịp nghỉ Tết.", "docx"),
]
DOC_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Word file (OLE2), not read
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def build_documents(site: Site, items: list[Story]) -> None:
    """A department site whose notices are documents linked straight from its listings: a
    "Văn bản chỉ đạo điều hành" table (number, subject linked to the PDF, date; one row whose
    subject is plain text beside a "Tải về" link; a Word file; a damaged PDF) paged in two,
    a "Thông báo" list ("… [PDF]" with the date in a span; one file missing), and a few news
    articles."""
    menu = [("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu"),
            ("/van-ban/chi-dao-dieu-hanh.html", "Văn bản chỉ đạo điều hành"),
            ("/thong-bao.html", "Thông báo"), ("/lien-he.html", "Liên hệ")]  # fmt: skip
    news = items[:8]
    for s in news:
        s.path = f"/tin/{short_slug(s.title, s.index)}.html"
        site.add(s.path, page(s.title, article_body(s, [], "Tin tức"), menu))
    documents = []
    for i, (number, subject, line, kind) in enumerate(LISTED_DOCUMENTS):
        day = dt.date(2025, 12, 22 - 2 * i)
        name = f"/uploads/van-ban/{number.replace('/', '-').lower()}." + (
            "doc" if kind == "doc" else "pdf")
        if kind == "docx":
            name = f"/van-ban/Download.aspx?id={number.split('/')[0]}"
            site.add(name, docx_bytes("\n".join([number, subject, line])), DOCX)
        elif kind == "doc":
            site.add(name, DOC_MAGIC + bytes(500), "application/msword")
        elif kind != "missing":
            data = text_pdf_bytes([f"{number}", subject, line or ""])
            site.add(name, data[: len(data) // 3] if kind == "broken" else data, "application/pdf")
        documents.append({"path": name, "title": subject, "number": number,
                          "published": day.isoformat(), "line": line, "kind": kind})
    table = documents[:5]
    listing = "/van-ban/chi-dao-dieu-hanh.html"
    pages = [table[:3], table[3:]]
    hrefs = [listing, f"{listing}?page=2"]
    for n, chunk in enumerate(pages, 1):
        rows = ""
        for j, d in enumerate(chunk):
            shown = dt.date.fromisoformat(d["published"]).strftime("%d/%m/%Y")
            icon = (f'<a href="{d["path"]}" title="Tải về"><img src="/images/pdf.gif" '
                    'alt=""></a>')  # fmt: skip
            if n == 1 and j == 1:  # the subject as plain text, the link beside it
                subject = e(d["title"])
                icon = f'<a href="{d["path"]}">Tải về</a>'
            else:
                subject = f'<a href="{d["path"]}">{e(d["title"])}</a>'
            rows += (f"<tr><td>{d['number']}</td><td class=\"trich-yeu\">{subject}</td>"
                     f"<td>{shown}</td><td>{icon}</td></tr>\n")
        body = ('<h1>Văn bản chỉ đạo điều hành</h1>\n<table class="van-ban">\n<tr><th>Số/Ký '
                "hiệu</th><th>Trích yếu</th><th>Ngày ban hành</th><th>Tệp</th></tr>\n"
                f"{rows}</table>\n{numbered_pager(hrefs, n)}")  # fmt: skip
        site.add(hrefs[n - 1], page(f"Văn bản chỉ đạo điều hành - trang {n}", body, menu))
    rows = "".join(
        f'<li><a href="{d["path"]}">{e(d["title"])} [PDF]</a> <span class="ngay">'
        f'({dt.date.fromisoformat(d["published"]).strftime("%d/%m/%Y")})</span></li>\n'
        for d in documents[5:])  # fmt: skip
    site.add("/thong-bao.html", page("Thông báo", f'<h1>Thông báo</h1>\n<ul class="ds">\n{rows}'
                                                  "</ul>", menu))  # fmt: skip
    home = f"<h2>Tin mới</h2>\n{teasers(news)}"
    site.add("/", page("Sở Nội vụ tỉnh", home, menu))
    add_common(site, menu)
    manifest(site, news, ["/", "/gioi-thieu.html", "/lien-he.html", "/thong-bao.html", *hrefs],
             documents=documents, listings=[*hrefs, "/thong-bao.html"])  # fmt: skip


def build_notices(site: Site, items: list[Story]) -> None:
    menu = [("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu"),
            ("/thong-bao/", "Thông báo"), ("/lien-he.html", "Liên hệ")]  # fmt: skip
    attachments = []
    for s in items:
        number = 120 + len(items) - s.index
        subject = NOTICE_SUBJECTS[s.index % len(NOTICE_SUBJECTS)].format(
            m=s.when.month, d=s.when.day, n=s.index // len(NOTICE_SUBJECTS) + 1)
        s.title = f"Thông báo về {subject}"
        s.path = f"/thong-bao/{number}-{'-'.join(slugify(subject).split('-')[:4])}.html"
        s.paragraphs = [f"Văn phòng Ủy ban nhân dân tỉnh thông báo {subject}; nội dung chi "
                        "tiết xem trong tệp đính kèm."]  # fmt: skip
        docx = s.index % 4 == 3
        name = f"/uploads/2025/tb-{number}." + ("docx" if docx else "pdf")
        data = (docx_bytes(s.title) if docx
                else pdf_bytes(f"THONG BAO SO {number}/TB-UBND - Van phong UBND tinh"))
        ctype = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                 if docx else "application/pdf")  # fmt: skip
        site.add(name, data, ctype)
        attachments.append(name)
        body = (
            '<div class="breadcrumb"><a href="/">Trang chủ</a> › '
            '<a href="/thong-bao/">Thông báo</a></div>\n'
            f'<div class="notice">\n<h1>{e(s.title)}</h1>\n'
            f'<p class="meta">Số: {number}/TB-UBND · {e(s.shown_date(s.index))}</p>\n'
            f'<div class="notice-body"><p>{e(s.paragraphs[0])}</p></div>\n'
            f'<p class="attach">Tệp đính kèm: <a href="{name}">{name.rsplit("/", 1)[1]}</a></p>'
            "\n</div>"
        )
        site.add(s.path, page(s.title, body, menu))
    pages = chunks(items, PER_PAGE)
    listings = []
    for n, chunk in enumerate(pages, 1):
        target = "/thong-bao/" + (f"page/{n}/" if n > 1 else "")
        rows = "".join(
            f'<li><a href="{s.path}">{e(s.title)}</a> <i>{s.when.strftime("%d/%m/%Y")}</i></li>\n'
            for s in chunk
        )
        pager = f'<a class="next" href="/thong-bao/page/{n + 1}/">Trang sau ›</a>'
        body = (f"<h1>Thông báo</h1>\n<ul class=\"ds-thong-bao\">\n{rows}</ul>\n"
                + (pager if n < len(pages) else ""))  # fmt: skip
        site.add(target, page(f"Thông báo - trang {n}", body, menu))
        listings.append(target)
    home = f"<h2>Thông báo mới</h2>\n{teasers(items[:4])}"
    site.add("/", page("Cổng thông tin điện tử tỉnh", home, menu))
    add_common(site, menu)
    manifest(site, items, ["/", "/gioi-thieu.html", "/lien-he.html", *listings],
             attachments=attachments, listings=listings)  # fmt: skip


def js_listing(title: str, endpoint: str, menu) -> str:
    """A listing that fills itself with JavaScript: no article link in the HTML."""
    body = (
        f'<h1>{e(title)}</h1>\n<div id="ds-tin" data-api="{endpoint}">Đang tải...</div>\n'
        f"<script>fetch('{endpoint}').then(r => r.json()).then(showList);</script>"
    )
    return page(title, body, menu)


def build_sitemap(site: Site, items: list[Story]) -> None:
    menu = [("/", "Trang chủ"), ("/gioi-thieu", "Giới thiệu"), ("/tin-tuc", "Tin tức"),
            ("/lien-he", "Liên hệ")]  # fmt: skip
    for s in items:
        s.path = f"/bai-viet/{'-'.join(slugify(s.title).split('-')[:6])}-{5200 + s.index}"
        body = article_body(s, [], '<a href="/tin-tuc">Tin tức</a>')
        site.add(s.path, page(s.title, body, menu))
    site.add("/tin-tuc", js_listing("Tin tức", "/api/tin?cm=1", menu))
    site.add("/", js_listing("Cổng thông tin điện tử tỉnh", "/api/tin?moi=1", menu))
    add_common(site, menu, about="/gioi-thieu", contact="/lien-he")
    site.add("/robots.txt", "User-agent: *\nDisallow: /api/\n\n"
             "Sitemap: {{BASE_URL}}/sitemap_index.xml\n", "text/plain; charset=utf-8")
    halves = [items[: len(items) // 2], items[len(items) // 2 :]]
    maps = ["/sitemaps/bai-viet-1.xml", "/sitemaps/bai-viet-2.xml", "/sitemaps/trang.xml"]
    entries = "".join(f"<sitemap><loc>{{{{BASE_URL}}}}{m}</loc></sitemap>\n" for m in maps)
    site.add("/sitemap_index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
             f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n',
             "application/xml; charset=utf-8")  # fmt: skip
    news_ns = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    for target, half in zip(maps, halves, strict=False):
        urls = "".join(
            f"<url><loc>{{{{BASE_URL}}}}{s.path}</loc><lastmod>{s.iso()}</lastmod>"
            f"<news:news><news:publication_date>{s.iso()}</news:publication_date>"
            f"<news:title>{e(s.title)}</news:title></news:news></url>\n"
            for s in half
        )
        site.add(target, '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.'
                 f'sitemaps.org/schemas/sitemap/0.9" {news_ns}>\n{urls}</urlset>\n',
                 "application/xml; charset=utf-8")  # fmt: skip
    pages = "".join(f"<url><loc>{{{{BASE_URL}}}}{p}</loc></url>\n"
                    for p in ("/", "/gioi-thieu", "/lien-he", "/tin-tuc"))  # fmt: skip
    site.add(maps[2], '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.'
             f'sitemaps.org/schemas/sitemap/0.9">\n{pages}</urlset>\n',
             "application/xml; charset=utf-8")  # fmt: skip
    manifest(site, items, ["/", "/gioi-thieu", "/lien-he", "/tin-tuc"],
             sitemaps=["/sitemap_index.xml", *maps])  # fmt: skip


def build_rss(site: Site, items: list[Story]) -> None:
    menu = [("/", "Trang chủ"), ("/gioi-thieu.htm", "Giới thiệu"),
            ("/chuyen-muc/thoi-su.htm", "Thời sự"), ("/lien-he.htm", "Liên hệ")]  # fmt: skip
    feeds = ["/rss/tin-moi.rss", "/rss/kinh-te.atom"]
    head = (f'<link rel="alternate" type="application/rss+xml" title="Tin mới" href="{feeds[0]}">'
            f'\n<link rel="alternate" type="application/atom+xml" title="Kinh tế" '
            f'href="{feeds[1]}">\n')  # fmt: skip
    for s in items:
        s.path = (f"/news/{s.when:%Y/%m}/"
                  f"{'-'.join(slugify(s.title).split('-')[:5])}-{s.index + 1:03d}.htm")
        site.add(s.path, page(s.title, article_body(s, [], "Thời sự"), menu, head))
    body = js_listing("Thời sự", "/api/list?cm=thoi-su", menu)
    site.add("/chuyen-muc/thoi-su.htm", body)
    site.add("/", page("Báo điện tử tỉnh", "<h1>Báo điện tử tỉnh</h1>\n<div id=\"hot\" "
                       "data-api=\"/api/hot\"></div>", menu, head))  # fmt: skip
    add_common(site, menu, about="/gioi-thieu.htm", contact="/lien-he.htm")
    rss_items = "".join(
        f"<item><title>{e(s.title)}</title><link>{{{{BASE_URL}}}}{s.path}</link>"
        f"<pubDate>{s.when:%a, %d %b %Y %H:%M:%S} +0700</pubDate>"
        f"<description>{e(clip(s.paragraphs[0], 140))}</description></item>\n"
        for s in items if s.category == 0
    )
    site.add(feeds[0], '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
             f"<title>Tin mới</title><link>{{{{BASE_URL}}}}/</link>\n{rss_items}</channel></rss>\n",
             "application/rss+xml; charset=utf-8")  # fmt: skip
    entries = "".join(
        f'<entry><title>{e(s.title)}</title><link href="{{{{BASE_URL}}}}{s.path}"/>'
        f"<updated>{s.iso()}</updated><id>{{{{BASE_URL}}}}{s.path}</id></entry>\n"
        for s in items if s.category == 1
    )
    site.add(feeds[1], '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/'
             f'2005/Atom"><title>Kinh tế</title>\n{entries}</feed>\n',
             "application/atom+xml; charset=utf-8")  # fmt: skip
    manifest(site, items, ["/", "/gioi-thieu.htm", "/lien-he.htm", "/chuyen-muc/thoi-su.htm"],
             feeds=feeds)


RELATED_SECTIONS = [("thoi-su", "Thời sự"), ("video", "Video"), ("emagazine", "E-magazine")]
RELATED_MAX_BODY = 380  # below the prose a dateless page needs to pass on its length alone
NEWEST_PER_SECTION = 4  # a section page shows this many teasers, and has no pager


def related_path(s: Story) -> str:
    """Three URL shapes, one per section: ``/thoi-su/<slug>-<n>.html``,
    ``/video/<slug>-v<n>.html``, ``/emagazine/<n>/<slug>.html``."""
    section = RELATED_SECTIONS[s.index % 3][0]
    slug = "-".join(slugify(s.title).split("-")[:6])
    number = 30120 + 7 * s.index
    if section == "video":
        return f"/video/{slug}-v{number}.html"
    if section == "emagazine":
        return f"/emagazine/{number}/{slug}.html"
    return f"/thoi-su/{slug}-{number}.html"


def build_related(site: Site, items: list[Story]) -> None:
    menu = [("/", "Trang chủ"), *[(f"/{c}/", n) for c, n in RELATED_SECTIONS],
            (ABOUT_RELATED, "Giới thiệu"), ("/lien-he.html", "Liên hệ")]  # fmt: skip
    for s in items:
        s.path = related_path(s)
        kept: list[str] = []
        for p in s.paragraphs:  # 1 or 2 short paragraphs: too short to pass on length alone
            if kept and (len(kept) == 2 or sum(map(len, kept)) + len(p) > RELATED_MAX_BODY):
                break
            kept.append(clip(p, RELATED_MAX_BODY - sum(map(len, kept))))
        s.paragraphs = kept
    listings = []
    for number, (section, name) in enumerate(RELATED_SECTIONS):
        in_section = items[number::3]
        for i, s in enumerate(in_section):
            related = in_section[max(0, i - 1):i] + in_section[i + 1:i + 2]  # newer, older
            site.add(s.path, page(s.title, related_article(s, related, section, name), menu,
                                  f'<meta name="pubdate" content="{s.iso()}">\n'))  # fmt: skip
        body = (f"<h1>{name}</h1>\n"
                f'<div class="list">{teasers(in_section[:NEWEST_PER_SECTION])}</div>')
        site.add(f"/{section}/", page(name, body, menu))
        listings.append(f"/{section}/")
    newest = items[:9]  # three of each section: three teaser links of each URL shape
    site.add("/", page("Báo điện tử tỉnh", f"<h2>Tin mới</h2>\n{teasers(newest)}", menu))
    add_common(site, menu, about=ABOUT_RELATED)
    site.add("/robots.txt", "User-agent: *\nAllow: /\n\nSitemap: {{BASE_URL}}/sitemap.xml\n",
             "text/plain; charset=utf-8")
    urls = "".join(f"<url><loc>{{{{BASE_URL}}}}{p}</loc></url>\n"
                   for p in [*(s.path for s in items), "/", ABOUT_RELATED, *listings])
    site.add("/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.'
             f'sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n',
             "application/xml; charset=utf-8")  # fmt: skip
    teaser_paths = {s.path for s in newest} | {
        s.path for n in range(3) for s in items[n::3][:NEWEST_PER_SECTION]}
    manifest(site, items, ["/", ABOUT_RELATED, "/lien-he.html", *listings],
             listings=listings, teasers=sorted(teaser_paths))


# the history page sits in a news section, at a URL of the section's article shape
ABOUT_RELATED = "/thoi-su/gioi-thieu-chung-ve-tinh-va-bao-dien-tu-30001.html"


def related_article(s: Story, related: list[Story], section: str, name: str) -> str:
    """An article whose date shows only under its block of the section's newer and older
    stories (and in a meta tag): no dateline near the headline. Video articles have a player
    and one caption. The block is titled by the section's name, which says nothing of how
    its stories relate to this one (under "Tin liên quan" the page's structure alone would
    read a story with its related news: pipelines.extractor.classify)."""
    if section == "video":
        content = (f'<video controls src="/media/v{s.index}.mp4"></video>\n'
                   f"<p>{e(s.paragraphs[0])}</p>\n")
    else:
        content = "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
    items = "".join(f'<li><a href="{r.path}">{e(r.title)}</a></li>\n' for r in related)
    return (
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/{section}/">{name}</a>'
        f'</div>\n<div class="article">\n<h1 class="title">{e(s.title)}</h1>\n'
        f'<div class="content">\n{content}</div>\n</div>\n'
        f'<div class="tin-lien-quan">\n<h3>{e(name)}</h3>\n<ul>\n{items}</ul>\n</div>\n'
        f'<div class="post-footer">{e(s.shown_date(s.index))} · Lượt xem: {40 + s.index}</div>'
    )


def build_empty(site: Site, items: list[Story]) -> None:
    menu = [("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu"),
            ("/chuyen-muc/tin-tuc.html", "Tin tức"), ("/lien-he.html", "Liên hệ")]  # fmt: skip
    site.add("/chuyen-muc/tin-tuc.html",
             page("Tin tức", "<h1>Tin tức</h1>\n<p>Chưa có tin bài trong chuyên mục.</p>", menu))
    site.add("/", page("Cổng thông tin", "<h1>Chào mừng</h1><p>Trang đang xây dựng.</p>", menu))
    add_common(site, menu)
    manifest(site, [], ["/", "/gioi-thieu.html", "/lien-he.html", "/chuyen-muc/tin-tuc.html"])


# --------------------------------------------------------------------------- CMS platforms


def numbered_pager(hrefs: list[str], n: int, next_text: str = "Trang sau »") -> str:
    """A numbered pager with a "next" link: ``hrefs[p - 1]`` is page p."""
    pager = " ".join(f"<span class=\"current\">{p}</span>" if p == n
                     else f'<a class="page-numbers" href="{h}">{p}</a>'
                     for p, h in enumerate(hrefs, 1))  # fmt: skip
    if n < len(hrefs):
        pager += f' <a class="next" href="{hrefs[n]}">{e(next_text)}</a>'
    return f'<div class="pagination">{pager}</div>'


def sidebar(title: str, items: list[Story], href=lambda s: s.path) -> str:
    rows = "".join(f'<li><a href="{href(s)}">{e(s.title)}</a></li>\n' for s in items)
    return f'<aside class="widget"><h3 class="widget-title">{title}</h3>\n<ul>\n{rows}</ul></aside>'


def gallery(s: Story) -> str:
    """A photo post: a gallery of captioned figures and one sentence of text."""
    figures = "".join(
        f'<figure class="wp-block-image"><img src="/wp-content/uploads/{s.when:%Y/%m}/'
        f'anh-{s.index}-{k}.jpg" alt=""><figcaption>{e(clip(s.title, 60))} (ảnh {k})'
        "</figcaption></figure>\n" for k in range(1, 4))  # fmt: skip
    return f"<p>{e(s.paragraphs[0])}</p>\n<div class=\"gallery\">\n{figures}</div>\n"


def build_wordpress(site: Site, items: list[Story]) -> None:
    """A WordPress school / commune site: dated permalinks, category/tag/author/date archives
    with ``/page/N/`` pagers, a feed, wp-json links, a "Bài viết mới" sidebar, photo posts."""
    cats = [("tin-tuc", "Tin tức"), ("hoat-dong", "Hoạt động")]
    tags = ["nam-hoc-2025", "doan-thanh-nien"]
    menu = [("/", "Trang chủ"), ("/gioi-thieu/", "Giới thiệu")]
    menu += [(f"/category/{c}/", n) for c, n in cats]
    menu += [("/video/", "Video"), ("/lien-he/", "Liên hệ")]
    for s in items:
        s.paragraphs = s.paragraphs[:3]
        slug = "-".join(slugify(s.title).split("-")[:7])
        s.path = f"/{s.when:%Y/%m/%d}/{slug}/"
    head = ('<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed/">\n'
            '<link rel="https://api.w.org/" href="/wp-json/">\n'
            '<link rel="EditURI" type="application/rsd+xml" href="/xmlrpc.php?rsd">\n')
    for s in items:  # WordPress answers a ?p=N shortlink with a redirect to the permalink
        site.redirects[normal_target(f"/?p={900 + s.index}")] = s.path
    side = sidebar("Bài viết mới", items[:5], lambda s: f"/?p={900 + s.index}")  # shortlinks
    month = items[0].when
    side += (f'\n<aside class="widget"><h3 class="widget-title">Lưu trữ</h3><ul><li><a href='
             f'"/{month:%Y/%m}/">Tháng {month.month} năm {month.year}</a></li></ul></aside>')

    def wp_page(title: str, body: str, extra_head: str = "") -> str:
        return page(title, f'<div class="content-area">{body}</div>\n{side}', menu,
                    head + extra_head)

    def archive(base: str, title: str, chosen: list[Story]) -> list[str]:
        pages = chunks(chosen, PER_PAGE)
        hrefs = [base] + [f"{base}page/{p}/" for p in range(2, len(pages) + 1)]
        for n, chunk in enumerate(pages, 1):
            body = (f'<h1 class="page-title">{e(title)}</h1>\n'
                    + "".join(f'<article class="post"><h2 class="entry-title"><a href="{s.path}">'
                              f'{e(s.title)}</a></h2><time>{s.when:%d/%m/%Y}</time>'
                              f"<p>{e(clip(s.paragraphs[0], 140))}</p></article>\n"
                              for s in chunk)
                    + numbered_pager(hrefs, n))  # fmt: skip
            site.add(hrefs[n - 1], wp_page(f"{title} - Trang {n}", body))
        return hrefs

    listings: list[str] = []
    for number, (cat, name) in enumerate(cats):
        in_cat = [s for s in items if s.category == number]
        listings += archive(f"/category/{cat}/", name, in_cat)
        for s in in_cat:
            tag = tags[s.index % 2]
            shortlink = f'<link rel="shortlink" href="/?p={900 + s.index}">\n'
            json_link = (f'<link rel="alternate" type="application/json" '
                         f'href="/wp-json/wp/v2/posts/{900 + s.index}">\n')
            photo_post = s.index % 5 == 4
            if photo_post:
                s.paragraphs = s.paragraphs[:1]
            content = (gallery(s) if photo_post
                       else "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs))
            newer = [o for o in in_cat if o.when > s.when][-3:]
            body = (
                f'<article class="post type-post">\n<header class="entry-header">'
                f'<h1 class="entry-title">{e(s.title)}</h1>\n<div class="entry-meta">'
                f'<span class="posted-on">{e(s.shown_date(s.index))}</span> · <span class='
                f'"author"><a href="/author/admin/">admin</a></span> · <a href="/category/{cat}/"'
                f'>{name}</a></div></header>\n<div class="entry-content">\n{content}</div>\n'
                f'<footer class="entry-footer">Thẻ: <a href="/tag/{tag}/" rel="tag">{tag}</a>'
                "</footer>\n</article>\n"
                + (sidebar("Bài viết liên quan", newer) if newer else "")
            )
            site.add(s.path, wp_page(s.title, body, shortlink + json_link))
    for tag in tags:
        listings += archive(f"/tag/{tag}/", f"Thẻ: {tag}",
                            [s for s in items if tags[s.index % 2] == tag][:8])
    listings += archive("/author/admin/", "Tác giả: admin", items[:8])
    listings += archive(f"/{month:%Y/%m}/", f"Tháng {month.month} năm {month.year}",
                        [s for s in items if (s.when.year, s.when.month) ==
                         (month.year, month.month)][:8])  # fmt: skip
    videos = "".join(  # a page of embedded videos, each with a caption and a date: no article
        f'<div class="video-item"><iframe src="https://www.youtube.com/embed/v{s.index}x" '
        f'allowfullscreen></iframe><h3>{e(s.title)}</h3><span class="date">{s.when:%d/%m/%Y}'
        "</span></div>\n" for s in items[:4])  # fmt: skip
    site.add("/video/", wp_page("Video", f'<h1 class="page-title">Video</h1>\n{videos}'))
    site.add("/?s=hoc+sinh", wp_page("Tìm kiếm", "<h1>Kết quả tìm kiếm cho: học sinh</h1>\n"
                                      + teasers(items[2:6])))  # fmt: skip
    home = ("<h2>Tin mới nhất</h2>\n" + teasers(items[:6])
            + '<a href="/?s=hoc+sinh">Tìm kiếm</a>')
    site.add("/", wp_page("Trường THCS Hồng Gai", home))
    feed_items = "".join(
        f"<item><title>{e(s.title)}</title><link>{{{{BASE_URL}}}}{s.path}</link>"
        f"<pubDate>{s.when:%a, %d %b %Y %H:%M:%S} +0700</pubDate></item>\n" for s in items[:10])
    site.add("/feed/", '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
             f"<title>Trường</title><link>{{{{BASE_URL}}}}/</link>\n{feed_items}</channel>"
             "</rss>\n", "application/rss+xml; charset=utf-8")  # fmt: skip
    site.add("/wp-json/", '{"name": "Trường", "routes": {}}', "application/json")
    add_common(site, menu, about="/gioi-thieu/", contact="/lien-he/")
    site.add("/gioi-thieu/", wp_page(ABOUT_TITLE, about_body()))  # with the theme's sidebar
    site.add("/lien-he/", wp_page("Liên hệ", contact_body()))
    manifest(site, items, ["/", "/gioi-thieu/", "/lien-he/", "/video/", "/?s=hoc+sinh", *listings],
             listings=listings, feeds=["/feed/"])


def build_joomla(site: Site, items: list[Story]) -> None:
    """A Joomla portal: one category's articles at the component's own URLs
    (``index.php?option=com_content&view=article&id=N:slug&catid=C&Itemid=I``, pager
    ``&limitstart=N``), the other's at SEF URLs (``/thong-bao/N-slug.html``, pager
    ``/thong-bao.html?start=N``); "Các tin khác" under each article, and print / e-mail icons
    (``tmpl=component&print=1``, ``option=com_mailto``) whose pages are not articles."""
    cats = [(5, 101, "tin-tuc", "Tin tức"), (8, 104, "thong-bao", "Thông báo")]
    menu = [("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu")]
    menu += [(f"/{alias}.html", name) for _, _, alias, name in cats]
    menu += [("/lien-he.html", "Liên hệ")]
    for s in items:
        catid, itemid, alias, _ = cats[s.category]
        number = 1200 + len(items) - s.index
        slug = "-".join(slugify(s.title).split("-")[:6])
        s.path = (f"/index.php?option=com_content&view=article&id={number}:{slug}"
                  f"&catid={catid}&Itemid={itemid}" if s.category == 0
                  else f"/{alias}/{number}-{slug}.html")  # fmt: skip
    listings = []
    for number, (catid, itemid, alias, name) in enumerate(cats):
        in_cat = [s for s in items if s.category == number]
        pages = chunks(in_cat, PER_PAGE)
        if number == 0:  # the component's own URLs: view=category&limitstart=N
            base = f"/index.php?option=com_content&view=category&id={catid}&Itemid={itemid}"
            hrefs = [base] + [f"{base}&limitstart={PER_PAGE * p}" for p in range(1, len(pages))]
            site.add(f"/{alias}.html", page(name, f"<h1>{name}</h1>\n" + "".join(
                f'<p><a href="{e(s.path)}">{e(s.title)}</a></p>\n' for s in in_cat[:6])
                + numbered_pager([e(h) for h in hrefs], 1, "Tiếp"), menu))  # fmt: skip
            listings.append(f"/{alias}.html")
        else:  # the SEF spelling: /thong-bao.html?start=N
            base = f"/{alias}.html"
            hrefs = [base] + [f"{base}?start={PER_PAGE * p}" for p in range(1, len(pages))]
        for n, chunk in enumerate(pages, 1):
            rows = "".join(
                f'<div class="item"><h2 class="item-title"><a href="{e(s.path)}">{e(s.title)}'
                f'</a></h2><dd class="published">{s.when:%d/%m/%Y}</dd>'
                f"<p>{e(clip(s.paragraphs[0], 140))}</p></div>\n" for s in chunk)  # fmt: skip
            body = (f'<div class="blog"><h1>{name}</h1>\n{rows}</div>\n'
                    + numbered_pager([e(h) for h in hrefs], n, "Tiếp"))
            site.add(hrefs[n - 1], page(f"{name} - Trang {n}", body, menu))
            listings.append(hrefs[n - 1])
        for s in in_cat:
            others = [o for o in in_cat if o.when > s.when][-4:]
            joiner = "&" if "?" in s.path else "?"
            print_url = f"{s.path}{joiner}tmpl=component&print=1&layout=default"
            mail_url = f"/index.php?option=com_mailto&tmpl=component&link=a{1200 + s.index}"
            rows = "".join(f'<li><a href="{e(o.path)}">{e(o.title)}</a> <span>'
                           f"({o.when:%d/%m/%Y})</span></li>\n" for o in others)  # fmt: skip
            body = (
                f'<div class="item-page">\n<div class="icons"><a href="{e(print_url)}" '
                f'title="In" rel="nofollow">In</a> <a href="{e(mail_url)}" title="Email">Email'
                f'</a></div>\n<h2 itemprop="headline">{e(s.title)}</h2>\n<dl class='
                f'"article-info"><dd class="published">{e(s.shown_date(s.index))}</dd></dl>\n'
                '<div itemprop="articleBody">\n'
                + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
                + "</div>\n</div>\n"
                + (f'<div class="moduletable"><h3>Các tin khác</h3>\n<ul>\n{rows}</ul></div>'
                   if others else "")
            )
            site.add(s.path, page(s.title, body, menu))
            printable = (f"<h2>{e(s.title)}</h2>\n<p>{e(s.shown_date(s.index))}</p>\n"
                         + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs))
            site.add(print_url, '<!DOCTYPE html><html><head><meta charset="utf-8">'
                     f'<meta name="robots" content="noindex, nofollow"><title>{e(s.title)}'
                     f'</title></head><body onload="window.print()">{printable}</body></html>')
            mail = page("Gửi email", '<form method="post"><input name="mailto">'
                        "<button>Gửi</button></form>", menu)  # fmt: skip
            site.add(mail_url, mail)
            site.add(mail_url.replace("&tmpl=component", ""), mail)  # Joomla serves both
    search = "/index.php?option=com_search&searchword=du+lich"
    site.add(search, page("Tìm kiếm", f"<h1>Tìm kiếm</h1>\n{teasers(items[1:5])}", menu))
    home = f'<h2>Tin mới</h2>\n{teasers(items[:6])}<a href="{e(search)}">Tìm kiếm</a>'
    site.add("/", page("Cổng thông tin điện tử huyện", home, menu))
    add_common(site, menu)
    manifest(site, items, ["/", "/gioi-thieu.html", "/lien-he.html", search, *listings],
             listings=listings)


LIFERAY_PORTLET = "_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_"


def build_liferay(site: Site, items: list[Story]) -> None:
    """A Liferay provincial portal: ``/web/guest/<section>/-/asset_publisher/<id>/content/<slug>``
    articles, linked with ``?inheritRedirect=…&redirect=…`` tails that name the listing the
    click came from; listings paginated with the portlet's ``…INSTANCE_<id>_cur=N``."""
    sections = [("tin-tuc", "AbCd1234", "Tin tức - Sự kiện"),
                ("thong-bao", "XyZw5678", "Thông báo")]  # fmt: skip
    menu = [("/web/guest/trang-chu", "Trang chủ"), ("/web/guest/gioi-thieu", "Giới thiệu")]
    menu += [(f"/web/guest/{sec}", name) for sec, _, name in sections]
    menu += [("/web/guest/lien-he", "Liên hệ")]
    for s in items:
        sec, instance, _ = sections[s.category]
        slug = "-".join(slugify(s.title).split("-")[:8])
        s.path = f"/web/guest/{sec}/-/asset_publisher/{instance}/content/{slug}"

    def link(s: Story, came_from: str) -> str:
        redirect = urlencode({"inheritRedirect": "true", "redirect": came_from})
        return f"{s.path}?{redirect}"

    listings = []
    for number, (sec, instance, name) in enumerate(sections):
        in_sec = [s for s in items if s.category == number]
        pages = chunks(in_sec, PER_PAGE)
        base = f"/web/guest/{sec}"
        cur = f"{LIFERAY_PORTLET}{instance}_cur"
        hrefs = [base] + [f"{base}?{LIFERAY_PORTLET}{instance}_delta={PER_PAGE}&"
                          f"p_p_id={LIFERAY_PORTLET}{instance}&p_p_lifecycle=0&{cur}={p}"
                          for p in range(2, len(pages) + 1)]  # fmt: skip
        for n, chunk in enumerate(pages, 1):
            here = hrefs[n - 1]
            rows = "".join(
                f'<div class="asset-abstract"><h3 class="asset-title"><a href="'
                f'{e(link(s, here))}">{e(s.title)}</a></h3><span class="metadata-publish-date">'
                f"{s.when:%d/%m/%Y}</span><div class=\"asset-summary\">"
                f"{e(clip(s.paragraphs[0], 140))}</div></div>\n" for s in chunk)  # fmt: skip
            pager = numbered_pager([e(h) for h in hrefs], n, "Tiếp")
            body = (f'<section class="portlet" id="portlet{LIFERAY_PORTLET}{instance}">'
                    f'<h2 class="portlet-title-text">{name}</h2>\n{rows}{pager}</section>')
            site.add(hrefs[n - 1], page(f"{name} - Cổng TTĐT", body, menu))
            listings.append(hrefs[n - 1])
        for s in in_sec:
            others = [o for o in in_sec if o.when > s.when][-4:]
            rows = "".join(f'<li><a href="{e(link(o, s.path))}">'
                           f"{e(o.title)}</a></li>\n" for o in others)  # fmt: skip
            body = (
                f'<section class="portlet"><div class="asset-full-content">\n'
                f'<h3 class="header-title">{e(s.title)}</h3>\n<div class="metadata">'
                f"{e(s.shown_date(s.index))}</div>\n<div class=\"journal-content-article\">\n"
                + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
                + "</div>\n</div></section>\n"
                + (f'<div class="tin-khac"><h3>Tin khác</h3>\n<ul>\n{rows}</ul></div>'
                   if others else "")
            )
            site.add(s.path, page(s.title, body, menu))
    search = "/web/guest/tim-kiem?q=kinh+te"
    site.add(search, page("Tìm kiếm", f"<h1>Tìm kiếm: kinh tế</h1>\n{teasers(items[2:6])}", menu))
    home = "<h2>Tin nổi bật</h2>\n" + "".join(
        f'<div class="news-item"><h3><a href="{e(link(s, "/web/guest/trang-chu"))}">'
        f"{e(s.title)}</a></h3></div>\n" for s in items[:6])  # fmt: skip
    home += f'<a href="{e(search)}">Tìm kiếm</a>'
    site.add("/web/guest/trang-chu", page("Cổng thông tin điện tử tỉnh", home, menu))
    site.add("/", page("Cổng thông tin điện tử tỉnh", home, menu))
    add_common(site, menu, about="/web/guest/gioi-thieu", contact="/web/guest/lien-he")
    manifest(site, items, ["/", "/web/guest/trang-chu", "/web/guest/gioi-thieu",
                           "/web/guest/lien-he", search, *listings], listings=listings)


DNN_PAGER_CONTROL = "dnn$ctr470$ViewEasyDNNNewsMain$ctl00$pager"


def dnn_form(action: str, body: str) -> str:
    """DNN wraps every page in one ASP.NET form: view state and ``__doPostBack`` everywhere."""
    return (
        f'<form method="post" action="{e(action)}" id="Form" enctype="multipart/form-data">\n'
        '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">\n'
        '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">\n'
        f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}">\n'
        '<script type="text/javascript">\nvar theForm = document.forms["Form"];\n'
        "function __doPostBack(eventTarget, eventArgument) {\n"
        "  theForm.__EVENTTARGET.value = eventTarget;\n"
        "  theForm.__EVENTARGUMENT.value = eventArgument;\n  theForm.submit();\n}\n</script>\n"
        f"{body}\n</form>"
    )


def build_dnn(site: Site, items: list[Story]) -> None:
    """A DotNetNuke portal (many ``.gov.vn`` sites): three news modules, three URL spellings.
    Ventrian-style friendly URLs (``/tin-tuc-su-kien/tabid/123/ArticleID/N/Default.aspx``, pager
    ``…/tabid/123/PageIndex/N/Default.aspx``), the plain ones (``/Default.aspx?tabid=125&
    ArticleID=N``, pager ``&PageIndex=N``) and EasyDNN's (``/hoat-dong/ArticleID/N/slug``, a
    ``__doPostBack`` pager). Every page is one ASP.NET form, has a login link with a
    ``returnurl`` and a language switch (``?language=vi-VN``); articles have print icons
    (``ctl/Print`` in the path, ``print=true&mid=`` in the query) whose pages are not articles."""
    tabs = [("tin-tuc-su-kien", 123, "Tin tức - Sự kiện"), ("thong-bao", 125, "Thông báo"),
            ("hoat-dong", 127, "Hoạt động")]  # fmt: skip
    about, contact = "/gioi-thieu/tabid/51/Default.aspx", "/lien-he/tabid/60/Default.aspx"
    easy_listing = "/hoat-dong"
    listing_of = {123: "/tin-tuc-su-kien/tabid/123/Default.aspx", 125: "/Default.aspx?tabid=125",
                  127: easy_listing}  # fmt: skip
    menu = [("/", "Trang chủ"), (about, "Giới thiệu")]
    menu += [(listing_of[tab], name) for _, tab, name in tabs]
    menu += [(contact, "Liên hệ")]
    section = {}
    for s in items:
        number = 4500 + 3 * (len(items) - s.index)
        alias, tab, _ = tabs[s.index % 3]
        section[s.index] = s.index % 3
        slug = "-".join(slugify(s.title).split("-")[:7])
        s.path = {123: f"/{alias}/tabid/{tab}/ArticleID/{number}/Default.aspx",
                  125: f"/Default.aspx?tabid={tab}&ArticleID={number}",
                  127: f"/{alias}/ArticleID/{number}/{slug}"}[tab]  # fmt: skip
    print_of = {}
    for s in items:
        number = 4500 + 3 * (len(items) - s.index)
        alias, tab, _ = tabs[section[s.index]]
        print_of[s.index] = {
            123: f"/{alias}/tabid/{tab}/ArticleID/{number}/ctl/Print/mid/468/Default.aspx",
            125: f"/Default.aspx?tabid={tab}&ArticleID={number}&mid=469&print=true",
            127: f"/{alias}/tabid/{tab}/ArticleID/{number}/ctl/Print/mid/470/Default.aspx"}[tab]

    def chrome(title: str, here: str, tab: int, body: str, head: str = "") -> str:
        joiner = "&" if "?" in here else "?"
        returnurl = urlencode({"returnurl": here})
        bar = (
            f'<div class="dnn-user"><a href="/tabid/{tab}/ctl/Login/Default.aspx?{e(returnurl)}"'
            f' rel="nofollow">Đăng nhập</a> | <a href="/tabid/{tab}/ctl/Register/Default.aspx?'
            f'{e(returnurl)}" rel="nofollow">Đăng ký</a> | <a href="{e(here + joiner)}'
            'language=vi-VN" title="Tiếng Việt">VI</a> <a href="/en-us/Default.aspx" '
            'title="English">EN</a></div>\n'
        )
        return page(title, dnn_form(here, bar + body), menu,
                    '<meta name="generator" content="DotNetNuke">\n' + head)

    listings = []
    for number, (alias, tab, name) in enumerate(tabs):
        in_tab = [s for s in items if section[s.index] == number]
        pages = chunks(in_tab, PER_PAGE)
        base = listing_of[tab]
        if tab == 123:
            hrefs = [base] + [f"/{alias}/tabid/{tab}/PageIndex/{p}/Default.aspx"
                              for p in range(2, len(pages) + 1)]  # fmt: skip
        elif tab == 125:
            hrefs = [base] + [f"{base}&PageIndex={p}" for p in range(2, len(pages) + 1)]
        else:
            hrefs = [base] * len(pages)  # one URL: the pager posts back
        for n, chunk in enumerate(pages, 1):
            rows = "".join(
                f'<div class="edn_article"><h2 class="edn_articleTitle"><a href="{e(s.path)}">'
                f'{e(s.title)}</a></h2><span class="edn_metaDetails">{s.when:%d/%m/%Y}</span>'
                f"<p>{e(clip(s.paragraphs[0], 140))}</p></div>\n" for s in chunk)  # fmt: skip
            if tab == 127:
                pager = '<div class="edn_pagination">' + " ".join(
                    f'<span class="active">{p}</span>' if p == n else
                    f"<a href=\"javascript:__doPostBack('{DNN_PAGER_CONTROL}','{p}')\">{p}</a>"
                    for p in range(1, len(pages) + 1)) + "</div>"  # fmt: skip
            else:
                pager = numbered_pager([e(h) for h in hrefs], n, "Trang sau")
            body = (f'<div class="DnnModule"><h1 class="Head">{name}</h1>\n'
                    f'<div class="edn_articleList">{rows}</div>\n{pager}</div>')
            rendered = chrome(f"{name} - Trang {n}", hrefs[n - 1], tab, body)
            if tab == 127:
                site.postback[str(n)] = rendered.encode()
                if n == 1:
                    site.add(base, rendered)
            else:
                site.add(hrefs[n - 1], rendered)
                listings.append(hrefs[n - 1])
        if tab == 127:
            listings.append(base)
        for s in in_tab:
            others = [o for o in in_tab if o.when > s.when][-4:]
            rows = "".join(f'<li><a href="{e(o.path)}">{e(o.title)}</a> '
                           f"({o.when:%d/%m/%Y})</li>\n" for o in others)  # fmt: skip
            printed = print_of[s.index]
            body = (
                f'<div class="DnnModule"><div class="edn_article edn_articleDetails">\n'
                f'<div class="edn_articleToolbar"><a href="{e(printed)}" title="In bài viết" '
                f'rel="nofollow">In</a></div>\n<h1 class="edn_articleTitle">{e(s.title)}</h1>\n'
                f'<div class="edn_metaDetails">{e(s.shown_date(s.index))}</div>\n'
                '<div class="edn_articleContent">\n'
                + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
                + "</div></div>\n"
                + (f'<div class="edn_relatedArticles"><h3>Tin tức khác</h3>\n<ul>\n{rows}</ul>'
                   "</div>" if others else "")
                + "</div>"
            )
            site.add(s.path, chrome(s.title, s.path, tab, body))
            printable = (f"<h1>{e(s.title)}</h1>\n<p>{e(s.shown_date(s.index))}</p>\n"
                         + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs))
            site.add(printed, '<!DOCTYPE html><html><head><meta charset="utf-8">'
                     f'<title>{e(s.title)}</title></head><body class="Print" onload='
                     f'"window.print()"><div class="edn_printArticle">{printable}</div>'
                     "</body></html>")
    for tab in [1, 51, 60, 130, *(tab for _, tab, _ in tabs)]:
        for control, label in (("Login", "Đăng nhập"), ("Register", "Đăng ký")):
            form = (f'<div class="dnnForm"><h2>{label}</h2><label>Tên đăng nhập</label>'
                    '<input name="dnn$ctr$Login$txtUsername"><label>Mật khẩu</label>'
                    '<input type="password" name="dnn$ctr$Login$txtPassword">'
                    f'<a href="javascript:__doPostBack(\'dnn$ctr$Login$cmdLogin\',\'\')">{label}'
                    "</a></div>")  # fmt: skip
            site.add(f"/tabid/{tab}/ctl/{control}/Default.aspx",
                     page(label, dnn_form("/", form), menu))
    site.add("/en-us/Default.aspx", page("Provincial Portal", "<h1>Welcome</h1><p>The English "
                                         "pages are being translated.</p>", menu))  # fmt: skip
    search = "/tim-kiem/tabid/130/Default.aspx?Search=kinh+te"
    site.add(search, chrome("Tìm kiếm", search, 130,
                            f"<h1>Kết quả tìm kiếm: kinh tế</h1>\n{teasers(items[2:6])}"))
    home = f"<h2>Tin mới</h2>\n{teasers(items[:6])}" + f'<a href="{e(search)}">Tìm kiếm</a>'
    site.add("/", chrome("Cổng thông tin điện tử tỉnh", "/", 1, home))
    site.add(about, chrome(ABOUT_TITLE, about, 51, about_body()))
    site.add(contact, chrome("Liên hệ", contact, 60, contact_body()))
    add_common(site, menu, about=about, contact=contact)
    for target, (data, ctype) in list(site.pages.items()):  # DNN shows a page in any language
        if ctype == HTML and "language=" not in target:  # it has: the same page, vi-VN chosen
            site.add(target + ("&" if "?" in target else "?") + "language=vi-VN", data, ctype)
    site.postback_path = easy_listing
    accounts = [t for t in site.pages if "/ctl/Login/" in t or "/ctl/Register/" in t]
    manifest(site, items, ["/", about, contact, search, *listings],
             listings=listings, prints=list(print_of.values()), accounts=accounts,
             postback_pages=len(chunks([s for s in items if section[s.index] == 2], PER_PAGE)))


def build_drupal(site: Site, items: list[Story]) -> None:
    """A Drupal site: "Tin tức" articles at path aliases (``/tin-tuc/<slug>``), "Thông báo"
    ones at ``/node/N``; views listings paged ``?page=N`` from 0 (``?page=1`` is the second
    page), taxonomy term pages (``/taxonomy/term/N``), print views (``/print/N``,
    ``/node/N/printable/print``), ``/user/login?destination=…`` links on every page, the
    front page feed ``/rss.xml``, a search page."""
    sections = [("tin-tuc", 5, "Tin tức"), ("thong-bao", 6, "Thông báo")]
    menu = [("/", "Trang chủ"), ("/gioi-thieu", "Giới thiệu")]
    menu += [(f"/{alias}", name) for alias, _, name in sections]
    menu += [("/lien-he", "Liên hệ")]
    nid = {s.index: 300 + 2 * (len(items) - s.index) for s in items}
    for s in items:
        slug = "-".join(slugify(s.title).split("-")[:7])
        s.path = f"/tin-tuc/{slug}" if s.category == 0 else f"/node/{nid[s.index]}"
    head = ('<meta name="Generator" content="Drupal 7 (http://drupal.org)">\n'
            '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">\n')
    term_names = {11: "Kinh tế", 12: "Văn hóa - Xã hội"}
    login_form = ('<form action="/user/login" method="post" id="user-login"><label>Tên đăng '
                  'nhập</label><input name="name"><label>Mật khẩu</label><input type="password"'
                  ' name="pass"><input type="submit" value="Đăng nhập"></form>')  # fmt: skip
    login_page = page("Đăng nhập | Cổng thông tin", f"<h1>Tài khoản</h1>\n{login_form}", menu, head)

    def chrome(title: str, here: str, body: str, extra_head: str = "") -> str:
        login = "/user/login?" + urlencode({"destination": here.lstrip("/") or "node"})
        site.add(login, login_page)  # the login form, whatever page it returns to
        bar = (f'<div class="region-header"><a href="{e(login)}">Đăng nhập</a> | '
               '<a href="/user/register">Đăng ký</a></div>\n')
        return page(title, bar + body, menu, head + extra_head)

    def pager(hrefs: list[str], n: int) -> str:  # n counts from 1; the URLs from ?page=0
        hrefs = [f"{hrefs[0]}?page=0", *hrefs[1:]]  # Drupal 8's pager links the first page so
        entries = []
        if n > 1:
            entries.append(f'<li class="pager-first"><a href="{e(hrefs[0])}">« đầu</a></li>')
        for p, h in enumerate(hrefs, 1):
            entries.append(f'<li class="pager-current">{p}</li>' if p == n
                           else f'<li class="pager-item"><a href="{e(h)}">{p}</a></li>')
        if n < len(hrefs):
            entries.append(f'<li class="pager-next"><a href="{e(hrefs[n])}">sau ›</a></li>')
            entries.append(f'<li class="pager-last"><a href="{e(hrefs[-1])}">cuối »</a></li>')
        return f'<h2 class="element-invisible">Trang</h2><ul class="pager">{"".join(entries)}</ul>'

    def view(base: str, title: str, chosen: list[Story]) -> list[str]:
        pages = chunks(chosen, PER_PAGE)
        hrefs = [base] + [f"{base}?page={p}" for p in range(1, len(pages))]
        for n, chunk in enumerate(pages, 1):
            rows = "".join(
                f'<div class="views-row"><h2 class="node-title"><a href="{e(s.path)}">'
                f'{e(s.title)}</a></h2><span class="date-display-single">{s.when:%d/%m/%Y}'
                f"</span><p>{e(clip(s.paragraphs[0], 140))}</p></div>\n" for s in chunk)
            body = (f'<h1 class="page-title">{e(title)}</h1>\n<div class="view-content">'
                    f"{rows}</div>\n" + pager(hrefs, n))
            site.add(hrefs[n - 1], chrome(f"{title} | Cổng thông tin", hrefs[n - 1], body))
        site.add(f"{base}?page=0", site.pages[base][0])  # the first page, as the pager links it
        return hrefs

    listings: list[str] = []
    prints = []
    for number, (alias, _, name) in enumerate(sections):
        in_sec = [s for s in items if s.category == number]
        listings += view(f"/{alias}", name, in_sec)
        for s in in_sec:
            node = nid[s.index]
            term = 11 if s.index % 3 else 12
            printed = f"/print/{node}" if number == 0 else f"/node/{node}/printable/print"
            prints.append(printed)
            others = [o for o in in_sec if o.when > s.when][-4:]
            rows = "".join(f'<li><a href="{e(o.path)}">{e(o.title)}</a> '
                           f"({o.when:%d/%m/%Y})</li>\n" for o in others)  # fmt: skip
            body = (
                f'<div id="node-{node}" class="node node-article node-full">\n'
                f'<h1 class="page-title">{e(s.title)}</h1>\n<div class="submitted">'
                f'<span class="date">{e(s.shown_date(s.index))}</span></div>\n'
                '<div class="field-name-body">\n'
                + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
                + '</div>\n<div class="field-name-field-tags">Chủ đề: <a href="/taxonomy/term/'
                f'{term}">{term_names[term]}</a></div>\n<ul class="links inline"><li '
                f'class="print_html"><a href="{printed}" title="Hiển thị bản in của trang này."'
                ' class="print-page" rel="nofollow">Bản in</a></li></ul>\n</div>\n'
                + (f'<div class="block block-views"><h2>Tin tức khác</h2>\n<ul>\n{rows}</ul>'
                   "</div>" if others else "")
            )
            links = (f'<link rel="canonical" href="{s.path}">\n'
                     f'<link rel="shortlink" href="/node/{node}">\n')
            site.add(s.path, chrome(f"{s.title} | Cổng thông tin", s.path, body, links))
            printable = (f"<h1>{e(s.title)}</h1>\n<p>{e(s.shown_date(s.index))}</p>\n"
                         + "".join(f"<p>{e(p)}</p>\n" for p in s.paragraphs)
                         + f"<p>Nguồn: {e(s.path)}</p>")
            site.add(printed, '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
                     f'<title>{e(s.title)}</title><meta name="robots" content="noindex, '
                     f'nofollow"><link rel="canonical" href="{s.path}"></head><body>'
                     f'<div class="print-content">{printable}</div></body></html>')
    for term, name in term_names.items():
        tagged = [s for s in items if (11 if s.index % 3 else 12) == term]
        listings += view(f"/taxonomy/term/{term}", name, tagged)
    for login in ["/user/login", "/user/register", "/user/password"]:
        site.add(login, login_page)
    search = "/search/node/du%20lich"
    site.add(search, chrome("Tìm kiếm", search,
                            f"<h1>Kết quả tìm kiếm</h1>\n{teasers(items[1:5])}"))
    home = f"<h2>Tin mới</h2>\n{teasers(items[:6])}" + f'<a href="{search}">Tìm kiếm</a>'
    site.add("/", chrome("Cổng thông tin điện tử huyện", "/", home))
    site.add("/node", chrome("Cổng thông tin điện tử huyện", "/node", home))
    feed_items = "".join(
        f"<item><title>{e(s.title)}</title><link>{{{{BASE_URL}}}}{s.path}</link>"
        f"<pubDate>{s.when:%a, %d %b %Y %H:%M:%S} +0700</pubDate></item>\n" for s in items[:10])
    site.add("/rss.xml", '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>Cổng thông tin</title><link>{{{{BASE_URL}}}}/</link>\n{feed_items}"
             "</channel></rss>\n", "application/rss+xml; charset=utf-8")  # fmt: skip
    add_common(site, menu, about="/gioi-thieu", contact="/lien-he")
    site.add("/gioi-thieu", chrome(ABOUT_TITLE, "/gioi-thieu", about_body()))
    site.add("/lien-he", chrome("Liên hệ", "/lien-he", contact_body()))
    manifest(site, items, ["/", "/gioi-thieu", "/lien-he", search, *listings],
             listings=listings, prints=prints, feeds=["/rss.xml"],
             accounts=[t for t in site.pages if t.startswith("/user/")])


def add_common(site: Site, menu, about="/gioi-thieu.html", contact="/lien-he.html") -> None:
    site.add(about, page(ABOUT_TITLE, about_body(), menu))
    site.add(contact, page("Liên hệ", contact_body(), menu))
    if "/robots.txt" not in site.pages:
        site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")


BUILDERS = {"cms": build_cms, "sharepoint": build_sharepoint, "notices": build_notices,
            "sitemap": build_sitemap, "rss": build_rss, "related": build_related,
            "wordpress": build_wordpress, "joomla": build_joomla, "liferay": build_liferay,
            "dnn": build_dnn, "drupal": build_drupal, "empty": build_empty,
            "documents": build_documents}  # fmt: skip


def build_site(shape: str, articles: int = DEFAULT_ARTICLES) -> Site:
    """The pages and manifest of one site of ``shape`` with ``articles`` articles."""
    site = Site(shape)
    BUILDERS[shape](site, stories(articles if shape != "empty" else 0))
    return site


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Write one local test site to a folder.")
    ap.add_argument("shape", choices=SHAPES)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    args = ap.parse_args(argv)
    site = build_site(args.shape, args.articles)
    for target, (data, _) in site.pages.items():
        name = target.lstrip("/").replace("?", "@") or "index.html"
        path = args.out / (name + "index.html" if name.endswith("/") else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (args.out / "manifest.json").write_text(json.dumps(site.manifest, ensure_ascii=False, indent=1))
    print(f"wrote {len(site.pages)} pages of the {args.shape} site to {args.out}")


if __name__ == "__main__":
    main()
