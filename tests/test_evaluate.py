"""Scoring functions of the evaluation harness on hand-made inputs."""

from __future__ import annotations

from collections import Counter

import pytest

from pipelines.extractor.evaluate import (
    check_floor,
    date_match,
    leaks,
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
