"""The web app's security points, each with a test that fails when the point is lost:
escaping, upload bounds (size, pages, time), write authorisation, CSRF, cross-site API
writes, no file system paths from requests, spreadsheet formula neutralisation, headers."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_helpers import LOOPBACK, REMOTE, client, csrf


@pytest.fixture(scope="module")
def db_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("websec")


@pytest.fixture(scope="module")
def app_client(db_dir: Path) -> Iterator[Any]:
    with client(db_dir / "sec.duckdb") as c:
        yield c


def _pdf_of(corpus_dir: Path, at_least: int) -> Path:
    from yusuan.web.worker import pdf_pages

    for p in sorted(corpus_dir.glob("*.pdf")):
        n = pdf_pages(p.read_bytes())
        if n is not None and n >= at_least:
            return p
    pytest.fail(f"no corpus PDF with {at_least} pages")


def test_document_text_is_escaped(app_client: Any, reference_path: Path) -> None:
    text = reference_path.read_text(encoding="utf-8")
    payload = "<script>alert('x')</script>"
    assert "张家口市总工会" in text
    hostile = text.replace("张家口市总工会", "张家口市总工会" + payload)
    r = app_client.post("/api/documents", files={"file": ("hostile.md", hostile.encode())})
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    view = app_client.get(f"/documents/{doc_id}?format=json").json()
    shown = str(view)
    assert payload in shown  # the text is kept as text ...
    for url in (f"/documents/{doc_id}", "/", "/documents", "/departments", f"/documents/{doc_id}/report.html"):
        html = app_client.get(url).text
        assert payload not in html, url  # ... and never reaches a page as markup
    assert "&lt;script&gt;alert(" in app_client.get(f"/documents/{doc_id}").text


def test_pages_have_no_inline_scripts_and_no_external_assets(app_client: Any) -> None:
    for url in ("/", "/documents", "/departments", "/analysis", "/author", "/docs"):
        html = app_client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_security_headers(app_client: Any) -> None:
    for url in ("/", "/healthz", "/api/documents", "/nope"):
        h = app_client.get(url).headers
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        script_src = re.search(r"script-src ([^;]*)", csp)
        assert script_src and "unsafe-inline" not in script_src.group(1) and "unsafe-eval" not in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "same-origin"
        assert h["x-frame-options"] == "DENY"


def test_upload_size_is_bounded(db_dir: Path) -> None:
    with client(db_dir / "size.duckdb", max_upload_bytes=2000) as c:
        r = c.post("/api/documents", files={"file": ("big.md", b"# x\n" * 2000)})
        assert r.status_code == 413
        assert r.json()["ok"] is False and "上限" in r.json()["error"]
        assert c.get("/api/documents").json()["documents"] == []


def test_pdf_pages_are_bounded(db_dir: Path, corpus_dir: Path) -> None:
    pdf = _pdf_of(corpus_dir, 10)
    with client(db_dir / "pages.duckdb", max_pages=5) as c:
        r = c.post("/api/documents", files={"file": (pdf.name, pdf.read_bytes())})
        assert r.status_code == 422
        assert "超过上限 5 页" in r.json()["error"]


@pytest.mark.slow
def test_processing_is_time_limited_and_the_server_recovers(db_dir: Path, corpus_dir: Path,
                                                            reference_path: Path) -> None:
    pdf = _pdf_of(corpus_dir, 20)
    with client(db_dir / "time.duckdb", timeout=60) as c:
        ok = c.post("/api/documents", files={"file": ("warm.md", reference_path.read_bytes())})
        assert ok.status_code == 201  # the pool is warm
        c.app.state.worker.timeout = 0.01
        r = c.post("/api/documents", files={"file": (pdf.name, pdf.read_bytes())})
        assert r.status_code == 422
        assert "处理超过" in r.json()["error"]
        c.app.state.worker.timeout = 60
        again = c.post("/api/documents", files={"file": (pdf.name, pdf.read_bytes())})
        assert again.status_code == 201, again.text  # a fresh pool took over
        assert c.get("/healthz").json() == {"ok": True}


def test_writes_need_the_token_when_one_is_configured(db_dir: Path, reference_path: Path) -> None:
    data = reference_path.read_bytes()
    with client(db_dir / "tok.duckdb", client_addr=LOOPBACK, token="s3cret") as c:
        assert c.post("/api/documents", files={"file": ("a.md", data)}).status_code == 401
        r = c.post("/api/documents", files={"file": ("a.md", data)}, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
        r = c.post("/api/documents", files={"file": ("a.md", data)}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 201
        doc_id = r.json()["id"]
        assert c.delete(f"/api/documents/{doc_id}").status_code == 401
        assert c.get(f"/api/documents/{doc_id}").status_code == 200  # reading needs no token
        assert c.delete(f"/api/documents/{doc_id}", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get(f"/api/documents/{doc_id}").status_code == 404


def test_token_from_environment(db_dir: Path, reference_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_TOKEN", "from-env")
    with client(db_dir / "env.duckdb") as c:
        assert c.post("/api/documents", files={"file": ("a.md", reference_path.read_bytes())}).status_code == 401
        r = c.post("/api/documents", files={"file": ("a.md", reference_path.read_bytes())},
                   headers={"Authorization": "Bearer from-env"})
        assert r.status_code == 201


def test_without_token_only_loopback_may_write(db_dir: Path, reference_path: Path) -> None:
    with client(db_dir / "remote.duckdb", client_addr=REMOTE) as c:
        r = c.post("/api/documents", files={"file": ("a.md", reference_path.read_bytes())})
        assert r.status_code == 401
        assert r.json()["ok"] is False
        assert c.get("/healthz").status_code == 200


def test_forms_need_the_csrf_token(app_client: Any, reference_path: Path) -> None:
    data = reference_path.read_bytes()
    token = csrf(app_client)
    r = app_client.post("/upload", files={"file": ("a.md", data)}, follow_redirects=False)
    assert r.status_code == 403
    r = app_client.post("/upload", data={"csrf": "forged"}, files={"file": ("a.md", data)}, follow_redirects=False)
    assert r.status_code == 403
    r = app_client.post("/upload", data={"csrf": token}, files={"file": ("a.md", data)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/documents/")
    doc_id = r.headers["location"].rsplit("/", 1)[-1]
    r = app_client.post(f"/documents/{doc_id}/delete", follow_redirects=False)
    assert r.status_code == 403
    assert app_client.get(f"/api/documents/{doc_id}").status_code == 200
    # the form carries the cookie's value
    assert f'name="csrf" value="{token}"' in app_client.get("/").text


def test_cross_site_api_writes_are_refused(app_client: Any, reference_path: Path) -> None:
    files = {"file": ("a.md", reference_path.read_bytes())}
    r = app_client.post("/api/documents", files=files, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = app_client.post("/api/documents", files=files, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = app_client.post("/api/documents", files=files, headers={"Origin": "null"})
    assert r.status_code == 403
    r = app_client.post("/api/documents", files=files, headers={"Origin": "http://testserver"})
    assert r.status_code == 201
    r = app_client.post("/api/documents", files=files,
                        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 201


def test_no_request_path_reaches_the_file_system(app_client: Any) -> None:
    for url in ("/static/app.py", "/static/..%2Fapp.py", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
                "/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%2Fetc%2Fpasswd/facts.csv",
                "/documents/../../etc/passwd", "/api/documents/..%2f..%2fweb.duckdb/audit"):
        r = app_client.get(url)
        assert r.status_code == 404, url
        assert "root:" not in r.text and "[build-system]" not in r.text
    # an uploaded file's name is only a label
    r = app_client.post("/api/documents", files={"file": ("../../../tmp/evil.md", b"# nothing")})
    assert r.status_code == 422
    assert r.json()["error"].startswith("evil.md：")
    assert not Path("/tmp/evil.md").exists()


def test_spreadsheet_cells_are_neutralised() -> None:
    from openpyxl import load_workbook

    from yusuan.web.exports import facts_workbook
    from yusuan.web.security import neutralise

    facts = [{"file": "a.md", "table": "summary", "title": "=HYPERLINK(\"http://x\",\"点我\")", "page": 3,
              "row": "1", "code": None, "item": "+cmd|' /C calc'!A0", "column": "@SUM(A1)", "value": "-8.39",
              "unit": "万元"},
             {"file": "-x.md", "table": "summary", "title": "收支总表", "page": None, "row": None, "code": "201",
              "item": "一般公共服务支出", "column": "合计", "value": "1,234.50", "unit": "万元"}]
    ws = load_workbook(io.BytesIO(facts_workbook(facts))).active
    header, first, second = list(ws.iter_rows())
    cells = dict(zip([h.value for h in header], first, strict=True))
    for name in ("title", "item", "column"):
        assert cells[name].data_type != "f"
        assert str(cells[name].value).startswith("'")
    assert cells["value"].value == pytest.approx(-8.39)  # numbers stay numbers
    assert cells["page"].value == 3
    assert str(dict(zip([h.value for h in header], second, strict=True))["file"].value) == "'-x.md"
    assert neutralise("一般") == "一般" and neutralise(12) == 12
