# ruff: noqa: E501  (inline test documents are long Chinese sentences)
"""One breaking and one passing document for each rule of ``yusuan.audit.reviewer``
(merged into ``test_audit_rules.CASES``)."""

from __future__ import annotations

from collections.abc import Callable

from auditkit import doc, empty
from yusuan.model import Disclosure

Builder = Callable[[], Disclosure]


def _text(*paragraphs: str, **kw: object) -> Disclosure:
    from test_audit_rules import text_doc

    return text_doc(*paragraphs, **kw)


_CHAIN = "“一般公共服务支出（类）群众团体事务（款）工会事务（项）”{}万元，主要用于工会工作。"
_PAIR = "2023年当年预算执行数为8.00万元，2024年预算安排10.00万元，比2023年预算执行数增加{}%。"
_PROC = ("2024年本部门政府采购预算10.00万元，其中：政府采购货物预算2.00万元、政府采购工程预算3.00万元、"
         "政府采购服务预算{}万元。")
_FINAL = "一般公共预算财政拨款支出年初预算为100.00万元，支出决算为98.00万元，完成年初预算的{}%。决算数小于预算数的主要原因：项目调减。"

REVIEWER_CASES: dict[str, tuple[Builder, Builder]] = {
    "class-amount": (lambda: _text(_CHAIN.format("9.00")), lambda: _text(_CHAIN.format("10.00"))),
    "percent-pair": (lambda: _text(_PAIR.format("20.00")), lambda: _text(_PAIR.format("25.00"))),
    "procurement-sum": (lambda: _text(_PROC.format("4.00")), lambda: _text(_PROC.format("5.00"))),
    "empty-note-table": (
        lambda: doc(empty("capital_expenditure", note="注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。")),
        lambda: doc(empty("capital_expenditure", note="注：本部门无国有资本经营预算财政拨款安排的预算，故本表为空表。"))),
    "narrative-name-obsolete": (
        lambda: _text("“医疗卫生与计划生育支出（类）行政事业单位医疗（款）行政单位医疗（项）”1.00万元。"),
        lambda: _text("“卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”1.00万元。")),
    "vehicle-sum": (lambda: _text("截至2023年12月31日，本部门共有车辆5辆，其中：一般公务用车2辆、执法执勤用车2辆。"),
                    lambda: _text("截至2023年12月31日，本部门共有车辆4辆，其中：一般公务用车2辆、执法执勤用车2辆。")),
    "performance-funds": (
        lambda: _text("本部门编报绩效目标的项目共2个，涉及项目预算资金4.00万元。其中：甲项目1.00万元，乙项目2.00万元。"),
        lambda: _text("本部门编报绩效目标的项目共2个，涉及项目预算资金3.00万元。其中：甲项目1.00万元，乙项目2.00万元。")),
    "final-three-public-counts": (
        lambda: doc(sections=[("七、“三公”经费支出决算情况说明", ["公务接待费预算1.00万元，支出决算0.50万元。"])], kind="决算"),
        lambda: doc(sections=[("七、“三公”经费支出决算情况说明",
                               ["公务接待费预算1.00万元，支出决算0.50万元，共接待3批次、20人次。"])], kind="决算")),
    "final-rate": (lambda: _text(_FINAL.format("97.00"), kind="决算"),
                   lambda: _text(_FINAL.format("98.00"), kind="决算")),
}
