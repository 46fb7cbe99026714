"""Benchmark claims across languages on MEANTIME: does each statement meet its translations?

Usage: python bench/cross_claims.py [--seed 13] [--limit N]

Data: the held-out half of MEANTIME's line-aligned articles (`train/cross_language.py` fits
the cross-language judge on the other half, same seed). Each article and its Spanish, Italian
and Dutch translations form one story, as the stories stage groups them; every version goes
through the real extract step and `compare_story`. A claim link is two variants of one claim
in different languages; it is right when both are the same line (line k of a version
translates line k of the others). Recall counts the aligned statement-line pairs that end up in
one claim. Two runs in the same process: the multilingual judge (default), and the baseline
with `ClaimParams(across_languages=False)`, the English model for every pair. Also reported:
links within one language (wrong by construction: one article per language) and the compare
time of each run. Writes bench/out/cross_claims.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "train"))
from cross_language import aligned_articles, split  # noqa: E402

from storyline.compare import ClaimParams, StoryRecords, compare_story  # noqa: E402
from storyline.compare.units import is_statement  # noqa: E402
from storyline.map_steps import extract_articles  # noqa: E402
from storyline.records import Article, Story  # noqa: E402


def stories(doc_ids, articles) -> list[StoryRecords]:
    out = []
    for doc_id in doc_ids:
        versions = [Article(id=f"{lang}:{doc_id}", path=f"{lang}/{doc_id}", text="\n".join(lines), title=lines[0],
                            source=f"meantime-{lang}", language=lang) for lang, lines in articles[doc_id].items()]
        extracts = extract_articles(versions)
        out.append(StoryRecords(Story(doc_id, versions[0].title or doc_id, [a.id for a in versions]), versions,
                                sentences=[s for x in extracts for s in x.sentences],
                                quotes=[q for x in extracts for q in x.quotes],
                                figures=[f for x in extracts for f in x.figures],
                                events=[e for x in extracts for e in x.events],
                                mentions=[m for x in extracts for m in x.mentions]))
    return out


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def score(records: list[StoryRecords], params: ClaimParams) -> dict:
    right = wrong = same_language = 0
    found: set[tuple] = set()
    aligned = 0
    started = time.perf_counter()
    for rec in records:
        texts = {a.id: a.text for a in rec.articles}
        lines = {a.id: a.text.split("\n") for a in rec.articles}
        ids = sorted(texts)
        aligned += sum(1 for x, a in enumerate(ids) for b in ids[x + 1:] for k, line in enumerate(lines[a])
                       if is_statement(line) and is_statement(lines[b][k]))
        story = compare_story(rec, params=params)
        for claim in story.claims:
            spots = [(v.article_id, line_of(texts[v.article_id], v.start)) for v in claim.variants]
            for x, (a, i) in enumerate(spots):
                for b, j in spots[x + 1:]:
                    if a.split(":")[0] == b.split(":")[0]:
                        same_language += 1
                    elif i == j:
                        right += 1
                        found.add((rec.story.id, min(a, b), max(a, b), i))
                    else:
                        wrong += 1
    links = right + wrong
    return {"links": links, "precision": round(right / max(links, 1), 3), "recall": round(len(found) / max(aligned, 1), 3),
            "aligned_pairs": aligned, "same_language_links": same_language,
            "compare_seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="held-out articles to use (0: all)")
    args = parser.parse_args()
    articles = aligned_articles()
    _, held_out = split(articles, args.seed)
    held_out = held_out[: args.limit] if args.limit else held_out
    t0 = time.perf_counter()
    records = stories(held_out, articles)
    print(f"extracted {sum(len(r.articles) for r in records)} versions of {len(records)} articles in "
          f"{time.perf_counter() - t0:.0f}s")
    result = {"articles": len(records),
              "baseline (English model for every pair)": score(records, ClaimParams(across_languages=False)),
              "multilingual judge": score(records, ClaimParams())}
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "cross_claims.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'run':42} {'links':>6} {'P':>6} {'R':>6} {'same-lang':>9} {'seconds':>8}")
    for name, r in result.items():
        if isinstance(r, dict):
            print(f"{name:42} {r['links']:6} {r['precision']:6.3f} {r['recall']:6.3f} {r['same_language_links']:9} "
                  f"{r['compare_seconds']:8.1f}")


if __name__ == "__main__":
    main()
