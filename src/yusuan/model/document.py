"""The typed model of a budget disclosure (部门预算/决算信息公开).

Everything is a frozen dataclass. Amounts are ``Decimal`` in the unit printed above the
table (``Table.unit``); ``Cell.text`` keeps the text as printed. Every cell, row, paragraph
and indicator carries a :class:`Location` that says where it was read from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple

Kind = Literal["预算", "决算"]
Scope = Literal["部门", "单位"]
Unit = Literal["元", "万元"]

#: Canonical table ids of CLI-CONTRACT.md, in the standard order of a budget disclosure.
TABLE_IDS: tuple[str, ...] = (
    "summary",
    "income",
    "expenditure",
    "fiscal_summary",
    "general_expenditure",
    "general_basic_expenditure",
    "fund_expenditure",
    "capital_expenditure",
    "three_public",
    "project_performance",
    "procurement",
    "assets",
    "organization",
)

#: The nine tables every 部门预算 must publish.
REQUIRED_BUDGET_TABLES: tuple[str, ...] = TABLE_IDS[:9]


class Location(NamedTuple):
    """Where something was read: file, page (1-based, None for formats without pages),
    line (1-based line in a text format, or line on the page), the canonical table id,
    the row and column index inside the table body (0-based), a box on the page
    ``(x0, top, x1, bottom)`` in PDF points when known, and the text as printed.

    Immutable; a NamedTuple rather than a dataclass because a document has thousands and
    they are made on the hot path of every reader (use ``loc._replace(...)`` to vary one)."""

    file: str
    page: int | None = None
    line: int | None = None
    table: str | None = None
    row: int | None = None
    column: int | None = None
    box: tuple[float, float, float, float] | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """A value column of a table. ``path`` is the header path from the top header row
    down (``("本年收入", "财政拨款收入")``); ``number`` the printed 栏次 number, if any;
    ``side`` is ``"收入"``/``"支出"`` for the two-sided summary tables."""

    path: tuple[str, ...]
    number: str | None = None
    side: str | None = None

    @property
    def name(self) -> str:
        """The header path joined with ``/`` (the CSV ``column`` field)."""
        return "/".join(self.path)

    @property
    def leaf(self) -> str:
        return self.path[-1] if self.path else ""


class Cell(NamedTuple):
    """One value cell. ``value`` is the parsed amount when the whole content is a number,
    else None; an empty cell has ``text == ""`` and ``value is None`` and counts as zero.
    Immutable; a NamedTuple because a document has thousands (see ``Location``)."""

    column: str
    text: str
    value: Decimal | None
    location: Location

    @property
    def amount(self) -> Decimal:
        """The value, with an empty (or non-numeric) cell read as zero."""
        return self.value if self.value is not None else Decimal(0)

    @property
    def is_amount(self) -> bool:
        return self.value is not None


class Row(NamedTuple):
    """One logical row. A printed row of a two-sided table (收入 | 支出) gives two logical
    rows with the same ``seq`` and ``side`` set. ``code`` is digits only (or None).
    Immutable; a NamedTuple, like ``Cell`` and ``Location``."""

    seq: str | None
    code: str | None
    label: str
    cells: tuple[Cell, ...]
    location: Location
    side: str | None = None

    def cell(self, column: str) -> Cell | None:
        """The cell whose column path is ``column``, or whose leaf header is ``column``."""
        for c in self.cells:
            if c.column == column:
                return c
        for c in self.cells:
            if c.column.rsplit("/", 1)[-1] == column:
                return c
        return None

    def amount(self, column: str) -> Decimal:
        c = self.cell(column)
        return c.amount if c is not None else Decimal(0)

    @property
    def is_total(self) -> bool:
        return self.code is None and self.label.replace(" ", "") in {"合计", "总计"}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One row of a 绩效目标表: 一级/二级/三级指标, the description, the target value as
    printed and structured (``≥37人`` → comparator ``≥``, value 37, unit ``人``), and the
    basis (指标值确定依据)."""

    level1: str
    level2: str
    level3: str
    description: str
    value_text: str
    comparator: str | None
    value: Decimal | None
    unit: str | None
    basis: str
    location: Location


