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
