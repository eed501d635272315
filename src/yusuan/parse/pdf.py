"""The PDF reader: text-based PDFs → ``RawDocument`` (ruled grids and lines of text).

Built on pypdfium2 (PDFium, Apache/BSD licensed), chosen by measurement: reading every
character with its box through PDFium costs a fraction of what pdfminer-based extraction
does (see ``benchmarks/bench_pdf.py`` and ``docs/parsing.md``). Tables are found from the
page's ruling lines in a few pure stages, in the spirit of pdfplumber's ``table.py``:

1. ``_page_edges``: path objects → horizontal and vertical edges (thin filled rectangles,
   stroked lines and the sides of rectangles);
2. ``_merge_edges``: edges snapped and joined along their line;
3. ``_find_lattices``: connected groups of crossing edges → a lattice of row and column
   lines per table;
4. ``_lattice_cells``: lattice cells merged wherever no ruling line separates them →
   cells with ``colspan``/``rowspan``;
5. characters placed into the cells by their centre; the rest become lines of text,
   joined into paragraphs where the layout says a line continues the one before.

Text is cleaned on the way: characters printed twice at the same place (layering, faux
bold) are dropped, Kangxi-radical look-alikes are mapped by ``model.text.normalize``, and
characters without a Unicode mapping are counted and reported as a ``garbled-text``
warning instead of being passed on. Work per page is bounded (objects, segments,
characters) so that a hostile file cannot make the reader hang.
"""

from __future__ import annotations

import bisect
import ctypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from yusuan.model.text import normalize
from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import Block, Box, RawCell, RawDocument, RawGrid, RawLine

__all__ = ["read_raw"]

#: Refuse documents with more pages than this (a budget disclosure has tens of pages).
MAX_PAGES = 2000
#: Per-page bounds: beyond these the page is read without grids (and a warning).
MAX_PATH_OBJECTS = 20000
MAX_SEGMENTS = 200000
MAX_CHARS = 60000
MAX_EDGES = 4000

#: Distances in PDF points.
SNAP = 2.0  # edges this close are the same line
JOIN = 3.0  # collinear edges with a gap this small are one edge
THIN = 2.5  # a filled rectangle this thin is a ruling line
MIN_EDGE = 3.0  # shorter edges are ignored (ticks, dots)

_SKIP = {0x20, 0x0D, 0x0A, 0x09, 0xA0, 0x3000, 0xFEFF, 0x200B, 0xFFFE}


@dataclass(frozen=True, slots=True)
class Char:
    """One printed character in top-down page coordinates."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Edge:
    """A ruling line: ``orient`` "h" (at ``pos`` = y, from ``start`` to ``end`` in x) or
    "v" (at ``pos`` = x, from ``start`` to ``end`` in y)."""

    orient: str
    pos: float
    start: float
    end: float


@dataclass(slots=True)
class Lattice:
    """A table's ruling: sorted row lines ``ys`` and column lines ``xs`` and its edges."""

    xs: list[float]
    ys: list[float]
    h: list[Edge]
    v: list[Edge]

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


