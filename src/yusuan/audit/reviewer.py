"""The checks a finance bureau's reviewers make that the other rule modules do not
(issue 12): the amount of a class, 款 or 项 in the explanation against that code's row in
the function tables, year-on-year percentages recomputed from the pair of amounts a
sentence states, and the procurement breakdown adding up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from yusuan.audit.common import Term, column_name, factor, key
from yusuan.audit.finding import CellRef, Finding, Severity, cell_ref, fmt
from yusuan.audit.identities import FUNCTION_TABLES
from yusuan.audit.registry import rule
from yusuan.audit.text import doc_memo, paragraphs, sentences
from yusuan.model import Disclosure, Paragraph, Row, Section, Table
from yusuan.model.tables import table_name

ZERO = Decimal(0)
UNIT_YUAN = {"亿元": Decimal(100000000), "万元": Decimal(10000), "元": Decimal(1)}

#: an amount as the explanations print it (3,121.42万元, 50,527 万元, 0万元)
_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|元)"
_NUM = re.compile(_AMOUNT)


@dataclass(frozen=True, slots=True)
class Said:
    """An amount printed in a sentence: value, unit, decimals, the printed text."""

    value: Decimal
    unit: str
    places: int
    text: str

    @property
    def yuan(self) -> Decimal:
        return self.value * UNIT_YUAN[self.unit]

    @property
    def half(self) -> Decimal:
        """Half of the last printed digit, in 元: what the printing's rounding can hide."""
        return Decimal(5) * Decimal(10) ** (-self.places - 1) * UNIT_YUAN[self.unit]


def said(number: str, unit: str) -> Said:
    n = number.replace(",", "")
    return Said(Decimal(n), unit, len(n.split(".")[1]) if "." in n else 0, f"{number}{unit}")


def _finding(rule_id: str, severity: Severity, message: str, para: Paragraph,
             section: Section | None, quote: str, cells: tuple[CellRef, ...] = (),
             tables: tuple[str, ...] = (), expected: str | None = None,
             actual: str | None = None) -> Finding:
    heading = section.heading if section is not None else ""
    return Finding(rule_id, severity, message, tuple(dict.fromkeys(("narrative", *tables))),
                   section.heading if section is not None else None,
                   (CellRef("narrative", para.location.page, None, None, heading, "", quote,
                            para.location), *cells),
                   expected, actual, para.location)


# ---------------------------------------------------------------------------------------
# class-amount

#: a chain of classification names with their levels, then the amount it is given:
#: “一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元, 公共安全（类）支出 27488.23 万元
_CHAIN = re.compile(
    r"((?:[\u4e00-\u9fff、（）()]{1,40}?\s*[（(](?:类|款|项)[)）]\s*){1,3})"
    r"[”\"’」]?\s*(?:科目|支出|预算|安排|为|:|：|\s)*" + _AMOUNT)
_LEVEL = re.compile(r"[（(](类|款|项)[)）]")
_LEVEL_LEN = {"类": 3, "款": 5, "项": 7}
#: a restatement of the budget year's amount later in the paragraph: 2024年预算安排25.77万元
_RESTATED = r"(?<!\d)({year})\s*年(?:度)?(?:预算)?(?:安排|预算数|预算)(?:为|是)?\s*" + _AMOUNT


@dataclass(frozen=True, slots=True)
class _Line:
    """A row of a function table that can be named in the text."""

    table: Table
    row: Row
    code: str | None
    name: str


_UNCODED = frozenset({*FUNCTION_TABLES, "summary", "fiscal_summary", "final_summary",
                      "final_fiscal_summary"})


def _function_lines(doc: Disclosure) -> list[_Line]:
    memo = doc_memo(doc)
    hit = memo.get("reviewer-lines")
    if hit is not None:
        return hit  # type: ignore[return-value]
    out: list[_Line] = []
    for t in doc.tables:
        coded = [r for r in t.rows if r.code and r.code[0] == "2" and len(r.code) in (3, 5, 7)]
        if coded:
            out.extend(_Line(t, r, r.code, key(r.label)) for r in coded if r.label)
        elif t.id in _UNCODED or (t.id.startswith("other:") and "function" in t.id):
            # class rows printed without codes (summary tables, some regions' tables)
            out.extend(_Line(t, r, None, key(r.label)) for r in t.rows
                       if r.label and r.side != "收入")
    memo["reviewer-lines"] = out
    return out


def _class_names(name: str) -> tuple[str, ...]:
    """The names a class may be printed with: 一般公共服务（类）支出 names 一般公共服务支出."""
    n = key(name)
    return (n, n + "支出") if not n.endswith("支出") else (n,)


