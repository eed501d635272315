"""The comparison pages: the store's analysis views drawn as Plotly charts.

Charts are plain figure dicts (``{"data": [...], "layout": {...}}``) put in the page as JSON
data blocks and drawn by ``static/app.js`` with the Plotly bundle served from ``/static``
(never a CDN). The JSON twin of the page carries the same dicts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

WAN = 10000.0
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, sans-serif", "size": 13}


def _f(v: Any) -> float | None:
    if v is None:
        return None
    return float(v) if isinstance(v, Decimal | int | float) else float(str(v))


def _wan(v: Any) -> float | None:
    x = _f(v)
    return None if x is None else round(x / WAN, 2)


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "font": FONT, "margin": {"t": 48, "l": 60, "r": 20, "b": 60},
            "paper_bgcolor": "#fff", "plot_bgcolor": "#fff", **extra}


def _rows(store: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cols, rows = store.query(sql, params or [])
    return [dict(zip(cols, r, strict=True)) for r in rows]


def treemap(store: Any, year: int | None) -> dict[str, Any]:
    """Spending by function class (类 → 款), summed over the current documents of ``year``."""
    where, params = "code_level IN ('类', '款')", []
    if year is not None:
        where += " AND year = ?"
        params.append(year)
    rows = _rows(store, f"SELECT code, any_value(name) AS name, sum(total) AS total FROM function_spending "
                        f"WHERE {where} GROUP BY code ORDER BY code", params)
    ids, labels, parents, values = [], [], [], []
    known = {r["code"] for r in rows}
    for r in rows:
        if not r["total"]:
            continue
        code = str(r["code"])
        parent = code[:3] if len(code) > 3 and code[:3] in known else ""
        ids.append(code)
        labels.append(f"{code} {r['name'] or ''}")
        parents.append(parent)
        values.append(_wan(r["total"]))
    data = [{"type": "treemap", "ids": ids, "labels": labels, "parents": parents, "values": values,
             "branchvalues": "total", "hovertemplate": "%{label}<br>%{value} 万元<extra></extra>"}]
    return {"data": data, "layout": _layout("支出功能分类（万元）")}


def basic_project(store: Any, year: int | None, limit: int = 25) -> dict[str, Any]:
    """Basic vs project spending of the largest departments."""
    where, params = "expenditure_total IS NOT NULL", []
    if year is not None:
        where += " AND year = ?"
        params.append(year)
    rows = _rows(store, f"SELECT department, year, basic_total, project_total, expenditure_total FROM "
                        f"department_figures WHERE {where} ORDER BY expenditure_total DESC LIMIT {int(limit)}", params)
    names = [f"{r['department'] or '未识别'} {r['year'] or ''}" for r in rows]
    data = [
        {"type": "bar", "name": "基本支出", "x": names, "y": [_wan(r["basic_total"]) for r in rows]},
        {"type": "bar", "name": "项目支出", "x": names, "y": [_wan(r["project_total"]) for r in rows]},
    ]
    return {"data": data, "layout": _layout("基本支出与项目支出（万元）", barmode="stack")}


def three_public_years(store: Any) -> dict[str, Any]:
    """三公 spending over the years (all current documents summed)."""
    rows = _rows(store, "SELECT year, sum(abroad) AS abroad, sum(vehicles) AS vehicles, "
                        "sum(reception) AS reception FROM department_figures WHERE year IS NOT NULL "
                        "GROUP BY year ORDER BY year")
    years = [str(r["year"]) for r in rows]
    data = [{"type": "bar", "name": name, "x": years, "y": [_wan(r[key]) for r in rows]}
            for key, name in (("abroad", "因公出国（境）费"), ("vehicles", "公务用车购置及运行费"),
                              ("reception", "公务接待费"))]
    return {"data": data, "layout": _layout("“三公”经费历年（万元）", barmode="group")}


def side_by_side(store: Any, departments: list[str], year: int | None) -> dict[str, Any]:
    """Departments side by side: total, basic, project, 三公."""
    if not departments:
        return {"data": [], "layout": _layout("部门对比（请选择部门）")}
    marks = ", ".join("?" for _ in departments)
    params: list[Any] = list(departments)
    where = f"department IN ({marks})"
    if year is not None:
        where += " AND year = ?"
        params.append(year)
    rows = _rows(store, f"SELECT department, year, expenditure_total, basic_total, project_total, "
                        f"three_public_total FROM department_figures WHERE {where} ORDER BY department, year",
                 params)
    names = [f"{r['department']} {r['year'] or ''}" for r in rows]
    data = [{"type": "bar", "name": name, "x": names, "y": [_wan(r[key]) for r in rows]}
            for key, name in (("expenditure_total", "支出合计"), ("basic_total", "基本支出"),
                              ("project_total", "项目支出"), ("three_public_total", "“三公”经费"))]
    return {"data": data, "layout": _layout("部门对比（万元）", barmode="group")}


def history_chart(history: list[dict[str, Any]]) -> dict[str, Any]:
    """A department's totals over the years (from the ``department_years`` view)."""
    years = [str(h["year"]) for h in history]
    data = [{"type": "scatter", "mode": "lines+markers", "name": name, "x": years,
             "y": [_wan(h.get(key)) for h in history]}
            for key, name in (("expenditure_total", "支出合计"), ("basic_total", "基本支出"),
                              ("project_total", "项目支出"), ("three_public_total", "“三公”经费"))]
    return {"data": data, "layout": _layout("历年变化（万元）")}


def install(app: FastAPI) -> None:
    from yusuan.web.routes import page

    @app.get("/analysis", response_class=HTMLResponse, tags=["页面"])
    def analysis(request: Request, year: int | None = None) -> Response:
        """对比与分析：功能分类树图、基本与项目支出、“三公”经费历年、部门对比。"""
        store = request.app.state.store
        chosen = [d for d in request.query_params.getlist("department") if d][:12]
        years = [r["year"] for r in _rows(store, "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL "
                                                 "ORDER BY year DESC")]
        deps = [r["department"] for r in _rows(store, "SELECT DISTINCT department FROM documents "
                                                      "WHERE department IS NOT NULL ORDER BY 1")]
        if not chosen:
            chosen = [r["department"] for r in _rows(
                store, "SELECT department FROM department_figures WHERE department IS NOT NULL "
                       "GROUP BY 1 ORDER BY max(expenditure_total) DESC NULLS LAST LIMIT 5")]
        charts = {
            "treemap": treemap(store, year),
            "basic_project": basic_project(store, year),
            "three_public": three_public_years(store),
            "compare": side_by_side(store, chosen, year),
        }
        data = {"year": year, "years": years, "departments": deps, "chosen": chosen, "charts": charts}
        return page(request, "analysis.html", data, title="对比与分析")
