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

from conftest import CORPUS  # ../shared/corpus, or YUSUAN_SHARED / YUSUAN_CORPUS
from yusuan.model import Disclosure, Table
from yusuan.parse import read
from yusuan.parse.pdf import read_raw
from yusuan.parse.raw import RawDocument, RawGrid, RawLine

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


# --------------------------------------------------------------------------- per-document pins
#: Arithmetic rules whose findings on a real document are either parsing mistakes or
#: genuine inconsistencies of the document (docs/parsing.md lists the latter).
ARITHMETIC = ("row-total", "hierarchy-sum", "cross-table", "balance")
_BUDGET9 = {"summary": 1, "income": 1, "expenditure": 1, "fiscal_summary": 1, "general_expenditure": 1,
            "fund_expenditure": 1, "capital_expenditure": 1, "general_basic_expenditure": 1,
            "three_public": 1}
_FINAL9 = {"final_summary": 1, "final_income": 1, "final_expenditure": 1, "final_fiscal_summary": 1,
           "final_general_expenditure": 1, "final_general_basic_expenditure": 1,
           "final_three_public": 1, "final_fund_expenditure": 1, "final_capital_expenditure": 1}
_JIANGSU12 = {"summary": 1, "income": 1, "expenditure": 1, "fiscal_summary": 1,
              "other:fiscal-expenditure-function": 1, "other:fiscal-basic-expenditure-economic": 1,
              "general_expenditure": 1, "general_basic_expenditure": 1, "three_public": 1,
              "fund_expenditure": 1, "other:operating-costs": 1, "procurement": 1}
#: file → (tables by id, income 合计, expenditure 合计, arithmetic errors as (rule, page)).
#: The errors pinned here were each checked on the page image: genuine (docs/parsing.md).
PINS: dict[str, tuple[dict[str, int], str | None, str | None, set[tuple[str, int]]]] = {
    "上海市普陀区人民政府万里街道办事处24年预算.pdf": (_BUDGET9, "156211123", "156211123", set()),
    "上海市普陀区人民政府万里街道办事处25年预算.pdf": (
        _BUDGET9, "189767551", "189767551",
        {("hierarchy-sum", 12), ("hierarchy-sum", 17), ("hierarchy-sum", 23), ("row-total", 17),
         ("row-total", 23)}),
    "上海市普陀区人民政府办公室25年预算.pdf": (_BUDGET9, "91016775.35", "91016775.35", set()),
    "上海市普陀区人民政府办公室单位25年预算.pdf": (_BUDGET9, "91016775.35", "91016775.35", set()),
    "上海市普陀区商务委员会25年预算.pdf": (_BUDGET9, "371514655.00", "371514655.00", set()),
    "上海市普陀区商务委员会单位25年预算.pdf": (_BUDGET9, "371514655.00", "371514655.00", set()),
    "上海市普陀区财政局2024年度部门决算.pdf": (
        {"other:table": 1, **_FINAL9}, "2946.25", "2940.05", {("cross-table", 6), ("cross-table", 12)}),
    "附件2：部门决算模板.pdf": ({"other:table": 1, **_FINAL9}, None, None, set()),
    "上海市普陀区财政局部门25年预算.pdf": (_BUDGET9, "31214205.80", "31214205.80", set()),
    "普陀区社会福利院2024年单位预算.pdf": (
        _BUDGET9, "12121164", "12121164", {("cross-table", 8), ("cross-table", 9), ("cross-table", 11)}),
    "万里街道2023年部门预算.pdf": (
        {**_BUDGET9, "project_performance": 5}, "164978640", "164978640", set()),
    "江苏省委办公厅2019年度部门预算公开表格.pdf": (_JIANGSU12, None, None, set()),
    # Word-made (white cell-padding rectangles around every cell, see docs/parsing.md)
    "江苏省人民检察院2019年度部门预算公开.pdf": (_JIANGSU12, None, None, set()),
    "江苏省高级人民法院2019年度部门预算公开.pdf": (_JIANGSU12, None, None, set()),
}


def _total(doc: Disclosure, table_id: str, column: str) -> str | None:
    t = doc.table(table_id)
    row = t.total_row() if t is not None else None
    if row is None:
        return None
    return next((str(c.value) for c in row.cells
                 if c.column.rsplit("/", 1)[-1] == column and c.value is not None), None)


