"""What a page says about itself beyond its body: the author (bylines, credit lines, rel=author,
JSON-LD, trafilatura's author search made cheaper), the JSON-LD article body, trafilatura's
and htmldate's metadata, the page's language and its copies in other languages (hreflang)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from html import unescape as html_unescape
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_metainfo,
    extract_title,
    extract_url,
    find_date,
    set_date_params,
)

from crawler.urls import MIRROR_LABEL, canonical_url, site_host
from pipelines.extractor.dates import parse_vietnamese_date, states_day, url_day
from pipelines.extractor.headline import _heading_text
from pipelines.extractor.source import _PARSER
from pipelines.extractor.tree import _NEVER_TEXT, _clean_text, _meta, _split
from pipelines.text import fold, nfc

_BYLINE_CLASS = re.compile(r"author|byline|tac-?gia|tacgia|writer|nguoi-?viet|nhuanbut", re.I)
_AUTHOR_PAGE = re.compile(r"/(?:tac-?gia|authors?|nguoi-?viet|but-?danh)/", re.I)  # a byline's link
# host labels that name no publication ("www.baocantho.com.vn" is named by "baocantho" alone)
_GENERIC_HOST_LABELS = frozenset({"www", "m", "amp", "mobile", "com", "net", "org", "gov", "edu",
                                  "info", "vn", "news", "tin", "tintuc", "en", "english", "web"})
# "Name, Publication", "Name - Publication", "Name • 24/12/2025 09:30"
_BYLINE_PARTS = re.compile(r"[,;|/•·]| [-–—] ")
# the credit line that ends a Vietnamese story: "Tin, ảnh: P.Y", "Bài và ảnh: Minh Anh"
_CREDIT = re.compile(r"(?:tin|bài|nhóm pv|pv|tác giả|người viết)"
                     r"(?:\s*(?:,|và|-|\+)\s*(?:ảnh|video|clip))?\s*:\s*(.+)", re.I)
_STAFF = frozenset({"pv", "nhom pv", "ctv", "btv"})  # "PV" (phóng viên): the newsroom's credit
# a publication's name ("Báo Quảng Ninh", "Cổng TTĐT tỉnh", "Đài PT-TH"), never a person's
_PUBLICATION = re.compile(r"^(?:báo|tạp chí|cổng (?:thông tin|ttđt)|đài|trang (?:thông )?tin"
                          r"|tòa soạn|toà soạn|ban biên tập|thông tấn xã)\s", re.I)
_AFFILIATION = re.compile(r"\s*\([^()]{1,60}\)$")  # "Hoàng Minh (Trung tâm Truyền thông tỉnh)"
_DOMAIN = re.compile(r"\w\.(?:vn|com|net|org|info|biz|gov|edu|tv)\b", re.I)
_DASHES = re.compile(r"\s+[-–—]\s+")  # "Hoàng Nga - Thu Trang": two authors
# "Theo Phạm Trường"; Blogger's "Đăng bởi Minh Anh" ("Posted by")
_AUTHOR_PREFIX = re.compile(r"^\s*(?:theo|tác giả|by|đăng bởi|posted by|người đăng)\s*:?\s+", re.I)
_ACCOUNT = re.compile(r"^\s*(?:@\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s*$")  # e-mail, handle
_NOBODY = frozenset({"admin", "administrator", "webmaster"})  # CMS accounts, not bylines
_VIETNAMESE_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def _names_publisher(name: str, metas: dict[str, str], url: str) -> bool:
    """True when an "author" value names no person: a URL, a CMS account ("admin"), or the
    publication itself, which many Vietnamese CMSs write in ``<meta name="author">``: the
    page's ``og:site_name``, or words that spell a label of the site's host name ("Báo điện tử
    VTC News" on vtcnews.vn, "Báo Lào Cai điện tử" on baolaocai.vn, "baotintuc.vn"). A value
    that also names someone ("Jill Disis, CNN Business") is a person's."""
    if name.lower().startswith(("http:", "https:")) or _DOMAIN.search(name) \
            or _ACCOUNT.match(name) or _PUBLICATION.match(nfc(name)):
        return True  # a URL, a site's name as its domain ("VCCorp.vn"), an e-mail address
        # or a social handle ("@BaoTinh"): no person's name
    site = re.findall(r"\w+", fold(_meta(metas, "og:site_name", "application-name") or ""))
    labels = {label for label in _split(url)[0].split(":")[0].split(".")
              if len(label) >= 3 and label not in _GENERIC_HOST_LABELS}

    def publisher(part: str) -> bool:
        words = re.findall(r"\w+", fold(part))
        return (not words or " ".join(words) in _NOBODY or words == site
                or any("".join(words[i:j]) in labels
                       for i in range(len(words)) for j in range(i + 1, len(words) + 1)))

    return all(map(publisher, _BYLINE_PARTS.split(name)))


def _byline(container: lxml.html.HtmlElement | None,
            tree: lxml.html.HtmlElement | None = None) -> str | None:
    """The author line of a Vietnamese article: a short element with an author-like class in
    the body container or just around it (``<p class="author">``, ``<div class="tac-gia">``).
    Several linked full names in it are the authors, joined by "; " as trafilatura joins
    JSON-LD's. A link to the author's page in it (``/tac-gia/…``) names the author without the
    badge or job title beside it; an agency in brackets after the name is left out ("Tâm Hằng
    (TTXVN)" is Tâm Hằng, so that one writer's stories share one author). Full names joined
    by dashes ("Hoàng Nga - Thu Trang") are several authors too. Without a container, the
    first such element after the headline in ``tree`` (comment authors come later)."""
    if container is not None:
        area = container.getparent() if container.getparent() is not None else container
        after_headline = True
    elif tree is not None and tree.find("body") is not None:
        area, after_headline = tree.find("body"), False
    else:
        return None
    for el in area.iter("h1", "p", "div", "span", "strong", "a", "address"):
        if el.tag == "h1":
            after_headline = True
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not after_headline or not _BYLINE_CLASS.search(names):
            continue
        linked = list(dict.fromkeys(text for a in el.iter("a")
                                    if _full_name(text := _clean_text(a.text_content()))))
        if len(linked) >= 2:
            return "; ".join(linked)  # "TUẤN LONG - QUỐC THẮNG": each linked name is an author
        named = next((a for a in el.iter("a") if _AUTHOR_PAGE.search(a.get("href") or "")
                      and _clean_text(a.text_content())), el)
        text = _AUTHOR_PREFIX.sub("", _clean_text(named.text_content()).strip(" -–—:"))
        if parse_vietnamese_date(text):  # "Minh Anh - 24/12/2025 09:30": the name alone
            text = " - ".join(part.strip() for part in _BYLINE_PARTS.split(text)
                              if part.strip() and not any(c.isdigit() for c in part))
        if credit := _CREDIT.fullmatch(text):
            text = credit.group(1)  # "Bài, ảnh: Minh Anh"
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
        text = _AFFILIATION.sub("", text)
        if 2 <= len(text) <= 60 and 1 <= len(text.split()) <= 8 and not text[0].isdigit():
            names = _DASHES.split(text)
            return "; ".join(names) if len(names) > 1 and all(map(_full_name, names)) else text
    return None


def _alnum(text: str) -> str:
    """``text`` folded to its letters and digits: "VCCorp.vn" and "VCCorp vn" are one name."""
    return "".join(re.findall(r"\w+", fold(text)))


def _full_name(text: str) -> bool:
    """A person's full name: two to five words, each capitalised, letters only ("Minh Anh",
    "QUỐC THẮNG"); not a button ("Xem các bài viết của tác giả") nor a single word ("Email")."""
    words = text.split()
    return 2 <= len(words) <= 5 and len(text) <= 40 and _capitalised(words)


def _capitalised(words: list[str]) -> bool:
    """Every word starts with a capital and holds only letters (initials' full stops aside)."""
    return all(w[0].isupper() and w.replace(".", "").isalpha() for w in words)


def _rel_author(tree: lxml.html.HtmlElement) -> str | None:
    """The text of the page's ``<a rel="author">`` (HTML's own mark of the author's link)."""
    for a in tree.iter("a"):
        if "author" in (a.get("rel") or "").lower().split():
            text = _clean_text(a.text_content())
            if 2 <= len(text) <= 60 and 1 <= len(text.split()) <= 8:
                return text
    return None


def _credit(lines: list[str]) -> str | None:
    """The author named by the body's last line, the Vietnamese credit line: "Tin, ảnh: P.Y",
    or a name alone ("Anh Dũng", "Thu Hà - Minh Anh"): up to five words, each capitalised,
    no digits or sentence punctuation (a caption or a sentence is no credit), and not a
    source ("Theo TTXVN")."""
    if not lines:
        return None
    last = lines[-1].strip()
    credit = _CREDIT.fullmatch(last)
    name = _AFFILIATION.sub("", (credit.group(1) if credit else last).strip(" -–—"))
    words = [w for w in name.split() if w not in "-–—&"]
    if not words or len(words) > 5 or len(name) > 40 or (
            not credit and len(words) < 2 and fold(name) not in _STAFF):
        return None
    if fold(words[0]) in ("theo", "nguon"):
        return None  # "Theo TTXVN": the story's source, not who wrote it
    if fold(name) in _STAFF:
        return name
    return name if _capitalised(words) else None


def _last_line_block(tree: lxml.html.HtmlElement, lines: list[str]) -> lxml.html.HtmlElement | None:
    """The paragraph that shows the body's last line (the body read without a container)."""
    last = lines[-1] if lines else None
    return next((p for p in tree.iter("p") if last and _clean_text(p.text_content()) == last),
                None)


def _line_after(container: lxml.html.HtmlElement | None) -> list[str]:
    """The first line of text after the body ``container`` (one level up when it is its box's
    last child), when it is a plain line: no heading, no link. Many templates close the story
    box before the credit line ("<p align=right><b>Thu Hằng</b></p>", an ASP.NET label)."""
    for box in (container, container.getparent()) if container is not None else ():
        for el in box.itersiblings() if box is not None else ():
            if not isinstance(el.tag, str) or el.tag in _NEVER_TEXT:
                continue
            text = _heading_text(el)
            if not text:
                continue
            if el.tag in ("h2", "h3", "h4", "h5", "h6") or el.find(".//a") is not None \
                    or el.tag == "a":
                return []
            return [text]
    return []


def _language(tree: lxml.html.HtmlElement, sample: str, metas: dict[str, str]) -> str | None:
    """Declared page language (``vi``, ``en``...), else ``vi`` when ``sample`` looks Vietnamese."""
    lang = tree.get("lang") or _meta(metas, "content-language", "og:locale", "language")
    lang = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if lang:
        return lang
    letters = [c for c in sample.casefold() if c.isalpha()]
    marked = sum(1 for c in letters if c in _VIETNAMESE_LETTERS)
    return "vi" if letters and marked >= 0.05 * len(letters) else None


def language_copies(tree: lxml.html.HtmlElement, url: str,
                    language: str | None = None) -> list[dict[str, str]]:
    """The page's copies in other languages its ``<link rel=alternate hreflang>`` tags name:
    ``[{"lang", "url"}]``, the language as given (lower case: ``en``, ``zh-hans``) and the URL
    canonical, on the page's own site only (``www.``/``m.`` aside; an edition on another site
    is another publication). Out: ``x-default`` (a chooser, not a language), the page itself
    (its URL, its ``<link rel=canonical>``), a URL named under the page's own language (the
    ``hreflang`` it gives itself, else ``language``: another address or a regional edition of
    the same text, "en-us" beside "en"), and a home page (``/``, ``/en/``: a site-wide language
    switch, no copy of the article)."""
    own, tags = set(), []
    for el in tree.iter("link"):
        rel, href = (el.get("rel") or "").lower().split(), (el.get("href") or "").strip()
        if href and ("canonical" in rel or ("alternate" in rel and el.get("hreflang"))):
            try:
                href = canonical_url(urljoin(url, href))
            except ValueError:
                continue
            if "canonical" in rel:
                own.add(href)
            else:
                tags.append((el.get("hreflang").strip().lower(), href))
    try:
        own.add(canonical_url(url))
    except ValueError:
        pass
    own_langs = {lang.split("-")[0] for lang, href in tags if href in own} or {language}
    own.update(href for lang, href in tags if lang.split("-")[0] in own_langs)
    site = MIRROR_LABEL.sub("", site_host(url))
    copies = {}
    for lang, href in tags:
        if lang != "x-default" and href not in own and href.startswith(("http:", "https:")) \
                and MIRROR_LABEL.sub("", site_host(href)) == site \
                and urlsplit(href).path.strip("/").lower() not in ("", lang, lang.split("-")[0]):
            copies.setdefault(href, lang)
    return [{"lang": lang, "url": href} for href, lang in copies.items()]


def _json_ld_page(scripts: list) -> lxml.html.HtmlElement:
    """A page holding only ``scripts`` (the page's JSON-LD, kept aside before its noise went),
    for trafilatura's JSON-LD reader."""
    page = lxml.html.document_fromstring("<html><head></head><body></body></html>",
                                         parser=_PARSER)
    page.find("head").extend(scripts)
    return page


_ARTICLE_TYPE = re.compile(r"article|posting|report", re.I)  # NewsArticle, BlogPosting, Report


def _json_ld_nodes(data) -> Iterator[dict]:
    """Every object in parsed JSON-LD ``data``, in document order."""
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (list, dict)):
                yield from _json_ld_nodes(value)


