"""Issue #5: the real crawl over a hostile local site (``tests/hostile/server.py``).

The crawl runs as users run it (``python -m tintuc crawl`` in a subprocess) with a short
DOWNLOAD_TIMEOUT, one retry and a size limit, against a server that times out, resets, answers
5xx/4xx/429, loops redirects, serves oversized bodies, a gzip bomb, binaries at ``.html`` URLs,
legacy encodings, NFD text and malformed HTML. The server logs every request, so the tests can
tell what was fetched, how often and when.

Expected outcome of each bad page (a ``crawl_errors`` row unless said otherwise):

=====================  ======================================================================
slow (20 s)            "timed out" or "took longer than", fetched twice (RETRY_TIMES=1)
drip (0.5 s / 50 B)    the same
reset mid-body         an error naming the lost connection or data, fetched twice
500 / 502 / 503        "HTTP 5xx" with the status, fetched twice (retried, then recorded)
429 + Retry-After: 1   the article is stored; the retry came >= 1 s after the 429
403 / 404 / 410        "HTTP 4xx" with the status, fetched once
redirect loop          an error saying "redirect" (loop or max redirections), not dropped silently
long redirect chain    an error saying "max redirections" (on the article or a hop URL)
redirect off-domain    the other host is never fetched; an error naming the redirect
over DOWNLOAD_MAXSIZE  with and without Content-Length: an error naming the size limit
gzip bomb              an error naming the size limit; nothing in ``articles``
PDF / PNG at .html     "not an HTML page (Content-Type: ...)"; nothing in ``articles``
PNG as text/html       nothing in ``articles``; "not an article" in the log or an error row
empty 200              nothing in ``articles`` (dropped: "not an article" in the log)
robots.txt /private/   never requested
robots.txt 500         the crawl ends cleanly, fetches nothing under robots' control (RFC 9309
                       §2.3.1.3: a 5xx robots.txt means "assume complete disallow") and says why
=====================  ======================================================================
"""

from __future__ import annotations

import ast
import os
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile import content as c
from hostile.server import HostileServer

pytestmark = pytest.mark.e2e  # a real crawl of a hostile server

ROOT = Path(__file__).resolve().parent.parent
CRAWL_TIMEOUT = 120
DOWNLOAD_TIMEOUT = 3
RETRY_TIMES = 1
MAXSIZE = 6_000_000  # above the 5 MB single-line article, below the 8 MB oversized pages

SITES_TOML = """\
[sites.hostile]
name = "Báo Thử Nghiệm Tỉnh (hostile test site)"
province = "Thử Nghiệm"
kind = "newspaper"
start_urls = ["{base}{start}"]
article_patterns = ['/bai-viet/[a-z0-9-]+-\\d+\\.html$']
listing_patterns = ['^https?://[^/]+/$', '/chuyen-muc/[^/]+/$', '/private/$']
checked_live = false
politeness = {{ download_delay = 0, concurrency = 8, autothrottle = false }}
"""


@dataclass
class Crawl:
    server: HostileServer
    base: str
    db_path: Path
    result: subprocess.CompletedProcess
    seconds: float

    def rows(self, sql: str, params=()) -> list[dict]:
        conn = sqlite3.connect(self.db_path)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()

    @property
    def log(self) -> str:
        return self.result.stdout + self.result.stderr

    def stats(self) -> dict:
        """Scrapy's final stats, from the INFO "Dumping Scrapy stats" block."""
        match = re.search(r"Dumping Scrapy stats:\s*(\{.*?\})\s*(?:\n\d{4}-|$)",
                          self.result.stderr, re.S)  # fmt: skip
        if not match:
            return {}
        text = re.sub(r"datetime\.datetime\([^)]*\)", "None", match.group(1))
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return {}

    def errors_for(self, *paths: str, prefix: str | None = None) -> list[dict]:
        urls = [self.base + p for p in paths]
        rows = self.rows("SELECT url, status, error FROM crawl_errors")
        return [
            r
            for r in rows
            if r["url"] in urls or (prefix and r["url"].startswith(self.base + prefix))
        ]

    def fetched(self, path: str) -> int:
        return len(self.server.requests(path))

    def excerpt(self, needle: str, width: int = 3) -> str:
        lines = self.log.splitlines()
        hits = [i for i, line in enumerate(lines) if needle in line]
        return "\n".join("\n".join(lines[max(0, i - 1) : i + width]) for i in hits[:3])


