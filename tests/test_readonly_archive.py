"""An archive on read-only storage (a mounted backup, a read-only share) can be read: status,
verify, export and serve work; a command that writes says so in one line. Before, opening it
for writing could not take its lock file, and SQLite could not create the WAL's shared-memory
file: tracebacks.

Needs a real read-only filesystem: a tmpfs remounted read-only, which takes root (as on the
project's machines and CI); elsewhere the test skips, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, free_port, run_tintuc

pytestmark = pytest.mark.e2e  # a crawl, a mount, a server


@pytest.fixture
def readonly_copy(tmp_path, sample_portal):
    base_url, _ = sample_portal
    source = tmp_path / "source.db"
    run_tintuc("crawl", "sample", "--start-url", base_url + "/", "--db", str(source))
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:  # fmt: skip
        pytest.skip("cannot mount a read-only filesystem here (needs root)")
    try:
        shutil.copy(source, mount / "archive.db")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "archive.db"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_reading_commands_read_an_archive_on_read_only_storage(readonly_copy, tmp_path):
    db = str(readonly_copy)
    status = run_tintuc("status", "--db", db)
    assert "34 articles" in status.stdout
    out = tmp_path / "out.csv"
    export = run_tintuc("export", "-q", "quang ninh", "--db", db, "-o", str(out))
    assert "exported" in export.stderr and out.read_text(encoding="utf-8-sig").count("\n") > 1
    reextract = run_tintuc("reextract", "--db", db, check=False)
    assert reextract.returncode == 1 and "Traceback" not in reextract.stderr
    assert reextract.stderr.strip().startswith("Error: cannot open the archive")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tintuc", "serve", "--db", db,
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/-/tintuc/search/archive.json?_search=quang+ninh"
        deadline, answer = time.monotonic() + 30, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answer = urllib.request.urlopen(url, timeout=5).read()
            except OSError:
                time.sleep(0.2)
        assert answer is not None, server.stderr.read().decode()[-2000:] if server.poll() else ""
        assert b'"count": ' in answer and b'"count": 0' not in answer
    finally:
        server.terminate()
        server.wait(timeout=10)
