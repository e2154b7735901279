"""The article page: ``row.html`` shows a row of ``articles`` as an article.

The body as paragraphs, related news linked to the archived copies (and to the originals), and
the archived articles that link to this one ("Linked from"). Everything from crawled pages is
escaped by the template, and only http(s) URLs become links (:func:`safe_url`).
"""

from __future__ import annotations

import urllib.parse

from datasette import hookimpl
from datasette.utils import tilde_decode

from tintuc.web.archive import ARTICLES, articles_view
from tintuc.web.archived import archived_url
from tintuc.web.charts import charts_url
from tintuc.web.feeds import feed_url


def lead_to_show(description: str | None, paragraphs: list[str]) -> str | None:
    """The description to show above the body, or None when the body already opens with it
    (the extractor puts the sapo first, and many sites' meta description is that sapo)."""
    lead = " ".join((description or "").split())
    if not lead:
        return None
    first = " ".join(paragraphs[0].split()) if paragraphs else ""
    return None if lead.casefold() in first.casefold() else lead


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (safe in ``href``), else None (``javascript:`` …)."""
    if not url:
        return None
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


@hookimpl(specname="prepare_jinja2_environment")
def safe_url_filter(env):
    env.filters["tintuc_safe_url"] = safe_url


@hookimpl(specname="extra_template_vars")
def article_page(database, table, view_name, request, datasette):
    if not articles_view(datasette, database, table, view_name, request, "row"):
        return {}

    async def inner():
        db = datasette.get_database(database)
        return {"tintuc_article": await _article(datasette, db, database, request)}

    return inner


async def _article(datasette, db, database: str, request) -> dict | None:
    pk = tilde_decode(request.url_vars.get("pks", ""))
    rows = (await db.execute("select * from articles where id = :id", {"id": pk})).rows
    if not rows:
        return None
    article = dict(rows[0])
    text = article.get("text") or ""
    article["paragraphs"] = [p.strip() for p in text.split("\n") if p.strip()]
    article["lead"] = lead_to_show(article.get("description"), article["paragraphs"])
    article["original"] = safe_url(article.get("url"))
    if article.get("capture_id") is not None:  # "View as archived": the page as captured
        article["archived_copy"] = archived_url(datasette, database, article["id"])
    # every fetch of the page (changed or not, errors, the removal's 404), for archivists:
    # by the URL its stored capture asked for (a redirect's source), else the article's
    fetched = await db.execute(
        "select coalesce((select url from captures where id = :capture), :url)",
        {"capture": article.get("capture_id"), "url": article["url"]},
    )
    capture_url = fetched.rows[0][0]
    count = await db.execute("select count(*) from captures where url = :url", {"url": capture_url})
    article["captures"] = count.rows[0][0]
    article["captures_url"] = (
        datasette.urls.table(database, "captures")
        + "?"
        + urllib.parse.urlencode({"url": capture_url, "_sort_desc": "time"})
    )
    related = await db.execute(
        """
        select related_links.to_url, related_links.anchor, related_links.block,
          articles.id as archived_id, articles.title as archived_title,
          articles.published as archived_published
        from related_links left join articles on articles.url = related_links.to_url
        where related_links.from_url = :url
        order by related_links.position, related_links.rowid
        """,
        {"url": article["url"]},
    )
    linked_from = await db.execute(
        """
        select articles.id, articles.title, articles.published, articles.site
        from related_links join articles on articles.url = related_links.from_url
        where related_links.to_url = :url
        group by articles.id order by articles.published desc limit 50
        """,
        {"url": article["url"]},
    )
    article["related"] = [
        {
            **dict(r),
            "archived_url": r["archived_id"] is not None
            and datasette.urls.row(database, ARTICLES, str(r["archived_id"])),
            "original": safe_url(r["to_url"]),
        }
        for r in related.rows
    ]
    article["linked_from"] = [
        {**dict(r), "archived_url": datasette.urls.row(database, ARTICLES, str(r["id"]))}
        for r in linked_from.rows
    ]
    article["site_url"] = (
        datasette.urls.table(database, ARTICLES)
        + "?"
        + urllib.parse.urlencode({"site": article.get("site") or ""})
    )
    feeds = [("site", article.get("site"), "feed_site"),
             ("province", article.get("province"), "feed_province")]  # fmt: skip
    article["feeds"] = [
        {"title": f"Newest articles of {value}", "kind": kind,
         "url": feed_url(datasette, database, query, **{kind: value})}
        for kind, value, query in feeds if value
    ]  # fmt: skip
    article["charts_url"] = charts_url(datasette, database)
    if "part_of" in article:  # an archive migrated to m013 (so m012's aliases too)
        article["story_pages"] = await _story_pages(datasette, db, database, article)
        aliases = await db.execute(
            "select url, first_seen, last_seen from article_aliases"
            " where article_id = :id order by first_seen, url",
            {"id": article["id"]},
        )
        article["aliases"] = [{**dict(r), "original": safe_url(r["url"])} for r in aliases.rows]
    if await db.table_exists("article_languages"):  # an archive migrated to m016
        article["languages"] = await _language_copies(datasette, db, database, article)
    return article


async def _language_copies(datasette, db, database: str, article: dict) -> list[dict]:
    """The article's copies in other languages, both ways: those its page names
    (``<link hreflang>``) and the articles whose pages name it, each linked to its stored row
    (found by its URL or another address of it), or by its URL alone when it was not fetched."""
    rows = await db.execute(
        """
        with copies(url, lang) as (
          select other_url, other_lang from article_languages where url = :url
          union all
          select l.url, a.language from article_languages l join articles a on a.url = l.url
          where l.other_url = :url)
        select copies.url, min(copies.lang) as lang, articles.id as archived_id,
          articles.title as archived_title
        from copies left join articles on articles.id = coalesce(
          (select id from articles where url = copies.url),
          (select article_id from article_aliases where url = copies.url))
        group by copies.url order by lang, copies.url
        """,
        {"url": article["url"]},
    )
    return [
        {**dict(r), "original": safe_url(r["url"]),
         "archived_url": r["archived_id"] is not None
         and datasette.urls.row(database, ARTICLES, str(r["archived_id"]))}
        for r in rows.rows if r["archived_id"] != article["id"]
    ]  # fmt: skip


async def _story_pages(datasette, db, database: str, article: dict) -> list[dict]:
    """The pages of the story ``article`` is a page of, first page first, or [] when it is
    not split. The first page is the row whose URL the later pages name (``part_of``); when it
    is not archived, it is listed by its URL alone."""
    first = article["part_of"] or article["url"]
    rows = await db.execute(
        "select id, url, title, part from articles where url = :first or part_of = :first"
        " order by coalesce(part, 1), id",
        {"first": first},
    )
    pages = [
        {**dict(r), "number": r["part"] or 1, "current": r["id"] == article["id"],
         "archived_url": datasette.urls.row(database, ARTICLES, str(r["id"])),
         "original": safe_url(r["url"])}
        for r in rows.rows
    ]  # fmt: skip
    if len(pages) < 2 and not article["part_of"]:
        return []
    if not any(p["url"] == first for p in pages):
        pages.insert(0, {"url": first, "number": 1, "current": False, "archived_url": None,
                         "original": safe_url(first), "title": None})  # fmt: skip
    return pages
