"""The self-contained HTML report: one file, no network, opening on the story list.

It shows the same pages as the web app (story list, stories, articles), rendered from the same
templates and view models (`present.views`), all in one document: a small embedded script
shows one page at a time according to the URL hash (#stories, #story/ID, #article/ID/START-END),
so it works from file:// without a server. Inline style and script are allowed by their hashes
in the Content-Security-Policy; article content is escaped everywhere (see `highlight`).
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import __version__
from . import views
from .pages import Span, environment, highlight, report_url

__all__ = ["Span", "highlight", "render", "write"]


def _static(name: str) -> str:
    return (resources.files("storyline") / "static" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _citations(story: dict[str, Any]) -> list[dict[str, Any]]:
    found = [c for s in story["summary"] for c in s["citations"]]
    found += [c for t in story["timeline"] for c in t["citations"]]
    found += [cell["citation"] for r in story["matrix"]["rows"] for cell in r["cells"] if cell]
    found += [v["citation"] for k in story["conflicts"] for v in k["values"]]
    found += [r["citation"] for sp in story["quotes"] for st in sp["statements"] for r in st["renderings"]]
    return found


def render(data: dict[str, Any], title: str = "storyline report") -> str:
    """The report page for an export (`export.build` output)."""
    articles = {a["id"]: a for a in data.get("articles", [])}
    copies, quotes = data.get("copies", []), data.get("quotes", [])
    by_article: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for section in ("quotes", "figures", "events"):
        for item in data.get(section, []):
            by_article[item["article_id"]][section].append(item)
    for ent in data.get("entities", []):
        for aid in {m["article_id"] for m in ent.get("mentions", [])}:
            by_article[aid]["entities"].append(ent)
    for c in copies:
        by_article[c["article_id"]]["copies"].append(c)
        by_article[c["of_article_id"]]["copies"].append(c)
    member_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in data.get("stories", []):
        for aid in s["article_ids"]:
            member_of[aid].append((s["id"], s.get("title") or s["id"]))

    stories = [views.story_view(s, articles, copies, quotes) for s in data.get("stories", [])]
    cited: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for s in stories:
        for c in _citations(s):
            if c.get("start") is not None and c.get("end") is not None:
                cited[c["article_id"]].add((c["start"], c["end"]))
    rows = sorted((views.story_row(s, articles) for s in data.get("stories", [])),
                  key=lambda r: (-r["articles"], r["first"] or "", r["id"]))
    metas = {aid: {k: a.get(k) for k in ("id", "title", "source", "published", "url")} for aid, a in articles.items()}
    pages = []
    for aid, a in articles.items():
        ex = by_article[aid]
        v = views.article_view(a, ex["quotes"], ex["figures"], ex["events"], ex["entities"], ex["copies"], metas,
                               member_of.get(aid, []))
        v["spans"] += [{"start": s, "end": e, "kind": f"cite c{s}-{e}"} for s, e in sorted(cited.get(aid, ()))]
        pages.append(v)
    listing = sorted(metas.values(), key=lambda a: (a.get("published") or "", a["id"]), reverse=True)
    # "</" cannot end the inline element early; the hashes cover exactly the embedded text
    css, js = (_static(name).replace("</", "<\\/") for name in ("storyline.css", "report.js"))
    env = environment(report_url, static=True)
    return env.get_template("report.html.j2").render(
        title=title, version=__version__, data=data, story_list={"stories": rows}, stories=stories,
        article_list={"articles": listing}, articles=pages,
        sources=sorted({a.get("source") or "unknown" for a in articles.values()}),
        css=Markup(css), js=Markup(js),
        csp=f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; img-src data:; "
            "base-uri 'none'; form-action 'none'",
    )


def write(data: dict[str, Any], path: Path, title: str = "storyline report") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render(data, title), encoding="utf-8")
    tmp.replace(path)
    return path
