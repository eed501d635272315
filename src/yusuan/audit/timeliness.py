"""Timeliness (及时性): a 部门预决算 is published within 20 days of its approval by the
finance department (财政部门批复后20日内, 财预〔2016〕143号; RULES.md §1, §5.1).

The dates are not in the document: the user gives them (``yusuan audit --approved
YYYY-MM-DD --published YYYY-MM-DD``). The rule is declared in the registry (so that it
is documented, listed and selectable) and run by the command with those dates.
"""

from __future__ import annotations

import datetime as dt

from yusuan.audit.finding import Finding
from yusuan.audit.registry import declare

#: days allowed between approval and publication (calendar days: 规程 "批复后20日内").
LIMIT_DAYS = 20

RULE = declare(
    "timeliness", severity="error", family="completeness",
    summary="及时公开：在财政部门批复后 20 日内公开（需给出批复日期和公开日期）",
    doc="""A 部门预算 or 决算 must be published within 20 days of the finance department's
    approval (财政部门批复后20日内向社会公开, 《地方预决算公开操作规程》 财预〔2016〕143号;
    the Ministry's checks count 及时率 the same way). The dates come from the user
    (``yusuan audit --approved 2024-01-20 --published 2024-02-15``): publication more than
    20 calendar days after approval is an error naming both dates and the delay; a
    publication date before the approval date is a warning (one of the two dates is
    probably wrong). Without both dates nothing is checked.""")


def parse_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` (also ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``YYYY年M月D日``) or None."""
    s = text.strip().replace("年", "-").replace("月", "-").replace("日", "")
    for sep in ("/", "."):
        s = s.replace(sep, "-")
    try:
        y, m, d = (int(x) for x in s.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        return None


def check(approved: dt.date, published: dt.date) -> tuple[Finding, ...]:
    """The timeliness findings for the two dates (none when published in time)."""
    days = (published - approved).days
    if days < 0:
        return (Finding("timeliness", "warning",
                        f"公开日期 {published.isoformat()} 早于批复日期 {approved.isoformat()}，请核对日期",
                        ("document",), None, (), f"≥{approved.isoformat()}", published.isoformat()),)
    if days > LIMIT_DAYS:
        return (Finding("timeliness", "error",
                        f"未及时公开：{approved.isoformat()} 批复，{published.isoformat()} 公开，"
                        f"相隔 {days} 日，超过批复后 {LIMIT_DAYS} 日内公开的规定",
                        ("document",), None, (), f"≤{LIMIT_DAYS}日", f"{days}日"),)
    return ()
