"""Benchmark quote extraction on PolNeAR attribution relations, against textacy's direct quotes.

Usage: python bench/quotes.py [--limit N] [--train-docs N] [--splits dev train]

Gold: PolNeAR brat standoff (../shared/data/polnear/{dev,train}); one annotator per article (the
first annotation file in name order when an article was annotated several times). Every
attribution relation with a Content span is a gold item, including PARC-style attributions of
beliefs and findings that are not speech ("the poll shows", "Trump wants"), which caps recall.

Spans are compared as sets of alphanumeric character offsets, so quotation marks, punctuation
and whitespace at the edges never decide a match. A gold content may be discontinuous; a
predicted item is one *attribution*: all quotes storyline ties to one cue (a quote split around
"Lee said", a partial quote and the indirect clause around it, a quote that carries on the
previous speaker), likewise textacy triples sharing a cue verb.

* match (overlap): |P ∩ G| >= 0.5 * max(|P|, |G|), one-to-one, greedily by overlap;
* exact: P == G (same words, edges ignored);
* speaker: among matched pairs whose gold has a Source, the predicted speaker phrase at the cue
  (before pronoun/role resolution, as the gold marks "he") overlaps the gold Source or ends in
  the same word; since each system matches different gold items, speaker accuracy is also given
  on the gold items both systems matched;
* gold kind: direct if every content segment is enclosed by quotation marks (a mark within two
  characters before and after it), mixed if the content contains or touches a mark otherwise,
  indirect if no mark at all. Predicted kind: direct if the attribution holds a direct quote,
  mixed for an indirect clause with a partial quote in it, indirect, or partial (a partial quote
  alone). Recall is per gold kind, precision per predicted kind.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline import nlp  # noqa: E402
from storyline.extract.quotes import find_attributions  # noqa: E402

POLNEAR = REPO.parent / "shared" / "data" / "polnear"
OUT = REPO / "bench" / "out" / "quotes.json"
MARKS = set("“”\"„«»‹›")
SINGLE = set("‘’'`")
KINDS = ("direct", "mixed", "indirect")


def load_split(split: str, limit: int | None) -> list[dict]:
    """Articles of one split with their gold attributions (content, source, cue offsets)."""
    base = POLNEAR / split
    anns: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    docs = []
    for name, ann in sorted(anns.items())[: limit or None]:
        text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        relations = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue  # the continuation of an annotated text that held a line break
            if parts[0].startswith("T"):
                label, offsets = parts[1].split(" ", 1)
                spans[parts[0]] = (label, [tuple(map(int, s.split())) for s in offsets.split(";")])
            elif parts[0].startswith("E"):
                relations.append(dict(arg.split(":") for arg in parts[1].split()))
        gold = []
        for rel in relations:
            roles = {k: spans[v][1] for k, v in rel.items() if k != "Attribution" and v in spans}
            if "Content" in roles:
                gold.append(roles)
        docs.append({"name": name, "text": text, "gold": gold})
    return docs


def chars(text: str, segments) -> frozenset[int]:
    return frozenset(i for s, e in segments for i in range(s, e) if text[i].isalnum())


def is_mark(text: str, i: int) -> bool:
    if not 0 <= i < len(text):
        return False
    c = text[i]
    if c in MARKS:
        return True
    if c in SINGLE:
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        return not (before.isalnum() and after.isalnum()) and not (before.isalpha() and after in "s ")
    return False


def gold_kind(text: str, segments) -> str:
    enclosed = all(any(is_mark(text, k) for k in range(s - 2, s + 1)) and
                   any(is_mark(text, k) for k in range(e - 1, e + 2)) for s, e in segments)
    if enclosed:
        return "direct"
    touched = any(is_mark(text, k) for s, e in segments for k in range(s - 1, e + 1))
    return "mixed" if touched else "indirect"


def head_word(text: str, span: tuple[int, int]) -> str:
    words = "".join(c if c.isalnum() else " " for c in text[span[0]:span[1]]).split()
    return words[-1].lower() if words else ""


def storyline_items(text: str, doc) -> list[dict]:
    groups: dict[int, list] = defaultdict(list)
    for f in find_attributions(text, doc):
        groups[f.group].append(f)
    items = []
    for members in groups.values():
        kinds = {f.kind for f in members}
        kind = ("direct" if "direct" in kinds else "mixed" if kinds == {"indirect", "partial"}
                else "indirect" if "indirect" in kinds else "partial")
        sp = next((f.speaker for f in members if f.speaker is not None), None)
        items.append({"chars": chars(text, [(f.start, f.end) for f in members]), "kind": kind,
                      "speaker": (sp.local_start, sp.local_end) if sp else None})
    return items


def textacy_items(text: str, doc) -> tuple[list[dict], bool]:
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy refuses documents with an odd number of quotation marks
        return [], False
    groups: dict[int, list] = defaultdict(list)
    for tr in triples:
        groups[tr.cue[0].i].append(tr)
    items = []
    for members in groups.values():
        segs = [(tr.content.start_char, tr.content.end_char) for tr in members]
        sp = members[0].speaker
        items.append({"chars": chars(text, segs), "kind": "direct",
                      "speaker": (sp[0].idx, sp[-1].idx + len(sp[-1].text))})
    return items, True


def match(preds: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred, gold) with overlap >= 50% of the longer, best overlap first."""
    cands = []
    for i, p in enumerate(preds):
        for j, g in enumerate(gold):
            inter = len(p["chars"] & g["chars"])
            longer = max(len(p["chars"]), len(g["chars"]))
            if longer and inter >= 0.5 * longer:
                cands.append((inter / longer, i, j))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in sorted(cands, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def speaker_ok(text: str, pred: dict, gold: dict) -> bool:
    if pred["speaker"] is None:
        return False
    ps, pe = pred["speaker"]
    for s, e in gold["source"]:
        if ps < e and s < pe:
            return True
    return head_word(text, pred["speaker"]) in {head_word(text, seg) for seg in gold["source"]}


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "predicted": n_p, "gold": n_g}


