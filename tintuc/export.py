"""Search queries and streaming export of articles (CSV, JSON Lines, JSON), any size.

One module for what the command line (``tintuc export``) and the Datasette plugin share:

- :func:`parse_query` / :func:`fts_query` turn what a reader types ("Đà Nẵng", ``"liên kết
  vùng"``, ``hạ lo*``, an unbalanced quote …) into a *folded*, always-valid FTS5 query for the
  folded ``articles_fts`` index;
- :func:`snippet_html` / :func:`highlight_html` cut and highlight the *original* text around
  the folded matches, HTML-escaped;
- :func:`build_query` / :func:`iter_rows` / :func:`csv_chunks` stream the selected rows from
  one read transaction, in batches, so memory stays constant whatever the archive's size.
"""

from __future__ import annotations

import datetime
import html
import itertools
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from pipelines.text import fold

# columns added later go last (removed, removed_reason; part_of, part: page N of a story split
# over pages; language: a story's copy in English is told from the Vietnamese one): spreadsheets
# made from earlier exports keep their columns
EXPORT_COLUMNS = (
    "title", "published", "site", "url", "author", "description", "text",
    "removed", "removed_reason", "part_of", "part", "language",
)  # fmt: skip
BM25_WEIGHTS = (10.0, 3.0, 1.0)  # title, description, text
RANK_SQL = "bm25(articles_fts, {}, {}, {})".format(*BM25_WEIGHTS)
BATCH_ROWS = 100
CHUNK_CHARS = 64 * 1024


class ExportError(ValueError):
    """A bad filter (date, query, site) given to an export."""


def check_site(conn: sqlite3.Connection, site: str | None) -> None:
    """:class:`ExportError` if ``site`` is given and the archive does not know it (as
    ``tintuc reextract`` and ``tintuc wacz`` say): an export of it would be silently empty."""
    from pipelines.archive.store import site_in_archive  # sqlite-utils, numpy: only here

    if site and not site_in_archive(conn, site):
        raise ExportError(f"unknown site {site!r} (not in this archive)")


@dataclass(frozen=True)
class Term:
    """One search term: a word or a phrase (folded words), optionally a prefix.

    ``either`` joins it to the term before it with OR; an ``excluded`` term must not appear.
    """

    words: tuple[str, ...]
    prefix: bool = False
    either: bool = False
    excluded: bool = False

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"(\*?)|(\S+)')
_WORD_RE = re.compile(r"\w+")
# written in capitals, as in FTS5 and web search engines; "-word" excludes as NOT word does
OPERATORS = {"AND", "OR", "NOT"}


def parse_query(text: str | None) -> list[Term]:
    """Split a reader's query into folded terms: words, "phrases" and prefix* words, with
    ``OR`` between two terms, ``NOT term`` or ``-term`` to exclude one (``AND`` is implied).

    An unbalanced quote is closed at the end; other punctuation and operators out of place
    (a query of exclusions alone, a trailing OR) are plain text or dropped, so no input can
    make the query invalid.
    """
    return list(_parsed_query(text or ""))


def searched_terms(text: str | None) -> list[Term]:
    """The terms a match contains (not the excluded ones): what is highlighted."""
    return [t for t in parse_query(text) if not t.excluded]


@lru_cache(maxsize=256)  # a results page highlights the same query in every row
def _parsed_query(text: str) -> tuple[Term, ...]:
    if text.count('"') % 2:
        text += '"'
    terms: list[Term] = []
    operator = ""
    for dash, phrase, phrase_star, word in _TOKEN_RE.findall(text):
        if word in OPERATORS:
            operator = word
            continue
        excluded = operator == "NOT" or bool(dash) or (word.startswith("-") and len(word) > 1)
        if word:
            prefix = word.endswith("*")
            words = _WORD_RE.findall(fold(word))
        else:
            prefix, words = bool(phrase_star), _WORD_RE.findall(fold(phrase))
        if words:
            # "covid-19" is one term (a phrase of its parts), as FTS5 would tokenize it
            either = operator == "OR" and bool(terms) and not excluded
            term = Term(tuple(words), prefix, either, excluded)
            # a term asked for twice asks for nothing more, but FTS5 would match and weigh it
            # twice over every article (a word pasted 20 times: a 15 s export at 10,000)
            if either or term not in terms or any(t.either for t in terms):
                terms.append(term)
        operator = ""
    if all(t.excluded for t in terms):  # nothing to exclude from: the words themselves
        terms = [Term(t.words, t.prefix) for t in terms]
    return tuple(terms)


