"""The budget workbook: the Excel form of the budget input.

``write_template(year, profile)`` gives a blank workbook with a 填报说明 sheet, one sheet
per part of the input, drop-downs (data validation) for fund types, indicator levels and
the function/economic codes of the catalogue, and number validation on amounts.
``read_workbook(path)`` reads a filled workbook into the same data as the YAML form and
validates it, reporting every problem with its sheet and cell (``支出明细!D7``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import InvalidOperation
from pathlib import Path
from typing import Any

from yusuan.render.budget import (
    FUNDS,
    Budget,
    BudgetError,
    InvalidBudget,
    _build,
    _schema_errors,
    check,
)


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """A list sheet: its title, the YAML key, and its columns (header, field, kind)."""

    title: str
    key: str
    columns: tuple[tuple[str, str, str], ...]
    note: str


KV = "基本信息"
#: (label, YAML path, kind) of the 基本信息 sheet
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("部门（单位）编码", "department.code", "text"),
    ("部门（单位）名称", "department.name", "text"),
    ("预算年度", "year", "int"),
    ("地区模板", "profile", "profile"),
    ("部门/单位", "scope", "scope"),
    ("填报金额单位", "unit", "unit"),
    ("上年预算合计", "last_year.total", "amount"),
    ("上年基本支出", "last_year.basic", "amount"),
    ("上年项目支出", "last_year.project", "amount"),
    ("机关运行经费", "office_cost.amount", "amount"),
    ("上年机关运行经费", "office_cost.last_year", "amount"),
    ("机关运行经费涉及单位数", "office_cost.units", "int"),
    ("上年末固定资产总额", "assets.total", "amount"),
    ("本年拟购置固定资产", "assets.planned", "amount"),
    ("资产统计截止日期", "assets.date", "text"),
    ("项目支出主要用途", "texts.project_summary", "text"),
    ("基本支出增减原因", "texts.basic_change_reason", "text"),
    ("项目支出增减原因", "texts.project_change_reason", "text"),
    ("编制范围说明", "texts.intro", "text"),
    ("专项资金说明", "texts.special_funds", "text"),
    ("其他需要说明的事项", "texts.other", "text"),
)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "机构设置",
        "units",
        (
            ("单位名称", "name", "text"),
            ("单位性质", "nature", "nature"),
            ("单位规格", "level", "text"),
            ("经费保障形式", "funding", "text"),
        ),
        "每个所属单位一行。",
    ),
    SheetSpec(
        "支出明细",
        "lines",
        (
            ("功能分类科目编码（项）", "code", "function"),
            ("科目名称", "name", "text"),
            ("资金性质", "fund", "fund"),
            ("基本支出", "basic", "amount"),
            ("项目支出", "project", "amount"),
            ("经营支出", "operating", "amount"),
            ("上解上级支出", "remit", "amount"),
            ("对附属单位补助支出", "subsidy", "amount"),
            ("主要用途", "note", "text"),
        ),
        "按功能分类项级科目（7 位）和资金性质每行填一笔；类、款和合计由系统汇总。",
    ),
    SheetSpec(
        "基本支出经济分类",
        "economic",
        (
            ("经济分类科目编码（款）", "code", "economic"),
            ("科目名称", "name", "text"),
            ("人员经费", "personnel", "amount"),
            ("公用经费", "public", "amount"),
        ),
        "一般公共预算财政拨款基本支出按经济分类款级科目（5 位）填报；合计应等于支出明细中一般公共预算基本支出之和。",
    ),
    SheetSpec(
        "科目名称",
        "names",
        (("科目编码", "code", "text"), ("科目名称", "name", "text")),
        "目录中没有的类、款科目名称（或需要替换的名称）。",
    ),
    SheetSpec(
        "项目",
        "projects",
        (
            ("项目编码", "code", "text"),
            ("项目名称", "name", "text"),
            ("财政资金", "fiscal", "amount"),
            ("其他资金", "other", "amount"),
            ("资金用途", "purpose", "text"),
            ("绩效目标", "goal", "text"),
            ("支出计划（如 3月底:;6月底:;10月底:70;12月底:100）", "plan", "plan"),
        ),
        "每个项目一行；绩效指标填在“绩效指标”表。",
    ),
    SheetSpec(
        "绩效指标",
        "indicators",
        (
            ("项目名称", "project", "text"),
            ("一级指标", "level1", "level1"),
            ("二级指标", "level2", "text"),
            ("三级指标", "level3", "text"),
            ("绩效指标描述", "description", "text"),
            ("指标值", "value", "text"),
            ("指标值确定依据", "basis", "text"),
        ),
        "每个指标一行，项目名称须与“项目”表一致。",
    ),
    SheetSpec(
        "三公经费",
        "three",
        (
            ("项目", "item", "fixed"),
            ("本年预算", "this", "amount"),
            ("上年预算", "last", "amount"),
            ("增减原因", "reason", "text"),
        ),
        "四行已列出，只填金额和原因。",
    ),
    SheetSpec(
        "政府采购",
        "procurement",
        (
            ("项目名称", "project", "text"),
            ("采购物品名称", "item", "text"),
            ("采购类别", "category", "category"),
            ("政府采购目录序号", "catalog_no", "text"),
            ("计量单位", "unit", "text"),
            ("数量", "quantity", "amount"),
            ("单价", "price", "amount"),
            ("采购金额", "amount", "amount"),
            ("资金性质", "fund", "fund"),
            ("预留中小企业份额", "sme", "amount"),
        ),
        "每个采购品目一行。",
    ),
    SheetSpec(
        "固定资产",
        "assets.items",
        (("项目", "name", "text"), ("数量", "quantity", "amount"), ("价值", "value", "amount")),
        "上年末固定资产占用情况。",
    ),
    SheetSpec(
        "说明文字",
        "texts",
        (
            ("类别", "kind", "textkind"),
            ("标题", "title", "text"),
            ("内容", "text", "text"),
            ("绩效指标（分项目标用）", "indicators", "text"),
        ),
        "部门职责、总体绩效目标、分项绩效目标、保障措施，每段一行，按顺序。",
    ),
)

THREE_ITEMS = (
    ("因公出国（境）费", "abroad"),
    ("公务用车购置费", "car_purchase"),
    ("公务用车运行维护费", "car_running"),
    ("公务接待费", "reception"),
)
TEXT_KINDS = {"部门职责": "duties", "总体绩效目标": "overall_goal", "分项绩效目标": "sub_goals", "保障措施": "measures"}
LISTS = {
    "fund": FUNDS,
    "profile": ("hebei", "shanghai"),
    "scope": ("部门", "单位"),
    "unit": ("元", "万元"),
    "nature": ("行政", "参公事业", "事业", "企业", "其他"),
    "level1": ("产出指标", "效益指标", "满意度指标", "成本指标"),
    "category": ("货物", "工程", "服务"),
    "textkind": tuple(TEXT_KINDS),
}

INSTRUCTIONS = (
    "预算填报工作簿（yusuan）",
    "",
    "1. 按工作表逐项填写；金额按“基本信息”中的填报金额单位（默认元）填写，不必四舍五入，显示时由系统统一保留两位小数。",
    "2. 支出明细按功能分类项级科目（7 位数字）和资金性质每行填一笔，基本支出和项目支出分列；"
    "类、款、合计和各张公开表由系统计算。",
    "3. 基本支出经济分类表填一般公共预算财政拨款基本支出，按经济分类款级科目（5 位数字），人员经费和公用经费分列。",
    "4. 带下拉箭头的单元格请从列表中选择；科目编码列表来自系统科目目录，目录中没有的类、款名称请填在“科目名称”表。",
    "5. 填好后运行：yusuan render 本文件.xlsx --to html,pdf,xlsx,docx,md -o 输出文件夹",
    "6. 填报有误时，系统一次列出全部问题，并指出所在工作表和单元格。",
)


def _codes(scheme: str, level: str, year: int) -> list[str]:
    try:
        from yusuan.catalog import load_catalog

        cat = load_catalog()
        out = []
        for e in cat.entries:
            if e.scheme != scheme or e.level != level:
                continue
            if (e.valid_from or 0) <= year <= (e.valid_to or 9999):
                out.append(e.code)
        return sorted(set(out))
    except Exception:  # the catalogue only feeds the drop-downs
        return []


def write_template(year: int, profile: str = "hebei", budget: Budget | None = None) -> bytes:
    """A blank budget workbook (``budget`` is accepted for future pre-filling)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    del budget
    wb = Workbook()
    ws = wb.active
    ws.title = "填报说明"
    for i, line in enumerate(INSTRUCTIONS, start=1):
        ws.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120

    lists = wb.create_sheet("代码表")
    columns: dict[str, str] = {}
    all_lists: dict[str, tuple[str, ...]] = dict(LISTS)
    all_lists["function"] = tuple(_codes("function", "项", year))
    all_lists["economic"] = tuple(_codes("economic", "款", year))
    for j, (name, values) in enumerate(all_lists.items(), start=1):
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=name)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=j, value=v).number_format = "@"
        if values:
            columns[name] = f"代码表!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    head_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    kv = wb.create_sheet(KV)
    kv["A1"], kv["B1"] = "项目", "填写内容"
    kv["A1"].font = kv["B1"].font = head_font
    defaults = {"year": year, "profile": profile, "scope": "部门", "unit": "元"}
    for i, (label, path, kind) in enumerate(FIELDS, start=2):
        kv.cell(row=i, column=1, value=label)
        cell = kv.cell(row=i, column=2, value=defaults.get(path))
        cell.fill = fill
        if kind == "text":
            cell.number_format = "@"
        _validate_cell(kv, f"B{i}", kind, columns, DataValidation)
    kv.column_dimensions["A"].width = 24
    kv.column_dimensions["B"].width = 60

    for spec in SHEETS:
        sh = wb.create_sheet(spec.title)
        sh.cell(row=1, column=1, value=spec.note).font = Font(italic=True, color="555555")
        for j, (header, _, kind) in enumerate(spec.columns, start=1):
            from openpyxl.utils import get_column_letter

            c = sh.cell(row=2, column=j, value=header)
            c.font, c.fill = head_font, fill
            letter = get_column_letter(j)
            sh.column_dimensions[letter].width = 14 if kind == "amount" else 24
            if kind in ("text", "function", "economic"):
                for r in range(3, 203):
                    sh.cell(row=r, column=j).number_format = "@"
            _validate_cell(sh, f"{letter}3:{letter}1000", kind, columns, DataValidation)
        sh.freeze_panes = "A3"
        if spec.key == "three":
            for i, (label, _) in enumerate(THREE_ITEMS, start=3):
                sh.cell(row=i, column=1, value=label)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _validate_cell(ws: Any, ref: str, kind: str, columns: Mapping[str, str], dv_cls: Any) -> None:
    if kind in columns:
        dv = dv_cls(
            type="list",
            formula1=f"={columns[kind]}",
            allow_blank=True,
            showErrorMessage=kind not in ("function", "economic"),
        )
        dv.error, dv.errorTitle = "请从下拉列表中选择。", "填报有误"
        if kind in ("function", "economic"):
            dv.prompt, dv.promptTitle = "可从目录选择，也可直接填写目录外的编码。", "科目编码"
            dv.showInputMessage = True
    elif kind == "amount":
        dv = dv_cls(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True
        )
        dv.error, dv.errorTitle = "请填写不小于 0 的数字。", "金额有误"
    elif kind == "int":
        dv = dv_cls(
            type="whole", operator="between", formula1="0", formula2="2100", allow_blank=True, showErrorMessage=True
        )
        dv.error, dv.errorTitle = "请填写整数。", "填报有误"
    else:
        return
    ws.add_data_validation(dv)
    dv.add(ref)


