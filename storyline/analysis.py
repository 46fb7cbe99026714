"""The analysis stages run over the store after ingest (filled in stage by stage)."""

from __future__ import annotations

from typing import Callable

from .store import Store


def analyse_store(store: Store, *, progress: Callable[[str, int, int | None], None]) -> dict[str, float]:
    """Seconds spent per stage; every stage reads from and writes to `store`."""
    return {}
