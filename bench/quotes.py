"""Benchmark quote extraction on PolNeAR attribution relations, against textacy's direct quotes.

Usage: python bench/quotes.py [--limit N] [--train-docs N] [--splits dev train]

Gold: PolNeAR brat standoff (../shared/data/polnear/{dev,train}); one annotator per article (the
first annotation file in name order when an article was annotated several times). Every
attribution relation with a Content span is a gold item, including PARC-style attributions of
beliefs and findings that are not speech ("the poll shows", "Trump wants"), which caps recall.

Spans are compared as sets of alphanumeric character offsets, so quotation marks, punctuation
and whitespace at the edges never decide a match. A gold content may be discontinuous. The
headline view is one item per *record* storyline stores (a statement: its parts, the words of its
attribution between them excluded), matched one to one: each gold attribution and each record is
used at most once, so a statement that comes out twice costs precision. The second view merges
the records tied to one cue into one item (the view of earlier versions), likewise textacy
triples sharing a cue verb.

* match (overlap): |P ∩ G| >= 0.5 * max(|P|, |G|), one-to-one, greedily by overlap;
* exact: P == G (same words, edges ignored);
* speaker (spkAcc): among matched pairs whose gold has a Source, the *resolved* speaker is right
  when its name ends in a word of the name the Source stands for (surname), or it is the
  annotated Source itself. A named Source stands for itself; a pronoun Source ("he", an "I"
  inside a quotation) for the nearest named Source annotated before it; a description ("the
  campaign", "officials") for itself or that named Source, or is right when the words at the cue
  are the annotated description. A speaker left as a pronoun, or no
  speaker, is unresolved and wrong. spkNam is the same on named Sources only (no gold-side
  resolution); spkLoc is the earlier criterion: the words at the cue overlap the Source or end
  in its last word, before any resolution. textacy resolves nothing, so its pronouns count as
  unresolved;
* speech view: the same one-to-one matching against all gold, then scored on the attributions of
  reported speech only (content with quotation marks, or a cue that is a verb of saying or
  writing, "according to", a colon, a signature dash); a record matched to a belief or finding
  counts neither way. This is the measure closest to "human-marked quotes" in news;
* gold kind: direct if every content segment is enclosed by quotation marks (a mark within two
  characters before and after it), mixed if the content contains or touches a mark otherwise,
  indirect if no mark at all. Predicted kind: direct, mixed (an indirect statement with marked
  quoted words), indirect, or partial (quoted words alone). Recall is per gold kind, precision
  per predicted kind.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline import nlp  # noqa: E402
from storyline.text import folded_words as words  # noqa: E402
from storyline.extract.quotes import find_attributions  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from polnear_gold import POLNEAR, chars, gold_kind, is_speech, load_split  # noqa: E402

OUT = REPO / "bench" / "out" / "quotes.json"
KINDS = ("direct", "mixed", "indirect")
PRONOUNS = frozenset("he she they it i we you him her them his its their me us my our who which that".split())
PERSONAL = frozenset("he she i him her his me my you".split())
RELATIVE = frozenset({"who", "which", "that"})
def head_word(text: str, span: tuple[int, int]) -> str:
    found = words(text[span[0]:span[1]])
    return found[-1] if found else ""


def storyline_items(text: str, doc) -> list[dict]:
    """One item per record storyline stores (what the export and the report list)."""
    items = []
    for f in find_attributions(text, doc):
        sp = f.speaker
        items.append({"chars": chars(text, f.parts or [(f.start, f.end)]), "kind": _pred_kind(f), "group": f.group,
                      "speaker": (sp.local_start, sp.local_end) if sp else None, "resolved": sp})
    return items


def _pred_kind(f) -> str:
    return "mixed" if f.kind == "indirect" and f.marked else f.kind


def by_attribution(items: list[dict]) -> list[dict]:
    """Records tied to one cue as one item (the view before one-record-per-statement)."""
    groups: dict[int, list[dict]] = defaultdict(list)
    for it in items:
        groups[it["group"]].append(it)
    out = []
    for members in groups.values():
        kinds = {m["kind"] for m in members}
        kind = ("direct" if "direct" in kinds else "mixed" if "mixed" in kinds or kinds == {"indirect", "partial"}
                else "indirect" if "indirect" in kinds else "partial")
        lead = next((m for m in members if m["speaker"] is not None), members[0])
        out.append({**lead, "chars": frozenset().union(*(m["chars"] for m in members)), "kind": kind})
    return out


def storyline_attributions(text: str, doc) -> list[dict]:
    return by_attribution(storyline_items(text, doc))


def textacy_items(text: str, doc) -> tuple[list[dict], bool]:
    """One item per textacy triple; its speaker is the words at the cue (textacy resolves nothing)."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy refuses documents with an odd number of quotation marks
        return [], False
    items = []
    for tr in triples:
        sp = tr.speaker
        start, end = sp[0].idx, sp[-1].idx + len(sp[-1].text)
        how = "name" if any(t.pos_ == "PROPN" for t in sp) else "surface"
        items.append({"chars": chars(text, [(tr.content.start_char, tr.content.end_char)]), "kind": "direct",
                      "group": tr.cue[0].i, "speaker": (start, end),
                      "resolved": SimpleNamespace(text=text[start:end], start=start, end=end, how=how)})
    return items, True


