"""Shared fixtures. The real documents are read in place from ../shared (override with
YUSUAN_SHARED, or YUSUAN_CORPUS for the corpus folder alone); they are never copied here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("YUSUAN_SHARED", ROOT.parent / "shared"))
CORPUS = Path(os.environ.get("YUSUAN_CORPUS", SHARED / "corpus"))
REFERENCE = SHARED / "samples" / "zjk-trade-union-2024-budget.md"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared material not found at {SHARED}; set YUSUAN_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"corpus not found at {CORPUS}; set YUSUAN_CORPUS")
    return CORPUS


@pytest.fixture(scope="session")
def reference_path() -> Path:
    if not REFERENCE.is_file():
        pytest.fail(f"reference document not found at {REFERENCE}")
    return REFERENCE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files from the current output (check them by hand!)")


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``golden(name, text)``: compare ``text`` with tests/golden/NAME, or rewrite it with
    --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update or not path.exists():
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {name} was missing and has been written; check it by hand")
        assert text == path.read_text(encoding="utf-8"), f"output differs from golden {name}"

    return check
