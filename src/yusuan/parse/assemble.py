"""Assembly: ``RawDocument`` (any format) → ``Disclosure``. Format-free.

The stages, in order:

1. normalise text (Kangxi look-alikes, spaces inside CJK labels);
2. walk the blocks: a grid preceded by a title line starts a table (its kind from the
   title, ``layouts.classify_title``), meta lines (department, 预算年度, 单位) are read,
   ``注：`` lines become the table's note; a grid without a title continues the table
   before it (a table printed over several pages);
3. per table: header rows rebuilt into column paths (the 栏次 row ends the header; pages of
   the same table settle a header a converter misplaced), key columns (序号, code, label)
   found, rows read, 序号 continuity checked; two-sided tables split into 收入/支出 rows;
4. 绩效目标表 grids parsed into ``Project`` with structured indicators;
5. the remaining lines split into numbered sections (一、 （一） 1、).

Everything the assembler notices or repairs is kept as a ``ParseNote``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Literal

from yusuan.model import (
    Cell,
    Column,
    Disclosure,
    Location,
    Paragraph,
    ParseNote,
    Row,
    Section,
    Table,
    TocEntry,
)
from yusuan.model.codes import join_code
from yusuan.model.document import Unit
from yusuan.model.text import compact, normalize, parse_amount, split_numbering
from yusuan.parse.errors import UnreadableError
from yusuan.parse.layouts import (
    LABEL_HEADERS,
    SEQ_HEADERS,
    classify_header,
    classify_title,
    is_code_header,
    looks_like_title,
    names_table,
    other_slug,
    side_of_header,
)
from yusuan.parse.project import parse_project
from yusuan.parse.raw import RawCell, RawDocument, RawGrid, RawLine

_DEPT_LINE = re.compile(r"^(?P<code>\d{3,12})\s+(?P<name>\S.{1,60})$")
_DEPT_LABEL = re.compile(
    r"^(?:部门|单位|预算单位|编制单位|部门名称|单位名称|预算部门|编制部门|预算主管部门|主管部门)[:：]\s*(?P<name>\S.{0,60})$"
)
_YEAR = re.compile(r"(?:预算年度|年度)[:：]\s*(?P<year>20\d\d)")
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(?P<unit>万元|元)")
_DEADLINE = re.compile(r"^截[止至]\s*(?:时间|日期)?[:：]")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*[:：]")
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年")
_LABEL_COUNT = re.compile(r"^(?:栏次|档次|栏号)$")
_TOC_DOTS = re.compile(r"(\.{3,}|…{2,}|·{3,})")
_UNIT_TAIL = re.compile(r"\s*(?:金额)?单位[:：]\s*(?:万元|元)$")
_TOC_HEAD = re.compile(r"^目\s*录$")
_TOC_PAGE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|\s)\s*(\d{1,3})$")
#: the department before the year in a title or file name; "第二部分" (a part heading) is none
_PART_NUMBER = re.compile(r"第[一二三四五六七八九十]+部分")
_DEPT_IN_TITLE = re.compile(r"^(?!第[一二三四五六七八九十]+部分)(\S.*?)\s*20\d\d\s*年")
_CODE_IN_LABEL = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\S.*)$")
_SENTENCE_END = "。！？；：!?;:"
_PARAGRAPH_END = _SENTENCE_END + "」”）)"
_DEPT_IN_META = re.compile(r"(?:部门|单位名称|编制单位|预算单位)[:：]\s*(\S+)")
_CLAUSE = re.compile(r"[。，；]")
_PAGE_NUMBER = re.compile(r"(\d+|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|-\s*\d+\s*-)")
_UNIT_IN_CELL = re.compile(r"单位[:：]\s*(万元|元)")
_UNIT_DOC = re.compile(r"单位(?:预算|决算)")
_DEPT_DOC = re.compile(r"部门(?:预算|决算)")
_UNIT_WORDING = re.compile(r"单位(?:预算|决算)|预算单位")


@dataclass
class _Meta:
    department: str | None = None
    department_code: str | None = None
    year: int | None = None
    unit: str | None = None


_new = tuple.__new__
_TEXT = itemgetter(0)  # RawCell.text, for map()
_HEADER_SCAN = 8  # header rows are looked for among the first rows only


@dataclass
class _Page:
    grid: RawGrid
    meta: _Meta
    texts: list[list[str]] = field(default_factory=list)  # normalised cell texts
    #: the first rows with each merged cell's text spread over the positions it covers
    #: (None when the grid has no merged cell there: markdown, or a plain grid)
    spanned: list[list[str]] | None = None
    #: per first row: the row index the merged cells starting in it reach (exclusive)
    reach: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.texts:
            self.texts = _grid_texts(self.grid)
            self._spans()

    def _spans(self) -> None:
        if not self.grid.merged:
            return
        head = self.grid.rows[:_HEADER_SCAN]
        if not any(c.colspan > 1 or c.rowspan > 1 for r in head for c in r):
            return
        n = len(head)
        filled = [list(r) for r in self.texts[:n]]
        reach = list(range(1, n + 1))
        for i, row in enumerate(head):
            for j, c in enumerate(row):
                if c.covered or (c.colspan == 1 and c.rowspan == 1):
                    continue
                reach[i] = max(reach[i], i + c.rowspan)
                text = self.texts[i][j]
                for di in range(min(c.rowspan, n - i)):
                    target = filled[i + di]
                    for dj in range(min(c.colspan, len(target) - j)):
                        target[j + dj] = text
        self.spanned, self.reach = filled, reach


def _fold_empty_columns(pages: list[_Page]) -> list[_Page]:
    """The pages without the columns that are empty in every row of every page, header
    included (the thin slivers of a Word-made table whose borders do not line up). Pages
    of different widths are folded each on its own."""
    widths = {len(p.texts[0]) for p in pages if p.texts}
    groups = [pages] if len(widths) == 1 else [[p] for p in pages]
    out: list[_Page] = []
    for group in groups:
        width = len(group[0].texts[0]) if group[0].texts else 0
        used = [False] * width
        for p in group:
            for r in p.texts:
                for j, c in enumerate(r):
                    if c and not used[j]:
                        used[j] = True
        if all(used):
            out.extend(group)
            continue
        keep = [j for j in range(width) if used[j]]
        for p in group:
            rows = tuple(tuple(r[j] for j in keep) for r in p.grid.rows)
            grid = RawGrid(rows=rows, page=p.grid.page, line=p.grid.line, box=p.grid.box,
                           row_lines=p.grid.row_lines, merged=p.grid.merged,
                           normalized=p.grid.normalized)
            spanned = [[r[j] for j in keep] for r in p.spanned] if p.spanned is not None else None
            out.append(_Page(grid=grid, meta=p.meta, texts=[[r[j] for j in keep] for r in p.texts],
                             spanned=spanned, reach=p.reach))
    return out


def _page_header(page: _Page) -> tuple[list[list[str]], int]:
    """(header rows, index of the first body row) of a page. Where merged cells are known,
    the header reaches down to the last row a header cell spans; a body row that also
    prints the 类/款/项 sub-headers (决算: ``类 | 款 | 项 | 合计 | 2,946.25``) gives those to
    the header."""
    rows, end = _split_header(page.texts)
    if page.spanned is None or not rows:
        return rows, end
    i = 0
    while i < end and i < len(page.reach):
        end = max(end, min(page.reach[i], len(page.texts)))
        i += 1
    header = [list(r) for r in page.spanned[:end]] if end <= len(page.spanned) else page.texts[:end]
    if end < len(page.texts):
        row = page.texts[end]
        subs = [j for j, c in enumerate(row) if c in ("类", "款", "项")]
        if len(subs) >= 2 and any(c and j not in subs for j, c in enumerate(row)):
            header.append([c if j in subs else "" for j, c in enumerate(row)])
            page.texts[end] = ["" if j in subs else c for j, c in enumerate(row)]
    return header, end


def _grid_texts(grid: RawGrid) -> list[list[str]]:
    if grid.normalized:
        return [list(map(_TEXT, r)) for r in grid.rows]
    return [list(map(normalize, map(_TEXT, r))) for r in grid.rows]


@dataclass
class _PendingTable:
    id: str
    title: str
    line: int | None
    page: int | None
    pages: list[_Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _meta_of(text: str, meta: _Meta) -> bool:
    """Reads a meta line into ``meta``; True when the line is one."""
    if "：" not in text and ":" not in text and not text[:1].isdigit():
        return False  # every meta pattern needs a colon, but _DEPT_LINE (a leading code)
    hit = False
    m = _YEAR.search(text)
    if m:
        meta.year = int(m.group("year"))
        hit = True
    m = _UNIT.search(text)
    if m:
        meta.unit = m.group("unit")
        hit = True
    if _DEADLINE.match(text):
        hit = True
    if hit:
        m = _DEPT_IN_META.search(text)
        if m and m.group(1) not in ("万元", "元"):
            meta.department = m.group(1)
        return True
    m = _DEPT_LINE.match(text)
    if m and not _CLAUSE.search(text):
        meta.department_code = m.group("code")
        meta.department = m.group("name").strip()
        return True
    m = _DEPT_LABEL.match(text)
    if m:
        meta.department = m.group("name").strip()
        return True
    return False


def _lift_title_rows(grid: RawGrid) -> tuple[RawGrid, list[RawLine]]:
    """A grid whose first rows print the table's title, department and unit inside the
    ruling (blank rows, then one text per row): those rows as lines, and the rest."""
    lines: list[RawLine] = []
    k = 0
    for row in grid.rows[:_HEADER_SCAN]:
        texts = [normalize(c.text) for c in row if c.text.strip()]
        if texts and not all(
            names_table(t) or _meta_of(t, _Meta()) for t in texts
        ):
            break
        for c, t in ((c, normalize(c.text)) for c in row if c.text.strip()):
            lines.append(RawLine(t, grid.page, grid.line, c.box))
        k += 1
    if not lines:
        return grid, []
    rest = grid.rows[k:]
    return RawGrid(rows=rest, page=grid.page, line=grid.line, box=grid.box,
                   row_lines=grid.row_lines[k:], merged=grid.merged,
                   normalized=grid.normalized), lines


def _is_toc_grid(grid: RawGrid) -> bool:
    # a contents grid starts with 目录 and has dot leaders in its first eight rows, or has
    # them in its first three: most grids are out at the second test
    first = next((c.text for r in grid.rows[:8] for c in r if c.text.strip()), None)
    if first is None:
        return False
    if _TOC_HEAD.match(compact(first)) and _dotted(grid.rows[:8]):
        return True
    if not _dotted(grid.rows[:3]):
        return False
    rows = [r for r in grid.texts() if any(c.strip() for c in r)]
    if not rows:
        return False
    dotted = sum(1 for r in rows if any(_TOC_DOTS.search(c) for c in r))
    return dotted >= max(1, len(rows) // 2)


def _dotted(rows: tuple[tuple[RawCell, ...], ...]) -> bool:
    """Some cell of ``rows`` holds dot leaders (``_TOC_DOTS``)."""
    for row in rows:
        for cell in row:
            t = cell.text
            if len(t) > 2 and ("..." in t or "……" in t or "···" in t):
                return True
    return False


def _column_xs(grid: RawGrid) -> list[float] | None:
    """Left edges of the grid's columns (from its widest-covered row), or None."""
    for row in grid.rows:
        if all(c.box is not None and c.colspan == 1 and not c.covered for c in row):
            return [c.box[0] for c in row if c.box is not None]
    return None


