"""Body-text extraction quality of the clean stage on real news pages, beside plain trafilatura.

Usage: python bench/extraction.py [--data ../shared/data/extraction-bench] [--limit N] [--seed 0]

Data: the Scrapinghub/Zyte article-extraction-benchmark (html/<id>.html.gz, ground-truth.json
with each page's gold articleBody). Metric as upstream describes it (SOURCE.txt): tokens are
regex \\w+, compared as 4-token shingles with multiplicity; per page TP/FP/FN are normalised to
sum 1 and averaged over pages; precision and recall come from the averaged figures and F1 from
those. The +- figure is the bootstrap standard deviation of F1 over pages (1000 resamples).

Systems:
  trafilatura      trafilatura.extract(html) with its defaults (comments included, as shipped)
  storyline        storyline.clean.clean on the Document storyline's ingest makes of the page
  storyline-main   the clean stage's trafilatura call alone, before its edge pass

Writes bench/out/extraction.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline.clean import BoilerplateModel, clean  # noqa: E402
from storyline.clean.html import main_text  # noqa: E402
from storyline.ingest.html import html_document  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "extraction-bench"
OUT = REPO / "bench" / "out" / "extraction.json"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def tp_fp_fn(gold: str, pred: str) -> tuple[float, float, float]:
    g, p = shingles(gold), shingles(pred)
    if not g and not p:
        return 1.0, 0.0, 0.0
    tp = sum((g & p).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    total = tp + fp + fn
    return tp / total, fp / total, fn / total


def prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    tp = sum(r[0] for r in rows) / len(rows)
    fp = sum(r[1] for r in rows) / len(rows)
    fn = sum(r[2] for r in rows) / len(rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bootstrap_std(rows: list[tuple[float, float, float]], rounds: int = 1000, seed: int = 0) -> float:
    rng = random.Random(seed)
    scores = [prf([rows[rng.randrange(len(rows))] for _ in rows])[2] for _ in range(rounds)]
    mean = sum(scores) / len(scores)
    return (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (sorted by id)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import trafilatura

    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit] if args.limit else sorted(truth)
    pages = {i: gzip.decompress((args.data / "html" / f"{i}.html.gz").read_bytes()) for i in ids}
    docs = {i: html_document(f"{i}.html", data) for i, data in pages.items()}
    model = BoilerplateModel.learn(docs.values())

    systems = {
        "trafilatura": lambda i: trafilatura.extract(pages[i].decode("utf-8", "replace")) or "",
        "storyline": lambda i: clean(docs[i], model).text,
        "storyline-main": lambda i: main_text(docs[i].content),
    }
    results = {}
    print(f"{len(ids)} pages from {args.data}")
    print(f"{'system':<16} {'precision':>9} {'recall':>7} {'F1':>7} {'+-':>6} {'s/page':>7}")
    for name, run in systems.items():
        rows = []
        start = time.perf_counter()
        for i in ids:
            rows.append(tp_fp_fn(truth[i]["articleBody"], run(i)))
        seconds = (time.perf_counter() - start) / len(ids)
        p, r, f = prf(rows)
        std = bootstrap_std(rows, seed=args.seed)
        results[name] = {"precision": p, "recall": r, "f1": f, "f1_std": std, "seconds_per_page": seconds}
        print(f"{name:<16} {p:9.3f} {r:7.3f} {f:7.3f} {std:6.3f} {seconds:7.3f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"pages": len(ids), "results": results}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
