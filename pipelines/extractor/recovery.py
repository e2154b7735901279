"""trafilatura's passes and the guard that keeps the body never worse than plain trafilatura:
its fast pass (and which stage of its cascade gave the text), its full plain extraction, the
tests of a body that looks short, dumped or read from a layout table, and :func:`recover`,
which brings in what plain trafilatura has and the body lacks, in order.

Importing this module patches trafilatura once, for speed and to learn its stage: its recall
escalation is noted, the XPaths that select only elements with a class or id matching a
pattern (:class:`_NamedOnly`, the cookie banners of its basic cleaning) select nothing,
without their walk, on a page where no class or id can match, and its fast passes make no
backup copy of the cleaned tree, which only its full pass reads."""

from __future__ import annotations

import copy
import hashlib
import importlib
import inspect
import re
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from itertools import chain

import lxml.html
import trafilatura.core
import trafilatura.settings
import trafilatura.xpaths
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from pipelines.extractor.lines import (
    _NEVER_SHOWN,
    _PROSE_LINE,
    _line_key,
    _prose_line_chars,
    _tokens,
)
from pipelines.extractor.source import _document
from pipelines.extractor.tree import _clean_text

_MAX_RECOVERED = 1.0  # recovery adds at most the body's own number of words…
_WHOLE_BODY_WORDS = 100  # …to a body of this many words (a shorter one may be a lead only)
_LOOKS_SHORT = 0.6  # body shorter than this share of the page's prose: ask plain trafilatura
# A body under this share of the page's prose is a fragment of the story (trafilatura's fast
# pass stopped at a section, a column, an embed): plain's further text completes it however
# much it adds. On the 30 pages of four suites where recovery was refused (plain_disagrees),
# the 19 bodies under a fifth of the page were fragments on 16 (F1 0.02-0.34, plain's 0.40-
# 0.99); the three whole stories plain was wrong beside held 0.22 to 0.35 of their pages.
_FRAGMENT = 0.2
_HELD = 0.9  # the body holds this share of plain trafilatura's words: nothing to recover
# A body read without a body container whose lines too short for prose (menus, link lists)
# hold this many characters, and outweigh its prose lines this many times, looks like a page
# dump: plain trafilatura is asked too, and its text taken when ours holds it and is more
# than _DUMP_RATIO times as long.
_DUMP_CHARS, _DUMP_SHORT, _DUMP_RATIO = 1000, 2.0, 3.0
# trafilatura's baseline dump (:func:`_baseline_dump`) or recall escalation gives way to
# plain's text only when plain keeps this share of its prose lines: what it leaves out is then
# menus, datelines and teasers. Where plain's readability kept one block of a story and
# missed the rest, it has less: on the 22 WCXB and 9 L3S-GN1 pages where the dump held
# plain's text and was longer, plain kept 0.74 to 1.06 of the dump's prose on the 11 it was
# better on, 0.08 to 0.56 on the 3 it was worse on (by 0.15 to 0.37).
_DUMP_PROSE_KEPT = 2 / 3
# trafilatura's recall escalation (see :func:`_trafilatura_pass`) gives way to plain's text
# only when it is this many times as long: the recall mode reads a right story's headings,
# captions and notes that readability leaves out, a few words in a hundred (1.00 to 1.09 times
# plain's on the three pages of the wide set and WCXB where the body was as good, within
# 0.001, or better by 0.01 to 0.04); menus and teaser columns read with the story made it 1.17
# to 1.38 times as long on the 8 L3S-GN1 pages where plain was better (by 0.01 to 0.16).
_ESCALATION_RATIO = 1.125


# trafilatura's options for its two calls, built once: an Extractor reads eight settings from
# its ConfigParser when made (0.37 ms, as much as a tenth of a fast pass on a short page), and
# none of its fields but the URL changes from page to page; trafilatura never alters them.
_PLAIN = Extractor(output_format="python", with_metadata=False, tables=True)
_FAST = Extractor(output_format="python", with_metadata=False, fast=True, comments=False,
                  tables=True)


def _options(template: Extractor, url: str) -> Extractor:
    """``template`` for the page at ``url``, as ``bare_extraction(…, url=url)`` would make it."""
    options = copy.copy(template)
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


