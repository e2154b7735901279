"""``pip install .`` gives a working ``tintuc demo`` from any folder.

The wheel is built from a copy of the working tree (nothing is written into the clone) without
build isolation, so nothing is downloaded: the venv's setuptools builds it (the ``test`` extras
pin one new enough). It is installed with ``pip install --target`` into a folder of its own that
reuses the venv's dependencies, and run from an empty folder: the bundled sample portal, the
site registry and the Datasette templates must all come from the installed package.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import MANIFEST, ROOT, query
from test_serve_concurrency import free_port

pytestmark = pytest.mark.e2e  # builds and installs a wheel, crawls, serves

PACKAGE_DATA = {
    "tintuc/sample_portal/content.txt", "tintuc/sample_portal/manifest.json",
    "tintuc/sample_portal/serve.py", "tintuc/sample_portal/build.py", "crawler/sites.toml",
    "tintuc/web/templates/row.html", "tintuc/web/templates/table.html",
    "tintuc/web/templates/tintuc_search.html",
}  # fmt: skip
NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", ".hypothesis", "test-output", "build",
                                    "__pycache__", "*.egg-info", "*.db", "*.db-*", "warc")


def pip(*args: str, cwd: Path | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                   cwd=cwd, check=True, capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, a folder where it is installed on its own)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(work / "wheels"),
        str(source))  # fmt: skip
    (wheel,) = (work / "wheels").glob("tintuc-*.whl")
    target = work / "site-packages"
    pip("install", "--no-deps", "--no-index", "--target", str(target), str(wheel))
    return wheel, target


def run_installed(target: Path, *args: str, cwd: Path, **kwargs) -> subprocess.Popen:
    """``python -m tintuc ARGS`` with the installed copy first on the path (PYTHONPATH wins over
    the venv's editable install of the clone)."""
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "tintuc", *args], cwd=cwd, env=env,
                            text=True, **kwargs)  # fmt: skip


def test_the_wheel_carries_the_sample_portal_registry_and_templates(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert PACKAGE_DATA <= names, PACKAGE_DATA - names
    assert not any(n.startswith(("tests/", "bench/", "docs/")) for n in names)


def test_demo_from_an_empty_folder_crawls_into_the_db_and_its_hint_serves_it(installed, tmp_path):
    _, target = installed
    probe = subprocess.run(
        [sys.executable, "-c", "import crawler, pipelines, tintuc\n"
         "print(crawler.__file__, pipelines.__file__, tintuc.__file__)"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert all(Path(p).is_relative_to(target) for p in probe.stdout.split()), probe.stdout

    demo = run_installed(target, "demo", "--db", "demo archive.db", "--port", "0", cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    output, _ = demo.communicate(timeout=180)
    assert demo.returncode == 0, output
    assert "sample portal served at http://127.0.0.1:" in output
    assert ":8765" not in output  # --port 0 picked a free port
    stored = query(tmp_path / "demo archive.db", "SELECT count(*) AS n FROM articles")[0]["n"]
    assert stored == len(MANIFEST["articles"])

    hint = next(line for line in output.splitlines() if line.startswith("Open it:"))
    command = shlex.split(hint.removeprefix("Open it:").split(" then ")[0])
    assert command == ["tintuc", "serve", "--db", "demo archive.db"]
    port = free_port()
    server = run_installed(target, *command[1:], "--port", str(port), cwd=tmp_path,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/demo%20archive/articles/1", server)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert '<article class="tintuc-article" lang="vi">' in page  # the wheel's row.html


def wait_for_page(url: str, server: subprocess.Popen, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"tintuc serve never answered {url}") from None
            time.sleep(0.2)
