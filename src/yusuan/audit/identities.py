"""Identities a correct document satisfies, declared as data, and the one engine that
checks them (DOMAIN.md §1–7).

Three kinds of declaration:

* :class:`RowTotal` — within every row of a table, a total column equals the sum of its
  part columns (合计 = 基本支出 + 项目支出 …).
* :class:`RowSum` — within a table, a row equals the sum of other rows, for every amount
  column (三公 合计 = 出国 + 公务用车 + 接待; 公务用车 = 购置 + 运维).
* :class:`Identity` — across tables, a keyed series of amounts equals the sum of one or
  more other series (per function class, per code, or a single total).

Hierarchy sums (类 = Σ款 = Σ项, 合计 = Σ类) and the balances of the two-sided summary
tables are structural and checked by :func:`hierarchy_findings` and
:func:`balance_findings`. New regional layouts add declarations, not code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from yusuan.audit.common import (
    CACHES,
    Term,
    amount_columns,
    columns_under,
    compare_sum,
    find_column,
    find_row,
    key,
    row_side,
    term,
)
from yusuan.audit.finding import Finding, fmt
from yusuan.audit.registry import rule
from yusuan.model import Disclosure, Row, Table
from yusuan.model.codes import parent
from yusuan.model.text import compact, split_numbering

FUNCTION_TABLES = ("income", "expenditure", "general_expenditure", "fund_expenditure",
                   "capital_expenditure",
                   # 决算 (final accounts): the same rows by function code
                   "final_income", "final_expenditure", "final_general_expenditure",
                   "final_fund_expenditure", "final_capital_expenditure")
#: (the 决算 basic-expenditure table prints two column groups side by side, which the
#: reader does not split yet: its codes are left to the arithmetic rules)
ECONOMIC_TABLES = ("general_basic_expenditure",)
CODED_TABLES = (*FUNCTION_TABLES, *ECONOMIC_TABLES)


@dataclass(frozen=True, slots=True)
class RowTotal:
    """In each row of ``tables``: column ``total`` = Σ ``parts`` (leaf names; a part not
    printed in the table is left out). ``group`` takes as parts every column under that
    header instead (本年收入 → its sources). ``under`` restricts the total's lookup."""

    tables: tuple[str, ...]
    #: the total column's names, in order of preference
    total: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...] = ()
    group: str | None = None
    under: str | None = None
    side: str | None = None
    name: str = ""
    #: how many of the first ``parts`` must be printed for the check to apply
    required: int = 2
    #: sub-columns the identity holds within, each on its own (budget vs actual:
    #: ``合计/预算数`` = Σ ``…/预算数`` and ``合计/决算数`` = Σ ``…/决算数``)
    each: tuple[str, ...] = ()
    #: sign of each part (default all +1): 年末结转 = 年初结转 + 本年收入 − 本年支出
    signs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class RowSum:
    """In ``table``: the row labelled ``total`` = Σ the rows labelled ``parts``, in every
    amount column (labels matched without numbering; alternatives in tuples)."""

    table: str
    total: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]
    name: str = ""


@dataclass(frozen=True, slots=True)
class Series:
    """A keyed series of amounts in one table.

    ``by``: ``"class"`` — the 类 rows (3-digit function codes, or rows printed without a
    code whose label is a class name, as in the summary tables), keyed by code;
    ``"code"`` — every coded row, keyed by code; ``"total"`` — one row, chosen by
    ``row`` labels (or the 合计 row), keyed ``"total"``."""

    table: str
    column: tuple[str, ...]
    by: str = "class"
    side: str | None = None
    row: tuple[str, ...] = ()
    under: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """``left`` = Σ ``right`` for every key either side has."""

    id: str
    summary_zh: str
    left: Series
    right: tuple[Series, ...]


#: 三公 item names, alternatives as printed (Hebei, Shanghai, Jiangsu 运行维护费)
_VEHICLE = ("公务用车购置及运行费", "公务用车购置及运维费", "公务用车购置及运行维护费")
_VEHICLE_BUY = ("公务用车购置费", "购置费")
_VEHICLE_RUN = ("公务用车运行费", "公务用车运维费", "公务用车运行维护费", "运行费", "运维费")
_ABROAD = ("因公出国（境）费", "因公出国(境)费")
#: the 三公 subtotal column of a table that also prints 会议费/培训费 (Jiangsu 2019:
#: 合计 | “三公”经费/小计 | … | 会议费 | 培训费), preferred to its 合计
_THREE_PUBLIC = ("“三公”经费", '"三公"经费', "三公经费")

