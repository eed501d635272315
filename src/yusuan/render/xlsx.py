"""XLSX writer: a sheet per table in the standard layout, the explanations on their own sheet.

Each table sheet has the title, the department/year/unit lines, the header rows with
merged cells, the 栏次 row, the body with numbers stored as numbers (never formulas) in a
two-decimal number format, the note under it, and frozen panes below the header. Text that
a spreadsheet would take for a formula (starting with ``= + - @``) is stored as text.
The 情况说明 sheet holds the headings and paragraphs in order, with the tables that belong
to a section (机构设置, 绩效目标表, 政府采购, 国有资产) inline.
"""

from __future__ import annotations

import io
import re
from copy import copy
from decimal import Decimal
from typing import Any

from yusuan.model import Disclosure
from yusuan.model.text import parse_amount
from yusuan.render.layout import Grid, Heading, Para, Printed, Toc, layout
from yusuan.render.markdown import flatten
from yusuan.render.profiles import Profile

_FORMULA_START = ("=", "+", "-", "@")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class _Styles:
    """Style objects shared by every cell (openpyxl copies them cheaply when shared)."""

    def __init__(self, thousands: bool) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="444444")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name="宋体", size=14, bold=True)
        self.bold = Font(name="宋体", size=10, bold=True)
        self.normal = Font(name="宋体", size=10)
        self.heading = Font(name="宋体", size=12, bold=True)
        self.fill = PatternFill("solid", fgColor="F1F1F1")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.para = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self.number_format = "#,##0.00" if thousands else "0.00"
        self._arrays: dict[tuple[str, ...], Any] = {}

    def apply(self, cell: Any, *names: str) -> None:
        """Give ``cell`` the named styles (``font:bold``, ``alignment:center``, ``border``,
        ``fill``, ``number``). The first cell of each combination is styled through
        openpyxl's descriptors; the others copy its style array, which skips hashing the
        style objects again for every cell (most of the writer's time before)."""
        array = self._arrays.get(names)
        if array is not None:
            cell._style = copy(array)
            return
        for name in names:
            attr, _, value = name.partition(":")
            if attr == "number":
                cell.number_format = self.number_format
            else:
                setattr(cell, attr, getattr(self, value or attr))
        self._arrays[names] = copy(cell._style)


def _set(ws: Any, row: int, col: int, text: str) -> Any:
    cell = ws.cell(row=row, column=col)
    cell.value = text
    if text.startswith(_FORMULA_START):
        cell.data_type = "s"  # stored as text, never evaluated
    return cell


def _number(ws: Any, row: int, col: int, text: str, st: _Styles) -> Any:
    value = parse_amount(text) if text else None
    if value is None:
        cell = _set(ws, row, col, text)
        st.apply(cell, "alignment:right", "border", "font:normal")
        return cell
    cell = ws.cell(row=row, column=col)
    cell.value = float(value) if value == value.quantize(Decimal("0.01")) else str(value)
    st.apply(cell, "number", "alignment:right", "border", "font:normal")
    return cell


