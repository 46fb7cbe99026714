"""Figures: the numbers an article reports, with what they count and on whose authority.

Numbers are found on the text with patterns, not taken from spaCy's CARDINAL/MONEY entities:
the small model splits "between 100,000 and 120,000" in two and tags "EUR" as an organisation,
while the patterns see exactly the characters that make the quantity. The parse then answers
what the patterns cannot: which noun is counted, which reporting verb (or "according to")
governs the clause, and whether "2010" counts people or names a year.

What is deliberately not a figure: dates, years and times of day (the date extractor owns
them), labels ("page 3", "Article 5", "G7", "COVID-19", "Boeing 737"), phone and version
numbers, "one" as a pronoun ("one of the main topics"), and a number fused into an adjective
that names a kind of thing ("a four-page letter", "a three-way alliance"), whereas
measurements fused the same way ("a two-day strike") are kept with their unit.

What is counted is the noun the number modifies, or the noun after "of" ("hundreds of people"),
or the noun behind "the number of ... at" / "the death toll rose to". Attribution, first found
wins: the agent of a reporting participle on the figure ("the 2,300 claimed by the union"), the
subject of the nearest reporting or stance verb up the tree ("the agency estimates", "..., police
said", "puts the number at", "the union is seeking"), then "according to X" in the sentence.
Sources read as named: without "the", a surname as the full name given earlier, an acronym as
its spelled-out form, "he"/"she" as the last person named; a pronoun or a bare "a first
estimate" names nobody. Nothing looks beyond the sentence for a source.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..invariants import within
from ..records import Article, Figure
from . import numbers as nb
from .dates import find_expressions
from .other_languages import dots_group

_APPROX = re.compile(
    r"(?i)\b(about|around|roughly|nearly|almost|approximately|some|more\s+than|over|at\s+least|up\s+to"
    r"|fewer\s+than|less\s+than|under|above|below|as\s+many\s+as|as\s+much\s+as|close\s+to|just\s+over"
    r"|just\s+under|well\s+over|upwards\s+of|in\s+excess\s+of|an\s+estimated|estimated|at\s+most|no\s+more\s+than"
    r"|no\s+fewer\s+than|no\s+less\s+than|barely|circa|approx\.)\s+$")
_APPROX_AFTER = re.compile(r"(?i)^\s*(or\s+more|or\s+so|or\s+fewer|or\s+less)\b")
_MASKS = re.compile(
    r"(?i)\b\d{1,2}(?:[:.]\d{2})?\s?(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}\s?o['’]clock\b"
    r"|(?<=\bat\s)\d{1,2}[.:]\d{2}\b|\b\d+\.\d+\.\d+(?:\.\d+)*\b"
    r"|(?:\+\d{1,3}[\s.-]?)?\(?\b\d{2,5}\)?(?:[\s.-]\d{2,5}){2,}\b")
_ADDRESSES = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:https?://|www\.)\S+")  # only run when "@"/"http"/"www." occur
_CONNECT = re.compile(r"(?i)^\s*(?:(-|–|—)|\s(to|and|or)\s)\s*$")
_DETERMINERS = frozenset({"the", "these", "those", "all", "both", "its", "their"})
_VERBS_AFTER = frozenset({"of", "were", "was", "have", "had", "met", "said", "are", "will", "would"})
_NAME_LABELS = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "LAW", "EVENT", "PERSON", "GPE", "LOC", "NORP"})
_CHANGE = frozenset("""rise increase fall drop climb raise lower cut grow jump decline reduce go soar plunge
    lift boost slip slide sink shrink widen narrow revise move""".split())
_MOD_DEPS = frozenset({"nummod", "quantmod", "compound", "amod", "nmod", "npadvmod"})
_REPORT = frozenset("""say tell state report estimate assume calculate count claim put place announce confirm
    add show find believe reckon record register indicate suggest predict forecast note write cite publish
    tally warn insist explain stress expect quote offer seek demand propose want ask recommend advise
    accept reject table urge""".split())
_SOURCE_NOUNS = frozenset("""calculation estimate figure data count source record report statistic number
    tally survey poll assessment analysis study finding census review advice""".split())
_ACRONYM = re.compile(r"((?:[A-Z][\w'’]*\s+(?:(?:of|and|for|the|on)\s+)*)+)\(([A-Z]{2,})\)")
_TOLL_NOUNS = frozenset({"number", "toll", "total", "count", "tally", "figure"})


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _is_label(text: str, doc: Doc, a: nb.Amount) -> bool:
    """Numbers that name or index something rather than count it."""
    before = text[max(0, a.start - 2):a.start]
    after = text[a.end:a.end + 2]
    if before[-1:].isalnum() or before[-1:] in ("#", "/", ":") or (before[-1:] == "-" and before[:1].isalpha()):
        return True
    if after[:1].isalnum() or (after[:1] == "-" and after[1:2].isalpha() and not a.unit):
        return True
    if re.match(r"\s*o['’]clock\b", text[a.end:a.end + 9]):
        return True  # "three o'clock"
    if a.bare and re.fullmatch(r"\d{7,}", text[a.start:a.end]):
        return True  # identifiers and timestamps
    prev = re.search(r"([A-Za-z]+)\.?\s*$", text[max(0, a.start - 20):a.start])
    if prev and prev.group(1).lower() in nb.INDEX_WORDS and a.bare:
        return True
    span = _tokens(doc, a.start, a.end)
    if span is None:
        return False
    first = span[0]
    if first.ent_type_ in _NAME_LABELS and not first.ent_iob_ == "B" and first.i > 0 \
            and first.nbor(-1).pos_ == "PROPN" and first.nbor(-1).text.upper() not in nb.CURRENCY_CODES:
        return True
    if a.bare and not a.words and len(span) == 1 and nb.year_like(first):
        return True
    return False


def _drop_pronoun(text: str, a: nb.Amount) -> bool:
    """"one" as a pronoun or determiner, and "the two" standing for people already named."""
    if not (a.words and a.bare):
        return False
    if a.value == 1:
        return True
    prev = re.search(r"(\w+)\s+$", text[max(0, a.start - 12):a.start])
    nxt = re.match(r"\s+(\w+)", text[a.end:a.end + 20])
    return bool(prev and prev.group(1).lower() in _DETERMINERS and (not nxt or nxt.group(1).lower() in _VERBS_AFTER))


def _unanchored(text: str, span: Span) -> bool:
    """A bare number that counts nothing named and reads as a label: "Comments (2)", "Harbour Row 4"."""
    doc = span.doc
    if text[span.start_char - 1:span.start_char] == "(" and text[span.end_char:span.end_char + 1] == ")":
        return True
    prev = doc[span.start - 1] if span.start > 0 else None
    return bool(prev is not None and prev.is_alpha and prev.text[:1].isupper() and not prev.is_sent_start
                and span[0].like_num and prev.text.upper() not in nb.CURRENCY_CODES)


def _ranges(text: str, doc: Doc, amounts: list[nb.Amount]) -> list[nb.Amount]:
    """Join "between A and B", "from A to B", "A to B", "A-B", "two or three" into one range;
    when A and B stay apart ("rose from 10 to 12 percent") A still takes B's unit and magnitude."""
    out: list[nb.Amount] = []
    i = 0
    while i < len(amounts):
        a = amounts[i]
        b = amounts[i + 1] if i + 1 < len(amounts) else None
        joined = _join(text, doc, a, b) if b else None
        if joined:
            out.append(joined)
            i += 2
            continue
        if b and text[a.end:b.start] == "-" and not (a.words or b.words) and a.bare and b.bare:
            i += 2  # "a 3-2 vote", "1-0": a score or an identifier, not a range
            continue
        if b and a.bare and not b.bare and _CONNECT.match(text[a.end:b.start]) and not isinstance(a.value, tuple):
            scale = b.scale if a.value < 1000 else 1.0
            a = replace(a, value=a.value * scale, unit=b.unit, scale=scale)
        out.append(a)
        i += 1
    return out


