"""Crawl schedules and the scheduler that runs them.

A schedule says "crawl SITE every 6h" or "crawl SITE at cron 0 */6 * * *"; schedules live in
the archive's ``schedules`` table. :class:`Scheduler` starts each due crawl as its own process
(``python -m tintuc crawl SITE --db PATH -s TINTUC_TRIGGER=schedule``), never two crawls
of one site at once (a crawl started by hand counts), kills a crawl that runs past its timeout
(SIGTERM, then SIGKILL after a grace period) and marks its crawl row ``timeout``.

Everything here is plain functions plus one class whose :meth:`Scheduler.tick` takes the time
as an argument, so tests drive it without sleeping. The ``schedule`` click group and the
``scheduler`` command (:mod:`tintuc.cli.schedule`) are thin wrappers.

Rules:

* A schedule that has never run is due at once; after that it is due when
  :func:`next_run` of its ``last_started`` has passed (``last_started + every`` or the cron
  expression's next match after ``last_started``).
* Cron expressions have the five classic fields (or ``@hourly``, ``@daily`` …) and are read in
  the scheduler's local time zone, like cron itself; times stored in the table are UTC.
* With a Redis connection (``tintuc scheduler --redis URL``) a due crawl is not started here:
  it is enqueued on the shared frontier (:mod:`tintuc.distributed`) for the workers, and the
  ingester writes its ``crawls`` row. A site with a crawl still running in Redis is busy. The
  timeout does not apply there: the workers end a crawl once its frontier is empty.
* A site registry beside the bundled one (``--sites FILE``) is given to the scheduler, which
  passes it to every crawl it starts; ``-s NAME=VALUE`` on the scheduler likewise goes to every
  crawl. Each crawl's output goes to its own log file (``crawl-logs/`` beside the database).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import sqlite_utils
from croniter import CroniterBadDateError, croniter

from crawler.sites import SiteError, get_site
from pipelines.archive.schema import open_archive
from pipelines.archive.store import mark_interrupted_crawls, pid_alive, record_unstarted_crawl
from pipelines.clock import now_iso

log = logging.getLogger("tintuc.scheduler")

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
INTERVAL_RE = re.compile(r"(?:\d+[smhdw])+")
DEFAULT_TIMEOUT = 2 * 3600
DEFAULT_GRACE = 30


class ScheduleError(ValueError):
    """Bad schedule input (interval, cron expression, site, id): the message is for the user."""


# --- parsing and validation -----------------------------------------------------------------


def parse_interval(text: str) -> int:
    """Seconds in an interval such as ``90s``, ``30m``, ``6h``, ``1d``, ``1w`` or ``1h30m``."""
    compact = str(text).strip().lower().replace(" ", "")
    if not INTERVAL_RE.fullmatch(compact):
        raise ScheduleError(
            f"bad interval {text!r}: use a number and a unit s, m, h, d or w "
            "(e.g. 90s, 30m, 6h, 1d, 1h30m)"
        )
    seconds = sum(int(n) * UNITS[unit] for n, unit in re.findall(r"(\d+)([smhdw])", compact))
    if seconds <= 0:
        raise ScheduleError(f"bad interval {text!r}: must be longer than zero")
    return seconds


def format_interval(seconds: int) -> str:
    """The short form of an interval: 21600 → ``6h``, 5400 → ``1h30m``."""
    parts, rest = [], int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts) or "0s"


def check_cron(expression: str) -> str:
    """Return the normalised cron expression, or raise :class:`ScheduleError`."""
    expr = " ".join(str(expression).split())
    hint = "five fields (minute hour day-of-month month day-of-week), e.g. '0 */6 * * *', or @daily"
    if not expr:
        raise ScheduleError(f"empty cron expression: expected {hint}")
    if not expr.startswith("@") and len(expr.split()) != 5:
        raise ScheduleError(f"bad cron expression {expression!r}: expected {hint}")
    if not croniter.is_valid(expr):
        fields = expr.split()
        for i, name in enumerate(("minute (0-59)", "hour (0-23)", "day of month (1-31)",
                                  "month (1-12)", "day of week (0-6)")):  # fmt: skip
            alone = " ".join(f if j == i else "*" for j, f in enumerate(fields))
            if not expr.startswith("@") and not croniter.is_valid(alone):
                raise ScheduleError(
                    f"bad cron expression {expression!r}: {fields[i]!r} is not a valid {name}"
                )
        raise ScheduleError(f"bad cron expression {expression!r}: expected {hint}")
    try:
        croniter(expr, datetime(2000, 1, 1, tzinfo=UTC)).get_next(datetime)
    except CroniterBadDateError:
        raise ScheduleError(f"cron expression {expression!r} never matches a date") from None
    return expr


def describe(schedule: dict[str, Any]) -> str:
    """``every 6h`` or ``cron 0 */6 * * *``."""
    if schedule.get("every_seconds"):
        return f"every {format_interval(schedule['every_seconds'])}"
    return f"cron {schedule['cron']}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_time(value: str | None) -> datetime | None:
    return _aware(datetime.fromisoformat(value)) if value else None


def iso_utc(moment: datetime) -> str:
    return _aware(moment).astimezone(UTC).isoformat(timespec="seconds")


# --- the schedules table --------------------------------------------------------------------


def add_schedule(
    db: sqlite_utils.Database,
    site: str,
    every: str | int | None = None,
    cron: str | None = None,
    *,
    sites_file: str | Path | None = None,
) -> int:
    """Add a schedule for ``site`` (``every`` an interval like '6h' or seconds, or ``cron``)."""
    if (every is None) == (cron is None):
        raise ScheduleError("give either --every INTERVAL or --cron EXPRESSION (one of them)")
    try:
        get_site(site, sites_file)
    except SiteError as exc:
        raise ScheduleError(str(exc)) from None
    every_seconds = None
    if every is not None:
        every_seconds = every if isinstance(every, int) else parse_interval(every)
        if every_seconds <= 0:
            raise ScheduleError(f"bad interval {every!r}: must be longer than zero")
    cron = check_cron(cron) if cron is not None else None
    same = db.execute(
        "SELECT id FROM schedules WHERE site = ? AND every_seconds IS ? AND cron IS ?",
        [site, every_seconds, cron],
    ).fetchone()
    if same:
        raise ScheduleError(f"schedule {same[0]} already crawls {site} on that rhythm")
    return (
        db["schedules"]
        .insert(
            {
                "site": site,
                "every_seconds": every_seconds,
                "cron": cron,
                "created": now_iso(),
                "last_started": None,
                "last_crawl_id": None,
                "enabled": 1,
            }
        )
        .last_pk
    )


def list_schedules(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every schedule with the status of its last crawl (``last_status``), by id."""
    return list(
        db.query(
            "SELECT s.*, c.status AS last_status FROM schedules s "
            "LEFT JOIN crawls c ON c.id = s.last_crawl_id ORDER BY s.id"
        )
    )


