"""Quote variants: one speaker's statement as each outlet renders it, aligned word by word.

Renderings of one speaker are grouped only when they are one statement: their words align
closely, or the same-claim model verifies every pair of them (a translation or paraphrase of
the quote). Each is then diffed against the group's reference wording. "Meaning changed" is kept
for what changes what was said: a negation added or dropped, a figure changed, or a qualifier
("only", "may", "allegedly") added or dropped; other edits are flagged but are not that.
"""

from __future__ import annotations

import difflib
from typing import Sequence

from ..records import Article, Quote, QuoteGroup, Rendering
from .units import negations, numbers, words

ALIGNED = 0.8  # share of words two renderings have in order (difflib ratio) that makes them one statement
MIN_WORDS = 4
MEANING = ("negation changed", "number changed", "qualifier changed")
QUALIFIERS = frozenset({
    "only", "just", "almost", "nearly", "about", "around", "roughly", "approximately", "at", "least", "most",
    "more", "less", "fewer", "may", "might", "could", "would", "should", "must", "possibly", "probably",
    "perhaps", "likely", "unlikely", "allegedly", "reportedly", "apparently", "seemingly", "some", "all",
    "every", "always", "sometimes", "partly", "partially", "fully", "entirely", "even", "still", "already",
})


def _speaker_key(q: Quote) -> str | None:
    if q.speaker_entity:
        return q.speaker_entity
    return q.speaker.lower() if q.speaker else None


def align(reference: str, text: str) -> list[tuple[str, str, str]]:
    """Word-level edit script from `reference` to `text`: (op, reference words, these words)."""
    a, b = words(reference), words(text)
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    return [(op, " ".join(a[i1:i2]), " ".join(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()]


def flags_for(reference: str, text: str, diff: list[tuple[str, str, str]]) -> list[str]:
    flags = []
    if negations(reference) % 2 != negations(text) % 2:
        flags.append("negation changed")
    if numbers(reference) != numbers(text) and numbers(reference) and numbers(text):
        flags.append("number changed")
    if _qualifiers(reference) != _qualifiers(text):
        flags.append("qualifier changed")
    ops = [op for op, _, _ in diff]
    ref_words, own = len(words(reference)), len(words(text))
    if ops and ops[-1] == "delete" and own < ref_words or ops and ops[0] == "delete" and own < ref_words:
        flags.append("truncated")
    if "delete" in ops[1:-1]:
        flags.append("words dropped")
    if "replace" in ops:
        flags.append("words changed")
    if "insert" in ops:
        flags.append("words added")
    if any(ch in text for ch in "[]…") and not any(ch in reference for ch in "[]…") or text.isupper() != reference.isupper():
        flags.append("emphasis or editing marks added")
    return flags


def _qualifiers(text: str) -> set[str]:
    return {w.lower() for w in words(text)} & QUALIFIERS


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=[w.lower() for w in words(a)], b=[w.lower() for w in words(b)], autojunk=False).ratio()


def quote_groups(story_id: str, quotes: Sequence[Quote], articles: dict[str, Article], judge_pairs) -> list[QuoteGroup]:
    """Groups of one speaker's renderings of one statement, across at least two articles.

    `judge_pairs` is the same-claim judge (claims.Judge); it is asked only about pairs whose
    words do not already align."""
    by_speaker: dict[str, list[Quote]] = {}
    for q in quotes:
        key = _speaker_key(q)
        if key and q.article_id in articles and len(words(q.text)) >= MIN_WORDS:
            by_speaker.setdefault(key, []).append(q)
    groups: list[QuoteGroup] = []
    for key in sorted(by_speaker):
        items = by_speaker[key]
        if len({q.article_id for q in items}) < 2:
            continue
        pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))
                 if items[i].article_id != items[j].article_id]
        aligned = {p for p in pairs if _ratio(items[p[0]].text, items[p[1]].text) >= ALIGNED}
        rest = [p for p in pairs if p not in aligned]
        verdicts = judge_pairs([(items[i].text, items[j].text) for i, j in rest]) if rest else []
        one = aligned | {p for p, v in zip(rest, verdicts) if v.relation in ("same", "conflicting")}
        used: set[int] = set()
        for i in range(len(items)):
            if i in used:
                continue
            members = [i]
            for j in range(i + 1, len(items)):
                if j not in used and items[j].article_id not in {items[m].article_id for m in members} \
                        and all((min(m, j), max(m, j)) in one for m in members):
                    members.append(j)
            if len(members) < 2:
                continue
            used.update(members)
            groups.append(_group(f"{story_id}-qg{len(groups) + 1}", [items[m] for m in members], articles))
    return groups


def _group(group_id: str, members: list[Quote], articles: dict[str, Article]) -> QuoteGroup:
    # the reference is the wording closest to all others (a medoid), so one outlet's slip (a lost
    # "not") is flagged on that outlet instead of on everyone else; ties go to the fuller wording
    lowered = [[w.lower() for w in words(q.text)] for q in members]

    def agreement(k: int) -> float:
        return sum(difflib.SequenceMatcher(a=lowered[k], b=lowered[m], autojunk=False).ratio()
                   for m in range(len(members)) if m != k)

    reference = members[max(range(len(members)), key=lambda k: (round(agreement(k), 6), len(lowered[k]), members[k].id))]
    renderings, changed = [], []
    for q in sorted(members, key=lambda q: (articles[q.article_id].published or "", q.article_id)):
        diff = align(reference.text, q.text)
        flags = [] if q is reference else flags_for(reference.text, q.text, diff)
        if set(MEANING) & set(flags):
            changed.append(q.article_id)
        renderings.append(Rendering(q.article_id, q.id, q.text, q.start, q.end, diff, flags))
    return QuoteGroup(id=group_id, text=reference.text, speaker=reference.speaker,
                      speaker_entity=reference.speaker_entity, renderings=renderings, meaning_changed=changed)
