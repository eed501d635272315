"""PDF writer: WeasyPrint from the HTML page and its print style.

A4 pages, the installed Noto CJK fonts embedded (WeasyPrint subsets and embeds every font
it uses), landscape pages for wide tables (named ``@page landscape``), header rows
repeated on continuation pages, page numbers, and a table of contents with real page
numbers (``target-counter``).

Speed (see docs/authoring.md): tables use ``table-layout: fixed`` with column widths
computed in Python (``html.column_widths``), the table of contents rules its lines
instead of ``leader()`` (a box per dot), and each thread keeps one WeasyPrint
``FontConfiguration`` so fonts are loaded and their shaping caches warmed once.
"""

from __future__ import annotations

import threading
from typing import Any

from yusuan.model import Disclosure
from yusuan.render import html
from yusuan.render.layout import Printed, layout
from yusuan.render.profiles import Profile

_local = threading.local()


def _font_config() -> Any:
    """This thread's FontConfiguration (Pango objects are not shared across threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def write(printed: Printed) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page = html.write(printed)
    data: bytes = HTML(string=page, base_url=None).write_pdf(font_config=_font_config())
    return data


def render(doc: Disclosure, profile: str | Profile | None = None) -> bytes:
    return write(layout(doc, profile))
