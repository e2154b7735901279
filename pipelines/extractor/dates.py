"""Vietnamese date parsing and publication-date discovery.

Vietnamese pages always write the day before the month ("03/04/2025" is 3 April).
Local times without an offset are Vietnam time (UTC+7); every returned datetime is
expressed in +07:00 so that its first ten characters are the local calendar day. With
``keep_offset`` (a page that is not Vietnamese) an offset the page states is kept instead:
the same moment, and its first ten characters are the publisher's own calendar day.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from pipelines.text import fold, solid_len

VN_TZ = timezone(timedelta(hours=7))

# (dates and times are matched in folded text, where "giờ" is "gio")
_TIME = r"(?P<H>[01]?\d|2[0-3])\s*(?:gio|giờ|[:hg])\s*(?P<M>[0-5]\d)(?:\s*[:p]\s*(?P<S>[0-5]\d))?"
_DMY = r"(?P<d>[0-3]?\d)\s*[/.-]\s*(?P<m>[01]?\d)\s*[/.-]\s*(?P<y>(?:19|20)\d\d)"
# a month in words, as locales write the solar calendar's ("24 Tháng Mười Hai 2025", glibc's
# and WordPress's vi; "tháng Chạp", "tháng Giêng" are the lunar calendar's, never read)
_MONTH_WORDS = {"muoi hai": "12", "muoi mot": "11", "muoi": "10", "mot": "1", "hai": "2",
                "ba": "3", "tu": "4", "bon": "4", "nam": "5", "sau": "6", "bay": "7", "tam": "8",
                "chin": "9"}
_MONTH = rf"(?P<m>[01]?\d|{'|'.join(_MONTH_WORDS)})(?!\w)"
_WORDS = (rf"(?:ngay\s+)?(?P<d>[0-3]?\d)\s+thang\s+{_MONTH}(?:\s*,\s*|\s+)(?:nam\s+)?"
          r"(?P<y>(?:19|20)\d\d)")
# WordPress's "F j, Y" in Vietnamese: "Tháng Mười Hai 24, 2025"
_MONTH_FIRST = rf"thang\s+{_MONTH}\s+(?P<d>[0-3]?\d)\s*,\s*(?P<y>(?:19|20)\d\d)"
# the year first with slashes or dots ("2025/12/24"), as some CMSs print their ISO date
_YMD = r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[/.]\s*(?P<m>[01]?\d)\s*[/.]\s*(?P<d>[0-3]?\d)(?!\d)"
# English month names, as an English edition or a CMS left in its English locale writes them
# ("December 24, 2025", "Dec 24, 2025", "24 Dec 2025"): read only on Vietnamese pages and after
# every Vietnamese form (elsewhere htmldate reads them, and the seventh session lost as many
# foreign pages as it gained by reading them here)
_EN_MONTHS = {m: str(i) for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_EN_MONTH = (r"(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
             r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_EN_MONTH_FIRST = (rf"(?<![a-z]){_EN_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*,\s*"
                   r"(?P<y>(?:19|20)\d\d)")
_EN_DAY_FIRST = (rf"(?<![\w/.-])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+{_EN_MONTH}\s*,?\s+"
                 r"(?P<y>(?:19|20)\d\d)")
# a two-digit year ("24/12/25"), read last and on Vietnamese pages only: 00-49 are 2000-2049,
# the rest 1950-1999
_DMYY = r"(?<![\d/.-])(?P<d>[0-3]?\d)\s*([/-])\s*(?P<m>[01]?\d)\s*\2\s*(?P<y>\d\d)(?![\d/.-])"
# read only when no day-first date is found: "12/24/2025" (an en-US SharePoint: month first,
# told by a day that cannot be a month)
_MDY = r"(?P<m>[01]?\d)\s*/\s*(?P<d>1[3-9]|2\d|3[01])\s*/\s*(?P<y>(?:19|20)\d\d)"
_ISO = (
    r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d\d:?\d\d)?)?"
)
_OFFSET = re.compile(r"(?:GMT|UTC)?\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d\d))?\b")
_ISO_RE = re.compile(_ISO)
_DMY_RE = re.compile(_DMY)
_WORDS_RE = re.compile(_WORDS)
_MDY_RE = re.compile(_MDY)
_YEAR_FIRST_RE = re.compile(_YMD)
_MONTH_FIRST_RE = re.compile(_MONTH_FIRST)
_TWO_DIGIT_YEAR_RE = re.compile(_DMYY)
_EN_MONTH_FIRST_RE = re.compile(_EN_MONTH_FIRST)
_EN_DAY_FIRST_RE = re.compile(_EN_DAY_FIRST)
_TIME_RE = re.compile(_TIME)


def _offset(text: str) -> timezone | None:
    m = _OFFSET.search(text)
    if not m or (not m.group("om") and "gmt" not in text.lower() and "utc" not in text.lower()):
        return None
    minutes = int(m.group("oh")) * 60 + int(m.group("om") or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes if m.group("sign") == "+" else -minutes))


# 12-hour clocks: SharePoint's vi-VN locale writes "9:30 SA" / "9:30 CH" (sáng / chiều).
_PM = re.compile(r"^\s*(?:ch|pm|p\.m\.|chieu|toi)\b")
_AM = re.compile(r"^\s*(?:sa|am|a\.m\.|sang)\b")


def _hour(time: re.Match, after: str) -> int:
    hour = int(time.group("H"))
    if hour < 12 and _PM.match(after):
        return hour + 12
    if hour == 12 and _AM.match(after):
        return 0
    return hour


def _format(y: str, m: str, d: str, time: re.Match | None, tz: timezone | None,
            after: str = "", keep_offset: bool = False) -> str | None:
    if (y, int(m), int(d)) == ("1900", 1, 1):
        return None  # the empty date of ASP.NET and SQL Server ("01/01/1900 00:00:00"): no date
    try:
        if time is None:
            return datetime(int(y), int(m), int(d)).date().isoformat()
        moment = datetime(
            int(y), int(m), int(d), _hour(time, after), int(time.group("M")),
            int(time.group("S") or 0), tzinfo=tz or VN_TZ,
        )
    except ValueError:
        return None
    return (moment if keep_offset else moment.astimezone(VN_TZ)).isoformat()


def _english(folded: str, text: str) -> re.Match | None:
    """A date with an English month name in ``folded`` (:data:`_EN_MONTHS`), when the page
    writes that name without diacritics: "máy" (a machine) folds to "may" too."""
    date = _EN_MONTH_FIRST_RE.search(folded) or _EN_DAY_FIRST_RE.search(folded)
    shown = unicodedata.normalize("NFC", text)
    if date and len(shown) == len(folded) and shown[date.start("m"):date.end("m")].isascii():
        return date
    return None


def parse_vietnamese_date(text: str | None, keep_offset: bool = False) -> str | None:
    """Parse a date as shown on a Vietnamese page into ISO 8601.

    Accepts ISO strings, ``dd/mm/yyyy`` (also ``-`` or ``.``), ``ngày d tháng m năm y``,
    optional weekday names, "Cập nhật:" prefixes, a time ``HH:MM[:SS]`` (or ``09h30``)
    before or after the date, and "(GMT+7)" / "+07:00" offsets. Returns ``YYYY-MM-DD``
    when no time is given, else a datetime in +07:00; None when nothing valid is found.
    """
    if not text:
        return None
    text = text.strip()
    iso = _ISO_RE.search(text)
    if iso:
        tz = None
        if iso.group("tz"):
            tz = UTC if iso.group("tz") == "Z" else _offset(iso.group("tz"))
        time = iso if iso.group("H") else None
        return _format(iso.group("y"), iso.group("m"), iso.group("d"), time, tz,
                       keep_offset=keep_offset)
    folded = fold(text)
    words = _WORDS_RE.search(folded)
    if words and words.group("m") == "nam" and not words.group(0).startswith("ngay"):
        words = None  # "9 tháng năm 2025" is nine months of 2025; May is "ngày 9 tháng Năm"
    date = (_DMY_RE.search(folded) or words or _MONTH_FIRST_RE.search(folded)
            or _YEAR_FIRST_RE.search(folded) or _MDY_RE.search(folded)
            # (a two-digit year only on Vietnamese pages, where the day always comes first)
            or (None if keep_offset else _TWO_DIGIT_YEAR_RE.search(folded)
                or _english(folded, text)))
    if not date:
        return None
    rest = folded[: date.start()] + " " + folded[date.end():]
    time = _TIME_RE.search(rest)
    tz = _offset(rest[time.end():] if time else rest)
    after = rest[time.end():] if time else ""
    year = date.group("y")
    if len(year) == 2:
        year = ("20" if year < "50" else "19") + year
    month = date.group("m")
    month = _MONTH_WORDS.get(month) or _EN_MONTHS.get(month[:3], month)
    return _format(year, month, date.group("d"), time, tz, after, keep_offset)


_META_PUBLISHED = (
    "article:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "og:published_time", "dc.date.issued", "dc.date", "date", "sailthru.date",
    "parsely-pub-date", "citation_publication_date",
    "originalpublicationdate", "rnews:datepublished",  # (goose3's and htmldate's names too)
)
_META_UPDATED = ("article:modified_time", "datemodified", "lastmod", "og:updated_time")
_DATE_CLASS = re.compile(r"date|time|publish|ngay|post-?info|meta", re.I)


def _names_date(cls: str) -> bool:
    """Whether a class and id (``cls``) name a date: :data:`_DATE_CLASS` searched in it. For
    speed, ASCII names (nearly all) are told by substring tests of their lower case: re.I tries
    every position of a long class list (6 µs against 0.4 for "entry-content clearfix
    single-post-content", on ~350 elements a walk); other names by the regex itself, whose re.I
    also folds "ſ", "ı" and "İ" onto s and i."""
    if len(cls) < 5:  # (no class nor id of four letters: a quarter of the elements)
        return False
    if not cls.isascii():
        return _DATE_CLASS.search(cls) is not None
    low = cls.lower()
    return ("date" in low or "time" in low or "publish" in low or "ngay" in low or "meta" in low
            or "postinfo" in low or "post-info" in low)


def _tree(tree_or_html: lxml.html.HtmlElement | str) -> lxml.html.HtmlElement:
    if isinstance(tree_or_html, str):
        return lxml.html.document_fromstring(tree_or_html)
    return tree_or_html


def named_elements(tree: lxml.html.HtmlElement) -> list[tuple[str, lxml.html.HtmlElement]]:
    """The elements that may name a date they hold (``<meta>``, ``<time>``, ``<span>``,
    ``<div>``, ``<abbr>`` with a ``property``, ``name`` or ``itemprop``), each with its names
    lowered, in document order: one walk of the page for the published and updated dates
    (each walk ~0.6 ms on a benchmark page; the names asked are a dozen of the ~35 found)."""
    named = []
    for el in tree.iter("meta", "time", "span", "div", "abbr"):
        for key in ("property", "name", "itemprop"):
            name = el.get(key)
            if name:
                named.append((name.strip().lower(), el))
    return named


def _meta_text(tree: lxml.html.HtmlElement, names: tuple[str, ...],
               keep_offset: bool = False, named: list | None = None) -> str | None:
    """The value of the first of ``names`` (in their order) that reads as a date (as
    :func:`parse_vietnamese_date` reads one with ``keep_offset``), as the markup writes it.
    ``named``: the page's :func:`named_elements`, when the caller has them."""
    found: dict[str, str] = {}
    for name, el in named_elements(tree) if named is None else named:
        if name in names and name not in found:
            value = el.get("content") or el.get("datetime") or el.text_content()
            if value and parse_vietnamese_date(value, keep_offset):
                found[name] = value
    return next((found[name] for name in names if name in found), None)


def _from_meta(tree: lxml.html.HtmlElement, names: tuple[str, ...],
               keep_offset: bool = False) -> str | None:
    value = _meta_text(tree, names)
    return parse_vietnamese_date(value, keep_offset) if value else None


def _json_ld_text(tree: lxml.html.HtmlElement, key: str, keep_offset: bool = False) -> str | None:
    """The first value of ``key`` in the page's JSON-LD that reads as a date, as written; Unix
    time (a number of seconds or milliseconds, ``"datePublished": 1766543400``) as the moment
    in UTC it counts."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        for match in re.finditer(rf"\"{key}\"\s*:\s*(?:\"([^\"]+)\"|(\d{{13}}|\d{{10}})\b)",
                                 script.text):
            if match.group(2):
                return datetime.fromtimestamp(int(match.group(2)[:10]), UTC).isoformat()
            if parse_vietnamese_date(match.group(1), keep_offset):
                return match.group(1)
    return None


def _clock_without_offset(text: str) -> bool:
    """Whether ``text`` is a machine time (ISO 8601, with a clock) that states no offset."""
    iso = _ISO_RE.search(text)
    return bool(iso and iso.group("H") and not iso.group("tz"))


def _stamped_utc(text: str) -> bool:
    """Whether ``text`` is a machine time (ISO 8601, with a clock) stamped UTC ("Z", "+00:00")."""
    iso = _ISO_RE.search(text)
    return bool(iso and iso.group("H") and iso.group("tz")
                and iso.group("tz").replace(":", "") in ("Z", "+0000"))


def _local_stamped_utc(machine: str, shown: str | None) -> str | None:
    """The visible dateline ``shown`` when a machine time stamped UTC (``machine``) writes the
    same clock, to the minute, on the same day: a CMS that stamps its local clock "Z" (read as
    UTC, a story of 09:30 would be dated 16:30). Else None."""
    iso = _ISO_RE.search(machine)
    written = "{}-{}-{}T{}:{}".format(*iso.group("y", "m", "d", "H", "M"))
    return shown if shown and len(shown) > 10 and shown[:16] == written else None


def _utc_shown_locally(moment: str, shown: str | None) -> str | None:
    """``moment`` (a machine time stating no offset, read as +07:00) taken as UTC, when the
    page shows that moment in Vietnam time: ``shown`` is seven hours later to the minute.
    Some CMSs write UTC without saying so; read as local, a story of 05:40 would be dated
    22:40 the day before. Else None (without a shown clock the time stays local)."""
    if not shown or len(shown) <= 10:
        return None
    later = datetime.fromisoformat(moment) + timedelta(hours=7)
    if later.replace(second=0) == datetime.fromisoformat(shown).replace(second=0):
        return later.isoformat()
    return None


_DATE_LABEL = re.compile(r"^\W*(?:cap nhat|ngay dang|dang luc|dang ngay|ngay xuat ban|xuat ban"
                         r"|thoi gian dang|ngay cap nhat|posted|published)\b")


# of the labels above, those of the last update and those of the publication
_UPDATE_LABEL = re.compile(r"^\W*(?:cap nhat|ngay cap nhat|updated|last updated)\b")
_PUBLISHED_LABEL = re.compile(r"(?:^\W*|\W)(?:ngay dang|dang luc|dang ngay|ngay xuat ban|xuat ban"
                              r"|thoi gian dang|posted|published|dang(?=\s*:?\s*\d))\b")
_LABEL_START = re.compile(r"^\W*[cnđdxtp]", re.I)  # first letters of the labels above
# the letters _LABEL_START accepts first (every code point checked: re.I adds no other)
_LABEL_LETTERS = frozenset("cnđdxtpCNĐDXTP")
_WORD_CHAR = re.compile(r"\w")


# Where a date is another story's or the site's: a related item, the latest, most read or
# recommended stories ("Tin mới", "Xem nhiều"), a sidebar or widget, comments,
# an embedded post (a blockquote), the page's footer. An <aside> or <footer> inside an
# <article> is the article's own (its meta line); a box also named as a wrapper around
# content ("site-content" with id "sidebar", "layout-container has-sidebar") is no such box,
# nor are <body>'s classes (the page's kind: "offcanvas-sidebar-mobile").
_ELSEWHERE_CLASS = re.compile(
    r"(?:^|[_-])(?:relate[ds]?|sidebar|widgets?|comments?|suggest\w*|recent|lien-?quan|tin-?khac"
    r"|binh-?luan|tin-?moi|moi-?nhat|xem-?nhieu|doc-?nhieu|most-?read|popular|recommend\w*)"
    r"(?:$|[_-])"
    r"|^(?:site[_-]|page[_-]|global[_-])?footer(?:$|[_-])", re.I)
_WRAPPER = re.compile(r"wrap|content|main|container|inner|layout", re.I)


def _elsewhere(el: lxml.html.HtmlElement, column: frozenset = frozenset()) -> bool:
    """True when ``el`` sits in a box of other stories, a sidebar, comments or the footer.
    The boxes holding the headline (``column``, its ancestors) are the article's own, whatever
    their names (a news site's main column named "sidebar-1"): the climb stops there."""
    boxes = [el, *el.iterancestors()]
    in_article = any(box.tag == "article" for box in boxes)
    for box in boxes:
        if box.tag in ("body", "html") or box in column:
            return False
        if box.tag == "blockquote" or box.tag == "nav" or (
                box.tag in ("aside", "footer") and not in_article):
            return True
        tokens = f"{box.get('class') or ''} {box.get('id') or ''}".split()
        if any(_ELSEWHERE_CLASS.search(t) for t in tokens) and not any(
                _WRAPPER.search(t) for t in tokens):
            return True
    return False


# What :func:`find_published` gives for a page that dates its story only relatively ("2 giờ
# trước", "Hôm qua 15:30", "3 ngày trước") and nowhere absolutely: its day cannot be known from
# the page, and any date on it (the site's clock, another story's) would be a wrong one. Falsy:
# no date, and none to be guessed.
NO_DAY = ""
_RELATIVE = re.compile(r"\b(?:\d+\s*(?:giay|phut|gio|ngay|tuan|thang|nam)\s*truoc|hom qua|hom nay"
                       r"|vua xong|\d+\s*(?:seconds?|minutes?|mins?|hours?|days?|weeks?)\s+ago"
                       r"|yesterday)\b")
# attributes where a dateline keeps its moment while it shows "2 giờ trước": a <time>'s
# datetime, data-time, data-date, data-timestamp, data-publish…, and the tooltip (title)
_STAMP_ATTRIBUTE = re.compile(r"^(?:datetime|title)$|^data-\S*(?:date|time|stamp|publish)", re.I)


def _kept_in_attribute(el: lxml.html.HtmlElement, keep_offset: bool = False) -> str | None:
    """The date a dateline (``el`` or an element in it) keeps in an attribute
    (:data:`_STAMP_ATTRIBUTE`): a date as text, or Unix time in seconds or milliseconds. Read
    only when its text shows a relative time, so what a page shows always wins."""
    for inner in el.iter():
        for key, value in inner.attrib.items():
            if not _STAMP_ATTRIBUTE.search(key):
                continue
            value = value.strip()
            if value.isdigit() and len(value) in (10, 13):  # seconds, milliseconds
                moment = datetime.fromtimestamp(int(value[:10]), UTC)
                return (moment if keep_offset else moment.astimezone(VN_TZ)).isoformat()
            if found := parse_vietnamese_date(value, keep_offset):
                return found
    return None


_BODY_START = 150  # characters of a paragraph of the story's text (a caption, a link: fewer)


def _from_text(tree: lxml.html.HtmlElement, keep_offset: bool = False,
               title: str | None = None, stamped: str | None = None) -> str | None:
    """First visible date after the headline (else the nearest before it).

    A date element has a date-like class/id, is a <time>, or starts with a label such as
    "Cập nhật:" / "Ngày đăng:". Dates before the headline usually belong to sidebars or the
    site's clock, so a date after the headline (:func:`_headline`) wins; above it, on a
    Vietnamese page the one nearest to it (the site's clock comes first; elsewhere the
    first), unless the URL ``stamped`` another day. A date in a box of other stories, a
    sidebar, the footer or comments (:func:`_elsewhere`) is
    never the article's, nor, on a Vietnamese page, one labelled as something else's
    (:func:`_labelled_otherwise`: "Ngày ban hành:", "Thời gian tổ chức:") while another is
    found.
    """
    headline = _headline(tree, title)
    # no headline on the page (only og:title names the story): the story's text starts at its
    # first long paragraph, and the date nearest above that is the dateline, as the one nearest
    # above a headline is (the site's clock comes first)
    body_start = None if headline is not None else next(
        (p for p in tree.iter("p") if len(p.text_content()) >= _BODY_START), None)
    after_headline = headline is None and body_start is None
    column = frozenset(headline.iterancestors()) if headline is not None else frozenset()
    first = updated = other = shown_above = None
    dated_relatively = False
    firsts: dict = {}  # (:func:`_first_word`'s answers)
    # one walk in document order: passing the headline switches from "before" to "after"
    # dd: Joomla's article-info list (<dd class="published">Thứ Ba, 23/12/2025 11:51</dd>);
    # abbr: hAtom's (Blogger's <abbr class="published">); tr: a label cell, then the date's
    # h2: Blogger's day header above its posts (<h2 class="date-header">)
    tags = ("h1", "h2", "time", "span", "div", "p", "li", "td", "dd", "em", "i", "small", "abbr",
            "tr")
    if headline is not None and headline.tag not in tags:
        tags = (*tags, headline.tag)
    for el in tree.iter(*tags):
        if el is body_start:
            if updated or first:
                break  # the nearest date above the story's text
            after_headline = True
        if el is headline or el.tag == "h1":
            after_headline = after_headline or el is headline
            continue
        dated = el.tag == "time" or _names_date(f"{el.get('class') or ''} {el.get('id') or ''}")
        if not dated and not _label_first(el, firsts):
            continue  # (told before its text is gathered: most elements are none of these)
        text = el.get("datetime") or text_under(el, 80)
        if text is None or len(text) >= 80:
            continue
        if not dated and not (_LABEL_START.match(text) and _DATE_LABEL.match(fold(text))):
            continue
        relative = _RELATIVE.search(fold(text)) is not None
        value = parse_vietnamese_date(text, keep_offset) or (
            _kept_in_attribute(el, keep_offset) if relative else None)
        if not value and relative and not _elsewhere(el, column):
            if after_headline and not _UPDATE_LABEL.match(fold(text)):
                return updated or NO_DAY  # the story's dateline: "2 giờ trước", "Hôm qua 15:30"
            dated_relatively = True  # (above the headline, or the update's: a date may follow)
        if keep_offset and not value and not after_headline and shown_above is None \
                and not _elsewhere(el, column):
            shown_above = parse_vietnamese_date(text)  # (English month names: read here only)
        if not value or _elsewhere(el, column):
            continue
        if el.get("datetime") and not keep_offset and _clock_without_offset(text):
            shown = text_under(el, 80)  # <time datetime="…T23:30">04/03 06:30</time>
            value = _utc_shown_locally(value, parse_vietnamese_date(shown)) or value
        label = fold(text)
        if not keep_offset and _labelled_otherwise(label):
            other = other or value
            continue
        if _UPDATE_LABEL.match(label) and (later := _PUBLISHED_LABEL.search(label)):
            value = parse_vietnamese_date(label[later.start():], keep_offset) or value
        elif _UPDATE_LABEL.match(label) and updated is None:
            updated = value  # the next date may be the publication's
            continue
        if updated is not None and not _PUBLISHED_LABEL.match(label):
            value = updated  # "Cập nhật: 26/12 | Ngày đăng: 24/12": the publication's is 24/12
        updated = None
        if after_headline:
            return _day_shown_above(value, first or shown_above) if keep_offset else value
        first = value if not keep_offset or first is None else first  # (foreign: the first)
    if updated or first:
        above = updated or first
        return stamped if stamped and stamped != above[:10] else above
    if other:
        return other
    # (keep_offset: a page that is not Vietnamese, which writes no "ngày … tháng … năm")
    place = None if keep_offset else _place_and_date(tree, headline, column)
    return place or (NO_DAY if dated_relatively else None)


def _day_shown_above(value: str, above: str | None) -> str:
    """``value``, a date read day first on a page that is not Vietnamese, in month-first order
    when that is the day a date above the headline shows (Blogger's "Friday, November 02,
    2012" day header over its post's "11/02/2012 12:05 AM"): the same day, written the US way."""
    if above and above[:10] == f"{value[:4]}-{value[8:10]}-{value[5:7]}":
        return above[:10] + value[10:]
    return value


# a label before a date that names no publication or update ("Ngày ban hành:", "Thời gian tổ
# chức:", "Hạn nộp hồ sơ:"); a bare "Ngày:", "Thời gian:", "Lúc:" is the dateline's own
_OTHER_LABEL = re.compile(r"^\W*([^\W\d][^\d:]{0,40}):\s*\d")
_BARE_LABEL = re.compile(r"(?:ngay|thoi gian|gio|luc|date|time|dang|ngay gio|ngay dang tai|"
                         r"dang tai|ngay gui|gui luc|tin dang|bai dang)")


def _labelled_otherwise(label: str) -> bool:
    """Whether ``label`` (a date element's folded text) starts with a label naming something
    other than the story's publication or update: an official document's day of issue, an
    event's time, a deadline."""
    named = _OTHER_LABEL.match(label)
    if not named or _DATE_LABEL.match(label) or _UPDATE_LABEL.match(label):
        return False
    return not _BARE_LABEL.fullmatch(" ".join(named.group(1).split()))


def _headline(tree: lxml.html.HtmlElement, title: str | None) -> lxml.html.HtmlElement | None:
    """The story's headline: the first headline-sized h1 (four words or more), else, when the
    page's ``title`` is known, the first element in the body that shows just that title (an
    h2 under a site-name h1, a portal's ``<div class="Title">``)."""
    headline = next((h for h in tree.iter("h1") if len(h.text_content().split()) >= 4), None)
    if headline is not None or not title or len(title.split()) < 4:
        return headline
    body = tree.find("body")
    wanted = " ".join(title.split())
    for el in body.iter("h2", "h3", "h4", "div", "p", "span", "strong", "b", "a") \
            if body is not None else ():
        text = text_under(el, len(wanted) + 8)
        if text and " ".join(text.split()) == wanted:
            return el
    return None


# An official document's own dateline, "Quảng Ninh, ngày 24 tháng 12 năm 2025" (the place, then
# the day in words): a notice that reproduces its document shows no other date. In folded text.
_PLACE_AND_DATE = re.compile(r"^[^\W\d][^\d,]{1,40},\s*ngay\s+[0-3]?\d\s+thang\s+[01]?\d\s+nam\s+"
                             r"(?:19|20)\d\d\W*$")


_DAY_IN_WORDS = re.compile(r"ng[àa]y\s+[0-3]?\d\s+th[áa]ng", re.I)


def _place_and_date(tree: lxml.html.HtmlElement, headline, column: frozenset) -> str | None:
    """The day of the first document dateline (:data:`_PLACE_AND_DATE`) after the headline,
    outside other stories' boxes (:func:`_elsewhere`); read only when the page shows no
    labelled date, so a page with one pays nothing. Before the headline such a line is the
    site's calendar."""
    if headline is None or not _DAY_IN_WORDS.search(tree.text_content()):
        return None  # (one pass over the page's text spares reading each element's)
    after = False
    for el in tree.iter("h1", "p", "div", "td", "span", "em", "i", "strong"):
        if el is headline:
            after = True
            continue
        if not after:
            continue
        text = text_under(el, 80)
        if text and _PLACE_AND_DATE.match(fold(" ".join(text.split()))) \
                and not _elsewhere(el, column):
            return parse_vietnamese_date(text)
    return None


_DATELINE_CHARS = 60  # a name, a separator, a date and a clock; a sentence is longer
_DATELINE_WORDS = 6  # words besides the date's figures: a weekday, "lúc", an author's name


def dateline_line(tree: lxml.html.HtmlElement, title: str | None = None) -> str | None:
    """The date of the first line after the headline that is a date and little else
    ("05/01/2026 07:15", "Minh Anh - 05/01/2026", "Thứ Hai, 05/01/2026"), outside other
    stories' boxes (:func:`_elsewhere`), when no element names or labels the dateline: where
    such a page dates its story (often at its end). A line of a sentence, a link (a teaser's)
    or a box of lines is none. Read before htmldate's guess, which takes a date by its class
    wherever it is, the sidebar's latest stories included."""
    headline = _headline(tree, title)
    if headline is None:
        return None
    column = frozenset(headline.iterancestors())
    after = False
    for el in tree.iter("p", "div", "span", "td", "em", "i", "small", "strong", "b", headline.tag):
        if el is headline:
            after = True
            continue
        if not after or el.find(".//a") is not None:
            continue
        text = text_under(el, _DATELINE_CHARS)
        if not text or len(_LETTER_WORD.findall(fold(text))) > _DATELINE_WORDS:
            continue
        if (value := parse_vietnamese_date(text)) and not _elsewhere(el, column):
            return value
    return None


_LETTER_WORD = re.compile(r"[^\W\d_]+")


def _label_first(el: lxml.html.HtmlElement, firsts: dict) -> bool:
    """Whether the text :func:`_from_text` reads of ``el`` (its ``datetime``, else its text)
    can start with a date label: its first letter or digit is one :data:`_LABEL_START`
    allows and, when the text is ASCII that far, the label :data:`_DATE_LABEL` wants follows
    (for speed: an English "Posted by", "The" is turned down here, before its text is
    gathered and folded). ``firsts``: :func:`_first_word`'s answers so far in this walk."""
    stamp = el.get("datetime")
    if stamp:
        first = _WORD_CHAR.search(stamp)
        return first is not None and _starts_label(stamp, first.start(), True)
    piece, at, ascii_before = _first_word(el, firsts)
    return piece is not None and _starts_label(piece, at, ascii_before)


def _first_word(el: lxml.html.HtmlElement, firsts: dict) -> tuple[str | None, int, bool]:
    """The first piece of ``el.itertext()`` holding a letter or digit, where that is in it, and
    whether the pieces before it were ASCII; ``(None, 0, all pieces ASCII)`` when none holds
    one. Told from ``el``'s own text, else from its children's answers, which ``firsts`` keeps
    (for speed: the walk meets a wrapper before what it wraps, and an ``itertext()`` of each
    costs ~2 µs; told once, each element's answer is looked up)."""
    known = firsts.get(el)
    if known is not None:
        return known
    answer = None
    ascii_before = True
    text = el.text
    if text:
        if not text.isspace() and (first := _WORD_CHAR.search(text)):
            answer = (text, first.start(), True)
        ascii_before = text.isascii()
    if answer is None:
        for child in el:
            if isinstance(child.tag, str):  # (a comment's text is no text; its tail is)
                piece, at, ascii_child = _first_word(child, firsts)
                if piece is not None:
                    answer = (piece, at, ascii_before and ascii_child)
                    break
                ascii_before = ascii_before and ascii_child
            tail = child.tail
            if tail:
                if not tail.isspace() and (first := _WORD_CHAR.search(tail)):
                    answer = (tail, first.start(), ascii_before)
                    break
                ascii_before = ascii_before and tail.isascii()
    firsts[el] = answer = answer or (None, 0, ascii_before)
    return answer


_LONGEST_LABEL = 14  # "thoi gian dang", "ngay cap nhat": _DATE_LABEL's longest


def _starts_label(piece: str, at: int, ascii_before: bool) -> bool:
    """Whether a text whose first letter or digit is ``piece[at]`` can start with a date label
    (see :func:`_label_first`). Where ``piece`` is ASCII from its start to a label's length and
    one more character past ``at`` (and so were the pieces before), folding it is its lower case
    and the text's further pieces cannot change the match: :data:`_DATE_LABEL` is told on it."""
    if piece[at] not in _LABEL_LETTERS:  # (for speed: a set, not _LABEL_START's re.I)
        return False
    head = piece[:at + _LONGEST_LABEL + 1]
    if not ascii_before or len(head) <= at + _LONGEST_LABEL or not head.isascii():
        return True
    return _DATE_LABEL.match(head.lower()) is not None


def text_under(el: lxml.html.HtmlElement, limit: int) -> str | None:
    """``el.text_content()`` if it has fewer than ``limit`` characters besides white space
    (the indentation of the page's source is no text), else None: a box holding a whole
    article is given up after its first ``limit`` characters."""
    seen, counted, unseen, pieces = 0, 0, 0, []  # unseen: length of the pieces not counted
    for piece in el.itertext():  # the pieces text_content() joins
        pieces.append(piece)
        unseen += len(piece)
        if seen + unseen < limit:
            continue  # under the limit even if all of it were text: nothing to count yet
        for piece in pieces[counted:]:
            seen += solid_len(piece[:4 * limit])  # a long paragraph: told by its first characters
            if seen < limit and len(piece) > 4 * limit:
                seen += solid_len(piece[4 * limit:])
            if seen >= limit:
                return None
        counted, unseen = len(pieces), 0
    return "".join(pieces)


def _stated_locally(moment: str, tree: lxml.html.HtmlElement) -> str:
    """A UTC timestamp (``moment``, in +00:00) in the publisher's own offset, when the page
    states the same moment in local time elsewhere (another meta tag, the visible date): a
    machine date in UTC names the moment, not the publisher's day (a New York story of 22:28
    on the 8th is 03:28Z on the 9th). The local statement's clock, whole quarter hours and at
    most a real time zone away from UTC's, gives the offset; else ``moment`` as it is. The
    visible date is looked for only when no meta tag told (finding it walks the whole page)."""
    utc = datetime.fromisoformat(moment)
    statements = [el.get("content") for el in tree.iter("meta") if next(
        (el.get(k) for k in ("property", "name", "itemprop") if el.get(k)), "").strip().lower()
        in _META_PUBLISHED]
    for text in statements:
        if local := _same_moment_locally(utc, text):
            return local
    return _same_moment_locally(utc, _from_text(tree, keep_offset=True)) or moment


def _same_moment_locally(utc: datetime, text: str | None) -> str | None:
    """``utc`` in the offset ``text`` states it in, when ``text`` is the same moment with an
    offset, or a clock without one a whole number of quarter hours and at most a real time
    zone away from UTC's; else None."""
    shown = parse_vietnamese_date(text, keep_offset=True) if text else None
    if not shown or len(shown) <= 10:
        return None
    local = datetime.fromisoformat(shown)
    if local == utc and local.utcoffset():
        return shown  # the same moment with the offset the page states
    if local.utcoffset() != VN_TZ.utcoffset(None):
        return None  # another moment with an offset of its own: not this one's clock
    # a clock without an offset (read as +07:00): its distance from UTC's is the offset
    offset = local.replace(tzinfo=None) - utc.replace(tzinfo=None)
    if offset and timedelta(hours=-12) <= offset <= timedelta(hours=14) \
            and not offset % timedelta(minutes=15):
        return utc.astimezone(timezone(offset)).isoformat()
    return None


def find_published(tree_or_html: lxml.html.HtmlElement | str, keep_offset: bool = False,
                   title: str | None = None, url: str | None = None,
                   named: list | None = None) -> str | None:
    """Find the publication date of a page: meta tags, then JSON-LD, then visible text (its
    headline found by the page's ``title`` when no h1 shows it; ``url``'s stamped day beats a
    date shown only above the headline). A machine date naming the day only yields to a moment
    of that day in JSON-LD or the visible dateline. A machine time stating no offset is Vietnam
    time, unless the page shows it seven hours later (:func:`_utc_shown_locally`); one stamped
    UTC whose clock the page shows as its own is the page's (:func:`_local_stamped_utc`). With
    ``keep_offset``, a date the markup gives in UTC is told in the offset the page shows it in
    (:func:`_stated_locally`), and a clock it gives without an offset takes the one JSON-LD
    states for the same clock. On a Vietnamese page, a visible dateline labelled as the
    publication ("Ngày đăng: …") beats a machine date of another moment
    (:func:`_shown_as_publication`): what the reader is told is the record. ``named``: the
    page's :func:`named_elements`, when the caller has them (they are read again for
    :func:`find_updated`)."""
    tree = _tree(tree_or_html)
    machine = (_meta_text(tree, _META_PUBLISHED, keep_offset, named)
               or _json_ld_text(tree, "datePublished", keep_offset))
    if not machine:
        return _from_text(tree, keep_offset, title, url_day(url) if url else None)
    found = parse_vietnamese_date(machine, keep_offset)
    if found and len(found) == 10:  # the day only: JSON-LD or the dateline may tell when
        json_ld = _json_ld_text(tree, "datePublished", keep_offset)
        for moment in (json_ld and parse_vietnamese_date(json_ld, keep_offset),
                       _from_text(tree, keep_offset, title)):
            if moment and moment[:10] == found and moment[10:19] not in ("", "T00:00:00") \
                    and not (keep_offset and moment.endswith("+07:00")):
                # (midnight is a day written as a moment; on a page that is not Vietnamese a
                # clock read as +07:00 stated no offset: there, its moment would be a guess)
                return moment
        return found
    if not keep_offset and _clock_without_offset(machine):
        return _utc_shown_locally(found, _from_text(tree, title=title)) or found
    if not keep_offset and found and _stamped_utc(machine):
        return _local_stamped_utc(machine, _from_text(tree, title=title)) or found
    if keep_offset and found and found.endswith("+07:00"):  # (as a clock without offset reads)
        json_ld = _json_ld_text(tree, "datePublished", keep_offset)
        stated = json_ld and parse_vietnamese_date(json_ld, keep_offset)
        if stated and stated[:19] == found[:19]:
            return stated  # the same clock: JSON-LD states its offset ("2020/10/04 15:05:21")
    if keep_offset and found and found.endswith("+00:00"):
        return _stated_locally(found, tree)
    if not keep_offset and found and _shown_as_update(tree, found):
        # the page labels the machine's moment as its last update ("Cập nhật: 25/12/2025
        # 10:00"): the CMS wrote the update's time; the dateline's earlier moment is the
        # publication's ("Ngày đăng: 24/12/2025 09:30 | Cập nhật: …")
        shown = _from_text(tree, title=title)
        return shown if shown and shown < found else found
    if not keep_offset and found and (shown := _shown_as_publication(tree, title, found)):
        # the page labels another moment as the story's publication ("Ngày đăng: 05/01/2026
        # 07:15") where the reader sees it, under the headline: the CMS filled its machine date
        # from another field (the last save, the draft's creation); what the page states wins
        return shown
    return found


# the text of the page's body, as one string (one call in C: ~0.1 ms on a news page)
_BODY_TEXT = etree.XPath("string(/html/body)")


def _shown_as_update(tree: lxml.html.HtmlElement, moment: str) -> bool:
    """Whether the page's text shows ``moment`` (to the minute) just after an update label
    ("Cập nhật: 26/12/2025 15:10", "Cập nhật lúc 15:10 ngày 26/12/2025"). The label is found
    by plain string search (the page is NFC): a regex scan costs twice the text's reading."""
    text = _BODY_TEXT(tree)
    for label in ("ập nhật", "ẬP NHẬT"):
        at = text.find(label)
        while at >= 0:
            at += len(label)
            shown = parse_vietnamese_date(text[at:at + 48])
            if shown and shown[:16] == moment[:16]:
                return True
            at = text.find(label, at)
    return False


# labels naming the publication, in the lower case of an NFC page's text (found by plain string
# search: a regex scan of the page's text costs twice its reading)
_PUBLICATION_LABELS = ("ngày đăng", "xuất bản", "đăng lúc", "đăng ngày", "gian đăng")


def _shown_as_publication(tree: lxml.html.HtmlElement, title: str | None,
                          machine: str) -> str | None:
    """The story's visible dateline (:func:`_from_text`) when it is another moment than the
    ``machine`` date (another minute; another day, for a dateline without a clock) and the
    page's text shows it just after a label naming the publication ("Ngày đăng:", "Ngày xuất
    bản:", "Đăng lúc", "Thời gian đăng:") before the story's text (its first long paragraph):
    after it, such a label may be the next stories' ("Tin khác: … - Ngày đăng: 03/01/2026"),
    and the machine date stands. Else None. The page's elements are walked only when such a
    label shows another moment: a page whose labels agree with its machine date pays a string
    search."""
    text = _BODY_TEXT(tree).lower()
    labelled = {}  # moment (to the minute) -> where in the text its label ends
    for label in _PUBLICATION_LABELS:
        at = text.find(label)
        while at >= 0:
            at += len(label)
            if (near := parse_vietnamese_date(text[at:at + 48])) \
                    and near[:16] != machine[:len(near)][:16]:
                labelled.setdefault(near[:16], at)
            at = text.find(label, at)
    if not labelled:
        return None
    story = next((p for p in tree.iter("p") if len(p.text_content()) >= _BODY_START), None)
    # (the body's string and a paragraph's text_content() join the same text nodes verbatim)
    story_at = text.find(story.text_content()[:40].lower()) if story is not None else -1
    if story_at >= 0:
        labelled = {moment: at for moment, at in labelled.items() if at < story_at}
    shown = _from_text(tree, title=title) if labelled else None
    return shown if shown and shown[:16] in labelled else None


_URL_STAMP = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])([0-3]\d)(?:\d{4}|\d{6}|\d{9})?(?!\d)")
_URL_PATH_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-]([0-3]?\d)(?:/|$|\D)")


