"""Metadata of tintuc archives: site text, table and column descriptions, canned queries.

What each table and column holds is written once, beside the tables, in
:data:`pipelines.archive.schema.TABLE_DOCS`; this module adds how Datasette should show them
(search index, default sort, facets, labels) and the canned queries.
"""

from __future__ import annotations

from datasette import hookimpl

from pipelines.archive.schema import TABLE_DOCS
from pipelines.archive.store import DOUBTFUL_BELOW, DOUBTFUL_FLAGS, doubtful_sql
from tintuc import export
from tintuc.web.archive import is_archive

TABLE_DISPLAY = {
    "articles": {
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "sort_desc": "published",
        # the extraction-flags facet is one click away (table page link), not computed on
        # every view: Datasette's array facet reads every row (1.4 s at 30,000 articles)
        "facets": ["site", "province", {"year": "published"}, {"month": "published"}, "author"],
        "label_column": "title",
    },
    "article_versions": {"facets": ["article_id"]},
    "related_links": {"facets": ["block"]},
    "captures": {"sort_desc": "id", "facets": ["page_kind", "status", "content_type"]},
    "crawls": {"sort_desc": "id", "facets": ["site", "status", "trigger"]},
    "crawl_errors": {"sort_desc": "id", "facets": ["crawl_id", "status"]},
    "sites": {"facets": ["province", "kind"]},
    "_sqlite_migrations": {"hidden": True},
}
ARCHIVE_TABLES = {
    table: {**docs, **TABLE_DISPLAY.get(table, {})} for table, docs in TABLE_DOCS.items()
}

