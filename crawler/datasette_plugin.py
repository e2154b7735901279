"""Datasette plugin: Vietnamese-aware search over the archive.

- ``prepare_connection`` registers ``fold(text)`` (NFC, lower case, no diacritics, đ→d) so
  queries can fold the same way the search index was folded;
- ``asgi_wrapper`` folds every ``_search`` / ``_search_<column>`` parameter before Datasette
  sees it, so "Đà Nẵng", "da nang" and "ĐÀ NẴNG" find the same articles in the search box and
  in the JSON/CSV API.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from pipelines.text import fold



def fold_query_string(query_string: bytes) -> bytes:
    """Fold the values of ``_search`` parameters in a raw query string."""
    if b"_search" not in query_string:
        return query_string
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    folded = [(k, fold(v) if k.startswith("_search") else v) for k, v in pairs]
    return urlencode(folded).encode("ascii")


@hookimpl
def prepare_connection(conn):
    conn.create_function("fold", 1, fold, deterministic=True)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def fold_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = dict(scope, query_string=fold_query_string(scope["query_string"]))
            await app(scope, receive, send)

        return fold_search

    return wrap


ARCHIVE_TABLES = {
    "articles": {
        "description": "One row per article URL: the latest extracted text and its metadata.",
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "sort_desc": "published",
        "facets": ["site", "author"],
        "columns": {
            "id": "Row id (stable; keys the search index).",
            "url": "Canonical URL of the article (tracking parameters removed).",
            "site": "Site id from the registry (see the sites table).",
            "title": "Headline.",
            "description": "Sapo / lead paragraph, or the page's meta description.",
            "text": "Body text, paragraphs separated by new lines; related-news blocks removed.",
            "published": "Publication time, ISO 8601 (local time +07:00 when the page gives it).",
            "updated": "Last update time shown by the page, ISO 8601.",
            "author": "Author line as the page gives it.",
            "language": "Language code detected or declared.",
            "image": "Lead image URL.",
            "first_seen": "When tintuc first stored this article (UTC).",
            "last_seen": "When tintuc last fetched this article (UTC).",
            "content_hash": "SHA-1 of title, description and text: changes when the text changes.",
            "crawl_id": "The crawl that last changed this row.",
        },
    },
    "related_links": {
        "description": "Links in each article's related-news blocks (\"Tin tức khác\", \"Tin liên quan\" …).",
        "columns": {
            "from_url": "The article carrying the block.",
            "to_url": "The linked article (canonical URL).",
            "anchor": "The link's text (the linked headline).",
            "block": "The block's heading as shown on the page.",
            "position": "0-based position of the link in the page's related blocks.",
            "first_seen": "When the link was first seen (UTC).",
            "crawl_id": "The crawl that recorded it.",
        },
    },
    "related_ids": {
        "description": "Related blocks filled by JavaScript: only the article ids are in the page.",
    },
    "crawls": {
        "description": "One row per crawl run.",
        "sort_desc": "id",
        "facets": ["site", "status", "trigger"],
        "columns": {
            "status": "running, finished, interrupted (process died), or the reason it stopped.",
            "trigger": "manual or schedule.",
            "pages": "Responses received.",
            "articles_new": "Articles stored for the first time.",
            "articles_changed": "Articles whose text changed.",
            "articles_unchanged": "Articles fetched again with the same text.",
            "errors": "Rows in crawl_errors for this crawl.",
        },
    },
    "crawl_errors": {
        "description": "What went wrong during crawls: HTTP errors, timeouts, non-HTML pages …",
        "facets": ["crawl_id", "status"],
    },
    "sites": {"description": "The site registry as of the last crawl of each site."},
}
SITE_METADATA = {
    "title": "tintuc: Vietnamese provincial news archive",
    "description": "Articles from Vietnamese provincial portals and newspapers, crawled by "
    "tintuc. Search ignores diacritics: \"da nang\" finds \"Đà Nẵng\".",
    "source": "The publishers' public websites; every article links to its original.",
    "license": "Texts © their publishers, archived for research; tintuc code: Apache-2.0",
}


@hookimpl
def get_metadata(datasette, key, database, table):
    names = [name for name in datasette.databases if name != "_internal"]
    return {**SITE_METADATA, "databases": {name: {"tables": ARCHIVE_TABLES} for name in names}}
