"""Matching the example corpus's gold annotations against what the pipeline stored.

Gold names articles by `ref` (a path and a locator), extracts by a piece of their text; these
helpers turn both sides into comparable keys so tests and bench/ report the same figures.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.records import Article, Copy, Entity, Event, Figure, Quote, Story
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
GOLD_PATH = REPO / "tests" / "gold" / "examples.json"


def load_gold() -> dict[str, Any]:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Whitespace and quote-mark differences never decide a match."""
    text = re.sub(r"[\u201c\u201d\u201e\u00ab\u00bb\"]", '"', text)
    text = re.sub(r"[\u2018\u2019\u201a]", "'", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def articles_by_ref(articles, gold: dict[str, Any]) -> dict[str, Article]:
    """Gold article ref -> stored article, matched on the file (path under the repo) and locator."""
    out = {}
    for g in gold["articles"]:
        for a in articles:
            if Path(a.path).as_posix().endswith("/" + g["path"]) and (a.locator or None) == (g["locator"] or None):
                out[g["ref"]] = a
    return out


@dataclass
class Stored:
    """One store's records, indexed by gold ref."""

    articles: dict[str, Article]  # ref -> article
    ref_of: dict[str, str]  # article id -> ref
    entities: list[Entity]
    quotes: list[Quote]
    figures: list[Figure]
    events: list[Event]
    copies: list[Copy]
    stories: list[Story]

    @classmethod
    def read(cls, store: Store, gold: dict[str, Any]) -> "Stored":
        articles = articles_by_ref(store.articles(), gold)
        return cls(articles, {a.id: ref for ref, a in articles.items()}, store.get(Entity), store.get(Quote),
                   store.get(Figure), store.get(Event), store.get(Copy), store.get(Story))

    def names(self, entity_id: str | None) -> set[str]:
        for e in self.entities:
            if e.id == entity_id:
                return {squash(n) for n in [e.name, *e.aliases]}
        return set()

    def in_article(self, records, ref: str) -> list:
        article = self.articles.get(ref)
        return [r for r in records if article and r.article_id == article.id]

    def quote_for(self, gold_quote: dict[str, Any]) -> Quote | None:
        """The stored quote whose text holds the gold passage (direct kinds first)."""
        want = squash(gold_quote["text_contains"])
        hits = [q for q in self.in_article(self.quotes, gold_quote["ref"]) if want in squash(q.text)]
        hits.sort(key=lambda q: (self.kind_of(q, gold_quote) != gold_quote["kind"], len(q.text)))
        return hits[0] if hits else None

    def kind_of(self, quote: Quote, gold_quote: dict[str, Any]) -> str:
        """The quote's kind as the gold sees it: quoted words marked inside reported speech are
        the gold's "partial" quote, held by the one indirect statement they belong to."""
        article = self.articles.get(gold_quote["ref"])
        want = squash(gold_quote["text_contains"])
        if article is not None and any(want in squash(article.text[s:e]) for s, e in quote.marked):
            return "partial"
        return quote.kind

    def figure_for(self, gold_figure: dict[str, Any]) -> Figure | None:
        """The stored figure inside the gold passage with the gold value."""
        article = self.articles.get(gold_figure["ref"])
        if article is None:
            return None
        want = squash(gold_figure["text_contains"])
        value = gold_figure["value"]
        value = tuple(float(v) for v in value) if isinstance(value, list) else float(value)
        for f in self.in_article(self.figures, gold_figure["ref"]):
            around = squash(article.text[max(0, f.start - 200):f.end + 200])
            got = tuple(f.value) if isinstance(f.value, (list, tuple)) else float(f.value)
            if got == value and (squash(f.text) in want or want in around):
                return f
        return None

    def event_for(self, gold_event: dict[str, Any]) -> Event | None:
        want = squash(gold_event["sentence_contains"])
        expression = squash(gold_event["expression"])
        for e in self.in_article(self.events, gold_event["ref"]):
            if want in squash(e.text) and (squash(e.expression) in expression or expression in squash(e.expression)):
                return e
        return None

    def story_of(self, ref: str) -> str | None:
        article = self.articles.get(ref)
        for s in self.stories:
            if article and article.id in s.article_ids:
                return s.id
        return None


def find_span(text: str, fragment: str) -> tuple[int, int] | None:
    """Where a gold fragment stands in a text, whatever whitespace separates its words."""
    m = re.search(r"\s+".join(map(re.escape, fragment.split())), text)
    return (m.start(), m.end()) if m else None


def claim_link_counts(story: Story, gold_claims: list[dict[str, Any]], by_ref: dict[str, Article]) -> tuple[int, int, int]:
    """(true, false, missed) "same claim" links between gold variants of different articles.

    Two gold variants are linked when one claim of `story` has variants overlapping both."""
    found = []
    for ci, claim in enumerate(gold_claims):
        for v in claim["variants"]:
            article = by_ref[v["ref"]]
            span = find_span(article.text, v["text_contains"])
            assert span, v
            holding = {k for k, c in enumerate(story.claims) for x in c.variants
                       if x.article_id == article.id and x.start < span[1] and x.end > span[0]}
            found.append((ci, article.id, holding))
    tp = fp = fn = 0
    for (ci, ai, ki), (cj, aj, kj) in itertools.combinations(found, 2):
        if ai == aj:
            continue
        linked = bool(ki & kj)
        tp += ci == cj and linked
        fn += ci == cj and not linked
        fp += ci != cj and linked
    return tp, fp, fn
