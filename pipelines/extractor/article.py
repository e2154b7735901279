"""Article extraction for Vietnamese news pages.

Pipeline: decode bytes (legacy Vietnamese encodings included) -> parse with lxml -> read
metadata (title, dates, sapo) from the intact tree -> remove tool bars and promotion boxes ->
find, record and remove related-news, navigation and tag boxes -> strip styles, scripts,
comments and ad slots -> body text from the article container when one is recognised (captions
and the credit line included), otherwise from trafilatura (given the story's box alone where one
holds most of the page's paragraphs) -> sapo first -> when the body holds
little of the page's prose, plain trafilatura's full extraction is asked and what it has that
the body lacks is brought in, in order (never worse than plain trafilatura) -> flags and a
confidence figure saying how the extraction went.

:func:`extract_article` is the orchestrator; each step lives in a module of its own (see the
package's docstring and docs/architecture.md). ``decode_html``, ``block_lines`` and
``language_copies`` are still importable from here.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import lxml.html
from trafilatura.metadata import extract_url

from crawler.urls import canonical_url
from pipelines.extractor.boxes import (
    _drop_boxes,
    _drop_carousel_clones,
    _drop_noise,
    _drop_widgets,
)
from pipelines.extractor.classify import (
    ATTACHMENT,
    _aside_name,
    classify_page,
    error_page,
    maintenance_page,
    outside_asides,
    print_view_title,
)
from pipelines.extractor.confidence import _body_signals, _confidence, _flags
from pipelines.extractor.dates import (
    NO_DAY,
    dateline_line,
    find_published,
    find_updated,
    named_elements,
    parse_vietnamese_date,
    url_day,
)
from pipelines.extractor.fonts import _legacy_font_text, _legacy_fonts_to_unicode
from pipelines.extractor.headline import (
    _below_headline,
    _headline_cell,
    _sapo,
    _shown_above_headline,
    _title,
)
from pipelines.extractor.lines import (
    _CHROME_ONLY_CHARS,
    _CREDIT_ROLE,
    _DATE_AFTER,
    _PROSE_LINE,
    _after_headline,
    _agrees,
    _captions,
    _captions_between,
    _chrome_line,
    _colophon,
    _could_be_link_list,
    _credits_outside_story,
    _data_lines,
    _date_line,
    _footer_tail,
    _from_headline,
    _line_key,
    _narrowed,
    _prose_line_chars,
    _shown_key,
    _story_text,
    _tokens,
    _with_sapo,
    _without_link_lists,
    block_lines,
    prose_chars,
)
from pipelines.extractor.metadata import (
    _AUTHOR_PREFIX,
    _alnum,
    _byline,
    _credit,
    _htmldate,
    _json_ld_authors,
    _json_ld_body,
    _language,
    _last_line_block,
    _line_after,
    _names_publisher,
    _rel_author,
    _trafilatura_metadata,
    language_copies,
)
from pipelines.extractor.quality import assessed
from pipelines.extractor.recovery import (
    _DUMP_PROSE_KEPT,
    _DUMP_RATIO,
    _ESCALATION_RATIO,
    _FRAGMENT,
    _HELD,
    _LOOKS_SHORT,
    _OUTLINE,
    _body_block,
    _fetched,
    _loads_as_document,
    _looks_dumped,
    _plain_trafilatura,
    _reads_layout_table,
    _trafilatura_pass,
    _trafilatura_text,
    recover,
    recover_layout_reading,
)
from pipelines.extractor.related import extract_related, story_block
from pipelines.extractor.source import (
    _MAX_DEPTH,
    _PARSER,
    _cut_short,
    _document,
    _source,
    decode_html,
)
from pipelines.extractor.tree import (
    _clean_text,
    _meta,
    _meta_values,
    _paragraph_chars,
    _select,
    _split,
    _text_of,
)
from pipelines.text import fold, html_ends_unclosed

_ABOVE_LEAD = 2  # lines above the lead in a body read from the headline on: its surroundings
_ABOVE_LEAD_CHARS = 120  # as long as a dateline row with its byline; a paragraph is longer
_SAPO_LINES = 4  # a lead broken by <br> shows as a few lines
_PREFIX_CHARS = 24  # an agency prefix before a lead: "(Baoquangninh.vn) -", "QNP -"
_BODY_CLASS = re.compile(
    r"(?:^|\s)(?:article__body|article-body|articlebody|fck_detail|edittor-content|"
    r"detail-content|content-detail|detail__content|detail-content-body|singular-content|"
    r"cms-body|article-content|news-content|post-content|entry-content|the-article-body|"
    r"maincontent|detail__cmain-main|dt-news__content|contentdetail|content-fck|fck-content|"
    # SharePoint rich-text field and Vietnamese names used by provincial portals
    r"ms-rtestate-field|noidung|noi-dung|noidung-tin|noi-dung-tin|noidungtin|chitiet-noidung|"
    r"content-news|news-content-detail|tin-noidung|"
    # Drupal core's body field (every content type's "body", whatever the theme)
    r"field--name-body|field-name-body|"
    # a BEM element of a detail block, whatever the block's prefix ("news-detail__content")
    r"[\w-]+-detail__(?:content|body))(?:$|\s)",
    re.I,
)

# Small per-site rules, keyed by host suffix, for templates the general rules miss.
SITE_PROFILES: dict[str, dict] = {}


def _vietnamese_host(url: str) -> bool:
    """Whether ``url``'s host is under Vietnam's country code (``.vn``)."""
    try:
        return (urlsplit(url).hostname or "").endswith(".vn")
    except ValueError:
        return False


def _profile(url: str, profile: dict | None) -> dict:
    host = _split(url)[0]
    selectors: dict = {}
    for suffix, site in SITE_PROFILES.items():
        if host == suffix or host.endswith("." + suffix):
            selectors.update(site.get("selectors", {}))
    selectors.update((profile or {}).get("selectors") or {})
    return selectors


def _find_container(tree: lxml.html.HtmlElement, css: str | None) -> lxml.html.HtmlElement | None:
    chosen = _select(tree, css)
    if chosen:
        return chosen[0]
    candidates = [el for el in tree.iter("div", "article", "section", "main")
                  if (_BODY_CLASS.search(el.get("class") or "") and not _drupal_blocks(el))
                  or (el.get("itemprop") or "").lower() == "articlebody"]
    if not candidates:
        return None
    # Wrappers such as "content-detail" hold title, byline and sapo too: take the innermost
    # candidate that still holds most of the text of the largest one.
    sizes = {el: len("".join(_text_of(el).split())) for el in candidates}
    largest = max(sizes.values())
    inner = [el for el in candidates if sizes[el] >= 0.6 * largest
             and not any(o is not el and el in o.iterancestors() for o in candidates
                         if sizes[o] >= 0.6 * largest)]
    return max(inner or candidates, key=lambda el: sizes[el])


# Drupal's custom blocks (a promotion, a sign-up box, the footer's columns, a modal: block_content
# entities, "block-block-content…", Drupal 7's "block-block") have a body field as the story's
# node has: theirs is never the story's
_DRUPAL_BODY = re.compile(r"(?:^|\s)field-{1,2}name-body(?:$|\s)")
_DRUPAL_BLOCK = re.compile(r"(?:^|\s)block-block(?:-content[\w-]*)?(?:$|\s)")


def _drupal_blocks(el: lxml.html.HtmlElement) -> bool:
    """True when ``el`` is named a body container only as a Drupal body field, and is a custom
    block's (:data:`_DRUPAL_BLOCK`), not the story node's."""
    cls = el.get("class") or ""
    return bool(_DRUPAL_BODY.search(cls)) and not _BODY_CLASS.search(_DRUPAL_BODY.sub(" ", cls)) \
        and any(_DRUPAL_BLOCK.search(a.get("class") or "") for a in el.iterancestors())


def _holds_most_paragraphs(tree: lxml.html.HtmlElement, container) -> bool:
    """True when ``container`` holds at least 3/4 of the text of the page's <p> elements
    (related and navigation boxes already removed): it is the story, not a teaser box."""
    body = tree.find("body")
    total = _paragraph_chars(body) if body is not None else 0
    return total >= 500 and _paragraph_chars(container) >= 0.75 * total


def _story_box(tree: lxml.html.HtmlElement, container) -> lxml.html.HtmlElement | None:
    """The box of the page trafilatura need read for the story in ``container``: the container
    itself when no prose stands between the page's headline (its first <h1>) and it, in
    document order; else the smallest element holding both, whose prose above the container is
    the story's lead (a standfirst set above the body box); None where that is the page's
    <body>, or the page has no <h1> (where the story starts is not known). Prose: a text of an
    element or its tail, outside links, of :data:`_PROSE_LINE` characters or more."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return None
    inside: set = set()
    for el in tree.iter():
        if el is container:
            return container
        if el is headline:
            inside = set(headline.iter())
            own = headline.tail or ""
        elif not inside or el in inside:
            continue
        else:
            own = ("" if el.tag == "a" else el.text or "") + (el.tail or "")
        if len(" ".join(own.split())) >= _PROSE_LINE:
            break
    holders = set(container.iterancestors())
    block = next((el for el in headline.iterancestors() if el in holders), None)
    return None if block is None or block.tag in ("body", "html") else block


