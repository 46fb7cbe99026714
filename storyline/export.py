"""The JSON export (a public contract, see DESIGN.md), JSONL and CSV, built from the store.

The export is a pure function of the store's contents, so `storyline export` and
`storyline run` always agree, and a report can be rebuilt without re-running the pipeline.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterator

from .records import Article, Copy, Entity, Event, Figure, Quote, Story, as_dict
from .store import Store

FORMATS = ("json", "jsonl", "csv")
CSV_TABLES = ("articles", "quotes", "figures", "entities", "events", "copies")


def article_dict(article: Article) -> dict[str, Any]:
    data = as_dict(article)
    data.pop("content_hash", None)
    return data


def build(store: Store) -> dict[str, Any]:
    """The whole export as plain data, in the order of the contract."""
    return {
        "articles": [article_dict(a) for a in store.articles()],
        "copies": as_dict(store.get(Copy)),
        "entities": as_dict(store.get(Entity, order="name, id")),
        "quotes": as_dict(store.get(Quote, order="article_id, start")),
        "figures": as_dict(store.get(Figure, order="article_id, start")),
        "events": as_dict(store.get(Event, order="date, article_id, start")),
        "stories": as_dict(store.get(Story)),
        "problems": [{"path": p.path, "locator": p.locator, "reason": p.reason} for p in store.problems()],
    }


def write_json(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    tmp.replace(path)  # readers never see a half-written export
    return path


def jsonl_lines(data: dict[str, Any]) -> Iterator[str]:
    """One record per line, each tagged with its `type` (article, quote, figure, ...)."""
    for section, records in data.items():
        kind = section[:-1] if section.endswith("s") else section
        for record in records:
            yield json.dumps({"type": kind, **record}, ensure_ascii=False)


def csv_text(data: dict[str, Any], table: str = "articles") -> str:
    if table not in CSV_TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(CSV_TABLES)}")
    rows = data[table]
    out = io.StringIO()
    if not rows:
        return ""
    fields = [k for k in rows[0] if k not in ("removed", "mentions", "evidence")]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()})
    return out.getvalue()


def render(data: dict[str, Any], fmt: str, table: str = "articles") -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "jsonl":
        return "\n".join(jsonl_lines(data)) + "\n"
    if fmt == "csv":
        return csv_text(data, table)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
