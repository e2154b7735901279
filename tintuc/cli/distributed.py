"""``tintuc worker``, ``tintuc ingest``, ``tintuc enqueue``: one archive crawled by many machines
through Redis (:mod:`tintuc.distributed`)."""

from __future__ import annotations

import click

from crawler.sites import (
    SiteError,
    check_http_url,
    get_site,
    load_sites,
    sites_in_province,
    start_url_profile,
)
from pipelines.archive.schema import ArchiveOpenError
from tintuc.cli.options import parse_setting, settings_option, sites_option
from tintuc.crawl import CrawlSetupError, check_db_path, check_start_url_length
from tintuc.plural import plural

redis_option = click.option(
    "--redis", "redis_url", required=True, metavar="URL",
    help="The shared Redis: redis://host:6379/0 (frontier, dupefilter, result stream).",
)  # fmt: skip
until_idle_option = click.option(
    "--until-idle", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
    help="Exit once there has been nothing to do this long (default: run until stopped).",
)  # fmt: skip


def connect(redis_url: str, retrying: bool = False):
    from tintuc.distributed import DistributedError, connect

    try:
        return connect(redis_url, retrying)
    except DistributedError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@redis_option
@sites_option
@until_idle_option
@click.option("--name", help="This worker's name, in its WARC file names "
                             "(default: host name and process id).")  # fmt: skip
@settings_option
def worker(redis_url, sites_file, until_idle, name, overrides):
    """Crawl from the shared frontier; send every result to the ingester through Redis.

    WARC files are written to warc/ in the current folder (or TINTUC_WARC_DIR), named by worker.

    Example:

        tintuc worker --redis redis://10.0.0.1:6379/0
    """
    from tintuc.distributed import default_worker_name, run_worker

    connect(redis_url)
    try:
        run_worker(redis_url, name or default_worker_name(), until_idle, sites_file,
                   dict(parse_setting(o) for o in overrides))  # fmt: skip
    except CrawlSetupError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@redis_option
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="The SQLite archive this process alone writes.")  # fmt: skip
@until_idle_option
# 600 = tintuc.distributed.WORKER_TIMEOUT (imported only when run); a test keeps them in step
@click.option("--worker-timeout", type=click.FloatRange(min=0), default=600, metavar="SECONDS",
              show_default=True,
              help="With --until-idle: give up (exit 1, the crawl's error) on a running crawl "
                   "that no worker has joined this long.")  # fmt: skip
def ingest(redis_url, db_path, until_idle, worker_timeout):
    """Write the workers' results into the archive: the one writer.

    Example:

        tintuc ingest --redis redis://10.0.0.1:6379/0 --db archive.db
    """
    from tintuc.distributed import DistributedError, Ingester

    conn = connect(redis_url, retrying=True)
    try:
        check_db_path(db_path)
        ingester = Ingester(conn, db_path, report=lambda line: click.echo(line, err=True))
    except (CrawlSetupError, ArchiveOpenError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        total = ingester.run(until_idle, worker_timeout)
    except DistributedError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        ingester.close()
    click.echo(f"{plural(total, 'result')} ingested, {plural(ingester.stored, 'article')} written "
               f"to {db_path}")  # fmt: skip


@click.command()
@click.argument("site", required=False)
@click.option("--province", metavar="NAME", help="Every registered site of this province.")
@click.option("--start-url", help="Start here (a site not in the registry, or a mirror).")
@click.option("--force", is_flag=True,
              help="Enqueue even if a crawl of the same site is still running.")
@redis_option
@sites_option
def enqueue(site, province, start_url, force, redis_url, sites_file):
    """Start crawls on the shared frontier: the running workers take them up. A site whose
    crawl is still running is not enqueued again (two crawls of one site would share
    nothing and fetch everything twice), unless --force.

    Example:

        tintuc enqueue baoquangninh --redis redis://10.0.0.1:6379/0
    """
    from tintuc.distributed import enqueue as enqueue_crawl
    from tintuc.distributed import running_crawls

    try:
        if province:
            if site or start_url:
                raise click.UsageError("give --province alone, without SITE or --start-url")
            targets = [(p, p.id, None) for p in
                       sites_in_province(load_sites(sites_file), province)]  # fmt: skip
            if not targets:
                raise SiteError(f"no registered site in province {province!r}")
        elif site:
            profile = get_site(site, sites_file)
            if start_url:
                check_http_url(start_url)
                profile = profile.with_start_urls([start_url])
            targets = [(profile, site, start_url)]
        elif start_url:
            profile = start_url_profile(start_url, sites_file)
            registered = profile.kind != "generic"  # its articles stay that site's
            targets = [(profile, profile.id if registered else None, start_url)]
        else:
            raise click.UsageError("give a SITE id, --province NAME or --start-url URL")
        for profile, _, _ in targets:  # as `tintuc crawl` does, by the project's limit
            check_start_url_length(profile.start_urls)
    except (SiteError, CrawlSetupError) as exc:
        raise click.ClickException(str(exc)) from None
    conn = connect(redis_url)
    running = {(c["site"], c["start_url"]): token for token, c in running_crawls(conn).items()}
    enqueued = 0
    for profile, site_id, url in targets:
        if not force and (site_id, url) in running:
            click.echo(f"crawl {running[site_id, url]} of {profile.id} is still running: not "
                       "enqueued again (--force to enqueue anyway)", err=True)  # fmt: skip
            continue
        token = enqueue_crawl(conn, profile, site_id, url)
        enqueued += 1
        click.echo(f"crawl {token} of {profile.id} enqueued (its crawls row comes with the "
                   "ingester)")  # fmt: skip
    if not enqueued:
        raise SystemExit(1)
