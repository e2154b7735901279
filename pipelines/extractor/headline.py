"""The story's headline and sapo (its lead): the title read from the page's heading elements,
its ``<title>`` and metadata, the site's banner and logo told apart from the story's, the
headline's cell in the layout, and the lead under it."""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from pipelines.extractor.classify import shows_document
from pipelines.extractor.dates import _names_date, parse_vietnamese_date, text_under
from pipelines.extractor.tree import (
    _NEVER_TEXT,
    _clean_text,
    _meta,
    _paragraph_chars,
    _select,
    _text_of,
)
from pipelines.text import fold

# (a story's subtitle under its headline is its lead in WordPress news themes: tagDiv's
# "td-post-sub-title", JNews' "jeg_post_subtitle", "entry-subtitle")
# ("leading-*" is a utility class's line height, Tailwind's, on headlines and paragraphs alike)
_SAPO_CLASS = re.compile(r"sapo|chapeau|description|summary|lead(?!ing-)|excerpt|intro|teaser"
                         r"|abstract|(?:post|entry|article)[-_]?sub-?title", re.I)
_LEAD_PREFIX = re.compile(r"^\(?[\w .]{2,24}\)?\s*[-–—]$")


_UNLINKED_TEXT = etree.XPath(  # (only their lengths are read: plain str, cheaper)
    ".//text()[not(ancestor::a or ancestor::script or ancestor::style or ancestor::noscript)]",
    smart_strings=False)
_PICTURES = etree.XPath(".//figure | .//img[not(ancestor::a)]")  # a linked image is a badge
_CHROME_CHARS = 60  # a dateline and a separator or two, not a caption or a credit line


def _unlinked_chars(el: lxml.html.HtmlElement) -> int:
    """Characters of ``el``'s text outside links and scripts, spaces left out."""
    return sum(len("".join(text.split())) for text in _UNLINKED_TEXT(el))