def _same_columns(a: RawGrid, b: RawGrid, tolerance: float = 3.0) -> bool:
    """The columns of two grids stand at the same x positions (True without geometry)."""
    xa, xb = _column_xs(a), _column_xs(b)
    if xa is None or xb is None:
        return xa is None and xb is None
    return len(xa) == len(xb) and all(abs(p - q) <= tolerance for p, q in zip(xa, xb, strict=True))


def _fit_columns(table: _PendingTable, grid: RawGrid) -> RawGrid | None:
    """``grid`` laid out on the columns of ``table`` when it has fewer columns, no header,
    and each of its columns starts where one of the table's columns starts (a last page
    holding only the 合计 row, whose label cell spans the code columns); else None."""
    if not table.pages or table.id == "project_performance" or not grid.rows:
        return None
    last = table.pages[-1].grid
    width = len(last.rows[0]) if last.rows else 0
    if len(grid.rows[0]) >= width:
        return None
    xs, mine = _column_xs(last), _column_xs(grid)
    if xs is None or mine is None:
        return None
    where: list[int] = []
    for x in mine:
        j = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
        if abs(xs[j] - x) > 3.0 or (where and j <= where[-1]):
            return None
        where.append(j)
    header_end = _split_header(table.pages[0].texts)[1]
    words = {compact(c) for r in table.pages[0].texts[:header_end] for c in r if c}
    if any(compact(c.text) in words for c in grid.rows[0] if c.text and compact(c.text) != "合计"):
        return None
    rows: list[tuple[RawCell, ...]] = []
    for row in grid.rows:
        out = [RawCell("")] * width
        for j, c in zip(where, row, strict=True):
            out[j] = RawCell(c.text, c.box)
        rows.append(tuple(out))
    return RawGrid(rows=tuple(rows), page=grid.page, line=grid.line, box=grid.box,
                   row_lines=grid.row_lines, merged=grid.merged, normalized=grid.normalized)