ROW_TOTALS: tuple[RowTotal, ...] = (
    RowTotal(("expenditure", "general_expenditure", "fund_expenditure", "capital_expenditure"),
             ("合计",), (("基本支出",), ("项目支出",), ("经营支出", "事业单位经营支出"),
                        ("上解上级支出",), ("对附属单位补助支出",), ("单位预留机动经费",)),
             name="合计 = 基本支出 + 项目支出 + …"),
    RowTotal(("income",), ("合计",), (("小计", "本年收入"), ("上年结转", "上年结转结余")),
             name="合计 = 本年收入小计 + 上年结转"),
    RowTotal(("income",), ("小计",), group="本年收入", under="本年收入",
             name="本年收入小计 = 各项收入之和"),
    RowTotal(("general_basic_expenditure",), ("合计",), (("人员经费",), ("公用经费", "日常公用经费")),
             name="合计 = 人员经费 + 公用经费"),
    RowTotal(("fiscal_summary",), ("合计",),
             (("一般公共预算财政拨款", "一般公共预算"), ("政府性基金预算财政拨款", "政府性基金预算"),
              ("国有资本经营预算财政拨款", "国有资本经营预算")),
             side="支出", name="合计 = 一般公共预算 + 政府性基金 + 国有资本经营"),
    RowTotal(("three_public",), ("合计",),
             (("一般公共预算财政拨款",), ("政府性基金预算拨款", "政府性基金预算财政拨款"),
              ("国有资本经营预算财政拨款",)),
             name="三公 合计 = 各资金性质之和", required=3),
    RowTotal(("three_public",), (*_THREE_PUBLIC, "合计", "三公经费合计"),
             (_ABROAD, _VEHICLE, ("公务接待费",)),
             name="三公 合计 = 出国 + 公务用车 + 接待", required=3),
    RowTotal(("three_public",), _VEHICLE, (_VEHICLE_BUY, _VEHICLE_RUN),
             name="公务用车 = 购置费 + 运维费"),
    RowTotal(("three_public",), ("合计",), (_THREE_PUBLIC, ("会议费",), ("培训费",)),
             name="合计 = 三公经费 + 会议费 + 培训费", required=3),
)

#: 决算 (final accounts, DOMAIN.md; docs/parsing.md for the ids): the same identities on
#: their own tables, and the 三公 table's budget-vs-actual columns each on their own.
FINAL_ROW_TOTALS: tuple[RowTotal, ...] = (
    RowTotal(("final_expenditure",), ("本年支出合计", "合计"),
             (("基本支出",), ("项目支出",), ("上缴上级支出", "上解上级支出"), ("经营支出",),
              ("对附属单位补助支出",)),
             name="决算 本年支出合计 = 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助"),
    RowTotal(("final_income",), ("本年收入合计", "合计"),
             (("财政拨款收入",), ("上级补助收入",), ("事业收入",), ("经营收入",), ("附属单位上缴收入",),
              ("其他收入",)),
             name="决算 本年收入合计 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他"),
    RowTotal(("final_general_expenditure",), ("合计",), (("基本支出",), ("项目支出",)),
             name="决算 合计 = 基本支出 + 项目支出"),
    RowTotal(("final_general_basic_expenditure",), ("合计",), (("人员经费", "人员经费合计"),
                                                              ("公用经费", "公用经费合计")),
             name="决算 基本支出合计 = 人员经费 + 公用经费"),
    RowTotal(("final_fund_expenditure", "final_capital_expenditure"), ("小计", "合计"),
             (("基本支出",), ("项目支出",)), under="本年支出",
             name="决算 本年支出 = 基本支出 + 项目支出"),
    RowTotal(("final_fund_expenditure", "final_capital_expenditure"), ("年末结转和结余",),
             (("年初结转和结余",), ("本年收入",), ("本年支出",)), signs=(1, 1, -1), required=3,
             name="决算 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出"),
    RowTotal(("final_three_public",), ("合计",), (_ABROAD, _VEHICLE, ("公务接待费",)),
             each=("预算数", "决算数"), required=3,
             name="决算 三公 合计 = 出国 + 公务用车 + 接待（预算数、决算数各自成立）"),
    RowTotal(("final_three_public",), _VEHICLE, (("公务用车购置费",), _VEHICLE_RUN),
             each=("预算数", "决算数"),
             name="决算 公务用车 = 购置费 + 运行费（预算数、决算数各自成立）"),
)

ROW_SUMS: tuple[RowSum, ...] = (
    RowSum("three_public", ("合计", "三公经费合计", "“三公”经费合计"),
           (_ABROAD, _VEHICLE, ("公务接待费",)),
           name="三公 合计 = 出国 + 公务用车 + 接待"),
    RowSum("three_public", _VEHICLE, (_VEHICLE_BUY, _VEHICLE_RUN),
           name="公务用车 = 购置费 + 运维费"),
)

_TOTAL = ("合计",)
_FISCAL_IN = ("财政拨款收入", "财政拨款")

