"""Copy detection: which articles copy which, how, and which one is the original.

`signature` is the per-article map step (pure, picklable: a Ray map). `find_copies` never compares
all pairs: candidates come from hash buckets only (identical normalised bodies, MinHash LSH bands
over word shingles, an index of ordered anchor pairs - names, numbers, dates - with a capped
document frequency), and each is confirmed on the texts before it becomes a link: duplicate (same
normalised body, perhaps inside a dateline), excerpt (one unbroken passage of the original),
near-duplicate (shingle Jaccard), rewrite (anchors and sentences align in order; sentence
embeddings only where words leave it open), translation (another language, or English carrying
another language's traces, whose names, numbers and dates align sentence by sentence).

Thresholds come from bench/copies.py: spun copies (20-40% of content words replaced) reach a
shingle Jaccard of at most 0.53 and lightly edited ones at least 0.61, hence 0.6; MEANTIME
translations against other articles of the same topic set the anchor thresholds.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from storyline.records import Article, Copy
from storyline.text import folded_words

from . import align
from .candidates import MIN_WORDS, anchor_pairs, lsh_pairs
from .signature import ArticleSignature, signature

FRAMING_WORDS = 20  # a duplicate may sit inside this much framing (dateline, credit line)
NEAR_DUPLICATE = 0.6  # exact Jaccard of 5-word shingles
CONTAINMENT_HINT = 0.5  # below this MinHash containment estimate no textual copy is looked for
EXCERPT_CONTAINMENT = 0.8  # share of the shorter's shingles found in the longer
EXCERPT_MAX_SHARE = 0.8  # an excerpt has at most this share of the longer's shingles
EXCERPT_BLOCK = 40  # shingles of a passage lifted verbatim into a copy with its own framing
BLOCK_SHARE = 0.4  # ... covering at least this share of the shorter text
UNBROKEN = 0.7  # share of an excerpt's shared shingles in one unbroken run, in both texts
REWRITE_ANCHORS = 0.6  # LCS of anchors over the longer anchor sequence
TRANSLATION_ANCHORS = 0.5  # LCS of anchors over the shorter anchor sequence
TRANSLATION_COVERAGE = 0.6  # share of sentences aligned in order by their anchors
ANCHOR_FLOOR = 0.3  # Dice of two sentences' anchor sets for an aligned pair
MIN_ANCHORS = 4
SENTENCE_RATIO = 0.6  # a rewrite or translation keeps most sentences
LEXICAL_FLOOR = 0.3  # Dice of sentence content words for an aligned pair
REWRITE_COVERAGE = 0.8  # share of both texts' words in sentences aligned in order
LEXICAL_HOPELESS = 0.25  # below this share embeddings are not worth computing
EMBEDDING_FLOOR = 0.7  # a cosine this high aligns two sentences as well as LEXICAL_FLOOR does
EVIDENCE = 3
PASSAGE = 300
DF_SAMPLE = 5000
_DETAIL_CACHE = 1024


# --- confirmation ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    left: int
    right: int
    kind: str
    similarity: float
    pairs: list[tuple[str, str]]  # (left passage, right passage)
    lean: float = 0.0  # > 0 when the texts themselves suggest the left one is the original


class _Confirmer:
    """Per-call state of the confirmation step: detail and embedding caches, the lazy embedder."""

    def __init__(self, corpus: Sequence[Article], sigs: Sequence[ArticleSignature], embedder: Any) -> None:
        self.corpus, self.sigs, self._embedder = corpus, sigs, embedder
        self._details: dict[int, align.Detail] = {}
        self._vectors: dict[int, np.ndarray | None] = {}

    def detail(self, i: int) -> align.Detail:
        return _recent(self._details, i, lambda: align.detail(self.corpus[i].text))

    def vectors(self, i: int) -> np.ndarray | None:
        return _recent(self._vectors, i, lambda: self._encode(self.detail(i).sentences))

    def _encode(self, texts: list[str]) -> np.ndarray | None:
        if self._embedder is None:
            from storyline.embed import ModelMissing, default_embedder

            try:
                self._embedder = default_embedder()
            except ModelMissing as exc:
                warnings.warn(f"rewrites are confirmed from word overlap only: {exc}", stacklevel=2)
                self._embedder = False
        if self._embedder is False:
            return None
        encode: Callable = getattr(self._embedder, "encode", self._embedder)
        return encode(texts)

    def confirm(self, i: int, j: int) -> _Found | None:
        """Decide a candidate pair; signature-only tests first, so most false candidates never
        make the article text be re-read."""
        a, b = self.sigs[i], self.sigs[j]
        if min(a.words, b.words) < MIN_WORDS:
            return None
        common = align.lcs_length(a.anchors.tolist(), b.anchors.tolist())
        if a.language and b.language and a.language != b.language:
            return self._translation(i, j, common)
        if _containment_estimate(a, b) < CONTAINMENT_HINT and not _may_be_rewrite(a, b, common):
            return None
        da, db = self.detail(i), self.detail(j)
        found = _textual(i, j, da, db)
        if found is None and _may_be_rewrite(a, b, common):
            found = self._rewrite(i, j, da, db)
        return found

    def _rewrite(self, i: int, j: int, da: align.Detail, db: align.Detail) -> _Found | None:
        """Same sentence order, same names and numbers, different words. Coverage counts words,
        not sentences, so that one-word lines of leftover boilerplate weigh next to nothing."""
        weights = self.sigs[i].sentence_words, self.sigs[j].sentence_words
        total = max(1, int(weights[0].sum() + weights[1].sum()))

        def coverage(pairs) -> float:
            return sum(int(weights[0][x] + weights[1][y]) for x, y, _ in pairs) / total

        words = align.set_similarity(da.content, db.content)
        aligned = align.monotone_alignment(words, LEXICAL_FLOOR)
        if coverage(aligned) < LEXICAL_HOPELESS:
            return None
        if coverage(aligned) < REWRITE_COVERAGE:
            # paraphrased sentences share few words; let meaning align them instead
            left, right = self.vectors(i), self.vectors(j)
            if left is None or right is None:
                return None
            cosine = np.asarray(left) @ np.asarray(right).T
            combined = np.maximum(words, cosine - (EMBEDDING_FLOOR - LEXICAL_FLOOR))
            aligned = align.monotone_alignment(combined, LEXICAL_FLOOR)
            if coverage(aligned) < REWRITE_COVERAGE:
                return None
        similarity = sum(s * int(weights[0][x] + weights[1][y]) for x, y, s in aligned) / total
        evidence = align.passage_pairs(da, db, aligned, EVIDENCE, PASSAGE, edited_first=True)
        kind = "translation" if align.translation_traces(da, db, aligned) else "rewrite"
        return _Found(i, j, kind, min(1.0, similarity), evidence)

    def _translation(self, i: int, j: int, common: int) -> _Found | None:
        """Names, numbers and dates keep their order across languages; sentence counts stay close."""
        a, b = self.sigs[i], self.sigs[j]
        if min(len(a.anchors), len(b.anchors)) < MIN_ANCHORS or not _similar_count(a, b):
            return None
        ratio = common / min(len(a.anchors), len(b.anchors))
        if ratio < TRANSLATION_ANCHORS:
            return None
        da, db = self.detail(i), self.detail(j)
        aligned = align.monotone_alignment(align.set_similarity(da.anchor_sets, db.anchor_sets), ANCHOR_FLOOR)
        with_anchors = max(sum(1 for x in da.anchor_sets if x), sum(1 for x in db.anchor_sets if x))
        coverage = len(aligned) / with_anchors
        if coverage < TRANSLATION_COVERAGE:
            return None
        best = sorted(aligned, key=lambda p: -p[2])[:EVIDENCE]
        evidence = align.passage_pairs(da, db, sorted(best), EVIDENCE, PASSAGE)
        left, right = folded_words(self.corpus[i].text), folded_words(self.corpus[j].text)
        lean = align.remnants(right, b.language, a.language) - align.remnants(left, a.language, b.language)
        return _Found(i, j, "translation", (ratio + coverage) / 2, evidence, lean)


def _textual(i: int, j: int, da: align.Detail, db: align.Detail) -> _Found | None:
    """Copies that keep the words: the same body (perhaps inside a dateline and credit line),
    an excerpt (one unbroken passage, perhaps inside the copier's own framing), an edited copy."""
    short, long = sorted((da, db), key=lambda d: d.words)
    if long.words - short.words <= min(FRAMING_WORDS, 0.1 * long.words) and short.normal in long.normal:
        lean = 1.0 if da is short else -1.0  # the bare text is the source, the framed one the copy
        return _Found(i, j, "duplicate", short.words / long.words, align.edited_pairs(da, db, 1, PASSAGE), lean)
    common = np.intersect1d(da.shingles, db.shingles, assume_unique=True)
    small, large = sorted((len(da.shingles), len(db.shingles)))
    jaccard = len(common) / max(1, small + large - len(common))
    containment = len(common) / max(1, small)
    # an excerpt is one passage, unbroken in both texts; a copy that is most of its original but
    # lacks a middle paragraph is an edited copy, not an excerpt
    lifted = min(align.block_share(da.sequence, common), align.block_share(db.sequence, common)) >= UNBROKEN
    if containment >= EXCERPT_CONTAINMENT and (small <= 0.5 * large or lifted and small <= EXCERPT_MAX_SHARE * large):
        kind, similarity = "excerpt", containment
    elif jaccard >= NEAR_DUPLICATE or containment >= EXCERPT_CONTAINMENT:
        kind, similarity = "near-duplicate", jaccard
    elif len(common) >= EXCERPT_BLOCK and containment >= BLOCK_SHARE and lifted and align.shared_sentences(da, db) >= 2:
        kind, similarity = "excerpt", containment  # one stock sentence in common would not do
    else:
        return None
    return _Found(i, j, kind, similarity, align.edited_pairs(da, db, EVIDENCE, PASSAGE))


def _recent(cache: dict, key: int, build: Callable[[], Any]) -> Any:
    """A bounded cache: candidates come sorted, so an article's pairs arrive close together."""
    if key not in cache:
        if len(cache) >= _DETAIL_CACHE:
            del cache[next(iter(cache))]
        cache[key] = build()
    return cache[key]


def _similar_count(a: ArticleSignature, b: ArticleSignature) -> bool:
    n, m = len(a.sentence_words), len(b.sentence_words)
    return min(n, m) >= SENTENCE_RATIO * max(n, m)


def _may_be_rewrite(a: ArticleSignature, b: ArticleSignature, common: int) -> bool:
    """Same names and numbers in the same order (when there are enough to judge), similar length."""
    if min(len(a.anchors), len(b.anchors)) >= MIN_ANCHORS:
        if common < REWRITE_ANCHORS * max(len(a.anchors), len(b.anchors)):
            return False
    return _similar_count(a, b)


def _containment_estimate(a: ArticleSignature, b: ArticleSignature) -> float:
    """Share of the smaller text's shingles in the larger, from the MinHash Jaccard estimate."""
    if a.minhash is None or b.minhash is None:
        return 0.0
    jaccard = a.minhash.jaccard(b.minhash)
    na, nb = max(1, a.words - align.SHINGLE + 1), max(1, b.words - align.SHINGLE + 1)
    return jaccard * (na + nb) / ((1 + jaccard) * min(na, nb))


# --- direction ------------------------------------------------------------------------------


def _original_first(f: _Found, sigs: Sequence[ArticleSignature], hints: dict) -> bool:
    """True when the left article of a found pair is the original, the right one the copy.

    Rules, in order: the earlier `published` date; then by kind: the longer text for excerpts and
    near-duplicates; for translations the language most of the corpus is written in, then the
    text without remnants of the other language, then the shorter text (translation tends to
    lengthen); for rewrites the text whose differing words are more common in the corpus, then
    the one with shorter differing words (spinners swap plain words for rarer, longer synonyms),
    then the longer; finally an already stored article before a new one, then input order."""
    a, b = sigs[f.left], sigs[f.right]
    if a.published and b.published and a.published != b.published:
        return a.published < b.published
    verdict = 0.0
    if f.kind == "duplicate":
        verdict = f.lean
    elif f.kind in ("excerpt", "near-duplicate"):
        verdict = a.words - b.words
    elif f.kind == "translation":
        languages = hints["languages"]
        verdict = (languages[a.language] - languages[b.language]) or f.lean or (b.words - a.words)
    elif f.kind == "rewrite":
        verdict = hints["rewrite"].get((f.left, f.right), 0.0) or (a.words - b.words)
    return verdict > 0 if verdict else f.left < f.right


def _spinner_scores(found: list[_Found], confirmer: _Confirmer, corpus: Sequence[Article]) -> dict:
    """For undated rewrite pairs: > 0 when the left text reads more like the original."""
    own = {}
    for f in found:
        a, b = confirmer.sigs[f.left], confirmer.sigs[f.right]
        if f.kind == "rewrite" and not (a.published and b.published and a.published != b.published):
            va, vb = confirmer.detail(f.left).vocabulary, confirmer.detail(f.right).vocabulary
            own[(f.left, f.right)] = (va - vb, vb - va)
    step = max(1, len(corpus) // DF_SAMPLE)
    return align.plainness(own, (article.text for article in corpus[::step])) if own else {}


# --- the corpus step ------------------------------------------------------------------------


def find_copies(
    articles: Sequence[Article],
    signatures: Sequence[ArticleSignature] | None = None,
    *,
    embedder: Any = None,
    existing: Sequence[Article] = (),
    existing_signatures: Sequence[ArticleSignature] | None = None,
) -> list[Copy]:
    """Copy links among `articles` and between them and `existing` (already stored) articles.

    `embedder` (an object with `encode(texts)` or a callable) is used only for rewrite candidates
    that names, numbers and word overlap leave undecided; by default the packaged MiniLM, loaded
    on first need. Pairs of two `existing` articles are not re-examined."""
    corpus = list(existing) + list(articles)
    old_sigs = list(existing_signatures) if existing_signatures is not None else [signature(a) for a in existing]
    new_sigs = list(signatures) if signatures is not None else [signature(a) for a in articles]
    sigs = old_sigs + new_sigs
    if [s.article_id for s in sigs] != [a.id for a in corpus]:
        raise ValueError("signatures must be given one per article, in the same order")
    first_new = len(old_sigs)

    groups: dict[str, list[int]] = {}
    for i, s in enumerate(sigs):
        if s.words:
            groups.setdefault(s.body_key, []).append(i)
    confirmer = _Confirmer(corpus, sigs, embedder)
    representative = [False] * len(sigs)
    found: list[_Found] = []
    for members in groups.values():
        first, *others = sorted(members, key=lambda k: (sigs[k].published or "9999", -sigs[k].words, k))
        representative[first] = True
        for k in others:
            if max(k, first) >= first_new:
                opening = align.passage_pairs(confirmer.detail(first), confirmer.detail(k), [(0, 0, 1.0)], 1, PASSAGE)
                found.append(_Found(first, k, "duplicate", 1.0, opening, lean=1.0))

    candidates = lsh_pairs(sigs, first_new, representative) | anchor_pairs(sigs, first_new, representative)
    for i, j in sorted(candidates):
        result = confirmer.confirm(i, j)
        if result is not None:
            found.append(result)

    hints = {"languages": Counter(s.language for s in sigs), "rewrite": _spinner_scores(found, confirmer, corpus)}
    copies = []
    for f in found:
        if _original_first(f, sigs, hints):
            original, copy, pairs = f.left, f.right, [(y, x) for x, y in f.pairs]
        else:
            original, copy, pairs = f.right, f.left, list(f.pairs)
        copies.append(Copy(article_id=corpus[copy].id, of_article_id=corpus[original].id, kind=f.kind,
                           similarity=round(float(f.similarity), 4), evidence=pairs))
    return copies


def closest_originals(links: Sequence[Copy]) -> list[Copy]:
    """One link per family of originals: the closest.

    A copy of a wire story often also resembles the wire's other copies (a translation of the
    wire reads like the wire's spun rewrite too). When an article links to several originals
    that are themselves linked, it was made from one of them: keep the most similar link and
    drop the rest, so the copy graph shows a chain, not a clique. Unrelated originals (an
    article quoting two different sources) keep their links.
    """
    related: dict[str, set[str]] = {}
    for c in links:
        related.setdefault(c.article_id, set()).add(c.of_article_id)
        related.setdefault(c.of_article_id, set()).add(c.article_id)
    by_copy: dict[str, list[Copy]] = {}
    for c in links:
        by_copy.setdefault(c.article_id, []).append(c)
    kept: list[Copy] = []
    for own in by_copy.values():
        ranked = sorted(own, key=lambda c: (-c.similarity, c.of_article_id))
        chosen: list[Copy] = []
        for c in ranked:
            if not any(c.of_article_id in related.get(k.of_article_id, ()) for k in chosen):
                chosen.append(c)
        kept.extend(chosen)
    return sorted(kept, key=lambda c: (c.article_id, c.of_article_id))
