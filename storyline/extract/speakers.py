"""Who is speaking: the subject of a speech verb, resolved to a named mention.

Later stages link a speaker to a canonical entity through the offsets of a *named* mention in
the same article, so a pronoun ("he") or a role ("the minister", "Russia's top diplomat") is
resolved here, with cheap, explainable rules rather than a coreference model:

* a pronoun goes to the previous quote's speaker when nobody else has been named since, else to
  the most recent fitting name outside quotation marks, preferring grammatical subjects (the
  people inside a quotation are the quoted person's topic, not the narrator's);
* a role goes to the person whose own mention carried that role as a premodifier ("Foreign
  Minister Ann Lee") or an apposition ("Ann Lee, the foreign minister"), the best fit first
  (nationality and modifiers agreeing), then the most recent.

When nothing fits, the speaker keeps its own surface form and offsets. The parser sometimes
runs a sentence over a paragraph break (a headline into the first line), so every span used
here is clipped to the line of the word it is about.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .lexicon import NAME_TYPES, ROLE_ADJ, ROLE_GROUPS, SPEECH_LEMMAS

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "acl", "prep"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_GROUP_PRONOUNS = frozenset({"it", "they"})
_RELATIVE = frozenset({"who", "which", "that"})
_NATIONALITY = frozenset({"NORP", "GPE"})
UNKNOWN = "NAME"  # label of a proper-noun subject the recogniser left untyped
_WINDOW = 2500  # characters back in which a pronoun looks for its antecedent


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: `text/start/end` name the person; `local_*` are the words at the cue."""

    text: str
    start: int
    end: int
    local_start: int
    local_end: int
    how: str  # name | pronoun | role | surface


@dataclass(frozen=True, slots=True)
class Context:
    """What resolution needs to know about one document, computed once per document."""

    doc: Doc
    names: tuple[Span, ...]  # named mentions outside quotation marks, clipped to one line
    by_token: dict[int, Span]  # token index -> named mention containing it (inside quotes too)
    roles: tuple[tuple[Span, frozenset[str], frozenset[str], frozenset[int]], ...]  # person, role
    # words, nationality, synonym groups of the roles
    quoted: tuple[tuple[int, int], ...]  # quotations' character ranges, in order, not overlapping

    def inside(self, pos: int) -> bool:
        return within(pos, self.quoted)


def within(pos: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    """`pos` falls in one of the sorted, disjoint character `ranges`."""
    k = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def same_line(a: Token, b: Token) -> bool:
    """No line break between the two tokens: the parser's sentences sometimes run over one."""
    lo, hi = sorted((a.i, b.i))
    doc = a.doc  # (Doc.text is rebuilt on every access: look at the tokens in between instead)
    return not any("\n" in doc[k].text for k in range(lo, hi))


def _clip(span: Span, anchor: Token) -> Span:
    """The part of `span` on the same line as `anchor`."""
    doc = span.doc
    start, end = span.start, span.end
    for t in span:
        if "\n" in t.text or (t.i < anchor.i and not same_line(t, anchor)):
            if t.i < anchor.i:
                start = t.i + 1
            elif t.i > anchor.i:
                end = min(end, t.i)
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:max(start, end)]


def _last_word(span: Span) -> Token:
    words = [t for t in span if not t.is_space]
    return words[-1] if words else span[-1]


