"""Where a quotation's attribution is: the cue word near it and the subject of that cue.

A quotation's speaker is named by a cue in a handful of places, tried in an order that follows
newspaper style: right after a comma-ended quotation ("“…,” Lee said", "“…,” said Lee, a
long-titled official,"), before a colon or comma ("Lee explained: “…”", "…, saying, “…”"), in
the next paragraph ("“…,”  / he asserted."), in the sentence before ("Lee disagreed. “…”"), as a
bare name and colon ("Lee: “…”") or a signature ("“…” ― Ann Lee"). A partial quotation is
governed by the speech verb whose clause contains it.

Functions here take the parsed `Doc`, a sorted list of token start offsets (`starts`) for
bisecting, and `marks`, the character ranges of all quotations (marks included), because words
inside a quotation are never its cue or its speaker.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from .lexicon import QUOTE_ONLY_LEMMAS, SPEECH_LEMMAS
from .quotemarks import Quoted
from .reported import reported_clause
from .speakers import same_line, subject_of, within

Marks = tuple[tuple[int, int], ...]  # character ranges of quotations, marks included
END_PUNCT = frozenset({".", "!", "?"})
DASHES = frozenset({"―", "—", "–", "-", "--"})
_NOUN_MODIFIER_DEPS = frozenset({"acl", "relcl", "amod", "compound"})
_NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART"})  # "Tulsa police Chief Chuck Jordan"
_AFTER_SCAN = 45  # "“…,” Ann Lee, director of a long-named institute, said"
_BEFORE_SCAN = 40


def marks_of(spans: list[Quoted]) -> Marks:
    return tuple((q.open_mark, q.close_mark + 1) for q in spans)


def _inside(t: Token, marks: Marks) -> bool:
    return within(t.idx, marks)


def before(doc: Doc, starts: list[int], q: Quoted, spans: list[Quoted]) -> list[Token]:
    """Tokens of the sentence before the opening mark, back to a sentence end or earlier quote."""
    floor = max((s.close_mark + 1 for s in spans if s.close_mark < q.open_mark), default=0)
    i = bisect.bisect_left(starts, q.open_mark) - 1
    out: list[Token] = []
    while i >= 0 and len(out) < _BEFORE_SCAN:
        t = doc[i]
        if t.idx < floor or "\n" in t.text or t.text in END_PUNCT:
            break
        if not t.is_space:
            out.append(t)
        i -= 1
    return out[::-1]


def after(doc: Doc, starts: list[int], q: Quoted, spans: list[Quoted]) -> list[Token]:
    """Tokens after the closing mark up to the sentence end, a paragraph break or the next quote."""
    ceiling = min((s.open_mark for s in spans if s.open_mark > q.close_mark), default=float("inf"))
    i = bisect.bisect_right(starts, q.close_mark)
    if i > 0 and doc[i - 1].idx == q.close_mark and signature_dash(doc[i - 1]):
        i -= 1  # "”―" read as one token: the mark and the dash of a signature
    out: list[Token] = []
    while i < len(doc) and len(out) < _AFTER_SCAN:
        t = doc[i]
        if t.idx >= ceiling or "\n" in t.text:
            break
        if t.text in END_PUNCT:
            break
        if not t.is_space and not t.is_quote:
            out.append(t)
        i += 1
    return out


def is_speech(t: Token, loose: bool = False) -> bool:
    """A verb that can attribute a quotation; `loose`: any verb will do (after a colon)."""
    if t.pos_ != "VERB":
        return False
    return t.lemma_ in SPEECH_LEMMAS or t.lemma_ in QUOTE_ONLY_LEMMAS or t.lemma_ == "quote" or loose or _puts_it(t)


def _puts_it(t: Token) -> bool:
    """ "as Lee put it, “…”": the idiom introduces a quotation as any speech verb does."""
    return t.lemma_ == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in t.children)


def after_cue(after: list[Token], trailing: bool, marks: Marks) -> Token | None:
    """The cue verb right after a quotation ("…,” Lee said", "…” said Lee", "…,” he was quoted")."""
    if len(after) >= 2 and signature_dash(after[0]) and after[1].pos_ == "PROPN":
        return after[0]  # a signature: “…” ― Ann Lee
    for k, t in enumerate(after[:_AFTER_SCAN]):
        if t.pos_ != "VERB" or t.text[:1].isupper() or t.dep_ in _NOUN_MODIFIER_DEPS:
            continue  # a mis-tagged name, or a verb inside the speaker's description
        if t.lemma_ in SPEECH_LEMMAS or t.lemma_ in QUOTE_ONLY_LEMMAS:
            if not trailing and reported_clause(t):
                return None  # “… .” Lee warned that …: a new sentence reporting something else
            named = trailing and all(x.pos_ in _NAME_POS or x.text[:1].isupper() for x in after[:k])
            return t if subject_of(t, marks) is not None or k <= 3 or named else None
        subject = subject_of(t, marks)
        if trailing and subject is not None and after[0].i <= subject.i < t.i and k <= 4:
            return t  # “…,” Lee fumed: any verb after a comma-ended quotation is its cue
        if trailing and subject is None and all(x.pos_ in _NAME_POS or x.text[:1].isupper() for x in after[:k]):
            continue  # "“…,” harbour police Chief Lee said": a noun the tagger took for a verb
        return None
    return None


def signature_dash(t: Token) -> bool:
    return t.text.lstrip("”’\"»") in DASHES


def before_cue(before: list[Token]) -> Token | None:
    """The speech verb that introduces a quotation ("Lee said:", "Lee added, saying that")."""
    if not before:
        return None
    colon = before[-1].text == ":"
    for t in reversed(before):
        if is_speech(t, loose=colon):
            return t
        if t.pos_ == "VERB" and not colon and t.dep_ not in {"xcomp", "advcl", "prep"}:
            return None
    return None


def name_colon(before: list[Token]) -> Token | None:
    """ "Lee: “…”" (interviews, debates, vox pops): a bare name and a colon introduce the quote."""
    if len(before) < 2 or before[-1].text != ":" or len(before) > 5:
        return None
    words = before[:-1]
    if not all(t.text[:1].isupper() for t in words):
        return None
    name = words[-1]
    known = name.pos_ == "PROPN" or any(
        e.label_ in {"PERSON", "ORG"} and name.text in e.text.split() for e in name.doc.ents)
    return before[-1] if known else None


def previous_sentence_cue(doc: Doc, starts: list[int], q: Quoted, marks: Marks) -> Token | None:
    """ "Lee disagreed. “…”": a speech verb that reports nothing itself announces the quote, in
    its paragraph or at the end of the paragraph before (a new speaker, not the previous one)."""
    i = bisect.bisect_left(starts, q.open_mark) - 1
    while i >= 0 and doc[i].is_space and "\n" not in doc[i].text:
        i -= 1
    if i > 0 and "\n" in doc[i].text and doc[i].is_space and doc[i - 1].text == ":":
        return _colon_paragraph_cue(doc, i - 1, marks)  # "Lee continued:" / “…”
    if i > 0 and "\n" in doc[i].text and doc[i].is_space and doc[i - 1].text in END_PUNCT:
        i -= 1  # "Novak disagreed." closing the paragraph before: a new speaker for the quotation
    if i < 0 or doc[i].text not in END_PUNCT:
        return None
    sentence: list[Token] = []
    i -= 1
    while i >= 0 and len(sentence) < 15:
        t = doc[i]
        if "\n" in t.text or t.text in END_PUNCT or t.is_quote or _inside(t, marks):
            break
        sentence.append(t)
        i -= 1
    for t in sentence:
        if is_speech(t) and subject_of(t, marks) is not None and not reported_clause(t):
            return t
    return None


def _colon_paragraph_cue(doc: Doc, colon: int, marks: Marks) -> Token | None:
    """ "Lee continued:", "The Times reports:", "Lee made the following comment:" ending the
    paragraph before a quotation: its verb, with a subject, announces the quotation."""
    line: list[Token] = []
    i = colon - 1
    while i >= 0 and "\n" not in doc[i].text and not _inside(doc[i], marks):
        line.append(doc[i])
        i -= 1
    if not line or len(line) > 25 or any(t.text in END_PUNCT for t in line):
        return None  # a whole paragraph of prose before the colon is not an introduction
    for t in line:
        if is_speech(t, loose=True) and subject_of(t, marks) is not None:
            return t
    return None


def next_paragraph_cue(doc: Doc, starts: list[int], q: Quoted, marks: Marks) -> Token | None:
    """ "…We cannot accept this,”  <new paragraph>  he asserted." """
    i = bisect.bisect_right(starts, q.close_mark)
    seen = 0
    while i < len(doc) and seen < 5:
        t = doc[i]
        i += 1
        if t.is_space or t.is_quote:
            continue
        seen += 1
        if t.pos_ == "VERB":
            subject = subject_of(t, marks)
            return t if subject is not None and subject.i < t.i else None
        if t.text in END_PUNCT:
            return None
    return None


def governor(inner: list[Token], marks: Marks) -> Token | None:
    """The speech verb (or "according") whose clause contains the quoted words `inner`."""
    ids = {t.i for t in inner}
    root = next((t for t in inner if t.head.i not in ids or t.head.i == t.i), None)
    if root is None:
        return None
    for anc in root.ancestors:
        if _inside(anc, marks):
            continue
        if is_speech(anc) and anc.lemma_ not in QUOTE_ONLY_LEMMAS:
            return anc
        acc = next((c for c in anc.children if c.lower_ == "according"), None)
        if acc is not None:
            return acc
    return None


def cue_text(t: Token) -> str:
    """The cue as a reader would quote it: "pointed out", "quoted as saying", "according to"."""
    if t.lower_ == "according":
        return "according to"
    if t.text == ":":
        return ":"
    if signature_dash(t):
        return t.text.lstrip("”’\"»")
    parts = [t] + [c for c in t.children if c.dep_ == "prt"]
    doc = t.doc
    if t.lemma_ == "quote" and t.i + 2 < len(doc) and doc[t.i + 1].lower_ == "as":
        parts += [doc[t.i + 1], doc[t.i + 2]]
    return " ".join(p.text for p in sorted(parts, key=lambda p: p.i))


def cue_subject(t: Token, marks: Marks, quotation: bool) -> Token | None:
    """The subject of cue `t`; after a quotation, the words beside the verb if the parse has none."""
    if t.text == ":":
        return t.doc[t.i - 1]
    if signature_dash(t):
        k = t.i + 1
        while k + 1 < len(t.doc) and t.doc[k + 1].pos_ == "PROPN" and "\n" not in t.doc[k + 1].text:
            k += 1
        return t.doc[k]
    if t.lower_ == "according":
        to = next((c for c in t.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    subject = subject_of(t, marks) or (_nearby_subject(t, marks) if quotation else None)
    if subject is not None and subject.lower_ in {"it", "there"} and subject.dep_ == "nsubjpass":
        return None
    return subject


def _nearby_subject(verb: Token, marks: Marks) -> Token | None:
    """When the parse gives the cue no subject: "…,” Ann Lee said" or "…,” said the mayor"."""
    doc = verb.doc

    def usable(t: Token) -> bool:
        return t.pos_ in {"PROPN", "PRON", "NOUN"} and not _inside(t, marks) and same_line(t, verb)

    k = verb.i - 1
    while k >= max(0, verb.i - 4) and (doc[k].pos_ in {"AUX", "ADV", "PART"} or doc[k].is_space):
        k -= 1
    if k >= 0 and usable(doc[k]):
        return doc[k]
    if k >= 0 and doc[k].text == ",":
        named = _before_apposition(doc, k)
        if named is not None and usable(named):
            return named  # "…,” Lee, a senior adviser, said": the name before the description
    k = verb.i + 1
    if k < len(doc) and doc[k].pos_ == "DET":
        k += 1
    while k + 1 < len(doc) and doc[k + 1].pos_ == "PROPN" and doc[k].pos_ == "PROPN":
        k += 1
    if k < len(doc) and doc[k].ent_type_ in {"DATE", "TIME"}:
        return None  # "said Thursday": when, not who
    return doc[k] if k < len(doc) and usable(doc[k]) and doc[k].lower_ not in {"it", "this", "that"} else None


def _before_apposition(doc: Doc, comma: int) -> Token | None:
    """The proper noun before ", <a description without a verb>," that ends at `comma`."""
    for j in range(comma - 1, max(-1, comma - 12), -1):
        t = doc[j]
        if t.pos_ in {"VERB", "AUX"} or "\n" in t.text or t.is_quote:
            return None
        if t.text == ",":
            return doc[j - 1] if j > 0 and doc[j - 1].pos_ == "PROPN" else None
    return None
