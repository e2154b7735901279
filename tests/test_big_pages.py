"""Extraction cost on big pages grows with the page, not with its square: checked by counting
the work done (places looked at), never by timing."""

from __future__ import annotations

import random

import lxml.html

from pipelines.extractor.confidence import (
    _LINK_TEXTS,
    _LINK_TEXTS_WALK,
    _LINK_TEXTS_WALK_FROM,
    _body_signals,
)
from pipelines.extractor.lines import _line_key
from pipelines.extractor.recovery import _KeyCounts, recover


class _CountedList(list):
    """A list that counts how often an item is read from it."""

    reads = 0

    def __getitem__(self, index):
        type(self).reads += 1
        return super().__getitem__(index)


def test_key_counts_are_those_of_str_count_on_a_growing_text() -> None:
    rng = random.Random(7)
    words = ["an", "nam", "na", "nan", "a"]

    def key() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))

    for _ in range(500):
        text = " ".join(rng.choice([*words, ""]) for _ in range(rng.randint(0, 8)))
        counts = _KeyCounts(text)
        keys = [key() for _ in range(4)]
        for _ in range(20):
            if rng.random() < 0.5:
                added = rng.choice([*keys, key(), ""])
                counts.add(added)
                text += " " + added
            asked = rng.choice(keys)
            assert counts.count(asked) == text.count(asked), (text, asked)


def test_each_of_a_pages_lines_is_looked_for_only_where_its_rarest_word_stands() -> None:
    # 3,000 ad boxes, each its own text: each is looked for at one place of the page, not
    # in the whole page's text
    lines = [f"Quảng cáo {i}: mua nhà phố số {i} đường Lê Lợi" for i in range(3000)]
    counts = _KeyCounts(_line_key(" ".join(lines)))
    counts.starts = _CountedList(counts.starts)
    assert all(counts.count(_line_key(line)) == 1 for line in lines)
    assert _CountedList.reads <= 2 * len(lines)


def test_a_box_repeated_down_a_page_is_counted_on_from_where_it_was_last() -> None:
    # the body told so far grows by one box after another, and the box is counted after each:
    # each place its words stand is looked at once in all, not once per count
    _CountedList.reads = 0
    box = _line_key("Quảng cáo: nhà phố Lê Lợi giá tốt")
    told = _KeyCounts("")
    told.starts = _CountedList(told.starts)
    for n in range(1, 2001):
        told.add(box)
        assert told.count(box) == n
    assert _CountedList.reads <= 2000


def test_a_box_is_brought_in_as_often_as_the_page_shows_it_beyond_the_body() -> None:
    story = ["Sáng nay, tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên tai năm qua.",
             "Phó Chủ tịch tỉnh đề nghị các đơn vị chủ động xây dựng phương án ứng phó."]
    box = "Quảng cáo: nhà phố đường Lê Lợi giá tốt, liên hệ ngay"
    short = "Xem thêm"
    shown = _line_key(" ".join([*story, box, box, short, box]))
    plain = "\n".join([story[0], box, box, short, story[1], box, box, short, box])
    merged, flag = recover(story, plain, lambda line: False, shown=shown)
    assert flag == "recovered_text"
    assert merged.count(box) == 3 and merged.count(short) == 1  # as often as the page shows
    assert merged[0] == story[0] and story[1] in merged


def test_link_texts_are_read_in_one_walk_and_a_body_inside_a_link_keeps_its_own() -> None:
    menu = "".join(f"<a href='/muc-{i}/'>Chuyên mục <b>số {i}</b></a> " for i in range(50))
    tree = lxml.html.fromstring(f"<html><body><nav>{menu}</nav><a href='/bai/'><div class='c'>"
                                "<p>Tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên "
                                "tai năm qua, với đại diện các sở, ngành.</p></div></a>"
                                "</body></html>")
    assert _LINK_TEXTS_WALK(tree) == _LINK_TEXTS(tree)  # the same texts, in the same order
    container = tree.find_class("c")[0]
    text = container.text_content()
    # the container sits inside a link, but its own text is no link's text of its own, on a
    # page of any size (a big page's link texts are read in one walk)
    for size in (0, _LINK_TEXTS_WALK_FROM):
        assert _body_signals(tree, container, text, None, walked=True,
                             page_size=size)["linked"] == 0.0
