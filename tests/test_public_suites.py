"""bench/public_suites.py turns a package's sdist into a benchmark folder (offline: a tiny
sdist written here stands for the one pip downloads)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import public_suites  # noqa: E402

from pipelines.extractor.evaluate import evaluate_benchmark  # noqa: E402

STORY = ("The council approved the new harbour plan on Tuesday after a long debate about the "
         "cost of dredging and the future of the fishing fleet that uses the old quay.")


def sdist(path: Path, version: str) -> bytes:
    """A source distribution laid out as newspaper4k's: html/, txt/, metadata/ under tests/data."""
    root = f"newspaper4k-{version}/tests/data"
    files = {
        f"{root}/html/harbour.html": (f"<html><head><title>Harbour plan</title></head><body>"
                                      f"<h1>Harbour plan</h1><p>{STORY}</p>"
                                      "<div class='share'>Share this</div></body></html>").encode(),
        f"{root}/txt/harbour.txt": STORY.encode(),
        f"{root}/metadata/harbour.json": json.dumps({"url": "https://news.example/harbour"}).encode(),
        f"{root}/txt/no_page.txt": b"expected text of a page the sdist does not ship",
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_suite_becomes_a_benchmark_folder_with_its_provenance(tmp_path):
    data = sdist(tmp_path / "newspaper4k-9.9.tar.gz", "9.9")
    spec = {"version": "9.9", "sha256": hashlib.sha256(data).hexdigest(), "licence": "MIT",
            "data": "tests/data"}
    out = tmp_path / "suites" / "newspaper4k"
    assert public_suites.build("newspaper4k", spec, tmp_path / "newspaper4k-9.9.tar.gz", out) == 1
    truth = json.loads((out / "ground-truth.json").read_text())
    assert truth == {"harbour": {"articleBody": STORY, "url": "https://news.example/harbour"}}
    html = gzip.decompress((out / "html" / "harbour.html.gz").read_bytes())
    provenance = json.loads((out / "PROVENANCE.json").read_text())
    assert provenance["sdist_sha256"] == spec["sha256"] and provenance["licence"] == "MIT"
    assert provenance["pages"][0]["sha256"] == hashlib.sha256(html).hexdigest()
    report = evaluate_benchmark(out)  # as make eval reads it
    assert report["name"] == "newspaper4k" and report["project"]["f1"] > 0.9


def test_a_download_that_is_not_the_pinned_sdist_is_refused(tmp_path, monkeypatch):
    def fake_pip(command, **kwargs):
        sdist(Path(command[command.index("--dest") + 1]) / "newspaper4k-9.9.tar.gz", "9.9")
        return public_suites.subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(public_suites.subprocess, "run", fake_pip)
    spec = {"version": "9.9", "sha256": "0" * 64, "licence": "MIT", "data": "tests/data"}
    with pytest.raises(public_suites.SuiteError, match="not the pinned"):
        public_suites.download("newspaper4k", spec, tmp_path)


def test_no_package_index_is_one_error_line(tmp_path, monkeypatch, capsys):
    def no_index(command, **kwargs):
        return public_suites.subprocess.CompletedProcess(
            command, 1, "", "ERROR: No matching distribution found for newspaper4k==0.9.6\n")

    monkeypatch.setattr(public_suites.subprocess, "run", no_index)
    assert public_suites.main(["--out", str(tmp_path)]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and error.startswith("Error: suite newspaper4k: cannot")
    assert "EVAL_SUITES=" in error


def git_repo(path: Path, files: dict[str, bytes]) -> Path:
    """A git repository at ``path`` holding ``files`` in one commit."""
    import subprocess
    for name, data in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "pages"]):
        subprocess.run(["git", "-C", str(path), *command], check=True)
    return path