def _code_text(texts: list[str], code_cols: list[int]) -> str:
    """The code printed in the code columns: one column as is; split 类 | 款 | 项 columns
    joined, a 款/项 printed as one digit read as two (a spreadsheet dropped the zero:
    ``301 | 2`` is 30102)."""
    parts = [texts[j] for j in code_cols if j < len(texts) and texts[j]]
    if len(parts) > 1:
        parts = [parts[0], *(q.zfill(2) if len(q) == 1 and q.isdigit() else q for q in parts[1:])]
    return " ".join(parts)


def _blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


class _Assembler:
    def __init__(self, raw: RawDocument) -> None:
        self.raw = raw
        self.file = raw.source
        self.notes: list[ParseNote] = [
            ParseNote(code=code, message=msg, location=Location(file=raw.source, page=page),
                      severity="warning")
            for code, msg, page in raw.warnings
        ]
        self.tables: list[_PendingTable] = []
        self.lines: list[RawLine] = []  # narrative and cover lines, in order
        self.line_tables: list[tuple[int, int]] = []  # (index in self.lines, table index)
        self.toc: list[TocEntry] = []

    # -- walking the blocks -------------------------------------------------------------
    def walk(self) -> None:
        pending_lines: list[RawLine] = []
        current: _PendingTable | None = None
        meta = _Meta()
        for block in self.raw.blocks:
            if isinstance(block, RawLine):
                text = normalize(block.text)
                if not text:
                    continue
                pending_lines.append(
                    block if text == block.text else
                    RawLine(text, block.page, block.line, block.box, block.heading, block.size))
                continue
            grid, lifted = _lift_title_rows(block)
            for ln in lifted:
                pending_lines.append(ln)
            if not grid.rows:
                continue
            if _is_toc_grid(grid):
                self._flush_lines(pending_lines, current)
                pending_lines = []
                self._read_toc(grid)
                continue
            pending_lines = self._take_toc(pending_lines, current)
            title_idx, title_id = self._find_title(pending_lines)
            page_meta = _Meta(year=meta.year, unit=None)
            consumed: set[int] = set()
            start = 0 if title_idx is None else title_idx + 1
            for i in range(start, len(pending_lines)):
                if _meta_of(pending_lines[i].text, page_meta):
                    consumed.add(i)
            if title_idx is not None:
                consumed.add(title_idx)
                _meta_of(pending_lines[title_idx].text, page_meta)
            # the other lines are narrative; 注 lines right after a table belong to it
            self._flush_lines([ln for i, ln in enumerate(pending_lines) if i not in consumed],
                              current)
            if title_idx is not None and title_id is not None:
                title_line = pending_lines[title_idx]
                current = _PendingTable(id=title_id, title=_UNIT_TAIL.sub("", title_line.text), line=title_line.line,
                                        page=title_line.page)
                self._open(current)
            elif title_idx is not None:
                # a title naming a table we have no id for: a new table, not a continuation
                title_line = pending_lines[title_idx]
                current = _PendingTable(id="other:table", title=_UNIT_TAIL.sub("", title_line.text),
                                        line=title_line.line, page=title_line.page)
                self._open(current)
            elif current is not None and (fitted := _fit_columns(current, grid)) is not None:
                grid = fitted  # a continued page ruled with fewer columns (the 合计 row)
            elif current is None or not self._continues(current, grid):
                # a grid under no title we recognise: kept as another table
                current = _PendingTable(id="other:table", title="", line=grid.line,
                                        page=grid.page)
                self._open(current)
            pending_lines = []
            if page_meta.unit is None and current.pages:
                page_meta.unit = current.pages[-1].meta.unit
            current.pages.append(_Page(grid=grid, meta=page_meta))
            if page_meta.year:
                meta.year = page_meta.year
        self._flush_lines(self._take_toc(pending_lines, current), current)

    def _take_toc(self, lines: list[RawLine], current: _PendingTable | None) -> list[RawLine]:
        """Moves a table of contents made of lines into ``self.toc``: a ``目录`` line and the
        short lines after it on its page (entries with no content of their own), or lines
        ending with dot leaders and a page number. Returns the other lines."""
        start = next((i for i, ln in enumerate(lines) if _TOC_HEAD.match(ln.text)), None)
        if start is None:
            return lines
        head = lines[start]
        end = start + 1
        while end < len(lines):
            ln = lines[end]
            if head.page is not None and ln.page != head.page:
                break
            if not (_TOC_DOTS.search(ln.text) or (looks_like_title(ln.text) and len(ln.text) <= 50)):
                break
            end += 1
        entries = lines[start + 1:end]
        if len(entries) < 3 or (head.page is None and not any(_TOC_DOTS.search(e.text) for e in entries)):
            return lines
        self._flush_lines(lines[:start], current)
        for ln in entries:
            m = _TOC_PAGE.search(ln.text)
            title = _TOC_PAGE.sub("", ln.text).strip(" .…·") if m else ln.text
            self.toc.append(TocEntry(title=title, page=int(m.group(1)) if m else None,
                                     location=Location(file=self.file, page=ln.page, line=ln.line,
                                                       table="document", text=ln.text)))
        return lines[end:]

    def _open(self, table: _PendingTable) -> None:
        self.tables.append(table)
        self.line_tables.append((len(self.lines), len(self.tables) - 1))

    @staticmethod
    def _find_title(lines: list[RawLine]) -> tuple[int | None, str | None]:
        """The last line before a grid that names a table."""
        for i in range(len(lines) - 1, -1, -1):
            text = _UNIT_TAIL.sub("", lines[i].text)  # "…绩效目标表单位：万元" on one line
            if _NOTE.match(text) or len(text) > 60:
                break
            tid = classify_title(text) if looks_like_title(text) else None
            if tid is not None:
                return i, tid
        return None, None

    def _continues(self, table: _PendingTable, grid: RawGrid) -> bool:
        """A grid without a title continues ``table`` (a table printed over pages) when it
        is as wide and its header looks the same, or when it has no header at all (its
        first row shares no text with the table's header) and, where the format has
        geometry, its columns stand where the table's columns stand. The rest of a
        绩效目标表 always continues it."""
        if not table.pages:
            return False
        if table.id == "project_performance":
            return True
        first = table.pages[0]
        prev = first.texts
        if not grid.rows or len(grid.rows[0]) != len(prev[0]):
            return False
        cur = [[normalize(c.text) for c in r] for r in grid.rows[:_HEADER_SCAN]]  # the head is enough
        if [compact(c) for c in cur[0]] == [compact(c) for c in prev[0]] or _count_row(cur) is not None:
            return True
        header_end = _split_header(prev)[1]
        header_words = {compact(c) for r in prev[:header_end] for c in r if c}
        if any(compact(c) in header_words for c in cur[0] if c):
            return False
        return _same_columns(table.pages[-1].grid, grid)

    def _flush_lines(self, lines: list[RawLine], current: _PendingTable | None) -> None:
        for ln in lines:
            if current is not None and _NOTE.match(ln.text) and self._just_after(current):
                current.notes.append(ln.text)
                continue
            if _PAGE_NUMBER.fullmatch(ln.text):
                continue  # page numbers
            self.lines.append(ln)

    def _just_after(self, table: _PendingTable) -> bool:
        # a note belongs to the table when no narrative line came after the table's grid
        idx = next(i for i, (_, t) in enumerate(self.line_tables) if self.tables[t] is table)
        return self.line_tables[idx][0] == len(self.lines)

    def _read_toc(self, grid: RawGrid) -> None:
        for r in grid.rows:
            texts = [normalize(c.text) for c in r]
            label = next((t for t in texts if t and not t.isdigit()), "")
            if not label or _TOC_HEAD.match(compact(label)):
                continue
            label = _TOC_DOTS.sub("", label).strip(" .…·")
            page = next((int(t) for t in reversed(texts) if t.isdigit()), None)
            self.toc.append(
                TocEntry(title=label, page=page,
                         location=Location(file=self.file, page=grid.page, line=grid.line))
            )

    # -- building the model ------------------------------------------------------------
    def build(self) -> Disclosure:
        self.walk()
        tables: list[Table] = []
        table_at_line: dict[int, list[int]] = {}
        for (line_idx, t_idx) in self.line_tables:
            pending = self.tables[t_idx]
            try:
                table = self._build_table(pending)
            except Exception as e:  # a bug in one table must not lose the document
                self.notes.append(
                    ParseNote(code="table-unreadable",
                              message=f"表格“{pending.title or pending.id}”无法解析：{e}",
                              location=Location(file=self.file, page=pending.page,
                                                line=pending.line, table=pending.id),
                              severity="error")
                )
                continue
            table_at_line.setdefault(line_idx, []).append(len(tables))
            tables.append(table)
        sections, preamble = self._sections(table_at_line)
        return self._document(tables, sections, preamble)

    def _document(
        self, tables: list[Table], sections: list[Section], preamble: list[Paragraph]
    ) -> Disclosure:
        metas = [p.meta for t in self.tables for p in t.pages]
        years = Counter(m.year for m in metas if m.year)
        depts = Counter(m.department for m in metas if m.department)
        codes = Counter(m.department_code for m in metas if m.department_code)
        head_text = " ".join(ln.text for ln in self.lines[:40]) + " " + " ".join(
            t.title for t in tables
        ) + " " + " ".join(e.title for e in self.toc)
        year = years.most_common(1)[0][0] if years else None
        if year is None:
            ys = Counter(int(y) for y in _TITLE_YEAR.findall(head_text))
            year = ys.most_common(1)[0][0] if ys else None
        kind = "决算" if head_text.count("决算") > head_text.count("预算") else "预算"
        candidates = [ln.text for ln in self.lines[:60]
                      if ("预算" in ln.text or "决算" in ln.text) and len(ln.text) < 50
                      and not ln.text.endswith(("目录", "。")) and not _PART_NUMBER.match(ln.text)]
        title = next((t for t in candidates if _TITLE_YEAR.search(t)), None) or next(
            (t for t in candidates if split_numbering(t)[0] is None and t.endswith(("公开", "说明", "预算", "决算"))),
            None)
        scope = _scope([title] if title else [], head_text)
        department = depts.most_common(1)[0][0] if depts else None
        if department is None and title:
            m = _DEPT_IN_TITLE.match(title)
            department = m.group(1).strip() if m else None
        if department is None:
            # last resort: a file named after its department ("江苏省政协办公厅2019年度部门预算.pdf")
            stem = re.split(r"[\\/]", self.file)[-1]
            m = _DEPT_IN_TITLE.match(stem)
            department = m.group(1).strip() if m else None
        region = _region(" ".join([title or "", department or "", head_text, *(
            p.text for p in preamble), *(s.text for s in sections)]))
        if not tables and not sections:
            raise UnreadableError(self.file, "文件中没有找到预算公开表格或情况说明，不像是一份预决算公开文件。")
        return Disclosure(
            source=self.file,
            format=self.raw.format,
            kind=kind,  # type: ignore[arg-type]
            scope=scope,
            year=year,
            department=department,
            department_code=codes.most_common(1)[0][0] if codes else None,
            title=title,
            region=region,
            pages=self.raw.pages,
            tables=tuple(tables),
            sections=tuple(sections),
            preamble=tuple(preamble),
            toc=tuple(self.toc),
            notes=tuple(self.notes),
        )

    # -- tables ------------------------------------------------------------------------
    def _build_table(self, pending: _PendingTable) -> Table:
        meta = pending.pages[0].meta
        loc = Location(file=self.file, page=pending.page, line=pending.line, table=pending.id,
                       text=pending.title)
        note = "\n".join(pending.notes) or None
        if pending.id == "project_performance":
            project, project_rows, project_columns, notes = parse_project(
                [p.grid for p in pending.pages], self.file, pending.title
            )
            self.notes.extend(notes)
            return Table(
                id=pending.id, title=pending.title, unit=_unit(pending, "万元"),
                columns=project_columns, rows=project_rows, location=loc, year=meta.year,
                department=meta.department, note=note,
                pages=_pages(pending), project=project,
            )
        pages = _fold_empty_columns(pending.pages)
        headers = [_page_header(p) for p in pages]
        if len(pages) > 1:  # continued pages printed without the header
            words = {compact(c) for r in headers[0][0] for c in r if c}
            for k in range(1, len(pages)):
                page_rows = pages[k].texts
                if page_rows and (_is_body_row(page_rows[0]) or not any(
                        compact(c) in words for c in page_rows[0] if c)):
                    headers[k] = ([], 0)
        paths = [(_column_paths(h, spanned=pages[k].spanned) if h else [])
                 for k, (h, _) in enumerate(headers)]
        if pending.id == "other:table" and headers[0][0]:
            by_header = classify_header({compact(c) for r in headers[0][0] for c in r if c})
            if by_header is not None:
                pending.id = by_header
                loc = Location(file=self.file, page=pending.page, line=pending.line,
                               table=pending.id, text=pending.title)
        elif pending.id == "other:table" and pending.title:
            pending.id = other_slug(pending.title)
        chosen = self._settle_header(pending, headers, paths)
        header_rows, _ = headers[chosen]
        col_paths = paths[chosen]
        layout = _key_columns(col_paths)
        col_paths = _own_groups(col_paths, layout)
        numbers = _count_numbers(header_rows)
        columns = tuple(
            Column(path=_value_path(col_paths[j]), number=numbers[j] if j < len(numbers) else None,
                   side=layout.side_of(j))
            for j in layout.value_columns
        )
        layout.name_columns([c.name for c in columns])
        rows: list[Row] = []
        seqs: list[tuple[int, str, RawGrid, int]] = []
        for page, (_, body_start) in zip(pages, headers, strict=True):
            for i in range(body_start, len(page.texts)):
                texts = page.texts[i]
                if not any(texts):  # texts are normalised: blank means empty strings
                    continue
                if (not texts[0] or texts[0][0] in "栏档") and _count_row([texts]) is not None:
                    continue
                line = page.grid.row_lines[i] if i < len(page.grid.row_lines) else page.grid.line
                new_rows = self._read_row(pending.id, page, i, texts, line, layout, len(rows))
                if new_rows and new_rows[0].seq and new_rows[0].seq.isdigit():
                    seqs.append((int(new_rows[0].seq), new_rows[0].seq, page.grid, i))
                rows.extend(new_rows)
        self._check_seq(pending, seqs)
        return Table(
            id=pending.id, title=pending.title, unit=_unit(pending, None),
            columns=columns, rows=tuple(rows), location=loc, year=meta.year,
            department=meta.department, note=note, pages=_pages(pending),
            header=tuple(tuple(r) for r in header_rows),
        )

    def _settle_header(
        self,
        pending: _PendingTable,
        headers: list[tuple[list[list[str]], int]],
        paths: list[list[tuple[str, ...]]],
    ) -> int:
        """Index of the page whose header to trust. Pages of one table should agree; when
        they do not, a well-formed header (every group has a sub-header in each of its
        columns) wins over a misplaced one, and the repair is noted."""
        good = [i for i, (h, _) in enumerate(headers) if h and _well_formed(h)]
        chosen = good[0] if good else 0
        for i, p in enumerate(paths):
            if i != chosen and len(p) == len(paths[chosen]) and p != paths[chosen]:
                page = pending.pages[i]
                self.notes.append(
                    ParseNote(
                        code="header-repaired",
                        message=(f"“{pending.title}”续页的表头与其他页不一致（疑为转换时错位），"
                                 "已按栏次和其他页的表头读取。"),
                        location=Location(file=self.file, page=page.grid.page,
                                          line=page.grid.line, table=pending.id),
                    )
                )
        return chosen

    def _read_row(
        self,
        table_id: str,
        page: _Page,
        i: int,
        texts: list[str],
        line: int | None,
        layout: _Layout,
        row_base: int,
    ) -> list[Row]:
        raw_row = page.grid.rows[i]
        width, n_raw = len(texts), len(raw_row)
        seq = texts[layout.seq] if layout.seq is not None and layout.seq < width else None
        code_text = _code_text(texts, layout.code) if layout.code else ""
        file, page_no = self.file, page.grid.page
        boxed = any(c.box is not None for c in raw_row)
        row_box = _union(c.box for c in raw_row) if raw_row and raw_row[0].box else None
        row_text = " | ".join(texts)
        out: list[Row] = []
        merged_to = -1
        for side_idx, (label_col, side, _) in enumerate(layout.sides):
            if side_idx <= merged_to:
                continue
            plan = layout.plans[side_idx]
            if label_col is not None and label_col < n_raw and raw_row[label_col].colspan > 1:
                last = _label_reach(layout.sides, side_idx, raw_row)
                if last > side_idx:  # 支出合计 printed across 功能科目名称 | 金额 | 项目名称
                    merged_to = last
                    end = layout.sides[last][0] or 0
                    plan = [p for s in layout.plans[side_idx:last + 1] for p in s
                            if p[0] > end or (p[0] < end and not raw_row[p[0]].covered)]
            label = texts[label_col] if label_col is not None and label_col < width else ""
            code = join_code(code_text) if side_idx == 0 and code_text else None
            if side_idx == 0 and code_text and code is None and not label:
                label = code_text
            if side_idx == 0 and label_col is None and layout.code and code is None:
                label = code_text
            # a label column holding "2080505 行政运行" (code and name in one cell)
            if code is None and label and label[0].isdigit():
                m = _CODE_IN_LABEL.match(label)
                if m and len(m.group(1)) in (3, 5, 7):
                    code, label = m.group(1), m.group(2)
            row_index = row_base + len(out)
            # tuple.__new__ skips the NamedTuple constructors' keyword handling (hot path)
            cell_list: list[Cell] = []
            filled = False
            for j, col_idx, name in plan:
                text = texts[j] if j < width else ""
                box = raw_row[j].box if boxed and j < n_raw else None
                if text:
                    filled = True
                    value = parse_amount(text)
                else:
                    value = None
                cell_list.append(_new(Cell, (name, text, value, _new(Location, (
                    file, page_no, line, table_id, row_index, col_idx, box, text)))))
            if not label and not code and not filled:
                continue
            cells = tuple(cell_list)
            out.append(_new(Row, (seq or None, code, label, cells, _new(Location, (
                file, page_no, line, table_id, row_index, None, row_box, row_text)), side)))
        return out

    def _check_seq(self, pending: _PendingTable, seqs: list[tuple[int, str, RawGrid, int]]) -> None:
        prev: int | None = None
        for n, text, grid, i in seqs:
            if prev is not None and n not in (prev, prev + 1):
                line = grid.row_lines[i] if i < len(grid.row_lines) else grid.line
                self.notes.append(
                    ParseNote(
                        code="seq-gap",
                        message=f"“{pending.title}”的序号不连续：{prev} 之后是 {text}。",
                        location=Location(file=self.file, page=grid.page, line=line,
                                          table=pending.id, text=text),
                        severity="warning",
                    )
                )
            prev = n

    # -- narrative ---------------------------------------------------------------------
    def _sections(
        self, table_at_line: dict[int, list[int]]
    ) -> tuple[list[Section], list[Paragraph]]:
        lines = _join_broken(self.lines)
        stack: list[_SectionBuilder] = []
        roots: list[Section] = []
        preamble: list[Paragraph] = []
        original_index = {id(ln): i for i, ln in enumerate(self.lines)}
        consumed_tables: set[int] = set()

        pending_tables = sorted(table_at_line.items())  # (line index, table indices), in order

        def attach_tables(upto: int) -> None:
            while pending_tables and pending_tables[0][0] <= upto:
                for t in pending_tables.pop(0)[1]:
                    if t not in consumed_tables:
                        consumed_tables.add(t)
                        if stack:  # tables before the first heading belong to none
                            stack[-1].tables.append(t)

        for ln in lines:
            idx = original_index.get(id(ln), 0)
            attach_tables(idx)
            number, title = split_numbering(ln.text)
            level = _heading_level(ln, number, title)
            loc = _new(Location, (self.file, ln.page, ln.line, "narrative", None, None, None, ln.text))
            if level is not None and (level <= 1 or stack):
                # seal the tables printed before this heading into the current section
                while stack and stack[-1].level >= level:
                    done = stack.pop()
                    (stack[-1].children if stack else roots).append(done.build())
                builder = _SectionBuilder(heading=ln.text, number=number, title=title,
                                          level=level, location=loc)
                stack.append(builder)
                continue
            para = Paragraph(text=ln.text, location=loc)
            if stack:
                stack[-1].paragraphs.append(para)
            else:
                preamble.append(para)
        attach_tables(len(self.lines) + 1)
        while stack:
            done = stack.pop()
            (stack[-1].children if stack else roots).append(done.build())
        return roots, preamble


