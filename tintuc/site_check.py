"""``tintuc sites check``: what a small, polite sample of a site says about how to crawl it.

It runs the crawl itself (the same spider, politeness, robots.txt, discovery and article
detection as ``tintuc crawl``) into a temporary archive, stopped after ``max_pages`` responses
and breadth first, so the sample holds the home page, what it links to, and their links. Then
it reads what the crawl kept (articles, captures and their WARC bodies) and reports: feeds,
sitemaps, listing pages and their pager, the article URL pattern learned from the articles
found, a sample of articles, and the pages that are neither. From that it can write a site
profile (``crawler/sites.toml`` format).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from crawler.discovery import feed_links, find_pager, robots_sitemaps
from crawler.sites import SiteProfile, generic_profile, get_site, host_allowed
from crawler.spiders.news import page_links
from crawler.urls import site_host
from pipelines.archive.captures import warc_path
from pipelines.archive.schema import open_archive
from pipelines.archive.warc import read_record
from tintuc.crawl import crawl_settings, run_crawl
from tintuc.plural import plural

MAX_PAGES = 30
# a breadth-first sample (Scrapy's DepthMiddleware lowers the priority of deeper requests),
# and few requests in flight so the crawl stops close to MAX_PAGES
SAMPLE_SETTINGS = {
    "DEPTH_PRIORITY": "100",
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
    "CONCURRENT_REQUESTS": "4",
    "TINTUC_INCREMENTAL": "False",
    "TINTUC_PROGRESS": "False",
}
NAVIGATION_SHARE = 0.8  # linked from this share of the sampled pages: the site's menu
MIN_TEASERS = 2  # a page linking this many sampled articles is a listing


@dataclass
class SampleArticle:
    url: str
    title: str
    published: str | None
    body_chars: int
    related: int
    document: bool = False  # a PDF or office file, whose date is seldom on the page


@dataclass
class SiteReport:
    target: str
    profile: SiteProfile
    pages: int = 0
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    pager: list[str] = field(default_factory=list)  # how the listings page on
    listing_patterns: list[str] = field(default_factory=list)
    article_patterns: list[str] = field(default_factory=list)
    articles: list[SampleArticle] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)  # (url, why), not classified
    warnings: list[str] = field(default_factory=list)
    first_error: str | None = None  # "URL: error" of the crawl's first error

    @property
    def problems(self) -> list[str]:
        """Why the check fails: nothing answered, no article, or articles without a date."""
        if not self.pages:  # as a crawl that fetched nothing is recorded `failed`
            why = f": {self.first_error}" if self.first_error else ""
            return [f"nothing answered (the site is down or the address is wrong){why}"]
        if not self.articles:
            return ["no article found in the sample"]
        if not self.article_patterns:
            return ["no article URL pattern learned from the pages taken for articles"]
        undated = [a.url for a in self.articles if not a.published and not a.document]
        if undated:
            return [f"{len(undated)} of {len(self.articles)} articles have no date, e.g. "
                    f"{undated[0]}"]  # fmt: skip
        return []


def some_of(urls: list[str], shown: int = 3) -> str:
    """The first ``shown`` URLs, and how many more there are: "a, b, c and 2 more"."""
    more = f" and {len(urls) - shown} more" if len(urls) > shown else ""
    return ", ".join(urls[:shown]) + more


def check_site(
    target: str,
    *,
    sites_file: str | None = None,
    max_pages: int = MAX_PAGES,
    overrides: dict[str, str] | None = None,
) -> SiteReport:
    """Crawl a sample of ``target`` (a registered site id or an http(s) URL) into a temporary
    archive and report what it found. Raises :class:`crawler.sites.SiteError` for an unknown
    site, :class:`tintuc.crawl.CrawlSetupError` for bad settings."""
    is_url = target.startswith(("http://", "https://"))
    profile = generic_profile(target) if is_url else get_site(target, sites_file)
    with tempfile.TemporaryDirectory(prefix="tintuc-site-check-") as tmp:
        db_path = str(Path(tmp) / "sample.db")
        settings = crawl_settings(db_path, max_pages, {**SAMPLE_SETTINGS, **(overrides or {})},
                                  sites_file, profile.start_urls)  # fmt: skip
        open_archive(db_path).close()
        run_crawl(settings, None if is_url else target, target if is_url else None)
        return read_sample(db_path, target, profile)


# --------------------------------------------------------------------------- reading


def read_sample(db_path: str, target: str, profile: SiteProfile) -> SiteReport:
    """The report of a sample crawl kept in the archive at ``db_path``."""
    db = open_archive(db_path, readonly=True)
    db_dir = Path(db_path).parent
    try:
        columns = db["captures"].columns_dict
        kind_sql = ", page_kind, page_reason" if "page_kind" in columns else ""
        captures = list(db.query(
            "SELECT id, url, final_url, status, content_type, warc_file, warc_offset"
            f"{kind_sql} FROM captures WHERE warc_file IS NOT NULL ORDER BY id"
        ))  # fmt: skip
        stored = list(db.query(
            "SELECT url, title, published, length(coalesce(text, '')) AS chars, "
            "(SELECT count(*) FROM related_links r WHERE r.from_url = a.url) AS related, "
            "(SELECT c.content_type FROM captures c WHERE c.id = a.capture_id) AS content_type "
            "FROM articles a ORDER BY published DESC"
        ))  # fmt: skip
        pages = db.execute("SELECT coalesce(max(pages), 0) FROM crawls").fetchone()[0]
        first_error = db.execute(
            "SELECT url || ': ' || coalesce(error, 'HTTP ' || status) FROM crawl_errors ORDER BY id"
        ).fetchone()
    finally:
        db.close()
    report = SiteReport(target, profile, pages=pages, first_error=first_error and first_error[0])
    report.articles = [SampleArticle(r["url"], r["title"] or "", r["published"], r["chars"],
                                     r["related"], "html" not in (r["content_type"] or "html"))
                       for r in stored]  # fmt: skip
    # notices whose content is an attached PDF show no date: said, not a failed check
    undated_documents = [a.url for a in report.articles if a.document and not a.published]
    if undated_documents:
        report.warnings.append(
            f"{plural(len(undated_documents), 'document')} (PDF or office files) without a "
            f"date: {some_of(undated_documents)}; they are kept with no date"
        )
    article_urls = {a.url for a in report.articles}
    bodies = {}
    for capture in captures:
        try:
            record = read_record(warc_path(db_dir, capture["warc_file"]), capture["warc_offset"])
            bodies[capture["id"]] = record.content
        except Exception:  # noqa: BLE001 - a capture that cannot be read is left out
            continue
    html_pages = []
    for capture in captures:
        body = bodies.get(capture["id"], b"")
        url = capture["final_url"] or capture["url"]
        ctype = (capture["content_type"] or "").lower()
        head = body[:400].lstrip().lower()
        if url.endswith("/robots.txt"):
            report.sitemaps += robots_sitemaps(body, url)
        elif b"<urlset" in head or b"<sitemapindex" in head:
            report.sitemaps.append(url)
        elif b"<rss" in head or b"<feed" in head or "rss" in ctype or "atom" in ctype:
            report.feeds.append(url)
        elif "html" in ctype and capture["status"] == 200:
            html_pages.append((capture, url, body))
            report.feeds += feed_links(body, url)
    report.feeds = list(dict.fromkeys(report.feeds))
    report.sitemaps = list(dict.fromkeys(report.sitemaps))
    linked = defaultdict(int)  # how many sampled pages link each URL
    for _, url, body in html_pages:
        for link in set(page_links(body, url)):
            linked[link] += 1
    everywhere = NAVIGATION_SHARE * len(html_pages)
    in_menu = {u for u, n in linked.items() if len(html_pages) >= 5 and n >= everywhere}
    seen_listings: set[str] = set()
    pager_links: list[str] = []
    for capture, url, body in html_pages:
        if url in article_urls:
            continue
        links = page_links(body, url)
        kind = capture.get("page_kind")
        teasers = sum(1 for link in links if link in article_urls)
        # a section page the menu links ("/van-hoa/", two teasers the extractor takes for too
        # few) is a listing: a profile without it never reaches that section
        section_page = url in in_menu and any(
            section_of(link) == section_of(url) != "" for link in links if link in article_urls)
        if kind == "listing" or (kind is None and teasers >= MIN_TEASERS) or section_page:
            if url not in seen_listings:
                seen_listings.add(url)
                report.listings.append(url)
            report.pager += describe_pager(body, url, links, pager_links)
        elif url not in seen_listings:
            report.other.append((url, capture.get("page_reason") or "neither article nor listing"))
    # articles are not in the site-wide menu: a page linked from (nearly) every sampled page
    # and taken for an article is more likely "Giới thiệu" or "Liên hệ" than news
    menu = article_urls & in_menu
    # a box on every page ("Tin đọc nhiều") links news too: a menu-linked page under a section
    # that holds other sampled articles or a listing is learned from, so its section stays in
    sections = {section_of(u) for u in [*(article_urls - menu), *report.listings]}
    menu = {u for u in menu if not (section_of(u) and section_of(u) in sections)}
    if menu:
        report.warnings.append(
            f"{plural(len(menu), 'page')} taken for articles {'is' if len(menu) == 1 else 'are'} "
            f"linked from nearly every page, as a menu or a 'latest news' box links them: "
            f"{some_of(sorted(menu))}. Their URLs are left out of the article patterns; check "
            "that they are news"
        )
    report.article_patterns, odd = article_patterns(sorted(article_urls - menu))
    if odd:
        report.warnings.append(
            f"{plural(len(odd), 'article URL')} of a rarer shape: {some_of(odd)}"
        )
    # a pattern that also matches a sampled page that is not an article would store it: left
    # out of the profile (its "articles" are likely misjudged pages), and said
    not_articles = [url for _, url, _ in html_pages if url not in article_urls]
    for pattern in list(report.article_patterns):
        wrong = [u for u in not_articles if re.search(pattern, u)]
        if wrong:
            report.article_patterns.remove(pattern)
            report.warnings.append(
                f"left out the article pattern {pattern}: it also matches {len(wrong)} "
                f"page(s) that are not articles, e.g. {wrong[0]}"
            )
    report.listing_patterns = listing_patterns(report.listings + pager_links)
    return report


def describe_pager(body: bytes, url: str, links: list[str], pager_links: list[str]) -> list[str]:
    """How a listing pages on (the spider's own pager finder), in words; its page links are
    added to ``pager_links``."""
    pager = find_pager(body, url, links)
    pager_links += pager.links
    if pager.postbacks:
        example = pager.postbacks[0]
        return [f"ASP.NET postback pager on {url}: __doPostBack('{example.target}', …)"]
    if len(pager.links) == 1:
        return [f"next-page link only on {url}: {pager.links[0]}"]
    if pager.links:
        return [f"numbered pager on {url}: {len(pager.links)} page links, e.g. {pager.links[0]}"]
    return []


# --------------------------------------------------------------------------- URL shapes


def _split(url: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Path segments and query pairs, as written in the URL (still percent-encoded)."""
    parts = urlsplit(url)
    query = [pair.partition("=")[::2] for pair in parts.query.split("&") if pair]
    return parts.path.split("/")[1:], query


def _cut_prefix(values: list[str]) -> str:
    """The common prefix, cut back to its last separator (so "tb-12", "tb-13" give "tb-")."""
    prefix = values[0]
    for v in values[1:]:
        while not v.startswith(prefix):
            prefix = prefix[:-1]
    if all(len(v) > len(prefix) and v[len(prefix)].isalnum() for v in values):
        prefix = re.sub(r"[A-Za-z0-9]+$", "", prefix)
    return prefix


def _cut_suffix(values: list[str]) -> str:
    return _cut_prefix([v[::-1] for v in values])[::-1]


def generalise(values: list[str], any_text: str, digits_always: bool = False) -> str:
    """A regex for one URL part (a path segment or a query value) from the sampled values; an
    empty value among others (``/chuyen-muc/kinh-te/`` beside ``…/kinh-te/trang-2.html``)
    makes the part optional."""
    filled = [v for v in values if v]
    if filled and len(filled) < len(values):
        return f"(?:{generalise(filled, any_text, digits_always)})?"
    if all(v.isdigit() for v in values):
        return r"\d+"
    if len(set(values)) == 1:
        literal = re.escape(values[0])
        return re.sub(r"\d+", r"\\d+", literal) if digits_always else literal
    prefix = _cut_prefix(values)
    suffix = _cut_suffix([v[len(prefix) :] for v in values])
    middles = [v[len(prefix) : len(v) - len(suffix)] for v in values]
    middle = r"\d+" if all(m.isdigit() for m in middles) else any_text
    return re.escape(prefix) + middle + re.escape(suffix)


def shape_key(url: str) -> tuple:
    """URLs with the same key get one pattern: same first folder, depth and query names."""
    segments, query = _split(url)
    first = segments[0] if len(segments) > 1 else ""
    return first, len(segments), tuple(k for k, _ in query)


def url_pattern(urls: list[str], digits_always: bool = False) -> str:
    """One regex (searched in a full URL, any host) matching every URL of one shape."""
    split = [_split(u) for u in urls]
    path = "/".join(generalise(list(col), "[^/]+", digits_always)
                    for col in zip(*(s for s, _ in split), strict=True))  # fmt: skip
    query = ""
    if split[0][1]:
        names = [k for k, _ in split[0][1]]
        values = zip(*([v for _, v in q] for _, q in split), strict=True)
        query = r"\?" + "&".join(f"{re.escape(k)}={generalise(list(vs), '[^&]+', digits_always)}"
                                 for k, vs in zip(names, values, strict=True))  # fmt: skip
    return rf"^https?://[^/]+/{path}{query}$"


def section_of(url: str) -> str:
    """The URL's first folder ("kinh-te" of ``/kinh-te/slug-12.html``), "" for none."""
    return shape_key(url)[0]


def article_patterns(urls: list[str]) -> tuple[list[str], list[str]]:
    """Patterns for the article URLs, one per common shape; and the URLs of rare shapes. A
    section the sample met once (``/van-hoa/slug-7.html`` beside two ``/kinh-te/…``) is
    added to the pattern whose shape its URL has in every part but the section."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for url in urls:
        groups[shape_key(url)].append(url)
    common = [m for m in groups.values() if len(m) >= 2 or len(groups) == 1]
    odd = [u for m in groups.values() if m not in common for u in m]
    patterns = []
    for members in sorted(common, key=len, reverse=True):
        pattern, section = url_pattern(members), section_of(members[0])
        head = r"^https?://[^/]+/" + re.escape(section) + "/"
        known = section and pattern.startswith(head)  # a section of digits is generalised
        joined = [u for u in odd if known and section_of(u) and re.search(
            pattern, u.replace(f"/{section_of(u)}/", f"/{section}/", 1))]  # fmt: skip
        if joined:
            odd = [u for u in odd if u not in joined]
            names = sorted({section, *map(section_of, joined)})
            pattern = (r"^https?://[^/]+/(?:" + "|".join(map(re.escape, names)) + ")/"
                       + pattern[len(head):])  # fmt: skip
        patterns.append(pattern)
    return patterns, odd


# a search's words in a URL: one search the sample ran into, no listing to crawl again
SEARCH_KEYS = frozenset({"q", "s", "k", "keyword", "keywords", "tukhoa", "search", "query"})


def listing_patterns(urls: list[str]) -> list[str]:
    """Patterns for listing and pager URLs (page numbers generalised); the home page first.
    Search results (``?q=…``, WordPress ``?s=…``) are left out."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        parts = urlsplit(url)
        if any(k.lower() in SEARCH_KEYS for k, _ in parse_qsl(parts.query)):
            continue
        if parts.path not in ("", "/") or parts.query:
            groups[shape_key(url)].append(url)
    found = [url_pattern(members, digits_always=True) for members in groups.values()]
    return list(dict.fromkeys([r"^https?://[^/]+/$", *found]))


# --------------------------------------------------------------------------- output


def report_lines(report: SiteReport) -> list[str]:
    """The report for the terminal."""
    lines = [f"site check of {report.target}: {plural(report.pages, 'page')} fetched"]

    def section(title: str, items: list[str], empty: str = "none found") -> None:
        lines.append(f"{title}:")
        lines.extend(f"  {i}" for i in items) if items else lines.append(f"  ({empty})")

    section("feeds", report.feeds)
    section("sitemaps", report.sitemaps)
    section("listing pages", report.listings[:10])
    section("pager", list(dict.fromkeys(report.pager))[:5])
    section("listing URL patterns", report.listing_patterns)
    section("article URL patterns", report.article_patterns)
    lines.append(f"sample articles ({len(report.articles)}):")
    if report.articles:
        lines.append(f"  {'date':25} {'chars':>6} {'related':>7}  title / URL")
        for a in report.articles[:20]:
            lines.append(f"  {a.published or '(no date)':25} {a.body_chars:6} {a.related:7}  "
                         f"{a.title[:70]}")  # fmt: skip
            lines.append(f"  {'':25} {'':6} {'':7}  {a.url}")
    section("pages neither article nor listing", [f"{u}  ({why})" for u, why in report.other])
    lines += [f"warning: {w}" for w in report.warnings]
    lines += [f"problem: {p}" for p in report.problems]
    return lines


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def profile_toml(report: SiteReport, site_id: str | None = None) -> str:
    """The learned profile as a ``[sites.<id>]`` table (the ``--sites FILE`` format)."""
    p = report.profile

    def on_site(urls: list[str]) -> list[str]:  # a crawl leaves the others unfetched, and a
        # profile naming one is refused (crawler.sites.profile_from_dict)
        return [u for u in dict.fromkeys(urls) if host_allowed(site_host(u), p.domains())]

    table = {
        "name": p.name,
        "province": p.province or "chưa rõ",
        "kind": p.kind,
        "start_urls": p.start_urls,
        "feeds": on_site([*p.feeds, *report.feeds]),
        "sitemaps": on_site([*p.sitemaps, *report.sitemaps]),
        "article_patterns": report.article_patterns,
        "listing_patterns": report.listing_patterns,
        "selectors": p.selectors,
        "politeness": p.politeness,
        "checked_live": False,
    }
    if "source" in SiteProfile.__dataclass_fields__:  # where the rules came from
        table["source"] = p.source or f"tintuc sites check {report.target}"
    lines = [f"# learned by `tintuc sites check {report.target}` from "
             f"{plural(report.pages, 'page')}; check the province and kind",
             f"[sites.{json.dumps(site_id or p.id)}]"]  # fmt: skip
    lines += [f"{k} = {_toml(v)}" for k, v in table.items() if v or k == "checked_live"]
    return "\n".join(lines) + "\n"
