"""Serve one local test site (``build.py``) from memory on 127.0.0.1.

The handler is the sample portal's (:class:`tintuc.sample_portal.serve.PortalHandler`: quiet,
404 for unknown pages), answering from the built pages instead of a folder, plus what the
shapes need: query strings (``ChiTietTinTuc.aspx?nid=N``), ASP.NET postbacks (a POST to the
site's ``postback_path`` carrying ``__VIEWSTATE`` and ``__EVENTARGUMENT=Page$N``), binary
attachments, ``{{BASE_URL}}`` in robots.txt, sitemaps and feeds. Every request is logged, so a
test can count what was fetched.

    server = LocalSite("cms").start()     # server.base_url, server.manifest, server.log
    server.stop()
    python tests/sites/serve.py cms --port 0 [--articles 3000]
"""

from __future__ import annotations

import argparse
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(HERE))
    from build import DEFAULT_ARTICLES, ROOT, build_site, normal_target  # type: ignore
else:
    from .build import DEFAULT_ARTICLES, ROOT, build_site, normal_target

sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
from tintuc.sample_portal.serve import PortalHandler  # noqa: E402

TEMPLATED = ("text/plain", "application/xml", "application/rss+xml", "application/atom+xml")


class SiteHandler(PortalHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(HERE), **kwargs)  # no file is served from it

    def answer(self, body: bytes | None, ctype: str = "text/html; charset=utf-8",
               status: int = 200, head_only: bool = False) -> None:  # fmt: skip
        if body is None:
            self.send_error(404, "File not found")
            return
        if ctype.startswith(TEMPLATED):
            host = self.headers.get("Host") or "127.0.0.1"
            body = body.replace(b"{{BASE_URL}}", f"http://{host}".encode())
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def lookup(self) -> tuple[bytes | None, str]:
        self.server.log_request(self.command, self.path)
        found = self.server.site.pages.get(normal_target(self.path.split("#", 1)[0]))
        return found if found else (None, "")

    def do_GET(self):
        location = self.server.site.redirects.get(normal_target(self.path.split("#", 1)[0]))
        if location:  # a shortlink (WordPress ``/?p=N``): 301 to the page
            self.server.log_request("GET", self.path)
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.answer(*self.lookup())

    def do_HEAD(self):
        self.answer(*self.lookup(), head_only=True)

    def do_POST(self):
        """An ASP.NET postback: the page named by ``__EVENTARGUMENT``, if the view state came
        back with it (like ASP.NET, which refuses a postback without it)."""
        self.server.log_request("POST", self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        pages = self.server.site.postback
        if not pages or normal_target(self.path) != self.server.site.postback_path:
            self.answer(None)
        elif not form.get("__VIEWSTATE"):
            self.answer(b"<h1>Invalid postback or callback argument</h1>", status=500)
        else:
            self.answer(pages.get(form.get("__EVENTARGUMENT", ["Page$1"])[0]))


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site, port: int = 0):
        super().__init__(("127.0.0.1", port), SiteHandler)
        self.site = site
        self.lock = threading.Lock()
        self.log: list[tuple[str, str]] = []

    def log_request(self, method: str, path: str) -> None:  # type: ignore[override]
        with self.lock:
            self.log.append((method, path))


class LocalSite:
    """One site of ``shape`` served in a background thread."""

    def __init__(self, shape: str, articles: int = DEFAULT_ARTICLES, port: int = 0):
        self.site = build_site(shape, articles)
        self.manifest = self.site.manifest
        self.httpd = SiteServer(self.site, port)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)  # fmt: skip

    def start(self) -> LocalSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.thread.join(timeout=5)
        self.httpd.server_close()

    @property
    def log(self) -> list[tuple[str, str]]:
        with self.httpd.lock:
            return list(self.httpd.log)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Serve one local test site on 127.0.0.1.")
    ap.add_argument("shape")
    ap.add_argument("--port", type=int, default=0, help="0 = a free port")
    ap.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    args = ap.parse_args(argv)
    server = LocalSite(args.shape, args.articles, args.port)
    print(f"Serving the {args.shape} site ({len(server.site.pages)} pages) at "
          f"{server.base_url}/", flush=True)  # fmt: skip
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
