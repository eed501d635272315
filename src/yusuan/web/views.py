"""What the pages show, as plain JSON-able data (each page's JSON twin is this data).

The audit's findings are stored without their cells' locations (the contract's JSON has
none), so :func:`match_cells` finds each referenced cell again in the stored model by the
contract's fields (table, 序号, code, item, column). The table views then carry, per
cell, the findings that point at it, which is what the highlighted rendering needs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from yusuan.model import Disclosure, Row, Section, Table
from yusuan.model.tables import TABLES, is_two_sided, table_name

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
#: Short Chinese names of the tables and parts, in publication order (from the table catalogue).
TABLE_ZH: dict[str, str] = {t.id: t.short for t in TABLES} | {"narrative": "情况说明", "document": "全文"}


@dataclass(frozen=True, slots=True)
class CellKey:
    """A cell of the model: table index, row index, cell index (None: the whole row)."""

    table: int
    row: int
    cell: int | None

    @property
    def anchor(self) -> str:
        return f"c-{self.table}-{self.row}-{'r' if self.cell is None else self.cell}"


def _norm(s: str | None) -> str:
    return "".join((s or "").split())


def _row_index(doc: Disclosure) -> dict[tuple[str, str, str, str], list[tuple[int, int]]]:
    index: dict[tuple[str, str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for ti, t in enumerate(doc.tables):
        for ri, r in enumerate(t.rows):
            index[(t.id, r.seq or "", r.code or "", _norm(r.label))].append((ti, ri))
    return index


def _cell_of(row: Row, column: str) -> int | None:
    for ci, c in enumerate(row.cells):
        if c.column == column:
            return ci
    for ci, c in enumerate(row.cells):
        if column and c.column.rsplit("/", 1)[-1] == column:
            return ci
    return None


def match_cells(doc: Disclosure, findings: list[dict[str, Any]]) -> list[list[CellKey]]:
    """For each finding, the model cells its ``cells`` name (in order, unmatched dropped)."""
    index = _row_index(doc)
    out: list[list[CellKey]] = []
    for f in findings:
        keys: list[CellKey] = []
        for ref in f.get("cells") or ():
            cands = index.get((str(ref.get("table") or ""), str(ref.get("row") or ""),
                               str(ref.get("code") or ""), _norm(ref.get("item"))), [])
            page = ref.get("page")
            if page is not None and len(cands) > 1:
                on_page = [(ti, ri) for ti, ri in cands if page in doc.tables[ti].pages]
                cands = on_page or cands
            if not cands:
                continue
            ti, ri = cands[0]
            column = str(ref.get("column") or "")
            ci = _cell_of(doc.tables[ti].rows[ri], column) if column else None
            keys.append(CellKey(ti, ri, ci))
        out.append(keys)
    return out


def group_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings grouped by (first) table, then severity, each keeping its index."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for i, f in enumerate(findings):
        table = (f.get("tables") or ["document"])[0]
        sev = f.get("severity", "info")
        groups.setdefault(table, {}).setdefault(sev, []).append({"index": i, **f})
    order = list(TABLE_ZH)
    result = []
    for table in sorted(groups, key=lambda t: (order.index(t) if t in order else len(order), t)):
        by_sev = groups[table]
        result.append({
            "table": table,
            "name": TABLE_ZH.get(table) or table_name(table, short=True),
            "severities": [{"severity": s, "name": SEVERITY_ZH[s], "findings": by_sev[s]}
                           for s in ("error", "warning", "info") if s in by_sev],
        })
    return result


def _marks(keys_per_finding: list[list[CellKey]], findings: list[dict[str, Any]]
           ) -> dict[tuple[int, int, int | None], list[tuple[int, str]]]:
    marks: dict[tuple[int, int, int | None], list[tuple[int, str]]] = defaultdict(list)
    for i, keys in enumerate(keys_per_finding):
        for k in keys:
            marks[(k.table, k.row, k.cell)].append((i, str(findings[i].get("severity"))))
    return marks


def _cell(text: str, key: tuple[int, int, int | None] | None, marks: Any, selected: int | None,
          numeric: bool = False) -> dict[str, Any]:
    found = marks.get(key, []) if key is not None else []
    sev = min((s for _, s in found), key=("error", "warning", "info").index, default=None)
    anchor = None if key is None else CellKey(*key).anchor
    return {
        "text": text, "numeric": numeric, "anchor": anchor if found else None,
        "severity": sev, "findings": [i for i, _ in found],
        "selected": selected is not None and any(i == selected for i, _ in found),
    }


def _label_cells(t: Table, ti: int, ri: int, r: Row, marks: Any, sel: int | None,
                 has_seq: bool, has_code: bool) -> list[dict[str, Any]]:
    row_key = (ti, ri, None)
    cells = []
    if has_seq:
        cells.append(_cell(r.seq or "", None, marks, sel))
    if has_code:
        cells.append(_cell(r.code or "", None, marks, sel))
    cells.append(_cell(r.label, row_key, marks, sel))
    return cells


def _value_cells(t: Table, ti: int, ri: int, r: Row | None, columns: list[str], marks: Any,
                 sel: int | None) -> list[dict[str, Any]]:
    out = []
    for col in columns:
        ci = None if r is None else next((i for i, c in enumerate(r.cells) if c.column == col), None)
        text = "" if r is None or ci is None else r.cells[ci].text
        key = None if r is None or ci is None else (ti, ri, ci)
        out.append(_cell(text, key, marks, sel, numeric=True))
    return out


def table_view(t: Table, ti: int, marks: Any, selected: int | None) -> dict[str, Any]:
    """One table as printed: header rows and body cells, each body cell with its marks."""
    has_seq = any(r.seq for r in t.rows)
    has_code = any(r.code for r in t.rows)
    body: list[list[dict[str, Any]]] = []
    if is_two_sided(t.id) and any(r.side for r in t.rows):
        sides = ("收入", "支出")
        cols = {s: [c.name for c in t.columns if c.side == s] or
                [c.name for c in t.columns if c.name.startswith(s)] for s in sides}
        printed: dict[Any, dict[str, tuple[int, Row]]] = {}
        for ri, r in enumerate(t.rows):
            k = r.seq or (r.location.page, r.location.line, ri if r.location.line is None else 0)
            printed.setdefault(k, {})[r.side or "收入"] = (ri, r)
        for pair in printed.values():
            line: list[dict[str, Any]] = []
            first = next(iter(pair.values()))[1]
            if has_seq:
                line.append(_cell(first.seq or "", None, marks, selected))
            for s in sides:
                if s in pair:
                    ri, r = pair[s]
                    line.append(_cell(r.label, (ti, ri, None), marks, selected))
                    line.extend(_value_cells(t, ti, ri, r, cols[s], marks, selected))
                else:
                    line.append(_cell("", None, marks, selected))
                    line.extend(_value_cells(t, ti, -1, None, cols[s], marks, selected))
            body.append(line)
        synthetic = ((["序号"] if has_seq else []) + ["收入项目", *cols["收入"], "支出项目", *cols["支出"]])
    else:
        names = [c.name for c in t.columns]
        for ri, r in enumerate(t.rows):
            body.append(_label_cells(t, ti, ri, r, marks, selected, has_seq, has_code)
                        + _value_cells(t, ti, ri, r, names, marks, selected))
        synthetic = ((["序号"] if has_seq else []) + (["科目编码"] if has_code else [])
                     + ["项目"] + names)
    width = len(synthetic)
    header = [list(h) for h in t.header if len(h) == width] if t.header else []
    if not header or len(header) != len(t.header):
        header = [synthetic]
    return {
        "index": ti, "id": t.id, "title": t.title, "unit": t.unit, "pages": list(t.pages),
        "note": t.note, "empty": t.empty, "header": header, "rows": body,
        "project": _project(t),
        "flagged": any(c["findings"] for line in body for c in line),
    }


def _project(t: Table) -> dict[str, Any] | None:
    p = t.project
    if p is None:
        return None
    return {
        "name": p.name, "code": p.code, "purpose": p.purpose, "goal": p.goal,
        "amount": None if p.amount is None else str(p.amount),
        "plan": [{"label": s.label, "percent": None if s.percent is None else str(s.percent)}
                 for s in p.plan],
        "indicators": [{"level1": i.level1, "level2": i.level2, "level3": i.level3,
                        "description": i.description, "value": i.value_text} for i in p.indicators],
    }


def _section(s: Section, flagged: set[str]) -> dict[str, Any]:
    return {"heading": s.heading, "level": s.level, "flagged": s.heading in flagged,
            "paragraphs": [p.text for p in s.paragraphs],
            "children": [_section(c, flagged) for c in s.children]}


def boxes(doc: Disclosure, keys: list[CellKey]) -> dict[int, list[tuple[float, float, float, float]]]:
    """Page → the boxes (PDF points, top-left origin) of the given cells, when known."""
    out: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    for k in keys:
        row = doc.tables[k.table].rows[k.row]
        loc = row.location if k.cell is None else row.cells[k.cell].location
        if loc.page is not None and loc.box is not None:
            out[loc.page].append(loc.box)
    return dict(out)


def document_view(meta: dict[str, Any], doc: Disclosure, findings: list[dict[str, Any]],
                  selected: int | None = None) -> dict[str, Any]:
    """Everything the document page shows."""
    keys = match_cells(doc, findings)
    marks = _marks(keys, findings)
    if selected is not None and not 0 <= selected < len(findings):
        selected = None
    flagged_sections = {str(f.get("section")) for f in findings if f.get("section")}
    sel_view = None
    if selected is not None:
        f = findings[selected]
        sel_keys = keys[selected]
        sel_view = {
            "index": selected, **f,
            "anchors": [k.anchor for k in sel_keys],
            "tables": f.get("tables", []),
            "pages": [{"page": p, "boxes": [list(b) for b in bx]}
                      for p, bx in sorted(boxes(doc, sel_keys).items())],
        }
    return {
        "document": {k: _jsonable(v) for k, v in meta.items()},
        "summary": {"error": int(meta.get("errors") or 0), "warning": int(meta.get("warnings") or 0),
                    "info": int(meta.get("infos") or 0)},
        "findings": [{"index": i, **f, "located": bool(keys[i])} for i, f in enumerate(findings)],
        "groups": group_findings(findings),
        "selected": sel_view,
        "tables": [table_view(t, ti, marks, selected) for ti, t in enumerate(doc.tables)],
        "sections": [_section(s, flagged_sections) for s in doc.sections],
        "preamble": [p.text for p in doc.preamble],
        "notes": [{"code": n.code, "message": n.message, "severity": n.severity} for n in doc.notes],
    }


def _jsonable(v: Any) -> Any:
    from datetime import date, datetime
    from decimal import Decimal

    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v
