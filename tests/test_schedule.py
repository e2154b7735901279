"""Schedules and the scheduler: parsing, due times, the CLI, and real crawls started, kept apart,
timed out and stopped (against the sample portal and a server that never answers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from conftest import ROOT, query, run_tintuc

from crawler.sites import BUNDLED_SITES
from pipelines.archive.schema import open_archive
from pipelines.archive.store import pid_alive
from tintuc.cli.schedule import schedule
from tintuc.scheduler import (
    ScheduleError,
    Scheduler,
    add_schedule,
    busy_sites,
    check_cron,
    due_schedules,
    format_interval,
    list_schedules,
    next_run,
    parse_interval,
    remove_schedule,
)

T0 = datetime(2025, 3, 1, 1, 30, tzinfo=UTC)



def wait_for(predicate, timeout=20.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")


@pytest.fixture(scope="module")
def silent_server():
    """A server that accepts connections and never answers: a crawl of it hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()
    for conn in held:
        conn.close()


@pytest.fixture(scope="module")
def sites_file(sample_portal, silent_server, tmp_path_factory):
    """A registry with 'portal' (the bundled 'sample' profile on the served portal) and 'hang'."""
    base_url, _ = sample_portal
    sample = tomllib.loads(BUNDLED_SITES.read_text(encoding="utf-8"))["sites"]["sample"]

    def toml_value(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return "'" + value + "'"
        if isinstance(value, list):
            return "[" + ", ".join(toml_value(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
        return str(value)

    portal = {**sample, "start_urls": [base_url + "/"], "sitemaps": [base_url + "/sitemap.xml"]}
    lines = ["[sites.portal]"] + [f"{k} = {toml_value(v)}" for k, v in portal.items()]
    lines += ["", "[sites.hang]", "name = 'never answers'", "province = 'Quảng Ninh'",
              "kind = 'portal'", f"start_urls = ['{silent_server}']"]  # fmt: skip
    path = tmp_path_factory.mktemp("sites") / "sites.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def db(tmp_path):
    database = open_archive(tmp_path / "archive.db")
    yield database
    database.close()


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, seconds",
    [("90s", 90), ("30m", 1800), ("6h", 21600), ("1d", 86400), ("1w", 604800),
     ("1h30m", 5400), (" 6H ", 21600), ("2d 12h", 216000)],
)  # fmt: skip
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["6x", "0h", "0m0s", "", "6", "h", "-1h", "1.5h", "6 hours"])
def test_parse_interval_rejects(text):
    with pytest.raises(ScheduleError, match="bad interval"):
        parse_interval(text)


def test_format_interval_round_trips():
    for text in ("90s", "30m", "6h", "1d", "1h30m", "2d12h"):
        assert parse_interval(format_interval(parse_interval(text))) == parse_interval(text)
    assert format_interval(5400) == "1h30m"


@pytest.mark.parametrize("expr", ["0 */6 * * *", "  30 5 * * 1-5 ", "@daily", "0 0 1 */2 *"])
def test_check_cron_accepts(expr):
    assert check_cron(expr) == " ".join(expr.split())


@pytest.mark.parametrize(
    "expr, message",
    [("61 * * * *", "'61' is not a valid minute"), ("0 25 * * *", "not a valid hour"),
     ("* * * *", "five fields"), ("0 0 * * * 0", "five fields"), ("bad", "five fields"),
     ("@sometimes", "five fields"), ("", "empty"), ("0 0 31 2 *", "never matches")],
)  # fmt: skip
def test_check_cron_rejects(expr, message):
    with pytest.raises(ScheduleError, match=message):
        check_cron(expr)


# --- due times ------------------------------------------------------------------------------


def test_next_run_interval_and_cron_in_a_time_zone():
    assert next_run({"every_seconds": 6 * 3600}, T0) == T0 + timedelta(hours=6)
    assert next_run({"cron": "0 */6 * * *"}, T0, UTC) == datetime(2025, 3, 1, 6, tzinfo=UTC)
    vietnam = timezone(timedelta(hours=7))  # 06:00 in Hà Nội is 23:00 UTC the day before
    midnight = datetime(2025, 3, 1, tzinfo=UTC)
    assert next_run({"cron": "0 6 * * *"}, midnight, vietnam) == datetime(
        2025, 3, 1, 23, tzinfo=UTC
    )


def test_due_schedules_with_fixed_times(db):
    every = add_schedule(db, "sample", every="6h")
    cron = add_schedule(db, "sample", cron="0 */6 * * *")
    off = add_schedule(db, "baoquangninh", every=60)
    db["schedules"].update(off, {"enabled": 0})

    def due_at(moment):
        return [r["id"] for r in due_schedules(db, moment, UTC)]

    assert due_at(T0) == [every, cron]  # never run: due at once
    for sid in (every, cron):
        db["schedules"].update(sid, {"last_started": T0.isoformat()})
    assert due_at(T0 + timedelta(hours=1)) == []
    assert due_at(datetime(2025, 3, 1, 6, 0, tzinfo=UTC)) == [cron]  # cron's next match
    assert due_at(T0 + timedelta(hours=6)) == [every, cron]  # 07:30: both
    assert due_at(T0 + timedelta(days=30)) == [every, cron]  # the disabled one never


def test_schedule_api_errors(db):
    with pytest.raises(ScheduleError, match="either --every"):
        add_schedule(db, "sample")
    with pytest.raises(ScheduleError, match="either --every"):
        add_schedule(db, "sample", every="6h", cron="0 * * * *")
    with pytest.raises(ScheduleError, match="unknown site 'nosuch'; known sites: .*sample"):
        add_schedule(db, "nosuch", every="6h")
    with pytest.raises(ScheduleError, match="bad interval"):
        add_schedule(db, "sample", every="6x")
    sid = add_schedule(db, "sample", every="6h")
    with pytest.raises(ScheduleError, match=f"schedule {sid} already crawls sample"):
        add_schedule(db, "sample", every="360m")
    assert remove_schedule(db, sid)["site"] == "sample"
    with pytest.raises(ScheduleError, match=f"no schedule {sid}"):
        remove_schedule(db, sid)
    assert list_schedules(db) == []


# --- command line ---------------------------------------------------------------------------


def test_cli_add_list_remove(tmp_path):
    runner = CliRunner()
    db_path = str(tmp_path / "archive.db")
    result = runner.invoke(schedule, ["add", "sample", "--every", "6h", "--db", db_path])
    assert result.exit_code == 0, result.output
    assert "schedule 1: crawl sample every 6h" in result.output
    result = runner.invoke(
        schedule, ["add", "baoquangninh", "--cron", "30 5 * * *", "--db", db_path]
    )
    assert result.exit_code == 0, result.output
    listing = runner.invoke(schedule, ["list", "--db", db_path]).output.splitlines()
    assert listing[0].split()[:3] == ["ID", "SITE", "WHEN"]
    assert listing[1].split()[:4] == ["1", "sample", "every", "6h"]
    assert listing[2].split()[:3] == ["2", "baoquangninh", "cron"]
    assert "never" in listing[1] and "at the next pass" in listing[1]
    result = runner.invoke(schedule, ["remove", "1", "--db", db_path])
    assert result.exit_code == 0 and "schedule 1 removed" in result.output
    rows = query(db_path, "SELECT site, every_seconds, cron, enabled FROM schedules")
    assert rows == [{"site": "baoquangninh", "every_seconds": None, "cron": "30 5 * * *",
                     "enabled": 1}]  # fmt: skip


@pytest.mark.parametrize(
    "args, message",
    [(["add", "nosuch", "--every", "6h"], "Error: unknown site 'nosuch'; known sites: "),
     (["add", "sample", "--every", "6x"], "Error: bad interval '6x': use a number and a unit"),
     (["add", "sample", "--every", "0h"], "Error: bad interval '0h': must be longer than zero"),
     (["add", "sample", "--cron", "0 */6 * *"], "Error: bad cron expression '0 */6 * *'"),
     (["add", "sample"], "Error: give either --every INTERVAL or --cron EXPRESSION"),
     (["remove", "7"], "Error: no schedule 7")],
)  # fmt: skip
def test_cli_bad_input_is_one_line(tmp_path, args, message):
    db_path = tmp_path / "archive.db"
    if args[0] == "remove":
        open_archive(db_path).close()
    result = CliRunner().invoke(schedule, [*args, "--db", str(db_path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a click error, not a traceback
    assert result.output.splitlines() == [result.output.strip()]
    assert result.output.startswith(message), result.output
    assert db_path.exists() == (args[0] == "remove")  # bad input creates no archive


def test_scheduler_refuses_a_setting_no_crawl_can_run_with(tmp_path):
    """`tintuc scheduler -s DOWNLOAD_DELAY=abc` started every due crawl, each failing on it,
    pass after pass (a failed crawl row each time under systemd)."""
    from tintuc.cli.schedule import scheduler

    db_path = tmp_path / "archive.db"
    open_archive(db_path).close()
    sample = ["add", "sample", "--every", "1m", "--db", str(db_path)]
    assert CliRunner().invoke(schedule, sample).exit_code == 0
    args = ["--once", "--db", str(db_path), "-s", "TINTUC_REVISIT_DAY=1", "-s", "DOWNLOAD_DELAY=x"]
    result = CliRunner().invoke(scheduler, args)
    assert result.exit_code == 1
    assert result.output == (
        "Error: TINTUC_REVISIT_DAY: no such setting (did you mean TINTUC_REVISIT_DAYS?); "
        "must be a TINTUC_ name of crawler/settings.py"
        "; DOWNLOAD_DELAY=x: must be a number of seconds, 0 or more\n"
    )
    assert query(db_path, "SELECT count(*) AS n FROM crawls") == [{"n": 0}]


@pytest.mark.e2e
def test_installed_commands_fail_cleanly(tmp_path):
    """Through the real entry point: registered, one line on stderr, exit 1, no traceback."""
    db_path = str(tmp_path / "archive.db")
    bad = run_tintuc("schedule", "add", "sample", "--cron", "61 * * * *", "--db", db_path,
                     check=False)  # fmt: skip
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == (
        "Error: bad cron expression '61 * * * *': '61' is not a valid minute (0-59)"
    )
    missing = run_tintuc("scheduler", "--once", "--db", db_path, check=False)
    assert missing.returncode == 1 and missing.stderr.strip().startswith("Error: no archive at")
    open_archive(db_path).close()
    timeout = run_tintuc("scheduler", "--once", "--timeout", "2x", "--db", db_path, check=False)
    assert timeout.returncode == 1 and timeout.stderr.strip().startswith("Error: bad interval")


# --- the scheduler, for real ----------------------------------------------------------------


@pytest.mark.e2e
def test_scheduler_once_crawls_the_portal(tmp_path, sites_file):
    db_path = str(tmp_path / "archive.db")
    run_tintuc("schedule", "add", "portal", "--every", "1h", "--sites", sites_file, "--db", db_path)
    result = run_tintuc("scheduler", "--once", "--db", db_path, "--sites", sites_file, timeout=60)
    crawls = query(db_path, "SELECT * FROM crawls")
    assert len(crawls) == 1, result.stderr
    crawl = crawls[0]
    assert (crawl["site"], crawl["trigger"], crawl["status"]) == ("portal", "schedule", "finished")
    stored = query(db_path, "SELECT count(*) AS n FROM articles WHERE site = 'portal'")[0]["n"]
    assert stored > 0 and crawl["articles_new"] == stored
    sched = query(db_path, "SELECT * FROM schedules")[0]
    assert sched["last_crawl_id"] == crawl["id"] and sched["last_started"]
    log = result.stderr
    assert "schedule 1 (every 1h): started a crawl of portal" in log
    assert f"crawl {crawl['id']} of portal ended: finished" in log
    assert all(line[:4].isdigit() for line in log.splitlines())  # timestamped lines only
    assert list((tmp_path / "crawl-logs").glob("portal-*.log"))
    again = run_tintuc("scheduler", "--once", "--db", db_path, "--sites", sites_file)
    assert "nothing due" in again.stderr  # started less than 1h ago
    assert len(query(db_path, "SELECT * FROM crawls")) == 1
    listing = run_tintuc("schedule", "list", "--db", db_path).stdout
    assert f"{crawl['id']} (finished)" in listing


@pytest.mark.e2e
def test_one_crawl_per_site_and_timeout_kills_a_hung_crawl(tmp_path, sites_file):
    """Driven by tick() with made-up times: no sleeping for the schedule or the timeout."""
    db_path = tmp_path / "archive.db"
    runner = Scheduler(db_path, timeout=60, grace=5, sites_file=sites_file,
                       settings=["DOWNLOAD_TIMEOUT=600"], log_dir=tmp_path / "logs")  # fmt: skip
    try:
        sid = add_schedule(runner.db, "hang", every=1, sites_file=sites_file)
        t0 = datetime.now(UTC)
        [run] = runner.tick(t0)
        crawl_id = wait_for(lambda: runner.tick(t0, start=False) == [] and run.crawl_id)
        assert pid_alive(run.proc.pid) and busy_sites(runner.db) == {"hang"}
        # due again (every 1s), but hang is being crawled: nothing new starts
        assert [r["id"] for r in due_schedules(runner.db, t0 + timedelta(seconds=10))] == [sid]
        assert runner.tick(t0 + timedelta(seconds=10)) == []
        rows = query(db_path, "SELECT id, status, trigger FROM crawls")
        assert rows == [{"id": crawl_id, "status": "running", "trigger": "schedule"}]

        runner.tick(t0 + timedelta(seconds=61), start=False)  # past the timeout: SIGTERM
        assert run.terminated is not None
        runner.tick(t0 + timedelta(seconds=67), start=False)  # past the grace: SIGKILL
        assert run.killed or run.proc.poll() is not None
        run.proc.wait(timeout=10)
        runner.tick(t0 + timedelta(seconds=68), start=False)
        assert runner.running == {} and runner.failures == 1
        crawl = query(db_path, "SELECT status, finished FROM crawls WHERE id = ?", [crawl_id])[0]
        assert crawl["status"] == "timeout" and crawl["finished"]
        assert not pid_alive(run.proc.pid)
        assert query(db_path, "SELECT last_crawl_id FROM schedules")[0]["last_crawl_id"] == crawl_id
    finally:
        runner.shutdown()
        runner.close()


@pytest.mark.e2e
def test_a_manual_crawl_counts_and_a_failed_crawl_is_survived(tmp_path, sites_file):
    db_path = tmp_path / "archive.db"
    runner = Scheduler(db_path, timeout=60, grace=5, log_dir=tmp_path / "logs")  # no --sites
    try:
        add_schedule(runner.db, "hang", every="1h", sites_file=sites_file)
        manual = (
            runner.db["crawls"]
            .insert(
                {"site": "hang", "started": T0.isoformat(), "status": "running", "pid": os.getpid()}
            )
            .last_pk
        )
        assert runner.tick() == []  # a live 'running' crawl of the site, started by hand
        runner.db["crawls"].update(manual, {"status": "finished"})
        # this scheduler has no --sites, so it does not know 'hang': the crawl exits with 1
        [run] = runner.tick()
        run.proc.wait(timeout=30)
        assert runner.tick() == [] and runner.running == {} and runner.failures == 1
        assert "unknown site 'hang'" in run.log_path.read_text(encoding="utf-8")
    finally:
        runner.shutdown()
        runner.close()


@pytest.mark.e2e
def test_scheduler_once_times_out_a_hung_crawl(tmp_path, sites_file):
    db_path = str(tmp_path / "archive.db")
    run_tintuc("schedule", "add", "hang", "--every", "1h", "--sites", sites_file, "--db", db_path)
    started = time.monotonic()
    result = run_tintuc("scheduler", "--once", "--db", db_path, "--sites", sites_file,
                        "--timeout", "4s", "--grace", "1s", "-s", "DOWNLOAD_TIMEOUT=600",
                        check=False, timeout=40)  # fmt: skip
    assert time.monotonic() - started < 20
    assert result.returncode == 1, result.stderr
    crawl = query(db_path, "SELECT * FROM crawls")
    assert [(c["site"], c["trigger"], c["status"]) for c in crawl] == [
        ("hang", "schedule", "timeout")
    ], result.stderr
    assert "exceeded the timeout of 4s: SIGTERM" in result.stderr
    assert f"crawl {crawl[0]['id']} of hang timed out after 4s" in result.stderr
    assert not pid_alive(crawl[0]["pid"])


@pytest.mark.e2e
def test_sigterm_stops_the_scheduler_and_its_crawls(tmp_path, sites_file):
    db_path = str(tmp_path / "archive.db")
    run_tintuc("schedule", "add", "hang", "--every", "1h", "--sites", sites_file, "--db", db_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tintuc", "scheduler", "--db", db_path, "--sites", sites_file,
         "--poll", "1", "--grace", "2s", "-s", "DOWNLOAD_TIMEOUT=600"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        crawl = wait_for(lambda: query(db_path, "SELECT * FROM crawls WHERE status = 'running'"))
        assert pid_alive(crawl[0]["pid"])
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert "received SIGTERM: stopping" in stderr and "scheduler stopped" in stderr
    assert not pid_alive(crawl[0]["pid"])
    status = query(db_path, "SELECT status FROM crawls")[0]["status"]
    assert status in ("interrupted", "shutdown")


def test_a_schedule_removed_while_its_crawl_runs(tmp_path, caplog):
    """The crawl's row is looked up after the schedule is gone: logged, no error."""
    fake = tmp_path / "fake-python"  # stands in for `python -m tintuc crawl SITE --db PATH`
    fake.write_text(
        "#!/bin/sh\nexec "
        + sys.executable
        + ' -c "import os, sqlite3, sys, time; time.sleep(0.3)\n'
        "db = sqlite3.connect(sys.argv[1])\n"
        "db.execute('INSERT INTO crawls (site, status, trigger, pid, pages) "
        "VALUES (?, ?, ?, ?, 3)', ['sample', 'finished', 'schedule', os.getpid()])\n"
        'db.commit()" "$6"\n'
    )
    fake.chmod(0o755)
    runner = Scheduler(tmp_path / "archive.db", python=str(fake), log_dir=tmp_path / "logs")
    try:
        sid = add_schedule(runner.db, "sample", every="1h")
        caplog.set_level("INFO", logger="tintuc.scheduler")
        [run] = runner.tick()
        remove_schedule(runner.db, sid)
        run.proc.wait(timeout=10)
        assert runner.tick() == [] and runner.running == {} and runner.failures == 0
        assert run.crawl_id == 1
        assert "crawl 1 of sample ended: finished, 3 pages" in caplog.text
    finally:
        runner.shutdown()
        runner.close()


def test_a_crawl_that_ends_before_writing_its_row_is_recorded_all_the_same(tmp_path):
    """Killed at its timeout while still starting (a loaded machine), or failed at start-up:
    the archive gets the crawl's row and why, not only the scheduler's log."""
    hangs = tmp_path / "hangs"  # stands in for a crawl still importing when its time is up
    hangs.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'import time; time.sleep(60)'\n")
    fails = tmp_path / "fails"
    fails.write_text("#!/bin/sh\necho 'bad setting: CONCURRENT_REQUESTS=0' >&2\nexit 2\n")
    for fake in (hangs, fails):
        fake.chmod(0o755)
    for fake, status, reason in ((hangs, "timeout", "timed out after 1s before the crawl"),
                                 (fails, "failed", "exit 2 before the crawl started: bad "
                                                   "setting")):  # fmt: skip
        db_path = tmp_path / f"{fake.name}.db"
        runner = Scheduler(db_path, python=str(fake), timeout=1, grace=1,
                           log_dir=tmp_path / "logs")  # fmt: skip
        try:
            sid = add_schedule(runner.db, "sample", every="1h")
            [run] = runner.tick()
            deadline = time.monotonic() + 30
            while runner.running and time.monotonic() < deadline:
                time.sleep(0.2)
                runner.tick()
            assert runner.running == {} and runner.failures == 1
        finally:
            runner.shutdown()
            runner.close()
        [crawl] = query(str(db_path), "SELECT * FROM crawls")
        assert (crawl["site"], crawl["trigger"], crawl["status"]) == ("sample", "schedule", status)
        assert crawl["finished"] and crawl["pid"] == run.proc.pid
        [error] = query(str(db_path), "SELECT * FROM crawl_errors")
        assert error["crawl_id"] == crawl["id"] and reason in error["error"], error
        [schedule] = query(str(db_path), "SELECT * FROM schedules")
        assert schedule["id"] == sid and schedule["last_crawl_id"] == crawl["id"]


@pytest.mark.e2e
def test_a_crawl_of_a_site_that_is_down_exits_1_and_so_does_scheduler_once(tmp_path):
    """Nothing answers at the site's address: the crawl is recorded 'failed' and the command
    exits 1, so that cron (a crawl, or scheduler --once) tells that a site is down."""
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sites = tmp_path / "sites.toml"
    sites.write_text("[sites.down]\nname = 'down'\nprovince = 'Quảng Ninh'\nkind = 'portal'\n"
                     f"start_urls = ['{down}']\n", encoding="utf-8")  # fmt: skip
    db_path = str(tmp_path / "archive.db")
    crawl = run_tintuc("crawl", "down", "--sites", str(sites), "--db", db_path, check=False)
    assert crawl.returncode == 1 and "crawl 1 of down: failed" in crawl.stdout, crawl.stderr
    run_tintuc("schedule", "add", "down", "--every", "1h", "--sites", str(sites), "--db", db_path)
    once = run_tintuc("scheduler", "--once", "--db", db_path, "--sites", str(sites), check=False)
    assert once.returncode == 1, once.stderr
    assert [c["status"] for c in query(db_path, "SELECT status FROM crawls")] == ["failed"] * 2
