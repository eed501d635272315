"""HTML writer: one self-contained page (inline CSS, no external assets).

Screen and print styles are both inline; the print style is what ``render.pdf`` hands to
WeasyPrint: A4 pages, landscape named pages for wide tables, repeated header rows
(``thead``), page numbers, and a table of contents whose page numbers come from
``target-counter``. Tables are accessible: header cells are ``th`` with ``scope``, each
table is labelled by its title, the page declares ``lang="zh-CN"``.
"""

from __future__ import annotations

import unicodedata
from html import escape

from yusuan.model import Disclosure
from yusuan.render.layout import GCell, Grid, Heading, Para, Printed, Toc, layout
from yusuan.render.profiles import Profile

CSS = """
:root { --ink: #111; --rule: #444; --muted: #555; }
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif;
       color: var(--ink); line-height: 1.6; }
body { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { font-size: 1.6rem; text-align: center; margin: 1.2rem 0; }
h2 { font-size: 1.25rem; margin: 1.2rem 0 .6rem; }
h3, h4 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
p { margin: .35rem 0; text-indent: 2em; }
p.meta, p.note, p.title, p.toc-caption { text-indent: 0; }
p.title { font-weight: bold; font-size: 1.15rem; text-align: center; margin-top: 1rem; }
p.meta { color: var(--muted); font-size: .9rem; margin: .1rem 0; }
p.note { font-size: .9rem; margin-top: .3rem; }
section.table { margin: 1.5rem 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border: 1px solid var(--rule); padding: .15rem .3rem; vertical-align: middle; }
th { background: #f1f1f1; font-weight: bold; text-align: center; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.c { text-align: center; white-space: nowrap; }
tr.columns th { font-weight: normal; font-size: .8rem; }
nav.toc ol { list-style: none; padding-left: 0; }
nav.toc li { margin: .15rem 0; }
nav.toc a { color: inherit; text-decoration: none; }
@media print {
  body { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
}
@page { size: A4; margin: 18mm 15mm 18mm 15mm;
        @bottom-center { content: counter(page); font-size: 9pt; } }
@page landscape { size: A4 landscape; margin: 15mm 12mm 15mm 12mm;
        @bottom-center { content: counter(page); font-size: 9pt; } }
@media print {
  html { font-size: 10.5pt; }
  section.table { break-before: page; margin: 0; }
  section.table.wide { page: landscape; }
  section.table table { font-size: 8.5pt; }
  section.table.wide table { font-size: 8pt; }
  section.project { break-before: auto; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h1.cover { break-after: page; margin-top: 35%; font-size: 22pt; }
  nav.toc { break-after: page; }
  /* dashed, not dotted: WeasyPrint draws every dot, +375 KB */
  nav.toc li { border-bottom: .6pt dashed #888; position: relative; padding-right: 3em; }
  /* the page number placed, not floated: a float per entry cost ~7 % of a PDF render */
  nav.toc a::after { content: target-counter(attr(href url), page); position: absolute; right: 0; }
  h1.narrative { break-before: page; }
  table { table-layout: fixed; }
  td, th { word-break: break-all; }
}
"""


def _cell(tag: str, c: GCell, scope: str | None = None) -> str:
    attrs = []
    if c.colspan > 1:
        attrs.append(f' colspan="{c.colspan}"')
    if c.rowspan > 1:
        attrs.append(f' rowspan="{c.rowspan}"')
    if scope:
        attrs.append(f' scope="{scope}"')
    if tag == "td" and c.numeric:
        attrs.append(' class="n"')
    return f"<{tag}{''.join(attrs)}>{escape(c.text)}</{tag}>"


#: Usable text width of a table in ems of its print font size: A4 portrait (180 mm at
#: 8.5 pt) and A4 landscape (273 mm at 8 pt), less a little for borders and padding.
_PAGE_EMS = {False: 58.0, True: 94.0}
_PAD_EMS = 0.8  # left + right padding and the rule
_MIN_EMS = 2.2  # the narrowest column (a 序号 or an empty column)
_LABEL_EMS = 5.8  # labels up to four CJK characters are never wrapped
_TEXT_EMS = 16.0  # beyond this a text column does not ask for more room


