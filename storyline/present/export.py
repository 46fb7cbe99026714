"""The JSON export (a public contract, see DESIGN.md), JSONL and CSV, built from the store.

The export is a pure function of the store's contents, so `storyline export` and
`storyline run` always agree, and a report can be rebuilt without re-running the pipeline.

CSV and JSONL also offer flat tables for spreadsheets: claims and conflicts one row per claim
or per conflicting value, quotes with the outlet, date and speaker's canonical name beside
them. A CSV cell that starts like a formula (=, +, -, @, tab, CR) is prefixed with an
apostrophe: article text is untrusted, and a spreadsheet would run `=HYPERLINK(...)`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterator

from ..records import Article, Copy, Entity, Event, Figure, Quote, StageProblem, Story, as_dict
from ..store import Store

FORMATS = ("json", "jsonl", "csv")
CSV_TABLES = ("articles", "quotes", "figures", "entities", "events", "copies", "claims", "conflicts")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def article_dict(article: Article) -> dict[str, Any]:
    data = as_dict(article)
    data.pop("content_hash", None)
    return data


def problem_dicts(store: Store, articles: list[Article]) -> list[dict[str, Any]]:
    """Files and records that could not be read (stage "ingest"), then articles and stories an
    analysis stage could not process: `path` and `locator` name the article's file, `stage`,
    `article_id` or `story_id` say which step failed on what."""
    out: list[dict[str, Any]] = [{"path": p.path, "locator": p.locator, "reason": p.reason, "stage": "ingest"}
                                 for p in store.problems()]
    where = {a.id: a for a in articles}
    for p in store.get(StageProblem, order="stage, subject"):
        article = where.get(p.subject) if p.kind == "article" else None
        entry = {"path": article.path if article else None, "locator": article.locator if article else None,
                 "reason": p.reason, "stage": p.stage}
        if p.kind != "stage":
            entry[f"{p.kind}_id"] = p.subject
        out.append(entry)
    return out


def build(store: Store) -> dict[str, Any]:
    """The whole export as plain data, in the order of the contract."""
    articles = store.articles()
    return {
        "articles": [article_dict(a) for a in articles],
        "copies": as_dict(store.listing(Copy)),
        "entities": as_dict(store.listing(Entity)),
        "quotes": as_dict(store.listing(Quote)),
        "figures": as_dict(store.listing(Figure)),
        "events": as_dict(store.listing(Event)),
        "stories": as_dict(store.listing(Story)),
        "problems": problem_dicts(store, articles),
    }


def write_json(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    tmp.replace(path)  # readers never see a half-written export
    return path


def check(fmt: str, table: str | None) -> None:
    """Raise ValueError for a format or table that does not exist, or a table with JSON
    (the JSON export is the whole contract; a silently ignored --table would surprise)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if table is not None and fmt == "json":
        raise ValueError("--table works with --format csv or jsonl; --format json is always the whole export")
    if table is not None and table not in CSV_TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(CSV_TABLES)}")


def flat_tables(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The export as flat tables, one per name in CSV_TABLES."""
    articles = {a["id"]: a for a in data["articles"]}
    names = {e["id"]: e["name"] for e in data["entities"]}

    def outlet(article_id: str | None) -> dict[str, Any]:
        a = articles.get(article_id or "") or {}
        return {"outlet": a.get("source"), "published": a.get("published")}

    quotes = [{**q, **outlet(q["article_id"]), "speaker_name": names.get(q.get("speaker_entity") or "")}
              for q in data["quotes"]]
    claims, conflicts = [], []
    for story in data["stories"]:
        for c in story.get("claims") or []:
            claims.append({"story_id": story["id"], "id": c["id"], "text": c["text"], "status": c["status"],
                           "sources": c["sources"], "article_ids": c["article_ids"],
                           "outlets": sorted({o for o in (outlet(i)["outlet"] for i in c["article_ids"]) if o})})
        for n, conflict in enumerate(story.get("conflicts") or [], 1):
            for v in conflict.get("values") or []:
                conflicts.append({"story_id": story["id"], "conflict": n, "kind": conflict["kind"],
                                  "about": conflict["about"], "update": conflict["update"], "value": v["value"],
                                  "text": v["text"], "article_id": v["article_id"],
                                  "outlet": outlet(v["article_id"])["outlet"], "date": v.get("date"),
                                  "attributed_to": v.get("attributed_to")})
    tables = {name: data[name] for name in CSV_TABLES if name in data}
    tables.update(quotes=quotes, claims=claims, conflicts=conflicts)
    return tables


def jsonl_lines(data: dict[str, Any], table: str | None = None) -> Iterator[str]:
    """One record per line, each tagged with its `type` (article, quote, figure, ...): the
    whole export, or the rows of one flat table."""
    if table is not None:
        sections: dict[str, list] = {table: flat_tables(data)[table]}
    else:
        sections = {**data, **{k: v for k, v in flat_tables(data).items() if k in ("claims", "conflicts")}}
    for section, records in sections.items():
        kind = section[:-1] if section.endswith("s") else section
        for record in records:
            yield json.dumps({"type": kind, **record}, ensure_ascii=False)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(data: dict[str, Any], table: str = "articles") -> str:
    check("csv", table)
    rows = flat_tables(data)[table]
    out = io.StringIO()
    if not rows:
        return ""
    fields = [k for k in rows[0] if k not in ("removed", "mentions", "evidence")]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def render(data: dict[str, Any], fmt: str, table: str | None = None) -> str:
    check(fmt, table)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "jsonl":
        return "\n".join(jsonl_lines(data, table)) + "\n"
    return csv_text(data, table or "articles")
