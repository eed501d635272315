"""Rules on the projects' 绩效目标表: amounts that add up, the spending plan, the
projects against 项目支出, and indicator values that are well formed and possible."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from yusuan.audit.common import Term, compare_sum, find_column, find_row, term
from yusuan.audit.finding import CellRef, Finding, fmt
from yusuan.audit.registry import rule
from yusuan.model import Disclosure, Indicator, Location, Table

ZERO = Decimal(0)
COUNT_UNITS = ("人", "个", "次", "项", "家", "户", "辆", "台", "场", "批", "名", "期", "所", "篇",
               "件", "套", "处", "座", "条", "本", "册", "份", "人次", "户次", "场次")


def _projects(doc: Disclosure) -> Iterator[Table]:
    for t in doc.tables:
        if t.project is not None:
            yield t


def _amount_term(t: Table, *names: str) -> Term | None:
    if not t.rows:
        return None
    col = find_column(t, *names)
    return term(t, t.rows[0], col) if col is not None else None


@rule("project-amount", severity="error", family="performance",
      summary="项目预算数 = 财政资金 + 其他资金")
def project_amount(doc: Disclosure) -> Iterator[Finding]:
    """In each project's 绩效目标表, 预算数 equals 财政资金 + 其他资金 (an empty cell is
    zero)."""
    for t in _projects(doc):
        total = _amount_term(t, "预算数")
        fiscal = _amount_term(t, "财政资金")
        other = _amount_term(t, "其他资金")
        if total is None or fiscal is None:
            continue
        parts = [fiscal] + ([other] if other is not None else [])
        f = compare_sum("project-amount", total, parts, what=f"项目“{t.project.name if t.project else ''}”：")
        if f is not None:
            yield f


def _ind_ref(t: Table, ind: Indicator) -> CellRef:
    return CellRef(t.id, ind.location.page, None, None, ind.level3, "指标值", ind.value_text,
                   ind.location)


_UNIT_YUAN = {"万元": Decimal(10000), "元": Decimal(1), "亿元": Decimal(100000000)}


@rule("project-control", severity="error", family="performance",
      summary="成本指标“资金支出控制数”等于项目预算数")
def project_control(doc: Disclosure) -> Iterator[Finding]:
    """The cost indicator 资金支出控制数 (年度资金支出控制数) of a project states the
    project's 预算数 (``≤45.82万元`` for a project of 45.82 万元); any other amount is an
    error."""
    for t in _projects(doc):
        p = t.project
        total = _amount_term(t, "预算数")
        if p is None or total is None or not total.printed:
            continue
        for ind in p.indicators:
            if "资金支出控制数" not in ind.level3 + ind.description or ind.value is None:
                continue
            unit = (ind.unit or t.unit or "万元").strip()
            if unit not in _UNIT_YUAN:
                continue
            stated = ind.value * _UNIT_YUAN[unit]
            if stated == total.yuan:
                continue
            yield Finding("project-control", "error",
                          f"项目“{p.name}”的资金支出控制数 {ind.value_text} 与预算数 "
                          f"{fmt(total.value)}{t.unit or ''} 不一致",
                          (t.id,), None, (_ind_ref(t, ind), total.ref()),
                          fmt(total.value), ind.value_text, ind.location)


@rule("spending-plan", severity="error", family="performance",
      summary="资金支出计划逐期不减、不超过 100%，最后达到 100%")
def spending_plan(doc: Disclosure) -> Iterator[Finding]:
    """A project's spending plan (资金支出计划, cumulative % by 3月底/6月底/10月底/12月底)
    never decreases, never exceeds 100%, and reaches 100% at its last point."""
    for t in _projects(doc):
        p = t.project
        if p is None:
            continue
        steps = [s for s in p.plan if s.percent is not None]
        if not steps:
            continue
        prev: Decimal | None = None
        for s in steps:
            pct = s.percent or ZERO
            if pct > 100:
                yield _plan(t, s.location, f"{s.label}累计支出 {pct}% 超过 100%", "≤100%", f"{pct}%")
            if prev is not None and pct < prev:
                yield _plan(t, s.location, f"{s.label}累计支出 {pct}% 小于上一期的 {prev}%",
                            f"≥{prev}%", f"{pct}%")
            prev = pct
        last = steps[-1]
        if last.percent != 100:
            yield _plan(t, last.location, f"支出计划最后一期（{last.label}）为 {last.percent}%，应达到 100%",
                        "100%", f"{last.percent}%")


def _plan(t: Table, loc: Location, msg: str, expected: str, actual: str) -> Finding:
    name = t.project.name if t.project else t.title
    return Finding("spending-plan", "error", f"项目“{name}”：{msg}", (t.id,), None,
                   (CellRef(t.id, loc.page, None, None, "资金支出计划", "", actual, loc),),
                   expected, actual, loc)


@rule("projects-total", severity="error", family="performance",
      summary="各项目预算数之和等于项目支出合计")
def projects_total(doc: Disclosure) -> Iterator[Finding]:
    """The projects' 预算数 add up to the 项目支出 of the expenditure table's 合计 row
    (or of the general table when there is no expenditure table). More than 项目支出 is an
    error; less is a warning, since a department may publish only its key projects."""
    terms = [x for t in _projects(doc) if (x := _amount_term(t, "预算数")) is not None]
    if not terms:
        return
    for tid in ("expenditure", "general_expenditure"):
        table = doc.table(tid)
        if table is None:
            continue
        row = table.total_row() or find_row(table, "合计")
        col = find_column(table, "项目支出")
        if row is None or col is None:
            continue
        total = term(table, row, col)
        f = compare_sum("projects-total", total, terms, what="项目绩效目标表合计：")
        if f is None:
            return
        if total.yuan > sum((x.yuan for x in terms), ZERO) and f.severity == "error":
            f = Finding(f.rule, "warning", f.message + "（若未公开全部项目，请在说明中注明）",
                        f.tables, f.section, f.cells, f.expected, f.actual, f.location)
        yield f
        return


@rule("indicator-value", severity="error", family="performance",
      summary="绩效指标值格式正确且可能（比率不超过 100%，人数等计数为整数）")
def indicator_value(doc: Disclosure) -> Iterator[Finding]:
    """Each indicator value of a 绩效目标表 is possible: a percentage with ``≥``/``=``/``>``
    (or none) cannot exceed 100% (``≤120%`` is allowed); a count (人, 个, 次, 户 …) is a
    whole number; a rate indicator (三级指标 ending in 率) whose value is not a percentage
    is reported as ``info``."""
    for t in _projects(doc):
        p = t.project
        if p is None:
            continue
        for ind in p.indicators:
            unit = (ind.unit or "").strip()
            if ind.value is not None and unit in ("%", "％"):
                if ind.value > 100 and ind.comparator not in ("≤", "<", "<="):
                    yield Finding("indicator-value", "error",
                                  f"项目“{p.name}”的指标“{ind.level3}”为 {ind.value_text}，比率不可能超过 100%",
                                  (t.id,), None, (_ind_ref(t, ind),), "≤100%", ind.value_text, ind.location)
            elif ind.value is not None and unit in COUNT_UNITS and ind.value != ind.value.to_integral_value():
                yield Finding("indicator-value", "error",
                              f"项目“{p.name}”的指标“{ind.level3}”为 {ind.value_text}，计数应为整数",
                              (t.id,), None, (_ind_ref(t, ind),), "整数", ind.value_text, ind.location)
            elif ind.level3.endswith("率") and ind.value is None and ind.value_text.strip():
                yield Finding("indicator-value", "info",
                              f"项目“{p.name}”的比率指标“{ind.level3}”的指标值“{ind.value_text}”不是百分比",
                              (t.id,), None, (_ind_ref(t, ind),), "百分比", ind.value_text, ind.location)
