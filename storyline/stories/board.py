"""The board that updates the stories of one batch.

`Board` holds the stories a batch can touch as row arrays, so candidate search is one matrix
product per chunk of articles and scoring is vectorised over the few candidate rows; it never
mutates a stored `StoryState` but writes new ones for the stories that changed.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Sequence

import numpy as np

from .features import ArticleFeatures, StoryParams
from .index import StoryIndex, StoryState, ordered, story_id


class Board:
    """The working state of one batch: the stories in the batch's time window, as arrays.

    Row-wise arrays make the candidate search one matrix product per chunk of articles; entity
    counts stay dicts because a story mentions few of all names. Stories outside the window are
    never loaded, so a batch costs in proportion to the batch and the stories it can touch."""

    def __init__(self, index: StoryIndex, order: Sequence[ArticleFeatures], idf: Callable[[str], float],
                 params: StoryParams):
        self.p, self.idf = params, idf
        self.idf_cache: dict[str, float] = {}
        self.dim = int(order[0].vector.shape[0])
        self.taken = set(index.stories)
        self.states: list[StoryState | None] = []
        self.sums = np.zeros((1024, self.dim))
        self.unit = np.zeros((self.sums.shape[0], self.dim), dtype=np.float32)
        self.first = np.full(self.sums.shape[0], np.nan)
        self.last = np.full(self.sums.shape[0], np.nan)
        self.size = np.zeros(self.sums.shape[0], dtype=np.int64)
        self.counts: list[Counter] = []
        self.sources: list[Counter] = []
        self.q: list[float] = []
        self.added: list[dict[str, ArticleFeatures]] = []
        self.postings: dict[str, list[int]] = {}
        self.where: dict[str, int] = {}
        days = [f.day for f in order if f.day is not None]
        everything = len(days) < len(order)
        lo, hi = (min(days) - params.window_days, max(days) + params.window_days) if days else (0, 0)
        for state in ordered(index.stories.values()):
            if everything or state.first is None or (state.last >= lo and state.first <= hi):
                self._new_row(state, state.vector_sum, Counter(state.entities), Counter(state.sources),
                              len(state.members), state.first, state.last)

    def _new_row(self, state, vector_sum, counts, sources, size, first, last) -> int:
        row = len(self.states)
        if row == self.sums.shape[0]:
            self.sums = np.vstack([self.sums, np.zeros_like(self.sums)])
            self.unit = np.vstack([self.unit, np.zeros_like(self.unit)])
            self.first = np.append(self.first, np.full(row, np.nan))
            self.last = np.append(self.last, np.full(row, np.nan))
            self.size = np.append(self.size, np.zeros(row, dtype=np.int64))
        self.states.append(state)
        self.sums[row] = vector_sum
        self.first[row] = math.nan if first is None else first
        self.last[row] = math.nan if last is None else last
        self.size[row] = size
        self.counts.append(counts)
        self.sources.append(sources)
        self.added.append({})
        self.q.append(float(sum((self._idf(name) * c) ** 2 for name, c in counts.items())))
        for name in counts:
            self.postings.setdefault(name, []).append(row)
        self._refresh(row)
        return row

    def _idf(self, name: str) -> float:
        weight = self.idf_cache.get(name)
        if weight is None:
            weight = self.idf_cache[name] = self.idf(name)
        return weight

    def _refresh(self, row: int) -> None:
        norm = np.linalg.norm(self.sums[row])
        self.unit[row] = self.sums[row] / norm if self.size[row] and norm > 0 else 0.0

    def _add(self, row: int, f: ArticleFeatures) -> None:
        self.sums[row] += f.vector
        for name in f.entities:
            c = self.counts[row][name]
            self.q[row] += self._idf(name) ** 2 * (2 * c + 1)
            if c == 0 and row not in self.postings.get(name, ())[-1:]:
                self.postings.setdefault(name, []).append(row)
            self.counts[row][name] = c + 1
        self.sources[row][f.source or ""] += 1
        self.size[row] += 1
        self.added[row][f.article_id] = f
        if f.day is not None:
            self.first[row] = f.day if math.isnan(self.first[row]) else min(self.first[row], f.day)
            self.last[row] = f.day if math.isnan(self.last[row]) else max(self.last[row], f.day)
        self.where[f.article_id] = row
        self._refresh(row)

    def _remove(self, row: int, f: ArticleFeatures) -> None:
        self.sums[row] -= f.vector
        for name in f.entities:
            c = self.counts[row][name]
            self.q[row] -= self._idf(name) ** 2 * (2 * c - 1)
            self.counts[row][name] = c - 1
        self.sources[row][f.source or ""] -= 1
        self.size[row] -= 1
        del self.added[row][f.article_id]
        state = self.states[row]
        days = [d for _, d in state.members if d is not None] if state else []
        days += [g.day for g in self.added[row].values() if g.day is not None]
        self.first[row] = min(days) if days else math.nan
        self.last[row] = max(days) if days else math.nan
        self._refresh(row)

    def scores(self, f: ArticleFeatures, rows: np.ndarray, own: int = -1) -> np.ndarray:
        """Combined score of article `f` against each story row; `own` is scored without `f`."""
        p = self.p
        sums = self.sums[rows]  # fancy indexing copies: safe to edit
        mine = rows == own
        sums[mine] -= f.vector
        norms = np.sqrt(np.einsum("ij,ij->i", sums, sums))
        cos = (sums @ f.vector) / np.where(norms > 0, norms, 1.0)
        names = sorted(f.entities)
        weights = np.array([self._idf(name) ** 2 for name in names])
        counts = np.array([[c.get(name, 0) for name in names] for c in map(self.counts.__getitem__, rows.tolist())],
                          dtype=np.float64).reshape(len(rows), len(names))
        q = np.array([self.q[row] for row in rows.tolist()], dtype=np.float64)
        if mine.any():  # the story without this article: one mention less of each of its names
            q[mine] -= (weights * (2 * counts[mine] - 1)).sum(axis=1)
            counts[mine] -= 1
        dot = counts @ weights
        a_norm = math.sqrt(weights.sum()) or 1.0
        ent = np.where(q > 1e-9, dot / (a_norm * np.sqrt(np.maximum(q, 1e-9))), 0.0)
        score = (cos + p.entity_weight * ent) / (1 + p.entity_weight)
        if f.day is not None:
            gaps = np.fmax(np.fmax(self.first[rows] - f.day, f.day - self.last[rows]), 0.0)
            score -= p.time_weight * np.log1p(gaps / p.time_scale_days)
            score[gaps > p.window_days] = -np.inf
        score[self.size[rows] - mine <= 0] = -np.inf
        return score

    def _search(self, chunk: Sequence[ArticleFeatures]) -> tuple[np.ndarray, np.ndarray]:
        """Top centroid hits for a chunk: one matrix product over the stories active in its window."""
        n = len(self.states)
        alive = self.size[:n] > 0
        days = [f.day for f in chunk if f.day is not None]
        if days and len(days) == len(chunk):
            first, last = self.first[:n], self.last[:n]
            with np.errstate(invalid="ignore"):
                near = (last >= min(days) - self.p.window_days) & (first <= max(days) + self.p.window_days)
            alive &= near | np.isnan(first)
        rows = np.nonzero(alive)[0]
        if not len(rows):
            return rows, np.zeros((len(chunk), 0), dtype=np.int64)
        sims = np.stack([f.vector for f in chunk]) @ self.unit[rows].T
        k = min(self.p.neighbours, len(rows))
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        return rows, rows[top]

    def _candidates(self, f: ArticleFeatures, hits: np.ndarray, fresh: list[int]) -> np.ndarray:
        found = set(hits.tolist())
        if fresh:
            sims = self.unit[fresh] @ f.vector
            k = min(self.p.neighbours, len(fresh))
            found.update(np.asarray(fresh)[np.argpartition(-sims, k - 1)[:k]].tolist())
        budget = 2 * self.p.neighbours
        for name in sorted(f.entities, key=lambda e: (-self._idf(e), e)):
            for row in self.postings.get(name, ())[-self.p.entity_postings:]:
                if budget and row not in found:
                    found.add(row)
                    budget -= 1
        if f.article_id in self.where:
            found.add(self.where[f.article_id])
        return np.array(sorted(found), dtype=np.int64)

    def _sweep(self, order: Sequence[ArticleFeatures], place) -> int:
        changed = 0
        for begin in range(0, len(order), self.p.chunk):
            chunk = order[begin : begin + self.p.chunk]
            searched = len(self.states)
            _, hits = self._search(chunk)
            fresh: set[int] = set()
            for j, f in enumerate(chunk):
                touched = place(f, self._candidates(f, hits[j], sorted(fresh | set(range(searched, len(self.states))))))
                if touched is not None:
                    fresh.add(touched)
                    changed += 1
        return changed

    def assign(self, order: Sequence[ArticleFeatures]) -> None:
        """First pass: join the best candidate story above the threshold, or found a new story."""

        def place(f: ArticleFeatures, rows: np.ndarray) -> int:
            scores = self.scores(f, rows)
            if len(rows) and scores.max() >= self.p.threshold:
                row = int(rows[int(np.argmax(scores))])
            else:
                row = self._new_row(None, np.zeros(self.dim), Counter(), Counter(), 0, None, None)
            self._add(row, f)
            return row

        self._sweep(order, place)

    def refine(self, order: Sequence[ArticleFeatures]) -> int:
        """Move batch articles to the story that now fits them best; returns how many moved."""

        def place(f: ArticleFeatures, rows: np.ndarray) -> int | None:
            own = self.where[f.article_id]
            scores = self.scores(f, rows, own)
            best = int(np.argmax(scores))
            target = int(rows[best])
            current = float(scores[rows == own][0])
            if target == own or scores[best] < self.p.threshold or scores[best] <= current:
                return None
            self._remove(own, f)
            self._add(target, f)
            return target

        return self._sweep(order, place)

    def write_back(self, order: Sequence[ArticleFeatures], stories: dict[str, StoryState]) -> list[StoryState]:
        """Turn every row that gained articles into a new StoryState (old states are not mutated)."""
        touched = []
        position = {f.article_id: k for k, f in enumerate(order)}
        for row, added in enumerate(self.added):
            if not added:
                continue
            state = self.states[row]
            new = sorted(added.values(), key=lambda f: position[f.article_id])
            members = list(state.members) if state else []
            members += [(f.article_id, f.day) for f in new]
            members.sort(key=lambda m: (m[1] is None, m[1] or 0, m[0]))
            centroid = self.unit[row]
            options = [(float(f.vector @ centroid), f.headline, f.article_id, f.vector) for f in new]
            if state is not None:
                options.append((float(state.title_vector @ centroid), state.title, state.title_article,
                                state.title_vector))
            best = max(options, key=lambda o: o[0])
            sid = state.id if state else self._fresh_id(new[0].article_id)  # its first article in visiting order
            first, last = self.first[row], self.last[row]
            result = StoryState(
                id=sid, title=best[1], title_article=best[2], title_vector=np.asarray(best[3], dtype=np.float32),
                members=members, vector_sum=self.sums[row].astype(np.float32),
                entities={k: v for k, v in self.counts[row].items() if v > 0},
                sources={k: v for k, v in self.sources[row].items() if v > 0},
                first=None if math.isnan(first) else int(first), last=None if math.isnan(last) else int(last))
            stories[sid] = result
            touched.append(result)
        return touched

    def _fresh_id(self, founder: str) -> str:
        sid, n = story_id(founder), 0
        while sid in self.taken:
            n += 1
            sid = story_id(f"{founder}#{n}")
        self.taken.add(sid)
        return sid
