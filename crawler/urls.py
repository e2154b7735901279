"""URL canonicalisation: one spelling per article, whatever link or feed led to it.

Keeps the query parameters that identify a page (SharePoint's ``nid``, ``ItemID``, ``id``,
``page``, Joomla's ``option``/``view``/``id``/``catid``/``Itemid``/``limitstart``, a Liferay
portlet's ``…_cur`` …) and drops tracking ones (``utm_*``, ``fbclid``, ``zarsrc`` …), those that
only choose a rendering or a way back (print views, ``redirect``, ``destination``, a
``language=vi-VN`` switch, WordPress's ``replytocom``, AMP views), a visitor's session id
(``PHPSESSID``, ``;jsessionid=``, ASP.NET's ``/(S(…))/``), the fragment, the default port
and the letter case of scheme and host; IDN hosts are written in punycode.

The one canonicaliser of the project: crawl requests, ``articles.url``, ``related_links``
(from the extractor) and the archive's migration of older links all use it. Standard library
only, so the extraction and archive libraries import it without loading Scrapy.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "zarsrc", "zalo_source", "gidzl", "_ga", "_gl", "ref", "ref_src", "source",
        "cmpid", "rcm", "s_cid", "share", "utm",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "itm_")
# parameters that ask for another rendering of the same page or say where to go back to, never
# which page: Joomla's print view (``tmpl=component&print=1&layout=default``), Liferay's
# ``inheritRedirect`` / ``redirect`` tails and a portlet's namespaced ``_<portlet>_redirect``,
# DNN's ``returnurl`` and Drupal's ``destination`` (``/user/login?destination=node/12``: the
# page to show after logging in, on every page's login link), WordPress's ``replytocom`` (the
# post again with its reply form open under one comment: a link per comment) and AMP views
# (``?amp``, ``?amp=1``, ``?output=amp``); and a listing's order or layout (``sort=moi-nhat``,
# ``order=desc``, ``view=grid``): the same items, so a listing's facets multiply no pages
VIEW_PARAMS = frozenset({"print", "tmpl", "inheritredirect", "redirect", "backurl", "returnurl",
                         "destination", "replytocom",
                         "sort", "sortby", "sort_by", "orderby", "order_by", "sortorder",
                         "sort_order", "sortdir"})  # fmt: skip
VIEW_SUFFIXES = ("_redirect", "_backurl")
# a visitor's session, never a page: each visit spells every URL anew. Query parameters, Java's
# ";jsessionid=" path parameter and ASP.NET's cookieless "/(S(…))/" segment; Liferay's portlet
# tokens ``p_p_auth`` / ``p_auth``, new in every link of every visit (a crawl that kept them met
# each article anew on every page); "sid" (and "sess") only with a token's value, 16 or more
# letters and digits mixed ("?sid=9f2c…"): some portals name a section "sid=12"
SESSION_PARAMS = frozenset({"jsessionid", "phpsessid", "sessionid", "session_id", "aspsessionid",
                            "cfid", "cftoken", "aspxautodetectcookiesupport", "p_p_auth",
                            "p_auth"})
SESSION_TOKEN_PARAMS = frozenset({"sid", "sess", "ssid"})
SESSION_TOKEN = re.compile(r"^(?=[^\d]*\d)(?=\d*[^\d])[0-9a-z_-]{16,}$", re.I)
# ASP.NET's cookieless segment: ``/(S(lit3py55…))/``, with ``A(…)`` and ``F(…)`` beside ``S(…)``
ASPNET_SESSION_SEGMENT = r"/\((?:[A-Z]\([^()/]*\))+\)(?=/)"
_SESSION_IN_PATH = re.compile(r";jsessionid=[^/;]*|" + ASPNET_SESSION_SEGMENT, re.I)
# the value a page has without the parameter: Joomla's default layout, the first page of a
# pager counting from 0 (Drupal 8's pager links ``/tin-tuc?page=0`` beside the menu's
# ``/tin-tuc``), and Vietnamese chosen in a language switch (DNN's ``?language=vi-VN`` on every
# link of a Vietnamese portal), which these sites show when no language is asked for; another
# language stays another page
VIETNAMESE = ("vi", "vi-vn", "vi_vn", "vn")
DEFAULT_VALUES = frozenset({("layout", "default"), ("page", "0"), ("amp", ""), ("amp", "1"),
                            ("output", "amp"),
                            *((name, value) for name in ("view", "display", "layout", "mode")
                              for value in ("grid", "list", "table", "compact", "card")),
                            *(("order", value) for value in ("asc", "desc", "newest", "oldest")),
                            *((name, value) for name in ("language", "lang", "culture")
                              for value in VIETNAMESE)})  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """True for query parameters that only track where a click came from."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def is_session_param(name: str, value: str = "") -> bool:
    """True for query parameters that carry a visitor's session id (``PHPSESSID=…``,
    ``sid=9f2c04ab71e3d58c``)."""
    lowered = name.lower()
    return (lowered in SESSION_PARAMS or lowered.startswith("aspsessionid")
            or (lowered in SESSION_TOKEN_PARAMS and bool(SESSION_TOKEN.match(value))))