def url_day(url: str) -> str | None:
    """The day a URL's path stamps on the story: ``/2025/12/24/`` or ``-2025-12-24``, or, in
    its last segment (the story's own name, not an archive's snapshot), a Vietnamese CMS's
    digit run ``…-20251224.html``, ``…-20251224093000.html`` (a day, then a time to the
    minute, second or millisecond), or a folder named by the day alone (``/20251224/``: an
    archive's snapshot folder holds a time too); None when it has none (or an impossible one)."""
    try:
        path = urlsplit(url).path
    except ValueError:  # "http://[::1": no path to read
        return None
    for pattern, part in ((_URL_PATH_DATE, path), (_URL_STAMP, path.rsplit("/", 1)[-1])):
        for y, m, d in pattern.findall(part):
            if value := _format(y, m, d, None, None):
                return value
    for folder in path.split("/")[:-1]:  # a day's folder, "/tin-tuc/20251224/…", as /2025/12/24/
        if len(folder) == 8 and folder.isdigit() and folder[:2] in ("19", "20") \
                and (value := _format(folder[:4], folder[4:6], folder[6:], None, None)):
            return value
    return None


# A link's or an image's address is another resource's: a day in it is not one the page states
_ADDRESS = re.compile(r"""\s(?:href|src|srcset|action)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)""", re.I)


