"""Notices that are only a document: a PDF, DOC … linked straight from a listing ("Thông báo
số 125/TB-UBND về việc … [PDF]", a "Văn bản chỉ đạo điều hành" table), with no HTML page of
their own. The listing's link is fetched, captured and stored as an article: the anchor (or
the row's title beside a "Tải về" link) as its title, the row's date, the PDF's text layer,
the document as its attachment, flags saying what it is and what could not be read.

The documents are written here (tests/sites/build.py ``text_pdf_bytes``): no file from
elsewhere.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
import zipfile
from urllib.parse import urlsplit

import docx
import pytest
from conftest import ROOT, run_tintuc
from sites import LocalSite, build_site
from sites.build import DOC_MAGIC, docx_bytes, normal_target, text_pdf_bytes

from crawler.spiders.news import listed_documents
from pipelines.extract_pipeline import extract_page
from pipelines.extractor.article import extract_article
from pipelines.extractor.document import extract_document
from pipelines.text import fold

URL = "http://so-noi-vu.test/uploads/van-ban/125-tb-ubnd.pdf"
SUBJECT = "Thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh về công tác phòng, chống rét"
BODY = "Các địa phương chủ động che chắn chuồng trại, dự trữ thức ăn cho vật nuôi."
PDF = text_pdf_bytes(["125/TB-UBND", BODY])
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def start_tintuc(*args: str, cwd) -> subprocess.Popen:
    """``tintuc`` in the background, run from another folder: this checkout's code (not
    another one the environment may have installed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tintuc", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def listed(anchor: str, *row: str) -> dict:
    return {"document": {"anchor": anchor, "row": list(row)}}


# --------------------------------------------------------------------------- extraction


def test_a_pdf_notice_is_an_article_with_the_anchor_the_row_date_and_the_text_layer():
    decomposed = unicodedata.normalize("NFD", SUBJECT)  # a legacy page's combining marks
    result = extract_document(PDF, URL, listed(decomposed, "125/TB-UBND", decomposed,
                                               "22/12/2025"))  # fmt: skip
    assert result["title"] == SUBJECT  # NFC
    assert result["published"] == "2025-12-22"
    assert BODY in result["text"].split("\n") and "125/TB-UBND" in result["text"]
    assert result["attachments"] == [{"url": URL, "text": SUBJECT}]
    assert result["flags"] == ["document_only"]
    assert result["page_kind"] == "article" and result["confidence"] == 0.85


def test_a_download_link_beside_the_title_cell_takes_the_rows_title_and_not_its_dates():
    title = "Thông báo tạm dừng cấp nước khu vực phường Hồng Gai ngày 20/12/2025"
    for anchor in ("Tải về", "", "[PDF]", "Download"):
        result = extract_document(PDF, URL, listed(anchor, "121/TB-UBND", title, "14/12/2025",
                                                   anchor))  # fmt: skip
        assert result["title"] == title
        assert result["published"] == "2025-12-14"  # the row's date, not the subject's


def test_a_file_type_mark_after_the_title_is_no_part_of_it_and_no_date_is_flagged():
    result = extract_document(PDF, URL, listed(f"{SUBJECT} [PDF]", f"{SUBJECT} [PDF]"))
    assert result["title"] == SUBJECT
    assert result["published"] is None and "no_date" in result["flags"]


