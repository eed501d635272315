"""The PDF reader on PDFs built in the test: ruled grids with merged cells, text cleaning,
rotation, bad input; and the reference document printed to PDF by Chromium, which must
parse to the same cells as its markdown."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pdfkit import PdfBuilder, encrypted_pdf, image_only_pdf
from yusuan.model import Disclosure
from yusuan.model.text import compact
from yusuan.parse import UnreadableError, read, read_bytes
from yusuan.parse.facts import facts
from yusuan.parse.pdf import read_raw
from yusuan.parse.raw import RawGrid, RawLine


def _table_pdf(rotation: int = 0) -> bytes:
    b = PdfBuilder().new_page()
    xs, ys = [50, 150, 250, 350], [50, 70, 90, 110]
    b.grid(xs, ys, skip_v=[(0, 2)])  # "Amount" spans two columns in the first row
    b.text("Item", 55, 55).text("Amount", 155, 55)
    b.text("A", 55, 75).text("1,234.50", 155, 75).text("2.00", 255, 75)
    b.text("A", 55, 75)  # printed twice at the same place (layering)
    b.text("B", 55, 95).text("-8.39", 155, 95)
    b.text("Note under the table", 50, 130)
    b.text("Ghost", 55, -100)  # outside the page: not printed
    if rotation:
        b.rotate(rotation)
    return b.bytes()


def _grid(doc_blocks: tuple[object, ...]) -> RawGrid:
    grids = [b for b in doc_blocks if isinstance(b, RawGrid)]
    assert len(grids) == 1
    return grids[0]


def test_ruled_grid_with_merged_cell_and_boxes() -> None:
    doc = read_raw(_table_pdf(), "t.pdf")
    assert doc.format == "pdf" and doc.pages == 1
    grid = _grid(doc.blocks)
    assert grid.page == 1
    assert grid.texts() == [["Item", "Amount", ""], ["A", "1,234.50", "2.00"], ["B", "-8.39", ""]]
    head = grid.rows[0]
    assert (head[1].colspan, head[1].rowspan, head[2].covered) == (2, 1, True)
    assert grid.rows[1][1].box == pytest.approx((150, 70, 250, 90), abs=1.0)
    lines = [b.text for b in doc.blocks if isinstance(b, RawLine)]
    assert lines == ["Note under the table"]  # the ghost outside the page is gone


def test_rotated_page_is_read_in_display_coordinates() -> None:
    """A page with /Rotate 90 (Jiangsu's A3 tables) is read as displayed: the grid's box
    is turned, and the cells are all there (this test's text is drawn upright in the
    unrotated page, so it runs top to bottom once turned)."""
    upright = _grid(read_raw(_table_pdf(), "t.pdf").blocks)
    turned = _grid(read_raw(_table_pdf(90), "r.pdf").blocks)
    assert turned.box == pytest.approx((400 - 110, 50, 400 - 50, 350), abs=1.0)
    assert sorted(compact(t) for row in turned.texts() for t in row if t) == sorted(
        compact(t) for row in upright.texts() for t in row if t
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (encrypted_pdf(), "已加密"),
        (image_only_pdf(), "扫描件"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "已损坏"),
        (_table_pdf()[:400], "已损坏"),
    ],
    ids=["encrypted", "scanned", "garbage", "truncated"],
)
def test_bad_pdf_gives_one_chinese_sentence(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableError) as err:
        read_bytes(data, "bad.pdf")
    assert reason in err.value.reason
    assert str(err.value).startswith("bad.pdf：")
    assert "\n" not in str(err.value)


def test_blank_pdf_is_not_a_disclosure() -> None:
    blank = PdfBuilder().new_page().bytes()
    with pytest.raises(UnreadableError, match="没有任何文字"):
        read_raw(blank, "blank.pdf")


def test_command_line_exit_status_2_and_batch_goes_on(tmp_path: Path, reference_path: Path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(image_only_pdf())
    out = subprocess.run(
        [
            str(Path(__file__).parent.parent / ".venv/bin/yusuan"),
            "parse",
            "--format",
            "csv",
            str(bad),
            str(reference_path),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "扫描件" in out.stderr and "Traceback" not in out.stderr
    assert "783.57" in out.stdout  # the good file was still parsed


# --------------------------------------------------------------------------- Chromium


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Chromium is needed to print the reference document to PDF")


@pytest.fixture(scope="module")
def chromium_pdf(reference_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference markdown rendered to HTML by markdown-it and printed by headless
    Chromium: a PDF made by another tool than yusuan."""
    from markdown_it import MarkdownIt

    tmp = tmp_path_factory.mktemp("chromium")
    body = MarkdownIt("commonmark").enable("table").render(reference_path.read_text(encoding="utf-8"))
    css = (
        "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:10pt}"
        "table{border-collapse:collapse;margin:6pt 0}td,th{border:0.75pt solid #000;padding:2pt 4pt}"
    )
    html = tmp / "reference.html"
    html.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    out = tmp / "reference.pdf"
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tempfile.mkdtemp(dir=tmp)}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            str(html),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


@pytest.fixture(scope="module")
def markdown_model(reference_path: Path) -> Disclosure:
    return read(reference_path)


def _cells(doc: Disclosure) -> list[tuple[object, ...]]:
    return [
        (t.id, r.side, r.seq, r.code, compact(r.label), c.column, compact(c.text), c.value)
        for t in doc.tables
        for r in t.rows
        for c in r.cells
    ]


@pytest.mark.slow
def test_chromium_pdf_of_reference_has_same_cells_as_markdown(chromium_pdf: Path, markdown_model: Disclosure) -> None:
    doc = read(chromium_pdf)
    assert doc.format == "pdf" and doc.pages and doc.pages > 5
    assert [t.id for t in doc.tables] == [t.id for t in markdown_model.tables]
    assert [t.unit for t in doc.tables] == [t.unit for t in markdown_model.tables]
    assert _cells(doc) == _cells(markdown_model)
    key = [(f.table, f.row, f.code, f.item, f.column, f.value, f.unit) for f in facts(doc)]
    assert key == [(f.table, f.row, f.code, f.item, f.column, f.value, f.unit) for f in facts(markdown_model)]
    assert len(key) == 196


@pytest.mark.slow
def test_chromium_pdf_cells_have_pages_and_boxes(chromium_pdf: Path) -> None:
    doc = read(chromium_pdf)
    cells = [c for t in doc.tables for r in t.rows for c in r.cells]
    assert cells and all(c.location.page for c in cells)
    assert all(c.location.box is not None for c in cells)
    summary = next(t for t in doc.tables if t.id == "summary")
    first = next(c for r in summary.rows for c in r.cells if c.text == "783.57")
    assert first.location.page is not None and first.location.page <= 3
