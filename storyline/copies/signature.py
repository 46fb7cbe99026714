"""The per-article map step of copy detection: what candidate search and confirmation need.

`signature` is pure and picklable, so it runs as a Ray map or in a process pool; the corpus step
(`detect.find_copies`) then works from signatures and re-reads texts only for candidate pairs.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

from storyline.records import Article
from storyline.language import detect_language
from storyline.text import folded_words, language_code, run_count, sentence_spans

from . import align


@dataclass(frozen=True, slots=True)
class ArticleSignature:
    """What candidate search needs from one article, small enough to hold for 100k+ articles.

    The normalised body is kept as a hash (exact duplicates) and as a MinHash of its shingles;
    anchors are stable 64-bit hashes in text order. Confirmation re-reads the article text, so
    the signature never has to carry it."""

    article_id: str
    body_key: str
    words: int
    minhash: LeanMinHash | None
    anchors: np.ndarray  # int64, in text order
    numeric: np.ndarray  # bool per anchor: a number or a date, the anchors no language inflates
    sentence_words: np.ndarray  # int32, words per sentence
    language: str | None
    published: str | None


def signature(article: Article, num_perm: int = 128) -> ArticleSignature:
    """The per-article map step: normalised body hash, shingle MinHash, anchors, sentences."""
    tokens = folded_words(article.text)
    body = " ".join(tokens)
    minhash = None
    if tokens:
        sketch = MinHash(num_perm=num_perm, hashfunc=zlib.crc32)
        sketch.update_batch([s.encode("utf-8") for s in set(align.shingles(tokens))])
        minhash = LeanMinHash(sketch)
    spans = sentence_spans(article.text)
    anchors = [a for sentence in align.sentence_anchors(article.text, spans) for a in sentence]
    return ArticleSignature(
        article_id=article.id,
        body_key=hashlib.sha1(body.encode("utf-8")).hexdigest(),
        words=len(tokens),
        minhash=minhash,
        anchors=np.array([align.stable_hash(a) for a in anchors], dtype=np.int64),
        numeric=np.array([a[0] == "#" or a[1:].isdigit() for a in anchors], dtype=bool),
        sentence_words=np.array([run_count(article.text, s, e) for s, e in spans], dtype=np.int32),
        language=_language(article),
        published=(article.published or "")[:10] or None,
    )


def _language(article: Article) -> str | None:
    """The language the article states (as a lower-case code), else the guess from its text."""
    stated = language_code(article.language)
    return stated.lower() if stated else detect_language(article.text)
