"""Main text of an HTML document through trafilatura, from a tree parsed here.

Only a parsed tree is handed to the libraries, as in `ingest.html`: nothing here may ever
fetch what a hostile page names. Metadata comes from `ingest.html.html_metadata`, the one
place that knows how to read a page's head.
"""

from __future__ import annotations

from ..ingest.html import html_metadata


def _tree(html: str):
    from trafilatura.utils import load_html

    head = html[:2000].lower()
    if "<html" not in head and "<body" not in head:
        html = f"<html><body><div>{html}</div></body></html>"  # a feed's or JSONL's HTML fragment
    try:
        return load_html(html)
    except Exception:
        return None


def main_text(html: str) -> str:
    """The article body as plain text, paragraphs on their own lines ("" when there is none)."""
    import trafilatura

    tree = _tree(html)
    if tree is None:
        return ""
    try:
        text = trafilatura.extract(tree, include_comments=False, output_format="txt")
    except Exception:
        text = None
    if not text:
        # trafilatura gives up on very short pages (a feed summary): take all visible text
        try:
            text = trafilatura.html2txt(_tree(html))  # extract() prunes the tree it is given
        except Exception:
            text = ""
    return text or ""


def metadata(html: str, url: str | None) -> dict[str, str | None]:
    return html_metadata(html, url)
