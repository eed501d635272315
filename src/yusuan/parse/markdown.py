"""The markdown reader: a disclosure converted to markdown (pipe tables, headings or plain
title lines, as in the reference document) → ``RawDocument``.

Each non-empty line outside a table becomes a ``RawLine``; each run of ``|`` lines a
``RawGrid`` (the ``|---|`` separator dropped), with the source line of every row kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import Block, RawCell, RawDocument, RawGrid, RawLine

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _split_row(line: str) -> tuple[str, ...]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    parts = [p.replace("\\|", "|") for p in re.split(r"(?<!\\)\|", s)] if "\\|" in s else s.split("|")
    if "*" in s or "__" in s:
        parts = [_EMPHASIS.sub(r"\2", p) for p in parts]
    return tuple(map(str.strip, parts))


_EMPTY = RawCell("")


@lru_cache(maxsize=16384)
def _cell(text: str) -> RawCell:
    # cells are immutable and repeat a lot (empty cells, amounts): share them
    return RawCell(text)


def _grid(rows: list[tuple[int, tuple[str, ...]]]) -> RawGrid:
    width = max(len(r) for _, r in rows)
    cells = tuple(
        tuple(map(_cell, r)) if len(r) == width else tuple(map(_cell, r)) + (_EMPTY,) * (width - len(r))
        for _, r in rows
    )
    return RawGrid(rows=cells, line=rows[0][0], row_lines=tuple(n for n, _ in rows))


def read_raw(data: bytes, source: str) -> RawDocument:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableError(source, "文件不是 UTF-8 或 GB18030 编码的文本，无法作为 Markdown 读取。") from None
    if "\x00" in text:
        raise UnreadableError(source, "文件含有二进制内容，不是 Markdown 文本。")
    blocks: list[Block] = []
    pending: list[tuple[int, tuple[str, ...]]] = []
    for n, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if line.startswith("|") or (pending and line.count("|") >= 2 and not line.startswith("#")):
            if _SEPARATOR.match(line):
                continue
            pending.append((n, _split_row(line)))
            continue
        if pending:
            blocks.append(_grid(pending))
            pending = []
        if not line:
            continue
        m = _HEADING.match(line)
        if m:
            blocks.append(RawLine(text=_EMPHASIS.sub(r"\2", m.group(2)), line=n, heading=len(m.group(1))))
        else:
            blocks.append(RawLine(text=_EMPHASIS.sub(r"\2", line), line=n))
    if pending:
        blocks.append(_grid(pending))
    if not blocks:
        raise UnreadableError(source, "文件中没有任何内容。")
    return RawDocument(source=source, format="md", blocks=tuple(blocks))
