from decimal import Decimal

from yusuan.model import Cell, Column, Disclosure, Location, Row, Table
from yusuan.model.codes import ancestors, join_code, level, parent
from yusuan.model.serialize import from_json, to_json
from yusuan.model.text import cn_to_int, int_to_cn, normalize, parse_amount, split_numbering


def test_codes() -> None:
    assert level("2080505") == "项" and level("20805") == "款" and level("208") == "类"
    assert parent("2080505") == "20805" and parent("208") is None
    assert ancestors("2080505") == ("20805", "208")
    assert join_code("208 05 05") == "2080505" and join_code("行政运行") is None


def test_amounts() -> None:
    assert parse_amount("14,348,853.34") == Decimal("14348853.34")
    assert parse_amount("-8.39") == Decimal("-8.39")
    assert parse_amount("≥37人") is None and parse_amount("70%") is None and parse_amount("") is None


def test_text() -> None:
    assert normalize("科目 编 码") == "科目编码"
    assert normalize("⼀般公共预算⽀出 部⻔") == "一般公共预算支出部门"
    assert cn_to_int("三十一") == 31 and cn_to_int("十") == 10 and int_to_cn(31) == "三十一"
    assert split_numbering("二十、住房保障支出") == ("二十", "住房保障支出")
    assert split_numbering("（二）分项绩效目标") == ("（二）", "分项绩效目标")


def test_json_round_trip() -> None:
    loc = Location(file="a.md", line=3, table="expenditure", row=0, column=0, text="1.50")
    cell = Cell(column="合计", text="1.50", value=Decimal("1.50"), location=loc)
    row = Row(seq="1", code=None, label="合计", cells=(cell,), location=loc)
    table = Table(id="expenditure", title="支出总表", unit="万元", columns=(Column(("合计",)),),
                  rows=(row,), location=loc, pages=(1, 2))
    doc = Disclosure(source="a.md", format="md", year=2024, tables=(table,))
    back = from_json(to_json(doc))
    assert back == doc
    assert back.tables[0].rows[0].cells[0].value == Decimal("1.50")
    assert '"1.50"' in to_json(doc)
