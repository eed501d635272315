"""DOCX writer (python-docx): the whole document, editable in Word and WPS.

Headings use the built-in heading styles (so Word's navigation pane and TOC field work),
tables use real merged cells (``w:gridSpan`` across, ``w:vMerge`` down), header rows are
marked to repeat on every page (``w:tblHeader``), wide tables get a landscape section,
and the East Asian font is set on the styles so Chinese text does not fall back to a
Latin font.

python-docx is used for the package (template, styles, core properties, saving); the
body is written as WordprocessingML text and parsed once, because python-docx's
per-cell API (``cell.merge``, ``run.font.size``…) walks the XML on every call and cost
seconds for the ~1500 cells of a budget. Column widths are the ones the PDF uses
(:func:`yusuan.render.html.column_widths`).
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from yusuan.model import Disclosure
from yusuan.render.html import column_widths
from yusuan.render.layout import GCell, Grid, Heading, Para, Printed, Toc, layout
from yusuan.render.profiles import Profile
from yusuan.render.xlsx import positions

FONT = "宋体"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: A4 in twentieths of a point (portrait width, height), as python-docx writes Mm(210), Mm(297)
_A4 = (11906, 16838)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def _east_asian(style: Any, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _styles(doc: Any) -> dict[str, str]:
    """Set the fonts and add the table styles; return style name → style id."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    _east_asian(normal)
    ids = {}
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        st = doc.styles[name]
        st.font.name = FONT
        _east_asian(st)
        ids[name] = st.style_id
    title = doc.styles.add_style("Table Title", WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    title.font.bold = True
    title.font.size = Pt(14)
    meta = doc.styles.add_style("Table Meta", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = normal
    meta.font.size = Pt(9)
    ids["Table Title"] = title.style_id
    ids["Table Meta"] = meta.style_id
    ids["Table Grid"] = doc.styles["Table Grid"].style_id
    return ids


# ----------------------------------------------------------------------------- XML text


def _runs(text: str, rpr: str = "") -> str:
    """One run holding ``text`` (tabs and line breaks as Word's own elements)."""
    text = _XML_INVALID.sub("", text)
    parts: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _para(text: str, style: str | None = None, jc: str | None = None, rpr: str = "") -> str:
    ppr = ""
    if style or jc:
        ppr = "<w:pPr>"
        ppr += f"<w:pStyle w:val={quoteattr(style)}/>" if style else ""
        ppr += f'<w:jc w:val="{jc}"/>' if jc else ""
        ppr += "</w:pPr>"
    return f"<w:p>{ppr}{_runs(text, rpr) if text else ''}</w:p>"


def _sect_pr(template: str, landscape: bool) -> str:
    """The section properties of the template with the page size set to A4."""
    w, h = (_A4[1], _A4[0]) if landscape else _A4
    orient = ' w:orient="landscape"' if landscape else ""
    return re.sub(r"<w:pgSz\b[^>]*/>", f'<w:pgSz w:w="{w}" w:h="{h}"{orient}/>', template, count=1)


def _cell_xml(cell: GCell, width: int, header: bool, size: int, merge: str | None) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.colspan > 1:
        tcpr += f'<w:gridSpan w:val="{cell.colspan}"/>'
    if merge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        return f"<w:tc><w:tcPr>{tcpr}<w:vMerge/></w:tcPr><w:p/></w:tc>"
    rpr = f'<w:rPr>{"<w:b/>" if header else ""}<w:sz w:val="{size}"/></w:rPr>'
    jc = "center" if header else ("right" if cell.numeric else None)
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{_para(cell.text, jc=jc, rpr=rpr)}</w:tc>"


def _table_xml(g: Grid, usable: int, style_id: str) -> str:
    """The grid as a ``w:tbl``: spans across as ``gridSpan``, spans down as ``vMerge``."""
    widths = [round(f * usable) for f in column_widths(g)]
    size = 16 if g.wide else 18  # half-points: 8 pt / 9 pt
    rows = (*g.head, *g.body)
    # per row: grid column → (cell, "restart" | "continue" | None)
    placed: list[dict[int, tuple[GCell, str | None]]] = [{} for _ in rows]
    for i, (row, cols) in enumerate(zip(rows, positions(rows), strict=True)):
        for cell, col in zip(row, cols, strict=True):
            down = cell.rowspan > 1
            placed[i][col] = (cell, "restart" if down else None)
            for di in range(1, cell.rowspan):
                if i + di < len(rows):
                    placed[i + di][col] = (cell, "continue")
    out = [
        f"<w:tbl><w:tblPr><w:tblStyle w:val={quoteattr(style_id)}/>"
        '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
        ' w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for i, cells in enumerate(placed):
        header = i < len(g.head)
        out.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else "<w:tr>")
        for col in sorted(cells):
            cell, merge = cells[col]
            width = sum(widths[col : col + cell.colspan])
            out.append(_cell_xml(cell, width, header, size, merge))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _toc_table(entries: tuple[tuple[str, str], ...], usable: int) -> str:
    half = usable // 2
    rows = "".join(
        f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/></w:tcPr>{_para(f"{title}.....")}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr>'
        for title, _ in entries
    )
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{rows}</w:tbl>'
    )


class _Body:
    """The body as WordprocessingML text, with the section breaks of the page turns."""

    def __init__(self, template_sect: str, ids: dict[str, str]) -> None:
        self.parts: list[str] = []
        self.template = template_sect
        self.ids = ids
        self.landscape = False
        margins = re.search(r'<w:pgMar\b[^>]*w:right="(\d+)"[^>]*w:left="(\d+)"', template_sect)
        self.margins = int(margins[1]) + int(margins[2]) if margins else 2880

    @property
    def usable(self) -> int:
        return (_A4[1] if self.landscape else _A4[0]) - self.margins

    def orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        self.parts.append(f"<w:p><w:pPr>{_sect_pr(self.template, self.landscape)}</w:pPr></w:p>")
        self.landscape = landscape

    def heading(self, text: str, level: int) -> None:
        self.parts.append(_para(text, self.ids["Title" if level == 0 else f"Heading {level}"]))

    def grid(self, g: Grid) -> None:
        if g.title:
            self.parts.append(_para(g.title, self.ids["Table Title"], jc="center"))
        self.parts.extend(_para(m, self.ids["Table Meta"]) for m in g.meta)
        self.parts.append(_table_xml(g, self.usable, self.ids["Table Grid"]))
        if g.note:
            self.parts.append(_para(g.note, self.ids["Table Meta"]))


def write(printed: Printed) -> bytes:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    ids = _styles(doc)
    doc.core_properties.title = printed.title
    doc.core_properties.language = "zh-CN"
    body_el = doc.element.body
    final = body_el.find(qn("w:sectPr"))
    template = re.sub(r"\s+xmlns:\w+=\"[^\"]*\"", "", re.sub(r">\s+<", "><", final.xml))
    body = _Body(template, ids)
    for b in printed.blocks:
        if isinstance(b, Heading):
            body.heading(b.text, min(max(b.level - 1, 0), 4))
        elif isinstance(b, Para):
            body.parts.append(_para(b.text))
        elif isinstance(b, Toc):
            body.heading(b.title, 1)
            for caption, entries in b.groups:
                if caption:
                    body.parts.append(_para(caption, ids["Table Title"]))
                if entries:
                    body.parts.append(_toc_table(entries, body.usable))
            body.parts.append(_PAGE_BREAK)
        else:
            main = b.title is not None and b.table_id not in ("organization", "procurement", "assets")
            if main or b.wide:
                body.orientation(b.wide)
            body.grid(b)
            if main and not b.wide:
                body.parts.append(_PAGE_BREAK)
    body.orientation(False)
    fragment = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(body.parts)}</w:body>')
    for el in list(fragment):
        final.addprevious(el)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile))
