"""The reference in docs/ covers what the code has, and the README stays a front door.

Every list here is read from the code, never written out: the commands and options from the
click group, the settings from ``crawler/settings.py`` and a scan of the source, the tables and
columns from a fresh archive. Add a command, option, setting, table or column without
documenting it and a test here names it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import click
import pytest

import crawler.settings
from pipelines.archive.schema import open_archive
from tintuc.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
README_MAX_LINES = 150
# where TINTUC_* names are read: the three packages, the benchmarks, the test fixtures, CI
SETTING_SOURCES = [
    *(ROOT / "crawler").rglob("*.py"),
    *(ROOT / "pipelines").rglob("*.py"),
    *(ROOT / "tintuc").rglob("*.py"),
    *(ROOT / "bench").glob("*.py"),
    ROOT / "tests" / "conftest.py",
    ROOT / "Makefile",
    ROOT / ".ci" / "run",
]
SETTING_NAME = re.compile(r"\bTINTUC_[A-Z][A-Z0-9_]*[A-Z0-9]\b")
HEADING = re.compile(r"^(#+)\s+(.*)$", re.MULTILINE)
FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def sections(markdown: str) -> dict[str, str]:
    """Each heading's text (backticks removed) -> the text up to the next heading."""
    # a "# comment" line in a code block is no heading: indent it out of HEADING's reach
    markdown = FENCED_CODE.sub(lambda m: m.group(0).replace("\n#", "\n #"), markdown)
    found = list(HEADING.finditer(markdown))
    ends = [m.start() for m in found[1:]] + [len(markdown)]
    return {m.group(2).replace("`", "").strip(): markdown[m.end() : end]
            for m, end in zip(found, ends, strict=True)}  # fmt: skip


def walk(command: click.Command, path: tuple[str, ...] = ("tintuc",)):
    """(command path, command) for the group and every command and subcommand under it."""
    yield " ".join(path), command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, (*path, name))


def documented_names(command: click.Command) -> list[str]:
    """What the docs must name for ``command``: each option's flags (long ones, or the short one
    when it has no long one; ``--no-x`` too), and each argument as written in usage."""
    names = []
    for param in command.params:
        if isinstance(param, click.Argument):
            names.append(param.human_readable_name)
            continue
        for flags in (param.opts, param.secondary_opts):
            long_flags = [f for f in flags if f.startswith("--")]
            names += long_flags or flags
    return names


COMMANDS = list(walk(main))


def test_the_command_walk_finds_subcommands_and_options():
    paths = dict(COMMANDS)
    assert "tintuc schedule add" in paths and "tintuc crawl" in paths
    assert "--no-bom" in documented_names(paths["tintuc export"])
    assert "SITE" in documented_names(paths["tintuc crawl"])


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_in_commands_md(path, command):
    by_heading = sections(read("commands.md"))
    if path not in by_heading:
        pytest.fail(f"docs/commands.md has no heading for `{path}`")
    missing = [name for name in documented_names(command)
               if name != "--help" and f"`{name}" not in by_heading[path]]  # fmt: skip
    assert not missing, f"docs/commands.md, section `{path}`, does not describe {missing}"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_the_examples_of_each_help_read_as_written(path, command):
    """An example command in a docstring is printed by ``--help`` on a line of its own, as
    written: click rewraps a paragraph to 80 columns, which joined two examples into one line
    (``tintuc scheduler``) and cut a file name at its hyphen (``-o lien-ket-`` / ``vung.csv``),
    so a reader's copy and paste ran something else. A ``\\b`` line keeps a block as it is."""
    examples = [line.strip() for line in (command.help or "").splitlines()
                if line.strip().startswith("tintuc ")]  # fmt: skip
    shown = {line.strip() for line in
             command.get_help(click.Context(command, info_name=path)).splitlines()}
    assert [e for e in examples if e not in shown] == []