def test_a_word_file_and_a_damaged_pdf_keep_their_title_and_say_why_they_have_no_text():
    doc = extract_document(DOC_MAGIC + bytes(200), URL.replace(".pdf", ".doc"),
                           listed(SUBJECT, SUBJECT, "16/12/2025"))  # fmt: skip
    assert (doc["title"], doc["text"]) == (SUBJECT, "")
    assert doc["flags"] == ["document_no_text", "document_only"]
    assert doc["confidence"] is None
    broken = extract_document(PDF[: len(PDF) // 3], URL, listed(SUBJECT, SUBJECT, "16/12/2025"))
    assert (broken["title"], broken["text"], broken["published"]) == (SUBJECT, "", "2025-12-16")
    assert broken["flags"] == ["document_only", "document_unreadable"]
    assert "unreadable PDF" in broken["page_reason"]


def test_a_word_file_gives_its_paragraphs_and_table_rows_in_order_and_other_zips_no_text():
    table = docx.Document()
    table.add_paragraph("116/TB-UBND")
    grid = table.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Ngày", (0, 1): "Cán bộ trực", (1, 0): "29/01/2026",
                         (1, 1): "Nguyễn Văn An"}.items():  # fmt: skip
        grid.cell(r, c).text = text
    table.add_paragraph(BODY)
    out = io.BytesIO()
    table.save(out)
    result = extract_document(out.getvalue(), "http://so.test/Download.aspx?id=116",
                              listed(SUBJECT, SUBJECT, "22/12/2025"))  # fmt: skip
    assert result["text"].split("\n") == ["116/TB-UBND", "Ngày | Cán bộ trực",
                                           "29/01/2026 | Nguyễn Văn An", BODY]  # fmt: skip
    assert result["flags"] == ["document_only"] and "Word document" in result["page_reason"]
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    result = extract_document(sheet.getvalue(), "http://so.test/a.xlsx", listed(SUBJECT))
    assert result["text"] == "" and "document_no_text" in result["flags"]
    broken = extract_document(docx_bytes(BODY)[:300], "http://so.test/a.docx", listed(SUBJECT))
    assert broken["flags"] == ["document_only", "document_unreadable", "no_date"]


def test_the_crawls_extraction_step_reads_a_document_by_its_hint():
    result, _ = extract_page(PDF, None, URL, None, listed(SUBJECT, SUBJECT, "22/12/2025"))
    assert result["title"] == SUBJECT and BODY in result["text"]
    # without the hint the bytes are read as a page, as before
    result, _ = extract_page(PDF, None, URL, None, {})
    assert "document_only" not in (result.get("flags") or [])


# --------------------------------------------------------------------------- the listing


LISTING = f"""<html><body><h1>Văn bản chỉ đạo điều hành</h1><table>
<tr><td>125/TB-UBND</td><td><a href="/uploads/125.pdf">{SUBJECT}</a></td><td>22/12/2025</td>
<td><a href="/uploads/125.pdf"><img src="/i/pdf.gif"></a></td></tr>
<tr><td>124/TB-UBND</td><td>Thông báo lịch tiếp công dân định kỳ tháng 12 của lãnh đạo tỉnh</td>
<td>20/12/2025</td><td><a href="/uploads/124.docx">Tải về</a></td></tr></table>
<ul><li><a href="https://other.test/uploads/9.pdf">Thông báo của một cơ quan khác về việc phối
hợp</a> <span>(01/12/2025)</span></li></ul>
<div class="item"><a href="/uploads/126.pdf">Kế hoạch kiểm tra an toàn thực phẩm dịp Tết
Nguyên đán</a> <i>(12/12/2025)</i></div>
<p>Tệp đính kèm: <a href="/uploads/tb-127.pdf">tb-127.pdf</a></p>
<p><a href="/uploads/huong-dan.pdf">Hướng dẫn</a> | <a href="/tin/bai-viet.html">{SUBJECT}</a></p>
</body></html>"""


def test_a_listing_links_documents_behind_titles_and_in_rows_not_attachments_by_file_name():
    found = {d["url"]: d for d in listed_documents(LISTING.encode(), "http://so.test/van-ban")}
    assert set(found) == {"http://so.test/uploads/125.pdf", "http://so.test/uploads/124.docx",
                          "https://other.test/uploads/9.pdf", "http://so.test/uploads/126.pdf"}
    first = found["http://so.test/uploads/125.pdf"]
    assert first["anchor"] == SUBJECT  # the title's anchor, not the icon's
    assert first["row"] == ["125/TB-UBND", SUBJECT, "22/12/2025"]
    row = found["http://so.test/uploads/124.docx"]
    assert row["anchor"] == "Tải về" and "20/12/2025" in row["row"]
    assert "(12/12/2025)" in found["http://so.test/uploads/126.pdf"]["row"]
    assert listed_documents(b"<html><a href='/tin/a.html'>" + SUBJECT.encode() + b"</a>",
                            "http://so.test/") == []  # fmt: skip


def test_a_download_handler_or_a_file_named_in_the_query_is_a_listed_document():
    listing = f"""<html><body><h1>Thông báo</h1><table>
<tr><td><a href="/van-ban/Download.aspx?id=12&amp;t=1">{SUBJECT}</a></td><td>22/12/2025</td></tr>
<tr><td>{SUBJECT} lần hai</td><td><a href="/tai-ve/13">Tải về</a></td></tr>
<tr><td><a href="/xem.aspx?file=/uploads/tb-14.pdf">{SUBJECT} lần ba</a></td></tr>
<tr><td><a href="/tin/tai-ve-ung-dung-cong-dan-so.html">{SUBJECT} lần bốn</a></td></tr>
</table></body></html>"""
    found = [d["url"] for d in listed_documents(listing.encode(), "http://so.test/thong-bao")]
    assert found == ["http://so.test/van-ban/Download.aspx?id=12&t=1", "http://so.test/tai-ve/13",
                     "http://so.test/xem.aspx?file=%2Fuploads%2Ftb-14.pdf"]  # fmt: skip


def test_a_short_table_of_titled_dated_documents_is_a_listing_not_a_notice():
    """The last page of a document table (two rows) was taken for a notice with two
    attachments, and stored as an article; a notice with its one attachment still is one."""
    site = build_site("documents")
    decision: dict = {}
    target = "/van-ban/chi-dao-dieu-hanh.html?page=2"
    extract_article(site.pages[normal_target(target)][0], "http://127.0.0.1:1" + target,
                    decision=decision)  # fmt: skip
    assert decision == {"kind": "listing",
                        "reason": "2 documents with their own titles and dates"}  # fmt: skip
    notice = ("<html><body><h1>Thông báo kết quả tuyển dụng viên chức năm 2025</h1>"
              "<p>Ngày đăng: 16/12/2025 08:00</p><p>Văn phòng thông báo kết quả, chi tiết xem "
              f'tệp đính kèm.</p><p><a href="/uploads/kq.pdf">{SUBJECT}</a></p>'
              '<p><a href="/uploads/ds.pdf">Danh sách kèm theo thông báo kết quả tuyển dụng '
              "viên chức</a></p></body></html>")  # fmt: skip
    decision = {}
    extract_article(notice, "http://so.test/thong-bao/kq.html", decision=decision)
    assert decision["kind"] == "article"


# --------------------------------------------------------------------------- a crawl


@pytest.mark.e2e
def test_a_crawl_stores_each_listed_document_once_and_a_recrawl_fetches_none_again(tmp_path):
    server = LocalSite("documents").start()
    db = tmp_path / "archive.db"
    try:
        run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(db), *FAST)
        first_log = len(server.log)
        run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(db), *FAST)
        second = [path for _, path in server.log[first_log:]]
    finally:
        server.stop()
    manifest = server.manifest
    conn = sqlite3.connect(db)
    rows = {normal_target(url): (title, published, text, flags, attachments)
            for url, title, published, text, flags, attachments in conn.execute(
                "SELECT url, title, published, text, extraction_flags, attachments "
                "FROM articles")}  # fmt: skip
    documents = {d["path"]: d for d in manifest["documents"]}
    for path, document in documents.items():
        if document["kind"] == "missing":
            assert path not in rows
            continue
        title, published, text, flags, attachments = rows[path]
        assert (title, published) == (document["title"], document["published"]), path
        assert urlsplit(path).path in attachments and '"document_only"' in flags
        if document["line"]:
            assert document["line"] in text.split("\n") and flags == '["document_only"]'
        else:
            assert text == "" and ("document_no_text" in flags or "document_unreadable" in flags)
    # the news articles too, and no listing
    assert set(rows) == set(documents) - {p for p, d in documents.items()
                                          if d["kind"] == "missing"} | {
        a["path"] for a in manifest["articles"]}  # fmt: skip
    # captured, judged, and the missing file is a crawl error
    captured = dict(conn.execute("SELECT url, content_type FROM captures WHERE crawl_id = 1 AND"
                                 " (url LIKE '%/uploads/%' OR url LIKE '%/Download.aspx%')"))
    assert len(captured) == len(documents)
    missing = next(p for p, d in documents.items() if d["kind"] == "missing")
    assert conn.execute("SELECT status, error FROM crawl_errors WHERE crawl_id = 1 AND url "
                        "LIKE ?", [f"%{missing}"]).fetchall() == [(404, "HTTP 404")]  # fmt: skip
    # the PDF's text is searchable
    word = fold("chuồng trại")
    hits = conn.execute("SELECT a.url FROM articles_fts JOIN articles a ON a.id = "
                        "articles_fts.rowid WHERE articles_fts MATCH ?", [f'"{word}"']).fetchall()
    assert [urlsplit(u).path for (u,) in hits] == [next(
        p for p, d in documents.items() if "chuồng trại" in (d["line"] or ""))]  # fmt: skip
    skipped = conn.execute("SELECT pages_skipped FROM crawls WHERE id = 2").fetchone()[0]
    conn.close()
    # the second crawl fetches no stored document again (the missing one is tried again)
    assert [p for p in second if "/uploads/" in p or "Download" in p] == [missing]
    assert skipped >= len(documents) - 1
    # re-extraction reads each document again, as the crawl did
    out = run_tintuc("reextract", "--db", str(db)).stdout
    assert re.search(r"stored articles \(0 changed, \d+ unchanged, 0 kept, 0 failed\)", out), out


