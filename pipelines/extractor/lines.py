"""The body as lines of text: an element's block lines (data tables as rows, hidden and
skipped elements left out), photo captions, the lines that are page chrome (tool bars,
counters, datelines, colophons, credits blocks outside the story, link lists), how much of a
page is prose, and whether two texts agree (line keys, word counts)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import lxml.html
from lxml import etree

from pipelines.extractor.classify import ATTACHMENT
from pipelines.extractor.dates import parse_vietnamese_date
from pipelines.extractor.related import (
    NAV_HEADINGS,
    RELATED_HEADINGS,
    TAG_HEADINGS,
    heading_key,
    story_block,
)
from pipelines.extractor.tree import _NEVER_TEXT, _clean_text, _text_of
from pipelines.text import fold, word_key

_AD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ads?|adv|advert\w*|banner|baner-\w+|sponsor\w*|sda_\w+|rennab|qc|"
    r"quang-?cao|sys-ads|ads-item)(?:$|[\s_-])",
    re.I,
)
_BOX_TITLES = RELATED_HEADINGS | NAV_HEADINGS | TAG_HEADINGS  # a box's title is no body line
_NEVER_SHOWN = frozenset({"script", "style", "template"})
_SKIP_TAGS = frozenset({"iframe", "svg", "form", "button", "select", "textarea", "object",
                        "embed", "video", "audio", "canvas"})
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "figcaption", "figure",
    "blockquote", "section", "article", "table", "tr", "td", "th", "pre", "dd", "dt", "dl",
    "header", "footer", "aside", "main", "center", "address", "br", "hr",
})


def _skipped(el: lxml.html.HtmlElement) -> bool:
    """Elements whose text never belongs to a body: forms (those holding paragraphs were
    unwrapped by :func:`_drop_noise`), embeds, ad slots, hidden boxes."""
    return (el.tag in _SKIP_TAGS or bool(_AD_CLASS.search(el.get("class") or ""))
            or "display:none" in (el.get("style") or "").replace(" ", ""))


def _shown_key(root: lxml.html.HtmlElement, hidden: bool = False, blocks: bool = False) -> str:
    """The :func:`_line_key` of the text a page shows, blocks apart: scripts and hidden boxes
    (``display:none``, ``hidden``) left out, against which plain trafilatura's lines are
    counted (it reads a schema.org twin of the story hidden in the page too). With ``hidden``,
    the hidden boxes' text too: all the text the page holds. With ``blocks``, one block a line."""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _NEVER_SHOWN or not hidden and (
                el.get("hidden") is not None
                or "display:none" in (el.get("style") or "").replace(" ", "")):
            return
        block = ("\n" if blocks else " ") if tag in _BLOCK_TAGS else ""
        parts.append(block + (el.text or ""))
        for child in el:
            walk(child)
            parts.append(child.tail or "")
        parts.append(block)

    walk(root)
    if blocks:
        return "\n".join(key for piece in "".join(parts).split("\n") if (key := _line_key(piece)))
    return _line_key("".join(parts))