IDENTITIES: tuple[Identity, ...] = (
    Identity("summary-class-expenditure", "收支总表各类支出 = 支出总表各类合计",
             Series("summary", ("预算数", "金额", "合计"), side="支出"),
             (Series("expenditure", _TOTAL),)),
    Identity("income-class-expenditure", "收入总表各科目合计 = 支出总表各科目合计",
             Series("income", _TOTAL, by="code"), (Series("expenditure", _TOTAL, by="code"),)),
    Identity("summary-total-expenditure", "收支总表本年支出合计 = 支出总表合计",
             Series("summary", ("预算数", "金额", "合计"), by="total", side="支出",
                    row=("本年支出合计",)),
             (Series("expenditure", _TOTAL, by="total"),)),
    Identity("summary-total-income", "收支总表收入总计 = 收入总表合计",
             Series("summary", ("预算数", "金额"), by="total", side="收入", row=("收入总计",)),
             (Series("income", _TOTAL, by="total"),)),
    Identity("fiscal-income-by-code", "收入总表财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营支出表（按科目）",
             Series("income", _FISCAL_IN, by="code"),
             (Series("general_expenditure", _TOTAL, by="code"),
              Series("fund_expenditure", _TOTAL, by="code"),
              Series("capital_expenditure", _TOTAL, by="code"))),
    Identity("fiscal-summary-general", "财政拨款收支总表一般公共预算（按类）= 一般公共预算支出表各类合计",
             Series("fiscal_summary", ("一般公共预算财政拨款", "一般公共预算"), side="支出"),
             (Series("general_expenditure", _TOTAL),)),
    Identity("fiscal-summary-fund", "财政拨款收支总表政府性基金（按类）= 政府性基金支出表各类合计",
             Series("fiscal_summary", ("政府性基金预算财政拨款", "政府性基金预算"), side="支出"),
             (Series("fund_expenditure", _TOTAL),)),
    Identity("fiscal-summary-capital", "财政拨款收支总表国有资本经营（按类）= 国有资本经营支出表各类合计",
             Series("fiscal_summary", ("国有资本经营预算财政拨款", "国有资本经营预算"), side="支出"),
             (Series("capital_expenditure", _TOTAL),)),
    Identity("fiscal-summary-income-class", "财政拨款收支总表各类合计 = 收入总表各类财政拨款收入",
             Series("fiscal_summary", ("合计",), side="支出"),
             (Series("income", _FISCAL_IN),)),
    Identity("general-basic-total", "一般公共预算支出表基本支出合计 = 基本支出表合计",
             Series("general_expenditure", ("基本支出",), by="total"),
             (Series("general_basic_expenditure", _TOTAL, by="total"),)),
    Identity("summary-general-income", "收支总表一般公共预算拨款收入 = 财政拨款收支总表一般公共预算拨款",
             Series("summary", ("预算数", "金额"), by="total", side="收入",
                    row=("一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算财政拨款收入")),
             (Series("fiscal_summary", ("金额", "预算数"), by="total", side="收入",
                     row=("一般公共预算拨款", "一般公共预算财政拨款", "一般公共预算拨款收入")),)),
    Identity("fiscal-general-income", "财政拨款收支总表一般公共预算拨款 = 一般公共预算支出表合计",
             Series("fiscal_summary", ("金额", "预算数"), by="total", side="收入",
                    row=("一般公共预算拨款", "一般公共预算财政拨款", "一般公共预算拨款收入")),
             (Series("general_expenditure", _TOTAL, by="total"),)),
)

_FINAL = ("决算数",)
#: (unlike a budget, a final account's income and expenditure by code differ by the
#: year's 结余, so there is no income = expenditure identity by code)
FINAL_IDENTITIES: tuple[Identity, ...] = (
    Identity("final-summary-class-expenditure", "决算总表各类支出 = 支出决算表各类合计",
             Series("final_summary", _FINAL, side="支出"),
             (Series("final_expenditure", ("本年支出合计", "合计")),)),
    Identity("final-summary-total-income", "决算总表本年收入合计 = 收入决算表合计",
             Series("final_summary", _FINAL, by="total", side="收入", row=("本年收入合计",)),
             (Series("final_income", ("本年收入合计", "合计"), by="total"),)),
    Identity("final-summary-total-expenditure", "决算总表本年支出合计 = 支出决算表合计",
             Series("final_summary", _FINAL, by="total", side="支出", row=("本年支出合计",)),
             (Series("final_expenditure", ("本年支出合计", "合计"), by="total"),)),
    Identity("final-summary-general-income", "决算总表一般公共预算财政拨款收入 = 财政拨款决算总表一般公共预算财政拨款",
             Series("final_summary", _FINAL, by="total", side="收入",
                    row=("一般公共预算财政拨款收入", "一般公共预算财政拨款")),
             (Series("final_fiscal_summary", _FINAL, by="total", side="收入",
                     row=("一般公共预算财政拨款", "一般公共预算财政拨款收入")),)),
    Identity("final-fiscal-general-class", "财政拨款决算总表一般公共预算（按类）= 一般公共预算支出决算表各类合计",
             Series("final_fiscal_summary", ("一般公共预算财政拨款", "一般公共预算"), side="支出"),
             (Series("final_general_expenditure", ("合计",)),)),
    Identity("final-fiscal-general-income", "财政拨款决算总表一般公共预算财政拨款收入 = 一般公共预算支出决算表合计",
             Series("final_fiscal_summary", _FINAL, by="total", side="收入",
                    row=("一般公共预算财政拨款", "一般公共预算财政拨款收入")),
             (Series("final_general_expenditure", ("合计",), by="total"),)),
    Identity("final-general-basic-total", "一般公共预算支出决算表基本支出合计 = 基本支出决算表合计",
             Series("final_general_expenditure", ("基本支出",), by="total"),
             (Series("final_general_basic_expenditure", ("合计",), by="total"),)),
    Identity("final-income-fiscal", "收入决算表财政拨款收入合计 = 财政拨款决算总表本年收入合计",
             Series("final_income", ("财政拨款收入",), by="total"),
             (Series("final_fiscal_summary", _FINAL, by="total", side="收入", row=("本年收入合计",)),)),
)


