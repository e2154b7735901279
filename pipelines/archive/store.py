"""Database-only functions that write the archive: sites, crawls, articles, links, errors.

No network, no Scrapy: the storage pipeline, the CLI and the tests all call these. Writes are
safe to repeat (saving the same article twice leaves one row) and never replace stored text
with worse data (an empty extraction does not overwrite a good one).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from textwrap import shorten
from typing import Any, Literal

import sqlite_utils

from crawler.urls import canonical_url
from pipelines.archive.clusters import cluster_article, shingles
from pipelines.archive.schema import index_article, index_shape
from pipelines.clock import now_iso

ARTICLE_FIELDS = (
    "url", "site", "province", "title", "description", "text", "published", "updated",
    "author", "language", "image",
)  # fmt: skip
STORY_PART_FIELDS = ("part_of", "part")
SaveResult = Literal["new", "changed", "unchanged", "kept", "alias"]

# How sure extraction was (the extractor's "flags" and "confidence"): a page is doubtful when
# its confidence is below DOUBTFUL_BELOW or it carries one of these flags, each saying that the
# text or date came from a guess rather than the page's own structure. "related_none" and the
# related_by_* flags describe the page, not a doubt: many articles have no related block.
# Flags that make an article doubtful whatever its confidence (`no_body_container` is not one:
# on the 181-page benchmark it marked half the pages and no worse ones; docs/benchmarks.md)
# (layout_row: the body is a layout table's row, the story merged with its neighbour cells)
DOUBTFUL_FLAGS = ("fallback_used", "recovered_text", "plain_disagrees", "text_outside_container",
                  "date_from_url_only", "page_cut_short", "legacy_font_text", "layout_row")
DOUBTFUL_BELOW = 0.5


def content_hash(row: dict[str, Any]) -> str:
    """A digest of what a reader sees: a change in title or text is a new version."""
    payload = "\x1f".join(row.get(k) or "" for k in ("title", "description", "text"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def save_site(db: sqlite_utils.Database, profile: Any) -> None:
    """Record (or refresh) a site profile in ``sites``."""
    db["sites"].upsert(
        {
            "id": profile.id,
            "name": profile.name,
            "province": profile.province,
            "kind": profile.kind,
            "base_url": profile.base_url,
            "checked_live": int(bool(profile.checked_live)),
            "profile": json.dumps(profile.to_dict(), ensure_ascii=False),
        },
        pk="id",
    )


def pid_alive(pid: int | None) -> bool:
    """True if a process with this id exists (a crawl row's owner is still running)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_crawl(db: sqlite_utils.Database, site: str) -> dict[str, Any] | None:
    """A crawl of ``site`` still running in a live process, if any (the newest)."""
    rows = db["crawls"].rows_where("status = 'running' AND site = ?", [site], order_by="id desc")
    return next((r for r in rows if pid_alive(r["pid"]) and r["pid"] != os.getpid()), None)


def mark_interrupted_crawls(db: sqlite_utils.Database, site: str | None = None) -> int:
    """Mark crawls still 'running' whose process is gone as 'interrupted'; return how many."""
    where, params = "status = 'running'", []
    if site:
        where, params = where + " AND site = ?", [site]
    stale = [r["id"] for r in db["crawls"].rows_where(where, params) if not pid_alive(r["pid"])]
    for crawl_id in stale:
        db["crawls"].update(crawl_id, {"status": "interrupted", "finished": None})
    return len(stale)


def start_crawl(
    db: sqlite_utils.Database, site: str, *, trigger: str = "manual", settings: dict | None = None
) -> int:
    """Open a ``crawls`` row for a crawl of ``site`` starting now; return its id."""
    mark_interrupted_crawls(db, site)
    return db["crawls"].insert(
        {
            "site": site,
            "started": now_iso(),
            "status": "running",
            "trigger": trigger,
            "pid": os.getpid(),
            "settings": json.dumps(settings or {}, ensure_ascii=False, default=str),
        }
    ).last_pk


def record_unstarted_crawl(
    db: sqlite_utils.Database, site: str, *, trigger: str, started: str, pid: int, status: str,
    reason: str,
) -> int:
    """A closed ``crawls`` row, with ``reason`` as its one error, for a crawl process that
    ended before it could write its own row (killed at its timeout while starting, failed
    at start-up): the archive says it ran and why it stored nothing. Returns its id."""
    crawl_id = db["crawls"].insert(
        {"site": site, "started": started, "finished": now_iso(), "status": status,
         "trigger": trigger, "pid": pid, "errors": 1, "settings": "{}"}  # fmt: skip
    ).last_pk
    record_error(db, crawl_id, "", reason)
    return crawl_id


def update_crawl(db: sqlite_utils.Database, crawl_id: int, **counts: int | str | None) -> None:
    """Set counters or status on a crawl row."""
    db["crawls"].update(crawl_id, counts)


def finish_crawl(
    db: sqlite_utils.Database, crawl_id: int, status: str, **counts: int | None
) -> None:
    """Close a crawl row with its final status ('finished', 'failed', 'cancelled' …)."""
    db["crawls"].update(crawl_id, {"status": status, "finished": now_iso(), **counts})


def record_error(
    db: sqlite_utils.Database, crawl_id: int | None, url: str, error: str, status: int | None = None
) -> None:
    """Add one line to the crawl's error log."""
    db["crawl_errors"].insert(
        {"crawl_id": crawl_id, "url": url, "status": status, "error": error, "time": now_iso()}
    )


def _article_row(article: dict[str, Any]) -> dict[str, Any]:
    row = {k: article.get(k) for k in ARTICLE_FIELDS}
    attachments = article.get("attachments")  # [{url, text}] of documents under the headline
    row["attachments"] = json.dumps(attachments, ensure_ascii=False) if attachments else None
    return row


PAGE_KINDS = ("article", "listing", "other")


def record_page_decisions(db: sqlite_utils.Database, decisions: Iterable[tuple]) -> int:
    """Write what each fetched HTML page was judged to be on its ``captures`` row:
    ``(capture_id, kind, reason)`` tuples, kind one of :data:`PAGE_KINDS`. Rows without a
    capture id (capture off) are skipped. Returns how many rows were written."""
    rows = [(kind, shorten(reason or "", 200, placeholder=" …"), capture_id)  # at a word
            for capture_id, kind, reason in decisions if capture_id is not None]  # fmt: skip
    if rows:
        db.conn.executemany("UPDATE captures SET page_kind = ?, page_reason = ? WHERE id = ?", rows)
    return len(rows)


def _quality_row(article: dict[str, Any]) -> dict[str, Any]:
    """The extraction_flags (sorted JSON array) and extraction_confidence columns of an
    extraction; NULL for what it did not assess."""
    flags, confidence = article.get("flags"), article.get("confidence")
    return {
        "extraction_flags": None if flags is None else json.dumps(sorted(set(flags))),
        "extraction_confidence": None if confidence is None else round(float(confidence), 3),
    }


def doubtful_sql(below: str = "?", table: str = "articles") -> str:
    """An SQL condition true for the doubtful rows of ``table`` (``articles`` or its alias);
    ``below`` is the SQL of the confidence threshold (a parameter). Rows never assessed (NULL)
    are not doubtful: ``tintuc reextract`` without --flagged assesses them."""
    flags = ", ".join(f"'{flag}'" for flag in DOUBTFUL_FLAGS)
    return (
        f"({table}.extraction_confidence < {below} OR EXISTS (SELECT 1 FROM "
        f"json_each({table}.extraction_flags) WHERE json_each.value IN ({flags})))"
    )


def count_doubtful(
    db: sqlite_utils.Database, below: float = DOUBTFUL_BELOW, site: str | None = None
) -> int:
    """How many stored articles (of ``site``) are doubtful (:func:`doubtful_sql`)."""
    where, params = doubtful_sql(), [below]
    if site:
        where, params = f"{where} AND site = ?", [*params, site]
    return db.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()[0]


def save_article(
    db: sqlite_utils.Database, article: dict[str, Any], crawl_id: int | None = None
) -> SaveResult:
    """Insert or update one article with its related links; call inside ``db.atomic()``.

    Returns 'new', 'changed' (the replaced text goes to ``article_versions``, whole, with its
    date, author, "updated" time, lead image and attachments; a change of any of these alone
    is a change too, :func:`restated`),
    'unchanged' (only ``last_seen`` and the capture move), 'kept' when the new extraction
    has no text and the stored one does (the stored text is kept), or 'alias' when the page
    is another address of a stored article showing the same (:func:`stored_at_another_address`:
    an ``article_aliases`` row, no second article). An optional ``minhash``
    holds the text's :func:`~pipelines.archive.clusters.signature`, computed by the caller.
    """
    seen = article.get("fetched") or now_iso()
    row = _article_row(article)
    quality = _quality_row(article)
    # a later page of a story split over pages (the crawl knows; a re-extraction leaves it)
    story = {k: article[k] for k in STORY_PART_FIELDS if article.get(k) is not None}
    capture_id = article.get("capture_id")
    row["content_hash"] = content_hash(row)
    old = next(db["articles"].rows_where("url = ?", [row["url"]]), None)
    if old is None and (old := stored_at_another_address(db, row, doubtful(article),
                                                         bool(story))):
        save_alias(db, row["url"], old, seen, capture_id, crawl_id, row["content_hash"])
        if old["content_hash"] == row["content_hash"]:  # the article keeps its own capture
            db["articles"].update(old["id"], {"last_seen": max(seen, old["last_seen"] or "")})
            return "alias"
        row["url"] = old["url"]  # an edit read at the other address: stored as any edit
    # a new capture, not the stored one read again (``tintuc reextract``: there the extractor
    # changed, not the page, and what it no longer reads, "admin" as an author, it rejects;
    # a value kept from an earlier capture, which this one never showed, stays: kept_values)
    recaptured = capture_id is None or capture_id != (old or {}).get("capture_id")
    kept, kept_from = kept_values(old, row, recaptured) if old is not None else ({}, None)
    if kept:
        row.update(kept)
        row["content_hash"] = content_hash(row)
    if old is None:
        article_id = db["articles"].insert(
            {**row, **quality, **story, "first_seen": seen, "last_seen": seen,
             "crawl_id": crawl_id, "capture_id": capture_id}
        ).last_pk  # fmt: skip
        index_article(db, article_id, row)
        index_shape(db, article_id, row)
        cluster_article(db, article_id, row["text"], sig=article.get("minhash"))
        result: SaveResult = "new"
    else:
        seen_again = {"last_seen": seen, "removed": None, "removed_reason": None,
                      "kept_from": kept_from}
        if capture_id is not None:
            seen_again["capture_id"] = capture_id
        # the quality columns follow the text that is kept: an unchanged text takes what this
        # extraction assessed (an extractor that assessed nothing leaves the old figures)
        if old["content_hash"] == row["content_hash"] and not restated(old, row, recaptured):
            result = "unchanged"
            assessed = {k: v for k, v in quality.items() if v is not None}
            gained = filled(old, row)
            db["articles"].update(old["id"], {**seen_again, **assessed, **story, **gained})
            if "published" in gained:  # the search's month facet follows the date
                index_shape(db, old["id"], {**old, **gained})
            if "related" in article:  # the same story under a block the site may have changed
                save_related(db, row["url"], article["related"] or [], seen, crawl_id)
                save_related_ids(db, row["url"], article.get("related_ids") or [], seen,
                                 crawl_id)
        elif worse := (old["text"] and not row["text"] and "this capture shows no text") or (
            part := shorter_part_of(old["text"], row["text"])) or (
            less_sure_and_shorter(old, row["text"], quality["extraction_confidence"])
        ):
            result = "kept"
            # the stored text's beginning (cut short, a teaser above a login wall) is the
            # article's page showing the article: back on the site, no longer removed; an
            # empty template proves nothing, and leaves a removed mark as it was
            # (an empty text never reaches ``part``)
            back = {"removed": None, "removed_reason": None} if row["text"] and part else {}
            db["articles"].update(old["id"], {"last_seen": seen, **back})
            if capture_id is not None:  # the capture says why its text was not stored
                db.execute("UPDATE captures SET page_reason = ? WHERE id = ?",
                           [f"kept the stored text: {worse}", capture_id])
        else:
            result = "changed"
            save_version(db, old, replaced=seen)
            db["articles"].update(old["id"], {**row, **quality, **story, **seen_again,
                                              "crawl_id": crawl_id})
            index_article(db, old["id"], row)
            index_shape(db, old["id"], row)
            cluster_article(db, old["id"], row["text"], sig=article.get("minhash"))
    if result in ("new", "changed"):
        save_related(db, row["url"], article.get("related") or [], seen, crawl_id)
        save_related_ids(db, row["url"], article.get("related_ids") or [], seen, crawl_id)
    if article.get("languages") is not None:  # None: not read (a document, an older extractor)
        save_languages(db, row["url"], article["languages"], seen, recaptured)
    return result


# What a new capture does not show is not news that it was taken away: a dateline, a byline, a lead
# image or a headline that this extraction did not find (a template changed, a page cut short,
# an extractor that reads less) leaves the stored one: its absence is no statement, and a
# version made of it would mark an edit nobody made. A stored sapo is kept while the new text
# still holds it (the same lead, no longer told apart from the body); a sapo the text lost is
# an edit. A day without a time where the stored date has one is less than was shown, and most
# often not the dateline at all (a page that lost its dateline yields a date guessed from
# elsewhere, a year in a related link's URL): the stored date stays.
KEPT_WHEN_MISSING = ("title", "published", "updated", "author", "image", "language")


def not_shown_again(old: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The stored values of ``old`` that ``row``, a new extraction of its page, lacks."""
    kept = {k: old[k] for k in KEPT_WHEN_MISSING if not row.get(k) and old.get(k)}
    stored_date, date = old.get("published") or "", row.get("published") or ""
    if "T" in stored_date and date and "T" not in date:
        kept["published"] = stored_date
    sapo = old.get("description")
    if sapo and not row.get("description") and sapo in (row.get("text") or ""):
        kept["description"] = sapo
    return kept


def kept_values(old: dict[str, Any], row: dict[str, Any],
                recaptured: bool) -> tuple[dict[str, Any], str | None]:
    """The stored values of ``old`` that ``row``, an extraction of its page, keeps
    (:func:`not_shown_again`), and the new ``kept_from`` column: {column: the capture each
    kept value came from}, as JSON, or None when none is kept.

    A new capture keeps every value it does not show. The row's own capture read again
    (``tintuc reextract``, not ``recaptured``) keeps only those an earlier capture gave, which
    it never showed: a value it gave itself and now yields no more is the improved
    extractor's judgement ("admin" is no author), and goes."""
    earlier = json.loads(old.get("kept_from") or "{}")
    kept = {k: value for k, value in not_shown_again(old, row).items()
            if recaptured or k in earlier}  # fmt: skip
    kept_from = {k: earlier.get(k, old.get("capture_id")) for k in kept}
    return kept, json.dumps(kept_from, sort_keys=True) if kept_from else None


# What a page states of its article beside the title, sapo and text (``content_hash``): a new
# value for the same text is an edit, versioned as one (the replaced values kept whole in
# ``article_versions``): a corrected date or author, a new "updated" time (the site's own word
# that it changed the article), another lead image, documents added, swapped or withdrawn.
# Each was dropped before m019: the row kept the first capture's value and never stored the
# new one (the image, "updated", attachments), or replaced it unversioned with a new text. A
# version keeps what is replaced: a value where the row held none replaces nothing (an
# extractor that now reads the lead image, an archive from before it did) and is stored on
# the row with no version, else the next recapture of every such article would be an "edit".
RESTATED_FIELDS = ("published", "author", "updated", "image")


def restated(old: dict[str, Any], row: dict[str, Any], recaptured: bool = True) -> bool:
    """True if the page now states another value of :data:`RESTATED_FIELDS` or other
    attachments in place of a stored one, for the same text, or the stored capture read
    again does (none: the extractor now rejects the stored one). A field a new capture does
    not show keeps its stored value (:func:`kept_values`), but attachments are read from links
    to the documents themselves: none linked any more is a document withdrawn, a change."""
    if old.get("attachments") and row.get("attachments") != old.get("attachments"):
        return True
    return any(old.get(k) and (row.get(k) or not recaptured) and row.get(k) != old.get(k)
               for k in RESTATED_FIELDS)


def filled(old: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The values of :data:`RESTATED_FIELDS` and the attachments that ``row`` gives where the
    stored ``old`` has none: stored as they come, replacing nothing (no version)."""
    return {k: row[k] for k in (*RESTATED_FIELDS, "attachments") if row.get(k) and not old.get(k)}


def save_languages(db: sqlite_utils.Database, url: str, copies: Iterable[dict[str, Any]],
                   seen: str, recaptured: bool = True) -> None:
    """Record the copies in other languages that the page of the article at ``url`` names
    (``[{lang, url}]``, see :func:`pipelines.extractor.metadata.language_copies`) in
    ``article_languages``, keeping each one's first_seen. A copy a new capture no longer names
    keeps its row (its ``last_seen`` says when a capture last named it): a page that dropped
    its ``hreflang`` links (a new template) is no news that the translation is not one, and
    the row was all the archive held of the link. The stored capture read again (not
    ``recaptured``, ``seen`` its time) drops those it named and no longer yields: the
    extractor's judgement; one only an earlier capture named (an older ``last_seen``) stays."""
    first_seen = dict(db.execute(
        "SELECT other_url, first_seen FROM article_languages WHERE url = ?", [url]).fetchall())
    if not recaptured:
        db.execute("DELETE FROM article_languages WHERE url = ? AND last_seen >= ?", [url, seen])
    named = [c["url"] for c in copies if c["url"] != url]
    db.execute("DELETE FROM article_languages WHERE url = ? AND other_url IN (SELECT value "
               "FROM json_each(?))", [url, json.dumps(named)])  # fmt: skip
    rows = {c["url"]: {"url": url, "other_url": c["url"], "other_lang": c["lang"],
                       "first_seen": first_seen.get(c["url"], seen), "last_seen": seen}
            for c in copies if c["url"] != url}  # fmt: skip
    if rows:
        db["article_languages"].insert_all(rows.values())


# One article at two URLs of its site (a CMS's menu contexts, ``?p=N`` beside the permalink,
# two section paths, ``/`` and ``/index.html``, an AMP view): the crawl's spelling rules pair
# most of them, but not a context met before the site's item numbers were learned, nor one met
# by a later crawl or another worker. The archive knows the article by what it shows: the same
# title, sapo and text (``content_hash``), date and attachments, on the same site. Two
# articles under one template title differ in their text; a text shorter than this (a one-line
# notice under a portal's one title, "xem văn bản đính kèm") is one article only together with
# the same attachments. Only extractions the extractor is sure of count on both sides: two
# pages whose body was missed may both yield the same footer under the portal's one title.
ALIAS_MIN_TEXT = 200  # characters
# An article edited between the captures of its two addresses (a figure or a name corrected, a
# sentence added) shows the same title, date and attachments and nearly the same text: this
# share of its folded word 3-grams (Jaccard) at least. Measured on the 439 texts of the wide
# set's benchmarks: two words changed in one paragraph keep 0.76-1.0 (0.98 median), a sentence
# added 0.96 of texts at 0.8 or more, a paragraph rewritten 0.79; two different articles of one
# publisher share at most 0.07 (and the same Taz article under two templates 0.82); the pages
# of a story split over pages, under one title and date, share 0.58-0.62 in the tests' own
# templated text, and a story's page is never paired so. The later capture is read as an
# edit: the stored text is versioned, never replaced by a shorter part or a doubtful one.
EDITED_COPY_MIN = 0.8


def doubtful(article: dict[str, Any]) -> bool:
    """True if an extraction is doubtful, as :func:`doubtful_sql` says of a stored one."""
    confidence = article.get("confidence")
    return (confidence is not None and confidence < DOUBTFUL_BELOW) or any(
        flag in DOUBTFUL_FLAGS for flag in article.get("flags") or ())


def stored_at_another_address(db: sqlite_utils.Database, row: dict[str, Any],
                               doubtful_text: bool = False, part: bool = False) -> dict | None:
    """The stored article that the page at ``row["url"]`` (an :func:`_article_row` with its
    ``content_hash``, at a URL no article has) shows again, or None: the article an
    ``article_aliases`` row names, else (unless ``doubtful_text``: the extraction is
    doubtful) one of the same site showing the same, else (unless ``part``: the page is a
    later page of a split story) one under the same title and date whose text it edits
    (:func:`edited_copy`)."""
    known = db.execute("SELECT article_id FROM article_aliases WHERE url = ?",
                       [row["url"]]).fetchone()  # fmt: skip
    if known:
        return next(db["articles"].rows_where("id = ?", [known[0]]), None)
    text = row["text"] or ""
    if doubtful_text or not row["site"] or not text.strip() or (len(text) < ALIAS_MIN_TEXT
                                                and not row["attachments"]):
        return None
    same = next(db["articles"].rows_where(
        f"site = ? AND content_hash = ? AND published IS ? AND attachments IS ? "
        f"AND NOT coalesce({doubtful_sql()}, 0)",  # NULL: not assessed, not doubtful
        [row["site"], row["content_hash"], row["published"], row["attachments"], DOUBTFUL_BELOW],
        order_by="id", limit=1,
    ), None)  # fmt: skip
    if same or part or not row["published"]:
        return same
    dated = db["articles"].rows_where(
        f"site = ? AND published = ? AND title IS ? AND attachments IS ? AND part_of IS NULL "
        f"AND NOT coalesce({doubtful_sql()}, 0)",
        [row["site"], row["published"], row["title"], row["attachments"], DOUBTFUL_BELOW],
        order_by="id",
    )  # fmt: skip
    return next((old for old in dated if edited_copy(old["text"], text)), None)


def edited_copy(stored: str | None, new: str | None) -> float | None:
    """The share of word 3-grams two texts have in common when it is :data:`EDITED_COPY_MIN`
    or more (one is the other edited), else None."""
    a, b = shingles(stored), shingles(new)
    shared = len(a & b) / len(a | b) if a and b else 0.0
    return shared if shared >= EDITED_COPY_MIN else None


def save_alias(db: sqlite_utils.Database, url: str, article: dict[str, Any], seen: str,
               capture_id: int | None, crawl_id: int | None,
               content: str | None = None, say_so: bool = True) -> None:
    """Record ``url`` as another address of the stored ``article`` (``article_aliases``), and
    (``say_so``) say so on its capture, which is kept as any capture (``content``: the page's
    ``content_hash``, when it may show an edited text)."""
    first = db.execute("SELECT first_seen FROM article_aliases WHERE url = ?", [url]).fetchone()
    db["article_aliases"].upsert(
        {"url": url, "article_id": article["id"], "first_seen": first[0] if first else seen,
         "last_seen": seen, "capture_id": capture_id, "crawl_id": crawl_id}, pk="url",
    )  # fmt: skip
    if capture_id is not None and say_so:
        text = "text" if content in (None, article["content_hash"]) else "an edit of its text"
        db.execute("UPDATE captures SET page_reason = ? WHERE id = ?",
                   [f"another address of the article stored at {article['url']} (the same "
                    f"title, {text} and date)", capture_id])  # fmt: skip


def save_spider_aliases(db: sqlite_utils.Database, aliases: list[tuple[str, str, int | None]],
                        crawl_id: int | None) -> list[tuple[str, str, int | None]]:
    """Record each ``(url, first_url, capture_id)`` the crawl judged another spelling of a page
    it had extracted (``PageDecision.alias_of``) as an address of the article stored at
    ``first_url`` (:func:`save_alias`), as ``tintuc reextract`` would find it by its text.
    Returns those whose first URL holds no article (yet: extraction may store it later)."""
    left = []
    for url, first_url, capture_id in aliases:
        article = next(db["articles"].rows_where("url = ?", [first_url],
                                                  select="id, url, content_hash"), None)
        if article is None:
            left.append((url, first_url, capture_id))
        else:
            # its capture keeps the crawl's reason: how it knew (a spelling, a canonical link)
            save_alias(db, url, article, now_iso(), capture_id, crawl_id, say_so=False)
    return left

# A new text much shorter than the stored one that is its beginning is a worse capture of the
# same article (a body cut short in transfer, a teaser above a login wall, a template half
# filled), not an edit: the stored text stays, the capture keeps the new one and says why. An
# edit that cuts a passage out of the middle, rewrites, or cuts less, replaces the text as
# before (the old one versioned). (A cut of the last paragraphs alone looks like a transfer cut
# short: the capture's reason then says so, and its WARC record holds the page.)
SHORTER_PART_LENGTH = 0.6  # new length / stored length, below which a text may be a part
SHORTER_PART_TAIL = 20  # words after the stored text's beginning: a wall's message, a cut word
SHORTER_PART_SHARED = 5  # words of the stored text's beginning it must start with
SHORTER_PART_MIN = 200  # characters of stored text below which nothing is judged


def shorter_part_of(stored: str | None, new: str | None) -> str | None:
    """Why ``new`` is a worse capture of the article whose text is ``stored``, or None."""
    if not stored or not new or len(stored) < SHORTER_PART_MIN:
        return None
    if len(new) >= SHORTER_PART_LENGTH * len(stored):
        return None
    words = re.findall(r"\w+", new.casefold())
    known = re.findall(r"\w+", stored.casefold())
    shared = next((i for i, (a, b) in enumerate(zip(words, known, strict=False)) if a != b),
                  min(len(words), len(known)))  # words the two texts start with
    if shared < SHORTER_PART_SHARED or len(words) - shared > SHORTER_PART_TAIL:
        return None  # not the stored text's beginning: an edit
    return (f"this capture's text is a shorter part of it ({len(new)} of {len(stored)} "
            "characters, its beginning: cut short, a teaser or a login wall)")


def less_sure_and_shorter(old: dict[str, Any], new: str | None,
                          confidence: float | None) -> str | None:
    """Why a doubtful extraction (confidence under :data:`DOUBTFUL_BELOW`) much shorter than the
    stored text, which was not doubtful, is a worse capture of it (an empty template, a page
    the site failed to fill, a navigation line taken for the body), or None."""
    stored, was = old["text"], old["extraction_confidence"]
    if not stored or not new or confidence is None or was is None:
        return None
    if confidence >= DOUBTFUL_BELOW or was < DOUBTFUL_BELOW:
        return None
    if len(new) >= SHORTER_PART_LENGTH * len(stored):
        return None
    return (f"this capture's text is doubtful (confidence {confidence:.2f}, the stored one's "
            f"{was:.2f}) and shorter ({len(new)} of {len(stored)} characters): an empty "
            "template or a page the site failed to fill")


def save_version(db: sqlite_utils.Database, old: dict[str, Any], replaced: str) -> None:
    """Keep the whole replaced version of an article in ``article_versions``."""
    previous = db.execute(
        "SELECT max(replaced) FROM article_versions WHERE article_id = ?", [old["id"]]
    ).fetchone()[0]
    db["article_versions"].insert(
        {
            "article_id": old["id"],
            "url": old["url"],
            "title": old["title"],
            "description": old["description"],
            "text": old["text"],
            "published": old["published"],
            "author": old["author"],
            "updated": old["updated"],
            "image": old["image"],
            "attachments": old["attachments"],
            "content_hash": old["content_hash"],
            "first_seen": previous or old["first_seen"],
            "replaced": replaced,
            "capture_id": old["capture_id"],
            "crawl_id": old["crawl_id"],
        }
    )


def mark_removed(db: sqlite_utils.Database, url: str, reason: str) -> bool:
    """Mark a stored article as removed from its site (its text is kept); True if it was."""
    cursor = db.execute(
        "UPDATE articles SET removed = ?, removed_reason = ? WHERE url = ? AND removed IS NULL",
        [now_iso(), reason, url],
    )
    return cursor.rowcount > 0


def urls_to_skip(
    db: sqlite_utils.Database, site: str, revisit_days: float, revisit_after_hours: float
) -> set[str]:
    """Stored articles of ``site`` an incremental crawl need not fetch again, their other
    addresses (``article_aliases``), and the URLs that redirected to one of them when last
    fetched (a WordPress ``?p=N`` shortlink, an
    ``http://`` link to an article now at ``https://``): each would be fetched again on every
    crawl, only to land on a stored article.

    Recent articles (first seen less than ``revisit_days`` ago) are fetched again to catch
    corrections, unless they were fetched less than ``revisit_after_hours`` ago.
    """
    now = datetime.now(UTC)
    recent = (now - timedelta(days=revisit_days)).isoformat(timespec="seconds")
    fresh = (now - timedelta(hours=revisit_after_hours)).isoformat(timespec="seconds")
    skip = {
        url
        for (url,) in db.execute(
            "SELECT url FROM articles WHERE site = ? AND NOT (first_seen >= ? AND last_seen < ?)",
            [site, recent, fresh],
        )
    }
    skip.update(alias for alias, article in db.execute(
        "SELECT al.url, a.url FROM article_aliases al JOIN articles a ON a.id = al.article_id "
        "WHERE a.site = ?", [site]) if article in skip)  # other addresses of those articles
    redirected = db.execute(
        """SELECT DISTINCT c.url, c.final_url FROM captures c JOIN crawls k ON k.id = c.crawl_id
           WHERE k.site = ? AND c.final_url IS NOT NULL AND c.final_url != c.url""",
        [site],
    )
    for url, final_url in redirected.fetchall():
        try:
            if canonical_url(final_url) in skip:
                skip.add(url)
        except ValueError:
            continue
    return skip


def linked_not_stored(db: sqlite_utils.Database, site: str) -> list[str]:
    """Related links of ``site``'s stored articles that point to no stored article.

    An incremental crawl skips stored articles, so it would never see their links again: an
    article reachable only from one of them (a crawl killed between storing the one and
    fetching the other, a fetch that failed) would stay missing. Gone pages (404/410) are
    left out.
    """
    return [
        url
        for (url,) in db.execute(
            """SELECT DISTINCT r.to_url FROM articles a
               JOIN related_links r ON r.from_url = a.url
               WHERE a.site = ? AND r.to_url NOT IN (SELECT url FROM articles)
               AND r.to_url NOT IN (SELECT url FROM crawl_errors WHERE status IN (404, 410))""",
            [site],
        )
    ]


def site_in_archive(db: sqlite_utils.Database | sqlite3.Connection, site: str) -> bool:
    """True if the archive knows ``site``: a row in ``sites`` or articles of it."""
    return db.execute(
        "SELECT 1 FROM sites WHERE id = ? UNION ALL SELECT 1 FROM articles WHERE site = ? LIMIT 1",
        [site, site],
    ).fetchone() is not None


def last_crawl_status(db: sqlite_utils.Database, site: str) -> str | None:
    """Status of the latest crawl of ``site`` before this one, or None if there was none."""
    row = db.execute(
        "SELECT status FROM crawls WHERE site = ? AND status != 'running' ORDER BY id DESC",
        [site],
    ).fetchone()
    return row[0] if row else None


def save_related(
    db: sqlite_utils.Database,
    from_url: str,
    links: Iterable[dict[str, Any]],
    seen: str,
    crawl_id: int | None = None,
) -> None:
    """Replace the related links of ``from_url`` with ``links``, keeping each link's first_seen;
    a stored link that ``links`` lacks moves to ``related_links_gone`` (nothing is lost).

    URLs are stored as given: :func:`~pipelines.extractor.article.extract_article` hands them
    over canonical (:func:`crawler.urls.canonical_url`), the spelling of ``articles.url``, so
    ``related_links.to_url = articles.url`` finds every stored target.
    """
    stored = {(r["block"], r["to_url"]): r
              for r in db["related_links"].rows_where("from_url = ?", [from_url])}
    first_seen = {f"{block}\x1f{url}": r["first_seen"] for (block, url), r in stored.items()}
    db.execute("DELETE FROM related_links WHERE from_url = ?", [from_url])
    rows = {}
    for link in links:
        block = link.get("block") or ""
        key = (block, link["url"])
        if key in rows:
            continue
        rows[key] = {
            "from_url": from_url,
            "to_url": link["url"],
            "anchor": link.get("text"),
            "block": block,
            "position": link.get("position"),
            "first_seen": first_seen.get(f"{block}\x1f{link['url']}", seen),
            "crawl_id": crawl_id,
        }
    if rows:
        db["related_links"].insert_all(rows.values())
    gone = [{**link, "gone": seen, "crawl_id": crawl_id}
            for key, link in stored.items() if key not in rows]  # fmt: skip
    if gone:
        db["related_links_gone"].insert_all(gone)


def save_related_ids(
    db: sqlite_utils.Database, from_url: str, blocks: Iterable[dict[str, Any]], seen: str,
    crawl_id: int | None = None,
) -> None:
    """Record blocks whose links are filled by JavaScript: only article ids are on the page.
    A block the page no longer shows, or shows with other ids, moves to ``related_ids_gone``
    as it was, as a related link does (:func:`save_related`): nothing a block held is lost."""
    stored = {r["block"]: r for r in db["related_ids"].rows_where("from_url = ?", [from_url])}
    rows = {}
    for b in blocks:
        block, ids = b.get("block") or "", json.dumps(b.get("ids", []))
        same = stored.get(block, {}).get("ids") == ids
        rows.setdefault(block, {"from_url": from_url, "block": block, "ids": ids,
                                "first_seen": stored[block]["first_seen"] if same else seen})
    gone = [{**old, "gone": seen, "crawl_id": crawl_id} for block, old in stored.items()
            if rows.get(block, {}).get("ids") != old["ids"]]  # fmt: skip
    db.execute("DELETE FROM related_ids WHERE from_url = ?", [from_url])
    if rows:
        db["related_ids"].insert_all(rows.values())
    if gone:
        db["related_ids_gone"].insert_all(gone)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction that takes the archive's write lock at once (``BEGIN IMMEDIATE``).

    Writers read before they write (is this article stored?). In a deferred transaction that
    read pins a snapshot, and when another process (a second crawl, the ingester) commits in
    between, the upgrade to writing fails at once with "database is locked": the busy timeout
    does not apply to it. Taking the lock first makes writers wait their turn instead.
    Nested in a transaction already open, it is a savepoint (``db.atomic()``).
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise


def save_articles(
    db: sqlite_utils.Database, articles: Iterable[dict[str, Any]], crawl_id: int | None = None
) -> dict[str, int]:
    """Save a batch of articles in one transaction; return counts by result."""
    counts = {"new": 0, "changed": 0, "unchanged": 0, "kept": 0, "alias": 0}
    with write_transaction(db):
        for article in articles:
            counts[save_article(db, article, crawl_id)] += 1
    return counts


def crawl_summary(
    db: sqlite_utils.Database, crawl_id: int, max_errors: int = 10
) -> tuple[dict[str, Any], int, list[dict[str, Any]]]:
    """A crawl's row, the number of articles its site now has, and its first errors."""
    row = db["crawls"].get(crawl_id)
    total = db.execute("SELECT count(*) FROM articles WHERE site = ?", [row["site"]]).fetchone()[0]
    errors = list(db.query(
        "SELECT url, error FROM crawl_errors WHERE crawl_id = ? LIMIT ?", [crawl_id, max_errors]
    ))  # fmt: skip
    return row, total, errors


def site_status(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Per site: its last crawl, that crawl's result, and how many articles (and removed ones)."""
    sql = """
        SELECT s.id, s.name, c.id AS crawl, c.status, c.started, c.finished, c.pages,
               c.articles_new, c.articles_changed, c.errors,
               (SELECT count(*) FROM articles a WHERE a.site = s.id) AS articles,
               (SELECT count(*) FROM articles a WHERE a.site = s.id AND a.removed IS NOT NULL)
                 AS removed
        FROM sites s LEFT JOIN crawls c ON c.id = (SELECT max(id) FROM crawls WHERE site = s.id)
        ORDER BY s.id"""
    return list(db.query(sql))
