"""The printed form of a disclosure, shared by every writer.

``layout(doc, profile)`` turns a :class:`~yusuan.model.Disclosure` into a flat list of
blocks — headings, paragraphs, the table of contents and grids of cells with their
spans — in the order the region prints them. Each writer (markdown, HTML, DOCX, XLSX,
and PDF through HTML) only serialises these blocks, so the five formats cannot drift
apart in content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from yusuan.model import Disclosure, Row, Section, Table
from yusuan.render.profiles import Profile, get_profile

#: Tables with more columns than this are printed on landscape pages.
WIDE = 7

_CODE_TABLES = {
    "income",
    "expenditure",
    "general_expenditure",
    "fund_expenditure",
    "capital_expenditure",
    "general_basic_expenditure",
}


@dataclass(frozen=True, slots=True)
class GCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as printed: ``head`` rows (with spans) and ``body`` rows; ``width`` is the
    number of grid columns; ``meta`` the lines printed between title and table."""

    table_id: str
    title: str | None
    meta: tuple[str, ...]
    head: tuple[tuple[GCell, ...], ...]
    body: tuple[tuple[GCell, ...], ...]
    width: int
    note: str | None = None
    anchor: str = ""
    numbered_head_rows: int = 0

    @property
    def wide(self) -> bool:
        return self.width > WIDE


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Para:
    text: str


@dataclass(frozen=True, slots=True)
class Toc:
    """A table of contents: groups of (title, anchor) entries under a caption."""

    title: str
    groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


Block = Heading | Para | Grid | Toc


@dataclass(frozen=True, slots=True)
class Printed:
    title: str
    blocks: tuple[Block, ...]
    profile: Profile
    doc: Disclosure = field(repr=False)


# ----------------------------------------------------------------------------- headers


def header_rows(paths: Sequence[tuple[str, ...]]) -> list[tuple[GCell, ...]]:
    """Header rows with spans from column paths: adjacent columns sharing a prefix are
    merged across, a path shorter than the deepest one spans down."""
    depth = max((len(p) for p in paths), default=0)
    rows: list[tuple[GCell, ...]] = []
    for k in range(depth):
        row: list[GCell] = []
        j = 0
        while j < len(paths):
            p = paths[j]
            if len(p) <= k:
                j += 1
                continue
            leaf = k == len(p) - 1
            span = 1
            if not leaf:
                while j + span < len(paths) and len(paths[j + span]) > k + 1 and paths[j + span][: k + 1] == p[: k + 1]:
                    span += 1
            row.append(GCell(p[k], colspan=span, rowspan=depth - k if leaf else 1))
            j += span
        rows.append(tuple(row))
    return rows


def label_paths(table: Table, profile: Profile) -> list[tuple[str, ...]]:
    """The label columns (code, name, item) printed before the value columns."""
    sh = profile.id == "shanghai"
    if table.id in _CODE_TABLES:
        if table.id == "general_basic_expenditure":
            g = (
                ("部门预算经济分类科目", "科目编码", "科目名称")
                if sh
                else ("支出部门经济分类科目", "科目编码", "科目名称")
            )
        else:
            g = ("项目", "功能分类科目编码", "功能分类科目名称") if sh else ("功能分类科目", "科目编码", "科目名称")
        return [(g[0], g[1]), (g[0], g[2])]
    if table.id == "three_public":
        return [] if sh else [("项目",)]
    if table.id == "organization":
        return [("单位名称",)]
    if table.id == "procurement":
        return [("政府采购项目来源", "项目名称")]
    return [("项目",)]


def code_text(code: str | None, profile: Profile) -> str:
    if not code:
        return ""
    if profile.code_layout == "split" and len(code) > 3:
        return " ".join([code[:3], *(code[i : i + 2] for i in range(3, len(code), 2))])
    return code


# ----------------------------------------------------------------------------- grids


def _meta(table: Table, doc: Disclosure, profile: Profile) -> tuple[str, ...]:
    dept = profile.department_line.format(code=doc.department_code or "", name=doc.department or "").strip()
    if table.id == "organization":
        return ()
    if table.id == "assets":
        return (dept, f"截止时间：{(doc.year or 1) - 1}-12-31")
    if table.id == "procurement":
        return (dept, "单位：万元")
    out = [dept]
    if profile.numbered:
        out.append(f"预算年度：{doc.year}")
    if table.unit:
        out.append(f"单位：{table.unit}")
    return tuple(out)


