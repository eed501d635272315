"""The finance bureau's check sheet (检查表) as an Excel workbook (CLI-CONTRACT.md,
``yusuan audit --format checksheet`` and ``GET /api/documents/{id}/checksheet.xlsx``).

A sheet ``汇总`` has one row per file (file, department, year, kind, scope, errors,
warnings, 是否符合); then one sheet per file whose rows are the parts of the document in
publication order — 及时公开 (when the dates were given), 封面, 目录, each top-level section
of the explanations, each table by its Chinese name — with the columns 检查项目, 是否符合,
问题描述, 页码. A part is 否 when an error or a warning concerns it; a required table or
explanation that is missing is a row of its own marked 否.

The sheet is built from the contract's JSON objects (``report.json_object``, or the
store's ``audit_object``) and the parsed model, so the command line and the web app write
the same workbook. Every text from a document is written as a string cell: a heading that
starts with ``=`` stays text and never runs as a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yusuan.model import Disclosure
from yusuan.model.tables import required_tables, table_name

HEADER = ("检查项目", "是否符合", "问题描述", "页码")
SUMMARY_HEADER = ("文件", "部门", "年度", "类型", "口径", "错误", "警告", "是否符合")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Part:
    """One row of a file's sheet: a part of the document and the findings about it."""

    name: str
    pages: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: bool = False
    order: tuple[int, int, int] = (0, 0, 0)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.missing

    def page_text(self) -> str:
        ps = sorted(set(self.pages))
        if not ps:
            return ""
        return str(ps[0]) if ps[0] == ps[-1] else f"{ps[0]}-{ps[-1]}"


def _line(f: dict[str, Any]) -> str:
    page = next((c.get("page") for c in f.get("cells") or () if c.get("page")), None)
    where = f"（第{page}页）" if page else ""
    return f"{SEVERITY_ZH.get(f['severity'], f['severity'])}：{f['message']}{where}"


def _finding_page(f: dict[str, Any]) -> int | None:
    for c in f.get("cells") or ():
        p = c.get("page")
        if isinstance(p, int):
            return p
    return None


def parts(doc: Disclosure, findings: Sequence[dict[str, Any]],
          timeliness: Sequence[dict[str, Any]] | None = None) -> list[Part]:
    """The rows of one file's sheet, in publication order (findings in the contract's
    JSON shape; ``timeliness`` the findings of ``timeliness`` when dates were given)."""
    out: list[Part] = []
    if timeliness is not None:
        p = Part("及时公开", order=(-1, 0, 0))
        p.problems = [_line(f) for f in timeliness if f["severity"] in ("error", "warning")]
        out.append(p)
    cover = Part("封面", pages=[1] if doc.pages else [], order=(0, 0, 0))
    out.append(cover)
    if doc.toc:
        pages = [e.location.page for e in doc.toc if e.location.page is not None]
        first = doc.toc[0].location
        out.append(Part("目录", pages=pages, order=(first.page or 0, first.line or 0, -1)))
    by_heading: dict[str, Part] = {}
    for i, s in enumerate(doc.sections):
        pages = [x.location.page for x in s.walk() if x.location.page is not None]
        pages += [p.location.page for x in s.walk() for p in x.paragraphs if p.location.page is not None]
        start = s.location.page if s.location.page is not None else min(pages, default=0)
        part = Part(s.heading, pages=pages, order=(start, s.location.line or 0, i))
        out.append(part)
        for x in s.walk():
            by_heading.setdefault(x.heading, part)
    by_table: dict[str, Part] = {}
    by_title: dict[tuple[str, str], Part] = {}
    by_id: dict[str, list[Part]] = {}
    for i, t in enumerate(doc.tables):
        name = t.title.strip() if t.id.startswith("other:") and t.title.strip() else table_name(t.id)
        pages = list(t.pages) or ([t.location.page] if t.location.page is not None else [])
        same = (t.id, t.title.strip())
        if same in by_title and t.project is None:  # the same table printed in pieces
            by_title[same].pages.extend(pages)
            continue
        if t.project is not None:
            name = f"{table_name(t.id)}：{t.project.name}" if t.project.name else table_name(t.id)
        elif t.id in by_table and t.title.strip():
            name = t.title.strip()  # a second table of the same kind: its printed title
        part = Part(name, pages=pages, order=(min(pages, default=0), t.location.line or 0, 10000 + i))
        out.append(part)
        by_table.setdefault(t.id, part)
        by_id.setdefault(t.id, []).append(part)
        by_title.setdefault(same, part)
    present = {t.id for t in doc.tables}
    missing: dict[str, Part] = {}
    for tid in required_tables(doc.kind):
        if tid not in present:
            missing[tid] = Part(f"{table_name(tid)}（缺失）", missing=True, order=(10 ** 6, 0, len(missing)))
    out.extend(missing.values())
    absent: dict[str, Part] = {}
    located = sorted((p for p in out if p.pages and p.name != "及时公开"), key=lambda p: p.order)
    fallback = Part("其他", order=(10 ** 6 + 1, 0, 0))
    for f in findings:
        if f["severity"] not in ("error", "warning"):
            continue
        line = _line(f)
        tables = [t for t in f.get("tables") or () if t not in ("narrative", "document")]
        if f["rule"] == "table-missing" and tables and tables[0] in missing:
            missing[tables[0]].problems.append(line)
            continue
        if f["rule"] == "section-missing" and not f.get("section"):
            what = f.get("expected") or "情况说明"
            part = absent.setdefault(what, Part(f"{what}（缺失）", missing=True,
                                                order=(10 ** 6, 1, len(absent))))
            part.problems.append(line)
            continue
        section = f.get("section")
        target: Part | None = by_heading.get(section) if section else None
        if target is None:
            page = _finding_page(f)
            for t in tables:
                if t in by_table:
                    target = next((p for p in by_id[t] if page is not None and page in p.pages), by_table[t])
                    break
        if target is None:
            page = _finding_page(f)
            if page is not None:
                before = [p for p in located if min(p.pages) <= page]
                target = before[-1] if before else cover
        if target is None:
            target = missing.get(tables[0]) if tables else None
        (target or fallback).problems.append(line)
    out.extend(absent.values())
    if fallback.problems:
        out.append(fallback)
    return sorted(out, key=lambda p: p.order)


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET.sub("_", name).strip("'") or "文件"
    base = base[:28]
    title, n = base, 2
    while title in used or title == "汇总":
        title = f"{base[:26]}_{n}"
        n += 1
    used.add(title)
    return title