def is_view_param(name: str, value: str) -> bool:
    """True for query parameters that choose a rendering (print view, where to return, the
    site's own language), not a page: ``print=1``, ``tmpl=component``, ``layout=default``,
    ``redirect=…``, ``destination=…``, ``language=vi-VN``."""
    lowered = name.lower()
    return (lowered in VIEW_PARAMS or lowered.endswith(VIEW_SUFFIXES)
            or (lowered, value.lower()) in DEFAULT_VALUES)  # fmt: skip


# a print view is its page again, for the printer, at its own URL: DNN's ``…/ctl/Print/…``,
# Drupal's ``/print/12`` and ``/node/12/printable/print``, ``/Print.aspx?id=…``, and the query
# forms ``?print=1`` / ``print=true`` (Joomla, DNN) or a parameter set to ``print``
PRINT_SEGMENT = re.compile(
    r"/(?:print|printable|printpage|printview|print[-_]?friendly|printer[-_]?friendly)"
    r"(?:\.\w{2,5})?(?=/|$)", re.I)  # fmt: skip
PRINT_KEYS = frozenset({"print", "printable", "printview", "printpage"})
PRINT_VALUES = frozenset({"print", "printable"})
TRUE_VALUES = frozenset({"1", "true", "yes", "on", "y", ""})


# the path of a feed's address (``/rss/thoi-su.rss``, ``/feed``): crawler.discovery follows
# feeds, the page classifier counts the links a page gives to them
FEED_URL = re.compile(r"(\.rss|/rss\.xml|/atom\.xml|/feed\.xml|/rss|/feed)/?$", re.I)


def is_print_view(url: str) -> bool:
    """True for the URL of a page's print view (:data:`PRINT_SEGMENT`, ``print=1``): the page
    it prints is linked too, so a crawl follows no print view (a path one would be stored as a
    second copy of the article, under a URL no canonical form can lead back from)."""
    if "print" not in url.lower():
        return False  # most links: no parsing
    parts = urlsplit(url)
    if PRINT_SEGMENT.search(parts.path):
        return True
    return any((k.lower() in PRINT_KEYS and v.lower() in TRUE_VALUES) or v.lower() in PRINT_VALUES
               for k, v in parse_qsl(parts.query, keep_blank_values=True))  # fmt: skip


# a path that repeats itself is a loop, not a page: a relative link (``href="tin-tuc/a.html"``
# written without its leading slash) resolved on a page the server also answers under a longer
# path gives ``/tin-tuc/tin-tuc/a.html``, then ``/tin-tuc/tin-tuc/tin-tuc/a.html`` … for ever.
# Heritrix's PathologicalPath and TooManyPathSegments rules, with a number-only segment
# (``/2011/11/11/``, a date) left out of the count
LOOP_REPEATS = 3  # one segment this many times in one path
LOOP_SEGMENTS = 16  # more segments than any site's real pages use


