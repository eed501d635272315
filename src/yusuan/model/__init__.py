"""The disclosure model: frozen, typed, Decimal amounts, every cell with its location."""

import dataclasses
from typing import Any, TypeVar, cast

from yusuan.model.document import (
    REQUIRED_BUDGET_TABLES,
    TABLE_IDS,
    Cell,
    Column,
    Disclosure,
    Indicator,
    Location,
    Paragraph,
    ParseNote,
    Project,
    Row,
    Section,
    SpendingStep,
    Table,
    TocEntry,
)

T = TypeVar("T")


def replace(obj: T, **changes: Any) -> T:
    """A copy of a model object with some fields changed, for dataclasses (``Table``,
    ``Disclosure`` …) and the NamedTuples of the hot path (``Cell``, ``Row``, ``Location``)
    alike."""
    if isinstance(obj, tuple) and hasattr(obj, "_replace"):
        return cast(T, obj._replace(**changes))
    return cast(T, dataclasses.replace(cast(Any, obj), **changes))


__all__ = [
    "REQUIRED_BUDGET_TABLES",
    "TABLE_IDS",
    "Cell",
    "Column",
    "Disclosure",
    "Indicator",
    "Location",
    "Paragraph",
    "ParseNote",
    "Project",
    "Row",
    "Section",
    "SpendingStep",
    "Table",
    "TocEntry",
    "replace",
]