def textacy_attributions(text: str, doc) -> tuple[list[dict], bool]:
    items, ok = textacy_items(text, doc)
    return by_attribution(items), ok


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


def gold_sources(text: str, doc, gold: list[dict]) -> None:
    """Give every gold Source the name it stands for (`names`, lower-case words) and its `type`.

    A Source with a proper noun is named. A relative pronoun ("who") stands for the noun its
    clause hangs on; another pronoun for the nearest named Source annotated before it that agrees
    (a person for "he", "she", "I"; anything else for "it", "they"). Any other Source is a
    description ("the campaign", "officials"), right as written or as the named Source before it.
    """
    starts = [t.idx for t in doc]
    named: list[tuple[set[str], bool]] = []  # (names, is a person), in text order
    for g in sorted((g for g in gold if g["source"]), key=lambda g: g["source"][0][0]):
        s, e = g["source"][0][0], g["source"][-1][1]
        toks = [t for t in doc[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)] if t.is_alpha]
        proper = {t.lower_ for t in toks if t.pos_ == "PROPN" and t.lower_ not in PRONOUNS}
        if proper:
            g["type"], g["names"] = "named", proper
            named.append((proper, any(t.ent_type_ == "PERSON" for t in toks)))
        elif toks and all(t.lower_ in PRONOUNS for t in toks):
            g["type"] = "pronoun"
            if toks[0].lower_ in RELATIVE and toks[0].head.dep_ == "relcl":
                antecedent = toks[0].head.head
                g["names"] = {t.lower_ for t in antecedent.subtree if t.pos_ == "PROPN" and t.i < toks[0].i} or None
            else:
                person = toks[0].lower_ in PERSONAL
                g["names"] = next((n for n, is_person in reversed(named) if is_person == person), None)
        else:
            g["type"], g["names"] = "description", named[-1][0] if named else None


def speaker_local_ok(text: str, pred: dict, gold: dict) -> bool:
    """The words at the cue overlap the gold Source or end in the same word (no resolution)."""
    if pred["speaker"] is None:
        return False
    ps, pe = pred["speaker"]
    for s, e in gold["source"]:
        if ps < e and s < pe:
            return True
    return head_word(text, pred["speaker"]) in {head_word(text, seg) for seg in gold["source"]}


def unresolved(pred: dict) -> bool:
    sp = pred["resolved"]
    return sp is None or (sp.how == "surface" and all(w in PRONOUNS for w in words(sp.text)))


def speaker_ok(pred: dict, gold: dict) -> bool:
    """The resolved speaker is the annotated source: its surname is the source's name, or (a named
    source or a description) its resolved mention is the annotated words themselves."""
    if unresolved(pred):
        return False
    sp = pred["resolved"]
    own = words(sp.text)
    if gold["names"] and own and own[-1] in gold["names"]:
        return True
    if gold["type"] == "pronoun":
        return False
    if any(sp.start < e and s < sp.end for s, e in gold["source"]):
        return True
    # a description ("the fund", "a spokesman") is right when it is the words at the cue: what
    # it resolves to is not in the gold
    local = pred["speaker"]
    return gold["type"] == "description" and local is not None and any(
        local[0] < e and s < local[1] for s, e in gold["source"])


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "predicted": n_p, "gold": n_g}


