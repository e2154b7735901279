"""Items passed from the spider to the pipelines.

The spider only fetches and classifies: it yields a :class:`FetchedPage` for each page that
may be an article, a :class:`PageDecision` for a page it knows is not one (by URL), a
:class:`FetchError` for each failure and a :class:`PageGone` for an article that has
disappeared. The extraction pipeline turns a page into an :class:`Article` or a
:class:`PageDecision`; the storage pipeline writes them and the errors to the archive.
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
    # what the crawl knows of the URL, for the page classifier: article_url (it matches the
    # profile's article patterns), teaser_url (linked as a teaser headline on a listing)
    hints: dict = field(default_factory=dict)
    # documents (PDF, DOC …) the page lists as notices of their own, found by the spider
    # ({url, anchor, row}): fetched once the page is judged no article (an article's documents
    # are its attachments)
    documents: list[dict] = field(default_factory=list)


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
    # the page's copies in other languages on its site ({lang, url}, <link hreflang>)
    languages: list[dict] | None = None
    attachments: list[dict] = field(default_factory=list)  # [{url, text}]: PDF, DOC … linked
    page_reason: str | None = None  # why the page counts as an article (captures.page_reason)
    # how sure extraction is (pipelines.extractor); None = not assessed, stored as NULL
    flags: list[str] | None = None
    confidence: float | None = None
    # a later page of a story split over pages: the first page's URL and this page's number
    part_of: str | None = None
    part: int | None = None


@dataclass
class FetchError:
    url: str
    error: str
    status: int | None = None


@dataclass
class PageDecision:
    """A fetched HTML page that is not an article: what it is and why (recorded on its
    ``captures`` row; articles carry their reason in :class:`Article`)."""

    url: str
    capture_id: int | None
    kind: str  # 'listing' or 'other' ('article' for an Article)
    reason: str
    # the page says its article is not there: a "not found" or error page served as 200 (a
    # soft 404); a stored article at its URL is marked removed, as on a 404
    gone: bool = False
    # the page is another address of the page at this URL (the spider's spelling or canonical
    # test): once an article is stored there, this URL is its ``article_aliases`` row
    alias_of: str | None = None
    # no article comes at this URL in this crawl (False: its page is fetched again, as one
    # cut short in transfer): a pending ``article_aliases`` row waiting for one is dropped
    final: bool = True


@dataclass
class PageAlias:
    """A page set aside while its ``<link rel=canonical>`` was fetched, which then showed the
    same article (:meth:`crawler.spiders.news.NewsSpider.on_idle`): another address of the page
    at ``alias_of``, its ``article_aliases`` row once an article is stored there."""

    url: str
    alias_of: str
    capture_id: int | None


@dataclass
class PageGone:
    """A stored article that now answers 404/410 or redirects to a listing or home page."""

    url: str
    reason: str