@dataclass
class _SectionBuilder:
    heading: str
    number: str | None
    title: str
    level: int
    location: Location
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)

    def build(self) -> Section:
        return Section(heading=self.heading, number=self.number, title=self.title,
                       level=self.level, paragraphs=tuple(self.paragraphs),
                       children=tuple(self.children), location=self.location,
                       tables=tuple(self.tables))


#: Unnumbered headings of the parts of a document (Shanghai prints "上海市普陀区财政局主要职能",
#: "名词解释", "2025年部门预算编制说明" without numbers): level 0, above the numbered 一、.
_PART_HEADING = re.compile(
    r"(主要职能|部门职责|单位职责|职能职责|机构设置|名词解释|编制说明|其他相关情况说明|项目经费情况说明|"
    r"单位构成|部门决算单位构成|其他重要事项的情况说明)$"
)


def _heading_level(ln: RawLine, number: str | None, title: str) -> int | None:
    if number is None:
        t = ln.text
        if (len(t) <= 30 and _PART_HEADING.search(t) and "公开" not in t
                and not any(ch in t for ch in "。，；：:,;")):
            return 0
        return None
    if not title or len(title) > 40 or title[-1] in "。；;，,":
        return None
    if number.startswith("（"):
        return 2
    if number.startswith("("):
        return 4
    if number.isdigit():
        return 3
    return 1


