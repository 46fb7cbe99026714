"""Claims across languages: statement pairs that the English same-claim model cannot read.

The cross-encoder of `pairs.py` was trained on English pairs; it scores a German sentence
against its English translation as different. Such pairs (and pairs within one language other
than English) are proposed and judged instead from multilingual-e5 vectors
(`storyline.multilingual`, centred): the probability of one claim is a logistic function of
their cosine, fitted on MEANTIME's human translations aligned by sentence against the other
sentences of the same article (`train/cross_language.py`, fixed split by document). The
calibration lives in `models/cross_language/calibration.json`: the logistic, the candidate
cosine, and the join probability, set where 90% of the fit half's pairs are right. That is
below `ClaimParams.seed`, so a cross-language pair joins a claim that a stronger pair started
(an English pair, or two close German ones) but starts one only at the seed.

These pairs never come out "conflicting": the detail checks (figures, negation) read English
words and number formats ("15.000 millones" is fifteen billion), so a cross-language pair is
"same" or "different"; conflicts inside the claim still come from its same-language pairs.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from ..multilingual import DIMENSIONS, ENGLISH
from .pairs import PairJudgement

Encode = Callable[[Sequence[str]], np.ndarray]

CALIBRATION = Path(__file__).resolve().parent.parent / "models" / "cross_language" / "calibration.json"


@dataclass(frozen=True)
class CrossCalibration:
    scale: float
    bias: float
    candidate: float  # centred e5 cosine from which a pair is worth judging
    join: float  # probability from which a pair is one claim (90% of such pairs right on the fit half)

    def probability(self, cosine: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.scale * cosine + self.bias)))


def default_encode(texts: Sequence[str]) -> np.ndarray:
    """The packaged multilingual-e5, loaded on the first call: only a story in several languages makes one."""
    from ..multilingual import default_multilingual

    return default_multilingual().encode(texts)


@cache
def load_calibration(path: Path = CALIBRATION) -> CrossCalibration:
    data = json.loads(path.read_text())
    return CrossCalibration(float(data["scale"]), float(data["bias"]), float(data["candidate"]), float(data["join"]))


class CrossLanguage:
    """Proposes and judges the unit pairs of a story that involve a language other than English.

    Units are the claim builder's list (it may grow with clauses); vectors are embedded on first
    use, once per unit."""

    def __init__(self, units: Sequence, language_of: Mapping[str, str | None], encode: Encode,
                 calibration: CrossCalibration | None = None) -> None:
        self.units = units
        self.language_of = language_of
        self.encode = encode
        self.calibration = calibration or load_calibration()
        self._vectors: dict[int, np.ndarray] = {}

    def language(self, i: int) -> str | None:
        return self.language_of.get(self.units[i].article_id)

    def involved(self, i: int, j: int) -> bool:
        """True when the pair is not English on both sides: this judge's pair, not the cross-encoder's."""
        a, b = self.language(i), self.language(j)
        return not (a in ENGLISH and b in ENGLISH)

    def vectors(self, indices: Sequence[int]) -> np.ndarray:
        missing = [i for i in dict.fromkeys(indices) if i not in self._vectors]
        if missing:
            for i, vector in zip(missing, self.encode([self.units[i].text for i in missing])):
                self._vectors[i] = vector
        return np.vstack([self._vectors[i] for i in indices]) if indices else np.zeros((0, DIMENSIONS), np.float32)

    def candidates(self, whole: Sequence[int], neighbours: int, block: int = 512) -> list[tuple[int, int]]:
        """Pairs of different articles, at least one side not English, above the candidate cosine:
        each such unit's `neighbours` nearest units per other article. Rows are taken a block at a
        time, so a large story never holds a full similarity matrix."""
        rows = [i for i in whole if self.language(i) not in ENGLISH]
        if not rows:
            return []
        vectors = self.vectors(list(whole))
        position = {u: n for n, u in enumerate(whole)}
        article = np.array([self.units[i].article_id for i in whole])
        kept: set[tuple[int, int]] = set()
        for begin in range(0, len(rows), block):
            chunk = rows[begin:begin + block]
            sim = vectors[[position[i] for i in chunk]] @ vectors.T
            sim[np.array([self.units[i].article_id for i in chunk])[:, None] == article[None, :]] = -1.0
            for r, i in enumerate(chunk):
                best: dict[str, list[tuple[float, int]]] = {}
                for c in np.flatnonzero(sim[r] >= self.calibration.candidate):
                    best.setdefault(article[c], []).append((float(sim[r, c]), whole[c]))
                for found in best.values():
                    for _, j in sorted(found, reverse=True)[:neighbours]:
                        kept.add((min(i, j), max(i, j)))
        return sorted(kept)

    def judge(self, pairs: Sequence[tuple[int, int]]) -> list[PairJudgement]:
        if not pairs:
            return []
        left = self.vectors([i for i, _ in pairs])
        right = self.vectors([j for _, j in pairs])
        out = []
        for cosine in (left * right).sum(axis=1):
            p = self.calibration.probability(float(cosine))
            out.append(PairJudgement(round(p, 6), "same" if p >= self.calibration.join else "different"))
        return out


class VectorMemo:
    """The multilingual vectors of one story's statements, kept between runs.

    A mixed-language story that a new article joins is compared again, and e5 (about 40
    sentences/s) would embed every statement of it again. The memo starts from what the last
    comparison stored, embeds only texts it has not seen, and stores exactly the texts used this
    time. Vectors are float16 under a 12-byte digest of the text; the stored form names the model
    and centring that made them, so vectors of another model are ignored."""

    def __init__(self, known: bytes = b"", identity: bytes = b"") -> None:
        self.identity = identity
        self.known: dict[bytes, np.ndarray] = {}
        self.asked: dict[bytes, np.ndarray] = {}
        if known and identity and known[:len(identity)] == identity:
            body = known[len(identity):]
            size = _KEY + DIMENSIONS * 2
            for n in range(len(body) // size):
                row = body[n * size:(n + 1) * size]
                self.known[row[:_KEY]] = np.frombuffer(row[_KEY:], dtype="<f2").astype(np.float32)

    def wrap(self, encode: Encode) -> Encode:
        """`encode` answering from the memo, and recording what it answered."""
        def run(texts: Sequence[str]) -> np.ndarray:
            keys = [_text_key(t) for t in texts]
            todo = [i for i, k in enumerate(keys) if k not in self.known and k not in self.asked]
            if todo:
                for i, vector in zip(todo, encode([texts[i] for i in todo])):
                    self.asked[keys[i]] = np.asarray(vector, dtype="<f2").astype(np.float32)
            rows = []
            for k in keys:
                if k not in self.asked:
                    self.asked[k] = self.known[k]
                rows.append(self.asked[k])
            return np.vstack(rows) if rows else np.zeros((0, DIMENSIONS), np.float32)
        return run

    def to_bytes(self) -> bytes:
        if not self.asked or not self.identity:
            return b""
        return self.identity + b"".join(k + v.astype("<f2").tobytes() for k, v in self.asked.items())


_KEY = 12
_PACKED = b"SLm2"  # a story memo holding same-claim scores and multilingual vectors


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_KEY).digest()


def pack_memo(logits: bytes, vectors: bytes) -> bytes:
    """One stored blob per story: the same-claim scores alone, or both parts."""
    if not vectors:
        return logits
    return _PACKED + len(logits).to_bytes(4, "little") + logits + vectors


def unpack_memo(blob: bytes) -> tuple[bytes, bytes]:
    if not blob.startswith(_PACKED):
        return blob, b""
    n = int.from_bytes(blob[4:8], "little")
    return blob[8:8 + n], blob[8 + n:]
