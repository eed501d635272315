"""The rule catalogue (docs/rules.md), generated from the registry:
``python -m yusuan.audit.docs > docs/rules.md``."""

from __future__ import annotations

from yusuan.audit.engine import load_rules
from yusuan.audit.registry import FAMILIES, RULES


def catalogue() -> str:
    """The markdown of docs/rules.md."""
    load_rules()
    lines = [
        "# Audit rules (审核规则)",
        "",
        "Generated from the rule registry by `python -m yusuan.audit.docs > docs/rules.md`;",
        "do not edit by hand (a test fails when this file is stale). `yusuan audit --select`",
        "and `--ignore` take rule ids, family names or prefixes (`parse-`).",
        "",
        "Severity is the rule's default: any arithmetic rule reports a difference within",
        "0.005 per rounded part as a `warning` named a rounding difference (舍入差异), and a",
        "larger one as an `error`.",
        "",
        "| id | severity | family | 说明 |",
        "|---|---|---|---|",
    ]
    for r in RULES.values():
        lines.append(f"| [`{r.id}`](#{r.id.replace('*', '')}) | {r.severity} | {r.family} | {r.summary_zh} |")
    lines.append("")
    for family, title in FAMILIES.items():
        rules = [r for r in RULES.values() if r.family == family]
        if not rules:
            continue
        lines += [f"## {family} — {title}", ""]
        for r in rules:
            lines += [f"### {r.id}", "", f"*{r.severity}* — {r.summary_zh}", "", r.doc, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(catalogue(), end="")
