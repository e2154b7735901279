"""What an extraction result itself says about how sure it is: flags read from the result alone.

Used by :func:`pipelines.extractor.article.extract_article` only when the extraction did not
assess itself (no ``"flags"`` key). Only facts the result shows are flagged; the signals that
say whether body text was lost (agreement with plain trafilatura, a recognised container) live
inside the extraction, not in its result.

No confidence figure is made up here: on the 181-page article-extraction-benchmark, none of
what a result holds (text length, paragraph count, a date without a time, no related block)
picks out the 5 pages of 169 extracted whose body F1 is below 0.8, so a figure built from them
would only look informative. ``confidence`` stays None (stored as "not assessed").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import urlsplit

_DIGIT_RUN = re.compile(r"\d+")


def assess(result: dict) -> tuple[list[str], float | None]:
    """``(flags, confidence)`` of an ``extract_article`` result, from the result alone.

    Flags: ``no_date`` (no publication date at all), ``date_from_url_only`` (a day without a
    time that the URL also spells out: most likely read from the URL), ``related_none`` (no
    related-news block found).
    """
    flags = []
    published = result.get("published")
    if not published:
        flags.append("no_date")
    elif len(published) == 10 and _date_in_url(published, result.get("url") or ""):
        flags.append("date_from_url_only")
    if not result.get("related") and not result.get("related_ids"):
        flags.append("related_none")
    return sorted(flags), None


def assessed(extract: Callable[..., dict | None]) -> Callable[..., dict | None]:
    """Decorate an extraction function: a result without ``"flags"`` gets ``flags`` and
    ``confidence`` from :func:`assess`; one that assessed itself is left as it is."""

    @functools.wraps(extract)
    def extract_and_assess(*args, **kwargs) -> dict | None:
        result = extract(*args, **kwargs)
        if result is not None and "flags" not in result:
            result["flags"], result["confidence"] = assess(result)
        return result

    return extract_and_assess


def _date_in_url(day: str, url: str) -> bool:
    """True if the URL's path holds ``day`` (YYYY-MM-DD) as YYYYMMDD or as three numbers in a
    row, year first (``/2025/03/02/``, ``/2025/3/2/``) or last (``02-03-2025``)."""
    year, month, date = int(day[:4]), int(day[5:7]), int(day[8:10])
    runs = _DIGIT_RUN.findall(urlsplit(url).path)
    if any(day.replace("-", "") in run for run in runs):
        return True
    numbers = [int(run) if len(run) <= 4 else None for run in runs]
    triples = zip(numbers, numbers[1:], numbers[2:], strict=False)
    return any(t in ((year, month, date), (date, month, year)) for t in triples)