def run_crawl(tmp: Path, robots_error: bool = False, start: str = "/",
              extra: tuple[str, ...] = ()) -> Crawl:  # fmt: skip
    """Serve the hostile site and crawl it from ``start``; ``extra``: more ``-s NAME=VALUE``."""
    server = HostileServer(robots_error=robots_error).start()
    sites = tmp / "hostile.toml"
    sites.write_text(SITES_TOML.format(base=server.base_url, start=start), encoding="utf-8")
    db_path = tmp / "archive.db"
    settings = [
        f"DOWNLOAD_TIMEOUT={DOWNLOAD_TIMEOUT}", f"DOWNLOAD_MAXSIZE={MAXSIZE}",
        f"RETRY_TIMES={RETRY_TIMES}", "LOG_LEVEL=INFO", "TINTUC_PROGRESS=False",
        *extra,
    ]  # fmt: skip
    args = [sys.executable, "-m", "tintuc", "crawl", "hostile", "--sites", str(sites),
            "--db", str(db_path)]  # fmt: skip
    for setting in settings:
        args += ["-s", setting]
    started = time.monotonic()
    try:
        result = subprocess.run(
            args, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            capture_output=True, text=True, timeout=CRAWL_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        server.stop()
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        pytest.fail(f"the crawl did not finish in {CRAWL_TIMEOUT} s:\n{err[-3000:]}")
    return Crawl(server, server.base_url, db_path, result, time.monotonic() - started)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    done = run_crawl(tmp_path_factory.mktemp("hostile"))
    yield done
    done.server.stop()


@pytest.fixture(scope="module")
def rate_limited_crawl(tmp_path_factory):
    """The 429 article alone: in the big crawl a busy queue can delay a retry by chance."""
    done = run_crawl(tmp_path_factory.mktemp("hostile-429"), start=c.RATE_LIMITED)
    yield done
    done.server.stop()


@pytest.fixture(scope="module")
def robots_error_crawl(tmp_path_factory):
    done = run_crawl(tmp_path_factory.mktemp("hostile-robots"), robots_error=True)
    yield done
    done.server.stop()


# --- the crawl as a whole ---------------------------------------------------------------------
def test_crawl_finishes_cleanly(crawl):
    assert crawl.result.returncode == 0, crawl.log[-3000:]
    assert "Traceback" not in crawl.log, crawl.excerpt("Traceback", 30)
    (row,) = crawl.rows("SELECT * FROM crawls")
    assert row["status"] == "finished"
    assert row["errors"] == len(crawl.rows("SELECT id FROM crawl_errors"))
    assert crawl.seconds < CRAWL_TIMEOUT


def test_database_and_search_index_intact(crawl):
    conn = sqlite3.connect(crawl.db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts == conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


# --- good articles -----------------------------------------------------------------------------
@pytest.mark.parametrize("article", c.GOOD_ARTICLES, ids=lambda a: a.path.rsplit("/", 1)[-1])
def test_good_article_stored_with_exact_text(crawl, article):
    found = crawl.rows("SELECT * FROM articles WHERE url = ?", [crawl.base + article.path])
    assert found, f"{article.path} ({article.note}) not stored; errors: " + repr(
        crawl.errors_for(article.path)
    )
    row = found[0]
    assert row["title"] == article.title, article.note
    assert row["published"] == article.published, article.note
    for paragraph in article.paragraphs:
        assert paragraph in row["text"], (article.note, paragraph, row["text"][:500])


def test_only_good_articles_reach_articles(crawl):
    """Nothing from the PDF, PNG, empty, bomb, oversized, error or private pages."""
    stored = {r["url"] for r in crawl.rows("SELECT url FROM articles")}
    assert stored == {crawl.base + a.path for a in c.GOOD_ARTICLES}


def test_no_replacement_characters_and_only_nfc_text(crawl):
    for row in crawl.rows("SELECT url, title, description, text, author FROM articles"):
        for column in ("title", "description", "text", "author"):
            value = row[column] or ""
            assert "\ufffd" not in value, (row["url"], column)
            assert unicodedata.is_normalized("NFC", value), (row["url"], column)


# --- each bad page -----------------------------------------------------------------------------
FETCHED_TWICE = 1 + RETRY_TIMES


@pytest.mark.parametrize("path", [c.SLOW, c.DRIP], ids=["slow", "drip"])
def test_timeouts_retried_then_recorded(crawl, path):
    errors = crawl.errors_for(path)
    assert len(errors) == 1, errors
    assert re.search(r"timed out|took longer than", errors[0]["error"]), errors
    assert crawl.fetched(path) == FETCHED_TWICE


def test_connection_reset_mid_body_retried_then_recorded(crawl):
    errors = crawl.errors_for(c.RESET)
    assert len(errors) == 1, errors
    assert re.search(r"connection|reset|lost|data ?loss", errors[0]["error"], re.I), errors
    assert crawl.fetched(c.RESET) == FETCHED_TWICE


@pytest.mark.parametrize("path", [c.E500, c.E502, c.E503], ids=["500", "502", "503"])
def test_server_errors_retried_then_recorded(crawl, path):
    status = c.STATUS_PAGES[path]
    errors = crawl.errors_for(path)
    assert [(e["status"], e["error"]) for e in errors] == [(status, f"HTTP {status}")]
    assert crawl.fetched(path) == FETCHED_TWICE


@pytest.mark.parametrize("path", [c.E403, c.E404, c.E410], ids=["403", "404", "410"])
def test_client_errors_recorded_once(crawl, path):
    status = c.STATUS_PAGES[path]
    errors = crawl.errors_for(path)
    assert [(e["status"], e["error"]) for e in errors] == [(status, f"HTTP {status}")]
    assert crawl.fetched(path) == 1


def test_429_retried_and_stored(crawl):
    assert crawl.fetched(c.RATE_LIMITED) == 2
    assert crawl.rows("SELECT 1 FROM articles WHERE url = ?", [crawl.base + c.RATE_LIMITED])


def test_429_retry_after_honoured(rate_limited_crawl):
    crawl = rate_limited_crawl
    assert crawl.result.returncode == 0, crawl.log[-3000:]
    hits = crawl.server.requests(c.RATE_LIMITED)
    assert len(hits) == 2, hits
    gap = hits[1]["time"] - hits[0]["time"]
    assert gap >= 1.0, f"retried {gap:.3f} s after a 429 with Retry-After: 1"
    assert crawl.rows("SELECT 1 FROM articles WHERE url = ?", [crawl.base + c.RATE_LIMITED])


def test_redirect_loop_recorded(crawl):
    errors = crawl.errors_for(c.LOOP_A, c.LOOP_B)
    assert errors and all(re.search("redirect", e["error"], re.I) for e in errors), (
        f"redirect loop not recorded: {errors}; captures: "
        + repr(crawl.rows("SELECT url, status FROM captures WHERE url LIKE '%vong-lap%'"))
    )
    assert crawl.fetched(c.LOOP_A) <= 12  # bounded, not spinning


def test_long_redirect_chain_stopped_and_recorded(crawl):
    errors = crawl.errors_for(c.CHAIN, prefix="/chuyen-huong/")
    assert len(errors) == 1 and "max redirections" in errors[0]["error"], errors
    hops = [r for r in crawl.server.log if r["path"].startswith("/chuyen-huong/")]
    assert len(hops) <= 10  # REDIRECT_MAX_TIMES (Scrapy's default, the project's setting)


def test_redirect_off_the_allowed_domain_not_followed_and_recorded(crawl):
    assert not [r for r in crawl.server.log if r["host"].startswith(c.OFFSITE_HOST)]
    assert crawl.fetched(c.OFFSITE_TARGET) == 0
    errors = crawl.errors_for(c.OFFSITE_REDIRECT)
    assert errors and re.search(r"offsite|allowed domain|off.?site", errors[0]["error"], re.I), (
        f"off-domain redirect not recorded: {errors}; stats offsite/filtered="
        f"{crawl.stats().get('offsite/filtered')}"
    )


@pytest.mark.parametrize("path", [c.OVERSIZE, c.OVERSIZE_STREAM],
                         ids=["content-length", "no-content-length"])  # fmt: skip
def test_oversized_response_refused_and_recorded(crawl, path):
    errors = crawl.errors_for(path)
    assert len(errors) == 1, errors
    assert re.search(r"size|DOWNLOAD_MAXSIZE|too large", errors[0]["error"], re.I), errors


def test_gzip_bomb_refused_and_recorded(crawl):
    errors = crawl.errors_for(c.BOMB)
    assert len(errors) == 1, errors
    assert re.search(r"size|DOWNLOAD_MAXSIZE", errors[0]["error"], re.I), errors
    assert crawl.fetched(c.BOMB) == 1


@pytest.mark.parametrize(("path", "ctype"), [(c.PDF, "application/pdf"), (c.PNG, "image/png")],
                         ids=["pdf", "png"])  # fmt: skip
def test_binary_at_html_url_recorded(crawl, path, ctype):
    errors = crawl.errors_for(path)
    assert len(errors) == 1, errors
    assert f"not an HTML page (Content-Type: {ctype})" in errors[0]["error"], errors


@pytest.mark.parametrize("path", [c.EMPTY, c.PNG_AS_HTML], ids=["empty", "png-as-text-html"])
def test_empty_or_garbage_html_dropped_and_logged(crawl, path):
    url = crawl.base + path
    assert not crawl.rows("SELECT 1 FROM articles WHERE url = ?", [url])
    assert f"not an article: {url}" in crawl.log or crawl.errors_for(path)
    assert crawl.fetched(path) == 1


def test_robots_disallowed_section_never_requested(crawl):
    assert crawl.fetched("/robots.txt") >= 1
    assert not [r for r in crawl.server.log if r["path"].startswith("/private/")]


def test_related_links_never_fetched_or_stored_when_bogus(crawl):
    page = crawl.base + c.RELATED_PAGE
    links = [r["to_url"] for r in crawl.rows(
        "SELECT to_url FROM related_links WHERE from_url = ?", [page])]  # fmt: skip
    assert crawl.base + "/bai-viet/quang-ninh-don-khach-1001.html" in links
    for url in links:
        assert url.startswith(("http://", "https://")), url
        assert url.split("#")[0] != page, "self link stored as related"
    # a javascript: link that opens a page (a popup teaser) is followed as a browser would,
    # once; void(0), a call naming no page and mailto: are never fetched
    assert crawl.fetched(c.JS_TARGET) == 1
    assert crawl.fetched(c.RELATED_PAGE) == 1  # the self links did not fetch it again
    assert not [r for r in crawl.server.log if r["host"].startswith(c.OFFSITE_HOST)]
    assert not [r for r in crawl.server.log if "javascript" in r["path"].lower()
                or "mailto" in r["path"].lower()]  # fmt: skip


# --- robots.txt that errors ---------------------------------------------------------------------
def test_robots_txt_500_ends_cleanly_and_fetches_nothing_it_governs(robots_error_crawl):
    crawl = robots_error_crawl
    assert crawl.result.returncode == 0, crawl.log[-3000:]
    assert "Traceback" not in crawl.log, crawl.excerpt("Traceback", 30)
    (row,) = crawl.rows("SELECT * FROM crawls")
    assert row["status"] in ("finished", "failed")  # it ended: not running, not stalled
    assert crawl.fetched("/robots.txt") >= 1
    other = sorted({r["path"] for r in crawl.server.log} - {"/robots.txt"})
    assert not other, f"fetched despite robots.txt answering 500: {other[:8]} …"
    assert re.search(r"robots", " ".join(e["error"] for e in crawl.rows(
        "SELECT error FROM crawl_errors")), re.I)  # fmt: skip