def remove_schedule(db: sqlite_utils.Database, schedule_id: int) -> dict[str, Any]:
    """Delete schedule ``schedule_id`` and return it; :class:`ScheduleError` if there is none."""
    row = db.execute("SELECT * FROM schedules WHERE id = ?", [schedule_id]).fetchone()
    if row is None:
        raise ScheduleError(f"no schedule {schedule_id} (see: tintuc schedule list)")
    columns = [d[0] for d in db.execute("SELECT * FROM schedules LIMIT 0").description]
    db["schedules"].delete(schedule_id)
    return dict(zip(columns, row, strict=True))


def next_run(schedule: dict[str, Any], after: datetime, tz: tzinfo | None = None) -> datetime:
    """When ``schedule`` is next due after ``after`` (UTC); cron is read in ``tz`` (or local)."""
    after = _aware(after)
    if schedule.get("every_seconds"):
        return after + timedelta(seconds=schedule["every_seconds"])
    local = after.astimezone(tz)
    return croniter(schedule["cron"], local).get_next(datetime).astimezone(UTC)


def due_schedules(
    db: sqlite_utils.Database, now: datetime, tz: tzinfo | None = None
) -> list[dict[str, Any]]:
    """Enabled schedules due at ``now``: never run, or their next run after the last has come."""
    now = _aware(now)
    due = []
    for row in db.query("SELECT * FROM schedules WHERE enabled = 1 ORDER BY id"):
        last = parse_time(row["last_started"])
        if last is None or next_run(row, last, tz) <= now:
            due.append(row)
    return due


