"""The XLSX, DOCX and HTML readers on files written in the test from the reference
document's content (its lines and tables, in order): each must parse to the same cells
as the markdown. Also merged cells, and bad input."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest

from yusuan.model import Disclosure
from yusuan.model.text import compact
from yusuan.parse import UnreadableError, read, read_bytes, read_raw
from yusuan.parse.raw import RawDocument, RawGrid, RawLine


@pytest.fixture(scope="module")
def md_raw(reference_path: Path) -> RawDocument:
    return read_raw(reference_path.read_bytes(), str(reference_path))


@pytest.fixture(scope="module")
def md_model(reference_path: Path) -> Disclosure:
    return read(reference_path)


def _cells(doc: Disclosure) -> list[tuple[object, ...]]:
    return [
        (t.id, r.side, r.seq, r.code, compact(r.label), c.column, c.value)
        for t in doc.tables
        for r in t.rows
        for c in r.cells
    ]


def _to_xlsx(raw: RawDocument) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for block in raw.blocks:
        if isinstance(block, RawLine):
            ws.append([block.text])
        else:
            for row in block.rows:
                ws.append([c.text for c in row])
        ws.append([])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _to_docx(raw: RawDocument) -> bytes:
    import docx

    d = docx.Document()
    for block in raw.blocks:
        if isinstance(block, RawLine):
            d.add_paragraph(block.text)
        else:
            t = d.add_table(rows=len(block.rows), cols=block.width)
            for row, trow in zip(block.rows, t.rows, strict=True):
                cells = trow.cells
                for j, c in enumerate(row):
                    if c.text:
                        cells[j].text = c.text
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _to_html(raw: RawDocument) -> bytes:
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>x</title></head><body>"]
    for block in raw.blocks:
        if isinstance(block, RawLine):
            tag = f"h{block.heading}" if block.heading else "p"
            parts.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
        else:
            parts.append("<table>")
            for row in block.rows:
                parts.append("<tr>" + "".join(f"<td>{html.escape(c.text)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


@pytest.mark.parametrize(("fmt", "write"), [("xlsx", _to_xlsx), ("docx", _to_docx), ("html", _to_html)])
def test_reference_content_reads_to_same_cells(
    fmt: str, write: object, md_raw: RawDocument, md_model: Disclosure
) -> None:
    data = write(md_raw)  # type: ignore[operator]
    doc = read_bytes(data, f"reference.{fmt}")
    assert doc.format == fmt
    assert [t.id for t in doc.tables] == [t.id for t in md_model.tables]
    assert _cells(doc) == _cells(md_model)
    assert all(c.location.page is None for t in doc.tables for r in t.rows for c in r.cells)


def test_xlsx_merged_cells_and_numbers() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门预算支出总表"])
    ws.append(["编制部门：示例局", None, "单位：元"])
    ws.append(["科目编码", "科目名称", "支出预算", None])
    ws.append([None, None, "合计", "基本支出"])
    ws.append(["2010101", "行政运行", 14348853.34, 100000])
    ws["D5"].number_format = "#,##0.00"
    ws.merge_cells("C3:D3")
    ws.merge_cells("A3:A4")
    out = io.BytesIO()
    wb.save(out)
    raw = read_raw(out.getvalue(), "m.xlsx")
    lines = [b.text for b in raw.blocks if isinstance(b, RawLine)]
    assert lines == ["Sheet", "部门预算支出总表", "编制部门：示例局", "单位：元"]
    grid = next(b for b in raw.blocks if isinstance(b, RawGrid))
    assert grid.texts() == [
        ["科目编码", "科目名称", "支出预算", ""],
        ["", "", "合计", "基本支出"],
        ["2010101", "行政运行", "14348853.34", "100000.00"],
    ]
    assert (grid.rows[0][2].colspan, grid.rows[0][3].covered) == (2, True)
    assert (grid.rows[0][0].rowspan, grid.rows[1][0].covered) == (2, True)
    assert grid.row_lines == (3, 4, 5)


def test_docx_merged_cells() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 1).merge(t.cell(0, 2)).text = "支出预算"
    t.cell(0, 0).merge(t.cell(1, 0)).text = "科目名称"
    t.cell(1, 1).text, t.cell(1, 2).text = "合计", "基本支出"
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(2, 2).text = "行政运行", "1.00", "1.00"
    out = io.BytesIO()
    d.save(out)
    grid = next(b for b in read_raw(out.getvalue(), "m.docx").blocks if isinstance(b, RawGrid))
    assert grid.texts() == [["科目名称", "支出预算", ""], ["", "合计", "基本支出"], ["行政运行", "1.00", "1.00"]]
    assert (grid.rows[0][0].rowspan, grid.rows[0][1].colspan, grid.rows[1][0].covered) == (2, 2, True)


def test_html_spans_and_skipped_parts() -> None:
    page = (
        "<html><head><style>td{}</style></head><body><nav>菜单</nav><h2>三公经费</h2>"
        "<script>alert(1)</script><table><tr><th rowspan='2'>合计</th><th colspan='2'>公务用车</th></tr>"
        "<tr><td>购置费</td><td>运维费</td></tr><tr><td>3.00</td><td>1.00</td><td>2.00</td></tr></table>"
        "<p>注：无…<br>空表列示。</p></body></html>"
    ).encode()
    raw = read_raw(page, "p.html")
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["三公经费", "注：无… 空表列示。"]
    grid = next(b for b in raw.blocks if isinstance(b, RawGrid))
    assert grid.texts() == [["合计", "公务用车", ""], ["", "购置费", "运维费"], ["3.00", "1.00", "2.00"]]
    assert raw.blocks[0].heading == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "x.xlsx", "已损坏"),
        (b"PK\x03\x04" + b"\x00" * 100, "x.docx", "已损坏"),
        (b"<html><body></body></html>", "x.html", "没有任何"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "x.xls", "旧版 Office"),
    ],
)
def test_bad_office_files(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(UnreadableError) as err:
        read_bytes(data, name)
    assert reason in err.value.reason