def _below_headline(container: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The story block of a recognised container that also holds the headline.

    Such a container is a wrapper (category menu, headline, dateline, tags around the story).
    Going down towards the <h1>, the first block that no longer holds it and has at least 3/4
    of the container's paragraph text is the story, if what it leaves out is page chrome (links,
    the headline, a dateline: no picture, at most _CHROME_CHARS of other text); otherwise, or
    when there is none (paragraphs are the headline's siblings), the container stands.
    """
    h1 = next(container.iter("h1"), None) if container is not None else None
    if h1 is None:
        return container
    total = _paragraph_chars(container)
    node = container
    while True:
        children = [c for c in node if isinstance(c.tag, str) and c.tag not in _NEVER_TEXT]
        if not children or not total:
            return container
        best = max(children, key=_paragraph_chars)
        if _paragraph_chars(best) < 0.75 * total:
            return container
        if best is not h1 and h1 not in best.iterdescendants("h1"):
            # the rest must be page chrome: links, the headline, a dateline. A picture or a
            # line of text there (a lead photo's caption, a credit) keeps the container whole.
            rest = _unlinked_chars(container) - _unlinked_chars(best) - _unlinked_chars(h1)
            if rest > _CHROME_CHARS or len(_PICTURES(container)) > len(_PICTURES(best)):
                return container
            return best
        node = best


def _headline_cell(tree: lxml.html.HtmlElement, title: str | None,
                   base: str) -> lxml.html.HtmlElement | None:
    """The layout-table cell of a page with no recognised body container whose story is the
    headline, its dateline and the text after it (old ASP.NET and PHP portals lay pages out in
    nested <table>s: menu row, sidebar cell, article cell, footer row): going up from the element
    showing the headline, the first <td> holding more than a dateline's text besides it, or a
    frame showing a document (a notice whose content is its PDF; links resolved on ``base``)."""
    if not title:
        return None
    wanted = fold(title)
    words = len(title.split())

    def shows_title(el) -> bool:  # wrappers and long blocks are skipped before their text
        if any(child.tag in _WRAPPER_CHILDREN for child in el):
            return False
        return len(el.text_content().split()) <= 2 * words and fold(_heading_text(el)) == wanted

    headline = next((el for el in tree.iter(*_TITLED_TAGS) if shows_title(el)
                     and not _in_chrome(el)), None)
    if headline is None:
        return None
    own = _unlinked_chars(headline)
    cells = [headline] if headline.tag == "td" else []
    for cell in [*cells, *headline.iterancestors("td")]:
        if _unlinked_chars(cell) - own > _CHROME_CHARS or shows_document(cell, base):
            return cell
    return None


def _title(tree: lxml.html.HtmlElement, css: str | None, fallback: str | None,
           metas: dict[str, str], container=None) -> str | None:
    chosen = [_clean_text(el.text_content()) for el in _select(tree, css)]
    if chosen and chosen[0]:
        return chosen[0]
    meta = _meta(metas, "og:title", "twitter:title") or _clean_text(
        next(iter(tree.xpath("//title/text()")), ""))
    h1_elements = [h for h in tree.iter("h1") if _clean_text(h.text_content()) and not _logo(h)]
    h1s = [_heading_text(h) for h in h1_elements]
    if meta:
        folded = fold(meta)
        # the site's name is in the title too, beside the headline: a logo (a linked h1, or
        # one in the banner) that is the shorter part is no headline, and of two h1s the
        # title names, the longer is
        segments = re.split(_TITLE_SEPARATOR, folded)
        site_names = set(segments) - {max(segments, key=len)}
        named_h1s = [h1 for h, h1 in zip(h1_elements, h1s, strict=True)
                     if (fold(h1) in folded or folded in fold(h1))
                     and not (fold(h1) in site_names and _in_banner(h))]
        if named_h1s:
            h1 = max(named_h1s, key=lambda h1: len(h1.split()))
            linked = any(h.find(".//a") is not None
                         for h, text in zip(h1_elements, h1s, strict=True) if text == h1)
            post = _heading_named_by_title(tree, meta) if linked else None
            return post if post and _site_then_post(folded, fold(h1), fold(post)) else h1
        # an h1 led by its label in an element of its own ("<span>Thời sự</span> headline"):
        # the headline is the rest, when the title names that
        unlabelled = [rest for h in h1_elements if (rest := _after_label(h))
                      and fold(rest) in (folded, max(segments, key=len))]
        if unlabelled:
            return unlabelled[0]
    named = _heading_named_by_title(tree, meta) if meta else None
    if named:
        return named
    # The title names no heading (a portal's "Tin tức - Sự kiện" on every page): an h1 that is
    # not a link (a logo), else an element the page's own markup calls the title
    unlinked = [h1 for h, h1 in zip(h1_elements, h1s, strict=True) if h.find(".//a") is None]
    if len(unlinked) == 1 and len(unlinked[0].split()) >= 3:
        return unlinked[0]
    titled = _titled(tree, container)
    if titled:
        return titled
    if len(h1s) == 1 and len(h1s[0].split()) >= 3:
        return h1s[0]
    if meta:
        return _headline_in_title(tree, meta)
    return fallback


def _headline_in_title(tree: lxml.html.HtmlElement, title: str) -> str:
    """The headline in the page's ``title`` when no heading shows it: the longest run of the
    title's parts (between separators) that the page shows whole in an element of its own, if
    no shorter than its longest part; else that longest part ("headline - Site"). A dash inside
    the text the page shows as its headline is the headline's ("kinh tế - xã hội", "Hạ Long -
    Vân Đồn", "2021 - 2025"), never a site name's separator; the site's name, shown apart (a
    logo's text) or not at all, stays out, a dash of its own too ("Sở Văn hóa - Thể thao").
    A dash between two figures is a range, never a separator, shown or not."""
    pieces = _SEPARATOR_KEPT.split(title)  # parts and, between them, their separators
    for at in range(len(pieces) - 2, 0, -2):  # a dash between figures is a range ("2021 -
        if pieces[at - 1][-1:].isdigit() and pieces[at + 1][:1].isdigit() \
                and pieces[at].strip() != "|":  # 2025"): no separator
            pieces[at - 1:at + 2] = ["".join(pieces[at - 1:at + 2])]
    parts = pieces[::2]
    longest = max(parts, key=len)
    runs = {fold(run): run for i in range(len(parts)) for j in range(i + 1, len(parts))
            if len(run := "".join(pieces[2 * i:2 * j + 1])) > len(longest)}
    shown = _shown_whole(tree, runs) if runs else set()
    return runs[max(shown, key=len)] if shown else longest


def _shown_whole(tree: lxml.html.HtmlElement, wanted: dict[str, str]) -> set[str]:
    """Which of the ``wanted`` texts (folded) the page's body shows as the whole text of one
    element that is no wrapper of blocks, outside the banner, menu and footer."""
    body = tree.find("body")
    if body is None:
        return set()
    sizes = [len(text.split()) for text in wanted]
    fewest, most = min(sizes), max(sizes)
    found = set()
    for el in body.iter(*_TITLED_TAGS):
        if any(child.tag in _WRAPPER_CHILDREN for child in el):
            continue  # a wrapper: its blocks come next
        words = len(el.text_content().split())
        if fewest <= words <= 2 * most and (text := fold(_heading_text(el))) in wanted \
                and not _in_chrome(el):
            found.add(text)
    return found


# the site's banner: its name or logo, never a story's headline
_LOGO_CLASS = re.compile(r"logo|brand|site-?(?:title|name)", re.I)
# a banner or masthead may hold the story's headline too (a "hero" header): an h1 there is
# the site's only when the page's title names it as the site's part
_BANNER_CLASS = re.compile(r"banner|masthead", re.I)
_BANNER_CHARS = 300  # a banner's text: the site's name and slogan, a date, a few links


def _logo(h1: lxml.html.HtmlElement) -> bool:
    """An h1 that is the site's logo: a link to the home page ("/"), or an h1 in a small box
    (a logo, a name, a slogan: no story) named logo, brand or site title outside any
    ``<article>``; a page's wrapper named for its brand ("BrandPageWrapper") is no such box."""
    if any(_links_home(a.get("href")) for a in h1.iter("a")):
        return True
    boxes = [h1, *h1.iterancestors()]
    return not any(box.tag == "article" for box in boxes) and any(_LOGO_CLASS.search(
        f"{box.get('class') or ''} {box.get('id') or ''}") and text_under(box, _BANNER_CHARS)
        is not None for box in boxes)


def _links_home(href: str | None) -> bool:
    """Whether ``href`` is the site's home page ("/", "https://baotinh.vn/"): not an anchor
    without one, nor this page ("", "#top", "?id=1")."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "?")):
        return False
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.query and bool(parts.netloc or href == "/")


def _in_banner(h1: lxml.html.HtmlElement) -> bool:
    """Whether ``h1`` is a link or sits in a box named banner or masthead outside any
    ``<article>`` (a header box, the article's own or not, often heads the story)."""
    if h1.find(".//a") is not None:
        return True
    for box in h1.iterancestors():
        if box.tag == "article":
            return False
        if _BANNER_CLASS.search(f"{box.get('class') or ''} {box.get('id') or ''}"):
            return True
    return False


def _after_label(h1: lxml.html.HtmlElement) -> str | None:
    """The text of ``h1`` after a label in its first child (a section, a kicker or overline of
    any length: "CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH LẦN THỨ XVI") when nothing precedes that child
    and at least three words follow; else None. (The caller takes the rest only where the
    page's title names it: that, not the label's length, tells the label from the headline.)"""
    label = h1[0] if len(h1) and isinstance(h1[0].tag, str) and h1[0].tag not in ("br", "img") \
        else None  # (no comment)
    if label is None or (h1.text or "").strip():
        return None
    shown, kicker = _heading_text(h1), _clean_text(label.text_content())
    if not kicker or not shown.startswith(kicker):
        return None
    rest = shown[len(kicker):].strip(" :|-–—")
    return rest if len(rest.split()) >= 3 else None


def _heading_text(el: lxml.html.HtmlElement) -> str:
    """The text of a heading as shown: a line break (``<br>``) in it is a space; a date in an
    element of its own (a ``<time>``, a ``<small class="date">``: the dateline set beside the
    headline) is no part of it."""
    dates = [inner for inner in el.iterdescendants() if _dateline_in_heading(inner)] \
        if len(el) else []
    if dates or el.find(".//br") is not None:
        el = copy.deepcopy(el)
        for br in el.iter("br"):
            br.tail = " " + (br.tail or "")
        for inner in [inner for inner in el.iterdescendants() if _dateline_in_heading(inner)]:
            inner.drop_tree()  # (its tail, the text after it, stays)
    return _clean_text(el.text_content())


def _dateline_in_heading(el) -> bool:
    """Whether ``el``, inside a heading, is a dateline: a ``<time>`` or an element whose class
    or id names a date, showing a date and little else."""
    if not isinstance(el.tag, str) or not (el.tag == "time" or _names_date(
            f"{el.get('class') or ''} {el.get('id') or ''}")):
        return False
    text = text_under(el, 40)
    return bool(text and parse_vietnamese_date(text))


# An element whose class or id names the headline ("TieuDe", "title-news", "lblTitle", Liferay's
# "header-title"); box, widget, category and banner titles are other titles
_TITLE_CLASS = re.compile(r"title|tieu-?de|headline", re.I)
_NOT_TITLE_CLASS = re.compile(r"box|widget|cat|section|menu|module|block|sidebar|list|sub|site"
                              r"|logo|page-?title|tab|footer|header(?!-?title)|nav|card|author|byline|meta",
                              re.I)
_TITLE_WORDS = (4, 40)
_TITLED_TAGS = ("h1", "h2", "h3", "div", "span", "p", "td", "strong", "b")
# children that make an element a wrapper, never a headline's own element
_WRAPPER_CHILDREN = frozenset({"div", "p", "table", "tbody", "tr", "td", "ul", "ol", "li",
                               "section", "article", "h1", "h2", "h3", "h4", "form"})
_CHROME_TAGS = frozenset({"header", "nav", "footer", "a", "aside"})


def _in_chrome(el: lxml.html.HtmlElement) -> bool:
    """Whether ``el`` sits in the page's chrome (:data:`_CHROME_TAGS`): a ``<header>``,
    ``<footer>`` or ``<aside>`` inside an ``<article>`` is the story's own (WordPress's
    ``<header class="entry-header">`` holds its headline), as HTML5 defines them."""
    boxes = list(el.iterancestors())
    in_article = any(box.tag == "article" for box in boxes)
    return any(box.tag in _CHROME_TAGS and not (in_article and box.tag in _ARTICLE_PARTS)
               for box in boxes)


_ARTICLE_PARTS = frozenset({"header", "footer", "aside"})


def _titled(tree: lxml.html.HtmlElement, container) -> str | None:
    """The headline a page shows in an element whose class or id says so (:func:`_title_text`),
    not in the banner, menu or footer: the last such element before the body ``container``
    (the first inside it when none is before it), or the first on a page without one."""
    tags = _TITLED_TAGS if container is None else {*_TITLED_TAGS, container.tag}
    before = None
    for el in tree.iter(*tags):
        if el is container:
            return before or next(filter(None, map(_title_text, el.iter(*_TITLED_TAGS))), None)
        text = _title_text(el)
        if text and not _in_chrome(el):
            if container is None:
                return text
            before = text
    return before


def _title_text(el: lxml.html.HtmlElement) -> str | None:
    """The text of ``el`` if its class or id names it the title ("TieuDe", "title-news"; not a
    box, card or byline title: a bare h2 or h3 is as likely a section of the story) and it is
    4 to 40 words and no link."""
    named = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not _TITLE_CLASS.search(named) or _NOT_TITLE_CLASS.search(named) \
            or el.find(".//a") is not None:
        return None
    text = _heading_text(el)
    return text if _TITLE_WORDS[0] <= len(text.split()) <= _TITLE_WORDS[1] else None


_TITLE_SEPARATOR = r"\s+[|–—-]\s+"


def _heading_named_by_title(tree: lxml.html.HtmlElement, meta: str) -> str | None:
    """The h2/h3 the page's title names whole (``headline``, ``headline - Site``, ``Site |
    headline``): Joomla, Liferay and many portals show the headline in an h2 or h3, and a
    headline may hold a dash or quotes of its own."""
    folded = fold(meta)
    for el in tree.iter("h2", "h3"):
        text = _heading_text(el)
        heading = fold(text)
        if len(text.split()) < 3:
            continue
        if folded == heading or folded.startswith(heading) \
                and _SEPARATOR.match(folded, len(heading)) or _ends_with_part(folded, heading):
            return text
    return None


# (the separator searched without building a pattern around each heading: compiling one per
# h2/h3 of the page cost more than the rest of the title's search)
_SEPARATOR = re.compile(_TITLE_SEPARATOR)
_SEPARATOR_KEPT = re.compile(rf"({_TITLE_SEPARATOR})")  # split, separators kept
# a title's last part follows a colon too: Blogger's "Blog name: Post title"
_SEPARATOR_ENDING = re.compile(rf"(?:{_TITLE_SEPARATOR}|:\s+)\Z")


def _site_then_post(title: str, site: str, post: str) -> bool:
    """Whether ``title`` is ``site``, a separator and ``post`` (folded): "Blog name: Post
    title", where a linked h1 shows the blog's name and an h2 or h3 the post's title."""
    return title.startswith(site) and title.endswith(post) and len(site) + len(post) < len(
        title) and _SEPARATOR_ENDING.fullmatch(title, len(site), len(title) - len(post)) is not None


def _ends_with_part(title: str, part: str) -> bool:
    """Whether ``title`` ends with a separator and ``part`` (a final newline aside, as the
    pattern's ``$`` allows one)."""
    for whole in (title, title[:-1] if title.endswith("\n") else None):
        if whole is not None and whole.endswith(part) \
                and _SEPARATOR_ENDING.search(whole, 0, len(whole) - len(part)):
            return True
    return False


def _text_with_breaks(el: lxml.html.HtmlElement) -> str:
    """``el``'s text, a line break read as the space it shows ("cao,<br>các" is two words)."""
    if next(el.iter("br"), None) is None:
        return _text_of(el)
    el = copy.deepcopy(el)
    for br in el.iter("br"):
        br.tail = " " + (br.tail or "")
    return _text_of(el)


def _with_prefix(el: lxml.html.HtmlElement) -> str:
    """Text of a sapo element, preceded by an agency prefix sibling such as "(VTC News) -"."""
    text = _clean_text(_text_with_breaks(el))
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None and _LEAD_PREFIX.match(_clean_text(prev.text_content())):
        text = _clean_text(prev.text_content()) + " " + text
    return text


def _outside(el: lxml.html.HtmlElement, container: lxml.html.HtmlElement | None) -> bool:
    if container is None:
        return True
    return not (el is container or container in el.iterancestors()
                or el in container.iterancestors())


def _sapo(tree, container, css: str | None, description: str | None,
          title: str | None = None) -> str | None:
    """Find the sapo (lead): profile selector, sapo-like class, the meta description's twin,
    or the story's first block of prose under the headline when it is set apart as a lead
    (:func:`_emphasised_lead`)."""
    chosen = _select(tree, css)
    if chosen:
        return _with_prefix(chosen[0]) or None
    h1 = next(tree.iter("h1"), None)
    body = tree.find("body")
    if body is None:
        return None
    wanted = fold(description) if description and len(description) >= 40 else None
    twin = None
    for el in body.iter("p", "div", "h2", "span", "strong"):
        if h1 is not None and (el.sourceline or 0) < (h1.sourceline or 0):
            continue
        sapo_class = _SAPO_CLASS.search(el.get("class") or "")
        if not sapo_class and not (twin is None and wanted):
            continue  # neither a sapo by its class nor a twin still looked for: no text needed
        if not _outside(el, container) or next(el.iter("a", "h1"), None) is not None:
            continue
        text = _clean_text(_text_of(el))
        if len(text) >= 40 and sapo_class:
            return _with_prefix(el)
        if twin is None and wanted and abs(len(text) - len(wanted)) <= 3 and fold(text) == wanted:
            twin = el
    if twin is not None:
        return _with_prefix(twin)
    return _emphasised_lead(body, h1, title)


# Blocks read as one piece of text; a sapo is one of them, a wrapper holding them is not.
_BLOCKS = ("p", "div", "h2", "h3", "h4", "h5", "h6", "td", "li", "blockquote", "section",
           "article", "ul", "ol", "table", "figure", "header", "footer", "aside", "nav")
_ASIDE = ("figure", "figcaption", "li", "nav", "aside")  # a picture's, a list's, a menu's text
_PICTURE_TAGS = ("img", "picture", "video", "iframe")
_LEAD_HEADINGS = ("h2", "h3", "h4")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.I)
_BOLD = etree.XPath(".//*[self::b or self::strong][not(ancestor::b or ancestor::strong)]")
_ITALIC = etree.XPath(".//*[self::i or self::em][not(ancestor::i or ancestor::em)]")
_TEXTS = etree.XPath(".//text()")
_LEAD_CHARS = 60  # shorter text under the headline is its dateline, byline, kicker or a label
_DATELINE_CHARS = 120  # a row showing a date and this short is the story's dateline
_EMPHASISED_SHARE = 0.9  # a bold place name or first sentence ("HẠ LONG -") is the body's


def _headline_element(body: lxml.html.HtmlElement, h1, title: str | None):
    """The element showing the headline: the <h1> showing the title, else the one whose own
    text is the title (an h2, a span or a table cell on portals; the <h1> may be the logo's),
    else the <h1>."""
    if not title:
        return h1
    wanted = fold(title)
    if h1 is not None and fold(_clean_text(_text_of(h1))) == wanted:
        return h1
    for text in _TEXTS(body):
        if not text.is_tail and len(text) >= len(title) - 2 and fold(_clean_text(text)) == wanted:
            return text.getparent()
    return h1


_ABOVE_CHARS = 60  # a menu item's, a breadcrumb's or a section name's line; prose is longer


def _shown_above_headline(lines: list[str], page: lxml.html.HtmlElement | None,
                          title: str | None) -> int:
    """How many of the first ``lines`` (each short) the page shows only above its headline:
    the banner's menu, the breadcrumb, the section's name. The story starts at its headline;
    a body read without a body box (trafilatura's reading of the whole page) may start higher.
    A line shown under the headline too, or in no element of its own, ends the count."""
    if page is None or not lines or len(lines[0]) >= _ABOVE_CHARS:
        return 0
    body = page.find("body")
    headline = _headline_element(body, next(page.iter("h1"), None), title) \
        if body is not None else None
    if headline is None:
        return 0
    wanted = {line for line in lines[:_FIRST_LINES] if len(line) < _ABOVE_CHARS}
    above: dict[str, bool] = {}  # a line's text -> whether every element showing it is above
    passed = False
    for el in body.iter():
        passed = passed or el is headline
        if not isinstance(el.tag, str) or el.tag in _NEVER_TEXT:
            continue
        text = _clean_text(_text_of(el))
        if text in wanted:
            above[text] = above.get(text, True) and not passed
    count = 0
    while count < len(lines) and above.get(lines[count]):
        count += 1
    return count


_FIRST_LINES = 40  # a menu's items and a breadcrumb, read as lines, come to no more


def _share(el: lxml.html.HtmlElement, emphasis: etree.XPath) -> int:
    return sum(len(_clean_text(x.text_content())) for x in emphasis(el))


# A class whose name says bold (utility CSS: Bootstrap's "fw-bold", "font-weight-bold",
# Tailwind's "font-bold", "font-semibold", a theme's "txt-bold", "strong"), and a rule of the
# page's own stylesheet (its <style> elements: a linked one is not fetched) and what it sets
_BOLD_CLASS = re.compile(r"(?:^|[-_])(?:bold|bolder|strong|semibold|extrabold)$|^fw-?[6-9]00$",
                         re.I)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_WEIGHT = re.compile(r"font-weight\s*:\s*(\w+)", re.I)
_LAST_CLASSES = re.compile(r"\.([\w-]+)")


def _bold_by_stylesheet(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The classes the page's <style> rules set bold (``font-weight`` bold or 600-900, the last
    rule naming a class deciding), read from each selector's last compound ("p.desc",
    ".detail .lead-text")."""
    weights: dict[str, bool] = {}
    for style in root.iter("style"):
        for selectors, declarations in _CSS_RULE.findall(style.text or ""):
            weight = _CSS_WEIGHT.findall(declarations)
            if not weight:
                continue
            bold = weight[-1].lower() in ("bold", "bolder") or weight[-1][:1] in "6789" \
                and weight[-1].isdigit()
            for selector in selectors.split(","):
                last = re.split(r"[\s>+~]+", selector.strip())[-1].split(":")[0]
                for name in _LAST_CLASSES.findall(last):
                    weights[name] = bold
    return frozenset(name for name, bold in weights.items() if bold)


def _bold_by_class(el: lxml.html.HtmlElement, stylesheet) -> bool:
    """True when ``el``, or a wrapper showing only its text, wears a class that sets it bold:
    by its name (:data:`_BOLD_CLASS`), or by a rule of the page's stylesheet (``stylesheet()``
    gives the classes it sets bold, read once and only if a class is to be judged)."""
    holder = el
    while holder is not None:
        names = (holder.get("class") or "").split()
        if any(_BOLD_CLASS.search(name) for name in names) \
                or names and not stylesheet().isdisjoint(names):
            return True
        parent = holder.getparent()  # a wrapper showing only this block's text, or stop
        if parent is None or len(parent) != 1 or (parent.text or "").strip() \
                or (holder.tail or "").strip():
            return False
        holder = parent
    return False


def _emphasised_lead(body: lxml.html.HtmlElement, h1, title: str | None) -> str | None:
    """The sapo no class names and no meta description repeats: the story's first block of
    prose under the headline (past its dateline, byline and kicker, short; past link rows and
    pictures' captions), when the page sets it apart from the body as a lead is: a
    sub-heading (<h2>-<h4>), a block drawn bold by its style or by its class (named so, or set
    so by the page's <style>), or one whose text is bold throughout (italic throughout, unless
    a picture came first: then it is its caption). A first paragraph bold only in part (a
    place name "HẠ LONG -", a first sentence) is the body's, and a bold question an
    interview's; a first block of prose that is not set apart means the story has no sapo."""
    headline = _headline_element(body, h1, title)
    if headline is None:
        return None
    read: list[frozenset[str]] = []  # the stylesheet's bold classes, read when first needed

    def stylesheet() -> frozenset[str]:
        if not read:
            read.append(_bold_by_stylesheet(body.getroottree().getroot()))
        return read[0]

    passed = pictured = False
    for el in body.iter():
        if not passed:
            passed = el is headline
            continue  # (the page above the headline)
        if el.tag in _PICTURE_TAGS:
            pictured = True
        if el.tag not in _BLOCKS or el.tag in _ASIDE or headline in el.iterancestors() \
                or next(el.iterdescendants(*_BLOCKS), None) is not None:
            continue  # a wrapper (its blocks come next), a list item, a picture
        text = _clean_text(_text_of(el))
        if len(text) < _LEAD_CHARS or next(el.iterancestors(*_ASIDE), None) is not None \
                or title and fold(text) == fold(title):
            continue  # (the headline shown again, in a print block or a share box)
        if len(text) < _DATELINE_CHARS and (_names_date(f"{el.get('class', '')} {el.get('id', '')}")
                                            or parse_vietnamese_date(text)):
            continue  # the dateline row, whatever else it shows (the author, the source)
        linked = sum(len(_clean_text(a.text_content())) for a in el.iter("a"))
        if linked * 2 > len(text):
            continue  # a row of links (a breadcrumb, a related headline), not prose
        if linked or text.endswith("?"):
            return None  # prose with a link in it, an interview's question: no lead
        style = el.get("style") or ""
        need = _EMPHASISED_SHARE * len(text)
        if el.tag in _LEAD_HEADINGS or _BOLD_STYLE.search(style) or _share(el, _BOLD) >= need \
                or _bold_by_class(el, stylesheet) \
                or not pictured and (_ITALIC_STYLE.search(style) or _share(el, _ITALIC) >= need):
            return _with_prefix(el)
        return None
    return None
