"""A setting that leaves extraction, storage or capture unable to run stops the crawl before it
fetches anything: one ``Error:`` line naming the setting and what is valid, exit != 0.

Components are built through ``scrapy.utils.test.get_crawler`` (unit tier); the CLI runs in
process (the check fails before Scrapy starts) against a local server that counts requests.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, serve_pages
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.capture import CaptureMiddleware
from crawler.checks import SettingError, check_settings, check_start_urls
from crawler.middlewares import RetryAfterMiddleware
from pipelines.extract_pipeline import ExtractionPipeline
from pipelines.store_pipeline import StoragePipeline
from tintuc.cli import main
from tintuc.crawl import crawl_settings

STATE = {"EXTENSIONS": {"crawler.state.CrawlState": 100}}

# (component, setting, bad value, what the message says is valid)
BAD = [
    (ExtractionPipeline, "TINTUC_EXTRACT_WORKERS", "-2", "-1 (extract in the crawl's own process)"),
    (ExtractionPipeline, "TINTUC_EXTRACT_WORKERS", "two", "or a number of processes"),
    (StoragePipeline, "TINTUC_BATCH_SIZE", "0", "1 or more"),
    (StoragePipeline, "TINTUC_BATCH_SIZE", "abc", "1 or more"),
    (StoragePipeline, "TINTUC_BATCH_SIZE", "2.5", "a whole number"),
    (StoragePipeline, "TINTUC_DB", "", "the path of the SQLite archive"),
    (StoragePipeline, "TINTUC_INCREMENTAL", "maybe", "True or False"),
    (StoragePipeline, "TINTUC_REVISIT_DAYS", "-1", "0 or more"),
    (StoragePipeline, "TINTUC_REVISIT_AFTER_HOURS", "nan", "0 or more"),
    (CaptureMiddleware, "TINTUC_WARC_GZIP_LEVEL", "12", "from 1 (fastest) to 9"),
    (CaptureMiddleware, "TINTUC_WARC_GZIP_LEVEL", "0", "from 1 (fastest) to 9"),
    (CaptureMiddleware, "TINTUC_CAPTURE", "flase", "True or False"),
    (RetryAfterMiddleware, "TINTUC_RETRY_AFTER_MAX", "soon", "a number of seconds"),
    (RetryAfterMiddleware, "TINTUC_RETRY_BACKOFF", "-3", "0 or more"),
    (ExtractionPipeline, "TINTUC_EXTRACT_TIMEOUT", "soon", "CPU seconds per page"),
]


def crawler_for(tmp_path: Path, **settings):
    return get_crawler(settings_dict={**STATE, "TINTUC_DB": str(tmp_path / "a.db"), **settings})


# --- components -----------------------------------------------------------------------------
@pytest.mark.parametrize(("component", "name", "value", "valid"), BAD)
def test_from_crawler_raises_a_setting_error_naming_the_setting(
    tmp_path, component, name, value, valid
):
    crawler = crawler_for(tmp_path, **{name: value})
    with pytest.raises(SettingError) as raised:
        component.from_crawler(crawler)
    message = str(raised.value)
    assert message.startswith(name) and valid in message
    assert not isinstance(raised.value, NotConfigured)


def test_a_warc_folder_that_cannot_be_created_is_a_setting_error(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    crawler = crawler_for(tmp_path, TINTUC_WARC_DIR=str(tmp_path / "a-file" / "warc"))
    with pytest.raises(SettingError, match=r"^TINTUC_WARC_DIR=.*a-file/warc: cannot create"):
        CaptureMiddleware.from_crawler(crawler)


def test_good_settings_are_accepted_and_parsed(tmp_path):
    crawler = crawler_for(
        tmp_path,
        TINTUC_EXTRACT_WORKERS="-1", TINTUC_BATCH_SIZE="7", TINTUC_INCREMENTAL="false",
        TINTUC_REVISIT_DAYS="0.5", TINTUC_WARC_GZIP_LEVEL="9", TINTUC_RETRY_BACKOFF="0",
        TINTUC_WARC_DIR=str(tmp_path / "new" / "warc"),
    )  # fmt: skip
    assert ExtractionPipeline.from_crawler(crawler).workers == -1
    storage = StoragePipeline.from_crawler(crawler)
    assert (storage.batch_size, storage.incremental, storage.revisit_days) == (7, False, 0.5)
    capture = CaptureMiddleware.from_crawler(crawler)
    assert capture.gzip_level == 9 and capture.warc_dir == tmp_path / "new" / "warc"
    assert not (tmp_path / "new").exists()  # checked, not created: the first capture does that
    assert RetryAfterMiddleware.from_crawler(crawler).backoff == 0.0


def test_defaults_come_from_the_project_settings(tmp_path):
    crawler = get_crawler(settings_dict={**STATE})  # no TINTUC_* given at all
    storage = StoragePipeline.from_crawler(crawler)
    assert (storage.db_path, storage.batch_size, storage.incremental) == ("archive.db", 50, True)
    assert ExtractionPipeline.from_crawler(crawler).workers >= 1  # 0 = one per core


def test_capture_off_is_a_real_choice_not_an_error(tmp_path):
    crawler = crawler_for(tmp_path, TINTUC_CAPTURE="False", TINTUC_WARC_GZIP_LEVEL="12")
    with pytest.raises(NotConfigured):
        CaptureMiddleware.from_crawler(crawler)
    assert not [p for p in check_settings(crawler.settings) if "WARC" in p]


def test_check_settings_lists_every_bad_setting_and_nothing_for_the_project_defaults():
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert check_settings(settings) == []
    settings.set("TINTUC_BATCH_SIZE", "abc")
    settings.set("TINTUC_EXTRACT_WORKERS", "-2")
    problems = check_settings(settings)
    assert [p.split("=")[0] for p in problems] == ["TINTUC_BATCH_SIZE", "TINTUC_EXTRACT_WORKERS"]


# --- the CLI and scrapy crawl ---------------------------------------------------------------
LINKING_PAGE = b"<html><body><a href='/tin-tuc/a-1.html'>a</a></body></html>"


@pytest.fixture(scope="module")
def site():
    """A site that records every path asked of it: a crawl that starts leaves a trace."""
    with serve_pages(lambda path: LINKING_PAGE) as (base, paths):
        yield base, paths


def crawls_with_pages(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "crawls" not in tables:
            return 0
        return conn.execute("SELECT count(*) FROM crawls WHERE pages > 0").fetchone()[0]
    finally:
        conn.close()


CLI_BAD = [
    ("TINTUC_EXTRACT_WORKERS", "-2"),
    ("TINTUC_BATCH_SIZE", "0"),
    ("TINTUC_BATCH_SIZE", "abc"),
    ("TINTUC_DB", ""),
    ("TINTUC_WARC_GZIP_LEVEL", "12"),
    ("TINTUC_WARC_DIR", "{tmp}/a-file/warc"),
    ("TINTUC_CAPTURE", "yes please"),
    ("TINTUC_INCREMENTAL", "2"),
    ("TINTUC_RETRY_BACKOFF", "x"),
    ("TINTUC_EXTRACT_TIMEOUT", "-1"),
    # Scrapy's own: a negative delay is none, a word crashed the start with a traceback, no
    # request slot left the crawl hung
    ("DOWNLOAD_DELAY", "-1"),
    ("DOWNLOAD_DELAY", "abc"),
    ("DOWNLOAD_TIMEOUT", "0"),
    ("CONCURRENT_REQUESTS_PER_DOMAIN", "0"),
    ("CONCURRENT_REQUESTS", "many"),
    # a word crashed the start with a traceback, or failed it after creating the archive
    ("ROBOTSTXT_OBEY", "maybe"),
    ("CLOSESPIDER_PAGECOUNT", "abc"),
    # a TINTUC_ name misspelt was ignored without a word
    ("TINTUC_EXTRACT_TIMOUT", "5"),
    # read as a limit by Scrapy: every link left (the crawl stored nothing), the crawl closed
    # before its first request, no User-Agent sent
    ("DEPTH_LIMIT", "-1"),
    ("CLOSESPIDER_TIMEOUT", "-1"),
    ("USER_AGENT", ""),
    ("URLLENGTH_LIMIT", "10"),  # shorter than the start URL: every request refused
    ("DOWNLOAD_MAXSIZE", "10"),  # no page fits: every download cancelled, nothing stored
    # a list replaced whole: fetched pages and stored nothing, or Scrapy's offsite middleware
    # back refused every request at a port, without a word
    ("ITEM_PIPELINES", "{{}}"),
    ("EXTENSIONS", '{{"crawler.state.CrawlState": null}}'),
    ("DOWNLOADER_MIDDLEWARES", '{{"crawler.capture.CaptureMiddleware": null}}'),
    # a traceback at start-up
    ("ITEM_PIPELINES", "nope"),
    ("SPIDER_MODULES", "nope.spiders"),
    ("JOBDIR", "{tmp}/a-file/job"),
    ("LOG_LEVEL", "NOPE"),
]


@pytest.mark.parametrize(("name", "value"), CLI_BAD)
def test_tintuc_crawl_stops_before_fetching_with_one_error_line(site, tmp_path, name, value):
    (tmp_path / "a-file").write_text("not a folder")
    db_path = tmp_path / "archive.db"
    base, paths = site
    paths.clear()
    url = base + "/"
    setting = f"{name}={value.format(tmp=tmp_path)}"
    result = CliRunner().invoke(
        main, ["crawl", "--start-url", url, "--db", str(db_path), "-s", setting]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {name}"), lines
    assert "must be" in lines[0] and "Traceback" not in result.output
    assert paths == []  # not even robots.txt
    assert not db_path.exists()  # checked before the archive is created
    assert not (tmp_path / "warc").exists()


def test_a_misspelt_tintuc_setting_names_the_nearest_real_one():
    (problem,) = check_settings({"TINTUC_EXTRACT_TIMOUT": "5"})
    assert "did you mean TINTUC_EXTRACT_TIMEOUT?" in problem


@pytest.mark.e2e  # `scrapy crawl` in a subprocess
def test_scrapy_crawl_stops_with_a_non_zero_exit_too(site, tmp_path):
    db_path = tmp_path / "archive.db"
    base, paths = site
    paths.clear()
    url = base + "/"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_url={url}",
         "-s", f"TINTUC_DB={db_path}", "-s", "TINTUC_EXTRACT_WORKERS=-2"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SettingError: TINTUC_EXTRACT_WORKERS=-2: must be" in result.stderr
    assert paths == []
    assert crawls_with_pages(db_path) == 0


@pytest.mark.e2e  # `scrapy crawl` in a subprocess
def test_scrapy_crawl_of_a_start_url_over_the_length_limit_fetches_nothing(site, tmp_path):
    """`tintuc crawl` refuses it before it starts; `scrapy crawl` (and a worker, with its own
    limit) fetched the site's robots.txt, sitemap and feed guesses and said "finished"."""
    db_path = tmp_path / "archive.db"
    base, paths = site
    paths.clear()
    url = base + "/chuyen-muc/" + "tin-tuc-" * 300 + ".html"  # over Scrapy's 2,083
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_url={url}",
         "-s", f"TINTUC_DB={db_path}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "ERROR: URLLENGTH_LIMIT=2083: shorter than every start URL" in result.stderr
    assert paths == []
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT url, error FROM crawl_errors").fetchall() == [
        (url, f"not fetched: the URL is {len(url)} characters long, over URLLENGTH_LIMIT=2083")]
    assert conn.execute("SELECT status, pages FROM crawls").fetchall() == [("failed", 0)]
    conn.close()


