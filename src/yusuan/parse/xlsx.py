"""The XLSX reader: a workbook (the budget system's export, yusuan's own export, a
table an officer typed) → ``RawDocument``.

Each sheet is read top to bottom. Rows that hold a single text (the title, the
department and unit lines, a note under the table) become ``RawLine``s; the rows of a
table become a ``RawGrid`` whose merged ranges keep their ``colspan``/``rowspan``.
Workbooks have no pages: ``page`` stays empty and ``line`` is the row number in the
sheet (the sheet's name is given as a heading line before its content).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import Block, RawCell, RawDocument, RawGrid, RawLine

__all__ = ["read_raw"]

#: Bounds against hostile workbooks (a sheet claiming a million rows).
MAX_ROWS = 20000
MAX_COLS = 200
MAX_SHEETS = 200


def read_raw(data: bytes, source: str) -> RawDocument:
    """Read an XLSX workbook held in ``data``."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "xl/workbook.xml" not in z.namelist():
                raise UnreadableError(source, "压缩包里没有工作簿（xl/workbook.xml），不是 XLSX 文件。")
        # read-only mode is several times faster; it does not bind merged cells (the
        # slow part of a normal load), so the merged ranges are read from the sheet XML.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        archive = zipfile.ZipFile(io.BytesIO(data))
    except UnreadableError:
        raise
    except zipfile.BadZipFile:
        raise UnreadableError(source, "XLSX 文件已损坏或不完整（不是有效的压缩包）。") from None
    except Exception as e:  # openpyxl raises many kinds on malformed parts
        raise UnreadableError(source, f"XLSX 文件已损坏，无法读取（{type(e).__name__}）。") from None
    blocks: list[Block] = []
    warnings: list[tuple[str, str, int | None]] = []
    try:
        for ws in wb.worksheets[:MAX_SHEETS]:
            blocks.extend(_sheet(ws, warnings, _merged_ranges(archive, ws)))
    except UnreadableError:
        raise
    except Exception as e:  # malformed sheet XML surfaces while iterating in read-only mode
        raise UnreadableError(source, f"XLSX 文件已损坏，无法读取（{type(e).__name__}）。") from None
    finally:
        wb.close()
        archive.close()
    if not any(isinstance(b, RawGrid) for b in blocks) and not blocks:
        raise UnreadableError(source, "工作簿是空的，没有任何内容。")
    return RawDocument(source=source, format="xlsx", blocks=tuple(blocks), warnings=tuple(warnings))


def _text(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value != value:  # NaN
            return ""
        d = Decimal(str(value))
        if "0.00" in number_format or (isinstance(value, float) and d != d.to_integral_value()):
            places = 2 if "0.00" in number_format else max(-d.as_tuple().exponent, 0)  # type: ignore[operator]
            d = d.quantize(Decimal(1).scaleb(-places))
        return f"{d:f}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return str(value).strip()


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def _merged_ranges(archive: zipfile.ZipFile, ws: Any) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only sheet as (min_row, min_col, max_row, max_col)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    path = getattr(ws, "_worksheet_path", None)
    if not path:
        return []
    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return []
    out = []
    for a, b in _MERGE.findall(xml):
        r0, c0 = coordinate_to_tuple(a.decode())
        r1, c1 = coordinate_to_tuple(b.decode())
        out.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    return out


def _sheet(
    ws: Any, warnings: list[tuple[str, str, int | None]], merged: list[tuple[int, int, int, int]]
) -> list[Block]:
    values: list[list[str]] = []
    truncated = False
    for n, row in enumerate(ws.iter_rows()):
        if n >= MAX_ROWS:
            truncated = True
            break
        if len(row) > MAX_COLS:
            truncated = True
        values.append([_text(c.value, getattr(c, "number_format", "General") or "General") for c in row[:MAX_COLS]])
    if truncated:
        warnings.append(("sheet-truncated", f"工作表“{ws.title}”过大，只读取了前 {MAX_ROWS} 行、{MAX_COLS} 列。", None))
    max_row = len(values)
    max_col = max((len(r) for r in values), default=0)
    if max_row == 0 or max_col == 0:
        return []
    for texts in values:
        if len(texts) < max_col:
            texts.extend([""] * (max_col - len(texts)))
    # Merged ranges: anchor → (colspan, rowspan); covered cells.
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for min_row, min_col, max_r, max_c in merged:
        r0, c0, r1, c1 = min_row - 1, min_col - 1, max_r - 1, max_c - 1
        if r0 >= max_row or c0 >= max_col:
            continue
        r1, c1 = min(r1, max_row - 1), min(c1, max_col - 1)
        spans[(r0, c0)] = (c1 - c0 + 1, r1 - r0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    # Drop columns that are empty everywhere (trailing or spacer columns).
    used = [
        c
        for c in range(max_col)
        if any(values[r][c] for r in range(max_row)) or any((r, c) in spans for r in range(max_row))
    ]
    if not used:
        return []
    blocks: list[Block] = [RawLine(text=str(ws.title), heading=1)]
    grid_rows: list[tuple[int, tuple[RawCell, ...]]] = []

    def flush() -> None:
        if grid_rows:
            # The sheet is as wide as its widest table: cut this table's empty columns
            # at the right.
            width = 1 + max(
                (j for _, row in grid_rows for j, c in enumerate(row) if c.text or c.covered or c.colspan > 1),
                default=0,
            )
            grid_rows[:] = [(n, row[:width]) for n, row in grid_rows]
            blocks.append(
                RawGrid(
                    rows=tuple(r for _, r in grid_rows), line=grid_rows[0][0], row_lines=tuple(n for n, _ in grid_rows)
                )
            )
            grid_rows.clear()

    filled_rows = [[values[r][c] for c in used if values[r][c]] for r in range(max_row)]
    for r in range(max_row):
        filled = filled_rows[r]
        if not filled:
            # A blank row ends the table when text follows it (a note, the next title);
            # blank rows inside a table (Shanghai's padding rows) are skipped.
            following = next((f for f in filled_rows[r + 1 :] if f), None)
            if following is None or len(following) == 1 or _is_meta_row(following):
                flush()
            continue
        # A single text spanning the row (or alone in it) is a line, not a table row —
        # unless a table is under way and the row is one of its rows (a label alone).
        single = len(filled) == 1 and not grid_rows
        if single or (len(filled) == 1 and _is_line(filled[0]) and values[r][used[0]] != ""):
            flush()
            blocks.append(RawLine(text=filled[0], line=r + 1))
            continue
        if not grid_rows and _is_meta_row(filled):
            for t in filled:
                blocks.append(RawLine(text=t, line=r + 1))
            continue
        cells = []
        for c in used:
            if (r, c) in covered:
                cells.append(RawCell("", covered=True))
            else:
                colspan, rowspan = spans.get((r, c), (1, 1))
                if colspan > 1:
                    colspan = sum(1 for u in used if c <= u < c + colspan)
                cells.append(RawCell(values[r][c], colspan=max(colspan, 1), rowspan=rowspan))
        grid_rows.append((r + 1, tuple(cells)))
    flush()
    return blocks


def _is_line(text: str) -> bool:
    """A note or sentence under a table rather than a row label."""
    return text.startswith(("注", "说明", "备注")) or len(text) > 40


def _is_meta_row(texts: list[str]) -> bool:
    """A row of meta texts above the table: ``编制部门：… | 单位：元``."""
    return all(("：" in t or ":" in t) for t in texts)