@dataclass(frozen=True, slots=True)
class SpendingStep:
    """A point of the spending plan (资金支出计划): ``label`` such as ``10月底``, and the
    cumulative share in percent (None when blank)."""

    label: str
    percent: Decimal | None
    location: Location


@dataclass(frozen=True, slots=True)
class Project:
    """The structured content of a project's 绩效目标表."""

    code: str | None
    name: str
    amount: Decimal | None
    fiscal: Decimal | None
    other: Decimal | None
    purpose: str
    plan: tuple[SpendingStep, ...]
    goal: str
    indicators: tuple[Indicator, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Table:
    """A table as published. ``rows`` hold the body; ``columns`` the value columns.
    ``empty`` tables are present with their ``note`` (注：无…，空表列示。)."""

    id: str
    title: str
    unit: Unit | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    location: Location
    year: int | None = None
    department: str | None = None
    note: str | None = None
    pages: tuple[int, ...] = ()
    header: tuple[tuple[str, ...], ...] = ()
    project: Project | None = None

    @property
    def empty(self) -> bool:
        """No amount in any cell (the 空表 case) and no text rows."""
        return not any(c.text for r in self.rows for c in r.cells) and not any(
            r.label for r in self.rows
        )

    def iter_cells(self) -> Iterator[tuple[Row, Cell]]:
        for r in self.rows:
            for c in r.cells:
                yield r, c

    def by_code(self, code: str, side: str | None = None) -> Row | None:
        for r in self.rows:
            if r.code == code and (side is None or r.side == side):
                return r
        return None

    def by_label(self, label: str, side: str | None = None) -> Row | None:
        """The first row whose label (without numbering and spaces) equals ``label``."""
        from yusuan.model.text import strip_numbering

        want = strip_numbering(label)
        for r in self.rows:
            if (side is None or r.side == side) and strip_numbering(r.label) == want:
                return r
        return None

    def total_row(self, side: str | None = None) -> Row | None:
        for r in self.rows:
            if r.is_total and (side is None or r.side == side):
                return r
        return None


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    location: Location


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the explanations. ``heading`` as printed (``一、部门职责及机构设置情况``),
    ``number`` its numbering (``一``, ``1``, ``（一）``), ``title`` the heading without it;
    ``tables`` the indices (into ``Disclosure.tables``) of tables printed inside it."""

    heading: str
    number: str | None
    title: str
    level: int
    paragraphs: tuple[Paragraph, ...]
    children: tuple[Section, ...]
    location: Location
    tables: tuple[int, ...] = ()

    def walk(self) -> Iterator[Section]:
        yield self
        for c in self.children:
            yield from c.walk()

    @property
    def text(self) -> str:
        """All text of the section and its subsections, headings included."""
        parts = [self.heading, *(p.text for p in self.paragraphs)]
        parts.extend(c.text for c in self.children)
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    page: int | None
    location: Location


@dataclass(frozen=True, slots=True)
class ParseNote:
    """Something the reader noticed or repaired (data, not an exception): ``code`` is a
    stable kebab-case id (``header-repaired``, ``seq-gap``, ``garbled-text`` …)."""

    code: str
    message: str
    location: Location
    severity: Literal["error", "warning", "info"] = "info"


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One published document."""

    source: str
    format: str
    kind: Kind = "预算"
    scope: Scope = "部门"
    year: int | None = None
    department: str | None = None
    department_code: str | None = None
    title: str | None = None
    region: str | None = None
    pages: int | None = None
    tables: tuple[Table, ...] = ()
    sections: tuple[Section, ...] = ()
    preamble: tuple[Paragraph, ...] = ()
    toc: tuple[TocEntry, ...] = ()
    notes: tuple[ParseNote, ...] = field(default=())

    def table(self, table_id: str) -> Table | None:
        """The first table with canonical id ``table_id``."""
        for t in self.tables:
            if t.id == table_id:
                return t
        return None

    def tables_of(self, table_id: str) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.id == table_id)

    def walk_sections(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    @property
    def projects(self) -> tuple[Project, ...]:
        return tuple(t.project for t in self.tables if t.project is not None)

    @property
    def narrative_text(self) -> str:
        return "\n".join(s.text for s in self.sections)
