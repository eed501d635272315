"""Running the rules: selection (``--select``/``--ignore`` by rule id, family or
prefix), a crashing rule turned into a ``rule-crashed`` finding, and the readers' parse
notes turned into ``parse-<code>`` findings."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import lru_cache

from yusuan.audit.common import clear_caches
from yusuan.audit.finding import CellRef, Finding, sort_key
from yusuan.audit.registry import RULES, declare, matches
from yusuan.audit.text import forget
from yusuan.model import Disclosure, ParseNote

#: Modules that register rules, in the order their rules run and are documented.
RULE_MODULES = (
    "yusuan.audit.identities",
    "yusuan.audit.narrative",
    "yusuan.audit.classification",
    "yusuan.audit.completeness",
    "yusuan.audit.performance",
    "yusuan.audit.hygiene",
    "yusuan.audit.reviewer", "yusuan.audit.timeliness",  # issue 12: reviewers' checks
)


@lru_cache(maxsize=1)
def load_rules() -> None:
    """Import every rule module once (registration happens at import)."""
    for m in RULE_MODULES:
        importlib.import_module(m)
    declare("rule-crashed", severity="error", family="engine",
            summary="某条规则运行出错（审核程序的缺陷，不是文件的问题）",
            doc="""A rule raised an exception on this document. The audit goes on with the
            other rules; the finding names the rule and the exception so the bug can be
            fixed. It is an error because the document was not fully checked.""")
    declare("parse-*", severity="info", family="parse",
            summary="读取文件时发现或修复的问题（parse-<代码>，如 parse-garbled-text）",
            doc="""Every note a reader or the assembler left on the document (``ParseNote``:
            a header repaired, a row realigned, garbled text from a PDF font …) becomes a
            finding ``parse-<code>`` with the note's severity and location, so that what
            was repaired or guessed is visible in the report.""")
    # Registration order follows import order, which a caller can change by importing
    # one rule module early (a test, a command); the documented and run order is
    # RULE_MODULES, then the engine's own declarations.
    rank = {m: i for i, m in enumerate(RULE_MODULES)}
    ordered = sorted(enumerate(RULES.values()),
                     key=lambda p: (rank.get(p[1].func.__module__, len(rank))
                                    if p[1].func is not None else len(rank) + 1, p[0]))
    RULES.clear()
    RULES.update((r.id, r) for _, r in ordered)


def _enabled(rule_id: str, family: str, select: list[str] | None, ignore: list[str]) -> bool:
    if select is not None and not matches(rule_id, family, select):
        return False
    return not matches(rule_id, family, ignore)


def _note_finding(note: ParseNote) -> Finding:
    loc = note.location
    table = loc.table or "document"
    cells = (CellRef(table, loc.page, None, None, "", "", loc.text, loc),) if loc.text else ()
    return Finding(f"parse-{note.code}", note.severity, note.message, (table,), None, cells,
                   None, None, loc)


def _names(values: Iterable[str] | None) -> list[str] | None:
    if values is None:
        return None
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def run(doc: Disclosure, select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None) -> tuple[Finding, ...]:
    """Every finding of the enabled rules on ``doc``, in document order."""
    load_rules()
    try:
        return _run(doc, select, ignore)
    finally:
        clear_caches()
        forget()


def _run(doc: Disclosure, select: Iterable[str] | None,
         ignore: Iterable[str] | None) -> tuple[Finding, ...]:
    sel = _names(select)
    ign = _names(ignore) or []
    out: list[Finding] = []
    for r in RULES.values():
        if r.func is None or not _enabled(r.id, r.family, sel, ign):
            continue
        try:
            out.extend(r.func(doc))
        except Exception as e:  # a rule's bug must not stop the audit
            if _enabled("rule-crashed", "engine", sel, ign) or True:
                out.append(Finding("rule-crashed", "error",
                                   f"规则 {r.id} 运行出错（{type(e).__name__}: {e}），本项未能审核",
                                   ("document",), None, (), None, r.id, None))
    for note in doc.notes:
        if _enabled(f"parse-{note.code}", "parse", sel, ign):
            out.append(_note_finding(note))
    return tuple(sorted(out, key=sort_key))
