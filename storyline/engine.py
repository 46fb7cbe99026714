"""Where the per-batch stage functions run: in this process, or as Ray tasks.

The heavy stages (parsing and extraction, comparing stories) are pure functions from a list of
records to a list of results, so running them elsewhere needs nothing but pickling. An engine
maps such a function over batches and yields each batch's results in input order, so the
caller can write every batch to the store as it arrives: memory stays bounded by the batches
in flight, not by the corpus, and an interruption loses only unfinished batches.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")
U = TypeVar("U")
Batch = Callable[[Sequence[T]], list[U]]


class Engine(Protocol):
    def map_batches(self, fn: Batch, items: Sequence[T], batch_size: int) -> Iterator[tuple[Sequence[T], list[U]]]:
        """Yield (batch, fn(batch)) for consecutive batches of `items`, in order."""


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]


class LocalEngine:
    """Runs every batch in this process (the default: no start-up cost)."""

    def map_batches(self, fn: Batch, items: Sequence[T], batch_size: int) -> Iterator[tuple[Sequence[T], list[U]]]:
        for batch in _batches(items, batch_size):
            yield batch, fn(batch)


class RayEngine:
    """Runs batches as Ray tasks on a local Ray instance or a cluster (`address`).

    At most `in_flight` batches are submitted ahead of the one being written, which keeps the
    object store and the driver's memory bounded on corpora of any size.
    """

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None, in_flight: int | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise RuntimeError("the Ray engine needs Ray: pip install 'storyline[ray]'") from exc
        self._ray = ray
        if not ray.is_initialized():
            ray.init(address=address, num_cpus=num_cpus if address is None else None,
                     include_dashboard=False, log_to_driver=False, configure_logging=False)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self._in_flight = in_flight or max(2, 2 * cpus)
        self._remote = ray.remote(_call)

    def map_batches(self, fn: Batch, items: Sequence[T], batch_size: int) -> Iterator[tuple[Sequence[T], list[U]]]:
        ray = self._ray
        fn_ref = ray.put(fn)
        pending: deque = deque()
        for batch in _batches(items, batch_size):
            pending.append((batch, self._remote.remote(fn_ref, list(batch))))
            if len(pending) >= self._in_flight:
                done, ref = pending.popleft()
                yield done, ray.get(ref)
        while pending:
            done, ref = pending.popleft()
            yield done, ray.get(ref)

    def shutdown(self) -> None:
        self._ray.shutdown()


def _call(fn: Batch, batch: list) -> list:
    return fn(batch)


def engine_named(name: str, address: str | None = None) -> Engine:
    """The engine a user asked for by name on the command line."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        return RayEngine(address)
    raise ValueError(f"unknown engine {name!r}; use 'local' or 'ray'")
