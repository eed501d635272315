"""Derivation: a :class:`~yusuan.render.budget.Budget` → a :class:`~yusuan.model.Disclosure`.

Every table is computed from the officer's lines: function-code rows are rolled up
through the hierarchy (项 → 款 → 类 → 合计), economic rows likewise (款 → 类 → 合计),
the two-sided summary tables balance by construction, and the explanations are
generated from Jinja2 templates (``templates/<profile>.txt.j2``) with the numbers.

Amounts are summed exactly in the input unit and rounded once per printed cell
(ROUND_HALF_UP to 2 decimals in the table's unit), so a 合计 is the rounded exact sum,
not the sum of rounded parts — as the budget system prints it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yusuan.model import (
    Cell,
    Column,
    Disclosure,
    Indicator,
    Location,
    Paragraph,
    Project,
    Row,
    Section,
    SpendingStep,
    Table,
    TocEntry,
)
from yusuan.model.text import int_to_cn, split_numbering
from yusuan.parse.project import parse_indicator_value
from yusuan.render.budget import FISCAL_FUNDS, UNIT_FUNDS, ZERO, Budget, ProjectInput
from yusuan.render.names import FUNCTION_CLASSES, economic_name, function_name
from yusuan.render.profiles import Profile, get_profile

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)

Agg = dict[str, Decimal]


# ----------------------------------------------------------------------------- numbers


def convert(value: Decimal, src: str, dst: str) -> Decimal:
    """``value`` in unit ``src`` expressed in ``dst``, rounded half-up to 2 decimals."""
    if src == dst:
        v = value
    elif src == "元" and dst == "万元":
        v = value / TEN_THOUSAND
    else:
        v = value * TEN_THOUSAND
    return v.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_text(value: Decimal, profile: Profile, blank_zero: bool | None = None) -> str:
    """A rounded amount as the profile prints it in tables."""
    blank = profile.blank_zero if blank_zero is None else blank_zero
    if value == 0 and blank:
        return ""
    return f"{value:,.2f}" if profile.thousands else f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class _Ctx:
    budget: Budget
    profile: Profile

    def money(self, value: Decimal, table_id: str) -> Decimal:
        return convert(value, self.budget.unit, self.profile.unit_of(table_id))

    def wan(self, value: Decimal) -> str:
        """An input amount as text in the explanations' unit (the profile's)."""
        return f"{convert(value, self.budget.unit, self.profile.narrative_unit):.2f}"

    def loc(self, table: str | None = None, row: int | None = None, col: int | None = None) -> Location:
        return Location(file=self.budget.source, table=table, row=row, column=col)

    def code_text(self, code: str) -> str:
        if self.profile.code_layout == "split" and len(code) > 3:
            return " ".join([code[:3], *(code[i : i + 2] for i in range(3, len(code), 2))])
        return code


def _cells(
    ctx: _Ctx, table_id: str, row: int, columns: Sequence[Column], values: Sequence[Decimal]
) -> tuple[Cell, ...]:
    out = []
    for j, (col, v) in enumerate(zip(columns, values, strict=True)):
        shown = ctx.money(v, table_id)
        text = amount_text(shown, ctx.profile)
        out.append(Cell(col.name, text, shown if text else None, ctx.loc(table_id, row, j)))
    return tuple(out)


# ----------------------------------------------------------------------------- roll-up


def _function_aggregates(lines: Iterable[Any], funds: Sequence[str] | None = None) -> dict[str, Agg]:
    """code (项, 款, 类) → sums, for the lines of the given funds (all when None)."""
    agg: dict[str, Agg] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for ln in lines:
        if funds is not None and ln.fund not in funds:
            continue
        for code in (ln.code, ln.code[:5], ln.code[:3], ""):
            a = agg[code]
            a["total"] += ln.total
            a["basic"] += ln.basic
            a["project"] += ln.project
            a["operating"] += ln.operating
            a["remit"] += ln.remit
            a["subsidy"] += ln.subsidy
            a[f"fund:{ln.fund}"] += ln.total
            a[f"fund:{ln.fund}:basic"] += ln.basic
            a[f"fund:{ln.fund}:project"] += ln.project
    return agg


def _get(a: Agg, key: str) -> Decimal:
    return a.get(key, ZERO)


def _fiscal(a: Agg) -> Decimal:
    return sum((_get(a, f"fund:{f}") for f in FISCAL_FUNDS), ZERO)


def _unit_funds(a: Agg) -> Decimal:
    return sum((_get(a, f"fund:{f}") for f in UNIT_FUNDS), ZERO)


ColSpec = tuple[tuple[str, ...], Callable[[Agg], Decimal]]


def _k(key: str) -> Callable[[Agg], Decimal]:
    return lambda a: _get(a, key)


def _income_columns(p: Profile) -> list[ColSpec]:
    if p.id == "shanghai":
        g = "收入预算"
        return [
            ((g, "合计"), _k("total")),
            ((g, "财政拨款收入"), _fiscal),
            ((g, "事业收入"), _k("fund:事业收入")),
            ((g, "事业单位经营收入"), _k("fund:事业单位经营收入")),
            (
                (g, "其他收入"),
                lambda a: _get(a, "total") - _fiscal(a) - _get(a, "fund:事业收入") - _get(a, "fund:事业单位经营收入"),
            ),
        ]
    s = "本年收入"
    return [
        (("合计",), _k("total")),
        ((s, "小计"), lambda a: _get(a, "total") - _get(a, "fund:上年结转")),
        ((s, "财政拨款收入"), _fiscal),
        ((s, "财政专户收入"), _k("fund:财政专户")),
        ((s, "事业收入"), _k("fund:事业收入")),
        ((s, "经营收入"), _k("fund:事业单位经营收入")),
        ((s, "上级补助收入"), _k("fund:上级补助收入")),
        ((s, "附属单位上缴收入"), _k("fund:附属单位上缴收入")),
        ((s, "其他收入"), _k("fund:其他收入")),
        (("上年结转",), _k("fund:上年结转")),
    ]


def _expenditure_columns(p: Profile) -> list[ColSpec]:
    if p.id == "shanghai":
        g = "支出预算"
        return [((g, "合计"), _k("total")), ((g, "基本支出"), _k("basic")), ((g, "项目支出"), _k("project"))]
    return [
        (("合计",), _k("total")),
        (("基本支出",), _k("basic")),
        (("项目支出",), _k("project")),
        (("经营支出",), _k("operating")),
        (("上解上级支出",), _k("remit")),
        (("对附属单位补助支出",), _k("subsidy")),
    ]


_FUND_GROUP = {
    "general_expenditure": ("一般公共预算", "一般公共预算支出"),
    "fund_expenditure": ("政府性基金", "政府性基金预算支出"),
    "capital_expenditure": ("国有资本经营", "国有资本经营预算支出"),
}


def _fund_columns(p: Profile, table_id: str) -> list[ColSpec]:
    fund, group = _FUND_GROUP[table_id]
    cols: list[ColSpec] = [
        (("合计",), _k(f"fund:{fund}")),
        (("基本支出",), _k(f"fund:{fund}:basic")),
        (("项目支出",), _k(f"fund:{fund}:project")),
    ]
    if p.id == "shanghai":
        cols = [((group, *path), f) for path, f in cols]
    return cols


def _label_header(p: Profile, economic: bool = False) -> tuple[str, ...]:
    """The header of the label columns: group, code column, name column."""
    if economic:
        if p.id == "shanghai":
            return ("部门预算经济分类科目", "科目编码", "科目名称")
        return ("支出部门经济分类科目", "科目编码", "科目名称")
    if p.id == "shanghai":
        return ("项目", "功能分类科目编码", "功能分类科目名称")
    return ("功能分类科目", "科目编码", "科目名称")


def _code_table(
    ctx: _Ctx,
    table_id: str,
    specs: Sequence[ColSpec],
    agg: dict[str, Agg],
    name_of: Callable[[str], str],
    economic: bool = False,
) -> Table:
    p = ctx.profile
    columns = tuple(Column(path, str(i + 3) if p.numbered else None) for i, (path, _) in enumerate(specs))
    codes = sorted(c for c in agg if c and any(v != 0 for v in agg[c].values()))
    entries: list[tuple[str | None, str, Agg]] = [(c, name_of(c), agg[c]) for c in codes]
    rows: list[Row] = []
    if codes:
        total = (None, "合计", agg[""])
        entries = [total, *entries] if p.total_first else [*entries, total]
    for i, (code, label, a) in enumerate(entries):
        values = [f(a) for _, f in specs]
        rows.append(
            Row(
                seq=str(i + 1) if p.numbered else None,
                code=code,
                label=label,
                cells=_cells(ctx, table_id, i, columns, values),
                location=ctx.loc(table_id, i, None),
            )
        )
    return _table(ctx, table_id, columns, rows, header=_label_header(p, economic))


def _table(
    ctx: _Ctx,
    table_id: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    header: tuple[str, ...] = (),
    title: str | None = None,
    unit: str | None = "",
    project: Project | None = None,
) -> Table:
    p, b = ctx.profile, ctx.budget
    has_money = any(c.value not in (None, ZERO) for r in rows for c in r.cells)
    note = None
    if not rows or (not has_money and table_id in p.empty_what and table_id != "organization"):
        rows = ()
        if table_id in p.empty_what:
            note = p.empty_note.format(what=p.empty_what[table_id], year=b.year)
    return Table(
        id=table_id,
        title=title if title is not None else p.title(table_id, b.year),
        unit=(p.unit_of(table_id) if unit == "" else unit),  # type: ignore[arg-type]
        columns=tuple(columns),
        rows=tuple(rows),
        location=ctx.loc(table_id),
        year=b.year,
        department=b.department,
        note=note,
        header=(),
        project=project,
    )


# ----------------------------------------------------------------------------- two-sided


def _side_rows(
    ctx: _Ctx,
    table_id: str,
    side: str,
    items: Sequence[tuple[int, str, Sequence[Decimal]]],
    columns: Sequence[Column],
) -> list[Row]:
    out = []
    for seq, label, values in items:
        out.append(
            Row(
                seq=str(seq) if ctx.profile.numbered else None,
                code=None,
                label=label,
                cells=_cells(ctx, table_id, seq - 1, columns, values),
                location=ctx.loc(table_id, seq - 1, None),
                side=side,
            )
        )
    return out


def _classes(ctx: _Ctx, agg: dict[str, Agg], key: Callable[[Agg], Decimal]) -> list[tuple[str, str, Agg]]:
    """The 类 rows of a summary table, numbered 一、二、… as printed."""
    out = []
    listed = [(c, n) for c, n in FUNCTION_CLASSES]
    known = {c for c, _ in listed}
    extra = [
        (c, function_name(c, ctx.budget.year, ctx.budget.names) or c) for c in agg if len(c) == 3 and c not in known
    ]
    for code, name in [*sorted(listed[:-1] + extra), listed[-1]]:
        a = agg.get(code, {}) if code else {}
        if not ctx.profile.all_classes and key(a) == 0:
            continue
        nm = function_name(code, ctx.budget.year, ctx.budget.names) or name if code else name
        out.append((code, nm, a))
    return [(c, f"{int_to_cn(i + 1)}、{n}", a) for i, (c, n, a) in enumerate(out)]


def _summary(ctx: _Ctx, agg: dict[str, Agg]) -> Table:
    tid = "summary"
    a = agg.get("", {})
    carry = _get(a, "fund:上年结转")
    inc = [
        ("一、一般公共预算拨款收入", _get(a, "fund:一般公共预算")),
        ("二、政府性基金预算拨款收入", _get(a, "fund:政府性基金")),
        ("三、国有资本经营预算拨款收入", _get(a, "fund:国有资本经营")),
        ("四、财政专户管理资金收入", _get(a, "fund:财政专户")),
        ("五、单位资金", _unit_funds(a)),
    ]
    cols = (Column(("收入", "预算数"), "2", "收入"), Column(("支出", "预算数"), "4", "支出"))
    classes = _classes(ctx, agg, _k("total"))
    n = max(len(inc), len(classes))
    current = _get(a, "total") - carry
    rows = _side_rows(ctx, tid, "收入", [(i + 1, lab, [v]) for i, (lab, v) in enumerate(inc)], cols[:1])
    rows += _side_rows(
        ctx, tid, "支出", [(i + 1, lab, [_get(x, "total")]) for i, (_, lab, x) in enumerate(classes)], cols[1:]
    )
    rows += _side_rows(
        ctx,
        tid,
        "收入",
        [(n + 1, "本年收入合计", [current]), (n + 2, "上年结转结余", [carry]), (n + 3, "收入总计", [_get(a, "total")])],
        cols[:1],
    )
    rows += _side_rows(
        ctx,
        tid,
        "支出",
        [
            (n + 1, "本年支出合计", [_get(a, "total")]),
            (n + 2, "年终结转结余", [ZERO]),
            (n + 3, "支出总计", [_get(a, "total")]),
        ],
        cols[1:],
    )
    return _table(ctx, tid, cols, _by_seq(rows), header=("项目",))


def _by_seq(rows: list[Row]) -> list[Row]:
    """Printed order: by line, 收入 before 支出."""

    def key(r: Row) -> tuple[int, int]:
        return (int(r.seq) if r.seq else r.location.row or 0, 0 if r.side == "收入" else 1)

    return sorted(rows, key=key)


def _fiscal_summary(ctx: _Ctx, agg: dict[str, Agg]) -> Table:
    tid = "fiscal_summary"
    a = agg.get("", {})
    fund_keys = [_k("fund:一般公共预算"), _k("fund:政府性基金"), _k("fund:国有资本经营")]
    inc_col = Column(("收入", "金额"), "2", "收入")
    names = ("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
    exp_cols = [Column(("支出", x), str(i + 4), "支出") for i, x in enumerate(names)]
    inc = [
        ("一、一般公共预算拨款", fund_keys[0](a)),
        ("二、政府性基金预算拨款", fund_keys[1](a)),
        ("三、国有资本经营预算拨款", fund_keys[2](a)),
    ]
    classes = _classes(ctx, agg, _fiscal)
    n = max(len(inc), len(classes))
    fiscal_total = _fiscal(a)
    exp_items = [(i + 1, lab, [_fiscal(x), *(f(x) for f in fund_keys)]) for i, (_, lab, x) in enumerate(classes)]
    rows = _side_rows(ctx, tid, "收入", [(i + 1, lab, [v]) for i, (lab, v) in enumerate(inc)], [inc_col])
    rows += _side_rows(ctx, tid, "支出", exp_items, exp_cols)
    totals = [fiscal_total, *(f(a) for f in fund_keys)]
    rows += _side_rows(
        ctx,
        tid,
        "收入",
        [
            (n + 1, "本年收入合计", [fiscal_total]),
            (n + 2, "年初财政拨款结转和结余", [ZERO]),
            (n + 3, "一、一般公共预算拨款", [ZERO]),
            (n + 4, "二、政府性基金预算拨款", [ZERO]),
            (n + 5, "三、国有资本经营预算拨款", [ZERO]),
            (n + 6, "收入总计", [fiscal_total]),
        ],
        [inc_col],
    )
    rows += _side_rows(
        ctx,
        tid,
        "支出",
        [
            (n + 1, "本年支出合计", totals),
            (n + 2, "年末财政拨款结转和结余", [ZERO] * 4),
            (n + 6, "支出总计", totals),
        ],
        exp_cols,
    )
    return _table(ctx, tid, [inc_col, *exp_cols], _by_seq(rows), header=("项目",))


# ----------------------------------------------------------------------------- other tables


def _basic_economic(ctx: _Ctx) -> Table:
    b = ctx.budget
    agg: dict[str, Agg] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for e in b.economic:
        for code in (e.code, e.code[:3], ""):
            agg[code]["total"] += e.total
            agg[code]["personnel"] += e.personnel
            agg[code]["public"] += e.public
    g = "一般公共预算基本支出"
    specs: list[ColSpec] = [
        ((g, "合计"), _k("total")),
        ((g, "人员经费"), _k("personnel")),
        ((g, "公用经费"), _k("public")),
    ]
    leaf = {e.code: e.name for e in b.economic}

    def name_of(code: str) -> str:
        return leaf.get(code) or economic_name(code, b.year) or code

    return _code_table(ctx, "general_basic_expenditure", specs, agg, name_of, economic=True)


def _three_public(ctx: _Ctx) -> Table:
    tid = "three_public"
    tp = ctx.budget.three_public
    if ctx.profile.id == "shanghai":
        g, car = "“三公”经费预算数", "公务用车购置及运行费"
        sh_cols: tuple[Column, ...] = (
            Column((g, "合计")),
            Column((g, "因公出国(境)费")),
            Column((g, car, "小计")),
            Column((g, car, "购置费")),
            Column((g, car, "运行费")),
            Column((g, "公务接待费")),
            Column(("机关运行经费预算数",)),
        )
        values = [tp.total, tp.abroad, tp.car, tp.car_purchase, tp.car_running, tp.reception, ctx.budget.office_cost]
        rows = [Row(None, None, "", _cells(ctx, tid, 0, sh_cols, values), ctx.loc(tid, 0))]
        return _table(ctx, tid, sh_cols, rows)
    g = "资金性质"
    cols = tuple(
        Column((g, x), str(i + 2))
        for i, x in enumerate(("合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"))
    )
    items = [
        ("合计", tp.total),
        ("1.因公出国（境）费", tp.abroad),
        ("2.公务用车购置及运维费", tp.car),
        ("其中：公务用车购置费", tp.car_purchase),
        ("公务用车运维费", tp.car_running),
        ("3.公务接待费", tp.reception),
    ]
    rows = [
        Row(str(i + 1), None, lab, _cells(ctx, tid, i, cols, [v, v, ZERO, ZERO]), ctx.loc(tid, i))
        for i, (lab, v) in enumerate(items)
    ]
    return _table(ctx, tid, cols, rows, header=("项目",))


def _organization(ctx: _Ctx) -> Table:
    tid = "organization"
    cols = (Column(("单位性质",)), Column(("单位规格",)), Column(("经费保障形式",)))
    rows = []
    for i, u in enumerate(ctx.budget.units):
        cells = tuple(
            Cell(c.name, t, None, ctx.loc(tid, i, j))
            for j, (c, t) in enumerate(zip(cols, (u.nature, u.level, u.funding), strict=True))
        )
        rows.append(Row(None, None, u.name, cells, ctx.loc(tid, i)))
    return _table(ctx, tid, cols, rows, header=("单位名称",), unit=None)


def _procurement(ctx: _Ctx) -> Table:
    tid = "procurement"
    b = ctx.budget
    g = "政府采购金额（当年部门预算安排资金）"
    src = "政府采购项目来源"
    funds = (
        ("一般公共预算拨款", ("一般公共预算",)),
        ("基金预算拨款", ("政府性基金",)),
        ("国有资本经营预算拨款", ("国有资本经营",)),
        ("财政专户核拨", ("财政专户",)),
        ("单位资金", (*UNIT_FUNDS, "上年结转")),
    )
    cols = (
        Column((src, "预算资金")),
        Column(("采购物品名称",)),
        Column(("政府采购目录序号",)),
        Column(("计量单位",)),
        Column(("数量",)),
        Column(("单价",)),
        Column((g, "合计")),
        *(Column((g, n)) for n, _ in funds),
        Column((f"{b.year}年预留中小微企业份额",)),
    )
    rows = []
    for i, it in enumerate(b.procurement):
        money = [it.amount, *(it.amount if it.fund in fs else ZERO for _, fs in funds), it.sme]
        shown = [ctx.money(v, tid) for v in money]
        texts = [amount_text(v, ctx.profile) for v in shown]
        qty = "" if it.quantity is None else f"{it.quantity.normalize():f}"
        price = "" if it.price is None else amount_text(ctx.money(it.price, tid), ctx.profile)
        first = [texts[0], it.item, it.catalog_no, it.unit, qty, price]
        vals: list[Decimal | None] = [
            shown[0],
            None,
            None,
            None,
            it.quantity,
            ctx.money(it.price, tid) if it.price is not None else None,
        ]
        cells = [
            Cell(
                c.name,
                t,
                (v if t and v is not None and c.name in ("政府采购项目来源/预算资金", "单价", "数量") else None),
                ctx.loc(tid, i, j),
            )
            for j, (c, t, v) in enumerate(zip(cols[:6], first, vals, strict=True))
        ]
        cells += [
            Cell(c.name, t, v if t else None, ctx.loc(tid, i, 6 + j))
            for j, (c, t, v) in enumerate(zip(cols[6:], texts, shown, strict=True))
        ]
        rows.append(Row(None, None, it.project, tuple(cells), ctx.loc(tid, i)))
    return _table(ctx, tid, cols, rows, header=(src, "项目名称"), unit="万元")


def _assets(ctx: _Ctx) -> Table:
    tid = "assets"
    cols = (Column(("数量",)), Column(("价值（金额单位：万元）",)))
    rows = []
    for i, a in enumerate(ctx.budget.assets):
        qty = "" if a.quantity is None else f"{a.quantity.normalize():f}"
        v = convert(a.value, ctx.budget.unit, "万元")
        vt = f"{v:.2f}"
        cells = (
            Cell(cols[0].name, qty, a.quantity, ctx.loc(tid, i, 0)),
            Cell(cols[1].name, vt, v, ctx.loc(tid, i, 1)),
        )
        rows.append(Row(None, None, a.name, cells, ctx.loc(tid, i)))
    return _table(ctx, tid, cols, rows, header=("项目",), unit=None)


def _project(ctx: _Ctx, index: int, p: ProjectInput) -> Table:
    tid = "project_performance"
    cols = (Column(("预算数",)), Column(("财政资金",)), Column(("其他资金",)))
    cells = _cells(ctx, tid, 0, cols, [p.amount, p.fiscal, p.other])
    # the 绩效目标表 is always in 万元 with 0 printed as blank except 预算数
    cells = tuple(Cell(c.column, c.text, c.value, c.location) for c in cells)
    loc = ctx.loc(tid)
    project = Project(
        code=p.code or None,
        name=p.name,
        amount=cells[0].value,
        fiscal=cells[1].value,
        other=cells[2].value,
        purpose=p.purpose,
        plan=tuple(SpendingStep(lab, pct, loc) for lab, pct in p.plan),
        goal=p.goal,
        indicators=tuple(
            Indicator(
                i.level1, i.level2, i.level3, i.description, i.value, *parse_indicator_value(i.value), i.basis, loc
            )
            for i in p.indicators
        ),
        location=loc,
    )
    row = Row(None, None, p.name, cells, ctx.loc(tid, 0))
    return Table(
        id=tid,
        title=f"{index + 1}、{p.name}绩效目标表",
        unit="万元",
        columns=cols,
        rows=(row,),
        location=loc,
        year=ctx.budget.year,
        department=ctx.budget.department,
        project=project,
    )


# ----------------------------------------------------------------------------- narrative


def _change(this: Decimal, last: Decimal | None) -> dict[str, Any]:
    if last is None:
        return {"known": False}
    diff = this - last
    pct = None
    if last != 0:
        pct = (abs(diff) / abs(last) * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        "known": True,
        "diff": diff,
        "abs": abs(diff),
        "word": "增加" if diff > 0 else "减少" if diff < 0 else "持平",
        "rate_word": "增长" if diff > 0 else "下降",
        "pct": pct,
    }


def _narrative_context(ctx: _Ctx, agg: dict[str, Agg]) -> dict[str, Any]:
    b = ctx.budget
    a = agg.get("", {})
    tp = b.three_public
    personnel = sum((e.personnel for e in b.economic), ZERO)
    public = sum((e.public for e in b.economic), ZERO)
    total = _get(a, "total")
    w = ctx.wan

    def line_items() -> list[dict[str, Any]]:
        merged: dict[str, Decimal] = defaultdict(lambda: ZERO)
        notes: dict[str, str] = {}
        for ln in b.lines:
            merged[ln.code] += ln.total
            if ln.note:
                notes[ln.code] = ln.note
        out: list[dict[str, Any]] = []
        for code in sorted(merged):
            names = [function_name(c, b.year, b.names) or c for c in (code[:3], code[:5])]
            own = next((x.name for x in b.lines if x.code == code and x.name), None)
            names.append(own or function_name(code, b.year, b.names) or code)
            out.append({"code": code, "names": names, "amount": w(merged[code]), "note": notes.get(code, "")})
        return out

    three = []
    for key, label, this, last in (
        ("abroad", "因公出国（境）费", tp.abroad, tp.last_abroad),
        ("car_purchase", "公务用车购置费", tp.car_purchase, tp.last_car_purchase),
        (
            "car_running",
            "公务用车运维费" if ctx.profile.id == "hebei" else "公务用车运行费",
            tp.car_running,
            tp.last_car_running,
        ),
        ("reception", "公务接待费", tp.reception, tp.last_reception),
    ):
        ch = _change(this, last)
        three.append(
            {
                "key": key,
                "label": label,
                "amount": w(this),
                "last": w(last),
                "change": ch,
                "diff": w(ch["abs"]),
                "reason": tp.reasons.get(key, ""),
            }
        )
    proc_total = sum((x.amount for x in b.procurement), ZERO)
    by_cat = {c: sum((x.amount for x in b.procurement if x.category == c), ZERO) for c in ("货物", "工程", "服务")}
    return {
        "b": b,
        "t": b.texts,
        "dept": b.department,
        "year": b.year,
        "last_year": b.year - 1,
        "w": w,
        "u": ctx.profile.narrative_unit,
        "cn": int_to_cn,
        "total": w(total),
        "gp": w(_get(a, "fund:一般公共预算")),
        "gf": w(_get(a, "fund:政府性基金")),
        "soc": w(_get(a, "fund:国有资本经营")),
        "special": w(_get(a, "fund:财政专户")),
        "unit_funds": w(_unit_funds(a)),
        "carry": w(_get(a, "fund:上年结转")),
        "fiscal": w(_fiscal(a)),
        "business": w(_get(a, "fund:事业收入")),
        "other_income": w(_get(a, "total") - _fiscal(a) - _get(a, "fund:事业收入")),
        "basic": w(_get(a, "basic")),
        "project": w(_get(a, "project")),
        "personnel": w(personnel),
        "public": w(public),
        "change_total": _change(total, b.last_total),
        "change_basic": _change(_get(a, "basic"), b.last_basic),
        "change_project": _change(_get(a, "project"), b.last_project),
        "three": {x["key"]: x for x in three},
        "three_total": w(tp.total),
        "three_car": w(tp.car),
        "three_last_total": w(tp.last_total),
        "three_last_car": w(tp.last_car_purchase + tp.last_car_running),
        "three_change": _change(tp.total, tp.last_total),
        "car_change": _change(tp.car, tp.last_car_purchase + tp.last_car_running),
        "office": w(b.office_cost),
        "office_change": _change(b.office_cost, b.last_office_cost),
        "office_units": b.office_units,
        "proc_total": w(proc_total),
        "proc": {k: w(v) for k, v in by_cat.items()},
        "proc_sme": w(sum((x.sme for x in b.procurement), ZERO)),
        "has_proc": proc_total != 0,
        "assets_total": w(b.assets_total),
        "planned_assets": w(b.planned_assets),
        "projects": b.projects,
        "project_sum": w(sum((p.amount for p in b.projects), ZERO)),
        "items": line_items(),
    }


def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("yusuan.render", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


_ENV: Any = None


def narrative_text(ctx_or_budget: Budget, profile: Profile, agg: dict[str, Agg] | None = None) -> str:
    """The explanations as the template's light markup (``#`` headings, ``@table``)."""
    global _ENV
    if _ENV is None:
        _ENV = _env()
    ctx = _Ctx(ctx_or_budget, profile)
    agg = agg if agg is not None else _function_aggregates(ctx_or_budget.lines)
    text: str = _ENV.get_template(f"{profile.id}.txt.j2").render(**_narrative_context(ctx, agg))
    return text


