"""Story clustering: which articles report the same real-world event.

A story is one event (one earthquake, one summit), not a topic: ECB+ holds two events of the same
kind per topic, and a reader wants them apart. Meaning alone cannot do that (two earthquake
reports read alike), so an article's score against a story combines three signals:

    score = (cosine(title+lead embedding, story centroid) + w * entity_cosine) / (1 + w)
            - time_weight * log1p(days outside the story's date span / time_scale_days)

`entity_cosine` compares the article's salient names with the story's name profile (how many of
its articles mention each name), weighted by inverse document frequency over everything seen, so
a shared "Sudan" says more than a shared "U.S.". The time term makes articles weeks apart need
stronger evidence, and stories more than `window_days` away are never candidates.

Clustering is online so that a new batch joins the stories already stored without reclustering
them: each article is compared with candidate stories only (a matrix product over the centroids
of stories active in its time window, plus an inverted index from names to stories), joins the best
one above `threshold`, or founds a new one. A leader method depends on visiting order, so articles
are visited by date and, within a day or when undated, by a hash of their id: the result does not
depend on how files were listed, and a folder sorted by event does not let the first event's
profile swallow the second. Then `refine_passes` passes move each article of the batch to the story
that fits it best once all stories exist (articles of earlier batches never move).

A story keeps the id it was born with ("s-" + hash of its first article's id), so links from the
store stay valid as it grows; its title is the headline of its most central article (title+lead
vector closest to the centroid), re-chosen when the story grows. Cost per batch: the batch times
the stories in its time window (one matrix product per chunk), never all pairs of articles.

Parameters were tuned on the ECB+ dev topics (1-35) only; see bench/stories.py.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from storyline.records import Article, Story
from storyline.story_board import Board, StoryState, ordered
from storyline.story_text import headline_and_lead, parse_day, salient_entities


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


@dataclass(frozen=True, eq=False)
class ArticleFeatures:
    """What clustering needs from one article; computed independently per article (a map step)."""

    article_id: str
    vector: np.ndarray  # unit embedding of title + lead
    entities: frozenset[str]
    day: int | None  # date.toordinal() of `published`
    source: str | None
    headline: str  # the title, or the first sentence when there is none


def _b64(vector: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def _unb64(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32)


def _iso(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


@dataclass
class StoryIndex:
    """All stories so far, plus the name frequencies that weight entity overlap."""

    stories: dict[str, StoryState] = field(default_factory=dict)
    entity_df: dict[str, int] = field(default_factory=dict)
    articles: int = 0

    def to_stories(self) -> list[Story]:
        return [state.to_story() for state in ordered(self.stories.values())]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; vectors are base64 float32 so the round trip is exact and compact."""
        return {
            "version": 1,
            "articles": self.articles,
            "entity_df": dict(self.entity_df),
            "stories": [
                {"id": s.id, "title": s.title, "title_article": s.title_article, "title_vector": _b64(s.title_vector),
                 "members": [[a, _iso(d)] for a, d in s.members], "vector_sum": _b64(s.vector_sum),
                 "entities": dict(s.entities), "sources": dict(s.sources), "first": _iso(s.first), "last": _iso(s.last)}
                for s in self.stories.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryIndex:
        stories = {}
        for s in data.get("stories", []):
            stories[s["id"]] = StoryState(
                id=s["id"], title=s["title"], title_article=s["title_article"], title_vector=_unb64(s["title_vector"]),
                members=[(a, parse_day(d)) for a, d in s["members"]], vector_sum=_unb64(s["vector_sum"]),
                entities=dict(s["entities"]), sources=dict(s["sources"]),
                first=parse_day(s["first"]), last=parse_day(s["last"]))
        return cls(stories=stories, entity_df=dict(data.get("entity_df", {})), articles=int(data.get("articles", 0)))


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


def _unseen(items: Iterable, key, known: set[str]) -> list:
    """Items whose id is neither stored already nor repeated earlier in the batch."""
    kept, seen = [], set(known)
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def _stable(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


def assign_stories(
    articles: Sequence[Article],
    index: StoryIndex | None = None,
    entities: Mapping[str, set[str]] | None = None,
    *,
    params: StoryParams = StoryParams(),
    embedder: Any = None,
    features: Sequence[ArticleFeatures] | None = None,
) -> tuple[list[Story], StoryIndex]:
    """Place a batch of articles into stories; returns (stories touched by this batch, new index).

    The given index is not modified. Articles already in the index are skipped. Returned stories
    are those that gained articles in this batch, ordered by first date then id; all stories are
    `index.to_stories()`. `features` (from `batch_features`, e.g. computed in parallel) avoids
    embedding again; `entities` maps article id -> canonical entity ids."""
    index = index if index is not None else StoryIndex()
    known = {article_id for state in index.stories.values() for article_id, _ in state.members}
    if features is None:
        features = batch_features(_unseen(articles, lambda a: a.id, known), embedder, entities, params)
    else:
        features = _unseen(features, lambda f: f.article_id, known)
    if not features:
        return [], index
    df = dict(index.entity_df)
    for f in features:
        for name in f.entities:
            df[name] = df.get(name, 0) + 1
    total = index.articles + len(features)
    # The prior keeps a small corpus (a few articles, all on one story) from discounting the very
    # names its articles share; on a large store it fades away.
    corpus = total + params.background_articles + 1

    def idf(name: str) -> float:
        return math.log(corpus / (df.get(name, 0) + 1)) + 1.0

    order = sorted(features, key=lambda f: (f.day is None, f.day or 0, _stable(f.article_id), f.article_id))
    board = Board(index, order, idf, params)
    board.assign(order)
    for _ in range(params.refine_passes):
        if not board.refine(order):
            break
    stories = dict(index.stories)
    touched = board.write_back(order, stories)
    new_index = StoryIndex(stories=stories, entity_df=df, articles=total)
    return [state.to_story() for state in ordered(touched)], new_index