def _resolve(lines: list[_Line], chain: list[tuple[str, str]]) -> tuple[str | None, list[_Line]]:
    """The code and printed rows of the most specific level of ``chain`` (``[(name,
    level)]``); ([], None) when any level cannot be resolved to one code."""
    code: str | None = None
    rows: list[_Line] = []
    for i, (name, level) in enumerate(chain):
        n = key(name)
        want = _class_names(n) if level == "类" else (n,)
        cands = [ln for ln in lines if ln.name in want
                 and (ln.code is None or len(ln.code) == _LEVEL_LEN[level])
                 and (code is None or (ln.code or "").startswith(code))]
        if level == "类" and i == 0 and not cands:
            # a class name after other words: 主要用于以下方面一般公共服务支出（类）
            for cut in range(1, max(1, len(n) - 3)):
                sub = _class_names(n[cut:])
                cands = [ln for ln in lines if ln.name in sub
                         and (ln.code is None or len(ln.code) == 3)]
                if cands:
                    break
        codes = {ln.code for ln in cands if ln.code is not None}
        if len(codes) > 1 or (level != "类" and not codes) or not cands:
            return None, []
        code = next(iter(codes)) if codes else None
        if code is None and i + 1 < len(chain):
            return None, []  # a lower level needs the class's code
        rows = [ln for ln in lines if code is not None and ln.code == code]
        rows += [ln for ln in cands if ln.code is None]  # the class printed without its code
    return code, rows


def _matches(s: Said, rows: list[_Line]) -> bool | None:
    """Whether ``s`` equals an amount printed in ``rows`` (None when they print none)."""
    seen = False
    for ln in rows:
        f = factor(ln.table.unit)
        for c in ln.row.cells:
            if c.value is None:
                continue
            seen = True
            yuan = c.value * f
            if abs(yuan - s.yuan) <= s.half + Decimal("0.005") * f:
                return True
            # the text may truncate at its precision (877080元 printed 87.70万元)
            if (yuan / UNIT_YUAN[s.unit]).quantize(Decimal(10) ** -s.places, ROUND_DOWN) == s.value:
                return True
    return False if seen else None


@rule("class-amount", severity="error", family="narrative",
      summary="说明中某类/款/项科目的金额等于功能分类表中该科目的金额，同一段中前后一致")
def class_amount(doc: Disclosure) -> Iterator[Finding]:
    """An amount the explanations give to a classification item named with its levels
    (``“一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元``, ``公共安全（类）支出
    27488.23万元``) is printed in that code's row of a function table (the income,
    expenditure, general, fund or capital table, or a class row of the summary tables):
    some amount of that row equals it, rounded or truncated at the precision of the text
    (877080元 may be written 87.70万元). The names are resolved level by level (a 项 under
    its 款 under its class); a name the tables do not print, or that names several codes,
    is left to ``narrative-class-name``. A class matched only by name in tables printed
    without codes gives a warning. In the same paragraph, a restatement of the budget
    year's amount (``2024年预算安排25.77万元``) equals the amount given first."""
    if doc.year is None:
        return
    marked = [(section, para) for section, para in paragraphs(doc) if _LEVEL.search(para.text)]
    lines = _function_lines(doc) if marked else []
    if not lines:
        return
    restated = re.compile(_RESTATED.replace("{year}", str(doc.year)))
    for section, para in marked:
        text = para.text
        for m in _CHAIN.finditer(text):
            chain = [(nm, lv) for nm, lv in zip(_LEVEL.split(m.group(1))[0::2],
                                                _LEVEL.findall(m.group(1)), strict=False)]
            chain = [(nm.strip("“”\"‘’、，,：: （）()"), lv) for nm, lv in chain]
            if not chain or any(not nm for nm, _ in chain):
                continue
            if [lv for _, lv in chain] != sorted((lv for _, lv in chain), key=lambda lv: _LEVEL_LEN[lv]):
                continue
            code, rows = _resolve(lines, chain)
            if not rows:
                continue
            s = said(m.group(2), m.group(3))
            quote = m.group(0).strip()
            ok = _matches(s, rows)
            printed = [(ln, c) for ln in rows for c in ln.row.cells if c.value is not None]
            if ok is False:
                firsts = [(ln, next(c for c in ln.row.cells if c.value is not None)) for ln in rows
                          if any(c.value is not None for c in ln.row.cells)]
                shown = "、".join(dict.fromkeys(
                    f"{fmt(c.value)}{ln.table.unit or ''}（{table_name(ln.table.id, short=True)}）"
                    for ln, c in firsts[:6]))
                name = "".join(f"{nm}（{lv}）" for nm, lv in chain)
                # rows read without codes are matched by name only: a warning
                sev: Severity = "error" if code is not None else "warning"
                yield _finding(
                    "class-amount", sev,
                    f"说明称{name}为 {s.text}，与表中该科目（{code or key(firsts[0][0].row.label)}）"
                    f"的金额不符：{shown}",
                    para, section, quote, cells=tuple(cell_ref(x.table, x.row, cc) for x, cc in firsts[:6]),
                    tables=tuple(dict.fromkeys(x.table.id for x, _ in printed)),
                    expected=fmt(firsts[0][1].value), actual=fmt(s.value))
            # the same item restated later in the paragraph, before the next item
            nxt = _CHAIN.search(text, m.end())
            end = nxt.start() if nxt else len(text)
            for r in restated.finditer(text, m.end(), end):
                again = said(r.group(2), r.group(3))
                if abs(again.yuan - s.yuan) > max(again.half, s.half):
                    yield _finding(
                        "class-amount", "error",
                        f"同一科目在段中金额前后不一致：先称 {s.text}，后称“{r.group(0)}”",
                        para, section, r.group(0), expected=fmt(s.value), actual=fmt(again.value))