def _join(text: str, doc: Doc, a: nb.Amount, b: nb.Amount) -> nb.Amount | None:
    """The range two neighbouring quantities make, if their connecting words make one."""
    link = _CONNECT.match(text[a.end:b.start])
    if not link or isinstance(a.value, tuple) or isinstance(b.value, tuple):
        return None
    word = (link.group(2) or link.group(1)).lower()
    before = text[max(0, a.start - 12):a.start].lower()
    lo, hi = a.value, b.value
    if a.scale == 1 and b.scale > 1 and lo * b.scale <= hi:
        lo *= b.scale  # "between 1.2 and 1.5 million", "$3-4 billion": the magnitude is shared
    if not lo < hi:
        return None
    if word == "and" and not re.search(r"between\s+$", before):
        return None
    if word == "or" and not (a.words and b.words):
        return None
    if word == "to" and re.search(r"from\s+$", before):
        start_tok = _tokens(doc, a.start, a.end)
        frm = start_tok[0].nbor(-1) if start_tok is not None and start_tok[0].i > 0 else None
        if frm is not None and frm.lower_ == "from" and frm.head.lemma_ in _CHANGE:
            return None  # "rose from 4.5% to 6%" reports a change, two figures
    start = a.start
    if word == "and" or (word == "to" and re.search(r"from\s+$", before)):
        start = a.start - len(re.search(r"(between|from)\s+$", before).group())
    unit = a.unit or b.unit
    return nb.Amount(start, b.end, (float(lo), float(hi)), unit, words=a.words and b.words, bare=a.bare and b.bare)


