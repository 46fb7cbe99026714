"""Claims: statements that several articles make, each wording verified against every other.

Sentence vectors only propose: for each statement, the closest statements of other articles
(cosine above `ClaimParams.candidate`, at most `neighbours` of them) are candidates. The
same-claim model (`pairs.py`) decides. A claim grows from its most certain pair (at least
`ClaimParams.seed`), and a further
article's statement joins only when the model verifies it against every statement already in
the claim, so no claim is chained together through one bridging sentence, and each article
gives a claim one wording at most. A statement that nothing verifies stays a single-source
claim: that is the honest default. Copies of one original count as one source.

Clauses of long sentences come second: one only joins a claim that whole statements of other
articles already share, verified against each of them, and never starts one. Fragments paired
with fragments are what made topic-alike text read as one claim, and they were most of the
model's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from ..multilingual import needs_multilingual
from ..records import Claim, Variant
from .crosslingual import CrossLanguage, Encode, default_encode
from .pairs import PairJudgement, judge
from .units import Unit, clauses, words

Judge = Callable[[Sequence[tuple[str, str]]], list[PairJudgement]]


@dataclass(frozen=True)
class ClaimParams:
    candidate: float = 0.55  # cosine from which two statements are worth asking the model about
    neighbours: int = 3  # candidates per statement and other article, nearest first
    # probability from which two statements start a claim: stricter than `storyline pairs` (0.5), for
    # precision (bench/pairs.py, ECB+ same-story pairs: P 0.855, R 0.442 at 0.65)
    seed: float = 0.65
    # probability from which a further statement joins a claim, checked against every statement
    # already there. Lower values find more (bench/claims.py --sweep 0.65/0.4: example gold links
    # P 0.815, R 0.610 against 0.871 / 0.509; ECB+ test event-sentence recall 0.557 against 0.519, both
    # with pairs scored in batches; scored alone the default gives P 0.848, R 0.491)
    # at a cost in precision that the default does not take
    same: float = 0.65
    clauses: bool = True  # long sentences also offer their clauses (one outlet buries a claim in a clause)
    # a long sentence's clauses are embedded and offered only when the sentence itself is this close
    # to a statement of a shared claim of another article (ECB+ dev and test topics: 121 of the 123
    # clauses that joined a claim had a parent at >= 0.4); most long sentences are nowhere near one
    clause_parent: float = 0.4
    # pairs that are not English on both sides are proposed and judged from multilingual vectors
    # (`crosslingual.py`); off, every pair goes to the English model as before
    across_languages: bool = True


class PairCache:
    """Judgements of unit pairs, asked of the model in batches and remembered.

    With `cross`, the pairs it is `involved` in go to its multilingual judge."""

    def __init__(self, units: Sequence[Unit], judge_pairs: Judge, cross: CrossLanguage | None = None) -> None:
        self.units = units
        self.judge_pairs = judge_pairs
        self.cross = cross
        self.known: dict[tuple[int, int], PairJudgement] = {}

    def involved(self, i: int, j: int) -> bool:
        return self.cross is not None and self.cross.involved(i, j)

    def ask(self, pairs: Sequence[tuple[int, int]]) -> None:
        todo = sorted({(min(i, j), max(i, j)) for i, j in pairs} - self.known.keys())
        if not todo:
            return
        same_text = [p for p in todo if _norm(self.units[p[0]].text) == _norm(self.units[p[1]].text)]
        for p in same_text:  # word for word the same (copies): nothing to ask
            self.known[p] = PairJudgement(1.0, "same")
        rest = [p for p in todo if p not in self.known]
        if self.cross is not None:
            across = [p for p in rest if self.cross.involved(*p)]
            self.known.update(zip(across, self.cross.judge(across)))
            rest = [p for p in rest if p not in self.known]
        for p, verdict in zip(rest, self.judge_pairs([(self.units[i].text, self.units[j].text) for i, j in rest])):
            self.known[p] = verdict

    def get(self, i: int, j: int) -> PairJudgement | None:
        return self.known.get((min(i, j), max(i, j)))


def _norm(text: str) -> str:
    return " ".join(w.lower() for w in words(text))


def candidate_pairs(units: Sequence[Unit], vectors: np.ndarray, params: ClaimParams,
                    rows: Sequence[int] | None = None, columns: Sequence[int] | None = None,
                    block: int = 512) -> list[tuple[int, int]]:
    """Unit pairs from different articles whose vectors are close: the only pairs the model sees first.

    Each unit of `rows` (default all) proposes its nearest units of `columns` (default all): at
    most `neighbours` per other article, above the `candidate` cosine. Rows are taken a block at
    a time, so a story of thousands of statements never holds a full similarity matrix."""
    rows = np.arange(len(units)) if rows is None else np.asarray(rows, dtype=int)
    columns = np.arange(len(units)) if columns is None else np.asarray(columns, dtype=int)
    if not len(rows) or not len(columns):
        return []
    article = np.array([u.article_id for u in units])
    near: dict[tuple[int, str], list[tuple[float, int]]] = {}
    top = min(len(columns), params.neighbours * 4)
    for begin in range(0, len(rows), block):
        chunk = rows[begin : begin + block]
        sim = vectors[chunk] @ vectors[columns].T
        sim[article[chunk][:, None] == article[columns][None, :]] = -1.0
        best = np.argpartition(-sim, top - 1, axis=1)[:, :top]
        for r, i in enumerate(chunk):
            for c in best[r]:
                if sim[r, c] >= params.candidate:
                    j = int(columns[c])
                    near.setdefault((int(i), article[j]), []).append((float(sim[r, c]), j))
    kept = set()
    for (i, _), found in near.items():
        for _, j in sorted(found, reverse=True)[: params.neighbours]:
            kept.add((min(i, j), max(i, j)))
    return sorted(kept)


def _joins(verdict: PairJudgement | None) -> bool:
    return verdict is not None and verdict.relation in ("same", "conflicting")


def grow_claims(units: Sequence[Unit], vectors: np.ndarray, cache: PairCache, params: ClaimParams) -> list[list[int]]:
    """Groups of unit indices, each a clique of verified pairs with one unit per article.

    A group starts from a pair at `params.seed`; a unit joins when verified against every member
    at `params.same`."""
    whole = [i for i, u in enumerate(units) if u.kind != "clause"]
    candidates = candidate_pairs(units, vectors, params, whole, whole)
    if cache.cross is not None:  # the English vectors place other languages nowhere useful
        candidates = sorted({p for p in candidates if not cache.involved(*p)}
                            | set(cache.cross.candidates(whole, params.neighbours)))
    cache.ask(candidates)
    edges = sorted((p for p in candidates if _joins(cache.get(*p))), key=lambda p: -cache.get(*p).probability)
    neighbours: dict[int, set[int]] = {}
    for i, j in edges:
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for i, j in edges:
        if i in group_of and j in group_of:
            continue
        if i not in group_of and j not in group_of and cache.get(i, j).probability < params.seed:
            continue  # too weak to start a claim; either side may still join one
        if i in group_of or j in group_of:
            g, new = (group_of[i], j) if i in group_of else (group_of[j], i)
            if _fits(new, groups[g], units, cache):
                groups[g].append(new)
                group_of[new] = g
            continue
        members = [i, j]
        # members' other verified neighbours, nearest first, each checked against all members
        pool = sorted((neighbours[i] | neighbours[j]) - set(members) - group_of.keys(),
                      key=lambda k: -float(vectors[k] @ (vectors[i] + vectors[j])))
        cache.ask([(k, m) for k in pool for m in members])
        for k in pool:
            if _fits(k, members, units, cache):
                members.append(k)
        for m in members:
            group_of[m] = len(groups)
        groups.append(members)
    return groups


def clause_parents(units: Sequence[Unit], vectors: np.ndarray, groups: list[list[int]], params: ClaimParams) -> list[int]:
    """Sentences whose clauses are worth embedding: close to a shared claim of another article."""
    shared = sorted({i for g in groups if len(g) > 1 for i in g})
    if not shared:
        return []
    article = np.array([u.article_id for u in units])
    sim = vectors[: len(units)] @ vectors[shared].T
    sim[article[:, None] == article[shared][None, :]] = -1.0
    close = sim.max(axis=1) >= params.clause_parent
    return [i for i, u in enumerate(units) if u.kind == "sentence" and close[i]]


def attach_clauses(units: Sequence[Unit], vectors: np.ndarray, cache: PairCache, params: ClaimParams,
                   groups: list[list[int]]) -> None:
    """Clauses of articles a shared claim lacks join it when verified against all its members."""
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    parts = [i for i, u in enumerate(units) if u.kind == "clause"]
    candidates = []
    for i, j in candidate_pairs(units, vectors, params, parts, sorted(group_of)):
        clause, member = (i, j) if units[i].kind == "clause" else (j, i)
        if cache.involved(clause, member):
            continue  # clauses join claims in their own language only
        if all(units[m].article_id != units[clause].article_id for m in groups[group_of[member]]):
            candidates.append((clause, member))
    cache.ask(candidates)
    for clause, member in sorted((p for p in candidates if _joins(cache.get(*p))), key=lambda p: -cache.get(*p).probability):
        g = group_of[member]
        if clause not in group_of and _fits(clause, groups[g], units, cache):
            groups[g].append(clause)
            group_of[clause] = g


def _fits(k: int, members: list[int], units: Sequence[Unit], cache: PairCache) -> bool:
    if any(units[m].article_id == units[k].article_id for m in members):
        return False
    cache.ask([(k, m) for m in members])
    return all(_joins(cache.get(k, m)) for m in members)


def build_claims(
    story_id: str,
    units: Sequence[Unit],
    vectors: np.ndarray,
    independence: dict[str, str],
    params: ClaimParams = ClaimParams(),
    judge_pairs: Judge | None = None,
    embed=None,
    languages: Mapping[str, str | None] | None = None,
    encode_multilingual: Encode | None = None,
) -> list[Claim]:
    """Claims of one story, those carried by the most independent sources first.

    `vectors` holds one unit vector per unit; clauses of long sentences are embedded with
    `embed` when `params.clauses` is on. `languages` (article id -> language) with any
    language but English sends the pairs involving it to the multilingual judge, whose vectors
    come from `encode_multilingual` (default: the packaged multilingual-e5)."""
    if not units:
        return []
    judge_pairs = judge_pairs or (lambda pairs: judge(pairs, same=params.same))
    units = list(units)
    cross = None
    if params.across_languages and languages and needs_multilingual(languages.values()):
        cross = CrossLanguage(units, languages, encode_multilingual or default_encode)
    cache = PairCache(units, judge_pairs, cross)
    groups = grow_claims(units, vectors, cache, params)
    if params.clauses and embed is not None:
        extra = [c for i in clause_parents(units, vectors, groups, params) for c in clauses(units[i])]
        if extra:
            units += extra  # the cache reads this same list
            vectors = np.vstack([vectors, embed([u.text for u in extra])])
            attach_clauses(units, vectors, cache, params, groups)
    grouped = {i for g in groups for i in g}
    groups += [[i] for i, u in enumerate(units) if i not in grouped and u.kind == "sentence"]
    claims: list[tuple[tuple, Claim]] = []
    taken: set[tuple[str, int, int]] = set()
    for members in groups:
        members = sorted(members, key=lambda i: (units[i].article_id, units[i].start))
        spans = {(units[i].article_id, units[i].start, units[i].end) for i in members}
        if len(members) == 1 and spans & taken:
            continue  # a sentence already standing, word for word, in a shared claim
        taken |= spans
        claims.append(_claim(members, units, vectors, cache, independence))
    claims.sort(key=lambda c: (-c.sources, -len(c.article_ids), c.variants[0].article_id, c.variants[0].start))
    for n, claim in enumerate(claims, 1):
        claim.id = f"{story_id}-c{n}"
    return claims


def _claim(members: list[int], units: Sequence[Unit], vectors: np.ndarray, cache: PairCache,
           independence: dict[str, str]) -> Claim:
    articles = list(dict.fromkeys(units[i].article_id for i in members))
    centre = vectors[members].mean(axis=0)
    rep = max(members, key=lambda i: (units[i].kind == "sentence", float(vectors[i] @ centre)))
    sources = len({independence.get(a, a) for a in articles})
    group = lambda i: independence.get(units[i].article_id, units[i].article_id)  # noqa: E731
    verdicts, differs = [], set()
    for k, a in enumerate(members):
        for b in members[k + 1:]:
            verdict = cache.get(a, b)
            verdicts.append(verdict.probability if verdict else 1.0)
            # a disagreement counts between independent sources only: a copy that changed a figure is an edit
            if verdict and verdict.relation == "conflicting" and group(a) != group(b):
                differs.add(verdict.detail)
    differs = sorted(d for d in differs if d)
    status = "conflicting" if differs and sources >= 2 else "corroborated" if sources >= 2 else "single-source"
    variants = [Variant(units[i].article_id, units[i].text, units[i].start, units[i].end, units[i].attributed_to)
                for i in members]
    return Claim(
        id="", text=units[rep].text, article_ids=articles, status=status, variants=variants, sources=sources,
        speakers=list(dict.fromkeys(v.attributed_to for v in variants if v.attributed_to)), differs_in=differs,
        confidence=round(min(verdicts, default=1.0), 4))