def _plain_trafilatura(page: lxml.html.HtmlElement | str | None, url: str) -> str:
    """Plain trafilatura's body text of the page as fetched (its full extraction, with the
    readability and jusText fallbacks that the fast pass skips); "" when it finds none.
    ``page`` is the page as :func:`_fetched` parses it (trafilatura works on a copy), or its
    source where trafilatura's loader would read it otherwise (:func:`_loads_as_document`).

    Its defaults, as a user runs it and as ``make eval`` scores it: comments on (they stay out
    of the body text all the same). With comments off, trafilatura 2.3 first prunes the page of
    comment-like blocks and lists, which set off its recall escalation on a benchmark page at
    3x the cost; the body texts of the 185 fixture and benchmark pages are the same either way.

    Given the parsed page rather than its source: the same text on all 443 benchmark pages,
    4 ms a page sooner (trafilatura parses a str slower), and the parse serves the other
    checks on the page as fetched.
    """
    if page is None:
        return ""
    names = _page_names.set(_names(page) if isinstance(page, etree._Element) else None)
    try:
        doc = bare_extraction(page, options=_options(_PLAIN, url))
    except Exception:  # noqa: BLE001 - the guard must never break an extraction
        return ""
    finally:
        _page_names.reset(names)
    return (doc.text if doc is not None else None) or ""


