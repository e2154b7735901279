"""Scoring functions of the evaluation harness on hand-made inputs."""

from __future__ import annotations

import gzip
import hashlib
import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from pipelines.extractor.evaluate import (
    check_floor,
    compare_page,
    date_match,
    format_benchmark,
    leaks,
    load_pages,
    page_rule_failures,
    prf,
    raise_floor,
    score_page,
    shingles,
    title_match,
    words,
)


def test_prf_on_word_bags() -> None:
    p, r, f = prf(words("a b c d"), words("a b e"))
    assert (p, r) == (0.5, pytest.approx(2 / 3))
    assert f == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_prf_counts_repeats_and_edge_cases() -> None:
    assert prf(Counter("aab"), Counter("ab")) == (pytest.approx(2 / 3), 1.0, pytest.approx(0.8))
    assert prf([], []) == (1.0, 1.0, 1.0)
    assert prf([], ["x"]) == (0.0, 0.0, 0.0)
    assert prf(["x"], []) == (0.0, 0.0, 0.0)


def test_words_fold_case_and_keep_vietnamese_letters() -> None:
    assert words("Đà Nẵng, ĐÀ NẴNG!") == ["đà", "nẵng", "đà", "nẵng"]
    # a ground truth in decomposed Unicode (NFD) is the same words, not split at each mark
    assert words(unicodedata.normalize("NFD", "Đà Nẵng für")) == ["đà", "nẵng", "für"]


def test_shingles_are_four_word_windows_with_counts() -> None:
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})
    assert shingles("a b c") == Counter()
    p, r, _ = prf(shingles("a b c d e"), shingles("a b c d x"))
    assert (p, r) == (0.5, 0.5)


def test_title_date_and_leaks() -> None:
    truth = {"title": "Sống đẹp", "title_alternates": ["Song dep - Bao"], "published": "2025-06-17"}
    assert title_match("  sống ĐẸP ", truth) and title_match("Song dep – Bao", truth)
    assert not title_match("Sống", truth) and not title_match(None, truth)
    assert date_match("2025-06-17T13:43:02+07:00", truth)
    assert not date_match("2025-06-18", truth) and not date_match(None, truth)
    body = "Mở đầu. Nút giao Mỹ Thủy ì ạch gần 9 năm. Hết."
    assert leaks(body, ["Nút giao Mỹ Thủy ì ạch gần 9 năm", "Mở đầu", "Không có ở đây nhé"]) == 1


def test_score_page_related_uses_normalised_urls() -> None:
    truth = {"title": "T", "published": "2025-01-02", "paragraphs": ["một hai ba bốn"],
             "related": [{"url": "https://A.vn/x-1/", "text": "x"},
                         {"url": "https://a.vn/y-2", "text": "y"}]}
    result = {"title": "T", "published": "2025-01-02", "text": "một hai ba",
              "related": [{"url": "https://a.vn/x-1#top"}, {"url": "https://a.vn/z-3"}]}
    scores = score_page(result, truth)
    assert (scores["related_p"], scores["related_r"]) == (0.5, 0.5)
    assert (scores["body_p"], scores["body_r"]) == (1.0, 0.75)
    assert scores["title"] == 1.0 and scores["date"] == 1.0 and scores["leak"] == 0
    assert score_page(None, truth)["body_f1"] == 0.0


def test_floor_only_rises() -> None:
    floor = {"f1": 0.9, "leak": 0}
    assert check_floor({"f1": 0.89, "leak": 0}, floor) == ["f1: 0.8900 vs floor 0.9000"]
    assert check_floor({"f1": 0.95, "leak": 1}, floor) == ["leak: 1.0000 vs floor 0.0000"]
    assert raise_floor({"f1": 0.95123, "leak": 2}, floor) == {"f1": 0.9512, "leak": 0}
    assert raise_floor({"f1": 0.5}, floor)["f1"] == 0.9
    assert check_floor({"f1": 0.95123}, raise_floor({"f1": 0.95123}, floor)) == []


def _page(mine: float, theirs: float, *, no_article: bool = False,
          baseline_has_text: bool = True) -> dict:
    return {"project": {"body_f1": mine}, "baseline": {"body_f1": theirs},
            "no_article": no_article, "baseline_has_text": baseline_has_text}


RULES_ON = {"max_below_trafilatura": 0.02, "no_article_where_trafilatura_has_text": 0}


def test_page_rule_fails_a_page_more_than_the_margin_below_trafilatura() -> None:
    pages = {"a": _page(0.90, 0.93), "b": _page(0.92, 0.93), "c": _page(0.99, 0.93)}
    failures = page_rule_failures(pages, RULES_ON)
    assert len(failures) == 1 and failures[0].startswith("a: body F1 0.900 is 0.030 below")
    assert page_rule_failures({"b": _page(0.91, 0.93)}, RULES_ON) == []  # 0.02 exactly passes


def test_page_rule_fails_no_article_where_trafilatura_has_text() -> None:
    lost = {"x": _page(0.0, 0.01, no_article=True)}  # within the margin: only this rule catches it
    assert page_rule_failures(lost, RULES_ON) == [
        "x: no article where plain trafilatura has text"]
    nothing_to_lose = {"x": _page(0.0, 0.0, no_article=True, baseline_has_text=False)}
    assert page_rule_failures(nothing_to_lose, RULES_ON) == []
    assert page_rule_failures(lost, {**RULES_ON, "no_article_where_trafilatura_has_text": 1}) == []