def _value_cells(row: Row | None, table: Table) -> list[GCell]:
    if row is None:
        return [GCell("") for _ in table.columns]
    by = {c.column: c for c in row.cells}
    return [GCell(by[c.name].text if c.name in by else "", numeric=True) for c in table.columns]


def _grid(table: Table, doc: Disclosure, profile: Profile, index: int) -> Grid:
    if table.id in ("summary", "fiscal_summary"):
        return _two_sided(table, doc, profile, index)
    if table.project is not None:
        return _project_grid(table, index)
    numbered = profile.numbered and table.id not in ("organization", "procurement", "assets")
    labels = label_paths(table, profile)
    paths = ([("序号",)] if numbered else []) + labels + [c.path for c in table.columns]
    head = header_rows(paths)
    width = len(paths)
    if numbered:
        head.append((GCell("栏次"), *(GCell(str(i + 1)) for i in range(width - 1))))
    body: list[tuple[GCell, ...]] = []
    for r in table.rows:
        cells: list[GCell] = [GCell(r.seq or "")] if numbered else []
        if len(labels) == 2:
            cells += [GCell(code_text(r.code, profile)), GCell(r.label)]
        elif len(labels) == 1:
            cells.append(GCell(r.label))
        cells += _value_cells(r, table)
        body.append(tuple(cells))
    if not body:
        body.append(tuple(GCell("") for _ in range(width)))
    return Grid(
        table.id,
        table.title,
        _meta(table, doc, profile),
        tuple(head),
        tuple(body),
        width,
        table.note,
        f"t{index}",
        1 if numbered else 0,
    )


def _two_sided(table: Table, doc: Disclosure, profile: Profile, index: int) -> Grid:
    inc = [c for c in table.columns if c.side == "收入"]
    out = [c for c in table.columns if c.side == "支出"]
    g_in = inc[0].path[0] if inc else "收入"
    g_out = out[0].path[0] if out else "支出"
    numbered = profile.numbered
    paths: list[tuple[str, ...]] = [("序号",)] if numbered else []
    paths += [(g_in, "项目"), *((g_in, *c.path[1:]) for c in inc)]
    paths += [(g_out, "项目"), *((g_out, *c.path[1:]) for c in out)]
    head = header_rows(paths)
    width = len(paths)
    if numbered:
        head.append((GCell("栏次"), *(GCell(str(i + 1)) for i in range(width - 1))))
    lines: dict[int, dict[str, Row]] = {}
    order: list[int] = []
    for r in table.rows:
        key = int(r.seq) if r.seq and r.seq.isdigit() else (r.location.row or 0) + 1
        if key not in lines:
            lines[key] = {}
            order.append(key)
        lines[key][r.side or "收入"] = r
    body = []
    for key in sorted(order):
        pair = lines[key]
        ri, ro = pair.get("收入"), pair.get("支出")
        cells = [GCell(str(key))] if numbered else []
        cells.append(GCell(ri.label if ri else ""))
        cells += [GCell(_text(ri, c.name), numeric=True) for c in inc]
        cells.append(GCell(ro.label if ro else ""))
        cells += [GCell(_text(ro, c.name), numeric=True) for c in out]
        body.append(tuple(cells))
    return Grid(
        table.id,
        table.title,
        _meta(table, doc, profile),
        tuple(head),
        tuple(body),
        width,
        table.note,
        f"t{index}",
        1 if numbered else 0,
    )


def _text(row: Row | None, column: str) -> str:
    if row is None:
        return ""
    c = row.cell(column)
    return c.text if c is not None else ""


def _pct(v: object) -> str:
    if v is None:
        return ""
    s = f"{v:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return f"{s}%"