def build_context(doc: Doc, quoted: list[tuple[int, int]]) -> Context:
    """Named mentions of `doc` and the roles they carry; `quoted` are the quotations' ranges.

    The recogniser is inconsistent on one name across a text, so a word it tagged PERSON once is
    a person everywhere, and a proper-noun subject it left untyped is still a candidate name.
    """
    clipped = [(_clip(e, _last_word(e)), e.label_) for e in doc.ents if e.label_ in NAME_TYPES]
    clipped = [(e, label) for e, label in clipped if len(e)]
    people = {e[-1].lower_ for e, label in clipped if label == "PERSON"}
    spans = []
    for e, label in clipped:
        if e[-1].lower_ in people and e[-1].pos_ == "PROPN":
            label = "PERSON"
        spans.append(Span(doc, e.start, e.end, label=label))
    covered = {t.i for s in spans for t in s}
    for t in doc:
        if t.pos_ != "PROPN" or t.i in covered or (t.dep_ in {"compound", "flat"} and t.head.i == t.i + 1):
            continue
        run = _proper_run(t)
        if any(x.i in covered for x in run):
            continue
        if t.lower_ in people:  # a known person's name the recogniser missed in this one place
            spans.append(Span(doc, run.start, run.end, label="PERSON"))
        elif t.dep_ in _SUBJECT_DEPS and all(x.text[:1].isupper() for x in run):
            spans.append(Span(doc, run.start, run.end, label=UNKNOWN))  # a subject nobody recognised
        covered.update(x.i for x in run)
    spans.sort(key=lambda s: s.start)
    by_token = {t.i: s for s in spans for t in s}
    names = tuple(s for s in spans if not any(a <= s.start_char < b for a, b in quoted))
    roles = []
    for s in names:
        if s.label_ == "PERSON":
            words, nations = _role_words(s)
            if words:
                roles.append((s, frozenset(words), frozenset(nations), frozenset(_groups(set(words)))))
    return Context(doc, names, by_token, tuple(roles), tuple(sorted(quoted)))


def subject_of(verb: Token, quoted: tuple[tuple[int, int], ...] = ()) -> Token | None:
    """The grammatical subject of a speech verb, climbing "went on to say", "continued, saying".

    For "he was quoted as saying by Tass" the subject of the passive "quoted" is the speaker,
    while the by-agent is the reporter; for "it was announced by the ministry" the agent speaks.
    Words inside quotation marks (`quoted` character ranges) are never the subject.
    """
    v = verb
    for _ in range(4):
        subjects = [c for c in v.children if c.dep_ in _SUBJECT_DEPS and same_line(c, verb)
                    and not within(c.idx, quoted)]
        own = v.i == verb.i  # the agent of a passive speaks only if the passive is the speech verb
        if subjects:
            subject = min(subjects, key=lambda c: abs(c.i - v.i))
            if subject.dep_ == "nsubjpass" and v.lemma_ != "quote" and own:
                agent = _agent(v)
                if agent is not None:
                    return agent
            return None if subject.dep_ == "csubj" else subject
        if own and v.lemma_ != "quote" and any(c.dep_ == "auxpass" for c in v.children):
            return _agent(v)
        if v.dep_ == "acl" and v.tag_ == "VBG":
            v = _clause_of(v)  # "an email to voters stating, …": the one who sent the email states
            if v is None:
                return None
            continue
        if v.dep_ not in _CLIMB_DEPS or v.head.i == v.i or not _shares_subject(v):
            return None
        participle = v.dep_ == "advcl"
        v = v.head
        if participle and v.dep_ == "ccomp" and v.head.lemma_ in SPEECH_LEMMAS:
            v = v.head  # "Lee said the plan failed, explaining …": Lee explains, not the plan
    return None


def _clause_of(t: Token) -> Token | None:
    """The nearest verb above a noun-modifying participle."""
    for a in t.ancestors:
        if a.pos_ in {"VERB", "AUX"}:
            return a
    return None


def _shares_subject(v: Token) -> bool:
    """ "continued, saying": a participle shares its head's subject; "when asked" does not."""
    if v.dep_ != "advcl":
        return True
    return v.tag_ == "VBG"  # "while adding", "after saying": a participle takes the main subject


def _agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def local_span(head: Token) -> Span:
    """The words naming the speaker at the cue: modifiers and head, no clauses, one line."""
    doc = head.doc
    start = head.i
    for t in head.lefts:
        if t.dep_ in {"det", "poss", "compound", "amod", "nmod", "nummod", "case"} or t.pos_ == "PROPN":
            start = t.left_edge.i
            break
    end = head.i + 1
    while end < len(doc) and doc[end].dep_ in {"flat", "compound"} and doc[end].head.i == head.i:
        end += 1
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return _clip(doc[start:end], head)