@dataclass(frozen=True, slots=True)
class LabelSet:
    """Row labels a region prints on one side of its summary tables, for the years it
    was seen (``region`` None: any region; labels matched without numbering)."""

    region: str | None
    years: tuple[int, int]
    tables: tuple[str, ...]
    side: str
    labels: tuple[str, ...]
    source: str = ""


#: Regional and 决算 row labels accepted by ``summary-row-name`` besides the standard ones.
SUMMARY_LABELS: tuple[LabelSet, ...] = (
    LabelSet("上海", (2023, 2026), ("summary", "fiscal_summary"), "收入",
             ("财政拨款收入", "一般公共预算资金", "一般公共预算", "政府性基金", "国有资本经营预算",
              "事业收入", "事业单位经营收入", "其他收入", "收入总计"),
             "Shanghai Putuo 部门/单位预算 2023–2025 (corpus): 一、财政拨款收入 with 1.一般公共预算资金 "
             "2.政府性基金 3.国有资本经营预算 under it (2023: 1.一般公共预算)"),
    LabelSet(None, (2015, 2100), ("final_summary", "final_fiscal_summary"), "收入",
             ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
              "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
              "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入", "本年收入合计",
              "使用非财政拨款结余", "使用非财政拨款结余（含专用结余）", "年初结转和结余",
              "年初财政拨款结转和结余", "总计"),
             "决算 template 附件2 and Shanghai Putuo 2024 决算 (corpus)"),
    LabelSet(None, (2015, 2100), ("final_summary", "final_fiscal_summary"), "支出",
             ("本年支出合计", "结余分配", "年末结转和结余", "年末财政拨款结转和结余", "总计"),
             "决算 template 附件2 and Shanghai Putuo 2024 决算 (corpus)"),
)


def accepted_labels(region: str | None, year: int | None, table_id: str, side: str) -> frozenset[str]:
    """The label keys of ``SUMMARY_LABELS`` that apply to a table of a document of
    ``region`` and ``year`` (a document of unknown region or year takes every set)."""
    out: set[str] = set()
    for ls in SUMMARY_LABELS:
        if table_id not in ls.tables or ls.side != side:
            continue
        if region is not None and ls.region is not None and ls.region != region:
            continue
        if year is not None and not ls.years[0] <= year <= ls.years[1]:
            continue
        out.update(key(x) for x in ls.labels)
    return frozenset(out)


# ---------------------------------------------------------------------------- engine

_Z = Decimal(0)


_AMOUNTS: dict[int, tuple[Row, dict[str, Decimal]]] = {}
CACHES.append(_AMOUNTS)


def _amounts(row: Row) -> dict[str, Decimal]:
    """Column → amount of the row's printed numbers (fast path of the checks;
    remembered per row object, several declarations read the same rows)."""
    hit = _AMOUNTS.get(id(row))
    if hit is not None and hit[0] is row:
        return hit[1]
    if len(_AMOUNTS) > 16384:
        _AMOUNTS.clear()
    out = {c.column: c.value for c in row.cells if c.value is not None}
    _AMOUNTS[id(row)] = (row, out)
    return out


def _balanced(total: Decimal | None, parts: list[Decimal | None]) -> bool:
    return (total or _Z) == sum((p for p in parts if p is not None), _Z)


def _sub_column(table: Table, names: tuple[str, ...], leaf: str) -> str | None:
    """The column whose leaf is ``leaf`` under a header named one of ``names``."""
    want = {compact(n) for n in names}
    for c in table.columns:
        if len(c.path) >= 2 and compact(c.path[-1]) == compact(leaf) and any(
                compact(p) in want for p in c.path[:-1]):
            return c.name
    return None


def _row_total_columns(table: Table, decl: RowTotal) -> Iterator[tuple[str, list[str], list[int]]]:
    """(total column, part columns, their signs) for each way ``decl`` applies."""
    signs = list(decl.signs) or [1] * len(decl.parts)
    if decl.each:
        for leaf in decl.each:
            total = _sub_column(table, decl.total, leaf)
            found = [_sub_column(table, alts, leaf) for alts in decl.parts]
            if total is None or any(c is None for c in found[:decl.required]):
                continue
            pairs = [(c, sg) for c, sg in zip(found, signs, strict=False) if c is not None and c != total]
            if len(pairs) >= 2:
                yield total, [c for c, _ in pairs], [sg for _, sg in pairs]
        return
    total_col = next((c for n in decl.total if (c := find_column(table, n, under=decl.under))), None)
    if total_col is None:
        return
    if decl.group is not None:
        parts = [p for p in columns_under(table, decl.group, exclude=decl.total) if p != total_col]
        if parts:
            yield total_col, parts, [1] * len(parts)
        return
    found = [find_column(table, *alts) for alts in decl.parts]
    if any(c is None for c in found[:decl.required]):
        return
    pairs = [(c, sg) for c, sg in zip(found, signs, strict=False) if c is not None and c != total_col]
    if len(pairs) >= 2:
        yield total_col, [c for c, _ in pairs], [sg for _, sg in pairs]


