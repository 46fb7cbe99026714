"""Statement units: the sentences and quotes of a story that claims are made of.

A claim is compared across outlets at two grains: whole sentences, and quoted passages inside
them (one outlet quotes a principle in a long sentence, another quotes only the principle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..embed import DIMENSIONS, unpack
from ..records import Article, Copy, Figure, Quote, Sentence
from ..text import words

Embed = Callable[[Sequence[str]], np.ndarray]

MIN_WORDS = 5
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without)\b|n[’']t\b", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")


_CLOSING = tuple('.!?"”’»…)')


def is_statement(text: str) -> bool:
    """A sentence that states something, not a headline, dateline, byline or navigation line.

    Those leftovers of page chrome have no closing punctuation; statements do (possibly inside a
    closing quote mark), so the rule costs nearly nothing on real sentences.
    """
    body = text.rstrip()
    return body.endswith(_CLOSING) and len(words(body)) >= MIN_WORDS and any(w.islower() for w in words(body))


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
    vector: np.ndarray | None = None  # the stored sentence vector, when the extract stage computed one


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
        start, end = _trim(text, s.start, s.end)
        body = text[start:end]
        if not is_statement(body):
            continue
        inside = [q for q in quotes_by_article.get(s.article_id, []) if q.start < end and q.end > start]
        speaker = next((q.speaker for q in inside if q.speaker), None)
        if speaker is None:
            speaker = next((f.attributed_to for f in figures_by_article.get(s.article_id, [])
                            if start <= f.start < end and f.attributed_to), None)
        vector = unpack(s.vector) if s.vector is not None else None
        units.append(Unit(s.article_id, start, end, body, "sentence", speaker, [q.id for q in inside], vector))
        n_body = len(words(body))
        for q in inside:
            # a statement's own words and the quoted words marked inside reported speech
            for ps, pe in [*q.spans(), *(tuple(m) for m in q.marked)]:
                if not (ps < end and pe > start):
                    continue
                qs, qe = _trim(text, ps, pe)
                n = len(words(text[qs:qe]))
                if MIN_WORDS <= n < 0.8 * n_body:
                    units.append(Unit(s.article_id, qs, qe, text[qs:qe], "quote", q.speaker, [q.id]))
    return units


def trimmed(text: str, start: int, end: int) -> str:
    """The span's text without surrounding white space: what a sentence vector is computed from."""
    s, e = _trim(text, start, end)
    return text[s:e]


def unit_vectors(units: Sequence[Unit], embed: Embed) -> np.ndarray:
    """One unit vector per unit: stored sentence vectors where present, the model for the rest."""
    missing = [i for i, u in enumerate(units) if u.vector is None]
    out = np.zeros((len(units), DIMENSIONS), dtype=np.float32)
    if missing:
        out[missing] = embed([units[i].text for i in missing])
    for i, u in enumerate(units):
        if u.vector is not None:
            out[i] = u.vector
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


_CLAUSE_BREAK = re.compile(r"\s*(?:[;:]\s|\s[—–-]\s|,\s|\s(?=(?:that|which|who|whose|after|before|because|while|although)\s))\s*")
CLAUSE_MIN_WORDS = 6
CLAUSE_SENTENCE_WORDS = 18


def clauses(unit: Unit) -> list[Unit]:
    """The clauses of a long sentence unit, when it has more than one.

    A long sentence often packs a claim into one clause ("documents ... that affirm the principle
    of no country securing its own security at the cost of other countries") which other outlets
    state as a sentence of its own. Clauses are only used to attach an article to a claim that
    other articles already share (see claims.attach), never to start a claim. Breaks are
    semicolons, colons, dashes, commas and subordinating words; short fragments stay with the
    fragment before them.
    """
    body = unit.text
    if unit.kind != "sentence" or len(words(body)) < CLAUSE_SENTENCE_WORDS:
        return []
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(body)] + [len(body)]
    spans: list[list[int]] = []
    for a, b in zip(cuts, cuts[1:]):
        if spans and len(words(body[spans[-1][0]:spans[-1][1]])) < CLAUSE_MIN_WORDS:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    if len(spans) > 1 and len(words(body[spans[-1][0]:spans[-1][1]])) < CLAUSE_MIN_WORDS:
        tail = spans.pop()
        spans[-1][1] = tail[1]
    out = []
    for a, b in spans if len(spans) > 1 else []:
        s, e = _trim(body, a, b)
        out.append(Unit(unit.article_id, unit.start + s, unit.start + e, body[s:e], "clause", unit.attributed_to,
                        list(unit.quote_ids)))
    return out
