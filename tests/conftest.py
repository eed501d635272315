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
