"""The PDF writer's own path into WeasyPrint (XML-parsed page, print-only style sheet,
reduced user-agent sheet) prints what WeasyPrint makes of the full HTML page: same pages,
same page sizes, same text on every page."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from yusuan.render import html, pdf
from yusuan.render.budget import load_budget
from yusuan.render.derive import derive
from yusuan.render.layout import Grid, layout

ROOT = Path(__file__).resolve().parent.parent
ZJK = ROOT / "examples" / "zjk-trade-union-2024.yaml"

pytestmark = pytest.mark.slow


def test_page_is_well_formed_xml_with_every_table() -> None:
    printed = layout(derive(load_budget(ZJK)))
    root = ElementTree.fromstring(pdf.page_xml(printed))
    tables = root.findall(".//table")
    assert len(tables) == sum(1 for b in printed.blocks if isinstance(b, Grid))
    assert all(t.find("colgroup") is not None for t in tables)
    title = root.find("head/title")
    assert title is not None and title.text == printed.title


def _pages(data: bytes) -> list[tuple[float, float, str]]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [(round(p.width), round(p.height), p.extract_text() or "") for p in doc.pages]


def test_same_pages_as_the_html_page() -> None:
    from weasyprint import HTML

    printed = layout(derive(load_budget(ZJK)))
    ours = _pages(pdf.write(printed))
    theirs = _pages(HTML(string=html.write(printed)).write_pdf())
    assert len(ours) == len(theirs) >= 12
    assert ours == theirs
