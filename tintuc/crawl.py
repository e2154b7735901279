"""Running one crawl in this process, as ``tintuc crawl`` and ``tintuc demo`` do, and the
checks that stop a crawl before it fetches anything."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from pipelines.archive.schema import open_archive
from pipelines.archive.store import crawl_summary
from tintuc.plural import plural


class CrawlSetupError(ValueError):
    """The crawl cannot start (archive not writable, bad setting …): the message is for the user."""


def check_db_path(db_path: str) -> None:
    """Fail early, in one line, when the archive cannot be created or written.

    Tries for real (root passes every permission check but not a read-only file system or
    an immutable file).
    """
    path = Path(db_path).resolve()
    if path.is_dir():
        raise CrawlSetupError(f"database {db_path} is a folder")
    try:
        if path.exists():
            with open(path, "ab"):
                pass
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA schema_version")
            except sqlite3.DatabaseError as exc:
                raise CrawlSetupError(f"{db_path} is not a SQLite database ({exc})") from None
            finally:
                conn.close()
        else:
            with tempfile.TemporaryFile(dir=path.parent):
                pass
    except FileNotFoundError:
        raise CrawlSetupError(f"cannot create database {db_path}: no such folder") from None
    except OSError as exc:
        what = "is read-only" if path.exists() else "cannot be created"
        raise CrawlSetupError(f"database {db_path} {what}: {exc.strerror}") from None


def crawl_settings(
    db_path: str,
    max_pages: int | None = None,
    overrides: dict[str, str] | None = None,
    sites_file: str | None = None,
    start_urls: list[str] | None = None,
):
    """The Scrapy settings of one crawl, checked: :class:`CrawlSetupError` (nothing fetched,
    nothing created) when a setting leaves the crawl unable to extract, store or capture, or
    to fetch any of ``start_urls``, one line naming each bad setting and what is valid."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    from crawler.checks import COMPONENT_LIST, check_settings, check_start_urls

    overrides = overrides or {}
    if "TINTUC_DB" in overrides:
        raise CrawlSetupError("TINTUC_DB must be given with --db, not with -s")
    settings = get_project_settings()
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # the summary says what happened
    settings.set("TINTUC_DB", db_path, priority="cmdline")
    if sites_file:
        settings.set("TINTUC_SITES_FILE", sites_file, priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    for name, value in overrides.items():
        try:
            settings.set(name, value, priority="cmdline")
        except ValueError:  # a component list (ITEM_PIPELINES …) given no JSON object
            raise CrawlSetupError(f"{name}={value}: must be {COMPONENT_LIST}") from None
    contact = settings.get("TINTUC_CONTACT") or os.environ.get("TINTUC_CONTACT")
    if contact and settings.get("USER_AGENT"):  # an empty one is refused below
        settings.set("USER_AGENT", f"{settings.get('USER_AGENT')[:-1]}; {contact})", "cmdline")
    problems = check_settings(settings)
    if start_urls and not problems:
        problems = check_start_urls(settings, start_urls)
    if problems:
        raise CrawlSetupError("; ".join(problems))
    return settings


def check_start_url_length(start_urls: list[str]) -> None:
    """:class:`CrawlSetupError` when the project's ``URLLENGTH_LIMIT`` is shorter than every
    start URL: for ``tintuc enqueue``, which starts a crawl without the workers' settings."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    from crawler.checks import check_start_urls

    problems = check_start_urls(get_project_settings(), start_urls)
    if problems:
        raise CrawlSetupError("; ".join(problems))


def run_crawl(settings, site: str | None, start_url: str | None) -> dict:
    """Run one crawl with ``settings`` (from :func:`crawl_settings`) in this process; return
    Scrapy's final stats."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.news import NewsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, site=site, start_url=start_url)
    process.start()
    return crawler.stats.get_stats()


def crawl_status(db_path: str, crawl_id: int) -> str:
    """The status the crawl ended with ('finished', 'failed', 'shutdown' …)."""
    db = open_archive(db_path, readonly=True)
    try:
        return db["crawls"].get(crawl_id)["status"]
    finally:
        db.close()


def summary_lines(db_path: str, crawl_id: int) -> list[str]:
    """What a finished crawl did, in lines for the terminal: counts, then its first errors."""
    db = open_archive(db_path)
    try:
        row, total, errors = crawl_summary(db, crawl_id)
    finally:
        db.close()
    stored = row["articles_new"] + row["articles_changed"] + row["articles_unchanged"]
    lines = [
        f"crawl {row['id']} of {row['site']}: {row['status']}; "
        f"{plural(row['pages'], 'page')} fetched, {row['articles_new']} new, "
        f"{row['articles_changed']} changed, {row['articles_unchanged']} unchanged "
        f"{'article' if stored == 1 else 'articles'}, {plural(row['errors'], 'error')}, "
        f"{plural(row['pages_skipped'] or 0, 'stored article')} skipped; "
        f"{plural(total, 'article')} of this site in {db_path}"
    ]
    if row.get("pages_article") is not None:  # crawls before m006_page_decisions: no counts
        lines.append(f"  pages judged: {plural(row['pages_article'], 'article')}, "
                     f"{plural(row['pages_listing'], 'listing')}, {row['pages_other']} other")
    lines += [f"  error: {e['url']}: {e['error']}" for e in errors]
    return lines
