"""Benchmark the same-claim pair model against the cosine of sentence vectors, in one run.

Usage: python bench/pairs.py [--speed-pairs 400]

Held-out data the model never saw (train/pair_data.py makes the split):
- MSRP: the last 500 pairs of the MSRP training file. Accuracy and F1 of "equivalent" at the
  model's calibrated 0.5, and of `storyline pairs`' relation (`same` counts as equivalent);
  AUC. Baseline: MiniLM cosine with its threshold chosen for the best accuracy on the MSRP
  pairs the model was trained on (the baseline gets its best cut; the model gets none).
- STS-B news dev (250 headline pairs, 0-5): Spearman of the probability and of the cosine.
- ECB+ same-story pairs of the benchmark topics (23-25, 36-45), which training never sees: two
  sentences of one subtopic in different documents sharing two or more annotated events (same)
  or none (different). AUC, and precision / recall at the threshold claims use
  (`ClaimParams.same`), against the cosine at the cut that gives the model's recall.
Speed: pairs per second of the model on one core (onnxruntime, one thread, each pair scored alone).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "train")]

from pair_data import ecb_same_story_held_out, msrp, stsb  # noqa: E402
from storyline.compare.claims import ClaimParams  # noqa: E402
from storyline.compare.pairs import PairModel, judge  # noqa: E402
from storyline.embed import embed  # noqa: E402


def cosine(pairs) -> np.ndarray:
    a = embed([x for x, _ in pairs])
    b = embed([y for _, y in pairs])
    return (a * b).sum(axis=1)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    order = scores.argsort()
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average ranks of ties
        tied = scores == value
        ranks[tied] = ranks[tied].mean()
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(1, n_pos * n_neg))


def accuracy_f1(predicted: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(predicted & (labels == 1)))
    fp = float(np.sum(predicted & (labels == 0)))
    fn = float(np.sum(~predicted & (labels == 1)))
    f1 = 2 * tp / max(1.0, 2 * tp + fp + fn)
    return float(np.mean(predicted == (labels == 1))), f1


def precision(predicted: np.ndarray, labels: np.ndarray) -> float:
    return float(np.sum(predicted & (labels == 1)) / max(1, np.sum(predicted)))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    def rank(v):
        order = v.argsort()
        r = np.empty(len(v))
        r[order] = np.arange(len(v))
        for value in np.unique(v):
            r[v == value] = r[v == value].mean()
        return r
    return float(np.corrcoef(rank(x), rank(y))[0, 1])


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    cuts = np.unique(np.round(scores, 3))
    return float(max(cuts, key=lambda t: np.mean((scores >= t) == (labels == 1))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed-pairs", type=int, default=400)
    args = parser.parse_args()
    train, held = msrp()
    model = PairModel(threads=1)
    rows = []

    pairs = [(p.a, p.b) for p in held]
    labels = np.array([int(p.target) for p in held])
    probs = model.probabilities(pairs)
    relations = np.array([j.relation == "same" for j in judge(pairs, model=model)])
    cut = best_threshold(cosine([(p.a, p.b) for p in train]), np.array([int(p.target) for p in train]))
    cos = cosine(pairs)
    always = accuracy_f1(np.ones(len(labels), dtype=bool), labels)
    for name, predicted, scores in (("same-claim model, p >= 0.5", probs >= 0.5, probs),
                                    ("same-claim model, relation = same", relations, probs),
                                    (f"MiniLM cosine >= {cut:.3f} (best cut on MSRP train)", cos >= cut, cos)):
        acc, f1 = accuracy_f1(predicted, labels)
        rows.append(("MSRP held-out 500", name, f"acc {acc:.3f}  F1 {f1:.3f}  AUC {auc(scores, labels):.3f}"))
    rows.append(("MSRP held-out 500", "always 'equivalent'", f"acc {always[0]:.3f}  F1 {always[1]:.3f}"))

    dev = stsb("dev")
    dev_pairs = [(p.a, p.b) for p in dev]
    gold = np.array([p.target for p in dev])
    rows.append(("STS-B news dev 250", "same-claim model", f"Spearman {spearman(model.probabilities(dev_pairs), gold):.3f}"))
    rows.append(("STS-B news dev 250", "MiniLM cosine", f"Spearman {spearman(cosine(dev_pairs), gold):.3f}"))

    story = ecb_same_story_held_out()
    story_pairs = [(p.a, p.b) for p in story]
    story_labels = np.array([int(p.target) for p in story])
    story_probs = model.probabilities(story_pairs)
    story_cos = cosine(story_pairs)
    at = ClaimParams().same
    picked = story_probs >= at
    recall = float(np.sum(picked & (story_labels == 1)) / max(1, story_labels.sum()))
    name = f"ECB+ same-story {len(story)}"
    rows.append((name, f"same-claim model, p >= {at}", f"AUC {auc(story_probs, story_labels):.3f}  "
                 f"P {precision(picked, story_labels):.3f}  R {recall:.3f}"))
    cos_cut = np.quantile(story_cos[story_labels == 1], 1 - recall) if recall else 1.0
    rows.append((name, f"MiniLM cosine >= {cos_cut:.3f} (same recall)", f"AUC {auc(story_cos, story_labels):.3f}  "
                 f"P {precision(story_cos >= cos_cut, story_labels):.3f}"))

    speed = (pairs * (1 + args.speed_pairs // len(pairs)))[: args.speed_pairs]
    started = time.perf_counter()
    model.probabilities(speed)
    seconds = time.perf_counter() - started
    rows.append(("speed", "same-claim model, 1 thread", f"{len(speed) / seconds:.0f} pairs/s"))

    width = max(len(r[1]) for r in rows)
    for data, name, figure in rows:
        print(f"{data:<20} {name:<{width}}  {figure}")


if __name__ == "__main__":
    main()
