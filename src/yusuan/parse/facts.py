"""Tidy facts: one record per amount cell of every table (the CSV of CLI-CONTRACT.md).

A fact is a cell whose whole content is a number (possibly with thousands separators or a
sign). Indicator values (``≥37人``, ``70%``), 序号, codes and 栏次 are not facts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from yusuan.model import Disclosure
from yusuan.model.text import amount_text

CSV_HEADER = ("file", "table", "title", "page", "row", "code", "item", "column", "value", "unit")


@dataclass(frozen=True, slots=True)
class Fact:
    file: str
    table: str
    title: str
    page: int | None
    row: str | None
    code: str | None
    item: str
    column: str
    value: str
    unit: str | None
    amount: Decimal
    table_index: int
    row_index: int
    column_index: int

    def csv_row(self) -> tuple[str, ...]:
        return (
            self.file,
            self.table,
            self.title,
            "" if self.page is None else str(self.page),
            self.row or "",
            self.code or "",
            self.item,
            self.column,
            self.value,
            self.unit or "",
        )


def facts(doc: Disclosure, file: str | None = None) -> Iterator[Fact]:
    """Every amount cell of every table of ``doc``, in table, row and column order.
    ``file`` overrides the name in the ``file`` field (default: ``doc.source``)."""
    name = doc.source if file is None else file
    for ti, table in enumerate(doc.tables):
        for ri, row in enumerate(table.rows):
            for ci, cell in enumerate(row.cells):
                if cell.value is None:
                    continue
                yield Fact(
                    file=name,
                    table=table.id,
                    title=table.title,
                    page=cell.location.page,
                    row=row.seq,
                    code=row.code,
                    item=row.label,
                    column=cell.column,
                    value=amount_text(cell.text),
                    unit=table.unit,
                    amount=cell.value,
                    table_index=ti,
                    row_index=ri,
                    column_index=ci,
                )


def write_csv(records: Iterable[Fact], out: io.TextIOBase | None = None, header: bool = True) -> str:
    """The facts as CSV text (header line first unless ``header`` is false)."""
    buf = io.StringIO() if out is None else out
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(CSV_HEADER)
    for f in records:
        w.writerow(f.csv_row())
    return buf.getvalue() if isinstance(buf, io.StringIO) else ""