def _row_total_checks(doc: Disclosure, decl: RowTotal) -> Iterator[Finding]:
    for table in doc.tables:
        if table.id not in decl.tables:
            continue
        for total_col, parts, signs in _row_total_columns(table, decl):
            for row in table.rows:
                if decl.side is not None and row_side(row) != decl.side:
                    continue
                am = _amounts(row)
                if not am or am.get(total_col, _Z) == sum(
                        (sg * am.get(p, _Z) for p, sg in zip(parts, signs, strict=True)), _Z):
                    continue
                t = term(table, row, total_col)
                ps = [term(table, row, p) for p in parts]
                if not t.printed and not any(p.printed for p in ps):
                    continue
                f = compare_sum("row-total", t, ps, signs=signs)
                if f is not None:
                    yield f


def _row_sum_checks(doc: Disclosure, decl: RowSum) -> Iterator[Finding]:
    for table in doc.tables_of(decl.table):
        total = find_row(table, *decl.total)
        if total is None:
            continue
        parts = [r for alts in decl.parts if (r := find_row(table, *alts)) is not None]
        if len(parts) < 2:
            continue
        for col in amount_columns(table):
            t = term(table, total, col)
            ps = [term(table, r, col) for r in parts]
            if not t.printed and not any(p.printed for p in ps):
                continue
            f = compare_sum("row-total", t, ps)
            if f is not None:
                yield f


@rule("row-total", severity="error", family="arithmetic",
      summary="行内合计等于各组成部分之和（合计 = 基本 + 项目，小计 = 各项收入，人员 + 公用，三公各项）")
def row_total(doc: Disclosure) -> Iterator[Finding]:
    """In every row of a table, a total column equals the sum of its parts, as declared in
    ``ROW_TOTALS``: 合计 = 基本支出 + 项目支出 (+ 经营支出 …) in the expenditure tables;
    合计 = 本年收入小计 + 上年结转 and 小计 = Σ income sources in the income table;
    合计 = 人员经费 + 公用经费 in the basic-expenditure table; 合计 = Σ fund types in the
    fiscal summary and the three-public table; and in the three-public table (``ROW_SUMS``)
    合计 = 出国 + 公务用车 + 接待 and 公务用车 = 购置费 + 运维费, whether the items are rows or
    columns (公务用车 also as 公务用车购置及运行维护费 with its 小计; where the table also prints
    会议费 and 培训费, as in Jiangsu, the 三公 total is the “三公”经费 小计 column and 合计 =
    三公 + 会议费 + 培训费). A difference within 0.005 per part is a rounding warning."""
    present = {t.id for t in doc.tables}
    for decl in (*ROW_TOTALS, *FINAL_ROW_TOTALS):
        if present.intersection(decl.tables):
            yield from _row_total_checks(doc, decl)
    for rs in ROW_SUMS:
        yield from _row_sum_checks(doc, rs)


def _children(table: Table) -> dict[str, list[Row]]:
    kids: dict[str, list[Row]] = {}
    for r in table.rows:
        if r.code and (p := parent(r.code)) is not None:
            kids.setdefault(p, []).append(r)
    return kids


@rule("hierarchy-sum", severity="error", family="arithmetic",
      summary="科目层级汇总：类 = Σ款，款 = Σ项，合计 = Σ类")
def hierarchy_sum(doc: Disclosure) -> Iterator[Finding]:
    """In every table whose rows carry classification codes (function codes in the
    income and expenditure tables, economic codes in the basic-expenditure table), for
    every amount column: a 类 row equals the sum of its 款 rows, a 款 row the sum of its 项
    rows, and the 合计 row the sum of the 类 rows (a table of the canonical ids with
    amounts in its 类 rows and no 合计 row is a warning: it may also be a row the reader
    could not read). Only rows printed in the table take
    part; a rounding difference (within 0.005 per part) is a warning."""
    for table in doc.tables:
        if not any(r.code for r in table.rows):
            continue
        kids = _children(table)
        cols = amount_columns(table)
        by_code = {r.code: r for r in table.rows if r.code}
        amounts = {id(r): _amounts(r) for r in table.rows}
        for code, children in kids.items():
            row = by_code.get(code)
            if row is None:
                continue
            for col in cols:
                if _balanced(amounts[id(row)].get(col), [amounts[id(k)].get(col) for k in children]):
                    continue
                t = term(table, row, col)
                ps = [term(table, k, col) for k in children]
                if not t.printed and not any(p.printed for p in ps):
                    continue
                f = compare_sum("hierarchy-sum", t, ps)
                if f is not None:
                    yield f
        total = table.total_row()
        classes = [r for r in table.rows if r.code and len(r.code) == 3]
        if total is None and table.id in CODED_TABLES and any(
                c.value for r in classes for c in r.cells if c.value is not None):
            # a warning: a 合计 row the reader failed to read looks the same
            yield Finding("hierarchy-sum", "warning", f"“{table.title}”未见合计行", (table.id,), None,
                          (), "合计", None, table.location)
            continue
        if total is None or not classes:
            continue
        for col in cols:
            if _balanced(amounts[id(total)].get(col), [amounts[id(k)].get(col) for k in classes]):
                continue
            t = term(table, total, col)
            ps = [term(table, k, col) for k in classes]
            if not t.printed and not any(p.printed for p in ps):
                continue
            f = compare_sum("hierarchy-sum", t, ps)
            if f is not None:
                yield f


