"""Archives that open in standard web-archive tools, on a real crawl of the sample portal:
``tintuc wacz`` (checked by py-wacz's own validator), "View as archived" in Datasette, a pywb
collection replaying an article, and re-extraction over an archive whose WARC files moved."""

from __future__ import annotations

import asyncio
import gzip
import html
import json
import shutil
import socket
import subprocess
import time
import unicodedata
import urllib.request
import zipfile

import lxml.html
import pytest
from conftest import ROOT, query, run_tintuc
from datasette.app import Datasette

from tintuc.wacz import validate_wacz

pytestmark = pytest.mark.e2e  # real crawls, and pywb served on 127.0.0.1

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
# pywb 2.10 pins redis 2.10.6 and brings gevent: it gets a venv of its own, made once here
PYWB_VENV = ROOT / ".venv" / "pywb"


@pytest.fixture(scope="module")
def crawled(sample_portal, tmp_path_factory):
    """An archive from a real crawl of the sample portal: (db path, articles)."""
    base_url, _ = sample_portal
    db_path = tmp_path_factory.mktemp("crawl") / "archive.db"
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(db_path), *FAST)
    articles = query(db_path, "SELECT id, url, title FROM articles ORDER BY id")
    assert len(articles) > 10
    return db_path, articles


def as_read(page: str) -> str:
    """A captured page's text as the archive stores titles: the sample portal serves pages
    HTML-escaped ("…" as &quot;), some in decomposed Unicode (NFD) or with a <title> spread
    over lines; articles are NFC with single spaces. Tags are spaced out for the check."""
    text = unicodedata.normalize("NFC", html.unescape(page))
    return " ".join(text.replace("<", " <").replace(">", "> ").split())


def test_wacz_packages_every_capture_and_validates(crawled, tmp_path):
    db_path, articles = crawled
    out = tmp_path / "all.wacz"
    result = run_tintuc("wacz", "-o", str(out), "--db", str(db_path))
    captures = query(db_path, "SELECT count(*) AS n FROM captures")[0]["n"]
    assert f"{captures} captures from 1 WARC file, {len(articles)} pages" in result.stdout
    ok, said = validate_wacz(out)
    assert ok, said
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        warc = query(db_path, "SELECT warc_file FROM captures LIMIT 1")[0]["warc_file"]
        assert "archive/" + warc.rsplit("/", 1)[-1] in names
        assert {"indexes/index.cdx.gz", "datapackage.json", "pages/pages.jsonl"} <= names
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").splitlines()]
        cdxj = gzip.decompress(z.read("indexes/index.cdx.gz")).decode()
        package = json.loads(z.read("datapackage.json"))
    assert pages[0]["format"] == "json-pages-1.0"
    assert {(p["url"], p["title"]) for p in pages[1:]} == {
        (a["url"], a["title"]) for a in articles
    }
    assert all(p["ts"][:4].isdigit() for p in pages[1:])
    assert articles[0]["url"] in cdxj
    assert all(r["hash"].startswith("sha256:") for r in package["resources"])


def test_wacz_shows_progress_on_a_terminal(crawled, tmp_path):
    from test_reextract_resume import on_terminal

    db_path, _ = crawled
    captures = query(db_path, "SELECT count(*) AS n FROM captures")[0]["n"]
    status, out, terminal = on_terminal("wacz", "-o", str(tmp_path / "t.wacz"), "--db",
                                        str(db_path))  # fmt: skip
    assert status == 0 and f"{captures} captures from 1 WARC file" in out
    assert f"\r{captures}/{captures} captures indexed, " in terminal
    status, out, terminal = on_terminal("wacz", "-o", str(tmp_path / "s.wacz"), "--db",
                                        str(db_path), "--site", "sample")  # fmt: skip
    assert f"\r{captures}/{captures} records re-packed" in terminal


def test_wacz_selection_is_repacked_and_validates(crawled, tmp_path):
    db_path, articles = crawled
    day = query(db_path, "SELECT substr(min(time), 1, 10) AS d FROM captures")[0]["d"]
    out = tmp_path / "sample.wacz"
    run_tintuc("wacz", "-o", str(out), "--db", str(db_path), "--site", "sample",
               "--since", day, "--until", day)  # fmt: skip
    ok, said = validate_wacz(out)
    assert ok, said
    with zipfile.ZipFile(out) as z:
        assert "archive/tintuc-sample-selection.warc.gz" in z.namelist()
        pages = z.read("pages/pages.jsonl").decode().splitlines()
    assert len(pages) == len(articles) + 1
    # --force replaces; without it an existing output is refused and kept
    refused = run_tintuc("wacz", "-o", str(out), "--db", str(db_path), check=False)
    assert refused.returncode != 0 and "exists" in refused.stderr
    run_tintuc("wacz", "-o", str(out), "--db", str(db_path), "--force")
    with zipfile.ZipFile(out) as z:
        assert "archive/tintuc-sample-selection.warc.gz" not in z.namelist()


