"""Helpers shared by the rules: finding rows and columns by their printed names, units,
and the one comparison that knows rounding.

Rounding (DOMAIN.md): printed amounts are rounded to 2 decimals, so a sum of ``n`` rounded
parts may differ from the rounded total by up to ``0.005 × n``. Such a difference is a
``warning`` named a rounding difference; anything larger is an ``error``; nothing is
silently tolerated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from yusuan.audit.finding import CellRef, Finding, Severity, cell_ref, fmt
from yusuan.model import Cell, Disclosure, Row, Table
from yusuan.model.text import compact, strip_numbering

HALF_CENT = Decimal("0.005")
ZERO = Decimal(0)


def factor(unit: str | None) -> Decimal:
    """元 per printed unit."""
    return Decimal(10000) if unit == "万元" else Decimal(1)


@lru_cache(maxsize=8192)
def key(label: str) -> str:
    """A label reduced for comparison: numbering, spaces and quote marks removed."""
    s = strip_numbering(label)
    for ch in "“”\"'‘’「」":
        s = s.replace(ch, "")
    return s.replace("(", "（").replace(")", "）")


@dataclass(frozen=True, slots=True)
class Term:
    """One printed amount taking part in a comparison (a missing cell counts as zero)."""

    table: Table
    row: Row
    column: str
    cell: Cell | None

    @property
    def value(self) -> Decimal:
        return self.cell.amount if self.cell is not None else ZERO

    @property
    def yuan(self) -> Decimal:
        return self.value * factor(self.table.unit)

    @property
    def printed(self) -> bool:
        return self.cell is not None and self.cell.value is not None

    def ref(self) -> CellRef:
        return cell_ref(self.table, self.row, self.cell, self.column)

    def label(self) -> str:
        return f"{key(self.row.label) or self.row.code or ''}（{column_name(self.column)}）"


def leaf(column: str) -> str:
    return column.rsplit("/", 1)[-1]


def column_name(column: str) -> str:
    """The column as a reader names it: its leaf, or for a group's 小计 the group with it
    (``“三公”经费/公务用车购置及运行维护费/小计`` → ``公务用车购置及运行维护费小计``)."""
    parts = column.split("/")
    if len(parts) >= 2 and parts[-1] == "小计":
        return f"{key(parts[-2])}小计"
    return parts[-1]


#: Look-ups remembered per table/row object during one audit (cleared by the engine
#: after each document so that no document is kept alive).
CACHES: list[dict[Any, Any]] = []


def clear_caches() -> None:
    for c in CACHES:
        c.clear()


def term(table: Table, row: Row, column: str) -> Term:
    c = row.cell(column)
    return Term(table, row, c.column if c is not None else column, c)


_FOUND_COLUMNS: dict[tuple[int, tuple[str, ...], str | None], tuple[Table, str | None]] = {}
CACHES.append(_FOUND_COLUMNS)


def find_column(table: Table, *names: str, under: str | None = None) -> str | None:
    """The full path of the first column whose leaf (spaces removed) is one of ``names``;
    ``under`` restricts to columns whose top header starts with it (remembered per table
    object: the rules ask for the same columns many times)."""
    k = (id(table), names, under)
    hit = _FOUND_COLUMNS.get(k)
    if hit is not None and hit[0] is table:
        return hit[1]
    if len(_FOUND_COLUMNS) > 4096:
        _FOUND_COLUMNS.clear()
    out = _find_column(table, names, under)
    _FOUND_COLUMNS[k] = (table, out)
    return out


def _find_column(table: Table, names: tuple[str, ...], under: str | None) -> str | None:
    cols = [c.name for c in table.columns]
    if not cols:
        seen: dict[str, None] = {}
        for r in table.rows:
            for cell in r.cells:
                seen.setdefault(cell.column, None)
        cols = list(seen)
    want = {compact(n) for n in names}
    for c in cols:
        parts = c.split("/")
        if under is not None and compact(under) not in compact(parts[0]):
            continue
        if compact(parts[-1]) in want:
            return c
    for c in cols:  # a group's subtotal: 公务用车购置及运行费/小计
        parts = c.split("/")
        if compact(parts[-1]) in ("小计", "合计") and any(compact(x) in want for x in parts[:-1]):
            return c
    return None


def columns_under(table: Table, group: str, exclude: Iterable[str] = ()) -> list[str]:
    """Every column whose header path has ``group`` above the leaf, except ``exclude``."""
    ex = {compact(e) for e in exclude}
    out: list[str] = []
    for c in table.columns:
        if len(c.path) >= 2 and compact(c.path[0]) == compact(group) and compact(c.leaf) not in ex:
            out.append(c.name)
    return out


_AMOUNT_COLUMNS: dict[tuple[int, str | None], tuple[Table, list[str]]] = {}
CACHES.append(_AMOUNT_COLUMNS)


def amount_columns(table: Table, side: str | None = None) -> list[str]:
    """Columns holding at least one amount (of ``side`` when given), in printed order
    (remembered per table object: several rules ask for the same table's columns)."""
    k = (id(table), side)
    hit = _AMOUNT_COLUMNS.get(k)
    if hit is not None and hit[0] is table:
        return hit[1]
    if len(_AMOUNT_COLUMNS) > 1024:
        _AMOUNT_COLUMNS.clear()
    out = _amount_columns(table, side)
    _AMOUNT_COLUMNS[k] = (table, out)
    return out


def _amount_columns(table: Table, side: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for r in table.rows:
        if side is not None and row_side(r) != side:
            continue
        for c in r.cells:
            if c.value is not None:
                seen.setdefault(c.column, None)
    order = [c.name for c in table.columns]
    return sorted(seen, key=lambda c: order.index(c) if c in order else len(order))


def row_side(row: Row) -> str | None:
    """The side of a row of a two-sided table: ``Row.side``, or, when a reader left it
    unset, the side named in the top header of the row's cells (``本年收入/预算数``)."""
    if row.side is not None:
        return row.side
    for c in row.cells:
        top = c.column.split("/", 1)[0]
        if "收入" in top:
            return "收入"
        if "支出" in top:
            return "支出"
    return None


_ROW_KEYS: dict[int, tuple[Table, list[tuple[str, str | None, Row]]]] = {}
CACHES.append(_ROW_KEYS)


def row_keys(table: Table) -> list[tuple[str, str | None, Row]]:
    """(label key, side, row) of every labelled row, remembered per table object."""
    hit = _ROW_KEYS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    if len(_ROW_KEYS) > 1024:
        _ROW_KEYS.clear()
    out = [(k, row_side(r), r) for r in table.rows if (k := key(r.label))]
    _ROW_KEYS[id(table)] = (table, out)
    return out


def find_row(table: Table, *labels: str, side: str | None = None, contains: bool = False) -> Row | None:
    """The first row (of ``side``) whose label key equals (or contains) one of ``labels``."""
    want = [key(x) for x in labels]
    for k, s, r in row_keys(table):
        if side is not None and s != side:
            continue
        if k in want or (contains and any(w in k for w in want)):
            return r
    return None


def tolerance(parts: Sequence[Term]) -> Decimal:
    """The largest difference rounding can explain, in 元: 0.005 of each printed part's
    unit (at least one part)."""
    tol = sum((HALF_CENT * factor(p.table.unit) for p in parts if p.printed), ZERO)
    if tol == ZERO:
        unit = parts[0].table.unit if parts else None
        tol = HALF_CENT * factor(unit)
    return tol


def compare_sum(
    rule: str,
    total: Term,
    parts: Sequence[Term],
    *,
    what: str = "",
    signs: Sequence[int] | None = None,
    extra_tables: Iterable[str] = (),
) -> Finding | None:
    """A finding when ``total`` differs from the (signed) sum of ``parts``; a rounding
    difference (within 0.005 per part) is a warning, a larger one an error."""
    sg = list(signs) if signs is not None else [1] * len(parts)
    unit = total.table.unit
    same_unit = all(p.table.unit == unit for p in parts)
    if same_unit and total.value == sum((s * p.value for s, p in zip(sg, parts, strict=True)), ZERO):
        return None  # fast path: nothing to convert
    expected_yuan = sum((s * p.yuan for s, p in zip(sg, parts, strict=True)), ZERO)
    diff = total.yuan - expected_yuan
    if diff == ZERO:
        return None
    f = factor(total.table.unit)
    expected = expected_yuan / f
    tol = tolerance(parts)
    severity: Severity = "warning" if abs(diff) <= tol else "error"
    ops = "".join(
        f"{'' if i == 0 and s > 0 else (' + ' if s > 0 else ' − ')}{p.label()} {fmt(p.value)}"
        for i, (s, p) in enumerate(zip(sg, parts, strict=True))
    )
    ops = ops or "0"
    unit_note = "" if all(p.table.unit == total.table.unit for p in parts) else f"（单位：{total.table.unit}）"
    msg = f"{what}{total.label()} {fmt(total.value)} 不等于 {ops} = {fmt(expected)}{unit_note}"
    if severity == "warning":
        n = len([p for p in parts if p.printed]) or 1
        msg = f"舍入差异：{msg}，相差 {fmt(abs(diff) / f)}，在 {n} 个数的舍入范围内"
    tables = dict.fromkeys([total.table.id, *(p.table.id for p in parts), *extra_tables])
    return Finding(
        rule=rule,
        severity=severity,
        message=msg,
        tables=tuple(tables),
        section=None,
        cells=(total.ref(), *(p.ref() for p in parts)),
        expected=fmt(expected),
        actual=fmt(total.value),
        location=total.cell.location if total.cell is not None else total.row.location,
    )


def function_class_names(doc: Disclosure) -> dict[str, str]:
    """Label key → code for every coded row of every table (to key rows printed without
    codes, like the 类 rows of the summary tables)."""
    out: dict[str, str] = {}
    for t in doc.tables:
        for r in t.rows:
            if r.code and r.label:
                out.setdefault(key(r.label), r.code)
    return out