def is_looping_path(path: str) -> bool:
    """True for a URL path that can only come from a link loop: one segment (not a number)
    repeated :data:`LOOP_REPEATS` times, or more than :data:`LOOP_SEGMENTS` segments."""
    segments = [s for s in path.split("/") if s]
    if len(segments) > LOOP_SEGMENTS:
        return True
    if len(segments) < LOOP_REPEATS:
        return False  # most links: no counting
    counts: dict[str, int] = {}
    for segment in segments:
        if not segment.isdigit():
            counts[segment] = counts.get(segment, 0) + 1
            if counts[segment] >= LOOP_REPEATS:
                return True
    return False


@lru_cache(maxsize=8192)  # menus and sidebars repeat the same links on every page; a full
# cache of 65,536 URLs held 24 MB in each crawl and extraction process
def canonical_url(url: str) -> str:
    """Return the canonical form of an http(s) URL (other schemes are returned unchanged).

    >>> canonical_url("HTTPS://QuangNinh.gov.vn:443/Trang/ChiTietTinTuc.aspx?utm_source=fb&nid=42#top")
    'https://quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=42'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return url.strip()
    host = (parts.hostname or "").rstrip(".")
    if not host.isascii():  # IDN: báohòabình.vn -> xn--bohabnh-hwa7hpc.vn (ASCII is unchanged)
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{parts.port}"
    path = quote(unquote(_SESSION_IN_PATH.sub("", parts.path)), safe="/%:@!$&'()*+,;=-._~") or "/"
    query = ""
    if parts.query:
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if not is_tracking_param(k) and not is_view_param(k, v)
                and not is_session_param(k, v)]
        query = urlencode(kept, doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def site_host(url: str) -> str:
    """The host of ``url`` as a site's id and scope name it: the host name, and a port that is
    not its scheme's default (``127.0.0.1:8001``; ``x.vn:443`` over https is ``x.vn``). Another
    port is another site, as a browser's origin: two local sites on two ports are two sites.
    ``""`` for a URL with no host."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port that is no number, or out of range
        return ""
    if host and port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


# the host labels of one site's mirrors: ``www.``, and the mobile edition ``m.`` / ``mobile.``
MIRROR_LABEL = re.compile(r"^(?:www|m|mobile)\.(?=[^.:]+\.)", re.I)


def spelling_key(url: str) -> tuple:
    """What is left of a canonical URL once the spellings that many servers read as one are
    set aside: the path's letter case (IIS, and ASP.NET's ``ChiTiet.aspx?ID=5`` beside
    ``chitiet.aspx?id=5``), its Unicode form (a Vietnamese slug typed precomposed or
    decomposed: ``%C3%A1`` and ``a%CC%81``), the case of query keys and their order, and a
    host's ``www.``, ``m.`` or ``mobile.`` label (a mobile mirror serving the site's paths). Not a
    canonical form: a case-sensitive server serves two pages there, so two URLs with one key
    are the same page only once they are seen to show the same (``crawler.spiders.news``)."""
    parts = urlsplit(url)
    path = unicodedata.normalize("NFC", unquote(parts.path)).casefold()
    query = sorted((unicodedata.normalize("NFC", k).casefold(), unicodedata.normalize("NFC", v))
                   for k, v in parse_qsl(parts.query, keep_blank_values=True))  # fmt: skip
    return (MIRROR_LABEL.sub("", parts.netloc), path, tuple(query))


@lru_cache(maxsize=256)
def _origin(base: str) -> str | None:
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