def tintuc_settings_in_code() -> set[str]:
    names = {name for name in vars(crawler.settings) if name.startswith("TINTUC_")}
    for source in SETTING_SOURCES:
        names |= set(SETTING_NAME.findall(source.read_text(encoding="utf-8")))
    return names


def settings_rows() -> dict[str, list[str]]:
    """`NAME` -> the cells of its row in a table of docs/settings.md."""
    rows = {}
    for line in read("settings.md").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith("`"):
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0]):
                rows[name] = cells
    return rows


def shown(value) -> str:
    """A default as docs/settings.md writes it: Python literals, strings in double quotes."""
    return f'`"{value}"`' if isinstance(value, str) else f"`{value!r}`"


def test_every_tintuc_setting_is_in_settings_md():
    names = tintuc_settings_in_code()
    assert {"TINTUC_DB", "TINTUC_DATASETTE_WRITE", "TINTUC_CONTACT"} <= names  # the scan works
    rows = settings_rows()
    missing = sorted(names - set(rows))
    assert not missing, f"docs/settings.md has no row for {missing}"


def test_settings_md_gives_the_defaults_of_crawler_settings():
    rows = settings_rows()
    defaults = {n: v for n, v in vars(crawler.settings).items() if n.startswith("TINTUC_")}
    wrong = {name: (rows[name][1], shown(value)) for name, value in defaults.items()
             if name in rows and rows[name][1] != shown(value)}  # fmt: skip
    assert not wrong, f"docs/settings.md default (written, actual): {wrong}"


def test_every_scrapy_setting_tintuc_changes_is_in_settings_md():
    rows = settings_rows()
    ours = [name for name in vars(crawler.settings)
            if name.isupper() and not name.startswith("TINTUC_")]  # fmt: skip
    assert "DOWNLOAD_DELAY" in ours
    missing = [name for name in ours if name not in rows]
    assert not missing, f"docs/settings.md has no row for {missing}"


def archive_tables(path: Path) -> dict[str, list[str]]:
    """Tables, views and virtual tables of a fresh archive with their columns; FTS5's shadow
    tables (``articles_fts_data`` …) are storage, documented with their table."""
    open_archive(path).close()
    conn = sqlite3.connect(path)
    try:
        listed = conn.execute("PRAGMA table_list").fetchall()
        names = [name for _schema, name, kind, *_ in listed
                 if _schema == "main" and kind in ("table", "view", "virtual")
                 and not name.startswith("sqlite_")]  # fmt: skip
        return {name: [row[1] for row in conn.execute(f"PRAGMA table_xinfo([{name}])")]
                for name in sorted(names)}  # fmt: skip
    finally:
        conn.close()


def test_every_table_and_column_is_in_data_model_md(tmp_path):
    tables = archive_tables(tmp_path / "archive.db")
    assert {"articles", "articles_fts", "_sqlite_migrations"} <= set(tables)
    assert "articles_fts_data" not in tables
    by_heading = sections(read("data-model.md"))
    missing_tables = sorted(set(tables) - set(by_heading))
    if missing_tables:
        pytest.fail(f"docs/data-model.md has no heading for tables {missing_tables}")
    missing = {table: [c for c in columns if f"`{c}`" not in by_heading[table]]
               for table, columns in tables.items()}  # fmt: skip
    missing = {table: columns for table, columns in missing.items() if columns}
    assert not missing, f"docs/data-model.md does not describe columns {missing}"


def test_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; reference: docs/"
    first = next(m for m in HEADING.finditer(text) if m.group(1) == "##")  # after the title
    first_section = sections(text)[first.group(2).replace("`", "").strip()]
    assert "make demo" in first_section and "make test" in first_section, first.group(0)
    for doc in sorted(DOCS.glob("*.md")):
        assert f"(docs/{doc.name})" in text, f"README.md does not point to docs/{doc.name}"


def test_links_between_docs_point_to_files_that_exist():
    pages = [README, ROOT / "bench" / "README.md", *DOCS.glob("*.md")]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, f"broken links: {broken}"