def block_lines(root: lxml.html.HtmlElement) -> list[str]:
    """Text of ``root`` split at block-level elements, whitespace-normalised, empties dropped."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _clean_text("".join(buf))
        buf.clear()
        if text:
            lines.append(text)

    def walk(el) -> None:
        if not isinstance(el.tag, str) or _skipped(el):
            return
        if el.tag == "table" and (rows := _data_rows(el)):
            flush()
            lines.extend(rows)
            return
        block = el.tag in _BLOCK_TAGS
        if block:
            flush()
        buf.append(el.text or "")
        for child in el:
            walk(child)
            buf.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return lines


# One tool-bar button; a line made of nothing else is chrome ("In bài viết | Về đầu trang").
_TOOL = (r"(?:chia sẻ(?: bài viết| bài| lên)?|share(?: this| on)?|in bài(?: viết)?|bản in|"
         r"in trang|print(?: this)?(?: page| article)?|lưu tin|lưu bài(?: viết)?|gửi email|"
         r"gửi e-mail|gửi cho bạn bè|gửi bài viết|email|e-mail|về đầu trang|lên đầu trang|"
         r"đầu trang|back to top|top|cỡ chữ|font size|a\+|a-|a|phóng to|thu nhỏ|facebook|zalo|"
         r"twitter|tweet|linkedin|copy link|sao chép(?: liên kết| link)?|góp ý|quay lại|trở về|"
         # an audio player's buttons and clock ("Nghe bài viết", "0:00 / 4:05", "Tốc độ 1x")
         r"nghe(?: đọc)?(?: bài viết| bài)?|lưu|(?:tăng|giảm) cỡ chữ|"
         r"\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}|"
         r"tốc độ(?: đọc)?\s*[\d.,]+\s*x|"
         # a print view's own buttons ("In | Đóng cửa sổ")
         r"in|đóng(?: cửa sổ| lại)?|close(?: window)?)")
_CHROME = re.compile(rf"^{_TOOL}(?:\s*[|/·•,:-]?\s*{_TOOL})*\s*:?$", re.I)
_ENDS_WITH_TOOL = re.compile(rf"(?:^|[\s|/·•,:)-]){_TOOL}\s*:?$", re.I)
_DATE_AND_TOOLS_CHARS = 200  # a dateline and a tool bar in one row
# A line of the page's own counters and widgets: views, comments, a rating, a tag line, a
# "follow us" call ("Lượt xem: 1.234", "Bình luận (0)", "Từ khóa: cầu, Hạ Long")
_WIDGET = re.compile(
    r"^(?:(?:số )?(?:lượt xem|lượt đọc|lượt truy cập|lượt thích|views?|reads?)\s*:?\s*[\d.,]+"
    r"|(?:bình luận|ý kiến|comments?)\s*(?:\(\s*\d+\s*\)|:?\s*\d+)?"
    r"|đánh giá(?: bài viết| của bạn)?\s*:?"
    r"|(?:từ khóa|từ khoá|tags?)\s*:.{0,200}"
    r"|theo dõi .{0,40}(?:google news|zalo|facebook|youtube|tiktok))$",
    re.I,
)


_DATA_CELL_LINES = 3  # lines a data table's cell holds at most: a layout cell holds a story


_ROWS = etree.XPath("./tr|./*/tr")  # a table's rows, its own (compiled once)


def _data_rows(table: lxml.html.HtmlElement) -> list[str]:
    """A data table's rows, one line each, its cells apart as trafilatura writes them
    ("| 05/12/2025 | Chủ tịch UBND tỉnh |"): a schedule or a document's "Số ký hiệu | Ngày ban
    hành" sheet is read by rows. A data table has two rows or more of two short cells or more
    with text; a layout table (the headline over the dateline, a menu beside the story) has
    none, and nor has a table holding tables: ``[]`` for those."""
    if table.find(".//table") is not None:
        return []
    rows, data_rows = [], 0
    for row in _ROWS(table):
        cells = [block_lines(cell) for cell in row if cell.tag in ("td", "th")]
        if any(len(cell) > _DATA_CELL_LINES for cell in cells):
            return []
        cells = [" ".join(cell) for cell in cells if cell]
        if len(cells) >= 2:
            data_rows += 1
        if cells:
            rows.append(f"| {' | '.join(cells)} |" if len(cells) >= 2 else cells[0])
    return rows if data_rows >= 2 else []


def _data_lines(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The rows of ``root``'s data tables (:func:`_data_rows`) and the lines of its
    preformatted blocks (code, a log, a plain-text table in <pre>). A date or the document's
    number there is data, not the page's dateline or headline."""
    return frozenset([*(row for table in root.iter("table") for row in _data_rows(table)),
                      *(line for pre in root.iter("pre")
                        for line in map(_clean_text, pre.text_content().split("\n")) if line)])


def _chrome_line(line: str, title: str | None) -> bool:
    """A line of page chrome that trafilatura kept: the headline repeated, share/print rows,
    counters and widgets (:data:`_WIDGET`)."""
    words = " ".join(line.replace("\\|", " ").replace("|", " ").split())  # ("\|": escaped)
    if not words:
        return True
    if _is_headline(words, title):
        return True
    if len(words) <= 40 and heading_key(words) in _BOX_TITLES:
        return True  # a box's title left alone ("TIN MỚI" over a list a script fills)
    if _CHROME.match(words) or _WIDGET.match(words):
        return True
    # the dateline and the tool bar in one row ("01/12/2026 08:30 | In bài viết | Chia sẻ")
    if len(words) > _DATE_AND_TOOLS_CHARS or not _ENDS_WITH_TOOL.search(words):
        return False
    rest = _without_dateline(words)
    return rest != words and bool(_CHROME.match(rest))