@dataclass(frozen=True, slots=True)
class Frame:
    """From PDF user space (origin bottom-left, unrotated) to the page as displayed:
    top-down, origin at the crop box's top-left corner, ``/Rotate`` applied."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0

    @property
    def width(self) -> float:
        w = self.right - self.left
        return self.top - self.bottom if self.rotation in (90, 270) else w

    @property
    def height(self) -> float:
        h = self.top - self.bottom
        return self.right - self.left if self.rotation in (90, 270) else h

    def point(self, x: float, y: float) -> tuple[float, float]:
        u, t = x - self.left, self.top - y  # unrotated, top-down
        w, h = self.right - self.left, self.top - self.bottom
        if self.rotation == 90:
            return h - t, u
        if self.rotation == 180:
            return w - u, h - t
        if self.rotation == 270:
            return t, w - u
        return u, t

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        x0, y0 = self.point(left, top)
        x1, y1 = self.point(right, bottom)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass(slots=True)
class PageResult:
    blocks: list[Block] = field(default_factory=list)
    chars: int = 0
    garbled: int = 0
    duplicates: int = 0
    images: int = 0
    warnings: list[tuple[str, str, int | None]] = field(default_factory=list)


# --------------------------------------------------------------------------- entry point


def read_raw(data: bytes, source: str) -> RawDocument:
    """Read a PDF held in ``data``; ``source`` names it in locations and errors."""
    import pypdfium2 as pdfium

    pdf = _open(pdfium, data, source)
    try:
        n = len(pdf)
        if n == 0:
            raise UnreadableError(source, "PDF 文件没有任何页面。")
        if n > MAX_PAGES:
            raise UnreadableError(source, f"PDF 有 {n} 页，超过 {MAX_PAGES} 页的上限，不像是一份预算公开文件。")
        blocks: list[Block] = []
        warnings: list[tuple[str, str, int | None]] = []
        chars = images = garbled = 0
        for i in range(n):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                warnings.append(("unreadable-page", f"第 {i + 1} 页无法读取，已跳过。", i + 1))
                continue
            try:
                result = _read_page(page, i + 1)
            finally:
                page.close()
            blocks.extend(result.blocks)
            warnings.extend(result.warnings)
            chars += result.chars
            images += result.images
            garbled += result.garbled
    finally:
        pdf.close()
    if chars == 0:
        if images:
            raise UnreadableError(
                source, "这是扫描件（页面只有图片，没有文字层），无法读取其中的文字，请提供可复制文字的 PDF。"
            )
        raise UnreadableError(source, "PDF 中没有任何文字，不是一份预算公开文件。")
    if garbled and garbled >= 0.5 * chars:
        raise UnreadableError(source, "PDF 的字体缺少文字编码（ToUnicode），提取出的文字大多是乱码，无法读取。")
    return RawDocument(source=source, format="pdf", blocks=tuple(blocks), pages=n, warnings=tuple(warnings))


def _open(pdfium: Any, data: bytes, source: str) -> Any:
    if not data.lstrip()[:1024].find(b"%PDF") >= 0:
        raise UnreadableError(source, "不是 PDF 文件（缺少 %PDF 文件头）。")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        raw = pdfium.raw
        if code == raw.FPDF_ERR_PASSWORD:
            raise UnreadableError(source, "PDF 文件已加密，需要密码才能打开。") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise UnreadableError(source, "PDF 文件使用了不支持的加密方式，无法打开。") from None
        raise UnreadableError(source, "PDF 文件已损坏或不完整，无法打开。") from None


# --------------------------------------------------------------------------- one page


def _read_page(page: Any, number: int) -> PageResult:
    import pypdfium2.raw as pr

    result = PageResult()
    left, bottom, right, top = page.get_cropbox()
    frame = Frame(left, bottom, right, top, page.get_rotation() % 360)
    width, height = frame.width, frame.height
    edges, images, bounded = _page_edges(page, frame, pr)
    result.images = images
    if bounded:
        result.warnings.append(("page-too-complex", f"第 {number} 页的图形过多，未识别其中的表格线。", number))
    chars, garbled, dupes, total = _page_chars(page, frame, pr)
    result.chars = total
    result.garbled = garbled
    result.duplicates = dupes
    if garbled:
        result.warnings.append(
            ("garbled-text", f"第 {number} 页有 {garbled} 个字符没有文字编码（乱码），已略去。", number)
        )
    if total > MAX_CHARS:
        result.warnings.append(("page-too-complex", f"第 {number} 页字符过多，只读取了前 {MAX_CHARS} 个。", number))
    lattices = _find_lattices(_merge_edges(edges)) if not bounded else []
    grids, free = _fill_grids(lattices, chars, number)
    lines = _paragraphs(_text_lines(free), width, height, number)
    placed: list[tuple[float, Block]] = [(g.box[1] if g.box else 0.0, g) for g in grids]
    placed += [(ln.box[1] if ln.box else 0.0, ln) for ln in lines]
    placed.sort(key=lambda p: p[0])
    result.blocks = [b for _, b in placed]
    return result


def _page_chars(page: Any, frame: Frame, pr: Any) -> tuple[list[Char], int, int, int]:
    """Every visible character of the page, without layering duplicates and without
    text placed outside the page (producers leave overflow there, invisible but
    extractable). Returns the characters, the count of unmapped (garbled) ones, of
    duplicates, and the total."""
    width, height = frame.width, frame.height
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pr.FPDFText_CountChars(raw)
        rect = pr.FS_RECTF()
        prect = ctypes.byref(rect)
        get_unicode = pr.FPDFText_GetUnicode
        get_box = pr.FPDFText_GetLooseCharBox
        is_generated = pr.FPDFText_IsGenerated
        get_object = pr.FPDFText_GetTextObject
        clips: dict[tuple[int | None, ...], Box | None] = {}
        seen: set[tuple[int, int, int]] = set()
        out: list[Char] = []
        garbled = dupes = total = 0
        for i in range(min(n, MAX_CHARS)):
            u = get_unicode(raw, i)
            if u in _SKIP or is_generated(raw, i) == 1:
                continue
            total += 1
            if u == 0xFFFD or u < 0x20 or 0xE000 <= u <= 0xF8FF or 0xD800 <= u <= 0xDFFF:
                garbled += 1
                continue
            if not get_box(raw, i, prect):
                continue
            x0, top, x1, bottom = frame.box(rect.left, rect.bottom, rect.right, rect.top)
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            if not (0 <= cx <= width and 0 <= cy <= height):
                continue
            clip = _clip_of(get_object(raw, i), frame, pr, clips)
            if clip is not None and not (clip[0] - 1 <= cx <= clip[2] + 1 and clip[1] - 1 <= cy <= clip[3] + 1):
                continue
            key = (u, round(x0), round(top))
            if key in seen:
                dupes += 1
                continue
            seen.add(key)
            out.append(Char(chr(u), x0, top, x1, bottom))
        text = "".join(c.text for c in out)
        if "(cid:" in text:
            # Some producers print pdfminer-style placeholders into the text itself.
            n_cid = len(re.findall(r"\(cid:\d+\)", text))
            garbled += n_cid
        return out, garbled, dupes, total
    finally:
        textpage.close()


def _clip_of(obj: Any, frame: Frame, pr: Any, cache: dict[tuple[int | None, ...], Box | None]) -> Box | None:
    """``_clip_box`` cached by the clip's shared path data: objects printed under the
    same clip (one text object per character, as WPS writes them) share it."""
    if not obj:
        return None
    clip = pr.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    n = pr.FPDFClipPath_CountPaths(clip)
    key = tuple(
        ctypes.cast(pr.FPDFClipPath_GetPathSegment(clip, k, 0), ctypes.c_void_p).value for k in range(min(n, 16))
    )
    if key not in cache:
        cache[key] = _clip_box(obj, frame, pr)
    return cache[key]


def _clip_box(obj: Any, frame: Frame, pr: Any) -> Box | None:
    """The bounding box (top-down) of a page object's clip path, or None when it has
    none. Text outside its clip is not printed (WPS leaves overflow text clipped away
    at the foot of one page and again at the head of the next)."""
    clip = pr.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    x = ctypes.c_float()
    y = ctypes.c_float()
    box: list[float] | None = None
    for k in range(min(pr.FPDFClipPath_CountPaths(clip), 16)):
        xs: list[float] = []
        ys: list[float] = []
        for s in range(min(pr.FPDFClipPath_CountPathSegments(clip, k), 256)):
            seg = pr.FPDFClipPath_GetPathSegment(clip, k, s)
            if seg and pr.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                px, py = frame.point(x.value, y.value)
                xs.append(px)
                ys.append(py)
        if not xs:
            continue
        b = [min(xs), min(ys), max(xs), max(ys)]
        # The paths of a clip path intersect.
        box = b if box is None else [max(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), min(box[3], b[3])]
    if box is None:
        return None
    return (box[0], box[1], box[2], box[3])


# --------------------------------------------------------------------------- edges


def _page_edges(page: Any, frame: Frame, pr: Any) -> tuple[list[Edge], int, bool]:
    """Ruling-line candidates of a page; the number of image objects; whether the page
    exceeded the work bounds (then no edges are returned)."""
    edges: list[Edge] = []
    images = paths = segments = 0
    for obj in page.get_objects(max_depth=4):
        kind = obj.type
        if kind == pr.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        if kind != pr.FPDF_PAGEOBJ_PATH:
            continue
        paths += 1
        if paths > MAX_PATH_OBJECTS:
            return [], images, True
        left, bottom, right, top = obj.get_bounds()
        x0, y0, x1, y1 = frame.box(left, bottom, right, top)
        w, h = x1 - x0, y1 - y0
        if h <= THIN and w >= MIN_EDGE:
            edges.append(Edge("h", (y0 + y1) / 2, x0, x1))
            continue
        if w <= THIN and h >= MIN_EDGE:
            edges.append(Edge("v", (x0 + x1) / 2, y0, y1))
            continue
        if w < MIN_EDGE and h < MIN_EDGE:
            continue
        count = pr.FPDFPath_CountSegments(obj.raw)
        segments += max(count, 0)
        if segments > MAX_SEGMENTS:
            return [], images, True
        edges.extend(_path_edges(obj, count, frame, pr))
    return edges, images, False


def _path_edges(obj: Any, count: int, frame: Frame, pr: Any) -> Iterable[Edge]:
    """The axis-aligned straight segments of a path object, in page coordinates."""
    m = obj.get_matrix()
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    x = ctypes.c_float()
    y = ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for k in range(count):
        seg = pr.FPDFPath_GetPathSegment(obj.raw, k)
        if not seg or not pr.FPDFPathSegment_GetPoint(seg, px, py):
            continue
        point = frame.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pr.FPDFPathSegment_GetType(seg)
        if kind == pr.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if kind == pr.FPDF_SEGMENT_LINETO and prev is not None:
            edge = _segment_edge(prev, point)
            if edge is not None:
                yield edge
        prev = point
        if pr.FPDFPathSegment_GetClose(seg) and start is not None:
            edge = _segment_edge(point, start)
            if edge is not None:
                yield edge
            prev = start


def _segment_edge(p: tuple[float, float], q: tuple[float, float]) -> Edge | None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1.0 and abs(x1 - x0) >= MIN_EDGE:
        return Edge("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1))
    if abs(x0 - x1) < 1.0 and abs(y1 - y0) >= MIN_EDGE:
        return Edge("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1))
    return None


def _merge_edges(edges: Sequence[Edge]) -> list[Edge]:
    """Snap edges of one orientation onto shared lines and join the collinear ones."""
    out: list[Edge] = []
    for orient in ("h", "v"):
        group = sorted((e for e in edges if e.orient == orient), key=lambda e: e.pos)
        lines: list[list[Edge]] = []
        for e in group:
            if lines and e.pos - lines[-1][0].pos <= SNAP:
                lines[-1].append(e)
            else:
                lines.append([e])
        for line in lines:
            pos = sum(e.pos for e in line) / len(line)
            spans = sorted((e.start, e.end) for e in line)
            cur_s, cur_e = spans[0]
            for s, t in spans[1:]:
                if s <= cur_e + JOIN:
                    cur_e = max(cur_e, t)
                else:
                    out.append(Edge(orient, pos, cur_s, cur_e))
                    cur_s, cur_e = s, t
            out.append(Edge(orient, pos, cur_s, cur_e))
    return out[: MAX_EDGES * 2]


# --------------------------------------------------------------------------- lattices


def _find_lattices(edges: Sequence[Edge]) -> list[Lattice]:
    """Connected groups of crossing edges, each with at least two row and two column
    lines, as lattices."""
    hs = [e for e in edges if e.orient == "h"]
    vs = [e for e in edges if e.orient == "v"]
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = JOIN
    vs_sorted = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    v_pos = [vs[j].pos for j in vs_sorted]
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(v_pos, h.start - tol)
        hi = bisect.bisect_right(v_pos, h.end + tol)
        for k in range(lo, hi):
            j = vs_sorted[k]
            v = vs[j]
            if v.start - tol <= h.pos <= v.end + tol:
                ri, rj = find(i), find(len(hs) + j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    lattices = []
    for gh, gv in groups.values():
        if len(gh) < 2 or len(gv) < 2:
            continue
        ys = _cluster(e.pos for e in gh)
        xs = _cluster(e.pos for e in gv)
        if len(xs) < 2 or len(ys) < 2:
            continue
        lattices.append(Lattice(xs=xs, ys=ys, h=gh, v=gv))
    lattices.sort(key=lambda t: (t.ys[0], t.xs[0]))
    return lattices


def _cluster(values: Iterable[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _covered(edges: Sequence[Edge], pos: float, at: float) -> bool:
    """Whether one of ``edges`` lies on the line ``pos`` and covers the point ``at``."""
    return any(abs(e.pos - pos) <= SNAP and e.start - SNAP <= at <= e.end + SNAP for e in edges)


def _lattice_cells(lat: Lattice) -> list[list[tuple[int, int, int, int]]]:
    """For each lattice cell, the span ``(row0, col0, row1, col1)`` (inclusive) of the
    merged cell it belongs to."""
    nr, nc = len(lat.ys) - 1, len(lat.xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_x: dict[int, list[Edge]] = {}
    for j, x in enumerate(lat.xs):
        by_x[j] = [e for e in lat.v if abs(e.pos - x) <= SNAP]
    by_y: dict[int, list[Edge]] = {}
    for i, y in enumerate(lat.ys):
        by_y[i] = [e for e in lat.h if abs(e.pos - y) <= SNAP]
    for r in range(nr):
        ymid = (lat.ys[r] + lat.ys[r + 1]) / 2
        for c in range(nc - 1):
            if not _covered(by_x[c + 1], lat.xs[c + 1], ymid):
                union(r * nc + c, r * nc + c + 1)
    for c in range(nc):
        xmid = (lat.xs[c] + lat.xs[c + 1]) / 2
        for r in range(nr - 1):
            if not _covered(by_y[r + 1], lat.ys[r + 1], xmid):
                union(r * nc + c, (r + 1) * nc + c)
    spans: dict[int, list[int]] = {}
    sizes: dict[int, int] = {}
    for r in range(nr):
        for c in range(nc):
            g = find(r * nc + c)
            sizes[g] = sizes.get(g, 0) + 1
            s = spans.get(g)
            if s is None:
                spans[g] = [r, c, r, c]
            else:
                s[0], s[1] = min(s[0], r), min(s[1], c)
                s[2], s[3] = max(s[2], r), max(s[3], c)
    out: list[list[tuple[int, int, int, int]]] = []
    for r in range(nr):
        row: list[tuple[int, int, int, int]] = []
        for c in range(nc):
            g = find(r * nc + c)
            r0, c0, r1, c1 = spans[g]
            if sizes[g] != (r1 - r0 + 1) * (c1 - c0 + 1):
                # Not a rectangle (an L-shaped frame): split it into runs along the row.
                c0 = c
                while c0 > 0 and find(r * nc + c0 - 1) == g:
                    c0 -= 1
                c1 = c
                while c1 < nc - 1 and find(r * nc + c1 + 1) == g:
                    c1 += 1
                r0 = r1 = r
            row.append((r0, c0, r1, c1))
        out.append(row)
    return out


# --------------------------------------------------------------------------- filling


def _fill_grids(lattices: Sequence[Lattice], chars: Sequence[Char], page: int) -> tuple[list[RawGrid], list[Char]]:
    """Place characters into the lattices' cells; return the grids and the characters
    that fall outside every grid."""
    lattices = [t for t in (_trim(lat, chars) for lat in lattices) if t is not None]
    free: list[Char] = []
    buckets: list[dict[tuple[int, int], list[Char]]] = [{} for _ in lattices]
    for ch in chars:
        cx, cy = ch.cx, ch.cy
        for k, lat in enumerate(lattices):
            if lat.xs[0] <= cx <= lat.xs[-1] and lat.ys[0] <= cy <= lat.ys[-1]:
                r = min(max(bisect.bisect_right(lat.ys, cy) - 1, 0), len(lat.ys) - 2)
                c = min(max(bisect.bisect_right(lat.xs, cx) - 1, 0), len(lat.xs) - 2)
                buckets[k].setdefault((r, c), []).append(ch)
                break
        else:
            free.append(ch)
    grids = []
    for lat, bucket in zip(lattices, buckets, strict=True):
        grid = _grid(lat, bucket, page)
        if grid is not None:
            grids.append(grid)
    return grids, free


_UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元|千元|亿元)")


def _region_text(chars: Sequence[Char], x0: float, y0: float, x1: float, y1: float) -> str:
    return "".join(c.text for c in chars if x0 <= c.cx <= x1 and y0 <= c.cy <= y1)


def _title_row(lat: Lattice, chars: Sequence[Char], xs: Sequence[float], ys: Sequence[float]) -> bool:
    no_columns = len(xs) > 2 and not any(_covered(lat.v, x, (ys[0] + ys[1]) / 2) for x in xs[1:-1])
    return no_columns or bool(_UNIT_LINE.search(_region_text(chars, xs[0], ys[0], xs[-1], ys[1])))


def _trim(lat: Lattice, chars: Sequence[Char]) -> Lattice | None:
    """A lattice without the frame some producers draw around a table: empty margins
    on any side, and a top row without any column line or holding the unit line (the
    title, department and unit printed inside the frame are text, not cells)."""
    xs, ys = list(lat.xs), list(lat.ys)

    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    chars = [c for c in chars if x_lo <= c.cx <= x_hi and y_lo <= c.cy <= y_hi]

    def empty(x0: float, y0: float, x1: float, y1: float) -> bool:
        return not any(x0 <= c.cx <= x1 and y0 <= c.cy <= y1 for c in chars)

    # An empty column or row at the edge is a margin of the frame when no inner ruling
    # line crosses it; an empty column of a table (no amounts on a continued page) is
    # crossed by the row lines and stays.
    def margin_col(x0: float, x1: float) -> bool:
        mid = (x0 + x1) / 2
        crossed = any(_covered(lat.h, y, mid) for y in ys[1:-1])
        return not crossed and empty(x0, ys[0], x1, ys[-1])

    def margin_row(y0: float, y1: float) -> bool:
        mid = (y0 + y1) / 2
        crossed = any(_covered(lat.v, x, mid) for x in xs[1:-1])
        return not crossed and empty(xs[0], y0, xs[-1], y1)

    for _ in range(8):
        if len(xs) < 2 or len(ys) < 2:
            return None
        if len(xs) > 2 and margin_col(xs[0], xs[1]):
            xs.pop(0)
        elif len(xs) > 2 and margin_col(xs[-2], xs[-1]):
            xs.pop()
        elif len(ys) > 2 and margin_row(ys[0], ys[1]):
            ys.pop(0)
        elif len(ys) > 2 and margin_row(ys[-2], ys[-1]):
            ys.pop()
        elif len(ys) > 2 and _title_row(lat, chars, xs, ys):
            ys.pop(0)
        else:
            break
    if len(xs) < 2 or len(ys) < 2:
        return None
    return Lattice(xs=xs, ys=ys, h=lat.h, v=lat.v)


def _grid(lat: Lattice, bucket: dict[tuple[int, int], list[Char]], page: int) -> RawGrid | None:
    spans = _lattice_cells(lat)
    nr, nc = len(spans), len(spans[0]) if spans else 0
    # Gather the characters of each merged cell under its anchor (top-left lattice cell).
    texts: dict[tuple[int, int], list[Char]] = {}
    for (r, c), chs in bucket.items():
        r0, c0, _, _ = spans[r][c]
        texts.setdefault((r0, c0), []).extend(chs)
    rows: list[tuple[RawCell, ...]] = []
    for r in range(nr):
        row: list[RawCell] = []
        for c in range(nc):
            r0, c0, r1, c1 = spans[r][c]
            box = (lat.xs[c], lat.ys[r], lat.xs[c + 1], lat.ys[r + 1])
            if (r0, c0) != (r, c):
                row.append(RawCell("", box=box, covered=True))
                continue
            text = _cell_text(texts.get((r, c), []))
            span_box = (lat.xs[c0], lat.ys[r0], lat.xs[c1 + 1], lat.ys[r1 + 1])
            row.append(RawCell(text, box=span_box, colspan=c1 - c0 + 1, rowspan=r1 - r0 + 1))
        rows.append(tuple(row))
    if not any(cell.text for row in rows for cell in row):
        # Ruled frames without any text (page borders, boxes) are not tables; an empty
        # table still has its header text.
        return None
    return RawGrid(rows=tuple(rows), page=page, box=lat.box)


def _cell_text(chars: Sequence[Char]) -> str:
    lines = _group_lines(chars)
    parts: list[str] = []
    for line in lines:
        text = _line_text(line)
        if parts and parts[-1] and text and (parts[-1][-1].isascii() and text[0].isascii()):
            parts.append(" ")
        parts.append(text)
    return normalize("".join(parts))


def _group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters grouped into visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if bands:
            top, bottom = bands[-1]
            h = max(bottom - top, ch.height, 1.0)
            if abs(ch.cy - (top + bottom) / 2) <= 0.45 * h:
                lines[-1].append(ch)
                bands[-1] = (min(top, ch.top), max(bottom, ch.bottom))
                continue
        lines.append([ch])
        bands.append((ch.top, ch.bottom))
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _line_text(line: Sequence[Char]) -> str:
    out: list[str] = []
    prev: Char | None = None
    for ch in line:
        if prev is not None:
            gap = ch.x0 - prev.x1
            if gap > 0.5 * max(min(prev.height, ch.height), 1.0):
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


# --------------------------------------------------------------------------- free text

_PAGE_NUMBER = re.compile(r"^[-—–─_\s第]*\d{1,4}[-—–─_\s页]*$")
_STARTS_ITEM = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|注[:：])"
)


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


def _text_lines(chars: Sequence[Char]) -> list[_Line]:
    """Visual lines of free text; a line with a wide gap (``编制部门：…      单位：元``)
    is split into separate lines at the gap."""
    out = []
    for line in _split_gaps(_group_lines(chars)):
        text = _line_text(line)
        if not text.strip():
            continue
        heights = sorted(c.height for c in line)
        out.append(
            _Line(
                text=text,
                x0=min(c.x0 for c in line),
                top=min(c.top for c in line),
                x1=max(c.x1 for c in line),
                bottom=max(c.bottom for c in line),
                size=heights[len(heights) // 2],
            )
        )
    return out


def _split_gaps(lines: Iterable[list[Char]]) -> Iterable[list[Char]]:
    for line in lines:
        part: list[Char] = []
        for ch in line:
            if part and ch.x0 - part[-1].x1 > 3.0 * max(ch.height, part[-1].height, 1.0):
                yield part
                part = []
            part.append(ch)
        if part:
            yield part


def _paragraphs(lines: Sequence[_Line], width: float, height: float, page: int) -> list[RawLine]:
    """Visual lines joined into paragraphs: a line continues the previous one when that
    one runs to the right margin, the gap between them is at most a line, the font size
    is the same, and the new line is not indented nor starts a numbered item."""
    lines = [
        ln
        for ln in lines
        if not (_PAGE_NUMBER.match(ln.text.strip()) and (ln.top > height * 0.85 or ln.bottom < height * 0.12))
    ]
    if not lines:
        return []
    right = max(ln.x1 for ln in lines)
    merged: list[_Line] = []
    for ln in lines:
        if merged:
            prev = merged[-1]
            size = max(prev.size, ln.size, 1.0)
            if (
                abs(prev.size - ln.size) <= 0.15 * size
                and 0 <= ln.top - prev.bottom <= 1.2 * size
                and prev.x1 >= right - 2.0 * size
                and ln.x0 <= prev.x0 + 0.5 * size
                and not _STARTS_ITEM.match(ln.text.strip())
            ):
                joiner = " " if prev.text[-1:].isascii() and ln.text[:1].isascii() else ""
                merged[-1] = _Line(
                    text=prev.text + joiner + ln.text,
                    x0=min(prev.x0, ln.x0),
                    top=prev.top,
                    x1=max(prev.x1, ln.x1),
                    bottom=ln.bottom,
                    size=prev.size,
                )
                continue
        merged.append(ln)
    return [
        RawLine(text=normalize(ln.text), page=page, box=(ln.x0, ln.top, ln.x1, ln.bottom), size=round(ln.size, 1))
        for ln in merged
    ]
