"""The PDF and the HTML as a reader sees them: pages exist, the CJK fonts are embedded,
nothing runs off the page. PNG snapshots are regenerated into a temporary folder (the
checked-in ones in tests/artifacts/ were looked at by hand)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from yusuan.render import render
from yusuan.render.budget import load_budget

ROOT = Path(__file__).resolve().parent.parent
ZJK = ROOT / "examples" / "zjk-trade-union-2024.yaml"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "zjk.pdf"
    path.write_bytes(render(load_budget(ZJK), "pdf"))
    return path


def test_pdf_pages_fonts_and_no_overflow(pdf_file: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf_file) as pdf:
        assert len(pdf.pages) >= 12
        landscape = [p for p in pdf.pages if p.width > p.height]
        assert landscape, "wide tables are on landscape pages"
        for page in pdf.pages:
            for ch in page.chars:
                assert ch["x0"] >= 0 and ch["x1"] <= page.width + 0.5, f"text off page {page.page_number}"
            for rect in page.rects:
                assert rect["x1"] <= page.width + 0.5, f"table wider than page {page.page_number}"
        text = "".join(p.extract_text() or "" for p in pdf.pages[:2])
        assert "部门预算收支总表" in text  # the TOC
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(pdf_file)], capture_output=True, text=True, check=True).stdout
        fonts = [line for line in out.splitlines()[2:] if line.strip()]
        assert fonts and all(" yes " in line for line in fonts)
        assert any("CJK" in line for line in fonts)


def test_pdf_toc_has_page_numbers(pdf_file: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf_file) as pdf:
        toc = pdf.pages[1].extract_text() or ""
        n = len(pdf.pages)
    lines = [line for line in toc.splitlines() if "部门预算收入总表" in line]
    assert lines and lines[0].split()[-1].isdigit() and 2 < int(lines[0].split()[-1]) <= n


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pdf_snapshots(pdf_file: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "4", str(pdf_file), str(tmp_path / "p")],
                   check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 4 and all(p.stat().st_size > 2000 for p in pngs)


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Chromium not installed")
def test_html_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "zjk.html"
    page.write_bytes(render(load_budget(ZJK), "html"))
    shot = tmp_path / "zjk.png"
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1100,1400", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.stat().st_size > 10000
