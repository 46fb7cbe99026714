"""Language-independent features of one line of text, shared by the model and the cleaner.

Boilerplate is recognised by shape (length, final punctuation, case) and by repetition, never
by what it says, so these features are deliberately crude and cheap: every line of every
document passes through them, and nothing here may be worse than linear in the line's length.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..text import WORD

MAX_LINE_CHARS = 20_000
"""Longer lines are judged on their first this-many characters: the features only need a sample."""

_DIGITS = re.compile(r"\d+")
_CLOSERS = "\"'”’»)]}›*"
_SENTENCE_END = ".!?…。！？؟।"
_STEM_LEN = 5

SENTENCE_WORDS = 8
"""A line that ends a sentence and has at least this many words reads as body text."""


def normalise(line: str) -> str:
    """The comparison key of a line: case, punctuation, spacing and digits do not matter.

    Digits are masked so that "Comments (4)" and "Comments (11)" are the same template.
    """
    sample = unicodedata.normalize("NFKC", line[:MAX_LINE_CHARS]).casefold()
    return " ".join(_DIGITS.sub("0", word) for word in WORD.findall(sample))


def key_of(norm: str) -> str:
    """A short stable hash of a normalised line: what the model stores instead of text."""
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def words(line: str) -> list[str]:
    return WORD.findall(line[:MAX_LINE_CHARS])


def ends_sentence(line: str) -> bool:
    """Whether the line closes a sentence, looking through closing quotes and brackets."""
    tail = line.rstrip()[-12:].rstrip(_CLOSERS + " ")
    return bool(tail) and tail[-1] in _SENTENCE_END


def is_sentence(line: str) -> bool:
    """A full sentence of body text: protected unless the corpus repeats it."""
    return ends_sentence(line) and len(words(line)) >= SENTENCE_WORDS


def is_fragment(line: str, max_words: int = 15) -> bool:
    """A short line that does not end a sentence: a heading, a menu item, a button label."""
    return not ends_sentence(line) and len(words(line)) <= max_words


def stems(text: str) -> set[str]:
    """Crude stems of the content words, for lexical cohesion: a prefix is enough to tie
    "India" to "Indian" or "guarantee" to "guarantees" in most European languages."""
    found = set()
    for word in WORD.findall(text[:MAX_LINE_CHARS]):
        if len(word) < 4 and not (word.isupper() and len(word) >= 2):
            continue
        found.add(word.casefold()[:_STEM_LEN])
    return found


def capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped text breaks at, or None when lines are whole paragraphs."""
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9) - 1]
    if not 40 <= width <= 100:
        return None
    long = [line for line in lines if line and len(line) >= 0.75 * width]
    if len(long) < 0.4 * len(lengths):
        return None
    open_ended = sum(1 for line in long if not ends_sentence(line))
    return width if open_ended >= 0.5 * len(long) else None


def split_units(content: str) -> list[str]:
    """The paragraphs of a plain text: its non-empty lines, or, for a hard-wrapped text, its
    wrapped lines joined back, so that every unit the cleaner judges is a whole paragraph."""
    lines = [" ".join(line.split()) for line in content.splitlines()]
    width = _wrap_width(lines)
    if width is None:
        return [line for line in lines if line]
    units: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                units.append(" ".join(current))
                current = []
            continue
        current.append(line)
        if len(line) < 0.7 * width:  # a short line ends its paragraph
            units.append(" ".join(current))
            current = []
    if current:
        units.append(" ".join(current))
    return units
