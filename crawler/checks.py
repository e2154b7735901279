"""The ``TINTUC_*`` settings, parsed and checked in one place.

A value the crawl cannot run with (``TINTUC_BATCH_SIZE=abc``, ``TINTUC_EXTRACT_WORKERS=-2``,
a WARC folder that cannot be created …) stops the crawl before it fetches anything, with a
message naming the setting and what is valid. ``tintuc crawl`` calls :func:`check_settings`
before Scrapy starts; each component reads its settings with :func:`setting`, so ``scrapy
crawl`` stops too (a :class:`SettingError` from ``from_crawler`` fails the crawl's start).
``NotConfigured`` is left to components a valid setting turns off (``TINTUC_CAPTURE=False``).
"""

from __future__ import annotations

import difflib
import errno
import importlib
import logging
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy.settings import default_settings as scrapy_defaults

from crawler import settings as defaults


class SettingError(ValueError):
    """A setting the crawl cannot run with; the message names it and says what is valid."""


def _number(kind: type, accept: Callable[[Any], bool]) -> Callable[[Any], Any]:
    def parse(raw: Any) -> Any:
        if isinstance(raw, bool):
            raise ValueError(raw)  # True is an int to Python, not a count to a user
        value = kind(raw)
        if isinstance(value, float) and math.isnan(value) or not accept(value):
            raise ValueError(raw)
        return value

    return parse


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(raw)  # Scrapy's getbool() accepts these only, and so does this


def _text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return raw


def _modules(raw: Any) -> list[str]:
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    try:
        for module in names:
            importlib.import_module(module.strip())  # else a traceback at start-up
    except ImportError:
        raise ValueError(raw) from None
    return names


LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def _log_level(raw: Any) -> str:
    if str(raw).upper() not in logging.getLevelNamesMapping():  # else a traceback at start-up
        raise ValueError(raw)
    return str(raw).upper()


def _count(low: int, what: str = "", unset: str = "") -> tuple[Callable[[Any], Any], str]:
    """The rule of a whole number ``low`` or more: ``what`` it counts, what 0 means (``unset``)."""
    of = f" of {what}" if what else ""
    zero = f" (0 = {unset})" if unset else ""
    return _number(int, lambda n: n >= low), f"a whole number{of}, {low} or more{zero}"


def _seconds(unset: str = "", unit: str = "seconds", above_zero: bool = False
             ) -> tuple[Callable[[Any], Any], str]:  # fmt: skip
    """The rule of a number of ``unit``: 0 or more (0 meaning ``unset``), or above 0."""
    if above_zero:
        return _number(float, lambda n: n > 0), f"a number of {unit}, above 0"
    zero = f" (0 = {unset})" if unset else ""
    return _number(float, lambda n: n >= 0), f"a number of {unit}, 0 or more{zero}"


MIN_PAGE_BYTES = 1024  # the least DOWNLOAD_MAXSIZE a web page can fit in

