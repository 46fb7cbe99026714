"""Named entities: per-article mentions, then one canonical `Entity` per real-world referent.

`entity_mentions` repairs the small English model's usual slips before anything is merged,
because a wrong span merges wrongly later: determiners, possessives and punctuation at the
edges, headline verbs swallowed into a name ("Volkanov Says"), a name cut at a surname particle
("Jean-Luc Le" + "Marrec"), a bracketed acronym glued to its expansion, titles inside a PERSON
span ("Ministers Feldt"). A surname the model calls ORG or GPE is a person when the same
article names that person in full, and a person named once is found again where the model
missed them. Roles come from the words around a person's name: a title before it ("Kestrian
Foreign Minister ...") or an apposition after it ("..., Ardesia's deputy foreign minister,"),
kept only when they hold a role noun, so that ordinary neighbours ("in Lorvik") never count.

`canonicalize` merges across the corpus with the rules of `names`. Candidates are compared only
inside a block sharing a folded surname, a name key, acronym letters or an article, so the merge
grows with the number of distinct names, not with their square. Demonyms (NORP: "Kestrian")
stay apart from their countries: a demonym names a people, a language or a government, and the
country is already recorded in roles such as "Kestrian Foreign Minister".
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import Iterable, Sequence

from spacy.tokens import Doc, Token

from ..invariants import within
from ..records import Article, Entity, EntityMention, Mention
from ..multilingual import ENGLISH
from .other_languages import calendar_words, capitalised_runs, common_nouns, exonyms, place_names
from .names import (COUNTRY_VARIANTS, HEADLINE_VERBS, NOT_NAMES, PARTICLES, ROLE_HEADS, TITLE_WORDS, KeyUnion,
                    acronym_definitions, acronym_letters, cluster_people, content_initials, fold, is_acronym,
                    is_initial, name_key, normalize, person_parts, repeated_people, shorter_given, spells_acronym,
                    surname_key)

__all__ = ["EntityMention", "entity_mentions", "canonicalize", "EntityIndex", "link_entities"]

KEEP = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT")
_CUT = frozenset("( ) [ ] — – , ; : \" “ ” ‘ « » / | ?".split())
_CUT_CHARS = re.compile(r"[()\[\]—–,;:\"“”‘«»/|?]")
_CAMEL = re.compile(r"(?<=[a-z])([A-Z][a-z]+)\b")  # "ArdesiaBut": a missing space before a small word
_CONNECT = frozenset({"of", "for", "and", "&", "-", "'s", "’s", "at"})
_DETS = frozenset({"the", "a", "an", "his", "her", "its", "their"})
_SHORTENED = frozenset({"ORG", "FAC", "LOC", "EVENT", "LAW"})
_LABEL_ORDER = {label: i for i, label in enumerate(KEEP)}
Span3 = tuple[int, int, str]


# --- per article ---------------------------------------------------------------------------


def entity_mentions(article: Article, doc: Doc) -> list[EntityMention]:
    """Named mentions of one article in text order, spans repaired, with roles and expansions."""
    text = article.text
    spans = [s for s in (_clean_span(doc, e.start, e.end, e.label_) for e in doc.ents if e.label_ in KEEP) if s]
    if article.language not in ENGLISH:
        spans = _other_language_names(doc, spans, article.language)
    defined = acronym_definitions(text)
    for (a0, a1), (l0, l1) in defined.values():
        label = _label_at(spans, l0, l1)
        spans = [s for s in spans if not _overlaps(s, l0, l1) and not _overlaps(s, a0, a1)]
        spans += [(l0, l1, label), (a0, a1, label)]
    for letters, (_, long_span) in defined.items():
        for m in re.finditer(r"(?<![\w.])" + re.escape(letters) + r"(?!\w)", text):
            spans.append((m.start(), m.end(), _label_at(spans, *long_span)))
    spans = _drop_overlaps(spans)
    spans = _drop_overlaps(spans + repeated_people(text, spans))
    full_surnames = {surname_key(person_parts(text[a:b])[1]) for a, b, label in spans
                     if label == "PERSON" and person_parts(text[a:b])[0]}
    out = []
    for start, end, label in spans:
        name = text[start:end]
        given, surname = person_parts(name)
        if label not in ("PERSON", "NORP") and not given and not is_acronym(name) \
                and surname_key(surname) in full_surnames:
            label = "PERSON"
        letters = acronym_letters(name) if is_acronym(name) else ""
        expansion = text[slice(*defined[letters][1])] if letters in defined else None
        role = _role(doc, start, end) if label == "PERSON" else None
        out.append(EntityMention(article.id, start, end, name, label, role, expansion))
    return within(text, out)


def _other_language_names(doc: Doc, spans: list[Span3], lang: str) -> list[Span3]:
    """Name spans of an article in another language, repaired (`other_languages`): capitalised
    runs only, no weekday or month, and a country or city a place whatever its label."""
    calendar, places = calendar_words(lang), place_names()
    nouns = common_nouns(doc, [start for start, _, _ in spans], lang)
    out = []
    for start, end, label in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        for run, run_label in capitalised_runs(list(span) if span is not None else [], label, PARTICLES, lang, nouns):
            a, b = run[0].idx, run[-1].idx + len(run[-1].text)
            name = doc.text[a:b]
            if name.lower() in calendar:
                continue
            out.append((a, b, "GPE" if normalize(name) in places else run_label))
    return out


def _clean_span(doc: Doc, i: int, j: int, label: str) -> Span3 | None:
    """The model's span with its usual slips repaired, as character offsets, or None if no name is left."""
    toks = list(doc[i:j])
    for k, t in enumerate(toks):
        if t.is_space or "\n" in t.text or (k and "\n" in toks[k - 1].whitespace_):
            toks = toks[:k] if k else toks[k + 1:]
            break
    for k, t in enumerate(toks):
        if k and (t.text in _CUT or t.pos_ in ("VERB", "AUX") or t.lower_ in HEADLINE_VERBS):
            toks = toks[:k]
            break
    while toks and (toks[0].lower_ in _DETS or toks[0].is_punct
                    or (label == "PERSON" and len(toks) > 1 and toks[0].lower_.rstrip(".") in TITLE_WORDS)):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in ("'s", "’s", "’", "'")):
        toks = toks[:-1]
    while label == "PERSON" and toks and toks[-1].lower_ in PARTICLES and toks[-1].i + 1 < len(doc) \
            and doc[toks[-1].i + 1].is_title:
        toks.append(doc[toks[-1].i + 1])
    if not toks:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text = doc[toks[0].i : toks[-1].i + 1].text  # not doc.text: spaCy joins every token to build it
    cut = _CUT_CHARS.search(text, 1)
    camel = _CAMEL.search(text)
    if camel and doc.vocab[camel.group(1).lower()].is_stop and not (cut and cut.start() < camel.start()):
        cut = camel
    if cut:
        text = text[:cut.start()].rstrip(" '’-")
        end = start + len(text)
    if not any(c.isupper() for c in text) or text.lower() in NOT_NAMES or text.lower() in ROLE_HEADS:
        return None
    return start, end, label


