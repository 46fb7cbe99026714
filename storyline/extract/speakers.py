"""Who is speaking: the subject of a speech verb, resolved to what it names.

Later stages link a speaker to a canonical entity through the offsets of a *named* mention in
the same article, so what stands at the cue is resolved here, with explainable rules measured in
bench/quotes.py rather than a coreference model:

* a name is itself, without a possessive, a headline verb ("Lavrov Says") or a leading title
  ("Goalkeeper Jan Novak"); a capitalised title alone ("The Foreign Minister") is a role;
* a pronoun goes to an agreeing, salient earlier name (see `pronouns`), "who" to the noun its
  clause hangs on;
* a role or description ("the minister", "Russia's highest diplomat", "the rookie defenceman")
  goes to the person introduced with that role (see `roles`);
* an office speaks for its holder ("his office"), a document for its author ("NATO's
  assessment", "a statement from the union"); a document nobody is named for has no speaker;
* a group noun ("the union", "officials") is a speaker of its own, tied to the organisation
  named before whose name ends in that noun, if any;
* a dateline the parser took for the subject ("WASHINGTON — Lee said") gives way to the name
  after it.

When nothing fits, the speaker keeps its own surface form and offsets. The parser sometimes
runs a sentence over a paragraph break (a headline into the first line), so every span used
here is clipped to the line of the word it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from . import referents
from .pronouns import GROUP_PRONOUNS, PERSON_PRONOUNS, PRONOUN_OF, antecedent, is_title_only
from .referents import UNKNOWN, within
from .lexicon import ABSTRACT_ENDINGS, COLLECTIVES, DOCUMENTS, EXTRA_TITLES, NAME_TYPES, OFFICES, SPEECH_LEMMAS
from .names import HEADLINE_VERBS, TITLE_WORDS
from .roles import groups_of, role_bearer, role_words, same_line

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_TITLES = TITLE_WORDS | EXTRA_TITLES
_CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "acl", "prep"})
_RELATIVE = frozenset({"who", "which", "that"})
_WHEN = frozenset({"DATE", "TIME"})


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: `text/start/end` name the person; `local_*` are the words at the cue."""

    text: str
    start: int
    end: int
    local_start: int
    local_end: int
    how: str  # name | pronoun | role | group | office | surface


@dataclass(frozen=True, slots=True)
class Context:
    """What resolution needs to know about one document, computed once per document."""

    doc: Doc
    names: tuple[Span, ...]  # named mentions outside quotation marks, clipped to one line
    by_token: dict[int, Span]  # token index -> named mention containing it (inside quotes too)
    roles: tuple[tuple[Span, frozenset[str], frozenset[str], frozenset[int], frozenset[str]], ...]
    # person, role words, nationality, synonym groups and head nouns of the roles
    quoted: tuple[tuple[int, int], ...]  # quotations' character ranges, in order, not overlapping
    gender: dict[str, str] = field(default_factory=dict)  # name key -> "m" | "f" (see referents)
    skip: tuple[tuple[int, int], ...] = ()  # credits, captions, headlines, datelines
    sent_starts: tuple[int, ...] = ()  # token index of each sentence start
    speech_subjects: frozenset[int] = frozenset()  # tokens that are the subject of a speech verb
    topics: frozenset[int] = frozenset()  # tokens inside what a speech verb reports
    verbs: tuple[int, ...] = ()  # speech verbs and "according", in order

    def inside(self, pos: int) -> bool:
        return within(pos, self.quoted)


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
        span = _bare(Span(doc, e.start, e.end, label=label))
        if len(span):
            spans.append(span)
    covered = {t.i for s in spans for t in s}
    for t in (doc[i] for i in referents.proper_nouns(doc)):
        if t.i in covered or (t.dep_ in {"compound", "flat"} and t.head.i == t.i + 1):
            continue
        run = _proper_run(t)
        if any(x.i in covered for x in run):
            continue
        run = _bare(run)
        if not len(run):
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
            words, nations, heads = role_words(s)
            if words:
                roles.append((s, frozenset(words), frozenset(nations), frozenset(groups_of(set(words))),
                              frozenset(heads)))
    sent_starts = referents.sentence_starts(doc)
    gender = referents.genders(doc, [s for s in names if s.label_ in {"PERSON", UNKNOWN, "ORG"}], sent_starts)
    names = tuple(Span(doc, s.start, s.end, label="PERSON") if s.label_ in {UNKNOWN, "ORG"}
                  and referents.key(s) in gender and s[0].lower_ not in {"the", "a"} else s for s in names)
    verbs = referents.speech_verbs(doc)
    subjects, topics = _speech_parts(doc, quoted, verbs)
    return Context(doc, names, by_token, tuple(roles), tuple(sorted(quoted)), gender,
                   referents.non_prose(doc.text), sent_starts, subjects, topics, verbs)


def _speech_parts(doc: Doc, quoted: list[tuple[int, int]], verbs: tuple[int, ...]) -> tuple[frozenset[int], frozenset[int]]:
    """Subjects of speech verbs, and the tokens of what those verbs report."""
    marks = tuple(sorted(quoted))
    subjects: set[int] = set()
    topics: set[int] = set()
    for i in verbs:
        t = doc[i]
        if t.pos_ != "VERB":
            continue  # "according"
        subject = subject_of(t, marks)
        if subject is None:
            continue
        subjects.add(subject.i)
        for c in t.children:
            if c.dep_ in {"ccomp", "xcomp"}:
                topics.update(x.i for x in c.subtree)
    topics -= subjects
    return frozenset(subjects), frozenset(topics)


