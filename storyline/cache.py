"""One cache for values that are costly to build and may be asked for by many threads at once.

The web app keeps built pages (a story page reads five tables and renders hundreds of
citations) and the search postings of common words (hundreds of thousands of numbers read
from the store). Both are asked for by concurrent requests, and both must not be built twenty
times when twenty clients ask at the same moment, so both use this one class: least recently
used values are dropped once their total weight passes a budget, and a value being built is
waited for rather than built again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """Values by key, at most `budget` in total `weigh(value)` (1 each by default). A value
    heavier than the whole budget is returned but not kept. Thread-safe."""

    def __init__(self, budget: int, weigh: Callable[[V], int] = lambda _value: 1) -> None:
        if budget < 0:
            raise ValueError(f"cache budget must be >= 0, not {budget}")
        self.budget = budget
        self._weigh = weigh
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._held = 0
        self._building: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    @property
    def held(self) -> int:
        """The total weight of the values kept now."""
        return self._held

    def get_or_build(self, key: Hashable, build: Callable[[], V],
                     still_valid: Callable[[], bool] = lambda: True) -> V:
        """The value for `key`, built once: callers that arrive while it is being built wait
        for that build instead of starting their own. A value is kept only if `still_valid()`
        holds once it is built (what it was built from may have changed meanwhile)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            flight = self._building.get(key)
            owner = flight is None
            if owner:
                flight = self._building[key] = threading.Event()
        if not owner:
            flight.wait()
            with self._lock:
                if key in self._items:
                    return self._items[key][0]
            return build()  # the build failed or was not kept: do it here
        try:
            value = build()
            weight = self._weigh(value)
            if weight <= self.budget and still_valid():
                with self._lock:
                    self._items[key] = (value, weight)
                    self._held += weight
                    while self._held > self.budget:
                        _, (_, dropped) = self._items.popitem(last=False)
                        self._held -= dropped
            return value
        finally:
            with self._lock:
                del self._building[key]
            flight.set()