def _sections(ctx: _Ctx, text: str, table_index: dict[str, int]) -> tuple[tuple[Paragraph, ...], tuple[Section, ...]]:
    """Parse the template output into the preamble and nested sections."""

    @dataclass
    class Open:
        heading: str
        level: int
        paragraphs: list[Paragraph]
        children: list[Section]
        tables: list[int]
        line: int

    preamble: list[Paragraph] = []
    stack: list[Open] = []
    top: list[Section] = []

    def close(to_level: int) -> None:
        while stack and stack[-1].level >= to_level:
            o = stack.pop()
            number, title = split_numbering(o.heading)
            s = Section(
                o.heading,
                number,
                title,
                o.level,
                tuple(o.paragraphs),
                tuple(o.children),
                Location(ctx.budget.source, line=o.line, table="narrative", text=o.heading),
                tuple(o.tables),
            )
            (stack[-1].children if stack else top).append(s)

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^(#{1,3})\s+(.*)$", line)
        if m:
            level = len(m.group(1))
            close(level)
            stack.append(Open(m.group(2).strip(), level, [], [], [], n))
        elif line.startswith("@table "):
            key = line.split(None, 1)[1].strip()
            if key == "*":
                idx = [i for k, i in table_index.items() if k.startswith("main:")]
            else:
                idx = [table_index[key]] if key in table_index else []
            if stack:
                stack[-1].tables.extend(idx)
        else:
            para = Paragraph(line, Location(ctx.budget.source, line=n, table="narrative", text=line))
            (stack[-1].paragraphs if stack else preamble).append(para)
    close(1)
    return tuple(preamble), tuple(top)


# ----------------------------------------------------------------------------- entry point


def derive(budget: Budget, profile: str | Profile | None = None) -> Disclosure:
    """The whole disclosure computed from ``budget`` in ``profile`` (default: the
    budget's own profile)."""
    p = get_profile(profile or budget.profile)
    ctx = _Ctx(budget, p)
    agg = _function_aggregates(budget.lines)
    b = budget

    def fname(code: str) -> str:
        own = next((x.name for x in b.lines if x.code == code and x.name), None)
        return own or function_name(code, b.year, b.names) or code

    main: dict[str, Table] = {
        "summary": _summary(ctx, agg),
        "income": _code_table(ctx, "income", _income_columns(p), agg, fname),
        "expenditure": _code_table(ctx, "expenditure", _expenditure_columns(p), agg, fname),
        "fiscal_summary": _fiscal_summary(ctx, agg),
        "general_basic_expenditure": _basic_economic(ctx),
        "three_public": _three_public(ctx),
    }
    for tid, (fund, _) in _FUND_GROUP.items():
        main[tid] = _code_table(ctx, tid, _fund_columns(p, tid), _function_aggregates(b.lines, (fund,)), fname)
    tables: list[Table] = [main[t] for t in p.table_order]
    index: dict[str, int] = {f"main:{t}": i for i, t in enumerate(p.table_order)}
    extra: list[tuple[str, Table]] = [("organization", _organization(ctx))]
    extra += [(f"project:{i}", _project(ctx, i, pr)) for i, pr in enumerate(b.projects)]
    extra += [("procurement", _procurement(ctx)), ("assets", _assets(ctx))]
    for key, t in extra:
        index[key] = len(tables)
        tables.append(t)
    text = narrative_text(b, p, agg)
    preamble, sections = _sections(ctx, text, index)
    title = f"{b.department}{b.year}年{b.scope}预算"
    toc = tuple(TocEntry(t.title, None, ctx.loc(t.id)) for t in tables[: len(p.table_order)])
    toc += tuple(TocEntry(s.heading, None, s.location) for s in sections)
    return Disclosure(
        source=b.source,
        format="budget",
        kind="预算",
        scope="单位" if b.scope == "单位" else "部门",
        year=b.year,
        department=b.department,
        department_code=b.department_code or None,
        title=title,
        region=p.id,
        tables=tuple(tables),
        sections=sections,
        preamble=preamble,
        toc=toc,
    )
