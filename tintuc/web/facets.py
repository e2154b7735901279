"""Year and Month facets on ISO date columns, and the shape of any search.

Year and Month facets (``{"year": "published"}`` in the metadata) count the first 4 (year) or
7 (year-month) characters of the column, and filter with ``<column>__startswith=``. On
databases that are not tintuc archives they answer nothing, as if they were not installed.

The shape of a search (:func:`search_shape`, ``/-/tintuc/shape/<db>.json?_search=…``): how
many articles match per site, per province and per year, with the total, read from the narrow
``article_shape`` table (never the wide ``articles`` rows). Exact up to
:data:`SHAPE_EXACT_CAP` matches; above, estimated from the matches among a fixed number of
article ids spread evenly over the archive, and labelled so, with a rough 95 % margin.
"""

from __future__ import annotations

import math
import sqlite3

from datasette import hookimpl
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import Response

from tintuc import export
from tintuc.web import search
from tintuc.web.archive import is_archive, readable_archive


class _PrefixFacet(Facet):
    """Facet on the first characters of an ISO date column: year (4) or year-month (7)."""

    type = ""
    width = 0

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        if not is_archive(self.ds, self.database):
            return results, timed_out
        qs = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = f"""
                select substr({col}, 1, {self.width}) as value, count(*) as count
                from ({self.sql}) where {col} is not null and length({col}) >= {self.width}
                group by value order by value desc limit {size + 1}
            """
            try:
                rows = (
                    await self.ds.execute(
                        self.database, sql, self.params, truncate=False,
                        custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                    )
                ).rows  # fmt: skip
            except Exception:  # QueryInterrupted and friends: report, as Datasette does
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows[:size]:
                selected = qs.get(key) == row["value"]
                path = (
                    path_with_removed_args(self.request, {key: row["value"]})
                    if selected
                    else path_with_added_args(self.request, {key: row["value"]})
                )
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(
                        self.request, {f"_facet_{self.type}": column}
                    ),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


class YearFacet(_PrefixFacet):
    type = "year"
    width = 4


class MonthFacet(_PrefixFacet):
    type = "month"
    width = 7


@hookimpl
def register_facet_classes():
    return [YearFacet, MonthFacet]


# ---------------------------------------------------------------- the shape of a search

SHAPE_EXACT_CAP = 5_000  # count every match up to this many (a few ms at any size)
SHAPE_TARGET = 5_000  # above: estimate from about this many matches (the cost is per match) …
SHAPE_PILOT_IDS = 10_000  # … found among a sample of ids sized from a first one of this many
SHAPE_WINDOWS = 20  # samples are this many windows of consecutive ids, spread evenly
SHAPE_DIMENSIONS = ("site", "province", "year")


def _shape_sql(windows: int) -> str:
    """Matches per (site, province, year), over all matches or over ``windows`` id ranges."""
    if windows:
        parts = [
            "select rowid as id from articles_fts where articles_fts match :match"
            f" and rowid between :a{k} and :b{k}"
            for k in range(windows)
        ]
        matches = "\n      union all ".join(parts)
    else:
        matches = "select rowid as id from articles_fts where articles_fts match :match"
    return f"""select s.site_id, s.province_id, s.month / 100 as year, count(*) as n
        from ({matches}) as m join article_shape s on s.id = m.id
        group by s.site_id, s.province_id, year"""


