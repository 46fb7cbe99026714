"""The `storyline` command: a thin layer over the Python API in `storyline.pipeline`.

Everything printed from the store or from a file (paths, titles, sources, reasons) is
untrusted: it goes out as plain `rich.text.Text`, never as console markup ("[/bold]" in a
title must print as itself), with control characters shown as escapes, so an ANSI sequence
in a scraped title cannot reach the terminal. Failures the user can fix are one line on
standard error and exit code 2.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import __version__
from .present import export as export_stage
from . import pipeline
from .engine import engine_named
from .ingest import check_field_map
from .records import Problem
from .store import DEFAULT_DB, Store, StoreError

app = typer.Typer(
    help="Follow one news story across many outlets: copies, stories, quotes, figures, claims, conflicts, timeline.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="The store file (DuckDB).")
FieldMapOption = typer.Option(
    None, "--field-map", help="JSONL field names to map, e.g. 'headline=title,body=text,outlet=source'."
)


def _field_map(spec: Optional[str]) -> dict[str, str] | None:
    if not spec:
        return None
    mapping = {}
    for pair in spec.split(","):
        if "=" not in pair:
            raise typer.BadParameter(f"expected NAME=FIELD pairs, got {pair!r}", param_hint="--field-map")
        theirs, ours = (part.strip() for part in pair.split("=", 1))
        mapping[theirs] = ours
    try:
        check_field_map(mapping)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--field-map") from exc
    return mapping


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def plain(value: object, *, newlines: bool = False) -> Text:
    """Untrusted text for the terminal: no markup, control characters as visible escapes."""
    text = "" if value is None else str(value)
    if not newlines:
        text = text.replace("\n", "\\n").replace("\t", " ")
    return Text(_CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text))


def _fail(message: str | Text, code: int = 1) -> None:
    err.print(Text.assemble(("error: ", "bold red"), plain(message)), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _progress() -> Iterator[pipeline.Progress]:
    """A rich progress bar on a terminal; silent when output is piped or in CI."""
    if not err.is_terminal:
        yield lambda _what, _done, _total: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True)
    tasks: dict[str, int] = {}

    def tick(what: str, done: int, total: int | None) -> None:
        if what not in tasks:
            tasks[what] = bar.add_task(what, total=total)
        bar.update(tasks[what], completed=done, total=total)

    with bar:
        yield tick


def _report_problems(problems: list) -> None:
    for p in problems[:50]:
        err.print(Text.assemble(("problem ", "yellow"), plain(p)), highlight=False, soft_wrap=True)
    if len(problems) > 50:
        err.print(Text(f"... and {len(problems) - 50} more problems (see 'problems' in the export)", "yellow"))


def _summary(result: pipeline.IngestResult) -> str:
    parts = [f"{result.new_articles} new articles from {result.files} files"]
    if result.files_skipped:
        parts.append(f"{result.files_skipped} files already in the store")
    if result.duplicates:
        parts.append(f"{result.duplicates} duplicate documents")
    parts.append(f"{len(result.problems)} problem{'' if len(result.problems) == 1 else 's'}")
    return ", ".join(parts)


@app.command()
def run(
    paths: list[str] = typer.Argument(..., help="Files, folders or glob patterns."),
    out_dir: Path = typer.Option(Path("report"), "--out", help="Folder for storyline.json and report.html."),
    db: str = DbOption,
    field_map: Optional[str] = FieldMapOption,
    title: Optional[str] = typer.Option(None, "--title", help="Title of the report."),
    engine: str = typer.Option("local", "--engine", help="local (this process) or ray (Ray tasks)."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="With --engine ray: a cluster to join."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Processes for parsing, embedding and comparing (default: one per core)."),
) -> None:
    """Ingest PATHS, analyse everything in the store, write the JSON export and the HTML report."""
    try:
        runner = engine_named(engine, ray_address, workers)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--engine") from exc
    except RuntimeError as exc:
        _fail(str(exc))
    mapping = _field_map(field_map)
    try:
        with _progress() as tick:
            result = pipeline.run(paths, out_dir, db=db, field_map=mapping, progress=tick, title=title,
                                  engine=runner)
    except pipeline.NothingRead as exc:
        _report_problems(exc.result.problems)
        _fail("no articles: nothing readable was found in the given paths", 2)
    except (StoreError, OSError, RuntimeError) as exc:
        _fail(str(exc))
    finally:
        runner.close()
    _report_problems([*result.ingest.problems, *result.problems])
    failed = f"; {len(result.problems)} not analysed (retried next run)" if result.problems else ""
    out.print(plain(f"{_summary(result.ingest)}{failed}; {result.articles} articles in {db} -> {result.json_path}, "
                    f"{result.report_path}"), highlight=False, soft_wrap=True)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders or glob patterns."),
    db: str = DbOption,
    field_map: Optional[str] = FieldMapOption,
) -> None:
    """Read and clean articles into the store (only files not seen before)."""
    mapping = _field_map(field_map)
    try:
        with _progress() as tick:
            result = pipeline.ingest_paths(paths, db=db, field_map=mapping, progress=tick)
    except (StoreError, OSError, RuntimeError) as exc:
        _fail(str(exc))
    _report_problems(result.problems)
    if result.read_nothing:
        _fail("nothing readable was found in the given paths", 2)
    out.print(plain(_summary(result)), highlight=False)


def _open(db: str) -> Store:
    try:
        return Store(db, read_only=True)
    except StoreError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


@app.command("list")
def list_articles(db: str = DbOption) -> None:
    """List the stored articles: id, source, date, title."""
    with _open(db) as store:
        articles = store.articles()
    table = Table("id", "source", "date", "title", box=None, pad_edge=False)
    for a in articles:
        table.add_row(plain(a.id), plain(a.source), plain(a.published), plain(a.title))
    out.print(table)


@app.command()
def show(article_id: str = typer.Argument(..., help="An article id (a unique prefix is enough)."), db: str = DbOption) -> None:
    """Show one article: metadata, clean text and what was removed."""
    with _open(db) as store:
        found = store.find_articles(article_id)
    if not found:
        _fail(f"no article with id {article_id!r}")
    if len(found) > 1:
        _fail(f"{article_id!r} matches {len(found)} articles; give more of the id")
    a = found[0]
    title = plain(a.title or "(untitled)")
    title.stylize("bold")
    out.print(title, highlight=False)
    for label, value in (("id", a.id), ("source", a.source), ("published", a.published), ("url", a.url),
                         ("path", a.path + (f" ({a.locator})" if a.locator else "")), ("language", a.language)):
        if value:
            out.print(plain(f"{label}: {value}"), highlight=False)
    out.print()
    out.print(plain(a.text, newlines=True), highlight=False)
    if a.removed:
        out.print(Text(f"\nremoved ({len(a.removed)}):", "dim"))
        for r in a.removed:
            out.print(plain(f"  - {r.text!r}: {r.reason}"), highlight=False)


@app.command()
def export(
    fmt: str = typer.Option("json", "--format", help="json, jsonl or csv."),
    table: Optional[str] = typer.Option(None, "--table", help="With csv or jsonl: one table (articles, quotes, "
                                        "figures, entities, events, copies, claims, conflicts)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write; standard output if omitted."),
    db: str = DbOption,
) -> None:
    """Export the store as JSON (the documented contract), JSONL or CSV."""
    try:
        export_stage.check(fmt, table)
    except ValueError as exc:
        _fail(str(exc), 2)
    if output is not None:
        _check_writable(output)
    with _open(db) as store:
        data = export_stage.build(store)
    text = export_stage.render(data, fmt, table)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        _fail(f"cannot write {output}: {_why(exc)}", 2)
    err.print(plain(f"wrote {output}"), highlight=False)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return (exc.strerror or str(exc)).lower()


def _check_writable(output: Path) -> None:
    """Refuse a target that cannot be written before the export is built."""
    if output.is_dir():
        _fail(f"cannot write {output}: it is a folder; give a file name, e.g. {output / 'export.json'}", 2)
    folder = output.parent
    if not folder.is_dir():
        _fail(f"cannot write {output}: the folder {folder} does not exist", 2)
    if not output.exists() and not os.access(folder, os.W_OK):
        _fail(f"cannot write {output}: the folder {folder} is not writable", 2)
    if output.exists() and not os.access(output, os.W_OK):
        _fail(f"cannot write {output}: permission denied", 2)


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind; other machines can connect only if you change it."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
) -> None:
    """Open the store in a local web app: stories, claims, quotes, search and upload."""
    from . import web

    if not 0 < port < 65536:
        _fail(f"--port must be between 1 and 65535, not {port}", 2)
    if not Path(db).is_file():
        _fail(f"{db}: no such store; run 'storyline ingest' or 'storyline run' first, or give --db", 2)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] serving on {host}: anyone who can reach this machine can read the store and "
                  "upload files", highlight=False)
    try:
        web.serve(db, host=host, port=port)
    except StoreError as exc:
        _fail(str(exc))
    except OSError as exc:  # the port is taken, or may not be bound by this user
        _fail(f"cannot serve on {host}:{port}: {_why(exc)}", 2)


@app.command()
def pairs(
    file: str = typer.Argument(..., help="Tab-separated text_a<TAB>text_b, one pair a line, no header; '-' reads stdin."),
    threshold: float = typer.Option(0.5, "--threshold", min=0.0, max=1.0, help="Probability from which a pair is the same claim."),
) -> None:
    """Is each pair the same claim? Prints `probability<TAB>relation` per pair (same, conflicting, different)."""
    from .compare.pairs import PairsFormatError, judge, read_pairs

    try:
        if file == "-":
            rows = read_pairs(sys.stdin, "stdin")
        else:
            with open(file, encoding="utf-8", errors="replace") as fh:
                rows = read_pairs(fh, file)
    except PairsFormatError as exc:
        _fail(str(exc), 2)
    except OSError as exc:
        _fail(f"{file}: cannot read: {exc.strerror or exc}", 2)
    for verdict in judge(rows, same=threshold):
        sys.stdout.write(f"{verdict.probability:.4f}\t{verdict.relation}\n")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


if __name__ == "__main__":  # pragma: no cover
    app()
