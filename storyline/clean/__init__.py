"""The clean stage: `Document` in, `Article` out, with what was removed and why.

HTML goes through trafilatura; plain text through a remover that learns the corpus's own
boilerplate (`BoilerplateModel`) and reads the text's shape. Both then pass the same edge
pass, which also reads datelines, bylines, credit and copyright lines into the metadata the
container did not state. Container metadata always wins over what cleaning infers.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..ingest.titles import rejection
from ..records import Article, Document, Removed
from ..language import detect_language
from . import html as html_stage
from .model import BoilerplateModel
from .text import Cleaned, clean_text

__all__ = ["BoilerplateModel", "article_id", "clean", "clean_all", "clean_text"]


def article_id(doc: Document) -> str:
    """Stable short id: the same document content always gives the same article id."""
    return doc.hash[:12]


def clean(doc: Document, model: BoilerplateModel | None = None) -> Article:
    page: dict[str, str | None] = {}
    if doc.kind == "html":
        body = html_stage.main_text(doc.content)
        if not (doc.title and doc.published and doc.author and doc.source):
            page = html_stage.metadata(doc.content, doc.url)
        result: Cleaned = clean_text(body, model, title=doc.title or page.get("title"), edges=False)
    else:
        result = clean_text(doc.content, model, title=doc.title)
    text = result.text
    rejected: list[Removed] = []
    return Article(
        id=article_id(doc),
        path=doc.path,
        text=text,
        title=_fit("title", (doc.title, page.get("title"), result.title), rejected),
        url=doc.url or page.get("url"),
        source=_fit("source", (doc.source, page.get("source"), result.source), rejected),
        published=doc.published or page.get("published") or result.published,
        language=doc.language or page.get("language") or detect_language(text),
        author=doc.author or page.get("author") or result.author,
        locator=doc.locator,
        removed=result.removed + rejected,
        content_hash=doc.hash,
    )


def _fit(what: str, candidates: Iterable[str | None], rejected: list[Removed]) -> str | None:
    """The first candidate fit to be a title or source name; the unfit ones are noted, so a
    feed's or JSONL's title holding markup is audited like any other removal."""
    for value in candidates:
        if not value:
            continue
        why = rejection(value, what)
        if why is None:
            return value
        rejected.append(Removed(text=value[:200], reason=f"not used as the {what}: it {why}"))
    return None


def clean_all(docs: Iterable[Document], model: BoilerplateModel | None = None) -> list[Article]:
    """Clean a whole corpus; without a model, learn one from these documents first."""
    docs = list(docs)
    if model is None:
        model = BoilerplateModel.learn(docs)
    return [clean(doc, model) for doc in docs]
