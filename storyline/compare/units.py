"""Statement units: the sentences and quotes of a story that claims are made of.

A claim is compared across outlets at two grains: whole sentences, and quoted passages inside
them (one outlet quotes a principle in a long sentence, another quotes only the principle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..records import Article, Copy, Figure, Quote, Sentence

Embed = Callable[[Sequence[str]], np.ndarray]

MIN_WORDS = 5
_WORD = re.compile(r"\w+(?:[’']\w+)?")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without)\b|n[’']t\b", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def negations(text: str) -> int:
    return len(_NEGATION.findall(text))


def numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


@dataclass(slots=True)
class Unit:
    """One statement in one article, with who it is attributed to there."""

    article_id: str
    start: int
    end: int
    text: str
    kind: str  # "sentence" | "quote"
    attributed_to: str | None = None
    quote_ids: list[str] = field(default_factory=list)


def story_units(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    quotes: Sequence[Quote],
    figures: Sequence[Figure],
) -> list[Unit]:
    """Sentences of at least MIN_WORDS words, plus quoted passages shorter than their sentence."""
    text_of = {a.id: a.text for a in articles}
    quotes_by_article: dict[str, list[Quote]] = {}
    for q in quotes:
        quotes_by_article.setdefault(q.article_id, []).append(q)
    figures_by_article: dict[str, list[Figure]] = {}
    for f in figures:
        figures_by_article.setdefault(f.article_id, []).append(f)
    units: list[Unit] = []
    for s in sentences:
        text = text_of.get(s.article_id)
        if text is None:
            continue
        body = text[s.start : s.end].strip()
        if len(words(body)) < MIN_WORDS:
            continue
        inside = [q for q in quotes_by_article.get(s.article_id, []) if q.start < s.end and q.end > s.start]
        speaker = next((q.speaker for q in inside if q.speaker), None)
        if speaker is None:
            speaker = next((f.attributed_to for f in figures_by_article.get(s.article_id, [])
                            if s.start <= f.start < s.end and f.attributed_to), None)
        units.append(Unit(s.article_id, s.start, s.end, body, "sentence", speaker, [q.id for q in inside]))
        for q in inside:
            quoted = text[q.start : q.end].strip()
            n = len(words(quoted))
            if n >= MIN_WORDS and n < 0.8 * len(words(body)):
                units.append(Unit(s.article_id, q.start, q.end, quoted, "quote", q.speaker, [q.id]))
    return units


def independent_groups(article_ids: Sequence[str], copies: Sequence[Copy], sources: dict[str, str | None]) -> dict[str, str]:
    """Article id -> the id of its independence group: copies of one original, or one outlet, count once."""
    parent = {a: a for a in article_ids}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(a: str, b: str) -> None:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

    for c in copies:
        join(c.article_id, c.of_article_id)
    first_of_source: dict[str, str] = {}
    for a in article_ids:
        src = (sources.get(a) or "").strip().lower()
        if src:
            join(a, first_of_source.setdefault(src, a))
    return {a: find(a) for a in article_ids}