def _is_headline(words: str, title: str | None) -> bool:
    """Whether ``words`` (a line, its spaces single) is the headline ``title``."""
    # (folding keeps the length of Vietnamese text: most lines need no fold)
    return bool(title) and abs(len(words) - len(title)) <= 10 and fold(words) == fold(title)


def _from_headline(lines: list[str], title: str | None) -> list[str]:
    """``lines`` from the headline's on: what a block shows above its story's headline (the
    banner, the site's menu, the breadcrumb, a kicker) is the page's, never the story's."""
    start = next((i for i, line in enumerate(lines)
                  if _is_headline(" ".join(line.split()), title)), 0)
    return lines[start:]


def _after_headline(line: str, title: str | None) -> str:
    """``line`` without the headline it starts with and the dateline after it: trafilatura's
    baseline reads an <article> as one run of text, headline and dateline first, which are
    never body. Without a dateline after them the title's words may be the first sentence's
    own (a post titled by its subject's name: "Sam Falconer as you can see …"): kept."""
    words = " ".join(line.split())
    size = len(title or "")
    if not (size and len(words) > size and words[size] == " "
            and _is_headline(words[:size], title)):
        return line
    rest = words[size + 1:]
    after = _without_dateline(rest)
    return line if after == rest else after


def _without_dateline(line: str) -> str:
    """``line`` without the dateline it starts with: the longest run that is a date and ends
    as one does (a number, "(GMT+7)"; a date line lets short words through, and a story's first
    ones, "Sở Tài …", are not the date's), whatever follows it ("… 15:10In bài viết")."""
    ends = [i for i in range(1, min(len(line), _DATELINE_CHARS) + 1)
            if (line[i - 1].isdigit() or line[i - 1] == ")")
            and (i == len(line) or not line[i].isdigit())]
    cut = next((i for i in reversed(ends) if _date_line(line[:i])), None)
    return line if cut is None else line[cut:].lstrip(" |-–,")


_DATELINE_CHARS = 48


def _date_line(line: str) -> bool:
    """A short line that is nothing but a date (the dateline shown under the headline), labelled
    or not ("Ngày đăng: 12/01/2026", "Cập nhật ngày 05/03/2026")."""
    return len(line) <= _DATELINE_CHARS and parse_vietnamese_date(line) is not None \
        and not re.search(r"[^\W\d_]{4,}",
        re.sub(r"(?i)thứ \w+|chủ nhật|cập nhật|ngày|tháng|năm|gmt|đăng|xuất bản", "", line))


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.casefold()))


def _agrees(lines: list[str], text: str, body_extras: list[str] = (),
            container: bool = False) -> bool:
    """True when container ``lines`` hold most of trafilatura's words and add few of their own.

    The container walk keeps captions, the author line and the sapo, which trafilatura often
    drops: those of ``body_extras`` (:func:`_captions`, the sapo) that ``text`` lacks may be
    added on top. In a recognised body ``container``, so may lines of prose that trafilatura
    missed (a paragraph written as a bare <div>): they are the story's. When the walk adds much
    more than that (galleries, teasers inside a broad container) trafilatura is trusted.
    """
    mine = _tokens("\n".join(lines))
    if not mine:  # (nothing in common: trafilatura's text, often the whole page's, is not read)
        return False
    theirs = _tokens(text)
    total = sum(theirs.values())
    if not total:
        return False
    common = sum((mine & theirs).values())
    if common < 0.9 * total:
        return False
    extra = sum(mine.values()) - common - 0.1 * total
    if extra <= 0:
        return True
    known = _line_key(text)
    extra -= sum(_words(x) for x in body_extras if x and _line_key(x) not in known)
    if extra > 0 and container:
        extra -= sum(_words(line) for line in lines
                     if len(line) >= _PROSE_LINE and _line_key(line) not in known)
    return extra <= 0


def _story_text(text: str, title: str | None, box: list[str] = ()) -> str:
    """trafilatura's ``text`` without the lines of page chrome (the headline repeated, the
    dateline, a share row) that the story's ``box`` lines lack: the body never keeps them, so
    they are no text the box misses. In a short story (a photo story: a paragraph, its
    captions, the credit) they are a fifth of trafilatura's words or more, and the box
    holding the story and its captions was judged to miss them; trafilatura's text, captions
    left out, was taken instead. Chrome lines the box holds too are shared, and stay."""
    held = {_line_key(line) for line in box}
    return "\n".join(line for line in text.split("\n")
                     if not ((_chrome_line(words := _clean_text(line), title) and words
                              or _date_line(words)) and _line_key(words) not in held))


