"""How sure extraction is, per article: stored flags and confidence, the m005 migration, the
Datasette facet and canned query over them, and ``tintuc reextract --flagged``.

In-process and fast: pages are written to a WARC file and the captures table directly, as the
capture middleware does during a crawl, and extracted with the real ``extract_article``.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import lxml.html
import pytest
import sqlite_utils
from click.testing import CliRunner
from conftest import capture
from datasette.app import Datasette

from pipelines.archive.schema import migrations, open_archive
from pipelines.archive.store import (
    DOUBTFUL_BELOW,
    DOUBTFUL_FLAGS,
    count_doubtful,
    doubtful,
    save_article,
    save_articles,
)
from pipelines.archive.warc import WarcFile
from pipelines.extractor.article import extract_article
from pipelines.extractor.confidence import _body_signals, _confidence
from pipelines.extractor.quality import assess
from tintuc.cli import main

SITE = "https://baomau.vn"
PARAGRAPHS = [
    "Sáng 2/3, UBND tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên tai năm 2024.",
    "Theo báo cáo, trong năm qua toàn tỉnh đã huy động hơn 12.000 lượt người tham gia ứng phó "
    "với bão lũ, di dời an toàn hàng nghìn hộ dân ở vùng trũng thấp.",
    "Phát biểu tại hội nghị, Phó Chủ tịch UBND tỉnh đề nghị các địa phương chủ động rà soát "
    "phương án, bố trí lực lượng, vật tư và phương tiện sẵn sàng cho mùa mưa bão năm nay.",
    "Dịp này, 25 tập thể và 40 cá nhân có thành tích xuất sắc được tặng bằng khen.",
]
# an article page as most news CMSs write it: article markup, a dated meta, a body container,
# a related block under a heading
WELL_MADE = """<html lang="vi"><head><title>{title}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-03-02T08:00:00+07:00"></head>
<body><header><a href="/">Trang chủ</a></header><h1 class="title">{title}</h1>
<div class="detail-content">{body}</div>
<div class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin-tuc/ha-tang-giao-thong-20250301.html">Đầu tư hạ tầng giao thông</a></li>
<li><a href="/tin-tuc/mua-mua-bao-20250228.html">Chủ động ứng phó mùa mưa bão</a></li>
</ul></div></body></html>"""
# the same text with nothing to go by: no article markup, no date but the URL's, no container
BARE = """<html lang="vi"><head><title>{title}</title></head><body><h1>{title}</h1>
<div><div><span>{body}</span></div></div></body></html>"""


def page(template: str, title: str, paragraphs: list[str] = PARAGRAPHS) -> str:
    return template.format(title=title, body="".join(f"<p>{p}</p>" for p in paragraphs))


def stored_quality(result: dict) -> tuple[str | None, float | None]:
    """What the archive should hold for an extraction result (None: not assessed)."""
    flags = result.get("flags")
    confidence = result.get("confidence")
    return (None if flags is None else json.dumps(sorted(set(flags))),
            None if confidence is None else round(confidence, 3))  # fmt: skip


def quality_of(db_path: Path, url: str) -> tuple:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT extraction_flags, extraction_confidence FROM articles WHERE url = ?", [url]
        ).fetchone()
    finally:
        conn.close()


def article(url: str, text: str, **quality) -> dict:
    return {"url": url, "site": "baomau", "title": "Tiêu đề", "text": text, **quality}


# --- storage ---------------------------------------------------------------------------


def test_flags_are_stored_sorted_once_and_unassessed_is_null(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    save_articles(db, [
        article(f"{SITE}/a-1.html", "Một.", flags=["related_none", "date_from_url_only",
                                                   "related_none"], confidence=0.41666),
        article(f"{SITE}/b-2.html", "Hai.", flags=[], confidence=1.0),
        article(f"{SITE}/c-3.html", "Ba."),  # an extractor that assesses nothing
    ])  # fmt: skip
    db.close()
    assert quality_of(tmp_path / "archive.db", f"{SITE}/a-1.html") == (
        '["date_from_url_only", "related_none"]', 0.417)
    assert quality_of(tmp_path / "archive.db", f"{SITE}/b-2.html") == ("[]", 1.0)
    assert quality_of(tmp_path / "archive.db", f"{SITE}/c-3.html") == (None, None)


def test_flags_follow_the_text_that_is_kept(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    url = f"{SITE}/a-1.html"

    def save(**fields) -> str:
        with db.atomic():
            return save_article(db, article(url, **fields))

    assert save(text="Bài gốc.", flags=["fallback_used"], confidence=0.3) == "new"
    # the same text, assessed again: the new assessment is the one that holds
    assert save(text="Bài gốc.", flags=[], confidence=0.9) == "unchanged"
    assert quality_of(tmp_path / "archive.db", url) == ("[]", 0.9)
    # the same text from an extractor that assesses nothing: what is known stays
    assert save(text="Bài gốc.") == "unchanged"
    assert quality_of(tmp_path / "archive.db", url) == ("[]", 0.9)
    # an empty extraction is not stored over the text, nor are its flags
    assert save(text="", flags=["no_body_container"], confidence=0.1) == "kept"
    assert quality_of(tmp_path / "archive.db", url) == ("[]", 0.9)
    # a new text carries its own assessment, even "not assessed"
    assert save(text="Bài đã sửa.") == "changed"
    assert quality_of(tmp_path / "archive.db", url) == (None, None)
    db.close()


def test_real_extractions_are_stored_as_the_extractor_assessed_them(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    pages = {
        f"{SITE}/tin-tuc/tong-ket-thien-tai-20250302.html":
            page(WELL_MADE, "Tổng kết phòng chống thiên tai năm 2024"),
        f"{SITE}/2025/03/02/hoi-nghi-tong-ket.html":
            page(BARE, "Hội nghị tổng kết công tác thiên tai"),
    }
    results = {url: extract_article(html, url) for url, html in pages.items()}
    assert all(r and PARAGRAPHS[-1] in r["text"] for r in results.values())
    save_articles(db, [{**r, "site": "baomau"} for r in results.values()])
    db.close()
    for url, result in results.items():
        assert quality_of(tmp_path / "archive.db", url) == stored_quality(result)
    well_made, bare = results.values()
    # the bare page's day is the one its URL spells, with no time and no related block
    assert bare["published"] == "2025-03-02"
    assert {"date_from_url_only", "related_none"} <= set(bare["flags"])
    assert not {"date_from_url_only", "related_none"} & set(well_made["flags"])
    # the figure is about the text: both bodies are whole; only the missing body container
    # costs a little (the date's doubt is its flag, which makes the bare page doubtful)
    assert (well_made["confidence"], bare["confidence"]) == (1.0, 0.95)
    db = open_archive(tmp_path / "archive.db")
    assert count_doubtful(db) == 1
    db.close()


@pytest.mark.parametrize("published,url,flags", [
    ("2025-03-02", f"{SITE}/2025/03/02/hoi-nghi.html", ["date_from_url_only"]),
    ("2025-03-02", f"{SITE}/2025/3/2/hoi-nghi.html", ["date_from_url_only"]),
    ("2025-03-02", f"{SITE}/tin-tuc/hoi-nghi-20250302093000.html", ["date_from_url_only"]),
    ("2025-03-02", f"{SITE}/02-03-2025/hoi-nghi.html", ["date_from_url_only"]),
    ("2025-03-02", f"{SITE}/2025/03/hoi-nghi-12345.html", []),  # no day in the URL
    ("2025-03-02", f"{SITE}/2025/03/01/hoi-nghi.html", []),  # another day
    ("2025-03-02T08:00:00+07:00", f"{SITE}/2025/03/02/hoi-nghi.html", []),  # a time: the page
    (None, f"{SITE}/hoi-nghi.html", ["no_date"]),
])  # fmt: skip
def test_assess_flags_what_the_result_shows(published, url, flags):
    related = [{"url": f"{SITE}/khac-1.html", "text": "Tin khác", "block": "Tin khác"}]
    result = {"url": url, "published": published, "text": "Nội dung.", "related": related}
    assert assess(result) == (flags, None)
    assert assess({**result, "related": []}) == (sorted([*flags, "related_none"]), None)


# --- the confidence figure predicts a bad body -------------------------------------------

HEADLINES = ["Khánh thành cầu treo dân sinh ở xã vùng cao",
             "Tỉnh phát động phong trào trồng cây xanh đầu xuân",
             "Hơn 200 hộ dân được hỗ trợ nhà ở năm 2025",
             "Ra quân dọn vệ sinh môi trường các tuyến đường",
             "Trao học bổng cho học sinh nghèo vượt khó",
             "Kiểm tra công tác phòng cháy chữa cháy tại chợ"]


def test_a_list_of_headlines_read_as_the_body_gets_low_confidence():
    # a section page that the crawl took for an article (its URL has the site's article
    # shape): no body box, and the "body" trafilatura reads is the list of headline links
    items = "".join(f'<p><a href="/tin-tuc/bai-{i}-2025030{i}.html">{h}</a> <span>(0{i}/03)'
                    "</span></p>" for i, h in enumerate(HEADLINES * 2))
    html = (f'<html lang="vi"><head><title>Tin tức</title></head><body><h1>Tin tức - Sự kiện'
            f'</h1><div class="khung">{items}</div></body></html>')
    result = extract_article(html, f"{SITE}/tin-tuc/su-kien-20250302.html",
                             hints={"article_url": True})
    assert HEADLINES[0] in result["text"]
    assert {"link_heavy", "short_lines"} <= set(result["flags"])
    assert result["confidence"] < DOUBTFUL_BELOW  # tintuc reextract --flagged redoes it


def test_links_inside_sentences_do_not_make_a_body_doubtful():
    # a story whose paragraphs link headline-long phrases is prose, not a teaser list
    linked = [f'{p[:20]}<a href="/tin-tuc/bai-{i}-20250301.html">{p[20:50]}</a>{p[50:]}'
              for i, p in enumerate(PARAGRAPHS)]
    result = extract_article(page(WELL_MADE, "Tổng kết phòng chống thiên tai năm 2024", linked),
                             f"{SITE}/tin-tuc/tong-ket-thien-tai-20250302.html")
    assert PARAGRAPHS[1] in result["text"]
    assert not {"link_heavy", "short_lines", "text_outside_container"} & set(result["flags"])
    assert result["confidence"] == 1.0


def boxes(first: list[str], second: list[str]) -> lxml.html.HtmlElement:
    """A page of two boxes of paragraphs, the second a recognised body container."""
    return lxml.html.document_fromstring(
        f'<html><body><div class="part">{"".join(f"<p>{p}</p>" for p in first)}</div>'
        f'<div class="detail-content">{"".join(f"<p>{p}</p>" for p in second)}</div>'
        "</body></html>")


def test_a_body_that_the_recognised_container_does_not_hold_is_doubtful():
    # the story split over two boxes: the recognised container holds the second part, the
    # body read elsewhere holds the first (as trafilatura does on some split templates)
    tree = boxes(PARAGRAPHS[:2], PARAGRAPHS[2:])
    container = tree.find_class("detail-content")[0]
    text = "\n".join(PARAGRAPHS[:2])
    signals = _body_signals(tree, container, text, None, walked=False)
    assert signals["outside"] > 0.8  # (the two parts share a few words: "tỉnh", "năm")
    assert (signals["prose"], signals["linked"]) == (1.0, 0.0)
    result = {"title": "Tiêu đề", "text": text, "related": [], "page_kind": "article"}
    assert _confidence(["text_outside_container"], result, signals) < DOUBTFUL_BELOW
    # text that recovery brought back from outside the box is one doubt, not two
    whole = {**result, "text": "\n".join(PARAGRAPHS)}
    assert _confidence(["recovered_text"], whole, signals) == _confidence([], whole, signals)
    # the container's own text is not checked against itself
    assert "outside" not in _body_signals(tree, container, text, None, walked=True)


def test_the_sapo_outside_the_container_is_not_doubted():
    # the sapo sits above the body box by design (an <h2> under the headline)
    tree = boxes(PARAGRAPHS[:1], PARAGRAPHS[1:])
    container = tree.find_class("detail-content")[0]
    text = "\n".join(PARAGRAPHS)
    assert _body_signals(tree, container, text, PARAGRAPHS[0], walked=False)["outside"] == 0.0
    assert _body_signals(tree, container, text, None, walked=False)["outside"] > 0.1


def test_migration_adds_the_columns_to_an_existing_archive(tmp_path):
    path = tmp_path / "archive.db"
    db = sqlite3.connect(path)
    old = sqlite_utils.Database(db)
    migrations.apply(old, stop_before="m005_extraction_quality")
    old["articles"].insert({"url": f"{SITE}/cu-1.html", "site": "baomau", "text": "Bài cũ."})
    assert "extraction_flags" not in old["articles"].columns_dict
    db.close()

    migrated = open_archive(path)
    columns = migrated["articles"].columns_dict
    assert columns["extraction_flags"] is str and columns["extraction_confidence"] is float
    assert [r["text"] for r in migrated["articles"].rows] == ["Bài cũ."]
    assert quality_of(path, f"{SITE}/cu-1.html") == (None, None)  # not assessed
    doubtful = "SELECT id FROM articles WHERE extraction_confidence < 0.5"
    plan = " ".join(str(r) for r in migrated.execute(f"EXPLAIN QUERY PLAN {doubtful}"))
    assert "USING COVERING INDEX idx_articles_extraction_confidence_extraction_flags" in plan, plan
    migrated.close()
    open_archive(path).close()  # applied once: opening again changes nothing


# --- Datasette ---------------------------------------------------------------------------

# (url, flags, confidence)
ASSESSED = [
    (f"{SITE}/a-1.html", ["related_by_heading"], 0.95),
    (f"{SITE}/b-2.html", ["date_from_url_only", "related_none"], 0.8),
    (f"{SITE}/c-3.html", ["fallback_used", "related_none"], 0.3),
    (f"{SITE}/d-4.html", [], 0.45),
    (f"{SITE}/e-5.html", None, None),
    (f"{SITE}/f-6.html", [], 0.7),
]


def fetch(db_path: Path, *paths: str) -> list:
    async def run():
        ds = Datasette([str(db_path)])
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


@pytest.fixture
def assessed_archive(tmp_path) -> Path:
    db = open_archive(tmp_path / "archive.db")
    save_articles(db, [article(url, f"Bài {i}.", flags=flags, confidence=confidence)
                       for i, (url, flags, confidence) in enumerate(ASSESSED)])  # fmt: skip
    db.close()
    return tmp_path / "archive.db"


def test_articles_facet_by_flag_and_filter_on_one(assessed_archive):
    page, plain, table, filtered = fetch(
        assessed_archive,
        "/archive/articles",
        "/archive/articles.json",
        "/archive/articles.json?_facet_array=extraction_flags",
        "/archive/articles.json?extraction_flags__arraycontains=related_none&_shape=objects",
    )
    # one click away on the table page, not computed on every view (it reads every row)
    assert 'href="/archive/articles?_facet_array=extraction_flags"' in page.text
    assert "extraction_flags" not in plain.json()["facet_results"]
    facet = table.json()["facet_results"]["extraction_flags"]
    assert facet["type"] == "array"
    assert [(v["value"], v["count"]) for v in facet["results"]] == [
        ("related_none", 2), ("date_from_url_only", 1), ("fallback_used", 1),
        ("related_by_heading", 1),
    ]  # fmt: skip
    assert facet["results"][0]["toggle_url"].endswith(
        "extraction_flags__arraycontains=related_none")
    assert sorted(r["url"] for r in filtered.json()["rows"]) == [
        f"{SITE}/b-2.html", f"{SITE}/c-3.html"]


def test_doubtful_extractions_query_lists_least_sure_first(assessed_archive):
    default, stricter = fetch(
        assessed_archive,
        "/archive/doubtful_extractions.json?_shape=array",
        "/archive/doubtful_extractions.json?_shape=array&below=0.9",
    )
    assert DOUBTFUL_BELOW == 0.5 and "date_from_url_only" in DOUBTFUL_FLAGS
    # c: low and a doubtful flag; d: low; b: a doubtful flag; a: sure; e: never assessed
    assert [r["url"] for r in default.json()] == [
        f"{SITE}/c-3.html", f"{SITE}/d-4.html", f"{SITE}/b-2.html"]
    assert default.json()[0]["extraction_flags"] == '["fallback_used", "related_none"]'
    assert [r["url"] for r in stricter.json()] == [
        f"{SITE}/c-3.html", f"{SITE}/d-4.html", f"{SITE}/f-6.html", f"{SITE}/b-2.html"]
    with_a = fetch(assessed_archive, "/archive/doubtful_extractions.json?_shape=array&below=1")
    assert [r["url"] for r in with_a[0].json()][-1] == f"{SITE}/a-1.html"


def test_a_body_read_as_a_layout_row_is_doubtful_whatever_its_figure():
    # the flag costs 0.5 of the figure, which alone leaves a clean page at 0.5, not below it:
    # the flag itself must send the page to the archivist's list and to reextract --flagged
    assert doubtful({"confidence": 0.5, "flags": ["layout_row"]})
    assert not doubtful({"confidence": 0.5, "flags": ["related_none"]})


# --- reextract --flagged ----------------------------------------------------------------


def archive_with_captures(tmp_path: Path, pages: dict[str, str]) -> Path:
    """An archive whose articles were extracted from WARC captures, as a crawl leaves it."""
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    warc = WarcFile(tmp_path / "warc" / "crawl-1.warc.gz")
    results = []
    for url, html in pages.items():
        body = html.encode("utf-8")
        capture_id = capture(db, warc, url, body)
        result = extract_article(body, url, declared_encoding="utf-8")
        results.append({**result, "site": "baomau", "capture_id": capture_id})
    warc.close()
    save_articles(db, results)
    db.close()
    return db_path


def numbered_page(name: str) -> str:
    return page(WELL_MADE, f"Tổng kết công tác phòng chống thiên tai ở xã {name.upper()}")


@pytest.mark.parametrize("below,redone", [(None, {"a", "b"}), ("0.8", {"a", "b", "c"})])
def test_reextract_flagged_redoes_only_the_doubtful(tmp_path, below, redone):
    pages = {name: f"{SITE}/tin-tuc/bai-{name}-2025030{i}.html"
             for i, name in enumerate("abcd", start=1)}  # fmt: skip
    db_path = archive_with_captures(tmp_path, {
        url: numbered_page(name) for name, url in pages.items()})  # fmt: skip
    conn = sqlite3.connect(db_path)
    good = dict(conn.execute("SELECT url, text FROM articles"))
    # an older extractor's doubts (a: unsure, b: a doubtful flag, c: fairly sure, d: sure)
    # and its damaged texts, which only a re-extraction repairs
    for name, flags, confidence in [("a", [], 0.2), ("b", ["recovered_text"], 0.9),
                                     ("c", [], 0.7), ("d", ["related_by_heading"], 0.95)]:
        conn.execute("UPDATE articles SET text = 'Tin tức khác ...', content_hash = 'old', "
                     "extraction_flags = ?, extraction_confidence = ? WHERE url = ?",
                     [json.dumps(flags), confidence, pages[name]])  # fmt: skip
    conn.commit()
    conn.close()

    args = ["reextract", "--db", str(db_path), "--flagged"] + (["--below", below] if below else [])
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert lines[0] == f"{len(redone)} doubtful articles"
    assert lines[1] == (f"{len(redone)} pages read again: {len(redone)} stored articles "
                        f"({len(redone)} changed, 0 unchanged, 0 kept, 0 failed)")
    conn = sqlite3.connect(db_path)
    now = dict(conn.execute("SELECT url, text FROM articles"))
    conn.close()
    assert {name for name, url in pages.items() if now[url] == good[url]} == redone
    assert all(now[pages[name]] == "Tin tức khác ..." for name in set(pages) - redone)
    for name in redone:  # the re-extraction's own assessment replaced the old doubts
        result = extract_article(numbered_page(name), pages[name])
        assert quality_of(db_path, pages[name]) == stored_quality(result)
    db = open_archive(db_path)
    still = count_doubtful(db, float(below or DOUBTFUL_BELOW))
    db.close()
    assert lines[2] == f"{still} still doubtful"


def test_reextract_below_must_be_a_fraction(tmp_path):
    db_path = archive_with_captures(tmp_path, {})
    run = CliRunner().invoke(main, ["reextract", "--db", str(db_path), "--flagged",
                                    "--below", "2"])  # fmt: skip
    assert run.exit_code == 2 and "--below" in run.output
