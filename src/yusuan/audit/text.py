"""Reading the explanations: the paragraphs with their sections, and the amounts,
changes, percentages and years the sentences state.

A sentence is split into clauses; each amount (``783.57万元``) is attached to the topic
named last before it in its clause (``基本支出``, ``人员经费`` …) or, when its clause names
none, to the topic of the sentence so far. An amount preceded by a direction word
(增加/减少 …) is a change against last year, not a level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from yusuan.model import Disclosure, Location, Paragraph, Section

AMOUNT = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)")
PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s*[%％]")
YEAR = re.compile(r"(?<![\d〔\[（(])((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")
CLAUSE_SPLIT = re.compile(r"[，：:]|,(?!\d{3})")  # not the thousands separator of 3,121.42

UP = ("增加", "增长", "上升", "提高", "增")
DOWN = ("减少", "下降", "降低", "压减", "减")
FLAT = ("持平", "没有增减", "无增减", "未发生变化", "没有变化")

#: topic → words naming it in the explanations, longest first when matched.
TOPICS: dict[str, tuple[str, ...]] = {
    "fiscal_income": ("财政拨款收入",),
    "general_income": ("一般公共预算财政拨款收入", "一般公共预算拨款收入", "一般公共预算收入",
                       "一般公共预算拨款"),
    "fund_income": ("政府性基金预算拨款收入", "政府性基金预算收入", "基金预算收入", "政府性基金收入"),
    "capital_income": ("国有资本经营预算拨款收入", "国有资本经营预算收入", "国有资本经营收入"),
    "special_income": ("财政专户管理资金收入", "财政专户核拨收入", "财政专户收入"),
    "unit_income": ("单位资金收入", "单位资金"),
    "carry_in": ("上年结转结余", "上年结转", "年初结转结余"),
    "business_income": ("事业收入",),
    "operating_income": ("经营收入",),
    "other_income": ("其他收入",),
    "income": ("收入总计", "预算收入", "收入预算", "总收入", "收入"),
    "expenditure": ("支出总计", "支出预算", "预算支出", "总支出"),
    "fiscal_exp": ("财政拨款支出预算", "财政拨款支出"),
    "general_exp": ("一般公共预算拨款支出预算", "一般公共预算财政拨款支出预算", "一般公共预算拨款支出",
                    "一般公共预算支出预算"),
    "fund_exp": ("政府性基金拨款支出预算", "政府性基金预算拨款支出预算", "政府性基金预算拨款支出",
                 "政府性基金拨款支出", "政府性基金预算支出"),
    "capital_exp": ("国有资本经营预算拨款支出预算", "国有资本经营预算拨款支出", "国有资本经营预算支出"),
    "both": ("收支预算", "预算收支", "收支"),
    "basic": ("基本支出",),
    "personnel": ("人员经费",),
    "public": ("日常公用经费", "公用经费"),
    "project": ("项目支出",),
    "three_public": ("“三公”经费", "\"三公\"经费", "三公经费", "“三公”", "三公"),
    "abroad": ("因公出国（境）费", "因公出国(境)费", "因公出国费"),
    "vehicle": ("公务用车购置及运维费", "公务用车购置及运行费", "公务用车购置及运行维护费"),
    "vehicle_buy": ("公务用车购置费", "购置费"),
    "vehicle_run": ("公务用车运维费", "公务用车运行费", "公务用车运行维护费", "运维费", "运行费"),
    "reception": ("公务接待费",),
    "operation": ("机关运行经费",),
    "procurement": ("政府采购预算", "政府采购"),
    "assets": ("固定资产金额", "固定资产"),
}

_TOPIC_WORDS = sorted(((w, t) for t, ws in TOPICS.items() for w in ws), key=lambda x: -len(x[0]))
_TOPIC_RE = re.compile("|".join(re.escape(w) for w, _ in _TOPIC_WORDS))
_WORD_TOPIC = dict(_TOPIC_WORDS)


@dataclass(frozen=True, slots=True)
class Statement:
    """An amount the text states: ``topic`` (a key of TOPICS or None), ``amount`` in the
    printed unit, ``unit``, ``direction`` (+1/-1 for a change, 0 for a level), the printed
    text, the sentence, its paragraph and section."""

    topic: str | None
    amount: Decimal
    unit: str
    direction: int
    text: str
    sentence: str
    paragraph: Paragraph
    section: Section | None
    places: int
    #: offset of the amount in ``sentence``
    pos: int = 0

    @property
    def yuan(self) -> Decimal:
        return self.amount * {"亿元": Decimal(100000000), "万元": Decimal(10000)}.get(self.unit, Decimal(1))

    @property
    def location(self) -> Location:
        return self.paragraph.location


class _LastDoc:
    """The text extracted from the last document audited, shared by every rule (one
    document at a time: a rule run is per document; the identity check makes a stale
    entry harmless)."""

    doc: Disclosure | None = None
    paragraphs: tuple[tuple[Section | None, Paragraph], ...] = ()
    statements: tuple[Statement, ...] | None = None
    memo: dict[object, object]

    def __init__(self) -> None:
        self.memo = {}


_LAST: list[_LastDoc] = [_LastDoc()]


def _for(doc: Disclosure) -> _LastDoc:
    cur = _LAST[0]
    if cur.doc is not doc:
        cur = _LastDoc()
        cur.doc = doc
        paras: list[tuple[Section | None, Paragraph]] = [(None, p) for p in doc.preamble]
        for s in doc.walk_sections():
            paras.extend((s, p) for p in s.paragraphs)
        cur.paragraphs = tuple(paras)
        _LAST[0] = cur
    return cur


def paragraphs(doc: Disclosure) -> tuple[tuple[Section | None, Paragraph], ...]:
    """Every paragraph of the explanations with the innermost section holding it
    (computed once per document)."""
    return _for(doc).paragraphs


def forget() -> None:
    """Drop the last document's text (the engine calls it after each document)."""
    _LAST[0] = _LastDoc()