@pytest.mark.parametrize(
    "args,said",
    [
        (["--site", "no-such-site"], "unknown site 'no-such-site'"),
        (["--since", "2999-01-01"], "no captures selected"),
        (["--until", "yesterday"], "expected a date"),
    ],
)
def test_wacz_bad_input_is_one_error_line(crawled, tmp_path, args, said):
    db_path, _ = crawled
    out = tmp_path / "x.wacz"
    result = run_tintuc("wacz", "-o", str(out), "--db", str(db_path), *args, check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Error: ") and said in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_wacz_keeps_an_existing_output_without_force(crawled, tmp_path):
    db_path, _ = crawled
    out = tmp_path / "kept.wacz"
    out.write_bytes(b"not replaced")
    result = run_tintuc("wacz", "-o", str(out), "--db", str(db_path), check=False)
    assert result.returncode != 0
    assert result.stderr == f"Error: {out} exists (use --force to replace it)\n"
    assert out.read_bytes() == b"not replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.wacz"]


def test_moved_archive_names_missing_warc_and_takes_warc_dir(crawled, tmp_path):
    db_path, articles = crawled
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(db_path, moved / "archive.db")
    warc_dir = db_path.parent / "warc"
    warc_name = next(warc_dir.iterdir()).name

    out = tmp_path / "out.wacz"
    packed = run_tintuc("wacz", "-o", str(out), "--db", str(moved / "archive.db"), check=False)
    assert packed.returncode != 0
    assert packed.stderr == f"Error: WARC file missing: {moved}/warc/{warc_name}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moved"]  # nothing half-written

    failed = run_tintuc("reextract", "--db", str(moved / "archive.db"), check=False)
    assert failed.returncode != 0
    assert warc_name in failed.stderr
    assert "Error: 1 WARC file missing: nothing re-extracted" in failed.stderr
    assert "failed" not in failed.stdout  # nothing was attempted

    again = run_tintuc("reextract", "--db", str(moved / "archive.db"), "--warc-dir", str(warc_dir))
    assert f"{len(articles)} unchanged" in again.stdout and "0 failed" in again.stdout
    verified = run_tintuc("verify", "--db", str(moved / "archive.db"), "--warc-dir", str(warc_dir))
    assert "0 missing or damaged" in verified.stdout
    packed = run_tintuc("wacz", "-o", str(out), "--db", str(moved / "archive.db"),
                        "--warc-dir", str(warc_dir))  # fmt: skip
    assert validate_wacz(out)[0]


def test_view_as_archived_serves_the_capture_sandboxed(crawled, tmp_path):
    db_path, articles = crawled
    article = articles[0]

    async def pages(path):
        ds = Datasette([str(path)])
        name = path.stem
        row = await ds.client.get(f"/{name}/articles/{article['id']}")
        archived = await ds.client.get(f"/-/tintuc/archived/{name}/{article['id']}")
        return row, archived

    row, archived = asyncio.run(pages(db_path))
    assert f'href="/-/tintuc/archived/archive/{article["id"]}"' in row.text
    assert archived.status_code == 200
    assert archived.headers["content-security-policy"].startswith("sandbox")
    assert archived.headers["content-type"].startswith("text/html")
    assert f"<title> {article['title']}" in as_read(archived.text)
    assert "tintuc-article" not in archived.text  # the site's page, not ours
    # its links lead to the archived copies of the crawled pages, never to the network
    doc = lxml.html.document_fromstring(archived.text)
    links = [link for _, _, link, _ in doc.iterlinks()]
    assert any(link.startswith("/-/tintuc/archived/archive/capture/") for link in links)
    assert not [link for link in links if link.startswith(("http:", "https:", "//"))]

    lonely = tmp_path / "archive.db"  # the archive without its WARC folder
    shutil.copy(db_path, lonely)
    _, missing = asyncio.run(pages(lonely))
    assert missing.status_code == 404
    assert "WARC file missing" in missing.text and "Traceback" not in missing.text


def pywb_venv():
    """A venv with pywb from PyPI, beside the project's (made on first use)."""
    if not (PYWB_VENV / "bin" / "wb-manager").exists():
        subprocess.run(["python3", "-m", "venv", str(PYWB_VENV)], check=True)
        subprocess.run([str(PYWB_VENV / "bin" / "pip"), "install", "-q", "pywb==2.10.0"],
                       check=True, timeout=600)  # fmt: skip
    return PYWB_VENV / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_pywb_collection_replays_an_article(crawled, tmp_path):
    db_path, articles = crawled
    bin_dir = pywb_venv()
    package = tmp_path / "sample.wacz"
    run_tintuc("wacz", "-o", str(package), "--db", str(db_path))
    subprocess.run([bin_dir / "wb-manager", "init", "tintuc"], cwd=tmp_path, check=True)
    subprocess.run([bin_dir / "wb-manager", "add", "--unpack-wacz", "tintuc", str(package)],
                   cwd=tmp_path, check=True)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [bin_dir / "wayback", "--bind", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        article = articles[0]
        url = f"http://127.0.0.1:{port}/tintuc/mp_/{article['url']}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert article["title"] in as_read(body)
    finally:
        server.terminate()
        server.wait(timeout=10)
