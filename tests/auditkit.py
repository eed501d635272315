"""Build small disclosures from compact literals for the audit's tests.

    t = table("expenditure", ["合计", "基本支出", "项目支出"], [
        ("1", None, "合计", "10.00", "6.00", "4.00"),
        ("2", "201", "一般公共服务支出", "10.00", "6.00", "4.00"),
    ])
    d = doc(t, sections=[("二、总体情况", ["2024年收入10.00万元。"])])

Column names may be header paths (``本年收入/小计``); two-sided tables take rows with a
side (``("收入", "1", "一、一般公共预算拨款收入", "10.00")``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from yusuan.model import (
    Cell,
    Column,
    Disclosure,
    Indicator,
    Location,
    Paragraph,
    Project,
    Row,
    Section,
    SpendingStep,
    Table,
)
from yusuan.model.text import parse_amount

FILE = "t.md"
_line = [0]


def loc(table: str | None = None, row: int | None = None, column: int | None = None,
        text: str = "") -> Location:
    _line[0] += 1
    return Location(file=FILE, line=_line[0], table=table, row=row, column=column, text=text)


def _row(tid: str, ri: int, columns: Sequence[str], seq: str | None, code: str | None, label: str,
         values: Sequence[str], side: str | None = None) -> Row:
    cells = tuple(
        Cell(column=c, text=v, value=parse_amount(v), location=loc(tid, ri, ci, v))
        for ci, (c, v) in enumerate(zip(columns, values, strict=False))
    )
    return Row(seq=seq, code=code, label=label, cells=cells, location=loc(tid, ri), side=side)


def table(tid: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], unit: str = "万元",
          note: str | None = None, year: int | None = 2024, title: str | None = None) -> Table:
    """A one-sided table: rows are ``(seq, code, label, *values)``."""
    body = tuple(_row(tid, i, columns, r[0], r[1], r[2], r[3:]) for i, r in enumerate(rows))
    return Table(id=tid, title=title or tid, unit=unit,  # type: ignore[arg-type]
                 columns=tuple(Column(tuple(c.split("/"))) for c in columns), rows=body,
                 location=loc(tid), year=year, note=note)


def two_sided(tid: str, income_cols: Sequence[str], exp_cols: Sequence[str],
              rows: Sequence[tuple[Any, ...]], unit: str = "万元") -> Table:
    """A two-sided table: rows are ``(side, seq, label, *values)``; columns are given
    without the side (``预算数``) and become ``收入/预算数`` …"""
    body = []
    for i, r in enumerate(rows):
        side = r[0]
        cols = [f"{side}/{c}" for c in (income_cols if side == "收入" else exp_cols)]
        body.append(_row(tid, i, cols, r[1], None, r[2], r[3:], side=side))
    columns = tuple(Column(("收入", c), side="收入") for c in income_cols) + tuple(
        Column(("支出", c), side="支出") for c in exp_cols)
    return Table(id=tid, title=tid, unit=unit, columns=columns, rows=tuple(body),  # type: ignore[arg-type]
                 location=loc(tid), year=2024)


def empty(tid: str, columns: Sequence[str] = ("合计", "基本支出", "项目支出"),
          note: str | None = "注：无此项预算，空表列示。") -> Table:
    return table(tid, columns, [], note=note)


def indicator(level3: str, value_text: str, comparator: str | None, value: str | None,
              unit: str | None) -> Indicator:
    return Indicator("产出指标", "数量指标", level3, level3, value_text, comparator,
                     Decimal(value) if value is not None else None, unit, "", loc("project_performance"))


def project(name: str, amount: str, fiscal: str, other: str = "",
            plan: Sequence[str | None] = (None, None, "70", "100"),
            indicators: Sequence[Indicator] = ()) -> Table:
    cols = ("预算数", "财政资金", "其他资金")
    row = _row("project_performance", 0, cols, None, None, name, (amount, fiscal, other))
    steps = tuple(SpendingStep(lbl, Decimal(p) if p is not None else None, loc("project_performance"))
                  for lbl, p in zip(("3月底", "6月底", "10月底", "12月底"), plan, strict=False))
    if not indicators:
        indicators = (indicator("资金支出控制数", f"≤{amount}万元", "≤", amount, "万元"),)
    p = Project(code="P1", name=name, amount=parse_amount(amount), fiscal=parse_amount(fiscal),
                other=parse_amount(other), purpose="", plan=steps, goal="",
                indicators=tuple(indicators), location=loc("project_performance"))
    return Table(id="project_performance", title=f"{name}绩效目标表", unit="万元",
                 columns=tuple(Column((c,)) for c in cols), rows=(row,),
                 location=loc("project_performance"), year=2024, project=p)


def section(heading: str, paragraphs: Sequence[str], children: Sequence[Section] = (),
            level: int = 1) -> Section:
    return Section(heading=heading, number=None, title=heading, level=level,
                   paragraphs=tuple(Paragraph(p, loc()) for p in paragraphs),
                   children=tuple(children), location=loc())


def doc(*tables: Table, sections: Sequence[Section | tuple[str, Sequence[str]]] = (),
        year: int = 2024, scope: str = "部门", kind: str = "预算") -> Disclosure:
    secs = tuple(s if isinstance(s, Section) else section(s[0], s[1]) for s in sections)
    return Disclosure(source=FILE, format="md", kind=kind, scope=scope, year=year,  # type: ignore[arg-type]
                      department="示例局", tables=tables, sections=secs)


def rules_of(findings: Sequence[Any]) -> list[str]:
    return [f.rule for f in findings]
