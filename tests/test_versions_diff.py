"""For researchers on the web: word-level diffs between versions, copies of a story,
and the canned queries over them (in-process Datasette)."""

from __future__ import annotations

import re

from syndication_pairs import labelled_corpus
from test_datasette import fetch

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles
from tintuc.web.research import changed_share, word_diff_html

OPENING = "Sáng nay, UBND tỉnh Quảng Ninh họp bàn kế hoạch phát triển"
FIRST = f"{OPENING} du lịch.\nĐoạn hai giữ nguyên."
SECOND = f"{OPENING} <b>giao thông</b>.\nĐoạn hai giữ nguyên."


def test_word_diff_marks_whole_words_and_escapes():
    # "du lịch" -> "<b>giao thông</b>": whole syllables, never "d<del>u</del>" letters
    assert word_diff_html(FIRST, SECOND) == (
        "Sáng nay, UBND tỉnh Quảng Ninh họp bàn kế hoạch phát triển "
        "<del>du lịch.</del><ins>&lt;b&gt;giao thông&lt;/b&gt;.</ins>\nĐoạn hai giữ nguyên."
    )
    # a changed diacritic replaces the whole word
    assert word_diff_html("tỉnh Hà Nam", "tỉnh Hà Năm") == "tỉnh Hà <del>Nam</del><ins>Năm</ins>"
    assert changed_share(FIRST, FIRST) == 0.0
    assert 0 < changed_share(FIRST, SECOND) < 0.3
    assert changed_share("một hai ba", "bốn năm sáu") == 1.0


def build(path):
    db = open_archive(path)
    corpus, _ = labelled_corpus(copies=2)
    original, copy = corpus[0][1], corpus[1][1]
    save_articles(db, [
        {"url": "https://a.vn/1", "site": "sitea", "title": "Bản gốc", "text": original,
         "published": "2025-12-01T08:00:00+07:00"},
        {"url": "https://b.vn/1", "site": "siteb", "title": "Bản đăng lại", "text": copy,
         "published": "2025-12-02T09:00:00+07:00"},
        {"url": "https://c.vn/1", "site": "sitec", "title": "Tin khác", "text": corpus[3][1],
         "published": "2025-12-03T09:00:00+07:00"},
        {"url": "https://d.vn/1", "site": "sitea", "title": "Bài sửa", "text": FIRST},
    ])  # fmt: skip
    save_articles(db, [{"url": "https://d.vn/1", "site": "sitea", "title": "Bài sửa",
                        "text": SECOND}])  # fmt: skip
    db.close()
    return path


def test_article_page_lists_copies_and_links_the_diff(tmp_path):
    path = build(tmp_path / "archive.db")
    original, edited, stories = fetch(
        path, "/archive/articles/1", "/archive/articles/4",
        "/archive/syndicated_stories.json?_shape=array&sites=2",
    )  # fmt: skip
    assert original.status_code == 200
    copies = original.text.split('id="story-copies"')[1].split("</ul>")[0]
    assert "Bản đăng lại" in copies and "siteb" in copies and "2025-12-02 09:00" in copies
    assert "Tin khác" not in copies and re.search(r"similarity (0\.[3-9]\d|1\.00)<", copies)
    assert 'id="article-versions"' not in original.text
    assert 'id="story-copies"' not in edited.text
    assert 'href="/-/tintuc/diff/archive/4?from=1&amp;to=current"' in edited.text
    assert [(r["story"], r["sites"], r["first_site"]) for r in stories.json()] == [(1, 2, "sitea")]


def test_diff_view_and_recently_changed(tmp_path):
    path = build(tmp_path / "archive.db")
    diff, default, missing, changed = fetch(
        path, "/-/tintuc/diff/archive/4?from=1&to=current", "/-/tintuc/diff/archive/4",
        "/-/tintuc/diff/archive/4?from=99", "/archive/recently_changed.json?_shape=array",
    )  # fmt: skip
    assert diff.status_code == 200 and default.status_code == 200
    text = diff.text.split('id="diff-text"')[1]
    assert "<del>du lịch.</del><ins>&lt;b&gt;giao thông&lt;/b&gt;.</ins>" in text
    assert default.text.count("<del>") == diff.text.count("<del>") == 1
    assert missing.status_code == 404
    assert [(r["id"], r["earlier_versions"]) for r in changed.json()] == [(4, 1)]
    assert 0 < changed.json()[0]["words_changed"] < 0.3


def test_diff_shows_a_new_lead_image_or_date_under_the_same_text(tmp_path):
    """A version that differs only in what the page states (here its lead image and date) has
    no word changed: the diff says what did change, old and new; the title, sapo and text say
    unchanged."""
    path = tmp_path / "archive.db"
    db = open_archive(path)
    first = {"url": "https://d.vn/2", "site": "sitea", "title": "Ảnh mới", "text": FIRST,
             "published": "2025-12-01T08:00:00+07:00", "image": "https://d.vn/anh/<cu>.jpg"}
    save_articles(db, [first])
    save_articles(db, [{**first, "image": "https://d.vn/anh/moi.jpg",
                        "published": "2025-12-02T08:00:00+07:00"}])  # fmt: skip
    db.close()
    (diff,) = fetch(path, "/-/tintuc/diff/archive/1?from=1&to=current")
    assert diff.status_code == 200
    stated = diff.text.split('id="diff-stated"')[1].split("</table>")[0]
    assert "<del>https://d.vn/anh/&lt;cu&gt;.jpg</del>" in stated  # escaped
    assert "<ins>https://d.vn/anh/moi.jpg</ins>" in stated
    assert "<ins>2025-12-02T08:00:00+07:00</ins>" in stated
    assert "author" not in stated and diff.text.count("(unchanged)") == 3
