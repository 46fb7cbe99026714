"""The compare stage: what an analyst cannot see by reading the articles one by one.

`compare_story` is a pure function of one story's records, so stories can be compared in
parallel (one Ray task per story) and only the stories touched by a new batch are recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from ..records import Article, Copy, EntityMention, Event, Figure, Quote, Sentence, Story
from .claims import ClaimParams, Judge, build_claims
from .conflicts import claim_conflicts, settle_status
from .crosslingual import VectorMemo, default_encode
from .pairs import LogitMemo, judge
from .profile import profiles
from .quotes import quote_groups
from .summary import summarise
from .timeline import build_timeline
from .units import Embed, independent_groups, story_units, unit_vectors

__all__ = ["StoryRecords", "compare_story", "ClaimParams", "judge"]


@dataclass
class StoryRecords:
    """Everything the compare stage reads about one story."""

    story: Story
    articles: list[Article]
    sentences: list[Sentence] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    # what its last comparison computed: the same-claim scores it asked for and, for a story in
    # several languages, its statements' multilingual vectors (`crosslingual.pack_memo`)
    pair_logits: bytes = b""


def _cached(embed: Embed) -> Embed:
    """Memoise vectors per text: claims, conflicts, quotes and the summary embed overlapping texts."""
    import numpy as np

    memo: dict[str, np.ndarray] = {}

    def run(texts: Sequence[str]) -> np.ndarray:
        # sorted by length, so each model batch pads to similar lengths (embedding is ~all of compare's time)
        missing = sorted(dict.fromkeys(t for t in texts if t not in memo), key=len)
        if missing:
            for text, vec in zip(missing, embed(missing)):
                memo[text] = vec
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([memo[t] for t in texts])

    run.memo = memo  # type: ignore[attr-defined]
    return run


def compare_story(
    records: StoryRecords,
    embed: Embed | None = None,
    *,
    summary_size: int = 5,
    params: ClaimParams = ClaimParams(),
    judge_pairs: Judge | None = None,
    memo: LogitMemo | None = None,
    embed_multilingual: Embed | None = None,
    vector_memo: VectorMemo | None = None,
) -> Story:
    """The story with claims, conflicts, timeline, summary, quote groups and source profiles.

    `judge_pairs` decides whether two statements are one claim (default: the packaged
    same-claim model, which answers the pairs `memo` knows without running); `embed` gives
    vectors for texts without a stored sentence vector; `embed_multilingual` gives the
    cross-language vectors of a story whose articles are not all English (default: the packaged
    multilingual-e5, loaded only then), answered from `vector_memo` where it knows the text."""
    if embed is None:
        from ..embed import embed as default_embed

        embed = default_embed
    embed = _cached(embed)
    quote_judge = judge_pairs
    if judge_pairs is None:
        # places are compared after grouping, as canonical entities (conflicts.place_conflicts):
        # masking every place of a story would make unrelated sentences read alike
        judge_pairs = lambda pairs: judge(pairs, same=params.same, embed=embed, memo=memo)  # noqa: E731
        # two renderings are one quote on a pair alone, so they need what starts a claim
        quote_judge = lambda pairs: judge(pairs, same=params.seed, embed=embed, memo=memo)  # noqa: E731
    articles = {a.id: a for a in records.articles}
    ids = [a.id for a in records.articles]
    in_story = set(ids)
    copies = [c for c in records.copies if c.article_id in in_story and c.of_article_id in in_story]
    independence = independent_groups(ids, copies, {a.id: a.source for a in records.articles})
    units = story_units(records.articles, records.sentences, records.quotes, records.figures)
    vectors = unit_vectors(units, embed)
    embed.memo.update((u.text, v) for u, v in zip(units, vectors) if u.vector is not None)  # stored: never re-embedded
    encode_multilingual = embed_multilingual or default_encode
    if vector_memo is not None:
        encode_multilingual = vector_memo.wrap(encode_multilingual)
    claims = build_claims(records.story.id, units, vectors, independence, params, judge_pairs, embed,
                          languages={a.id: a.language for a in records.articles},
                          encode_multilingual=encode_multilingual)
    conflicts = claim_conflicts(claims, records.figures, records.events, records.mentions, articles, embed)
    settle_status(claims, conflicts, independence)
    statements: dict[str, int] = {}
    for u in units:
        if u.kind == "sentence":
            statements[u.article_id] = statements.get(u.article_id, 0) + 1
    return replace(
        records.story,
        claims=claims,
        conflicts=conflicts,
        timeline=build_timeline(records.events, embed, {a.id: a.published for a in records.articles}),
        summary=summarise(claims, embed, summary_size),
        quote_groups=quote_groups(records.story.id, records.quotes, articles, quote_judge),
        profiles=profiles(records.articles, claims, records.quotes, records.figures, copies, statements),
    )