def _project_grid(table: Table, index: int) -> Grid:
    """The 绩效目标表 on a 7-column grid, in the layout of the Hebei template."""
    p = table.project
    assert p is not None
    row = table.rows[0] if table.rows else None
    amount, fiscal, other = (_text(row, n) for n in ("预算数", "财政资金", "其他资金"))
    E = GCell("")
    body: list[tuple[GCell, ...]] = [
        (GCell("项目编码"), GCell(p.code or "", colspan=2), GCell("项目名称"), GCell(p.name, colspan=3)),
        (
            GCell("预算规模及资金用途", rowspan=2),
            GCell("预算数"),
            GCell(amount, numeric=True),
            GCell("其中：财政资金"),
            GCell(fiscal, numeric=True),
            GCell("其他资金"),
            GCell(other, numeric=True),
        ),
        (GCell(p.purpose, colspan=6),),
    ]
    steps = list(p.plan) or []
    labels = [s.label for s in steps][:4] + [""] * (4 - min(4, len(steps)))
    values = [_pct(s.percent) for s in steps][:4] + [""] * (4 - min(4, len(steps)))
    body.append(
        (
            GCell("资金支出计划（%）", rowspan=2),
            GCell(labels[0], colspan=2),
            GCell(labels[1]),
            GCell(labels[2]),
            GCell(labels[3]),
            E,
        )
    )
    body.append((GCell(values[0], colspan=2), GCell(values[1]), GCell(values[2]), GCell(values[3]), E))
    body.append((GCell("绩效目标"), GCell(p.goal, colspan=6)))
    body.append(
        tuple(GCell(x) for x in ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", ""))
    )
    inds = list(p.indicators)
    i = 0
    while i < len(inds):
        j = i
        while j + 1 < len(inds) and inds[j + 1].level1 == inds[i].level1:
            j += 1
        for k in range(i, j + 1):
            ind = inds[k]
            cells = [GCell(ind.level1, rowspan=j - i + 1)] if k == i else []
            cells += [
                GCell(ind.level2),
                GCell(ind.level3),
                GCell(ind.description),
                GCell(ind.value_text),
                GCell(ind.basis),
                E,
            ]
            body.append(tuple(cells))
        i = j + 1
    return Grid(table.id, None, (f"单位：{table.unit or '万元'}",), (), tuple(body), 7, table.note, f"t{index}")


# ----------------------------------------------------------------------------- document


def _section_blocks(s: Section, doc: Disclosure, profile: Profile, out: list[Block], prefix: str) -> None:
    out.append(Heading(s.heading, s.level + 1, prefix))
    out.extend(Para(p.text) for p in s.paragraphs)
    for i in s.tables:
        out.append(_grid(doc.tables[i], doc, profile, i))
    for n, c in enumerate(s.children):
        _section_blocks(c, doc, profile, out, f"{prefix}-{n}")


def layout(doc: Disclosure, profile: str | Profile | None = None) -> Printed:
    """The blocks of ``doc`` in the printed order of ``profile`` (default: the document's
    region, else Hebei)."""
    p = get_profile(profile or (doc.region if doc.region in ("hebei", "shanghai") else None))
    attached = {i for s in doc.walk_sections() for i in s.tables}
    loose = [i for i in range(len(doc.tables)) if i not in attached]
    dept, year, scope = doc.department or "", doc.year, doc.scope
    blocks: list[Block] = []
    title = doc.title or f"{dept}{year}年{scope}预算"
    blocks.append(Heading(f"{dept}{year}年{scope}预算信息公开", 1, "cover"))
    narrative_title = f"{dept} {year} 年{scope}预算信息公开情况说明"
    sec_entries = tuple((s.heading, f"s{n}") for n, s in enumerate(doc.sections))
    if loose:
        groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
            (f"{scope}预算公开表", tuple((doc.tables[i].title, f"t{i}") for i in loose)),
            (f"{scope}预算信息公开情况说明", sec_entries),
        )
    else:
        groups = (("", sec_entries),)
    blocks.append(Toc(f"{year} 年{scope}预算信息公开目录", groups))
    for i in loose:
        blocks.append(_grid(doc.tables[i], doc, p, i))
    if doc.sections or doc.preamble:
        if loose:
            blocks.append(Heading(narrative_title, 1, "narrative"))
        blocks.extend(Para(x.text) for x in doc.preamble)
        for n, s in enumerate(doc.sections):
            _section_blocks(s, doc, p, blocks, f"s{n}")
    return Printed(title, tuple(blocks), p, doc)
