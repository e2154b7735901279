"""A hostile news site on 127.0.0.1: every way a provincial portal misbehaves, in one server.

As a script (manual checks; port 0 picks a free port, the printed URL has the real one)::

    python tests/hostile/server.py --port 8766 [--robots-error]

From Python / pytest::

    server = HostileServer(robots_error=False).start()   # a thread
    server.base_url                                      # "http://127.0.0.1:54321"
    server.requests(path)                                # logged requests for one path
    server.stop()

The home page links ``/chuyen-muc/tin-tuc/`` (good articles), ``/chuyen-muc/su-co/`` (the
misbehaving pages) and ``/private/`` (disallowed by robots.txt). What each page does is listed
in :mod:`content` (``tests/hostile/content.py``). Every request is logged with its time, path
and Host header, so a test can tell what was fetched, how often and when.
"""

from __future__ import annotations

import argparse
import html
import random
import socket
import struct
import sys
import threading
import time
import unicodedata
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``content`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import content as c  # type: ignore[no-redef]
else:
    from . import content as c

ROBOTS = "User-agent: *\nDisallow: /private/\n"
SITE_NAME = "Báo Thử Nghiệm Tỉnh"


# --- page builders --------------------------------------------------------------------------
def page(title: str, body: str, *, charset: str | None = "utf-8", extra_head: str = "") -> str:
    meta = f'<meta charset="{charset}">\n' if charset else ""
    return (
        f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n{meta}'
        f"<title>{html.escape(title)} - {SITE_NAME}</title>\n{extra_head}</head>\n<body>\n"
        '<div class="menu"><a href="/">Trang chủ</a> | <a href="/chuyen-muc/tin-tuc/">Tin tức</a>'
        ' | <a href="/chuyen-muc/su-co/">Sự cố</a></div>\n'
        f'{body}\n<div class="footer">© {SITE_NAME}. Giấy phép số 12/GP-STTTT.</div>\n'
        "</body>\n</html>\n"
    )


def article_body(article: c.GoodArticle, related: str = "") -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return (
        f'<div class="detail">\n<h1 class="title">{html.escape(article.title)}</h1>\n'
        f'<div class="date">{article.date}</div>\n'
        f'<div class="detail-content">\n{paragraphs}\n</div>\n</div>\n{related}'
    )


def related_block(base_url: str, port: int) -> str:
    """'Tin liên quan' with every kind of link a related block should not turn into a fetch."""
    self_url = c.RELATED_PAGE
    links = [
        (self_url, "Hà Giang: Mùa hoa tam giác mạch nở rộ trên cao nguyên đá"),
        (f"{base_url}{self_url}#binh-luan", "Bình luận về mùa hoa tam giác mạch năm nay"),
        ("javascript:void(0)", "Xem thêm tin cùng chuyên mục du lịch vùng cao"),
        ("JavaScript:moBai(5002)", "Lễ hội chợ tình Khâu Vai năm nay có gì mới"),
        (f"  javascript:window.open('{c.JS_TARGET}')  ", "Bí ẩn hang động mới ở Đồng Văn"),
        ("mailto:toasoan@baothunghiem.vn?subject=tin-lien-quan-5006.html",
         "Gửi ý kiến cho tòa soạn về bài viết này"),
        (f"http://{c.OFFSITE_HOST}:{port}/bai-viet/tin-mien-khac-5003.html",
         "Lạng Sơn: Mùa hoa đào Mẫu Sơn khoe sắc"),
        ("https://baokhac.example/bai-viet/tin-tren-bao-khac-5004.html",
         "Cao Bằng: Thác Bản Giốc mùa nước đổ"),
        ("/bai-viet/quang-ninh-don-khach-1001.html",
         "Quảng Ninh đón hơn 1,2 triệu lượt khách trong tháng Tư"),
    ]  # fmt: skip
    items = "\n".join(f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>' for u, t in links)
    return (
        '<div class="box box-tinlienquan">\n<div class="title">Tin liên quan</div>\n'
        f'<ul class="list">\n{items}\n</ul>\n</div>\n'
    )


def good_page(article: c.GoodArticle, base_url: str, port: int) -> tuple[bytes, str]:
    """Bytes and Content-Type of one good article, in its encoding."""
    related = related_block(base_url, port) if article.path == c.RELATED_PAGE else ""
    body = article_body(article, related)
    if article.encoding == "cp1258-meta":
        text = page(article.title, body, charset="windows-1258")
        return c.to_cp1258(text), "text/html"
    if article.encoding == "cp1258-none":
        return c.to_cp1258(page(article.title, body, charset=None)), "text/html"
    if article.encoding == "cp1258-lying":
        return c.to_cp1258(page(article.title, body, charset=None)), "text/html; charset=utf-8"
    if article.encoding == "nfd":
        text = unicodedata.normalize("NFD", page(article.title, body))
        return text.encode("utf-8"), "text/html; charset=utf-8"
    if article.path == "/bai-viet/html-loi-2005.html":
        return malformed_page(article).encode("utf-8"), "text/html; charset=utf-8"
    if article.path == c.SINGLE_LINE:
        return single_line_page(article), "text/html; charset=utf-8"
    return page(article.title, body).encode("utf-8"), "text/html; charset=utf-8"


def malformed_page(article: c.GoodArticle) -> str:
    p1, p2, p3 = (html.escape(p) for p in article.paragraphs)
    return (
        "<html><head><meta charset=utf-8><title>"
        + html.escape(article.title)
        + "</title><body><form id=aspnetForm method=post action=/><div class=menu>"
        "<a href=/>Trang chủ<a href=/chuyen-muc/tin-tuc/>Tin tức</a></td></tr>"
        "<form action=/tim-kiem><input name=q><b>Tìm<i>kiếm</b></i>"
        "<table><tr><td><div class=detail><h1 class=title>"
        + html.escape(article.title)
        + "</h1><div class=date>"
        + article.date
        + "</span></div>"
        "<div class=detail-content><p>"
        + p1
        + "<p>"
        + p2
        + "</font><form><p>"
        + p3
        + "</div></td></div></form><p>© "
        + SITE_NAME
        + "</body></html"
    )


_single_line_cache: dict[str, bytes] = {}


def single_line_page(article: c.GoodArticle) -> bytes:
    if article.path not in _single_line_cache:
        text = page(article.title, article_body(article)).replace("\n", " ")
        filler_len = c.SINGLE_LINE_BYTES - len(text.encode("utf-8")) - 64
        unit = "".join(random.Random(2006).choices("abcdefghijklmnopqrstuvwxyz0123456789", k=997))
        blob = (unit * (filler_len // len(unit) + 1))[:filler_len]
        script = f'<script>var duLieu="{blob}";</script>'
        _single_line_cache[article.path] = text.replace("</body>", script + "</body>").encode()
    return _single_line_cache[article.path]


def listing(title: str, paths: list[str]) -> str:
    items = "\n".join(f'<li><h3><a href="{p}">{p.rsplit("/", 1)[-1]}</a></h3></li>' for p in paths)
    return page(title, f"<h1>{title}</h1>\n<ul>\n{items}\n</ul>")


def home() -> str:
    body = (
        f"<h1>{SITE_NAME}</h1>\n<ul>\n"
        '<li><a href="/chuyen-muc/tin-tuc/">Tin tức</a></li>\n'
        '<li><a href="/chuyen-muc/su-co/">Sự cố</a></li>\n'
        f'<li><a href="{c.PRIVATE_LISTING}">Nội bộ</a></li>\n'
        f'<li><a href="{c.PRIVATE_ARTICLE}">Tài liệu nội bộ</a></li>\n</ul>'
    )
    return page(SITE_NAME, body)


_bomb: list[bytes] = []


def gzip_bomb() -> bytes:
    """A single gzip member that inflates to 1 GiB of zeros (~1 MB; built in half a second:
    after a full flush each MiB of zeros compresses to the same bytes)."""
    if not _bomb:
        mib = bytes(1 << 20)
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        first = comp.compress(mib) + comp.flush(zlib.Z_FULL_FLUSH)
        repeat = comp.compress(mib) + comp.flush(zlib.Z_FULL_FLUSH)
        tail = comp.flush()[:-8]  # the final empty block; the trailer is rewritten below
        crc = 0
        for _ in range(1024):
            crc = zlib.crc32(mib, crc)
        _bomb.append(first + repeat * 1023 + tail + struct.pack("<II", crc, (1 << 30) % (1 << 32)))
    return _bomb[0]


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)  # fmt: skip

    rng = random.Random(3020)
    rows = b"".join(b"\x00" + rng.randbytes(64 * 3) for _ in range(64))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))  # fmt: skip


PDF_BYTES = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 700 Td (Cong van so 12) Tj ET\nendstream\n"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


# --- the server -----------------------------------------------------------------------------
class HostileHandler(BaseHTTPRequestHandler):
    server: HostileHTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection: close-delimited bodies work

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, TimeoutError, OSError, ValueError):
            pass  # the crawler hung up (timeouts, size limits): expected here

    def finish(self):
        try:
            super().finish()
        except (ConnectionError, OSError, ValueError):
            pass

    # helpers
    def send(self, status: int, body: bytes = b"", ctype: str | None = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", None, {"Location": location})

    def wait(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; False when it is."""
        return not self.server.stopping.wait(seconds)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        srv = self.server
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        srv.log_request(self.command, path, self.headers.get("Host", ""))
        port = srv.server_address[1]
        base = f"http://127.0.0.1:{port}"
        if path == "/robots.txt":
            if srv.robots_error:
                self.send(500, b"<h1>500 Internal Server Error</h1>")
            else:
                self.send(200, ROBOTS.encode(), "text/plain; charset=utf-8")
        elif path == "/":
            self.send(200, home().encode())
        elif path == "/chuyen-muc/tin-tuc/":
            self.send(200, listing("Tin tức", list(c.GOOD_LINKED)).encode())
        elif path == "/chuyen-muc/su-co/":
            self.send(200, listing("Sự cố", list(c.BAD_PATHS)).encode())
        elif path in (c.PRIVATE_LISTING, c.PRIVATE_ARTICLE):
            self.send(200, page("Nội bộ", "<h1>Tài liệu nội bộ, không công bố</h1>").encode())
        elif path == c.RATE_LIMITED and srv.count(path) == 1:
            self.send(429, b"<h1>429 Too Many Requests</h1>", headers={"Retry-After": "1"})
        elif path in c.GOOD_BY_PATH:
            if path == "/bai-viet/mang-cham-1004.html" and not self.wait(1.5):
                return
            body, ctype = good_page(c.GOOD_BY_PATH[path], base, port)
            self.send(200, body, ctype)
        elif path == c.SHORT_REDIRECT:
            self.redirect("/bai-viet/duong-dan-moi-1006.html", 301)
        elif path == c.SLOW:
            if self.wait(20):
                self.send(200, page("Chậm", "<p>Quá muộn.</p>").encode())
        elif path == c.DRIP:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "4000")
            self.end_headers()
            for _ in range(80):
                if not self.wait(0.5):
                    return
                self.wfile.write(b"<p>" + b"x" * 43 + b"</p>\n")
                self.wfile.flush()
        elif path == c.RESET:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "20000")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"<p>Dang tai...</p>" * 110)
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))  # fmt: skip
            self.connection.close()  # RST: "connection reset by peer" mid-body
        elif path in (c.E500, c.E502, c.E503, c.E403, c.E404, c.E410):
            status = c.STATUS_PAGES[path]
            self.send(status, f"<h1>{status}</h1>".encode())
        elif path == c.LOOP_A:
            self.redirect(c.LOOP_B)
        elif path == c.LOOP_B:
            self.redirect(c.LOOP_A)
        elif path == c.CHAIN:
            self.redirect("/chuyen-huong/1")
        elif path.startswith("/chuyen-huong/"):
            hop = int(path.rsplit("/", 1)[1])
            if hop < c.CHAIN_HOPS:
                self.redirect(f"/chuyen-huong/{hop + 1}")
            else:
                self.send(200, page("Cuối chuỗi", "<p>Hết chuỗi chuyển hướng.</p>").encode())
        elif path == c.OFFSITE_REDIRECT:
            self.redirect(f"http://{c.OFFSITE_HOST}:{port}{c.OFFSITE_TARGET}")
        elif path == c.OVERSIZE:
            self.stream(c.OVERSIZE_BYTES, with_length=True)
        elif path == c.OVERSIZE_STREAM:
            self.stream(c.OVERSIZE_BYTES, with_length=False)
        elif path == c.BOMB:
            self.send(200, gzip_bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif path == c.PDF:
            self.send(200, PDF_BYTES, "application/pdf")
        elif path == c.PNG:
            self.send(200, png_bytes(), "image/png")
        elif path == c.PNG_AS_HTML:
            self.send(200, png_bytes(), "text/html")
        elif path == c.EMPTY:
            self.send(200, b"", "text/html; charset=utf-8")
        else:
            self.send(404, b"<h1>404</h1>")

    def stream(self, size: int, with_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<p>" + b"Rat dai. " * 7276 + b"</p>\n"  # ~64 kB
        sent = 0
        while sent < size and not self.server.stopping.is_set():
            part = chunk[: size - sent]
            self.wfile.write(part)
            sent += len(part)


class HostileHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, robots_error: bool = False):
        super().__init__(address, HostileHandler)
        self.robots_error = robots_error
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.log: list[dict] = []

    def log_request(self, method: str, path: str, host: str) -> None:
        with self.lock:
            self.log.append({"time": time.monotonic(), "method": method, "path": path,
                             "host": host})  # fmt: skip

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for r in self.log if r["path"] == path)

    def handle_error(self, request, client_address):
        pass  # clients hanging up mid-response are part of the game


class HostileServer:
    """The hostile site in a background thread."""

    def __init__(self, port: int = 0, robots_error: bool = False):
        self.httpd = HostileHTTPServer(("127.0.0.1", port), robots_error=robots_error)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> HostileServer:
        gzip_bomb()  # build the big bodies before the crawl starts
        single_line_page(c.GOOD_BY_PATH[c.SINGLE_LINE])
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def log(self) -> list[dict]:
        with self.httpd.lock:
            return list(self.httpd.log)

    def requests(self, path: str) -> list[dict]:
        return [r for r in self.log if r["path"] == path]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--robots-error", action="store_true", help="robots.txt answers 500")
    args = parser.parse_args(argv)
    server = HostileServer(args.port, robots_error=args.robots_error)
    gzip_bomb()
    single_line_page(c.GOOD_BY_PATH[c.SINGLE_LINE])
    print(f"Serving the hostile site at {server.base_url}/", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.stopping.set()
        server.httpd.server_close()


if __name__ == "__main__":
    main()