def test_contact_given_with_s_reaches_the_user_agent(tmp_path):
    settings = crawl_settings(str(tmp_path / "a.db"), overrides={"TINTUC_CONTACT": "me@example.vn"})
    assert settings.get("USER_AGENT").endswith("; me@example.vn)")


def test_sites_check_stops_too_when_its_sample_could_fetch_nothing(site, tmp_path):
    """``sites check`` crawls a sample with the same settings: a URL length limit under its
    URL stopped nothing there, and the check reported a site that answered nothing."""
    base, paths = site
    paths.clear()
    result = CliRunner().invoke(main, ["sites", "check", base + "/", "-s", "URLLENGTH_LIMIT=10"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: URLLENGTH_LIMIT=10: shorter than every start URL")
    assert paths == []


def test_a_list_of_components_must_keep_tintuc_s_own_and_leave_the_built_ins_they_replace():
    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.set("ITEM_PIPELINES", {"pipelines.extract_pipeline.ExtractionPipeline": 300})
    settings.set("DOWNLOADER_MIDDLEWARES", {"scrapy.downloadermiddlewares.offsite."
                                            "OffsiteMiddleware": 50})  # fmt: skip
    problems = check_settings(settings)
    assert [p.split(":")[0] for p in problems] == ["ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES"]
    assert "pipelines.store_pipeline.StoragePipeline is left out" in problems[0]
    assert "RobotsTxtMiddleware is back on" in problems[1]
    # one more pipeline, or a subclass in place of tintuc's, is the user's choice
    settings.set("ITEM_PIPELINES", {**settings.getdict("ITEM_PIPELINES"),
                                    "pipelines.store_pipeline.StoragePipeline": 800,
                                    "scrapy.pipelines.images.ImagesPipeline": 1})  # fmt: skip
    settings.set("DOWNLOADER_MIDDLEWARES", {
        path: order for path, order in project.DOWNLOADER_MIDDLEWARES.items()
        if path != "crawler.capture.CaptureMiddleware"})  # fmt: skip
    settings.set("TINTUC_CAPTURE", False)  # turns that one off: it may be left out
    assert check_settings(settings) == []


def test_a_url_length_limit_under_every_start_url_stops_the_crawl_not_under_one():
    settings = Settings({"URLLENGTH_LIMIT": 30})
    short, long = "http://x.vn/", "http://x.vn/" + "a" * 40
    (problem,) = check_start_urls(settings, [long])
    assert problem == (f"URLLENGTH_LIMIT=30: shorter than every start URL ({long} has 52 "
                       "characters); must be 52 or more, or 0 for no limit")
    assert check_start_urls(settings, [long, short]) == []  # the long one is a crawl error
    assert check_start_urls(Settings({"URLLENGTH_LIMIT": 0}), [long]) == []
    huge = "http://x.vn/" + "a" * 3000  # the message stays a line to read
    (problem,) = check_start_urls(Settings(), [huge])
    assert problem == (f"URLLENGTH_LIMIT=2083: shorter than every start URL ({huge[:80]}… has "
                       "3012 characters); must be 3012 or more, or 0 for no limit")
