"""Reports of findings: the contract's JSON object, the text report
(``file:page:line  severity  rule  message``, grouped by table) and one self-contained
HTML page in Chinese showing each table as printed with the cells of each finding
highlighted and the findings list linking to them."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from yusuan.audit.finding import CellRef, Finding
from yusuan.model import Disclosure, Location, Row, Table
from yusuan.model.tables import table_name

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] += 1
    return out


def _cell_json(c: CellRef) -> dict[str, Any]:
    return {"table": c.table, "page": c.page, "row": c.row, "code": c.code, "item": c.item,
            "column": c.column, "value": c.value}


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding in the contract's shape."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "tables": list(f.tables),
        "section": f.section,
        "cells": [_cell_json(c) for c in f.cells],
        "expected": f.expected,
        "actual": f.actual,
    }


def json_object(file: str, doc: Disclosure | None, findings: Sequence[Finding],
                error: str | None = None) -> dict[str, Any]:
    """The object ``yusuan audit --format json`` prints for one file (CLI-CONTRACT.md);
    with ``error`` (one Chinese sentence) for a file that could not be read."""
    obj: dict[str, Any] = {
        "file": file,
        "document": None if doc is None else {
            "department": doc.department, "year": doc.year, "kind": doc.kind, "scope": doc.scope,
        },
        "findings": [finding_json(f) for f in findings],
        "summary": summary(findings),
    }
    if error is not None:
        obj["error"] = error
    return obj


def _where(file: str, loc: Location | None) -> str:
    page = str(loc.page) if loc is not None and loc.page is not None else "-"
    line = str(loc.line) if loc is not None and loc.line is not None else "-"
    return f"{file}:{page}:{line}"


def _primary(f: Finding) -> Location | None:
    return f.location or next((c.location for c in f.cells if c.location is not None), None)


def _group(f: Finding) -> str:
    return f.tables[0] if f.tables else "document"


def to_text(file: str, doc: Disclosure | None, findings: Sequence[Finding]) -> str:
    """``file:page:line  severity  rule  message`` lines, grouped by table (page/line
    ``-`` when the format has none), and a closing count."""
    order: dict[str, list[Finding]] = {}
    for f in findings:
        order.setdefault(_group(f), []).append(f)
    lines: list[str] = []
    for tid, fs in order.items():
        title = table_name(tid)
        if doc is not None and (t := doc.table(tid)) is not None:
            title = t.title
        lines.append(f"== {title}（{tid}）")
        for f in fs:
            lines.append(f"{_where(file, _primary(f))}  {f.severity}  {f.rule}  {f.message}")
        lines.append("")
    s = summary(findings)
    lines.append(f"{file}：错误 {s['error']} 个，警告 {s['warning']} 个，提示 {s['info']} 个")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
margin:0;color:#1f2328;background:#f6f8fa;line-height:1.5}
header{background:#24292f;color:#fff;padding:12px 24px}header h1{font-size:20px;margin:0}
main{display:flex;gap:16px;padding:16px}
#findings{flex:0 0 32%;max-height:calc(100vh - 90px);overflow:auto;position:sticky;top:8px}
#doc{flex:1;min-width:0}
.f{background:#fff;border:1px solid #d0d7de;border-left:4px solid #999;border-radius:4px;
padding:6px 10px;margin:0 0 8px;font-size:14px}
.f.error{border-left-color:#cf222e}.f.warning{border-left-color:#bf8700}.f.info{border-left-color:#0969da}
.sev{font-weight:bold;margin-right:6px}.error .sev{color:#cf222e}.warning .sev{color:#9a6700}
.info .sev{color:#0969da}.rule{font-family:monospace;color:#57606a}
section.t{background:#fff;border:1px solid #d0d7de;border-radius:4px;padding:8px 12px;margin-bottom:16px;
overflow:auto}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #d0d7de;padding:2px 6px}
th{background:#f0f3f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
.hl-error{background:#ffd7d5;outline:2px solid #cf222e}.hl-warning{background:#fff1b8;outline:2px solid #bf8700}
.hl-info{background:#ddf4ff;outline:2px solid #0969da}:target{box-shadow:0 0 0 3px #8250df}
p.para{margin:4px 0}.note{color:#57606a;font-size:13px}.summary span{margin-right:12px}
"""

_NUM = ' class="n"'
_RANK = {"error": 0, "warning": 1, "info": 2}


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