def _overlaps(span: Span3, start: int, end: int) -> bool:
    return span[0] < end and start < span[1]


def _label_at(spans: list[Span3], start: int, end: int) -> str:
    """The label of the longest model span over [start, end), unless it is a mere place inside it."""
    inside = sorted((s for s in spans if _overlaps(s, start, end)), key=lambda s: s[0] - s[1])
    return inside[0][2] if inside and inside[0][2] in ("ORG", "GPE", "FAC", "EVENT", "LAW") else "ORG"


def _drop_overlaps(spans: list[Span3]) -> list[Span3]:
    """Non-overlapping spans in text order; earlier-listed (model and definition) spans win a clash."""
    starts: list[int] = []
    kept: list[Span3] = []
    for s in dict.fromkeys(spans):
        k = bisect.bisect_left(starts, s[0])
        if (k and kept[k - 1][1] > s[0]) or (k < len(kept) and kept[k][0] < s[1]):
            continue
        starts.insert(k, s[0])
        kept.insert(k, s)
    return kept


def _role(doc: Doc, start: int, end: int) -> str | None:
    """A title before the name or an apposition after it, when it holds a role noun."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return (_title_before(doc, span.start) or _apposition_after(doc, span.end)) if span is not None else None


def _phrase(doc: Doc, words: list[Token]) -> str | None:
    while words and (words[0].lower_ in _CONNECT or words[0].lower_ in _DETS):
        words = words[1:]
    while words and words[-1].lower_ in _CONNECT | _DETS:
        words = words[:-1]
    if not any(w.lower_ in ROLE_HEADS for w in words):
        return None
    return doc[words[0].i : words[-1].i + 1].text


def _title_before(doc: Doc, i: int) -> str | None:
    """'Kestrian Foreign Minister' Dmitri Volkanov, 'Ardesian Secretary of State' Helga Brannstad."""
    j = i - 1
    if j >= 0 and doc[j].lower_ in _CONNECT:  # "chief executive of" Harwell Shipping: the name completes the title
        return None
    if j > 0 and doc[j].text == "," and doc[j - 1].lower_ in ROLE_HEADS:
        j -= 1
    words: list[Token] = []
    while j >= 0 and len(words) < 8:
        t = doc[j]
        if t.is_space or "\n" in t.whitespace_ or (t.ent_type_ == "PERSON" and t.lower_ not in TITLE_WORDS):
            break
        if not (t.pos_ in ("PROPN", "NOUN", "ADJ") or t.lower_ in _CONNECT or t.lower_ in ROLE_HEADS):
            break
        words.insert(0, t)
        if t.is_sent_start:
            break
        j -= 1
    return _phrase(doc, words)


def _apposition_after(doc: Doc, j: int) -> str | None:
    """Volkanov', Kestria's foreign minister,' / Volkanov '(Kestria's top diplomat)' /
    Strom 'his Ardesian counterpart'."""
    if j >= len(doc) or "\n" in doc[j - 1].whitespace_:
        return None
    opener = doc[j].text
    if opener in ("(", ","):
        j += 1
    elif doc[j].lower_ not in _DETS:
        return None
    words: list[Token] = []
    while j < len(doc) and len(words) < 10:
        t = doc[j]
        if t.text in _CUT or (t.is_punct and t.text not in ("-", "&")) or t.is_space:
            break
        fits = t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "NUM") or t.lower_ in _CONNECT | _DETS | {"in"}
        if not fits or (t.ent_type_ == "PERSON" and not any(w.lower_ in ROLE_HEADS for w in words)):
            return None
        words.append(t)
        if "\n" in t.whitespace_:
            return None
        j += 1
    if j >= len(doc) or (opener == "(" and doc[j].text != ")") or not (doc[j].is_punct or doc[j].is_space):
        return None
    return _phrase(doc, words)


# --- corpus level ---------------------------------------------------------------------------


def link_entities(articles: Sequence[Article], docs: Sequence[Doc]) -> list[Entity]:
    """Canonical entities of a corpus, given each article and its parse."""
    return canonicalize(chain.from_iterable(entity_mentions(a, d) for a, d in zip(articles, docs)))


@dataclass(slots=True)
class _Item:
    mention: EntityMention
    type: str
    kind: str  # full | lone | acronym | name
    key: str
    given: tuple[str, ...] = ()
    norm: str = ""


def canonicalize(mentions: Iterable[EntityMention]) -> list[Entity]:
    """One `Entity` per person, organisation or place across all `mentions`; the same mentions
    in any order give the same entities and ids."""
    items = _typed_items(sorted(mentions, key=lambda m: (m.article_id, m.start, m.end, m.text, m.label)))
    uf = KeyUnion()
    nodes = [it.key for it in items]
    forms: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    weight: Counter = Counter()
    here: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for it in items:
        if it.kind == "full":
            surname = it.key.split("|")[1]
            forms[surname][it.key] = it.given
            weight[it.key] += 1
            here[(it.mention.article_id, surname)].append((it.mention.start, it.key))
    people: dict[str, list[str]] = {}
    for surname, block in sorted(forms.items()):
        clusters = cluster_people(block, weight)
        for c in clusters:
            for key in c[1:]:
                uf.union(c[0], key)
        people[surname] = [c[0] for c in clusters]
    virtual = _acronym_targets(items, uf, nodes)
    for n, it in enumerate(items):
        if it.kind == "lone":
            nodes[n] = _lone_target(it, people, here, uf)
    _short_names(items, nodes)
    groups: dict[str, list[_Item]] = defaultdict(list)
    for it, node in zip(items, nodes):
        groups[uf.find(node)].append(it)
    extra: dict[str, list[str]] = defaultdict(list)
    for key, surface in virtual.items():
        extra[uf.find(key)].append(surface)
    entities = [_entity(members, extra.get(root, [])) for root, members in groups.items()]
    counts = Counter(e.id for e in entities)
    for e in entities:  # one name and type for two referents (a surname nobody could resolve)
        if counts[e.id] > 1:
            e.id = _entity_id(e.type, e.name, f"{e.mentions[0].article_id}:{e.mentions[0].start}")
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name, e.id))


def _vote(counts: Counter) -> str:
    return min(counts, key=lambda label: (-counts[label], _LABEL_ORDER.get(label, 99), label))


def _typed_items(ms: list[EntityMention]) -> list[_Item]:
    """Each mention with the type the corpus agrees on and its merge key.

    A surface's type is its majority label across the corpus, so one name labelled ORG here and
    GPE there becomes one entity. A single word the model calls PERSON counts as a person only if
    some full name in the corpus ends in it or the model never calls it anything else (so a city
    tagged PERSON in one article stays a place).
    """
    parts = {t: (normalize(t), person_parts(t) if not is_acronym(t) else ((), "")) for t in {m.text for m in ms}}
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in ms:
        votes[parts[m.text][0]][m.label] += 1
    surnames = {surname_key(parts[m.text][1][1]) for m in ms if m.label == "PERSON" and parts[m.text][1][0]}
    typed: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}  # the result depends on the surface only
    for text, (norm, (given, surname)) in parts.items():
        counts = Counter(votes[norm])
        if counts["PERSON"] and not given and surname_key(surname) not in surnames and len(counts) > 1:
            del counts["PERSON"]
        etype = _vote(counts)
        if etype == "PERSON" and surname and given:
            typed[text] = (etype, "full", f"p|{surname_key(surname)}|{' '.join(fold(g) for g in given)}", given)
        elif etype == "PERSON" and surname:
            typed[text] = (etype, "lone", f"l|{surname_key(surname)}", ())
        else:
            kind = "acronym" if is_acronym(text) and norm not in COUNTRY_VARIANTS else "name"
            typed[text] = (etype, kind, "n|" + name_key(text, etype), ())
    return [_Item(m, *typed[m.text], norm=parts[m.text][0]) for m in ms]


def _lone_target(it: _Item, people: dict[str, list[str]], here, uf: KeyUnion) -> str:
    """A bare surname joins the person of that surname named in the same article (the nearest
    one before it when there are several), else the only such person in the corpus, else
    nobody: with two people of one surname and no context, a guess would merge them."""
    surname = it.key.split("|")[1]
    local = sorted(here.get((it.mention.article_id, surname), []))
    if local:
        before = [key for start, key in local if start < it.mention.start]
        return before[-1] if before and len({uf.find(k) for _, k in local}) > 1 else local[0][1]
    candidates = people.get(surname, [])
    return candidates[0] if len(candidates) == 1 else it.key


def _short_names(items: list[_Item], nodes: list[str]) -> None:
    """A name of two or more words that ends exactly one longer name of the same article is that
    name shortened ("the Red Cross" after "the Savrian Red Cross"). Only the same article counts:
    across a corpus "the Foreign Ministry" is a different ministry in every story."""
    words = [tuple(it.norm.split()) for it in items]
    longer: dict[tuple[str, str], set[tuple[tuple[str, ...], str]]] = defaultdict(set)
    for it, w in zip(items, words):
        if it.kind == "name" and it.type in _SHORTENED and len(w) > 2:
            longer[(it.mention.article_id, w[-1])].add((w, it.key))
    for n, (it, w) in enumerate(zip(items, words)):
        if it.kind == "name" and it.type in _SHORTENED and len(w) >= 2:
            fits = {key for full, key in longer.get((it.mention.article_id, w[-1]), ())
                    if len(full) > len(w) and full[-len(w):] == w and key != it.key}
            if len(fits) == 1:
                nodes[n] = fits.pop()


def _acronym_targets(items: list[_Item], uf: KeyUnion, nodes: list[str]) -> dict[str, str]:
    """Join acronyms to their written-out names; returns written-out names no mention carries.

    An expansion an article gives is trusted; when the corpus gives one acronym different
    expansions, each mention follows its own article and the rest stay apart. With no given
    expansion, an acronym of three or more letters joins the one multi-word name in the corpus
    whose content-word initials spell it (two letters are too easily spelled by chance)."""
    known = {it.key for it in items}
    spelled: dict[str, set[str]] = defaultdict(set)
    by_acronym: dict[str, list[int]] = defaultdict(list)
    for n, it in enumerate(items):
        if it.kind == "name" and it.type not in ("PERSON", "NORP") and " " in it.norm:
            spelled[content_initials(it.mention.text)].add(it.key)
        elif it.kind == "acronym":
            by_acronym[it.key].append(n)
    virtual: dict[str, str] = {}
    for akey, members in sorted(by_acronym.items()):
        targets: dict[int, str] = {}
        for n in members:
            m = items[n].mention
            if m.expansion and spells_acronym(acronym_letters(m.text), m.expansion):
                targets[n] = "n|" + name_key(m.expansion, items[n].type)
                if targets[n] not in known:
                    virtual.setdefault(targets[n], m.expansion)
        distinct = {uf.find(t) for t in targets.values()}
        letters = acronym_letters(items[members[0]].mention.text)
        found = {uf.find(k) for k in spelled.get(letters, ())}
        if len(distinct) == 1:
            uf.union(akey, distinct.pop())
        elif distinct:
            for n, target in targets.items():
                nodes[n] = target
        elif len(letters) >= 3 and len(found) == 1:
            uf.union(akey, found.pop())
    return virtual


def _entity(items: list[_Item], virtual: list[str]) -> Entity:
    """An entity from its merged mentions, named by its most common complete surface."""
    etype = _vote(Counter(it.type for it in items))
    surfaces = Counter(it.mention.text for it in items)
    for extra in virtual:
        surfaces.setdefault(extra, 0)
    if etype == "PERSON":
        full = [it.mention.text for it in items if it.kind == "full"]
        pool = [s for s in full if not all(is_initial(g) for g in person_parts(s)[0])] or full or list(surfaces)
        pool = [s for s in pool if not any(shorter_given(s, t) for t in pool)] or pool
    else:
        pool = [s for s in surfaces if not is_acronym(s)] or list(surfaces)
    longer = -1 if etype not in ("GPE", "LOC") else 1  # "Savria", not "Federal Republic of Savria"
    foreign = exonyms()  # a place's name in another language gives way to its English name ("Moscow", not "Moskau")
    name = min(set(pool), key=lambda s: (etype != "PERSON" and normalize(s) in foreign, -surfaces[s],
                                         longer * len(s.split()), longer * len(s), s))
    roles: dict[str, str] = {}
    for it in items:
        if it.mention.role:
            roles.setdefault(it.mention.role.casefold(), it.mention.role)
    mentions = sorted({Mention(it.mention.article_id, it.mention.start, it.mention.end) for it in items},
                      key=lambda m: (m.article_id, m.start, m.end))
    return Entity(id=_entity_id(etype, name), name=name, type=etype, mentions=mentions, roles=list(roles.values()),
                  aliases=sorted(surfaces, key=lambda s: (-surfaces[s], s)))


def _entity_id(etype: str, name: str, salt: str = "") -> str:
    return "e-" + hashlib.sha1(f"{etype}|{normalize(name)}|{salt}".encode()).hexdigest()[:12]


# --- lookup ---------------------------------------------------------------------------------


class EntityIndex:
    """Find the canonical entity behind a span of an article (a quote's speaker, a figure's source)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._by_id: dict[str, Entity] = {}
        spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for e in entities:
            self._by_id[e.id] = e
            for m in e.mentions:
                spans[m.article_id].append((m.start, m.end, e.id))
        self._spans = {a: sorted(s) for a, s in spans.items()}
        self._starts = {a: [s[0] for s in v] for a, v in self._spans.items()}
        self._longest = {a: max(s[1] - s[0] for s in v) for a, v in self._spans.items()}

    def __len__(self) -> int:
        return len(self._by_id)

    def by_id(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def at(self, article_id: str, start: int, end: int) -> Entity | None:
        """The entity whose mention contains or overlaps [start, end); a mention containing the
        span (or contained in it) wins, then the largest overlap, then the latest start."""
        spans = self._spans.get(article_id)
        if not spans:
            return None
        end = max(end, start + 1)
        best = None
        for s, e, eid in reversed(spans[:bisect.bisect_left(self._starts[article_id], end)]):
            if s < start - self._longest[article_id]:
                break
            if e > start:
                score = ((s <= start and end <= e) or (start <= s and e <= end), min(e, end) - max(s, start), s)
                best = max(best, (score, eid)) if best else (score, eid)
        return self._by_id[best[1]] if best else None
