# ruff: noqa: E501  (quoted sentences of real documents are long)
"""The reviewers' checks (``yusuan.audit.reviewer``) on real pages of the corpus: the
genuine defects they find there (each checked on the page image, docs/audit.md), nothing
on the pages that are right, and a number changed on a real page found."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest

from conftest import CORPUS
from yusuan.audit import Finding, audit
from yusuan.model import Disclosure, Paragraph, Section
from yusuan.parse import read

REVIEWER = ["class-amount", "percent-pair", "procurement-sum", "empty-note-table", "final-rate",
            "narrative-name-obsolete", "vehicle-sum", "performance-funds", "final-three-public-counts"]


@cache
def _doc(name: str) -> Disclosure:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file missing: {path}")
    return read(path)


def _found(d: Disclosure, *rules: str) -> list[Finding]:
    return [f for f in audit(d, select=list(rules or REVIEWER)) if f.rule in (rules or REVIEWER)]


def _replace(d: Disclosure, old: str, new: str) -> Disclosure:
    """The document with ``old`` replaced by ``new`` in the one paragraph holding it."""
    hits = [0]

    def para(p: Paragraph) -> Paragraph:
        if old in p.text:
            hits[0] += 1
            return dataclasses.replace(p, text=p.text.replace(old, new))
        return p

    def sec(s: Section) -> Section:
        return dataclasses.replace(s, paragraphs=tuple(para(p) for p in s.paragraphs),
                                   children=tuple(sec(c) for c in s.children))

    out = dataclasses.replace(d, sections=tuple(sec(s) for s in d.sections),
                              preamble=tuple(para(p) for p in d.preamble))
    assert hits[0] == 1, f"{old!r} found {hits[0]} times"
    return out


def test_class_amounts_and_empty_note_of_the_finance_bureau() -> None:
    d = _doc("上海市普陀区财政局部门25年预算.pdf")
    got = _found(d)
    # p. 7: “…机关事业单位职业年金缴费支出（项）”887.36万元, the tables print 873,617元 (87.36万元)
    cls = [f for f in got if f.rule == "class-amount"]
    assert [(f.severity, f.actual, f.expected, f.location.page if f.location else None) for f in cls] == [
        ("error", "887.36", "873617.00", 7)]
    assert "2080506" in cls[0].message
    # p. 18: the 国有资本经营 table's note says 无政府性基金预算… (copied from the fund table)
    note = [f for f in got if f.rule == "empty-note-table"]
    assert [(f.tables, f.expected, f.actual) for f in note] == [(("capital_expenditure",), "国有资本经营预算", "政府性基金预算")]
    assert len(got) == 2
    # p. 22: 涉及项目预算资金598.46万元。其中：418.80 + 10.00 + 166.66 + 3.00 — right, and within 项目支出 609.31万元
    funds = _replace(d, "涉及项目预算资金598.46万元", "涉及项目预算资金698.46万元")
    assert sorted((f.severity, f.expected, f.actual) for f in _found(funds, "performance-funds")) == [
        ("error", "598.46", "698.46"), ("warning", "≤6093114.80", "698.46")]
    # 87.70万元 for 877,080元 and 78.21万元 for 782,164元: the text truncates, which is accepted
    assert not any(f.actual in ("87.70", "78.21", "204.91", "268.77") for f in got)


def test_restated_amounts_and_percentages_of_a_street_office() -> None:
    d = _doc("万里街道2023年部门预算.pdf")
    got = [(f.rule, f.severity, f.location.page if f.location else 0, f.actual) for f in _found(d)]
    assert sorted(got, key=lambda x: (x[2], x[3])) == [
        ("percent-pair", "warning", 6, "100.00%"),   # 60.13万元 against 0万元 last year: 无可比
        ("percent-pair", "error", 6, "314.82%"),     # 11.67 → 45.41 is +289.12%
        ("class-amount", "error", 7, "441.25"),      # item 16 says 220.63, then "2023年预算安排441.25万元"
        ("percent-pair", "error", 7, "60.54%"),      # item 16's percentage copied from item 15
        ("percent-pair", "warning", 8, "100.00%"),
    ]


def test_class_amount_and_obsolete_name_of_a_welfare_home() -> None:
    d = _doc("普陀区社会福利院2024年单位预算.pdf")
    got = sorted((f.rule, f.severity, f.expected, f.actual) for f in _found(d))
    assert got == [
        # “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”738.66万元 (p. 6); the tables: 6,964,796元
        # (一般公共预算), 9,584,796元 (all funds): neither
        ("class-amount", "error", "9584796.00", "738.66"),
        # “医疗卫生与计划生育支出（类）…” in 2024: the class is 卫生健康支出 since 2019
        ("narrative-name-obsolete", "error", "卫生健康支出", "医疗卫生与计划生育支出"),
    ]


def test_procurement_breakdown_on_a_real_page() -> None:
    d = _doc("上海市普陀区人民政府万里街道办事处24年预算.pdf")
    assert _found(d, "procurement-sum") == []  # 93.98 + 815.87 + 752.59 = 1662.44
    bad = _replace(d, "政府采购服务预算752.59万元", "政府采购服务预算725.59万元")
    got = _found(bad, "procurement-sum")
    assert [(f.expected, f.actual) for f in got] == [("1635.44", "1662.44")]
    sme = _replace(d, "预留政府采购项目预算金额664.98万元", "预留政府采购项目预算金额1664.98万元")
    assert [f.message[:20] for f in _found(sme, "procurement-sum")] == ["面向中小企业预留 1664.98万元 超"]


def test_vehicles_on_a_real_page() -> None:
    d = _doc("national/杭州_杭州市交通运输局_2026_预算_部门.pdf")
    # 共有车辆 324 辆，其中，一般公务用车 45 辆、执法执勤用车 0 辆、特种专业技术用车 34 辆、其他用车 245 辆
    assert _found(d, "vehicle-sum") == []
    bad = _replace(d, "特种专业技术用车 34 辆", "特种专业技术用车 43 辆")
    assert [(f.expected, f.actual) for f in _found(bad, "vehicle-sum")] == [("333", "324")]


def test_final_rates_of_a_final_account() -> None:
    d = _doc("national/西安_西安市卫生健康委员会汇总_2022_决算_部门.pdf")
    assert _found(d, "final-rate") == []  # some 40 items: every rate and comparison right
    # 年初预算87.17万元，支出决算80.72万元，完成年初预算的92.6%。决算数小于年初预算数…
    bad = _replace(d, "完成年初预算的92.6%", "完成年初预算的93.6%")
    got = _found(bad, "final-rate")
    assert [(f.expected, f.actual) for f in got] == [("92.6%", "93.6%")]
    word = _replace(d, "完成年初预算的92.6%。决算数小于", "完成年初预算的92.6%。决算数大于")
    assert [(f.expected, f.actual) for f in _found(word, "final-rate")] == [("小于", "大于")]


def test_three_public_counts_of_a_final_account() -> None:
    d = _doc("national/西安_西安市卫生健康委员会汇总_2022_决算_部门.pdf")
    # p. 21: 公务用车运行维护费…支出决算450.96万元, and the 保有量 is nowhere in the section;
    # the purchase gives 5辆, the reception 团组3个，来宾15人次
    got = _found(d, "final-three-public-counts")
    assert [(f.severity, f.expected, f.location.page if f.location else None) for f in got] == [
        ("warning", "保有量", 21)]
    assert "450.96万元" in got[0].message
    no_counts = _replace(d, "共接待国内来访团组3个，来宾15人次。", "")
    assert sorted(f.expected for f in _found(no_counts, "final-three-public-counts")) == ["保有量", "批次、人数"]


def test_nothing_on_the_reference(reference_path: Path) -> None:
    assert _found(read(reference_path)) == []
