"""The ``tintuc`` command: thin click wrappers around the library functions."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from crawler.sites import SiteError, check_http_url, get_site, load_sites

DEFAULT_DB = "archive.db"
db_option = click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
    help="SQLite archive to use.",
)  # fmt: skip
sites_option = click.option(
    "--sites", "sites_file", type=click.Path(dir_okay=False, exists=True),
    help="An extra site registry (TOML) to load beside the bundled one.",
)  # fmt: skip


@click.group()
@click.version_option(package_name="tintuc")
def main() -> None:
    """tintuc: an archive of Vietnamese provincial news."""


def parse_setting(value: str) -> tuple[str, str]:
    name, sep, setting = value.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
    return name.strip(), setting


def check_db_path(db_path: str) -> None:
    """Fail early, in one line, when the archive cannot be created or written.

    Tries for real (root passes every permission check but not a read-only file system or
    an immutable file).
    """
    import sqlite3
    import tempfile

    path = Path(db_path).resolve()
    if path.is_dir():
        raise click.ClickException(f"database {db_path} is a folder")
    try:
        if path.exists():
            with open(path, "ab"):
                pass
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA schema_version")
            except sqlite3.DatabaseError as exc:
                raise click.ClickException(f"{db_path} is not a SQLite database ({exc})") from None
            finally:
                conn.close()
        else:
            with tempfile.TemporaryFile(dir=path.parent):
                pass
    except FileNotFoundError:
        raise click.ClickException(f"cannot create database {db_path}: no such folder") from None
    except OSError as exc:
        what = "is read-only" if path.exists() else "cannot be created"
        raise click.ClickException(f"database {db_path} {what}: {exc.strerror}") from None


def run_crawl(
    site: str | None,
    start_url: str | None,
    db_path: str,
    max_pages: int | None = None,
    overrides: dict[str, str] | None = None,
    sites_file: str | None = None,
) -> dict:
    """Run one crawl in this process and return Scrapy's final stats."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.spiders.news import NewsSpider

    settings = get_project_settings()
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # the summary says what happened
    settings.set("TINTUC_DB", db_path, priority="cmdline")
    if sites_file:
        settings.set("TINTUC_SITES_FILE", sites_file, priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    contact = settings.get("TINTUC_CONTACT") or os.environ.get("TINTUC_CONTACT")
    if contact:
        settings.set("USER_AGENT", f"{settings.get('USER_AGENT')[:-1]}; {contact})", "cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, site=site, start_url=start_url)
    process.start()
    return crawler.stats.get_stats()


def print_crawl_summary(db_path: str, crawl_id: int | None) -> None:
    from pipelines.schema import open_archive

    db = open_archive(db_path)
    if crawl_id is None:
        raise click.ClickException("the crawl did not start (see the log above)")
    row = db["crawls"].get(crawl_id)
    total = db.execute("SELECT count(*) FROM articles WHERE site = ?", [row["site"]]).fetchone()[0]
    click.echo(
        f"crawl {row['id']} of {row['site']}: {row['status']}; {row['pages']} pages fetched, "
        f"{row['articles_new']} new, {row['articles_changed']} changed, "
        f"{row['articles_unchanged']} unchanged articles, {row['errors']} errors, "
        f"{row['pages_skipped'] or 0} stored articles skipped; "
        f"{total} articles of this site in {db_path}"
    )
    for err in db.query(
        "SELECT url, error FROM crawl_errors WHERE crawl_id = ? LIMIT 10", [crawl_id]
    ):
        click.echo(f"  error: {err['url']}: {err['error']}")
    db.close()


@main.command()
@click.argument("site", required=False)
@click.option("--start-url", help="Start here instead (a site not in the registry, or a mirror).")
@db_option
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many responses.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or TINTUC_ setting for this run.")  # fmt: skip
@click.option("--full", is_flag=True,
              help="Fetch every article again (default: incremental, stored ones skipped).")
@sites_option
def crawl(site, start_url, db_path, max_pages, overrides, sites_file, full):
    """Crawl SITE (an id from the registry) into the archive.

    Example:

        tintuc crawl baoquangninh --max-pages 200

        tintuc crawl --start-url https://example.gov.vn/ -s DOWNLOAD_DELAY=2
    """
    settings = dict(parse_setting(o) for o in overrides)
    if full:
        settings["TINTUC_INCREMENTAL"] = "False"
    try:
        if site:
            get_site(site, sites_file)
        elif not start_url:
            raise click.UsageError("give a SITE id or --start-url URL (see: tintuc sites)")
        if start_url:
            check_http_url(start_url)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None
    check_db_path(db_path)
    stats = run_crawl(site, start_url, db_path, max_pages, settings, sites_file)
    if stats.get("tintuc/fatal"):
        raise click.ClickException(f"crawl stopped: {stats['tintuc/fatal']}")
    print_crawl_summary(db_path, stats.get("tintuc/crawl_id"))


@main.command()
@sites_option
def sites(sites_file):
    """List the registered sites."""
    try:
        registry = load_sites(sites_file)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None
    for profile in registry.values():
        checked = "" if profile.checked_live else "  (not yet checked against live pages)"
        line = f"{profile.id:20} {profile.kind:11} {profile.province:12} {profile.name}"
        click.echo(line + checked)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option("--site", help="Use this registered site's CSS overrides.")
def extract(file, url, site):
    """Extract one saved page and print the result as JSON.

    Example:

        tintuc extract saved-page.html --url https://baoquangninh.vn/bai-viet-123.html
    """
    from pipelines.extract import extract_article

    profile = None
    if site:
        try:
            selectors = get_site(site).selectors
        except SiteError as exc:
            raise click.ClickException(str(exc)) from None
        profile = {"selectors": selectors} if selectors else None
    result = extract_article(Path(file).read_bytes(), url, profile)
    if result is None:
        raise click.ClickException(f"{file}: not an article page")
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@main.command()
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

    from crawler.datasette_plugin import SERVE_SETTINGS, WRITE_ENV

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}: run 'make demo' or 'tintuc crawl'")
    settings = {**SERVE_SETTINGS, "sql_time_limit_ms": time_limit_ms}
    args = ["serve", db_path, "--host", host, "--port", str(port)]
    for name, value in settings.items():
        args += ["--setting", name, str(int(value) if isinstance(value, bool) else value)]
    os.environ[WRITE_ENV] = "1" if write else "0"
    if open_browser:
        args.append("-o")
    datasette_cli.main(args=args, prog_name="datasette")


@main.command()
@db_option
@click.option("--site", help="Only this site.")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--query", "-q",
              help='Full-text search: diacritics optional, "a phrase", prefix*.')  # fmt: skip
