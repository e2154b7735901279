"""Labelled pairs for the syndicated-story clustering (tests/test_clusters.py, bench/).

Each story of the sample portal (tintuc/sample_portal/content.txt) is copied the way sites
re-publish one another's stories, with a seeded random mix of the edits seen in practice: a new
headline, an added lead paragraph, paragraphs cut (never more than half the text), words
changed here and there (about one word in 30), a different byline, the province's name written
without diacritics. Pairs of copies of one story are labelled same; pairs from different
stories are labelled different (stories of one portal, on the same themes: the hard case).
"""

from __future__ import annotations

import itertools
import random

from tintuc.sample_portal.build import CONTENT, parse_content

BYLINES = ("Theo Báo Quảng Ninh", "PV", "Nguồn: Cổng TTĐT tỉnh", "Thu Hà - Minh Đức",
           "Theo Trung tâm Truyền thông tỉnh")  # fmt: skip
LEADS = (
    "(Baoquangninh.vn) - Sáng nay, thông tin từ cơ quan chức năng của tỉnh cho biết như sau.",
    "Chiều qua, đại diện sở, ngành liên quan đã có buổi làm việc và thông tin cụ thể.",
    "Đây là một trong những nội dung được dư luận quan tâm trong thời gian gần đây.",
)
FILLER_WORDS = ("đã", "cũng", "đồng thời", "nhiều", "các", "tiếp tục", "bước đầu", "đang")


def story_texts() -> list[list[str]]:
    """Each sample-portal story as its paragraphs, the lead first (as the extractor stores)."""
    return [[a["lead"], *a["paras"]] for a in parse_content(CONTENT.read_text(encoding="utf-8"))]


def edited_copy(paragraphs: list[str], rng: random.Random) -> str:
    """One re-published copy of a story: a random mix of the edits sites make."""
    paras = list(paragraphs)
    if rng.random() < 0.5 and len(paras) > 2:  # cut paragraphs, at most half the text
        for _ in range(rng.randint(1, max(1, len(paras) // 2 - 1))):
            del paras[rng.randrange(1, len(paras))]
    if rng.random() < 0.4:  # an added lead
        paras.insert(0, rng.choice(LEADS))
    if rng.random() < 0.7:  # words changed here and there
        edited = []
        for p in paras:
            words = p.split()
            for i in range(len(words)):
                if rng.random() < 1 / 30:
                    words[i] = rng.choice(FILLER_WORDS)
            edited.append(" ".join(words))
        paras = edited
    if rng.random() < 0.3:
        paras = [p.replace("Quảng Ninh", "Quang Ninh") for p in paras]
    if rng.random() < 0.6:  # a different byline
        paras.append(rng.choice(BYLINES))
    return "\n".join(paras)


def labelled_corpus(copies: int = 4, seed: int = 17) -> tuple[list[tuple[int, str]], list]:
    """(story, text) of every article (each original and ``copies`` edited copies), and the
    labelled pairs (i, j, same) over their indexes: every pair within a story, and as many
    pairs across stories, drawn at random."""
    rng = random.Random(seed)
    corpus = []
    for story, paras in enumerate(story_texts()):
        corpus.append((story, "\n".join(paras)))
        corpus.extend((story, edited_copy(paras, rng)) for _ in range(copies))
    pairs = [(i, j, True) for i, j in itertools.combinations(range(len(corpus)), 2)
             if corpus[i][0] == corpus[j][0]]  # fmt: skip
    different = [(i, j) for i, j in itertools.combinations(range(len(corpus)), 2)
                 if corpus[i][0] != corpus[j][0]]  # fmt: skip
    pairs += [(i, j, False) for i, j in rng.sample(different, len(pairs))]
    return corpus, pairs
