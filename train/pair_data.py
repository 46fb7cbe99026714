"""Sentence pairs from real annotated news for the same-claim model, split once with a fixed seed.

Three sources, each read from ../shared/data (never copied into the repository):

- MSRP train: news sentence pairs from same-story clusters judged equivalent (1) or not (0). The
  last `MSRP_HELD_OUT` pairs are held out for evaluation (bench/pairs.py), never trained on.
- STS-B news (headlines, deft-news): graded 0-5 similarity. For training only the clear cases
  count: 4 or more is the same claim, 2 or less is not; the middle (same topic, some details
  shared) would blur the line the model has to draw. dev.tsv is held out and scored whole.
- ECB+ cross-document event chains: two sentences in different documents of one subtopic that
  mention the same non-reporting event are the same happening told twice (positive). Two kinds
  of negative: a sentence of the other subtopic of the same topic (a similar but different
  event), and, hardest and most like what a story holds, two sentences of one subtopic in
  different documents that share no event at all (same people, same story, different claims:
  "Jeffs was arrested near Las Vegas" / "Jeffs was sentenced to life"). Topics used by
  bench/claims.py as dev (23-25) and test (36-45) are left out.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MSRP_HELD_OUT = 500
ECB_EXCLUDED_TOPICS = {23, 24, 25, *range(36, 46)}
ECB_POSITIVES_PER_SUBTOPIC = 24
ECB_NEGATIVES_PER_SUBTOPIC = 30
ECB_SAME_STORY_NEGATIVES_PER_SUBTOPIC = 30
ECB_ONE_EVENT = 0.6  # target for sentences sharing a single event


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    target: float  # 1.0 same claim ... 0.0 different
    origin: str


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def msrp() -> tuple[list[Pair], list[Pair]]:
    """(train, held out): the held-out pairs are the last MSRP_HELD_OUT of the file."""
    rows = _rows(DATA / "msrp" / "train.tsv")[1:]
    pairs = [Pair(r[3], r[4], float(r[0]), "msrp") for r in rows if len(r) >= 5]
    return pairs[:-MSRP_HELD_OUT], pairs[-MSRP_HELD_OUT:]


def stsb(split: str) -> list[Pair]:
    out = []
    for r in _rows(DATA / "stsb-news" / f"{split}.tsv"):
        if len(r) >= 7:
            out.append(Pair(r[5].strip(), r[6].strip(), float(r[4]) / 5.0, f"stsb-{r[1]}"))
    return out


_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]]|'s\b|'re\b|n't\b|'ll\b|'ve\b|'d\b|'m\b)")


def detokenise(text: str) -> str:
    """ECB+ sentences are space-tokenised ("Reid 's rep , said"); models read normal text."""
    text = text.replace("`` ", '"').replace(" ''", '"').replace("( ", "(").replace("$ ", "$")
    return _SPACE_BEFORE.sub("", text)


@dataclass
class _EcbSentences:
    docs: dict[str, dict]
    chains_of: dict[tuple[str, int], set[str]]  # (doc, sentence) -> the event chains it mentions
    by_subtopic: dict[str, list[tuple[str, int]]]

    def text(self, key: tuple[str, int]) -> str:
        return detokenise(self.docs[key[0]]["sentences"][key[1]])

    def pairs_of(self, sub: str, shared: bool) -> list[tuple[tuple[str, int], tuple[str, int], int]]:
        """Sentence pairs of one subtopic in different documents sharing (or not) an event."""
        keys = self.by_subtopic[sub]
        out = []
        for i, x in enumerate(keys):
            for y in keys[i + 1:]:
                n = len(self.chains_of[x] & self.chains_of[y])
                if x[0] != y[0] and (n > 0) == shared:
                    out.append((x, y, n))
        return out


def _ecb_sentences(bench_topics: bool) -> _EcbSentences:
    """Annotated sentences of the training topics, or of the benchmark topics only."""
    docs = {}
    with (DATA / "ecbplus" / "chains" / "docs_sentences.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            docs[d["doc_id"]] = d
    # reporting verbs say little about the event
    chains_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    with (DATA / "ecbplus" / "chains" / "cross_doc_chains.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            c = json.loads(line)
            if not c["is_event"] or c["type"] == "ACTION_REPORTING":
                continue
            for m in c["mentions"]:
                if m["doc"] in docs and m.get("in_selected_sentence", True):
                    chains_of[(m["doc"], m["sentence"])].add(c["chain_id"])
    by_subtopic: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key in sorted(chains_of):
        d = docs[key[0]]
        if (d["topic"] in ECB_EXCLUDED_TOPICS) != bench_topics or key[1] >= len(d["sentences"]):
            continue
        if len(d["sentences"][key[1]].split()) < 6:
            continue
        by_subtopic[d["subtopic"]].append(key)
    return _EcbSentences(docs, chains_of, by_subtopic)


def ecb(seed: int = 13) -> list[Pair]:
    rng = random.Random(seed)
    data = _ecb_sentences(bench_topics=False)
    docs, by_subtopic, text = data.docs, data.by_subtopic, data.text
    out: list[Pair] = []
    subtopics_of_topic: dict[int, list[str]] = defaultdict(list)
    for sub in sorted(by_subtopic):
        subtopics_of_topic[docs[by_subtopic[sub][0][0]]["topic"]].append(sub)
    for sub in sorted(by_subtopic):
        keys = by_subtopic[sub]
        shared = data.pairs_of(sub, shared=True)
        # two sentences sharing two or more events tell the same happening; sharing one event they
        # may say different things about it ("he confessed" / "she died shielding pupils")
        for target, pool in ((1.0, [s for s in shared if s[2] >= 2]), (ECB_ONE_EVENT, [s for s in shared if s[2] == 1])):
            quota = ECB_POSITIVES_PER_SUBTOPIC if target == 1.0 else ECB_POSITIVES_PER_SUBTOPIC // 4
            for x, y, _ in rng.sample(pool, min(len(pool), quota)):
                out.append(Pair(text(x), text(y), target, "ecb"))
        apart = data.pairs_of(sub, shared=False)
        for x, y, _ in rng.sample(apart, min(len(apart), ECB_SAME_STORY_NEGATIVES_PER_SUBTOPIC)):
            out.append(Pair(text(x), text(y), 0.0, "ecb-same-story"))
        topic = docs[keys[0][0]]["topic"]
        others = [k for s in subtopics_of_topic[topic] if s != sub for k in by_subtopic[s]]
        if others:
            for _ in range(ECB_NEGATIVES_PER_SUBTOPIC // 2):  # each subtopic draws half, so both sides are covered
                out.append(Pair(text(rng.choice(keys)), text(rng.choice(others)), 0.0, "ecb-other-event"))
    return out


def ecb_same_story_held_out(seed: int = 13, per_subtopic: int = 12) -> list[Pair]:
    """Benchmark-topic pairs of one subtopic, never trained on: sharing two or more events (1)
    or none (0). The hardest case for claims: one story, the same people, the same or another claim."""
    rng = random.Random(seed)
    data = _ecb_sentences(bench_topics=True)
    out = []
    for sub in sorted(data.by_subtopic):
        same = [p for p in data.pairs_of(sub, shared=True) if p[2] >= 2]
        apart = data.pairs_of(sub, shared=False)
        for target, pool in ((1.0, same), (0.0, apart)):
            for x, y, _ in rng.sample(pool, min(len(pool), per_subtopic)):
                out.append(Pair(data.text(x), data.text(y), target, "ecb-held-out"))
    return out


STS_SAME, STS_DIFFERENT = 4.0 / 5, 2.0 / 5


def clear_cases(pairs: list[Pair]) -> list[Pair]:
    """STS pairs whose score is clearly same or clearly different, as hard targets."""
    out = []
    for p in pairs:
        if p.target >= STS_SAME:
            out.append(Pair(p.a, p.b, 1.0, p.origin))
        elif p.target <= STS_DIFFERENT:
            out.append(Pair(p.a, p.b, 0.0, p.origin))
    return out


def training_pairs(seed: int = 13) -> tuple[list[Pair], list[Pair]]:
    """(fit, calibrate): every training pair, with a 10% slice kept aside to calibrate on."""
    train, _ = msrp()
    pool = train + clear_cases(stsb("train")) + [p for p in ecb(seed) if p.target in (0.0, 1.0)]
    rng = random.Random(seed)
    rng.shuffle(pool)
    cut = len(pool) // 10
    return pool[cut:], pool[:cut]
