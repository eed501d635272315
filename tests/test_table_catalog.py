"""The table catalogue in model/ is the one source of table names, sets and shapes."""

from __future__ import annotations

from yusuan.audit.completeness import REQUIRED_FINAL_TABLES
from yusuan.model import REQUIRED_BUDGET_TABLES, TABLE_IDS
from yusuan.model.tables import BY_ID, TABLES, is_two_sided, required_tables, table_name


def test_required_sets_are_the_national_nine() -> None:
    assert required_tables("预算") == REQUIRED_BUDGET_TABLES
    assert len(required_tables("预算")) == 9
    assert required_tables("决算") == REQUIRED_FINAL_TABLES
    assert len(REQUIRED_FINAL_TABLES) == 9
    assert all(t.startswith("final_") for t in REQUIRED_FINAL_TABLES)


def test_every_model_id_is_catalogued_once() -> None:
    assert len(BY_ID) == len(TABLES)
    assert set(TABLE_IDS) <= set(BY_ID)
    assert {t.id for t in TABLES if t.kind == "决算"} == set(REQUIRED_FINAL_TABLES)


def test_names_are_chinese_for_every_id() -> None:
    assert table_name("general_basic_expenditure") == "一般公共预算财政拨款基本支出表"
    assert table_name("final_summary") == "收入支出决算总表"
    assert table_name("narrative") == "情况说明"
    assert table_name("other:meeting-training") == "其他表格"
    for t in TABLES:
        assert not any("a" <= ch <= "z" for ch in table_name(t.id) + table_name(t.id, short=True)), t.id


def test_shapes() -> None:
    assert is_two_sided("summary") and is_two_sided("final_fiscal_summary")
    assert not is_two_sided("income") and not is_two_sided("other:x")
    assert BY_ID["general_basic_expenditure"].classification == "economic"
    assert BY_ID["final_expenditure"].classification == "function"
