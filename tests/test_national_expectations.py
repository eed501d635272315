"""Hold the reader to the hand-written expectations of the national corpus.

Every ``tests/expectations/national/*.yaml`` (format: the project's EXPECTATIONS brief,
summarised in tests/expectations/national/README.md) names one PDF of
``CORPUS / "national"``; the PDF is parsed once per session with the library API and every
expectation becomes one pytest item:

- ``<file>:document:<field>``  department, year, kind, scope, part
- ``<file>:table:<id>``        (``<id>#2`` for the second table with the same id)
- ``<file>:cell:<n>``          n = 1-based position in ``cells``
- ``<file>:junk``              no fact is a 栏次/行次 number

An entry carrying ``xfail: "<reason>"`` (for document fields: ``document.xfail: {field:
reason}``; for the junk check: top-level ``junk_xfail: reason``) is expected to fail
(strict): once the reader is fixed the test fails until the mark is removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CORPUS, ROOT  # ../shared/corpus, or YUSUAN_SHARED / YUSUAN_CORPUS
from yusuan.model import Disclosure
from yusuan.parse import UnreadableError, read
from yusuan.parse.facts import Fact, facts

pytestmark = pytest.mark.slow

EXPECTATIONS = ROOT / "tests" / "expectations" / "national"
NATIONAL = CORPUS / "national"
DOCUMENT_FIELDS = ("department", "year", "kind", "scope", "part")

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")
_SPACES = re.compile(r"\s+")


def compact(text: object) -> str:
    """Without spaces, full-width forms folded (NFKC: （境） == (境))."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", "" if text is None else str(text)))


def plain_item(text: object) -> str:
    """The row label without spaces and without one leading numbering (一、 （一） 1. 1、)."""
    return _NUMBERING.sub("", compact(text), count=1)


@dataclass(frozen=True, slots=True)
class Parsed:
    doc: Disclosure | None
    error: str | None
    facts: tuple[Fact, ...]


@cache
def parsed(file: str) -> Parsed:
    """One parse per PDF per session."""
    path = NATIONAL / file
    try:
        doc = read(path, source=file)
    except UnreadableError as e:
        return Parsed(None, str(e), ())
    return Parsed(doc, None, tuple(facts(doc)))


def _get(file: str) -> Parsed:
    if not (NATIONAL / file).is_file():
        pytest.fail(f"{file} not found in {NATIONAL}")
    return parsed(file)


def _doc(file: str) -> tuple[Disclosure, tuple[Fact, ...]]:
    p = _get(file)
    if p.doc is None:
        pytest.fail(f"{file}: not read: {p.error}")
    return p.doc, p.facts


def part_of(doc: Disclosure) -> str:
    """text | tables | both, from what the reader found."""
    has_text = any(s.paragraphs for s in doc.walk_sections())
    if doc.tables and has_text:
        return "both"
    return "tables" if doc.tables else "text"


def _mark(reason: object) -> list[pytest.MarkDecorator]:
    if reason:
        return [pytest.mark.xfail(strict=True, reason=str(reason))]
    return []


# ---------------------------------------------------------------- collection


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def _params() -> list[Any]:
    params: list[Any] = []
    for path in sorted(EXPECTATIONS.glob("*.yaml")):
        data = _load(path)
        stem = path.stem
        file = str(data.get("file") or f"{stem}.pdf")
        document = data.get("document") or {}
        doc_xfail = document.get("xfail") or {}
        for field in DOCUMENT_FIELDS:
            if field in document:
                params.append(pytest.param(file, "document", (field, document[field]),
                                           id=f"{stem}:document:{field}",
                                           marks=_mark(doc_xfail.get(field))))
        seen: dict[str, int] = {}
        for table in data.get("tables") or []:
            tid = str(table["id"])
            seen[tid] = seen.get(tid, 0) + 1
            suffix = "" if seen[tid] == 1 else f"#{seen[tid]}"
            params.append(pytest.param(file, "table", table, id=f"{stem}:table:{tid}{suffix}",
                                       marks=_mark(table.get("xfail"))))
        for n, cell in enumerate(data.get("cells") or [], 1):
            params.append(pytest.param(file, "cell", cell, id=f"{stem}:cell:{n}",
                                       marks=_mark(cell.get("xfail"))))
        params.append(pytest.param(file, "junk", None, id=f"{stem}:junk",
                                   marks=_mark(data.get("junk_xfail"))))
    return params


