"""Rendering shared by the web app and the static report: one Jinja2 environment, one template
per view, and `highlight`, the only place where article text becomes HTML.

Article content is hostile input: it reaches a page only through Jinja2 autoescaping or through
`highlight`, which escapes every segment itself. Links are built by a `url` function that the
web app and the report supply differently (server paths vs. in-page hash routes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted stretch of an article: `kind` becomes a CSS class, `anchor` an element id."""

    start: int
    end: int
    kind: str
    title: str = ""
    anchor: str | None = None


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """Escaped text with <mark> segments; overlapping spans nest by splitting at every boundary."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not spans:
        return escape(text)
    ordered = sorted(spans, key=lambda s: s.start)
    if all(a.end <= b.start for a, b in zip(ordered, ordered[1:])):
        return _marked_apart(text, ordered)
    return _marked_nested(text, spans)


def _mark(piece: str, active: list[Span], anchors: Iterable[Span]) -> str:
    classes = " ".join(sorted({f"hl-{s.kind}" for s in active}))
    titles = " | ".join(dict.fromkeys(s.title for s in active if s.title))
    ids = "".join(f'<a id="{escape(s.anchor)}"></a>' for s in anchors if s.anchor)
    return f'{ids}<mark class="{escape(classes)}" title="{escape(titles)}">{escape(piece)}</mark>'


def _marked_apart(text: str, spans: list[Span]) -> Markup:
    """Spans that do not overlap (search hits, most article views): one pass, the same markup
    `_marked_nested` gives them, at a fraction of its cost on a results page of thirty hits."""
    out: list[str] = []
    done = 0
    for s in spans:
        out.append(str(escape(text[done:s.start])))
        out.append(_mark(text[s.start:s.end], [s], [s]))
        done = s.end
    out.append(str(escape(text[done:])))
    return Markup("".join(out))


def _marked_nested(text: str, spans: list[Span]) -> Markup:
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starts[s.start].append(s)
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        active = [s for s in spans if s.start <= left and right <= s.end]
        out.append(_mark(text[left:right], active, starts.get(left, [])) if active else str(escape(text[left:right])))
    return Markup("".join(out))


def as_span(item: dict[str, Any] | Span) -> Span:
    return item if isinstance(item, Span) else Span(item["start"], item["end"], item["kind"],
                                                      item.get("title", ""), item.get("anchor"))


def web_url(kind: str, ident: str | None = None, start: int | None = None, end: int | None = None, **query: Any) -> str:
    """Links of the web app: server paths."""
    base = {"stories": "/", "story": "/stories/", "article": "/articles/", "articles": "/articles",
            "search": "/search", "ingest": "/ingest"}[kind]
    path = base + (quote(ident, safe="") if ident else "")
    params = {k: v for k, v in query.items() if v not in (None, "")}
    if start is not None and end is not None:
        params["hl"] = f"{int(start)}-{int(end)}"
    if params:
        path += "?" + "&".join(f"{quote(str(k))}={quote(str(v), safe='')}" for k, v in params.items())
    if start is not None and end is not None:
        path += "#cited"
    return path


def report_url(kind: str, ident: str | None = None, start: int | None = None, end: int | None = None, **_: Any) -> str:
    """Links of the static report: hash routes switched by its small script."""
    if kind in ("stories", "articles", "search", "ingest"):
        return "#" + ("articles" if kind == "articles" else "stories")
    route = f"#{kind}/{quote(ident or '', safe='')}"
    if start is not None and end is not None:
        route += f"/{int(start)}-{int(end)}"
    return route


def safe_href(url: str | None) -> str | None:
    """An article's own URL as a link target only when it is http(s); anything else is not linked."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def environment(url: Callable[..., str], *, static: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("storyline", "templates"),
        autoescape=select_autoescape(["html", "j2", "svg"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(url=url, static=static, safe_href=safe_href)
    env.filters["highlight"] = lambda text, spans: highlight(text or "", [as_span(s) for s in spans or []])
    env.filters["shorten"] = lambda text, n=80: (text or "") if len(text or "") <= n else (text or "")[: n - 1].rstrip() + "…"
    return env
