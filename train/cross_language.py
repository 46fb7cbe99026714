"""Fit the cross-language claim judge that ships in storyline/models/cross_language/.

    pip install -e '.[bench]'       # scikit-learn fits the logistic; nothing here needs torch
    python train/cross_language.py [--seed 13]

Data: MEANTIME (../shared/data/meantime), 120 English Wikinews articles and their Spanish,
Italian and Dutch human translations; in the documents whose four versions have the same
number of lines, line k of one language translates line k of the others. For every pair of
languages, every statement line (`compare.units.is_statement`) of one version is paired with
every statement line of the other version of the same article: the aligned line is a positive,
every other line a negative on the same topic (the confusion a story's claims face).

The articles are split in two halves by a seeded shuffle of their ids. On the fit half the
candidate cosine is set where 99% of the aligned pairs remain, and a logistic regression of
"aligned" on the centred multilingual-e5 cosine is fitted over the pairs above it. The held-out
half is scored at the join threshold (the lowest probability whose fit-half pairs are 90%
right) and at the claim thresholds (`ClaimParams.seed`), beside the English path (MiniLM
cosine candidates and the same-claim cross-encoder) on the same pairs. Writes calibration.json
and bench/out/cross_language.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from meantime import LANGUAGES, documents  # noqa: E402

from storyline.compare.claims import ClaimParams  # noqa: E402
from storyline.compare.units import is_statement  # noqa: E402

OUT = REPO / "storyline" / "models" / "cross_language"
CANDIDATE_RECALL = 0.99
# the join threshold is the lowest probability at which the fit half's pairs are this precise;
# starting a claim still takes `ClaimParams.seed`
JOIN_PRECISION = 0.9


def aligned_articles() -> dict[str, dict[str, list[str]]]:
    """doc id -> language -> lines, for the articles whose versions line up line by line."""
    versions: dict[str, dict[str, list[str]]] = {}
    for lang, doc in documents():
        versions.setdefault(doc["doc_id"], {})[lang] = doc["text"].split("\n")
    return {k: v for k, v in versions.items() if len(v) == len(LANGUAGES) and len({len(x) for x in v.values()}) == 1}


def split(ids, seed: int) -> tuple[list[str], list[str]]:
    """(fit, held-out) halves of the article ids, by a seeded shuffle."""
    ids = sorted(ids)
    random.Random(seed).shuffle(ids)
    return sorted(ids[: len(ids) // 2]), sorted(ids[len(ids) // 2:])


def pairs_of(doc: dict[str, list[str]]):
    """(language a, line i, language b, line j) over statement lines of two versions."""
    for x, a in enumerate(LANGUAGES):
        for b in LANGUAGES[x + 1:]:
            for i, line in enumerate(doc[a]):
                if not is_statement(line):
                    continue
                for j, other in enumerate(doc[b]):
                    if is_statement(other):
                        yield a, i, b, j


def cosines(articles: dict[str, dict[str, list[str]]], encode) -> dict[str, np.ndarray]:
    """doc id -> (labels, cosines, pairs): the arrays over `pairs_of` and the pairs themselves."""
    out = {}
    for doc_id, doc in articles.items():
        vectors = {lang: encode(lines) for lang, lines in doc.items()}
        rows = list(pairs_of(doc))
        cos = np.array([float(vectors[a][i] @ vectors[b][j]) for a, i, b, j in rows], dtype=np.float32)
        labels = np.array([i == j for _, i, _, j in rows])
        out[doc_id] = (labels, cos, rows)
    return out


def precision_recall(predicted: np.ndarray, labels: np.ndarray) -> dict:
    hits = int((predicted & labels).sum())
    return {"precision": round(hits / max(int(predicted.sum()), 1), 3), "recall": round(hits / max(int(labels.sum()), 1), 3),
            "pairs": int(predicted.sum())}


def english_path(articles, test_ids, params: ClaimParams) -> dict:
    """The path cross-language pairs took before: MiniLM cosine candidates, the English cross-encoder."""
    from storyline.compare.pairs import judge
    from storyline.embed import embed

    labels, chosen = [], []
    for doc_id in test_ids:
        doc = articles[doc_id]
        vectors = {lang: embed(lines) for lang, lines in doc.items()}
        rows = list(pairs_of(doc))
        cos = np.array([float(vectors[a][i] @ vectors[b][j]) for a, i, b, j in rows])
        ask = [n for n, c in enumerate(cos) if c >= params.candidate]
        verdicts = judge([(doc[rows[n][0]][rows[n][1]], doc[rows[n][2]][rows[n][3]]) for n in ask], same=params.seed)
        picked = np.zeros(len(rows), dtype=bool)
        picked[[n for n, v in zip(ask, verdicts) if v.relation != "different"]] = True
        labels.append(np.array([i == j for _, i, _, j in rows]))
        chosen.append(picked)
    return precision_recall(np.concatenate(chosen), np.concatenate(labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    from storyline.multilingual import default_multilingual

    articles = aligned_articles()
    fit_ids, test_ids = split(articles, args.seed)
    started = time.perf_counter()
    scored = cosines(articles, default_multilingual().encode)
    embed_seconds = time.perf_counter() - started
    sentences = sum(len(lines) for doc in articles.values() for lines in doc.values())

    fit_labels = np.concatenate([scored[k][0] for k in fit_ids])
    fit_cos = np.concatenate([scored[k][1] for k in fit_ids])
    candidate = float(np.quantile(fit_cos[fit_labels], 1 - CANDIDATE_RECALL))
    above = fit_cos >= candidate
    model = LogisticRegression(C=1.0).fit(fit_cos[above, None], fit_labels[above])
    scale, bias = float(model.coef_[0, 0]), float(model.intercept_[0])

    fit_probability = 1 / (1 + np.exp(-(scale * fit_cos + bias)))
    join = next(t for t in np.round(np.arange(0.05, 1.0, 0.01), 2)
                if precision_recall(above & (fit_probability >= t), fit_labels)["precision"] >= JOIN_PRECISION)
    params = ClaimParams()
    test_labels = np.concatenate([scored[k][0] for k in test_ids])
    test_cos = np.concatenate([scored[k][1] for k in test_ids])
    probability = 1 / (1 + np.exp(-(scale * test_cos + bias)))
    held_out = {f"at {t}": precision_recall((test_cos >= candidate) & (probability >= t), test_labels)
                for t in sorted({float(join), 0.5, params.seed, params.same, 0.8})}
    calibration = {"scale": round(scale, 4), "bias": round(bias, 4), "candidate": round(candidate, 4),
                   "join": float(join), "join_precision_on_fit": JOIN_PRECISION,
                   "fit_articles": len(fit_ids), "fit_pairs": int(above.sum()), "seed": args.seed,
                   "data": "MEANTIME en/es/it/nl, line-aligned versions"}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "calibration.json").write_text(json.dumps(calibration, indent=2) + "\n")
    result = {"calibration": calibration, "test_articles": len(test_ids), "test_positives": int(test_labels.sum()),
              "test_pairs": len(test_labels), "multilingual": held_out,
              "english_path": english_path(articles, test_ids, params),
              "e5_sentences_per_second": round(sentences / embed_seconds, 1)}
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "cross_language.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
