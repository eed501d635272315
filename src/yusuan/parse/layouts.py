"""Regional layouts as data: the title variants of each canonical table, and the header
words that mark the key columns. New layouts add rows here, not code."""

from __future__ import annotations

import re
from functools import lru_cache

from yusuan.model.text import compact

#: (canonical id, words that must all occur, words that must not occur), tried in order.
#: Titles seen: Hebei (部门预算收支总表 …), Shanghai (部门财务收支预算总表 …, 一般公共预算支出
#: 功能分类预算表, "三公"经费和机关运行经费预算表), Jiangsu 2019 (收支预算总表 …).
TITLE_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # 决算 (final accounts; Shanghai 2024 and the official template): their own kinds,
    # tried first because their titles contain the budget tables' words.
    ("final_three_public", ("三公", "决算"), ()),
    ("final_general_basic_expenditure", ("一般公共预算", "基本支出", "决算"), ()),
    ("final_general_expenditure", ("一般公共预算", "支出决算"), ()),
    ("final_fund_expenditure", ("政府性基金", "决算"), ()),
    ("final_capital_expenditure", ("国有资本经营", "决算"), ()),
    ("final_fiscal_summary", ("财政拨款收入支出决算总表",), ()),
    ("final_summary", ("收入支出决算总表",), ()),
    ("final_income", ("收入决算表",), ()),
    ("final_expenditure", ("支出决算表",), ()),
    ("project_performance", ("绩效目标表",), ("整体",)),
    ("project_performance", ("绩效目标申报表",), ("整体",)),
    ("project_performance", ("绩效目标填报表",), ("整体",)),
    ("three_public", ("三公",), ()),
    # Jiangsu 2019 tables with no canonical id (a 会议费/培训费 table without 三公 too)
    ("other:meeting-training", ("会议费", "培训费"), ()),
    ("other:operating-costs", ("机关运行经费",), ("三公",)),
    ("other:fiscal-expenditure-function", ("财政拨款", "支出", "功能科目"), ("一般公共预算",)),
    ("other:fiscal-basic-expenditure-economic", ("财政拨款", "基本支出", "经济科目"),
     ("一般公共预算",)),
    ("general_basic_expenditure", ("一般公共预算", "基本支出"), ()),
    ("fund_expenditure", ("政府性基金",), ("收入",)),
    ("fund_expenditure", ("政府基金",), ("收入",)),
    ("capital_expenditure", ("国有资本经营",), ("收入",)),
    ("fiscal_summary", ("财政拨款收支",), ()),
    ("fiscal_summary", ("财政拨款收入支出",), ()),
    ("general_expenditure", ("一般公共预算", "支出"), ("三公", "机关运行")),
    ("summary", ("收支总表",), ("财政拨款",)),
    ("summary", ("收支预算总表",), ("财政拨款",)),
    ("summary", ("收入支出总表",), ("财政拨款",)),
    ("income", ("收入总表",), ("财政拨款",)),
    ("income", ("收入预算总表",), ("财政拨款",)),
    ("income", ("收入预算表",), ("财政拨款",)),
    ("expenditure", ("支出总表",), ("财政拨款",)),
    ("expenditure", ("支出预算总表",), ("财政拨款",)),
    ("expenditure", ("支出预算表",), ("财政拨款", "政府采购", "机关运行")),
    ("procurement", ("政府采购",), ()),
    ("assets", ("固定资产",), ()),
    ("assets", ("国有资产占用",), ()),
    ("organization", ("机构设置",), ()),
)