def join_base(base: str, href: str) -> str:
    """The part of ``base`` that ``urljoin(base, href)`` depends on: for a root-relative or
    absolute ``href`` (most of a site's menu and sidebar links) only its scheme and host, so a
    memo of joined links keyed by it serves every page of the site; else the whole ``base``."""
    if href.startswith(("/", "http://", "https://")):
        return _origin(base) or base
    return base



# Links a script draws, read where an anchor's href leads nowhere (empty, ``#``,
# ``javascript:``): an old portal's popup teasers. The spider follows them
# (crawler.spiders.news.page_links) and the extraction's classifier counts them as the page's
# teasers, so both read them with these patterns (here: the extractor may not import the spider).
# ``href="javascript:openNews('/tin/chitiet.asp?id=5')"``, ``javascript:window.open('…')``;
# an argument with no ``/``, ``.`` or ``?`` (``showTab('tab2')``, ``void(0)``) is no URL
SCRIPT_HREF = re.compile(r"""^javascript:\s*[\w.$]+\(\s*(["'])([^"'\s]*[/.?][^"'\s]*)\1""", re.I)
# a row or card a script makes a link (its ``onclick``, ``data-href``, ``data-link`` or
# ``data-url`` names the page) holding no anchor: a teaser when it shows TEASER_WORDS words or
# more (a card's headline; "Xem thêm", "Thích 12", "Chia sẻ" are shorter). The classifier counts
# such teasers on a page (pipelines.extractor.classify), the spider follows and counts them as
# headlines (crawler.spiders.news.card_links)
CLICKABLE_TAGS = frozenset({"tr", "td", "div", "li", "article", "section", "span", "p", "h2",
                            "h3", "h4"})
TEASER_WORDS = 4  # a link of this many words is a headline (menu items are shorter)
# where a click goes: ``location.href = '…'``, ``location = '…'`` (``window.``, ``document.``,
# ``self.``, ``top.`` before it), ``location.assign('…')``, ``location.replace('…')`` or a
# popup's ``window.open('…'``: the browser's own ways to go to a page
GOES_TO = (r"""(?:\blocation(?:\.href)?\s*=\s*|\blocation\.(?:assign|replace)\(\s*"""
           r"""|\bwindow\.open\(\s*)""")
_ONCLICK_TARGET = re.compile(GOES_TO + r"""(["'])([^"'\s]+)\1""", re.I)


def script_link(href: str, onclick: str | None, data_href: str | None) -> str | None:
    """Where an anchor whose ``href`` leads nowhere (empty, ``#``, ``javascript:``) takes its
    reader: the page its ``javascript:`` call names (:data:`SCRIPT_HREF`), its ``data-href``
    (or ``data-link``: callers pass either), or where its ``onclick`` sends the browser
    (:data:`GOES_TO`); None when it names no page."""
    if href[:11].lower() == "javascript:":
        script = SCRIPT_HREF.match(href)
        if script is not None:
            return script.group(2)
    target = (data_href or "").strip()
    if not target and onclick:
        goes = _ONCLICK_TARGET.search(onclick)
        target = goes.group(2) if goes else ""
    return target if target and not target.startswith(("#", "javascript:")) else None

# a path a script fetches data from, never a page to read: a web API's or an AJAX handler's
# segment ("/api/…", "/ajax/…", "ajax.php", "/wp-json/…", "/graphql") or an ASP.NET handler
# ("….ashx", "….asmx"); a headline slug that starts with "ajax-" is a page
ENDPOINT_SEGMENT = re.compile(
    r"^(?:api|ajax\w*|wp-json|graphql)(?:\.\w+)?$|\.(?:ashx|asmx)$", re.I)


def is_endpoint(url: str) -> bool:
    """True when ``url``'s path names a script's data endpoint (:data:`ENDPOINT_SEGMENT`): a
    card's ``data-url`` may name what its script fetches (the card's JSON) rather than its page."""
    return any(map(ENDPOINT_SEGMENT.search, urlsplit(url).path.split("/")))
