"""trafilatura's fast pass reads the story's box where it stands, not the whole page.

On a page read by trafilatura's rules (not Vietnamese) whose body container holds most of the
page's paragraphs, trafilatura is given the
box alone inside bare copies of its ancestors (docs/benchmarks.md, "Extraction CPU", the
seventeenth session): its menus, sidebars and footer are not read, and a lead set between the
headline and the container is. Without a named container the page is read whole.
"""

from __future__ import annotations

from pipelines.extractor import article
from pipelines.extractor.article import extract_article

URL = "https://example.org/news/2024/05/council-approves-river-bridge.html"
STORY = "".join(
    f"<p>The council approved the river bridge on Tuesday, paragraph {n} of the story, after "
    f"a debate of three hours about its cost, its route and the ferry it replaces.</p>"
    for n in range(1, 6))
SIDEBAR = """<aside class="widget"><p>Our sidebar essay on gardening tips explains at length how
to grow tomatoes on a balcony in a small city flat all summer long.</p></aside>"""
MENU = '<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a></nav>'


def _page(inside: str) -> str:
    return (f"<html lang='en'><head><title>Council approves river bridge</title></head>"
            f"<body>{MENU}<main><article class='story'>{inside}</article>{SIDEBAR}</main>"
            f"<footer><p>Example Gazette, 1 Main Street</p></footer></body></html>")


def _read_trees(monkeypatch) -> list:
    """The trees trafilatura's fast pass is given, as their text."""
    given = []
    real = article._trafilatura_pass

    def noted(tree, url):
        given.append(tree.text_content())
        return real(tree, url)

    monkeypatch.setattr(article, "_trafilatura_pass", noted)
    return given


def test_the_fast_pass_reads_the_container_not_the_page(monkeypatch):
    given = _read_trees(monkeypatch)
    found = extract_article(_page(
        f"<h1>Council approves river bridge</h1><div class='entry-content'>{STORY}</div>"), URL)
    assert "paragraph 5 of the story" in found["text"]
    assert len(given) == 1
    assert "paragraph 1 of the story" in given[0]
    assert "gardening tips" not in given[0] and "Sport" not in given[0]
    assert "1 Main Street" not in given[0]


def test_a_lead_between_the_headline_and_the_container_is_read(monkeypatch):
    given = _read_trees(monkeypatch)
    lead = ("<p class='standfirst'>A new crossing will link the two halves of the town by 2027, "
            "the council decided after years of delay.</p>")
    extract_article(_page(
        f"<h1>Council approves river bridge</h1>{lead}<div class='entry-content'>{STORY}</div>"),
        URL)
    # (trafilatura decides whether the lead is body, as it does on the whole page)
    assert "link the two halves of the town" in given[0]
    assert "gardening tips" not in given[0]


def test_without_a_named_container_the_page_is_read_whole(monkeypatch):
    # the block of the story's paragraphs is no box for trafilatura: on dragnet and CleanEval
    # its neighbours were the story's (a "more" part) as often as junk the page's reading left
    # out (a related list, a comment count)
    given = _read_trees(monkeypatch)
    extract_article(_page(f"<h1>Council approves river bridge</h1><div class='text'>{STORY}</div>"),
                    URL)
    assert "gardening tips" in given[0]


def test_an_ancestor_lxml_cannot_copy_leaves_the_pass_on_the_page():
    # the parser keeps a tag named from broken markup ('<bodyonload="load()">'), which lxml
    # refuses to make anew: the story is read all the same
    found = extract_article(
        "<html lang='en'><head><title>Council approves river bridge</title></head><body>"
        f"{MENU}<bodyonload=\"load()\"><h1>Council approves river bridge</h1>"
        f"<div class='entry-content'>{STORY}</div></bodyonload=\"load()\"></body></html>", URL)
    assert "paragraph 5 of the story" in found["text"]