def _approximate(text: str, doc: Doc, a: nb.Amount) -> nb.Amount:
    """Take in a hedge before ("about", "more than") or after ("or more") the quantity."""
    if a.approximate:
        return a
    m = _APPROX.search(text[max(0, a.start - 25):a.start])
    if m:
        word = " ".join(m.group(1).lower().split())
        if word in ("over", "under", "above", "below", "some", "about"):
            span = _tokens(doc, a.start - len(m.group()), a.start)
            if span is not None and span[0].dep_ == "prep" and a.unit in nb.TIME_UNITS:
                return a  # "6% over two years": a period, not an approximation
        return replace(a, start=a.start - len(m.group()), approximate=word)
    after = _APPROX_AFTER.match(text[a.end:a.end + 12])
    if after:
        return replace(a, end=a.end + after.end(), approximate=" ".join(after.group(1).lower().split()))
    return a


def _noun_phrase(t: Token, span: Span) -> str:
    """A counted noun with the words that make it specific: "pay rise", "displaced people"."""
    words = [t]
    for c in reversed([c for c in t.lefts]):
        specific = (c.dep_ == "compound" and c.pos_ == "NOUN") or (c.dep_ == "amod" and c.tag_ == "VBN")
        if c.i == words[0].i - 1 and not span.start <= c.i < span.end and specific:
            words.insert(0, c)
        else:
            break
    return " ".join(w.text if w.pos_ == "PROPN" else w.lower_ for w in words)


