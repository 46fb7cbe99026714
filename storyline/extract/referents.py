"""What an article tells about its people before anyone speaks: gender, and which lines are prose.

A pronoun speaker ("she said") must agree with the person it resolves to, and news text says a
person's gender in a few plain ways: an honorific ("Mrs. Lee"), a gendered role or kin noun
("the spokeswoman", "her husband"), and the pronouns the writer uses for that person where
nobody else can be meant ("Lee said she would appeal", "Lee raised her hand"). The last of these,
counted over the PolNeAR training articles, also gives a small table of first names
(`first_names.json`, made by `bench/learn_first_names.py`) for a person the article itself says
nothing about. Evidence is keyed by the last word of the name, so "Ana Kovac" and "Kovac" agree.

Lines that are not the writer's prose hold names that never speak: photo credits and bylines
("Jane Doe/CBC", "(Photo: Jane Doe)", "By Jane Doe"), datelines ("OTTAWA —"), and short lines
without closing punctuation (headlines, captions, section titles). A pronoun in the next
paragraph must not resolve to the photographer, so `non_prose` gives the character ranges of
such text, and candidates inside them are skipped.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from spacy.attrs import LEMMA, LOWER, POS, SENT_START
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from .lexicon import SPEECH_LEMMAS

HONORIFICS = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
              "lady": "f", "dame": "f", "madam": "f", "madame": "f"}
GENDERED = {**dict.fromkeys(
    """spokesman chairman congressman assemblyman businessman councilman alderman husband father son brother king
    prince uncle nephew grandfather boyfriend actor sportsman fisherman policeman anchorman""".split(), "m"),
    **dict.fromkeys(
    """spokeswoman chairwoman congresswoman assemblywoman businesswoman councilwoman alderwoman wife mother daughter
    sister queen princess aunt niece grandmother girlfriend actress sportswoman policewoman""".split(), "f")}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                  "herself": "f"}
FIRST_NAMES = Path(__file__).with_name("first_names.json")
UNKNOWN = "NAME"  # label of a proper-noun subject the recogniser left untyped

_CREDIT = re.compile(r"^\s*(?:\(?\s*(?:photo|photograph|image|video|credit|courtesy|file photo)\b[^)\n]*\)?"
                     r"|by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*$"
                     r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*/\s*[A-Z][\w .&'’-]{1,40})\s*$", re.I)
_CREDIT_INLINE = re.compile(r"\((?:photo|photograph|image|credit|courtesy)\s*:?[^)\n]{0,60}\)", re.I)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][\w.]*\.?)?\s*(?:\([^)\n]{1,30}\))?\s*[—–-]{1,2}\s")
_CLOSED = re.compile(r"[.!?:;…\"”’»)]\s*$")
_HEADLINE_WORDS = 14
_COREFERENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})  # "Lee scolded him" is someone else


def non_prose(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of credits, captions, headlines and datelines, in order."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line, lo = m.group(), m.start()
        if not line.strip():
            continue
        if _CREDIT.match(line) or (len(line.split()) <= _HEADLINE_WORDS and not _CLOSED.search(line)):
            out.append((lo, m.end()))
            continue
        date = _DATELINE.match(line)
        if date:
            out.append((lo, lo + date.end()))
        out.extend((lo + c.start(), lo + c.end()) for c in _CREDIT_INLINE.finditer(line))
    return tuple(sorted(out))


def within(pos: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    """`pos` falls in one of the sorted, disjoint character `ranges`."""
    k = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def speech_verbs(doc: Doc) -> tuple[int, ...]:
    """Indices of speech verbs and of "according", read off the token arrays in one step (a loop
    over Token objects costs more than the rest of quote extraction)."""
    if not len(doc):
        return ()
    strings = doc.vocab.strings
    lemmas = {strings.add(w) for w in SPEECH_LEMMAS}
    according, verb = strings.add("according"), POS_IDS["VERB"]
    rows = doc.to_array([POS, LEMMA, LOWER]).tolist()
    return tuple(i for i, (pos, lemma, low) in enumerate(rows) if (pos == verb and lemma in lemmas) or low == according)


def proper_nouns(doc: Doc) -> list[int]:
    """Indices of the proper nouns, from the token array."""
    if not len(doc):
        return []
    propn = POS_IDS["PROPN"]
    return [i for i, pos in enumerate(doc.to_array(POS).tolist()) if pos == propn]


def sentence_starts(doc: Doc) -> tuple[int, ...]:
    """Token index of every sentence start, from the token array."""
    if not len(doc):
        return ()
    return tuple(i for i, f in enumerate(doc.to_array([SENT_START]).tolist()) if f == 1 or i == 0)


def key(span: Span | Token) -> str:
    """The word a person is known by across an article: the last word of the name."""
    last = span[-1] if isinstance(span, Span) else span
    return last.lower_.removesuffix("’s").removesuffix("'s")


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """First name -> "m" | "f", learned from pronoun use in PolNeAR train (empty if not shipped)."""
    if not FIRST_NAMES.exists():
        return {}
    return json.loads(FIRST_NAMES.read_text(encoding="utf-8"))["names"]


def pronoun_evidence(doc: Doc, people: list[Span], starts: tuple[int, ...] | None = None) -> dict[str, Counter]:
    """Per name key, the gendered pronouns that can only mean that person.

    A pronoun counts for the subject of its sentence when the subject is the only person named in
    that sentence before the pronoun ("Lee said she…", "Lee raised her hand"), and the pronoun is
    a subject, a possessive or a reflexive (an object, "Lee scolded him", is someone else). A pronoun opening
    the next sentence is left out: that is the very case resolution has to decide.
    """
    starts = sentence_starts(doc) if starts is None else starts
    by_sent: dict[int, list[Span]] = defaultdict(list)
    for p in people:
        by_sent[bisect.bisect_right(starts, p.start)].append(p)
    counts: dict[str, Counter] = defaultdict(Counter)
    for n, named in by_sent.items():
        subjects = [p for p in named if p.root.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            continue
        first = min(subjects, key=lambda p: p.start)
        for t in doc[first.end:starts[n] if n < len(starts) else len(doc)]:
            g = PRONOUN_GENDER.get(t.lower_)
            if g is not None and t.pos_ == "PRON" and (t.dep_ in _COREFERENT_DEPS or t.lower_.endswith("self")):
                if all(key(p) == key(first) for p in named if p.end <= t.i):
                    counts[key(first)][g] += 1
                break  # only the first gendered pronoun after the subject is unambiguous enough
    return counts


def genders(doc: Doc, people: list[Span], starts: tuple[int, ...] | None = None) -> dict[str, str]:
    """Name key -> "m" | "f" where the article (or the first-name table) says so."""
    votes: dict[str, Counter] = defaultdict(Counter)
    table = first_names()
    for p in people:
        k = key(p)
        before = doc[p.start - 1].lower_ if p.start > 0 else ""
        if before in HONORIFICS:
            votes[k][HONORIFICS[before]] += 3
        for t in list(p.root.children) + ([p.root.head] if p.root.dep_ == "appos" else []):
            if t.dep_ in {"appos", "compound"} and t.lower_ in GENDERED:
                votes[k][GENDERED[t.lower_]] += 3
        for t in p:
            if t.lower_ in GENDERED:
                votes[k][GENDERED[t.lower_]] += 3
        if p[0].lower_ in table and (len(p) > 1 or p[0].ent_type_ == "PERSON"):
            votes[k][table[p[0].lower_]] += 2  # "Ana Lee", or "Kevin" alone
    for k, c in pronoun_evidence(doc, people, starts).items():
        votes[k].update(c)
    out = {}
    for k, c in votes.items():
        (top, n), *rest = c.most_common() + [("", 0)]
        if n > 2 * rest[0][1]:
            out[k] = top
    return out
