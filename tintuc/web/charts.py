"""Charts of an archive: pages that draw a canned query's JSON with plotly.js, offline.

- ``/-/tintuc/charts/<db>`` lists the charts (and the Atom feeds); the database page and the
  article page link it.
- ``/-/tintuc/charts/<db>/<chart>?<parameters>`` draws one chart. The page fetches the canned
  query's JSON (``/<db>/<query>.json?_shape=objects&…``), one series per value of the series
  columns (a single series when the query has none), with plotly.js.
- ``/-/tintuc/static/plotly.min.js`` serves plotly.js from the ``plotly`` Python package.

Why plotly: its wheel ships ``plotly.min.js`` (MIT, one self-contained file, SVG output), so
the page loads nothing from the internet and the Python package pins the JavaScript version.
Datasette chart plugins were the other choice: datasette-vega and datasette-chartjs are
unmaintained (2018, 2020) and draw only tables' pages, datasette-plot is an early alpha.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

from datasette import hookimpl
from datasette.utils.asgi import Response

from tintuc import export
from tintuc.web.archive import is_archive, readable_archive

PLOTLY_JS = "/-/tintuc/static/plotly.min.js"


@dataclass(frozen=True)
class Chart:
    """One chart: which canned query it draws, and how."""

    title: str
    description: str
    query: str  # canned query in tintuc.web.queries
    x: str  # column for the x axis
    y: str  # column for the y axis
    series: tuple[str, ...]  # columns naming a series ("a → b" when two); none: one series
    params: tuple[tuple[str, str], ...]  # (parameter, label) shown as the chart's form
    kind: str = "lines"  # "lines" or "bars" (stacked)
    required: tuple[str, ...] = ()  # parameters without which nothing is drawn


CHARTS = {
    "articles-per-day": Chart(
        title="Articles per site per day",
        description="How many articles each site published each day (by publication date), "
        "the last 90 days up to the newest article, or as many days as given, or from a date.",
        query="chart_articles_per_day",
        x="day", y="articles", series=("site",), kind="bars",
        params=(("site", "Site (empty: all)"), ("days", "Days"), ("since", "Since (YYYY-MM-DD)")),
    ),
    "term-over-time": Chart(
        title="A search term over time",
        description="How many articles mention a term each month, per site. Case and "
        'diacritics are ignored as in search: "da nang" counts "Đà Nẵng".',
        query="term_over_time",
        x="month", y="articles", series=("site",),
        params=(("term", "Term"), ("site", "Site (empty: all)")), required=("term",),
    ),
    "related-promotion": Chart(
        title="Related-link promotion over time",
        description="How often each site's related-news blocks point to each site, per "
        "month of the linking article: the 15 pairs of sites with most links over the last 12 "
        "months, or as many as given.",
        query="related_promotion_per_month",
        x="month", y="links", series=("from_site", "to_site"),
        params=(("site", "Linking site (empty: all)"), ("months", "Months"),
                ("other_sites", "Other sites only (1)"), ("top", "Pairs")),
    ),
}  # fmt: skip


@cache
def plotly_js() -> bytes:
    """plotly.min.js as shipped in the plotly package."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()


async def plotly_js_view(request):
    return Response(
        plotly_js(),
        content_type="text/javascript; charset=utf-8",
        # the URL carries plotly's version, so the browser may keep the file
        headers={"cache-control": "public, max-age=31536000, immutable"},
    )


@hookimpl(specname="register_routes")
def chart_routes():
    return [
        (r"^/-/tintuc/static/plotly\.min\.js$", plotly_js_view),
        (r"^/-/tintuc/charts/(?P<database>[^/]+)$", charts_index),
        (r"^/-/tintuc/charts/(?P<database>[^/]+)/(?P<chart>[a-z-]+)$", chart_view),
    ]


def charts_url(datasette, database: str) -> str:
    return datasette.urls.path(f"/-/tintuc/charts/{urllib.parse.quote(database)}")


@hookimpl(specname="extra_template_vars")
def database_page_links(database, view_name, datasette):
    """The database page of an archive links the charts and the feeds."""
    if view_name != "database" or not is_archive(datasette, database):
        return {}
    return {"tintuc_charts_url": charts_url(datasette, database)}


async def charts_index(datasette, request):
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    base = charts_url(datasette, name)
    sites = [r[0] for r in (await db.execute("select id from sites order by id")).rows]
    provinces = [
        r[0]
        for r in (
            await db.execute(
                "select distinct province from sites where province is not null order by 1"
            )
        ).rows
    ]
    database_url = datasette.urls.database(name)
    return Response.html(
        await datasette.render_template(
            "tintuc_charts.html",
            {
                "database": name,
                "charts": [
                    {"slug": slug, "url": f"{base}/{slug}", **vars(chart)}
                    for slug, chart in CHARTS.items()
                ],
                "database_url": database_url,
                "sites": sites,
                "provinces": provinces,
            },
            request=request,
        )
    )


async def chart_view(datasette, request):
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    chart = CHARTS.get(request.url_vars["chart"])
    if chart is None:
        return Response.text(f"no chart {request.url_vars['chart']!r}", status=404)
    values = {param: request.args.get(param, "").strip() for param, _ in chart.params}
    missing = [param for param in chart.required if not values[param]]
    note = f"Give a {', '.join(missing)} to draw the chart." if missing else None
    if not note and "term" in values and export.fts_query(values["term"]) == '""':
        note = f"“{values['term']}” has no word to search for: give a term to draw the chart."
    query_args = urllib.parse.urlencode(values)
    query_url = f"{datasette.urls.database(name)}/{chart.query}"
    return Response.html(
        await datasette.render_template(
            "tintuc_chart.html",
            {
                "database": name,
                "chart": chart,
                "values": values,
                "note": note,
                "charts_url": charts_url(datasette, name),
                "json_url": f"{query_url}.json?_shape=objects&{query_args}",
                "query_url": f"{query_url}?{query_args}",
                "plotly_url": f"{datasette.urls.path(PLOTLY_JS)}?v={metadata.version('plotly')}",
                "search_feed_url": (
                    f"{query_url.rsplit('/', 1)[0]}/feed_search.atom?"
                    + urllib.parse.urlencode({"q": values["term"]})
                    if values.get("term")
                    else None
                ),
            },
            request=request,
        )
    )