def _put(ws: Any, row: int, values: Sequence[Any]) -> None:
    """Write one row; every str is a string cell (never a formula)."""
    for col, v in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        cell.value = v
        if isinstance(v, str):
            cell.data_type = "s"


@dataclass(frozen=True, slots=True)
class Entry:
    """One file for the workbook: its audit JSON object (``report.json_object``), its
    model (None when it could not be read) and the timeliness findings (None when no
    dates were given)."""

    obj: dict[str, Any]
    doc: Disclosure | None
    timeliness: tuple[dict[str, Any], ...] | None = None


def workbook(entries: Sequence[Entry]) -> bytes:
    """The check sheet of ``entries`` as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    _put(summary, 1, SUMMARY_HEADER)
    bold = Font(bold=True)
    red = PatternFill("solid", fgColor="FFE0E0")
    wrap = Alignment(wrap_text=True, vertical="top")
    used: set[str] = {"汇总"}
    for i, e in enumerate(entries, start=2):
        obj, doc = e.obj, e.doc
        d = obj.get("document") or {}
        findings = list(obj.get("findings") or ())
        if e.timeliness:
            findings += list(e.timeliness)
        errors = sum(1 for f in findings if f["severity"] == "error")
        warnings = sum(1 for f in findings if f["severity"] == "warning")
        rows = parts(doc, obj.get("findings") or (), e.timeliness) if doc is not None else []
        ok = doc is not None and all(p.ok for p in rows)
        _put(summary, i, (str(obj.get("file", "")), str(d.get("department") or ""),
                          d.get("year") if isinstance(d.get("year"), int) else "",
                          str(d.get("kind") or ""), str(d.get("scope") or ""),
                          errors, warnings, "是" if ok else "否"))
        name = d.get("department") or str(obj.get("file", "")).rsplit("/", 1)[-1]
        ws = wb.create_sheet(_sheet_title(str(name), used))
        _put(ws, 1, HEADER)
        if doc is None:
            _put(ws, 2, ("读取文件", "否", f"无法读取：{obj.get('error') or '文件无法读取'}", ""))
            continue
        for r, p in enumerate(rows, start=2):
            _put(ws, r, (p.name, "是" if p.ok else "否", "\n".join(p.problems), p.page_text()))
            if not p.ok:
                ws.cell(row=r, column=2).fill = red
            ws.cell(row=r, column=3).alignment = wrap
        for c in range(1, 5):
            ws.cell(row=1, column=c).font = bold
        ws.column_dimensions["A"].width = 40
        ws.column_dimensions["C"].width = 90
        ws.freeze_panes = "A2"
    for c in range(1, len(SUMMARY_HEADER) + 1):
        summary.cell(row=1, column=c).font = bold
    summary.column_dimensions["A"].width = 50
    summary.column_dimensions["B"].width = 30
    summary.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

