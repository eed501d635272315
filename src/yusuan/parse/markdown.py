"""The markdown reader: a disclosure converted to markdown (pipe tables, headings or plain
title lines, as in the reference document) → ``RawDocument``.

Each non-empty line outside a table becomes a ``RawLine``; each run of ``|`` lines a
``RawGrid`` (the ``|---|`` separator dropped), with the source line of every row kept.
Cell texts are normalised here (``RawGrid.normalized``) and no cell is merged
(``RawGrid.merged`` is False), which spares the assembler both passes.

Speed: a table line is split with ``str.split`` and its cells looked up in one shared
table of ``RawCell`` (cells repeat a lot: empty cells, amounts, header words); the
separator and emphasis expressions only run on the lines that could hold them.
"""

from __future__ import annotations

import re

from yusuan.model.text import normalize
from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import Block, RawCell, RawDocument, RawGrid, RawLine

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")


#: Text as printed → shared ``RawCell`` holding it normalised (cells are immutable).
_CELLS: dict[str, RawCell] = {}
_EMPTY = RawCell("")


def _new_cell(text: str) -> RawCell:
    if len(_CELLS) > 65536:
        _CELLS.clear()
    cell = _CELLS[text] = RawCell(normalize(text))
    return cell


def _unemphasise(text: str) -> str:
    return _EMPHASIS.sub(r"\2", text) if ("*" in text or "__" in text) else text


def _split_row(line: str) -> tuple[RawCell, ...]:
    """The cells of a (stripped) table line."""
    s = line[1:] if line.startswith("|") else line
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    parts = ([p.replace("\\|", "|") for p in _UNESCAPED_BAR.split(s)] if "\\|" in s
             else s.split("|"))
    if "*" in s or "__" in s:
        parts = [_unemphasise(p) for p in parts]
    cells = _CELLS
    out: list[RawCell] = []
    for p in parts:
        t = p.strip()
        cell = cells.get(t)
        out.append(cell if cell is not None else _new_cell(t))
    return tuple(out)


def _grid(rows: list[tuple[RawCell, ...]], lines: list[int]) -> RawGrid:
    width = max(map(len, rows))
    cells = tuple(r if len(r) == width else r + (_EMPTY,) * (width - len(r)) for r in rows)
    return RawGrid(rows=cells, line=lines[0], row_lines=tuple(lines), merged=False, normalized=True)


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableError(source, "文件不是 UTF-8 或 GB18030 编码的文本，无法作为 Markdown 读取。") from None
    if "\x00" in text:
        raise UnreadableError(source, "文件含有二进制内容，不是 Markdown 文本。")
    return text


def read_raw(data: bytes, source: str) -> RawDocument:
    text = _decode(data, source)
    blocks: list[Block] = []
    rows: list[tuple[RawCell, ...]] = []
    row_lines: list[int] = []
    separator = _SEPARATOR.match
    for n, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if line[:1] == "|" or (rows and line.count("|") >= 2 and line[:1] != "#"):
            if "--" in line and separator(line):
                continue
            rows.append(_split_row(line))
            row_lines.append(n)
            continue
        if rows:
            blocks.append(_grid(rows, row_lines))
            rows, row_lines = [], []
        if not line:
            continue
        if line[:1] == "#" and (m := _HEADING.match(line)):
            blocks.append(RawLine(_unemphasise(m.group(2)), None, n, None, len(m.group(1))))
        else:
            blocks.append(RawLine(_unemphasise(line), None, n))
    if rows:
        blocks.append(_grid(rows, row_lines))
    if not blocks:
        raise UnreadableError(source, "文件中没有任何内容。")
    return RawDocument(source=source, format="md", blocks=tuple(blocks))
