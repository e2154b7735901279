"""Serve the sample portal over HTTP.

The pages are built by ``build.py`` from ``content.txt`` into a fresh temporary folder each
time a server starts (0.2 s), so no generated page is kept in the repository.

As a script::

    python tintuc/sample_portal/serve.py --port 8765 [--host 127.0.0.1] [--directory DIR]

prints ``Serving sample portal at http://HOST:PORT/`` and serves until killed (port 0 picks a
free port; the printed URL carries the real one).

From Python / pytest::

    base_url, stop = serve_in_thread()       # base_url like "http://127.0.0.1:54321", no slash
    ...                                      # fetch base_url + manifest path
    stop()

Differences from ``python -m http.server``: ``.html`` is sent as
``text/html; charset=utf-8``; directories without ``index.html`` give 404 (no auto-index that
would expose orphan articles); request logging is silenced; ``{{BASE_URL}}`` in ``robots.txt``
and ``sitemap.xml`` is replaced with ``http://<Host header>``.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import shutil
import signal
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATED = {"/robots.txt", "/sitemap.xml"}

__all__ = ["PortalHandler", "built_site", "make_server", "serve_in_thread", "main"]


class PortalHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".json": "application/json",
    }

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def list_directory(self, path):
        self.send_error(404, "File not found")
        return None

    def _send_templated(self, head_only: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        file = Path(self.translate_path(path))
        if not file.is_file():
            self.send_error(404, "File not found")
            return
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        body = file.read_bytes().replace(b"{{BASE_URL}}", f"http://{host}".encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_GET(self):
        if self.path.split("?", 1)[0] in TEMPLATED:
            return self._send_templated(head_only=False)
        return super().do_GET()

    def do_HEAD(self):
        if self.path.split("?", 1)[0] in TEMPLATED:
            return self._send_templated(head_only=True)
        return super().do_HEAD()


def built_site() -> Path:
    """Build the portal into a new temporary folder and return its ``site`` directory."""
    spec = importlib.util.spec_from_file_location("_sample_portal_build", HERE / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    out = Path(tempfile.mkdtemp(prefix="tintuc-sample-portal-"))
    build.build(out / "site", out / "manifest.json")
    return out / "site"


def make_server(directory=None, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``directory``, or for a fresh build (removed by :func:`close_server`)."""
    built = directory is None
    directory = built_site() if built else Path(directory)
    if not (directory / "index.html").is_file():
        raise FileNotFoundError(f"{directory} has no index.html; run build.py first")
    handler = functools.partial(PortalHandler, directory=str(directory))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.built_dir = directory.parent if built else None
    return server


def close_server(server: ThreadingHTTPServer) -> None:
    server.server_close()
    if server.built_dir is not None:
        shutil.rmtree(server.built_dir, ignore_errors=True)


def _base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def serve_in_thread(directory=None, port: int = 0, host: str = "127.0.0.1"):
    """Start the server in a daemon thread; return ``(base_url, stop_fn)``.

    ``base_url`` has no trailing slash, so ``base_url + "/tin-tuc/..."`` works with the
    manifest's paths.
    """
    server = make_server(directory, port, host)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)
        close_server(server)

    return _base_url(server), stop


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Serve the tintuc sample portal.")
    ap.add_argument("--port", type=int, default=8765, help="0 = pick a free port")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--directory", default=None, help="site directory (default: ./site)")
    args = ap.parse_args(argv)
    server = make_server(args.directory, args.port, args.host)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Serving sample portal at {_base_url(server)}/", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        close_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
