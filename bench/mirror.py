"""A synthetic Vietnamese news site for the benchmarks, generated on the fly, served fast.

Every page is a pure function of its URL (and N, the number of articles), built from a
cheap template: no files, same bytes on every run. Article pages weigh 100-250 KB like the
real provincial sites (inline CSS and scripts, a mega menu, sidebars with thumbnails, a
footer of links) around a body of Vietnamese paragraphs, a date ``dd/mm/yyyy HH:MM`` and a
"Tin liên quan" block linking other mirror articles. Listing pages (20 articles each, with
pagination) link every article; the home page links the first page of each section.

URLs (ids run 1..N)::

    /                                           home
    /chuyen-muc/<section>/trang-<k>.html        listing page k of a section
    /tin-tuc/<slug>-<100000+id>.html            article

Serve it (a separate process; ``--workers`` processes share the port with SO_REUSEPORT)::

    python bench/mirror.py serve --pages 2000 [--port 0] [--workers 1] [--pager next]

prints ``mirror at http://127.0.0.1:PORT/ pages=N`` once listening. ``python bench/mirror.py
loadtest --pages 2000`` measures how fast it serves (pages/s and MB/s) with keep-alive clients.

``--pager`` shapes the listings' pagination: ``numbered`` (default: page numbers around the
current one, the first and last, and "Trang sau") or ``next`` (only a "Trang sau" link, as many
provincial portals do: a crawler sees one listing page at a time).

``--source real`` serves article pages varied from the real pages in ``../shared/fixtures/vn``
(read from there when the server starts, never copied into the project): article i is the real
page ``REAL_KEYS[i % 4]`` with its headline, its body paragraphs (those found verbatim in the
HTML), its own URL and its related links replaced, so every article has its own text and links
to other mirror articles, inside the real page's markup, scripts and menus. Listings and the
home page stay the synthetic ones (the crawl only follows their links).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import html
import os
import random
import re
import socket
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vntext  # noqa: E402

PER_PAGE = 20
ID_OFFSET = 100000
SITE = "Báo Điện tử Tỉnh Mẫu"
E = html.escape
ARTICLE_RE = re.compile(r"^/tin-tuc/[a-z0-9-]+-(\d+)\.html$")
LISTING_RE = re.compile(r"^/chuyen-muc/([a-z-]+)/trang-(\d+)\.html$")
SECTIONS = vntext.SECTION_NAMES
SECTION_INDEX = {slug: k for k, (slug, _) in enumerate(SECTIONS)}
EPOCH = datetime(2019, 1, 1, 6, 0)


# --------------------------------------------------------------------------- content
@functools.lru_cache(maxsize=1_000_000)
def article_title(i: int) -> str:
    return vntext.title(random.Random(i * 7919))


@functools.lru_cache(maxsize=1_000_000)
def article_path(i: int) -> str:
    return f"/tin-tuc/{vntext.slugify(article_title(i))}-{ID_OFFSET + i}.html"


def article_time(i: int) -> datetime:
    return EPOCH + timedelta(minutes=97 * i + (i * 13) % 59)


def section_of(i: int) -> int:
    return i % len(SECTIONS)


def section_ids(section: int, n: int) -> range:
    """Article ids of a section, newest first."""
    last = n - ((n - section) % len(SECTIONS))
    first = section if section else len(SECTIONS)
    return range(last, first - 1, -len(SECTIONS))


def listing_path(section: int, page: int) -> str:
    return f"/chuyen-muc/{SECTIONS[section][0]}/trang-{page}.html"


# --------------------------------------------------------------------------- chrome (built once)
def _build_chrome() -> dict[str, str]:
    rng = random.Random(20240601)
    css = "\n".join(
        f".c{k}{{margin:{k % 7}px {k % 5}px;padding:{k % 3}px;"
        f"color:#{k * 2654435761 % 0xFFFFFF:06x};font:{12 + k % 6}px/1.{k % 9} Arial,sans-serif}}"
        for k in range(260)
    )
    blob = "".join(
        f'{{"id":{k},"zone":"{vntext.slugify(vntext.title(rng))}","w":{300 + k % 400},'
        f'"h":{250 + k % 90},"u":"https://static.example.invalid/ads/{k:06d}.js"}},'
        for k in range(900)
    )
    sub = [[vntext.title(rng)[:rng.randint(12, 30)].strip() for _ in range(12)] for _ in SECTIONS]
    menu = "".join(
        f'<li class="menu-item has-sub"><a href="{listing_path(k, 1)}" class="menu-link">'
        f"{E(name)}</a>"
        '<ul class="sub-menu">'
        + "".join(
            f'<li class="sub-item"><a href="{listing_path(k, 1)}" data-id="{k * 100 + j}">'
            f"{E(t)}</a></li>"
            for j, t in enumerate(sub[k])
        )
        + "</ul></li>"
        for k, (_, name) in enumerate(SECTIONS)
    )
    header = (
        '<div class="topbar"><div class="container"><span class="today">Hôm nay</span>'
        '<a href="/" class="lang">Tiếng Việt</a><a href="/" class="lang">English</a>'
        '<a href="/" class="lang">中文</a></div></div>'
        '<header class="site-header"><div class="container"><a href="/" class="logo">'
        f'<img src="/static/logo.png" alt="{E(SITE)}" width="320" height="80"></a>'
        '<div class="header-banner ads-slot" data-zone="top"><img src="/static/banner-top.jpg"'
        ' alt="Quảng cáo"></div>'
        '<form class="search-form" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm...">'
        '<button type="submit"><svg width="16" height="16" viewBox="0 0 16 16"><path d="M11 6a5 5 0'
        ' 1 1-10 0 5 5 0 0 1 10 0zm-1 5 5 5"/></svg></button></form></div>'
        f'<nav class="main-nav"><ul class="menu"><li><a href="/">Trang chủ</a></li>{menu}</ul>'
        "</nav></header>"
    )
    footer_links = "".join(
        f'<li><a href="{listing_path(k % len(SECTIONS), 1)}">{E(t)}</a></li>'
        for k, t in enumerate(w for row in sub for w in row[:8])
    )
    footer = (
        '<footer class="site-footer"><div class="container"><div class="footer-menu"><ul>'
        f"{footer_links}</ul></div>"
        f'<div class="footer-info"><p><strong>{E(SITE.upper())}</strong></p>'
        "<p>Cơ quan chủ quản: Tỉnh ủy tỉnh mẫu. Giấy phép số 123/GP-BTTTT.</p>"
        "<p>Tổng Biên tập: Nguyễn Văn Mẫu. Phó Tổng Biên tập: Trần Thị Thử, Lê Văn Kiểm.</p>"
        "<p>Địa chỉ: số 1 đường Thử Nghiệm, phường Mẫu, tỉnh Mẫu. Điện thoại: 0203.000.000.</p>"
        "<p>Ghi rõ nguồn khi phát hành lại thông tin từ website này. Trang mẫu hư cấu.</p>"
        "</div></div></footer>"
    )
    scripts = (
        '<script async src="https://www.googletagmanager.example.invalid/gtag/js?id=G-TEST"></script>'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "gtag('js',new Date());gtag('config','G-TEST');</script>"
        '<script type="application/json" id="ad-config">[' + blob[: len(blob) // 3] + "{}]</script>"
    )
    return {"css": css, "header": header, "footer": footer, "scripts": scripts, "blob": blob}


CHROME = _build_chrome()


@functools.lru_cache(maxsize=200_000)
def _teaser(j: int, cls: str, with_img: bool) -> str:
    t = E(article_title(j))
    p = article_path(j)
    img = (
        f'<a href="{p}" class="thumb"><img src="/images/{j}-thumb.jpg" data-src="/images/'
        f'{j}-thumb.jpg" srcset="/images/{j}-320.jpg 320w, /images/{j}-640.jpg 640w"'
        f' alt="{t}" loading="lazy" width="160" height="100"></a>'
        if with_img else ""
    )
    return (f'<li class="{cls}">{img}<h3 class="title"><a href="{p}">{t}</a></h3>'
            f'<span class="time">{article_time(j):%d/%m/%Y}</span></li>')


def _teasers(ids: list[int], cls: str, with_img: bool = True) -> str:
    return "".join(_teaser(j, cls, with_img) for j in ids)


_POOL_RNG = random.Random(42)
PARAGRAPHS = [vntext.paragraph(_POOL_RNG) for _ in range(3000)]
SENTENCES = [vntext.sentence(_POOL_RNG, 6, 12) for _ in range(500)]


def _page(title: str, head_extra: str, main: str, aside: str, rng: random.Random) -> bytes:
    blob = CHROME["blob"]
    extra = blob[: rng.randint(0, len(blob))]  # page weight varies per page: 100-250 KB
    doc = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{E(title)} - {E(SITE)}</title>{head_extra}"
        f'<link rel="stylesheet" href="/static/main.css"><style>{CHROME["css"]}</style>'
        f'{CHROME["scripts"]}</head><body class="page">{CHROME["header"]}'
        f'<div class="container main-wrap"><div class="row"><main class="col-main">{main}</main>'
        f'<aside class="col-side">{aside}</aside></div></div>{CHROME["footer"]}'
        f'<script>var _tracking={{"zones":[{extra}{{}}]}};</script></body></html>'
    )
    return doc.encode("utf-8")


def sidebar(i: int, n: int, rng: random.Random) -> str:
    latest = list(range(n, max(0, n - 12), -1))
    popular = [rng.randint(1, n) for _ in range(10)]
    section = section_of(i)
    more = list(section_ids(section, n)[:14])
    video = [rng.randint(1, n) for _ in range(8)]
    return (
        '<div class="box box-latest"><h2 class="box-title">Tin mới nhất</h2><ul>'
        f'{_teasers(latest, "item", with_img=False)}</ul></div>'
        '<div class="box box-mostread"><h2 class="box-title">Đọc nhiều</h2><ol>'
        f'{_teasers(popular, "item")}</ol></div>'
        '<div class="ads-slot banner" data-zone="right1"><a href="https://ads.example.invalid/">'
        '<img src="/static/ad-300x600.jpg" alt="Quảng cáo" width="300" height="600"></a></div>'
        f'<div class="box box-section"><h2 class="box-title">{E(SECTIONS[section][1])}</h2><ul>'
        f'{_teasers(more, "item")}</ul></div>'
        '<div class="box box-video"><h2 class="box-title">Video</h2><ul>'
        f'{_teasers(video, "item video")}</ul></div>'
    )


def article_page(i: int, n: int) -> bytes:
    rng = random.Random(i)
    title = article_title(i)
    when = article_time(i)
    section = section_of(i)
    sapo = vntext.paragraph(rng, 2, 3)
    paras = [PARAGRAPHS[rng.randrange(len(PARAGRAPHS))] for _ in range(rng.randint(12, 28))]
    rare = vntext.rare_term(rng)
    if rare:
        paras[rng.randrange(len(paras))] += f" Đặc sản {rare} được nhiều du khách tìm mua."
    body = []
    for k, p in enumerate(paras):
        body.append(f"<p>{E(p)}</p>")
        if k in (3, 11):
            body.append(
                f'<figure class="image"><img src="/images/{i}-{k}.jpg" alt="" width="800"'
                f' height="533"><figcaption>{E(rng.choice(SENTENCES))}</figcaption></figure>'
            )
    related = sorted({rng.randint(1, n) for _ in range(6)} - {i}) or [1 + i % n]
    related_html = "".join(
        f'<li><a href="{article_path(j)}" title="{E(article_title(j))}">{E(article_title(j))}</a>'
        "</li>"
        for j in related
    )
    author = f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'])} {rng.choice(['Văn', 'Thị', 'Minh', 'Thu'])} {rng.choice(['An', 'Bình', 'Hà', 'Dũng', 'Lan', 'Sơn'])}"  # noqa: E501
    path = article_path(i)
    head = (
        f'<meta name="description" content="{E(sapo[:300])}">'
        f'<meta property="og:title" content="{E(title)}">'
        '<meta property="og:type" content="article">'
        f'<meta property="og:image" content="/images/{i}-0.jpg">'
        f'<meta property="og:url" content="{path}">'
        f'<link rel="canonical" href="{path}">'
    )
    main = (
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="{listing_path(section, 1)}">'
        f"{E(SECTIONS[section][1])}</a></div>"
        f'<article class="article"><h1 class="article-title">{E(title)}</h1>'
        f'<div class="article-meta"><span class="date">{when:%d/%m/%Y %H:%M}</span>'
        '<div class="share"><a href="https://facebook.example.invalid/share" class="fb">'
        'Chia sẻ</a><a href="https://zalo.example.invalid/share" class="zalo">Zalo</a></div></div>'
        f'<div class="sapo">{E(sapo)}</div>'
        f'<div class="detail-content">{"".join(body)}'
        f'<p class="author" style="text-align:right"><strong>{E(author)}</strong></p></div>'
        '<div class="tags"><span>Từ khóa:</span>'
        + "".join(f'<a href="/tag/{vntext.slugify(w)}">{E(w)}</a>'
                  for w in rng.sample(vntext.WORDS[40:120], 5))
        + "</div>"
        '<div class="box-related"><h2 class="title">Tin liên quan</h2>'
        f"<ul>{related_html}</ul></div></article>"
    )
    return _page(title, head, main, sidebar(i, n, rng), rng)


PAGERS = ("numbered", "next")


def listing_page(section: int, page: int, n: int, pager_shape: str = "numbered") -> bytes | None:
    ids = section_ids(section, n)
    pages = max(1, -(-len(ids) // PER_PAGE))
    if page < 1 or page > pages:
        return None
    rng = random.Random(-(section * 100003 + page))
    chunk = list(ids[(page - 1) * PER_PAGE : page * PER_PAGE])
    items = "".join(
        f'<div class="story"><a class="thumb" href="{article_path(j)}"><img src="/images/{j}.jpg"'
        f' alt=""></a><h2 class="story-title"><a href="{article_path(j)}">'
        f"{E(article_title(j))}</a></h2><p class=\"summary\">"
        f"{E(vntext.sentence(random.Random(j), 14, 24))}</p></div>"
        for j in chunk
    )
    window = sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})
    if pager_shape == "next":
        window = []
    pager = "".join(
        f'<a href="{listing_path(section, k)}" class="{"active" if k == page else ""}">{k}</a>'
        for k in window
    )
    if page < pages:
        pager += f'<a href="{listing_path(section, page + 1)}" class="next">Trang sau</a>'
    name = SECTIONS[section][1]
    main = f'<h1 class="cat-title">{E(name)}</h1><div class="stories">{items}</div>' \
           f'<div class="pagination">{pager}</div>'  # fmt: skip
    return _page(f"{name} - trang {page}", "", main, sidebar(section + 1, n, rng), rng)


def home_page(n: int) -> bytes:
    rng = random.Random(0)
    boxes = "".join(
        f'<section class="home-box"><h2><a href="{listing_path(k, 1)}">{E(name)}</a></h2><ul>'
        f"{_teasers(list(section_ids(k, n)[:6]), 'item')}</ul></section>"
        for k, (_, name) in enumerate(SECTIONS)
    )
    return _page(SITE, "", boxes, sidebar(1, n, rng), rng)


def render(
    path: str, n: int, pager_shape: str = "numbered", source: str = "synthetic"
) -> bytes | None:
    """The page at ``path`` (bytes of UTF-8 HTML), or None for a 404."""
    path = path.split("?", 1)[0]
    if path in ("/", "/index.html"):
        return home_page(n)
    m = ARTICLE_RE.match(path)
    if m:
        i = int(m.group(1)) - ID_OFFSET
        if 1 <= i <= n and path == article_path(i):
            return real_article_page(i, n) if source == "real" else article_page(i, n)
        return None
    m = LISTING_RE.match(path)
    if m and m.group(1) in SECTION_INDEX:
        return listing_page(SECTION_INDEX[m.group(1)], int(m.group(2)), n, pager_shape)
    return None


def all_article_urls(base: str, n: int) -> list[str]:
    return [base.rstrip("/") + article_path(i) for i in range(1, n + 1)]


# --------------------------------------------------------------------------- real pages
SOURCES = ("synthetic", "real")
REAL_KEYS = ("baolaocai", "vtcnews", "tienphong", "vnexpress-2023")
SHARED = Path(__file__).resolve().parents[2] / "shared"  # beside the clone (--shared DIR)
REAL_DIR = SHARED / "fixtures" / "vn"


def use_shared(shared: str | Path) -> None:
    """Read the real pages from ``shared``/fixtures/vn."""
    global REAL_DIR
    REAL_DIR = Path(shared) / "fixtures" / "vn"
    real_template.cache_clear()


@functools.cache
def real_template(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A real page cut at the places a variant changes: ``chunks`` and the ``slots`` between
    them ('title', 'para', 'self' for the page's own URL, 'related' for a related link's href).
    """
    import json
    from urllib.parse import urlsplit

    page = (REAL_DIR / f"{key}.html").read_bytes().decode("utf-8")
    truth = json.loads((REAL_DIR / f"{key}.json").read_text(encoding="utf-8"))
    needles = [(truth["url"], "self"), (urlsplit(truth["url"]).path, "self")]
    needles += [(v, "title") for v in {truth["title"], E(truth["title"], quote=False)}]
    for para in truth["paragraphs"]:
        if len(para) >= 40:
            needles += [(v, "para") for v in {para, E(para, quote=False)}]
    for link in truth["related"]:
        needles += [(f'"{v}"', "related") for v in (link["url"], urlsplit(link["url"]).path)]
    found = []
    for needle, kind in needles:
        start = page.find(needle)
        while start >= 0:
            found.append((start, -len(needle), kind))
            start = page.find(needle, start + len(needle))
    chunks, slots, pos = [], [], 0
    for start, minus_len, kind in sorted(found):
        if start < pos:
            continue  # inside a longer match (a path inside its absolute URL)
        chunks.append(page[pos:start])
        slots.append(kind)
        pos = start - minus_len
    chunks.append(page[pos:])
    return tuple(chunks), tuple(slots)