def text_ems(text: str) -> float:
    """Printed width of ``text`` in ems: full width for CJK, about half for the rest."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def column_widths(g: Grid) -> tuple[float, ...]:
    """Relative widths (summing to 1) of the grid columns for ``table-layout: fixed``.

    Every column wants the width of its longest unspanned cell; numbers (never wrapped)
    must get it, text columns share what is left in proportion to what they want and wrap.
    Columns only covered by spanning cells share the width of those cells."""
    from yusuan.render.xlsx import positions

    want = [0.0] * g.width
    need = [0.0] * g.width
    rows = (*g.head, *g.body)
    for row, cols in zip(rows, positions(rows), strict=True):
        for cell, col in zip(row, cols, strict=True):
            if cell.colspan != 1 or col >= g.width:
                continue
            w = text_ems(cell.text) + _PAD_EMS
            want[col] = max(want[col], w)
            if cell.numeric:
                need[col] = max(need[col], w)
    for row, cols in zip(rows, positions(rows), strict=True):
        for cell, col in zip(row, cols, strict=True):
            span = range(col, min(col + cell.colspan, g.width))
            if cell.colspan > 1 and span:
                share = (text_ems(cell.text) + _PAD_EMS) / len(span)
                for j in span:
                    want[j] = max(want[j], min(share, 8.0))
    want = [max(w, _MIN_EMS) for w in want]
    page = _PAGE_EMS[g.wide]
    if sum(want) > page:
        # Like CSS automatic layout: every column keeps a floor (numbers their full
        # width, short labels theirs), the rest of the page is shared in proportion to
        # how much more each column would like.
        want = [max(n, min(w, _TEXT_EMS)) for w, n in zip(want, need, strict=True)]
        base = [max(n, min(w, _LABEL_EMS)) for w, n in zip(want, need, strict=True)]
        extra = [w - b for w, b in zip(want, base, strict=True)]
        room = max(page - sum(base), 0.0)
        scale = min(1.0, room / sum(extra)) if sum(extra) else 1.0
        want = [b + e * scale for b, e in zip(base, extra, strict=True)]
    total = sum(want)
    return tuple(w / total for w in want)


def _colgroup(g: Grid) -> str:
    cols = "".join(f'<col style="width:{w * 100:.2f}%"/>' for w in column_widths(g))
    return f"<colgroup>{cols}</colgroup>"


def grid_html(g: Grid, index: int = 0) -> str:
    tid = g.anchor or f"t{index}"
    cls = "table wide" if g.wide else "table"
    if g.table_id == "project_performance":
        cls += " project"
    out = [f'<section class="{cls}" id="{tid}" data-table="{escape(g.table_id)}">']
    if g.title:
        out.append(f'<p class="title" id="{tid}-title">{escape(g.title)}</p>')
    out.extend(f'<p class="meta">{escape(m)}</p>' for m in g.meta)
    label = f' aria-labelledby="{tid}-title"' if g.title else ""
    out.append(f'<div class="scroll"><table{label}>{_colgroup(g)}')
    if g.head:
        out.append("<thead>")
        for i, row in enumerate(g.head):
            klass = ' class="columns"' if g.numbered_head_rows and i == len(g.head) - 1 else ""
            cells = "".join(_cell("th", c, "colgroup" if c.colspan > 1 else "col") for c in row)
            out.append(f"<tr{klass}>{cells}</tr>")
        out.append("</thead>")
    out.append("<tbody>")
    for row in g.body:
        out.append("<tr>" + "".join(_cell("td", c) for c in row) + "</tr>")
    out.append("</tbody></table></div>")
    if g.note:
        out.append(f'<p class="note">{escape(g.note)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _toc(t: Toc) -> str:
    out = ['<nav class="toc" aria-label="目录">', f"<h1>{escape(t.title)}</h1>"]
    for caption, entries in t.groups:
        if caption:
            out.append(f'<p class="toc-caption"><strong>{escape(caption)}</strong></p>')
        out.append("<ol>")
        out.extend(f'<li><a href="#{a}">{escape(title)}</a></li>' for title, a in entries)
        out.append("</ol>")
    out.append("</nav>")
    return "\n".join(out)


def body(printed: Printed) -> str:
    """The blocks of ``printed`` as HTML elements (well-formed XML too: void elements are
    self-closed, so ``render.pdf`` can hand them to an XML parser)."""
    out: list[str] = []
    first = True
    for b in printed.blocks:
        if isinstance(b, Heading):
            level = min(b.level, 6)
            cls = ""
            if first:
                cls = ' class="cover"'
            elif b.anchor == "narrative":
                cls = ' class="narrative"'
            anchor = f' id="{b.anchor}"' if b.anchor else ""
            out.append(f"<h{level}{anchor}{cls}>{escape(b.text)}</h{level}>")
        elif isinstance(b, Para):
            out.append(f"<p>{escape(b.text)}</p>")
        elif isinstance(b, Toc):
            out.append(_toc(b))
        else:
            out.append(grid_html(b))
        first = False
    return "\n".join(out)


def write(printed: Printed) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        f'<meta name="generator" content="yusuan"/>\n<title>{escape(printed.title)}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n" + body(printed) + "\n</body>\n</html>\n"
    )


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile)).encode("utf-8")
