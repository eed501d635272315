"""What every format reader produces: the raw content of a file, before any meaning.

A :class:`RawDocument` is the file's pages as an ordered list of blocks: lines of text
(:class:`RawLine`) and grids of cells (:class:`RawGrid`). Readers only get these right —
the text of each cell and line, and where it stands. Deciding what a table is, merging its
pages and splitting the explanations happens once, in ``parse.assemble``, for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

Box = tuple[float, float, float, float]


class RawCell(NamedTuple):
    """One cell of a grid as printed. ``text`` is raw (normalised later by the assembler);
    ``box`` is ``(x0, top, x1, bottom)`` on the page when the format has geometry;
    ``colspan``/``rowspan`` > 1 for a merged cell (the cells it covers are present with
    ``covered=True`` and empty text, so that every row of a grid has the same length).
    A NamedTuple: readers make thousands per document."""

    text: str
    box: Box | None = None
    colspan: int = 1
    rowspan: int = 1
    covered: bool = False


@dataclass(frozen=True, slots=True)
class RawGrid:
    """A table region: rows of cells, each row the same length."""

    rows: tuple[tuple[RawCell, ...], ...]
    page: int | None = None
    line: int | None = None
    box: Box | None = None
    #: 1-based source line of each row, for text formats (markdown); empty otherwise.
    row_lines: tuple[int, ...] = ()
    #: False when the reader knows no cell is merged (markdown): the assembler skips looking
    merged: bool = True
    #: True when the reader already normalised every cell's text (``model.text.normalize``)
    normalized: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]


class RawLine(NamedTuple):
    """A line (or paragraph) of text outside grids. ``heading``/``size`` help the assembler
    recognise headings where the format says so. A NamedTuple, like ``RawCell``."""

    text: str
    page: int | None = None
    line: int | None = None
    box: Box | None = None
    heading: int | None = None
    size: float | None = None


Block = RawLine | RawGrid


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A file read into blocks. ``source`` is the path as given; ``format`` the format
    recognised (``md``, ``pdf``, ``xlsx``, ``docx``, ``html``); ``pages`` the page count
    where the format has pages; ``warnings`` things the reader noticed (kept as data)."""

    source: str
    format: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    warnings: tuple[tuple[str, str, int | None], ...] = field(default=())
