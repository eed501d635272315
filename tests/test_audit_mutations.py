# ruff: noqa: E501  (inline test documents are long Chinese sentences)
"""Change the reference document one fact at a time and check the audit detects and
locates the change (issue 3): every single-number change in a table (on the parsed
model), and ≥ 95% of the other kinds (on the markdown text, parsed again): a year or an
amount in the explanations, a dropped table, a dropped row, a renamed row.

Nothing here knows the reference document: the mutations are generated from the parsed
model's cells, rows, tables and paragraphs and their source lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.audit import Finding, audit
from yusuan.model import Disclosure, Location, Table
from yusuan.model import replace as model_replace
from yusuan.parse import read, read_bytes

DELTA = Decimal("1.00")


def _key(f: Finding) -> tuple[str, str, str | None]:
    return (f.rule, f.message, f.section)


def _points_at(f: Finding, loc: Location) -> bool:
    return f.location == loc or any(c.location == loc for c in f.cells)


def _with_cell(doc: Disclosure, ti: int, ri: int, ci: int, delta: Decimal) -> tuple[Disclosure, Location]:
    t = doc.tables[ti]
    r = t.rows[ri]
    c = r.cells[ci]
    assert c.value is not None
    v = c.value + delta
    new_c = model_replace(c, value=v, text=str(v))
    new_r = model_replace(r, cells=(*r.cells[:ci], new_c, *r.cells[ci + 1:]))
    new_t = model_replace(t, rows=(*t.rows[:ri], new_r, *t.rows[ri + 1:]))
    if t.project is not None and c.column in ("预算数", "财政资金", "其他资金"):
        field = {"预算数": "amount", "财政资金": "fiscal", "其他资金": "other"}[c.column]
        new_t = model_replace(new_t, project=model_replace(t.project, **{field: v}))
    tables = (*doc.tables[:ti], new_t, *doc.tables[ti + 1:])
    return model_replace(doc, tables=tables), c.location


def amount_cells(doc: Disclosure) -> Iterator[tuple[int, int, int]]:
    for ti, t in enumerate(doc.tables):
        for ri, r in enumerate(t.rows):
            for ci, c in enumerate(r.cells):
                if c.value is not None:
                    yield ti, ri, ci


@pytest.fixture(scope="module")
def reference(reference_path: Path) -> tuple[Disclosure, set[tuple[str, str, str | None]], str]:
    doc = read(reference_path)
    return doc, {_key(f) for f in audit(doc)}, reference_path.read_text("utf-8")


@pytest.mark.parametrize("delta", [DELTA, -DELTA, Decimal("0.10")])
def test_every_table_number_change_is_detected_and_located(reference: tuple[Disclosure, set[tuple[str, str, str | None]], str],
                                                           delta: Decimal) -> None:
    doc, base, _ = reference
    cells = list(amount_cells(doc))
    assert len(cells) > 100
    missed = []
    for ti, ri, ci in cells:
        mutated, loc = _with_cell(doc, ti, ri, ci, delta)
        new = [f for f in audit(mutated) if _key(f) not in base and f.severity == "error"]
        if not any(_points_at(f, loc) for f in new):
            t = doc.tables[ti]
            missed.append((t.id, t.rows[ri].label, t.rows[ri].cells[ci].column))
    assert missed == []


# ---------------------------------------------------------------------------- text mutations


def _lines_replaced(text: str, edits: dict[int, str | None]) -> str:
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines, start=1):
        if i in edits:
            if edits[i] is not None:
                out.append(edits[i])  # type: ignore[arg-type]
        else:
            out.append(line)
    return "\n".join(out)


def text_mutations(doc: Disclosure, text: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(kind, mutated markdown, tables a finding must name)."""
    lines = text.split("\n")
    year = doc.year or 0
    paras = [p for s in doc.walk_sections() for p in s.paragraphs if p.location.line]
    for p in paras:
        n = p.location.line or 0
        line = lines[n - 1]
        for m in re.finditer(rf"({year}|{year - 1})(\s*年)", line):
            y = int(m.group(1)) - 1
            yield "year", _lines_replaced(text, {n: line[:m.start()] + str(y) + line[m.start() + 4:]}), ("narrative",)
        for m in re.finditer(r"(\d+(?:\.\d+)?)(\s*万元)", line):
            v = Decimal(m.group(1)) + DELTA
            yield "text-amount", _lines_replaced(text, {n: line[:m.start()] + str(v) + line[m.end(1):]}), \
                ("narrative",)
    for t in doc.tables:
        if t.project is not None or t.id in ("organization",):
            continue
        start = t.location.line or 0
        end = max((r.location.line or 0 for r in t.rows), default=start)
        end = max(end, start)
        # the table's blocks: from its title to its last row (or to its note when empty)
        if t.note:
            notes = [i for i in range(end, min(len(lines), end + 30)) if lines[i - 1].strip().startswith("注")]
            if notes:
                end = notes[0]
                while end + 2 <= len(lines) and lines[end + 1].strip().startswith("注") \
                        and not lines[end].strip():
                    end += 2
        yield "drop-table", _lines_replaced(text, dict.fromkeys(range(start, end + 1))), (t.id,)
    seen: set[int] = set()
    for t in doc.tables:
        if t.project is not None or t.id == "organization":
            continue
        for r in t.rows:
            n = r.location.line or 0
            if n in seen or not n:
                continue
            seen.add(n)
            yield "drop-row", _lines_replaced(text, {n: None}), (t.id,)
            if r.label and r.label not in ("合计", "总计") and lines[n - 1].count(r.label) == 1:
                yield "rename-row", _lines_replaced(text, {n: lines[n - 1].replace(r.label, r.label + "等")}), \
                    (t.id,)


@pytest.mark.slow
def test_other_changes_are_detected(reference: tuple[Disclosure, set[tuple[str, str, str | None]], str]) -> None:
    doc, base, text = reference
    stats: dict[str, list[int]] = {}
    missed: list[tuple[str, str]] = []
    for kind, mutated, tables in text_mutations(doc, text):
        mdoc = read_bytes(mutated.encode("utf-8"), doc.source)
        new = [f for f in audit(mdoc) if _key(f) not in base]
        ok = any(set(f.tables) & set(tables) for f in new)
        stats.setdefault(kind, [0, 0])
        stats[kind][0] += ok
        stats[kind][1] += 1
        if not ok:
            missed.append((kind, next((ln for a, ln in zip(text.split("\n"), mutated.split("\n"), strict=False)
                                       if a != ln), "")[:60]))
    print({k: f"{a}/{b}" for k, b_ in stats.items() for a, b in [b_]})
    print(missed)
    total = sum(b for _, b in stats.values())
    found = sum(a for a, _ in stats.values())
    assert total > 100
    assert found / total >= 0.95, (stats, missed)
    for kind, (a, b) in stats.items():
        assert a / b >= 0.85, (kind, a, b, missed)


def test_table_lookup_helpers_are_generic(reference: tuple[Disclosure, set[tuple[str, str, str | None]], str]) -> None:
    doc, _, _ = reference
    t: Table | None = doc.table("expenditure")
    assert t is not None and t.total_row() is not None
