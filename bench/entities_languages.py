"""Benchmark named mentions in other languages on MEANTIME: found, clean, and one entity across languages.

Usage: python bench/entities_languages.py [--limit N]

Data: ../shared/data/meantime/{en,es,it,nl}: 120 English Wikinews articles and their Spanish,
Italian and Dutch translations (docs.jsonl), with entity mentions annotated token by token
(meantime.conll: `(cross_intra_ORG…` … `…)`), each tied to an instance shared by all four
languages. Every version goes through the real extract step twice in the same run: as storyline
reads it (the article's language given) and as before (language unknown, English rules).

Reported per language:
* precision: storyline mentions overlapping an annotated entity mention (MEANTIME annotates the
  entities of its cross-document instances, nominal mentions included, so a name it does not
  annotate counts as wrong here: figures compare runs, they are not absolute);
* recall: annotated mentions with a capitalised word (names, roughly) that a storyline mention
  overlaps;
* across languages: of the instances that storyline finds in both the English article and its
  translation, the share whose mentions `canonicalize` puts in one entity.
Writes bench/out/entities_languages.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from meantime import LANGUAGES, SHARED, documents  # noqa: E402

from storyline.extract.entities import EntityIndex, canonicalize  # noqa: E402
from storyline.map_steps import extract_articles  # noqa: E402
from storyline.records import Article  # noqa: E402

EVENT_CLASSES = ("OTH", "GRA", "SPE", "ASP", "PER_EV")  # MEANTIME event classes: not entities
MISSES: list | None = None  # set to a list to collect the instances left in two entities
_TAG = re.compile(r"\(?(cross_intra_|cross_|intra_)?([A-Z]+)(\d+)\)?")


def gold_mentions(lang: str) -> dict[str, list[list[tuple[str, str]]]]:
    """doc id -> sentences -> (token, tag column)."""
    docs: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    with open(SHARED / "meantime" / lang / "meantime.conll", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            doc, sentence, _, token, tag = line.rstrip("\n").split("\t")[:5]
            docs[doc][int(sentence)].append((token, tag))
    return {d: [s[k] for k in sorted(s)] for d, s in docs.items()}


def spans_of(text: str, sentences) -> list[tuple[int, int, str, str]]:
    """(start, end, class, instance) of each annotated entity mention, tokens found in order in `text`."""
    out, pos = [], 0
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for k, tokens in enumerate(sentences):
        if k >= len(lines):
            break
        pos = offsets[k]
        open_at: dict[str, list[int]] = defaultdict(list)
        for token, tag in tokens:
            at = text.find(token, pos, offsets[k + 1])
            if at < 0:
                continue
            pos = at + len(token)
            for part in tag.split("|"):
                part = part.strip()
                m = _TAG.fullmatch(part)
                if not m or part == "-":
                    continue
                key = m.group(2) + m.group(3)
                if part.startswith("("):
                    open_at[key].append(at)
                if part.endswith(")") and open_at[key]:
                    start = open_at[key].pop()
                    if m.group(2) not in EVENT_CLASSES:
                        out.append((start, pos, m.group(2), key))
    return out


def run(limit: int, given_language: bool) -> dict:
    versions = defaultdict(dict)
    for lang, doc in documents():
        versions[doc["doc_id"]][lang] = doc
    ids = sorted(versions)[: limit or None]
    gold = {lang: gold_mentions(lang) for lang in LANGUAGES}
    articles = [Article(id=f"{lang}:{d}", path=f"{lang}/{d}", text=versions[d][lang]["text"],
                        title=versions[d][lang]["title"], language=lang if given_language else None)
                for d in ids for lang in LANGUAGES if lang in versions[d]]
    started = time.perf_counter()
    extracts = {x.article_id: x for x in extract_articles(articles)}
    seconds = time.perf_counter() - started
    stats = {lang: {"mentions": 0, "right": 0, "gold": 0, "found": 0, "shared": 0, "joined": 0} for lang in LANGUAGES}
    for d in ids:
        found_by: dict[str, dict[str, list]] = {}
        for lang in versions[d]:
            a = f"{lang}:{d}"
            spans = spans_of(versions[d][lang]["text"], gold[lang].get(d, []))
            mentions = extracts[a].mentions
            found_by[lang] = {sp[3]: [m for m in mentions if m.start < sp[1] and sp[0] < m.end] for sp in spans}
            if not spans:  # this version is not annotated (most Italian ones)
                continue
            s = stats[lang]
            s["mentions"] += len(mentions)
            s["right"] += sum(any(m.start < e and b < m.end for b, e, _, _ in spans) for m in mentions)
            named = [sp for sp in spans if any(w[:1].isupper() for w in versions[d][lang]["text"][sp[0]:sp[1]].split())]
            s["gold"] += len(named)
            s["found"] += sum(any(m.start < e and b < m.end for m in mentions) for b, e, _, _ in named)
        if "en" not in found_by:
            continue
        for lang in found_by:
            if lang == "en":
                continue
            pool = [m for ms in list(found_by["en"].values()) + list(found_by[lang].values()) for m in ms]
            index = EntityIndex(canonicalize({(m.article_id, m.start, m.end): m for m in pool}.values()))
            for instance, english in found_by["en"].items():
                other = found_by[lang].get(instance, [])
                if not english or not other:
                    continue
                stats[lang]["shared"] += 1
                ids_en = {e.id for m in english if (e := index.at(m.article_id, m.start, m.end))}
                ids_xx = {e.id for m in other if (e := index.at(m.article_id, m.start, m.end))}
                stats[lang]["joined"] += bool(ids_en & ids_xx)
                if MISSES is not None and not ids_en & ids_xx:
                    MISSES.append((lang, sorted({m.text + "/" + m.label for m in english}),
                                   sorted({m.text + "/" + m.label for m in other})))
    out = {}
    for lang, s in stats.items():
        out[lang] = {"mentions": s["mentions"], "precision": round(s["right"] / max(s["mentions"], 1), 3),
                     "recall": round(s["found"] / max(s["gold"], 1), 3),
                     "instances_in_both": s["shared"], "one_entity": round(s["joined"] / max(s["shared"], 1), 3)}
    out["extract_seconds"] = round(seconds, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="documents per language (0: all 120)")
    args = parser.parse_args()
    result = {"language unknown (English rules)": run(args.limit, False), "language given": run(args.limit, True)}
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "entities_languages.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'run':34} {'lang':4} {'mentions':>8} {'P':>6} {'R':>6} {'in both':>7} {'one entity':>10}")
    for name, r in result.items():
        for lang in LANGUAGES:
            x = r[lang]
            print(f"{name:34} {lang:4} {x['mentions']:8} {x['precision']:6.3f} {x['recall']:6.3f} "
                  f"{x['instances_in_both']:7} {x['one_entity']:10.3f}")
        print(f"{name:34} extract {r['extract_seconds']} s")


if __name__ == "__main__":
    main()
