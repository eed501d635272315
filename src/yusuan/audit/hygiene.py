"""Text hygiene of the explanations: doubled punctuation, unbalanced quotes and
brackets, sentences cut off, template wording left in, paragraphs printed twice,
non-standard names of fiscal terms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from yusuan.audit.finding import CellRef, Finding
from yusuan.audit.registry import rule
from yusuan.audit.text import doc_memo, paragraphs
from yusuan.model import Disclosure, Paragraph, Section, Table


def _f(rule_id: str, severity: str, msg: str, section: Section | None, para: Paragraph,
       snippet: str, expected: str | None = None) -> Finding:
    heading = section.heading if section else None
    return Finding(rule_id, severity, msg, ("narrative",), heading,  # type: ignore[arg-type]
                   (CellRef("narrative", para.location.page, None, None, heading or "", "",
                            snippet, para.location),),
                   expected, snippet, para.location)


def _texts(doc: Disclosure) -> tuple[tuple[Section | None, Paragraph], ...]:
    """The paragraphs and the headings (as paragraphs), once per document."""
    memo = doc_memo(doc)
    hit = memo.get("hygiene-texts")
    if hit is None:
        hit = (*paragraphs(doc), *((s, Paragraph(s.heading, s.location)) for s in doc.walk_sections()))
        memo["hygiene-texts"] = hit
    return hit  # type: ignore[return-value]


_DOUBLED = re.compile(r"([。，、；：！？])\1+|[，、；：][。，、；]|。[，、；]")


@rule("doubled-punctuation", severity="warning", family="hygiene",
      summary="标点重复或连用（“。。”“，。”）")
def doubled_punctuation(doc: Disclosure) -> Iterator[Finding]:
    """Two sentence or clause marks in a row (``。。``, ``，，``, ``，。``, ``；。``) in the
    explanations."""
    for section, para in _texts(doc):
        for m in _DOUBLED.finditer(para.text):
            ctx = para.text[max(0, m.start() - 8):m.end() + 2]
            yield _f("doubled-punctuation", "warning", f"标点重复：“{ctx}”", section, para, m.group(0))


_MARKS = re.compile(r'[“”"（）()《》【】\[\]〔〕]')
_PAIRS = (("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"), ("[", "]"), ("〔", "〕"))


@rule("unbalanced-brackets", severity="warning", family="hygiene",
      summary="引号、括号、书名号不成对")
def unbalanced_brackets(doc: Disclosure) -> Iterator[Finding]:
    """Within a paragraph, opening and closing marks pair up: “ ”, （ ）, ( ), 《 》, 【 】,
    [ ], 〔 〕 (a full-width bracket may close a half-width one and vice versa), and straight
    double quotes come in even numbers."""
    for section, para in _texts(doc):
        t = para.text
        if not _MARKS.search(t):
            continue
        problems: list[str] = []
        if t.count("“") != t.count("”"):
            problems.append("“”")
        if t.count('"') % 2:
            problems.append('""')
        opens = t.count("（") + t.count("(")
        closes = t.count("）") + t.count(")")
        if opens != closes:
            problems.append("（）")
        for a, b in _PAIRS[2:]:
            if t.count(a) != t.count(b):
                problems.append(a + b)
        if problems:
            yield _f("unbalanced-brackets", "warning",
                     f"{'、'.join(problems)} 不成对：“{t[:40]}{'…' if len(t) > 40 else ''}”",
                     section, para, " ".join(problems))


_CUT = re.compile(r"(主要原因是|原因是|主要是|主要用于|用于|主要为|包括|其中|为|是|：|:)\s*[。；;]")


@rule("truncated-sentence", severity="error", family="hygiene",
      summary="句子残缺（“主要原因是。”）")
def truncated_sentence(doc: Disclosure) -> Iterator[Finding]:
    """A sentence that stops right after a word announcing its content (``主要原因是。``,
    ``主要用于。``, ``其中：。``)."""
    for section, para in paragraphs(doc):
        for m in _CUT.finditer(para.text):
            ctx = para.text[max(0, m.start() - 10):m.end()]
            yield _f("truncated-sentence", "error", f"句子残缺：“{ctx}”", section, para, m.group(0))


_TEMPLATE = re.compile(
    r"增加[（(]减少[）)]|减少[（(]增加[）)]|增[（(]减[）)]|上升[（(]下降[）)]|增长[（(]下降[）)]"
    r"|[XＸ×x]{2,}|＊{2,}|\*{3,}|[（(]填写[^）)]*[）)]|[（(]请[^）)]{0,10}[）)]|某某|[〇○]{2,}年"
)


#: every match of _TEMPLATE contains one of these
_TEMPLATE_HINTS = ("（", "(", "某某", "＊＊", "**", "X", "Ｘ", "×", "x", "〇", "○")


@rule("template-wording", severity="error", family="hygiene",
      summary="模板用语未替换（“增加（减少）”“XX”“（填写…）”）")
def template_wording(doc: Disclosure) -> Iterator[Finding]:
    """Wording of the template left in the published text: ``增加（减少）``,
    ``增（减）``, placeholders ``XX``/``××``/``***``, ``（填写…）``, ``某某``, ``〇〇年``."""
    for section, para in _texts(doc):
        if not any(w in para.text for w in _TEMPLATE_HINTS):
            continue  # none of the marks every pattern needs: skip the slow expression
        for m in _TEMPLATE.finditer(para.text):
            yield _f("template-wording", "error", f"模板用语未替换：“{m.group(0)}”", section, para,
                     m.group(0))


_PAGE_HEADER = re.compile(r"^(编制部门|编制单位|单位名称|预算年度|金额单位|单位：)")


@rule("repeated-paragraph", severity="warning", family="hygiene",
      summary="段落重复（同一段文字出现两次）")
def repeated_paragraph(doc: Disclosure) -> Iterator[Finding]:
    """A paragraph of at least 15 characters printed twice (often a PDF's layering, or a
    copy and paste); the second occurrence is reported. Lines repeated on every table
    page (编制部门：…, 单位：…) are not paragraphs and are left alone."""
    seen: dict[str, Paragraph] = {}
    for section, para in paragraphs(doc):
        k = re.sub(r"\s+", "", para.text)
        if len(k) < 15 or _PAGE_HEADER.match(k):
            continue
        if k in seen:
            first = seen[k]
            where = f"第 {first.location.line} 行" if first.location.line else "前文"
            yield _f("repeated-paragraph", "warning", f"段落重复（与{where}相同）：“{para.text[:30]}…”",
                     section, para, para.text[:30])
        else:
            seen[k] = para


@dataclass(frozen=True, slots=True)
class TermFix:
    """A non-standard name of a fiscal term: ``wrong`` (a regular expression) should read
    ``right``; ``source`` says where the standard name is fixed."""

    wrong: str
    right: str
    source: str


#: Non-standard fiscal terms and their standard names (only names fixed by law or by the
#: Ministry of Finance's disclosure rules; RULES.md §2).
TERM_FIXES: tuple[TermFix, ...] = (
    TermFix(r"(?<!性)政府基金", "政府性基金",
            "预算法第五条: 政府性基金预算; the table is the 政府性基金预算财政拨款支出表"),
    TermFix(r"公务招待费", "公务接待费",
            "“三公”经费: 因公出国（境）费、公务用车购置及运行费、公务接待费 (财预〔2016〕143号 目录)"),
    TermFix(r"因公出国费", "因公出国（境）费",
            "“三公”经费: 因公出国（境）费 (财预〔2016〕143号 目录)"),
)
_TERM_RES = tuple((re.compile(t.wrong), t) for t in TERM_FIXES)
#: every wrong name contains one of these (skip the expressions on most texts)
_TERM_HINTS = ("政府基金", "招待费", "出国费")


def _table_texts(t: Table) -> Iterator[tuple[str, str]]:
    yield "表名", t.title
    if t.note:
        yield "表注", t.note


@rule("fiscal-term", severity="warning", family="hygiene",
      summary="财政术语用词不规范（“政府基金”应为“政府性基金”等）")
def fiscal_term(doc: Disclosure) -> Iterator[Finding]:
    """A non-standard name of a fiscal term in the explanations, headings, table titles
    or table notes, as listed in ``TERM_FIXES``: ``政府基金`` for 政府性基金 (not when
    preceded by 性), ``公务招待费`` for 公务接待费, ``因公出国费`` for 因公出国（境）费. A
    warning: the meaning is clear, but a published budget should use the statutory name."""
    for section, para in _texts(doc):
        for m, fix in _term_hits(para.text):
            yield _f("fiscal-term", "warning", _term_message(m.group(0), fix, para.text, m.start()),
                     section, para, m.group(0), fix.right)
    for t in doc.tables:
        for what, text in _table_texts(t):
            for m, fix in _term_hits(text):
                yield Finding("fiscal-term", "warning",
                              f"{what}{_term_message(m.group(0), fix, text, m.start())}", (t.id,),
                              None, (), fix.right, m.group(0), t.location)


def _term_hits(text: str) -> Iterator[tuple[re.Match[str], TermFix]]:
    """Each non-standard term in ``text`` with its fix."""
    if any(h in text for h in _TERM_HINTS):
        for rx, fix in _TERM_RES:
            for m in rx.finditer(text):
                yield m, fix


def _term_message(wrong: str, fix: TermFix, text: str, at: int) -> str:
    ctx = text[max(0, at - 6):at + len(wrong) + 8]
    return f"用词不规范：“{wrong}”应为“{fix.right}”（“{ctx}”）"