def _fetched(source: str) -> lxml.html.HtmlElement | None:
    """The page parsed again from its :func:`_source` (decoded once: 0.6 ms a benchmark page),
    whole, as trafilatura's own parser reads it: its comments and processing instructions
    stripped (their tails kept), which no text of ours reads."""
    page = _document(source)
    if page is not None:
        etree.strip_elements(page, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return page


def _loads_as_document(page: lxml.html.HtmlElement | None) -> bool:
    """True when trafilatura's loader, given the page's source, would make the same document
    of it as :func:`_fetched`: lxml.html.fromstring returns the whole document when it holds
    a <head>, and trafilatura keeps a document of two parts or more. (A fragment without one
    comes back as its single element or body, and goes to trafilatura as source.)"""
    return page is not None and len(page) >= 2 and page.find("head") is not None


def _looks_dumped(lines: list[str]) -> bool:
    """True when ``lines`` are mostly lines too short for prose, and many (see _DUMP_CHARS)."""
    short = sum(map(len, lines)) - _prose_line_chars(lines)
    return short >= _DUMP_CHARS and short > _DUMP_SHORT * (sum(map(len, lines)) - short)


def _reads_layout_table(lines: list[str]) -> bool:
    """True when most of the characters of ``lines`` (trafilatura's text) are in table rows
    ("| menu | story | sidebar |"): the page is laid out in a table and trafilatura's fast pass
    read the layout, its menu and sidebar cells with the story's. Its full pass sets a result
    with more tables than paragraphs aside for readability's; on L3S-GN1 (621 news pages of
    2008) 252 bodies read so, and on the 33 that held plain trafilatura's text and were longer,
    plain's was better on every one (up to +0.29). The rows hold a prose line's length on
    average (a layout's columns; 80 characters and more there): a data table's rows of figures
    (22 on a WCXB page of price tables) are the article's own."""
    rows = [len(line) for line in lines if len(line) > 1 and line[0] == line[-1] == "|"]
    return sum(rows) * 2 > sum(map(len, lines)) and sum(rows) >= _PROSE_LINE * len(rows)


def recover(lines: list[str], plain: str, unwanted, dumped: bool = False,
            shown: str | Callable[[], str | None] | None = None, fragment: bool = False,
            dump_ratio: float = _DUMP_RATIO,
            held: str | Callable[[], str | None] | None = None,
            blocks: str | Callable[[], str | None] | None = None,
            captions: Counter | None = None) -> tuple[list[str], str | None]:
    """``lines`` completed with what plain trafilatura's text ``plain`` has and they lack.

    Returns ``(lines, flag)``: unchanged with flag None when ``lines`` already hold 90% of
    plain's words; plain's lines ("fallback_used") when ``lines`` are empty or mostly text
    plain does not have (another block was taken for the body); otherwise ``lines`` with each
    missing line of plain inserted after the last line they share before it, so the text
    stays in document order ("recovered_text"). Lines for which ``unwanted(line)`` is true
    (chrome, related headlines) are never brought in. A ``dumped`` body (menus and link lists
    around the story, :func:`_looks_dumped`) that holds plain's text and is more than
    ``dump_ratio`` times as long gives way to plain's lines ("fallback_used").

    With ``shown`` (:func:`_shown_key` of the page, or a function giving it when first needed)
    a line of plain's is brought in only as often as the page shows it beyond what the body
    has: plain also reads hidden copies of the story and of its metadata, and text it read
    there counts as text it disagrees on. A line repeating what the body says that the page
    does show again (a paragraph given twice) does not. With ``held`` (the page's text, hidden
    boxes included: :func:`_shown_key` with ``hidden``, or a function giving it), a line the
    page holds nowhere, shown or hidden, is one plain composed (a layout table's row, its
    cells joined, the whole page in one line, comments and all; a block less an element plain
    left out): it is not brought in either, but where nothing else is and such lines hold more
    words than the body, plain disagrees, and the flag says so ("plain_disagrees").

    With ``blocks`` (the page's shown text, one block a line: :func:`_shown_key` with
    ``blocks``, or a function giving it), a line of plain's not shown word for word is shown
    glued when one block holds it with its spaces aside: trafilatura drops the space that stands
    alone between two inline elements ("entitled</span> <a>Videos" -> "entitledVideos"). It is
    the page's text and counts as shown, once. (Glued across blocks, it is a line plain composed.)

    A ``fragment`` (a body under :data:`_FRAGMENT` of the page's prose) is completed however
    much plain brings: the guard below, that a body of a few paragraphs stands when plain
    would more than double it, is for a body that may be the whole story.

    ``captions`` are the words of the body's photo captions and closing credit line, which
    plain trafilatura leaves out by design: text plain lacks for that reason is no sign that
    the body is a dump or another block, and is not weighed so.
    """
    theirs = [x for x in (_clean_text(x) for x in plain.split("\n")) if x and not unwanted(x)]
    mine, plain_words = _tokens("\n".join(lines)), _tokens("\n".join(theirs))
    total = sum(plain_words.values())
    common = sum((mine & plain_words).values())
    weighed = sum((mine - (captions or Counter())).values())  # the body less what plain omits
    if dumped and total and common >= _HELD * total and weighed > dump_ratio * total:
        return theirs, "fallback_used"
    if not total or common >= _HELD * total:
        return lines, None
    if common < 0.5 * (weighed or sum(mine.values())) or not lines:
        return theirs, "fallback_used"
    keys = [_line_key(x) for x in lines]
    inserts: dict[int, list[str]] = {}
    # words of ours that no line of plain's has been matched to yet: a paragraph the page
    # repeats is found missing once its first copy has used up the words the body has
    unclaimed = mine.copy()
    at = 0
    added = 0  # words brought in that the body does not already say
    told = _KeyCounts(" ".join(keys))
    composed = 0  # words of lines plain composed, refused as not shown (see ``held``)
    glued = None  # ``blocks`` without their spaces, read when first needed
    for line in theirs:
        key, words = _line_key(line), _tokens(line)
        if sum((words & unclaimed).values()) >= _HELD * sum(words.values()):
            unclaimed -= words  # said already, in one line of ours or split into several
            order = chain(range(at, len(keys)), range(at))  # look ahead first: text runs forward
            shared = next((j for j in order if key and (key in keys[j] or (
                len(keys[j]) >= 20 and keys[j] in key))), None)
            if shared is not None:
                at = shared + 1
            continue
        if callable(shown):
            shown = shown()
        if isinstance(shown, str):
            shown = _KeyCounts(shown)
        if shown is not None and key and shown.count(key) <= told.count(key) and not (
                blocks is not None and told.count(key) == 0 and key.replace(" ", "") in (
                    glued := glued if glued is not None else _spaceless(blocks))):
            added += sum(words.values())  # plain read what the page hides: a sign it strayed
            if callable(held):
                held = held()
            if isinstance(held, str) and key not in held:
                composed += sum(words.values())
            continue
        told.add(key)
        if sum((words & mine).values()) < _HELD * sum(words.values()):
            added += sum(words.values())
        inserts.setdefault(at, []).append(line)
    body = sum(mine.values())
    if not inserts:  # (plain's text all composed and more than the body's: said, not taken)
        return lines, "plain_disagrees" if composed > _MAX_RECOVERED * body else None
    if body >= _WHOLE_BODY_WORDS and added > _MAX_RECOVERED * body and not fragment:
        # A body of a few paragraphs, and more new text to bring in than the body itself: the
        # two disagree on what the article is (plain took comments, a footer, a neighbour
        # story) rather than the body missing a paragraph; the body found stands.
        return lines, "plain_disagrees"
    merged = []
    for i, line in enumerate(lines):
        merged += inserts.get(i, [])
        merged.append(line)
    return merged + inserts.get(len(lines), []), "recovered_text"


def recover_layout_reading(lines: list[str], plain: str, unwanted,
                           shown: str | Callable[[], str | None] | None = None,
                           held: str | Callable[[], str | None] | None = None,
                           ) -> tuple[list[str], str | None]:
    """:func:`recover` for a body that is trafilatura's fast pass reading a layout table
    (:func:`_reads_layout_table`: its lines are the rows, ``| menu | text … |``), which
    :func:`recover` refused because plain would more than double it (``plain_disagrees``).

    That refusal stands for a body that may be the whole story, found in its own block; a
    layout row is no such block, but the cut of the page's one table the fast pass made, and
    plain's full pass reads the same table its own way (readability's content cell, its own
    lines). So the body is completed as a :data:`_FRAGMENT` is (lines plain composed, that the
    page shows nowhere, still stay out), and a row of the body whose words the lines brought
    in hold (:data:`_HELD`) goes: the same text read twice. Where every prose row goes so,
    plain's lines replace the body ("fallback_used"), its menu rows with it. On CleanEval's
    739 pages 10 bodies were refused so (F1 0.33 to 0.62 where plain has 0.87 to 0.99); on
    dragnet's 1,381 and WCXB's 1,050 none of the 27 refusals is a layout reading."""
    found, flag = recover(lines, plain, unwanted, shown=shown, fragment=True, held=held)
    if flag != "recovered_text":
        return lines, "plain_disagrees"
    ours = {id(line) for line in lines}
    brought = _tokens("\n".join(line for line in found if id(line) not in ours))
    kept = [line for line in found if id(line) not in ours or sum(
        (_tokens(line) & brought).values()) < _HELD * sum(_tokens(line).values())]
    if not any(id(line) in ours and len(line) >= _PROSE_LINE for line in kept):
        # every prose row of the body is in plain's reading: the rest of the body is the
        # layout's short rows (its menu), and plain's reading of the table replaces it
        return [line for line in kept if id(line) not in ours], "fallback_used"
    return kept, flag


def _spaceless(blocks: str | Callable[[], str | None]) -> str:
    """``blocks`` (see :func:`recover`), asked for if a function, without its spaces."""
    return ((blocks() if callable(blocks) else blocks) or "").replace(" ", "")


class _KeyCounts:
    """``str.count`` of keys in a text of word keys (:func:`_line_key`s, one space apart) that
    only grows at its end (:meth:`add`), each key's count carried on from where it was last
    taken. A key of three words or more is looked for only where its rarest inner word stands
    (wherever the key is, its inner words are whole words); a shorter one in the text itself.
    So neither a long page's thousands of lines nor one box repeated down it is each counted
    over the whole page again."""

    def __init__(self, text: str) -> None:
        self.parts, self.size = [text], len(text)
        self.words: list[str] = []  # the text split at its spaces
        self.starts: list[int] = []  # where each word starts in the text
        self.where: dict[str, list[int]] = {}  # word -> its places in ``words``
        self.at: dict[str, tuple] = {}  # key -> its count so far and where to look on
        self._index(text, 0)

    def _index(self, text: str, start: int) -> None:
        for word in text.split(" "):
            self.where.setdefault(word, []).append(len(self.words))
            self.words.append(word)
            self.starts.append(start)
            start += len(word) + 1

    def add(self, key: str) -> None:
        """The text followed by a space and ``key``."""
        self.parts.append(" " + key)
        self._index(key, self.size + 1)
        self.size += 1 + len(key)

    def count(self, key: str) -> int:
        keywords = key.split(" ")
        if len(keywords) < 3:
            if len(self.parts) > 1:
                self.parts = ["".join(self.parts)]
            text = self.parts[0]
            count, start = self.at.get(key, (0, 0))
            while (found := text.find(key, start)) >= 0:  # non-overlapping, as str.count
                count, start = count + 1, found + len(key)
            # no occurrence can start before where the key no longer fits (it may end past it)
            self.at[key] = (count, max(start, len(text) - len(key) + 1))
            return count
        inner = min(range(1, len(keywords) - 1),
                    key=lambda m: len(self.where.get(keywords[m], ())))
        count, end, inner, tried = self.at.get(key, (0, 0, inner, 0))
        spots = self.where.get(keywords[inner], [])
        lead = len(" ".join(keywords[:inner])) + 1  # the inner word's place in the key
        while tried < len(spots):
            first = spots[tried] - inner  # the word holding the key's first word
            if first + len(keywords) > len(self.words):
                break  # the text does not reach the key's end yet
            start = self.starts[spots[tried]] - lead
            tried += 1
            if first >= 0 and start >= end and self.words[first].endswith(keywords[0]) \
                    and self.words[first + 1:first + len(keywords) - 1] == keywords[1:-1] \
                    and self.words[first + len(keywords) - 1].startswith(keywords[-1]):
                count, end = count + 1, start + len(key)
        self.at[key] = (count, end, inner, tried)
        return count


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str) -> str:
    """trafilatura's body text of ``tree``, "" when it finds none. ``tree`` is left as it is
    (bare_extraction works on its own copy of a tree it is given).

    Content only: trafilatura's metadata pass (author XPaths, htmldate, licence, tags) cost
    more than its text extraction and mostly repeats what extract_article reads itself.

    For speed, the page's <head> (its scripts and styles gone with the noise) is taken out
    for the call and put back: trafilatura deletes it unread in its cleaning, after copying it
    and searching it for boxes (0.5 ms a page; none of the 466 wide-set results changes).
    """
    return _trafilatura_pass(tree, url)[0]


