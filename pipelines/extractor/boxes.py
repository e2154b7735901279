"""Boxes taken out of the page before its body is read: noise (scripts, styles, forms asking
the reader to write) and, inside the article, tool bars (print, share, font size, page
numbers) and promotions (books, apps, newsletters, polls, shop links)."""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from lxml import etree

from pipelines.extractor.lines import prose_chars
from pipelines.extractor.tree import _NEVER_TEXT, _split, _text_of
from pipelines.text import fold


def _drop_noise(tree: lxml.html.HtmlElement) -> None:
    """Remove comments, scripts, styles and other never-text elements (inline CSS included),
    and empty the <iframe>s: what one holds is never shown (a browser shows the document its
    src names) and the parser keeps it as text, an ad slot's fallback markup ("<a href=…><img
    src=…>") that trafilatura's baseline dump read as lines of prose. The <iframe> stays (its
    src is read)."""
    for el in list(tree.iter(etree.Comment, etree.ProcessingInstruction, *_NEVER_TEXT,
                             "iframe")):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag == "iframe":
            el.text = None
            del el[:]
            continue
        if el.tail:  # keep the text that follows the removed node
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    # a form that holds paragraphs is page structure (ASP.NET, broken HTML), not a form:
    # unwrap it so trafilatura, which drops forms, still sees the text inside. A comment,
    # contact, sign-up or log-in form (a text box or an e-mail or password field, no heading,
    # a few lines) stays a form: its paragraphs are the site's words about it, not the article.
    for form in list(tree.iter("form")):
        if form.getparent() is not None and form.find(".//p") is not None and not (
                _asks_to_write(form) and next(form.iter("h1", "h2", "h3"), None) is None
                and len(form.text_content()) < _FORM_CHARS):
            form.drop_tag()
    _drop_carousel_clones(tree)
    _drop_widgets(tree)


# A date picker's row of weekday names, as calendars abbreviate them (Vietnamese "CN T2 … T7",
# English "Su Mo … Sa", "Sun Mon … Sat", "S M T W T F S"), from Sunday or from Monday.
_WEEKDAY_ROWS = {tuple(row[i:] + row[:i]) for row in (
    ["cn", "t2", "t3", "t4", "t5", "t6", "t7"], ["su", "mo", "tu", "we", "th", "fr", "sa"],
    ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], ["s", "m", "t", "w", "t", "f", "s"])
    for i in (0, 1)}
_CALENDAR_CELL = 12  # characters: a day's number, a month's name, a close button
# schema.org's aggregate rating: the readers' votes on the page ("(6816 bình chọn, 9/10 điểm)")
_AGGREGATE_RATING = etree.XPath("//*[@itemprop='aggregateRating']")
# a cell's words, a drop-down list's choices aside (a month picker lists the twelve months)
_SHOWN_TEXT = etree.XPath(".//text()[not(ancestor::select)]", smart_strings=False)


def _drop_widgets(tree: lxml.html.HtmlElement) -> None:
    """Remove the page's widgets, which are never the story's text wherever they sit: a
    calendar (a table with a row of the seven weekday names and no cell longer than a day's
    number or a month's name: a date picker, an archive's calendar; a timetable's cells hold
    more) and the readers' aggregate rating of the page, marked so by schema.org (a short
    box: a rating beside the source line read as the story's last words)."""
    doomed = [el for el in _AGGREGATE_RATING(tree) if len(_text_of(el).strip()) <= _TOOLBAR_CHARS]
    for row in tree.iter("tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        if len(cells) != 7 or tuple(fold(" ".join(cell.text_content().split()))
                                    for cell in cells) not in _WEEKDAY_ROWS:
            continue
        table = next(row.iterancestors("table"), None)
        if table is not None and all(len(" ".join("".join(_SHOWN_TEXT(cell)).split()))
                                     <= _CALENDAR_CELL for cell in table.iter("td", "th")):
            doomed.append(table)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


