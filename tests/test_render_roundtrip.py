"""Round trip: budget → derive → render (every format) → yusuan.parse → the same cells and
indicators; and the audit of the rendered file reports no error and no warning.

Formats whose reader has not landed yet are skipped with the reason (not silently passed).
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yusuan.audit import audit
from yusuan.model import Disclosure
from yusuan.parse import read_bytes
from yusuan.render import render
from yusuan.render.budget import from_data, load_budget
from yusuan.render.derive import derive

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def cells(doc: Disclosure) -> dict[tuple[Any, ...], Decimal]:
    """Every amount cell keyed by table, project, side, code, label and column."""
    out: dict[tuple[Any, ...], Decimal] = {}
    for t in doc.tables:
        project = t.project.name if t.project else ""
        for r in t.rows:
            for c in r.cells:
                if c.value is not None:
                    out[(t.id, project, r.side, r.code, r.label, c.column)] = c.value
    return out


def indicators(doc: Disclosure) -> list[tuple[Any, ...]]:
    return [
        (
            p.code,
            p.name,
            i.level1,
            i.level2,
            i.level3,
            i.description,
            i.value_text,
            i.comparator,
            i.value,
            i.unit,
            i.basis,
        )
        for p in doc.projects
        for i in p.indicators
    ]


def reader_available(fmt: str) -> bool:
    module = {"md": "markdown"}.get(fmt, fmt)
    return importlib.util.find_spec(f"yusuan.parse.{module}") is not None


def serious(doc: Disclosure) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in audit(doc) if f.severity in ("error", "warning")]


# --------------------------------------------------------------------------- generated budgets

LEAVES = {
    "2010101": "行政运行",
    "2010102": "一般行政管理事务",
    "2012950": "事业运行",
    "2080501": "行政单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2101101": "行政单位医疗",
    "2210201": "住房公积金",
}
PARENTS = {
    "20101": "人大事务",
    "20129": "群众团体事务",
    "20805": "行政事业单位养老支出",
    "21011": "行政事业单位医疗",
    "22102": "住房改革支出",
}
ECON = {"30101": "基本工资", "30102": "津贴补贴", "30201": "办公费", "30302": "退休费"}


@st.composite
def budgets(draw: st.DrawFn, profiles: tuple[str, ...] = ("hebei",)) -> dict[str, Any]:
    """A consistent budget in 元 with amounts in whole hundreds (exact in 万元)."""
    codes = draw(st.lists(st.sampled_from(sorted(LEAVES)), min_size=1, max_size=6, unique=True))
    hundreds = st.integers(min_value=0, max_value=50_000)
    lines = []
    for code in codes:
        basic = draw(hundreds) * 100
        project = draw(hundreds) * 100
        if basic + project == 0:
            basic = 100
        lines.append({"code": code, "name": LEAVES[code], "basic": basic, "project": project})
    basic_total = sum(x["basic"] for x in lines)
    # split the basic total over economic 款: personnel in 30101/30302, public in 30201
    public = draw(st.integers(min_value=0, max_value=basic_total // 100)) * 100
    personnel = basic_total - public
    half = personnel // 200 * 100
    economic = [
        {"code": "30101", "name": ECON["30101"], "personnel": half},
        {"code": "30302", "name": ECON["30302"], "personnel": personnel - half},
        {"code": "30201", "name": ECON["30201"], "public": public},
    ]
    reception = public // 200 * 100
    project_total = sum(x["project"] for x in lines)
    projects = []
    if project_total:
        projects.append(
            {
                "code": "P001",
                "name": "重点工作经费",
                "fiscal": project_total,
                "purpose": "保障重点工作开展。",
                "plan": [{"label": "6月底", "percent": 50}, {"label": "12月底", "percent": 100}],
                "goal": "按期完成年度重点工作。",
                "indicators": [
                    {
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "level3": "完成事项数",
                        "description": "年度完成事项",
                        "value": f"≥{draw(st.integers(1, 99))}项",
                        "basis": "年度工作计划",
                    },
                    {
                        "level1": "满意度指标",
                        "level2": "服务对象满意度指标",
                        "level3": "满意度",
                        "description": "服务对象满意度",
                        "value": "≥90%",
                        "basis": "满意度调查",
                    },
                ],
            }
        )
    change = draw(st.integers(min_value=-300, max_value=300)) * 100
    last_basic = max(basic_total - change, 100)
    last_project = max(project_total + draw(st.integers(-100, 100)) * 100, 100)
    return {
        "profile": draw(st.sampled_from(profiles)),
        "year": draw(st.integers(2023, 2026)),
        "unit": "元",
        "department": {"code": "101", "name": "示例市测试局"},
        "units": [{"name": "示例市测试局本级", "nature": "行政", "level": "正处级", "funding": "财政拨款"}],
        "names": PARENTS,
        "lines": lines,
        "economic": economic,
        "last_year": {"total": last_basic + last_project, "basic": last_basic, "project": last_project},
        # the audit looks for 机关运行经费 in the 三公 table, so only state it with 三公 money
        "office_cost": {"amount": public if reception else 0, "last_year": public if reception else 0},
        "three_public": {"reception": reception, "last_year": {"reception": reception}},
        "projects": projects,
        "texts": {
            "duties": ["负责全市测试工作。"],
            "overall_goal": ["完成年度工作任务。"],
            "measures": ["加强预算绩效管理。"],
        },
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets())
def test_generated_budget_round_trips_through_markdown(data: dict[str, Any]) -> None:
    doc = derive(from_data(data, "generated.yaml"))
    parsed = read_bytes(render(doc, "md"), "generated.md")
    assert cells(parsed) == cells(doc)
    assert indicators(parsed) == indicators(doc)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets(("hebei", "shanghai")))
def test_generated_budget_audits_clean(data: dict[str, Any]) -> None:
    doc = derive(from_data(data, "generated.yaml"))
    assert serious(doc) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets())
def test_rendered_markdown_audits_clean(data: dict[str, Any]) -> None:
    doc = derive(from_data(data, "generated.yaml"))
    parsed = read_bytes(render(doc, "md"), "generated.md")
    assert serious(parsed) == []


@pytest.mark.skipif(not reader_available("html"), reason="HTML reader (yusuan.parse.html) not available yet")
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets())
def test_generated_budget_round_trips_through_html(data: dict[str, Any]) -> None:
    doc = derive(from_data(data, "generated.yaml"))
    parsed = read_bytes(render(doc, "html"), "generated.html")
    assert cells(parsed) == cells(doc)
    assert indicators(parsed) == indicators(doc)


# --------------------------------------------------------------------------- the examples


@pytest.fixture(scope="module", params=["zjk-trade-union-2024.yaml", "shanghai-example.yaml"])
def example(request: pytest.FixtureRequest) -> Disclosure:
    return derive(load_budget(EXAMPLES / request.param))


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx", "docx", pytest.param("pdf", marks=pytest.mark.slow)])
def test_examples_round_trip(example: Disclosure, fmt: str) -> None:
    if not reader_available(fmt):
        pytest.skip(f"reader yusuan.parse.{fmt} not available yet")
    parsed = read_bytes(render(example, fmt), f"example.{fmt}")
    assert cells(parsed) == cells(example)
    if fmt == "pdf":
        # a value wrapped inside a narrow cell ("2024 年 7 | 月-12 月") comes back without the
        # space at the wrap: compare indicator texts without white space
        def squeeze(xs: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
            return [tuple(x.replace(" ", "") if isinstance(x, str) else x for x in t) for t in xs]

        assert squeeze(indicators(parsed)) == squeeze(indicators(example))
    else:
        assert indicators(parsed) == indicators(example)
    # the reference's own rounding difference (682.75 vs 295.74 + 387.02) is real and is
    # reported as a warning; nothing else may be
    assert [f for f in serious(parsed) if "舍入" not in f and "率达到" not in f] == []
