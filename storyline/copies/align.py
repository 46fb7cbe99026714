"""Primitives behind copy detection: normalised bodies, shingles, anchors and alignments.

Words, sentences and stop-words come from `storyline.text`; candidate buckets live in
`copies.candidates`.

Copies survive in different disguises. A republished wire story keeps its words but not its
whitespace or quote marks, so comparison runs on a case-folded word stream. A spun or translated
copy keeps almost none of the words, but it keeps the *anchors*: names, numbers and dates, in the
same order. Anchors are therefore reduced to a form that survives translation: names are
case-folded, numbers keep only their significant digits ("40,000", "40.000" and "40 billion" all
become "4"), and month and weekday names in the major European languages map to one code.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from statistics import fmean
from typing import Iterable, Sequence

import numpy as np

from storyline.text import FUNCTION_WORDS, RUN, content_words, folded_words, sentence_spans

SHINGLE = 5

# a token as written: words, or numbers with their separators kept together ("40,000", "20.1")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
# Month and weekday names in en, es, it, nl, de, fr, pt: the same date written in two languages
# then yields the same anchor ("March 1" / "1 de marzo" / "1 marzo" -> m3, 1).
_MONTHS = (
    "january enero gennaio januari januar janvier janeiro jan|february febrero febbraio februari februar février "
    "fevereiro feb|march marzo maart märz mars março mar|april abril aprile avril apr|may mayo maggio mei mai maio|"
    "june junio giugno juni juin junho jun|july julio luglio juli juillet julho jul|august agosto augustus août aug|"
    "september septiembre settembre septembre setembro sep sept|october octubre ottobre oktober octobre outubro oct|"
    "november noviembre novembre novembro nov|december diciembre dicembre dezember décembre dezembro dec"
).split("|")
_WEEKDAYS = (
    "monday lunes lunedì lunedi maandag montag lundi segunda|tuesday martes martedì martedi dinsdag dienstag mardi "
    "terça|wednesday miércoles miercoles mercoledì mercoledi woensdag mittwoch mercredi quarta|thursday jueves "
    "giovedì giovedi donderdag donnerstag jeudi quinta|friday viernes venerdì venerdi vrijdag freitag vendredi sexta|"
    "saturday sábado sabado sabato zaterdag samstag samedi|sunday domingo domenica zondag sonntag dimanche"
).split("|")
_CALENDAR = {
    **{name: f"m{i + 1}" for i, names in enumerate(_MONTHS) for name in names.split()},
    **{name: f"d{i + 1}" for i, names in enumerate(_WEEKDAYS) for name in names.split()},
}
# English names ("march", "may") and abbreviations are also ordinary words; English capitalises
# its dates, so only their capitalised form counts. Other languages may write months in lower case.
_AMBIGUOUS_CALENDAR = {names.split()[0] for names in _MONTHS + _WEEKDAYS} | {
    "mar", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mai", "mars", "mei",
    "quarta", "quinta", "sexta", "segunda"}

def normalise(text: str) -> str:
    """The body with whitespace, quote marks, case and punctuation removed, for exact identity."""
    return " ".join(folded_words(text))


def stable_hash(value: str) -> int:
    """A 64-bit hash that is the same in every process (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def shingles(tokens: Sequence[str], size: int = SHINGLE) -> list[str]:
    """Overlapping word n-grams; a text shorter than `size` is one shingle."""
    if len(tokens) < size:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


def _number_anchor(token: str) -> str:
    digits = re.sub(r"\D", "", token).strip("0")
    return "#" + (digits or "0")


def sentence_anchors(text: str, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Anchors of each sentence, in order: names, numbers and dates in translation-proof form.

    A name is a capitalised token that is not the first word of its sentence and whose lower-case
    form does not occur in the text (which drops sentence-initial words that reappear as
    ordinary words). Lines in title case (headlines, menus, "Related Posts") give only numbers
    and dates: their capitals say nothing about names, and outlets rewrite them freely."""
    lowered = set(RUN.findall(text))
    result: list[list[str]] = []
    for start, end in spans:
        tokens = _TOKEN.findall(text, start, end)
        lettered = [t for t in tokens if not t[0].isdigit()]
        title_case = len(lettered) >= 4 and sum(t[0].isupper() for t in lettered) >= 0.6 * len(lettered)
        anchors: list[str] = []
        for position, token in enumerate(tokens):
            head = token[0]
            if head.isdigit():
                anchors.append(_number_anchor(token))
            elif head.isupper():
                folded = token.casefold()
                calendar = _CALENDAR.get(folded)
                if calendar:
                    anchors.append(calendar)
                elif position and not title_case and len(token) > 1 and token.lower() not in lowered:
                    anchors.append(folded)
            else:
                calendar = _CALENDAR.get(token)
                if calendar and token not in _AMBIGUOUS_CALENDAR:
                    anchors.append(calendar)
        result.append(anchors)
    return result


def remnants(tokens: Sequence[str], own: str, other: str) -> float:
    """Per-mille of tokens that are function words of `other` but not of `own`. A translation
    keeps bits of its source language (quoted titles, names of bodies), rarely the reverse."""
    foreign = FUNCTION_WORDS.get(other, frozenset()) - FUNCTION_WORDS.get(own, frozenset())
    return 1000.0 * sum(1 for t in tokens if t in foreign) / max(1, len(tokens))


def plainness(pairs: dict, texts: Iterable[str]) -> dict:
    """For pairs of word sets (the words each of two texts has and the other lacks): > 0 when
    the first set reads as the original's. Spinners swap plain words for rarer, longer synonyms,
    so the words that are commoner in `texts` (then shorter) belong to the original."""
    needed = set().union(*(x | y for x, y in pairs.values()))
    frequency: Counter = Counter()
    for text in texts:
        frequency.update(needed.intersection(folded_words(text)))
    scores = {}
    for key, (own, other) in ((k, v) for k, v in pairs.items() if v[0] and v[1]):
        common = fmean(math.log1p(frequency[w]) for w in own) - fmean(math.log1p(frequency[w]) for w in other)
        shorter = fmean(len(w) for w in other) - fmean(len(w) for w in own)
        if abs(common) > 0.05 or abs(shorter) > 0.3:
            scores[key] = common if abs(common) > 0.05 else shorter
    return scores


def lcs_length(a: Sequence, b: Sequence) -> int:
    """Length of the longest common subsequence, bit-parallel (Allison-Dix): O(len(a)*len(b)/64),
    fast enough to compare anchor sequences of thousands of items in pure Python."""
    if not a or not b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    masks: dict = {}
    for i, item in enumerate(a):
        masks[item] = masks.get(item, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full
    for item in b:
        matched = row & masks.get(item, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()


def monotone_alignment(similarity: np.ndarray, floor: float) -> list[tuple[int, int, float]]:
    """One-to-one, order-preserving sentence pairs maximising the summed similarity above `floor`.

    A copy keeps its original's sentence order; a different article on the same story shares
    similar sentences in a different order, so only in-order matches may count as evidence."""
    n, m = similarity.shape
    if n == 0 or m == 0:
        return []
    gain = np.where(similarity > floor, similarity - floor, -np.inf)
    score = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        prev = score[i - 1]
        best = np.maximum(prev[1:], prev[:-1] + gain[i - 1])
        score[i, 1:] = np.maximum.accumulate(np.maximum(best, 0.0))
    pairs: list[tuple[int, int, float]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if score[i, j] == score[i - 1, j]:
            i -= 1
        elif score[i, j] == score[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1, float(similarity[i - 1, j - 1])))
            i -= 1
            j -= 1
    pairs.reverse()
    return pairs


def set_similarity(left: Sequence[frozenset], right: Sequence[frozenset]) -> np.ndarray:
    """Dice coefficient between every pair of item sets (sentence words or sentence anchors)."""
    matrix = np.zeros((len(left), len(right)))
    for i, a in enumerate(left):
        if not a:
            continue
        for j, b in enumerate(right):
            if b:
                shared = len(a & b)
                if shared:
                    matrix[i, j] = 2.0 * shared / (len(a) + len(b))
    return matrix


@dataclass(slots=True)
class Detail:
    """A text re-read for exact comparison: built only for candidate pairs, never stored."""

    normal: str  # the normalised body
    words: int
    sequence: np.ndarray  # in-process hashes of the word shingles, in text order
    shingles: np.ndarray  # the same, sorted and unique
    sentences: list[str]
    content: list[frozenset]  # content words per sentence
    anchor_sets: list[frozenset]  # anchors per sentence
    vocabulary: frozenset
    quote_marks: frozenset  # the quotation marks the text uses


def detail(text: str) -> Detail:
    tokens = folded_words(text)
    spans = sentence_spans(text)
    sentences = [text[s:e] for s, e in spans]
    sequence = np.array([hash(s) for s in shingles(tokens)], dtype=np.int64)
    return Detail(
        normal=" ".join(tokens),
        words=len(tokens),
        sequence=sequence,
        shingles=np.unique(sequence),
        sentences=sentences,
        content=[frozenset(content_words(folded_words(s))) for s in sentences],
        anchor_sets=[frozenset(a) for a in sentence_anchors(text, spans)],
        vocabulary=frozenset(content_words(tokens)),
        quote_marks=frozenset(_QUOTE_MARKS.intersection(text)),
    )


def block_share(sequence: np.ndarray, shared: np.ndarray) -> float:
    """Share of a text's shared shingles that form its longest unbroken run: near 1 when the
    overlap is one passage lifted verbatim, low when it is scattered over an edited text."""
    hit = np.isin(sequence, shared)
    if not hit.any():
        return 0.0
    edges = np.flatnonzero(np.diff(np.r_[0, hit.astype(np.int8), 0]))
    return float((edges[1::2] - edges[::2]).max() / hit.sum())


def shared_sentences(a: Detail, b: Detail, minimum: int = 5) -> int:
    """How many sentences of at least `minimum` words the two texts have word for word."""
    def lines(d: Detail) -> set[str]:
        return {n for n in (normalise(s) for s in d.sentences) if n.count(" ") + 1 >= minimum}
    return len(lines(a) & lines(b))


_QUOTE_MARKS = frozenset("«»„‹›“”\"")
_FOREIGN_QUOTES = frozenset("«»„‹›")


def translation_traces(a: Detail, b: Detail, aligned: Sequence[tuple[int, int, float]]) -> bool:
    """Signs that one of two same-language texts aligned sentence by sentence is a machine
    translation (a foreign outlet's English edition) rather than a spun copy: one keeps another
    language's quotation marks («», „“) that the other does not use, or two names in aligned
    sentences are spelt differently (Tarassov for Tarasov; one variant alone may be a spelling
    habit, advisers/advisors). Spinners leave quotation marks and names alone."""
    if (a.quote_marks & _FOREIGN_QUOTES) != (b.quote_marks & _FOREIGN_QUOTES):
        return True
    respelled = set()
    for x, y, _ in aligned:
        left = {n for n in a.anchor_sets[x] - b.anchor_sets[y] if n.isalpha() and len(n) >= 5}
        right = {n for n in b.anchor_sets[y] - a.anchor_sets[x] if n.isalpha() and len(n) >= 5}
        respelled.update((p, q) for p in left for q in right if not (p.startswith(q) or q.startswith(p))
                         and difflib.SequenceMatcher(None, p, q).ratio() >= 0.8)
    return len(respelled) >= 2


def passage_pairs(a: Detail, b: Detail, aligned: Sequence[tuple[int, int, float]], limit: int, length: int,
                  edited_first: bool = False) -> list[tuple[str, str]]:
    """Aligned sentences as (a passage, b passage); with `edited_first`, pairs whose wording
    differs come first, since those show a reader what the copy changed."""
    pairs = [(a.sentences[x][:length], b.sentences[y][:length]) for x, y, _ in aligned]
    if edited_first:
        edited = [p for p in pairs if normalise(p[0]) != normalise(p[1])]
        pairs = edited + [p for p in pairs if normalise(p[0]) == normalise(p[1])]
    return pairs[:limit]


def edited_pairs(a: Detail, b: Detail, limit: int, length: int) -> list[tuple[str, str]]:
    """Evidence for a textual copy: sentences aligned by shared words, edited ones first."""
    aligned = monotone_alignment(set_similarity(a.content, b.content), 0.5)
    return passage_pairs(a, b, aligned, limit, length, edited_first=True)
