"""Completeness rules (RULES.md §5): required tables present, an empty table with its
note, the required explanation sections, the years of the tables, and 部门/单位 wording
that matches the document's scope."""

from __future__ import annotations

import re
from collections.abc import Iterator

from yusuan.audit.finding import CellRef, Finding
from yusuan.audit.registry import rule
from yusuan.audit.text import paragraphs
from yusuan.model import REQUIRED_BUDGET_TABLES, Disclosure
from yusuan.model.tables import required_tables, table_name

#: The nine tables a 部门/单位决算 publishes (RULES.md §4, the Shanghai 决算 template 附件2).
REQUIRED_FINAL_TABLES: tuple[str, ...] = required_tables("决算")


def _doc_finding(rule_id: str, severity: str, msg: str, tables: tuple[str, ...],
                 expected: str | None = None, actual: str | None = None) -> Finding:
    return Finding(rule_id, severity, msg, tables, None, (), expected, actual, None)  # type: ignore[arg-type]


@rule("table-missing", severity="error", family="completeness",
      summary="必须公开的表格缺失")
def table_missing(doc: Disclosure) -> Iterator[Finding]:
    """A 部门/单位预算 publishes nine tables (收支总表, 收入总表, 支出总表, 财政拨款收支总表,
    一般公共预算财政拨款支出表, 基本支出表, 政府性基金, 国有资本经营, “三公”经费); a 决算
    its own nine (``REQUIRED_FINAL_TABLES``: 收入支出决算总表, 收入决算表, 支出决算表,
    财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表, 基本支出决算表, “三公”经费支出决算表,
    政府性基金 and 国有资本经营 收入支出决算表). Each one missing is an error naming the
    table."""
    required = REQUIRED_FINAL_TABLES if doc.kind == "决算" else REQUIRED_BUDGET_TABLES
    present = {t.id for t in doc.tables}
    for tid in required:
        if tid not in present:
            yield _doc_finding("table-missing", "error",
                               f"缺少必须公开的表格：{table_name(tid)}（{tid}）", (tid,),
                               expected=table_name(tid))


@rule("empty-table-note", severity="error", family="completeness",
      summary="空表须附说明（如“注：无…，空表列示。”）")
def empty_table_note(doc: Disclosure) -> Iterator[Finding]:
    """A table printed without any amount must carry a note explaining why it is empty
    (``注：无政府性基金预算财政拨款预算，空表列示。``); 没有数据的表格应当列出空表并说明."""
    for t in doc.tables:
        if t.id in ("organization", "project_performance"):
            continue
        if t.empty and not (t.note and t.note.strip()):
            yield Finding("empty-table-note", "error",
                          f"“{t.title}”是空表，但没有说明为何为空", (t.id,), None, (),
                          "空表说明", None, t.location)


#: what → (alternative words any one of which shows it is explained, Chinese name)
REQUIRED_SECTIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("duties", ("职责", "主要职能", "职能"), "部门职责"),
    ("organization", ("机构设置", "单位构成"), "机构设置"),  # 决算: 部门决算单位构成
    ("overall", ("总体情况", "收支预算", "编制说明", "收入说明", "支出说明", "预算收入", "收支总"),
     "收支总体情况"),
    ("change", ("增减", "比上年", "较上年", "上年相比", "增加", "减少", "持平"), "收支增减变化"),
    ("operation", ("机关运行经费",), "机关运行经费"),
    ("three_public", ("三公",), "“三公”经费"),
    ("procurement", ("政府采购",), "政府采购"),
    ("assets", ("国有资产", "资产占用", "固定资产"), "国有资产占用"),
    ("performance", ("绩效目标",), "绩效目标"),
    ("glossary", ("名词解释",), "名词解释"),
)


@rule("section-missing", severity="error", family="completeness",
      summary="必须说明的事项缺失（职责、机构设置、收支总体、增减变化、机关运行经费、三公及原因、政府采购、国有资产、绩效目标、名词解释）")