@pytest.mark.parametrize("name", sorted(PINS))
def test_corpus_tables_totals_and_arithmetic(name: str, corpus_dir: Path) -> None:
    from collections import Counter

    from yusuan.audit import audit

    ids, income, expenditure, errors = PINS[name]
    doc = _doc(name)
    assert dict(Counter(t.id for t in doc.tables)) == ids
    final = doc.kind == "决算"
    assert _total(doc, "final_income" if final else "income", "本年收入合计" if final else "合计") == income
    assert _total(doc, "final_expenditure" if final else "expenditure",
                  "本年支出合计" if final else "合计") == expenditure
    found = {(f.rule, f.location.page) for f in audit(doc) if f.rule in ARITHMETIC and f.severity == "error"}
    assert found == errors


def test_shanghai_continued_pages_and_three_level_header(corpus_dir: Path) -> None:
    """Continued pages without title or header merged; the 三公 table's paths from the
    merged cells; 本年收入/本年支出 sides; split 类/款/项 joined."""
    doc = _doc("上海市普陀区商务委员会25年预算.pdf")
    income = _table(doc, "income")
    assert income.pages == (10, 11)
    assert _cell(income, "机关事业单位职业年金缴费支出", "收入预算/合计", "2080506") == Decimal("705443.00")
    assert _cell(income, "一般公共服务支出", "收入预算/财政拨款收入", "201") == Decimal("21601733.00")
    summary = _table(doc, "summary")
    assert {r.side for r in summary.rows} == {"收入", "支出"}
    assert _cell(summary, "一、财政拨款收入", "本年收入/预算数") == Decimal("371514655.00")
    three = _table(doc, "three_public")
    assert [c.name for c in three.columns] == [
        "“三公”经费预算数/合计", "“三公”经费预算数/因公出国(境)费", "“三公”经费预算数/公务接待费",
        "“三公”经费预算数/公务用车购置及运行费/小计", "“三公”经费预算数/公务用车购置及运行费/购置费",
        "“三公”经费预算数/公务用车购置及运行费/运行费", "机关运行经费预算数",
    ]  # fmt: skip
    assert three.rows[0].cells[-1].value == Decimal("171.01")
    basic = _table(doc, "general_basic_expenditure")
    assert basic.pages == (19, 20)
    assert _cell(basic, "差旅费", "一般公共预算基本支出/公用经费", "30211") == Decimal("80000.00")


def test_shanghai_2023_toc_projects_and_last_page(corpus_dir: Path) -> None:
    doc = _doc("万里街道2023年部门预算.pdf")
    assert doc.toc and doc.toc[0].title == "一、部门主要职能"
    assert not any(s.title == "部门主要职能" and not s.paragraphs and not s.children
                   for s in doc.sections)
    assert _table(doc, "income").pages == (11, 12, 13, 14)
    assert sum(1 for t in doc.tables if t.id == "project_performance") == 5
    three = _table(doc, "three_public")
    assert _cell(three, "", "2023年“三公”经费预算数/公务接待费") == Decimal("1.35")
    # 2024: the 合计 row printed alone on the last page, ruled with fewer columns
    doc24 = _doc("上海市普陀区人民政府万里街道办事处24年预算.pdf")
    income = _table(doc24, "income")
    assert income.pages[-1] == 15 and income.rows[-1].is_total
    basic = _table(doc24, "general_basic_expenditure")
    assert _cell(basic, "津贴补贴", "一般公共预算基本支出/合计") is not None
    assert next(r.code for r in basic.rows if r.label == "津贴补贴") == "30102"  # printed "301 | 2"


def test_final_accounts_sub_headers_in_total_row(corpus_dir: Path) -> None:
    doc = _doc("上海市普陀区财政局2024年度部门决算.pdf")
    income = _table(doc, "final_income")
    assert income.pages == (8, 9)
    assert _cell(income, "合计", "本年收入合计") == Decimal("2946.25")
    assert _cell(income, "行政单位医疗", "本年收入合计", "2101101") == Decimal("60.99")
    assert len(doc.toc) == 22


def test_jiangsu_tables_recognised(corpus_dir: Path) -> None:
    doc = _doc("江苏省委办公厅2019年度部门预算公开表格.pdf")
    basic = _table(doc, "general_basic_expenditure")
    assert _cell(basic, "基本工资", "金额", "30101") == Decimal("1581.26")
    assert _table(doc, "other:operating-costs").title == "一般公共预算机关运行经费支出预算表"
    assert _cell(_table(doc, "expenditure"), "", "合计") == Decimal("27664.22")
    # Word-made tables: the thin empty columns folded away
    court = _doc("江苏省高级人民法院2019年度部门预算公开.pdf")
    assert all(len(t.columns) <= 12 for t in court.tables)


