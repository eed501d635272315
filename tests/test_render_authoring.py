"""Authoring: the budget input, its validation with places, the workbook, the derivation
against the reference document, and the commands."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from yusuan.cli import cli
from yusuan.parse import read
from yusuan.render import render, validate
from yusuan.render.budget import InvalidBudget, load_budget
from yusuan.render.derive import convert, derive
from yusuan.render.workbook import budget_to_workbook, read_workbook, write_template

ROOT = Path(__file__).resolve().parent.parent
ZJK = ROOT / "examples" / "zjk-trade-union-2024.yaml"
SH = ROOT / "examples" / "shanghai-example.yaml"


def amounts(doc: Any) -> dict[tuple[Any, ...], Decimal]:
    return {
        (t.id, t.project.name if t.project else "", r.side, r.code, r.label, c.column): c.value
        for t in doc.tables for r in t.rows for c in r.cells if c.value is not None
    }


def test_reference_budget_reproduces_every_table_cell(reference_path: Path) -> None:
    derived = amounts(derive(load_budget(ZJK)))
    published = amounts(read(reference_path))
    assert len(published) == 196
    assert derived == published


def test_rounding_of_yuan_reproduces_the_published_basic_total() -> None:
    t = derive(load_budget(ZJK)).table("general_basic_expenditure")
    assert t is not None
    by = {r.code: r.amount("一般公共预算基本支出/合计") for r in t.rows}
    assert by[None] == Decimal("682.75")
    assert by["301"] + by["303"] == Decimal("682.76")  # as published: a real rounding difference
    assert convert(Decimal("2957350"), "元", "万元") == Decimal("295.74")


def test_change_sentence_has_direction_and_percent() -> None:
    doc = derive(load_budget(ZJK))
    text = doc.narrative_text
    assert "较2023年预算减少8.39万元，下降1.06%" in text
    assert "基本支出682.75万元，较上年减少10.58万元，下降1.53%" in text
    assert "项目支出100.82万元，较上年增加2.19万元，增长2.22%" in text


def test_shanghai_example_matches_the_published_tables() -> None:
    doc = derive(load_budget(SH))
    exp = doc.table("expenditure")
    assert exp is not None and exp.unit == "元" and exp.title == "2025年部门支出预算总表"
    total = exp.total_row()
    assert total is not None and total.cell("支出预算/基本支出") is not None
    assert total.amount("支出预算/合计") == Decimal("31214205.80")
    assert total.cell("支出预算/基本支出").text == "25,121,091.00"  # type: ignore[union-attr]
    three = doc.table("three_public")
    assert three is not None and three.unit == "万元"
    assert three.rows[0].amount("机关运行经费预算数") == Decimal("229.43")
    md = render(doc, "md").decode()
    assert "| 201 06 01 | 行政运行 |" in md
    assert md.index("四、部门预算编制说明") < md.index("2025年部门财务收支预算总表")


def test_all_errors_reported_with_their_yaml_place() -> None:
    data = yaml.safe_load(ZJK.read_text(encoding="utf-8"))
    data["lines"][1]["code"] = "20129"
    data["lines"][2]["fund"] = "乱填"
    data["economic"][0]["personnel"] = 1
    errors = validate(data)
    places = [e.place for e in errors]
    assert "lines[1].code" in places and "lines[2].fund" in places
    assert len(errors) == 2  # both schema problems at once
    # past the schema: the arithmetic and consistency checks, again all at once
    data["lines"][2]["fund"] = "一般公共预算"
    data["lines"][1]["code"] = data["lines"][2]["code"]
    errors = validate(data)
    assert [e.place for e in errors] == ["lines[2].code", "economic"]
    assert "重复" in errors[0].message and "不一致" in errors[1].message


def test_invalid_file_gives_chinese_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidBudget) as e:
        load_budget(bad)
    assert "YAML 格式错误" in str(e.value) and "bad.yaml" in str(e.value)


def test_workbook_round_trip_and_cell_places(tmp_path: Path) -> None:
    data = yaml.safe_load(ZJK.read_text(encoding="utf-8"))
    path = tmp_path / "budget.xlsx"
    path.write_bytes(budget_to_workbook(data))
    assert amounts(derive(read_workbook(path))) == amounts(derive(load_budget(ZJK)))
    data["lines"][0]["code"] = "20129"
    data["economic"][0]["personnel"] = "abc"
    path.write_bytes(budget_to_workbook(data))
    with pytest.raises(InvalidBudget) as e:
        read_workbook(path)
    places = [x.place for x in e.value.errors]
    assert "基本支出经济分类!C3" in places


def test_template_has_drop_downs() -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(write_template(2024, "hebei")))
    assert {"填报说明", "基本信息", "支出明细", "基本支出经济分类", "项目", "绩效指标"} <= set(wb.sheetnames)
    dvs = wb["支出明细"].data_validations.dataValidation
    formulas = {d.formula1 for d in dvs}
    assert any(f and f.startswith("=代码表!") for f in formulas)
    codes = [c.value for c in wb["代码表"]["A"]][1:]
    assert "2012906" in [str(x) for x in wb["代码表"][f"{'L'}"] if x is not None] or codes


def test_xlsx_values_not_formulas() -> None:
    from openpyxl import load_workbook

    data = yaml.safe_load(ZJK.read_text(encoding="utf-8"))
    data["units"][0]["name"] = "=HYPERLINK(\"x\")"
    from yusuan.render.budget import from_data

    wb = load_workbook(io.BytesIO(render(from_data(data), "xlsx")))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"


def test_render_command(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["render", str(ZJK), "--to", "md,html,xlsx,docx", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".html", ".md", ".xlsx"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2024\n", encoding="utf-8")
    r = runner.invoke(cli, ["render", str(bad), str(ZJK), "--to", "md", "-o", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "缺少必填项" in r.output and (tmp_path / "o" / "zjk-trade-union-2024.md").is_file()


def test_template_command(tmp_path: Path) -> None:
    out = tmp_path / "budget.xlsx"
    r = CliRunner().invoke(cli, ["template", str(out), "--year", "2025"])
    assert r.exit_code == 0, r.output
    from yusuan.render.workbook import is_budget_workbook

    assert is_budget_workbook(out)
