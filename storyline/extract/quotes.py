"""Quotes with their speakers: direct, partial and indirect (reported) speech.

Three kinds come out, matching the JSON export:

* direct: a quotation that stands as its own clause ("“…,” Lee said", "Lee said: “…”"). A
  quotation that runs over several paragraphs is ONE quote spanning them (see `quotemarks`), and
  a quotation split around its speech verb ("“…,” Lee writes, “…”") is two quotes with the same
  speaker and cue. Where the speaker is named is the business of `cues`. With no cue of its own,
  a direct quote carries on the speaker of the previous attribution in its paragraph, or of the
  one that ended the previous paragraph when the quote opens a paragraph; failing both, a quote
  right before a quote with a speaker ("“A.” “B,” Lee said.") shares it. Otherwise its speaker
  is None: a quotation is still a quotation when nobody is named.
* partial: quoted words inside the reporter's own sentence ("called the plan “reckless”"). The
  quote text is the quoted words only; the reported clause around them also comes out as an
  indirect quote with the same speaker and cue.
* indirect: the clause a speech verb reports ("Lee said (that) …", "according to Lee, …").

Partial and indirect quotes are kept only with a speaker: reported speech from nobody in
particular ("it is said that…") is not something a reader can weigh.

Quotation marks that name or label are not quotes, whatever governs them: words modifying a noun
outside the marks (the “Falcon” drones, the “open door” policy), words after "so-called",
"dubbed" or "the term", and short title-case phrases (a film, a ship). Other quoted words inside
a sentence are a partial quote only when a speech verb with a speaker governs them; otherwise
they are scare quotes and dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..invariants import within
from ..records import Article, Quote
from . import cues
from .lexicon import SPEECH_LEMMAS
from .quotemarks import Quoted, quoted_spans
from .reported import according_to, holding, reported_clause
from .speakers import Context, Speaker, build_context, resolve
from .statements import Found, merge

_LABEL_BEFORE = re.compile(
    r"(?:so-called|so called|dubbed|titled|entitled|named|nicknamed|known as|brand(?:ed)?|"
    r"the (?:word|words|term|phrase|slogan|hashtag|motto|label|name))\s*$", re.I)
_LABEL_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nn"})
_STOP = frozenset("a an the of and or for to in on at by with from as is are not no".split())
_INTRO_PUNCT = frozenset({":", ",", "—", "–", "-", "…", "..."})
_COMMA_OUTSIDE = "„»«‚"  # opening marks of the languages that put the comma after the closing one
_TRAILING = ",?!—–-…"  # a quotation ending so is continued by its attribution
_NEXT_SENTENCE = re.compile(r"[.!?][\"”’»)]*\s+\S")
_DIRECT_COVER = 0.9  # an indirect clause that is mostly one direct quote adds nothing to it


def extract_quotes(article: Article, doc: Doc) -> list[Quote]:
    """Quotes of one article, in text order; ids are f"{article.id}-q{n}" counting from 1."""
    quotes = []
    text = article.text
    for n, f in enumerate(find_attributions(text, doc), 1):
        sp = f.speaker
        parts = list(f.parts) if len(f.parts) > 1 else []
        quotes.append(Quote(
            id=f"{article.id}-q{n}", article_id=article.id, kind=f.kind, start=f.start, end=f.end,
            text=" ".join(text[s:e] for s, e in f.parts) if parts else text[f.start:f.end],
            speaker=sp.text if sp else None, cue=f.cue, speaker_start=sp.start if sp else None,
            speaker_end=sp.end if sp else None, parts=parts, marked=list(f.marked),
            speaker_how=sp.how if sp else None))
    return within(text, quotes)


def find_attributions(text: str, doc: Doc) -> list[Found]:
    """All statements with cue token, speaker (resolved and local) and attribution group."""
    spans = quoted_spans(text)
    starts = doc.to_array(IDX).tolist() if len(doc) else []  # token offsets, for bisecting
    marks = cues.marks_of(spans)
    ctx = build_context(doc, list(marks))
    found: list[Found] = []
    for q in spans:
        f = _classify(q, spans, marks, doc, starts, text)
        if f is not None:
            found.append(f)
    found.extend(_indirect(doc, ctx, found, text))
    found.sort(key=lambda f: (f.start, f.end))
    return merge(_resolve_all(found, ctx, text))


def _tokens(doc: Doc, starts: list[int], start: int, end: int) -> list[Token]:
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return [t for t in doc[lo:hi] if not t.is_space]


def _is_title(words: list[Token]) -> bool:
    content = [t for t in words if t.is_alpha and t.lower_ not in _STOP]
    return all(t.text[0].isupper() for t in content)


def _is_label(inner: list[Token], words: list[Token], text: str, q: Quoted) -> bool:
    """Quotation marks that name or label something rather than report speech."""
    if _LABEL_BEFORE.search(text[max(0, q.open_mark - 30):q.open_mark]):
        return True
    if len(words) > 6:
        return False
    ids = {t.i for t in inner}
    roots = [t for t in inner if t.head.i not in ids or t.head.i == t.i]
    if roots and all(r.dep_ in _LABEL_DEPS and r.head.i not in ids and r.head.pos_ in {"NOUN", "PROPN"}
                     for r in roots):
        return True
    return False


def _is_name(words: list[Token]) -> bool:
    """ "“Northern Star”", "“13th”": a short title-case or wordless phrase names something."""
    return len(words) <= 4 and _is_title(words) and not any(t.pos_ in {"VERB", "AUX"} for t in words)


def _ends_with(text: str, q: Quoted, chars: str) -> bool:
    inner = text[q.start:q.end].rstrip()
    return bool(inner) and inner[-1] in chars


def _comma_outside(text: str, q: Quoted) -> bool:
    """ „…“, sagte Lee / «…», dijo Lee: where these marks are used the comma follows the closing
    mark and does what a comma inside an English quotation does."""
    return text[q.open_mark] in _COMMA_OUTSIDE and text[q.close_mark + 1 : q.close_mark + 2] == ","


def _classify(q: Quoted, spans: list[Quoted], marks: cues.Marks, doc: Doc, starts: list[int],
              text: str) -> Found | None:
    inner = _tokens(doc, starts, q.start, q.end)
    words = [t for t in inner if not t.is_punct]
    if not words:
        return None
    before = cues.before(doc, starts, q, spans)
    after = cues.after(doc, starts, q, spans)
    if _is_label(inner, words, text, q):
        return None
    trailing = _ends_with(text, q, _TRAILING) or _comma_outside(text, q)
    first_alpha = next((c for c in text[q.start:q.end] if c.isalpha()), "")
    last = before[-1] if before else None
    opens = (last is None or last.text in _INTRO_PUNCT
             or (last.lower_ == "that" and first_alpha.isupper())
             or (cues.is_speech(last) and first_alpha.isupper()))
    closes = not after or trailing or _ends_with(text, q, ".!?…")
    if opens and len(words) <= 3 and not closes:
        opens = False  # a short phrase the sentence carries on past is not a quotation of its own
    if opens and closes:
        cue = None
        if last is not None and last.text in {":", ","} and not trailing:
            cue = cues.before_cue(before)  # "Lee explained: “… .”" whatever the next sentence says
        cue = cue or cues.after_cue(after, trailing, marks)
        if cue is None and not after and trailing:
            cue = cues.next_paragraph_cue(doc, starts, q, marks)
        if cue is None and last is not None:
            cue = cues.before_cue(before) or cues.name_colon(before)
        if cue is None and last is None:
            cue = cues.previous_sentence_cue(doc, starts, q, marks)
        if cue is None and (len(words) < 3 or _is_name(words)):
            return None  # "“Yes.”", a title at the end of a sentence: too little to carry a speaker
        return Found(q.start, q.end, "direct", None, cue.i if cue is not None else None, None, -1)
    if _is_name(words):
        return None  # “Northern Star”, “Shark Tank”: a title even when someone mentions it
    cue = cues.after_cue(after, trailing, marks) if trailing else None
    if cue is None:
        cue = cues.governor(inner, marks)
    if cue is None:
        return None  # quoted words nobody is said to have said: scare quotes, titles, slogans
    return Found(q.start, q.end, "partial", None, cue.i if cue is not None else None, None, -1)


def _indirect(doc: Doc, ctx: Context, quotes: list[Found], text: str) -> list[Found]:
    """Reported clauses of speech verbs and "according to" outside quotation marks.

    A report inside a report ("Lee said Kim denied it") keeps only the outer one: the inner
    claim rests on Lee's word, and "Lee demanded that Kim declare…" reports no declaration.
    """
    direct = sorted((f.start, f.end) for f in quotes if f.kind == "direct")
    quoting = {f.cue_i for f in quotes if f.kind == "direct" and f.cue_i is not None}
    partial: dict[int, list[int]] = {}
    for f in quotes:
        if f.kind == "partial" and f.cue_i is not None:
            partial.setdefault(f.cue_i, []).append(f.start)
    out: list[Found] = []
    for i in ctx.verbs:
        t = doc[i]
        if ctx.inside(t.idx) or _embedded_speech(t):
            continue
        if t.lower_ == "according":
            spans = according_to(t)
        elif t.pos_ == "VERB" and t.lemma_ in SPEECH_LEMMAS:
            spans = reported_clause(t) or [s for s in {holding(t, p) for p in partial.get(t.i, ())} if s]
        else:
            continue
        total = sum(end - start for start, end in spans)
        covered = sum(_overlap(start, end, direct) for start, end in spans)
        if not spans or covered >= _DIRECT_COVER * total or (t.i in quoting and _only_speaker_beside(
                spans, direct, t.idx, text)):
            continue  # what the verb reports is the quotation it introduces, and words naming the speaker
        out.extend(Found(start, end, "indirect", None, t.i, None, -1) for start, end in spans)
    cues_at = {f.cue_i: doc[f.cue_i].idx for f in out}
    return [f for f in out if not any(o.start <= cues_at[f.cue_i] < o.end for o in out if o.cue_i != f.cue_i)]


def _only_speaker_beside(spans: list[tuple[int, int]], direct: list[tuple[int, int]], cue: int, text: str) -> bool:
    """The parse ran a quotation's clause into the words between it and its cue ("“…,” harbour
    police Chief Lee said"): what the verb reports beyond the quotation lies right after a
    quotation and before the cue."""
    for start, end in spans:
        if end > cue:
            return False
        before = [e for _, e in direct if e <= start + 1 or (e <= end and e > start)]
        if not before or any(c.isalnum() for c in text[max(before):start]):
            return False
    return True


def _overlap(start: int, end: int, ranges: list[tuple[int, int]]) -> int:
    """Characters of [start, end) inside the sorted, disjoint `ranges`."""
    k = max(0, bisect.bisect_right(ranges, (start, start)) - 1)
    total = 0
    while k < len(ranges) and ranges[k][0] < end:
        total += max(0, min(end, ranges[k][1]) - max(start, ranges[k][0]))
        k += 1
    return total


def _embedded_speech(t: Token) -> bool:
    """ "asked them to explain how…": a speech act requested by another is not reported speech."""
    return t.dep_ == "xcomp" and t.head.pos_ == "VERB" and t.head.lemma_ in SPEECH_LEMMAS


def _adopt_enclosing(found: list[Found]) -> list[Found]:
    """A partial quote inside a reported clause belongs to that clause's speech verb."""
    clauses = [f for f in found if f.kind == "indirect"]
    out = []
    for f in found:
        if f.kind == "partial":
            around = [c for c in clauses if c.start <= f.start and f.end <= c.end]
            if around:
                f = replace(f, cue_i=min(around, key=lambda c: c.end - c.start).cue_i)
        out.append(f)
    return out