# name: (parser raising ValueError/TypeError on a bad value, what is valid)
RULES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "TINTUC_DB": (_text, "the path of the SQLite archive, e.g. archive.db"),
    "TINTUC_BATCH_SIZE": _count(1, "articles per write transaction"),
    "TINTUC_EXTRACT_WORKERS": (
        _number(int, lambda n: n >= -1),
        "-1 (extract in the crawl's own process), 0 (one process per CPU core) "
        "or a number of processes",
    ),
    "TINTUC_EXTRACT_TIMEOUT": _seconds(unset="no limit", unit="CPU seconds per page"),
    "TINTUC_CAPTURE": (_bool, "True or False"),
    "TINTUC_WARC_GZIP_LEVEL": (
        _number(int, lambda n: 1 <= n <= 9),
        "a whole number from 1 (fastest) to 9 (smallest files)",
    ),
    "TINTUC_INCREMENTAL": (_bool, "True or False"),
    "TINTUC_REVISIT_DAYS": _seconds(unit="days"),
    "TINTUC_REVISIT_AFTER_HOURS": _seconds(unit="hours"),
    "TINTUC_LOCAL_FAST": (_bool, "True or False"),
    "TINTUC_PROGRESS": (_bool, "True or False"),
    "TINTUC_FRONTIER_LEASE": _seconds(above_zero=True),
    "TINTUC_RETRY_AFTER_MAX": _seconds(),
    "TINTUC_CRAWL_IDLE": _seconds(above_zero=True),
    "TINTUC_TRAP_STREAK": _count(1, "pages"),
    "TINTUC_RETRY_BACKOFF": _seconds(unset="no backoff"),
    # Scrapy's own, where a bad value leaves the crawl hung (no request ever allowed), crashed
    # at start-up with a traceback, or hammering a site (a negative delay)
    "DOWNLOAD_DELAY": _seconds(),
    "DOWNLOAD_TIMEOUT": _seconds(above_zero=True),
    # a limit a web page cannot fit in (its head and a paragraph take more than 1 KiB; a real
    # portal's pages 20 KB and more): every page cancelled, the crawl stored nothing
    "DOWNLOAD_MAXSIZE": (_number(int, lambda n: n == 0 or n >= MIN_PAGE_BYTES),
                         f"a whole number of bytes, {MIN_PAGE_BYTES} or more (0 = no limit)"),
    "CONCURRENT_REQUESTS": _count(1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": _count(1),
    "RETRY_TIMES": _count(0),
    "ROBOTSTXT_OBEY": (_bool, "True or False"),  # a word crashed the start with a traceback
    # a word failed the start after creating the archive
    "CLOSESPIDER_PAGECOUNT": _count(0, "pages", "no limit"),
    # Scrapy reads any value but 0 as a limit: DEPTH_LIMIT=-1 left every link (depth 1 > -1),
    # the crawl fetched the start page and stored nothing; CLOSESPIDER_TIMEOUT=-1 closed it
    # before its first request; a negative warn size warned of every page
    "DEPTH_LIMIT": _count(0, "links from a start URL", "no limit"),
    "URLLENGTH_LIMIT": _count(0, "characters", "no limit"),
    "CLOSESPIDER_TIMEOUT": _seconds(unset="no limit"),
    "CLOSESPIDER_ITEMCOUNT": _count(0, "pages", "no limit"),
    "CLOSESPIDER_ERRORCOUNT": _count(0, "errors", "no limit"),
    "DOWNLOAD_WARNSIZE": _count(0, "bytes", "no warning"),
    "REDIRECT_MAX_TIMES": _count(0, unset="follow no redirect"),
    "CONCURRENT_ITEMS": _count(1),
    # an empty one sent no User-Agent at all: the site cannot tell who crawls, and robots.txt
    # rules for tintuc no longer apply
    "USER_AGENT": (_text, "the crawler's name and how to reach you, not empty"),
    "LOG_LEVEL": (_log_level, "one of " + ", ".join(LOG_LEVELS)),
    "SPIDER_MODULES": (_modules, "Python modules that can be imported, e.g. crawler.spiders"),
}
# TINTUC_ settings the distributed worker sets for itself (tintuc/distributed.py), beside those
# of crawler/settings.py: any other TINTUC_ name is a typo that would be ignored silently
WORKER_SETTINGS = ("TINTUC_WORKER_NAME", "TINTUC_UNTIL_IDLE", "TINTUC_CRAWL_TOKEN")


