"""Fuzzing every reader: mangled files (truncated, bytes flipped, bytes inserted) give a
model or one clear ``UnreadableError`` — never another exception, never a hang."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdfkit import PdfBuilder
from yusuan.model import Disclosure
from yusuan.parse import UnreadableError, read_bytes

SETTINGS = settings(
    max_examples=25, deadline=5000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _pdf() -> bytes:
    b = PdfBuilder().new_page()
    b.grid([50, 150, 250], [50, 70, 90])
    b.text("Item", 55, 55).text("Amount", 155, 55).text("A", 55, 75).text("12.50", 155, 75)
    return b.bytes()


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门预算收支总表"])
    ws.append(["单位：万元"])
    ws.append(["项目", "预算数"])
    ws.append(["一、一般公共预算拨款收入", 783.57])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("部门预算收支总表", 1)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目", "预算数"
    t.cell(1, 0).text, t.cell(1, 1).text = "一、一般公共预算拨款收入", "783.57"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


_HTML = (
    "<!doctype html><html><body><h1>部门预算收支总表</h1><p>单位：万元</p>"
    "<table><tr><th>项目</th><th>预算数</th></tr><tr><td>一、一般公共预算拨款收入</td><td>783.57</td></tr>"
    "</table></body></html>"
).encode()

SEEDS = {"pdf": _pdf(), "xlsx": _xlsx(), "docx": _docx(), "html": _HTML}


def _mangle(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    b = bytearray(data)
    for kind, pos, value in ops:
        if not b:
            break
        i = pos % len(b)
        if kind == 0:
            b[i] = value
        elif kind == 1:
            b[i:i] = bytes([value]) * (1 + value % 7)
        elif kind == 2:
            del b[i : i + 1 + value % 64]
        else:
            del b[i:]
    return bytes(b)


OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=6)


def _check(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name)
    except UnreadableError as e:
        assert e.reason and "\n" not in e.reason
        return
    assert isinstance(doc, Disclosure)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_seed_files_read(fmt: str) -> None:
    doc = read_bytes(SEEDS[fmt], f"seed.{fmt}")
    assert doc.format == fmt


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(SEEDS))
@SETTINGS
@given(ops=OPS)
def test_mangled_files_fail_cleanly(fmt: str, ops: list[tuple[int, int, int]]) -> None:
    _check(_mangle(SEEDS[fmt], ops), f"mangled.{fmt}")


@pytest.mark.slow
@SETTINGS
@given(data=st.binary(max_size=4096), ext=st.sampled_from(["pdf", "xlsx", "docx", "html", "md", "bin"]))
def test_random_bytes_fail_cleanly(data: bytes, ext: str) -> None:
    _check(data, f"random.{ext}")


@pytest.mark.slow
@SETTINGS
@given(cut=st.floats(0.0, 1.0))
def test_truncated_corpus_pdf_fails_cleanly(corpus_dir: Path, cut: float) -> None:
    data = (corpus_dir / "江苏省委办公厅2019年度部门预算公开表格.pdf").read_bytes()
    _check(data[: int(len(data) * cut)], "truncated.pdf")
