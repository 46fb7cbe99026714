"""View models: plain, JSON-ready dicts for each page, built from export-shaped records.

The web app fetches a view's records from the store and the static report takes them from the
export (`export.build`); both call these same pure functions, then render the same template.
The JSON API returns exactly these dicts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from typing import Any, Iterable, Sequence

from ..text import RUN, WORD_OR_MARK

Rec = dict[str, Any]


def _meta(a: Rec) -> Rec:
    return {"id": a["id"], "title": a.get("title"), "source": a.get("source"), "published": a.get("published"),
            "url": a.get("url")}


def cite(a: Rec | None, article_id: str, start: int | None = None, end: int | None = None) -> Rec:
    """One citation: which article, and which passage of it when known."""
    a = a or {}
    label = a.get("source") or (a.get("title") or article_id)[:24]
    return {"article_id": article_id, "label": label, "title": a.get("title"), "published": a.get("published"),
            "start": start, "end": end}


def story_row(story: Rec, articles: dict[str, Rec]) -> Rec:
    members = [articles[i] for i in story["article_ids"] if i in articles]
    dates = sorted(a["published"] for a in members if a.get("published"))
    sources = sorted({a["source"] for a in members if a.get("source")})
    return {"id": story["id"], "title": story.get("title"), "articles": len(members), "sources": len(sources),
            "first": dates[0] if dates else None, "last": dates[-1] if dates else None, "source_names": sources}


def word_diff(reference: str, text: str) -> list[list[str]]:
    """[op, words] segments turning `reference` into `text`: same, del (only in reference), ins."""
    a, b = WORD_OR_MARK.findall(reference), WORD_OR_MARK.findall(text)
    m = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in m.get_opcodes():
        if op == "equal":
            out.append(["same", " ".join(b[j1:j2])])
        if op in ("replace", "delete"):
            out.append(["del", " ".join(a[i1:i2])])
        if op in ("replace", "insert"):
            out.append(["ins", " ".join(b[j1:j2])])
    return out


def _segments(diff: Sequence[Sequence[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for op, ref, own in diff:
        if op == "equal":
            out.append(["same", own])
        if op in ("replace", "delete") and ref:
            out.append(["del", ref])
        if op in ("replace", "insert") and own:
            out.append(["ins", own])
    return out


MAX_PAIRED_QUOTES = 200  # loose quotes of one speaker paired by word overlap (quadratic): beyond, listed singly


def _quote_sections(story: Rec, quotes: Sequence[Rec], articles: dict[str, Rec],
                    window: tuple[int, int] | None = None) -> tuple[list[Rec], int]:
    """Quotes grouped by speaker; within a speaker, each statement with every outlet's wording.

    Returns (sections, statements in all). `window` = (first, last) keeps only those statements,
    in reading order, and word diffs are computed only for what is kept: on a story of
    hundreds of quotes the diffs are most of the page's cost. One card per canonical entity:
    "Lavrov" and "Sergey Lavrov" are one speaker when both link to one entity, shown under the
    longest name written for it; speakers with no entity are keyed by their words."""
    speakers: dict[str, Rec] = {}

    def speaker_key(rec: Rec) -> str:
        if rec.get("speaker_entity"):
            return rec["speaker_entity"]
        return (rec.get("speaker") or "unknown speaker").strip().lower()

    def section(rec: Rec) -> Rec:
        name = (rec.get("speaker") or "unknown speaker").strip()
        sec = speakers.setdefault(speaker_key(rec), {"speaker": name, "statements": [], "count": 0})
        if len(name) > len(sec["speaker"]):
            sec["speaker"] = name
        return sec

    grouped: set[str] = set()
    for g in story.get("quote_groups") or []:
        renderings = []
        for r in g.get("renderings", []):
            grouped.add(r["quote_id"])
            a = articles.get(r["article_id"])
            renderings.append({"citation": cite(a, r["article_id"], r["start"], r["end"]), "text": r["text"],
                               "diff": r.get("diff") or [], "flags": r.get("flags") or [],
                               "changed": r["article_id"] in (g.get("meaning_changed") or [])})
        sec = section(g)
        sec["statements"].append({"id": g["id"], "text": g["text"], "renderings": renderings})
        sec["count"] += len(renderings)
    loose: dict[str, list[Rec]] = defaultdict(list)
    for q in quotes:
        if q["id"] not in grouped and q["article_id"] in articles:
            loose[speaker_key(q)].append(q)
    for items in loose.values():
        sec = section(items[0])
        for q in items[1:]:
            section(q)
        used: set[int] = set()
        for i, q in enumerate(items):  # no compare stage output: pair renderings by word overlap
            if i in used:
                continue
            members = [i]
            if i < MAX_PAIRED_QUOTES:
                members += [j for j in range(i + 1, min(len(items), MAX_PAIRED_QUOTES)) if j not in used
                            and items[j]["article_id"] != q["article_id"]
                            and difflib.SequenceMatcher(a=q["text"].lower(), b=items[j]["text"].lower()).ratio() >= 0.6]
            used.update(members)
            reference = max((items[m] for m in members), key=lambda x: len(x["text"]))
            renderings = [{"citation": cite(articles.get(items[m]["article_id"]), items[m]["article_id"],
                                            items[m]["start"], items[m]["end"]), "text": items[m]["text"],
                           "reference": reference["text"], "flags": [], "changed": False}
                          for m in members]
            sec["statements"].append({"id": q["id"], "text": reference["text"], "renderings": renderings})
            sec["count"] += len(renderings)
    ordered = sorted(speakers.values(), key=lambda s: (s["speaker"] == "unknown speaker", -s["count"], s["speaker"]))
    total = sum(len(sec["statements"]) for sec in ordered)
    if window is not None:
        seen = 0
        for sec in ordered:
            first, last = window[0] - seen, window[1] - seen
            seen += len(sec["statements"])
            sec["statements"] = sec["statements"][max(first, 0):max(last, 0)]
        ordered = [sec for sec in ordered if sec["statements"]]
    for sec in ordered:
        for st in sec["statements"]:
            for r in st["renderings"]:
                if "reference" in r:
                    r["segments"] = word_diff(r.pop("reference"), r["text"])
                else:
                    r["segments"] = _segments(r.pop("diff")) or [["same", r["text"]]]
    return ordered, total


def _day(date: str | None) -> dt.date | None:
    if not date:
        return None
    parts = (date.split("-") + ["01", "01"])[:3]
    try:
        return dt.date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))
    except ValueError:
        return None


def timeline_chart(entries: Sequence[Rec], width: int = 860) -> Rec:
    """Geometry of the timeline SVG: one column per distinct date (in order, evenly spaced, so
    a decades-old reference does not squash the days that matter), labels stacked in lanes."""
    dated = [(e, _day(e["date"])) for e in entries]
    dated = [(e, d) for e, d in dated if d is not None]
    if not dated:
        return {"width": width, "height": 0, "points": [], "ticks": []}
    distinct = sorted({e["date"] for e, _ in dated}, key=lambda x: (_day(x), len(x)))
    left, right = 40, width - 40
    step = (right - left) / max(len(distinct) - 1, 1)
    xs = {date: (left + step * i if len(distinct) > 1 else (left + right) / 2) for i, date in enumerate(distinct)}
    lane_end: list[float] = []
    points = []
    for e, _ in dated:
        x = xs[e["date"]]
        left_label = x > width - 230
        lo, hi = (x - 230, x) if left_label else (x, x + 230)
        lane = next((i for i, end in enumerate(lane_end) if lo > end), None)
        if lane is None:
            lane = len(lane_end)
            lane_end.append(0.0)
        lane_end[lane] = hi
        points.append({"x": round(x, 1), "y": 24 + 30 * lane, "lane": lane, "date": e["date"], "text": e["text"],
                       "r": min(4 + 2 * len(e.get("citations", [])), 11),
                       "href_citation": (e.get("citations") or [None])[0], "label_left": left_label})
    every = max(1, round(len(distinct) / 12))
    ticks = [{"x": round(xs[d], 1), "label": d} for i, d in enumerate(distinct) if i % every == 0]
    height = 60 + 30 * len(lane_end)
    return {"width": width, "height": height, "points": points, "ticks": ticks, "axis_y": height - 26}


def copy_graph(story_id: str, members: Sequence[Rec], copies: Sequence[Rec]) -> Rec:
    """Nodes placed in date columns (earliest left) and copy -> original edges by kind."""
    ids = {a["id"] for a in members}
    edges = [c for c in copies if c["article_id"] in ids and c["of_article_id"] in ids]
    dates = sorted({a.get("published") or "" for a in members})
    columns: dict[str, list[Rec]] = defaultdict(list)
    for a in members:
        columns[a.get("published") or ""].append(a)
    nodes, pos = [], {}
    for ci, date in enumerate(dates):
        for ri, a in enumerate(columns[date]):
            x, y = 90 + ci * 170, 40 + ri * 52
            pos[a["id"]] = (x, y)
            nodes.append({"id": a["id"], "x": x, "y": y, "label": (a.get("source") or a.get("title") or a["id"])[:22],
                          "title": a.get("title") or "", "date": date})
    lines = []
    for c in edges:
        (x1, y1), (x2, y2) = pos[c["article_id"]], pos[c["of_article_id"]]
        bend = 0 if x1 != x2 else 60
        lines.append({"from": c["article_id"], "to": c["of_article_id"], "kind": c["kind"],
                      "similarity": c.get("similarity"), "x1": x1, "y1": y1, "x2": x2, "y2": y2,
                      "cx": (x1 + x2) / 2 + bend, "cy": (y1 + y2) / 2 - (18 if y1 == y2 else 0)})
    height = 80 + 52 * max((len(v) for v in columns.values()), default=1)
    kinds = sorted({c["kind"] for c in edges})
    return {"id": re.sub(r"[^A-Za-z0-9_-]", "_", story_id), "width": max(360, 180 + 170 * (len(dates) - 1)),
            "height": height, "nodes": nodes, "edges": lines, "kinds": kinds}


STORY_PAGE = {"claims": 25, "quotes": 15, "articles": 30}
"""How many claims, quote statements and articles one page of a story shows in the web app: a
story of hundreds of articles would otherwise render a matrix of tens of thousands of cells."""


def _window(page: int | None, size: int) -> tuple[int, int] | None:
    return None if page is None else ((page - 1) * size, page * size)


def story_view(story: Rec, articles: dict[str, Rec], copies: Sequence[Rec], quotes: Sequence[Rec],
               max_claims: int = 80, page: int | None = None) -> Rec:
    """Everything the story page shows. `articles` holds at least this story's articles (with text).

    With `page` (the web app), the claims, quote statements and articles are cut into pages of
    STORY_PAGE; the matrix and the copy graph show the articles of this page. Without it (the
    static report) everything is shown, up to `max_claims` claims."""
    every = sorted((articles[i] for i in story["article_ids"] if i in articles),
                   key=lambda a: (a.get("published") or "9999", a.get("source") or "", a["id"]))
    ids = {a["id"] for a in every}
    shown = _window(page, STORY_PAGE["articles"])
    members = every[shown[0]:shown[1]] if shown else every
    claims = story.get("claims") or []
    # summary sentences, conflict values and timeline entries carry their own offsets
    summary = [{"text": s["text"], "status": s.get("status"), "claim_id": s.get("claim_id"),
                "citations": [cite(articles.get(c["article_id"]), c["article_id"], c["start"], c["end"])
                              for c in s.get("citations") or []]}
               for s in story.get("summary") or []]
    ranked = sorted(claims, key=lambda c: (-(c.get("sources") or 1), -len(c.get("article_ids", [])), c["id"]))
    claim_window = _window(page, STORY_PAGE["claims"]) or (0, max_claims)
    rows = []
    for c in ranked[claim_window[0]:claim_window[1]]:
        cells = {}
        for v in c.get("variants", []):
            if v["article_id"] in ids and v["article_id"] not in cells:
                cells[v["article_id"]] = {"text": v["text"], "citation": cite(articles.get(v["article_id"]), v["article_id"],
                                                                            v["start"], v["end"]),
                                          "attributed_to": v.get("attributed_to")}
        rows.append({"id": c["id"], "text": c["text"], "status": c.get("status"), "sources": c.get("sources", 1),
                     "cells": [cells.get(a["id"]) for a in members]})
    conflicts = []
    for k in story.get("conflicts") or []:
        values = []
        for v in k.get("values", []):
            start, end = v.get("start"), v.get("end")
            value = v.get("value")
            values.append({"value": " – ".join(map(_num, value)) if isinstance(value, list) else _num(value),
                           "text": v.get("text"), "attributed_to": v.get("attributed_to"), "date": v.get("date"),
                           "citation": cite(articles.get(v["article_id"]), v["article_id"], start, end)})
        conflicts.append({"about": k.get("about"), "kind": k.get("kind", "figure"), "update": bool(k.get("update")),
                          "values": values})
    timeline = [{"date": t["date"], "precision": t.get("precision", "day"), "text": t["text"],
                 "citations": [cite(articles.get(c["article_id"]), c["article_id"], c["start"], c["end"])
                               for c in t.get("citations") or []]}
                for t in story.get("timeline") or []]
    copy_of: dict[str, list[Rec]] = defaultdict(list)
    for c in copies:
        if c["article_id"] in ids:
            copy_of[c["article_id"]].append({"of": c["of_article_id"], "kind": c["kind"],
                                             "of_label": (articles.get(c["of_article_id"]) or {}).get("source")})
    rows_members = [{**_meta(a), "copy_of": copy_of.get(a["id"], [])} for a in members]
    dates = [a["published"] for a in every if a.get("published")]
    quote_window = _window(page, STORY_PAGE["quotes"])
    quote_sections, statements = _quote_sections(story, [q for q in quotes if q["article_id"] in ids], articles,
                                                 quote_window)
    totals = {"claims": len(claims), "quotes": statements, "articles": len(every)}
    pages = max(1, *(-(-n // STORY_PAGE[k]) for k, n in totals.items())) if page else 1
    return {
        "id": story["id"], "title": story.get("title"), "first": min(dates) if dates else None,
        "last": max(dates) if dates else None, "sources": sorted({a["source"] for a in every if a.get("source")}),
        "articles": rows_members, "summary": summary,
        "paging": {"page": page or 1, "pages": pages, "totals": totals,
                   "first": {k: (_window(page, STORY_PAGE[k]) or (0, 0))[0] for k in totals},
                   "shown": {"claims": len(rows), "articles": len(rows_members),
                             "quotes": sum(len(sec["statements"]) for sec in quote_sections)}},
        "matrix": {"columns": [_meta(a) for a in members], "rows": rows, "total_claims": len(claims)},
        "conflicts": conflicts, "timeline": timeline, "timeline_chart": timeline_chart(timeline),
        "copy_graph": copy_graph(story["id"], members, copies),
        "quotes": quote_sections,
    }


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def article_spans(article_id: str, quotes: Iterable[Rec], figures: Iterable[Rec], events: Iterable[Rec],
                  entities: Iterable[Rec]) -> list[Rec]:
    """Every extract of one article as highlight spans (quotes and speakers, figures, dates, entities)."""
    spans: list[Rec] = []
    for q in quotes:
        if q["article_id"] == article_id:
            who = q.get("speaker") or "unknown speaker"
            for n, (start, end) in enumerate(q.get("parts") or [(q["start"], q["end"])]):
                # a statement split around its attribution is highlighted part by part, anchored once
                spans.append({"start": start, "end": end, "kind": "quote", "title": f"{q['kind']} quote: {who}",
                              **({"anchor": q["id"]} if n == 0 else {})})
            if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
                spans.append({"start": q["speaker_start"], "end": q["speaker_end"], "kind": "speaker",
                              "title": f"speaker: {who}"})
    for f in figures:
        if f["article_id"] == article_id:
            who = f" according to {f['attributed_to']}" if f.get("attributed_to") else ""
            spans.append({"start": f["start"], "end": f["end"], "kind": "figure",
                          "title": f"figure: {f.get('counts') or ''}{who}", "anchor": f["id"]})
    for e in events:
        if e["article_id"] == article_id:
            spans.append({"start": e["start"], "end": e["end"], "kind": "event", "title": f"dated {e['date']}",
                          "anchor": e["id"]})
    for ent in entities:
        for m in ent.get("mentions", []):
            if m["article_id"] == article_id:
                spans.append({"start": m["start"], "end": m["end"], "kind": "entity",
                              "title": f"{ent['type']}: {ent['name']}"})
    return spans


def article_view(article: Rec, quotes: Sequence[Rec], figures: Sequence[Rec], events: Sequence[Rec],
                 entities: Sequence[Rec], copies: Sequence[Rec], others: dict[str, Rec],
                 stories: Sequence[tuple[str, str]], cited: tuple[int, int] | None = None) -> Rec:
    """The article page: text with its extracts, what was removed, its copies and what it copied."""
    aid = article["id"]
    spans = article_spans(aid, quotes, figures, events, entities)
    text = article.get("text") or ""
    if cited and 0 <= cited[0] < cited[1] <= len(text):
        spans.append({"start": cited[0], "end": cited[1], "kind": "cited", "title": "cited passage", "anchor": "cited"})
    else:
        cited = None

    def link(c: Rec, other: str) -> Rec:
        evidence = [{"copy": pair[0], "original": pair[1], "copy_diff": word_diff(pair[1], pair[0])}
                    for pair in c.get("evidence") or [] if len(pair) == 2]
        return {"article": _meta(others.get(other) or {"id": other}), "kind": c["kind"],
                "similarity": c.get("similarity"), "evidence": evidence}

    mentioned = []
    for ent in entities:
        n = sum(1 for m in ent.get("mentions", []) if m["article_id"] == aid)
        if n:
            mentioned.append({"id": ent["id"], "name": ent["name"], "type": ent["type"], "mentions": n})
    return {
        **_meta(article), "path": article.get("path"), "locator": article.get("locator"),
        "language": article.get("language"), "author": article.get("author"), "text": text,
        "removed": article.get("removed") or [], "spans": spans, "cited": list(cited) if cited else None,
        "quotes": [q for q in quotes if q["article_id"] == aid],
        "figures": [f for f in figures if f["article_id"] == aid],
        "events": [e for e in events if e["article_id"] == aid],
        "entities": sorted(mentioned, key=lambda e: (-e["mentions"], e["name"])),
        "copy_of": [link(c, c["of_article_id"]) for c in copies if c["article_id"] == aid],
        "copied_by": [link(c, c["article_id"]) for c in copies if c["of_article_id"] == aid],
        "stories": [{"id": s, "title": t} for s, t in stories],
    }


def match_spans(text: str, query: str) -> list[Rec]:
    """Where the words of `query` occur in a passage (for highlighting search hits)."""
    words = {w.lower() for w in RUN.findall(query) if len(w) > 1}
    return [{"start": m.start(), "end": m.end(), "kind": "match"} for m in RUN.finditer(text)
            if m.group().lower() in words]