# Photo captions by class: figcaption-like boxes of Vietnamese CMSs ("chu-thich", PhotoCMS).
_CAPTION_CLASS = re.compile(r"caption|chu-?thich|image-?desc|img-?desc|photo-?desc|pic-?desc|"
                            r"desc-?img|note-?img|img-?note|fig-?desc|photo-?note|expnoedit",
                            re.I)
_CAPTION_CHARS = 400  # a caption is a sentence or two under a photo
_CREDIT_WORDS = 6  # the closing credit line: a name, an agency, "Theo TTXVN"


def _shows_image(el) -> bool:
    """An element that is a photo: an <img>, or a box holding images and no text."""
    if not isinstance(el.tag, str):
        return False
    return el.tag == "img" or (el.find(".//img") is not None and not el.text_content().strip())


def _is_caption(el) -> bool:
    """A photo caption: <figcaption>, a caption class, the text cell of a photo table, or a
    short text block right under a photo."""
    if el.tag == "figcaption" or _CAPTION_CLASS.search(el.get("class") or ""):
        return True
    if el.tag in ("td", "th"):
        table = next((a for a in el.iterancestors("table")), None)
        if table is None or len(table) > 4 or table.find(".//img") is None:
            return False
    elif el.tag in ("p", "div", "em", "span", "i"):
        prev = el.getprevious()
        if prev is None or not _shows_image(prev):
            return False
    else:
        return False
    return el.find(".//img") is None and len(el.text_content().strip()) <= _CAPTION_CHARS


def _captions(root, lines: list[str]) -> list[str]:
    """The captions and the closing credit line in ``root``: body text by the Vietnamese
    convention (captions and author line inside the body container) that trafilatura often
    leaves out. ``lines`` are root's :func:`block_lines`."""
    found = []
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _NEVER_TEXT:
            continue
        if el is not root and _is_caption(el):
            found.append(el.text_content())
        else:
            stack.extend(el)
    last = lines[-1] if lines else ""
    if _words(last) > _CREDIT_WORDS or any(_clean_text(a.text_content()) == last
                                            for a in root.iter("a")):
        return found  # a long line is no credit, nor is a headline link
    return [*found, last]


def _showing(page: lxml.html.HtmlElement, line: str, last: bool = False):
    """The element whose own text (or a child's tail) starts ``line``'s first words: the first
    on the page, or the ``last``; None if none does (a line composed of several elements)."""
    start = " ".join(line.split()[:4])
    for el in reversed(list(page.iter())) if last else page.iter():
        if isinstance(el.tag, str) and el.tag not in _NEVER_TEXT and any(
                piece and start in " ".join(piece.split())
                for piece in (el.text, *(child.tail for child in el))):
            return el
    return None


def _captions_between(lines: list[str], page: lxml.html.HtmlElement) -> str:
    """The body's ``lines`` with, in document order, the captions of the photos that the
    page's block from the body's first line to its last holds (that block's lines that are
    the body's or captions, as text): by the Vietnamese convention captions are body, and a
    body read without a body box is trafilatura's, which leaves them out. "" when there is no
    such block (the lines span the whole page) or it holds no caption the body lacks."""
    first, last = _showing(page, lines[0]), _showing(page, lines[-1], last=True)
    if first is None or last is None:
        return ""
    block = next((a for a in (first, *first.iterancestors())
                  if a is last or any(x is a for x in last.iterancestors())), None)
    if block is None or block.tag in ("body", "html"):
        return ""
    captions = {_clean_text(x) for x in _captions(block, [])} - set(lines) - {""}
    if not captions:
        return ""
    own = set(lines)
    return "\n".join(line for line in block_lines(block) if line in own or line in captions)


_CLIMB_OWN = 0.1  # words of its own an ancestor may add per word of trafilatura's text


