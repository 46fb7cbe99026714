"""The story's timeline: dated events merged across sources, in date order.

Two events are one entry when they carry the same date at the same precision and their
sentences say similar things; the entry then cites every article that reported it.
"""

from __future__ import annotations

from typing import Sequence

from ..records import Citation, Event, TimelineEntry
from .units import Embed

SAME_EVENT = 0.5


def build_timeline(events: Sequence[Event], embed: Embed, published: dict[str, str | None]) -> list[TimelineEntry]:
    by_date: dict[tuple[str, str], list[Event]] = {}
    for e in events:
        by_date.setdefault((e.date, e.precision), []).append(e)
    entries: list[TimelineEntry] = []
    for (date, precision), group in sorted(by_date.items()):
        group = sorted(group, key=lambda e: (published.get(e.article_id) or "", e.article_id, e.start))
        vectors = embed([e.text for e in group])
        sim = vectors @ vectors.T
        used: set[int] = set()
        for i, event in enumerate(group):
            if i in used:
                continue
            members = [i] + [j for j in range(i + 1, len(group)) if j not in used and sim[i, j] >= SAME_EVENT]
            used.update(members)
            ids = list(dict.fromkeys(group[m].article_id for m in members))
            cited = {}
            for m in members:  # one passage per article: its first sentence giving this date
                cited.setdefault(group[m].article_id, Citation(group[m].article_id, group[m].start, group[m].end))
            entries.append(TimelineEntry(date=date, text=event.text, article_ids=ids, precision=precision,
                                         citations=list(cited.values())))
    entries.sort(key=lambda t: (t.date, {"year": 0, "month": 1, "day": 2}[t.precision]))
    return entries
