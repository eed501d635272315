"""The classification catalogue: 支出功能分类 (类/款/项) and 部门预算支出经济分类 (类/款) as data.

Each entry is one (code, name, validity period) with where it comes from and how sure we
are of it; a rename is two entries of the same code with consecutive periods. The data
lives in ``catalog/data/{function,economic}.csv`` (docs/catalog.md explains the columns,
the provenance policy and how to add entries). ``load_catalog()`` reads both once and
builds the look-up dictionaries; every query afterwards is a dictionary access.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from yusuan.model.text import compact

Scheme = Literal["function", "economic"]
SCHEMES: tuple[Scheme, ...] = ("function", "economic")
LEVELS = ("类", "款", "项")
CONFIDENCES = ("high", "medium", "low")

# Printed names vary in the width of brackets and quotes; compare names on one form.
_WIDTH = str.maketrans({"(": "（", ")": "）", "\"": "“", "'": "‘", ",": "，", ":": "："})


def name_key(name: str) -> str:
    """The form names are compared in: normalised, no spaces, full-width brackets."""
    return compact(name).translate(_WIDTH)


@dataclass(frozen=True, slots=True)
class Entry:
    """One name of one code during one period (``None`` bounds are open)."""

    scheme: Scheme
    code: str
    name: str
    level: str  # 类/款/项
    parent: str | None
    valid_from: int | None
    valid_to: int | None
    source: str
    confidence: str
    note: str = ""

    def valid_in(self, year: int | None) -> bool:
        """True when the entry is valid in ``year`` (always true for ``None``)."""
        if year is None:
            return True
        if self.valid_from is not None and year < self.valid_from:
            return False
        return not (self.valid_to is not None and year > self.valid_to)

    @property
    def standard(self) -> bool:
        """False for the regional, non-standard lines given a made-up code (``HB31``)."""
        return self.code.isdigit()

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.source.split(";") if s.strip())

    @property
    def period(self) -> str:
        """The validity period as users read it: ``2019—``, ``—2018``, ``2014—2018``, ``不限``."""
        if self.valid_from is None and self.valid_to is None:
            return "不限"
        start = str(self.valid_from) if self.valid_from is not None else ""
        end = str(self.valid_to) if self.valid_to is not None else ""
        return f"{start}—{end}"


def _order(entry: Entry) -> tuple[int, int]:
    return (entry.valid_from if entry.valid_from is not None else -1,
            entry.valid_to if entry.valid_to is not None else 10_000)


class Catalog:
    """Look-ups over the entries of both schemes. Built once by :func:`load_catalog`."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        by_code: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        by_name: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        kids: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self.entries: tuple[Entry, ...] = tuple(entries)
        for e in self.entries:
            by_code[(e.scheme, e.code)].append(e)
            by_name[(e.scheme, name_key(e.name))].append(e)
            if e.parent:
                kids[(e.scheme, e.parent)].append(e)
        self._by_code = {k: tuple(sorted(v, key=_order)) for k, v in by_code.items()}
        self._by_name = {k: tuple(sorted(v, key=lambda e: (e.code, _order(e))))
                         for k, v in by_name.items()}
        self._children = {k: tuple(sorted(v, key=lambda e: (e.code, _order(e))))
                          for k, v in kids.items()}
        self._search_rows = tuple((name_key(e.name), e) for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, scheme: Scheme, code: str, year: int | None = None) -> Entry | None:
        """The entry of ``code`` valid in ``year``; the latest name when ``year`` is None."""
        names = self._by_code.get((scheme, code), ())
        if year is None:
            return names[-1] if names else None
        valid = [e for e in names if e.valid_in(year)]
        return valid[-1] if valid else None

    def names(self, scheme: Scheme, code: str) -> tuple[Entry, ...]:
        """Every name ``code`` has had, oldest first."""
        return self._by_code.get((scheme, code), ())

    def find_name(self, scheme: Scheme, name: str, year: int | None = None) -> tuple[Entry, ...]:
        """Entries whose name is exactly ``name`` (spaces and bracket width ignored)."""
        found = self._by_name.get((scheme, name_key(name)), ())
        return tuple(e for e in found if e.valid_in(year))

    def search(self, query: str, year: int | None = None,
               scheme: Scheme | None = None) -> tuple[Entry, ...]:
        """Entries whose code starts with ``query`` (digits) or whose name contains it."""
        q = name_key(query)
        if not q:
            return ()
        if q.isdigit():
            hits = [e for e in self.entries if e.code.startswith(q)]
        else:
            hits = [e for key, e in self._search_rows if q in key]
        hits = [e for e in hits if (scheme is None or e.scheme == scheme) and e.valid_in(year)]
        return tuple(sorted(hits, key=lambda e: (e.scheme != "function", e.code, _order(e))))

    def children(self, scheme: Scheme, code: str, year: int | None = None) -> tuple[Entry, ...]:
        """The entries one level below ``code``; with ``year``, only those valid then,
        without it the latest name of each child code."""
        kids = self._children.get((scheme, code), ())
        if year is not None:
            return tuple(e for e in kids if e.valid_in(year))
        latest: dict[str, Entry] = {}
        for e in kids:
            latest[e.code] = e  # sorted oldest first, so the last one wins
        return tuple(latest[c] for c in sorted(latest))

    def classes(self, scheme: Scheme, year: int | None) -> tuple[Entry, ...]:
        """The standard 类 valid in ``year``, in code order (regional lines excluded)."""
        out = [e for (s, _code), names in self._by_code.items() if s == scheme
               for e in names if e.level == "类" and e.standard and e.valid_in(year)]
        return tuple(sorted(out, key=lambda e: (e.code, _order(e))))

    def is_known(self, scheme: Scheme, code: str, year: int | None) -> bool:
        """True when ``code`` has a name valid in ``year``."""
        return self.get(scheme, code, year) is not None

    def renamed(self, scheme: Scheme, name: str, year: int | None) -> Entry | None:
        """When ``name`` is not valid in ``year`` but is an old (or later) name of a code,
        the entry of that code valid in ``year``; None otherwise."""
        if year is None or self.find_name(scheme, name, year):
            return None
        for old in self.find_name(scheme, name):
            current = self.get(scheme, old.code, year)
            if current is not None and name_key(current.name) != name_key(name):
                return current
        return None

    def chain(self, scheme: Scheme, code: str, year: int | None = None) -> tuple[Entry, ...]:
        """The entry and its ancestors, 类 first (each as named in ``year``)."""
        out: list[Entry] = []
        e = self.get(scheme, code, year) or self.get(scheme, code)
        while e is not None:
            out.append(e)
            parent = e.parent
            e = (self.get(scheme, parent, year) or self.get(scheme, parent)) if parent else None
        return tuple(reversed(out))

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Number of entries by (scheme, level, confidence); used to regenerate the docs."""
        out: dict[tuple[str, str, str], int] = defaultdict(int)
        for e in self.entries:
            out[(e.scheme, e.level, e.confidence)] += 1
        return dict(out)


def counts_markdown(cat: Catalog) -> str:
    """The counts table of docs/catalog.md (entries by scheme, level and confidence)."""
    counts = cat.counts()
    lines = ["| scheme | level | high | medium | low | total |", "|---|---|---|---|---|---|"]
    for scheme in SCHEMES:
        for level in LEVELS:
            row = [counts.get((scheme, level, c), 0) for c in CONFIDENCES]
            if sum(row):
                lines.append(f"| {scheme} | {level} | " + " | ".join(map(str, row))
                             + f" | {sum(row)} |")
    codes = {(e.scheme, e.code) for e in cat.entries}
    lines.append(f"| all | | {sum(v for k, v in counts.items() if k[2] == 'high')} "
                 f"| {sum(v for k, v in counts.items() if k[2] == 'medium')} "
                 f"| {sum(v for k, v in counts.items() if k[2] == 'low')} | {len(cat)} |")
    lines.append("")
    lines.append(f"{len(cat)} entries for {len(codes)} distinct codes "
                 f"({sum(1 for s, _ in codes if s == 'function')} function, "
                 f"{sum(1 for s, _ in codes if s == 'economic')} economic).")
    return "\n".join(lines)


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def parse_rows(scheme: Scheme, text: str) -> list[Entry]:
    """Entries from the text of one catalogue CSV."""
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append(Entry(
            scheme=scheme,
            code=row["code"].strip(),
            name=row["name"].strip(),
            level=row["level"].strip(),
            parent=row["parent"].strip() or None,
            valid_from=_int(row["valid_from"]),
            valid_to=_int(row["valid_to"]),
            source=row["source"].strip(),
            confidence=row["confidence"].strip(),
            note=(row.get("note") or "").strip(),
        ))
    return out


def read_data(scheme: Scheme) -> str:
    """The packaged CSV of ``scheme`` as text."""
    return resources.files("yusuan.catalog").joinpath("data", f"{scheme}.csv").read_text("utf-8")


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged catalogue, read once per process."""
    return Catalog(e for s in SCHEMES for e in parse_rows(s, read_data(s)))


__all__ = ["CONFIDENCES", "LEVELS", "SCHEMES", "Catalog", "Entry", "Scheme", "counts_markdown",
           "load_catalog",
           "name_key", "parse_rows", "read_data"]