def sample_windows(low: int, high: int, ids: int, windows: int) -> list[tuple[int, int]]:
    """``windows`` ranges of consecutive ids, ``ids`` in all, spread evenly over [low, high]."""
    width = max(1, ids // windows)
    step = (high - low + 1) / windows
    return [(low + int(k * step), low + int(k * step) + width - 1) for k in range(windows)]


async def search_shape(db, query: str, limit_ms: int) -> dict | None:
    """Matches of ``query`` per site, province and year, with the total: exact up to
    SHAPE_EXACT_CAP matches, else estimated from a sample of the archive's ids (see the module
    docstring). None when the archive has no ``article_shape`` table (not migrated yet)."""
    match = export.fts_query(query)
    try:
        count = await search.capped_count(db, match, SHAPE_EXACT_CAP, limit_ms)
        sample = None
        if count > SHAPE_EXACT_CAP:
            ends = "select (select min(id) from article_shape), (select max(id) from article_shape)"
            low, high = (await db.execute(ends)).rows[0]
            span = high - low + 1
            ids = SHAPE_PILOT_IDS
            for _ in range(2):  # a first sample, then one sized to find ~SHAPE_TARGET matches
                if ids >= span:
                    sample = None
                    break
                windows = sample_windows(low, high, ids, SHAPE_WINDOWS)
                params = {"match": match}
                for k, (a, b) in enumerate(windows):
                    params[f"a{k}"], params[f"b{k}"] = a, b
                rows = (await search._execute(db, _shape_sql(len(windows)), params,
                                              limit_ms)).rows  # fmt: skip
                sampled_ids = sum(b - a + 1 for a, b in windows)
                sample = {"ids": sampled_ids, "of_ids": span, "windows": len(windows)}
                found = sum(row[-1] for row in rows)
                if found >= SHAPE_TARGET // 3:
                    break
                ids = int(sampled_ids * SHAPE_TARGET / max(found, 1))
        if sample is None:
            sql, params = _shape_sql(0), {"match": match}
            rows = (await search._execute(db, sql, params, limit_ms)).rows
        scale = sample["of_ids"] / sample["ids"] if sample else 1.0
        labels = dict(
            ((kind, label_id), value)
            for label_id, kind, value in (
                await db.execute("select id, kind, value from shape_labels")
            ).rows
        )
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    sampled: dict[str, dict] = {dim: {} for dim in SHAPE_DIMENSIONS}
    for site_id, province_id, year, n in rows:
        for dim, key in (("site", labels.get(("site", site_id))),
                         ("province", labels.get(("province", province_id))),
                         ("year", None if year is None else str(year))):  # fmt: skip
            sampled[dim][key] = sampled[dim].get(key, 0) + n
    matched = sum(n for *_, n in rows)

    def figure(n: int) -> dict:
        if sample is None:
            return {"count": n}
        # each sampled id matches or not: a Poisson margin, rough when matches cluster in time
        return {"count": round(n * scale), "margin": round(1.96 * math.sqrt(n) * scale)}

    shape = {
        "query": query,
        "fts_query": match,
        "exact": sample is None,
        "total": figure(matched),
        "sample": sample and {**sample, "matches": matched},
    }
    for dim in SHAPE_DIMENSIONS:
        values = [{"value": key, **figure(n)} for key, n in sampled[dim].items()]
        if dim == "year":
            values.sort(key=lambda v: (v["value"] is None, v["value"] or ""))
        else:
            values.sort(key=lambda v: (-v["count"], v["value"] or ""))
        shape[dim + "s" if dim != "province" else "provinces"] = values
    shape["note"] = shape_note(shape)
    return shape


def shape_note(shape: dict) -> str:
    """How the figures were obtained, in a sentence."""
    if shape["exact"]:
        return f"exact: all {shape['total']['count']:,} matching articles counted"
    s = shape["sample"]
    return (
        f"estimated: {s['matches']:,} matches found among {s['ids']:,} of the archive's "
        f"{s['of_ids']:,} article ids ({s['windows']} evenly spread windows), scaled up; "
        "± is a rough 95 % margin"
    )


@hookimpl(specname="register_routes")
def shape_routes():
    return [(r"^/-/tintuc/shape/(?P<database>[^/]+?)\.json$", shape_view)]


async def shape_view(datasette, request):
    """``/-/tintuc/shape/<db>.json?_search=…``: :func:`search_shape` as JSON."""
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    query = request.args.get("_search", "")
    if not query.strip():
        return Response.json({"ok": False, "error": "_search is required"}, status=400)
    try:
        shape = await search_shape(db, query, search.search_limit_ms(datasette))
    except search.SearchTooSlow as exc:
        return Response.json({"ok": False, "error": str(exc)}, status=400)
    if shape is None:
        return Response.json(
            {"ok": False, "error": "this archive has no article_shape table yet: open it "
             "once with this version of tintuc (tintuc serve migrates it)"}, status=400
        )  # fmt: skip
    return Response.json({"ok": True, "database": name, **shape})