# The class a carousel script gives the copies of its slides that make it loop for ever
# (Slick "slick-cloned", Owl "cloned", Swiper 3-8 "swiper-slide-duplicate", Splide and Glide
# "…__slide--clone", bxSlider "bx-clone", FlexSlider "clone"): one token of the class list.
_CLONE_CLASS = re.compile(r"(?:^|\s)(?:cloned?|[\w-]*?(?:-|__|--)(?:cloned?|duplicate))(?=$|\s)",
                          re.I)
_CLONE_CANDIDATES = etree.XPath("//*[contains(@class, 'clone') or contains(@class, 'duplicate')]")


def _drop_carousel_clones(tree: lxml.html.HtmlElement) -> None:
    """Remove a carousel's cloned slides: a page saved after its script ran repeats the first
    and last slides, captions and all, and a reader sees each slide once. Only a clone whose
    text is a sibling slide's own (or none) goes: what is a copy, never what is not."""
    for el in _CLONE_CANDIDATES(tree):
        parent = el.getparent()
        if parent is None or not _CLONE_CLASS.search(el.get("class") or ""):
            continue
        text = " ".join(el.text_content().split())
        if not text or text in {" ".join(sibling.text_content().split()) for sibling in parent
                                if sibling is not el and isinstance(sibling.tag, str)
                                and not _CLONE_CLASS.search(sibling.get("class") or "")}:
            parent.remove(el)  # (a slide's tail is the space between slides)


def _asks_to_write(form: lxml.html.HtmlElement) -> bool:
    """A form with a text box, an e-mail field or a password field: one a reader fills in."""
    return form.find(".//textarea") is not None or any(
        (field.get("type") or "").strip().lower() in ("email", "password")
        for field in form.iter("input"))


# Boxes inside an article that are neither body nor related news: tool bars (print, share,
# font size, back to top, the row of page numbers of a story split over pages) and promotions
# (books, apps, newsletters, polls, sponsored content).
# Known by class or id, or by a short label opening the box ("Đặt mua sách", "Bình chọn").
_TOOLBAR_CLASS = re.compile(
    r"(?:^|[\s_-])(?:tools?|toolbar|toolbox|print|printer|share|sharing|social|socials|"
    r"font-?size|text-?size|font-?resize|back-?to-?top|go-?top|scroll-?top|to-?top|"
    r"page-?nav|pagination|pager|paging|phan-?trang)(?:$|[\s_-])",
    re.I,
)
_PROMO_CLASS = re.compile(
    r"(?:^|[\s_-])(?:promo\w*|sponsor\w*|advertorial|newsletter\w*|subscribe\w*|subscription|"
    r"polls?|survey|vote|voting|binh-?chon|khao-?sat|app-?download|download-?app|get-?app|"
    r"app-?banner|app-?promo|book-?promo|box-?book|book-?box|buy-?book|dat-?mua|mua-?sach)"
    r"(?:$|[\s_-])",
    re.I,
)
_PROMO_LABEL = re.compile(
    r"^(?:dat mua|mua sach|dat sach|sach moi|tai ung dung|tai app|dang ky nhan (?:ban )?tin|"
    r"nhan ban tin|dang ky ban tin|binh chon|tham do y kien|khao sat|noi dung tai tro|tai tro boi|"
    r"quang cao|sponsored|advertisement|newsletter|subscribe|download the app|get the app|"
    r"poll)\b"
)
# A class that says how an element's own text is set, as WordPress's block editor marks every
# paragraph given a preset size ("has-large-font-size", "has-x-small-font-size"): typography,
# not a font-size tool. Read as a tool bar, each short paragraph of such a post was dropped
# (44 of WCXB's 968 article pages carry these classes).
_TEXT_PRESET_CLASS = re.compile(r"(?<![\w-])has-[\w-]+-font-size(?![\w-])", re.I)
_FORM_CHARS = 1000  # a comment form's labels and rules; an article inside a form has more
_TOOLBAR_CHARS = 150  # a tool bar is a row of buttons: a box with more text is something else
_PROMO_CHARS = 1500  # a promotion box is small beside the article it sits in
_BOX_TAGS = ("div", "aside", "section", "table", "ul", "figure", "blockquote", "p", "span")
_FIELDS = ("input", "select", "textarea", "button")  # what a reader fills in or presses


