"""Classification codes are plain digit strings; these helpers give their level and
parents. Function codes: 类 3 digits, 款 5, 项 7. Economic codes: 类 3, 款 5."""

from __future__ import annotations

import re

LEVELS = {3: "类", 5: "款", 7: "项"}
_SPLIT = re.compile(r"^\s*(\d{3})\s+(\d{2})(?:\s+(\d{2}))?\s*$")


def level(code: str) -> str | None:
    """``类``, ``款`` or ``项`` from the code's length, None for anything else."""
    return LEVELS.get(len(code)) if code.isdigit() else None


def depth(code: str) -> int:
    """1 for 类, 2 for 款, 3 for 项, 0 otherwise."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0) if code.isdigit() else 0


def parent(code: str) -> str | None:
    """``2080505`` → ``20805`` → ``208`` → None."""
    if len(code) == 7:
        return code[:5]
    if len(code) == 5:
        return code[:3]
    return None


def ancestors(code: str) -> tuple[str, ...]:
    out: list[str] = []
    p = parent(code)
    while p:
        out.append(p)
        p = parent(p)
    return tuple(out)


def join_code(text: str) -> str | None:
    """Digits of a code as printed: ``2080505`` or split ``208 05 05`` → ``2080505``; None
    when the text is not a classification code."""
    t = text.strip()
    if t.isdigit() and len(t) in (3, 5, 7):
        return t
    m = _SPLIT.match(t)
    if m:
        return "".join(g for g in m.groups() if g)
    return None
