"""Records as plain JSON-ready data and back: the export, the store's JSON columns, Ray payloads.

Kept apart from the record types so that adding a record never touches the conversion, and the
conversion works for any dataclass record, nested records and tuples included.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any


def as_dict(record: Any) -> Any:
    """A record (or list/tuple of records) as JSON-ready plain data; tuples become lists."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: as_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (list, tuple)):
        return [as_dict(item) for item in record]
    if isinstance(record, dict):
        return {key: as_dict(value) for key, value in record.items()}
    return record


@functools.lru_cache(maxsize=None)
def _fields_of(tp: type) -> tuple[dict[str, Any], frozenset[str]]:
    """Resolved field types of a record class: resolving them is the slow part of rebuilding."""
    return typing.get_type_hints(tp), frozenset(f.name for f in dataclasses.fields(tp))


def from_dict(cls: type, data: Any) -> Any:
    """Rebuild a record of type `cls` from `as_dict` output (nested records and tuples included)."""

    def build(tp: Any, value: Any) -> Any:
        if value is None:
            return None
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if dataclasses.is_dataclass(tp):
            hints, known = _fields_of(tp)
            return tp(**{k: build(hints[k], v) for k, v in value.items() if k in known})
        if origin in (list, typing.List):
            return [build(args[0] if args else Any, v) for v in value]
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(build(args[0], v) for v in value)
            return tuple(build(a, v) for a, v in zip(args, value)) if args else tuple(value)
        if origin in (typing.Union, types.UnionType):
            for option in args:
                if option is type(None):
                    continue
                if typing.get_origin(option) is tuple and isinstance(value, (list, tuple)):
                    return build(option, value)
                if dataclasses.is_dataclass(option) and isinstance(value, dict):
                    return build(option, value)
                if option in (float, int) and isinstance(value, (int, float)) and not isinstance(value, bool):
                    return option(value) if option is float else value
                if option is str and isinstance(value, str):
                    return value
            return value
        if tp is float and isinstance(value, int):
            return float(value)
        return value

    return build(cls, data)
