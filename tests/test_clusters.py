"""Syndicated stories: MinHash + LSH clusters kept as articles are stored."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from click.testing import CliRunner
from syndication_pairs import labelled_corpus

from pipelines.archive.clusters import DEFAULT_THRESHOLD, rebuild_clusters
from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles
from tintuc.cli import main


@pytest.fixture
def archive(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    yield db
    db.close()


def store_corpus(db, corpus):
    """Save every text of the labelled corpus as an article of its own site; return their ids."""
    articles = [
        {"url": f"https://site{n % 3}.example/bai-{n}.html", "site": f"site{n % 3}",
         "title": f"Bài {n}", "text": text, "published": f"2025-12-{1 + n % 28:02d}T08:00:00"}
        for n, (_, text) in enumerate(corpus)
    ]  # fmt: skip
    save_articles(db, articles)
    return [db.execute("SELECT id FROM articles WHERE url = ?", [a["url"]]).fetchone()[0]
            for a in articles]  # fmt: skip


def precision_recall(db, ids, pairs):
    cluster = dict(db.execute("SELECT article_id, cluster_id FROM story_clusters").fetchall())
    tp = fp = fn = 0
    for i, j, same in pairs:
        together = cluster.get(ids[i]) is not None and cluster.get(ids[i]) == cluster.get(ids[j])
        tp += together and same
        fp += together and not same
        fn += same and not together
    return tp / (tp + fp), tp / (tp + fn)


def test_clusters_labelled_pairs_precision_and_recall(archive):
    corpus, pairs = labelled_corpus()
    assert len(pairs) >= 200 and sum(same for *_, same in pairs) >= 100
    ids = store_corpus(archive, corpus)  # clustered as they are stored, one by one
    precision, recall = precision_recall(archive, ids, pairs)
    print(f"incremental: precision {precision:.3f} recall {recall:.3f} over {len(pairs)} pairs")
    assert precision >= 0.95 and recall >= 0.95
    incremental = archive.execute("SELECT * FROM story_clusters ORDER BY article_id").fetchall()
    result = rebuild_clusters(archive)
    assert result["articles"] == len(corpus) and result["threshold"] == DEFAULT_THRESHOLD
    # joining one by one as stored and recomputing everything give the same clusters
    assert (
        archive.execute("SELECT * FROM story_clusters ORDER BY article_id").fetchall()
        == incremental
    )


def test_a_chain_of_copies_does_not_join_two_unlike_articles(archive):
    """A is copied as B (a fifth cut, more added), B as C (again): C is like B, not like A."""
    words = [f"từ{n}" for n in range(200)]
    texts = {"a": words[0:100], "b": words[20:120], "c": words[60:160]}
    save_articles(archive, [{"url": f"https://{k}.vn/1", "site": k, "text": " ".join(v)}
                            for k, v in texts.items()])  # fmt: skip
    cluster = dict(archive.execute(
        "SELECT a.site, c.cluster_id FROM story_clusters c JOIN articles a ON a.id = c.article_id"
    ).fetchall())  # fmt: skip
    assert cluster.get("a") is not None and cluster.get("a") == cluster.get("b")
    assert cluster.get("c") != cluster["a"]


def test_changed_text_leaves_its_cluster(archive):
    corpus, _ = labelled_corpus(copies=1)
    original, copy = corpus[0][1], corpus[1][1]
    save_articles(archive, [{"url": "https://a.vn/1", "site": "a", "text": original},
                            {"url": "https://b.vn/1", "site": "b", "text": copy}])  # fmt: skip
    assert archive.execute("SELECT count(*) FROM story_clusters").fetchone()[0] == 2
    save_articles(archive, [{"url": "https://b.vn/1", "site": "b", "text": corpus[2][1]}])
    assert archive.execute("SELECT count(*) FROM story_clusters").fetchone()[0] == 0
    # short texts (captions, failed extractions) join nothing, even when identical
    save_articles(archive, [{"url": f"https://c.vn/{n}", "site": "c", "text": "Ảnh: Thu Hà"}
                            for n in range(3)])  # fmt: skip
    assert archive.execute("SELECT count(*) FROM story_clusters").fetchone()[0] == 0


def test_clusters_rebuild_command_with_threshold(tmp_path):
    path = tmp_path / "archive.db"
    db = open_archive(path)
    corpus, _ = labelled_corpus(copies=2)
    store_corpus(db, corpus[:9])
    db.close()

    def rebuild(*options):
        result = CliRunner().invoke(main, ["clusters", "rebuild", "--db", str(path), *options])
        assert result.exit_code == 0, result.output
        return result.output

    # only copies left unedited by the random edits stay together at 0.99
    strict = rebuild("--threshold", "0.99")
    assert strict.startswith("9 articles, ") and "9 articles with a copy" not in strict
    assert rebuild() == strict  # the archive keeps its threshold
    assert rebuild("--threshold", str(DEFAULT_THRESHOLD)).startswith(
        "9 articles, 3 stories (9 articles with a copy), threshold 0.3"
    )


def test_signature_is_datasketchs_minhash():
    """The signature, written out in numpy, has datasketch's values (affine32 scheme, seed
    SEED, crc32 hashes): signatures stored by earlier versions compare with new ones."""
    from datasketch import MinHash

    from pipelines.archive.clusters import NUM_PERM, SEED, shingles, signature

    texts = [text for _, text in labelled_corpus()[0]][:40]
    texts.append("Đà Nẵng " * 50)  # a repeated 3-gram
    assert len(texts) > 10
    for text in texts:
        expected = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
        expected.update_batch(list(shingles(text)))
        assert expected.scheme == "affine32"
        assert np.array_equal(signature(text), expected.hashvalues.astype(np.uint32))