# ----------------------------------------------------------------------------- reading


def is_budget_workbook(path: str | Path) -> bool:
    """True when ``path`` is a budget workbook (has the 基本信息 and 支出明细 sheets)."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        names = set(wb.sheetnames)
        wb.close()
    except Exception:
        return False
    return KV in names and "支出明细" in names


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _value(v: Any, kind: str) -> Any:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if kind == "amount":
        return v if isinstance(v, int | float) and not isinstance(v, bool) else _text(v)
    if kind == "int":
        try:
            return int(v)
        except (TypeError, ValueError):
            return _text(v)
    return _text(v)


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    d = data
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    d[keys[-1]] = value


def _rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for i, row in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3):
        if any(v is not None and str(v).strip() for v in row):
            yield i, row


def read_workbook(path: str | Path) -> Budget:
    """A filled budget workbook → Budget (raises ``InvalidBudget`` listing every problem
    with its sheet and cell)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    source = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise InvalidBudget(source, [BudgetError("（文件）", "无法打开工作簿")]) from None
    missing = [s for s in (KV, "支出明细") if s not in wb.sheetnames]
    if missing:
        raise InvalidBudget(source, [BudgetError("（文件）", f"缺少工作表：{'、'.join(missing)}")])
    data: dict[str, Any] = {}
    places: dict[str, str] = {}
    labels = {label: (p, kind) for label, p, kind in FIELDS}
    for i, row in enumerate(wb[KV].iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None or str(row[0]).strip() not in labels:
            continue
        p, kind = labels[str(row[0]).strip()]
        places[p] = f"{KV}!B{i}"
        v = _value(row[1] if len(row) > 1 else None, kind)
        if v is not None:
            _put(data, p, v)
    projects: dict[str, dict[str, Any]] = {}
    for spec in SHEETS:
        if spec.title not in wb.sheetnames:
            continue
        items: list[dict[str, Any]] = []
        for r, row in _rows(wb[spec.title]):
            item: dict[str, Any] = {}
            n = len(items)
            for j, (_, fld, kind) in enumerate(spec.columns):
                v = _value(row[j] if j < len(row) else None, kind)
                places[f"{spec.key}[{n}].{fld}"] = f"{spec.title}!{get_column_letter(j + 1)}{r}"
                if v is not None:
                    item[fld] = v
            places[f"{spec.key}[{n}]"] = f"{spec.title}!A{r}"
            items.append(item)
        _store(spec, items, data, places, projects)
    wb.close()
    errors = [BudgetError(places.get(e.place, e.place), e.message) for e in _schema_errors(data)]
    if errors:
        raise InvalidBudget(source, errors)
    try:
        budget = _build(data, source)
    except InvalidOperation:
        raise InvalidBudget(source, [BudgetError("（文件）", "金额格式不对")]) from None
    errors = check(budget, places)
    if errors:
        raise InvalidBudget(source, errors)
    return budget


def _store(
    spec: SheetSpec,
    items: list[dict[str, Any]],
    data: dict[str, Any],
    places: dict[str, str],
    projects: dict[str, dict[str, Any]],
) -> None:
    if spec.key == "names":
        data["names"] = {i["code"]: i.get("name", "") for i in items if "code" in i}
    elif spec.key == "projects":
        for i in items:
            if "plan" in i:
                i["plan"] = _plan(str(i["plan"]))
            i.setdefault("indicators", [])
            projects[str(i.get("name", ""))] = i
        data["projects"] = items
    elif spec.key == "indicators":
        for n, i in enumerate(items):
            proj = projects.get(str(i.pop("project", "")))
            if proj is None:
                data.setdefault("projects", [])
                # an indicator for an unknown project: make the schema report it at its cell
                data["projects"].append({"indicators": [i]})
                places[f"projects[{len(data['projects']) - 1}]"] = places.get(f"indicators[{n}].project", "")
                continue
            i.setdefault("level1", "")
            i.setdefault("level2", "")
            i.setdefault("level3", "")
            i.setdefault("value", "")
            proj["indicators"].append(i)
    elif spec.key == "three":
        tp: dict[str, Any] = {"last_year": {}, "reasons": {}}
        for i in items:
            key = dict(THREE_ITEMS).get(str(i.get("item", "")))
            if key is None:
                continue
            if "this" in i:
                tp[key] = i["this"]
            if "last" in i:
                tp["last_year"][key] = i["last"]
            if i.get("reason"):
                tp["reasons"][key] = i["reason"]
        data["three_public"] = tp
    elif spec.key == "assets.items":
        data.setdefault("assets", {})["items"] = items
    elif spec.key == "texts":
        texts = data.setdefault("texts", {})
        for i in items:
            kind = TEXT_KINDS.get(str(i.get("kind", "")))
            if kind == "sub_goals":
                texts.setdefault("sub_goals", []).append(
                    {"title": i.get("title", ""), "goal": i.get("text", ""), "indicators": i.get("indicators", "")}
                )
            elif kind:
                texts.setdefault(kind, []).append(i.get("text", ""))
    else:
        data[spec.key] = items


def _plan(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        label, _, pct = part.replace("：", ":").partition(":")
        step: dict[str, Any] = {"label": label.strip()}
        if pct.strip():
            step["percent"] = pct.strip().rstrip("%")
        out.append(step)
    return out


def budget_to_workbook(budget_yaml: Mapping[str, Any], year: int | None = None) -> bytes:
    """A workbook filled from YAML-form data (for tests and for converting inputs)."""
    from openpyxl import load_workbook

    y = int(year or budget_yaml.get("year", 2024))
    wb = load_workbook(io.BytesIO(write_template(y, str(budget_yaml.get("profile", "hebei")))))
    kv = wb[KV]
    for i, (_, p, _) in enumerate(FIELDS, start=2):
        v: Any = budget_yaml
        for k in p.split("."):
            v = v.get(k) if isinstance(v, Mapping) else None
        kv.cell(row=i, column=2, value=v)
    projects = list(budget_yaml.get("projects", []))
    three = budget_yaml.get("three_public", {})
    texts = budget_yaml.get("texts", {})
    rows: dict[str, list[dict[str, Any]]] = {
        "units": list(budget_yaml.get("units", [])),
        "lines": list(budget_yaml.get("lines", [])),
        "economic": list(budget_yaml.get("economic", [])),
        "names": [{"code": k, "name": v} for k, v in budget_yaml.get("names", {}).items()],
        "projects": [
            {**p, "plan": ";".join(f"{s['label']}:{s.get('percent', '') or ''}" for s in p.get("plan", []))}
            for p in projects
        ],
        "indicators": [{**i, "project": p["name"]} for p in projects for i in p.get("indicators", [])],
        "three": [
            {
                "item": label,
                "this": three.get(k),
                "last": three.get("last_year", {}).get(k),
                "reason": three.get("reasons", {}).get(k),
            }
            for label, k in THREE_ITEMS
        ],
        "procurement": list(budget_yaml.get("procurement", [])),
        "assets.items": list(budget_yaml.get("assets", {}).get("items", [])),
        "texts": [
            {"kind": label, "text": t} for label, k in TEXT_KINDS.items() if k != "sub_goals" for t in texts.get(k, [])
        ]
        + [
            {
                "kind": "分项绩效目标",
                "title": g["title"],
                "text": g.get("goal", ""),
                "indicators": g.get("indicators", ""),
            }
            for g in texts.get("sub_goals", [])
        ],
    }
    for spec in SHEETS:
        sh = wb[spec.title]
        for n, item in enumerate(rows.get(spec.key, [])):
            for j, (_, fld, _) in enumerate(spec.columns, start=1):
                v = item.get(fld)
                if v is not None and not isinstance(v, int | float | str):
                    v = str(v)
                sh.cell(row=3 + n, column=j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