# ---------------------------------------------------------------------------------------
# percent-pair

_PREV = (r"(?:上年|上一年|{prev}\s*年)(?:度)?(?:当年)?[^，。；,;]{{0,10}}?"
         r"(?:执行数|预算数|决算数|预算|决算|支出)(?:为|是)?\s*" + _AMOUNT)
_CUR = (r"(?:本年|今年|{year}\s*年)(?:度)?[^，。；,;]{{0,6}}?"
        r"(?:预算安排|预算数|安排|预算)(?:为|是)?\s*" + _AMOUNT)
_PCT_WORD = re.compile(r"(增加|增长|上升|提高|减少|下降|降低)(?:了)?\s*(\d+(?:\.\d+)?)\s*[%％]")
_FLAT_WORD = re.compile(r"持平|没有变化|无变化|未发生变化")


def _pair_patterns(year: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    memo = _PAIR_MEMO.get(year)
    if memo is None:
        memo = (re.compile(_PREV.replace("{prev}", str(year - 1)).replace("{{", "{").replace("}}", "}")),
                re.compile(_CUR.replace("{year}", str(year)).replace("{{", "{").replace("}}", "}")))
        _PAIR_MEMO[year] = memo
    return memo


_PAIR_MEMO: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def percent_range(prev: Said, cur: Said) -> tuple[Decimal, Decimal]:
    """The smallest and largest |cur − prev| / prev × 100 the printed (rounded) amounts
    allow."""
    out = []
    for dy in (-prev.half, prev.half):
        for dx in (-cur.half, cur.half):
            y = prev.yuan + dy
            if y <= 0:
                continue
            out.append(abs(cur.yuan + dx - y) / y * 100)
    exact = abs(cur.yuan - prev.yuan) / prev.yuan * 100
    return min([exact, *out]), max([exact, *out])


@rule("percent-pair", severity="error", family="narrative",
      summary="说明中由上年数和本年数给出的增减百分比正确（方向、舍入或截断；上年为0应写“无可比”）")
def percent_pair(doc: Disclosure) -> Iterator[Finding]:
    """A sentence that states last year's amount and this year's and then the change as
    a percentage, with no change amount between (``2023年当年预算执行数为60.13万元，2024年
    预算安排25.77万元，比2023年预算执行数减少57.14%``): the percentage is |X − Y| / Y × 100
    of the two amounts as printed, rounded or truncated at its printed precision (the
    rounding of the two amounts themselves is allowed for), and its word (增加/减少 …)
    has the direction of X − Y. Two equal amounts said to change, or two different
    amounts said to be 持平, are errors. A percentage against a last year of zero cannot be
    computed: the text should say 无可比 (a warning)."""
    if doc.year is None:
        return
    prev_re, cur_re = _pair_patterns(doc.year)
    for section, para in paragraphs(doc):
        text = para.text
        if "%" not in text and "％" not in text and "持平" not in text:
            continue
        for sent in sentences(text):
            p = prev_re.search(sent)
            c = cur_re.search(sent)
            if p is None or c is None:
                continue
            end = max(p.end(), c.end())
            rest = sent[end:]
            cut = re.search(r"[，,；;。]\s*(?:其中|主要|原因)", rest)
            if cut:
                rest = rest[:cut.start()]
            if _NUM.search(rest):
                continue  # a change amount is stated: narrative-percent checks it
            prev, cur = said(p.group(1), p.group(2)), said(c.group(1), c.group(2))
            quote = sent.strip()[:80]
            m = _PCT_WORD.search(rest)
            flat = _FLAT_WORD.search(rest)
            if m is None:
                if flat and abs(cur.yuan - prev.yuan) > prev.half + cur.half:
                    yield _finding("percent-pair", "error",
                                   f"说明称与上年持平，但上年 {prev.text}、本年 {cur.text} 并不相同",
                                   para, section, quote, expected=fmt(cur.value - prev.value), actual="持平")
                continue
            word, pct_text = m.group(1), m.group(2)
            pct = Decimal(pct_text)
            if prev.value == 0:
                if cur.value != 0:
                    yield _finding("percent-pair", "warning",
                                   f"上年数为 0（{prev.text}），增减百分比无法计算，应写“无可比”，"
                                   f"而不是“{m.group(0)}”", para, section, quote,
                                   expected="无可比", actual=f"{pct_text}%")
                continue
            diff = cur.yuan - prev.yuan
            up = word in ("增加", "增长", "上升", "提高")
            if abs(diff) <= prev.half + cur.half:
                if pct != 0:
                    yield _finding("percent-pair", "error",
                                   f"上年 {prev.text} 与本年 {cur.text} 相同，却称{word} {pct_text}%",
                                   para, section, quote, expected="0%", actual=f"{pct_text}%")
                continue
            if (diff > 0) != up:
                yield _finding("percent-pair", "error",
                               f"上年 {prev.text}、本年 {cur.text}，应为{'增加' if diff > 0 else '减少'}，"
                               f"说明却写“{word}{pct_text}%”", para, section, quote,
                               expected="增加" if diff > 0 else "减少", actual=word)
                continue
            places = len(pct_text.split(".")[1]) if "." in pct_text else 0
            unit = Decimal(10) ** -places
            lo, hi = percent_range(prev, cur)
            if lo - unit <= pct <= hi + unit / 2:
                continue
            exact = abs(diff) / prev.yuan * 100
            computed = exact.quantize(unit, rounding=ROUND_HALF_UP)
            yield _finding("percent-pair", "error",
                           f"增减百分比 {pct_text}% 与计算值不符：（{cur.text} − {prev.text}）÷ {prev.text}"
                           f" = {'' if diff > 0 else '−'}{computed}%", para, section, quote,
                           expected=f"{computed}%", actual=f"{pct_text}%")


# ---------------------------------------------------------------------------------------
# procurement-sum

_PROC_TOTAL = re.compile(
    r"政府采购[^，。；;、\d中小微]{0,16}?(?:预算|安排|总额|总金额|金额|共有|合计)[^，。；;、\d]{0,8}?"
    + _AMOUNT)
_PROC_PART = {
    what: re.compile(what + r"[^，。；;、\d]{0,10}?" + _AMOUNT)
    for what in ("货物", "工程", "服务")
}
_NOT_TOTAL = re.compile(r"货物|工程|服务|中小|小微|预留")
_SME = re.compile(r"面向中小企业预留[^，。；;\d]{0,20}?" + _AMOUNT)
_SMALL = re.compile(r"(?:小型和微型企业|小微企业)[^，。；;\d]{0,20}?" + _AMOUNT)


@rule("procurement-sum", severity="error", family="narrative",
      summary="政府采购：货物、工程、服务之和等于采购总额；面向中小企业预留不超过总额，小微企业不超过中小企业")
def procurement_sum(doc: Disclosure) -> Iterator[Finding]:
    """The explanation of government procurement states a total and its breakdown
    (``政府采购预算1662.44万元，其中：政府采购货物预算93.98万元、政府采购工程预算815.87万元、
    政府采购服务预算752.59万元``): 货物 + 工程 + 服务 equals the total, within the rounding of
    the printed amounts. The share reserved for small and medium enterprises
    (``面向中小企业预留…``) does not exceed the total, and the part reserved for small and
    micro enterprises does not exceed it."""
    for section, text, offsets in _section_texts(doc):
        if "采购" not in text:
            continue
        totals = [m for m in _PROC_TOTAL.finditer(text) if not _NOT_TOTAL.search(m.group(0))]
        total = said(totals[0].group(1), totals[0].group(2)) if totals else None
        for i, total_m in enumerate(totals):
            this = said(total_m.group(1), total_m.group(2))
            stop = totals[i + 1].start() if i + 1 < len(totals) else len(text)
            window = text[total_m.end():min(stop, total_m.end() + 160)]
            parts: dict[str, Said] = {}
            for what, pat in _PROC_PART.items():
                m = pat.search(window)
                if m is not None:
                    parts[what] = said(m.group(1), m.group(2))
            if len(parts) < 3:
                continue
            sum_yuan = sum((p.yuan for p in parts.values()), ZERO)
            tol = this.half + sum((p.half for p in parts.values()), ZERO)
            if abs(sum_yuan - this.yuan) > tol:
                f = UNIT_YUAN[this.unit]
                yield _finding(
                    "procurement-sum", "error",
                    f"政府采购总额 {this.text} 不等于货物 {parts['货物'].text} + 工程 "
                    f"{parts['工程'].text} + 服务 {parts['服务'].text} = {fmt(sum_yuan / f)}{this.unit}",
                    _para_at(offsets, total_m.start()), section, text[total_m.start():total_m.end() + 80].strip(),
                    tables=("procurement",), expected=fmt(sum_yuan / f), actual=fmt(this.value))
        sme_m = _SME.search(text)
        sme = said(sme_m.group(1), sme_m.group(2)) if sme_m else None
        if sme is not None and total is not None and sme.yuan > total.yuan + total.half + sme.half:
            yield _finding("procurement-sum", "error",
                           f"面向中小企业预留 {sme.text} 超过政府采购总额 {total.text}",
                           _para_at(offsets, sme_m.start() if sme_m else 0), section,
                           sme_m.group(0) if sme_m else "", tables=("procurement",),
                           expected=f"≤{fmt(total.value)}", actual=fmt(sme.value))
        small_m = _SMALL.search(text, sme_m.end()) if sme_m else None
        if small_m is not None and sme is not None:
            small = said(small_m.group(1), small_m.group(2))
            if small.yuan > sme.yuan + small.half + sme.half:
                yield _finding("procurement-sum", "error",
                               f"预留给小微企业的 {small.text} 超过面向中小企业预留的 {sme.text}",
                               _para_at(offsets, small_m.start()), section, small_m.group(0),
                               tables=("procurement",),
                               expected=f"≤{fmt(sme.value)}", actual=fmt(small.value))


# ---------------------------------------------------------------------------------------
# empty-note-table

#: a note saying its table has nothing to show
_EMPTY_NOTE = re.compile(r"空表|无数据|无发生额|没有数据")
#: table id → (the words naming what the table shows, its name in messages)
_NOTE_SUBJECT: dict[str, tuple[str, str]] = {
    "fund_expenditure": ("政府性基金", "政府性基金预算"),
    "final_fund_expenditure": ("政府性基金", "政府性基金预算"),
    "capital_expenditure": ("国有资本经营", "国有资本经营预算"),
    "final_capital_expenditure": ("国有资本经营", "国有资本经营预算"),
    "three_public": ("三公", "“三公”经费"),
    "final_three_public": ("三公", "“三公”经费"),
}


def _column_numbers(row: Row) -> bool:
    """The row numbering the columns (栏次: ``** 1 2 3 …``), not amounts."""
    if key(row.label) in ("栏次", "*", "**", "栏 次"):
        return True
    vals = [c.value for c in row.cells if c.value is not None]
    return len(vals) >= 2 and all(v == int(v) for v in vals) and \
        [int(v) for v in vals] == list(range(int(vals[0]), int(vals[0]) + len(vals)))


@rule("empty-note-table", severity="warning", family="completeness",
      summary="空表说明针对本表：说明所称的事项与表名一致；有金额的表不应注明为空表")
def empty_note_table(doc: Disclosure) -> Iterator[Finding]:
    """The note under a table that says it is empty (``故本表为空表``, ``本表无数据``,
    ``本表本年无发生额``) is about that table: the note of the 国有资本经营 table names
    国有资本经营, not 政府性基金 (a note copied from the table before), and so on for the
    fund and “三公” tables. A table whose cells print amounts other than zero cannot be
    declared empty. Warnings: the note is read from the page below the table, and a
    misplaced note is a layout question before it is an error."""
    for t in doc.tables:
        note = (t.note or "").strip()
        if not note or not _EMPTY_NOTE.search(note):
            continue
        subject = _NOTE_SUBJECT.get(t.id)
        if subject is not None and subject[0] not in note:
            others = [v[1] for k, v in _NOTE_SUBJECT.items() if v[0] in note and v[0] != subject[0]]
            if others:
                yield Finding("empty-note-table", "warning",
                              f"“{t.title or table_name(t.id)}”的空表说明写的是{others[0]}，"
                              f"应说明本表（{subject[1]}）为何为空：“{note[:60]}”",
                              (t.id,), None, (), subject[1], others[0], t.location)
                continue
        amounts = [(r, c) for r in t.rows if not _column_numbers(r)
                   for c in r.cells if c.value is not None and c.value != 0]
        if amounts:
            r, c = amounts[0]
            yield Finding("empty-note-table", "warning",
                          f"“{t.title or table_name(t.id)}”注明为空表或无数据，但表中有金额"
                          f"（{key(r.label) or r.code or column_name(c.column)} {c.text}）：“{note[:60]}”",
                          (t.id,), None, (cell_ref(t, r, c),), "空表", c.text, t.location)


# ---------------------------------------------------------------------------------------
# final-rate

_FINAL_PAIR = re.compile(
    r"(?:年初预算|支出预算|预算)(?:数)?(?:为|是)?\s*" + _AMOUNT
    + r"\s*[，,]?\s*(?:支出)?决算(?:数)?(?:为|是)?\s*" + _AMOUNT
    + r"(?:\s*[，,]\s*完成(?:年初)?预算(?:数)?的\s*(\d+(?:\.\d+)?)\s*[%％])?")
_FINAL_WORD = re.compile(
    r"决算数?(?:与|和|较|比)?(?:年初)?(?:预算数?)?(?:相比)?"
    r"(基本持平|持平|相等|一致|等于|大于|小于|高于|低于|超过|增加|减少)")


#: digits printed with spaces between them (年初预算 9 9 9 . 8 3万元)
_SPACED = re.compile(r"(?<=[\d.,]) (?=[\d.,])")


_Joined = tuple[Section | None, str, list[tuple[int, Paragraph]]]


def _section_texts(doc: Disclosure) -> list[_Joined]:
    """Each section's paragraphs joined into one text (a paragraph ending without a
    sentence mark continues in the next: the readers break paragraphs at page and line
    ends), with the offset of each paragraph (computed once per document)."""
    memo = doc_memo(doc)
    hit = memo.get("reviewer-sections")
    if hit is None:
        hit = memo["reviewer-sections"] = list(_joined_sections(doc))
    return hit  # type: ignore[return-value]


def _joined_sections(doc: Disclosure) -> Iterator[_Joined]:
    by: dict[int, tuple[Section | None, list[Paragraph]]] = {}
    for section, para in paragraphs(doc):
        by.setdefault(id(section), (section, []))[1].append(para)
    for section, paras in by.values():
        text = ""
        offsets: list[tuple[int, Paragraph]] = []
        for p in paras:
            if text and not text.endswith(("。", "；", ";", "！", "？", "：", ":")):
                pass  # continues
            elif text:
                text += "\n"
            offsets.append((len(text), p))
            text += _SPACED.sub("", p.text.strip())
        yield section, text, offsets


def _para_at(offsets: list[tuple[int, Paragraph]], pos: int) -> Paragraph:
    return [p for start, p in offsets if start <= pos][-1]


@rule("final-rate", severity="error", family="narrative",
      summary="决算说明：完成率 = 决算数 ÷ 年初预算数，“大于/小于/持平”与两数一致")
def final_rate(doc: Disclosure) -> Iterator[Finding]:
    """In a final account (决算), an item stated with its budget (at the start of the year,
    or as adjusted) and its final amount (``年初预算为2993.92万元，支出决算为2940.05万元，
    完成年初预算的98.20%``, ``预算593.46万元，支出决算587.55万元，完成预算的99%``): the
    completion rate is 决算 ÷ 预算 × 100, rounded or truncated at its printed precision
    (the rounding of the two amounts allowed for), and the comparison that follows
    (``决算数小于预算数``, ``大于``, ``持平``, ``决算数较预算数减少``) agrees with the two
    amounts (``基本持平`` allows a difference of up to 1% of the budget). A rate against a
    budget of zero cannot be stated."""
    if doc.kind != "决算":
        return
    for section, text, offsets in _section_texts(doc):
        if "决算" not in text:
            continue
        matches = list(_FINAL_PAIR.finditer(text))
        for i, m in enumerate(matches):
            budget, final = said(m.group(1), m.group(2)), said(m.group(3), m.group(4))
            para = _para_at(offsets, m.start())
            quote = m.group(0)
            if m.group(5) is not None:
                rate_text = m.group(5)
                rate = Decimal(rate_text)
                if budget.value == 0:
                    if final.value != 0:
                        yield _finding("final-rate", "warning",
                                       f"年初预算为 0，完成率无法计算，不应写 {rate_text}%", para, section,
                                       quote, expected="无可比", actual=f"{rate_text}%")
                else:
                    places = len(rate_text.split(".")[1]) if "." in rate_text else 0
                    unit = Decimal(10) ** -places
                    ratios = [(final.yuan + dx) / (budget.yuan + dy) * 100
                              for dx in (-final.half, final.half) for dy in (-budget.half, budget.half)
                              if budget.yuan + dy > 0]
                    exact = final.yuan / budget.yuan * 100
                    lo, hi = min([exact, *ratios]), max([exact, *ratios])
                    if not (lo - unit <= rate <= hi + unit / 2):
                        computed = exact.quantize(unit, rounding=ROUND_HALF_UP)
                        yield _finding("final-rate", "error",
                                       f"完成率 {rate_text}% 与计算值不符：{final.text} ÷ {budget.text} = "
                                       f"{computed}%", para, section, quote,
                                       expected=f"{computed}%", actual=f"{rate_text}%")
            stop = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            w = _FINAL_WORD.search(text, m.end(), min(stop, m.end() + 60))
            if w is None:
                continue
            word = w.group(1)
            diff = final.yuan - budget.yuan
            slack = final.half + budget.half
            if word == "基本持平":
                ok = abs(diff) <= max(slack, budget.yuan / 100)
            elif word in ("持平", "相等", "一致", "等于"):
                ok = abs(diff) <= slack
            elif word in ("大于", "高于", "超过", "增加"):
                ok = diff > 0
            else:
                ok = diff < 0
            if not ok:
                want = "持平" if abs(diff) <= slack else ("大于" if diff > 0 else "小于")
                yield _finding("final-rate", "error",
                               f"年初预算 {budget.text}、决算 {final.text}，决算数应{want}预算数，"
                               f"说明却称“{w.group(0)}”", para, section, text[m.start():w.end()][:120],
                               expected=want, actual=word)


# ---------------------------------------------------------------------------------------
# narrative-name-obsolete

_NAMED = re.compile(r"([\u4e00-\u9fff、]{2,40}?)\s*[（(](类|款|项)[)）]\s*(支出)?")


def _far_from_change(cat: Any, code: str, name: str, year: int) -> bool:
    """Whether ``year`` is at least two years from when ``code`` stopped (or started)
    being called ``name``: the catalogue's years of change are partly recalled, and the
    documents of the year of a change print either name."""
    from yusuan.catalog import name_key

    spans = [e for e in cat.names("function", code) if name_key(e.name) == name_key(name)]
    if not spans:
        return False
    return all((e.valid_to is not None and e.valid_to <= year - 2)
               or (e.valid_from is not None and e.valid_from >= year + 2) for e in spans)


@rule("narrative-name-obsolete", severity="error", family="narrative",
      summary="说明中的科目名称（带“（类）（款）（项）”）不是本年度已停用的旧名称")
def narrative_name_obsolete(doc: Disclosure) -> Iterator[Finding]:
    """A classification name the explanations write with its level (``医疗卫生与计划生育支出
    （类）``) is the name of the document's year, not a name the catalogue lists as replaced
    before (or introduced after) that year: 医疗卫生与计划生育支出 became 卫生健康支出 in
    2019, 行政事业单位医疗 stayed, and so on (see ``yusuan catalog``). The finding names the
    code and its name for the year. A name the catalogue holds with low confidence gives
    a warning. Names the catalogue does not know are left to ``narrative-class-name``."""
    if doc.year is None:
        return
    from yusuan.catalog import load_catalog

    cat = load_catalog()
    seen: set[tuple[str, int]] = set()
    for section, para in paragraphs(doc):
        text = para.text
        if not _LEVEL.search(text):
            continue
        for m in _NAMED.finditer(text):
            raw, level = key(m.group(1)), m.group(2)
            names = [raw[i:] for i in range(0, max(1, len(raw) - 3))] if level == "类" else [raw]
            for name in names:
                tries = [name, name + "支出"] if level == "类" and not name.endswith("支出") else [name]
                hit = None
                for n in tries:
                    e = cat.renamed("function", n, doc.year)
                    if e is not None and e.level == level and _far_from_change(cat, e.code, n, doc.year):
                        hit = (n, e)
                        break
                    if cat.find_name("function", n, doc.year):
                        hit = None
                        break
                if hit is None:
                    continue
                n, e = hit
                if (n, id(para)) in seen:
                    break
                seen.add((n, id(para)))
                sev: Severity = "warning" if e.confidence == "low" else "error"
                yield _finding("narrative-name-obsolete", sev,
                               f"说明中的科目名称“{n}”（{level}）在 {doc.year} 年已不使用，科目 {e.code} 应为"
                               f"“{e.name}”", para, section, m.group(0), expected=e.name, actual=n)
                break


# ---------------------------------------------------------------------------------------
# vehicle-sum

_VEHICLES = re.compile(r"车辆\s*(\d+)\s*辆")
_VEHICLE_KIND = re.compile(r"([\u4e00-\u9fff（）()]{2,16}?用车)\s*(\d+)\s*辆")


def _clause_end(text: str, start: int) -> int:
    end = len(text)
    for stop in ("。", "；", "单价", "单位价值", "\n"):
        i = text.find(stop, start)
        if i != -1:
            end = min(end, i)
    return end


@rule("vehicle-sum", severity="error", family="narrative",
      summary="国有资产说明：各类车辆数之和等于车辆总数")
def vehicle_sum(doc: Disclosure) -> Iterator[Finding]:
    """The explanation of state-owned assets counts the vehicles and then each kind
    (``共有车辆7辆，其中：一般公务用车3辆、执法执勤用车4辆、特种专业技术用车0辆…``, or the kinds
    in brackets): the kinds add up to the total. Only a total followed in the same sentence
    by at least two kinds (each ``…用车 N 辆``) is checked."""
    for section, text, offsets in _section_texts(doc):
        if "辆" not in text:
            continue
        for m in _VEHICLES.finditer(text):
            end = _clause_end(text, m.end())
            if text.startswith("。其中", end):  # 共有车辆55辆。其中，一般公务用车13辆、…
                end = _clause_end(text, end + 1)
            kinds = _VEHICLE_KIND.findall(text, m.end(), end)
            if len(kinds) < 2:
                continue
            total = int(m.group(1))
            parts = sum(int(n) for _, n in kinds)
            if parts != total:
                listed = "、".join(f"{k}{n}辆" for k, n in kinds)
                yield _finding("vehicle-sum", "error",
                               f"车辆总数 {total} 辆不等于各类车辆之和 {parts} 辆（{listed}）",
                               _para_at(offsets, m.start()), section, text[m.start():end][:120],
                               tables=("assets",), expected=str(parts), actual=str(total))


# ---------------------------------------------------------------------------------------
# performance-funds

_PERF_FUNDS = re.compile(r"涉及项目(?:预算)?资金(?:合计|共计|总额)?(?:为)?\s*" + _AMOUNT)


@rule("performance-funds", severity="warning", family="performance",
      summary="绩效目标说明中“涉及项目预算资金”不超过项目支出，其“其中”各项之和等于该金额")
def performance_funds(doc: Disclosure) -> Iterator[Finding]:
    """The explanation of performance goals states the project money the goals cover
    (``编报绩效目标的项目共4个，涉及项目预算资金598.46万元``). It cannot exceed the
    document's 项目支出 (the expenditure table; a warning, since a region may count other
    money), and when it is broken down (``其中：中介机构服务费418.80万元，财政业务费10.00万元…``)
    the parts add up to it (an error)."""
    from yusuan.audit.narrative import target

    project = target(doc, "project")
    for section, text, offsets in _section_texts(doc):
        if "涉及项目" not in text:
            continue
        for m in _PERF_FUNDS.finditer(text):
            x = said(m.group(1), m.group(2))
            para = _para_at(offsets, m.start())
            if isinstance(project, Term) and project.printed:
                slack = x.half + Decimal("0.005") * factor(project.table.unit)
                if x.yuan > project.yuan + slack:
                    yield _finding("performance-funds", "warning",
                                   f"绩效目标涉及项目预算资金 {x.text}，超过{table_name(project.table.id)}的"
                                   f"项目支出 {fmt(project.value)}{project.table.unit or ''}",
                                   para, section, m.group(0), cells=(project.ref(),),
                                   tables=(project.table.id,), expected=f"≤{fmt(project.value)}",
                                   actual=fmt(x.value))
            rest = text[m.end():]
            if not re.match(r"\s*[。；;，,]?\s*其中", rest):
                continue
            end = _clause_end(rest, rest.find("其中"))
            parts = [said(a, u) for a, u in _NUM.findall(rest[:end])]
            if len(parts) < 2:
                continue
            total = sum((p.yuan for p in parts), ZERO)
            tol = x.half + sum((p.half for p in parts), ZERO)
            if abs(total - x.yuan) > tol:
                f = UNIT_YUAN[x.unit]
                yield _finding("performance-funds", "error",
                               f"绩效目标涉及项目预算资金 {x.text}，但“其中”所列各项之和为 {fmt(total / f)}{x.unit}",
                               para, section, (m.group(0) + rest[:end])[:120],
                               expected=fmt(total / f), actual=fmt(x.value))


# ---------------------------------------------------------------------------------------
# final-three-public-counts

#: item → (its names, the counts its explanation must give: (pattern, what) …)
_THREE_COUNTS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    ("因公出国（境）费", ("因公出国（境）费", "因公出国(境)费", "因公出国费"),
     ((r"团组", "团组数"), (r"人次|\d+\s*人", "人数"))),
    ("公务用车购置费", ("公务用车购置费", "购置公务用车", "公务用车购置支出"),
     ((r"\d+\s*辆", "购置数"),)),
    ("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "公务车运行维护费", "公务用车运维费"),
     ((r"保有量", "保有量"),)),
    ("公务接待费", ("公务接待费",), ((r"批次|团组", "批次"), (r"人次|\d+\s*人", "人数"))),
)
_SPENT = r"[^。；;]{0,30}?(?:支出决算|决算数?|支出)(?:为|是)?\s*" + _AMOUNT


