"""Year and Month facets on ISO date columns (``{"year": "published"}`` in the metadata).

They count the first 4 (year) or 7 (year-month) characters of the column, and filter with
``<column>__startswith=``. On databases that are not tintuc archives they answer nothing, as if
they were not installed.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from tintuc.web.archive import is_archive


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
