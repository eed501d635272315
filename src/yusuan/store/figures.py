"""Key figures of a document (in 元) and the year-over-year claims of its explanations.

The figures feed the comparison views (``department_figures``); the claims feed the
``claims`` view, which checks a statement such as "较2023年预算减少8.39万元" against the
stored documents of both years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yusuan.model import Disclosure, Row, Table

WAN = Decimal(10000)

FIGURES: tuple[str, ...] = (
    "income_total",
    "expenditure_total",
    "basic_total",
    "project_total",
    "general_total",
    "personnel",
    "public_funds",
    "three_public_total",
    "abroad",
    "vehicles",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "operation_funds",
)


def to_yuan(amount: Decimal, unit: str | None) -> Decimal:
    """An amount in the printed unit, in 元."""
    return amount * WAN if unit == "万元" else amount


def _leaf_match(row: Row, names: Iterable[str]) -> Decimal | None:
    for name in names:
        for c in row.cells:
            leaf = c.column.rsplit("/", 1)[-1].replace(" ", "")
            if leaf == name and c.value is not None:
                return c.value
    for name in names:
        found = row.cell(name)
        if found is not None:
            return found.amount
    return None


def _total(table: Table | None, columns: tuple[str, ...], side: str | None = None) -> Decimal | None:
    """The 合计 row's value in the first of ``columns`` found, in 元."""
    if table is None or table.empty:
        return None
    row = table.total_row(side)
    if row is None:
        return None
    v = _leaf_match(row, columns)
    return None if v is None else to_yuan(v, table.unit)


def _labelled(table: Table | None, labels: tuple[str, ...], side: str | None = None) -> Decimal | None:
    """The amount of the first row whose label is one of ``labels`` (first amount cell)."""
    if table is None:
        return None
    for label in labels:
        row = table.by_label(label, side)
        if row is not None:
            for c in row.cells:
                if c.value is not None:
                    return to_yuan(c.value, table.unit)
            return Decimal(0)
    return None


_THREE_PUBLIC = {
    "three_public_total": ("合计", "小计", "“三公”经费合计", "\"三公\"经费合计"),
    "abroad": ("因公出国（境）费", "因公出国(境)费", "因公出国（境）费用"),
    "vehicles": ("公务用车购置及运维费", "公务用车购置及运行费", "公务用车购置及运行维护费"),
    "vehicle_purchase": ("公务用车购置费", "购置费"),
    "vehicle_operation": ("公务用车运维费", "公务用车运行费", "运维费", "运行费", "公务用车运行维护费"),
    "reception": ("公务接待费",),
    "operation_funds": ("机关运行经费",),
}


def _three_public(doc: Disclosure) -> dict[str, Decimal | None]:
    """三公 figures, whether the table lists the items as rows (Hebei) or as columns
    (Shanghai); an empty table (空表) means zero, not unknown."""
    t = doc.table("three_public")
    out: dict[str, Decimal | None] = dict.fromkeys(_THREE_PUBLIC)
    if t is None:
        return out
    if t.empty:
        out.update({k: Decimal(0) for k in out if k != "operation_funds"})
        return out
    for key, names in _THREE_PUBLIC.items():
        for r in t.rows:
            label = r.label.replace(" ", "")
            if key != "three_public_total" and any(label.endswith(n) for n in names):
                v = _leaf_match(r, ("合计", "小计")) or next(
                    (c.value for c in r.cells if c.value is not None), None)
                out[key] = to_yuan(v or Decimal(0), t.unit)
                break
        if out[key] is None and t.rows:
            row = t.total_row() or t.rows[0]
            for c in row.cells:
                leaf = c.column.replace(" ", "").replace('"', "“")
                if any(leaf.endswith(n) or leaf.endswith(n + "/合计") for n in names):
                    out[key] = to_yuan(c.amount, t.unit)
                    break
    if out["three_public_total"] is None:
        parts = [out[k] for k in ("abroad", "vehicles", "reception")]
        if all(p is not None for p in parts):
            out["three_public_total"] = sum((p for p in parts if p is not None), Decimal(0))
    return out


def figures(doc: Disclosure) -> dict[str, Decimal | None]:
    """The key figures of ``doc`` in 元 (None when the document does not show them)."""
    exp = doc.table("expenditure")
    gen = doc.table("general_expenditure")
    basic = doc.table("general_basic_expenditure")
    summary = doc.table("summary")
    out: dict[str, Decimal | None] = {
        "income_total": _labelled(summary, ("收入总计",), "收入")
        or _total(doc.table("income"), ("合计", "总计")),
        "expenditure_total": _total(exp, ("合计", "总计"))
        or _labelled(summary, ("本年支出合计",), "支出"),
        "basic_total": _total(exp, ("基本支出",)) or _total(gen, ("基本支出",)),
        "project_total": _total(exp, ("项目支出",)) or _total(gen, ("项目支出",)),
        "general_total": _total(gen, ("合计", "总计")),
        "personnel": _total(basic, ("人员经费", "人员经费支出")),
        "public_funds": _total(basic, ("公用经费", "日常公用经费", "公用经费支出")),
    }
    out.update(_three_public(doc))
    return {k: out.get(k) for k in FIGURES}


@dataclass(frozen=True, slots=True)
class Claim:
    """A change against the prior year stated in the explanations."""

    subject: str
    prior_year: int | None
    direction: str
    change_yuan: Decimal
    text: str


_CHANGE = re.compile(
    r"(?:(?:较|比|与)(?P<year>\d{4})?年?(?:度)?(?:预算|决算)?(?:相比)?[，,]?)?"
    r"(?P<dir>增加|减少|增长|下降|持平)(?P<amt>[\d,]+(?:\.\d+)?)?(?P<unit>万元|元)?"
)
_SUBJECTS = (
    ("three_public", ("三公",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("total", ("预算收支", "收支预算", "支出预算", "收入预算", "预算安排", "总体")),
)


def claims(doc: Disclosure) -> list[Claim]:
    """Year-over-year changes the explanations state, in the order printed. The subject
    is read from the words just before the change (基本支出, 项目支出, 三公, or the total)."""
    out: list[Claim] = []
    for section in doc.walk_sections():
        for p in section.paragraphs:
            for sentence in re.split(r"[。；;]", p.text):
                out.extend(_sentence_claims(sentence, doc.year))
    return out


def _sentence_claims(sentence: str, year: int | None) -> list[Claim]:
    found: list[Claim] = []
    start = 0
    for m in _CHANGE.finditer(sentence):
        before = sentence[start:m.start()]
        start = m.end()
        subject = next((s for s, words in _SUBJECTS if any(w in before for w in words)), None)
        if subject is None:
            continue
        if m["amt"] is not None and m["unit"] is None and sentence[m.end():].lstrip()[:1] in ("%", "％"):
            continue  # a percentage (增加7.33%), not an amount
        direction = {"增长": "增加", "下降": "减少"}.get(m["dir"], m["dir"])
        if direction == "持平":
            amount = Decimal(0)
        elif m["amt"] is None:
            continue
        else:
            amount = to_yuan(Decimal(m["amt"].replace(",", "")), m["unit"] or "万元")
        prior = int(m["year"]) if m["year"] else (year - 1 if year else None)
        signed = -amount if direction == "减少" else amount
        found.append(Claim(subject, prior, direction, signed, sentence.strip()[:300]))
    return found
