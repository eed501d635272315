"""Authoring and rendering: budget input → ``Disclosure`` → HTML, PDF, XLSX, DOCX, Markdown.

The plain API (libraries are imported lazily, so importing this package is cheap)::

    budget = load_budget("examples/zjk-trade-union-2024.yaml")   # YAML, JSON or .xlsx
    errors = validate(data_or_budget)                           # [BudgetError(place, message)]
    doc = derive(budget, "hebei")                               # model.Disclosure
    data = render(doc_or_budget, "pdf", "hebei")                # bytes
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Imported first on purpose: the submodule ``derive`` would otherwise replace the function
# ``derive`` below as an attribute of this package the first time it is imported.
from yusuan.render import derive as _derive_module

if TYPE_CHECKING:
    from yusuan.model import Disclosure
    from yusuan.render.budget import Budget, BudgetError
    from yusuan.render.profiles import Profile

#: output format → writer module in yusuan.render
WRITERS: dict[str, str] = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "docx": "docx", "md": "markdown"}
FORMATS: tuple[str, ...] = tuple(WRITERS)
EXTENSIONS: dict[str, str] = {"html": ".html", "pdf": ".pdf", "xlsx": ".xlsx", "docx": ".docx", "md": ".md"}

__all__ = ["FORMATS", "derive", "load_budget", "render", "validate"]


def load_budget(path: Any) -> Budget:
    """Read a budget input (YAML, JSON or the Excel workbook); raises ``InvalidBudget``
    listing every problem with its place."""
    from yusuan.render.budget import load_budget as _load

    return _load(path)


def validate(data: Any, source: str = "budget") -> list[BudgetError]:
    """Every problem of a budget input (a mapping as loaded from YAML/JSON, or a Budget)."""
    from yusuan.render.budget import validate as _validate

    return _validate(data, source)


def derive(budget: Budget, profile: str | Profile | None = None) -> Disclosure:
    """The disclosure with all tables and explanations computed from ``budget``."""
    return _derive_module.derive(budget, profile)


def render(obj: Disclosure | Budget, fmt: str, profile: str | Profile | None = None) -> bytes:
    """``obj`` (a Disclosure, or a Budget which is derived first) written in ``fmt``
    (html, pdf, xlsx, docx, md)."""
    from yusuan.render.budget import Budget as _Budget

    if fmt not in WRITERS:
        raise ValueError(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}。")
    doc = derive(obj, profile) if isinstance(obj, _Budget) else obj
    module = importlib.import_module(f"yusuan.render.{WRITERS[fmt]}")
    data: bytes = module.render(doc, profile)
    return data