@pytest.mark.e2e
def test_a_worker_and_the_ingester_store_the_same_document_notices(redis_url, tmp_path):
    """The distributed path: a worker's extraction pipeline reads the documents, its stream
    carries them as articles, the ingester stores them as the single crawl does."""
    server = LocalSite("documents").start()
    single, shared = tmp_path / "single.db", tmp_path / "archive.db"
    query = "SELECT url, title, published, text, extraction_flags FROM articles ORDER BY url"
    try:
        run_tintuc("crawl", "--start-url", server.base_url + "/", "--db", str(single), *FAST)
        run_tintuc("enqueue", "--start-url", server.base_url + "/", "--redis", redis_url)
        (tmp_path / "w1").mkdir()
        worker = start_tintuc("worker", "--redis", redis_url, "--until-idle", "3", "--name",
                              "w1", *FAST, cwd=tmp_path / "w1")  # fmt: skip
        ingester = start_tintuc("ingest", "--redis", redis_url, "--db", str(shared),
                                "--until-idle", "8", cwd=tmp_path)  # fmt: skip
        for process in (worker, ingester):
            output, _ = process.communicate(timeout=240)
            assert process.returncode == 0, output
    finally:
        server.stop()
    stored = sqlite3.connect(shared).execute(query).fetchall()
    assert stored == sqlite3.connect(single).execute(query).fetchall()
    served = [d for d in server.manifest["documents"] if d["kind"] != "missing"]
    assert sum('"document_only"' in flags for *_, flags in stored) == len(served)