def _join_broken(lines: list[RawLine]) -> list[RawLine]:
    """Joins a paragraph cut by a page break or a line wrap (a long line, or one leaving a
    quotation open, not ending a sentence, followed by a line that is not a heading):
    ``…严格审批程序，加`` + ``强工会固定资产…``."""
    out: list[RawLine] = []
    for ln in lines:
        if out:
            prev = out[-1]
            if ((len(prev.text) > 60 or prev.text.count("“") > prev.text.count("”"))
                    and prev.text[-1] not in _PARAGRAPH_END and not ln.heading
                    and split_numbering(ln.text)[0] is None):
                out[-1] = RawLine(prev.text + ln.text, prev.page, prev.line, prev.box, prev.heading,
                                  prev.size)
                continue
        out.append(ln)
    return out


# -- header helpers ---------------------------------------------------------------------
def _count_row(rows: list[list[str]]) -> int | None:
    """Index of the 栏次 row (``栏次 | 1 | 2 | …``, also ``档次``) among ``rows``."""
    for i, r in enumerate(rows):
        first = compact(r[0]) if r else ""
        nums = [compact(c) for c in r[1:] if compact(c)]
        if _LABEL_COUNT.match(first) and nums and all(n.isdigit() for n in nums):
            return i
        if not first and len(nums) >= 3 and all(n.isdigit() for n in nums) and [
            int(n) for n in nums
        ] == list(range(int(nums[0]), int(nums[0]) + len(nums))) and int(nums[0]) <= 1:
            return i
    return None


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], int]:
    """(header rows, index of the first body row) of a grid's normalised texts."""
    ci = _count_row(rows[:8])
    if ci is not None:
        return rows[: ci + 1], ci + 1
    # no 栏次 row: the header is the first row, and each next row that fills the gaps of
    # the one above (a two-level header) and holds no 序号, code or amount
    if not rows:
        return [], 0
    end = 1
    while end < min(len(rows), 6):
        above, nxt = rows[end - 1], rows[end]
        if _blank(nxt) or _is_body_row(nxt):
            break
        gaps = [j for j, c in enumerate(above) if not c]
        if not any(j < len(nxt) and nxt[j] for j in gaps):
            break
        end += 1
    return rows[:end], end


