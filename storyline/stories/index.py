"""The stories kept between batches: per-story state and the index that holds them all.

`StoryState` is what the index stores for a story: enough to score a new article (centroid sum,
name counts, date span) without re-reading or re-embedding old articles. `StoryIndex` adds the
name frequencies that weight entity overlap and round-trips through plain JSON for the store.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable, Mapping

import numpy as np

from storyline.records import Story

from .lead import parse_day


@dataclass(eq=False)
class StoryState:
    """One story as the index keeps it: enough to score new articles without re-reading old ones."""

    id: str
    title: str
    title_article: str
    title_vector: np.ndarray  # the title article's vector, to compare with later candidates
    members: list[tuple[str, int | None]]  # (article id, day), sorted by date
    vector_sum: np.ndarray  # sum of member vectors; its direction is the centroid
    entities: dict[str, int]  # name -> member articles mentioning it
    sources: dict[str, int]
    first: int | None
    last: int | None

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm > 0 else self.vector_sum

    @property
    def article_ids(self) -> list[str]:
        return [article_id for article_id, _ in self.members]

    def to_story(self) -> Story:
        return Story(id=self.id, title=self.title, article_ids=self.article_ids)


def ordered(states: Iterable[StoryState]) -> list[StoryState]:
    return sorted(states, key=lambda s: (s.first is None, s.first or 0, s.id))


def story_id(first_article_id: str) -> str:
    return "s-" + hashlib.blake2b(first_article_id.encode("utf-8"), digest_size=6).hexdigest()


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
    space: str = "english"  # which model's vectors the sums hold: "english" (MiniLM) or "multilingual" (e5)

    def respaced(self, vectors: Mapping[str, np.ndarray], space: str) -> StoryIndex:
        """The same stories with every vector recomputed in another model's space.

        A corpus that was all English until a batch in another language arrives keeps its
        stories; their sums and title vectors are rebuilt from the members' new vectors, once."""
        stories = {}
        for sid, st in self.stories.items():
            total = np.sum([vectors[a] for a in st.article_ids], axis=0).astype(np.float32)
            stories[sid] = replace(st, vector_sum=total, title_vector=np.asarray(vectors[st.title_article], np.float32))
        return StoryIndex(stories=stories, entity_df=dict(self.entity_df), articles=self.articles, space=space)

    def to_stories(self) -> list[Story]:
        return [state.to_story() for state in ordered(self.stories.values())]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; vectors are base64 float32 so the round trip is exact and compact."""
        return {
            "version": 1,
            "articles": self.articles,
            "space": self.space,
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
        return cls(stories=stories, entity_df=dict(data.get("entity_df", {})), articles=int(data.get("articles", 0)),
                   space=str(data.get("space", "english")))