# The bodies trafilatura's recall escalation returned during the current fast pass (see
# :func:`_trafilatura_pass`); None outside one.
_recall_bodies: ContextVar[list | None] = ContextVar("_recall_bodies", default=None)
_recall_retry = getattr(trafilatura.core, "_recall_retry", None)


def _noting_recall_retry(*args, **kwargs):
    """trafilatura's recall escalation (stage 4 of its cascade), the body it returns noted for
    :func:`_trafilatura_pass`. trafilatura tells no caller which of its stages gave the text."""
    found = _recall_retry(*args, **kwargs)
    noted = _recall_bodies.get()
    if noted is not None:
        noted.append(found[0])
    return found


if _recall_retry is not None:  # (a trafilatura without the escalation: never noted)
    trafilatura.core._recall_retry = _noting_recall_retry


# trafilatura's tree preparation copies the cleaned tree as a backup before converting its
# tags; only the full pass's comparison with readability and jusText reads that backup, and the
# comment capture of a forum thread: with ``fast`` and comments off (tintuc's fast pass and its
# recall escalation) nobody does, and the copy (a page-sized tree) is made for nothing. Patched
# only where the three functions are the ones read (by their source's hash): a trafilatura
# whose cascade differs keeps its own preparation.
_prepare_tree = getattr(trafilatura.core, "_prepare_tree", None)
_BACKUP_READERS = {"_prepare_tree": "bfc95d6a60d5", "_extract_and_compare": "040360116096",
                   "trafilatura_sequence": "0dc10fc96543"}