def _is_body_row(row: list[str]) -> bool:
    if row and row[0].isdigit() and any(c for c in row[1:]):
        return True
    return any(parse_amount(c) is not None or join_code(c) is not None for c in row if c)


def _fill_groups(header: list[list[str]]) -> list[list[str]]:
    """Spreads a group header over the columns it spans: an empty cell in an upper header
    row takes the text to its left when the row below has a sub-header there."""
    filled = [list(r) for r in header]
    for i in range(len(filled) - 1):
        row, lower = filled[i], filled[i + 1:]
        for j in range(1, len(row)):
            # spread a group over the next columns that have a sub-header at some level
            # below, as its own column does (“三公”经费预算数 over 合计, 因公出国(境)费,
            # 公务用车购置及运行费 › 小计/购置费/运行费, then 公务接待费)
            if (not row[j] and row[j - 1] and any(j < len(r) and r[j] for r in lower)
                    and any(r[j - 1] for r in lower)):
                row[j] = row[j - 1]
    return filled


def _column_paths(header: list[list[str]], spanned: object = None) -> list[tuple[str, ...]]:
    """A path of header texts per column, top down. With merged cells known (``spanned``)
    the header rows already carry each merged cell's text over its span and are read as
    they are; without (markdown), a group header is spread by ``_fill_groups``."""
    rows = [r for r in header if not (r and _LABEL_COUNT.match(compact(r[0])))]
    if not rows:
        rows = header[:1]
    filled = rows if spanned is not None else _fill_groups(rows)
    width = max(len(r) for r in filled)
    paths: list[tuple[str, ...]] = []
    for j in range(width):
        path: list[str] = []
        for r in filled:
            t = r[j] if j < len(r) else ""
            if t and (not path or path[-1] != t):
                path.append(t)
        paths.append(tuple(path))
    return paths


