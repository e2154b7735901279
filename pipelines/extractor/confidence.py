"""How the extraction went, as the result's ``flags`` and ``confidence``: the signals read from
the body (text outside the container, linked text, prose share) and what each doubt costs
the confidence figure."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from pipelines.extractor.lines import _prose_line_chars, _tokens
from pipelines.extractor.quality import assess
from pipelines.text import fold


def _flags(result: dict, container, recovery: str | None, signals: dict | None = None
           ) -> list[str]:
    """How the extraction went, as short stable strings (stored in articles.extraction_flags):
    ``fallback_used`` / ``recovered_text`` (the body is, or was completed from, plain
    trafilatura's text), ``plain_disagrees`` (plain trafilatura found much more: kept ours),
    ``no_body_container``, what :func:`_body_signals` found wrong with the body:
    ``text_outside_container`` (much of the body lies outside the recognised body container:
    teasers or another block taken with or for the story), ``layout_row`` (a line of the body
    is a layout table's row holding the headline: :func:`_layout_row`), ``link_heavy`` (much
    of the body is the text of headline links: a teaser list or menu), ``short_lines`` (most
    of the body is in lines too short for prose: a list, a menu, a gallery), the date flags of
    :func:`pipelines.extractor.quality.assess` (``no_date``, ``date_from_url_only``) and how
    related news was found: ``related_by_<how>`` (heading, card, class, list, selector) or
    ``related_none``. (``page_cut_short``, the page nesting deeper than the parser reads or
    ending before its closing tags, is added by :func:`extract_article`.)"""
    flags = set(assess(result)[0])
    if recovery:
        flags.add(recovery)
    if container is None:
        flags.add("no_body_container")
    signals = signals or {}
    if signals.get("outside", 0.0) >= _FLAG_AT["outside"]:
        flags.add("text_outside_container")
    if signals.get("linked", 0.0) >= _FLAG_AT["linked"]:
        flags.add("link_heavy")
    if signals.get("prose", 1.0) < _FLAG_AT["prose"]:
        flags.add("short_lines")
    if _layout_row(result.get("text") or "", result.get("title")):
        flags.add("layout_row")
    for entry in result["related"]:
        how = entry.get("found_by") or ("heading" if entry.get("block") else "card")
        flags.add(f"related_by_{how}")
    return sorted(flags)


def _layout_row(text: str, title: str | None) -> bool:
    """True when a line of the body is a table's row ("| … | … |") that holds the headline and
    text in another cell too: a page laid out in a table read as one row, the story merged
    with its neighbour cells (a box column's label, a calendar, a rating beside it). The
    story's own tables never hold its headline; a row whose only text is the story's cell
    (the others empty: a 2019 magazine's layout) merged nothing (0.98 on the benchmark)."""
    key = fold(" ".join((title or "").split()))
    return len(key) >= _LINK_TEXT and any(
        line.startswith("|") and line.rstrip().endswith("|") and key in fold(line)
        and sum(1 for cell in _CELL_SEPARATOR.split(line.strip()[1:-1]) if cell.strip()) >= 2
        for line in text.split("\n"))


_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # trafilatura's cell separator ("\|" is a bar in text)


_LINK_TEXT = 20  # characters: a headline's link; a word or two linked inside a sentence is less
# the texts of links, two ways to the same list. ".//a//text()" is twice as fast on a page of
# ordinary size (0.37 against 0.75 ms on the benchmark's pages, 144 links each), but libxml2
# merges each link's texts into the set found so far, a cost that grows with the square of the
# links (1.7 s for a menu of 35,000, on a 4 MB page); asking each text whether a link holds it
# is one walk of the page, used on big pages (and never for a root inside a link, whose texts
# are not all link texts of its own)
_LINK_TEXTS_WALK = etree.XPath(".//text()[ancestor::a]", smart_strings=False)
_LINK_TEXTS = etree.XPath(".//a//text()", smart_strings=False)
_LINK_TEXTS_WALK_FROM = 1_000_000  # characters of page


def _body_signals(tree: lxml.html.HtmlElement, container, text: str, sapo: str | None,
                  walked: bool, page_size: int = 0) -> dict:
    """What the body ``text`` itself shows about how well it was found, cheaply (read by
    :func:`_flags` and :func:`_confidence`; measured by ``bench/confidence_bench.py``).
    ``walked``: the body is ``container``'s own text (trafilatura agreed with it).
    ``page_size``: the page's length, which chooses how link texts are read (below).

    * ``outside``: the share of the body's words that the recognised body ``container`` does
      not hold, the sapo aside (it sits outside the body box by design); only when there is a
      container and the body is not its own text.
    * ``linked``: the share of the body's characters in lines that are mostly link text: text
      runs of :data:`_LINK_TEXT` or more characters inside the page's links (``container``'s
      when the body is its text), as teasers and menus are; a sentence with a link is not.
    * ``prose``: the share of the body's characters in lines of prose (:data:`_PROSE_LINE`).
    """
    lines = text.split("\n")
    chars = sum(len(x) for x in lines)
    if not chars:
        return {}
    signals = {"prose": _prose_line_chars(lines) / chars}
    root = container if walked else tree
    texts = (_LINK_TEXTS_WALK if page_size >= _LINK_TEXTS_WALK_FROM
             and next(root.iterancestors("a"), None) is None
             else _LINK_TEXTS)(root)  # one XPath pass: no element proxies
    anchors = {" ".join(x.split()) for x in texts if len(x) >= _LINK_TEXT}
    anchors = [a for a in anchors if len(a) >= _LINK_TEXT and a in text]  # (once normalised)
    signals["linked"] = sum(len(x) for x in lines if anchors and 2 * sum(
        len(a) for a in anchors if a in x) >= len(x)) / chars
    if container is not None and not walked:
        mine = _tokens("\n".join(x for x in lines if x != sapo))
        held = sum((mine & _tokens(container.text_content())).values())
        signals["outside"] = 1.0 - held / sum(mine.values()) if mine else 0.0
    return signals


# What each doubt costs the confidence figure (1.0: nothing to doubt). The date flags cost
# nothing: the figure is about the text (a doubtful date is doubtful by its flag alone).
_DOUBTS = {"fallback_used": 0.4, "recovered_text": 0.25, "plain_disagrees": 0.1,
           "no_body_container": 0.05, "page_cut_short": 0.5, "legacy_font_text": 0.5,
           "legacy_font_converted": 0.1, "layout_row": 0.5}
# Doubts that grow with a signal of :func:`_body_signals`: none up to the first figure, the
# full cost from the second on, in proportion between (``prose`` doubts as it falls).
_RAMPS = {"outside": (0.05, 0.4, 0.6), "linked": (0.05, 0.4, 0.6), "prose": (0.7, 0.1, 0.6)}
_FLAG_AT = {"outside": 0.15, "linked": 0.15, "prose": 0.5}  # a signal flagged from here on
_NOT_ARTICLE = 0.3  # the page classifier took the page for a listing or other
_SHORT_TEXT = 300  # characters: a notice may be this short, an article rarely is


def _confidence(flags: list[str], result: dict, signals: dict | None = None) -> float:
    """How sure the extraction is of the text, 0..1: 1 less what each doubt costs
    (:data:`_DOUBTS` for flags, :data:`_RAMPS` for the body's signals), a page the classifier
    did not take for an article, a missing title and a very short text."""
    doubt = sum(_DOUBTS.get(flag, 0.0) for flag in flags)
    grown = {name: cost * min(1.0, max(0.0, (signals[name] - start) / (full - start)))
             for name, (start, full, cost) in _RAMPS.items() if name in (signals or {})}
    # text that recovery brought in is often the text outside the container: one doubt, the
    # larger of the two
    recovered = max((_DOUBTS[f] for f in flags if f in ("fallback_used", "recovered_text")),
                    default=0.0)
    grown["outside"] = max(0.0, grown.get("outside", 0.0) - recovered)
    doubt += sum(grown.values())
    doubt += _NOT_ARTICLE if result.get("page_kind", "article") != "article" else 0.0
    doubt += 0.2 if not result["title"] else 0.0
    doubt += 0.15 if len(result["text"]) < _SHORT_TEXT else 0.0
    return round(max(0.0, 1.0 - doubt), 2)