def fts_query(text: str | None) -> str:
    """A folded FTS5 MATCH expression for ``text``: all terms must match (AND), but those
    joined by OR, and none of the excluded ones.

    Returns ``'""'`` (valid, matches nothing) when nothing searchable is left.
    """
    groups: list[list[str]] = []
    excluded = []
    for term in parse_query(text):
        if term.excluded:
            excluded.append(term.fts())
        elif term.either and groups:
            groups[-1].append(term.fts())
        else:
            groups.append([term.fts()])
    if not groups:
        return '""'
    if len(groups) == len(parse_query(text)):  # words and phrases alone: implicit AND
        return " ".join(g[0] for g in groups)
    # FTS5 takes no implicit AND next to a parenthesis
    wanted = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    return wanted + "".join(" NOT " + t for t in excluded)


_RAW_OPERATOR_RE = re.compile(r"\b(AND|OR|NOT|NEAR)\b")


def fold_raw_fts(query: str) -> str:
    """An FTS5 query written by hand (Datasette's ``_searchmode=raw``) folded like the index
    is, its operators kept in capitals: "Đà Nẵng OR Huế" -> "da nang OR hue"."""
    parts = _RAW_OPERATOR_RE.split(query)
    return "".join(part if k % 2 else fold(part) for k, part in enumerate(parts))


def _term_pattern(term: Term) -> str:
    body = r"\W+".join(re.escape(w) for w in term.words)
    return r"(?<!\w)" + body + (r"\w*" if term.prefix else r"(?!\w)")


_CHAR_FOLD: dict[int, str] = {}  # ord(char) -> fold(char), filled as characters are seen


def _fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text`` character by character, remembering where each folded char came from.

    Each distinct character is folded once (cached); the text is then folded in one
    ``str.translate``. When every character folds to exactly one character (all Vietnamese
    text does) the map is the identity and ``None`` is returned for it.
    """
    table = _CHAR_FOLD
    chars = set(text)
    for ch in chars:
        if ord(ch) not in table:
            table[ord(ch)] = ch.lower() if ch.isascii() else fold(ch)
    folded = text.translate(table)
    if all(len(table[ord(c)]) == 1 for c in chars):
        return folded, None
    where: list[int] = []
    for i, ch in enumerate(text):
        where.extend([i] * len(table[ord(ch)]))
    return folded, where


@lru_cache(maxsize=256)
def _terms_pattern(terms: tuple[Term, ...]) -> re.Pattern:
    return re.compile("|".join(_term_pattern(t) for t in terms))


def _match_spans(
    text: str,
    terms: list[Term],
    limit: int | None = None,
    window: Callable[[int], tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Spans of ``text`` (original offsets) whose folded form matches one of ``terms``.

    With ``window`` (first match offset -> (start, end)): the first match, then only those in
    the window it gives (a snippet needs no more: a common word matches hundreds of times in
    a long article).
    """
    if not text or not terms:
        return []
    source = text if limit is None else text[:limit]
    folded, where = _fold_with_map(source)
    pattern = _terms_pattern(tuple(terms))
    if window is not None and where is None:  # folded offsets are the original ones
        first = pattern.search(folded)
        if first is None:
            return []
        start, end = window(first.start())
        found = [first] if first.start() < start else []
        found += pattern.finditer(folded, start, end)
        return [(m.start(), m.end()) for m in found if m.end() > m.start()]
    spans = []
    for m in pattern.finditer(folded):
        if m.end() > m.start():
            if where is None:
                spans.append((m.start(), m.end()))
            else:
                spans.append((where[m.start()], where[m.end() - 1] + 1))
    return spans


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    parts, pos = [], start
    for s, e in spans:
        if e <= start or s >= end or s < pos:
            continue
        parts.append(html.escape(text[pos:s]))
        parts.append("<mark>" + html.escape(text[s : min(e, end)]) + "</mark>")
        pos = min(e, end)
    parts.append(html.escape(text[pos:end]))
    return "".join(parts)


def highlight_html(text: str | None, query: str | None) -> str:
    """``text`` HTML-escaped with every (folded) match of ``query`` in ``<mark>``."""
    if not text:
        return ""
    return _marked(text, _match_spans(text, searched_terms(query)), 0, len(text))