def evaluate(docs: list[dict], system, errors: list | None = None) -> tuple[dict, dict]:
    """Scores of one system, and per gold item (doc, index) whether its speaker was right.

    With `errors`, every unmatched gold item, unmatched record and wrong speaker is appended to it
    (for classifying what goes wrong, never for tuning on single items)."""
    count = defaultdict(int)
    bailed = 0
    speakers: dict[tuple[str, int], tuple[str, bool]] = {}
    for d in docs:
        text = d["text"]
        gold = [{"chars": chars(text, g["Content"]), "kind": gold_kind(text, g["Content"]),
                 "source": g.get("Source", []), "speech": is_speech(text, d["doc"], g)} for g in d["gold"]]
        gold = [g for g in gold if g["chars"]]
        gold_sources(text, d["doc"], gold)
        preds = system(text, d["doc"])
        if isinstance(preds, tuple):
            preds, ok = preds
            bailed += not ok
        preds = [p for p in preds if p["chars"]]
        count["all", "unresolved_all"] += sum(p["resolved"] is not None and unresolved(p) for p in preds)
        pairs = match(preds, gold)
        exact = {(i, j) for i, j in pairs if preds[i]["chars"] == gold[j]["chars"]}
        if errors is not None:
            errors.extend(_errors(d, d["gold"], gold, preds, pairs))
        for i, j in pairs:
            if gold[j]["source"]:
                speakers[d["name"], j] = (gold[j]["kind"], speaker_ok(preds[i], gold[j]))
        beside = {i for i, j in pairs if not gold[j]["speech"]}  # records matching a non-speech attribution
        count["speech", "n_p"] += len(preds) - len(beside)
        count["speech", "n_g"] += sum(g["speech"] for g in gold)
        count["speech", "tp_p"] += sum(gold[j]["speech"] for _, j in pairs)
        count["speech", "tp_g"] += sum(gold[j]["speech"] for _, j in pairs)
        for scope, kinds in (("all", None), *((k, k) for k in (*KINDS, "partial"))):
            count[scope, "n_p"] += sum(kinds in (None, p["kind"]) for p in preds)
            count[scope, "n_g"] += sum(kinds in (None, g["kind"]) for g in gold)
            for i, j in pairs:
                count[scope, "tp_p"] += kinds in (None, preds[i]["kind"])
                count[scope, "tp_g"] += kinds in (None, gold[j]["kind"])
                count[scope, "ex_p"] += (i, j) in exact and kinds in (None, preds[i]["kind"])
                count[scope, "ex_g"] += (i, j) in exact and kinds in (None, gold[j]["kind"])
                g = gold[j]
                if g["source"] and kinds in (None, g["kind"]):
                    count[scope, "sp_n"] += 1
                    count[scope, "sp_ok"] += speaker_ok(preds[i], g)
                    count[scope, "sp_local"] += speaker_local_ok(text, preds[i], g)
                    count[scope, "sp_unresolved"] += unresolved(preds[i])
                    count[scope, "sp_gold_" + g["type"]] += 1
                    count[scope, "sp_gold_orphan"] += g["type"] == "pronoun" and not g["names"]
                    if g["type"] == "named":
                        count[scope, "sp_named_ok"] += speaker_ok(preds[i], g)
    result = {"docs": len(docs), "bailed_docs": bailed, "unresolved_speakers": count["all", "unresolved_all"],
              "speech": prf(count["speech", "tp_p"], count["speech", "n_p"], count["speech", "tp_g"],
                            count["speech", "n_g"])}
    for scope in ("all", *KINDS, "partial"):
        c = lambda k: count[scope, k]  # noqa: E731
        rate = lambda k, n="sp_n": round(c(k) / c(n), 3) if c(n) else None  # noqa: E731
        result[scope] = {"overlap": prf(c("tp_p"), c("n_p"), c("tp_g"), c("n_g")),
                         "exact": prf(c("ex_p"), c("n_p"), c("ex_g"), c("n_g")),
                         "speaker_accuracy": rate("sp_ok"), "speaker_local": rate("sp_local"),
                         "speaker_accuracy_named_gold": rate("sp_named_ok", "sp_gold_named"),
                         "speaker_pairs": c("sp_n"), "speaker_unresolved": c("sp_unresolved"),
                         "gold_source_types": {k: c("sp_gold_" + k) for k in ("named", "pronoun", "description")},
                         "gold_pronoun_without_named_source": c("sp_gold_orphan")}
    return result, speakers


def _span_text(text: str, chars_: frozenset[int]) -> str:
    return text[min(chars_):max(chars_) + 1] if chars_ else ""


def _errors(d: dict, raw: list[dict], gold: list[dict], preds: list[dict], pairs) -> list[dict]:
    """One line per miss: gold not matched, record not matched, matched with the wrong speaker."""
    text = d["text"]
    kept = [r for r in raw if chars(text, r["Content"])]
    seg = lambda segs: " | ".join(text[s:e] for s, e in segs)  # noqa: E731
    out = []
    got_p, got_g = {i for i, _ in pairs}, {j for _, j in pairs}
    for j, g in enumerate(gold):
        if j not in got_g:
            out.append({"doc": d["name"], "error": "missed", "kind": g["kind"], "speech": g["speech"], "content": _span_text(text, g["chars"]),
                        "source": seg(g["source"]), "cue": seg(kept[j].get("Cue", []))})
    for i, p in enumerate(preds):
        if i not in got_p:
            out.append({"doc": d["name"], "error": "spurious", "kind": p["kind"], "content": _span_text(text, p["chars"]),
                        "speaker": p["resolved"].text if p["resolved"] else None})
    for i, j in pairs:
        if gold[j]["source"] and not speaker_ok(preds[i], gold[j]):
            sp = preds[i]["resolved"]
            out.append({"doc": d["name"], "error": "speaker", "kind": gold[j]["kind"],
                        "content": _span_text(text, gold[j]["chars"])[:200], "source": seg(gold[j]["source"]),
                        "gold_type": gold[j]["type"], "gold_names": sorted(gold[j]["names"] or []),
                        "speaker": sp.text if sp else None, "how": sp.how if sp else None,
                        "local": text[slice(*preds[i]["speaker"])] if preds[i]["speaker"] else None})
    return out


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


