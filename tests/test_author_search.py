"""trafilatura's author search, as extract_article runs it without its XPaths: the same elements
found, the same author read, on small synthetic pages (every page written for the test)."""

from __future__ import annotations

import lxml.html
import pytest
from trafilatura.metadata import extract_author
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from pipelines.extractor import metadata
from pipelines.extractor.metadata import _author_elements, _author_search, _not_author_elements

STORY = "<p>The harbour reopened on Monday after a week of storms along the northern coast.</p>"
# one element per test of trafilatura's XPaths, and near misses ("Authors" on an <h2>)
MARKS = [
    '<a rel="author" href="/a">Lan Pham</a>', '<span id="author">Minh Tran</span>',
    '<div class="author">Hoa Le</div>', '<span itemprop="author name">Quang Vo</span>',
    '<p><rel>me</rel>Thu Nguyen</p>', '<div data-testid="AuthorCard">Kim Do</div>',
    '<span class="post-authorName">Bao Ho</span>', "<author>Nam Ly</author>",
    '<h3 class="byline">Tam Bui</h3>', '<h4 class="BBL">An Vu</h4>',
    '<span itemprop="creator author">Phuc Dang</span>', '<div id="xiaobian-1">Lien Mai</div>',
    '<p class="journalist-name">Son Ta</p>', '<section data-component="Byline">Ha Chu</section>',
    '<h2 id="mainAuthor">Vy Lam</h2>', '<em class="writer">Khoa Vu</em>',
    '<h2 class="Authors">Tien Ha</h2>', '<h5 class="screenname">Dat Ngo</h5>',
    '<h2 class="by-line">Not An Author</h2>', '<p class="Byline-x">Hung Cao</p>',
]
# boxes trafilatura's author search leaves out, each holding a byline-like element
BOXES = [
    '<div id="comments-3"><span class="author">Reader One</span></div>',
    '<section class="sidebar-right"><p class="byline">Reader Two</p></section>',
    '<div class="Comments"><span class="author">Reader Three</span></div>',
    '<span class="meta-date"><a rel="author">Reader Four</a></span>',
    '<figure><div class="author">Photo Credit</div></figure>',
    '<p class="byline">By <time>Monday</time> Ngoc Anh</p>',
    '<a class="title"><span class="author">Reader Five</span></a>',
    '<div data-component="FigureBlock"><span class="author">Reader Six</span></div>',
]


def _page(*parts: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{''.join(parts)}{STORY}</body></html>")


@pytest.mark.parametrize("parts", [[mark] for mark in MARKS] + [[box] for box in BOXES]
                         + [BOXES + MARKS[::-1], [*BOXES, STORY]])
def test_the_author_search_finds_what_trafilaturas_xpaths_find(parts: list[str]) -> None:
    page = _page(*parts)
    assert _author_elements(page) == [xpath(page) for xpath in AUTHOR_XPATHS]
    assert _not_author_elements(page) == AUTHOR_DISCARD_XPATHS[0](page)
    assert _author_search(page) == extract_author(page)


def test_a_byline_in_the_comments_is_no_author_and_one_above_is() -> None:
    assert _author_search(_page(BOXES[0])) is None
    assert _author_search(_page(BOXES[0], MARKS[2])) == "Hoa Le"


def test_the_page_is_copied_only_where_the_copy_reads_otherwise(monkeypatch) -> None:
    copies = []
    deepcopy = metadata.copy.deepcopy
    monkeypatch.setattr(metadata.copy, "deepcopy",
                        lambda tree: copies.append(tree) or deepcopy(tree))
    # bylines outside the boxes trafilatura prunes, and one inside them: read on the page itself
    page = _page(BOXES[0], '<p class="byline">Viết bởi <b>Ngọc Anh</b></p>', MARKS[2])
    assert _author_search(page) == extract_author(page) == "Hoa Le"
    assert copies == []
    # a byline holding a date (which the copy loses): read on the copy, as trafilatura reads it
    page = _page('<div class="author">Lan <time>Thứ Hai</time>Phạm</div>')
    assert _author_search(page) == extract_author(page) == "Lan Phạm"
    assert len(copies) == 1
    # a <rel> names bylines by its text, which the copy may change: copied
    page = _page(MARKS[4])
    assert _author_search(page) == extract_author(page)
    assert len(copies) == 2