def _prepare_tree_without_backup(tree, options: Extractor, url: str | None):
    """trafilatura's ``_prepare_tree`` (clean a copy of ``tree``, convert its tags), without
    the backup copy where nothing reads it (None in its place)."""
    if not options.fast or options.comments:
        return _prepare_tree(tree, options, url)
    cleaned = trafilatura.core.tree_cleaning(copy.copy(tree), options)
    return trafilatura.core.convert_tags(cleaned, options, url), None


def _source_hash(name: str) -> str | None:
    try:
        return hashlib.sha1(inspect.getsource(getattr(trafilatura.core, name)).encode()
                            ).hexdigest()[:12]
    except (AttributeError, OSError, TypeError):
        return None


if all(_source_hash(name) == digest for name, digest in _BACKUP_READERS.items()):
    trafilatura.core._prepare_tree = _prepare_tree_without_backup


# trafilatura finds some boxes by testing EXSLT regular expressions on the class and id of every
# element, a call into Python each, though such boxes are on few pages: its raw-tree prunes
# (infinite-scroll containers, share buttons, comment sections: 6.0 ms a page of the 181-page
# benchmark, 1 to 76 pages with one) and the cookie banners of its "basic cleaning" (8.8 ms a
# page, 29 of the 458 wide-set pages with one), which takes boxes, footers and scripts out
# before its whole text is measured (its recall escalation's test, on any extracted text
# under 3000 characters, and its baseline dump). In tintuc's own passes the page's class and
# id values are read once, in one XPath, and searched at once: where none can match, those
# XPaths select nothing without their walk (the cleaning's other parts, 0.7 ms, still walk).
# Only XPaths read and found to select such elements alone are so replaced (by their text's
# hash: a trafilatura whose XPaths differ keeps its own).
_page_names: ContextVar[str | None] = ContextVar("_page_names", default=None)
_CLASSES_AND_IDS = etree.XPath(".//@class | .//@id", smart_strings=False)  # (plain str: cheaper)