def test_page_rules_are_off_unless_switched_on_and_skip_exempt_pages() -> None:
    pages = {"a": _page(0.5, 0.9), "b": _page(0.0, 0.9, no_article=True)}
    assert page_rule_failures(pages, {"pages.body_f1": 1.0}) == []
    assert page_rule_failures(pages, {**RULES_ON, "per_page_exempt": ["a", "b"]}) == []
    assert [f[0] for f in page_rule_failures(pages, {**RULES_ON, "per_page_exempt": ["a"]})] == [
        "b", "b"]
    # the rule keys are options, not totals: the totals check ignores them
    assert check_floor({"max_below_trafilatura": 0.5}, RULES_ON) == []


def test_compare_page_marks_no_article_and_baseline_text() -> None:
    truth = {"title": "T", "paragraphs": ["một hai ba bốn năm"]}
    mine, theirs = score_page(None, truth), score_page({"text": "hai ba"}, truth)
    entry = compare_page(mine, theirs, None)
    assert entry["no_article"] and entry["baseline_has_text"]
    assert not compare_page(theirs, mine, "hai ba")["no_article"]
    assert not compare_page(mine, mine, " . ")["baseline_has_text"]


def _write_page(folder: Path, key: str, html: bytes, *, sha: str | None = None) -> None:
    (folder / f"{key}.html.gz").write_bytes(gzip.compress(html))
    (folder / f"{key}.json").write_text(json.dumps({"url": f"https://a.vn/{key}-1.html"}))
    (folder / f"{key}.provenance.json").write_text(json.dumps({
        "repository": "owner/repo", "path": f"{key}.html", "commit": "0" * 40,
        "licence": "MIT", "sha256": sha or hashlib.sha256(html).hexdigest()}))


def test_load_pages_reads_gzip_and_checks_provenance_sha256(tmp_path: Path) -> None:
    _write_page(tmp_path, "b-page", b"<p>Trang hai</p>")
    _write_page(tmp_path, "a-page", "<p>Trang một</p>".encode())
    (tmp_path / "c-plain.html").write_bytes(b"<p>plain</p>")
    (tmp_path / "c-plain.json").write_text(json.dumps({"url": "https://a.vn/c"}))
    (tmp_path / "orphan.json").write_text("{}")  # ground truth without a page: skipped
    pages = load_pages(tmp_path)
    assert [key for key, _, _ in pages] == ["a-page", "b-page", "c-plain"]
    assert pages[0][1] == "<p>Trang một</p>".encode()
    assert pages[1][2]["url"] == "https://a.vn/b-page-1.html"

    _write_page(tmp_path, "a-page", b"<p>changed</p>", sha="f" * 64)
    with pytest.raises(ValueError, match="a-page.provenance.json: sha256"):
        load_pages(tmp_path)


def test_benchmark_listing_shows_only_pages_that_differ() -> None:
    per_page = {
        "same": compare_page({"body_p": 1, "body_r": 1, "body_f1": 0.95},
                             {"body_p": 1, "body_r": 1, "body_f1": 0.96}, "x"),
        "worse": compare_page({"body_p": 1, "body_r": 0.5, "body_f1": 0.6},
                              {"body_p": 1, "body_r": 1, "body_f1": 0.9}, "x"),
        "lost": compare_page({"body_p": 0, "body_r": 0, "body_f1": 0.0},
                             {"body_p": 1, "body_r": 0.01, "body_f1": 0.01}, ""),
    }
    report = {"name": "set", "pages": 3, "per_page": per_page,
              "project": {"p": 0.6, "r": 0.5, "f1": 0.55},
              "baseline": {"p": 1, "r": 0.7, "f1": 0.82}}
    text = format_benchmark(report)
    assert "\n  worse " in text and "\n  lost " in text and "same" not in text
    assert "0.02 body F1: 0 / 1; no article where trafilatura has text: 1" in text
    assert text.index("\n  worse ") < text.index("\n  lost ")  # largest loss first


REAL_PAGES = Path(__file__).parent / "pages" / "vn"
TRUTH_FIELDS = ("url", "title", "published", "date_shown", "paragraphs", "related",
                "related_blocks", "notes")


def test_every_committed_real_page_has_full_provenance_and_ground_truth() -> None:
    """A real page is committed only with where it came from (repository, path, commit), the
    licence that lets it be redistributed, and the sha256 of its bytes, as fundus, htmldate
    and trafilatura keep theirs; and with hand-checked ground truth in the fixtures'
    conventions. Nothing else sits in the folder but its README."""
    pages = sorted(REAL_PAGES.glob("*.html.gz"))
    assert pages
    keys = {p.name.removesuffix(".html.gz") for p in pages}
    expected = {f"{k}{suffix}" for k in keys
                for suffix in (".html.gz", ".json", ".provenance.json")} | {"README.md"}
    assert {p.name for p in REAL_PAGES.iterdir()} == expected
    readme = (REAL_PAGES / "README.md").read_text(encoding="utf-8")
    for key in keys:
        html = gzip.decompress((REAL_PAGES / f"{key}.html.gz").read_bytes())
        source = json.loads((REAL_PAGES / f"{key}.provenance.json").read_text(encoding="utf-8"))
        truth = json.loads((REAL_PAGES / f"{key}.json").read_text(encoding="utf-8"))
        assert source["repository"].count("/") == 1 and source["path"], key
        assert len(source["commit"]) == 40 and int(source["commit"], 16) >= 0, key
        assert source["licence"].strip() and source["page_url"] == truth["url"], key
        assert source["sha256"] == hashlib.sha256(html).hexdigest(), key
        assert all(truth.get(field) is not None for field in TRUTH_FIELDS), key
        assert truth["paragraphs"] and f"`{key}`" in readme, key
    assert [key for key, _, _ in load_pages(REAL_PAGES)] == sorted(keys)
