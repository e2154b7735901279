"""The line `tintuc demo` ends with is a command the user can paste as it is.

`make demo` runs `.venv/bin/tintuc demo` with no virtualenv active: the hint said
`tintuc serve --db archive.db`, which that shell does not find.
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import port_in_use

from tintuc.cli import main
from tintuc.cli.crawling import serve_hint


def test_the_hint_names_the_tintuc_that_ran_when_the_shell_finds_none(tmp_path, monkeypatch):
    script = tmp_path / "venv" / "bin" / "tintuc"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["venv/bin/tintuc", "demo"])
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))
    assert serve_hint("my archive.db") == "venv/bin/tintuc serve --db 'my archive.db'"
    monkeypatch.setenv("PATH", str(script.parent))  # the virtualenv is active
    assert serve_hint("archive.db") == "tintuc serve --db archive.db"


def test_the_hint_says_tintuc_when_run_as_a_module(monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(Path("tintuc") / "__main__.py"), "demo"])
    monkeypatch.setenv("PATH", "")
    assert serve_hint("archive.db") == "tintuc serve --db archive.db"


def test_a_port_in_use_names_the_option_that_picks_another(tmp_path):
    # a new user's own test portal held 8765: `make demo` said "Address already in use" and
    # nothing of --port (nor a way to give it to make)
    with port_in_use() as port:
        result = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "a.db"),
                                           "--port", str(port)])  # fmt: skip
    assert result.exit_code == 1
    assert f"port {port}" in result.output and "--port N (make demo DEMO_PORT=N)" in result.output
