"""One record per statement: the quotes of one attribution become one quote with parts.

Extraction finds quotations and reported clauses one by one, so one statement often comes out
several times: a quotation split around its verb ("“A,” Lee said, “B.”"), a quotation that
carries on the speaker without a cue ("“…,” Lee said. “…”"), the quoted words inside a reported
clause ("Lee called the plan “reckless”") beside the clause itself, and two reported clauses of
one speaker that cover the same words. A reader, the export and the comparison across outlets
want each statement once, as the attribution corpora (PolNeAR, PARC) mark it: one source and cue,
one content that may be discontinuous.

So records with one attribution group (one cue, or a quote carrying on an earlier speaker) that
follow each other, with no other attribution in between, merge into one statement. Its `parts`
are the merged ranges of its own words; in a statement with reported speech, the quotations it
holds are its `marked` ranges. Statements of one speaker that overlap merge too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .speakers import Speaker

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Found:
    """One extracted quote (a statement once merged), with what the benchmark needs too.

    `group` is the same for every quote of one attribution (one cue, or a quote carrying on an
    earlier speaker); `parts` and `marked` are filled by `merge`.
    """

    start: int
    end: int
    kind: str
    cue: str | None
    cue_i: int | None
    speaker: Speaker | None
    group: int
    parts: tuple[Range, ...] = ()
    marked: tuple[Range, ...] = ()


def merge(found: list[Found]) -> list[Found]:
    """Statements from quotes in text order: runs of one group, then overlaps of one speaker."""
    runs: list[list[Found]] = []
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        if runs and _joins(runs[-1], f):
            runs[-1].append(f)
        else:
            runs.append([f])
    statements = [_statement(run) for run in runs]
    out: list[Found] = []
    for s in statements:
        if out and s.start < out[-1].end and _same_speaker(out[-1], s):
            out[-1] = _statement([out[-1], s])
        else:
            out.append(s)
    return out


def _joins(run: list[Found], f: Found) -> bool:
    """`f` belongs to the statement `run` is building: same group, next in the text or inside it.

    A quotation after reported speech stands on its own even when it carries that speaker on
    ("Lee said X. “…”"): it is a direct statement, not a marked part of the reported one.
    """
    inside = f.start < max(r.end for r in run)
    if not any(r.group == f.group for r in run) or (run[-1].group != f.group and not inside):
        return False
    return inside or f.kind != "direct" or all(r.kind == "direct" for r in run)


def _same_speaker(a: Found, b: Found) -> bool:
    if a.speaker is None or b.speaker is None:
        return a.speaker is None and b.speaker is None and a.group == b.group
    return (a.speaker.start, a.speaker.end) == (b.speaker.start, b.speaker.end) or a.speaker.text == b.speaker.text


def _union(ranges: list[Range]) -> tuple[Range, ...]:
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def _ranges(f: Found) -> list[Range]:
    return list(f.parts) or [(f.start, f.end)]


def _statement(members: list[Found]) -> Found:
    """One statement from the quotes of one attribution."""
    if len(members) == 1 and members[0].parts:
        return members[0]
    kinds = {m.kind for m in members}
    kind = "direct" if kinds == {"direct"} else "partial" if kinds == {"partial"} else "indirect"
    parts = _union([r for m in members for r in _ranges(m)])
    marked: list[Range] = [r for m in members for r in m.marked]
    if kind == "indirect":
        marked += [r for m in members if m.kind != "indirect" for r in _ranges(m)]
    lead = next((m for m in members if m.speaker is not None and m.cue_i is not None),
                next((m for m in members if m.speaker is not None), members[0]))
    return replace(lead, start=parts[0][0], end=parts[-1][1], kind=kind, parts=parts,
                   marked=_union(marked) if kind == "indirect" else ())
