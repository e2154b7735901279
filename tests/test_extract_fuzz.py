"""Mutated real pages and random markup never make extract_article raise."""

from __future__ import annotations

from conftest import require_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extractor.article import extract_article
from pipelines.extractor.source import decode_html

URL = "https://baolaocai.vn/song-dep-tu-nhung-dieu-gian-di-post404649.html"
# the strategies need this real page's length at import, so without ../shared the whole module
# skips (or fails under TINTUC_REQUIRE_FIXTURES=1)
PAGE = (require_shared("fixtures/vn") / "baolaocai.html").read_bytes()
TAGS = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<h3>Tin liên quan</h3>", "<a href=x>",
                        "</a>", "<!--", "-->", "<script>", "</body>", "<h1>", "<style>", "<br>",
                        "<meta charset='windows-1258'>", "\x00", "<?xml ?>", "]]>"])
KEYS = {"url", "title", "description", "text", "published", "updated", "author", "language",
        "image", "related", "related_ids", "languages", "flags", "confidence", "attachments",
        "page_kind", "page_reason"}
# max_examples comes from the hypothesis profile: 200 ("full", the default and CI's), 25 in
# `make test-fast` ("fast"; see tests/conftest.py)
SETTINGS = settings(deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=len(PAGE)), junk=st.binary(max_size=64),
       at=st.integers(min_value=0, max_value=len(PAGE)))
def test_truncated_page_with_random_bytes(cut: int, junk: bytes, at: int) -> None:
    page = PAGE[:cut]
    page = page[:at] + junk + page[at:]
    result = extract_article(page, URL)
    assert result is None or set(result) == KEYS


@SETTINGS
@given(inserts=st.lists(st.tuples(st.integers(min_value=0, max_value=len(PAGE)), TAGS),
                        max_size=12))
def test_random_tags_inserted(inserts: list[tuple[int, str]]) -> None:
    page = PAGE.decode("utf-8")
    for at, tag in sorted(inserts, reverse=True):
        page = page[:at] + tag + page[at:]
    result = extract_article(page, URL)
    assert result is None or set(result) == KEYS


@SETTINGS
@given(html=st.text(max_size=300), url=st.sampled_from([URL, "", "not a url", "http://[::1"]))
def test_random_text_and_urls(html: str, url: str) -> None:
    extract_article(html, url)
    decode_html(html.encode("utf-8", "surrogatepass"))