def _json_ld_authors(scripts: list) -> list[str]:
    """The names in the ``author`` of the page's first JSON-LD article (NewsArticle,
    BlogPosting…) that has one; a person given by ``@id`` only is looked up in the page's
    graph. Other persons of the graph (the site's owner, a commenter) are no authors."""
    nodes = []
    for script in scripts:
        try:
            nodes.extend(_json_ld_nodes(json.loads(script.text, strict=False)))
        except (ValueError, RecursionError):
            continue
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if not any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
            continue
        authors = node.get("author")
        authors = authors if isinstance(authors, list) else [authors]
        names: list[str] = []
        for author in authors:
            if isinstance(author, dict):
                author = by_id.get(author.get("@id"), author) if "name" not in author else author
                author = author.get("name")
            if isinstance(author, str) and author.strip() and _alnum(author) not in {
                    _alnum(name) for name in names}:
                names.append(" ".join(author.split()))
        if names:
            return names
    return []


def _json_ld_body(scripts: list) -> str:
    """The ``articleBody`` of the page's first JSON-LD article (NewsArticle, BlogPosting…)
    that states one, entities read; "" when none does."""
    for script in scripts:
        if "articleBody" not in script.text:  # (most pages state none: nothing parsed)
            continue
        try:
            nodes = list(_json_ld_nodes(json.loads(script.text, strict=False)))
        except (ValueError, RecursionError):
            continue
        for node in nodes:
            types = node.get("@type")
            types = types if isinstance(types, list) else [types]
            body = node.get("articleBody")
            if isinstance(body, str) and body.strip() and any(
                    isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
                return html_unescape(body)
    return ""


# trafilatura's AUTHOR_XPATHS and AUTHOR_DISCARD_XPATHS (2.3.1) as tests of one element, in
# Python: libxml2 spends ~4 ms a page on each of those four XPaths (their predicates, re:test()
# or contains() alike, are evaluated attribute by attribute), one pass in Python less than one.
# tests/test_author_search.py checks them against trafilatura's.
_BYLINE_TAGS = frozenset(("a", "address", "div", "link", "p", "span", "strong"))
_BYLINE_NAMES = ("authorname", "author-name", "AuthorName", "authorName")
_AUTHOR_TAGS = frozenset(("a", "div", "h3", "h4", "p", "span"))
_AUTHOR_IDS = ("author", "zuozhe", "bianji", "xiaobian")
_AUTHOR_CLASSES = ("author", "channel-name", "zuozhe", "bianji", "xiaobian", "submitted-by",
                   "posted-by", "journalist-name")
_ANY_AUTHOR_CLASSES = ("author", "Author", "screenname", "writer", "byline", "Byline")
# every name the tests of :func:`_author_elements` look for in an attribute ("byl" for "byline")
_AUTHOR_HINT = re.compile("author|Author|byl|BBL|Byline|username|zuozhe|bianji|xiaobian"
                          "|channel-name|submitted-by|posted-by|journalist-name|screenname|writer")
_NOT_AUTHOR_TAGS = frozenset(("a", "div", "section", "span"))
_NOT_AUTHOR_CLASSES = ("commentlist", "comments-list", "sidebar", "is-hidden", "quote",
                       "embedly-instagram", "article-share", "article-support", "print",
                       "category", "meta-date", "meta-reviewer")

# every name the tests of :func:`_not_author_elements` look for in an attribute
_NOT_AUTHOR_HINT = re.compile("comment|Comment|ProductReviews|title|date|sidebar|is-hidden|quote"
                              "|embedly-instagram|article-s|print|category|meta-|Figure")


def _author_elements(tree: lxml.html.HtmlElement) -> list[list]:
    """The elements each of trafilatura's three AUTHOR_XPATHS finds in ``tree``, in document
    order: the specific ones (``@rel='author'``, ``<author>``…), the usual ones (a class or id
    naming the author, a byline), any element naming one."""
    named_me = {rel.getparent() for rel in tree.iter("rel") if rel.text_content() == "me"}
    found: list[list] = [[], [], []]
    for el in tree.iter(tag=etree.Element):
        if el.tag != "author" and el not in named_me \
                and not _AUTHOR_HINT.search(" ".join(el.values())):
            continue  # (for speed: no attribute holds any of the names looked for below)
        cls, id_ = el.get("class") or "", el.get("id") or ""
        itemprop = el.get("itemprop") or ""
        if el.tag == "author" or el.tag in _BYLINE_TAGS and (
                "author" in (el.get("rel"), id_, cls) or itemprop == "author name"
                or el in named_me or el.get("data-testid") in ("AuthorCard", "AuthorURL")
                or any(name in cls for name in _BYLINE_NAMES)):
            found[0].append(el)
        if el.tag in _AUTHOR_TAGS and (
                cls in ("byline", "username", "byl", "BBL") or "author" in itemprop
                or any(name in id_ for name in _AUTHOR_IDS)
                or any(name in cls for name in _AUTHOR_CLASSES)):
            found[1].append(el)
        if "Byline" in (el.get("data-component") or "") or "author" in itemprop \
                or "author" in id_ or "Author" in id_ \
                or any(name in cls for name in _ANY_AUTHOR_CLASSES):
            found[2].append(el)
    return found


def _not_author_elements(tree: lxml.html.HtmlElement) -> list:
    """What trafilatura's AUTHOR_DISCARD_XPATHS find in ``tree`` (comments, sidebars, dates,
    figures), in its order: those boxes, then every <time> and <figure>."""
    boxes = []
    for el in tree.iterdescendants(*_NOT_AUTHOR_TAGS):
        if not _NOT_AUTHOR_HINT.search(" ".join(el.values())):
            continue  # (for speed: no attribute holds any of the names looked for below)
        cls, id_ = el.get("class") or "", el.get("id") or ""
        if id_.startswith("comments") or cls in ("comments", "title", "date") \
                or "commentlist" in id_ or "comment-list" in id_ or "ProductReviews" in id_ \
                or cls.startswith(("Comments", "comments")) \
                or any(name in cls for name in _NOT_AUTHOR_CLASSES) \
                or "Figure" in (el.get("data-component") or ""):
            boxes.append(el)
    return boxes


def _author_search(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's ``extract_author(tree)``: the first byline-like element's text, read on a
    copy of the page without its comments, sidebars, dates and figures. The copy is made only
    where it reads otherwise than the page: where a byline-like element outside those holds
    one of them (its text loses it) or the page has a ``<rel>`` (its text names bylines);
    elsewhere the copy's byline-like elements are the page's outside them, their text as on
    the page (for speed: the copy and its second walk cost ~2 ms a page)."""
    found = _author_elements(tree)
    if not any(found):
        return None  # no byline-like element: the copy, a part of the page, has none either
    pruned = {*_not_author_elements(tree), *tree.iter("time", "figure")}
    holding = {up for el in pruned for up in el.iterancestors()}
    found = [[el for el in elements if el not in pruned and pruned.isdisjoint(el.iterancestors())]
             for elements in found]
    if next(tree.iter("rel"), None) is not None or any(
            el in holding for elements in found for el in elements):
        tree = copy.deepcopy(tree)
        prune_unwanted_nodes(tree, [_not_author_elements, lambda page: list(
            page.iter("time", "figure"))])
        found = _author_elements(tree)
    author = extract_metainfo(tree, [lambda _: found[0], lambda _: found[1],
                                     lambda _: found[2]], len_limit=120)
    return normalize_authors(None, author) if author else None


def _trafilatura_metadata(tree: lxml.html.HtmlElement, url: str, title: bool, author: bool,
                          date: bool, metas: dict[str, str] | None = None,
                          json_ld: list | None = None) -> dict:
    """trafilatura's ``extract_metadata(tree, url).as_dict()``, its steps in its order, but
    only those that give what is asked for: the headline search when ``title``, the author
    search (a copy of the whole tree) when ``author``, htmldate's date search when ``date``;
    never its site name, categories, tags and licence, which are not used. Meta tags and
    JSON-LD (image, description, language…) are always read: from the ``json_ld`` scripts
    when given, as ``tree`` has lost its scripts by then."""
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    if found.author and metas is not None and _alnum(found.author) in {
            _alnum(metas.get(name) or "") for name in ("author", "article:author", "dable:author")}:
        found.author = None  # a meta author extract_article turned down ("VCCorp.vn")
    try:
        found = extract_meta_json(_json_ld_page(json_ld) if json_ld else tree, found)
    except Exception:  # noqa: BLE001 - as extract_metadata: bugs in its JSON-LD reader
        pass
    if found.author and metas is not None and _names_publisher(found.author, metas, url):
        found.author = None  # the publication's name: the page's byline is searched instead
    if title and not found.title:
        found.title = extract_title(tree)
    if author and not found.author:
        found.author = _author_search(tree)
        if found.author and metas is not None and _names_publisher(found.author, metas, url):
            found.author = None
    if date:
        found.url = found.url or extract_url(tree, url)
        found.date = _htmldate(tree, found.url)
    found.clean_and_trim()
    return found.as_dict()


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """htmldate's publication day of the page (its extensive search, as trafilatura runs it),
    or None. Given the intact page: on a tree that has lost its scripts and boxes it reads the
    date of whatever is left (a year in the URL, a copyright line) for the article's."""
    try:
        day = find_date(tree, **set_date_params(True), url=url)
    except Exception:  # noqa: BLE001 - as trafilatura: a date search is optional
        return None
    if day and day.endswith("-01") and day != url_day(url or "") and not states_day(tree, day):
        # a day made up from a year or a month (htmldate's last resorts: a copyright line, a
        # year in a related story's address): no date beats a wrong one. (A whole day read
        # only in links is often the page's own: refusing it lost 7 right dates of htmldate's
        # 974 evaluation pages for 2 wrong ones.)
        return None
    return day