def _box_label(box: lxml.html.HtmlElement) -> str:
    """The folded text of the first line of ``box`` when it is short (a box's label)."""
    # (the first piece that is not all white space: split() and isspace() agree on what is)
    first = " ".join(next((x for x in box.itertext() if x and not x.isspace()), "").split())
    return fold(first) if len(first) <= 40 else ""


def _drop_boxes(tree: lxml.html.HtmlElement, container, vietnamese: bool = True,
                story=None) -> None:
    """Remove tool bars and promotion boxes: neither body nor related news. Known by class
    anywhere; by their label only inside the body ``container`` or, without one, the ``story``
    block of its paragraphs (a label alone is weak), or when they hold fields to fill in; by
    their opening words or shop links (:func:`_sells`) inside the container, or anywhere on a
    page without one (by opening words only on a ``vietnamese`` page)."""
    doomed = []
    # the boxes around an <audio> (few pages have one: no box is searched for it)
    players = {box for audio in tree.iter("audio") for box in audio.iterancestors()}
    for el in tree.iter(*_BOX_TAGS):
        names = el.get("class"), el.get("id")
        if not (names[0] or names[1]):
            continue
        kind = _box_kind(names)
        if kind is None and el in players and el.find(".//figcaption") is None:
            kind = "toolbar"  # a "listen to this article" player (a captioned recording is body)
        if kind == "toolbar":
            if len(_text_of(el).strip()) <= _TOOLBAR_CHARS:
                doomed.append(el)
        elif kind == "promo" and el.tag not in ("p", "span"):
            if len(_text_of(el).strip()) <= _PROMO_CHARS:
                doomed.append(el)
    # by a label inside the body container (or, when none is recognised, the block holding the
    # story's paragraphs), or anywhere when the box asks the reader to fill in a field (a
    # poll's choices, a newsletter's e-mail box); by their opening words or shop links
    # anywhere when no container is recognised (trafilatura then decides the body)
    area = container if container is not None else tree.find("body")
    story = container if container is not None else story
    # the boxes that hold a field, from the few fields up (a label is read only where it counts)
    with_fields = set() if area is None else {
        box for field in area.iter(*_FIELDS) for box in field.iterancestors()}
    # the boxes inside the story, gathered once (for speed: not each box's ancestors climbed)
    in_story = set() if story is None else set(story.iterdescendants(*_PROMO_BOXES))
    for el in area.iter(*_PROMO_BOXES) if area is not None else ():
        if el is not area and (
                (el in with_fields or el in in_story)
                and _PROMO_LABEL.match(_box_label(el))
                or _sells(el, words=vietnamese or container is not None)):
            text = _text_of(el).strip()
            if len(_box_label(el)) < len(text) <= _PROMO_CHARS:
                doomed.append(el)
    marked = set(doomed)
    for el in doomed:
        if el.getparent() is not None and not any(a in marked for a in el.iterancestors()):
            el.drop_tree()  # drop_tree keeps the tail text that follows the box


# A promotion inside the body with no label of its own: a box whose opening words address the
# reader to sell something (the paper's book series, a subscription, an app, a vote: "Tri Thức
# giới thiệu độc giả Tủ sách…", "Mời bạn đọc đặt mua…", "Trân trọng giới thiệu"), or whose
# links all lead to shops. Only boxes with a class or id are asked (paragraph divs are not).
_PROMO_OPENING = re.compile(
    r"\b(?:gioi thieu (?:toi |den |voi |cung )?(?:quy )?(?:doc gia|ban doc)|"
    r"(?:kinh )?moi (?:quy )?(?:doc gia|ban doc|quy vi) (?:don|tim|dat|dang ky|tai|tham gia|"
    r"binh chon|mua)|tran trong gioi thieu|dat mua|dat hang ngay|mua ngay)\b"
)
_OPENING_CHARS = 160  # the box's first sentence or so
# shops' and app stores' hosts (app stores sell the paper's app)
_SHOPS = (r"tiki\.vn|shopee\.vn|lazada\.vn|sendo\.vn|fahasa\.com|vinabook\.com|nhanam\.vn|"
          r"amazon\.[a-z.]+|shopee\.[a-z.]+|lazada\.[a-z.]+|apps\.apple\.com|itunes\.apple\.com|"
          r"play\.google\.com")
