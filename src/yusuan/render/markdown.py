"""Markdown writer: the form of the reference document (converted PDF markdown).

Plain title lines (no ``#``), the department line ``711 张家口市总工会``, ``预算年度：2024``,
``单位：万元``, pipe tables whose first header row is the table's first printed header row
(cells covered by a merge are left blank), the 栏次 row, notes ``注：…，空表列示。`` and the
explanations as numbered paragraphs.
"""

from __future__ import annotations

from yusuan.model import Disclosure
from yusuan.render.layout import GCell, Grid, Heading, Para, Printed, Toc, layout
from yusuan.render.profiles import Profile


def flatten(rows: tuple[tuple[GCell, ...], ...], width: int) -> list[list[str]]:
    """Rows of spanned cells → a full matrix of texts, covered positions blank."""
    out: list[list[str | None]] = [[None] * width for _ in rows]
    for i, row in enumerate(rows):
        j = 0
        for c in row:
            while j < width and out[i][j] is not None:
                j += 1
            if j >= width:
                break
            for di in range(c.rowspan):
                for dj in range(c.colspan):
                    if i + di < len(rows) and j + dj < width:
                        out[i + di][j + dj] = ""
            out[i][j] = c.text
            j += c.colspan
    return [[x or "" for x in r] for r in out]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _pipe(row: list[str]) -> str:
    return "| " + " | ".join(_cell(t) for t in row) + " |"


def grid_markdown(g: Grid) -> str:
    parts: list[str] = []
    if g.title:
        parts.append(g.title)
    parts.extend(g.meta)
    head = flatten(g.head, g.width) if g.head else [[""] * g.width]
    body = flatten(g.body, g.width)
    lines = [_pipe(head[0]), "|" + "|".join("----" for _ in range(g.width)) + "|"]
    lines += [_pipe(r) for r in head[1:]]
    lines += [_pipe(r) for r in body]
    parts.append("\n".join(lines))
    if g.note:
        parts.append(g.note)
    return "\n\n".join(parts)


def _toc(t: Toc) -> str:
    parts = [t.title]
    for caption, entries in t.groups:
        if caption:
            parts.append(caption)
        if entries:
            rows = ["| | |", "|----|----|"] + [f"| {_cell(title)}..... | |" for title, _ in entries]
            parts.append("\n".join(rows))
    return "\n\n".join(parts)


def write(printed: Printed) -> str:
    parts: list[str] = []
    for b in printed.blocks:
        if isinstance(b, Heading | Para):
            parts.append(b.text)
        elif isinstance(b, Toc):
            parts.append(_toc(b))
        else:
            parts.append(grid_markdown(b))
    return "\n\n".join(parts) + "\n"


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile)).encode("utf-8")