def _source_block(tree: lxml.html.HtmlElement, text: str) -> lxml.html.HtmlElement | None:
    """The innermost block that still holds 90% of ``text``'s words (where trafilatura found it),
    or an ancestor of it that adds those words and next to nothing else (_CLIMB_OWN).

    Walks down from <body>: at most one child can hold 90% of the words, so this is cheap.
    Then back up while each step brings in trafilatura's words and next to nothing else: a
    page that leaves a tag open per paragraph nests its story one level a paragraph, and the
    innermost block holding 90% of it has lost the first tenth.
    """
    theirs = _tokens(text)
    need = 0.9 * sum(theirs.values())
    node = tree.find("body")
    if node is None or sum((_tokens(node.text_content()) & theirs).values()) < need:
        return None
    while True:
        for child in node:
            if (isinstance(child.tag, str) and child.tag not in _NEVER_TEXT
                    and sum((_tokens(child.text_content()) & theirs).values()) >= need):
                node = child
                break
        else:
            break
    words = _tokens(node.text_content())
    held = sum((words & theirs).values())
    for parent in node.iterancestors():
        if parent.tag in ("body", "html"):
            break
        wider = _tokens(parent.text_content())
        gained = sum((wider & theirs).values()) - held
        if sum(wider.values()) - sum(words.values()) - gained > _CLIMB_OWN * gained:
            break  # (a wrapper that adds nothing is passed through)
        node, words, held = parent, wider, held + gained
    return node


def _narrowed(tree: lxml.html.HtmlElement, text: str, sapo: str | None = None,
              story=None, title: str | None = None) -> list[str]:
    """Body lines from the block trafilatura's ``text`` came from, when they agree with it.

    Used when the recognised container is a broad wrapper. The lead often sits outside the
    body block (an <h2> sapo above it), so the text without its first line is tried too.
    A block that is the ``story`` block (the story's paragraphs are its own children) or a
    wrapper of it is read as a container: prose there that trafilatura left out (a note box)
    is body. A block wide enough to hold the headline (trafilatura's text ran on into the
    footer) is read from the headline on: the menu and breadcrumb above it are the page's;
    the headline and its dateline are judged as the page's too.
    """
    first, _, rest = text.partition("\n")
    for head, part in (([], text), ([_clean_text(first)], rest)):
        source = _source_block(tree, part) if part.strip() else None
        if source is None:
            continue
        lines = _from_headline(block_lines(source), title)
        # the headline and its dateline, which the body never keeps, are not words it adds
        kept = [line for line in lines if not (_chrome_line(line, title) or _date_line(line))]
        if _agrees(_with_sapo(kept, sapo), _story_text(part, title),
                   [*_captions(source, lines), sapo],
                   container=story is not None and (source is story
                                                    or source in story.iterancestors())):
            if head and _line_key(head[0]) in {_line_key(line) for line in lines}:
                return lines  # the block holds the line it was tried without: read once
            return head + lines
    return []


def _words(text: str | None) -> int:
    return len(re.findall(r"\w+", text or ""))


def _with_sapo(lines: list[str], sapo: str | None) -> list[str]:
    """``lines`` with the sapo first, as the text will be (trafilatura reads the sapo too)."""
    if sapo and fold(sapo) not in fold(" ".join(lines)):
        return [sapo, *lines]
    return lines


# Counted as prose: the text of forms (an ASP.NET form holds the whole page) and of <noscript>
# (some blogs serve the whole post there), which plain trafilatura reads.
_NOT_PROSE = (_SKIP_TAGS | {"script", "style", "template"}) - {"form"}
_PROSE_LINE = 60  # characters: a line of prose, longer than menu items, labels and datelines


def prose_chars(root: lxml.html.HtmlElement) -> int:
    """Characters of prose in ``root``: block-level lines of at least 60 characters, counting
    only text outside links (teaser lists and menus are links). A cheap measure of how much
    text a page has to give, against which a short body is noticed."""
    total = 0
    buf: list[str] = []

    def flush() -> None:  # (called only when ``buf`` holds something)
        nonlocal total
        size = len(" ".join("".join(buf).split()))
        buf.clear()
        if size >= _PROSE_LINE:
            total += size

    def walk(el, linked: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_PROSE:
            return
        block = tag in _BLOCK_TAGS
        if block and buf:
            flush()
        if linked or tag == "a":
            for child in el:
                walk(child, True)
        else:
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child, False)
                if child.tail:
                    buf.append(child.tail)
        if block and buf:
            flush()

    walk(root, False)
    if buf:
        flush()
    return total


@lru_cache(maxsize=16384)  # a site's menus and boxes repeat their link texts on every page
def _line_key(line: str) -> str:
    return word_key(line)