def test_jiangsu_word_made_court(corpus_dir: Path) -> None:
    """江苏省高级人民法院: cells checked on the page images (p8, p9, p14, p16)."""
    doc = _doc("江苏省高级人民法院2019年度部门预算公开.pdf")
    assert (doc.year, doc.department, doc.kind) == (2019, "江苏省高级人民法院", "预算")
    assert all(t.unit == "万元" for t in doc.tables)  # p14: 单位：万 / 元 wrapped in its box
    assert not doc.notes
    summary = _table(doc, "summary")
    # 功能分类 printed over 功能科目名称 only, 支出用途 over 金额 | 项目名称 | 金额: the
    # function amounts still belong to 功能分类
    assert [c.name for c in summary.columns] == ["收入/金额", "支出/功能分类/金额", "支出/支出用途/金额"]
    assert _cell(summary, "一、财政拨款", "收入/金额") == Decimal("37188.34")
    assert _cell(summary, "四、公共安全支出", "支出/功能分类/金额") == Decimal("27488.23")
    assert _cell(summary, "十八、住房保障支出", "支出/功能分类/金额") == Decimal("7344.46")
    assert _cell(summary, "三、单位预留机动经费", "支出/支出用途/金额") == Decimal("5011.40")
    # the label 支出合计 spans 功能科目名称 | 金额 | 项目名称: one row, its amount in 支出用途
    total = next(r for r in summary.rows if r.label == "支出合计")
    assert total.side == "支出" and [(c.column, c.value) for c in total.cells] == [
        ("支出/支出用途/金额", Decimal("37188.34"))]
    assert sum(1 for r in summary.rows if r.side == "支出" and not r.label) == 0
    income = _table(doc, "income")
    assert _cell(income, "收入总计", "金额") == Decimal("37188.34")
    assert _cell(income, "公共财政拨款（补助）资金", "金额") == Decimal("37188.34")
    expenditure = _table(doc, "expenditure")
    assert [c.value for c in expenditure.rows[0].cells] == [
        Decimal("37188.34"), Decimal("21968.00"), Decimal("10208.94"), Decimal("5011.40"), None]
    general = _table(doc, "general_expenditure")
    assert _cell(general, "公共安全支出", "金额", "204") == Decimal("27488.23")  # p12: was read as 0.00
    assert _cell(general, "其他法院支出", "金额", "2040599") == Decimal("630.00")
    costs = _table(doc, "other:operating-costs")
    assert _cell(costs, "商品和服务支出", "机关运行经费支出", "302") == Decimal("3580.05")  # p15
    three = _table(doc, "three_public")
    assert _cell(three, "", "会议费") == Decimal("271.02")
    assert _cell(three, "", "培训费") == Decimal("1597.25")
    procurement = _table(doc, "procurement")
    assert procurement.pages == (16, 17)  # the continued page is no longer an other:table
    assert procurement.rows[0].cells[-1].value == Decimal("5227.59")


def test_jiangsu_word_made_procuratorate(corpus_dir: Path) -> None:
    """江苏省人民检察院: cells checked on the page images (p14, p15, p18, p20)."""
    doc = _doc("江苏省人民检察院2019年度部门预算公开.pdf")
    assert (doc.year, doc.department) == (2019, "江苏省人民检察院")
    assert not [n for n in doc.notes if n.code == "seq-gap"]  # rows no longer split
    summary = _table(doc, "summary")
    assert _cell(summary, "四、公共安全支出", "支出/功能分类/金额") == Decimal("16593.12")
    assert _cell(summary, "支出合计", "支出/支出用途/金额") == Decimal("24169.74")
    assert _cell(summary, "收入合计", "收入/金额") == Decimal("24169.74")
    expenditure = _table(doc, "expenditure")
    assert [c.text for c in expenditure.rows[0].cells] == ["24169.74", "15844.04", "4335.30", "3990.4", ""]
    general = _table(doc, "general_expenditure")
    assert general.pages == (18,) and len(general.rows) == 17
    assert _cell(general, "检察监督", "金额", "2040410") == Decimal("1185.60")
    basic = _table(doc, "general_basic_expenditure")
    assert basic.pages == (18, 19)
    assert _cell(basic, "津贴补贴", "金额", "30102") == Decimal("6372.51")
    three = _table(doc, "three_public")
    assert _cell(three, "", "合计") == Decimal("1276.7")
    assert _cell(three, "", "“三公”经费/公务接待费") == Decimal("101.26")
    assert _table(doc, "procurement").pages == (22, 23, 24)