_SHOP_HOST = re.compile(rf"(?:^|\.)(?:{_SHOPS})$")


def _opening(box: lxml.html.HtmlElement) -> str:
    """The first :data:`_OPENING_CHARS` characters of ``box``'s text, casefolded."""
    words: list[str] = []
    size = 0
    for piece in box.itertext():
        words += piece.split()
        size += len(piece)
        if size >= _OPENING_CHARS:
            break
    return " ".join(words)[:_OPENING_CHARS].casefold()


# Words one of which every _PROMO_OPENING phrase holds, as written: most boxes fail this cheap
# test and are never folded.
_PROMO_HINT = re.compile(r"giới thiệu|mời|đặt|mua")
# Characters of prose (:func:`prose_chars`) below which a box whose links all go to shops is a
# promotion: its blurb is a line or two (under 100 on the 40-odd shop boxes of the public
# suites); blocks of a story that link a book or product at a shop hold paragraphs (590+).
_SHOP_BLURB = 200
_PROMO_BOXES = ("div", "aside", "section", "table")  # the boxes _drop_boxes asks _sells about


# What a shop's address (:data:`_SHOP_HOST`) holds as written (its host in any case), or the
# characters urlsplit drops from one: an address with neither is no shop's, without parsing it
# (most links, for speed)
_SHOP_NAME = re.compile(rf"{_SHOPS}|[\t\r\n]", re.I)


@lru_cache(maxsize=1024)  # nested wrappers share their first link
def _shop_link(href: str) -> bool:
    """Whether ``href`` leads to a shop or an app store (:data:`_SHOP_HOST`)."""
    return bool(_SHOP_NAME.search(href)) and bool(_SHOP_HOST.search(_split(href)[0]))


def _sells(box: lxml.html.HtmlElement, words: bool = True) -> bool:
    """True when ``box`` (a div, aside, section or table with a class or id, inside the body)
    is a promotion by its opening words (when ``words``) or because every link in it goes to
    a shop and it holds no more than a blurb of prose (:data:`_SHOP_BLURB`)."""
    if not (box.get("class") or box.get("id")):
        return False
    links = box.iter("a")
    first = next(links, None)  # a wrapper's first link is mostly no shop's: one look is enough
    if first is not None and all(_shop_link(a.get("href") or "") for a in (first, *links)):
        return prose_chars(box) < _SHOP_BLURB  # more prose: the story, citing a shop
    if not words:
        return False
    first_child = box[0] if len(box) and not (box.text or "").strip() else None
    if first_child is not None and first_child.tag in _PROMO_BOXES:
        return False  # the same opening words: the inner box is asked (once, not per wrapper)
    opening = _opening(box)
    return bool(_PROMO_HINT.search(opening)) and bool(_PROMO_OPENING.search(fold(opening)))


@lru_cache(maxsize=4096)  # a page repeats its few class names on many elements
def _box_kind(names: tuple[str | None, str | None]) -> str | None:
    """"toolbar" or "promo" when an element's ``(class, id)`` names a tool bar or a promotion
    box (:data:`_TOOLBAR_CLASS`, :data:`_PROMO_CLASS`), else None."""
    joined = f"{names[0] or ''} {names[1] or ''}"
    if len(joined) < 4:
        return None
    joined = _TEXT_PRESET_CLASS.sub(" ", joined)
    if _TOOLBAR_CLASS.search(joined):
        return "toolbar"
    return "promo" if _PROMO_CLASS.search(joined) else None