# ---------------------------------------------------------------- checks


def check_document(file: str, field: str, want: object) -> None:
    doc, _ = _doc(file)
    got: object
    got = part_of(doc) if field == "part" else getattr(doc, field)
    if field == "department":
        assert compact(got) == compact(want), f"department: read {got!r}, expected {want!r}"
    else:
        assert got == want, f"{field}: read {got!r}, expected {want!r}"


def check_table(file: str, want: dict[str, Any]) -> None:
    doc, _ = _doc(file)
    pages = {int(p) for p in want.get("pages") or []}
    assert pages, f"table {want['id']}: no pages in the expectation"
    same_id = [t for t in doc.tables if t.id == want["id"]]
    found = []
    for t in same_id:
        tpages = set(t.pages) or ({t.location.page} if t.location.page else set())
        if tpages & pages:
            found.append(t)
    at_pages = [(t.id, t.title, list(t.pages)) for t in doc.tables
                if set(t.pages) & pages]
    assert found, (f"no table {want['id']} on pages {sorted(pages)}; "
                   f"{want['id']} read on {[list(t.pages) for t in same_id]}; "
                   f"tables read there: {at_pages}")
    if want.get("empty"):
        ids = {id(t) for t in found}
        amounts = [f for f in _get(file).facts
                   if id(doc.tables[f.table_index]) in ids]
        assert not amounts, f"table {want['id']} should be empty; read {len(amounts)} amounts"


def _column_matches(got: str, want: str) -> bool:
    g = [compact(x) for x in got.split("/")]
    w = [compact(x) for x in str(want).split("/")]
    return len(g) >= len(w) and g[-len(w):] == w


def check_cell(file: str, want: dict[str, Any]) -> None:
    _, all_facts = _doc(file)
    value = want.get("value")
    assert isinstance(value, str), f"value must be a quoted string in the yaml, got {value!r}"
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        pytest.fail(f"value {value!r} is not a number")
    code = "" if want.get("code") is None else compact(want["code"])
    item = plain_item(want.get("item"))
    unit = want.get("unit")
    page = int(want["page"])
    in_table = [f for f in all_facts if f.table == want["table"]]
    candidates = [f for f in in_table if f.page == page]
    for f in candidates:
        if (f.amount == amount and (f.code or "") == code and plain_item(f.item) == item
                and f.unit == unit and _column_matches(f.column, str(want["column"]))):
            return
    # explain the miss: the facts with that value anywhere, else the row's facts
    same_value = [f for f in all_facts if f.amount == amount]
    hint = same_value or [f for f in candidates if plain_item(f.item) == item or (code and f.code == code)]
    shown = "; ".join(f"{f.table} p{f.page} code={f.code} item={f.item!r} col={f.column!r} "
                      f"value={f.value} unit={f.unit}" for f in hint[:5])
    pytest.fail(f"no fact {want['table']} p{page} code={code or None} item={want.get('item')!r} "
                f"column={want['column']!r} value={value} unit={unit} "
                f"({len(in_table)} facts in {want['table']}, {len(candidates)} on p{page}); "
                f"closest: {shown or 'none'}")


def junk(all_facts: tuple[Fact, ...]) -> list[Fact]:
    """Facts that are 栏次/行次 numbers rather than amounts."""
    bad = []
    for f in all_facts:
        parts = {compact(x) for x in f.column.split("/")}
        if parts & {"栏次", "行次"} or compact(f.item) in ("栏次", "行次"):
            bad.append(f)
    return bad


def check_junk(file: str) -> None:
    p = _get(file)
    bad = junk(p.facts)
    shown = "; ".join(f"{f.table} p{f.page} item={f.item!r} col={f.column!r} {f.value}" for f in bad[:5])
    assert not bad, f"{len(bad)} facts are 栏次/行次 numbers: {shown}"


@pytest.mark.parametrize(("file", "kind", "want"), _params())
def test_expectation(file: str, kind: str, want: Any) -> None:
    if kind == "document":
        field, value = want
        check_document(file, field, value)
    elif kind == "table":
        check_table(file, want)
    elif kind == "cell":
        check_cell(file, want)
    else:
        check_junk(file)