_MEDIA = ("img", "video", "audio", "iframe", "embed", "object")
_CHROME_TAGS = ("header", "nav", "footer", "aside")


def _shows_media_only(container: lxml.html.HtmlElement, title: str | None) -> bool:
    """True when ``container`` (its lines read: none) shows an image, a player, an embedded
    document or a link to one, and the block around it holds no prose line but the headline
    (its banner, menus, sidebars and footer aside): the container is the whole story."""
    shows = next(container.iter(*_MEDIA), None) is not None or any(
        ATTACHMENT.search(urlsplit(a.get("href") or "").path) for a in container.iter("a"))
    block = container.getparent()
    if not shows or block is None:
        return False
    told = sum(prose_chars(el) for el in block if isinstance(el.tag, str)
               and el.tag not in _CHROME_TAGS and not _aside_name(el.get("class") or "")
               and not _aside_name(el.get("id") or ""))
    return told <= len(title or "")


def _within(text: str, lines: list[str]) -> bool:
    """True when ``lines`` hold nine in ten of the words of ``text`` (and it has some)."""
    words = _tokens(text)
    return bool(words) and sum((words & _tokens("\n".join(lines))).values()) \
        >= 0.9 * sum(words.values())


def _standalone(container: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of ``container`` as the body of a page of its own."""
    page = lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)
    page.find("body").append(copy.deepcopy(container))
    return page


def _in_place(box: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """A copy of the page holding ``box`` alone, where it stands: a copy of it inside bare
    copies of its ancestors (their tags and attributes, none of their other children), so that
    trafilatura's rules naming an ancestor (an <article>, a <main> it takes for the body) read
    it as on the page, and its menus, sidebars and footer are not read at all. None when an
    ancestor cannot be copied so."""
    held = copy.deepcopy(box)
    held.tail = None
    for outer in box.iterancestors():
        if outer.tag in ("body", "html"):
            break
        try:
            shell = outer.makeelement(outer.tag, dict(outer.attrib))
        except ValueError:  # a name the parser kept but lxml will not make ('bodyonload="…"')
            return None
        shell.append(held)
        held = shell
    page = lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)
    page.find("body").append(held)
    return page


def _sapo_once(lines: list[str], sapo: str) -> list[str]:
    """``lines`` with the sapo first and once. A page that shows its lead twice, as the sapo
    block and again as the body's first paragraph (its agency prefix "(Baoquangninh.vn) -"
    left off, or on; broken into lines by a <br>), shows one paragraph: the further showings
    at the body's head go."""
    key = _line_key(sapo)
    # the lead opens the story: a line or two above it that a body read from the headline on
    # keeps (a dateline row with its byline, a related headline, a kicker) are not the story's
    above = next((start for start in range(_ABOVE_LEAD + 1) if start < len(lines)
                  and all(len(line) < _ABOVE_LEAD_CHARS for line in lines[:start])
                  and _sapo_lines(lines, start, key)), None)
    if above is None:
        return lines if fold(sapo) in fold(" ".join(lines)) else [sapo, *lines]
    shown = above + _sapo_lines(lines, above, key)
    first = lines[above] if shown == above + 1 and _line_key(lines[above]) == key else sapo
    while more := _sapo_lines(lines, shown, key):
        shown += more
    return [first, *lines[shown:]]