def _resolve_all(found: list[Found], ctx: Context, text: str) -> list[Found]:
    """Speakers in text order, so that pronouns and carried-on quotes can look back."""
    doc = ctx.doc
    out: list[Found] = []
    groups: dict[object, int] = {}
    speakers: dict[int, Speaker | None] = {}  # per cue token: the parts of a split quote agree
    previous: Speaker | None = None
    for f in _adopt_enclosing(found):
        if f.cue_i is not None:
            cue = doc[f.cue_i]
            if f.cue_i not in speakers:
                subject = cues.cue_subject(cue, ctx.quoted, f.kind != "indirect")
                reported = tuple((e.start, e.end) for e in out)
                speakers[f.cue_i] = resolve(subject, ctx, previous, reported) if subject is not None else None
            f = replace(f, cue=cues.cue_text(cue), speaker=speakers[f.cue_i],
                        group=groups.setdefault(f.cue_i, len(groups)))
        elif f.kind == "direct" and (source := _carried_from(f, out, text)) is not None:
            f = replace(f, speaker=source.speaker, group=source.group)
        else:
            f = replace(f, group=groups.setdefault(("quote", f.start), len(groups)))
        if f.speaker is None and f.kind != "direct":
            continue  # reported speech is only worth keeping with someone who reported it
        previous = f.speaker or previous
        out.append(f)
    return _carry_back(out, text)


