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

FUNCTION_TABLES = ("income", "expenditure", "general_expenditure", "fund_expenditure",
                   "capital_expenditure")
CODED_TABLES = (*FUNCTION_TABLES, "general_basic_expenditure")


@dataclass(frozen=True, slots=True)
class RowTotal:
    """In each row of ``tables``: column ``total`` = Σ ``parts`` (leaf names; a part not
    printed in the table is left out). ``group`` takes as parts every column under that
    header instead (本年收入 → its sources). ``under`` restricts the total's lookup."""

    tables: tuple[str, ...]
    total: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...] = ()
    group: str | None = None
    under: str | None = None
    side: str | None = None
    name: str = ""
    #: how many of the first ``parts`` must be printed for the check to apply
    required: int = 2


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


ROW_TOTALS: tuple[RowTotal, ...] = (
    RowTotal(("expenditure", "general_expenditure", "fund_expenditure", "capital_expenditure"),
             ("合计",), (("基本支出",), ("项目支出",), ("经营支出", "事业单位经营支出"),
                        ("上解上级支出",), ("对附属单位补助支出",)),
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
    RowTotal(("three_public",), ("合计", "三公经费合计"),
             (("因公出国（境）费", "因公出国(境)费"), ("公务用车购置及运行费", "公务用车购置及运维费"),
              ("公务接待费",)),
             name="三公 合计 = 出国 + 公务用车 + 接待", required=3),
    RowTotal(("three_public",), ("公务用车购置及运行费", "公务用车购置及运维费"),
             (("公务用车购置费", "购置费"), ("公务用车运行费", "公务用车运维费", "运行费", "运维费")),
             name="公务用车 = 购置费 + 运维费"),
)

ROW_SUMS: tuple[RowSum, ...] = (
    RowSum("three_public", ("合计", "三公经费合计", "“三公”经费合计"),
           (("因公出国（境）费",), ("公务用车购置及运行费", "公务用车购置及运维费"), ("公务接待费",)),
           name="三公 合计 = 出国 + 公务用车 + 接待"),
    RowSum("three_public", ("公务用车购置及运行费", "公务用车购置及运维费"),
           (("公务用车购置费", "购置费"), ("公务用车运行费", "公务用车运维费", "运行费", "运维费")),
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


# ---------------------------------------------------------------------------- engine

_Z = Decimal(0)


def _amounts(row: Row) -> dict[str, Decimal]:
    """Column → amount of the row's printed numbers (fast path of the checks)."""
    return {c.column: c.value for c in row.cells if c.value is not None}


def _balanced(total: Decimal | None, parts: list[Decimal | None]) -> bool:
    return (total or _Z) == sum((p for p in parts if p is not None), _Z)


def _row_total_checks(doc: Disclosure, decl: RowTotal) -> Iterator[Finding]:
    for table in doc.tables:
        if table.id not in decl.tables:
            continue
        total_col = find_column(table, *decl.total, under=decl.under)
        if total_col is None:
            continue
        if decl.group is not None:
            parts = columns_under(table, decl.group, exclude=decl.total)
        else:
            found = [find_column(table, *alts) for alts in decl.parts]
            if any(c is None for c in found[:decl.required]):
                continue
            parts = [c for c in found if c is not None]
        parts = [p for p in parts if p != total_col]
        if len(parts) < 2 and not (decl.group and parts):
            continue
        for row in table.rows:
            if decl.side is not None and row_side(row) != decl.side:
                continue
            am = _amounts(row)
            if not am or _balanced(am.get(total_col), [am.get(p) for p in parts]):
                continue
            t = term(table, row, total_col)
            ps = [term(table, row, p) for p in parts]
            if not t.printed and not any(p.printed for p in ps):
                continue
            f = compare_sum("row-total", t, ps)
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
    columns. A difference within 0.005 per part is a rounding warning."""
    for decl in ROW_TOTALS:
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
    rows, and the 合计 row the sum of the 类 rows. Only rows printed in the table take
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

_THIS_YEAR = {"收入": ("本年收入合计", "收入本年合计", "本年收入"),
              "支出": ("本年支出合计", "支出本年合计", "本年支出")}
_GRAND = {"收入": ("收入总计", "收入合计"), "支出": ("支出总计", "支出合计")}


def _side_rows(table: Table, side: str) -> list[Row]:
    return [r for r in table.rows if row_side(r) == side and key(r.label)]


def _balance_side(table: Table, side: str) -> Iterator[Finding]:
    rows = _side_rows(table, side)
    this = find_row(table, *_THIS_YEAR[side], side=side)
    grand = find_row(table, *_GRAND[side], side=side)
    if this is None:
        return
    i = rows.index(this)
    items = rows[:i]
    after = rows[i + 1:]
    carry = [r for r in after if "结转" in r.label or "结余" in r.label]
    for col in amount_columns(table, side):
        t = term(table, this, col)
        ps = [term(table, r, col) for r in items]
        if t.printed or any(p.printed for p in ps):
            f = compare_sum("balance", t, ps)
            if f is not None:
                yield f
        if grand is not None:
            g = term(table, grand, col)
            parts = [t] + ([term(table, carry[0], col)] if carry else [])
            f = compare_sum("balance", g, parts)
            if f is not None:
                yield f
    # 年初结转 = Σ its fund-type rows (the rows printed between it and the grand total)
    if carry and grand is not None:
        j, k = after.index(carry[0]), after.index(grand) if grand in after else len(after)
        subs = [r for r in after[j + 1:k] if r is not grand]
        if subs:
            for col in amount_columns(table, side):
                t = term(table, carry[0], col)
                ps = [term(table, r, col) for r in subs]
                if t.printed or any(p.printed for p in ps):
                    f = compare_sum("balance", t, ps)
                    if f is not None:
                        yield f


def _missing_rows(table: Table) -> Iterator[Finding]:
    for side in ("收入", "支出"):  # 本年合计 rows are optional (Shanghai prints none)
        for labels in (_GRAND[side],):
            if find_row(table, *labels, side=side) is None:
                yield Finding("balance", "error", f"“{table.title}”{side}方缺少“{labels[0]}”行",
                              (table.id,), None, (), labels[0], None, table.location)


@rule("balance", severity="error", family="arithmetic",
      summary="收支总表平衡：本年合计 = Σ各项，总计 = 本年合计 + 结转，收入总计 = 支出总计")
def balance(doc: Disclosure) -> Iterator[Finding]:
    """In the two-sided tables (``summary``, ``fiscal_summary``): each side prints its
    总计 row (a missing one is an error); on each side the 本年
    收入/支出合计 equals the sum of the items printed above it; the 总计 equals the 本年合计
    plus the carry-over row (上年结转结余 / 年终结转结余); a carry-over row equals its
    fund-type rows; and 收入总计 equals 支出总计 (first amount column of each side)."""
    for table in doc.tables:
        if table.id not in ("summary", "fiscal_summary") or table.empty:
            continue
        yield from _missing_rows(table)
        yield from _balance_side(table, "收入")
        yield from _balance_side(table, "支出")
        gi = find_row(table, *_GRAND["收入"], side="收入")
        ge = find_row(table, *_GRAND["支出"], side="支出")
        if gi is None or ge is None:
            continue
        ci, ce = amount_columns(table, "收入"), amount_columns(table, "支出")
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


def _identity(doc: Disclosure, ident: Identity, class_codes: dict[str, str]) -> Iterator[Finding]:
    left = _series(doc, ident.left, class_codes)
    if left is None:
        return
    rights = [_series(doc, r, class_codes) for r in ident.right]
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
    for ident in IDENTITIES:
        yield from _identity(doc, ident, codes)
