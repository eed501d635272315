"""The audit: rules over the disclosure model that return findings, never raise.

``audit(doc)`` runs every registered rule (see ``yusuan rules`` and docs/rules.md) and
returns the findings in document order; ``select``/``ignore`` take rule ids, family names
or prefixes (``parse-``), like ruff.
"""

from __future__ import annotations

from collections.abc import Iterable

from yusuan.audit.finding import CellRef, Finding, Severity
from yusuan.model import Disclosure

__all__ = ["CellRef", "Finding", "Severity", "audit", "summary"]


def audit(
    doc: Disclosure,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> tuple[Finding, ...]:
    """The findings of the enabled rules on ``doc``, in document order."""
    from yusuan.audit.engine import run

    return run(doc, select, ignore)


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts by severity: ``{"error": n, "warning": n, "info": n}``."""
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] += 1
    return out