# the date or time shown after a headline, as :func:`_line_key` spells it ("… (01/11/2026 08:30)"
# -> "… 01 11 2026 08 30"): two to five numbers ending the line
_DATE_AFTER = re.compile(r"(?: \d{1,4}){2,5}$")


# The site's colophon, its footer's line: who owns or licenses the site and where to reach it
# ("Cơ quan chủ quản: … Giấy phép số … Địa chỉ: … Điện thoại: …", "© Bản quyền thuộc …"); folded
_OWNER = re.compile(r"ban quyen|©|copyright|co quan chu quan|chiu trach nhiem|ghi ro nguon"
                    r"|giay phep (?:so|xuat ban|thiet lap|cung cap)")
_REACH = re.compile(r"\b(?:dia chi|dien thoai|email|fax|hotline|duong day nong)\b")
_COLOPHON_CHARS = 600  # a colophon is a few sentences; a longer line is prose


def _colophon(line: str) -> bool:
    """``line`` names the site's owner or licence and how to reach it (or two of the former)."""
    if len(line) > _COLOPHON_CHARS:
        return False
    folded = fold(line)
    owner = [m.group() for m in _OWNER.finditer(folded)]
    return bool(owner) and (len(set(owner)) >= 2 or _REACH.search(folded) is not None)


_FOOTER_LINES = 8  # a footer's lines: the site's name, its colophon, a counter, its makers


def _footer_tail(lines: list[str], fetched, container: lxml.html.HtmlElement | None = None) -> int:
    """How many of the last ``lines`` are the site's footer, read past the story's end: the
    last few lines are a colophon together (:func:`_colophon`, a footer's lines one by one
    may each name one thing: "Cơ quan chủ quản: …", "Giấy phép số …", "Địa chỉ: …"), and they
    sit in one block of the page (``fetched()``, parsed only then) that holds none of the
    body's prose: that block, the footer, is the page's, every line of it at the body's end
    (its title, the colophon, the lines after it: a visit counter, the site's makers). 0 when
    the colophon's lines are not in one such block (a story that ends on a licence's address
    keeps it), or when that block is in the body's box ``container``: the box's own lines are
    never the site's."""
    start, joined = len(lines), ""
    while start > max(1, len(lines) - _FOOTER_LINES) and len(lines[start - 1]) <= _COLOPHON_CHARS:
        start -= 1
        joined = f"{lines[start]} {joined}"
        if _colophon(joined):
            break
    else:
        return 0
    page = fetched()
    if page is None:
        return 0
    first = lines[start].strip("| ").split(" | ")[0]  # (a table row's line: its first cell)
    shown = _showing(page, first, last=True)  # the colophon's first line on the page
    prose = [line for line in lines[:start] if len(line) >= _PROSE_LINE] or lines[:1]
    story = _showing(page, prose[-1], last=True)  # the body's last line of prose
    if shown is None or story is None:
        return 0
    around_story = {story, *story.iterancestors()}
    block = shown  # the largest block around the colophon that holds none of the story
    for holder in shown.iterancestors():
        if holder in around_story:
            break
        block = holder
    if container is not None and (block is container or container in block.iterancestors()):
        return 0
    footer = _line_key(" ".join(block.itertext()))  # (a table's cells apart, as lines show them)
    if not all(_line_key(line) in footer for line in lines[start:]):
        return 0
    count = len(lines) - start
    while count < len(lines) - 1 and _line_key(lines[-count - 1]) in footer:
        count += 1
    return count


# A line of a long-form story's credits block ("Nội dung: Hoàng Lan", "Ảnh: Quang Vinh",
# "Thiết kế: Thu Hà"): a role, then the names
_CREDIT_ROLE = re.compile(r"(?:nội dung|bài(?: viết)?|ảnh|thiết kế|đồ họa|đồ hoạ|trình bày|video|"
                          r"kỹ thuật|thực hiện|biên tập|quay phim|dựng phim|sản xuất|chỉ đạo sản "
                          r"xuất|tổ chức sản xuất|tổ chức thực hiện|design|photo|text)"
                          r"(?:\s*(?:,|và|&|-|\+)\s*(?:ảnh|video|clip|đồ họa))?\s*:\s*\S.{0,80}",
                          re.I)


