"""Rules comparing the explanations (情况说明) with the tables, and checking the
arithmetic, percentages, direction words, years and class names of the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from yusuan.audit.common import Term, factor, find_column, find_row, key, term
from yusuan.audit.finding import CellRef, Finding, fmt
from yusuan.audit.registry import rule
from yusuan.audit.text import (
    FLAT,
    YEAR,
    Statement,
    doc_memo,
    paragraphs,
    sentences,
    statements,
)
from yusuan.model import Disclosure, Paragraph, Section, Table

ZERO = Decimal(0)

#: topic → (table, row labels, column names, side) candidates; the first that exists is used.
TARGETS: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...], str | None], ...]] = {
    "income": (("summary", ("收入总计",), ("预算数", "金额"), "收入"),
               ("summary", ("本年收入合计",), ("预算数", "金额"), "收入")),
    "expenditure": (("summary", ("支出总计",), ("预算数", "金额"), "支出"),
                    ("summary", ("本年支出合计",), ("预算数", "金额"), "支出")),
    "both": (("summary", ("收入总计",), ("预算数", "金额"), "收入"),
             ("summary", ("本年收入合计",), ("预算数", "金额"), "收入")),
    "fiscal_income": (("summary", ("财政拨款收入",), ("预算数", "金额"), "收入"),
                      ("income", ("合计",), ("财政拨款收入", "财政拨款"), None)),
    "general_income": (("summary", ("一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算财政拨款收入"),
                        ("预算数", "金额"), "收入"),
                       ("fiscal_summary", ("一般公共预算拨款", "一般公共预算财政拨款"), ("金额", "预算数"), "收入")),
    "fund_income": (("summary", ("政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算财政拨款收入"),
                     ("预算数", "金额"), "收入"),),
    "capital_income": (("summary", ("国有资本经营预算拨款收入", "国有资本经营预算拨款",
                                    "国有资本经营预算财政拨款收入"), ("预算数", "金额"), "收入"),),
    "special_income": (("summary", ("财政专户管理资金收入", "财政专户管理资金", "财政专户核拨收入"),
                        ("预算数", "金额"), "收入"),),
    "unit_income": (("summary", ("单位资金", "单位资金收入"), ("预算数", "金额"), "收入"),),
    "carry_in": (("summary", ("上年结转结余", "上年结转", "年初结转结余"), ("预算数", "金额"), "收入"),),
    "business_income": (("income", ("合计",), ("事业收入",), None),),
    "operating_income": (("income", ("合计",), ("经营收入", "事业单位经营收入"), None),),
    "other_income": (("income", ("合计",), ("其他收入",), None),),
    "general_exp": (("general_expenditure", ("合计",), ("合计",), None),),
    "fund_exp": (("fund_expenditure", ("合计",), ("合计",), None),),
    "capital_exp": (("capital_expenditure", ("合计",), ("合计",), None),),
    "basic": (("expenditure", ("合计",), ("基本支出",), None),
              ("general_expenditure", ("合计",), ("基本支出",), None)),
    "project": (("expenditure", ("合计",), ("项目支出",), None),
                ("general_expenditure", ("合计",), ("项目支出",), None)),
    "personnel": (("general_basic_expenditure", ("合计",), ("人员经费",), None),),
    "public": (("general_basic_expenditure", ("合计",), ("公用经费", "日常公用经费"), None),),
    "three_public": (("three_public", ("合计", "三公经费合计"), ("合计",), None),),
    "abroad": (("three_public", ("因公出国（境）费",), ("合计",), None),
               ("three_public", ("合计",), ("因公出国（境）费",), None)),
    "vehicle": (("three_public", ("公务用车购置及运行费", "公务用车购置及运维费"), ("合计",), None),
                ("three_public", ("合计",), ("公务用车购置及运行费", "公务用车购置及运维费"), None)),
    "vehicle_buy": (("three_public", ("公务用车购置费", "购置费"), ("合计",), None),
                    ("three_public", ("合计",), ("公务用车购置费", "购置费"), None)),
    "vehicle_run": (("three_public", ("公务用车运行费", "公务用车运维费", "运行费", "运维费"), ("合计",), None),
                    ("three_public", ("合计",), ("公务用车运行费", "公务用车运维费", "运行费", "运维费"), None)),
    "reception": (("three_public", ("公务接待费",), ("合计",), None),
                  ("three_public", ("合计",), ("公务接待费",), None)),
    "operation": (("three_public", ("机关运行经费",), ("合计",), None),
                  ("three_public", ("合计",), ("机关运行经费",), None)),
    "procurement": (("procurement", ("合计",), ("合计",), None),),
    "assets": (("assets", ("合计",), ("价值", "金额"), None),),
}

TOPIC_NAMES = {
    "income": "收入", "fiscal_income": "财政拨款收入", "expenditure": "支出", "both": "收支",
    "general_income": "一般公共预算拨款收入",
    "fund_income": "政府性基金预算拨款收入", "capital_income": "国有资本经营预算拨款收入",
    "special_income": "财政专户管理资金收入", "unit_income": "单位资金", "carry_in": "上年结转结余",
    "business_income": "事业收入", "operating_income": "经营收入", "other_income": "其他收入",
    "basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费",
    "three_public": "“三公”经费", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行费",
    "vehicle_buy": "公务用车购置费", "vehicle_run": "公务用车运行费", "reception": "公务接待费",
    "operation": "机关运行经费", "procurement": "政府采购预算", "assets": "固定资产",
    "general_exp": "一般公共预算拨款支出", "fund_exp": "政府性基金预算拨款支出",
    "capital_exp": "国有资本经营预算拨款支出",
}


def target(doc: Disclosure, topic: str) -> Term | str | None:
    """The table cell a topic restates: a Term; ``"zero"`` when its table is printed
    empty (the amount is then zero); None when the document has no such cell."""
    memo = doc_memo(doc)
    k = ("target", topic)
    if k not in memo:
        memo[k] = _target(doc, topic)
    return memo[k]  # type: ignore[return-value]


def _target(doc: Disclosure, topic: str) -> Term | str | None:
    for table_id, rows, cols, side in TARGETS.get(topic, ()):
        for table in doc.tables_of(table_id):
            if topic == "operation" and not _prints_operation_cost(table):
                continue  # this region's three-public table does not print it
            if table.empty:
                return "zero"
            row = find_row(table, *rows, side=side)
            if row is None:
                continue
            col = find_column(table, *cols, under=side) or find_column(table, *cols)
            if col is None:
                continue
            return term(table, row, col)
    return None


def _prints_operation_cost(table: Table) -> bool:
    """Whether a three-public table has a 机关运行经费 column or row (an empty one: or says
    in its note that it has none); its title alone does not tell."""
    printed = "".join(c.name for c in table.columns) + "".join(r.label for r in table.rows)
    if table.empty:
        printed += table.note or ""
    return "机关运行经费" in printed


def _finding(rule_id: str, severity: str, message: str, st: Statement | Paragraph,
             section: Section | None, cells: tuple[CellRef, ...] = (), tables: tuple[str, ...] = (),
             expected: str | None = None, actual: str | None = None) -> Finding:
    para = st.paragraph if isinstance(st, Statement) else st
    return Finding(
        rule=rule_id,
        severity=severity,  # type: ignore[arg-type]
        message=message,
        tables=tuple(dict.fromkeys(("narrative", *tables))),
        section=section.heading if section is not None else None,
        cells=(CellRef("narrative", para.location.page, None, None,
                       section.heading if section else "", "", (st.text if isinstance(st, Statement) else ""),
                       para.location), *cells),
        expected=expected,
        actual=actual,
        location=para.location,
    )


@rule("narrative-amount", severity="error", family="narrative",
      summary="说明中的金额等于表中对应单元格（收入、各项来源、支出、基本、人员、公用、项目、三公、机关运行经费、采购、资产）")
def narrative_amount(doc: Disclosure) -> Iterator[Finding]:
    """Every amount the explanations state as a level (not a change) for a known topic
    — 收入, 财政拨款收入 and each source, 上年结转, 支出, 基本支出, 人员经费, 公用经费, 项目支出, “三公”经费
    and each of its parts, 机关运行经费 (where the three-public table prints it; elsewhere it
    must not exceed the basic-expenditure table's 公用经费, DOMAIN §8), 政府采购,
    固定资产 — equals the table cell it restates (a table printed empty counts as zero).
    The comparison is in 元 across units; a difference within the rounding of the printed
    text is a warning."""
    for st in _statements_cached(doc):
        if st.direction != 0 or st.topic is None:
            continue
        t = target(doc, st.topic)
        name = TOPIC_NAMES.get(st.topic, st.topic)
        if t is None and st.topic == "operation":
            pub = target(doc, "public")
            # the text may round the table's amount: 213.28万元 for 2132777.54元
            slack = Decimal("0.5") * Decimal(10) ** -st.places * (st.yuan / st.amount if st.amount else 1)
            if isinstance(pub, Term) and st.yuan > pub.yuan + slack:
                yield _finding("narrative-amount", "error",
                               f"说明称机关运行经费为 {st.text}，超过基本支出表的公用经费 {fmt(pub.value)}"
                               f"{pub.table.unit or ''}（机关运行经费不应超过公用经费）", st, st.section,
                               cells=(pub.ref(),), tables=(pub.table.id,), expected=f"≤{fmt(pub.value)}",
                               actual=fmt(st.amount))
            continue
        if t is None:
            continue
        if t == "zero":
            if st.amount != 0:
                yield _finding("narrative-amount", "error",
                               f"说明称{name}为 {st.text}，但对应的表为空表（0）", st, st.section,
                               tables=tuple(x[0] for x in TARGETS[st.topic][:1]), expected="0.00",
                               actual=fmt(st.amount))
            continue
        assert isinstance(t, Term)
        diff = st.yuan - t.yuan
        if diff == 0:
            continue
        unit_yuan = st.yuan / st.amount if st.amount else Decimal(1)
        if st.amount and (t.yuan / unit_yuan).quantize(Decimal(10) ** -st.places) == st.amount:
            continue  # the text restates the more precise table value, rounded as printed
        unit_f = factor(t.table.unit)
        tol = Decimal("0.5") * Decimal(10) ** -st.places * (st.yuan / st.amount if st.amount else 1)
        tol += Decimal("0.005") * unit_f
        sev = "warning" if abs(diff) <= tol else "error"
        msg = (f"说明称{name}为 {st.text}，表中 {t.table.id} {t.label()} 为 {fmt(t.value)}"
               f"{t.table.unit or ''}")
        if sev == "warning":
            msg = "舍入差异：" + msg
        yield _finding("narrative-amount", sev, msg, st, st.section, cells=(t.ref(),),
                       tables=(t.table.id,), expected=fmt(t.value), actual=fmt(st.amount))


def _changes(doc: Disclosure) -> Iterator[list[Statement]]:
    """Groups of statements that belong together: one paragraph at a time."""
    group: list[Statement] = []
    last: Paragraph | None = None
    for st in _statements_cached(doc):
        if last is not None and st.paragraph is not last:
            yield group
            group = []
        group.append(st)
        last = st.paragraph
    if group:
        yield group


@rule("narrative-change-sum", severity="error", family="narrative",
      summary="说明中的增减额相加一致：总增减 = 基本支出增减 + 项目支出增减")
def narrative_change_sum(doc: Disclosure) -> Iterator[Finding]:
    """When a paragraph (or the sections around it) states the change of the total
    against last year and the changes of 基本支出 and 项目支出, the signed total change
    equals the sum of the two (减少 counts negative)."""
    all_changes = [s for s in _statements_cached(doc) if s.direction != 0]
    by_section: dict[int, list[Statement]] = {}
    for s in all_changes:
        by_section.setdefault(id(s.section), []).append(s)
    for group in by_section.values():
        total = next((s for s in group if s.topic in ("both", "income", "expenditure")), None)
        basic = next((s for s in group if s.topic == "basic"), None)
        project = next((s for s in group if s.topic == "project"), None)
        if total is None or basic is None or project is None:
            continue
        tv = total.direction * total.yuan
        parts = basic.direction * basic.yuan + project.direction * project.yuan
        if tv == parts:
            continue
        f = total.yuan / total.amount if total.amount else Decimal(1)
        yield _finding(
            "narrative-change-sum", "error",
            f"说明中总额{_sign(total)} {fmt(total.amount)}{total.unit}，但基本支出{_sign(basic)} "
            f"{fmt(basic.amount)}{basic.unit}、项目支出{_sign(project)} {fmt(project.amount)}{project.unit}，"
            f"合计为{'增加' if parts >= 0 else '减少'} {fmt(abs(parts) / f)}{total.unit}",
            total, total.section, expected=fmt(parts / f), actual=fmt(tv / f))


def _sign(s: Statement) -> str:
    return "增加" if s.direction > 0 else "减少"


_PCT_CHANGE = re.compile(r"(增长|增加|上升|提高|下降|减少|降低)(了)?\s*(-?\d+(?:\.\d+)?)\s*[%％]")


_TOTAL_TOPICS = frozenset({"both", "income", "expenditure"})


def _same_topic(a: str | None, b: str | None) -> bool:
    return a == b or (a in _TOTAL_TOPICS and b in _TOTAL_TOPICS)


def _base_yuan(doc: Disclosure, change: Statement, levels: list[Statement]) -> Decimal | None:
    """This year's amount, in 元, of the item whose change ``change`` states: a level of
    the same topic stated before it in the sentence (the nearest), else the table cell
    of that topic, else — for a change with no topic — the nearest level before it."""
    before = [lv for lv in levels if lv.pos < change.pos]
    same = [lv for lv in before if _same_topic(lv.topic, change.topic)]
    if same:
        return same[-1].yuan
    if change.topic is not None:
        t = target(doc, change.topic)
        if isinstance(t, Term) and t.printed:
            return t.yuan
        return None
    return before[-1].yuan if before else None


@rule("narrative-percent", severity="error", family="narrative",
      summary="说明中的增减百分比等于计算值，增减用词与符号一致")
def narrative_percent(doc: Disclosure) -> Iterator[Finding]:
    """In a sentence stating the change of an item against last year and a percentage
    (``X万元，比上年增加A万元，增长P%``), P equals A / (X − A) × 100 rounded as printed,
    and the percentage's direction word agrees with the change's. Each percentage is bound
    to the change stated nearest before it, so one sentence may state several
    (``基本支出减少A万元，下降P%，项目支出增加B万元，增长Q%``); this year's X is the level of
    the same item stated before the change in the sentence, else the table cell of that
    item. A sentence saying 持平 / 没有增减 while stating a non-zero change is also
    reported."""
    by_sentence: dict[tuple[int, str], list[Statement]] = {}
    for st in _statements_cached(doc):
        by_sentence.setdefault((id(st.paragraph), st.sentence), []).append(st)
    for sts in by_sentence.values():
        sent, section = sts[0].sentence, sts[0].section
        levels = [s for s in sts if s.direction == 0]
        changes = [s for s in sts if s.direction != 0]
        if any(w in sent for w in FLAT) and any(c.amount != 0 for c in changes):
            c = next(c for c in changes if c.amount != 0)
            yield _finding("narrative-percent", "error",
                           f"说明称持平或没有增减，但同一句中写明变动 {c.text}", c, section,
                           expected="0.00", actual=fmt(c.amount))
        if not changes or ("%" not in sent and "％" not in sent):
            continue
        for m in _PCT_CHANGE.finditer(sent):
            pct = Decimal(m.group(3))
            pdir = 1 if m.group(1) in ("增长", "增加", "上升", "提高") else -1
            before = [c for c in changes if c.pos < m.start()]
            if not before:
                continue
            change = before[-1]
            if change.direction != pdir:
                yield _finding("narrative-percent", "error",
                               f"说明中金额{'增加' if change.direction > 0 else '减少'}，百分比却写“{m.group(1)}”",
                               change, section, expected=None, actual=m.group(0))
                continue
            this_year = _base_yuan(doc, change, levels)
            if this_year is None:
                continue
            last_year = this_year - change.direction * change.yuan
            if last_year <= 0:
                continue
            places = len(m.group(3).split(".")[1]) if "." in m.group(3) else 0
            exact = change.yuan / last_year * 100
            computed = exact.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
            # any correct rounding of the exact value is accepted (253.125 → 253.12 or 253.13)
            if abs(exact - pct) > Decimal(10) ** -places / 2:
                unit = change.yuan / change.amount if change.amount else Decimal(1)
                yield _finding("narrative-percent", "error",
                               f"说明中的百分比 {m.group(3)}% 与计算值不符：{fmt(change.amount)} ÷ "
                               f"{fmt(last_year / unit)} = {computed}%",
                               change, section, expected=f"{computed}%", actual=f"{pct}%")


def _statements_cached(doc: Disclosure) -> tuple[Statement, ...]:
    return statements(doc)


_COMPARE_BEFORE = re.compile(r"(较|比|与|同|对比|相比|比较)\s*$")
_BUDGET_WORDS = ("预算", "安排", "收入", "支出", "经费")
#: words saying the sentence is about the budget year itself
_THIS_YEAR_WORDS = ("本年", "今年", "预算安排", "安排预算", "预算年度")
#: a year that starts a period (2020年起, 2018年以来) may be any year
_SINCE = re.compile(r"^\s*度?\s*(起|以来|开始|至今|以前|之前|前)")
#: after a year, words saying it is last year's execution, not this year's budget
_PAST = re.compile(r"决算|执行|实际|年末|年底|同期|完成")
#: before a year, words saying it names something of that past year (纳入2018年预算管理的…)
_PAST_BEFORE = re.compile(r"(纳入|列入)\s*$")
#: headings of sections about this year's plan (goals, budget, arrangements)
_PLAN_HEADING = re.compile(r"目标|计划|预算|安排")
_AMOUNT_IN = re.compile(r"\d\s*(万元|元|亿元)")
_AS_OF = re.compile(r"(截至|截止)(?:时间)?\s*[:：]?\s*((?:19|20)\d{2})\s*[年\-/.]")


def _compared(sent: str, start: int, end: int) -> bool:
    prefix = sent[max(0, start - 4):start]
    if _COMPARE_BEFORE.search(prefix):
        return True
    return "相比" in sent[end:end + 6] and bool(re.search(r"(与|同)\s*$", prefix))


def _section_paths(doc: Disclosure) -> dict[int, str]:
    """id(section) → its heading joined with its ancestors' headings."""
    out: dict[int, str] = {}

    def walk(s: Section, above: str) -> None:
        path = f"{above}/{s.heading}"
        out[id(s)] = path
        for c in s.children:
            walk(c, path)

    for s in doc.sections:
        walk(s, "")
    return out


def _title_like(text: str) -> bool:
    """A heading-like line: short, no sentence end, naming the budget or final account."""
    return len(text) <= 60 and "。" not in text and ("预算" in text or "决算" in text)


def _year_findings(doc: Disclosure, year: int, para: Paragraph, section: Section | None,
                   plan_section: bool) -> Iterator[Finding]:
    if not YEAR.search(para.text) and not _AS_OF.search(para.text):
        return
    title = _title_like(para.text)
    for sent in sentences(para.text):
        has_amount = bool(_AMOUNT_IN.search(sent))
        budget_amount = has_amount and any(w in sent for w in _BUDGET_WORDS)
        this_year_words = any(w in sent for w in _THIS_YEAR_WORDS)
        for m in YEAR.finditer(sent):
            y = int(m.group(1))
            if _compared(sent, m.start(), m.end()):
                if y != year - 1:
                    yield _finding("narrative-year", "error",
                                   f"比较年份写作 {y} 年（“{sent[max(0, m.start() - 2):m.end() + 10]}”），"
                                   f"应为上年 {year - 1} 年",
                                   para, section, expected=str(year - 1), actual=str(y))
                continue
            if y == year or _SINCE.match(sent[m.end():]):
                continue
            clause = re.split(r"[，,；;。]", sent[m.end():], maxsplit=1)[0]
            if y == year - 1 and (_PAST.search(clause) or _PAST_BEFORE.search(sent[:m.start()])):
                continue
            leading = not sent[:m.start()].strip() and sent[m.end():m.end() + 2].lstrip("度")[:1] in "，,"
            if budget_amount or title or this_year_words or (plan_section and leading):
                quote = sent[m.start():m.start() + 24]
                what = "标题" if title else "说明"
                yield _finding("narrative-year", "error",
                               f"{what}中以 {y} 年陈述本年预算安排（“{quote}…”），预算年度为 {year} 年",
                               para, section, expected=str(year), actual=str(y))
        for m in _AS_OF.finditer(sent):
            want = year - 1 if doc.kind == "预算" else year
            if int(m.group(2)) != want:
                yield _finding("narrative-year", "error",
                               f"“{m.group(0)}…”：资产等数据的截至时间应为{'上年' if doc.kind == '预算' else '本年'}"
                               f"（{want} 年）", para, section, expected=str(want), actual=m.group(2))


@rule("narrative-year", severity="error", family="narrative",
      summary="说明中的年份正确：本年为预算年度，比较年份为上一年，截至时间为上年")
def narrative_year(doc: Disclosure) -> Iterator[Finding]:
    """In the explanations, a year compared against (``较2023年``, ``比2023年``,
    ``与2023年相比``) must be the year before the document's year. A year naming the
    budget year must be the document's year: in a sentence stating an amount with
    预算/安排/收入/支出/经费, in a sentence saying 本年/今年/预算安排/预算年度, in a heading
    or title line naming the 预算/决算, and a year opening a sentence (``2024年，…``) in a
    section about goals, plans or the budget. Last year's execution (``2023年执行数``,
    决算, 年末), something of last year (``纳入2023年预算管理的…``) and the start of a
    period (``2020年起``) are left alone, and so are dates
    (``2023年12月``) and document numbers (``〔2023〕``). The date assets and vehicles are
    counted at (``截至2023年12月31日``) is in the year before a budget's year (a final
    account's own year)."""
    year = doc.year
    if year is None:
        return
    paths = _section_paths(doc)
    for section, para in paragraphs(doc):
        plan = section is not None and bool(_PLAN_HEADING.search(paths.get(id(section), "")))
        yield from _year_findings(doc, year, para, section, plan)
    for s in doc.walk_sections():
        yield from _year_findings(doc, year, Paragraph(s.heading, s.location), s, False)


_LEVEL_MARK = re.compile(r"[（(][类款项][)）]")
_CLASS_NAME = re.compile(r"([\u4e00-\u9fff、（）()“”]{2,40}?)\s*[（(](类|款|项)[)）]")


@rule("narrative-class-name", severity="warning", family="narrative",
      summary="说明中使用的科目名称与表中名称一致")
def narrative_class_name(doc: Disclosure) -> Iterator[Finding]:
    """A classification name the explanations mark with its level (``社会保障和就业支出
    （类）``) is a name printed in the document's function tables; a name that is not (an
    old name, a typo, a class the tables do not have) is reported."""
    names: set[str] = set()
    for t in doc.tables:
        for r in t.rows:
            if r.code or t.id in ("summary", "fiscal_summary"):
                names.add(key(r.label))
    if not names:
        return
    for section, para in paragraphs(doc):
        if not _LEVEL_MARK.search(para.text):
            continue
        for m in _CLASS_NAME.finditer(para.text):
            name = key(re.split(r"[（(](?:类|款|项)[)）]", m.group(1))[-1])
            if name and name not in names:
                yield _finding("narrative-class-name", "warning",
                               f"说明中的科目名称“{name}”（{m.group(2)}）在表中没有出现",
                               para, section, actual=name)


_RATE = re.compile(r"(率|度)[^，。；;%\d]{0,8}?(\d+(?:\.\d+)?)\s*[%％]\s*(以上)?")


@rule("narrative-rate", severity="warning", family="performance",
      summary="说明中的比率不超过 100%（如“救助率达到100%以上”）")
def narrative_rate(doc: Disclosure) -> Iterator[Finding]:
    """A rate or degree stated in the explanations (救助率, 满意度 … followed by a
    percentage) cannot exceed 100%: ``100%以上`` or a value above 100 is reported
    (growth percentages are not rates and are not checked here)."""
    for section, para in paragraphs(doc):
        for m in _RATE.finditer(para.text):
            v = Decimal(m.group(2))
            if v > 100 or (v == 100 and m.group(3)):
                yield _finding("narrative-rate", "warning",
                               f"比率不可能超过 100%：“{m.group(0)}”", para, section,
                               expected="≤100%", actual=f"{m.group(2)}%{m.group(3) or ''}")
