"""The reported clause of indirect speech, read off the dependency parse.

"Lee said (that) X" reports X, the verb's clausal complement. Some verbs report through their
object instead ("Lee denied the allegations", "accused Kim of lying", "called for a ceasefire"),
so for those the complements after the verb are the content. "X, as Lee said" reports the clause
the as-clause hangs on, and "according to Lee, X" reports the clause that "according" modifies.
Spans are trimmed of the complementiser and punctuation at the edges so they read as the claim.
"""

from __future__ import annotations

from spacy.tokens import Token

from .lexicon import OBJECT_CONTENT

NAMING = frozenset({"call", "label", "brand", "term"})
_OBJECT_DEPS = frozenset({"dobj", "xcomp", "prep", "oprd", "ccomp", "attr", "dative"})
_CONTENT_PREPS = frozenset({"of", "for", "about", "on", "against", "over", "that", "as"})
_GLOSS_DEPS = frozenset({"appos", "relcl"})
# complements that hold quoted words as part of what was said; a plain object ("repeated her
# criticism of the alliance, whose ships came “very close”") is the verb's topic, not its report
_HOLDING_DEPS = frozenset({"prep", "xcomp", "ccomp", "oprd", "advcl", "acomp", "attr", "dative"})
_EDGE_WORDS = frozenset({"that", "whether", "if"})
_MIN_TOKENS = 2


def _quotes_in(doc, lo: int, hi: int) -> int:
    return sum(1 for t in doc[lo:hi + 1] if t.is_quote)


def _trim(tokens: list[Token], anchor: Token) -> tuple[int, int] | None:
    """Character span of `tokens` (contiguous by index) on the line of `anchor`, without edge
    punctuation or "that"."""
    if not tokens:
        return None
    doc = tokens[0].doc
    lo, hi = min(t.i for t in tokens), max(t.i for t in tokens)
    for k in range(lo, hi + 1):
        if doc[k].text == ";" and k > anchor.i and k > lo:
            hi = min(hi, k - 1)  # a second independent clause is the writer's, not the report
            break
        if "\n" in doc[k].text:
            if k < anchor.i:
                lo = k + 1
            else:
                hi = min(hi, k - 1)
                break
    while lo <= hi and (doc[lo].is_punct or doc[lo].is_space or
                        (doc[lo].lower_ in _EDGE_WORDS and doc[lo].dep_ == "mark")):
        if doc[lo].is_quote and _quotes_in(doc, lo + 1, hi) % 2:
            break  # keep an opening mark whose closing mark is inside
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].is_space):
        if doc[hi].is_quote and _quotes_in(doc, lo, hi - 1) % 2:
            break  # keep the closing mark of a quotation that opens inside
        hi -= 1
    words = [t for t in doc[lo:hi + 1] if not t.is_punct and not t.is_space]
    if len(words) < _MIN_TOKENS or all(t.pos_ in {"PRON", "DET"} for t in words):
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _without_gloss(tokens: list[Token]) -> list[Token]:
    """Drop a trailing ", the presumed favourite" or ", which forced her to leave": the writer's
    gloss on a name in the reported clause, not part of what was reported."""
    if not tokens:
        return tokens
    doc = tokens[0].doc
    last = max(t.i for t in tokens)
    for t in sorted(tokens, key=lambda t: t.i):
        if t.dep_ in _GLOSS_DEPS and t.i > 0 and doc[t.left_edge.i - 1].text == "," \
                and t.right_edge.i >= last - 1 and t.head.pos_ in {"PROPN", "NOUN"}:
            cut = t.left_edge.i - 1
            return [x for x in tokens if x.i < cut]
    return tokens


def _runs(tokens: list[Token], anchor: Token) -> list[tuple[int, int]]:
    """Trimmed character spans of the contiguous runs in `tokens` (a clause with a hole in it)."""
    ids = sorted(t.i for t in tokens)
    doc = anchor.doc
    runs: list[list[Token]] = []
    for i in ids:
        if runs and runs[-1][-1].i == i - 1:
            runs[-1].append(doc[i])
        else:
            runs.append([doc[i]])
    return [span for run in runs if (span := _trim(run, anchor)) is not None]


def reported_clause(verb: Token) -> list[tuple[int, int]]:
    """Character spans of what the speech verb `verb` reports (two when "X, Lee said, Y")."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if comps:
        clause = min(comps, key=lambda c: abs(c.i - verb.i))
        span = _trim(_without_gloss(list(clause.subtree)), verb)
        return [span] if span else []
    own = {t.i for t in verb.subtree}
    if verb.dep_ == "parataxis":
        top = verb.head
        while top.head.i != top.i and top.dep_ != "ccomp":
            top = top.head
        return _runs([t for t in top.subtree if t.i not in own], verb)
    if verb.dep_ == "advcl" and any(c.lower_ == "as" and c.dep_ == "mark" for c in verb.children):
        return _runs([t for t in verb.head.subtree if t.i not in own], verb)
    if verb.lemma_ not in OBJECT_CONTENT:
        return []
    parts = [c for c in verb.children if c.i > verb.i and c.dep_ in _OBJECT_DEPS
             and (c.dep_ != "prep" or c.lower_ in _CONTENT_PREPS)]
    if not parts or any(c.dep_ == "prt" and c.lower_ in {"off", "up", "in"} for c in verb.children):
        return []
    if verb.lemma_ in NAMING and not any(p.dep_ in {"oprd", "xcomp", "ccomp"} for p in parts) and not (
            parts[0].lower_ in {"for", "on"} and parts[0].i == verb.i + 1):
        return []  # "called a meeting", "called him for help": calling, not saying
    doc = verb.doc
    lo = min(p.left_edge.i for p in parts)
    hi = max(p.right_edge.i for p in parts)
    span = _trim(list(doc[lo:hi + 1]), verb)
    return [span] if span else []


def holding(verb: Token, start: int) -> tuple[int, int] | None:
    """The complement of `verb` that holds the quoted words at character `start`: "commented on
    the “shameful state” of the harbour" reports "on the “shameful state” of the harbour", not
    the two quoted words alone. None when no such complement holds them."""
    for c in verb.children:
        if c.dep_ not in _HOLDING_DEPS:
            continue
        if c.left_edge.idx <= start < c.right_edge.idx + len(c.right_edge.text):
            return _trim(list(c.subtree), verb)
    return None


def according_to(word: Token) -> list[tuple[int, int]]:
    """The clause an "according to X" phrase attributes to X (the longer side of it)."""
    if not any(c.lower_ == "to" for c in word.children) or word.head.i == word.i:
        return []
    own = {t.i for t in word.subtree}
    rest = [t for t in word.head.subtree if t.i not in own]
    left = [t for t in rest if t.i < word.i]
    right = [t for t in rest if t.i > word.i]
    span = _trim(right if len(right) >= len(left) else left, word)
    return [span] if span else []
