"""Exports of the current documents: CSV, Parquet, Excel, and a Fiscal Data Package.

The Fiscal Data Package (``datapackage.json`` + ``budget.csv``) follows the Fiscal Data
Package 1.0 model that OpenSpending loads: one row per amount of the 支出总表 and of the
基本支出表, with the function classification (类/款/项) and the economic classification
(类/款) as hierarchical dimensions (each level an attribute with its ``parent``), the
department as the administrative dimension, the year as the date dimension, and the
amount in 元 as the measure. It is validated with ``frictionless`` (Table Schema and
data), which reports every problem.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yusuan.store.db import Store

EXPORT_VIEWS: tuple[str, ...] = ("documents", "facts", "findings", "doc_tables", "claims")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportResult:
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _rows(store: Store, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    rel = store.cursor().execute(sql)
    return [d[0] for d in rel.description or ()], rel.fetchall()


def export_duckdb(store: Store, out: str | Path, fmt: str) -> ExportResult:
    """Each view as ``<view>.csv`` or ``<view>.parquet`` (written by DuckDB's COPY)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    option = "(FORMAT csv, HEADER true)" if fmt == "csv" else "(FORMAT parquet)"
    for view in EXPORT_VIEWS:
        target = folder / f"{view}.{fmt}"
        exclude = " EXCLUDE (tables)" if view == "findings" and fmt == "csv" else ""
        extra = ", array_to_string(tables, ' ') AS tables" if exclude else ""
        path = str(target).replace("'", "''")
        store.cursor().execute(f"COPY (SELECT *{exclude}{extra} FROM {view}) TO '{path}' {option}")
        result.files.append(str(target))
        n = store.cursor().execute(f"SELECT count(*) FROM {view}").fetchone()
        result.rows[view] = int(n[0]) if n else 0
    return result


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_xlsx(store: Store, out: str | Path) -> ExportResult:
    """One workbook ``yusuan.xlsx``, a sheet per view (split at Excel's row limit);
    amounts stay numbers, text that starts with = + - @ is neutralised."""
    from decimal import Decimal

    from openpyxl import Workbook

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    result = ExportResult()
    limit = 1_048_575
    for view in EXPORT_VIEWS:
        columns, rows = _rows(store, f"SELECT * FROM {view}")
        result.rows[view] = len(rows)
        for part in range(0, max(len(rows), 1), limit):
            ws = wb.create_sheet(view if part == 0 else f"{view}_{part // limit + 1}")
            ws.append(columns)
            for r in rows[part:part + limit]:
                ws.append([float(v) if isinstance(v, Decimal) else
                           neutralise(" ".join(v) if isinstance(v, list) else v) for v in r])
    target = folder / "yusuan.xlsx"
    wb.save(target)
    result.files.append(str(target))
    return result


# -- Fiscal Data Package --------------------------------------------------------------------

BUDGET_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("document_id", "string", "文档编号"),
    ("department", "string", "部门"),
    ("region", "string", "地区"),
    ("year", "integer", "年度"),
    ("kind", "string", "预算/决算"),
    ("scope", "string", "部门/单位"),
    ("table", "string", "表（规范编号）"),
    ("column", "string", "栏目"),
    ("func_class_code", "string", "功能分类 类"),
    ("func_class_name", "string", "功能分类 类名称"),
    ("func_section_code", "string", "功能分类 款"),
    ("func_section_name", "string", "功能分类 款名称"),
    ("func_item_code", "string", "功能分类 项"),
    ("func_item_name", "string", "功能分类 项名称"),
    ("econ_class_code", "string", "经济分类 类"),
    ("econ_class_name", "string", "经济分类 类名称"),
    ("econ_section_code", "string", "经济分类 款"),
    ("econ_section_name", "string", "经济分类 款名称"),
    ("amount", "number", "金额（元）"),
)

