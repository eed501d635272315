"""``yusuan rules [--format text|json|markdown]``: the rule registry."""

from __future__ import annotations

import json

import click


@click.command(name="rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="输出格式")
def command(fmt: str) -> None:
    """列出全部审核规则（编号、默认级别、类别、说明）。"""
    from yusuan.audit.engine import load_rules
    from yusuan.audit.registry import FAMILIES, RULES

    load_rules()
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "severity": r.severity, "family": r.family,
                                "summary": r.summary_zh, "doc": r.doc} for r in RULES.values()],
                              ensure_ascii=False, indent=2))
        return
    if fmt == "markdown":
        from yusuan.audit.docs import catalogue

        click.echo(catalogue(), nl=False)
        return
    for family, title in FAMILIES.items():
        rules = [r for r in RULES.values() if r.family == family]
        if not rules:
            continue
        click.echo(f"{family}：{title}")
        for r in rules:
            click.echo(f"  {r.id:<22} {r.severity:<8} {r.summary_zh}")
