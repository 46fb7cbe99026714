"""The cheap text signals story clustering reads: the lead, salient names, the publication day.

Clustering must stay cheap on 100k articles and must not need the NLP stage, so when no canonical
entity ids are given, names come from a regex over capitalised word runs rather than from spaCy. It over-generates a little (a capitalised
common word at a sentence start, a company product); inverse document frequency weighting in
the clustering step makes such keys cheap, while the rare names that tell two similar events
apart (a place, a person, an opponent) carry the weight.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date

from storyline.text import sentence_spans
from storyline.text import words as text_words

_CAP = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-Þ][\w\-]*(?:['’][A-Za-z]+)?)"
_NAME = re.compile(rf"{_CAP}(?:[ \t]+(?:(?:of|de|da|del|van|von|der|al|bin|la|le|du|&)[ \t]+)?{_CAP})*")
_INITIAL = re.compile(r"(?:^|[.!?:;\"“”‘’'(\[\-–—]|\n)\s*$")
# Capitalised words that start sentences or precede names without being names themselves.
_NOT_NAMES = frozenset("""
a an the in on at of for to by with from as and or but if so not no nor yet after before when while since
during until once then than he she it they we i you his her its their our my your this that these those
there here who whom what which where why how all some any each every both many more most other such
mr mrs ms dr sir madam sen rep gov judge president prime minister sgt lt col gen capt officer chief
governor mayor senator chancellor secretary spokesman spokeswoman spokesperson ceo director coach
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
today yesterday tomorrow tonight according also however meanwhile earlier later still now just even
one two three four five six seven eight nine ten first second third last next new former
said says say told reports report update breaking watch read video photos photo
""".split())
_MAX_SENTENCE = 400


def parse_day(published: str | None) -> int | None:
    """The ordinal day of an ISO date (YYYY-MM-DD, or a longer timestamp), or None."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10]).toordinal()
    except ValueError:
        return None


def lead_sentences(text: str, limit: int) -> list[str]:
    """The first `limit` sentences or lines, white space folded, each cut at _MAX_SENTENCE."""
    found: list[str] = []
    head = text[: limit * _MAX_SENTENCE * 2]
    for start, end in sentence_spans(head):
        piece = " ".join(head[start:end].split())
        if piece:
            found.append(piece[:_MAX_SENTENCE])
            if len(found) >= limit:
                break
    return found


def headline_and_lead(title: str | None, text: str, sentences: int) -> tuple[str, str]:
    """(what a story title can show, the lead sentences that are embedded with the title)."""
    lead = lead_sentences(text, sentences)
    headline = " ".join((title or "").split()) or (lead[0] if lead else "")
    return headline, " ".join(lead)


def _title_case(title: str) -> bool:
    words = [w for w in text_words(title) if len(w) > 3 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _key(tokens: list[str]) -> str:
    return unicodedata.normalize("NFKC", " ".join(tokens)).casefold().replace("’", "'")


def salient_entities(title: str | None, text: str, limit: int = 24) -> frozenset[str]:
    """Keys of the names an article is about: each capitalised run and each of its words.

    Headlines and lines in Title Case are skipped (every word looks like a name there). A single
    word at a sentence start is kept only if it also appears capitalised inside a sentence, and
    never if its lower-case form occurs in the text. The most frequent keys win, earlier ones on
    ties. Each word of a run is a key too, so "Anika Solberg" and a later "Solberg" meet."""
    source = text if not title or _title_case(title) else f"{title}\n{text}"
    source = "\n".join(line for line in source.split("\n") if len(line) > 200 or not _title_case(line))
    lowered = {w.casefold() for w in text_words(source) if w[0].islower()}
    runs: list[tuple[list[str], bool, int]] = []
    inside: set[str] = set()
    for match in _NAME.finditer(source):
        tokens = [t[:-2] if t.endswith(("'s", "’s")) else t for t in match.group().split()]
        while tokens and tokens[0].casefold().rstrip(".") in _NOT_NAMES:
            tokens = tokens[1:]
        while tokens and tokens[-1].casefold().rstrip(".") in _NOT_NAMES:
            tokens = tokens[:-1]
        if not tokens:
            continue
        before = source[max(0, match.start() - 3) : match.start()]
        initial = tokens[0] == match.group().split()[0] and bool(_INITIAL.search(before))
        if len(tokens) == 1 and not initial:
            inside.add(tokens[0])
        runs.append((tokens, initial, match.start()))
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for tokens, initial, start in runs:
        if len(tokens) == 1:
            word = tokens[0]
            if word.casefold() in lowered or len(word) < 2 or (word.isupper() and len(word) > 5):
                continue
            if initial and word not in inside:
                continue
        keys = [_key(tokens)]
        if len(tokens) > 1:
            keys += [_key([t]) for t in tokens if len(t) > 1 and t.casefold().rstrip(".") not in _NOT_NAMES]
        for key in dict.fromkeys(keys):
            counts[key] += 1
            first.setdefault(key, start)
    ranked = sorted(counts, key=lambda k: (-counts[k], first[k]))
    return frozenset(ranked[:limit])
