"""The related-link graph exported as GraphML and GEXF, read back with networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner
from test_datasette import build_archive, fetch

from pipelines.archive.schema import open_archive
from pipelines.archive.store import mark_removed
from tintuc.cli import main

A, B, C = "https://a.vn/tin-1.html", "https://a.vn/tin-2.html", "https://b.vn/tin-3.html"
MISSING = "https://b.vn/chua-luu.html"
ARTICLES = [
    {"url": A, "site": "sitea", "title": "Tin một", "text": "Một.",
     "published": "2025-03-01T08:00:00+07:00",
     "related": [{"url": B, "text": "Tin hai", "block": "Tin khác", "position": 0},
                 {"url": C, "text": "Tin ba", "block": "Tin khác", "position": 1}]},
    {"url": B, "site": "sitea", "title": "Tin hai", "text": "Hai.",
     "published": "2025-04-01T08:00:00+07:00",
     "related": [{"url": MISSING, "text": "Chưa lưu", "block": "Tin liên quan", "position": 0}]},
    {"url": C, "site": "siteb", "title": "Tin ba", "text": "Ba.",
     "published": "2025-04-02T08:00:00+07:00",
     "related": [{"url": A, "text": "Tin một", "block": "Xem thêm", "position": 0}]},
]  # fmt: skip


@pytest.fixture
def archive(tmp_path):
    return build_archive(tmp_path / "archive.db", ARTICLES)


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_whole_graph_loads_in_networkx(archive, tmp_path, fmt, read):
    out = tmp_path / f"links.{fmt}"
    result = CliRunner().invoke(main, ["export", "--db", str(archive), "--format", fmt,
                                       "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 nodes, 4 links exported" in result.output
    graph = read(out)
    assert graph.is_directed()
    assert set(graph.edges) == {(A, B), (A, C), (B, MISSING), (C, A)}
    assert graph.edges[A, C]["block"] == "Tin khác" and int(graph.edges[A, C]["position"]) == 1
    assert graph.nodes[C]["title"] == "Tin ba" and graph.nodes[C]["site"] == "siteb"
    assert graph.nodes[C]["published"] == "2025-04-02T08:00:00+07:00"
    assert graph.nodes[MISSING]["title"] == "Chưa lưu"
    assert graph.nodes[MISSING]["archived"] in (False, "false")


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_removed_articles_are_marked_in_the_graph(archive, tmp_path, fmt, read):
    db = open_archive(archive)
    mark_removed(db, B, "HTTP 404")
    removed = db["articles"].get(2)["removed"]
    db.close()
    graphs = []
    # B selected, then B only linked from the selection (tin-1 alone)
    for selection in ([], ["--site", "sitea", "--until", "2025-03-31"]):
        out = tmp_path / f"links.{fmt}"
        result = CliRunner().invoke(main, ["export", "--db", str(archive), "--format", fmt,
                                           *selection, "-o", str(out)])  # fmt: skip
        assert result.exit_code == 0, result.output
        graphs.append(read(out))
    for graph in graphs:
        assert (graph.nodes[B]["removed"], graph.nodes[B]["removed_reason"]) == (
            removed, "HTTP 404",
        )  # fmt: skip
        assert (graph.nodes[A]["removed"], graph.nodes[A]["removed_reason"]) == ("", "")
    assert graphs[0].nodes[MISSING]["removed"] == ""


def test_graph_of_one_site_and_period(archive, tmp_path):
    out = tmp_path / "a.graphml"
    result = CliRunner().invoke(main, ["export", "--db", str(archive), "--format", "graphml",
                                       "--site", "sitea", "--until", "2025-03-31",
                                       "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    # only tin-1's links; its targets are nodes even outside the selection
    assert set(graph.edges) == {(A, B), (A, C)}


def test_link_degree_per_month(archive):
    (response,) = fetch(archive, "/archive/link_degree_per_month.json?_shape=array")
    assert response.json() == [
        {"month": "2025-04", "site": "sitea", "out_degree": 0, "in_degree": 1},
        {"month": "2025-04", "site": "siteb", "out_degree": 1, "in_degree": 0},
        {"month": "2025-03", "site": "sitea", "out_degree": 2, "in_degree": 1},
        {"month": "2025-03", "site": "siteb", "out_degree": 0, "in_degree": 1},
    ]
