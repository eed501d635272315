"""Spreadsheet downloads, with formula injection neutralised.

Every text cell goes through :func:`yusuan.web.security.neutralise`; amounts are written
as numbers (``Decimal``), so ``-8.39`` stays a number and ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from yusuan.parse.facts import CSV_HEADER
from yusuan.web.security import neutralise


def _number(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def facts_workbook(facts: list[dict[str, Any]]) -> bytes:
    """The facts as an XLSX workbook (one sheet, the contract's columns)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(list(CSV_HEADER))
    for f in facts:
        row: list[Any] = []
        for c in CSV_HEADER:
            v = f.get(c)
            if c == "value" and v is not None and _number(v) is not None:
                row.append(_number(v))
            elif c == "page" and isinstance(v, int):
                row.append(v)
            else:
                row.append(neutralise("" if v is None else str(v)))
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