@rule("final-three-public-counts", severity="warning", family="completeness",
      summary="决算“三公”经费说明给出团组数和人次、车辆购置数和保有量、接待批次和人次")
def final_three_public_counts(doc: Disclosure) -> Iterator[Finding]:
    """A final account (决算) explains each “三公” item it spent money on with its counts
    (the Ministry's rule: 因公出国（境）团组数及人数, 公务用车购置数及保有量, 国内公务接待的
    批次和人数; RULES.md §1, §3): in the sections explaining the “三公” accounts, an item
    whose final amount is above zero (``公务用车运行维护费…支出决算450.96万元``) comes with
    its counts (``保有量为N辆``). A warning: a region may give the counts in a table."""
    if doc.kind != "决算":
        return
    for s in doc.sections:
        for sec in s.walk():
            h = sec.heading
            if "三公" not in h or not ("说明" in h or "情况" in h) or "名词" in h:
                continue
            text = _SPACED.sub("", sec.text)
            for item, names, needs in _THREE_COUNTS:
                spent: Said | None = None
                for name in names:
                    for m in re.finditer(re.escape(name) + _SPENT, text):
                        x = said(m.group(1), m.group(2))
                        if spent is None or x.yuan > spent.yuan:
                            spent = x
                if spent is None or spent.value <= 0:
                    continue
                missing = [what for pat, what in needs if not re.search(pat, text)]
                if missing:
                    yield Finding("final-three-public-counts", "warning",
                                  f"“三公”经费决算说明中{item}有支出（{spent.text}），但未说明"
                                  f"{'、'.join(missing)}", ("narrative", "final_three_public"), sec.heading,
                                  (CellRef("narrative", sec.location.page, None, None, sec.heading, "",
                                           item, sec.location),),
                                  "、".join(missing), None, sec.location)
            break  # the subsections are in this section's text
