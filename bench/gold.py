"""Every stage on the example corpus, scored against its gold (tests/gold/examples.json).

Usage: python bench/gold.py [--db FILE]

Runs the whole pipeline once into a temporary store (or reads `--db`) and prints, per stage,
what the gold asks and how much of it storyline gets: article metadata, copy links, stories,
entity alias pairs, quotes and speakers, figures and attribution, resolved dates. The tests in
tests/test_gold.py hold the same figures as floors.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from gold_match import Stored, load_gold, squash  # noqa: E402

from storyline import pipeline  # noqa: E402
from storyline.store import Store  # noqa: E402


def _rate(hit: int, total: int) -> str:
    return f"{hit}/{total} ({hit / total:.3f})" if total else "-"


def score(stored: Stored, gold: dict) -> list[tuple[str, str]]:
    rows = []
    meta = sum(all(getattr(stored.articles[g["ref"]], f) == g[f] for f in ("title", "source", "published"))
               for g in gold["articles"] if g["ref"] in stored.articles)
    rows.append(("articles with title, source and date as gold", _rate(meta, len(gold["articles"]))))

    ids = {ref: a.id for ref, a in stored.articles.items()}
    found = {(c.article_id, c.of_article_id): c.kind for c in stored.copies}
    right = sum(found.get((ids[c["copy"]], ids[c["of"]])) == c["kind"] for c in gold["copies"])
    gold_pairs = {(ids[c["copy"]], ids[c["of"]]) for c in gold["copies"]}
    rows.append(("copy links (kind and direction right) / gold", _rate(right, len(gold["copies"]))))
    rows.append(("copy links not in gold", str(len(set(found) - gold_pairs))))

    pairs = lambda groups: {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}  # noqa: E731
    gold_story = pairs([ids[r] for r in refs] for refs in gold["stories"].values())
    ours = pairs(s.article_ids for s in stored.stories)
    tp = len(gold_story & ours)
    rows.append(("story pairs precision / recall", f"{tp / max(len(ours), 1):.3f} / {tp / max(len(gold_story), 1):.3f}"))

    def entities_of(name: str) -> set[str]:
        wanted = squash(name)
        return {e.id for e in stored.entities if wanted in {squash(n) for n in [e.name, *e.aliases]}}

    alias_pairs = [(a, b) for e in gold["entities"] for a, b in itertools.combinations(e["aliases"], 2)]
    merged = sum(bool(entities_of(a) & entities_of(b)) for a, b in alias_pairs)
    apart = sum(not (entities_of(a) & entities_of(b)) for a, b in gold["distinct_entities"])
    rows.append(("entity alias pairs merged", _rate(merged, len(alias_pairs))))
    rows.append(("distinct entity pairs kept apart", _rate(apart, len(gold["distinct_entities"]))))

    quotes = [(g, stored.quote_for(g)) for g in gold["quotes"]]
    matched = [(g, q) for g, q in quotes if q]
    rows.append(("quotes found", _rate(len(matched), len(quotes))))
    rows.append(("  of those, speaker = gold entity", _rate(sum(squash(g["speaker"]) in stored.names(q.speaker_entity)
                                                              for g, q in matched), len(matched))))
    rows.append(("  of those, kind = gold", _rate(sum(stored.kind_of(q, g) == g["kind"] for g, q in matched), len(matched))))

    figures = [(g, stored.figure_for(g)) for g in gold["figures"]]
    got = [(g, f) for g, f in figures if f]
    rows.append(("figures with gold value", _rate(len(got), len(figures))))
    attributed = sum((g["attributed_to"] is None and f.attributed_to is None)
                     or (g["attributed_to"] is not None and f.attributed_to is not None
                         and bool(entities_of(g["attributed_to"]) & entities_of(f.attributed_to)
                                  or squash(g["attributed_to"]) == squash(f.attributed_to)))
                     for g, f in got)
    rows.append(("  of those, attribution = gold", _rate(attributed, len(got))))

    events = sum((e := stored.event_for(g)) is not None and e.date == g["date"] for g in gold["events"])
    rows.append(("date expressions resolved to the gold date", _rate(events, len(gold["events"]))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="score an existing store instead of running the pipeline")
    args = parser.parse_args()
    gold = load_gold()
    db = args.db
    if db is None:
        out = Path(tempfile.mkdtemp(prefix="storyline-gold-"))
        db = str(out / "store.duckdb")
        began = time.perf_counter()
        result = pipeline.run([REPO / "examples" / "corpus"], out, db=db, field_map=gold["field_map"])
        print(f"pipeline: {result.articles} articles in {time.perf_counter() - began:.1f} s; stages {result.stages}")
    with Store(db, read_only=True) as store:
        stored = Stored.read(store, gold)
    rows = score(stored, gold)
    width = max(len(k) for k, _ in rows)
    for what, figure in rows:
        print(f"{what:<{width}}  {figure}")


if __name__ == "__main__":
    main()