def _names(tree) -> str:
    """The class and id values in ``tree``, one a line, each once. (A match of a pattern in one
    value is a match in them, ``^`` read at each line's start: never fewer matches, maybe more.
    Each once: half as long on the 181-page benchmark, half the time to search.)"""
    return "\n".join(dict.fromkeys(_CLASSES_AND_IDS(tree)))


_NAME_TESTS = re.compile(r"re:test\(@(?:id|class)(?:\|@class)?, '([^']*)'(, 'i')?\)"
                         r"|contains\(@class, '([^']*)'\)")
_NAMED_ONLY = frozenset({"c15751070b07", "12b073ccb20e", "7e7d885e629a"})  # (sha1 of the text)


class _NamedOnly:
    """One of trafilatura's XPaths that selects only elements with a class or id matching a
    pattern it names: in tintuc's passes, on a page where none can, nothing."""

    def __init__(self, xpath) -> None:
        self.xpath = xpath
        self.names = re.compile("|".join(dict.fromkeys(  # (one search for all its patterns)
            f"(?{'i' if flag else ''}:{tested or re.escape(contained)})"
            for tested, flag, contained in _NAME_TESTS.findall(xpath.path))), re.M)

    def __call__(self, tree, **variables) -> list:
        names = _page_names.get()
        if names is not None and not self.names.search(names):
            return []
        return self.xpath(tree, **variables)


for _xpaths in (trafilatura.xpaths.RAW_TREE_PRUNE_XPATH,
                trafilatura.xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH):
    _xpaths[:] = [_NamedOnly(x) if isinstance(x, etree.XPath) and hashlib.sha1(
        x.path.encode()).hexdigest()[:12] in _NAMED_ONLY else x for x in _xpaths]

_trafilatura_baseline = importlib.import_module("trafilatura.baseline")
_BASIC_CLEAN = getattr(_trafilatura_baseline, "BASIC_CLEAN_XPATH", None)
_BANNER = getattr(trafilatura.settings, "_COOKIE_CONSENT_RE", None)
_CLEANED_TAGS = (".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer"
                 "|.//script|.//style|.//svg|.//template")
_CLEANED_WITHOUT_BANNERS = etree.XPath(_CLEANED_TAGS)
_BANNER_WORDS = ("cookie", "consent", "borlabs", "cmplz", "onetrust", "moove")  # one in any match


def _names_banner(names: str) -> bool:
    """True when one of the class and id values ``names`` matches trafilatura's banner
    expression. (An ASCII value matches it only if it holds one of :data:`_BANNER_WORDS`, case
    aside: a cheaper test first.)"""
    if names.isascii() and not any(word in names.lower() for word in _BANNER_WORDS):
        return False
    return _COOKIE_BANNER.search(names) is not None


def _basic_clean_elements(tree) -> list:
    """The elements trafilatura's ``BASIC_CLEAN_XPATH`` selects in ``tree``, the same ones in
    the same order."""
    names = _page_names.get()
    if names is not None and not _names_banner(names):
        return _CLEANED_WITHOUT_BANNERS(tree)
    return _BASIC_CLEAN(tree)


if _BANNER is not None and isinstance(_BASIC_CLEAN, etree.XPath) and _BASIC_CLEAN.path == (
        f"{_CLEANED_TAGS}|.//*[re:test(@class, '{_BANNER}', 'i')"
        f" or re:test(@id, '{_BANNER}', 'i')]"):
    _COOKIE_BANNER = re.compile(_BANNER, re.I)
    _trafilatura_baseline.BASIC_CLEAN_XPATH = _basic_clean_elements