def states_day(tree: lxml.html.HtmlElement, day: str) -> bool:
    """Whether the page writes ``day`` (``YYYY-MM-DD``) with its day, in its text or markup
    outside link and image addresses: as numbers (2025-12-01, 01/12/2025, 20251201) or with
    a month word ("1 December 2025", "Dec. 1st, 2025", "1 tháng 12 năm 2025"). htmldate's
    last resorts make a day up from a year alone (the 1st of January: a copyright line, a
    year in a related story's address) or a year and month (the 1st): such a day is stated
    nowhere."""
    y, m, d = day[:4], day[5:7].lstrip("0"), day[8:10].lstrip("0")
    markup = _ADDRESS.sub(" ", etree.tostring(tree, encoding="unicode"))
    # (each form holds the year: only the text around each of its places is searched, ~10x
    # faster than the whole markup)
    markup = "\n".join(markup[max(0, at.start() - 40):at.end() + 40]
                        for at in re.finditer(y, markup))
    m_, d_ = f"0?{m}", f"0?{d}"
    numbers = (rf"(?<!\d){y}\s*[-/.年]\s*{m_}\s*[-/.月]\s*{d_}(?!\d)",
               rf"(?<!\d){d_}\s*[-/.]\s*{m_}\s*[-/.]\s*{y}(?!\d)",
               rf"(?<!\d){m_}\s*[-/.]\s*{d_}\s*[-/.]\s*{y}(?!\d)",
               rf"(?<!\d){y}{int(m):02}{int(d):02}(?!\d)")
    # a month word beside the day and the year (which month: htmldate's own reading of the
    # words found it; a day made up has no number beside a month word at all)
    words = (rf"(?<![\d/.-]){d_}(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+)?[^\W\d_]{{3,}}\.?,?"
             rf"\s+(?:de\s+)?{y}(?!\d)",
             rf"[^\W\d_]{{3,}}\.?\s+{d_}(?:st|nd|rd|th)?,?\s+{y}(?!\d)",
             rf"(?<!\d){d_}\s+tháng\s+{m_}\D{{1,8}}{y}(?!\d)")
    return any(re.search(pattern, markup, re.I) for pattern in (*numbers, *words))