def _counted(span: Span) -> Token | None:
    """The noun a quantity counts, read off the parse."""
    doc = span.doc
    inside = range(span.start, span.end)
    for t in span:
        if t.head.i not in inside and t.dep_ in _MOD_DEPS and t.head.pos_ in ("NOUN", "PROPN") and t.head.i >= span.end:
            return t.head
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        objs = [c for c in nxt.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
        if objs:
            return objs[0]
    if nxt is not None and nxt.tag_ == "NNS" and nxt.lower_ not in nb.MEASURES:
        return nxt
    root = span.root
    head = root.head
    if root.dep_ in ("pobj", "npadvmod") and head.lower_ in ("of", "worth") and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head
    if root.dep_ == "pobj" and head.lower_ in ("to", "at", "above", "below") and head.head.pos_ == "VERB":
        for c in head.head.children:
            if c.dep_ in ("nsubj", "dobj", "nsubjpass") and c.lemma_ in _TOLL_NOUNS:
                objs = [g for p in c.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
                named = any(g.dep_ == "compound" for g in c.lefts)
                return objs[0] if objs else (c if named else None)  # "death toll", not "the number"
    return None


def _subject_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
        if c.dep_ == "agent":  # a passive subject is what was reported, the agent who reported it
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


@dataclass(frozen=True, slots=True)
class _Names:
    """An article's named entities and spelled-out acronyms, read once per article."""

    ents: tuple[Span, ...]
    ends: tuple[int, ...]
    acronyms: dict[str, str]

    @classmethod
    def of(cls, doc: Doc) -> "_Names":
        ents = tuple(doc.ents)
        acronyms = {m.group(2): _clean(m.group(1)) for m in _ACRONYM.finditer(doc.text)}
        return cls(ents, tuple(e.end_char for e in ents), acronyms)

    def before(self, char: int, reach: int = 3000) -> list[Span]:
        """Entities ending before `char` and not too far back, nearest first."""
        hi = bisect.bisect_right(self.ends, char)
        lo = bisect.bisect_left(self.ends, char - reach)
        return list(reversed(self.ents[lo:hi]))

    def at(self, t: Token) -> Span | None:
        hi = bisect.bisect_right(self.ends, t.idx)
        for e in self.ents[hi:hi + 2]:
            if e.start <= t.i < e.end:
                return e
        return None


def _source(t: Token | None, names: _Names) -> str | None:
    """The name behind a subject: an entity, a pronoun's antecedent, or the noun phrase."""
    if t is None:
        return None
    doc = t.doc
    if t.lower_ in ("he", "she"):
        people = [e for e in names.before(t.idx, 600) if e.label_ == "PERSON"]
        return _clean(people[0].text) if people else None
    if t.pos_ == "PRON":
        return None
    if t.lemma_ in _SOURCE_NOUNS and not t.ent_type_:
        owners = [c for c in t.lefts if c.dep_ in ("compound", "poss") and c.pos_ in ("PROPN", "NOUN")]
        owners += [g for p in t.rights if p.lower_ in ("by", "of", "from") for g in p.children if g.dep_ == "pobj"]
        return _source(owners[0], names) if owners else None  # "a first estimate" names nobody
    for c in t.rights:
        if c.dep_ == "appos" and c.ent_type_ in ("PERSON", "ORG"):
            return _source(c, names)  # "the port's chief executive, Bob Lindqvist,"
    ent = names.at(t) if t.ent_type_ else None
    if ent is not None:
        return _full_name(ent, names)
    left = min((c.left_edge.i for c in t.lefts if c.dep_ not in ("det", "punct")), default=t.i)
    phrase = doc[left:t.i + 1]
    if t.pos_ == "NOUN" and any(c.lower_ == "the" for c in t.lefts):
        words = [w.lower_ for w in phrase]
        for e in names.before(t.idx):
            if e.label_ in ("ORG", "GPE", "NORP") and [w.lower_ for w in e][-len(words):] == words:
                return _clean(e.text)  # "the union" after "the Dock Workers' Union"
    return _clean(phrase.text)


def _full_name(ent: Span, names: _Names) -> str:
    """A surname alone stands for the full name given earlier ("Marstrand"), an acronym for its
    spelled-out form ("the National Civil Protection Agency (NCPA)")."""
    if len(ent) == 1:
        for e in names.before(ent.start_char, 20000):
            if e.label_ == "PERSON" and len(e) > 1 and e[-1].text == ent.text:
                return _clean(e.text)
        if ent.text in names.acronyms:
            return names.acronyms[ent.text]
    return _clean(ent.text)


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", " ".join(name.split()))
    return re.sub(r"['’]s$", "", name)


def _attribution(span: Span, noun: Token | None, names: _Names) -> str | None:
    """Who the figure is attributed to: the agent of "claimed by", a reporting verb's subject
    up the tree, or "according to" anywhere in the sentence."""
    sent = span.sent
    for t in (span.root, noun):
        for c in (t.children if t is not None else ()):
            if c.dep_ == "acl" and c.lemma_ in _REPORT:
                agent = [g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
                if agent:
                    return _source(agent[0], names)
    t, via = span.root, None
    path_prep_at = False
    for _ in range(15):
        if t.head.i == t.i:
            break
        via, t = t, t.head
        path_prep_at = path_prep_at or (via.dep_ == "prep" and via.lower_ == "at")
        if t.lemma_ in _REPORT and t.pos_ in ("VERB", "AUX"):
            if t.lemma_ in ("put", "place") and not path_prep_at:
                continue
            if any(c.dep_ == "aux" and c.lower_ in ("can", "could", "may", "might") for c in t.children):
                continue  # "families can claim up to EUR 15,000": an entitlement, not a report
            if via.dep_ in ("nsubj", "nsubjpass"):
                continue  # "two officials said": the figure is in the speaker, not the statement
            source = _source(_subject_of(t), names)
            if source:
                return source
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            objs = [c for c in tok.nbor(1).children if c.dep_ == "pobj"]
            if objs:
                return _source(objs[0], names)
    return None


def extract_figures(article: Article, doc: Doc) -> list[Figure]:
    """The figures of one article, in text order."""
    text = article.text
    masked = bytearray(len(text))  # characters owned by dates, times, phone numbers and addresses
    spans = [(e.start, e.end) for e in find_expressions(text) if e.kind != "year"]
    spans += [m.span() for m in _MASKS.finditer(text) if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", m.group())]
    if "@" in text or "http" in text or "www." in text:
        spans += [m.span() for m in _ADDRESSES.finditer(text)]
    for lo, hi in spans:
        masked[lo:hi] = b"\x01" * (hi - lo)
    kept = [a for a in nb.find_amounts(text, dots_group(article.language))
            if not any(masked[a.start:a.end]) and not _is_label(text, doc, a) and not _drop_pronoun(text, a)]
    names = _Names.of(doc) if kept else None
    figures: list[Figure] = []
    for a in _ranges(text, doc, kept):
        a = _approximate(text, doc, a)
        span = _tokens(doc, a.start, a.end)
        if span is None or not len(span):
            continue
        noun = _counted(span)
        unit, counts, end = a.unit, None, a.end
        if noun is not None:
            if noun.lower_ in nb.CURRENCY_WORDS and unit is None:
                unit = nb.CURRENCY_WORDS[noun.lower_]
            elif noun.lower_ not in nb.MEASURES:
                counts = _noun_phrase(noun, span)
            between = doc[span.end:noun.i]
            if noun.idx >= a.end and len(between) <= 3 and all(t.is_alpha or t.text == "-" for t in between):
                end = noun.idx + len(noun.text)
        if counts is None and a.bare and not a.approximate and _unanchored(text, span):
            continue
        figures.append(Figure(id=f"{article.id}-f{len(figures) + 1}", article_id=article.id, text=text[a.start:end],
                              value=a.value, start=a.start, end=end, unit=unit, counts=counts,
                              attributed_to=_attribution(span, noun, names), approximate=a.approximate))
    return within(text, figures)