def test_a_suite_kept_in_git_becomes_a_benchmark_folder(tmp_path):
    import snapshot_suites
    page = (f"<html><head><title>Harbour plan</title></head><body><h1>Harbour plan</h1>"
            f"<p>{STORY}</p></body></html>").encode()
    # CleanEval's layout: the page wrapped in <text id="URL">, gold text with its URL line,
    # paragraph markers and entities
    clean = git_repo(tmp_path / "cpe", {
        "input/news_01.html": b'<text id="https://news.example/harbour">\n' + page + b"\n</text>\n",
        "GoldStandard/news_01.txt": ("URL: https://news.example/harbour\n<h>Harbour plan\n"
                                     f"<p>{STORY.replace('the', '&#116;he', 1)}\n").encode()})
    out = tmp_path / "suites" / "cleanportaleval"
    assert snapshot_suites.build("cleanportaleval", clean, out) == 1
    truth = json.loads((out / "ground-truth.json").read_text())
    assert truth["news_01"]["url"] == "https://news.example/harbour"
    assert truth["news_01"]["articleBody"].split() == ["Harbour", "plan", *STORY.split()]
    assert gzip.decompress((out / "html" / "news_01.html.gz").read_bytes()).strip() == page
    # CleanEval's own wrapper names the title and encoding too: taken off all the same
    cleaneval = git_repo(tmp_path / "ce", {
        "cleaneval-dev/input/8.html": b'<text id="https://blog.example/" title="A blog" '
                                      b'encoding="iso-8859-1">\n' + page + b"\n</text>\n",
        "cleaneval-dev/GoldStandard/8.txt": f"URL: https://blog.example/\n<p>{STORY}\n".encode()})
    out = tmp_path / "suites" / "cleaneval"
    assert snapshot_suites.build("cleaneval", cleaneval, out) == 1
    assert json.loads((out / "ground-truth.json").read_text())["dev-8"]["url"] == \
        "https://blog.example/"
    assert gzip.decompress((out / "html" / "dev-8.html.gz").read_bytes()).strip() == page
    # goose3's layout: a JSON of expected values beside each page; a page without one is left
    goose = git_repo(tmp_path / "goose3", {
        "tests/data/content/test_harbour.html": page,
        "tests/data/content/test_harbour.json": json.dumps({
            "url": "https://news.example/harbour",
            "expected": {"cleaned_text": STORY[:40], "title": "Harbour plan"}}).encode(),
        "tests/data/content/test_alone.html": page})
    out = tmp_path / "suites" / "goose3"
    assert snapshot_suites.build("goose3", goose, out) == 1
    assert json.loads((out / "ground-truth.json").read_text())["content-harbour"] == {
        "articleBody": STORY[:40], "url": "https://news.example/harbour", "title": "Harbour plan",
        "published": None, "group": "content"}
    assert json.loads((out / "PROVENANCE.json").read_text())["licence"] == "Apache-2.0"


def test_cleaneval_and_dragnet_from_the_merged_copy_become_benchmark_folders(tmp_path):
    import snapshot_suites
    page = (f"<html><head><title>Harbour plan</title></head><body><h1>Harbour plan</h1>"
            f"<p>{STORY}</p></body></html>").encode()
    merged = git_repo(tmp_path / "merged", {
        "cleaneval-dev/input/7.html": b'<text id="https://blog.example/7">\n' + page + b"</text>",
        "cleaneval-dev/GoldStandard/7.txt": f"URL: https://blog.example/7\n<p>{STORY}\n".encode(),
        "cleaneval-final/input/9.html": page,  # a page of the final set without a gold text
        "dragnet_data/input/R5.html": page,
        # dragnet's gold: the story, then the readers' comments after a line of symbols (its
        # symbols mistyped on some pages), in cp1252 (a curly apostrophe)
        "dragnet_data/GoldStandard/R5.txt": (
            f"Harbour plan\n{STORY} It\u2019s done.\n!@ $%^&*()  COMMENTS\nGreat post!\n"
        ).encode("cp1252"),
        "dragnet_data/GoldStandard/.DS_Store": b"\0"})
    out = tmp_path / "suites"
    assert snapshot_suites.build("cleaneval", merged, out / "cleaneval") == 1
    truth = json.loads((out / "cleaneval" / "ground-truth.json").read_text())
    assert truth["dev-7"]["articleBody"].split() == STORY.split()
    assert snapshot_suites.build("dragnet", merged, out / "dragnet") == 1
    body = json.loads((out / "dragnet" / "ground-truth.json").read_text())["R5"]["articleBody"]
    assert body.endswith("It\u2019s done.") and "Great post" not in body