def table(title: str, results: dict[str, dict]) -> str:
    nan = float("nan")
    lines = [f"\n{title}: {next(iter(results.values()))['docs']} docs "
             f"(textacy bailed on {results['textacy']['bailed_docs']} with unbalanced quotation marks)",
             f"{'scope':9} {'system':9} {'P':>6} {'R':>6} {'F1':>6} {'exP':>6} {'exR':>6} {'exF1':>6} "
             f"{'spkAcc':>7} {'spkNam':>7} {'spkLoc':>7} {'unres':>6} {'pred':>6} {'gold':>6}"]
    for scope in ("all", *KINDS):
        for system, res in results.items():
            r = res[scope]
            o, x = r["overlap"], r["exact"]
            accs = [r[k] if r[k] is not None else nan for k in
                    ("speaker_accuracy", "speaker_accuracy_named_gold", "speaker_local")]
            lines.append(f"{scope:9} {system:9} {o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f} "
                         f"{x['precision']:6.3f} {x['recall']:6.3f} {x['f1']:6.3f} "
                         + " ".join(f"{a:7.3f}" for a in accs)
                         + f" {r['speaker_unresolved']:6d} {o['predicted']:6d} {o['gold']:6d}")
    for system, res in results.items():
        o = res["speech"]
        lines.append(f"{'speech':9} {system:9} {o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f}"
                     f"{'':52} {o['predicted']:6d} {o['gold']:6d}")
    lines.append("speech: gold limited to reported speech (quotation marks, a verb of saying, according to);"
                 " records matching another attribution are left out of precision")
    return "\n".join(lines)


def quote_stage_ms(docs: list[dict], repeat: int = 2) -> float:
    """Milliseconds per article of the quote stage alone (the parse is done before), best of runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in docs:
            find_attributions(d["text"], d["doc"])
        best = min(best, time.perf_counter() - t0)
    return round(1000 * best / max(1, len(docs)), 2)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N articles per split (quick run)")
    ap.add_argument("--train-docs", type=int, default=200, help="train articles for the untuned check (0: all)")
    ap.add_argument("--splits", nargs="+", default=["dev", "train"], choices=["dev", "train"])
    ap.add_argument("--errors", type=Path, default=None, help="write storyline's misses (records view) as JSONL")
    args = ap.parse_args(argv)
    if not POLNEAR.exists():
        print(f"{POLNEAR} not found", file=sys.stderr)
        return 1
    report = {"criterion": "alnum char sets; overlap match >= 0.5 of the longer, one to one; exact = equal sets",
              "splits": {}}
    for split in args.splits:
        limit = args.limit if split == "dev" else min(x for x in (args.limit, args.train_docs or None, 10**9) if x)
        docs = load_split(split, limit)
        t0 = time.perf_counter()
        for d, doc in zip(docs, nlp.parse([d["text"] for d in docs])):
            d["doc"] = doc
        parse_s = time.perf_counter() - t0
        out = {}
        for view, systems in (("records", (("storyline", storyline_items), ("textacy", textacy_items))),
                              ("attributions", (("storyline", storyline_attributions),
                                                ("textacy", textacy_attributions)))):
            results, speakers = {}, {}
            for system, fn in systems:
                errors = [] if args.errors and view == "records" and system == "storyline" else None
                results[system], speakers[system] = evaluate(docs, fn, errors)
                if errors is not None:
                    path = args.errors.with_name(f"{args.errors.stem}_{split}{args.errors.suffix}")
                    path.write_text("".join(json.dumps(e) + "\n" for e in errors), encoding="utf-8")
            common = common_speaker_accuracy(speakers["storyline"], speakers["textacy"])
            out[view] = {"results": results, "speaker_on_common_matches": common}
            print(table(f"{split}, one item per {view[:-1]}", results))
            print("speaker accuracy on gold quotes both systems matched: " + ", ".join(
                f"{scope} {c['storyline']} vs {c['textacy']} ({c['pairs']})" for scope, c in common.items()
                if c["pairs"]))
        ms = quote_stage_ms(docs)
        print(f"unresolved speakers (pronoun or nothing), all records: storyline "
              f"{out['records']['results']['storyline']['unresolved_speakers']}; "
              f"quote stage {ms} ms per article (parse excluded)")
        report["splits"][split] = {**out, "seconds": {"parse": round(parse_s, 2)}, "quote_stage_ms_per_article": ms}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
