"""DOCX writer (python-docx): the whole document, editable in Word and WPS.

Headings use the built-in heading styles (so Word's navigation pane and TOC field work),
tables use real merged cells, header rows are marked to repeat on every page
(``w:tblHeader``), wide tables get a landscape section, and the East Asian font is set
on the styles so Chinese text does not fall back to a Latin font.
"""

from __future__ import annotations

import io
from typing import Any

from yusuan.model import Disclosure
from yusuan.render.layout import Grid, Heading, Para, Printed, Toc, layout
from yusuan.render.profiles import Profile
from yusuan.render.xlsx import positions

FONT = "宋体"


def _east_asian(style: Any, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _repeat_header(row: Any) -> None:
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(el)


def _orientation(doc: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    current = doc.sections[-1]
    want = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if current.orientation == want:
        return
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = want
    sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))


def _grid(doc: Any, g: Grid) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if g.title:
        p = doc.add_paragraph(g.title, style="Table Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for m in g.meta:
        doc.add_paragraph(m, style="Table Meta")
    rows = (*g.head, *g.body)
    table = doc.add_table(rows=len(rows), cols=g.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_cells = [r.cells for r in table.rows]
    for i, (row, cols) in enumerate(zip(rows, positions(rows), strict=True)):
        header = i < len(g.head)
        for cell, col in zip(row, cols, strict=True):
            target = grid_cells[i][col]
            if cell.colspan > 1 or cell.rowspan > 1:
                target = target.merge(grid_cells[i + cell.rowspan - 1][col + cell.colspan - 1])
            para = target.paragraphs[0]
            run = para.add_run(cell.text)
            run.font.size = Pt(8 if g.wide else 9)
            if header:
                run.bold = True
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif cell.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i in range(len(g.head)):
        _repeat_header(table.rows[i])
    if g.note:
        doc.add_paragraph(g.note, style="Table Meta")


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    _east_asian(normal)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        st = doc.styles[name]
        st.font.name = FONT
        _east_asian(st)
    title = doc.styles.add_style("Table Title", WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    title.font.bold = True
    title.font.size = Pt(14)
    meta = doc.styles.add_style("Table Meta", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = normal
    meta.font.size = Pt(9)


def write(printed: Printed) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    _styles(doc)
    doc.core_properties.title = printed.title
    doc.core_properties.language = "zh-CN"
    for b in printed.blocks:
        if isinstance(b, Heading):
            doc.add_heading(b.text, level=min(max(b.level - 1, 0), 4))
        elif isinstance(b, Para):
            doc.add_paragraph(b.text)
        elif isinstance(b, Toc):
            doc.add_heading(b.title, level=1)
            for caption, entries in b.groups:
                if caption:
                    doc.add_paragraph(caption, style="Table Title")
                if entries:
                    toc = doc.add_table(rows=len(entries), cols=2)
                    for row, (title, _) in zip(toc.rows, entries, strict=True):
                        row.cells[0].text = f"{title}....."
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            main = b.title is not None and b.table_id not in ("organization", "procurement", "assets")
            if main or b.wide:
                _orientation(doc, b.wide)
            _grid(doc, b)
            if main and not b.wide:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _orientation(doc, False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile))