# ---------------------------------------------------------------------------- balances

@dataclass(frozen=True, slots=True)
class Balance:
    """The balances of a two-sided table: on each side the 本年合计 row (``this_year``
    labels) = Σ the items printed above it, the 总计 row (``grand``) = 本年合计 + the
    carry-over rows printed after it (labels with 结转/结余: only the first one, or
    ``all_carry``: every one, as in 决算 with 使用非财政拨款结余 + 年初结转和结余), a
    carry-over row = Σ the fund-type rows printed under it, and 收入总计 = 支出总计.
    ``require_grand``: a side without its 总计 row is an error."""

    table: str
    this_year: dict[str, tuple[str, ...]]
    grand: dict[str, tuple[str, ...]]
    all_carry: bool = False
    require_grand: bool = True


#: 本年合计 row labels by side (Jiangsu 2019 prints 当年收入小计 / 当年支出小计)
_THIS_YEAR: dict[str, tuple[str, ...]] = {"收入": ("本年收入合计", "收入本年合计", "本年收入", "当年收入小计"),
                                          "支出": ("本年支出合计", "支出本年合计", "本年支出", "当年支出小计")}
_GRAND: dict[str, tuple[str, ...]] = {"收入": ("收入总计", "收入合计"), "支出": ("支出总计", "支出合计")}
_FINAL_GRAND: dict[str, tuple[str, ...]] = {"收入": ("总计", "收入总计"), "支出": ("总计", "支出总计")}

#: The two-sided tables and their balances. The 决算 总计 rows are not required: they
#: stand on a continued page in the Shanghai 决算, which the reader does not merge yet.
BALANCES: tuple[Balance, ...] = (
    Balance("summary", _THIS_YEAR, _GRAND),
    Balance("fiscal_summary", _THIS_YEAR, _GRAND),
    Balance("final_summary", _THIS_YEAR, _FINAL_GRAND, all_carry=True, require_grand=False),
    Balance("final_fiscal_summary", _THIS_YEAR, _FINAL_GRAND, all_carry=True, require_grand=False),
)


def _side_rows(table: Table, side: str) -> list[Row]:
    return [r for r in table.rows if row_side(r) == side and key(r.label)]


def _is_carry(r: Row) -> bool:
    return "结转" in r.label or "结余" in r.label


def _carry_parts(after: list[Row], carry: list[Row], grand: Row | None,
                 all_carry: bool) -> list[tuple[Row, list[Row]]]:
    """Each carry-over row with the fund-type rows printed under it."""
    end = after.index(grand) if grand in after else len(after)
    if not all_carry:  # budgets: every row between the first carry-over row and 总计
        if not carry:
            return []
        j = after.index(carry[0])
        return [(carry[0], [r for r in after[j + 1:end] if r is not grand])]
    out: list[tuple[Row, list[Row]]] = []
    for c in carry:
        j = after.index(c)
        subs: list[Row] = []
        for r in after[j + 1:end]:
            if _is_carry(r):
                break
            subs.append(r)
        out.append((c, subs))
    return out


def _depth(label: str) -> int:
    """Depth of a row's numbering: 一、 (0) above （一） (1) above 1. (2) above (1) (3);
    an unnumbered row counts as top level."""
    num, _ = split_numbering(label)
    if num is None:
        return 0
    if num.startswith("（"):
        return 1
    if num.startswith("("):
        return 3
    return 2 if num.isdigit() else 0


def _top_items(items: list[Row]) -> list[tuple[Row, list[Row]]]:
    """The items of one side at the shallowest numbering printed, each with the deeper
    items printed under it (Jiangsu: 一、财政拨款 with 1.一般公共预算 2.政府性基金预算)."""
    if not items:
        return []
    top = min(_depth(r.label) for r in items)
    out: list[tuple[Row, list[Row]]] = []
    for r in items:
        if _depth(r.label) == top or not out:
            out.append((r, []))
        else:
            out[-1][1].append(r)
    return out