@click.option("--order", type=click.Choice(["rank", "newest"]),
              help="Row order (default: best match first with --query, else newest first).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (default: stdout).")  # fmt: skip
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="Start CSV with a UTF-8 BOM so spreadsheets read Vietnamese right.")  # fmt: skip
def export(db_path, site, since, until, query, order, fmt, output, bom):
    """Export articles as CSV, JSON Lines or JSON, streaming (constant memory).

    Reads one consistent snapshot, so it is safe while a crawl writes. With -o the file
    appears only when complete (written to FILE.part, then renamed).

    Example:

        tintuc export --query "liên kết vùng" --since 2025-01-01 -o lien-ket-vung.csv
    """
    from crawler.export import ExportError, export_articles

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    partial = Path(f"{output}.part") if output else None
    out = open(partial, "w", encoding="utf-8", newline="") if partial else sys.stdout
    try:
        count = export_articles(
            db_path, out, fmt=fmt, bom=bom,
            site=site, since=since, until=until, query=query, order=order,
        )  # fmt: skip
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if partial:
            out.close()
            if sys.exc_info()[0] is not None:
                partial.unlink(missing_ok=True)
    if partial:
        partial.replace(output)
    click.echo(f"{count} articles exported", err=True)


@main.command()
@db_option
@click.option("--port", default=8765, show_default=True,
              help="Port for the sample portal; the same port keeps URLs the same across runs.")
def demo(db_path, port):
    """Serve the bundled sample portal on 127.0.0.1, crawl it into the archive, stop it."""
    from crawler.demo import serve_sample_portal

    check_db_path(db_path)
    try:
        base_url, stop = serve_sample_portal(port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve the sample portal on port {port}: {exc}"
        ) from None
    click.echo(f"sample portal served at {base_url}")
    try:
        stats = run_crawl("sample", base_url, db_path)
    finally:
        stop()
    print_crawl_summary(db_path, stats.get("tintuc/crawl_id"))
    click.echo(f"\nOpen it:  .venv/bin/tintuc serve --db {db_path}   then http://127.0.0.1:8001/")


@main.command()
@db_option
def status(db_path):
    """Show, per site, the last crawl, its result and the number of articles."""
    from pipelines.schema import open_archive

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    db = open_archive(db_path)
    sql = """
        SELECT s.id, s.name, c.id AS crawl, c.status, c.started, c.finished, c.pages,
               c.articles_new, c.errors,
               (SELECT count(*) FROM articles a WHERE a.site = s.id) AS articles,
               (SELECT count(*) FROM articles a WHERE a.site = s.id AND a.removed IS NOT NULL)
                 AS removed
        FROM sites s LEFT JOIN crawls c ON c.id = (SELECT max(id) FROM crawls WHERE site = s.id)
        ORDER BY s.id"""
    for r in db.query(sql):
        last = (f"crawl {r['crawl']} {r['status']} {r['started']}: {r['pages']} pages, "
                f"{r['articles_new']} new, {r['errors']} errors") if r["crawl"] else "never crawled"
        click.echo(f"{r['id']:20} {r['articles']:7} articles ({r['removed']} removed)  {last}")


@main.command()
@db_option
def verify(db_path):
    """Re-read every WARC record and check it against the captures table.

    Exits with status 1 if any record is missing or damaged.
    """
    from pipelines.captures import Problem, verify_captures
    from pipelines.schema import open_archive

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    db = open_archive(db_path)
    good = bad = 0
    for result in verify_captures(db, Path(db_path).resolve().parent):
        if isinstance(result, Problem):
            bad += 1
            click.echo(f"capture {result.capture_id} {result.url}: {result.problem}")
        else:
            good += 1
    click.echo(f"{good} records intact, {bad} missing or damaged")
    sys.exit(1 if bad else 0)


@main.command()
@db_option
@click.option("--site", help="Only this site's articles.")
def reextract(db_path, site):
    """Extract stored articles again from their WARC captures (no network).

    Run it after the extractor improves; running it twice changes nothing.
    """
    from pipelines.captures import reextract as reextract_all
    from pipelines.schema import open_archive

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    db = open_archive(db_path)
    counts = reextract_all(db, Path(db_path).resolve().parent, site)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command(name="eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--floor", type=click.Path(dir_okay=False), help="Fail if a figure is below it.")
def eval_command(folder, floor):
    """Score the extractor (and plain trafilatura) on saved pages with ground truth."""
    from pipelines.evaluate import main as evaluate_main

    args = [folder] + (["--floor", floor] if floor else [])
    sys.exit(evaluate_main(args))


from crawler.schedule import schedule, scheduler  # noqa: E402

main.add_command(schedule)
main.add_command(scheduler)

if __name__ == "__main__":
    main()
