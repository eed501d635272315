"""``yusuan audit`` and ``yusuan rules`` as the contract says: formats, exit status, an
unreadable file in a batch; the reports; docs/rules.md generated from the registry."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from auditkit import doc, table
from yusuan.audit import audit
from yusuan.audit.docs import catalogue
from yusuan.audit.report import json_object, to_html, to_text
from yusuan.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_rule_catalogue_is_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == catalogue(), \
        "docs/rules.md is stale: python -m yusuan.audit.docs > docs/rules.md"


def test_audit_json_batch_with_unreadable_file(reference_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"")
    r = CliRunner().invoke(cli, ["audit", "--format", "json", str(reference_path), str(bad)])
    assert r.exit_code == 2
    objs = json.loads(r.stdout)
    assert [o["file"] for o in objs] == [str(reference_path), str(bad)]
    ok, err = objs
    assert set(ok) == {"file", "document", "findings", "summary"}
    assert ok["document"] == {"department": "张家口市总工会", "year": 2024, "kind": "预算", "scope": "部门"}
    assert ok["summary"] == {"error": 1, "warning": 4, "info": 3}
    f = ok["findings"][0]
    assert set(f) == {"rule", "severity", "message", "tables", "section", "cells", "expected", "actual"}
    for f in ok["findings"]:
        for c in f["cells"]:
            assert set(c) == {"table", "page", "row", "code", "item", "column", "value"}
    assert err["findings"] == [] and err["error"] and "error" not in ok


def test_audit_exit_status_and_select(reference_path: Path) -> None:
    run = CliRunner().invoke
    assert run(cli, ["audit", str(reference_path)]).exit_code == 1
    r = run(cli, ["audit", "--ignore", "narrative-year", str(reference_path)])
    assert r.exit_code == 0 and "narrative-year" not in r.stdout
    r = run(cli, ["audit", "--select", "arithmetic", str(reference_path)])
    assert r.exit_code == 0 and "hierarchy-sum" in r.stdout and "narrative-rate" not in r.stdout
    assert run(cli, ["audit", "--select", "no-such-rule", str(reference_path)]).exit_code == 2


def test_text_report_lines(reference_path: Path) -> None:
    r = CliRunner().invoke(cli, ["audit", str(reference_path)])
    lines = [ln for ln in r.stdout.splitlines() if "  error  " in ln]
    assert lines == [f"{reference_path}:-:426  error  narrative-year  " + lines[0].split("narrative-year  ")[1]]
    assert "== 部门预算一般公共预算财政拨款基本支出表（general_basic_expenditure）" in r.stdout


def test_rules_command() -> None:
    r = CliRunner().invoke(cli, ["rules"])
    assert r.exit_code == 0 and "row-total" in r.stdout and "narrative-year" in r.stdout
    r = CliRunner().invoke(cli, ["rules", "--format", "json"])
    ids = [x["id"] for x in json.loads(r.stdout)]
    assert "cross-table" in ids and len(ids) == len(set(ids))


def test_html_highlights_cells_and_escapes() -> None:
    t = table("expenditure", ["合计", "基本支出", "项目支出"], [
        ("1", None, "合计", "11.00", "6.00", "4.00"),
        ("2", "201", "<script>x</script>", "10.00", "6.00", "4.00")])
    d = doc(t)
    fs = audit(d, select=["row-total"])
    page = to_html("a<b>.md", d, fs)
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'class="hl-error"' in page and 'href="#m1"' in page and 'id="m1"' in page
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched
    text = to_text("a.md", d, fs)
    assert "a.md:-:" in text and "row-total" in text
    obj = json_object("a.md", d, fs)
    assert obj["summary"]["error"] == 1 and obj["findings"][0]["expected"] == "10.00"
