"""Boilerplate removal for plain text, from the text's own shape and the corpus's repetitions.

An article is a run of body paragraphs (full sentences the corpus does not repeat) framed by
edges: above it the outlet's masthead, the title, a dateline and byline; below it credits,
share bars, related links, comment forms and footers. Edges are cleared of everything that is
not a sentence; inside the body only repeated lines and inserted link headlines go. Every
decision is kept as a `Removed` with a reason a reader can check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Removed
from . import meta
from .lines import SENTENCE_WORDS, ends_sentence, is_fragment, is_sentence, normalise, split_units, stems, words
from .model import BoilerplateModel, document_lines

TOP_ZONE = 40
"""At most this many paragraphs before the body are treated as the top edge."""
BOTTOM_ZONE = 60
TITLE_MAX_WORDS = 30
COHESION = 0.34
"""Share of a headline's content words its body must echo for it to be the article's own."""
INSERT_COHESION = 0.25
"""Below this share of words shared with the paragraphs around it, a mid-text heading is
taken for an inserted link to another article."""
EDGE = "edge line without sentence punctuation"

_LABEL = re.compile(r"^([^\W\d_]{3,}(?: [^\W\d_]+){0,2})\s*:\s+(\S.*)$")


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None
    removed: list[Removed] = field(default_factory=list)


@dataclass
class _Meta:
    published: str | None = None
    author: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # kind of evidence -> outlet

    def take(self, found: meta.Found | None, kind: str) -> None:
        if found is None:
            return
        self.published = self.published or found.published
        self.author = self.author or found.author
        if found.source:
            self.sources.setdefault(kind, found.source)

    def source(self) -> str | None:
        for kind in ("copyright", "masthead", "credit", "dateline"):
            if kind in self.sources:
                return self.sources[kind]
        return None


def _source_kind(found: meta.Found) -> str:
    return {"copyright line": "copyright", "credit line": "credit"}.get(found.reason, "dateline")


def _repeat_reason(count: int) -> str:
    return f"repeated in {count} other document{'s' if count != 1 else ''}"


def _bodyish(unit: str) -> bool:
    return ends_sentence(unit) or len(words(unit)) >= 20


def _cohesion(unit: str, context: set[str]) -> float:
    own = stems(unit)
    return len(own & context) / len(own) if own else 1.0


def clean_text(content: str, model: BoilerplateModel | None = None, title: str | None = None,
               edges: bool = True) -> Cleaned:
    """Body text, title and edge metadata of one plain text.

    `title` is the title the container states, if any. `edges=False` is for text another
    extractor already trimmed (trafilatura's output): shape alone then removes nothing, only
    corpus evidence and metadata lines do, since on real pages trafilatura's own judgement of
    headings and captions beats ours (see bench/extraction.py).
    """
    units = split_units(content)
    info = document_lines(units)
    n = len(units)
    rep = [model.repeats(k, info.signature) if (model is not None and k) else 0 for k in info.keys]
    title_norm = normalise(title) if title else ""
    # a sentence quoting the whole title is a feed's "The post <title> appeared first on ..."
    quotes_title = len(title_norm.split()) >= 3
    anchors = [i for i in range(n) if rep[i] == 0 and (is_sentence(units[i]) or len(words(units[i])) >= 20)
               and not (quotes_title and title_norm in normalise(units[i]))]
    verdict: dict[int, str] = {}  # unit index -> reason for removal
    found = _Meta()
    first, last = (anchors[0], anchors[-1]) if anchors else (n, n - 1)
    top_end = min(first, TOP_ZONE)
    bottom_start = max(last + 1, n - BOTTOM_ZONE, top_end)

    def edge_repeat(i: int) -> bool:
        if rep[i] >= 1:
            verdict[i] = _repeat_reason(rep[i])
            head = meta.masthead(units[i])
            if head:
                found.sources.setdefault("masthead", head)
            return True
        return False

    def metadata(i: int) -> bool:
        hit = meta.scan(units[i])
        if hit is None:
            return False
        verdict[i] = hit.reason
        found.take(hit, _source_kind(hit))
        return True

    # --- the top edge: masthead, title, dateline, byline ---------------------------------------
    candidates: list[int] = []
    for i in range(top_end):
        if metadata(i):
            continue
        if rep[i] >= 1:  # a title is often repeated as a related link elsewhere: judged below
            verdict[i] = _repeat_reason(rep[i])
        candidates.append(i)
    title_at = None
    if title_norm:
        title_at = next((i for i in candidates if normalise(units[i]) == title_norm), None)
    elif candidates:
        title_at = _choose_title(units, candidates, anchors, bottom_start, repeated=set(verdict))
        if title_at is not None:
            title = units[title_at]
            title_norm = normalise(title)
    if title_at is not None:
        verdict[title_at] = "title (kept as the article's title)"
    for i in candidates:
        if i != title_at and i in verdict:
            edge_repeat(i)  # a repeated edge line: perhaps the outlet's masthead
    candidates = [i for i in candidates if i not in verdict]
    for i in candidates:
        if i == title_at or not edges:
            continue
        before_title = title_at is not None and i < title_at
        if (before_title and not is_sentence(units[i])) or (is_fragment(units[i]) and len(words(units[i])) < SENTENCE_WORDS):
            verdict[i] = EDGE

    # --- the wire dateline opening the first paragraph -------------------------------------
    lead_prefix = None
    if anchors and first < TOP_ZONE:
        lead = meta.lead_dateline(units[first])
        if lead:
            lead_prefix, hit = lead
            found.take(hit, "dateline")

    # --- the body: repeated lines and inserted link headlines ------------------------------
    for i in range(top_end, bottom_start):
        unit = units[i]
        if i in verdict:
            continue
        if rep[i] >= 1 and not ends_sentence(unit) or rep[i] >= 2 and len(words(unit)) >= 4:
            verdict[i] = _repeat_reason(rep[i])
            continue
        hit = meta.credit(unit) or meta.copyright_owner(unit)
        if hit:
            verdict[i] = hit.reason
            found.take(hit, _source_kind(hit))
            continue
        reason = _inserted(units, i, model, by_cohesion=edges)
        if reason:
            verdict[i] = reason

    # --- the bottom edge: credits, share bars, related links, comment forms, footers -------
    for i in range(bottom_start, n):
        if i in verdict or metadata(i) or edge_repeat(i):
            continue
        norm = normalise(units[i])
        if model is not None and norm != title_norm and _headline(model, units[i]):
            verdict[i] = "headline of another article in the corpus"
        elif title_norm and len(title_norm.split()) >= 3 and title_norm in norm and norm != title_norm:
            verdict[i] = "edge line repeating the title"
        elif edges and is_fragment(units[i]):
            verdict[i] = EDGE

    removed: list[Removed] = []
    kept: list[str] = []
    for i, unit in enumerate(units):
        if i in verdict:
            if not verdict[i].startswith("title"):
                removed.append(Removed(unit, verdict[i]))
            continue
        if i == first and lead_prefix:
            removed.append(Removed(lead_prefix.strip(), "dateline"))
            unit = unit[len(lead_prefix):]
        kept.append(unit)
    return Cleaned("\n\n".join(kept), title, found.published, found.source(), found.author, removed)


def _choose_title(units: list[str], candidates: list[int], anchors: list[int], bottom_start: int,
                  repeated: set[int]) -> int | None:
    """The first top line that reads like a headline of *this* body: short, and echoing the
    body's words; navigation ("Go to home page") echoes nothing and often recurs at the bottom."""
    body = set()
    for i in anchors[:30]:
        body |= stems(units[i])
    bottom = " \n ".join(normalise(units[i]) for i in range(bottom_start, len(units)))
    fallback = None
    plain = None  # no line echoes the body: take the headline-shaped line nearest to it
    for i in candidates:
        unit = units[i]
        count = len(words(unit))
        if not count or count > TITLE_MAX_WORDS or (is_sentence(unit) and unit.rstrip()[-1:] not in "?!"):
            continue
        if bottom and normalise(unit) in bottom:
            continue
        if not body and i not in repeated or body and _cohesion(unit, body) >= COHESION:
            return i
        if fallback is None and i not in repeated and _cohesion(unit, body) > 0:
            fallback = i
        if i not in repeated:
            plain = i
    return fallback if fallback is not None else plain


def _headline(model: BoilerplateModel, unit: str) -> bool:
    """Whether the line is, or is labelled as ("READ ALSO: ..."), another document's title."""
    if model.is_headline(normalise(unit)):
        return True
    match = _LABEL.match(unit)
    return bool(match and model.is_headline(normalise(match.group(2))))


def _inserted(units: list[str], i: int, model: BoilerplateModel | None, by_cohesion: bool = True) -> str | None:
    """A link headline dropped between two body paragraphs: a short heading-like line that the
    paragraphs around it neither lead into nor take up."""
    unit = units[i]
    count = len(words(unit))
    if ends_sentence(unit) or not 3 <= count <= 16:
        return None
    if i == 0 or i + 1 >= len(units) or not _bodyish(units[i - 1]) or not _bodyish(units[i + 1]):
        return None
    if model is not None and _headline(model, unit):
        return "inserted headline (title of another article in the corpus)"
    label = _LABEL.match(unit)
    if label and label.group(1).isupper():
        return "inserted link"
    if not by_cohesion:
        return None
    context = stems(units[i + 1])
    if i + 2 < len(units):
        context |= stems(units[i + 2])
    if _cohesion(unit, context) < INSERT_COHESION and _cohesion(unit, stems(units[i - 1]) | context) < INSERT_COHESION * 2:
        return "inserted headline"
    return None