_BUDGET_SQL = """
    WITH leaf AS (
        -- the most detailed rows only (项 for function, 款 for economic), so sums never
        -- count a parent and its children twice
        SELECT f.* FROM facts f
        WHERE f.code IS NOT NULL
          AND ((f.table_id = 'expenditure' AND f.column_path IN ('基本支出', '项目支出'))
            OR (f.table_id = 'general_basic_expenditure'
                AND (f.column_path LIKE '%人员经费' OR f.column_path LIKE '%公用经费')))
          AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.document_id = f.document_id
                AND c.table_index = f.table_index AND c.code <> f.code
                AND starts_with(c.code, f.code))
    ), names AS (
        SELECT DISTINCT ON (document_id, table_index, code) document_id, table_index, code, item
        FROM facts WHERE code IS NOT NULL
    )
    SELECT l.document_id, l.department, coalesce(l.region, '') AS region, l.year, l.kind, l.scope,
           l.table_id AS "table", l.column_path AS "column",
           CASE WHEN l.classification = 'function' THEN left(l.code, 3) END AS func_class_code,
           CASE WHEN l.classification = 'function' THEN n3.item END AS func_class_name,
           CASE WHEN l.classification = 'function' AND length(l.code) >= 5 THEN left(l.code, 5) END
               AS func_section_code,
           CASE WHEN l.classification = 'function' AND length(l.code) >= 5 THEN n5.item END
               AS func_section_name,
           CASE WHEN l.classification = 'function' AND length(l.code) = 7 THEN l.code END
               AS func_item_code,
           CASE WHEN l.classification = 'function' AND length(l.code) = 7 THEN l.item END
               AS func_item_name,
           CASE WHEN l.classification = 'economic' THEN left(l.code, 3) END AS econ_class_code,
           CASE WHEN l.classification = 'economic' THEN n3.item END AS econ_class_name,
           CASE WHEN l.classification = 'economic' AND length(l.code) = 5 THEN l.code END
               AS econ_section_code,
           CASE WHEN l.classification = 'economic' AND length(l.code) = 5 THEN l.item END
               AS econ_section_name,
           l.yuan AS amount
    FROM leaf l
    LEFT JOIN names n3 ON n3.document_id = l.document_id AND n3.table_index = l.table_index
         AND n3.code = left(l.code, 3)
    LEFT JOIN names n5 ON n5.document_id = l.document_id AND n5.table_index = l.table_index
         AND n5.code = left(l.code, 5)
    ORDER BY l.department, l.year, l.table_index, l.code, l.column_path
"""


def _attr(source: str, parent: str | None = None, label_for: str | None = None) -> dict[str, Any]:
    a: dict[str, Any] = {"source": source}
    if parent:
        a["parent"] = parent
    if label_for:
        a["labelfor"] = label_for
    return a


def fdp_descriptor(rows: int) -> dict[str, Any]:
    """The ``datapackage.json`` of the budget resource (Fiscal Data Package 1.0)."""
    return {
        "name": "yusuan-budget",
        "title": "部门预算公开数据（yusuan 导出）",
        "profile": "fiscal-data-package",
        "countryCode": "CN",
        "currencyCode": "CNY",
        "granularity": "transactional",
        "fiscalPeriod": {"start": "", "end": ""},
        "licenses": [{"name": "other-pd", "title": "政府公开信息"}],
        "resources": [{
            "name": "budget",
            "path": "budget.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "count_of_rows": rows,
            "schema": {
                "fields": [{"name": n, "type": t, "title": title} for n, t, title in BUDGET_FIELDS],
                "missingValues": [""],
            },
        }],
        "model": {
            "measures": {
                "amount": {"source": "amount", "currency": "CNY", "factor": 1,
                           "title": "金额（元）"},
            },
            "dimensions": {
                "administrative-classification": {
                    "dimensionType": "classification", "classificationType": "administrative",
                    "attributes": {"department": _attr("department"),
                                   "region": _attr("region")},
                    "primaryKey": ["department"],
                },
                "date": {
                    "dimensionType": "datetime",
                    "attributes": {"year": _attr("year")}, "primaryKey": ["year"],
                },
                "functional-classification": {
                    "dimensionType": "classification", "classificationType": "functional",
                    "attributes": {
                        "class_code": _attr("func_class_code"),
                        "class_name": _attr("func_class_name", label_for="class_code"),
                        "section_code": _attr("func_section_code", parent="class_code"),
                        "section_name": _attr("func_section_name", label_for="section_code"),
                        "item_code": _attr("func_item_code", parent="section_code"),
                        "item_name": _attr("func_item_name", label_for="item_code"),
                    },
                    "primaryKey": ["class_code", "section_code", "item_code"],
                },
                "economic-classification": {
                    "dimensionType": "classification", "classificationType": "economic",
                    "attributes": {
                        "class_code": _attr("econ_class_code"),
                        "class_name": _attr("econ_class_name", label_for="class_code"),
                        "section_code": _attr("econ_section_code", parent="class_code"),
                        "section_name": _attr("econ_section_name", label_for="section_code"),
                    },
                    "primaryKey": ["class_code", "section_code"],
                },
                "budget-line": {
                    "dimensionType": "other",
                    "attributes": {"table": _attr("table"), "column": _attr("column"),
                                   "kind": _attr("kind"), "scope": _attr("scope"),
                                   "document_id": _attr("document_id")},
                    "primaryKey": ["document_id", "table", "column"],
                },
            },
        },
    }


