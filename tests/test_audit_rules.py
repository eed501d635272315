# ruff: noqa: E501  (inline test documents are long Chinese sentences)
"""A test per rule: one small document that breaks it, one that does not.

``CASES`` maps every registered rule id to a pair of builders; a test fails when a rule
of the registry has no case here (or no docstring).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from auditkit import doc, empty, indicator, project, table, two_sided
from reviewer_cases import REVIEWER_CASES
from yusuan.audit import Finding, audit
from yusuan.audit.engine import load_rules
from yusuan.audit.registry import RULES, rule
from yusuan.model import Disclosure, Location, ParseNote, Table

EXP = ["合计", "基本支出", "项目支出"]


def exp_table(tid: str = "expenditure", total: str = "10.00", basic: str = "6.00",
              proj: str = "4.00", kuan: str = "10.00", xiang: str = "10.00", code7: str = "2012906",
              label: str = "一般公共服务支出", code: str = "201") -> Table:
    return table(tid, EXP, [
        ("1", None, "合计", total, basic, proj),
        ("2", code, label, "10.00", "6.00", "4.00"),
        ("3", code + "29", "群众团体事务", kuan, "6.00", "4.00"),
        ("4", code7, "工会事务", xiang, "6.00", "4.00"),
    ])


def summary(income_total: str = "10.00", exp_total: str = "10.00", exp_class: str = "10.00",
            income_item: str = "10.00") -> Table:
    return two_sided("summary", ["预算数"], ["预算数"], [
        ("收入", "1", "一、一般公共预算拨款收入", income_item),
        ("支出", "1", "一、一般公共服务支出", exp_class),
        ("收入", "2", "本年收入合计", "10.00"),
        ("支出", "2", "本年支出合计", "10.00"),
        ("收入", "3", "上年结转结余", ""),
        ("支出", "3", "年终结转结余", ""),
        ("收入", "4", "收入总计", income_total),
        ("支出", "4", "支出总计", exp_total),
    ])


def basic_table(total: str = "6.00") -> Table:
    return table("general_basic_expenditure", ["合计", "人员经费", "公用经费"], [
        ("1", None, "合计", total, "5.00", "1.00"),
        ("2", "301", "工资福利支出", "5.00", "5.00", ""),
        ("3", "30101", "基本工资", "5.00", "5.00", ""),
        ("4", "302", "商品和服务支出", "1.00", "", "1.00"),
        ("5", "30201", "办公费", "1.00", "", "1.00"),
    ])


def text_doc(*paragraphs: str, heading: str = "二、预算安排总体情况", **kw: object) -> Disclosure:
    return doc(summary(), exp_table(), basic_table(), exp_table("general_expenditure"),
               empty("three_public", ["合计"]),
               sections=[(heading, list(paragraphs))], **kw)  # type: ignore[arg-type]


FULL_TEXT = [
    ("一、部门职责及机构设置情况", ["部门职责：负责某项工作。机构设置：本级。"]),
    ("二、部门预算安排的总体情况", ["2024年预算收入10.00万元，比上年增加1.00万元。"]),
    ("三、机关运行经费安排情况", ["2024年机关运行经费0.00万元。"]),
    ("四、“三公”经费预算情况及增减变化原因", ["“三公”经费0.00万元，与上年持平。"]),
    ("五、绩效目标", ["绩效目标见下。"]),
    ("六、政府采购预算情况", ["无政府采购预算。"]),
    ("七、国有资产信息", ["无固定资产。"]),
    ("八、名词解释", ["财政拨款收入：指…"]),
]


def all_tables(**kw: object) -> tuple[Table, ...]:
    return (summary(), table("income", ["合计", "本年收入/小计", "本年收入/财政拨款收入", "上年结转"], [
        ("1", None, "合计", "10.00", "10.00", "10.00", ""),
        ("2", "201", "一般公共服务支出", "10.00", "10.00", "10.00", ""),
        ("3", "20129", "群众团体事务", "10.00", "10.00", "10.00", ""),
        ("4", "2012906", "工会事务", "10.00", "10.00", "10.00", "")]),
        exp_table(), two_sided("fiscal_summary", ["金额"], ["合计", "一般公共预算财政拨款"], [
            ("收入", "1", "一、一般公共预算拨款", "10.00"),
            ("支出", "1", "一、一般公共服务支出", "10.00", "10.00"),
            ("收入", "2", "本年收入合计", "10.00"),
            ("支出", "2", "本年支出合计", "10.00", "10.00"),
            ("收入", "3", "收入总计", "10.00"),
            ("支出", "3", "支出总计", "10.00", "10.00")]),
        exp_table("general_expenditure"), basic_table(), empty("fund_expenditure"),
        empty("capital_expenditure"), empty("three_public", ["合计"]))


Builder = Callable[[], Disclosure]


def crashing_doc() -> Disclosure:
    return doc(sections=[("x", ["x"])])


CASES: dict[str, tuple[Builder, Builder]] = {
    "row-total": (lambda: doc(exp_table(total="11.00")), lambda: doc(exp_table())),
    "hierarchy-sum": (lambda: doc(exp_table(xiang="9.00")), lambda: doc(exp_table())),
    "balance": (lambda: doc(summary(exp_total="11.00")), lambda: doc(summary())),
    "cross-table": (lambda: doc(summary(exp_class="9.00"), exp_table()),
                    lambda: doc(summary(), exp_table())),
    "narrative-amount": (lambda: text_doc("2024年预算收入12.00万元，其中基本支出6.00万元。"),
                         lambda: text_doc("2024年预算收入10.00万元，其中基本支出6.00万元。")),
    "narrative-change-sum": (
        lambda: text_doc("2024年预算收支10.00万元，较2023年减少3.00万元，其中：基本支出减少2.00万元，项目支出增加2.00万元。"),
        lambda: text_doc("2024年预算收支10.00万元，较2023年减少3.00万元，其中：基本支出减少5.00万元，项目支出增加2.00万元。")),
    "narrative-percent": (
        lambda: text_doc("2024年预算收入10.00万元，比2023年增加2.00万元，增长30%。"),
        lambda: text_doc("2024年预算收入10.00万元，比2023年增加2.00万元，增长25%。")),
    "narrative-year": (lambda: text_doc("2023年预算收入10.00万元，较2022年增加1.00万元。"),
                       lambda: text_doc("2024年预算收入10.00万元，较2023年增加1.00万元。")),
    "narrative-class-name": (
        lambda: text_doc("医疗卫生与计划生育支出（类）10.00万元。"),
        lambda: text_doc("一般公共服务支出（类）群众团体事务（款）工会事务（项）10.00万元。")),
    "narrative-rate": (lambda: text_doc("救助率达到100%以上。"), lambda: text_doc("满意度达到95%以上。")),
    "code-unknown": (lambda: doc(exp_table(code7="2012998")), lambda: doc(exp_table())),
    "name-mismatch": (lambda: doc(table("expenditure", EXP, [("1", "201", "一般公共服务开支", "1.00", "1.00", "")])),
                      lambda: doc(table("expenditure", EXP, [("1", "201", "一般公共服务支出", "1.00", "1.00", "")]))),
    "name-obsolete": (
        lambda: doc(table("expenditure", EXP, [("1", "210", "医疗卫生与计划生育支出", "1.00", "1.00", "")])),
        lambda: doc(table("expenditure", EXP, [("1", "210", "卫生健康支出", "1.00", "1.00", "")]))),
    "code-structure": (lambda: doc(table("expenditure", EXP, [("1", "2012906", "工会事务", "1.00", "1.00", "")])),
                       lambda: doc(exp_table())),
    "detail-level": (lambda: doc(table("expenditure", EXP, [("1", "201", "一般公共服务支出", "1.00", "1.00", "")])),
                     lambda: doc(exp_table())),
    "table-missing": (lambda: doc(*all_tables()[:-1]), lambda: doc(*all_tables())),
    "empty-table-note": (lambda: doc(empty("fund_expenditure", note=None)), lambda: doc(empty("fund_expenditure"))),
    "section-missing": (lambda: doc(sections=FULL_TEXT[:-1]), lambda: doc(sections=FULL_TEXT)),
    "scope-wording": (lambda: text_doc("本部门2024年无“三公”经费。", scope="单位"),
                      lambda: text_doc("本单位2024年无“三公”经费。", scope="单位")),
    "table-year": (lambda: doc(table("expenditure", EXP, [], year=2023)),
                   lambda: doc(table("expenditure", EXP, [], year=2024))),
    "project-amount": (lambda: doc(project("甲项目", "10.00", "9.00")), lambda: doc(project("甲项目", "10.00", "10.00"))),
    "project-control": (
        lambda: doc(project("甲项目", "10.00", "10.00",
                            indicators=[indicator("资金支出控制数", "≤12万元", "≤", "12", "万元")])),
        lambda: doc(project("甲项目", "10.00", "10.00"))),
    "spending-plan": (lambda: doc(project("甲", "1.00", "1.00", plan=(None, "50", "40", "90"))),
                      lambda: doc(project("甲", "1.00", "1.00", plan=(None, "50", "70", "100")))),
    "projects-total": (lambda: doc(exp_table(), project("甲", "5.00", "5.00")),
                       lambda: doc(exp_table(), project("甲", "4.00", "4.00"))),
    "indicator-value": (
        lambda: doc(project("甲", "1.00", "1.00", indicators=[indicator("覆盖率", "≥120%", "≥", "120", "%")])),
        lambda: doc(project("甲", "1.00", "1.00", indicators=[indicator("覆盖率", "≥95%", "≥", "95", "%")]))),
    "summary-row-name": (lambda: doc(summary(), two_sided("fiscal_summary", ["金额"], ["合计"], [
                             ("收入", "1", "一、一般公共预算拨款", "1.00"), ("支出", "1", "一、一般公共服务开支", "1.00")])),
                         lambda: doc(summary())),
    "section-content": (lambda: text_doc("固定资产情况详见下表。", heading="九、国有资产信息"),
                        lambda: text_doc("无固定资产。", heading="九、国有资产信息")),
    "doubled-punctuation": (lambda: text_doc("收入增加。。"), lambda: text_doc("收入增加。")),
    "unbalanced-brackets": (lambda: text_doc("“三公”经费（含购置费。"), lambda: text_doc("“三公”经费（含购置费）。")),
    "truncated-sentence": (lambda: text_doc("支出减少，主要原因是。"), lambda: text_doc("支出减少，主要原因是人员减少。")),
    "template-wording": (lambda: text_doc("支出增加（减少）1.00万元。"), lambda: text_doc("支出增加1.00万元。")),
    "repeated-paragraph": (lambda: text_doc("本部门负责全市工会工作的组织和协调。", "本部门负责全市工会工作的组织和协调。"),
                           lambda: text_doc("本部门负责全市工会工作的组织和协调。", "本部门负责全市职工的帮扶救助。")),
    "fiscal-term": (lambda: text_doc("本部门无政府基金预算拨款。"), lambda: text_doc("本部门无政府性基金预算拨款。")),
}


CASES.update(REVIEWER_CASES)  # issue 12: the reviewers' checks (tests/reviewer_cases.py)


def _with_note() -> Disclosure:
    d = doc()
    note = ParseNote("garbled-text", "第 3 页文字乱码", Location(file="t.pdf", page=3), "warning")
    return Disclosure(source=d.source, format="pdf", year=2024, notes=(note,))


def test_every_rule_has_docs_and_a_case() -> None:
    load_rules()
    for r in RULES.values():
        assert r.doc.strip(), f"rule {r.id} has no docstring"
        assert r.summary_zh.strip(), f"rule {r.id} has no summary"
        assert r.id in CASES or r.id in ("rule-crashed", "parse-*", "timeliness"), f"rule {r.id} has no test case"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_breaks_and_passes(rule_id: str) -> None:
    bad, good = CASES[rule_id]
    bad_found = [f for f in audit(bad(), select=[rule_id]) if f.rule == rule_id]
    good_found = [f for f in audit(good(), select=[rule_id]) if f.rule == rule_id]
    assert bad_found, f"{rule_id}: the breaking document gives no finding"
    assert not good_found, f"{rule_id}: the passing document gives {good_found}"
    for f in bad_found:
        assert f.message and f.tables
        assert all(c.table for c in f.cells)


def test_parse_notes_become_findings() -> None:
    fs = audit(_with_note())
    f = next(f for f in fs if f.rule == "parse-garbled-text")
    assert f.severity == "warning" and f.location is not None and f.location.page == 3
    assert not [f for f in audit(_with_note(), ignore=["parse"]) if f.rule.startswith("parse-")]
    assert not [f for f in audit(doc()) if f.rule.startswith("parse-")]


def test_crashing_rule_becomes_a_finding() -> None:
    @rule("zz-test-crash", severity="error", family="engine", summary="测试")
    def crash(d: Disclosure) -> list[Finding]:
        """Raises."""
        raise RuntimeError("boom")

    try:
        fs = audit(crashing_doc(), select=["zz-test-crash"])
        assert [f.rule for f in fs] == ["rule-crashed"]
        assert "zz-test-crash" in fs[0].message and fs[0].severity == "error"
        assert not [f for f in audit(crashing_doc(), select=["hygiene"]) if f.rule == "rule-crashed"]
    finally:
        del RULES["zz-test-crash"]


def test_rounding_is_a_warning_and_larger_is_an_error() -> None:
    warn = [f for f in audit(doc(exp_table(total="10.01")), select=["row-total"])]
    assert [f.severity for f in warn] == ["warning"] and "舍入" in warn[0].message
    err = [f for f in audit(doc(exp_table(total="10.02")), select=["row-total"])]
    assert [f.severity for f in err] == ["error"]
    assert err[0].expected == "10.00" and err[0].actual == "10.02"
    assert [c.column for c in err[0].cells] == ["合计", "基本支出", "项目支出"]


def test_select_and_ignore_by_family() -> None:
    d = doc(exp_table(total="11.00"))
    assert {f.rule for f in audit(d, select=["arithmetic"])} == {"row-total", "hierarchy-sum"}
    assert not [f for f in audit(d, ignore=["arithmetic", "completeness", "catalog"])]
    assert {f.rule for f in audit(d, select=["row-total,hierarchy-sum"], ignore=["hierarchy-sum"])} == {"row-total"}


def test_cross_table_names_both_sides() -> None:
    d = doc(summary(exp_class="9.00"), exp_table())
    f = next(f for f in audit(d, select=["cross-table"]))
    assert set(f.tables) == {"summary", "expenditure"}
    assert {c.table for c in f.cells} == {"summary", "expenditure"}
    assert f.expected == "10.00" and f.actual == "9.00"


def test_text_statements_attach_to_their_topic() -> None:
    from yusuan.audit.text import statements

    d = text_doc("2024年支出预算10.00万元，其中基本支出6.00万元，包括人员经费5.00万元和日常公用经费1.00万元；"
                 "项目支出4.00万元。较2023年减少1.00万元。")
    got = [(s.topic, str(s.amount), s.direction) for s in statements(d)]
    assert got == [("expenditure", "10.00", 0), ("basic", "6.00", 0), ("personnel", "5.00", 0),
                   ("public", "1.00", 0), ("project", "4.00", 0), (None, "1.00", -1)]
    assert not [f for f in audit(d, select=["narrative-amount"])]


def test_operation_cost_not_above_public_funds() -> None:
    bad = [f for f in audit(text_doc("2024年机关运行经费2.00万元。"), select=["narrative-amount"])]
    assert [f.expected for f in bad] == ["≤1.00"]
    assert not audit(text_doc("2024年机关运行经费1.00万元。"), select=["narrative-amount"])
