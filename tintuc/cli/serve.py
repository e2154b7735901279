"""``tintuc serve``: Datasette on the archive, with tintuc's plugin and settings."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

import click

from tintuc.cli.options import db_option


def check_port(host: str, port: int) -> None:
    """A one-line error if ``host:port`` cannot be listened on (taken by another server, or a
    privileged port), before Datasette starts: uvicorn would log a traceback-like bind error
    after its startup lines and exit 3. Bound as uvicorn binds (SO_REUSEADDR), then released."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror}") from None
    try:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = "address already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {reason}; choose another port with --port"
        ) from None


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 exposes the archive).")  # fmt: skip
@click.option("-p", "--port", default=8001, show_default=True, type=int)
@click.option("--time-limit-ms", default=3000, show_default=True, type=click.IntRange(min=1),
              help="SQL time limit for each query.")  # fmt: skip
@click.option("--write", is_flag=True,
              help="Let Datasette plugins write to the archive (default: read-only).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open a browser.")
def serve(db_path, host, port, time_limit_ms, write, open_browser):
    """Serve the archive with Datasette: read-only, safe while a crawl writes (WAL).

    Search ignores case and diacritics; CSV exports are never cut short
    (max_csv_mb 0, and /-/tintuc/export/<db>.csv for search results).

    Example:

        tintuc serve --db archive.db --port 8001
    """
    from datasette.cli import cli as datasette_cli

    from tintuc.web import SERVE_SETTINGS, WRITE_ENV

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}: run 'tintuc demo' or 'tintuc crawl'")
    check_port(host, port)
    settings = {**SERVE_SETTINGS, "sql_time_limit_ms": time_limit_ms}
    # a copy on read-only storage (a mounted backup): SQLite cannot create the WAL's files
    # beside it, so Datasette opens it as immutable (it would see no later write anyway)
    writable = os.access(db_path, os.W_OK) and os.access(Path(db_path).resolve().parent, os.W_OK)
    if not writable and write:
        raise click.ClickException(f"--write: the archive {db_path} is on read-only storage")
    args = ["serve", *([db_path] if writable else ["-i", db_path]), "--host", host,
            "--port", str(port)]  # fmt: skip
    for name, value in settings.items():
        args += ["--setting", name, str(int(value) if isinstance(value, bool) else value)]
    os.environ[WRITE_ENV] = "1" if write else "0"
    if open_browser:
        args.append("-o")
    datasette_cli.main(args=args, prog_name="datasette")