def _merge(ws: Any, row: int, col: int, rowspan: int, colspan: int) -> None:
    """Merge ``rowspan`` × ``colspan`` cells from (row, col). What ``ws.merge_cells`` does, less
    its re-bordering of the covered cells (they get the full rule here anyway) and its
    overlap check (a grid's spans never overlap), which were most of the writer's time."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import CellRange

    if rowspan == 1 and colspan == 1:
        return
    last_row, last_col = row + rowspan - 1, col + colspan - 1
    ws.merged_cells.ranges.add(CellRange(min_col=col, min_row=row, max_col=last_col, max_row=last_row))
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            if (r, c) != (row, col):
                ws._cells[r, c] = MergedCell(ws, r, c)


def _grid(ws: Any, g: Grid, top: int, st: _Styles, freeze: bool) -> int:
    """Write ``g`` from row ``top``; return the next free row."""
    r = top
    if g.title:
        c = _set(ws, r, 1, g.title)
        st.apply(c, "font:title", "alignment:center")
        _merge(ws, r, 1, 1, g.width)
        r += 1
    for m in g.meta:
        c = _set(ws, r, 1, m)
        st.apply(c, "font:normal")
        r += 1
    for i, (row, cols) in enumerate(zip(g.head, positions(g.head), strict=True)):
        for cell, col0 in zip(row, cols, strict=True):
            col = col0 + 1
            _set(ws, r + i, col, cell.text)
            if cell.colspan > 1 or cell.rowspan > 1:
                _merge(ws, r + i, col, cell.rowspan, cell.colspan)
        for j in range(g.width):
            st.apply(ws.cell(row=r + i, column=j + 1), "font:bold", "alignment:center", "border", "fill")
    r += len(g.head)
    body_top = r
    for i, (row, cols) in enumerate(zip(g.body, positions(g.body), strict=True)):
        for cell, col0 in zip(row, cols, strict=True):
            col = col0 + 1
            if cell.numeric:
                c = _number(ws, r + i, col, cell.text, st)
            else:
                c = _set(ws, r + i, col, cell.text)
                st.apply(c, "alignment:left", "border", "font:normal")
            if cell.colspan > 1 or cell.rowspan > 1:
                _merge(ws, r + i, col, cell.rowspan, cell.colspan)
        styled = {c + 1 for c in cols}
        for j in range(1, g.width + 1):
            if j not in styled:  # places covered by a merge: the rule only
                st.apply(ws.cell(row=r + i, column=j), "border", "font:normal")
    r += len(g.body)
    if g.note:
        c = _set(ws, r, 1, g.note)
        st.apply(c, "font:normal")
        r += 1
    if freeze and g.head:
        labels = 3 if g.numbered_head_rows else 1
        ws.freeze_panes = ws.cell(row=body_top, column=min(labels + 1, g.width))
    return r + 1


def positions(rows: tuple[tuple[Any, ...], ...]) -> list[list[int]]:
    """The 0-based grid column of every cell, skipping places covered by spans above."""
    occupied: dict[int, set[int]] = {}
    out: list[list[int]] = []
    for i, row in enumerate(rows):
        occ = occupied.setdefault(i, set())
        col = 0
        cols = []
        for cell in row:
            while col in occ:
                col += 1
            cols.append(col)
            for di in range(cell.rowspan):
                occupied.setdefault(i + di, set()).update(range(col, col + cell.colspan))
            col += cell.colspan
        out.append(cols)
    return out


def _widths(ws: Any, g: Grid) -> None:
    from openpyxl.utils import get_column_letter

    matrix = flatten(g.head, g.width) + flatten(g.body, g.width)
    for j in range(g.width):
        longest = max((len(row[j]) for row in matrix if j < len(row)), default=4)
        ws.column_dimensions[get_column_letter(j + 1)].width = max(6, min(40, longest * 1.8 + 2))


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("", title)[:28] or "表"
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    used.add(name)
    return name


def write(printed: Printed) -> bytes:
    from openpyxl import Workbook

    st = _Styles(printed.profile.thousands)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    narrative: Any = None
    row = 1
    for b in printed.blocks:
        if isinstance(b, Toc):
            continue
        if isinstance(b, Grid) and narrative is None:
            ws = wb.create_sheet(_sheet_name(b.title or b.table_id, used))
            _grid(ws, b, 1, st, freeze=True)
            _widths(ws, b)
            ws.page_setup.orientation = "landscape" if b.wide else "portrait"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.print_options.horizontalCentered = True
            continue
        if narrative is None:
            narrative = wb.create_sheet(
                _sheet_name("情况说明", used), 0 if printed.profile.parts == "narrative-first" else None
            )
            narrative.column_dimensions["A"].width = 18
            for col in "BCDEFGHIJKLMN":
                narrative.column_dimensions[col].width = 16
        if isinstance(b, Heading):
            c = _set(narrative, row, 1, b.text)
            st.apply(c, "font:heading" if b.level <= 2 else "font:bold")
            row += 1
        elif isinstance(b, Para):
            c = _set(narrative, row, 1, b.text)
            st.apply(c, "font:normal", "alignment:para")
            _merge(narrative, row, 1, 1, 7)
            narrative.row_dimensions[row].height = max(15, 15 * (len(b.text) // 45 + 1))
            row += 1
        else:
            row = _grid(narrative, b, row + 1, st, freeze=False)
    if not wb.sheetnames:
        wb.create_sheet("空")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile))
