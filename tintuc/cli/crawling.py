"""``tintuc crawl`` and ``tintuc demo``."""

from __future__ import annotations

import errno
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click

from crawler.sites import (
    SiteError,
    check_http_url,
    generic_profile,
    get_site,
    load_sites,
    sites_in_province,
    start_url_profile,
)
from pipelines.archive.schema import ArchiveOpenError, open_archive
from pipelines.archive.store import running_crawl
from tintuc.cli.options import db_option, parse_setting, settings_option, sites_option
from tintuc.crawl import (
    CrawlSetupError,
    check_db_path,
    crawl_settings,
    crawl_status,
    run_crawl,
    summary_lines,
)
from tintuc.plural import plural


def finish(db_path: str, stats: dict) -> None:
    """Print the crawl's summary; exit non-zero if it stopped on a fatal error, never began,
    or failed (nothing answered: the site is down or the start URL is wrong), so that cron
    and ``scheduler --once`` tell a site that is down."""
    if stats.get("tintuc/fatal"):
        raise click.ClickException(f"crawl stopped: {stats['tintuc/fatal']}")
    crawl_id = stats.get("tintuc/crawl_id")
    if crawl_id is None:
        raise click.ClickException("the crawl did not start (see the log above)")
    for line in summary_lines(db_path, crawl_id):
        click.echo(line)
    if crawl_status(db_path, crawl_id) == "failed":
        raise SystemExit(1)


@click.command()
@click.argument("site", required=False)
@click.option("--start-url", help="Start here instead (a site not in the registry, or a mirror).")
@db_option
@click.option("--max-pages", type=click.IntRange(min=1),
              help="Stop scheduling after about this many responses; pages already requested "
              "still finish, so a crawl fetches more (CLOSESPIDER_PAGECOUNT).")  # fmt: skip
@settings_option
@click.option("--full", is_flag=True,
              help="Fetch every article again (default: incremental, stored ones skipped).")
@click.option("--province", metavar="NAME",
              help="Crawl every registered site of this province, one after the other "
                   "(case and diacritics ignored: 'quang ninh').")
@sites_option
def crawl(site, start_url, db_path, max_pages, overrides, sites_file, full, province):
    """Crawl SITE (an id from the registry) into the archive.

    Example:

        tintuc crawl baoquangninh --max-pages 200

        tintuc crawl --start-url https://example.gov.vn/ -s DOWNLOAD_DELAY=2

        tintuc crawl --province "Quảng Ninh" --max-pages 500
    """
    settings = dict(parse_setting(o) for o in overrides)
    if full:
        settings["TINTUC_INCREMENTAL"] = "False"
    if province:
        if site or start_url:
            raise click.UsageError("give --province alone, without SITE or --start-url")
        crawl_province(province, db_path, max_pages, overrides, sites_file, full)
        return
    try:
        if site:
            profile = get_site(site, sites_file)
        elif not start_url:
            raise click.UsageError("give a SITE id or --start-url URL (see: tintuc sites)")
        if start_url:
            check_http_url(start_url)
        check_db_path(db_path)  # creates nothing
        if sites_file:
            load_sites(sites_file)  # a broken file is an error even when no SITE is read
        if start_url and not site:
            profile = start_url_profile(start_url, sites_file)
            if profile.kind != "generic":  # its articles stay that site's, its patterns apply
                site = profile.id
                click.echo(f"{start_url} is registered site {site}: crawled with its profile")
        start_urls = [start_url] if start_url else profile.start_urls
        scrapy_settings = crawl_settings(db_path, max_pages, settings, sites_file, start_urls)
        # created or migrated here, before Scrapy starts, so a failure is one line
        db = open_archive(db_path)
        try:
            running = running_crawl(db, site or generic_profile(start_url).id)
        finally:
            db.close()
        if running:
            raise CrawlSetupError(
                f"crawl {running['id']} of {running['site']} is still running in {db_path} "
                f"(pid {running['pid']}): two crawls of one site would fetch it twice; wait for "
                "it to end, or stop it"
            )
    except (SiteError, CrawlSetupError, ArchiveOpenError) as exc:
        raise click.ClickException(str(exc)) from None
    finish(db_path, run_crawl(scrapy_settings, site, start_url))


