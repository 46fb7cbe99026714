"""Roles as speakers: "the minister", "Russia's top diplomat", "the rookie defenceman".

A role goes to the person whose own mention carried that role: as a premodifier ("Foreign
Minister Ann Lee"), an apposition ("Ann Lee, the foreign minister"; "Jan Novak, the club's new
goalkeeper") or a parenthesis ("Ann Lee (Utopia's top diplomat)"). The best fit wins: the role
noun itself or a near synonym (`ROLE_GROUPS`), then modifiers ("foreign") and nationality
agreeing, then the most recent bearer. A rank word ("vice", "deputy") on one side only is
another office, so "the presidential nominee" is not the vice-presidential one.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .lexicon import NOT_ROLES, ROLE_ADJ, ROLE_GROUPS
from .referents import GENDERED

_NATIONALITY = frozenset({"NORP", "GPE"})
RANKS = frozenset("vice deputy assistant associate acting co under".split())


def same_line(a: Token, b: Token) -> bool:
    """No line break between the two tokens: the parser's sentences sometimes run over one."""
    lo, hi = sorted((a.i, b.i))
    doc = a.doc  # (Doc.text is rebuilt on every access: look at the tokens in between instead)
    return not any("\n" in doc[k].text for k in range(lo, hi))


def is_nation(t: Token) -> bool:
    """Whose role it is: "Utopian", "Utopia's", "the Lee campaign's" (told apart by the first letters)."""
    return (t.ent_type_ in _NATIONALITY or (t.dep_ == "poss" and t.pos_ == "PROPN")
            or (t.pos_ == "ADJ" and t.text[:1].isupper()))


def word(t: Token) -> str:
    return t.lower_.removesuffix("’s").removesuffix("'s")


def role_words(ent: Span) -> tuple[list[str], list[str], list[str]]:
    """Role words, nationality and role heads a PERSON mention carries: "Foreign Minister Ann Lee",
    "Ann Lee, the minister", "Ann Lee (Utopia's top diplomat)". The head is the noun that names
    the office ("minister", not "foreign"; "goalkeeper", not "club")."""
    doc = ent.doc
    toks: list[Token] = []
    heads: list[Token] = []
    j = ent.start - 1
    while j >= 0 and doc[j].pos_ in {"PROPN", "NOUN", "ADJ", "PART"} and same_line(doc[j], ent[0]) \
            and doc[j].head.i >= ent.start - 1 and doc[j].i not in ent and not doc[j].is_punct:
        toks.append(doc[j])
        j -= 1
    if toks:
        heads.append(toks[0])
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end and child.pos_ in {"NOUN", "PROPN"}:
            toks.extend(t for t in child.subtree if t.i <= child.i)
            heads.append(child)
    if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ in {"NOUN", "PROPN"}:
        toks.extend(t for t in root.head.subtree if t.i <= root.head.i)
        heads.append(root.head)
    if ent.end + 1 < len(doc) and doc[ent.end].text == "(":
        inner = [t for t in doc[ent.end + 1:min(len(doc), ent.end + 9)]]
        close = next((k for k, t in enumerate(inner) if t.text == ")"), None)
        if close is not None:
            toks.extend(inner[:close])
            heads.extend(t for t in inner[:close][-1:] if t.pos_ in {"NOUN", "PROPN"})
    toks = [t for t in toks if t.pos_ in {"NOUN", "PROPN", "ADJ"} and t.ent_type_ != "PERSON"]
    nations = [word(t) for t in toks if is_nation(t)]
    return ([word(t) for t in toks if not is_nation(t)], nations,
            [word(t) for t in heads if t.ent_type_ != "PERSON" and not is_nation(t)])


def groups_of(words: set[str] | frozenset[str]) -> set[int]:
    return {n for n, (names, spellings) in enumerate(ROLE_GROUPS)
            if names & words or any(s <= words for s in spellings)}


def _same_nation(a: str, b: str) -> bool:
    return a[:4] == b[:4]


def _score(key: str, mods: set[str], groups: set[int], nations: set[str], words: frozenset[str],
           theirs: frozenset[str], their_groups: frozenset[int], heads: frozenset[str]) -> float:
    """0 when the role does not fit; more when modifiers ("foreign") and nationality fit too."""
    if key not in heads and not groups & their_groups:
        return 0.0
    if (RANKS & mods) != (RANKS & words):
        return 0.0  # "vice presidential nominee" is another office than "presidential nominee"
    score = 1.0 + (len(mods & words) / len(mods) if mods else 0.0)
    if nations and theirs:
        agree = any(_same_nation(a, b) for a in nations for b in theirs)
        score += 1.0 if agree else -1.0
    return score


def role_bearer(local: Span, head: Token, ctx) -> Span | None:
    """The named person whose mention carried the role that `local` ("the minister") names."""
    key = word(head)
    owned = {d.i for t in local if t.dep_ == "poss" for d in t.subtree}  # "Utopia's" in "Utopia's envoy"
    mods, nations = set(), set()
    for t in local:
        if t.i == head.i or t.pos_ not in {"NOUN", "PROPN", "ADJ"}:
            continue
        if is_nation(t):
            nations.add(word(t))
        elif t.i not in owned and (t.lower_ not in ROLE_ADJ or t.lower_ in RANKS):
            mods.add(word(t))
    pos = local.start_char
    best: tuple[float, int, Span] | None = None
    groups = groups_of(mods | {key})
    if key in NOT_ROLES:
        return None  # "the campaign", "the city", "the book": not a person's office
    wanted = GENDERED.get(key)
    for ent, words, theirs, their_groups, heads in ctx.roles:
        score = _score(key, mods, groups, nations, words, theirs, their_groups, heads)
        if score <= 0 or ent.start <= head.i < ent.end:
            continue
        if wanted and ctx.gender.get(ent[-1].lower_, wanted) != wanted:
            continue  # "the spokeswoman" is not the spokesman
        rank = (score, ent.start_char if ent.start_char < pos else -ent.start_char, ent)
        if best is None or rank[:2] > best[:2]:
            best = rank
    if best is None:
        return None
    surname = best[2][-1].lower_
    same = [e for e in ctx.names if e.label_ == "PERSON" and e.end_char <= pos and e[-1].lower_ == surname]
    return same[-1] if same else best[2]
