"""Learn which first names go with "he" and which with "she", from PolNeAR train.

Usage: python bench/learn_first_names.py [--limit N]

For every article, the unambiguous pronouns of `referents.pronoun_evidence` ("Lee said she…")
are credited to the person named, and through the person's full mentions ("Ana Lee") to the
first name. A first name is kept when it was seen at least MIN_VOTES times and one gender has at
least SHARE of the votes. The table is written to storyline/extract/first_names.json, which the
speaker resolver reads for people the article itself says nothing about. Deterministic: no
sampling, articles in name order.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline import nlp  # noqa: E402
from storyline.extract.lexicon import EXTRA_TITLES  # noqa: E402
from storyline.extract.names import TITLE_WORDS  # noqa: E402
from storyline.extract.referents import FIRST_NAMES, GENDERED, key, pronoun_evidence  # noqa: E402

TRAIN = REPO.parent / "shared" / "data" / "polnear" / "train" / "text"
MIN_VOTES = 2
SHARE = 0.8


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    paths = sorted(TRAIN.glob("*.txt"))[: args.limit or None]
    votes: dict[str, Counter] = defaultdict(Counter)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for doc in nlp.parse(texts):
        people = [e for e in doc.ents if e.label_ == "PERSON"]
        evidence = pronoun_evidence(doc, people)
        firsts: dict[str, set[str]] = defaultdict(set)
        for p in people:
            first = p[0].lower_
            if len(p) > 1 and p[0].is_alpha and p[0].is_title and first not in TITLE_WORDS | EXTRA_TITLES | GENDERED.keys():
                firsts[key(p)].add(first)
        for k, counts in evidence.items():
            if len(firsts.get(k, ())) == 1:  # one first name per surname in the article, or no credit
                votes[next(iter(firsts[k]))].update(counts)
    names = {}
    for name, c in sorted(votes.items()):
        total = sum(c.values())
        top, n = c.most_common(1)[0]
        if total >= MIN_VOTES and n >= SHARE * total:
            names[name] = top
    FIRST_NAMES.write_text(json.dumps({"source": "PolNeAR train, pronoun use", "articles": len(paths),
                                       "min_votes": MIN_VOTES, "share": SHARE, "names": names},
                                      indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(names)} first names ({sum(v == 'f' for v in names.values())} she, "
          f"{sum(v == 'm' for v in names.values())} he) from {len(paths)} articles -> {FIRST_NAMES.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