def _name_of(head: Token, ctx: Context) -> Span | None:
    """A named mention headed by `head`: its entity, or a named apposition ("the minister, Lee")."""
    ent = ctx.by_token.get(head.i)
    if ent is not None:
        return ent
    for child in head.children:
        if child.dep_ == "appos" and ctx.by_token.get(child.i) is not None:
            ent = ctx.by_token[child.i]
            if ent.label_ == "PERSON":
                return ent
    return None


def _proper_run(head: Token) -> Span:
    doc = head.doc
    start = head.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ in {"compound", "flat"}:
        start -= 1
    return _clip(doc[start:head.i + 1], head)


def resolve(head: Token, ctx: Context, previous: Speaker | None = None,
            reported: tuple[tuple[int, int], ...] = ()) -> Speaker:
    """The speaker whose subject head is `head`, resolved to a named mention when possible.

    `previous` is the speaker of the attribution before this one; `reported` are the spans of
    what earlier attributions reported, whose names are topics of speech, not candidates.
    """
    local = local_span(head)
    if not len(local):
        local = head.doc[head.i:head.i + 1]
    if head.lower_ in _RELATIVE and head.head.dep_ == "relcl":
        named = resolve(head.head.head, ctx, previous, reported)  # "Lee, who said": Lee speaks
        return Speaker(named.text, named.start, named.end, local.start_char, local.end_char, named.how)

    def make(span: Span, how: str) -> Speaker:
        return Speaker(span.text, span.start_char, span.end_char, local.start_char, local.end_char, how)

    name = _name_of(head, ctx)
    if name is not None:
        return make(name, "name")
    lower = head.lower_
    if head.pos_ == "PRON" and lower in _PERSON_PRONOUNS | _GROUP_PRONOUNS:
        found = _antecedent(head, ctx, previous, reported)
        return make(found, "pronoun") if found is not None else make(local, "surface")
    if head.pos_ in {"NOUN", "PROPN"}:
        found = _role_bearer(local, head, ctx)
        if found is not None:
            return make(found, "role")
    if head.pos_ == "PROPN":
        return make(_proper_run(head), "name")
    return make(local, "surface")


def _fits(ent: Span, pronoun: str) -> bool:
    if ent.label_ == UNKNOWN:
        return True
    if pronoun in _PERSON_PRONOUNS:
        return ent.label_ == "PERSON"
    return ent.label_ in {"ORG", "GPE", "NORP"}


def _antecedent(pron: Token, ctx: Context, previous: Speaker | None,
                reported: tuple[tuple[int, int], ...]) -> Span | None:
    pos = pron.idx
    lower = pron.lower_
    near = tuple(r for r in reported if r[1] >= pos - _WINDOW)
    fitting = [e for e in ctx.names if e.end_char <= pos and pos - e.start_char <= _WINDOW and _fits(e, lower)
               and not any(s <= e.start_char < t for s, t in near)]
    if previous is not None and previous.how != "surface" and previous.end <= pos:
        anchor = max(previous.end, previous.local_end)
        surname = previous.text.split()[-1]
        others = [e for e in fitting if e.start_char >= anchor and e.text.split()[-1] != surname]
        prev_span = ctx.doc.char_span(previous.start, previous.end, alignment_mode="expand")
        if prev_span is not None and not others and _fits_text(prev_span, lower, ctx):
            return prev_span
    if not fitting:
        return None
    latest = fitting[-1]
    # within the latest sentence that names anyone fitting, the grammatical subject is the topic
    same_sentence = [e for e in fitting if e.sent.start == latest.sent.start and _is_subject(e)]
    return same_sentence[-1] if same_sentence else latest


def _fits_text(span: Span, pronoun: str, ctx: Context) -> bool:
    ent = ctx.by_token.get(span[-1].i)
    if ent is None:
        return pronoun in _PERSON_PRONOUNS and span.root.pos_ == "PROPN"
    return _fits(ent, pronoun)


def _is_subject(ent: Span) -> bool:
    tok = ent.root
    for _ in range(3):
        if tok.dep_ in _SUBJECT_DEPS:
            return True
        if tok.dep_ not in {"compound", "appos", "flat", "conj"}:
            return False
        tok = tok.head
    return False


