"""A pile of two good articles beside one hostile input, and what a test checks afterwards:
the good articles are in the store, the bad one is reported with its path and reason, and
nothing else is lost."""

from __future__ import annotations

from pathlib import Path

from storyline import pipeline
from storyline.records import Article
from storyline.store import Store

GOOD = {
    "harbour.txt": ("Harbour workers end strike", "Dock workers in the port of Caldmouth returned to work on Tuesday "
                    "after the union accepted a new wage offer, the port authority said."),
    "ferry.txt": ("Ferry service resumes", "The ferry between the two islands sailed again on Monday after repairs "
                  "to the pier were finished, the operator said in a statement."),
}


def good_pile(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, body) in GOOD.items():
        (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def ingest(paths: list, db: Path, **options) -> pipeline.IngestResult:
    return pipeline.ingest_paths([str(p) if isinstance(p, Path) else p for p in paths], db=db, **options)


def stored(db: Path) -> list[Article]:
    with Store(db, read_only=True) as store:
        return store.articles()


def assert_good_kept(db: Path, extra: int = 0) -> list[Article]:
    """Both good articles are stored whole, and `extra` other articles besides."""
    articles = stored(db)
    titles = {a.title for a in articles}
    for title, body in GOOD.values():
        assert title in titles, titles
        assert any(body in a.text for a in articles), f"body of {title!r} lost"
    assert len(articles) == len(GOOD) + extra, [a.title for a in articles]
    return articles


def reasons(result: pipeline.IngestResult, name: str) -> list[str]:
    """The reasons given for files whose path ends with `name`."""
    return [p.reason for p in result.problems if p.path.endswith(name)]
