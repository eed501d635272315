"""Built-in analyses over the store: compare departments, a department over the years,
outliers, spending by function class; and their charts.

Every report is a :class:`Report` (title, columns, rows) computed by one SQL query over
the views of :mod:`yusuan.store.schema`, so the same numbers are available to analysts as
views. Charts come in two forms: a Plotly figure as a plain JSON-ready dict for the web
app (no Plotly import needed to build it) and a static SVG (or PNG) for reports, drawn by
:mod:`yusuan.store.charts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yusuan.store.db import Store


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def _run(store: Store, title: str, sql: str, params: list[Any]) -> Report:
    cur = store.cursor()
    rel = cur.execute(sql, params)
    columns = tuple(d[0] for d in rel.description or ())
    return Report(title, columns, tuple(tuple(r) for r in rel.fetchall()))


def _filters(**kw: Any) -> tuple[str, list[Any]]:
    where, params = [], []
    for col, val in kw.items():
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def compare(store: Store, year: int | None = None, kind: str | None = "预算",
            region: str | None = None, scope: str | None = None) -> Report:
    """Departments side by side: totals, basic vs project, 三公 and its parts, personnel
    share, in 万元, largest first."""
    where, params = _filters(year=year, kind=kind, region=region, scope=scope)
    sql = f"""
        SELECT department AS 部门, year AS 年度, kind AS 类型, scope AS 口径,
               CAST(expenditure_total / 10000 AS DECIMAL(24, 2)) AS 支出合计_万元,
               CAST(basic_total / 10000 AS DECIMAL(24, 2)) AS 基本支出_万元,
               CAST(project_total / 10000 AS DECIMAL(24, 2)) AS 项目支出_万元,
               CAST(personnel / 10000 AS DECIMAL(24, 2)) AS 人员经费_万元,
               CAST(public_funds / 10000 AS DECIMAL(24, 2)) AS 公用经费_万元,
               CAST(three_public_total / 10000 AS DECIMAL(24, 2)) AS 三公经费_万元,
               CAST(abroad / 10000 AS DECIMAL(24, 2)) AS 因公出国境_万元,
               CAST(vehicles / 10000 AS DECIMAL(24, 2)) AS 公务用车_万元,
               CAST(reception / 10000 AS DECIMAL(24, 2)) AS 公务接待_万元,
               round(100 * personnel_share, 1) AS 人员经费占比_pct,
               round(100 * project_share, 1) AS 项目支出占比_pct,
               errors AS 错误数
        FROM department_figures{where}
        ORDER BY expenditure_total DESC NULLS LAST, department"""
    return _run(store, "部门对比", sql, params)


def by_function(store: Store, year: int | None = None, level: str = "类",
                department: str | None = None, kind: str | None = "预算") -> Report:
    """Spending by function class (类/款/项) summed over the departments chosen, 万元."""
    where, params = _filters(year=year, code_level=level, department=department, kind=kind)
    sql = f"""
        SELECT code AS 科目编码, any_value(name) AS 科目名称,
               CAST(sum(total) / 10000 AS DECIMAL(24, 2)) AS 合计_万元,
               CAST(sum(basic) / 10000 AS DECIMAL(24, 2)) AS 基本支出_万元,
               CAST(sum(project) / 10000 AS DECIMAL(24, 2)) AS 项目支出_万元,
               count(DISTINCT document_id) AS 文档数
        FROM function_spending{where}
        GROUP BY code ORDER BY 合计_万元 DESC NULLS LAST, code"""
    return _run(store, f"按功能分类（{level}）", sql, params)


def over_years(store: Store, department: str, kind: str = "预算", scope: str = "部门") -> Report:
    """One department year by year: totals, changes, and whether the changes the
    explanations state agree with the stored documents."""
    sql = """
        SELECT y.year AS 年度, CAST(y.expenditure_total / 10000 AS DECIMAL(24, 2)) AS 支出合计_万元,
               CAST(y.basic_total / 10000 AS DECIMAL(24, 2)) AS 基本支出_万元,
               CAST(y.project_total / 10000 AS DECIMAL(24, 2)) AS 项目支出_万元,
               CAST(y.three_public_total / 10000 AS DECIMAL(24, 2)) AS 三公经费_万元,
               CAST(y.change_total / 10000 AS DECIMAL(24, 2)) AS 较上年增减_万元,
               round(100 * y.change_total_rate, 1) AS 增减率_pct,
               CAST(c.claimed_change / 10000 AS DECIMAL(24, 2)) AS 说明所称增减_万元,
               c.agrees AS 说明与数据一致
        FROM department_years y
        LEFT JOIN claims c ON c.document_id = y.document_id AND c.subject = 'total'
        WHERE y.department = ? AND y.kind = ? AND y.scope = ?
        ORDER BY y.year"""
    return _run(store, f"{department} 历年变化", sql, [department, kind, scope])


def claim_checks(store: Store, department: str | None = None) -> Report:
    where, params = _filters(department=department)
    sql = f"""
        SELECT department AS 部门, year AS 年度, subject AS 项目, prior_year AS 比较年度,
               CAST(claimed_change / 10000 AS DECIMAL(24, 2)) AS 说明所称_万元,
               CAST(computed_change / 10000 AS DECIMAL(24, 2)) AS 按数据计算_万元, agrees AS 一致, text AS 原文
        FROM claims{where} ORDER BY department, year, subject"""
    return _run(store, "增减说明核对", sql, params)


def outliers(store: Store, year: int | None = None) -> Report:
    """Documents whose shares lie far from the others of the same year."""
    where, params = _filters(year=year)
    sql = f"""
        SELECT department AS 部门, year AS 年度, metric AS 指标, round(value, 4) AS 数值,
               round(median, 4) AS 中位数, robust_z AS 稳健z值, document_id
        FROM outliers{where} ORDER BY abs(robust_z) DESC"""
    return _run(store, "异常值", sql, params)


REPORTS = {"compare": compare, "function": by_function, "years": over_years,
           "claims": claim_checks, "outliers": outliers}


# -- charts --------------------------------------------------------------------------------

def function_chart_data(store: Store, department: str | None = None, year: int | None = None,
                        kind: str | None = "预算") -> list[tuple[str, str, str | None, float]]:
    """(id, label, parent id, 万元) for every 类/款/项 of the chosen documents: the
    hierarchy a treemap or sunburst draws."""
    where, params = _filters(department=department, year=year, kind=kind)
    cur = store.cursor()
    rows = cur.execute(
        f"SELECT code, any_value(name), sum(total) FROM function_spending{where} "
        "GROUP BY code ORDER BY code", params).fetchall()
    out = []
    for code, name, total in rows:
        parent = code[:5] if len(code) == 7 else code[:3] if len(code) == 5 else None
        out.append((code, f"{code} {name}", parent, float(Decimal(total or 0) / 10000)))
    return out


def function_figure(store: Store, department: str | None = None, year: int | None = None,
                    kind: str | None = "预算", chart: str = "treemap") -> dict[str, Any]:
    """A Plotly treemap (or sunburst) of spending by function class, as a JSON-ready dict."""
    data = function_chart_data(store, department, year, kind)
    title = f"{department or '全部部门'} {year or ''} 支出功能分类（万元）".strip()
    return {
        "data": [{
            "type": chart, "ids": [d[0] for d in data], "labels": [d[1] for d in data],
            "parents": [d[2] or "" for d in data], "values": [round(d[3], 2) for d in data],
            "branchvalues": "total", "hovertemplate": "%{label}<br>%{value:.2f} 万元<extra></extra>",
        }],
        "layout": {"title": {"text": title}, "margin": {"t": 40, "l": 0, "r": 0, "b": 0}},
    }


def years_chart_data(store: Store, department: str, kind: str = "预算",
                     scope: str = "部门") -> tuple[list[str], dict[str, list[float]]]:
    cur = store.cursor()
    rows = cur.execute(
        "SELECT year, basic_total, project_total FROM department_years "
        "WHERE department = ? AND kind = ? AND scope = ? ORDER BY year",
        [department, kind, scope]).fetchall()
    years = [str(r[0]) for r in rows]
    series = {"基本支出": [float((r[1] or 0) / 10000) for r in rows],
              "项目支出": [float((r[2] or 0) / 10000) for r in rows]}
    return years, series


def years_figure(store: Store, department: str, kind: str = "预算",
                 scope: str = "部门") -> dict[str, Any]:
    """Plotly stacked bars of basic and project expenditure by year, as a dict."""
    years, series = years_chart_data(store, department, kind, scope)
    return {
        "data": [{"type": "bar", "name": name, "x": years, "y": [round(v, 2) for v in values]}
                 for name, values in series.items()],
        "layout": {"barmode": "stack", "title": {"text": f"{department} 历年支出（万元）"},
                   "xaxis": {"type": "category"}, "yaxis": {"title": {"text": "万元"}}},
    }