def _credits_outside_story(lines: list[str], tree: lxml.html.HtmlElement,
                           container: lxml.html.HtmlElement | None) -> int:
    """How many of the last ``lines`` are a credits block (two :data:`_CREDIT_ROLE` lines or
    more) shown outside the story's box: the body ``container``, else the element holding the
    body's last two lines of prose (a sapo above the story may sit outside it). The fixtures'
    convention: an author line inside the body's box is body, one outside it is not. Pages
    whose body does not end so pay nothing."""
    count = 0
    while count < min(len(lines) - 1, 8) and _CREDIT_ROLE.fullmatch(lines[-1 - count]):
        count += 1
    if count < 2:
        return 0
    prose = [line for line in lines[:-count] if len(line) >= _PROSE_LINE]
    prose = prose[-2:]
    wanted = {lines[-count], *prose}
    shown = {}
    for el in tree.iter("p", "div", "span", "li", "td", "section", "article"):
        text = " ".join(el.text_content().split())
        if text in wanted and text not in shown:
            shown[text] = el
    credits = shown.get(lines[-count])
    box = container
    if box is None and prose and prose[0] in shown and prose[-1] in shown:
        first, last = shown[prose[0]], shown[prose[-1]]
        box = next((a for a in first.iterancestors() if a is last or last in a.iterdescendants()),
                   None) if first is not last else first.getparent()
    if credits is None or box is None or credits is box \
            or any(a is box for a in credits.iterancestors()):
        return 0
    return count


_CHROME_ONLY_CHARS = 400  # a body this short may be the page's footer read for want of one
_LINK_LINE_CHARS = 250  # a line longer than this is prose, never one link's whole text


def _could_be_link_list(lines: list[str]) -> bool:
    """True when most of ``lines`` are short enough to be a link's whole text: what
    :func:`_without_link_lists` needs before it reads the page's links."""
    return sum(len(line) <= _LINK_LINE_CHARS for line in lines) * 2 > len(lines)


def _without_link_lists(lines: list[str], root: lxml.html.HtmlElement,
                        container: lxml.html.HtmlElement | None = None,
                        story_links: bool = False) -> list[str]:
    """``lines`` (trafilatura's text) without the lines that are each all one link's text,
    when those are most of its lines: on a page of little text (a one-line notice, a document,
    a photo) trafilatura reads the menus and the "Tin mới nhất" boxes, whose items are links.
    In a story such lines are few (a product named, a link list in the body) and stay. A link
    to a document ("Tải về", the file's name) is the notice's own. On a Vietnamese page whose
    body has its box (``container``, in ``root``), the lines that are the text of a link outside
    it and of none inside go however few: a menu's or a box's, not the story's. Without one,
    with ``story_links``, the links of the block holding the story's paragraphs
    (:func:`story_block`) are the story's own: a list of the games or events it covers, a
    linked subheading; they stay."""
    if container is None and not _could_be_link_list(lines):
        return lines
    links = _link_keys(root, container)
    kept = [line for line in lines
            if len(line) > _LINK_LINE_CHARS or _line_key(line) not in links]
    if container is not None:
        return kept
    if len(kept) >= len(lines) - len(kept):
        return lines
    block = story_block(root) if story_links else None
    if block is None:
        return kept
    own = {_line_key(_text_of(a)) for a in block.iter("a")}
    return [line for line in lines if len(line) > _LINK_LINE_CHARS
            or _line_key(line) not in links or _line_key(line) in own]


def _link_keys(root: lxml.html.HtmlElement, container=None) -> set[str]:
    """The :func:`_line_key` of each link's whole text on the page, links to documents
    ("Tải về", the file's name: a notice's own) left out; with ``container``, only of links
    outside it whose text no link inside it has."""
    keys, own = set(), set()
    inside = set(container.iterdescendants("a")) if container is not None else set()
    for a in root.iter("a"):
        text = _text_of(a)
        # (the link's address up to its query or fragment)
        if len(text) <= 3 * _LINK_LINE_CHARS and not ATTACHMENT.search(
                (a.get("href") or "").strip().partition("?")[0].partition("#")[0]):
            (own if a in inside else keys).add(_line_key(text))
    return keys - own


def _prose_line_chars(lines: list[str]) -> int:
    """Characters of ``lines`` in lines of prose (:data:`_PROSE_LINE` characters or more)."""
    return sum(len(line) for line in lines if len(line) >= _PROSE_LINE)
