"""The clean stage: `Document` in, `Article` out, with what was removed and why.

HTML goes through trafilatura; plain text through a remover that learns the corpus's own
boilerplate (`BoilerplateModel`) and reads the text's shape. Both then pass the same edge
pass, which also reads datelines, bylines, credit and copyright lines into the metadata the
container did not state. Container metadata always wins over what cleaning infers.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records import Article, Document
from . import html as html_stage
from .language import guess_language
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
    return Article(
        id=article_id(doc),
        path=doc.path,
        text=text,
        title=doc.title or page.get("title") or result.title,
        url=doc.url or page.get("url"),
        source=doc.source or page.get("source") or result.source,
        published=doc.published or page.get("published") or result.published,
        language=doc.language or page.get("language") or guess_language(text),
        author=doc.author or page.get("author") or result.author,
        locator=doc.locator,
        removed=result.removed,
        content_hash=doc.hash,
    )


def clean_all(docs: Iterable[Document], model: BoilerplateModel | None = None) -> list[Article]:
    """Clean a whole corpus; without a model, learn one from these documents first."""
    docs = list(docs)
    if model is None:
        model = BoilerplateModel.learn(docs)
    return [clean(doc, model) for doc in docs]