def crawl_province(province, db_path, max_pages, overrides, sites_file, full) -> None:
    """Crawl each site of ``province`` as its own ``tintuc crawl SITE`` process, in turn.

    A process per site, as the scheduler does: Scrapy's reactor cannot restart within one
    process, and one CrawlerProcess running every site at once would share a reactor, memory and
    a failure between them; a child that dies or hangs takes only its own crawl row with it.
    """
    try:
        sites = sites_in_province(load_sites(sites_file), province)
        if not sites:
            raise SiteError(f"no registered site in province {province!r} (see: tintuc sites)")
        check_db_path(db_path)
        crawl_settings(db_path, max_pages, dict(parse_setting(o) for o in overrides), sites_file)
        open_archive(db_path).close()
    except (SiteError, CrawlSetupError, ArchiveOpenError) as exc:
        raise click.ClickException(str(exc)) from None
    failed = []
    for number, profile in enumerate(sites, 1):
        click.echo(f"[{number}/{len(sites)}] {profile.id}: {profile.name}")
        command = [sys.executable, "-m", "tintuc", "crawl", profile.id, "--db", db_path]
        command += ["--max-pages", str(max_pages)] if max_pages else []
        command += ["--full"] if full else []
        command += ["--sites", sites_file] if sites_file else []
        for override in overrides:
            command += ["-s", override]
        sys.stdout.flush()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        try:
            returncode = child.wait()
        except KeyboardInterrupt:
            child.wait()  # Ctrl-C reached the child too: let it record its crawl and stop
            raise click.ClickException(f"interrupted during {profile.id}") from None
        if returncode != 0:
            failed.append(profile.id)
    if failed:
        raise click.ClickException(
            f"{len(failed)} of {plural(len(sites), 'crawl')} failed: {', '.join(failed)}"
        )


@click.command()
@db_option
@click.option("--port", default=8765, show_default=True,
              help="Port for the sample portal; the same port keeps URLs the same across runs.")
def demo(db_path, port):
    """Serve the bundled sample portal on 127.0.0.1, crawl it into the archive, stop it.

    Example:

        tintuc demo --db archive.db
    """
    from tintuc.demo import serve_sample_portal

    try:
        check_db_path(db_path)
        scrapy_settings = crawl_settings(db_path)
        open_archive(db_path).close()
    except (CrawlSetupError, ArchiveOpenError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        base_url, stop = serve_sample_portal(port)
    except OSError as exc:
        message = f"cannot serve the sample portal on port {port}: {exc}"
        if exc.errno == errno.EADDRINUSE:  # a portal of one's own, or a demo still running
            message += "; choose another with --port N (make demo DEMO_PORT=N)"
        raise click.ClickException(message) from None
    click.echo(f"sample portal served at {base_url}")
    try:
        stats = run_crawl(scrapy_settings, "sample", base_url)
    finally:
        stop()
    finish(db_path, stats)
    click.echo(f"\nOpen it:  {serve_hint(db_path)}   then http://127.0.0.1:8001/")


def serve_hint(db_path: str) -> str:
    """The command that serves ``db_path``, as the user can paste it: ``tintuc`` when the shell
    finds this tintuc by that name, else the path it was run by (``make demo`` runs
    ``.venv/bin/tintuc`` with no virtualenv active, where ``tintuc`` is not found). Quoted
    whatever the paths hold (spaces, quotes)."""
    command = "tintuc"
    invoked = Path(sys.argv[0])
    if invoked.name == "tintuc":  # not `python -m tintuc`
        found = shutil.which("tintuc")
        if not found or Path(found).resolve() != invoked.resolve():
            command = shlex.quote(sys.argv[0])
    return f"{command} serve --db {shlex.quote(db_path)}"
