"""Placing a batch of articles into stories: the corpus step of story clustering.

How the score works and why articles are visited in a fixed order: see the package docstring.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any, Iterable, Mapping, Sequence

from storyline.records import Article, Story

from .board import Board
from .features import ArticleFeatures, StoryParams, batch_features
from .index import StoryIndex, ordered


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
    board = Board(index, order, idf, params.in_space(index.space))
    board.assign(order)
    for _ in range(params.refine_passes):
        if not board.refine(order):
            break
    stories = dict(index.stories)
    touched = board.write_back(order, stories)
    new_index = StoryIndex(stories=stories, entity_df=df, articles=total, space=index.space)
    return [state.to_story() for state in ordered(touched)], new_index
