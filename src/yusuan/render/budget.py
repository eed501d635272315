"""The budget input a finance officer fills in once, at the finest level.

A budget is a YAML/JSON file (validated by ``schema/budget.schema.json``) or an Excel
workbook (``render.workbook``); both become the frozen :class:`Budget` below. Amounts are
``Decimal`` in the input unit (``unit``, 元 by default); display rounding is the
renderer's job. Every problem found in the input is collected with its place (the YAML
path, or the sheet and cell) and reported all at once as :class:`BudgetError` records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("schema") / "budget.schema.json"

#: Fund types (资金性质) a line can have, and the income column each feeds.
FUNDS: tuple[str, ...] = (
    "一般公共预算",
    "政府性基金",
    "国有资本经营",
    "财政专户",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
    "上年结转",
)
FISCAL_FUNDS: tuple[str, ...] = FUNDS[:3]
UNIT_FUNDS: tuple[str, ...] = FUNDS[4:9]

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class BudgetError:
    """One problem in the input: ``place`` is ``lines[3].basic`` or ``支出明细!D7``."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}：{self.message}"


class InvalidBudget(ValueError):
    """The input has problems; ``errors`` lists all of them with their places."""

    def __init__(self, source: str, errors: Iterable[BudgetError]) -> None:
        self.source = source
        self.errors = tuple(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{source}：预算填报内容有 {len(self.errors)} 处问题：\n{lines}")


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """A unit of the department (机构设置表 row)."""

    name: str
    nature: str = ""
    level: str = ""
    funding: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """An expenditure line by function 项 code (7 digits) and fund type."""

    code: str
    name: str
    fund: str = "一般公共预算"
    basic: Decimal = ZERO
    project: Decimal = ZERO
    operating: Decimal = ZERO
    remit: Decimal = ZERO
    subsidy: Decimal = ZERO
    note: str = ""

    @property
    def total(self) -> Decimal:
        return self.basic + self.project + self.operating + self.remit + self.subsidy


@dataclass(frozen=True, slots=True)
class EconomicLine:
    """General-public-budget basic expenditure by economic 款 code (5 digits)."""

    code: str
    name: str
    personnel: Decimal = ZERO
    public: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public


@dataclass(frozen=True, slots=True)
class ThreePublic:
    """ "三公"经费 of this year and last year, with the officer's reasons for changes.
    Keys of ``reasons``: abroad, car_purchase, car_running, reception."""

    abroad: Decimal = ZERO
    car_purchase: Decimal = ZERO
    car_running: Decimal = ZERO
    reception: Decimal = ZERO
    last_abroad: Decimal = ZERO
    last_car_purchase: Decimal = ZERO
    last_car_running: Decimal = ZERO
    last_reception: Decimal = ZERO
    reasons: Mapping[str, str] = field(default_factory=dict)

    @property
    def car(self) -> Decimal:
        return self.car_purchase + self.car_running

    @property
    def total(self) -> Decimal:
        return self.abroad + self.car + self.reception

    @property
    def last_total(self) -> Decimal:
        return self.last_abroad + self.last_car_purchase + self.last_car_running + self.last_reception


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    level1: str
    level2: str
    level3: str
    description: str
    value: str
    basis: str = ""


@dataclass(frozen=True, slots=True)
class ProjectInput:
    """A project with its 绩效目标表; ``plan`` is (label, cumulative percent or None)."""

    code: str
    name: str
    fiscal: Decimal
    other: Decimal
    purpose: str
    plan: tuple[tuple[str, Decimal | None], ...]
    goal: str
    indicators: tuple[IndicatorInput, ...]

    @property
    def amount(self) -> Decimal:
        return self.fiscal + self.other


@dataclass(frozen=True, slots=True)
class ProcurementItem:
    project: str
    item: str
    category: str = "货物"
    catalog_no: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    price: Decimal | None = None
    amount: Decimal = ZERO
    fund: str = "一般公共预算"
    sme: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class AssetItem:
    name: str
    quantity: Decimal | None = None
    value: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class SubGoal:
    title: str
    goal: str
    indicators: str


@dataclass(frozen=True, slots=True)
class Texts:
    """What the officer writes. Each list item is a paragraph."""

    duties: tuple[str, ...] = ()
    overall_goal: tuple[str, ...] = ()
    sub_goals: tuple[SubGoal, ...] = ()
    measures: tuple[str, ...] = ()
    project_summary: str = ""
    basic_change_reason: str = ""
    project_change_reason: str = ""
    special_funds: str = "无。"
    other: str = "我部门无其他需要说明的事项。"
    intro: str = ""


@dataclass(frozen=True, slots=True)
class Budget:
    """The whole input. Amounts are in ``unit`` (元 or 万元)."""

    department: str
    department_code: str
    year: int
    profile: str = "hebei"
    scope: str = "部门"
    unit: str = "元"
    region: str | None = None
    units: tuple[OrgUnit, ...] = ()
    lines: tuple[Line, ...] = ()
    economic: tuple[EconomicLine, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    last_total: Decimal | None = None
    last_basic: Decimal | None = None
    last_project: Decimal | None = None
    three_public: ThreePublic = field(default_factory=ThreePublic)
    office_cost: Decimal = ZERO
    last_office_cost: Decimal | None = None
    office_units: int | None = None
    projects: tuple[ProjectInput, ...] = ()
    procurement: tuple[ProcurementItem, ...] = ()
    assets: tuple[AssetItem, ...] = ()
    assets_date: str = ""
    assets_total: Decimal = ZERO
    planned_assets: Decimal = ZERO
    texts: Texts = field(default_factory=Texts)
    source: str = "budget"


# ----------------------------------------------------------------------------- loading


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of the input."""
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def _place(path: Iterable[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "（根）"


_SCHEMA_WORDS = {
    "required": "缺少必填项",
    "type": "类型不对",
    "pattern": "格式不对",
    "enum": "取值不在允许范围内",
    "additionalProperties": "有未知的字段",
    "minimum": "数值过小",
    "minItems": "至少需要一项",
}


def _schema_errors(data: Any) -> list[BudgetError]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors: list[BudgetError] = []
    for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        word = _SCHEMA_WORDS.get(str(e.validator), "不符合填报格式")
        detail = ""
        if e.validator == "required":
            missing = [k for k in e.validator_value if isinstance(e.instance, dict) and k not in e.instance]
            detail = "：" + "、".join(missing)
        elif e.validator == "enum":
            detail = "（可选：" + "、".join(map(str, e.validator_value)) + "）"
        elif e.validator == "additionalProperties" and isinstance(e.instance, dict):
            allowed = set(e.schema.get("properties", {}))
            detail = "：" + "、".join(k for k in e.instance if k not in allowed)
        elif e.validator == "type":
            detail = f"（应为{_TYPE_WORDS.get(str(e.validator_value), str(e.validator_value))}）"
        elif e.validator == "pattern":
            detail = f"（{e.instance!s}）"
        errors.append(BudgetError(_place(e.absolute_path), word + detail))
    return errors


_TYPE_WORDS = {
    "string": "文字",
    "number": "数字",
    "integer": "整数",
    "object": "一组字段",
    "array": "列表",
    "['number', 'string']": "金额",
}


def amount(value: Any) -> Decimal:
    """An amount as entered: number, or text with optional thousands separators."""
    if value is None or value == "":
        return ZERO
    if isinstance(value, bool):
        raise InvalidOperation(str(value))
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).replace(",", "").replace("，", "").strip())


def _opt_amount(value: Any) -> Decimal | None:
    return None if value is None or value == "" else amount(value)


def _percent(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return amount(str(value).rstrip("%"))


def from_data(data: Mapping[str, Any], source: str = "budget") -> Budget:
    """Build a :class:`Budget` from data that passed the schema (raises ``InvalidBudget``
    with every problem otherwise)."""
    errors = _schema_errors(data)
    if errors:
        raise InvalidBudget(source, errors)
    budget = _build(data, source)
    errors = check(budget)
    if errors:
        raise InvalidBudget(source, errors)
    return budget


def _build(data: Mapping[str, Any], source: str) -> Budget:
    dept = data["department"]
    texts = data.get("texts", {})
    tp = data.get("three_public", {})
    last = tp.get("last_year", {})
    prior = data.get("last_year", {})
    office = data.get("office_cost", {})
    assets = data.get("assets", {})
    return Budget(
        department=dept["name"],
        department_code=str(dept.get("code", "")),
        year=int(data["year"]),
        profile=data.get("profile", "hebei"),
        scope=data.get("scope", "部门"),
        unit=data.get("unit", "元"),
        region=data.get("region"),
        units=tuple(
            OrgUnit(u["name"], u.get("nature", ""), u.get("level", ""), u.get("funding", ""))
            for u in data.get("units", [])
        ),
        lines=tuple(
            Line(
                code=str(x["code"]),
                name=x.get("name", ""),
                fund=x.get("fund", "一般公共预算"),
                basic=amount(x.get("basic")),
                project=amount(x.get("project")),
                operating=amount(x.get("operating")),
                remit=amount(x.get("remit")),
                subsidy=amount(x.get("subsidy")),
                note=x.get("note", ""),
            )
            for x in data.get("lines", [])
        ),
        economic=tuple(
            EconomicLine(str(x["code"]), x.get("name", ""), amount(x.get("personnel")), amount(x.get("public")))
            for x in data.get("economic", [])
        ),
        names={str(k): str(v) for k, v in data.get("names", {}).items()},
        last_total=_opt_amount(prior.get("total")),
        last_basic=_opt_amount(prior.get("basic")),
        last_project=_opt_amount(prior.get("project")),
        three_public=ThreePublic(
            abroad=amount(tp.get("abroad")),
            car_purchase=amount(tp.get("car_purchase")),
            car_running=amount(tp.get("car_running")),
            reception=amount(tp.get("reception")),
            last_abroad=amount(last.get("abroad")),
            last_car_purchase=amount(last.get("car_purchase")),
            last_car_running=amount(last.get("car_running")),
            last_reception=amount(last.get("reception")),
            reasons=dict(tp.get("reasons", {})),
        ),
        office_cost=amount(office.get("amount")),
        last_office_cost=_opt_amount(office.get("last_year")),
        office_units=office.get("units"),
        projects=tuple(_project(p) for p in data.get("projects", [])),
        procurement=tuple(
            ProcurementItem(
                project=p.get("project", ""),
                item=p["item"],
                category=p.get("category", "货物"),
                catalog_no=str(p.get("catalog_no", "")),
                unit=p.get("unit", ""),
                quantity=_opt_amount(p.get("quantity")),
                price=_opt_amount(p.get("price")),
                amount=amount(p.get("amount")),
                fund=p.get("fund", "一般公共预算"),
                sme=amount(p.get("sme")),
            )
            for p in data.get("procurement", [])
        ),
        assets=tuple(
            AssetItem(a["name"], _opt_amount(a.get("quantity")), amount(a.get("value")))
            for a in assets.get("items", [])
        ),
        assets_date=str(assets.get("date", f"{int(data['year']) - 1}-12-31")),
        assets_total=amount(assets.get("total")),
        planned_assets=amount(assets.get("planned")),
        texts=Texts(
            duties=tuple(texts.get("duties", [])),
            overall_goal=tuple(texts.get("overall_goal", [])),
            sub_goals=tuple(
                SubGoal(g["title"], g.get("goal", ""), g.get("indicators", "")) for g in texts.get("sub_goals", [])
            ),
            measures=tuple(texts.get("measures", [])),
            project_summary=texts.get("project_summary", ""),
            basic_change_reason=texts.get("basic_change_reason", ""),
            project_change_reason=texts.get("project_change_reason", ""),
            special_funds=texts.get("special_funds", "无。"),
            other=texts.get("other", "我部门无其他需要说明的事项。"),
            intro=texts.get("intro", ""),
        ),
        source=source,
    )


def _project(p: Mapping[str, Any]) -> ProjectInput:
    return ProjectInput(
        code=str(p.get("code", "")),
        name=p["name"],
        fiscal=amount(p.get("fiscal")),
        other=amount(p.get("other")),
        purpose=p.get("purpose", ""),
        plan=tuple((str(s["label"]), _percent(s.get("percent"))) for s in p.get("plan", [])),
        goal=p.get("goal", ""),
        indicators=tuple(
            IndicatorInput(
                i.get("level1", ""),
                i.get("level2", ""),
                i.get("level3", ""),
                i.get("description", ""),
                str(i.get("value", "")),
                i.get("basis", ""),
            )
            for i in p.get("indicators", [])
        ),
    )


def load_budget(path: str | Path) -> Budget:
    """Read a budget from YAML, JSON or an Excel workbook (raises ``InvalidBudget``)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from yusuan.render.workbook import read_workbook

        return read_workbook(p)
    import yaml

    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidBudget(str(path), [BudgetError("（文件）", "文件不存在")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidBudget(str(path), [BudgetError("（文件）", f"无法读取（{e}）")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else "（文件）"
        raise InvalidBudget(str(path), [BudgetError(where, "YAML 格式错误")]) from None
    if not isinstance(data, dict):
        raise InvalidBudget(str(path), [BudgetError("（根）", "内容应为一组字段")])
    return from_data(data, str(path))


def validate(data: Mapping[str, Any] | Budget, source: str = "budget") -> list[BudgetError]:
    """Every problem of the input (schema and arithmetic), with its place; empty when fine."""
    if isinstance(data, Budget):
        return check(data)
    errors = _schema_errors(data)
    if errors:
        return errors
    try:
        return check(_build(data, source))
    except InvalidOperation:
        return [BudgetError("（根）", "金额格式不对")]


# ----------------------------------------------------------------------------- checks


def check(b: Budget, places: Mapping[str, str] | None = None) -> list[BudgetError]:
    """Checks beyond the schema: codes, duplicates, names, and the sums that tie the
    parts together. ``places`` maps YAML paths to workbook cells when read from Excel."""
    where = dict(places or {})

    def err(path: str, msg: str) -> None:
        errors.append(BudgetError(where.get(path, path), msg))

    errors: list[BudgetError] = []
    seen: dict[tuple[str, str], int] = {}
    for i, ln in enumerate(b.lines):
        if not (ln.code.isdigit() and len(ln.code) == 7):
            err(f"lines[{i}].code", f"功能分类科目应填到项级（7 位数字），现为“{ln.code}”")
        if ln.fund not in FUNDS:
            err(f"lines[{i}].fund", f"资金性质“{ln.fund}”不在允许范围内")
        key = (ln.code, ln.fund)
        if key in seen:
            err(f"lines[{i}].code", f"科目 {ln.code}（{ln.fund}）与第 {seen[key] + 1} 行重复")
        seen[key] = i
        for fld in ("basic", "project", "operating", "remit", "subsidy"):
            if getattr(ln, fld) < 0:
                err(f"lines[{i}].{fld}", "金额不能为负数")
    for i, e in enumerate(b.economic):
        if not (e.code.isdigit() and len(e.code) == 5):
            err(f"economic[{i}].code", f"经济分类科目应填到款级（5 位数字），现为“{e.code}”")
        if e.personnel < 0 or e.public < 0:
            err(f"economic[{i}]", "金额不能为负数")
    codes = [e.code for e in b.economic]
    for i, c in enumerate(codes):
        if c in codes[:i]:
            err(f"economic[{i}].code", f"经济分类科目 {c} 重复")
    errors.extend(BudgetError(where.get(p, p), m) for p, m in _missing_names(b))
    gp_basic = sum((ln.basic for ln in b.lines if ln.fund == "一般公共预算"), ZERO)
    econ = sum((e.total for e in b.economic), ZERO)
    if b.economic and econ != gp_basic:
        err(
            "economic",
            f"经济分类基本支出合计 {econ} 与功能分类一般公共预算基本支出合计 {gp_basic} 不一致",
        )
    proj = sum((ln.project for ln in b.lines), ZERO)
    pin = sum((p.amount for p in b.projects), ZERO)
    if b.projects and pin > proj:
        err("projects", f"项目预算数合计 {pin} 超过项目支出合计 {proj}")
    for i, p in enumerate(b.projects):
        last = None
        for j, (_, pct) in enumerate(p.plan):
            if pct is not None:
                if pct < 0 or pct > 100:
                    err(f"projects[{i}].plan[{j}].percent", "支出进度应在 0 到 100 之间")
                if last is not None and pct < last:
                    err(f"projects[{i}].plan[{j}].percent", "支出进度应为累计数，不能减少")
                last = pct
    known = b.last_total is not None and b.last_basic is not None and b.last_project is not None
    if known and b.last_basic + b.last_project != b.last_total:  # type: ignore[operator]
            err("last_year.total", "上年预算合计不等于上年基本支出与项目支出之和")
    return errors


def _missing_names(b: Budget) -> list[tuple[str, str]]:
    from yusuan.render.names import function_name

    out: list[tuple[str, str]] = []
    needed: dict[str, str] = {}
    for i, ln in enumerate(b.lines):
        if not ln.code.isdigit() or len(ln.code) != 7:
            continue
        if not ln.name and function_name(ln.code, b.year, b.names) is None:
            needed.setdefault(ln.code, f"lines[{i}].name")
        for c in (ln.code[:5], ln.code[:3]):
            if function_name(c, b.year, b.names) is None:
                needed.setdefault(c, f"lines[{i}].code")
    for code, place in needed.items():
        out.append((place, f"科目 {code} 的名称未知，请在 names 中填写"))
    return out