def _carry_back(found: list[Found], text: str) -> list[Found]:
    """ "“A.” “B,” Lee said.": a cue-less quote right before a quote with a speaker shares it."""
    out = list(found)
    for n in range(len(out) - 2, -1, -1):
        f, nxt = out[n], out[n + 1]
        if f.kind == "direct" and f.speaker is None and nxt.kind == "direct" and nxt.speaker is not None:
            gap = text[f.end:nxt.start]
            if "\n" not in gap and not any(c.isalnum() for c in gap):
                out[n] = replace(f, speaker=nxt.speaker, group=nxt.group)
    return out


def _carried_from(f: Found, earlier: list[Found], text: str) -> Found | None:
    """The earlier quote whose speaker carries on to a quote with no cue of its own."""
    with_speaker = [e for e in earlier if e.speaker is not None and e.end <= f.start]
    if not with_speaker:
        return None
    last = with_speaker[-1]
    gap = text[last.end:f.start]
    if "\n" not in gap:
        return last
    lines = gap.split("\n")
    between = [line for line in lines[1:-1] if line.strip()]
    if between or lines[-1].strip(" \t“\"«„‘»'"):
        return None  # a paragraph in between, or the quote does not open its paragraph
    if last.kind == "direct" or not _NEXT_SENTENCE.search(lines[0]):
        return last  # the previous paragraph ended on this speaker's words
    return None
