"""The DOCX reader: a Word document → ``RawDocument``.

The body is read in order: each paragraph becomes a ``RawLine`` (``heading`` from the
style, ``Heading N`` / ``标题 N`` / ``Title``), each table a ``RawGrid`` whose merged
cells (``gridSpan``, ``vMerge``) keep their ``colspan``/``rowspan``. Word has no fixed
pages: ``page`` stays empty; ``line`` numbers the body's blocks from 1.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import Block, RawCell, RawDocument, RawGrid, RawLine

__all__ = ["read_raw"]

MAX_BLOCKS = 100000
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def read_raw(data: bytes, source: str) -> RawDocument:
    """Read a DOCX document held in ``data``."""
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise UnreadableError(source, "压缩包里没有 Word 正文（word/document.xml），不是 DOCX 文件。")
        document = docx.Document(io.BytesIO(data))
    except UnreadableError:
        raise
    except zipfile.BadZipFile:
        raise UnreadableError(source, "DOCX 文件已损坏或不完整（不是有效的压缩包）。") from None
    except Exception as e:  # python-docx/lxml raise many kinds on malformed parts
        raise UnreadableError(source, f"DOCX 文件已损坏，无法读取（{type(e).__name__}）。") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    for n, item in enumerate(document.iter_inner_content(), start=1):
        if n > MAX_BLOCKS:
            break
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                blocks.append(RawLine(text=text, line=n, heading=_heading(item)))
        elif isinstance(item, Table):
            grid = _table(item, n)
            if grid is not None:
                blocks.append(grid)
    if not blocks:
        raise UnreadableError(source, "Word 文档是空的，没有任何文字或表格。")
    return RawDocument(source=source, format="docx", blocks=tuple(blocks))


def _heading(paragraph: Any) -> int | None:
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return None
    if name == "Title":
        return 1
    m = _HEADING_STYLE.match(name or "")
    return int(m.group(1)) if m else None


def _table(table: Any, line: int) -> RawGrid | None:
    """A Word table as a grid: python-docx gives the same ``_tc`` for every grid cell a
    merged cell covers, which yields the spans."""
    rows = [list(row.cells) for row in table.rows]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    tcs = [[(r[c]._tc if c < len(r) else None) for c in range(width)] for r in rows]
    out: list[tuple[RawCell, ...]] = []
    for i, row in enumerate(tcs):
        cells: list[RawCell] = []
        for j, tc in enumerate(row):
            if tc is None:
                cells.append(RawCell(""))
                continue
            left = j > 0 and row[j - 1] is tc
            above = i > 0 and tcs[i - 1][j] is tc
            if left or above:
                cells.append(RawCell("", covered=True))
                continue
            colspan = 1
            while j + colspan < width and row[j + colspan] is tc:
                colspan += 1
            rowspan = 1
            while i + rowspan < len(tcs) and tcs[i + rowspan][j] is tc:
                rowspan += 1
            text = "\n".join(p.text for p in rows[i][j].paragraphs).strip()
            cells.append(RawCell(text, colspan=colspan, rowspan=rowspan))
        out.append(tuple(cells))
    return RawGrid(rows=tuple(out), line=line)
