"""Audit follow-ups (issue 3): percentages bound to their own change, 机关运行经费 where
the three-public table has no such column, the Shanghai income labels, years in prose,
headings, titles and 截至 dates, and the 决算 identities and table set — on small inline
documents and on the real PDFs of the corpus."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditkit import doc, section, table, two_sided
from test_audit_rules import EXP, basic_table, exp_table, summary, text_doc
from yusuan.audit import Finding, audit
from yusuan.model import Disclosure, Row, Table
from yusuan.model import replace as model_replace
from yusuan.parse import read, read_bytes


def found(d: Disclosure, rule: str) -> list[Finding]:
    return [f for f in audit(d, select=[rule]) if f.rule == rule]


# ---------------------------------------------------------------------------- 1. percentages

# exp_table: 合计 10.00 = 基本支出 6.00 + 项目支出 4.00
TWO_CHANGES = ("2024年预算收支10.00万元，较2023年减少1.00万元，下降9.1%，其中：基本支出减少2.00万元，"
               "下降25%，项目支出增加1.00万元，增长{p}%。")


def test_each_percentage_is_bound_to_its_own_change() -> None:
    # 基本支出 6.00 this year, 2.00 less → 2 / 8 = 25%; 项目支出 4.00, 1.00 more → 1 / 3 = 33.3%
    assert found(text_doc(TWO_CHANGES.format(p="33.3")), "narrative-percent") == []
    bad = found(text_doc(TWO_CHANGES.format(p="25")), "narrative-percent")
    assert [(f.expected, f.actual) for f in bad] == [("33%", "25%")]
    assert "1.00 ÷ 3.00" in bad[0].message


def test_a_percentage_exactly_half_way_may_round_either_way() -> None:
    # 基本支出 7.00 this year, 1.00 less than last year's 8.00: 12.5%, printed with no
    # decimals 13% (四舍五入) is right, 12% too (round half even), 14% not
    for p, ok in (("12.5", True), ("13", True), ("12", True), ("14", False)):
        d = doc(table("expenditure", EXP, [("1", None, "合计", "7.00", "7.00", "")]),
                sections=[("二、总体情况", [f"与上年相比，基本支出减少1.00万元，下降{p}%。"])])
        assert (found(d, "narrative-percent") == []) is ok, p


def test_change_sentence_without_levels_takes_the_table_value() -> None:
    sent = "与上年相比，基本支出减少2.00万元，下降25%，项目支出增加1.00万元，增长33.3%。"
    assert found(text_doc(sent), "narrative-percent") == []
    bad = found(text_doc(sent.replace("下降25%", "下降1.5%")), "narrative-percent")
    assert [(f.expected, f.actual) for f in bad] == [("25.0%", "1.5%")]


# ---------------------------------------------------------------------------- 2. 机关运行经费

def _hebei_three_public() -> Table:
    return table("three_public", ["合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"],
                 [], note="注：无财政拨款“三公”经费支出预算，空表列示。", title="部门预算财政拨款“三公”经费支出表")


def _operation_doc(amount: str, three_public: Table) -> Disclosure:
    return doc(summary(), exp_table(), basic_table(), three_public,
               sections=[("三、机关运行经费安排情况", [f"2024年，我部门机关运行经费预算安排{amount}万元。"])])


def test_operation_cost_with_an_empty_hebei_three_public_table() -> None:
    # the Hebei table has no 机关运行经费 column: compare with 公用经费 (1.00), not with the empty table
    assert found(_operation_doc("0.80", _hebei_three_public()), "narrative-amount") == []
    bad = found(_operation_doc("1.20", _hebei_three_public()), "narrative-amount")
    assert [f.expected for f in bad] == ["≤1.00"] and "空表" not in bad[0].message


def test_operation_cost_title_alone_does_not_make_a_column() -> None:
    # titled like Shanghai's, but neither its columns nor its note print 机关运行经费
    t = table("three_public", ["合计", "因公出国（境）费", "公务接待费"], [], title="“三公”经费和机关运行经费预算表",
              note="注：无财政拨款“三公”经费支出预算，空表列示。")
    assert found(_operation_doc("0.80", t), "narrative-amount") == []
    assert [f.expected for f in found(_operation_doc("1.20", t), "narrative-amount")] == ["≤1.00"]


def test_operation_cost_with_a_table_that_prints_it() -> None:
    sh = table("three_public", ["合计", "机关运行经费"], [], title="“三公”经费和机关运行经费预算表",
               note="注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。")
    bad = found(_operation_doc("0.80", sh), "narrative-amount")
    assert [(f.expected, f.actual) for f in bad] == [("0.00", "0.80")]


def test_operation_cost_rounded_from_a_table_in_yuan() -> None:
    basic = table("general_basic_expenditure", ["合计", "人员经费", "公用经费"], [
        ("1", None, "合计", "62777.54", "50000.00", "12777.54")], unit="元")

    def d(amount: str) -> Disclosure:
        return doc(basic, sections=[("三、机关运行经费", [f"2024年机关运行经费预算{amount}万元。"])])

    assert found(d("1.28"), "narrative-amount") == []  # 12777.54元 printed as 1.28万元
    assert [f.expected for f in found(d("1.29"), "narrative-amount")] == ["≤12777.54"]


# ---------------------------------------------------------------------------- 3. Shanghai labels

def _shanghai_summary() -> Table:
    return two_sided("summary", ["预算数"], ["预算数"], [
        ("收入", "", "一、财政拨款收入", "10.00"),
        ("支出", "", "一、一般公共服务支出", "10.00"),
        ("收入", "", "1.一般公共预算资金", "10.00"),
        ("收入", "", "2.政府性基金", ""),
        ("收入", "", "3.国有资本经营预算", ""),
        ("收入", "", "二、事业收入", ""),
        ("收入", "", "收入总计", "10.00"),
        ("支出", "", "支出总计", "10.00"),
    ])


def test_shanghai_income_labels_by_region_and_year() -> None:
    sh = model_replace(doc(_shanghai_summary(), year=2025), region="上海")
    assert found(sh, "summary-row-name") == []
    elsewhere = model_replace(sh, region="河北")
    assert [f.actual for f in found(elsewhere, "summary-row-name")] == ["1.一般公共预算资金"]
    too_early = model_replace(sh, year=2019)
    assert [f.actual for f in found(too_early, "summary-row-name")] == ["1.一般公共预算资金"]


def test_thousands_separator_and_fiscal_income_in_text() -> None:
    big = two_sided("summary", ["预算数"], ["预算数"], [
        ("收入", "", "一、财政拨款收入", "31214205.80"), ("支出", "", "一、一般公共服务支出", "31214205.80"),
        ("收入", "", "收入总计", "31214205.80"), ("支出", "", "支出总计", "31214205.80")], unit="元")

    def d(text: str) -> Disclosure:
        return model_replace(doc(big, sections=[("预算编制说明", [text])], year=2025), region="上海")

    ok = "2025年收入预算3,121.42万元，其中：财政拨款收入3,121.42万元。"
    assert found(d(ok), "narrative-amount") == []
    bad = found(d(ok.replace("财政拨款收入3,121.42", "财政拨款收入3,122.42")), "narrative-amount")
    assert [(f.expected, f.actual) for f in bad] == [("31214205.80", "3122.42")]


def test_shanghai_budget_pdf_has_no_row_name_warning(corpus_dir: Path) -> None:
    d = read(corpus_dir / "上海市普陀区财政局部门25年预算.pdf")
    labels = {r.label for t in d.tables if t.id == "summary" for r in t.rows}
    assert any("一般公共预算资金" in x for x in labels)
    assert found(d, "summary-row-name") == []


# ---------------------------------------------------------------------------- 4. years

def _goals(text: str) -> Disclosure:
    return doc(sections=[section("五、部门整体绩效目标", [], children=[
        section("（一）总体绩效目标", [text], level=2)])])


def test_year_opening_a_sentence_about_this_years_goals() -> None:
    good = "全面贯彻落实各项部署。2024年，本部门巩固帮扶成果，推动工作高质量发展。"
    assert found(_goals(good), "narrative-year") == []
    bad = found(_goals(good.replace("2024", "2023")), "narrative-year")
    assert [(f.expected, f.actual, f.section) for f in bad] == [("2024", "2023", "（一）总体绩效目标")]
    # a year opening a sentence about last year's work elsewhere is left alone
    duties = doc(sections=[("一、部门职责及机构设置情况", ["2023年，本部门完成了机构改革。"])])
    assert found(duties, "narrative-year") == []


def test_years_in_this_year_context_headings_and_since() -> None:
    assert found(text_doc("今年重点保障2023年确定的项目落地。"), "narrative-year") != []
    assert found(text_doc("自2020年起，由我局统一申请建设资金400.00万元以上的项目。"), "narrative-year") == []
    assert found(text_doc("2023年预算执行数为60.13万元，2024年预算安排25.77万元。"), "narrative-year") == []
    assert found(text_doc("纳入2023年预算管理的700万元培训费收入, 因取消收费项目，2024年预算不再安排。"),
                 "narrative-year") == []
    heading = doc(sections=[("一、2023年“三公”经费预算情况说明", ["“三公”经费0.00万元。"])])
    assert [f.actual for f in found(heading, "narrative-year")] == ["2023"]


def test_as_of_date_is_the_end_of_the_prior_year() -> None:
    ok = "截至2023年8月31日，本部门共有车辆2辆。"
    assert found(text_doc(ok), "narrative-year") == []
    bad = found(text_doc(ok.replace("2023", "2024")), "narrative-year")
    assert [(f.expected, f.actual) for f in bad] == [("2023", "2024")]
    final = text_doc("截至2024年12月31日，本部门共有车辆2辆。", kind="决算")
    assert found(final, "narrative-year") == []


def test_table_title_year() -> None:
    bad = found(doc(table("expenditure", EXP, [], title="2023年部门支出预算总表")), "table-year")
    assert [(f.expected, f.actual) for f in bad] == [("2024", "2023")]
    assert found(doc(table("expenditure", EXP, [], title="2024年部门支出预算总表")), "table-year") == []


def test_year_mutation_in_prose_without_amount_is_detected(reference_path: Path) -> None:
    text = reference_path.read_text("utf-8")
    base = {(f.rule, f.message) for f in audit(read_bytes(text.encode(), str(reference_path)))}
    lines = [ln for ln in text.split("\n") if "绩效目标" not in ln and "20" in ln and "万元" not in ln]
    mutated_any = False
    for ln in lines:  # every budget-year mention in a paragraph with no amount
        i = ln.find(f"{2024}年，")
        if i < 0:
            continue
        mutated = text.replace(ln, ln[:i] + "2023" + ln[i + 4:])
        new = [f for f in audit(read_bytes(mutated.encode(), str(reference_path)))
               if (f.rule, f.message) not in base]
        assert [f.rule for f in new] == ["narrative-year"], ln[:40]
        mutated_any = True
    assert mutated_any


# ---------------------------------------------------------------------------- 5. 决算

def _final_three_public(actual_abroad: str) -> Table:
    cols = ["合计/预算数", "合计/决算数", "因公出国（境）费/预算数", "因公出国（境）费/决算数",
            "公务用车购置及运行费/小计/预算数", "公务用车购置及运行费/小计/决算数",
            "公务用车购置及运行费/公务用车购置费/预算数", "公务用车购置及运行费/公务用车购置费/决算数",
            "公务用车购置及运行费/公务用车运行费/预算数", "公务用车购置及运行费/公务用车运行费/决算数",
            "公务接待费/预算数", "公务接待费/决算数"]
    return table("final_three_public", cols, [
        (None, None, "", "3.00", "2.50", "1.00", actual_abroad, "1.50", "1.20", "1.00", "1.00", "0.50", "0.20",
         "0.50", "0.30")])


def test_final_three_public_budget_and_actual_columns_each_add_up() -> None:
    assert found(doc(_final_three_public("1.00"), kind="决算"), "row-total") == []
    bad = found(doc(_final_three_public("0.90"), kind="决算"), "row-total")
    assert [(f.cells[0].column, f.expected, f.actual) for f in bad] == [("合计/决算数", "2.40", "2.50")]


def test_final_fund_table_carry_over_balance() -> None:
    cols = ["年初结转和结余", "本年收入", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出", "年末结转和结余"]
    ok = table("final_fund_expenditure", cols, [(None, None, "合计", "2.00", "10.00", "9.00", "4.00", "5.00", "3.00")])
    assert found(doc(ok, kind="决算"), "row-total") == []
    bad = table("final_fund_expenditure", cols, [(None, None, "合计", "2.00", "10.00", "9.00", "4.00", "5.00", "4.00")])
    assert [(f.expected, f.actual) for f in found(doc(bad, kind="决算"), "row-total")] == [("3.00", "4.00")]


def test_final_summary_balance_counts_every_carry_over_row() -> None:
    def final_summary(grand: str) -> Table:
        return two_sided("final_summary", ["决算数"], ["决算数"], [
            ("收入", "", "一、一般公共预算财政拨款收入", "10.00"), ("支出", "", "一、一般公共服务支出", "9.00"),
            ("收入", "", "本年收入合计", "10.00"), ("支出", "", "本年支出合计", "9.00"),
            ("收入", "", "使用非财政拨款结余", "1.00"), ("支出", "", "结余分配", "0.50"),
            ("收入", "", "年初结转和结余", "2.00"), ("支出", "", "年末结转和结余", "3.50"),
            ("收入", "", "总计", grand), ("支出", "", "总计", "13.00")])
    assert found(doc(final_summary("13.00"), kind="决算"), "balance") == []
    bad = found(doc(final_summary("12.00"), kind="决算"), "balance")
    assert ("13.00", "12.00") in [(f.expected, f.actual) for f in bad]


def test_final_table_set() -> None:
    tables = [table(tid, ["合计"], [], note="注：无。") for tid in (
        "final_summary", "final_income", "final_expenditure", "final_fiscal_summary",
        "final_general_expenditure", "final_general_basic_expenditure", "final_three_public",
        "final_fund_expenditure", "final_capital_expenditure")]
    assert found(doc(*tables, kind="决算"), "table-missing") == []
    missing = found(doc(*tables[:1], *tables[2:], kind="决算"), "table-missing")
    assert [f.tables for f in missing] == [("final_income",)]


ARITHMETIC = ("arithmetic", "cross-table")


def _replace_cell(d: Disclosure, table_id: str, label: str, column: str, delta: Decimal) -> Disclosure:
    tables = list(d.tables)
    for ti, t in enumerate(tables):
        if t.id != table_id:
            continue
        for ri, r in enumerate(t.rows):
            if r.label != label:
                continue
            cells = list(r.cells)
            for ci, c in enumerate(cells):
                if c.column == column and c.value is not None:
                    v = c.value + delta
                    cells[ci] = model_replace(c, value=v, text=str(v))
                    row: Row = model_replace(r, cells=tuple(cells))
                    tables[ti] = model_replace(t, rows=(*t.rows[:ri], row, *t.rows[ri + 1:]))
                    return model_replace(d, tables=tuple(tables))
    raise LookupError((table_id, label, column))


@pytest.fixture(scope="module")
def shanghai_final(corpus_dir: Path) -> Disclosure:
    return read(corpus_dir / "上海市普陀区财政局2024年度部门决算.pdf")


def test_shanghai_final_accounts_hold(shanghai_final: Disclosure) -> None:
    d = shanghai_final
    assert d.kind == "决算"
    assert found(d, "table-missing") == []
    errors = [f for f in audit(d, select=[*ARITHMETIC, "completeness", "catalog"]) if f.severity == "error"]
    # checked on the page images (pdftoppm -r 70): 社会保障和就业支出 is printed 326.71 in the
    # 收入支出决算总表 (p. 6) and the 财政拨款收入支出决算总表 (p. 12) but 326.72 in the 支出决算表
    # (p. 10) and the 一般公共预算财政拨款支出决算表 (p. 15), where 84.65 + 160.75 + 80.38 + 0.94 = 326.72
    assert sorted((f.rule, f.tables, f.expected, f.actual) for f in errors) == [
        ("cross-table", ("final_fiscal_summary", "final_general_expenditure"), "326.72", "326.71"),
        ("cross-table", ("final_summary", "final_expenditure"), "326.72", "326.71"),
    ]
    # the class sums of the detailed tables are 0.01 above their printed 合计: rounding warnings
    rounding = [f for f in audit(d, select=["hierarchy-sum"])]
    assert rounding and all(f.severity == "warning" and f.message.startswith("舍入差异") for f in rounding)


@pytest.mark.parametrize("table_id,label,column,rule", [
    ("final_income", "行政运行", "财政拨款收入", "row-total"),
    ("final_expenditure", "合计", "项目支出", "row-total"),
    ("final_summary", "本年收入合计", "收入/决算数", "balance"),
])
def test_shanghai_final_accounts_changes_are_detected(shanghai_final: Disclosure, table_id: str, label: str,
                                                      column: str, rule: str) -> None:
    mutated = _replace_cell(shanghai_final, table_id, label, column, Decimal("1.00"))
    errors = [f for f in audit(mutated, select=list(ARITHMETIC)) if f.severity == "error"]
    assert rule in {f.rule for f in errors}
    assert any(c.table == table_id and c.item == label for f in errors for c in f.cells)


def test_final_accounts_template(corpus_dir: Path) -> None:
    d = read(corpus_dir / "附件2：部门决算模板.pdf")
    assert d.kind == "决算"
    assert found(d, "table-missing") == []
    assert [f for f in audit(d, select=list(ARITHMETIC)) if f.severity == "error"] == []
    # the template's placeholders are what a department must replace
    assert found(d, "template-wording")
