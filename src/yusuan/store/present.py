"""Query results as text: a terminal table, CSV or JSON (numbers stay exact)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO


def plain(v: Any) -> Any:
    """A value as JSON can hold it: Decimal as its exact string, dates as ISO text."""
    if isinstance(v, Decimal):
        return format(v.normalize() if v == v.to_integral() else v, "f")
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.hex()
    return v


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    p = plain(v)
    return json.dumps(p, ensure_ascii=False) if isinstance(p, (list, dict)) else str(p)


def write_rows(stream: TextIO, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               fmt: str) -> None:
    """Write a result in ``fmt`` (``table``, ``csv`` or ``json``)."""
    if fmt == "csv":
        w = csv.writer(stream, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([cell_text(v) for v in r])
    elif fmt == "json":
        json.dump([{c: plain(v) for c, v in zip(columns, r, strict=True)} for r in rows],
                  stream, ensure_ascii=False, indent=1)
        stream.write("\n")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, show_lines=False)
        for r in rows:
            table.add_row(*(cell_text(v) for v in r))
        Console(file=stream, width=200).print(table)
        stream.write(f"（{len(rows)} 行）\n")