def _this_year_term(table: Table, this: Row, col: str, cols: list[str]) -> Term:
    """The 本年合计 amount a column's items add up to: the row's own cell, or, when the
    row has no cell at all in that column (a label spanning it: Jiangsu prints 当年支出小计
    once, under 支出用途, for both its 功能分类 and 支出用途 breakdowns), its first
    printed amount on that side."""
    t = term(table, this, col)
    if t.cell is not None:
        return t
    for c in cols:
        other = term(table, this, c)
        if other.printed:
            return other
    return t


def _balance_side(table: Table, side: str, decl: Balance) -> Iterator[Finding]:
    rows = _side_rows(table, side)
    this = find_row(table, *decl.this_year[side], side=side)
    grand = find_row(table, *decl.grand[side], side=side)
    if this is None:
        if grand is not None and not any(_is_carry(r) for r in rows):
            # no 本年合计 and no carry-over row (Jiangsu's 财政拨款收支预算总表): the
            # 总计 is the sum of the items printed above it
            this, grand = grand, None
        else:
            return
    i = rows.index(this)
    items = _top_items(rows[:i])
    after = rows[i + 1:]
    carry = [r for r in after if _is_carry(r)]
    if not decl.all_carry:
        carry = carry[:1]
    cols = amount_columns(table, side)
    for col in cols:
        # an item with no cell in the column belongs to the side's other breakdown
        ps = [p for r, _ in items if (p := term(table, r, col)).cell is not None]
        if any(p.printed for p in ps):
            f = compare_sum("balance", _this_year_term(table, this, col, cols), ps)
            if f is not None:
                yield f
        elif (t := term(table, this, col)).printed:
            f = compare_sum("balance", t, ps)
            if f is not None:
                yield f
        for parent_row, subs in items:
            if not subs:
                continue
            pt = term(table, parent_row, col)
            sub_terms = [p for r in subs if (p := term(table, r, col)).cell is not None]
            if pt.printed or any(s.printed for s in sub_terms):
                f = compare_sum("balance", pt, sub_terms)
                if f is not None:
                    yield f
        if grand is not None:
            g = term(table, grand, col)
            t = term(table, this, col)
            f = compare_sum("balance", g, [t, *(term(table, c, col) for c in carry)])
            if f is not None:
                yield f
    if grand is None:
        return
    for c, subs in _carry_parts(after, carry, grand, decl.all_carry):
        if not subs:
            continue
        for col in cols:
            t = term(table, c, col)
            ps = [term(table, r, col) for r in subs]
            if t.printed or any(p.printed for p in ps):
                f = compare_sum("balance", t, ps)
                if f is not None:
                    yield f


def _missing_rows(table: Table, decl: Balance) -> Iterator[Finding]:
    for side in ("收入", "支出"):  # 本年合计 rows are optional (Shanghai prints none)
        labels = decl.grand[side]
        if find_row(table, *labels, side=side) is None:
            yield Finding("balance", "error", f"“{table.title}”{side}方缺少“{labels[0]}”行",
                          (table.id,), None, (), labels[0], None, table.location)


@rule("balance", severity="error", family="arithmetic",
      summary="收支总表平衡：本年合计 = Σ各项，总计 = 本年合计 + 结转，收入总计 = 支出总计")
def balance(doc: Disclosure) -> Iterator[Finding]:
    """In the two-sided tables declared in ``BALANCES`` (``summary``, ``fiscal_summary``
    and the 决算 ``final_summary``, ``final_fiscal_summary``): each side of a budget table
    prints its 总计 row (a missing one is an error); on each side the 本年
    收入/支出合计 (Jiangsu: 当年收入小计 / 当年支出小计) equals the sum of the items printed
    above it at the shallowest numbering, and an item equals the deeper-numbered items
    under it (一、财政拨款 = 1.一般公共预算 + 2.政府性基金预算); a 本年合计 printed once for
    two breakdowns of a side (Jiangsu's 功能分类 and 支出用途) is the total of each; the 总计
    equals the 本年合计 plus the carry-over rows (上年结转结余 / 年终结转结余; in 决算 also
    使用非财政拨款结余 and 结余分配), or, on a side with neither, the sum of its items; a
    carry-over row equals its fund-type rows; and 收入总计 equals 支出总计 (first amount
    column of each side)."""
    for decl in BALANCES:
        for table in doc.tables_of(decl.table):
            if table.empty:
                continue
            if decl.require_grand:
                yield from _missing_rows(table, decl)
            yield from _balance_side(table, "收入", decl)
            yield from _balance_side(table, "支出", decl)
            gi = find_row(table, *decl.grand["收入"], side="收入")
            ge = find_row(table, *decl.grand["支出"], side="支出")
            if gi is None or ge is None:
                continue
            # the first amount column each 总计 row prints (Jiangsu prints 支出合计 in its
            # 支出用途 column only, not under 功能分类)
            ci = [c for c in amount_columns(table, "收入") if term(table, gi, c).printed]
            ce = [c for c in amount_columns(table, "支出") if term(table, ge, c).printed]
            if not ci or not ce:
                continue
            f = compare_sum("balance", term(table, gi, ci[0]), [term(table, ge, ce[0])])
            if f is not None:
                yield f