def busy_sites(db: sqlite_utils.Database) -> set[str]:
    """Sites with a crawl row still 'running' whose process is alive (any trigger)."""
    rows = db.query("SELECT site, pid FROM crawls WHERE status = 'running'")
    return {r["site"] for r in rows if pid_alive(r["pid"])}


# --- the scheduler --------------------------------------------------------------------------


@dataclass
class Running:
    """A crawl process the scheduler started."""

    schedule_id: int
    site: str
    proc: subprocess.Popen
    started: datetime
    after_crawl_id: int  # the highest crawls.id at launch: the child's row comes after it
    log_path: Path
    crawl_id: int | None = None
    terminated: datetime | None = None  # when SIGTERM was sent for the timeout
    killed: bool = False


class Scheduler:
    """Starts due crawls, watches them, enforces the timeout. Drive it with :meth:`tick`."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        grace: float = DEFAULT_GRACE,
        sites_file: str | Path | None = None,
        settings: list[str] | tuple[str, ...] = (),
        log_dir: str | Path | None = None,
        tz: tzinfo | None = None,
        python: str = sys.executable,
        redis_conn=None,
    ):
        self.db_path = Path(db_path).resolve()
        self.db = open_archive(self.db_path)
        self.timeout = timeout
        self.grace = grace
        self.sites_file = str(Path(sites_file).resolve()) if sites_file else None
        self.settings = list(settings)
        self.log_dir = Path(log_dir).resolve() if log_dir else self.db_path.parent / "crawl-logs"
        self.tz = tz
        self.python = python
        self.redis = redis_conn  # set: due crawls go to the shared frontier (tintuc worker)
        self.running: dict[int, Running] = {}  # by pid
        self.failures = 0  # crawls that failed or timed out since this scheduler started
        self._reported_busy: set[int] = set()

    # one pass ---------------------------------------------------------------------------

    def tick(self, now: datetime | None = None, *, start: bool = True) -> list[Running]:
        """Reap ended crawls, enforce the timeout, start due schedules; return the new crawls."""
        now = _aware(now or datetime.now(UTC))
        self._reap()
        self._enforce_timeout(now)
        self._find_crawl_ids()
        return self._start_due(now) if start else []

    def command(self, site: str) -> list[str]:
        cmd = [self.python, "-m", "tintuc", "crawl", site, "--db", str(self.db_path),
               "-s", "TINTUC_TRIGGER=schedule"]  # fmt: skip
        for setting in self.settings:
            cmd += ["-s", setting]
        if self.sites_file:
            cmd += ["--sites", self.sites_file]
        return cmd

    def _start_due(self, now: datetime) -> list[Running]:
        started = []
        due = due_schedules(self.db, now, self.tz)
        if not due:
            return started
        busy = busy_sites(self.db) | {r.site for r in self.running.values()}
        if self.redis is not None:
            from tintuc.distributed import running_crawls

            busy |= {crawl["site"] for crawl in running_crawls(self.redis).values()}
        for schedule in due:
            sid, site = schedule["id"], schedule["site"]
            if site in busy:
                if sid not in self._reported_busy:
                    log.info("schedule %d (%s, %s) is due but a crawl of %s is running: waiting",
                             sid, site, describe(schedule), site)  # fmt: skip
                    self._reported_busy.add(sid)
                continue
            self._reported_busy.discard(sid)
            with self.db.conn:  # claim it, so a second scheduler on this archive does not
                claimed = self.db.execute(
                    "UPDATE schedules SET last_started = ? WHERE id = ? AND last_started IS ?",
                    [iso_utc(now), sid, schedule["last_started"]],
                ).rowcount
            if claimed != 1:
                continue
            if self.redis is not None:
                self._enqueue(schedule)
                busy.add(site)
                continue
            run = self._launch(schedule, now)
            if run is not None:
                started.append(run)
                busy.add(site)
        return started

    def _enqueue(self, schedule: dict[str, Any]) -> None:
        """A due crawl seeded into the shared frontier: the workers crawl it, the ingester
        writes its ``crawls`` row (trigger ``schedule``)."""
        from tintuc.distributed import enqueue

        site = schedule["site"]
        try:
            token = enqueue(self.redis, get_site(site, self.sites_file), site, None, "schedule")
        except SiteError as exc:
            log.error("schedule %d: %s", schedule["id"], exc)
            self.failures += 1
            return
        log.info("schedule %d (%s, %s): crawl %d enqueued on the shared frontier",
                 schedule["id"], site, describe(schedule), token)  # fmt: skip

    def _launch(self, schedule: dict[str, Any], now: datetime) -> Running | None:
        site = schedule["site"]
        after = self.db.execute("SELECT coalesce(max(id), 0) FROM crawls").fetchone()[0]
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{site}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.log"
        try:
            with open(log_path, "ab") as out:
                proc = subprocess.Popen(
                    self.command(site), stdin=subprocess.DEVNULL, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
        except OSError as exc:
            self.failures += 1
            log.error("schedule %d: cannot start a crawl of %s: %s", schedule["id"], site, exc)
            return None
        run = Running(schedule["id"], site, proc, now, after, log_path)
        self.running[proc.pid] = run
        log.info("schedule %d (%s): started a crawl of %s, pid %d, log %s",
                 schedule["id"], describe(schedule), site, proc.pid, log_path)  # fmt: skip
        return run

    def _find_crawl_ids(self) -> None:
        for run in self.running.values():
            if run.crawl_id is None:
                self._lookup_crawl_id(run)

    def _lookup_crawl_id(self, run: Running) -> int | None:
        row = self.db.execute(
            "SELECT id FROM crawls WHERE pid = ? AND id > ? ORDER BY id LIMIT 1",
            [run.proc.pid, run.after_crawl_id],
        ).fetchone()
        if row:
            run.crawl_id = row[0]
            with self.db.conn:  # the schedule may have been removed meanwhile: no error then
                self.db.execute(
                    "UPDATE schedules SET last_crawl_id = ? WHERE id = ?",
                    [run.crawl_id, run.schedule_id],
                )
        return run.crawl_id

    def _signal(self, run: Running, sig: int) -> None:
        try:  # the crawl leads its own process group: extraction workers go with it
            os.killpg(run.proc.pid, sig)
        except ProcessLookupError:
            pass

    def _enforce_timeout(self, now: datetime) -> None:
        for run in self.running.values():
            if run.proc.poll() is not None:
                continue
            age = (now - run.started).total_seconds()
            if run.terminated is None and age >= self.timeout:
                run.terminated = now
                log.warning("crawl %s of %s (pid %d) exceeded the timeout of %s: SIGTERM",
                            run.crawl_id, run.site, run.proc.pid,
                            format_interval(int(self.timeout)))  # fmt: skip
                self._signal(run, signal.SIGTERM)
            elif run.terminated and not run.killed:
                if (now - run.terminated).total_seconds() >= self.grace:
                    run.killed = True
                    log.warning("crawl %s of %s (pid %d) still running %s after SIGTERM: SIGKILL",
                                run.crawl_id, run.site, run.proc.pid,
                                format_interval(int(self.grace)))  # fmt: skip
                    self._signal(run, signal.SIGKILL)

    def _reap(self) -> None:
        for pid, run in list(self.running.items()):
            code = run.proc.poll()
            if code is None:
                continue
            del self.running[pid]
            self._finished(run, code)

    def _finished(self, run: Running, code: int) -> None:
        crawl_id = run.crawl_id or self._lookup_crawl_id(run)
        if crawl_id is None and (run.terminated is not None or code != 0):
            crawl_id = self._record_unstarted(run, code)
        row = self.db["crawls"].get(crawl_id) if crawl_id else None
        if run.terminated is not None:
            self.failures += 1
            if crawl_id:
                self.db["crawls"].update(crawl_id, {"status": "timeout", "finished": now_iso()})
            log.error("crawl %s of %s timed out after %s (exit %s): marked 'timeout'",
                      crawl_id, run.site, format_interval(int(self.timeout)), code)  # fmt: skip
            return
        if row and row["status"] == "running":  # the process is gone: it will never finish it
            mark_interrupted_crawls(self.db, run.site)
            row = self.db["crawls"].get(crawl_id)
        if code != 0:
            self.failures += 1
            log.error("crawl %s of %s failed: exit %s, status %s; last log line: %s (log %s)",
                      crawl_id, run.site, code, row["status"] if row else "none",
                      last_line(run.log_path), run.log_path)  # fmt: skip
        elif row is None:
            self.failures += 1
            log.error("crawl of %s (pid %d) exited without a crawl row; log %s",
                      run.site, run.proc.pid, run.log_path)  # fmt: skip
        else:
            log.info("crawl %d of %s ended: %s, %s pages, %s new, %s changed, %s errors",
                     crawl_id, run.site, row["status"], row["pages"], row["articles_new"],
                     row["articles_changed"], row["errors"])  # fmt: skip

    def _record_unstarted(self, run: Running, code: int) -> int:
        """The crawls row of a crawl that ended before writing its own (killed at the timeout
        while it started, or failed at start-up: an unknown site, a bad setting), so that the
        archive, not only the log, says so."""
        if run.terminated is not None:
            status = "timeout"
            reason = (f"timed out after {format_interval(int(self.timeout))} before the crawl "
                      f"started (log {run.log_path})")
        else:
            status = "failed"
            reason = f"exit {code} before the crawl started: {last_line(run.log_path)}"
        crawl_id = record_unstarted_crawl(
            self.db, run.site, trigger="schedule", started=run.started.astimezone(UTC).isoformat(
                timespec="seconds"), pid=run.proc.pid, status=status, reason=reason)
        run.crawl_id = crawl_id
        with self.db.conn:
            self.db.execute("UPDATE schedules SET last_crawl_id = ? WHERE id = ?",
                            [crawl_id, run.schedule_id])  # fmt: skip
        return crawl_id

    # loops ------------------------------------------------------------------------------

    def run_once(self, stop: threading.Event | None = None, check: float = 0.5) -> int:
        """Start what is due now and wait for those crawls (timeout enforced); return failures."""
        stop = stop or threading.Event()
        started = self.tick()
        if not started:
            log.info("nothing due")
        while self.running and not stop.is_set():
            stop.wait(check)
            self.tick(start=False)
        return self.failures

    def run_forever(self, stop: threading.Event, poll: float = 30) -> None:
        """Tick every ``poll`` seconds (every second while crawls run) until ``stop`` is set."""
        log.info("scheduler started on %s: %d schedule(s), poll %ss, timeout %s",
                 self.db_path, len(list_schedules(self.db)), poll,
                 format_interval(int(self.timeout)))  # fmt: skip
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # a locked or damaged database must not end the scheduler
                log.exception("scheduler pass failed; retrying at the next poll")
            stop.wait(min(poll, 1.0) if self.running else poll)

    def shutdown(self) -> None:
        """Stop every running crawl (SIGTERM, SIGKILL after the grace period), record it."""
        if not self.running:
            return
        for run in self.running.values():
            crawl = run.crawl_id or self._lookup_crawl_id(run) or "(not started yet)"
            log.info("stopping crawl %s of %s (pid %d): SIGTERM", crawl, run.site,
                     run.proc.pid)  # fmt: skip
            self._signal(run, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and any(
            r.proc.poll() is None for r in self.running.values()
        ):
            time.sleep(0.1)
        for run in self.running.values():
            if run.proc.poll() is None:
                log.warning("crawl %s of %s (pid %d) still running after %s: SIGKILL", run.crawl_id,
                            run.site, run.proc.pid, format_interval(int(self.grace)))  # fmt: skip
                self._signal(run, signal.SIGKILL)
            run.proc.wait()
            crawl_id = run.crawl_id or self._lookup_crawl_id(run)
            mark_interrupted_crawls(self.db, run.site)
            status = self.db["crawls"].get(crawl_id)["status"] if crawl_id else "none"
            log.info("crawl %s of %s stopped (exit %s): %s", crawl_id, run.site,
                     run.proc.returncode, status)  # fmt: skip
        self.running.clear()

    def close(self) -> None:
        self.db.close()


def last_line(path: Path, limit: int = 300) -> str:
    """The last non-empty line of a crawl's log, shortened (for a one-line failure message)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 8192))
            lines = [ln.strip() for ln in fh.read().decode("utf-8", "replace").splitlines()]
    except OSError:
        return ""
    lines = [ln for ln in lines if ln]
    return lines[-1][:limit] if lines else ""