def published_meta(tree: lxml.html.HtmlElement) -> str | None:
    """Publication date from meta tags only (article markup, not JSON-LD or text)."""
    return _from_meta(tree, _META_PUBLISHED)


def find_updated(tree_or_html: lxml.html.HtmlElement | str,
                 keep_offset: bool = False, named: list | None = None) -> str | None:
    """Find the last-modified date of a page from meta tags or JSON-LD (never from text). A
    machine time stating no offset is Vietnam time, unless the page's publication time is UTC
    written without an offset (:func:`_writes_utc`): the same CMS writes both. ``named``: the
    page's :func:`named_elements`, when the caller has them."""
    tree = _tree(tree_or_html)
    named = named_elements(tree) if named is None else named
    machine = (_meta_text(tree, _META_UPDATED, keep_offset, named)
               or _json_ld_text(tree, "dateModified", keep_offset))
    if not machine:
        return None
    found = parse_vietnamese_date(machine, keep_offset)
    if found and not keep_offset and _clock_without_offset(machine) and _writes_utc(tree, named):
        return (datetime.fromisoformat(found) + timedelta(hours=7)).isoformat()
    return found


def _writes_utc(tree: lxml.html.HtmlElement, named: list | None = None) -> bool:
    """Whether the page's machine publication time states no offset and the page shows it
    seven hours later (:func:`_utc_shown_locally`): its CMS writes UTC without saying so."""
    machine = _meta_text(tree, _META_PUBLISHED, named=named) \
        or _json_ld_text(tree, "datePublished")
    if not machine or not _clock_without_offset(machine):
        return False
    return _utc_shown_locally(parse_vietnamese_date(machine), _from_text(tree)) is not None