# The component lists a -s value replaces whole (Scrapy merges back only its own built-ins):
# each tintuc component of crawler/settings.py must stay on, and each built-in it replaces off.
# Without the storage pipeline or the crawl state the crawl fetched pages and stored nothing;
# with Scrapy's offsite middleware back every request to a site at a port was left unrecorded.
COMPONENT_LISTS = ("ITEM_PIPELINES", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES")
COMPONENT_LIST = 'a JSON object of class paths and orders, e.g. {"x.y.Class": 500}'
# components a setting of their own turns off: TINTUC_CAPTURE=False, TINTUC_PROGRESS=False
OPTIONAL_COMPONENTS = ("crawler.capture.CaptureMiddleware", "crawler.progress.Progress")


def _component_problem(settings, name: str) -> str | None:
    """What is wrong with the component list ``name``: no JSON object, a class path that does
    not load, or a tintuc component (or a subclass) left out or a built-in it replaces back."""
    from scrapy.utils.misc import load_object

    try:
        enabled = [load_object(path) for path, order in settings.getwithbase(name).items()
                   if order is not None]  # fmt: skip
    except (TypeError, ValueError, AttributeError):
        return f"{name}={settings.get(name)}: must be {COMPONENT_LIST}"
    except (ImportError, NameError) as exc:
        return f"{name}: {exc}; must name classes that can be imported"
    for path, order in getattr(defaults, name).items():
        if path in OPTIONAL_COMPONENTS:
            continue
        component = load_object(path)
        if order is None and component in enabled:
            problem = "is back on in place of tintuc's own; must be off"
        elif order is not None and not any(isinstance(c, type) and issubclass(c, component)
                                           for c in enabled):  # fmt: skip
            problem = "is left out; must be in it"
        else:
            continue
        return (f"{name}: {path} {problem} (a -s value replaces the whole list: give "
                f"crawler/settings.py's {name} with your change)")
    return None


def setting(settings, name: str) -> Any:
    """The value of the checked setting ``name``, parsed (the default of crawler/settings.py
    when unset); :class:`SettingError` naming it and what is valid when it is bad."""
    parse, valid = RULES[name]
    raw = settings.get(name, getattr(defaults, name, getattr(scrapy_defaults, name, None)))
    try:
        return parse(raw)
    except (TypeError, ValueError):
        shown = f"{name}={raw}" if raw != "" else f"{name} is empty"
        raise SettingError(f"{shown}: must be {valid}") from None


def warc_dir_for(db_path: str, configured: str | None = None) -> Path:
    """The WARC folder of an archive: the setting, or ``warc/`` beside the database."""
    return Path(configured) if configured else Path(db_path).resolve().parent / "warc"


def _try_folder(path: Path) -> None:
    """OSError unless ``path``, or the nearest folder above it that exists, takes a file."""
    existing = path.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{existing} is not a folder")
    with tempfile.TemporaryFile(dir=existing):
        pass


def warc_dir(settings) -> Path:
    """The folder WARC captures go to; :class:`SettingError` if it cannot be created or written.

    Nothing is created (the first capture does that): the folder, or the nearest folder above
    it that exists, is tried for real with a temporary file (as root every permission check
    passes, while a path under a regular file or on a read-only file system still fails).
    """
    configured = settings.get("TINTUC_WARC_DIR") or ""
    path = warc_dir_for(setting(settings, "TINTUC_DB"), configured)
    try:
        _try_folder(path)
    except OSError as exc:
        shown = f"={configured}" if configured else f" (default {path})"
        raise SettingError(
            f"TINTUC_WARC_DIR{shown}: cannot create or write the folder ({exc.strerror or exc}); "
            "must be a folder this user can write, or empty for warc/ beside the database"
        ) from None
    return path


def check_settings(settings) -> list[str]:
    """One message per setting the crawl cannot run with; empty when every one is good."""
    problems = {}
    known = {*RULES, *WORKER_SETTINGS, *(n for n in vars(defaults) if n.startswith("TINTUC_"))}
    for name in sorted(n for n in settings if n.startswith("TINTUC_") and n not in known):
        nearest = difflib.get_close_matches(name, known, n=1)  # a typo's intended name
        hint = f" (did you mean {nearest[0]}?)" if nearest else ""
        problems[name] = (f"{name}: no such setting{hint}; must be a TINTUC_ name of "
                          "crawler/settings.py")
    for name in RULES:
        try:
            setting(settings, name)
        except SettingError as exc:
            problems[name] = str(exc)
    if hasattr(settings, "getwithbase"):  # Scrapy settings, not a plain dict of -s values
        for name in COMPONENT_LISTS:
            problem = _component_problem(settings, name)
            if problem:
                problems[name] = problem
    if settings.get("JOBDIR"):  # Scrapy keeps a paused crawl's queue there
        try:
            _try_folder(Path(settings.get("JOBDIR")))
        except OSError as exc:
            problems["JOBDIR"] = (f"JOBDIR={settings.get('JOBDIR')}: cannot create or write "
                                  f"the folder ({exc.strerror or exc}); must be a folder this "
                                  "user can write, or unset")
    if "TINTUC_CAPTURE" in problems or setting(settings, "TINTUC_CAPTURE"):
        if "TINTUC_DB" not in problems:
            try:
                warc_dir(settings)
            except SettingError as exc:
                problems["TINTUC_WARC_DIR"] = str(exc)
    else:
        problems.pop("TINTUC_WARC_GZIP_LEVEL", None)  # capture is off: no WARC files to write
    return list(problems.values())


def check_start_urls(settings, urls: list[str]) -> list[str]:
    """A message when ``URLLENGTH_LIMIT`` is shorter than every start URL: the crawl would
    fetch nothing (a start URL over it alone is recorded as that page's crawl error)."""
    limit = setting(settings, "URLLENGTH_LIMIT")
    shortest = min(urls, key=len, default="")
    if not limit or not shortest or len(shortest) <= limit:
        return []
    shown = shortest if len(shortest) <= 100 else shortest[:80] + "…"  # one line to read
    return [f"URLLENGTH_LIMIT={limit}: shorter than every start URL ({shown} has "
            f"{len(shortest)} characters); must be {len(shortest)} or more, or 0 for no limit"]