def export_fdp(store: Store, out: str | Path) -> ExportResult:
    """``budget.csv`` + ``datapackage.json``, validated with frictionless."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    columns, rows = _rows(store, _BUDGET_SQL)
    with (folder / "budget.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if v is None else format(v, "f") if k == len(r) - 1 else v
                        for k, v in enumerate(r)])
    years = sorted({r[3] for r in rows if r[3] is not None})
    descriptor = fdp_descriptor(len(rows))
    if years:
        descriptor["fiscalPeriod"] = {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"}
    else:
        del descriptor["fiscalPeriod"]
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    result = ExportResult(files=[str(folder / "datapackage.json"), str(folder / "budget.csv")],
                          rows={"budget": len(rows)})
    result.errors = validate_package(folder / "datapackage.json")
    return result


def validate_package(path: str | Path) -> list[str]:
    """Problems in the package: frictionless validates the descriptor, the Table Schema
    and every row; the Fiscal Data Package model is checked here (every attribute's source
    is a field, every parent an attribute of the same dimension, every measure a number).
    frictionless would download the fiscal-data-package profile to check the model, which
    must not happen offline, so it validates against the (bundled) data-package profile."""
    from frictionless import FrictionlessException, Package, system

    folder = Path(path).parent
    descriptor = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = model_problems(descriptor)
    offline = dict(descriptor, profile="data-package")
    try:
        with system.use_context(trusted=True):
            report = Package(offline, basepath=str(folder)).validate()
    except FrictionlessException as e:
        return [*problems, f"{e.error.type}: {e.error.message}"]
    problems += [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]
    problems += [f"{e.type}: {e.message}" for e in report.errors]
    return problems


def model_problems(descriptor: dict[str, Any]) -> list[str]:
    fields = {f["name"]: f["type"] for r in descriptor.get("resources", [])
              for f in r.get("schema", {}).get("fields", [])}
    model = descriptor.get("model", {})
    out = []
    for name, m in model.get("measures", {}).items():
        if fields.get(m.get("source")) not in ("number", "integer"):
            out.append(f"fdp-model: measure {name} source {m.get('source')} is not a numeric field")
    for dname, dim in model.get("dimensions", {}).items():
        attrs = dim.get("attributes", {})
        for aname, attr in attrs.items():
            if attr.get("source") not in fields:
                out.append(f"fdp-model: {dname}.{aname} source {attr.get('source')} is not a field")
            for ref in ("parent", "labelfor"):
                if ref in attr and attr[ref] not in attrs:
                    out.append(f"fdp-model: {dname}.{aname} {ref} {attr[ref]} is not an attribute")
        for key in dim.get("primaryKey", []):
            if key not in attrs:
                out.append(f"fdp-model: {dname} primaryKey {key} is not an attribute")
    return out


def export(store: Store, out: str | Path, fmt: str) -> ExportResult:
    if fmt in ("csv", "parquet"):
        return export_duckdb(store, out, fmt)
    if fmt == "xlsx":
        return export_xlsx(store, out)
    if fmt == "fdp":
        return export_fdp(store, out)
    raise ValueError(fmt)


def list_files(result: ExportResult) -> Sequence[str]:
    return result.files
