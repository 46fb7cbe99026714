"""Pronoun speakers: which earlier name "he", "she", "it" or "they" stands for.

A pronoun goes to the previous quote's speaker when nobody else has been named since (news
style keeps one speaker per stretch of text); otherwise to the most salient fitting name in the
window before it. Fitting is agreement: gender for "he"/"she" (from `referents`), organisations
for "it", organisations and peoples for "they"; names on credit, caption and headline lines and
names inside what an earlier attribution reported never fit. Salience adds up recency (in
sentences), being a subject, above all of a speech verb, and a gender the article states, less
being the topic of someone else's speech verb.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Span, Token

from . import referents
from .names import TITLE_WORDS
from .lexicon import EXTRA_TITLES, PLACE_HEADS
from .referents import UNKNOWN, within

PERSON_PRONOUNS = frozenset({"he", "she"})
GROUP_PRONOUNS = frozenset({"it", "they"})
PRONOUN_OF = {"his": "he", "him": "he", "her": "she", "its": "it", "their": "they", "them": "they"}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_TITLES = TITLE_WORDS | EXTRA_TITLES
_WINDOW = 2500  # characters back in which a pronoun looks for its antecedent
# salience weights, checked on PolNeAR train with bench/quotes.py --splits train
WEIGHTS = {"distance": 0.5, "speech": 1.0, "subject": 0.5, "topic": 1.5, "gender": 1.0}


def is_title_only(span: Span) -> bool:
    """ "Foreign Minister", "The Prime Minister": a capitalised office with no name in it."""
    words = [t for t in span if t.is_alpha and t.lower_ not in {"the", "a", "an"}]
    return bool(words) and all(t.lower_ in _TITLES for t in words)


def fits(ent: Span, pronoun: str, ctx) -> bool:
    """Agreement: "he"/"she" a person of that gender (or unknown); "it" an organisation; "they" an
    organisation or a people. Places do not speak: on PolNeAR, "it" and "they" resolved to a town
    or a state were wrong far more often than right."""
    if pronoun in PERSON_PRONOUNS:
        if ent.label_ not in {"PERSON", UNKNOWN} or is_title_only(ent) or ent[-1].lower_ in PLACE_HEADS:
            return False
        gender = ctx.gender.get(referents.key(ent))
        want = "m" if pronoun == "he" else "f"
        if ent.label_ == UNKNOWN and gender is None:
            return len(ent) > 1  # "Ana Kovac" missed by the recogniser; not "Beehive" or "Chicago"
        return gender in (None, want)
    if ent.label_ == UNKNOWN:
        return True
    return ent.label_ in {"ORG", "NORP"} if pronoun == "they" else ent.label_ == "ORG"


def antecedent(pron: Token, ctx, previous,
                reported: tuple[tuple[int, int], ...]) -> Span | None:
    pos = pron.idx
    lower = PRONOUN_OF.get(pron.lower_, pron.lower_)
    near = tuple(r for r in reported if r[1] >= pos - _WINDOW)
    fitting = [e for e in ctx.names if e.end_char <= pos and pos - e.start_char <= _WINDOW and fits(e, lower, ctx)
               and not any(s <= e.start_char < t for s, t in near) and not within(e.start_char, ctx.skip)]
    if previous is not None and previous.how != "surface" and previous.end <= pos:
        anchor = max(previous.end, previous.local_end)
        surname = previous.text.split()[-1]
        others = [e for e in fitting if e.start_char >= anchor and e.text.split()[-1] != surname]
        prev_span = ctx.doc.char_span(previous.start, previous.end, alignment_mode="expand")
        if prev_span is not None and not others and _fits_text(prev_span, lower, ctx):
            return prev_span
    if not fitting:
        return None
    return _most_salient(fitting, pron, ctx)


def _most_salient(fitting: list[Span], pron: Token, ctx) -> Span:
    """The candidate a reader takes the pronoun for: recent, the subject of a sentence (most of all
    of a speech verb), and of the pronoun's gender as the article states it. Names a speech verb
    reports on ("Sand said having Novak back was a boost") are the speaker's topic and rank last.
    Weights are set on PolNeAR train (bench/quotes.py --splits train)."""
    here = bisect.bisect_right(ctx.sent_starts, pron.i)
    want = {"he": "m", "she": "f"}.get(PRONOUN_OF.get(pron.lower_, pron.lower_))
    best: tuple[float, int, Span] | None = None
    for e in fitting:
        dist = here - bisect.bisect_right(ctx.sent_starts, e.start)
        root = e.root.i
        w = WEIGHTS
        score = (-w["distance"] * dist + w["speech"] * (root in ctx.speech_subjects) + w["subject"] * _is_subject(e)
                 - w["topic"] * (root in ctx.topics)
                 + w["gender"] * (want is not None and ctx.gender.get(referents.key(e)) == want))
        if best is None or (score, e.start) >= best[:2]:
            best = (score, e.start, e)
    return best[2]


def _fits_text(span: Span, pronoun: str, ctx) -> bool:
    ent = ctx.by_token.get(span[-1].i)
    if ent is None:
        return pronoun in PERSON_PRONOUNS and span.root.pos_ == "PROPN"
    return fits(ent, pronoun, ctx)


def _is_subject(ent: Span) -> bool:
    tok = ent.root
    for _ in range(3):
        if tok.dep_ in _SUBJECT_DEPS:
            return True
        if tok.dep_ not in {"compound", "appos", "flat", "conj"}:
            return False
        tok = tok.head
    return False