def _sapo_lines(lines: list[str], start: int, key: str) -> int:
    """How many lines from ``start`` on show the sapo (its key ``key``), whole or without its
    prefix; 0 if they do not."""
    joined = ""
    for count, line in enumerate(lines[start:start + _SAPO_LINES], 1):
        joined = f"{joined} {_line_key(line)}".strip()
        if joined == key or key.endswith(" " + joined) and len(key) - len(joined) <= _PREFIX_CHARS:
            return count
        if joined not in key:
            return 0
    return 0


@assessed  # flags and confidence, when the extraction did not give its own
def extract_article(
    html: str | bytes, url: str, profile: dict | None = None, declared_encoding: str | None = None,
    hints: dict | None = None, decision: dict | None = None, only_articles: bool = False,
) -> dict | None:
    """Extract one page's article: its text and metadata; None when there is no text at all.

    Whether the page is an article is decided too, by
    :func:`pipelines.extractor.classify.classify_page` (``hints`` from the crawl go to it):
    the result carries it as ``page_kind`` ("article", "listing", "other") and
    ``page_reason``, with the ``attachments`` linked under the headline; ``decision``, when
    given, is filled with the ``kind`` and ``reason``. Extraction does not depend on that
    decision: whoever stores decides what to keep (the crawl stores articles only). With
    ``only_articles`` a page that is not an article returns None at once (the crawl's way:
    a listing costs no body extraction).

    ``html`` may be the bytes as received: they are decoded by :func:`decode_html`, with
    ``declared_encoding`` (the HTTP header's charset) as one of the candidates.

    ``profile`` may carry ``{"selectors": {"title", "date", "body", "related", "sapo"}}``
    CSS overrides. Returns a dict with ``url, title, description, text, published, updated,
    author, language, image, related, related_ids, languages`` (:func:`language_copies`);
    ``text`` puts the sapo first; ``url`` and the related links' URLs are canonical
    (:func:`crawler.urls.canonical_url`).
    """
    # the page as fetched ends before its closing tags: what it showed further is not in it
    # (read before a legacy font's text is converted, which writes the page anew)
    unclosed = html_ends_unclosed(html)
    html, converted = _legacy_fonts_to_unicode(html, declared_encoding)
    source = _source(html, declared_encoding)
    tree = _document(source)
    cut_short = tree is not None and _cut_short()
    selectors = _profile(url, profile)
    container = _find_container(tree, selectors.get("body")) if tree is not None else None
    hints = {**(hints or {}), "body_container": container is not None}
    kind, reason, attachments = ("other", "empty or unreadable page", []) if tree is None \
        else classify_page(tree, url, hints)
    if kind == "article" and (shown := tree.find("head/title")) is not None \
            and print_view_title(fold(" ".join(shown.text_content().split()))):
        # stored as the article it prints (its headline, date and whole text, without the
        # site's boxes), the reason saying what the capture is
        reason += " (a print view of the article)"
    if cut_short and kind != "article":  # the judgement saw only the page's first levels
        reason += f" (the page nests deeper than the parser reads, {_MAX_DEPTH} levels: not read)"
    unclosed = unclosed and tree is not None
    if unclosed and kind != "article":
        reason += " (the page ends before its closing </body></html>: cut short in transfer)"
    if decision is not None:
        decision.update(kind=kind, reason=reason)
    if tree is None or (kind != "article" and only_articles):
        return None
    metas = _meta_values(tree)
    # JSON-LD kept aside (the elements themselves, no copy): scripts go with the noise below
    json_ld = [el for el in tree.iter("script") if el.text
               and (el.get("type") or "").strip().lower() == "application/ld+json"]
    meta_description = _meta(metas, "description", "og:description", "twitter:description")
    title = _title(tree, selectors.get("title"), None, metas, container)
    language = _language(tree, f"{title} {meta_description}", metas)
    languages = language_copies(tree, url, language)  # its copies in other languages (hreflang)
    # Sapo and container walk follow Vietnamese conventions (the lead belongs to the body,
    # captions and the author line sit in the body container); elsewhere trafilatura decides.
    vietnamese = language == "vi" or bool(selectors)
    layout_cell = False  # the body container is a layout table's cell (no class named it)
    if vietnamese and not selectors.get("body"):
        if container is not None:
            container = _below_headline(container)
        else:
            container = _headline_cell(tree, title, url)
            layout_cell = container is not None
    # (a layout table's cell holds the headline and all under it, the lead too: no body box
    # that a sapo would sit inside)
    sapo = _sapo(tree, None if layout_cell else container, selectors.get("sapo"),
                 meta_description, title) if vietnamese else None
    date_el = _select(tree, selectors.get("date"))
    # a page that is not Vietnamese keeps the offset it states: its own calendar day; an
    # English edition under .vn writes Vietnam's dates and clock ("24 Dec 2025, 09:30")
    foreign = not vietnamese and not _vietnamese_host(url)
    published = parse_vietnamese_date(date_el[0].text_content()) if date_el else None
    named = named_elements(tree)  # (one walk for both dates' meta tags)
    published = published or find_published(tree, keep_offset=foreign, title=title, url=url,
                                            named=named)
    if not published:  # the URL's own stamp, else a line that is a date under the headline
        # (Vietnamese conventions), else htmldate's guess from the page, read before its boxes
        # and scripts go (below); no guess for a story dated only relatively (its page's dates
        # are the site's clock or other stories')
        published = url_day(url) or (None if published == NO_DAY else (
            None if foreign else dateline_line(tree, title))
            or _htmldate(tree, extract_url(tree, url)))
    updated = find_updated(tree, keep_offset=foreign, named=named)
    author = next((value for name in ("author", "article:author", "dable:author")
                   if (value := _AUTHOR_PREFIX.sub("", metas.get(name) or ""))
                   and not _names_publisher(value, metas, url)), None)
    if author and json_ld:  # a meta tag often names only the first of several authors
        listed = _json_ld_authors(json_ld)
        if len(listed) > 1 and _alnum(author) in {_alnum(name) for name in listed}:
            author = "; ".join(listed)
    image = _meta(metas, "og:image", "twitter:image")

    # The page's prose, counted before boxes go (their links do not count anyway). Only a body
    # not confirmed in its container is measured against it: for a Vietnamese page with a
    # container, it is counted later if needed, on the page parsed again (nothing is cut yet).
    prose = None if vietnamese and container is not None else prose_chars(tree)
    # without a container, the block holding the story's paragraphs stands in for it where
    # boxes and cards are looked for (on Vietnamese pages, whose conventions these are)
    story = story_block(tree) if vietnamese and container is None else None
    _drop_boxes(tree, container, vietnamese, story)  # tool bars, promotions: none is related
    related, related_ids = extract_related(tree, url, selectors.get("related"), [container],
                                           story)
    _drop_noise(tree)
    lines = block_lines(container) if vietnamese and container is not None else []
    if layout_cell:  # the cell's rows above the headline (a breadcrumb, the section's name)
        lines = _from_headline(lines, title)  # are the page's, as a named container's are
    body_extras = [*_captions(container, lines), sapo] if lines else []
    if layout_cell:  # the cell starts with the headline and its dateline: trafilatura may
        # leave them out, as the body does (below)
        body_extras += [line for line in lines if _chrome_line(line, title) or _date_line(line)]

    # A container holding most of the page's paragraphs is checked by trafilatura on itself
    # alone (a fraction of the page's cost); otherwise, or if they disagree, on the page. So is
    # a layout table's cell: on the page, trafilatura reads the layout rows (menu, sidebar,
    # footer) as one table, the story merged into one of its rows, and never agrees.
    tf_text, agreed = "", False
    # a notice whose story is its photos, its player or its document: the container that
    # shows them holds no text, and its block none besides the headline; the text elsewhere
    # (a breadcrumb, a tool bar, the footer) is the page's, never the body. Only where the
    # container's lines were read (a Vietnamese page): elsewhere none are, and an empty list
    # says nothing of the container (a post's "entry-content" was left with no body at all)
    agreed = vietnamese and not lines and container is not None and not layout_cell \
        and _shows_media_only(container, title)
    if lines and (layout_cell or _holds_most_paragraphs(tree, container)):
        tf_text = _trafilatura_text(_standalone(container), url)
        agreed = bool(tf_text) and _agrees(_with_sapo(lines, sapo),
                                           _story_text(tf_text, title, lines), body_extras, True)
    stage = None  # the fast pass's text is from a stage the full pass skips (see below)
    # a layout cell is a page column, not a body box: past the story it holds the column's
    # boxes (promotions, a date picker, other sections' lists), so it rarely agrees with
    # trafilatura's reading of it. Where that reading lies wholly in the cell, it is the story
    # as read from the cell alone; the page's reading merges the layout's rows with it.
    column_read = layout_cell and not agreed and _within(tf_text, lines)
    box = _story_box(tree, container) if not column_read and not vietnamese \
        and container is not None and _holds_most_paragraphs(tree, container) else None
    alone = _in_place(box) if box is not None else None
    if alone is not None:
        # a page read by trafilatura's rules whose named container holds most of its
        # paragraphs: trafilatura reads the story's box where it stands, not the whole page
        # (a third of the cost); what it would read besides is menus, teaser lists and the
        # site's footer, which the body drops (docs/benchmarks.md, seventeenth session)
        tf_text, stage = _trafilatura_pass(alone, url)
    if not agreed and not column_read and not (tf_text and alone is not None):
        tf_text, stage = _trafilatura_pass(tree, url)
        agreed = bool(tf_text) and _agrees(_with_sapo(lines, sapo),
                                           _story_text(tf_text, title, lines), body_extras, True)
        # trafilatura's baseline dump is every text block of the page (it found no story of
        # its own: a notice that is only a table, a photo, a document): no reading of the
        # story to weigh a named container against; the container's lines, all of them in
        # the dump, stand (the dump's menus and boxes are no more the story than it is)
        agreed = agreed or stage == "baseline" and bool(lines) and not (
            _tokens("\n".join(lines)) - _tokens(tf_text))
    if vietnamese and tf_text and not agreed and not column_read:
        narrowed = _narrowed(tree, tf_text, sapo, story, title)
        if narrowed:
            lines, agreed = narrowed, True
    if tf_text and not agreed:
        lines = _without_link_lists([line for line in (_clean_text(_after_headline(x, title))
                                                        for x in tf_text.split("\n"))
                                     if line and not _chrome_line(line, title)], tree,
                                    container if vietnamese else None,
                                    story_links=True)
    # the headline, a bare date line or a share row is page chrome, whichever path found it;
    # in a data table of the container it is the table's ("Ngày ban hành | 12/11/2025"), in
    # a preformatted block the block's (a log's "2025-12-19:")
    # (the tables read only when a line is in doubt: for speed, most bodies have none)
    chrome = [_chrome_line(line, title) or _date_line(line) for line in lines]
    data = _data_lines(container if container is not None else story if story is not None
                       else tree) if any(chrome) else frozenset()
    lines = [line for line, in_doubt in zip(lines, chrome, strict=True)
             if not in_doubt or line in data]
    # Never worse than plain trafilatura: a body short beside the page's prose is checked
    # against plain trafilatura's full extraction (only then: it costs as much again), and
    # what it finds and the body lacks is brought in, in document order. A body container
    # whose text trafilatura confirmed is not doubted.
    recovery = None
    dumped = container is None and _looks_dumped(lines)
    doubted = not dumped and not (agreed and container is not None)
    fetched_page: list = []  # the page as fetched, boxes and menus still there: parsed once,
    # and only if one of the checks below reads it (``tree`` has lost its boxes by now)

    def fetched() -> lxml.html.HtmlElement | None:
        if not fetched_page:
            page = _fetched(source)
            if page is not None:  # a carousel's copies of its slides, which plain would read
                _drop_carousel_clones(page)  # and bring in again, are no more shown there
                _drop_widgets(page)  # nor a calendar's rows, nor the readers' rating
            fetched_page.append(page)
        return fetched_page[0]

    if doubted and prose is None:
        prose = prose_chars(fetched())
    asked = dumped or doubted and _prose_line_chars(lines) < _LOOKS_SHORT * prose
    # a layout table read whole, or trafilatura's baseline dump of the page's text blocks or
    # its recall escalation (or the block it was narrowed to, as wide): plain's text, the
    # story as trafilatura's full pass reads such a page, replaces it if the body holds it and
    # is longer; nothing else is asked of it
    read_whole = container is None and (stage is not None or _reads_layout_table(lines))
    full_pass_differs = not asked and read_whole
    headlines = {_line_key(r.get("text") or "") for r in related} - {""}

    def unwanted(line: str) -> bool:
        if _chrome_line(line, title) or _date_line(line):
            return True
        if vietnamese and _colophon(line):  # the site's footer plain read past the story's end
            return True  # (landing before the body's closing credit line, never popped there)
        key = _line_key(line)  # a related list's item may show its date after the headline
        return key in headlines or _DATE_AFTER.sub("", key) in headlines

    if asked or full_pass_differs:
        page = fetched()
        if not _loads_as_document(page):  # a fragment: trafilatura reads its source its own way
            page = decode_html(html, declared_encoding) if isinstance(html, bytes) else html
        plain = "\n".join(_after_headline(line, title)
                          for line in _plain_trafilatura(page, url).split("\n"))
        if _could_be_link_list(plain.split("\n")) and fetched() is not None:
            plain = "\n".join(_without_link_lists(plain.split("\n"), fetched()))

        def shown() -> str | None:  # the page's text only if a line is to come in
            return None if fetched() is None else _shown_key(fetched())

        def held() -> str | None:  # all of its text, hidden too: asked only of a line not shown
            return None if fetched() is None else _shown_key(fetched(), hidden=True)

        def blocks() -> str | None:  # its shown blocks one a line: asked of a line not shown
            return None if fetched() is None else _shown_key(fetched(), blocks=True)

        fragment = doubted and _prose_line_chars(lines) < _FRAGMENT * prose
        # a photo story read without a body box holds its captions and credit line, which
        # plain leaves out by design: they are not weighed as text plain disagrees on
        captions = None
        if vietnamese and container is None and lines and fetched() is not None:
            shown_captions = {_clean_text(x) for x in _captions(fetched(), lines)}
            captions = _tokens("\n".join(line for line in lines if line in shown_captions))
        whole_ratio = _ESCALATION_RATIO if stage == "recall" else 1.0

        def keeps_too_little(body: list[str]) -> bool:
            # plain keeps too little of the prose of a dump or an escalation's reading to
            # stand for it: readability kept one block of the story
            return bool(stage) and _prose_line_chars(
                plain.split("\n")) < _DUMP_PROSE_KEPT * _prose_line_chars(body)

        found, recovery = recover(_with_sapo(lines, sapo), plain, unwanted,
                                  dumped or full_pass_differs, shown, fragment,
                                  whole_ratio if full_pass_differs else _DUMP_RATIO, held,
                                  blocks=blocks, captions=captions)
        if asked and not dumped and read_whole and recovery != "fallback_used":
            # a body read whole that also looks short beside the page's prose (its menus,
            # boxes and forms are short lines; the dump may hold one paragraph of the story),
            # completed or not: where it holds plain's reading and is longer, plain's is the
            # story as trafilatura's full pass reads such a page, as above. Longer by more than
            # an eighth: a credit line or a caption the dump reads and plain leaves out is not
            # enough (a photo story's credit, 2 words in 107, was lost so)
            whole, said = recover(found, plain, unwanted, True, shown, fragment, _ESCALATION_RATIO,
                                  held, blocks=blocks, captions=captions)
            if said == "fallback_used" and not keeps_too_little(found):
                found, recovery = whole, said
        if full_pass_differs and (recovery != "fallback_used" or keeps_too_little(lines)):
            # the body stands; where plain adds more words than the body has, the loss is said
            # (CleanEval: 5 pages, plain better on each; WCXB's articles: 1 of 968, plain worse;
            # L3S-GN1, dragnet: none). Fewer words recovered are not: plain better on 6 of 12
            recovery = "plain_disagrees" if recovery == "plain_disagrees" else None
        elif recovery == "plain_disagrees" and not dumped and _reads_layout_table(lines):
            # the body is the fast pass's cut of a layout table, not a story found in its own
            # block: plain's reading of the same table completes or replaces it
            lines, recovery = recover_layout_reading(_with_sapo(lines, sapo), plain, unwanted,
                                                     shown, held)
        elif recovery == "plain_disagrees" and (block := _body_block(fetched(), lines)) is not None:
            # plain's further text is taken from the headings and lists of the block that
            # holds the body's own lines, between its first and last line (trafilatura's own
            # extraction, falling back on the page's paragraphs, leaves them out), not from
            # captions, embeds' placeholders, comments or neighbour stories
            outline = Counter(_shown_key(el) for el in block.iter(*_OUTLINE))
            found, completed = recover(lines, plain, unwanted, shown=" ".join(
                key for key, times in outline.items() if times == 1), fragment=True)
            first = next((i for i, line in enumerate(found) if line is lines[0]), None)
            last = next((i for i in range(len(found) - 1, -1, -1) if found[i] is lines[-1]),
                        None)  # (None: recovery left out the body's first or last line)
            if completed and first is not None and last is not None \
                    and last + 1 - first > len(lines):
                lines, recovery = found[first:last + 1], completed
        else:
            lines = found
    # the publisher's own statement of the body (schema.org's articleBody): where the body
    # holds less of it than it says, the page's lines it holds are brought in, in document
    # order (the page's, not the statement's: its text may be mis-encoded, marked up or cut
    # short). Of the 114 pages of WCXB and the wide set stating one, 3 gained (0.32 to 0.93,
    # 0.35 to 0.84, 0.87 to 0.92); none changed otherwise.
    stated = _json_ld_body(json_ld) if json_ld else ""
    said = _tokens(stated)
    if said and sum((_tokens("\n".join(lines)) & said).values()) < _HELD * sum(said.values()) \
            and fetched() is not None:
        key = _line_key(stated)
        told = [line for line in block_lines(fetched())
                if len(line) >= _PROSE_LINE and _line_key(line) in key]
        times = Counter(told)  # a line the page gives twice is a widget's (a sign-up notice)
        found, completed = recover(lines, "\n".join(x for x in told if times[x] == 1),
                                   unwanted, fragment=True)
        if completed == "recovered_text" or completed and not lines:
            lines, recovery = found, completed
    if container is None and lines and sum(map(len, lines)) < _CHROME_ONLY_CHARS:
        # a notice whose content is its document or its photo: trafilatura's text of it may
        # be the site's footer ("Cơ quan chủ quản … Địa chỉ …"), which is never the body
        shown = outside_asides(fetched(), [_line_key(line) for line in lines]) \
            if fetched() is not None else {}
        kept = []
        for line in lines:  # as many times as the page shows it outside them
            key = _line_key(line)
            if shown.get(key, 1) > 0:
                kept.append(line)
                if key in shown:
                    shown[key] -= 1
        lines = kept
    if vietnamese and container is None and lines and len(lines[0]) < _PROSE_LINE:
        # the story starts at its headline: the menu and breadcrumb above it are the page's
        lines = lines[_shown_above_headline(lines, fetched(), title):]
    if vietnamese and len(lines) > 1:  # the site's footer, read past the story's end (no
        # body box, or a block read around it): its colophon, and the lines after it
        lines = lines[:len(lines) - _footer_tail(lines, fetched, container)]
    while lines and _colophon(lines[-1]):  # the site's footer, read for want of a body box
        lines.pop()  # (an e-magazine's full-width frame, a notice shorter than its footer)
    if vietnamese and container is None and lines \
            and (between := _captions_between(lines, tree)):
        # the photos' captions trafilatura left out, from the block the body's lines came from
        # (read in the page as cleaned: its boxes gone, no second parse needed)
        lines = recover(lines, between, unwanted, fragment=True)[0]
    if len(lines) > 2 and _CREDIT_ROLE.match(lines[-1]):  # (a cheap look first)
        lines = lines[:len(lines) - _credits_outside_story(lines, tree, container)]
    if sapo:
        lines = _sapo_once(lines, sapo)
    text = "\n".join(lines)  # however short: a one-sentence notice is an article too
    error = error_page(title, text, attachments)
    down = None if error else maintenance_page(title, text, attachments)
    if error or down:  # a "not found" page in the site's template: the article is not there;
        kind, reason = "other", error or down  # a maintenance page: not there for now
        if decision is not None:
            decision.update(kind=kind, reason=reason, gone=bool(error))
        if only_articles:
            return None
    if not text and kind != "article":
        return None  # nothing to read, and nothing that says it is an article

    if vietnamese and not author:
        author = _byline(container, tree) or _rel_author(tree) or _credit(lines) \
            or _credit(_line_after(container if container is not None
                                   else _last_line_block(tree, lines)))
        if author and _names_publisher(author, metas, url):
            author = None  # e.g. "admin": WordPress shows its account as the byline
    # trafilatura's metadata only for what is still missing (rare on Vietnamese news pages):
    # for an author, JSON-LD's and trafilatura's own byline search
    found = {}
    if not (title and published and author and language):
        try:
            found = _trafilatura_metadata(tree, url, title=not title, author=not author,
                                          date=False, metas=metas, json_ld=json_ld)
        except Exception:  # noqa: BLE001 - metadata fallbacks are optional
            found = {}
    image = image or found.get("image")
    try:
        image = urljoin(url, image) if image else None
    except ValueError:
        image = None
    try:
        url = canonical_url(url)  # the spelling articles.url and related links are stored under
    except ValueError:
        pass
    result = {
        "url": url,
        "title": title or _clean_text(found.get("title")) or None,
        "description": sapo or meta_description or _clean_text(found.get("description")) or None,
        "text": text,
        "published": published or found.get("date"),
        "updated": updated,
        "author": author or _AUTHOR_PREFIX.sub("", _clean_text(found.get("author"))) or None,
        "language": language or found.get("language"),
        "image": image,
        "related": related,
        "related_ids": related_ids,
        "languages": languages,
        "attachments": attachments,
        "page_kind": kind,
        "page_reason": reason,
    }
    signals = _body_signals(tree, container, text, sapo, walked=agreed and container is not None,
                            page_size=len(html))
    result["flags"] = _flags(result, container, recovery, signals)
    if cut_short or unclosed:
        result["flags"] = sorted({*result["flags"], "page_cut_short"})
    if converted:
        result["flags"] = sorted({*result["flags"], "legacy_font_converted"})
    if _legacy_font_text(tree, text):
        result["flags"] = sorted({*result["flags"], "legacy_font_text"})
    result["confidence"] = _confidence(result["flags"], result, signals)
    return result
