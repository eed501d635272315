"""JSON form of the model (documented in docs/model.md).

Dataclasses become objects with their field names, ``Decimal`` becomes a string (``"783.57"``,
never a float), tuples become arrays. ``from_dict`` rebuilds the frozen model from that form,
so a document stored as JSON comes back equal to the one parsed.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from yusuan.model import document as d

SCHEMA_VERSION = 1
T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """The JSON-ready form of any model object."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple) and hasattr(obj, "_asdict"):  # NamedTuple (Location)
        return {k: to_dict(v) for k, v in obj._asdict().items()}
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, tuple | list):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def document_to_dict(doc: d.Disclosure) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": SCHEMA_VERSION}
    out.update(to_dict(doc))
    return out


def to_json(doc: d.Disclosure, indent: int | None = 2) -> str:
    return json.dumps(document_to_dict(doc), ensure_ascii=False, indent=indent)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(d))


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(args[0], value) if len(args) == 1 else value
    if origin is typing.Literal:
        return value
    if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):
        hints = _hints(tp)
        return tp(**{k: _build(hints[k], v) for k, v in value.items() if k in tp._fields})
    if origin is tuple:
        targs = typing.get_args(tp)
        if len(targs) == 2 and targs[1] is Ellipsis:
            return tuple(_build(targs[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(targs, value, strict=True))
    if tp is Decimal:
        return Decimal(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: _build(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.name in value
        }
        return tp(**kwargs)
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a model object of type ``cls`` from its ``to_dict`` form."""
    data = {k: v for k, v in data.items() if k != "schema"}
    result: T = _build(cls, data)
    return result


def from_json(text: str) -> d.Disclosure:
    return from_dict(d.Disclosure, json.loads(text))
