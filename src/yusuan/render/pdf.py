"""PDF writer: WeasyPrint from the HTML page's elements and a print-only style.

A4 pages, the installed Noto CJK fonts embedded (WeasyPrint subsets and embeds every font
it uses), landscape pages for wide tables (named ``@page landscape``), header rows
repeated on continuation pages, page numbers, and a table of contents with real page
numbers (``target-counter``).

Speed (see docs/authoring.md "Speed"): tables use ``table-layout: fixed`` with column
widths computed in Python (``html.column_widths``), the table of contents rules its lines
instead of ``leader()`` (a box per dot) and places its page numbers absolutely (a float
per entry cost ~7 % of a render), and each thread keeps one WeasyPrint
``FontConfiguration``. The page is not handed to WeasyPrint as HTML text: the elements
``html.body`` writes are well-formed XML, so they are parsed by the C XML parser
(WeasyPrint's pure-Python HTML5 parser cost ~8 % of a render), the newlines between
block and table elements are dropped (an anonymous box each), and the cascade runs
against two short style sheets parsed once per thread: the print style below (the
screen rules, custom properties and ``@media`` blocks of ``html.CSS`` left out) and a
user-agent sheet reduced to the elements ``html`` writes. WeasyPrint's own user-agent
sheet has a few hundred selectors and ``::marker``/``::footnote-*`` rules that match every
element, which made it compute six pseudo-element styles per element. Table grids are
half-pixel cell frames in separate borders instead of collapsed borders (see
``PRINT_CSS``).

Fonts: the text is set in a subset of Noto Serif CJK SC (GB 2312 and the symbols of budget
tables, Regular and Bold; ``render.fonts``), built once per machine and cached, loaded with
``@font-face`` ahead of the installed Noto CJK families, which set any character outside the
subset (Pango falls back per character). WeasyPrint then loads, copies and subsets a 5 MB
font instead of a 26 MB collection for each weight. Without the subset (no HarfBuzz
subsetter, no installed Noto Serif CJK SC, a read-only cache) the installed fonts are used
as before.

If the XML parse fails (it should not: ``html.body`` escapes all text), the page goes the
ordinary way through ``weasyprint.HTML(string=...)`` with ``html.CSS``.
"""

from __future__ import annotations

import atexit
import shutil
import threading
import weakref
from html import escape
from typing import Any

from yusuan.collector import fewer_collections
from yusuan.model import Disclosure
from yusuan.render import fonts, html
from yusuan.render.layout import Printed, layout
from yusuan.render.profiles import Profile

#: What WeasyPrint's user-agent sheet (weasyprint/css/html5_ua.css) says about the elements
#: ``html.body`` writes, and nothing else.
UA_CSS = """
head, meta, title, style { display: none }
html, body, div, section, nav, h1, h2, h3, h4, h5, h6, p, ol, ul { display: block }
li { display: list-item }
table { display: table; box-sizing: border-box; text-indent: initial;
        border-spacing: 2px; border-collapse: separate; border-color: gray }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle; border-color: inherit }
tbody { display: table-row-group; vertical-align: middle; border-color: inherit }
tr { display: table-row; vertical-align: inherit; border-color: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px; border-color: gray }
th, b, strong { font-weight: bold }
body { margin: 8px }
h1 { margin: .67em 0; font-size: 2em; font-weight: bold; bookmark-level: 1 }
h2 { margin: .83em 0; font-size: 1.5em; font-weight: bold; bookmark-level: 2 }
h3 { margin: 1em 0; font-size: 1.17em; font-weight: bold; bookmark-level: 3 }
h4 { margin: 1.33em 0; font-size: 1em; font-weight: bold; bookmark-level: 4 }
h5 { margin: 1.67em 0; font-size: .83em; font-weight: bold; bookmark-level: 5 }
h6 { margin: 2.33em 0; font-size: .67em; font-weight: bold; bookmark-level: 6 }
h1, h2, h3, h4, h5, h6 { bookmark-label: content(text); hyphens: manual;
                         break-after: avoid; break-inside: avoid }
p, ol, ul { margin: 1em 0 }
ol, ul { padding-left: 40px; counter-reset: list-item; break-before: avoid }
ol { list-style-type: decimal }
ul { list-style-type: disc }
a:link { color: blue; text-decoration: underline }
@page { margin: 75px;
        @bottom-center { text-align: center; vertical-align: middle } }
"""

