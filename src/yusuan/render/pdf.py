"""PDF writer: WeasyPrint from the HTML page and its print style.

A4 pages, the installed Noto CJK fonts embedded (WeasyPrint subsets and embeds every font
it uses), landscape pages for wide tables (named ``@page landscape``), header rows
repeated on continuation pages, page numbers, and a table of contents with real page
numbers (``target-counter``).
"""

from __future__ import annotations

from yusuan.model import Disclosure
from yusuan.render import html
from yusuan.render.layout import Printed, layout
from yusuan.render.profiles import Profile


def write(printed: Printed) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page = html.write(printed)
    data: bytes = HTML(string=page, base_url=None).write_pdf()
    return data


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile))
