"""PolNeAR gold for bench/quotes.py: the brat standoff of one split, and what kind of
attribution each gold item is (direct, mixed, indirect; reported speech or not).

Kept apart from the scoring so that the benchmark reads as matching and scoring only.
"""

from __future__ import annotations

import bisect
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
MARKS = set("“”\"„«»‹›")
SINGLE = set("‘’'`")

# verbs of saying and writing, for the speech view: kept here, apart from storyline's own lexicon,
# so that the view does not define speech as whatever storyline extracts
COMMUNICATION = frozenset(
    """say tell state add note explain write tweet post claim assert insist argue contend maintain
    warn caution stress emphasize emphasise announce declare report reply respond answer ask urge
    demand accuse charge deny confirm admit acknowledge concede comment remark mention describe
    call label predict promise pledge vow threaten suggest recommend propose testify recall
    reveal disclose complain criticize criticise blast slam attack praise thank blame dismiss
    reject question challenge quip joke boast shout yell chant read quote cite reiterate
    repeat echo agree disagree counter retort continue conclude speak talk""".split())


def load_split(split: str, limit: int | None) -> list[dict]:
    """Articles of one split with their gold attributions (content, source, cue offsets)."""
    base = POLNEAR / split
    anns: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    docs = []
    for name, ann in sorted(anns.items())[: limit or None]:
        text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        relations = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue  # the continuation of an annotated text that held a line break
            if parts[0].startswith("T"):
                label, offsets = parts[1].split(" ", 1)
                spans[parts[0]] = (label, [tuple(map(int, s.split())) for s in offsets.split(";")])
            elif parts[0].startswith("E"):
                relations.append(dict(arg.split(":") for arg in parts[1].split()))
        gold = []
        for rel in relations:
            roles = {k: spans[v][1] for k, v in rel.items() if k != "Attribution" and v in spans}
            if "Content" in roles:
                gold.append(roles)
        docs.append({"name": name, "text": text, "gold": gold})
    return docs


def chars(text: str, segments) -> frozenset[int]:
    return frozenset(i for s, e in segments for i in range(s, e) if text[i].isalnum())


def is_mark(text: str, i: int) -> bool:
    if not 0 <= i < len(text):
        return False
    c = text[i]
    if c in MARKS:
        return True
    if c in SINGLE:
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        return not (before.isalnum() and after.isalnum()) and not (before.isalpha() and after in "s ")
    return False


def gold_kind(text: str, segments) -> str:
    enclosed = all(any(is_mark(text, k) for k in range(s - 2, s + 1)) and
                   any(is_mark(text, k) for k in range(e - 1, e + 2)) for s, e in segments)
    if enclosed:
        return "direct"
    touched = any(is_mark(text, k) for s, e in segments for k in range(s - 1, e + 1))
    return "mixed" if touched else "indirect"


def is_speech(text: str, doc, gold: dict) -> bool:
    """A gold attribution of reported speech: its content holds quotation marks, or its cue is a
    verb of saying or writing, "according to", a colon or a signature dash. The rest are beliefs,
    intentions and findings ("Trump wants", "the poll shows"), which a quote extractor does not
    aim at."""
    if gold_kind(text, gold["Content"]) != "indirect":
        return True
    cue = gold.get("Cue", [])
    if not cue:
        return False
    said = text[cue[0][0]:cue[-1][1]].lower()
    if said.strip() in {":", "--", "—", "―", "-"} or "according" in said:
        return True
    starts = [t.idx for t in doc]
    lo, hi = bisect.bisect_left(starts, cue[0][0]), bisect.bisect_left(starts, cue[-1][1])
    return any(t.lemma_.lower() in COMMUNICATION for t in doc[lo:hi])
