"""Issue #5, "bad input from people": each mistake gets one clear error line, a non-zero exit
and no traceback, and nothing is crawled or created.

Run as users run it: ``python -m tintuc`` in a subprocess, from an empty folder (so a
stray ``archive.db`` would show). Bad cron expressions are tested with the scheduler.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.e2e  # the command as users run it: a subprocess per case

GOOD_PROFILE = """\
[sites.tinhnha]
name = "Cổng thông tin tỉnh nhà"
province = "Quảng Ninh"
kind = "portal"
start_urls = ["http://127.0.0.1:9/"]
"""
PROFILE_HEAD = '[sites.x]\nname = "X"\nprovince = "Y"\nkind = "portal"\n'

FILES = {
    "good.toml": GOOD_PROFILE,
    "syntax.toml": '[sites.x\nname = "X"\n',
    "bad-regex.toml": PROFILE_HEAD + 'start_urls = ["http://a.vn/"]\narticle_patterns = ["(a"]\n',
    "missing-key.toml": PROFILE_HEAD,
    "unknown-key.toml": PROFILE_HEAD
    + 'start_url = "http://a.vn/"\nstart_urls = ["http://a.vn/"]\n',
    "wrong-type.toml": PROFILE_HEAD + 'start_urls = "http://a.vn/"\n',
    "not-http.toml": PROFILE_HEAD + 'start_urls = ["javascript:alert(1)"]\n',
    "bad-kind.toml": PROFILE_HEAD.replace('"portal"', '"blog"') + 'start_urls = ["http://a.vn/"]\n',
    "not-tables.toml": "sites = 5\n",
    "no-concurrency.toml": GOOD_PROFILE + "politeness = { concurrency = 0 }\n",
    "negative-delay.toml": GOOD_PROFILE + "politeness = { download_delay = -2 }\n",
}
BINARY_FILES = {
    "utf16.toml": "\ufeff".encode("utf-16-le") + GOOD_PROFILE.encode("utf-16-le"),
    "not-a-db.db": b"id,title\n1,Tin tuc\n",  # a CSV where the archive should be
}

# (id, argv with {tmp} for the folder, what the error line must say)
CASES = [
    ("unknown-site", ["crawl", "nowhere"], r"unknown site 'nowhere'"),
    ("unknown-site-extra-file", ["crawl", "nowhere", "--sites", "{tmp}/good.toml"],
     r"unknown site 'nowhere'.*tinhnha"),
    ("toml-syntax", ["crawl", "x", "--sites", "{tmp}/syntax.toml"], r"malformed site registry"),
    ("profile-bad-regex", ["crawl", "x", "--sites", "{tmp}/bad-regex.toml"], r"bad pattern"),
    ("profile-missing-key", ["crawl", "x", "--sites", "{tmp}/missing-key.toml"],
     r"missing 'start_urls'"),
    ("profile-unknown-key", ["crawl", "x", "--sites", "{tmp}/unknown-key.toml"],
     r"unknown key.*start_url"),
    ("profile-wrong-type", ["crawl", "x", "--sites", "{tmp}/wrong-type.toml"], r"list of strings"),
    ("profile-not-http", ["crawl", "x", "--sites", "{tmp}/not-http.toml"],
     r"not an http\(s\) URL"),
    ("profile-bad-kind", ["crawl", "x", "--sites", "{tmp}/bad-kind.toml"], r"kind must be"),
    ("profile-not-tables", ["crawl", "x", "--sites", "{tmp}/not-tables.toml"], r"\[sites\.<id>\]"),
    ("profile-not-utf8", ["crawl", "x", "--sites", "{tmp}/utf16.toml"],
     r"utf16\.toml.*(UTF-8|encod|decode|malformed)"),
    ("profile-no-concurrency", ["crawl", "tinhnha", "--sites", "{tmp}/no-concurrency.toml"],
     r"politeness concurrency must be a whole number, 1 or more, not 0"),
    ("profile-negative-delay", ["crawl", "tinhnha", "--sites", "{tmp}/negative-delay.toml"],
     r"politeness download_delay must be a number of seconds, 0 or more, not -2"),
    ("setting-negative-delay", ["crawl", "sample", "-s", "DOWNLOAD_DELAY=-1"],
     r"DOWNLOAD_DELAY=-1: must be a number of seconds, 0 or more"),
    ("sites-file-missing", ["crawl", "x", "--sites", "{tmp}/missing.toml"], r"does not exist"),
    ("sites-command-malformed", ["sites", "--sites", "{tmp}/syntax.toml"],
     r"malformed site registry"),
    ("url-ftp", ["crawl", "--start-url", "ftp://example.vn/"], r"not an http\(s\) URL"),
    ("url-no-scheme", ["crawl", "--start-url", "baoquangninh.vn"], r"not an http\(s\) URL"),
    ("url-javascript", ["crawl", "--start-url", "javascript:alert(1)"], r"not an http\(s\) URL"),
    ("url-no-host", ["crawl", "--start-url", "http://"], r"not an http\(s\) URL"),
    ("url-broken-ipv6", ["crawl", "--start-url", "http://[::1/"], r"http://\[::1/"),
    ("url-site-mirror-ftp", ["crawl", "sample", "--start-url", "ftp://127.0.0.1/"],
     r"not an http\(s\) URL"),
    ("no-site-no-url", ["crawl"], r"give a SITE id or --start-url"),
    ("db-folder-missing", ["crawl", "sample", "--db", "{tmp}/no/such/folder/archive.db"],
     r"folder/archive\.db"),
    ("db-under-a-file", ["crawl", "sample", "--db", "{tmp}/good.toml/archive.db"],
     r"good\.toml/archive\.db"),
    ("db-is-a-folder", ["crawl", "sample", "--db", "{tmp}"], r"is a directory"),
    ("db-not-sqlite", ["crawl", "sample", "--db", "{tmp}/not-a-db.db"],
     r"not-a-db\.db.*(not a database|not an? (SQLite|tintuc))"),
    ("setting-without-equals", ["crawl", "sample", "-s", "DOWNLOAD_DELAY"],
     r"expected NAME=VALUE"),
]  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, data in BINARY_FILES.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize(("argv", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_clear_error_line_no_traceback(folder, argv, message):
    args = [a.replace("{tmp}", str(folder)) for a in argv]
    before = sorted(p.name for p in folder.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "tintuc", *args],
        cwd=folder,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    stderr = result.stderr
    assert result.returncode != 0, f"exit 0 for {args}: {result.stdout}{stderr}"
    assert "Traceback" not in stderr, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    extra = [line for line in lines if not line.startswith(("Error:", "Usage:", "Try "))]
    assert len(errors) == 1 and not extra, stderr
    assert re.search(message, errors[0]), errors[0]
    assert sorted(p.name for p in folder.iterdir()) == before  # no archive.db, no warc/


def test_a_second_crawl_of_a_running_site_is_refused_in_one_line(tmp_path):
    """Two crawls of one site into one archive at once (a hand crawl while the scheduler's
    runs) would fetch the whole site twice: the second is refused before it starts. A crawl
    row left 'running' by a dead process does not block."""
    from pipelines.archive.schema import open_archive

    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    row = {"site": "sample", "started": "2026-12-01T00:00:00+00:00", "status": "running"}
    db["crawls"].insert({**row, "pid": os.getpid()})  # this test's process: alive
    db.close()
    start = ["crawl", "sample", "--start-url", "http://127.0.0.1:9/", "--db", str(db_path)]
    refused = subprocess.run([sys.executable, "-m", "tintuc", *start], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (
        f"Error: crawl 1 of sample is still running in {db_path} (pid {os.getpid()}): two "
        "crawls of one site would fetch it twice; wait for it to end, or stop it")
    db = open_archive(db_path)
    db["crawls"].update(1, {"pid": 2**22 + 12345})  # a pid no process has
    db.close()
    ran = subprocess.run([sys.executable, "-m", "tintuc", *start], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "still running" not in ran.stderr and "crawl 2 of sample" in ran.stdout


def test_a_broken_sites_file_is_an_error_with_a_start_url_too(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text("[sites.x\nname = 'broken'\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tintuc", "crawl", "--start-url",
                             "http://127.0.0.1:9/", "--sites", str(sites), "--db",
                             str(tmp_path / "a.db")], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 1 and result.stderr.startswith("Error: ")
    assert str(sites) in result.stderr and not (tmp_path / "a.db").exists()
