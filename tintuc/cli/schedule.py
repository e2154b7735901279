"""``tintuc schedule add|list|remove`` and ``tintuc scheduler``: click wrappers over
:mod:`tintuc.scheduler`."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

import click
import sqlite_utils

from crawler.sites import SiteError, get_site
from pipelines.archive.schema import open_archive
from pipelines.archive.store import mark_interrupted_crawls
from tintuc.cli.options import db_option, parse_setting
from tintuc.scheduler import (
    ScheduleError,
    Scheduler,
    add_schedule,
    check_cron,
    describe,
    iso_utc,
    list_schedules,
    next_run,
    parse_interval,
    parse_time,
    remove_schedule,
)

log = logging.getLogger("tintuc.scheduler")


def _open_existing(db_path: str) -> sqlite_utils.Database:
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path} (add a schedule first)")
    return open_archive(db_path)


@click.group()
def schedule() -> None:
    """Crawl schedules, run by 'tintuc scheduler'.

    Example:

        tintuc schedule add baoquangninh --every 6h

        tintuc schedule add quangninh-portal --cron "30 5 * * *"
    """


@schedule.command("add")
@click.argument("site")
@click.option("--every", help="Interval: 90s, 30m, 6h, 1d, 1w, 1h30m …")
@click.option("--cron", help="Cron expression (5 fields, scheduler's local time).")
@db_option
@click.option("--sites", "sites_file", type=click.Path(dir_okay=False, exists=True),
              help="An extra site registry (give the scheduler --sites too).")  # fmt: skip
def schedule_add(site, every, cron, db_path, sites_file):
    """Crawl SITE every INTERVAL or at the times of a cron expression."""
    try:
        if (every is None) == (cron is None):
            raise ScheduleError("give either --every INTERVAL or --cron EXPRESSION (one of them)")
        if every is not None:
            parse_interval(every)
        else:
            check_cron(cron)
        get_site(site, sites_file)
    except (ScheduleError, SiteError) as exc:
        raise click.ClickException(str(exc)) from None
    path = Path(db_path).resolve()
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise click.ClickException(f"cannot write the archive {db_path}")
    db = open_archive(db_path)
    try:
        schedule_id = add_schedule(db, site, every, cron, sites_file=sites_file)
        row = db["schedules"].get(schedule_id)
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"schedule {schedule_id}: crawl {site} {describe(row)} (first run at the "
               "scheduler's next pass)")  # fmt: skip
    if sites_file:
        click.echo(f"run the scheduler with --sites {sites_file} so it knows {site}")


@schedule.command("list")
@db_option
def schedule_list(db_path):
    """List the schedules with their last and next runs (times in UTC)."""
    db = _open_existing(db_path)
    rows = list_schedules(db)
    db.close()
    if not rows:
        click.echo(f"no schedules in {db_path}")
        return
    click.echo(f"{'ID':>4}  {'SITE':20} {'WHEN':22} {'LAST STARTED':26} {'LAST CRAWL':18} NEXT RUN")
    for row in rows:
        last = parse_time(row["last_started"])
        upcoming = iso_utc(next_run(row, last)) if last else "at the next pass"
        if not row["enabled"]:
            upcoming = "disabled"
        crawl = f"{row['last_crawl_id']} ({row['last_status']})" if row["last_crawl_id"] else "-"
        click.echo(f"{row['id']:>4}  {row['site']:20} {describe(row):22} "
                   f"{row['last_started'] or 'never':26} {crawl:18} {upcoming}")  # fmt: skip


@schedule.command("remove")
@click.argument("schedule_id", type=int)
@db_option
def schedule_remove(schedule_id, db_path):
    """Remove schedule SCHEDULE_ID (a running crawl is left to finish)."""
    db = _open_existing(db_path)
    try:
        row = remove_schedule(db, schedule_id)
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"schedule {schedule_id} removed ({row['site']} {describe(row)})")


@click.command()
@db_option
@click.option("--poll", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between looks at the schedules.")  # fmt: skip
@click.option("--timeout", "timeout_text", default="2h", show_default=True,
              help="Stop a crawl that runs longer than this (90s, 30m, 2h …).")  # fmt: skip
@click.option("--grace", "grace_text", default="30s", show_default=True,
              help="After SIGTERM, wait this long before SIGKILL.")  # fmt: skip
@click.option("--once", is_flag=True,
              help="Start what is due, wait for those crawls, exit (for cron).")  # fmt: skip
@click.option("--sites", "sites_file", type=click.Path(dir_okay=False, exists=True),
              help="An extra site registry, passed to every crawl.")  # fmt: skip
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="A Scrapy or TINTUC_ setting for every crawl (TINTUC_CONTACT=…).")  # fmt: skip
@click.option(
    "--log-dir",
    type=click.Path(file_okay=False),
    help="Folder for each crawl's log  [default: crawl-logs beside the database]",
)
@click.option("--redis", "redis_url", metavar="URL",
              help="Enqueue due crawls on this shared Redis frontier for `tintuc worker` "
                   "instead of starting local crawl processes.")  # fmt: skip
def scheduler(db_path, poll, timeout_text, grace_text, once, sites_file, settings, log_dir,
              redis_url):  # fmt: skip
    """Run the crawl schedules: forever, or one pass with --once.

    Each due crawl runs in its own process; a site is never crawled twice at once; a crawl
    past --timeout is stopped and marked 'timeout'. SIGTERM or Ctrl-C stops the crawls and
    exits. With --once the exit status is 1 when a crawl failed or timed out.

    With --redis, due crawls go to the shared frontier instead (the workers crawl them, the
    ingester records them); --timeout, --grace, -s and --log-dir do not apply then.

    Example:

        \b
        tintuc scheduler --db archive.db --timeout 3h
        tintuc scheduler --db archive.db --redis redis://10.0.0.1:6379/0
    """
    try:
        timeout = parse_interval(timeout_text)
        grace = parse_interval(grace_text)
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    overrides = dict(parse_setting(setting) for setting in settings)
    if overrides and not redis_url:  # a setting no crawl can run with fails every crawl
        from tintuc.crawl import CrawlSetupError, crawl_settings

        try:
            crawl_settings(db_path, None, overrides, sites_file)
        except CrawlSetupError as exc:
            raise click.ClickException(str(exc)) from None
    _open_existing(db_path).close()
    redis_conn = None
    if redis_url:
        from tintuc.cli.distributed import connect

        redis_conn = connect(redis_url)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S%z",
    )  # fmt: skip
    stop = threading.Event()

    def on_signal(signum, frame):
        log.info("received %s: stopping", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    runner = Scheduler(db_path, timeout=timeout, grace=grace, sites_file=sites_file,
                       settings=settings, log_dir=log_dir, redis_conn=redis_conn)  # fmt: skip
    stale = mark_interrupted_crawls(runner.db)
    if stale:
        log.info("marked %d crawl(s) whose process is gone as 'interrupted'", stale)
    failures = 0
    try:
        if once:
            failures = runner.run_once(stop)
        else:
            runner.run_forever(stop, poll)
    finally:
        runner.shutdown()
        runner.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if once and not stop.is_set() and failures:
        log.info("%d crawl(s) failed or timed out", failures)
        sys.exit(1)
    log.info("scheduler stopped")