def real_article_page(i: int, n: int) -> bytes:
    """Article ``i``: a real page with its own headline, paragraphs, URL and related links."""
    rng = random.Random(i)
    chunks, slots = real_template(REAL_KEYS[i % len(REAL_KEYS)])
    title = E(article_title(i), quote=False)
    out = [chunks[0]]
    for kind, chunk in zip(slots, chunks[1:], strict=True):
        if kind == "title":
            out.append(title)
        elif kind == "para":
            out.append(E(PARAGRAPHS[rng.randrange(len(PARAGRAPHS))], quote=False))
        elif kind == "self":
            out.append(article_path(i))
        else:
            out.append(f'"{article_path(rng.randint(1, n))}"')
        out.append(chunk)
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- server
async def _handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int, pager_shape: str,
    source: str,
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split()
            method, path = (parts[0], parts[1]) if len(parts) >= 2 else ("GET", "/")
            body = render(path, n, pager_shape, source)
            if body is None:
                status, body, ctype = "404 Not Found", b"not found", "text/plain"
            else:
                status, ctype = "200 OK", "text/html; charset=utf-8"
            close = b"connection: close" in head.lower()
            writer.write(
                (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                 f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n").encode("latin-1")
                + (b"" if method == "HEAD" else body)
            )  # fmt: skip
            await writer.drain()
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def _serve_socket(sock: socket.socket, n: int, pager_shape: str, source: str) -> None:
    async def run() -> None:
        server = await asyncio.start_server(
            lambda r, w: _handle(r, w, n, pager_shape, source), sock=sock
        )
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


def serve(
    n: int, host: str = "127.0.0.1", port: int = 0, workers: int = 1,
    pager_shape: str = "numbered", source: str = "synthetic",
) -> None:
    if source == "real":
        for key in REAL_KEYS:
            real_template(key)  # read the real pages once, before forking
    sock = _listen(host, port)
    port = sock.getsockname()[1]
    children = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            _serve_socket(sock, n, pager_shape, source)
            os._exit(0)
        children.append(pid)
    print(f"mirror at http://{host}:{port}/ pages={n} pager={pager_shape} source={source}",
          flush=True)
    _serve_socket(sock, n, pager_shape, source)


# --------------------------------------------------------------------------- load test
def loadtest(base: str, n: int, seconds: float = 5.0, clients: int = 8) -> dict:
    """Fetch article pages with ``clients`` keep-alive connections (threads) for ``seconds``."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    host = urlsplit(base)
    paths = [article_path(i) for i in range(1, n + 1)]
    counts = [0] * clients
    sizes = [0] * clients
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port)
        j = k
        while time.monotonic() < stop:
            conn.request("GET", paths[j % len(paths)])
            resp = conn.getresponse()
            sizes[k] += len(resp.read())
            counts[k] += 1
            j += clients

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    return {"pages_per_s": sum(counts) / wall, "mb_per_s": sum(sizes) / wall / 1e6,
            "pages": sum(counts), "avg_kb": sum(sizes) / max(1, sum(counts)) / 1024}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="serve the mirror until killed")
    s.add_argument("--pages", type=int, default=2000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--pager", choices=PAGERS, default="numbered", help="listings' pager shape")
    s.add_argument("--source", choices=SOURCES, default="synthetic",
                   help="article pages: synthetic, or varied from the real pages")
    s.add_argument("--shared", default=str(SHARED), help="the shared folder of real pages")
    t = sub.add_parser("loadtest", help="start a server, measure how fast it serves, stop it")
    t.add_argument("--pages", type=int, default=2000)
    t.add_argument("--seconds", type=float, default=5.0)
    t.add_argument("--workers", type=int, default=1)
    z = sub.add_parser("sizes", help="print size statistics of the first pages")
    z.add_argument("--pages", type=int, default=2000)
    z.add_argument("--sample", type=int, default=200)
    args = ap.parse_args(argv)
    if args.cmd == "serve":
        use_shared(args.shared)
        serve(args.pages, args.host, args.port, args.workers, args.pager, args.source)
    elif args.cmd == "loadtest":
        with MirrorServer(args.pages, args.workers) as base:
            r = loadtest(base, args.pages, args.seconds)
        print(f"mirror served {r['pages_per_s']:.0f} article pages/s ({r['mb_per_s']:.0f} MB/s, "
              f"avg {r['avg_kb']:.0f} KB) to 8 keep-alive clients")  # fmt: skip
    else:
        t0 = time.perf_counter()
        sizes = [len(article_page(i, args.pages)) for i in range(1, args.sample + 1)]
        dt = time.perf_counter() - t0
        print(f"{len(sizes)} article pages: min {min(sizes) / 1024:.0f} KB, "
              f"mean {sum(sizes) / len(sizes) / 1024:.0f} KB, max {max(sizes) / 1024:.0f} KB; "
              f"{dt / len(sizes) * 1000:.2f} ms to render each")  # fmt: skip
    return 0


class MirrorServer:
    """Context manager: run ``mirror.py serve`` in a child process, yield its base URL."""

    def __init__(
        self, pages: int, workers: int = 1, pager_shape: str = "numbered",
        source: str = "synthetic", port: int = 0,
    ):
        self.pages, self.workers, self.pager_shape = pages, workers, pager_shape
        self.source, self.port = source, port
        self.proc = None

    def __enter__(self) -> str:
        import subprocess

        self.proc = subprocess.Popen(
            [sys.executable, __file__, "serve", "--pages", str(self.pages),
             "--workers", str(self.workers), "--pager", self.pager_shape,
             "--source", self.source, "--shared", str(REAL_DIR.parents[1]),
             "--port", str(self.port)],
            stdout=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        line = self.proc.stdout.readline()
        m = re.search(r"(http://\S+/)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"mirror did not start: {line!r}")
        self.base = m.group(1)
        return self.base

    def __exit__(self, *exc) -> None:
        import signal

        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)


if __name__ == "__main__":
    sys.exit(main())
