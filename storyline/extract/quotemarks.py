"""Pair quotation marks into quoted spans, the first step of quote extraction.

News text mixes typographic conventions (“ ” „ “ « » ‹ › ‘ ’ " '' ``) and is often sloppy: a
stray closing mark, an opening mark that is never closed, an apostrophe that looks exactly like a
closing single quote. Pairing is therefore done per paragraph with a small stack and with the
"flanking" test that Markdown uses for emphasis: a mark preceded by space and followed by text can
only open, one preceded by text and followed by space or punctuation can only close. Anything
left open at the end of a paragraph is dropped rather than allowed to swallow the next paragraph,
except for the newspaper convention for long quotes: a paragraph that leaves a quote open and a
next paragraph that starts with the same opening mark are one quotation. Such a quotation is
returned as one span running over the paragraphs (the paragraph break and the re-opening mark
are inside it), because it is one utterance with one speaker and one cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> marks that may close it
_CLOSERS: dict[str, str] = {
    "“": "”“",  # English; “ also closes when writers use it for both ends
    "„": "“”",  # German „…“, Polish „…”
    "«": "»",
    "»": "«",  # Danish/German »…«
    "‹": "›",
    "›": "‹",
    "‘": "’",
    '"': '"',
    "'": "'",
}
_SINGLE = "‘’'"
_CLOSE_ONLY = "”»›’"
_AFTER_CLOSE = set(".,;:!?)]}…—–-/") | set(_CLOSE_ONLY) | {'"', "'"}
_BEFORE_OPEN = set("([{—–-/") | set("“„«‹‘") | {'"', "'"}
_PARAGRAPH = re.compile(r"[^\n]+")
_MAX_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quotation: `start`/`end` delimit the words inside the marks (marks excluded)."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int  # offset of the closing mark
    paragraphs: int = 1  # > 1 for a quotation continued over several paragraphs


def _mark_at(text: str, i: int) -> tuple[str, int] | None:
    """The mark at `i` and its length; '' and `` (typewriter doubled quotes) count as one mark."""
    c = text[i]
    if c in "'`" and text.startswith(c * 2, i):
        return '"', 2
    if c in _CLOSERS or c in _CLOSE_ONLY:
        return c, 1
    return None


def _flanks(text: str, i: int, width: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(can open, can close) for a mark at text[i:i+width] inside the paragraph text[lo:hi]."""
    before = text[i - 1] if i > lo else " "
    after = text[i + width] if i + width < hi else " "
    can_open = (before.isspace() or before in _BEFORE_OPEN) and not after.isspace()
    can_close = (not before.isspace()) and (after.isspace() or after in _AFTER_CLOSE)
    return can_open, can_close


def _is_apostrophe(text: str, i: int, lo: int, hi: int) -> bool:
    """Russia’s, doesn't, rock 'n' roll: a single mark between letters is not a quotation mark."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return before.isalnum() and after.isalnum()


def _opens_with(text: str, lo: int, hi: int, opener: str) -> int | None:
    """Offset just after `opener` if the paragraph text[lo:hi] starts with it (continuation)."""
    j = lo
    while j < hi and text[j].isspace():
        j += 1
    if j < hi:
        found = _mark_at(text, j)
        if found and found[0] == opener:
            return j + found[1]
    return None


def quoted_spans(text: str) -> list[Quoted]:
    """Top-level quotations in `text`, in order; nested quotations stay inside their parent."""
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    spans: list[Quoted] = []
    carried: tuple[str, int, int] | None = None  # (opener, open offset, paragraphs so far)
    for n, (lo, hi) in enumerate(paragraphs):
        stack: list[tuple[str, int]] = []
        first = lo
        count = 1
        if carried is not None:
            opener, open_at, count = carried
            stack.append((opener, open_at))
            count += 1
            carried = None
            reopened = _opens_with(text, lo, hi, opener)
            first = reopened if reopened is not None else lo
        i = first
        while i < hi:
            found = _mark_at(text, i)
            if found is None:
                i += 1
                continue
            mark, width = found
            can_open, can_close = _flanks(text, i, width, lo, hi)
            single = mark in _SINGLE and width == 1
            if single and _is_apostrophe(text, i, lo, hi):
                i += width
                continue
            top = stack[-1][0] if stack else None
            closes = top is not None and mark in _CLOSERS[top] and (can_close or not can_open)
            if closes and top == "“" and mark == "“" and can_open and not can_close:
                closes = False  # a fresh “ after an unclosed one: the first was a stray
            if closes:
                opener, open_at = stack.pop()
                start = open_at + _width(text, open_at)
                if not stack and not (opener in _SINGLE and i - start < 2):  # rock 'n' roll
                    spans.append(Quoted(start, i, open_at, i, count))
                if not stack:
                    count = 1
            elif mark in _CLOSERS and (can_open or (not can_close and not single)):
                if stack and stack[-1][0] == mark and mark in "“„":
                    stack.pop()  # same opener again while open: the earlier one was never closed
                if len(stack) < _MAX_DEPTH:
                    stack.append((mark, i))
            i += width
        if stack:
            opener, open_at = stack[0]
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt is not None and _opens_with(text, nxt[0], nxt[1], opener) is not None:
                carried = (opener, open_at, count)
    return spans


def _width(text: str, i: int) -> int:
    """Width of the mark at `i` (2 for a doubled typewriter quote)."""
    found = _mark_at(text, i)
    return found[1] if found else 1