#: ``html.CSS`` as it applies in print, flattened: same computed styles, fewer rules, except
#: the rules of tables: separate borders, each cell framed in half a pixel inside a table
#: framed in half a pixel, print the 1px grid of ``border-collapse: collapse`` (two half
#: frames meet on every inner line, the table's and the cell's on the outer ones) without
#: WeasyPrint resolving every collapsed border segment and drawing each one on its own:
#: a uniform frame is one path per cell.
PRINT_CSS = """
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif;
       color: #111; line-height: 1.6; font-size: 10.5pt }
body { margin: 0 }
h1 { font-size: 1.6rem; text-align: center; margin: 1.2rem 0 }
h2 { font-size: 1.25rem; margin: 1.2rem 0 .6rem }
h3, h4 { font-size: 1.05rem; margin: 1rem 0 .4rem }
p { margin: .35rem 0; text-indent: 2em }
p.meta, p.note, p.title, p.toc-caption { text-indent: 0 }
p.title { font-weight: bold; font-size: 1.15rem; text-align: center; margin-top: 1rem }
p.meta { color: #555; font-size: .9rem; margin: .1rem 0 }
p.note { font-size: .9rem; margin-top: .3rem }
section.table { break-before: page; margin: 0 }
section.wide { page: landscape }
section.project { break-before: auto }
table { border-collapse: separate; border-spacing: 0; border: .5px solid #444;
        box-decoration-break: clone; width: 100%; font-size: 8.5pt; table-layout: fixed }
section.wide table { font-size: 8pt }
th, td { border: .5px solid #444; padding: .15rem .3rem; vertical-align: middle;
         word-break: break-all }
th { background: #f1f1f1; font-weight: bold; text-align: center }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums }
td.c { text-align: center; white-space: nowrap }
tr { break-inside: avoid }
tr.columns th { font-weight: normal; font-size: .8rem }
nav.toc { break-after: page }
nav.toc ol { list-style: none; padding-left: 0 }
nav.toc li { margin: .15rem 0; border-bottom: .6pt dashed #888; position: relative;
             padding-right: 3em }
nav.toc a { color: inherit; text-decoration: none }
nav.toc a::after { content: target-counter(attr(href url), page); position: absolute; right: 0 }
h1.cover { break-after: page; margin-top: 35%; font-size: 22pt }
h1.narrative { break-before: page }
@page { size: A4; margin: 18mm 15mm 18mm 15mm;
        @bottom-center { content: counter(page); font-size: 9pt } }
@page landscape { size: A4 landscape; margin: 15mm 12mm 15mm 12mm;
        @bottom-center { content: counter(page); font-size: 9pt } }
"""

#: The installed font families of the print style, in order.
FAMILIES = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif'

_local = threading.local()


def print_css(subset: fonts.FontSubset) -> str:
    """``PRINT_CSS`` with ``subset``'s faces loaded and listed before the installed families."""
    if not subset.faces:
        return PRINT_CSS
    return fonts.font_face_css(subset) + PRINT_CSS.replace(
        f"font-family: {FAMILIES};", f'font-family: "{fonts.FAMILY}", {FAMILIES};', 1)


def _font_config(subset_fonts: bool = True) -> Any:
    """This thread's FontConfiguration (Pango objects are not shared across threads), one
    with the subset faces and one without."""
    configs: dict[bool, Any] = _local.__dict__.setdefault("font_configs", {})
    if subset_fonts not in configs:
        from weasyprint.text.fonts import FontConfiguration

        configs[subset_fonts] = FontConfiguration()
        _CONFIGS.add(configs[subset_fonts])
    return configs[subset_fonts]


#: Every FontConfiguration made here, to remove their font folders at exit.
_CONFIGS: weakref.WeakSet[Any] = weakref.WeakSet()


@atexit.register
def _remove_font_folders() -> None:
    """Remove the temporary folders the FontConfigurations copied the ``@font-face`` fonts
    into: their own ``__del__`` runs too late at interpreter exit (WeasyPrint's module
    globals are gone by then) and would leave them behind."""
    for config in list(_CONFIGS):
        folder = getattr(config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None


def _sheets(subset_fonts: bool = True) -> tuple[Any, Any]:
    """This thread's parsed user-agent and print style sheets (with the subset faces
    when ``subset_fonts`` and they can be had)."""
    all_sheets: dict[bool, tuple[Any, Any]] = _local.__dict__.setdefault("sheets", {})
    if subset_fonts not in all_sheets:
        from weasyprint import CSS

        config = _font_config(subset_fonts)
        subset = fonts.subset_faces() if subset_fonts else fonts.FontSubset(())
        all_sheets[subset_fonts] = (CSS(string=UA_CSS, font_config=config),
                                    CSS(string=print_css(subset), font_config=config))
    return all_sheets[subset_fonts]


def _document(root: Any, ua: Any) -> Any:
    """A ``weasyprint.HTML`` for an already parsed element tree, with ``ua`` as its
    user-agent sheet (what ``HTML.__init__`` sets after parsing; WeasyPrint is pinned)."""
    import cssselect2  # type: ignore[import-untyped]
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class _Tree(HTML):  # type: ignore[misc]
        def __init__(self) -> None:
            self.base_url = None
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [ua]

    return _Tree()


def page_xml(printed: Printed) -> str:
    """The page WeasyPrint lays out: ``html.body`` without the screen style."""
    return (f'<html lang="zh-CN"><head><meta name="generator" content="yusuan"/>'
            f"<title>{escape(printed.title)}</title></head>"
            f"<body>\n{html.body(printed)}\n</body></html>")


#: Elements laid out as blocks or table parts: whitespace around them prints nothing.
_BLOCKS = frozenset({
    "html", "head", "meta", "title", "body", "section", "div", "nav", "p", "ol", "ul", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
})


def _drop_layout_whitespace(root: Any) -> None:
    """Remove the newlines ``html.body`` puts between block and table elements: WeasyPrint
    would build (and lay out, then throw away) an anonymous box for each."""
    for el in root.iter():
        if el.tag in _BLOCKS:
            if el.tail is not None and not el.tail.strip():
                el.tail = None
            if el.text is not None and len(el) and not el.text.strip():
                el.text = None


def write(printed: Printed, *, subset_fonts: bool = True) -> bytes:
    """The PDF of ``printed``; ``subset_fonts=False`` sets it in the installed fonts only
    (same layout: the subset has the installed face's metrics)."""
    import logging
    from xml.etree import ElementTree

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        root = ElementTree.fromstring(page_xml(printed))
    except ElementTree.ParseError:
        data: bytes = HTML(string=html.write(printed), base_url=None).write_pdf(font_config=_font_config(False))
        return data
    _drop_layout_whitespace(root)
    ua, style = _sheets(subset_fonts)
    with fewer_collections():  # ~10 % of a render's CPU time (yusuan.collector)
        data = _document(root, ua).write_pdf(font_config=_font_config(subset_fonts), stylesheets=[style])
    return data


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile))
