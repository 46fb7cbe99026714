"""Do two statements make the same claim? A trained cross-encoder, shipped inside the package.

A cosine of two sentence vectors measures "same topic": on real same-story news pairs nearly
every pair scores high. The cross-encoder in `storyline/models/same_claim/` reads both
statements at once and was fitted on human judgements of news sentence pairs (MSRP, STS-B news,
ECB+ event chains: train/same_claim.py reproduces it), then calibrated, so its output is a
probability. It runs on onnxruntime as int8; no torch at run time.

The relation of a pair adds what a fact-checker needs beyond "same or not": a pair whose
statements agree once figures, dates and negations are set aside, but differ in one of those,
is `conflicting` (the same claim told with a different number, day or polarity).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .units import negations, numbers, words

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "same_claim"
SAME = 0.5  # calibrated probability from which a pair is the same claim
MIN_WORDS = 2  # a one-word text states nothing: probability 0
# pairs per model run: one. The int8 model quantizes its activations with the range of the whole
# run (DynamicQuantizeLinear), so a pair batched with others scores up to about 1 logit apart from
# the same pair batched with different ones; scored alone, a pair's score depends on the pair only,
# and on one thread, with no padding, 640 seed-sentence pairs score at 75 pairs/s against 56 in
# batches of 32
BATCH = 1

# capitalised only: "may", "march" and "sun" are also ordinary words
_MONTH_OR_DAY = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"[Yy]esterday|[Tt]oday|[Tt]omorrow)\b")
_NUMBER_TOKEN = re.compile(r"\d[\d,.]*\d|\d")
_NEGATION_TOKEN = re.compile(r"\b(?:not|never)\b\s*|n[’']t\b", re.I)

RELATIONS = ("same", "conflicting", "different")


class ModelMissing(RuntimeError):
    """The packaged same-claim model files are not where the package puts them."""


class PairModel:
    """The calibrated same-claim cross-encoder; one instance per process (see `default_model`)."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        files = [model_dir / "model.onnx", model_dir / "tokenizer.json", model_dir / "calibration.json"]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise ModelMissing(f"same-claim model files missing in {model_dir}: {', '.join(missing)}")
        calibration = json.loads(files[2].read_text())
        self.scale, self.bias = float(calibration["scale"]), float(calibration["bias"])
        # the calibrated score adds the cosine of the two sentence vectors (train/same_claim.py)
        self.cosine_weight = float(calibration.get("cosine_weight", 0.0))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 1
        self._session = ort.InferenceSession(str(files[0]), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(files[1]))
        self._tokenizer.enable_truncation(int(calibration.get("max_tokens", 128)))
        self._tokenizer.enable_padding()
        self._lock = threading.Lock()  # an onnxruntime session is thread-safe, the tokenizer's settings are not
        # what a remembered logit was computed by: the model's weights and settings
        digest = hashlib.blake2b(files[2].read_bytes(), digest_size=8)
        with open(files[0], "rb") as weights:
            for block in iter(lambda: weights.read(1 << 20), b""):
                digest.update(block)
        self.identity = digest.digest()

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw scores, in runs of BATCH pairs ordered by length (so a larger BATCH pads little)."""
        out = np.zeros(len(pairs), dtype=np.float64)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for begin in range(0, len(order), BATCH):
            chunk = order[begin : begin + BATCH]
            with self._lock:
                encodings = self._tokenizer.encode_batch([pairs[i] for i in chunk])
            feed = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64)}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
            out[chunk] = self._session.run(None, feed)[0][:, 0]
        return out

    def cosines(self, pairs: Sequence[tuple[str, str]], embed=None) -> np.ndarray:
        """Cosine of the two statements' sentence vectors, per pair (0 for a text that states nothing).

        `embed` gives sentence vectors (default: the packaged MiniLM); callers that hold stored
        vectors pass a lookup so no sentence is embedded twice."""
        out = np.zeros(len(pairs), dtype=np.float64)
        scored, asked = _stated(pairs)
        if scored and self.cosine_weight:
            if embed is None:
                from ..embed import embed
            texts = list(dict.fromkeys(t for pair in asked for t in pair))
            vectors = dict(zip(texts, embed(texts)))
            out[scored] = [float(vectors[a] @ vectors[b]) for a, b in asked]
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]], embed=None, cosines: np.ndarray | None = None,
                      memo: "LogitMemo | None" = None) -> np.ndarray:
        """P(same claim) per pair; a text of fewer than MIN_WORDS words gives 0 without a model call.

        The calibrated score adds the cosine of the pair's sentence vectors: given in `cosines`,
        or computed with `embed` (see `cosines`). With a `memo`, pairs it knows are not run
        through the model again."""
        probs = np.zeros(len(pairs), dtype=np.float64)
        scored, asked = _stated(pairs)
        if scored:
            raw = memo.logits(self, asked) if memo is not None else self.logits(asked)
            if self.cosine_weight:
                cos = self.cosines(pairs, embed) if cosines is None else np.asarray(cosines, dtype=np.float64)
                raw = raw + self.cosine_weight * cos[scored]
            probs[scored] = 1.0 / (1.0 + np.exp(-np.clip(self.scale * raw + self.bias, -40, 40)))
        return probs


class LogitMemo:
    """The model's raw scores of the pairs one story asked about, kept between runs.

    A story that a new article joins is compared again, and nearly every pair it asks about
    is one an earlier run already scored: the cross-encoder is most of the compare stage, so
    re-scoring them is most of an incremental run's compare time. A memo starts from what the
    story's last comparison stored (`known`, from `to_bytes`), answers those pairs without the
    model, and records every pair asked this time, so what it stores next is exactly the pairs
    the story asks about now (it never grows with pairs no longer asked). The stored form names
    the model that computed the scores: a memo from another model is ignored."""

    def __init__(self, known: bytes | None = None, identity: bytes | None = None) -> None:
        self.known: dict[bytes, float] = {}
        self.asked: dict[bytes, float] = {}
        self.identity = identity
        if known and identity is not None and known[:len(identity)] == identity:
            body = known[len(identity):]
            n = len(body) // (_KEY + 4)
            keys = body[:n * _KEY]
            values = np.frombuffer(body[n * _KEY:n * (_KEY + 4)], dtype="<f4")
            self.known = {keys[i * _KEY:(i + 1) * _KEY]: float(values[i]) for i in range(n)}

    def logits(self, model: PairModel, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if self.identity is None:
            self.identity = model.identity
        keys = [_pair_key(a, b) for a, b in pairs]
        out = np.zeros(len(pairs), dtype=np.float64)
        todo = [i for i, k in enumerate(keys) if k not in self.known and k not in self.asked]
        if todo:
            for i, value in zip(todo, model.logits([pairs[i] for i in todo])):
                self.asked[keys[i]] = float(np.float32(value))
        for i, k in enumerate(keys):
            value = self.asked.get(k)
            if value is None:
                value = self.asked[k] = self.known[k]
            out[i] = value
        return out

    def to_bytes(self) -> bytes:
        """The pairs asked about in this comparison and their scores, for the next one."""
        if not self.asked or self.identity is None:
            return b""
        keys = list(self.asked)
        return self.identity + b"".join(keys) + np.array([self.asked[k] for k in keys], dtype="<f4").tobytes()


_KEY = 12  # bytes of a pair's digest: a collision among a story's pairs is out of reach


def _pair_key(a: str, b: str) -> bytes:
    return hashlib.blake2b(f"{a}\x1f{b}".encode("utf-8", "surrogatepass"), digest_size=_KEY).digest()


def _stated(pairs: Sequence[tuple[str, str]]) -> tuple[list[int], list[tuple[str, str]]]:
    """Positions of the pairs whose two texts both state something, and those pairs stripped."""
    scored = [i for i, (a, b) in enumerate(pairs) if _states(a) and _states(b)]
    return scored, [(pairs[i][0].strip(), pairs[i][1].strip()) for i in scored]


def _states(text: str) -> bool:
    return isinstance(text, str) and len(words(text)) >= MIN_WORDS


@lru_cache(maxsize=1)
def default_model() -> PairModel:
    """The process-wide model: loads once per worker (about 0.2 s, 23 MB)."""
    return PairModel()


def neutral(text: str, places: Sequence[str] = ()) -> str:
    """The statement with its figures, days, places and negations set aside, so that two tellings
    that differ only in those read alike to the model."""
    for place in places:
        text = text.replace(place, "the place")
    text = _NUMBER_TOKEN.sub("N", text)
    text = _MONTH_OR_DAY.sub("DAY", text)
    return _NEGATION_TOKEN.sub("", text)


_RELATIVE_DAYS = frozenset({"yes", "tod", "tom"})


def days(text: str) -> set[str]:
    """Weekdays and months named, by their first three letters; "yesterday" may be the Monday
    another outlet names, so relative days are not compared."""
    return {m.group(0).lower()[:3] for m in _MONTH_OR_DAY.finditer(text)} - _RELATIVE_DAYS


CLOSE_WORDING = 0.5  # word-set overlap from which a lost "not" is a disagreement, not a paraphrase


STEM = 4  # words compared by their first letters: "fail"/"failed", "neglect"/"negligence"


def _close(a: str, b: str) -> bool:
    wa, wb = {w.lower()[:STEM] for w in words(a)}, {w.lower()[:STEM] for w in words(b)}
    return len(wa & wb) / max(1, len(wa | wb)) >= CLOSE_WORDING


def differing_detail(a: str, b: str, places: Sequence[str] = ()) -> str | None:
    """Which detail two tellings of one claim state differently: figure, date, place or negation.

    Paraphrases move negations freely ("not only X but also Y", "no state may" / "states should
    not"), so a negation counts only between closely worded tellings."""
    if negations(a) % 2 != negations(b) % 2 and _close(a, b):
        return "negation"
    na, nb = numbers(a), numbers(b)
    if na and nb and not (na & nb):
        return "figure"
    da, db = days(a), days(b)
    if da and db and not (da & db):
        return "date"
    pa, pb = {p for p in places if p in a}, {p for p in places if p in b}
    if pa and pb and not (pa & pb):
        return "place"
    return None


@dataclass(frozen=True)
class PairJudgement:
    probability: float
    relation: str  # one of RELATIONS
    detail: str | None = None  # for "conflicting": figure | date | place | negation


def judge(pairs: Sequence[tuple[str, str]], model: PairModel | None = None, same: float = SAME,
          places: Sequence[str] = (), embed=None, memo: LogitMemo | None = None) -> list[PairJudgement]:
    """Probability and relation of each pair.

    `same`: verified as one claim and no detail differs. `conflicting`: a detail (figure, date,
    place, negation) differs and, with those details set aside, the model judges the two the
    same claim. `different`: anything else, including texts too short to state anything.
    `places`: place names known to the caller (the story's place mentions); the model itself
    knows none. `embed`, `memo`: as for `PairModel.probabilities`.
    """
    model = model or default_model()
    places = sorted(set(places), key=len, reverse=True)  # "New York City" is masked before "York"
    cosines = model.cosines(pairs, embed)
    probs = model.probabilities(pairs, cosines=cosines, memo=memo)
    details = [differing_detail(a, b, places) if _states(a) and _states(b) else None for a, b in pairs]
    ask = [i for i, d in enumerate(details) if d]
    # the statements with their details set aside keep their own sentences' cosine: the vectors
    # measure topic, the model reads the wording, and no sentence is embedded a second time
    neutral_probs = dict(zip(ask, model.probabilities(
        [(neutral(pairs[i][0], places), neutral(pairs[i][1], places)) for i in ask], cosines=cosines[ask], memo=memo)))
    out = []
    for i, p in enumerate(probs):
        if details[i] and neutral_probs[i] >= same:
            out.append(PairJudgement(float(p), "conflicting", details[i]))
        elif p >= same and not details[i]:
            out.append(PairJudgement(float(p), "same"))
        else:
            out.append(PairJudgement(float(p), "different"))
    return out


def same_claim(a: str, b: str) -> float:
    """P(the two statements make the same claim): 0 for an empty or one-word text."""
    return float(default_model().probabilities([(a, b)])[0])


class PairsFormatError(ValueError):
    """A line of a pairs file is not `text_a<TAB>text_b`."""


def read_pairs(lines: Iterable[str], name: str = "-") -> list[tuple[str, str]]:
    """Tab-separated pairs, one a line, no header; blank lines are skipped."""
    pairs = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise PairsFormatError(f"{name}: line {number}: expected text_a<TAB>text_b, found {len(parts)} field(s)")
        pairs.append((parts[0], parts[1]))
    return pairs