def doc_memo(doc: Disclosure) -> dict[object, object]:
    """A dictionary for results that several rules compute on the same document."""
    return _for(doc).memo


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` (split after 。；！？), empty ones dropped."""
    return tuple(s for s in SENTENCE_END.split(text) if s.strip())


def _direction(segment: str) -> int:
    best, pos = 0, -1
    for words, d in ((UP, 1), (DOWN, -1)):
        for w in words:
            i = segment.rfind(w)
            if i > pos:
                best, pos = d, i
    return best


def statements(doc: Disclosure) -> tuple[Statement, ...]:
    """Every amount stated in the explanations, in document order (computed once per
    document)."""
    cur = _for(doc)
    if cur.statements is None:
        cur.statements = tuple(_statements(doc))
    return cur.statements


def _statements(doc: Disclosure) -> list[Statement]:
    out: list[Statement] = []
    for section, para in paragraphs(doc):
        if "元" not in para.text:
            continue  # no amount: nothing to state
        for sent in sentences(para.text):
            if "元" not in sent:
                continue
            topic: str | None = None
            offset = 0
            for clause in CLAUSE_SPLIT.split(sent):
                base, offset = offset, offset + len(clause) + 1
                start = 0
                clause_topic: str | None = None
                for m in AMOUNT.finditer(clause):
                    seg = clause[start:m.start()]
                    found = [(tm.end(), _WORD_TOPIC[tm.group(0)]) for tm in _TOPIC_RE.finditer(seg)]
                    if found:
                        clause_topic = found[-1][1]
                        after = seg[found[-1][0]:]
                    else:
                        after = seg
                    t = clause_topic or topic
                    direction = _direction(after if found else seg)
                    num = m.group(1).replace(",", "")
                    places = len(num.split(".")[1]) if "." in num else 0
                    out.append(Statement(t, Decimal(num), m.group(2), direction, m.group(0),
                                         sent, para, section, places, base + m.start()))
                    if clause_topic is not None:
                        topic = clause_topic
                    start = m.end()
                if clause_topic is None:
                    found2 = [_WORD_TOPIC[tm.group(0)] for tm in _TOPIC_RE.finditer(clause)]
                    if found2 and not AMOUNT.search(clause):
                        topic = found2[-1]
    return out