def _trafilatura_pass(tree: lxml.html.HtmlElement, url: str) -> tuple[str, str | None]:
    """:func:`_trafilatura_text` of ``tree``, and which stage of trafilatura's cascade gave
    that text if its full pass would not have reached it on the page: "baseline", its baseline
    dump (:func:`_baseline_dump`), or "recall", its recall escalation. Both follow an own
    extraction too
    short for the page (under ``min_extracted_size``; under a fifth of the page's text), and in
    the fast pass come next; the full pass first compares that extraction with readability's,
    and where readability finds more it takes that and goes no further. On L3S-GN1 (621 news
    pages of 2008) the fast pass took the escalation's text on 13 pages: on 8 it read menus and
    teasers with the story, and plain trafilatura's text (readability's) was better by 0.01 to
    0.16. trafilatura tells no caller which stage gave its text: the escalation's result is
    noted as it is returned (:func:`_noting_recall_retry`)."""
    head = tree.find("head")
    if head is not None and (head.tail or "").strip():
        head = None  # text after </head> goes with it: trafilatura is given the page whole
    index = tree.index(head) if head is not None else None
    if head is not None:
        tree.remove(head)  # (its tail with it, put back with it)
    escalations, names = _recall_bodies.set([]), _page_names.set(_names(tree))
    try:
        doc = bare_extraction(tree, options=_options(_FAST, url))
    except Exception:  # noqa: BLE001 - a trafilatura failure leaves the container text
        return "", None
    finally:
        recalled = _recall_bodies.get()
        _recall_bodies.reset(escalations)
        _page_names.reset(names)
        if head is not None:
            tree.insert(index, head)
    text = (doc.text if doc is not None else None) or ""
    if not text:
        return text, None
    if any(body is doc.body for body in recalled):
        return text, "recall"
    return text, "baseline" if _baseline_dump(doc.body) else None


def _baseline_dump(body) -> bool:
    """True when ``body`` (the <body> of trafilatura's result) is its ``baseline``: its own
    extraction found under ``min_extracted_size`` (250 characters) and, in the fast pass, it
    falls back on the page's text blocks one after another, menus and datelines with the
    story, where its full pass compares with readability's and takes that. The baseline
    builds fresh <p> elements holding text only; its own extraction's are the page's elements
    (they keep their source line) or hold its inline ones. On L3S-GN1 (621 news pages of 2008)
    the fast pass returned it on 19 pages, 9 of them below plain by 0.02 to 0.34."""
    return len(body) > 0 and all(el.tag == "p" and not len(el) and not el.attrib
                                 and el.sourceline is None for el in body)


# a body's headings and list items: trafilatura's own extraction, finding no element it
# knows for the body, falls back on the page's paragraphs and leaves these out
_OUTLINE = ("h2", "h3", "h4", "h5", "h6", "li", "dt", "dd")


def _body_block(page: lxml.html.HtmlElement | None, lines: list[str]):
    """The smallest element of ``page`` showing :data:`_HELD` of the prose of ``lines`` (the
    body found; of its lines found on the page), None when that is the page's <body> or most
    of the prose is not found. Where plain trafilatura brings in more than the body's own
    words (``plain_disagrees``), the headings and list items of this block that plain reads
    between the body's lines are the story's own: on WCXB's 968 article pages the 3 of the 5
    pages refused so where plain was better (by 0.28 to 0.45) were bodies whose headings and
    lists trafilatura's own extraction had left out; on the 2 others plain's further text is
    outside the block; on 4 pages of the wide set what plain adds inside it is comments after
    the body, captions, a heading given once per embed (a placeholder) and a summary above."""
    prose = [line for line in lines if len(line) >= _PROSE_LINE and line[0] != "|"]
    if page is None or not prose:
        return None
    pieces = [(" ".join(piece.split()), el) for el in page.iter()
              if isinstance(el.tag, str) and el.tag not in _NEVER_SHOWN
              for piece in (el.text, *(child.tail for child in el)) if piece and piece.strip()]
    shown: Counter = Counter()  # prose characters shown under each element
    found = 0  # (a line whose first words straddle an inline element is not looked for)
    for line in prose:
        start = " ".join(line.removeprefix("- ").split()[:4])  # ("- ": a list item's)
        el = next((el for piece, el in pieces if start in piece), None)
        for holder in (el, *el.iterancestors()) if el is not None else ():
            shown[holder] += len(line)
        found += len(line) if el is not None else 0
    if found < sum(map(len, prose)) / 2:
        return None
    need = _HELD * found
    block = next((el for el, chars in sorted(shown.items(), key=lambda kv: kv[1])
                  if chars >= need), None)
    return None if block is None or block.tag in ("body", "html") else block