# ---------------------------------------------------------------------------- cross-table


def _class_code_of(doc: Disclosure) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in doc.tables:
        if t.id in FUNCTION_TABLES:
            for r in t.rows:
                if r.code and len(r.code) == 3:
                    out.setdefault(key(r.label), r.code)
    return out


def _series(doc: Disclosure, s: Series, class_codes: dict[str, str]) -> dict[str, Term] | None:
    """key → Term for the series; None when the table is not in the document."""
    table = doc.table(s.table)
    if table is None:
        return None
    col = find_column(table, *s.column, under=s.side)
    if col is None:
        col = find_column(table, *s.column)
    out: dict[str, Term] = {}
    if s.by == "total":
        row = find_row(table, *s.row, side=s.side) if s.row else table.total_row(s.side)
        if row is None:
            return None if not table.empty else out
        if col is None:
            return out
        out["total"] = term(table, row, col)
        return out
    if col is None:
        return out if not table.empty else {}
    if not any(r.code or class_codes.get(key(r.label)) for r in table.rows):
        # rows by fund type only (Jiangsu's 支出预算总表 prints just its 合计 row): the
        # table is not broken down by code, so it takes no part in a keyed identity
        return None if table.rows else out
    for r in table.rows:
        if s.side is not None and row_side(r) != s.side:
            continue
        code = r.code
        if code is None and s.by == "class":
            code = class_codes.get(key(r.label))
        if not code:
            continue
        if s.by == "class" and len(code) != 3:
            continue
        out.setdefault(code, term(table, r, col))
    return out


def _identity(doc: Disclosure, ident: Identity, class_codes: dict[str, str],
              memo: dict[Series, dict[str, Term] | None]) -> Iterator[Finding]:
    def series(s: Series) -> dict[str, Term] | None:
        if s not in memo:
            memo[s] = _series(doc, s, class_codes)
        return memo[s]

    left = series(ident.left)
    if left is None:
        return
    rights = [series(r) for r in ident.right]
    present = [r for r in rights if r is not None]
    if not present:
        return
    if ident.left.by == "total" and "total" not in left:
        return
    keys = dict.fromkeys([*left, *(k for r in present for k in r)])
    for k in keys:
        lt = left.get(k)
        parts = [r[k] for r in present if k in r]
        if lt is None and not any(p.printed and p.value != 0 for p in parts):
            continue
        if lt is None:
            # a class with an amount on the right and no row on the left
            p = next(p for p in parts if p.printed and p.value != 0)
            yield Finding(
                rule="cross-table",
                severity="error",
                message=f"{ident.summary_zh}：{p.table.id} 中 {p.label()} 为 {fmt(p.value)}，"
                        f"但 {ident.left.table} 中没有对应的行",
                tables=(ident.left.table, *(q.table.id for q in parts)),
                section=None,
                cells=tuple(q.ref() for q in parts),
                expected=fmt(sum((q.value for q in parts), Decimal(0))),
                actual=None,
                location=p.cell.location if p.cell else p.row.location,
            )
            continue
        if not parts:
            if not lt.printed or lt.value == 0:
                continue
            # the right tables are printed but have no row for this key
            names = "、".join(r.table for r in ident.right if doc.table(r.table) is not None)
            yield Finding(
                rule="cross-table", severity="error",
                message=f"{ident.summary_zh}：{lt.table.id} 中 {lt.label()} 为 {fmt(lt.value)}，"
                        f"但 {names} 中没有对应的行",
                tables=tuple(dict.fromkeys((lt.table.id, *(r.table for r in ident.right)))),
                section=None, cells=(lt.ref(),), expected=None, actual=fmt(lt.value),
                location=lt.cell.location if lt.cell else lt.row.location)
            continue
        else:
            if not lt.printed and not any(p.printed for p in parts):
                continue
            f = compare_sum("cross-table", lt, parts, what=f"{ident.summary_zh}：")
        if f is not None:
            yield f


@rule("cross-table", severity="error", family="cross-table",
      summary="表间一致：同一金额在各表中相等（DOMAIN.md §4–7，声明见 IDENTITIES）")
def cross_table(doc: Disclosure) -> Iterator[Finding]:
    """Every identity declared in ``IDENTITIES`` holds: the summary's expenditure by class
    equals the expenditure table's class totals; income and expenditure tables agree code
    by code; the income table's 财政拨款收入 equals the general, fund and capital tables
    together; the fiscal summary by class and fund type equals the fund tables; the
    general table's 基本支出 equals the basic-expenditure table's total; the summary's and
    fiscal summary's 一般公共预算拨款 equal the general table's total. Each finding names
    the cells on both sides; an amount present on one side and missing on the other is an
    error."""
    codes = _class_code_of(doc)
    memo: dict[Series, dict[str, Term] | None] = {}
    for ident in (*IDENTITIES, *FINAL_IDENTITIES):
        if doc.table(ident.left.table) is None:
            continue
        yield from _identity(doc, ident, codes, memo)
