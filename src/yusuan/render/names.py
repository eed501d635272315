"""Names of classification codes for authoring: the officer's own names first, then the
catalogue (``yusuan.catalog``), then the few 类 names every budget table prints
(the summary tables list all function 类 even when they are zero)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

#: The function 类 the 收支总表 lists, in order (2024 classification); the last one has no code.
FUNCTION_CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("209", "社会保险基金支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"),
    ("229", "其他支出"),
    ("230", "转移性支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("233", "债务发行费用支出"),
    ("234", "抗疫特别国债安排的支出"),
    ("", "人行科目"),
)

ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}

_FUNCTION_CLASS_NAMES = {c: n for c, n in FUNCTION_CLASSES if c}


@cache
def _catalog() -> Any:
    try:
        from yusuan.catalog import load_catalog
    except ImportError:
        return None
    try:
        return load_catalog()
    except Exception:  # the catalogue is optional for authoring
        return None


def _from_catalog(scheme: str, code: str, year: int) -> str | None:
    cat = _catalog()
    if cat is None:
        return None
    try:
        entry = cat.get(scheme, code, year)
    except Exception:
        return None
    name = getattr(entry, "name", None) if entry is not None else None
    return str(name) if name else None


def function_name(code: str, year: int, names: Mapping[str, str] | None = None) -> str | None:
    if names and code in names:
        return names[code]
    return _from_catalog("function", code, year) or _FUNCTION_CLASS_NAMES.get(code)


def economic_name(code: str, year: int, names: Mapping[str, str] | None = None) -> str | None:
    if names and f"e{code}" in names:
        return names[f"e{code}"]
    return _from_catalog("economic", code, year) or ECONOMIC_CLASSES.get(code)