def _well_formed(header: list[list[str]]) -> bool:
    """Every group header has a sub-header in each column it spans (a converter that
    shifts one header cell breaks this)."""
    rows = [r for r in header if not (r and _LABEL_COUNT.match(compact(r[0])))]
    if len(rows) < 2:
        return True
    filled = _fill_groups(rows)
    top, below = filled[0], filled[1]
    for j in range(len(top) - 1):
        if top[j] and j + 1 < len(top) and not rows[0][j + 1] and j + 1 < len(below):
            # the column right of a top header continues its group only if filled
            if below[j + 1] and not below[j] and top[j + 1] == "":
                return False
            if below[j + 1] and not below[j] and top[j + 1] == top[j]:
                return False
    return True


def _count_numbers(header: list[list[str]]) -> list[str | None]:
    """The 栏次 number printed over each column (None where blank), or [] without a 栏次 row."""
    for r in header:
        if r and _LABEL_COUNT.match(compact(r[0])):
            return [c or None for c in r]
    return []


@dataclass
class _Layout:
    seq: int | None
    code: list[int]
    sides: list[tuple[int | None, str | None, list[int]]]
    value_columns: list[int]
    #: per side: (grid column, value column index, column name) of its value columns
    plans: list[list[tuple[int, int, str]]] = field(default_factory=list)

    def name_columns(self, names: list[str]) -> None:
        """Sets the per-side reading plans from the value columns' names."""
        index = {j: k for k, j in enumerate(self.value_columns)}  # grid column → value column
        self.plans = [[(j, index[j], names[index[j]]) for j in cols] for _, _, cols in self.sides]

    def side_of(self, j: int) -> str | None:
        for _, side, cols in self.sides:
            if j in cols:
                return side
        return None