def _bare(span: Span) -> Span:
    """A name without a possessive ending, a headline verb, an article, a leading title or the
    verb of an inverted cue: "Trump’s" -> "Trump", "Lavrov Says" -> "Lavrov", "Goalkeeper Jan
    Novak" -> "Jan Novak", "Said Brenner:" -> "Brenner"."""
    start, end = span.start, span.end
    doc = span.doc
    while end - start > 1 and (doc[start].lower_ in {"the", "a", "an", "said", "says"} or (
            doc[start].lower_ in _TITLES and doc[start + 1].pos_ == "PROPN"
            and end - start > 2)):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in HEADLINE_VERBS
                           or doc[end - 1].lower_ in {"’s", "'s"}):
        end -= 1
    return Span(doc, start, end, label=span.label_)


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
            reported: tuple[tuple[int, int], ...] = ()) -> Speaker | None:
    """The speaker whose subject head is `head`, resolved to a named mention when possible.

    None when the subject is a thing that cannot speak and names no author ("a release said").

    `previous` is the speaker of the attribution before this one; `reported` are the spans of
    what earlier attributions reported, whose names are topics of speech, not candidates.
    """
    local = local_span(head)
    if not len(local):
        local = head.doc[head.i:head.i + 1]
    if head.lower_ in _RELATIVE and head.head.dep_ == "relcl":
        named = resolve(head.head.head, ctx, previous, reported)  # "Lee, who said": Lee speaks
        if named is None:
            return None
        return replace(named, local_start=local.start_char, local_end=local.end_char)

    def make(span: Span, how: str) -> Speaker:
        return Speaker(span.text, span.start_char, span.end_char, local.start_char, local.end_char, how)

    if within(head.idx, ctx.skip) and head.is_upper:
        later = next((e for e in ctx.names if e.start > head.i and e.sent.start == head.sent.start
                      and not within(e.start_char, ctx.skip)), None)
        if later is not None:  # "WASHINGTON — President Lee said": the parse took the dateline
            return make(later, "name")
    if head.ent_type_ in _WHEN:
        return None  # "Thursday said": a parse that took a day for the subject names nobody
    name = _name_of(head, ctx)
    if name is not None and not is_title_only(name):
        return make(name, "name")
    lower = PRONOUN_OF.get(head.lower_, head.lower_)
    if head.pos_ == "PRON" and lower in PERSON_PRONOUNS | GROUP_PRONOUNS:
        found = antecedent(head, ctx, previous, reported)
        if found is not None:
            return make(found, "pronoun")
        if lower == "they" and previous is not None and previous.how == "group" and previous.end <= head.idx:
            return replace(previous, local_start=local.start_char, local_end=local.end_char)
        return make(local, "surface")
    if head.pos_ == "NOUN" and head.lemma_ in DOCUMENTS | OFFICES:
        author = _author(head, ctx, previous, reported)
        if author is None:
            return None  # "a release", "the preliminary findings": nobody named speaks
        return replace(author, local_start=local.start_char, local_end=local.end_char,
                       how="office" if head.lemma_ in OFFICES else author.how)
    if head.pos_ in {"NOUN", "PROPN"}:
        found = role_bearer(local, head, ctx)
        if found is not None:
            return make(found, "role")
    if name is not None:
        return make(name, "name")
    if head.pos_ == "PROPN":
        return make(_bare(_proper_run(head)) or _proper_run(head), "name")
    if head.pos_ == "NOUN" and head.lower_ not in _TITLES:
        org = _group_name(head, ctx)
        if org is None and _abstract(head):
            return None  # "the timing", "a phrase which": a thing, not somebody who speaks
        return make(org, "group") if org is not None else make(local, "group")
    return make(local, "surface")


def _abstract(head: Token) -> bool:
    """A singular common noun that names a thing or an event rather than a person or a body of
    people: an abstract ending ("proportion", "meeting") or a word of speech itself ("phrase")."""
    if head.tag_ != "NN" or head.lemma_ in COLLECTIVES:
        return False
    return head.lemma_.endswith(ABSTRACT_ENDINGS) or head.lemma_ in {"phrase", "word", "line", "slogan"}


def _author(head: Token, ctx: Context, previous: Speaker | None,
            reported: tuple[tuple[int, int], ...]) -> Speaker | None:
    """Whose document or office it is: "his letter", "NATO's assessment", "a release from the city"."""
    for c in head.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
            return resolve(c, ctx, previous, reported)
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in {"from", "by", "of"}:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_ not in DOCUMENTS:
                return resolve(obj, ctx, previous, reported)
    return None


def _group_name(head: Token, ctx: Context) -> Span | None:
    """The organisation a group noun stands for: "the union" after "the Dorvik Dockworkers Union"."""
    word = head.lower_
    pos = head.idx
    for e in reversed(ctx.names):
        if e.end_char <= pos and e.label_ in {"ORG", "GPE"} and e[-1].lower_ == word and not within(e.start_char, ctx.skip):
            return e
    return None
