"""Regional profiles: what differs between regions in the published form.

A :class:`Profile` chooses the table titles, the order of the parts (explanations before or
after the tables), the unit of each table, the code layout (joined ``2080505`` or split
``208 05 05``), whether 序号/栏次 columns are printed, where the 合计 row goes, and the
wording of the notes under empty tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from yusuan.model import REQUIRED_BUDGET_TABLES


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    #: canonical table id → printed title (``{year}`` is filled in)
    titles: Mapping[str, str]
    #: the nine tables in the printed order
    table_order: tuple[str, ...]
    #: "tables-first" (Hebei: 公开表, then 情况说明) or "narrative-first" (Shanghai 编制说明)
    parts: str
    #: default unit of the tables and the exceptions
    unit: str
    units: Mapping[str, str] = field(default_factory=dict)
    #: "joined" (2080505) or "split" (208 05 05)
    code_layout: str = "joined"
    #: 序号 column and 栏次 row printed
    numbered: bool = True
    #: 合计 row first (Hebei) or last (Shanghai)
    total_first: bool = True
    #: the 收支总表 lists every 类 (Hebei) or only those with money (Shanghai)
    all_classes: bool = True
    #: note under an empty table: ``{what}`` is the missing money, ``{year}`` the year
    empty_note: str = "注：无{what}，空表列示。"
    #: the notes' ``{what}`` per table id
    empty_what: Mapping[str, str] = field(default_factory=dict)
    #: department line above each table (``{code}``, ``{name}``)
    department_line: str = "{code} {name}"
    #: amounts with thousands separators
    thousands: bool = False
    #: zero printed as blank (True) or 0.00
    blank_zero: bool = True
    #: unit of the amounts stated in the explanations
    narrative_unit: str = "万元"

    def title(self, table_id: str, year: int) -> str:
        return self.titles.get(table_id, table_id).format(year=year)

    def unit_of(self, table_id: str) -> str:
        return self.units.get(table_id, self.unit)


HEBEI = Profile(
    id="hebei",
    name="河北省（张家口市）",
    titles={
        "summary": "部门预算收支总表",
        "income": "部门预算收入总表",
        "expenditure": "部门预算支出总表",
        "fiscal_summary": "部门预算财政拨款收支总表",
        "general_expenditure": "部门预算一般公共预算财政拨款支出表",
        "general_basic_expenditure": "部门预算一般公共预算财政拨款基本支出表",
        "fund_expenditure": "部门预算政府性基金预算财政拨款支出表",
        "capital_expenditure": "部门预算国有资本经营预算财政拨款支出表",
        "three_public": "部门预算财政拨款“三公”经费支出表",
        "procurement": "部门政府采购预算",
        "assets": "部门固定资产占用情况表",
        "organization": "部门机构设置情况",
    },
    table_order=REQUIRED_BUDGET_TABLES,
    parts="tables-first",
    unit="万元",
    empty_what={
        "fund_expenditure": "政府性基金预算财政拨款预算",
        "capital_expenditure": "国有资本经营预算财政拨款预算",
        "three_public": "财政拨款“三公”经费支出预算",
        "general_basic_expenditure": "一般公共预算财政拨款基本支出预算",
        "general_expenditure": "一般公共预算财政拨款预算",
        "procurement": "政府采购预算",
        "assets": "固定资产占用情况",
    },
)

SHANGHAI = Profile(
    id="shanghai",
    name="上海市（普陀区）",
    titles={
        "summary": "{year}年部门财务收支预算总表",
        "income": "{year}年部门收入预算总表",
        "expenditure": "{year}年部门支出预算总表",
        "fiscal_summary": "{year}年部门财政拨款收支预算总表",
        "general_expenditure": "{year}年部门一般公共预算支出功能分类预算表",
        "fund_expenditure": "{year}年部门政府性基金预算支出功能分类预算表",
        "capital_expenditure": "{year}年部门国有资本经营预算支出功能分类预算表",
        "general_basic_expenditure": "{year}年部门一般公共预算基本支出部门预算经济分类预算表",
        "three_public": "{year}年部门“三公”经费和机关运行经费预算表",
        "procurement": "{year}年部门政府采购预算表",
        "assets": "部门固定资产占用情况表",
        "organization": "部门机构设置情况",
    },
    table_order=(
        "summary",
        "income",
        "expenditure",
        "fiscal_summary",
        "general_expenditure",
        "fund_expenditure",
        "capital_expenditure",
        "general_basic_expenditure",
        "three_public",
    ),
    parts="narrative-first",
    unit="元",
    units={"three_public": "万元", "procurement": "万元", "project_performance": "万元"},
    code_layout="split",
    numbered=False,
    total_first=False,
    all_classes=False,
    empty_note="注:本部门{year}年无{what}，故本表为空表。",
    empty_what={
        "fund_expenditure": "政府性基金预算财政拨款安排的预算",
        "capital_expenditure": "国有资本经营预算财政拨款安排的预算",
        "three_public": "“三公”经费和机关运行经费预算",
        "general_basic_expenditure": "一般公共预算基本支出预算",
        "general_expenditure": "一般公共预算财政拨款安排的预算",
        "procurement": "政府采购预算",
        "assets": "固定资产占用",
    },
    department_line="编制部门：{name}",
    thousands=True,
    narrative_unit="元",
)

PROFILES: dict[str, Profile] = {p.id: p for p in (HEBEI, SHANGHAI)}


def get_profile(name: str | Profile | None) -> Profile:
    """The profile called ``name`` (default Hebei); a Profile is returned as is."""
    if isinstance(name, Profile):
        return name
    if not name:
        return HEBEI
    try:
        return PROFILES[name.lower()]
    except KeyError:
        known = "、".join(PROFILES)
        raise ValueError(f"未知的地区模板“{name}”，可选：{known}。") from None
