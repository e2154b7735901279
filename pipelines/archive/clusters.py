"""Syndicated stories: near-duplicate articles grouped into clusters, kept as articles arrive.

The same story travels from a department's site to the province portal to the provincial paper,
lightly edited on the way (a new headline, an added lead, paragraphs cut, a different byline).
Each article's *folded* body text (:func:`pipelines.text.fold`, so "Đà Nẵng" and "Da Nang"
match) is cut into overlapping word 3-grams and summarised by a MinHash signature (in
datasketch's scheme);
two articles' signatures agree in about the share of positions that their 3-gram sets overlap
(Jaccard similarity).

Locality-sensitive hashing keeps joining cheap: the signature is cut into ``BANDS`` bands of
``ROWS`` values, each band hashed to a key stored in ``story_bands`` (primary key band, key).
Articles sharing a band key are candidates; a new article looks up its few keys (indexed
lookups, whatever the archive's size), compares its signature with the candidates' ones
(``story_minhash``), and joins the story (cluster) of the closest one at or above the
threshold (``story_params``) whose first article it also resembles; stories never merge.
``story_clusters`` lists only articles that have at least one copy.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import sqlite_utils

from pipelines.text import fold

NUM_PERM = 128  # MinHash size: the similarity estimate's error is about 0.5/sqrt(128) = 0.04
BANDS, ROWS = 32, 4  # LSH layout: BANDS * ROWS = NUM_PERM
# Estimated Jaccard similarity of word 3-grams from which two articles are one story; measured
# on tests/test_clusters.py's labelled pairs (copies edited as sites do score 0.45-0.95,
# different stories of one portal below 0.05).
DEFAULT_THRESHOLD = 0.3
SHINGLE_WORDS = 3
MIN_WORDS = 30  # shorter texts (a photo caption, a failed extraction) join no cluster
BUCKET_LIMIT = 20  # candidates taken from one band's bucket (see cluster_article)
SEED = 1  # fixed: signatures stored today must compare with those computed tomorrow

_WORD = re.compile(r"\w+")


def shingles(text: str | None) -> set[bytes]:
    """The word 3-grams of the folded ``text``; empty when it has fewer than MIN_WORDS words."""
    words = _WORD.findall(fold(text))
    if len(words) < MIN_WORDS:
        return set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str | None) -> np.ndarray | None:
    """The MinHash signature (NUM_PERM uint32 values) of ``text``, or None if it is too short.

    datasketch's MinHash, "affine32" scheme, written out in numpy: each 3-gram's crc32 (a stable
    32-bit hash, several times faster than datasketch's sha1), mixed by MurmurHash3's finaliser,
    through NUM_PERM affine maps ``a * h + b`` (mod 2**32); the minimum of each. datasketch
    itself is not imported: it pulls in scipy, 60 MB of memory in every process that stores
    articles, for these few lines. tests/test_clusters.py checks the values against it.
    """
    grams = shingles(text)
    if not grams:
        return None
    hv = np.fromiter(map(zlib.crc32, grams), dtype=np.uint32, count=len(grams)).reshape(-1, 1)
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    a, b = _permutations()
    return (hv * a + b).min(axis=0)


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The NUM_PERM affine maps ``(a, b)`` of SEED, drawn as datasketch draws them (odd ``a``)."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def similarity(a: np.ndarray | bytes, b: np.ndarray | bytes) -> float:
    """Estimated Jaccard similarity of two signatures (arrays or stored blobs)."""
    a, b = _as_array(a), _as_array(b)
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _as_array(sig: np.ndarray | bytes) -> np.ndarray:
    return sig if isinstance(sig, np.ndarray) else np.frombuffer(sig, dtype=np.uint32)


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, key) of each LSH band: a 32-bit hash of the band's values (a collision only adds
    a candidate, which the signature comparison then rejects)."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(sig[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=4)
        keys.append((band, int.from_bytes(digest.digest(), "little", signed=True)))
    return keys


def threshold(db: sqlite_utils.Database) -> float:
    """The archive's clustering threshold (``tintuc clusters rebuild --threshold`` sets it)."""
    row = db.execute("SELECT value FROM story_params WHERE name = 'threshold'").fetchone()
    return float(row[0]) if row else DEFAULT_THRESHOLD


def cluster_article(
    db: sqlite_utils.Database, article_id: int, text: str | None, limit: float | None = None,
    sig: np.ndarray | None = None,
) -> int | None:  # fmt: skip
    """Add (or, for a changed text, move) one article: store its signature and band keys and
    join the clusters of its copies. Call inside the write transaction. Returns its cluster id,
    or None when it has no copy. ``sig``: :func:`signature` of ``text`` when the caller has it
    already (``tintuc worker`` computes it, so that the one writer need not)."""
    unclaim_article(db, article_id)
    sig = signature(text) if sig is None else sig
    if sig is None:
        return None
    limit = threshold(db) if limit is None else limit
    keys = band_keys(sig)
    # the newest BUCKET_LIMIT articles of each band's bucket: a bucket holding more is one
    # story copied many times (or boilerplate), whose newest copies stand for it; without the
    # limit, a thousand identical texts cost a thousand comparisons each
    buckets = " UNION ".join(
        "SELECT * FROM (SELECT article_id FROM story_bands WHERE band = ? AND key = ? "
        "ORDER BY article_id DESC LIMIT ?)"
        for _ in keys
    )
    candidates = db.execute(
        f"SELECT article_id, signature FROM story_minhash WHERE article_id IN ({buckets})",
        [v for band, key in keys for v in (band, key, BUCKET_LIMIT)],
    ).fetchall()
    db.execute("INSERT INTO story_minhash (article_id, signature) VALUES (?, ?)",
               [article_id, sig.tobytes()])  # fmt: skip
    db.conn.executemany(
        "INSERT OR IGNORE INTO story_bands (band, key, article_id) VALUES (?, ?, ?)",
        [(band, key, article_id) for band, key in keys],
    )
    copies = {other: s for other, blob in candidates if (s := similarity(sig, blob)) >= limit}
    if not copies:
        return None
    return _join(db, article_id, copies, sig, limit)


def _join(db: sqlite_utils.Database, article_id: int, copies: dict[int, float],
          sig: np.ndarray, limit: float) -> int | None:  # fmt: skip
    """Put ``article_id`` in one story with its ``copies`` ({id: similarity}); return the
    story's cluster id (its first article's id), or None.

    A story is its first article and the articles at least ``limit`` similar to that one: a
    new article joins the story of its closest copy whose first article it resembles, or
    starts one with its closest copy that is in no story yet. Two stories are never merged,
    so a chain of copies (A like B, B like C) cannot join A's story with an unlike C."""
    marks = ", ".join("?" for _ in copies)
    found = dict(db.execute(
        f"SELECT article_id, cluster_id FROM story_clusters WHERE article_id IN ({marks})",
        list(copies),
    ).fetchall())  # fmt: skip
    firsts = {c: copies[c] if c in copies else _similarity_to(db, sig, c)
              for c in set(found.values())}  # fmt: skip
    for other, s in sorted(copies.items(), key=lambda item: -item[1]):
        cluster_id = found.get(other)
        if cluster_id is None:
            rows = [(min(other, article_id), other, s), (min(other, article_id), article_id, s)]
        elif firsts[cluster_id] >= limit:
            rows = [(cluster_id, article_id, firsts[cluster_id])]
        else:
            continue
        db.conn.executemany(
            "INSERT INTO story_clusters (cluster_id, article_id, similarity) VALUES (?, ?, ?)",
            [(c, a, round(x, 3)) for c, a, x in rows],
        )
        return rows[0][0]
    return None


def _similarity_to(db: sqlite_utils.Database, sig: np.ndarray, article_id: int) -> float:
    row = db.execute(
        "SELECT signature FROM story_minhash WHERE article_id = ?", [article_id]
    ).fetchone()
    return similarity(sig, row[0]) if row else 0.0


def unclaim_article(db: sqlite_utils.Database, article_id: int) -> None:
    """Take an article out of the LSH tables and its cluster (its text changed or is gone);
    a cluster left with one member is dissolved."""
    row = db.execute(
        "SELECT signature FROM story_minhash WHERE article_id = ?", [article_id]
    ).fetchone()
    if row is None:
        return
    db.conn.executemany(
        "DELETE FROM story_bands WHERE band = ? AND key = ? AND article_id = ?",
        [(band, key, article_id) for band, key in band_keys(_as_array(row[0]))],
    )
    db.execute("DELETE FROM story_minhash WHERE article_id = ?", [article_id])
    cluster = db.execute(
        "SELECT cluster_id FROM story_clusters WHERE article_id = ?", [article_id]
    ).fetchone()
    if cluster is None:
        return
    db.execute("DELETE FROM story_clusters WHERE article_id = ?", [article_id])
    left = db.execute(
        "SELECT count(*) FROM story_clusters WHERE cluster_id = ?", [cluster[0]]
    ).fetchone()[0]
    if left < 2:
        db.execute("DELETE FROM story_clusters WHERE cluster_id = ?", [cluster[0]])


def rebuild_clusters(
    db: sqlite_utils.Database, limit: float | None = None, batch: int = 1000
) -> dict[str, Any]:
    """Recompute every signature and cluster (after a change of threshold or of :func:`fold`),
    in article id order; returns {"articles", "clusters", "clustered", "threshold"}."""
    limit = threshold(db) if limit is None else limit
    with db.atomic():
        for table in ("story_clusters", "story_bands", "story_minhash"):
            db.execute(f"DELETE FROM {table}")
        db.execute(
            "INSERT OR REPLACE INTO story_params (name, value) VALUES ('threshold', ?)", [limit]
        )
    last, count = 0, 0
    while True:
        rows = db.execute(
            "SELECT id, text FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, batch]
        ).fetchall()
        if not rows:
            break
        with db.atomic():
            for article_id, text in rows:
                cluster_article(db, article_id, text, limit)
        last, count = rows[-1][0], count + len(rows)
    clusters, clustered = db.execute(
        "SELECT count(DISTINCT cluster_id), count(*) FROM story_clusters"
    ).fetchone()
    return {"articles": count, "clusters": clusters, "clustered": clustered, "threshold": limit}


def copies_of(db: sqlite_utils.Database, article_id: int) -> Iterable[dict[str, Any]]:
    """The other articles of ``article_id``'s cluster, with their similarity to it."""
    rows = db.execute(
        """SELECT a.id, a.site, a.published, a.title, m.signature,
                  (SELECT signature FROM story_minhash WHERE article_id = ?) AS own
           FROM story_clusters c JOIN story_clusters o ON o.cluster_id = c.cluster_id
           JOIN articles a ON a.id = o.article_id
           JOIN story_minhash m ON m.article_id = a.id
           WHERE c.article_id = ? AND o.article_id != ?
           ORDER BY a.published, a.id""",
        [article_id, article_id, article_id],
    ).fetchall()
    return [
        {"id": i, "site": site, "published": published, "title": title,
         "similarity": round(similarity(sig, own), 3)}
        for i, site, published, title, sig, own in rows
    ]  # fmt: skip