def _key_columns(paths: list[tuple[str, ...]]) -> _Layout:
    seq: int | None = None
    code: list[int] = []
    labels: list[int] = []
    for j, p in enumerate(paths):
        leaf = compact(p[-1]) if p else ""
        top = compact(p[0]) if p else ""
        if leaf in SEQ_HEADERS or (not p and j == 0):
            if seq is None:
                seq = j
            continue
        if is_code_header(leaf) or (len(p) > 1 and leaf in ("类", "款", "项") and any(
                is_code_header(x) for x in p[:-1])):
            code.append(j)
            continue
        if leaf in LABEL_HEADERS:
            labels.append(j)
    value_cols = [j for j in range(len(paths)) if j != seq and j not in code and j not in labels]
    sides: list[tuple[int | None, str | None, list[int]]] = []
    if not labels:
        sides.append((None, None, value_cols))
    else:
        for k, lc in enumerate(labels):
            end = labels[k + 1] if k + 1 < len(labels) else len(paths)
            cols = [j for j in value_cols if (j > lc or k == 0) and j < end]
            top = compact(paths[lc][0]) if paths[lc] else ""
            side = side_of_header(top)
            sides.append((lc, side, cols))
    return _Layout(seq=seq, code=code, sides=sides, value_columns=value_cols)


def _own_groups(paths: list[tuple[str, ...]], layout: _Layout) -> list[tuple[str, ...]]:
    """Column paths with each side's value columns under their label column's group
    where the printed group header over them is the next side's (Jiangsu 法院: 支出用途
    drawn over 功能分类's 金额 as well as its own 项目名称 | 金额)."""
    out = list(paths)
    sides = layout.sides
    for k in range(len(sides) - 1):
        lc, nlc = sides[k][0], sides[k + 1][0]
        if lc is None or nlc is None or len(paths[lc]) < 2:
            continue
        own, nxt = paths[lc][:-1], paths[nlc][:-1]
        for j in sides[k][2]:
            p = paths[j]
            if lc < j < nlc and len(p) == len(paths[lc]) and p[:-1] == nxt != own:
                out[j] = (*own, p[-1])
    return out


def _label_reach(sides: list[tuple[int | None, str | None, list[int]]], k: int,
                 raw_row: tuple[RawCell, ...]) -> int:
    """The last side whose label column the label cell of side ``k`` spans in this row
    (Jiangsu's 支出合计 across 功能科目名称 | 金额 | 项目名称; 收入总计 across both 项目名称
    columns), or ``k``. Only sides of the same side name merge."""
    lc = sides[k][0]
    if lc is None or lc >= len(raw_row) or raw_row[lc].covered or raw_row[lc].colspan < 2:
        return k
    anchor = raw_row[lc]
    last = k
    for n in range(k + 1, len(sides)):
        nc, side = sides[n][0], sides[n][1]
        if nc is None or nc >= len(raw_row) or side != sides[k][1]:
            break
        right = anchor.box[2] - 1 if anchor.box is not None else None
        inside = all(raw_row[j].covered and (right is None or (b := raw_row[j].box) is None or b[0] < right)
                     for j in range(lc + 1, nc + 1))
        if not inside:
            break
        last = n
    return last


def _value_path(path: tuple[str, ...]) -> tuple[str, ...]:
    return path if path else ("",)


def _unit(pending: _PendingTable, default: Unit | None) -> Unit | None:
    units = [p.meta.unit for p in pending.pages if p.meta.unit]
    if units:
        return "元" if units[0] == "元" else "万元"
    for page in pending.pages:  # "价值（金额单位：万元）" in a header cell
        for r in page.grid.rows[:4]:
            for c in r:
                m = _UNIT_IN_CELL.search(normalize(c.text))
                if m:
                    return "元" if m.group(1) == "元" else "万元"
    return default


def _pages(pending: _PendingTable) -> tuple[int, ...]:
    return tuple(sorted({p.grid.page for p in pending.pages if p.grid.page is not None}))


def _union(boxes: object) -> tuple[float, float, float, float] | None:
    bs = [b for b in boxes if b is not None]  # type: ignore[attr-defined]
    if not bs:
        return None
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs),
            max(b[3] for b in bs))


def _scope(titles: list[str], text: str) -> Literal["部门", "单位"]:
    """单位 for a unit's document (单位预算/单位决算 in the title, or 预算单位 wording
    outweighing 部门预算 in the cover and table titles), else 部门."""
    for t in titles:
        if _UNIT_DOC.search(t):
            return "单位"
        if _DEPT_DOC.search(t):
            return "部门"
    unit = len(_UNIT_WORDING.findall(text))
    dept = len(_DEPT_DOC.findall(text))
    return "单位" if unit > dept else "部门"


_PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
)
_PROVINCE_RE = re.compile("|".join(_PROVINCES))


def _region(text: str) -> str | None:
    """The province the document most often names (``河北省总工会`` → 河北), or None.
    An inference from the text, recorded as such in docs/model.md."""
    counts = Counter(_PROVINCE_RE.findall(text))
    return counts.most_common(1)[0][0] if counts else None


def assemble(raw: RawDocument) -> Disclosure:
    """The disclosure in ``raw``. Raises ``UnreadableError`` when it holds no table and no
    explanation (not a disclosure)."""
    return _Assembler(raw).build()


__all__ = ["assemble"]
