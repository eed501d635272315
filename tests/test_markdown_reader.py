"""The markdown reader and the assembler on the reference document."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.model import Disclosure
from yusuan.parse import UnreadableError, read, read_bytes
from yusuan.parse.facts import facts, write_csv


@pytest.fixture(scope="module")
def ref(reference_path: Path) -> Disclosure:
    return read(reference_path)


def test_document_metadata(ref: Disclosure) -> None:
    assert (ref.year, ref.kind, ref.scope) == (2024, "预算", "部门")
    assert (ref.department, ref.department_code) == ("张家口市总工会", "711")
    assert ref.title == "张家口市总工会 2024 年部门预算信息公开情况说明"


def test_tables_recognised_in_order(ref: Disclosure) -> None:
    assert [t.id for t in ref.tables] == [
        "summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
        "general_basic_expenditure", "fund_expenditure", "capital_expenditure", "three_public",
        "organization", "project_performance", "project_performance", "procurement", "assets",
    ]
    assert all(t.unit == "万元" for t in ref.tables if t.id != "organization")


def test_cross_page_tables_are_merged(ref: Disclosure) -> None:
    fiscal = ref.table("fiscal_summary")
    assert fiscal is not None
    # 37 printed rows over three pages; the last one is 收入总计 | 支出总计
    assert [r.seq for r in fiscal.rows][-2:] == ["37", "37"]
    assert fiscal.by_label("收入总计", side="收入").amount("收入/金额") == Decimal("783.57")
    general = ref.table("general_expenditure")
    assert general is not None and len(general.rows) == 20
    assert [int(r.seq or 0) for r in general.rows] == list(range(1, 21))
    assert not [n for n in ref.notes if n.code == "seq-gap"]


def test_income_header_repaired_on_both_pages(ref: Disclosure) -> None:
    income = ref.table("income")
    assert income is not None
    assert [c.name for c in income.columns] == [
        "合计", "本年收入/小计", "本年收入/财政拨款收入", "本年收入/财政专户收入", "本年收入/事业收入",
        "本年收入/经营收入", "本年收入/上级补助收入", "本年收入/附属单位上缴收入", "本年收入/其他收入",
        "上年结转",
    ]
    assert [c.number for c in income.columns] == [str(n) for n in range(3, 13)]
    # the row on page 2 reads the same columns as page 1
    row = income.by_code("2101102")
    assert row is not None and row.amount("本年收入/财政拨款收入") == Decimal("19.47")
    assert row.cell("上年结转") is not None and row.cell("上年结转").text == ""  # type: ignore[union-attr]
    repaired = [n for n in ref.notes if n.code == "header-repaired"]
    assert len(repaired) == 1 and repaired[0].location.table == "income"


def test_two_sided_summary(ref: Disclosure) -> None:
    s = ref.table("summary")
    assert s is not None
    assert s.by_label("一般公共预算拨款收入", side="收入").amount("收入/预算数") == Decimal("783.57")
    assert s.by_label("社会保障和就业支出", side="支出").amount("支出/预算数") == Decimal("407.13")
    assert len([r for r in s.rows if r.side == "支出"]) == 34


def test_empty_tables_present_with_note(ref: Disclosure) -> None:
    for tid in ("fund_expenditure", "capital_expenditure", "three_public", "procurement", "assets"):
        t = ref.table(tid)
        assert t is not None and t.empty, tid
        assert t.note and "空表列示" in t.note, tid


def test_projects_structured(ref: Disclosure) -> None:
    p1, p2 = ref.projects
    assert p1.code == "13070024P00027610002U" and p1.amount == Decimal("45.82")
    assert p1.fiscal == Decimal("45.82") and p1.other is None
    assert [(s.label, s.percent) for s in p1.plan] == [
        ("3月底", None), ("6月底", None), ("10月底", Decimal(70)), ("12月底", Decimal(100))]
    assert len(p1.indicators) == 9 and len(p2.indicators) == 12
    first = p1.indicators[0]
    assert (first.level1, first.level2, first.level3) == ("产出指标", "数量指标", "在档全国级困难职工人数")
    assert (first.comparator, first.value, first.unit) == ("≥", Decimal(37), "人")
    cost = next(i for i in p1.indicators if i.level3 == "资金支出控制数")
    assert (cost.comparator, cost.value, cost.unit) == ("≤", Decimal("45.82"), "万元")
    # a basis continued on the next page is joined
    std = next(i for i in p1.indicators if i.level3 == "在档管理困难职工救助标准")
    assert std.basis.endswith("冀财规[2022]27号")
    allowance = next(i for i in p2.indicators if i.level3 == "省部级劳模荣誉津贴")
    assert (allowance.comparator, allowance.value, allowance.unit) == (None, Decimal(300), "元/月/人")
    # the row a converter shifted one column left is realigned
    shifted = [i for i in p2.indicators if i.level3 == "市级劳模慰问标准"
]
    assert shifted and shifted[0].value_text == "≤1000 元/人"
    assert (shifted[0].level1, shifted[0].level2) == ("产出指标", "成本指标")
    assert shifted[0].basis == "冀办发[2018]38号、冀财规[2022]27号"
    assert all(i.level1 for i in p1.indicators + p2.indicators)
    timely = next(i for i in p1.indicators if i.level3 == "救助及时率")
    assert timely.value_text == "全年" and timely.value is None


def test_sections(ref: Disclosure) -> None:
    titles = [s.title for s in ref.sections]
    assert titles[:4] == ["部门职责及机构设置情况", "部门预算安排的总体情况", "机关运行经费安排情况",
                          "财政拨款“三公”经费预算情况及增减变化原因"]
    assert len(titles) == 11 and titles[-1] == "其他需要说明的事项"
    overall = ref.sections[1]
    assert [c.title for c in overall.children] == ["收入说明", "支出说明", "比上年增减情况"]
    assert "783.57万元" in overall.children[0].paragraphs[0].text
    # the paragraph cut by a page break is joined
    measures = [p.text for s in ref.walk_sections() for p in s.paragraphs if "完善制度建设" in p.text]
    assert measures and "严格审批程序，加强工会固定资产" in measures[0]
    # tables printed inside sections are linked to them
    assert [ref.tables[i].id for i in ref.sections[6].tables] == ["project_performance"] * 2
    assert [ref.tables[i].id for i in ref.sections[0].tables] == ["organization"]


def test_locations(ref: Disclosure, reference_path: Path) -> None:
    lines = reference_path.read_text(encoding="utf-8").splitlines()
    for table in ref.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.value is None:
                    continue
                assert cell.location.line is not None
                assert cell.text in lines[cell.location.line - 1], (table.id, cell)
                assert cell.location.table == table.id


def test_facts_golden(ref: Disclosure, golden) -> None:  # type: ignore[no-untyped-def]
    text = write_csv(facts(ref, file="zjk-trade-union-2024-budget.md"))
    assert text.count("\n") == 197  # header + 196 amount cells, counted by hand
    golden("zjk-trade-union-2024-budget.facts.csv", text)


def test_cli_csv_and_bad_file(reference_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    result = subprocess.run(
        [sys.executable, "-m", "yusuan", "parse", "--format", "csv", str(reference_path),
         str(tmp_path / "missing.md")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == "file,table,title,page,row,code,item,column,value,unit"
    assert len(result.stdout.splitlines()) == 197
    assert result.stderr.count("\n") == 1 and "missing.md" in result.stderr
    assert "文件不存在" in result.stderr


def test_not_a_disclosure() -> None:
    with pytest.raises(UnreadableError) as e:
        read_bytes("这是一段与预算无关的文字。\n".encode(), "note.md")
    assert "note.md" in str(e.value)
    with pytest.raises(UnreadableError):
        read_bytes(b"\xff\xfe\x00\x01binary", "x.md")