def snippet_html(text: str | None, query: str | None, width: int = 240) -> str:
    """About ``width`` characters of ``text`` around the first match, escaped, matches marked.

    Matching ignores case and diacritics the way the search index does, so "da nang" marks
    "Đà Nẵng" in the original text.
    """
    text = (text or "").strip()
    if not text:
        return ""

    def around(first: int) -> tuple[int, int]:
        start = max(0, min(first - width // 3, len(text) - width))  # use the whole width
        if start:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", max(first, start + width // 2), end)
            end = space if space != -1 else end
        return start, end

    spans = _match_spans(text, searched_terms(query), limit=200_000, window=around)
    start, end = around(spans[0][0] if spans else 0)
    return (
        ("… " if start else "")
        + _marked(text, spans, start, end).replace("\n", " ")
        + (" …" if end < len(text) else "")
    )


def _check_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ExportError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _filters(site: str | None, since: str | None, until: str | None) -> tuple[list, list]:
    where, params = [], []
    if site:
        where.append("articles.site = ?")
        params.append(site)
    if since:
        where.append("substr(articles.published, 1, 10) >= ?")
        params.append(_check_date(since))
    if until:
        where.append("substr(articles.published, 1, 10) <= ?")
        params.append(_check_date(until))
    return where, params


def count_query(
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    query: str | None = None,
) -> tuple[str, list]:
    """SQL and parameters counting the rows :func:`build_query` selects, without ranking or
    sorting them (a search alone is counted in the index)."""
    where, params = _filters(site, since, until)
    if query is not None and query.strip():
        if not parse_query(query):
            raise ExportError(f"nothing to search for in {query!r}")
        sql = "SELECT count(*) FROM articles_fts"
        if where:
            sql += " JOIN articles ON articles.id = articles_fts.rowid"
        sql += " WHERE articles_fts MATCH ?" + "".join(f" AND {w}" for w in where)
        return sql, [fts_query(query), *params]
    sql = "SELECT count(*) FROM articles"
    return sql + (" WHERE " + " AND ".join(where) if where else ""), params


def build_query(
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    query: str | None = None,
    order: str | None = None,
    columns: Iterable[str] = EXPORT_COLUMNS,
    missing: Iterable[str] = (),
) -> tuple[str, list]:
    """SQL and parameters selecting the export's rows.

    ``order`` is ``"rank"`` (best match first; the default when searching) or ``"newest"``
    (the default otherwise). ``missing`` columns (the archive predates them) are selected empty.
    """
    missing = set(missing)
    select = ", ".join("NULL" if c in missing else f"articles.{c}" for c in columns)
    where, params = _filters(site, since, until)
    if order not in (None, "rank", "newest"):
        raise ExportError(f"order must be rank or newest, not {order!r}")
    if query is not None and query.strip():
        if not parse_query(query):
            raise ExportError(f"nothing to search for in {query!r}")
        # the matches' ids are put in order first (a few bytes each), then the wide rows are
        # read in that order: sorting whole rows would spill every matching text to temporary
        # files before the first row is written (2-3x slower). "LIMIT -1" (no limit) keeps
        # SQLite from dropping the ORDER BY of a subquery whose order the outer query ignores.
        order = order or "rank"
        key = RANK_SQL if order == "rank" else "articles.published"
        direction = "" if order == "rank" else " DESC"
        picked = (
            f"WITH picked AS MATERIALIZED (SELECT articles_fts.rowid AS id, {key} AS key"
            " FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ?"
            + "".join(f" AND {w}" for w in where)
            + f" ORDER BY key{direction}, id{direction} LIMIT -1)"
        )
        if order == "rank" and not where:  # the rank needs no column of articles
            picked = picked.replace(" JOIN articles ON articles.id = articles_fts.rowid", "", 1)
        params.insert(0, fts_query(query))
        # CROSS JOIN: SQLite keeps the left table outer, read in the order it was written
        return (
            f"{picked} SELECT {select} FROM picked CROSS JOIN articles ON articles.id = picked.id",
            params,
        )
    else:
        sql = f"SELECT {select} FROM articles"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        if order == "rank":
            order = "newest"
    if order == "rank":
        sql += f" ORDER BY {RANK_SQL}, articles.id"
    else:
        sql += " ORDER BY articles.published DESC, articles.id DESC"
    return sql, params


def connect_readonly(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection that waits for a crawl's short write locks instead of failing."""
    path = Path(db_path)
    if not path.exists():
        raise ExportError(f"no archive at {db_path}")
    from pipelines.archive.schema import readonly_connection  # sqlite-utils: only here

    conn = readonly_connection(path)
    conn.create_function("fold", 1, fold, deterministic=True)
    return conn


def iter_rows(conn: sqlite3.Connection, sql: str, params: list) -> Iterator[tuple]:
    """Rows of ``sql`` fetched a batch at a time (never the whole result in memory)."""
    try:
        cursor = conn.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "MATCH" in str(exc):
            raise ExportError(f"bad search query: {exc}") from None
        raise
    while batch := cursor.fetchmany(BATCH_ROWS):
        yield from batch


def csv_field(value) -> str:
    """One CSV field as :mod:`csv`'s writer writes it (``QUOTE_MINIMAL``, CRLF lines), ten
    times faster on long texts: the writer looks at every character in Python's C loop."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_chunks(
    rows: Iterable[tuple], header: Iterable[str] = EXPORT_COLUMNS, *, bom: bool = True
) -> Iterator[str]:
    """CSV text in chunks of about 64 KB: optional UTF-8 BOM, header, then ``rows``."""
    lines = ["\ufeff"] if bom else []
    size = 0
    for row in itertools.chain([tuple(header)], rows):
        line = ",".join(map(csv_field, row)) if len(row) != 1 else _single_field(row[0])
        lines.append(line + "\r\n")
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(lines)
            lines, size = [], 0
    yield "".join(lines)


def _single_field(value) -> str:
    # csv writes a lone empty field as "" (an empty line would read back as no field at all)
    return csv_field(value) or '""'


def export_articles(
    db_path: str | Path, out: TextIO, *, fmt: str = "csv", bom: bool = True, **filters
) -> int:
    """Write the selected articles to ``out`` row by row; return how many were written.

    Reads in one transaction (a consistent snapshot even while a crawl writes) and in batches.
    """
    if fmt not in ("csv", "jsonl", "json"):
        raise ExportError(f"format must be csv, jsonl or json, not {fmt!r}")
    conn = connect_readonly(db_path)
    count = 0

    def counted(rows: Iterable[tuple]) -> Iterator[tuple]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    try:
        conn.execute("BEGIN")
        check_site(conn, filters.get("site"))
        # an archive no tintuc of today has opened (a read-only backup) lacks later columns
        present = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        sql, params = build_query(missing=set(EXPORT_COLUMNS) - present, **filters)
        rows = counted(iter_rows(conn, sql, params))
        if fmt == "csv":
            for chunk in csv_chunks(rows, bom=bom):
                out.write(chunk)
        else:
            if fmt == "json":
                out.write("[")
            for row in rows:
                record = json.dumps(dict(zip(EXPORT_COLUMNS, row, strict=True)), ensure_ascii=False)
                if fmt == "json":
                    out.write(("," if count > 1 else "") + "\n" + record)
                else:
                    out.write(record + "\n")
            if fmt == "json":
                out.write("\n]\n" if count else "]\n")
    finally:
        conn.close()
    return count


GRAPH_FORMATS = ("graphml", "gexf")


def export_graph(db_path: str | Path, out, *, fmt: str = "graphml", **filters) -> tuple[int, int]:
    """Write the related-link graph to the binary file ``out`` as GraphML or GEXF (networkx's
    writers, read by Gephi and networkx); return (nodes, edges).

    Nodes are the selected articles (``filters`` as for :func:`build_query`, ``query`` and
    ``order`` aside), keyed by URL, with title, site, published, removed and removed_reason
    ("" when still online) and ``archived`` = True; the pages their related blocks link to are
    nodes too (from other sites and periods, or not archived: then titled with the link's
    anchor, ``archived`` False). Edges are the links, with block and position.
    """
    import networkx as nx  # imported here: only this export needs it

    if fmt not in GRAPH_FORMATS:
        raise ExportError(f"graph format must be graphml or gexf, not {fmt!r}")
    columns = ("url", "title", "site", "published", "removed", "removed_reason")
    sql, params = build_query(columns=columns, **filters)
    conn = connect_readonly(db_path)
    graph = nx.DiGraph()
    try:
        conn.execute("BEGIN")
        check_site(conn, filters.get("site"))
        for url, title, site, published, removed, reason in iter_rows(conn, sql, params):
            graph.add_node(url, title=title or "", site=site or "", published=published or "",
                           removed=removed or "", removed_reason=reason or "",
                           archived=True)  # fmt: skip
        selected = list(graph.nodes)
        for start in range(0, len(selected), 500):  # SQLite's bound-parameter limit
            batch = selected[start : start + 500]
            rows = conn.execute(
                f"""SELECT r.from_url, r.to_url, r.block, r.position, r.anchor,
                           a.title, a.site, a.published, a.removed, a.removed_reason,
                           a.id IS NOT NULL
                    FROM related_links r LEFT JOIN articles a ON a.url = r.to_url
                    WHERE r.from_url IN ({", ".join("?" for _ in batch)})""",
                batch,
            )
            for (from_url, to_url, block, position, anchor, title, site, published, removed,
                 reason, known) in rows:  # fmt: skip
                if to_url not in graph:
                    graph.add_node(to_url, title=(title if known else anchor) or "",
                                   site=site or "", published=published or "",
                                   removed=removed or "", removed_reason=reason or "",
                                   archived=bool(known))  # fmt: skip
                graph.add_edge(from_url, to_url, block=block or "",
                               position=-1 if position is None else position)  # fmt: skip
    finally:
        conn.close()
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    else:
        nx.write_gexf(graph, out)
    return graph.number_of_nodes(), graph.number_of_edges()
