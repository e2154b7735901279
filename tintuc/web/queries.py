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

# Atom entries (datasette-atom's columns): the archive's article page (relative to the feed,
# made absolute by tintuc.web.feeds), the description as content, the site when no author.
FEED_SIZE = 50
FEED_COLUMNS = """a.url as atom_id, coalesce(a.title, a.url) as atom_title,
  coalesce(tintuc_atom_time(a.published), tintuc_atom_time(a.first_seen)) as atom_updated,
  'articles/' || a.id as atom_link, coalesce(a.description, '') as atom_content,
  coalesce(nullif(a.author, ''), a.site) as atom_author_name,
  a.id, a.site, a.province, a.published, a.url"""
# a copy of the same story (story_clusters) published earlier in the same site or province
EARLIER_COPY = """select 1 from story_clusters mine
    join story_clusters other on other.cluster_id = mine.cluster_id
    join articles b on b.id = other.article_id
    where mine.article_id = a.id and b.{scope} = a.{scope}
      and (coalesce(b.published, '~'), b.id) < (coalesce(a.published, '~'), a.id)"""

# the archive's spelling of the province named :province, however it is written (exactly as
# written first): the distinct provinces are read from the index, one seek each
PROVINCE_NAMED = """with recursive provinces(name) as (
    select min(province) from articles
    union all
    select (select min(province) from articles where province > name) from provinces
    where name is not null)
  select name from provinces
  where name is not null and tintuc_province_key(name) = tintuc_province_key(:province)
  order by name = :province desc, name limit 1"""

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
        "title": "Articles matching a term, by month and site",
        "description": "How many articles mention a term each month (of publication), per "
        "site. Case and diacritics are ignored as in search (the term is folded: "
        '"phat trien" finds "phát triển"); "quoted phrases" and prefix* work; :site (empty for '
        'all) keeps one site; sites past the 15 largest are summed as "(other sites)". '
        "Counted on the narrow article_shape table, so that a word in every article stays fast.",
        # grouped on one number (month * 1e6 + site number): one sort key, then the names.
        # Sites past the 15 largest are summed into one "(other sites)" row a month, so that
        # ten years of a word in every site stay under Datasette's max_returned_rows.
        "sql": """with g as (
  select s.month * 1000000 + s.site_id as k, count(*) as articles
  from articles_fts f join article_shape s on s.id = f.rowid
  where articles_fts match tintuc_fts(:term) and s.month is not null
  group by k),
named as (
  select g.k / 1000000 as m, l.value as site, g.articles
  from g join shape_labels l on l.id = g.k % 1000000
  where coalesce(:site, '') = '' or l.value = :site),
largest as (
  select site from named group by site order by sum(articles) desc limit 15)
select printf('%04d-%02d', m / 100, m % 100) as month,
  case when site in (select site from largest) then site else '(other sites)' end as site,
  sum(articles) as articles
from named
group by m, 2
order by month, site""",
    },
    "search_ranked": {
        "title": "Search, best matches first",
        "description": "Full-text search ranked by relevance (bm25, headline weighted most).",
        "sql": f"""select articles.id, articles.title, articles.published, articles.site,
  articles.url, {export.RANK_SQL} as rank,
  tintuc_snippet(tintuc_body(articles.description, articles.text), :q) as snippet
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
    # ---- charts (tintuc.web.charts): bounded windows, so that they stay fast at scale
    "chart_articles_per_day": {
        "title": "Articles per site per day (chart)",
        "description": "Articles per site and day of publication, from :since (YYYY-MM-DD) "
        "or the last :days days (default 90) up to the newest article; :site empty for all.",
        "sql": """select substr(published, 1, 10) as day, site, count(*) as articles
from articles
where published >= coalesce(nullif(:since, ''), date(
    (select max(published) from articles where published < '3'),
    '-' || (cast(coalesce(nullif(:days, ''), 90) as integer) - 1) || ' days'))
  and (:site = '' or site = :site)
group by day, site
order by day, site""",
    },
    "related_promotion_per_month": {
        "title": "Related-link promotion per month",
        "description": "How often each site's related-news blocks point to each site's "
        "archived articles, per month of the linking article (kept counts: "
        "related_site_links), the last :months months up to the newest article (default "
        "12); the :top pairs of sites with most links (default 15); :site (empty for all) "
        "is the linking site, :other_sites = 1 leaves out links within a site.",
        "sql": """with counts as (
  select month, from_site, to_site, links from related_site_links
  where month >= strftime('%Y-%m', (select max(published) from articles where published < '3'),
      'start of month',
      '-' || (cast(coalesce(nullif(:months, ''), 12) as integer) - 1) || ' months')
    and links > 0
    and (:site = '' or from_site = :site)
    and (coalesce(:other_sites, '') in ('', '0') or from_site != to_site))
select month, from_site, to_site, links from counts
where (from_site, to_site) in (
  select from_site, to_site from counts group by from_site, to_site
  order by sum(links) desc limit cast(coalesce(nullif(:top, ''), 15) as integer))
order by month, links desc""",
    },
    # ---- Atom feeds (tintuc.web.feeds, datasette-atom): newest first, LIMIT, by index
    "feed_site": {
        "title": "Newest articles of a site (Atom feed)",
        "description": "Newest articles of :site, one copy of each syndicated story (the "
        "first the site published). Add .atom to the path for the feed.",
        "sql": f"""select {FEED_COLUMNS}
from articles a
where a.site = :site
  and not exists ({EARLIER_COPY.format(scope="site")})
order by a.published desc, a.id desc
limit {FEED_SIZE}""",
    },
    "feed_province": {
        "title": "Newest articles of a province (Atom feed)",
        "description": "Newest articles of all sites of :province, one copy of each "
        "syndicated story (the first published in the province). The name is compared as "
        'tintuc crawl --province compares it: "quang ninh" and "tỉnh Quảng Ninh" are '
        "Quảng Ninh. Add .atom for the feed.",
        # the archive's spelling of the province is looked up first (one index seek per
        # province the archive holds), so that its articles are still read newest first by
        # the (province, published) index
        "sql": f"""select {FEED_COLUMNS}
from articles a
where a.province = ({PROVINCE_NAMED})
  and not exists ({EARLIER_COPY.format(scope="province")})
order by a.published desc, a.id desc
limit {FEED_SIZE}""",
    },
    "feed_search": {
        "title": "Search, newest first (Atom feed)",
        "description": "Articles matching :q (folded as in search), newest first. Add .atom "
        "for the feed. Fast for common words: sorted among the 5,000 matches archived last "
        "(ids grow as articles are archived).",
        "sql": f"""select {FEED_COLUMNS}
from articles a
where a.id in (select rowid from articles_fts where articles_fts match escape_fts(:q)
  order by rowid desc limit 5000)
order by a.published desc, a.id desc
limit {FEED_SIZE}""",
    },
    "feed_changed": {
        "title": "Changed and removed articles (Atom feed)",
        "description": "Articles whose text changed (one entry per earlier version, with the "
        "share of words changed since) or whose page was removed, newest first; :site empty "
        "for all sites. Add .atom for the feed.",
        "sql": f"""select * from (
  select a.url || '#version-' || v.id as atom_id,
    'Changed: ' || coalesce(a.title, a.url) as atom_title,
    coalesce(tintuc_atom_time(v.replaced), tintuc_atom_time(a.last_seen)) as atom_updated,
    'articles/' || a.id as atom_link,
    cast(round(100 * tintuc_changed_share(v.text, a.text)) as integer)
      || '% of the words changed since the version replaced at ' || v.replaced
      || '. Was: ' || coalesce(v.title, '') as atom_content,
    a.site as atom_author_name, a.id, a.site, 'changed' as change, v.replaced as time
  from article_versions v join articles a on a.id = v.article_id
  where (:site = '' or a.site = :site)
  order by v.replaced desc limit {FEED_SIZE})
union all
select * from (
  select a.url || '#removed' as atom_id,
    'Removed: ' || coalesce(a.title, a.url) as atom_title,
    coalesce(tintuc_atom_time(a.removed), tintuc_atom_time(a.last_seen)) as atom_updated,
    'articles/' || a.id as atom_link,
    'Removed from the site: ' || coalesce(a.removed_reason, 'gone') as atom_content,
    a.site as atom_author_name, a.id, a.site, 'removed' as change, a.removed as time
  from articles a
  where a.removed is not null and (:site = '' or a.site = :site)
  order by a.removed desc limit {FEED_SIZE})
order by time desc
limit {FEED_SIZE}""",
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
