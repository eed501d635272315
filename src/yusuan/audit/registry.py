"""The one place rules are registered.

A rule is a small function ``(doc) -> Iterable[Finding]`` registered with the
:func:`rule` decorator under a stable kebab-case id, a default severity, a family and a
one-line Chinese summary; its docstring is its documentation (the rule catalogue in
``docs/rules.md`` is generated from this registry by :mod:`yusuan.audit.docs`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from yusuan.audit.finding import Finding, Severity
from yusuan.model import Disclosure

RuleFunc = Callable[[Disclosure], Iterable[Finding]]

#: family → what it covers (Chinese, shown by ``yusuan rules`` and in the docs).
FAMILIES: dict[str, str] = {
    "arithmetic": "表内勾稽：层级汇总、行合计、收支平衡",
    "cross-table": "表间勾稽：同一金额在不同表中一致",
    "narrative": "说明与表格：文字中的金额、增减、百分比、年份、科目名称",
    "catalog": "科目：编码、名称与分类目录一致，细化到项/款",
    "completeness": "完整性：必备表格、空表说明、必备说明章节、部门/单位口径",
    "performance": "绩效目标：预算数、支出计划、项目合计、指标值",
    "hygiene": "文字规范：标点、引号括号、残句、模板用语、重复段落",
    "parse": "读取：读取文件时发现或修复的问题",
    "engine": "审核引擎自身的问题",
}

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: ``id`` (kebab-case, stable), default ``severity``, ``family``,
    ``summary_zh`` (one line for users) and ``doc`` (the function's docstring)."""

    id: str
    severity: Severity
    family: str
    summary_zh: str
    doc: str
    func: RuleFunc | None = None


#: id → Rule, in registration order.
RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, *, severity: Severity, family: str, summary: str
) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as the rule ``rule_id``."""
    if not _ID.match(rule_id):
        raise ValueError(f"rule id must be kebab-case: {rule_id!r}")
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r} for rule {rule_id!r}")

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES and RULES[rule_id].func is not func:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(
            id=rule_id,
            severity=severity,
            family=family,
            summary_zh=summary,
            doc=inspect.cleandoc(func.__doc__ or ""),
            func=func,
        )
        return func

    return register


def declare(rule_id: str, *, severity: Severity, family: str, summary: str, doc: str) -> Rule:
    """Register a rule that has no function of its own (its findings are made by the
    engine: ``rule-crashed``, ``parse-*``)."""
    r = Rule(rule_id, severity, family, summary, inspect.cleandoc(doc))
    RULES[rule_id] = r
    return r


def matches(rule_id: str, family: str, names: Iterable[str]) -> bool:
    """True when ``rule_id`` is named in ``names`` by id, by family, or by a prefix
    ending in ``-`` or ``*`` (``parse-``, ``parse-*``)."""
    for n in names:
        n = n.strip()
        if not n:
            continue
        if n in (rule_id, family) or (n.endswith(("-", "*")) and rule_id.startswith(n.rstrip("*"))):
            return True
    return False


def known_name(name: str) -> bool:
    """Whether ``name`` names a rule, a family or a rule prefix (for ``--select`` checks)."""
    n = name.strip()
    if n in RULES or n in FAMILIES:
        return True
    if n.endswith(("-", "*")):
        return any(r.startswith(n.rstrip("*")) for r in RULES)
    return n.startswith("parse-")