def section_missing(doc: Disclosure) -> Iterator[Finding]:
    """The explanations cover 部门职责, 机构设置, 收支总体情况, 增减变化, 机关运行经费,
    “三公”经费 with the reasons for its change (or a statement that it did not change),
    政府采购, 国有资产占用, 绩效目标 and 名词解释. Each one nowhere mentioned in the
    headings or text of the explanations is an error; a “三公” section without reasons for
    the change is a warning."""
    text = doc.narrative_text
    if not text.strip():
        yield _doc_finding("section-missing", "error", "缺少情况说明（编制说明）", ("narrative",))
        return
    for _id, words, name in REQUIRED_SECTIONS:
        if not any(w in text for w in words):
            yield _doc_finding("section-missing", "error", f"情况说明中缺少“{name}”的说明",
                               ("narrative",), expected=name)
    tp = [s for s in doc.walk_sections() if "三公" in s.heading]
    if tp and not any(re.search(r"原因|增减|持平|变化|增加|减少|一致", s.text) for s in tp):
        s = tp[0]
        yield Finding("section-missing", "warning", "“三公”经费说明中没有说明增减变化的原因",
                      ("narrative", "three_public"), s.heading, (), "增减变化原因", None, s.location)


_DEPT = re.compile(r"(本部门|我部门|部门主要职能|部门机构设置|部门整体)")


@rule("scope-wording", severity="warning", family="completeness",
      summary="“部门/单位”用语与文件口径一致（单位预算中不应称“本部门”）")
def scope_wording(doc: Disclosure) -> Iterator[Finding]:
    """A 单位预算 (unit budget) speaks of 本单位; wording of a 部门 document left in it
    (本部门, 我部门, 部门主要职能 …) is reported once per paragraph."""
    if doc.scope != "单位":
        return
    for section, para in paragraphs(doc):
        m = _DEPT.search(para.text)
        if m:
            yield Finding("scope-wording", "warning",
                          f"单位预算中使用了部门口径的用语“{m.group(1)}”", ("narrative",),
                          section.heading if section else None,
                          (CellRef("narrative", para.location.page, None, None,
                                   section.heading if section else "", "", m.group(1), para.location),),
                          m.group(1).replace("部门", "单位"), m.group(1), para.location)


_TITLE_YEAR = re.compile(r"(?<![\d〔\[（(])((?:19|20)\d{2})\s*年")


@rule("table-year", severity="error", family="completeness",
      summary="表格的预算年度（及标题中的年份）与文件年度一致")
def table_year(doc: Disclosure) -> Iterator[Finding]:
    """Each table's printed year (预算年度：2024) and the year in its title
    (``2025年部门财务收支预算总表``) equal the document's year. A project's 绩效目标表 is
    left alone: a project's name may name any year."""
    if doc.year is None:
        return
    for t in doc.tables:
        years = [t.year] if t.year is not None else []
        if t.project is None:
            years += [int(m.group(1)) for m in _TITLE_YEAR.finditer(t.title)]
        for y in dict.fromkeys(years):
            if y != doc.year:
                yield Finding("table-year", "error",
                              f"“{t.title}”的年度为 {y}，文件年度为 {doc.year}", (t.id,), None, (),
                              str(doc.year), str(y), t.location)


_SEE_TABLE = re.compile(r"(详见|见)下表|如下表")
_HEADING_TABLE = (("政府采购", "procurement"), ("资产", "assets"), ("三公", "three_public"),
                  ("机构设置", "organization"), ("项目", "project_performance"))


def _tables_of_heading(heading: str) -> tuple[str, ...]:
    return ("narrative", *(tid for w, tid in _HEADING_TABLE if w in heading))


@rule("section-content", severity="warning", family="completeness",
      summary="说明章节有内容：章节不为空，“详见下表”有表，空表说明有表")
def section_content(doc: Disclosure) -> Iterator[Finding]:
    """A top-level section of the explanations has text, a table or subsections; a
    section that says 详见下表 prints a table; a note saying a table is shown empty
    (空表列示) stands with a table. Otherwise a table or text was lost."""
    for s in doc.sections:
        for sec in s.walk():
            has_table = bool(sec.tables) or any(c.tables for c in sec.walk())
            if sec is s and not sec.paragraphs and not sec.children and not sec.tables:
                yield Finding("section-content", "warning", f"“{sec.heading}”下没有内容",
                              _tables_of_heading(sec.heading), sec.heading, (), None, None, sec.location)
                continue
            for p in sec.paragraphs:
                if has_table:
                    break
                if _SEE_TABLE.search(p.text) or ("空表" in p.text and p.text.lstrip().startswith("注")):
                    yield Finding("section-content", "warning",
                                  f"“{sec.heading}”提到表格，但其中没有表格：“{p.text[:30]}”",
                                  _tables_of_heading(sec.heading), sec.heading,
                                  (CellRef("narrative", p.location.page, None, None, sec.heading, "",
                                           p.text[:30], p.location),), "表格", None, p.location)
