"""Datasette plugin: Vietnamese-aware search, article pages and complete CSV exports.

Registered through the ``datasette`` entry point ``tintuc = "tintuc.web"``, so it is loaded by
every ``datasette`` run where tintuc is installed; every hook acts on tintuc archives only
(:func:`tintuc.web.archive.is_archive`) and leaves other databases as Datasette serves them.

- :mod:`.archive`: which databases are archives; read-only connections that wait for writers.
- :mod:`.search`: the folding SQL functions and the ranked search page ``/-/tintuc/search/<db>``.
- :mod:`.article`: the article page (``row.html``).
- :mod:`.archived`: "View as archived": the captured page from its WARC record, sandboxed.
- :mod:`.export`: the complete CSV export ``/-/tintuc/export/<db>.csv``.
- :mod:`.facets`: Year and Month facets; the shape of a search ``/-/tintuc/shape/<db>.json``.
- :mod:`.research`: an article's syndicated copies, word-level diffs between its versions.
- :mod:`.charts`: chart pages drawing canned queries with plotly.js (served offline).
- :mod:`.feeds`: Atom feeds (datasette-atom) per site, province, search, changed articles.
- :mod:`.queries`: table and column descriptions, canned queries, site metadata.
- :mod:`.workarounds`: every workaround of Datasette 0.65's own behaviour, each with its reason.

Templates in ``templates/`` are found by Datasette itself (a plugin package's ``templates``
folder comes before Datasette's own). Pluggy finds a plugin's hooks among the attributes of the
registered module, so every hook implementation is imported here by name (``specname`` says
which Datasette hook it is); tests/test_datasette.py checks that none is left out.
"""

import sys

from tintuc.web.archive import SERVE_SETTINGS, WRITE_ENV, archive_connection
from tintuc.web.archived import archived_routes
from tintuc.web.article import article_page, safe_url_filter
from tintuc.web.charts import chart_routes, database_page_links
from tintuc.web.export import export_routes
from tintuc.web.facets import register_facet_classes, shape_routes
from tintuc.web.feeds import atom_renderer, feed_functions
from tintuc.web.queries import ARCHIVE_TABLES, CANNED_QUERIES, get_metadata
from tintuc.web.research import article_research, research_functions, research_routes
from tintuc.web.search import search_functions, search_routes, table_page_links
from tintuc.web.workarounds import (
    asgi_wrapper,
    bounded_table_search,
    folding_escape_fts,
    short_client_error_log,
)

__all__ = [
    # public names
    "ARCHIVE_TABLES", "CANNED_QUERIES", "SERVE_SETTINGS", "WRITE_ENV",
    # hook implementations
    "archive_connection", "archived_routes", "article_page", "asgi_wrapper", "bounded_table_search",
    "article_research", "research_functions", "research_routes",
    "atom_renderer", "chart_routes", "database_page_links", "feed_functions",
    "export_routes", "folding_escape_fts", "get_metadata", "register_facet_classes",
    "safe_url_filter", "search_functions", "search_routes", "shape_routes",
    "short_client_error_log", "table_page_links",
]  # fmt: skip


def _register_whole() -> None:
    """Register this package again, whole, where Datasette registered it half-imported.

    Datasette loads its ``datasette`` entry points when ``datasette.plugins`` is first imported.
    A program that imports one of this package's modules before Datasette (``from
    tintuc.web.article import …``) imports ``datasette.plugins`` from inside this file, halfway
    down: pluggy then registered the module with the hooks imported so far (4 of 9; the article
    page, the facets and the canned queries were missing). Nothing happens in the usual order
    (Datasette first: the module is registered once its import is over)."""
    plugins = sys.modules.get("datasette.plugins")
    manager = getattr(plugins, "pm", None)
    package = sys.modules[__name__]
    if manager is not None and manager.is_registered(package):
        name = manager.get_name(package)
        manager.unregister(package)
        manager.register(package, name)


_register_whole()
