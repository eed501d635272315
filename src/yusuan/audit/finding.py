"""The one result type of the audit: a :class:`Finding`, pointing at the cells it is about.

A finding carries a stable rule id, a severity, a message in Chinese, the canonical ids of
the tables it concerns, the narrative section (if any), the cells involved with their
locations, and the two values compared. Rules build findings with the helpers below so
that every finding can say where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from yusuan.model import Cell, Location, Row, Table
from yusuan.model.text import amount_text

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class CellRef:
    """A cell named with the fields of the contract's CSV facts, plus its location."""

    table: str
    page: int | None
    row: str | None
    code: str | None
    item: str
    column: str
    value: str
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one rule. ``message`` is Chinese; ``expected``/``actual`` are
    the two values compared, as printed strings, or None."""

    rule: str
    severity: Severity
    message: str
    tables: tuple[str, ...]
    section: str | None
    cells: tuple[CellRef, ...]
    expected: str | None
    actual: str | None
    location: Location | None = None


def cell_ref(table: Table, row: Row, cell: Cell | None, column: str | None = None) -> CellRef:
    """The reference to ``cell`` of ``row`` (or to the missing cell ``column`` of ``row``)."""
    if cell is None:
        return CellRef(
            table=table.id,
            page=row.location.page,
            row=row.seq,
            code=row.code,
            item=row.label,
            column=column or "",
            value="",
            location=row.location,
        )
    value = amount_text(cell.text) if cell.value is not None else cell.text
    return CellRef(
        table=table.id,
        page=cell.location.page,
        row=row.seq,
        code=row.code,
        item=row.label,
        column=cell.column,
        value=value,
        location=cell.location,
    )


def fmt(value: Decimal | None, places: int = 2) -> str:
    """An amount as the documents print it: two decimals, no thousands separator."""
    if value is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return str(value.quantize(q))


def sort_key(f: Finding) -> tuple[int, int, int, str]:
    """Document order: page, line, then severity and rule."""
    loc = f.location or (f.cells[0].location if f.cells else None)
    page = loc.page if loc and loc.page is not None else 0
    line = loc.line if loc and loc.line is not None else 0
    return (page, line, SEVERITIES.index(f.severity), f.rule)
