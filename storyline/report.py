"""The self-contained HTML report: one file, no network, every piece of article text escaped.

Article content is hostile input: it only ever reaches the page through Jinja2 autoescaping
or `highlight`, which escapes every segment itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from . import __version__


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
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starts[s.start].append(s)
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        active = [s for s in spans if s.start <= left and right <= s.end]
        piece = str(escape(text[left:right]))
        if not active:
            out.append(piece)
            continue
        classes = " ".join(sorted({f"hl-{s.kind}" for s in active}))
        titles = " | ".join(dict.fromkeys(s.title for s in active if s.title))
        anchors = "".join(f'<a id="{escape(s.anchor)}"></a>' for s in starts.get(left, []) if s.anchor)
        out.append(f'{anchors}<mark class="{classes}" title="{escape(titles)}">{piece}</mark>')
    return Markup("".join(out))


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("storyline", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = lambda article: highlight(article["text"], article.get("spans", []))
    return env


def article_spans(article_id: str, data: dict[str, Any]) -> list[Span]:
    """Every extract of one article as highlight spans (quotes, figures, dates, entities)."""
    spans: list[Span] = []
    for q in data.get("quotes", []):
        if q["article_id"] == article_id:
            who = q.get("speaker") or "unknown speaker"
            spans.append(Span(q["start"], q["end"], "quote", f"{q['kind']} quote: {who}", q["id"]))
    for f in data.get("figures", []):
        if f["article_id"] == article_id:
            spans.append(Span(f["start"], f["end"], "figure", f"figure: {f.get('counts') or ''}", f["id"]))
    for e in data.get("events", []):
        if e["article_id"] == article_id:
            spans.append(Span(e["start"], e["end"], "event", f"dated {e['date']}", e["id"]))
    for ent in data.get("entities", []):
        for m in ent.get("mentions", []):
            if m["article_id"] == article_id:
                spans.append(Span(m["start"], m["end"], "entity", f"{ent['type']}: {ent['name']}"))
    return spans


def render(data: dict[str, Any], title: str = "storyline report") -> str:
    """The report page for an export (`export.build` output)."""
    articles = []
    for a in data["articles"]:
        articles.append({**a, "spans": article_spans(a["id"], data)})
    by_id = {a["id"]: a for a in articles}
    extracts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for section in ("quotes", "figures", "events"):
        for item in data.get(section, []):
            extracts[item["article_id"]][section].append(item)
    stories = []
    for story in data.get("stories", []):
        members = [by_id[i] for i in story["article_ids"] if i in by_id]
        dates = sorted(a["published"] for a in members if a.get("published"))
        stories.append({**story, "members": members, "first": dates[0] if dates else None,
                        "last": dates[-1] if dates else None,
                        "sources": sorted({a["source"] for a in members if a.get("source")})})
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        version=__version__,
        data=data,
        articles=articles,
        by_id=by_id,
        stories=stories,
        extracts=extracts,
        sources=sorted({a.get("source") or "unknown" for a in articles}),
    )


def write(data: dict[str, Any], path: Path, title: str = "storyline report") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render(data, title), encoding="utf-8")
    tmp.replace(path)
    return path
