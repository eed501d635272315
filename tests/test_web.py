"""The web app over a real store: the contract API, the pages and their JSON twins, the
downloads, the highlighted cells of a finding, browsing, analysis and authoring."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_helpers import client, csrf

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with client(tmp_path_factory.mktemp("web") / "web.duckdb") as c:
        yield c


@pytest.fixture(scope="module")
def ref_id(app_client: Any, reference_path: Path) -> str:
    r = app_client.post("/api/documents", files={"file": (reference_path.name, reference_path.read_bytes())})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_healthz(app_client: Any) -> None:
    r = app_client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"ok": True}


def test_upload_answers_the_contract(app_client: Any, reference_path: Path, ref_id: str) -> None:
    from yusuan.audit import audit
    from yusuan.parse import read

    r = app_client.post("/api/documents", files={"file": (reference_path.name, reference_path.read_bytes())})
    assert r.status_code == 201
    body = r.json()
    assert body["id"] == ref_id  # same content, same id: nothing stored twice
    assert body["document"] == {"department": "张家口市总工会", "year": 2024, "kind": "预算", "scope": "部门"}
    found = audit(read(reference_path))
    expected = {s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")}
    assert body["summary"] == expected


def test_audit_json_is_the_command_line_object(app_client: Any, reference_path: Path, ref_id: str) -> None:
    from yusuan.audit import audit
    from yusuan.parse import read

    obj = app_client.get(f"/api/documents/{ref_id}/audit").json()
    assert set(obj) >= {"file", "document", "findings", "summary"}
    assert obj["file"] == reference_path.name
    found = audit(read(reference_path))
    assert [f["rule"] for f in obj["findings"]] == [f.rule for f in found]
    assert [f["message"] for f in obj["findings"]] == [f.message for f in found]
    for f in obj["findings"]:
        assert set(f) == {"rule", "severity", "message", "tables", "section", "cells", "expected", "actual"}


def test_facts_csv_is_the_parse_csv(app_client: Any, reference_path: Path, ref_id: str) -> None:
    from yusuan.parse import read
    from yusuan.parse.facts import facts, write_csv

    got = app_client.get(f"/api/documents/{ref_id}/facts.csv").text
    want = write_csv(facts(read(reference_path), file=reference_path.name))
    assert got.splitlines()[0] == "file,table,title,page,row,code,item,column,value,unit"
    assert got == want


def test_unreadable_upload_gives_one_chinese_sentence(app_client: Any) -> None:
    r = app_client.post("/api/documents", files={"file": ("notes.txt", "今天天气很好。".encode())})
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False
    assert body["error"].startswith("notes.txt：")
    assert "Traceback" not in body["error"] and "\n" not in body["error"]
    r = app_client.post("/api/documents", files={"file": ("broken.pdf", b"%PDF-1.4 not really")})
    assert r.status_code == 422
    assert r.json()["error"].startswith("broken.pdf：")


def test_document_page_groups_findings_and_highlights_cells(app_client: Any, ref_id: str) -> None:
    view = app_client.get(f"/documents/{ref_id}?format=json").json()
    audit = app_client.get(f"/api/documents/{ref_id}/audit").json()
    assert len(view["findings"]) == len(audit["findings"])
    grouped = [f["index"] for g in view["groups"] for s in g["severities"] for f in s["findings"]]
    assert sorted(grouped) == list(range(len(audit["findings"])))
    with_cells = [f for f in view["findings"] if f["cells"] and f["cells"][0]["table"] != "narrative"]
    assert with_cells, "the reference document has findings about table cells"
    f = with_cells[0]
    assert f["located"]
    html = app_client.get(f"/documents/{ref_id}?finding={f['index']}").text
    selected = re.findall(r'<td id="(c-[\d]+-[\d]+-[\dr]+)" class="[^"]*selected[^"]*"[^>]*>([^<]*)</td>', html)
    assert selected, "the finding's cells are highlighted"
    refs = {(c["table"], c["row"], c["code"], c["item"], c["column"]) for c in f["cells"]}
    assert len({anchor for anchor, _ in selected}) == len(refs)
    values = {text for _, text in selected}
    assert {c["value"] for c in f["cells"]} <= {v.replace(",", "") for v in values}
    # the finding list links to the selection; each group names its table in Chinese
    assert f'href="/documents/{ref_id}?finding={f["index"]}#sel"' in html
    assert "审核发现" in html


def test_every_page_has_a_json_twin(app_client: Any, ref_id: str) -> None:
    for url in ("/", "/documents", f"/documents/{ref_id}", "/departments",
                "/departments/%E5%BC%A0%E5%AE%B6%E5%8F%A3%E5%B8%82%E6%80%BB%E5%B7%A5%E4%BC%9A",
                "/analysis", "/author", "/docs"):
        html = app_client.get(url)
        assert html.status_code == 200, url
        assert html.headers["content-type"].startswith("text/html")
        twin = app_client.get(url, params={"format": "json"})
        assert twin.status_code == 200, url
        assert twin.headers["content-type"].startswith("application/json")
        assert isinstance(twin.json(), dict)


def test_downloads(app_client: Any, reference_path: Path, ref_id: str) -> None:
    from openpyxl import load_workbook

    report = app_client.get(f"/documents/{ref_id}/report.json")
    assert report.json() == app_client.get(f"/api/documents/{ref_id}/audit").json()
    assert "attachment" in report.headers["content-disposition"]
    html = app_client.get(f"/documents/{ref_id}/report.html").text
    assert "审核报告" in html and "张家口市总工会" in html
    xlsx = app_client.get(f"/documents/{ref_id}/facts.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    facts = list(csv.DictReader(io.StringIO(app_client.get(f"/documents/{ref_id}/facts.csv").text)))
    assert list(rows[0]) == ["file", "table", "title", "page", "row", "code", "item", "column", "value", "unit"]
    assert len(rows) - 1 == len(facts)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert str(first["value"]) == str(type(first["value"])(facts[0]["value"]))
    assert first["item"] == facts[0]["item"]


def test_browse_departments_and_history(app_client: Any, ref_id: str) -> None:
    deps = app_client.get("/departments?format=json").json()["departments"]
    assert any(d["department"] == "张家口市总工会" and 2024 in d["years"] for d in deps)
    hist = app_client.get("/departments/张家口市总工会?format=json").json()
    assert [d["id"] for d in hist["documents"]] == [ref_id]
    assert hist["history"][0]["year"] == 2024
    assert app_client.get("/departments/不存在的部门").status_code == 404
    listing = app_client.get("/documents?year=2024&format=json").json()["documents"]
    assert ref_id in [d["id"] for d in listing]


def test_analysis_charts(app_client: Any, ref_id: str) -> None:
    data = app_client.get("/analysis?format=json").json()
    charts = data["charts"]
    assert set(charts) == {"treemap", "basic_project", "three_public", "compare"}
    tm = charts["treemap"]["data"][0]
    assert tm["type"] == "treemap" and tm["labels"]
    html = app_client.get("/analysis").text
    assert '<script src="/static/plotly.min.js"' in html
    js = app_client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000


def test_openapi_and_local_docs(app_client: Any) -> None:
    spec = app_client.get("/openapi.json").json()
    assert "/api/documents" in spec["paths"]
    docs = app_client.get("/docs").text
    assert "/api/documents/{doc_id}/audit" in docs
    assert "cdn" not in docs.lower()


def test_author_from_example_and_download(app_client: Any) -> None:
    token = csrf(app_client)
    example = ROOT / "examples" / "zjk-trade-union-2024.yaml"
    r = app_client.post("/author", data={"csrf": token}, files={"file": (example.name, example.read_bytes())},
                        follow_redirects=False)
    assert r.status_code == 303
    preview = r.headers["location"]
    view = app_client.get(preview, params={"format": "json"}).json()
    assert view["document"]["department"] == "张家口市总工会"
    assert {t["id"] for t in view["tables"]} >= {"summary", "expenditure", "three_public"}
    pdf = app_client.get(f"{preview}/download.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    md = app_client.get(f"{preview}/download.md")
    assert "张家口市总工会" in md.content.decode("utf-8")


def test_author_reports_errors_by_place(app_client: Any) -> None:
    token = csrf(app_client)
    r = app_client.post("/author", data={"csrf": token},
                        files={"file": ("bad.yaml", b"department: 1\nlines: [1]\n")},
                        headers={"accept": "application/json"}, params={"format": "json"})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert {"place": "department", "message": "类型不对（应为一组字段）"} in errors
    assert any(e["place"] == "lines[0]" for e in errors)


def test_fast_model_decoder_equals_the_model_serializer(reference_path: Path) -> None:
    from yusuan.model.serialize import from_json, to_json
    from yusuan.parse import read
    from yusuan.web.modelcache import decode

    text = to_json(read(reference_path), indent=None)
    assert decode(text) == from_json(text)
