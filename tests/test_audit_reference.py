"""The audit on the reference document: the genuine inconsistencies it contains are
found, by the rules (nothing here or in the rules knows this document), and no error a
careful reviewer would reject is reported. docs/audit.md explains each finding."""

from __future__ import annotations

from pathlib import Path

from yusuan.audit import audit
from yusuan.parse import read


def test_reference_findings(reference_path: Path) -> None:
    doc = read(reference_path)
    fs = audit(doc)
    got = sorted((f.rule, f.severity) for f in fs)
    assert got == sorted([
        ("hierarchy-sum", "warning"),   # basic-expenditure 合计 682.75 vs 295.74 + 387.02 = 682.76
        ("hierarchy-sum", "warning"),   # the same in the 人员经费 column
        ("narrative-year", "error"),    # 三、机关运行经费: "2023年…预算安排" in a 2024 budget
        ("narrative-rate", "warning"),  # "救助率达到 100%以上"
        ("indicator-value", "info"),    # 救助及时率 with the value "全年"
        ("fiscal-term", "warning"),     # the empty fund table's note says 政府基金 for 政府性基金
        ("parse-header-repaired", "info"),
        ("parse-row-realigned", "info"),
    ])
    rounding = [f for f in fs if f.rule == "hierarchy-sum"]
    assert all("舍入差异" in f.message and f.tables == ("general_basic_expenditure",) for f in rounding)
    assert {f.expected for f in rounding} == {"682.76"} and {f.actual for f in rounding} == {"682.75"}
    year = next(f for f in fs if f.rule == "narrative-year")
    assert year.section == "三、机关运行经费安排情况" and (year.expected, year.actual) == ("2024", "2023")
    assert year.location is not None and year.location.line is not None
    term = next(f for f in fs if f.rule == "fiscal-term")
    assert term.tables == ("fund_expenditure",)
    assert (term.expected, term.actual) == ("政府性基金", "政府基金")
    assert "注：无政府基金预算财政拨款预算" in term.message