def evaluate(docs: list[dict], system) -> tuple[dict, dict]:
    """Scores of one system, and per gold item (doc, index) whether its speaker was right."""
    count = defaultdict(int)
    bailed = 0
    speakers: dict[tuple[str, int], tuple[str, bool]] = {}
    for d in docs:
        text = d["text"]
        gold = [{"chars": chars(text, g["Content"]), "kind": gold_kind(text, g["Content"]),
                 "source": g.get("Source", [])} for g in d["gold"]]
        gold = [g for g in gold if g["chars"]]
        preds = system(text, d["doc"])
        if isinstance(preds, tuple):
            preds, ok = preds
            bailed += not ok
        preds = [p for p in preds if p["chars"]]
        pairs = match(preds, gold)
        exact = {(i, j) for i, j in pairs if preds[i]["chars"] == gold[j]["chars"]}
        for i, j in pairs:
            if gold[j]["source"]:
                speakers[d["name"], j] = (gold[j]["kind"], speaker_ok(text, preds[i], gold[j]))
        for scope, kinds in (("all", None), *((k, k) for k in (*KINDS, "partial"))):
            count[scope, "n_p"] += sum(kinds in (None, p["kind"]) for p in preds)
            count[scope, "n_g"] += sum(kinds in (None, g["kind"]) for g in gold)
            for i, j in pairs:
                count[scope, "tp_p"] += kinds in (None, preds[i]["kind"])
                count[scope, "tp_g"] += kinds in (None, gold[j]["kind"])
                count[scope, "ex_p"] += (i, j) in exact and kinds in (None, preds[i]["kind"])
                count[scope, "ex_g"] += (i, j) in exact and kinds in (None, gold[j]["kind"])
                if gold[j]["source"] and kinds in (None, gold[j]["kind"]):
                    count[scope, "sp_n"] += 1
                    count[scope, "sp_ok"] += speaker_ok(text, preds[i], gold[j])
    result = {"docs": len(docs), "bailed_docs": bailed}
    for scope in ("all", *KINDS, "partial"):
        c = lambda k: count[scope, k]  # noqa: E731
        result[scope] = {"overlap": prf(c("tp_p"), c("n_p"), c("tp_g"), c("n_g")),
                         "exact": prf(c("ex_p"), c("n_p"), c("ex_g"), c("n_g")),
                         "speaker_accuracy": round(c("sp_ok") / c("sp_n"), 3) if c("sp_n") else None,
                         "speaker_pairs": c("sp_n")}
    return result, speakers


