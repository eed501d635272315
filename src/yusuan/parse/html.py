"""The HTML reader: a disclosure published as a web page (or printed to HTML) →
``RawDocument``.

The body is walked in document order: headings (``h1``–``h6``) and text blocks become
``RawLine``s, each ``<table>`` a ``RawGrid`` with its ``colspan``/``rowspan`` laid out
on a full grid (covered positions marked). Scripts, styles and navigation are skipped.
HTML has no pages: ``page`` stays empty and ``line`` is the source line when known.
"""

from __future__ import annotations

import re
from typing import Any

from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import Block, RawCell, RawDocument, RawGrid, RawLine

__all__ = ["read_raw"]

MAX_SPAN = 200
MAX_CELLS = 500000
_SKIP = {"script", "style", "noscript", "template", "head", "nav", "svg", "iframe", "object"}
_BLOCK_TEXT = {"p", "li", "caption", "pre", "blockquote", "dt", "dd", "figcaption", "address", "td", "th"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def read_raw(data: bytes, source: str) -> RawDocument:
    """Read an HTML document held in ``data``."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_decode(data))
    except (lxml.etree.ParserError, ValueError):
        raise UnreadableError(source, "HTML 文件是空的或无法解析。") from None
    body = root.find("body")
    blocks: list[Block] = []
    _walk(body if body is not None else root, blocks)
    if not blocks:
        raise UnreadableError(source, "HTML 页面中没有任何文字或表格。")
    return RawDocument(source=source, format="html", blocks=tuple(blocks))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _decode(data: bytes) -> str:
    """The page as text: BOM, then the declared charset, then UTF-8, then GB18030 (the
    encodings Chinese government sites use)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        m = _CHARSET.search(data[:4096])
        encodings = [m.group(1).decode("ascii").lower()] if m else []
        text = ""
        for enc in [*encodings, "utf-8", "gb18030"]:
            try:
                text = data.decode("gb18030" if enc in ("gb2312", "gbk") else enc)
                break
            except (UnicodeDecodeError, LookupError):
                continue
        else:
            text = data.decode("utf-8", errors="replace")
    return _XML_DECL.sub("", text)


def _text(el: Any) -> str:
    """The text of an element, white space folded, ``<br>`` and blocks as line breaks
    (joined by a space), scripts and styles left out."""
    parts: list[str] = []
    _collect(el, parts)
    return " ".join(" ".join(s.split()) for s in "".join(parts).split("\n") if s.strip())


def _collect(node: Any, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in _SKIP or not tag:
        return
    if tag in ("br", "p", "div", "li", "tr"):
        parts.append("\n")
    if node.text:
        parts.append(node.text)
    for child in node:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _walk(el: Any, blocks: list[Block]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP:
        return
    if tag == "table":
        grid = _table(el)
        if grid is not None:
            blocks.append(grid)
        return
    if (tag in _HEADINGS or tag in _BLOCK_TEXT) and el.find(".//table") is None:
        text = _text(el)
        if text:
            blocks.append(RawLine(text=text, line=el.sourceline, heading=_HEADINGS.get(tag)))
        return
    if el.text and el.text.strip():
        blocks.append(RawLine(text=" ".join(el.text.split()), line=el.sourceline))
    for child in el:
        _walk(child, blocks)
        if child.tail and child.tail.strip():
            blocks.append(RawLine(text=" ".join(child.tail.split()), line=child.sourceline))


def _span(el: Any, name: str) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _table(table: Any) -> RawGrid | None:
    """Lay the table's rows out on a full grid: a cell with ``colspan``/``rowspan`` takes
    its place and the positions it covers are marked ``covered``."""
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    placed: dict[tuple[int, int], RawCell] = {}
    lines: list[int] = []
    width = 0
    for r, tr in enumerate(rows):
        lines.append(tr.sourceline or 0)
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in placed:
                c += 1
            colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
            rowspan = min(rowspan, len(rows) - r)
            if len(placed) + colspan * rowspan > MAX_CELLS:
                break
            placed[(r, c)] = RawCell(_text(td), colspan=colspan, rowspan=rowspan)
            for i in range(r, r + rowspan):
                for j in range(c, c + colspan):
                    if (i, j) != (r, c):
                        placed[(i, j)] = RawCell("", covered=True)
            c += colspan
            width = max(width, c)
    if not rows or width == 0:
        return None
    grid = tuple(tuple(placed.get((r, c), RawCell("")) for c in range(width)) for r in range(len(rows)))
    return RawGrid(rows=grid, line=lines[0] or None, row_lines=tuple(lines) if all(lines) else ())


def _owner(tr: Any) -> Any:
    """The table a row belongs to (rows of nested tables belong to those)."""
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node
