"""Where the per-batch stage functions run: a pool of local processes, or Ray tasks.

The heavy stages (parsing and extraction, story embeddings, comparing stories) are pure
functions from a list of records to a list of results, so running them elsewhere needs nothing
but pickling. An engine maps such a function over batches and yields each batch's results in
input order, so the caller can write every batch to the store as it arrives: memory stays
bounded by the batches in flight, not by the corpus, and an interruption loses only
unfinished batches. Batches are cut the same way whatever runs them, so one worker, two
workers and Ray give the same records.

`Isolated` wraps a batch function so that an item that raises fails alone: the batch is run
again item by item and the bad one comes back as a `Failed` naming it, not as an exception
that would lose the whole run.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")
U = TypeVar("U")
Batch = Callable[[Sequence[T]], list[U]]


class Engine(Protocol):
    def map_batches(self, fn: Batch, items: Sequence[T], batch_size: int) -> Iterator[tuple[Sequence[T], list[U]]]:
        """Yield (batch, fn(batch)) for consecutive batches of `items`, in order."""

    def close(self) -> None:
        """Release workers (a pool, a Ray connection this engine opened)."""


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]


def _in_order(submitted: Iterator[tuple[Sequence[T], object]], limit: int, result: Callable) -> Iterator:
    """Keep at most `limit` submitted batches ahead of the one being handed back."""
    pending: deque = deque()
    for batch, handle in submitted:
        pending.append((batch, handle))
        if len(pending) >= limit:
            done, oldest = pending.popleft()
            yield done, result(oldest)
    while pending:
        done, oldest = pending.popleft()
        yield done, result(oldest)


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class LocalEngine:
    """Runs batches in a pool of `workers` processes on this machine (default: one per core).

    Each worker loads the models once (`map_steps.load_models`) and gets an equal share of the
    cores for the embedder's threads. With one worker, or a single batch before the pool has
    started, the batch runs in this process: no start-up cost for small jobs. The pool starts on first need and
    lives until `close()`, so the stages of one run share it."""

    def __init__(self, workers: int | None = None, *, in_flight: int | None = None) -> None:
        self.workers = max(1, workers or cpu_count())
        self._in_flight = in_flight or 2 * self.workers
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pooled(self) -> bool:
        """Whether batches went to worker processes (small jobs run in this process)."""
        return self._pool is not None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from .map_steps import load_models

            threads = max(1, cpu_count() // self.workers)
            context = multiprocessing.get_context("forkserver")  # no fork of a process holding DuckDB's threads
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=load_models,
                                             initargs=(threads,))
        return self._pool

    def map_batches(self, fn: Batch, items: Sequence[T], batch_size: int) -> Iterator[tuple[Sequence[T], list[U]]]:
        batches = list(_batches(items, batch_size))
        if self.workers == 1 or (self._pool is None and len(batches) <= 1):
            for batch in batches:
                yield batch, fn(batch)
            return
        pool = self._started()
        yield from _in_order(((b, pool.submit(fn, list(b))) for b in batches), self._in_flight,
                             lambda future: future.result())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


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
        submitted = ((b, self._remote.remote(fn_ref, list(b))) for b in _batches(items, batch_size))
        yield from _in_order(submitted, self._in_flight, ray.get)

    def close(self) -> None:
        """Ray stays up for the rest of the process (a cluster is not ours to stop)."""

    def shutdown(self) -> None:
        self._ray.shutdown()


def _call(fn: Batch, batch: list) -> list:
    return fn(batch)


@dataclass(frozen=True, slots=True)
class Failed:
    """An item a batch function could not process: its id and the reason."""

    subject: str
    reason: str


def failure_reason(exc: BaseException) -> str:
    """The exception and the innermost line it came from, short enough for a summary line."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


class Isolated:
    """`fn` over a batch, where one item that raises becomes a `Failed` and the rest still
    get their results. The batch runs whole first (the fast path); only when it raises does
    each item run alone. Picklable, so a pool worker or a Ray task runs the isolation too."""

    def __init__(self, fn: Batch, key: Callable[[object], str]) -> None:
        self.fn, self.key = fn, key

    def __call__(self, batch: Sequence) -> list:
        try:
            return list(self.fn(batch))
        except Exception as exc:
            if len(batch) == 1:
                return [Failed(self.key(batch[0]), failure_reason(exc))]
        out: list = []
        for item in batch:
            try:
                out.extend(self.fn([item]))
            except Exception as exc:
                out.append(Failed(self.key(item), failure_reason(exc)))
        return out


def engine_named(name: str, address: str | None = None, workers: int | None = None) -> Engine:
    """The engine a user asked for by name on the command line."""
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(address, num_cpus=workers)
    raise ValueError(f"unknown engine {name!r}; use 'local' or 'ray'")
