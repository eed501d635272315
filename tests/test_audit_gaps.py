"""Audit gaps closed after issues 3/6/7: Jiangsu's 收支总表 balance rows (当年收入小计 /
当年支出小计, sub-items under 一、财政拨款, one 当年支出小计 for two breakdowns), Jiangsu's
三公 columns (公务用车购置及运行维护费/小计, 合计 = 三公 + 会议费 + 培训费), and the
non-standard fiscal terms of ``fiscal-term`` — on small models built here with a
deliberate error, and on the real Jiangsu PDFs of the corpus."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from auditkit import doc, loc, table
from conftest import CORPUS  # ../shared/corpus, or YUSUAN_SHARED / YUSUAN_CORPUS
from test_audit_rules import text_doc
from yusuan.audit import Finding, audit
from yusuan.model import Cell, Column, Disclosure, Row, Table, replace
from yusuan.model.text import parse_amount
from yusuan.parse import read


def found(d: Disclosure, rule: str) -> list[Finding]:
    return [f for f in audit(d, select=[rule]) if f.rule == rule]


# ---------------------------------------------------------------------------- 1. balance

_IN = "收入/金额"
_FUNC = "支出/功能分类/金额"
_USE = "支出/支出用途/金额"


def _row(tid: str, side: str, label: str, cells: dict[str, str]) -> Row:
    """A row with cells only in the columns named (a Jiangsu label spanning the other
    breakdown's column leaves no cell there)."""
    return Row(seq=None, code=None, label=label, side=side, location=loc(tid),
               cells=tuple(Cell(column=c, text=v, value=parse_amount(v), location=loc(tid, text=v))
                           for c, v in cells.items()))


def jiangsu_summary(*, sub: str = "10.00", use: str = "6.00", func: str = "7.00",
                    this_in: str = "10.00", grand_in: str = "10.00") -> Table:
    """The layout of Jiangsu's 2019 收支预算总表: 一、财政拨款 with 1./2. sub-items, the
    支出 side by function and by use side by side, 当年收入小计 / 当年支出小计 (the latter
    printed once, under 支出用途), 上年结转资金 / 结转下年资金, 收入合计 / 支出合计."""
    tid = "summary"
    rows = [
        _row(tid, "收入", "一、财政拨款", {_IN: "10.00"}),
        _row(tid, "支出", "一、一般公共服务支出", {_FUNC: func}),
        _row(tid, "支出", "一、基本支出", {_USE: use}),
        _row(tid, "收入", "1.一般公共预算", {_IN: sub}),
        _row(tid, "支出", "二、公共安全支出", {_FUNC: "3.00"}),
        _row(tid, "支出", "二、项目支出", {_USE: "4.00"}),
        _row(tid, "收入", "2.政府性基金预算", {_IN: ""}),
        _row(tid, "收入", "二、财政专户管理资金", {_IN: ""}),
        _row(tid, "收入", "三、其他资金", {_IN: ""}),
        _row(tid, "收入", "当年收入小计", {_IN: this_in}),
        _row(tid, "支出", "当年支出小计", {_USE: "10.00"}),
        _row(tid, "收入", "上年结转资金", {_IN: ""}),
        _row(tid, "支出", "结转下年资金", {_USE: ""}),
        _row(tid, "收入", "收入合计", {_IN: grand_in}),
        _row(tid, "支出", "支出合计", {_USE: "10.00"}),
    ]
    columns = (Column(("收入", "金额"), side="收入"), Column(("支出", "功能分类", "金额"), side="支出"),
               Column(("支出", "支出用途", "金额"), side="支出"))
    return Table(id=tid, title="收支预算总表", unit="万元", columns=columns, rows=tuple(rows),
                 location=loc(tid), year=2019)


def _pairs(fs: Sequence[Finding]) -> list[tuple[str, str | None, str | None]]:
    return [(f.severity, f.expected, f.actual) for f in fs]


def test_jiangsu_summary_balances() -> None:
    assert found(doc(jiangsu_summary()), "balance") == []


def test_jiangsu_this_year_row_is_checked_against_its_items() -> None:
    # 当年收入小计 11.00, items 一、财政拨款 10.00 (its sub-items are not counted again)
    bad = found(doc(jiangsu_summary(this_in="11.00")), "balance")
    assert ("error", "10.00", "11.00") in _pairs(bad)  # 当年收入小计 = Σ items
    assert ("error", "11.00", "10.00") in _pairs(bad)  # 收入合计 = 当年收入小计 + 上年结转


def test_jiangsu_sub_items_add_up_to_their_item() -> None:
    bad = found(doc(jiangsu_summary(sub="9.00")), "balance")
    assert _pairs(bad) == [("error", "9.00", "10.00")]
    assert bad[0].cells[0].item == "一、财政拨款"


def test_jiangsu_both_expenditure_breakdowns_add_up_to_the_one_subtotal() -> None:
    by_use = found(doc(jiangsu_summary(use="5.00")), "balance")
    assert _pairs(by_use) == [("error", "9.00", "10.00")]
    by_function = found(doc(jiangsu_summary(func="6.00")), "balance")
    assert _pairs(by_function) == [("error", "9.00", "10.00")]
    assert by_function[0].cells[0].item == "当年支出小计"
    assert {c.item for c in by_function[0].cells[1:]} == {"一、一般公共服务支出", "二、公共安全支出"}


def test_jiangsu_grand_total_is_this_year_plus_carry_over() -> None:
    bad = found(doc(jiangsu_summary(grand_in="12.00")), "balance")
    assert ("error", "10.00", "12.00") in _pairs(bad)


def test_a_total_without_this_year_row_or_carry_over_is_its_items() -> None:
    # Jiangsu's 财政拨款收支预算总表: items, then 收入合计 / 支出合计
    def fiscal(grand: str) -> Table:
        tid = "fiscal_summary"
        rows = [_row(tid, "收入", "一、一般公共预算", {_IN: "10.00"}),
                _row(tid, "支出", "一、基本支出", {_USE: "6.00"}),
                _row(tid, "收入", "二、政府性基金预算", {_IN: ""}),
                _row(tid, "支出", "二、项目支出", {_USE: "4.00"}),
                _row(tid, "收入", "收入合计", {_IN: grand}),
                _row(tid, "支出", "支出合计", {_USE: "10.00"})]
        return Table(id=tid, title="财政拨款收支预算总表", unit="万元",
                     columns=(Column(("收入", "金额"), side="收入"),
                              Column(("支出", "支出用途", "金额"), side="支出")),
                     rows=tuple(rows), location=loc(tid), year=2019)

    assert found(doc(fiscal("10.00")), "balance") == []
    bad = found(doc(fiscal("10.50")), "balance")
    assert ("error", "10.00", "10.50") in _pairs(bad)


JIANGSU = sorted(CORPUS.glob("江苏*.pdf")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not JIANGSU, reason="corpus not available")
@pytest.mark.parametrize("path", JIANGSU, ids=lambda p: p.stem)
def test_no_arithmetic_finding_on_the_jiangsu_pdfs(path: Path) -> None:
    """The Jiangsu summaries balance (now with 当年收入小计 / 当年支出小计 as the 本年合计
    rows) and their 三公 tables add up: nothing arithmetic fires on the real documents."""
    d = read(path)
    assert [f.message for f in audit(d, select=["balance", "row-total"])] == []


@pytest.mark.skipif(not JIANGSU, reason="corpus not available")
def test_jiangsu_summary_error_is_found_in_the_real_pdf() -> None:
    """One amount of the real 检察院 收支预算总表 changed: the balance rule names it."""


    d = read(CORPUS / "江苏省人民检察院2019年度部门预算公开.pdf")
    t = d.table("summary")
    assert t is not None
    rows = list(t.rows)
    i = next(i for i, r in enumerate(rows) if r.label == "二、项目支出")
    c = rows[i].cells[0]
    assert c.value is not None
    rows[i] = replace(rows[i], cells=(replace(c, value=c.value + 1, text=str(c.value + 1)),))
    bad = replace(d, tables=tuple(replace(t, rows=tuple(rows)) if x is t else x for x in d.tables))
    fs = found(bad, "balance")
    assert [(f.severity, f.expected, f.actual, f.cells[0].item) for f in fs] == [
        ("error", "24170.74", "24169.74", "当年支出小计")]


# ---------------------------------------------------------------------------- 2. 三公 columns

_TP = "“三公”经费"
JIANGSU_THREE_PUBLIC = ["合计", f"{_TP}/小计", f"{_TP}/因公出国（境）费",
                        f"{_TP}/公务用车购置及运行维护费/小计", f"{_TP}/公务用车购置及运行维护费/公务用车购置费",
                        f"{_TP}/公务用车购置及运行维护费/公务用车运行维护费", f"{_TP}/公务接待费", "会议费", "培训费"]


def jiangsu_three_public(total: str = "1276.70", three: str = "418.26", vehicle: str = "237.00",
                         run: str = "237.00") -> Table:
    # the 检察院 2019 row: 合计 = 三公 418.26 + 会议费 158.44 + 培训费 700.00;
    # 三公 = 出国 80.00 + 公务用车 237.00 + 接待 101.26; 公务用车 = 购置 (blank) + 运行维护 237.00
    return table("three_public", JIANGSU_THREE_PUBLIC, [
        (None, None, "", total, three, "80.00", vehicle, "", run, "101.26", "158.44", "700.00")])


def test_jiangsu_three_public_table_adds_up() -> None:
    assert found(doc(jiangsu_three_public()), "row-total") == []


@pytest.mark.parametrize(("kw", "expected"), [
    # 公务用车购置及运行维护费/小计 printed 1.00 above its parts: the vehicle identity, and
    # the 三公 小计 no longer adds up to 出国 + 公务用车 + 接待
    ({"vehicle": "238.00"}, {("237.00", "238.00"), ("419.26", "418.26")}),
    # the 运行维护费 1.00 below: the vehicle subtotal no longer equals it
    ({"run": "236.00"}, {("236.00", "237.00")}),
    # the 三公 小计 wrong: its items, and the 合计 with 会议费 and 培训费
    ({"three": "418.00"}, {("418.26", "418.00"), ("1276.44", "1276.70")}),
    # the 合计 wrong: 三公 + 会议费 + 培训费
    ({"total": "1275.70"}, {("1276.70", "1275.70")}),
])
def test_jiangsu_three_public_errors_are_found(kw: dict[str, str], expected: set[tuple[str, str]]) -> None:
    bad = found(doc(jiangsu_three_public(**kw)), "row-total")
    assert {(f.expected, f.actual) for f in bad if f.severity == "error"} == expected
    assert all(f.severity == "error" for f in bad)


def test_jiangsu_three_public_subtotal_is_named_with_its_group() -> None:
    bad = found(doc(jiangsu_three_public(vehicle="238.00")), "row-total")
    assert any("（公务用车购置及运行维护费小计） 238.00 不等于" in f.message for f in bad)


# ---------------------------------------------------------------------------- 5. fiscal terms

def test_fiscal_term_in_a_table_note() -> None:
    wrong = table("fund_expenditure", ["合计", "基本支出", "项目支出"], [],
                  note="注：无政府基金预算财政拨款预算，空表列示。")
    fs = found(doc(wrong), "fiscal-term")
    assert [(f.severity, f.expected, f.actual, f.tables) for f in fs] == [
        ("warning", "政府性基金", "政府基金", ("fund_expenditure",))]
    right = table("fund_expenditure", ["合计", "基本支出", "项目支出"], [],
                  note="注：无政府性基金预算财政拨款预算，空表列示。")
    assert found(doc(right), "fiscal-term") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("本部门2024年无政府基金预算拨款。", [("政府基金", "政府性基金")]),
    ("2024年“三公”经费中，公务招待费1.00万元，因公出国费2.00万元。",
     [("公务招待费", "公务接待费"), ("因公出国费", "因公出国（境）费")]),
    ("本部门2024年无政府性基金预算拨款，公务接待费1.00万元，因公出国（境）费2.00万元。", []),
])
def test_fiscal_term_in_the_explanations(text: str, expected: list[tuple[str, str]]) -> None:
    fs = found(text_doc(text), "fiscal-term")
    assert [(f.actual, f.expected) for f in fs] == expected
    assert all(f.severity == "warning" for f in fs)
