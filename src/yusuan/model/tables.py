"""The table catalogue: one entry per canonical table id (CLI-CONTRACT.md), with its
Chinese name, whether it belongs to a budget (预算) or a final account (决算), whether the
national rules require it, whether it is printed two-sided (income beside expenditure) and
by which classification its rows go. Every layer (reader, audit, web, reports) asks this
module instead of keeping its own map.

``other:<slug>`` ids (tables the reader could not place, or regional extras) are not in the
catalogue; :func:`table_name` still gives them a Chinese label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["预算", "决算"]
Classification = Literal["function", "economic"] | None


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One canonical table."""

    id: str
    name: str  #: the standard Chinese name (national template wording)
    short: str  #: a short label for lists and navigation
    kind: Kind
    required: bool  #: one of the nine tables the national rules require
    two_sided: bool  #: income and expenditure printed side by side
    classification: Classification  #: the classification its rows follow, if any


def _spec(id: str, name: str, short: str, kind: Kind, required: bool = False,
          two_sided: bool = False, classification: Classification = None) -> TableSpec:
    return TableSpec(id, name, short, kind, required, two_sided, classification)


#: Every canonical table, budget tables first, in publication order.
TABLES: tuple[TableSpec, ...] = (
    _spec("summary", "收支总表", "收支总表", "预算", True, True),
    _spec("income", "收入总表", "收入总表", "预算", True, classification="function"),
    _spec("expenditure", "支出总表", "支出总表", "预算", True, classification="function"),
    _spec("fiscal_summary", "财政拨款收支总表", "财政拨款收支总表", "预算", True, True),
    _spec("general_expenditure", "一般公共预算财政拨款支出表", "一般公共预算支出表", "预算", True,
          classification="function"),
    _spec("general_basic_expenditure", "一般公共预算财政拨款基本支出表", "一般公共预算基本支出表", "预算",
          True, classification="economic"),
    _spec("fund_expenditure", "政府性基金预算财政拨款支出表", "政府性基金支出表", "预算", True,
          classification="function"),
    _spec("capital_expenditure", "国有资本经营预算财政拨款支出表", "国有资本经营支出表", "预算", True,
          classification="function"),
    _spec("three_public", "财政拨款“三公”经费支出表", "“三公”经费表", "预算", True),
    _spec("project_performance", "项目绩效目标表", "项目绩效目标表", "预算"),
    _spec("procurement", "政府采购预算表", "政府采购表", "预算"),
    _spec("assets", "固定资产占用情况表", "固定资产表", "预算"),
    _spec("organization", "部门机构设置表", "机构设置表", "预算"),
    _spec("final_summary", "收入支出决算总表", "收入支出决算总表", "决算", True, True),
    _spec("final_income", "收入决算表", "收入决算表", "决算", True, classification="function"),
    _spec("final_expenditure", "支出决算表", "支出决算表", "决算", True, classification="function"),
    _spec("final_fiscal_summary", "财政拨款收入支出决算总表", "财政拨款收支决算总表", "决算", True, True),
    _spec("final_general_expenditure", "一般公共预算财政拨款支出决算表", "一般公共预算支出决算表", "决算",
          True, classification="function"),
    _spec("final_general_basic_expenditure", "一般公共预算财政拨款基本支出决算表",
          "一般公共预算基本支出决算表", "决算", True, classification="economic"),
    _spec("final_three_public", "财政拨款“三公”经费支出决算表", "“三公”经费决算表", "决算", True),
    _spec("final_fund_expenditure", "政府性基金预算财政拨款收入支出决算表", "政府性基金决算表", "决算",
          True, classification="function"),
    _spec("final_capital_expenditure", "国有资本经营预算财政拨款收入支出决算表", "国有资本经营决算表",
          "决算", True, classification="function"),
)

BY_ID: dict[str, TableSpec] = {t.id: t for t in TABLES}

#: Names of the parts that are not tables (CLI-CONTRACT.md).
PART_NAMES: dict[str, str] = {"narrative": "情况说明", "document": "整个文件"}


def spec(table_id: str) -> TableSpec | None:
    """The catalogue entry of a canonical id, or None (``other:…``, parts, unknown ids)."""
    return BY_ID.get(table_id)


def required_tables(kind: str) -> tuple[str, ...]:
    """The ids the national rules require for a 预算 or a 决算, in publication order."""
    k = "决算" if kind == "决算" else "预算"
    return tuple(t.id for t in TABLES if t.kind == k and t.required)


def is_two_sided(table_id: str) -> bool:
    s = BY_ID.get(table_id)
    return s is not None and s.two_sided


def table_name(table_id: str, short: bool = False) -> str:
    """The Chinese name of a table id for people: the catalogue's name, the part's name,
    ``其他表格`` for ``other:slug`` (its slug is English: show the printed title beside it);
    an unknown id is returned as it is."""
    s = BY_ID.get(table_id)
    if s is not None:
        return s.short if short else s.name
    if table_id in PART_NAMES:
        return PART_NAMES[table_id]
    if table_id.startswith("other:"):
        return "其他表格"
    return table_id
