"""Browser tests: the real server (``yusuan serve`` in a subprocess on a free loopback port)
driven by the system's Chromium through Playwright. Screenshots go to test-artifacts/."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "b.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "yusuan", "serve", "--port", str(port), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _page(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    return page


def test_upload_see_findings_click_one_see_its_cell(server: str, browser: Any, reference_path: Path) -> None:
    page = _page(browser)
    page.goto(server + "/")
    page.set_input_files("#file-input", str(reference_path))
    page.click("#upload-button")
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text().startswith("张家口市总工会 2024")
    findings = page.locator("li.finding")
    assert findings.count() > 0
    page.screenshot(path=str(ARTIFACTS / "web-document.png"))

    doc_url = page.url.split("?")[0]
    view = page.request.get(doc_url + "?format=json").json()
    target = next(f for f in view["findings"] if f["located"])
    page.click(f"#f{target['index']} a.finding-link")
    page.wait_for_url(f"**finding={target['index']}*")
    cell = page.locator("td.selected").first
    cell.wait_for(state="visible")
    assert cell.inner_text().replace(",", "") in {c["value"] for c in target["cells"]}
    outline = cell.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    assert page.locator("li.finding.current").count() == 1
    cell.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "web-finding-cell.png"))
    assert not page.errors, page.errors


def test_pdf_finding_on_its_page(server: str, browser: Any, corpus_dir: Path) -> None:
    # 万里街道 2025 prints a class total one yuan off its parts (docs/parsing.md): a located finding
    pdf = corpus_dir / "上海市普陀区人民政府万里街道办事处25年预算.pdf"
    page = _page(browser)
    page.goto(server + "/")
    page.set_input_files("#file-input", str(pdf))
    page.click("#upload-button")
    page.wait_for_url("**/documents/*", timeout=60000)
    view = page.request.get(page.url + "?format=json").json()
    located = [f for f in view["findings"] if f["located"]]
    assert located, "the genuine hierarchy-sum difference of this PDF is located on its page"
    page.click(f"#f{located[0]['index']} a.finding-link")
    page.wait_for_url("**finding=*")
    img = page.locator(".pdfpage img").first
    img.wait_for(state="visible")
    assert img.evaluate("e => e.complete && e.naturalWidth > 100")
    assert page.locator(".pdfpage rect.box").count() >= 1
    page.locator(".pdfpage").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "web-pdf-page.png"))


def test_author_from_example_and_download_pdf(server: str, browser: Any) -> None:
    page = _page(browser)
    page.goto(server + "/author")
    example = ROOT / "examples" / "zjk-trade-union-2024.yaml"
    workbook = ROOT / "examples" / "zjk-trade-union-2024.xlsx"
    page.set_input_files("#budget-input", str(workbook if workbook.exists() else example))
    page.click("#author-button")
    page.wait_for_url("**/author/*")
    assert "预览" in page.locator("h1").inner_text()
    assert page.locator("table.printed").count() >= 9
    page.screenshot(path=str(ARTIFACTS / "web-author-preview.png"))
    with page.expect_download(timeout=120000) as info:
        page.click("#dl-pdf")
    path = info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    (ARTIFACTS / "web-authored.pdf").write_bytes(data)


def test_charts_draw(server: str, browser: Any) -> None:
    page = _page(browser)
    page.goto(server + "/analysis")
    page.locator("#chart-treemap .main-svg").first.wait_for(state="attached", timeout=30000)
    assert page.locator("#chart-basic_project .main-svg").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "web-analysis.png"), full_page=True)
    assert not [e for e in page.errors if "Content Security Policy" in e and "script" in e]
