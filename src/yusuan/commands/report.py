"""``yusuan report compare|function|years|claims|outliers|chart|audit-quality``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from yusuan.commands._common import error_line, output

if TYPE_CHECKING:
    from yusuan.store.db import Store

F = TypeVar("F", bound=Callable[..., Any])

_FORMATS = click.Choice(["table", "csv", "json"])


def _open(db: str) -> Store:
    from yusuan.store.db import Store, StoreError

    try:
        return Store(db, read_only=True)
    except StoreError as e:
        error_line(str(e))
        raise SystemExit(2) from None


def _emit(report: object, fmt: str, out: str | None) -> None:
    from yusuan.store.present import write_rows
    from yusuan.store.reports import Report

    assert isinstance(report, Report)
    with output(out) as stream:
        write_rows(stream, report.columns, report.rows, fmt)


@click.group(name="report")
def command() -> None:
    """内置分析报告：部门对比、按功能分类、历年变化、增减说明核对、异常值、图表、审核质量。"""


def _common(f: F) -> F:
    f = click.option("--db", default="yusuan.duckdb", show_default=True, help="数据库文件")(f)
    f = click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)(f)
    out: F = click.option("-o", "--output", "out", default=None, help="输出文件")(f)
    return out


@command.command(name="compare")
@click.option("--year", type=int, default=None, help="年度")
@click.option("--region", default=None, help="地区")
@click.option("--kind", default="预算", show_default=True, help="预算或决算")
@_common
def compare_cmd(year: int | None, region: str | None, kind: str, db: str, fmt: str,
                out: str | None) -> None:
    """部门对比：支出合计、基本与项目、三公及其构成、人员经费占比。"""
    from yusuan.store.reports import compare

    with _open(db) as store:
        _emit(compare(store, year=year, kind=kind, region=region), fmt, out)


@command.command(name="function")
@click.option("--year", type=int, default=None)
@click.option("--department", default=None)
@click.option("--level", type=click.Choice(["类", "款", "项"]), default="类", show_default=True)
@_common
def function_cmd(year: int | None, department: str | None, level: str, db: str, fmt: str,
                 out: str | None) -> None:
    """按支出功能分类汇总。"""
    from yusuan.store.reports import by_function

    with _open(db) as store:
        _emit(by_function(store, year=year, level=level, department=department), fmt, out)


@command.command(name="years")
@click.argument("department")
@_common
def years_cmd(department: str, db: str, fmt: str, out: str | None) -> None:
    """一个部门的历年变化，并核对说明中的增减额。"""
    from yusuan.store.reports import over_years

    with _open(db) as store:
        _emit(over_years(store, department), fmt, out)


@command.command(name="claims")
@click.option("--department", default=None)
@_common
def claims_cmd(department: str | None, db: str, fmt: str, out: str | None) -> None:
    """说明中的“比上年增减”与数据库中上年文件的核对。"""
    from yusuan.store.reports import claim_checks

    with _open(db) as store:
        _emit(claim_checks(store, department), fmt, out)


@command.command(name="outliers")
@click.option("--year", type=int, default=None)
@_common
def outliers_cmd(year: int | None, db: str, fmt: str, out: str | None) -> None:
    """人员经费、项目支出、三公占比明显偏离同年其他文件的部门。"""
    from yusuan.store.reports import outliers

    with _open(db) as store:
        _emit(outliers(store, year), fmt, out)


@command.command(name="chart")
@click.argument("kind", type=click.Choice(["treemap", "sunburst", "years"]))
@click.option("--department", default=None, help="部门（years 图必填）")
@click.option("--year", type=int, default=None)
@click.option("--db", default="yusuan.duckdb", show_default=True)
@click.option("-o", "--output", "out", required=True,
              help="输出文件：.svg、.png，或 .json（Plotly 图形，供网页使用）")
def chart_cmd(kind: str, department: str | None, year: int | None, db: str, out: str) -> None:
    """图表：功能分类树状图（treemap/sunburst）或历年柱状图（years）。"""
    from yusuan.store import charts, reports

    if kind == "years" and not department:
        error_line("years 图需要 --department。")
        raise SystemExit(2)
    suffix = Path(out).suffix.lower()
    with _open(db) as store:
        if suffix == ".json":
            fig = (reports.years_figure(store, department or "") if kind == "years"
                   else reports.function_figure(store, department, year, chart=kind))
            Path(out).write_text(json.dumps(fig, ensure_ascii=False), encoding="utf-8")
            return
        if kind == "years":
            cats, series = reports.years_chart_data(store, department or "")
            svg = charts.bars_svg(cats, series, f"{department} 历年支出（万元）")
            size = (720, 420)
        else:
            data = reports.function_chart_data(store, department, year)
            title = f"{department or '全部部门'} {year or ''} 支出功能分类（万元）"
            svg = charts.treemap_svg(data, title)
            size = (900, 560)
    if suffix == ".png":
        try:
            charts.svg_to_png(svg, out, *size)
        except (RuntimeError, OSError) as e:
            error_line(f"{out}：{e}")
            raise SystemExit(2) from None
    else:
        Path(out).write_text(svg, encoding="utf-8")


@command.command(name="audit-quality")
@click.option("-n", "count", type=int, default=400, show_default=True, help="合成文件数")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("-j", "--jobs", type=int, default=None, help="并行进程数")
@click.option("-o", "--output", "out", default="docs/audit-quality.md", show_default=True,
              help="写入的 Markdown 文件（- 为标准输出）")
def audit_quality_cmd(count: int, seed: int, jobs: int | None, out: str) -> None:
    """在注入错误的合成语料上评估审核规则：每条规则的召回率与误报率。"""
    from yusuan.store.quality import evaluate, markdown

    result = evaluate(count, seed=seed, jobs=jobs)
    with output(out) as stream:
        stream.write(markdown(result))
