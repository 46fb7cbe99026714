"""What clustering reads from one article, computed independently per article (a map step).

Features are the embedding of title + lead, the salient names (canonical entity ids when the
extract stage gave them, else the cheap name regex of `lead`), the day and the source; the
parameters of clustering live here too, since they also say how long a lead is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

import numpy as np

from storyline.records import Article

from .lead import headline_and_lead, parse_day, salient_entities


@dataclass(frozen=True)
class StoryParams:
    """Thresholds of `assign_stories`; the defaults come from bench/stories.py (ECB+ dev topics)."""

    threshold: float = 0.40  # combined score needed to join a story
    entity_weight: float = 1.5  # weight of the name overlap against the embedding cosine
    time_weight: float = 0.10  # penalty per log1p(gap / time_scale_days); not tunable on ECB+ (undated)
    time_scale_days: float = 3.0
    window_days: int = 60  # stories further away in time are never candidates
    refine_passes: int = 2
    neighbours: int = 8  # centroid search hits kept per article
    entity_postings: int = 8  # most recent stories looked up per shared name
    max_entities: int = 24  # salient names kept per article
    background_articles: int = 1000  # unseen articles assumed not to name anything (idf prior)
    lead_sentences: int = 3
    lead_chars: int = 600  # title + lead are cut here: longer inputs cost more and added nothing on ECB+
    chunk: int = 128  # articles searched per matrix product
    # Centred multilingual-e5 cosines of two different events of one topic run this much higher
    # than MiniLM's (ECB+: 0.589 against 0.506, bench/multilingual.py), so a multilingual index asks for more.
    multilingual_cosine_shift: float = 0.083

    def in_space(self, space: str) -> "StoryParams":
        """The parameters for an index of that vector space: the threshold moved by the shift
        (the cosine's share of the combined score is 1 / (1 + entity_weight))."""
        if space != "multilingual" or not self.multilingual_cosine_shift:
            return self
        return replace(self, threshold=self.threshold + self.multilingual_cosine_shift / (1 + self.entity_weight))


@dataclass(frozen=True, eq=False)
class ArticleFeatures:
    """What clustering needs from one article; computed independently per article (a map step)."""

    article_id: str
    vector: np.ndarray  # unit embedding of title + lead
    entities: frozenset[str]
    day: int | None  # date.toordinal() of `published`
    source: str | None
    headline: str  # the title, or the first sentence when there is none


def _encode(embedder: Any, texts: list[str]) -> np.ndarray:
    if embedder is None:
        from storyline.embed import default_embedder

        embedder = default_embedder()
    encode = embedder.encode if hasattr(embedder, "encode") else embedder
    # Similar lengths in one model batch waste less on padding (about 2x faster on news leads).
    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.asarray(encode([texts[i] for i in by_length]), dtype=np.float32).reshape(len(texts), -1)
    restored = np.empty_like(vectors)
    restored[by_length] = vectors
    return restored


def batch_features(articles: Sequence[Article], embedder: Any = None, entities: Mapping[str, set[str]] | None = None,
                   params: StoryParams = StoryParams()) -> list[ArticleFeatures]:
    """`article_features` for many articles with one embedding call (the model batches well)."""
    texts, keys = [], []
    for article in articles:
        headline, lead = headline_and_lead(article.title, article.text, params.lead_sentences)
        text = f"{article.title}\n{lead}" if article.title else lead
        texts.append(text if len(text) <= params.lead_chars else text[: params.lead_chars].rsplit(" ", 1)[0])
        given = entities.get(article.id) if entities is not None else None
        if given is not None:
            names = frozenset(given)
        else:
            names = salient_entities(article.title, article.text, params.max_entities)
        keys.append((headline, names))
    vectors = _encode(embedder, texts) if texts else np.zeros((0, 0), dtype=np.float32)
    return [ArticleFeatures(a.id, vectors[i], keys[i][1], parse_day(a.published), a.source, keys[i][0])
            for i, a in enumerate(articles)]


def article_features(article: Article, embedder: Any = None, entities: set[str] | None = None) -> ArticleFeatures:
    """The per-article map step: embedding of title + lead, salient names, date, source.

    `entities` (canonical entity ids from the extract stage) replaces the cheap name regex when
    given; `embedder` is anything with `encode(texts)` returning unit vectors."""
    return batch_features([article], embedder, None if entities is None else {article.id: entities})[0]
