"""Rules on classification codes and names: against the catalogue for the document's
year (unknown codes, names that differ, obsolete names), the shape of codes (level and
parent), and the required detail (function classes to 项, basic expenditure to 款)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from yusuan.audit.common import key, row_side
from yusuan.audit.finding import Finding, cell_ref
from yusuan.audit.identities import ECONOMIC_TABLES, FUNCTION_TABLES, accepted_labels
from yusuan.audit.registry import rule
from yusuan.model import Disclosure, Row, Table
from yusuan.model.codes import parent

if TYPE_CHECKING:
    from yusuan.catalog import Catalog, Entry, Scheme



@lru_cache(maxsize=1)
def _catalog() -> Catalog | None:
    try:
        from yusuan.catalog import load_catalog
    except ImportError:  # pragma: no cover - the catalogue ships with the package
        return None
    return load_catalog()


# The packaged catalogue is read once and never changes: its look-ups are remembered
# (every document asks for the same few hundred codes and names).


@lru_cache(maxsize=16384)
def _nk(name: str) -> str:
    from yusuan.catalog import name_key

    return name_key(name)


@lru_cache(maxsize=16384)
def _get(scheme: Scheme, code: str, year: int | None) -> Entry | None:
    cat = _catalog()
    return cat.get(scheme, code, year) if cat is not None else None


@lru_cache(maxsize=16384)
def _names(scheme: Scheme, code: str) -> tuple[Entry, ...]:
    cat = _catalog()
    return cat.names(scheme, code) if cat is not None else ()


@lru_cache(maxsize=16384)
def _find_name(scheme: Scheme, name: str, year: int | None) -> bool:
    cat = _catalog()
    return bool(cat.find_name(scheme, name, year)) if cat is not None else False


@lru_cache(maxsize=16384)
def _renamed(scheme: Scheme, name: str, year: int | None) -> Entry | None:
    cat = _catalog()
    return cat.renamed(scheme, name, year) if cat is not None else None


def _scheme(table: Table) -> Scheme | None:
    if table.id in FUNCTION_TABLES:
        return "function"
    if table.id in ECONOMIC_TABLES:
        return "economic"
    return None


def _coded(doc: Disclosure) -> Iterator[tuple[Table, Scheme, Row]]:
    for t in doc.tables:
        s = _scheme(t)
        if s is None:
            continue
        for r in t.rows:
            if r.code:
                yield t, s, r


def _f(rule_id: str, severity: str, msg: str, table: Table, row: Row,
       expected: str | None, actual: str | None) -> Finding:
    first = row.cells[0] if row.cells else None
    ref = cell_ref(table, row, first)
    return Finding(rule_id, severity, msg, (table.id,), None,  # type: ignore[arg-type]
                   (ref,), expected, actual, row.location)


_SCHEME_ZH = {"function": "支出功能分类", "economic": "部门预算支出经济分类"}


@rule("code-unknown", severity="warning", family="catalog",
      summary="科目编码在该年度的分类目录中不存在")
def code_unknown(doc: Disclosure) -> Iterator[Finding]:
    """A code printed in a function or economic table that the catalogue does not know
    for the document's year. The shipped catalogue is partial (see docs/catalog.md), so
    this is a warning: a code never seen in any year is more suspicious than one the
    catalogue knows only for other years, and the message says which."""
    cat = _catalog()
    if cat is None:
        return
    for t, s, r in _coded(doc):
        code = r.code or ""
        if _get(s, code, doc.year) is not None:
            continue
        other = _names(s, code)
        if other:
            msg = (f"科目编码 {code}（{r.label}）在 {doc.year} 年的{_SCHEME_ZH[s]}中不存在"
                   f"（目录中该编码适用于 {other[-1].period}）")
        else:
            msg = f"科目编码 {code}（{r.label}）不在{_SCHEME_ZH[s]}目录中"
        yield _f("code-unknown", "warning", msg, t, r, None, code)


@rule("name-mismatch", severity="warning", family="catalog",
      summary="科目名称与该年度分类目录中的名称不一致")
def name_mismatch(doc: Disclosure) -> Iterator[Finding]:
    """The name printed for a known code differs from the catalogue's name for the
    document's year (spaces, bracket width and quote marks ignored). An obsolete name
    (one the code had in an earlier year) is reported by ``name-obsolete`` instead. A
    name matched only against a low-confidence catalogue entry is ``info``."""
    cat = _catalog()
    if cat is None:
        return
    for t, s, r in _coded(doc):
        e = _get(s, r.code or "", doc.year)
        if e is None or _nk(e.name) == _nk(r.label) or key(e.name) == key(r.label):
            continue
        if any(_nk(o.name) == _nk(r.label) for o in _names(s, e.code)):
            continue  # an old or later name: name-obsolete
        sev = "info" if e.confidence == "low" else "warning"
        yield _f("name-mismatch", sev,
                 f"科目 {e.code} 的名称“{r.label}”与 {doc.year} 年分类目录的“{e.name}”不一致",
                 t, r, e.name, r.label)


@rule("name-obsolete", severity="error", family="catalog",
      summary="使用了已更名科目的旧名称（如 210 写作“医疗卫生与计划生育支出”）")
def name_obsolete(doc: Disclosure) -> Iterator[Finding]:
    """A row printed with a name its code had in another period but not in the
    document's year (210 医疗卫生与计划生育支出 until 2018, now 卫生健康支出; 20805
    行政事业单位离退休 until 2022). The same check applies to the class rows of the
    summary tables, which are printed without codes."""
    cat = _catalog()
    if cat is None or doc.year is None:
        return
    for t, s, r in _coded(doc):
        current = _get(s, r.code or "", doc.year)
        if current is None:
            continue
        if _nk(current.name) == _nk(r.label):
            continue
        if any(_nk(o.name) == _nk(r.label) for o in _names(s, current.code)):
            yield _f("name-obsolete", "error",
                     f"科目 {current.code} 在 {doc.year} 年名为“{current.name}”，表中仍用旧名称“{r.label}”",
                     t, r, current.name, r.label)
    for t in doc.tables:
        if t.id not in ("summary", "fiscal_summary"):
            continue
        for r in t.rows:
            if row_side(r) != "支出" or not key(r.label):
                continue
            new = _renamed("function", key(r.label), doc.year)
            if new is not None and new.level == "类":
                yield _f("name-obsolete", "error",
                         f"“{key(r.label)}”是旧名称，{doc.year} 年 {new.code} 类名为“{new.name}”",
                         t, r, new.name, key(r.label))


@rule("code-structure", severity="error", family="catalog",
      summary="科目编码的级次或上级不对（位数不对、上级科目未列出）")
def code_structure(doc: Disclosure) -> Iterator[Finding]:
    """Function codes have 3, 5 or 7 digits and economic codes 3 or 5; every 款 and 项
    printed has its parent (the code's first 3 or 5 digits) printed in the same table;
    and the rows of a table are in code order under their parents."""
    for t in doc.tables:
        s = _scheme(t)
        if s is None:
            continue
        allowed = (3, 5, 7) if s == "function" else (3, 5)
        codes = {r.code for r in t.rows if r.code}
        for r in t.rows:
            code = r.code
            if not code:
                continue
            if len(code) not in allowed:
                yield _f("code-structure", "error",
                         f"科目编码 {code}（{r.label}）位数不对：{_SCHEME_ZH[s]}编码应为"
                         f"{'3、5 或 7' if s == 'function' else '3 或 5'} 位", t, r, None, code)
                continue
            p = parent(code)
            if p is not None and p not in codes:
                yield _f("code-structure", "error",
                         f"科目 {code}（{r.label}）的上级科目 {p} 未在表中列出", t, r, p, None)


@rule("detail-level", severity="error", family="catalog",
      summary="细化程度：功能分类公开到项级，基本支出经济分类公开到款级")
def detail_level(doc: Disclosure) -> Iterator[Finding]:
    """Function classification is published down to 项 (a 类 or 款 row with an amount
    must have children down to 7-digit codes), and basic expenditure by economic class
    down to 款 (a 3-digit 类 row with an amount must have 5-digit rows) — 财预〔2016〕143号."""
    for t in doc.tables:
        s = _scheme(t)
        if s is None:
            continue
        deepest = 7 if s == "function" else 5
        codes = [r.code for r in t.rows if r.code]
        for r in t.rows:
            code = r.code
            if not code or len(code) >= deepest or all(c.value in (None, 0) for c in r.cells):
                continue
            if not any(c != code and c.startswith(code) and len(c) == len(code) + 2 for c in codes):
                level = "项" if s == "function" else "款"
                yield _f("detail-level", "error",
                         f"科目 {code}（{r.label}）未细化到{level}级", t, r, level, None)


#: Income items of the two-sided summary tables (all regions seen; numbering stripped).
INCOME_ITEMS = frozenset(key(x) for x in (
    "一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算财政拨款", "一般公共预算财政拨款收入",
    "政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算财政拨款", "政府性基金预算财政拨款收入",
    "国有资本经营预算拨款收入", "国有资本经营预算拨款", "国有资本经营预算财政拨款",
    "国有资本经营预算财政拨款收入", "财政专户管理资金收入", "财政专户管理资金", "财政专户核拨收入",
    "单位资金", "单位资金收入", "事业收入", "事业单位经营收入", "经营收入", "上级补助收入",
    "附属单位上缴收入", "其他收入", "财政拨款收入", "本年收入合计", "收入本年合计", "上年结转结余",
    "上年结转", "年初结转结余", "年初财政拨款结转和结余", "收入总计", "用事业基金弥补收支差额",
    "一般公共预算", "政府性基金", "政府性基金预算", "国有资本经营预算", "上年结转和结余",
))
EXPENDITURE_ITEMS = frozenset(key(x) for x in (
    "本年支出合计", "支出本年合计", "年终结转结余", "年末结转结余", "年末财政拨款结转和结余",
    "结转下年", "支出总计",
))


SUMMARY_TABLES = ("summary", "fiscal_summary", "final_summary", "final_fiscal_summary")


@rule("summary-row-name", severity="warning", family="catalog",
      summary="收支总表的行名称是该年度的功能分类类名或标准收入、合计项目")
def summary_row_name(doc: Disclosure) -> Iterator[Finding]:
    """In the two-sided summary tables (budget and 决算), every expenditure row is a
    function class named as in the catalogue for the document's year (regional lines
    such as Hebei's 人行科目 included), or a total or carry-over row; every income row is
    one of the standard income items (一般公共预算拨款收入 … 单位资金, 上年结转结余, 收入总计
    and their variants) or a label of the region's and year's label set declared in
    ``identities.SUMMARY_LABELS`` (Shanghai's 1.一般公共预算资金 under 一、财政拨款收入;
    the 决算 template's 使用非财政拨款结余, 年初结转和结余 …). Anything else — a typo, a
    renamed line — is a warning."""
    cat = _catalog()
    for t in doc.tables:
        if t.id not in SUMMARY_TABLES:
            continue
        extra_in = accepted_labels(doc.region, doc.year, t.id, "收入")
        extra_out = accepted_labels(doc.region, doc.year, t.id, "支出")
        for r in t.rows:
            k = key(r.label)
            if not k:
                continue
            side = row_side(r)
            if side == "收入":
                if k not in INCOME_ITEMS and k not in extra_in:
                    yield _f("summary-row-name", "warning", f"收入项目“{r.label}”不是标准的收入项目名称",
                             t, r, None, r.label)
            elif side == "支出" and k not in EXPENDITURE_ITEMS and k not in extra_out and cat is not None:
                if _find_name("function", k, doc.year):
                    continue
                if _renamed("function", k, doc.year) is not None:
                    continue  # name-obsolete reports it
                yield _f("summary-row-name", "warning",
                         f"支出项目“{r.label}”不是 {doc.year} 年功能分类的类名", t, r, None, r.label)
