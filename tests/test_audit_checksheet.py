"""The check sheet (``yusuan audit --format checksheet``, CLI-CONTRACT.md) and timeliness
(``--approved``/``--published``): the workbook is opened and its rows read back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from auditkit import doc, table
from yusuan.audit.checksheet import HEADER, SUMMARY_HEADER, Entry, workbook
from yusuan.audit.report import json_object
from yusuan.cli import cli


def _rows(path_or_bytes: Path | bytes) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = load_workbook(src)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_checksheet_of_the_reference(reference_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "检查表.xlsx"
    r = CliRunner().invoke(cli, ["audit", "--format", "checksheet", "-o", str(out), str(reference_path)])
    assert r.exit_code == 1, r.output  # the reference has one error (narrative-year)
    sheets = _rows(out)
    assert list(sheets) == ["汇总", "张家口市总工会"]
    assert sheets["汇总"][0] == SUMMARY_HEADER
    assert sheets["汇总"][1] == (str(reference_path), "张家口市总工会", 2024, "预算", "部门", 1, 4, "否")
    rows = sheets["张家口市总工会"]
    assert rows[0] == HEADER
    names = [r[0] for r in rows[1:]]
    # publication order: cover, the nine tables as printed, then the explanations
    assert names[0] == "封面"
    assert names.index("收支总表") < names.index("财政拨款“三公”经费支出表") < names.index("十、名词解释")
    by = {r[0]: r for r in rows[1:]}
    year = by["三、机关运行经费安排情况"]
    assert year[1] == "否" and "以 2023 年陈述本年预算安排" in year[2]
    basic = by["一般公共预算财政拨款基本支出表"]
    assert basic[1] == "否" and basic[2].count("\n") == 1 and "682.76" in basic[2]  # two rounding warnings
    assert by["政府性基金预算财政拨款支出表"][1] == "否"
    assert by["五、部门整体绩效目标"][1] == "否"  # 救助率 100%以上 (warning)
    assert by["收支总表"] == ("收支总表", "是", None, None)
    assert by["十、名词解释"][1] == "是"
    # info findings (parse notes, indicator-value) do not make a part 否
    assert by["收入总表"][1] == "是"
    assert sum(1 for r in rows[1:] if r[1] == "否") == 4


def test_checksheet_batch_with_missing_parts_and_unreadable(reference_path: Path, tmp_path: Path) -> None:
    text = reference_path.read_text("utf-8")
    # drop the 基本支出表 and the 名词解释: a missing table and a missing explanation
    start = text.rindex("部门预算一般公共预算财政拨款基本支出表")  # after the contents
    end = text.rindex("部门预算政府性基金预算财政拨款支出表")
    cut = text[:start] + text[end:]
    cut = cut[:cut.rindex("十、名词解释")] + cut[cut.rindex("十一、其他需要说明的事项"):]
    mutated = tmp_path / "缺表.md"
    mutated.write_text(cut, encoding="utf-8")
    bad = tmp_path / "坏文件.md"
    bad.write_bytes(b"")
    out = tmp_path / "batch.xlsx"
    r = CliRunner().invoke(cli, ["audit", "--format", "checksheet", "-o", str(out),
                                 str(reference_path), str(mutated), str(bad)])
    assert r.exit_code == 2  # one file could not be read; the others are in the workbook
    sheets = _rows(out)
    assert len(sheets) == 4 and [r[0] for r in sheets["汇总"][1:]] == [str(reference_path), str(mutated), str(bad)]
    assert sheets["汇总"][3][-1] == "否"
    second = sheets[list(sheets)[2]]
    missing = [r for r in second[1:] if r[0].endswith("（缺失）")]
    assert missing[0][:2] == ("一般公共预算财政拨款基本支出表（缺失）", "否")
    assert "缺少必须公开的表格" in missing[0][2]
    assert any(r[0] == "名词解释（缺失）" and r[1] == "否" and "名词解释" in r[2] for r in missing)
    unreadable = sheets[list(sheets)[3]]
    assert unreadable[1][0] == "读取文件" and unreadable[1][1] == "否" and "无法读取" in unreadable[1][2]


def test_checksheet_needs_an_output_file(reference_path: Path) -> None:
    r = CliRunner().invoke(cli, ["audit", "--format", "checksheet", str(reference_path)])
    assert r.exit_code == 2 and "-o" in r.stderr


def test_document_text_is_never_a_formula() -> None:
    t = table("expenditure", ["合计", "基本支出", "项目支出"], [
        ("1", None, "合计", "10.00", "6.00", "4.00"),
        ("2", "201", "一般公共服务支出", "10.00", "6.00", "5.00"),
    ])
    d = doc(t, sections=[("=HYPERLINK(\"http://x\",\"点击\")", ["2024年支出10.00万元。"])])
    from yusuan.audit import audit

    findings = audit(d)
    data = workbook([Entry(json_object("=cmd|' /C calc'!A0", d, findings), d)])
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith("=")]
    assert len(risky) >= 2  # the file name and the heading
    assert all(c.data_type == "s" for c in risky)
    rows = _rows(data)
    sheet = rows[list(rows)[1]]
    assert any(r[0] == "支出总表" and r[1] == "否" and "10.00" in r[2] for r in sheet[1:])


def test_timeliness(reference_path: Path, tmp_path: Path) -> None:
    late = CliRunner().invoke(cli, ["audit", "--format", "json", "--select", "timeliness",
                                    "--approved", "2024-01-10", "--published", "2024-02-05",
                                    str(reference_path)])
    import json

    obj = json.loads(late.stdout)
    assert late.exit_code == 1
    assert [(f["rule"], f["severity"], f["actual"]) for f in obj["findings"]] == [("timeliness", "error", "26日")]
    assert "超过批复后 20 日内公开" in obj["findings"][0]["message"]
    ok = CliRunner().invoke(cli, ["audit", "--format", "json", "--select", "timeliness",
                                  "--approved", "2024-01-10", "--published", "2024-01-30",
                                  str(reference_path)])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["findings"] == []  # day 20 is in time
    wrong = CliRunner().invoke(cli, ["audit", "--select", "timeliness", "--approved", "2024-13-01",
                                     "--published", "2024-01-30", str(reference_path)])
    assert wrong.exit_code == 2 and "--approved" in wrong.stderr
    alone = CliRunner().invoke(cli, ["audit", "--published", "2024-01-30", str(reference_path)])
    assert alone.exit_code == 2 and "--approved" in alone.stderr
    out = tmp_path / "t.xlsx"
    CliRunner().invoke(cli, ["audit", "--format", "checksheet", "-o", str(out), "--approved", "2024-01-10",
                             "--published", "2024-02-05", str(reference_path)])
    sheet = _rows(out)["张家口市总工会"]
    assert sheet[1][0] == "及时公开" and sheet[1][1] == "否" and "相隔 26 日" in sheet[1][2]
    assert _rows(out)["汇总"][1][5] == 2  # the late publication counts as an error


def test_web_checksheet_is_the_command_line_sheet(reference_path: Path, tmp_path: Path) -> None:
    from web_helpers import client

    out = tmp_path / "cli.xlsx"
    CliRunner().invoke(cli, ["audit", "--format", "checksheet", "-o", str(out), str(reference_path)])
    with client(tmp_path / "w.duckdb") as c:
        r = c.post("/api/documents", files={"file": (reference_path.name, reference_path.read_bytes())})
        assert r.status_code == 201
        doc_id = r.json()["id"]
        got = c.get(f"/api/documents/{doc_id}/checksheet.xlsx")
        assert got.status_code == 200
        assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert c.get("/api/documents/nope/checksheet.xlsx").status_code == 404
    web, cli_rows = _rows(got.content), _rows(out)
    assert web["张家口市总工会"] == cli_rows["张家口市总工会"]
    assert web["汇总"][1][1:] == cli_rows["汇总"][1][1:]  # the file column names the upload
