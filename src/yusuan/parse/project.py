"""A project's 绩效目标表 (grids) → ``Project`` with structured indicators.

The grid is read by its labels, not by fixed positions: 项目编码/项目名称, 预算数 and its
财政资金/其他资金, the purpose, 资金支出计划 (label row + value row), 绩效目标, then the
indicator rows under the 一级/二级/三级指标 header. Rows continued on the next page (only
the basis filled) are joined to the indicator above; a row a converter shifted one column
left is realigned (noted).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from yusuan.model import Cell, Column, Indicator, Location, ParseNote, Project, Row, SpendingStep
from yusuan.model.text import compact, normalize, parse_amount
from yusuan.parse.raw import RawGrid

_VALUE = re.compile(
    r"^(?P<cmp>≥|≤|>|<|=|＞|＜|≧|≦|大于等于|小于等于|不低于|不高于|不少于|不超过|大于|小于|达到)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s][^\d]{0,9})?$"
)
_CMP = {"＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "大于等于": "≥", "不低于": "≥", "不少于": "≥",
        "达到": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "大于": ">", "小于": "<"}
_HEADER_KEYS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3",
    "绩效指标描述": "description", "指标描述": "description", "指标内容": "description",
    "指标值": "value", "目标值": "value", "指标值确定依据": "basis", "确定依据": "basis",
    "指标值设定依据": "basis",
}
AMOUNT_COLUMNS = ("预算数", "财政资金", "其他资金")
_new = tuple.__new__  # a NamedTuple without its constructor's keyword handling (hot path)


@lru_cache(maxsize=4096)
def parse_indicator_value(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """``≥37人`` → (``≥``, 37, ``人``); ``300 元/月/人`` → (None, 300, ``元/月/人``);
    ``全年`` → (None, None, None)."""
    m = _VALUE.match(compact(text))
    if not m:
        return None, None, None
    cmp = m.group("cmp")
    cmp = _CMP.get(cmp, cmp) if cmp else None
    try:
        num = Decimal(m.group("num"))
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        return None, None, None
    unit = m.group("unit") or None
    if unit and (unit.endswith("以上") or unit.endswith("以下")):
        unit = unit[:-2] or None
    return cmp, num, unit


@lru_cache(maxsize=4096)
def _value_like(text: str) -> bool:
    t = compact(text)
    return bool(t) and (parse_indicator_value(t)[1] is not None or t.endswith("%"))


def _next_text(row: list[str], j: int) -> tuple[int, str]:
    for k in range(j + 1, len(row)):
        if row[k]:
            return k, row[k]
    return -1, ""


def parse_project(
    grids: list[RawGrid], file: str, title: str
) -> tuple[Project, tuple[Row, ...], tuple[Column, ...], list[ParseNote]]:
    notes: list[ParseNote] = []
    rows: list[tuple[list[str], RawGrid, int]] = []
    for g in grids:
        for i, r in enumerate(g.rows):
            texts = [normalize(c.text) for c in r]
            if any(texts):
                rows.append((texts, g, i))

    def loc(g: RawGrid, i: int, text: str = "", column: int | None = None) -> Location:
        line = g.row_lines[i] if i < len(g.row_lines) else g.line
        box = g.rows[i][column].box if column is not None and column < len(g.rows[i]) else None
        return _new(Location, (file, g.page, line, "project_performance", None, column, box, text))

    code = name = None
    amounts: dict[str, tuple[str, Location]] = {}
    purpose = goal = ""
    plan: list[SpendingStep] = []
    indicators: list[dict[str, str]] = []
    ind_locs: list[Location] = []
    cols: dict[str, int] = {}
    first_loc = loc(rows[0][1], rows[0][2]) if rows else Location(file=file)
    k = 0
    while k < len(rows):
        texts, g, i = rows[k]
        keys = [compact(t) for t in texts]
        if cols:  # indicator rows
            if "一级指标" in keys:  # header repeated on a continuation page
                k += 1
                continue
            fields = {f: texts[j] if j < len(texts) else "" for f, j in cols.items()}
            if not _value_like(fields.get("value", "")) and _value_like(fields.get("description", "")) \
                    and fields.get("level1") and not fields.get("basis"):
                shifted = ["", *texts]
                fields = {f: shifted[j] if j < len(shifted) else "" for f, j in cols.items()}
                notes.append(ParseNote(code="row-realigned",
                                       message=f"“{title}”中一行指标错位一列，已按指标值的位置重排。",
                                       location=loc(g, i, " | ".join(texts))))
            filled = [f for f, v in fields.items() if v]
            if indicators and filled and all(f in ("basis", "description") for f in filled) and \
                    not fields.get("level3"):
                for f in filled:
                    indicators[-1][f] = indicators[-1].get(f, "") + fields[f]
            elif filled:
                prev = indicators[-1] if indicators else {}
                for f in ("level1", "level2"):
                    if not fields.get(f):
                        fields[f] = prev.get(f, "")
                indicators.append(fields)
                ind_locs.append(loc(g, i, " | ".join(t for t in texts if t),
                                    cols.get("value")))
            k += 1
            continue
        if "一级指标" in keys:
            for j, key in enumerate(keys):
                if key in _HEADER_KEYS and _HEADER_KEYS[key] not in cols:
                    cols[_HEADER_KEYS[key]] = j
            k += 1
            continue
        for j, key in enumerate(keys):
            if key in ("项目编码", "项目代码") and code is None:
                code = _next_text(texts, j)[1] or None
            elif key == "项目名称" and name is None:
                name = _next_text(texts, j)[1] or None
            elif key in ("预算数", "年度预算数", "项目预算数", "预算金额") and "预算数" not in amounts:
                jj, t = _next_text(texts, j)
                amounts["预算数"] = (t if parse_amount(t) is not None else "", loc(g, i, t, jj))
            elif "财政资金" in key and "财政资金" not in amounts:
                jj, t = _next_text(texts, j)
                amounts["财政资金"] = (t if parse_amount(t) is not None else "", loc(g, i, t, jj))
            elif "其他资金" in key and "其他资金" not in amounts:
                jj, t = _next_text(texts, j)
                amounts["其他资金"] = (t if parse_amount(t) is not None else "", loc(g, i, t, jj))
        if keys and keys[0].startswith("资金支出计划"):
            labels = [(j, texts[j]) for j in range(1, len(texts)) if texts[j]]
            values = rows[k + 1][0] if k + 1 < len(rows) else []
            vg, vi = (rows[k + 1][1], rows[k + 1][2]) if k + 1 < len(rows) else (g, i)
            for j, label in labels:
                v = values[j] if j < len(values) else ""
                pct = parse_amount(v.rstrip("%")) if v else None
                plan.append(SpendingStep(label=label, percent=pct, location=loc(vg, vi, v, j)))
            k += 2
            continue
        if keys and keys[0] in ("绩效目标", "年度绩效目标", "项目绩效目标"):
            goal = _next_text(texts, 0)[1]
        elif not purpose and keys and (
            (not keys[0] and amounts and not plan) or keys[0] in ("项目用途", "资金用途", "项目概况", "项目内容")
        ):
            purpose = _next_text(texts, 0)[1]
        k += 1

    structured: list[Indicator] = []
    for ind, lc in zip(indicators, ind_locs, strict=True):
        value_text = ind.get("value", "")
        cmp, num, unit = parse_indicator_value(value_text)
        structured.append(Indicator(
            level1=ind.get("level1", ""), level2=ind.get("level2", ""), level3=ind.get("level3", ""),
            description=ind.get("description", ""), value_text=value_text, comparator=cmp,
            value=num, unit=unit, basis=ind.get("basis", ""), location=lc))

    def amount(key: str) -> Decimal | None:
        return parse_amount(amounts[key][0]) if key in amounts else None

    project_name = name or re.sub(r"^\d+\s*[、.．]\s*", "", title).removesuffix("绩效目标表")
    project = Project(code=code, name=project_name, amount=amount("预算数"),
                      fiscal=amount("财政资金"), other=amount("其他资金"), purpose=purpose,
                      plan=tuple(plan), goal=goal, indicators=tuple(structured),
                      location=first_loc)
    columns = tuple(Column(path=(c,)) for c in AMOUNT_COLUMNS)
    cells = []
    for ci, c in enumerate(AMOUNT_COLUMNS):
        text, lc = amounts.get(c, ("", first_loc))
        cells.append(Cell(column=c, text=text, value=parse_amount(text),
                          location=lc._replace(row=0, column=ci, text=text)))
    row = Row(seq=None, code=None, label=project_name, cells=tuple(cells),
              location=first_loc._replace(row=0))
    return project, (row,), columns, notes
