"""Items passed from the spider to the pipelines.

The spider only fetches and classifies: it yields a :class:`FetchedPage` for each article
page, a :class:`FetchError` for each failure and a :class:`PageGone` for an article that has
disappeared. The extraction pipeline turns a page into an
:class:`Article`; the storage pipeline writes articles and errors to the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Request.meta key: the captures row id of a response, set by the capture middleware
CAPTURE_META = "tintuc_capture_id"


@dataclass
class FetchedPage:
    url: str  # canonical URL of the article (after redirects)
    requested_url: str
    status: int
    body: bytes  # the page as received (content-decoded); the extraction worker decodes it
    charset: str | None  # the charset named by the HTTP Content-Type header (it may lie)
    site: str
    fetched: str  # ISO 8601
    capture_id: int | None = None  # the captures row (and WARC record) of this response


@dataclass
class Article:
    url: str
    site: str
    fetched: str
    capture_id: int | None = None
    province: str | None = None
    title: str | None = None
    description: str | None = None
    text: str | None = None
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    language: str | None = None
    image: str | None = None
    related: list[dict] = field(default_factory=list)
    related_ids: list[dict] = field(default_factory=list)


@dataclass
class FetchError:
    url: str
    error: str
    status: int | None = None


@dataclass
class PageGone:
    """A stored article that now answers 404/410 or redirects to a listing or home page."""

    url: str
    reason: str
