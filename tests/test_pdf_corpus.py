"""Every PDF of ../shared/corpus read in place. Per document: pages, grids, text clean;
for the documents whose layout the assembler already knows, the tables with canonical
ids, their totals and cells checked by hand against the page (pdftotext -layout and
page images). Reading is cached per session: each PDF is read once."""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from yusuan.model import Disclosure, Table
from yusuan.parse import read
from yusuan.parse.pdf import read_raw
from yusuan.parse.raw import RawDocument, RawGrid, RawLine

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
MANIFEST = list(csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8"))) if CORPUS.is_dir() else []
#: Documents that publish no tables (人大, 政协: "公开表附后"; 委办公厅: the text part).
NO_TABLES = {
    "江苏省人大常委会2019年度部门预算公开.pdf",
    "江苏省委办公厅2019年度部门预算公开文件.pdf",
    "江苏省政协办公厅2019年度部门预算.pdf",
}


@cache
def _raw(name: str) -> RawDocument:
    return read_raw((CORPUS / name).read_bytes(), name)


@cache
def _doc(name: str) -> Disclosure:
    return read(CORPUS / name, source=name)


def _table(doc: Disclosure, table_id: str) -> Table:
    return next(t for t in doc.tables if t.id == table_id)


def _cell(table: Table, label: str, column: str, code: str | None = None) -> Decimal | None:
    for row in table.rows:
        if row.label == label and (code is None or row.code == code):
            for c in row.cells:
                if c.column == column:
                    return c.value
    raise AssertionError(f"{table.id}: no cell {label}/{column}")


@pytest.mark.parametrize("entry", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_every_corpus_pdf_is_read(entry: dict[str, str], corpus_dir: Path) -> None:
    raw = _raw(entry["file"])
    assert raw.pages == int(entry["pages"])
    assert not [w for w in raw.warnings if w[0] == "garbled-text"]
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    lines = [b for b in raw.blocks if isinstance(b, RawLine)]
    assert lines and all(b.page for b in raw.blocks)
    if entry["file"] in NO_TABLES:
        assert grids == []
    else:
        assert len(grids) >= 9
        assert all(len(set(map(len, g.rows))) == 1 for g in grids)  # every row the same width
    # Clean text: no Kangxi look-alikes, no replacement characters, no cid placeholders.
    text = "".join(b.text for b in lines) + "".join(c.text for g in grids for r in g.rows for c in r)
    assert not any("\u2f00" <= ch <= "\u2fdf" or "\u2e80" <= ch <= "\u2eff" for ch in text)
    assert "\ufffd" not in text and "(cid:" not in text


def test_shanghai_finance_bureau_2025(corpus_dir: Path) -> None:
    doc = _doc("上海市普陀区财政局部门25年预算.pdf")
    assert (doc.kind, doc.year, doc.department) == ("预算", 2025, "上海市普陀区财政局")
    assert [t.id for t in doc.tables] == [
        "summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
        "fund_expenditure", "capital_expenditure", "general_basic_expenditure", "three_public",
    ]  # fmt: skip
    assert [t.unit for t in doc.tables] == ["元"] * 8 + ["万元"]
    income = _table(doc, "income")
    assert income.pages == (10, 11)  # continued over two pages, merged
    # Split 类/款/项 columns joined into one code; totals; thousands separators.
    assert _cell(income, "行政运行", "收入预算/合计", "2010601") == Decimal("16231840.80")
    assert _cell(income, "购房补贴", "收入预算/财政拨款收入", "2210203") == Decimal("2687760.00")
    assert _cell(income, "合计", "收入预算/合计") == Decimal("31214205.80")
    expenditure = _table(doc, "expenditure")
    assert _cell(expenditure, "合计", "支出预算/基本支出") == Decimal("25121091.00")
    assert _cell(expenditure, "合计", "支出预算/项目支出") == Decimal("6093114.80")
    assert _cell(expenditure, "一般行政管理事务", "支出预算/项目支出", "2010602") == Decimal("100000.00")
    row = next(r for r in income.rows if r.code == "2210203")
    assert row.cells[0].location.page == 11 and row.cells[0].location.box is not None


def test_shanghai_finance_bureau_2025_arithmetic_holds(corpus_dir: Path) -> None:
    from yusuan.audit import audit

    doc = _doc("上海市普陀区财政局部门25年预算.pdf")
    wrong = [f for f in audit(doc) if f.rule in ("row-total", "hierarchy-sum") and f.severity == "error"]
    assert wrong == []


def test_jiangsu_2019_tables_read(corpus_dir: Path) -> None:
    """Jiangsu's A3 table file: pages with /Rotate 90, frames around each table with the
    title, department and unit inside; cells checked against pdftotext -layout."""
    raw = _raw("江苏省委办公厅2019年度部门预算公开表格.pdf")
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert len(grids) == 12 and [g.page for g in grids] == list(range(1, 13))
    first = grids[0].texts()
    assert first[3][:4] == ["一、财政拨款", "27,664.22", "一、一般公共服务支出", "22,395.50"]
    assert first[-1] == ["收入合计", "27,664.22", "支出合计", "", "", "27,664.22"]
    econ = grids[5].texts()
    assert econ[1][0] == "合计" and econ[1][-1] == "11,700.63"
    assert ["30101", "基本工资", "1,581.26"] in econ
    assert grids[8].texts()[-1] == ["1,471.70", "508.20", "70.00", "411.20", "", "411.20", "27.00", "933.50", "30.00"]
    titles = [b.text for b in raw.blocks if isinstance(b, RawLine) and b.page == 9]
    assert titles[:3] == ["“三公”经费、会议费、培训费支出预算表", "部门：中共江苏省委办公厅", "单位：万元"]


def test_final_accounts_recognised(corpus_dir: Path) -> None:
    doc = _doc("上海市普陀区财政局2024年度部门决算.pdf")
    assert (doc.kind, doc.year) == ("决算", 2024)
    ids = [t.id for t in doc.tables if not t.id.startswith("other:")]
    assert ids == [
        "final_summary", "final_income", "final_expenditure", "final_fiscal_summary",
        "final_general_expenditure", "final_general_basic_expenditure", "final_three_public",
        "final_fund_expenditure", "final_capital_expenditure",
    ]  # fmt: skip
    assert all(t.unit == "万元" for t in doc.tables if t.id.startswith("final_"))
