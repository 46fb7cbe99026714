"""Claims: statements that say the same thing across articles, whatever the wording.

Units (sentences and quoted passages) are embedded and clustered with average linkage (a group
must be similar as a whole, not chained through one bridging sentence). Units from the same
article are kept apart by the distance matrix, so a group is a set of articles each contributing
its own wording. Then each claim shared by two or more articles takes in, from every other
article, the sentence or clause closest to its centre when close enough (`attach`): outlets that
bury a claim inside a long sentence join it. Thresholds were tuned on the example corpus's gold
(bench/claims.py), never on the seed articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from ..records import Claim, Variant
from .units import Embed, Unit, clauses, negations, numbers, words


@dataclass(frozen=True)
class ClaimParams:
    # cosine similarity at which two statements count as the same claim (tuned on dev data; see bench/claims.py)
    threshold: float = 0.5
    # cosine to a shared claim's centre at which another article's sentence or clause joins it (1.0: never)
    attach: float = 0.65
    max_units: int = 8000  # beyond this a story is clustered in chunks of whole articles (bounds the n x n matrix)


def group_units(units: Sequence[Unit], vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Indices of units grouped into claims (every unit in exactly one group)."""
    n = len(units)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    sim = np.clip(vectors @ vectors.T, -1.0, 1.0)
    article = np.array([u.article_id for u in units])
    same = article[:, None] == article[None, :]
    dist = 1.0 - sim
    dist[same] = 2.0  # never join two statements of one article directly
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _best_per_article(members: list[int], units: Sequence[Unit], sim: np.ndarray) -> list[int]:
    """One unit per article: the one most similar to the rest of the group."""
    best: dict[str, tuple[float, int]] = {}
    for i in members:
        others = [j for j in members if units[j].article_id != units[i].article_id]
        score = float(sim[i, others].mean()) if others else 0.0
        if units[i].kind == "sentence":
            score += 1e-3  # prefer full sentences when equally close
        current = best.get(units[i].article_id)
        if current is None or score > current[0]:
            best[units[i].article_id] = (score, i)
    return [i for _, i in sorted(best.values(), key=lambda t: t[1])]


STEM = 4  # words compared by their first letters: "fail"/"failed", "neglect"/"negligence"
CLOSE_WORDING = 0.5  # word-set Jaccard above which a dropped "not" or a changed number is a real disagreement


def disagree(texts: Sequence[str]) -> bool:
    """Two closely worded variants of one claim that differ in negation or in the numbers they state.

    Paraphrases vary their negations freely ("no state may" / "countries should not"), so only
    variants that share most of their words are compared.
    """
    bags = [{w.lower()[:STEM] for w in words(t)} for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            overlap = len(bags[i] & bags[j]) / max(1, len(bags[i] | bags[j]))
            if overlap < CLOSE_WORDING:
                continue
            if negations(texts[i]) % 2 != negations(texts[j]) % 2:
                return True
            a, b = numbers(texts[i]), numbers(texts[j])
            if a and b and not (a & b):
                return True
    return False


def attach(groups: list[list[int]], units: Sequence[Unit], vectors: np.ndarray, threshold: float) -> None:
    """Add, in place, each missing article's closest sentence or clause to every shared claim.

    Clustering compares whole sentences, so an outlet that buries a claim in a long sentence
    stays out of the group; measured against the centre of a claim that two or more articles
    already share, its clause or sentence stands out. Only shared claims take part, so a clause
    never starts a claim on its own.
    """
    article = np.array([u.article_id for u in units])
    for members in groups:
        present = {units[i].article_id for i in members}
        if len(present) < 2:
            continue
        centre = vectors[members].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
        score = vectors @ centre
        best: dict[str, tuple[float, int]] = {}
        for i in np.flatnonzero(score >= threshold):
            a = article[i]
            if a not in present and (a not in best or score[i] > best[a][0]):
                best[a] = (float(score[i]), int(i))
        members.extend(i for _, i in best.values())


def _grouped(units: Sequence[Unit], vectors: np.ndarray, params: ClaimParams) -> list[list[int]]:
    """group_units over the story, or over chunks of whole articles when it has too many units."""
    if len(units) <= params.max_units:
        return group_units(units, vectors, params.threshold)
    chunks: list[list[int]] = [[]]
    for i, u in enumerate(units):
        if len(chunks[-1]) >= params.max_units and u.article_id != units[chunks[-1][-1]].article_id:
            chunks.append([])
        chunks[-1].append(i)
    out = []
    for chunk in chunks:
        out += [[chunk[i] for i in g] for g in group_units([units[i] for i in chunk], vectors[chunk], params.threshold)]
    return out


def build_claims(
    story_id: str,
    units: Sequence[Unit],
    embed: Embed,
    independence: dict[str, str],
    params: ClaimParams = ClaimParams(),
) -> list[Claim]:
    """Claims of one story, most widely carried first."""
    if not units:
        return []
    vectors = embed([u.text for u in units])
    sim = vectors @ vectors.T
    groups = [_best_per_article(m, units, sim) for m in _grouped(units, vectors, params)]
    if params.attach < 1.0:
        extra = [c for u in units for c in clauses(u)]
        units = list(units) + extra
        vectors = np.vstack([vectors, embed([u.text for u in extra])]) if extra else vectors
        attach(groups, units, vectors, params.attach)
    claims: list[tuple[tuple, Claim]] = []
    for chosen in groups:
        chosen = sorted(chosen, key=lambda i: (units[i].article_id, units[i].start))
        articles = list(dict.fromkeys(units[i].article_id for i in chosen))
        if len(articles) == 1 and units[chosen[0]].kind != "sentence":
            continue  # a lone quoted passage is already carried by its sentence's claim
        centre = vectors[chosen].mean(axis=0)
        rep = max(chosen, key=lambda i: (units[i].kind == "sentence", float(vectors[i] @ centre)))
        sources = len({independence.get(a, a) for a in articles})
        variants = [Variant(units[i].article_id, units[i].text, units[i].start, units[i].end, units[i].attributed_to)
                    for i in chosen]
        if sources >= 2 and disagree([v.text for v in variants]):
            status = "conflicting"
        else:
            status = "corroborated" if sources >= 2 else "single-source"
        claim = Claim(id="", text=units[rep].text, article_ids=articles, status=status, variants=variants, sources=sources)
        claims.append(((-sources, -len(articles), units[rep].article_id, units[rep].start), claim))
    claims.sort(key=lambda t: t[0])
    out = []
    for n, (_, claim) in enumerate(claims, 1):
        claim.id = f"{story_id}-c{n}"
        out.append(claim)
    return out