CANNED_QUERIES = {
    "articles_per_site_per_day": {
        "title": "Articles per site per day",
        "description": "How many articles each site published each day (by publication date).",
        "sql": """select substr(published, 1, 10) as day, site, count(*) as articles
from articles
where published is not null
  and (:site = '' or site = :site)
group by day, site
order by day desc, site""",
    },
    "most_linked_articles": {
        "title": "Most-linked articles",
        "description": "Articles most often listed in other articles' related-news blocks "
        "(also those not archived yet).",
        "sql": """select related_links.to_url as url,
  coalesce(articles.title, max(related_links.anchor)) as title,
  articles.site, articles.published,
  count(distinct related_links.from_url) as linked_from,
  articles.id as article_id
from related_links left join articles on articles.url = related_links.to_url
group by related_links.to_url
order by linked_from desc, url
limit 200""",
    },
    "term_over_time": {
        "title": "Articles matching a term, by month",
        "description": "How many articles mention a term each month. Case and diacritics are "
        'ignored (the term is folded with fold()); "quoted phrases" and prefix* work.',
        "sql": """select substr(articles.published, 1, 7) as month, count(*) as articles,
  fold(:term) as folded_term
from articles_fts join articles on articles.id = articles_fts.rowid
where articles_fts match escape_fts(fold(:term))
  and articles.published is not null
group by month
order by month""",
    },
    "search_ranked": {
        "title": "Search, best matches first",
        "description": "Full-text search ranked by relevance (bm25, headline weighted most).",
        "sql": f"""select articles.id, articles.title, articles.published, articles.site,
  articles.url, {export.RANK_SQL} as rank,
  tintuc_snippet(coalesce(articles.description, '') || char(10)
    || coalesce(articles.text, ''), :q) as snippet
from articles_fts join articles on articles.id = articles_fts.rowid
where articles_fts match escape_fts(:q)
order by rank
limit 100""",
    },
    "changed_or_removed": {
        "title": "Articles removed or changed",
        "description": "Articles whose page disappeared, or whose text changed since first "
        "archived (earlier versions in article_versions).",
        "sql": """select articles.id, articles.title, articles.site, articles.published,
  articles.removed, articles.removed_reason,
  (select count(*) from article_versions where article_id = articles.id) as earlier_versions,
  articles.url
from articles
where articles.removed is not null
  or exists (select 1 from article_versions where article_id = articles.id)
order by coalesce(articles.removed, articles.last_seen) desc""",
    },
    "doubtful_extractions": {
        "title": "Doubtful extractions",
        "description": "Articles whose extraction is doubtful, least sure first: confidence "
        f"below :below (default {DOUBTFUL_BELOW}) or a flag among {', '.join(DOUBTFUL_FLAGS)}. "
        "tintuc reextract --flagged --below … extracts them again.",
        "sql": f"""select articles.id, articles.title, articles.site, articles.published,
  articles.extraction_confidence, articles.extraction_flags, articles.url
from articles
where {doubtful_sql(f"cast(coalesce(nullif(:below, ''), {DOUBTFUL_BELOW}) as real)")}
order by articles.extraction_confidence is null, articles.extraction_confidence, articles.id""",
    },
    "syndicated_stories": {
        "title": "Stories carried by several sites",
        "description": "Syndicated stories (story_clusters) carried by at least :sites sites "
        "(default 2), newest first, with the site that published each first.",
        "sql": """select c.cluster_id as story,
  count(distinct a.site) as sites, count(*) as copies,
  (select a2.site from story_clusters c2 join articles a2 on a2.id = c2.article_id
    where c2.cluster_id = c.cluster_id
    order by a2.published is null, a2.published, a2.id limit 1) as first_site,
  min(a.published) as first_published, max(a.published) as last_published,
  group_concat(distinct a.site) as all_sites,
  (select a3.title from articles a3 where a3.id = c.cluster_id) as title
from story_clusters c join articles a on a.id = c.article_id
group by c.cluster_id
having count(distinct a.site) >= cast(coalesce(nullif(:sites, ''), 2) as integer)
order by last_published desc
limit 500""",
    },
    "recently_changed": {
        "title": "Recently changed articles",
        "description": "Articles whose text changed, latest change first, with the share of "
        "words that changed since the previous version (0 to 1); the article page links the "
        "word-level diff.",
        "sql": """select articles.id, articles.title, articles.site, v.replaced as changed,
  tintuc_changed_share(v.text, articles.text) as words_changed,
  (select count(*) from article_versions where article_id = articles.id) as earlier_versions
from article_versions v join articles on articles.id = v.article_id
where v.id = (select max(id) from article_versions where article_id = articles.id)
order by v.replaced desc
limit 200""",
    },
    "link_degree_per_month": {
        "title": "Related-link degree of each site, by month",
        "description": "Per site and month (of the linking article's publication), among "
        "archived articles: related-block links its articles give (out-degree) and receive "
        "(in-degree), from other sites and its own.",
        "sql": """with edges as (
  select substr(src.published, 1, 7) as month, src.site as from_site, dst.site as to_site
  from related_links r join articles src on src.url = r.from_url
  join articles dst on dst.url = r.to_url
  where src.published is not null)
select month, site, sum(out_degree) as out_degree, sum(in_degree) as in_degree
from (select month, from_site as site, 1 as out_degree, 0 as in_degree from edges
      union all
      select month, to_site as site, 0, 1 from edges)
group by month, site
order by month desc, site""",
    },
}

SITE_METADATA = {
    "title": "tintuc: Vietnamese provincial news archive",
    "description": "Articles from Vietnamese provincial portals and newspapers, crawled by "
    'tintuc. Search ignores case and diacritics: "da nang" finds "Đà Nẵng".',
    "source": "The publishers' public websites; every article links to its original.",
    "license": "Texts © their publishers, archived for research; tintuc code: Apache-2.0",
}


@hookimpl
def get_metadata(datasette):
    """Metadata for each tintuc archive; the site's title and license only when every database
    served is one (other databases would inherit them)."""
    names = [name for name in datasette.databases if name != "_internal"]
    archives = [name for name in names if is_archive(datasette, name)]
    if not archives:
        return {}
    databases = {
        name: {**SITE_METADATA, "tables": ARCHIVE_TABLES, "queries": CANNED_QUERIES}
        for name in archives
    }
    site = SITE_METADATA if len(archives) == len(names) else {}
    return {**site, "databases": databases}
