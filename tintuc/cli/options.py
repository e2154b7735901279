"""Options and argument parsing shared by several commands (sqlite-utils' pattern)."""

from __future__ import annotations

import click

DEFAULT_DB = "archive.db"

db_option = click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
    help="SQLite archive to use.",
)  # fmt: skip
sites_option = click.option(
    "--sites", "sites_file", type=click.Path(dir_okay=False, exists=True),
    help="An extra site registry (TOML) to load beside the bundled one.",
)  # fmt: skip
settings_option = click.option(
    "-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
    help="Override a Scrapy or TINTUC_ setting for this run.",
)  # fmt: skip


def parse_setting(value: str) -> tuple[str, str]:
    """``NAME=VALUE`` from ``-s``, split; a bad one is a usage error."""
    name, sep, setting = value.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
    return name.strip(), setting