def _is_nation(t: Token) -> bool:
    """Whose role it is: "Utopian", "Utopia's", "the Lee campaign's" (told apart by the first letters)."""
    return (t.ent_type_ in _NATIONALITY or (t.dep_ == "poss" and t.pos_ == "PROPN")
            or (t.pos_ == "ADJ" and t.text[:1].isupper()))


def _word(t: Token) -> str:
    return t.lower_.removesuffix("’s").removesuffix("'s")


def _role_words(ent: Span) -> tuple[list[str], list[str]]:
    """Role words and nationality a PERSON mention carries: "Foreign Minister Ann Lee", "Ann Lee,
    the minister", "Ann Lee (Utopia's top diplomat)"."""
    doc = ent.doc
    toks: list[Token] = []
    j = ent.start - 1
    while j >= 0 and doc[j].pos_ in {"PROPN", "NOUN", "ADJ", "PART"} and same_line(doc[j], ent[0]) \
            and doc[j].head.i >= ent.start - 1 and doc[j].i not in ent and not doc[j].is_punct:
        toks.append(doc[j])
        j -= 1
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end and child.pos_ in {"NOUN", "PROPN"}:
            toks.extend(t for t in child.subtree if t.i <= child.i)
    if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ in {"NOUN", "PROPN"}:
        toks.extend(t for t in root.head.subtree if t.i <= root.head.i)
    if ent.end + 1 < len(doc) and doc[ent.end].text == "(":
        inner = [t for t in doc[ent.end + 1:min(len(doc), ent.end + 9)]]
        close = next((k for k, t in enumerate(inner) if t.text == ")"), None)
        if close is not None:
            toks.extend(inner[:close])
    toks = [t for t in toks if t.pos_ in {"NOUN", "PROPN", "ADJ"} and t.ent_type_ != "PERSON"]
    nations = [_word(t) for t in toks if _is_nation(t)]
    return [_word(t) for t in toks if not _is_nation(t)], nations


def _groups(words: set[str] | frozenset[str]) -> set[int]:
    return {n for n, (names, spellings) in enumerate(ROLE_GROUPS)
            if names & words or any(s <= words for s in spellings)}


def _same_nation(a: str, b: str) -> bool:
    return a[:4] == b[:4]


def _score(key: str, mods: set[str], groups: set[int], nations: set[str], words: frozenset[str],
           theirs: frozenset[str], their_groups: frozenset[int]) -> float:
    """0 when the role does not fit; more when modifiers ("foreign") and nationality fit too."""
    if key not in words and not groups & their_groups:
        return 0.0
    score = 1.0 + (len(mods & words) / len(mods) if mods else 0.0)
    if nations and theirs:
        agree = any(_same_nation(a, b) for a in nations for b in theirs)
        score += 1.0 if agree else -1.0
    return score


def _role_bearer(local: Span, head: Token, ctx: Context) -> Span | None:
    """The named person whose mention carried the role that `local` ("the minister") names."""
    key = _word(head)
    owned = {d.i for t in local if t.dep_ == "poss" for d in t.subtree}  # "Utopia's" in "Utopia's envoy"
    mods, nations = set(), set()
    for t in local:
        if t.i == head.i or t.pos_ not in {"NOUN", "PROPN", "ADJ"}:
            continue
        if _is_nation(t):
            nations.add(_word(t))
        elif t.i not in owned and t.lower_ not in ROLE_ADJ:
            mods.add(_word(t))
    pos = local.start_char
    best: tuple[float, int, Span] | None = None
    groups = _groups(mods | {key})
    for ent, words, theirs, their_groups in ctx.roles:
        score = _score(key, mods, groups, nations, words, theirs, their_groups)
        if score <= 0 or ent.start <= head.i < ent.end:
            continue
        rank = (score, ent.start_char if ent.start_char < pos else -ent.start_char, ent)
        if best is None or rank[:2] > best[:2]:
            best = rank
    if best is None:
        return None
    surname = best[2][-1].lower_
    same = [e for e in ctx.names if e.label_ == "PERSON" and e.end_char <= pos and e[-1].lower_ == surname]
    return same[-1] if same else best[2]