class _Marks:
    """Which printed things (by Location) findings point at, with an anchor each."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.by_loc: dict[Location, str] = {}
        self.anchor: dict[Location, str] = {}
        for f in findings:
            for loc in [c.location for c in f.cells] + [f.location]:
                if loc is None:
                    continue
                old = self.by_loc.get(loc)
                if old is None or _RANK[f.severity] < _RANK[old]:
                    self.by_loc[loc] = f.severity
                self.anchor.setdefault(loc, f"m{len(self.anchor) + 1}")

    def attrs(self, loc: Location) -> str:
        sev = self.by_loc.get(loc)
        if sev is None:
            return ""
        return f' id="{self.anchor[loc]}" class="hl-{sev}"'


def _two_sided_html(t: Table, marks: _Marks) -> list[str]:
    """A two-sided table as printed: the 收入 and 支出 rows of one printed line side by side."""
    sides = ("收入", "支出")
    cols = {sd: [c.name for c in t.columns if c.name.startswith(sd + "/")] for sd in sides}
    out = ["<table><thead><tr><th>序号</th>"]
    for sd in sides:
        out.append(f"<th>{_e(sd)}项目</th>" + "".join(f"<th>{_e(c)}</th>" for c in cols[sd]))
    out.append("</tr></thead><tbody>")
    lines: dict[tuple[str | None, int | None], dict[str, Row]] = {}
    for r in t.rows:
        lines.setdefault((r.seq, r.location.line), {})[r.side or "收入"] = r
    for (seq, _line), pair in lines.items():
        out.append(f"<tr><td>{_e(seq)}</td>")
        for sd in sides:
            side_row = pair.get(sd)
            if side_row is None:
                out.append("<td></td>" + "<td></td>" * len(cols[sd]))
                continue
            out.append(f"<td{marks.attrs(side_row.location)}>{_e(side_row.label)}</td>")
            by_col = {c.column: c for c in side_row.cells}
            for col in cols[sd]:
                c = by_col.get(col)
                if c is None:
                    out.append("<td></td>")
                else:
                    attrs = marks.attrs(c.location) or _NUM
                    out.append(f"<td{attrs}>{_e(c.text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


def _table_html(t: Table, marks: _Marks) -> list[str]:
    out = [f'<section class="t" id="t-{_e(t.id)}"><h3>{_e(t.title)}</h3>']
    meta = [x for x in (t.department, f"预算年度：{t.year}" if t.year else None,
                        f"单位：{t.unit}" if t.unit else None) if x]
    if meta:
        out.append(f'<p class="note">{_e("　".join(meta))}</p>')
    if any(r.side for r in t.rows):
        out.extend(_two_sided_html(t, marks))
        if t.note:
            out.append(f'<p class="note">{_e(t.note)}</p>')
        out.append("</section>")
        return out
    cols = [c.name for c in t.columns] or sorted({c.column for r in t.rows for c in r.cells})
    out.append(f'<table><thead><tr{marks.attrs(t.location)}><th>序号</th>'
               f'<th>编码</th><th>项目</th>')
    out.extend(f"<th>{_e(c)}</th>" for c in cols)
    out.append("</tr></thead><tbody>")
    for r in t.rows:
        out.append(f"<tr{marks.attrs(r.location)}><td>{_e(r.seq)}</td><td>{_e(r.code)}</td>"
                   f"<td>{_e((r.side + '：') if r.side else '')}{_e(r.label)}</td>")
        by_col = {c.column: c for c in r.cells}
        for col in cols:
            c = by_col.get(col)
            if c is None:
                out.append("<td></td>")
            else:
                cls = ' class="n"' if c.value is not None else ""
                a = marks.attrs(c.location)
                out.append(f"<td{a or cls}>{_e(c.text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if t.project is not None:
        p = t.project
        out.append("<table><thead><tr><th>资金支出计划</th>"
                   + "".join(f"<th>{_e(s.label)}</th>" for s in p.plan) + "</tr></thead><tbody><tr><td></td>"
                   + "".join(f"<td{marks.attrs(s.location)}>{_e('' if s.percent is None else f'{s.percent}%')}</td>"
                             for s in p.plan) + "</tr></tbody></table>")
        out.append("<table><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th>"
                   "</tr></thead><tbody>")
        for ind in p.indicators:
            out.append(f"<tr><td>{_e(ind.level1)}</td><td>{_e(ind.level2)}</td><td>{_e(ind.level3)}</td>"
                       f"<td{marks.attrs(ind.location)}>{_e(ind.value_text)}</td></tr>")
        out.append("</tbody></table>")
    if t.note:
        out.append(f'<p class="note">{_e(t.note)}</p>')
    out.append("</section>")
    return out


def to_html(file: str, doc: Disclosure | None, findings: Sequence[Finding]) -> str:
    """One self-contained page (inline CSS, no script, nothing fetched), everything
    escaped."""
    marks = _Marks(findings)
    s = summary(findings)
    title = f"审核报告：{doc.title or doc.department or file}" if doc else f"审核报告：{file}"
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
           f"<header><h1>{_e(title)}</h1><div class=\"summary\"><span>文件：{_e(file)}</span>"
           f"<span>错误 {s['error']}</span><span>警告 {s['warning']}</span><span>提示 {s['info']}</span>"
           "</div></header><main><nav id=\"findings\"><h2>发现的问题</h2>"]
    if not findings:
        out.append("<p>未发现问题。</p>")
    for f in findings:
        locs = [c.location for c in f.cells if c.location is not None] + ([f.location] if f.location else [])
        link = next((marks.anchor[x] for x in locs if x in marks.anchor), None)
        where = table_name(f.tables[0]) if f.tables else ""
        inner = (f'<span class="sev">{_e(SEVERITY_ZH[f.severity])}</span><span class="rule">{_e(f.rule)}</span>'
                 f"<div>{_e(f.message)}</div><div class=\"note\">{_e(where)}"
                 f"{'　' + _e(f.section) if f.section else ''}</div>")
        if link:
            out.append(f'<div class="f {f.severity}"><a href="#{link}" style="color:inherit;'
                       f'text-decoration:none">{inner}</a></div>')
        else:
            out.append(f'<div class="f {f.severity}">{inner}</div>')
    out.append('</nav><div id="doc">')
    if doc is not None:
        for t in doc.tables:
            out.extend(_table_html(t, marks))
        if doc.sections:
            out.append('<section class="t" id="narrative"><h3>情况说明</h3>')
            for sec in doc.walk_sections():
                lvl = min(6, 3 + sec.level)
                out.append(f"<h{lvl}{marks.attrs(sec.location)}>{_e(sec.heading)}</h{lvl}>")
                for p in sec.paragraphs:
                    out.append(f'<p class="para"><span{marks.attrs(p.location)}>{_e(p.text)}</span></p>')
            out.append("</section>")
    out.append("</div></main></body></html>")
    return "\n".join(out)
