"""``yusuan catalog QUERY...``: look codes and names up in the classification catalogue.

A query of digits is a code (exact match shows the code in detail, otherwise every code
starting with it is listed); anything else is searched in the names. Exit 0 when every
query matched something, 1 when one matched nothing.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import click

from yusuan.catalog import Catalog, Entry, Scheme, load_catalog

SCHEME_LABEL = {"function": "支出功能分类", "economic": "部门预算支出经济分类"}
CONFIDENCE_LABEL = {"high": "高", "medium": "中", "low": "低"}
CSV_FIELDS = ["scheme", "code", "name", "level", "parent", "valid_from", "valid_to",
              "source", "confidence", "note"]


def entry_dict(e: Entry) -> dict[str, Any]:
    return {"scheme": e.scheme, "code": e.code, "name": e.name, "level": e.level,
            "parent": e.parent, "valid_from": e.valid_from, "valid_to": e.valid_to,
            "source": e.source, "confidence": e.confidence, "note": e.note}


def lookup(cat: Catalog, query: str, year: int | None,
           scheme: Scheme | None) -> tuple[list[tuple[Scheme, str]], list[Entry]]:
    """Exact code hits (scheme, code) to show in detail, and the other matching entries."""
    q = query.strip()
    schemes: tuple[Scheme, ...] = (scheme,) if scheme else ("function", "economic")
    exact = [(s, q) for s in schemes if cat.names(s, q)
             and (year is None or cat.is_known(s, q, year))]
    if exact:
        return exact, []
    return [], list(cat.search(q, year=year, scheme=scheme))


def detail(cat: Catalog, scheme: Scheme, code: str, year: int | None) -> dict[str, Any]:
    entry = cat.get(scheme, code, year) or cat.get(scheme, code)
    assert entry is not None
    return {
        "query_year": year,
        "entry": entry_dict(entry),
        "chain": [{"code": e.code, "name": e.name, "level": e.level}
                  for e in cat.chain(scheme, code, year)],
        "names": [entry_dict(e) for e in cat.names(scheme, code)],
        "children": [{"code": e.code, "name": e.name, "level": e.level}
                     for e in cat.children(scheme, code, year)],
    }


def text_detail(d: dict[str, Any]) -> str:
    e = d["entry"]
    lines = [
        f"{e['code']}  {e['name']}",
        f"  分类：{SCHEME_LABEL[e['scheme']]}　级次：{e['level']}",
        "  科目层级：" + " › ".join(f"{c['code']} {c['name']}" for c in d["chain"]),
        "  历年名称：",
    ]
    for n in d["names"]:
        lines.append(f"    {_period(n)}　{n['name']}　"
                     f"（可信度：{CONFIDENCE_LABEL.get(n['confidence'], n['confidence'])}）")
    lines.append(f"  来源：{e['source']}")
    lines.append(f"  可信度：{CONFIDENCE_LABEL.get(e['confidence'], e['confidence'])}")
    if e["note"]:
        lines.append(f"  说明：{e['note']}")
    if d["children"]:
        lines.append(f"  下级科目（{len(d['children'])}）：")
        lines.extend(f"    {c['code']}  {c['name']}" for c in d["children"])
    return "\n".join(lines)


def _period(e: dict[str, Any]) -> str:
    vf, vt = e["valid_from"], e["valid_to"]
    if vf is None and vt is None:
        return "各年"
    if vt is None:
        return f"{vf}年起"
    if vf is None:
        return f"至{vt}年"
    return f"{vf}—{vt}年"


def text_list(query: str, entries: list[Entry]) -> str:
    lines = [f"“{query}”：找到 {len(entries)} 条"]
    for e in entries:
        conf = CONFIDENCE_LABEL.get(e.confidence, e.confidence)
        lines.append(f"  {e.code:<8}{e.name}　{e.level}　{SCHEME_LABEL[e.scheme]}　"
                     f"{_period(entry_dict(e))}　可信度：{conf}")
    return "\n".join(lines)


@click.command(name="catalog")
@click.argument("queries", nargs=-1, required=True)
@click.option("--year", type=int, default=None, help="只看该年度有效的科目名称")
@click.option("--scheme", type=click.Choice(["function", "economic"]), default=None,
              help="function：支出功能分类；economic：部门预算支出经济分类")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              help="输出格式（默认 table）")
def command(queries: tuple[str, ...], year: int | None, scheme: str | None, fmt: str) -> None:
    """按编码（如 2080505）或名称（如 养老）查询科目。"""
    cat = load_catalog()
    sch: Scheme | None = "function" if scheme == "function" else (
        "economic" if scheme == "economic" else None)
    missing = False
    results: list[dict[str, Any]] = []
    texts: list[str] = []
    flat: list[Entry] = []
    for q in queries:
        exact, found = lookup(cat, q, year, sch)
        if not exact and not found:
            missing = True
            click.echo(f"“{q}”：目录中没有匹配的科目" + (f"（{year}年）" if year else "") + "。",
                       err=True)
            results.append({"query": q, "details": [], "matches": []})
            continue
        details = [detail(cat, s, c, year) for s, c in exact]
        results.append({"query": q, "details": details,
                        "matches": [entry_dict(e) for e in found]})
        texts.extend(text_detail(d) for d in details)
        if found:
            texts.append(text_list(q, found))
        for s, c in exact:
            flat.extend(cat.names(s, c))
        flat.extend(found)
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        for e in flat:
            w.writerow(entry_dict(e))
        click.echo(buf.getvalue(), nl=False)
    elif texts:
        click.echo("\n\n".join(texts))
    raise SystemExit(1 if missing else 0)
