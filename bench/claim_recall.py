"""Where ECB+ event-sentence recall is lost: candidate pairs, the same-claim model, or grouping.

Usage: python bench/claim_recall.py [--topics 36,37,...]   (default: the test topics 36-45)

For each sentence that mentions an annotated event (as in bench/claims.py), against the
sentences of other documents that mention an event of the same subtopic: whether such a
partner is among the vector candidates the compare stage asks the model about, and the best
calibrated probability the model gives any partner. Reading it: a sentence whose best partner
scores below the claim threshold cannot enter a cross-document claim however the claims are
grouped, so the share at >= 0.65 bounds the recall of the default settings.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

from claims import TEST_TOPICS, ecb_records  # noqa: E402
from storyline.compare.claims import ClaimParams, candidate_pairs  # noqa: E402
from storyline.compare.pairs import default_model  # noqa: E402
from storyline.compare.units import story_units, unit_vectors  # noqa: E402
from storyline.embed import embed  # noqa: E402

LEVELS = (0.65, 0.5, 0.3)


def topic_counts(rec, gold, model, params: ClaimParams) -> Counter:
    units = story_units(rec.articles, rec.sentences, rec.quotes, rec.figures)
    vectors = unit_vectors(units, embed)
    whole = [i for i, u in enumerate(units) if u.kind != "clause"]
    event_of = {}
    for i in whole:
        u = units[i]
        for (doc, start, end), subtopic in gold.items():
            if doc == u.article_id and start < u.end and u.start < end:
                event_of[i] = subtopic
    asked = set(candidate_pairs(units, vectors, params, whole, whole))
    pairs = [(i, j) for i, j in itertools.combinations(sorted(event_of), 2)
             if units[i].article_id != units[j].article_id and event_of[i] == event_of[j]]
    probs = dict(zip(pairs, model.probabilities(
        [(units[i].text, units[j].text) for i, j in pairs],
        cosines=np.array([float(vectors[i] @ vectors[j]) for i, j in pairs])))) if pairs else {}
    counts = Counter()
    for i in event_of:
        mine = [p for p in pairs if i in p]
        counts["event sentences"] += 1
        if not mine:
            continue
        counts["with a partner"] += 1
        counts["partner among candidates"] += any(p in asked for p in mine)
        for level in LEVELS:
            counts[f"best partner >= {level}"] += max(probs[p] for p in mine) >= level
            counts[f"candidate partner >= {level}"] += any(probs[p] >= level for p in mine if p in asked)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--topics", default=",".join(map(str, sorted(TEST_TOPICS))))
    args = ap.parse_args()
    topics = [int(t) for t in args.topics.split(",")]
    data = ecb_records(0)
    model = default_model()
    total = Counter()
    for t in topics:
        rec, _, gold = data[t]
        total += topic_counts(rec, gold, model, ClaimParams())
    n = total["event sentences"]
    print(f"ECB+ topics {topics}: {n} event sentences")
    for key, value in total.items():
        print(f"  {key:<30}{value:>6}{value / max(1, n):8.3f}")


if __name__ == "__main__":
    main()