def common_speaker_accuracy(a: dict, b: dict) -> dict:
    """Speaker accuracy of both systems on the gold items both matched (a like-for-like view)."""
    shared = sorted(set(a) & set(b))
    out = {}
    for scope in ("all", *KINDS):
        keys = [k for k in shared if scope == "all" or a[k][0] == scope]
        out[scope] = {"pairs": len(keys),
                      "storyline": round(sum(a[k][1] for k in keys) / len(keys), 3) if keys else None,
                      "textacy": round(sum(b[k][1] for k in keys) / len(keys), 3) if keys else None}
    return out


def table(split: str, results: dict[str, dict]) -> str:
    lines = [f"\n{split}: {next(iter(results.values()))['docs']} docs "
             f"(textacy bailed on {results['textacy']['bailed_docs']} with unbalanced quotation marks)",
             f"{'scope':9} {'system':9} {'P':>6} {'R':>6} {'F1':>6} {'exP':>6} {'exR':>6} {'exF1':>6} "
             f"{'spkAcc':>7} {'pred':>6} {'gold':>6}"]
    for scope in ("all", *KINDS):
        for system, res in results.items():
            o, x = res[scope]["overlap"], res[scope]["exact"]
            acc = res[scope]["speaker_accuracy"]
            lines.append(f"{scope:9} {system:9} {o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f} "
                         f"{x['precision']:6.3f} {x['recall']:6.3f} {x['f1']:6.3f} "
                         f"{acc if acc is not None else float('nan'):7.3f} {o['predicted']:6d} {o['gold']:6d}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N articles per split (quick run)")
    ap.add_argument("--train-docs", type=int, default=200, help="train articles for the untuned check (0: all)")
    ap.add_argument("--splits", nargs="+", default=["dev", "train"], choices=["dev", "train"])
    args = ap.parse_args(argv)
    if not POLNEAR.exists():
        print(f"{POLNEAR} not found", file=sys.stderr)
        return 1
    report = {"criterion": "alnum char sets; overlap match >= 0.5 of the longer; exact = equal sets",
              "splits": {}}
    for split in args.splits:
        limit = args.limit if split == "dev" else min(x for x in (args.limit, args.train_docs or None, 10**9) if x)
        docs = load_split(split, limit)
        t0 = time.perf_counter()
        for d, doc in zip(docs, nlp.parse([d["text"] for d in docs])):
            d["doc"] = doc
        parse_s = time.perf_counter() - t0
        results, timing, speakers = {}, {}, {}
        for system, fn in (("storyline", storyline_items), ("textacy", textacy_items)):
            t0 = time.perf_counter()
            results[system], speakers[system] = evaluate(docs, fn)
            timing[system] = round(time.perf_counter() - t0, 2)
        common = common_speaker_accuracy(speakers["storyline"], speakers["textacy"])
        report["splits"][split] = {"results": results, "speaker_on_common_matches": common,
                                   "seconds": {"parse": round(parse_s, 2), **timing}}
        print(table(split, results))
        print("speaker accuracy on gold quotes both systems matched: " + ", ".join(
            f"{scope} {c['storyline']} vs {c['textacy']} ({c['pairs']})" for scope, c in common.items() if c["pairs"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
