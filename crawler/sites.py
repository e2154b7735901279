"""The site registry: profiles that tell the generic ``news`` spider how to crawl each source.

Profiles live in ``crawler/sites.toml`` (bundled) and, optionally, in a user's own TOML file
(``TINTUC_SITES_FILE`` / ``--sites``) whose entries add to or replace the bundled ones.

Every bundled entry (but ``sample``) names its ``source``, where its URL and rules came from, and
a ``province`` among the 34 post-merger units of ``crawler/provinces.toml``. A user's own file is
theirs (local mirrors, test sites): neither is required there.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

from crawler.urls import site_host

BUNDLED_SITES = Path(__file__).with_name("sites.toml")
PROVINCES_FILE = Path(__file__).with_name("provinces.toml")
UNSOURCED_IDS = ("sample",)  # the bundled local demo portal: nothing to cite
KINDS = ("portal", "newspaper", "department", "generic")
SELECTOR_KEYS = ("title", "date", "body", "related")
POLITENESS_KEYS = ("download_delay", "concurrency", "autothrottle")
# a value the crawl cannot run with: concurrency 0 let no request out (the crawl hung), a
# negative delay is none
POLITENESS_VALUES = {
    "download_delay": (lambda v: isinstance(v, int | float) and not isinstance(v, bool)
                       and v >= 0, "a number of seconds, 0 or more"),
    "concurrency": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
                    "a whole number, 1 or more"),
    "autothrottle": (lambda v: isinstance(v, bool), "true or false"),
}


class SiteError(ValueError):
    """A site id that is not registered, or a profile that is malformed."""


@dataclass(frozen=True)
class SiteProfile:
    id: str
    name: str
    province: str
    kind: str
    start_urls: list[str]
    allowed_domains: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    article_patterns: list[str] = field(default_factory=list)
    listing_patterns: list[str] = field(default_factory=list)
    deny_patterns: list[str] = field(default_factory=list)
    selectors: dict[str, str] = field(default_factory=dict)
    politeness: dict[str, Any] = field(default_factory=dict)
    checked_live: bool = False
    source: str = ""

    @property
    def base_url(self) -> str:
        parts = urlsplit(self.start_urls[0])
        return f"{parts.scheme}://{parts.netloc}/"

    def domains(self) -> list[str]:
        """Allowed host names, without the ``*.`` prefix (Scrapy allows sub-domains anyway).
        Taken from the start URLs, a ``www.`` host stands for its site: ``www.x.vn`` that
        redirects to ``x.vn``, or links to it, is one site (the redirect was refused); a
        start URL's port other than the default is part of its host (:func:`site_host`:
        ``127.0.0.1:8001``), so that a site on another port is not this one."""
        if self.allowed_domains:
            return sorted({h.removeprefix("*.") for h in self.allowed_domains if h})
        hosts = [site_host(u) for u in self.start_urls]
        return sorted({h.removeprefix("www.") for h in hosts if h})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_start_urls(self, urls: list[str]) -> SiteProfile:
        """The same profile pointed at other start URLs (a mirror, a local copy, a test)."""
        data = self.to_dict()
        data["start_urls"] = list(urls)
        old, new = urlsplit(self.start_urls[0]), urlsplit(urls[0])
        for key in ("feeds", "sitemaps"):  # feeds on the original host move with it
            data[key] = [
                urlsplit(u)._replace(scheme=new.scheme, netloc=new.netloc).geturl()
                if urlsplit(u).netloc == old.netloc else u
                for u in data[key]
            ]  # fmt: skip
        if not self.allowed_domains or any(
            not host_allowed(site_host(u), self.domains()) for u in urls
        ):
            data["allowed_domains"] = []
        return SiteProfile(**data)


def host_allowed(host: str, domains: list[str]) -> bool:
    """``host`` is one of ``domains`` or a sub-domain of one (as Scrapy's offsite rule). Both
    are spelt as :func:`site_host` spells them: a host at a port other than its scheme's
    default (``127.0.0.1:8002``) is none of ``127.0.0.1`` nor ``127.0.0.1:8001``."""
    return any(host == d or host.endswith("." + d) for d in domains)


def check_http_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise :class:`SiteError`."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise SiteError(f"not an http(s) URL: {url!r}")
    return url


def fold(text: str) -> str:
    """``text`` without case, diacritics or extra spaces: "Quảng  Ninh" → "quang ninh"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


@cache
def provinces() -> tuple[str, ...]:
    """The 34 province-level names since 1 July 2025, from ``crawler/provinces.toml``."""
    with open(PROVINCES_FILE, "rb") as fh:
        return tuple(unit["name"] for unit in tomllib.load(fh)["units"])


UNIT_PREFIXES = ("thanh pho ", "tp. ", "tp.", "tp ", "tinh ")


def province_key(name: str) -> str:
    """The folded name without a leading "tỉnh", "thành phố" or "TP.", for comparing names."""
    key = fold(name)
    for prefix in UNIT_PREFIXES:
        if key.startswith(prefix):
            return key.removeprefix(prefix).strip()
    return key


def sites_in_province(registry: dict[str, SiteProfile], name: str) -> list[SiteProfile]:
    """The profiles of ``registry`` whose province is ``name``, however it is written
    ("quang ninh", "Quảng Ninh", "tỉnh Quảng Ninh"): portal first, then newspapers, then
    departments, each by id. The bundled local ``sample`` portal is no source of any province."""
    key = province_key(name)
    order = {kind: i for i, kind in enumerate(KINDS)}
    found = [
        p for p in registry.values()
        if key and province_key(p.province) == key and p.id not in UNSOURCED_IDS
    ]  # fmt: skip
    return sorted(found, key=lambda p: (order.get(p.kind, len(KINDS)), p.id))


def profile_from_dict(site_id: str, data: dict[str, Any], *, bundled: bool = False) -> SiteProfile:
    """Validate one ``[sites.<id>]`` table and build its profile. ``bundled`` entries (those of
    ``crawler/sites.toml``) must also cite a ``source`` and name a post-merger province."""
    known = set(SiteProfile.__dataclass_fields__) - {"id"}
    unknown = set(data) - known
    if unknown:
        raise SiteError(f"site {site_id!r}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "province", "kind", "start_urls"):
        if not data.get(key):
            raise SiteError(f"site {site_id!r}: missing {key!r}")
    for key in ("name", "province", "kind", "source"):
        if not isinstance(data.get(key, ""), str):
            raise SiteError(f"site {site_id!r}: {key} must be a string")
    if data["kind"] not in KINDS:
        raise SiteError(f"site {site_id!r}: kind must be one of {', '.join(KINDS)}")
    for key in ("start_urls", "allowed_domains", "feeds", "sitemaps",
                "article_patterns", "listing_patterns", "deny_patterns"):  # fmt: skip
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SiteError(f"site {site_id!r}: {key} must be a list of strings")
    for url in [*data["start_urls"], *data.get("feeds", []), *data.get("sitemaps", [])]:
        try:
            check_http_url(url)
        except SiteError as exc:
            raise SiteError(f"site {site_id!r}: {exc}") from None
    for pattern in [*data.get("article_patterns", []), *data.get("listing_patterns", []),
                    *data.get("deny_patterns", [])]:  # fmt: skip
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SiteError(f"site {site_id!r}: bad pattern {pattern!r}: {exc}") from None
    bad = set(data.get("selectors", {})) - set(SELECTOR_KEYS)
    if bad:
        raise SiteError(f"site {site_id!r}: selectors may only be {', '.join(SELECTOR_KEYS)}")
    for key, css in data.get("selectors", {}).items():
        try:  # the extractor skipped a selector it could not read: the profile's rule was lost
            CSSSelector(css)
        except (SelectorError, TypeError) as exc:
            raise SiteError(f"site {site_id!r}: selector {key} = {css!r} is not a CSS "
                            f"selector ({exc})") from None
    politeness = data.get("politeness", {})
    bad = set(politeness) - set(POLITENESS_KEYS)
    if bad:
        raise SiteError(f"site {site_id!r}: politeness may only be {', '.join(POLITENESS_KEYS)}")
    for key, (valid, what) in POLITENESS_VALUES.items():
        if key in politeness and not valid(politeness[key]):
            raise SiteError(f"site {site_id!r}: politeness {key} must be {what}, "
                            f"not {politeness[key]!r}")
    if bundled and site_id not in UNSOURCED_IDS:
        if not data.get("source", "").strip():
            raise SiteError(
                f"site {site_id!r}: no 'source': say where its URL and rules came from "
                "(a public repository file pinned to a commit, or a page URL); "
                "an entry without a source does not go in the registry"
            )
        if province_key(data["province"]) not in {province_key(p) for p in provinces()}:
            raise SiteError(
                f"site {site_id!r}: province {data['province']!r} is not one of the 34 "
                f"post-merger units in {PROVINCES_FILE.name}"
            )
    profile = SiteProfile(id=site_id, **data)
    for key, urls in (("start URL", profile.start_urls), ("feed", profile.feeds),
                      ("sitemap", profile.sitemaps)):  # fmt: skip
        outside = [u for u in urls if not host_allowed(site_host(u), profile.domains())]
        if outside:  # left off-site, never fetched (a start URL: nor any link of it)
            raise SiteError(f"site {site_id!r}: {key} {outside[0]} is outside the site's "
                            f"hosts ({', '.join(profile.domains())}); it would never be "
                            "fetched: add its host to allowed_domains")
    return profile


def load_sites(*paths: str | Path | None) -> dict[str, SiteProfile]:
    """Load the bundled registry, then each extra TOML file given (later files win)."""
    sites: dict[str, SiteProfile] = {}
    for path in (BUNDLED_SITES, *paths):
        if not path:
            continue
        bundled = path == BUNDLED_SITES
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise SiteError(f"cannot read site registry {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise SiteError(f"malformed site registry {path}: {exc}") from None
        except UnicodeDecodeError:
            raise SiteError(f"site registry {path} is not UTF-8 text") from None
        tables = data.get("sites", {})
        if not isinstance(tables, dict):
            raise SiteError(f"{path}: expected [sites.<id>] tables")
        for site_id, table in tables.items():
            if not isinstance(table, dict):
                raise SiteError(f"{path}: [sites.{site_id}] must be a table")
            sites[site_id] = profile_from_dict(site_id, table, bundled=bundled)
    return sites


def get_site(site_id: str, sites_file: str | Path | None = None) -> SiteProfile:
    """The profile registered as ``site_id``; :class:`SiteError` names the known ids if absent,
    and for a host name, with its port or not (the id a ``--start-url`` crawl stores, or a
    ``sites check`` profile's: ``localhost-8001``), says how to make it a registered site."""
    sites = load_sites(sites_file)
    if site_id not in sites:
        hint = ""
        host = re.sub(r"-\d{1,5}$", "", site_id)  # the id of a site at another port
        if "." in host or host in LOOPBACK or host != site_id:
            hint = (
                "; a site crawled with --start-url has no profile: write one with "
                "'tintuc sites check URL --write-profile FILE', then give '--sites FILE'"
            )
        raise SiteError(
            f"unknown site {site_id!r}; known sites: {', '.join(sorted(sites))}{hint}"
        )
    return sites[site_id]


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _claimed_domains(profile: SiteProfile) -> list[str]:
    """The hosts a profile names as its own, ``www.`` left out: its allowed domains as written
    (``*.x.vn`` claims the sub-domains too), else its start URLs' hosts."""
    named = profile.allowed_domains or [site_host(u) for u in profile.start_urls]
    return [d.replace("www.", "", 1) if d.startswith(("www.", "*.www.")) else d for d in named]


def registered_site_of(url: str, sites: dict[str, SiteProfile]) -> SiteProfile | None:
    """The registered site ``url`` belongs to: its host (with a port other than the default,
    :func:`site_host`) is one of the site's domains, and of
    several such sites the one whose start URL's path begins ``url``'s the longest (a
    department's ``/donvi/campha/`` on its province's portal), then the most specific domain.
    None when no site, or two equally, match, and for a loopback host (a mirror on this machine
    is anyone's). A department on a sub-domain of its portal that claims ``*.`` sub-domains
    belongs to the portal unless it is registered itself."""
    parts = urlsplit(url)
    host = site_host(url).removeprefix("www.")
    if not host or parts.hostname in LOOPBACK:
        return None
    ranked: dict[tuple[int, int], list[SiteProfile]] = {}
    for profile in sites.values():
        matching = [len(d) for d in _claimed_domains(profile)
                    if host == d or (d.startswith("*.") and host.endswith(d[1:]))]
        if not matching:
            continue
        starts = [urlsplit(u) for u in profile.start_urls]
        prefix = max((len(s.path or "/") for s in starts
                      if site_host(s.geturl()).removeprefix("www.") == host
                      and (parts.path or "/").startswith(s.path or "/")), default=0)
        ranked.setdefault((prefix, max(matching)), []).append(profile)
    best = ranked.get(max(ranked, default=(0, 0)), [])
    return best[0] if len(best) == 1 else None


def start_url_profile(start_url: str, sites_file: str | Path | None = None) -> SiteProfile:
    """The profile to crawl ``start_url`` with when no site id is given: the registered site
    it belongs to, pointed at it (so its articles stay that site's, and its patterns apply),
    else :func:`generic_profile`."""
    check_http_url(start_url)
    registered = registered_site_of(start_url, load_sites(sites_file))
    return registered.with_start_urls([start_url]) if registered else generic_profile(start_url)


def generic_profile(start_url: str) -> SiteProfile:
    """A profile for a site not in the registry: same-domain links, articles found by content.
    Its id is the host without ``www.``, and a port other than the default after a ``-``
    (``127.0.0.1-8001``, as ``tintuc sites check --write-profile`` names it): two sites on
    one host at two ports are two sites, in the archive as in the crawl's scope."""
    check_http_url(start_url)
    return SiteProfile(
        id=site_id_of(start_url),
        name=site_host(start_url),
        province="",
        kind="generic",
        start_urls=[start_url],
    )


def site_id_of(url: str) -> str:
    """The id a crawl by ``--start-url url`` stores its articles under (:func:`generic_profile`):
    ``x.vn`` for ``https://www.x.vn/``, ``127.0.0.1-8001`` for ``http://127.0.0.1:8001/``."""
    host = urlsplit(url).hostname or ""
    port = site_host(url).removeprefix(host)  # ":8001", or "" at the default port
    return host.removeprefix("www.") + port.replace(":", "-")