#: Header texts (spaces removed) of the key columns.
SEQ_HEADERS = frozenset({"序号", "行次", "编号"})
CODE_HEADERS = frozenset({
    "科目编码", "功能分类科目编码", "支出功能分类科目编码", "经济分类科目编码", "部门经济分类科目编码",
    "编码", "科目代码", "功能科目编码", "经济科目编码", "类", "款", "项",
    "部门预算经济分类科目编码", "政府预算经济分类科目编码", "支出经济分类科目编码",
})
#: A header ending with one of these names a code column too (…分类科目编码).
CODE_SUFFIXES = ("科目编码", "科目代码", "分类编码")
LABEL_HEADERS = frozenset({
    "科目名称", "项目", "功能分类科目名称", "经济分类科目名称", "支出功能分类科目名称", "单位名称",
    "科目", "项目名称", "名称", "收入项目", "支出项目", "功能分类科目", "经济分类科目",
    "功能科目名称", "经济科目名称",  # Jiangsu 2019
})
SIDE_HEADERS = frozenset({"收入", "支出"})

#: Header words that, all present among a grid's header cells, name a table whose title
#: was not recognised (id, words, words that must not occur), tried in order.
HEADER_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("general_basic_expenditure", ("人员经费", "公用经费"), ()),
    ("fiscal_summary", ("财政拨款收入", "财政拨款支出"), ()),
    ("summary", ("本年收入", "本年支出", "预算数"), ()),
    ("income", ("财政拨款收入", "事业收入"), ("基本支出",)),
    ("expenditure", ("基本支出", "项目支出", "经营支出"), ("人员经费",)),
    ("three_public", ("因公出国", "公务接待费"), ()),
)

_SENTENCE = re.compile(r"[。；;，,]")
_META = re.compile(r"(?:单位|年度|截止时间|截至)[:：]")


@lru_cache(maxsize=4096)
def looks_like_title(text: str) -> bool:
    """A short line with no sentence punctuation and not a meta line."""
    t = compact(text)
    return 2 < len(t) <= 60 and not _SENTENCE.search(t) and not _META.search(t)


def side_of_header(text: str) -> str | None:
    """The side a two-sided table's top header names: 收入, 本年收入, 财政拨款收入 → 收入;
    支出, 本年支出, 财政拨款支出 → 支出 (the printed text stays the column path)."""
    t = compact(text)
    if t in SIDE_HEADERS:
        return t
    if len(t) <= 8:
        if t.endswith("收入") or t.startswith("收入"):
            return "收入"
        if t.endswith("支出") or t.startswith("支出"):
            return "支出"
    return None


def is_code_header(text: str) -> bool:
    """A header naming a classification-code column (科目编码, 部门预算经济分类科目编码 …)."""
    t = compact(text)
    return t in CODE_HEADERS or t.endswith(CODE_SUFFIXES)


def classify_header(cells: set[str]) -> str | None:
    """The canonical id a grid's header cells (compacted texts) name, or None."""
    joined = "|".join(sorted(cells))
    for table_id, need, avoid in HEADER_RULES:
        if all(w in joined for w in need) and not any(w in joined for w in avoid):
            return table_id
    return None


_QUALIFIER = re.compile(r"[（(][^（）()]{1,8}[）)]$")


def other_slug(title: str) -> str:
    """``other:<slug>`` for a table whose title names no canonical table: the slug of an
    ``other:`` rule the title matches, else ``other:table``."""
    tid = classify_title(title)
    return tid if tid is not None and tid.startswith("other:") else "other:table"


def names_table(text: str) -> bool:
    """A title-like line that names some table (ends with 表, 表（续）, 表（功能科目）)."""
    t = _QUALIFIER.sub("", compact(text).replace("“", "").replace("”", ""))
    return looks_like_title(text) and (t.endswith("表") or t.endswith("情况表"))


@lru_cache(maxsize=4096)
def classify_title(text: str) -> str | None:
    """The canonical table id a title names, or None."""
    t = compact(text).replace("“", "").replace("”", "").replace('"', "")
    bare = _QUALIFIER.sub("", t)  # 一般公共预算支出预算表（功能科目）
    for table_id, need, avoid in TITLE_RULES:
        names_table = table_id in ("procurement", "organization", "assets") or bare.endswith(
            ("表", "情况")) or "绩效目标" in t
        if names_table and all(w in t for w in need) and not any(w in t for w in avoid):
            return table_id
    return None
